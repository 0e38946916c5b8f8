// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// main() of every test executable: GoogleTest plus a global check that the
// suite leaves nothing behind: no link added to the caller's namespace, no
// namespace or child process of ours still alive.

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "leftovers.hpp"
#include "privilege.hpp"

namespace mcnet::test {

bool privileged_required() {
  const char* v = std::getenv("MCNET_REQUIRE_PRIVILEGED");
  return v != nullptr && *v != '\0' && std::string(v) != "0";
}

namespace {

class leftover_check : public ::testing::Environment {
 public:
  void SetUp() override { before_ = take_inventory(); }
  void TearDown() override {
    const auto after = take_inventory();
    EXPECT_EQ(before_.links, after.links) << "links in the test's own network namespace changed during the suite";
    EXPECT_EQ(before_.namespaces, after.namespaces) << "network namespaces held by this process changed";
    EXPECT_EQ(before_.children, after.children) << "child processes were left running";
  }

 private:
  inventory before_;
};

}  // namespace
}  // namespace mcnet::test

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  ::testing::AddGlobalTestEnvironment(new mcnet::test::leftover_check);
  return RUN_ALL_TESTS();
}
