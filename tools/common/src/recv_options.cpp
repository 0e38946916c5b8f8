// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <mcnet/tools/recv_options.hpp>
#include <mcnet/tools/output.hpp>

#include <sys/stat.h>

#include <charconv>
#include <cmath>
#include <filesystem>
#include <limits>
#include <system_error>

#include <fmt/format.h>

#include <mcnet/core/message.hpp>
#include <mcnet/features.hpp>
#include <mcnet/tools/metrics.hpp>
#include <mcnet/tools/stream_table.hpp>

namespace mcnet::tools {

namespace po = boost::program_options;

namespace {

// What the parser writes before validation: the optional values as typed.
struct raw_values {
  std::int64_t count = 0;
  double duration = 0, timeout = 0, max_loss = 0;
  std::string payload = "auto";
  std::vector<std::string> rtp_clock;
  std::string metrics_file;
  std::vector<std::string> lines;
  std::string pcap;
  std::int64_t pcap_rotate = 0;
};

// --rtp-clock's values (trial t20u F2): HZ for every payload type, PT=HZ for
// one, comma-separated, each given once; HZ 1 to 4294967295, PT 0 to 127.
tl::expected<rtp_clock_map, std::string> parse_rtp_clocks(const std::vector<std::string>& values) {
  rtp_clock_map clocks;
  const auto hz_of = [](std::string_view text) -> std::optional<std::uint32_t> {
    std::uint64_t v = 0;
    const auto* end = text.data() + text.size();
    const auto [p, ec] = std::from_chars(text.data(), end, v);
    if (text.empty() || ec != std::errc{} || p != end || v < 1 || v > std::numeric_limits<std::uint32_t>::max()) {
      return std::nullopt;
    }
    return static_cast<std::uint32_t>(v);
  };
  for (const auto& value : values) {
    std::string_view rest = value;
    do {
      const auto comma = rest.find(',');
      const auto item = rest.substr(0, comma);
      rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
      if (item.empty()) return tl::unexpected(fmt::format("--rtp-clock {}: HZ or PT=HZ, comma-separated", value));
      const auto eq = item.find('=');
      const auto hz = hz_of(eq == std::string_view::npos ? item : item.substr(eq + 1));
      if (eq == std::string_view::npos) {
        if (!hz) return tl::unexpected(fmt::format("--rtp-clock {}: Hz, 1 to 4294967295", item));
        if (clocks.all) {
          return tl::unexpected(fmt::format("--rtp-clock {}: the clock of every payload type is given twice", item));
        }
        clocks.all = *hz;
        continue;
      }
      const auto pt_text = item.substr(0, eq);
      unsigned pt = 0;
      const auto [p, ec] = std::from_chars(pt_text.data(), pt_text.data() + pt_text.size(), pt);
      if (pt_text.empty() || ec != std::errc{} || p != pt_text.data() + pt_text.size() || pt > 127) {
        return tl::unexpected(fmt::format("--rtp-clock {}: a payload type is 0 to 127", item));
      }
      if (!hz) return tl::unexpected(fmt::format("--rtp-clock {}: Hz, 1 to 4294967295", item));
      if (clocks.by_type[pt] != 0) {
        return tl::unexpected(fmt::format("--rtp-clock {}: payload type {} is given twice", item, pt));
      }
      clocks.by_type[pt] = *hz;
    } while (!rest.empty());
    if (value.ends_with(',')) return tl::unexpected(fmt::format("--rtp-clock {}: HZ or PT=HZ, comma-separated", value));
  }
  return clocks;
}

po::options_description description(recv_settings& s, raw_values& raw) {
  // The figure the memory bound counts a stream at (stream_table::bytes_per_stream), in kB.
  const std::string max_streams_help = fmt::format(
      "streams kept (each counted at ~{} KB in the bound of half the memory this process may use: the least of "
      "MemAvailable, RLIMIT_AS's and its cgroup's room); datagrams of further "
      "streams are only counted as untracked; a whole number 1 to 10000000",
      (stream_table::bytes_per_stream + 500) / 1000);
  po::options_description visible(
      "mcast-recv: join multicast groups and report what arrives, per sender\n\n"
      "usage: mcast-recv [options] SPEC...   (SPEC: [!][S,]GROUP[:PORT][%IFACE][+N], or @FILE)\n"
      "       mcast-recv --interfaces [--json]\n"
      "       mcast-recv doctor SPEC... [-i IFACE] [--listen SEC] [--json]   (why nothing arrives: doctor --help)\n"
      "\noptions");
  visible.add_options()("help,h", "this help")
      ("version", "print the version and exit")
      ("interface,i", po::value(&s.iface), "interface: name, index, address, prefix or 'kernel' (default: the route)")
      ("ipv4,4", po::bool_switch(&s.only4), "IPv4 groups only")
      ("ipv6,6", po::bool_switch(&s.only6), "IPv6 groups only")
      ("json", po::bool_switch(&s.json_output), "JSON Lines on stdout (its JSON Schema: see below)")
      ("csv", po::bool_switch(&s.csv), "CSV on stdout: a header, then a row per stream per report")
      ("quiet,q", po::bool_switch(&s.quiet), "no text report on stdout (errors still go to stderr; --json and --csv output is still printed)")
      ("interval", po::value(&s.interval)->default_value(0),
       "seconds between reports of deltas, 0.01 to 31536000 (365 days) (0: summary only)")
      ("count,c", po::value(&raw.count), "stop after this many datagrams in total (END markers not counted)")
      ("duration,d", po::value(&raw.duration), "seconds to run, at most 31536000 (365 days)")
      ("timeout", po::value(&raw.timeout),
       "stop with exit 2 when no datagram has arrived this many seconds after the joins; once one has, it no "
       "longer ends the run (not a silence timeout). With --timeout, a run that -d or a signal ends before anything "
       "arrived exits 2 as well; at most 31536000 (365 days)")
      ("max-loss", po::value(&raw.max_loss), "exit 3 when lost / (packets + lost) exceeds this percentage")
      ("rcvbuf", po::value(&s.rcvbuf),
       "receive buffer bytes per socket, 0 for the kernel's default (default: the most net.core.rmem_max allows, "
       "up to 8 MiB; asked vs granted printed)")
      ("force", po::bool_switch(&s.force), "with --rcvbuf: SO_RCVBUFFORCE past net.core.rmem_max (CAP_NET_ADMIN)")
      ("timestamp", po::value(&s.timestamp)->default_value("sw"), "kernel receive timestamps: sw or none")
      ("batch", po::value(&s.batch)->default_value(32), "datagrams per recvmmsg call, 1 to 64")
      ("busy-poll", po::value(&s.busy_poll)->default_value(0), "SO_BUSY_POLL microseconds, a whole number 0 to 2147483647 (0: off)")
      ("coalesce", po::value(&s.coalesce)->default_value(recv_settings::default_coalesce_us),
       "receive coalescing: when reads find only a few datagrams each at a high rate, sleep up to this many "
       "microseconds between them so that a read takes a batch (arrival times are the kernel's, unchanged); "
       "a whole number 0 to 100000 (0: off; off by default with --busy-poll)")
      ("io-uring", po::bool_switch(&s.io_uring),
       "read with io_uring (multishot recvmsg into 256 provided buffers, Linux 6.0) instead of recvmmsg: the same "
       "counts and metadata; refused (exit 1) by a build without liburing")
      ("show-packets", po::bool_switch(&s.show_packets), "one line (or JSON packet event) per datagram")
      ("max-streams", po::value(&s.max_streams)->default_value(s.max_streams), max_streams_help.c_str())
      ("payload", po::value(&raw.payload)->default_value("auto"),
       "what the datagrams carry: auto (classify each stream), mcnet, moldudp64, rtp, mpegts or raw")
      ("rtp-clock", po::value(&raw.rtp_clock)->composing(),
       "RTP timestamp clock for jitter, HZ for every payload type or PT=HZ for one (as an SDP rtpmap), "
       "comma-separated or given again: 96=90000,97=48000 (default: by payload type, 90000 assumed for 96-127); "
       "checked against the timestamps, a contradicted clock is warned of")
      ("interfaces", po::bool_switch(&s.interfaces), "list interfaces, addresses and joined groups, then exit")
      ("metrics-file", po::value(&raw.metrics_file),
       "file for Prometheus metrics (text format, for node_exporter's textfile collector), replaced "
       "atomically every --interval seconds (10 when 0) and at exit")
      ("line", po::value(&raw.lines)->composing(),
       "NAME=SPEC, 2 to 4 times: lines carrying one feed (A/B), merged by sequence number (mcnet, moldudp64, rtp)")
      ("pcap", po::value(&raw.pcap),
       "write every datagram taken to this pcap file (IP+UDP frames, nanosecond kernel receive times)")
      ("pcap-rotate", po::value(&raw.pcap_rotate),
       "with --pcap: start FILE.1, FILE.2, ... when a file passes this many MB, a whole number 1 to 1000000 "
       "(1 MB = 1000000 bytes)");
  return visible;
}

// Values the option parser accepts but the tool does not: the message naming the option.
std::optional<std::string> check(const recv_settings& s) {
  // Seconds: more than 0, at most max_seconds (1e20 s overflowed the deadline's nanoseconds).
  auto positive = [](double v) { return std::isfinite(v) && v > 0 && v <= max_seconds; };
  if (s.only4 && s.only6) return "-4 and -6 exclude each other";
  if (s.json_output && s.csv) return "--json and --csv exclude each other";
  // Below 10 ms the reports would be the run's main output and cost (each
  // one walks every stream); 0 turns them off.
  // Numbers quoted as typed ("--max-loss 1e308", not "1e+308").
  const auto shown = [&s](std::string_view name, double v) { return shown_number(s.given, name, v); };
  if (!std::isfinite(s.interval) || s.interval < 0 || (s.interval > 0 && s.interval < min_interval_s) ||
      s.interval > max_seconds) {
    return fmt::format("--interval {}: seconds, 0 (summary only) or {} to {}", shown("interval", s.interval),
                       min_interval_s, max_seconds_text);
  }
  if (s.count && *s.count < 1) return fmt::format("--count {}: at least 1", *s.count);
  if (s.duration && !positive(*s.duration)) {
    return fmt::format("--duration {}: seconds, more than 0 and at most {}", shown("duration", *s.duration),
                       max_seconds_text);
  }
  if (s.timeout && !positive(*s.timeout)) {
    return fmt::format("--timeout {}: seconds, more than 0 and at most {}", shown("timeout", *s.timeout),
                       max_seconds_text);
  }
  if (s.max_loss && !(*s.max_loss >= 0 && *s.max_loss <= 100)) {
    return fmt::format("--max-loss {}: a percentage, 0 to 100", shown("max-loss", *s.max_loss));
  }
  if (auto problem = rcvbuf_problem(s.rcvbuf)) return problem;
  if (s.force && s.rcvbuf == 0) return "--force needs --rcvbuf";
  if (s.timestamp != "sw" && s.timestamp != "none") return "--timestamp " + s.timestamp + ": sw or none";
  if (s.batch < 1 || s.batch > static_cast<std::int64_t>(core::batch_limit)) {
    return fmt::format("--batch {}: 1 to {}", s.batch, core::batch_limit);
  }
  if (s.busy_poll < 0 || s.busy_poll > std::numeric_limits<int>::max()) {
    return fmt::format("--busy-poll {}: microseconds, 0 to {}", s.busy_poll, std::numeric_limits<int>::max());
  }
  if (s.coalesce < 0 || s.coalesce > recv_settings::max_coalesce_us) {
    return fmt::format("--coalesce {}: microseconds, 0 to {}", s.coalesce, recv_settings::max_coalesce_us);
  }
  if (s.io_uring && !MCNET_HAS_IO_URING) {
    return "--io-uring: this mcast-recv was built without liburing, so it cannot read with io_uring (install "
           "liburing-dev and build again); without --io-uring it reads with recvmmsg";
  }
  if (s.max_streams < 1 || s.max_streams > 10'000'000) return fmt::format("--max-streams {}: 1 to 10000000", s.max_streams);
  if (s.interfaces && !s.specs.empty()) return "--interfaces takes no group specs";
  if (!s.interfaces && s.specs.empty()) return "no group given (see --help)";
  if (s.metrics_file && s.interfaces) return "--metrics-file has nothing to write with --interfaces";
  if (s.metrics_file) return check_metrics_path(*s.metrics_file);
  return std::nullopt;
}

// Whether the metrics file is the capture or one of its rotated files
// (FILE.N): writing both to one file would leave neither readable. Compared
// by resolved path, and by inode when the metrics file exists (a hard link).
bool metrics_overwrites_capture(const std::string& pcap, const std::string& metrics) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const auto resolve = [&ec](const std::string& p) { return fs::weakly_canonical(fs::absolute(p, ec), ec); };
  const auto capture = resolve(pcap).string();
  const auto m = resolve(metrics).string();
  if (m == capture) return true;
  // Rotated files are FILE.1, FILE.2, ...: digits without a leading zero.
  if (m.size() > capture.size() + 1 && m.starts_with(capture + ".") && m[capture.size() + 1] != '0' &&
      m.find_first_not_of("0123456789", capture.size() + 1) == std::string::npos) {
    return true;
  }
  struct stat a {}, b {};
  return ::stat(pcap.c_str(), &a) == 0 && ::stat(metrics.c_str(), &b) == 0 && a.st_dev == b.st_dev &&
         a.st_ino == b.st_ino;
}

// The description bound to throwaway settings: for --help and the option names.
struct unbound {
  recv_settings s;
  raw_values raw;
  po::options_description visible = description(s, raw);
};

}  // namespace

std::optional<std::string> rcvbuf_problem(std::int64_t bytes) {
  if (bytes >= 0 && bytes <= std::numeric_limits<int>::max() / 2) return std::nullopt;
  return fmt::format("--rcvbuf {}: bytes, 0 (the kernel's default) to {}", bytes, std::numeric_limits<int>::max() / 2);
}

std::vector<std::string> recv_option_names() { return long_names(unbound{}.visible); }

std::string recv_help() {
  return help_text("mcast-recv", unbound{}.visible,
                   "\nSPEC: GROUP any source; S,GROUP only from S; !S,GROUP all but S. Several specs add sources.\n"
                   "Sockets: one per port and family, more past net.ipv4.igmp_max_memberships and the\n"
                   "igmp_max_msf / mld_max_msf source limits (read from the kernel at start).\n"
                   "--line NAME=SPEC (2 to 4): each datagram belongs to the line of its group and port; the lines\n"
                   "are merged by sequence number, first copy wins; the summary and interval events get \"lines\"\n"
                   "(per line: packets, gaps, first_share; merged: delivered, lost on every line, duplicates\n"
                   "dropped, skew between the lines' copies). MPEG-TS and raw datagrams are not merged.\n"
                   "\nexit codes: 0 ok, 1 usage or bad input, 2 --timeout given and nothing arrived,\n"
                   "3 loss above --max-loss, or --max-loss could not be checked (loss_unknown: datagrams without a\n"
                   "sequence number, untracked, END markers of senders none of whose data came,\n"
                   "unresumed streams, streams whose numbers came from more than one sender,\n"
                   "or mcnet/MoldUDP64 streams stalled at the end without an END marker), 4 a join or socket set-up failed (precedence 1, 4, 2, 3)\n");
}

tl::expected<recv_command, usage_error> parse_recv_command_line(const std::vector<std::string>& args) {
  recv_command c;
  auto& s = c.settings;
  raw_values raw;
  const auto visible = description(s, raw);
  auto vm = parse_command_line(args, visible, s.specs);
  if (!vm) return tl::unexpected(vm.error());
  c.action = requested_action(*vm);
  if (c.action != cli_action::run) return c;
  // An empty value first, said alike for every option (trial t16x L1:
  // "--pcap: a file name", "--payload: ..." each in its own words).
  if (auto empty = empty_value(*vm, visible)) return tl::unexpected(usage_error{*empty, "usage", false, s.json_output});
  if (vm->count("count")) s.count = raw.count;
  s.rcvbuf_auto = vm->count("rcvbuf") == 0;
  if (vm->count("duration")) s.duration = raw.duration;
  if (vm->count("timeout")) s.timeout = raw.timeout;
  if (vm->count("max-loss")) s.max_loss = raw.max_loss;
  if (s.busy_poll > 0 && vm->count("coalesce") && (*vm)["coalesce"].defaulted()) s.coalesce = 0;
  s.given = given_numbers(*vm);
  if (auto mode = parse_payload_mode(raw.payload)) {
    s.payload = *mode;
  } else {
    return tl::unexpected(usage_error{"--payload " + raw.payload + ": auto, mcnet, moldudp64, rtp, mpegts or raw",
                                      "usage", false, s.json_output});
  }
  if (vm->count("rtp-clock")) {
    auto clocks = parse_rtp_clocks(raw.rtp_clock);
    if (!clocks) return tl::unexpected(usage_error{clocks.error(), "usage", false, s.json_output});
    s.rtp_clock = *clocks;
  }
  if (vm->count("metrics-file")) s.metrics_file = raw.metrics_file;
  if (!raw.lines.empty()) {
    auto lines = parse_lines(raw.lines, s.iface);
    if (!lines) return tl::unexpected(usage_error{lines.error(), "usage", false, s.json_output});
    if (s.payload == payload_mode::mpegts || s.payload == payload_mode::raw) {
      return tl::unexpected(usage_error{fmt::format("--line with --payload {}: lines merge by sequence number, which "
                                                    "only mcnet, moldudp64 and rtp carry",
                                                    raw.payload),
                                        "usage", false, s.json_output});
    }
    s.lines = std::move(*lines);
    for (const auto& l : s.lines) s.specs.push_back(l.spec);
  }
  if (vm->count("pcap")) s.pcap = raw.pcap;
  if (vm->count("pcap-rotate")) {
    if (!s.pcap) return tl::unexpected(usage_error{"--pcap-rotate needs --pcap", "usage", false, s.json_output});
    if (raw.pcap_rotate < 1 || raw.pcap_rotate > 1'000'000) {
      return tl::unexpected(usage_error{fmt::format("--pcap-rotate {}: MB, 1 to 1000000", raw.pcap_rotate), "usage",
                                        false, s.json_output});
    }
    s.pcap_rotate_mb = static_cast<std::uint64_t>(raw.pcap_rotate);
  }
  if (s.pcap && s.pcap->empty()) return tl::unexpected(usage_error{"--pcap: a file name", "usage", false, s.json_output});
  if (s.pcap && s.interfaces) {
    return tl::unexpected(usage_error{"--pcap has nothing to write with --interfaces", "usage", false, s.json_output});
  }
  if (s.pcap) {
    if (auto out = writes_into_stdout("--pcap", *s.pcap)) return tl::unexpected(usage_error{*out, "usage", false, s.json_output});
  }
  if (s.metrics_file && !s.metrics_file->empty()) {
    if (auto out = writes_into_stdout("--metrics-file", *s.metrics_file)) {
      return tl::unexpected(usage_error{*out, "usage", false, s.json_output});
    }
  }
  if (s.pcap && s.metrics_file && !s.metrics_file->empty() && metrics_overwrites_capture(*s.pcap, *s.metrics_file)) {
    return tl::unexpected(usage_error{fmt::format("--metrics-file {}: the same file as --pcap {} (or one of its "
                                                  "rotated files): each would overwrite the other",
                                                  text_name(*s.metrics_file), text_name(*s.pcap)),
                                      "usage", false, s.json_output});
  }
  if (auto bad = check(s)) return tl::unexpected(usage_error{*bad, "usage", false, s.json_output});
  if (auto empty = empty_value(*vm, visible)) return tl::unexpected(usage_error{*empty, "usage", false, s.json_output});
  return c;
}

}  // namespace mcnet::tools
