// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// bench/c_recv.c's receiver with core::uring_receiver in place of poll and
// recvmmsg(32): the same socket set-up (one IPv4 group on one interface,
// IP_PKTINFO, SO_TIMESTAMPNS and SO_RXQ_OVFL on), the same per-datagram
// work (the metadata kept, the mcast-send wire header read, loss counted
// from the highest sequence number), the same arguments, stop conditions and
// output line, so that bench/suite.py runs it where it runs c_recv and the
// two receive backends compare at the same offered load.
//
//   uring_recv GROUP PORT IFNAME COUNT IDLE_MS [RCVBUF_BYTES]
//
// 256 provided buffers of 2048 bytes. Exit 0, or 1 with a message on a bad
// argument or a failed call.

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <mcnet/core/message.hpp>
#include <mcnet/core/uring_receiver.hpp>

namespace core = mcnet::core;

namespace {

int fail(const char* what) {
  std::fprintf(stderr, "uring_recv: %s: %s\n", what, std::strerror(errno));
  return 1;
}

std::uint64_t be64(const unsigned char* p) {
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | p[i];
  return v;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 6 || argc > 7) {
    std::fprintf(stderr, "usage: uring_recv GROUP PORT IFNAME COUNT IDLE_MS [RCVBUF_BYTES]\n");
    return 1;
  }
  in_addr group{};
  if (inet_pton(AF_INET, argv[1], &group) != 1 || !IN_MULTICAST(ntohl(group.s_addr))) {
    std::fprintf(stderr, "uring_recv: %s: not an IPv4 multicast group\n", argv[1]);
    return 1;
  }
  const long port = std::strtol(argv[2], nullptr, 10);
  const unsigned ifindex = if_nametoindex(argv[3]);
  const unsigned long long count = std::strtoull(argv[4], nullptr, 10);
  const long idle_ms = std::strtol(argv[5], nullptr, 10);
  const long rcvbuf = argc == 7 ? std::strtol(argv[6], nullptr, 10) : 0;
  if (port < 1 || port > 65535 || ifindex == 0 || count == 0 || idle_ms < 1 || idle_ms > 600000 || rcvbuf < 0 ||
      rcvbuf > (1L << 30)) {
    std::fprintf(stderr, "uring_recv: bad argument (port 1-65535, an existing interface, count >= 1, idle 1-600000 ms)\n");
    return 1;
  }

  const int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return fail("socket");
  const int one = 1;
  const int zero = 0;
  if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0) return fail("SO_REUSEADDR");
  if (setsockopt(fd, IPPROTO_IP, IP_MULTICAST_ALL, &zero, sizeof zero) != 0) return fail("IP_MULTICAST_ALL");
  if (setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof one) != 0) return fail("IP_PKTINFO");
  if (setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof one) != 0) return fail("SO_TIMESTAMPNS");
  if (setsockopt(fd, SOL_SOCKET, SO_RXQ_OVFL, &one, sizeof one) != 0) return fail("SO_RXQ_OVFL");
  if (rcvbuf > 0) {
    const int bytes = static_cast<int>(rcvbuf);
    if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof bytes) != 0 &&
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes) != 0) {
      return fail("SO_RCVBUF");
    }
  }
  int granted = 0;
  socklen_t granted_len = sizeof granted;
  if (getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &granted, &granted_len) != 0) return fail("SO_RCVBUF read-back");
  sockaddr_in wildcard{};
  wildcard.sin_family = AF_INET;
  wildcard.sin_port = htons(static_cast<std::uint16_t>(port));
  if (bind(fd, reinterpret_cast<sockaddr*>(&wildcard), sizeof wildcard) != 0) return fail("bind");
  ip_mreqn join{};
  join.imr_multiaddr = group;
  join.imr_ifindex = static_cast<int>(ifindex);
  if (setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &join, sizeof join) != 0) return fail("IP_ADD_MEMBERSHIP");

  auto made = core::uring_receiver::make(256, 2048, core::cmsg::pktinfo | core::cmsg::timestamp_ns | core::cmsg::drops);
  if (!made) {
    std::fprintf(stderr, "uring_recv: %s\n", made.error().message().c_str());
    return 1;
  }
  auto& r = *made;
  if (auto added = r.add(core::socket_ref(fd)); !added) {
    std::fprintf(stderr, "uring_recv: %s\n", added.error().message().c_str());
    return 1;
  }
  // Ready: the orchestrator starts the sender on this line.
  std::printf("joined\n");
  std::fflush(stdout);

  unsigned long long received = 0, ends = 0, foreign = 0, highest = 0, end_count = 0, bytes = 0;
  std::uint32_t drops = 0;
  unsigned long long meta = 0;  // as c_recv: what a receiver keeps, summed
  bool any = false;
  bool ended = false;
  while (received < count && !ended) {
    const auto idle = std::chrono::milliseconds(any ? idle_ms : idle_ms * 10);
    auto n = r.read(core::wait_policy::deadline(idle));
    if (!n) {
      if (n.error().code == mcnet::errc::timed_out) break;  // idle: the sender is done
      std::fprintf(stderr, "uring_recv: %s\n", n.error().message().c_str());
      return 1;
    }
    for (const core::message& m : r) {
      const auto& info = m.info;
      meta += info.interface_index;
      if (info.destination.is_v4()) {
        std::uint32_t a;
        std::memcpy(&a, info.destination.bytes().data(), sizeof a);
        meta += a;
      }
      if (info.software_time) {
        meta += static_cast<unsigned long long>(info.software_time->time_since_epoch().count() % 1000000000);
      }
      if (info.drops) drops = *info.drops;
      const auto* d = reinterpret_cast<const unsigned char*>(m.payload().data());
      const auto len = m.size;
      if (len < 40 || std::memcmp(d, "MCN1", 4) != 0 || d[4] != 1) {
        ++foreign;
        continue;
      }
      const std::uint64_t seq = be64(d + 16);
      if ((d[5] & 1) != 0) {  // END: seq is how many numbers the run used
        ++ends;
        end_count = seq;
        ended = true;
        continue;
      }
      bytes += len;
      if (!any || seq > highest) highest = seq;
      any = true;
      ++received;
    }
  }
  const unsigned long long numbers = ended ? end_count : (any ? highest + 1 : 0);
  std::printf(
      "received=%llu ends=%llu foreign=%llu highest=%llu lost=%llu kernel_drops=%u rcvbuf=%d bytes=%llu meta=%llu "
      "buffers_exhausted=%llu\n",
      received, ends, foreign, highest, numbers > received ? numbers - received : 0ULL, drops, granted, bytes,
      meta % 1000, static_cast<unsigned long long>(r.stats().buffers_exhausted));
  return 0;
}
