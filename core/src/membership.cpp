// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// RFC 3678 membership. Checks run before the kernel sees anything; kernel
// errors keep their errno and get a hint that names the limit and its
// current value, read from the caller's namespace.

#include <mcnet/core/membership.hpp>

#include <net/if.h>
#include <netinet/in.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>
#include <memory>
#include <new>
#include <optional>

#include <mcnet/core/endpoint.hpp>
#include <mcnet/core/socket_options.hpp>
#include <mcnet/core/sockopt.hpp>
#include <mcnet/core/sysctl.hpp>

namespace mcnet::core {
namespace {

// Whether the interface `ifindex` has no IPv6 state while the host has
// IPv6: no /proc/sys/net/ipv6/conf/NAME (the kernel removes it with IPv6
// from a link whose MTU goes below 1280, IPv6's minimum; addrconf_notify).
// An IPv6 join there fails with EINVAL (no inet6_dev).
bool ipv6_gone(std::uint32_t ifindex) noexcept {
  std::array<char, IF_NAMESIZE> name{};
  if (ifindex == 0 || ::if_indextoname(ifindex, name.data()) == nullptr) return false;
  std::array<char, 64> path{};
  std::snprintf(path.data(), path.size(), "/proc/sys/net/ipv6/conf/%s", name.data());
  return ::access("/proc/sys/net/ipv6/conf/all", F_OK) == 0 && ::access(path.data(), F_OK) != 0;
}

// Which call failed, for the hints; the option itself is a descriptor of
// membership_options.hpp.
enum class op : std::uint8_t { join, leave, join_source, leave_source, block, unblock, msfilter };

// Why `source` cannot be one, naming it (not the group).
std::string_view not_unicast_hint(const ip_address& source) noexcept {
  if (source.is_multicast()) {
    return "source {source} is a multicast address; a source is the unicast address of a sender";
  }
  if (source.is_unspecified()) {
    return "source {source} is the unspecified address; a source is the unicast address of a sender";
  }
  if (source.is_broadcast()) {
    return "source {source} is the broadcast address; a source is the unicast address of a sender";
  }
  return "no source address; a source is the unicast address of a sender";
}

// Check the arguments and choose the level; returns the group in the form
// the kernel wants (IPv4-mapped groups unmapped).
result<ip_address> check(socket_ref s, std::string_view spelling, const ip_address& group_in,
                         const ip_address* source) noexcept {
  const ip_address group = group_in.unmap();
  if (!group.is_multicast()) {
    return fail(error(errc::not_multicast, "setsockopt", spelling)
                    .with_address(group_in)
                    .with_hint("a group is 224.0.0.0/4 (IPv4) or ff00::/8 (IPv6)"));
  }
  if (source != nullptr) {
    const ip_address src = source->unmap();
    if (!src.is_unicast()) {
      return fail(error(errc::source_not_unicast, "setsockopt", spelling)
                      .with_address(group_in)
                      .with_source(*source)
                      .with_hint(not_unicast_hint(src)));
    }
    if (src.family() != group.family()) {
      return fail(error(errc::family_mismatch, "setsockopt", spelling)
                      .with_address(group_in)
                      .with_source(*source)
                      .with_hint("the source and the group must both be IPv4 or both IPv6"));
    }
  }
  if (group.is_v6()) {
    auto domain = get(s, opt::socket_domain);
    if (!domain) return fail(domain.error());
    if (*domain != AF_INET6) {
      return fail(error(errc::family_mismatch, "setsockopt", spelling)
                      .with_address(group)
                      .with_hint("an IPv6 group needs an AF_INET6 socket"));
    }
  }
  return group;
}

// The room one more membership needs in the socket's option memory: a
// struct ip_mc_socklist (48 bytes on 64-bit kernels), and for an include
// join the first block of its source list (struct ip_sf_socklist with room
// for 10 sources, 64 bytes).
constexpr std::int64_t membership_room = 128;

// Hint for ENOBUFS: which limit was hit, with its value in the caller's namespace.
// Whether growing an IPv6 source list of `count` sources (the kernel
// makes room for source_list_step more when it is full or missing,
// keeping the old list while it copies) does not fit under
// net.core.optmem_max: sock_kmalloc refuses when the socket's option
// memory plus the new list reaches the limit.
bool list_growth_full(socket_ref s, std::size_t count) noexcept {
  constexpr std::size_t source_list_step = 10, list_head = 24, source_size = 16;
  if (count % source_list_step != 0) return false;  // room left in the list: no allocation
  auto max = read_sysctl("net.core.optmem_max");
  auto memory = get(s, opt::memory_info);
  if (!max || !memory) return false;
  const auto grown = list_head + source_size * (count + source_list_step);
  return static_cast<std::int64_t>(memory->option_memory) + static_cast<std::int64_t>(grown) >= *max;
}

error explain_nobufs(socket_ref s, op o, const ip_address& group, std::uint32_t ifindex, error e) noexcept;

// Whether `source` is already in the include list of `group` on `ifindex`.
bool already_included(socket_ref s, const ip_address& group, const ip_address& source,
                      std::uint32_t ifindex) noexcept {
  std::array<ip_address, 64> sources;
  auto state = source_filter(s, group, ifindex, sources);
  if (!state || state->mode != filter_mode::include) return false;
  const auto n = std::min<std::size_t>(state->count, sources.size());
  const auto wanted = source.unmap();
  return std::any_of(sources.begin(), sources.begin() + static_cast<std::ptrdiff_t>(n),
                     [&](const ip_address& a) { return a.unmap() == wanted; });
}

error explain(socket_ref s, op o, const ip_address& group, const ip_address* source, std::uint32_t ifindex,
              error e) noexcept {
  e.with_address(group).with_interface(ifindex);
  if (source != nullptr) e.with_source(*source);
  // The hints are for the kernel's errno: an mcnet errc may share a number (errc::timed_out is 12, ENOMEM's).
  if (e.code.category() != std::system_category()) return e;
  switch (e.code.value()) {
    case ENOBUFS: return explain_nobufs(s, o, group, ifindex, e);
    case ENOMEM:
      if (auto v = read_sysctl("net.core.optmem_max")) {
        e.with_number(*v);
        // At 0 no membership record fits in any socket: another is no way out (trial t15x F6).
        if (*v <= 0) {
          return e.with_hint("socket option memory: net.core.optmem_max is {number} bytes per socket, so not even "
                             "one membership record fits; raise it (sysctl -w net.core.optmem_max=N)");
        }
      }
      return e.with_hint("socket option memory ran out: net.core.optmem_max is {number}; raise it or use another socket");
    case EADDRNOTAVAIL:
      if (o == op::leave || o == op::leave_source || o == op::msfilter) {
        return e.with_hint("not joined: this socket has no such membership on interface {interface}");
      }
      if (o == op::unblock) return e.with_hint("that source is not blocked");
      // The kernel answers a second include join of the same source so.
      if (o == op::join_source && source != nullptr && already_included(s, group, *source, ifindex)) {
        return e.with_hint("already joined: this socket already receives the group from {source} on interface {interface}");
      }
      return e.with_hint("no usable address for this group on interface {interface}");
    case EADDRINUSE:
      return e.with_hint(o == op::block ? "that source is already blocked" : "already joined on this socket and interface");
    case EINVAL:
      // Not the socket option's general hint (a TCP one): IPv6 is off on
      // that link (trial15o F9).
      if (!group.unmap().is_v4() && (o == op::join || o == op::join_source) && ipv6_gone(ifindex)) {
        return e.with_hint("interface {interface} has no IPv6 now (no net.ipv6.conf entry for it): the kernel removes "
                           "IPv6 from a link whose MTU is below 1280, IPv6's minimum (ip link show says the MTU)");
      }
      switch (o) {
        case op::block:
        case op::unblock: return e.with_hint("block/unblock need an any-source join of the group first");
        case op::leave_source: return e.with_hint("leave_source_group needs a source-specific join of the group first");
        case op::join_source:
          return e.with_hint("the group is joined in any-source (exclude) mode on this socket; leave it or use block_source");
        case op::msfilter: return e.with_hint("the source filter needs a join of the group first");
        default: return e;
      }
    case ENODEV:
      // Index 0 asks the kernel to choose by the route to the group.
      if (ifindex == 0) {
        return e.with_hint("no interface given and no route to the group for the kernel to choose one by: give the "
                           "interface, or add a multicast route (ip route add 224.0.0.0/4 dev IFACE; IPv6: ip -6 "
                           "route add multicast ff00::/8 dev IFACE table local)");
      }
      return e.with_hint("no interface with index {interface} in this network namespace");
    default: return e;
  }
}

error optmem_hint(error e) noexcept {
  const auto v = read_sysctl("net.core.optmem_max");
  if (v) e.with_number(*v);
  // At 0 nothing was used up: no membership record fits at all (trial t15x F6).
  if (v && *v <= 0) {
    return e.with_hint("option memory limit: net.core.optmem_max is {number} bytes per socket, so not even one "
                       "membership record or source list fits; raise it (sysctl -w net.core.optmem_max=N)");
  }
  return e.with_hint("option memory limit: net.core.optmem_max is {number} bytes per socket, used up by this socket's "
                 "memberships and source lists; raise it (sysctl -w net.core.optmem_max=N) or use another socket");
}

// Whether the socket's option memory (SO_MEMINFO) leaves no room for one
// more membership under net.core.optmem_max.
bool option_memory_full(socket_ref s) noexcept {
  auto max = read_sysctl("net.core.optmem_max");
  auto memory = get(s, opt::memory_info);
  if (!max || !memory) return false;
  return static_cast<std::int64_t>(memory->option_memory) + membership_room >= *max;
}

error explain_nobufs(socket_ref s, op o, const ip_address& group, std::uint32_t ifindex, error e) noexcept {
  const bool v4 = group.is_v4();
  bool per_group_sources = o != op::join && o != op::leave;
  std::optional<filter_state> filter;
  if (o != op::join && o != op::leave) {
    // A new group counts against the membership limit; another source of a
    // group already joined against the source limit. Ask the kernel which.
    std::array<ip_address, 1> one;
    if (auto state = source_filter(s, group, ifindex, one)) filter = *state;
    per_group_sources = o != op::join_source || filter.has_value();
  }
  if (!per_group_sources) {
    if (!v4) return e.with_hint("the kernel is out of buffer space for MLD memberships");
    // Both limits answer ENOBUFS (ip_mc_join_group): the count is checked
    // first, then the membership is charged to optmem_max. The count cannot
    // be read back, so the memory, which can, decides.
    if (option_memory_full(s)) return optmem_hint(e);
    const auto v = read_sysctl("net.ipv4.igmp_max_memberships");
    if (v) e.with_number(*v);
    // At 0 no socket may join a group: another socket is no way out.
    if (v && *v <= 0) {
      return e.with_hint("membership limit: net.ipv4.igmp_max_memberships is {number}: no socket may join an IPv4 "
                         "group; raise it (sysctl -w net.ipv4.igmp_max_memberships=N)");
    }
    return e.with_hint("membership limit: net.ipv4.igmp_max_memberships is {number} groups per socket; "
                       "raise it (sysctl -w net.ipv4.igmp_max_memberships=N) or use another socket");
  }
  if (v4) {
    auto msf = read_sysctl("net.ipv4.igmp_max_msf");
    // ip_mc_source checks the count first: below it, growing the source
    // list in option memory is what failed.
    if (msf && filter && *msf > 0 && filter->count < static_cast<std::size_t>(*msf)) return optmem_hint(e);
    if (msf) e.with_number(*msf);
    if (msf && *msf <= 0) {
      return e.with_hint("source limit: net.ipv4.igmp_max_msf is {number}: no socket may add a source to an IPv4 "
                         "group; raise it (sysctl -w net.ipv4.igmp_max_msf=N)");
    }
    return e.with_hint("source limit: net.ipv4.igmp_max_msf is {number} sources per group and socket; "
                       "raise it (sysctl -w net.ipv4.igmp_max_msf=N) or use another socket");
  }
  // ip6_mc_source, as ip_mc_source: the count is checked first (only
  // against a list that exists), then a full or missing list grows by
  // source_list_step sources in option memory, which fails with ENOBUFS
  // too (trial t15w H1: optmem_max blamed on mld_max_msf). Below the
  // limit, or with the limit unreadable (a child namespace) and the
  // grown list not fitting under optmem_max, option memory is the cause.
  const auto msf6 = read_sysctl("net.ipv6.mld_max_msf");
  if (filter && msf6 && *msf6 > 0 && filter->count < static_cast<std::size_t>(*msf6)) return optmem_hint(e);
  if (filter && !msf6 && list_growth_full(s, filter->count)) return optmem_hint(e);
  if (auto v = msf6) {
    e.with_number(*v);
    return e.with_hint("source limit: net.ipv6.mld_max_msf is {number} sources per group and socket; "
                       "raise it (sysctl -w net.ipv6.mld_max_msf=N, host-wide) or use another socket");
  }
  return e.with_hint("source limit: net.ipv6.mld_max_msf (host-wide, not visible in this namespace) was reached; "
                     "raise it on the host or use another socket");
}

template <class Option>
result<void> group_call(socket_ref s, op o, const Option& option, const ip_address& group_in,
                        std::uint32_t ifindex) noexcept {
  auto group = check(s, option.spelling, group_in, nullptr);
  if (!group) return fail(group.error());
  auto r = set(s, option.at(*group), group_request{*group, ifindex});
  if (!r) return fail(explain(s, o, *group, nullptr, ifindex, r.error()));
  return {};
}

template <class Option>
result<void> source_call(socket_ref s, op o, const Option& option, const ip_address& group_in,
                         const ip_address& source, std::uint32_t ifindex) noexcept {
  auto group = check(s, option.spelling, group_in, &source);
  if (!group) return fail(group.error());
  auto r = set(s, option.at(*group), group_source_request{*group, source, ifindex});
  if (!r) return fail(explain(s, o, *group, &source, ifindex, r.error()));
  return {};
}

// struct group_filter ends in a flexible array of sockaddr_storage; small
// filters use the stack, larger ones (beyond the kernel defaults) the heap.
constexpr std::size_t stack_sources = 64;

struct filter_buffer {
  alignas(group_filter) std::array<std::byte, group_filter_codec::size(stack_sources)> small{};
  std::unique_ptr<std::byte[]> large;
  std::byte* data = nullptr;
  std::size_t size = 0;

  bool reserve(std::size_t sources) noexcept {
    size = group_filter_codec::size(sources);
    if (sources <= stack_sources) {
      data = small.data();
      return true;
    }
    large.reset(new (std::nothrow) std::byte[size]);
    data = large.get();
    return data != nullptr;
  }
  std::span<std::byte> bytes() noexcept { return {data, size}; }
};

result<void> check_filter_size(std::size_t n, std::string_view op_name) noexcept {
  if (n > max_filter_sources) {
    return fail(error(errc::value_out_of_range, op_name, opt::source_filter.spelling)
                    .with_number(static_cast<std::int64_t>(n))
                    .with_hint("at most max_filter_sources (1024) sources"));
  }
  return {};
}

}  // namespace

result<void> join_group(socket_ref s, const ip_address& group, std::uint32_t ifindex) noexcept {
  return group_call(s, op::join, opt::join_group, group, ifindex);
}

result<void> leave_group(socket_ref s, const ip_address& group, std::uint32_t ifindex) noexcept {
  return group_call(s, op::leave, opt::leave_group, group, ifindex);
}

result<void> join_source_group(socket_ref s, const ip_address& group, const ip_address& source,
                               std::uint32_t ifindex) noexcept {
  return source_call(s, op::join_source, opt::join_source_group, group, source, ifindex);
}

result<void> leave_source_group(socket_ref s, const ip_address& group, const ip_address& source,
                                std::uint32_t ifindex) noexcept {
  return source_call(s, op::leave_source, opt::leave_source_group, group, source, ifindex);
}

result<void> block_source(socket_ref s, const ip_address& group, const ip_address& source,
                          std::uint32_t ifindex) noexcept {
  return source_call(s, op::block, opt::block_source, group, source, ifindex);
}

result<void> unblock_source(socket_ref s, const ip_address& group, const ip_address& source,
                            std::uint32_t ifindex) noexcept {
  return source_call(s, op::unblock, opt::unblock_source, group, source, ifindex);
}

result<void> set_source_filter(socket_ref s, const ip_address& group_in, std::uint32_t ifindex, filter_mode mode,
                               std::span<const ip_address> sources) noexcept {
  if (auto r = check_filter_size(sources.size(), "setsockopt"); !r) return r;
  auto group = check(s, opt::source_filter.spelling, group_in, nullptr);
  if (!group) return fail(group.error());
  for (const auto& src : sources) {
    if (auto r = check(s, opt::source_filter.spelling, *group, &src); !r) return fail(r.error());
  }
  filter_buffer buf;
  if (!buf.reserve(sources.size())) {
    return fail(error::from_errno(ENOMEM, "setsockopt", opt::source_filter.spelling));
  }
  const auto length = group_filter_codec::encode({*group, ifindex, mode, sources}, buf.bytes());
  auto r = detail::set_raw(s.native_handle(), opt::source_filter.at(*group), buf.data, length);
  if (!r) return fail(explain(s, op::msfilter, *group, nullptr, ifindex, r.error()));
  return {};
}

result<filter_state> source_filter(socket_ref s, const ip_address& group_in, std::uint32_t ifindex,
                                   std::span<ip_address> out) noexcept {
  if (auto r = check_filter_size(out.size(), "getsockopt"); !r) return fail(r.error());
  auto group = check(s, opt::source_filter.spelling, group_in, nullptr);
  if (!group) return fail(group.error());
  filter_buffer buf;
  if (!buf.reserve(out.size())) return fail(error::from_errno(ENOMEM, "getsockopt", opt::source_filter.spelling));
  const auto capacity = group_filter_codec::prepare({*group, ifindex}, out.size(), buf.bytes());
  auto length = detail::get_raw(s.native_handle(), opt::source_filter.at(*group), buf.data, capacity);
  if (!length) return fail(explain(s, op::msfilter, *group, nullptr, ifindex, length.error()));
  return group_filter_codec::decode(buf.bytes(), out);
}

namespace detail {

void to_group_storage(const ip_address& a, sockaddr_storage& out) noexcept {
  endpoint(a.unmap().with_scope_id(0), 0).to_sockaddr(out);
}

ip_address from_group_storage(const sockaddr_storage& in) noexcept {
  auto e = endpoint::from_sockaddr(reinterpret_cast<const sockaddr*>(&in), sizeof in);
  return e ? e->address() : ip_address();
}

}  // namespace detail

// The caller's buffer is aligned for group_filter and holds size(n) bytes
// (filter_buffer above); the source list runs past the struct's one slot, as
// GROUP_FILTER_SIZE lays it out.
socklen_t group_filter_codec::encode(const source_filter_request& v, std::span<std::byte> buffer) noexcept {
  std::memset(buffer.data(), 0, buffer.size());
  auto* f = reinterpret_cast<group_filter*>(buffer.data());
  f->gf_interface = v.interface_index;
  detail::to_group_storage(v.group, f->gf_group);
  f->gf_fmode = v.mode == filter_mode::include ? MCAST_INCLUDE : MCAST_EXCLUDE;
  f->gf_numsrc = static_cast<std::uint32_t>(v.sources.size());
  for (std::size_t i = 0; i < v.sources.size(); ++i) detail::to_group_storage(v.sources[i], f->gf_slist[i]);
  return static_cast<socklen_t>(GROUP_FILTER_SIZE(v.sources.size()));
}

socklen_t group_filter_codec::prepare(const group_request& query, std::size_t capacity,
                                      std::span<std::byte> buffer) noexcept {
  std::memset(buffer.data(), 0, buffer.size());
  auto* f = reinterpret_cast<group_filter*>(buffer.data());
  f->gf_interface = query.interface_index;
  detail::to_group_storage(query.group, f->gf_group);
  f->gf_numsrc = static_cast<std::uint32_t>(capacity);
  return static_cast<socklen_t>(GROUP_FILTER_SIZE(capacity));
}

filter_state group_filter_codec::decode(std::span<const std::byte> buffer, std::span<ip_address> out) noexcept {
  const auto* f = reinterpret_cast<const group_filter*>(buffer.data());
  filter_state state;
  state.mode = f->gf_fmode == MCAST_INCLUDE ? filter_mode::include : filter_mode::exclude;
  state.count = f->gf_numsrc;
  const std::size_t copied = std::min<std::size_t>(f->gf_numsrc, out.size());
  for (std::size_t i = 0; i < copied; ++i) {
    sockaddr_storage ss{};
    std::memcpy(&ss, &f->gf_slist[i], sizeof ss);
    out[i] = detail::from_group_storage(ss);
  }
  return state;
}

}  // namespace mcnet::core
