// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

// What the ipv4 and ipv6 packet_conn tests share: a conn made inside a host,
// its port, and everything a conn receives within a window, as text with
// the read_result. Templates over the family's packet_conn, so this support
// library stays free of the ipv4 and ipv6 layers.

#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <set>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <mcnet/core/dial.hpp>
#include <mcnet/core/endpoint.hpp>
#include <mcnet/core/socket_ops.hpp>

#include "addr.hpp"
#include "lan.hpp"

namespace mcnet::test {

/// The bytes of `s`, for write_to.
inline std::span<const std::byte> bytes_of(const std::string& s) { return std::as_bytes(std::span(s.data(), s.size())); }

/// `Conn::listen(local, setup)` inside `h`, then `configure(conn)` there too.
template <class Conn, class Configure>
Conn listen_in(const host& h, const core::endpoint& local, const core::socket_setup& setup, Configure&& configure) {
  return h.run([&] {
    auto c = Conn::listen(local, setup).value();
    configure(c);
    return c;
  });
}

/// The local port of a conn's socket.
template <class Conn>
std::uint16_t port_of(const Conn& c) {
  return core::local_endpoint(c.socket()).value().port();
}

/// One datagram received: its text and what the read said.
template <class Conn>
struct got {
  std::string text;
  typename Conn::read_result r;
};

/// Everything `c` receives within `window` (its wait policy is set to it).
template <class Conn>
std::vector<got<Conn>> drain(Conn& c, std::chrono::milliseconds window = std::chrono::milliseconds(300)) {
  std::vector<got<Conn>> out;
  c.set_wait(core::wait_policy::deadline(window));
  std::array<std::byte, 4096> buf{};
  while (true) {
    auto r = c.read_from(buf);
    if (!r) break;
    out.push_back({std::string(reinterpret_cast<const char*>(buf.data()), r->size), *r});
  }
  return out;
}

/// The texts of what was received, in any order.
template <class Got>
std::multiset<std::string> texts(const std::vector<Got>& g) {
  std::multiset<std::string> out;
  for (const auto& x : g) out.insert(x.text);
  return out;
}

/// Membership errors that say the truth, on a facade's conn `c` made in
/// `h`: a multicast address given as the source of `ssm_group` is named as
/// the source, and a second join, include (`source`) or any-source
/// (`asm_group`), says "already joined".
template <class Conn>
void expect_truthful_membership_errors(const host& h, Conn& c, const char* ssm_group, const char* source,
                                       const char* multicast_source, const char* asm_group) {
  h.run([&] {
    auto r = c.join_source_specific_group(addr(ssm_group), addr(multicast_source), h.iface());
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::source_not_unicast);
    const auto text = r.error().message();
    EXPECT_NE(text.find(std::string("source ") + multicast_source + " is a multicast address"), std::string::npos) << text;
    EXPECT_EQ(text.find(std::string("group ") + multicast_source), std::string::npos) << text;

    ASSERT_TRUE(c.join_source_specific_group(addr(ssm_group), addr(source), h.iface()));
    r = c.join_source_specific_group(addr(ssm_group), addr(source), h.iface());
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message().find("already joined"), std::string::npos) << r.error().message();
    EXPECT_NE(r.error().message().find(source), std::string::npos) << r.error().message();
    ASSERT_TRUE(c.join_group(addr(asm_group), h.iface()));
    r = c.join_group(addr(asm_group), h.iface());
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, std::errc::address_in_use);
    EXPECT_NE(r.error().message().find("already joined"), std::string::npos) << r.error().message();
  });
}

}  // namespace mcnet::test
