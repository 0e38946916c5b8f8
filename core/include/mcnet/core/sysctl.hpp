// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

#include <mcnet/core/cxx20.hpp>  // first: C++20 or one clear error

#include <cstdint>
#include <string_view>

#include <mcnet/core/error.hpp>

namespace mcnet::core {

/// Read an integer sysctl such as "net.core.rmem_max" or
/// "net.ipv4.igmp_max_memberships" from /proc/sys. The net.* tree is that of
/// the calling thread's network namespace. The name is in sysctl(8)'s dotted
/// notation: a '.' inside a component (an interface name such as `eth0.100`)
/// is written '/', as in "net.ipv4.conf.eth0/100.rp_filter". No allocation.
/// Errors: ENOENT (not in this kernel or namespace: net.ipv6.mld_max_msf is
/// global and absent inside a namespace), errc::value_out_of_range when the
/// file does not hold one integer.
[[nodiscard]] result<std::int64_t> read_sysctl(std::string_view name) noexcept;

}  // namespace mcnet::core
