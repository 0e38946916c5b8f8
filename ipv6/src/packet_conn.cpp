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

result<packet_conn> packet_conn::listen(const core::endpoint& local, const core::socket_setup& setup) {
  const core::endpoint v6(local.address().map_v6(), local.port());
  auto s = core::listen_udp(v6, setup);
  if (!s) return fail(s.error());
  return packet_conn(std::move(*s));
}

result<std::uint32_t> packet_conn::group_interface(const core::ip_address& group, core::interface_ref iface,
                                                   std::string_view op) const noexcept {
  const auto g = group.unmap();
  if (g.is_v4()) {
    auto only = core::get(s_, opt::v6_only);
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

#define MCNET_GROUP_CALL(op_name, call)                        \
  auto index = group_interface(group, iface, op_name);        \
  if (!index) return fail(index.error());                     \
  return call

result<void> packet_conn::join_group(const core::ip_address& group, core::interface_ref iface) noexcept {
  MCNET_GROUP_CALL("MCAST_JOIN_GROUP", core::join_group(s_, group, *index));
}
result<void> packet_conn::leave_group(const core::ip_address& group, core::interface_ref iface) noexcept {
  MCNET_GROUP_CALL("MCAST_LEAVE_GROUP", core::leave_group(s_, group, *index));
}
result<void> packet_conn::join_source_specific_group(const core::ip_address& group, const core::ip_address& source,
                                                     core::interface_ref iface) noexcept {
  MCNET_GROUP_CALL("MCAST_JOIN_SOURCE_GROUP", core::join_source_group(s_, group, source, *index));
}
result<void> packet_conn::leave_source_specific_group(const core::ip_address& group, const core::ip_address& source,
                                                      core::interface_ref iface) noexcept {
  MCNET_GROUP_CALL("MCAST_LEAVE_SOURCE_GROUP", core::leave_source_group(s_, group, source, *index));
}
result<void> packet_conn::exclude_source_specific_group(const core::ip_address& group, const core::ip_address& source,
                                                        core::interface_ref iface) noexcept {
  MCNET_GROUP_CALL("MCAST_BLOCK_SOURCE", core::block_source(s_, group, source, *index));
}
result<void> packet_conn::include_source_specific_group(const core::ip_address& group, const core::ip_address& source,
                                                        core::interface_ref iface) noexcept {
  MCNET_GROUP_CALL("MCAST_UNBLOCK_SOURCE", core::unblock_source(s_, group, source, *index));
}
result<void> packet_conn::set_source_filter(const core::ip_address& group, core::interface_ref iface,
                                            core::filter_mode mode, std::span<const core::ip_address> sources) noexcept {
  MCNET_GROUP_CALL("MCAST_MSFILTER", core::set_source_filter(s_, group, *index, mode, sources));
}
result<core::filter_state> packet_conn::source_filter(const core::ip_address& group, core::interface_ref iface,
                                                      std::span<core::ip_address> out) const noexcept {
  MCNET_GROUP_CALL("MCAST_MSFILTER", core::source_filter(s_, group, *index, out));
}

#undef MCNET_GROUP_CALL

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
result<bool> packet_conn::multicast_loopback() const noexcept { return core::get(s_, opt::multicast_loopback); }
result<void> packet_conn::set_multicast_loopback(bool on) noexcept {
  return core::set(s_, opt::multicast_loopback, on);
}
result<bool> packet_conn::multicast_all() const noexcept { return core::get(s_, opt::multicast_all); }
result<void> packet_conn::set_multicast_all(bool on) noexcept { return core::set(s_, opt::multicast_all, on); }

result<void> packet_conn::set_control_message(control_flags flags, bool on) noexcept {
  using cf = control_flags;
  auto apply = [&](cf which, const auto& option) -> result<void> {
    if (!has(flags, which)) return {};
    return core::set(s_, option, on);
  };
  if (auto r = apply(cf::traffic_class, opt::receive_traffic_class); !r) return r;
  if (auto r = apply(cf::hop_limit, opt::receive_hop_limit); !r) return r;
  if (auto r = apply(cf::path_mtu, opt::receive_path_mtu); !r) return r;
  if (auto r = apply(cf::original_destination, opt::receive_original_destination); !r) return r;
  if (auto r = apply(cf::timestamp, core::opt::timestamp_ns); !r) return r;
  if (auto r = apply(cf::drops, core::opt::receive_queue_overflow); !r) return r;
  const auto pktinfo = static_cast<std::uint32_t>(cf::destination) | static_cast<std::uint32_t>(cf::interface);
  if ((static_cast<std::uint32_t>(flags) & pktinfo) != 0) {
    const bool keep = (static_cast<std::uint32_t>(flags_) & ~static_cast<std::uint32_t>(flags) & pktinfo) != 0;
    if (auto r = core::set(s_, opt::receive_packet_info, on || keep); !r) return r;
  }
  flags_ = static_cast<control_flags>(on ? static_cast<std::uint32_t>(flags_) | static_cast<std::uint32_t>(flags)
                                         : static_cast<std::uint32_t>(flags_) & ~static_cast<std::uint32_t>(flags));
  return {};
}

core::cmsg packet_conn::decode_set() const noexcept {
  using cf = control_flags;
  core::cmsg c = core::cmsg::none;
  if (has(flags_, cf::traffic_class)) c = c | core::cmsg::traffic_class;
  if (has(flags_, cf::hop_limit)) c = c | core::cmsg::hop_limit;
  if (has(flags_, cf::destination) || has(flags_, cf::interface)) c = c | core::cmsg::packet_info;
  if (has(flags_, cf::path_mtu)) c = c | core::cmsg::path_mtu;
  if (has(flags_, cf::timestamp)) c = c | core::cmsg::timestamp_ns;
  if (has(flags_, cf::drops)) c = c | core::cmsg::drops;
  if (has(flags_, cf::original_destination)) c = c | core::cmsg::original_destination;
  return c;
}

control_message to_control_message(const core::packet_info& info) noexcept {
  control_message cm;
  cm.traffic_class = info.traffic_class;
  cm.hop_limit = info.hop_limit;
  cm.destination = info.destination.unmap();
  cm.interface_index = info.interface_index;
  cm.path_mtu = info.path_mtu;
  cm.timestamp = info.software_time;
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

result<read_result> packet_conn::read_from(std::span<std::byte> buffer) noexcept {
  core::message m{.buffer = buffer, .control = control_.span()};
  if (auto r = core::read_from(s_, m, decode_set(), wait_); !r) return fail(r.error());
  read_result out;
  out.size = m.size;
  out.source = core::endpoint(m.peer.address().unmap(), m.peer.port());
  out.control = to_control_message(m.info);
  out.control.source = out.source.address();
  out.truncated = m.truncated;
  out.wire_size = m.wire_size;
  out.path_mtu_notification = is_path_mtu_notification(m);
  return out;
}

result<void> packet_conn::write_to(std::span<const std::byte> payload, const core::endpoint& destination,
                                   const control_message* control) noexcept {
  alignas(cmsghdr) std::array<std::byte, CMSG_SPACE(sizeof(in6_pktinfo)) + 2 * CMSG_SPACE(sizeof(int))> space{};
  core::cmsg_writer w(space);
  if (control != nullptr) {
    if (auto r = marshal(*control, w); !r) return r;
  }
  core::message m{.buffer = std::span<std::byte>(const_cast<std::byte*>(payload.data()), payload.size()),
                  .size = payload.size(),
                  .peer = destination.address().is_valid()
                              ? core::endpoint(destination.address().map_v6(), destination.port())
                              : core::endpoint(),
                  .control = w.written(),
                  .control_size = w.size()};
  return core::write_to(s_, m, wait_);
}

result<std::size_t> packet_conn::read_batch(std::span<core::message> msgs) noexcept {
  return core::read_batch(s_, msgs, decode_set(), wait_);
}

result<std::size_t> packet_conn::write_batch(std::span<const core::message> msgs) noexcept {
  return core::write_batch(s_, msgs, wait_);
}

result<void> packet_conn::connect(const core::endpoint& remote) noexcept { return core::connect(s_, remote); }

}  // namespace mcnet::ipv6
