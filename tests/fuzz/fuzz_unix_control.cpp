// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// Fuzz the SCM_RIGHTS / SCM_CREDENTIALS decoder with arbitrary bytes: it
// must never read outside the buffer, and must count exactly the
// descriptor numbers of the SCM_RIGHTS entries cmsg_view walks. (The
// non-owning decoder: take_descriptors would close the random numbers.)

#include <sys/socket.h>

#include <array>
#include <cstdint>
#include <span>

#include <mcnet/core/control.hpp>

#include "cmsg_walk.hpp"
#include "fuzz_input.hpp"

namespace core = mcnet::core;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(data), size);
  std::array<int, 4> numbers{};
  auto decoded = core::decode_unix_control(bytes, numbers);
  bool well_formed = false;
  const std::size_t ints = mcnet::fuzz::rights_numbers(bytes, well_formed);
  if (decoded) {
    mcnet::fuzz::check(well_formed && decoded->fds == ints);
  } else {
    mcnet::fuzz::check(!well_formed || decoded.error().what != "cmsghdr");
  }
  return 0;
}
