// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// The group-spec grammar of mcast-send and mcast-recv (docs/tools.md, "Group specs"):
///
///     spec   = [ "!" ] [ source "," ] group [ ":" port ] [ "%" iface ] [ "+" count ]
///     source = ipv4 | ipv6 | "[" ipv6 "]"
///     group  = ipv4 | ipv6-no-port | "[" ipv6 [ "%" zone ] "]"
///
/// Parsing is pure (no interface lookups): `iface` and `zone` stay text and
/// are resolved later, in the namespace where the tool runs.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <mcnet/core/error.hpp>
#include <mcnet/core/ip_address.hpp>

namespace mcnet::tools {

enum class filter : std::uint8_t { any, include, exclude };

struct group_spec {
  std::string text{};                       ///< the spec as written
  filter mode = filter::any;                ///< include: S,G; exclude: !S,G
  std::optional<core::ip_address> source{};
  core::ip_address group{};                 ///< no scope id: the zone is kept as text
  std::uint16_t port = 5000;
  std::string zone{};                       ///< inside brackets: [ff02::1%eth1]
  std::string iface{};                      ///< after the spec: %eth1 (name, index or address)
  std::uint32_t count = 1;                  ///< +N: this many consecutive groups

  /// The interface this spec names (zone or %iface), or empty for -i's.
  [[nodiscard]] const std::string& interface_text() const noexcept { return zone.empty() ? iface : zone; }
};

/// Who reads the spec: mcast-send takes `S,G` as "send from S" and refuses `!`.
enum class spec_user : std::uint8_t { receiver, sender };

/// Parse one spec. Errors (errc::invalid_address, invalid_port,
/// not_multicast, source_not_unicast, family_mismatch, value_out_of_range,
/// interface_required, std::errc::invalid_argument) name the spec and the
/// part that is wrong: brackets around an IPv4 address, a source that is not
/// unicast, of the other family or v4-mapped (::ffff:a.b.c.d), a '%' in a
/// source or a second %IFACE. A number in the right form (digits) outside
/// its range (port 0 or above 65535, +0, +65537) is value_out_of_range;
/// text that is not the syntax is invalid_argument, or invalid_port for a
/// port that is not digits or has a leading zero (docs/tools.md, "Group specs").
/// `default_interface` is -i's value (empty: none): a link-local or
/// interface-local group needs it, a zone, or %iface; so does mcast-send's
/// link-local source (fe80::/10, bound on that interface).
[[nodiscard]] result<group_spec> parse_group_spec(std::string_view text, spec_user user = spec_user::receiver,
                                                 std::string_view default_interface = {});

/// The most groups the specs of one run name together: 262,144 (4 x 65,536),
/// each `+N` counted N times, a source-specific channel (S,G) as a group and
/// repeats included. Far more than a run joins or sends to (the open-file
/// limit, often 1,024 soft and 524,288 hard, and net.ipv4.igmp_max_memberships
/// per socket bound it first), and a bound on what the specs cost before any
/// of them is checked against the kernel: several `+65536` specs (or an @FILE
/// of them) named millions of groups, expanded past 2 GB (trial h16r 1).
inline constexpr std::size_t max_planned_groups = std::size_t{4} << 16;

/// Count `spec`'s groups into `planned` (the groups of the specs before it)
/// before they are expanded: errc::value_out_of_range naming the spec and
/// max_planned_groups when they would take the total past it (`planned`
/// unchanged).
[[nodiscard]] result<void> plan_groups(const group_spec& spec, std::size_t& planned);

/// The groups a spec stands for: `count` consecutive addresses from `group`.
/// Errors: errc::not_multicast when the range leaves the multicast space.
[[nodiscard]] result<std::vector<core::ip_address>> expand(const group_spec& spec);

/// Checks across specs: include and exclude for the same group and interface
/// is an error (std::errc::invalid_argument: specs that conflict). Returns
/// warnings (exclude in an SSM range).
[[nodiscard]] result<std::vector<std::string>> check_spec_set(const std::vector<group_spec>& specs);

}  // namespace mcnet::tools
