// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// The group-spec grammar: every row of the table in docs/tools.md, and more
// bad input: ranges leaving their scope, sources of another family, and
// @FILE limits (regular files only, 16 MiB, 4 KiB lines, 65536 specs).

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

#include <mcnet/tools/cli.hpp>
#include <mcnet/tools/group_spec.hpp>

namespace core = mcnet::core;
namespace tools = mcnet::tools;
using mcnet::errc;

namespace {

core::ip_address addr(const char* t) { return core::ip_address::parse(t).value(); }

// `spec_text` parses, and its +count range is refused as out of range (the
// error naming the spec); `message` is the refusal's message.
void expect_range_refused(const char* spec_text, std::string& message) {
  auto spec = tools::parse_group_spec(spec_text);
  ASSERT_TRUE(spec) << spec_text << ": " << spec.error().message();
  auto groups = tools::expand(*spec);
  ASSERT_FALSE(groups) << spec_text << " gives " << groups->back().to_string();
  EXPECT_EQ(groups.error().code, errc::value_out_of_range) << spec_text;
  EXPECT_EQ(groups.error().input(), spec_text);
  message = groups.error().message();
}

TEST(GroupSpec, TheContractTable) {
  auto plain = tools::parse_group_spec("239.1.2.3");
  ASSERT_TRUE(plain) << plain.error().message();
  EXPECT_EQ(plain->group, addr("239.1.2.3"));
  EXPECT_EQ(plain->port, 5000) << "default port";
  EXPECT_EQ(plain->mode, tools::filter::any);
  EXPECT_TRUE(plain->interface_text().empty());

  auto ssm = tools::parse_group_spec("10.77.0.1,232.1.1.1:6000%eth1");
  ASSERT_TRUE(ssm) << ssm.error().message();
  EXPECT_EQ(ssm->mode, tools::filter::include);
  EXPECT_EQ(ssm->source, addr("10.77.0.1"));
  EXPECT_EQ(ssm->group, addr("232.1.1.1"));
  EXPECT_EQ(ssm->port, 6000);
  EXPECT_EQ(ssm->interface_text(), "eth1");

  auto ex = tools::parse_group_spec("!10.77.0.1,239.1.1.1:6000");
  ASSERT_TRUE(ex);
  EXPECT_EQ(ex->mode, tools::filter::exclude);
  EXPECT_EQ(ex->source, addr("10.77.0.1"));

  for (const char* v6 : {"fd77::1,[ff3e::1]:5000", "[fd77::1],[ff3e::1]:5000"}) {
    auto s = tools::parse_group_spec(v6);
    ASSERT_TRUE(s) << v6 << ": " << s.error().message();
    EXPECT_EQ(s->source, addr("fd77::1"));
    EXPECT_EQ(s->group, addr("ff3e::1"));
    EXPECT_EQ(s->port, 5000);
  }

  auto ll = tools::parse_group_spec("[ff02::1%2]:5000");
  ASSERT_TRUE(ll) << ll.error().message();
  EXPECT_EQ(ll->zone, "2");
  EXPECT_EQ(ll->group, addr("ff02::1"));

  auto unbracketed = tools::parse_group_spec("ff3e::1+4");
  ASSERT_TRUE(unbracketed) << unbracketed.error().message();
  EXPECT_EQ(unbracketed->count, 4u);
  EXPECT_EQ(unbracketed->port, 5000);

  auto range = tools::parse_group_spec("239.255.20.1:5000+100");
  ASSERT_TRUE(range);
  auto groups = tools::expand(*range);
  ASSERT_TRUE(groups);
  ASSERT_EQ(groups->size(), 100u);
  EXPECT_EQ(groups->front(), addr("239.255.20.1"));
  EXPECT_EQ(groups->back(), addr("239.255.20.100"));
}

struct bad {
  const char* spec;
  std::error_code code;
};

const std::error_code einval = std::make_error_code(std::errc::invalid_argument);

// `b` is refused with its code, the error naming the spec.
void expect_refused(const bad& b, tools::spec_user user = tools::spec_user::receiver) {
  auto s = tools::parse_group_spec(b.spec, user);
  ASSERT_FALSE(s) << b.spec;
  EXPECT_EQ(s.error().code, b.code) << b.spec << ": " << s.error().message();
  EXPECT_EQ(s.error().input(), b.spec);
}

TEST(GroupSpec, BadInputNamesTheSpec) {
  const bad table[] = {
      {"10.1.2.3:5000", errc::not_multicast},
      {"239.1.2.3:0", errc::value_out_of_range},
      {"239.1.2.3:70000", errc::value_out_of_range},
      {"239.1.2.3:65536", errc::value_out_of_range},
      {"239.1.2.3:99999999999", errc::value_out_of_range},
      {"[ff3e::1]:70000", errc::value_out_of_range},
      {"239.1.2.3:50x", errc::invalid_port},
      {"239.1.2.3:-1", errc::invalid_port},
      {"239.1.1.1%%s%n", errc::invalid_address},
      {"239.1.1.1%a%b", errc::invalid_address},
      {"239.1.1.1:5000%a%b", errc::invalid_address},
      {"239.1.2.3:05000", errc::invalid_port},
      {"[ff3e::1]:0080", errc::invalid_port},
      {"ff3e::1:5000x", errc::invalid_address},
      {"10.77.0.1,ff3e::1", errc::family_mismatch},
      {"[ff02::1]:5000", errc::interface_required},
      {"", errc::invalid_address},
      {"239.1.2.3:", errc::invalid_port},
      {"239.1.2.3+0", errc::value_out_of_range},
      {"239.1.2.3+65537", errc::value_out_of_range},
      {"239.1.2.3%", errc::no_such_interface},
      {"!239.1.1.1", errc::source_not_unicast},
      {"239.1.1.1,232.1.1.1", errc::source_not_unicast},
      {"[ff02::1%eth1]:5000%eth2", einval},
      {"239.1.2.3+", einval},
      {"239.1.2.3+x", einval},
      {"239.1.2.3:5000+-1", einval},
      {"239.1.2.3+99999999999", errc::value_out_of_range},
      {"[ff3e::1:5000", errc::invalid_address},
      {"[ff3e::1]5000", errc::invalid_port},
      {"10.77.0.1%eth0,239.1.1.1", errc::invalid_address},
      {"[239.1.1.1]:5000", errc::invalid_address},
      {"[239.1.1.1%eth0]:5000", errc::invalid_address},
      {"[10.77.0.1],239.1.1.1", errc::invalid_address},
  };
  for (const auto& b : table) expect_refused(b);
  // trial t16s 7: what is no address is a bad group spec, not a failure
  // to "parse IP address".
  for (const auto& [spec, what] : std::vector<std::pair<std::string, std::string>>{
           {"\xff", "the group is not an IP address (good specs, for example: 239.1.1.1:5000"},
           {"x,239.1.1.1", "the source is not an IP address (a good spec, for example: 10.77.0.1,232.1.1.1:5000)"},
           // Trial t15z L3: two sources in one spec.
           {"10.77.1.2,10.77.1.3,232.1.1.1:5000", "one source per spec: give each source its own spec, "
                                                  "S1,G:PORT S2,G:PORT"}}) {
    const auto r = tools::parse_group_spec(spec);
    ASSERT_FALSE(r) << spec;
    const auto m = r.error().message();
    EXPECT_TRUE(m.starts_with("parse group spec \"" + spec + "\"")) << m;
    EXPECT_NE(m.find(what), std::string::npos) << m;
  }
  // Port 0 is a number, out of range: one sentence, not "not a port number".
  EXPECT_EQ(tools::parse_group_spec("239.77.1.1:0").error().message(),
            "parse group spec \"239.77.1.1:0\": value out of range: port 0: the port is 1 to 65535");
  EXPECT_EQ(tools::parse_group_spec("[ff3e::1]:0", tools::spec_user::sender).error().message(),
            "parse group spec \"[ff3e::1]:0\": value out of range: port 0: the port is 1 to 65535");
  // Digits past 65535 are a port out of range, not "not a port number".
  EXPECT_EQ(tools::parse_group_spec("239.1.1.1:70000").error().message(),
            "parse group spec \"239.1.1.1:70000\": value out of range: the port is 1 to 65535");
  EXPECT_EQ(tools::parse_group_spec("239.1.1.1:5x").error().message(),
            "parse group spec \"239.1.1.1:5x\": not a valid port: the port is a decimal number, 1 to "
            "65535");
  EXPECT_TRUE(tools::parse_group_spec("[ff02::1]:5000", tools::spec_user::receiver, "eth0")) << "-i given";
  auto send_ex = tools::parse_group_spec("!10.77.0.1,239.1.1.1", tools::spec_user::sender);
  ASSERT_FALSE(send_ex);
  EXPECT_NE(send_ex.error().message().find("mcast-send"), std::string::npos);
  EXPECT_EQ(send_ex.error().code, std::errc::invalid_argument) << "a spec the sender does not take, not a range";
  EXPECT_EQ(tools::parse_group_spec("239.1.1.1+").error().message(),
            "parse group spec \"239.1.1.1+\": Invalid argument: '+' is followed by a count of groups, a decimal "
            "number 1 to 65536");
  auto past = tools::parse_group_spec("239.255.255.255+2");
  ASSERT_TRUE(past);
  EXPECT_EQ(tools::expand(*past).error().code, errc::not_multicast);
}

TEST(GroupSpec, RangesStayInTheirScope) {
  // IPv4: the range ends at 239.255.255.255; the message names the last
  // group and how far +N may go.
  auto v4 = tools::expand(tools::parse_group_spec("239.255.255.254:5000+3").value());
  ASSERT_FALSE(v4);
  EXPECT_EQ(v4.error().code, errc::not_multicast);
  EXPECT_EQ(v4.error().message(),
            "expand group spec \"239.255.255.254:5000+3\": not a multicast address (address 240.0.0.0): the +count "
            "runs past the multicast range, which ends at 239.255.255.255: +2 at most from this group");
  EXPECT_TRUE(tools::expand(tools::parse_group_spec("239.255.255.254:5000+2").value()));
  // IPv6: the first 16 bits (ff, flags, scope) are the same for every group
  // of a range; carrying into them would reach another scope or flags.
  const struct {
    const char* spec;
    const char* last;
    int most;
  } crossing[] = {
      {"ff1e:ffff:ffff:ffff:ffff:ffff:ffff:ffff+2", "ff1e:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 1},
      {"[ff02:ffff:ffff:ffff:ffff:ffff:ffff:fffe%eth0]:5000+3", "ff02:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 2},
      {"ff3e:ffff:ffff:ffff:ffff:ffff:ffff:ff00+65536", "ff3e:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 256},
      {"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff+2", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 1},
  };
  for (const auto& c : crossing) {
    std::string message;
    ASSERT_NO_FATAL_FAILURE(expect_range_refused(c.spec, message));
    EXPECT_NE(message.find(std::string("which end at ") + c.last + ": +" + std::to_string(c.most) + " at most"),
              std::string::npos)
        << message;
    EXPECT_NE(message.find("flags and scope"), std::string::npos) << message;
  }
  // Up to the last group of the scope, and carries inside the low 112 bits, are fine.
  auto full = tools::expand(tools::parse_group_spec("ff1e:ffff:ffff:ffff:ffff:ffff:ffff:fff0+16").value());
  ASSERT_TRUE(full);
  EXPECT_EQ(full->back(), addr("ff1e:ffff:ffff:ffff:ffff:ffff:ffff:ffff"));
  auto carry = tools::expand(tools::parse_group_spec("ff1e::ffff:ffff+3").value());
  ASSERT_TRUE(carry);
  EXPECT_EQ(carry->back(), addr("ff1e::1:0:1"));
}

// trial t16u M5: a +N range crossed boundaries that change what its groups
// mean, silently: into or out of 232/8 (IPv4 SSM), out of the local network
// control block, out of ff3x::/96 (IPv6 SSM), into another network prefix
// of an RFC 3306 group or another RP of an RFC 3956 one. Refused, the spec
// and the boundary named, as the scope crossing is.
TEST(GroupSpec, RangesStayOnTheirSideOfMeaningfulBoundaries) {
  const struct {
    const char* spec;
    const char* boundary;
    const char* last;
  } crossing[] = {
      {"10.77.16.1,232.255.255.255+2", "232.0.0.0/8", "232.255.255.255"},
      {"231.255.255.255+2", "232.0.0.0/8", "231.255.255.255"},
      {"!10.77.16.1,231.255.255.255+2", "232.0.0.0/8", "231.255.255.255"},
      {"224.0.0.255+2", "224.0.0.0/24", "224.0.0.255"},
      {"fd77:16::1,ff3e::ffff:ffff+2", "first 96 bits", "ff3e::ffff:ffff"},
      {"ff3e:30:2001:db8:ffff:ffff:ffff:ffff+2", "first 96 bits", "ff3e:30:2001:db8:ffff:ffff:ffff:ffff"},
      {"ff7e:140:2001:db8:ffff:ffff:ffff:ffff+2", "first 96 bits", "ff7e:140:2001:db8:ffff:ffff:ffff:ffff"},
  };
  for (const auto& c : crossing) {
    std::string message;
    ASSERT_NO_FATAL_FAILURE(expect_range_refused(c.spec, message));
    EXPECT_NE(message.find(c.boundary), std::string::npos) << message;
    EXPECT_NE(message.find(std::string("after ") + c.last + ": "), std::string::npos) << message;
    EXPECT_NE(message.find("+1 at most from this group"), std::string::npos) << message;
  }
  for (const char* fine : {"232.255.255.254+2", "231.255.255.254+2", "224.0.1.0+256", "ff3e::ffff:fffe+2",
                           "ff3e:30:2001:db8:ffff:ffff:ffff:fffe+2", "ff1e::ffff:ffff+2", "ff0e::ffff:ffff+2"}) {
    EXPECT_TRUE(tools::expand(tools::parse_group_spec(fine).value())) << fine;
  }
}

// trial t16u L7: an interface name may hold '+'; the last '+' of a spec
// starts its count, as the docs now say: %=1+1 is the interface =1, and
// %=1+1+1 the interface =1+1 with a count of 1.
TEST(GroupSpec, TheLastPlusStartsTheCount) {
  auto short_form = tools::parse_group_spec("239.1.1.1%=1+1");
  ASSERT_TRUE(short_form);
  EXPECT_EQ(short_form->iface, "=1");
  EXPECT_EQ(short_form->count, 1u);
  auto counted = tools::parse_group_spec("239.1.1.1%=1+1+1");
  ASSERT_TRUE(counted);
  EXPECT_EQ(counted->iface, "=1+1");
  EXPECT_EQ(counted->count, 1u);
}

TEST(GroupSpec, SourcesAreUnicastOfTheGroupsFamily) {
  const bad table[] = {
      {"::ffff:10.77.0.1,[ff3e::1]:5000", errc::family_mismatch},
      {"[::ffff:10.77.0.1],[ff3e::1]:5000", errc::family_mismatch},
      {"::ffff:10.77.0.1,ff3e::1", errc::family_mismatch},
      {"!::ffff:10.77.0.1,[ff3e::1]:5000", errc::family_mismatch},
      {"::ffff:10.77.0.1,239.1.1.1", errc::family_mismatch},
      {"fd77::1,239.1.1.1", errc::family_mismatch},
      {"0.0.0.0,232.1.1.1", errc::source_not_unicast},
      {"255.255.255.255,232.1.1.1", errc::source_not_unicast},
      {"::,[ff3e::1]:5000", errc::source_not_unicast},
      {"[ff3e::2],[ff3e::1]:5000", errc::source_not_unicast},
      {"::ffff:239.1.1.1,[ff3e::1]:5000", errc::family_mismatch},
      {"::10.77.16.1,239.1.1.1", errc::family_mismatch},
      {"10.77.0.1,::ffff:239.1.1.1", errc::not_multicast},
  };
  for (const auto& b : table) {
    expect_refused(b, tools::spec_user::receiver);
    if (b.spec[0] != '!') expect_refused(b, tools::spec_user::sender);
  }
  EXPECT_NE(tools::parse_group_spec("::ffff:10.77.0.1,[ff3e::1]:5000").error().message().find("v4-mapped"),
            std::string::npos);
  // trial h16x L6: sources that can never be a multicast sender's address
  // were joined (loopback, silently) or only warned about by the route
  // check (0.0.0.1, 240.0.0.1): refused, each with its reason, by both tools.
  const std::vector<std::pair<std::string, std::string>> never = {
      {"127.0.0.1,232.1.1.1", "a loopback address (127.0.0.0/8), which never leaves its host"},
      {"127.77.0.9,232.1.1.1:5000", "a loopback address (127.0.0.0/8), which never leaves its host"},
      {"!127.0.0.1,239.1.1.1", "a loopback address (127.0.0.0/8), which never leaves its host"},
      {"::1,[ff3e::1]:5000", "the loopback address (::1), which never leaves its host"},
      {"0.0.0.1,232.1.1.1", "0.0.0.0/8, \"this network\" (RFC 1122), never a sender's address"},
      {"240.0.0.1,232.1.1.1", "240.0.0.0/4, reserved (class E, RFC 1112), never a sender's address"},
      {"255.255.255.254,232.1.1.1", "240.0.0.0/4, reserved (class E, RFC 1112), never a sender's address"},
      {"255.255.255.255,232.1.1.1", "the broadcast address, never a sender's address"},
      {"0.0.0.0,232.1.1.1", "the unspecified address, never a sender's address"},
      {"::,[ff3e::1]:5000", "the unspecified address, never a sender's address"},
      {"239.1.1.9,232.1.1.1", "a multicast address, never a sender's address"},
      {"[ff3e::2],[ff3e::1]:5000", "a multicast address, never a sender's address"},
  };
  for (const auto& [spec, why] : never) {
    for (auto user : {tools::spec_user::receiver, tools::spec_user::sender}) {
      if (spec[0] == '!' && user == tools::spec_user::sender) continue;
      const auto r = tools::parse_group_spec(spec, user);
      ASSERT_FALSE(r) << spec;
      // A loopback source is unicast: its own code and message (issue #16).
      const bool loopback = why.find("loopback") != std::string::npos;
      if (loopback) {
        EXPECT_EQ(r.error().code, errc::source_loopback) << spec;
        EXPECT_EQ(tools::code_name(r.error()), "source_loopback") << spec;
        EXPECT_TRUE(r.error().message().starts_with("parse group spec \"" + spec + "\": a loopback source never "
                                                    "sends multicast on a link"))
            << r.error().message();
      } else {
        EXPECT_EQ(r.error().code, errc::source_not_unicast) << spec;
      }
      EXPECT_NE(r.error().message().find(why), std::string::npos) << spec << ": " << r.error().message();
    }
  }
  // Their neighbours are senders' addresses.
  for (const char* good : {"1.0.0.1,232.1.1.1", "126.255.255.255,232.1.1.1", "128.0.0.1,232.1.1.1",
                           "223.255.255.255,232.1.1.1", "::1:0:0:2,[ff3e::1]:5000", "fd77::1,[ff3e::1]:5000",
                           "::fffe:a4d:1001,[ff3e::1]:5000"}) {
    EXPECT_TRUE(tools::parse_group_spec(good)) << good;
  }
  EXPECT_TRUE(tools::parse_group_spec("fd77::1,[ff3e::1]:5000"));
  // trial t16z: the deprecated IPv4-compatible sources (::/96 but :: and
  // ::1, RFC 4291 2.5.5.1) were joined, ::127.0.0.1 too: refused before
  // any join or send as the v4-mapped ones are, with their own code.
  for (const char* spec : {"::10.77.16.1,[ff3e::1]:5000", "::127.0.0.1,[ff3e::1]:5000", "[::10.77.16.1],ff3e::1",
                           "!::10.77.16.1,[ff3e::1]:5000", "::2,[ff3e::1]:5000", "::ffff:ffff,[ff3e::1]:5000",
                           "0:0:0:0:0:0:a4d:1001,[ff3e::1]:5000"}) {
    for (auto user : {tools::spec_user::receiver, tools::spec_user::sender}) {
      if (spec[0] == '!' && user == tools::spec_user::sender) continue;
      const auto r = tools::parse_group_spec(spec, user);
      ASSERT_FALSE(r) << spec;
      EXPECT_EQ(r.error().code, errc::source_v4_compatible) << spec;
      EXPECT_EQ(tools::code_name(r.error()), "source_v4_compatible") << spec;
      EXPECT_EQ(r.error().message(),
                "parse group spec \"" + std::string(spec) +
                    "\": an IPv4-compatible source (::a.b.c.d) is deprecated: RFC 4291 2.5.5.1 deprecates the "
                    "::/96 sources and no host sends from one: an IPv6 group takes the sender's IPv6 address, an "
                    "IPv4 group its plain IPv4 address");
    }
  }
  // mcast-send binds to a link-local source on the spec's interface: it needs one.
  auto ll = tools::parse_group_spec("fe80::1,[ff3e::1]:5000", tools::spec_user::sender);
  ASSERT_FALSE(ll);
  EXPECT_EQ(ll.error().code, errc::interface_required) << ll.error().message();
  EXPECT_TRUE(tools::parse_group_spec("fe80::1,[ff3e::1]:5000%eth0", tools::spec_user::sender));
  EXPECT_TRUE(tools::parse_group_spec("fe80::1,[ff3e::1]:5000", tools::spec_user::sender, "eth0"));
  EXPECT_TRUE(tools::parse_group_spec("fe80::1,[ff3e::1]:5000")) << "a receiver's source filter needs no scope";
}

TEST(GroupSpec, SetChecks) {
  std::vector<tools::group_spec> specs{tools::parse_group_spec("10.77.0.1,239.1.1.1").value(),
                                       tools::parse_group_spec("!10.77.0.2,239.1.1.1").value()};
  auto conflict = tools::check_spec_set(specs);
  ASSERT_FALSE(conflict);
  EXPECT_NE(conflict.error().message().find("include and exclude"), std::string::npos);
  specs = {tools::parse_group_spec("!10.77.0.2,232.1.1.1").value(), tools::parse_group_spec("!10.77.0.3,232.1.1.1").value()};
  auto warnings = tools::check_spec_set(specs);
  ASSERT_TRUE(warnings);
  EXPECT_EQ(warnings->size(), 2u) << "exclude in the SSM range warns";
}

TEST(SpecFiles, AtFileReadsOneSpecPerLine) {
  char path[] = "/tmp/mcnet-specs-XXXXXX";
  const int fd = ::mkstemp(path);
  ASSERT_GE(fd, 0);
  const std::string content = "# feeds\r\n\r\n  239.1.1.1:5000  \n10.77.0.1,232.1.1.1\r\n\t# indented comment\n";  // CRLF too
  ASSERT_EQ(::write(fd, content.data(), content.size()), static_cast<ssize_t>(content.size()));
  ::close(fd);
  auto specs = tools::expand_spec_files({"239.9.9.9", std::string("@") + path});
  ::unlink(path);
  ASSERT_TRUE(specs) << specs.error().message;
  const std::string file(path);
  EXPECT_EQ(*specs, (std::vector<tools::spec_text>{
                        {"239.9.9.9", ""}, {"239.1.1.1:5000", file + ":3"}, {"10.77.0.1,232.1.1.1", file + ":4"}}))
      << "each line keeps FILE:LINE, counted from 1 with comments and blank lines";
  EXPECT_EQ((*specs)[1].where("parse group spec"), file + ":3: parse group spec");
  EXPECT_EQ((*specs)[0].where("parse group spec"), "parse group spec") << "an argument has no origin";
  auto missing = tools::expand_spec_files({"@/nonexistent/specs"});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().cause.input(), "/nonexistent/specs");
  EXPECT_EQ(missing.error().code, "ENOENT");
  EXPECT_EQ(missing.error().message, missing.error().cause.message()) << "an error about the file is the file's";
}

// A temporary file with `content`, removed at the end of the scope.
class temp_file {
 public:
  explicit temp_file(const std::string& content) {
    const int fd = ::mkstemp(path_);
    EXPECT_GE(fd, 0);
    std::size_t done = 0;
    while (fd >= 0 && done < content.size()) {
      const auto n = ::write(fd, content.data() + done, content.size() - done);
      if (n <= 0) break;
      done += static_cast<std::size_t>(n);
    }
    EXPECT_EQ(done, content.size());
    if (fd >= 0) ::close(fd);
  }
  ~temp_file() { ::unlink(path_); }
  temp_file(const temp_file&) = delete;
  temp_file& operator=(const temp_file&) = delete;
  [[nodiscard]] std::string arg() const { return std::string("@") + path_; }
  [[nodiscard]] std::string path() const { return path_; }

 private:
  char path_[32] = "/tmp/mcnet-specs-XXXXXX";
};

TEST(SpecFiles, OnlyRegularFilesOfBoundedSize) {
  // Not regular files: refused by what they are, never read.
  const struct {
    const char* path;
    int err;
    const char* what;
  } others[] = {
      {"/tmp", EISDIR, "a directory"},
      {"/dev/zero", EINVAL, "a character device"},
      {"/dev/null", EINVAL, "a character device"},
  };
  for (const auto& o : others) {
    auto r = tools::expand_spec_files({std::string("@") + o.path});
    ASSERT_FALSE(r) << o.path;
    EXPECT_EQ(r.error().cause.code.value(), o.err) << r.error().message;
    EXPECT_EQ(r.error().cause.input(), o.path);
    EXPECT_NE(r.error().message.find(o.what), std::string::npos) << r.error().message;
  }
  // trial t16z: '@' alone read "read spec file: No such file or
  // directory" naming no file; it is an empty value, said as one.
  const auto empty = tools::expand_spec_files({"239.1.1.1", "@"});
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().message,
            "@\"\": an empty file name after '@'; give one: @FILE names a file with one group spec per line");
  EXPECT_EQ(empty.error().code, "usage");
  char dir[] = "/tmp/mcnet-fifo-XXXXXX";
  ASSERT_NE(::mkdtemp(dir), nullptr);
  const std::string fifo = std::string(dir) + "/specs";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  auto pipe = tools::expand_spec_files({"@" + fifo});  // no writer: must not wait for one
  ::unlink(fifo.c_str());
  ::rmdir(dir);
  ASSERT_FALSE(pipe);
  EXPECT_NE(pipe.error().message.find("a pipe (FIFO)"), std::string::npos) << pipe.error().message;

  // Size: 16 MiB is read, one byte more is not.
  std::string comments;
  const std::size_t spec_bytes = 10;  // "239.1.1.1\n"
  while (comments.size() + spec_bytes < tools::spec_file_max_bytes) {
    const auto line = std::min<std::size_t>(4096, tools::spec_file_max_bytes - spec_bytes - comments.size());
    comments += std::string(line - 1, '#') + "\n";
  }
  comments += "239.1.1.1\n";
  ASSERT_EQ(comments.size(), tools::spec_file_max_bytes);
  {
    const temp_file at_limit(comments);
    auto r = tools::expand_spec_files({at_limit.arg()});
    ASSERT_TRUE(r) << r.error().message;
    ASSERT_EQ(r->size(), 1u);
    EXPECT_EQ(r->front().text, "239.1.1.1");
  }
  {
    const temp_file over(comments + "\n");
    auto r = tools::expand_spec_files({over.arg()});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().cause.code.value(), EFBIG);
    EXPECT_NE(r.error().message.find("at most 16777216 bytes (16 MiB"), std::string::npos) << r.error().message;
  }
  // Lines: 4096 bytes is a line, 4097 is not (the message names the line).
  {
    const temp_file long_line("239.1.1.1\n" + std::string(4096, ' ') + "\n239.1.1.2" + std::string(4087, ' ') + "\n");
    auto r = tools::expand_spec_files({long_line.arg()});
    ASSERT_TRUE(r) << r.error().message;
    ASSERT_EQ(r->size(), 2u);
    EXPECT_EQ((*r)[0].text, "239.1.1.1");
    EXPECT_EQ((*r)[1].text, "239.1.1.2");
  }
  {
    const temp_file too_long("239.1.1.1\n239.1.1.2" + std::string(4088, ' ') + "\n");
    auto r = tools::expand_spec_files({too_long.arg()});
    ASSERT_FALSE(r);
    // FILE:LINE first, as every error about a line of a file.
    EXPECT_EQ(r.error().message, too_long.path() +
                                     ":2: read spec file: value out of range: the line is longer than 4096 bytes: "
                                     "a spec file holds one group spec a line");
    EXPECT_EQ(r.error().code, "value_out_of_range");
  }
  // trial t16t: a CRLF line end is a line end, not part of the line: 4096
  // bytes before "\r\n" is a line (it was refused as longer than 4096
  // bytes, the same line ended by "\n" accepted); 4097 before it is not.
  {
    const temp_file crlf("239.1.1.1\r\n#" + std::string(4095, 'x') + "\r\n239.1.1.2" + std::string(4087, ' ') +
                         "\r\n");
    auto r = tools::expand_spec_files({crlf.arg()});
    ASSERT_TRUE(r) << r.error().message;
    ASSERT_EQ(r->size(), 2u);
    EXPECT_EQ((*r)[0].text, "239.1.1.1");
    EXPECT_EQ((*r)[1].text, "239.1.1.2");
  }
  {
    const temp_file crlf_long("239.1.1.1\r\n#" + std::string(4096, 'x') + "\r\n");
    auto r = tools::expand_spec_files({crlf_long.arg()});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message, crlf_long.path() +
                                     ":2: read spec file: value out of range: the line is longer than 4096 bytes: "
                                     "a spec file holds one group spec a line");
  }
  // trial t16s 4: 65,536 ordinary specs did not fit in the 1 MiB a file
  // held (lines like 239.100.x.y:5000 are 1.3 MB). The byte bound holds
  // 65,536 lines of 256 bytes: the longest spec form, an IPv6 source and
  // group with a port, zone, interface and count, fits many times over.
  {
    const std::string longest = "fd77:ffff:ffff:ffff:ffff:ffff:ffff:ffff,[ff3e:ffff:ffff:ffff:ffff:ffff:ffff:ffff]:"
                                "65535%eth0+65536";
    std::string widest;  // each line padded with spaces (ignored) to 256 bytes
    for (std::size_t i = 0; i < tools::spec_file_max_specs; ++i) widest += longest + std::string(255 - longest.size(), ' ') + "\n";
    ASSERT_EQ(widest.size(), tools::spec_file_max_bytes);
    std::string ordinary;
    for (std::size_t i = 0; i < tools::spec_file_max_specs; ++i) {
      ordinary += "239.100." + std::to_string(i / 256) + "." + std::to_string(i % 256) + ":5000\n";
    }
    for (const auto& text : {widest, ordinary}) {
      const temp_file full(text);
      auto r = tools::expand_spec_files({full.arg()});
      ASSERT_TRUE(r) << r.error().message;
      EXPECT_EQ(r->size(), tools::spec_file_max_specs);
    }
  }
  // Specs: at most 65536 in one file.
  std::string many;
  for (std::size_t i = 0; i < tools::spec_file_max_specs; ++i) many += "239.1.1.1\n";
  {
    const temp_file full(many);
    auto r = tools::expand_spec_files({full.arg()});
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->size(), tools::spec_file_max_specs);
  }
  {
    const temp_file over(many + "239.1.1.1\n");
    auto r = tools::expand_spec_files({over.arg()});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message, over.path() + ":65537: read spec file: value out of range: more than 65536 specs "
                                                "in one file");
  }
}

TEST(SpecFiles, AByteOrderMarkIsSkipped) {
  // Some editors start a UTF-8 file with EF BB BF: not part of the first spec.
  const temp_file marked("\xEF\xBB\xBF" "239.1.1.1:5000\n239.1.1.2\n");
  auto r = tools::expand_spec_files({marked.arg()});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(*r, (std::vector<tools::spec_text>{{"239.1.1.1:5000", marked.path() + ":1"},
                                               {"239.1.1.2", marked.path() + ":2"}}));
  ASSERT_TRUE(tools::parse_group_spec(r->front().text)) << "the first line is a spec like the others";
  // Before a comment too; only at the start of the file.
  const temp_file comment("\xEF\xBB\xBF# feeds\n239.1.1.1\n");
  auto c = tools::expand_spec_files({comment.arg()});
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(*c, (std::vector<tools::spec_text>{{"239.1.1.1", comment.path() + ":2"}}));
  const temp_file middle("239.1.1.1\n\xEF\xBB\xBF" "239.1.1.2\n");
  auto m = tools::expand_spec_files({middle.arg()});
  ASSERT_TRUE(m) << m.error().message;
  ASSERT_EQ(m->size(), 2u);
  EXPECT_FALSE(tools::parse_group_spec((*m)[1].text)) << "later it is a byte of the spec, refused";
}

TEST(SpecFiles, FilesWithoutASpecAreNamed) {
  const temp_file comments("# nothing yet\n\n");
  const temp_file empty("");
  const temp_file bom_only("\xEF\xBB\xBF");
  auto one = tools::expand_spec_files({comments.arg()});
  ASSERT_FALSE(one);
  EXPECT_EQ(one.error().message, "no group given: the spec file \"" + comments.path() + "\" holds none");
  EXPECT_EQ(one.error().code, "usage");
  auto all = tools::expand_spec_files({comments.arg(), empty.arg(), bom_only.arg()});
  ASSERT_FALSE(all);
  EXPECT_EQ(all.error().message, "no group given: the spec files \"" + comments.path() + "\", \"" + empty.path() +
                                     "\", \"" + bom_only.path() + "\" hold none");
  // A spec elsewhere: the run has groups, an empty file among them is no error.
  auto some = tools::expand_spec_files({comments.arg(), "239.1.1.1"});
  ASSERT_TRUE(some) << some.error().message;
  EXPECT_EQ(some->size(), 1u);
  EXPECT_TRUE(tools::expand_spec_files({}).value().empty()) << "no argument: the options say \"no group given\"";
}

TEST(SpecFiles, AnAtLineInAFileIsASpecNotAnotherFile) {
  const temp_file inner("239.1.1.1\n");
  const temp_file outer(inner.arg() + "\n239.1.1.2\n");
  auto r = tools::expand_spec_files({outer.arg()});
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].text, inner.arg()) << "not expanded: the spec parser refuses it";
  EXPECT_EQ((*r)[1].text, "239.1.1.2");
  const auto nested = tools::parse_group_spec(inner.arg());
  ASSERT_FALSE(nested);
  EXPECT_EQ(nested.error().code, std::errc::invalid_argument);
  EXPECT_NE(nested.error().message().find("@FILE is read only as a spec argument of the command line"),
            std::string::npos)
      << nested.error().message() << ": says why, not that it is no IP address";
}

// A '%' too many says what fits the family: an IPv4 group has one %IFACE
// and no zone; an IPv6 zone goes inside the brackets; a source has neither.
TEST(GroupSpec, AStrayPercentIsExplainedForItsFamily) {
  const std::string one_iface_v4 =
      "only one %IFACE, after the group and port (239.1.1.1:5000%eth1): an interface name has no '%'";
  const struct {
    const char* spec;
    std::string hint;
  } cases[] = {
      {"239.1.1.1%%s%n", one_iface_v4},
      {"239.1.1.1%%", one_iface_v4},  // issue 16: not "empty interface after '%'"
      {"239.1.1.1:5000%%", one_iface_v4},
      {"239.1.1.1%a%b", one_iface_v4},
      {"239.1.1.1:5000%a%b", one_iface_v4},
      {"[ff3e::1%a]:5000%b%c",
       "only one %IFACE, after the group and port ([ff3e::1]:5000%eth1): an interface name has no '%'"},
      {"ff02::1%eth0%eth1", "a zone belongs inside the group's brackets: [ff02::1%eth1]:5000"},
      {"10.77.0.1%eth0,239.1.1.1",
       "a source takes no %IFACE: one %IFACE after the group gives the interface (10.77.0.1,232.1.1.1%eth1)"},
      {"fe80::1%eth0,[ff02::1%eth0]:5000",
       "a source takes no zone: the group's zone, %IFACE or -i gives the interface"},
  };
  for (const auto& c : cases) {
    auto s = tools::parse_group_spec(c.spec);
    ASSERT_FALSE(s) << c.spec;
    EXPECT_EQ(s.error().message(), std::string("parse group spec \"") + c.spec + "\": not an IP address: " + c.hint);
  }
}

// Include and exclude for one group: specs that conflict, each valid alone
// (EINVAL, as text out of the syntax), not a number out of range.
TEST(GroupSpec, AModeConflictIsAnInvalidArgument) {
  const std::vector<tools::group_spec> specs{tools::parse_group_spec("10.77.0.1,239.1.1.1").value(),
                                             tools::parse_group_spec("!10.77.0.2,239.1.1.1").value()};
  auto conflict = tools::check_spec_set(specs);
  ASSERT_FALSE(conflict);
  EXPECT_EQ(conflict.error().code, std::errc::invalid_argument);
  EXPECT_EQ(tools::code_name(conflict.error()), "EINVAL");
  EXPECT_EQ(conflict.error().message(),
            "check group spec \"!10.77.0.2,239.1.1.1\": Invalid argument (group 239.1.1.1): include and exclude "
            "for the same group and interface in one run");
}

TEST(GroupSpec, ErrorCodesAreNamesForScripts) {
  // JSON `code` is a name a script can compare, never the message's prose.
  auto unicast = tools::parse_group_spec("10.1.2.3:5000", tools::spec_user::receiver, "");
  ASSERT_FALSE(unicast);
  EXPECT_EQ(tools::code_name(unicast.error()), "not_multicast");
  auto mixed = tools::parse_group_spec("10.77.0.1,ff3e::1", tools::spec_user::receiver, "");
  ASSERT_FALSE(mixed);
  EXPECT_EQ(tools::code_name(mixed.error()), "family_mismatch");
}

}  // namespace
