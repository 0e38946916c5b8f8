// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// Reasons the tools refuse a group spec for that core's mcnet::errc has no
/// code of its own: a JSON error event's `code` names them.

#include <string_view>
#include <system_error>

namespace mcnet::tools {

/// A spec refused by the tools (category spec_error_category()).
enum class spec_errc {
  /// The source is a loopback address (127.0.0.0/8, ::1): a unicast
  /// address, but one that never sends multicast on a link (trial h16x L6,
  /// issue #16: it read "source is not a unicast address").
  source_loopback = 1,
  /// The source is an IPv4-compatible IPv6 address (::/96 but :: and ::1,
  /// ::10.77.0.1), which RFC 4291 2.5.5.1 deprecates: no host sends from
  /// one (trial t16z: ::127.0.0.1 and ::10.77.16.1 were joined).
  source_v4_compatible = 2,
};

/// The category of spec_errc: its message() says what is wrong.
[[nodiscard]] const std::error_category& spec_error_category() noexcept;

/// `e`'s code as std::error_code.
[[nodiscard]] std::error_code make_error_code(spec_errc e) noexcept;

/// The code's name as a JSON error event gives it ("source_loopback").
[[nodiscard]] std::string_view name(spec_errc e) noexcept;

}  // namespace mcnet::tools
