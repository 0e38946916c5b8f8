// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// <mcnet/version.hpp>: the macros, the library's answer and the tools'
// --version agree (all come from project(VERSION) in CMakeLists.txt).

#include <gtest/gtest.h>

#include <string>

#include <mcnet/version.hpp>

#include "process.hpp"

namespace {

TEST(Version, MacrosAgreeWithTheLibrary) {
  const auto v = mcnet::version();
  EXPECT_EQ(v.major, MCNET_VERSION_MAJOR);
  EXPECT_EQ(v.minor, MCNET_VERSION_MINOR);
  EXPECT_EQ(v.patch, MCNET_VERSION_PATCH);
  EXPECT_EQ(v.text, MCNET_VERSION_STRING);
  EXPECT_EQ(std::string(v.text),
            std::to_string(MCNET_VERSION_MAJOR) + "." + std::to_string(MCNET_VERSION_MINOR) + "." +
                std::to_string(MCNET_VERSION_PATCH));
}

TEST(Version, ToolsPrintIt) {
  for (const auto& [tool, binary] : {std::pair{"mcast-send", MCAST_SEND}, std::pair{"mcast-recv", MCAST_RECV}}) {
    const auto r = mcnet::test::run(nullptr, {binary, "--version"});
    EXPECT_TRUE(r.status.success()) << tool << ": " << r.status.describe() << "\n" << r.output;
    EXPECT_EQ(r.standard_output, std::string(tool) + " " + MCNET_VERSION_STRING + "\n") << tool;
    EXPECT_EQ(r.output, r.standard_output) << "nothing on stderr";
  }
}

}  // namespace
