// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// Where both tools print: text lines, JSON Lines events, CSV rows and
/// errors, honouring --json, --csv and --quiet (docs/tools.md, "JSON Lines",
/// "CSV" and "Exit codes"). Streams are given, so tests capture them.

#include <iosfwd>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include <mcnet/core/error.hpp>

namespace mcnet::tools {

/// The output formats a run asked for.
struct output_format {
  bool json = false;   ///< --json: events on stdout, nothing else there
  bool csv = false;    ///< --csv (mcast-recv): a header and rows on stdout
  bool quiet = false;  ///< --quiet: no text report
};

/// One tool's stdout and stderr. Text goes to `out` only when neither JSON,
/// CSV nor --quiet was asked for; events only with --json; rows only with
/// --csv; warnings and errors always go to `err`, prefixed with the tool's name.
class reporter {
 public:
  reporter(std::string_view tool, output_format format, std::ostream& out, std::ostream& err)
      : tool_(tool), format_(format), out_(out), err_(err) {}

  [[nodiscard]] const output_format& format() const noexcept { return format_; }
  [[nodiscard]] bool text_on() const noexcept { return !format_.json && !format_.csv && !format_.quiet; }

  /// A line of the text report.
  void text(std::string_view line) const;
  /// A JSON Lines event, flushed (readers follow it live).
  void event(const nlohmann::ordered_json& j) const;
  /// CSV text (a header or rows, each ending in a newline), not flushed.
  void csv(std::string_view rows) const;
  /// Flush stdout (after a report, so a pipe sees it whole).
  void flush() const;
  /// "TOOL: warning: MESSAGE" on stderr.
  void warn(std::string_view message) const;
  /// The same, and with --json a `warning` event (message, and `code`: a
  /// stable name for scripts, as an error event's), for what a JSON reader
  /// must see too: a run that goes ahead but will not do what it seems to
  /// (docs/tools.md, "JSON Lines").
  void warn_event(std::string_view message, std::string_view code) const;

  /// An error: the `error` event (with --json) naming `code` and the exit
  /// code, and "TOOL: MESSAGE" on stderr. Returns `exit`.
  [[nodiscard]] int fail(int exit, std::string_view message, std::string_view code) const;
  /// The same for an mcnet error: its message and code_name().
  [[nodiscard]] int fail(int exit, const error& e) const;
  /// A usage error (exit 1, code "usage").
  [[nodiscard]] int usage(std::string_view message) const;

 private:
  std::string tool_;
  output_format format_;
  std::ostream& out_;
  std::ostream& err_;
};

}  // namespace mcnet::tools
