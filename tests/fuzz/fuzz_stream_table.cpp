// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// Fuzz mcast-recv's accounting with what anyone on a LAN can send: foreign
// payloads, headers with any sender, session, sequence number and send time,
// MoldUDP64 packets of any session, sequence and count, RTP of any SSRC,
// sequence, timestamp and payload type, MPEG-TS datagrams of any packet
// headers, arriving at any kernel time, read with any --payload. Never
// undefined behaviour (UBSan), the stream limit and the MPEG-TS checker limit
// hold, and the totals hold: every datagram is a packet of one stream, an
// end marker or untracked, exactly once (with one protocol named: as it
// arrives; with auto, after settle()); bytes are their sizes; every stream
// reports in JSON, CSV and text.

#include <array>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <span>
#include <vector>

#include <mcnet/tools/report.hpp>
#include <mcnet/tools/stream_table.hpp>
#include <mcnet/feed/moldudp64.hpp>
#include <mcnet/feed/mpegts.hpp>
#include <mcnet/feed/rtp.hpp>
#include <mcnet/feed/test_header.hpp>

namespace {

namespace core = mcnet::core;
namespace tools = mcnet::tools;
namespace feed = mcnet::feed;

class reader {
 public:
  reader(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  [[nodiscard]] bool empty() const { return pos_ >= size_; }
  template <class T>
  T take() {
    T v{};
    const std::size_t n = std::min(sizeof(T), size_ - std::min(pos_, size_));
    std::memcpy(&v, data_ + pos_, n);
    pos_ += sizeof(T);
    return v;
  }
  std::span<const std::uint8_t> bytes(std::size_t n) {
    const std::size_t start = std::min(pos_, size_);
    const std::size_t len = std::min(n, size_ - start);
    pos_ += n;
    return {data_ + start, len};
  }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  reader in(data, size);
  const auto setup = in.take<std::uint8_t>();
  const auto mode = static_cast<tools::payload_mode>(setup % 6);
  const std::optional<std::uint32_t> clock =
      (setup & 0x80) != 0 ? std::optional<std::uint32_t>(in.take<std::uint32_t>() | 1) : std::nullopt;
  constexpr std::size_t limit = 32;  // small: streams past the limit, and past the 2 MPEG-TS checkers, are exercised
  tools::stream_table table(limit, mode, clock, std::size_t{1} << 30);  // no /proc/meminfo read per input
  const auto group = core::ip_address::v4(239, 1, 1, 1);
  table.joined(group, 5000, core::kernel_time(std::chrono::nanoseconds(in.take<std::int64_t>())));
  std::uint64_t datagrams = 0, packets = 0, bytes = 0, ends = 0, all_bytes = 0;
  std::array<std::byte, 1500> payload{};
  for (int i = 0; i < 256 && !in.empty(); ++i) {
    const auto kind = in.take<std::uint8_t>();
    const auto source = core::ip_address::v4(10, 77, 0, static_cast<std::uint8_t>(kind & 7));
    const auto arrival = core::kernel_time(std::chrono::nanoseconds(in.take<std::int64_t>()));
    std::size_t length = 0;
    if (kind & 0x80) {
      // A header with fuzzed fields (the decoder's checks pass), then padding.
      feed::test_header h{.flags = in.take<std::uint8_t>(), .sender_id = in.take<std::uint32_t>(),
                           .session = in.take<std::uint32_t>(), .sequence = in.take<std::uint64_t>(),
                           .send_time_ns = in.take<std::uint64_t>(), .length = in.take<std::uint32_t>()};
      length = feed::test_header::size + in.take<std::uint8_t>();
      if (!h.build(payload)) std::abort();  // 1500 bytes: room for the 40
    } else if (kind & 0x40) {
      // MoldUDP64: a fuzzed session (printable or not), sequence and messages; count 0 or 0xFFFF sometimes.
      std::array<char, 10> name{};
      for (auto& c : name) c = static_cast<char>(0x20 + in.take<std::uint8_t>() % 0x5f);
      auto session = feed::moldudp64::session_id::make(std::string_view(name.data(), 1 + (kind & 7))).value();
      const auto first = in.take<std::uint64_t>();
      const auto what = in.take<std::uint8_t>();
      if (what == 0) {
        length = feed::moldudp64::build_end_of_session(payload, session, first).value();
      } else {
        auto p = feed::moldudp64::packet_builder::start(payload, session, first).value();
        for (int m = 0; m < what % 40; ++m) (void)p.append(std::as_bytes(in.bytes(in.take<std::uint8_t>() % 32)));
        length = p.size();
      }
    } else if (kind & 0x20) {
      // RTP with fuzzed fields; payload type 33 carries fuzzed transport packets.
      const auto pt = static_cast<std::uint8_t>(in.take<std::uint8_t>() & 0x7f);
      std::array<std::byte, 188 * 3> body{};
      const auto raw = in.bytes(body.size());
      std::memcpy(body.data(), raw.data(), raw.size());
      for (std::size_t at = 0; at < body.size(); at += 188) {
        if ((kind & 8) == 0) body[at] = std::byte{0x47};
      }
      const auto n = in.take<std::uint16_t>() % (body.size() + 1);
      length = feed::rtp::build(payload,
                                {.payload_type = pt, .sequence = in.take<std::uint16_t>(),
                                 .timestamp = in.take<std::uint32_t>(), .ssrc = in.take<std::uint32_t>() & 3},
                                std::span<const std::byte>(body.data(), n))
                   .value();
    } else if (kind & 0x10) {
      // MPEG-TS: 1 to 7 packets of fuzzed headers, mostly with the sync byte.
      const std::size_t count = 1 + in.take<std::uint8_t>() % 7;
      for (std::size_t p = 0; p < count; ++p) {
        const auto raw = in.bytes(188);
        std::memset(payload.data() + p * 188, 0xff, 188);
        std::memcpy(payload.data() + p * 188, raw.data(), raw.size());
        if ((kind & 8) == 0) payload[p * 188] = std::byte{0x47};
      }
      length = count * 188;
    } else {
      const auto raw = in.bytes(in.take<std::uint8_t>());
      std::memcpy(payload.data(), raw.data(), raw.size());
      length = raw.size();
    }
    const auto a = table.add(group, 5000, source, std::span<const std::byte>(payload.data(), length), arrival,
                             static_cast<int>(in.take<std::uint8_t>()) - 1, static_cast<int>(in.take<std::uint8_t>()) - 1,
                             in.take<std::uint8_t>(), static_cast<std::uint16_t>(in.take<std::uint8_t>() % 3));
    const tools::packet_view p{1.0, source, group, 5000, length, 1, 0, 1};
    (void)tools::packet_json(p, a, tools::interface_json(1, "lo")).dump();
    (void)tools::packet_text(p, a, "lo");
    ++datagrams;
    all_bytes += length;
    if (a.untracked) continue;
    if (a.is_end()) {
      ++ends;
      continue;
    }
    ++packets;
    bytes += length;
  }
  if (table.streams().size() > limit) std::abort();
  std::size_t checkers = 0;
  for (const auto& [key, s] : table.streams()) checkers += s.mpegts ? 1 : 0;
  if (checkers > limit / tools::stream_table::streams_per_mpegts) std::abort();
  if (mode != tools::payload_mode::auto_detect) {
    // Nothing is held: each datagram is where add() said, at once.
    const auto sum = table.sum();
    if (table.held() != 0 || sum.packets != packets || sum.bytes != bytes) std::abort();
  }
  table.settle();
  const auto sum = table.sum();
  if (table.held() != 0) std::abort();
  if (sum.packets + ends + table.untracked() != datagrams || sum.bytes > all_bytes) std::abort();
  const double ratio = table.loss_ratio();
  if (!(ratio >= 0.0 && ratio <= 1.0)) std::abort();
  // Every stream its own datagrams contest is among the table's conflicts.
  const auto conflicts = table.conflicts();
  for (const auto& [key, s] : table.streams()) {
    if (tools::conflict_of(key, s) && !conflicts.contains(key)) std::abort();
  }
  for (const auto& [key, s] : table.streams()) {
    tools::totals before{};
    if (tools::lost_in_doubt(key, s) > tools::totals_of(key, s).lost) std::abort();
    const auto c = conflicts.find(key);
    const auto j = tools::stream_json(key, s, tools::interface_json(s.interface_index, "x"),
                                      c != conflicts.end() ? &c->second : nullptr);
    (void)tools::stream_delta_json(key, s, before, 0.5, tools::interface_json(0, ""));
    if (tools::csv_row("summary", 1.0, j).empty() || tools::stream_text(j).empty()) std::abort();
    (void)j.dump();
  }
  return 0;
}
