// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// mcast-send --replay: a capture's UDP datagrams to multicast groups, read
/// whole first (read_capture: a bad file sends nothing), sent with the
/// capture's spacing divided by --speed, --loop times, through the same
/// connected sockets as every other run (open_target: -i, --ttl, --tos,
/// --no-loop apply), with the same summary (docs/tools.md, "Captures").

#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include <mcnet/core/ip_address.hpp>
#include <mcnet/tools/capture.hpp>
#include <mcnet/tools/output.hpp>
#include <mcnet/tools/route.hpp>
#include <mcnet/tools/send_options.hpp>
#include <mcnet/tools/sender.hpp>

namespace mcnet::tools {

/// A capture to send, and where each of its datagrams goes.
struct replay_plan {
  capture_contents capture;
  /// The captured destinations (group, port), in order of first appearance.
  std::vector<std::pair<core::ip_address, std::uint16_t>> destinations;
  /// Per destination: the IP sources that sent to it, in order of first
  /// appearance (a replay sends them all from one socket).
  std::vector<std::vector<core::ip_address>> sources;
  /// Per datagram of the capture: the index of its send_target.
  std::vector<std::size_t> target;
  /// Per datagram of the capture: an end marker (an mcnet END whose length
  /// field is its size, or a MoldUDP64 end of session), which mcast-recv
  /// counts apart from packets: the replay's summary does too.
  std::vector<bool> end_marker;
};

/// The captured destinations of `c` in order of first appearance, their
/// sources, and per datagram the index of its destination there and
/// whether it is an end marker.
[[nodiscard]] replay_plan map_destinations(capture_contents c);

/// Read --replay's file and make its targets: without SPEC one per
/// captured (group, port), on -i's interface; with SPECs (resolve_targets)
/// the n-th captured destination goes to the n-th target; specs past the
/// captured destinations are left out with a warning. Skipped frames are
/// said (a warning with the counts per reason). A destination that more
/// than one source sent to gets a `replay_sources_merged` warning (text and
/// JSON event), naming it and its sources: every datagram goes out from
/// mcast-send's own socket, so a receiver sees one stream there. Errors,
/// exit 1 with nothing sent: the file (read_capture's message), no datagram
/// to replay, one pass longer than max_replay_pass_s at --speed, more
/// captured destinations than targets (both counts named). Returns the
/// exit code after printing the error, or nothing.
[[nodiscard]] std::optional<int> plan_replay(const send_settings& s, const reporter& out,
                                             const interface_resolver& resolve, std::vector<send_target>& targets,
                                             replay_plan& plan);

/// Open every target's socket (open_target), after make_room_for() them; a
/// signal stops it (setup_interrupted). Returns 4 after printing the error,
/// or nothing.
[[nodiscard]] std::optional<int> open_replay_targets(const send_settings& s, const reporter& out,
                                                     std::vector<send_target>& targets);

/// The whole replay: the start lines and event (with "replay": the file,
/// its link type, frames, datagrams, skipped frames by reason, --speed,
/// --loop), the datagrams --loop times (datagram k of each pass due at
/// (time_k - time_0) / --speed after the pass began; consecutive due
/// datagrams to one target go in one sendmmsg of at most --batch), until
/// done, --duration or a signal, then the summary. Returns 0; 4 after
/// printing the error when a send failed or went out short; exit_interrupted
/// (2) after warn_interrupted() when a signal came before every pass was sent.
[[nodiscard]] int replay_all(const send_settings& s, const reporter& out, std::vector<send_target>& targets,
                             replay_plan& plan);

}  // namespace mcnet::tools
