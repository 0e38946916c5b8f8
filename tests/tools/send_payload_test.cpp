// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// mcast-send's feed payloads without sockets: what a good command line
// gives (sizes, defaults), and the datagrams a run's batches hold, decoded
// back with the feed views: MoldUDP64 message numbers and counts, the end of
// session; RTP sequence numbers and timestamps across their wraps; MPEG-TS
// continuity counters per PID; and what each fault does to each payload.

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <mcnet/feed/moldudp64.hpp>
#include <mcnet/feed/mpegts.hpp>
#include <mcnet/feed/rtp.hpp>
#include <mcnet/tools/pacer.hpp>
#include <mcnet/tools/send_options.hpp>
#include <mcnet/tools/sender.hpp>

namespace tools = mcnet::tools;
namespace mold = mcnet::feed::moldudp64;
namespace rtp = mcnet::feed::rtp;
namespace ts = mcnet::feed::mpegts;

namespace {

tools::send_settings settings(std::vector<std::string> args) {
  args.push_back("239.255.1.1:5000");
  auto c = tools::parse_send_command_line(args);
  EXPECT_TRUE(c.has_value()) << (c ? "" : c.error().message);
  return c ? c->settings : tools::send_settings{};
}

// A clock that advances 1 ms per reading.
std::uint64_t millisecond_clock() {
  static std::uint64_t t = 1'000'000'000;
  return t += 1'000'000;
}

// A target of `s` (a feed payload) sending `count` datagrams with `f`.
tools::send_target target(const tools::send_settings& s, std::uint64_t count, tools::faults f = {},
                          tools::rtp_start start = {.ssrc = 0xcafe0001, .sequence = 100, .timestamp = 5000}) {
  tools::send_target t;
  t.order = tools::send_order::make(count, f).value();
  t.stream.emplace(s.payload, s.size, start);
  return t;
}

// Every datagram of `t`'s whole run, as sent.
std::vector<std::vector<std::byte>> run(const tools::send_settings& s, tools::send_target& t, std::size_t batch = 5) {
  tools::batch_builder b(batch, s.size, 0, 0, millisecond_clock);
  std::vector<std::vector<std::byte>> out;
  while (!t.done) {
    for (const auto& m : b.fill(t, tools::pacer::unlimited)) {
      out.emplace_back(m.buffer.data(), m.buffer.data() + m.size);
    }
  }
  return out;
}

TEST(SendPayloadOptions, EachPayloadSizesItsDatagrams) {
  const auto mcnet = settings({});
  EXPECT_EQ(mcnet.payload.kind, tools::payload_kind::mcnet);
  EXPECT_EQ(mcnet.size, 100u);
  const auto m = settings({"--payload", "moldudp64", "--session", "ABC", "--messages", "3", "--message-size", "10"});
  EXPECT_EQ(m.payload.kind, tools::payload_kind::moldudp64);
  EXPECT_EQ(m.payload.session.view(), "ABC       ") << "space padded";
  EXPECT_EQ(m.size, 20u + 3 * 12) << "header, then 3 messages of a 2-byte length and 10 bytes";
  // A session of its own each run (trial t20r F7): MCNET and 5 random
  // letters and digits.
  const auto m_default = settings({"--payload", "moldudp64"});
  const auto name = std::string(m_default.payload.session.name());
  EXPECT_EQ(name.size(), 10u) << name;
  EXPECT_TRUE(name.starts_with("MCNET")) << name;
  EXPECT_TRUE(std::ranges::all_of(name, [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }))
      << name;
  EXPECT_NE(settings({"--payload", "moldudp64"}).payload.session.name(), name) << "another run, another session";
  EXPECT_EQ(m_default.size, 20u + 34);
  EXPECT_EQ(settings({"--payload", "moldudp64", "--messages", "32743", "--message-size", "0"}).size, 20u + 2 * 32743)
      << "the most empty messages a datagram holds";
  const auto r = settings({"--payload", "rtp"});
  EXPECT_EQ(r.payload.rtp_pt, 33);
  EXPECT_FALSE(r.payload.ssrc.has_value()) << "random by default";
  EXPECT_EQ(r.size, 12u + 7 * 188) << "payload type 33: 7 transport packets";
  const auto r96 = settings({"--payload", "rtp", "--rtp-pt", "96", "--ssrc", "4294967295", "-s", "172"});
  EXPECT_EQ(r96.size, 172u);
  EXPECT_EQ(r96.payload.ssrc, 4294967295u);
  EXPECT_EQ(settings({"--payload", "rtp", "--rtp-pt", "96"}).size, 100u) << "--size's default";
  const auto t = settings({"--payload", "mpegts", "--pids", "7935"});
  EXPECT_EQ(t.size, 1316u);
  EXPECT_EQ(t.payload.pids, 7935u);
  EXPECT_EQ(settings({"--payload", "mpegts", "-r", "1316kbps"}).pace->packets_per_second(t.size), 125.0)
      << "a bit rate counts the datagram's bytes";
}

TEST(SendPayloadOptions, RtpClocksFollowRfc3551) {
  EXPECT_EQ(tools::rtp_clock_hz(0), 8000u);
  EXPECT_EQ(tools::rtp_clock_hz(6), 16000u);
  EXPECT_EQ(tools::rtp_clock_hz(10), 44100u);
  EXPECT_EQ(tools::rtp_clock_hz(33), 90000u);
  EXPECT_EQ(tools::rtp_clock_hz(96), 90000u);
  EXPECT_EQ(tools::rtp_clock_hz(127), 90000u);
  for (int pt : {1, 2, 19, 20, 27, 35, 72, 76, 95}) EXPECT_FALSE(tools::rtp_clock_hz(static_cast<std::uint8_t>(pt))) << pt;
}

// The packets of `datagrams` parsed as `View`s (mold or rtp packet_view),
// views into them (keep them alive).
template <class View>
std::vector<View> parsed(const std::vector<std::vector<std::byte>>& datagrams) {
  std::vector<View> out;
  for (const auto& d : datagrams) {
    auto p = View::parse(d);
    EXPECT_TRUE(p.has_value()) << (p ? "" : p.error().message());
    if (p) out.push_back(*p);
  }
  return out;
}

std::vector<mold::packet_view> mold_packets(const std::vector<std::vector<std::byte>>& datagrams) {
  return parsed<mold::packet_view>(datagrams);
}

TEST(SendPayload, MoldUdp64NumbersMessagesFromOneAndEndsTheSession) {
  const auto s = settings({"--payload", "moldudp64", "--session", "S1", "--messages", "3", "--message-size", "10"});
  auto t = target(s, 4);
  const auto datagrams = run(s, t);
  const auto packets = mold_packets(datagrams);
  ASSERT_EQ(packets.size(), 4u);
  std::uint64_t want = 1;
  for (const auto& p : packets) {
    EXPECT_EQ(p.session().name(), "S1");
    EXPECT_EQ(p.count_field(), 3u);
    for (const auto& m : p) {
      EXPECT_EQ(m.sequence, want);
      ASSERT_EQ(m.bytes.size(), 10u);
      EXPECT_EQ(mcnet::feed::load_be<std::uint64_t>(m.bytes.data()), want) << "the message starts with its number";
      ++want;
    }
  }
  std::array<std::byte, 40> end{};
  const auto n = t.stream->write_end(t.order->issued(), end);
  const auto eos = mold::packet_view::parse(std::span(end).first(n));
  ASSERT_TRUE(eos.has_value());
  EXPECT_TRUE(eos->is_end_of_session());
  EXPECT_EQ(eos->sequence(), 13u) << "the next message";
  EXPECT_EQ(t.stream->first_sequence(), 1u);
  EXPECT_EQ(t.stream->next_sequence(4), 13u);
}

TEST(SendPayload, MoldUdp64FaultsActOnPackets) {
  const auto s = settings({"--payload", "moldudp64", "--messages", "2"});
  auto dropped = target(s, 6, {.drop_every = 3});
  std::vector<std::uint64_t> firsts;
  const auto sent = run(s, dropped);
  for (const auto& p : mold_packets(sent)) firsts.push_back(p.sequence());
  EXPECT_EQ(firsts, (std::vector<std::uint64_t>{1, 3, 7, 9})) << "packets 2 and 5 lose messages 5-6 and 11-12";
  EXPECT_EQ(dropped.stream->next_sequence(dropped.order->issued()), 13u) << "the end of session counts them";
  auto dup = target(s, 4, {.dup_every = 2});
  const auto d = run(s, dup);
  firsts.clear();
  for (const auto& p : mold_packets(d)) firsts.push_back(p.sequence());
  EXPECT_EQ(firsts, (std::vector<std::uint64_t>{1, 3, 3, 5, 7, 7}));
  EXPECT_EQ(d[1], d[2]) << "a duplicate is the same bytes";
  auto reordered = target(s, 5, {.reorder_every = 2});
  firsts.clear();
  const auto r = run(s, reordered);
  for (const auto& p : mold_packets(r)) firsts.push_back(p.sequence());
  EXPECT_EQ(firsts, (std::vector<std::uint64_t>{1, 5, 3, 9, 7}));
}

std::vector<rtp::packet_view> rtp_packets(const std::vector<std::vector<std::byte>>& datagrams) {
  return parsed<rtp::packet_view>(datagrams);
}

TEST(SendPayload, RtpSequenceAndTimestampWrap) {
  const auto s = settings({"--payload", "rtp", "--rtp-pt", "96", "-s", "60"});
  auto t = target(s, 6, {}, {.ssrc = 0xdeadbeef, .sequence = 65533, .timestamp = 0xffffff00u});
  const auto datagrams = run(s, t);
  const auto packets = rtp_packets(datagrams);
  ASSERT_EQ(packets.size(), 6u);
  std::vector<std::uint16_t> seqs;
  std::vector<std::uint32_t> stamps;
  for (const auto& p : packets) {
    EXPECT_EQ(p.ssrc(), 0xdeadbeefu);
    EXPECT_EQ(p.payload_type(), 96);
    EXPECT_EQ(p.bytes().size(), 60u);
    EXPECT_EQ(p.payload().size(), 48u);
    seqs.push_back(p.sequence());
    stamps.push_back(p.timestamp());
  }
  EXPECT_EQ(seqs, (std::vector<std::uint16_t>{65533, 65534, 65535, 0, 1, 2}));
  // The clock reads 1 ms later per datagram: 90 ticks at 90 kHz, from the start.
  EXPECT_EQ(stamps, (std::vector<std::uint32_t>{0xffffff00u, 0xffffff5au, 0xffffffb4u, 0x0eu, 0x68u, 0xc2u}));
  EXPECT_EQ(t.stream->next_sequence(t.order->issued()), 3u);
  std::array<std::byte, 40> end{};
  EXPECT_EQ(t.stream->write_end(6, end), 0u) << "no end marker in an RTP stream";
}

TEST(SendPayload, RtpAudioClock) {
  const auto s = settings({"--payload", "rtp", "--rtp-pt", "0", "-s", "172"});
  auto t = target(s, 3);
  std::vector<std::uint32_t> stamps;
  const auto sent = run(s, t);
  for (const auto& p : rtp_packets(sent)) stamps.push_back(p.timestamp());
  EXPECT_EQ(stamps, (std::vector<std::uint32_t>{5000, 5008, 5016})) << "8 kHz: 8 ticks a millisecond";
}

TEST(SendPayload, RtpFaultsActOnSequenceNumbers) {
  const auto s = settings({"--payload", "rtp", "--rtp-pt", "96"});
  auto dropped = target(s, 7, {.drop_every = 3}, {.ssrc = 1, .sequence = 65534, .timestamp = 0});
  std::vector<std::uint16_t> seqs;
  const auto sent = run(s, dropped);
  for (const auto& p : rtp_packets(sent)) seqs.push_back(p.sequence());
  EXPECT_EQ(seqs, (std::vector<std::uint16_t>{65534, 65535, 1, 2, 4})) << "datagrams 2 and 5 skip 0 and 3";
  // All three at once: every datagram still carries its own sequence number
  // and a timestamp that never falls as it rises (each was built in its turn).
  auto all = target(s, 40, {.drop_every = 7, .dup_every = 5, .reorder_every = 3}, {.ssrc = 1, .sequence = 0, .timestamp = 0});
  auto order = tools::send_order::make(40, {.drop_every = 7, .dup_every = 5, .reorder_every = 3}).value();
  const auto datagrams = run(s, all, 3);
  const auto packets = rtp_packets(datagrams);
  std::map<std::uint16_t, std::vector<std::byte>> by_seq;
  for (std::size_t i = 0; i < packets.size(); ++i) {
    const auto want = order.next();
    ASSERT_TRUE(want.has_value());
    EXPECT_EQ(packets[i].sequence(), *want) << "datagram " << i;
    auto [it, fresh] = by_seq.emplace(packets[i].sequence(), datagrams[i]);
    if (!fresh) {
      EXPECT_EQ(it->second, datagrams[i]) << "a duplicate repeats the bytes";
    }
  }
  EXPECT_FALSE(order.next().has_value()) << "as many datagrams as the order sends";
  // A datagram built with the one after it (held for a reorder) shares its
  // timestamp: never less than the one before.
  std::uint32_t last = 0;
  for (const auto& [seq, bytes] : by_seq) {
    const auto p = rtp::packet_view::parse(bytes).value();
    EXPECT_GE(p.timestamp(), last) << "sequence " << seq;
    last = p.timestamp();
  }
  EXPECT_GT(last, 0u);
}

// The PID and continuity counter of every transport packet, in order.
std::vector<std::pair<std::uint16_t, std::uint8_t>> ts_packets(std::span<const std::byte> datagram) {
  std::vector<std::pair<std::uint16_t, std::uint8_t>> out;
  const auto d = ts::datagram_view::parse(datagram);
  EXPECT_TRUE(d.has_value());
  if (!d) return out;
  for (auto p : *d) {
    EXPECT_TRUE(p.has_value());
    if (p) out.emplace_back(p->pid(), p->continuity_counter());
  }
  return out;
}

// Every transport packet of `datagram` through `checker`.
void check_all(ts::continuity_checker& checker, std::span<const std::byte> datagram) {
  const auto view = ts::datagram_view::parse(datagram);
  ASSERT_TRUE(view.has_value());
  for (auto p : *view) {
    ASSERT_TRUE(p.has_value());
    (void)checker.check(*p);
  }
}

TEST(SendPayload, MpegTsCountersCountPerPid) {
  const auto s = settings({"--payload", "mpegts", "--pids", "3"});
  auto t = target(s, 10);
  const auto datagrams = run(s, t);
  ASSERT_EQ(datagrams.size(), 10u);
  auto checker = std::make_unique<ts::continuity_checker>();
  std::map<std::uint16_t, std::uint8_t> next;
  std::uint64_t packet = 0;
  for (const auto& d : datagrams) {
    ASSERT_EQ(d.size(), 1316u);
    for (const auto& [pid, cc] : ts_packets(d)) {
      EXPECT_EQ(pid, 0x100 + packet++ % 3) << "PIDs cycle";
      EXPECT_EQ(cc, next[pid]) << "pid " << pid;
      next[pid] = static_cast<std::uint8_t>((cc + 1) % 16);
    }
    check_all(*checker, d);
  }
  EXPECT_EQ(checker->totals().cc_errors, 0u);
  EXPECT_EQ(checker->totals().packets, 70u);
  EXPECT_EQ(t.stream->next_continuity(t.order->issued()), (std::vector<std::uint8_t>{next[0x100], next[0x101], next[0x102]}));
  EXPECT_EQ(t.stream->first_sequence(), std::nullopt);
}

TEST(SendPayload, MpegTsFaultsMakeCountersJump) {
  const auto s = settings({"--payload", "mpegts", "--pids", "2"});
  // Datagram 1 dropped: its 7 packets (PID 0x101 4 of them, 0x100 3) are
  // missing, so each PID's counter jumps once: 2 errors.
  auto dropped = target(s, 3, {.drop_every = 2});
  const auto d = run(s, dropped);
  ASSERT_EQ(d.size(), 2u);
  auto first = ts_packets(d[0]);
  auto third = ts_packets(d[1]);
  EXPECT_EQ(first.back(), (std::pair<std::uint16_t, std::uint8_t>{0x100, 3}));
  EXPECT_EQ(third.front(), (std::pair<std::uint16_t, std::uint8_t>{0x100, 7})) << "packet 14: 0x100's eighth";
  auto checker = std::make_unique<ts::continuity_checker>();
  for (const auto& g : d) check_all(*checker, g);
  EXPECT_EQ(checker->counts(0x100).cc_errors, 1u);
  EXPECT_EQ(checker->counts(0x101).cc_errors, 1u);
  // 7 PIDs: a duplicated datagram repeats each PID's packet once, the one
  // duplicate ISO/IEC 13818-1 allows: no error, 7 duplicates.
  const auto s7 = settings({"--payload", "mpegts", "--pids", "7"});
  auto dup = target(s7, 3, {.dup_every = 2});
  checker->reset();
  const auto dd = run(s7, dup);
  ASSERT_EQ(dd.size(), 4u);
  EXPECT_EQ(dd[1], dd[2]);
  for (const auto& g : dd) check_all(*checker, g);
  EXPECT_EQ(checker->totals().cc_errors, 0u);
  EXPECT_EQ(checker->totals().duplicates, 7u);
  // 3 PIDs: the repeat sends each PID's counter back once.
  const auto s3 = settings({"--payload", "mpegts", "--pids", "3"});
  auto dup3 = target(s3, 3, {.dup_every = 2});
  checker->reset();
  for (const auto& g : run(s3, dup3)) check_all(*checker, g);
  for (std::uint16_t pid = 0x100; pid < 0x103; ++pid) EXPECT_EQ(checker->counts(pid).cc_errors, 1u) << pid;
  // A reordered pair (datagrams 3 and 4 of 8, 3 PIDs): each PID jumps into
  // 4, back to 3 and on to 5.
  auto reordered = target(s3, 8, {.reorder_every = 4});
  checker->reset();
  for (const auto& g : run(s3, reordered)) check_all(*checker, g);
  for (std::uint16_t pid = 0x100; pid < 0x103; ++pid) EXPECT_EQ(checker->counts(pid).cc_errors, 3u) << pid;
}

TEST(SendPayload, RtpPayloadType33CarriesTransportPackets) {
  const auto s = settings({"--payload", "rtp", "--pids", "2"});
  auto t = target(s, 4, {.drop_every = 4});
  const auto sent = run(s, t);
  const auto packets = rtp_packets(sent);
  ASSERT_EQ(packets.size(), 3u);
  auto checker = std::make_unique<ts::continuity_checker>();
  for (const auto& p : packets) {
    EXPECT_EQ(p.payload_type(), 33);
    ASSERT_EQ(p.payload().size(), 1316u);
    check_all(*checker, p.payload());
  }
  EXPECT_EQ(checker->totals().cc_errors, 0u) << "the dropped one was the last";
  EXPECT_EQ(t.stream->next_continuity(t.order->issued()), (std::vector<std::uint8_t>{14, 14})) << "28 packets built, 14 per PID";
}

}  // namespace
