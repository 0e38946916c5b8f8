// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// The built mcast-send and mcast-recv against each other, inside private
// namespace LANs, checked against docs/tools.md exactly: ASM to two receivers, SSM
// exclude, IPv6 ASM and SSM include, joins per interface on a host with two
// LANs, TTL/TOS as sent, 100 groups in one run, every fault mode counted as
// the contract says, a restarted sender as a new stream, exit codes and
// their precedence, and bad values for every option of both tools (exit 1,
// the option named on stderr, never a crash). Every JSON line either tool
// prints is validated against docs/mcast-tools.schema.json.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <thread>
#include <set>
#include <string>
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
using json = nlohmann::json;
using namespace std::chrono_literals;

namespace {

using test::tools::expect_schema_conform;
using test::tools::field;
using test::tools::item;
using test::tools::find_event;
using test::tools::free_port;
using test::tools::json_lines;
using test::tools::receiver;
using test::tools::send;
using test::tools::streams_from;
using test::tools::summary_streams;

std::string v4(const test::host& h, std::size_t i = 0) { return h.v4(i).to_string(); }
std::string v6(const test::host& h, std::size_t i = 0) { return h.v6(i).to_string(); }

// The streams of `streams` sent to `group`.
std::vector<json> streams_to(const std::vector<json>& streams, const std::string& group) {
  std::vector<json> out;
  for (const auto& s : streams) {
    if (s.contains("group") && field(s, "group") == group) out.push_back(s);
  }
  return out;
}

// A stream of mcast-send datagrams that all arrived once, in order.
void expect_complete(const json& s, std::uint64_t packets, std::uint64_t size) {
  EXPECT_EQ(field(s, "packets"), packets) << s;
  EXPECT_EQ(field(s, "bytes"), packets * size) << s;
  EXPECT_EQ(field(s, "lost"), 0) << s;
  EXPECT_EQ(field(s, "duplicates"), 0) << s;
  EXPECT_EQ(field(s, "reordered"), 0) << s;
  EXPECT_FALSE(field(s, "sender_id").is_null()) << s;
  EXPECT_FALSE(field(s, "session").is_null()) << s;
}

// The session mcast-send announced in its start event.
json session_of(const test::run_result& sent) {
  const auto events = json_lines(sent.standard_output);
  const json* start = find_event(events, "start");
  return start != nullptr && start->contains("session") ? field(*start, "session") : json(nullptr);
}

// What a run with bad input must look like: exit 1 by itself (no signal), a
// message on stderr that names `needle`, and (with --json) nothing on stdout
// that breaks the schema; an error event, if any, says exit 1.
void expect_usage_error(const test::run_result& r, const std::string& needle) {
  EXPECT_TRUE(r.status.exited) << "crashed: " << r.status.describe() << "\n" << r.output;
  EXPECT_EQ(r.status.code, 1) << r.status.describe() << "\n" << r.output;
  const std::string errors = r.output.substr(std::min(r.standard_output.size(), r.output.size()));
  EXPECT_NE(errors.find(needle), std::string::npos) << "stderr does not name \"" << needle << "\": " << errors;
  expect_schema_conform(r.standard_output);
  const auto events = json_lines(r.standard_output);
  if (const json* error = find_event(events, "error")) {
    EXPECT_EQ(field(*error, "exit"), 1) << *error;
  }
}

// Run a tool with --json and `args` in `h` to completion (at most 10 s).
test::run_result run_json(const test::host& h, const char* tool, std::vector<std::string> args) {
  args.insert(args.begin(), {tool, "--json"});
  return h.exec(args, {}, 10s);
}

// The exit code of a run, its error event agreeing, every line in the schema.
void expect_exit(const test::run_result& r, int code) {
  EXPECT_TRUE(r.status.exited) << r.status.describe() << "\n" << r.output;
  EXPECT_EQ(r.status.code, code) << r.output;
  expect_schema_conform(r.standard_output);
  const auto events = json_lines(r.standard_output);
  const json* error = find_event(events, "error");
  if (code == 0) {
    EXPECT_EQ(error, nullptr) << r.output;
  } else {
    ASSERT_NE(error, nullptr) << "exit " << code << " without an error event:\n" << r.output;
    EXPECT_EQ(field(*error, "exit"), code) << *error;
  }
}

TEST(NetToolsE2e, AsmReachesTwoReceiversOnOneLan) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(3);
  const auto spec = "239.255.80.1:" + std::to_string(free_port((*net)[1]));
  receiver a((*net)[1], {"-i", "eth0", spec});
  receiver b((*net)[2], {"-i", "eth0", spec});
  ASSERT_TRUE(a.joined()) << a.output();
  ASSERT_TRUE(b.joined()) << b.output();
  send((*net)[0], {"-i", "eth0", "-c", "200", "-r", "5000pps", "--id", "11", spec});
  for (auto* rx : {&a, &b}) {
    const auto r = rx->finish_clean();
    const auto streams = summary_streams(r.standard_output);
    ASSERT_EQ(streams.size(), 1u) << r.output;
    EXPECT_EQ(field(streams[0], "source"), v4((*net)[0]));
    EXPECT_EQ(field(streams[0], "sender_id"), 11);
    expect_complete(streams[0], 200, 100);
  }
}

// Receive coalescing (--coalesce, on by default): at 20,000 datagrams a
// second a receiver that reads each wake-up's few datagrams is held
// between wake-ups so that its reads take batches, and counts every
// datagram as one that reads at once (--coalesce 0) or has no kernel times
// to keep (--timestamp none: never held). The summary's `reads` says how.
TEST(NetToolsE2e, CoalescedReadsTakeBatchesAndCountEveryDatagram) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(4);
  const auto spec = "239.255.80.21:" + std::to_string(free_port((*net)[1]));
  receiver held((*net)[1], {"-i", "eth0", spec});
  receiver at_once((*net)[2], {"-i", "eth0", "--coalesce", "0", spec});
  receiver untimed((*net)[3], {"-i", "eth0", "--timestamp", "none", spec});
  for (auto* rx : {&held, &at_once, &untimed}) ASSERT_TRUE(rx->joined()) << rx->output();
  send((*net)[0], {"-i", "eth0", "-c", "20000", "-r", "20000pps", "-s", "64", spec}, std::chrono::seconds(20));
  const auto reads_of = [](receiver& rx) {
    const auto r = rx.finish_clean(std::chrono::milliseconds(500));
    const auto streams = summary_streams(r.standard_output);
    EXPECT_EQ(streams.size(), 1u) << r.output;
    if (!streams.empty()) expect_complete(streams[0], 20000, 64);
    const auto events = json_lines(r.standard_output);
    const json* summary = find_event(events, "summary");
    EXPECT_NE(summary, nullptr) << r.output;
    return summary != nullptr ? field(*summary, "reads") : json("<no summary>");
  };
  const auto h = reads_of(held);
  EXPECT_EQ(field(h, "coalesce_us"), 1000) << h;
  EXPECT_GT(field(h, "holds").get<std::uint64_t>(), 0u) << h;
  EXPECT_GT(field(h, "held_s").get<double>(), 0.0) << h;
  EXPECT_GE(field(h, "datagrams").get<std::uint64_t>(), 20003u) << "20,000 and 3 END markers: " << h;
  // A hold aims at 24 of a batch of 32; a loaded machine only batches more.
  EXPECT_GE(field(h, "datagrams_per_call").get<double>(), 6.0) << h;
  for (auto* rx : {&at_once, &untimed}) {
    const auto r = reads_of(*rx);
    EXPECT_EQ(field(r, "holds"), 0) << r;
    EXPECT_EQ(field(r, "held_s"), 0.0) << r;
    EXPECT_GE(field(r, "calls").get<std::uint64_t>(), 1u) << r;
  }
}

// trial17a M1: the run's end (-d, a signal) left the datagrams that came
// during the last hold unread and uncounted, and a signal waited out the
// hold. Holds of 100 ms (200 datagrams a second, --coalesce 100000, a 1 GB
// buffer limit so that 10 Gbit/s would take longer to fill a quarter of
// it) are under way when the sender is stopped mid-run (SIGSTOP) and
// SIGINT follows: every datagram that arrived (an nft counter on the
// receiver's input, read once the sender is stopped) is counted. The
// third run reads with --io-uring where it can (its tail is read through
// the ring).
TEST(NetToolsE2e, TheRunsEndReadsWhatCameDuringTheLastHold) {
  MCNET_REQUIRE_NETNS();
  MCNET_REQUIRE_PROGRAM(nft, "nft", "nftables");
  auto net = test::network::lan(2);
  const auto& tx = (*net)[0];
  const auto& rx = (*net)[1];
  const bool uring = MCNET_HAS_IO_URING && mcnet::tools::io_uring_reads::open().has_value();
  for (int run = 0; run < 3; ++run) {
    SCOPED_TRACE(run);
    const bool on_uring = uring && run == 2;
    SCOPED_TRACE(on_uring ? "--io-uring" : "recvmmsg");
    const auto port = std::to_string(free_port(rx));
    const auto table = "mcnet_tail" + std::to_string(run);
    const auto added = rx.exec({nft, "-f", "-"}, "add table inet " + table + "\n" +
                                                     "add chain inet " + table +
                                                     " input { type filter hook input priority 0; }\n" +
                                                     "add rule inet " + table + " input udp dport " + port +
                                                     " counter\n");
    ASSERT_TRUE(added.status.success()) << added.output;
    const auto spec = "239.255.80.22:" + port;
    std::vector<std::string> args{"-i", "eth0", "--coalesce", "100000", "--rcvbuf", "1000000000", "--force", spec};
    if (on_uring) args.insert(args.begin(), "--io-uring");
    receiver recv(rx, args);
    ASSERT_TRUE(recv.joined()) << recv.output();
    auto sender = tx.start({MCAST_SEND, "-i", "eth0", "-c", "5000", "-r", "200pps", spec});
    const auto read_counter = [&]() -> std::uint64_t {
      const auto counted = rx.exec({nft, "-j", "list", "table", "inet", table});
      EXPECT_TRUE(counted.status.success()) << counted.output;
      if (!counted.status.success()) return 0;
      const auto listed = json::parse(counted.standard_output);
      std::uint64_t packets = 0;
      for (const auto& item : listed["nftables"]) {
        if (!item.contains("rule")) continue;
        for (const auto& e : item["rule"]["expr"]) {
          if (e.contains("counter")) packets = e["counter"]["packets"].get<std::uint64_t>();
        }
      }
      return packets;
    };
    // Stopped once more than 200 came (at most 10 s: under ASan on a loaded
    // machine a fixed 1.5 s saw 185), then 37 ms more per run, so that each
    // run stops the sender at another point of the receiver's hold.
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (read_counter() <= 200 && std::chrono::steady_clock::now() < until) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(37 * run));
    ASSERT_EQ(::kill(sender.pid(), SIGSTOP), 0);
    // What is on the way arrives: the counter read until it stays put
    // for 20 ms (at most 1 s).
    std::uint64_t arrived = read_counter();
    for (int i = 0; i < 50; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      const auto now = read_counter();
      if (now == arrived) break;
      arrived = now;
    }
    const auto started = std::chrono::steady_clock::now();
    const auto r = recv.finish(std::chrono::milliseconds(0));
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(2)) << "a signal cuts a hold short";
    (void)::kill(sender.pid(), SIGKILL);
    (void)::kill(sender.pid(), SIGCONT);
    (void)sender.wait_for(std::chrono::seconds(5));
    EXPECT_EQ(r.status.code, 0) << r.output;
    const auto events = json_lines(r.standard_output);
    const json* summary = find_event(events, "summary");
    ASSERT_NE(summary, nullptr) << r.output;
    EXPECT_GT(arrived, 200u);
    EXPECT_EQ(field(field(*summary, "total"), "packets"), arrived) << r.output;
    EXPECT_GT(field(field(*summary, "reads"), "holds").get<std::uint64_t>(), 0u) << r.output;
    EXPECT_EQ(field(field(*summary, "reads"), "backend"), on_uring ? "io_uring" : "recvmmsg") << r.output;
    (void)rx.exec({nft, "delete", "table", "inet", table});
  }
}

// t17b 5: the tail of a run and its END markers dropped, uncounted. The
// receiver is stopped (SIGSTOP) with a small receive buffer while 2,000
// datagrams come: the socket keeps what fits of the first 1,000 and drops
// the rest of them; nftables in the receiver's namespace drops every
// datagram from number 1,000 on and the END markers (the header's sequence
// number, bits 192-255 past the UDP header, is the run's count on an END).
// No gap shows the socket's drops, no END says the count: the summary says
// that the tail may be lost uncounted, its uncounted_drops are the socket
// drops after the last datagram read (every one: the datagrams kept came
// before the first drop), and --max-loss fails saying so.
TEST(NetToolsE2e, ATailDroppedWithItsEndMarkersIsSaidToBeUncounted) {
  MCNET_REQUIRE_NETNS();
  MCNET_REQUIRE_PROGRAM(nft, "nft", "nftables");
  auto net = test::network::lan(2);
  const auto& tx = (*net)[0];
  const auto& rx = (*net)[1];
  const auto port = std::to_string(free_port(rx));
  ASSERT_TRUE(
      test::tools::nft_input_rule(rx, nft, "mcnet_tail", "udp dport " + port + " @th,192,64 >= 1000 counter drop"));
  const auto spec = "239.255.80.23:" + port;
  receiver recv(rx, {"-i", "eth0", "--rcvbuf", "65536", "--max-loss", "10", "--force", spec});
  ASSERT_TRUE(recv.joined()) << recv.output();
  ASSERT_EQ(::kill(recv.pid(), SIGSTOP), 0);
  const auto sent = send(tx, {"-i", "eth0", "-c", "2000", "-s", "64", spec});
  ASSERT_EQ(::kill(recv.pid(), SIGCONT), 0);
  const auto r = recv.finish(std::chrono::milliseconds(500));
  EXPECT_EQ(r.status.code, 3) << r.output;
  const auto events = json_lines(r.standard_output);
  const json* summary = find_event(events, "summary");
  ASSERT_NE(summary, nullptr) << r.output;
  const auto& total = (*summary)["total"];
  const auto packets = field(total, "packets").get<std::int64_t>();
  const auto drops = field(total, "kernel_drops").get<std::int64_t>();
  EXPECT_GT(packets, 0) << r.output;
  EXPECT_LT(packets, 1000) << "a 128 KiB buffer holds fewer than 1,000 datagrams";
  EXPECT_EQ(field(total, "lost"), 0) << "no gap: what the socket kept is the run's start";
  EXPECT_EQ(packets + drops, 1000) << "what passed nftables was kept or dropped on the socket: " << total;
  EXPECT_EQ(field(total, "uncounted_drops"), drops) << total;
  RecordProperty("packets", std::to_string(packets));
  RecordProperty("socket_drops", std::to_string(drops));
  const json* error = find_event(events, "error");
  ASSERT_NE(error, nullptr) << r.output;
  EXPECT_NE(field(*error, "message").get<std::string>().find(
                std::to_string(drops) + " socket drops after the last datagram read, and 1 stream without its "
                                        "END marker: the tail of the run may have been dropped with its END "
                                        "markers, uncounted in lost"),
            std::string::npos)
      << r.output;
  (void)rx.exec({nft, "delete", "table", "inet", "mcnet_tail"});
}

// A bursty sender's rate as the receiver reports it: 20 bursts of 64 at
// 1000 pps are 1000 pps (the datagrams before the last burst over the time
// to it, 1216 over 1.216 s), and the sender's summary, by the same rule
// over its sends, says the same rate and span within 3 %. A loaded machine
// may stall the sender before its last burst (the rate reads lower, at
// both ends): the receiver is checked against the sender's figures of the
// same run, the sender's against the rate asked only roughly. --batch
// 64: each burst in one sendmmsg, so a loaded test machine cannot pause
// over 100 us between the batches of one burst (which would split its
// clump).
TEST(NetToolsE2e, BurstRateIsTheRateAsked) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(2);
  const auto spec = "239.255.80.9:" + std::to_string(free_port((*net)[1]));
  receiver rx((*net)[1], {"-i", "eth0", spec});
  ASSERT_TRUE(rx.joined()) << rx.output();
  // 20 bursts of 64 every 64 ms: 1280 datagrams over 20 burst intervals.
  const auto sent = run_json((*net)[0], MCAST_SEND,
                             {"-i", "eth0", "-r", "1000pps", "--burst", "64", "--batch", "64", "-c", "1280", spec});
  ASSERT_TRUE(sent.status.success()) << sent.output;
  const auto r = rx.finish_clean();
  const auto streams = summary_streams(r.standard_output);
  ASSERT_EQ(streams.size(), 1u) << r.output;
  expect_complete(streams[0], 1280, 100);
  const auto events = json_lines(sent.standard_output);
  const json* summary = find_event(events, "summary");
  ASSERT_NE(summary, nullptr) << sent.output;
  const auto group = item(field(*summary, "groups"), 0);
  const double sent_pps = field(group, "rate_pps").get<double>();
  const double sent_span = field(group, "rate_span_s").get<double>();
  EXPECT_GT(sent_pps, 600.0) << "paced near 1000 pps: " << *summary;
  EXPECT_LT(sent_pps, 1100.0) << "paced near 1000 pps: " << *summary;
  // On a loaded machine the receiver's kernel timestamps may cut bursts (a
  // late softirq): extra clumps before the last change nothing; the last
  // burst cut twice counts its head (at most 63 of 1216, 5 %; a cut of a few
  // datagrams, under 1 %) over a span ending inside it. The bound is 3 %,
  // where (N-1)/span would read 1279/1.216 s, 5 % high, and what datagrams
  // held up on the path can move the span's ends by: the spread of the
  // latencies (58 ms on a loaded machine).
  const auto latency = field(streams[0], "latency_ns");
  ASSERT_TRUE(latency.is_object()) << streams[0];
  const double spread = static_cast<double>(latency["max"].get<std::int64_t>() - latency["min"].get<std::int64_t>()) / 1e9;
  EXPECT_NEAR(field(streams[0], "rate_pps").get<double>(), sent_pps, sent_pps * (0.03 + spread / sent_span))
      << streams[0] << "\n" << group;
  EXPECT_NEAR(field(streams[0], "rate_span_s").get<double>(), sent_span, sent_span * 0.03 + spread)
      << streams[0] << "\n" << group;
}

TEST(NetToolsE2e, SsmExcludeReportsEveryOtherSender) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(3);
  const auto port = std::to_string(free_port((*net)[2]));
  // Appended, not `"!" + v4(...)`: inserting at the front of the temporary is
  // a -Wrestrict false positive for g++ 12 at -O3.
  const auto spec = std::string("!").append(v4((*net)[0])).append(",239.255.81.1:").append(port);
  receiver rx((*net)[2], {"-i", "eth0", spec});
  ASSERT_TRUE(rx.joined()) << rx.output();
  for (std::size_t i : {0u, 1u}) send((*net)[i], {"-i", "eth0", "-c", "20", "-r", "2000pps", "239.255.81.1:" + port});
  const auto r = rx.finish_clean();
  const auto events = json_lines(r.standard_output);
  const json* start = find_event(events, "start");
  ASSERT_NE(start, nullptr) << r.output;
  EXPECT_EQ(field(item(field(*start, "groups"), 0), "mode"), "exclude");
  EXPECT_EQ(field(item(field(*start, "groups"), 0), "sources"), json::array({v4((*net)[0])}));
  const auto streams = summary_streams(r.standard_output);
  ASSERT_EQ(streams.size(), 1u) << r.output;
  EXPECT_EQ(field(streams[0], "source"), v4((*net)[1])) << "only the sender that is not excluded";
  expect_complete(streams[0], 20, 100);
}

TEST(NetToolsE2e, Ipv6AnySource) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(2);
  const auto port = std::to_string(free_port((*net)[1]));
  receiver rx((*net)[1], {"-i", "eth0", "[ff15::81:1]:" + port});
  ASSERT_TRUE(rx.joined()) << rx.output();
  send((*net)[0], {"-i", "eth0", "-c", "50", "-s", "80", "-r", "5000pps", "--id", "6", "[ff15::81:1]:" + port});
  const auto r = rx.finish_clean();
  const auto streams = summary_streams(r.standard_output);
  ASSERT_EQ(streams.size(), 1u) << r.output;
  EXPECT_EQ(field(streams[0], "group"), "ff15::81:1");
  EXPECT_EQ(field(streams[0], "port"), std::stoi(port));
  EXPECT_EQ(field(streams[0], "source"), v6((*net)[0]));
  EXPECT_EQ(field(streams[0], "sender_id"), 6);
  expect_complete(streams[0], 50, 80);
}

TEST(NetToolsE2e, Ipv6SsmIncludeTwoOfThreeSenders) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(4);
  const auto& h = (*net)[3];
  const auto group = "[ff3e::81:2]:" + std::to_string(free_port(h));
  // Appended, not `"[" + v6(...)`: as above.
  const auto bracketed = std::string("[").append(v6((*net)[1])).append("],").append(group);
  receiver rx(h, {"-i", "eth0", v6((*net)[0]) + "," + group, bracketed});
  ASSERT_TRUE(rx.joined()) << rx.output();
  for (std::size_t i : {0u, 1u, 2u}) {
    send((*net)[i], {"-i", "eth0", "-c", "30", "-r", "3000pps", "--id", std::to_string(100 + i), group});
  }
  const auto r = rx.finish_clean();
  const auto events = json_lines(r.standard_output);
  const json* start = find_event(events, "start");
  ASSERT_NE(start, nullptr) << r.output;
  // One entry per group, port and interface; its sources list both specs.
  ASSERT_EQ(field(*start, "groups").size(), 1u) << *start;
  const json g = field(*start, "groups")[0];
  EXPECT_EQ(field(g, "mode"), "include") << g;
  EXPECT_EQ(field(g, "sources"), (json{v6((*net)[0]), v6((*net)[1])})) << g;
  const auto streams = summary_streams(r.standard_output);
  ASSERT_EQ(streams.size(), 2u) << r.output;
  for (std::size_t i : {0u, 1u}) {
    const auto from = streams_from(streams, v6((*net)[i]));
    ASSERT_EQ(from.size(), 1u) << "sender " << i << "\n" << r.output;
    EXPECT_EQ(field(from[0], "sender_id"), 100 + i);
    expect_complete(from[0], 30, 100);
  }
  EXPECT_TRUE(streams_from(streams, v6((*net)[2])).empty()) << "not an included source";
}

// test::tools::two_lans(): host 1 sends on LAN 0, host 2 on LAN 1, both to
// the same group and port.
using test::tools::two_lans;

TEST(NetToolsE2e, JoinsOnTwoInterfacesReportEachLansSender) {
  MCNET_REQUIRE_NETNS();
  auto net = two_lans();
  const auto& h = (*net)[0];
  const auto spec = "239.255.82.1:" + std::to_string(free_port(h));
  receiver rx(h, {spec + "%eth0", spec + "%eth1"});
  ASSERT_TRUE(rx.joined()) << rx.output();
  send((*net)[1], {"-i", "eth0", "-c", "25", "-r", "2500pps", spec});
  send((*net)[2], {"-i", "eth0", "-c", "35", "-r", "2500pps", spec});
  const auto r = rx.finish_clean();
  const auto events = json_lines(r.standard_output);
  const json* start = find_event(events, "start");
  ASSERT_NE(start, nullptr) << r.output;
  ASSERT_EQ(field(*start, "groups").size(), 2u);
  EXPECT_EQ(field(field(item(field(*start, "groups"), 0), "interface"), "name"), "eth0");
  EXPECT_EQ(field(field(item(field(*start, "groups"), 1), "interface"), "name"), "eth1");
  const auto streams = summary_streams(r.standard_output);
  ASSERT_EQ(streams.size(), 2u) << r.output;
  const auto lan0 = streams_from(streams, v4((*net)[1]));
  const auto lan1 = streams_from(streams, v4((*net)[2]));
  ASSERT_EQ(lan0.size(), 1u) << r.output;
  ASSERT_EQ(lan1.size(), 1u) << r.output;
  expect_complete(lan0[0], 25, 100);
  expect_complete(lan1[0], 35, 100);
  // Each stream names the interface it arrived on (docs/tools.md, "JSON Lines": stream fields).
  EXPECT_EQ(field(lan0[0], "interface"), (json{{"name", "eth0"}, {"index", h.interfaces()[0].index}})) << lan0[0];
  EXPECT_EQ(field(lan1[0], "interface"), (json{{"name", "eth1"}, {"index", h.interfaces()[1].index}})) << lan1[0];
}

// One mcast-send run sending a group out of two interfaces (two LANs), a
// receiver joined on both (trial t20r F1): each interface's socket numbers
// the group from 0, so each target is a numbering of its own and carries a
// session of its own; the receiver reads two clean streams, neither
// contested, and --max-loss passes. A second source of one sender id and
// session (a forger copying them) is still contested (SenderConflict).
TEST(NetToolsE2e, OneRunOutOfTwoInterfacesIsTwoCleanStreams) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::create({.lans = 2, .hosts = {{.lans = {0, 1}}, {.lans = {0, 1}}}});
  const auto& h = (*net)[0];
  const auto spec = "239.255.82.3:" + std::to_string(free_port(h));
  receiver rx(h, {"--max-loss", "1", spec + "%eth0", spec + "%eth1"});
  ASSERT_TRUE(rx.joined()) << rx.output();
  const auto sent = send((*net)[1], {"-c", "200", "-r", "2000pps", spec + "%eth0", spec + "%eth1"});
  const auto r = rx.finish();
  expect_exit(r, 0);
  const auto streams = summary_streams(r.standard_output);
  ASSERT_EQ(streams.size(), 2u) << r.output;
  const auto lan0 = streams_from(streams, v4((*net)[1], 0));
  const auto lan1 = streams_from(streams, v4((*net)[1], 1));
  ASSERT_EQ(lan0.size(), 1u) << r.output;
  ASSERT_EQ(lan1.size(), 1u) << r.output;
  for (const auto* s : {&lan0[0], &lan1[0]}) {
    expect_complete(*s, 200, 100);
    EXPECT_TRUE(field(*s, "conflict").is_null()) << *s;
  }
  EXPECT_NE(field(lan0[0], "session"), field(lan1[0], "session")) << r.output;
  EXPECT_EQ(field(lan0[0], "sender_id"), field(lan1[0], "sender_id")) << r.output;
  // The start event says each group's session; the first is the run's.
  const auto events = json_lines(sent.standard_output);
  const json* start = find_event(events, "start");
  ASSERT_NE(start, nullptr) << sent.output;
  EXPECT_EQ(field(item(field(*start, "groups"), 0), "session"), field(*start, "session")) << *start;
  EXPECT_EQ(field(item(field(*start, "groups"), 0), "session"), field(lan0[0], "session")) << *start;
  EXPECT_EQ(field(item(field(*start, "groups"), 1), "session"), field(lan1[0], "session")) << *start;
}

TEST(NetToolsE2e, JoinOnOneInterfaceHearsOnlyThatLan) {
  MCNET_REQUIRE_NETNS();
  auto net = two_lans();
  const auto& h = (*net)[0];
  const auto spec = "239.255.82.2:" + std::to_string(free_port(h));
  // eth1, not eth0 where the host's multicast route points: a join that
  // ignored %IFACE would hear LAN 0 instead.
  receiver rx(h, {spec + "%eth1"});
  ASSERT_TRUE(rx.joined()) << rx.output();
  send((*net)[1], {"-i", "eth0", "-c", "25", "-r", "2500pps", spec});
  send((*net)[2], {"-i", "eth0", "-c", "35", "-r", "2500pps", spec});
  const auto r = rx.finish_clean();
  const auto streams = summary_streams(r.standard_output);
  ASSERT_EQ(streams.size(), 1u) << r.output;
  EXPECT_EQ(field(streams[0], "source"), v4((*net)[2])) << "LAN 1's sender only";
  expect_complete(streams[0], 35, 100);
}

// The JSON start event of a finished mcast-send run.
json start_of(const test::run_result& r) {
  const auto events = json_lines(r.standard_output);
  const json* start = find_event(events, "start");
  return start != nullptr ? *start : json{{"no start event in", r.output}};
}

TEST(NetToolsE2e, TtlAndTosAreReportedAsSent) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(2);
  const auto port = std::to_string(free_port((*net)[1]));
  const std::string g1 = "239.255.83.1", g2 = "239.255.83.2", g3 = "ff15::83:3";
  receiver rx((*net)[1], {"-i", "eth0", g1 + ":" + port, g2 + ":" + port, "[" + g3 + "]:" + port});
  ASSERT_TRUE(rx.joined()) << rx.output();
  const auto& tx = (*net)[0];
  const std::vector<json> starts{
      start_of(send(tx, {"-i", "eth0", "-c", "10", "--ttl", "7", "--tos", "af41", g1 + ":" + port})),
      start_of(send(tx, {"-i", "eth0", "-c", "10", "--ttl", "255", "--tos", "184", "-r", "1000pps", "--no-loop",
                         g2 + ":" + port})),
      start_of(send(tx, {"-i", "eth0", "-c", "10", "--ttl", "9", "--tos", "0x49", "-r", "800kbps", "--gso", "4",
                         "[" + g3 + "]:" + port}))};
  // The start event echoes what the run sends with (docs/tools.md, "JSON Lines").
  const std::vector<json> settings{
      {{"ttl", 7}, {"tos", 0x88}, {"dscp", "af41"}, {"ecn", "Not-ECT"}, {"loop", true}, {"rate_pps", nullptr},
       {"rate_bps", nullptr}, {"burst", 1}, {"count", 10}, {"duration_s", nullptr}, {"batch", 32}, {"gso", nullptr}},
      {{"ttl", 255}, {"tos", 184}, {"dscp", "ef"}, {"ecn", "Not-ECT"}, {"loop", false}, {"rate_pps", 1000.0},
       {"rate_bps", 800000.0}, {"burst", 1}, {"count", 10}, {"duration_s", nullptr}, {"batch", 32}, {"gso", nullptr}},
      {{"ttl", 9}, {"tos", 0x49}, {"dscp", "af21"}, {"ecn", "ECT(1)"}, {"loop", true}, {"rate_pps", 1000.0},
       {"rate_bps", 800000.0}, {"burst", 1}, {"count", 10}, {"duration_s", nullptr}, {"batch", 32}, {"gso", 4}}};
  for (std::size_t i = 0; i < starts.size(); ++i) EXPECT_EQ(field(starts[i], "settings"), settings[i]) << starts[i];
  const auto r = rx.finish_clean();
  const auto streams = summary_streams(r.standard_output);
  ASSERT_EQ(streams.size(), 3u) << r.output;
  struct expected {
    std::string group;
    int ttl;
    int tos;
  };
  for (const auto& e : {expected{g1, 7, 0x88}, expected{g2, 255, 184}, expected{g3, 9, 0x49}}) {
    const auto s = streams_to(streams, e.group);
    ASSERT_EQ(s.size(), 1u) << e.group << "\n" << r.output;
    EXPECT_EQ(field(s[0], "ttl"), e.ttl) << e.group;
    EXPECT_EQ(field(s[0], "tos"), e.tos) << e.group << ": the whole byte, DSCP << 2 | ECN";
    expect_complete(s[0], 10, 100);
  }
}

// What the man page says of --ttl 0, as Linux does it: a multicast with TTL
// (hop limit) 0 is dropped after its loopback copy only when the sending
// host has joined the group itself (the route then outputs through
// ip_mc_output, IPv6 ip6_finish_output2); otherwise it leaves on the wire with
// TTL 0, and a receiver on the link takes it. With --no-loop, joined: IPv4
// goes nowhere, IPv6 leaves on the wire.
TEST(NetToolsE2e, TtlZeroLeavesTheHostUnlessTheHostJoinedTheGroup) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(2);
  const auto& tx = (*net)[0];
  const auto& other = (*net)[1];
  for (const std::string group : {"239.255.83.9", "[ff15::83:9]"}) {
    const auto port = std::to_string(free_port(other));
    const auto spec = group + ":" + port;
    {
      receiver rx(other, {"-i", "eth0", spec});
      ASSERT_TRUE(rx.joined()) << rx.output();
      send(tx, {"-i", "eth0", "--ttl", "0", "-c", "5", spec});
      const auto r = rx.finish_clean();
      const auto streams = summary_streams(r.standard_output);
      ASSERT_EQ(streams.size(), 1u) << group << ": the sender has not joined, so TTL 0 leaves on the wire\n" << r.output;
      EXPECT_EQ(field(streams[0], "ttl"), 0) << streams[0];
      expect_complete(streams[0], 5, 100);
    }
    const auto port2 = std::to_string(free_port(other));
    const auto spec2 = group + ":" + port2;
    receiver local(tx, {"-i", "eth0", spec2});
    receiver rx(other, {"-i", "eth0", spec2});
    ASSERT_TRUE(local.joined()) << local.output();
    ASSERT_TRUE(rx.joined()) << rx.output();
    send(tx, {"-i", "eth0", "--ttl", "0", "-c", "5", spec2});
    const auto here = summary_streams(local.finish_clean().standard_output);
    ASSERT_EQ(here.size(), 1u) << group << ": the loopback copy reaches the sender's own host";
    expect_complete(here[0], 5, 100);
    const auto r = rx.finish_clean();
    EXPECT_TRUE(summary_streams(r.standard_output).empty()) << group << ": joined on the sender's host, TTL 0 stays there\n"
                                                            << r.output;
    // Joined on the sender's host with --no-loop: IPv4 drops it (no
    // loopback copy, nothing on the wire); IPv6 sends it on the wire with
    // hop limit 0 (ip6_finish_output2 drops a hop-limit-0 packet only
    // after its loopback copy, which --no-loop turns off).
    const auto port3 = std::to_string(free_port(other));
    const auto spec3 = group + ":" + port3;
    receiver local3(tx, {"-i", "eth0", spec3});
    receiver rx3(other, {"-i", "eth0", spec3});
    ASSERT_TRUE(local3.joined()) << local3.output();
    ASSERT_TRUE(rx3.joined()) << rx3.output();
    send(tx, {"-i", "eth0", "--ttl", "0", "--no-loop", "-c", "5", spec3});
    EXPECT_TRUE(summary_streams(local3.finish_clean().standard_output).empty()) << group << ": no loopback copy";
    const auto wire = summary_streams(rx3.finish_clean().standard_output);
    if (group.front() == '[') {
      ASSERT_EQ(wire.size(), 1u) << group << ": IPv6 with --no-loop leaves on the wire";
      EXPECT_EQ(field(wire[0], "ttl"), 0) << wire[0];
      expect_complete(wire[0], 5, 100);
    } else {
      EXPECT_TRUE(wire.empty()) << group << ": IPv4 with --no-loop goes nowhere";
    }
  }
}

TEST(NetToolsE2e, HundredGroupsInOneRun) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(2);
  const auto spec = "239.255.84.1:" + std::to_string(free_port((*net)[1])) + "+100";
  // 100 joins: five sockets at net.ipv4.igmp_max_memberships = 20 (the default).
  receiver rx((*net)[1], {"-i", "eth0", "--rcvbuf", "4194304", "--force", spec});
  ASSERT_TRUE(rx.joined()) << rx.output();
  const auto sent = send((*net)[0], {"-i", "eth0", "-c", "20", "-r", "20000pps", spec});
  const auto r = rx.finish_clean();
  const auto events = json_lines(r.standard_output);
  const json* start = find_event(events, "start");
  ASSERT_NE(start, nullptr) << r.output;
  EXPECT_EQ(field(*start, "groups").size(), 100u);
  ASSERT_TRUE(start->contains("sockets")) << "start event without \"sockets\": " << *start;
  EXPECT_GE(field(*start, "sockets"), 5) << "sharded past igmp_max_memberships = 20";
  const auto streams = summary_streams(r.standard_output);
  ASSERT_EQ(streams.size(), 100u) << r.output;
  std::set<std::string> groups;
  for (const auto& s : streams) {
    groups.insert(field(s, "group").get<std::string>());
    expect_complete(s, 20, 100);
  }
  std::set<std::string> want;
  for (int i = 1; i <= 100; ++i) want.insert("239.255.84." + std::to_string(i));
  EXPECT_EQ(groups, want);
  const json* summary = find_event(events, "summary");
  ASSERT_NE(summary, nullptr);
  EXPECT_EQ(field(field(*summary, "total"), "packets"), 2000);
  EXPECT_EQ(field(field(*summary, "total"), "kernel_drops"), 0);
  const auto sent_events = json_lines(sent.standard_output);
  const json* send_summary = find_event(sent_events, "summary");
  ASSERT_NE(send_summary, nullptr) << sent.output;
  EXPECT_EQ(field(*send_summary, "groups").size(), 100u);
  EXPECT_EQ(field(field(*send_summary, "total"), "sent"), 2000);
}

// mcast-send -c 1000 with one fault every 10 datagrams, paced, to a receiver
// with room for all of it; returns the receiver's only stream.
json fault_stream(const char* fault, std::uint32_t group_byte) {
  auto net = test::network::lan(2);
  const auto spec = "239.255.85." + std::to_string(group_byte) + ":" + std::to_string(free_port((*net)[1]));
  receiver rx((*net)[1], {"-i", "eth0", "--rcvbuf", "4194304", "--force", spec});
  EXPECT_TRUE(rx.joined()) << rx.output();
  send((*net)[0], {"-i", "eth0", "-c", "1000", "-r", "20000pps", fault, "10", spec});
  const auto r = rx.finish_clean();
  const auto events = json_lines(r.standard_output);
  const json* summary = find_event(events, "summary");
  const auto streams = summary != nullptr ? field(*summary, "streams") : json();
  if (!streams.is_array() || streams.size() != 1) {
    ADD_FAILURE() << "one stream expected:\n" << r.output;
    return json::object();
  }
  EXPECT_EQ(field(field(*summary, "total"), "kernel_drops"), 0) << "the faults alone, nothing lost in the kernel";
  return streams[0];
}

// A fault stream's four counters, each checked against what the fault makes.
struct counts {
  int packets, lost, duplicates, reordered;
};

void expect_counts(const json& s, const counts& want) {
  EXPECT_EQ(field(s, "packets"), want.packets) << "every datagram that arrived " << s;
  EXPECT_EQ(field(s, "lost"), want.lost) << s;
  EXPECT_EQ(field(s, "duplicates"), want.duplicates) << s;
  EXPECT_EQ(field(s, "reordered"), want.reordered) << s;
}

// Raw MPEG-TS (3 PIDs, 7 packets a datagram) with mcast-send's faults:
// the continuity counters' missing packets are the dropped ones exactly; a
// duplicate or a reordered datagram misses nothing, so --max-loss 0 passes
// (trial20j 2: 5 % "missing" on a path that lost nothing). Returns the
// receiver's summary total after checking its exit code.
json mpegts_fault_total(std::vector<std::string> faults, std::uint32_t group_byte, int exit_code) {
  auto net = test::network::lan(2);
  const auto spec = "239.255.86." + std::to_string(group_byte) + ":" + std::to_string(free_port((*net)[1]));
  receiver rx((*net)[1], {"-i", "eth0", "--rcvbuf", "4194304", "--force", "--max-loss", "0", spec});
  EXPECT_TRUE(rx.joined()) << rx.output();
  std::vector<std::string> args{"-i", "eth0", "--payload", "mpegts", "--pids", "3", "-c", "1001", "-r", "20000pps"};
  args.insert(args.end(), faults.begin(), faults.end());
  args.push_back(spec);
  send((*net)[0], args);
  const auto r = rx.finish();
  EXPECT_EQ(r.status.code, exit_code) << r.output;
  const auto events = json_lines(r.standard_output);
  const json* summary = find_event(events, "summary");
  if (summary == nullptr) {
    ADD_FAILURE() << "no summary:\n" << r.output;
    return json::object();
  }
  EXPECT_EQ(field(field(*summary, "total"), "kernel_drops"), 0) << r.output;
  return field(*summary, "total");
}

TEST(NetToolsE2e, MpegTsDuplicatesAndReorderingAreNoLoss) {
  MCNET_REQUIRE_NETNS();
  auto dup = mpegts_fault_total({"--dup-every", "10"}, 1, 0);
  EXPECT_EQ(field(dup, "packets"), 1101) << dup;
  EXPECT_EQ(field(dup, "loss_percent"), 0.0) << dup;
  auto reorder = mpegts_fault_total({"--reorder-every", "10"}, 2, 0);
  EXPECT_EQ(field(reorder, "packets"), 1001) << reorder;
  EXPECT_EQ(field(reorder, "loss_percent"), 0.0) << reorder;
}

TEST(NetToolsE2e, MpegTsMissingIsTheDroppedTransportPacketsExactly) {
  MCNET_REQUIRE_NETNS();
  // Datagrams 9, 19, ..., 999 dropped (100 x 7 packets); 1000 arrives after the last.
  auto drop = mpegts_fault_total({"--drop-every", "10"}, 3, 3);
  EXPECT_EQ(field(drop, "packets"), 901) << drop;
  ASSERT_TRUE(field(drop, "loss_percent").is_number()) << drop;
  EXPECT_NEAR(field(drop, "loss_percent").get<double>(), 100.0 * 700 / (700 + 901 * 7), 1e-9) << drop;
  // With duplicates and reordering too: still the 700 dropped packets
  // against the transport packets received once, the 901 datagrams' (a
  // duplicated datagram's packets left out, as duplicates are for the
  // other payloads: trial20p F10 read 9.17 % for 9.90 %).
  auto mixed = mpegts_fault_total({"--drop-every", "10", "--dup-every", "7", "--reorder-every", "13"}, 4, 3);
  ASSERT_TRUE(field(mixed, "packets").is_number()) << mixed;
  EXPECT_GT(field(mixed, "packets").get<int>(), 901) << "the copies arrived too: " << mixed;
  EXPECT_NEAR(field(mixed, "loss_percent").get<double>(), 100.0 * 700 / (700 + 901 * 7), 1e-9) << mixed;
}

// trial20p F3: MoldUDP64 with 20 messages a packet and mcast-send's
// faults: a reordered packet is reordered (its 20 messages), not lost and
// a jump; a duplicated one is 20 duplicate messages, no jump; --max-loss 0
// passes (it failed with "loss 0.300%"). 200 packets, every 10th faulted:
// 19 swaps (m*10 < 200), 20 copies.
TEST(NetToolsE2e, MoldUdp64PacketsOfTwentyMessagesReorderedOrDuplicatedLoseNothing) {
  MCNET_REQUIRE_NETNS();
  struct fault_case {
    const char* fault;
    int reordered, duplicates;
  };
  std::uint32_t group_byte = 10;
  for (const auto& c : {fault_case{"--reorder-every", 19 * 20, 0}, fault_case{"--dup-every", 0, 20 * 20}}) {
    SCOPED_TRACE(c.fault);
    auto net = test::network::lan(2);
    const auto spec = "239.255.85." + std::to_string(group_byte++) + ":" + std::to_string(free_port((*net)[1]));
    receiver rx((*net)[1], {"-i", "eth0", "--rcvbuf", "4194304", "--force", "--max-loss", "0", spec});
    ASSERT_TRUE(rx.joined()) << rx.output();
    send((*net)[0], {"-i", "eth0", "--payload", "moldudp64", "--messages", "20", "-c", "200", "-r", "2000pps",
                     c.fault, "10", spec});
    const auto r = rx.finish_clean();
    const auto streams = summary_streams(r.standard_output);
    ASSERT_EQ(streams.size(), 1u) << r.output;
    const auto& s = streams[0];
    EXPECT_EQ(field(s, "payload"), "moldudp64") << s;
    EXPECT_EQ(field(s, "messages"), 200 * 20 + c.duplicates) << s;
    EXPECT_EQ(field(s, "lost"), 0) << s;
    EXPECT_EQ(field(s, "reordered"), c.reordered) << s;
    EXPECT_EQ(field(s, "duplicates"), c.duplicates) << s;
    EXPECT_EQ(field(s, "jumps"), 0) << s;
    const auto events = json_lines(r.standard_output);
    const json* summary = find_event(events, "summary");
    ASSERT_NE(summary, nullptr);
    EXPECT_EQ(field(field(*summary, "total"), "kernel_drops"), 0) << r.output;
  }
}

TEST(NetToolsE2e, DropEveryTenIsCountedAsLoss) {
  MCNET_REQUIRE_NETNS();
  // 999 is lost too: the END marker exposes the tail.
  expect_counts(fault_stream("--drop-every", 1), {.packets = 900, .lost = 100, .duplicates = 0, .reordered = 0});
}

TEST(NetToolsE2e, DupEveryTenIsCountedAsDuplicates) {
  MCNET_REQUIRE_NETNS();
  expect_counts(fault_stream("--dup-every", 2), {.packets = 1100, .lost = 0, .duplicates = 100, .reordered = 0});
}

TEST(NetToolsE2e, ReorderEveryTenIsCountedAsReordered) {
  MCNET_REQUIRE_NETNS();
  // m*K < 1000: m = 1..99.
  expect_counts(fault_stream("--reorder-every", 3), {.packets = 1000, .lost = 0, .duplicates = 0, .reordered = 99});
}

TEST(NetToolsE2e, RestartedSenderIsANewStream) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(2);
  const auto spec = "239.255.86.1:" + std::to_string(free_port((*net)[1]));
  receiver rx((*net)[1], {"-i", "eth0", spec});
  ASSERT_TRUE(rx.joined()) << rx.output();
  const auto first = session_of(send((*net)[0], {"-i", "eth0", "-c", "30", "-r", "3000pps", "--id", "42", spec}));
  const auto second = session_of(send((*net)[0], {"-i", "eth0", "-c", "40", "-r", "3000pps", "--id", "42", spec}));
  ASSERT_FALSE(first.is_null());
  ASSERT_FALSE(second.is_null());
  ASSERT_NE(first, second) << "each run has its own session";
  const auto r = rx.finish_clean();
  const auto streams = summary_streams(r.standard_output);
  ASSERT_EQ(streams.size(), 2u) << "same id, two sessions: two streams\n" << r.output;
  struct sender_run {
    json session;
    std::uint64_t packets;
  };
  for (const auto& want : {sender_run{first, 30}, sender_run{second, 40}}) {
    const auto it = std::find_if(streams.begin(), streams.end(),
                                 [&want](const json& s) { return field(s, "session") == want.session; });
    ASSERT_NE(it, streams.end()) << "session " << want.session << "\n" << r.output;
    EXPECT_EQ(field(*it, "sender_id"), 42);
    expect_complete(*it, want.packets, 100);
  }
}

TEST(NetToolsE2e, RecvExitCodesFollowThePrecedence) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(2);
  const auto& h = (*net)[1];
  const auto& no_joins = (*net)[0];
  no_joins.ns().write_sysctl("net.ipv4.igmp_max_memberships", "0");  // every IPv4 join fails (ENOBUFS)
  const char* recv = MCAST_RECV;
  {
    SCOPED_TRACE("bad spec with --timeout: 1, not 2");
    expect_exit(run_json(h, recv, {"-i", "eth0", "--timeout", "0.3", "10.1.2.3:5000"}), 1);
  }
  {
    SCOPED_TRACE("a good spec, then a bad one: 1 before any join");
    expect_exit(run_json(h, recv, {"-i", "eth0", "--timeout", "0.3", "239.255.87.1:5000", "239.1.2.3:0"}), 1);
  }
  {
    SCOPED_TRACE("bad option value where the join would fail: 1, not 4");
    expect_exit(run_json(no_joins, recv, {"-i", "eth0", "--max-loss", "101", "239.255.87.1:5000"}), 1);
  }
  {
    SCOPED_TRACE("bad spec where the join would fail: 1, not 4");
    expect_exit(run_json(no_joins, recv, {"-i", "eth0", "--timeout", "0.3", "239.255.87.1:5000", "10.1.2.3"}), 1);
  }
  {
    SCOPED_TRACE("failed join with --timeout: 4, not 2");
    expect_exit(run_json(no_joins, recv, {"-i", "eth0", "--timeout", "0.3", "239.255.87.1:5000"}), 4);
  }
  {
    SCOPED_TRACE("nothing arrived: 2, also with --max-loss");
    expect_exit(run_json(h, recv, {"-i", "eth0", "--timeout", "0.3", "--max-loss", "0", "239.255.87.1:5000"}), 2);
  }
  {
    // trial20j 4: a dead feed passed a --max-loss health check with "0 lost".
    SCOPED_TRACE("nothing arrived, --max-loss without --timeout: 3, loss_unknown, lost null");
    const auto r = run_json(h, recv, {"-i", "eth0", "-d", "0.3", "--max-loss", "1", "239.255.87.1:5000"});
    expect_exit(r, 3);
    const auto events = json_lines(r.standard_output);
    const json* error = find_event(events, "error");
    ASSERT_NE(error, nullptr) << r.output;
    EXPECT_EQ((*error)["code"], "loss_unknown") << *error;
    EXPECT_NE((*error)["message"].get<std::string>().find("nothing arrived"), std::string::npos) << *error;
    const json* summary = find_event(events, "summary");
    ASSERT_NE(summary, nullptr) << r.output;
    EXPECT_TRUE((*summary)["total"]["lost"].is_null()) << (*summary)["total"];
    EXPECT_TRUE((*summary)["total"]["loss_percent"].is_null()) << (*summary)["total"];
  }
  {
    SCOPED_TRACE("bad port, no -i: 1");
    expect_exit(run_json(h, recv, {"239.1.2.3:70000"}), 1);
  }
}

TEST(NetToolsE2e, RecvLossAgainstMaxLossAfterSigint) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(2);
  const auto spec = "239.255.87.2:" + std::to_string(free_port((*net)[1]));
  // Three receivers on one host and port (SO_REUSEADDR: each gets every
  // datagram); 10 % is lost. "Above --max-loss" is strict.
  receiver above((*net)[1], {"-i", "eth0", "--timeout", "10", "--max-loss", "9.5", spec});
  receiver equal((*net)[1], {"-i", "eth0", "--timeout", "10", "--max-loss", "10", spec});
  receiver below((*net)[1], {"-i", "eth0", "--timeout", "10", "--max-loss", "15", spec});
  ASSERT_TRUE(above.joined() && equal.joined() && below.joined());
  send((*net)[0], {"-i", "eth0", "-c", "100", "-r", "5000pps", "--drop-every", "10", spec});
  struct expected {
    receiver* rx;
    int code;
  };
  for (const auto& e : {expected{&above, 3}, expected{&equal, 0}, expected{&below, 0}}) {
    const auto r = e.rx->finish(e.rx == &above ? 300ms : 0ms);
    SCOPED_TRACE(r.output);
    expect_exit(r, e.code);
    const auto streams = summary_streams(r.standard_output);
    ASSERT_EQ(streams.size(), 1u);
    EXPECT_EQ(field(streams[0], "packets"), 90);
    EXPECT_EQ(field(streams[0], "lost"), 10);
  }
}

TEST(NetToolsE2e, SendExitCodes) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(2);
  const auto& h = (*net)[0];
  const auto port = std::to_string(free_port((*net)[1]));
  const char* tool = MCAST_SEND;
  {
    SCOPED_TRACE("sent everything: 0, the summary adds up");
    const auto r = run_json(h, tool, {"-i", "eth0", "-c", "25", "-s", "64", "-r", "5000pps", "239.255.88.1:" + port});
    expect_exit(r, 0);
    const auto events = json_lines(r.standard_output);
    const json* summary = find_event(events, "summary");
    ASSERT_NE(summary, nullptr) << r.output;
    EXPECT_EQ(field(item(field(*summary, "groups"), 0), "sent"), 25);
    EXPECT_EQ(field(item(field(*summary, "groups"), 0), "bytes"), 25 * 64);
    EXPECT_EQ(field(field(*summary, "total"), "sent"), 25);
    EXPECT_EQ(field(field(*summary, "total"), "bytes"), 25 * 64) << *summary;
  }
  {
    SCOPED_TRACE("an IPv6 source not on the host: 4");
    expect_exit(run_json(h, tool, {"-i", "eth0", "-c", "1", "fd77::99,[ff15::88:1]:" + port}), 4);
  }
  {
    SCOPED_TRACE("bad input together with a source not on the host: 1, not 4");
    expect_exit(run_json(h, tool, {"-i", "eth0", "-c", "1", "--ttl", "256", "10.77.9.9,239.255.88.1:" + port}), 1);
  }
  {
    SCOPED_TRACE("source and group families differ: 1");
    expect_exit(run_json(h, tool, {"-i", "eth0", "-c", "1", v4(h) + ",[ff15::88:1]:" + port}), 1);
  }
}

// Every option's bad values are unit tests (command_line_test.cpp, through
// the same parsing and resolution the tools run); here the binaries prove
// their wiring once per path: a usage error in text and with --json, a
// conflict, a bad spec.
TEST(NetToolsE2e, UsageErrorsReachTheUser) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(1);
  const auto& h = (*net)[0];
  struct tool_case {
    const char* tool;
    std::vector<std::string> bad_value;  // with --json: a value the tool refuses
    std::string needle;
  };
  for (const auto& c : {tool_case{MCAST_SEND, {"--ttl", "256"}, "--ttl 256: 0 to 255"},
                        tool_case{MCAST_RECV, {"--interval", "x"}, "--interval"}}) {
    const char* tool = c.tool;
    SCOPED_TRACE(tool);
    const auto text = h.exec({tool, "--frobnicate", "239.255.89.1:5000"}, {}, 10s);
    expect_usage_error(text, "frobnicate");
    EXPECT_NE(text.output.find("(see --help)"), std::string::npos) << text.output;
    EXPECT_EQ(text.standard_output, "") << "no event without --json";
    auto args = c.bad_value;
    args.push_back("239.255.89.1:5000");
    const auto json_value = run_json(h, tool, args);
    expect_usage_error(json_value, c.needle);
    EXPECT_NE(find_event(json_lines(json_value.standard_output), "error"), nullptr) << json_value.output;
    const auto bad_spec = run_json(h, tool, {"-i", "eth0", "10.1.2.3:5000"});
    expect_exit(bad_spec, 1);
    expect_usage_error(bad_spec, "10.1.2.3:5000");
  }
  expect_usage_error(h.exec({MCAST_RECV, "-4", "-6", "239.255.89.1:5000"}, {}, 10s), "-4 and -6 exclude each other");
  expect_usage_error(run_json(h, MCAST_SEND, {"--loop", "--no-loop", "239.255.89.1:5000"}),
                     "--loop and --no-loop exclude each other");
}

TEST(NetToolsE2e, ShowPacketsPrintsPacketEvents) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(2);
  const auto port = free_port((*net)[1]);
  const auto spec = "239.255.90.1:" + std::to_string(port);
  receiver rx((*net)[1], {"-i", "eth0", "--show-packets", spec});
  ASSERT_TRUE(rx.joined()) << rx.output();
  send((*net)[0], {"-i", "eth0", "-c", "5", "-s", "60", "--ttl", "3", "--tos", "ef", "-r", "1000pps", spec});
  const auto r = rx.finish_clean();
  std::vector<std::uint64_t> seqs;
  for (const auto& e : json_lines(r.standard_output)) {
    if (field(e, "event") != "packet" || e.value("end", false)) continue;
    EXPECT_EQ(field(e, "source"), v4((*net)[0])) << e;
    EXPECT_EQ(field(e, "group"), "239.255.90.1") << e;
    EXPECT_EQ(field(e, "port"), port) << e;
    EXPECT_EQ(field(field(e, "interface"), "name"), "eth0") << e;
    EXPECT_EQ(field(e, "size"), 60) << e;
    EXPECT_EQ(field(e, "ttl"), 3) << e;
    EXPECT_EQ(field(e, "tos"), 0xb8) << e;
    if (field(e, "seq").is_number_unsigned()) seqs.push_back(field(e, "seq").get<std::uint64_t>());
  }
  EXPECT_EQ(seqs, (std::vector<std::uint64_t>{0, 1, 2, 3, 4})) << r.output;
}

}  // namespace
