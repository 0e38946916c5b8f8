// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// mcast-send: send numbered, timestamped datagrams (the 40-byte header of
// TOOLS.md) to one or more multicast groups, paced or as fast as possible,
// with optional fault injection. See docs/tools.md and --help.

#include <netinet/in.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <optional>
#include <random>
#include <string>
#include <set>
#include <thread>
#include <tuple>
#include <vector>

#include <boost/program_options.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <mcnet/ipv4.hpp>
#include <mcnet/ipv6.hpp>
#include <mcnet/netlink.hpp>
#include <mcnet/tools/cli.hpp>
#include <mcnet/core/socket_ops.hpp>
#include <mcnet/tools/group_spec.hpp>
#include <mcnet/tools/report.hpp>
#include <mcnet/tools/send_plan.hpp>
#include <mcnet/tools/wire_header.hpp>

namespace core = mcnet::core;
namespace tools = mcnet::tools;
namespace po = boost::program_options;
using json = nlohmann::ordered_json;

namespace {

using tools::exit_ok;
using tools::exit_setup;
using tools::exit_usage;

std::uint64_t realtime_ns() {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch()).count());
}

struct settings {
  std::vector<std::string> specs;
  std::string iface;
  int ttl = 1;
  std::string tos = "0";
  bool no_loop = false;
  std::size_t size = 100;
  std::string rate;
  std::size_t burst = 1;
  std::optional<std::uint64_t> count;
  std::optional<double> duration;
  std::optional<std::uint32_t> id;
  tools::faults faults;
  std::size_t batch = 1;

  // As typed: signed, so "-1" is refused rather than wrapped by the parser.
  struct raw {
    std::int64_t size = 100, burst = 1, count = 0, id = 0, batch = 0, drop = 0, dup = 0, reorder = 0;
  } raw;
  bool json_output = false;
  bool quiet = false;
};

// One destination: a connected socket, its plan and its counters.
struct target {
  core::ip_address group;
  std::uint16_t port = 0;
  std::optional<core::ip_address> source;
  core::interface_ref iface;
  core::socket sock;
  std::optional<tools::send_order> order;
  std::uint64_t sent = 0;
  std::uint64_t bytes = 0;
  bool done = false;
};

class reporter {
 public:
  explicit reporter(const settings& s) : json_(s.json_output), quiet_(s.quiet) {}
  void line(const std::string& text) const {
    if (!json_ && !quiet_) std::cout << text << '\n';
  }
  void event(json j) const {
    if (!json_) return;
    std::cout << j.dump() << '\n';
  }
  [[nodiscard]] int fail(int code, const std::string& message, const std::string& name) const {
    if (json_) {
      std::cout << tools::error_event(message, name, code).dump() << '\n';
    }
    std::cerr << "mcast-send: " << message << '\n';
    return code;
  }
  [[nodiscard]] int fail(int code, const mcnet::error& e) const { return fail(code, e.message(), tools::code_name(e)); }

 private:
  bool json_;
  bool quiet_;
};

// Socket for one group: options first (interface, TTL, TOS, loop), then bind
// to the chosen source, then connect (the kernel picks the route there).
mcnet::result<core::socket> open_target(const target& t, const settings& s, int tos) {
  const bool v6 = t.group.is_v6();
  auto sock = core::socket::open(v6 ? AF_INET6 : AF_INET, SOCK_DGRAM);
  if (!sock) return mcnet::fail(sock.error());
  if (v6) {
    mcnet::ipv6::packet_conn c(*sock);
    if (!t.iface.is_kernel_choice()) {
      if (auto r = c.set_multicast_interface(t.iface); !r) return mcnet::fail(r.error());
    }
    if (auto r = c.set_multicast_hop_limit(s.ttl); !r) return mcnet::fail(r.error());
    if (auto r = c.set_traffic_class(tos); !r) return mcnet::fail(r.error());
    if (auto r = c.set_multicast_loopback(!s.no_loop); !r) return mcnet::fail(r.error());
  } else {
    mcnet::ipv4::packet_conn c(*sock);
    if (!t.iface.is_kernel_choice()) {
      if (auto r = c.set_multicast_interface(t.iface); !r) return mcnet::fail(r.error());
    }
    if (auto r = c.set_multicast_ttl(s.ttl); !r) return mcnet::fail(r.error());
    if (auto r = c.set_tos(tos); !r) return mcnet::fail(r.error());
    if (auto r = c.set_multicast_loopback(!s.no_loop); !r) return mcnet::fail(r.error());
  }
  if (t.source) {
    if (auto r = core::bind(*sock, core::endpoint(*t.source, 0)); !r) return mcnet::fail(r.error());
  }
  core::endpoint dest(t.group.with_scope_id(t.iface.index), t.port);
  if (auto r = core::connect(*sock, dest); !r) return mcnet::fail(r.error());
  return std::move(*sock);
}

}  // namespace

int main(int argc, char** argv) {
  settings s;
  po::options_description visible(
      "mcast-send: send numbered datagrams to multicast groups\n\n"
      "usage: mcast-send [options] SPEC... (SPEC: [S,]GROUP[:PORT][%IFACE][+N], or @FILE)\n\noptions");
  visible.add_options()("help,h", "this help")
      ("interface,i", po::value(&s.iface), "interface: name, index, address, prefix or 'kernel' (default: the route)")
      ("ttl", po::value(&s.ttl)->default_value(1), "multicast TTL / hop limit, 0 to 255")
      ("tos", po::value(&s.tos)->default_value("0"), "TOS / traffic class: 0-255, 0xNN, or DSCP (ef, af11..af43, cs0..cs7)")
      ("loop", "deliver to listeners on this host too (the kernel's default)")
      ("no-loop", po::bool_switch(&s.no_loop), "do not deliver to listeners on this host")
      ("size,s", po::value(&s.raw.size)->default_value(100), "UDP payload bytes per datagram, 40 (the header) to 65507")
      ("rate,r", po::value(&s.rate), "total rate over all groups: Npps or N[k|m|g]bps (default: as fast as possible)")
      ("burst", po::value(&s.raw.burst)->default_value(1), "with --rate: datagrams sent back to back per pacing step (1: each on its own time)")
      ("count,c", po::value(&s.raw.count), "datagrams per group (default: until -d or a signal)")
      ("duration,d", po::value<double>(), "seconds to send")
      ("id", po::value(&s.raw.id), "sender id in the header, 0 to 4294967295 (default: from the pid and host)")
      ("drop-every", po::value(&s.raw.drop)->default_value(0), "K >= 2: do not send sequence numbers m*K-1")
      ("dup-every", po::value(&s.raw.dup)->default_value(0), "K >= 2: send sequence numbers m*K-1 twice")
      ("reorder-every", po::value(&s.raw.reorder)->default_value(0), "K >= 2: send m*K just before m*K-1")
      ("batch", po::value(&s.raw.batch)->default_value(32), "at most this many datagrams per sendmmsg call, 1 to 64 (paced: what is due)")
      ("json", po::bool_switch(&s.json_output), "JSON Lines on stdout (TOOLS.md, docs/mcast-tools.schema.json)")
      ("quiet,q", po::bool_switch(&s.quiet), "no report on stdout (errors still go to stderr)");
  auto parsed = tools::parse_command_line(argc, argv, visible, s.specs, "mcast-send");
  if (!parsed) return exit_usage;
  const auto& vm = *parsed;
  if (vm.count("help")) {
    std::cout << visible
              << "\nSPEC: GROUP, or S,GROUP to send from source address S; +N sends to N consecutive groups.\n"
                 "Every datagram starts with the 40-byte MCN1 header (sender id, session, sequence, send time);\n"
                 "after the run 3 END markers per group let receivers count the tail.\n"
                 "\nexit codes: 0 sent everything, 1 usage or bad input, 4 socket set-up or send failed\n";
    return exit_ok;
  }
  const reporter out(s);
  const auto& raw = s.raw;
  if (vm.count("loop") && s.no_loop) return out.fail(exit_usage, "--loop and --no-loop exclude each other", "usage");
  if (raw.size < static_cast<std::int64_t>(tools::wire_header::size) || raw.size > 65507) {
    return out.fail(exit_usage, fmt::format("--size {}: 40 (the header) to 65507 bytes", raw.size), "usage");
  }
  if (s.ttl < 0 || s.ttl > 255) return out.fail(exit_usage, fmt::format("--ttl {}: 0 to 255", s.ttl), "usage");
  if (raw.burst < 1 || raw.burst > 1'000'000) {
    return out.fail(exit_usage, fmt::format("--burst {}: 1 to 1000000 datagrams", raw.burst), "usage");
  }
  if (vm.count("count") && raw.count < 1) return out.fail(exit_usage, fmt::format("--count {}: at least 1", raw.count), "usage");
  if (vm.count("id") && (raw.id < 0 || raw.id > 0xffffffffLL)) {
    return out.fail(exit_usage, fmt::format("--id {}: 0 to 4294967295", raw.id), "usage");
  }
  for (const auto& [name, k] : {std::pair{"--drop-every", raw.drop}, {"--dup-every", raw.dup}, {"--reorder-every", raw.reorder}}) {
    if (k != 0 && k < 2) return out.fail(exit_usage, fmt::format("{} {}: 0 (off) or at least 2", name, k), "usage");
  }
  if (vm.count("batch") && (raw.batch < 1 || raw.batch > static_cast<std::int64_t>(core::batch_limit))) {
    return out.fail(exit_usage, fmt::format("--batch {}: 1 to {}", raw.batch, core::batch_limit), "usage");
  }
  if (vm.count("duration")) s.duration = vm["duration"].as<double>();
  if (s.duration && !(std::isfinite(*s.duration) && *s.duration > 0)) {
    return out.fail(exit_usage, fmt::format("--duration {}: seconds, more than 0", *s.duration), "usage");
  }
  s.size = static_cast<std::size_t>(raw.size);
  s.burst = static_cast<std::size_t>(raw.burst);
  if (vm.count("count")) s.count = static_cast<std::uint64_t>(raw.count);
  if (vm.count("id")) s.id = static_cast<std::uint32_t>(raw.id);
  s.faults = {static_cast<std::uint64_t>(raw.drop), static_cast<std::uint64_t>(raw.dup), static_cast<std::uint64_t>(raw.reorder)};
  // sendmmsg batches: unpaced they are full; paced they hold what is due (a
  // few datagrams per wake-up), so high rates keep up without bursts.
  s.batch = vm.count("batch") ? static_cast<std::size_t>(raw.batch) : 32;
  if (s.specs.empty()) return out.fail(exit_usage, "no group given (see --help)", "usage");
  auto tos = tools::parse_tos(s.tos);
  if (!tos) return out.fail(exit_usage, tos.error());
  std::optional<tools::rate> pace;
  if (!s.rate.empty()) {
    auto r = tools::parse_rate(s.rate);
    if (!r) return out.fail(exit_usage, r.error());
    pace = *r;
  }

  // Specs, expanded; @FILE reads more.
  auto texts = tools::expand_spec_files(s.specs);
  if (!texts) return out.fail(exit_usage, texts.error());
  std::optional<mcnet::netlink::resolved> default_iface;
  if (!s.iface.empty()) {
    auto r = mcnet::netlink::resolve(s.iface);
    if (!r) return out.fail(exit_usage, "-i " + s.iface + ": " + r.error().message(), tools::code_name(r.error().reason));
    default_iface = *r;
    for (const auto& w : r->warnings) std::cerr << "mcast-send: warning: " << w << '\n';
  }
  std::vector<target> targets;
  std::set<std::tuple<core::ip_address, std::uint16_t, core::ip_address, std::uint32_t>> seen;
  for (const auto& text : *texts) {
    auto spec = tools::parse_group_spec(text, tools::spec_user::sender, s.iface);
    if (!spec) return out.fail(exit_usage, spec.error());
    auto groups = tools::expand(*spec);
    if (!groups) return out.fail(exit_usage, groups.error());
    core::interface_ref iface = default_iface ? default_iface->iface : core::interface_ref{};
    if (!spec->interface_text().empty()) {
      auto r = mcnet::netlink::resolve(spec->interface_text());
      if (!r) {
        return out.fail(exit_usage, "group spec \"" + text + "\": " + r.error().message(),
                        tools::code_name(r.error().reason));
      }
      iface = r->iface;
    }
    for (const auto& g : *groups) {
      // A repeated or overlapping spec would send one stream twice with two
      // sequence counters: each (group, port, source, interface) once.
      if (!seen.insert({g, spec->port, spec->source.value_or(core::ip_address{}), iface.index}).second) {
        std::cerr << "mcast-send: warning: " << core::endpoint(g, spec->port).to_string()
                  << " is given more than once; sending to it once\n";
        continue;
      }
      target t;
      t.group = g;
      t.port = spec->port;
      t.source = spec->source;
      t.iface = iface;
      targets.push_back(std::move(t));
    }
  }

  if (targets.empty()) return out.fail(exit_usage, "no group given (see --help)", "usage");

  // Sockets and plans.
  for (auto& t : targets) {
    auto sock = open_target(t, s, *tos);
    if (!sock) return out.fail(exit_setup, sock.error());
    t.sock = std::move(*sock);
    auto order = tools::send_order::make(s.count.value_or(~std::uint64_t{0} >> 1), s.faults);
    if (!order) return out.fail(exit_usage, order.error());
    t.order = *order;
  }

  std::random_device rd;
  const std::uint32_t session = static_cast<std::uint32_t>(rd()) & 0x7fffffffu;
  const std::uint32_t sender_id =
      s.id.value_or(static_cast<std::uint32_t>(::getpid()) ^ static_cast<std::uint32_t>(::gethostid()) << 16);

  json start_groups = json::array();
  for (const auto& t : targets) {
    // Without -i the kernel chose at connect: the source address it picked names the interface.
    auto where = t.iface;
    if (where.is_kernel_choice()) {
      if (auto local = core::local_endpoint(t.sock)) {
        if (auto r = mcnet::netlink::resolve(local->address().with_scope_id(0).to_string())) where = r->iface;
      }
    }
    start_groups.push_back({{"group", t.group.to_string()}, {"port", t.port}, {"mode", t.source ? "include" : "any"},
                            {"sources", t.source ? json::array({t.source->to_string()}) : json::array()},
                            {"interface", tools::interface_json(where.index, std::string(where.name.view()))}});
    out.line(fmt::format("sending to {} on {}{}", core::endpoint(t.group, t.port).to_string(),
                         where.index != 0 ? fmt::format("{} ({})", where.name.view(), where.index) : std::string("?"),
                         t.iface.is_kernel_choice() ? " (the kernel's route)" : ""));
  }
  out.event({{"event", "start"}, {"time", tools::now_seconds()}, {"schema", 1}, {"tool", "mcast-send"}, {"version", "0.1.0"},
             {"groups", start_groups}, {"session", session}, {"sender_id", sender_id}});
  out.line(fmt::format("mcast-send: {} group(s), {} bytes per datagram, session {}, sender id {}", targets.size(), s.size,
                       session, sender_id));

  tools::stop_on_signals();

  // Sending: round-robin over the groups; paced by elapsed time (no sleep per
  // datagram: catch up in bursts, sleep only when ahead).
  std::vector<std::byte> payload(s.size);
  std::vector<std::vector<std::byte>> batch_buffers(s.batch, std::vector<std::byte>(s.size));
  std::vector<core::message> batch(s.batch);
  const auto started = std::chrono::steady_clock::now();
  const double pps = pace ? pace->packets_per_second(s.size) : 0;
  std::uint64_t total_sent = 0;
  int failure = exit_ok;
  std::optional<mcnet::error> send_error;
  std::size_t active = targets.size();
  std::size_t cursor = 0;
  std::uint64_t burst_left = 0;  // paced: datagrams of the current step still to send
  while (active > 0 && !tools::stop_requested()) {
    const auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (s.duration && elapsed >= *s.duration) break;
    std::uint64_t allowed = std::numeric_limits<std::uint64_t>::max();
    if (pace) {
      if (burst_left == 0) {
        const auto due = static_cast<std::uint64_t>(elapsed * pps) + 1;
        if (total_sent >= due) {
          // Ahead of schedule: sleep to the next datagram, at most 1 ms.
          const double wait = std::min(1e-3, (static_cast<double>(total_sent) + 1 - elapsed * pps) / pps);
          std::this_thread::sleep_for(std::chrono::duration<double>(std::max(wait, 1e-5)));
          continue;
        }
        // A step: what is due (more after a stall), at least --burst back to back.
        burst_left = std::max<std::uint64_t>(due - total_sent, s.burst);
      }
      allowed = burst_left;
    }
    auto& t = targets[cursor];
    cursor = (cursor + 1) % targets.size();
    if (t.done) continue;
    const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(allowed, s.batch));
    std::size_t filled = 0;
    for (; filled < n; ++filled) {
      auto seq = t.order->next();
      if (!seq) {
        t.done = true;
        --active;
        break;
      }
      tools::wire_header h{.flags = 0, .sender_id = sender_id, .session = session, .sequence = *seq,
                           .send_time_ns = realtime_ns(), .length = static_cast<std::uint32_t>(s.size)};
      h.encode(batch_buffers[filled]);
      batch[filled] = core::message{.buffer = batch_buffers[filled], .size = s.size};
    }
    if (filled == 0) continue;
    auto sent = core::write_batch(t.sock, std::span<const core::message>(batch.data(), filled),
                                  core::wait_policy::deadline(std::chrono::seconds(1)));
    if (!sent || *sent < filled) {
      // A short batch hides the error of the first datagram not sent; those
      // sequence numbers are gone, so the run cannot claim it sent everything.
      send_error = sent ? mcnet::error::from_errno(ENOBUFS, "sendmmsg", "batch")
                              .with_number(static_cast<std::int64_t>(filled - *sent))
                              .with_hint("{number} datagrams of a batch were not sent (the socket's send buffer or "
                                         "the device queue was full); lower --rate or --batch")
                        : sent.error();
      failure = exit_setup;
      if (sent) {
        t.sent += *sent;
        t.bytes += *sent * s.size;
        total_sent += *sent;
      }
      break;
    }
    t.sent += *sent;
    t.bytes += *sent * s.size;
    total_sent += *sent;
    if (pace) burst_left -= std::min<std::uint64_t>(burst_left, *sent);
  }
  const auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  // END markers: sequence = how many sequence numbers the run had, 3 times.
  for (auto& t : targets) {
    tools::wire_header end{.flags = tools::wire_header::flag_end, .sender_id = sender_id, .session = session,
                           .sequence = t.order->issued(), .send_time_ns = realtime_ns(),
                           .length = static_cast<std::uint32_t>(tools::wire_header::size)};
    std::array<std::byte, tools::wire_header::size> b{};
    end.encode(b);
    for (int i = 0; i < 3; ++i) {
      (void)core::write_to(t.sock, core::message{.buffer = b, .size = b.size()},
                           core::wait_policy::deadline(std::chrono::milliseconds(100)));
    }
  }

  json groups = json::array();
  for (const auto& t : targets) {
    groups.push_back({{"group", t.group.to_string()}, {"port", t.port}, {"sent", t.sent}, {"bytes", t.bytes},
                      {"elapsed_s", elapsed}, {"rate_pps", elapsed > 0 ? static_cast<double>(t.sent) / elapsed : 0.0}});
    out.line(fmt::format("  {}  sent {}  bytes {}  {:.0f} pps", core::endpoint(t.group, t.port).to_string(), t.sent, t.bytes,
                         elapsed > 0 ? static_cast<double>(t.sent) / elapsed : 0.0));
  }
  out.event({{"event", "summary"}, {"time", tools::now_seconds()}, {"groups", groups},
             {"total", {{"sent", total_sent}, {"bytes", total_sent * s.size}, {"elapsed_s", elapsed},
                        {"rate_pps", elapsed > 0 ? static_cast<double>(total_sent) / elapsed : 0.0}}}});
  out.line(fmt::format("mcast-send: {} datagrams in {:.3f} s", total_sent, elapsed));
  if (send_error) return out.fail(failure, *send_error);
  return failure;
}
