// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// MPEG-2 transport stream over UDP (ISO/IEC 13818-1 2.4.3): a datagram of
/// 188-byte packets, 7 in the usual 1316-byte datagram. Each packet,
/// big-endian:
///
/// | offset | size | field |
/// |---|---|---|
/// | 0 | 1 | sync byte 0x47 |
/// | 1 | 2 | transport error indicator (1 bit), payload unit start (1), priority (1), PID (13) |
/// | 3 | 1 | scrambling control (2 bits), adaptation field control (2), continuity counter (4) |
/// | 4 | 1 + length | with an adaptation field: its length, flags, optional fields, stuffing |
/// | then | ... | payload, to byte 188 |
///
/// The adaptation field's flags byte: discontinuity, random access, ES
/// priority, PCR, OPCR, splicing point, private data, extension.
///
/// The continuity checker counts Continuity_count_error as ETSI TR 101 290
/// (priority 1, 1.4) does. The views borrow the caller's bytes and never
/// read past them; the builder writes into the caller's span. Nothing
/// allocates or throws.

#include <mcnet/core/cxx20.hpp>  // first: C++20 or one clear error

#include <array>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <optional>
#include <span>
#include <string_view>

#include <mcnet/core/error.hpp>
#include <mcnet/feed/big_endian.hpp>
#include <mcnet/feed/detail/codec_error.hpp>

namespace mcnet::feed::mpegts {

inline constexpr std::size_t packet_size = 188;         ///< bytes of a transport packet
inline constexpr std::size_t header_size = 4;           ///< sync byte to continuity counter
inline constexpr std::uint8_t sync_byte = 0x47;         ///< the first byte of every packet (ISO/IEC 13818-1 2.4.3.3)
inline constexpr std::uint16_t null_pid = 0x1FFF;       ///< stuffing packets; not continuity-checked
inline constexpr std::size_t pid_count = 8192;          ///< PIDs are 13 bits
inline constexpr std::size_t packets_per_datagram = 7;  ///< the usual 1316-byte datagram

namespace detail {
/// The `op` of a packet's errors.
inline constexpr std::string_view packet_codec = "mpegts packet";
/// Bytes of a PCR or OPCR: 33-bit base, 6 reserved bits, 9-bit extension.
inline constexpr std::size_t pcr_size = 6;
/// Adaptation field flags (13818-1 2.4.3.4).
inline constexpr unsigned flag_discontinuity = 0x80, flag_random_access = 0x40, flag_es_priority = 0x20,
                          flag_pcr = 0x10, flag_opcr = 0x08;
/// Continuity state bits of a PID (continuity_checker::state_).
inline constexpr std::uint8_t state_counter = 0x0f, state_seen = 0x10, state_duplicate = 0x20;
}  // namespace detail

/// adaptation_field_control (ISO/IEC 13818-1 table 2-5).
enum class adaptation_control : std::uint8_t {
  reserved = 0,                ///< "reserved for future use": parse refuses it
  payload_only = 1,            ///< '01'
  adaptation_only = 2,         ///< '10': no payload, the counter does not advance
  adaptation_and_payload = 3,  ///< '11'
};

/// A program clock reference (PCR or OPCR): 33-bit base at 90 kHz and a
/// 9-bit extension at 27 MHz (0 to 299 in a conforming stream; kept as sent).
struct clock_reference {
  std::uint64_t base = 0;        ///< 33 bits, 90 kHz
  std::uint16_t extension = 0;   ///< 9 bits, 27 MHz
  /// base x 300 + extension: 27 MHz ticks.
  [[nodiscard]] std::uint64_t ticks_27mhz() const noexcept { return base * 300 + extension; }
  /// Field by field.
  friend bool operator==(const clock_reference&, const clock_reference&) = default;
};

/// One 188-byte transport packet, checked when parsed. Borrows the bytes.
class packet_view {
 public:
  /// Parse and check one packet. Errors (errc::value_out_of_range, op
  /// "mpegts packet", `what` the field, the offending value as the number):
  /// - "length": not 188 bytes;
  /// - "sync byte": the first byte is not 0x47 (number: the byte);
  /// - "adaptation field control": '00', reserved (a decoder discards it);
  /// - "adaptation field length": over 182 with a payload, or not 183 without
  ///   one (13818-1 2.4.3.5);
  /// - "PCR" / "OPCR": the flag is set but the 6 bytes run past the
  ///   adaptation field (number: the adaptation field length).
  [[nodiscard]] static result<packet_view> parse(std::span<const std::byte> packet) noexcept;

  /// transport_error_indicator: a demodulator found the packet damaged.
  [[nodiscard]] bool transport_error() const noexcept { return (byte(1) & 0x80) != 0; }
  /// payload_unit_start_indicator: a PES packet or a section starts here.
  [[nodiscard]] bool payload_unit_start() const noexcept { return (byte(1) & 0x40) != 0; }
  /// transport_priority.
  [[nodiscard]] bool priority() const noexcept { return (byte(1) & 0x20) != 0; }
  /// 13 bits.
  [[nodiscard]] std::uint16_t pid() const noexcept { return load_be<std::uint16_t>(bytes_.data() + 1) & 0x1fff; }
  /// transport_scrambling_control, 2 bits; 0 is not scrambled.
  [[nodiscard]] std::uint8_t scrambling() const noexcept { return static_cast<std::uint8_t>(byte(3) >> 6); }
  /// adaptation_field_control (never `reserved` once parsed).
  [[nodiscard]] adaptation_control control() const noexcept {
    return static_cast<adaptation_control>((byte(3) >> 4) & 3);
  }
  /// 4 bits; advances by one per packet with payload of the PID.
  [[nodiscard]] std::uint8_t continuity_counter() const noexcept { return static_cast<std::uint8_t>(byte(3) & 0x0f); }
  /// Control '01' or '11'.
  [[nodiscard]] bool has_payload() const noexcept { return (byte(3) & 0x10) != 0; }
  /// Control '10' or '11'.
  [[nodiscard]] bool has_adaptation_field() const noexcept { return (byte(3) & 0x20) != 0; }

  /// The adaptation field after its length byte (empty without one, or with
  /// length 0): flags, optional fields and stuffing.
  [[nodiscard]] std::span<const std::byte> adaptation_field() const noexcept {
    return bytes_.subspan(header_size + 1, adaptation_length_);
  }
  /// discontinuity_indicator: the continuity counter (and for the PCR PID the
  /// time base) may jump in this packet.
  [[nodiscard]] bool discontinuity() const noexcept { return (flags() & 0x80) != 0; }
  /// random_access_indicator: decoding can start here.
  [[nodiscard]] bool random_access() const noexcept { return (flags() & 0x40) != 0; }
  /// elementary_stream_priority_indicator.
  [[nodiscard]] bool es_priority() const noexcept { return (flags() & 0x20) != 0; }
  /// The program clock reference, when its flag is set (checked to fit).
  [[nodiscard]] std::optional<clock_reference> pcr() const noexcept;
  /// The original program clock reference, when its flag is set (checked to fit).
  [[nodiscard]] std::optional<clock_reference> opcr() const noexcept;
  /// What follows the header and adaptation field (empty without payload).
  [[nodiscard]] std::span<const std::byte> payload() const noexcept {
    return has_payload() ? bytes_.subspan(payload_offset()) : std::span<const std::byte>{};
  }
  /// The 188 bytes.
  [[nodiscard]] std::span<const std::byte> bytes() const noexcept { return bytes_; }

 private:
  [[nodiscard]] unsigned byte(std::size_t i) const noexcept { return std::to_integer<unsigned>(bytes_[i]); }
  [[nodiscard]] unsigned flags() const noexcept { return adaptation_length_ != 0 ? byte(header_size + 1) : 0u; }
  [[nodiscard]] std::size_t payload_offset() const noexcept {
    return has_adaptation_field() ? header_size + 1 + adaptation_length_ : header_size;
  }
  std::span<const std::byte> bytes_;
  std::size_t adaptation_length_ = 0;
};

/// A UDP datagram of transport packets. Its size is checked when parsed;
/// each packet is checked when read, so one packet without sync is reported
/// as that packet's error and the others still read.
class datagram_view {
 public:
  /// Forward iterator over the packets, each a `result<packet_view>`.
  class iterator {
   public:
    /// Standard iterator types: each packet is yielded parsed, by value.
    using iterator_category = std::forward_iterator_tag;
    using value_type = result<packet_view>;  ///< a parsed packet or its error
    using difference_type = std::ptrdiff_t;  ///< distance between iterators
    using pointer = void;                    ///< none: packets are parsed on dereference
    using reference = result<packet_view>;   ///< a parsed packet, by value

    iterator() noexcept = default;
    /// The packet here, parsed: a view or the error naming what is wrong.
    [[nodiscard]] result<packet_view> operator*() const noexcept {
      return packet_view::parse(std::span<const std::byte>(at_, packet_size));
    }
    /// The next 188 bytes.
    iterator& operator++() noexcept {
      at_ += packet_size;
      return *this;
    }
    /// Step, returning the position before the step.
    iterator operator++(int) noexcept {
      auto before = *this;
      at_ += packet_size;
      return before;
    }
    /// Same position in the same datagram.
    friend bool operator==(const iterator& a, const iterator& b) noexcept { return a.at_ == b.at_; }

   private:
    friend class datagram_view;
    explicit iterator(const std::byte* at) noexcept : at_(at) {}
    const std::byte* at_ = nullptr;
  };

  /// Check a datagram's size. Error (errc::value_out_of_range, op "mpegts
  /// datagram"): "length" empty or not a multiple of 188 bytes (number: the
  /// size). A receiver that wants the whole packets of such a datagram parses
  /// each 188-byte slice with packet_view::parse.
  [[nodiscard]] static result<datagram_view> parse(std::span<const std::byte> datagram) noexcept;
  /// As parse(), without the error: empty when parse() would fail. For a
  /// classifier that tries several protocols on each datagram (mcast-recv's
  /// `--payload auto`), where a refusal is the common case and building an
  /// `error` (~200 bytes, copied into the result) costs more than the
  /// checks themselves.
  [[nodiscard]] static std::optional<datagram_view> try_parse(std::span<const std::byte> datagram) noexcept {
    if (datagram.empty() || datagram.size() % packet_size != 0) return std::nullopt;
    datagram_view v;
    v.bytes_ = datagram;
    return v;
  }

  /// How many 188-byte packets.
  [[nodiscard]] std::size_t size() const noexcept { return bytes_.size() / packet_size; }
  /// The `i`th packet, parsed; `i` below size() (not checked).
  [[nodiscard]] result<packet_view> operator[](std::size_t i) const noexcept {
    return packet_view::parse(bytes_.subspan(i * packet_size, packet_size));
  }
  /// The first packet.
  [[nodiscard]] iterator begin() const noexcept { return iterator(bytes_.data()); }
  /// Past the last packet.
  [[nodiscard]] iterator end() const noexcept { return iterator(bytes_.data() + bytes_.size()); }
  /// The whole datagram.
  [[nodiscard]] std::span<const std::byte> bytes() const noexcept { return bytes_; }

 private:
  std::span<const std::byte> bytes_;
};

/// What the continuity checker made of one packet.
enum class continuity : std::uint8_t {
  in_order,       ///< the counter advanced by one
  first,          ///< first packet of its PID (or first after a discontinuity indicator
                  ///< on a packet without payload): nothing to compare with
  duplicate,      ///< the counter repeated once: a duplicate packet, allowed
  error,          ///< Continuity_count_error: a jump, or a duplicate's second repeat
  discontinuity,  ///< the discontinuity indicator allowed whatever the counter did
  unchecked,      ///< not checked: the null PID, or a packet without payload
};

/// Counts of one PID.
struct pid_counts {
  std::uint64_t packets = 0;          ///< every packet of the PID, checked or not
  std::uint64_t cc_errors = 0;        ///< Continuity_count_error (TR 101 290 1.4)
  std::uint64_t duplicates = 0;       ///< repeats allowed as duplicates
  std::uint64_t discontinuities = 0;  ///< packets with the discontinuity indicator
  /// Equal when every count is.
  friend bool operator==(const pid_counts&, const pid_counts&) = default;
};

/// Continuity-count checking of every PID, as ETSI TR 101 290 (priority 1,
/// 1.4 "Continuity_count_error") counts errors, on ISO/IEC 13818-1's rules
/// for continuity_counter (2.4.3.3):
/// - the counter advances (modulo 16) only on packets with payload;
///   packets without payload (adaptation field control '10') are counted
///   but not checked, and leave the expected counter as it was;
/// - a packet with payload whose counter equals the previous one is a
///   duplicate: one is allowed, the second repeat in a row is an error;
///   the content is not compared;
/// - the discontinuity indicator lets the counter take any value on that
///   packet (counted in discontinuities, never an error); on a packet
///   without payload it lets the next packet with payload take any value;
/// - the first packet of a PID is not an error; the null PID 0x1FFF is
///   counted and never checked;
/// - after an error the packet's counter is the new reference.
/// State for all 8192 PIDs is inline (about 290 KiB; keep it static or on
/// the heap rather than on a small stack); check() never allocates.
class continuity_checker {
 public:
  /// Account for one packet and say what it was.
  continuity check(const packet_view& packet) noexcept;
  /// Counts of `pid` (its low 13 bits).
  [[nodiscard]] const pid_counts& counts(std::uint16_t pid) const noexcept { return counts_[pid & 0x1fff]; }
  /// Sums over every PID.
  [[nodiscard]] pid_counts totals() const noexcept;
  /// Say that the packets checked next come from `datagram` (whole 188-byte
  /// packets; a receiver of MPEG-TS over UDP calls this once per datagram,
  /// before checking its packets). A datagram whose packets' first 12 bytes
  /// (header, adaptation field length and flags, PCR) all equal those of one
  /// of the last 4 datagrams is a copy (a duplicated datagram): its packets
  /// are still checked and counted as TR 101 290 does, but missing() takes
  /// nothing from them. Returns whether it is a copy.
  bool begin_datagram(std::span<const std::byte> datagram) noexcept;
  /// Transport packets really missing by the counters, over every PID. Kept
  /// apart from cc_errors (which count every counter that is not the next
  /// one, as TR 101 290 1.4 does): per PID the highest counter so far and
  /// which of the 15 before it were skipped are kept, and
  /// - a jump forward adds the numbers it skipped, (counter - last - 1)
  ///   modulo 16, 1 to 14, and records them as skipped;
  /// - a late packet whose counter is one recorded as skipped (a reordered
  ///   datagram, at most 13 numbers behind the highest) takes its number
  ///   back and leaves the highest as it was;
  /// - a repeat (the counter equal to the highest or to the PID's packet
  ///   before, or a packet of a datagram begin_datagram() found to be a
  ///   copy) adds nothing.
  /// A lower bound of what was lost: 16 more can hide in every gap (the
  /// counter has 4 bits), and a packet that comes back more than 15 numbers
  /// after its gap is not told from a jump. Kept once, not per PID.
  [[nodiscard]] std::uint64_t missing() const noexcept { return missing_; }
  /// The packets missing() took as repeats: every packet of a datagram
  /// begin_datagram() found to be a copy, and a packet whose counter
  /// repeated the highest or the packet before. A loss ratio leaves them
  /// out of the packets received, as duplicates are left out for numbered
  /// streams (trial20p F10: a duplicated datagram's 7 packets made a loss
  /// of 9.90 % read 9.17 %).
  [[nodiscard]] std::uint64_t repeats() const noexcept { return repeats_; }
  /// Forget everything, as if new.
  void reset() noexcept;

 private:
  std::array<pid_counts, pid_count> counts_{};
  // Per PID: bits 0-3 the last counter, bit 4 seen (a reference exists),
  // bit 5 the last packet was an allowed duplicate.
  std::array<std::uint8_t, pid_count> state_{};
  // Loss accounting per PID (missing()): bits 0-3 the highest counter so
  // far, bit 4 seen; and the counters of the 15 before it recorded as
  // skipped (bit n: counter n).
  std::array<std::uint8_t, pid_count> head_{};
  std::array<std::uint16_t, pid_count> skipped_{};
  // Fingerprints of the last datagrams (begin_datagram()); the next slot.
  std::array<std::uint64_t, 4> recent_{};
  std::size_t recent_next_ = 0;
  bool copy_ = false;  // the packets checked now are of a copied datagram
  std::uint64_t missing_ = 0;
  std::uint64_t repeats_ = 0;
  void account_loss(std::uint16_t pid, std::uint8_t cc, std::uint8_t state) noexcept;
};

/// The counters a sender keeps: the next continuity counter of every PID.
class continuity_counters {
 public:
  /// The counter for the next packet with payload of `pid`, advancing it.
  std::uint8_t take(std::uint16_t pid) noexcept {
    auto& c = next_[pid & 0x1fff];
    const std::uint8_t now = c;
    c = static_cast<std::uint8_t>((c + 1) & 0x0f);
    return now;
  }
  /// The counter the next packet of `pid` will carry (packets without
  /// payload carry it too, without advancing it).
  [[nodiscard]] std::uint8_t peek(std::uint16_t pid) const noexcept { return next_[pid & 0x1fff]; }

 private:
  std::array<std::uint8_t, pid_count> next_{};
};

/// What the builder writes besides the payload.
struct packet_fields {
  std::uint16_t pid = 0;  ///< 13 bits
  bool payload_unit_start = false;  ///< a PES packet or section starts in this payload
  bool priority = false;            ///< transport_priority
  bool transport_error = false;     ///< transport_error_indicator (for tests of receivers)
  std::uint8_t scrambling = 0;  ///< 2 bits
  std::uint8_t continuity_counter = 0;  ///< 4 bits
  bool discontinuity = false;   ///< written in an adaptation field
  bool random_access = false;   ///< written in an adaptation field
  bool es_priority = false;     ///< written in an adaptation field
  std::optional<clock_reference> pcr{};  ///< written in an adaptation field
};

/// Write one 188-byte packet of `fields` and `payload` into `out` and return
/// 188. An adaptation field is written when a flag or the PCR asks for one
/// or the payload is shorter than 184 bytes: the rest is stuffing (0xFF in
/// the adaptation field, 13818-1 2.4.3.5). An empty payload makes an
/// adaptation-only packet ('10'). Errors (errc::value_out_of_range, op
/// "mpegts packet"), nothing written: "buffer" under 188 bytes, "PID" over
/// 13 bits, "scrambling" over 2 bits, "continuity counter" over 4 bits,
/// "PCR" a base over 33 bits or an extension over 9, "payload" longer than
/// the packet has room for (number: the room).
[[nodiscard]] result<std::size_t> build_packet(std::span<std::byte> out, const packet_fields& fields,
                                               std::span<const std::byte> payload) noexcept;

/// Writes a datagram of packets into a caller-owned buffer (1316 bytes for
/// the usual 7), taking each packet's continuity counter from the sender's
/// `continuity_counters`.
class datagram_builder {
 public:
  /// Write into `out`; its size is the limit.
  explicit datagram_builder(std::span<std::byte> out) noexcept : out_(out) {}
  /// Append a packet of `fields` (its continuity_counter ignored: taken from
  /// `counters`, advanced when `payload` is not empty) and `payload`. Errors:
  /// as build_packet, the counters and the datagram left as they were.
  [[nodiscard]] result<void> append(const packet_fields& fields, std::span<const std::byte> payload,
                                    continuity_counters& counters) noexcept;
  /// Packets appended.
  [[nodiscard]] std::size_t size() const noexcept { return size_ / packet_size; }
  /// Whether another packet fits.
  [[nodiscard]] bool full() const noexcept { return out_.size() - size_ < packet_size; }
  /// The datagram so far.
  [[nodiscard]] std::span<const std::byte> bytes() const noexcept { return out_.first(size_); }

 private:
  std::span<std::byte> out_;
  std::size_t size_ = 0;
};

// Inline: a datagram calls these once per packet.

[[nodiscard]] inline result<packet_view> packet_view::parse(std::span<const std::byte> packet) noexcept {
  using feed::detail::codec_check;
  using feed::detail::codec_failure;
  if (packet.size() != packet_size) {
    static constexpr codec_check check{detail::packet_codec, "length", "a packet has 188 bytes"};
    return codec_failure<packet_view>(check, static_cast<std::int64_t>(packet.size()));
  }
  const std::byte* p = packet.data();
  if (std::to_integer<std::uint8_t>(p[0]) != sync_byte) {
    static constexpr codec_check check{detail::packet_codec, "sync byte", "no sync byte 0x47: sync lost"};
    return codec_failure<packet_view>(check, std::to_integer<std::uint8_t>(p[0]));
  }
  packet_view v;
  v.bytes_ = packet;
  const auto afc = v.control();
  if (afc == adaptation_control::reserved) {
    static constexpr codec_check check{detail::packet_codec, "adaptation field control",
                                       "'00' is reserved: the packet is discarded"};
    return codec_failure<packet_view>(check, 0);
  }
  if (v.has_adaptation_field()) {
    const std::size_t length = std::to_integer<std::size_t>(p[header_size]);
    if (afc == adaptation_control::adaptation_only && length != 183) {
      static constexpr codec_check check{detail::packet_codec, "adaptation field length",
                                         "183 in a packet without payload"};
      return codec_failure<packet_view>(check, static_cast<std::int64_t>(length));
    }
    if (afc == adaptation_control::adaptation_and_payload && length > 182) {
      static constexpr codec_check check{detail::packet_codec, "adaptation field length",
                                         "0 to 182 in a packet with payload"};
      return codec_failure<packet_view>(check, static_cast<std::int64_t>(length));
    }
    v.adaptation_length_ = length;
    if (length != 0) {
      const unsigned flags = std::to_integer<unsigned>(p[header_size + 1]);
      std::size_t need = 1;
      if ((flags & detail::flag_pcr) != 0 && length < (need += detail::pcr_size)) {
        static constexpr codec_check check{detail::packet_codec, "PCR",
                                           "the PCR runs past the adaptation field of {number} bytes"};
        return codec_failure<packet_view>(check, static_cast<std::int64_t>(length));
      }
      if ((flags & detail::flag_opcr) != 0 && length < (need += detail::pcr_size)) {
        static constexpr codec_check check{detail::packet_codec, "OPCR",
                                           "the OPCR runs past the adaptation field of {number} bytes"};
        return codec_failure<packet_view>(check, static_cast<std::int64_t>(length));
      }
    }
  }
  return v;
}

inline continuity continuity_checker::check(const packet_view& packet) noexcept {
  const std::uint16_t pid = packet.pid();
  auto& c = counts_[pid];
  auto& s = state_[pid];
  ++c.packets;
  if (copy_) ++repeats_;
  if (pid == null_pid) return continuity::unchecked;
  const std::uint8_t cc = packet.continuity_counter();
  if (packet.discontinuity()) {
    ++c.discontinuities;
    // Without payload the packet's counter is not the stream's: the next
    // packet with payload starts afresh.
    s = packet.has_payload() ? static_cast<std::uint8_t>(detail::state_seen | cc) : std::uint8_t{0};
    if (!copy_) {
      head_[pid] = s & (detail::state_seen | detail::state_counter);
      skipped_[pid] = 0;
    }
    return continuity::discontinuity;
  }
  if (!packet.has_payload()) return continuity::unchecked;
  if (!copy_) account_loss(pid, cc, s);
  if ((s & detail::state_seen) == 0) {
    s = static_cast<std::uint8_t>(detail::state_seen | cc);
    return continuity::first;
  }
  const std::uint8_t last = s & detail::state_counter;
  if (cc == ((last + 1) & detail::state_counter)) {
    s = static_cast<std::uint8_t>(detail::state_seen | cc);
    return continuity::in_order;
  }
  if (cc == last) {
    if ((s & detail::state_duplicate) == 0) {
      ++c.duplicates;
      s |= detail::state_duplicate;
      return continuity::duplicate;
    }
    ++c.cc_errors;  // a packet "occurs more than twice"; the next repeat is an error too
    return continuity::error;
  }
  ++c.cc_errors;
  s = static_cast<std::uint8_t>(detail::state_seen | cc);
  return continuity::error;
}

inline void continuity_checker::account_loss(std::uint16_t pid, std::uint8_t cc, std::uint8_t state) noexcept {
  auto& h = head_[pid];
  auto& gaps = skipped_[pid];
  const auto bit = static_cast<std::uint16_t>(1u << cc);
  if ((h & detail::state_seen) == 0) {
    h = static_cast<std::uint8_t>(detail::state_seen | cc);
    gaps = 0;
    return;
  }
  const std::uint8_t last = h & detail::state_counter;
  // A repeat: of the highest, or of the packet before (a late one).
  if (cc == last || ((state & detail::state_seen) != 0 && cc == (state & detail::state_counter))) {
    ++repeats_;
    return;
  }
  const auto next = static_cast<std::uint8_t>((last + 1) & detail::state_counter);
  if (cc != next && (gaps & bit) != 0) {  // late: it fills a gap recorded before
    gaps = static_cast<std::uint16_t>(gaps & ~bit);
    --missing_;
    return;
  }
  // Forward: the numbers between are skipped.
  for (auto n = next; n != cc; n = static_cast<std::uint8_t>((n + 1) & detail::state_counter)) {
    gaps = static_cast<std::uint16_t>(gaps | (1u << n));
    ++missing_;
  }
  // The new highest, and the two counters 14 and 15 behind it, are not gaps
  // a late packet can fill: a packet with those counters is read as a jump
  // of 1 or 2 (and one recorded 13 behind is the most a late packet fills,
  // a datagram of 7 packets of one PID arriving after the next one).
  const auto ahead = static_cast<std::uint16_t>(bit | (1u << ((cc + 1) & 15)) | (1u << ((cc + 2) & 15)));
  gaps = static_cast<std::uint16_t>(gaps & ~ahead);
  h = static_cast<std::uint8_t>(detail::state_seen | cc);
}

}  // namespace mcnet::feed::mpegts
