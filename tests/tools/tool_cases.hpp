// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

// What the command-line tests of both tools share: a bad command line as a
// case, run through the tool's own parsing and spec resolution in process
// (no binary, no root), checked the way the tool's user sees it: exit 1, a
// message on stderr naming the option, and with --json an error event that
// conforms to docs/mcast-tools.schema.json.

#include <gtest/gtest.h>

#include <functional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <mcnet/netlink/resolve.hpp>
#include <mcnet/tools/output.hpp>
#include <mcnet/tools/route.hpp>

#include "tool_run.hpp"

namespace mcnet::test::tools {

/// What a tool printed and the exit code it chose.
struct outcome {
  int exit = 0;
  std::string out;  ///< stdout
  std::string err;  ///< stderr
};

/// One bad command line: `args` go before the spec (after it when `last`,
/// for an option whose value is missing); `needle` must be on stderr.
struct bad_input {
  std::string option;  // the long option it tests, as --help lists it
  std::vector<std::string> args;
  std::string needle;
  bool last = false;
};

/// A long option and a value added to every case that does not test that
/// option (as a run of the tool would have them).
struct fallback {
  std::string option;
  std::string value;
};

/// A tool's command line up to the point where it joins or sends: parse,
/// validate, resolve the specs. `exit` is 0 when all of that passed.
using front_end = std::function<outcome(const std::vector<std::string>&)>;

/// A resolver that knows one interface, "fake0" (index 7), and refuses any
/// other name with errc::no_such_interface; `warning` (when not empty) is
/// the warning it gives with fake0.
inline mcnet::tools::interface_resolver fake_resolver(std::string warning = {}) {
  return [warning](std::string_view spec) -> tl::expected<netlink::resolved, netlink::resolve_failure> {
    if (spec != "fake0" && spec != "7") {
      return tl::unexpected(netlink::resolve_failure{
          error(errc::no_such_interface, "resolve", "interface").with_input(spec), {}});
    }
    netlink::resolved r;
    r.iface = core::interface_ref{7, core::interface_name::make("fake0").value()};
    if (!warning.empty()) r.warnings.push_back(warning);
    return r;
  };
}

/// Every option of `option_names` has a case; each case fails with exit 1
/// naming its needle on stderr, and whatever is on stdout conforms.
inline void expect_all_rejected(const front_end& run, const std::vector<std::string>& option_names,
                                const std::vector<bad_input>& cases, const std::vector<fallback>& fallbacks,
                                const std::string& spec) {
  std::set<std::string> covered;
  for (const auto& c : cases) covered.insert(c.option);
  for (const auto& o : option_names) EXPECT_TRUE(covered.count(o)) << "no bad value tested for --" << o;

  for (const auto& c : cases) {
    std::string line;
    for (const auto& a : c.args) line += " " + a;
    SCOPED_TRACE(line);
    std::vector<std::string> argv;
    // --json where the case is not about the output itself, so every line
    // printed is checked against the schema.
    if (c.option != "json" && c.option != "csv" && c.option != "help") argv.push_back("--json");
    for (const auto& f : fallbacks) {
      if (f.option != c.option) argv.insert(argv.end(), {"--" + f.option, f.value});
    }
    if (c.last) argv.push_back(spec);
    argv.insert(argv.end(), c.args.begin(), c.args.end());
    if (!c.last) argv.push_back(spec);
    const auto r = run(argv);
    EXPECT_EQ(r.exit, 1) << r.out << r.err;
    EXPECT_NE(r.err.find(c.needle), std::string::npos) << "stderr does not name \"" << c.needle << "\": " << r.err;
    expect_schema_conform(r.out);
    const auto events = json_lines(r.out);
    if (const json* e = find_event(events, "error")) {
      EXPECT_EQ((*e)["exit"], 1) << *e;
    }
  }
}

}  // namespace mcnet::test::tools
