// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// What both command-line tools need besides their own logic: the time
/// stamp of JSON events, the `code` name of an error, and @FILE spec lists.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/program_options.hpp>

#include <mcnet/core/error.hpp>

namespace mcnet::tools {

/// Seconds since the Unix epoch with microsecond precision (JSON `time`).
[[nodiscard]] double now_seconds();

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
