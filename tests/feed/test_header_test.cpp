// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// The header mcast-send writes (docs/tools.md, "Wire header"): layout, round
// trip and every malformed form.

#include <gtest/gtest.h>

#include <array>
#include <cstddef>
#include <span>

#include <mcnet/feed/test_header.hpp>

#include "wire.hpp"

namespace {

namespace feed = mcnet::feed;
using namespace feed::test;
using mcnet::errc;

// sender 0x01020304, session 5, sequence 0x1122334455667788, sent at 42 ns, 1200 bytes, END.
const auto kHeader = bytes({'M', 'C', 'N', '1', 1, 1, 0, 40, 1, 2, 3, 4, 0, 0, 0, 5, 0x11, 0x22, 0x33, 0x44,
                            0x55, 0x66, 0x77, 0x88, 0, 0, 0, 0, 0, 0, 0, 42, 0, 0, 0x04, 0xb0, 0, 0, 0, 0});

TEST(TestHeader, RoundTripAndTheContractLayout) {
  feed::test_header h{.flags = feed::test_header::flag_end, .sender_id = 0x01020304, .session = 0xffffffff,
                       .sequence = 0x1122334455667788ULL, .send_time_ns = 42, .length = 1200};
  std::array<std::byte, 40> b{};
  ASSERT_EQ(h.build(b).value(), 40u);
  EXPECT_EQ(b[0], std::byte{'M'});
  EXPECT_EQ(b[3], std::byte{'1'});
  EXPECT_EQ(b[4], std::byte{1});
  EXPECT_EQ(b[7], std::byte{40}) << "header length, big-endian";
  EXPECT_EQ(b[8], std::byte{0x01});
  EXPECT_EQ(b[12], std::byte{0x7f}) << "the session's high bit is cleared";
  EXPECT_EQ(b[16], std::byte{0x11});
  auto back = feed::test_header::parse(b);
  ASSERT_TRUE(back) << back.error().message();
  EXPECT_EQ(back->session, 0x7fffffffu);
  EXPECT_EQ(back->sequence, h.sequence);
  EXPECT_TRUE(back->is_end());
  EXPECT_FALSE(feed::test_header::parse(std::span(b).first(39))) << "too short: foreign";
  b[0] = std::byte{'X'};
  EXPECT_FALSE(feed::test_header::parse(b)) << "no magic: foreign";
}

TEST(TestHeader, ParsesHandMadeBytesAndIgnoresThePadding) {
  auto datagram = kHeader + bytes({0xaa, 0xbb});
  auto h = feed::test_header::parse(datagram);
  ASSERT_TRUE(h) << h.error().message();
  EXPECT_EQ(h->flags, feed::test_header::flag_end);
  EXPECT_EQ(h->sender_id, 0x01020304u);
  EXPECT_EQ(h->session, 5u);
  EXPECT_EQ(h->sequence, 0x1122334455667788ULL);
  EXPECT_EQ(h->send_time_ns, 42u);
  EXPECT_EQ(h->length, 1200u);
  std::array<std::byte, 40> out{};
  ASSERT_TRUE(h->build(out));
  EXPECT_TRUE(same(out, kHeader)) << "the builder writes the same bytes, reserved zero";
}

TEST(TestHeader, EachMalformedFormNamesItsField) {
  expect_too_short(feed::test_header::parse, kHeader, feed::test_header::size, "test header");
  auto bad = kHeader;
  bad[3] = std::byte{'2'};
  EXPECT_EQ(field(feed::test_header::parse(bad)), "magic");
  bad = kHeader;
  bad[4] = std::byte{2};
  auto r = feed::test_header::parse(bad);
  EXPECT_EQ(field(r), "version");
  EXPECT_EQ(r.error().number(), 2);
  bad = kHeader;
  bad[7] = std::byte{44};
  r = feed::test_header::parse(bad);
  EXPECT_EQ(field(r), "header length");
  EXPECT_EQ(r.error().number(), 44);
  EXPECT_NE(r.error().message().find("the header length is 40"), std::string::npos) << r.error().message();
}

// try_parse: the same verdicts and fields as parse, without the error.
TEST(TestHeader, TryParseTakesWhatParseTakes) {
  const auto ok = feed::test_header::try_parse(kHeader);
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(*ok, *feed::test_header::parse(kHeader));
  for (std::size_t at : {3u, 4u, 7u}) {
    auto bad = kHeader;
    bad[at] = std::byte{0x77};
    EXPECT_FALSE(feed::test_header::try_parse(bad).has_value()) << at;
    EXPECT_FALSE(feed::test_header::parse(bad).has_value()) << at;
  }
  EXPECT_FALSE(feed::test_header::try_parse(std::span(kHeader).first(39)).has_value());
}

TEST(TestHeader, BuildRefusesAShortBufferAndWritesNothing) {
  std::array<std::byte, 39> small{};
  small.fill(std::byte{0xee});
  auto r = feed::test_header{}.build(small);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().what, "buffer");
  EXPECT_EQ(r.error().number(), 39);
  for (auto b : small) EXPECT_EQ(b, std::byte{0xee});
}

}  // namespace
