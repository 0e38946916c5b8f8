// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

// Shared by the option-table tests of every layer: one behaviour test per
// table entry (MCNET_OPTION_TEST registers the entry's spelling, so a unit
// test can prove that no entry lacks one), and a round trip that compares as
// the table says the kernel answers.

#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

#include <mcnet/core/socket.hpp>
#include <mcnet/core/sockopt.hpp>

#include "lan.hpp"

namespace mcnet::test {

/// Spellings that have a behaviour test in this executable.
inline std::set<std::string_view>& option_tests() {
  static std::set<std::string_view> spellings;
  return spellings;
}

/// The spellings of every descriptor in a table (a tuple of descriptors).
template <class Table>
std::set<std::string_view> spellings_of(const Table& table) {
  std::set<std::string_view> out;
  std::apply([&](const auto&... o) { (out.insert(o.spelling), ...); }, table);
  return out;
}

/// Every entry of `table` has a behaviour test registered in this executable
/// (MCNET_OPTION_TEST or MCNET_OPTION_COVERED_BY), and no spelling appears
/// twice in it.
template <class Table>
void expect_every_entry_tested(const Table& table) {
  const auto spellings = spellings_of(table);
  std::set<std::string_view> tested;
  for (auto sp : option_tests()) {
    if (spellings.contains(sp)) tested.insert(sp);
  }
  EXPECT_EQ(tested, spellings);
  EXPECT_EQ(spellings.size(), std::tuple_size_v<std::remove_cvref_t<Table>>) << "every spelling once";
}

/// Set, read back, and compare as the table says the kernel answers.
template <class Opt, class V>
void expect_round_trip(core::socket_ref s, const Opt& o, const V& value) {
  auto set = core::set(s, o, value);
  ASSERT_TRUE(set) << set.error().message();
  auto got = core::get(s, o);
  ASSERT_TRUE(got) << got.error().message();
  switch (o.expect) {
    case core::read_back::equal: EXPECT_EQ(*got, value) << o.spelling; break;
    case core::read_back::doubled:
      if constexpr (std::is_arithmetic_v<V>) {
        EXPECT_EQ(*got, 2 * value) << o.spelling;
      } else {
        ADD_FAILURE() << o.spelling << ": doubled needs a number";
      }
      break;
    default: ADD_FAILURE() << o.spelling << " does not read back what was set; test it by hand";
  }
}

/// `value` is out of the option's range and refused before the kernel sees
/// anything: on a descriptor that is not even open the answer is
/// errc::value_out_of_range naming the option and carrying `number`, not EBADF.
template <class Opt, class V>
void expect_refused_before_the_call(const Opt& o, const V& value, std::int64_t number) {
  auto r = core::set(core::socket_ref(-1), o, value);
  ASSERT_FALSE(r) << o.spelling;
  EXPECT_EQ(r.error().code, mcnet::errc::value_out_of_range) << r.error().message();
  EXPECT_EQ(r.error().what, o.spelling);
  EXPECT_EQ(r.error().op, "setsockopt");
  EXPECT_EQ(r.error().number(), number) << o.spelling;
}

/// Run `body` inside a fresh one-host LAN: every socket lives in its namespace.
template <class F>
void in_host(F&& body) {
  auto net = network::lan(1);
  (*net)[0].run(std::forward<F>(body));
}

}  // namespace mcnet::test

// Registers core::opt::`descriptor` as tested by `suite.test_name`, a test
// defined above it in the same file (the membership options: core's
// membership tests exercise them); the test must exist, or this does not
// compile.
#define MCNET_OPTION_COVERED_BY(descriptor, suite, test_name)                                            \
  static_assert(sizeof(GTEST_TEST_CLASS_NAME_(suite, test_name)) > 0);                                   \
  [[maybe_unused]] static const bool mcnet_covered_##descriptor##_by_##test_name =                      \
      ::mcnet::test::option_tests().insert(::mcnet::core::opt::descriptor.spelling).second

#define MCNET_OPTION_TEST(suite, descriptor, test_name)                                                    \
  [[maybe_unused]] static const bool mcnet_registered_##suite##_##test_name =                                       \
      ::mcnet::test::option_tests().insert((descriptor).spelling).second;                                  \
  TEST(suite, test_name)
