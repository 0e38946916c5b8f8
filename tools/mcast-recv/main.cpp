// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// mcast-recv: join groups (ASM, SSM include and exclude, IPv4 and IPv6) and
// report per stream what arrives: packets, loss, reordering, duplicates,
// latency, jitter, TTL and TOS; `mcast-recv doctor` says why nothing would
// arrive. See docs/tools.md, the man page and --help.
// The pieces live in tools/common (recv_options, receiver, stream_table,
// report, wired together by receive_run), where the unit tests drive them.

#include <mcnet/tools/doctor.hpp>
#include <mcnet/tools/receive_run.hpp>
#include <mcnet/tools/recv_options.hpp>
#include <mcnet/tools/tool_main.hpp>

namespace tools = mcnet::tools;

int main(int argc, char** argv) {
  // `mcast-recv doctor ...`: the checks of docs/tools.md, "mcast-recv doctor".
  if (tools::is_doctor_command(tools::arguments(argc, argv))) {
    return tools::tool_main("mcast-recv", argc, argv, tools::parse_doctor_command_line, tools::doctor_help(),
                            tools::run_doctor);
  }
  return tools::tool_main("mcast-recv", argc, argv, tools::parse_recv_command_line, tools::recv_help(),
                          tools::receive_run);
}
