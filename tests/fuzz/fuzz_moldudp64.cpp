// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// Fuzz the MoldUDP64 downstream and request parsers: never crash or read
// past the data; walk every message; whatever parses builds back to the
// same bytes.

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <span>
#include <vector>

#include <mcnet/feed/moldudp64.hpp>

namespace mold = mcnet::feed::moldudp64;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(data), size);
  if (auto q = mold::request::parse(bytes)) {
    std::byte out[mold::request_size];
    auto n = q->build(out);
    if (!n || *n != size || std::memcmp(out, data, size) != 0) std::abort();
  }
  auto p = mold::packet_view::parse(bytes);
  // try_parse takes exactly what parse takes, with the same fields.
  const auto t = mold::packet_view::try_parse(bytes);
  if (t.has_value() != p.has_value()) std::abort();
  if (t && (t->sequence() != p->sequence() || t->size() != p->size())) std::abort();
  if (!p) return 0;
  std::vector<std::byte> out(size);
  if (p->is_end_of_session()) {
    if (size != mold::header_size || p->begin() != p->end()) std::abort();
    if (!mold::build_end_of_session(out, p->session(), p->sequence())) std::abort();
  } else {
    auto b = mold::packet_builder::start(out, p->session(), p->sequence());
    if (!b) std::abort();
    std::size_t walked = 0;
    std::uint64_t sequence = p->sequence();
    for (const auto m : *p) {
      if (m.sequence != sequence++) std::abort();
      if (m.bytes.data() < bytes.data() || m.bytes.data() + m.bytes.size() > bytes.data() + size) std::abort();
      if (!b->append(m.bytes)) std::abort();
      ++walked;
    }
    if (walked != p->size() || b->size() != size) std::abort();
  }
  if (std::memcmp(out.data(), data, size) != 0) std::abort();
  return 0;
}
