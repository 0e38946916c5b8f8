// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// RTP packets (RFC 3550 5.1, 5.3.1): hand-made bytes, round trips through
// the builder, every malformed form.

#include <gtest/gtest.h>

#include <array>
#include <cstddef>
#include <span>
#include <vector>

#include <mcnet/feed/rtp.hpp>

#include "wire.hpp"

namespace {

namespace rtp = mcnet::feed::rtp;
using namespace mcnet::feed::test;
using mcnet::errc;

// V=2, PT 96, sequence 0x1234, timestamp 0x11223344, SSRC 0xdeadbeef, payload "abc".
const auto kPlain = bytes({0x80, 96, 0x12, 0x34, 0x11, 0x22, 0x33, 0x44, 0xde, 0xad, 0xbe, 0xef, 'a', 'b', 'c'});
// V=2, P, X, CC=2, marker, PT 33, sequence 7, timestamp 90000, SSRC 1; CSRCs
// 0x0a0b0c0d and 2; extension profile 0xbede of 1 word; payload "xy"; 3
// bytes of padding.
const auto kFull = bytes({0xb2, 0x80 | 33, 0, 7, 0, 0x01, 0x5f, 0x90, 0, 0, 0, 1,  //
                          0x0a, 0x0b, 0x0c, 0x0d, 0, 0, 0, 2,                     //
                          0xbe, 0xde, 0, 1, 0x10, 0x20, 0x30, 0x40,              //
                          'x', 'y', 0, 0, 3});

TEST(Rtp, ParsesAPlainHandMadePacket) {
  auto p = rtp::packet_view::parse(kPlain);
  ASSERT_TRUE(p) << p.error().message();
  EXPECT_FALSE(p->marker());
  EXPECT_EQ(p->payload_type(), 96);
  EXPECT_EQ(p->sequence(), 0x1234);
  EXPECT_EQ(p->timestamp(), 0x11223344u);
  EXPECT_EQ(p->ssrc(), 0xdeadbeefu);
  EXPECT_EQ(p->csrc_count(), 0u);
  EXPECT_FALSE(p->header_extension());
  EXPECT_FALSE(p->has_padding());
  EXPECT_EQ(p->padding(), 0u);
  EXPECT_EQ(p->header_size(), 12u);
  EXPECT_TRUE(same(p->payload(), text("abc")));
  EXPECT_EQ(p->payload().data(), kPlain.data() + 12) << "a view into the packet";
}

TEST(Rtp, ParsesCsrcsExtensionMarkerAndPadding) {
  auto p = rtp::packet_view::parse(kFull);
  ASSERT_TRUE(p) << p.error().message();
  EXPECT_TRUE(p->marker());
  EXPECT_EQ(p->payload_type(), 33);
  EXPECT_EQ(p->sequence(), 7);
  EXPECT_EQ(p->timestamp(), 90000u);
  EXPECT_EQ(p->ssrc(), 1u);
  ASSERT_EQ(p->csrc_count(), 2u);
  EXPECT_EQ(p->csrc(0), 0x0a0b0c0du);
  EXPECT_EQ(p->csrc(1), 2u);
  auto x = p->header_extension();
  ASSERT_TRUE(x);
  EXPECT_EQ(x->profile, 0xbede);
  EXPECT_TRUE(same(x->data, bytes({0x10, 0x20, 0x30, 0x40})));
  EXPECT_TRUE(p->has_padding());
  EXPECT_EQ(p->padding(), 3u);
  EXPECT_EQ(p->header_size(), 28u);
  EXPECT_TRUE(same(p->payload(), text("xy")));
}

TEST(Rtp, AnEmptyPayloadAndAllPaddingAreFine) {
  auto header_only = std::vector<std::byte>(kPlain.begin(), kPlain.begin() + 12);
  auto p = rtp::packet_view::parse(header_only);
  ASSERT_TRUE(p);
  EXPECT_TRUE(p->payload().empty());
  auto padded = header_only + bytes({0, 2});
  padded[0] = std::byte{0xa0};
  p = rtp::packet_view::parse(padded);
  ASSERT_TRUE(p) << p.error().message();
  EXPECT_EQ(p->padding(), 2u);
  EXPECT_TRUE(p->payload().empty());
  auto empty_extension = header_only + bytes({0, 5, 0, 0});
  empty_extension[0] = std::byte{0x90};
  p = rtp::packet_view::parse(empty_extension);
  ASSERT_TRUE(p) << p.error().message();
  EXPECT_EQ(p->header_extension()->profile, 5);
  EXPECT_TRUE(p->header_extension()->data.empty());
}

TEST(Rtp, EveryLengthShortOfTheFixedHeaderIsRefused) {
  expect_too_short(rtp::packet_view::parse, kPlain, rtp::fixed_header_size, "rtp packet");
}

TEST(Rtp, VersionsOtherThanTwoAreRefused) {
  for (unsigned v : {0u, 1u, 3u}) {
    auto bad = kPlain;
    bad[0] = static_cast<std::byte>(v << 6);
    auto r = rtp::packet_view::parse(bad);
    EXPECT_EQ(field(r), "version");
    EXPECT_EQ(r.error().number(), static_cast<std::int64_t>(v));
  }
}

TEST(Rtp, EachCutOfTheFullPacketNamesWhatRanOut) {
  // Bytes 12..19 are the CSRCs, 20..23 the extension header, 24..27 its data;
  // with P set, a cut packet's last byte is read as the pad count.
  for (std::size_t n = 12; n < kFull.size(); ++n) {
    auto r = rtp::packet_view::parse(std::span(kFull).first(n));
    ASSERT_FALSE(r) << n;
    const char* expected = n < 20 ? "CSRC count" : n < 24 ? "extension" : n < 28 ? "extension length" : "padding";
    EXPECT_EQ(r.error().what, expected) << n;
  }
  auto r = rtp::packet_view::parse(std::span(kFull).first(19));
  EXPECT_EQ(r.error().number(), 2) << "the CSRC count";
  r = rtp::packet_view::parse(std::span(kFull).first(27));
  EXPECT_EQ(r.error().number(), 1) << "the extension length in words";
}

// try_parse: the same verdicts and payload as parse, without the error.
TEST(Rtp, TryParseTakesWhatParseTakes) {
  for (const auto& good : {kPlain, kFull}) {
    const auto t = rtp::packet_view::try_parse(good);
    ASSERT_TRUE(t.has_value());
    EXPECT_EQ(t->payload().data(), rtp::packet_view::parse(good)->payload().data());
    EXPECT_EQ(t->payload().size(), rtp::packet_view::parse(good)->payload().size());
  }
  for (std::size_t n = 0; n < kFull.size(); ++n) {
    const auto cut = std::span(kFull).first(n);
    EXPECT_EQ(rtp::packet_view::try_parse(cut).has_value(), rtp::packet_view::parse(cut).has_value()) << n;
  }
  auto v1 = kPlain;
  v1[0] = std::byte{0x40};
  EXPECT_FALSE(rtp::packet_view::try_parse(v1).has_value());
}

TEST(Rtp, PaddingMustCountOneOrMoreBytesThatExist) {
  auto zero = kFull;
  zero.back() = std::byte{0};
  auto r = rtp::packet_view::parse(zero);
  EXPECT_EQ(field(r), "padding");
  EXPECT_EQ(r.error().number(), 0);
  auto all = kFull;
  all.back() = std::byte{5};  // "xy" and the 3 padding bytes: all after the headers
  auto p = rtp::packet_view::parse(all);
  ASSERT_TRUE(p) << p.error().message();
  EXPECT_TRUE(p->payload().empty());
  auto past = kFull;
  past.back() = std::byte{6};  // one byte into the extension
  r = rtp::packet_view::parse(past);
  EXPECT_EQ(field(r), "padding");
  EXPECT_EQ(r.error().number(), 6);
  auto nothing = std::vector<std::byte>(kPlain.begin(), kPlain.begin() + 12);
  nothing[0] = std::byte{0xa0};  // P with no byte after the header
  r = rtp::packet_view::parse(nothing);
  EXPECT_EQ(field(r), "padding");
  EXPECT_NE(r.error().message().find("no byte follows the headers"), std::string::npos) << r.error().message();
}

TEST(Rtp, MessagesReadWhenOneOfAUnitIsMissing) {
  auto one_csrc = std::vector<std::byte>(kPlain.begin(), kPlain.begin() + 12);
  one_csrc[0] = std::byte{0x81};  // one CSRC, none there
  auto r = rtp::packet_view::parse(one_csrc);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("the CSRC list (1 CSRC) runs past the end"), std::string::npos)
      << r.error().message();
  r = rtp::packet_view::parse(std::span(kFull).first(27));
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("the extension (1 word) runs past the end"), std::string::npos)
      << r.error().message();
  r = rtp::packet_view::parse(std::span(kFull).first(21));  // X set, 1 byte after the CSRCs
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("the 4-byte extension header is cut short: 1 byte after the CSRCs"),
            std::string::npos)
      << r.error().message();
}

TEST(Rtp, TheBuilderWritesTheHandMadeBytes) {
  std::array<std::byte, 64> out{};
  auto n = rtp::build(out, {.payload_type = 96, .sequence = 0x1234, .timestamp = 0x11223344, .ssrc = 0xdeadbeef},
                      text("abc"));
  ASSERT_TRUE(n) << n.error().message();
  EXPECT_TRUE(same(std::span(out).first(*n), kPlain));

  const std::array<std::uint32_t, 2> csrcs{0x0a0b0c0d, 2};
  const auto data = bytes({0x10, 0x20, 0x30, 0x40});
  const rtp::header_fields full{.marker = true, .payload_type = 33, .sequence = 7, .timestamp = 90000, .ssrc = 1,
                                .csrcs = csrcs, .header_extension = rtp::extension{0xbede, data}, .padding = 3};
  n = rtp::build(out, full, text("xy"));
  ASSERT_TRUE(n) << n.error().message();
  EXPECT_TRUE(same(std::span(out).first(*n), kFull));
}

TEST(Rtp, BuildThenParseGivesTheFieldsBack) {
  std::array<std::byte, 512> out{};
  const std::array<std::uint32_t, 15> csrcs{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
  const std::vector<std::byte> data(8, std::byte{7});
  const std::vector<std::byte> payload(100, std::byte{9});
  const rtp::header_fields f{.marker = true, .payload_type = 127, .sequence = 65535, .timestamp = 0xffffffff,
                             .ssrc = 0x80000000, .csrcs = csrcs, .header_extension = rtp::extension{1, data},
                             .padding = 255};
  auto n = rtp::build(out, f, payload);
  ASSERT_TRUE(n) << n.error().message();
  EXPECT_EQ(*n, 12u + 60u + 12u + 100u + 255u);
  auto p = rtp::packet_view::parse(std::span(out).first(*n));
  ASSERT_TRUE(p) << p.error().message();
  EXPECT_TRUE(p->marker());
  EXPECT_EQ(p->payload_type(), 127);
  EXPECT_EQ(p->sequence(), 65535);
  EXPECT_EQ(p->timestamp(), 0xffffffffu);
  EXPECT_EQ(p->ssrc(), 0x80000000u);
  ASSERT_EQ(p->csrc_count(), 15u);
  for (std::size_t i = 0; i < 15; ++i) EXPECT_EQ(p->csrc(i), csrcs[i]);
  EXPECT_TRUE(same(p->header_extension()->data, data));
  EXPECT_EQ(p->padding(), 255u);
  EXPECT_TRUE(same(p->payload(), payload));
}

TEST(Rtp, TheBuilderRefusesBadFieldsAndShortBuffers) {
  std::array<std::byte, 64> out{};
  out.fill(std::byte{0xee});
  EXPECT_EQ(field(rtp::build(out, {.payload_type = 128}, {})), "payload type");
  const std::array<std::uint32_t, 16> sixteen{};
  EXPECT_EQ(field(rtp::build(out, {.csrcs = sixteen}, {})), "CSRC count");
  const auto three = bytes({1, 2, 3});
  EXPECT_EQ(field(rtp::build(out, {.header_extension = rtp::extension{0, three}}, {})), "extension length");
  const std::vector<std::byte> too_long(4 * 0x10000);
  EXPECT_EQ(field(rtp::build(out, {.header_extension = rtp::extension{0, too_long}}, {})), "extension length");
  for (auto b : out) ASSERT_EQ(b, std::byte{0xee}) << "nothing written";

  const std::array<std::uint32_t, 2> csrcs{1, 2};
  const auto data = bytes({0, 0, 0, 0});
  const rtp::header_fields f{.csrcs = csrcs, .header_extension = rtp::extension{0, data}, .padding = 3};
  const auto payload = text("xy");
  const std::size_t need = 12 + 8 + 8 + 2 + 3;
  for (std::size_t n = 0; n < need; ++n) {
    auto r = rtp::build(std::span(out).first(n), f, payload);
    ASSERT_FALSE(r) << n;
    EXPECT_EQ(r.error().what, "buffer");
    EXPECT_EQ(r.error().number(), static_cast<std::int64_t>(need));
  }
  EXPECT_EQ(rtp::build(std::span(out).first(need), f, payload).value(), need);
}

}  // namespace
