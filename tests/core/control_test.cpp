// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// The control message codec on hand-built buffers: the sizes Linux really
// sends (4-byte TTL, 1-byte TOS), truncated and unknown entries, several
// messages in one buffer, random bytes.

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <linux/net_tstamp.h>
#include <netinet/in.h>
#include <netinet/udp.h>

#include <cstring>
#include <random>
#include <vector>

#include <mcnet/core/control.hpp>

#include "alloc_counter.hpp"

namespace core = mcnet::core;
using core::cmsg;
using mcnet::errc;

namespace {

// Builds control buffers the way the kernel lays them out.
class builder {
 public:
  template <class T>
  builder& add(int level, int type, const T& value) {
    return add_bytes(level, type, &value, sizeof value);
  }
  builder& add_bytes(int level, int type, const void* data, std::size_t n, std::size_t claimed_len = 0) {
    const std::size_t at = bytes_.size();
    bytes_.resize(at + CMSG_SPACE(n));
    cmsghdr h{};
    h.cmsg_len = claimed_len ? claimed_len : CMSG_LEN(n);
    h.cmsg_level = level;
    h.cmsg_type = type;
    std::memcpy(bytes_.data() + at, &h, sizeof h);
    std::memcpy(bytes_.data() + at + CMSG_LEN(0), data, n);
    return *this;
  }
  [[nodiscard]] std::span<const std::byte> span() const { return bytes_; }
  std::vector<std::byte>& raw() { return bytes_; }

 private:
  std::vector<std::byte> bytes_;
};

in_pktinfo pktinfo_v4(const char* dst, int ifindex) {
  in_pktinfo pi{};
  pi.ipi_ifindex = ifindex;
  inet_pton(AF_INET, dst, &pi.ipi_addr);
  return pi;
}

TEST(Control, BufferHoldsEveryMessageAtOnce) {
  // What the kernel would write with every option on, largest variants.
  builder b;
  b.add(IPPROTO_IPV6, IPV6_PKTINFO, in6_pktinfo{})
      .add(IPPROTO_IPV6, IPV6_HOPLIMIT, 64)
      .add(IPPROTO_IPV6, IPV6_TCLASS, 0)
      .add(SOL_SOCKET, SCM_TIMESTAMPNS, timespec{})
      .add(SOL_SOCKET, SCM_TIMESTAMPING, scm_timestamping{})
      .add(SOL_SOCKET, SO_RXQ_OVFL, std::uint32_t{0})
      .add(IPPROTO_IPV6, IPV6_PATHMTU, ip6_mtuinfo{})
      .add(IPPROTO_IPV6, IPV6_ORIGDSTADDR, sockaddr_in6{})
      .add(SOL_UDP, UDP_GRO, 0);
  EXPECT_EQ(b.span().size(), core::max_control_size);
  EXPECT_EQ(sizeof(core::control_buffer), core::max_control_size);
  EXPECT_EQ(alignof(core::control_buffer), alignof(cmsghdr));
}

TEST(Control, DecodesIpv4Messages) {
  const timespec ts{1700000000, 123456789};
  builder b;
  b.add(IPPROTO_IP, IP_PKTINFO, pktinfo_v4("239.255.0.1", 3))
      .add(IPPROTO_IP, IP_TTL, 7)
      .add(IPPROTO_IP, IP_TOS, std::uint8_t{0xb8})  // one byte, as Linux sends it
      .add(SOL_SOCKET, SCM_TIMESTAMPNS, ts)
      .add(SOL_SOCKET, SO_RXQ_OVFL, std::uint32_t{42});
  core::packet_info info;
  ASSERT_TRUE(core::decode_control(b.span(), cmsg::all, info));
  EXPECT_EQ(info.destination.to_string(), "239.255.0.1");
  EXPECT_EQ(info.interface_index, 3u);
  EXPECT_EQ(info.hop_limit, 7);
  EXPECT_EQ(info.traffic_class, 0xb8);
  ASSERT_TRUE(info.software_time);
  EXPECT_EQ(info.software_time->time_since_epoch().count(), 1700000000123456789LL);
  EXPECT_EQ(info.drops, 42u);
  EXPECT_FALSE(info.hardware_time);
}

TEST(Control, DecodesIpv6Messages) {
  in6_pktinfo pi{};
  inet_pton(AF_INET6, "ff1e::77:1", &pi.ipi6_addr);
  pi.ipi6_ifindex = 5;
  ip6_mtuinfo mtu{};
  mtu.ip6m_mtu = 1280;
  sockaddr_in6 orig{};
  orig.sin6_family = AF_INET6;
  orig.sin6_port = htons(5000);
  inet_pton(AF_INET6, "fd77::2", &orig.sin6_addr);
  builder b;
  b.add(IPPROTO_IPV6, IPV6_PKTINFO, pi)
      .add(IPPROTO_IPV6, IPV6_HOPLIMIT, 255)
      .add(IPPROTO_IPV6, IPV6_TCLASS, 0x28)
      .add(IPPROTO_IPV6, IPV6_PATHMTU, mtu)
      .add(IPPROTO_IPV6, IPV6_ORIGDSTADDR, orig);
  core::packet_info info;
  ASSERT_TRUE(core::decode_control(b.span(), cmsg::all, info));
  EXPECT_EQ(info.destination.to_string(), "ff1e::77:1");
  EXPECT_EQ(info.interface_index, 5u);
  EXPECT_EQ(info.hop_limit, 255);
  EXPECT_EQ(info.traffic_class, 0x28);
  EXPECT_EQ(info.path_mtu, 1280u);
  EXPECT_EQ(info.original_destination.to_string(), "[fd77::2]:5000");
}

// Decoding into a packet_info that already holds values (a reused message):
// every decoded address is the new one, whatever was there, including an
// equal address of the other family, the same address with another port or
// another scope id.
TEST(Control, DecodedAddressesReplaceWhatWasThere) {
  const auto v4 = [](const char* text) { return core::ip_address::parse(text).value(); };
  sockaddr_in orig{};
  orig.sin_family = AF_INET;
  orig.sin_port = htons(5000);
  inet_pton(AF_INET, "10.77.0.2", &orig.sin_addr);
  builder b;
  b.add(IPPROTO_IP, IP_PKTINFO, pktinfo_v4("239.255.0.1", 3)).add(IPPROTO_IP, IP_ORIGDSTADDR, orig);
  for (const core::packet_info& before :
       {core::packet_info{.destination = v4("239.255.0.2"), .original_destination = {v4("10.77.0.2"), 5001}},
        core::packet_info{.destination = v4("239.255.0.1").map_v6(),
                          .original_destination = {v4("10.77.0.2").map_v6(), 5000}},
        core::packet_info{.destination = v4("239.255.0.1"), .original_destination = {v4("10.77.0.2"), 5000}}}) {
    core::packet_info info = before;
    ASSERT_TRUE(core::decode_control(b.span(), cmsg::all, info));
    EXPECT_EQ(info.destination, v4("239.255.0.1")) << before.destination;
    EXPECT_EQ(info.original_destination, core::endpoint(v4("10.77.0.2"), 5000)) << before.original_destination;
  }

  in6_pktinfo pi{};
  inet_pton(AF_INET6, "ff12::77:1", &pi.ipi6_addr);
  pi.ipi6_ifindex = 5;
  sockaddr_in6 orig6{};
  orig6.sin6_family = AF_INET6;
  orig6.sin6_port = htons(5000);
  orig6.sin6_scope_id = 5;
  inet_pton(AF_INET6, "fe80::2", &orig6.sin6_addr);
  builder c;
  c.add(IPPROTO_IPV6, IPV6_PKTINFO, pi).add(IPPROTO_IPV6, IPV6_ORIGDSTADDR, orig6);
  const auto group = core::ip_address::parse("ff12::77:1").value();
  const auto link_local = core::ip_address::parse("fe80::2").value();
  for (const core::packet_info& before :
       {core::packet_info{.destination = group.with_scope_id(5),
                          .original_destination = {link_local.with_scope_id(6), 5000}},
        core::packet_info{.destination = core::ip_address::parse("ff12::77:2").value(),
                          .original_destination = {link_local.with_scope_id(5), 5001}},
        core::packet_info{.destination = group, .original_destination = {link_local.with_scope_id(5), 5000}}}) {
    core::packet_info info = before;
    ASSERT_TRUE(core::decode_control(c.span(), cmsg::all, info));
    EXPECT_EQ(info.destination, group) << "IPV6_PKTINFO carries no scope id; before: " << before.destination;
    EXPECT_EQ(info.original_destination, core::endpoint(link_local.with_scope_id(5), 5000))
        << before.original_destination;
  }
}

TEST(Control, TimestampingGivesSoftwareAndHardware) {
  scm_timestamping t{};
  t.ts[0] = {10, 1};
  t.ts[2] = {20, 2};
  builder b;
  b.add(SOL_SOCKET, SCM_TIMESTAMPING, t);
  core::packet_info info;
  ASSERT_TRUE(core::decode_control(b.span(), cmsg::timestamping, info));
  EXPECT_EQ(info.software_time->time_since_epoch().count(), 10'000'000'001LL);
  EXPECT_EQ(info.hardware_time->time_since_epoch().count(), 20'000'000'002LL);

  scm_timestamping software_only{};
  software_only.ts[0] = {10, 1};
  builder c;
  c.add(SOL_SOCKET, SCM_TIMESTAMPING, software_only);
  core::packet_info info2;
  ASSERT_TRUE(core::decode_control(c.span(), cmsg::timestamping, info2));
  EXPECT_TRUE(info2.software_time);
  EXPECT_FALSE(info2.hardware_time) << "a zero stamp means the NIC gave none";
}

TEST(Control, ImpossibleTimestampsAreNoTimestamps) {
  for (const timespec bad : {timespec{0x7fffffffffffffffLL, 0}, timespec{-0x7fffffffffffffffLL, 0}, timespec{1, -1},
                             timespec{1, 1'000'000'000}}) {
    builder b;
    b.add(SOL_SOCKET, SCM_TIMESTAMPNS, bad);
    core::packet_info info;
    ASSERT_TRUE(core::decode_control(b.span(), cmsg::timestamp_ns, info));
    EXPECT_FALSE(info.software_time) << bad.tv_sec << "." << bad.tv_nsec;
  }
}

TEST(Control, DecodesOnlyWhatIsWanted) {
  builder b;
  b.add(IPPROTO_IP, IP_TTL, 7).add(SOL_SOCKET, SO_RXQ_OVFL, std::uint32_t{3});
  core::packet_info info;
  ASSERT_TRUE(core::decode_control(b.span(), cmsg::drops, info));
  EXPECT_EQ(info.hop_limit, -1) << "TTL was not asked for";
  EXPECT_EQ(info.drops, 3u);
  core::packet_info none;
  ASSERT_TRUE(core::decode_control(b.span(), cmsg::none, none));
  EXPECT_FALSE(none.drops);
}

TEST(Control, UnknownEntriesAreSkipped) {
  const char junk[5] = {1, 2, 3, 4, 5};
  builder b;
  b.add_bytes(SOL_SOCKET, 9999, junk, sizeof junk).add(IPPROTO_IP, 12345, 1).add(IPPROTO_IP, IP_TTL, 9);
  core::packet_info info;
  ASSERT_TRUE(core::decode_control(b.span(), cmsg::all, info));
  EXPECT_EQ(info.hop_limit, 9) << "decoding goes on past what it does not know";
}

TEST(Control, ShortPayloadIsATruncationError) {
  const std::uint8_t one_byte = 7;
  builder b;
  b.add(IPPROTO_IP, IP_TOS, std::uint8_t{4}).add_bytes(IPPROTO_IP, IP_TTL, &one_byte, 1);  // TTL must be 4 bytes
  core::packet_info info;
  auto r = core::decode_control(b.span(), cmsg::all, info);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::truncated_control_message);
  EXPECT_EQ(r.error().what, "IP_TTL");
  EXPECT_EQ(r.error().number(), 1);
  EXPECT_EQ(info.traffic_class, 4) << "what came before stays decoded";
}

TEST(Control, HeaderPastTheEndIsATruncationError) {
  builder b;
  b.add(IPPROTO_IP, IP_TTL, 9);
  auto& raw = b.raw();
  cmsghdr h{};
  std::memcpy(&h, raw.data(), sizeof h);
  h.cmsg_len = raw.size() + 8;  // claims more than there is
  std::memcpy(raw.data(), &h, sizeof h);
  core::packet_info info;
  auto r = core::decode_control(b.span(), cmsg::all, info);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::truncated_control_message);

  h.cmsg_len = 4;  // shorter than a header
  std::memcpy(raw.data(), &h, sizeof h);
  EXPECT_FALSE(core::decode_control(b.span(), cmsg::all, info));
}

TEST(Control, ViewWalksSeveralMessagesAndStopsAtPadding) {
  builder b;
  b.add(IPPROTO_IP, IP_TOS, std::uint8_t{1}).add(IPPROTO_IP, IP_TTL, 2).add(SOL_SOCKET, SO_RXQ_OVFL, std::uint32_t{3});
  b.raw().resize(b.raw().size() + 7);  // trailing bytes shorter than a header
  core::cmsg_view view(b.span());
  std::vector<std::pair<int, std::size_t>> seen;
  while (true) {
    auto e = view.next();
    ASSERT_TRUE(e);
    if (!*e) break;
    seen.emplace_back((*e)->type, (*e)->data.size());
  }
  EXPECT_EQ(seen, (std::vector<std::pair<int, std::size_t>>{{IP_TOS, 1}, {IP_TTL, 4}, {SO_RXQ_OVFL, 4}}));
  core::cmsg_view empty{std::span<const std::byte>()};
  EXPECT_FALSE(*empty.next());
}

TEST(Control, WriterAppendsAndRefusesOverflow) {
  alignas(cmsghdr) std::array<std::byte, CMSG_SPACE(sizeof(int)) + CMSG_SPACE(sizeof(in_pktinfo))> buf{};
  core::cmsg_writer w(buf);
  ASSERT_TRUE(w.append(IPPROTO_IP, IP_TTL, 5));
  ASSERT_TRUE(w.append(IPPROTO_IP, IP_PKTINFO, pktinfo_v4("10.77.0.1", 2)));
  EXPECT_EQ(w.size(), buf.size());
  auto full = w.append(IPPROTO_IP, IP_TTL, 6);
  ASSERT_FALSE(full);
  EXPECT_EQ(full.error().code, errc::value_out_of_range);
  EXPECT_EQ(w.size(), buf.size()) << "nothing written on overflow";

  // What the writer wrote, the decoder reads (and so does CMSG_NXTHDR).
  core::packet_info info;
  ASSERT_TRUE(core::decode_control(w.written(), cmsg::all, info));
  EXPECT_EQ(info.hop_limit, 5);
  EXPECT_EQ(info.interface_index, 2u);
  msghdr msg{};
  msg.msg_control = buf.data();
  msg.msg_controllen = w.size();
  int count = 0;
  for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) ++count;
  EXPECT_EQ(count, 2);
}

TEST(Control, CodecAllocatesNothing) {
  builder b;
  b.add(IPPROTO_IP, IP_PKTINFO, pktinfo_v4("239.255.0.1", 3)).add(IPPROTO_IP, IP_TTL, 7)
      .add(SOL_SOCKET, SCM_TIMESTAMPNS, timespec{1, 2});
  alignas(cmsghdr) std::array<std::byte, 64> out{};
  core::packet_info info;
  mcnet::test::allocation_scope scope;
  for (int i = 0; i < 1000; ++i) {
    ASSERT_TRUE(core::decode_control(b.span(), cmsg::all, info));
    core::cmsg_writer w(out);
    ASSERT_TRUE(w.append(IPPROTO_IP, IP_TTL, i));
  }
  EXPECT_EQ(scope.count(), 0u);
}

// Random bytes never crash the decoder or read past the buffer (ASan checks
// the latter in the sanitizer build); the fuzz target goes further.
TEST(Control, RandomBytesNeverCrash) {
  std::mt19937 rng(20261125);
  std::vector<std::byte> buf;
  std::size_t errors = 0;
  for (int round = 0; round < 20000; ++round) {
    buf.resize(rng() % 200);
    for (auto& b : buf) b = static_cast<std::byte>(rng());
    if (round % 2 == 0 && buf.size() >= sizeof(cmsghdr)) {
      // Half the rounds get a plausible length so that parsers run too.
      cmsghdr h{};
      std::memcpy(&h, buf.data(), sizeof h);
      h.cmsg_len = CMSG_LEN(rng() % 48);
      h.cmsg_level = (rng() % 2) ? IPPROTO_IP : SOL_SOCKET;
      h.cmsg_type = static_cast<int>(rng() % 70);
      std::memcpy(buf.data(), &h, sizeof h);
    }
    core::packet_info info;
    if (!core::decode_control(buf, cmsg::all, info)) ++errors;
  }
  EXPECT_GT(errors, 0u) << "random headers should mostly be rejected";
}

}  // namespace
