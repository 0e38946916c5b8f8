// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// mcnet ipv6: IP-level socket options and IPv6 multicast, in the shape of
/// golang.org/x/net/ipv6, in IPv6's own words (traffic class, hop limit).
///
/// Types: `conn` (traffic class, hop limit, path MTU on any IPv6 socket),
/// `packet_conn` (datagrams: MLD membership, source filters, multicast
/// options, control messages in and out, batches, path-MTU notifications)
/// and `raw_conn` (raw sockets: kernel checksums, the ICMPv6 filter). Every
/// option is also a descriptor in `ipv6::opt`. IPv6 multicast does not work
/// over `lo`: use a real or veth interface. Every call returns
/// `mcnet::result<T>` (`check(r)` in the examples prints
/// `r.error().message()` when `r` failed). The examples below are compiled
/// (examples/ipv6_overview.cpp).
///
/// ## Unicasting
/// @code
///   auto s = core::dial_udp(core::endpoint::parse("[fd77::2]:9").value());
///   ipv6::conn c(*s);
///   check(c.set_traffic_class(0xb8));             // DSCP EF
///   check(c.set_hop_limit(16));
///   auto mtu = c.path_mtu();               // IPV6_PATHMTU, connected sockets
/// @endcode
///
/// ## Multicasting
/// Global groups may follow the route; link-local (ff02::, ff12::, ...) and
/// interface-local (ff01::, ff11::) groups need an interface, given as an
/// argument or as the group's zone:
/// @code
///   auto c = ipv6::packet_conn::listen(core::endpoint::parse("[::]:5000").value(),
///                                      {.reuse_address = true}).value();
///   auto eth0 = core::interface_ref::by_name("eth0").value();
///   check(c.join_group(core::ip_address::parse("ff1e::1").value(), eth0));
///   check(c.join_group(core::ip_address::parse("ff12::1%eth0").value()));  // the zone names the interface
///   check(c.set_control_message(ipv6::control_flags::destination | ipv6::control_flags::interface, true));
///   std::array<std::byte, 1500> buf;
///   auto r = c.read_from(buf);   // r->control.destination, r->control.interface_index
///   check(c.set_multicast_interface(eth0));      // read back exactly (unlike IPv4)
///   check(c.set_multicast_hop_limit(4));
///   check(c.write_to(payload, core::endpoint::parse("[ff1e::1]:5000").value()));
/// @endcode
/// A dual-stack socket also joins IPv4 groups (at IPPROTO_IP) and reports
/// their sources as IPv4; an IPV6_V6ONLY socket refuses them.
///
/// ## Source-specific multicasting
/// @code
///   auto group = core::ip_address::parse("ff3e::8000:1").value();   // ff3x::/32
///   check(c.join_source_specific_group(group, core::ip_address::parse("fd77::1").value(), eth0));
///   std::array<core::ip_address, 1> other{core::ip_address::parse("fd77::2").value()};
///   check(c.set_source_filter(group, eth0, core::filter_mode::include, other));
/// @endcode
/// Past net.ipv6.mld_max_msf sources (host-wide, 64 by default) or
/// net.core.optmem_max the error names the limit.
///
/// ## Control messages
/// @code
///   using cf = ipv6::control_flags;
///   check(c.set_control_message(cf::hop_limit | cf::traffic_class | cf::path_mtu, true));
///   auto in = c.read_from(buf);
///   if (in && in->path_mtu_notification) { /* in->control.path_mtu; not a datagram */ }
///   ipv6::control_message out;
///   out.interface_index = eth0.index;    // IPV6_PKTINFO
///   out.hop_limit = 1;                   // IPV6_HOPLIMIT for this datagram
///   check(c.write_to(payload, core::endpoint::parse("[ff02::1]:5000").value(), &out));
/// @endcode
/// Linux refuses IPV6_NEXTHOP on send, so control_message has no next hop.
/// Kernel stamps: `cf::timestamp` (SO_TIMESTAMPNS), or through SO_TIMESTAMPING
/// `cf::software_timestamp` and `cf::hardware_timestamp` (empty where the NIC
/// takes none, veth and lo among them).
///
/// ## Batches
/// Many datagrams per system call (recvmmsg) into a `core::receive_batch`
/// (buffers allocated once); `to_control_message` gives x/net's view of a
/// message's `info`.
/// @code
///   auto batch = core::receive_batch::make(32, 2048).value();
///   c.set_wait(core::wait_policy::deadline(std::chrono::seconds(1)));  // per call
///   while (auto n = c.read_batch(batch))
///     for (const core::message& m : batch)
///       if (!ipv6::is_path_mtu_notification(m)) std::printf("%zu bytes from %s\n", m.size, m.peer.to_string().c_str());
/// @endcode

#include <mcnet/core/cxx20.hpp>  // first: C++20 or one clear error

#include <mcnet/core.hpp>
#include <mcnet/ipv6/header.hpp>
#include <mcnet/ipv6/options.hpp>
#include <mcnet/ipv6/packet_conn.hpp>
#include <mcnet/ipv6/raw_conn.hpp>
