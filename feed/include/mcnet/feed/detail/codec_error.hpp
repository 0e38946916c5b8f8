// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// Not an interface: the one error shape of the payload codecs, as
/// ipv4::header and ipv6::header report theirs. Out of line and cold, so
/// that the codecs' inline parsers stay small on their fast path.

#include <mcnet/core/cxx20.hpp>  // first: C++20 or one clear error

#include <concepts>
#include <cstdint>
#include <string_view>

#include <mcnet/core/error.hpp>

namespace mcnet::feed::detail {

/// errc::value_out_of_range with `op` the codec ("moldudp64 packet"),
/// `what` the field that is wrong, `value` as the number and a static hint
/// saying the rule. All three texts must be static.
[[gnu::cold]] tl::unexpected<error> codec_error(std::string_view codec, std::string_view field, std::int64_t value,
                                                std::string_view hint) noexcept;

/// The same for any integer value.
template <std::integral V>
tl::unexpected<error> codec_error(std::string_view codec, std::string_view field, V value,
                                  std::string_view hint) noexcept {
  return codec_error(codec, field, static_cast<std::int64_t>(value), hint);
}

/// A check of an inline parser: the codec, the field it is about and the
/// rule, all static texts (the `op`, `what` and hint of codec_error).
struct codec_check {
  std::string_view codec;
  std::string_view field;
  std::string_view hint;
};

/// codec_error as the failed `result<T>` of a parse, built out of line in
/// the caller's return slot. An inline parser's error path is then one call
/// with two arguments: it stays small enough to be inlined, and its success
/// path neither reserves a frame for an `error` nor copies one (converting a
/// returned `tl::unexpected<error>` costs a ~200-byte copy at each site).
template <class T>
[[nodiscard]] [[gnu::cold, gnu::noinline]] result<T> codec_failure(const codec_check& check, std::int64_t value) noexcept {
  return codec_error(check.codec, check.field, value, check.hint);
}

}  // namespace mcnet::feed::detail
