// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

// What the end-to-end tests of mcast-send and mcast-recv share: a free port
// in a namespace, JSON Lines parsing, validation of every line against
// docs/mcast-tools.schema.json, and "receive while something sends".

#include <chrono>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "lan.hpp"

namespace mcnet::test::tools {

using json = nlohmann::json;

/// What `run` writes, run in a child process that got SIGINT before it
/// started, with the tools' signal handlers installed
/// (mcnet::tools::stop_on_signals()): the stop flag is process-wide and
/// never cleared, so a test of a run a signal cuts short keeps it out of
/// the test process. `run` returns {standard error, standard output}; the
/// pair read back through a pipe, std::nullopt when the child did not exit
/// normally or its text came back cut.
std::optional<std::pair<std::string, std::string>> interrupted_in_child(
    const std::function<std::pair<std::string, std::string>()>& run);

/// A UDP port nobody uses in `h` (the namespace is private: no race with others).
std::uint16_t free_port(const host& h);

/// The namespace ids `h`'s namespace has for others (`ip netns list-id`):
/// moving a link to a namespace adds one for it.
std::set<int> netns_ids(const host& h);

/// Every line of `text` that starts with '{', parsed (a parse error fails the test).
std::vector<json> json_lines(const std::string& text);

/// The first event named `name`, or nullptr.
const json* find_event(const std::vector<json>& events, const char* name);

/// Problems found validating `line` against docs/mcast-tools.schema.json
/// (empty when it conforms): one entry per error, with its JSON path.
std::vector<std::string> schema_errors(const json& line);

/// A --json run's summary verdict: stdout checked against the schema (as
/// expect_schema_conform), then the summary event's "verdict"; null (and a
/// test failure) when there is no summary.
json summary_verdict(const std::string& standard_output);

/// Validates every line of stdout: each must be a JSON object that conforms
/// to the schema (adds a test failure per bad line). With --json nothing
/// else may be on stdout: `output` must hold stdout only.
void expect_schema_conform(const std::string& output);

/// How a paced run's datagrams kept to mcast-send's schedule, which is
/// absolute: datagram n of a run at `pps` in steps of `burst` is due when
/// its step's first is, burst * floor(n / burst) / pps after the run's
/// start; a stall only delays, and what fell due then goes at once.
struct schedule_fit {
  /// The least late datagram's lateness after the start event (negative:
  /// it went before its time), and its number.
  double earliest_ms = 0;
  std::size_t earliest_at = 0;
  /// The last datagram's lateness past the least late one's.
  double last_late_ms = 0;
  /// The longest gap between two datagrams past the schedule's: the run's
  /// longest stall.
  double longest_stall_ms = 0;
};

/// `sent_ms`: the send times (ms of the realtime clock, the MCN1 headers')
/// of a run's datagrams by number from 0; `started_ms`: its start event's
/// time (out just before the run starts).
schedule_fit fit_schedule(const std::vector<double>& sent_ms, double started_ms, double pps, std::size_t burst);

/// The run kept its schedule: no datagram before its time, and the last one
/// as late as the run's longest stall at most (a sender that caught up),
/// not the sum of its stalls. Bounds from the run itself: a loaded machine
/// stalls a sender for tens of ms.
void expect_kept_schedule(const schedule_fit& fit);

/// Poll `p`'s standard output until `needle` shows (true) or `limit`
/// passes (false). A sender's "sending to " line comes out after its
/// set-up, just before its first datagram: a test that stops a sender a
/// while into its run waits for it first (a loaded machine, ASan, starts
/// a program a second or more late).
bool shows_within(process& p, const std::string& needle, std::chrono::milliseconds limit);

/// Wait (at most `limit`) until a run of mcast-recv `p` has joined: its
/// start event (--json), its text start line or its CSV header comes after
/// every join. False when it ended first or the time ran out.
bool wait_started(process& p, std::chrono::milliseconds limit = std::chrono::seconds(10));

/// Start mcast-recv (`args` without the program) in `rx`, give it `settle`
/// to join, run `send`, then wait for it (at most 20 s, then SIGKILL).
run_result receive_while(const host& rx, std::vector<std::string> args, const std::function<void()>& send,
                         std::chrono::milliseconds settle = std::chrono::milliseconds(300));

/// Run `MCAST_SEND args...` in each host of `net` named by `senders`, one
/// after the other, to completion; each must exit 0 (a test failure names
/// the host otherwise).
void send_from(const network& net, std::initializer_list<std::size_t> senders, const std::vector<std::string>& args);

/// Run `MCAST_SEND args...` in each of `senders` at once, to completion (at
/// most 10 s each); each must exit 0. One after another, the last could
/// start after a receiver's short run had ended, on a loaded machine (CI:
/// two of three senders heard).
void send_together(const std::vector<const host*>& senders, const std::vector<std::string>& args);
/// send_together() with each host's own `MCAST_SEND` arguments.
void send_together(const std::vector<std::pair<const host*, std::vector<std::string>>>& runs);

/// receive_while() with the hosts of `net` named by `senders` sending
/// together (send_together) as what sends: "these hosts send, that one
/// receives".
run_result receive_while_sending(const host& rx, std::vector<std::string> recv_args, const network& net,
                                 std::initializer_list<std::size_t> senders, const std::vector<std::string>& send_args);

/// Another socket of `rx` (python3 `python`) that joins `group` on `iface`
/// (bound to another port: the membership is the interface's), prints
/// "joined" and holds it 30 s at most; returned once it said so (or 30 s).
process hold_membership(const host& rx, const std::string& python, const std::string& group,
                        const std::string& iface);

/// A LAN's broadcast chatter from `tx` (python3 `python`): `count` UDP
/// datagrams to 255.255.255.255:137 (NetBIOS-like) out of `iface`, 10 ms
/// apart, to completion. No group's datagrams, yet a receiver's Udp
/// IgnoredMulti rises by each (trial t15r4 H4).
void broadcast_chatter(const host& tx, const std::string& python, const std::string& iface, int count = 300);

}  // namespace mcnet::test::tools
