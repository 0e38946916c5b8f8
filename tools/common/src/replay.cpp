// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <mcnet/tools/output.hpp>
#include <mcnet/tools/replay.hpp>

#include <sys/prctl.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <mcnet/core/socket_ops.hpp>
#include <mcnet/feed/moldudp64.hpp>
#include <mcnet/feed/test_header.hpp>
#include <mcnet/tools/cli.hpp>
#include <mcnet/tools/pacer.hpp>
#include <mcnet/tools/report.hpp>
#include <mcnet/version.hpp>

namespace mcnet::tools {

using json = nlohmann::ordered_json;

namespace {

// An END marker as mcast-recv takes one (a wrong length field makes it a
// length error, counted as a packet) or a MoldUDP64 end of session.
bool is_end_marker(std::span<const std::byte> payload) {
  if (const auto h = feed::test_header::parse(payload)) return h->is_end() && h->length == payload.size();
  const auto mold = feed::moldudp64::packet_view::try_parse(payload);
  return mold && mold->is_end_of_session();
}

}  // namespace

replay_plan map_destinations(capture_contents c) {
  replay_plan p;
  std::map<std::pair<core::ip_address, std::uint16_t>, std::size_t> index;
  p.target.reserve(c.datagrams.size());
  for (const auto& d : c.datagrams) {
    const auto [it, added] = index.try_emplace({d.group, d.port}, p.destinations.size());
    if (added) {
      p.destinations.emplace_back(d.group, d.port);
      p.sources.emplace_back();
    }
    auto& sources = p.sources[it->second];
    if (std::find(sources.begin(), sources.end(), d.source) == sources.end()) sources.push_back(d.source);
    p.target.push_back(it->second);
    p.end_marker.push_back(is_end_marker(d.payload));
  }
  p.capture = std::move(c);
  return p;
}

namespace {

constexpr frame_skip skip_reasons[] = {frame_skip::not_ip, frame_skip::not_udp, frame_skip::fragment,
                                       frame_skip::not_multicast, frame_skip::cut};

std::string skipped_text(const capture_contents& c) {
  std::string out;
  for (auto k : skip_reasons) {
    const auto n = c.skipped[static_cast<std::size_t>(k)];
    if (n != 0) out += fmt::format("{}{} {}", out.empty() ? "" : ", ", n, frame_skip_name(k));
  }
  return out;
}

json skipped_json(const capture_contents& c) {
  json j = json::object();
  const char* keys[] = {"not_ip", "not_udp", "fragment", "not_multicast", "cut"};
  for (std::size_t i = 0; i < std::size(skip_reasons); ++i) {
    j[keys[i]] = c.skipped[static_cast<std::size_t>(skip_reasons[i])];
  }
  return j;
}

}  // namespace

std::optional<int> plan_replay(const send_settings& s, const reporter& out, const interface_resolver& resolve,
                               std::vector<send_target>& targets, replay_plan& plan) {
  auto c = read_capture(*s.replay);
  if (!c) return out.usage(c.error());
  if (c->skipped_total() > 0) {
    out.warn(fmt::format("--replay {}: {} of {} frames skipped ({})", text_name(*s.replay), c->skipped_total(), c->frames,
                         skipped_text(*c)));
  }
  if (c->datagrams.empty()) {
    return out.usage(fmt::format("--replay {}: no UDP datagram to a multicast group in its {} frame(s)", text_name(*s.replay),
                                 c->frames));
  }
  plan = map_destinations(std::move(*c));
  const auto& datagrams = plan.capture.datagrams;
  // A pass lasts until its latest datagram (a capture need not be in time order).
  const auto latest = std::max_element(datagrams.begin(), datagrams.end(),
                                       [](const auto& a, const auto& b) { return a.time < b.time; })->time;
  const auto span = std::chrono::duration<double>(latest - datagrams.front().time).count();
  if (s.speed > 0 && span / s.speed > max_replay_pass_s) {
    return out.usage(fmt::format("--replay {}: the capture spans {:.3f} s: at --speed {} one pass would take {:.0f} s, "
                                 "more than {:.0f} days; give a larger --speed",
                                 *s.replay, span, s.speed, span / s.speed, max_replay_pass_s / 86400));
  }
  for (std::size_t i = 0; i < plan.destinations.size(); ++i) {
    const auto& sources = plan.sources[i];
    if (sources.size() < 2) continue;
    std::string names;
    for (std::size_t k = 0; k < sources.size() && k < 4; ++k) names += (k ? ", " : "") + sources[k].to_string();
    if (sources.size() > 4) names += ", ...";
    const auto& [group, port] = plan.destinations[i];
    out.warn_event(fmt::format("--replay {}: {} has {} sources in the capture ({}); the replay sends every datagram "
                               "from mcast-send's own socket, so a receiver sees one stream there where the capture "
                               "had {}",
                               *s.replay, core::endpoint(group, port).to_string(), sources.size(), names,
                               sources.size()),
                   "replay_sources_merged");
  }
  // mcast-send's own datagrams replay byte for byte, their send times as
  // captured: a receiver reads the capture's age as latency (trial20h 5).
  const auto headers = std::count_if(datagrams.begin(), datagrams.end(), [](const auto& d) {
    return feed::test_header::parse(d.payload).has_value();
  });
  if (headers > 0) {
    out.warn_event(fmt::format("--replay {}: {} carry mcast-send's header with the send time of their capture, "
                               "replayed as it is: mcast-recv reads the time since the capture as their latency "
                               "(and a capture older than 60 s as clock errors, left out of latency and jitter); "
                               "their sequence numbers and END markers are the capture's too",
                               *s.replay, count_text(static_cast<std::uint64_t>(headers), "datagram", "datagrams")),
                   "replay_send_times");
  }
  if (s.specs.empty()) {
    core::interface_ref iface;
    if (!s.iface.empty()) {
      auto r = resolve_interface(resolve, s.iface, "-i " + text_name(s.iface), out, multicast_flag_warning::by_caller);
      if (!r) return r.error();
      iface = *r;
    }
    for (const auto& [group, port] : plan.destinations) {
      send_target t;
      t.group = group;
      t.port = port;
      t.iface = iface;
      targets.push_back(std::move(t));
    }
    return std::nullopt;
  }
  if (auto bad = resolve_targets(s, out, resolve, targets)) return bad;
  if (plan.destinations.size() > targets.size()) {
    return out.usage(fmt::format("--replay {}: the capture has {} groups (group:port) and the specs give {}; "
                                 "give a spec per captured group",
                                 *s.replay, plan.destinations.size(), targets.size()));
  }
  if (targets.size() > plan.destinations.size()) {
    out.warn(fmt::format("--replay {}: the capture has {} groups; the {} after them get nothing",
                         *s.replay, plan.destinations.size(),
                         count_text(targets.size() - plan.destinations.size(), "spec group", "spec groups")));
    targets.resize(plan.destinations.size());
  }
  return std::nullopt;
}

std::optional<int> open_replay_targets(const send_settings& s, const reporter& out, std::vector<send_target>& targets) {
  if (auto bad = make_room_for(targets.size(), out)) return bad;
  for (std::size_t i = 0; i < targets.size(); ++i) {
    if (stop_requested()) {
      setup_interrupted(out, i, targets);
      return std::nullopt;
    }
    auto sock = open_target(targets[i], s);
    if (!sock) return out.fail(exit_setup, sock.error());
    targets[i].sock = std::move(*sock);
  }
  return std::nullopt;
}

namespace {

void announce_replay(const send_settings& s, const reporter& out, const std::vector<send_target>& targets,
                     const replay_plan& plan) {
  const auto& c = plan.capture;
  json groups = json::array();
  std::vector<core::interface_ref> used;  // each group's interface, for the MULTICAST flag
  for (std::size_t i = 0; i < targets.size(); ++i) {
    const auto& t = targets[i];
    const auto where = t.iface.is_kernel_choice() ? route_interface(t.group, t.source) : t.iface;
    used.push_back(where);
    groups.push_back({{"group", t.group.to_string()}, {"port", t.port}, {"mode", t.source ? "include" : "any"},
                      {"sources", t.source ? json::array({t.source->to_string()}) : json::array()},
                      {"interface", interface_json(where.index, std::string(where.name.view()))},
                      {"first_sequence", nullptr}, {"first_timestamp", nullptr}});
    const auto& [cg, cp] = plan.destinations[i];
    out.text(fmt::format("sending {} to {} on {}{}", core::endpoint(cg, cp).to_string(),
                         core::endpoint(t.group, t.port).to_string(),
                         where.index != 0 ? fmt::format("{} ({})", where.name.view(), where.index) : std::string("?"),
                         t.iface.is_kernel_choice() ? " (the kernel's route)" : ""));
  }
  std::size_t largest = 0;
  for (const auto& d : c.datagrams) largest = std::max(largest, d.payload.size());
  out.event({{"event", "start"}, {"time", now_seconds()}, {"schema", 1}, {"tool", "mcast-send"},
             {"version", MCNET_VERSION_STRING}, {"groups", groups}, {"session", nullptr}, {"sender_id", nullptr},
             {"payload", "replay"}, {"size", largest}, {"ssrc", nullptr}, {"payload_type", nullptr},
             {"clock_hz", nullptr}, {"messages_per_packet", nullptr}, {"message_size", nullptr}, {"pids", nullptr},
             {"replay", {{"file", *s.replay}, {"link_type", c.link_type}, {"frames", c.frames},
                         {"datagrams", c.datagrams.size()}, {"skipped", skipped_json(c)}, {"speed", s.speed},
                         {"loops", s.loops}}},
             {"settings", send_settings_json(s)}});
  out.text(fmt::format("mcast-send: replaying {} ({}): {} of {} to {}, speed {}, {}",
                       *s.replay, c.link_type, count_text(c.datagrams.size(), "datagram", "datagrams"),
                       count_text(c.frames, "frame", "frames"), count_text(targets.size(), "group", "groups"), s.speed,
                       count_text(s.loops, "time", "times")));
  out.text("mcast-send: " + send_settings_text(s));
  warn_multicast_flags(used, out);
}

}  // namespace

int replay_all(const send_settings& s, const reporter& out, std::vector<send_target>& targets,
               replay_plan& plan) {
  announce_replay(s, out, targets, plan);
  out.flush();  // the start lines reach a pipe now, not at the end of the run
  stop_on_signals();
  // A replay asks for the capture's datagrams, --loop times.
  const std::uint64_t asked = plan.capture.datagrams.size() * s.loops;
  auto& datagrams = plan.capture.datagrams;
  const bool paced = s.speed > 0;
  // As in send_all: a sleep may otherwise last the timer slack (50 us) longer.
  if (paced) (void)::prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
  std::vector<core::message> batch(s.batch);
  const auto started = std::chrono::steady_clock::now();
  std::uint64_t total_sent = 0;  // end markers not counted, as mcast-recv does not
  std::uint64_t written = 0;     // every datagram of the capture sent, end markers too
  // The first and last datagram sent (end markers not counted): the total's rate span.
  std::optional<std::int64_t> first_send_ns;
  std::int64_t last_send_ns = 0;
  std::optional<error> send_error;
  bool out_of_time = false;
  for (std::uint64_t pass = 0; pass < s.loops && !send_error && !out_of_time && !stop_requested(); ++pass) {
    // Each pass keeps the capture's spacing from its own start: datagram k is
    // due at (time_k - time_0) / speed, an absolute schedule that never drifts.
    const auto pass_start = std::chrono::steady_clock::now();
    const auto t0 = datagrams.front().time;
    std::size_t k = 0;
    while (k < datagrams.size()) {
      if (stop_requested()) break;
      const auto now = std::chrono::steady_clock::now();
      if (s.duration && std::chrono::duration<double>(now - started).count() >= *s.duration) {
        out_of_time = true;
        break;
      }
      const auto due_at = [&](std::size_t i) {
        return pass_start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                std::chrono::duration<double, std::nano>(
                                    static_cast<double>((datagrams[i].time - t0).count()) / s.speed));
      };
      if (paced && due_at(k) > now) {
        const std::chrono::duration<double> wait = due_at(k) - now;
        std::this_thread::sleep_for(std::clamp(wait, pacer::min_sleep, pacer::max_sleep));
        continue;
      }
      // What is due now and goes to the same target: one sendmmsg.
      const auto target = plan.target[k];
      std::size_t n = 0;
      while (k + n < datagrams.size() && n < batch.size() && plan.target[k + n] == target &&
             (!paced || due_at(k + n) <= now)) {
        auto& d = datagrams[k + n];
        batch[n] = core::message{.buffer = d.payload, .size = d.payload.size()};
        ++n;
      }
      auto& t = targets[target];
      const auto batch_start = steady_ns();
      auto sent = core::write_batch(t.sock, std::span<const core::message>(batch.data(), n),
                                    core::wait_policy::deadline(std::chrono::seconds(1)));
      const std::size_t done = sent ? *sent : 0;
      // End markers apart, as mcast-recv counts them (trial20i 8: 3
      // captured ENDs read "sent 9" where the receiver counted 6 packets);
      // the datagrams' sends timed for the group's rate, as send_all's.
      std::uint64_t datagrams_sent = 0;
      std::uint64_t bytes_sent = 0;
      for (std::size_t i = 0; i < done; ++i) {
        if (plan.end_marker[k + i]) {
          ++t.end_markers;
          continue;
        }
        bytes_sent += datagrams[k + i].payload.size();
        ++datagrams_sent;
      }
      t.bytes += bytes_sent;
      if (datagrams_sent > 0) {
        const auto batch_end = steady_ns();
        t.sends.add(batch_start, datagrams_sent, batch_end, bytes_sent);
        if (!first_send_ns) first_send_ns = batch_start;
        last_send_ns = batch_end;
      }
      t.sent += datagrams_sent;
      total_sent += datagrams_sent;
      written += done;
      if (!sent || done < n) {
        send_error = sent ? error::from_errno(ENOBUFS, "sendmmsg", "batch")
                                .with_number(static_cast<std::int64_t>(n - done))
                                .with_hint("{number} datagrams of a batch were not sent (the socket's send buffer or "
                                           "the device queue was full); lower --speed or --batch")
                          : sent.error();
        break;
      }
      k += n;
    }
  }
  const auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  // A signal before the last datagram of the last pass (or -d) went.
  const bool cut_short = !send_error && !out_of_time && stop_requested() && written < asked;
  if (cut_short) warn_interrupted(out, written, asked, elapsed, s.duration);
  // The total's rate over the datagrams' own span, N of them over N
  // intervals, not over the captured end markers' tail (trial20j 6: a
  // replay of a 200 pps run read 167 pps).
  std::optional<double> rate_span;
  if (first_send_ns && total_sent >= 2 && last_send_ns > *first_send_ns) {
    rate_span = static_cast<double>(last_send_ns - *first_send_ns) / 1e9 * static_cast<double>(total_sent) /
                static_cast<double>(total_sent - 1);
  }
  print_summary(s, out, targets, total_sent, elapsed, rate_span);
  if (send_error) return out.fail(exit_setup, *send_error);
  return cut_short ? exit_interrupted : exit_ok;
}

}  // namespace mcnet::tools
