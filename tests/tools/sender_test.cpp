// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// mcast-send's batches without sockets: which headers a batch holds for an
// order (faults applied), a batch size and what the pacer allows; the END
// of an order; send times read per datagram.

#include <gtest/gtest.h>

#include <vector>

#include <mcnet/tools/pacer.hpp>
#include <mcnet/tools/sender.hpp>
#include <mcnet/feed/test_header.hpp>

namespace tools = mcnet::tools;
namespace feed = mcnet::feed;

namespace {

std::uint64_t fake_now() {
  static std::uint64_t t = 1000;
  return ++t;
}

tools::send_target target(std::uint64_t count, tools::faults f = {}) {
  tools::send_target t;
  t.order = tools::send_order::make(count, f).value();
  return t;
}

std::vector<feed::test_header> headers(std::span<const mcnet::core::message> batch) {
  std::vector<feed::test_header> out;
  for (const auto& m : batch) {
    auto h = feed::test_header::parse(std::span<const std::byte>(m.buffer.data(), m.size));
    EXPECT_TRUE(h.has_value());
    if (h) out.push_back(*h);
  }
  return out;
}

std::vector<std::uint64_t> sequences(std::span<const mcnet::core::message> batch) {
  std::vector<std::uint64_t> out;
  for (const auto& h : headers(batch)) out.push_back(h.sequence);
  return out;
}

TEST(SendBatch, HeadersCarryTheRunAndItsOrder) {
  tools::batch_builder b(4, 120, 77, 5, fake_now);
  auto t = target(10);
  const auto batch = b.fill(t, tools::pacer::unlimited);
  ASSERT_EQ(batch.size(), 4u) << "a full batch when nothing limits it";
  const auto hs = headers(batch);
  for (std::size_t i = 0; i < hs.size(); ++i) {
    EXPECT_EQ(batch[i].size, 120u);
    EXPECT_EQ(hs[i].sender_id, 77u);
    EXPECT_EQ(hs[i].session, 5u);
    EXPECT_EQ(hs[i].length, 120u);
    EXPECT_EQ(hs[i].sequence, i);
    EXPECT_FALSE(hs[i].is_end());
    if (i > 0) {
      EXPECT_GT(hs[i].send_time_ns, hs[i - 1].send_time_ns) << "a send time per datagram";
    }
  }
  EXPECT_FALSE(t.done);
}

TEST(SendBatch, ThePacerLimitsTheBatch) {
  tools::batch_builder b(32, 40, 1, 1, fake_now);
  auto t = target(100);
  EXPECT_EQ(sequences(b.fill(t, 3)), (std::vector<std::uint64_t>{0, 1, 2}));
  EXPECT_EQ(sequences(b.fill(t, 1)), (std::vector<std::uint64_t>{3}));
  EXPECT_EQ(b.fill(t, 0).size(), 0u);
  EXPECT_EQ(sequences(b.fill(t, 2)), (std::vector<std::uint64_t>{4, 5}));
}

TEST(SendBatch, FaultsShapeTheBatches) {
  tools::batch_builder b(5, 40, 1, 1, fake_now);
  auto dropped = target(12, {.drop_every = 4});
  std::vector<std::uint64_t> all;
  while (!dropped.done) {
    for (auto s : sequences(b.fill(dropped, 5))) all.push_back(s);
  }
  EXPECT_EQ(all, (std::vector<std::uint64_t>{0, 1, 2, 4, 5, 6, 8, 9, 10})) << "3, 7, 11 not sent";
  EXPECT_EQ(dropped.order->issued(), 12u) << "what the END marker carries";
  auto reordered = target(6, {.reorder_every = 3});
  EXPECT_EQ(sequences(b.fill(reordered, 5)), (std::vector<std::uint64_t>{0, 1, 3, 2, 4}));
  auto duplicated = target(4, {.dup_every = 2});
  EXPECT_EQ(sequences(b.fill(duplicated, 5)), (std::vector<std::uint64_t>{0, 1, 1, 2, 3}));
}

TEST(SendBatch, TheEndOfTheOrderEndsTheTarget) {
  tools::batch_builder b(8, 40, 1, 1, fake_now);
  auto t = target(3);
  EXPECT_EQ(sequences(b.fill(t, 8)), (std::vector<std::uint64_t>{0, 1, 2}));
  EXPECT_TRUE(t.done) << "the order ran out inside the batch";
  EXPECT_EQ(b.fill(t, 8).size(), 0u);
}

}  // namespace

TEST(DelayQueue, HoldsCopiesUntilDueInOrderWithinItsCapacity) {
  tools::delay_queue q(100);
  EXPECT_EQ(q.capacity(), tools::delay_queue::max_datagrams);
  EXPECT_EQ(tools::delay_queue(65507).capacity(), tools::delay_queue::max_bytes / 65507) << "64 MiB of big datagrams";
  EXPECT_FALSE(q.next_due().has_value());
  std::vector<std::byte> bytes(100);
  for (std::size_t i = 0; i < 5; ++i) {
    bytes[0] = static_cast<std::byte>(i);
    q.push(std::span<const std::byte>(bytes.data(), 10 + i), 1000 + static_cast<std::int64_t>(i) * 100);
  }
  EXPECT_EQ(q.size(), 5u);
  EXPECT_EQ(q.next_due(), 1000);
  EXPECT_TRUE(q.due(999, 32).empty()) << "nothing is due before its time";
  auto ready = q.due(1250, 32);
  ASSERT_EQ(ready.size(), 3u);
  EXPECT_EQ(ready[2].size, 12u);
  EXPECT_EQ(ready[2].buffer[0], std::byte{2});
  EXPECT_EQ(q.due(1250, 2).size(), 2u) << "at most the limit";
  q.pop(2);
  EXPECT_EQ(q.next_due(), 1200);
  EXPECT_EQ(q.due(10'000, 32).size(), 3u);
}

TEST(DelayQueue, WrapsAroundWhenFull) {
  // Three copies of 30 MB: 64 MiB holds two.
  tools::delay_queue q(30'000'000);
  ASSERT_EQ(q.capacity(), 2u);
  std::vector<std::byte> bytes(8);
  for (std::uint8_t i = 0; i < 6; ++i) {
    if (q.full()) q.pop(1);  // what send_all does: the oldest goes out early
    bytes[0] = std::byte{i};
    q.push(bytes, i);
  }
  const auto ready = q.due(100, 32);
  ASSERT_EQ(ready.size(), 2u);
  EXPECT_EQ(ready[0].buffer[0], std::byte{4});
  EXPECT_EQ(ready[1].buffer[0], std::byte{5});
}
