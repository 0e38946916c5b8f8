// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <mcnet/feed/detail/codec_error.hpp>

namespace mcnet::feed::detail {

tl::unexpected<error> codec_error(std::string_view codec, std::string_view field, std::int64_t value,
                                  std::string_view hint) noexcept {
  return fail(error(errc::value_out_of_range, codec, field).with_number(value).with_hint(hint));
}

}  // namespace mcnet::feed::detail
