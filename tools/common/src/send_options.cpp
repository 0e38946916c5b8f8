// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <mcnet/tools/send_options.hpp>
#include <mcnet/tools/output.hpp>

#include <cmath>
#include <cstddef>
#include <optional>
#include <random>
#include <string>
#include <string_view>

#include <boost/program_options.hpp>
#include <fmt/format.h>

#include <mcnet/core/datagrams.hpp>
#include <mcnet/core/message.hpp>
#include <mcnet/feed/rtp.hpp>
#include <mcnet/feed/test_header.hpp>

namespace mcnet::tools {

namespace po = boost::program_options;

namespace {

// As typed: signed, so "-1" is refused rather than wrapped by the parser.
struct raw_values {
  std::string tos = "0";
  std::string rate;
  std::int64_t size = 100, burst = 1, count = 0, id = 0, batch = 0, gso = 0, drop = 0, dup = 0, reorder = 0;
  double duration = 0;
  std::string payload = "mcnet", session;
  std::int64_t messages = 1, message_size = 32, rtp_pt = 33, ssrc = 0, pids = 1;
  std::string line_b;
  std::int64_t drop_b = 0, delay_b = 0;
  std::string replay;
  double speed = 1;
};

po::options_description description(send_settings& s, raw_values& raw) {
  po::options_description visible(
      "mcast-send: send numbered datagrams to multicast groups\n\n"
      "usage: mcast-send [options] SPEC... (SPEC: [S,]GROUP[:PORT][%IFACE][+N], or @FILE)\n"
      "       mcast-send --replay FILE [--speed X] [--loop N] [options] [SPEC...]\n\noptions");
  visible.add_options()("help,h", "this help")
      ("version", "print the version and exit")
      ("interface,i", po::value(&s.iface), "interface: name, index, address, prefix or 'kernel' (default: the route)")
      ("ttl", po::value(&s.ttl)->default_value(1), "multicast TTL / hop limit, 0 to 255")
      ("tos", po::value(&raw.tos)->default_value("0"), "TOS / traffic class: 0-255, 0xNN, or DSCP (ef, af11..af43, cs0..cs7, va, le)")
      ("loop", "deliver to listeners on this host too (the kernel's default); --loop N with --replay: send the capture N times")
      ("no-loop", po::bool_switch(&s.no_loop), "do not deliver to listeners on this host")
      ("size,s", po::value(&raw.size)->default_value(100), "UDP payload bytes per datagram, 40 (the header) to 65507; rtp: 12 to 65507")
      ("rate,r", po::value(&raw.rate), "total rate over all groups: N[k|M|G] and pps (datagrams), bps (bits) or Bps (bytes) per second, 0.001pps or 1bps at least (default: as fast as possible)")
      ("burst", po::value(&raw.burst)->default_value(1), "with --rate: datagrams sent back to back per pacing step (1: each on its own time)")
      ("count,c", po::value(&raw.count), "datagrams per group (default: until -d or a signal)")
      ("duration,d", po::value(&raw.duration), "seconds to send, at most 31536000 (365 days)")
      ("id", po::value(&raw.id), "mcnet: sender id in the header, 0 to 4294967295 (default: from the pid and host)")
      ("payload", po::value(&raw.payload)->default_value("mcnet"), "what the datagrams carry: mcnet, moldudp64, rtp or mpegts")
      ("session", po::value(&raw.session), "moldudp64: session name, 1 to 10 printable ASCII characters (default: MCNET and 5 random letters and digits, new each run)")
      ("messages", po::value(&raw.messages)->default_value(1), "moldudp64: messages per packet, 1 to 65534")
      ("message-size", po::value(&raw.message_size)->default_value(32), "moldudp64: bytes per message, 0 to 65535")
      ("rtp-pt", po::value(&raw.rtp_pt)->default_value(33), "rtp: payload type, RFC 3551 static (0, 3-18, 25, 26, 28, 31-34) or 96-127; 33 carries MPEG-TS")
      ("ssrc", po::value(&raw.ssrc), "rtp: SSRC, 0 to 4294967295 (default: random)")
      ("pids", po::value(&raw.pids)->default_value(1), "mpegts, rtp with --rtp-pt 33: PIDs 0x100 onwards the packets cycle over, 1 to 7935")
      ("drop-every", po::value(&raw.drop)->default_value(0), "K >= 2: do not send datagrams m*K-1 (sequence numbers from 0)")
      ("dup-every", po::value(&raw.dup)->default_value(0), "K >= 2: send datagrams m*K-1 twice")
      ("reorder-every", po::value(&raw.reorder)->default_value(0), "K >= 2: send datagram m*K just before m*K-1")
      ("line-b", po::value(&raw.line_b), "also send every datagram (same payload and sequence) to this B line: a group spec with one group per main group, same family")
      ("drop-every-b", po::value(&raw.drop_b)->default_value(0), "with --line-b, K >= 2: the B line does not send m*K-1 (the other faults act on the main line only)")
      ("delay-b", po::value(&raw.delay_b)->default_value(0), "with --line-b: B's copies go out USEC microseconds later, 0 to 10000000")
      ("batch", po::value(&raw.batch)->default_value(32), "at most this many datagrams per sendmmsg call, 1 to 64 (paced: what is due)")
      ("gso", po::value(&raw.gso), "N, 1 to 64: up to N datagrams per sendmmsg entry, cut apart by the kernel (UDP_SEGMENT: one pass through the stack for N datagrams; each keeps its header); at most 65507 bytes per entry")
      ("json", po::bool_switch(&s.json_output), "JSON Lines on stdout (its JSON Schema: see below)")
      ("quiet,q", po::bool_switch(&s.quiet), "no text report on stdout (errors still go to stderr; --json output is still printed)")
      ("replay", po::value(&raw.replay), "send the UDP datagrams to multicast groups of this pcap/pcapng file "
       "(Ethernet, Linux cooked or raw IP); without SPEC each to its captured group and port, with SPECs the "
       "captured groups map to them in order of first appearance")
      ("speed", po::value(&raw.speed)->default_value(1),
       "with --replay: the capture's spacing divided by this, 0.000001 or more (0: as fast as possible)");
  return visible;
}

usage_error usage(std::string message, const send_settings& s) { return {std::move(message), "usage", false, s.json_output}; }

// Given on the command line, not a default.
bool given(const po::variables_map& vm, const char* name) { return vm.count(name) != 0 && !vm[name].defaulted(); }

// "MCNET" and 5 random upper-case letters and digits: 10 characters, the
// most a MoldUDP64 session holds.
std::string default_mold_session() {
  static constexpr std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::random_device rd;
  std::string name = "MCNET";
  for (int i = 0; i < 5; ++i) name += alphabet[rd() % alphabet.size()];
  return name;
}

// The payload options of `raw` into `p` and `s.size`: the first problem, or
// nothing. Options that do not apply to the payload are refused (they would
// be silently ignored otherwise).
std::optional<std::string> payload_problem(const po::variables_map& vm, const raw_values& raw, send_settings& s) {
  auto& p = s.payload;
  const auto kind = payload_by_name(raw.payload);
  if (!kind || *kind == payload_kind::raw) {
    return fmt::format("--payload {}: mcnet, moldudp64, rtp or mpegts", text_name(raw.payload));
  }
  p.kind = *kind;
  if (p.kind == payload_kind::rtp && (raw.rtp_pt < 0 || raw.rtp_pt > 127 || !rtp_clock_hz(static_cast<std::uint8_t>(raw.rtp_pt)))) {
    return fmt::format("--rtp-pt {}: an RFC 3551 static type with a clock (0, 3 to 18, 25, 26, 28, 31 to 34) "
                       "or a dynamic type, 96 to 127",
                       raw.rtp_pt);
  }
  p.rtp_pt = static_cast<std::uint8_t>(p.kind == payload_kind::rtp ? raw.rtp_pt : rtp_mp2t);
  const auto name = payload_name(p.kind);
  // Each option and the payloads it belongs to.
  const bool mold = p.kind == payload_kind::moldudp64, rtp = p.kind == payload_kind::rtp;
  const struct {
    const char* option;
    bool applies;
    const char* where;
  } rules[] = {
      {"id", p.kind == payload_kind::mcnet, "--payload mcnet (the MCN1 header's sender id)"},
      {"size", p.kind == payload_kind::mcnet || (rtp && !p.carries_mpegts()),
       rtp ? "--payload rtp with a payload type other than 33 (33 carries 7 transport packets: 1328 bytes)"
           : "--payload mcnet or rtp (the other payloads' size follows from their options)"},
      {"session", mold, "--payload moldudp64"},
      {"messages", mold, "--payload moldudp64"},
      {"message-size", mold, "--payload moldudp64"},
      {"rtp-pt", rtp, "--payload rtp"},
      {"ssrc", rtp, "--payload rtp"},
      {"pids", p.carries_mpegts(), "--payload mpegts, or rtp with --rtp-pt 33"},
  };
  for (const auto& r : rules) {
    if (given(vm, r.option) && !r.applies) {
      return fmt::format("--{}: only with {}; the payload is {}", r.option, r.where, name);
    }
  }
  if (mold) {
    // A session name of its own for each run: with one fixed name a
    // restarted sender's messages read as the last run's again (trial t20r
    // F7: 600 duplicate messages).
    const std::string session_name = given(vm, "session") ? raw.session : default_mold_session();
    auto session = feed::moldudp64::session_id::make(session_name);
    if (session_name.empty() || !session) {
      return fmt::format("--session \"{}\": 1 to 10 printable ASCII characters (0x20 to 0x7E)", text_name(session_name));
    }
    p.session = *session;
    if (raw.messages < 1 || raw.messages > feed::moldudp64::max_messages) {
      return fmt::format("--messages {}: 1 to {} messages per packet", raw.messages, feed::moldudp64::max_messages);
    }
    if (raw.message_size < 0 || raw.message_size > 65535) {
      return fmt::format("--message-size {}: 0 to 65535 bytes", raw.message_size);
    }
    const auto bytes = feed::moldudp64::header_size + static_cast<std::size_t>(raw.messages) *
                       (feed::moldudp64::block_header_size + static_cast<std::size_t>(raw.message_size));
    if (bytes > 65507) {
      return fmt::format("--messages {} of --message-size {}: a packet of {} bytes, more than a UDP datagram's 65507",
                         raw.messages, raw.message_size, bytes);
    }
    p.messages = static_cast<std::size_t>(raw.messages);
    p.message_size = static_cast<std::size_t>(raw.message_size);
    s.size = bytes;
  }
  if (given(vm, "ssrc")) {
    if (raw.ssrc < 0 || raw.ssrc > 0xffffffffLL) return fmt::format("--ssrc {}: 0 to 4294967295", raw.ssrc);
    p.ssrc = static_cast<std::uint32_t>(raw.ssrc);
  }
  if (p.carries_mpegts()) {
    if (raw.pids < 1 || raw.pids > static_cast<std::int64_t>(max_pids)) {
      return fmt::format("--pids {}: 1 to {} (PIDs 0x100 to 0x1ffe)", raw.pids, max_pids);
    }
    p.pids = static_cast<std::size_t>(raw.pids);
    s.size = mpegts_datagram_size + (rtp ? feed::rtp::fixed_header_size : 0);
  }
  const auto minimum = rtp ? feed::rtp::fixed_header_size : feed::test_header::size;
  if ((p.kind == payload_kind::mcnet || (rtp && !p.carries_mpegts())) &&
      (raw.size < static_cast<std::int64_t>(minimum) || raw.size > 65507)) {
    return rtp ? fmt::format("--size {}: 12 (the RTP header) to 65507 bytes", raw.size)
               : fmt::format("--size {}: 40 (the header) to 65507 bytes", raw.size);
  }
  if (p.kind == payload_kind::mcnet || (rtp && !p.carries_mpegts())) s.size = static_cast<std::size_t>(raw.size);
  return std::nullopt;
}

// The description bound to throwaway settings: for --help and the option names.
struct unbound {
  send_settings s;
  raw_values raw;
  po::options_description visible = description(s, raw);
};

}  // namespace

std::vector<std::string> send_option_names() { return long_names(unbound{}.visible); }

std::string send_help() {
  return help_text("mcast-send", unbound{}.visible,
                   "\nSPEC: GROUP, or S,GROUP to send from source address S; +N sends to N consecutive groups.\n"
                   "--payload mcnet: every datagram starts with the 40-byte MCN1 header (sender id, session,\n"
                   "sequence, send time); after the run 3 END markers per group let receivers count the tail.\n"
                   "moldudp64: packets of --messages messages numbered from 1; after the run 3 end-of-session\n"
                   "packets. rtp: RFC 3550, random start sequence and timestamp, timestamp at the payload type's\n"
                   "clock; no end marker. mpegts: 7 transport packets of 188 bytes per datagram, PIDs cycling,\n"
                   "continuity counters per PID; no end marker.\n"
                   "-c and the faults count datagrams: a dropped one loses its messages (moldudp64), skips its\n"
                   "sequence number (rtp), makes its PIDs' continuity counters jump (mpegts).\n"
                   "--line-b SPEC: every datagram goes to the B line too, built alongside the main line's (same\n"
                   "sequence, messages, continuity counters; the MCN1 send time and RTP timestamp are read when\n"
                   "B's copy is built). The main line's faults act on it only; --drop-every-b drops on B only;\n"
                   "--delay-b holds B's copies in a queue of at most 1048576 datagrams (and 256 MiB): when it\n"
                   "is full the oldest goes out early, counted as \"early\" in the summary. mcast-send warns when\n"
                   "they will, and when B trails A by more than the 65536 sequence numbers mcast-recv --line\n"
                   "merges within. Rates are over the main line's run; a B line's drain is said apart.\n"
                   "The send phase ends one pacing interval after the last datagram, at most 1 s after it; the END\n"
                   "markers follow. A signal before the end -c, -d or --replay asked for is said (an \"interrupted\"\n"
                   "warning: sent N of M datagrams), the END markers still go for what was sent.\n"
                   "\nexit codes: 0 sent everything asked for, 1 usage or bad input,\n"
                   "2 a signal ended a -c, -d or --replay run before its end, 4 socket set-up or send failed\n");
}

namespace {

// `--loop N` / `--loop=N` (N digits, or a negative number to refuse) taken
// out of `args` into `count`; `--loop` alone stays the switch.
std::vector<std::string> take_loop_count(const std::vector<std::string>& args, std::optional<std::string>& count) {
  auto number = [](const std::string& t) {
    const auto digits = t.substr(!t.empty() && t[0] == '-' ? 1 : 0);
    return !digits.empty() && digits.find_first_not_of("0123456789") == std::string::npos;
  };
  std::vector<std::string> out;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--") {
      out.insert(out.end(), args.begin() + static_cast<std::ptrdiff_t>(i), args.end());
      break;
    }
    if (args[i] == "--loop" && i + 1 < args.size() && number(args[i + 1])) {
      count = args[++i];
    } else if (args[i].starts_with("--loop=") && number(args[i].substr(7))) {
      count = args[i].substr(7);
    } else {
      out.push_back(args[i]);
    }
  }
  return out;
}

// --replay's rules: the first problem, or nothing.
std::optional<std::string> replay_problem(const po::variables_map& vm, const raw_values& raw,
                                          const std::optional<std::string>& loop_count, send_settings& s) {
  if (!vm.count("replay")) {
    if (loop_count) {
      return fmt::format("--loop {}: a count only with --replay (--loop alone: multicast loopback)", *loop_count);
    }
    if (given(vm, "speed")) return "--speed: only with --replay";
    return std::nullopt;
  }
  if (raw.replay.empty()) return "--replay: a capture file name";
  // libpcap reads "-" as stdin: the file is read twice, checked through
  // first and then sent, so stdin cannot be (trial t16x M6: a pipe read
  // "23 datagrams", sent none, "truncated dump file", exit 4).
  if (raw.replay == "-") {
    return "--replay -: not stdin: the capture is read twice (checked through first, then sent), so name its file";
  }
  if (!std::isfinite(raw.speed) || raw.speed < 0) {
    return fmt::format("--speed {}: a finite number, 0 (as fast as possible) or more", raw.speed);
  }
  if (raw.speed > 0 && raw.speed < min_speed) {
    return fmt::format("--speed {}: at least {:f} (a second of capture then takes 11.6 days), or 0 for as fast "
                       "as possible",
                       raw.speed, min_speed);
  }
  if (loop_count) {
    const bool negative = (*loop_count)[0] == '-';
    std::uint64_t n = 0;
    const auto digits = loop_count->substr(negative ? 1 : 0);
    const bool fits = digits.size() <= 9 && !negative;
    if (fits) n = std::stoull(digits);
    if (!fits || n < 1 || n > 1'000'000) {
      return fmt::format("--loop {}: times to send the capture, 1 to 1000000", *loop_count);
    }
    s.loops = n;
  }
  for (const char* o : {"gso", "line-b", "drop-every-b", "delay-b", "payload", "size", "rate", "burst", "count", "id",
                        "session", "messages", "message-size", "rtp-pt", "ssrc", "pids", "drop-every", "dup-every",
                        "reorder-every"}) {
    if (given(vm, o)) {
      return fmt::format("--{}: not with --replay (the capture gives the datagrams and their times)", o);
    }
  }
  s.replay = raw.replay;
  s.speed = raw.speed;
  return std::nullopt;
}

}  // namespace

tl::expected<send_command, usage_error> parse_send_command_line(const std::vector<std::string>& all_args) {
  send_command c;
  auto& s = c.settings;
  raw_values raw;
  const auto visible = description(s, raw);
  std::optional<std::string> loop_count;
  const auto args = take_loop_count(all_args, loop_count);
  auto parsed = parse_command_line(args, visible, s.specs);
  if (!parsed) return tl::unexpected(parsed.error());
  const auto& vm = *parsed;
  c.action = requested_action(vm);
  if (c.action != cli_action::run) return c;
  auto bad = [&s](std::string message) { return tl::unexpected(usage(std::move(message), s)); };
  // An empty value first, said alike for every option (trial t16x L1:
  // "--tos : not a number", "--replay: a capture file name").
  if (auto empty = empty_value(vm, visible)) return bad(std::move(*empty));
  if (vm.count("loop") && s.no_loop) return bad("--loop and --no-loop exclude each other");
  if (auto problem = replay_problem(vm, raw, loop_count, s)) return bad(std::move(*problem));
  if (auto problem = payload_problem(vm, raw, s)) return bad(std::move(*problem));
  if (s.ttl < 0 || s.ttl > 255) return bad(fmt::format("--ttl {}: 0 to 255", s.ttl));
  if (raw.burst < 1 || raw.burst > 1'000'000) return bad(fmt::format("--burst {}: 1 to 1000000 datagrams", raw.burst));
  if (vm.count("count") && raw.count < 1) return bad(fmt::format("--count {}: at least 1", raw.count));
  if (vm.count("id") && (raw.id < 0 || raw.id > 0xffffffffLL)) return bad(fmt::format("--id {}: 0 to 4294967295", raw.id));
  for (const auto& [name, k] : {std::pair{"--drop-every", raw.drop}, {"--dup-every", raw.dup}, {"--reorder-every", raw.reorder}}) {
    if (k != 0 && k < 2) return bad(fmt::format("{} {}: 0 (off) or at least 2", name, k));
  }
  if (!vm.count("line-b")) {
    for (const char* name : {"drop-every-b", "delay-b"}) {
      if (given(vm, name)) return bad(fmt::format("--{}: only with --line-b", name));
    }
  } else if (raw.line_b.empty()) {
    return bad("--line-b \"\": a group spec");
  }
  if (raw.drop_b != 0 && raw.drop_b < 2) return bad(fmt::format("--drop-every-b {}: 0 (off) or at least 2", raw.drop_b));
  if (raw.delay_b < 0 || raw.delay_b > static_cast<std::int64_t>(max_delay_b_us)) {
    return bad(fmt::format("--delay-b {}: 0 to {} microseconds", raw.delay_b, max_delay_b_us));
  }
  if (vm.count("line-b")) s.line_b = raw.line_b;
  s.drop_every_b = static_cast<std::uint64_t>(raw.drop_b);
  s.delay_b_us = static_cast<std::uint64_t>(raw.delay_b);
  if (vm.count("batch") && (raw.batch < 1 || raw.batch > static_cast<std::int64_t>(core::batch_limit))) {
    return bad(fmt::format("--batch {}: 1 to {}", raw.batch, core::batch_limit));
  }
  if (vm.count("gso")) {
    if (raw.gso < 1 || raw.gso > static_cast<std::int64_t>(core::udp_max_segments_portable)) {
      return bad(fmt::format("--gso {}: 1 to {} datagrams per buffer", raw.gso, core::udp_max_segments_portable));
    }
    if (static_cast<std::uint64_t>(raw.gso) * s.size > core::max_udp_payload_v4) {
      return bad(fmt::format("--gso {} with {}-byte datagrams: {} bytes per buffer, more than the 65507 of one UDP "
                             "send; --gso {} at most",
                             raw.gso, s.size, static_cast<std::uint64_t>(raw.gso) * s.size,
                             core::max_udp_payload_v4 / s.size));
    }
    s.gso = static_cast<std::size_t>(raw.gso);
  }
  if (vm.count("duration")) s.duration = raw.duration;
  // At most max_seconds: 1e20 s overflowed the nanoseconds of the wait for the
  // end markers (trial h16r 4). Quoted as typed.
  if (s.duration && !(std::isfinite(*s.duration) && *s.duration > 0 && *s.duration <= max_seconds)) {
    return bad(fmt::format("--duration {}: seconds, more than 0 and at most {}",
                           shown_number(given_numbers(vm), "duration", *s.duration), max_seconds_text));
  }
  s.burst = static_cast<std::size_t>(raw.burst);
  if (vm.count("count")) s.count = static_cast<std::uint64_t>(raw.count);
  if (vm.count("id")) s.id = static_cast<std::uint32_t>(raw.id);
  s.faults = {static_cast<std::uint64_t>(raw.drop), static_cast<std::uint64_t>(raw.dup),
              static_cast<std::uint64_t>(raw.reorder)};
  s.batch = vm.count("batch") ? static_cast<std::size_t>(raw.batch) : 32;
  if (s.specs.empty() && !s.replay) return bad("no group given (see --help)");
  auto tos = parse_tos(raw.tos);
  // "--tos ef1: unknown DSCP name: ...", not the code's "value out of range"
  // for what is no number at all (trial20o L8).
  if (!tos) {
    return tl::unexpected(usage_error{fmt::format("--tos {}: {}", text_name(raw.tos), tos.error().hint()),
                                      code_name(tos.error()), false, s.json_output});
  }
  s.tos = *tos;
  if (!raw.rate.empty()) {
    auto r = parse_rate(raw.rate);
    if (!r) return tl::unexpected(usage_error{error_text(r.error()), code_name(r.error()), false, s.json_output});
    s.pace = *r;
  }
  if (auto empty = empty_value(vm, visible)) return bad(std::move(*empty));
  return c;
}

}  // namespace mcnet::tools
