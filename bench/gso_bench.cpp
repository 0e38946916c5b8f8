// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// UDP segmentation offload against the batch calls, measured in the same
// run: datagrams per second and CPU per datagram of a sender that gives the
// kernel one datagram per sendmmsg entry (write_batch) and of one that gives
// it runs of datagrams with UDP_SEGMENT (write_batch of segmented entries),
// and of a receiver that reads one datagram per recvmmsg entry against one
// with UDP_GRO that reads coalesced runs and splits them (receive_batch::
// datagrams). Everything goes to a multicast group from one namespace to
// another over a veth pair that the program creates for itself (private
// namespaces named mcnet-gso-PID-*, removed at the end; addresses in
// 10.77.0.0/16); nothing touches the host's interfaces. Needs root and
// ip(8). Prints one line per mode and the ratios.
//
//   mcnet_gso_bench [--quick] [--count N] [--size BYTES] [--segments N] [--veth-gro]
//
// --veth-gro switches GRO on for the receiving veth (ethtool -K g1 gro on),
// which makes veth run NAPI and GRO on what it receives.

#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <sched.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <mcnet/core.hpp>
#include <mcnet/core/datagrams.hpp>
#include <mcnet/core/udp_options.hpp>

#include "bench_netns.hpp"

namespace core = mcnet::core;

namespace {

struct options {
  std::size_t count = 2'000'000;  // datagrams per mode
  std::size_t size = 1000;        // bytes of UDP payload per datagram
  std::size_t segments = 32;      // datagrams per UDP_SEGMENT entry
  std::size_t batch = 32;         // entries per sendmmsg
  bool veth_gro = false;          // GRO (and so NAPI) on the receiving veth: ethtool -K g1 gro on
};

double thread_cpu_s() {
  timespec ts{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

const auto kGroup = core::ip_address::v4(239, 255, 170, 1);

struct figures {
  std::size_t sent = 0, received = 0, reads = 0;
  double send_wall_s = 0, send_cpu_s = 0, recv_cpu_s = 0;
};

// Receive until `expected` datagrams or a quiet 200 ms; counts datagrams
// (split when coalesced) and the thread's CPU time.
void receive(core::socket_ref rx, bool gro, std::size_t expected, figures& f, std::atomic<bool>& ready) {
  auto b = core::receive_batch::make(32, gro ? 65535 : 2048).value();
  const auto decode = gro ? core::cmsg::segment_size : core::cmsg::none;
  ready = true;
  const double cpu0 = thread_cpu_s();
  while (f.received < expected) {
    auto n = b.read(rx, decode, core::wait_policy::deadline(std::chrono::milliseconds(200)));
    if (!n) break;
    f.reads += *n;
    if (gro) {
      for (const core::datagram& d : b.datagrams()) f.received += d.payload.empty() ? 0 : 1;
    } else {
      f.received += *n;
    }
  }
  f.recv_cpu_s = thread_cpu_s() - cpu0;
}

// Send `o.count` datagrams to the group, `o.batch` entries per sendmmsg;
// with `segments` > 1 each entry is a run of that many datagrams with
// UDP_SEGMENT. Every datagram carries its number in its first 8 bytes.
void send(core::socket_ref tx, const core::endpoint& to, const options& o, std::size_t segments, figures& f) {
  std::vector<std::byte> bytes(o.batch * segments * o.size);
  std::vector<core::control_buffer> controls(o.batch);
  std::vector<core::message> entries(o.batch);
  for (std::size_t i = 0; i < o.batch; ++i) {
    auto& e = entries[i];
    e = core::message{.buffer = std::span<std::byte>(bytes).subspan(i * segments * o.size, segments * o.size),
                      .size = segments * o.size,
                      .peer = to};
    if (segments > 1) {
      core::cmsg_writer w(controls[i].span());
      (void)w.append_segment_size(static_cast<std::uint16_t>(o.size));
      e.control = controls[i].span();
      e.control_size = w.size();
    }
  }
  std::uint64_t number = 0;
  const auto wall0 = std::chrono::steady_clock::now();
  const double cpu0 = thread_cpu_s();
  while (f.sent < o.count) {
    for (std::size_t d = 0; d < o.batch * segments; ++d, ++number) std::memcpy(&bytes[d * o.size], &number, 8);
    auto n = core::write_batch(tx, entries, core::wait_policy::deadline(std::chrono::seconds(1)));
    if (!n) {
      std::fprintf(stderr, "send: %s\n", n.error().message().c_str());
      break;
    }
    f.sent += *n * segments;
  }
  f.send_cpu_s = thread_cpu_s() - cpu0;
  f.send_wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
}

figures run(const options& o, std::size_t segments, bool gro) {
  figures f;
  if (!mcnet::bench::enter_netns("rx")) std::exit(1);
  auto rx = core::listen_udp(core::endpoint(core::ip_address::any_v4(), 0)).value();
  (void)core::set_receive_buffer(rx, 32 << 20, core::buffer_request::force_if_permitted);
  if (!core::join_group(rx, kGroup, ::if_nametoindex("g1"))) std::exit(1);
  if (gro && !core::set(rx, core::opt::udp_gro, true)) std::exit(1);
  const core::endpoint to(kGroup, core::local_endpoint(rx).value().port());
  if (!mcnet::bench::enter_netns("tx")) std::exit(1);
  auto tx = core::socket::open(AF_INET, SOCK_DGRAM).value();
  ip_mreqn mreq{};
  mreq.imr_ifindex = static_cast<int>(::if_nametoindex("g0"));
  ::setsockopt(tx.native_handle(), IPPROTO_IP, IP_MULTICAST_IF, &mreq, sizeof mreq);
  (void)core::set(tx, core::opt::send_buffer_force, 4 << 20);
  std::atomic<bool> ready{false};
  std::thread reader([&] { receive(rx, gro, o.count, f, ready); });
  while (!ready) std::this_thread::yield();
  send(tx, to, o, segments, f);
  reader.join();
  return f;
}

void print(const char* name, const figures& f) {
  const auto per = [](double s, std::size_t n) { return n ? s * 1e9 / static_cast<double>(n) : 0.0; };
  std::printf("%-34s %10zu %10zu %8.2f %12.0f %10.1f %10.1f %9.2f\n", name, f.sent, f.received,
              f.reads ? static_cast<double>(f.received) / static_cast<double>(f.reads) : 0.0,
              f.send_wall_s > 0 ? static_cast<double>(f.sent) / f.send_wall_s : 0.0, per(f.send_cpu_s, f.sent),
              per(f.recv_cpu_s, f.received),
              f.sent ? 100.0 * static_cast<double>(f.sent - std::min(f.sent, f.received)) / static_cast<double>(f.sent)
                     : 0.0);
}

}  // namespace

int main(int argc, char** argv) {
  options o;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    const auto value = [&]() -> std::size_t { return i + 1 < argc ? std::strtoul(argv[++i], nullptr, 10) : 0; };
    if (a == "--quick") {
      o.count = 20'000;
    } else if (a == "--count") {
      o.count = value();
    } else if (a == "--size") {
      o.size = value();
    } else if (a == "--segments") {
      o.segments = value();
    } else if (a == "--veth-gro") {
      o.veth_gro = true;
    } else {
      std::fprintf(stderr, "usage: %s [--quick] [--count N] [--size BYTES] [--segments N] [--veth-gro]\n", argv[0]);
      return 1;
    }
  }
  if (o.size < 8 || o.segments < 2 || !core::check_segmentation(o.size * o.segments, o.size)) {
    std::fprintf(stderr, "--size %zu x --segments %zu: not a valid UDP_SEGMENT send\n", o.size, o.segments);
    return 1;
  }
  // Every mode sends the same count: whole sendmmsg calls of the segmented modes.
  const std::size_t per_call = o.batch * o.segments;
  o.count = (o.count + per_call - 1) / per_call * per_call;
  if (!mcnet::bench::make_netns_pair("mcnet-gso", "g0", "g1", "10.77.170", o.veth_gro)) return 1;
  std::printf("%zu datagrams of %zu bytes per mode to %s over veth (GRO on the veth: %s); %zu entries per sendmmsg, "
              "UDP_SEGMENT runs of %zu\n\n",
              o.count, o.size, kGroup.to_string().c_str(), o.veth_gro ? "on" : "off", o.batch, o.segments);
  std::printf("%-34s %10s %10s %8s %12s %10s %10s %9s\n", "mode", "sent", "received", "dg/read", "sent dg/s",
              "tx ns/dg", "rx ns/dg", "lost %");
  const auto plain = run(o, 1, false);
  print("sendmmsg -> recvmmsg", plain);
  const auto gso = run(o, o.segments, false);
  print("UDP_SEGMENT -> recvmmsg", gso);
  const auto gso_gro = run(o, o.segments, true);
  print("UDP_SEGMENT -> UDP_GRO + split", gso_gro);
  const auto plain_gro = run(o, 1, true);
  print("sendmmsg -> UDP_GRO + split", plain_gro);
  const auto ratio = [](double a, double b) { return b > 0 ? a / b : 0.0; };
  const auto ns = [](double s, std::size_t n) { return n ? s / static_cast<double>(n) : 0.0; };
  std::printf("\nsender CPU per datagram, UDP_SEGMENT / sendmmsg:          %6.3f\n",
              ratio(ns(gso.send_cpu_s, gso.sent), ns(plain.send_cpu_s, plain.sent)));
  std::printf("sender datagrams per second, UDP_SEGMENT / sendmmsg:      %6.3f\n",
              ratio(static_cast<double>(gso.sent) / gso.send_wall_s, static_cast<double>(plain.sent) / plain.send_wall_s));
  std::printf("receiver CPU per datagram, UDP_GRO + split / recvmmsg:    %6.3f (both fed by UDP_SEGMENT)\n",
              ratio(ns(gso_gro.recv_cpu_s, gso_gro.received), ns(gso.recv_cpu_s, gso.received)));
  std::printf("datagrams per read with UDP_GRO, fed by sendmmsg:         %6.2f (1: the veth does not coalesce)\n",
              plain_gro.reads ? static_cast<double>(plain_gro.received) / static_cast<double>(plain_gro.reads) : 0.0);
  return 0;
}
