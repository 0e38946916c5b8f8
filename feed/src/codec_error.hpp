// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

// The one error shape of the payload codecs, as ipv4::header and
// ipv6::header report theirs: errc::value_out_of_range, `op` the codec
// ("moldudp64 packet"), `what` the field that is wrong, the offending value
// as the number and a static hint saying the rule.

#include <concepts>
#include <cstdint>
#include <string_view>

#include <mcnet/core/error.hpp>

namespace mcnet::feed {

template <std::integral V>
tl::unexpected<error> codec_error(std::string_view codec, std::string_view field, V value,
                                  std::string_view hint) noexcept {
  return fail(error(errc::value_out_of_range, codec, field).with_number(static_cast<std::int64_t>(value)).with_hint(hint));
}

}  // namespace mcnet::feed
