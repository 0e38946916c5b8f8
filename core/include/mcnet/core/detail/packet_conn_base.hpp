// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// What `ipv4::packet_conn` and `ipv6::packet_conn` share: the socket they
/// borrow or own, the control-flag bookkeeping driven by one table per
/// family, the wait policy, the I/O wrappers and the forwards of membership
/// to core. The family rules (which addresses are accepted, which interface
/// a group joins on, how a destination is written) come from a `Family`
/// struct each facade defines; see docs/design.md, "ipv4 and ipv6 facades".
///
/// `Family` provides: `control_flags` (the facade's bit set), `control_message`
/// and `read_result` (x/net's types), `control_rows` (the table),
/// `send_control_size` (bytes of control data a send may carry),
/// `multicast_loopback_option` and `multicast_all_option` (descriptors), and
/// the static functions `group_interface`, `peer`, `to_control_message`,
/// `marshal` and `finish_read`.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <utility>

#include <mcnet/core/codecs.hpp>
#include <mcnet/core/control.hpp>
#include <mcnet/core/error.hpp>
#include <mcnet/core/interface.hpp>
#include <mcnet/core/membership.hpp>
#include <mcnet/core/message.hpp>
#include <mcnet/core/socket.hpp>
#include <mcnet/core/sockopt.hpp>

namespace mcnet::core::detail {

/// One row of a facade's control-flag table: the flag, the boolean socket
/// option that makes the kernel send its message, and the cmsg kind core
/// decodes it as. Flags whose rows name the same option share it (IPv4's
/// destination and interface both come with IP_PKTINFO): the option stays on
/// while any of them is on.
template <class Flags>
struct control_row {
  Flags flag;
  const sockopt<bool_codec>* option;
  cmsg kind;
};

/// The table is whole: each row one flag bit, each bit in exactly one row,
/// the bits 0 to N-1 all used (so a flag added to the enum without a row
/// leaves a gap or an extra bit, and fails), every kind one bit of what core
/// decodes (`cmsg::all`), and rows that share an option share its kind.
template <class Flags, std::size_t N>
constexpr bool control_table_is_whole(const std::array<control_row<Flags>, N>& rows) noexcept {
  std::uint32_t seen = 0;
  for (const auto& r : rows) {
    const auto bit = static_cast<std::uint32_t>(r.flag);
    const auto kind = static_cast<std::uint32_t>(r.kind);
    if (bit == 0 || (bit & (bit - 1)) != 0 || (seen & bit) != 0) return false;
    if (kind == 0 || (kind & (kind - 1)) != 0 || !has(cmsg::all, r.kind)) return false;
    if (r.option == nullptr) return false;
    for (const auto& other : rows) {
      if (other.option == r.option && other.kind != r.kind) return false;
    }
    seen |= bit;
  }
  return N < 32 && seen == (std::uint32_t{1} << N) - 1;
}

/// The plumbing of a packet_conn over `Conn` (the family's `conn`, which
/// holds the socket as `s_`). Not thread-safe: one thread reads, or the
/// caller locks.
template <class Conn, class Family>
class packet_conn_base : public Conn {
 public:
  using control_flags = typename Family::control_flags;
  using control_message = typename Family::control_message;
  using read_result = typename Family::read_result;

  static_assert(control_table_is_whole(Family::control_rows), "every control flag in exactly one table row");

  /// Work on a socket owned elsewhere (an mcnet socket, asio's, ...).
  explicit packet_conn_base(socket_ref s) noexcept : Conn(s) {}
  /// Own `s`.
  explicit packet_conn_base(socket&& s) noexcept : Conn(socket_ref(s.native_handle())), owned_(std::move(s)) {}
  packet_conn_base(packet_conn_base&&) noexcept = default;
  packet_conn_base& operator=(packet_conn_base&&) noexcept = default;
  packet_conn_base(const packet_conn_base&) = delete;
  packet_conn_base& operator=(const packet_conn_base&) = delete;
  ~packet_conn_base() = default;

  // ---- membership (IGMP for IPv4 groups, MLD for IPv6). The interface: its
  // index, or kernel_choice() (by route); the family's rules check the group
  // first (see the facade's class comment).

  /// `MCAST_JOIN_GROUP`: any-source join. Errors: see core::join_group.
  result<void> join_group(const ip_address& group, interface_ref iface = {}) noexcept {
    return forward(group, iface, opt::join_group.spelling,
                   [&](std::uint32_t index) { return core::join_group(this->s_, group, index); });
  }
  /// `MCAST_LEAVE_GROUP`. Errors: EADDRNOTAVAIL when not joined.
  result<void> leave_group(const ip_address& group, interface_ref iface = {}) noexcept {
    return forward(group, iface, opt::leave_group.spelling,
                   [&](std::uint32_t index) { return core::leave_group(this->s_, group, index); });
  }
  /// `MCAST_JOIN_SOURCE_GROUP`: receive `group` from `source` only (SSM).
  result<void> join_source_specific_group(const ip_address& group, const ip_address& source,
                                          interface_ref iface = {}) noexcept {
    return forward(group, iface, opt::join_source_group.spelling,
                   [&](std::uint32_t index) { return core::join_source_group(this->s_, group, source, index); });
  }
  /// `MCAST_LEAVE_SOURCE_GROUP`.
  result<void> leave_source_specific_group(const ip_address& group, const ip_address& source,
                                           interface_ref iface = {}) noexcept {
    return forward(group, iface, opt::leave_source_group.spelling,
                   [&](std::uint32_t index) { return core::leave_source_group(this->s_, group, source, index); });
  }
  /// `MCAST_BLOCK_SOURCE`: on an any-source join, stop receiving from `source`.
  result<void> exclude_source_specific_group(const ip_address& group, const ip_address& source,
                                             interface_ref iface = {}) noexcept {
    return forward(group, iface, opt::block_source.spelling,
                   [&](std::uint32_t index) { return core::block_source(this->s_, group, source, index); });
  }
  /// `MCAST_UNBLOCK_SOURCE`.
  result<void> include_source_specific_group(const ip_address& group, const ip_address& source,
                                             interface_ref iface = {}) noexcept {
    return forward(group, iface, opt::unblock_source.spelling,
                   [&](std::uint32_t index) { return core::unblock_source(this->s_, group, source, index); });
  }
  /// `MCAST_MSFILTER`: replace the whole source filter in one call.
  result<void> set_source_filter(const ip_address& group, interface_ref iface, filter_mode mode,
                                 std::span<const ip_address> sources) noexcept {
    return forward(group, iface, opt::source_filter.spelling, [&](std::uint32_t index) {
      return core::set_source_filter(this->s_, group, index, mode, sources);
    });
  }
  /// `MCAST_MSFILTER` (get): mode and sources (up to out.size() copied).
  [[nodiscard]] result<filter_state> source_filter(const ip_address& group, interface_ref iface,
                                                   std::span<ip_address> out) const noexcept {
    return forward(group, iface, opt::source_filter.spelling,
                   [&](std::uint32_t index) { return core::source_filter(this->s_, group, index, out); });
  }

  // ---- outgoing multicast

  /// `IP_MULTICAST_LOOP` / `IPV6_MULTICAST_LOOP`: deliver own multicast to
  /// local listeners (default on).
  [[nodiscard]] result<bool> multicast_loopback() const noexcept {
    return core::get(this->s_, Family::multicast_loopback_option);
  }
  result<void> set_multicast_loopback(bool on) noexcept {
    return core::set(this->s_, Family::multicast_loopback_option, on);
  }
  /// `IP_MULTICAST_ALL` / `IPV6_MULTICAST_ALL` (default on): off, a
  /// wildcard-bound socket receives only the groups it joined itself.
  [[nodiscard]] result<bool> multicast_all() const noexcept { return core::get(this->s_, Family::multicast_all_option); }
  result<void> set_multicast_all(bool on) noexcept { return core::set(this->s_, Family::multicast_all_option, on); }

  // ---- control messages and I/O

  /// Switch the socket options behind `flags` on or off (the family's table
  /// says which); reads decode what is on. An option several flags share
  /// stays on while any of them is.
  result<void> set_control_message(control_flags flags, bool on) noexcept {
    const auto asked = static_cast<std::uint32_t>(flags);
    const auto kept = static_cast<std::uint32_t>(flags_) & ~asked;
    for (std::size_t i = 0; i < std::size(Family::control_rows); ++i) {
      const auto& row = Family::control_rows[i];
      if ((asked & static_cast<std::uint32_t>(row.flag)) == 0 || handled_before(i, asked)) continue;
      bool value = on;
      for (const auto& other : Family::control_rows) {
        if (other.option == row.option && (kept & static_cast<std::uint32_t>(other.flag)) != 0) value = true;
      }
      if (auto r = core::set(this->s_, *row.option, value); !r) return r;
    }
    flags_ = static_cast<control_flags>(on ? static_cast<std::uint32_t>(flags_) | asked : kept);
    decode_ = decode_set_of(flags_);
    return {};
  }
  [[nodiscard]] control_flags control_message_flags() const noexcept { return flags_; }

  /// How reads and writes wait (default: block).
  void set_wait(wait_policy wait) noexcept { wait_ = wait; }
  [[nodiscard]] wait_policy wait() const noexcept { return wait_; }

  /// Receive one datagram into `buffer`, its control messages decoded as the
  /// flags say. Errors: as core::read_from.
  result<read_result> read_from(std::span<std::byte> buffer) noexcept {
    message m{.buffer = buffer, .control = control_.span()};
    if (auto r = core::read_from(this->s_, m, decode_, wait_); !r) return fail(r.error());
    read_result out;
    out.size = m.size;
    out.source = endpoint(m.peer.address().unmap(), m.peer.port());
    out.control = Family::to_control_message(m.info);
    out.control.source = out.source.address();
    out.truncated = m.truncated;
    out.wire_size = m.wire_size;
    Family::finish_read(out, m);
    return out;
  }

  /// Send `payload` to `destination` (an invalid endpoint: the connected
  /// peer), with `control` choosing source, interface, TTL / hop limit and
  /// TOS / traffic class for this datagram when given. Errors: the family's
  /// (errc::family_mismatch), as core::write_to.
  result<void> write_to(std::span<const std::byte> payload, const endpoint& destination,
                        const control_message* control = nullptr) noexcept {
    auto peer = Family::peer(destination);
    if (!peer) return fail(peer.error());
    alignas(cmsghdr) std::array<std::byte, Family::send_control_size> space{};
    cmsg_writer w(space);
    if (control != nullptr) {
      if (auto r = Family::marshal(*control, w); !r) return r;
    }
    message m{.buffer = std::span<std::byte>(const_cast<std::byte*>(payload.data()), payload.size()),
              .size = payload.size(),
              .peer = *peer,
              .control = w.written(),
              .control_size = w.size()};
    return core::write_to(this->s_, m, wait_);
  }

  /// Batches (recvmmsg/sendmmsg); each message's `info` is decoded as the
  /// flags say. Use the family's `to_control_message` for x/net's view of it.
  result<std::size_t> read_batch(std::span<message> msgs) noexcept {
    return core::read_batch(this->s_, msgs, decode_, wait_);
  }
  result<std::size_t> write_batch(std::span<const message> msgs) noexcept {
    return core::write_batch(this->s_, msgs, wait_);
  }

  /// The cmsg kinds the current flags decode.
  [[nodiscard]] cmsg decode_set() const noexcept { return decode_; }

 private:
  template <class Call>
  auto forward(const ip_address& group, interface_ref iface, std::string_view op, Call&& call) const noexcept
      -> decltype(call(std::uint32_t{})) {
    auto index = Family::group_interface(this->s_, group, iface, op);
    if (!index) return fail(index.error());
    return call(*index);
  }

  // Whether an earlier row asked for now already set row i's (shared) option.
  static constexpr bool handled_before(std::size_t i, std::uint32_t asked) noexcept {
    for (std::size_t j = 0; j < i; ++j) {
      if (Family::control_rows[j].option == Family::control_rows[i].option &&
          (asked & static_cast<std::uint32_t>(Family::control_rows[j].flag)) != 0) {
        return true;
      }
    }
    return false;
  }

  static constexpr cmsg decode_set_of(control_flags flags) noexcept {
    cmsg c = cmsg::none;
    for (const auto& row : Family::control_rows) {
      if ((static_cast<std::uint32_t>(flags) & static_cast<std::uint32_t>(row.flag)) != 0) c = c | row.kind;
    }
    return c;
  }

  socket owned_;
  control_flags flags_{};
  cmsg decode_ = cmsg::none;
  wait_policy wait_ = wait_policy::blocking();
  control_buffer control_;
};

}  // namespace mcnet::core::detail
