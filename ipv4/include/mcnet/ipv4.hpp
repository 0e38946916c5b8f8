// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// mcnet ipv4: IP-level socket options and IPv4 multicast, in the shape of
/// golang.org/x/net/ipv4.
///
/// The package has three types: `conn` (TOS and TTL on any IPv4 socket),
/// `packet_conn` (datagrams: group membership, source filters, multicast
/// options, control messages in and out, batches) and `raw_conn` (whole
/// packets with their IPv4 header, and the ICMP filter). Every option is
/// also a descriptor in `ipv4::opt` for `core::get`/`core::set`. Every call
/// returns `mcnet::result<T>`; `error().message()` says what to fix (`check(r)`
/// in the examples prints it when `r` failed). The examples below are
/// compiled (examples/ipv4_overview.cpp).
///
/// ## Unicasting
/// The TOS and TTL of a TCP or UDP socket:
/// @code
///   auto s = core::dial_tcp(core::endpoint::parse("10.77.0.2:80").value());
///   ipv4::conn c(*s);
///   check(c.set_tos(0x28));   // DSCP AF11
///   check(c.set_ttl(32));
/// @endcode
///
/// ## Multicasting
/// Join a group on an interface and read datagrams with their destination
/// and ingress interface:
/// @code
///   auto c = ipv4::packet_conn::listen(core::endpoint::parse("0.0.0.0:5000").value(),
///                                      {.reuse_address = true}).value();
///   auto eth0 = core::interface_ref::by_name("eth0").value();
///   check(c.join_group(core::ip_address::parse("239.255.0.1").value(), eth0));
///   check(c.set_multicast_all(false));  // only our own groups on this wildcard socket
///   check(c.set_control_message(ipv4::control_flags::destination | ipv4::control_flags::interface, true));
///   std::array<std::byte, 1500> buf;
///   auto r = c.read_from(buf);   // r->control.destination is the group, r->control.interface_index eth0
/// @endcode
/// Send to a group out of a chosen interface with a chosen TTL:
/// @code
///   check(c.set_multicast_interface(eth0));  // remembered: Linux reports back only an address
///   check(c.set_multicast_ttl(4));
///   check(c.write_to(payload, core::endpoint::parse("239.255.0.1:5000").value()));
/// @endcode
///
/// ## Source-specific multicasting
/// Receive a group from one sender (SSM, RFC 4607), switch senders in one
/// call, or exclude one sender from an any-source group:
/// @code
///   auto group = core::ip_address::parse("232.1.1.1").value();
///   check(c.join_source_specific_group(group, core::ip_address::parse("10.77.0.1").value(), eth0));
///   std::array<core::ip_address, 1> other{core::ip_address::parse("10.77.0.2").value()};
///   check(c.set_source_filter(group, eth0, core::filter_mode::include, other));  // MCAST_MSFILTER
///   check(c.join_group(core::ip_address::parse("239.255.0.2").value(), eth0));
///   check(c.exclude_source_specific_group(core::ip_address::parse("239.255.0.2").value(),
///                                         core::ip_address::parse("10.77.0.9").value(), eth0));
/// @endcode
/// Limits are per socket: past net.ipv4.igmp_max_memberships groups or
/// net.ipv4.igmp_max_msf sources the error names the sysctl and its value.
///
/// ## Control messages
/// Per-datagram TTL, TOS, destination, interface, kernel timestamp and drop
/// count in; per-datagram source, interface, TTL and TOS out:
/// @code
///   using cf = ipv4::control_flags;
///   check(c.set_control_message(cf::ttl | cf::tos | cf::timestamp | cf::drops, true));
///   auto in = c.read_from(buf);  // in->control.ttl, .tos, .timestamp, .drops
///   ipv4::control_message out;
///   out.interface_index = eth0.index;                     // IP_PKTINFO
///   out.source = core::ip_address::parse("10.77.0.1").value();
///   out.ttl = 1;                                          // IP_TTL for this datagram
///   check(c.write_to(payload, destination, &out));
/// @endcode
/// Kernel stamps: `cf::timestamp` (SO_TIMESTAMPNS), or through SO_TIMESTAMPING
/// `cf::software_timestamp` (into `.timestamp`) and `cf::hardware_timestamp`
/// (into `.hardware_timestamp`, where the NIC stamps; empty on veth and lo).
///
/// ## Batches
/// Many datagrams per system call (recvmmsg): read into a
/// `core::receive_batch`, whose buffers are allocated once, and turn a
/// message's `info` into a control_message with `to_control_message`;
/// `write_batch` sends `core::message`s with sendmmsg.
/// @code
///   auto batch = core::receive_batch::make(32, 2048).value();  // 32 datagrams a call, 2048 bytes each
///   c.set_wait(core::wait_policy::deadline(std::chrono::seconds(1)));  // per call
///   while (auto n = c.read_batch(batch))
///     for (const core::message& m : batch)
///       std::printf("%zu bytes to %s\n", m.size, ipv4::to_control_message(m.info).destination.to_string().c_str());
/// @endcode

#include <mcnet/core/cxx20.hpp>  // first: C++20 or one clear error

#include <mcnet/core.hpp>
#include <mcnet/ipv4/header.hpp>
#include <mcnet/ipv4/options.hpp>
#include <mcnet/ipv4/packet_conn.hpp>
#include <mcnet/ipv4/raw_conn.hpp>
