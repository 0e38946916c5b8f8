// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// The tools' one reporter: text only without --json, --csv and --quiet;
// events only with --json; rows only with --csv; warnings and errors always
// on stderr, the error also as an event with --json.

#include <gtest/gtest.h>

#include <chrono>
#include <sstream>
#include <thread>

#include <mcnet/core/error.hpp>
#include <mcnet/tools/cli.hpp>
#include <mcnet/tools/output.hpp>

#include "tool_run.hpp"

namespace tools = mcnet::tools;
namespace test = mcnet::test;

namespace {

struct printed {
  std::string out, err;
};

printed print_everything(tools::output_format format) {
  std::ostringstream out, err;
  const tools::reporter r("mcast-x", format, out, err);
  r.text("a line");
  r.event({{"event", "summary"}});
  r.csv("a,row\n");
  r.warn("careful");
  EXPECT_EQ(r.fail(4, "it broke", "ENOBUFS"), 4);
  EXPECT_EQ(r.usage("bad input"), 1);
  return {out.str(), err.str()};
}

TEST(Reporter, EachFormatPrintsItsOwn) {
  const std::string errors = "mcast-x: warning: careful\nmcast-x: it broke\nmcast-x: bad input\n";
  auto p = print_everything({});
  EXPECT_EQ(p.out, "a line\n");
  EXPECT_EQ(p.err, errors);
  p = print_everything({.quiet = true});
  EXPECT_EQ(p.out, "");
  EXPECT_EQ(p.err, errors);
  p = print_everything({.csv = true});
  EXPECT_EQ(p.out, "a,row\n");
  p = print_everything({.json = true});
  EXPECT_EQ(p.err, errors);
  const auto events = test::tools::json_lines(p.out);
  ASSERT_EQ(events.size(), 3u) << p.out;
  EXPECT_EQ(events[0]["event"], "summary");
  EXPECT_EQ(events[1]["event"], "error");
  EXPECT_EQ(events[1]["message"], "it broke");
  EXPECT_EQ(events[1]["code"], "ENOBUFS");
  EXPECT_EQ(events[1]["exit"], 4);
  EXPECT_EQ(events[2]["code"], "usage");
  EXPECT_EQ(events[2]["exit"], 1);
  EXPECT_EQ(p.out.find("a line"), std::string::npos) << "nothing but JSON with --json";
}

// Trial t16t: a pipe whose reader does not read blocks the writer; the
// reporter times its writes to stdout (text, events, CSV, flushes), so that
// mcast-recv can tell a step blocked on its output from being stopped.
TEST(Reporter, TimesItsWritesToStandardOutput) {
  // A stream whose every write of its buffer takes 30 ms (a slow reader).
  class slow_buffer : public std::stringbuf {
   protected:
    int sync() override {
      std::this_thread::sleep_for(std::chrono::milliseconds(30));
      return std::stringbuf::sync();
    }
  };
  slow_buffer buffer;
  std::ostream slow(&buffer);
  std::ostringstream err;
  const tools::reporter text("mcast-recv", {}, slow, err);
  EXPECT_EQ(text.writing(), std::chrono::steady_clock::duration::zero());
  text.text("a line");
  text.flush();
  EXPECT_GE(text.writing(), std::chrono::milliseconds(30));
  const tools::reporter json("mcast-recv", {.json = true}, slow, err);
  json.event({{"event", "x"}});  // flushed
  EXPECT_GE(json.writing(), std::chrono::milliseconds(30));
  const auto before = json.writing();
  json.warn("on stderr only, untimed");
  json.text("not written with --json");
  EXPECT_EQ(json.writing(), before);
}

TEST(Reporter, AnMcnetErrorKeepsItsCode) {
  std::ostringstream out, err;
  const tools::reporter r("mcast-x", {.json = true}, out, err);
  const auto e = mcnet::error::from_errno(ENOBUFS, "setsockopt", "IP_ADD_MEMBERSHIP");
  EXPECT_EQ(r.fail(tools::exit_setup, e), 4);
  const auto events = test::tools::json_lines(out.str());
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["code"], "ENOBUFS");
  EXPECT_EQ(events[0]["message"], e.message());
  EXPECT_EQ(err.str(), "mcast-x: " + e.message() + "\n");
}

}  // namespace
