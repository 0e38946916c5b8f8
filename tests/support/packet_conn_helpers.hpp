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
#include <optional>
#include <set>
#include <span>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include <mcnet/core/detail/packet_conn_base.hpp>
#include <mcnet/core/dial.hpp>
#include <mcnet/core/endpoint.hpp>
#include <mcnet/core/receive_batch.hpp>
#include <mcnet/core/socket_ops.hpp>
#include <mcnet/core/socket_options.hpp>

#include "addr.hpp"
#include "alloc_counter.hpp"
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

/// The facade's timestamp flags on the wire, `rx` receiving what `tx` sends
/// to `dest`: SO_TIMESTAMPING holds the bits of the flags that are on; the
/// software stamp arrives (read_from and a receive_batch); the hardware one
/// stays absent on veth, which takes none (not made up from the software
/// clock); with both flags off no stamp arrives.
template <class Conn>
void expect_timestamps_through_flags(Conn& rx, Conn& tx, const core::endpoint& dest) {
  using cf = typename Conn::control_flags;
  constexpr auto both = core::detail::software_stamps | core::detail::hardware_stamps;
  ASSERT_TRUE(rx.set_control_message(cf::software_timestamp | cf::hardware_timestamp, true));
  EXPECT_EQ(core::get(rx.socket(), core::opt::timestamping).value(), both);
  rx.set_wait(core::wait_policy::deadline(std::chrono::seconds(2)));
  const auto plausible = [](const std::optional<core::kernel_time>& t) {
    return t && std::chrono::abs(std::chrono::system_clock::now() - *t) < std::chrono::seconds(10);
  };

  // The kernel switches receive stamping on through a static key it flips
  // from a work queue (net_enable_timestamp), and SO_TIMESTAMPING, unlike
  // SO_TIMESTAMPNS, does not fill in the time of the read meanwhile: the
  // first datagrams after the flag may come unstamped. Wait for a stamped one.
  std::array<std::byte, 64> buf{};
  bool stamped = false;
  for (int tries = 0; tries < 50 && !stamped; ++tries) {
    ASSERT_TRUE(tx.write_to(bytes_of("warm-up"), dest));
    auto r = rx.read_from(buf);
    ASSERT_TRUE(r) << r.error().message();
    stamped = plausible(r->control.timestamp);
    if (!stamped) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_TRUE(stamped) << "no software stamp within a second of switching it on";

  ASSERT_TRUE(tx.write_to(bytes_of("stamped"), dest));
  auto one = rx.read_from(buf);
  ASSERT_TRUE(one) << one.error().message();
  EXPECT_TRUE(plausible(one->control.timestamp)) << "the software stamp, through the facade's flag";
  EXPECT_FALSE(one->control.hardware_timestamp) << "veth takes no hardware stamp";

  auto b = core::receive_batch::make(4, 64).value();
  ASSERT_TRUE(tx.write_to(bytes_of("stamped too"), dest));
  auto n = rx.read_batch(b);
  ASSERT_TRUE(n) << n.error().message();
  EXPECT_TRUE(plausible(b[0].info.software_time));
  EXPECT_FALSE(b[0].info.hardware_time);

  // One off: the other's bits stay. Both off: SO_TIMESTAMPING is 0, no stamp.
  ASSERT_TRUE(rx.set_control_message(cf::hardware_timestamp, false));
  EXPECT_EQ(core::get(rx.socket(), core::opt::timestamping).value(), core::detail::software_stamps);
  ASSERT_TRUE(rx.set_control_message(cf::software_timestamp, false));
  EXPECT_EQ(core::get(rx.socket(), core::opt::timestamping).value(), 0u);
  ASSERT_TRUE(tx.write_to(bytes_of("plain"), dest));
  auto plain = rx.read_from(buf);
  ASSERT_TRUE(plain) << plain.error().message();
  EXPECT_FALSE(plain->control.timestamp);
}

/// A facade reading into a core::receive_batch: `count` datagrams that `tx`
/// sends to `group` (port of `rx`) arrive with the destination and interface
/// the flags ask for, without an allocation; a batch of the caller's own
/// messages without control buffers is refused while flags are on.
template <class Conn>
void expect_receive_batch_through_facade(Conn& rx, Conn& tx, const core::ip_address& group,
                                         std::uint32_t rx_interface) {
  using cf = typename Conn::control_flags;
  ASSERT_TRUE(rx.set_control_message(cf::destination | cf::interface, true));
  rx.set_wait(core::wait_policy::deadline(std::chrono::seconds(1)));
  const core::endpoint dest(group, port_of(rx));
  constexpr std::size_t count = 10;
  auto b = core::receive_batch::make(4, 64).value();
  std::size_t got = 0;
  std::size_t right = 0;
  {
    allocation_scope scope;
    for (std::size_t i = 0; i < count; ++i) {
      if (!tx.write_to(bytes_of("facade batch"), dest)) break;
    }
    for (int reads = 0; reads < 10 && got < count; ++reads) {
      auto n = rx.read_batch(b);
      if (!n) break;
      for (const auto& m : b) {
        ++got;
        if (m.info.destination.unmap() == group.unmap() && m.info.interface_index == rx_interface) ++right;
      }
    }
    EXPECT_EQ(scope.count(), 0u) << "sending and reading " << count << " datagrams";
  }
  EXPECT_EQ(got, count);
  EXPECT_EQ(right, count) << "destination and interface decoded as the flags say";

  std::array<std::byte, 64> payload{};
  std::array<core::message, 2> bare{core::message{.buffer = payload}, core::message{.buffer = payload}};
  auto refused = rx.read_batch(bare);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, std::errc::invalid_argument);
}

}  // namespace mcnet::test
