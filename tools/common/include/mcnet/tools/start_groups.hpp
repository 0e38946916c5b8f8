// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// The groups of mcast-recv's `start` event (docs/tools.md, "JSON Lines";
/// docs/mcast-tools.schema.json, the start event's `groups`): one entry per
/// (group, port, interface) joined, with its filter mode and sources, in two
/// forms that must agree byte for byte. The receive session keeps the JSON
/// tree; the start event is written as text straight from the entries, so a
/// run of a thousand groups makes no tree of a thousand objects to print it.

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <mcnet/core/ip_address.hpp>
#include <mcnet/tools/group_spec.hpp>

namespace mcnet::tools {

/// One entry of the start event's groups: the group and UDP port, the
/// source filter (any = ASM; include/exclude with `sources`, RFC 3376
/// section 3.1 and RFC 3678), and the interface by index and name (index 0
/// and an empty name: unknown, the kernel's choice of interface).
struct start_group {
  core::ip_address group;
  std::uint16_t port = 0;
  filter mode = filter::any;
  std::vector<core::ip_address> sources;
  std::uint32_t index = 0;
  std::string name;
};

/// "any", "include" or "exclude": the start event's `mode`.
[[nodiscard]] const char* filter_mode_name(filter f) noexcept;

/// The entries as a JSON array of {"group", "port", "mode", "sources",
/// "interface"} objects, "interface" as interface_json() makes it:
/// {"name", "index"}, both null for index 0; the name null for an index
/// whose name is not known.
[[nodiscard]] nlohmann::ordered_json start_groups_json(const std::vector<start_group>& groups);

/// json_text(start_groups_json(groups)), byte for byte (a unit test holds
/// them equal over names that are no printable ASCII), written straight
/// from the entries: each interface's text is made once per run of entries
/// on it, addresses are formatted without allocating.
[[nodiscard]] std::string start_groups_text(const std::vector<start_group>& groups);

}  // namespace mcnet::tools
