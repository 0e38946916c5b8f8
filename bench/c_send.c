// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// The hand-written C sender mcast-send is measured against (bench/suite.py):
// one IPv4 socket connected to the group, IP_MULTICAST_IF on one interface,
// TTL 1, and sendmmsg of 32 datagrams as fast as the kernel takes them. Each
// datagram carries the mcast-send wire header (docs/tools.md, "Wire
// header") with its own sequence number and send time, as mcast-send's do,
// so a receiver counts both senders alike. At the end one END marker.
//
//   c_send GROUP PORT IFNAME COUNT SIZE
//
// SIZE: UDP payload bytes, 40 (the header) to 1472. Prints one line of
// key=value pairs: sent, seconds (wall time of the send loop), pps. Exit 0,
// or 1 with a message on a bad argument or a failed call.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { batch = 32, max_size = 1472, header = 40 };

static int fail(const char* what) {
  fprintf(stderr, "c_send: %s: %s\n", what, strerror(errno));
  return 1;
}

static void put_be(unsigned char* p, uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) {
    p[i] = (unsigned char)(v & 0xff);
    v >>= 8;
  }
}

static uint64_t now_ns(clockid_t clock) {
  struct timespec ts;
  clock_gettime(clock, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

// The header's fixed fields (magic, version, flags, length, sender id,
// session, datagram length); the sequence number and send time are written
// per datagram.
static void fill_header(unsigned char* d, unsigned size, unsigned char flags, uint32_t session) {
  memcpy(d, "MCN1", 4);
  d[4] = 1;
  d[5] = flags;
  put_be(d + 6, header, 2);
  put_be(d + 8, 0x0c5e0001u, 4);
  put_be(d + 12, session, 4);
  put_be(d + 32, size, 4);
}

int main(int argc, char** argv) {
  if (argc != 6) {
    fprintf(stderr, "usage: c_send GROUP PORT IFNAME COUNT SIZE\n");
    return 1;
  }
  struct in_addr group;
  if (inet_pton(AF_INET, argv[1], &group) != 1 || !IN_MULTICAST(ntohl(group.s_addr))) {
    fprintf(stderr, "c_send: %s: not an IPv4 multicast group\n", argv[1]);
    return 1;
  }
  const long port = strtol(argv[2], NULL, 10);
  const unsigned ifindex = if_nametoindex(argv[3]);
  const unsigned long long count = strtoull(argv[4], NULL, 10);
  const long size = strtol(argv[5], NULL, 10);
  if (port < 1 || port > 65535 || ifindex == 0 || count == 0 || size < header || size > max_size) {
    fprintf(stderr, "c_send: bad argument (port 1-65535, an existing interface, count >= 1, size 40-1472)\n");
    return 1;
  }

  const int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return fail("socket");
  struct ip_mreqn on = {.imr_ifindex = (int)ifindex};
  if (setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &on, sizeof on) != 0) return fail("IP_MULTICAST_IF");
  const int ttl = 1;
  if (setsockopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof ttl) != 0) return fail("IP_MULTICAST_TTL");
  struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port), .sin_addr = group};
  if (connect(fd, (struct sockaddr*)&to, sizeof to) != 0) return fail("connect");

  const uint32_t session = (uint32_t)(now_ns(CLOCK_REALTIME) & 0x7fffffffu);
  static unsigned char data[batch][max_size];
  struct iovec iov[batch];
  struct mmsghdr msgs[batch];
  for (int i = 0; i < batch; ++i) {
    fill_header(data[i], (unsigned)size, 0, session);
    iov[i] = (struct iovec){.iov_base = data[i], .iov_len = (size_t)size};
    msgs[i].msg_hdr = (struct msghdr){.msg_iov = &iov[i], .msg_iovlen = 1};
  }

  const uint64_t start = now_ns(CLOCK_MONOTONIC);
  unsigned long long sent = 0;
  while (sent < count) {
    const unsigned long long left = count - sent;
    const int n = left < batch ? (int)left : batch;
    for (int i = 0; i < n; ++i) {
      put_be(data[i] + 16, sent + (unsigned long long)i, 8);
      put_be(data[i] + 24, now_ns(CLOCK_REALTIME), 8);
    }
    const int done = sendmmsg(fd, msgs, (unsigned)n, 0);
    if (done < 0) {
      // A full device queue: try again (the kernel took nothing of this call).
      if (errno == ENOBUFS || errno == EAGAIN || errno == EINTR) continue;
      return fail("sendmmsg");
    }
    sent += (unsigned long long)done;
  }
  const double seconds = (double)(now_ns(CLOCK_MONOTONIC) - start) / 1e9;

  unsigned char end[header];
  fill_header(end, header, 1, session);
  put_be(end + 16, sent, 8);
  put_be(end + 24, now_ns(CLOCK_REALTIME), 8);
  if (send(fd, end, sizeof end, 0) < 0) return fail("send END");
  printf("sent=%llu seconds=%.6f pps=%.0f\n", sent, seconds, seconds > 0 ? (double)sent / seconds : 0.0);
  close(fd);
  return 0;
}
