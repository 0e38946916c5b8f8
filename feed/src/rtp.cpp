// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <mcnet/feed/rtp.hpp>

#include <cstring>

#include <mcnet/feed/detail/codec_error.hpp>

namespace mcnet::feed::rtp {
using feed::detail::codec_error;
using detail::codec;

result<std::size_t> build(std::span<std::byte> out, const header_fields& f,
                          std::span<const std::byte> payload) noexcept {
  if (f.payload_type > 127) return codec_error(codec, "payload type", f.payload_type, "7 bits: 0 to 127");
  if (f.csrcs.size() > max_csrcs) return codec_error(codec, "CSRC count", f.csrcs.size(), "at most 15 CSRCs");
  std::size_t ext = 0;
  if (f.header_extension) {
    const auto data = f.header_extension->data.size();
    if (data % 4 != 0 || data > 4u * 0xffff) {
      return codec_error(codec, "extension length", data, "the extension data is 32-bit words, at most 65535");
    }
    ext = extension_header_size + data;
  }
  const std::size_t headers = fixed_header_size + 4 * f.csrcs.size() + ext;
  const std::size_t total = headers + payload.size() + f.padding;
  if (out.size() < total) return codec_error(codec, "buffer", total, "the packet needs {number} bytes");
  std::byte* p = out.data();
  p[0] = static_cast<std::byte>(version << 6 | (f.padding != 0 ? 0x20u : 0u) | (f.header_extension ? 0x10u : 0u) |
                                f.csrcs.size());
  p[1] = static_cast<std::byte>((f.marker ? 0x80u : 0u) | f.payload_type);
  store_be<std::uint16_t>(p + 2, f.sequence);
  store_be<std::uint32_t>(p + 4, f.timestamp);
  store_be<std::uint32_t>(p + 8, f.ssrc);
  std::byte* at = p + fixed_header_size;
  for (const auto csrc : f.csrcs) {
    store_be<std::uint32_t>(at, csrc);
    at += 4;
  }
  if (f.header_extension) {
    const auto& x = *f.header_extension;
    store_be<std::uint16_t>(at, x.profile);
    store_be<std::uint16_t>(at + 2, static_cast<std::uint16_t>(x.data.size() / 4));
    if (!x.data.empty()) std::memcpy(at + extension_header_size, x.data.data(), x.data.size());
    at += ext;
  }
  if (!payload.empty()) std::memcpy(at, payload.data(), payload.size());
  at += payload.size();
  if (f.padding != 0) {
    std::memset(at, 0, f.padding - 1u);
    at[f.padding - 1] = static_cast<std::byte>(f.padding);
  }
  return total;
}

}  // namespace mcnet::feed::rtp
