// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// ipv4::header: parse and marshal, checksums, every malformed field.

#include <gtest/gtest.h>

#include <array>
#include <vector>

#include <mcnet/ipv4/header.hpp>

namespace ipv4 = mcnet::ipv4;
namespace core = mcnet::core;
using mcnet::errc;

namespace {

std::vector<std::byte> bytes(std::initializer_list<unsigned> v) {
  std::vector<std::byte> out;
  for (unsigned b : v) out.push_back(static_cast<std::byte>(b));
  return out;
}

// A textbook header (UDP, DF, TTL 64) with its known checksum 0xb861.
const auto kTextbook = bytes({0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11, 0xb8, 0x61, 0xc0, 0xa8,
                              0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7});

TEST(Ipv4Header, ParsesATextbookHeader) {
  auto h = ipv4::header::parse(kTextbook);
  ASSERT_TRUE(h) << h.error().message();
  EXPECT_EQ(h->version, 4);
  EXPECT_EQ(h->length, 20u);
  EXPECT_EQ(h->tos, 0);
  EXPECT_EQ(h->total_length, 0x73u);
  EXPECT_EQ(h->id, 0);
  EXPECT_TRUE(has(h->flags, ipv4::header_flags::dont_fragment));
  EXPECT_FALSE(has(h->flags, ipv4::header_flags::more_fragments));
  EXPECT_EQ(h->fragment_offset, 0);
  EXPECT_EQ(h->ttl, 64);
  EXPECT_EQ(h->protocol, 17);
  EXPECT_EQ(h->checksum, 0xb861);
  EXPECT_EQ(h->source.to_string(), "192.168.0.1");
  EXPECT_EQ(h->destination.to_string(), "192.168.0.199");
  EXPECT_TRUE(ipv4::header::checksum_ok(kTextbook));
  EXPECT_EQ(h->options_length, 0u);
}

TEST(Ipv4Header, MarshalReproducesItAndComputesTheChecksum) {
  auto h = ipv4::header::parse(kTextbook).value();
  std::array<std::byte, 60> out{};
  auto n = h.marshal(out);
  ASSERT_TRUE(n) << n.error().message();
  ASSERT_EQ(*n, 20u);
  EXPECT_TRUE(std::equal(kTextbook.begin(), kTextbook.end(), out.begin()));

  h.ttl = 1;  // any change: a fresh, valid checksum
  h.total_length = 0;
  ASSERT_TRUE(h.marshal(out, 100));
  EXPECT_TRUE(ipv4::header::checksum_ok(std::span(out).first(20)));
  EXPECT_EQ(ipv4::header::parse(out).value().total_length, 120u) << "filled from the payload size";
}

TEST(Ipv4Header, OptionsFlagsAndFragmentsRoundTrip) {
  ipv4::header h;
  h.tos = 0xb8;
  h.id = 0xbeef;
  h.flags = ipv4::header_flags::more_fragments;
  h.fragment_offset = 8191;
  h.ttl = 255;
  h.protocol = 1;
  h.source = core::ip_address::v4(10, 77, 0, 1);
  h.destination = core::ip_address::v4(239, 255, 0, 1);
  h.options_length = 4;
  h.options[0] = std::byte{0x94};  // router alert, as IGMP sends it
  h.options[1] = std::byte{0x04};
  std::array<std::byte, 60> out{};
  auto n = h.marshal(out, 8);
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 24u);
  auto back = ipv4::header::parse(std::span(out).first(*n));
  ASSERT_TRUE(back) << back.error().message();
  EXPECT_EQ(back->length, 24u);
  EXPECT_EQ(back->tos, 0xb8);
  EXPECT_EQ(back->id, 0xbeef);
  EXPECT_TRUE(has(back->flags, ipv4::header_flags::more_fragments));
  EXPECT_EQ(back->fragment_offset, 8191);
  EXPECT_EQ(back->ttl, 255);
  EXPECT_EQ(back->destination, h.destination);
  ASSERT_EQ(back->options_length, 4u);
  EXPECT_EQ(back->options[0], std::byte{0x94});
  EXPECT_TRUE(ipv4::header::checksum_ok(std::span(out).first(*n)));
}

TEST(Ipv4Header, TheReservedFlagSurvivesARoundTrip) {
  auto raw = kTextbook;
  raw[6] = std::byte{0xc0};  // reserved + DF (found by fuzzing: it used to be dropped)
  auto h = ipv4::header::parse(raw).value();
  EXPECT_TRUE(has(h.flags, ipv4::header_flags::reserved));
  std::array<std::byte, 20> out{};
  ASSERT_TRUE(h.marshal(out));
  EXPECT_EQ(out[6], std::byte{0xc0});
}

struct bad_parse {
  std::vector<std::byte> data;
  const char* field;
};

TEST(Ipv4Header, MalformedHeadersNameTheField) {
  auto version6 = kTextbook;
  version6[0] = std::byte{0x65};
  auto ihl4 = kTextbook;
  ihl4[0] = std::byte{0x44};
  auto ihl_past = kTextbook;
  ihl_past[0] = std::byte{0x46};  // 24 bytes claimed, 20 present
  auto short_total = kTextbook;
  short_total[2] = std::byte{0};
  short_total[3] = std::byte{10};
  const std::vector<bad_parse> cases = {
      {std::vector<std::byte>(19), "length"}, {version6, "version"}, {ihl4, "IHL"}, {ihl_past, "IHL"},
      {short_total, "total length"}};
  for (const auto& c : cases) {
    auto h = ipv4::header::parse(c.data);
    ASSERT_FALSE(h) << c.field;
    EXPECT_EQ(h.error().code, errc::value_out_of_range);
    EXPECT_EQ(h.error().what, c.field);
    EXPECT_NE(h.error().message().find("ipv4 header"), std::string::npos);
  }
}

TEST(Ipv4Header, MarshalRefusesWhatDoesNotFit) {
  std::array<std::byte, 60> out{};
  auto with = [&](auto change) {
    ipv4::header h;
    change(h);
    return h.marshal(out);
  };
  EXPECT_FALSE(with([](auto& h) { h.ttl = 256; }));
  EXPECT_FALSE(with([](auto& h) { h.tos = -1; }));
  EXPECT_FALSE(with([](auto& h) { h.protocol = 300; }));
  EXPECT_FALSE(with([](auto& h) { h.fragment_offset = 8192; }));
  EXPECT_FALSE(with([](auto& h) { h.options_length = 3; }));
  EXPECT_FALSE(with([](auto& h) { h.options_length = 44; }));
  EXPECT_FALSE(with([](auto& h) { h.total_length = 10; }));
  auto v6 = with([](auto& h) { h.source = core::ip_address::parse("fd77::1").value(); });
  ASSERT_FALSE(v6);
  EXPECT_EQ(v6.error().code, errc::family_mismatch);
  ipv4::header h;
  std::array<std::byte, 10> tiny{};
  EXPECT_FALSE(h.marshal(tiny));
}

TEST(Ipv4Header, InternetChecksumOddLengthAndZeroSum) {
  EXPECT_EQ(ipv4::internet_checksum(bytes({0x00, 0x01, 0xf2})), static_cast<std::uint16_t>(~(0x0001 + 0xf200)));
  EXPECT_EQ(ipv4::internet_checksum({}), 0xffff);
}

}  // namespace
