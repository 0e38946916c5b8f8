// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <mcnet/ipv6/packet_conn.hpp>

#include <netinet/in.h>

#include <array>
#include <cstring>

#include <mcnet/core/socket_ops.hpp>
#include <mcnet/core/socket_options.hpp>
#include <mcnet/ipv6/options.hpp>

namespace mcnet::ipv6 {
namespace {

// The control flags: each flag, the option that enables it, the cmsg kind
// it yields. The switch names every enumerator, so a flag added without its
// row does not compile (-Wswitch); destination and interface share
// IPV6_RECVPKTINFO, which the shared-option rule of packet_conn_base keeps on while
// either is.
constexpr core::detail::control_row<control_flags> row_for(control_flags f) noexcept {
  using cf = control_flags;
  switch (f) {
    case cf::traffic_class: return {f, &opt::receive_traffic_class, core::cmsg::traffic_class};
    case cf::hop_limit: return {f, &opt::receive_hop_limit, core::cmsg::hop_limit};
    case cf::destination: return {f, &opt::receive_packet_info, core::cmsg::pktinfo};
    case cf::interface: return {f, &opt::receive_packet_info, core::cmsg::pktinfo};
    case cf::path_mtu: return {f, &opt::receive_path_mtu, core::cmsg::path_mtu};
    case cf::timestamp: return {f, &core::opt::timestamp_ns, core::cmsg::timestamp_ns};
    case cf::drops: return {f, &core::opt::receive_queue_overflow, core::cmsg::drops};
    case cf::software_timestamp: return {f, nullptr, core::cmsg::timestamping, core::detail::software_stamps};
    case cf::hardware_timestamp: return {f, nullptr, core::cmsg::timestamping, core::detail::hardware_stamps};
    case cf::original_destination: return {f, &opt::receive_original_destination, core::cmsg::original_destination};
    case cf::none: break;
  }
  return {f, nullptr, core::cmsg::none};
}
constexpr auto control_table = core::detail::make_control_table<10, control_flags>(row_for);
static_assert(core::detail::control_table_is_whole(control_table, row_for), "every control flag in one table row");

}  // namespace

// ------------------------------------------------------------------- conn

result<int> conn::traffic_class() const noexcept { return core::get(s_, opt::traffic_class); }
result<void> conn::set_traffic_class(int tclass) noexcept {
  if (tclass < 0 || tclass > 255) {
    return fail(error(errc::value_out_of_range, "setsockopt", "IPV6_TCLASS").with_number(tclass).with_hint("0 to 255"));
  }
  return core::set(s_, opt::traffic_class, tclass);
}
result<int> conn::hop_limit() const noexcept { return core::get(s_, opt::unicast_hops); }
result<void> conn::set_hop_limit(int hops) noexcept {
  if (hops < 1 || hops > 255) {
    return fail(error(errc::value_out_of_range, "setsockopt", "IPV6_UNICAST_HOPS").with_number(hops).with_hint("1 to 255"));
  }
  return core::set(s_, opt::unicast_hops, hops);
}
result<std::uint32_t> conn::path_mtu() const noexcept { return core::get(s_, opt::path_mtu); }

// ------------------------------------------------------------ packet_conn

std::span<const core::detail::control_row<control_flags>> family_rules::control_rows() noexcept {
  return control_table;
}

result<packet_conn> packet_conn::listen(const core::endpoint& local, const core::socket_setup& setup) {
  const core::endpoint v6(local.address().map_v6(), local.port());
  auto s = core::listen_udp(v6, setup);
  if (!s) return fail(s.error());
  return packet_conn(std::move(*s));
}

result<std::uint32_t> family_rules::group_interface(core::socket_ref s, const core::ip_address& group,
                                                    core::interface_ref iface, std::string_view op) noexcept {
  const auto g = group.unmap();
  if (g.is_v4()) {
    auto only = core::get(s, opt::v6_only);
    if (!only) return fail(only.error());
    if (*only) {
      return fail(error(errc::family_mismatch, "setsockopt", op)
                      .with_address(group)
                      .with_hint("the socket is IPv6-only (IPV6_V6ONLY): join IPv4 groups on a dual-stack "
                                 "socket or with ipv4::packet_conn"));
    }
    return iface.index;
  }
  if (!g.is_v6()) return fail(error(errc::invalid_address, "setsockopt", op).with_hint("no group address"));
  std::uint32_t index = iface.index;
  if (g.scope_id() != 0) {
    if (index != 0 && index != g.scope_id()) {
      return fail(error(errc::value_out_of_range, "setsockopt", op)
                      .with_address(g)
                      .with_interface(index)
                      .with_hint("the group's scope id and the interface given ({interface}) differ; give one"));
    }
    index = g.scope_id();
  }
  if (index == 0 && (g.is_link_local_multicast() || g.is_interface_local_multicast())) {
    return fail(error(errc::interface_required, "setsockopt", op)
                    .with_address(g)
                    .with_hint("a link-local or interface-local group needs an interface: pass one, or write "
                               "the group with a zone, like ff02::1%eth0"));
  }
  return index;
}

result<core::endpoint> family_rules::peer(const core::endpoint& destination) noexcept {
  if (!destination.address().is_valid()) return core::endpoint();
  return core::endpoint(destination.address().map_v6(), destination.port());
}

result<void> packet_conn::set_multicast_interface(core::interface_ref iface) noexcept {
  auto r = core::set(s_, opt::multicast_interface, static_cast<int>(iface.index));
  if (!r) {
    auto e = r.error();
    if (e.code == std::errc::no_such_device || e.code == std::errc::invalid_argument) {
      e.with_interface(iface.index).with_hint("no interface with index {interface} in this network namespace");
    }
    return fail(e);
  }
  return {};
}

result<core::interface_ref> packet_conn::multicast_interface() const noexcept {
  auto index = core::get(s_, opt::multicast_interface);
  if (!index) return fail(index.error());
  if (*index == 0) return core::interface_ref::kernel_choice();
  return core::interface_ref::by_index(s_, static_cast<std::uint32_t>(*index));  // in the socket's namespace
}

result<int> packet_conn::multicast_hop_limit() const noexcept { return core::get(s_, opt::multicast_hops); }
result<void> packet_conn::set_multicast_hop_limit(int hops) noexcept {
  return core::set(s_, opt::multicast_hops, hops);
}

control_message to_control_message(const core::packet_info& info) noexcept {
  control_message cm;
  cm.traffic_class = info.traffic_class;
  cm.hop_limit = info.hop_limit;
  cm.destination = info.destination.unmap();
  cm.interface_index = info.interface_index;
  cm.path_mtu = info.path_mtu;
  cm.timestamp = info.software_time;
  cm.hardware_timestamp = info.hardware_time;
  cm.drops = info.drops;
  cm.original_destination = info.original_destination;
  return cm;
}

bool is_path_mtu_notification(const core::message& m) noexcept { return m.wire_size == 0 && m.info.path_mtu != 0; }

result<void> marshal(const control_message& cm, core::cmsg_writer& out) noexcept {
  if (cm.source.is_valid() || cm.interface_index != 0) {
    const auto src = cm.source.is_v4() ? cm.source.map_v6() : cm.source;
    if (src.is_valid() && !src.is_v6()) {
      return fail(error(errc::family_mismatch, "sendmsg", "IPV6_PKTINFO").with_address(cm.source));
    }
    in6_pktinfo pi{};
    pi.ipi6_ifindex = cm.interface_index;
    if (src.is_v6()) std::memcpy(&pi.ipi6_addr, src.bytes().data(), 16);
    if (auto r = out.append(IPPROTO_IPV6, IPV6_PKTINFO, pi); !r) return r;
  }
  if (cm.hop_limit >= 0) {
    if (auto r = out.append(IPPROTO_IPV6, IPV6_HOPLIMIT, cm.hop_limit); !r) return r;
  }
  if (cm.traffic_class >= 0) {
    if (auto r = out.append(IPPROTO_IPV6, IPV6_TCLASS, cm.traffic_class); !r) return r;
  }
  return {};
}

result<void> packet_conn::connect(const core::endpoint& remote) noexcept { return core::connect(s_, remote); }

}  // namespace mcnet::ipv6
