// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// mcast-recv's payload protocols against senders no one here wrote, inside
// private namespace LANs, with loss injected by nftables on the receiver's
// input hook (veth has no netem here): GStreamer's RTP (rtpL16pay) is
// classified as RTP and its loss is exactly what the nft rule's counter
// dropped; ffmpeg's MPEG-TS over UDP is classified as MPEG-TS, with no
// continuity error when nothing is dropped and some when the rule drops
// datagrams.

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
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

using test::tools::field;
using test::tools::free_port;
using test::tools::receiver;
using test::tools::summary_streams;

// Run nft with `args` in `h`'s namespace; a failure fails the test.
void run_nft(const test::host& h, const std::string& program, std::vector<std::string> args) {
  args.insert(args.begin(), program);
  const auto r = h.exec(args, {}, 10s);
  EXPECT_TRUE(r.status.success()) << "nft: " << r.status.describe() << "\n" << r.output;
}

// A table `t` with an input chain `in` in `h` (the receiver): its rules see
// every datagram before a socket does.
void input_chain(const test::host& h, const std::string& program) {
  run_nft(h, program, {"add", "table", "inet", "t"});
  run_nft(h, program, {"add", "chain", "inet", "t", "in", "{ type filter hook input priority 0; }"});
}

// Drop one datagram in 20 (at random) to `port`, counting what is dropped.
void drop_one_in_20(const test::host& h, const std::string& program, const std::string& port) {
  run_nft(h, program, {"add", "rule", "inet", "t", "in", "udp", "dport", port, "numgen", "random", "mod", "20", "==", "0",
                   "counter", "drop"});
}

// The packets the counter of the drop rule counted (`nft -j list ruleset`).
std::int64_t nft_dropped(const test::host& h, const std::string& program) {
  const auto r = h.exec({program, "-j", "list", "ruleset"}, {}, 10s);
  EXPECT_TRUE(r.status.success()) << r.output;
  std::int64_t packets = -1;
  const auto j = json::parse(r.standard_output, nullptr, false);
  if (!j.is_object() || !j.contains("nftables")) return packets;
  for (const auto& item : j["nftables"]) {
    if (!item.contains("rule")) continue;
    bool drops = false;
    std::int64_t counted = -1;
    for (const auto& e : item["rule"]["expr"]) {
      if (e.contains("drop")) drops = true;
      if (e.contains("counter")) counted = e["counter"]["packets"].get<std::int64_t>();
    }
    if (drops) packets = counted;
  }
  return packets;
}

TEST(NetPayloadInterop, GStreamerRtpLossEqualsWhatNftablesDropped) {
  MCNET_REQUIRE_NETNS();
  MCNET_REQUIRE_PROGRAM(gst, "gst-launch-1.0", "gstreamer1.0-tools");
  MCNET_REQUIRE_PROGRAM(nft_program, "nft", "nftables");
  auto net = test::network::lan(2);
  const auto& tx = (*net)[0];
  const auto& rx_host = (*net)[1];
  const std::string group = "239.255.93.1";
  const auto port = std::to_string(free_port(rx_host));
  input_chain(rx_host, nft_program);
  // L16 at 8 kHz on a dynamic payload type: its clock is given.
  receiver rx(rx_host, {"-i", "eth0", "--rtp-clock", "8000", "-d", "15", group + ":" + port});
  ASSERT_TRUE(rx.joined()) << rx.output();
  // 350 buffers of 10 ms, one RTP datagram each, in real time: 3.5 s.
  auto source = tx.start({gst, "-q", "audiotestsrc", "is-live=true", "num-buffers=350", "samplesperbuffer=80", "!",
                          "audio/x-raw,format=S16BE,rate=8000,channels=1", "!", "rtpL16pay", "!", "udpsink",
                          "host=" + group, "port=" + port, "multicast-iface=eth0", "ttl-mc=1", "sync=true"});
  // Drop only in the middle of the stream: a lost first or last datagram is
  // one no receiver can count (nothing before or after it says it existed).
  std::this_thread::sleep_for(700ms);
  drop_one_in_20(rx_host, nft_program, port);
  std::this_thread::sleep_for(2s);
  // An accept rule in front stops the drops; the counter stays readable.
  run_nft(rx_host, nft_program, {"insert", "rule", "inet", "t", "in", "udp", "dport", port, "accept"});
  auto done = source.wait_for(10s);
  if (!done) done = source.stop(SIGINT);
  ASSERT_TRUE(done->success()) << done->describe() << "\n" << source.output();
  const auto drops = nft_dropped(rx_host, nft_program);
  const auto r = rx.finish_clean();
  const auto streams = summary_streams(r.standard_output);
  ASSERT_EQ(streams.size(), 1u) << r.output;
  const auto& s = streams[0];
  EXPECT_EQ(field(s, "payload"), "rtp") << s;
  EXPECT_EQ(field(s, "source"), tx.v4().to_string());
  EXPECT_TRUE(field(s, "ssrc").is_number_unsigned()) << s;
  RecordProperty("nft_dropped", std::to_string(drops));
  RecordProperty("rtp_lost", field(s, "lost").dump());
  ASSERT_GT(drops, 0) << "about 10 of 200 datagrams are dropped; none is a 1e-4 chance";
  EXPECT_EQ(field(s, "lost"), drops) << s;
  EXPECT_EQ(field(s, "packets"), 350 - drops) << s;
  EXPECT_EQ(field(s, "reordered"), 0) << s;
  EXPECT_EQ(field(s, "duplicates"), 0) << s;
  ASSERT_TRUE(field(s, "jitter_ns").is_number()) << s;
  EXPECT_LT(field(s, "jitter_ns").get<double>(), 20e6) << "a live source paced at 10 ms: " << s;
  EXPECT_TRUE(field(s, "cc_errors").is_null()) << "L16 is not MPEG-TS: " << s;
}

// ffmpeg's MPEG-TS of a 3 s test picture to group:port from `tx`, with the
// receiver's input hook dropping one datagram in 20 when `lossy`. Returns
// the receiver's one stream and the datagrams the rule dropped.
std::pair<json, std::int64_t> ffmpeg_transport_stream(const std::string& ffmpeg, const std::string& nft_program,
                                                      bool lossy) {
  auto net = test::network::lan(2);
  const auto& tx = (*net)[0];
  const auto& rx_host = (*net)[1];
  const std::string group = "239.255.93.2";
  const auto port = std::to_string(free_port(rx_host));
  input_chain(rx_host, nft_program);
  if (lossy) drop_one_in_20(rx_host, nft_program, port);
  receiver rx(rx_host, {"-i", "eth0", "-d", "20", group + ":" + port});
  EXPECT_TRUE(rx.joined()) << rx.output();
  const auto source = tx.exec({ffmpeg, "-hide_banner", "-loglevel", "error", "-re", "-f", "lavfi", "-i",
                               "testsrc=size=320x240:rate=25", "-t", "3", "-c:v", "mpeg2video", "-b:v", "1M", "-f",
                               "mpegts", "udp://" + group + ":" + port + "?pkt_size=1316&ttl=1&localaddr=" +
                                             tx.v4().to_string()},
                              {}, 30s);
  EXPECT_TRUE(source.status.success()) << source.status.describe() << "\n" << source.output;
  const auto drops = lossy ? nft_dropped(rx_host, nft_program) : 0;
  const auto r = rx.finish_clean();
  const auto streams = summary_streams(r.standard_output);
  EXPECT_EQ(streams.size(), 1u) << r.output;
  return {streams.empty() ? json{} : streams[0], drops};
}

TEST(NetPayloadInterop, FfmpegMpegTsHasContinuityErrorsExactlyWhenNftablesDrops) {
  MCNET_REQUIRE_NETNS();
  MCNET_REQUIRE_PROGRAM(ffmpeg, "ffmpeg", "ffmpeg");
  MCNET_REQUIRE_PROGRAM(nft_program, "nft", "nftables");
  const auto [clean, none] = ffmpeg_transport_stream(ffmpeg, nft_program, false);
  EXPECT_EQ(field(clean, "payload"), "mpegts") << clean;
  EXPECT_EQ(field(clean, "cc_errors"), 0) << clean;
  EXPECT_EQ(field(clean, "sync_errors"), 0) << clean;
  EXPECT_EQ(field(clean, "malformed"), 0) << clean;
  ASSERT_TRUE(field(clean, "pids").is_number_unsigned()) << clean;
  EXPECT_GE(field(clean, "pids").get<std::uint64_t>(), 3u) << "PAT, PMT and the video at least: " << clean;
  EXPECT_TRUE(field(clean, "lost").is_null()) << clean;
  ASSERT_TRUE(field(clean, "packets").is_number_unsigned()) << clean;
  const auto packets = field(clean, "packets").get<std::int64_t>();
  EXPECT_GT(packets, 50) << clean;

  const auto [lossy, drops] = ffmpeg_transport_stream(ffmpeg, nft_program, true);
  EXPECT_EQ(field(lossy, "payload"), "mpegts") << lossy;
  RecordProperty("clean_datagrams", std::to_string(packets));
  RecordProperty("nft_dropped", std::to_string(drops));
  RecordProperty("cc_errors", field(lossy, "cc_errors").dump());
  ASSERT_GT(drops, 0) << "about 1 in 20 of " << packets << " datagrams";
  ASSERT_TRUE(field(lossy, "cc_errors").is_number_unsigned()) << lossy;
  EXPECT_GT(field(lossy, "cc_errors").get<std::uint64_t>(), 0u) << drops << " dropped: " << lossy;
  EXPECT_LE(field(lossy, "cc_errors").get<std::int64_t>(), 7 * drops) << "at most one per packet dropped";
  EXPECT_EQ(field(lossy, "sync_errors"), 0) << lossy;
}

// iperf2's datagrams carry no sequence number mcast-recv reads: with one in
// five dropped by nftables, the loss is unknown, never "0 lost" (JSON null,
// text "-"), the total counts them as unsequenced, and --max-loss says it
// could not be checked (exit 3, code loss_unknown).
TEST(NetPayloadInterop, IperfLossIsUnknownNotZero) {
  MCNET_REQUIRE_NETNS();
  MCNET_REQUIRE_PROGRAM(iperf, "iperf", "iperf (iperf2)");
  MCNET_REQUIRE_PROGRAM(nft_program, "nft", "nftables");
  auto net = test::network::lan(2);
  const auto& rx_host = (*net)[1];
  const auto port = std::to_string(free_port(rx_host));
  input_chain(rx_host, nft_program);
  run_nft(rx_host, nft_program, {"add", "rule", "inet", "t", "in", "udp", "dport", port, "numgen", "random", "mod", "5",
                             "==", "0", "counter", "drop"});
  receiver rx(rx_host, {"-i", "eth0", "--max-loss", "1", "239.255.91.7:" + port});
  ASSERT_TRUE(rx.joined()) << rx.output();
  // Beside it, a text receiver on the same port.
  auto text = rx_host.start({MCAST_RECV, "-i", "eth0", "-d", "10", "239.255.91.7:" + port});
  std::this_thread::sleep_for(300ms);
  const auto client = (*net)[0].exec(
      {iperf, "-c", "239.255.91.7", "-u", "-T", "1", "-t", "1", "-b", "200k", "-l", "200", "-p", port}, {}, 10s);
  ASSERT_TRUE(client.status.success()) << client.status.describe() << "\n" << client.output;
  const auto r = rx.finish();
  EXPECT_EQ(r.status.code, 3) << r.output;
  test::tools::expect_schema_conform(r.standard_output);
  const auto events = test::tools::json_lines(r.standard_output);
  const auto* summary = test::tools::find_event(events, "summary");
  ASSERT_NE(summary, nullptr) << r.output;
  const auto& total = (*summary)["total"];
  EXPECT_GT(nft_dropped(rx_host, nft_program), 0) << "nftables dropped some";
  EXPECT_TRUE(total["lost"].is_null()) << total;
  EXPECT_TRUE(total["reordered"].is_null()) << "unknown too, as the stream has it: " << total;
  EXPECT_TRUE(total["duplicates"].is_null()) << "unknown too, as the stream has it: " << total;
  EXPECT_TRUE(total["jumps"].is_null()) << "unknown too, as the stream has it: " << total;
  EXPECT_TRUE(total["restarts"].is_null()) << "unknown too, as the stream has it: " << total;
  EXPECT_TRUE(total["loss_percent"].is_null()) << total;
  EXPECT_EQ(total["unsequenced"], total["packets"]) << total;
  EXPECT_GT(total["packets"].get<std::uint64_t>(), 0u) << total;
  const auto* error = test::tools::find_event(events, "error");
  ASSERT_NE(error, nullptr) << r.output;
  EXPECT_EQ((*error)["code"], "loss_unknown") << *error;
  EXPECT_NE(r.output.find("could not be checked"), std::string::npos) << r.output;
  const auto text_end = text.stop(SIGINT, 5s);
  EXPECT_TRUE(text_end.success()) << text_end.describe() << "\n" << text.output();
  EXPECT_NE(text.standard_output().find(" bytes, - lost, - reordered, - duplicates, "), std::string::npos)
      << "the total says -, not 0:\n" << text.standard_output();
}

}  // namespace
