// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// The tools' per-datagram paths allocate nothing once a stream is known:
// mcast-send's batch builder for every payload, and mcast-recv's receive
// session (stream table, sequence tracking, latency and jitter, payload
// analysis, stall watch) for the datagrams it builds. Counted with the
// tests' counting allocator (tests/support/alloc_counter.hpp) over
// thousands of datagrams after a warm-up that makes each stream.

#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <mcnet/core/message.hpp>
#include <mcnet/tools/pacer.hpp>
#include <mcnet/tools/payload.hpp>
#include <mcnet/tools/receiver.hpp>
#include <mcnet/tools/send_options.hpp>
#include <mcnet/tools/sender.hpp>
#include <mcnet/tools/stream_table.hpp>

#include "alloc_counter.hpp"

namespace core = mcnet::core;
namespace tools = mcnet::tools;
using namespace std::chrono_literals;

namespace {

const auto kGroup = core::ip_address::v4(239, 1, 1, 1);
const auto kSource = core::ip_address::v4(10, 77, 0, 1);
constexpr std::uint16_t kPort = 5000;
constexpr std::size_t kBatch = 32;
constexpr std::uint64_t kDatagrams = 20'000;

std::uint64_t clock_ns() {
  static std::uint64_t t = 1'000'000'000;
  return t += 10'000;  // 100 kpps
}

tools::send_settings settings(std::vector<std::string> args) {
  args.push_back("239.1.1.1:5000");
  auto c = tools::parse_send_command_line(args);
  EXPECT_TRUE(c.has_value()) << (c ? "" : c.error().message);
  return c ? c->settings : tools::send_settings{};
}

tools::send_target target(const tools::send_settings& s, std::uint64_t count) {
  tools::send_target t;
  t.order = tools::send_order::make(count, {}).value();
  if (s.payload.kind != tools::payload_kind::mcnet) {
    t.stream.emplace(s.payload, s.size, tools::rtp_start{.ssrc = 0xcafe0001, .sequence = 100, .timestamp = 5000});
  }
  return t;
}

struct payload_case {
  const char* name;
  std::vector<std::string> args;
};

std::vector<payload_case> cases() {
  return {{"mcnet", {}},
          {"moldudp64", {"--payload", "moldudp64", "--messages", "3"}},
          {"rtp", {"--payload", "rtp"}},
          {"mpegts", {"--payload", "mpegts"}}};
}

// mcast-recv's session on a fake clock, printing into strings (no
// --show-packets: one output line per interval, not per datagram).
struct session_fixture {
  tools::recv_settings settings;
  std::ostringstream out, err;
  std::chrono::steady_clock::time_point now{};
  std::unique_ptr<tools::reporter> rep;
  std::unique_ptr<tools::stream_table> table;
  std::unique_ptr<tools::receive_session> session;
  std::uint32_t drops_seen = 0;

  session_fixture() {
    rep = std::make_unique<tools::reporter>("mcast-recv", settings.format(), out, err);
    table = std::make_unique<tools::stream_table>(static_cast<std::size_t>(settings.max_streams),
                                                  tools::payload_mode::auto_detect, std::nullopt, std::nullopt);
    session = std::make_unique<tools::receive_session>(
        settings, *rep, *table, [] { return tools::socket_drops{}; }, [this] { return now; });
    session->start();
  }
};

// Copies of a sender's batch as read_batch fills them: the receiver's own
// buffers, the destination, TTL, TOS, ingress interface and kernel time.
class receive_copy {
 public:
  explicit receive_copy(std::size_t size) : arena_(kBatch * size), size_(size) {}

  std::span<const core::message> take(std::span<const core::message> sent, std::int64_t arrival_ns) {
    for (std::size_t i = 0; i < sent.size(); ++i) {
      std::memcpy(arena_.data() + i * size_, sent[i].buffer.data(), sent[i].size);
      auto& m = messages_[i];
      m = core::message{.buffer = std::span<std::byte>(arena_.data() + i * size_, size_), .size = sent[i].size};
      m.wire_size = sent[i].size;
      m.peer = core::endpoint(kSource, 4000);
      m.info.destination = kGroup;
      m.info.hop_limit = 3;
      m.info.traffic_class = 0;
      m.info.interface_index = 2;
      m.info.software_time = core::kernel_time(std::chrono::nanoseconds(arrival_ns + static_cast<std::int64_t>(i) * 10'000));
    }
    return {messages_.data(), sent.size()};
  }

 private:
  std::vector<std::byte> arena_;
  std::size_t size_;
  std::array<core::message, kBatch> messages_{};
};

TEST(HotPathAllocations, SendBatchesAllocateNothingPerDatagram) {
  for (const auto& c : cases()) {
    SCOPED_TRACE(c.name);
    const auto s = settings(c.args);
    tools::batch_builder b(kBatch, s.size, 1, 1, clock_ns);
    auto t = target(s, kDatagrams + kBatch);
    ASSERT_EQ(b.fill(t, tools::pacer::unlimited).size(), kBatch) << "warm-up";
    std::uint64_t built = 0;
    mcnet::test::allocation_scope scope;
    while (built < kDatagrams && !t.done) built += b.fill(t, tools::pacer::unlimited).size();
    const auto allocations = scope.count();
    EXPECT_EQ(built, kDatagrams);
    EXPECT_EQ(allocations, 0u) << "allocations over " << built << " datagrams";
  }
}

// trial20g 15: the B line's delay queue made its first block (about 1 MiB,
// zeroed) at the first copy, which held that copy and A's next datagrams
// back 6-16 ms on a loaded host. It is made with the queue now: the first
// block's worth of copies, queued and sent a batch at a time, allocate
// nothing.
TEST(HotPathAllocations, TheBLinesDelayQueueHasItsFirstBlockBeforeTheFirstCopy) {
  tools::delay_queue q(100);
  std::array<std::byte, 100> datagram{};
  mcnet::test::allocation_scope scope;
  for (std::int64_t i = 0; i < 5000; ++i) {
    q.push(datagram, i);
    if (i % 32 == 31) q.pop(q.due(i, 32).size());
  }
  EXPECT_EQ(scope.count(), 0u);
  EXPECT_EQ(q.size(), 5000u % 32u);
}

TEST(HotPathAllocations, TheReceiveSessionAllocatesNothingPerDatagramOfAKnownStream) {
  for (const auto& c : cases()) {
    SCOPED_TRACE(c.name);
    const auto s = settings(c.args);
    tools::batch_builder b(kBatch, s.size, 1, 1, clock_ns);
    auto t = target(s, kDatagrams + 4 * kBatch);
    session_fixture f;
    receive_copy rx(s.size);
    std::int64_t arrival = 2'000'000'000;
    // Warm-up: the stream, its trackers and the stall watch's flow are made.
    for (int i = 0; i < 4; ++i) {
      const auto batch = rx.take(b.fill(t, tools::pacer::unlimited), arrival);
      f.session->handle(batch, kPort, f.drops_seen);
      arrival += 320'000;
    }
    std::uint64_t handled = 0;
    mcnet::test::allocation_scope scope;
    while (handled < kDatagrams && !t.done) {
      const auto batch = rx.take(b.fill(t, tools::pacer::unlimited), arrival);
      f.session->handle(batch, kPort, f.drops_seen);
      handled += batch.size();
      arrival += 320'000;
    }
    const auto allocations = scope.count();
    EXPECT_EQ(handled, kDatagrams);
    EXPECT_EQ(allocations, 0u) << "allocations over " << handled << " datagrams";
    // The datagrams were counted as their protocol, without loss.
    const auto sum = f.table->sum();
    EXPECT_EQ(sum.packets, kDatagrams + 4 * kBatch);
    EXPECT_EQ(sum.lost, 0u);
    ASSERT_EQ(f.table->streams().size(), 1u);
    EXPECT_EQ(tools::payload_name(f.table->streams().begin()->first.payload), std::string(c.name));
  }
}

}  // namespace
