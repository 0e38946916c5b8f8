// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <mcnet/ipv4/packet_conn.hpp>

#include <netinet/in.h>

#include <array>
#include <cstring>

#include <mcnet/core/socket_ops.hpp>
#include <mcnet/core/socket_options.hpp>
#include <mcnet/ipv4/options.hpp>

namespace mcnet::ipv4 {
namespace {

// Groups, sources and destinations of this layer are IPv4 (or IPv4-mapped).
result<void> require_v4(const core::ip_address& a, std::string_view op, std::string_view what) noexcept {
  if (a.unmap().is_v4()) return {};
  return fail(error(errc::family_mismatch, op, what)
                  .with_address(a)
                  .with_hint("ipv4::packet_conn takes IPv4 addresses; use ipv6::packet_conn for IPv6"));
}

// The control flags: each flag, the option that enables it, the cmsg kind
// it yields. The switch names every enumerator, so a flag added without its
// row does not compile (-Wswitch); destination and interface share
// IP_PKTINFO, which the shared-option rule of packet_conn_base keeps on while
// either is.
constexpr core::detail::control_row<control_flags> row_for(control_flags f) noexcept {
  using cf = control_flags;
  switch (f) {
    case cf::none: break;
    case cf::ttl: return {f, &opt::receive_ttl, core::cmsg::hop_limit};
    case cf::tos: return {f, &opt::receive_tos, core::cmsg::traffic_class};
    case cf::destination: return {f, &opt::receive_packet_info, core::cmsg::pktinfo};
    case cf::interface: return {f, &opt::receive_packet_info, core::cmsg::pktinfo};
    case cf::timestamp: return {f, &core::opt::timestamp_ns, core::cmsg::timestamp_ns};
    case cf::drops: return {f, &core::opt::receive_queue_overflow, core::cmsg::drops};
    case cf::software_timestamp: return {f, nullptr, core::cmsg::timestamping, core::detail::software_stamps};
    case cf::hardware_timestamp: return {f, nullptr, core::cmsg::timestamping, core::detail::hardware_stamps};
    case cf::original_destination: return {f, &opt::receive_original_destination, core::cmsg::original_destination};
  }
  return {f, nullptr, core::cmsg::none};
}
constexpr auto control_table = core::detail::make_control_table<9, control_flags>(row_for);
static_assert(core::detail::control_table_is_whole(control_table, row_for), "every control flag in one table row");

}  // namespace

// ------------------------------------------------------------------- conn

result<int> conn::tos() const noexcept { return core::get(s_, opt::tos); }
result<void> conn::set_tos(int tos) noexcept { return core::set(s_, opt::tos, tos); }
result<int> conn::ttl() const noexcept { return core::get(s_, opt::ttl); }
result<void> conn::set_ttl(int ttl) noexcept {
  if (ttl < 1 || ttl > 255) {
    return fail(error(errc::value_out_of_range, "setsockopt", "IP_TTL").with_number(ttl).with_hint("a TTL is 1 to 255"));
  }
  return core::set(s_, opt::ttl, ttl);
}

// ------------------------------------------------------------ packet_conn

std::span<const core::detail::control_row<control_flags>> family_rules::control_rows() noexcept {
  return control_table;
}

result<packet_conn> packet_conn::listen(const core::endpoint& local, const core::socket_setup& setup) {
  if (auto r = require_v4(local.address(), "listen", "endpoint"); !r) return fail(r.error());
  auto s = core::listen_udp(core::endpoint(local.address().unmap(), local.port()), setup);
  if (!s) return fail(s.error());
  return packet_conn(std::move(*s));
}

result<std::uint32_t> family_rules::group_interface(core::socket_ref, const core::ip_address& group,
                                                    core::interface_ref iface, std::string_view op) noexcept {
  if (auto r = require_v4(group, "setsockopt", op); !r) return fail(r.error());
  return iface.index;
}

result<core::endpoint> family_rules::peer(const core::endpoint& destination) noexcept {
  if (!destination.address().is_valid()) return core::endpoint();
  if (auto r = require_v4(destination.address(), "sendmsg", "destination"); !r) return fail(r.error());
  return core::endpoint(destination.address().unmap(), destination.port());
}

result<void> packet_conn::set_multicast_interface(core::interface_ref iface) noexcept {
  auto r = core::set(s_, opt::multicast_interface, {iface.index, {}});
  if (!r) {
    auto e = r.error();
    if (e.code == std::errc::address_not_available) {
      e.with_interface(iface.index).with_hint("no interface with index {interface} in this network namespace");
    }
    return fail(e);
  }
  multicast_if_ = iface;
  return {};
}

result<multicast_interface_state> packet_conn::multicast_interface() const noexcept {
  if (multicast_if_) return multicast_interface_state{true, *multicast_if_, {}};
  auto v = core::get(s_, opt::multicast_interface);
  if (!v) return fail(v.error());
  return multicast_interface_state{false, {}, v->address};
}

result<int> packet_conn::multicast_ttl() const noexcept { return core::get(s_, opt::multicast_ttl); }
result<void> packet_conn::set_multicast_ttl(int ttl) noexcept { return core::set(s_, opt::multicast_ttl, ttl); }

control_message to_control_message(const core::packet_info& info) noexcept {
  control_message cm;
  cm.ttl = info.hop_limit;
  cm.tos = info.traffic_class;
  cm.destination = info.destination;
  cm.interface_index = info.interface_index;
  cm.timestamp = info.software_time;
  cm.hardware_timestamp = info.hardware_time;
  cm.drops = info.drops;
  cm.original_destination = info.original_destination;
  return cm;
}

result<void> marshal(const control_message& cm, core::cmsg_writer& out) noexcept {
  if (cm.source.is_valid() || cm.interface_index != 0) {
    if (cm.source.is_valid()) {
      if (auto r = require_v4(cm.source, "sendmsg", "IP_PKTINFO"); !r) return r;
    }
    in_pktinfo pi{};
    pi.ipi_ifindex = static_cast<int>(cm.interface_index);
    if (cm.source.is_valid()) std::memcpy(&pi.ipi_spec_dst, cm.source.unmap().bytes().data(), 4);
    if (auto r = out.append(IPPROTO_IP, IP_PKTINFO, pi); !r) return r;
  }
  if (cm.ttl >= 0) {
    if (auto r = out.append(IPPROTO_IP, IP_TTL, cm.ttl); !r) return r;
  }
  if (cm.tos >= 0) {
    if (auto r = out.append(IPPROTO_IP, IP_TOS, cm.tos); !r) return r;
  }
  return {};
}

result<void> packet_conn::connect(const core::endpoint& remote) noexcept {
  if (auto r = require_v4(remote.address(), "connect", "endpoint"); !r) return r;
  return core::connect(s_, core::endpoint(remote.address().unmap(), remote.port()));
}

}  // namespace mcnet::ipv4
