// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// mcast-send's feed payloads as Wireshark reads them off a wire: inside a
// private namespace LAN one host sends, the other joins the group (mcast-recv)
// and captures with tcpdump; tshark then decodes the capture with its
// moldudp64, rtp and mp2t dissectors and must find exactly the session,
// message numbers and counts, SSRC, payload type, RTP sequence numbers and
// continuity counters that the sender's JSON start and summary announce and
// its faults (docs/tools.md, "Payloads") predict, with no malformed packet
// and no error finding.

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <mcnet/feed/test_header.hpp>
#include <mcnet/tools/capture.hpp>
#include <mcnet/tools/send_plan.hpp>

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

using test::tools::field;
using test::tools::free_port;
using test::tools::json_lines;
using test::tools::receiver;
using test::tools::scratch_dir;
using test::tools::send;

std::vector<std::string> split_fields(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::istringstream in(s);
  std::string part;
  while (std::getline(in, part, sep)) out.push_back(part);
  return out;
}

// What one capture holds: the sender's JSON lines and the capture file.
struct captured {
  json start;
  json summary;
  std::string file;
  std::uint16_t port = 0;
};

// In a 2-host LAN: host 1 joins `group` (mcast-recv) and captures UDP to the
// port with tcpdump; host 0 runs mcast-send with `args` to group:port.
captured capture_run(const scratch_dir& dir, const std::string& tcpdump, const std::string& group,
                 std::vector<std::string> args) {
  captured c;
  auto net = test::network::lan(2);
  const auto& rx_host = (*net)[1];
  c.port = free_port(rx_host);
  c.file = dir.path + "/" + std::to_string(c.port) + ".pcap";
  receiver rx(rx_host, {"-i", "eth0", group + ":" + std::to_string(c.port)});
  EXPECT_TRUE(rx.joined()) << rx.output();
  auto dump = test::tools::start_tcpdump(rx_host, tcpdump, c.file, c.port);
  args.insert(args.begin(), {"-i", "eth0"});
  args.push_back(group + ":" + std::to_string(c.port));
  const auto sent = send((*net)[0], args);
  std::this_thread::sleep_for(300ms);
  const auto st = dump.stop(SIGINT);
  EXPECT_TRUE(st.success()) << st.describe() << "\n" << dump.output();
  EXPECT_NE(dump.error_output().find(" packets captured"), std::string::npos) << dump.output();
  EXPECT_EQ(dump.error_output().find("\n0 packets captured"), std::string::npos) << dump.output();
  (void)rx.finish();
  const auto events = json_lines(sent.standard_output);
  if (const auto* e = test::tools::find_event(events, "start")) c.start = *e;
  if (const auto* e = test::tools::find_event(events, "summary")) c.summary = *e;
  return c;
}

// tshark's fields of every packet of the capture, the port decoded as
// `protocol`: one line per datagram, fields separated by '|', repeated
// occurrences by ','. stdout only: tshark warns about running as root on stderr.
std::vector<std::string> tshark_fields(const std::string& tshark, const captured& c, const std::string& protocol,
                                       const std::vector<std::string>& fields) {
  std::vector<std::string> argv{tshark, "-n", "-r", c.file, "-d", fmt::format("udp.port=={},{}", c.port, protocol),
                                "-T", "fields", "-E", "separator=|", "-E", "aggregator=,"};
  for (const auto& f : fields) argv.insert(argv.end(), {"-e", f});
  const auto r = test::run(nullptr, argv, {}, 60s);
  EXPECT_TRUE(r.status.success()) << r.status.describe() << "\n" << r.output;
  return split_fields(r.standard_output, '\n');
}

// Frames tshark finds malformed or flags with an error, with the message.
std::string tshark_errors(const std::string& tshark, const captured& c, const std::string& protocol) {
  const auto r = test::run(nullptr,
                           {tshark, "-n", "-r", c.file, "-d", fmt::format("udp.port=={},{}", c.port, protocol), "-Y",
                            "_ws.malformed || _ws.expert.severity == error", "-T", "fields", "-e", "frame.number",
                            "-e", "_ws.expert.message"},
                           {}, 60s);
  EXPECT_TRUE(r.status.success()) << r.status.describe() << "\n" << r.output;
  return r.standard_output;
}

// The datagram indexes a run of `count` with `f` sends, in sending order.
std::vector<std::uint64_t> sending_order(std::uint64_t count, tools::faults f) {
  auto order = tools::send_order::make(count, f).value();
  std::vector<std::uint64_t> out;
  while (auto i = order.next()) out.push_back(*i);
  return out;
}

const json& group_of(const json& event) {
  static const json none;
  if (!event.contains("groups") || !event["groups"].is_array() || event["groups"].empty()) return none;
  return event["groups"][0];
}

// Each test: a namespace LAN, tshark and tcpdump, a private directory for
// the capture.
class NetToolsWireshark : public test::tools::capture_reading_test {
 protected:
  /// capture_run() into this test's directory.
  captured capture(const std::string& group, std::vector<std::string> args) const {
    return capture_run(dir, tcpdump, group, std::move(args));
  }
};

// The project's Lua dissector (tools/wireshark/mcnet.lua, installed with
// the tools) on a capture of mcast-send's own datagrams: found by its
// heuristic on a port nobody registered, and by "Decode As" on it; every
// datagram's sender id, session, number and length as the JSON start and
// the faults say, the three END markers with the run's count, send times
// within the capture's second, and no warning.
TEST_F(NetToolsWireshark, TheProjectsDissectorReadsMcastSendsHeader) {
  const tools::faults f{.drop_every = 5, .dup_every = 0, .reorder_every = 3};
  const auto c = capture("239.255.93.7", {"--id", "4242", "-s", "100", "-c", "20", "--drop-every", "5",
                                          "--reorder-every", "3", "-r", "2000pps"});
  ASSERT_EQ(field(c.start, "payload"), "mcnet") << c.start;
  const auto session = field(c.start, "session").get<std::uint64_t>();
  const auto script = std::string("lua_script:") + MCNET_WIRESHARK_DISSECTOR;
  std::vector<std::string> want;
  for (const auto i : sending_order(20, f)) want.push_back(fmt::format("MCNET|4242|{}|{}|0|100", session, i));
  for (int i = 0; i < 3; ++i) want.push_back(fmt::format("MCNET|4242|{}|20|1|40", session));
  for (const bool decode_as : {false, true}) {
    std::vector<std::string> argv{tshark, "-n", "-r", c.file, "-X", script};
    if (decode_as) argv.insert(argv.end(), {"-d", fmt::format("udp.port=={},mcnet", c.port)});
    for (const char* e : {"_ws.col.Protocol", "mcnet.sender_id", "mcnet.session", "mcnet.seq", "mcnet.flags.end",
                          "mcnet.length", "frame.time_epoch", "mcnet.send_time", "_ws.expert.severity"}) {
      argv.insert(argv.end(), {"-e", e});
    }
    argv.insert(argv.end(), {"-T", "fields", "-E", "separator=|"});
    const auto r = test::run(nullptr, argv, {}, 60s);
    ASSERT_TRUE(r.status.success()) << r.status.describe() << "\n" << r.output;
    std::vector<std::string> got;
    for (const auto& line : split_fields(r.standard_output, '\n')) {
      const auto parts = split_fields(line, '|');
      ASSERT_GE(parts.size(), 8u) << line;
      got.push_back(fmt::format("{}|{}|{}|{}|{}|{}", parts[0], parts[1], parts[2], parts[3], parts[4], parts[5]));
      // The send time in the tree's UTC text, against the capture's clock:
      // same second of the day, or the one before (the header is written
      // before the datagram leaves).
      const auto captured = static_cast<std::int64_t>(std::stod(parts[6]));
      const auto clock = parts[7].substr(parts[7].find(':') - 2, 8);  // "HH:MM:SS"
      const auto sent = std::stoll(clock.substr(0, 2)) * 3600 + std::stoll(clock.substr(3, 2)) * 60 +
                        std::stoll(clock.substr(6, 2));
      const auto day_second = captured % 86400;
      EXPECT_TRUE(sent == day_second || (sent + 1) % 86400 == day_second) << line;
      // Only the END markers' note ("chat"), never a warning or an error.
      if (parts[4] == "1") {
        EXPECT_EQ(parts.size() > 8 ? parts[8] : "", "2097152") << "chat severity: " << line;
      } else {
        EXPECT_TRUE(parts.size() == 8 || parts[8].empty()) << line;
      }
    }
    EXPECT_EQ(got, want) << (decode_as ? "decode as" : "heuristic");
    // The dissector is one layer, whichever way it was reached (trial20e:
    // the heuristic listed "udp:mcnet:mcnet").
    argv = {tshark, "-n", "-r", c.file, "-X", script, "-T", "fields", "-e", "frame.protocols"};
    if (decode_as) argv.insert(argv.end(), {"-d", fmt::format("udp.port=={},mcnet", c.port)});
    const auto layers = test::run(nullptr, argv, {}, 60s);
    ASSERT_TRUE(layers.status.success()) << layers.status.describe() << "\n" << layers.output;
    const auto lines = split_fields(layers.standard_output, '\n');
    EXPECT_EQ(lines.size(), want.size()) << layers.standard_output;
    for (const auto& line : lines) EXPECT_TRUE(line.ends_with(":udp:mcnet")) << line;
  }
}

// "Decode As" forces the dissector on anything sent to the port: what is
// not this header's version 1 must say so (expert findings), while the
// heuristic leaves it to UDP; an implausible send time (2^64-1, an hour
// before the capture) gets a note either way. A capture written by hand.
TEST_F(NetToolsWireshark, TheProjectsDissectorFlagsWhatIsNotItsHeader) {
  namespace core = mcnet::core;
  namespace feed = mcnet::feed;
  const auto now = std::chrono::duration_cast<std::chrono::nanoseconds>(
      std::chrono::system_clock::now().time_since_epoch());
  const auto header = [&](std::uint64_t send_ns) {
    std::vector<std::byte> b(100);
    feed::test_header h{.flags = 0, .sender_id = 7, .session = 9, .sequence = 1, .send_time_ns = send_ns,
                        .length = 100};
    EXPECT_TRUE(h.build(b).has_value());
    return b;
  };
  const auto now_ns = static_cast<std::uint64_t>(now.count());
  auto version_2 = header(now_ns);
  version_2[4] = std::byte{2};
  auto length_41 = header(now_ns);
  length_41[7] = std::byte{41};
  auto short_one = header(now_ns);
  short_one.resize(30);
  // Not mcnet at all (trial t20v L4): 100 bytes of zeros, no magic. That is
  // its one finding: its version, header length and length field are no
  // mcnet fields (they read "Version 0, not 1", "Header length 0, not 40",
  // "Datagram length field 0" too); nor are a mcnet header's other fields
  // faulted once its magic is not mcnet's.
  const std::vector<std::byte> zeros(100);
  auto no_magic = header(now_ns);
  no_magic[0] = std::byte{'X'};
  no_magic[4] = std::byte{3};
  no_magic[5] = std::byte{0xF0};
  no_magic[35] = std::byte{99};
  no_magic[39] = std::byte{1};
  // Trial t20w F4: a header of another version or header length is not
  // mcast-recv's either: its datagram length field (0 on 100 bytes), flags
  // and reserved field get no warning beside the version's or the header
  // length's.
  auto version_2_faults = version_2;
  version_2_faults[35] = std::byte{0};
  version_2_faults[5] = std::byte{0xF0};
  version_2_faults[39] = std::byte{1};
  auto length_44_faults = header(now_ns);
  length_44_faults[7] = std::byte{44};
  length_44_faults[35] = std::byte{0};
  length_44_faults[5] = std::byte{0xF0};
  length_44_faults[39] = std::byte{1};
  const std::vector<std::vector<std::byte>> payloads{
      version_2, length_41, short_one, header(UINT64_MAX), header(now_ns - 3'600'000'000'000ULL), header(now_ns),
      zeros, no_magic, version_2_faults, length_44_faults};
  const std::uint16_t port = 5555;
  const auto file = dir.path + "/forced.pcap";
  {
    auto w = tools::capture_writer::open(file, std::nullopt);
    ASSERT_TRUE(w.has_value()) << w.error();
    for (const auto& p : payloads) {
      const tools::captured_datagram d{.source = core::ip_address::v4(10, 77, 0, 1),
                                       .destination = core::ip_address::v4(239, 255, 93, 8),
                                       .source_port = 4000, .port = port, .ttl = 1, .tos = 0, .time = now,
                                       .payload = p};
      ASSERT_TRUE(w->write(d).has_value());
    }
  }
  const auto script = std::string("lua_script:") + MCNET_WIRESHARK_DISSECTOR;
  const auto decode = [&](bool decode_as) {
    std::vector<std::string> argv{tshark, "-n", "-r", file, "-X", script};
    if (decode_as) argv.insert(argv.end(), {"-d", fmt::format("udp.port=={},mcnet", port)});
    argv.insert(argv.end(), {"-T", "fields", "-E", "separator=|", "-e", "_ws.col.Protocol", "-e",
                             "_ws.expert.message"});
    const auto r = test::run(nullptr, argv, {}, 60s);
    EXPECT_TRUE(r.status.success()) << r.status.describe() << "\n" << r.output;
    return split_fields(r.standard_output, '\n');
  };
  const std::vector<std::string> forced{
      "MCNET|Version 2, not 1: the fields may mean something else",
      "MCNET|Header length 41, not 40: mcast-recv does not read this header",
      "MCNET|30 bytes: shorter than the 40-byte mcnet header",
      "MCNET|Send time 2^64-1: no time (mcast-recv: a clock error)",
      "MCNET|Send time 3600 s before the capture time (mcast-recv: a clock error, left out of latency)",
      "MCNET|",
      "MCNET|Magic is not \"MCN1\": not an mcnet datagram",
      "MCNET|Magic is not \"MCN1\": not an mcnet datagram",
      "MCNET|Version 2, not 1: the fields may mean something else",
      "MCNET|Header length 44, not 40: mcast-recv does not read this header"};
  EXPECT_EQ(decode(true), forced) << "decode as";
  const std::vector<std::string> heuristic{
      "UDP|", "UDP|", "UDP|", forced[3], forced[4], forced[5], "UDP|", "UDP|", "UDP|", "UDP|"};
  EXPECT_EQ(decode(false), heuristic) << "the heuristic takes version 1, header length 40, 40 bytes or more only";
}

TEST_F(NetToolsWireshark, TsharkDecodesMcastSendMoldUdp64) {
  const tools::faults f{.drop_every = 5, .dup_every = 7, .reorder_every = 0};
  const auto c = capture("239.255.93.1",
                         {"--payload", "moldudp64", "--session", "TSHARK", "--messages", "3", "--message-size", "12",
                          "-c", "20", "--drop-every", "5", "--dup-every", "7", "-r", "2000pps"});
  EXPECT_EQ(field(c.start, "payload"), "moldudp64");
  EXPECT_EQ(field(c.start, "session"), "TSHARK");
  EXPECT_EQ(field(c.start, "messages_per_packet"), 3);
  EXPECT_EQ(field(group_of(c.start), "first_sequence"), 1);
  const auto order = sending_order(20, f);
  EXPECT_EQ(field(group_of(c.summary), "sent"), order.size());
  EXPECT_EQ(field(group_of(c.summary), "messages"), order.size() * 3);
  EXPECT_EQ(field(group_of(c.summary), "next_sequence"), 61) << "20 packets of 3 messages passed";

  std::vector<std::string> want;
  for (const auto i : order) {
    const auto first = 1 + i * 3;
    want.push_back(fmt::format("TSHARK    |{}|3|{},{},{}|12,12,12", first, first, first + 1, first + 2));
  }
  for (int i = 0; i < 3; ++i) want.push_back("TSHARK    |61|65535||");
  EXPECT_EQ(tshark_fields(tshark, c, "moldudp64",
                          {"moldudp64.session", "moldudp64.sequence", "moldudp64.count", "moldudp64.msgseq",
                           "moldudp64.msglen"}),
            want);
  EXPECT_EQ(tshark_errors(tshark, c, "moldudp64"), "");
}

TEST_F(NetToolsWireshark, TsharkDecodesMcastSendRtp) {
  const tools::faults f{.drop_every = 9, .dup_every = 0, .reorder_every = 4};
  const auto c = capture("239.255.93.2",
                         {"--payload", "rtp", "--rtp-pt", "96", "--ssrc", "3735928559", "-s", "200", "-c", "30",
                          "--drop-every", "9", "--reorder-every", "4", "-r", "1000pps"});
  EXPECT_EQ(field(c.start, "payload"), "rtp");
  EXPECT_EQ(field(c.start, "ssrc"), 3735928559u);
  EXPECT_EQ(field(c.start, "payload_type"), 96);
  EXPECT_EQ(field(c.start, "clock_hz"), 90000);
  const auto first = field(group_of(c.start), "first_sequence");
  const auto first_ts = field(group_of(c.start), "first_timestamp");
  ASSERT_TRUE(first.is_number_unsigned()) << c.start;
  ASSERT_TRUE(first_ts.is_number_unsigned()) << c.start;
  const auto order = sending_order(30, f);
  EXPECT_EQ(field(group_of(c.summary), "next_sequence"), (first.get<std::uint64_t>() + 30) % 65536);

  const auto got = tshark_fields(tshark, c, "rtp", {"rtp.version", "rtp.ssrc", "rtp.p_type", "rtp.seq", "rtp.timestamp"});
  ASSERT_EQ(got.size(), order.size()) << "no end marker: the datagrams only";
  for (std::size_t k = 0; k < order.size(); ++k) {
    const auto parts = split_fields(got[k], '|');
    ASSERT_EQ(parts.size(), 5u) << got[k];
    EXPECT_EQ(parts[0], "2");
    EXPECT_EQ(parts[1], "0xdeadbeef");
    EXPECT_EQ(parts[2], "96");
    EXPECT_EQ(std::stoul(parts[3]), (first.get<std::uint64_t>() + order[k]) % 65536) << "datagram " << k;
    if (order[k] == 0) {
      EXPECT_EQ(std::stoul(parts[4]), first_ts.get<std::uint64_t>()) << "datagram 0's timestamp";
    }
  }
  EXPECT_EQ(tshark_errors(tshark, c, "rtp"), "");
}

// The PIDs and counters of a run's transport packets, as "pid|cc" with the
// PID in decimal, from tshark lines of "pids|ccs" (one line per datagram;
// `skip` fields before them).
std::vector<std::string> ts_packets(const std::vector<std::string>& lines, std::size_t skip) {
  std::vector<std::string> out;
  for (const auto& line : lines) {
    const auto parts = split_fields(line, '|');
    if (parts.size() != skip + 2) {
      ADD_FAILURE() << line;
      continue;
    }
    const auto pids = split_fields(parts[skip], ',');
    const auto ccs = split_fields(parts[skip + 1], ',');
    EXPECT_EQ(pids.size(), ccs.size()) << line;
    for (std::size_t i = 0; i < std::min(pids.size(), ccs.size()); ++i) {
      out.push_back(fmt::format("{}|{}", std::stoul(pids[i], nullptr, 0), ccs[i]));
    }
  }
  return out;
}

// What mcast-send's MPEG-TS says for datagrams `order` over `pids` PIDs:
// packet g (of every packet built, sent or not) is on PID 0x100 + g mod
// pids with counter (g / pids) mod 16.
std::vector<std::string> ts_model(const std::vector<std::uint64_t>& order, std::uint64_t pids) {
  std::vector<std::string> out;
  for (const auto i : order) {
    for (std::uint64_t k = 0; k < 7; ++k) {
      const auto g = i * 7 + k;
      out.push_back(fmt::format("{}|{}", 0x100 + g % pids, g / pids % 16));
    }
  }
  return out;
}

TEST_F(NetToolsWireshark, TsharkDecodesMcastSendMpegTs) {
  const tools::faults f{.drop_every = 6, .dup_every = 0, .reorder_every = 0};
  const auto c = capture("239.255.93.3",
                         {"--payload", "mpegts", "--pids", "3", "-c", "20", "--drop-every", "6", "-r", "1000pps"});
  EXPECT_EQ(field(c.start, "payload"), "mpegts");
  EXPECT_EQ(field(c.start, "pids"), json::array({256, 257, 258}));
  const auto order = sending_order(20, f);
  // 140 packets built: 0x100 gets g = 0, 3, ..., 138 (47), 0x101 1, ...,
  // 139 (47), 0x102 46.
  EXPECT_EQ(field(group_of(c.summary), "next_continuity"), json::array({47 % 16, 47 % 16, 46 % 16}));
  const auto got = tshark_fields(tshark, c, "mp2t", {"mp2t.pid", "mp2t.cc"});
  ASSERT_EQ(got.size(), order.size());
  EXPECT_EQ(ts_packets(got, 0), ts_model(order, 3));
  // tshark's only error findings are the skips the drops made: its own
  // continuity analysis flags the datagram after each dropped one
  // (datagrams 5, 11 and 17: frames 6, 11 and 16), each PID with the
  // packets it lost (7 packets over 3 PIDs: 2, 2 and 3, in the order the
  // PIDs come next).
  std::string want;
  for (std::size_t k = 1; k < order.size(); ++k) {
    if (order[k] == order[k - 1] + 1) continue;
    std::vector<std::string> missing;
    for (std::uint64_t g = order[k] * 7; g < order[k] * 7 + 3; ++g) {
      std::uint64_t lost = 0;
      for (auto d = order[k - 1] + 1; d < order[k]; ++d) {
        for (std::uint64_t h = d * 7; h < d * 7 + 7; ++h) lost += h % 3 == g % 3 ? 1 : 0;
      }
      missing.push_back(std::to_string(lost));
    }
    want += fmt::format("{}|{}\n", k + 1, fmt::join(missing, ","));
  }
  EXPECT_EQ(want, "6|2,2,3\n11|2,2,3\n16|2,2,3\n") << "the model";
  std::string found;
  for (const auto& line : split_fields(tshark_errors(tshark, c, "mp2t"), '\n')) {
    const auto tab = line.find('\t');
    ASSERT_NE(tab, std::string::npos) << line;
    std::vector<std::string> counts;
    // Each "Detected N missing TS frames before this (last_cc:L total
    // skips:T discontinuity:D)", one per PID, joined by ','.
    for (const auto& message : split_fields(line.substr(tab + 1), ',')) {
      // The field lists every expert message of the frame, chat-level ones
      // too: Wireshark says "Possible traceroute: hop #N, attempt #M" of a
      // UDP datagram to a port it takes for traceroute's (from 33434 on,
      // hop and attempt read off the port), which free_port() may give
      // (seen once in a full run). Not an MPEG-TS error.
      if (message.rfind("Possible traceroute:", 0) == 0) continue;
      if (message.rfind("Detected ", 0) != 0) {
        ADD_FAILURE() << "another error: " << line;
        continue;
      }
      counts.push_back(split_fields(message, ' ').at(1));
    }
    found += fmt::format("{}|{}\n", line.substr(0, tab), fmt::join(counts, ","));
  }
  EXPECT_EQ(found, want);
}

TEST_F(NetToolsWireshark, TsharkFindsNothingWrongInMcastSendMpegTs) {
  const auto c = capture("239.255.93.5", {"--payload", "mpegts", "--pids", "5", "-c", "12", "-r", "1000pps"});
  const auto order = sending_order(12, {});
  const auto got = tshark_fields(tshark, c, "mp2t", {"mp2t.pid", "mp2t.cc"});
  ASSERT_EQ(got.size(), order.size());
  EXPECT_EQ(ts_packets(got, 0), ts_model(order, 5));
  EXPECT_EQ(tshark_errors(tshark, c, "mp2t"), "");
}

TEST_F(NetToolsWireshark, TsharkDecodesMcastSendRtpCarryingMpegTs) {
  const auto c = capture("239.255.93.4", {"--payload", "rtp", "--pids", "2", "-c", "12", "-r", "1000pps"});
  EXPECT_EQ(field(c.start, "payload_type"), 33);
  EXPECT_EQ(field(c.start, "pids"), json::array({256, 257}));
  const auto first = field(group_of(c.start), "first_sequence");
  ASSERT_TRUE(first.is_number_unsigned()) << c.start;
  const auto ssrc = field(c.start, "ssrc");
  ASSERT_TRUE(ssrc.is_number_unsigned()) << c.start;
  const auto order = sending_order(12, {});
  const auto got = tshark_fields(tshark, c, "rtp", {"rtp.ssrc", "rtp.p_type", "rtp.seq", "mp2t.pid", "mp2t.cc"});
  ASSERT_EQ(got.size(), order.size());
  for (std::size_t k = 0; k < got.size(); ++k) {
    const auto parts = split_fields(got[k], '|');
    ASSERT_EQ(parts.size(), 5u) << got[k];
    EXPECT_EQ(parts[0], fmt::format("0x{:08x}", ssrc.get<std::uint32_t>()));
    EXPECT_EQ(parts[1], "33");
    EXPECT_EQ(std::stoul(parts[2]), (first.get<std::uint64_t>() + order[k]) % 65536);
  }
  EXPECT_EQ(ts_packets(got, 3), ts_model(order, 2));
  EXPECT_EQ(tshark_errors(tshark, c, "rtp"), "");
}

}  // namespace
