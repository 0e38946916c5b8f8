// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

#include <algorithm>
#include <vector>

#include <mcnet/netlink/query.hpp>

namespace mcnet::tools {

/// The links of `snap` in one order for every list of interfaces the tools
/// give, by index (trial t15z L3: mcast-send's no-route message listed
/// "b0, mv0, d0, a0, c0", mcast-recv's "a0, b0, c0, mv0, d0").
[[nodiscard]] inline std::vector<const netlink::link*> links_by_index(const netlink::snapshot& snap) {
  std::vector<const netlink::link*> out;
  out.reserve(snap.links.size());
  for (const auto& l : snap.links) out.push_back(&l);
  std::ranges::stable_sort(out, {}, [](const netlink::link* l) { return l->index; });
  return out;
}

}  // namespace mcnet::tools
