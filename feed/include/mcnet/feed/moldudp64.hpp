// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// MoldUDP64 (Nasdaq, "MoldUDP64 Protocol Specification" V1.00): the
/// downstream packet a server multicasts and the request packet a receiver
/// sends to a re-request server. All numbers are big-endian.
///
/// Downstream packet:
///
/// | offset | size | field |
/// |---|---|---|
/// | 0 | 10 | session, ASCII, padded with spaces on the right |
/// | 10 | 8 | sequence number of the first message (heartbeat, end of session: the next expected) |
/// | 18 | 2 | message count; 0 heartbeat, 0xFFFF end of session |
/// | 20 | ... | `count` message blocks: a 2-byte length, then that many bytes |
///
/// Request packet (20 bytes): session (10), sequence number (8), requested
/// message count (2).
///
/// The views borrow the caller's bytes and never read past them; the
/// builders write into the caller's span. Nothing allocates or throws.

#include <mcnet/core/cxx20.hpp>  // first: C++20 or one clear error

#include <array>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <optional>
#include <span>
#include <string_view>

#include <mcnet/core/error.hpp>
#include <mcnet/feed/big_endian.hpp>
#include <mcnet/feed/detail/codec_error.hpp>

namespace mcnet::feed::moldudp64 {

inline constexpr std::size_t session_size = 10;  ///< bytes of the session field
inline constexpr std::size_t header_size = 20;   ///< session + sequence + count
inline constexpr std::size_t request_size = 20;  ///< session + sequence + requested count
inline constexpr std::size_t block_header_size = 2;  ///< the message length before each message
inline constexpr std::uint16_t heartbeat_count = 0;           ///< message count of a heartbeat
inline constexpr std::uint16_t end_of_session_count = 0xFFFF;  ///< message count of an end of session
/// The most messages one packet carries: 0xFFFF means end of session.
inline constexpr std::uint16_t max_messages = 0xFFFE;

/// A session name: 10 ASCII characters, space padded on the right (as on the
/// wire). Printable ASCII only (0x20 to 0x7E), which both the parser and
/// `make` require.
class session_id {
 public:
  /// All spaces.
  constexpr session_id() noexcept { text_.fill(' '); }
  /// `name` padded with spaces to 10 characters. Error
  /// (errc::value_out_of_range, op "moldudp64 session"): "length" longer
  /// than 10 characters, "character" a byte outside 0x20 to 0x7E (the
  /// number is the byte).
  [[nodiscard]] static result<session_id> make(std::string_view name) noexcept;
  /// The 10 characters, padding included.
  [[nodiscard]] std::string_view view() const noexcept { return {text_.data(), text_.size()}; }
  /// The name without the padding spaces on the right.
  [[nodiscard]] std::string_view name() const noexcept;
  /// The same 10 characters.
  friend bool operator==(const session_id&, const session_id&) = default;

 private:
  friend class packet_view;
  friend struct request;
  // The 10 bytes at `wire`, which the caller has checked.
  explicit session_id(const std::byte* wire) noexcept;
  std::array<char, session_size> text_{};
};

/// One message of a downstream packet: its bytes (without the length
/// prefix) and its sequence number (the packet's first sequence number plus
/// its index; wraps modulo 2^64 as the counter does).
struct message {
  std::uint64_t sequence = 0;        ///< this message's sequence number
  std::span<const std::byte> bytes{};  ///< the message, a view into the packet
};

/// A downstream packet, checked whole when parsed; iterating its messages
/// then does no check. Borrows the bytes it was parsed from.
class packet_view {
 public:
  /// Forward iterator over the messages, in order.
  class iterator {
   public:
    /// Standard iterator types: a message is yielded by value.
    using iterator_category = std::forward_iterator_tag;
    using value_type = message;              ///< a message (sequence number and bytes)
    using difference_type = std::ptrdiff_t;  ///< distance between iterators
    using pointer = void;                    ///< none: messages are made on dereference
    using reference = message;               ///< a message, by value

    iterator() noexcept = default;
    /// The message here: its sequence number and bytes.
    [[nodiscard]] message operator*() const noexcept {
      return {sequence_, {at_ + block_header_size, load_be<std::uint16_t>(at_)}};
    }
    /// Step over this message's length prefix and bytes.
    iterator& operator++() noexcept {
      at_ += block_header_size + load_be<std::uint16_t>(at_);
      ++sequence_;
      return *this;
    }
    /// Step, returning the position before the step.
    iterator operator++(int) noexcept {
      auto before = *this;
      ++*this;
      return before;
    }
    /// Same position in the same packet.
    friend bool operator==(const iterator& a, const iterator& b) noexcept { return a.at_ == b.at_; }

   private:
    friend class packet_view;
    iterator(const std::byte* at, std::uint64_t sequence) noexcept : at_(at), sequence_(sequence) {}
    const std::byte* at_ = nullptr;
    std::uint64_t sequence_ = 0;
  };

  /// Parse and check a whole downstream packet. Errors
  /// (errc::value_out_of_range, op "moldudp64 packet", `what` the field):
  /// - "length": shorter than the 20-byte header (number: the size);
  /// - "session": a byte outside printable ASCII (number: the byte);
  /// - "message length": a message's 2-byte length, or the message it
  ///   announces, runs past the end of the packet (number: the index of the
  ///   message), so the count says more messages than the bytes hold;
  /// - "trailing bytes": bytes after the last message the count announces,
  ///   or after the header of a heartbeat or end of session (number: how
  ///   many). The specification has nothing after the last message block; a
  ///   packet with more was cut or built wrong, and its extra bytes may be a
  ///   message the count misses, so it is refused rather than half-read;
  /// - "sequence": the first sequence number plus the message count passes
  ///   2^64 - 1 (number: the count), so the numbers would wrap to 0 (and the
  ///   next sequence number, next_sequence(), cannot be written).
  ///   Sequence numbers are 64-bit and never wrap in a session.
  [[nodiscard]] static result<packet_view> parse(std::span<const std::byte> packet) noexcept;
  /// As parse(), without the error: empty when parse() would fail. For a
  /// classifier that tries several protocols on each datagram (mcast-recv's
  /// `--payload auto`), where a refusal is the common case and building an
  /// `error` (~200 bytes, copied into the result) costs more than the
  /// checks themselves.
  [[nodiscard]] static std::optional<packet_view> try_parse(std::span<const std::byte> packet) noexcept;

  /// The session field (10 characters, checked printable ASCII).
  [[nodiscard]] session_id session() const noexcept { return session_id(bytes_.data()); }
  /// Sequence number of the first message; for a heartbeat or an end of
  /// session, the sequence number of the next message the server will send.
  [[nodiscard]] std::uint64_t sequence() const noexcept { return sequence_; }
  /// The count field as sent: 0 for a heartbeat, 0xFFFF for an end of session.
  [[nodiscard]] std::uint16_t count_field() const noexcept { return count_; }
  /// How many messages the packet holds (0 for an end of session).
  [[nodiscard]] std::size_t size() const noexcept { return is_end_of_session() ? 0 : count_; }
  /// No message: a heartbeat or an end of session.
  [[nodiscard]] bool empty() const noexcept { return size() == 0; }
  /// Count 0: the server is alive; sequence() is the next message's.
  [[nodiscard]] bool is_heartbeat() const noexcept { return count_ == heartbeat_count; }
  /// Count 0xFFFF: the session is over; re-requests are still served a while.
  [[nodiscard]] bool is_end_of_session() const noexcept { return count_ == end_of_session_count; }
  /// The sequence number expected after this packet: `sequence() + size()`.
  [[nodiscard]] std::uint64_t next_sequence() const noexcept { return sequence_ + size(); }
  /// The whole packet.
  [[nodiscard]] std::span<const std::byte> bytes() const noexcept { return bytes_; }

  /// The first message (== end() without messages).
  [[nodiscard]] iterator begin() const noexcept { return {bytes_.data() + header_size, sequence_}; }
  /// Past the last message.
  [[nodiscard]] iterator end() const noexcept { return {bytes_.data() + bytes_.size(), sequence_ + size()}; }

 private:
  std::span<const std::byte> bytes_;
  std::uint64_t sequence_ = 0;
  std::uint16_t count_ = 0;
};

/// Writes one downstream packet into a caller-owned buffer, message by
/// message; the buffer's size is the limit (the MTU's UDP payload, say 1472
/// for IPv4 on Ethernet). After every call the buffer's first `size()`
/// bytes are a valid packet.
class packet_builder {
 public:
  /// Start a packet of messages from `first_sequence` for `session`: writes
  /// the header with a count of 0. Error (errc::value_out_of_range, op
  /// "moldudp64 packet"): "buffer" smaller than the 20-byte header.
  [[nodiscard]] static result<packet_builder> start(std::span<std::byte> out, const session_id& session,
                                                    std::uint64_t first_sequence) noexcept;

  /// Append one message (its 2-byte length, then its bytes) and count it.
  /// Errors (errc::value_out_of_range, op "moldudp64 packet"), the packet
  /// left as it was: "message length" over 65535 bytes, "buffer" not enough
  /// room left (the number is the room: `room()`), "message count" already
  /// 65534 messages (0xFFFF means end of session), "sequence" the message's
  /// sequence number would pass 2^64 - 1 (number: the count so far).
  [[nodiscard]] result<void> append(std::span<const std::byte> message) noexcept;

  /// The largest message that still fits (0 when not even a length prefix does).
  [[nodiscard]] std::size_t room() const noexcept;
  /// Messages appended.
  [[nodiscard]] std::uint16_t count() const noexcept { return count_; }
  /// Bytes of the packet so far (at least the 20 of the header).
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  /// The packet so far. With no message appended it is a heartbeat.
  [[nodiscard]] std::span<const std::byte> bytes() const noexcept { return out_.first(size_); }

 private:
  packet_builder(std::span<std::byte> out) noexcept : out_(out) {}
  std::span<std::byte> out_;
  std::size_t size_ = header_size;
  std::uint16_t count_ = 0;
};

/// Write a heartbeat (count 0; `next_sequence` is the next message's
/// sequence number) into `out` and return its 20 bytes. Error
/// (errc::value_out_of_range, op "moldudp64 packet"): "buffer" under 20 bytes.
[[nodiscard]] result<std::size_t> build_heartbeat(std::span<std::byte> out, const session_id& session,
                                                  std::uint64_t next_sequence) noexcept;

/// Write an end of session (count 0xFFFF; `next_sequence` as in a
/// heartbeat) into `out` and return its 20 bytes. Error: as build_heartbeat.
[[nodiscard]] result<std::size_t> build_end_of_session(std::span<std::byte> out, const session_id& session,
                                                       std::uint64_t next_sequence) noexcept;

/// The request a receiver sends to a re-request server for messages it
/// missed: `count` messages from `sequence` in `session`. The server answers
/// with downstream packets, unicast.
struct request {
  session_id session;          ///< the session the messages belong to
  std::uint64_t sequence = 0;  ///< first message wanted
  std::uint16_t count = 0;     ///< how many messages, from `sequence`

  /// Parse a request. Errors (errc::value_out_of_range, op "moldudp64
  /// request"): "length" shorter than 20 bytes, "trailing bytes" longer
  /// (number: how many more), "session" a byte outside printable ASCII.
  [[nodiscard]] static result<request> parse(std::span<const std::byte> packet) noexcept;
  /// Write the 20 bytes into `out` and return 20. Error
  /// (errc::value_out_of_range, op "moldudp64 request"): "buffer" under 20 bytes.
  [[nodiscard]] result<std::size_t> build(std::span<std::byte> out) const noexcept;

  /// Field by field.
  friend bool operator==(const request&, const request&) = default;
};

namespace detail {

inline constexpr std::string_view packet_codec = "moldudp64 packet";
inline constexpr std::string_view session_hint = "the session is printable ASCII (0x20 to 0x7E)";

// The first of `n` session bytes at `p` outside printable ASCII, or -1.
[[nodiscard]] inline int bad_session_byte(const std::byte* p, std::size_t n) noexcept {
  for (std::size_t i = 0; i < n; ++i) {
    const auto c = std::to_integer<int>(p[i]);
    if (c < 0x20 || c > 0x7e) return c;
  }
  return -1;
}

// The checks of packet_view::parse. Returns the first one `packet` fails,
// its number in `value`; or nullptr.
[[nodiscard]] inline const feed::detail::codec_check* check_packet(std::span<const std::byte> packet,
                                                                   std::int64_t& value) noexcept {
  using feed::detail::codec_check;
  const std::size_t n = packet.size();
  if (n < header_size) {
    static constexpr codec_check check{packet_codec, "length", "a downstream packet has at least the 20-byte header"};
    value = static_cast<std::int64_t>(n);
    return &check;
  }
  const std::byte* p = packet.data();
  if (const int c = bad_session_byte(p, session_size); c >= 0) {
    static constexpr codec_check check{packet_codec, "session", session_hint};
    value = c;
    return &check;
  }
  const std::uint16_t count = load_be<std::uint16_t>(p + session_size + 8);
  const std::size_t messages = count == end_of_session_count ? 0 : count;
  std::size_t at = header_size;
  for (std::size_t i = 0; i < messages; ++i) {
    if (n - at < block_header_size || n - at - block_header_size < load_be<std::uint16_t>(p + at)) {
      static constexpr codec_check check{
          packet_codec, "message length",
          "message {number} runs past the end: the count says more than the packet holds"};
      value = static_cast<std::int64_t>(i);
      return &check;
    }
    at += block_header_size + load_be<std::uint16_t>(p + at);
  }
  if (at != n) {
    static constexpr codec_check check{packet_codec, "trailing bytes",
                                       "{number} bytes after the last message the count announces"};
    value = static_cast<std::int64_t>(n - at);
    return &check;
  }
  // Message numbers start at 1 in a session (MoldUDP64 1.00, "Sequence
  // Number"): messages from 0 hold a number no sender uses (trial16h 6: a
  // forged message 0 below a feed from 1 counted as received).
  if (messages > 0 && load_be<std::uint64_t>(p + session_size) == 0) {
    static constexpr codec_check check{packet_codec, "sequence",
                                       "a packet of {number} messages from sequence number 0: a session's first "
                                       "message is 1"};
    value = static_cast<std::int64_t>(messages);
    return &check;
  }
  if (messages > 0 && load_be<std::uint64_t>(p + session_size) > UINT64_MAX - messages) {
    static constexpr codec_check check{
        packet_codec, "sequence",
        "the first sequence number plus the count of {number} passes 2^64 - 1: the numbers would wrap to 0"};
    value = static_cast<std::int64_t>(messages);
    return &check;
  }
  return nullptr;
}

}  // namespace detail

// Inline: called once per datagram; a failure is one out-of-line call
// (feed::detail::codec_failure) whatever check failed. Called out of line,
// the parse cost 3-4 ns a packet more than the hand-written C.
[[nodiscard]] inline result<packet_view> packet_view::parse(std::span<const std::byte> packet) noexcept {
  std::int64_t value = 0;
  if (const auto* failed = detail::check_packet(packet, value)) {
    return feed::detail::codec_failure<packet_view>(*failed, value);
  }
  packet_view v;
  v.bytes_ = packet;
  v.sequence_ = load_be<std::uint64_t>(packet.data() + session_size);
  v.count_ = load_be<std::uint16_t>(packet.data() + session_size + 8);
  return v;
}

[[nodiscard]] inline std::optional<packet_view> packet_view::try_parse(std::span<const std::byte> packet) noexcept {
  std::int64_t value = 0;
  if (detail::check_packet(packet, value) != nullptr) return std::nullopt;
  packet_view v;
  v.bytes_ = packet;
  v.sequence_ = load_be<std::uint64_t>(packet.data() + session_size);
  v.count_ = load_be<std::uint16_t>(packet.data() + session_size + 8);
  return v;
}

}  // namespace mcnet::feed::moldudp64
