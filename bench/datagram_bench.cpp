// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// The hot path against the raw system calls it wraps, measured in the same
// run: read_batch and the owning receive_batch vs recvmmsg, read_from vs recvmsg, write_batch vs sendmmsg,
// write_to vs sendmsg, each with and without metadata (IP_PKTINFO, IP_RECVTTL,
// SO_TIMESTAMPNS, SO_RXQ_OVFL). Prints ns/datagram, datagrams/s,
// allocations/datagram, and at the end the ratio of each mcnet call to its
// raw twin.
//
// With liburing (MCNET_HAS_IO_URING): core::uring_receiver, multishot
// recvmsg into provided buffers on io_uring, against recvmmsg(32) with the
// same metadata, separately and alternating in one loop.
//
// Everything runs over the loopback of a private network namespace that the
// program creates for itself first (it needs root); nothing touches the
// host's interfaces.

#include <benchmark/benchmark.h>

#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <optional>
#include <utility>
#include <vector>

#include <mcnet/core.hpp>
#include <mcnet/core/uring_receiver.hpp>

#include "alloc_counter.hpp"
#include "bench_report.hpp"

namespace core = mcnet::core;
using mcnet::bench::report;

namespace {

constexpr std::size_t kBatch = 32;
constexpr std::size_t kPayload = 64;

// A private namespace with lo up, for the whole process.
bool enter_private_namespace() {
  if (::unshare(CLONE_NEWNET) != 0) {
    std::perror("unshare(CLONE_NEWNET) (needs root)");
    return false;
  }
  const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  ifreq ifr{};
  std::strcpy(ifr.ifr_name, "lo");
  bool ok = ::ioctl(fd, SIOCGIFFLAGS, &ifr) == 0;
  ifr.ifr_flags = static_cast<short>(ifr.ifr_flags | IFF_UP);
  ok = ok && ::ioctl(fd, SIOCSIFFLAGS, &ifr) == 0;
  ::close(fd);
  return ok;
}

void enable_metadata(int fd) {
  const int one = 1;
  ::setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof one);
  ::setsockopt(fd, IPPROTO_IP, IP_RECVTTL, &one, sizeof one);
  ::setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof one);
  ::setsockopt(fd, SOL_SOCKET, SO_RXQ_OVFL, &one, sizeof one);
}

// A receiver and a connected sender on 127.0.0.1 in the private namespace.
struct pair_of_sockets {
  core::socket rx;
  core::socket tx;
  explicit pair_of_sockets(bool metadata) {
    rx = core::listen_udp(core::endpoint::parse("127.0.0.1:0").value()).value();
    (void)core::set_receive_buffer(rx, 8 << 20, core::buffer_request::force_if_permitted);
    if (metadata) enable_metadata(rx.native_handle());
    tx = core::dial_udp(core::local_endpoint(rx).value()).value();
  }
};

// Queue `n` datagrams on the receiver (untimed).
void fill(const pair_of_sockets& p, std::size_t n) {
  static std::array<std::byte, kPayload> payload{};
  std::array<mmsghdr, kBatch> h{};
  std::array<iovec, kBatch> iov{};
  for (std::size_t i = 0; i < kBatch; ++i) {
    iov[i] = {payload.data(), payload.size()};
    h[i].msg_hdr.msg_iov = &iov[i];
    h[i].msg_hdr.msg_iovlen = 1;
  }
  while (n > 0) {
    const auto k = std::min(n, kBatch);
    const int sent = ::sendmmsg(p.tx.native_handle(), h.data(), static_cast<unsigned>(k), 0);
    if (sent <= 0) break;
    n -= static_cast<std::size_t>(sent);
  }
}

// What a hand-written loop keeps of each datagram, the fields mcnet's
// message gives: the length and whether it was cut, the source address and
// port, and with metadata destination, ifindex, TTL, timestamp and drops
// from the cmsgs, walked with the libc macros. Kept per slot, as a loop that
// hands a batch on must.
struct raw_fields {
  std::size_t length;
  bool truncated;
  in_addr from;
  in_port_t port;
  in_pktinfo pi;
  int ttl;
  timespec ts;
  std::uint32_t drops;
};

struct receive_slots {
  std::array<std::array<std::byte, 2048>, kBatch> payload{};
  std::array<core::control_buffer, kBatch> control{};
  std::array<sockaddr_storage, kBatch> names{};
  std::array<iovec, kBatch> iov{};
  std::array<mmsghdr, kBatch> raw{};
  std::array<core::message, kBatch> msgs{};
  std::array<raw_fields, kBatch> kept{};
  receive_slots() {
    for (std::size_t i = 0; i < kBatch; ++i) {
      iov[i] = {payload[i].data(), payload[i].size()};
      msgs[i].buffer = payload[i];
      msgs[i].control = control[i].span();
    }
  }
  void reset_raw() {
    for (std::size_t i = 0; i < kBatch; ++i) {
      auto& m = raw[i].msg_hdr;
      m.msg_name = &names[i];
      m.msg_namelen = sizeof names[i];
      m.msg_iov = &iov[i];
      m.msg_iovlen = 1;
      m.msg_control = control[i].bytes.data();
      m.msg_controllen = control[i].bytes.size();
    }
  }
};

void raw_keep(raw_fields& out, const msghdr& h, std::size_t length, bool metadata) {
  out.length = length;
  out.truncated = (h.msg_flags & MSG_TRUNC) != 0;
  const auto* from = static_cast<const sockaddr_in*>(h.msg_name);
  out.from = from->sin_addr;
  out.port = from->sin_port;
  if (!metadata) return;
  for (cmsghdr* c = CMSG_FIRSTHDR(&h); c != nullptr; c = CMSG_NXTHDR(const_cast<msghdr*>(&h), c)) {
    if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) std::memcpy(&out.pi, CMSG_DATA(c), sizeof out.pi);
    else if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TTL) std::memcpy(&out.ttl, CMSG_DATA(c), sizeof out.ttl);
    else if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) std::memcpy(&out.ts, CMSG_DATA(c), sizeof out.ts);
    else if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_RXQ_OVFL) std::memcpy(&out.drops, CMSG_DATA(c), sizeof out.drops);
  }
}

// raw_keep for the first `n` slots of a recvmmsg.
void raw_keep_batch(receive_slots& s, int n, bool metadata) {
  for (int i = 0; i < n; ++i) {
    const auto k = static_cast<std::size_t>(i);
    raw_keep(s.kept[k], s.raw[k].msg_hdr, s.raw[k].msg_len, metadata);
  }
  benchmark::DoNotOptimize(s.kept.data());
}

// Time only `fn` (the calls under test); the set-up around it stays
// untimed without the cost of PauseTiming/ResumeTiming.
template <class F>
void timed(benchmark::State& state, F&& fn) {
  const auto start = std::chrono::steady_clock::now();
  fn();
  state.SetIterationTime(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
}

// ------------------------------------------------------------------ receive

void BM_raw_recvmmsg(benchmark::State& state) {
  const bool metadata = state.range(0) != 0;
  pair_of_sockets p(metadata);
  receive_slots s;
  std::size_t total = 0;
  for (auto _ : state) {
    fill(p, kBatch);
    timed(state, [&] {
      s.reset_raw();  // a real loop resets name and control lengths before each call
      const int n = ::recvmmsg(p.rx.native_handle(), s.raw.data(), kBatch, MSG_DONTWAIT, nullptr);
      raw_keep_batch(s, n, metadata);
      total += static_cast<std::size_t>(std::max(n, 0));
    });
  }
  report(state, total, 0);
}

// What mcnet decodes when a benchmark runs with metadata.
constexpr core::cmsg decode_for(bool metadata) {
  return metadata ? core::cmsg::pktinfo | core::cmsg::hop_limit | core::cmsg::timestamp_ns | core::cmsg::drops
                  : core::cmsg::none;
}

// An mcnet receive benchmark: queue a batch (untimed), time `read(p, decode)`
// (it returns how many datagrams it took) and count its allocations.
template <class Read>
void measure_receive(benchmark::State& state, Read&& read) {
  const bool metadata = state.range(0) != 0;
  const auto decode = decode_for(metadata);
  pair_of_sockets p(metadata);
  std::size_t total = 0;
  std::size_t allocations = 0;
  for (auto _ : state) {
    fill(p, kBatch);
    mcnet::test::allocation_scope scope;
    timed(state, [&] { total += read(p, decode); });
    allocations += scope.count();
  }
  report(state, total, allocations);
}

void BM_read_batch(benchmark::State& state) {
  receive_slots s;
  measure_receive(state, [&](const pair_of_sockets& p, core::cmsg decode) {
    auto n = core::read_batch(p.rx, s.msgs, decode, core::wait_policy::nonblocking());
    return n ? *n : 0;
  });
}

// The owning batch (core::receive_batch): its own buffers, allocated before
// the loop; each read goes through read_batch, so this is read_batch plus
// what owning adds.
void BM_receive_batch(benchmark::State& state) {
  auto b = core::receive_batch::make(kBatch, 2048).value();
  measure_receive(state, [&](const pair_of_sockets& p, core::cmsg decode) {
    auto n = b.read(p.rx, decode, core::wait_policy::nonblocking());
    return n ? *n : 0;
  });
}

constexpr std::size_t kMedianRoom = std::size_t{1} << 20;

// The median of `v` (reordered in place); 0 when empty.
double median(std::vector<float>& v) {
  if (v.empty()) return 0;
  const auto mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
  std::nth_element(v.begin(), mid, v.end());
  return *mid;
}

// An mcnet receive (`read(p, decode)`, returning how many it took) and raw
// recvmmsg alternating in one loop, each timed on its own, so that drift between separate benchmarks (other work on a shared
// machine) hits both alike, in an order that alternates: the figure to
// quote. The ratio is of the sums.
// With `separate`, the mcnet side reads a pair of sockets of its own (a
// receiver that keeps a request armed on its socket, as io_uring's
// multishot recvmsg does, must not see the raw side's datagrams).
// With `single`, the raw side is kBatch recvmsg calls (lengths reset before
// each, as a real loop must), the yardstick of read_from.
template <class Read>
void measure_alternating(benchmark::State& state, Read&& read, bool separate = false, bool single = false) {
  const bool metadata = state.range(0) != 0;
  const auto decode = decode_for(metadata);
  pair_of_sockets p(metadata);
  std::optional<pair_of_sockets> own;
  if (separate) own.emplace(metadata);
  const pair_of_sockets& mp = own ? *own : p;
  receive_slots s;
  std::size_t raw_total = 0;
  std::size_t mcnet_total = 0;
  std::size_t allocations = 0;
  std::chrono::steady_clock::duration raw_time{};
  std::chrono::steady_clock::duration mcnet_time{};
  // Each iteration's two times (ns per datagram), for the medians: a
  // preempted or interrupted iteration moves a sum, not a median. Room made
  // before the loop; iterations past it are left out of the medians only.
  std::vector<float> raw_each;
  std::vector<float> mcnet_each;
  raw_each.reserve(kMedianRoom);
  mcnet_each.reserve(kMedianRoom);
  std::chrono::steady_clock::duration raw_last{};
  const auto raw_read = [&] {
    fill(p, kBatch);
    const auto start = std::chrono::steady_clock::now();
    s.reset_raw();
    int n = 0;
    if (single) {
      for (std::size_t i = 0; i < kBatch; ++i) {
        auto& h = s.raw[0].msg_hdr;
        h.msg_namelen = sizeof s.names[0];
        h.msg_controllen = s.control[0].bytes.size();
        const auto got = ::recvmsg(p.rx.native_handle(), &h, MSG_DONTWAIT);
        if (got < 0) continue;
        ++n;
        raw_keep(s.kept[0], h, static_cast<std::size_t>(got), metadata);  // read_from's one message, too
      }
      benchmark::DoNotOptimize(s.kept.data());
    } else {
      n = ::recvmmsg(p.rx.native_handle(), s.raw.data(), kBatch, MSG_DONTWAIT, nullptr);
      raw_keep_batch(s, n, metadata);
    }
    raw_last = std::chrono::steady_clock::now() - start;
    raw_time += raw_last;
    raw_total += static_cast<std::size_t>(std::max(n, 0));
  };
  const auto mcnet_read = [&] {
    fill(mp, kBatch);
    mcnet::test::allocation_scope scope;
    const auto start = std::chrono::steady_clock::now();
    const std::size_t got = read(mp, decode);
    const auto took = std::chrono::steady_clock::now() - start;
    mcnet_time += took;
    allocations += scope.count();
    mcnet_total += got;
    return took;
  };
  bool raw_first = true;  // the order alternates, so that neither side always follows the other
  for (auto _ : state) {
    std::chrono::steady_clock::duration took{};
    if (raw_first) {
      raw_read();
      took = mcnet_read();
    } else {
      took = mcnet_read();
      raw_read();
    }
    raw_first = !raw_first;
    state.SetIterationTime(std::chrono::duration<double>(took).count());
    if (mcnet_each.size() < kMedianRoom) {
      mcnet_each.push_back(std::chrono::duration<float, std::nano>(took).count() / static_cast<float>(kBatch));
      raw_each.push_back(std::chrono::duration<float, std::nano>(raw_last).count() / static_cast<float>(kBatch));
    }
  }
  report(state, mcnet_total, allocations);
  const auto per = [](std::chrono::steady_clock::duration t, std::size_t n) {
    return n ? std::chrono::duration<double, std::nano>(t).count() / static_cast<double>(n) : 0.0;
  };
  state.counters["raw ns/dgram"] = per(raw_time, raw_total);
  state.counters["mcnet ns/dgram"] = per(mcnet_time, mcnet_total);
  state.counters["ratio"] = per(raw_time, raw_total) > 0 ? per(mcnet_time, mcnet_total) / per(raw_time, raw_total) : 0;
  const double raw_median = median(raw_each);
  state.counters["raw median ns"] = raw_median;
  state.counters["mcnet median ns"] = median(mcnet_each);
  state.counters["median ratio"] = raw_median > 0 ? median(mcnet_each) / raw_median : 0;
}

void BM_interleaved_receive_batch(benchmark::State& state) {
  auto b = core::receive_batch::make(kBatch, 2048).value();
  measure_alternating(state, [&](const pair_of_sockets& p, core::cmsg decode) {
    auto n = b.read(p.rx, decode, core::wait_policy::nonblocking());
    return n ? *n : 0;
  });
}

// The same with read_batch over the caller's buffers: what owning adds is
// the difference between the two ratios.
void BM_interleaved_read_batch(benchmark::State& state) {
  receive_slots mine;
  measure_alternating(state, [&](const pair_of_sockets& p, core::cmsg decode) {
    auto n = core::read_batch(p.rx, mine.msgs, decode, core::wait_policy::nonblocking());
    return n ? *n : 0;
  });
}

// The yardstick against itself: raw recvmmsg (lengths reset, cmsgs walked
// with the libc macros as the raw side does) in the mcnet side's place, on
// slots of its own. Its ratio is what the harness gives two equal loops: the
// noise and any bias of the alternation, to read the other ratios against.
void BM_interleaved_raw_recvmmsg(benchmark::State& state) {
  receive_slots mine;
  const bool metadata = state.range(0) != 0;
  measure_alternating(state, [&](const pair_of_sockets& p, core::cmsg) {
    mine.reset_raw();
    const int n = ::recvmmsg(p.rx.native_handle(), mine.raw.data(), kBatch, MSG_DONTWAIT, nullptr);
    raw_keep_batch(mine, n, metadata);
    return static_cast<std::size_t>(std::max(n, 0));
  });
}

// read_from, one datagram a call, alternating with a raw recvmsg loop: the
// figure to quote for read_from (its separate pair drifts with the load).
void BM_interleaved_read_from(benchmark::State& state) {
  receive_slots mine;
  measure_alternating(
      state,
      [&](const pair_of_sockets& p, core::cmsg decode) {
        std::size_t n = 0;
        for (std::size_t i = 0; i < kBatch; ++i) {
          if (core::read_from(p.rx, mine.msgs[0], decode, core::wait_policy::nonblocking())) ++n;
        }
        return n;
      },
      false, true);
}

#if MCNET_HAS_IO_URING
// core::uring_receiver: 64 provided buffers of 2048 bytes (the room of the
// recvmmsg slots), a multishot recvmsg armed on the receiver. A read takes
// what the completion ring holds; the loop reads until the batch queued is
// in, as a receive loop would.
constexpr std::size_t kUringBuffers = 64;
std::size_t uring_reads = 0;  // read() calls, for the reads/batch counter

std::size_t read_uring(core::uring_receiver& r, const pair_of_sockets& p) {
  if (r.sockets() == 0) (void)r.add(p.rx);  // once, on the first read
  std::size_t got = 0;
  while (got < kBatch) {
    ++uring_reads;
    auto n = r.read(core::wait_policy::nonblocking());
    if (!n) break;
    got += *n;
  }
  return got;
}

void BM_uring_receiver(benchmark::State& state) {
  auto r = core::uring_receiver::make(kUringBuffers, 2048, decode_for(state.range(0) != 0));
  if (!r) {
    state.SkipWithError(r.error().message().c_str());
    return;
  }
  uring_reads = 0;
  measure_receive(state, [&](const pair_of_sockets& p, core::cmsg) { return read_uring(*r, p); });
  // How many read() calls (each one io_uring_enter) a batch of 32 took.
  state.counters["reads/batch"] =
      state.iterations() ? static_cast<double>(uring_reads) / static_cast<double>(state.iterations()) : 0.0;
}

void BM_interleaved_uring_receiver(benchmark::State& state) {
  auto r = core::uring_receiver::make(kUringBuffers, 2048, decode_for(state.range(0) != 0));
  if (!r) {
    state.SkipWithError(r.error().message().c_str());
    return;
  }
  measure_alternating(
      state, [&](const pair_of_sockets& p, core::cmsg) { return read_uring(*r, p); }, true);
}
#endif

void BM_raw_recvmsg(benchmark::State& state) {
  const bool metadata = state.range(0) != 0;
  pair_of_sockets p(metadata);
  receive_slots s;
  std::size_t total = 0;
  for (auto _ : state) {
    fill(p, kBatch);
    s.reset_raw();
    timed(state, [&] {
      for (std::size_t i = 0; i < kBatch; ++i) {
        auto& h = s.raw[0].msg_hdr;  // lengths reset, as a real loop must
        h.msg_namelen = sizeof s.names[0];
        h.msg_controllen = s.control[0].bytes.size();
        const auto got = ::recvmsg(p.rx.native_handle(), &h, MSG_DONTWAIT);
        if (got < 0) continue;
        ++total;
        raw_keep(s.kept[0], h, static_cast<std::size_t>(got), metadata);
      }
      benchmark::DoNotOptimize(s.kept.data());
    });
  }
  report(state, total, 0);
}

void BM_read_from(benchmark::State& state) {
  receive_slots s;
  measure_receive(state, [&](const pair_of_sockets& p, core::cmsg decode) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < kBatch; ++i) {
      if (core::read_from(p.rx, s.msgs[0], decode, core::wait_policy::nonblocking())) ++n;
    }
    return n;
  });
}

// --------------------------------------------------------------------- send
// The receiver is drained (untimed) so that its queue never fills.

void drain(const pair_of_sockets& p, receive_slots& s) {
  while (true) {
    s.reset_raw();
    if (::recvmmsg(p.rx.native_handle(), s.raw.data(), kBatch, MSG_DONTWAIT, nullptr) <= 0) break;
  }
}

void BM_raw_sendmmsg(benchmark::State& state) {
  pair_of_sockets p(false);
  receive_slots s;
  std::array<std::byte, kPayload> payload{};
  std::array<mmsghdr, kBatch> h{};
  std::array<iovec, kBatch> iov{};
  std::size_t total = 0;
  for (auto _ : state) {
    timed(state, [&] {
      for (std::size_t i = 0; i < kBatch; ++i) {
        iov[i] = {payload.data(), payload.size()};
        h[i].msg_hdr = {};
        h[i].msg_hdr.msg_iov = &iov[i];
        h[i].msg_hdr.msg_iovlen = 1;
      }
      const int n = ::sendmmsg(p.tx.native_handle(), h.data(), kBatch, MSG_DONTWAIT);
      total += static_cast<std::size_t>(std::max(n, 0));
    });
    drain(p, s);
  }
  report(state, total, 0);
}

void BM_write_batch(benchmark::State& state) {
  pair_of_sockets p(false);
  receive_slots s;
  std::array<std::byte, kPayload> payload{};
  std::array<core::message, kBatch> msgs{};
  for (auto& m : msgs) m = core::message{.buffer = payload, .size = payload.size()};
  std::size_t total = 0;
  std::size_t allocations = 0;
  for (auto _ : state) {
    mcnet::test::allocation_scope scope;
    timed(state, [&] {
      auto n = core::write_batch(p.tx, msgs, core::wait_policy::nonblocking());
      total += n ? *n : 0;
    });
    allocations += scope.count();
    drain(p, s);
  }
  report(state, total, allocations);
}

void BM_raw_sendmsg(benchmark::State& state) {
  pair_of_sockets p(false);
  receive_slots s;
  std::array<std::byte, kPayload> payload{};
  std::size_t total = 0;
  for (auto _ : state) {
    timed(state, [&] {
      for (std::size_t i = 0; i < kBatch; ++i) {
        iovec iov{payload.data(), payload.size()};
        msghdr h{};
        h.msg_iov = &iov;
        h.msg_iovlen = 1;
        if (::sendmsg(p.tx.native_handle(), &h, MSG_DONTWAIT) > 0) ++total;
      }
    });
    drain(p, s);
  }
  report(state, total, 0);
}

void BM_write_to(benchmark::State& state) {
  pair_of_sockets p(false);
  receive_slots s;
  std::array<std::byte, kPayload> payload{};
  const core::message m{.buffer = payload, .size = payload.size()};
  std::size_t total = 0;
  std::size_t allocations = 0;
  for (auto _ : state) {
    mcnet::test::allocation_scope scope;
    timed(state, [&] {
      for (std::size_t i = 0; i < kBatch; ++i) {
        if (core::write_to(p.tx, m, core::wait_policy::nonblocking())) ++total;
      }
    });
    allocations += scope.count();
    drain(p, s);
  }
  report(state, total, allocations);
}

BENCHMARK(BM_raw_recvmmsg)->Arg(0)->Arg(1)->ArgName("metadata")->UseManualTime();
BENCHMARK(BM_read_batch)->Arg(0)->Arg(1)->ArgName("metadata")->UseManualTime();
BENCHMARK(BM_receive_batch)->Arg(0)->Arg(1)->ArgName("metadata")->UseManualTime();
BENCHMARK(BM_interleaved_raw_recvmmsg)->Arg(0)->Arg(1)->ArgName("metadata")->UseManualTime();
BENCHMARK(BM_interleaved_receive_batch)->Arg(0)->Arg(1)->ArgName("metadata")->UseManualTime();
BENCHMARK(BM_interleaved_read_batch)->Arg(0)->Arg(1)->ArgName("metadata")->UseManualTime();
BENCHMARK(BM_interleaved_read_from)->Arg(0)->Arg(1)->ArgName("metadata")->UseManualTime();
#if MCNET_HAS_IO_URING
BENCHMARK(BM_uring_receiver)->Arg(0)->Arg(1)->ArgName("metadata")->UseManualTime();
BENCHMARK(BM_interleaved_uring_receiver)->Arg(0)->Arg(1)->ArgName("metadata")->UseManualTime();
#endif
BENCHMARK(BM_raw_recvmsg)->Arg(0)->Arg(1)->ArgName("metadata")->UseManualTime();
BENCHMARK(BM_read_from)->Arg(0)->Arg(1)->ArgName("metadata")->UseManualTime();
BENCHMARK(BM_raw_sendmmsg)->UseManualTime();
BENCHMARK(BM_write_batch)->UseManualTime();
BENCHMARK(BM_raw_sendmsg)->UseManualTime();
BENCHMARK(BM_write_to)->UseManualTime();

// The pairs whose ratio is printed at the end: {mcnet, raw}.
constexpr std::pair<const char*, const char*> kPairs[] = {
    {"BM_read_batch/metadata:0", "BM_raw_recvmmsg/metadata:0"},
    {"BM_read_batch/metadata:1", "BM_raw_recvmmsg/metadata:1"},
    {"BM_receive_batch/metadata:0", "BM_raw_recvmmsg/metadata:0"},
    {"BM_receive_batch/metadata:1", "BM_raw_recvmmsg/metadata:1"},
    {"BM_uring_receiver/metadata:0", "BM_raw_recvmmsg/metadata:0"},
    {"BM_uring_receiver/metadata:1", "BM_raw_recvmmsg/metadata:1"},
    {"BM_read_from/metadata:0", "BM_raw_recvmsg/metadata:0"},
    {"BM_read_from/metadata:1", "BM_raw_recvmsg/metadata:1"},
    {"BM_write_batch", "BM_raw_sendmmsg"},
    {"BM_write_to", "BM_raw_sendmsg"},
};

}  // namespace

int main(int argc, char** argv) {
  if (!enter_private_namespace()) return 1;
  benchmark::Initialize(&argc, argv);
  mcnet::bench::ratio_reporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  reporter.print_ratios(kPairs, "mcnet", "raw syscall loop", "mcnet ns", "raw ns", 1);
  reporter.print_alternating();
  benchmark::Shutdown();
  return 0;
}
