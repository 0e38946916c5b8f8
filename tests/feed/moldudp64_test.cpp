// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// MoldUDP64 downstream and request packets: hand-made bytes, round trips
// through the builders, every malformed form.

#include <gtest/gtest.h>

#include <array>
#include <cstddef>
#include <span>
#include <vector>

#include <mcnet/feed/moldudp64.hpp>

#include "wire.hpp"

namespace {

namespace mold = mcnet::feed::moldudp64;
using namespace mcnet::feed::test;
using mcnet::errc;

const auto kSession = text("NASDAQ01  ");
// Session "NASDAQ01", first sequence 1000, 3 messages: "AB", "" and "XYZ".
const auto kPacket = kSession + bytes({0, 0, 0, 0, 0, 0, 0x03, 0xe8, 0, 3, 0, 2, 'A', 'B', 0, 0, 0, 3, 'X', 'Y', 'Z'});
const auto kHeartbeat = kSession + bytes({0, 0, 0, 0, 0, 0, 0x03, 0xeb, 0, 0});
const auto kEnd = kSession + bytes({0, 0, 0, 0, 0, 0, 0x03, 0xeb, 0xff, 0xff});

mold::session_id session() { return mold::session_id::make("NASDAQ01").value(); }

TEST(MoldUdp64, SessionIdsArePaddedPrintableAscii) {
  auto s = mold::session_id::make("AB");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->view(), "AB        ");
  EXPECT_EQ(s->name(), "AB");
  EXPECT_EQ(mold::session_id{}.view(), "          ");
  EXPECT_EQ(mold::session_id::make("0123456789").value().name(), "0123456789");
  auto r = mold::session_id::make("0123456789A");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().what, "length");
  EXPECT_EQ(r.error().number(), 11);
  r = mold::session_id::make("AB\tC");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().what, "character");
  EXPECT_EQ(r.error().number(), '\t');
  EXPECT_EQ(field(mold::session_id::make("\x7f")), "character");
}

TEST(MoldUdp64, ParsesAHandMadePacketAndItsMessages) {
  auto p = mold::packet_view::parse(kPacket);
  ASSERT_TRUE(p) << p.error().message();
  EXPECT_EQ(p->session().name(), "NASDAQ01");
  EXPECT_EQ(p->sequence(), 1000u);
  EXPECT_EQ(p->count_field(), 3u);
  EXPECT_EQ(p->size(), 3u);
  EXPECT_FALSE(p->is_heartbeat());
  EXPECT_FALSE(p->is_end_of_session());
  EXPECT_EQ(p->next_sequence(), 1003u);
  std::vector<mold::message> got(p->begin(), p->end());
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].sequence, 1000u);
  EXPECT_TRUE(same(got[0].bytes, text("AB")));
  EXPECT_EQ(got[1].sequence, 1001u);
  EXPECT_TRUE(got[1].bytes.empty());
  EXPECT_EQ(got[2].sequence, 1002u);
  EXPECT_TRUE(same(got[2].bytes, text("XYZ")));
  EXPECT_EQ(got[2].bytes.data(), kPacket.data() + kPacket.size() - 3) << "a view into the packet, not a copy";
}

TEST(MoldUdp64, HeartbeatAndEndOfSessionHaveNoMessages) {
  auto h = mold::packet_view::parse(kHeartbeat);
  ASSERT_TRUE(h) << h.error().message();
  EXPECT_TRUE(h->is_heartbeat());
  EXPECT_TRUE(h->empty());
  EXPECT_EQ(h->next_sequence(), 1003u) << "a heartbeat carries the next expected sequence number";
  EXPECT_EQ(h->begin(), h->end());
  auto e = mold::packet_view::parse(kEnd);
  ASSERT_TRUE(e) << e.error().message();
  EXPECT_TRUE(e->is_end_of_session());
  EXPECT_FALSE(e->is_heartbeat());
  EXPECT_EQ(e->count_field(), 0xffffu);
  EXPECT_EQ(e->size(), 0u);
  EXPECT_EQ(e->next_sequence(), 1003u);
  EXPECT_EQ(e->begin(), e->end());
}

TEST(MoldUdp64, EveryLengthShortOfTheHeaderIsRefused) {
  expect_too_short(mold::packet_view::parse, kPacket, mold::header_size, "moldudp64 packet");
}

TEST(MoldUdp64, MessagesThatRunOutAreRefusedAtEachCut) {
  // Cut after each byte past the header: the count says 3 but the bytes run
  // out, in a length prefix or in a message. The message named is the one cut.
  const std::array<int, 11> cut_message{0, 0, 0, 0, 1, 1, 2, 2, 2, 2, 2};
  for (std::size_t n = mold::header_size; n < kPacket.size(); ++n) {
    auto r = mold::packet_view::parse(std::span(kPacket).first(n));
    ASSERT_FALSE(r) << n;
    EXPECT_EQ(r.error().what, "message length") << n;
    EXPECT_EQ(r.error().number(), cut_message[n - mold::header_size]) << n;
  }
  auto more = kPacket;
  more[19] = std::byte{4};  // count 4, three messages
  auto r = mold::packet_view::parse(more);
  EXPECT_EQ(field(r), "message length");
  EXPECT_EQ(r.error().number(), 3);
  auto longer = kPacket;
  longer[27] = std::byte{4};  // "XYZ" announced as 4 bytes
  EXPECT_EQ(field(mold::packet_view::parse(longer)), "message length");
}

TEST(MoldUdp64, TrailingBytesAreRefused) {
  auto r = mold::packet_view::parse(kPacket + bytes({0}));
  EXPECT_EQ(field(r), "trailing bytes");
  EXPECT_EQ(r.error().number(), 1);
  auto fewer = kPacket;
  fewer[19] = std::byte{2};  // count 2: "XYZ" and its prefix are left over
  r = mold::packet_view::parse(fewer);
  EXPECT_EQ(field(r), "trailing bytes");
  EXPECT_EQ(r.error().number(), 5);
  EXPECT_EQ(field(mold::packet_view::parse(kHeartbeat + bytes({0, 0}))), "trailing bytes");
  EXPECT_EQ(field(mold::packet_view::parse(kEnd + bytes({0, 1, 'A'}))), "trailing bytes")
      << "an end of session has no messages";
}

TEST(MoldUdp64, ASessionOutsidePrintableAsciiIsRefused) {
  for (unsigned c : {0x00u, 0x1fu, 0x7fu, 0x80u, 0xffu}) {
    auto bad = kPacket;
    bad[9] = static_cast<std::byte>(c);
    auto r = mold::packet_view::parse(bad);
    ASSERT_FALSE(r) << c;
    EXPECT_EQ(r.error().what, "session");
    EXPECT_EQ(r.error().number(), static_cast<std::int64_t>(c));
  }
}

// Issue 16, hostile trial 16 (finding 7): a packet whose numbers pass
// 2^64 - 1 counted message 0 (the number wrapped). Refused as malformed; a
// packet whose last message is 2^64 - 1 too (its next sequence number
// cannot be written), but a heartbeat or end of session anywhere is fine.
TEST(MoldUdp64, APacketWhoseNumbersPass2To64IsRefused) {
  auto wrap = kPacket;  // 3 messages
  for (std::size_t i = 10; i < 18; ++i) wrap[i] = std::byte{0xff};
  wrap[17] = std::byte{0xfb};  // 2^64 - 5: 2^64 - 5 .. 2^64 - 3, next 2^64 - 2
  ASSERT_TRUE(mold::packet_view::parse(wrap).has_value());
  for (const unsigned last : {0xfdu, 0xfeu, 0xffu}) {
    wrap[17] = static_cast<std::byte>(last);
    auto r = mold::packet_view::parse(wrap);
    EXPECT_EQ(field(r), "sequence") << last;
    EXPECT_EQ(r.error().number(), 3) << "the count";
    EXPECT_FALSE(mold::packet_view::try_parse(wrap).has_value());
  }
  auto hb = kHeartbeat;
  auto end = kEnd;
  for (std::size_t i = 10; i < 18; ++i) hb[i] = end[i] = std::byte{0xff};
  EXPECT_TRUE(mold::packet_view::parse(hb).has_value());
  EXPECT_TRUE(mold::packet_view::parse(end).has_value());
  std::array<std::byte, 64> out{};
  auto b = mold::packet_builder::start(out, session(), UINT64_MAX - 1).value();
  ASSERT_TRUE(b.append(std::span<const std::byte>{}).has_value());
  const auto r = b.append(std::span<const std::byte>{});
  ASSERT_FALSE(r.has_value()) << "a second message would be 2^64 - 1";
  EXPECT_EQ(r.error().what, "sequence");
  EXPECT_TRUE(mold::packet_view::parse(b.bytes()).has_value()) << "the packet is left as it was";
}

// try_parse: the same verdicts and fields as parse, without the error.
TEST(MoldUdp64, TryParseTakesWhatParseTakes) {
  for (const auto& good : {kPacket, kHeartbeat, kEnd}) {
    const auto t = mold::packet_view::try_parse(good);
    ASSERT_TRUE(t.has_value());
    EXPECT_EQ(t->sequence(), mold::packet_view::parse(good)->sequence());
    EXPECT_EQ(t->size(), mold::packet_view::parse(good)->size());
  }
  auto unprintable = kPacket;
  unprintable[9] = std::byte{0x07};
  for (const auto& bad : {kPacket + bytes({0}), unprintable}) {
    EXPECT_FALSE(mold::packet_view::try_parse(bad).has_value());
    EXPECT_FALSE(mold::packet_view::parse(bad).has_value());
  }
  for (std::size_t n = 0; n < kPacket.size(); ++n) {
    EXPECT_FALSE(mold::packet_view::try_parse(std::span(kPacket).first(n)).has_value()) << n;
  }
}

TEST(MoldUdp64, TheBuilderWritesTheHandMadeBytes) {
  std::array<std::byte, 1472> out{};
  auto b = mold::packet_builder::start(out, session(), 1000);
  ASSERT_TRUE(b) << b.error().message();
  const auto started = std::vector<std::byte>(kPacket.begin(), kPacket.begin() + 18) + bytes({0, 0});
  EXPECT_TRUE(same(b->bytes(), started)) << "started: a heartbeat";
  ASSERT_TRUE(b->append(text("AB")));
  ASSERT_TRUE(b->append({}));
  ASSERT_TRUE(b->append(text("XYZ")));
  EXPECT_EQ(b->count(), 3u);
  EXPECT_TRUE(same(b->bytes(), kPacket));

  std::array<std::byte, 20> hb{};
  ASSERT_EQ(mold::build_heartbeat(hb, session(), 1003).value(), 20u);
  EXPECT_TRUE(same(hb, kHeartbeat));
  ASSERT_EQ(mold::build_end_of_session(hb, session(), 1003).value(), 20u);
  EXPECT_TRUE(same(hb, kEnd));
}

TEST(MoldUdp64, AStartedPacketIsAValidHeartbeat) {
  std::array<std::byte, 20> out{};
  auto b = mold::packet_builder::start(out, session(), 7);
  ASSERT_TRUE(b);
  auto p = mold::packet_view::parse(b->bytes());
  ASSERT_TRUE(p);
  EXPECT_TRUE(p->is_heartbeat());
  EXPECT_EQ(p->sequence(), 7u);
  EXPECT_EQ(b->room(), 0u);
}

TEST(MoldUdp64, TheBuilderFillsTheMtuAndRefusesCleanly) {
  std::array<std::byte, 1472> out{};
  auto b = mold::packet_builder::start(out, session(), 1).value();
  const std::array<std::byte, 100> message{};
  std::size_t appended = 0;
  while (b.append(message)) ++appended;
  EXPECT_EQ(appended, (1472u - 20u) / 102u);
  const auto before = b.size();
  auto r = b.append(message);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().what, "buffer");
  EXPECT_EQ(r.error().number(), static_cast<std::int64_t>(b.room()));
  EXPECT_EQ(b.size(), before) << "a refused message leaves the packet as it was";
  EXPECT_EQ(b.count(), appended);
  // The room left is exactly what still fits.
  std::vector<std::byte> last(b.room());
  ASSERT_TRUE(b.append(last));
  EXPECT_EQ(b.size(), out.size());
  EXPECT_EQ(b.room(), 0u);
  EXPECT_FALSE(b.append({})) << "not even a length prefix fits";
  auto p = mold::packet_view::parse(b.bytes());
  ASSERT_TRUE(p) << p.error().message();
  EXPECT_EQ(p->size(), appended + 1);
  std::uint64_t expect = 1;
  for (auto m : *p) EXPECT_EQ(m.sequence, expect++);
}

TEST(MoldUdp64, TheBuilderRefusesABufferShortOfTheHeader) {
  std::array<std::byte, 19> out{};
  auto b = mold::packet_builder::start(out, session(), 1);
  ASSERT_FALSE(b);
  EXPECT_EQ(b.error().what, "buffer");
  EXPECT_EQ(b.error().number(), 19);
  EXPECT_EQ(field(mold::build_heartbeat(out, session(), 1)), "buffer");
  EXPECT_EQ(field(mold::build_end_of_session(out, session(), 1)), "buffer");
}

TEST(MoldUdp64, TheBuilderRefusesAMessageOver65535BytesAndCountsTo65534) {
  std::vector<std::byte> out(20 + 2 * 0xffffu + 0x10000u);
  auto b = mold::packet_builder::start(out, session(), 1).value();
  std::vector<std::byte> huge(0x10000);
  auto r = b.append(huge);
  EXPECT_EQ(field(r), "message length");
  ASSERT_TRUE(b.append(std::span(huge).first(0xffff))) << "65535 bytes is the most";
  auto c = mold::packet_builder::start(out, session(), 1).value();
  for (unsigned i = 0; i < mold::max_messages; ++i) ASSERT_TRUE(c.append({})) << i;
  r = c.append({});
  EXPECT_EQ(field(r), "message count") << "0xFFFF would read as end of session";
  auto p = mold::packet_view::parse(c.bytes());
  ASSERT_TRUE(p);
  EXPECT_EQ(p->size(), 0xfffeu);
  EXPECT_EQ(std::distance(p->begin(), p->end()), 0xfffe);
}

// A session's first message is 1 (MoldUDP64 1.00): messages from 0 are no
// sender's (trial16h 6: a forged message 0 below a feed from 1 counted as
// received). A heartbeat or end of session (no messages) may say anything.
TEST(MoldUdp64, MessagesFromSequenceZeroAreRefused) {
  std::vector<std::byte> out(64);
  auto b = mold::packet_builder::start(out, session(), 0).value();
  ASSERT_TRUE(b.append(std::vector<std::byte>(4)));
  auto p = mold::packet_view::parse(b.bytes());
  ASSERT_FALSE(p);
  EXPECT_EQ(field(p), "sequence");
  auto one = mold::packet_builder::start(out, session(), 1).value();
  ASSERT_TRUE(one.append(std::vector<std::byte>(4)));
  EXPECT_TRUE(mold::packet_view::parse(one.bytes()));
  const auto beat = mold::build_heartbeat(out, session(), 0);
  ASSERT_TRUE(beat);
  EXPECT_TRUE(mold::packet_view::parse(std::span(out).first(*beat)));
}

TEST(MoldUdp64, RequestPacketsParseAndBuild) {
  // Session "NASDAQ01", from sequence 0x0102030405060708, 10 messages.
  const auto wire = kSession + bytes({1, 2, 3, 4, 5, 6, 7, 8, 0, 10});
  auto q = mold::request::parse(wire);
  ASSERT_TRUE(q) << q.error().message();
  EXPECT_EQ(q->session.name(), "NASDAQ01");
  EXPECT_EQ(q->sequence, 0x0102030405060708u);
  EXPECT_EQ(q->count, 10u);
  std::array<std::byte, 20> out{};
  ASSERT_EQ(q->build(out).value(), 20u);
  EXPECT_TRUE(same(out, wire));
  EXPECT_EQ(mold::request::parse(out).value(), *q);

  expect_too_short(mold::request::parse, wire, mold::request_size, "moldudp64 request");
  auto r = mold::request::parse(wire + bytes({0}));
  EXPECT_EQ(field(r), "trailing bytes");
  EXPECT_EQ(r.error().number(), 1);
  auto bad = wire;
  bad[0] = std::byte{0};
  EXPECT_EQ(field(mold::request::parse(bad)), "session");
  EXPECT_EQ(field(q->build(std::span(out).first(19))), "buffer");
}

}  // namespace
