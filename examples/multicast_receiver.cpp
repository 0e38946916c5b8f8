// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// Join a multicast group on one interface and report what arrives.
//
//   mcnet-example-multicast_receiver GROUP:PORT INTERFACE [EXPECTED] [TIMEOUT_MS]
//
// Prints one line per datagram (source, size, sequence number, TTL) and a
// summary; exits 0 when EXPECTED datagrams arrived, 1 when the timeout
// passed first. Membership uses a user descriptor for MCAST_JOIN_GROUP here:
// the library's own membership calls come with the datagram path.

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <set>
#include <string>
#include <string_view>

#include <mcnet/core.hpp>

namespace core = mcnet::core;

namespace {

struct group_req_codec {
  using value_type = group_req;
  using storage_type = group_req;
  static mcnet::result<socklen_t> encode(const group_req& v, group_req& s) noexcept {
    s = v;
    return socklen_t{sizeof(group_req)};
  }
  static mcnet::result<group_req> decode(const group_req& s, socklen_t) noexcept { return s; }
};
constexpr core::sockopt<group_req_codec, core::access::write_only> join_v4{IPPROTO_IP, MCAST_JOIN_GROUP,
                                                                           "MCAST_JOIN_GROUP"};
constexpr core::sockopt<group_req_codec, core::access::write_only> join_v6{IPPROTO_IPV6, MCAST_JOIN_GROUP,
                                                                           "MCAST_JOIN_GROUP"};
constexpr core::sockopt<core::bool_codec> recv_ttl{IPPROTO_IP, IP_RECVTTL, "IP_RECVTTL"};
constexpr core::sockopt<core::bool_codec> recv_hoplimit{IPPROTO_IPV6, IPV6_RECVHOPLIMIT, "IPV6_RECVHOPLIMIT"};

int number(const char* text, int fallback) {
  if (text == nullptr) return fallback;
  int v = 0;
  auto [p, ec] = std::from_chars(text, text + std::strlen(text), v);
  if (ec != std::errc() || *p != '\0' || v < 0) {
    std::fprintf(stderr, "not a non-negative number: %s\n", text);
    std::exit(2);
  }
  return v;
}

int die(const mcnet::error& e) {
  std::fprintf(stderr, "mcnet-example-multicast_receiver: %s\n", e.message().c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s GROUP:PORT INTERFACE [EXPECTED=10] [TIMEOUT_MS=5000]\n", argv[0]);
    return 2;
  }
  auto group = core::endpoint::parse(argv[1]);
  if (!group) return die(group.error());
  if (!group->address().is_multicast()) {
    return die(mcnet::error(mcnet::errc::not_multicast, "join", "group").with_address(group->address()));
  }
  auto iface = core::interface_ref::by_name(argv[2]);
  if (!iface) return die(iface.error());
  const int expected = number(argc > 3 ? argv[3] : nullptr, 10);
  const int timeout_ms = number(argc > 4 ? argv[4] : nullptr, 5000);
  const bool v4 = group->address().is_v4();

  auto s = core::socket::open(group->address().af(), SOCK_DGRAM);
  if (!s) return die(s.error());
  if (auto r = core::set(*s, core::opt::reuse_address, true); !r) return die(r.error());
  if (auto r = core::set(*s, core::opt::timestamp_ns, true); !r) return die(r.error());
  if (auto r = core::set(*s, v4 ? recv_ttl : recv_hoplimit, true); !r) return die(r.error());
  // Bind to the group itself: only this group's datagrams reach the socket.
  if (auto r = core::bind(*s, *group); !r) return die(r.error());
  group_req req{};
  req.gr_interface = iface->index;
  core::endpoint(group->address(), 0).to_sockaddr(req.gr_group);
  if (auto r = core::set(*s, v4 ? join_v4 : join_v6, req); !r) return die(r.error());
  std::printf("joined %s on %s (index %u); waiting for %d datagrams, at most %d ms\n",
              group->address().to_string().c_str(), std::string(iface->name.view()).c_str(), iface->index, expected,
              timeout_ms);
  std::fflush(stdout);

  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  int received = 0;
  std::set<long> seen;
  while (received < expected) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
    if (left <= 0) break;
    pollfd pfd{s->native_handle(), POLLIN, 0};
    if (::poll(&pfd, 1, static_cast<int>(left)) != 1) continue;

    char buf[2048];
    alignas(cmsghdr) char control[128];
    sockaddr_storage from{};
    iovec iov{buf, sizeof buf - 1};
    msghdr msg{};
    msg.msg_name = &from;
    msg.msg_namelen = sizeof from;
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    const ssize_t n = ::recvmsg(s->native_handle(), &msg, 0);
    if (n < 0) return die(mcnet::error::from_errno(errno, "recvmsg", "datagram"));
    buf[n] = '\0';
    int ttl = -1;
    timespec stamp{};
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
      if ((c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TTL) ||
          (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_HOPLIMIT)) {
        std::memcpy(&ttl, CMSG_DATA(c), sizeof ttl);
      } else if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_TIMESTAMPNS) {
        std::memcpy(&stamp, CMSG_DATA(c), sizeof stamp);
      }
    }
    auto source = core::endpoint::from_sockaddr(reinterpret_cast<sockaddr*>(&from), msg.msg_namelen);
    long seq = -1;
    if (const char* p = std::strstr(buf, "seq=")) seq = std::strtol(p + 4, nullptr, 10);
    seen.insert(seq);
    ++received;
    std::printf("  %-22s %4zd bytes  seq %-4ld ttl %-3d kernel time %lld.%09ld\n",
                source ? source->to_string().c_str() : "?", n, seq, ttl, static_cast<long long>(stamp.tv_sec),
                stamp.tv_nsec);
    std::fflush(stdout);
  }
  std::printf("received %d of %d datagrams (%zu distinct sequence numbers)%s\n", received, expected, seen.size(),
              received < expected ? ": timed out" : "");
  return received >= expected ? 0 : 1;
}
