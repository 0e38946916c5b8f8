// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// Control message codec. Headers are read with memcpy (a caller's buffer may
// sit at any alignment) and checked against the bytes really present; each
// payload is checked against the size its type needs. One switch case per
// message the kernel sends.

#include <mcnet/core/control.hpp>

#include "decode_control.hpp"

#include <linux/net_tstamp.h>
#include <netinet/udp.h>
#include <unistd.h>

#include <algorithm>
#include <cstddef>
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

// The field of type T at `offset` in `data` (the caller checked the size).
// The decode reads the fields it keeps one by one rather than copying a
// whole kernel struct to the stack: a 12-byte in_pktinfo copied as 8 + 4
// bytes and read back across the two stores stalls on store forwarding
// (perf annotate of BM_interleaved_read_batch with metadata).
template <class T>
T load_at(std::span<const std::byte> data, std::size_t offset) noexcept {
  T value;
  std::memcpy(&value, data.data() + offset, sizeof(T));
  return value;
}

// Inlined into the decode: out of line it cost as much as the rest of the
// SCM_TIMESTAMPNS case (perf annotate of BM_interleaved_read_batch).
[[gnu::always_inline]] inline std::optional<kernel_time> to_time(const timespec& ts) noexcept {
  if (ts.tv_sec == 0 && ts.tv_nsec == 0) return std::nullopt;  // "no stamp" in scm_timestamping
  // A kernel stamp fits in 64-bit nanoseconds (until 2262); anything else is
  // not a stamp, and converting it would overflow.
  constexpr long long max_seconds = std::numeric_limits<std::int64_t>::max() / 1'000'000'000 - 1;
  if (ts.tv_sec < -max_seconds || ts.tv_sec > max_seconds || ts.tv_nsec < 0 || ts.tv_nsec >= 1'000'000'000) {
    return std::nullopt;
  }
  return kernel_time(std::chrono::seconds(ts.tv_sec) + std::chrono::nanoseconds(ts.tv_nsec));
}

// The kernel's spelling of a control message, for errors.
struct spelled {
  std::string_view spelling;
  std::size_t min_size;  // bytes the payload must have
};

// SCM_PIDFD (include/linux/socket.h, Linux 6.5): a pidfd the kernel
// installs for SO_PASSPIDFD. Older user-space headers lack the name.
constexpr int scm_pidfd = 0x04;

static_assert(sizeof(unix_credentials) == sizeof(ucred), "unix_credentials is struct ucred's layout");

// The walk behind decode_unix_control and take_descriptors: calls
// `on_fd(int)` for every descriptor number of each SCM_RIGHTS message in
// order and `on_pidfd(int)` for an SCM_PIDFD, and stores SCM_CREDENTIALS
// in `credentials`. The whole ints of a payload are handed over before its
// size is checked, so no descriptor the kernel installed is ever skipped.
template <class OnFd, class OnPidfd>
result<void> walk_unix_control(std::span<const std::byte> control, OnFd&& on_fd, OnPidfd&& on_pidfd,
                               std::optional<unix_credentials>& credentials) noexcept {
  // A bad payload is reported, but the walk goes on while the headers hold,
  // so that descriptors after it are still handed over (MSG_CTRUNC can cut
  // SCM_CREDENTIALS, which the kernel writes before SCM_RIGHTS).
  std::optional<detail::control_failure> first_failure;
  const auto bad_payload = [&](std::string_view what, std::size_t size, std::string_view hint) noexcept {
    if (!first_failure) first_failure = detail::control_failure{what, static_cast<std::int64_t>(size), hint};
  };
  cmsg_view view(control);
  while (true) {
    auto next = view.next();
    if (!next) return fail(next.error());
    if (!*next) break;
    const cmsg_entry& e = **next;
    if (e.level != SOL_SOCKET) continue;
    if (e.type == SCM_RIGHTS || e.type == scm_pidfd) {
      for (std::size_t i = 0; i + sizeof(int) <= e.data.size(); i += sizeof(int)) {
        const int fd = load<int>(e.data.subspan(i));
        if (e.type == SCM_RIGHTS) {
          on_fd(fd);
        } else {
          on_pidfd(fd);
        }
      }
      if (e.data.size() % sizeof(int) != 0 || (e.type == scm_pidfd && e.data.size() != sizeof(int))) {
        bad_payload(e.type == SCM_RIGHTS ? "SCM_RIGHTS" : "SCM_PIDFD", e.data.size(),
                    "the payload is not a whole number of descriptors");
      }
    } else if (e.type == SCM_CREDENTIALS) {
      if (e.data.size() < sizeof(unix_credentials)) {
        bad_payload("SCM_CREDENTIALS", e.data.size(), "the payload is shorter than struct ucred (MSG_CTRUNC?)");
      } else {
        credentials = load<unix_credentials>(e.data);
      }
    }
  }
  if (first_failure) return fail(first_failure->to_error());
  return {};
}

}  // namespace

namespace detail {

// One switch on (level, type) decodes each message straight into `out`: no
// table scan, no indirect call, no `result` on the way (this runs for every
// control message of every datagram). A message the switch does not know,
// or whose kind is not wanted, is skipped.
bool decode_control_into(std::span<const std::byte> control, cmsg wanted, packet_info& out,
                         control_failure& failure, std::uint32_t& filled) noexcept {
  const std::byte* at = control.data();
  std::size_t left = control.size();
  while (left >= header_size) {
    cmsghdr h;
    std::memcpy(&h, at, sizeof h);
    if (h.cmsg_len < header_size || h.cmsg_len > left) {
      failure = malformed_header(static_cast<std::int64_t>(h.cmsg_len));
      return false;
    }
    const std::span<const std::byte> d(at + header_size, h.cmsg_len - header_size);
    // Whether the payload holds what `m` needs; otherwise the failure names it.
    const auto fits = [&](const spelled& m) noexcept {
      if (d.size() >= m.min_size) return true;
      failure = {m.spelling, static_cast<std::int64_t>(d.size()),
                 "the payload is shorter than the message type needs (MSG_CTRUNC?)"};
      return false;
    };
    bool ok = true;
    switch (h.cmsg_level) {
      case SOL_SOCKET:
        switch (h.cmsg_type) {
          case SCM_TIMESTAMPNS:
            if (!has(wanted, cmsg::timestamp_ns)) break;
            if (!(ok = fits({"SCM_TIMESTAMPNS", sizeof(timespec)}))) break;
            out.software_time = to_time(load<timespec>(d));
            filled |= info_field::software_time;
            break;
#if defined(SO_TIMESTAMPNS_NEW) && SO_TIMESTAMPNS_NEW != SCM_TIMESTAMPNS
          // Sockets switched to the y2038-safe variant by someone else (64-bit
          // __kernel_timespec: the same layout as timespec on 64-bit Linux).
          case SO_TIMESTAMPNS_NEW:
            if (!has(wanted, cmsg::timestamp_ns)) break;
            if (!(ok = fits({"SO_TIMESTAMPNS_NEW", sizeof(timespec)}))) break;
            out.software_time = to_time(load<timespec>(d));
            filled |= info_field::software_time;
            break;
#endif
          case SCM_TIMESTAMPING: {
            if (!has(wanted, cmsg::timestamping)) break;
            if (!(ok = fits({"SCM_TIMESTAMPING", sizeof(scm_timestamping)}))) break;
            const auto ts = load<scm_timestamping>(d);
            if (auto sw = to_time(ts.ts[0])) {
              out.software_time = sw;
              filled |= info_field::software_time;
            }
            if (auto hw = to_time(ts.ts[2])) {
              out.hardware_time = hw;
              filled |= info_field::hardware_time;
            }
            break;
          }
          case SO_RXQ_OVFL:
            if (!has(wanted, cmsg::drops)) break;
            if (!(ok = fits({"SO_RXQ_OVFL", sizeof(std::uint32_t)}))) break;
            out.drops = load<std::uint32_t>(d);
            filled |= info_field::drops;
            break;
          default: break;
        }
        break;
      case IPPROTO_IP:
        switch (h.cmsg_type) {
          case IP_PKTINFO: {
            if (!has(wanted, cmsg::pktinfo)) break;
            if (!(ok = fits({"IP_PKTINFO", sizeof(in_pktinfo)}))) break;
            assign_v4(out.destination, d.data() + offsetof(in_pktinfo, ipi_addr));
            out.interface_index = static_cast<std::uint32_t>(load_at<int>(d, offsetof(in_pktinfo, ipi_ifindex)));
            filled |= info_field::destination | info_field::interface_index;
            break;
          }
          // Linux sends the TTL as a 4-byte int and the TOS as one byte (ip(7)).
          case IP_TTL:
            if (!has(wanted, cmsg::hop_limit)) break;
            if (!(ok = fits({"IP_TTL", sizeof(int)}))) break;
            out.hop_limit = load<int>(d);
            filled |= info_field::hop_limit;
            break;
          case IP_TOS:
            if (!has(wanted, cmsg::traffic_class)) break;
            if (!(ok = fits({"IP_TOS", 1}))) break;
            out.traffic_class = load<std::uint8_t>(d);
            filled |= info_field::traffic_class;
            break;
          case IP_ORIGDSTADDR: {
            if (!has(wanted, cmsg::original_destination)) break;
            if (!(ok = fits({"IP_ORIGDSTADDR", sizeof(sockaddr_in)}))) break;
            assign_v4(out.original_destination, d.data() + offsetof(sockaddr_in, sin_addr),
                      ntohs(load_at<in_port_t>(d, offsetof(sockaddr_in, sin_port))));
            filled |= info_field::original_destination;
            break;
          }
          default: break;
        }
        break;
      case IPPROTO_IPV6:
        switch (h.cmsg_type) {
          case IPV6_PKTINFO: {
            if (!has(wanted, cmsg::pktinfo)) break;
            if (!(ok = fits({"IPV6_PKTINFO", sizeof(in6_pktinfo)}))) break;
            out.interface_index = load_at<std::uint32_t>(d, offsetof(in6_pktinfo, ipi6_ifindex));
            assign_v6(out.destination, d.data() + offsetof(in6_pktinfo, ipi6_addr), 0);
            filled |= info_field::destination | info_field::interface_index;
            break;
          }
          case IPV6_HOPLIMIT:
            if (!has(wanted, cmsg::hop_limit)) break;
            if (!(ok = fits({"IPV6_HOPLIMIT", sizeof(int)}))) break;
            out.hop_limit = load<int>(d);
            filled |= info_field::hop_limit;
            break;
          case IPV6_TCLASS:
            if (!has(wanted, cmsg::traffic_class)) break;
            if (!(ok = fits({"IPV6_TCLASS", sizeof(int)}))) break;
            out.traffic_class = load<int>(d);
            filled |= info_field::traffic_class;
            break;
          case IPV6_PATHMTU:
            if (!has(wanted, cmsg::path_mtu)) break;
            if (!(ok = fits({"IPV6_PATHMTU", sizeof(ip6_mtuinfo)}))) break;
            out.path_mtu = load_at<std::uint32_t>(d, offsetof(ip6_mtuinfo, ip6m_mtu));
            filled |= info_field::path_mtu;
            break;
          case IPV6_ORIGDSTADDR: {
            if (!has(wanted, cmsg::original_destination)) break;
            if (!(ok = fits({"IPV6_ORIGDSTADDR", sizeof(sockaddr_in6)}))) break;
            assign_v6(out.original_destination, d.data() + offsetof(sockaddr_in6, sin6_addr),
                      load_at<std::uint32_t>(d, offsetof(sockaddr_in6, sin6_scope_id)),
                      ntohs(load_at<in_port_t>(d, offsetof(sockaddr_in6, sin6_port))));
            filled |= info_field::original_destination;
            break;
          }
          default: break;
        }
        break;
      case SOL_UDP:
        // The kernel writes the segment size of a coalesced read as an int
        // (udp_cmsg_recv, net/ipv4/udp.c); the sender's UDP_SEGMENT is a u16.
        if (h.cmsg_type != UDP_GRO || !has(wanted, cmsg::segment_size)) break;
        if (!(ok = fits({"UDP_GRO", sizeof(int)}))) break;
        out.segment_size = static_cast<std::uint32_t>(std::max(load<int>(d), 0));
        filled |= info_field::segment_size;
        break;
      default: break;
    }
    if (!ok) return false;
    const std::size_t step = std::min<std::size_t>(CMSG_ALIGN(h.cmsg_len), left);
    at += step;
    left -= step;
  }
  return true;
}

}  // namespace detail

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
    return fail(detail::malformed_header(len).to_error());
  }
  cmsg_entry e{h.cmsg_level, h.cmsg_type, rest_.subspan(header_size, h.cmsg_len - header_size)};
  const std::size_t step = std::min<std::size_t>(CMSG_ALIGN(h.cmsg_len), rest_.size());
  rest_ = rest_.subspan(step);
  return std::optional<cmsg_entry>{e};
}

result<void> decode_control(std::span<const std::byte> control, cmsg wanted, packet_info& out) noexcept {
  detail::control_failure failure;
  std::uint32_t filled = 0;
  if (detail::decode_control_into(control, wanted, out, failure, filled)) return {};
  return fail(failure.to_error());
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

result<void> cmsg_writer::append_rights(std::span<const int> fds) noexcept {
  if (fds.empty() || fds.size() > max_fds_per_message) {
    return fail(error(errc::value_out_of_range, "append", "SCM_RIGHTS")
                    .with_number(static_cast<std::int64_t>(fds.size()))
                    .with_hint("an SCM_RIGHTS message carries 1 to 253 descriptors (SCM_MAX_FD): it has {number}"));
  }
  return append(SOL_SOCKET, SCM_RIGHTS, std::as_bytes(fds));
}

result<void> cmsg_writer::append_segment_size(std::uint16_t segment_size) noexcept {
  if (segment_size == 0) {
    return fail(error(errc::value_out_of_range, "append", "UDP_SEGMENT")
                    .with_number(0)
                    .with_hint("a segment size of 0 turns segmentation off: the kernel would send the payload as "
                               "one datagram"));
  }
  return append(SOL_UDP, UDP_SEGMENT, segment_size);
}

result<void> cmsg_writer::append_credentials(const unix_credentials& credentials) noexcept {
  return append(SOL_SOCKET, SCM_CREDENTIALS, credentials);
}

unix_credentials unix_credentials::of_this_process() noexcept { return {::getpid(), ::getuid(), ::getgid()}; }

result<unix_control> decode_unix_control(std::span<const std::byte> control, std::span<int> numbers) noexcept {
  unix_control out;
  auto walked = walk_unix_control(
      control,
      [&](int fd) noexcept {
        if (out.fds < numbers.size()) numbers[out.fds] = fd;
        ++out.fds;
      },
      [](int) noexcept {}, out.credentials);
  if (!walked) return fail(walked.error());
  return out;
}

result<taken_descriptors> take_descriptors(std::span<const std::byte> control, std::span<unique_fd> fds_out) noexcept {
  taken_descriptors out;
  // Each descriptor is owned from the moment it is seen: in the caller's
  // span, or closed at once.
  const auto close_now = [&](int fd) noexcept {
    unique_fd(fd).reset();
    ++out.closed;
  };
  auto walked = walk_unix_control(
      control,
      [&](int fd) noexcept {
        if (out.stored < fds_out.size()) {
          fds_out[out.stored++].reset(fd);
        } else {
          close_now(fd);
        }
      },
      close_now, out.credentials);
  if (!walked) {
    for (std::size_t i = 0; i < out.stored; ++i) fds_out[i].reset();
    return fail(walked.error());
  }
  return out;
}

}  // namespace mcnet::core
