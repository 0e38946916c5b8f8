// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <mcnet/tools/send_options.hpp>

#include <cmath>

#include <boost/program_options.hpp>
#include <fmt/format.h>

#include <mcnet/core/message.hpp>
#include <mcnet/feed/test_header.hpp>

namespace mcnet::tools {

namespace po = boost::program_options;

namespace {

// As typed: signed, so "-1" is refused rather than wrapped by the parser.
struct raw_values {
  std::string tos = "0";
  std::string rate;
  std::int64_t size = 100, burst = 1, count = 0, id = 0, batch = 0, drop = 0, dup = 0, reorder = 0;
  double duration = 0;
};

po::options_description description(send_settings& s, raw_values& raw) {
  po::options_description visible(
      "mcast-send: send numbered datagrams to multicast groups\n\n"
      "usage: mcast-send [options] SPEC... (SPEC: [S,]GROUP[:PORT][%IFACE][+N], or @FILE)\n\noptions");
  visible.add_options()("help,h", "this help")
      ("version", "print the version and exit")
      ("interface,i", po::value(&s.iface), "interface: name, index, address, prefix or 'kernel' (default: the route)")
      ("ttl", po::value(&s.ttl)->default_value(1), "multicast TTL / hop limit, 0 to 255")
      ("tos", po::value(&raw.tos)->default_value("0"), "TOS / traffic class: 0-255, 0xNN, or DSCP (ef, af11..af43, cs0..cs7)")
      ("loop", "deliver to listeners on this host too (the kernel's default)")
      ("no-loop", po::bool_switch(&s.no_loop), "do not deliver to listeners on this host")
      ("size,s", po::value(&raw.size)->default_value(100), "UDP payload bytes per datagram, 40 (the header) to 65507")
      ("rate,r", po::value(&raw.rate), "total rate over all groups: Npps or N[k|m|g]bps (default: as fast as possible)")
      ("burst", po::value(&raw.burst)->default_value(1), "with --rate: datagrams sent back to back per pacing step (1: each on its own time)")
      ("count,c", po::value(&raw.count), "datagrams per group (default: until -d or a signal)")
      ("duration,d", po::value(&raw.duration), "seconds to send")
      ("id", po::value(&raw.id), "sender id in the header, 0 to 4294967295 (default: from the pid and host)")
      ("drop-every", po::value(&raw.drop)->default_value(0), "K >= 2: do not send sequence numbers m*K-1")
      ("dup-every", po::value(&raw.dup)->default_value(0), "K >= 2: send sequence numbers m*K-1 twice")
      ("reorder-every", po::value(&raw.reorder)->default_value(0), "K >= 2: send m*K just before m*K-1")
      ("batch", po::value(&raw.batch)->default_value(32), "at most this many datagrams per sendmmsg call, 1 to 64 (paced: what is due)")
      ("json", po::bool_switch(&s.json_output), "JSON Lines on stdout (docs/tools.md, docs/mcast-tools.schema.json)")
      ("quiet,q", po::bool_switch(&s.quiet), "no report on stdout (errors still go to stderr)");
  return visible;
}

usage_error usage(std::string message, const send_settings& s) { return {std::move(message), "usage", false, s.json_output}; }

// The description bound to throwaway settings: for --help and the option names.
struct unbound {
  send_settings s;
  raw_values raw;
  po::options_description visible = description(s, raw);
};

}  // namespace

std::vector<std::string> send_option_names() { return long_names(unbound{}.visible); }

std::string send_help() {
  return help_text(unbound{}.visible,
                   "\nSPEC: GROUP, or S,GROUP to send from source address S; +N sends to N consecutive groups.\n"
                   "Every datagram starts with the 40-byte MCN1 header (sender id, session, sequence, send time);\n"
                   "after the run 3 END markers per group let receivers count the tail.\n"
                   "\nexit codes: 0 sent everything, 1 usage or bad input, 4 socket set-up or send failed\n");
}

tl::expected<send_command, usage_error> parse_send_command_line(const std::vector<std::string>& args) {
  send_command c;
  auto& s = c.settings;
  raw_values raw;
  const auto visible = description(s, raw);
  auto parsed = parse_command_line(args, visible, s.specs);
  if (!parsed) return tl::unexpected(parsed.error());
  const auto& vm = *parsed;
  c.action = requested_action(vm);
  if (c.action != cli_action::run) return c;
  auto bad = [&s](std::string message) { return tl::unexpected(usage(std::move(message), s)); };
  if (vm.count("loop") && s.no_loop) return bad("--loop and --no-loop exclude each other");
  if (raw.size < static_cast<std::int64_t>(feed::test_header::size) || raw.size > 65507) {
    return bad(fmt::format("--size {}: 40 (the header) to 65507 bytes", raw.size));
  }
  if (s.ttl < 0 || s.ttl > 255) return bad(fmt::format("--ttl {}: 0 to 255", s.ttl));
  if (raw.burst < 1 || raw.burst > 1'000'000) return bad(fmt::format("--burst {}: 1 to 1000000 datagrams", raw.burst));
  if (vm.count("count") && raw.count < 1) return bad(fmt::format("--count {}: at least 1", raw.count));
  if (vm.count("id") && (raw.id < 0 || raw.id > 0xffffffffLL)) return bad(fmt::format("--id {}: 0 to 4294967295", raw.id));
  for (const auto& [name, k] : {std::pair{"--drop-every", raw.drop}, {"--dup-every", raw.dup}, {"--reorder-every", raw.reorder}}) {
    if (k != 0 && k < 2) return bad(fmt::format("{} {}: 0 (off) or at least 2", name, k));
  }
  if (vm.count("batch") && (raw.batch < 1 || raw.batch > static_cast<std::int64_t>(core::batch_limit))) {
    return bad(fmt::format("--batch {}: 1 to {}", raw.batch, core::batch_limit));
  }
  if (vm.count("duration")) s.duration = raw.duration;
  if (s.duration && !(std::isfinite(*s.duration) && *s.duration > 0)) {
    return bad(fmt::format("--duration {}: seconds, more than 0", *s.duration));
  }
  s.size = static_cast<std::size_t>(raw.size);
  s.burst = static_cast<std::size_t>(raw.burst);
  if (vm.count("count")) s.count = static_cast<std::uint64_t>(raw.count);
  if (vm.count("id")) s.id = static_cast<std::uint32_t>(raw.id);
  s.faults = {static_cast<std::uint64_t>(raw.drop), static_cast<std::uint64_t>(raw.dup),
              static_cast<std::uint64_t>(raw.reorder)};
  s.batch = vm.count("batch") ? static_cast<std::size_t>(raw.batch) : 32;
  if (s.specs.empty()) return bad("no group given (see --help)");
  auto tos = parse_tos(raw.tos);
  if (!tos) return tl::unexpected(usage_error{tos.error().message(), code_name(tos.error()), false, s.json_output});
  s.tos = *tos;
  if (!raw.rate.empty()) {
    auto r = parse_rate(raw.rate);
    if (!r) return tl::unexpected(usage_error{r.error().message(), code_name(r.error()), false, s.json_output});
    s.pace = *r;
  }
  return c;
}

}  // namespace mcnet::tools
