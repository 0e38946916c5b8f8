// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// The interface resolver: what a user types after -i, to an interface and
/// the addresses to use, with the candidates listed when nothing or more
/// than one matches.

#include <mcnet/core/cxx20.hpp>  // first: C++20 or one clear error

#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include <mcnet/core/error.hpp>
#include <mcnet/core/interface.hpp>
#include <mcnet/netlink/query.hpp>

namespace mcnet::netlink {

/// What a specification resolved to.
struct resolved {
  core::interface_ref iface{};                ///< index 0: the kernel chooses ("kernel")
  std::vector<core::ip_address> addresses{};  ///< the addresses to use, the one asked for first
  /// Reasons multicast may not work there: down, no carrier, no MULTICAST flag.
  std::vector<std::string> warnings{};
};

/// Why a specification did not resolve: the error, and the interfaces that
/// could have been meant (all of them when nothing matched, the matches when
/// several did).
struct resolve_failure {
  error reason;                           ///< what went wrong (as resolve says: nothing matched, or several did)
  std::vector<std::string> candidates{};  ///< "eth0 (2): 10.77.0.1/24 fd77::1/64"
  /// The error's message followed by the candidates.
  [[nodiscard]] std::string message() const;
};

/// Resolve "eth0" (a name or alternative name) | "3" (an index) |
/// "10.77.0.2" | "fd77::2" | "fe80::1%eth0" (an address on the interface) |
/// "10.77.0.0/24" (the interface with an address in that prefix) | "kernel"
/// (index 0: the kernel chooses by route), in the calling thread's namespace.
/// Errors: errc::no_such_interface (nothing matched) or errc::value_out_of_range
/// (several matched, or empty input), with candidates.
[[nodiscard]] tl::expected<resolved, resolve_failure> resolve(std::string_view spec);

/// The same against a snapshot already taken.
[[nodiscard]] tl::expected<resolved, resolve_failure> resolve(std::string_view spec, const snapshot& state);

}  // namespace mcnet::netlink
