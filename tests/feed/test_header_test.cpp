// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// The header mcast-send writes (docs/tools.md, "Wire header"): layout and round trip.

#include <gtest/gtest.h>

#include <array>
#include <cstddef>
#include <span>

#include <mcnet/feed/test_header.hpp>

namespace {

namespace feed = mcnet::feed;

TEST(TestHeader, RoundTripAndTheContractLayout) {
  feed::test_header h{.flags = feed::test_header::flag_end, .sender_id = 0x01020304, .session = 0xffffffff,
                       .sequence = 0x1122334455667788ULL, .send_time_ns = 42, .length = 1200};
  std::array<std::byte, 40> b{};
  h.encode(b);
  EXPECT_EQ(b[0], std::byte{'M'});
  EXPECT_EQ(b[3], std::byte{'1'});
  EXPECT_EQ(b[4], std::byte{1});
  EXPECT_EQ(b[7], std::byte{40}) << "header length, big-endian";
  EXPECT_EQ(b[8], std::byte{0x01});
  EXPECT_EQ(b[12], std::byte{0x7f}) << "the session's high bit is cleared";
  EXPECT_EQ(b[16], std::byte{0x11});
  auto back = feed::test_header::decode(b);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->session, 0x7fffffffu);
  EXPECT_EQ(back->sequence, h.sequence);
  EXPECT_TRUE(back->is_end());
  EXPECT_FALSE(feed::test_header::decode(std::span(b).first(39))) << "too short: foreign";
  b[0] = std::byte{'X'};
  EXPECT_FALSE(feed::test_header::decode(b)) << "no magic: foreign";
}

}  // namespace
