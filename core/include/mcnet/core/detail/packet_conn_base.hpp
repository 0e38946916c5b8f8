// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// What `ipv4::packet_conn` and `ipv6::packet_conn` share (and their `conn`s:
/// the socket, the flag operators): the socket they
/// borrow or own, the control-flag bookkeeping driven by one table per
/// family, the wait policy, the I/O wrappers and the forwards of membership
/// to core. The family rules (which addresses are accepted, which interface
/// a group joins on, how a destination is written) come from a `Family`
/// struct each facade defines; see docs/design.md, "ipv4 and ipv6 facades".
///
/// `Family` provides `control_rows()` (the family's control-flag table),
/// `send_control_size` (bytes of control data a send may carry),
/// `multicast_loopback_option` and `multicast_all_option` (descriptors),
/// `to_control_message` and `marshal` (the family's converters),
/// `group_interface` (checks a group, says which interface it joins on),
/// `peer` (checks a destination, gives the form sent) and optionally
/// `finish_read` (what a read adds for this family).

#include <mcnet/core/cxx20.hpp>  // first: C++20 or one clear error

#include <linux/net_tstamp.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <type_traits>
#include <utility>

#include <mcnet/core/codecs.hpp>
#include <mcnet/core/control.hpp>
#include <mcnet/core/error.hpp>
#include <mcnet/core/interface.hpp>
#include <mcnet/core/membership.hpp>
#include <mcnet/core/message.hpp>
#include <mcnet/core/receive_batch.hpp>
#include <mcnet/core/socket.hpp>
#include <mcnet/core/socket_options.hpp>
#include <mcnet/core/sockopt.hpp>

namespace mcnet::core::detail {

/// What a family's `conn` holds: the socket it works on (borrowed).
class conn_base {
 public:
  /// Work on `s` (borrowed: the socket must outlive this object).
  explicit conn_base(socket_ref s) noexcept : s_(s) {}

  /// The socket this conn works on.
  [[nodiscard]] socket_ref socket() const noexcept { return s_; }

 protected:
  socket_ref s_;  ///< the socket every call works on
};

/// A facade's control_flags: a bit set over std::uint32_t with a `none`.
template <class E>
concept control_flag_set = std::is_enum_v<E> && std::is_same_v<std::underlying_type_t<E>, std::uint32_t> &&
                           requires { E::none; };

/// The union of two flag sets; each facade brings it in with a using-declaration.
template <control_flag_set E>
[[nodiscard]] constexpr E operator|(E a, E b) noexcept {
  return static_cast<E>(static_cast<std::uint32_t>(a) | static_cast<std::uint32_t>(b));
}
/// Whether `set` has any bit of `f`.
template <control_flag_set E>
[[nodiscard]] constexpr bool has(E set, E f) noexcept {
  return (static_cast<std::uint32_t>(set) & static_cast<std::uint32_t>(f)) != 0;
}

/// One row of a facade's control-flag table: the flag, the socket option
/// that makes the kernel send its message, and the cmsg kind core decodes it
/// as. The option is a boolean switch (`option`), or, when `timestamping` is
/// non-zero, `SO_TIMESTAMPING` (`core::opt::timestamping`), to which the flag
/// adds these SOF_TIMESTAMPING_* bits (`option` then stays null). Flags whose
/// rows name the same option share it (IPv4's destination and interface both
/// come with IP_PKTINFO; the software and hardware stamps with
/// SO_TIMESTAMPING): a switch stays on while any of them is on, and
/// SO_TIMESTAMPING holds the bits of those that are on.
template <class Flags>
struct control_row {
  Flags flag{};                                 ///< the facade's flag this row serves
  const sockopt<bool_codec>* option = nullptr;  ///< its boolean switch (IP_PKTINFO, ...); null for SO_TIMESTAMPING rows
  cmsg kind = cmsg::none;                       ///< the kind core decodes for it
  std::uint32_t timestamping = 0;               ///< its SOF_TIMESTAMPING_* bits; 0 for a switch row
};

/// The SOF_TIMESTAMPING_* bits of the facades' two timestamp flags: have the
/// kernel take the receive stamp (RX_SOFTWARE, RX_HARDWARE) and report it
/// (SOFTWARE, RAW_HARDWARE); Documentation/networking/timestamping.rst,
/// "Timestamp Generation" and "Timestamp Reporting".
inline constexpr std::uint32_t software_stamps = SOF_TIMESTAMPING_RX_SOFTWARE | SOF_TIMESTAMPING_SOFTWARE;
/// Hardware: RX_HARDWARE taken, RAW_HARDWARE reported.
inline constexpr std::uint32_t hardware_stamps = SOF_TIMESTAMPING_RX_HARDWARE | SOF_TIMESTAMPING_RAW_HARDWARE;

/// Whether two rows name the same socket option (by pointer: every
/// SO_TIMESTAMPING row has a null `option`).
template <class Flags>
[[nodiscard]] constexpr bool same_option(const control_row<Flags>& a, const control_row<Flags>& b) noexcept {
  return a.option == b.option && (a.timestamping != 0) == (b.timestamping != 0);
}

/// A facade's table: the rows `row_for` gives for the flag bits 0 to N-1.
/// `row_for` switches over every enumerator (so -Wswitch refuses a flag
/// without a row) and gives a row without option for anything else.
template <std::size_t N, class Flags, class RowFor>
constexpr std::array<control_row<Flags>, N> make_control_table(RowFor row_for) noexcept {
  std::array<control_row<Flags>, N> rows{};
  for (std::size_t i = 0; i < N; ++i) rows[i] = row_for(static_cast<Flags>(std::uint32_t{1} << i));
  return rows;
}

/// The table is whole: row i is bit i and has an option, bit N has no row (so
/// the table holds every flag, each exactly once), every kind is one bit of
/// what core decodes (`cmsg::all`), and rows that share an option share its kind.
/// Options are compared by level and name, and a missing one is found by
/// reading through it (not evaluated as a constant: the static_assert fails
/// to compile): g++ 12 with -fsanitize=undefined does not treat comparing an
/// object's address with nullptr as a constant expression.
template <class Flags, std::size_t N, class RowFor>
constexpr bool control_table_is_whole(const std::array<control_row<Flags>, N>& rows, RowFor row_for) noexcept {
  static_assert(N < 32);
  // SO_TIMESTAMPING rows are alike; switches are compared by level and name.
  const auto shared = [](const control_row<Flags>& a, const control_row<Flags>& b) {
    if (a.timestamping != 0 || b.timestamping != 0) return a.timestamping != 0 && b.timestamping != 0;
    return a.option->level == b.option->level && a.option->name == b.option->name;
  };
  for (std::size_t i = 0; i < N; ++i) {
    const auto& r = rows[i];
    const auto kind = static_cast<std::uint32_t>(r.kind);
    if (static_cast<std::uint32_t>(r.flag) != std::uint32_t{1} << i) return false;
    if (r.timestamping == 0 && r.option->name == 0) return false;
    if (r.timestamping != 0 && r.kind != cmsg::timestamping) return false;
    if (kind == 0 || (kind & (kind - 1)) != 0 || !has(cmsg::all, r.kind)) return false;
    for (const auto& other : rows) {
      if (shared(other, r) && other.kind != r.kind) return false;
    }
  }
  return row_for(static_cast<Flags>(std::uint32_t{1} << N)).kind == cmsg::none;
}

/// The plumbing of a packet_conn over `Conn` (the family's `conn`, which
/// holds the socket as `s_`). Not thread-safe: one thread reads, or the
/// caller locks.
template <class Conn, class Family, class ControlFlags, class ControlMessage, class ReadResult>
class packet_conn_base : public Conn {
 public:
  using control_flags = ControlFlags;      ///< The family's control flags (ipv4::control_flags, ipv6::control_flags).
  using control_message = ControlMessage;  ///< The family's decoded control messages (ipv4::control_message, ...).
  using read_result = ReadResult;          ///< What read_from gives (ipv4::read_result, ...).

  /// Work on a socket owned elsewhere (an mcnet socket, asio's, ...).
  explicit packet_conn_base(socket_ref s) noexcept : Conn(s) {}
  /// Own `s`.
  explicit packet_conn_base(core::socket&& s) noexcept : Conn(socket_ref(s.native_handle())), owned_(std::move(s)) {}
  /// Move: the socket (owned or borrowed) and the flags go with it.
  packet_conn_base(packet_conn_base&&) noexcept = default;
  /// Move-assign: an owned socket of this one is closed first.
  packet_conn_base& operator=(packet_conn_base&&) noexcept = default;
  packet_conn_base(const packet_conn_base&) = delete;
  packet_conn_base& operator=(const packet_conn_base&) = delete;
  ~packet_conn_base() = default;

  // ---- membership (IGMP for IPv4 groups, MLD for IPv6). The interface: its
  // index, or kernel_choice() (by route); the family's rules check the group
  // first (see the facade's class comment).

  /// `MCAST_JOIN_GROUP`: any-source join. Errors: see core::join_group.
  [[nodiscard]] result<void> join_group(const ip_address& group, interface_ref iface = {}) noexcept {
    return forward(group, iface, opt::join_group.spelling,
                   [&](std::uint32_t index) { return core::join_group(this->s_, group, index); });
  }
  /// `MCAST_LEAVE_GROUP`. Errors: EADDRNOTAVAIL when not joined.
  [[nodiscard]] result<void> leave_group(const ip_address& group, interface_ref iface = {}) noexcept {
    return forward(group, iface, opt::leave_group.spelling,
                   [&](std::uint32_t index) { return core::leave_group(this->s_, group, index); });
  }
  /// `MCAST_JOIN_SOURCE_GROUP`: receive `group` from `source` only (SSM).
  [[nodiscard]] result<void> join_source_specific_group(const ip_address& group, const ip_address& source,
                                                        interface_ref iface = {}) noexcept {
    return forward(group, iface, opt::join_source_group.spelling,
                   [&](std::uint32_t index) { return core::join_source_group(this->s_, group, source, index); });
  }
  /// `MCAST_LEAVE_SOURCE_GROUP`.
  [[nodiscard]] result<void> leave_source_specific_group(const ip_address& group, const ip_address& source,
                                                         interface_ref iface = {}) noexcept {
    return forward(group, iface, opt::leave_source_group.spelling,
                   [&](std::uint32_t index) { return core::leave_source_group(this->s_, group, source, index); });
  }
  /// `MCAST_BLOCK_SOURCE`: on an any-source join, stop receiving from `source`.
  [[nodiscard]] result<void> exclude_source_specific_group(const ip_address& group, const ip_address& source,
                                                           interface_ref iface = {}) noexcept {
    return forward(group, iface, opt::block_source.spelling,
                   [&](std::uint32_t index) { return core::block_source(this->s_, group, source, index); });
  }
  /// `MCAST_UNBLOCK_SOURCE`.
  [[nodiscard]] result<void> include_source_specific_group(const ip_address& group, const ip_address& source,
                                                           interface_ref iface = {}) noexcept {
    return forward(group, iface, opt::unblock_source.spelling,
                   [&](std::uint32_t index) { return core::unblock_source(this->s_, group, source, index); });
  }
  /// `MCAST_MSFILTER`: replace the whole source filter in one call.
  [[nodiscard]] result<void> set_source_filter(const ip_address& group, interface_ref iface, filter_mode mode,
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
  /// Set `IP_MULTICAST_LOOP` / `IPV6_MULTICAST_LOOP` (ip(7), ipv6(7)). Errors: setsockopt's errno.
  [[nodiscard]] result<void> set_multicast_loopback(bool on) noexcept {
    return core::set(this->s_, Family::multicast_loopback_option, on);
  }
  /// `IP_MULTICAST_ALL` / `IPV6_MULTICAST_ALL` (default on): off, a
  /// wildcard-bound socket receives only the groups it joined itself.
  [[nodiscard]] result<bool> multicast_all() const noexcept { return core::get(this->s_, Family::multicast_all_option); }
  /// Set `IP_MULTICAST_ALL` / `IPV6_MULTICAST_ALL` (Linux 4.20 for IPv6). Errors: setsockopt's
  /// errno.
  [[nodiscard]] result<void> set_multicast_all(bool on) noexcept { return core::set(this->s_, Family::multicast_all_option, on); }

  // ---- control messages and I/O

  /// Switch the socket options behind `flags` on or off (the family's table
  /// says which); reads decode what is on. An option several flags share
  /// stays on while any of them is; SO_TIMESTAMPING is set to the
  /// SOF_TIMESTAMPING_* bits of the flags that are on (0: off).
  [[nodiscard]] result<void> set_control_message(control_flags flags, bool on) noexcept {
    const auto asked = static_cast<std::uint32_t>(flags);
    const auto kept = static_cast<std::uint32_t>(flags_) & ~asked;
    const auto next = on ? static_cast<std::uint32_t>(flags_) | asked : kept;
    const auto rows = Family::control_rows();
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const auto& row = rows[i];
      if ((asked & static_cast<std::uint32_t>(row.flag)) == 0 || handled_before(rows, i, asked)) continue;
      // What the option holds once `next` is on: the bits (or "any") of its rows.
      std::uint32_t value = 0;
      for (const auto& other : rows) {
        if (same_option(other, row) && (next & static_cast<std::uint32_t>(other.flag)) != 0) {
          value |= row.timestamping != 0 ? other.timestamping : 1u;
        }
      }
      auto r = row.timestamping != 0 ? core::set(this->s_, opt::timestamping, value)
                                     : core::set(this->s_, *row.option, value != 0);
      if (!r) return r;
    }
    flags_ = static_cast<control_flags>(next);
    decode_ = decode_set_of(flags_);
    return {};
  }
  /// The flags now on (set_control_message's union).
  [[nodiscard]] control_flags control_message_flags() const noexcept { return flags_; }

  /// How reads and writes wait (default: block).
  void set_wait(wait_policy wait) noexcept { wait_ = wait; }
  /// How reads and writes wait now.
  [[nodiscard]] wait_policy wait() const noexcept { return wait_; }

  /// Receive one datagram into `buffer`, its control messages decoded as the
  /// flags say. Errors: as core::read_from.
  [[nodiscard]] result<read_result> read_from(std::span<std::byte> buffer) noexcept {
    message m{.buffer = buffer, .control = control_.span()};
    if (auto r = core::read_from(this->s_, m, decode_, wait_); !r) return fail(r.error());
    read_result out;
    out.size = m.size;
    out.source = endpoint(m.peer.address().unmap(), m.peer.port());
    out.control = Family::to_control_message(m.info);
    out.control.source = out.source.address();
    out.truncated = m.truncated;
    out.wire_size = m.wire_size;
    if constexpr (requires { Family::finish_read(out, m); }) Family::finish_read(out, m);
    return out;
  }

  /// Send `payload` to `destination` (an invalid endpoint: the connected
  /// peer), with `control` choosing source, interface, TTL / hop limit and
  /// TOS / traffic class for this datagram when given. Errors: the family's
  /// (errc::family_mismatch), as core::write_to.
  [[nodiscard]] result<void> write_to(std::span<const std::byte> payload, const endpoint& destination,
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
  /// Errors: as core::read_batch (EINVAL when flags are on and a message has
  /// no control buffer).
  [[nodiscard]] result<std::size_t> read_batch(std::span<message> msgs) noexcept {
    return core::read_batch(this->s_, msgs, decode_, wait_);
  }
  /// Receive into `batch` (core::receive_batch::read), decoding what the
  /// flags say and waiting as `wait()` says; iterate `batch` for the
  /// datagrams. Errors: as core::read_batch.
  [[nodiscard]] result<std::size_t> read_batch(receive_batch& batch) noexcept {
    return batch.read(this->s_, decode_, wait_);
  }
  /// Send `msgs` with sendmmsg(2) (core::write_batch), waiting as `wait()` says;
  /// returns how many were sent. Errors: as core::write_batch.
  [[nodiscard]] result<std::size_t> write_batch(std::span<const message> msgs) noexcept {
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

  using rows_type = std::span<const control_row<control_flags>>;

  // Whether an earlier row asked for now already set row i's (shared) option.
  static bool handled_before(rows_type rows, std::size_t i, std::uint32_t asked) noexcept {
    for (std::size_t j = 0; j < i; ++j) {
      if (same_option(rows[j], rows[i]) && (asked & static_cast<std::uint32_t>(rows[j].flag)) != 0) return true;
    }
    return false;
  }

  static cmsg decode_set_of(control_flags flags) noexcept {
    cmsg c = cmsg::none;
    for (const auto& row : Family::control_rows()) {
      if ((static_cast<std::uint32_t>(flags) & static_cast<std::uint32_t>(row.flag)) != 0) c = c | row.kind;
    }
    return c;
  }

  core::socket owned_;
  control_flags flags_{};
  cmsg decode_ = cmsg::none;
  wait_policy wait_ = wait_policy::blocking();
  control_buffer control_;
};

}  // namespace mcnet::core::detail
