// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

// Byte strings written out in the feed codecs' tests.

#include <cstddef>
#include <initializer_list>
#include <span>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include <mcnet/core/error.hpp>

namespace mcnet::feed::test {

inline std::vector<std::byte> bytes(std::initializer_list<unsigned> v) {
  std::vector<std::byte> out;
  for (unsigned b : v) out.push_back(static_cast<std::byte>(b));
  return out;
}

inline std::vector<std::byte> text(std::string_view s) {
  std::vector<std::byte> out;
  for (char c : s) out.push_back(static_cast<std::byte>(c));
  return out;
}

inline std::vector<std::byte> operator+(std::vector<std::byte> a, const std::vector<std::byte>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

inline bool same(std::span<const std::byte> a, std::span<const std::byte> b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin());
}

// The field a codec's error names, and its number ("" when it succeeded).
template <class T>
std::string_view field(const result<T>& r) {
  return r ? std::string_view{} : r.error().what;
}

// Every prefix of `whole` shorter than `least` bytes: `parse` refuses it
// with errc::value_out_of_range, `op`, "length" and the size as the number.
template <class Parse>
void expect_too_short(Parse parse, std::span<const std::byte> whole, std::size_t least, std::string_view op) {
  for (std::size_t n = 0; n < least; ++n) {
    auto r = parse(whole.first(n));
    ASSERT_FALSE(r) << n;
    EXPECT_EQ(r.error().code, errc::value_out_of_range);
    EXPECT_EQ(r.error().op, op);
    EXPECT_EQ(r.error().what, "length");
    EXPECT_EQ(r.error().number(), static_cast<std::int64_t>(n));
  }
}

}  // namespace mcnet::feed::test
