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

result<packet_conn> packet_conn::listen(const core::endpoint& local, const core::socket_setup& setup) {
  if (auto r = require_v4(local.address(), "listen", "endpoint"); !r) return fail(r.error());
  auto s = core::listen_udp(core::endpoint(local.address().unmap(), local.port()), setup);
  if (!s) return fail(s.error());
  return packet_conn(std::move(*s));
}

result<void> packet_conn::join_group(const core::ip_address& group, core::interface_ref iface) noexcept {
  if (auto r = require_v4(group, "setsockopt", "MCAST_JOIN_GROUP"); !r) return r;
  return core::join_group(s_, group, iface.index);
}

result<void> packet_conn::leave_group(const core::ip_address& group, core::interface_ref iface) noexcept {
  if (auto r = require_v4(group, "setsockopt", "MCAST_LEAVE_GROUP"); !r) return r;
  return core::leave_group(s_, group, iface.index);
}

result<void> packet_conn::join_source_specific_group(const core::ip_address& group, const core::ip_address& source,
                                                     core::interface_ref iface) noexcept {
  if (auto r = require_v4(group, "setsockopt", "MCAST_JOIN_SOURCE_GROUP"); !r) return r;
  return core::join_source_group(s_, group, source, iface.index);
}

result<void> packet_conn::leave_source_specific_group(const core::ip_address& group, const core::ip_address& source,
                                                      core::interface_ref iface) noexcept {
  if (auto r = require_v4(group, "setsockopt", "MCAST_LEAVE_SOURCE_GROUP"); !r) return r;
  return core::leave_source_group(s_, group, source, iface.index);
}

result<void> packet_conn::exclude_source_specific_group(const core::ip_address& group, const core::ip_address& source,
                                                        core::interface_ref iface) noexcept {
  if (auto r = require_v4(group, "setsockopt", "MCAST_BLOCK_SOURCE"); !r) return r;
  return core::block_source(s_, group, source, iface.index);
}

result<void> packet_conn::include_source_specific_group(const core::ip_address& group, const core::ip_address& source,
                                                        core::interface_ref iface) noexcept {
  if (auto r = require_v4(group, "setsockopt", "MCAST_UNBLOCK_SOURCE"); !r) return r;
  return core::unblock_source(s_, group, source, iface.index);
}

result<void> packet_conn::set_source_filter(const core::ip_address& group, core::interface_ref iface,
                                            core::filter_mode mode, std::span<const core::ip_address> sources) noexcept {
  if (auto r = require_v4(group, "setsockopt", "MCAST_MSFILTER"); !r) return r;
  return core::set_source_filter(s_, group, iface.index, mode, sources);
}

result<core::filter_state> packet_conn::source_filter(const core::ip_address& group, core::interface_ref iface,
                                                      std::span<core::ip_address> out) const noexcept {
  if (auto r = require_v4(group, "getsockopt", "MCAST_MSFILTER"); !r) return fail(r.error());
  return core::source_filter(s_, group, iface.index, out);
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
result<bool> packet_conn::multicast_loopback() const noexcept { return core::get(s_, opt::multicast_loopback); }
result<void> packet_conn::set_multicast_loopback(bool on) noexcept { return core::set(s_, opt::multicast_loopback, on); }
result<bool> packet_conn::multicast_all() const noexcept { return core::get(s_, opt::multicast_all); }
result<void> packet_conn::set_multicast_all(bool on) noexcept { return core::set(s_, opt::multicast_all, on); }

result<void> packet_conn::set_control_message(control_flags flags, bool on) noexcept {
  using cf = control_flags;
  auto apply = [&](cf which, auto const& option) -> result<void> {
    if (!has(flags, which)) return {};
    return core::set(s_, option, on);
  };
  if (auto r = apply(cf::ttl, opt::receive_ttl); !r) return r;
  if (auto r = apply(cf::tos, opt::receive_tos); !r) return r;
  if (auto r = apply(cf::original_destination, opt::receive_original_destination); !r) return r;
  if (auto r = apply(cf::timestamp, core::opt::timestamp_ns); !r) return r;
  if (auto r = apply(cf::drops, core::opt::receive_queue_overflow); !r) return r;
  // destination and interface share IP_PKTINFO: off only when neither stays on.
  if (has(flags, cf::destination) || has(flags, cf::interface)) {
    auto remaining = static_cast<std::uint32_t>(flags_) & ~static_cast<std::uint32_t>(flags);
    const bool keep = (remaining & (static_cast<std::uint32_t>(cf::destination) | static_cast<std::uint32_t>(cf::interface))) != 0;
    if (auto r = core::set(s_, opt::receive_packet_info, on || keep); !r) return r;
  }
  flags_ = static_cast<control_flags>(on ? static_cast<std::uint32_t>(flags_) | static_cast<std::uint32_t>(flags)
                                         : static_cast<std::uint32_t>(flags_) & ~static_cast<std::uint32_t>(flags));
  return {};
}

core::cmsg packet_conn::decode_set() const noexcept {
  using cf = control_flags;
  core::cmsg c = core::cmsg::none;
  if (has(flags_, cf::ttl)) c = c | core::cmsg::hop_limit;
  if (has(flags_, cf::tos)) c = c | core::cmsg::traffic_class;
  if (has(flags_, cf::destination) || has(flags_, cf::interface)) c = c | core::cmsg::packet_info;
  if (has(flags_, cf::timestamp)) c = c | core::cmsg::timestamp_ns;
  if (has(flags_, cf::drops)) c = c | core::cmsg::drops;
  if (has(flags_, cf::original_destination)) c = c | core::cmsg::original_destination;
  return c;
}

control_message to_control_message(const core::packet_info& info) noexcept {
  control_message cm;
  cm.ttl = info.hop_limit;
  cm.tos = info.traffic_class;
  cm.destination = info.destination;
  cm.interface_index = info.interface_index;
  cm.timestamp = info.software_time;
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
  return out;
}

result<void> packet_conn::write_to(std::span<const std::byte> payload, const core::endpoint& destination,
                                   const control_message* control) noexcept {
  if (destination.address().is_valid()) {
    if (auto r = require_v4(destination.address(), "sendmsg", "destination"); !r) return r;
  }
  // Room for IP_PKTINFO, IP_TTL and IP_TOS.
  alignas(cmsghdr) std::array<std::byte, CMSG_SPACE(sizeof(in_pktinfo)) + 2 * CMSG_SPACE(sizeof(int))> space{};
  core::cmsg_writer w(space);
  if (control != nullptr) {
    if (auto r = marshal(*control, w); !r) return r;
  }
  core::message m{.buffer = std::span<std::byte>(const_cast<std::byte*>(payload.data()), payload.size()),
                  .size = payload.size(),
                  .peer = destination.address().is_valid()
                              ? core::endpoint(destination.address().unmap(), destination.port())
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

result<void> packet_conn::connect(const core::endpoint& remote) noexcept {
  if (auto r = require_v4(remote.address(), "connect", "endpoint"); !r) return r;
  return core::connect(s_, core::endpoint(remote.address().unmap(), remote.port()));
}

}  // namespace mcnet::ipv4
