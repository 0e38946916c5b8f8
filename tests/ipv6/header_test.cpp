// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors

#include <gtest/gtest.h>

#include <array>

#include <mcnet/ipv6/header.hpp>

namespace core = mcnet::core;
namespace ipv6 = mcnet::ipv6;

namespace {

TEST(Ipv6Header, RoundTripsEveryField) {
  ipv6::header h;
  h.traffic_class = 0xb8;
  h.flow_label = 0xabcde;
  h.payload_length = 1234;
  h.next_header = 58;
  h.hop_limit = 255;
  h.source = core::ip_address::parse("fd77::1").value();
  h.destination = core::ip_address::parse("ff3e::8000:1").value();
  std::array<std::byte, 40> out{};
  ASSERT_EQ(h.marshal(out).value(), 40u);
  EXPECT_EQ(out[0], std::byte{0x6b}) << "version 6, traffic class high nibble b";
  EXPECT_EQ(out[1], std::byte{0x8a}) << "traffic class low nibble 8, flow label high nibble a";
  auto back = ipv6::header::parse(out);
  ASSERT_TRUE(back) << back.error().message();
  EXPECT_EQ(back->traffic_class, 0xb8);
  EXPECT_EQ(back->flow_label, 0xabcdeu);
  EXPECT_EQ(back->payload_length, 1234u);
  EXPECT_EQ(back->next_header, 58);
  EXPECT_EQ(back->hop_limit, 255);
  EXPECT_EQ(back->source, h.source);
  EXPECT_EQ(back->destination, h.destination);
}

TEST(Ipv6Header, RefusesWhatIsNotAnIpv6Header) {
  std::array<std::byte, 40> raw{};
  raw[0] = std::byte{0x45};
  auto v4 = ipv6::header::parse(raw);
  ASSERT_FALSE(v4);
  EXPECT_EQ(v4.error().what, "version");
  auto short_one = ipv6::header::parse(std::span(raw).first(39));
  ASSERT_FALSE(short_one);
  EXPECT_EQ(short_one.error().what, "length");

  std::array<std::byte, 40> out{};
  ipv6::header h;
  h.flow_label = 1u << 20;
  EXPECT_FALSE(h.marshal(out));
  h = {};
  h.payload_length = 70000;
  EXPECT_FALSE(h.marshal(out));
  h = {};
  h.source = core::ip_address::v4(10, 77, 0, 1);
  EXPECT_EQ(h.marshal(out).error().code, mcnet::errc::family_mismatch);
  h = {};
  std::array<std::byte, 39> tiny{};
  EXPECT_FALSE(h.marshal(tiny));
}

}  // namespace
