// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// RTP data packets (RFC 3550 section 5.1, header extension 5.3.1),
/// big-endian:
///
/// | offset | size | field |
/// |---|---|---|
/// | 0 | 1 | V (2 bits, 2), P (padding), X (extension), CC (4 bits, CSRC count) |
/// | 1 | 1 | M (marker), PT (7 bits, payload type) |
/// | 2 | 2 | sequence number |
/// | 4 | 4 | timestamp (media clock units) |
/// | 8 | 4 | SSRC |
/// | 12 | 4 x CC | CSRC list |
/// | then | 4 + 4 x length | with X: profile-defined 16 bits, length in 32-bit words, the extension data |
/// | then | ... | payload |
/// | last | P's count | with P: padding; its last byte is the count of padding bytes, itself included |
///
/// The view borrows the caller's bytes and never reads past them; the
/// builder writes into the caller's span. Nothing allocates or throws.

#include <mcnet/core/cxx20.hpp>  // first: C++20 or one clear error

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include <mcnet/core/error.hpp>
#include <mcnet/feed/big_endian.hpp>
#include <mcnet/feed/detail/codec_error.hpp>

namespace mcnet::feed::rtp {

inline constexpr std::uint8_t version = 2;             ///< the only version (RFC 3550 5.1)
inline constexpr std::size_t fixed_header_size = 12;   ///< without CSRCs and extension
inline constexpr std::size_t max_csrcs = 15;           ///< CC is 4 bits
inline constexpr std::size_t extension_header_size = 4;  ///< profile-defined 16 bits + length

namespace detail {
/// The `op` of the codec's errors.
inline constexpr std::string_view codec = "rtp packet";
}  // namespace detail

/// A header extension (RFC 3550 5.3.1): the profile-defined 16 bits and the
/// data, a whole number of 32-bit words (the length field counts them,
/// without the 4-byte extension header).
struct extension {
  std::uint16_t profile = 0;         ///< "defined by profile": identifies the extension
  std::span<const std::byte> data{};  ///< 4 x length bytes
};

/// An RTP packet, checked when parsed. Borrows the bytes it was parsed from.
class packet_view {
 public:
  /// Parse and check an RTP packet. Errors (errc::value_out_of_range, op
  /// "rtp packet", `what` the field, the offending value as the number):
  /// - "length": shorter than the 12-byte fixed header;
  /// - "version": not 2;
  /// - "CSRC count": the CSRC list runs past the end (number: CC);
  /// - "extension": X set but the 4-byte extension header runs past the end
  ///   (number: the bytes left);
  /// - "extension length": the extension data runs past the end (number:
  ///   the length field, in 32-bit words);
  /// - "padding": P set and the pad count (the last byte) is 0, or more than
  ///   the bytes after the headers (number: the count).
  [[nodiscard]] static result<packet_view> parse(std::span<const std::byte> packet) noexcept;
  /// As parse(), without the error: empty when parse() would fail. For a
  /// classifier that tries several protocols on each datagram (mcast-recv's
  /// `--payload auto`), where a refusal is the common case and building an
  /// `error` (~200 bytes, copied into the result) costs more than the
  /// checks themselves.
  [[nodiscard]] static std::optional<packet_view> try_parse(std::span<const std::byte> packet) noexcept;

  /// M: its meaning is the profile's (a frame's last packet, for video).
  [[nodiscard]] bool marker() const noexcept { return (byte(1) & 0x80) != 0; }
  /// PT, 0 to 127 (RFC 3551 and SDP assign the meanings).
  [[nodiscard]] std::uint8_t payload_type() const noexcept { return static_cast<std::uint8_t>(byte(1) & 0x7f); }
  /// Increments by one per packet sent, from a random start; wraps.
  [[nodiscard]] std::uint16_t sequence() const noexcept { return load_be<std::uint16_t>(bytes_.data() + 2); }
  /// In the payload format's clock rate (90 kHz for video, say).
  [[nodiscard]] std::uint32_t timestamp() const noexcept { return load_be<std::uint32_t>(bytes_.data() + 4); }
  /// Synchronization source: the stream's sender.
  [[nodiscard]] std::uint32_t ssrc() const noexcept { return load_be<std::uint32_t>(bytes_.data() + 8); }
  /// CC, 0 to 15.
  [[nodiscard]] std::size_t csrc_count() const noexcept { return byte(0) & 0x0fu; }
  /// The `i`th CSRC; `i` below csrc_count() (not checked).
  [[nodiscard]] std::uint32_t csrc(std::size_t i) const noexcept {
    return load_be<std::uint32_t>(bytes_.data() + fixed_header_size + 4 * i);
  }
  /// The header extension, when X is set.
  [[nodiscard]] std::optional<extension> header_extension() const noexcept {
    if ((byte(0) & 0x10u) == 0) return std::nullopt;
    const std::byte* x = bytes_.data() + fixed_header_size + 4 * csrc_count();
    return extension{load_be<std::uint16_t>(x), {x + extension_header_size, 4u * load_be<std::uint16_t>(x + 2)}};
  }
  /// Whether P is set (then padding() is at least 1).
  [[nodiscard]] bool has_padding() const noexcept { return (byte(0) & 0x20) != 0; }
  /// Bytes of padding at the end, the count byte included; 0 without P.
  [[nodiscard]] std::size_t padding() const noexcept { return padding_; }
  /// Bytes of the headers: fixed, CSRCs and extension.
  [[nodiscard]] std::size_t header_size() const noexcept { return payload_offset_; }
  /// What follows the headers, without the padding.
  [[nodiscard]] std::span<const std::byte> payload() const noexcept {
    // Not subspan(offset, count): parse checked the bounds, and subspan's
    // test of count against dynamic_extent costs a compare and a cmov.
    return {bytes_.data() + payload_offset_, bytes_.size() - payload_offset_ - padding_};
  }
  /// The whole packet.
  [[nodiscard]] std::span<const std::byte> bytes() const noexcept { return bytes_; }

 private:
  [[nodiscard]] unsigned byte(std::size_t i) const noexcept { return std::to_integer<unsigned>(bytes_[i]); }
  std::span<const std::byte> bytes_;
  std::size_t payload_offset_ = 0;
  std::size_t padding_ = 0;
};

/// What the builder writes in the header.
struct header_fields {
  bool marker = false;            ///< M
  std::uint8_t payload_type = 0;  ///< 0 to 127
  std::uint16_t sequence = 0;     ///< sequence number
  std::uint32_t timestamp = 0;    ///< media clock units
  std::uint32_t ssrc = 0;         ///< synchronization source
  std::span<const std::uint32_t> csrcs{};  ///< at most 15
  std::optional<extension> header_extension{};  ///< data: a multiple of 4 bytes, at most 4 x 65535
  /// Bytes of padding to add, the count byte included (P set when not 0):
  /// for an encryption block size, say (RFC 3550 5.1). The bytes before the
  /// count are zero.
  std::uint8_t padding = 0;
};

/// Write an RTP packet (version 2) of `fields` and `payload` into `out`;
/// returns its size. Errors (errc::value_out_of_range, op "rtp packet"),
/// nothing written: "payload type" over 127, "CSRC count" more than 15,
/// "extension length" data not a multiple of 4 bytes or over 4 x 65535,
/// "buffer" `out` too small for the packet (number: the size needed).
[[nodiscard]] result<std::size_t> build(std::span<std::byte> out, const header_fields& fields,
                                        std::span<const std::byte> payload) noexcept;

namespace detail {

// The checks of packet_view::parse. Returns the first one `packet` fails,
// its number in `value`; or nullptr, with the header size in `at` and the
// padding in `pad`.
[[nodiscard]] inline const feed::detail::codec_check* check_packet(std::span<const std::byte> packet, std::size_t& at,
                                                                   std::size_t& pad, std::int64_t& value) noexcept {
  using feed::detail::codec_check;
  const std::size_t n = packet.size();
  if (n < fixed_header_size) {
    static constexpr codec_check check{codec, "length", "an RTP packet has at least the 12-byte header"};
    value = static_cast<std::int64_t>(n);
    return &check;
  }
  const std::byte* p = packet.data();
  const unsigned first = std::to_integer<unsigned>(p[0]);
  if (first >> 6 != version) {
    static constexpr codec_check check{codec, "version", "RTP version 2 only (RFC 3550 5.1)"};
    value = first >> 6;
    return &check;
  }
  const std::size_t cc = first & 0x0fu;
  at = fixed_header_size + 4 * cc;
  if (at > n) {
    static constexpr codec_check check{codec, "CSRC count", "the CSRC list ({number} CSRCs) runs past the end of the packet"};
    value = static_cast<std::int64_t>(cc);
    return &check;
  }
  if ((first & 0x10u) != 0) {
    if (n - at < extension_header_size) {
      static constexpr codec_check check{codec, "extension", "X is set but the 4-byte extension header is cut short: {number} bytes after the CSRCs"};
      value = static_cast<std::int64_t>(n - at);
      return &check;
    }
    const std::size_t words = load_be<std::uint16_t>(p + at + 2);
    if (n - at - extension_header_size < 4 * words) {
      static constexpr codec_check check{codec, "extension length", "the extension ({number} words) runs past the end"};
      value = static_cast<std::int64_t>(words);
      return &check;
    }
    at += extension_header_size + 4 * words;
  }
  pad = 0;
  if ((first & 0x20u) != 0) {
    // The count is the last byte, so it needs a byte after the headers.
    if (n == at) {
      static constexpr codec_check check{codec, "padding",
                                         "P is set but no byte follows the headers to hold the padding count"};
      value = 0;
      return &check;
    }
    pad = std::to_integer<std::size_t>(p[n - 1]);
    if (pad == 0 || pad > n - at) {
      static constexpr codec_check check{codec, "padding",
                                         "P is set: the pad count (the last byte, {number}) must be 1 to the "
                                         "number of bytes after the headers"};
      value = static_cast<std::int64_t>(pad);
      return &check;
    }
  }
  return nullptr;
}

}  // namespace detail

// Inline: called once per datagram, its checks are a few compares, and a
// failure is one out-of-line call (feed::detail::codec_failure) whatever
// check failed: small enough for g++ 12 at -O2 to inline. (Called, with a
// call site per check, it cost 1.7 ns a packet more than the hand-written
// parser, 1.59x.)
[[nodiscard]] inline result<packet_view> packet_view::parse(std::span<const std::byte> packet) noexcept {
  std::size_t at = 0;
  std::size_t pad = 0;
  std::int64_t value = 0;
  if (const auto* failed = detail::check_packet(packet, at, pad, value)) {
    return feed::detail::codec_failure<packet_view>(*failed, value);
  }
  packet_view v;
  v.bytes_ = packet;
  v.payload_offset_ = at;
  v.padding_ = pad;
  return v;
}

[[nodiscard]] inline std::optional<packet_view> packet_view::try_parse(std::span<const std::byte> packet) noexcept {
  std::size_t at = 0;
  std::size_t pad = 0;
  std::int64_t value = 0;
  if (detail::check_packet(packet, at, pad, value) != nullptr) return std::nullopt;
  packet_view v;
  v.bytes_ = packet;
  v.payload_offset_ = at;
  v.padding_ = pad;
  return v;
}

}  // namespace mcnet::feed::rtp
