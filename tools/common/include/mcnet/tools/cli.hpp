// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// What both command-line tools need besides their own logic: exit codes,
/// the time stamp and the `error` event of JSON output, the `code` name of an
/// error, SIGINT/SIGTERM handling, @FILE spec lists and the command line.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include <mcnet/core/error.hpp>

namespace mcnet::tools {

/// Exit codes (docs/tools.md, "Exit codes"): both tools use 0, 1, 2 and 4;
/// mcast-recv also 3.
inline constexpr int exit_ok = 0;
inline constexpr int exit_usage = 1;    ///< usage or bad input, before anything was joined or sent
inline constexpr int exit_nothing = 2;  ///< mcast-recv: nothing arrived before --timeout
/// mcast-send: SIGINT or SIGTERM ended the run before -c, -d or the replay
/// did, so not everything asked for was sent (2, as mcast-recv's run that
/// did not get what it waited for).
inline constexpr int exit_interrupted = 2;
inline constexpr int exit_loss = 3;     ///< mcast-recv: loss above --max-loss
inline constexpr int exit_setup = 4;    ///< socket set-up, a join or a send failed

/// The longest time any option of seconds takes (mcast-recv's --interval,
/// -d and --timeout, mcast-send's -d): 365 days, 31,536,000 s. Longer is no
/// run anyone waits for, and far inside what the steady clock's nanoseconds
/// hold (about 292 years): 1e20 s overflowed the deadline's conversion to
/// nanoseconds, undefined behaviour (trial h16r 4).
inline constexpr double max_seconds = 365.0 * 86400;
/// max_seconds as the messages and --help say it.
inline constexpr std::string_view max_seconds_text = "31536000 (365 days)";

/// Seconds since the Unix epoch with microsecond precision (JSON `time`).
[[nodiscard]] double now_seconds();

/// The JSON `error` event: message, code name, and the exit code that follows.
[[nodiscard]] nlohmann::ordered_json error_event(std::string_view message, std::string_view code, int exit);

/// SIGINT, SIGTERM and SIGHUP (a closed terminal) end a run early (the
/// summary is still printed): after this call they only set the flag that
/// stop_requested() reads.
void stop_on_signals();
[[nodiscard]] bool stop_requested() noexcept;
/// How many of those signals came since stop_on_signals() (a count that
/// wraps): one that comes after a run has ended (during its summary's
/// checks, silent_check_stop()) is told from the one that ended it.
[[nodiscard]] unsigned signals_received() noexcept;

/// An error's `code` for JSON: the errno name ("ENOBUFS") for kernel errors,
/// the mcnet condition's name ("not_multicast", mcnet::name) otherwise.
[[nodiscard]] std::string code_name(const error& e);

/// The longest line of an @FILE: 4 KiB (the longest spec, an IPv6 source
/// and group with a zone, interface and count, is under 150 bytes).
inline constexpr std::size_t spec_file_max_line = 4096;
/// The most specs one @FILE holds: 65536, as many as groups `+N` names.
inline constexpr std::size_t spec_file_max_specs = 65536;
/// The largest @FILE: 16 MiB, 256 bytes for each of spec_file_max_specs
/// lines, so that a file of the most specs fits whatever their form (1 MiB
/// held 65,536 specs of 16 bytes: `239.100.x.y:5000` did not fit, trial
/// t16s 4), and a bound on what a wrong file (a log, an image) costs to read.
inline constexpr std::size_t spec_file_max_bytes = spec_file_max_specs * 256;

/// One group spec of the command line or of an @FILE, with where it came
/// from, so that an error about it names the file and line.
struct spec_text {
  std::string text;    ///< the spec, spaces around it removed
  std::string origin;  ///< "FILE:LINE" for a line of an @FILE; empty for an argument

  /// `what` prefixed with the origin ("specs.txt:3: ..."), unchanged for an argument.
  [[nodiscard]] std::string where(std::string_view what) const;
  friend bool operator==(const spec_text&, const spec_text&) = default;
};

/// Why expand_spec_files() refused the specs: what the tools print, and
/// the error behind it.
struct spec_file_error {
  /// The whole message: the error's own for a file ("read spec file
  /// \"FILE\": ..."), "FILE:LINE: ..." for a line of a file, as every error
  /// about a line of a file starts (docs/tools.md, "Group specs").
  std::string message;
  /// The JSON error event's `code`: code_name() of `cause`, or "usage" when
  /// the files held no spec at all.
  std::string code;
  error cause;  ///< the error: its code, and the file as its input when about a whole file
};

/// The specs of the command line, with every `@FILE` replaced by the lines
/// of FILE (blank lines and lines starting with '#' skipped, spaces, tabs
/// and a CR around a spec removed, a UTF-8 byte-order mark at the start of
/// the file skipped). A line of FILE that starts with '@' is a spec like
/// any other (no nesting). Errors, naming the file: ENOENT and the like
/// from open(2); EISDIR for a directory and EINVAL for any other file that
/// is not a regular one (a device, a FIFO, a socket: the hint says which);
/// EFBIG past spec_file_max_bytes; errc::value_out_of_range for a line
/// longer than spec_file_max_line or more than spec_file_max_specs specs
/// (the message starts with FILE:LINE); and, when no spec came out at all
/// but @FILEs were given, EINVAL with code "usage" naming the files that
/// held none ("no group given: ...").
/// Each line's spec keeps its origin, FILE:LINE (lines counted from 1).
[[nodiscard]] tl::expected<std::vector<spec_text>, spec_file_error> expand_spec_files(
    const std::vector<std::string>& args);

/// A command line the tool refuses (exit 1): what it prints.
struct usage_error {
  std::string message;       ///< after "TOOL: " on stderr, and the error event's `message`
  std::string code{"usage"}; ///< the error event's `code`
  bool from_parser = false;  ///< Boost.Program_options refused it: stderr adds " (see --help)"
  bool json = false;         ///< the error event goes to stdout too (--json was given)
};

/// What a valid command line asks for.
enum class cli_action : std::uint8_t { run, help, version };

/// Parse a tool's arguments (without the program name): the `visible`
/// options plus positional group specs into `specs`. A usage error names the
/// option as Boost.Program_options words it; `json` is set when "--json" is
/// one of the arguments (scripts reading stdout get the error event too).
/// Arguments may hold any bytes: a '%' (or a %name% placeholder of the
/// parser's own messages) reaches the values and the message as given.
[[nodiscard]] tl::expected<boost::program_options::variables_map, usage_error> parse_command_line(
    const std::vector<std::string>& args, const boost::program_options::options_description& visible,
    std::vector<std::string>& specs);

/// The number options given in `vm` (parse_command_line()), each long name
/// with its value as it was typed (the last one given): messages quote it
/// as typed ("--max-loss 1e308", not the double's "1e+308"; trial16g 7).
[[nodiscard]] std::map<std::string, std::string, std::less<>> given_numbers(
    const boost::program_options::variables_map& vm);

/// `value` of the number option `long_name` for a message: as typed when
/// `given` (given_numbers()) holds it, else formatted.
[[nodiscard]] std::string shown_number(const std::map<std::string, std::string, std::less<>>& given,
                                       std::string_view long_name, double value);

/// The first option of `visible` that takes a value and was given an empty
/// one in `vm` ("-r ''", "--interface="), as the message "--rate \"\": an
/// empty value; ...", or nothing (positional specs are not looked at: the
/// spec parser refuses an empty one). Read as "not given", an empty value
/// would quietly become the default (an unpaced flood for -r, the route's
/// interface for -i): both tools refuse it.
[[nodiscard]] std::optional<std::string> empty_value(const boost::program_options::variables_map& vm,
                                                     const boost::program_options::options_description& visible);

/// The long names of the options in `visible`, in order ("help", ...).
[[nodiscard]] std::vector<std::string> long_names(const boost::program_options::options_description& visible);

/// Where a file of the running program's install is, absolute: `relative`
/// (to the install prefix) under the prefix `program` is installed in, when
/// `program` is `<prefix>/<bindir>/<name>` and that file exists there (an
/// install moved or made with `cmake --install --prefix DIR`); else
/// `configured`, the path under the prefix the build was configured with (a
/// program run from the build tree, an absolute `bindir` or `relative`, or
/// a file not installed there). Reads the file system (one stat); never
/// fails.
[[nodiscard]] std::string installed_path(const std::filesystem::path& program, std::string_view bindir,
                                         std::string_view relative, std::string_view configured);

/// Where the running program's install has the tools' reference,
/// docs/tools.md (absolute: share/doc/mcnet/tools.md under the prefix, or
/// /usr/share/doc/mcnet-tools/tools.md.gz in the Debian package;
/// tools/CMakeLists.txt), which --help names with the man page. The prefix
/// is found from the program's own path (/proc/self/exe, proc(5)) with
/// installed_path(), so `cmake --install --prefix DIR` gets DIR's paths.
[[nodiscard]] std::string installed_reference();
/// Where the running program's install has the JSON Schema of the tools'
/// --json output (share/mcnet/mcast-tools.schema.json under the prefix,
/// absolute), found as installed_reference() is.
[[nodiscard]] std::string installed_schema();

/// --help's text: the options of `visible`, then `tail`, then where to read
/// more: `tool`'s man page, the installed reference and the JSON Schema
/// (installed_reference(), installed_schema()).
[[nodiscard]] std::string help_text(std::string_view tool, const boost::program_options::options_description& visible,
                                    std::string_view tail);

/// What the parsed `vm` asks for: --help first, then --version, else a run.
[[nodiscard]] cli_action requested_action(const boost::program_options::variables_map& vm);

/// For cli_action::help, print `help` on `out`; for cli_action::version,
/// print "TOOL X.Y.Z" (mcnet::version()). Returns exit_ok then, or nothing
/// for cli_action::run.
[[nodiscard]] std::optional<int> answer(cli_action action, std::string_view tool, const std::string& help,
                                        std::ostream& out);

/// Print `e` as the tools do (the `error` event on `out` when e.json, then
/// "TOOL: message" on `err`) and return exit_usage.
int print_usage_error(const usage_error& e, std::string_view tool, std::ostream& out, std::ostream& err);

/// argv[1..argc) as strings.
[[nodiscard]] std::vector<std::string> arguments(int argc, char** argv);

/// Why an output file `path` of `option` (--pcap, --metrics-file) would
/// write into the report on stdout or the messages on stderr, or none: "-"
/// (libpcap's name for stdout), or a file that is stdout's (the same st_dev
/// and st_ino as fd 1: /dev/stdout, /proc/self/fd/1, the file stdout was
/// redirected to) or stderr's (fd 2). Trial t16x H2: `--pcap -` put the
/// binary capture among the JSON Lines; trial t16y: `--pcap F 2>>F` wrote
/// its header over the error message. The null device is no one's file.
[[nodiscard]] std::optional<std::string> writes_into_stdout(std::string_view option, const std::string& path);

}  // namespace mcnet::tools
