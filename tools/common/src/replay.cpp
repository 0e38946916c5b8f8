// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <mcnet/tools/output.hpp>
#include <mcnet/tools/replay.hpp>

#include <sys/prctl.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
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

std::uint64_t replay_plan::skipped_total() const noexcept {
  std::uint64_t n = 0;
  for (auto k : skipped) n += k;
  return n;
}

namespace {

constexpr frame_skip skip_reasons[] = {frame_skip::not_ip, frame_skip::not_udp, frame_skip::fragment,
                                       frame_skip::not_multicast, frame_skip::cut};

std::string skipped_text(const std::array<std::uint64_t, 6>& skipped) {
  std::string out;
  for (auto k : skip_reasons) {
    const auto n = skipped[static_cast<std::size_t>(k)];
    if (n != 0) out += fmt::format("{}{} {}", out.empty() ? "" : ", ", n, frame_skip_name(k));
  }
  return out;
}

json skipped_json(const std::array<std::uint64_t, 6>& skipped) {
  json j = json::object();
  const char* keys[] = {"not_ip", "not_udp", "fragment", "not_multicast", "cut"};
  for (std::size_t i = 0; i < std::size(skip_reasons); ++i) {
    j[keys[i]] = skipped[static_cast<std::size_t>(skip_reasons[i])];
  }
  return j;
}

// The file's size in bytes, for what a signal cut a read at (nothing when unknown).
std::optional<std::uintmax_t> capture_file_size(const std::string& path) {
  std::error_code e;
  const auto n = std::filesystem::file_size(path, e);
  if (e) return std::nullopt;
  return n;
}

enum class scan_result { done, interrupted };

// One read through the file: its destinations, sources and counts, nothing
// of its datagrams kept. A signal stops it between two frames.
tl::expected<scan_result, std::string> scan_capture(const std::string& path, replay_plan& p) {
  auto reader = capture_reader::open(path);
  if (!reader) return tl::unexpected(reader.error());
  p.file = path;
  p.link_type = reader->link_type();
  captured_datagram d;
  capture_reader::step r{};
  auto take_counts = [&] {
    p.frames = reader->frames();
    p.skipped = reader->skipped();
  };
  while (true) {
    if (stop_requested()) {
      take_counts();
      return scan_result::interrupted;
    }
    r = reader->next(d);
    if (r != capture_reader::step::datagram) break;
    auto [it, added] = p.index.try_emplace({d.destination, d.port}, p.destinations.size());
    if (added) {
      if (p.destinations.size() >= max_replay_destinations) {
        return tl::unexpected(fmt::format("--replay {}: the capture has more than {} groups (group:port); a replay "
                                          "sends each from its own socket",
                                          text_name(path), max_replay_destinations));
      }
      p.destinations.emplace_back(d.destination, d.port);
      p.sources.emplace_back();
    }
    auto& sources = p.sources[it->second];
    if (sources.size() <= replay_sources_kept && std::find(sources.begin(), sources.end(), d.source) == sources.end()) {
      sources.push_back(d.source);
    }
    if (p.datagrams == 0) p.first_time = p.latest_time = d.time;
    p.latest_time = std::max(p.latest_time, d.time);
    p.largest = std::max(p.largest, d.payload.size());
    if (feed::test_header::parse(d.payload).has_value()) ++p.headers;
    ++p.datagrams;
  }
  take_counts();
  if (r == capture_reader::step::error) return tl::unexpected(reader->error());
  return scan_result::done;
}

}  // namespace

std::optional<int> plan_replay(const send_settings& s, const reporter& out, const interface_resolver& resolve,
                               std::vector<send_target>& targets, replay_plan& plan) {
  const auto reading = std::chrono::steady_clock::now();
  plan = replay_plan{};
  auto scanned = scan_capture(*s.replay, plan);
  if (!scanned) return out.usage(scanned.error());
  if (*scanned == scan_result::interrupted) {
    // trial h16x M1: the signal waited for the whole file to be read (or
    // for std::bad_alloc), then was said as one "while opening the sockets".
    const auto size = capture_file_size(*s.replay);
    out.warn_event(fmt::format("interrupted by a signal while reading --replay {}: {} and {} read{}, nothing sent",
                               text_name(*s.replay), count_text(plan.frames, "frame", "frames"),
                               count_text(plan.datagrams, "datagram to replay", "datagrams to replay"),
                               size ? fmt::format(" of a {:.1f} MB file", static_cast<double>(*size) / 1e6)
                                    : std::string()),
                   "setup_interrupted");
    const auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - reading).count();
    print_summary(s, out, targets, 0, elapsed, std::nullopt);
    return exit_interrupted;
  }
  if (plan.skipped_total() > 0) {
    out.warn(fmt::format("--replay {}: {} of {} frames skipped ({})", text_name(*s.replay), plan.skipped_total(),
                         plan.frames, skipped_text(plan.skipped)));
  }
  if (plan.datagrams == 0) {
    return out.usage(fmt::format("--replay {}: no UDP datagram to a multicast group in its {} frame(s)", text_name(*s.replay),
                                 plan.frames));
  }
  // A pass lasts until its latest datagram (a capture need not be in time order).
  const auto span = std::chrono::duration<double>(plan.latest_time - plan.first_time).count();
  if (s.speed > 0 && span / s.speed > max_replay_pass_s) {
    return out.usage(fmt::format("--replay {}: the capture spans {:.3f} s: at --speed {} one pass would take {:.0f} s, "
                                 "more than {:.0f} days; give a larger --speed",
                                 text_name(*s.replay), span, s.speed, span / s.speed, max_replay_pass_s / 86400));
  }
  for (std::size_t i = 0; i < plan.destinations.size(); ++i) {
    const auto& sources = plan.sources[i];
    if (sources.size() < 2) continue;
    std::string names;
    for (std::size_t k = 0; k < sources.size() && k < 4; ++k) names += (k ? ", " : "") + sources[k].to_string();
    if (sources.size() > 4) names += ", ...";
    const auto count = sources.size() > replay_sources_kept ? fmt::format("more than {}", replay_sources_kept)
                                                            : fmt::format("{}", sources.size());
    const auto& [group, port] = plan.destinations[i];
    out.warn_event(fmt::format("--replay {}: {} has {} sources in the capture ({}); the replay sends every datagram "
                               "from mcast-send's own socket, so a receiver sees one stream there where the capture "
                               "had {}",
                               text_name(*s.replay), core::endpoint(group, port).to_string(), count, names, count),
                   "replay_sources_merged");
  }
  // mcast-send's own datagrams replay byte for byte, their send times as
  // captured: a receiver reads the capture's age as latency (trial20h 5).
  if (plan.headers > 0) {
    out.warn_event(fmt::format("--replay {}: {} carry mcast-send's header with the send time of their capture, "
                               "replayed as it is: mcast-recv reads the time since the capture as their latency "
                               "(and a capture older than 60 s as clock errors, left out of latency and jitter); "
                               "their sequence numbers and END markers are the capture's too",
                               text_name(*s.replay), count_text(plan.headers, "datagram", "datagrams")),
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
                                 text_name(*s.replay), plan.destinations.size(), targets.size()));
  }
  if (targets.size() > plan.destinations.size()) {
    out.warn(fmt::format("--replay {}: the capture has {} groups; the {} after them get nothing",
                         text_name(*s.replay), plan.destinations.size(),
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
  out.event({{"event", "start"}, {"time", now_seconds()}, {"schema", 1}, {"tool", "mcast-send"},
             {"version", MCNET_VERSION_STRING}, {"groups", groups}, {"session", nullptr}, {"sender_id", nullptr},
             {"payload", "replay"}, {"size", plan.largest}, {"ssrc", nullptr}, {"payload_type", nullptr},
             {"clock_hz", nullptr}, {"messages_per_packet", nullptr}, {"message_size", nullptr}, {"pids", nullptr},
             {"replay", {{"file", *s.replay}, {"link_type", plan.link_type}, {"frames", plan.frames},
                         {"datagrams", plan.datagrams}, {"skipped", skipped_json(plan.skipped)}, {"speed", s.speed},
                         {"loops", s.loops}}},
             {"settings", send_settings_json(s)}});
  out.text(fmt::format("mcast-send: replaying {} ({}): {} of {} to {}, speed {}, {}",
                       text_name(*s.replay), plan.link_type, count_text(plan.datagrams, "datagram", "datagrams"),
                       count_text(plan.frames, "frame", "frames"), count_text(targets.size(), "group", "groups"), s.speed,
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
  const std::uint64_t asked = plan.datagrams * s.loops;
  const bool paced = s.speed > 0;
  // As in send_all: a sleep may otherwise last the timer slack (50 us) longer.
  if (paced) (void)::prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
  std::vector<core::message> batch(s.batch);
  // The datagrams read and not sent yet: at most one more than a batch,
  // each with its own copy of the payload (libpcap's buffer holds only the
  // last frame read). Their buffers are kept from one datagram to the next,
  // so the memory held is --batch + 1 of the largest datagram, whatever the
  // file's size.
  struct pending {
    std::size_t target = 0;
    bool end_marker = false;
    std::chrono::nanoseconds time{0};
    std::vector<std::byte> payload;
  };
  std::vector<pending> ring(s.batch + 1);
  const auto started = std::chrono::steady_clock::now();
  std::uint64_t total_sent = 0;  // end markers not counted, as mcast-recv does not
  std::uint64_t written = 0;     // every datagram of the capture sent, end markers too
  // The first and last datagram sent (end markers not counted): the total's rate span.
  std::optional<std::int64_t> first_send_ns;
  std::int64_t last_send_ns = 0;
  std::optional<error> send_error;
  std::optional<std::string> read_error;
  bool out_of_time = false;
  for (std::uint64_t pass = 0; pass < s.loops && !send_error && !read_error && !out_of_time && !stop_requested();
       ++pass) {
    auto reader = capture_reader::open(*s.replay);
    if (!reader) {
      read_error = reader.error();
      break;
    }
    // Each pass keeps the capture's spacing from its own start: datagram k is
    // due at (time_k - time_0) / speed, an absolute schedule that never drifts.
    const auto pass_start = std::chrono::steady_clock::now();
    const auto t0 = plan.first_time;
    std::size_t head = 0, held = 0;  // the ring's first pending datagram, and how many
    bool at_end = false;
    // Read one more datagram into the ring; false at the file's end (or a read error).
    auto read_one = [&]() -> bool {
      if (at_end) return false;
      captured_datagram d;
      const auto r = reader->next(d);
      if (r != capture_reader::step::datagram) {
        at_end = true;
        if (r == capture_reader::step::error) read_error = reader->error();
        return false;
      }
      const auto it = plan.index.find({d.destination, d.port});
      if (it == plan.index.end()) {
        at_end = true;
        read_error = fmt::format("--replay {}: the file changed since it was read: {} was not in it",
                                 text_name(*s.replay), core::endpoint(d.destination, d.port).to_string());
        return false;
      }
      auto& p = ring[(head + held) % ring.size()];
      p.target = it->second;
      p.end_marker = is_end_marker(d.payload);
      p.time = d.time;
      p.payload.assign(d.payload.begin(), d.payload.end());
      ++held;
      return true;
    };
    auto at = [&](std::size_t i) -> pending& { return ring[(head + i) % ring.size()]; };
    const auto due_at = [&](const pending& p) {
      return pass_start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                              std::chrono::duration<double, std::nano>(static_cast<double>((p.time - t0).count()) /
                                                                       s.speed));
    };
    while (true) {
      if (stop_requested()) break;
      if (held == 0 && !read_one()) break;  // the pass is done (or the file failed)
      const auto now = std::chrono::steady_clock::now();
      if (s.duration && std::chrono::duration<double>(now - started).count() >= *s.duration) {
        out_of_time = true;
        break;
      }
      if (paced && due_at(at(0)) > now) {
        const std::chrono::duration<double> wait = due_at(at(0)) - now;
        std::this_thread::sleep_for(std::clamp(wait, pacer::min_sleep, pacer::max_sleep));
        continue;
      }
      // What is due now and goes to the same target: one sendmmsg.
      const auto target = at(0).target;
      std::size_t n = 0;
      while (n < batch.size() && (n < held || read_one()) && at(n).target == target &&
             (!paced || due_at(at(n)) <= now)) {
        batch[n] = core::message{.buffer = at(n).payload, .size = at(n).payload.size()};
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
        if (at(i).end_marker) {
          ++t.end_markers;
          continue;
        }
        bytes_sent += at(i).payload.size();
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
      head = (head + n) % ring.size();
      held -= n;
    }
    if (send_error) break;
  }
  const auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  // A signal before the last datagram of the last pass (or -d) went.
  const bool cut_short = !send_error && !read_error && !out_of_time && stop_requested() && written < asked;
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
  if (read_error) return out.fail(exit_setup, *read_error, "replay_read");
  return cut_short ? exit_interrupted : exit_ok;
}

}  // namespace mcnet::tools
