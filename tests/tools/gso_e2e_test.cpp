// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// mcast-send --gso in private namespace LANs: the datagrams leave as runs of
// UDP_SEGMENT buffers and arrive as the same datagrams, each with its own
// header, so mcast-recv counts exactly what was sent, paced or not; with
// nftables dropping on the receiver, the loss mcast-recv reports is what
// the rule's counter dropped, counted in datagrams (a rule sees a run the
// kernel has not cut apart yet as one packet).

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "e2e_run.hpp"
#include "lan.hpp"
#include "privilege.hpp"
#include "programs.hpp"
#include "tool_run.hpp"

namespace test = mcnet::test;
using json = nlohmann::json;
using namespace std::chrono_literals;

namespace {

using test::tools::field;
using test::tools::find_event;
using test::tools::free_port;
using test::tools::json_lines;
using test::tools::receiver;
using test::tools::send;
using test::tools::summary_streams;

// The one stream a receiver reported, and the run's total kernel drops;
// its events in `events` when given.
struct received {
  json stream;
  json kernel_drops;
};

received finish(receiver& rx, std::vector<json>* events = nullptr) {
  const auto r = rx.finish_clean();
  auto all = json_lines(r.standard_output);
  const json* summary = find_event(all, "summary");
  const auto streams = summary_streams(r.standard_output);
  EXPECT_EQ(streams.size(), 1u) << r.output;
  received out{streams.empty() ? json::object() : streams[0],
               summary != nullptr ? field(field(*summary, "total"), "kernel_drops") : json()};
  if (events != nullptr) *events = std::move(all);
  return out;
}

// The summary's total of a mcast-send run.
json sent_total(const test::run_result& r) {
  const auto events = json_lines(r.standard_output);
  const json* summary = find_event(events, "summary");
  return summary != nullptr ? field(*summary, "total") : json();
}

void expect_exact(const std::vector<std::string>& extra, std::uint64_t count, std::uint64_t size, bool v6) {
  auto net = test::network::lan(2);
  const auto group = std::string(v6 ? "[ff1e::17:2]" : "239.255.17.3");
  const auto spec = group + ":" + std::to_string(free_port((*net)[1]));
  receiver rx((*net)[1], {"-i", "eth0", "--rcvbuf", "4194304", "--force", spec});
  ASSERT_TRUE(rx.joined()) << rx.output();
  std::vector<std::string> args{"-i", "eth0", "-c", std::to_string(count), "-s", std::to_string(size)};
  args.insert(args.end(), extra.begin(), extra.end());
  args.push_back(spec);
  const auto sent = send((*net)[0], args);
  const auto events = json_lines(sent.standard_output);  // find_event points into it
  const auto start = find_event(events, "start");
  ASSERT_NE(start, nullptr) << sent.output;
  EXPECT_FALSE(field(field(*start, "settings"), "gso").is_null()) << *start;
  EXPECT_EQ(field(sent_total(sent), "sent"), count) << sent.output;
  const auto [s, kernel_drops] = finish(rx);
  EXPECT_EQ(field(s, "packets"), count) << s;
  EXPECT_EQ(field(s, "bytes"), count * size) << s;
  EXPECT_EQ(field(s, "lost"), 0) << s;
  EXPECT_EQ(field(s, "duplicates"), 0) << s;
  EXPECT_EQ(field(s, "reordered"), 0) << s;
  EXPECT_EQ(kernel_drops, 0);
}

// Paced: unpaced, a segmenting sender outruns one mcast-recv on this
// 2-core machine (20,000 datagrams of 1000 bytes at about 220 k pps fill an
// 8 MiB receive buffer; docs/performance.md). A short unpaced run fits the
// buffer.
TEST(NetGso, RunsOfSixtyFourCountExactly) {
  MCNET_REQUIRE_NETNS();
  expect_exact({"--gso", "64", "-r", "20000pps", "--burst", "64"}, 20000, 1000, false);
  expect_exact({"--gso", "64", "--batch", "4"}, 2000, 1000, false);
}

// 2000 datagrams at 20 kpps in runs of 8 (0.1 s): each datagram's send
// time (its arrival less its latency, as mcast-recv shows them) kept to
// the schedule (test::tools::expect_kept_schedule), not a rate within 5 %
// of 20,000 pps: a stall of a loaded machine near the end of so short a run
// made it 17,602 pps (and a rate_shortfall warning, which says so).
TEST(NetGso, PacedRunsCountExactlyAndKeepTheRate) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(2);
  const auto spec = "239.255.17.4:" + std::to_string(free_port((*net)[1]));
  receiver rx((*net)[1], {"-i", "eth0", "--rcvbuf", "4194304", "--force", "--show-packets", spec});
  ASSERT_TRUE(rx.joined()) << rx.output();
  const auto sent = send((*net)[0], {"-i", "eth0", "-c", "2000", "-r", "20000pps", "--burst", "8", "--gso", "8", spec});
  const auto total = sent_total(sent);
  EXPECT_EQ(field(total, "sent"), 2000) << sent.output;
  const auto sent_events = json_lines(sent.standard_output);
  const auto* start = find_event(sent_events, "start");
  ASSERT_NE(start, nullptr) << sent.output;
  std::vector<json> events;
  const auto [s, kernel_drops] = finish(rx, &events);
  EXPECT_EQ(field(s, "packets"), 2000) << s;
  EXPECT_EQ(field(s, "lost"), 0) << s;
  EXPECT_EQ(kernel_drops, 0);
  std::vector<double> sent_ms(2000, 0.0);
  std::size_t packets = 0;
  for (const auto& e : events) {
    if (e["event"] != "packet" || e.contains("end")) continue;
    const auto seq = e["seq"].get<std::size_t>();
    ASSERT_LT(seq, sent_ms.size()) << e;
    sent_ms[seq] = e["time"].get<double>() * 1e3 - static_cast<double>(e["latency_ns"].get<std::int64_t>()) / 1e6;
    ++packets;
  }
  ASSERT_EQ(packets, 2000u) << "each datagram once";
  test::tools::expect_kept_schedule(test::tools::fit_schedule(sent_ms, (*start)["time"].get<double>() * 1e3, 20000, 8));
}

TEST(NetGso, Ipv6AndPayloadsOtherThanMcnet) {
  MCNET_REQUIRE_NETNS();
  expect_exact({"--gso", "16", "-r", "20000pps", "--burst", "16"}, 5000, 1200, true);
  expect_exact({"--gso", "7", "-r", "20000pps", "--burst", "7", "--payload", "rtp", "--rtp-pt", "96"}, 3000, 1000,
               false);
}

// The packets a host's eth0 received (its veth end's counter, what
// `ip -s link` shows); -1 when unreadable.
std::int64_t rx_packets(const test::host& h) {
  const auto r = h.exec({"ip", "-s", "-j", "link", "show", "eth0"}, {}, 10s);
  const auto j = json::parse(r.standard_output, nullptr, false);
  if (!j.is_array() || j.empty() || !j[0].contains("stats64")) return -1;
  return j[0]["stats64"]["rx"]["packets"].get<std::int64_t>();
}

// What the man page says of --gso over veth: a run of segments crosses the
// link as one packet (the link's counters, a capture and nft see one
// super-datagram per run) and is cut only in the receiving UDP stack, where
// mcast-recv counts each datagram.
TEST(NetGso, OverVethARunCrossesTheLinkAsOnePacket) {
  MCNET_REQUIRE_NETNS();
  constexpr std::int64_t kCount = 1000;
  auto net = test::network::lan(2);
  const auto& rx_host = (*net)[1];
  const auto spec = "239.255.17.6:" + std::to_string(free_port(rx_host));
  receiver rx(rx_host, {"-i", "eth0", "--rcvbuf", "4194304", "--force", spec});
  ASSERT_TRUE(rx.joined()) << rx.output();
  const auto before = rx_packets(rx_host);
  ASSERT_GE(before, 0);
  const auto sent = send((*net)[0], {"-i", "eth0", "-c", std::to_string(kCount), "-s", "200", "-r", "20000pps",
                                     "--burst", "10", "--gso", "10", spec});
  EXPECT_EQ(field(sent_total(sent), "sent"), kCount) << sent.output;
  const auto on_link = rx_packets(rx_host) - before;
  const auto [s, kernel_drops] = finish(rx);
  EXPECT_EQ(field(s, "packets"), kCount) << s;
  RecordProperty("link_rx_packets", std::to_string(on_link));
  // About 100 runs of 10 (a late wake-up may cut one short), 3 END markers,
  // and the odd IGMP or ARP packet: far fewer packets than datagrams.
  EXPECT_LT(on_link, kCount / 2) << "the link counted each datagram: runs were cut before the link";
  EXPECT_GE(on_link, kCount / 10) << "fewer packets than runs";
}

// nft in `h`'s namespace; a failure fails the test.
void nft(const test::host& h, const std::string& program, std::vector<std::string> args) {
  args.insert(args.begin(), program);
  const auto r = h.exec(args, {}, 10s);
  EXPECT_TRUE(r.status.success()) << "nft: " << r.status.describe() << "\n" << r.output;
}

// The packets and bytes the drop rule counted.
std::pair<std::int64_t, std::int64_t> dropped(const test::host& h, const std::string& program) {
  const auto r = h.exec({program, "-j", "list", "ruleset"}, {}, 10s);
  const auto j = json::parse(r.standard_output, nullptr, false);
  if (!j.is_object() || !j.contains("nftables")) return {-1, -1};
  for (const auto& item : j["nftables"]) {
    if (!item.contains("rule")) continue;
    for (const auto& e : item["rule"]["expr"]) {
      if (e.contains("counter")) {
        return {e["counter"]["packets"].get<std::int64_t>(), e["counter"]["bytes"].get<std::int64_t>()};
      }
    }
  }
  return {-1, -1};
}

// A run of segments passes the receiver's input hook whole (veth and the
// bridge keep it a GSO packet; only the socket cuts it), so one nft verdict
// drops the run's datagrams together. What is lost is what was dropped,
// counted in datagrams: the counted bytes less one IPv4 and UDP header (28
// bytes) per packet, over the datagram size.
TEST(NetGso, NftLossIsCountedInDatagrams) {
  MCNET_REQUIRE_NETNS();
  MCNET_REQUIRE_PROGRAM(nft_program, "nft", "nftables");
  constexpr std::int64_t kCount = 8000, kSize = 500;
  auto net = test::network::lan(2);
  const auto& rx_host = (*net)[1];
  const auto port = std::to_string(free_port(rx_host));
  nft(rx_host, nft_program, {"add", "table", "inet", "t"});
  nft(rx_host, nft_program, {"add", "chain", "inet", "t", "in", "{ type filter hook input priority 0; }"});
  // Loss counts from a stream's first arrival, so the first runs pass: a
  // run whose first datagram's sequence number (the header's 8 bytes at
  // offset 16, after the 8-byte UDP header: bits 192-255) is below 64.
  nft(rx_host, nft_program, {"add", "rule", "inet", "t", "in", "udp", "dport", port, "@th,192,64", "<", "64", "accept"});
  nft(rx_host, nft_program, {"add", "rule", "inet", "t", "in", "udp", "dport", port, "numgen", "random", "mod", "10",
                             "==", "0", "counter", "drop"});
  receiver rx(rx_host, {"-i", "eth0", "--rcvbuf", "4194304", "--force", "239.255.17.5:" + port});
  ASSERT_TRUE(rx.joined()) << rx.output();
  const auto sent = send((*net)[0], {"-i", "eth0", "-c", std::to_string(kCount), "-s", std::to_string(kSize), "-r",
                                     "50000pps", "--burst", "10", "--gso", "10", "239.255.17.5:" + port});
  EXPECT_EQ(field(sent_total(sent), "sent"), kCount) << sent.output;
  const auto [packets, bytes] = dropped(rx_host, nft_program);
  // A slow receiver (ASan) may still be reading its queue: the tail's loss
  // is counted from the END markers, the last of which it must have read.
  std::this_thread::sleep_for(std::chrono::seconds(1));
  const auto [s, kernel_drops] = finish(rx);
  ASSERT_GT(packets, 0) << "about 1 in 10 of the runs, END markers included";
  EXPECT_GT(bytes - 28 * packets, packets * kSize) << "a dropped packet held several datagrams: runs pass whole";
  // Runs may be shorter than 10 after a late wake-up, and END markers (40
  // bytes each, sent alone) may be dropped too: the datagram bytes are
  // 500 per datagram plus 40 per END marker, fewer than 500 for at most 3.
  const std::int64_t datagram_bytes = bytes - 28 * packets;
  const std::int64_t lost_datagrams = datagram_bytes / kSize;
  EXPECT_EQ(datagram_bytes % kSize % 40, 0) << "what is left are END markers: " << datagram_bytes;
  RecordProperty("nft_dropped_packets", std::to_string(packets));
  RecordProperty("lost_datagrams", std::to_string(lost_datagrams));
  EXPECT_EQ(field(s, "lost"), lost_datagrams) << s;
  EXPECT_EQ(field(s, "packets"), kCount - lost_datagrams) << s;
  EXPECT_EQ(field(s, "duplicates"), 0) << s;
  EXPECT_EQ(kernel_drops, 0);
}

}  // namespace
