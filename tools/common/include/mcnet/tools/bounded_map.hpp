// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// A per-key tally that an mcast-recv run keeps beside its totals (the
/// channels of untracked datagrams, END markers of streams never seen,
/// datagrams that came in on an interface not joined): bounded in entries,
/// so hostile or plentiful keys cost a fixed amount of memory, and never
/// thrown out of by bad_alloc on the receive path.

#include <cstddef>
#include <new>

namespace mcnet::tools {

/// The entry of `key` in `map` (a std::map or std::unordered_map), made
/// when absent (then given to `init`) unless `map` holds `kept` entries
/// already or memory runs out: nullptr then, and the caller counts the
/// event in its total alone.
template <class Map, class Init = void (*)(typename Map::mapped_type&)>
typename Map::mapped_type* bounded_entry(Map& map, const typename Map::key_type& key, std::size_t kept,
                                         Init&& init = [](typename Map::mapped_type&) {}) {
  if (auto it = map.find(key); it != map.end()) return &it->second;
  if (map.size() >= kept) return nullptr;
  try {
    auto& made = map.try_emplace(key).first->second;
    init(made);
    return &made;
  } catch (const std::bad_alloc&) {
    return nullptr;
  }
}

}  // namespace mcnet::tools
