// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// mcast-send --replay: a capture's UDP datagrams to multicast groups, the
/// file read through once first (plan_replay: a bad file sends nothing,
/// nothing of it kept but its destinations and counts), then streamed
/// again for each pass (capture_reader: what is held does not grow with
/// the file), sent with the capture's spacing divided by --speed, --loop
/// times, through the same connected sockets as every other run
/// (open_target: -i, --ttl, --tos, --no-loop apply), with the same summary
/// (docs/tools.md, "Captures").

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <mcnet/core/ip_address.hpp>
#include <mcnet/tools/capture.hpp>
#include <mcnet/tools/output.hpp>
#include <mcnet/tools/route.hpp>
#include <mcnet/tools/send_options.hpp>
#include <mcnet/tools/sender.hpp>

namespace mcnet::tools {

/// The most captured destinations (group, port) a replay takes: each is a
/// socket, as a spec of an @FILE is (spec_file_max_specs).
inline constexpr std::size_t max_replay_destinations = 65536;
/// The sources of a destination a replay keeps to name (past them it says
/// "more than" that many).
inline constexpr std::size_t replay_sources_kept = 16;

/// A capture to send: what a read through its file found, and where each
/// of its datagrams goes. Its size does not grow with the file's (at most
/// max_replay_destinations destinations of replay_sources_kept + 1 sources).
struct replay_plan {
  std::string file;       ///< --replay's FILE
  std::string link_type;  ///< libpcap's name of it
  std::uint64_t frames = 0;     ///< frames in the file
  std::uint64_t datagrams = 0;  ///< datagrams to replay in one pass
  /// Frames skipped, by frame_skip (index 0, none, stays 0).
  std::array<std::uint64_t, 6> skipped{};
  std::size_t largest = 0;      ///< the largest payload
  std::uint64_t headers = 0;    ///< datagrams with mcast-send's header
  std::chrono::nanoseconds first_time{0};   ///< the first datagram's timestamp (time_0)
  std::chrono::nanoseconds latest_time{0};  ///< the latest timestamp (a capture need not be in time order)
  /// The captured destinations (group, port), in order of first appearance.
  std::vector<std::pair<core::ip_address, std::uint16_t>> destinations;
  /// Per destination: the IP sources that sent to it, in order of first
  /// appearance, at most replay_sources_kept + 1 (a replay sends them all
  /// from one socket).
  std::vector<std::vector<core::ip_address>> sources;
  /// Each destination's index in `destinations` (and in the targets).
  std::map<std::pair<core::ip_address, std::uint16_t>, std::size_t> index;

  [[nodiscard]] std::uint64_t skipped_total() const noexcept;
};

/// Read --replay's file through once (capture_reader) and make its
/// targets: without SPEC one per captured (group, port), on -i's
/// interface; with SPECs (resolve_targets) the n-th captured destination
/// goes to the n-th target; specs past the captured destinations are left
/// out with a warning. Skipped frames are said (a warning with the counts
/// per reason). A destination that more than one source sent to gets a
/// `replay_sources_merged` warning (text and JSON event), naming it and its
/// sources: every datagram goes out from mcast-send's own socket, so a
/// receiver sees one stream there. Errors, exit 1 with nothing sent: the
/// file (capture_reader's message), no datagram to replay, more than
/// max_replay_destinations destinations, one pass longer than
/// max_replay_pass_s at --speed, more captured destinations than targets
/// (both counts named). A signal (stop_on_signals) while the file is read
/// stops the read at once: a `setup_interrupted` warning says how much of
/// the file was read (frames, datagrams, of its size), nothing is sent,
/// the summary of nothing sent follows, exit 2. Returns the exit code
/// after printing the error, or nothing.
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
/// --loop), the datagrams --loop times, each pass reading the file again
/// as it goes (datagram k of each pass due at (time_k - time_0) / --speed
/// after the pass began; consecutive due datagrams to one target go in one
/// sendmmsg of at most --batch, the only datagrams held), until done,
/// --duration or a signal, then the summary. Returns 0; 4 after printing
/// the error when a send failed or went out short, or the file no longer
/// reads as it did (cut, or a destination that was not in it);
/// exit_interrupted (2) after warn_interrupted() when a signal came before
/// every pass was sent.
[[nodiscard]] int replay_all(const send_settings& s, const reporter& out, std::vector<send_target>& targets,
                             replay_plan& plan);

}  // namespace mcnet::tools
