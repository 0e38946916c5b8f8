// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// The feed codecs against software no one here wrote, in both directions:
// - what the builders write (MoldUDP64, RTP, MPEG-TS) is decoded by
//   Wireshark's dissectors (tshark reading a capture file written with
//   libpcap), field by field, with no malformed-packet or error finding;
// - the project's own Wireshark dissector for the tools' header
//   (tools/wireshark/mcnet.lua) reads every field the header builder writes,
//   finds the flaws a forger can put in one, and leaves other datagrams alone;
// - what ffmpeg (an MPEG-TS file) and GStreamer (RTP packets, RFC 4571
//   framed) write is read by the views, the continuity checker and the RTP
//   sequence tracker, and agrees with ffprobe.
// Nothing is sent on any network: the packets live in files.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <mcnet/feed/moldudp64.hpp>
#include <mcnet/feed/mpegts.hpp>
#include <mcnet/feed/rtp.hpp>
#include <mcnet/feed/sequence.hpp>
#include <mcnet/feed/test_header.hpp>

#include "process.hpp"
#include "programs.hpp"
#include "udp_pcap.hpp"
#include "wire.hpp"

namespace {

namespace mold = mcnet::feed::moldudp64;
namespace rtp = mcnet::feed::rtp;
namespace ts = mcnet::feed::mpegts;
namespace test = mcnet::test;
using mcnet::feed::test::text;
using namespace std::chrono_literals;

std::vector<std::string> lines_of(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  std::string line;
  while (std::getline(in, line)) out.push_back(line);
  return out;
}

// tshark's fields of every packet of `file`, UDP port `port` decoded as
// `protocol`: one line per packet, fields separated by '|', repeated
// occurrences by ','.
std::vector<std::string> tshark_fields(const std::string& tshark, const std::string& file, std::uint16_t port,
                                       const std::string& protocol, const std::vector<std::string>& fields) {
  std::vector<std::string> argv{tshark, "-n", "-r", file, "-d", "udp.port==" + std::to_string(port) + "," + protocol,
                                "-T", "fields", "-E", "separator=|", "-E", "aggregator=,"};
  for (const auto& f : fields) {
    argv.push_back("-e");
    argv.push_back(f);
  }
  const auto r = test::run(nullptr, argv, {}, 60s);
  EXPECT_TRUE(r.status.success()) << r.status.describe() << "\n" << r.output;
  return lines_of(r.standard_output);
}

// Frames tshark finds malformed or flags with an error.
std::string tshark_errors(const std::string& tshark, const std::string& file, std::uint16_t port,
                          const std::string& protocol) {
  const auto r = test::run(nullptr,
                           {tshark, "-n", "-r", file, "-d", "udp.port==" + std::to_string(port) + "," + protocol, "-Y",
                            "_ws.malformed || _ws.expert.severity == error", "-T", "fields", "-e", "frame.number",
                            "-e", "_ws.expert.message"},
                           {}, 60s);
  EXPECT_TRUE(r.status.success()) << r.status.describe() << "\n" << r.output;
  return r.standard_output;
}

std::vector<std::byte> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<char> chars((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::byte> out(chars.size());
  std::transform(chars.begin(), chars.end(), out.begin(), [](char c) { return static_cast<std::byte>(c); });
  return out;
}

TEST(FeedInterop, TsharkDecodesMoldUdp64AsBuilt) {
  MCNET_REQUIRE_PROGRAM(tshark, "tshark", "tshark");
  test::temp_dir dir;
  const auto file = dir.file("moldudp64.pcap");
  constexpr std::uint16_t port = 26400;
  const auto session = mold::session_id::make("MCNET00001").value();
  {
    test::udp_pcap pcap(file);
    std::array<std::byte, 1472> out{};
    auto p = mold::packet_builder::start(out, session, 1).value();
    for (const auto& m : {text("A"), text("hello"), std::vector<std::byte>(30, std::byte{'x'})}) {
      ASSERT_TRUE(p.append(m));
    }
    pcap.add(p.bytes(), port);
    const auto hb = mold::build_heartbeat(out, session, 4).value();
    pcap.add(std::span(out).first(hb), port);
    auto last = mold::packet_builder::start(out, session, 4).value();
    ASSERT_TRUE(last.append(std::vector<std::byte>{}));  // an empty message is a message
    pcap.add(last.bytes(), port);
    const auto end = mold::build_end_of_session(out, session, 5).value();
    pcap.add(std::span(out).first(end), port);
    const auto req = mold::request{session, 2, 3}.build(out).value();
    pcap.add(std::span(out).first(req), port);
  }
  const auto got = tshark_fields(tshark, file, port, "moldudp64",
                                 {"_ws.col.Info", "moldudp64.session", "moldudp64.sequence", "moldudp64.count",
                                  "moldudp64.msglen", "moldudp64.msgseq", "moldudp64.msgdata"});
  std::string hex_x30;
  for (int i = 0; i < 30; ++i) hex_x30 += "78";
  const std::vector<std::string> want{
      "MoldUDP64 Messages|MCNET00001|1|3|1,5,30|1,2,3|41,68656c6c6f," + hex_x30,
      "MoldUDP64 Heartbeat|MCNET00001|4|0|||",
      "MoldUDP64 Messages|MCNET00001|4|1|0|4|<MISSING>",  // tshark's word for 0 bytes of data
      "MoldUDP64 End Of Session|MCNET00001|5|65535|||",
      "MoldUDP64 Request|MCNET00001|2|3|||",
  };
  EXPECT_EQ(got, want);
  EXPECT_EQ(tshark_errors(tshark, file, port, "moldudp64"), "");
}

TEST(FeedInterop, TsharkDecodesRtpAsBuilt) {
  MCNET_REQUIRE_PROGRAM(tshark, "tshark", "tshark");
  test::temp_dir dir;
  const auto file = dir.file("rtp.pcap");
  constexpr std::uint16_t port = 26402;
  const std::vector<std::byte> payload(160, std::byte{0x55});
  const std::array<std::uint32_t, 2> csrcs{10, 0xfeedface};
  const auto ext_data = mcnet::feed::test::bytes({0xde, 0xad, 0xbe, 0xef});
  {
    test::udp_pcap pcap(file);
    std::array<std::byte, 1500> out{};
    const auto add = [&](const rtp::header_fields& f) {
      auto n = rtp::build(out, f, payload);
      ASSERT_TRUE(n) << n.error().message();
      pcap.add(std::span(out).first(*n), port);
    };
    add({.payload_type = 96, .sequence = 65534, .timestamp = 4294967200u, .ssrc = 0x11223344});
    add({.marker = true, .payload_type = 96, .sequence = 65535, .timestamp = 64, .ssrc = 0x11223344, .csrcs = csrcs});
    add({.payload_type = 96,
         .sequence = 0,
         .timestamp = 224,
         .ssrc = 0x11223344,
         .header_extension = rtp::extension{.profile = 0x1234, .data = ext_data},
         .padding = 4});
    add({.payload_type = 0, .sequence = 1, .timestamp = 384, .ssrc = 0x11223344, .padding = 1});
  }
  const auto got = tshark_fields(tshark, file, port, "rtp",
                                 {"rtp.version", "rtp.padding", "rtp.ext", "rtp.cc", "rtp.marker", "rtp.p_type",
                                  "rtp.seq", "rtp.timestamp", "rtp.ssrc", "rtp.csrc.item", "rtp.ext.profile",
                                  "rtp.ext.len", "rtp.padding.count"});
  const std::vector<std::string> want{
      "2|0|0|0|0|96|65534|4294967200|0x11223344||||",
      "2|0|0|2|1|96|65535|64|0x11223344|0x0000000a,0xfeedface|||",
      "2|1|1|0|0|96|0|224|0x11223344||0x1234|1|4",
      "2|1|0|0|0|0|1|384|0x11223344||||1",
  };
  EXPECT_EQ(got, want);
  EXPECT_EQ(tshark_errors(tshark, file, port, "rtp"), "");
}

// Three PIDs (video with a PCR every datagram, audio, null) over 20
// datagrams of 7 packets; the audio PID skips one counter in datagram 10
// and the video PID carries a discontinuity indicator with a jump in
// datagram 15. tshark reads the PIDs and counters the builder wrote, and
// both it and the continuity checker see the one skip on the audio PID.
TEST(FeedInterop, TsharkDecodesMpegTsAsBuiltAndFindsTheSameSkip) {
  MCNET_REQUIRE_PROGRAM(tshark, "tshark", "tshark");
  test::temp_dir dir;
  const auto file = dir.file("mpegts.pcap");
  constexpr std::uint16_t port = 26404;
  constexpr std::uint16_t video = 0x100;
  constexpr std::uint16_t audio = 0x101;
  auto counters = std::make_unique<ts::continuity_counters>();
  auto checker = std::make_unique<ts::continuity_checker>();
  std::vector<std::string> want;  // pid|cc per packet, as read back by the views
  const std::vector<std::byte> body(100, std::byte{0xab});
  {
    test::udp_pcap pcap(file);
    std::array<std::byte, 7 * ts::packet_size> out{};
    for (int d = 0; d < 20; ++d) {
      ts::datagram_builder b(out);
      if (d == 10) (void)counters->take(audio);  // the lost packet
      if (d == 15) {
        for (int i = 0; i < 5; ++i) (void)counters->take(video);
      }
      ASSERT_TRUE(b.append({.pid = video,
                            .payload_unit_start = true,
                            .discontinuity = d == 15,
                            .pcr = ts::clock_reference{.base = 9000u * static_cast<unsigned>(d), .extension = 0}},
                           body, *counters));
      for (int i = 0; i < 3; ++i) ASSERT_TRUE(b.append({.pid = video}, body, *counters));
      ASSERT_TRUE(b.append({.pid = audio}, body, *counters));
      ASSERT_TRUE(b.append({.pid = audio}, body, *counters));
      ASSERT_TRUE(b.append({.pid = ts::null_pid}, body, *counters));
      ASSERT_TRUE(b.full());
      auto view = ts::datagram_view::parse(b.bytes());
      ASSERT_TRUE(view);
      for (auto packet : *view) {
        ASSERT_TRUE(packet) << packet.error().message();
        (void)checker->check(*packet);
        want.push_back(std::to_string(packet->pid()) + "|" + std::to_string(packet->continuity_counter()));
      }
      pcap.add(b.bytes(), port);
    }
  }
  EXPECT_EQ(checker->counts(audio).cc_errors, 1u);
  EXPECT_EQ(checker->counts(video).cc_errors, 0u);
  EXPECT_EQ(checker->counts(video).discontinuities, 1u);

  // One line per datagram: the PIDs and counters of its 7 packets.
  const auto got = tshark_fields(tshark, file, port, "mp2t", {"mp2t.pid", "mp2t.cc"});
  ASSERT_EQ(got.size(), 20u);
  std::vector<std::string> packets;
  for (const auto& line : got) {
    const auto bar = line.find('|');
    ASSERT_NE(bar, std::string::npos) << line;
    std::istringstream pids(line.substr(0, bar));
    std::istringstream ccs(line.substr(bar + 1));
    std::string pid;
    std::string cc;
    while (std::getline(pids, pid, ',') && std::getline(ccs, cc, ',')) {
      packets.push_back(std::to_string(std::stoul(pid, nullptr, 0)) + "|" + cc);
    }
  }
  EXPECT_EQ(packets, want);

  // tshark's own continuity analysis ("Detected missing TS frames") finds
  // the skip on the audio PID (frame 11, datagram 10). It also flags the
  // video jump of frame 16, which Wireshark 4.0 does not excuse under the
  // discontinuity indicator; 13818-1 2.4.3.5 and TR 101 290 1.4 do, and so
  // does the checker (a discontinuity, not an error).
  const auto r = test::run(nullptr,
                           {tshark, "-n", "-r", file, "-d", "udp.port==" + std::to_string(port) + ",mp2t", "-Y",
                            "mp2t.cc.drop", "-T", "fields", "-e", "frame.number", "-e", "mp2t.af.di"},
                           {}, 60s);
  ASSERT_TRUE(r.status.success()) << r.output;
  // With each frame, mp2t.af.di of its packets' adaptation fields (every
  // packet here has one, stuffing a short payload; tshark does not dissect
  // the null packet's, so six): frame 16's first packet has the indicator.
  EXPECT_EQ(r.standard_output, "11\t0,0,0,0,0,0\n16\t1,0,0,0,0,0\n");
}

// ffmpeg writes a real transport stream (MPEG-2 video and MP2 audio); read
// as 7-packet datagrams, every packet parses, no PID has a continuity error,
// the elementary streams are the PIDs ffprobe names, and PCRs advance. Then
// one video packet is cut out of the file: exactly one error, on that PID.
// The tools' header as the project's Lua dissector shows it: found by its
// heuristic (no "Decode As"), every field as built, END and line B flags,
// and the flaws of a forged header as warnings; a datagram without the
// magic or shorter than the header is not taken.
TEST(FeedInterop, TsharkReadsTheToolsHeaderWithTheProjectsDissector) {
  MCNET_REQUIRE_PROGRAM(tshark, "tshark", "tshark");
  namespace feed = mcnet::feed;
  test::temp_dir dir;
  const auto file = dir.file("mcnet.pcap");
  constexpr std::uint16_t port = 26410;
  {
    test::udp_pcap pcap(file);
    const auto add = [&](const feed::test_header& h, std::size_t size, auto&& patch) {
      std::vector<std::byte> out(size);
      ASSERT_EQ(h.build(out).value(), feed::test_header::size);
      patch(out);
      pcap.add(out, port);
    };
    const auto as_built = [](std::vector<std::byte>&) {};
    feed::test_header h{.flags = 0, .sender_id = 7, .session = 12345, .sequence = 0,
                        .send_time_ns = 1'700'000'000'123'456'789, .length = 64};
    add(h, 64, as_built);
    h.flags = feed::test_header::flag_feed_b;
    h.sequence = 1;
    add(h, 64, as_built);
    h = {.flags = feed::test_header::flag_end, .sender_id = 7, .session = 12345, .sequence = 2,
         .send_time_ns = 1'700'000'001'000'000'000, .length = 40};
    add(h, 40, as_built);
    // Forged: the length field says 100 of 64 bytes, a flag bit no version
    // defines, the reserved field set; a sequence number past 2^63.
    h = {.flags = 0, .sender_id = 9, .session = 1, .sequence = 0x8000'0000'0000'0005, .send_time_ns = 0, .length = 100};
    add(h, 64, [](std::vector<std::byte>& out) {
      out[5] = std::byte{0x80};
      out[39] = std::byte{1};
    });
    // Not the header: another magic, and a header cut at 39 bytes.
    h = {.sender_id = 7, .session = 12345, .sequence = 3, .length = 64};
    add(h, 64, [](std::vector<std::byte>& out) { out[3] = std::byte{'2'}; });
    std::vector<std::byte> cut(40);
    ASSERT_TRUE(h.build(cut));
    cut.pop_back();
    pcap.add(cut, port);
  }
  const auto r = test::run(nullptr,
                           {tshark, "-n", "-r", file, "-X", std::string("lua_script:") + MCNET_WIRESHARK_DISSECTOR, "-T",
                            "fields", "-E", "separator=|", "-E", "aggregator=;", "-e", "_ws.col.Protocol", "-e",
                            "mcnet.magic", "-e", "mcnet.version", "-e", "mcnet.flags", "-e", "mcnet.flags.end", "-e",
                            "mcnet.flags.line_b", "-e", "mcnet.header_length", "-e", "mcnet.sender_id", "-e",
                            "mcnet.session", "-e", "mcnet.seq", "-e", "mcnet.send_time", "-e", "mcnet.length", "-e",
                            "mcnet.reserved", "-e", "_ws.expert.message"},
                           {}, 60s);
  ASSERT_TRUE(r.status.success()) << r.status.describe() << "\n" << r.output;
  const std::vector<std::string> want{
      "MCNET|MCN1|1|0x00|0|0|40|7|12345|0|Nov 14, 2023 22:13:20.123456789 UTC|64|0x00000000|",
      "MCNET|MCN1|1|0x02|0|1|40|7|12345|1|Nov 14, 2023 22:13:20.123456789 UTC|64|0x00000000|",
      "MCNET|MCN1|1|0x01|1|0|40|7|12345|2|Nov 14, 2023 22:13:21.000000000 UTC|40|0x00000000|"
      "END marker: the sequence field is the number of sequence numbers the run used",
      "MCNET|MCN1|1|0x80|0|0|40|9|1|9223372036854775813|Jan  1, 1970 00:00:00.000000000 UTC|100|0x00000001|"
      "Flag bits this version does not define are set;"
      "Send time 1700000000 s before the capture time (mcast-recv: a clock error, left out of latency);"  // sent at 0
      "Datagram length field 100, UDP payload 64 bytes;Reserved field is not 0",
      "UDP" + std::string(13, '|'),  // no mcnet field of the 13
      "UDP" + std::string(13, '|'),
  };
  EXPECT_EQ(lines_of(r.standard_output), want) << r.output;
}

// A capture with a snap length (tcpdump -s 75 over Ethernet keeps 33 bytes
// of a UDP payload; here 61 bytes of a raw IPv4 packet do the same) cuts
// the header: the dissector still takes the datagram by its first 8 bytes
// and length on the wire, shows the fields that were captured, none of the
// others, and says the capture truncated it (a note, not malformed). A
// datagram shorter than the header on the wire is still not taken.
TEST(FeedInterop, TsharkShowsAHeaderTheSnapLengthCutWithTheProjectsDissector) {
  MCNET_REQUIRE_PROGRAM(tshark, "tshark", "tshark");
  namespace feed = mcnet::feed;
  test::temp_dir dir;
  const auto file = dir.file("snapped.pcap");
  constexpr std::uint16_t port = 26411;
  {
    test::udp_pcap pcap(file, 20 + 8 + 33);
    const auto add = [&](const feed::test_header& h, std::size_t size) {
      std::vector<std::byte> out(size);
      ASSERT_EQ(h.build(out).value(), feed::test_header::size);
      pcap.add(out, port);
    };
    add({.flags = 0, .sender_id = 7, .session = 12345, .sequence = 5, .send_time_ns = 1'700'000'000'123'456'789,
         .length = 100},
        100);
    add({.flags = feed::test_header::flag_end, .sender_id = 7, .session = 12345, .sequence = 6,
         .send_time_ns = 1'700'000'001'000'000'000, .length = 40},
        40);
    std::vector<std::byte> short_one(30);
    std::vector<std::byte> header(40);
    const feed::test_header short_header{.sender_id = 7, .session = 12345, .sequence = 7, .length = 30};
    ASSERT_TRUE(short_header.build(header));
    std::copy_n(header.begin(), short_one.size(), short_one.begin());
    pcap.add(short_one, port);
  }
  const auto r = test::run(nullptr,
                           {tshark, "-n", "-r", file, "-X", std::string("lua_script:") + MCNET_WIRESHARK_DISSECTOR, "-T",
                            "fields", "-E", "separator=|", "-E", "aggregator=;", "-e", "_ws.col.Protocol", "-e",
                            "mcnet.magic", "-e", "mcnet.version", "-e", "mcnet.flags", "-e", "mcnet.flags.end", "-e",
                            "mcnet.header_length", "-e", "mcnet.sender_id", "-e", "mcnet.session", "-e", "mcnet.seq",
                            "-e", "mcnet.send_time", "-e", "mcnet.length", "-e", "mcnet.reserved", "-e",
                            "_ws.expert.message", "-e", "_ws.col.Info"},
                           {}, 60s);
  ASSERT_TRUE(r.status.success()) << r.status.describe() << "\n" << r.output;
  const std::string cut = "Truncated by the capture's snap length: 33 of the datagram's ";
  const std::string header_cut = " bytes captured (33 of the 40-byte header): the fields past them are not shown";
  const std::vector<std::string> want{
      "MCNET|MCN1|1|0x00|0|40|7|12345|5|Nov 14, 2023 22:13:20.123456789 UTC|||" + cut + "100" + header_cut +
          "|seq=5 sender=7 session=12345 len=? [truncated by the capture: 33 of 100 bytes]",
      "MCNET|MCN1|1|0x01|1|40|7|12345|6|Nov 14, 2023 22:13:21.000000000 UTC|||" + cut + "40" + header_cut +
          ";END marker: the sequence field is the number of sequence numbers the run used"
          "|END count=6 sender=7 session=12345 [truncated by the capture: 33 of 40 bytes]",
  };
  const auto got = lines_of(r.standard_output);
  ASSERT_EQ(got.size(), 3u) << r.output;
  EXPECT_EQ(std::vector<std::string>(got.begin(), got.begin() + 2), want) << r.output;
  EXPECT_EQ(got[2].substr(0, 4), "UDP|") << "30 bytes on the wire: not mcnet\n" << r.output;
  // Truncated by the capture is not malformed: no malformed packet, no error.
  const auto errors = test::run(nullptr,
                                {tshark, "-n", "-r", file, "-X", std::string("lua_script:") + MCNET_WIRESHARK_DISSECTOR,
                                 "-Y", "_ws.malformed || _ws.expert.severity == error", "-T", "fields", "-e",
                                 "frame.number"},
                                {}, 60s);
  ASSERT_TRUE(errors.status.success()) << errors.output;
  EXPECT_EQ(errors.standard_output, "") << errors.output;
}

// Decode As forces any UDP through the dissector: a datagram mcast-recv
// would not read (another magic, as iperf2's) says "not mcnet" in its Info
// column, and gets no mcast-recv clock verdict on its bytes 24-31 (trial20i
// 13: iperf2 read "seq=5188428898542551041 sender=21710 ..." with a clock
// error note).
TEST(FeedInterop, TsharkCallsAForcedForeignDatagramNotMcnet) {
  MCNET_REQUIRE_PROGRAM(tshark, "tshark", "tshark");
  test::temp_dir dir;
  const auto file = dir.file("foreign.pcap");
  constexpr std::uint16_t port = 26412;
  {
    test::udp_pcap pcap(file);
    std::vector<std::byte> d(100);
    for (std::size_t i = 0; i < d.size(); ++i) d[i] = static_cast<std::byte>(i * 37 + 11);
    pcap.add(d, port);
  }
  const auto r = test::run(nullptr,
                           {tshark, "-n", "-r", file, "-X", std::string("lua_script:") + MCNET_WIRESHARK_DISSECTOR, "-d",
                            "udp.port==" + std::to_string(port) + ",mcnet", "-T", "fields", "-E", "separator=|", "-E",
                            "aggregator=;", "-e", "_ws.col.Info", "-e", "_ws.expert.message"},
                           {}, 60s);
  ASSERT_TRUE(r.status.success()) << r.status.describe() << "\n" << r.output;
  const auto got = lines_of(r.standard_output);
  ASSERT_EQ(got.size(), 1u) << r.output;
  EXPECT_EQ(got[0].substr(0, got[0].find('|')), "not mcnet (bad magic): 100 bytes") << r.output;
  EXPECT_NE(got[0].find("Magic is not"), std::string::npos) << r.output;
  EXPECT_EQ(got[0].find("clock error"), std::string::npos) << r.output;
}

TEST(FeedInterop, FfmpegTransportStreamReadsCleanAndACutPacketIsOneError) {
  MCNET_REQUIRE_PROGRAM(ffmpeg, "ffmpeg", "ffmpeg");
  MCNET_REQUIRE_PROGRAM(ffprobe, "ffprobe", "ffmpeg");
  test::temp_dir dir;
  const auto file = dir.file("av.ts");
  const auto made = test::run(nullptr,
                              {ffmpeg, "-nostdin", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i",
                               "testsrc=size=320x240:rate=25", "-f", "lavfi", "-i", "sine=frequency=1000", "-t", "2",
                               "-c:v", "mpeg2video", "-c:a", "mp2", "-f", "mpegts", file},
                              {}, 120s);
  ASSERT_TRUE(made.status.success()) << made.status.describe() << "\n" << made.output;
  const auto probe = test::run(nullptr,
                               {ffprobe, "-v", "error", "-show_entries", "stream=id,codec_name", "-of", "csv=p=0",
                                file},
                               {}, 60s);
  ASSERT_TRUE(probe.status.success()) << probe.output;
  std::map<std::uint16_t, std::string> streams;  // PID -> codec, from ffprobe
  // "codec,id" per stream; ffprobe lists each stream twice (in its program
  // and at the top level), some lines with a trailing comma, between blanks.
  for (const auto& line : lines_of(probe.standard_output)) {
    if (line.empty()) continue;
    const auto comma = line.find(',');
    ASSERT_NE(comma, std::string::npos) << line;
    streams[static_cast<std::uint16_t>(std::stoul(line.substr(comma + 1), nullptr, 0))] = line.substr(0, comma);
  }
  ASSERT_EQ(streams.size(), 2u) << probe.standard_output;

  const auto bytes = read_file(file);
  ASSERT_FALSE(bytes.empty());
  ASSERT_EQ(bytes.size() % ts::packet_size, 0u);

  struct reading {
    std::unique_ptr<ts::continuity_checker> checker = std::make_unique<ts::continuity_checker>();
    std::uint64_t packets = 0;
    std::uint64_t pcrs = 0;
    bool pcr_advances = true;
  };
  const auto read = [](std::span<const std::byte> all) {
    reading r;
    std::optional<std::uint64_t> last_pcr;
    for (std::size_t at = 0; at < all.size(); at += 7 * ts::packet_size) {
      const auto datagram = all.subspan(at, std::min<std::size_t>(7 * ts::packet_size, all.size() - at));
      auto view = ts::datagram_view::parse(datagram);
      EXPECT_TRUE(view) << view.error().message();
      if (!view) return r;
      for (auto packet : *view) {
        EXPECT_TRUE(packet) << packet.error().message();
        if (!packet) continue;
        ++r.packets;
        (void)r.checker->check(*packet);
        if (auto pcr = packet->pcr()) {
          ++r.pcrs;
          if (last_pcr && pcr->ticks_27mhz() <= *last_pcr) r.pcr_advances = false;
          last_pcr = pcr->ticks_27mhz();
        }
      }
    }
    return r;
  };

  const auto clean = read(bytes);
  EXPECT_EQ(clean.packets, bytes.size() / ts::packet_size);
  EXPECT_EQ(clean.checker->totals().cc_errors, 0u);
  EXPECT_GT(clean.pcrs, 10u) << "ffmpeg sends a PCR at least every 100 ms";
  EXPECT_TRUE(clean.pcr_advances);
  for (const auto& [pid, codec] : streams) {
    EXPECT_GT(clean.checker->counts(pid).packets, 10u) << "PID " << pid << " (" << codec << ")";
  }
  EXPECT_GT(clean.checker->counts(0).packets, 0u) << "the PAT";

  // Cut the 50th packet of the video PID (the one ffprobe calls mpeg2video).
  std::uint16_t video = 0;
  for (const auto& [pid, codec] : streams) {
    if (codec == "mpeg2video") video = pid;
  }
  ASSERT_NE(video, 0) << probe.standard_output;
  std::vector<std::byte> cut;
  int seen = 0;
  for (std::size_t at = 0; at < bytes.size(); at += ts::packet_size) {
    const auto packet = ts::packet_view::parse(std::span(bytes).subspan(at, ts::packet_size));
    ASSERT_TRUE(packet);
    if (packet->pid() == video && packet->has_payload() && ++seen == 50) continue;
    cut.insert(cut.end(), bytes.begin() + static_cast<std::ptrdiff_t>(at),
               bytes.begin() + static_cast<std::ptrdiff_t>(at + ts::packet_size));
  }
  const auto damaged = read(cut);
  EXPECT_EQ(damaged.checker->counts(video).cc_errors, 1u);
  EXPECT_EQ(damaged.checker->totals().cc_errors, 1u);
}

// GStreamer's RTP payloader (L16 audio, 20 ms a packet) framed as RFC 4571
// (a 16-bit length before each packet) into a file: every packet parses as
// the payloader was told (payload type, SSRC), the 16-bit sequence wraps
// from 65535 to 0 without a loss, and the timestamp advances by 160 (8 kHz
// x 20 ms), across its own wrap.
TEST(FeedInterop, GstreamerRtpPacketsParseAndTrackAcrossTheWrap) {
  MCNET_REQUIRE_PROGRAM(gst, "gst-launch-1.0", "gstreamer1.0-tools");
  test::temp_dir dir;
  const auto file = dir.file("l16.rtp");
  const auto made = test::run(
      nullptr,
      {gst, "-q", "audiotestsrc", "num-buffers=60", "samplesperbuffer=160", "!",
       "audio/x-raw,format=S16BE,rate=8000,channels=1", "!", "rtpL16pay", "pt=96", "ssrc=305419896",
       "seqnum-offset=65500", "timestamp-offset=4294967000", "max-ptime=20000000", "min-ptime=20000000", "!",
       "rtpstreampay", "!", "filesink", "location=" + file},
      {}, 60s);
  ASSERT_TRUE(made.status.success()) << made.status.describe() << "\n" << made.output;
  const auto bytes = read_file(file);
  ASSERT_FALSE(bytes.empty()) << made.output;

  mcnet::feed::rtp_sequence_tracker tracker;
  std::size_t packets = 0;
  std::optional<std::uint32_t> last_ts;
  std::set<std::uint32_t> steps;
  for (std::size_t at = 0; at + 2 <= bytes.size();) {
    const auto length = (std::to_integer<std::size_t>(bytes[at]) << 8) | std::to_integer<std::size_t>(bytes[at + 1]);
    at += 2;
    ASSERT_LE(at + length, bytes.size()) << "a frame runs past the end of the file";
    auto p = rtp::packet_view::parse(std::span(bytes).subspan(at, length));
    at += length;
    ASSERT_TRUE(p) << p.error().message();
    EXPECT_EQ(p->payload_type(), 96);
    EXPECT_EQ(p->ssrc(), 305419896u);
    EXPECT_EQ(p->payload().size() % 2, 0u) << "16-bit samples";
    (void)tracker.add(p->sequence());
    if (last_ts) steps.insert(p->timestamp() - *last_ts);  // modulo 2^32, as RTP timestamps are
    last_ts = p->timestamp();
    ++packets;
  }
  EXPECT_EQ(packets, 60u);
  EXPECT_EQ(tracker.received(), 60u);
  EXPECT_EQ(tracker.lost(), 0u);
  EXPECT_EQ(tracker.reordered(), 0u);
  EXPECT_EQ(tracker.cycles(), 1u) << "65500 + 59 wraps once";
  EXPECT_EQ(tracker.extended_highest(), 65500u + 59u) << "one cycle of 65536 plus 23";
  EXPECT_EQ(steps, (std::set<std::uint32_t>{160}));
}

}  // namespace
