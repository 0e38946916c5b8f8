// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// Not an interface: the one error shape of the payload codecs, as
/// ipv4::header and ipv6::header report theirs. Out of line and cold, so
/// that the codecs' inline parsers stay small on their fast path.

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

}  // namespace mcnet::feed::detail
