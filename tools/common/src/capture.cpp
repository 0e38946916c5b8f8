// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <mcnet/tools/capture.hpp>
#include <mcnet/tools/output.hpp>

#include <netinet/in.h>
#include <pcap/pcap.h>
#include <stdio_ext.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>

#include <fmt/format.h>

namespace mcnet::tools {

namespace {

constexpr std::size_t ipv4_header = 20, ipv6_header = 40, udp_header = 8;

std::uint16_t get16(const std::byte* p) {
  return static_cast<std::uint16_t>(std::to_integer<unsigned>(p[0]) << 8 | std::to_integer<unsigned>(p[1]));
}
void put16(std::byte* p, std::uint16_t v) {
  p[0] = static_cast<std::byte>(v >> 8);
  p[1] = static_cast<std::byte>(v & 0xff);
}
std::uint8_t byte_at(const std::byte* p) { return std::to_integer<std::uint8_t>(*p); }

// RFC 1071 one's-complement sum, folded to 16 bits, not inverted.
std::uint32_t ones_sum(std::span<const std::byte> b, std::uint32_t sum = 0) {
  for (std::size_t i = 0; i + 1 < b.size(); i += 2) sum += get16(b.data() + i);
  if (b.size() % 2 != 0) sum += std::to_integer<std::uint32_t>(b.back()) << 8;
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return sum;
}

core::ip_address address(std::span<const std::byte> b) {
  if (b.size() == 4) {
    return core::ip_address::v4_bytes({byte_at(&b[0]), byte_at(&b[1]), byte_at(&b[2]), byte_at(&b[3])});
  }
  std::array<std::uint8_t, 16> a{};
  for (std::size_t i = 0; i < 16; ++i) a[i] = byte_at(&b[i]);
  return core::ip_address::v6_bytes(a);
}

// The UDP header at `udp` (`n` bytes to the end of the IP payload).
frame_skip parse_udp(std::span<const std::byte> udp, captured_datagram& d) {
  if (udp.size() < udp_header) return frame_skip::cut;
  const std::size_t length = get16(udp.data() + 4);
  if (length < udp_header || length > udp.size()) return frame_skip::cut;
  d.source_port = get16(udp.data());
  d.port = get16(udp.data() + 2);
  d.payload = udp.subspan(udp_header, length - udp_header);
  return d.destination.is_multicast() ? frame_skip::none : frame_skip::not_multicast;
}

frame_skip parse_ipv4(std::span<const std::byte> ip, captured_datagram& d) {
  if (ip.size() < ipv4_header) return frame_skip::cut;
  const std::size_t ihl = (byte_at(&ip[0]) & 0x0fu) * 4u;
  const std::size_t total = get16(ip.data() + 2);
  if (ihl < ipv4_header || total < ihl || total > ip.size()) return frame_skip::cut;
  d.tos = byte_at(&ip[1]);
  d.ttl = byte_at(&ip[8]);
  d.source = address(ip.subspan(12, 4));
  d.destination = address(ip.subspan(16, 4));
  // More fragments, or a fragment offset: part of a datagram.
  if ((get16(ip.data() + 6) & 0x3fff) != 0) return frame_skip::fragment;
  if (byte_at(&ip[9]) != IPPROTO_UDP) return frame_skip::not_udp;
  return parse_udp(ip.subspan(ihl, total - ihl), d);
}

frame_skip parse_ipv6(std::span<const std::byte> ip, captured_datagram& d) {
  if (ip.size() < ipv6_header) return frame_skip::cut;
  const std::size_t length = get16(ip.data() + 4);
  if (ipv6_header + length > ip.size()) return frame_skip::cut;
  d.tos = static_cast<std::uint8_t>((get16(ip.data()) >> 4) & 0xff);
  d.ttl = byte_at(&ip[7]);
  d.source = address(ip.subspan(8, 16));
  d.destination = address(ip.subspan(24, 16));
  auto rest = ip.subspan(ipv6_header, length);
  unsigned next = byte_at(&ip[6]);
  // Extension headers before UDP (RFC 8200 4.1): hop-by-hop, routing and
  // destination options are stepped over; a fragment header is a fragment.
  for (int hops = 0; hops < 8; ++hops) {
    if (next == IPPROTO_UDP) return parse_udp(rest, d);
    if (next == IPPROTO_FRAGMENT) return frame_skip::fragment;
    if (next != IPPROTO_HOPOPTS && next != IPPROTO_ROUTING && next != IPPROTO_DSTOPTS) return frame_skip::not_udp;
    if (rest.size() < 8) return frame_skip::cut;
    const std::size_t size = (std::to_integer<std::size_t>(rest[1]) + 1) * 8;
    if (size > rest.size()) return frame_skip::cut;
    next = byte_at(&rest[0]);
    rest = rest.subspan(size);
  }
  return frame_skip::not_udp;
}

// The IP packet after a link header whose EtherType is `type`.
frame_skip parse_ether_type(unsigned type, std::span<const std::byte> ip, captured_datagram& d) {
  if (type == 0x0800) return parse_ipv4(ip, d);
  if (type == 0x86dd) return parse_ipv6(ip, d);
  return frame_skip::not_ip;
}

frame_skip parse_raw(std::span<const std::byte> ip, captured_datagram& d) {
  if (ip.empty()) return frame_skip::cut;
  switch (byte_at(&ip[0]) >> 4) {
    case 4: return parse_ipv4(ip, d);
    case 6: return parse_ipv6(ip, d);
    default: return frame_skip::not_ip;
  }
}

}  // namespace

const char* frame_skip_name(frame_skip k) noexcept {
  switch (k) {
    case frame_skip::none: return "datagram";
    case frame_skip::not_ip: return "not IP";
    case frame_skip::not_udp: return "not UDP";
    case frame_skip::fragment: return "IP fragment";
    case frame_skip::not_multicast: return "not to a multicast group";
    case frame_skip::cut: return "cut short";
  }
  return "?";
}

frame_skip parse_frame(int dlt, std::span<const std::byte> frame, captured_datagram& d) {
  switch (dlt) {
    case DLT_EN10MB: {
      // Destination, source, then EtherType; 802.1Q (0x8100) and 802.1ad
      // (0x88a8) tags put 4 bytes before the real one.
      std::size_t at = 12;
      for (int tags = 0; tags <= 2; ++tags) {
        if (frame.size() < at + 2) return frame_skip::cut;
        const unsigned type = get16(frame.data() + at);
        if (type != 0x8100 && type != 0x88a8) return parse_ether_type(type, frame.subspan(at + 2), d);
        at += 4;
      }
      return frame_skip::not_ip;
    }
    case DLT_LINUX_SLL:  // 16 bytes, protocol last (pcap-linktype(7): LINKTYPE_LINUX_SLL)
      if (frame.size() < 16) return frame_skip::cut;
      return parse_ether_type(get16(frame.data() + 14), frame.subspan(16), d);
    case DLT_LINUX_SLL2:  // 20 bytes, protocol first (LINKTYPE_LINUX_SLL2)
      if (frame.size() < 20) return frame_skip::cut;
      return parse_ether_type(get16(frame.data()), frame.subspan(20), d);
    case DLT_RAW:
    case DLT_IPV4:
    case DLT_IPV6:
      return parse_raw(frame, d);
    default:
      return frame_skip::not_ip;
  }
}

tl::expected<capture_writer, std::string> capture_writer::open(const std::string& path,
                                                               std::optional<std::uint64_t> rotate_bytes) {
  capture_writer w;
  w.path_ = path;
  w.rotate_bytes_ = rotate_bytes;
  w.pcap_ = pcap_open_dead_with_tstamp_precision(DLT_RAW, 65535, PCAP_TSTAMP_PRECISION_NANO);
  if (w.pcap_ == nullptr) return tl::unexpected(std::string("pcap_open_dead_with_tstamp_precision failed"));
  if (auto r = w.start(path); !r) return tl::unexpected(r.error());
  return w;
}

capture_writer::capture_writer(capture_writer&& o) noexcept
    : path_(std::move(o.path_)), rotate_bytes_(o.rotate_bytes_), pcap_(std::exchange(o.pcap_, nullptr)),
      dumper_(std::exchange(o.dumper_, nullptr)), frame_(std::move(o.frame_)), current_(std::move(o.current_)),
      datagrams_(o.datagrams_), ends_(o.ends_), written_(o.written_), written_ends_(o.written_ends_),
      good_bytes_(o.good_bytes_), files_(o.files_), failed_(o.failed_) {}

capture_writer::~capture_writer() {
  close();
  if (pcap_ != nullptr) pcap_close(static_cast<pcap_t*>(pcap_));
}

tl::expected<void, std::string> capture_writer::start(const std::string& path) {
  auto* p = static_cast<pcap_t*>(pcap_);
  // Opened here, not by pcap_dump_open(): libpcap's message repeats the
  // path raw (trial t16x M1: a newline in it started a line of the log),
  // and it takes "-" for stdout (refused: writes_into_stdout()).
  FILE* f = std::fopen(path.c_str(), "we");
  if (f == nullptr) {
    const int err = errno;
    return tl::unexpected(fmt::format("--pcap {}: {}", text_name(path), std::strerror(err)));
  }
  dumper_ = pcap_dump_fopen(p, f);
  if (dumper_ == nullptr) {
    std::fclose(f);
    return tl::unexpected(fmt::format("--pcap {}: cannot start the capture file", text_name(path)));
  }
  current_ = path;
  good_bytes_ = 0;  // the file header is buffered, not written yet
  ++files_;
  return {};
}

void capture_writer::close() {
  if (dumper_ != nullptr) pcap_dump_close(static_cast<pcap_dumper_t*>(dumper_));
  dumper_ = nullptr;
}

bool capture_writer::confirm() {
  auto* dumper = static_cast<pcap_dumper_t*>(dumper_);
  if (pcap_dump_flush(dumper) != 0 || std::ferror(pcap_dump_file(dumper)) != 0) return false;
  written_ = datagrams_;
  written_ends_ = ends_;
  good_bytes_ = pcap_dump_ftell64(dumper);
  return true;
}

std::string capture_writer::fail(int error) {
  failed_ = true;
  if (dumper_ != nullptr) {
    // What stdio still buffers would be written at the close, after the cut:
    // dropped, and the file cut after the last datagram known to be whole
    // in it (a device such as /dev/full cannot be cut: nothing reached it).
    FILE* f = pcap_dump_file(static_cast<pcap_dumper_t*>(dumper_));
    __fpurge(f);
    // EINVAL on a device: nothing to cut; anything else, the file may end
    // in a part of a datagram, and the message says so.
    const int cut_error = ::ftruncate(::fileno(f), static_cast<off_t>(good_bytes_)) == 0 ? 0 : errno;
    close();
    if (cut_error != 0 && cut_error != EINVAL) {
      return fmt::format("cannot write the capture {}: {}; {} datagrams written (the file could not be cut after "
                         "the last of them: {})",
                         text_name(current_), std::strerror(error), written_, std::strerror(cut_error));
    }
  }
  return fmt::format("cannot write the capture {}: {}; {} datagrams written", text_name(current_), std::strerror(error),
                     written_);
}

tl::expected<void, std::string> capture_writer::flush() {
  if (dumper_ == nullptr || failed_) return {};
  errno = 0;
  if (!confirm()) {
    const int e = errno != 0 ? errno : EIO;
    return tl::unexpected(fail(e));
  }
  return {};
}

tl::expected<void, std::string> capture_writer::write(const captured_datagram& d, bool end_marker) {
  if (failed_) return {};
  if (dumper_ == nullptr) {
    if (auto r = start(fmt::format("{}.{}", path_, files_)); !r) return r;
  }
  const bool v6 = d.destination.is_v6();
  const std::size_t ip_size = v6 ? ipv6_header : ipv4_header;
  const std::size_t udp_size = udp_header + d.payload.size();
  frame_.resize(ip_size + udp_size);
  std::byte* ip = frame_.data();
  std::memset(ip, 0, ip_size);
  std::byte* udp = ip + ip_size;
  const auto source = d.source.bytes();
  const auto destination = d.destination.bytes();
  if (v6) {
    put16(ip, static_cast<std::uint16_t>(0x6000 | d.tos << 4));
    put16(ip + 4, static_cast<std::uint16_t>(udp_size));
    ip[6] = std::byte{IPPROTO_UDP};
    ip[7] = std::byte{d.ttl};
    // A v4-mapped source (a dual-stack socket) is written as it came.
    std::memcpy(ip + 8, source.data(), std::min<std::size_t>(source.size(), 16));
    std::memcpy(ip + 24, destination.data(), 16);
  } else {
    ip[0] = std::byte{0x45};
    ip[1] = std::byte{d.tos};
    put16(ip + 2, static_cast<std::uint16_t>(ip_size + udp_size));
    ip[8] = std::byte{d.ttl};
    ip[9] = std::byte{IPPROTO_UDP};
    std::memcpy(ip + 12, source.data(), std::min<std::size_t>(source.size(), 4));
    std::memcpy(ip + 16, destination.data(), 4);
    put16(ip + 10, static_cast<std::uint16_t>(~ones_sum({ip, ip_size}) & 0xffff));
  }
  put16(udp, d.source_port);
  put16(udp + 2, d.port);
  put16(udp + 4, static_cast<std::uint16_t>(udp_size));
  put16(udp + 6, 0);
  if (!d.payload.empty()) std::memcpy(udp + udp_header, d.payload.data(), d.payload.size());
  // The UDP checksum over the pseudo-header (RFC 768; RFC 8200 8.1).
  std::uint32_t sum = ones_sum({ip + (v6 ? 8 : 12), v6 ? 32u : 8u});
  sum += IPPROTO_UDP + static_cast<std::uint32_t>(udp_size);
  auto checksum = static_cast<std::uint16_t>(~ones_sum({udp, udp_size}, sum) & 0xffff);
  put16(udp + 6, checksum == 0 ? 0xffff : checksum);

  pcap_pkthdr h{};
  const auto ns = d.time.count();
  h.ts.tv_sec = static_cast<time_t>(ns / 1'000'000'000);
  // With PCAP_TSTAMP_PRECISION_NANO libpcap reads tv_usec as nanoseconds.
  h.ts.tv_usec = static_cast<suseconds_t>(ns % 1'000'000'000);
  h.caplen = h.len = static_cast<bpf_u_int32>(frame_.size());
  auto* dumper = static_cast<pcap_dumper_t*>(dumper_);
  errno = 0;
  pcap_dump(reinterpret_cast<u_char*>(dumper), &h, reinterpret_cast<const u_char*>(frame_.data()));
  ++datagrams_;
  if (end_marker) ++ends_;
  // pcap_dump reports nothing: the stream's error flag says whether stdio
  // could write what it flushed (a full disk, a quota).
  const bool rotate = rotate_bytes_ && static_cast<std::uint64_t>(pcap_dump_ftell64(dumper)) >= *rotate_bytes_;
  if (std::ferror(pcap_dump_file(dumper)) != 0 ||
      ((rotate || datagrams_ - written_ >= flush_every) && !confirm())) {
    const int e = errno != 0 ? errno : EIO;
    return tl::unexpected(fail(e));
  }
  if (rotate) close();
  return {};
}

std::uint64_t capture_contents::skipped_total() const noexcept {
  std::uint64_t n = 0;
  for (auto k : skipped) n += k;
  return n;
}

tl::expected<capture_reader, std::string> capture_reader::open(const std::string& path) {
  // libpcap would call it a truncated file header.
  std::error_code size_error;
  if (std::filesystem::is_regular_file(path, size_error) && std::filesystem::file_size(path, size_error) == 0 &&
      !size_error) {
    return tl::unexpected(fmt::format("--replay {}: empty file, not a capture", text_name(path)));
  }
  // A FIFO or a device would block libpcap's open or be read for ever:
  // --replay reads a capture file (as @FILE takes regular files only).
  std::error_code type_error;
  const auto status = std::filesystem::status(path, type_error);
  if (!type_error && std::filesystem::exists(status) && !std::filesystem::is_regular_file(status)) {
    return tl::unexpected(fmt::format("--replay {}: not a regular file ({}): --replay reads a capture file", text_name(path),
                                      std::filesystem::is_directory(status) ? "a directory"
                                      : std::filesystem::is_fifo(status)    ? "a FIFO"
                                      : std::filesystem::is_socket(status)  ? "a socket"
                                                                            : "a device"));
  }
  std::array<char, PCAP_ERRBUF_SIZE> why{};
  pcap_t* p = pcap_open_offline_with_tstamp_precision(path.c_str(), PCAP_TSTAMP_PRECISION_NANO, why.data());
  if (p == nullptr) {
    // libpcap's message starts with the file's name as given ("PATH: No
    // such file or directory"): said once, as text (trial t16z: a newline
    // in it was printed raw).
    std::string_view said(why.data());
    if (said.starts_with(path) && said.substr(path.size()).starts_with(": ")) said.remove_prefix(path.size() + 2);
    return tl::unexpected(fmt::format("--replay {}: {}", text_name(path), text_name(said)));
  }
  capture_reader r;
  r.pcap_ = p;
  r.path_ = path;
  r.dlt_ = pcap_datalink(p);
  const char* name = pcap_datalink_val_to_name(r.dlt_);
  r.link_type_ = name != nullptr ? name : fmt::format("{}", r.dlt_);
  const int dlt = r.dlt_;
  if (dlt != DLT_EN10MB && dlt != DLT_LINUX_SLL && dlt != DLT_LINUX_SLL2 && dlt != DLT_RAW && dlt != DLT_IPV4 &&
      dlt != DLT_IPV6) {
    return tl::unexpected(fmt::format("--replay {}: link type {} is not read (Ethernet, Linux cooked SLL/SLL2 or "
                                      "raw IP)",
                                      text_name(path), r.link_type_));
  }
  return r;
}

capture_reader::capture_reader(capture_reader&& o) noexcept
    : path_(std::move(o.path_)), pcap_(std::exchange(o.pcap_, nullptr)), dlt_(o.dlt_), frames_(o.frames_),
      skipped_(o.skipped_), link_type_(std::move(o.link_type_)), error_(std::move(o.error_)) {}

capture_reader::~capture_reader() {
  if (pcap_ != nullptr) pcap_close(static_cast<pcap_t*>(pcap_));
}

capture_reader::step capture_reader::next(captured_datagram& d) {
  auto* p = static_cast<pcap_t*>(pcap_);
  pcap_pkthdr* h = nullptr;
  const u_char* bytes = nullptr;
  int r = 0;
  while ((r = pcap_next_ex(p, &h, &bytes)) == 1) {
    ++frames_;
    d = captured_datagram{};
    const auto* frame = reinterpret_cast<const std::byte*>(bytes);
    const auto k = parse_frame(dlt_, {frame, h->caplen}, d);
    if (k != frame_skip::none) {
      ++skipped_[static_cast<std::size_t>(k)];
      continue;
    }
    // A savefile's seconds are unsigned 32 bits (pcap-savefile(5)); libpcap
    // sign-extends them into tv_sec, so a time from 2038 on (2^31 s and up)
    // reads as negative: taken back as the unsigned value it was.
    const std::int64_t seconds = h->ts.tv_sec < 0 ? static_cast<std::int64_t>(static_cast<std::uint32_t>(h->ts.tv_sec))
                                                  : static_cast<std::int64_t>(h->ts.tv_sec);
    d.time = std::chrono::seconds(seconds) + std::chrono::nanoseconds(h->ts.tv_usec);
    return step::datagram;
  }
  if (r == PCAP_ERROR) {
    error_ = fmt::format("--replay {}: {}", text_name(path_), text_name(pcap_geterr(p)));
    return step::error;
  }
  return step::end;
}

tl::expected<capture_contents, std::string> read_capture(const std::string& path) {
  auto reader = capture_reader::open(path);
  if (!reader) return tl::unexpected(reader.error());
  capture_contents c;
  c.link_type = reader->link_type();
  captured_datagram d;
  capture_reader::step r{};
  while ((r = reader->next(d)) == capture_reader::step::datagram) {
    c.datagrams.push_back({d.source, d.destination, d.source_port, d.port, d.time,
                           std::vector<std::byte>(d.payload.begin(), d.payload.end())});
  }
  c.frames = reader->frames();
  c.skipped = reader->skipped();
  if (r == capture_reader::step::error) return tl::unexpected(reader->error());
  return c;
}

}  // namespace mcnet::tools
