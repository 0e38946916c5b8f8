// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// Both tools' command lines in process: every option's bad values and the
// conflicts (exit 1, the option named on stderr, an error event with --json),
// what a good line gives, --help and --version, and spec resolution (the
// repeated-spec rule of each tool, -4 / -6, @FILE, interfaces) with a fake
// interface resolver.

#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <utility>

#include <fmt/format.h>

#include <mcnet/feed/test_header.hpp>
#include <mcnet/features.hpp>
#include <mcnet/tools/cli.hpp>
#include <mcnet/tools/group_spec.hpp>
#include <mcnet/tools/receiver.hpp>
#include <mcnet/tools/recv_options.hpp>
#include <mcnet/tools/report.hpp>
#include <mcnet/tools/route.hpp>
#include <mcnet/netlink/query.hpp>
#include <mcnet/tools/send_options.hpp>
#include <mcnet/tools/sender.hpp>

#include "lan.hpp"
#include "privilege.hpp"
#include "tool_cases.hpp"

namespace tools = mcnet::tools;
namespace test = mcnet::test;
using test::tools::bad_input;
using test::tools::outcome;

namespace {

// mcast-send up to its first socket: parse, validate, resolve.
outcome send_front(const std::vector<std::string>& args, const tools::interface_resolver& resolve) {
  outcome o;
  std::ostringstream out, err;
  const auto c = tools::parse_send_command_line(args);
  if (!c) {
    o.exit = tools::print_usage_error(c.error(), "mcast-send", out, err);
  } else if (c->action == tools::cli_action::run) {
    const tools::reporter r("mcast-send", c->settings.format(), out, err);
    std::vector<tools::send_target> targets;
    o.exit = tools::resolve_targets(c->settings, r, resolve, targets).value_or(0);
  }
  o.out = out.str();
  o.err = err.str();
  return o;
}

// mcast-recv up to its first socket: parse, validate, resolve.
outcome recv_front(const std::vector<std::string>& args, const tools::interface_resolver& resolve) {
  outcome o;
  std::ostringstream out, err;
  const auto c = tools::parse_recv_command_line(args);
  if (!c) {
    o.exit = tools::print_usage_error(c.error(), "mcast-recv", out, err);
  } else if (c->action == tools::cli_action::run && !c->settings.interfaces) {
    const tools::reporter r("mcast-recv", c->settings.format(), out, err);
    std::vector<tools::membership> members;
    o.exit = tools::resolve_memberships(c->settings, r, resolve, members).value_or(0);
  }
  o.out = out.str();
  o.err = err.str();
  return o;
}

tools::usage_error send_error(const std::vector<std::string>& args) {
  auto c = tools::parse_send_command_line(args);
  EXPECT_FALSE(c.has_value());
  return c ? tools::usage_error{} : c.error();
}

tools::usage_error recv_error(const std::vector<std::string>& args) {
  auto c = tools::parse_recv_command_line(args);
  EXPECT_FALSE(c.has_value());
  return c ? tools::usage_error{} : c.error();
}

TEST(SendCommandLine, RejectsBadValuesOfEveryOption) {
  const std::vector<bad_input> cases = {
      {"help", {"--help=1"}, "help"},
      {"version", {"--version=1"}, "version"},
      {"interface", {"-i", "nosuchif"}, "nosuchif"},
      {"ttl", {"--ttl", "256"}, "ttl"},
      {"ttl", {"--ttl=-1"}, "ttl"},
      {"ttl", {"--ttl", "x"}, "ttl"},
      {"ttl", {"--ttl"}, "ttl", true},
      {"tos", {"--tos", "af99"}, "af99"},
      {"tos", {"--tos", "256"}, "tos"},
      {"loop", {"--loop=1"}, "loop"},
      {"loop", {"--loop", "--no-loop"}, "--loop and --no-loop"},
      {"no-loop", {"--no-loop=1"}, "no-loop"},
      {"size", {"--size", "39"}, "size"},
      {"size", {"-s", "10"}, "size"},
      {"size", {"-s", "65508"}, "size"},
      {"size", {"-s", "x"}, "size"},
      {"rate", {"--rate", "0"}, "rate"},
      {"rate", {"-r", "10xyz"}, "rate"},
      {"rate", {"-r", "-5pps"}, "rate"},
      {"burst", {"--burst", "x"}, "burst"},
      {"burst", {"--burst=-1"}, "burst"},
      {"burst", {"--burst", "1000001"}, "burst"},
      {"count", {"--count", "x"}, "count"},
      {"count", {"--count=-1"}, "count"},
      {"count", {"-c", "0"}, "count"},
      // A plain number: no '+' sign (Boost read "+01" as 1; trial16c).
      {"count", {"-c", "+01"}, "--count +01: a plain number, without a '+' sign"},
      {"ttl", {"--ttl", "+5"}, "--ttl +5: a plain number, without a '+' sign"},
      {"drop-every", {"--drop-every=+3"}, "--drop-every +3: a plain number"},
      {"duration", {"-d", "+1.5"}, "--duration +1.5: a plain number"},
      {"duration", {"--duration", "-1"}, "duration"},
      {"duration", {"-d", "0"}, "duration"},
      {"duration", {"-d", "x"}, "duration"},
      {"duration", {"-d", "nan"}, "duration"},
      {"id", {"--id", "x"}, "--id"},
      {"id", {"--id=-1"}, "--id"},
      {"id", {"--id", "4294967296"}, "--id"},
      {"drop-every", {"--drop-every", "1"}, "drop-every"},
      {"drop-every", {"--drop-every", "x"}, "drop-every"},
      {"dup-every", {"--dup-every", "1"}, "dup-every"},
      {"reorder-every", {"--reorder-every", "1"}, "reorder-every"},
      {"batch", {"--batch", "0"}, "batch"},
      {"batch", {"--batch", "65"}, "batch"},
      {"json", {"--json=1"}, "json"},
      {"quiet", {"--quiet=1"}, "quiet"},
      {"frobnicate", {"--frobnicate"}, "frobnicate"},
      // The payloads: each option's values, and each option with a payload it does not apply to.
      {"payload", {"--payload", "sbe"}, "--payload sbe: mcnet, moldudp64, rtp or mpegts"},
      {"payload", {"--payload", "RTP"}, "--payload RTP"},
      {"payload", {"--payload"}, "payload", true},
      {"id", {"--payload", "rtp", "--id", "5"}, "--id: only with --payload mcnet"},
      {"size", {"--payload", "mpegts", "-s", "1316"}, "--size: only with --payload mcnet or rtp"},
      {"size", {"--payload", "moldudp64", "--size", "54"}, "--size: only with --payload mcnet or rtp"},
      {"size", {"--payload", "rtp", "-s", "200"}, "--size: only with --payload rtp with a payload type other than 33"},
      {"size", {"--payload", "rtp", "--rtp-pt", "96", "-s", "11"}, "--size 11: 12 (the RTP header) to 65507"},
      {"size", {"--payload", "rtp", "--rtp-pt", "96", "-s", "65508"}, "--size 65508"},
      {"session", {"--session", "X"}, "--session: only with --payload moldudp64; the payload is mcnet"},
      {"session", {"--payload", "moldudp64", "--session", ""}, "--session \"\": an empty value"},
      {"session", {"--payload", "moldudp64", "--session", "ELEVENCHARS"}, "--session \"ELEVENCHARS\""},
      {"session", {"--payload", "moldudp64", "--session", "TAB\tX"}, "--session"},
      {"session", {"--payload", "moldudp64", "--session", "caf\xc3\xa9"}, "--session"},
      {"messages", {"--payload", "rtp", "--messages", "2"}, "--messages: only with --payload moldudp64"},
      {"messages", {"--payload", "moldudp64", "--messages", "0"}, "--messages 0: 1 to 65534"},
      {"messages", {"--payload", "moldudp64", "--messages", "65535"}, "--messages 65535"},
      {"messages", {"--payload", "moldudp64", "--messages", "x"}, "messages"},
      {"messages", {"--payload", "moldudp64", "--messages", "2000", "--message-size", "40"},
       "--messages 2000 of --message-size 40: a packet of 84020 bytes"},
      {"messages", {"--payload", "moldudp64", "--messages", "32744", "--message-size", "0"}, "a packet of 65508 bytes"},
      {"message-size", {"--message-size", "8"}, "--message-size: only with --payload moldudp64"},
      {"message-size", {"--payload", "moldudp64", "--message-size=-1"}, "--message-size -1: 0 to 65535"},
      {"message-size", {"--payload", "moldudp64", "--message-size", "65536"}, "--message-size 65536"},
      {"rtp-pt", {"--payload", "mpegts", "--rtp-pt", "33"}, "--rtp-pt: only with --payload rtp; the payload is mpegts"},
      {"rtp-pt", {"--payload", "rtp", "--rtp-pt", "128"}, "--rtp-pt 128"},
      {"rtp-pt", {"--payload", "rtp", "--rtp-pt=-1"}, "--rtp-pt -1"},
      {"rtp-pt", {"--payload", "rtp", "--rtp-pt", "72"}, "--rtp-pt 72: an RFC 3551 static type"},
      {"rtp-pt", {"--payload", "rtp", "--rtp-pt", "50"}, "--rtp-pt 50"},
      {"ssrc", {"--payload", "moldudp64", "--ssrc", "1"}, "--ssrc: only with --payload rtp; the payload is moldudp64"},
      {"ssrc", {"--payload", "rtp", "--ssrc", "4294967296"}, "--ssrc 4294967296: 0 to 4294967295"},
      {"ssrc", {"--payload", "rtp", "--ssrc=-1"}, "--ssrc -1"},
      {"ssrc", {"--payload", "rtp", "--ssrc", "x"}, "ssrc"},
      {"pids", {"--pids", "2"}, "--pids: only with --payload mpegts, or rtp with --rtp-pt 33"},
      {"pids", {"--payload", "rtp", "--rtp-pt", "96", "--pids", "2"}, "--pids: only with"},
      {"pids", {"--payload", "mpegts", "--pids", "0"}, "--pids 0: 1 to 7935"},
      {"pids", {"--payload", "rtp", "--pids", "7936"}, "--pids 7936"},
      {"line-b", {"--line-b"}, "line-b", true},
      {"line-b", {"--line-b", ""}, "--line-b \"\": an empty value"},
      {"line-b", {"--line-b", "10.77.0.1"}, "--line-b 10.77.0.1: parse group spec \"10.77.0.1\": not a multicast"},
      {"line-b", {"--line-b", "!10.77.9.1,239.255.90.1"}, "--line-b !10.77.9.1,239.255.90.1: parse group spec"},
      {"line-b", {"--line-b", "239.255.90.1:0"}, "--line-b 239.255.90.1:0: parse group spec \"239.255.90.1:0\": "
                                                 "value out of range: port 0: the port is 1 to 65535"},
      {"line-b", {"--line-b", "239.255.255.255:5000+2"}, "--line-b 239.255.255.255:5000+2: "},
      {"line-b", {"--line-b", "[ff3e::1]:5000"}, "--line-b [ff3e::1]:5000: ff3e::1 is IPv6, its main group 239.255.89.1 is IPv4"},
      {"line-b", {"--line-b", "239.255.89.1:5000"}, "--line-b 239.255.89.1:5000: 239.255.89.1:5000 is a main group"},
      {"line-b", {"--line-b", "239.255.90.1:5000+2"}, "--line-b 239.255.90.1:5000+2: 2 groups, the main line has 1"},
      {"line-b", {"--line-b", "239.255.90.1%nosuchif"}, "--line-b 239.255.90.1%nosuchif: "},
      {"drop-every-b", {"--drop-every-b", "2"}, "--drop-every-b: only with --line-b"},
      {"drop-every-b", {"--line-b", "239.255.90.1", "--drop-every-b", "1"}, "--drop-every-b 1: 0 (off) or at least 2"},
      {"drop-every-b", {"--line-b", "239.255.90.1", "--drop-every-b=-3"}, "--drop-every-b -3"},
      {"drop-every-b", {"--line-b", "239.255.90.1", "--drop-every-b", "x"}, "option '--drop-every-b' is invalid"},
      {"delay-b", {"--delay-b", "100"}, "--delay-b: only with --line-b"},
      {"delay-b", {"--line-b", "239.255.90.1", "--delay-b=-1"}, "--delay-b -1: 0 to 10000000 microseconds"},
      {"delay-b", {"--line-b", "239.255.90.1", "--delay-b", "10000001"}, "--delay-b 10000001"},
      {"delay-b", {"--line-b", "239.255.90.1", "--delay-b", "1ms"}, "option '--delay-b' is invalid"},
      {"replay", {"--replay"}, "replay", true},
      {"replay", {"--replay", ""}, "--replay \"\": an empty value"},
      {"replay", {"--replay", "-"}, "--replay -: not stdin: the capture is read twice"},  // trial t16x M6
      {"replay", {"--replay", "x.pcap"}, "--rate: not with --replay"},
      {"line-b", {"--replay", "x.pcap", "--line-b", "239.255.90.1"}, "--line-b: not with --replay"},
      {"speed", {"--speed", "2"}, "--speed: only with --replay"},
      {"speed", {"--replay", "x.pcap", "--speed", "-1"},
       "--speed -1: a finite number, 0 (as fast as possible) or more"},
      {"speed", {"--replay", "x.pcap", "--speed", "inf"},
       "--speed inf: a finite number, 0 (as fast as possible) or more"},
      {"speed", {"--replay", "x.pcap", "--speed", "nan"}, "--speed nan: a finite number"},
      {"speed", {"--replay", "x.pcap", "--speed", "1e-9"},
       "--speed 1e-09: at least 0.000001 (a second of capture then takes 11.6 days), or 0 for as fast as possible"},
      {"speed", {"--replay", "x.pcap", "--speed", "x"}, "option '--speed' is invalid"},
      {"loop", {"--loop", "3"}, "--loop 3: a count only with --replay"},
      {"loop", {"--replay", "x.pcap", "--loop", "0"}, "--loop 0: times to send the capture, 1 to 1000000"},
      {"loop", {"--replay", "x.pcap", "--loop=-2"}, "--loop -2"},
      {"loop", {"--replay", "x.pcap", "--loop", "1000001"}, "--loop 1000001"},
      {"gso", {"--gso"}, "gso", true},
      {"gso", {"--gso", "0"}, "--gso 0: 1 to 64 datagrams per buffer"},
      {"gso", {"--gso", "65"}, "--gso 65: 1 to 64 datagrams per buffer"},
      {"gso", {"--gso=-1"}, "--gso -1"},
      {"gso", {"--gso", "x"}, "option '--gso' is invalid"},
      {"gso", {"--gso", "64", "--size", "1100"},
       "--gso 64 with 1100-byte datagrams: 70400 bytes per buffer, more than the 65507 of one UDP send; --gso 59 at most"},
      {"gso", {"--replay", "x.pcap", "--gso", "4"}, "--gso: not with --replay"},
  };
  // The real resolver for -i: a netlink query in this namespace, nothing sent.
  test::tools::expect_all_rejected(
      [](const std::vector<std::string>& a) { return send_front(a, tools::netlink_resolver()); },
      tools::send_option_names(), cases, {{"rate", "1000pps"}, {"duration", "0.3"}, {"count", "300"}},
      "239.255.89.1:5000");
}

TEST(RecvCommandLine, RejectsBadValuesOfEveryOption) {
  const std::vector<bad_input> cases = {
      {"help", {"--help=1"}, "help"},
      {"version", {"--version=1"}, "version"},
      {"interface", {"-i", "nosuchif"}, "nosuchif"},
      {"ipv4", {"--ipv4=1"}, "ipv4"},
      {"ipv6", {"--ipv6=1"}, "ipv6"},
      {"ipv6", {"-4", "-6"}, "-6"},
      {"json", {"--json=1"}, "json"},
      {"csv", {"--csv=1"}, "csv"},
      {"csv", {"--csv", "--json"}, "--json and --csv"},
      {"quiet", {"--quiet=1"}, "quiet"},
      {"interval", {"--interval", "-1"}, "interval"},
      {"interval", {"--interval", "x"}, "interval"},
      {"interval", {"--interval", "inf"}, "interval"},
      {"interval", {"--interval", "0.001"}, "0 (summary only) or 0.01 to 31536000 (365 days)"},
      {"interval", {"--interval", "1e-300"}, "0 (summary only) or 0.01 to 31536000 (365 days)"},
      {"interval", {"--interval"}, "interval", true},
      {"count", {"--count", "x"}, "count"},
      {"count", {"--count=-1"}, "count"},
      {"count", {"-c", "0"}, "count"},
      {"duration", {"--duration", "-1"}, "duration"},
      {"duration", {"-d", "x"}, "duration"},
      {"timeout", {"--timeout", "-1"}, "timeout"},
      {"timeout", {"--timeout", "x"}, "timeout"},
      {"count", {"-c", "+01"}, "--count +01: a plain number, without a '+' sign"},
      {"max-streams", {"--max-streams", "+16"}, "--max-streams +16: a plain number"},
      {"interval", {"--interval=+1"}, "--interval +1: a plain number"},
      // Past what a double holds near 0: not read as 0 (trial16c).
      {"max-loss", {"--max-loss", "1e-400"}, "--max-loss 1e-400: out of range, too close to 0"},
      {"max-loss", {"--max-loss", "4e-320"}, "--max-loss 4e-320: out of range, too close to 0"},
      {"max-loss", {"--max-loss", "101"}, "max-loss"},
      {"max-loss", {"--max-loss", "-1"}, "max-loss"},
      {"max-loss", {"--max-loss", "x"}, "max-loss"},
      {"rcvbuf", {"--rcvbuf", "-5"}, "rcvbuf"},
      {"rcvbuf", {"--rcvbuf", "x"}, "rcvbuf"},
      {"rcvbuf", {"--rcvbuf", "1073741824"}, "rcvbuf"},
      {"force", {"--force=1"}, "force"},
      {"force", {"--force"}, "--force needs --rcvbuf"},
      {"timestamp", {"--timestamp", "hw2"}, "timestamp"},
      {"batch", {"--batch", "0"}, "batch"},
      {"batch", {"--batch", "65"}, "batch"},
      {"busy-poll", {"--busy-poll", "-1"}, "busy-poll"},
      {"busy-poll", {"--busy-poll", "x"}, "busy-poll"},
      {"coalesce", {"--coalesce", "-1"}, "coalesce"},
      {"coalesce", {"--coalesce", "100001"}, "--coalesce 100001: microseconds, 0 to 100000"},
      {"coalesce", {"--coalesce", "0.5"}, "coalesce"},
      {"coalesce", {"--coalesce", ""}, "coalesce"},
      {"show-packets", {"--show-packets=1"}, "show-packets"},
      {"io-uring", {"--io-uring=1"}, "io-uring"},
      {"max-streams", {"--max-streams", "0"}, "max-streams"},
      {"max-streams", {"--max-streams", "x"}, "max-streams"},
      {"max-streams", {"--max-streams", "10000001"}, "max-streams"},
      {"payload", {"--payload", "mpeg"}, "--payload mpeg: auto, mcnet, moldudp64, rtp, mpegts or raw"},
      {"payload", {"--payload", ""}, "payload"},
      {"payload", {"--payload", "RTP"}, "--payload RTP"},
      {"rtp-clock", {"--rtp-clock", "0"}, "--rtp-clock 0: Hz, 1 to 4294967295"},
      {"rtp-clock", {"--rtp-clock", "-8000"}, "rtp-clock"},
      {"rtp-clock", {"--rtp-clock", "4294967296"}, "rtp-clock"},
      {"rtp-clock", {"--rtp-clock", "x"}, "rtp-clock"},
      // Trial t20u F2: per payload type, as an SDP rtpmap gives it.
      {"rtp-clock", {"--rtp-clock", "96=0"}, "--rtp-clock 96=0: Hz, 1 to 4294967295"},
      {"rtp-clock", {"--rtp-clock", "96="}, "--rtp-clock 96=: Hz, 1 to 4294967295"},
      {"rtp-clock", {"--rtp-clock", "128=90000"}, "--rtp-clock 128=90000: a payload type is 0 to 127"},
      {"rtp-clock", {"--rtp-clock", "=90000"}, "--rtp-clock =90000: a payload type is 0 to 127"},
      {"rtp-clock", {"--rtp-clock", "96=90000,96=48000"}, "--rtp-clock 96=48000: payload type 96 is given twice"},
      {"rtp-clock", {"--rtp-clock", "8000,16000"}, "--rtp-clock 16000: the clock of every payload type is given twice"},
      {"rtp-clock", {"--rtp-clock", "96=90000,"}, "--rtp-clock 96=90000,: HZ or PT=HZ, comma-separated"},
      {"interfaces", {"--interfaces=1"}, "interfaces"},
      {"interfaces", {"--interfaces"}, "--interfaces takes no group specs"},
      {"metrics-file", {"--metrics-file"}, "metrics-file", true},
      {"metrics-file", {"--metrics-file", ""}, "--metrics-file \"\": an empty value"},
      {"metrics-file", {"--metrics-file", "/nonexistent-mcnet-dir/x.prom"}, "/nonexistent-mcnet-dir does not exist"},
      {"metrics-file", {"--metrics-file", "/sys/mcnet.prom"}, "--metrics-file /sys/mcnet.prom: cannot create"},
      {"metrics-file", {"--metrics-file", "/"}, "--metrics-file /: names a directory"},
      {"metrics-file", {"--metrics-file", "/dev/null"}, "not a regular file"},
      {"line", {"--line"}, "line", true},
      {"line", {"--line", "239.1.1.1"}, "--line 239.1.1.1: NAME=SPEC"},
      {"line", {"--line", "A=239.1.1.1"}, "--line: 1 given, 2 to 4 lines merge"},
      {"line", {"--line", "A=239.1.1.1", "--line", "A=239.2.1.1"}, "--line A=239.2.1.1: the name A is given twice"},
      {"line", {"--line", "A=239.1.1.1", "--line", "B b=239.2.1.1"}, "the name \"B b\" must be 1 to 32 characters"},
      {"line", {"--line", "A=239.1.1.1", "--line", "=239.2.1.1"}, "the name \"\" must be"},
      {"line", {"--line", "A=239.1.1.1", "--line", "merged=239.2.1.1"}, "\"merged\" is the merged stream's name"},
      {"line", {"--line", "A=239.1.1.1:5000+2", "--line", "B=239.1.1.2:5000"},
       "--line B=239.1.1.2:5000: 239.1.1.2:5000 is on line A too"},
      {"line", {"--line", "A=239.1.1.1", "--line", "B=10.77.0.1"}, "--line B=10.77.0.1:"},
      {"line", {"--line", "A=1", "--line", "B=2", "--line", "C=3", "--line", "D=4", "--line", "E=5"}, "--line A=1:"},
      {"line", {"--line", "A=239.1.1.1", "--line", "B=239.1.1.2", "--line", "C=239.1.1.3", "--line", "D=239.1.1.4",
                "--line", "E=239.1.1.5"},
       "--line: 5 given, 2 to 4 lines merge"},
      {"line", {"--payload", "mpegts", "--line", "A=239.1.1.1", "--line", "B=239.2.1.1"},
       "--line with --payload mpegts: lines merge by sequence number"},
      {"line", {"--payload", "raw", "--line", "A=239.1.1.1", "--line", "B=239.2.1.1"}, "--line with --payload raw"},
      {"line", {"--line", "A=239.1.1.1", "--line", "B=239.2.1.1%nosuchif"}, "nosuchif"},
      {"pcap", {"--pcap"}, "pcap", true},
      {"pcap", {"--pcap", ""}, "--pcap \"\": an empty value"},
      // Trial t16x H2: the capture into the report on stdout (libpcap's "-").
      {"pcap", {"--pcap", "-"}, "--pcap -: stdout: the report goes there (name another file)"},
      {"pcap", {"--pcap", "/dev/stdout"}, "--pcap /dev/stdout: the same file as stdout: the report goes there"},
      {"pcap", {"--pcap", "/proc/self/fd/1"}, "--pcap /proc/self/fd/1: the same file as stdout"},
      {"metrics-file", {"--metrics-file", "-"}, "--metrics-file -: stdout: the report goes there"},
      {"pcap-rotate", {"--pcap-rotate", "5"}, "--pcap-rotate needs --pcap"},
      {"pcap-rotate", {"--pcap", "x.pcap", "--pcap-rotate", "0"}, "--pcap-rotate 0: MB, 1 to 1000000"},
      {"pcap-rotate", {"--pcap", "x.pcap", "--pcap-rotate", "x"}, "pcap-rotate"},
      {"metrics-file", {"--pcap", "cap.pcap", "--metrics-file", "cap.pcap"},
       "--metrics-file cap.pcap: the same file as --pcap cap.pcap (or one of its rotated files)"},
      {"metrics-file", {"--pcap", "cap.pcap", "--pcap-rotate", "1", "--metrics-file", "./cap.pcap.3"},
       "--metrics-file ./cap.pcap.3: the same file as --pcap cap.pcap"},
      {"line", {"--line", "A=239.1.1.1+2", "--line", "B=239.2.1.1"},
       "--line B=239.2.1.1: 1 (group, port) pair, but --line A=239.1.1.1+2 has 2"},
      {"frobnicate", {"--frobnicate"}, "frobnicate"},
  };
  test::tools::expect_all_rejected(
      [](const std::vector<std::string>& a) { return recv_front(a, tools::netlink_resolver()); },
      tools::recv_option_names(), cases, {{"duration", "0.3"}, {"timeout", "0.5"}}, "239.255.89.2:5000");
}

// Every option given an empty value, as "--OPT ''" and "--OPT=": exit 1
// naming the option (never the default an absent option has: -r '' is not
// "unpaced", -i '' not "the route"). A switch takes no value: "--OPT=" is
// refused, and "--OPT ''" leaves an empty spec, refused too.
std::vector<bad_input> empty_values(const std::vector<std::string>& names, const std::set<std::string>& switches) {
  std::vector<bad_input> cases;
  for (const auto& n : names) {
    // Said alike for every option (trial t16x L1: "--tos : not a number").
    const auto said = fmt::format("--{} \"\": an empty value", n);
    cases.push_back({n, {"--" + n + "="}, switches.count(n) == 0 ? said : n});
    if (switches.count(n) == 0) cases.push_back({n, {"--" + n, ""}, said});
  }
  return cases;
}

// trial16e 6 (issue 16): "-0" was 0 for some number options (--max-loss,
// --interval, --ttl, --id, --drop-every, --tos, ...) and refused by others
// for their range: no option takes a sign, so a '-' on 0 is refused by
// every one, as '+' is, whatever 0 would mean to it.
TEST(ToolCommandLines, MinusZeroIsRefusedAsASignByEveryNumberOption) {
  for (const auto* v : {"-0", "-00", "-0.0"}) {
    for (const auto* o : {"--interval", "--max-loss", "--rcvbuf", "--busy-poll", "--coalesce", "--batch", "-c", "-d",
                          "--timeout", "--max-streams"}) {
      auto c = tools::parse_recv_command_line({o, v, "239.1.1.1:5000"});
      ASSERT_FALSE(c.has_value()) << "mcast-recv " << o << " " << v;
      EXPECT_NE(c.error().message.find(std::string(v) + ": a plain number, without a sign"), std::string::npos)
          << o << ": " << c.error().message;
    }
    for (const auto* o : {"--ttl", "--id", "--drop-every", "--dup-every", "--reorder-every", "--message-size",
                          "--burst", "-c", "-s"}) {
      auto c = tools::parse_send_command_line({o, v, "239.1.1.1:5000"});
      ASSERT_FALSE(c.has_value()) << "mcast-send " << o << " " << v;
      EXPECT_NE(c.error().message.find(std::string(v) + ": a plain number, without a sign"), std::string::npos)
          << o << ": " << c.error().message;
    }
    auto speed = tools::parse_send_command_line({"--replay", "x.pcap", "--speed", v});
    EXPECT_FALSE(speed.has_value()) << "--speed " << v;
  }
  // --tos reads its own text: no sign either ("-0" was TOS 0).
  for (const auto* v : {"-0", "-1", "-0x0"}) {
    auto c = tools::parse_send_command_line({"--tos", v, "239.1.1.1:5000"});
    ASSERT_FALSE(c.has_value()) << "--tos " << v;
    EXPECT_NE(c.error().message.find("without a sign"), std::string::npos) << c.error().message;
  }
  // 0 itself stays what each option makes of it.
  EXPECT_TRUE(tools::parse_recv_command_line({"--max-loss", "0", "239.1.1.1:5000"}).has_value());
  EXPECT_TRUE(tools::parse_send_command_line({"--tos", "0", "239.1.1.1:5000"}).has_value());
  EXPECT_TRUE(tools::parse_send_command_line({"--ttl", "0", "239.1.1.1:5000"}).has_value());
}

TEST(SendCommandLine, EveryOptionRefusesAnEmptyValue) {
  auto cases = empty_values(tools::send_option_names(), {"help", "version", "loop", "no-loop", "json", "quiet"});
  for (const auto& [name, short_option] : std::vector<std::pair<std::string, std::string>>{
           {"interface", "-i"}, {"size", "-s"}, {"rate", "-r"}, {"count", "-c"}, {"duration", "-d"}}) {
    cases.push_back({name, {short_option, ""}, name});
  }
  test::tools::expect_all_rejected(
      [](const std::vector<std::string>& a) { return send_front(a, tools::netlink_resolver()); },
      tools::send_option_names(), cases, {{"duration", "0.3"}, {"count", "300"}}, "239.255.89.1:5000");
  EXPECT_EQ(send_error({"-r", "", "239.1.2.3"}).message, "--rate \"\": an empty value; give one or leave the option out");
  EXPECT_EQ(send_error({"--ttl", "", "239.1.2.3"}).message, "--ttl \"\": an empty value; give one or leave the option out");
  EXPECT_EQ(send_error({"-s", "", "239.1.2.3"}).message, "--size \"\": an empty value; give one or leave the option out");
  EXPECT_EQ(send_error({"-i", "", "239.1.2.3"}).message,
            "--interface \"\": an empty value; give one or leave the option out");
  EXPECT_EQ(send_error({"--json", "-i", "", "239.1.2.3"}).json, true) << "an error event with --json";
  // The switches' empty spec: parsed, then refused as a spec (exit 1).
  outcome o = send_front({"--no-loop", "", "239.1.2.3"}, test::tools::fake_resolver());
  EXPECT_EQ(o.exit, 1);
  EXPECT_NE(o.err.find("empty spec"), std::string::npos) << o.err;
}

// trial t16z: "--csv=" read Boost's "the argument for option '--csv' should
// follow immediately after the equal sign", "--csv=x" "does not take any
// arguments": every switch of both tools says it takes no value, in one
// sentence for both; every other option's "--NAME=" is an empty value.
TEST(ToolCommandLines, EverySwitchGivenAValueSaysItTakesNone) {
  using parse_fn = std::function<tools::usage_error(const std::vector<std::string>&)>;
  const parse_fn send = [](const std::vector<std::string>& a) {
    auto c = tools::parse_send_command_line(a);
    return c ? tools::usage_error{} : c.error();
  };
  const parse_fn recv = [](const std::vector<std::string>& a) {
    auto c = tools::parse_recv_command_line(a);
    return c ? tools::usage_error{} : c.error();
  };
  const std::set<std::string> send_switches{"help", "version", "loop", "no-loop", "json", "quiet"};
  const std::set<std::string> recv_switches{"help",  "version",      "ipv4",       "ipv6",    "json",    "csv",
                                            "quiet", "force",        "show-packets", "interfaces", "io-uring"};
  for (const auto& [tool, parse, names, switches] :
       {std::tuple{"mcast-send", send, tools::send_option_names(), send_switches},
        std::tuple{"mcast-recv", recv, tools::recv_option_names(), recv_switches}}) {
    std::size_t seen = 0;
    for (const auto& name : names) {
      SCOPED_TRACE(std::string(tool) + " --" + name);
      const auto empty = parse({"--" + name + "=", "239.1.1.1"});
      EXPECT_EQ(empty.message.find("should follow immediately"), std::string::npos) << empty.message;
      if (!switches.contains(name)) {
        EXPECT_EQ(empty.message, fmt::format("--{} \"\": an empty value; give one or leave the option out", name));
        continue;
      }
      ++seen;
      const auto said = fmt::format("--{0} takes no value: give --{0} alone", name);
      EXPECT_EQ(empty.message, said);
      EXPECT_EQ(empty.code, "usage");
      const auto given = parse({"--" + name + "=x", "239.1.1.1"});
      EXPECT_EQ(given.message, said);
      std::ostringstream out, err;
      EXPECT_EQ(tools::print_usage_error(empty, tool, out, err), 1);
      EXPECT_EQ(err.str(), fmt::format("{}: {} (see --help)\n", tool, said));
    }
    EXPECT_EQ(seen, switches.size()) << tool << ": every switch is an option";
  }
}

TEST(RecvCommandLine, EveryOptionRefusesAnEmptyValue) {
  auto cases = empty_values(tools::recv_option_names(), {"help", "version", "ipv4", "ipv6", "json", "csv", "quiet",
                                                         "force", "show-packets", "interfaces", "io-uring"});
  for (const auto& [name, short_option] : std::vector<std::pair<std::string, std::string>>{
           {"interface", "-i"}, {"count", "-c"}, {"duration", "-d"}}) {
    cases.push_back({name, {short_option, ""}, name});
  }
  test::tools::expect_all_rejected(
      [](const std::vector<std::string>& a) { return recv_front(a, tools::netlink_resolver()); },
      tools::recv_option_names(), cases, {{"duration", "0.3"}, {"timeout", "0.5"}}, "239.255.89.2:5000");
  EXPECT_EQ(recv_error({"-i", "", "239.1.2.3"}).message,
            "--interface \"\": an empty value; give one or leave the option out");
  // Issue 16: number options given "" say it in the same words, not Boost's
  // "the argument for option ... is invalid".
  EXPECT_EQ(recv_error({"--interval", "", "239.1.2.3"}).message,
            "--interval \"\": an empty value; give one or leave the option out");
  EXPECT_EQ(recv_error({"-c", "", "239.1.2.3"}).message,
            "--count \"\": an empty value; give one or leave the option out");
  // Issue 16, hostile trial 5: a number past what the option holds says so
  // and gives what it takes, not Boost's "the argument ... is invalid".
  EXPECT_EQ(recv_error({"--interval", "1e400", "239.1.2.3"}).message,
            "--interval 1e400: out of range, beyond what a number (a double) holds; the option takes: seconds between "
            "reports of deltas, 0.01 to 31536000 (365 days) (0: summary only)");
  EXPECT_EQ(recv_error({"--interval=1e400", "239.1.2.3"}).message,
            recv_error({"--interval", "1e400", "239.1.2.3"}).message);
  EXPECT_EQ(recv_error({"-c", "99999999999999999999999", "239.1.2.3"}).message,
            "--count 99999999999999999999999: out of range, beyond what the option's integer holds, at most "
            "9223372036854775807; the option takes: "
            "stop after this many datagrams in total (END markers not counted)");
  EXPECT_EQ(send_error({"-c", "99999999999999999999999", "239.1.2.3"}).message,
            "--count 99999999999999999999999: out of range, beyond what the option's integer holds, at most "
            "9223372036854775807; the option takes: "
            "datagrams per group (default: until -d or a signal)");
  // trial t16u L4: 2^63 is a whole number too, past the range as 2^64-1 is.
  for (const char* big : {"9223372036854775808", "18446744073709551615"}) {
    EXPECT_EQ(send_error({"-c", big, "239.1.2.3"}).message,
              std::string("--count ") + big +
                  ": out of range, beyond what the option's integer holds, at most 9223372036854775807; the option "
                  "takes: datagrams per group (default: until -d or a signal)");
  }
  outcome o = recv_front({"--quiet", "", "239.1.2.3"}, test::tools::fake_resolver());
  EXPECT_EQ(o.exit, 1);
  EXPECT_NE(o.err.find("empty spec"), std::string::npos) << o.err;
}

// Trial20j 13: a value an integer option's type refuses ("--pcap-rotate
// 0.1") says that it takes a whole number and the option's range and unit,
// not only Boost's "the argument ... is invalid".
TEST(ToolCommandLines, ARefusedNumberSaysWhatTheOptionTakes) {
  EXPECT_EQ(recv_error({"--pcap", "x.pcap", "--pcap-rotate", "0.1", "239.1.2.3"}).message,
            "the argument ('0.1') for option '--pcap-rotate' is invalid: it takes a whole number; with --pcap: "
            "start FILE.1, FILE.2, ... when a file passes this many MB, a whole number 1 to 1000000 (1 MB = "
            "1000000 bytes)");
  EXPECT_EQ(recv_error({"--batch", "0.5", "239.1.2.3"}).message,
            "the argument ('0.5') for option '--batch' is invalid: it takes a whole number; datagrams per recvmmsg "
            "call, 1 to 64");
  EXPECT_NE(recv_error({"--max-streams", "1.5", "239.1.2.3"}).message.find(
                "is invalid: it takes a whole number; streams kept"),
            std::string::npos);
  EXPECT_NE(recv_error({"--max-streams", "1.5", "239.1.2.3"}).message.find("a whole number 1 to 10000000"),
            std::string::npos);
  EXPECT_NE(recv_error({"--busy-poll", "1.5", "239.1.2.3"}).message.find(
                "it takes a whole number; SO_BUSY_POLL microseconds, a whole number 0 to 2147483647"),
            std::string::npos);
  EXPECT_EQ(send_error({"--batch", "x", "239.1.2.3"}).message,
            "the argument ('x') for option '--batch' is invalid: it takes a whole number; at most this many "
            "datagrams per sendmmsg call, 1 to 64 (paced: what is due)");
  EXPECT_NE(recv_error({"--interval", "x", "239.1.2.3"}).message.find("it takes a decimal number; seconds between"),
            std::string::npos);
  EXPECT_NE(tools::recv_help().find("this many MB, a whole number 1 to 1000000"), std::string::npos);
}

// Trial20j 11: --help gives exit 3's second meaning, as the man page does.
TEST(ToolCommandLines, HelpSaysExit3IsAlsoLossThatCouldNotBeChecked) {
  const auto help = tools::recv_help();
  EXPECT_NE(help.find("3 loss above --max-loss, or --max-loss could not be checked (loss_unknown"), std::string::npos)
      << help;
}

TEST(ToolCommandLines, PercentPlaceholdersAreTextNotTemplates) {
  // Boost.Program_options fills %canonical_option%, %option%, %value% in its
  // messages until none is left: such text in an argument once made that
  // loop endless (the tool hung) or vanished from the message.
  const struct {
    std::vector<std::string> args;
    const char* message;
  } cases[] = {
      {{"--line-b%canonical_option%", "239.1.1.1"}, "unrecognised option '--line-b%canonical_option%'"},
      {{"--x%option%", "239.1.1.1"}, "unrecognised option '--x%option%'"},
      {{"--batch=%value%x", "239.1.1.1"}, "the argument ('%value%x') for option '--batch' is invalid"},
      {{"--count", "%canonical_option%", "239.1.1.1"},
       "the argument ('%canonical_option%') for option '--count' is invalid"},
      {{"--%original_token%", "239.1.1.1"}, "unrecognised option '--%original_token%'"},
      {{"--x\x01p%", "239.1.1.1"}, "unrecognised option '--x\x01p%'"},
  };
  for (const auto& c : cases) {
    // A refused number goes on to say what the option takes (trial20j 13).
    EXPECT_TRUE(recv_error(c.args).message.starts_with(c.message)) << recv_error(c.args).message;
    EXPECT_TRUE(send_error(c.args).message.starts_with(c.message)) << send_error(c.args).message;
  }
  // Values keep their '%' (and the parser's own escape byte).
  auto r = tools::parse_recv_command_line({"--pcap", "cap%value%\x01.pcap", "-i", "%option%", "[ff02::1%eth0]:5000%eth0"});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->settings.pcap, "cap%value%\x01.pcap");
  EXPECT_EQ(r->settings.iface, "%option%");
  EXPECT_EQ(r->settings.specs, std::vector<std::string>{"[ff02::1%eth0]:5000%eth0"});
  auto l = tools::parse_recv_command_line({"--line", "A=239.1.1.1%eth0", "--line", "B=239.2.1.1%eth0"});
  ASSERT_TRUE(l) << l.error().message;
  EXPECT_EQ(l->settings.lines.at(0).spec, "239.1.1.1%eth0");
  auto s = tools::parse_send_command_line({"--line-b", "239.9.9.9%eth1", "-i", "e%th0", "239.1.1.1%eth1"});
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->settings.line_b, "239.9.9.9%eth1");
  EXPECT_EQ(s->settings.iface, "e%th0");
  EXPECT_EQ(s->settings.specs, std::vector<std::string>{"239.1.1.1%eth1"});
}

TEST(ToolCommandLines, AnEmptyValueAfterEqualsOfAnUnknownOptionIsUnknown) {
  // Boost refuses "--name=" as a syntax error before it looks the name up.
  EXPECT_EQ(recv_error({"--ttl=", "239.1.1.1"}).message, "unrecognised option '--ttl'") << "mcast-recv has no --ttl";
  EXPECT_EQ(send_error({"--nosuch=", "239.1.1.1"}).message, "unrecognised option '--nosuch'");
  EXPECT_EQ(recv_error({"--x%option%=", "239.1.1.1"}).message, "unrecognised option '--x%option%'");
  // A known option that takes a value: an empty value, worded as "-i ''" is.
  EXPECT_EQ(send_error({"--ttl=", "239.1.1.1"}).message, "--ttl \"\": an empty value; give one or leave the option out");
  EXPECT_EQ(recv_error({"--interval=", "239.1.1.1"}).message,
            "--interval \"\": an empty value; give one or leave the option out");
  for (const auto& e : {send_error({"--json", "--interface=", "239.1.1.1"}),
                        recv_error({"--json", "--interface=", "239.1.1.1"})}) {
    EXPECT_EQ(e.message, "--interface \"\": an empty value; give one or leave the option out");
    EXPECT_EQ(e.message, send_error({"-i", "", "239.1.1.1"}).message) << "as an empty value given apart";
    EXPECT_EQ(e.code, "usage");
    EXPECT_FALSE(e.from_parser) << "the tool's own message: no \"(see --help)\"";
    EXPECT_TRUE(e.json) << "an error event with --json";
  }
}

TEST(ToolCommandLines, AUsageErrorOfAnyBytesIsJson) {
  // The message quotes the argument; bytes that are not UTF-8 become U+FFFD
  // in the error event (stderr shows them as \xNN).
  for (const auto& e : {recv_error({"--json", "--timestamp", "\xff", "239.1.1.1"}),
                        send_error({"--json", "--ttl", "\xfe\xff", "239.1.1.1"})}) {
    std::ostringstream out, err;
    EXPECT_EQ(tools::print_usage_error(e, "mcast-recv", out, err), tools::exit_usage);
    const auto events = test::tools::json_lines(out.str());
    ASSERT_EQ(events.size(), 1u) << out.str();
    EXPECT_NE(events[0]["message"].get<std::string>().find("\xef\xbf\xbd"), std::string::npos) << out.str();
    EXPECT_NE(err.str().find("\\xff"), std::string::npos) << "shown as \\xNN on stderr: " << err.str();
  }
}

TEST(SendCommandLine, RatesAreReadWithTheirExactUnit) {
  const struct {
    const char* text;
    tools::rate::unit what;
    double per_second;
  } good[] = {
      {"10000pps", tools::rate::unit::packets, 1e4}, {"10000PPS", tools::rate::unit::packets, 1e4},
      {"2kpps", tools::rate::unit::packets, 2e3},    {"1.5Mpps", tools::rate::unit::packets, 1.5e6},
      {"64000bps", tools::rate::unit::bits, 64e3},   {"800kbps", tools::rate::unit::bits, 8e5},
      {"800Kbps", tools::rate::unit::bits, 8e5},     {"5mbps", tools::rate::unit::bits, 5e6},
      {"5Mbps", tools::rate::unit::bits, 5e6},       {"5Mb/s", tools::rate::unit::bits, 5e6},
      {"5Mbit/s", tools::rate::unit::bits, 5e6},     {"1.5Gbps", tools::rate::unit::bits, 1.5e9},
      {"5MBps", tools::rate::unit::bits, 40e6},      {"5MB/s", tools::rate::unit::bits, 40e6},
      {"1kBps", tools::rate::unit::bits, 8e3},       {"125GBps", tools::rate::unit::bits, 1e12},
      {"100Bps", tools::rate::unit::bits, 800},      {"1e3pps", tools::rate::unit::packets, 1e3},
  };
  for (const auto& g : good) {
    auto c = tools::parse_send_command_line({"-r", g.text, "239.1.2.3"});
    ASSERT_TRUE(c) << g.text << ": " << c.error().message;
    ASSERT_TRUE(c->settings.pace) << g.text;
    EXPECT_EQ(c->settings.pace->what, g.what) << g.text;
    EXPECT_DOUBLE_EQ(c->settings.pace->per_second, g.per_second) << g.text;
  }
  // 5 MB/s of 1000-byte payloads is 5000 datagrams a second, not 625.
  EXPECT_DOUBLE_EQ(tools::parse_rate("5MBps")->packets_per_second(1000), 5000);
  const char* forms = "a rate is a positive decimal number (an exponent may follow: 1e3), an optional k, M or G (10^3, 10^6, 10^9) and a unit: pps "
                      "(datagrams), bps, b/s or bit/s (payload bits), Bps or B/s (payload bytes) per second";
  const struct {
    const char* text;
    const char* needle;
  } bad[] = {
      {"5MBPS", "bits or bytes? bps (b/s, bit/s) is bits, Bps (B/s) bytes"},
      {"5BPS", "bits or bytes?"},
      {"5mBPs", "bits or bytes?"},
      {"5MB", forms},
      {"5M", forms},
      {"5", forms},
      {"5 Mbps", forms},
      {"5Mibps", forms},
      {"5MiB/s", forms},
      {"5Tbps", forms},
      {"5xbps", forms},
      {"5kkbps", forms},
      {"Mbps", forms},
      {"infbps", forms},
      {"nanpps", forms},
      {"0x10pps", forms},
      {"+5pps", forms},
      {".pps", forms},  // (".5pps" is a rate: trial t16s 5)
      {"5..pps", forms},
      {"1e+-3pps", forms},
      {"5pps ", forms},
      {"5bytes/s", forms},
      {"5Mbits", forms},
      {"0pps", forms},
      {"1e-400pps", "at least 0.001pps (a datagram every 1000 s), 1bps or 0.125Bps"},
      {"1e-300pps", "at least 0.001pps"},
      {"0.5bps", "at least"},
      {"1001Gbps", "at most 1000000000pps (1Gpps), 1000Gbps or 125GBps"},
      {"126GBps", "at most"},
      {"1.1Gpps", "at most"},
  };
  for (const auto& b : bad) {
    const auto e = send_error({"-r", b.text, "239.1.2.3"});
    // Not a rate at all is an invalid argument; a rate past any link, out of range.
    const bool range = std::string_view(b.needle).starts_with("at most") || std::string_view(b.needle).starts_with("at least");
    EXPECT_NE(e.message.find(std::string("parse rate \"") + b.text + "\": " +
                             (range ? "value out of range: " : "Invalid argument: ")),
              std::string::npos)
        << e.message;
    EXPECT_NE(e.message.find(b.needle), std::string::npos) << b.text << ": " << e.message;
    EXPECT_EQ(e.code, range ? "value_out_of_range" : "EINVAL") << b.text;
  }
}

TEST(SendCommandLine, MessagesAndEvents) {
  auto e = send_error({"--ttl", "256", "239.1.2.3"});
  EXPECT_EQ(e.message, "--ttl 256: 0 to 255");
  EXPECT_EQ(e.code, "usage");
  EXPECT_FALSE(e.json);
  EXPECT_FALSE(e.from_parser);
  e = send_error({"--json", "-s", "10", "239.1.2.3"});
  EXPECT_EQ(e.message, "--size 10: 40 (the header) to 65507 bytes");
  EXPECT_TRUE(e.json) << "the error event goes to stdout";
  e = send_error({});
  EXPECT_EQ(e.message, "no group given (see --help)");
  // --loop alone is still the loopback switch; a number after it is the
  // replay count; --replay needs no SPEC.
  auto c = tools::parse_send_command_line({"--loop", "239.1.2.3"});
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->settings.specs, std::vector<std::string>{"239.1.2.3"});
  EXPECT_FALSE(c->settings.replay);
  c = tools::parse_send_command_line({"--replay", "x.pcap", "--loop", "3", "--speed", "0", "--no-loop"});
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->settings.replay, "x.pcap");
  EXPECT_EQ(c->settings.loops, 3u);
  EXPECT_EQ(c->settings.speed, 0.0);
  EXPECT_TRUE(c->settings.no_loop);
  EXPECT_TRUE(c->settings.specs.empty());
  c = tools::parse_send_command_line({"--replay=x.pcap", "--loop=7", "239.1.2.3"});
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->settings.loops, 7u);
  EXPECT_EQ(c->settings.speed, 1.0);
  for (const auto& [option, value] : std::vector<std::pair<std::string, std::string>>{
           {"--payload", "rtp"}, {"--size", "100"}, {"--rate", "10pps"}, {"--burst", "2"}, {"--count", "3"},
           {"--id", "1"}, {"--session", "X"}, {"--messages", "2"}, {"--message-size", "2"}, {"--rtp-pt", "96"},
           {"--ssrc", "1"}, {"--pids", "2"}, {"--drop-every", "3"}, {"--dup-every", "3"}, {"--reorder-every", "3"}}) {
    e = send_error({"--replay", "x.pcap", option, value});
    EXPECT_EQ(e.message, option + ": not with --replay (the capture gives the datagrams and their times)");
  }
  e = send_error({"--tos", "af99", "239.1.2.3"});
  EXPECT_NE(e.message.find("af99"), std::string::npos) << e.message;
  EXPECT_NE(e.code, "usage") << "parse_tos's own code";
  // Said for what it is (trial20o L8: "value out of range" for all three).
  for (const auto& [value, why] : std::vector<std::pair<std::string, std::string>>{
           {"ef1", "unknown DSCP name"}, {"0x", "not a number"}, {"12a", "not a number"}, {"256", "out of range"},
           {"0x100", "out of range"}}) {
    e = send_error({"--tos", value, "239.1.2.3"});
    EXPECT_TRUE(e.message.starts_with("--tos " + value + ": " + why + ": ")) << e.message;
    EXPECT_EQ(e.message.find("value out of range"), std::string::npos) << e.message;
  }
  // The parser's errors: " (see --help)" on stderr only; an event only for
  // an exact "--json" argument.
  e = send_error({"--json", "--ttl", "x", "239.1.2.3"});
  EXPECT_TRUE(e.from_parser);
  EXPECT_TRUE(e.json);
  std::ostringstream out, err;
  EXPECT_EQ(tools::print_usage_error(e, "mcast-send", out, err), tools::exit_usage);
  EXPECT_EQ(err.str(), "mcast-send: " + e.message + " (see --help)\n");
  const auto events = test::tools::json_lines(out.str());
  ASSERT_EQ(events.size(), 1u) << out.str();
  EXPECT_EQ(events[0]["event"], "error");
  EXPECT_EQ(events[0]["message"], e.message);
  EXPECT_EQ(events[0]["code"], "usage");
  EXPECT_EQ(events[0]["exit"], 1);
  test::tools::expect_schema_conform(out.str());
  EXPECT_FALSE(send_error({"--json=1", "239.1.2.3"}).json);
  // Checks run in the tool's order: the first problem is the one named.
  EXPECT_EQ(send_error({"--ttl", "256", "-s", "10", "239.1.2.3"}).message, "--size 10: 40 (the header) to 65507 bytes");
}

TEST(SendCommandLine, GoodLinesGiveTheSettings) {
  auto c = tools::parse_send_command_line({"239.1.2.3:6000"});
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->action, tools::cli_action::run);
  const auto& d = c->settings;
  EXPECT_EQ(d.specs, std::vector<std::string>{"239.1.2.3:6000"});
  EXPECT_EQ(d.ttl, 1);
  EXPECT_EQ(d.tos, 0);
  EXPECT_EQ(d.size, 100u);
  EXPECT_EQ(d.burst, 1u);
  EXPECT_EQ(d.batch, 32u);
  EXPECT_FALSE(d.pace);
  EXPECT_FALSE(d.count);
  EXPECT_FALSE(d.duration);
  EXPECT_FALSE(d.id);
  c = tools::parse_send_command_line({"-i", "eth0", "--ttl", "7", "--tos", "ef", "--no-loop", "-s", "1470", "-r",
                                      "1mbps", "--burst", "4", "-c", "10", "-d", "2.5", "--id", "4294967295",
                                      "--drop-every", "10", "--dup-every", "3", "--reorder-every", "2", "--batch",
                                      "64", "--json", "-q", "@specs", "239.1.2.4"});
  ASSERT_TRUE(c) << c.error().message;
  const auto& s = c->settings;
  EXPECT_EQ(s.iface, "eth0");
  EXPECT_EQ(s.ttl, 7);
  EXPECT_EQ(s.tos, 0xb8);
  EXPECT_TRUE(s.no_loop);
  EXPECT_EQ(s.size, 1470u);
  ASSERT_TRUE(s.pace);
  EXPECT_DOUBLE_EQ(s.pace->per_second, 1e6);
  EXPECT_EQ(s.burst, 4u);
  EXPECT_EQ(s.count, 10u);
  EXPECT_EQ(s.duration, 2.5);
  EXPECT_EQ(s.id, 4294967295u);
  EXPECT_EQ(s.faults.drop_every, 10u);
  EXPECT_EQ(s.faults.dup_every, 3u);
  EXPECT_EQ(s.faults.reorder_every, 2u);
  EXPECT_EQ(s.batch, 64u);
  EXPECT_TRUE(s.format().json);
  EXPECT_TRUE(s.format().quiet);
  EXPECT_EQ(s.specs, (std::vector<std::string>{"@specs", "239.1.2.4"}));
}

TEST(RecvCommandLine, MessagesAndEvents) {
  EXPECT_EQ(recv_error({"-4", "-6", "239.1.1.1"}).message, "-4 and -6 exclude each other");
  EXPECT_EQ(recv_error({"--json", "--csv", "239.1.1.1"}).message, "--json and --csv exclude each other");
  EXPECT_EQ(recv_error({"--force", "239.1.1.1"}).message, "--force needs --rcvbuf");
  EXPECT_EQ(recv_error({"--interfaces", "239.1.1.1"}).message, "--interfaces takes no group specs");
  EXPECT_EQ(recv_error({}).message, "no group given (see --help)");
  EXPECT_EQ(recv_error({"--max-loss", "101", "239.1.1.1"}).message, "--max-loss 101: a percentage, 0 to 100");
  // Quoted as typed, not as the double prints (trial16g 7: "1e+308").
  EXPECT_EQ(recv_error({"--max-loss", "1e308", "239.1.1.1"}).message, "--max-loss 1e308: a percentage, 0 to 100");
  EXPECT_EQ(recv_error({"--max-loss=100.50", "239.1.1.1"}).message, "--max-loss 100.50: a percentage, 0 to 100");
  EXPECT_EQ(recv_error({"--duration", "0e3", "239.1.1.1"}).message, "--duration 0e3: seconds, more than 0 and at most 31536000 (365 days)");
  EXPECT_EQ(recv_error({"--interval", "0.0010", "239.1.1.1"}).message,
            "--interval 0.0010: seconds, 0 (summary only) or 0.01 to 31536000 (365 days)");
  EXPECT_EQ(recv_error({"--batch", "65", "239.1.1.1"}).message, "--batch 65: 1 to 64");
  EXPECT_EQ(recv_error({"--rcvbuf", "-5", "239.1.1.1"}).message,
            "--rcvbuf -5: bytes, 0 (the kernel's default) to 1073741823");
  const auto e = recv_error({"--json", "--timeout", "0", "239.1.1.1"});
  EXPECT_EQ(e.message, "--timeout 0: seconds, more than 0 and at most 31536000 (365 days)");
  EXPECT_TRUE(e.json);
  EXPECT_FALSE(e.from_parser);
  std::ostringstream out, err;
  EXPECT_EQ(tools::print_usage_error(e, "mcast-recv", out, err), 1);
  EXPECT_EQ(err.str(), "mcast-recv: --timeout 0: seconds, more than 0 and at most 31536000 (365 days)\n");
  test::tools::expect_schema_conform(out.str());
  EXPECT_NE(out.str().find("\"exit\":1"), std::string::npos) << out.str();
}

TEST(RecvCommandLine, GoodLinesGiveTheSettings) {
  auto c = tools::parse_recv_command_line({"--interfaces"});
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_TRUE(c->settings.interfaces);
  c = tools::parse_recv_command_line({"239.1.1.1"});
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->settings.batch, 32);
  EXPECT_EQ(c->settings.timestamp, "sw");
  EXPECT_EQ(c->settings.max_streams, static_cast<std::int64_t>(tools::stream_table::default_max_streams));
  EXPECT_EQ(c->settings.payload, tools::payload_mode::auto_detect);
  EXPECT_TRUE(c->settings.rtp_clock.empty());
  EXPECT_FALSE(c->settings.count);
  EXPECT_FALSE(c->settings.timeout);
  EXPECT_EQ(c->settings.coalesce, 1000);
  EXPECT_FALSE(c->settings.io_uring) << "recvmmsg unless --io-uring";
  // --io-uring: taken where the build has liburing, refused (exit 1, saying why) where it has not.
  const auto uring = tools::parse_recv_command_line({"--io-uring", "239.1.1.1"});
  if (MCNET_HAS_IO_URING) {
    ASSERT_TRUE(uring) << uring.error().message;
    EXPECT_TRUE(uring->settings.io_uring);
  } else {
    ASSERT_FALSE(uring);
    EXPECT_EQ(uring.error().message,
              "--io-uring: this mcast-recv was built without liburing, so it cannot read with io_uring (install "
              "liburing-dev and build again); without --io-uring it reads with recvmmsg");
  }
  auto both = tools::parse_recv_command_line({"--busy-poll", "50", "--coalesce", "200", "239.1.1.1"});
  ASSERT_TRUE(both) << both.error().message;
  EXPECT_EQ(both->settings.coalesce, 200) << "--coalesce given beside --busy-poll is kept";
  c = tools::parse_recv_command_line({"-6", "--csv", "--interval", "0.5", "-c", "9", "-d", "3", "--timeout", "2",
                                      "--max-loss", "0", "--rcvbuf", "4096", "--force", "--timestamp", "none",
                                      "--batch", "1", "--busy-poll", "50", "--show-packets", "--max-streams", "3",
                                      "--payload", "rtp", "--rtp-clock", "48000", "[ff15::1]:5000"});
  ASSERT_TRUE(c) << c.error().message;
  const auto& s = c->settings;
  EXPECT_TRUE(s.only6);
  EXPECT_TRUE(s.format().csv);
  EXPECT_EQ(s.interval, 0.5);
  EXPECT_EQ(s.count, 9);
  EXPECT_EQ(s.duration, 3.0);
  EXPECT_EQ(s.timeout, 2.0);
  EXPECT_EQ(s.max_loss, 0.0);
  EXPECT_EQ(s.rcvbuf, 4096);
  EXPECT_TRUE(s.force);
  EXPECT_EQ(s.timestamp, "none");
  EXPECT_EQ(s.batch, 1);
  EXPECT_EQ(s.busy_poll, 50);
  EXPECT_EQ(s.coalesce, 0) << "--busy-poll asks for datagrams as they come: no coalescing unless --coalesce is given";
  EXPECT_TRUE(s.show_packets);
  EXPECT_EQ(s.max_streams, 3);
  EXPECT_EQ(s.payload, tools::payload_mode::rtp);
  EXPECT_EQ(s.rtp_clock.all, 48000u);
  EXPECT_EQ(s.rtp_clock.of(96), 48000u);
  // Trial t20u F2: per payload type (an SDP rtpmap's), beside one for the others.
  c = tools::parse_recv_command_line({"--rtp-clock", "96=90000,97=48000", "--rtp-clock", "8000", "239.1.1.1"});
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->settings.rtp_clock.of(96), 90000u);
  EXPECT_EQ(c->settings.rtp_clock.of(97), 48000u);
  EXPECT_EQ(c->settings.rtp_clock.of(98), 8000u);
  EXPECT_EQ(c->settings.rtp_clock.of(0), 8000u);
  c = tools::parse_recv_command_line({"--rtp-clock", "97=48000", "239.1.1.1"});
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->settings.rtp_clock.of(97), 48000u);
  EXPECT_FALSE(c->settings.rtp_clock.of(96)) << "by payload type where not given";
}

TEST(ToolCommandLines, HelpAndVersionAreActions) {
  for (const char* flag : {"--help", "-h"}) {
    EXPECT_EQ(tools::parse_send_command_line({flag, "--ttl", "999"})->action, tools::cli_action::help);
    EXPECT_EQ(tools::parse_recv_command_line({flag, "-4", "-6"})->action, tools::cli_action::help);
  }
  EXPECT_EQ(tools::parse_send_command_line({"--version"})->action, tools::cli_action::version);
  EXPECT_EQ(tools::parse_recv_command_line({"--version"})->action, tools::cli_action::version);
  // The help lists what the parser takes, and cites the man page and the
  // installed reference and schema, not the source tree's docs/ (which an
  // installed tool's user does not have; ctest mcnet_tools_installed_help
  // checks that an install has each of them).
  for (const auto& [tool, help, names] :
       {std::tuple{"mcast-send", tools::send_help(), tools::send_option_names()},
        std::tuple{"mcast-recv", tools::recv_help(), tools::recv_option_names()}}) {
    for (const auto& n : names) EXPECT_NE(help.find("--" + n), std::string::npos) << n;
    EXPECT_NE(help.find("man " + std::string(tool)), std::string::npos) << tool;
    EXPECT_NE(help.find(tools::installed_reference()), std::string::npos) << tool;
    EXPECT_NE(help.find(tools::installed_schema()), std::string::npos) << tool;
    EXPECT_TRUE(tools::installed_reference().ends_with("/tools.md") ||
                tools::installed_reference().ends_with("/tools.md.gz"))
        << tools::installed_reference();
    EXPECT_TRUE(tools::installed_schema().ends_with("/mcnet/mcast-tools.schema.json")) << tools::installed_schema();
    EXPECT_EQ(help.find("docs/"), std::string::npos) << tool;
    EXPECT_NE(help.find("exit codes:"), std::string::npos);
  }
}

// --help names the reference and the schema where the running program's
// install has them: under the prefix it is installed in (`cmake --install
// --prefix DIR`), found from its path and the bindir, when the file is
// there; else the configured path. ctest mcnet_tools_installed_help runs
// installed tools.
TEST(ToolCommandLines, InstalledPathsFollowWhereTheProgramIs) {
  namespace fs = std::filesystem;
  const fs::path root = fs::path(::testing::TempDir()) / ("installed_path_" + std::to_string(::getpid()));
  fs::remove_all(root);
  fs::create_directories(root / "prefix/share/mcnet");
  std::ofstream(root / "prefix/share/mcnet/schema.json") << "{}";
  const std::string file = (root / "prefix/share/mcnet/schema.json").string();
  const std::string configured = "/usr/local/share/mcnet/schema.json";
  const auto program = root / "prefix/bin/mcast-recv";
  EXPECT_EQ(tools::installed_path(program, "bin", "share/mcnet/schema.json", configured), file);
  EXPECT_EQ(tools::installed_path(program, "bin/", "share/mcnet/schema.json", configured), file);
  EXPECT_EQ(tools::installed_path(root / "prefix/lib/mcnet/bin/mcast-recv", "lib/mcnet/bin", "share/mcnet/schema.json",
                                  configured),
            file);
  // A file the install does not have there: the configured path.
  EXPECT_EQ(tools::installed_path(program, "bin", "share/mcnet/other.json", configured), configured);
  // Not in an install's bindir (a build tree: build/tools/mcast-recv).
  EXPECT_EQ(tools::installed_path(root / "prefix/tools/mcast-recv", "bin", "share/mcnet/schema.json", configured),
            configured);
  EXPECT_EQ(tools::installed_path(root / "prefix/other/bin/mcast-recv", "lib/bin", "share/mcnet/schema.json",
                                  configured),
            configured);
  // Absolute directories do not move with the prefix; no program path.
  EXPECT_EQ(tools::installed_path(program, "/usr/bin", "share/mcnet/schema.json", configured), configured);
  EXPECT_EQ(tools::installed_path(program, "bin", file, configured), configured);
  EXPECT_EQ(tools::installed_path({}, "bin", "share/mcnet/schema.json", configured), configured);
  fs::remove_all(root);
}

// trial h16r MEDIUM 4: --interval 1e300, -d 1e20 and the like were taken,
// past what the steady clock holds once made nanoseconds (the deadline
// wrapped, or the run never ended). Every option of seconds refuses more
// than tools::max_seconds (365 days), naming the option and the maximum,
// in both tools; the longest is taken.
TEST(ToolCommandLines, SecondsPastTheLongestAreRefusedByEveryOptionOfSeconds) {
  EXPECT_EQ(tools::max_seconds, 31536000.0) << "docs/tools.md, \"Exit codes\"";
  struct seconds_option {
    bool send;
    std::string option;  // as given
    std::string name;    // the long name the message gives
  };
  for (const auto& [send, option, name] : {seconds_option{false, "--interval", "--interval"},
                                           seconds_option{false, "-d", "--duration"},
                                           seconds_option{false, "--timeout", "--timeout"},
                                           seconds_option{true, "-d", "--duration"}}) {
    for (const std::string value : {"1e300", "1e20", "31536000.5", "1e8"}) {
      SCOPED_TRACE((send ? "mcast-send " : "mcast-recv ") + option + " " + value);
      const std::vector<std::string> args{"--json", option, value, "239.1.2.3"};
      const auto e = send ? send_error(args) : recv_error(args);
      EXPECT_NE(e.message.find(name + " "), std::string::npos) << e.message;
      EXPECT_NE(e.message.find("31536000 (365 days)"), std::string::npos) << e.message;
      EXPECT_EQ(e.code, "usage");
      EXPECT_TRUE(e.json);
    }
    const std::vector<std::string> longest{option, "31536000", "239.1.2.3"};
    EXPECT_TRUE(send ? tools::parse_send_command_line(longest).has_value()
                     : tools::parse_recv_command_line(longest).has_value())
        << option << " 31536000";
  }
}

// A spec file, removed at the end of the test.
class spec_file {
 public:
  explicit spec_file(const std::string& text)
      : path_(::testing::TempDir() + "specs_" + ::testing::UnitTest::GetInstance()->current_test_info()->name()) {
    std::ofstream(path_) << text;
  }
  ~spec_file() { std::remove(path_.c_str()); }
  [[nodiscard]] std::string arg() const { return "@" + path_; }

 private:
  std::string path_;
};

std::string core_endpoint_text(const tools::send_target& t) {
  return mcnet::core::endpoint(t.group, t.port).to_string();
}

// Parse `args` and resolve their specs with the fake resolver, as a tool
// does: `Item`s (targets or memberships), what was printed, the exit code.
template <class Item, class Parse, class Resolve>
std::vector<Item> resolved(const char* tool, Parse parse, Resolve resolve, const std::vector<std::string>& args,
                           outcome& o) {
  std::ostringstream out, err;
  std::vector<Item> items;
  auto c = parse(args);
  EXPECT_TRUE(c) << c.error().message;
  if (!c) return items;
  const tools::reporter r(tool, c->settings.format(), out, err);
  o.exit = resolve(c->settings, r, test::tools::fake_resolver("fake0 is down (ip link set dev fake0 up)"), items).value_or(0);
  o.out = out.str();
  o.err = err.str();
  return items;
}

std::vector<tools::send_target> targets_of(const std::vector<std::string>& args, outcome& o) {
  return resolved<tools::send_target>("mcast-send", tools::parse_send_command_line, tools::resolve_targets, args, o);
}

TEST(SendSpecs, ARepeatedStreamIsSentOnce) {
  outcome o;
  auto t = targets_of({"239.1.2.3:6000", "239.1.2.3:6000", "239.1.2.2:6000+3", "239.1.2.3:6001"}, o);
  EXPECT_EQ(o.exit, 0) << o.err;
  ASSERT_EQ(t.size(), 4u);
  EXPECT_EQ(core_endpoint_text(t[0]), "239.1.2.3:6000");
  EXPECT_EQ(core_endpoint_text(t[1]), "239.1.2.2:6000");
  EXPECT_EQ(core_endpoint_text(t[2]), "239.1.2.4:6000");
  EXPECT_EQ(core_endpoint_text(t[3]), "239.1.2.3:6001");
  EXPECT_EQ(o.err,
            "mcast-send: warning: 239.1.2.3:6000 is given more than once; sending to it once\n"
            "mcast-send: warning: 239.1.2.3:6000 is given more than once; sending to it once\n")
      << "once for the repeat, once for the range over it";
}

TEST(SendSpecs, SourceAndInterfaceMakeOtherStreams) {
  outcome o;
  auto t = targets_of({"-i", "fake0", "239.1.2.3", "10.77.0.1,239.1.2.3", "239.1.2.3%eth9"}, o);
  EXPECT_EQ(o.exit, 1) << "an interface the resolver does not know";
  EXPECT_NE(o.err.find("group spec \"239.1.2.3%eth9\""), std::string::npos) << o.err;
  t = targets_of({"-i", "fake0", "239.1.2.3", "10.77.0.1,239.1.2.3", "239.1.2.3%7"}, o);
  EXPECT_EQ(o.exit, 0) << o.err;
  ASSERT_EQ(t.size(), 2u) << "%7 is fake0 again: the first spec's stream";
  EXPECT_EQ(t[0].iface.index, 7u);
  EXPECT_EQ(t[0].port, 5000) << "the default port";
  EXPECT_FALSE(t[0].source);
  EXPECT_EQ(t[1].source, mcnet::core::ip_address::v4(10, 77, 0, 1));
  // The documented form of every warning about a check: CHECK SUBJECT: MESSAGE (fix: COMMAND) (trial15u F7).
  EXPECT_NE(o.err.find("mcast-send: warning: interface fake0: fake0 is down (fix: ip link set dev fake0 up)\n"),
            std::string::npos)
      << "-i's warnings: " << o.err;
  t = targets_of({"239.1.2.3"}, o);
  ASSERT_EQ(t.size(), 1u);
  EXPECT_TRUE(t[0].iface.is_kernel_choice()) << "no -i: the kernel's route";
}

// One group and port out of several interfaces (or sources): each target
// numbers it from 0 by its own socket, so each is a numbering of its own
// and carries a session of its own, the run's plus how many targets of the
// group and port came before it (trial t20r F1: one session from two source
// addresses read as a second sender of one stream). Its B line carries
// its main line's.
TEST(SendSpecs, ARepeatedGroupAndPortGetsASessionOfItsOwn) {
  outcome o;
  auto t = targets_of({"239.1.2.3:6000%7", "239.1.2.3:6001%7", "10.77.0.1,239.1.2.3:6000%7",
                       "10.77.0.2,239.1.2.3:6000", "--line-b", "239.2.2.3:6000+4"},
                      o);
  EXPECT_EQ(o.exit, 0) << o.err;
  ASSERT_EQ(t.size(), 4u);
  EXPECT_EQ(t[0].session_offset, 0u);
  EXPECT_EQ(t[1].session_offset, 0u) << "another port: another stream already";
  EXPECT_EQ(t[2].session_offset, 1u);
  EXPECT_EQ(t[3].session_offset, 2u);
  for (const auto& a : t) {
    ASSERT_NE(a.line_b, nullptr);
    EXPECT_EQ(a.line_b->session_offset, a.session_offset) << "B copies A's session";
  }
  tools::batch_builder b(1, 40, 9, 0x7fffffffu, [] { return std::uint64_t{1}; });
  for (const std::uint32_t offset : {0u, 1u, 2u}) {
    tools::send_target one;
    one.order = tools::send_order::make(1, {}).value();
    one.session_offset = offset;
    const auto batch = b.fill(one, 1);
    ASSERT_EQ(batch.size(), 1u);
    const auto h = mcnet::feed::test_header::parse(std::span<const std::byte>(batch[0].buffer.data(), batch[0].size));
    ASSERT_TRUE(h.has_value());
    EXPECT_EQ(h->session, (0x7fffffffu + offset) & 0x7fffffffu) << "high bit clear, as every session";
  }
}

TEST(SendSpecs, BadSpecsAndFiles) {
  outcome o;
  (void)targets_of({"--json", "-i", "eth9", "239.1.2.3"}, o);
  EXPECT_EQ(o.exit, 1);
  EXPECT_NE(o.err.find("mcast-send: -i eth9: "), std::string::npos) << o.err;
  test::tools::expect_schema_conform(o.out);
  EXPECT_NE(o.out.find("\"exit\":1"), std::string::npos) << o.out;
  for (const char* bad : {"10.1.2.3:5000", "239.1.2.3:70000", "!10.77.0.1,239.1.1.1", "fd77::1,239.1.1.1"}) {
    (void)targets_of({bad}, o);
    EXPECT_EQ(o.exit, 1) << bad;
    EXPECT_NE(o.err.find(bad), std::string::npos) << "names the spec: " << o.err;
  }
  const spec_file file("# two groups\n239.3.3.3:7000\r\n\n  239.3.3.4:7000  \n");
  auto t = targets_of({file.arg()}, o);
  EXPECT_EQ(o.exit, 0) << o.err;
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(core_endpoint_text(t[1]), "239.3.3.4:7000");
  const spec_file empty("# nothing\n");
  (void)targets_of({empty.arg()}, o);
  EXPECT_EQ(o.exit, 1);
  EXPECT_EQ(o.err, "mcast-send: no group given: the spec file \"" + empty.arg().substr(1) + "\" holds none\n");
  (void)targets_of({"@/nonexistent/specs"}, o);
  EXPECT_EQ(o.exit, 1);
  EXPECT_NE(o.err.find("/nonexistent/specs"), std::string::npos) << o.err;
}

std::vector<tools::membership> members_of(const std::vector<std::string>& args, outcome& o);

// A bad line of an @FILE is named by file and line, in both tools, in text
// and in the JSON error event; its code stays the spec's own.
// trial16f 4 (issue 16): text-mode errors echoed raw control bytes from
// arguments and @FILE lines (an escape sequence cleared the terminal and set
// its title; a NUL went to stderr as is). They are made visible, as --json
// escapes them: ESC as \x1b, BEL as \x07, NUL as \0.
TEST(ToolCommandLines, ControlCharactersInErrorsAreMadeVisible) {
  EXPECT_EQ(tools::visible_text(std::string("a\x1b]0;pwned\a\x1b[2J\0b\x7f\tc", 20)),
            "a\\x1b]0;pwned\\x07\\x1b[2J\\0b\\x7f\tc");
  // U+00A0 is no control, but invisible: shown too since trial t16u L1.
  EXPECT_EQ(tools::visible_text("C1 \xc2\x9b" "2J, and \xc2\xa0"), "C1 \\u009b2J, and \\u00a0");
  EXPECT_EQ(tools::visible_text("not \xc2\xa1"), "not \xc2\xa1");
  EXPECT_EQ(tools::visible_text("plain \xc3\xa9 \xff"), "plain \xc3\xa9 \\xff") << "a byte of no UTF-8 shown";
  // An argument (a usage error before any reporter) and a resolved spec's error.
  const std::string escape = "239.1.1.1\x1b]0;pwned\a\x1b[2J";
  outcome o = recv_front({escape}, tools::netlink_resolver());
  EXPECT_EQ(o.exit, 1);
  EXPECT_EQ(o.err.find('\x1b'), std::string::npos) << o.err;
  EXPECT_EQ(o.err.find('\a'), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("\\x1b]0;pwned\\x07\\x1b[2J"), std::string::npos) << o.err;
  o = recv_front({"--rcvbuf", std::string("1\x1b[2J", 5), "239.1.1.1"}, tools::netlink_resolver());
  EXPECT_EQ(o.exit, 1);
  EXPECT_EQ(o.err.find('\x1b'), std::string::npos) << o.err;
  // An @FILE line with a NUL.
  const spec_file nul(std::string("239.1.1.1\0:5000\n", 16));
  (void)members_of({nul.arg()}, o);
  EXPECT_EQ(o.exit, 1);
  EXPECT_EQ(o.err.find('\0'), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("239.1.1.1\\0:5000"), std::string::npos) << o.err;
  (void)members_of({"--json", nul.arg()}, o);
  const auto events = test::tools::json_lines(o.out);
  ASSERT_EQ(events.size(), 1u) << o.out;
  // Trial t16x L4: a JSON message reads as the text line does (the NUL as
  // the text \0), so that `jq -r .message` puts no control on a terminal.
  EXPECT_EQ(events[0]["message"].get<std::string>().find('\0'), std::string::npos) << o.out;
  EXPECT_NE(events[0]["message"].get<std::string>().find("239.1.1.1\\0:5000"), std::string::npos) << o.out;
}

TEST(ToolSpecs, ABadLineOfAFileNamesFileAndLine) {
  const spec_file file("# feeds\n239.3.3.3:7000\n\n239.3.3.4:7000+\n");
  const std::string path = file.arg().substr(1);
  const std::string expected = path + ":4: parse group spec \"239.3.3.4:7000+\": Invalid argument: '+' is followed "
                                      "by a count of groups, a decimal number 1 to 65536";
  outcome o;
  (void)targets_of({"--json", file.arg()}, o);
  EXPECT_EQ(o.exit, 1);
  EXPECT_EQ(o.err, "mcast-send: " + expected + "\n");
  auto events = test::tools::json_lines(o.out);
  ASSERT_EQ(events.size(), 1u) << o.out;
  EXPECT_EQ(events[0]["message"], expected);
  EXPECT_EQ(events[0]["code"], "EINVAL");
  (void)members_of({"--json", file.arg()}, o);
  EXPECT_EQ(o.exit, 1);
  EXPECT_EQ(o.err, "mcast-recv: " + expected + "\n");
  events = test::tools::json_lines(o.out);
  ASSERT_EQ(events.size(), 1u) << o.out;
  EXPECT_EQ(events[0]["code"], "EINVAL");
  // An interface that does not resolve, and a repeat, name the line too.
  const spec_file iface("239.3.3.3:7000%eth9\n");
  (void)members_of({iface.arg()}, o);
  EXPECT_EQ(o.exit, 1);
  EXPECT_NE(o.err.find(iface.arg().substr(1) + ":1: group spec \"239.3.3.3:7000%eth9\""), std::string::npos) << o.err;
  // A line too long for a spec: FILE:LINE first too, in text and JSON.
  const spec_file long_line("239.3.3.3:7000\n" + std::string(4097, ' ') + "\n");
  const std::string too_long = long_line.arg().substr(1) +
                               ":2: read spec file: value out of range: the line is longer than 4096 bytes: a spec "
                               "file holds one group spec a line";
  (void)targets_of({"--json", long_line.arg()}, o);
  EXPECT_EQ(o.exit, 1);
  EXPECT_EQ(o.err, "mcast-send: " + too_long + "\n");
  events = test::tools::json_lines(o.out);
  ASSERT_EQ(events.size(), 1u) << o.out;
  EXPECT_EQ(events[0]["message"], too_long);
  EXPECT_EQ(events[0]["code"], "value_out_of_range");
  (void)members_of({long_line.arg()}, o);
  EXPECT_EQ(o.err, "mcast-recv: " + too_long + "\n");
  const spec_file twice("239.3.3.3:7000\n239.3.3.3:7000\n");
  (void)targets_of({twice.arg()}, o);
  EXPECT_EQ(o.exit, 0) << o.err;
  EXPECT_EQ(o.err, "mcast-send: warning: " + twice.arg().substr(1) +
                       ":2: 239.3.3.3:7000 is given more than once; sending to it once\n");
}

// Specs both tools refuse before anything is joined or sent: exit 1, the
// spec named on stderr (and the JSON error event's code); the good spec
// before it does not matter.
const std::vector<std::pair<std::string, std::string>> refused_specs = {
    {"::ffff:10.77.0.1,[ff3e::1]:5000", "family_mismatch"},
    {"[::ffff:10.77.0.1],[ff3e::1]:5000", "family_mismatch"},
    {"fd77::1,239.1.1.1", "family_mismatch"},
    {"0.0.0.0,232.1.1.1", "source_not_unicast"},
    {"::,[ff3e::1]:5000", "source_not_unicast"},
    {"239.1.1.9,232.1.1.1", "source_not_unicast"},
    {"127.0.0.1,232.1.1.1", "source_loopback"},  // trial h16x L6: joined silently before
    {"::1,[ff3e::1]:5000", "source_loopback"},
    {"::127.0.0.1,[ff3e::1]:5000", "source_v4_compatible"},  // trial t16z: joined before
    {"::10.77.16.1,[ff3e::1]:5000", "source_v4_compatible"},
    {"0.0.0.1,232.1.1.1", "source_not_unicast"},  // only a route warning before
    {"240.0.0.1,232.1.1.1", "source_not_unicast"},
    {"ff1e:ffff:ffff:ffff:ffff:ffff:ffff:ffff+2", "value_out_of_range"},
    {"[ff02:ffff:ffff:ffff:ffff:ffff:ffff:ffff%fake0]:5000+2", "value_out_of_range"},
    {"239.255.255.255+2", "not_multicast"},
    {"", "invalid_address"},
    {"[239.1.1.1]:5000", "invalid_address"},
    {"@", "usage"},  // an empty @FILE name (trial t16z: "read spec file: No such file or directory")
    {"@/tmp", "EISDIR"},
    {"@/dev/zero", "EINVAL"},
};

TEST(SendSpecs, RefusedBeforeAnythingIsSent) {
  auto specs = refused_specs;
  specs.emplace_back("fe80::1,[ff3e::1]:5000", "interface_required");  // bound on an interface: name it
  for (const auto& [spec, code] : specs) {
    outcome o;
    (void)targets_of({"--json", "239.1.2.3", spec}, o);
    EXPECT_EQ(o.exit, 1) << spec;
    EXPECT_NE(o.err.find(spec.starts_with("@") ? spec.substr(1) : spec), std::string::npos) << o.err;
    const auto events = test::tools::json_lines(o.out);
    ASSERT_EQ(events.size(), 1u) << o.out;
    EXPECT_EQ(events[0]["code"], code) << spec << ": " << o.err;
  }
}

std::vector<tools::membership> members_of(const std::vector<std::string>& args, outcome& o);

TEST(RecvSpecs, RefusedBeforeAnyJoin) {
  for (const auto& [spec, code] : refused_specs) {
    outcome o;
    const auto m = members_of({"--json", "[ff3e::5]:5000", spec}, o);
    EXPECT_EQ(o.exit, 1) << spec;
    EXPECT_NE(o.err.find(spec.starts_with("@") ? spec.substr(1) : spec), std::string::npos) << o.err;
    const auto events = test::tools::json_lines(o.out);
    ASSERT_EQ(events.size(), 1u) << o.out;
    EXPECT_EQ(events[0]["code"], code) << spec << ": " << o.err;
  }
  // Issue #16: a loopback source is unicast; what is wrong is said, not
  // "source is not a unicast address" (both tools, both families).
  for (const std::string spec : {"127.0.0.1,232.1.1.1", "::1,[ff3e::1]:5000"}) {
    outcome r;
    (void)members_of({spec}, r);
    EXPECT_EQ(r.exit, 1) << spec;
    EXPECT_NE(r.err.find("a loopback source never sends multicast on a link"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("not a unicast address"), std::string::npos) << r.err;
    outcome s;
    (void)targets_of({"239.1.2.3", spec}, s);
    EXPECT_EQ(s.exit, 1) << spec;
    EXPECT_NE(s.err.find("a loopback source never sends multicast on a link"), std::string::npos) << s.err;
  }
  outcome o;
  (void)members_of({"!::ffff:10.77.0.1,[ff3e::1]:5000"}, o);
  EXPECT_EQ(o.exit, 1);
  EXPECT_NE(o.err.find("v4-mapped"), std::string::npos) << o.err;
}

std::vector<tools::membership> members_of(const std::vector<std::string>& args, outcome& o) {
  return resolved<tools::membership>("mcast-recv", tools::parse_recv_command_line, tools::resolve_memberships, args, o);
}

// Issue #16, trial t16t: the link's directed broadcast (10.77.162.255 on a
// /24) as S was sent from (the datagrams left from the interface's own
// address) and joined without a word. A broadcast address of this host:
// an address's IFA_BROADCAST, or its subnet's all-ones host part without
// one; a /31 and a /32 have none.
TEST(SourceSpecs, HostBroadcastAddressesAreNamed) {
  mcnet::netlink::snapshot snap;
  mcnet::netlink::link eth;
  eth.index = 7;
  eth.name = "eth0";
  snap.links.push_back(eth);
  mcnet::netlink::link p2p = eth;
  p2p.index = 8;
  p2p.name = "wg0";
  snap.links.push_back(p2p);
  const auto add = [&snap](std::uint32_t index, const char* local, std::uint8_t len, const char* brd) {
    mcnet::netlink::address a;
    a.index = index;
    a.local = *mcnet::core::ip_address::parse(local);
    a.prefix_length = len;
    if (brd != nullptr) a.broadcast = *mcnet::core::ip_address::parse(brd);
    snap.addresses.push_back(a);
  };
  add(7, "10.77.162.1", 24, "10.77.162.255");
  add(7, "10.77.16.9", 20, nullptr);  // no brd: 10.77.31.255 all the same
  add(7, "fd77:162::1", 64, nullptr);
  add(8, "10.77.200.0", 31, nullptr);
  add(8, "10.77.201.7", 32, nullptr);
  const auto is = [&snap](const char* a) { return tools::host_broadcast(*mcnet::core::ip_address::parse(a), snap); };
  EXPECT_EQ(is("10.77.162.255"), "the broadcast address of eth0's subnet 10.77.162.0/24");
  EXPECT_EQ(is("10.77.31.255"), "the broadcast address of eth0's subnet 10.77.16.0/20 (all host bits set)");
  EXPECT_EQ(is("10.77.162.1"), std::nullopt) << "its own address";
  EXPECT_EQ(is("10.77.162.254"), std::nullopt);
  EXPECT_EQ(is("10.77.163.255"), std::nullopt) << "another subnet's";
  EXPECT_EQ(is("10.77.200.1"), std::nullopt) << "a /31 has no broadcast address";
  EXPECT_EQ(is("10.77.201.7"), std::nullopt) << "nor a /32";
  EXPECT_EQ(is("fd77:162::ffff:ffff:ffff:ffff"), std::nullopt) << "IPv6 has none";

  const auto broadcast = *mcnet::core::ip_address::parse("10.77.162.255");
  const auto refused = tools::broadcast_source_refusal("10.77.162.255,232.1.1.1:5000", broadcast, snap);
  ASSERT_TRUE(refused);
  EXPECT_EQ(*refused,
            "parse group spec \"10.77.162.255,232.1.1.1:5000\": source is not a unicast address: the source "
            "10.77.162.255 is the broadcast address of eth0's subnet 10.77.162.0/24, never a sender's address (a "
            "socket bound to it sends from the interface's own address, and no datagram comes from it)");
  const auto own = *mcnet::core::ip_address::parse("10.77.162.1");
  EXPECT_FALSE(tools::broadcast_source_refusal("10.77.162.1,232.1.1.1", own, snap));
}

// Both tools refuse such a source before any join or send (exit 1, code
// source_not_unicast, the interface named), with this namespace's own
// addresses: skipped where no IPv4 address of up to /30 is configured.
TEST(SourceSpecs, BothToolsRefuseAHostBroadcastSource) {
  auto snap = mcnet::netlink::take_snapshot({.groups = false});
  ASSERT_TRUE(snap) << snap.error().message();
  std::optional<mcnet::core::ip_address> broadcast;
  std::string dev;
  for (const auto& a : snap->addresses) {
    if (!a.local.is_v4() || a.prefix_length > 30 || a.local.bytes()[0] == 127) continue;
    broadcast = mcnet::core::ip_address::v4_uint(a.local.v4_uint() | (0xFFFFFFFFU >> a.prefix_length));
    const auto* l = snap->link_by_index(a.index);
    dev = l != nullptr ? l->name : std::string();
    break;
  }
  if (!broadcast) GTEST_SKIP() << "no IPv4 address of up to /30 here";
  const auto spec = broadcast->to_string() + ",232.1.1.1:5000";
  outcome r;
  const auto m = members_of({"--json", "232.1.1.2", spec}, r);
  EXPECT_EQ(r.exit, 1) << r.err;
  auto events = test::tools::json_lines(r.out);
  ASSERT_EQ(events.size(), 1u) << r.out;
  EXPECT_EQ(events[0]["code"], "source_not_unicast") << r.err;
  const auto named = fmt::format("the source {} is the broadcast address of {}'s subnet", broadcast->to_string(), dev);
  EXPECT_NE(r.err.find(named), std::string::npos) << r.err;
  outcome s;
  (void)targets_of({"--json", "232.1.1.2", spec}, s);
  EXPECT_EQ(s.exit, 1) << s.err;
  events = test::tools::json_lines(s.out);
  ASSERT_EQ(events.size(), 1u) << s.out;
  EXPECT_EQ(events[0]["code"], "source_not_unicast") << s.err;
  EXPECT_NE(s.err.find("is the broadcast address of"), std::string::npos) << s.err;
}

TEST(RecvSpecs, FamilyFilters) {
  outcome o;
  (void)members_of({"--json", "-4", "239.1.1.1", "[ff15::1]:5000"}, o);
  EXPECT_EQ(o.exit, 1);
  EXPECT_EQ(o.err, "mcast-recv: parse group spec \"[ff15::1]:5000\": excluded by -4\n");
  const auto events = test::tools::json_lines(o.out);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["code"], "family_mismatch");
  (void)members_of({"-6", "[ff15::1]:5000", "239.1.1.1"}, o);
  EXPECT_EQ(o.exit, 1);
  EXPECT_NE(o.err.find("\"239.1.1.1\": excluded by -6"), std::string::npos) << o.err;
  auto m = members_of({"-6", "[ff15::1]:5000", "fd77::9,[ff3e::1]:5001"}, o);
  EXPECT_EQ(o.exit, 0) << o.err;
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m[1].request.mode, tools::filter::include);
  EXPECT_EQ(m[1].request.port, 5001);
}

TEST(RecvSpecs, RepeatsAreKeptForThePlannerAndConflictsRefused) {
  outcome o;
  // Repeated specs stay memberships: the planner finds them duplicate and
  // joins, lists and times them once (socket_plan_test, NetMcastRecv).
  auto m = members_of({"-i", "fake0", "239.1.1.1", "239.1.1.1", "10.77.0.5,232.1.1.1", "10.77.0.6,232.1.1.1"}, o);
  EXPECT_EQ(o.exit, 0) << o.err;
  ASSERT_EQ(m.size(), 4u);
  for (const auto& x : m) EXPECT_EQ(x.request.interface_index, 7u);
  EXPECT_NE(o.err.find("mcast-recv: warning: interface fake0: fake0 is down (fix: ip link set dev fake0 up)\n"),
            std::string::npos)
      << o.err;
  m = members_of({"239.2.2.2:6000%fake0+3"}, o);
  ASSERT_EQ(m.size(), 3u);
  EXPECT_EQ(m[2].request.group, mcnet::core::ip_address::v4(239, 2, 2, 4));
  EXPECT_EQ(m[2].iface.index, 7u);
  (void)members_of({"10.77.0.1,239.1.1.1", "!10.77.0.2,239.1.1.1"}, o);
  EXPECT_EQ(o.exit, 1) << "include and exclude for one group";
  (void)members_of({"-i", "eth9", "239.1.1.1"}, o);
  EXPECT_EQ(o.exit, 1);
  EXPECT_NE(o.err.find("-i eth9: "), std::string::npos) << o.err;
  (void)members_of({"-i", "fake0", "[ff02::1%99]:5000"}, o);
  EXPECT_EQ(o.exit, 1) << "no index 99";
  EXPECT_NE(o.err.find("group spec \"[ff02::1%99]:5000\""), std::string::npos) << o.err;
  const spec_file empty("\n# none\n");
  (void)members_of({empty.arg()}, o);
  EXPECT_EQ(o.exit, 1);
  EXPECT_EQ(o.err, "mcast-recv: no group given: the spec file \"" + empty.arg().substr(1) + "\" holds none\n");
}

TEST(RecvSpecs, PlanningConflictsAreRefusedBeforeAnySocket) {
  // Any-source and source-specific for one group would turn the any-source
  // join into include mode: bad input, found by the dry plan (exit 1).
  std::ostringstream out, err;
  auto c = tools::parse_recv_command_line({"--json", "239.1.2.4", "10.77.0.5,239.1.2.4"});
  ASSERT_TRUE(c) << c.error().message;
  const tools::reporter r("mcast-recv", c->settings.format(), out, err);
  std::vector<tools::membership> members;
  ASSERT_FALSE(tools::resolve_memberships(c->settings, r, test::tools::fake_resolver(), members));
  std::vector<tools::shard> shards;
  tools::stream_table table(8);
  EXPECT_EQ(tools::open_and_join(c->settings, r, members, shards, table), tools::exit_usage);
  EXPECT_TRUE(shards.empty()) << "no socket opened";
  EXPECT_NE(err.str().find("group spec \"10.77.0.5,239.1.2.4\""), std::string::npos) << err.str();
  EXPECT_NE(err.str().find("include mode"), std::string::npos) << err.str();
  test::tools::expect_schema_conform(out.str());
  EXPECT_EQ(out.str().find("\"start\""), std::string::npos) << "nothing joined: " << out.str();
}

// trial h16r HIGH 1: `+N` is at most 65,536 per spec, but several specs (or
// the lines of an @FILE) named millions of groups together, and both tools
// expanded them all (past 2 GB) before any check. The groups all specs name
// are counted before a spec is expanded: up to tools::max_planned_groups
// they are planned, one more is exit 1 naming the spec and the limit, in
// both tools, for IPv4 and IPv6 alike.
TEST(ToolCommandLines, TheGroupsAllSpecsNameAreBoundedBeforeTheyAreExpanded) {
  ASSERT_EQ(tools::max_planned_groups, 4u * 65536u) << "the documented ceiling (docs/tools.md, \"Group specs\")";
  for (const bool v6 : {false, true}) {
    SCOPED_TRACE(v6 ? "IPv6" : "IPv4");
    std::vector<std::string> specs;
    for (int i = 0; i < 4; ++i) {
      specs.push_back(v6 ? "ff3e::" + std::to_string(20 + i) + ":0+65536" : "239." + std::to_string(20 + i) + ".0.0+65536");
    }
    outcome o;
    EXPECT_EQ(targets_of(specs, o).size(), tools::max_planned_groups) << o.err;
    EXPECT_EQ(o.exit, 0) << o.err;
    EXPECT_EQ(members_of(specs, o).size(), tools::max_planned_groups) << o.err;
    EXPECT_EQ(o.exit, 0) << o.err;
    const std::string past = v6 ? "[ff3e::99]:5000" : "239.99.0.1";
    specs.insert(specs.begin() + 2, past);
    const std::string last = specs.back();
    specs.insert(specs.begin(), "--json");
    for (const char* tool : {"mcast-send", "mcast-recv"}) {
      SCOPED_TRACE(tool);
      const bool send = std::string(tool) == "mcast-send";
      const auto planned = send ? targets_of(specs, o).size() : members_of(specs, o).size();
      EXPECT_EQ(o.exit, 1) << o.err;
      EXPECT_EQ(planned, 3u * 65536 + 1) << "refused before the last spec was expanded";
      EXPECT_NE(o.err.find("\"" + last + "\""), std::string::npos) << "names the spec: " << o.err;
      EXPECT_NE(o.err.find("262144"), std::string::npos) << "names the limit: " << o.err;
      const auto events = test::tools::json_lines(o.out);
      ASSERT_EQ(events.size(), 1u) << o.out;
      EXPECT_EQ(events[0]["code"], "value_out_of_range") << o.out;
      test::tools::expect_schema_conform(o.out);
    }
  }
}

// The same through an @FILE whose lines name 3.9 billion groups (60,000
// ranges of 65,536, under the 16 MiB a file may hold): refused at the line
// that goes past the limit, named by file and line, long before the groups
// would fill the memory.
TEST(ToolCommandLines, AFileOfManyRangesIsRefusedAtTheLineThatPassesTheLimit) {
  std::string text = "# 60,000 ranges of 65,536 groups\n";
  for (int i = 0; i < 60000; ++i) text += "239.1.0.0+65536\n";
  const spec_file file(text);
  for (const char* tool : {"mcast-send", "mcast-recv"}) {
    SCOPED_TRACE(tool);
    outcome o;
    const bool send = std::string(tool) == "mcast-send";
    const auto planned = send ? targets_of({file.arg()}, o).size() : members_of({file.arg()}, o).size();
    EXPECT_EQ(o.exit, 1) << o.err;
    EXPECT_LE(planned, tools::max_planned_groups);
    EXPECT_NE(o.err.find(file.arg().substr(1) + ":6: "), std::string::npos)
        << "the fifth range (line 6) passes the limit: " << o.err;
    EXPECT_NE(o.err.find("262144"), std::string::npos) << o.err;
  }
}

TEST(NetRecvSpecs, NoInterfaceMeansTheRoutesInterfaceWhenPlanning) {
  // Without -i the kernel joins on its route's interface (eth0 here): an
  // include join naming eth0 would switch that any-source join to include
  // mode and silently lose the other senders, so it is refused as if both
  // named eth0; an any-source join naming eth0 is the same membership.
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(1);
  const auto& h = (*net)[0];
  const auto plan = [&](std::vector<std::string> args, std::vector<tools::shard>& shards, std::string& err) {
    return h.run([&] {
      std::ostringstream out, errors;
      auto c = tools::parse_recv_command_line(args);
      EXPECT_TRUE(c) << c.error().message;
      const tools::reporter r("mcast-recv", c->settings.format(), out, errors);
      std::vector<tools::membership> members;
      EXPECT_FALSE(tools::resolve_memberships(c->settings, r, tools::netlink_resolver(), members));
      tools::stream_table table(8);
      auto code = tools::open_and_join(c->settings, r, members, shards, table).value_or(0);
      err = errors.str();
      return code;
    });
  };
  std::vector<tools::shard> shards;
  std::string err;
  EXPECT_EQ(plan({"239.255.13.1", "10.77.0.9,239.255.13.1%eth0"}, shards, err), tools::exit_usage) << err;
  EXPECT_TRUE(shards.empty()) << "refused before any socket";
  EXPECT_NE(err.find("include mode"), std::string::npos) << err;

  EXPECT_EQ(plan({"239.255.13.2", "239.255.13.2%eth0"}, shards, err), 0) << err;
  EXPECT_EQ(shards.size(), 1u) << "one membership, joined once";
}

// trial t16u M3: text output showed the byte 0xff and the four characters
// \xff alike everywhere but the stream lines: echoed arguments, @FILE lines
// and names, -i values and the interfaces an -i error lists, the interface
// warnings and CSV cells; the warning's fix for the interface named q\xff
// acted on the one named q<0xff>. Text from outside has its backslashes
// doubled, and a fix names the interface as one shell word.
TEST(ToolText, OutsideTextShowsBackslashesApartFromBytes) {
  const std::string four = "\\xff";  // the four characters
  const std::string byte = "\xff";
  const auto err_of = [](const std::vector<std::string>& args) {
    return recv_front(args, test::tools::fake_resolver()).err;
  };
  // An argument: a spec, an option name.
  for (const auto& [a, b] : std::vector<std::pair<std::string, std::string>>{
           {"239.1.1.1" + four, "239.1.1.1" + byte}, {"--x" + four, "--x" + byte}}) {
    const auto ea = err_of({a});
    const auto eb = err_of({b});
    EXPECT_NE(ea, eb) << ea;
    EXPECT_NE(ea.find("\\\\xff"), std::string::npos) << ea;
    EXPECT_NE(eb.find("\\xff"), std::string::npos) << eb;
  }
  // -i values.
  const auto ia = err_of({"-i", "q" + four, "239.1.1.1"});
  const auto ib = err_of({"-i", "q" + byte, "239.1.1.1"});
  EXPECT_NE(ia, ib);
  EXPECT_NE(ia.find("-i q\\\\xff"), std::string::npos) << ia;
  // @FILE: its lines and its name.
  const auto dir = std::filesystem::temp_directory_path() / ("mcnet-m3-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto file_a = (dir / ("a" + four)).string();
  const auto file_b = (dir / ("a" + byte)).string();
  std::ofstream(file_a) << "239.1.1.1" << four << "\n";
  std::ofstream(file_b) << "239.1.1.1" << byte << "\n";
  const auto fa = err_of({"@" + file_a});
  const auto fb = err_of({"@" + file_b});
  EXPECT_NE(fa, fb);
  EXPECT_NE(fa.find("a\\\\xff:1: parse group spec \"239.1.1.1\\\\xff\""), std::string::npos) << fa;
  EXPECT_NE(fb.find("a\\xff:1: parse group spec \"239.1.1.1\\xff\""), std::string::npos) << fb;
  std::filesystem::remove_all(dir);

  // The interface warnings and their fixes; the interfaces an -i error lists.
  const auto named = [](const std::string& name, std::vector<std::string> candidates) {
    return [name, candidates](std::string_view spec) -> tl::expected<mcnet::netlink::resolved, mcnet::netlink::resolve_failure> {
      if (spec != "7") {
        return tl::unexpected(mcnet::netlink::resolve_failure{
            mcnet::error(mcnet::errc::no_such_interface, "resolve", "interface").with_input(spec), candidates});
      }
      mcnet::netlink::resolved r;
      r.iface = mcnet::core::interface_ref{7, mcnet::core::interface_name::make(name).value()};
      r.warnings.push_back(name + " is down (ip link set dev " + name + " up)");
      return r;
    };
  };
  const auto wa = recv_front({"-i", "7", "239.1.1.1"}, named("q" + four, {})).err;
  const auto wb = recv_front({"-i", "7", "239.1.1.1"}, named("q" + byte, {})).err;
  EXPECT_NE(wa.find("interface q\\\\xff: q\\\\xff is down (fix: ip link set dev 'q\\xff' up)"), std::string::npos) << wa;
  EXPECT_NE(wb.find("interface q\\xff: q\\xff is down (fix: ip link set dev $'q\\xff' up)"), std::string::npos) << wb;
  const auto la = recv_front({"-i", "nosuch", "239.1.1.1"},
                             named("x", {"q" + four + " (3): 10.77.17.2/24", "q" + byte + " (2): 10.77.16.2/24"}))
                      .err;
  EXPECT_NE(la.find("\n  q\\\\xff (3): 10.77.17.2/24\n  q\\xff (2): 10.77.16.2/24"), std::string::npos) << la;

  // CSV cells.
  const auto row = [](const std::string& name) {
    const nlohmann::ordered_json channel{{"group", "239.1.1.9"}, {"port", 5000},
                                        {"interface", tools::interface_json(4, name)}, {"mode", "any"},
                                        {"sources", nlohmann::ordered_json::array()}, {"packets", 0},
                                        {"first_packet_ms", nullptr}};
    return tools::channel_csv_row("summary", 1.0, channel);
  };
  EXPECT_NE(row("q" + four).find(",q\\\\xff,"), std::string::npos) << row("q" + four);
  EXPECT_NE(row("q" + byte).find(",q\\xff,"), std::string::npos) << row("q" + byte);
}

}  // namespace

namespace {

// Two interfaces, each by its name, its index and (eth0) its address.
tools::interface_resolver two_interfaces() {
  namespace netlink = mcnet::netlink;
  return [](std::string_view spec) -> tl::expected<netlink::resolved, netlink::resolve_failure> {
    netlink::resolved r;
    if (spec == "eth0" || spec == "2" || spec == "10.77.61.1") {
      r.iface = mcnet::core::interface_ref{2, mcnet::core::interface_name::make("eth0").value()};
    } else if (spec == "eth1" || spec == "3") {
      r.iface = mcnet::core::interface_ref{3, mcnet::core::interface_name::make("eth1").value()};
    } else {
      return tl::unexpected(netlink::resolve_failure{
          mcnet::error(mcnet::errc::no_such_interface, "resolve", "interface").with_input(spec), {}});
    }
    return r;
  };
}

}  // namespace

// Trial t16x M7: a zone and a %IFACE in different forms (a name and an
// index or an address) that name one interface were refused unresolved as
// "different interfaces". They are compared resolved; different ones are
// still refused.
TEST(ToolCommandLines, AZoneAndAnInterfaceOfOneInterfaceInDifferentFormsAreAccepted) {
  const struct {
    const char* spec;
    bool same;
  } cases[] = {{"[ff02::1%eth0]:5000%2", true},   {"[ff02::1%2]:5000%eth0", true},
               {"[ff02::1%eth0]:5000%10.77.61.1", true}, {"[ff02::1%eth0]:5000%eth0", true},
               {"[ff02::1%eth0]:5000%3", false},  {"[ff02::1%3]:5000%10.77.61.1", false},
               {"[ff02::1%eth0]:5000%eth1", false}};
  for (const auto& c : cases) {
    for (const bool send : {false, true}) {
      const auto o = send ? send_front({"-c", "1", c.spec}, two_interfaces()) : recv_front({c.spec}, two_interfaces());
      EXPECT_EQ(o.exit, c.same ? 0 : 1) << c.spec << (send ? " (mcast-send)" : " (mcast-recv)") << o.err;
      EXPECT_EQ(o.err.find("name different interfaces") != std::string::npos, !c.same) << c.spec << o.err;
    }
  }
}
