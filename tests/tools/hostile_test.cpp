// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// A hostile sender on the LAN (python3 writing the wire header of
// docs/tools.md by hand): streams of random sender ids filling the table,
// END markers of streams never seen, a sequence jump of 2^63 and a forged END
// of 2^64 - 1. A real feed that starts afterwards still gets its place and
// its loss is reported exactly.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include <mcnet/tools/cli.hpp>

#include "e2e_run.hpp"
#include "lan.hpp"
#include "privilege.hpp"
#include "programs.hpp"
#include "tool_run.hpp"

namespace mcnet {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;
using test::tools::field;
using test::tools::find_event;
using test::tools::free_port;
using test::tools::json_lines;
using test::tools::receiver;
using test::tools::streams_from;
using test::tools::summary_streams;

// argv: group port. Sender id 7: numbers 0 and 1, a jump to 2^63, a forged
// END of 2^64 - 1 twice, and 2; then 300 streams of one datagram (random
// sender ids and sessions) and 300 END markers of ids never used.
constexpr const char* hostile_program = R"(
import random, socket, struct, sys, time
group, port = sys.argv[1], int(sys.argv[2])
def header(ident, session, flags, seq, length):
    return struct.pack('>4sBBHIIQQII', b'MCN1', 1, flags, 40, ident, session, seq, time.time_ns(), length, 0)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
rng = random.Random(20261201)
for seq in (0, 1, 2**63):
    s.sendto(header(7, 7, 0, seq, 64) + bytes(24), (group, port))
    time.sleep(0.0005)
for _ in range(2):
    s.sendto(header(7, 7, 1, 2**64 - 1, 40), (group, port))
    time.sleep(0.0005)
s.sendto(header(7, 7, 0, 2, 64) + bytes(24), (group, port))
for i in range(300):
    s.sendto(header(rng.randrange(1000, 2**31), rng.randrange(2**31), 0, 0, 64) + bytes(24), (group, port))
    time.sleep(0.0005)
for i in range(300):
    s.sendto(header(rng.randrange(1000, 2**31), rng.randrange(2**31), 1, 2**64 - 1, 40), (group, port))
    time.sleep(0.0005)
)";

TEST(NetHostileSender, ARealFeedsLossIsExactAfterJunkEndFloodsAndFarJumps) {
  MCNET_REQUIRE_NETNS();
  MCNET_REQUIRE_PROGRAM(python, "python3", "python3");
  auto net = test::network::lan(3);
  const auto& rx_host = (*net)[2];
  const auto port = std::to_string(free_port(rx_host));
  const std::string group = "239.255.93.1";
  receiver rx(rx_host, {"-i", "eth0", "--max-streams", "64", "--max-loss", "1", group + ":" + port});
  ASSERT_TRUE(rx.joined()) << rx.output();
  const auto hostile = (*net)[0].exec({python, "-c", hostile_program, group, port}, {}, 20s);
  ASSERT_TRUE(hostile.status.success()) << hostile.status.describe() << "\n" << hostile.output;
  // The junk is more than a second old when the real feed starts.
  std::this_thread::sleep_for(1200ms);
  const auto real = test::tools::send((*net)[1], {"-i", "eth0", "-c", "1000", "-r", "5000pps",
                                                  "--drop-every", "10", "--id", "99", group + ":" + port});
  ASSERT_TRUE(real.status.success()) << real.output;
  const auto r = rx.finish();
  EXPECT_EQ(r.status.code, 3) << "10 % of the real feed was dropped: above --max-loss 1\n" << r.output;
  test::tools::expect_schema_conform(r.standard_output);
  const auto streams = summary_streams(r.standard_output);
  const auto real_streams = streams_from(streams, (*net)[1].v4().to_string());
  ASSERT_EQ(real_streams.size(), 1u) << "the real feed found its place\n" << r.output;
  const auto& s = real_streams[0];
  EXPECT_EQ(field(s, "sender_id"), 99) << s;
  EXPECT_EQ(field(s, "packets"), 900) << s;
  EXPECT_EQ(field(s, "lost"), 100) << "exactly the dropped numbers " << s;
  EXPECT_EQ(field(s, "duplicates"), 0) << s;
  EXPECT_EQ(field(s, "jumps"), 0) << s;
  const auto forger = streams_from(streams, (*net)[0].v4().to_string());
  const auto seven = std::find_if(forger.begin(), forger.end(), [](const json& j) { return j["sender_id"] == 7; });
  ASSERT_NE(seven, forger.end()) << "sender id 7 came before the junk filled the table, and a forged END does not end it";
  EXPECT_EQ(field(*seven, "packets"), 4) << *seven;
  EXPECT_EQ(field(*seven, "lost"), 0) << "0, 1 and 2 came; 2^63 and the END claim nothing " << *seven;
  EXPECT_EQ(field(*seven, "jumps"), 1) << *seven;
  const auto events = json_lines(r.standard_output);
  const auto* summary = find_event(events, "summary");
  ASSERT_NE(summary, nullptr) << r.output;
  const auto& total = (*summary)["total"];
  EXPECT_EQ(total["lost"], 100) << "the hostile 2^63 jump and forged END claim nothing: " << total;
  EXPECT_EQ(total["jumps"], 1) << total;
  EXPECT_EQ(total["untracked"].get<std::uint64_t>() + total["packets"].get<std::uint64_t>(), 300u + 4u + 900u)
      << "every datagram is in a stream or untracked: " << total;
  EXPECT_GE(total["evicted"].get<std::uint64_t>(), 1u) << total;
  EXPECT_EQ(total["stray_ends"], 300) << "END markers of streams never seen make no stream: " << total;
  EXPECT_EQ(total["kernel_drops"], 0) << "the counts above are exact only without drops: " << total;
  // Sender id 7 stopped with no END of its own (the forged END of 2^64 - 1
  // is not believed), after 4 datagrams: too few for a pace to stall from
  // (stall_watch::warm_up), as the junk streams of one datagram: no tail
  // is unknown, and the total keeps its ratio (each stream's own stall
  // watch, trial t20r H1: the flow's, fed by the junk, made 7's tail
  // unknown and the total null).
  EXPECT_EQ((*seven)["tail_unknown"], false) << *seven;
  EXPECT_EQ(total["tail_unknown"], 0) << total;
  EXPECT_LT(total["loss_percent"].get<double>(), 10.0) << total;
  EXPECT_GT(total["loss_percent"].get<double>(), 1.0) << total;
}

// argv: group port. A live feed of sender id 5 (numbers 0 to 999, every
// tenth missing, END 1000 three times) with a forger's datagrams of the same
// id and session between its own: after 500 a burst of 8 numbers from 2^40
// (a "restart"), after 700 two numbers 2^31 ahead (an "outage"), after each
// of 800 to 899 one number past 2^63; after the END a forged END of 66000
// twice.
constexpr const char* interleaving_program = R"(
import socket, struct, sys, time
group, port = sys.argv[1], int(sys.argv[2])
def header(flags, seq, length):
    return struct.pack('>4sBBHIIQQII', b'MCN1', 1, flags, 40, 5, 5, seq, time.time_ns(), length, 0)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
def data(seq):
    s.sendto(header(0, seq, 64) + bytes(24), (group, port))
    time.sleep(0.0003)
for n in range(1000):
    if n % 10 != 9:
        data(n)
    if n == 500:
        for i in range(8):
            data(2**40 + i)
    if n == 700:
        data(n + 2**31)
        data(n + 2**31 + 1)
    if 800 <= n < 900:
        data(2**63 + n)
for count in (1000, 1000, 1000, 66000, 66000):
    s.sendto(header(1, count, 40), (group, port))
    time.sleep(0.02)
)";

// The live sender goes on after each forged burst, so each is taken back:
// the feed's loss stays exactly its own, and --max-loss sees it.
TEST(NetHostileSender, BurstsBetweenALiveSendersDatagramsClaimNothing) {
  MCNET_REQUIRE_NETNS();
  MCNET_REQUIRE_PROGRAM(python, "python3", "python3");
  auto net = test::network::lan(2);
  const auto& rx_host = (*net)[1];
  const auto port = std::to_string(free_port(rx_host));
  const std::string group = "239.255.93.2";
  receiver rx(rx_host, {"-i", "eth0", "--max-loss", "5", group + ":" + port});
  ASSERT_TRUE(rx.joined()) << rx.output();
  const auto live = (*net)[0].exec({python, "-c", interleaving_program, group, port}, {}, 30s);
  ASSERT_TRUE(live.status.success()) << live.status.describe() << "\n" << live.output;
  const auto r = rx.finish();
  EXPECT_EQ(r.status.code, 3) << "10 % lost: above --max-loss 5\n" << r.output;
  test::tools::expect_schema_conform(r.standard_output);
  const auto streams = summary_streams(r.standard_output);
  ASSERT_EQ(streams.size(), 1u) << r.output;
  const auto& s = streams[0];
  EXPECT_EQ(field(s, "lost"), 100) << s;
  EXPECT_EQ(field(s, "packets"), 900 + 8 + 2 + 100) << "every datagram arrived " << s;
  EXPECT_EQ(field(s, "jumps"), 8 + 2 + 100) << s;
  EXPECT_EQ(field(s, "restarts"), 0) << s;
  EXPECT_EQ(field(s, "reordered"), 0) << "the live numbers after a burst are in order " << s;
  EXPECT_EQ(field(s, "duplicates"), 0) << s;
  // sent = packets - duplicates - jumps + lost
  EXPECT_EQ(1010 - 0 - 110 + 100, 1000);
  // The forged END of 66,000, far past what the feed's pace allows, beside
  // the sender's own ENDs of 1000: a second sender (trial t16u H3), the
  // stream's loss unknown (its count stays the sender's: lost 100).
  EXPECT_EQ(s["conflict"]["evidence"].dump(), R"(["ends"])") << s;
  EXPECT_EQ(s["conflict"]["far_ends"], 2) << s;
  const auto events = json_lines(r.standard_output);
  const auto* summary = find_event(events, "summary");
  ASSERT_NE(summary, nullptr) << r.output;
  EXPECT_TRUE((*summary)["total"]["loss_percent"].is_null()) << "contested: unknown " << (*summary)["total"];
}

// argv: group port. The fresh-user trial: a live feed of sender id 12
// (numbers 0 to 999, every tenth missing); a forger's pair of numbers
// 60,000 ahead after 400 and a pair 2,000 ahead after each of 50, 150, ..,
// 950 (all inside the window); after the last datagram forged ENDs of 10^6
// and 2^32 twice each and of 1005 once; then the real END 1000 three times,
// 0, 50 and 200 ms apart.
constexpr const char* trial_program = R"(
import socket, struct, sys, time
group, port = sys.argv[1], int(sys.argv[2])
def header(flags, seq, length):
    return struct.pack('>4sBBHIIQQII', b'MCN1', 1, flags, 40, 12, 12, seq, time.time_ns(), length, 0)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
def data(seq):
    s.sendto(header(0, seq, 64) + bytes(24), (group, port))
    time.sleep(0.0003)
def end(count):
    s.sendto(header(1, count, 40), (group, port))
    time.sleep(0.0003)
for n in range(1000):
    if n % 10 != 9:
        data(n)
    if n == 400:
        data(n + 60000)
        data(n + 60001)
    if n % 100 == 50:
        data(n + 2000)
        data(n + 2001)
for count in (10**6, 10**6, 2**32, 2**32, 1005):
    end(count)
end(1000)
time.sleep(0.05)
end(1000)
time.sleep(0.15)
end(1000)
)";

// Issue 16, hostile trial findings 1, 2 and 10: forged pairs inside the
// window claim nothing (the live sender's next numbers take them back, in
// order), and the real END, sent three times, wins over forged ones given
// twice (far) or once (near): the loss is exactly the feed's 100.
TEST(NetHostileSender, ForgedPairsAndEndsLoseToTheLiveSender) {
  MCNET_REQUIRE_NETNS();
  MCNET_REQUIRE_PROGRAM(python, "python3", "python3");
  auto net = test::network::lan(2);
  const auto& rx_host = (*net)[1];
  const auto port = std::to_string(free_port(rx_host));
  const std::string group = "239.255.93.10";
  receiver rx(rx_host, {"-i", "eth0", "--max-loss", "10.5", group + ":" + port});
  ASSERT_TRUE(rx.joined()) << rx.output();
  const auto live = (*net)[0].exec({python, "-c", trial_program, group, port}, {}, 30s);
  ASSERT_TRUE(live.status.success()) << live.status.describe() << "\n" << live.output;
  const auto r = rx.finish();
  // The forged ENDs of 10^6 and 2^32, far past what the feed's pace allows,
  // beside the sender's own ENDs of 1000: a second sender (trial t16u H3):
  // its loss unknown, --max-loss fails as loss_unknown.
  EXPECT_EQ(r.status.code, 3) << "contested: loss_unknown\n" << r.output;
  test::tools::expect_schema_conform(r.standard_output);
  const auto streams = summary_streams(r.standard_output);
  ASSERT_EQ(streams.size(), 1u) << r.output;
  const auto& s = streams[0];
  EXPECT_EQ(field(s, "packets"), 900 + 22) << "every datagram arrived " << s;
  EXPECT_EQ(field(s, "lost"), 100) << "the real END counts the real tail " << s;
  EXPECT_EQ(field(s, "jumps"), 22) << s;
  EXPECT_EQ(field(s, "reordered"), 0) << "the live numbers after a pair are in order " << s;
  EXPECT_EQ(field(s, "duplicates"), 0) << s;
  EXPECT_EQ(field(s, "restarts"), 0) << s;
  const auto events = json_lines(r.standard_output);
  const auto* summary = find_event(events, "summary");
  ASSERT_NE(summary, nullptr) << r.output;
  EXPECT_EQ((*summary)["total"]["lost"], 100) << (*summary)["total"];
  EXPECT_TRUE((*summary)["total"]["loss_percent"].is_null()) << (*summary)["total"];
  EXPECT_EQ(s["conflict"]["evidence"].dump(), R"(["ends"])") << s;
  EXPECT_EQ(s["conflict"]["far_ends"], 4) << s;
}

// The start of a forger's program (argv: group port): send(ident, flags,
// seq, length) sends one datagram of the wire header (docs/tools.md) with
// sender id and session `ident`, 0.3 ms apart.
const std::string send_prelude = R"(
import socket, struct, sys, time
group, port = sys.argv[1], int(sys.argv[2])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
def send(ident, flags, seq, length=64):
    s.sendto(struct.pack('>4sBBHIIQQII', b'MCN1', 1, flags, 40, ident, ident, seq, time.time_ns(), length, 0) +
             bytes(length - 40), (group, port))
    time.sleep(0.0003)
)";

// Runs a forger's `program` (argv: group port) with `python` on one host of a two-host
// LAN against mcast-recv --max-loss 11 on the other, and checks the run
// ended with exit 0 (every feed within 11 % lost) and `streams` summary
// streams; returns them and the summary's total.
std::pair<std::vector<json>, json> forged_run(const std::string& python, const std::string& program,
                                              const std::string& group, std::size_t streams) {
  auto net = test::network::lan(2);
  const auto& rx_host = (*net)[1];
  const auto port = std::to_string(free_port(rx_host));
  receiver rx(rx_host, {"-i", "eth0", "--max-loss", "11", group + ":" + port});
  EXPECT_TRUE(rx.joined()) << rx.output();
  const auto live = (*net)[0].exec({python, "-c", program, group, port}, {}, 30s);
  EXPECT_TRUE(live.status.success()) << live.status.describe() << "\n" << live.output;
  const auto r = rx.finish();
  EXPECT_EQ(r.status.code, 0) << "10 % lost at most in each feed: within --max-loss 11\n" << r.output;
  test::tools::expect_schema_conform(r.standard_output);
  auto out = summary_streams(r.standard_output);
  EXPECT_EQ(out.size(), streams) << r.output;
  const auto events = json_lines(r.standard_output);
  const auto* summary = find_event(events, "summary");
  EXPECT_NE(summary, nullptr) << r.output;
  return {std::move(out), summary != nullptr ? (*summary)["total"] : json()};
}

// The stream of sender id `id` among `streams` (null when none).
json sender_stream(const std::vector<json>& streams, int id) {
  const auto it = std::find_if(streams.begin(), streams.end(), [id](const json& j) { return j["sender_id"] == id; });
  return it == streams.end() ? json() : *it;
}

// argv: group port. Three feeds, each numbers 0 to 499 with every tenth
// missing. Sender id 8: after 300 one forged number 60,000 ahead (inside the
// window), END 500 three times. Sender id 9: no END; after its last number
// a forged pair 2^31 ahead. Sender id 10: after 199 its sender goes on far
// ahead (2^40: 400 numbers, a new epoch), and after the first 300 of them a
// stray datagram with its old next number 200 comes.
const std::string unproven_program = send_prelude + R"(
for n in range(500):
    if n % 10 != 9:
        send(8, 0, n)
        send(9, 0, n)
    if n == 300:
        send(8, 0, n + 60000)
for _ in range(3):
    send(8, 1, 500, 40)
send(9, 0, 2**31 + 500)
send(9, 0, 2**31 + 501)
for n in range(200):
    send(10, 0, n)
for n in range(400):
    send(10, 0, 2**40 + n)
    if n == 299:
        send(10, 0, 200)
)";

// Issue 16: one forged number inside the window claims no loss and the
// real END still counts; a forged pair far ahead after a feed stopped is
// not believed at the end; one stray datagram does not take back a new
// epoch its sender proved with hundreds. Each feed's loss is its own.
TEST(NetHostileSender, UnprovenClaimsAndStrayDatagramsClaimNothing) {
  MCNET_REQUIRE_NETNS();
  MCNET_REQUIRE_PROGRAM(python, "python3", "python3");
  const auto [streams, total] = forged_run(python, unproven_program, "239.255.93.7", 3);
  const auto eight = sender_stream(streams, 8), nine = sender_stream(streams, 9), ten = sender_stream(streams, 10);
  EXPECT_EQ(field(eight, "packets"), 451) << eight;
  EXPECT_EQ(field(eight, "lost"), 50) << "the drops, the last one shown by the real END " << eight;
  EXPECT_EQ(field(eight, "jumps"), 1) << eight;
  EXPECT_EQ(field(nine, "packets"), 452) << nine;
  EXPECT_EQ(field(nine, "lost"), 49) << "the drops up to 498; the pair claims nothing " << nine;
  EXPECT_EQ(field(nine, "jumps"), 2) << nine;
  EXPECT_EQ(field(nine, "restarts"), 0) << nine;
  EXPECT_EQ(field(ten, "packets"), 601) << ten;
  EXPECT_EQ(field(ten, "lost"), 0) << ten;
  EXPECT_EQ(field(ten, "restarts"), 1) << "the new epoch stands " << ten;
  EXPECT_EQ(field(ten, "jumps"), 1) << "the stray datagram " << ten;
  EXPECT_EQ(total["lost"], 99) << total;
}

// argv: group port. A live feed of sender id 6 sends 0 to 699 (every tenth
// missing) of a run of 1000 and its END 1000 three times (the tail 700..999
// lost on the way); after 300 a forger sends END 350 twice.
constexpr const char* forged_end_program = R"(
import socket, struct, sys, time
group, port = sys.argv[1], int(sys.argv[2])
def header(flags, seq, length):
    return struct.pack('>4sBBHIIQQII', b'MCN1', 1, flags, 40, 6, 6, seq, time.time_ns(), length, 0)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
for n in range(700):
    if n % 10 != 9:
        s.sendto(header(0, n, 64) + bytes(24), (group, port))
        time.sleep(0.0003)
    if n == 300:
        for _ in range(2):
            s.sendto(header(1, 350, 40), (group, port))
for _ in range(3):
    s.sendto(header(1, 1000, 40), (group, port))
    time.sleep(0.02)
)";

// A forged END in the middle of a feed is forgotten when the feed goes on
// past it, and the real END counts the real tail.
TEST(NetHostileSender, AForgedEndMidStreamHidesNoTail) {
  MCNET_REQUIRE_NETNS();
  MCNET_REQUIRE_PROGRAM(python, "python3", "python3");
  auto net = test::network::lan(2);
  const auto& rx_host = (*net)[1];
  const auto port = std::to_string(free_port(rx_host));
  const std::string group = "239.255.93.6";
  receiver rx(rx_host, {"-i", "eth0", "--max-loss", "10", group + ":" + port});
  ASSERT_TRUE(rx.joined()) << rx.output();
  const auto live = (*net)[0].exec({python, "-c", forged_end_program, group, port}, {}, 30s);
  ASSERT_TRUE(live.status.success()) << live.output;
  const auto r = rx.finish();
  EXPECT_EQ(r.status.code, 3) << r.output;
  const auto streams = summary_streams(r.standard_output);
  ASSERT_EQ(streams.size(), 1u) << r.output;
  EXPECT_EQ(field(streams[0], "packets"), 630) << streams[0];
  EXPECT_EQ(field(streams[0], "lost"), 70 + 300) << "the drops and the real tail " << streams[0];
  EXPECT_EQ(field(streams[0], "jumps"), 0) << streams[0];
}

// argv: group port. 100 streams of two datagrams each (random sender ids):
// not single-datagram, not ended, not idle, so none can be evicted.
constexpr const char* pairs_program = R"(
import random, socket, struct, sys, time
group, port = sys.argv[1], int(sys.argv[2])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
rng = random.Random(7)
for i in range(100):
    ident = rng.randrange(1000, 2**31)
    for seq in (0, 1):
        s.sendto(struct.pack('>4sBBHIIQQII', b'MCN1', 1, 0, 40, ident, 1, seq, time.time_ns(), 64, 0) + bytes(24),
                 (group, port))
        time.sleep(0.0003)
)";

// Streams without loss cannot dilute a feed's loss below --max-loss: each
// stream is held to it as well as the total.
TEST(NetHostileSender, JunkStreamsDoNotDiluteAFeedsLoss) {
  MCNET_REQUIRE_NETNS();
  MCNET_REQUIRE_PROGRAM(python, "python3", "python3");
  auto net = test::network::lan(3);
  const auto& rx_host = (*net)[2];
  const auto port = std::to_string(free_port(rx_host));
  const std::string group = "239.255.93.4";
  receiver rx(rx_host, {"-i", "eth0", "--max-loss", "9.5", group + ":" + port});
  ASSERT_TRUE(rx.joined()) << rx.output();
  const auto junk = (*net)[0].exec({python, "-c", pairs_program, group, port}, {}, 20s);
  ASSERT_TRUE(junk.status.success()) << junk.output;
  const auto real = test::tools::send(
      (*net)[1], {"-i", "eth0", "-c", "1000", "-r", "5000pps", "--drop-every", "10", group + ":" + port});
  ASSERT_TRUE(real.status.success()) << real.output;
  const auto r = rx.finish();
  EXPECT_EQ(r.status.code, 3) << "the feed lost 10 %\n" << r.output;
  const auto events = json_lines(r.standard_output);
  const auto* summary = find_event(events, "summary");
  ASSERT_NE(summary, nullptr) << r.output;
  // The junk streams, two datagrams each and no END, have no pace to
  // stall from (each stream its own stall watch, trial t20r H1: the
  // flow's made their tails unknown, and the total null, by timing).
  const auto& total = (*summary)["total"];
  EXPECT_EQ(total["tail_unknown"], 0) << total;
  EXPECT_LT(total["loss_percent"].get<double>(), 9.5) << "the total alone is diluted";
  bool named = false;
  for (const auto& e : events) {
    if (e["event"] == "error" && e["code"] == "loss" &&
        e["message"].get<std::string>().find("of the stream " + group + ":" + port + " from " +
                                             (*net)[1].v4().to_string()) != std::string::npos) {
      named = true;
    }
  }
  EXPECT_TRUE(named) << r.standard_output;
}

// argv: group port. 300 single datagrams of random sender ids in ~0.1 s.
constexpr const char* singles_program = R"(
import random, socket, struct, sys, time
group, port = sys.argv[1], int(sys.argv[2])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
rng = random.Random(11)
for i in range(300):
    s.sendto(struct.pack('>4sBBHIIQQII', b'MCN1', 1, 0, 40, rng.randrange(1000, 2**31), 1, 0, time.time_ns(), 64, 0)
             + bytes(24), (group, port))
    time.sleep(0.0002)
)";

// A burst of single datagrams just before a real feed: the young junk goes
// before the feed is left untracked.
TEST(NetHostileSender, ABurstOfSingleDatagramsMakesRoomForARealFeed) {
  MCNET_REQUIRE_NETNS();
  MCNET_REQUIRE_PROGRAM(python, "python3", "python3");
  auto net = test::network::lan(3);
  const auto& rx_host = (*net)[2];
  const auto port = std::to_string(free_port(rx_host));
  const std::string group = "239.255.93.5";
  receiver rx(rx_host, {"-i", "eth0", "--max-streams", "64", "--max-loss", "50", group + ":" + port});
  ASSERT_TRUE(rx.joined()) << rx.output();
  const auto junk = (*net)[0].exec({python, "-c", singles_program, group, port}, {}, 20s);
  ASSERT_TRUE(junk.status.success()) << junk.output;
  const auto real = test::tools::send((*net)[1], {"-i", "eth0", "-c", "200", "-r", "5000pps", group + ":" + port});
  ASSERT_TRUE(real.status.success()) << real.output;
  const auto r = rx.finish();
  EXPECT_EQ(r.status.code, 0) << r.output;
  const auto streams = summary_streams(r.standard_output);
  const auto real_streams = streams_from(streams, (*net)[1].v4().to_string());
  ASSERT_EQ(real_streams.size(), 1u) << r.output;
  EXPECT_EQ(field(real_streams[0], "packets"), 200) << real_streams[0];
  const auto events = json_lines(r.standard_output);
  const auto* summary = find_event(events, "summary");
  ASSERT_NE(summary, nullptr);
  EXPECT_EQ((*summary)["total"]["untracked"], 0) << (*summary)["total"];
}

// argv: group port. 100 streams of nine datagrams each (random sender
// ids): more than small_stream, so each keeps its place until idle for
// idle_after (10 s) and a table of 64 has no room for the real feed.
// (Pairs no longer do: two-datagram junk that stopped is overdue by its own
// pace and gives its place, trial h16x M4.)
constexpr const char* nines_program = R"(
import random, socket, struct, sys, time
group, port = sys.argv[1], int(sys.argv[2])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
rng = random.Random(9)
for i in range(100):
    ident = rng.randrange(1000, 2**31)
    for seq in range(9):
        s.sendto(struct.pack('>4sBBHIIQQII', b'MCN1', 1, 0, 40, ident, 1, seq, time.time_ns(), 64, 0) + bytes(24),
                 (group, port))
        time.sleep(0.0003)
)";

// A table full of streams that cannot be evicted leaves a real feed
// untracked: its loss is unknown, so --max-loss cannot pass.
TEST(NetHostileSender, UntrackedDatagramsFailMaxLoss) {
  MCNET_REQUIRE_NETNS();
  MCNET_REQUIRE_PROGRAM(python, "python3", "python3");
  auto net = test::network::lan(3);
  const auto& rx_host = (*net)[2];
  const auto port = std::to_string(free_port(rx_host));
  const std::string group = "239.255.93.3";
  receiver rx(rx_host, {"-i", "eth0", "--max-streams", "64", "--max-loss", "50", group + ":" + port});
  ASSERT_TRUE(rx.joined()) << rx.output();
  const auto junk = (*net)[0].exec({python, "-c", nines_program, group, port}, {}, 20s);
  ASSERT_TRUE(junk.status.success()) << junk.output;
  const auto real = test::tools::send((*net)[1], {"-i", "eth0", "-c", "200", "-r", "5000pps", group + ":" + port});
  ASSERT_TRUE(real.status.success()) << real.output;
  const auto r = rx.finish();
  EXPECT_EQ(r.status.code, 3) << r.output;
  test::tools::expect_schema_conform(r.standard_output);
  const auto events = json_lines(r.standard_output);
  const auto* summary = find_event(events, "summary");
  ASSERT_NE(summary, nullptr) << r.output;
  EXPECT_GE((*summary)["total"]["untracked"].get<std::uint64_t>(), 200u) << (*summary)["total"];
  EXPECT_TRUE((*summary)["total"]["loss_percent"].is_null()) << "unknown, not 0.0: " << (*summary)["total"];
  bool warned = false, failed = false;
  for (const auto& e : events) {
    if (e["event"] == "warning" && e["code"] == "untracked") warned = true;
    if (e["event"] == "error" && e["code"] == "loss_unknown") failed = true;
  }
  EXPECT_TRUE(warned) << "the untracked warning is a JSON event too\n" << r.standard_output;
  EXPECT_TRUE(failed) << r.standard_output;
}

// argv: group port count. `count` streams of two datagrams each (random
// sender ids), sent as fast as the socket takes them.
constexpr const char* flood_program = R"(
import random, socket, struct, sys, time
group, port, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
rng = random.Random(16)
for i in range(count):
    ident = rng.randrange(1000, 2**31)
    for seq in (0, 1):
        s.sendto(struct.pack('>4sBBHIIQQII', b'MCN1', 1, 0, 40, ident, 1, seq, time.time_ns(), 64, 0) + bytes(24),
                 (group, port))
    if i % 50 == 49:
        time.sleep(0.002)
)";

// Issue 16, hostile trial 5: a flood of 3,000 two-datagram sender ids
// against --max-streams 64 (and 4,200 against the default 4,096) that went
// quiet a second before the real feed: the small idle streams make room, so
// the feed is tracked and its loss exact, and --max-loss sees it.
TEST(NetHostileSender, AFloodOfSmallStreamsMakesRoomOnceIdle) {
  MCNET_REQUIRE_NETNS();
  MCNET_REQUIRE_PROGRAM(python, "python3", "python3");
  auto net = test::network::lan(3);
  const auto& rx_host = (*net)[2];
  const std::vector<std::pair<std::string, std::string>> cases = {{"64", "3000"}, {"4096", "4200"}};
  for (const auto& [limit, ids] : cases) {
    SCOPED_TRACE(limit + " streams, " + ids + " ids");
    const auto port = std::to_string(free_port(rx_host));
    const std::string group = "239.255.93.11";
    receiver rx(rx_host, {"-i", "eth0", "--max-streams", limit, "--max-loss", "5", group + ":" + port});
    ASSERT_TRUE(rx.joined()) << rx.output();
    const auto junk = (*net)[0].exec({python, "-c", flood_program, group, port, ids}, {}, 60s);
    ASSERT_TRUE(junk.status.success()) << junk.status.describe() << "\n" << junk.output;
    std::this_thread::sleep_for(1200ms);
    const auto real = test::tools::send((*net)[1], {"-i", "eth0", "-c", "1000", "-r", "5000pps", "--drop-every",
                                                    "10", "--id", "99", group + ":" + port});
    ASSERT_TRUE(real.status.success()) << real.output;
    // The summary of 4,096 streams takes ~0.2 s in the release build but
    // 2.6 s under ASan, 4.7 s beside another test on 2 cores: the default
    // 5 s before SIGKILL is too short there.
    const auto r = rx.finish(std::chrono::milliseconds(300), std::chrono::seconds(30));
    EXPECT_EQ(r.status.code, 3) << "10 % of the real feed was dropped\n" << r.output;
    const auto streams = summary_streams(r.standard_output);
    const auto real_streams = streams_from(streams, (*net)[1].v4().to_string());
    ASSERT_EQ(real_streams.size(), 1u) << "the real feed found its place\n" << r.output;
    EXPECT_EQ(field(real_streams[0], "packets"), 900) << real_streams[0];
    EXPECT_EQ(field(real_streams[0], "lost"), 100) << real_streams[0];
    const auto events = json_lines(r.standard_output);
    const auto* summary = find_event(events, "summary");
    ASSERT_NE(summary, nullptr) << r.output;
    const auto& total = (*summary)["total"];
    EXPECT_EQ(total["lost"], 100) << total;
    // The flood's own datagrams past a full table of young streams are
    // untracked: then the run's ratio is unknown, not a diluted figure.
    if (total["untracked"].get<std::uint64_t>() > 0) {
      EXPECT_TRUE(total["loss_percent"].is_null()) << total;
    }
  }
}

// argv: group port seconds. One-datagram streams (random sender ids and
// sessions), 100 a second until `seconds` have passed by its clock (a
// count of 10 ms sleeps ran 11 s of 7 on a loaded machine, past the feed's
// end); "sending" on stdout once 20 are out, more than --max-streams 16.
constexpr const char* junk_program = R"(
import random, socket, struct, sys, time
group, port, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
rng = random.Random(1616)
end = time.monotonic() + seconds
sent = 0
while time.monotonic() < end:
    s.sendto(struct.pack('>4sBBHIIQQII', b'MCN1', 1, 0, 40, rng.randrange(1000, 2**31), rng.randrange(2**31), 0,
                         time.time_ns(), 64, 0) + bytes(24), (group, port))
    sent += 1
    if sent == 20:
        print('sending', flush=True)
    time.sleep(0.01)
)";

// Issue 16, trial16c 1: a feed slower than one datagram a second (0.8/s,
// numbers 3 and 7 dropped) under a flood of one-datagram junk streams that
// keeps --max-streams 16 full: the feed's stream is evicted between two of
// its datagrams. Each one used to come back as a new stream of one
// datagram, its loss hidden and its END stray; now it resumes its stream
// (the record of the evicted key), so both numbers count as lost.
TEST(NetHostileSender, ASlowFeedEvictedByJunkResumesAndShowsItsLoss) {
  MCNET_REQUIRE_NETNS();
  MCNET_REQUIRE_PROGRAM(python, "python3", "python3");
  auto net = test::network::lan(3);
  const auto& rx_host = (*net)[2];
  const auto port = std::to_string(free_port(rx_host));
  const std::string group = "239.255.93.16";
  receiver rx(rx_host, {"-i", "eth0", "--max-streams", "16", "--max-loss", "5", group + ":" + port});
  ASSERT_TRUE(rx.joined()) << rx.output();
  // 7 s of junk, the feed started once the table is full of it (the feed
  // takes 11 s): the feed's number 3 is missed while it is evicted, 7 after
  // the junk; its stream is in the table at the end.
  auto junk = (*net)[0].start({python, "-c", junk_program, group, port, "7"});
  for (int i = 0; i < 3000 && junk.standard_output().find("sending") == std::string::npos; ++i) {
    if (junk.wait_for(10ms)) break;  // it ended (an error)
  }
  ASSERT_NE(junk.standard_output().find("sending"), std::string::npos) << junk.output();
  const auto real = test::tools::send((*net)[1], {"-i", "eth0", "-c", "10", "-r", "0.8pps", "--drop-every", "4", "--id",
                                                  "99", group + ":" + port},
                                      40s);
  ASSERT_TRUE(real.status.success()) << real.output;
  const auto junk_status = junk.wait_for(30s);
  ASSERT_TRUE(junk_status && junk_status->success()) << junk.output();
  const auto r = rx.finish();
  EXPECT_EQ(r.status.code, 3) << "2 of the feed's 10 numbers were dropped: above --max-loss 5\n" << r.output;
  test::tools::expect_schema_conform(r.standard_output);
  const auto streams = summary_streams(r.standard_output);
  const auto real_streams = streams_from(streams, (*net)[1].v4().to_string());
  ASSERT_EQ(real_streams.size(), 1u) << "one stream, resumed, not one per datagram\n" << r.output;
  const auto& s = real_streams[0];
  EXPECT_EQ(field(s, "sender_id"), 99) << s;
  EXPECT_EQ(field(s, "packets"), 8) << s;
  EXPECT_EQ(field(s, "lost"), 2) << "3 and 7 " << s;
  EXPECT_EQ(field(s, "jumps"), 0) << s;
  const auto events = json_lines(r.standard_output);
  const auto* summary = find_event(events, "summary");
  ASSERT_NE(summary, nullptr) << r.output;
  const auto& total = (*summary)["total"];
  EXPECT_GE(total["evicted"].get<std::uint64_t>(), 1u) << total;
  EXPECT_GE(total["resumed"].get<std::uint64_t>(), 1u) << total;
  EXPECT_EQ(total["stray_ends"], 0) << "the feed's END markers are its stream's: " << total;
  EXPECT_EQ(total["untracked"], 0) << total;
  EXPECT_EQ(total["lost"], 2) << total;
  EXPECT_EQ(total["kernel_drops"], 0) << total;
}

// argv: group port. One stream (sender id 11) of ten datagrams: 0 to 9 with
// the sender's clock, but 3, 5 and 7 carry send times of 0, the year 2100
// and 2^64 - 1; then a datagram numbered 500 whose length field says 1000 of
// its 64 bytes, and an END of 10 whose length field says 64.
constexpr const char* clock_program = R"(
import socket, struct, sys, time
group, port = sys.argv[1], int(sys.argv[2])
def header(flags, seq, sent, length):
    return struct.pack('>4sBBHIIQQII', b'MCN1', 1, flags, 40, 11, 11, seq, sent, length, 0)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
forged = {3: 0, 5: 4102444800 * 10**9, 7: 2**64 - 1}
for seq in range(10):
    s.sendto(header(0, seq, forged.get(seq, time.time_ns()), 64) + bytes(24), (group, port))
    time.sleep(0.001)
s.sendto(header(0, 500, time.time_ns(), 1000) + bytes(24), (group, port))
s.sendto(header(1, 10, time.time_ns(), 64), (group, port))
)";

// Send times far from the receiver's clock are clock errors, not latency of
// -73 years; a length field that lies is counted and its number believed by
// nothing (no 490 lost); an END whose length lies ends nothing.
TEST(NetHostileSender, ForgedSendTimesAndLengthsLeaveLatencyAndLossSane) {
  MCNET_REQUIRE_NETNS();
  MCNET_REQUIRE_PROGRAM(python, "python3", "python3");
  auto net = test::network::lan(2);
  const auto& rx_host = (*net)[1];
  const auto port = std::to_string(free_port(rx_host));
  const std::string group = "239.255.93.9";
  receiver rx(rx_host, {"-i", "eth0", "--show-packets", group + ":" + port});
  ASSERT_TRUE(rx.joined()) << rx.output();
  const auto forger = (*net)[0].exec({python, "-c", clock_program, group, port}, {}, 20s);
  ASSERT_TRUE(forger.status.success()) << forger.status.describe() << "\n" << forger.output;
  const auto r = rx.finish_clean();
  const auto streams = summary_streams(r.standard_output);
  ASSERT_EQ(streams.size(), 1u) << r.output;
  const auto& st = streams[0];
  EXPECT_EQ(field(st, "packets"), 11) << st;
  EXPECT_EQ(field(st, "clock_errors"), 3) << st;
  EXPECT_EQ(field(st, "length_errors"), 2) << st;
  EXPECT_EQ(field(st, "lost"), 0) << "500 was not believed, nor the END: " << st;
  const auto& latency = field(st, "latency_ns");
  ASSERT_TRUE(latency.is_object()) << st;
  EXPECT_GE(latency["min"].get<std::int64_t>(), 0) << st;
  EXPECT_LT(latency["max"].get<std::int64_t>(), 1'000'000'000) << st;
  ASSERT_TRUE(field(st, "jitter_ns").is_number()) << st;
  EXPECT_LT(field(st, "jitter_ns").get<double>(), 1e9) << st;
  // The warning, the packet events and the summary say the same: the two
  // length errors are in the mcnet stream, with no number, not malformed.
  EXPECT_NE(r.output.find("length field (1000) is not its size (64): counted in its stream's length_errors"),
            std::string::npos)
      << r.output;
  EXPECT_EQ(r.output.find("raw stream"), std::string::npos) << r.output;
  int length_events = 0;
  for (const auto& e : test::tools::json_lines(r.standard_output)) {
    if (e["event"] != "packet" || !e.contains("length_error")) continue;
    ++length_events;
    EXPECT_TRUE(e["seq"].is_null()) << e;
    EXPECT_FALSE(e.contains("malformed")) << e;
    EXPECT_EQ(e["payload"], "mcnet") << e;
  }
  EXPECT_EQ(length_events, 2) << r.output;
}

// argv: group port. Issue 16, hostile trial 5. Sender id 21: a receiver
// joined a running sender at 500000 (numbers 500000 to 500999) and after
// 500100 a forger sends 440000 once. Sender id 22: numbers 0 to 999, every
// tenth missing, then a forger's 8 numbers 4000 to 4007, then the sender's
// END 1000 three times. Sender id 23: the same with the 8 at 2^40.
const std::string below_and_tail_program = send_prelude + R"(
for n in range(500000, 501000):
    send(21, 0, n)
    if n == 500100:
        send(21, 0, 440000)
for _ in range(3):
    send(21, 1, 501000, 40)
for ident, at in ((22, 4000), (23, 2**40)):
    for n in range(1000):
        if n % 10 != 9:
            send(ident, 0, n)
    for k in range(8):
        send(ident, 0, at + k)
    for _ in range(3):
        send(ident, 1, 1000, 40)
        time.sleep(0.02)
)";

// A forged number far below a stream's start claims nothing (it claimed
// 59,999 lost), and a forged burst between the sender's last datagram and
// its three ENDs is taken back by them at the end of the run (it claimed
// 3,000 lost, or made a new epoch that hid the tail).
TEST(NetHostileSender, NumbersBelowTheStartAndATailBurstBeforeTheEndClaimNothing) {
  MCNET_REQUIRE_NETNS();
  MCNET_REQUIRE_PROGRAM(python, "python3", "python3");
  const auto [streams, total] = forged_run(python, below_and_tail_program, "239.255.93.21", 3);
  const auto below = sender_stream(streams, 21);
  EXPECT_EQ(field(below, "packets"), 1001) << below;
  EXPECT_EQ(field(below, "lost"), 0) << "not 59,999 " << below;
  EXPECT_EQ(field(below, "jumps"), 1) << below;
  for (const int id : {22, 23}) {
    const auto tail = sender_stream(streams, id);
    EXPECT_EQ(field(tail, "packets"), 908) << tail;
    EXPECT_EQ(field(tail, "lost"), 100) << "the drops and 999, not 3,100 " << tail;
    EXPECT_EQ(field(tail, "jumps"), 8) << tail;
    EXPECT_EQ(field(tail, "restarts"), 0) << tail;
  }
  EXPECT_EQ(total["lost"], 200) << total;
}

// argv: group port. Issue 16, fresh-user trial. Sender id 31: numbers 0
// to 999, every tenth missing, and after 900 one forged number 300 ahead
// (1200); the sender's END 1000 three times. Sender id 32: a forged 5000
// before the sender's first datagram, then the same feed. Sender id 33: a
// real loss burst, numbers 0 to 1099 but 500 to 599, END 1100 three times.
const std::string near_and_first_program = send_prelude + R"(
for ident, forged_first, forged_after in ((31, None, 900), (32, 5000, None)):
    if forged_first is not None:
        send(ident, 0, forged_first)
    for n in range(1000):
        if n % 10 != 9:
            send(ident, 0, n)
        if n == forged_after:
            send(ident, 0, n + 300)
    for _ in range(3):
        send(ident, 1, 1000, 40)
        time.sleep(0.02)
for n in range(1100):
    if not 500 <= n < 600:
        send(33, 0, n)
for _ in range(3):
    send(33, 1, 1100, 40)
    time.sleep(0.02)
)";

// One forged number a few hundred ahead near the tail claimed its distance
// lost (the sender's next numbers counted as reordered, its END refused);
// one before the sender's first became the start (the sender's numbers
// below it). Both claim nothing now; a real burst of 100 is still lost.
TEST(NetHostileSender, ANearForgedNumberOrAForgedFirstNumberClaimsNothing) {
  MCNET_REQUIRE_NETNS();
  MCNET_REQUIRE_PROGRAM(python, "python3", "python3");
  const auto [streams, total] = forged_run(python, near_and_first_program, "239.255.93.31", 3);
  for (const int id : {31, 32}) {
    const auto s = sender_stream(streams, id);
    EXPECT_EQ(field(s, "packets"), 901) << s;
    EXPECT_EQ(field(s, "lost"), 100) << "the drops and 999, not the forged distance " << s;
    EXPECT_EQ(field(s, "jumps"), 1) << s;
    EXPECT_EQ(field(s, "reordered"), 0) << "the sender's numbers are in order " << s;
    EXPECT_EQ(field(s, "restarts"), 0) << s;
  }
  const auto burst = sender_stream(streams, 33);
  EXPECT_EQ(field(burst, "packets"), 1000) << burst;
  EXPECT_EQ(field(burst, "lost"), 100) << "a real burst is loss " << burst;
  EXPECT_EQ(field(burst, "jumps"), 0) << burst;
  EXPECT_EQ(total["lost"], 300) << total;
}

// argv: group_a group_b port. Issue 16, fresh-user trial with --line: a
// forger sends 5000 and 5001 on line A before the line's first datagram;
// then sender id 34 sends numbers 0 to 999 on A (every tenth missing) and
// B (every fifteenth missing, flagged as B copies) and END 1000 three
// times on each line.
const std::string forged_line_program = R"(
import socket, struct, sys, time
group_a, group_b, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
def send(group, flags, seq, length=64):
    s.sendto(struct.pack('>4sBBHIIQQII', b'MCN1', 1, flags, 40, 34, 34, seq, time.time_ns(), length, 0) +
             bytes(length - 40), (group, port))
    time.sleep(0.0003)
send(group_a, 0, 5000)
send(group_a, 0, 5001)
for n in range(1000):
    if n % 10 != 9:
        send(group_a, 0, n)
    if n % 15 != 14:
        send(group_b, 2, n)
for _ in range(3):
    send(group_a, 1, 1000, 40)
    send(group_b, 3, 1000, 40)
    time.sleep(0.02)
)";

// Forged numbers on a line before its first real datagram lowered the
// line's gaps (they counted as numbers it carried) and, as the merged
// start, claimed the feed's numbers below them lost: the line's and the
// merge's counts are the ones without them, which count as jumps.
TEST(NetHostileSender, ForgedNumbersBeforeALinesFirstLeaveTheLinesCountsAlone) {
  MCNET_REQUIRE_NETNS();
  MCNET_REQUIRE_PROGRAM(python, "python3", "python3");
  auto net = test::network::lan(2);
  const auto& rx_host = (*net)[1];
  const std::string a_group = "239.255.93.34", b_group = "239.255.94.34";
  const auto port = std::to_string(free_port(rx_host));
  receiver rx(rx_host, {"-i", "eth0", "--max-loss", "11", "--line", "A=" + a_group + ":" + port, "--line",
                        "B=" + b_group + ":" + port});
  ASSERT_TRUE(rx.joined()) << rx.output();
  const auto live = (*net)[0].exec({python, "-c", forged_line_program, a_group, b_group, port}, {}, 30s);
  EXPECT_TRUE(live.status.success()) << live.status.describe() << "\n" << live.output;
  const auto r = rx.finish();
  EXPECT_EQ(r.status.code, 0) << r.output;
  test::tools::expect_schema_conform(r.standard_output);
  const auto events = json_lines(r.standard_output);
  const auto* summary = find_event(events, "summary");
  ASSERT_NE(summary, nullptr) << r.output;
  const auto& lines = field(*summary, "lines");
  EXPECT_EQ(field(field(lines, "A"), "gaps"), 100) << "numbers of the feed A missed " << lines;
  EXPECT_EQ(field(field(lines, "A"), "packets"), 902) << lines;
  EXPECT_EQ(field(field(lines, "B"), "gaps"), 66) << lines;
  EXPECT_EQ(field(field(lines, "merged"), "lost"), 33) << lines;
  EXPECT_EQ(field(field(lines, "merged"), "delivered"), 967) << lines;
  EXPECT_EQ(field(field(lines, "merged"), "jumps"), 2) << lines;
  EXPECT_EQ(field(field(lines, "merged"), "duplicates_dropped"), 900 + 934 - 967) << lines;
  for (const auto& st : summary_streams(r.standard_output)) {
    const bool on_a = field(st, "group") == a_group;
    EXPECT_EQ(field(st, "lost"), on_a ? 100 : 66) << st;
    EXPECT_EQ(field(st, "jumps"), on_a ? 2 : 0) << st;
    EXPECT_EQ(field(st, "reordered"), 0) << st;
  }
}

// argv: group port count. `count` datagrams of one sender id, as fast as the
// socket takes them (a receiver with a small buffer drops most).
constexpr const char* blast_program = R"(
import socket, struct, sys, time
group, port, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
for n in range(count):
    s.sendto(struct.pack('>4sBBHIIQQII', b'MCN1', 1, 0, 40, 99, 1, n, time.time_ns(), 1000, 0) + bytes(960),
             (group, port))
)";

// Issue 16, hostile trial 5: with datagrams untracked the summary's
// loss_percent is null, and the exit-3 error says the loss is unknown
// rather than "loss N % is above --max-loss" (N from the kernel's drops).
TEST(NetHostileSender, TheMaxLossErrorAgreesWithAnUnknownTotal) {
  MCNET_REQUIRE_NETNS();
  MCNET_REQUIRE_PROGRAM(python, "python3", "python3");
  auto net = test::network::lan(3);
  const auto& rx_host = (*net)[2];
  const auto port = std::to_string(free_port(rx_host));
  const std::string group = "239.255.93.22";
  receiver rx(rx_host,
              {"-i", "eth0", "--max-streams", "64", "--rcvbuf", "4096", "--max-loss", "1", group + ":" + port});
  ASSERT_TRUE(rx.joined()) << rx.output();
  // Streams of nine datagrams fill the table (pairs give their place now,
  // trial h16x M4): the blast is untracked.
  const auto junk = (*net)[0].exec({python, "-c", nines_program, group, port}, {}, 20s);
  ASSERT_TRUE(junk.status.success()) << junk.output;
  const auto blast = (*net)[1].exec({python, "-c", blast_program, group, port, "20000"}, {}, 30s);
  ASSERT_TRUE(blast.status.success()) << blast.output;
  const auto r = rx.finish();
  EXPECT_EQ(r.status.code, 3) << r.output;
  const auto events = json_lines(r.standard_output);
  const auto* summary = find_event(events, "summary");
  ASSERT_NE(summary, nullptr) << r.output;
  EXPECT_GT((*summary)["total"]["untracked"].get<std::uint64_t>(), 0u) << (*summary)["total"];
  EXPECT_TRUE((*summary)["total"]["loss_percent"].is_null()) << (*summary)["total"];
  const json* error = nullptr;
  for (const auto& e : events) {
    if (e["event"] == "error") error = &e;
  }
  ASSERT_NE(error, nullptr) << r.standard_output;
  // No total to be above --max-loss: the error says the loss is unknown, or
  // (when the kernel dropped some of the blast's datagrams at this tiny
  // buffer, as a loaded machine makes it do) names the stream whose own
  // loss is above the limit; never a total's percentage.
  const auto code = (*error)["code"].get<std::string>();
  const auto message = (*error)["message"].get<std::string>();
  if (code == "loss") {
    EXPECT_NE(message.find("of the stream " + group), std::string::npos) << *error;
  } else {
    EXPECT_EQ(code, "loss_unknown") << "the summary gives no total to be above --max-loss: " << *error;
  }
}

// argv: group port. Issue 16, hostile trial 16. Sender id 41: numbers 0 to
// 999, every tenth missing, and after 900 a forged pair 300 ahead (1200,
// 1201); END 1000 three times. Sender id 42: 20 forged numbers 5000 to 5019
// before the sender's first, then the same feed. Sender id 43: the same
// feed with an outage (400 to 599 lost) and a forged END 450 inside it.
const std::string trial16_program = send_prelude + R"(
for ident in (41, 42, 43):
    if ident == 42:
        for k in range(20):
            send(ident, 0, 5000 + k)
    for n in range(1000):
        if n % 10 != 9 and not (ident == 43 and 400 <= n < 600):
            send(ident, 0, n)
        if ident == 41 and n == 900:
            send(ident, 0, 1200)
            send(ident, 0, 1201)
        if ident == 43 and n == 399:
            send(ident, 1, 450, 40)
    for _ in range(3):
        send(ident, 1, 1000, 40)
        time.sleep(0.02)
)";

// A forged pair near the tail kept its claim (200 lost, the real END
// refused); 20 forged numbers before the sender's first made the feed's
// numbers jumps (its loss hidden); a forged END inside an outage made the
// numbers after it jumps and lost. Each feed's counts are its own now.
TEST(NetHostileSender, ForgedPairsStartsAndEndsOfTrial16ClaimNothing) {
  MCNET_REQUIRE_NETNS();
  MCNET_REQUIRE_PROGRAM(python, "python3", "python3");
  auto net = test::network::lan(2);
  const auto& rx_host = (*net)[1];
  const auto port = std::to_string(free_port(rx_host));
  const std::string group = "239.255.93.16";
  receiver rx(rx_host, {"-i", "eth0", "--max-loss", "28.5", group + ":" + port});
  ASSERT_TRUE(rx.joined()) << rx.output();
  const auto live = (*net)[0].exec({python, "-c", trial16_program, group, port}, {}, 30s);
  ASSERT_TRUE(live.status.success()) << live.status.describe() << "\n" << live.output;
  const auto r = rx.finish();
  EXPECT_EQ(r.status.code, 0) << "28 % lost at most: within --max-loss 28.5\n" << r.output;
  test::tools::expect_schema_conform(r.standard_output);
  const auto streams = summary_streams(r.standard_output);
  ASSERT_EQ(streams.size(), 3u) << r.output;
  const auto stream_of = [&streams](int id) {
    const auto it = std::find_if(streams.begin(), streams.end(), [id](const json& j) { return j["sender_id"] == id; });
    return it == streams.end() ? json() : *it;
  };
  const auto pair = stream_of(41);
  EXPECT_EQ(field(pair, "packets"), 902) << pair;
  EXPECT_EQ(field(pair, "lost"), 100) << "the drops, not the forged distance " << pair;
  EXPECT_EQ(field(pair, "jumps"), 2) << pair;
  EXPECT_EQ(field(pair, "reordered"), 0) << pair;
  const auto start = stream_of(42);
  EXPECT_EQ(field(start, "packets"), 920) << start;
  EXPECT_EQ(field(start, "lost"), 100) << "the feed's loss, not hidden " << start;
  EXPECT_EQ(field(start, "jumps"), 20) << start;
  EXPECT_EQ(field(start, "reordered"), 0) << start;
  const auto end = stream_of(43);
  EXPECT_EQ(field(end, "packets"), 720) << end;
  EXPECT_EQ(field(end, "lost"), 280) << "the drops and the outage " << end;
  EXPECT_EQ(field(end, "jumps"), 0) << end;
  EXPECT_EQ(field(end, "restarts"), 0) << end;
}

// argv: group port. Issue 16, hostile trial 16: a MoldUDP64 session of
// 1,000 packets of 3 messages (1 to 3000), every tenth packet missing;
// after packet 500 a forger's two heartbeats with next 100,000 and a packet
// of 3 messages from 2^64 - 2 (past 2^64 - 1); end of session 3001 three
// times.
const std::string mold_trial16_program = R"(
import socket, struct, sys, time
group, port = sys.argv[1], int(sys.argv[2])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
def send(seq, count, messages=()):
    s.sendto(struct.pack('>10sQH', b'T16SESS   ', seq, count) +
             b''.join(struct.pack('>H', len(m)) + m for m in messages), (group, port))
    time.sleep(0.0003)
for p in range(1000):
    if p % 10 != 9:
        send(1 + 3 * p, 3, (b'abcdefgh',) * 3)
    if p == 500:
        send(100000, 0)
        send(100000, 0)
        send(2**64 - 2, 3, (b'abcdefgh',) * 3)
for _ in range(3):
    send(3001, 0xFFFF)
    time.sleep(0.02)
)";

// Two forged heartbeats far ahead claimed ~97,000 lost messages while the
// live sender went on; a packet whose numbers wrap past 2^64 counted
// message 0. The heartbeats are taken back, the wrapping packet is
// malformed, and the loss is the session's own 300 messages.
TEST(NetHostileSender, ForgedFarHeartbeatsAndAWrappingMoldPacketClaimNothing) {
  MCNET_REQUIRE_NETNS();
  MCNET_REQUIRE_PROGRAM(python, "python3", "python3");
  auto net = test::network::lan(2);
  const auto& rx_host = (*net)[1];
  const auto port = std::to_string(free_port(rx_host));
  const std::string group = "239.255.93.17";
  // No --max-loss: the malformed packet, counted raw, has no loss to check
  // (loss_unknown).
  receiver rx(rx_host, {"-i", "eth0", "--payload", "moldudp64", group + ":" + port});
  ASSERT_TRUE(rx.joined()) << rx.output();
  const auto live = (*net)[0].exec({python, "-c", mold_trial16_program, group, port}, {}, 30s);
  ASSERT_TRUE(live.status.success()) << live.status.describe() << "\n" << live.output;
  const auto r = rx.finish();
  EXPECT_EQ(r.status.code, 0) << r.output;
  test::tools::expect_schema_conform(r.standard_output);
  const auto streams = summary_streams(r.standard_output);
  const auto it = std::find_if(streams.begin(), streams.end(), [](const json& j) { return j["payload"] == "moldudp64"; });
  ASSERT_NE(it, streams.end()) << r.output;
  const auto& s = *it;
  EXPECT_EQ(field(s, "messages"), 2700) << s;
  EXPECT_EQ(field(s, "lost"), 300) << "the session's own loss " << s;
  EXPECT_EQ(field(s, "end_of_session"), 3) << s;
  std::uint64_t malformed = 0;
  for (const auto& st : streams) {
    if (st["malformed"].is_number()) malformed += st["malformed"].get<std::uint64_t>();
  }
  EXPECT_EQ(malformed, 1u) << "the packet past 2^64 - 1 " << r.standard_output;
}

// argv: group port address. Listens to the group on `address` (the live
// feed's own host: its loopback copy), reads a live mcnet feed's sender id,
// session and numbers as any listener on the LAN can, and forges from that
// host (the feed's source): once the feed is past 500, 20 numbers back to
// back, each 1,000 past the one before, from its number + 1,000 (trial16f
// 1a); after its first END, 20 more from the END's count + 100 (1b). Every
// wait is bounded (10 s without a datagram, 20,000 datagrams read).
constexpr const char* chain_program = R"(
import socket, struct, sys, time
group, port, addr = sys.argv[1], int(sys.argv[2]), sys.argv[3]
r = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
r.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
r.bind((group, port))
r.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, socket.inet_aton(group) + socket.inet_aton(addr))
r.settimeout(10)
print('joined', flush=True)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(addr))
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, 0)
def forge(sid, sess, seq):
    s.sendto(struct.pack('>4sBBHIIQQII', b'MCN1', 1, 0, 40, sid, sess, seq, time.time_ns(), 60, 0) + bytes(20),
             (group, port))
mid = end = False
for _ in range(20000):
    d = r.recv(2048)
    if len(d) < 40 or d[:4] != b'MCN1':
        continue
    _, _, flags, _, sid, sess, seq, _, _, _ = struct.unpack('>4sBBHIIQQII', d[:40])
    if not mid and not flags & 1 and seq >= 500:
        for k in range(1, 21):
            forge(sid, sess, seq + 1000 * k)
        mid = True
        print('forged after', seq, flush=True)
    elif mid and flags & 1:
        time.sleep(0.02)
        for k in range(20):
            forge(sid, sess, seq + 100 + 1000 * k)
        end = True
        print('forged after the END of', seq, flush=True)
        break
sys.exit(0 if mid and end else 1)
)";

// Waits until `forger` printed "joined" (at most 20 s: a loaded host), or
// ended.
void await_joined(test::process& forger) {
  for (int i = 0; i < 2000 && forger.standard_output().find("joined") == std::string::npos; ++i) {
    if (forger.wait_for(10ms)) break;
  }
}

// Issue 16, hostile trial 16f (finding 1): a chain of forged numbers, each
// under 1,024 past the one before, added unbounded loss, reordering and
// duplicates to a clean feed, mid-run (a climb with nothing of the live
// sender between its steps) and after its END. The climb is held like a far
// jump, which the live sender's numbers below it take back; past a believed
// END a climb adds nothing. A clean mcast-send feed: lost 0, the forged
// datagrams jumps, --max-loss passes.
TEST(NetHostileSender, AForgedClimbMidRunAndAfterTheEndClaimsNothing) {
  MCNET_REQUIRE_NETNS();
  MCNET_REQUIRE_PROGRAM(python, "python3", "python3");
  auto net = test::network::lan(2);
  const auto& rx_host = (*net)[1];
  const auto& tx_host = (*net)[0];
  const auto port = std::to_string(free_port(rx_host));
  const std::string group = "239.255.93.41";
  receiver rx(rx_host, {"-i", "eth0", "--max-loss", "0.5", group + ":" + port});
  ASSERT_TRUE(rx.joined()) << rx.output();
  auto forger = tx_host.start({python, "-c", chain_program, group, port, tx_host.v4().to_string()});
  await_joined(forger);  // the forger listens before the feed starts
  ASSERT_NE(forger.standard_output().find("joined"), std::string::npos) << forger.output();
  const auto real = test::tools::send(tx_host, {"-i", "eth0", "-c", "3000", "-r", "2000pps", "--id", "41",
                                                group + ":" + port},
                                      40s);
  ASSERT_TRUE(real.status.success()) << real.output;
  const auto forged = forger.wait_for(30s);
  ASSERT_TRUE(forged && forged->success()) << forger.output();
  const auto r = rx.finish();
  test::tools::expect_schema_conform(r.standard_output);
  const auto streams = summary_streams(r.standard_output);
  ASSERT_EQ(streams.size(), 1u) << r.output;
  const auto& st = streams[0];
  // On a loaded host the forger's 20 datagrams may leave between the live
  // sender's: the stream's source port then switches back and forth (8
  // returns or more), which is a second sender's evidence ("ports"): the
  // stream is contested and --max-loss cannot be checked (exit 3, seen in a
  // CI run at 4 tests at once). Sent back to back, nothing contests it and
  // the clean feed passes. Either way the climb claims nothing (below).
  const bool contested = st.contains("conflict") && !st["conflict"].is_null();
  if (contested) {
    EXPECT_EQ(st["conflict"]["evidence"], json::array({"ports"})) << st;
    EXPECT_EQ(r.status.code, tools::exit_loss) << "a contested stream's loss is unknown\n" << r.output;
  } else {
    EXPECT_EQ(r.status.code, tools::exit_ok) << "a clean feed passes --max-loss 0.5\n"
                                             << r.output << "\nforger: " << forger.output();
  }
  EXPECT_EQ(field(st, "sender_id"), 41) << st;
  EXPECT_EQ(field(st, "packets"), 3000 + 40) << st;
  EXPECT_EQ(field(st, "lost"), 0) << st;
  EXPECT_EQ(field(st, "reordered"), 0) << st;
  EXPECT_EQ(field(st, "duplicates"), 0) << st;
  EXPECT_EQ(field(st, "jumps"), 40) << st;
}

// argv: group port address offset. Issue 16, trial16j MEDIUM 3: a forger
// on the live sender's host (so its source address is the sender's, with
// no spoofing) that copies each datagram of the feed it hears (the
// sender's loopback copy) with the number shifted by `offset`, the same
// sender id and session and its own send time, interleaved with the feed,
// until the feed's END.
constexpr const char* shifted_copy_program = R"(
import socket, struct, sys, time
group, port, addr, offset = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
r = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
r.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
r.bind((group, port))
r.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, socket.inet_aton(group) + socket.inet_aton(addr))
r.settimeout(10)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(addr))
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, 0)
print('joined', flush=True)
copies = 0
try:
    for _ in range(20000):
        d = r.recv(2048)
        if len(d) < 40 or d[:4] != b'MCN1':
            continue
        _, _, flags, _, sid, sess, seq, _, length, _ = struct.unpack('>4sBBHIIQQII', d[:40])
        if flags & 1:
            break
        if seq + offset < 0:
            continue
        s.sendto(struct.pack('>4sBBHIIQQII', b'MCN1', 1, 0, 40, sid, sess, seq + offset, time.time_ns(), length, 0)
                 + d[40:], (group, port))
        copies += 1
except socket.timeout:
    pass
print('copies', copies, flush=True)
sys.exit(0 if copies > 500 else 1)
)";

// Drop one in `mod` of the UDP datagrams to `port` on `h`'s input hook.
void drop_one_in(const test::host& h, const std::string& nft, const std::string& port, int mod) {
  const auto added = h.exec({nft, "-f", "-"}, "add table inet mcnet_h16a\n"
                                              "add chain inet mcnet_h16a input { type filter hook input priority 0; }\n"
                                              "add rule inet mcnet_h16a input udp dport " + port +
                                                  " numgen random mod " + std::to_string(mod) + " 0 counter drop\n");
  ASSERT_TRUE(added.status.success()) << added.output;
}

// Issue 16, trial16j MEDIUM 3: a feed that loses 10 % on the receiver's
// input, and a copy of it shifted by +5 or -5 (same sender id and
// session, from the sender's own address) that fills its gaps: the
// stream is contested (its copies carry other send times, its source port
// switches), its loss unknown, and --max-loss 1 does not pass.
TEST(NetHostileSender, AShiftedCopyOfALossyFeedIsAConflictNotAFullFeed) {
  MCNET_REQUIRE_NETNS();
  MCNET_REQUIRE_PROGRAM(python, "python3", "python3");
  MCNET_REQUIRE_PROGRAM(nft, "nft", "nftables");
  for (const char* offset : {"5", "-5"}) {
    SCOPED_TRACE(std::string("offset ") + offset);
    auto net = test::network::lan(2);
    const auto& tx_host = (*net)[0];
    const auto& rx_host = (*net)[1];
    const auto port = std::to_string(free_port(rx_host));
    const std::string group = "239.255.93.51";
    drop_one_in(rx_host, nft, port, 10);
    receiver rx(rx_host, {"-i", "eth0", "--max-loss", "1", group + ":" + port});
    ASSERT_TRUE(rx.joined()) << rx.output();
    auto forger = tx_host.start({python, "-c", shifted_copy_program, group, port, tx_host.v4().to_string(), offset});
    await_joined(forger);
    ASSERT_NE(forger.standard_output().find("joined"), std::string::npos) << forger.output();
    const auto real = test::tools::send(tx_host, {"-i", "eth0", "-c", "2000", "-r", "1000pps", "--id", "51",
                                                  group + ":" + port},
                                        40s);
    ASSERT_TRUE(real.status.success()) << real.output;
    const auto forged = forger.wait_for(30s);
    ASSERT_TRUE(forged && forged->success()) << forger.output();
    const auto r = rx.finish();
    EXPECT_EQ(r.status.code, 3) << "the feed lost 10 %: its loss is not known to be within 1 %\n" << r.output;
    test::tools::expect_schema_conform(r.standard_output);
    const auto events = json_lines(r.standard_output);
    const auto* error = find_event(events, "error");
    ASSERT_NE(error, nullptr) << r.output;
    EXPECT_EQ((*error)["code"], "loss_unknown") << *error;
    EXPECT_NE((*error)["message"].get<std::string>().find("carried numbers from more than one sender"),
              std::string::npos)
        << *error;
    const auto streams = summary_streams(r.standard_output);
    ASSERT_EQ(streams.size(), 1u) << r.output;
    const auto& st = streams[0];
    EXPECT_EQ(field(st, "sender_id"), 51) << st;
    const auto& conflict = st["conflict"];
    ASSERT_TRUE(conflict.is_object()) << "the stream is contested: " << st;
    const auto evidence = conflict["evidence"].dump();
    EXPECT_NE(evidence.find("copies"), std::string::npos) << "the copies carry other send times: " << conflict;
    EXPECT_NE(evidence.find("ports"), std::string::npos) << "the forger's socket is not the sender's: " << conflict;
    EXPECT_GT(conflict["differing_copies"].get<std::uint64_t>(), 500u) << conflict;
    const auto* summary = find_event(events, "summary");
    ASSERT_NE(summary, nullptr) << r.output;
    EXPECT_EQ((*summary)["total"]["contested"], 1) << (*summary)["total"];
    EXPECT_TRUE((*summary)["total"]["loss_percent"].is_null()) << (*summary)["total"];
    // What the attack does to the numbers: far less lost than the ~200
    // the input hook dropped of the feed (the copy filled the rest).
    EXPECT_LT(field(st, "lost").get<std::uint64_t>(), 120u) << st;
  }
}

// The same feed without a forger, with 20 % lost on the input hook and
// mcast-send's own duplicates and reordering: no conflict, its loss
// measured and held to --max-loss.
TEST(NetHostileSender, AnHonestLossyReorderedFeedIsNoConflict) {
  MCNET_REQUIRE_NETNS();
  MCNET_REQUIRE_PROGRAM(nft, "nft", "nftables");
  auto net = test::network::lan(2);
  const auto& tx_host = (*net)[0];
  const auto& rx_host = (*net)[1];
  const auto port = std::to_string(free_port(rx_host));
  const std::string group = "239.255.93.52";
  drop_one_in(rx_host, nft, port, 5);
  receiver rx(rx_host, {"-i", "eth0", "--max-loss", "40", "--interval", "0.5", group + ":" + port});
  ASSERT_TRUE(rx.joined()) << rx.output();
  const auto real = test::tools::send(tx_host, {"-i", "eth0", "-c", "3000", "-r", "2000pps", "--id", "52",
                                                "--dup-every", "7", "--reorder-every", "3", group + ":" + port},
                                      40s);
  ASSERT_TRUE(real.status.success()) << real.output;
  const auto r = rx.finish();
  EXPECT_EQ(r.status.code, 0) << "about 20 % lost, within 40 %\n" << r.output;
  test::tools::expect_schema_conform(r.standard_output);
  const auto streams = summary_streams(r.standard_output);
  ASSERT_EQ(streams.size(), 1u) << r.output;
  const auto& st = streams[0];
  EXPECT_TRUE(st["conflict"].is_null()) << st;
  EXPECT_GT(field(st, "lost").get<std::uint64_t>(), 300u) << st;
  EXPECT_GT(field(st, "reordered").get<std::uint64_t>(), 100u) << st;
  EXPECT_GT(field(st, "duplicates").get<std::uint64_t>(), 100u) << st;
  const auto events = json_lines(r.standard_output);
  const auto* summary = find_event(events, "summary");
  ASSERT_NE(summary, nullptr) << r.output;
  EXPECT_EQ((*summary)["total"]["contested"], 0) << (*summary)["total"];
  EXPECT_TRUE((*summary)["total"]["loss_percent"].is_number()) << (*summary)["total"];
  // The interval reports add up to at most the summary's loss, and none
  // takes back what one showed but by late datagrams filling gaps.
  std::int64_t lost = 0;
  for (const auto& e : events) {
    if (e["event"] != "interval") continue;
    for (const auto& s : e["streams"]) {
      EXPECT_TRUE(s["conflict"].is_null()) << s;
      lost += s["lost"].get<std::int64_t>();
    }
  }
  EXPECT_LE(lost, field(st, "lost").get<std::int64_t>());
  EXPECT_GT(lost, field(st, "lost").get<std::int64_t>() - 20) << "all but the last gaps shown in the intervals";
}

}  // namespace
// argv: group port. A session whose numbers 0-9 never leave the host (as if
// lost on the way): 10..99 at 100 pps, then END 100 three times.
constexpr const char* late_start_program = R"(
import socket, struct, sys, time
group, port = sys.argv[1], int(sys.argv[2])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
def header(flags, seq, length):
    return struct.pack('>4sBBHIIQQII', b'MCN1', 1, flags, 40, 777, 1877, seq, time.time_ns(), length, 0)
for seq in range(10, 100):
    s.sendto(header(0, seq, 64) + bytes(24), (group, port))
    time.sleep(0.01)
for _ in range(3):
    s.sendto(header(1, 100, 40), (group, port))
    time.sleep(0.05)
)";

// trial20j 7: a receiver joined a second before a session whose first 10
// numbers never came said nothing of them. They are said as likely lost,
// apart from lost (an estimate by the pace; --max-loss judges lost only).
TEST(NetLossAtStart, NumbersBeforeTheFirstArrivalOfASessionBegunAfterTheJoinAreLikelyLost) {
  MCNET_REQUIRE_NETNS();
  MCNET_REQUIRE_PROGRAM(python, "python3", "python3");
  auto net = test::network::lan(2);
  const auto& rx_host = (*net)[1];
  const auto port = std::to_string(free_port(rx_host));
  const std::string group = "239.255.93.9";
  receiver rx(rx_host, {"-i", "eth0", "--max-loss", "5", group + ":" + port});
  ASSERT_TRUE(rx.joined()) << rx.output();
  std::this_thread::sleep_for(500ms);  // the session begins well after the join
  const auto sent = (*net)[0].exec({python, "-c", late_start_program, group, port}, {}, 30s);
  ASSERT_TRUE(sent.status.success()) << sent.output;
  const auto r = rx.finish();
  EXPECT_EQ(r.status.code, 0) << "lost counts from the first arrival\n" << r.output;
  const auto streams = summary_streams(r.standard_output);
  ASSERT_EQ(streams.size(), 1u) << r.output;
  EXPECT_EQ(field(streams[0], "packets"), 90) << streams[0];
  EXPECT_EQ(field(streams[0], "lost"), 0) << streams[0];
  EXPECT_EQ(field(streams[0], "missed_at_start"), 10) << streams[0];
  EXPECT_EQ(field(streams[0], "first_sequence"), 10) << streams[0];
  EXPECT_GT(streams[0]["began_after_join_s"].get<double>(), 0.3) << streams[0];
}

}  // namespace mcnet
