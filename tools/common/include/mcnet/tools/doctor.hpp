// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// `mcast-recv doctor`: why the datagrams of a set of group specs would not
/// (or do not) arrive. Each check reads what the kernel says (rtnetlink,
/// /proc/sys, /proc/net, `nft -j list ruleset`), makes the join mcast-recv
/// would make (the same resolve_memberships and open_and_join) and, with
/// --listen, receives for a while; it prints one line per check, OK, WARN,
/// FAIL or SKIP with the reason and the command that fixes it, then one
/// verdict naming the most likely cause (docs/tools.md, "mcast-recv
/// doctor"; docs/man/mcast-recv.1, DOCTOR). The doctor never changes a
/// setting: a fix is a command for the user to run.

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include <mcnet/tools/cli.hpp>
#include <mcnet/tools/output.hpp>
#include <mcnet/tools/recv_options.hpp>

namespace mcnet::tools {

/// A check's outcome, from best to worst; `skip`: the check was not made
/// (the reason says why), which does not count against the verdict.
enum class check_status : std::uint8_t { ok, skip, warn, fail };

/// "OK", "SKIP", "WARN" or "FAIL" (the text output's words).
[[nodiscard]] std::string_view status_word(check_status s) noexcept;

/// One check's finding about one subject (an interface, a source, a port).
struct check_result {
  std::string check;    ///< the check's name: interface, route, source_route, rp_filter, membership, ...
  std::string subject;  ///< what it is about: "eth0", "10.77.9.1 -> 232.1.1.1", "port 5000"
  check_status status = check_status::ok;
  std::string message;  ///< what was found, and what it means for the datagrams
  /// Exactly one shell command that fixes it, to paste as printed (names
  /// shell-quoted; a placeholder in capitals, ADDRESS/LEN or SOURCE, where
  /// only the user knows the value); empty for OK and SKIP and when no
  /// command fixes it.
  std::string fix;
  nlohmann::ordered_json data = nlohmann::ordered_json::object();  ///< the figures behind it (JSON output only)
  /// Prose about the fix: where to run it, what else would do, what to do
  /// after it or without a command (a sender's or a router's setting);
  /// empty when there is nothing to add. Never a command line of its own.
  std::string note;
};

/// `word` as one word of a POSIX shell command line, for the fixes the
/// doctor prints: unchanged when it holds only characters no shell treats
/// specially (letters, digits and `_@%+=:,./-`), else in single quotes, an
/// inner `'` written `'\''` (POSIX.1-2017 XCU 2.2.2). An interface name may
/// hold any byte but `/`, `:`, NUL and white space (the kernel's
/// dev_valid_name), so `$`, `;`, `'` and `*` can occur in one. A word
/// holding a control character or a byte of no printable ASCII (0x00-0x1f,
/// 0x7f-0xff) is written in bash's ANSI-C quoting instead, `$'...'` with
/// such bytes as `\xNN` and `\\` and `\'` for a backslash and a quote, so
/// the line stays printable text and, pasted into bash, names the very
/// bytes (trial16g 5: the reports escape such bytes, and an escaped name in
/// single quotes named no interface).
[[nodiscard]] std::string shell_quoted(std::string_view word);

/// The assignments of `command` when it is `sysctl -w KEY=VALUE...` (its
/// words as shell_quoted() writes them, single quotes taken off), as
/// {key, value} in their order; none for any other command, or for a word
/// quoted otherwise (a `'` inside, `$'...'`), which is left as it is.
[[nodiscard]] std::vector<std::pair<std::string, std::string>> sysctl_assignments(std::string_view command);

/// One fix line for several fixes (`commands`, each one command or several
/// joined by " && "), so that pasting it fixes them all in one pass and runs
/// each command once (trial t15v M1: the rp_filter verdict's fix set a0's
/// key alone while b0's drops were counted too): every `sysctl -w` as one
/// `sysctl -w` setting each key once, in the order first set (a key given
/// twice keeps the first value, but for an `rp_filter` key the lowest: 0,
/// the filter off, passes what loose mode 2 and strict 1 pass), then every
/// other command once, in order, joined by " && ".
[[nodiscard]] std::string merged_fix(const std::vector<std::string>& commands);

/// `note` with the keys that `fix`'s `sysctl -w` sets taken out of its
/// "; keep it on the others with sysctl -w KEY=1..." clause (a filter-off
/// fix's note naming the interfaces whose own rp_filter keeps the filter on
/// once conf/all is 0): a merged fix that turns the filter off there too is
/// not contradicted; none left, the clause says the fix names them.
[[nodiscard]] std::string without_kept_keys(std::string note, const std::string& fix);

/// The rp_filter key a fix is for: the first `net.ipv4.conf.IFACE.rp_filter`
/// key of its `sysctl -w` other than conf/all's (a filter-off fix names the
/// join's right after conf/all, the keys it keeps on after it; loose mode's
/// is its only one); empty when it sets none (a route).
[[nodiscard]] std::string fixed_rp_key(const std::string& fix);

/// `fix` without the keep assignments (a filter-off fix's KEY=1 or KEY=2
/// beside conf/all=0, other_interfaces_below_all()) of the rp_filter keys `keys`: those
/// that another blamed join's fix turns off or loosens (trial t15x F1, F2:
/// a keep pinned another join's interface strict, in the merged fix and
/// between two silent channels' lines). The fix's own key and every other
/// command stay. Pure.
[[nodiscard]] std::string without_keeps_on(const std::string& fix, const std::set<std::string>& keys);

/// The value a filter-off fix (conf/all to 0) sets on another interface
/// whose own rp_filter is `own` so that its effective mode, the larger of
/// conf/all (`all`) and its own, stays: conf/all's value when its own is
/// below it (0 under 1 or 2, and 1 under 2: trial t15y G1, conf/all 2 and
/// c0's own 1 left c0 strict), else none (its own value already decides).
/// Pure.
[[nodiscard]] std::optional<std::int64_t> rp_keep_value(std::int64_t all, std::int64_t own) noexcept;

/// The checks in the order they decide the verdict: a failure of an earlier
/// one is the more likely cause (an interface that is down explains
/// everything after it). Names of check_result::check.
[[nodiscard]] const std::vector<std::string_view>& check_order() noexcept;

/// Whether `c` is a WARN that keeps none of the datagrams away by what it
/// says itself (`data.harmless` true: another program's socket that gets
/// copies, IGMPv2 with a source-specific join on one link, no route back to
/// a source with rp_filter off, the namespace-wide reverse-path counter
/// climbing for other traffic): a note under the verdict, never its cause.
[[nodiscard]] bool is_harmless(const check_result& c) noexcept;

/// Mark `c` as harmless (`data.harmless` true; see is_harmless).
void mark_harmless(check_result& c);

/// One socket's filter of a group on an interface (MCAST_MSFILTER).
struct socket_filter {
  bool include = false;              ///< INCLUDE mode (else EXCLUDE)
  std::vector<std::string> sources;  ///< its sources
};

/// An interface's filter of a group, merged from its sockets' filters.
struct merged_socket_filter {
  std::string mode;                  ///< "include" or "exclude"
  std::vector<std::string> sources;  ///< the sources of that mode
};

/// The interface-level filter of a group held by `sockets` (the doctor's
/// own, each that joined it there), merged as the kernel merges them (RFC
/// 3376 3.2): EXCLUDE as soon as one socket is, with the sources every
/// EXCLUDE socket lists and no INCLUDE socket wants; else INCLUDE with the
/// union of their lists, led by `listed`, the sources /proc/net/mcfilter
/// lists for the group and interface (trial t15q M1: two sockets of one
/// source each, and only the first socket's was said). `sockets` not empty.
[[nodiscard]] merged_socket_filter merged_filter(const std::vector<socket_filter>& sockets,
                                                 const std::vector<std::string>& listed);

/// The verdict over `checks`: the first FAIL in check_order(), else the
/// first WARN that is not harmless, else none (every check passed, was not
/// made, or only warned of something harmless).
[[nodiscard]] const check_result* most_likely_cause(const std::vector<check_result>& checks) noexcept;

/// The findings besides `cause` that one pass must fix too, in the order
/// of the verdict's `also:` lines: every other FAIL in check_order(), then
/// (with a cause) every other firewall WARN (each may drop datagrams on the
/// path); one whose fix the cause's fix and the earlier ones' already run
/// (every command of it among their ` && `-joined commands) is left out.
[[nodiscard]] std::vector<const check_result*> other_causes(const std::vector<check_result>& checks,
                                                            const check_result* cause);

/// When `cause` is a firewall WARN that may drop by the source address only
/// and another such WARN is among `checks`: the verdict to print instead,
/// saying which rule drops is not known without the senders (no fix; every
/// rule's delete is among other_causes()). Else nullopt (trial15k M1).
/// `lines_printed`: the firewall lines are printed with the verdict (the
/// doctor's), so its message refers to them; false for a run's end
/// verdict, which prints none: it refers to the `also:` lines, which name
/// each rule's delete.
[[nodiscard]] std::optional<check_result> source_rules_unknown(const std::vector<check_result>& checks,
                                                               const check_result* cause, bool lines_printed = true);

/// The fix each of `others` (other_causes() for `cause`) prints on its
/// `also:` line, in that order: its ` && `-joined commands less those that
/// `cause`'s fix or an earlier `also:` fix runs already, so that the
/// verdict's fix and every `also:` fix pasted in order run each command
/// once (a second `nft delete rule ... handle N` fails, a second `nft
/// insert rule` adds a duplicate; trial15n 6). Empty for one without a fix.
[[nodiscard]] std::vector<std::string> also_fixes(const check_result* cause,
                                                  const std::vector<const check_result*>& others);

/// The other FAIL lines of `checks` that `others` (other_causes() for
/// `cause`) leaves out because the fix of `cause` runs theirs already (one
/// inet rule that drops both families): the clause the verdict's message
/// ends with, "; the same fix covers the line FAIL CHECK SUBJECT too", or
/// "" when none is (trial t15s L1). One whose fix an `also:` line's runs
/// (with the verdict's and the earlier lines'), likewise: "; the fix of the
/// also: line FAIL CHECK SUBJECT covers the line FAIL CHECK SUBJECT too".
/// `lines_printed` false (a run, which prints the verdict and its also:
/// lines, not each check): a covered line is named as a finding, the
/// reverse-path counter's as the drops the summary's "drops by cause" line
/// counts (trial t15r16 L2: a run named a line it never printed).
[[nodiscard]] std::string covered_by_cause(const std::vector<check_result>& checks, const check_result* cause,
                                           const std::vector<const check_result*>& others,
                                           bool lines_printed = true);

/// The text of an `also:` line for `c` with `fix` (also_fixes()'):
/// "     also: STATUS CHECK SUBJECT, fix: COMMAND" (" (see its line)"
/// without a fix).
[[nodiscard]] std::string also_line(const check_result& c, const std::string& fix);

/// The verdict's `also:` lines for `others` with their `fixes` (one each,
/// also_fixes()'): also_line() each, except that lines without a fix of
/// one check and status whose subjects name consecutive groups, alike but
/// for them, are one line naming the range ("... (see their lines)"), and
/// past the first 8 such lines of one check and status the rest are
/// counted in one ("also: 53 more FAIL listen lines (see them above)").
[[nodiscard]] std::vector<std::string> also_lines(const std::vector<const check_result*>& others,
                                                  const std::vector<std::string>& fixes);

/// The doctor's exit code for `checks`: exit_doctor_fail (2) with a FAIL,
/// exit_doctor_warn (5) with a WARN that is not harmless and no FAIL, else
/// exit_ok.
[[nodiscard]] int doctor_exit_code(const std::vector<check_result>& checks) noexcept;

/// `mcast-recv doctor`: a FAIL was found (2, as mcast-recv's "nothing arrived").
inline constexpr int exit_doctor_fail = 2;
/// `mcast-recv doctor`: a WARN and no FAIL was found (5: a code of its own,
/// 3 and 4 keep their meaning of a run's loss and set-up).
inline constexpr int exit_doctor_warn = 5;

/// The doctor's settings: the receiver's own (specs, -i, -4/-6, --json,
/// --rcvbuf) and what only the doctor has.
struct doctor_settings {
  recv_settings recv;           ///< the specs and options mcast-recv would run with
  double listen = 0;            ///< --listen seconds (0: no listening)
  std::optional<std::int64_t> size;  ///< --size: the UDP payload bytes expected, for the MTU check

  /// The output formats these settings ask for.
  [[nodiscard]] output_format format() const noexcept { return recv.format(); }
};

/// A valid doctor command line.
struct doctor_command {
  cli_action action = cli_action::run;
  doctor_settings settings;  ///< meaningful for cli_action::run
};

/// Whether `args` (without the program name) ask for the doctor: the first
/// argument is `doctor`.
[[nodiscard]] bool is_doctor_command(const std::vector<std::string>& args) noexcept;

/// The doctor's --help text.
[[nodiscard]] std::string doctor_help();

/// Parse `mcast-recv doctor ...` (`args` without the program name, the
/// first being `doctor`). Errors: as parse_recv_command_line's, and
/// --listen outside 0.1 to 3600 seconds, --size outside 1 to 65507.
[[nodiscard]] tl::expected<doctor_command, usage_error> parse_doctor_command_line(const std::vector<std::string>& args);

/// Run every check for `s`, print them and the verdict on `out` (text:
/// one line per check, then "verdict: ..."; --json: one `check` event per
/// check and a `verdict` event). Returns doctor_exit_code(), or exit 1 for
/// specs that do not parse.
[[nodiscard]] int run_doctor(const doctor_settings& s, const reporter& out);

/// The IPv4 routes in `routes` (`ip -j -4 route show table all`'s array)
/// more specific than a subnet of the join interface `join` (`subnets`:
/// its addresses and prefix lengths) that lie inside it and lead elsewhere
/// (another interface, a gateway, a blackhole): under strict rp_filter the
/// senders they cover on `join`'s own link are dropped (trial t15q M8: a
/// host route 10.77.2.1/32 via eth0 inside eth1's 10.77.2.0/24 read OK).
/// Each as `ip route` shows it ("10.77.2.1 via 10.77.1.1 dev eth0"); the
/// local table's and broadcast routes are left out.
[[nodiscard]] std::vector<std::string> routes_taking_subnet(
    const nlohmann::json& routes, const std::vector<std::pair<core::ip_address, int>>& subnets, std::string_view join);

/// Counters of the kernel's network statistics files (/proc/net/snmp,
/// /proc/net/netstat, /proc/net/snmp6, as `nstat` reads them) in the calling
/// thread's network namespace: what --listen compares before and after.
/// The `ip route del` command of a route as routes_taking_subnet() says
/// it ("10.77.2.1 via 10.77.1.1 dev eth0 table 100"): its type (one not
/// unicast), destination and table, so that it pastes (trial t15r L1: a
/// route of table 100 was said `ip route del 10.77.2.1`, "No such process").
[[nodiscard]] std::string route_delete_command(std::string_view route);

/// What the fix of loose mode on `join` for an any-source join (its senders
/// unknown) adds with no default route (`default_route` false; else
/// nothing): loose mode passes a sender some route leads back to and drops
/// one no route leads back to, as strict mode does; should such a sender be
/// among them, `filter_off` (the filter off on `join`) or a route back to it.
/// The rp_filter line (a run's start warning) and the reverse-path counter's
/// line (a run's end verdict) say it alike, with the same fix (trial t15s M1).
[[nodiscard]] std::string any_source_loose_caveat(bool default_route, const std::string& filter_off,
                                                  const std::string& join);

namespace net_counters {
/// The value of `field` in `table` ("TcpExt", "IPReversePathFilter"; "Udp",
/// "InErrors") of /proc/thread-self/net/netstat or snmp (two-line
/// tables); none when absent or unreadable.
[[nodiscard]] std::optional<std::uint64_t> read(std::string_view file, std::string_view table, std::string_view field);
/// The value of `name` ("Udp6InErrors") in /proc/thread-self/net/snmp6 (one name and value a line).
[[nodiscard]] std::optional<std::uint64_t> read_snmp6(std::string_view name);
}  // namespace net_counters

}  // namespace mcnet::tools
