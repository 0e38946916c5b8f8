// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <mcnet/core/ip_address.hpp>
#include <mcnet/tools/output.hpp>
#include <mcnet/tools/start_groups.hpp>

namespace mcnet::tools {
namespace {

core::ip_address start_address(const char* text) {
  auto a = core::ip_address::parse(text);
  EXPECT_TRUE(a.has_value()) << text;
  return a.value_or(core::ip_address{});
}

// The start event's text is written by hand for speed; the tree is what the
// receive session keeps and what every other event is written from. They
// must not drift apart.
void expect_text_is_the_trees(const std::vector<start_group>& groups) {
  EXPECT_EQ(start_groups_text(groups), json_text(start_groups_json(groups)));
}

TEST(StartGroups, AnEntryIsWrittenWithEveryMemberInTheSchemasOrder) {
  const std::vector<start_group> groups{
      {start_address("232.1.1.1"), 5000, filter::include, {start_address("10.77.0.2"), start_address("10.77.0.3")},
       3, "eth0"},
      {start_address("239.1.1.1"), 5001, filter::any, {}, 0, ""}};
  EXPECT_EQ(start_groups_text(groups),
            R"([{"group":"232.1.1.1","port":5000,"mode":"include","sources":["10.77.0.2","10.77.0.3"],)"
            R"("interface":{"name":"eth0","index":3}},)"
            R"({"group":"239.1.1.1","port":5001,"mode":"any","sources":[],"interface":{"name":null,"index":null}}])");
  expect_text_is_the_trees(groups);
}

TEST(StartGroups, NoGroupsIsAnEmptyArray) {
  EXPECT_EQ(start_groups_text({}), "[]");
  expect_text_is_the_trees({});
}

TEST(StartGroups, TheTextIsTheTreesForNamesThatAreNoPrintableAscii) {
  // Interface names are bytes chosen by whoever made the link (up to 15 of
  // them, anything but '/', NUL and white space): a quote, a backslash, a
  // control, DEL, a byte that is no UTF-8, a right-to-left override
  // (U+202E, UTF-8 e2 80 ae) and ordinary UTF-8.
  const std::vector<std::string> names{"a\"b", "back\\slash", std::string("c\x01t", 3), "del\x7f", "bad\xff",
                                       "rl\xe2\x80\xaeo", "caf\xc3\xa9", "ok"};
  std::vector<start_group> groups;
  std::uint32_t index = 2;
  for (const auto& name : names) {
    groups.push_back({start_address("239.2.2.2"), 6000, filter::exclude, {start_address("10.77.1.1")}, index++, name});
  }
  for (const auto& g : groups) expect_text_is_the_trees({g});
  expect_text_is_the_trees(groups);
}

TEST(StartGroups, EntriesOnOneInterfaceAndBackAgainEachNameTheirOwn) {
  // The text is made once per run of entries on one interface: a change of
  // index, of name at one index (a re-created link), and a return to the
  // first interface each give that entry's own interface.
  const std::vector<start_group> groups{
      {start_address("239.1.1.1"), 5000, filter::any, {}, 2, "eth0"},
      {start_address("239.1.1.2"), 5000, filter::any, {}, 2, "eth0"},
      {start_address("239.1.1.3"), 5000, filter::any, {}, 2, "eth9"},
      {start_address("239.1.1.4"), 5000, filter::any, {}, 4, "eth9"},
      {start_address("239.1.1.5"), 5000, filter::any, {}, 4, ""},
      {start_address("239.1.1.6"), 5000, filter::any, {}, 0, "eth0"},
      {start_address("239.1.1.7"), 5000, filter::any, {}, 2, "eth0"}};
  expect_text_is_the_trees(groups);
  const auto text = start_groups_text(groups);
  EXPECT_NE(text.find(R"("239.1.1.3","port":5000,"mode":"any","sources":[],"interface":{"name":"eth9","index":2})"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find(R"("239.1.1.5","port":5000,"mode":"any","sources":[],"interface":{"name":null,"index":4})"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find(R"("239.1.1.6","port":5000,"mode":"any","sources":[],"interface":{"name":null,"index":null})"),
            std::string::npos)
      << text;
}

TEST(StartGroups, Ipv6GroupsAndSourcesWithScopeIdsAreTheTrees) {
  const std::vector<start_group> groups{
      {start_address("ff3e::8000:1"), 7000, filter::include, {start_address("fd77::2"), start_address("fe80::1%3")}, 3,
       "eth0"},
      {start_address("ff12::1%3"), 7001, filter::exclude, {}, 3, "eth0"},
      {start_address("ff15::abcd:ef01:2345:6789"), 7002, filter::any, {}, 0, ""}};
  expect_text_is_the_trees(groups);
}

}  // namespace
}  // namespace mcnet::tools
