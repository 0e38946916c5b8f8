// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// What both tools' main() does around its run: descriptors 0-2 occupied
/// before anything is opened, the command line parsed (a usage error, or
/// --help / --version answered), the reporter made, and every exit checked
/// against a report that could not be written (docs/tools.md, "Exit codes").

#include <cerrno>
#include <csignal>
#include <iostream>
#include <string>
#include <string_view>

#include <mcnet/tools/cli.hpp>
#include <mcnet/tools/descriptors.hpp>
#include <mcnet/tools/output.hpp>

namespace mcnet::tools {

/// main() of the tool named `tool`: `parse` takes the arguments and returns
/// the tool's command (or a usage_error), `help` is its --help text, and
/// `run(settings, reporter)` is the run, returning the exit code. Output
/// goes to std::cout and std::cerr; the exit code is finish_output()'s.
template <class Parse, class Run>
int tool_main(std::string_view tool, int argc, char** argv, Parse parse, const std::string& help, Run run) {
  // Before anything opens a descriptor: a closed stdout would be the first
  // socket (in mcast-send one connected to the group).
  if (occupy_standard_descriptors().output_closed) mark_unwritable(std::cout, EBADF);
  // A reader that goes away (`| head -1`) must not kill the run by SIGPIPE:
  // the write fails with EPIPE instead, the run goes on (its metrics file
  // and exit code with it) and ends with exit 4, as for any lost output.
  std::signal(SIGPIPE, SIG_IGN);
  // Writes to stdout that a signal or a non-blocking pipe interrupts are
  // made again (descriptor_output; trial t16u H1, H2).
  use_descriptor_output_for_stdout();
  const auto command = parse(arguments(argc, argv));
  if (!command) {
    const int code = print_usage_error(command.error(), tool, std::cout, std::cerr);
    if (command.error().json) note_write(std::cout);  // the error event went to stdout
    return finish_output(tool, std::cout, std::cerr, code);
  }
  if (auto done = answer(command->action, tool, help, std::cout)) {
    note_write(std::cout);
    return finish_output(tool, std::cout, std::cerr, *done);
  }
  const reporter out(tool, command->settings.format(), std::cout, std::cerr);
  return out.finish(run(command->settings, out));
}

}  // namespace mcnet::tools
