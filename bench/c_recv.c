// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// The hand-written C receiver mcast-recv is measured against (bench/suite.py):
// what a careful C programmer writes for one IPv4 group, and no more. One
// socket bound to the port, the group joined on one interface, IP_PKTINFO,
// SO_TIMESTAMPNS and SO_RXQ_OVFL on; poll, then recvmmsg of 32 until the
// socket would block; every cmsg walked and its fields kept; the mcast-send
// wire header read (magic, END flag, sequence number) to count loss from the
// highest number seen. It stops after COUNT data datagrams, at the sender's
// END marker, or after IDLE_MS without a datagram.
//
//   c_recv GROUP PORT IFNAME COUNT IDLE_MS [RCVBUF_BYTES]
//
// RCVBUF_BYTES > 0 asks for that receive buffer with SO_RCVBUFFORCE (root),
// falling back to SO_RCVBUF. Prints one line of key=value pairs on stdout:
// received (data datagrams), ends, foreign, highest, lost (highest + 1 -
// received, or from the END count), kernel_drops (the last SO_RXQ_OVFL),
// rcvbuf (granted). Exit 0, or 1 with a message on a bad argument or a
// failed call.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { batch = 32, slot_bytes = 2048, control_bytes = 256 };

static int fail(const char* what) {
  fprintf(stderr, "c_recv: %s: %s\n", what, strerror(errno));
  return 1;
}

static uint64_t be64(const unsigned char* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | p[i];
  return v;
}

int main(int argc, char** argv) {
  if (argc < 6 || argc > 7) {
    fprintf(stderr, "usage: c_recv GROUP PORT IFNAME COUNT IDLE_MS [RCVBUF_BYTES]\n");
    return 1;
  }
  struct in_addr group;
  if (inet_pton(AF_INET, argv[1], &group) != 1 || !IN_MULTICAST(ntohl(group.s_addr))) {
    fprintf(stderr, "c_recv: %s: not an IPv4 multicast group\n", argv[1]);
    return 1;
  }
  const long port = strtol(argv[2], NULL, 10);
  const unsigned ifindex = if_nametoindex(argv[3]);
  const unsigned long long count = strtoull(argv[4], NULL, 10);
  const long idle_ms = strtol(argv[5], NULL, 10);
  const long rcvbuf = argc == 7 ? strtol(argv[6], NULL, 10) : 0;
  if (port < 1 || port > 65535 || ifindex == 0 || count == 0 || idle_ms < 1 || idle_ms > 600000 || rcvbuf < 0 ||
      rcvbuf > (1L << 30)) {
    fprintf(stderr, "c_recv: bad argument (port 1-65535, an existing interface, count >= 1, idle 1-600000 ms)\n");
    return 1;
  }

  const int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return fail("socket");
  const int one = 1, zero = 0;
  if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0) return fail("SO_REUSEADDR");
  if (setsockopt(fd, IPPROTO_IP, IP_MULTICAST_ALL, &zero, sizeof zero) != 0) return fail("IP_MULTICAST_ALL");
  if (setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof one) != 0) return fail("IP_PKTINFO");
  if (setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof one) != 0) return fail("SO_TIMESTAMPNS");
  if (setsockopt(fd, SOL_SOCKET, SO_RXQ_OVFL, &one, sizeof one) != 0) return fail("SO_RXQ_OVFL");
  if (rcvbuf > 0) {
    const int bytes = (int)rcvbuf;
    if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof bytes) != 0 &&
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes) != 0) {
      return fail("SO_RCVBUF");
    }
  }
  int granted = 0;
  socklen_t granted_len = sizeof granted;
  if (getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &granted, &granted_len) != 0) return fail("SO_RCVBUF read-back");
  struct sockaddr_in wildcard = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  if (bind(fd, (struct sockaddr*)&wildcard, sizeof wildcard) != 0) return fail("bind");
  struct ip_mreqn join = {.imr_multiaddr = group, .imr_ifindex = (int)ifindex};
  if (setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &join, sizeof join) != 0) return fail("IP_ADD_MEMBERSHIP");
  // Ready: the orchestrator starts the sender on this line.
  printf("joined\n");
  fflush(stdout);

  static unsigned char data[batch][slot_bytes];
  static unsigned char control[batch][control_bytes];
  static struct sockaddr_in from[batch];
  struct iovec iov[batch];
  struct mmsghdr msgs[batch];
  for (int i = 0; i < batch; ++i) {
    iov[i] = (struct iovec){.iov_base = data[i], .iov_len = slot_bytes};
  }

  unsigned long long received = 0, ends = 0, foreign = 0, highest = 0, end_count = 0, bytes = 0;
  uint32_t drops = 0;
  // What a receiver keeps of each datagram's metadata; summed so that the
  // compiler cannot drop the cmsg walk.
  unsigned long long meta = 0;
  int any = 0, ended = 0;
  struct pollfd p = {.fd = fd, .events = POLLIN};
  while (received < count) {
    const int ready = poll(&p, 1, any ? (int)idle_ms : (int)idle_ms * 10);
    if (ready < 0) {
      if (errno == EINTR) continue;
      return fail("poll");
    }
    if (ready == 0) break;  // idle: the sender is done
    for (;;) {               // drain until the socket would block
      for (int i = 0; i < batch; ++i) {
        msgs[i].msg_hdr = (struct msghdr){.msg_name = &from[i],
                                          .msg_namelen = sizeof from[i],
                                          .msg_iov = &iov[i],
                                          .msg_iovlen = 1,
                                          .msg_control = control[i],
                                          .msg_controllen = control_bytes};
      }
      const int n = recvmmsg(fd, msgs, batch, MSG_DONTWAIT, NULL);
      if (n < 0) {
        if (errno == EAGAIN || errno == EINTR) break;
        return fail("recvmmsg");
      }
      for (int i = 0; i < n; ++i) {
        struct msghdr* h = &msgs[i].msg_hdr;
        for (struct cmsghdr* c = CMSG_FIRSTHDR(h); c != NULL; c = CMSG_NXTHDR(h, c)) {
          if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
            struct in_pktinfo pi;
            memcpy(&pi, CMSG_DATA(c), sizeof pi);
            meta += (unsigned)pi.ipi_ifindex + pi.ipi_addr.s_addr;
          } else if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_TIMESTAMPNS) {
            struct timespec ts;
            memcpy(&ts, CMSG_DATA(c), sizeof ts);
            meta += (unsigned long long)ts.tv_nsec;
          } else if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_RXQ_OVFL) {
            memcpy(&drops, CMSG_DATA(c), sizeof drops);
          }
        }
        const unsigned char* d = data[i];
        const unsigned len = msgs[i].msg_len;
        if (len < 40 || memcmp(d, "MCN1", 4) != 0 || d[4] != 1) {
          ++foreign;
          continue;
        }
        const uint64_t seq = be64(d + 16);
        if (d[5] & 1) {  // END: seq is how many numbers the run used
          ++ends;
          end_count = seq;
          ended = 1;
          continue;
        }
        bytes += len;
        if (!any || seq > highest) highest = seq;
        any = 1;
        ++received;
      }
      if (n < batch) break;
    }
    // The sender's END comes after its last datagram: what is not read by
    // then was lost (its later copies change nothing).
    if (ended) break;
  }
  const unsigned long long numbers = ended ? end_count : (any ? highest + 1 : 0);
  printf("received=%llu ends=%llu foreign=%llu highest=%llu lost=%llu kernel_drops=%u rcvbuf=%d bytes=%llu meta=%llu\n",
         received, ends, foreign, highest, numbers > received ? numbers - received : 0ULL, drops, granted, bytes,
         meta % 1000);
  close(fd);
  return 0;
}
