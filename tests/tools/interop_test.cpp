// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// The tools with programs that are not ours, inside private namespace LANs:
// iperf2's multicast client is counted by mcast-recv as foreign packets per
// source; iperf2's multicast server counts every mcast-send datagram and never
// takes one for its end-of-test marker (docs/tools.md: the header's first bytes
// read as positive integers); a python3 socket sender is foreign, and a
// python3 sender that writes the 40-byte MCN1 header by hand (struct.pack,
// big-endian) is a stream with its sender id and session, END included.

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <sstream>
#include <string>
#include <thread>
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

using test::tools::expect_schema_conform;
using test::tools::field;
using test::tools::item;
using test::tools::free_port;
using test::tools::json_lines;
using test::tools::receiver;
using test::tools::send;
using test::tools::summary_streams;

// Wait (at most 5 s) until `group` is joined on eth0 of `h`, as the tool's
// --interfaces listing (netlink, in h's namespace) shows it.
bool wait_joined(const test::host& h, const std::string& group) {
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (std::chrono::steady_clock::now() < deadline) {
    const auto r = h.exec({MCAST_RECV, "--interfaces", "--json"}, {}, 5s);
    for (const auto& line : json_lines(r.standard_output)) {
      if (line.value("name", "") != "eth0" || !line.contains("groups")) continue;
      for (const auto& g : field(line, "groups")) {
        if (g == group) return true;
      }
    }
    std::this_thread::sleep_for(50ms);
  }
  return false;
}

std::vector<std::string> split(const std::string& line, char sep) {
  std::vector<std::string> out;
  std::istringstream in(line);
  std::string field;
  while (std::getline(in, field, sep)) out.push_back(field);
  return out;
}

TEST(NetToolsInterop, IperfClientIsCountedAsForeignPackets) {
  MCNET_REQUIRE_NETNS();
  MCNET_REQUIRE_PROGRAM(iperf, "iperf", "iperf (iperf2)");
  auto net = test::network::lan(2);
  const auto port = std::to_string(free_port((*net)[1]));
  receiver rx((*net)[1], {"-i", "eth0", "239.255.91.1:" + port});
  ASSERT_TRUE(rx.joined()) << rx.output();
  // 100 kbit/s of 200-byte datagrams for 1 s, TTL 3.
  const auto client = (*net)[0].exec(
      {iperf, "-c", "239.255.91.1", "-u", "-T", "3", "-t", "1", "-b", "100k", "-l", "200", "-p", port}, {}, 10s);
  ASSERT_TRUE(client.status.success()) << client.status.describe() << "\n" << client.output;
  const auto r = rx.finish_clean();
  const auto streams = summary_streams(r.standard_output);
  ASSERT_EQ(streams.size(), 1u) << r.output;
  const auto& s = streams[0];
  EXPECT_EQ(field(s, "group"), "239.255.91.1");
  EXPECT_EQ(field(s, "port"), std::stoi(port));
  EXPECT_EQ(field(s, "source"), (*net)[0].v4().to_string());
  for (const char* field : {"sender_id", "session", "lost", "reordered", "duplicates", "latency_ns", "jitter_ns"}) {
    EXPECT_TRUE(s[field].is_null()) << field << " of a foreign stream: " << s;
  }
  ASSERT_TRUE(field(s, "packets").is_number_unsigned()) << s;
  const auto packets = field(s, "packets").get<std::uint64_t>();
  EXPECT_GT(packets, 0u) << client.output;
  EXPECT_EQ(field(s, "bytes"), packets * 200) << s;
  EXPECT_EQ(field(s, "ttl"), 3) << s;
}

TEST(NetToolsInterop, IperfServerCountsMcastSendDatagrams) {
  MCNET_REQUIRE_NETNS();
  MCNET_REQUIRE_PROGRAM(iperf, "iperf", "iperf (iperf2)");
  auto net = test::network::lan(2);
  const auto& h = (*net)[1];
  const std::string group = "239.255.91.2";
  const auto port = std::to_string(free_port(h));
  // Joins the group on eth0 (-B group%dev); CSV reports (-y C) carry exact
  // byte counts; -t 3: the report comes at most 3 s after the first
  // datagram, unless a datagram reads as iperf's end-of-test marker, which
  // ends it at once. The server's -t also counts from its own start, with
  // no datagram yet (measured: `iperf -s -u -t 1` alone exits after 2 s):
  // -t 1 was shorter than an ASan mcast-send's start at load 6, and the
  // server left before the first datagram (no report, CI-like run s33).
  auto server = h.start({iperf, "-s", "-u", "-B", group + "%eth0", "-p", port, "-y", "C", "-t", "3"});
  ASSERT_TRUE(wait_joined(h, group)) << server.output();
  constexpr int count = 100;
  send((*net)[0], {"-i", "eth0", "-c", std::to_string(count), "-s", "200", "-r", "1000pps", group + ":" + port});
  auto st = server.wait_for(12s);
  if (!st) st = server.stop(SIGINT);
  const auto out = server.standard_output();
  std::vector<std::vector<std::string>> reports;
  std::istringstream lines(out);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.find(',') != std::string::npos) reports.push_back(split(line, ','));
  }
  ASSERT_EQ(reports.size(), 1u) << "one report: the test was not ended early and restarted\n" << server.output();
  const auto& rep = reports[0];
  ASSERT_GE(rep.size(), 8u) << out;
  EXPECT_EQ(rep[1], (*net)[0].v4().to_string()) << out;
  EXPECT_EQ(rep[3], group) << out;
  EXPECT_EQ(rep[4], port) << out;
  // Every datagram, and the three 40-byte END markers that close the run.
  EXPECT_EQ(rep[7], std::to_string(count * 200 + 3 * 40)) << out;
  const auto interval = split(rep[6], '-');
  ASSERT_EQ(interval.size(), 2u) << rep[6];
  EXPECT_GE(std::stod(interval[1]), 0.9) << "ran until -t, not ended by a datagram taken for its end marker: " << out;
}

// The command line of a python3 `program` that sends `count` datagrams to group:port.
std::vector<std::string> python_sender(const std::string& python, const std::string& program, const std::string& group,
                                       const std::string& port, int count) {
  return {python, "-c", program, group, port, std::to_string(count)};
}

TEST(NetToolsInterop, PythonSocketSenderIsForeign) {
  MCNET_REQUIRE_NETNS();
  MCNET_REQUIRE_PROGRAM(python, "python3", "python3");
  auto net = test::network::lan(2);
  const auto port = std::to_string(free_port((*net)[1]));
  receiver rx((*net)[1], {"-i", "eth0", "239.255.92.1:" + port});
  ASSERT_TRUE(rx.joined()) << rx.output();
  const char* program = R"(
import socket, sys, time
group, port, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 5)
for i in range(count):
    s.sendto(b'python %3d ' % i + b'.' * 53, (group, port))
    time.sleep(0.001)
)";
  const auto py = (*net)[0].exec(python_sender(python, program, "239.255.92.1", port, 50), {}, 10s);
  ASSERT_TRUE(py.status.success()) << py.status.describe() << "\n" << py.output;
  const auto r = rx.finish_clean();
  const auto streams = summary_streams(r.standard_output);
  ASSERT_EQ(streams.size(), 1u) << r.output;
  const auto& s = streams[0];
  EXPECT_EQ(field(s, "source"), (*net)[0].v4().to_string());
  EXPECT_EQ(field(s, "packets"), 50) << s;
  EXPECT_EQ(field(s, "bytes"), 50 * 64) << s;
  EXPECT_EQ(field(s, "ttl"), 5) << s;
  EXPECT_TRUE(field(s, "sender_id").is_null()) << s;
  EXPECT_TRUE(field(s, "session").is_null()) << s;
  EXPECT_TRUE(field(s, "lost").is_null()) << s;
}

TEST(NetToolsInterop, PythonSenderWithTheHeaderIsAStream) {
  MCNET_REQUIRE_NETNS();
  MCNET_REQUIRE_PROGRAM(python, "python3", "python3");
  auto net = test::network::lan(2);
  const auto port = std::to_string(free_port((*net)[1]));
  receiver rx((*net)[1], {"-i", "eth0", "239.255.92.2:" + port});
  ASSERT_TRUE(rx.joined()) << rx.output();
  // The wire header of docs/tools.md, 64-byte datagrams, then END (flag bit 0,
  // sequence = how many numbers the run had, 40 bytes) three times.
  const char* program = R"(
import socket, struct, sys, time
group, port, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
ident, session = 4242, 0x1234567
def header(flags, seq, length):
    return struct.pack('>4sBBHIIQQII', b'MCN1', 1, flags, 40, ident, session, seq, time.time_ns(), length, 0)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 2)
for seq in range(count):
    s.sendto(header(0, seq, 64) + bytes(24), (group, port))
    time.sleep(0.001)
for _ in range(3):
    s.sendto(header(1, count, 40), (group, port))
)";
  const auto py = (*net)[0].exec(python_sender(python, program, "239.255.92.2", port, 50), {}, 10s);
  ASSERT_TRUE(py.status.success()) << py.status.describe() << "\n" << py.output;
  const auto r = rx.finish_clean();
  const auto streams = summary_streams(r.standard_output);
  ASSERT_EQ(streams.size(), 1u) << "END markers are not a stream of their own\n" << r.output;
  const auto& s = streams[0];
  EXPECT_EQ(field(s, "source"), (*net)[0].v4().to_string());
  EXPECT_EQ(field(s, "sender_id"), 4242) << s;
  EXPECT_EQ(field(s, "session"), 0x1234567) << s;
  EXPECT_EQ(field(s, "packets"), 50) << "END is not counted " << s;
  EXPECT_EQ(field(s, "bytes"), 50 * 64) << s;
  EXPECT_EQ(field(s, "lost"), 0) << s;
  EXPECT_EQ(field(s, "duplicates"), 0) << s;
  EXPECT_EQ(field(s, "reordered"), 0) << s;
  EXPECT_EQ(field(s, "ttl"), 2) << s;
  EXPECT_FALSE(field(s, "latency_ns").is_null()) << "the send time is read from the header " << s;
}

}  // namespace
