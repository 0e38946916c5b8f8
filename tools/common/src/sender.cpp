// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <mcnet/tools/output.hpp>
#include <mcnet/tools/sender.hpp>

#include <netinet/in.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>
#include <random>
#include <set>
#include <thread>
#include <tuple>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include <mcnet/core/socket_ops.hpp>
#include <mcnet/ipv4.hpp>
#include <mcnet/ipv6.hpp>
#include <mcnet/netlink/query.hpp>
#include <mcnet/netlink/route.hpp>
#include <mcnet/version.hpp>
#include <mcnet/tools/cli.hpp>
#include <mcnet/tools/descriptors.hpp>
#include <mcnet/tools/link_order.hpp>
#include <mcnet/tools/doctor.hpp>
#include <mcnet/tools/group_spec.hpp>
#include <mcnet/tools/pacer.hpp>
#include <mcnet/tools/report.hpp>
#include <mcnet/feed/arbiter.hpp>
#include <mcnet/feed/saturating.hpp>
#include <mcnet/feed/test_header.hpp>

namespace mcnet::tools {

using json = nlohmann::ordered_json;

std::optional<int> resolve_targets(const send_settings& s, const reporter& out, const interface_resolver& resolve,
                                   std::vector<send_target>& targets) {
  auto texts = expand_spec_files(s.specs);
  if (!texts) return out.fail(exit_usage, texts.error());
  core::interface_ref default_iface;
  if (!s.iface.empty()) {
    auto r = resolve_interface(resolve, s.iface, "-i " + text_name(s.iface), out, multicast_flag_warning::by_caller);
    if (!r) return r.error();
    default_iface = *r;
  }
  std::set<std::tuple<core::ip_address, std::uint16_t, core::ip_address, std::uint32_t>> seen;
  std::map<std::pair<core::ip_address, std::uint16_t>, std::uint32_t> repeats;  // targets per group and port
  std::size_t planned = 0;  // the groups the specs so far name (max_planned_groups)
  broadcast_source_check broadcast_source;
  for (const auto& item : *texts) {
    const auto& text = item.text;
    // An error about a line of an @FILE names the file and line.
    const auto spec_error = [&](const error& e) { return out.fail(exit_usage, item.where(error_text(e)), code_name(e)); };
    auto spec = parse_group_spec(text, spec_user::sender, s.iface);
    if (!spec) return spec_error(spec.error());
    // A broadcast address of this host as S (issue #16, trial t16t).
    if (auto why = broadcast_source(text, spec->source)) {
      return out.fail(exit_usage, item.where(*why), "source_not_unicast");
    }
    if (auto counted = plan_groups(*spec, planned); !counted) return spec_error(counted.error());
    auto groups = expand(*spec);
    if (!groups) return spec_error(groups.error());
    core::interface_ref iface = default_iface;
    if (!spec->interface_text().empty()) {
      auto r = resolve_spec_interface(resolve, *spec, item.where("group spec \"" + text_name(text) + "\""), out,
                                 multicast_flag_warning::by_caller);
      if (!r) return r.error();
      iface = *r;
    }
    for (const auto& g : *groups) {
      if (!seen.insert({g, spec->port, spec->source.value_or(core::ip_address{}), iface.index}).second) {
        out.warn(item.where(core::endpoint(g, spec->port).to_string() + " is given more than once; sending to it once"));
        continue;
      }
      send_target t;
      t.group = g;
      t.port = spec->port;
      t.source = spec->source;
      t.iface = iface;
      t.session_offset = repeats[{g, spec->port}]++;
      targets.push_back(std::move(t));
    }
  }
  if (targets.empty()) return out.usage("no group given (see --help)");
  if (!s.line_b) return std::nullopt;
  const auto& text = *s.line_b;
  // Every error about the B spec names the option, as mcast-recv's --line does.
  const auto line_b_error = [&](const error& e) {
    return out.fail(exit_usage, fmt::format("--line-b {}: {}", text_name(text), error_text(e)), code_name(e));
  };
  auto spec = parse_group_spec(text, spec_user::sender, s.iface);
  if (!spec) return line_b_error(spec.error());
  auto groups = expand(*spec);
  if (!groups) return line_b_error(groups.error());
  if (groups->size() != targets.size()) {
    return out.usage(fmt::format("--line-b {}: {}, the main line has {}: one B group per main group", text_name(text),
                                 count_text(groups->size(), "group", "groups"), targets.size()));
  }
  core::interface_ref iface = default_iface;
  if (!spec->interface_text().empty()) {
    auto r =
        resolve_spec_interface(resolve, *spec, "--line-b " + text_name(text), out, multicast_flag_warning::by_caller);
    if (!r) return r.error();
    iface = *r;
  }
  for (std::size_t i = 0; i < targets.size(); ++i) {
    const auto& g = (*groups)[i];
    auto& a = targets[i];
    if (g.is_v6() != a.group.is_v6()) {
      return out.usage(fmt::format("--line-b {}: {} is {}, its main group {} is {}", text_name(text), g.to_string(),
                                   g.is_v6() ? "IPv6" : "IPv4", a.group.to_string(), a.group.is_v6() ? "IPv6" : "IPv4"));
    }
    for (const auto& other : targets) {
      if (other.group == g && other.port == spec->port) {
        return out.usage(fmt::format("--line-b {}: {} is a main group: the B line must be another group or port",
                                     text_name(text), core::endpoint(g, spec->port).to_string()));
      }
    }
    auto b = std::make_unique<send_target>();
    b->group = g;
    b->port = spec->port;
    b->source = spec->source;
    b->iface = iface;
    b->is_line_b = true;
    b->session_offset = a.session_offset;
    a.line_b = std::move(b);
  }
  return std::nullopt;
}

std::optional<int> make_room_for(std::size_t sockets, const reporter& out) {
  // Besides its sockets (and the standard descriptors, open now) the run
  // opens one netlink socket at a time: the route lookups of the start line.
  constexpr std::size_t besides = 1;
  auto r = ensure_descriptors(sockets, besides,
                              "these groups need {number} sockets (one per group and line), past the hard limit on "
                              "open files");
  if (!r) return out.fail(exit_setup, r.error().message(), code_name(r.error().cause));
  return std::nullopt;
}

void setup_interrupted(const reporter& out, std::size_t opened, std::vector<send_target>& targets) {
  out.warn_event(fmt::format("interrupted by a signal while opening the sockets: {} of {} opened, "
                             "nothing sent",
                             opened, count_text(targets.size(), "group", "groups")),
                 "setup_interrupted");
  targets.resize(opened);
}

void warn_interrupted(const reporter& out, std::uint64_t sent, std::optional<std::uint64_t> asked, double elapsed,
                      std::optional<double> duration) {
  // What -c asks may pass what JSON readers take as a whole number (2^63 - 1,
  // -c's largest, is what a signed 64-bit reader holds): said as "at least" that.
  constexpr std::uint64_t most = std::numeric_limits<std::int64_t>::max();
  const bool beyond = asked && *asked > most;
  if (beyond) asked = most;
  out.warn_event(fmt::format("interrupted by a signal before the run's end: sent {}{} {}{}", sent,
                             asked ? fmt::format(" of {}{}", beyond ? "at least " : "", *asked) : std::string(),
                             (asked ? *asked : sent) == 1 ? "datagram" : "datagrams",
                             duration ? fmt::format(" in {:.3f} of the {} s of -d", elapsed, *duration) : std::string()),
                 "interrupted", {{"sent", sent}, {"asked", asked ? json(*asked) : json(nullptr)}});
}

namespace {

// The way out of "no route to the group" (IPv4, no -i): the interface that
// can carry it named when there is exactly one (up, MULTICAST, not the
// loopback, with an IPv4 address); else how to choose one, the
// candidates listed. (open_target's static hint says it with IFACE; the
// error's message carries this one instead.)
std::string no_route_hint() {
  std::vector<std::string> candidates;
  if (auto snap = netlink::take_snapshot({.groups = false})) {
    for (const auto* lp : links_by_index(*snap)) {  // as mcast-recv lists them (trial t15z L3)
      const auto& l = *lp;
      if (!l.is_up() || !l.is_multicast() || l.is_loopback()) continue;
      const bool v4 = std::ranges::any_of(
          snap->addresses, [&l](const netlink::address& a) { return a.index == l.index && a.local.is_v4(); });
      if (v4) candidates.push_back(l.name);
    }
  }
  if (candidates.size() == 1) {
    const auto dev = shell_quoted(candidates.front());
    return fmt::format("no route to the group: give the interface with -i {0} (the one interface up with multicast "
                       "and an IPv4 address), or add a multicast route (ip route add 224.0.0.0/4 dev {0})",
                       dev);
  }
  std::vector<std::string> quoted;
  for (const auto& c : candidates) quoted.push_back(shell_quoted(c));
  return fmt::format("no route to the group: give the interface with -i IFACE, or add a multicast route (ip route "
                     "add 224.0.0.0/4 dev IFACE), IFACE the interface on the receivers' link{}",
                     quoted.empty() ? std::string("; no interface is up with multicast and an IPv4 address (ip -br "
                                                  "addr lists them)")
                                    : fmt::format(": one of {} (ip -br addr shows their addresses)",
                                                  fmt::join(quoted, ", ")));
}

}  // namespace

result<core::socket> open_target(const send_target& t, const send_settings& s) {
  const bool v6 = t.group.is_v6();
  auto sock = core::socket::open(v6 ? AF_INET6 : AF_INET, SOCK_DGRAM);
  if (!sock) return fail(sock.error());
  // The two families' option sets differ in names only.
  auto configure = [&](auto conn, auto set_ttl, auto set_tos) -> result<void> {
    if (!t.iface.is_kernel_choice()) {
      if (auto r = conn.set_multicast_interface(t.iface); !r) return r;
    }
    if (auto r = (conn.*set_ttl)(s.ttl); !r) return r;
    if (auto r = (conn.*set_tos)(s.tos); !r) return r;
    return conn.set_multicast_loopback(!s.no_loop);
  };
  const auto ok = v6 ? configure(ipv6::packet_conn(*sock), &ipv6::packet_conn::set_multicast_hop_limit,
                                 &ipv6::packet_conn::set_traffic_class)
                     : configure(ipv4::packet_conn(*sock), &ipv4::packet_conn::set_multicast_ttl,
                                 &ipv4::packet_conn::set_tos);
  if (!ok) return fail(ok.error());
  if (t.source) {
    // A link-local source is bound on the spec's interface (its scope).
    const auto local = t.source->needs_interface() ? t.source->with_scope_id(t.iface.index) : *t.source;
    if (auto r = core::bind(*sock, core::endpoint(local, 0)); !r) return fail(r.error());
  }
  // A zone only where the scope needs one (ff02::1%eth0): a global group
  // goes out of the multicast interface set above, and prints without one.
  core::endpoint dest(t.group.needs_interface() ? t.group.with_scope_id(t.iface.index) : t.group, t.port);
  if (auto r = core::connect(*sock, dest); !r) {
    auto e = r.error();
    if (e.code == std::errc::network_unreachable && !v6 && t.iface.is_kernel_choice()) {
      // The library's hint names the socket option; the tool has -i for it.
      e.with_hint("no route to the group: give the interface with -i IFACE, or add a multicast route "
                  "(ip route add 224.0.0.0/4 dev IFACE)");
    }
    return fail(e);
  }
  return std::move(*sock);
}

std::optional<int> open_targets(const send_settings& s, const reporter& out, std::vector<send_target>& targets) {
  if (auto bad = make_room_for(targets.size() * (s.line_b ? 2 : 1), out)) return bad;
  std::random_device rd;
  const std::uint32_t ssrc = s.payload.ssrc.value_or(static_cast<std::uint32_t>(rd()));
  for (std::size_t i = 0; i < targets.size(); ++i) {
    if (stop_requested()) {
      setup_interrupted(out, i, targets);
      return std::nullopt;
    }
    auto& t = targets[i];
    auto sock = open_target(t, s);
    if (!sock && sock.error().code == std::errc::network_unreachable && t.group.is_v4() &&
        t.iface.is_kernel_choice()) {
      auto bare = sock.error();
      bare.with_hint({});
      return out.fail(exit_setup, fmt::format("{}: {}", bare.message(), no_route_hint()), code_name(sock.error()));
    }
    if (!sock && sock.error().code == std::errc::network_unreachable && !t.iface.is_kernel_choice()) {
      // The interface was given (trial15j L6): the cause is that link's
      // state, not a missing -i or a route with IFACE in it.
      if (const auto l = netlink::link_by_index(t.iface.index); l && (!l->is_up() || !l->has_carrier())) {
        auto bare = sock.error();
        bare.with_hint({});
        return out.fail(exit_setup,
                        fmt::format("{}: {}", bare.message(),
                                    !l->is_up()
                                        ? fmt::format("{} is down: the kernel sends nothing out of a link that is "
                                                      "down (fix: ip link set dev {} up)",
                                                      text_name(l->name), shell_quoted(l->name))
                                        : fmt::format("{} has no carrier (its cable or its peer is down): the "
                                                      "kernel sends nothing out of it until it has one, and no "
                                                      "command here gives it one",
                                                      text_name(l->name))),
                        code_name(sock.error()));
      }
    }
    if (!sock) return out.fail(exit_setup, sock.error());
    t.sock = std::move(*sock);
    auto order = send_order::make(s.count.value_or(~std::uint64_t{0} >> 1), s.faults);
    if (!order) return out.fail(exit_usage, order.error());
    t.order = *order;
    if (s.payload.kind != payload_kind::mcnet) {
      t.stream.emplace(s.payload, s.size,
                       rtp_start{.ssrc = ssrc, .sequence = static_cast<std::uint16_t>(rd()),
                                 .timestamp = static_cast<std::uint32_t>(rd())});
    }
    if (!t.line_b) continue;
    auto& b = *t.line_b;
    auto b_sock = open_target(b, s);
    if (!b_sock) {
      return out.fail(exit_setup, fmt::format("--line-b {}: {}", text_name(*s.line_b), b_sock.error().message()),
                      code_name(b_sock.error()));
    }
    b.sock = std::move(*b_sock);
    auto b_order = send_order::make(s.count.value_or(~std::uint64_t{0} >> 1), faults{s.drop_every_b, 0, 0});
    if (!b_order) return out.fail(exit_usage, b_order.error());
    b.order = *b_order;
    if (t.stream) b.stream.emplace(s.payload, s.size, t.stream->rtp());
    b.queue = std::make_unique<delay_queue>(s.size);
  }
  return std::nullopt;
}

std::vector<run_warning> line_b_warnings(const send_settings& s, std::size_t groups) {
  std::vector<run_warning> out;
  if (!s.line_b) return out;
  if (s.payload.kind == payload_kind::mpegts) {
    out.push_back({"line_b_unsequenced",
                   "--line-b with --payload mpegts: MPEG-TS datagrams carry no sequence number, so no receiver "
                   "can merge the lines by sequence (mcast-recv --line counts them as unsequenced); "
                   "--payload rtp --rtp-pt 33 carries MPEG-TS with RTP sequence numbers"});
  }
  if (s.delay_b_us == 0) return out;
  // Per sequence number: A's datagrams (drops and duplicates), B's copies,
  // and the numbers a merging receiver counts (MoldUDP64: messages).
  constexpr std::uint64_t sample = 1'000'000;
  const auto per_number = [](const faults& f) {
    return static_cast<double>(send_order::make(sample, f).value().datagrams()) / static_cast<double>(sample);
  };
  const double a_datagrams = per_number(s.faults);
  const double b_copies = per_number(faults{s.drop_every_b, 0, 0});
  const double merged = s.payload.kind == payload_kind::moldudp64 ? static_cast<double>(s.payload.messages) : 1.0;
  const double delay = static_cast<double>(s.delay_b_us) / 1e6;
  const auto capacity = delay_queue::capacity_for(s.size);
  const double window = static_cast<double>(feed::arbiter::window);
  const auto queue_text = fmt::format("{} copies of {} bytes (a queue holds at most {} datagrams and {} MiB)",
                                      capacity, s.size, delay_queue::max_datagrams, delay_queue::max_bytes >> 20);
  const auto too_late_text = fmt::format(
      "a receiver merging the lines by sequence number (mcast-recv --line, whose window is {} numbers) drops "
      "copies more than {} numbers behind the highest as too late, so while A sends, B's copies cannot fill its "
      "gaps there",
      feed::arbiter::window, feed::arbiter::window);
  // The sequence numbers of a whole run (-c), or no bound.
  const double run_numbers = s.count ? static_cast<double>(*s.count) : std::numeric_limits<double>::infinity();
  // Early copies trail A by what the full queue holds.
  const double queue_numbers = static_cast<double>(capacity) / b_copies;
  if (!s.pace) {
    // As fast as possible: how far B falls behind is not known before.
    const double held = run_numbers * b_copies;
    const double lag = std::min(run_numbers, queue_numbers) * merged;
    if (held > static_cast<double>(capacity)) {
      out.push_back({"line_b_early", fmt::format("--delay-b {} without --rate: sending as fast as possible, line "
                                                 "B's delay queue can fill with its {}, and then its oldest copies "
                                                 "go out early (line B's \"early\" in the summary); give --rate to "
                                                 "keep the delay",
                                                 s.delay_b_us, queue_text)});
    }
    if (lag > window) {
      out.push_back({"line_b_too_late", fmt::format("--delay-b {} without --rate: line B can trail line A by more "
                                                    "than {} sequence numbers{}: {}",
                                                    s.delay_b_us, feed::arbiter::window,
                                                    merged > 1 ? " (MoldUDP64: messages)" : "", too_late_text)});
    }
    return out;
  }
  const double pps = s.pace->packets_per_second(s.size) / static_cast<double>(std::max<std::size_t>(groups, 1));
  double numbers = std::min(pps / a_datagrams * delay, run_numbers);
  if (s.duration) numbers = std::min(numbers, pps / a_datagrams * *s.duration);
  const double held = numbers * b_copies;
  if (held > static_cast<double>(capacity)) {
    out.push_back({"line_b_early", fmt::format("--delay-b {} at {:.0f} pps per group: line B's delay queue would "
                                               "hold about {:.0f} copies, more than its {}: the oldest go out "
                                               "early (line B's \"early\" in the summary)",
                                               s.delay_b_us, pps, held, queue_text)});
  }
  const double lag = std::min(numbers, queue_numbers) * merged;
  if (lag > window) {
    out.push_back({"line_b_too_late", fmt::format("--delay-b {} at {:.0f} pps per group: line B trails line A by "
                                                  "about {:.0f} sequence numbers{}: {}",
                                                  s.delay_b_us, pps, lag, merged > 1 ? " (MoldUDP64: messages)" : "",
                                                  too_late_text)});
  }
  return out;
}

std::optional<rate_shortfall> check_rate(const send_settings& s, std::uint64_t sent, double elapsed,
                                         double paused_s) {
  // One datagram has no rate (the summary's total.rate_pps is null, as
  // mcast-recv's for a stream of one): how late it went is the start's
  // latency, not a rate (trial t16s L1: `-c 1 -r 5MBps` at load 5 read
  // "sent 758 pps, 98.48 % below the 50000 pps of --rate").
  if (!s.pace || elapsed <= 0 || sent < 2) return std::nullopt;
  const double asked = s.pace->packets_per_second(s.size);
  const double achieved = static_cast<double>(sent) / elapsed;
  if (achieved >= asked * (1 - rate_margin)) return std::nullopt;
  if (elapsed - static_cast<double>(sent) / asked <= rate_slack_s) return std::nullopt;
  // The report's rate formats: a slow rate keeps its decimals (0.5 pps is
  // not "0 pps" or "1 pps"), bit rates three significant digits in SI units.
  const auto bits = [&s](double pps) { return bit_rate_text(pps * static_cast<double>(s.size) * 8); };
  return rate_shortfall{
      asked, achieved,
      fmt::format("sent {} ({} of payload), {} % below the {} ({}) of --rate: {}", packet_rate_text(achieved),
                  bits(achieved), percent_text((1 - achieved / asked) * 100, rate_margin * 100),
                  packet_rate_text(asked), bits(asked),
                  paused_s > 0 ? fmt::format("mcast-send itself did not run for {:.1f} s of the run (stopped, e.g. by "
                                             "Ctrl-Z or SIGSTOP, or starved of CPU)",
                                             paused_s)
                               : std::string("this machine or its link could not keep the rate"))};
}

std::uint64_t realtime_ns() {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch()).count());
}

batch_builder::batch_builder(std::size_t batch, std::size_t size, std::uint32_t sender_id, std::uint32_t session,
                             clock now)
    : size_(size), sender_id_(sender_id), session_(session), now_(now), capacity_(batch), arena_(batch * size),
      messages_(batch) {}

std::span<const core::message> batch_builder::fill(send_target& t, std::uint64_t allowed, std::uint64_t limit) {
  const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(allowed, capacity_));
  std::size_t filled = 0;
  for (; filled < n; ++filled) {
    auto seq = t.order->next_before(limit);
    if (!seq) {
      t.done = t.order->finished();
      break;
    }
    const std::span<std::byte> room(arena_.data() + filled * size_, size_);
    if (t.stream) {
      const auto bytes = t.stream->write(*seq, *t.order, room, now_());
      messages_[filled] = core::message{.buffer = room, .size = bytes};
      continue;
    }
    const std::uint8_t flags = t.is_line_b ? feed::test_header::flag_feed_b : 0;
    feed::test_header h{.flags = flags, .sender_id = sender_id_, .session = target_session(session_, t), .sequence = *seq,
                  .send_time_ns = now_(), .length = static_cast<std::uint32_t>(size_)};
    (void)h.build(room);  // cannot fail: the send options keep size_ >= test_header::size
    messages_[filled] = core::message{.buffer = room, .size = size_};
  }
  return {messages_.data(), filled};
}

segment_packer::segment_packer(std::size_t segments, std::size_t entries)
    : segments_(std::max<std::size_t>(segments, 1)), entries_(entries), controls_(entries), counts_(entries) {}

std::span<const core::message> segment_packer::pack(std::span<const core::message> datagrams) {
  used_ = 0;
  std::size_t i = 0;
  while (i < datagrams.size() && used_ < entries_.size()) {
    const auto& first = datagrams[i];
    const std::size_t segment = first.size;
    std::size_t k = 1;
    std::size_t bytes = segment;
    // Extend the run while the next datagram follows in memory, is no
    // longer than the first (only the last may be shorter) and fits a UDP
    // payload.
    while (k < segments_ && i + k < datagrams.size() && segment > 0) {
      const auto& next = datagrams[i + k];
      if (next.buffer.data() != first.buffer.data() + bytes || next.size > segment || next.size == 0 ||
          bytes + next.size > core::max_udp_payload_v4) {
        break;
      }
      bytes += next.size;
      ++k;
      if (next.size < segment) break;
    }
    auto& e = entries_[used_];
    e = core::message{.buffer = std::span<std::byte>(first.buffer.data(), bytes), .size = bytes, .peer = first.peer};
    if (k > 1) {
      core::cmsg_writer w(controls_[used_].span());
      (void)w.append_segment_size(static_cast<std::uint16_t>(segment));  // fits: segment > 0, a control_buffer holds it
      e.control = controls_[used_].span();
      e.control_size = w.size();
    }
    counts_[used_] = k;
    ++used_;
    i += k;
  }
  return {entries_.data(), used_};
}

std::size_t segment_packer::datagrams_in(std::size_t entries) const noexcept {
  std::size_t n = 0;
  for (std::size_t i = 0; i < std::min(entries, used_); ++i) n += counts_[i];
  return n;
}

std::size_t delay_queue::capacity_for(std::size_t datagram_size) noexcept {
  return std::min(max_datagrams, max_bytes / (datagram_size + entry_overhead));
}

delay_queue::delay_queue(std::size_t datagram_size, std::size_t most)
    : datagram_size_(datagram_size),
      capacity_(std::max<std::size_t>(1, std::min(most, capacity_for(datagram_size)))),
      slots_per_block_(std::clamp<std::size_t>(block_bytes / (datagram_size + entry_overhead), 1, capacity_)),
      blocks_((capacity_ + slots_per_block_ - 1) / slots_per_block_) {
  make_block(0);
  out_.reserve(64);  // --batch's most: due() for a batch allocates nothing
}

void delay_queue::make_block(std::size_t index) {
  auto& b = blocks_[index];
  if (!b.due.empty()) return;
  // The last block only holds what is left of the capacity. resize() writes
  // zeros: the pages are touched now, not by the copies.
  const auto n = std::min(slots_per_block_, capacity_ - index * slots_per_block_);
  b.bytes.resize(n * datagram_size_);
  b.sizes.resize(n);
  b.due.resize(n);
}

void delay_queue::push(std::span<const std::byte> bytes, std::int64_t due_ns) {
  const auto slot = (head_ + count_) % capacity_;
  make_block(slot / slots_per_block_);
  auto& b = blocks_[slot / slots_per_block_];
  const auto i = slot % slots_per_block_;
  const auto n = std::min(bytes.size(), datagram_size_);
  std::copy_n(bytes.begin(), n, b.bytes.begin() + static_cast<std::ptrdiff_t>(i * datagram_size_));
  b.sizes[i] = n;
  b.due[i] = due_ns;
  ++count_;
}

std::span<const core::message> delay_queue::due(std::int64_t now_ns, std::size_t limit) {
  out_.clear();
  for (std::size_t k = 0; k < count_ && out_.size() < limit; ++k) {
    const auto slot = (head_ + k) % capacity_;
    auto& b = blocks_[slot / slots_per_block_];
    const auto i = slot % slots_per_block_;
    if (b.due[i] > now_ns) break;
    out_.push_back(core::message{.buffer = std::span(b.bytes).subspan(i * datagram_size_, datagram_size_),
                                 .size = b.sizes[i]});
  }
  return out_;
}

void delay_queue::pop(std::size_t n) noexcept {
  n = std::min(n, count_);
  head_ = (head_ + n) % capacity_;
  count_ -= n;
}

std::optional<std::int64_t> delay_queue::next_due() const noexcept {
  if (count_ == 0) return std::nullopt;
  return blocks_[head_ / slots_per_block_].due[head_ % slots_per_block_];
}

std::int64_t steady_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

namespace {

// Send B's copies due at `now` (all of them when `now` is the largest
// time); a batch that fails or goes out short is the run's error.
std::optional<error> flush_line_b(send_target& b, std::size_t batch, std::int64_t now,
                                  std::size_t most = std::numeric_limits<std::size_t>::max()) {
  while (most > 0) {
    const auto ready = b.queue->due(now, std::min(batch, most));
    if (ready.empty()) return std::nullopt;
    auto sent = core::write_batch(b.sock, ready, core::wait_policy::deadline(std::chrono::seconds(1)));
    if (!sent) return sent.error();
    for (std::size_t i = 0; i < *sent; ++i) b.bytes += ready[i].size;
    b.sent += *sent;
    b.queue->pop(*sent);
    most -= *sent;
    if (*sent < ready.size()) {
      return error::from_errno(ENOBUFS, "sendmmsg", "batch (line B)")
          .with_number(static_cast<std::int64_t>(ready.size() - *sent))
          .with_hint("{number} datagrams of a batch were not sent (the socket's send buffer or "
                     "the device queue was full); lower --rate or --batch");
    }
  }
  return std::nullopt;
}

// Bring `a`'s B line up to the sequence numbers `a` has passed: build them
// (B's own drops skipped), queue them for --delay-b, send those due. A full
// queue sends its oldest copy early rather than hold the main line.
std::optional<error> feed_line_b(send_target& a, batch_builder& builder, const send_settings& s) {
  auto& b = *a.line_b;
  const auto delay = static_cast<std::int64_t>(s.delay_b_us) * 1000;
  while (!b.done && b.order->issued() < a.order->issued()) {
    // B takes only numbers A has passed: past one B drops itself, B's next
    // copy must not go out before A's.
    const auto batch = builder.fill(b, a.order->issued() - b.order->issued(), a.order->issued());
    const auto now = steady_ns();
    for (const auto& m : batch) {
      if (b.queue->full()) {
        if (auto e = flush_line_b(b, 1, std::numeric_limits<std::int64_t>::max(), 1); e) return e;
        ++b.early;
      }
      b.queue->push(std::span<const std::byte>(m.buffer.data(), m.size), now + delay);
    }
  }
  return flush_line_b(b, s.batch, steady_ns());
}

// Every B line's queued copies at their due time, the lines together (at
// once after a signal; --delay-b is at most 10 s). A line's drain_s is when
// its last copy went, in seconds after `phase_end`.
std::optional<error> drain_lines_b(std::vector<send_target>& targets, std::size_t batch,
                                   std::chrono::steady_clock::time_point phase_end) {
  for (;;) {
    std::optional<std::int64_t> next;
    for (const auto& t : targets) {
      if (!t.line_b) continue;
      if (const auto due = t.line_b->queue->next_due()) next = std::min(next.value_or(*due), *due);
    }
    if (!next) return std::nullopt;
    // Sleep in slices: a signal ends the wait within one.
    const auto wait = std::min<std::int64_t>(*next - steady_ns(), 100'000'000);
    if (wait > 0 && !stop_requested()) {
      std::this_thread::sleep_for(std::chrono::nanoseconds(wait));
      continue;
    }
    const auto now = stop_requested() ? std::numeric_limits<std::int64_t>::max() : steady_ns();
    for (auto& t : targets) {
      if (!t.line_b || t.line_b->queue->size() == 0) continue;
      auto& b = *t.line_b;
      if (auto e = flush_line_b(b, batch, now); e) return e;
      if (b.queue->size() == 0) {
        b.drain_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - phase_end).count();
      }
    }
  }
}

// A count that may be unknown: JSON null.
json number_or_null(const std::optional<std::uint64_t>& v) { return v ? json(*v) : json(nullptr); }

// What the datagrams of `s` are, in words: the start line's.
std::string payload_text(const send_settings& s, std::uint32_t session, std::uint32_t sender_id, std::uint32_t ssrc) {
  const auto& p = s.payload;
  switch (p.kind) {
    case payload_kind::moldudp64:
      return fmt::format("moldudp64 session \"{}\", {} of {} bytes per packet ({} bytes)", p.session.name(),
                         count_text(p.messages, "message", "messages"), p.message_size, s.size);
    case payload_kind::rtp:
      return fmt::format("rtp payload type {} ({} Hz), SSRC {} (0x{:08x}), {} bytes per datagram{}", p.rtp_pt,
                         rtp_clock_hz(p.rtp_pt).value_or(0), ssrc, ssrc, s.size,
                         p.carries_mpegts() ? fmt::format(" (MPEG-TS over {} from 0x{:x})", count_text(p.pids, "PID", "PIDs"), first_pid) : "");
    case payload_kind::mpegts:
      return fmt::format("mpegts, 7 transport packets per datagram over {} from 0x{:x} ({} bytes)",
                         count_text(p.pids, "PID", "PIDs"),
                         first_pid, s.size);
    case payload_kind::mcnet:
    case payload_kind::raw:  // refused by send_options
      break;
  }
  return fmt::format("{} bytes per datagram, session {}, sender id {}", s.size, session, sender_id);
}

// Why a send of `t` failed with `e` when the interface it went out of at
// the start is gone or down now: "the interface e0 (index 5) that
// 239.1.1.1:5000 went out of is gone (deleted during the run: ...)", with
// what to do. None for another error, or when that interface is fine.
std::optional<std::string> send_path_gone(const send_target& t, const error& e) {
  const bool path = e.code == std::errc::network_unreachable || e.code == std::errc::no_such_device ||
                    e.code == std::errc::no_such_device_or_address || e.code == std::errc::network_down ||
                    e.code == std::errc::host_unreachable;
  if (!path || t.started_on.index == 0) return std::nullopt;
  const auto name = std::string(t.started_on.name.view());
  const auto dest = core::endpoint(t.group, t.port).to_string();
  const auto how = t.iface.is_kernel_choice() ? std::string(" (the kernel's route at the start)") : std::string();
  const auto l = netlink::link_by_index(t.started_on.index);
  if (!l) {
    return fmt::format("the interface {} (index {}) that {} went out of{} is gone: it was deleted during the run, "
                       "and its routes with it{}; run again once it is back, or on an interface there is (-i IFACE)",
                       text_name(name), t.started_on.index, dest, how,
                       t.iface.is_kernel_choice() ? ", so the group has no route by it now" : "");
  }
  if (!l->is_up()) {
    return fmt::format("the interface {} (index {}) that {} went out of{} went down during the run (fix: ip link "
                       "set dev {} up{})",
                       text_name(l->name), l->index, dest, how, shell_quoted(l->name),
                       t.iface.is_kernel_choice() && t.group.is_v4()
                           ? fmt::format(" && ip route replace 224.0.0.0/4 dev {}", shell_quoted(l->name))
                           : std::string());
  }
  if (!l->has_carrier()) {
    return fmt::format("the interface {} (index {}) that {} went out of{} lost its carrier during the run (its "
                       "cable or its peer is down: a veth's peer deleted, a switch port down)",
                       text_name(l->name), l->index, dest, how);
  }
  if (t.iface.is_kernel_choice() && !netlink::route_to(t.group)) {
    return fmt::format("{} has no route now (it went out of {} at the start): a route deleted during the run (ip "
                       "route add 224.0.0.0/4 dev {} brings one back, or -i names the interface)",
                       dest, text_name(l->name), shell_quoted(l->name));
  }
  return std::nullopt;
}

// The start lines and event: where each target goes, and what a receiver
// needs to check the payload.
void announce(const send_settings& s, const reporter& out, std::vector<send_target>& targets,
              std::uint32_t session, std::uint32_t sender_id) {
  const auto& p = s.payload;
  const bool mcnet = p.kind == payload_kind::mcnet;
  const bool rtp = p.kind == payload_kind::rtp;
  const std::uint32_t ssrc = !targets.empty() && targets.front().stream ? targets.front().stream->rtp().ssrc : 0;
  json start_groups = json::array();
  std::vector<core::interface_ref> used;  // each group's interface, for the MULTICAST flag
  for (auto& t : targets) {
    // Without -i the kernel chose at connect: its route names the interface.
    const auto where = t.iface.is_kernel_choice() ? route_interface(t.group, t.source) : t.iface;
    t.started_on = where;
    used.push_back(where);
    const auto first = t.stream ? t.stream->first_sequence() : std::optional<std::uint64_t>(0);
    start_groups.push_back({{"group", t.group.to_string()}, {"port", t.port}, {"mode", t.source ? "include" : "any"},
                            {"sources", t.source ? json::array({t.source->to_string()}) : json::array()},
                            {"interface", interface_json(where.index, std::string(where.name.view()))},
                            {"first_sequence", number_or_null(first)},
                            {"session", mcnet ? json(target_session(session, t)) : json(nullptr)},
                            {"first_timestamp", rtp ? json(t.stream->rtp().timestamp) : json(nullptr)}});
    out.text(fmt::format("sending to {} on {}{}{}{}", core::endpoint(t.group, t.port).to_string(),
                         where.index != 0 ? fmt::format("{} ({})", text_name(where.name.view()), where.index) : std::string("?"),
                         t.iface.is_kernel_choice() ? " (the kernel's route)" : "",
                         mcnet && t.session_offset != 0
                             ? fmt::format(", session {} (its own: the group and port went to another target before)",
                                           target_session(session, t))
                             : std::string(),
                         rtp ? fmt::format(", RTP sequence from {}, timestamp from {}", t.stream->rtp().sequence,
                                           t.stream->rtp().timestamp)
                             : ""));
    if (t.line_b) {
      const auto& b = *t.line_b;
      const auto b_where = b.iface.is_kernel_choice() ? route_interface(b.group, b.source) : b.iface;
      used.push_back(b_where);
      out.text(fmt::format("  line B: {} on {}{}", core::endpoint(b.group, b.port).to_string(),
                           b_where.index != 0 ? fmt::format("{} ({})", b_where.name.view(), b_where.index)
                                              : std::string("?"),
                           s.delay_b_us ? fmt::format(", {} us later", s.delay_b_us) : ""));
    }
  }
  json pids = nullptr;
  if (p.carries_mpegts()) {
    pids = json::array();
    for (std::size_t i = 0; i < p.pids; ++i) pids.push_back(first_pid + i);
  }
  json session_field = nullptr;
  if (mcnet) session_field = session;
  if (p.kind == payload_kind::moldudp64) session_field = std::string(p.session.name());
  const bool mold = p.kind == payload_kind::moldudp64;
  out.event({{"event", "start"}, {"time", now_seconds()}, {"schema", 1}, {"tool", "mcast-send"},
             {"version", MCNET_VERSION_STRING}, {"groups", start_groups}, {"session", session_field},
             {"sender_id", mcnet ? json(sender_id) : json(nullptr)}, {"payload", payload_name(p.kind)},
             {"size", s.size}, {"ssrc", rtp ? json(ssrc) : json(nullptr)},
             {"payload_type", rtp ? json(p.rtp_pt) : json(nullptr)},
             {"clock_hz", rtp ? json(rtp_clock_hz(p.rtp_pt).value_or(0)) : json(nullptr)},
             {"messages_per_packet", mold ? json(p.messages) : json(nullptr)},
             {"message_size", mold ? json(p.message_size) : json(nullptr)}, {"pids", pids},
             {"settings", send_settings_json(s)}});
  out.text(fmt::format("mcast-send: {}, {}", count_text(targets.size(), "group", "groups"),
                     payload_text(s, session, sender_id, ssrc)));
  out.text("mcast-send: " + send_settings_text(s));
  warn_multicast_flags(used, out);
}

// The end of each group's run, 3 times: MCN1 END (sequence = how many
// sequence numbers the run had) or a MoldUDP64 end of session (sequence =
// the next message's); RTP and MPEG-TS have none. The three rounds are
// spaced (end_marker_offsets): a receiver whose queue overflowed at the end
// of the run drops markers sent back to back with the tail, and then cannot
// count the tail; one that drains its queue in time gets a later one.
void send_end_markers(std::vector<send_target>& targets, std::uint32_t sender_id, std::uint32_t session) {
  std::vector<send_target*> all;
  for (auto& t : targets) {
    all.push_back(&t);
    if (t.line_b) all.push_back(t.line_b.get());
  }
  const auto start = std::chrono::steady_clock::now();
  for (const auto offset : end_marker_offsets) {
    std::this_thread::sleep_until(start + offset);
    for (auto* tp : all) {
      auto& t = *tp;
      std::array<std::byte, feed::test_header::size> b{};
      std::size_t n = b.size();
      if (t.stream) {
        n = t.stream->write_end(t.order->issued(), b);
      } else {
        const std::uint8_t b_flag = t.is_line_b ? feed::test_header::flag_feed_b : 0;
        feed::test_header end{.flags = static_cast<std::uint8_t>(feed::test_header::flag_end | b_flag), .sender_id = sender_id, .session = target_session(session, t),
                              .sequence = t.order->issued(), .send_time_ns = realtime_ns(),
                              .length = static_cast<std::uint32_t>(feed::test_header::size)};
        (void)end.build(b);  // b is test_header::size bytes
      }
      if (n == 0) continue;
      if (core::write_to(t.sock, core::message{.buffer = b, .size = n},
                         core::wait_policy::deadline(std::chrono::milliseconds(100)))) {
        ++t.end_markers;
      }
    }
  }
}

}  // namespace

std::uint64_t round_robin_share(std::uint64_t allowed, std::uint64_t batch, std::size_t active,
                                std::uint64_t active_sent, std::uint64_t group_sent) noexcept {
  const auto groups = static_cast<std::uint64_t>(std::max<std::size_t>(active, 1));
  const auto due = active_sent + allowed;
  const auto fair = due / groups + (due % groups != 0 ? 1 : 0);  // rounded up
  if (group_sent >= fair) return 0;
  return std::min({allowed, batch, fair - group_sent});
}

double paced_rate_span(double elapsed, double last_send_s, std::uint64_t sent, double pps) noexcept {
  const double interval = 1.0 / pps;
  return std::max(std::min(elapsed, last_send_s + interval), static_cast<double>(sent) * interval);
}

void print_summary(const send_settings& s, const reporter& out, std::vector<send_target>& targets,
                   std::uint64_t total_sent, double elapsed, std::optional<double> rate_span) {
  const auto per_second = [elapsed](std::uint64_t n) { return elapsed > 0 ? static_cast<double>(n) / elapsed : 0.0; };
  const double total_span = rate_span.value_or(elapsed);
  // A group's rate by the receiver's rule (clump_clock: its sends before
  // the last clump over the span to it), so both ends agree; none for one
  // datagram, which has no rate at either end; over the send phase when
  // its sends have no span (none sent).
  const auto group_rate = [&](const send_target& t) -> std::optional<double> {
    if (t.sends.count == 1) return std::nullopt;
    const auto [n, span] = t.sends.rate();
    return span > 0 ? n / span : per_second(t.sent);
  };
  // The span that rate is over, seconds (mcast-recv's rate_span_s): the
  // send phase when the sends have none.
  const auto group_span = [&](const send_target& t) -> double {
    // One datagram has span 0, as a stream of one at mcast-recv (trial20i 11).
    if (t.sends.count == 1) return 0.0;
    const auto [n, span] = t.sends.rate();
    return span > 0 ? span : elapsed;
  };
  // Payload bits per second over the sends that rate counts and its span
  // (clump_clock::rated_bytes(), as mcast-recv's rate_bps); over the send
  // phase, each of the group's mean size, when the sends have no span.
  const auto group_bit_rate = [&](const send_target& t) -> std::optional<double> {
    const auto pps = group_rate(t);
    if (!pps || t.sent == 0) return pps;
    const auto [n, span] = t.sends.rate();
    if (span > 0) return t.sends.rated_bytes() * 8 / span;
    return *pps * static_cast<double>(t.bytes) / static_cast<double>(t.sent) * 8;
  };
  const auto or_null = [](const std::optional<double>& v) { return v ? json(*v) : json(nullptr); };
  const bool mold = s.payload.kind == payload_kind::moldudp64;
  json groups = json::array();
  double drain = 0;
  for (auto& t : targets) {
    // A replay's targets have no order: no sequence number of their own.
    const auto issued = t.order ? t.order->issued() : 0;
    const auto next = t.stream ? t.stream->next_sequence(issued) : std::optional<std::uint64_t>(issued);
    const bool numbered = t.order.has_value();
    json continuity = nullptr;
    if (s.payload.carries_mpegts()) continuity = t.stream->next_continuity(issued);
    json line_b = nullptr;
    if (t.line_b) {
      const auto& b = *t.line_b;
      drain = std::max(drain, b.drain_s);
      line_b = {{"group", b.group.to_string()}, {"port", b.port}, {"sent", b.sent}, {"bytes", b.bytes},
                {"delay_us", s.delay_b_us}, {"early", b.early}, {"drain_s", b.drain_s}};
      out.text(fmt::format("  {}  line B: sent {}  bytes {}  delay {} us{}{}",
                           core::endpoint(b.group, b.port).to_string(), b.sent, b.bytes, s.delay_b_us,
                           b.early ? fmt::format("  early {} (the delay queue was full)", b.early) : "",
                           b.drain_s > 0 ? fmt::format("  drained {:.3f} s after the main line", b.drain_s) : ""));
    }
    groups.push_back({{"group", t.group.to_string()}, {"port", t.port}, {"sent", t.sent}, {"bytes", t.bytes},
                      {"elapsed_s", elapsed}, {"rate_pps", or_null(group_rate(t))},
                      {"rate_bps", or_null(group_bit_rate(t))}, {"rate_span_s", group_span(t)},
                      {"next_sequence", numbered ? number_or_null(next) : json(nullptr)},
                      {"messages", mold ? json(t.sent * s.payload.messages) : json(nullptr)},
                      {"next_continuity", continuity}, {"line_b", line_b}, {"end_markers", t.end_markers}});
    const auto rate = group_rate(t);
    // The span as mcast-recv writes a stream's: a single burst's rate is
    // its sends' spread, which the span shows (100 datagrams in 2.1 ms).
    const double span = group_span(t);
    const auto span_text = span >= 0.9995 || span == 0 ? fmt::format("{:.3f} s", span) : duration_text(span * 1e9);
    // All of a group's datagrams in one --burst: its rate is the burst's
    // own, said so beside the pace the total line gives (trial20h 10:
    // "2771 pps over 1.44 ms" above "1.00 pps in all" read as a contradiction).
    const auto over = s.burst > 1 && t.sends.clumps == 1 && t.sent <= s.burst
                          ? " within one burst of " + span_text
                          : " over " + span_text;
    // A replay's captured end markers are said apart from the datagrams
    // (mcast-send's own are its rounds of three, docs/tools.md).
    const auto replayed_ends = s.replay && t.end_markers > 0
                                   ? "  and " + count_text(t.end_markers, "end marker", "end markers")
                                   : std::string();
    out.text(fmt::format("  {}  sent {}  bytes {}  {} {}{}{}{}{}", core::endpoint(t.group, t.port).to_string(), t.sent,
                         t.bytes, packet_rate_text(or_null(rate)), bit_rate_text(or_null(group_bit_rate(t))),
                         rate ? over : " (one datagram: no rate)",
                         mold ? fmt::format("  messages {}", t.sent * s.payload.messages) : "",
                         next && t.stream ? fmt::format("  next sequence {}", *next) : "", replayed_ends));
  }
  std::uint64_t bytes = 0;
  for (const auto& t : targets) bytes += t.bytes;
  // One datagram has no rate here either (unpaced, its send phase is some
  // microseconds).
  const auto total_rate = total_sent > 1 && total_span > 0
                              ? json(static_cast<double>(total_sent) / total_span)
                              : json(nullptr);
  out.event({{"event", "summary"}, {"time", now_seconds()}, {"groups", groups},
             {"total", {{"sent", total_sent}, {"bytes", bytes}, {"elapsed_s", elapsed}, {"rate_pps", total_rate}}}});
  // A paced run shorter than its datagrams' share of the pace (a burst
  // sent ahead of its schedule, then -d or a signal) has its rate over
  // that share: said, or "5 datagrams in 3.001 s, 1.00 pps" reads wrong.
  // (A replay's span is its datagrams', N over N intervals: no pace to name.)
  const auto paced_over = total_rate.is_null() || s.replay || total_span <= elapsed * 1.001
                              ? std::string()
                              : fmt::format(" (the pace's: {} at -r take {:.3f} s)",
                                            count_text(total_sent, "datagram", "datagrams"), total_span);
  // A send phase under a millisecond in the unit that fits (an unpaced -c 3
  // read "in 0.000 s, 35575 pps": trial20i 15).
  const auto phase =
      elapsed >= 0.0005 || elapsed == 0 ? fmt::format("{:.3f} s", elapsed) : duration_text(elapsed * 1e9);
  out.text(fmt::format("mcast-send: {} in {}{}{}{}", count_text(total_sent, "datagram", "datagrams"), phase,
                       total_rate.is_null() ? std::string() : ", " + packet_rate_text(total_rate) + " in all",
                       paced_over, drain > 0 ? fmt::format(" (line B drained {:.3f} s later)", drain) : ""));
}

int send_all(const send_settings& s, const reporter& out, std::vector<send_target>& targets,
             std::size_t planned_groups) {
  std::random_device rd;
  const std::uint32_t session = static_cast<std::uint32_t>(rd()) & 0x7fffffffu;
  const std::uint32_t sender_id =
      s.id.value_or(static_cast<std::uint32_t>(::getpid()) ^ static_cast<std::uint32_t>(::gethostid()) << 16);
  announce(s, out, targets, session, sender_id);
  for (const auto& w : line_b_warnings(s, targets.size())) out.warn_event(w.message, w.code);
  out.flush();  // the start lines reach a pipe now, not at the end of the run
  // What -c asks for over the groups the command line named (each group's
  // datagrams, faults applied), for the warning of a run a signal cuts
  // short: computed from the settings, not from the targets, whose orders
  // a signal during open_targets left unmade (none at all when it came
  // before the first socket: "sent 0 of 0 datagrams", trial t16z M). 2^64 -
  // 1 at most here (-c 9223372036854775807 --dup-every 2 over two groups is
  // more), 2^63 - 1 in the warning.
  const auto asked = [&]() -> std::optional<std::uint64_t> {
    if (!s.count) return std::nullopt;
    // -c and the faults are per group: each group's order is this one.
    const auto order = send_order::make(*s.count, s.faults);
    const std::uint64_t each = order ? order->datagrams() : *s.count;
    const std::uint64_t groups = std::max(planned_groups, targets.size());
    return feed::saturating_mul(groups, each);
  };
  if (stop_requested()) {
    // A signal during the set-up (open_targets said how far it got) or the
    // start lines: nothing was sent, so no END marker either (a receiver
    // has no stream to end).
    if (s.count || s.duration) warn_interrupted(out, 0, asked(), 0, s.duration);
    print_summary(s, out, targets, 0, 0);
    return s.count || s.duration ? exit_interrupted : exit_ok;
  }

  stop_on_signals();

  // Sending: round-robin over the groups; paced by elapsed time (no sleep per
  // datagram: catch up in bursts, sleep only when ahead).
  // With --gso every sendmmsg entry carries up to s.gso datagrams: the
  // builder makes s.batch entries' worth per call.
  batch_builder builder(s.batch * std::max<std::size_t>(s.gso, 1), s.size, sender_id, session);
  segment_packer packer(s.gso, s.batch * std::max<std::size_t>(s.gso, 1));
  pacer pace = s.pace ? pacer(s.pace->packets_per_second(s.size), s.burst) : pacer();
  // The kernel may stretch a sleep by the thread's timer slack (50 us by
  // default), longer than a datagram's interval above 20 kpps: the next
  // step would then send two back to back. 1 ns: wake when asked.
  if (pace.paced()) (void)::prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
  const auto started = std::chrono::steady_clock::now();
  std::uint64_t total_sent = 0;
  std::optional<error> send_error;
  std::string path_gone;  // what became of the interface of a send that failed (send_path_gone)
  std::size_t active = targets.size();
  std::size_t cursor = 0;
  auto last_main_send = started;  // when the main line's last batch went: B's drain counts from it
  // The groups whose order is done, and what they sent: the fair shares
  // are of what the others sent.
  std::vector<bool> retired(targets.size(), false);
  std::uint64_t retired_sent = 0;
  bool out_of_time = false;       // -d ended the run
  // -d's tail: the datagrams due before its end that the last sleep passed
  // over (at 100 kpps the loop wakes some datagrams late); sent once -d is
  // reached when the sender was on time (at most 10 ms or a batch behind),
  // never the backlog of a sender that fell behind.
  std::optional<std::uint64_t> tail_left;
  // While the main line waits: the B lines' copies that are due.
  const auto flush_lines_b = [&] {
    for (auto& a : targets) {
      if (!a.line_b) continue;
      if (auto e = flush_line_b(*a.line_b, s.batch, steady_ns()); e) send_error = *e;
    }
    return !send_error;
  };
  // This process's own pauses (a second or more between two turns of the
  // loop, which sleeps at most 1 ms and waits at most 1 s for a full
  // socket): said in the rate shortfall (trial20h 8).
  auto last_turn = started;
  std::chrono::steady_clock::duration paused{};
  while (active > 0 && !stop_requested()) {
    const auto turn = std::chrono::steady_clock::now();
    if (turn - last_turn > std::chrono::milliseconds(1500)) paused += turn - last_turn;
    last_turn = turn;
    const std::chrono::duration<double> elapsed = turn - started;
    std::uint64_t allowed = 0;
    if (s.duration && elapsed.count() >= *s.duration) {
      if (!tail_left) {
        // Datagram i is due at i / rate: those before -d's end number
        // ceil(d * rate) (the 1e-9 keeps an exact product exact), and at
        // least one, datagram 0, due at the start: a -d shorter than the
        // first turn of this loop (-d 1e-300, below the clock's
        // nanosecond) sent nothing and said exit 0 (trial h16x L3).
        // Unpaced, the first datagram is as due.
        const auto due = std::max<std::uint64_t>(
            1, pace.paced() ? static_cast<std::uint64_t>(
                                  std::ceil(*s.duration * s.pace->packets_per_second(s.size) - 1e-9))
                            : 0);
        const auto cap = std::max<std::uint64_t>(
            s.batch * std::max<std::size_t>(s.gso, 1),
            pace.paced() ? static_cast<std::uint64_t>(std::ceil(s.pace->packets_per_second(s.size) * 0.01)) : 0);
        tail_left = due > total_sent && due - total_sent <= cap ? due - total_sent : 0;
      }
      if (*tail_left == 0) {
        out_of_time = true;
        break;
      }
      allowed = *tail_left;
    } else {
      const auto step = pace.next(elapsed, total_sent);
      if (step.allowed == 0) {
        if (!flush_lines_b()) break;
        std::this_thread::sleep_for(step.sleep);
        continue;
      }
      allowed = step.allowed;
    }
    const std::size_t index = cursor;
    auto& t = targets[index];
    cursor = (cursor + 1) % targets.size();
    if (t.done) continue;
    // A group whose order is done leaves the groups the shares are of.
    const auto retire = [&] {
      if (!t.done || retired[index]) return;
      retired[index] = true;
      retired_sent += t.sent;
    };
    // Round-robin in fair shares: what fell due after a stall (or a step
    // of --burst) is split over the groups still sending (trial20h 1: after
    // a 1 s stop the groups' counts and rates differed by 4 %), each up to
    // its share of all that is due, so no group gets past its share
    // whatever the burst (trial20j 1: --burst 4 over 3 groups sent 400,
    // 200 and 200).
    const auto share = active > 1 && allowed != pacer::unlimited
                           ? round_robin_share(allowed, s.batch * std::max<std::size_t>(s.gso, 1), active,
                                               total_sent - retired_sent, t.sent)
                           : allowed;
    if (share == 0) continue;  // ahead of its share: the next group's turn
    const auto batch = builder.fill(t, share);
    if (t.done) --active;
    if (batch.empty()) {
      retire();
      continue;
    }
    // --gso: each entry is a run of datagrams the kernel cuts apart again;
    // counts stay in datagrams.
    const auto entries = s.gso > 0 ? packer.pack(batch) : batch;
    const auto batch_start = std::chrono::steady_clock::now();
    auto sent_entries = core::write_batch(t.sock, entries, core::wait_policy::deadline(std::chrono::seconds(1)));
    std::optional<std::size_t> sent;
    if (sent_entries) sent = s.gso > 0 ? packer.datagrams_in(*sent_entries) : *sent_entries;
    if (sent) {
      t.sent += *sent;
      t.bytes += *sent * s.size;
      total_sent += *sent;
      last_main_send = std::chrono::steady_clock::now();
      const auto ns = [](std::chrono::steady_clock::time_point p) {
        return std::chrono::duration_cast<std::chrono::nanoseconds>(p.time_since_epoch()).count();
      };
      t.sends.add(ns(batch_start), *sent, ns(last_main_send), *sent * s.size);
    }
    if (!sent || *sent < batch.size()) {
      // A short batch hides the error of the first datagram not sent; those
      // sequence numbers are gone, so the run cannot claim it sent everything.
      send_error = sent ? error::from_errno(ENOBUFS, "sendmmsg", "batch")
                              .with_number(static_cast<std::int64_t>(batch.size() - *sent))
                              .with_hint("{number} datagrams of a batch were not sent (the socket's send buffer or "
                                         "the device queue was full); lower --rate or --batch")
                        : sent_entries.error();
      if (!sent) {
        // The interface went away or down mid-run (trial15o F16: a bare
        // "Network is unreachable"): which, and what happened to it.
        if (auto said = send_path_gone(t, *send_error)) path_gone = std::move(*said);
      }
      if (!sent && send_error->code == std::errc::operation_not_permitted) {
        // EPERM from a UDP send is a rule on this host's output path, not
        // the network (trial20h 7: a bare "Operation not permitted").
        send_error->with_hint("a rule on this host's output path refused the datagram (nftables or iptables "
                              "output or postrouting, a cgroup BPF program): see nft list ruleset");
      }
      break;
    }
    pace.sent(*sent);
    if (tail_left) *tail_left -= std::min(*tail_left, static_cast<std::uint64_t>(*sent));
    // An order whose last datagram went is done now, not when the pacer
    // next lets a datagram go: that may be long after (see below).
    if (!t.done && t.order->finished()) {
      t.done = true;
      --active;
    }
    retire();
    if (t.line_b) {
      if (auto e = feed_line_b(t, builder, s); e) {
        send_error = *e;
        break;
      }
    }
  }
  // The send phase ends one pacing interval after the main line's last
  // datagram (N datagrams over N intervals: the rate is the one asked for),
  // but at most end_wait_max after it: at 0.5 pps the END markers would
  // otherwise wait 2 s. -d and a signal end the wait too. The B lines'
  // drain is said apart, from the main line's last datagram (docs/tools.md,
  // "Lines").
  if (active == 0 && !send_error && pace.paced()) {
    const auto interval_end =
        started + std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(
                      static_cast<double>(total_sent) / s.pace->packets_per_second(s.size)));
    auto until = std::min(interval_end, last_main_send + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                                             end_wait_max));
    if (s.duration) {
      until = std::min(until, started + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                            std::chrono::duration<double>(*s.duration)));
    }
    for (auto now = std::chrono::steady_clock::now(); now < until && !stop_requested() && flush_lines_b();
         now = std::chrono::steady_clock::now()) {
      std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
          until - now, std::chrono::duration_cast<std::chrono::steady_clock::duration>(pacer::max_sleep)));
    }
  }
  // A signal that ended the run before -c or -d did (not one during the
  // wait above, after everything went): said, and exit 2.
  const bool cut_short = active > 0 && !out_of_time && !send_error && stop_requested() && (s.count || s.duration);
  const auto phase_end = std::chrono::steady_clock::now();
  const auto elapsed = std::chrono::duration<double>(phase_end - started).count();
  // The total's rate: N datagrams take N intervals of the pacing, also
  // when the wait after the last was cut (a burst ahead of its schedule:
  // `-r 1pps --burst 5 -c 5` is 1 pps, not 5 over a 1 s send phase), and
  // a run that kept up reads the rate asked for: over its last send and
  // that datagram's interval, not the send phase, whose end waits past
  // it by a sleep's overshoot (trial20i 16: 2000 at 1000 pps read
  // "997 pps in all"); a run that fell behind sent its last one late.
  const double rate_span =
      pace.paced() ? paced_rate_span(elapsed, std::chrono::duration<double>(last_main_send - started).count(),
                                     total_sent, s.pace->packets_per_second(s.size))
                   : elapsed;
  // The shortfall's achieved rate is the total's.
  if (auto short_of = send_error ? std::nullopt
                                  : check_rate(s, total_sent, rate_span, std::chrono::duration<double>(paused).count())) {
    out.warn_event(short_of->message, "rate_shortfall",
                   {{"asked_pps", short_of->asked_pps}, {"achieved_pps", short_of->achieved_pps}});
  }
  // The B lines' tail: what the main line passed, then the queued copies.
  for (auto& t : targets) {
    if (!t.line_b || send_error) continue;
    if (auto e = feed_line_b(t, builder, s); e) send_error = *e;
  }
  if (!send_error) send_error = drain_lines_b(targets, s.batch, last_main_send);
  send_end_markers(targets, sender_id, session);
  if (cut_short) warn_interrupted(out, total_sent, asked(), elapsed, s.duration);
  print_summary(s, out, targets, total_sent, elapsed, rate_span);
  if (send_error && !path_gone.empty()) {
    auto bare = *send_error;
    bare.with_hint({});
    return out.fail(exit_setup, fmt::format("{}: {}", bare.message(), path_gone), code_name(*send_error));
  }
  if (send_error) return out.fail(exit_setup, *send_error);
  return cut_short ? exit_interrupted : exit_ok;
}

}  // namespace mcnet::tools
