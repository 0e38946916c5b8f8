// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// Fuzz mcast-recv's accounting with what anyone on a LAN can send: foreign
// payloads and headers with any sender, session, sequence number and send
// time, arriving at any kernel time. Never undefined behaviour (UBSan), and
// the totals hold: packets are the datagrams that were not END markers (nor
// past the stream limit), bytes their sizes, every stream reports in JSON, CSV and text.

#include <array>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <span>
#include <vector>

#include <mcnet/tools/report.hpp>
#include <mcnet/tools/stream_table.hpp>
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
  tools::stream_table table(8);  // small: streams past the limit are exercised too
  const auto group = core::ip_address::v4(239, 1, 1, 1);
  table.joined(group, 5000, core::kernel_time(std::chrono::nanoseconds(in.take<std::int64_t>())));
  std::uint64_t packets = 0, bytes = 0;
  std::array<std::byte, 1500> payload{};
  for (int i = 0; i < 256 && !in.empty(); ++i) {
    const auto kind = in.take<std::uint8_t>();
    const auto source = core::ip_address::v4(10, 77, 0, static_cast<std::uint8_t>(kind & 3));
    const auto arrival = core::kernel_time(std::chrono::nanoseconds(in.take<std::int64_t>()));
    std::size_t length = 0;
    if (kind & 0x80) {
      // A header with fuzzed fields (the decoder's checks pass), then padding.
      feed::test_header h{.flags = in.take<std::uint8_t>(), .sender_id = in.take<std::uint32_t>(),
                           .session = in.take<std::uint32_t>(), .sequence = in.take<std::uint64_t>(),
                           .send_time_ns = in.take<std::uint64_t>(), .length = in.take<std::uint32_t>()};
      length = feed::test_header::size + in.take<std::uint8_t>();
      if (!h.build(payload)) std::abort();  // 1500 bytes: room for the 40
    } else {
      const auto raw = in.bytes(in.take<std::uint8_t>());
      std::memcpy(payload.data(), raw.data(), raw.size());
      length = raw.size();
    }
    const auto a = table.add(group, 5000, source, std::span<const std::byte>(payload.data(), length), arrival,
                             static_cast<int>(in.take<std::uint8_t>()) - 1, static_cast<int>(in.take<std::uint8_t>()) - 1,
                             in.take<std::uint8_t>());
    const tools::packet_view p{1.0, source, group, 5000, length, 1, 0, 1};
    (void)tools::packet_json(p, a, tools::interface_json(1, "lo")).dump();
    (void)tools::packet_text(p, a, "lo");
    if (a.is_end() || a.untracked) continue;
    ++packets;
    bytes += length;
  }
  const auto sum = table.sum();
  if (sum.packets != packets || sum.bytes != bytes) std::abort();
  const double ratio = table.loss_ratio();
  if (!(ratio >= 0.0 && ratio <= 1.0)) std::abort();
  for (const auto& [key, s] : table.streams()) {
    tools::totals before{};
    const auto j = tools::stream_json(key, s, 1.5, tools::interface_json(s.interface_index, "x"));
    (void)tools::stream_delta_json(key, s, before, 0.5, tools::interface_json(0, ""));
    if (tools::csv_row("summary", 1.0, j).empty() || tools::stream_text(j).empty()) std::abort();
    (void)j.dump();
  }
  return 0;
}
