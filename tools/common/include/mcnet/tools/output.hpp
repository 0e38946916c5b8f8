// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// Where both tools print: text lines, JSON Lines events, CSV rows and
/// errors, honouring --json, --csv and --quiet (docs/tools.md, "JSON Lines",
/// "CSV" and "Exit codes"). Streams are given, so tests capture them.
/// Every write to stdout is checked: a report that cannot be written is
/// exit 4 (finish_output). JSON text replaces bytes that are not UTF-8
/// (json_text), since names and arguments come from outside.

#include <array>
#include <chrono>
#include <iosfwd>
#include <streambuf>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include <mcnet/core/error.hpp>

namespace mcnet::tools {

/// Specs an @FILE refused (mcnet/tools/cli.hpp), for reporter::fail.
struct spec_file_error;

/// A stream buffer over a descriptor, for the tools' stdout (std::cout's,
/// set by tool_main): what it holds goes out by write(2) at each flush (the
/// reporter flushes each report and event), when its 64 KiB fill, and on a
/// terminal at each line's end. Unlike
/// C stdio under std::cout, which failed the report on the first EINTR
/// (trial t16u H1: SIGINT, SIGTERM or SIGHUP while mcast-recv was blocked
/// writing to a slow pipe: exit 4, "Interrupted system call", no summary),
/// a write interrupted by a signal is made again, and one to a descriptor
/// left non-blocking (EAGAIN, a parent's O_NONBLOCK pipe: t16u H2) waits
/// for room with poll(2). A second signal (signals_received()) arriving
/// while one write waits gives up on it: a reader that never reads cannot
/// hold the tool forever (`| sleep 1000`: the first signal stops the run,
/// the second its output, exit 4). Any other failure (EPIPE, ENOSPC) fails
/// the flush, with errno the write's, as before.
class descriptor_output final : public std::streambuf {
 public:
  explicit descriptor_output(int fd) noexcept;

 protected:
  int_type overflow(int_type ch) override;
  std::streamsize xsputn(const char* s, std::streamsize n) override;
  int sync() override;

 private:
  void reset() noexcept;
  bool drain() noexcept;
  bool write_all(const char* p, std::size_t n) noexcept;
  int fd_;
  bool line_buffered_;  // a terminal: written as it comes, so each line shows when it ends
  std::array<char, 65536> buffer_{};
};

/// Sets std::cout's buffer to a descriptor_output over STDOUT_FILENO, made
/// once and kept until the process ends (std::cout is flushed after main).
void use_descriptor_output_for_stdout();

/// `j` as one line of JSON text. Strings from outside (arguments, @FILE
/// lines, interface names, names a datagram carries) need not be UTF-8:
/// each invalid byte becomes U+FFFD (nlohmann's `error_handler_t::replace`)
/// instead of the `type_error` 316 a plain dump() throws. Every JSON the
/// tools print goes through here.
[[nodiscard]] std::string json_text(const nlohmann::ordered_json& j);

/// `text` with each byte that is not part of valid UTF-8 (RFC 3629: no
/// overlong forms, no surrogates, nothing above U+10FFFF) replaced by
/// U+FFFD, as json_text() does inside JSON strings: for formats that must
/// be UTF-8 without being JSON (the Prometheus text of --metrics-file).
[[nodiscard]] std::string valid_utf8(std::string_view text);

/// `text` with its control characters made visible, for the text that
/// goes to a terminal (errors, warnings, text lines): NUL as `\0`, the
/// other C0 controls but tab and newline, DEL and the C1 controls (U+0080
/// to U+009F, as UTF-8) as `\xNN` (`\x1b` for ESC), so that an argument
/// or an @FILE line echoed in an error cannot clear the screen or set the
/// terminal's title (trial16f 4); the bidirectional controls (U+061C,
/// U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069) as `\uXXXX`, so that
/// a name cannot reorder the line around it. --json escapes them itself.
[[nodiscard]] std::string visible_text(std::string_view text);

/// `name` (an interface name: text from outside) with each backslash
/// doubled, for a text line that visible_text() then shows: a name of the
/// four characters `\xff` reads `\\xff`, one holding the byte 0xff `\xff`
/// (trial t16s 7: both read `\xff`). Its newlines and tabs, which
/// visible_text() leaves to the tool's own text, read `\x0a` and `\x09`
/// (trial t16z: a newline in an argument forged a line of the log).
[[nodiscard]] std::string text_name(std::string_view name);

/// `e.message()` with its quoted input (an argument, an @FILE line or name,
/// an -i value: text from outside) passed through text_name(), so that a
/// text line shows the byte 0xff and the four characters `\xff` apart
/// (trial t16u M3). The tools print an error's message through here.
[[nodiscard]] std::string error_text(const error& e);

/// Note a write to `out` (stdout): that something was written, and when the
/// stream has failed, the errno of the failure (the first one is kept).
void note_write(std::ostream& out) noexcept;

/// Mark `out` as unable to take the report, with `err` (errno) as the
/// reason, before anything was written: stdout was closed at start
/// (occupy_standard_descriptors) and is /dev/null now. The run goes on; a
/// write to it ends in exit 4 (finish_output).
void mark_unwritable(std::ostream& out, int err) noexcept;

/// The errno of the first failed write to `out` (0: none failed), as
/// note_write() recorded it.
[[nodiscard]] int write_error(std::ostream& out) noexcept;

/// The end of a run: flush `out` (stdout); when a write to it failed, print
/// "TOOL: cannot write the report to standard output: REASON" on `err` and
/// return exit_setup (4), except that a usage error (exit_usage) stays 1 as
/// "Exit codes" in docs/tools.md orders them. Otherwise return `exit`.
[[nodiscard]] int finish_output(std::string_view tool, std::ostream& out, std::ostream& err, int exit);

/// A JSON array built as text, element by element: each element is
/// serialized (json_text) when it is added and not kept, so that the
/// memory of a large array is its text, not a tree of its elements.
class json_array_text {
 public:
  /// Append `element`'s text.
  void add(const nlohmann::ordered_json& element);
  /// The array's text ("[]" when nothing was added); `*this` is left empty.
  [[nodiscard]] std::string finish();

 private:
  std::string text_{"["};
};

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
  /// A line of the text report that a --csv run, whose stdout holds rows
  /// only, gives on stderr as it is (the run's diagnostics: drop causes,
  /// verdict, silent channels, stray END markers); nothing otherwise.
  void csv_note(std::string_view line) const;
  /// A JSON Lines event, flushed (readers follow it live).
  void event(const nlohmann::ordered_json& j) const;
  /// The same, but the member `key` of `j` is written as `raw`, JSON text
  /// made before: a summary's streams, each serialized as it was made
  /// (json_array_text), not held as one tree (40,000 of them made the end
  /// of a run superlinear in the allocator: trial h16r 7).
  void event(const nlohmann::ordered_json& j, std::string_view key, std::string_view raw) const;
  /// CSV text (a header or rows, each ending in a newline), not flushed.
  void csv(std::string_view rows) const;
  /// Flush stdout (after a report, so a pipe sees it whole, at once).
  void flush() const;
  /// "TOOL: warning: MESSAGE" on stderr.
  void warn(std::string_view message) const;
  /// The same, and with --json a `warning` event (message, and `code`: a
  /// stable name for scripts, as an error event's), for what a JSON reader
  /// must see too: a run that goes ahead but will not do what it seems to
  /// (docs/tools.md, "JSON Lines").
  void warn_event(std::string_view message, std::string_view code) const;
  /// The same with `fields` (an object) added to the event after `code`.
  void warn_event(std::string_view message, std::string_view code, const nlohmann::ordered_json& fields) const;

  /// An error: the `error` event (with --json) naming `code` and the exit
  /// code, and "TOOL: MESSAGE" on stderr. Returns `exit`.
  [[nodiscard]] int fail(int exit, std::string_view message, std::string_view code) const;
  /// The same for an mcnet error: its message and code_name().
  [[nodiscard]] int fail(int exit, const error& e) const;
  /// The same for specs an @FILE refused (expand_spec_files): its message and code.
  [[nodiscard]] int fail(int exit, const spec_file_error& e) const;
  /// A usage error (exit 1, code "usage").
  [[nodiscard]] int usage(std::string_view message) const;
  /// The code of the last fail() (an errno's name, ENOBUFS, or mcnet's
  /// code name); empty before any: the doctor, which runs mcast-recv's
  /// joins with a silent reporter, explains a refusal by it, not by the
  /// message's words (trial t15w H1).
  [[nodiscard]] const std::string& last_failure_code() const noexcept { return last_code_; }

  /// The exit code of a run that would end with `exit`: finish_output()
  /// on this reporter's streams.
  [[nodiscard]] int finish(int exit) const;

  /// The time spent so far in writing and flushing stdout (text, events,
  /// CSV, flush()): a pipe whose reader does not keep up blocks the writer
  /// there (mcast-recv's `output_blocked` warning; trial t16t).
  [[nodiscard]] std::chrono::steady_clock::duration writing() const noexcept { return writing_; }

 private:
  std::string tool_;
  output_format format_;
  std::ostream& out_;
  std::ostream& err_;
  mutable std::chrono::steady_clock::duration writing_{};
  mutable std::string last_code_;
};

}  // namespace mcnet::tools
