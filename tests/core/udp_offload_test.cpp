// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// UDP segmentation offload: the SOL_UDP table (UDP_SEGMENT, UDP_GRO), the
// UDP_SEGMENT control message and check_segmentation, the splitting of
// coalesced reads on synthesised reads, and on the wire inside namespaces:
// a segmented send to a group arrives as separate datagrams at a plain
// socket and as one coalesced read, split back, at a UDP_GRO socket.

#include <gtest/gtest.h>

#include <netinet/in.h>
#include <netinet/udp.h>
#include <sys/socket.h>

#include <array>
#include <chrono>
#include <cstring>
#include <memory>
#include <numeric>
#include <string>
#include <tuple>
#include <vector>

#include <mcnet/core/control.hpp>
#include <mcnet/core/datagrams.hpp>
#include <mcnet/core/dial.hpp>
#include <mcnet/core/membership.hpp>
#include <mcnet/core/message.hpp>
#include <mcnet/core/receive_batch.hpp>
#include <mcnet/core/receive_buffer.hpp>
#include <mcnet/core/socket.hpp>
#include <mcnet/core/socket_ops.hpp>
#include <mcnet/core/udp_options.hpp>

#include "alloc_counter.hpp"
#include "datagram_helpers.hpp"
#include "lan.hpp"
#include "option_test.hpp"
#include "privilege.hpp"

namespace core = mcnet::core;
namespace opt = mcnet::core::opt;
namespace test = mcnet::test;
using mcnet::errc;
using namespace std::chrono_literals;

namespace {

TEST(UdpTable, EveryEntryHasABehaviourTest) { test::expect_every_entry_tested(opt::udp_table); }

TEST(UdpTable, OutOfRangeIsRefusedBeforeTheCall) {
  test::expect_refused_before_the_call(opt::udp_segment, -1, -1);
  test::expect_refused_before_the_call(opt::udp_segment, 65536, 65536);
}

core::socket gso_udp(int family = AF_INET) {
  auto s = core::socket::open(family, SOCK_DGRAM);
  if (!s) throw std::runtime_error(s.error().message());
  return std::move(*s);
}

MCNET_OPTION_TEST(UdpTable, opt::udp_segment, SegmentSizeReadsBack) {
  MCNET_REQUIRE_NETNS();
  test::in_host([] {
    for (int family : {AF_INET, AF_INET6}) {
      auto s = gso_udp(family);
      EXPECT_EQ(core::get(s, opt::udp_segment).value(), 0) << "off by default";
      test::expect_round_trip(s, opt::udp_segment, 1200);
      test::expect_round_trip(s, opt::udp_segment, 65535);
      test::expect_round_trip(s, opt::udp_segment, 0);
    }
    auto tcp = core::socket::open(AF_INET, SOCK_STREAM).value();
    auto r = core::set(tcp, opt::udp_segment, 1200);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, std::errc::no_protocol_option) << r.error().message();
  });
}

MCNET_OPTION_TEST(UdpTable, opt::udp_gro, GroReadsBack) {
  MCNET_REQUIRE_NETNS();
  test::in_host([] {
    auto s = gso_udp();
    EXPECT_FALSE(core::get(s, opt::udp_gro).value()) << "off by default";
    test::expect_round_trip(s, opt::udp_gro, true);
    test::expect_round_trip(s, opt::udp_gro, false);
    int five = 5;  // any non-zero int turns it on and reads back as 1
    ASSERT_EQ(::setsockopt(s.native_handle(), SOL_UDP, UDP_GRO, &five, sizeof five), 0);
    EXPECT_TRUE(core::get(s, opt::udp_gro).value());
  });
}

TEST(Segmentation, ChecksWhatTheKernelWouldRefuse) {
  EXPECT_EQ(core::check_segmentation(64 * 1000, 1000).value(), 64u);
  EXPECT_EQ(core::check_segmentation(2500, 1000).value(), 3u) << "the last segment may be shorter";
  EXPECT_EQ(core::check_segmentation(1000, 1000).value(), 1u);
  EXPECT_EQ(core::check_segmentation(128 * 500, 500).value(), 128u);
  EXPECT_EQ(core::check_segmentation(65507, 1200).value(), 55u);
  EXPECT_EQ(core::check_segmentation(65527, 1200, true).value(), 55u);
  const auto refused = [](std::size_t payload, std::size_t segment, bool v6, std::int64_t number) {
    auto r = core::check_segmentation(payload, segment, v6);
    ASSERT_FALSE(r) << payload << "/" << segment;
    EXPECT_EQ(r.error().code, errc::value_out_of_range);
    EXPECT_EQ(r.error().what, "UDP_SEGMENT");
    EXPECT_EQ(r.error().number(), number);
    EXPECT_FALSE(r.error().hint().empty());
  };
  refused(1000, 0, false, 0);
  refused(100000, 65536, false, 65536);
  refused(500, 1000, false, 1000);
  refused(65508, 1200, false, 65508);
  refused(65528, 1200, true, 65528);
  refused(129 * 100, 100, false, 129);
}

TEST(Segmentation, ControlMessageIsAU16) {
  core::control_buffer buf;
  core::cmsg_writer w(buf.span());
  ASSERT_TRUE(w.append_segment_size(1400));
  core::cmsg_view v(w.written());
  auto e = v.next().value();
  ASSERT_TRUE(e);
  EXPECT_EQ(e->level, SOL_UDP);
  EXPECT_EQ(e->type, UDP_SEGMENT);
  ASSERT_EQ(e->data.size(), sizeof(std::uint16_t));
  std::uint16_t got = 0;
  std::memcpy(&got, e->data.data(), sizeof got);
  EXPECT_EQ(got, 1400);
  EXPECT_EQ(w.size(), CMSG_SPACE(sizeof(std::uint16_t)));

  auto zero = w.append_segment_size(0);
  ASSERT_FALSE(zero);
  EXPECT_EQ(zero.error().code, errc::value_out_of_range);
  EXPECT_EQ(w.size(), CMSG_SPACE(sizeof(std::uint16_t))) << "nothing written";
}

// The kernel's UDP_GRO message: SOL_UDP, an int.
core::cmsg_writer gro_control(std::span<std::byte> into, int segment) {
  core::cmsg_writer w(into);
  EXPECT_TRUE(w.append(IPPROTO_IP, IP_TTL, 9));
  EXPECT_TRUE(w.append(SOL_UDP, UDP_GRO, segment));
  return w;
}

TEST(Segmentation, GroMessageDecodesOnlyWhenAsked) {
  core::control_buffer buf;
  auto w = gro_control(buf.span(), 1200);
  core::packet_info info;
  ASSERT_TRUE(core::decode_control(w.written(), core::cmsg::hop_limit, info));
  EXPECT_EQ(info.segment_size, 0u);
  ASSERT_TRUE(core::decode_control(w.written(), core::cmsg::segment_size | core::cmsg::hop_limit, info));
  EXPECT_EQ(info.segment_size, 1200u);
  EXPECT_EQ(info.hop_limit, 9);

  core::cmsg_writer short_one(buf.span());
  ASSERT_TRUE(short_one.append(SOL_UDP, UDP_GRO, std::uint16_t{1200}));
  auto r = core::decode_control(short_one.written(), core::cmsg::segment_size, info);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::truncated_control_message);
  EXPECT_EQ(r.error().what, "UDP_GRO");
}

// Reads as the kernel would fill them: payload bytes numbered by datagram.
struct synthesised {
  std::array<std::byte, 4096> bytes{};
  core::message m;
  synthesised(std::size_t size, std::uint32_t segment, bool truncated = false) {
    m.buffer = bytes;
    m.size = size;
    m.info.segment_size = segment;
    m.info.hop_limit = 7;
    m.peer = core::endpoint::parse("10.77.0.1:4000").value();
    m.truncated = truncated;
    for (std::size_t i = 0; i < size; ++i) bytes[i] = std::byte(segment ? i / segment : 0);
  }
};

TEST(Segmentation, SplitsCoalescedReadsWithTheirMetadata) {
  synthesised coalesced(10 * 100, 100);
  synthesised single(50, 0);
  synthesised short_tail(250, 100);
  synthesised exact(100, 100);
  std::array<core::message, 4> reads{coalesced.m, single.m, short_tail.m, exact.m};
  const auto range = core::datagrams(reads);
  EXPECT_EQ(range.size(), 10u + 1 + 3 + 1);
  std::vector<std::size_t> sizes;
  std::vector<const core::message*> from;
  {
    test::allocation_scope scope;
    std::size_t bad = 0;
    for (const core::datagram& d : range) {
      if (d.read->info.hop_limit != 7 || d.truncated) ++bad;
      // Every byte of a piece carries its index within its read.
      const auto first = d.payload.empty() ? std::byte{0} : d.payload.front();
      for (auto b : d.payload) bad += b != first;
    }
    EXPECT_EQ(bad, 0u);
    EXPECT_EQ(scope.count(), 0u) << "no allocation per datagram";
  }
  for (const core::datagram& d : range) {
    sizes.push_back(d.payload.size());
    from.push_back(d.read);
  }
  const std::vector<std::size_t> want{100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 50, 100, 100, 50, 100};
  EXPECT_EQ(sizes, want);
  EXPECT_EQ(from.front(), &reads[0]);
  EXPECT_EQ(from[10], &reads[1]);
  EXPECT_EQ(from[11], &reads[2]);
  EXPECT_EQ(from.back(), &reads[3]);
  EXPECT_EQ(core::datagram_count(reads[0]), 10u);
  EXPECT_EQ(core::datagram_count(reads[1]), 1u);
  EXPECT_EQ(core::datagram_count(reads[2]), 3u);

  // The 6th datagram of the coalesced read starts 500 bytes in.
  auto it = range.begin();
  for (int i = 0; i < 5; ++i) ++it;
  EXPECT_EQ((*it).payload.data(), coalesced.bytes.data() + 500);
  EXPECT_EQ((*it).payload.front(), std::byte{5});
}

// The pieces of a read cut by its room (MSG_TRUNC): `room` bytes kept of
// `wire` on the wire, in segments of `segment`.
std::vector<bool> truncated_pieces(std::size_t room, std::size_t wire, std::uint32_t segment) {
  synthesised cut(room, segment, true);
  cut.m.wire_size = wire;
  std::vector<bool> truncated;
  for (const core::datagram& d : core::datagrams(cut.m)) truncated.push_back(d.truncated);
  return truncated;
}

// Only a piece shorter than its datagram is marked truncated; the datagrams
// past the room are counted (t17b 10: a room of 5 whole segments marked
// its 5th, complete, piece truncated and counted the 6 past it nowhere).
TEST(Segmentation, TruncatedReadMarksOnlyTheCutPieceAndCountsTheDatagramsCutAway) {
  EXPECT_EQ(truncated_pieces(250, 1100, 100), (std::vector<bool>{false, false, true}));
  EXPECT_EQ(truncated_pieces(500, 1100, 100), (std::vector<bool>(5, false))) << "5 whole segments";
  EXPECT_EQ(truncated_pieces(550, 1050, 100), (std::vector<bool>{false, false, false, false, false, true}));
  EXPECT_EQ(truncated_pieces(1000, 1050, 100), (std::vector<bool>(10, false))) << "the short last one cut away";
  auto short_last = std::vector<bool>(10, false);
  short_last.push_back(true);
  EXPECT_EQ(truncated_pieces(1040, 1050, 100), short_last) << "40 bytes of the 50-byte last datagram";
  const auto cut_away = [](std::size_t room, std::size_t wire, std::uint32_t segment) {
    synthesised cut(room, segment, room < wire);
    cut.m.wire_size = wire;
    return core::datagrams_cut_away(cut.m);
  };
  EXPECT_EQ(cut_away(500, 1100, 100), 6u);
  EXPECT_EQ(cut_away(550, 1050, 100), 5u) << "the 6th is there in part (truncated), 5 are not";
  EXPECT_EQ(cut_away(1000, 1050, 100), 1u);
  EXPECT_EQ(cut_away(1050, 1050, 100), 0u) << "not cut";
  EXPECT_EQ(cut_away(0, 1100, 100), 10u) << "a room of 0: the first datagram's piece is empty and truncated";
  EXPECT_EQ(cut_away(100, 1000, 0), 0u) << "one datagram cut: truncated, none cut away";
  // One datagram cut (no segment size): its one piece is truncated.
  synthesised single(100, 0, true);
  single.m.wire_size = 1000;
  std::vector<bool> truncated;
  for (const core::datagram& d : core::datagrams(single.m)) truncated.push_back(d.truncated);
  EXPECT_EQ(truncated, std::vector<bool>{true});
  // The range sums the reads'.
  synthesised a(500, 100, true), b(550, 100, true);
  a.m.wire_size = 1100;
  b.m.wire_size = 1050;
  std::array<core::message, 2> reads{a.m, b.m};
  EXPECT_EQ(core::datagrams(reads).cut_away(), 11u);
  EXPECT_EQ(core::datagrams(reads).size(), 11u) << "the pieces in the buffers";

  synthesised empty(0, 0);
  EXPECT_EQ(core::datagrams(empty.m).size(), 1u) << "an empty datagram is a datagram";
  EXPECT_EQ(core::datagrams(std::span<const core::message>{}).size(), 0u);
}

// Sends `count` segments of `segment` bytes to `to` in one sendmsg with a
// UDP_SEGMENT control message; segment i is filled with byte i.
mcnet::result<void> send_segmented(core::socket_ref tx, const core::endpoint& to, std::size_t segment,
                                   std::size_t count) {
  std::vector<std::byte> payload(segment * count);
  for (std::size_t i = 0; i < payload.size(); ++i) payload[i] = std::byte(i / segment);
  core::control_buffer control;
  core::cmsg_writer w(control.span());
  if (auto r = w.append_segment_size(static_cast<std::uint16_t>(segment)); !r) return r;
  core::message m{.buffer = payload, .size = payload.size(), .peer = to, .control = control.span(),
                  .control_size = w.size()};
  return core::write_to(tx, m, core::wait_policy::deadline(1s));
}

class NetSegmentation : public ::testing::TestWithParam<bool> {};

// A segmented send to a group over veth: a plain receiver reads one datagram
// per segment (the kernel segments the packet for it); a UDP_GRO receiver
// gets the packet whole (veth passes GSO packets unsegmented) and the
// library splits it into the same datagrams, each with the group, the
// sender and the read's metadata.
TEST_P(NetSegmentation, GroupGetsEverySegmentPlainOrCoalesced) {
  MCNET_REQUIRE_NETNS();
  const bool v6 = GetParam();
  constexpr std::size_t kSegment = 1000;
  constexpr std::size_t kCount = 40;
  auto net = test::network::lan(2);
  const auto& tx_host = (*net)[0];
  const auto& rx_host = (*net)[1];
  const auto group = core::ip_address::parse(v6 ? "ff1e::17:1" : "239.255.17.1").value();
  const auto any = v6 ? core::ip_address::any_v6() : core::ip_address::any_v4();
  const auto open_rx = [&](bool gro) {
    return test::run_in(rx_host, [&] {
      auto s = core::listen_udp(core::endpoint(any, 0)).value();
      EXPECT_TRUE(core::join_group(s, group, rx_host.iface().index));
      EXPECT_TRUE(core::set_receive_buffer(s, 1 << 20));
      test::enable_metadata(s, v6);
      if (gro) {
        EXPECT_TRUE(core::set(s, opt::udp_gro, true));
      }
      return s;
    });
  };
  auto plain = open_rx(false);
  auto coalescing = open_rx(true);
  test::run_in(tx_host, [&] {
    auto tx = core::socket::open(v6 ? AF_INET6 : AF_INET, SOCK_DGRAM).value();
    test::multicast_out(tx, v6, tx_host.iface().index, 5);
    for (const auto* rx : {&plain, &coalescing}) {
      const core::endpoint to(group, core::local_endpoint(*rx).value().port());
      auto r = send_segmented(tx, to, kSegment, kCount);
      ASSERT_TRUE(r) << r.error().message();
    }
  });
  const auto kinds = test::metadata_kinds | core::cmsg::segment_size;
  const auto sender = v6 ? tx_host.v6() : tx_host.v4();
  for (const auto* rx : {&plain, &coalescing}) {
    auto b = core::receive_batch::make(8, 65535).value();
    std::size_t datagrams = 0;
    std::size_t reads = 0;
    std::size_t bad = 0;
    while (datagrams < kCount) {
      auto n = b.read(*rx, kinds, core::wait_policy::deadline(2s));
      if (!n) break;
      reads += *n;
      for (const core::datagram& d : b.datagrams()) {
        const auto& info = d.read->info;
        if (d.payload.size() != kSegment || d.payload.front() != std::byte(datagrams) ||
            d.payload.back() != std::byte(datagrams) || info.destination != group ||
            info.interface_index != rx_host.iface().index || info.hop_limit != 5 || !info.software_time ||
            d.read->peer.address() != sender || d.truncated) {
          ++bad;
        }
        ++datagrams;
      }
    }
    EXPECT_EQ(datagrams, kCount);
    EXPECT_EQ(bad, 0u);
    if (rx == &plain) {
      EXPECT_EQ(reads, kCount) << "without UDP_GRO every read is one datagram";
    } else {
      EXPECT_LT(reads, kCount) << "UDP_GRO: the segmented packet arrives coalesced";
      EXPECT_EQ(b.received().front().info.segment_size, kSegment);
    }
    test::owned_message more;
    EXPECT_FALSE(core::read_from(*rx, more.m, core::cmsg::none, core::wait_policy::nonblocking())) << "nothing more";
  }
}

INSTANTIATE_TEST_SUITE_P(Families, NetSegmentation, ::testing::Values(false, true),
                         [](const auto& param) { return param.param ? "v6" : "v4"; });

// On the loopback of a namespace of its own: a socket with UDP_GRO on
// (`metadata`: and the options enable_metadata sets), one without any
// option, and a sender. A run sent with UDP_SEGMENT to the first arrives as
// one coalesced read (loopback keeps the GSO packet whole).
struct gro_loopback {
  std::unique_ptr<test::network> net = test::network::lan(1);
  std::vector<core::socket> s;  // gro, plain, tx

  explicit gro_loopback(bool metadata) {
    s = test::run_in((*net)[0], [&] {
      std::vector<core::socket> made;
      made.push_back(core::listen_udp(core::endpoint::parse("127.0.0.1:0").value()).value());
      EXPECT_TRUE(core::set(made.back(), opt::udp_gro, true));
      if (metadata) test::enable_metadata(made.back(), false);
      made.push_back(core::listen_udp(core::endpoint::parse("127.0.0.1:0").value()).value());
      made.push_back(core::socket::open(AF_INET, SOCK_DGRAM).value());
      return made;
    });
  }
  [[nodiscard]] core::socket& gro() { return s[0]; }
  [[nodiscard]] core::socket& plain() { return s[1]; }
  // `count` datagrams of `segment` bytes in one UDP_SEGMENT send to gro().
  void run(std::size_t segment, std::size_t count) {
    auto r = send_segmented(s[2], core::local_endpoint(s[0]).value(), segment, count);
    ASSERT_TRUE(r) << r.error().message();
  }
  // One datagram of `size` bytes to plain().
  void one(std::size_t size) {
    std::vector<std::byte> payload(size, std::byte{'p'});
    auto r = core::write_to(s[2], core::message{.buffer = payload, .size = size,
                                                .peer = core::local_endpoint(s[1]).value()});
    ASSERT_TRUE(r) << r.error().message();
  }
};

// The run's read: 11 datagrams of 100 bytes, with its TTL.
void expect_the_run(const core::message& m) {
  EXPECT_EQ(m.size, 1100u);
  EXPECT_EQ(m.info.segment_size, 100u);
  EXPECT_EQ(core::datagram_count(m), 11u);
  EXPECT_EQ(m.info.hop_limit, 64) << "IP_RECVTTL is on for the GRO socket";
}
// The plain datagram's read, decoding nothing: nothing of the run's read is left.
void expect_the_plain_datagram(const core::message& m) {
  EXPECT_EQ(m.size, 1000u);
  EXPECT_EQ(m.info.segment_size, 0u) << "not the earlier read's";
  EXPECT_EQ(core::datagram_count(m), 1u);
  EXPECT_EQ(m.info.hop_limit, -1);
  EXPECT_FALSE(m.info.destination.is_valid());
  EXPECT_FALSE(m.info.software_time);
  EXPECT_FALSE(m.control_truncated);
}

// A message read again says only what its new read said, on every path
// (t17b 1: a receive_batch that had read a coalesced run cut a plain
// 1000-byte datagram read later with cmsg::none into ten by the stale
// segment size).
TEST(NetSegmentation, EveryReadSaysOnlyWhatItsOwnReadSaid) {
  MCNET_REQUIRE_NETNS();
  gro_loopback lo(true);
  const auto kinds = test::metadata_kinds | core::cmsg::segment_size;
  const auto wait = core::wait_policy::deadline(1s);
  {
    SCOPED_TRACE("receive_batch");
    auto b = core::receive_batch::make(4, 65535).value();
    lo.run(100, 11);
    ASSERT_EQ(b.read(lo.gro(), kinds, wait).value(), 1u);
    expect_the_run(b[0]);
    EXPECT_EQ(b.datagrams().size(), 11u);
    lo.one(1000);
    ASSERT_EQ(b.read(lo.plain(), core::cmsg::none, wait).value(), 1u);
    expect_the_plain_datagram(b[0]);
    EXPECT_EQ(b.datagrams().size(), 1u);
  }
  {
    SCOPED_TRACE("read_batch");
    std::array<test::owned_message, 2> owned;
    std::array<core::message, 2> msgs{owned[0].m, owned[1].m};
    lo.run(100, 11);
    ASSERT_EQ(core::read_batch(lo.gro(), msgs, kinds, wait).value(), 1u);
    expect_the_run(msgs[0]);
    lo.one(1000);
    ASSERT_EQ(core::read_batch(lo.plain(), msgs, core::cmsg::none, wait).value(), 1u);
    expect_the_plain_datagram(msgs[0]);
  }
  {
    SCOPED_TRACE("read_from");
    test::owned_message m;
    lo.run(100, 11);
    ASSERT_TRUE(core::read_from(lo.gro(), m.m, kinds, wait));
    expect_the_run(m.m);
    lo.one(1000);
    ASSERT_TRUE(core::read_from(lo.plain(), m.m, core::cmsg::none, wait));
    expect_the_plain_datagram(m.m);
    EXPECT_EQ(core::datagrams(m.m).size(), 1u);
  }
}

// A coalesced read is split whatever the read asked to decode: the UDP_GRO
// message is decoded whenever the kernel sends it (t17b 2: a run of 11
// read with cmsg::pktinfo, or with read_from and cmsg::none, came back as
// one 1100-byte message, nothing flagged). Without a control buffer the
// library lends the kernel room for it, and the message says the kernel's
// control messages did not fit the caller's (empty) buffer.
TEST(NetSegmentation, ACoalescedReadIsSplitWhateverTheReadDecodes) {
  MCNET_REQUIRE_NETNS();
  gro_loopback lo(false);  // UDP_GRO only: IP_PKTINFO is off
  const auto wait = core::wait_policy::deadline(1s);
  const auto expect_split = [](const core::message& m, bool has_control) {
    EXPECT_EQ(m.size, 1100u);
    EXPECT_EQ(m.info.segment_size, 100u);
    EXPECT_EQ(core::datagrams(m).size(), 11u);
    EXPECT_EQ(m.control_truncated, !has_control) << "control messages but no buffer: MSG_CTRUNC";
    EXPECT_EQ(m.control_size, has_control ? CMSG_SPACE(sizeof(int)) : 0u);
  };
  {
    SCOPED_TRACE("receive_batch, cmsg::pktinfo");
    auto b = core::receive_batch::make(4, 65535).value();
    lo.run(100, 11);
    ASSERT_EQ(b.read(lo.gro(), core::cmsg::pktinfo, wait).value(), 1u);
    expect_split(b[0], true);
    EXPECT_EQ(b.datagrams().size(), 11u);
    lo.run(100, 11);
    ASSERT_EQ(b.read(lo.gro(), core::cmsg::none, wait).value(), 1u);
    expect_split(b[0], true);
  }
  {
    SCOPED_TRACE("read_from, cmsg::none, with and without a control buffer");
    test::owned_message m;
    lo.run(100, 11);
    ASSERT_TRUE(core::read_from(lo.gro(), m.m, core::cmsg::none, wait));
    expect_split(m.m, true);
    m.m.control = {};
    lo.run(100, 11);
    ASSERT_TRUE(core::read_from(lo.gro(), m.m, core::cmsg::none, wait));
    expect_split(m.m, false);
  }
  {
    SCOPED_TRACE("read_batch, messages without a control buffer");
    std::array<test::owned_message, 3> owned;
    std::array<core::message, 3> msgs{owned[0].m, owned[1].m, owned[2].m};
    for (auto& m : msgs) m.control = {};
    lo.run(100, 11);
    lo.run(200, 3);
    std::size_t got = 0;
    while (got < 2) {
      auto n = core::read_batch(lo.gro(), std::span(msgs).subspan(got), core::cmsg::none, wait);
      ASSERT_TRUE(n) << n.error().message();
      got += *n;
    }
    expect_split(msgs[0], false);
    EXPECT_EQ(msgs[1].info.segment_size, 200u);
    EXPECT_EQ(core::datagrams(std::span(msgs).first(2)).size(), 14u);
  }
  // A plain datagram on the GRO socket is one read without a UDP_GRO
  // message: nothing lent is flagged.
  {
    test::owned_message m;
    m.m.control = {};
    test::send_text(lo.s[2], core::local_endpoint(lo.gro()).value(), "alone");
    ASSERT_TRUE(core::read_from(lo.gro(), m.m, core::cmsg::none, wait));
    EXPECT_EQ(m.text(), "alone");
    EXPECT_EQ(m.m.info.segment_size, 0u);
    EXPECT_FALSE(m.m.control_truncated);
  }
}

// A coalesced read cut by its room (MSG_TRUNC) on the wire: the pieces that
// fit whole are whole, a piece cut short is truncated, and the datagrams
// past the room are counted (t17b 10).
TEST(NetSegmentation, ACutCoalescedReadSaysWhichPiecesAreWholeAndHowManyWereCutAway) {
  MCNET_REQUIRE_NETNS();
  gro_loopback lo(false);
  for (const auto& [room, whole, cut_short, away] :
       {std::tuple{500u, 5u, 0u, 6u}, std::tuple{550u, 5u, 1u, 5u}, std::tuple{65535u, 11u, 0u, 0u}}) {
    SCOPED_TRACE("room " + std::to_string(room));
    auto b = core::receive_batch::make(2, room).value();
    lo.run(100, 11);
    ASSERT_EQ(b.read(lo.gro(), core::cmsg::segment_size, core::wait_policy::deadline(1s)).value(), 1u);
    EXPECT_EQ(b[0].wire_size, 1100u);
    EXPECT_EQ(b[0].truncated, room < 1100);
    std::size_t complete = 0, incomplete = 0;
    for (const core::datagram& d : b.datagrams()) {
      if (d.truncated) {
        ++incomplete;
        EXPECT_LT(d.payload.size(), 100u);
      } else {
        ++complete;
        EXPECT_EQ(d.payload.size(), 100u);
      }
    }
    EXPECT_EQ(complete, whole);
    EXPECT_EQ(incomplete, cut_short);
    EXPECT_EQ(core::datagrams_cut_away(b[0]), away);
    EXPECT_EQ(b.datagrams().cut_away(), away);
    EXPECT_EQ(complete + incomplete + away, 11u) << "every datagram of the run accounted for";
  }
}

// The kernel's refusals carry a hint that names segmentation.
TEST(NetSegmentationErrors, KernelRefusalsSayWhy) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(1);
  test::run_in((*net)[0], [&] {
    auto tx = core::socket::open(AF_INET, SOCK_DGRAM).value();
    const core::endpoint to(core::ip_address::v4(239, 255, 17, 2), 4000);
    auto too_many = send_segmented(tx, to, 100, core::udp_max_segments + 1);
    ASSERT_FALSE(too_many);
    EXPECT_EQ(too_many.error().code, std::errc::invalid_argument) << too_many.error().message();
    EXPECT_NE(too_many.error().hint().find("UDP_MAX_SEGMENTS"), std::string_view::npos) << too_many.error().message();
    EXPECT_EQ(too_many.error().number(), 100);
    // 1473 bytes + 28 of headers exceed the veth's 1500-byte MTU.
    auto past_mtu = send_segmented(tx, to, 1473, 2);
    ASSERT_FALSE(past_mtu);
    EXPECT_EQ(past_mtu.error().code, std::errc::message_size) << past_mtu.error().message();
    EXPECT_NE(past_mtu.error().hint().find("MTU"), std::string_view::npos) << past_mtu.error().message();
    // The socket-wide option gets the same hint.
    ASSERT_TRUE(core::set(tx, opt::udp_segment, 1473));
    std::vector<std::byte> payload(2 * 1473);
    auto wide = core::write_to(tx, core::message{.buffer = payload, .size = payload.size(), .peer = to});
    ASSERT_FALSE(wide);
    EXPECT_NE(wide.error().hint().find("UDP_SEGMENT"), std::string_view::npos) << wide.error().message();
  });
}

}  // namespace
