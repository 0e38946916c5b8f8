// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// Snapshot and targeted lookups over the layer's transport: one socket per
// thread, reused while the thread stays in the same network namespace.

#include <mcnet/netlink/query.hpp>

#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <arpa/inet.h>
#include <net/if.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <optional>
#include <charconv>
#include <cstring>
#include <cerrno>
#include <fstream>
#include <map>
#include <sstream>

#include "parse.hpp"
#include "transport.hpp"

#ifndef RTEXT_FILTER_SKIP_STATS
#define RTEXT_FILTER_SKIP_STATS (1 << 3)
#endif

namespace mcnet::netlink {
namespace {

using detail::request;
using detail::transport;

// RTM_GETLINK without statistics (RTEXT_FILTER_SKIP_STATS: a third of a
// link's bytes) and with VF information, as `ip link` asks.
// `index` 0: by name, or all of them for a dump.
request link_request(std::uint16_t flags, std::uint32_t index = 0) {
  request r(RTM_GETLINK, flags);
  ifinfomsg ifi{};
  ifi.ifi_index = static_cast<int>(index);
  r.fixed(ifi);
  r.u32(IFLA_EXT_MASK, RTEXT_FILTER_VF | RTEXT_FILTER_SKIP_STATS);
  return r;
}

result<bool> dump_links(transport& s, std::vector<link>& out) {
  auto req = link_request(NLM_F_DUMP);
  return s.transact(req, [&](const nlmsghdr& h) {
    if (!detail::parse_link_into(h, out.emplace_back())) out.pop_back();
  });
}

result<bool> dump_addresses(transport& s, std::vector<address>& out, std::uint32_t only_index = 0) {
  request req(RTM_GETADDR, NLM_F_DUMP);
  ifaddrmsg ifa{};
  ifa.ifa_index = only_index;  // honoured as a filter under strict checking
  req.fixed(ifa);
  return s.transact(req, [&](const nlmsghdr& h) {
    auto& a = out.emplace_back();
    if (!detail::parse_address_into(h, a) || (only_index != 0 && a.index != only_index)) out.pop_back();
  });
}

// RTM_GETMULTICAST for one family. Errors: EOPNOTSUPP where the kernel has
// no handler (IPv4 before Linux 6.13).
result<bool> dump_groups(transport& s, int family, std::vector<group>& out, std::uint32_t only_index = 0) {
  request req(RTM_GETMULTICAST, NLM_F_DUMP);
  ifaddrmsg ifa{};
  ifa.ifa_family = static_cast<std::uint8_t>(family);
  ifa.ifa_index = only_index;  // a filter in the kernel under strict checking
  req.fixed(ifa);
  return s.transact(req, [&](const nlmsghdr& h) {
    auto& g = out.emplace_back();
    if (!detail::parse_group_into(h, g) || (only_index != 0 && g.index != only_index)) out.pop_back();
  });
}

// Whether the kernel answers IPv4 RTM_GETMULTICAST (Linux 6.13+): a property
// of the kernel, probed once per process. -1: not yet known.
std::atomic<int> ipv4_group_dumps{-1};

std::uint32_t hex_u32(std::string_view s) {
  std::uint32_t v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v, 16);
  return v;
}

// 32 hex digits: an IPv6 address in network order.
core::ip_address v6_from_hex(std::string_view hex) {
  std::array<std::uint8_t, 16> b{};
  for (std::size_t i = 0; i < 16; ++i) b[i] = static_cast<std::uint8_t>(hex_u32(hex.substr(2 * i, 2)));
  return core::ip_address::v6_bytes(b);
}

// /proc/thread-self/net/igmp: host-order hex groups under each interface line.
void read_proc_igmp(std::vector<group>& out) {
  std::ifstream f("/proc/thread-self/net/igmp");
  std::string line;
  std::getline(f, line);  // header
  std::uint32_t index = 0;
  while (std::getline(f, line)) {
    if (line.empty()) continue;
    std::istringstream in(line);
    if (line[0] != '\t') {
      in >> index;  // "2\teth0      :     3      V3"
      continue;
    }
    std::string hex;
    std::uint32_t users = 0;
    if (!(in >> hex >> users)) continue;
    const std::uint32_t host_order = hex_u32(hex);  // printed in host byte order: 010000E0 is 224.0.0.1
    const std::uint32_t be = ntohl(host_order);  // the kernel printed the __be32 as a host integer
    group g;
    g.index = index;
    g.address = core::ip_address::v4_uint(be);
    g.users = users;
    out.push_back(g);
  }
}

// /proc/thread-self/net/igmp6: "index name group-hex users flags timer".
void read_proc_igmp6(std::vector<group>& out) {
  std::ifstream f("/proc/thread-self/net/igmp6");
  std::string line;
  while (std::getline(f, line)) {
    std::istringstream in(line);
    std::uint32_t index = 0;
    std::string name, hex;
    std::uint32_t users = 0;
    if (!(in >> index >> name >> hex >> users) || hex.size() != 32) continue;
    auto a = v6_from_hex(hex);
    if (a.is_link_local_multicast() || a.is_interface_local_multicast()) a = a.with_scope_id(index);
    out.push_back({index, a, users});
  }
}

// Whether the kernel answers IPv4 RTM_GETMULTICAST (Linux 6.13+), asked once per thread's namespace.
result<void> groups(transport& s, group_source from, std::vector<group>& out, bool& v4_from_netlink,
                    std::uint32_t only_index = 0) {
  v4_from_netlink = false;
  if (from == group_source::proc) {
    read_proc_igmp(out);
    read_proc_igmp6(out);
    return {};
  }
  if (ipv4_group_dumps.load(std::memory_order_relaxed) != 0) {
    auto v4 = dump_groups(s, AF_INET, out, only_index);
    if (v4) {
      v4_from_netlink = true;
      ipv4_group_dumps.store(1, std::memory_order_relaxed);
    } else if (v4.error().code == std::errc::operation_not_supported) {
      ipv4_group_dumps.store(0, std::memory_order_relaxed);
    } else {
      return fail(v4.error());
    }
  }
  if (!v4_from_netlink) read_proc_igmp(out);
  if (auto v6 = dump_groups(s, AF_INET6, out, only_index); !v6) {
    if (v6.error().code != std::errc::operation_not_supported) return fail(v6.error());
    read_proc_igmp6(out);
  }
  return {};
}

using source_counts = std::map<std::pair<std::uint32_t, core::ip_address>, std::vector<filter_source>>;

// /proc/thread-self/net/mcfilter and mcfilter6, both "Idx Device Group
// Source INC EXC", into `out` by (index, group); `address` reads an address
// field (empty when malformed). Returns the interface of the first line (0:
// none), where Linux's listing started (see listed_groups).
template <class Parse>
std::uint32_t read_proc_mcfilter(const char* path, Parse address, source_counts& out) {
  std::uint32_t first = 0;
  std::ifstream f(path);
  std::string line;
  std::getline(f, line);  // header
  while (std::getline(f, line)) {
    std::istringstream in(line);
    std::uint32_t index = 0, inc = 0, exc = 0;
    std::string name, group_hex, source_hex;
    if (!(in >> index >> name >> group_hex >> source_hex >> inc >> exc)) continue;
    auto group_address = address(group_hex);
    const auto source = address(source_hex);
    if (!group_address || !source) continue;
    if (group_address->is_v6() &&
        (group_address->is_link_local_multicast() || group_address->is_interface_local_multicast())) {
      group_address = group_address->with_scope_id(index);  // as read_proc_igmp6 names it
    }
    out[{index, *group_address}].push_back({*source, inc, exc});
    if (first == 0) first = index;
  }
  return first;
}

// mcfilter's IPv4 fields: 0x-prefixed hex of the address's value
// (0xe8010203 is 232.1.2.3: the kernel prints ntohl of it, unlike igmp).
std::optional<core::ip_address> mcfilter_v4(std::string_view hex) {
  if (hex.starts_with("0x")) hex.remove_prefix(2);
  if (hex.size() != 8) return std::nullopt;
  return core::ip_address::v4_uint(hex_u32(hex));
}

// mcfilter6's fields: 32 hex digits in network order.
std::optional<core::ip_address> mcfilter_v6(std::string_view hex) {
  if (hex.size() != 32) return std::nullopt;
  return v6_from_hex(hex);
}

error no_such_interface(std::string_view name, std::uint32_t index) {
  error e(errc::no_such_interface, "RTM_GETLINK", "link");
  if (!name.empty()) e.with_input(name);
  if (index != 0) e.with_interface(index);
  return e.with_hint("no such interface in this network namespace (see `ip link`)");
}

}  // namespace

// A socket per thread for targeted lookups, reused while the thread stays in
// the same network namespace (checked on every call: setns moves threads).
// The check reads the namespace's name ("net:[inode]") through an O_PATH
// descriptor of this thread's /proc/thread-self/ns/net link, opened once:
// readlinkat(fd, "") skips the path walk a readlink of the full path costs
// on every call (about 1.4 of its 3 us; docs/performance.md). The link
// belongs to the thread that opened it, so a forked child (a copy of this
// thread's state under another thread id) opens its own.
result<transport*> detail::lookup_transport() {
  struct cached {
    pid_t thread = 0;  // gettid(2) of the thread that opened `ns_link`
    int ns_link = -1;
    std::array<char, 32> ns{};
    ssize_t ns_length = -1;
    std::optional<transport> socket;
    cached() = default;
    cached(const cached&) = delete;
    cached& operator=(const cached&) = delete;
    ~cached() {
      if (ns_link >= 0) ::close(ns_link);
    }
  };
  thread_local cached c;
  const pid_t self = ::gettid();
  if (c.thread != self) {
    // A new thread, or the child of a fork: the inherited descriptor (if
    // any) names another task's link and is the child's to close.
    if (c.ns_link >= 0) ::close(c.ns_link);
    c.ns_link = ::open("/proc/thread-self/ns/net", O_PATH | O_NOFOLLOW | O_CLOEXEC);
    c.thread = self;
    c.socket.reset();
  }
  std::array<char, 32> ns{};
  // Without the descriptor (no /proc), the full path, which fails as well
  // and so opens a socket per call, as it did before.
  const ssize_t n = c.ns_link >= 0 ? ::readlinkat(c.ns_link, "", ns.data(), ns.size())
                                   : ::readlink("/proc/thread-self/ns/net", ns.data(), ns.size());
  if (n <= 0 || n != c.ns_length || std::memcmp(ns.data(), c.ns.data(), static_cast<std::size_t>(n)) != 0 ||
      !c.socket) {
    auto s = transport::open();
    if (!s) return fail(s.error());
    c.socket.emplace(std::move(*s));
    c.ns = ns;
    c.ns_length = n;
  }
  return &*c.socket;
}

namespace {

result<link> get_link(request& req, std::string_view name, std::uint32_t index) {
  auto s = detail::lookup_transport();
  if (!s) return fail(s.error());
  std::optional<link> found;
  auto t = (*s)->transact(req, [&](const nlmsghdr& h) { found = detail::parse_link(h); });
  if (!t) {
    if (t.error().code == std::errc::no_such_device) return fail(no_such_interface(name, index));
    return fail(t.error());
  }
  if (!found) return fail(no_such_interface(name, index));
  return *found;
}

}  // namespace

const link* snapshot::link_by_index(std::uint32_t index) const noexcept {
  auto it = std::find_if(links.begin(), links.end(), [&](const link& l) { return l.index == index; });
  return it == links.end() ? nullptr : &*it;
}

const link* snapshot::link_by_name(std::string_view name) const noexcept {
  auto it = std::find_if(links.begin(), links.end(), [&](const link& l) {
    return l.name == name || std::find(l.alt_names.begin(), l.alt_names.end(), name) != l.alt_names.end();
  });
  return it == links.end() ? nullptr : &*it;
}

result<snapshot> take_snapshot(const snapshot_options& options) {
  auto s = detail::lookup_transport();  // reused per thread and namespace
  if (!s) return fail(s.error());
  return detail::snapshot_with(**s, options);
}

result<snapshot> detail::snapshot_with(transport& s_ref, const snapshot_options& options) {
  transport* s = &s_ref;
  // The sizes of this thread's last snapshot: reserving them saves the
  // vectors' regrowth and the trimming copy below when nothing changed, and
  // with them fresh pages the kernel must fault in and zero (measured: 5-6 %
  // of a snapshot at 1000-2000 veth pairs, docs/performance.md).
  struct sizes {
    std::size_t links = 0, addresses = 0, groups = 0;
  };
  thread_local sizes last;
  snapshot snap;
  for (unsigned attempt = 0;; ++attempt) {
    snap = snapshot{};
    snap.links.reserve(last.links);
    snap.addresses.reserve(last.addresses);
    if (options.groups) snap.groups.reserve(last.groups);
    auto l = dump_links(*s, snap.links);
    if (!l) return fail(l.error());
    auto a = dump_addresses(*s, snap.addresses);
    if (!a) return fail(a.error());
    bool interrupted = *l || *a;
    if (options.groups) {
      if (auto g = groups(*s, options.groups_from, snap.groups, snap.ipv4_groups_from_netlink); !g) return fail(g.error());
    }
    if (!interrupted) break;
    if (attempt >= options.retries) {
      snap.consistent = false;
      break;
    }
  }
  // Dumps come in index order on current kernels; sort only when they did not.
  auto by_index = [](const link& x, const link& y) { return x.index < y.index; };
  if (!std::is_sorted(snap.links.begin(), snap.links.end(), by_index)) {
    std::sort(snap.links.begin(), snap.links.end(), by_index);
  }
  last = {snap.links.size(), snap.addresses.size(), options.groups ? snap.groups.size() : last.groups};
  // Growth leaves up to half of each vector unused; a snapshot is kept, so trim it.
  snap.links.shrink_to_fit();
  snap.addresses.shrink_to_fit();
  snap.groups.shrink_to_fit();
  return snap;
}

result<link> link_by_index(std::uint32_t index) {
  if (index == 0) return fail(no_such_interface({}, 0));
  auto r = link_request(0, index);
  return get_link(r, {}, index);
}

result<link> link_by_name(std::string_view name) {
  if (name.empty() || name.size() > 127) {
    return fail(error(errc::value_out_of_range, "RTM_GETLINK", "link").with_input(name).with_hint("1 to 127 bytes"));
  }
  auto r = link_request(0);
  // IFLA_IFNAME holds at most 15 bytes; longer names can only be alt names.
  r.string(name.size() < IFNAMSIZ ? IFLA_IFNAME : IFLA_ALT_IFNAME, name);
  auto l = get_link(r, name, 0);
  if (!l && name.size() < IFNAMSIZ && l.error().code == errc::no_such_interface) {
    // Not a name: maybe an alternative name of 15 bytes or less.
    auto alt = link_request(0);
    alt.string(IFLA_ALT_IFNAME, name);
    return get_link(alt, name, 0);
  }
  return l;
}

result<std::vector<address>> addresses_of(std::uint32_t index) {
  auto s = detail::lookup_transport();
  if (!s) return fail(s.error());
  std::vector<address> out;
  // With strict checking the kernel filters by index; otherwise the dump is
  // filtered here (dump_addresses checks the index either way).
  auto r = dump_addresses(**s, out, index);
  if (!r) return fail(r.error());
  return out;
}

result<std::vector<group>> groups_of(std::uint32_t index, group_source from) {
  auto s = detail::lookup_transport();
  if (!s) return fail(s.error());
  std::vector<group> all;
  bool v4_from_netlink = false;
  // Filtered by the kernel where it can (netlink), by the loop below for /proc.
  if (auto g = groups(**s, from, all, v4_from_netlink, index); !g) return fail(g.error());
  std::vector<group> out;
  std::copy_if(all.begin(), all.end(), std::back_inserter(out), [&](const group& g) { return g.index == index; });
  return out;
}

namespace {

// Which of `joined`'s groups (one family, in /proc/net/igmp(6) order: the
// interfaces in the kernel's order, each one's groups latest join first)
// /proc/net/mcfilter(6) can have listed, given the interface of its first
// line (0: it listed nothing). Linux starts that listing at the first
// interface whose latest-joined group has sources (igmp_mcf_get_first and
// igmp6_mcf_get_first look at that group only), then lists everything after
// it: the groups of the interfaces before are skipped, but for each of those
// interfaces' latest-joined group, which is known to have no sources.
std::vector<bool> listed_groups(const std::vector<group>& joined, std::uint32_t first_listed) {
  std::vector<bool> listed(joined.size(), false);
  bool reached = false;
  std::uint32_t previous = 0;
  for (std::size_t i = 0; i < joined.size(); ++i) {
    const bool head = i == 0 || joined[i].index != previous;
    previous = joined[i].index;
    reached = reached || (first_listed != 0 && joined[i].index == first_listed);
    listed[i] = reached || head;
  }
  return listed;
}

void add_filters(const std::vector<group>& joined, std::uint32_t first_listed, source_counts& sources,
                 std::vector<group_filter>& out) {
  const auto listed = listed_groups(joined, first_listed);
  for (std::size_t i = 0; i < joined.size(); ++i) {
    const auto& g = joined[i];
    if (!listed[i]) {
      out.push_back({.index = g.index, .group = g.address, .mode = filter_mode::unknown, .listed = false});
      continue;
    }
    auto it = sources.find({g.index, g.address});
    out.push_back(group_filter::of(g.index, g.address, g.users.value_or(0),
                                   it != sources.end() ? std::move(it->second) : std::vector<filter_source>{}));
  }
}

}  // namespace

result<std::vector<group_filter>> group_filters() {
  if (::access("/proc/thread-self/net/igmp", R_OK) != 0) {
    return fail(error(std::error_code(errno, std::system_category()), "open", "/proc/thread-self/net/igmp")
                    .with_hint("the group filters come from /proc: mount it (mount -t proc proc /proc)"));
  }
  std::vector<group> v4, v6;
  read_proc_igmp(v4);
  read_proc_igmp6(v6);
  source_counts sources;
  const auto first_v4 = read_proc_mcfilter("/proc/thread-self/net/mcfilter", mcfilter_v4, sources);
  const auto first_v6 = read_proc_mcfilter("/proc/thread-self/net/mcfilter6", mcfilter_v6, sources);
  std::vector<group_filter> out;
  out.reserve(v4.size() + v6.size());
  add_filters(v4, first_v4, sources, out);
  add_filters(v6, first_v6, sources, out);
  return out;
}

}  // namespace mcnet::netlink
