// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

// The reference walk the control-message fuzz targets (and the unit test of
// random buffers) compare the decoders with: cmsg_view over the bytes,
// bounded, aborting on an entry outside them.

#include <sys/socket.h>

#include <cstddef>
#include <cstdlib>
#include <span>

#include <mcnet/core/control.hpp>

namespace mcnet::fuzz {

/// Call `on_entry(const core::cmsg_entry&)` for each entry cmsg_view finds
/// in `bytes`; false when it stops at a malformed header. Aborts when an
/// entry's payload lies outside `bytes`.
template <class OnEntry>
bool walk_cmsgs(std::span<const std::byte> bytes, OnEntry&& on_entry) {
  core::cmsg_view view(bytes);
  for (std::size_t guard = 0; guard <= bytes.size(); ++guard) {
    auto e = view.next();
    if (!e) return false;
    if (!*e) return true;
    const auto& data = (*e)->data;
    if (data.data() < bytes.data() || data.data() + data.size() > bytes.data() + bytes.size()) std::abort();
    on_entry(**e);
  }
  return true;
}

/// The descriptor numbers the SCM_RIGHTS entries of `bytes` hold (whole
/// ints), counted along walk_cmsgs; `well_formed` gets its answer.
inline std::size_t rights_numbers(std::span<const std::byte> bytes, bool& well_formed) {
  std::size_t ints = 0;
  well_formed = walk_cmsgs(bytes, [&](const core::cmsg_entry& e) {
    if (e.level == SOL_SOCKET && e.type == SCM_RIGHTS) ints += e.data.size() / sizeof(int);
  });
  return ints;
}

}  // namespace mcnet::fuzz
