// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// Fuzz the control message decoder with arbitrary bytes (any alignment,
// any length): it must never read outside the buffer or crash, and must
// walk exactly the entries cmsg_view yields.

#include <cstdint>
#include <cstdlib>
#include <span>

#include <mcnet/core/control.hpp>

#include "cmsg_walk.hpp"

namespace core = mcnet::core;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(data), size);
  core::packet_info info;
  const bool decoded = static_cast<bool>(core::decode_control(bytes, core::cmsg::all, info));
  // A well-formed walk in the view means the decoder failed only on a payload size.
  const bool well_formed = mcnet::fuzz::walk_cmsgs(bytes, [](const core::cmsg_entry&) {});
  if (!well_formed && decoded) std::abort();  // the decoder must see what the view sees
  return 0;
}
