// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// DSCP names, parsing and formatting, and the TOS byte conversions.

#include <gtest/gtest.h>

#include <utility>

#include <mcnet/core/dscp.hpp>

namespace core = mcnet::core;

namespace {

TEST(Dscp, EveryNameHasItsCodepoint) {
  const std::pair<const char*, int> expected[] = {
      {"cs0", 0},   {"cs1", 8},   {"cs2", 16},  {"cs3", 24},  {"cs4", 32},  {"cs5", 40},  {"cs6", 48},  {"cs7", 56},
      {"af11", 10}, {"af12", 12}, {"af13", 14}, {"af21", 18}, {"af22", 20}, {"af23", 22}, {"af31", 26}, {"af32", 28},
      {"af33", 30}, {"af41", 34}, {"af42", 36}, {"af43", 38}, {"ef", 46},   {"va", 44},   {"le", 1}};
  for (const auto& [name, value] : expected) {
    EXPECT_EQ(core::dscp_by_name(name), value) << name;
    EXPECT_EQ(core::parse_dscp(name).value(), value) << name;
    EXPECT_EQ(core::dscp_name(static_cast<std::uint8_t>(value)), name);
    EXPECT_EQ(core::format_dscp(static_cast<std::uint8_t>(value)), name);
  }
  EXPECT_EQ(core::dscp::ef, 46);
  EXPECT_EQ(core::dscp::va, 44) << "RFC 5865";
  EXPECT_EQ(core::dscp::le, 1) << "RFC 8622";
}

TEST(Dscp, NamesParseInAnyCase) {
  EXPECT_EQ(core::parse_dscp("EF").value(), 46);
  EXPECT_EQ(core::parse_dscp("Af41").value(), 34);
  EXPECT_EQ(core::parse_dscp("CS6").value(), 48);
  EXPECT_EQ(core::parse_dscp("LE").value(), 1);
  EXPECT_EQ(core::dscp_by_name("46"), std::nullopt) << "numbers are not names";
  EXPECT_EQ(core::dscp_by_name("ef "), std::nullopt);
  EXPECT_EQ(core::dscp_by_name(""), std::nullopt);
}

TEST(Dscp, NumbersParseFromZeroToSixtyThree) {
  EXPECT_EQ(core::parse_dscp("0").value(), 0);
  EXPECT_EQ(core::parse_dscp("46").value(), 46);
  EXPECT_EQ(core::parse_dscp("63").value(), 63);
  for (const char* bad : {"64", "255", "-1", "+1", "046", "0x2e", "", " 1", "af44", "cs8", "e f", "ef46"}) {
    auto r = core::parse_dscp(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, mcnet::errc::value_out_of_range);
    EXPECT_EQ(r.error().input(), bad);
    EXPECT_NE(r.error().message().find("cs0..cs7, af11..af43, ef, va, le"), std::string::npos) << r.error().message();
  }
}

TEST(Dscp, FormatPicksTheNameOrTheNumber) {
  EXPECT_EQ(core::format_dscp(46), "ef");
  EXPECT_EQ(core::format_dscp(0), "cs0");
  EXPECT_EQ(core::format_dscp(5), "5");
  EXPECT_EQ(core::format_dscp(63), "63");
  EXPECT_EQ(core::dscp_name(5), "");
  for (int v = 0; v <= 63; ++v) {
    const auto d = static_cast<std::uint8_t>(v);
    EXPECT_EQ(core::parse_dscp(core::format_dscp(d)).value(), d) << "format then parse gives the value back";
  }
}

TEST(Dscp, TosByteKeepsEcnInTheLowBits) {
  static_assert(core::tos_from_dscp(core::dscp::ef) == 0xb8);
  static_assert(core::tos_from_dscp(core::dscp::af11) == 0x28);
  static_assert(core::tos_from_dscp(core::dscp::cs7) == 0xe0);
  static_assert(core::tos_from_dscp(core::dscp::ef, 1) == 0xb9, "ECT(1)");
  static_assert(core::tos_from_dscp(core::dscp::ef, 3) == 0xbb, "CE");
  static_assert(core::tos_from_dscp(64 + 46, 4 + 2) == 0xba, "bits beyond the fields are dropped");
  static_assert(core::dscp_of_tos(0xb8) == 46);
  static_assert(core::dscp_of_tos(0xbb) == 46, "ECN does not change the DSCP");
  static_assert(core::ecn_of_tos(0xbb) == 3);
  static_assert(core::ecn_of_tos(0xb8) == 0);
  for (int tos = 0; tos <= 255; ++tos) {
    const auto t = static_cast<std::uint8_t>(tos);
    EXPECT_EQ(core::tos_from_dscp(core::dscp_of_tos(t), core::ecn_of_tos(t)), t);
  }
}

}  // namespace
