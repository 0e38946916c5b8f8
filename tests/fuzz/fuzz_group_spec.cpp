// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// Fuzz the group-spec grammar: never crash; whatever parses names a
// multicast group, a port in 1..65535 and a count in 1..65536, and an error
// always names the spec.

#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <mcnet/tools/group_spec.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (auto user : {mcnet::tools::spec_user::receiver, mcnet::tools::spec_user::sender}) {
    auto s = mcnet::tools::parse_group_spec(text, user, "eth0");
    if (!s) {
      if (s.error().message().empty()) std::abort();
      continue;
    }
    if (!s->group.is_multicast() || s->port == 0 || s->count < 1 || s->count > 65536) std::abort();
    if (s->source && (!s->source->is_unicast() || s->source->family() != s->group.family())) std::abort();
    if (s->count <= 256) (void)mcnet::tools::expand(*s);
  }
  return 0;
}
