// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// What both command-line tools need besides their own logic: exit codes,
/// the time stamp and the `error` event of JSON output, the `code` name of an
/// error, SIGINT/SIGTERM handling, @FILE spec lists and the command line.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include <mcnet/core/error.hpp>

namespace mcnet::tools {

/// Exit codes (TOOLS.md): both tools use 0, 1 and 4; mcast-recv also 2 and 3.
inline constexpr int exit_ok = 0;
inline constexpr int exit_usage = 1;    ///< usage or bad input, before anything was joined or sent
inline constexpr int exit_nothing = 2;  ///< mcast-recv: nothing arrived before --timeout
inline constexpr int exit_loss = 3;     ///< mcast-recv: loss above --max-loss
inline constexpr int exit_setup = 4;    ///< socket set-up, a join or a send failed

/// Seconds since the Unix epoch with microsecond precision (JSON `time`).
[[nodiscard]] double now_seconds();

/// The JSON `error` event: message, code name, and the exit code that follows.
[[nodiscard]] nlohmann::ordered_json error_event(std::string_view message, std::string_view code, int exit);

/// SIGINT and SIGTERM end a run early (the summary is still printed): after
/// this call they only set the flag that stop_requested() reads.
void stop_on_signals();
[[nodiscard]] bool stop_requested() noexcept;

/// An error's `code` for JSON: the errno name ("ENOBUFS") for kernel errors,
/// the mcnet condition ("not a multicast address") otherwise.
[[nodiscard]] std::string code_name(const error& e);

/// The specs of the command line, with every `@FILE` replaced by the lines
/// of FILE (blank lines and lines starting with '#' skipped). Errors:
/// ENOENT and the like, naming the file.
[[nodiscard]] result<std::vector<std::string>> expand_spec_files(const std::vector<std::string>& args);

/// Parse a tool's command line: the `visible` options plus positional group
/// specs into `specs`. On a usage error it prints "TOOL: what (see --help)"
/// to stderr (and, when `--json` is among the arguments, an `error` event on
/// stdout) and returns std::nullopt (the tool then exits 1).
[[nodiscard]] std::optional<boost::program_options::variables_map> parse_command_line(
    int argc, char** argv, const boost::program_options::options_description& visible,
    std::vector<std::string>& specs, std::string_view tool);

}  // namespace mcnet::tools
