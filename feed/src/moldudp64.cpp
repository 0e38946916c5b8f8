// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <mcnet/feed/moldudp64.hpp>

#include <cstring>

#include <mcnet/feed/detail/codec_error.hpp>

namespace mcnet::feed::moldudp64 {
using feed::detail::codec_error;
namespace {

using detail::bad_session_byte;
using detail::packet_codec;
using detail::session_hint;
constexpr std::string_view request_codec = "moldudp64 request";

// The error for a session byte `c` outside printable ASCII.
tl::unexpected<error> bad_session(std::string_view codec, int c) noexcept {
  return codec_error(codec, "session", c, session_hint);
}

void write_header(std::byte* p, const session_id& session, std::uint64_t sequence, std::uint16_t count) noexcept {
  std::memcpy(p, session.view().data(), session_size);
  store_be<std::uint64_t>(p + session_size, sequence);
  store_be<std::uint16_t>(p + session_size + 8, count);
}

result<std::size_t> build_header_only(std::span<std::byte> out, const session_id& session, std::uint64_t sequence,
                                      std::uint16_t count) noexcept {
  if (out.size() < header_size) return codec_error(packet_codec, "buffer", out.size(), "the header needs 20 bytes");
  write_header(out.data(), session, sequence, count);
  return header_size;
}

}  // namespace

result<session_id> session_id::make(std::string_view name) noexcept {
  if (name.size() > session_size) {
    return codec_error("moldudp64 session", "length", name.size(), "a session has at most 10 characters");
  }
  if (const int c = bad_session_byte(reinterpret_cast<const std::byte*>(name.data()), name.size()); c >= 0) {
    return codec_error("moldudp64 session", "character", c, session_hint);
  }
  session_id s;
  std::memcpy(s.text_.data(), name.data(), name.size());
  return s;
}

session_id::session_id(const std::byte* wire) noexcept { std::memcpy(text_.data(), wire, session_size); }

std::string_view session_id::name() const noexcept {
  auto v = view();
  while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
  return v;
}

result<packet_builder> packet_builder::start(std::span<std::byte> out, const session_id& session,
                                             std::uint64_t first_sequence) noexcept {
  if (auto r = build_header_only(out, session, first_sequence, 0); !r) return fail(r.error());
  return packet_builder(out);
}

std::size_t packet_builder::room() const noexcept {
  const std::size_t left = out_.size() - size_;
  return left < block_header_size ? 0 : std::min<std::size_t>(left - block_header_size, 0xffff);
}

result<void> packet_builder::append(std::span<const std::byte> message) noexcept {
  if (message.size() > 0xffff) {
    return codec_error(packet_codec, "message length", message.size(), "a message has at most 65535 bytes");
  }
  if (out_.size() - size_ < block_header_size + message.size()) {
    return codec_error(packet_codec, "buffer", room(), "room for a message of {number} bytes only");
  }
  if (count_ == max_messages) {
    return codec_error(packet_codec, "message count", count_, "65534 messages at most: 0xFFFF is end of session");
  }
  if (load_be<std::uint64_t>(out_.data() + session_size) > UINT64_MAX - count_ - 1u) {
    return codec_error(packet_codec, "sequence", count_,
                       "the next message's sequence number would pass 2^64 - 1 (numbers never wrap)");
  }
  std::byte* p = out_.data() + size_;
  store_be<std::uint16_t>(p, static_cast<std::uint16_t>(message.size()));
  if (!message.empty()) std::memcpy(p + block_header_size, message.data(), message.size());
  size_ += block_header_size + message.size();
  ++count_;
  store_be<std::uint16_t>(out_.data() + session_size + 8, count_);
  return {};
}

result<std::size_t> build_heartbeat(std::span<std::byte> out, const session_id& session,
                                    std::uint64_t next_sequence) noexcept {
  return build_header_only(out, session, next_sequence, heartbeat_count);
}

result<std::size_t> build_end_of_session(std::span<std::byte> out, const session_id& session,
                                         std::uint64_t next_sequence) noexcept {
  return build_header_only(out, session, next_sequence, end_of_session_count);
}

result<request> request::parse(std::span<const std::byte> packet) noexcept {
  if (packet.size() < request_size) {
    return codec_error(request_codec, "length", packet.size(), "a request has 20 bytes");
  }
  if (packet.size() > request_size) {
    return codec_error(request_codec, "trailing bytes", packet.size() - request_size, "a request has 20 bytes");
  }
  const std::byte* p = packet.data();
  if (const int c = bad_session_byte(p, session_size); c >= 0) return bad_session(request_codec, c);
  return request{session_id(p), load_be<std::uint64_t>(p + session_size), load_be<std::uint16_t>(p + session_size + 8)};
}

result<std::size_t> request::build(std::span<std::byte> out) const noexcept {
  if (out.size() < request_size) return codec_error(request_codec, "buffer", out.size(), "a request needs 20 bytes");
  write_header(out.data(), session, sequence, count);
  return request_size;
}

}  // namespace mcnet::feed::moldudp64
