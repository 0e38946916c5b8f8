// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// mcast-recv --io-uring (issue 17) against mcast-recv's own default,
// recvmmsg, for the same traffic: two receivers with the same specs in one
// namespace, one of each, both joined, so the kernel gives each socket its
// own copy of every datagram (the same arrival, the same kernel receive
// time). Everything they report must then agree: every stream's counts,
// loss, TTL, TOS, interface, latency and rates, the totals, the kernel's
// drops, the interval reports; the only differences allowed are what
// depends on when each process joined (first_packet_ms,
// began_after_join_s) and how it read (the summary's `reads`). Cases: IPv4
// and IPv6 on four sockets, any-source, include and exclude joins, two
// senders with their own TTL and TOS, a datagram dropped by nftables,
// interval reports, an address added mid-run (the link watch's netlink
// socket is served), SIGINT; a full queue (--rcvbuf at the kernel's least,
// both stopped while a burst arrives); and more datagrams waiting on more
// sockets than the ring has buffers (ENOBUFS, none lost).

#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

#include <mcnet/features.hpp>
#include <mcnet/tools/receiver.hpp>

#include "e2e_run.hpp"
#include "lan.hpp"
#include "privilege.hpp"
#include "programs.hpp"
#include "tool_run.hpp"

namespace test = mcnet::test;
namespace tools = mcnet::tools;
using json = nlohmann::json;
using namespace std::chrono_literals;

namespace {

MCNET_E2E_TEST_NAMES();

// Skip where --io-uring cannot run: a build without liburing (the option is
// refused: NetMcastRecvIoUring.ABuildWithoutLiburingRefusesTheOption and
// command_line_test) or a kernel or process that refuses io_uring.
#define MCNET_REQUIRE_IO_URING_RECEIVE()                                                                \
  do {                                                                                                  \
    if (!MCNET_HAS_IO_URING) GTEST_SKIP() << "built without liburing: --io-uring is refused";           \
    auto mcnet_probe_ = tools::io_uring_reads::open();                                                  \
    if (!mcnet_probe_) GTEST_SKIP() << "io_uring is not available: " << mcnet_probe_.error().message(); \
  } while (false)

// What a receiver's summary says of its streams and totals, with what
// depends on when its process joined taken out.
struct report {
  std::map<std::tuple<std::string, int, std::string, std::int64_t>, json> streams;  // group, port, source, id
  json total;
  json reads;
  std::vector<json> intervals;  // each interval event's total
  std::vector<json> links;      // link events
  json sockets;                 // the start event's
};

report report_of(const test::run_result& r) {
  report out;
  const auto events = json_lines(r.standard_output);
  for (const auto& e : events) {
    if (e.value("event", "") == "interval") out.intervals.push_back(field(e, "total"));
    if (e.value("event", "") == "link") out.links.push_back(e);
    if (e.value("event", "") == "start") out.sockets = field(e, "sockets");
    if (e.value("event", "") != "summary") continue;
    for (auto s : e["streams"]) {
      s.erase("first_packet_ms");     // since this process's start event
      s.erase("began_after_join_s");  // since its joins
      const auto id = s["sender_id"].is_number() ? s["sender_id"].get<std::int64_t>() : -1;
      out.streams[{s["group"].get<std::string>(), s["port"].get<int>(), s["source"].get<std::string>(), id}] = s;
    }
    out.total = field(e, "total");
    out.reads = field(e, "reads");
  }
  return out;
}

// Two receivers of `args` in `h`: recvmmsg (the default) and --io-uring.
struct pair_of_receivers {
  receiver plain;
  receiver uring;
  pair_of_receivers(const test::host& h, const std::vector<std::string>& args)
      : plain(h, args), uring(h, with_uring(args)) {}
  static std::vector<std::string> with_uring(std::vector<std::string> args) {
    args.insert(args.begin(), "--io-uring");
    return args;
  }
  [[nodiscard]] bool joined() const { return plain.joined() && uring.joined(); }
};

// The two reports agree on everything but how they read.
void expect_same(const report& plain, const report& uring) {
  EXPECT_EQ(plain.streams.size(), uring.streams.size());
  for (const auto& [key, s] : plain.streams) {
    const auto it = uring.streams.find(key);
    if (it == uring.streams.end()) {
      ADD_FAILURE() << "io_uring has no stream " << s;
      continue;
    }
    EXPECT_EQ(it->second, s) << "io_uring:\n" << it->second.dump(1) << "\nrecvmmsg:\n" << s.dump(1);
  }
  EXPECT_EQ(uring.total, plain.total);
  EXPECT_EQ(field(plain.reads, "backend"), "recvmmsg") << plain.reads;
  EXPECT_EQ(field(plain.reads, "buffers_exhausted"), json(nullptr)) << plain.reads;
  EXPECT_EQ(field(uring.reads, "backend"), "io_uring") << uring.reads;
  EXPECT_EQ(field(uring.reads, "datagrams"), field(plain.reads, "datagrams")) << "every datagram read once";
}

// The sum of a field over the interval events' totals.
std::uint64_t interval_sum(const report& r, const char* key) {
  std::uint64_t n = 0;
  for (const auto& t : r.intervals) n += t.value(key, std::uint64_t{0});
  return n;
}

std::string v4(const test::host& h) { return h.v4().to_string(); }
std::string v6(const test::host& h) { return h.v6().to_string(); }

// A table `table` in `h` with an input chain holding `rule` (nft syntax);
// false (and a test failure saying why) when nft refused it.
bool add_input_rule(const test::host& h, const std::string& nft, const std::string& table, const std::string& rule) {
  const auto added = h.exec({nft, "-f", "-"}, "add table inet " + table + "\nadd chain inet " + table +
                                                  " in { type filter hook input priority 0; }\nadd rule inet " +
                                                  table + " in " + rule + "\n");
  EXPECT_TRUE(added.status.success()) << added.output;
  return added.status.success();
}

// Packets the counters of `table` in `h` counted.
std::uint64_t nft_counted(const test::host& h, const std::string& nft, const std::string& table) {
  const auto listed = h.exec({nft, "-j", "list", "table", "inet", table});
  EXPECT_TRUE(listed.status.success()) << listed.output;
  if (!listed.status.success()) return 0;
  std::uint64_t packets = 0;
  const auto ruleset = json::parse(listed.standard_output);  // kept: the loop walks a part of it
  for (const auto& item : ruleset["nftables"]) {
    if (!item.contains("rule")) continue;
    for (const auto& e : item["rule"]["expr"]) {
      if (e.contains("counter")) packets += e["counter"]["packets"].get<std::uint64_t>();
    }
  }
  return packets;
}

// IPv4 and IPv6 on two ports (four sockets): any-source, include and
// exclude joins, two senders with their own TTL and TOS, the 18th
// datagram (number 17) of every stream to the first port dropped by an
// nftables rule on the receivers' input, interval reports, an address
// added to the interface mid-run, SIGINT.
TEST(NetMcastRecvIoUring, TheSameCountsAndMetadataAsRecvmmsg) {
  MCNET_REQUIRE_NETNS();
  MCNET_REQUIRE_IO_URING_RECEIVE();
  MCNET_REQUIRE_PROGRAM(nft, "nft", "nftables");
  auto net = test::network::lan(3);
  const auto& a = (*net)[0];
  const auto& b = (*net)[1];
  const auto& rx = (*net)[2];
  const auto p1 = std::to_string(free_port(rx));
  auto p2 = std::to_string(free_port(rx));
  for (int i = 0; i < 100 && p2 == p1; ++i) p2 = std::to_string(std::stoi(p2) + 1);
  ASSERT_TRUE(add_input_rule(rx, nft, "mcnet_uring", "udp dport " + p1 + " @th,192,64 17 counter drop"));
  const std::string any4 = "239.255.83.1:" + p1, inc4 = "232.1.83.2:" + p2, exc4 = "239.255.83.3:" + p1;
  const std::string any6 = "[ff15::83:1]:" + p1, inc6 = "[ff3e::83:2]:" + p2;
  pair_of_receivers rxs(rx, {"-i", "eth0", "--interval", "0.2", any4, v4(a) + "," + inc4,
                             std::string("!").append(v4(b)).append(",").append(exc4), any6, v6(a) + "," + inc6});
  ASSERT_TRUE(rxs.joined()) << rxs.plain.output() << rxs.uring.output();
  for (const auto& [from, ttl, tos] : {std::tuple{&a, "7", "ef"}, std::tuple{&b, "3", "af41"}}) {
    send(*from, {"-i", "eth0", "-c", "300", "-r", "3000pps", "--ttl", ttl, "--tos", tos, "-s", "120", any4, inc4, exc4});
  }
  ASSERT_TRUE(rx.exec({"ip", "addr", "add", "10.77.83.9/32", "dev", "eth0"}).status.success());
  for (const auto& [from, ttl, tos] : {std::tuple{&a, "7", "ef"}, std::tuple{&b, "3", "af41"}}) {
    send(*from, {"-i", "eth0", "-c", "300", "-r", "3000pps", "--ttl", ttl, "--tos", tos, "-s", "120", any6, inc6});
  }
  const auto plain = report_of(rxs.plain.finish_clean(500ms));
  const auto uring = report_of(rxs.uring.finish_clean(0ms));

  // What the traffic was: every stream there, 300 each, number 17 lost on p1.
  // a: any4, inc4, exc4, any6, inc6; b: any4 and any6 (its inc specs name a,
  // exc4 excludes it).
  EXPECT_EQ(plain.sockets, 4) << "IPv4 and IPv6 on each port";
  EXPECT_EQ(uring.sockets, 4);
  ASSERT_EQ(plain.streams.size(), 7u);
  for (const auto& [key, s] : plain.streams) {
    const bool first_port = std::to_string(std::get<1>(key)) == p1;
    EXPECT_EQ(field(s, "packets"), first_port ? 299 : 300) << s;
    EXPECT_EQ(field(s, "lost"), first_port ? 1 : 0) << s;
    EXPECT_EQ(field(s, "ttl"), std::get<2>(key) == v4(a) || std::get<2>(key) == v6(a) ? 7 : 3) << s;
  }
  // Number 17 of the five streams to p1 that reach the input hook (the
  // interface's source filter keeps b's datagrams to exc4 out before it).
  EXPECT_EQ(nft_counted(rx, nft, "mcnet_uring"), 5u) << "one datagram of each stream to the first port";
  expect_same(plain, uring);
  // Interval reports add up to the summary, and agree in their sum.
  for (const auto* r : {&plain, &uring}) {
    EXPECT_GE(r->intervals.size(), 2u);
    EXPECT_EQ(interval_sum(*r, "packets"), field(r->total, "packets").get<std::uint64_t>());
  }
  // The address added mid-run: the link watch's socket was read on both.
  for (const auto* r : {&plain, &uring}) {
    bool added = false;
    for (const auto& e : r->links) added = added || (field(e, "change") == "address_added");
    EXPECT_TRUE(added) << "no address_added link event";
  }
}

// A full receive queue: --rcvbuf at the kernel's least and both receivers
// stopped (SIGSTOP) while 400 datagrams arrive; the queue keeps what it
// holds, the kernel drops the rest, on each socket alike. The io_uring
// receiver's ring receives only inside its own reads, so it held no more
// and no fewer than recvmmsg's queue: the same packets, kernel drops and
// loss, and every datagram that arrived (an nft counter) is counted or
// dropped by the kernel.
TEST(NetMcastRecvIoUring, AFullQueueDropsTheSameAsRecvmmsg) {
  MCNET_REQUIRE_NETNS();
  MCNET_REQUIRE_IO_URING_RECEIVE();
  MCNET_REQUIRE_PROGRAM(nft, "nft", "nftables");
  auto net = test::network::lan(2);
  const auto& tx = (*net)[0];
  const auto& rx = (*net)[1];
  const auto port = std::to_string(free_port(rx));
  ASSERT_TRUE(add_input_rule(rx, nft, "mcnet_uring_full", "udp dport " + port + " counter"));
  const auto group = "239.255.83.11:" + port;
  pair_of_receivers rxs(rx, {"-i", "eth0", "--rcvbuf", "1", "--force", group});
  ASSERT_TRUE(rxs.joined()) << rxs.plain.output() << rxs.uring.output();
  ASSERT_EQ(::kill(rxs.plain.pid(), SIGSTOP), 0);
  ASSERT_EQ(::kill(rxs.uring.pid(), SIGSTOP), 0);
  send(tx, {"-i", "eth0", "-c", "400", "-r", "20000pps", "-s", "200", group});
  const auto arrived = nft_counted(rx, nft, "mcnet_uring_full");  // the END markers are in
  ASSERT_EQ(::kill(rxs.plain.pid(), SIGCONT), 0);
  ASSERT_EQ(::kill(rxs.uring.pid(), SIGCONT), 0);
  const auto plain = report_of(rxs.plain.finish_clean(500ms));
  const auto uring = report_of(rxs.uring.finish_clean(0ms));
  ASSERT_EQ(plain.streams.size(), 1u);
  const auto drops = field(plain.total, "kernel_drops").get<std::uint64_t>();
  EXPECT_GT(drops, 0u) << "a queue of the kernel's least holds fewer than 400";
  EXPECT_GE(arrived, 400u);
  expect_same(plain, uring);
  // What arrived is counted (datagrams and the END markers kept) or dropped.
  for (const auto* r : {&plain, &uring}) {
    const auto kept = field(r->reads, "datagrams").get<std::uint64_t>();
    EXPECT_EQ(kept + field(r->total, "kernel_drops").get<std::uint64_t>(), arrived) << r->reads << r->total;
  }
}

// Twenty sockets (twenty ports) with 100 datagrams each waiting while the
// receiver is stopped: one read of the ring would take up to 32 of each
// socket (the kernel's multishot batch), more than its 256 buffers, so
// requests end with ENOBUFS and are armed again by the next read. None is
// lost: every datagram is counted, as by recvmmsg next to it.
TEST(NetMcastRecvIoUring, BuffersRunningOutLoseNothing) {
  MCNET_REQUIRE_NETNS();
  MCNET_REQUIRE_IO_URING_RECEIVE();
  auto net = test::network::lan(2);
  const auto& tx = (*net)[0];
  const auto& rx = (*net)[1];
  constexpr int ports = 20;
  const int first = free_port(rx);
  std::vector<std::string> specs;
  for (int i = 0; i < ports; ++i) specs.push_back("239.255.84." + std::to_string(i + 1) + ":" + std::to_string(first + i));
  std::vector<std::string> args{"-i", "eth0", "--rcvbuf", "4000000", "--force"};
  args.insert(args.end(), specs.begin(), specs.end());
  pair_of_receivers rxs(rx, args);
  ASSERT_TRUE(rxs.joined()) << rxs.plain.output() << rxs.uring.output();
  ASSERT_EQ(::kill(rxs.plain.pid(), SIGSTOP), 0);
  ASSERT_EQ(::kill(rxs.uring.pid(), SIGSTOP), 0);
  std::vector<std::string> send_args{"-i", "eth0", "-c", "100", "-r", "20000pps", "-s", "64"};
  send_args.insert(send_args.end(), specs.begin(), specs.end());
  send(tx, send_args);
  ASSERT_EQ(::kill(rxs.plain.pid(), SIGCONT), 0);
  ASSERT_EQ(::kill(rxs.uring.pid(), SIGCONT), 0);
  const auto plain = report_of(rxs.plain.finish_clean(500ms));
  const auto uring = report_of(rxs.uring.finish_clean(0ms));
  EXPECT_EQ(field(plain.total, "packets"), 100 * ports);
  EXPECT_EQ(field(plain.total, "lost"), 0);
  EXPECT_EQ(field(plain.total, "kernel_drops"), 0);
  expect_same(plain, uring);
  EXPECT_GT(field(uring.reads, "buffers_exhausted").get<std::uint64_t>(), 0u)
      << "20 sockets of 100 datagrams for 256 buffers: " << uring.reads;
}

// Coalescing (--coalesce, on by default) with io_uring: at 20,000
// datagrams a second the reads are held so that they take batches, as with
// recvmmsg, and every datagram is counted.
TEST(NetMcastRecvIoUring, CoalescedReadsTakeBatches) {
  MCNET_REQUIRE_NETNS();
  MCNET_REQUIRE_IO_URING_RECEIVE();
  auto net = test::network::lan(2);
  const auto spec = "239.255.83.21:" + std::to_string(free_port((*net)[1]));
  pair_of_receivers rxs((*net)[1], {"-i", "eth0", spec});
  ASSERT_TRUE(rxs.joined()) << rxs.plain.output() << rxs.uring.output();
  send((*net)[0], {"-i", "eth0", "-c", "20000", "-r", "20000pps", "-s", "64", spec}, 20s);
  const auto plain = report_of(rxs.plain.finish_clean(500ms));
  const auto uring = report_of(rxs.uring.finish_clean(0ms));
  EXPECT_EQ(field(uring.total, "packets"), 20000);
  EXPECT_EQ(field(uring.total, "lost"), 0);
  expect_same(plain, uring);
  EXPECT_GT(field(uring.reads, "holds").get<std::uint64_t>(), 0u) << uring.reads;
  // A hold aims at 24 of a batch of 32; the recvmmsg receiver beside it is the yardstick.
  EXPECT_GE(field(uring.reads, "datagrams_per_call").get<double>(), 6.0) << uring.reads;
}

// The start event and the text say how the run reads.
TEST(NetMcastRecvIoUring, TheStartSaysTheBackend) {
  MCNET_REQUIRE_NETNS();
  MCNET_REQUIRE_IO_URING_RECEIVE();
  auto net = test::network::lan(1);
  const auto& h = (*net)[0];
  const auto spec = "239.255.83.31:" + std::to_string(free_port(h));
  const auto r = h.exec({MCAST_RECV, "--json", "--io-uring", "-i", "eth0", "-d", "0.2", spec}, {}, 10s);
  EXPECT_EQ(r.status.code, 0) << r.output;
  expect_schema_conform(r.standard_output);
  const auto events = json_lines(r.standard_output);
  const json* start = find_event(events, "start");
  ASSERT_NE(start, nullptr) << r.output;
  EXPECT_EQ(field(*start, "settings"), (json{{"backend", "io_uring"}, {"batch", 32}, {"io_uring_buffers", 256}}));
  const auto text = h.exec({MCAST_RECV, "--io-uring", "-i", "eth0", "-d", "0.2", spec}, {}, 10s);
  EXPECT_NE(text.standard_output.find("; read with io_uring (256 buffers)"), std::string::npos) << text.output;
  const auto plain = h.exec({MCAST_RECV, "--json", "-i", "eth0", "-d", "0.2", spec}, {}, 10s);
  const auto plain_events = json_lines(plain.standard_output);
  const json* plain_start = find_event(plain_events, "start");
  ASSERT_NE(plain_start, nullptr) << plain.output;
  EXPECT_EQ(field(*plain_start, "settings"), (json{{"backend", "recvmmsg"}, {"batch", 32}, {"io_uring_buffers", nullptr}}));
}

// The tail read (100 ms at the end of the run) behind a slow reader of
// --show-packets: 3,000 datagrams wait in the queue (4 MB of it) while the
// output's pipe, which the test holds and does not read, is full; SIGINT;
// then the test reads 2 KB every 10 ms, so the tail read takes few
// batches in its 100 ms. What it leaves is counted (read, not taken) and
// said, a tail_unread warning, with io_uring as without it (trial t16u M1:
// with --io-uring, 5,003 sent, 429 read, nothing said): every datagram
// that arrived (an nft counter) is read, dropped or unread.
class NetMcastRecvTail : public ::testing::TestWithParam<bool> {};

TEST_P(NetMcastRecvTail, WhatTheTailReadLeavesIsCountedAndSaid) {
  MCNET_REQUIRE_NETNS();
  const bool uring = GetParam();
  if (uring) MCNET_REQUIRE_IO_URING_RECEIVE();
  MCNET_REQUIRE_PROGRAM(nft, "nft", "nftables");
  auto net = test::network::lan(2);
  const auto& tx = (*net)[0];
  const auto& rx = (*net)[1];
  const auto port = std::to_string(free_port(rx));
  ASSERT_TRUE(add_input_rule(rx, nft, "mcnet_tail", std::string("udp dport ").append(port).append(" counter")));
  test::tools::scratch_dir dir;
  ASSERT_FALSE(dir.path.empty());
  const auto fifo = dir.file("out");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  // Both ends here (O_RDWR): the receiver's open does not wait, and the
  // pipe never reads as ended; the receiver's writes wait for this test.
  const int fd = ::open(fifo.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  struct closer {
    int fd;
    ~closer() { ::close(fd); }
  } close_fd{fd};
  std::string out;
  // Read what is there, at most `most` bytes; the bytes read.
  const auto read_some = [fd, &out](std::size_t most) {
    std::array<char, 2048> buf{};
    std::size_t got = 0;
    while (got < most) {
      const auto n = ::read(fd, buf.data(), std::min(buf.size(), most - got));
      if (n <= 0) break;
      out.append(buf.data(), static_cast<std::size_t>(n));
      got += static_cast<std::size_t>(n);
    }
    return got;
  };
  const auto group = std::string("239.255.85.1:").append(port);
  std::string command("exec ");
  command.append(MCAST_RECV).append(" --json --show-packets").append(uring ? " --io-uring" : "");
  command.append(" -i eth0 --rcvbuf 4000000 --force ").append(group).append(" >").append(fifo);
  auto p = rx.start({"sh", "-c", command});
  const auto joined_by = std::chrono::steady_clock::now() + 10s;
  while (out.find("\"event\":\"start\"") == std::string::npos && std::chrono::steady_clock::now() < joined_by &&
         !p.wait_for(10ms)) {
    read_some(1 << 20);
  }
  ASSERT_NE(out.find("\"event\":\"start\""), std::string::npos) << out << p.output();
  constexpr std::uint64_t sent = 3000 + 3;  // and the END markers
  send(tx, {"-i", "eth0", "-c", "3000", "-r", "50000pps", "-s", "40", group});
  // Every datagram in the receiver's queue (or dropped) before the end.
  std::uint64_t arrived = 0;
  const auto arrived_by = std::chrono::steady_clock::now() + 10s;
  while ((arrived = nft_counted(rx, nft, "mcnet_tail")) < sent && std::chrono::steady_clock::now() < arrived_by) {
    std::this_thread::sleep_for(20ms);
  }
  ASSERT_EQ(arrived, sent);
  ASSERT_EQ(::kill(p.pid(), SIGINT), 0);
  std::optional<test::exit_status> status;
  const auto ended_by = std::chrono::steady_clock::now() + 20s;
  while (std::chrono::steady_clock::now() < ended_by) {
    status = p.wait_for(0ms);
    if (status) {
      read_some(std::size_t{1} << 30);  // what is left, at once
      break;
    }
    read_some(2048);
    std::this_thread::sleep_for(10ms);
  }
  ASSERT_TRUE(status) << "the receiver did not end";
  EXPECT_EQ(status->code, 0) << p.output();
  expect_schema_conform(out);
  const auto events = json_lines(out);
  const json* summary = find_event(events, "summary");
  ASSERT_NE(summary, nullptr) << p.output();
  std::uint64_t unread = 0;
  for (const auto& e : events) {
    if (e.value("event", "") == "warning" && e.value("code", "") == "tail_unread") {
      unread = field(e, "unread").get<std::uint64_t>();
    }
  }
  const auto reads = field(*summary, "reads");
  EXPECT_EQ(field(reads, "backend"), uring ? "io_uring" : "recvmmsg");
  const auto read = field(reads, "datagrams").get<std::uint64_t>();
  const auto drops = field(field(*summary, "total"), "kernel_drops").get<std::uint64_t>();
  EXPECT_EQ(field(field(*summary, "total"), "unread"), unread) << "the summary's total has the count (trial t16u L1)";
  EXPECT_GT(unread, 0u) << "a tail of thousands behind a pipe read at 200 KB/s: read " << read;
  EXPECT_EQ(read + drops + unread, arrived) << "read " << read << ", drops " << drops << ", unread " << unread;
}

INSTANTIATE_TEST_SUITE_P(Backends, NetMcastRecvTail, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& i) { return i.param ? "IoUring" : "Recvmmsg"; });

// A build without liburing refuses the option (exit 1) with a message that
// says why; a build with it takes it (the cases above).
TEST(NetMcastRecvIoUring, ABuildWithoutLiburingRefusesTheOption) {
  if (MCNET_HAS_IO_URING) GTEST_SKIP() << "built with liburing: --io-uring is taken (the cases above)";
  const auto r = test::run(nullptr, {MCAST_RECV, "--io-uring", "239.255.83.41:5000"});
  EXPECT_EQ(r.status.code, 1) << r.output;
  EXPECT_NE(r.output.find("--io-uring: this mcast-recv was built without liburing"), std::string::npos) << r.output;
}

}  // namespace
