// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

// What the end-to-end and interop tests share on top of tool_run.hpp: an
// mcast-recv that is known to have joined (its start event is out) before
// anything is sent, ended by SIGINT once the senders are done and the tail
// had time to arrive; mcast-send runs whose JSON Lines are checked against
// the schema; looking streams up in a summary.

#include <gtest/gtest.h>
#include <net/if.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>

#include <array>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include <mcnet/core/ip_address.hpp>
#include <mcnet/core/membership.hpp>
#include <mcnet/core/socket.hpp>
#include <mcnet/core/socket_ops.hpp>
#include <mcnet/core/socket_options.hpp>
#include <mcnet/core/sockopt.hpp>
#include <mcnet/tools/receiver.hpp>

#include "lan.hpp"
#include "privilege.hpp"
#include "process.hpp"
#include "programs.hpp"
#include "tool_run.hpp"

namespace mcnet::test::tools {

/// A directory of its own under the temporary directory (`path` empty when
/// mkdtemp failed), removed with its files at the end.
struct scratch_dir {
  std::string path;
  scratch_dir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "mcnet-tools-XXXXXX").string();
    if (::mkdtemp(pattern.data()) != nullptr) path = pattern;
  }
  ~scratch_dir() {
    std::error_code ec;
    if (!path.empty()) std::filesystem::remove_all(path, ec);
  }
  scratch_dir(const scratch_dir&) = delete;
  scratch_dir& operator=(const scratch_dir&) = delete;
  /// `name` inside the directory.
  [[nodiscard]] std::string file(const std::string& name) const { return path + "/" + name; }
};

/// `MCAST_RECV --json args...` running in a host.
class receiver {
 public:
  /// Start it in `h` and wait (at most 5 s) until its start event is out:
  /// every group is joined then. Ends early when the process exits.
  receiver(const host& h, std::vector<std::string> args) : p_(h.start(with_program(std::move(args)))) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (std::chrono::steady_clock::now() < deadline) {
      if (p_.standard_output().find("\"event\":\"start\"") != std::string::npos) {
        joined_ = true;
        return;
      }
      if (p_.wait_for(std::chrono::milliseconds(10))) return;  // it ended (an error): nothing to wait for
    }
  }

  /// Whether the start event came out (all groups joined).
  [[nodiscard]] bool joined() const noexcept { return joined_; }
  [[nodiscard]] std::string output() const { return p_.output(); }
  /// Its process id (to stop and continue it).
  [[nodiscard]] auto pid() const noexcept { return p_.pid(); }

  /// Give the tail `quiet` to arrive, end the run with SIGINT (the summary
  /// follows) and return what it printed. A receiver still running `grace`
  /// after the SIGINT is killed (exit code 9, SIGKILL).
  run_result finish(std::chrono::milliseconds quiet = std::chrono::milliseconds(300),
                    std::chrono::seconds grace = std::chrono::seconds(5)) {
    std::this_thread::sleep_for(quiet);
    const auto st = p_.stop(SIGINT, grace);
    return {st, p_.output(), p_.standard_output()};
  }

  /// finish(), expecting a clean end: exit 0 and every stdout line in
  /// docs/mcast-tools.schema.json (test failures otherwise).
  run_result finish_clean(std::chrono::milliseconds quiet = std::chrono::milliseconds(300)) {
    auto r = finish(quiet);
    EXPECT_EQ(r.status.code, 0) << r.output;
    expect_schema_conform(r.standard_output);
    return r;
  }

 private:
  static std::vector<std::string> with_program(std::vector<std::string> args) {
    args.insert(args.begin(), {MCAST_RECV, "--json"});
    return args;
  }

  process p_;
  bool joined_ = false;
};

/// Two hosts on one LAN under strict reverse-path filtering: host 0, the
/// sender, also has 10.77.9.1/32, which host 1, the receiver
/// (`net.ipv4.conf.all.rp_filter` and `eth0.rp_filter` 1), has no route
/// back to on any interface, so the kernel drops what comes from it.
inline std::unique_ptr<network> lan_without_route_back() {
  auto net = network::lan(2);
  const auto added = (*net)[0].exec({"ip", "addr", "add", "10.77.9.1/32", "dev", "eth0"});
  EXPECT_TRUE(added.status.success()) << added.output;
  (*net)[1].ns().write_sysctl("net.ipv4.conf.all.rp_filter", "1");
  (*net)[1].ns().write_sysctl("net.ipv4.conf.eth0.rp_filter", "1");
  return net;
}

/// An any-source membership of `group`:`port` named on interface `iface`
/// (as -i names it), looked up in the calling thread's network namespace:
/// call it inside host::run. A test sets mode and sources after.
inline mcnet::tools::membership named_join(const std::string& group, std::uint16_t port, const std::string& iface) {
  mcnet::tools::membership m;
  m.request.group = *mcnet::core::ip_address::parse(group);
  m.request.port = port;
  m.iface = *mcnet::core::interface_ref::by_name(iface);
  m.request.interface_index = m.iface.index;
  return m;
}

/// Two LANs: host 0 is on both (eth0 on LAN 0, eth1 on LAN 1), host 1 on
/// LAN 0 only, host 2 on LAN 1 only.
inline std::unique_ptr<network> two_lans() {
  return network::create({.lans = 2, .hosts = {{.lans = {0, 1}}, {.lans = {0}}, {.lans = {1}}}});
}

/// two_lans() under strict rp_filter on host 0 (conf/all, eth0, eth1), and
/// `source` (no route back to it on host 0) on hosts 1 and 2 both: one
/// source address on each of its links. False (and a test failure) when an
/// address could not be added.
inline bool one_source_on_both_lans(network& net, const std::string& source) {
  for (const auto* key : {"net.ipv4.conf.all.rp_filter", "net.ipv4.conf.eth0.rp_filter", "net.ipv4.conf.eth1.rp_filter"}) {
    net[0].ns().write_sysctl(key, "1");
  }
  for (const std::size_t h : {std::size_t{1}, std::size_t{2}}) {
    const auto added = net[h].exec({"ip", "addr", "add", source + "/32", "dev", "eth0"});
    EXPECT_TRUE(added.status.success()) << added.output;
    if (!added.status.success()) return false;
  }
  return true;
}

/// two_lans() where host 1 (on LAN 0, host 0's eth0) also has 10.77.9.1/32,
/// which host 0 routes back by eth1 via host 2: what host 1 sends from
/// 10.77.9.1 comes in on eth0 and fails a strict reverse-path check there.
inline std::unique_ptr<network> two_lans_routed_back_by_eth1() {
  auto net = two_lans();
  const auto added = (*net)[1].exec({"ip", "addr", "add", "10.77.9.1/32", "dev", "eth0"});
  EXPECT_TRUE(added.status.success()) << added.output;
  const auto routed =
      (*net)[0].exec({"ip", "route", "add", "10.77.9.0/24", "via", (*net)[2].v4().to_string(), "dev", "eth1"});
  EXPECT_TRUE(routed.status.success()) << routed.output;
  return net;
}

/// A receiver whose sender is behind a multicast router (smcrouted; the
/// caller checks that it is installed): three LANs, the router on each.
/// Host 0, the receiver, is on LAN 0 (eth0, where its 224.0.0.0/4 route
/// leads) and LAN 1 (eth1, with the route to LAN 2 via the router there);
/// host 1 on LAN 0; host 2, the sender, on LAN 2 only. The router forwards
/// `group` (a group or a prefix) from LAN 2 onto LAN 1 only.
inline std::unique_ptr<network> receiver_behind_router(const std::string& group) {
  topology t{.lans = 3,
             .hosts = {{.lans = {0, 1}}, {.lans = {0}}, {.lans = {2}}},
             .router = true,
             .routing = multicast_routing::smcroute};
  t.mroutes.push_back({.from_lan = 2, .group = group, .to_lans = {1}});
  auto net = network::create(t);
  const auto routed = (*net)[0].exec({"ip", "route", "replace", network::lan_v4(2).to_string(), "via",
                                      "10.77.1.254", "dev", "eth1"});
  EXPECT_TRUE(routed.status.success()) << routed.output;
  return net;
}

/// Add the nftables table `table` to `h`'s namespace with an input chain
/// holding `rule` (`udp dport 5000 counter drop`), with the program `nft`;
/// false (a test failure, nft's output) when nft refused it.
inline bool nft_input_rule(const host& h, const std::string& nft, const std::string& table,
                           const std::string& rule) {
  const auto added = h.exec({nft, "-f", "-"}, "add table inet " + table + "\nadd chain inet " + table +
                                                  " input { type filter hook input priority 0; }\nadd rule inet " +
                                                  table + " input " + rule + "\n");
  EXPECT_TRUE(added.status.success()) << added.output;
  return added.status.success();
}

/// Run `MCAST_SEND --json args...` in `h` (at most `limit`); expect it to
/// send everything (exit 0) and every line it prints to conform to the schema.
inline run_result send(const host& h, std::vector<std::string> args,
                       std::chrono::seconds limit = std::chrono::seconds(10)) {
  args.insert(args.begin(), {MCAST_SEND, "--json"});
  auto r = h.exec(args, {}, limit);
  EXPECT_TRUE(r.status.success()) << h.name() << ": " << r.status.describe() << "\n" << r.output;
  expect_schema_conform(r.standard_output);
  return r;
}

/// `j[key]` for reading. const json::operator[] is undefined for a missing
/// key, so a missing key (or a `j` that is not an object) reads as the string
/// "<absent KEY>": it fails every comparison and says why.
inline json field(const json& j, const std::string& key) {
  if (j.is_object() && j.contains(key)) return j[key];
  return "<absent " + key + ">";
}

/// `j[i]` for reading: "<absent [i]>" past the end or when `j` is not an array.
inline json item(const json& j, std::size_t i) {
  if (j.is_array() && i < j.size()) return j[i];
  return "<absent [" + std::to_string(i) + "]>";
}

/// The streams of the summary event in `standard_output` (empty without one).
inline std::vector<json> summary_streams(const std::string& standard_output) {
  const auto events = json_lines(standard_output);
  const json* summary = find_event(events, "summary");
  std::vector<json> out;
  if (summary != nullptr && summary->contains("streams") && (*summary)["streams"].is_array()) {
    for (const auto& s : (*summary)["streams"]) out.push_back(s);
  }
  return out;
}

/// The streams in `streams` whose source is `source`.
inline std::vector<json> streams_from(const std::vector<json>& streams, const std::string& source) {
  std::vector<json> out;
  for (const auto& s : streams) {
    if (s.contains("source") && s["source"] == source) out.push_back(s);
  }
  return out;
}

/// A test in namespace LANs that reads captures with tshark and tcpdump
/// (skipped without them, or failed under MCNET_REQUIRE_INTEROP), with a
/// private directory for the files.
class capture_reading_test : public ::testing::Test {
 protected:
  void SetUp() override {
    MCNET_REQUIRE_NETNS();
    MCNET_REQUIRE_PROGRAM(tshark_path, "tshark", "tshark");
    MCNET_REQUIRE_PROGRAM(tcpdump_path, "tcpdump", "tcpdump");
    tshark = tshark_path;
    tcpdump = tcpdump_path;
    ASSERT_FALSE(dir.path.empty());
  }

  std::string tshark;
  std::string tcpdump;
  scratch_dir dir;
};

/// tcpdump in `h` capturing into `file` the UDP datagrams to `port` that
/// arrive on eth0, returned once it says it is listening (at most 5 s; a test
/// failure otherwise). -Z root keeps the rights to write into a private
/// directory; --immediate-mode and -U hand over and write each packet as it
/// comes (without, in a namespace, the packets still in the capture ring at
/// SIGINT are counted as received but never written). -B 32768: in
/// immediate mode libpcap's ring has one frame per packet, each as large as
/// the largest packet the interface may hand over, 64 KiB on a veth with
/// its offloads on, so the default 2 MiB holds about 32 packets: tcpdump
/// descheduled for 15 ms at 2,000 pps lost 30 (CI, stop 43). 32 MiB holds
/// about 500.
inline process start_tcpdump(const host& h, const std::string& tcpdump, const std::string& file, std::uint16_t port) {
  auto dump = h.start({tcpdump, "-i", "eth0", "-n", "--immediate-mode", "-B", "32768", "-U", "-Z", "root", "-w", file,
                       "udp", "and", "dst", "port", std::to_string(port)});
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (dump.error_output().find("listening on") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline && !dump.wait_for(std::chrono::milliseconds(10))) {
  }
  EXPECT_NE(dump.error_output().find("listening on"), std::string::npos) << dump.output();
  return dump;
}

/// `python -c program args...` started in `h` and held before the
/// program's first line until fire(): the interpreter's own start (3 s on a
/// loaded machine, where a sender started once a 2 s listen had begun sent
/// after its end) is over before what it sends to is listening. The
/// modules the test programs use are imported before the hold.
class held_python {
 public:
  held_python(const host& h, const std::string& python, const std::string& program, std::vector<std::string> args)
      : p_(h.start(argv(python, program, std::move(args)))) {}

  /// Wait (at most 30 s) until it is held; false when it ended instead.
  [[nodiscard]] bool ready() {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (p_.standard_output().find("held\n") == std::string::npos && std::chrono::steady_clock::now() < deadline) {
      if (p_.wait_for(std::chrono::milliseconds(10))) return false;
    }
    return p_.standard_output().find("held\n") != std::string::npos;
  }

  /// Let the program run, and wait for its end (at most `limit`, then SIGKILL).
  run_result fire(std::chrono::seconds limit = std::chrono::seconds(20)) {
    ::kill(p_.pid(), SIGUSR1);
    auto st = p_.wait_for(limit);
    if (!st) st = p_.stop(SIGKILL);
    return {*st, p_.output(), p_.standard_output()};
  }

  [[nodiscard]] std::string output() const { return p_.output(); }

 private:
  static std::vector<std::string> argv(const std::string& python, const std::string& program,
                                       std::vector<std::string> args) {
    // SIGUSR1 blocked before "held": one sent before sigwait() waits for it.
    const std::string hold = R"(import random, signal, socket, struct, sys, time
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})
print('held', flush=True)
signal.sigwait({signal.SIGUSR1})
)";
    args.insert(args.begin(), {python, "-c", hold + program});
    return args;
  }

  process p_;
};

// argv: group port source. UDP datagrams to the group whose checksum is
// wrong (the right one plus 1), through a raw socket (the IP header is the
// kernel's, the UDP header ours), ten of each payload size: 26 and 68
// bytes (UDP lengths 34 and 76, the kernel's CHECKSUM_BREAK), then 69 and
// 208 (UDP lengths 77 and 216).
inline constexpr const char* bad_checksum_program = R"(
import socket, struct, sys
group, port, src = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def fold(data):
    if len(data) % 2: data += b'\0'
    total = sum(struct.unpack('>%dH' % (len(data) // 2), data))
    while total >> 16: total = (total & 0xffff) + (total >> 16)
    return total
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_UDP)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, b'eth0')
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(src))
for payload in (b'not a header, bad checksum', b'x' * 68, b'y' * 69, b'not a header, bad checksum' * 8):
    length = 8 + len(payload)
    pseudo = socket.inet_aton(src) + socket.inet_aton(group) + struct.pack('>BBH', 0, 17, length)
    good = (~fold(pseudo + struct.pack('>HHHH', 40000, port, length, 0) + payload)) & 0xffff or 0xffff
    bad = good % 0xffff + 1
    for _ in range(10):
        s.sendto(struct.pack('>HHHH', 40000, port, length, bad) + payload, (group, 0))
)";

/// The counter `name` of /proc/net/dev_snmp6/IFACE in `h`: the kernel's
/// IPv6 and ICMPv6 counters of one interface ("Ip6InDiscards",
/// "Icmp6OutMLDv2Reports"); none when the file or the name is not there.
inline std::optional<std::uint64_t> dev_snmp6(const host& h, const std::string& iface, const std::string& name) {
  return h.run([&]() -> std::optional<std::uint64_t> {
    std::ifstream in("/proc/thread-self/net/dev_snmp6/" + iface);
    std::string key;
    std::uint64_t value = 0;
    while (in >> key >> value) {
      if (key == name) return value;
    }
    return std::nullopt;
  });
}

/// An MLDv1 general query (RFC 2710 3: 24 bytes of ICMPv6 type 130, the
/// multicast address ::, maximum response delay `delay_ms`) sent by `h` out
/// of its interface `iface` to ff02::1, as a querier of the link sends it:
/// hop limit 1, from its link-local address, with a Router Alert option
/// (RFC 2711, value 0: MLD) in a hop-by-hop header, without which the
/// kernel ignores it (mld_query_work, RFC 3810 6.2). A host that hears it
/// answers in MLDv1 and keeps to MLDv1 on that link for the Older Version
/// Querier Present Timeout (RFC 3810 9.12). False when it could not be sent.
inline bool send_mldv1_query(const host& h, const std::string& iface, std::uint16_t delay_ms = 100) {
  return h.run([&] {
    const unsigned index = ::if_nametoindex(iface.c_str());
    auto s = core::socket::open(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6);
    if (!s || index == 0) return false;
    const int fd = s->native_handle();
    const int one = 1;
    // Next header (the kernel's), length 0 (8 bytes), Router Alert (type 5,
    // length 2, value 0: MLD), PadN of 0 bytes.
    const std::array<std::uint8_t, 8> hop_by_hop{0, 0, 5, 2, 0, 0, 1, 0};
    if (::setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &one, sizeof one) != 0 ||
        ::setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &index, sizeof index) != 0 ||
        ::setsockopt(fd, IPPROTO_IPV6, IPV6_HOPOPTS, hop_by_hop.data(), hop_by_hop.size()) != 0) {
      return false;
    }
    std::array<std::uint8_t, 24> query{};  // type, code, checksum (the kernel's), delay, reserved, address ::
    query[0] = MLD_LISTENER_QUERY;
    query[4] = static_cast<std::uint8_t>(delay_ms >> 8);
    query[5] = static_cast<std::uint8_t>(delay_ms & 0xff);
    sockaddr_in6 to{};
    to.sin6_family = AF_INET6;
    to.sin6_addr.s6_addr[0] = 0xff;
    to.sin6_addr.s6_addr[1] = 0x02;
    to.sin6_addr.s6_addr[15] = 0x01;
    to.sin6_scope_id = index;
    return ::sendto(fd, query.data(), query.size(), 0, reinterpret_cast<const sockaddr*>(&to), sizeof to) ==
           static_cast<ssize_t>(query.size());
  });
}

/// Another program's socket on `h` that never reads (trial15u F1): bound
/// to 0.0.0.0:`port` with SO_REUSEADDR (a run binds next to it), the least
/// receive buffer, joined to the IPv4 `group` on eth0. Datagrams sent to
/// `group` overflow its queue: Udp RcvbufErrors climbs, namespace-wide.
inline auto full_queue_holder(const host& h, std::uint16_t port, const std::string& group) {
  return h.run([port, group] {
    auto s = core::socket::open(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK);
    if (s) (void)core::set(*s, core::opt::reuse_address, true);
    if (s) (void)core::set(*s, core::opt::receive_buffer, 1024);
    if (s) (void)core::bind(*s, core::endpoint(core::ip_address::any_v4(), port));
    if (s) (void)core::join_group(*s, *core::ip_address::parse(group), ::if_nametoindex("eth0"));
    return s;
  });
}

}  // namespace mcnet::test::tools

/// The helpers of this header and tool_run.hpp that an end-to-end test
/// file calls by their short names, as using-declarations where the macro
/// stands (the file's anonymous namespace; there `send` hides POSIX
/// ::send): `MCNET_E2E_TEST_NAMES();`.
#define MCNET_E2E_TEST_NAMES()                         \
  using mcnet::test::tools::expect_schema_conform;     \
  using mcnet::test::tools::field;                     \
  using mcnet::test::tools::find_event;                \
  using mcnet::test::tools::free_port;                 \
  using mcnet::test::tools::json_lines;                \
  using mcnet::test::tools::receiver;                  \
  using mcnet::test::tools::send
