// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// Fuzz rtp::packet_view::parse: never crash or read past the data; whatever
// parses builds back to the same bytes (the padding bytes before the count
// aside: the builder writes them as zero).

#include <array>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <span>
#include <vector>

#include <mcnet/feed/rtp.hpp>

namespace rtp = mcnet::feed::rtp;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(data), size);
  auto p = rtp::packet_view::parse(bytes);
  // try_parse takes exactly what parse takes, with the same payload.
  const auto t = rtp::packet_view::try_parse(bytes);
  if (t.has_value() != p.has_value()) std::abort();
  if (t && (t->payload().data() != p->payload().data() || t->payload().size() != p->payload().size())) std::abort();
  if (!p) return 0;
  std::array<std::uint32_t, rtp::max_csrcs> csrcs{};
  for (std::size_t i = 0; i < p->csrc_count(); ++i) csrcs[i] = p->csrc(i);
  const auto x = p->header_extension();
  if (x && (x->data.data() < bytes.data() || x->data.data() + x->data.size() > bytes.data() + size)) std::abort();
  if (p->header_size() + p->payload().size() + p->padding() != size) std::abort();
  if (p->padding() > 255) std::abort();
  const rtp::header_fields f{.marker = p->marker(),
                             .payload_type = p->payload_type(),
                             .sequence = p->sequence(),
                             .timestamp = p->timestamp(),
                             .ssrc = p->ssrc(),
                             .csrcs = std::span(csrcs).first(p->csrc_count()),
                             .header_extension = x,
                             .padding = static_cast<std::uint8_t>(p->padding())};
  std::vector<std::byte> out(size);
  auto n = rtp::build(out, f, p->payload());
  if (!n || *n != size) std::abort();
  const std::size_t compared = size - (p->padding() != 0 ? p->padding() : 0);
  if (std::memcmp(out.data(), data, compared) != 0) std::abort();
  if (p->padding() != 0 && out.back() != bytes.back()) std::abort();
  return 0;
}
