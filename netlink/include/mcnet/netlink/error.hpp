// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// libnl's error codes (NLE_*) as a std::error_category named "libnl", whose
/// conditions compare equal to the nearest std::errc (NLE_NODEV ==
/// std::errc::no_such_device, ...). The layer reads errno itself where libnl
/// would blur it (libnl reports ENOBUFS as NLE_NOMEM).

#include <mcnet/core/cxx20.hpp>  // first: C++20 or one clear error

#include <system_error>

namespace mcnet::netlink {

/// The "libnl" category. Values are libnl's positive NLE_* numbers.
[[nodiscard]] const std::error_category& libnl_category() noexcept;

/// An error_code for libnl's return value `nle` (negative or positive NLE_*).
[[nodiscard]] std::error_code make_libnl_error(int nle) noexcept;

}  // namespace mcnet::netlink
