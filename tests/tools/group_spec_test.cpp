// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// The group-spec grammar: every row of the table in docs/tools.md, and more bad input.

#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>

#include <mcnet/tools/cli.hpp>
#include <mcnet/tools/group_spec.hpp>

namespace core = mcnet::core;
namespace tools = mcnet::tools;
using mcnet::errc;

namespace {

core::ip_address addr(const char* t) { return core::ip_address::parse(t).value(); }

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
  errc code;
};

TEST(GroupSpec, BadInputNamesTheSpec) {
  const bad table[] = {
      {"10.1.2.3:5000", errc::not_multicast},
      {"239.1.2.3:0", errc::value_out_of_range},
      {"239.1.2.3:70000", errc::invalid_port},
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
      {"[ff02::1%eth1]:5000%eth2", errc::value_out_of_range},
      {"[ff3e::1:5000", errc::invalid_address},
      {"[ff3e::1]5000", errc::invalid_port},
      {"10.77.0.1%eth0,239.1.1.1", errc::invalid_address},
  };
  for (const auto& b : table) {
    auto s = tools::parse_group_spec(b.spec);
    ASSERT_FALSE(s) << b.spec;
    EXPECT_EQ(s.error().code, b.code) << b.spec << ": " << s.error().message();
    EXPECT_EQ(s.error().input(), b.spec);
  }
  // Port 0 is a number, out of range: one sentence, not "not a port number".
  EXPECT_EQ(tools::parse_group_spec("239.77.1.1:0").error().message(),
            "parse group spec \"239.77.1.1:0\": value out of range: port 0: the port is 1 to 65535");
  EXPECT_EQ(tools::parse_group_spec("[ff3e::1]:0", tools::spec_user::sender).error().message(),
            "parse group spec \"[ff3e::1]:0\": value out of range: port 0: the port is 1 to 65535");
  EXPECT_TRUE(tools::parse_group_spec("[ff02::1]:5000", tools::spec_user::receiver, "eth0")) << "-i given";
  auto send_ex = tools::parse_group_spec("!10.77.0.1,239.1.1.1", tools::spec_user::sender);
  ASSERT_FALSE(send_ex);
  EXPECT_NE(send_ex.error().message().find("mcast-send"), std::string::npos);
  auto past = tools::parse_group_spec("239.255.255.255+2");
  ASSERT_TRUE(past);
  EXPECT_EQ(tools::expand(*past).error().code, errc::not_multicast);
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
  ASSERT_TRUE(specs) << specs.error().message();
  EXPECT_EQ(*specs, (std::vector<std::string>{"239.9.9.9", "239.1.1.1:5000", "10.77.0.1,232.1.1.1"}));
  auto missing = tools::expand_spec_files({"@/nonexistent/specs"});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().input(), "/nonexistent/specs");
  EXPECT_EQ(tools::code_name(missing.error()), "ENOENT");
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
