// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// mcast-send: send numbered, timestamped datagrams (the 40-byte header of
// docs/tools.md, "Wire header", or with --payload a MoldUDP64, RTP or MPEG-TS
// feed, "mcast-send payloads") to one or more multicast groups, paced or as
// fast as possible, with optional fault injection. See docs/tools.md, the man
// page and --help. The pieces live in tools/common (send_options, sender,
// send_payload, pacer, replay), where the unit tests drive them. --replay
// sends a capture's datagrams instead (docs/tools.md, "Captures").

#include <iostream>
#include <vector>

#include <mcnet/tools/cli.hpp>
#include <mcnet/tools/output.hpp>
#include <mcnet/tools/replay.hpp>
#include <mcnet/tools/send_options.hpp>
#include <mcnet/tools/sender.hpp>
#include <mcnet/tools/tool_main.hpp>

namespace tools = mcnet::tools;

namespace {

int run_send(const tools::send_settings& s, const tools::reporter& out) {
  // A signal from here on ends the run with its summary, during the set-up too.
  tools::stop_on_signals();
  std::vector<tools::send_target> targets;
  if (s.replay) {
    tools::replay_plan plan;
    if (auto bad = tools::plan_replay(s, out, tools::netlink_resolver(), targets, plan)) return *bad;
    if (auto bad = tools::open_replay_targets(s, out, targets)) return *bad;
    return tools::replay_all(s, out, targets, plan);
  }
  if (auto bad = tools::resolve_targets(s, out, tools::netlink_resolver(), targets)) return *bad;
  const auto planned = targets.size();
  if (auto bad = tools::open_targets(s, out, targets)) return *bad;
  return tools::send_all(s, out, targets, planned);
}

}  // namespace

int main(int argc, char** argv) {
  return tools::tool_main("mcast-send", argc, argv, tools::parse_send_command_line, tools::send_help(), run_send);
}
