// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// Capture files, through libpcap (pcap(3PCAP)): mcast-recv --pcap writes
/// what it receives as IPv4/IPv6 + UDP frames of the raw IP link type
/// (`LINKTYPE_RAW`) with nanosecond timestamps; mcast-send --replay reads
/// any pcap or pcapng file libpcap reads, of Ethernet (VLAN tags too),
/// Linux cooked (SLL, SLL2) or raw IP frames, and keeps the UDP datagrams
/// sent to multicast groups (docs/tools.md, "Captures"). libpcap does the
/// file formats; here are only the IP and UDP headers of the frames.

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <tl/expected.hpp>

#include <mcnet/core/ip_address.hpp>

namespace mcnet::tools {

/// One UDP datagram as a capture holds it.
struct captured_datagram {
  core::ip_address source;       ///< IP source
  core::ip_address destination;  ///< IP destination (the group)
  std::uint16_t source_port = 0;
  std::uint16_t port = 0;        ///< UDP destination port
  std::uint8_t ttl = 0;          ///< IPv4 TTL / IPv6 hop limit
  std::uint8_t tos = 0;          ///< IPv4 TOS / IPv6 traffic class
  std::chrono::nanoseconds time{0};  ///< since the Unix epoch
  std::span<const std::byte> payload;  ///< the UDP payload
};

/// Why a frame of a capture is not a datagram to replay.
enum class frame_skip : std::uint8_t {
  none,           ///< a UDP datagram to a multicast group
  not_ip,         ///< neither IPv4 nor IPv6 (ARP, LLDP, ...), or a link type not read
  not_udp,        ///< IP, but not UDP (IGMP, MLD, TCP, ...)
  fragment,       ///< an IP fragment (IPv4 MF or offset, IPv6 fragment header): not reassembled
  not_multicast,  ///< UDP to a unicast or broadcast address
  cut,            ///< shorter than its headers say (snap length, or a bad length field)
};

/// The word a report uses for `k` ("not IP", "fragment", ...).
[[nodiscard]] const char* frame_skip_name(frame_skip k) noexcept;

/// The UDP datagram in one frame of link type `dlt` (libpcap's `DLT_*`:
/// `DLT_EN10MB` with up to two 802.1Q/802.1ad tags, `DLT_LINUX_SLL`,
/// `DLT_LINUX_SLL2`, `DLT_RAW`, `DLT_IPV4`, `DLT_IPV6`), or why there is
/// none. `datagram.payload` points into `frame`; `time` is left as it was.
[[nodiscard]] frame_skip parse_frame(int dlt, std::span<const std::byte> frame, captured_datagram& datagram);

/// mcast-recv --pcap: a nanosecond pcap file of `LINKTYPE_RAW` frames,
/// rotated past a size to PATH.1, PATH.2, ...
class capture_writer {
 public:
  /// Create (truncate) `path`. With `rotate_bytes`, a frame that takes the
  /// file past that size closes it; the next frame starts PATH.1, then
  /// PATH.2, .... Errors: libpcap's message, naming the file.
  [[nodiscard]] static tl::expected<capture_writer, std::string> open(const std::string& path,
                                                                      std::optional<std::uint64_t> rotate_bytes);
  capture_writer(capture_writer&& other) noexcept;
  capture_writer& operator=(capture_writer&&) = delete;
  capture_writer(const capture_writer&) = delete;
  capture_writer& operator=(const capture_writer&) = delete;
  /// Flushes and closes the current file.
  ~capture_writer();

  /// Append `d` as one IPv4 (header checksum set) or IPv6 frame with its
  /// UDP header (checksum computed), stamped `d.time`; `end_marker` counts
  /// it in end_markers(). libpcap writes through stdio (pcap_dump(3PCAP)),
  /// so every write is checked with ferror(3) on pcap_dump_file() and the
  /// buffer is flushed (pcap_dump_flush) every `flush_every` datagrams.
  /// Errors: opening the next file of a rotation failed (the message names
  /// it), or writing failed ("cannot write the capture FILE: No space left
  /// on device; N datagrams written"): the file is then cut after the last
  /// datagram known to be in it (ftruncate(2)), nothing more is written,
  /// and later calls do nothing.
  [[nodiscard]] tl::expected<void, std::string> write(const captured_datagram& d, bool end_marker = false);

  /// Write what libpcap buffers to the file (pcap_dump_flush), checked:
  /// errors as write()'s. Does nothing after a failure.
  [[nodiscard]] tl::expected<void, std::string> flush();

  /// Datagrams written, over every file; after a failed write, those known
  /// to be in the files (written at the last good flush).
  [[nodiscard]] std::uint64_t datagrams() const noexcept { return failed_ ? written_ : datagrams_; }
  /// END markers (and MoldUDP64 ends of session) among datagrams().
  [[nodiscard]] std::uint64_t end_markers() const noexcept { return failed_ ? written_ends_ : ends_; }
  /// Whether a write failed (the capture stopped there).
  [[nodiscard]] bool failed() const noexcept { return failed_; }
  /// How many datagrams libpcap may buffer before a checked flush.
  static constexpr std::uint64_t flush_every = 64;
  /// Files started: 1, then one more per rotation.
  [[nodiscard]] std::uint64_t files() const noexcept { return files_; }

 private:
  capture_writer() = default;
  [[nodiscard]] tl::expected<void, std::string> start(const std::string& path);
  void close();
  /// Flush and, when that worked, count what is buffered as written.
  [[nodiscard]] bool confirm();
  /// A write failed with `error` (an errno value): cut the file after the
  /// datagrams known to be written, stop, and say so.
  [[nodiscard]] std::string fail(int error);

  std::string path_;
  std::optional<std::uint64_t> rotate_bytes_;
  void* pcap_ = nullptr;    // pcap_t*
  void* dumper_ = nullptr;  // pcap_dumper_t*
  std::vector<std::byte> frame_;
  std::string current_;         // the file being written
  std::uint64_t datagrams_ = 0;  // given to libpcap
  std::uint64_t ends_ = 0;       // END markers among them
  std::uint64_t written_ = 0;    // known to be in the files (at the last good flush)
  std::uint64_t written_ends_ = 0;
  std::int64_t good_bytes_ = 0;  // the current file's size at the last good flush
  std::uint64_t files_ = 0;
  bool failed_ = false;
};

/// A capture read whole (mcast-send --replay reads it before sending anything).
struct capture_contents {
  /// A datagram with its own copy of the payload.
  struct datagram {
    core::ip_address source, group;
    std::uint16_t source_port = 0, port = 0;
    std::chrono::nanoseconds time{0};  ///< capture timestamp, since the Unix epoch
    std::vector<std::byte> payload;
  };
  std::vector<datagram> datagrams;  ///< in the file's order
  std::uint64_t frames = 0;         ///< frames in the file
  /// Frames skipped, by frame_skip (index 0, none, stays 0).
  std::array<std::uint64_t, 6> skipped{};
  std::string link_type;  ///< libpcap's name of the link type ("EN10MB", "LINUX_SLL2", ...)

  [[nodiscard]] std::uint64_t skipped_total() const noexcept;
};

/// A capture read one frame at a time: mcast-send --replay streams its
/// file, so what it holds does not grow with the file (trial h16x M1: a
/// capture read whole took 3.2 times its size and ended in std::bad_alloc).
class capture_reader {
 public:
  /// Open `path` (pcap or pcapng, nanosecond timestamps kept) with
  /// pcap_open_offline_with_tstamp_precision. Errors, naming the file: an
  /// empty file ("empty file, not a capture"), not a regular file, it
  /// cannot be opened or is not a capture (libpcap's message), a link type
  /// other than parse_frame's.
  [[nodiscard]] static tl::expected<capture_reader, std::string> open(const std::string& path);
  capture_reader(capture_reader&& other) noexcept;
  capture_reader& operator=(capture_reader&&) = delete;
  capture_reader(const capture_reader&) = delete;
  capture_reader& operator=(const capture_reader&) = delete;
  ~capture_reader();

  enum class step : std::uint8_t {
    datagram,  ///< `d` holds the next UDP datagram to a multicast group
    end,       ///< the file's end
    error,     ///< the file is cut or unreadable: error() says so, naming it
  };
  /// The next UDP datagram to a multicast group, the frames before it that
  /// are none counted by reason in skipped(). `d.payload` points into
  /// libpcap's buffer: valid until the next call. `d.time` is the frame's
  /// timestamp (a 32-bit seconds field from 2038 on read as unsigned).
  [[nodiscard]] step next(captured_datagram& d);
  /// Why next() said step::error.
  [[nodiscard]] const std::string& error() const noexcept { return error_; }
  /// Frames read so far.
  [[nodiscard]] std::uint64_t frames() const noexcept { return frames_; }
  /// Frames skipped so far, by frame_skip (index 0, none, stays 0).
  [[nodiscard]] const std::array<std::uint64_t, 6>& skipped() const noexcept { return skipped_; }
  /// libpcap's name of the link type ("EN10MB", "LINUX_SLL2", ...).
  [[nodiscard]] const std::string& link_type() const noexcept { return link_type_; }

 private:
  capture_reader() = default;
  std::string path_;
  void* pcap_ = nullptr;  // pcap_t*
  int dlt_ = 0;
  std::uint64_t frames_ = 0;
  std::array<std::uint64_t, 6> skipped_{};
  std::string link_type_;
  std::string error_;
};

/// Read `path` whole (capture_reader) with
/// pcap_open_offline_with_tstamp_precision. Errors, naming the file: an
/// empty file ("empty file, not a capture"), it cannot be opened or is not
/// a capture (libpcap's message), a link type other than parse_frame's, a
/// truncated file.
[[nodiscard]] tl::expected<capture_contents, std::string> read_capture(const std::string& path);

}  // namespace mcnet::tools
