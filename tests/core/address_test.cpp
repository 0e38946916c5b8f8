// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// ip_address, endpoint and prefix: parse/format tables with every kind of bad
// input, classification, sockaddr conversion.

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>

#include <cstring>

#include <mcnet/core/endpoint.hpp>
#include <mcnet/core/ip_address.hpp>
#include <mcnet/core/prefix.hpp>

#include "alloc_counter.hpp"
#include "lan.hpp"
#include "privilege.hpp"

namespace core = mcnet::core;
using mcnet::errc;

namespace {

struct good_case {
  const char* input;
  const char* formatted;  // canonical text form
  core::ip_family family;
};

// Numeric zones only: name zones depend on the namespace (tested in a host below).
const good_case kGoodAddresses[] = {
    {"10.77.0.1", "10.77.0.1", core::ip_family::v4},
    {"0.0.0.0", "0.0.0.0", core::ip_family::v4},
    {"255.255.255.255", "255.255.255.255", core::ip_family::v4},
    {"239.255.0.1", "239.255.0.1", core::ip_family::v4},
    {"fd77::1", "fd77::1", core::ip_family::v6},
    {"FD77:0:0:0::1", "fd77::1", core::ip_family::v6},
    {"fd77:0000:0000:0000:0000:0000:0000:0001", "fd77::1", core::ip_family::v6},
    {"::", "::", core::ip_family::v6},
    {"::1", "::1", core::ip_family::v6},
    {"ff3e::8000:1", "ff3e::8000:1", core::ip_family::v6},
    {"ff02::1%2", "ff02::1%2", core::ip_family::v6},
    {"fe80::1%4294967295", "fe80::1%4294967295", core::ip_family::v6},
    {"::ffff:10.77.0.1", "::ffff:10.77.0.1", core::ip_family::v6},
    {"2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1", core::ip_family::v6},
};

// Test names show the input rather than the struct's bytes.
void PrintTo(const good_case& c, std::ostream* os) { *os << '"' << c.input << '"'; }

class AddressParse : public ::testing::TestWithParam<good_case> {};

TEST_P(AddressParse, ParsesAndFormatsCanonically) {
  const auto& c = GetParam();
  auto a = core::ip_address::parse(c.input);
  ASSERT_TRUE(a) << c.input << ": " << a.error().message();
  EXPECT_EQ(a->family(), c.family);
  EXPECT_EQ(a->to_string(), c.formatted);
  auto again = core::ip_address::parse(a->to_string());
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, *a) << "format then parse must round-trip";
}

INSTANTIATE_TEST_SUITE_P(Table, AddressParse, ::testing::ValuesIn(kGoodAddresses));

struct bad_case {
  const char* input;
  errc code;
  const char* hint_part;  // a piece of the message that says what is wrong
};

const bad_case kBadAddresses[] = {
    {"", errc::invalid_address, "empty input"},
    {"10.77.0", errc::invalid_address, "four parts"},
    {"10.77.0.1.5", errc::invalid_address, "four parts"},
    {"10.77.0.", errc::invalid_address, "empty part"},
    {".10.77.0", errc::invalid_address, "empty part"},
    {"10..0.1", errc::invalid_address, "empty part"},
    {"10.77.0.256", errc::invalid_address, "0 to 255"},
    {"10.77.0.99999999999", errc::invalid_address, "0 to 255"},
    {"010.77.0.1", errc::invalid_address, "leading zero"},
    {"10.77.0.01", errc::invalid_address, "leading zero"},
    {"10.77.0.1 ", errc::invalid_address, "unexpected character"},
    {" 10.77.0.1", errc::invalid_address, "unexpected character"},
    {"10.77.0.-1", errc::invalid_address, "unexpected character"},
    {"0x0a.77.0.1", errc::invalid_address, "unexpected character"},
    {"10.77.0.1%eth0", errc::invalid_address, "IPv6 addresses only"},
    {"localhost", errc::invalid_address, "unexpected character"},
    {"fd77::1::2", errc::invalid_address, "not a valid IPv6"},
    {"fd77:::1", errc::invalid_address, "not a valid IPv6"},
    {"fd77::g", errc::invalid_address, "not a valid IPv6"},
    {"fd77::12345", errc::invalid_address, "not a valid IPv6"},
    {"[fd77::1]", errc::invalid_address, "not a valid IPv6"},
    {"fe80::1%", errc::invalid_address, "empty zone"},
    {"fe80::1%0", errc::invalid_address, "zone index 0"},
    {"fe80::1%4294967296", errc::invalid_address, "out of range"},
    {"fe80::1%01", errc::invalid_address, "leading zero"},
    {"fe80::1%no-such-if0", errc::no_such_interface, "no interface of that name"},
    {"fe80::1%name-longer-than-15", errc::value_out_of_range, "1 to 15 bytes"},
    {"ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255:1", errc::invalid_address, "too long"},
    {"1:2:3:4:5:6:7:8:9", errc::invalid_address, "not a valid IPv6"},
};

void PrintTo(const bad_case& c, std::ostream* os) { *os << '"' << c.input << '"'; }

class AddressReject : public ::testing::TestWithParam<bad_case> {};

TEST_P(AddressReject, SaysWhatIsWrongAndNamesTheInput) {
  const auto& c = GetParam();
  auto a = core::ip_address::parse(c.input);
  ASSERT_FALSE(a) << c.input << " parsed as " << a->to_string();
  EXPECT_EQ(a.error().code, c.code) << a.error().message();
  EXPECT_EQ(a.error().input(), std::string_view(c.input).substr(0, mcnet::error::input_capacity));
  const auto message = a.error().message();
  EXPECT_NE(message.find(c.hint_part), std::string::npos) << message;
  if (*c.input != '\0') {
    EXPECT_NE(message.find(std::string("\"") + c.input), std::string::npos) << message;
  }
}

INSTANTIATE_TEST_SUITE_P(Table, AddressReject, ::testing::ValuesIn(kBadAddresses));

TEST(Address, DefaultIsInvalidAndDistinctFromZero) {
  core::ip_address none;
  EXPECT_FALSE(none.is_valid());
  EXPECT_EQ(none.af(), AF_UNSPEC);
  EXPECT_NE(none, core::ip_address::any_v4());
  EXPECT_NE(none, core::ip_address::any_v6());
  EXPECT_EQ(none.to_string(), "invalid");
  EXPECT_FALSE(none.is_unspecified());
  EXPECT_FALSE(none.is_unicast());
  EXPECT_TRUE(none.bytes().empty());
}

TEST(Address, Constructors) {
  EXPECT_EQ(core::ip_address::v4(10, 77, 0, 1), core::ip_address::parse("10.77.0.1").value());
  EXPECT_EQ(core::ip_address::v4_uint(0x0a4d0001), core::ip_address::v4(10, 77, 0, 1));
  EXPECT_EQ(core::ip_address::v4(10, 77, 0, 1).v4_uint(), 0x0a4d0001u);
  EXPECT_EQ(core::ip_address::v4(10, 77, 0, 1).af(), AF_INET);
  EXPECT_EQ(core::ip_address::any_v6().af(), AF_INET6);
  auto scoped = core::ip_address::parse("ff02::1%7").value();
  EXPECT_EQ(scoped.scope_id(), 7u);
  EXPECT_EQ(scoped.with_scope_id(0).to_string(), "ff02::1");
  EXPECT_NE(scoped, scoped.with_scope_id(0)) << "the scope id is part of the value";
  EXPECT_EQ(core::ip_address::v4(1, 2, 3, 4).with_scope_id(5).scope_id(), 0u) << "IPv4 has no scope";
}

struct class_case {
  const char* input;
  bool multicast, link_local_mc, interface_local_mc, ssm, unspecified, loopback, v4_mapped, unicast;
};

const class_case kClasses[] = {
    // input            mc     llmc   ifmc   ssm    unspec loop   mapped unicast
    {"239.255.0.1", true, false, false, false, false, false, false, false},
    {"224.0.0.1", true, true, false, false, false, false, false, false},
    {"224.0.0.255", true, true, false, false, false, false, false, false},
    {"224.0.1.1", true, false, false, false, false, false, false, false},
    {"232.1.1.1", true, false, false, true, false, false, false, false},
    {"231.255.255.255", true, false, false, false, false, false, false, false},
    {"233.0.0.1", true, false, false, false, false, false, false, false},
    {"223.255.255.255", false, false, false, false, false, false, false, true},
    {"240.0.0.1", false, false, false, false, false, false, false, true},
    {"10.77.0.1", false, false, false, false, false, false, false, true},
    {"0.0.0.0", false, false, false, false, true, false, false, false},
    {"127.0.0.1", false, false, false, false, false, true, false, true},
    {"255.255.255.255", false, false, false, false, false, false, false, false},
    {"ff02::1", true, true, false, false, false, false, false, false},
    {"ff12::8000:1", true, true, false, false, false, false, false, false},
    {"ff32::8000:1", true, true, false, true, false, false, false, false},  // link-local scope inside ff3x::/32
    {"ff01::1", true, false, true, false, false, false, false, false},
    {"ff11::1", true, false, true, false, false, false, false, false},
    {"ff1e::1", true, false, false, false, false, false, false, false},
    {"ff05::2", true, false, false, false, false, false, false, false},
    {"ff3e::8000:1", true, false, false, true, false, false, false, false},
    {"ff35::1", true, false, false, true, false, false, false, false},
    {"ff3e:30:2001:db8::1", true, false, false, false, false, false, false, false},  // unicast-prefix based, not SSM
    {"ff2e::1", true, false, false, false, false, false, false, false},
    {"::", false, false, false, false, true, false, false, false},
    {"::1", false, false, false, false, false, true, false, true},
    {"::ffff:10.77.0.1", false, false, false, false, false, false, true, true},
    {"fd77::1", false, false, false, false, false, false, false, true},
    {"fe80::1%2", false, false, false, false, false, false, false, true},
};

void PrintTo(const class_case& c, std::ostream* os) { *os << '"' << c.input << '"'; }

class AddressClass : public ::testing::TestWithParam<class_case> {};

TEST_P(AddressClass, Classifies) {
  const auto& c = GetParam();
  auto a = core::ip_address::parse(c.input).value();
  EXPECT_EQ(a.is_multicast(), c.multicast) << c.input;
  EXPECT_EQ(a.is_link_local_multicast(), c.link_local_mc) << c.input;
  EXPECT_EQ(a.is_interface_local_multicast(), c.interface_local_mc) << c.input;
  EXPECT_EQ(a.is_ssm(), c.ssm) << c.input;
  EXPECT_EQ(a.is_unspecified(), c.unspecified) << c.input;
  EXPECT_EQ(a.is_loopback(), c.loopback) << c.input;
  EXPECT_EQ(a.is_v4_mapped(), c.v4_mapped) << c.input;
  EXPECT_EQ(a.is_unicast(), c.unicast) << c.input;
}

INSTANTIATE_TEST_SUITE_P(Table, AddressClass, ::testing::ValuesIn(kClasses));

TEST(Address, MulticastScopeNibble) {
  EXPECT_EQ(core::ip_address::parse("ff02::1").value().multicast_scope(), 2u);
  EXPECT_EQ(core::ip_address::parse("ff1e::1").value().multicast_scope(), 0xeu);
  EXPECT_EQ(core::ip_address::parse("ff35::1").value().multicast_scope(), 5u);
  EXPECT_EQ(core::ip_address::parse("fd77::1").value().multicast_scope(), 0u);
  EXPECT_EQ(core::ip_address::parse("239.1.1.1").value().multicast_scope(), 0u);
}

TEST(Address, LinkLocalUnicastAndBroadcast) {
  EXPECT_TRUE(core::ip_address::parse("169.254.1.1").value().is_link_local_unicast());
  EXPECT_TRUE(core::ip_address::parse("fe80::1").value().is_link_local_unicast());
  EXPECT_TRUE(core::ip_address::parse("febf::1").value().is_link_local_unicast());
  EXPECT_FALSE(core::ip_address::parse("fec0::1").value().is_link_local_unicast());
  EXPECT_TRUE(core::ip_address::parse("255.255.255.255").value().is_broadcast());
}

TEST(Address, MapAndUnmap) {
  auto v4 = core::ip_address::v4(10, 77, 0, 1);
  auto mapped = v4.map_v6();
  EXPECT_TRUE(mapped.is_v6());
  EXPECT_TRUE(mapped.is_v4_mapped());
  EXPECT_EQ(mapped.to_string(), "::ffff:10.77.0.1");
  EXPECT_EQ(mapped.unmap(), v4);
  EXPECT_EQ(v4.unmap(), v4);
  auto v6 = core::ip_address::parse("fd77::1").value();
  EXPECT_EQ(v6.unmap(), v6);
  EXPECT_EQ(v6.map_v6(), v6);
  EXPECT_TRUE(core::ip_address::parse("239.1.1.1").value().map_v6().unmap().is_multicast());
}

TEST(Address, OrdersV4BeforeV6ThenBytesThenScope) {
  auto a = core::ip_address::parse("10.0.0.1").value();
  auto b = core::ip_address::parse("10.0.0.2").value();
  auto c = core::ip_address::parse("::1").value();
  auto d = core::ip_address::parse("::1%3").value();
  EXPECT_LT(a, b);
  EXPECT_LT(b, c);
  EXPECT_LT(c, d);
  EXPECT_LT(core::ip_address{}, a);
}

TEST(Address, ParseAndFormatAllocateNothing) {
  std::array<char, core::ip_address::max_text_length> buf{};
  mcnet::test::allocation_scope scope;
  auto a = core::ip_address::parse("ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255%4294967295");
  auto bad = core::ip_address::parse("10.77.0.256");
  ASSERT_TRUE(a);
  ASSERT_FALSE(bad);
  auto n = a->to_chars(buf);
  EXPECT_EQ(scope.count(), 0u);
  EXPECT_LE(n, core::ip_address::max_text_length);
  EXPECT_EQ(std::string_view(buf.data(), n), "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff%4294967295");
}

// ------------------------------------------------------------------ endpoint

struct endpoint_case {
  const char* input;
  const char* address;
  std::uint16_t port;
  const char* formatted;
};

const endpoint_case kGoodEndpoints[] = {
    {"10.77.0.1:5000", "10.77.0.1", 5000, "10.77.0.1:5000"},
    {"239.255.0.1:0", "239.255.0.1", 0, "239.255.0.1:0"},
    {"0.0.0.0:65535", "0.0.0.0", 65535, "0.0.0.0:65535"},
    {"[fd77::1]:5000", "fd77::1", 5000, "[fd77::1]:5000"},
    {"[ff02::1%2]:5000", "ff02::1%2", 5000, "[ff02::1%2]:5000"},
    {"[::]:1", "::", 1, "[::]:1"},
    {"[::ffff:10.77.0.1]:80", "::ffff:10.77.0.1", 80, "[::ffff:10.77.0.1]:80"},
};

void PrintTo(const endpoint_case& c, std::ostream* os) { *os << '"' << c.input << '"'; }

class EndpointParse : public ::testing::TestWithParam<endpoint_case> {};

TEST_P(EndpointParse, ParsesAndFormats) {
  const auto& c = GetParam();
  auto e = core::endpoint::parse(c.input);
  ASSERT_TRUE(e) << c.input << ": " << e.error().message();
  EXPECT_EQ(e->address(), core::ip_address::parse(c.address).value());
  EXPECT_EQ(e->port(), c.port);
  EXPECT_EQ(e->to_string(), c.formatted);
  EXPECT_EQ(core::endpoint::parse(e->to_string()).value(), *e);
}

INSTANTIATE_TEST_SUITE_P(Table, EndpointParse, ::testing::ValuesIn(kGoodEndpoints));

const bad_case kBadEndpoints[] = {
    {"", errc::invalid_endpoint, "empty input"},
    {"10.77.0.1", errc::invalid_port, "missing ':PORT'"},
    {"10.77.0.1:", errc::invalid_port, "0 to 65535"},
    {"10.77.0.1:65536", errc::invalid_port, "0 to 65535"},
    {"10.77.0.1:70000", errc::invalid_port, "0 to 65535"},
    {"10.77.0.1:-1", errc::invalid_port, "0 to 65535"},
    {"10.77.0.1:+80", errc::invalid_port, "0 to 65535"},
    {"10.77.0.1:080", errc::invalid_port, "leading zeros"},
    {"10.77.0.1:5000x", errc::invalid_port, "0 to 65535"},
    {"10.77.0.1: 5000", errc::invalid_port, "0 to 65535"},
    {"10.77.0.256:5000", errc::invalid_address, "0 to 255"},
    {"ff3e::1:5000", errc::invalid_endpoint, "must be bracketed"},
    {"fd77::1", errc::invalid_endpoint, "must be bracketed"},
    {"[fd77::1]", errc::invalid_port, "missing ':PORT'"},
    {"[fd77::1]5000", errc::invalid_port, "missing ':PORT'"},
    {"[fd77::1:5000", errc::invalid_endpoint, "missing ']'"},
    {"[10.77.0.1]:5000", errc::invalid_endpoint, "IPv6 addresses only"},
    {"[fd77::g]:5000", errc::invalid_address, "not a valid IPv6"},
    {"[fe80::1%]:5000", errc::invalid_address, "empty zone"},
    {":5000", errc::invalid_address, "empty input"},
};

class EndpointReject : public ::testing::TestWithParam<bad_case> {};

TEST_P(EndpointReject, SaysWhatIsWrongAndNamesTheInput) {
  const auto& c = GetParam();
  auto e = core::endpoint::parse(c.input);
  ASSERT_FALSE(e) << c.input << " parsed as " << e->to_string();
  EXPECT_EQ(e.error().code, c.code) << e.error().message();
  EXPECT_EQ(e.error().input(), c.input) << "the error names the whole input";
  EXPECT_NE(e.error().message().find(c.hint_part), std::string::npos) << e.error().message();
}

INSTANTIATE_TEST_SUITE_P(Table, EndpointReject, ::testing::ValuesIn(kBadEndpoints));

TEST(Endpoint, SockaddrRoundTripV4) {
  auto e = core::endpoint::parse("239.255.0.1:5000").value();
  sockaddr_storage ss{};
  ASSERT_EQ(e.to_sockaddr(ss), sizeof(sockaddr_in));
  sockaddr_in in{};
  std::memcpy(&in, &ss, sizeof in);
  EXPECT_EQ(in.sin_family, AF_INET);
  EXPECT_EQ(ntohs(in.sin_port), 5000);
  EXPECT_EQ(ntohl(in.sin_addr.s_addr), 0xefff0001u);
  auto back = core::endpoint::from_sockaddr(reinterpret_cast<sockaddr*>(&ss), sizeof in);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, e);
}

TEST(Endpoint, SockaddrRoundTripV6KeepsScope) {
  auto e = core::endpoint::parse("[ff02::1%3]:5000").value();
  sockaddr_storage ss{};
  ASSERT_EQ(e.to_sockaddr(ss), sizeof(sockaddr_in6));
  sockaddr_in6 in6{};
  std::memcpy(&in6, &ss, sizeof in6);
  EXPECT_EQ(in6.sin6_family, AF_INET6);
  EXPECT_EQ(in6.sin6_scope_id, 3u);
  EXPECT_EQ(ntohs(in6.sin6_port), 5000);
  EXPECT_EQ(in6.sin6_addr.s6_addr[0], 0xff);
  EXPECT_EQ(in6.sin6_addr.s6_addr[1], 0x02);
  auto back = core::endpoint::from_sockaddr(reinterpret_cast<sockaddr*>(&ss), sizeof in6);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, e);
}

TEST(Endpoint, SockaddrErrors) {
  sockaddr_storage ss{};
  ss.ss_family = AF_UNIX;
  auto r = core::endpoint::from_sockaddr(reinterpret_cast<sockaddr*>(&ss), sizeof ss);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::family_mismatch);
  ss.ss_family = AF_INET6;
  r = core::endpoint::from_sockaddr(reinterpret_cast<sockaddr*>(&ss), sizeof(sockaddr_in));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::invalid_endpoint);
  EXPECT_NE(r.error().message().find("sockaddr_in6"), std::string::npos);
  EXPECT_FALSE(core::endpoint::from_sockaddr(nullptr, 0));
  EXPECT_EQ(core::endpoint().to_sockaddr(ss), 0u) << "an invalid address converts to nothing";
}

TEST(Endpoint, ConversionAllocatesNothing) {
  auto e = core::endpoint::parse("[fd77::1%2]:5000").value();
  sockaddr_storage ss{};
  std::array<char, core::endpoint::max_text_length> text{};
  mcnet::test::allocation_scope scope;
  auto length = e.to_sockaddr(ss);
  auto back = core::endpoint::from_sockaddr(reinterpret_cast<sockaddr*>(&ss), length);
  auto n = e.to_chars(text);
  auto parsed = core::endpoint::parse("[fd77::1%2]:5000");
  EXPECT_EQ(scope.count(), 0u);
  EXPECT_TRUE(back && parsed);
  EXPECT_EQ(std::string_view(text.data(), n), "[fd77::1%2]:5000");
}

// -------------------------------------------------------------------- prefix

TEST(Prefix, ParsesFormatsMasksAndContains) {
  auto p = core::prefix::parse("10.77.0.0/24").value();
  EXPECT_EQ(p.address(), core::ip_address::v4(10, 77, 0, 0));
  EXPECT_EQ(p.length(), 24u);
  EXPECT_EQ(p.to_string(), "10.77.0.0/24");
  EXPECT_TRUE(p.contains(core::ip_address::v4(10, 77, 0, 200)));
  EXPECT_FALSE(p.contains(core::ip_address::v4(10, 77, 1, 1)));
  EXPECT_FALSE(p.contains(core::ip_address::parse("fd77::1").value()));

  auto host = core::prefix::parse("10.77.0.2/24").value();
  EXPECT_EQ(host.address(), core::ip_address::v4(10, 77, 0, 2)) << "kept as given";
  EXPECT_EQ(host.masked(), p);

  auto v6 = core::prefix::parse("fd77::/16").value();
  EXPECT_EQ(v6.to_string(), "fd77::/16");
  EXPECT_TRUE(v6.contains(core::ip_address::parse("fd77:0:0:1::5").value()));
  EXPECT_TRUE(v6.contains(core::ip_address::parse("fd77::1%3").value())) << "scope ids are ignored";
  EXPECT_FALSE(v6.contains(core::ip_address::parse("fd78::1").value()));

  EXPECT_EQ(core::prefix::parse("10.77.3.129/25").value().masked().to_string(), "10.77.3.128/25");
  EXPECT_EQ(core::prefix::parse("fd77:ffff::/17").value().masked().to_string(), "fd77:8000::/17");
  EXPECT_EQ(core::prefix::parse("1.2.3.4/0").value().masked().to_string(), "0.0.0.0/0");
  EXPECT_EQ(core::prefix::parse("1.2.3.4/32").value().masked().to_string(), "1.2.3.4/32");
  EXPECT_TRUE(core::prefix::parse("0.0.0.0/0").value().contains(core::ip_address::v4(8, 8, 8, 8)));
  EXPECT_TRUE(core::prefix::parse("224.0.0.0/4").value().contains(core::ip_address::v4(239, 255, 0, 1)));
}

const bad_case kBadPrefixes[] = {
    {"10.77.0.0", errc::invalid_prefix, "missing '/LENGTH'"},
    {"10.77.0.0/", errc::invalid_prefix, "0 to 32"},
    {"10.77.0.0/33", errc::invalid_prefix, "0 to 32"},
    {"10.77.0.0/-1", errc::invalid_prefix, "0 to 32"},
    {"10.77.0.0/024", errc::invalid_prefix, "leading zeros"},
    {"10.77.0.0/24/8", errc::invalid_prefix, "0 to 32"},
    {"fd77::/129", errc::invalid_prefix, "0 to 128"},
    {"fe80::%2/64", errc::invalid_prefix, "no zone"},
    {"10.77.0/24", errc::invalid_address, "four parts"},
    {"/24", errc::invalid_address, "empty input"},
};

class PrefixReject : public ::testing::TestWithParam<bad_case> {};

TEST_P(PrefixReject, SaysWhatIsWrongAndNamesTheInput) {
  const auto& c = GetParam();
  auto p = core::prefix::parse(c.input);
  ASSERT_FALSE(p) << c.input << " parsed as " << p->to_string();
  EXPECT_EQ(p.error().code, c.code) << p.error().message();
  EXPECT_EQ(p.error().input(), c.input);
  EXPECT_NE(p.error().message().find(c.hint_part), std::string::npos) << p.error().message();
}

INSTANTIATE_TEST_SUITE_P(Table, PrefixReject, ::testing::ValuesIn(kBadPrefixes));

TEST(Prefix, MakeChecksLength) {
  EXPECT_TRUE(core::prefix::make(core::ip_address::v4(10, 0, 0, 0), 8));
  auto bad = core::prefix::make(core::ip_address::v4(10, 0, 0, 0), 40);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, errc::invalid_prefix);
  EXPECT_EQ(bad.error().number(), 40);
  EXPECT_FALSE(core::prefix::make(core::ip_address{}, 0));
}

// Zone names resolve in the namespace of the calling thread: inside a host,
// eth0 exists; on the caller's side it need not.
TEST(NetAddress, ZoneNamesResolveInTheCallersNamespace) {
  MCNET_REQUIRE_NETNS();
  auto net = mcnet::test::network::lan(1);
  const auto& h = (*net)[0];
  const auto index = h.interfaces()[0].index;
  h.run([&] {
    auto a = core::ip_address::parse("fe80::1%eth0");
    ASSERT_TRUE(a) << a.error().message();
    EXPECT_EQ(a->scope_id(), index);
    EXPECT_EQ(a->to_string(), "fe80::1%" + std::to_string(index));
    auto e = core::endpoint::parse("[ff02::1%eth0]:5000");
    ASSERT_TRUE(e) << e.error().message();
    EXPECT_EQ(e->address().scope_id(), index);
    auto missing = core::ip_address::parse("fe80::1%eth7");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, errc::no_such_interface);
    EXPECT_NE(missing.error().message().find("eth7"), std::string::npos);
  });
}

}  // namespace
