// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// Control message codec. Headers are read with memcpy (a caller's buffer may
// sit at any alignment) and checked against the bytes really present; each
// payload is checked against the size its type needs. One table row per
// message the kernel sends.

#include <mcnet/core/control.hpp>

#include <linux/net_tstamp.h>

#include <algorithm>
#include <limits>

namespace mcnet::core {
namespace {

constexpr std::size_t header_size = CMSG_LEN(0);

template <class T>
T load(std::span<const std::byte> data) noexcept {
  T value{};
  std::memcpy(&value, data.data(), sizeof(T));
  return value;
}

std::optional<kernel_time> to_time(const timespec& ts) noexcept {
  if (ts.tv_sec == 0 && ts.tv_nsec == 0) return std::nullopt;  // "no stamp" in scm_timestamping
  // A kernel stamp fits in 64-bit nanoseconds (until 2262); anything else is
  // not a stamp, and converting it would overflow.
  constexpr long long max_seconds = std::numeric_limits<std::int64_t>::max() / 1'000'000'000 - 1;
  if (ts.tv_sec < -max_seconds || ts.tv_sec > max_seconds || ts.tv_nsec < 0 || ts.tv_nsec >= 1'000'000'000) {
    return std::nullopt;
  }
  return kernel_time(std::chrono::seconds(ts.tv_sec) + std::chrono::nanoseconds(ts.tv_nsec));
}

ip_address v4_of(const in_addr& a) noexcept {
  std::array<std::uint8_t, 4> b{};
  std::memcpy(b.data(), &a, 4);
  return ip_address::v4_bytes(b);
}

ip_address v6_of(const in6_addr& a, std::uint32_t scope) noexcept {
  std::array<std::uint8_t, 16> b{};
  std::memcpy(b.data(), &a, 16);
  return ip_address::v6_bytes(b, scope);
}

using parse_fn = void (*)(std::span<const std::byte>, packet_info&) noexcept;

struct rule {
  int level;
  int type;
  cmsg kind;
  std::size_t min_size;  // bytes the payload must have
  std::string_view spelling;
  parse_fn parse;
};

constexpr rule rules[] = {
    {SOL_SOCKET, SCM_TIMESTAMPNS, cmsg::timestamp_ns, sizeof(timespec), "SCM_TIMESTAMPNS",
     [](std::span<const std::byte> d, packet_info& out) noexcept { out.software_time = to_time(load<timespec>(d)); }},
    {SOL_SOCKET, SCM_TIMESTAMPING, cmsg::timestamping, sizeof(scm_timestamping), "SCM_TIMESTAMPING",
     [](std::span<const std::byte> d, packet_info& out) noexcept {
       auto ts = load<scm_timestamping>(d);
       if (auto sw = to_time(ts.ts[0])) out.software_time = sw;
       if (auto hw = to_time(ts.ts[2])) out.hardware_time = hw;
     }},
#if defined(SO_TIMESTAMPNS_NEW) && SO_TIMESTAMPNS_NEW != SCM_TIMESTAMPNS
    // Sockets switched to the y2038-safe variant by someone else (64-bit
    // __kernel_timespec: the same layout as timespec on 64-bit Linux).
    {SOL_SOCKET, SO_TIMESTAMPNS_NEW, cmsg::timestamp_ns, sizeof(timespec), "SO_TIMESTAMPNS_NEW",
     [](std::span<const std::byte> d, packet_info& out) noexcept { out.software_time = to_time(load<timespec>(d)); }},
#endif
    {SOL_SOCKET, SO_RXQ_OVFL, cmsg::drops, sizeof(std::uint32_t), "SO_RXQ_OVFL",
     [](std::span<const std::byte> d, packet_info& out) noexcept { out.drops = load<std::uint32_t>(d); }},
    {IPPROTO_IP, IP_PKTINFO, cmsg::pktinfo, sizeof(in_pktinfo), "IP_PKTINFO",
     [](std::span<const std::byte> d, packet_info& out) noexcept {
       auto pi = load<in_pktinfo>(d);
       out.destination = v4_of(pi.ipi_addr);
       out.interface_index = static_cast<std::uint32_t>(pi.ipi_ifindex);
     }},
    // Linux sends the TTL as a 4-byte int and the TOS as one byte (ip(7)).
    {IPPROTO_IP, IP_TTL, cmsg::hop_limit, sizeof(int), "IP_TTL",
     [](std::span<const std::byte> d, packet_info& out) noexcept { out.hop_limit = load<int>(d); }},
    {IPPROTO_IP, IP_TOS, cmsg::traffic_class, 1, "IP_TOS",
     [](std::span<const std::byte> d, packet_info& out) noexcept { out.traffic_class = load<std::uint8_t>(d); }},
    {IPPROTO_IP, IP_ORIGDSTADDR, cmsg::original_destination, sizeof(sockaddr_in), "IP_ORIGDSTADDR",
     [](std::span<const std::byte> d, packet_info& out) noexcept {
       auto sa = load<sockaddr_in>(d);
       out.original_destination = endpoint(v4_of(sa.sin_addr), ntohs(sa.sin_port));
     }},
    {IPPROTO_IPV6, IPV6_PKTINFO, cmsg::pktinfo, sizeof(in6_pktinfo), "IPV6_PKTINFO",
     [](std::span<const std::byte> d, packet_info& out) noexcept {
       auto pi = load<in6_pktinfo>(d);
       out.interface_index = pi.ipi6_ifindex;
       out.destination = v6_of(pi.ipi6_addr, 0);
     }},
    {IPPROTO_IPV6, IPV6_HOPLIMIT, cmsg::hop_limit, sizeof(int), "IPV6_HOPLIMIT",
     [](std::span<const std::byte> d, packet_info& out) noexcept { out.hop_limit = load<int>(d); }},
    {IPPROTO_IPV6, IPV6_TCLASS, cmsg::traffic_class, sizeof(int), "IPV6_TCLASS",
     [](std::span<const std::byte> d, packet_info& out) noexcept { out.traffic_class = load<int>(d); }},
    {IPPROTO_IPV6, IPV6_PATHMTU, cmsg::path_mtu, sizeof(ip6_mtuinfo), "IPV6_PATHMTU",
     [](std::span<const std::byte> d, packet_info& out) noexcept { out.path_mtu = load<ip6_mtuinfo>(d).ip6m_mtu; }},
    {IPPROTO_IPV6, IPV6_ORIGDSTADDR, cmsg::original_destination, sizeof(sockaddr_in6), "IPV6_ORIGDSTADDR",
     [](std::span<const std::byte> d, packet_info& out) noexcept {
       auto sa = load<sockaddr_in6>(d);
       out.original_destination = endpoint(v6_of(sa.sin6_addr, sa.sin6_scope_id), ntohs(sa.sin6_port));
     }},
};

// The row for (level, type), found by switch rather than a scan: this runs
// for every control message of every datagram.
constexpr std::size_t row(int level, int type) noexcept {
  for (std::size_t i = 0; i < std::size(rules); ++i) {
    if (rules[i].level == level && rules[i].type == type) return i;
  }
  return std::size(rules);
}

const rule* find_rule(int level, int type) noexcept {
  std::size_t i = std::size(rules);
  switch (level) {
    case SOL_SOCKET:
      switch (type) {
        case SCM_TIMESTAMPNS: i = row(SOL_SOCKET, SCM_TIMESTAMPNS); break;
        case SCM_TIMESTAMPING: i = row(SOL_SOCKET, SCM_TIMESTAMPING); break;
        case SO_RXQ_OVFL: i = row(SOL_SOCKET, SO_RXQ_OVFL); break;
#if defined(SO_TIMESTAMPNS_NEW) && SO_TIMESTAMPNS_NEW != SCM_TIMESTAMPNS
        case SO_TIMESTAMPNS_NEW: i = row(SOL_SOCKET, SO_TIMESTAMPNS_NEW); break;
#endif
        default: break;
      }
      break;
    case IPPROTO_IP:
      switch (type) {
        case IP_PKTINFO: i = row(IPPROTO_IP, IP_PKTINFO); break;
        case IP_TTL: i = row(IPPROTO_IP, IP_TTL); break;
        case IP_TOS: i = row(IPPROTO_IP, IP_TOS); break;
        case IP_ORIGDSTADDR: i = row(IPPROTO_IP, IP_ORIGDSTADDR); break;
        default: break;
      }
      break;
    case IPPROTO_IPV6:
      switch (type) {
        case IPV6_PKTINFO: i = row(IPPROTO_IPV6, IPV6_PKTINFO); break;
        case IPV6_HOPLIMIT: i = row(IPPROTO_IPV6, IPV6_HOPLIMIT); break;
        case IPV6_TCLASS: i = row(IPPROTO_IPV6, IPV6_TCLASS); break;
        case IPV6_PATHMTU: i = row(IPPROTO_IPV6, IPV6_PATHMTU); break;
        case IPV6_ORIGDSTADDR: i = row(IPPROTO_IPV6, IPV6_ORIGDSTADDR); break;
        default: break;
      }
      break;
    default: break;
  }
  return i < std::size(rules) ? &rules[i] : nullptr;
}

// Every row is reachable through find_rule.
constexpr bool all_rows_distinct() noexcept {
  for (std::size_t i = 0; i < std::size(rules); ++i) {
    if (row(rules[i].level, rules[i].type) != i) return false;
  }
  return true;
}
static_assert(all_rows_distinct(), "one table row per (level, type)");

}  // namespace

result<std::optional<cmsg_entry>> cmsg_view::next() noexcept {
  if (rest_.size() < header_size) {
    // Fewer bytes than a header: the end (the kernel pads, never leaves a partial header).
    rest_ = {};
    return std::optional<cmsg_entry>{};
  }
  cmsghdr h{};
  std::memcpy(&h, rest_.data(), sizeof h);
  if (h.cmsg_len < header_size || h.cmsg_len > rest_.size()) {
    const auto len = static_cast<std::int64_t>(h.cmsg_len);
    rest_ = {};
    return fail(error(errc::truncated_control_message, "decode", "cmsghdr")
                    .with_number(len)
                    .with_hint("cmsg_len is shorter than a header or runs past the control buffer"));
  }
  cmsg_entry e{h.cmsg_level, h.cmsg_type, rest_.subspan(header_size, h.cmsg_len - header_size)};
  const std::size_t step = std::min<std::size_t>(CMSG_ALIGN(h.cmsg_len), rest_.size());
  rest_ = rest_.subspan(step);
  return std::optional<cmsg_entry>{e};
}

result<void> decode_control(std::span<const std::byte> control, cmsg wanted, packet_info& out) noexcept {
  // The same walk as cmsg_view, inlined: this runs once per datagram.
  const std::byte* at = control.data();
  std::size_t left = control.size();
  while (left >= header_size) {
    cmsghdr h;
    std::memcpy(&h, at, sizeof h);
    if (h.cmsg_len < header_size || h.cmsg_len > left) {
      return fail(error(errc::truncated_control_message, "decode", "cmsghdr")
                      .with_number(static_cast<std::int64_t>(h.cmsg_len))
                      .with_hint("cmsg_len is shorter than a header or runs past the control buffer"));
    }
    if (const rule* r = find_rule(h.cmsg_level, h.cmsg_type); r != nullptr && has(wanted, r->kind)) {
      const std::span<const std::byte> data(at + header_size, h.cmsg_len - header_size);
      if (data.size() < r->min_size) {
        return fail(error(errc::truncated_control_message, "decode", r->spelling)
                        .with_number(static_cast<std::int64_t>(data.size()))
                        .with_hint("the payload is shorter than the message type needs (MSG_CTRUNC?)"));
      }
      r->parse(data, out);
    }
    const std::size_t step = std::min<std::size_t>(CMSG_ALIGN(h.cmsg_len), left);
    at += step;
    left -= step;
  }
  return {};
}

result<void> cmsg_writer::append(int level, int type, std::span<const std::byte> payload) noexcept {
  const std::size_t need = CMSG_SPACE(payload.size());
  if (buffer_.size() - used_ < need) {
    return fail(error(errc::value_out_of_range, "append", "cmsghdr")
                    .with_number(static_cast<std::int64_t>(need))
                    .with_hint("the control buffer is too small for this message"));
  }
  cmsghdr h{};
  h.cmsg_len = CMSG_LEN(payload.size());
  h.cmsg_level = level;
  h.cmsg_type = type;
  std::byte* at = buffer_.data() + used_;
  std::memset(at, 0, need);
  std::memcpy(at, &h, sizeof h);
  std::memcpy(at + header_size, payload.data(), payload.size());
  used_ += need;
  return {};
}

}  // namespace mcnet::core
