// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

// Helpers for the datagram-path tests. Options of the IPPROTO_IP and
// IPPROTO_IPV6 levels belong to the ipv4 and ipv6 layers; until a test can
// use those, it sets them with plain setsockopt here.

#include <gtest/gtest.h>

#include <netinet/in.h>
#include <sys/socket.h>

#include <array>
#include <chrono>
#include <cstring>
#include <string>
#include <string_view>

#include <mcnet/core/message.hpp>
#include <mcnet/core/socket.hpp>

#include "alloc_counter.hpp"
#include "netns.hpp"

namespace mcnet::test {

inline void raw_set(core::socket_ref s, int level, int name, int value) {
  if (::setsockopt(s.native_handle(), level, name, &value, sizeof value) != 0) {
    throw harness_error("setsockopt " + std::to_string(level) + "/" + std::to_string(name) + ": " +
                        std::strerror(errno));
  }
}

/// What enable_metadata switches on, as kinds to decode.
inline constexpr core::cmsg metadata_kinds =
    core::cmsg::pktinfo | core::cmsg::hop_limit | core::cmsg::timestamp_ns | core::cmsg::drops;

/// Ask for destination, interface, TTL/hop limit, timestamps and drops.
inline void enable_metadata(core::socket_ref s, bool v6) {
  if (v6) {
    raw_set(s, IPPROTO_IPV6, IPV6_RECVPKTINFO, 1);
    raw_set(s, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1);
  } else {
    raw_set(s, IPPROTO_IP, IP_PKTINFO, 1);
    raw_set(s, IPPROTO_IP, IP_RECVTTL, 1);
  }
  raw_set(s, SOL_SOCKET, SO_TIMESTAMPNS, 1);
  raw_set(s, SOL_SOCKET, SO_RXQ_OVFL, 1);
}

/// Send multicast out of `ifindex` with this TTL / hop limit.
inline void multicast_out(core::socket_ref s, bool v6, std::uint32_t ifindex, int ttl) {
  if (v6) {
    raw_set(s, IPPROTO_IPV6, IPV6_MULTICAST_IF, static_cast<int>(ifindex));
    raw_set(s, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, ttl);
  } else {
    ip_mreqn mreq{};
    mreq.imr_ifindex = static_cast<int>(ifindex);
    if (::setsockopt(s.native_handle(), IPPROTO_IP, IP_MULTICAST_IF, &mreq, sizeof mreq) != 0) {
      throw harness_error(std::string("IP_MULTICAST_IF: ") + std::strerror(errno));
    }
    raw_set(s, IPPROTO_IP, IP_MULTICAST_TTL, ttl);
  }
}

/// A message with its own payload and control storage.
struct owned_message {
  std::array<std::byte, 2048> payload{};
  core::control_buffer control;
  core::message m;

  owned_message() { reset(); }
  owned_message(const owned_message&) = delete;
  owned_message& operator=(const owned_message&) = delete;
  void reset() {
    m = core::message{};
    m.buffer = payload;
    m.control = control.span();
  }
  void set_text(std::string_view text) {
    std::memcpy(payload.data(), text.data(), text.size());
    m.size = text.size();
  }
  [[nodiscard]] std::string text() const { return {reinterpret_cast<const char*>(payload.data()), m.size}; }
};

/// Send `text` to `to` from socket `s` (one datagram).
/// `prefix` followed by `n` in decimal ("m3"), the payloads the tests number.
/// Built by appending: `"m" + std::to_string(n)` inserts at the front of the
/// temporary, and g++ 12 at -O3 reports that insert as a possible overlap
/// (-Wrestrict, a false positive).
inline std::string numbered(std::string_view prefix, std::size_t n) {
  std::string text(prefix);
  text += std::to_string(n);
  return text;
}

inline void send_text(core::socket_ref s, const core::endpoint& to, std::string_view text) {
  owned_message out;
  out.set_text(text);
  out.m.peer = to;
  auto r = core::write_to(s, out.m, core::wait_policy::deadline(std::chrono::seconds(1)));
  if (!r) throw harness_error("write_to " + to.to_string() + ": " + r.error().message());
}

/// Receive one datagram's text, or "" after `timeout`.
inline std::string receive_text(core::socket_ref s, std::chrono::milliseconds timeout = std::chrono::milliseconds(1000)) {
  owned_message in;
  auto r = core::read_from(s, in.m, core::cmsg::none, core::wait_policy::deadline(timeout));
  return r ? in.text() : std::string();
}

/// The steady-state check of an owning reader (receive_batch,
/// uring_receiver): 200 rounds, each a write_batch of `out_batch` (4-byte
/// datagrams) from `tx`, read back by `read(wait)` (a result, then `reader`
/// iterates the messages it gave), counting the 4-byte datagrams with a
/// destination; expects every datagram moved and no allocation on the way.
template <std::size_t N, class Reader, class Read>
void expect_reads_allocate_nothing(core::socket& tx, std::array<core::message, N>& out_batch, const Reader& reader,
                                   Read&& read) {
  mcnet::test::allocation_scope scope;
  std::size_t moved = 0;
  for (int round = 0; round < 200; ++round) {
    auto sent = core::write_batch(tx, out_batch, core::wait_policy::deadline(std::chrono::seconds(1)));
    if (!sent) break;
    std::size_t got = 0;
    while (got < *sent) {
      if (!read(core::wait_policy::deadline(std::chrono::seconds(1)))) break;
      for (const auto& m : reader) got += m.size == 4 && m.info.destination.is_valid() ? 1 : 0;
    }
    moved += got;
  }
  const auto allocations = scope.count();
  EXPECT_EQ(moved, 200u * N);
  EXPECT_EQ(allocations, 0u) << "allocations over " << moved << " datagrams";
}

}  // namespace mcnet::test
