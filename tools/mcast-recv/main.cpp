// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// mcast-recv: join groups (ASM, SSM include and exclude, IPv4 and IPv6) and
// report per stream what arrives: packets, loss, reordering, duplicates,
// latency, jitter, TTL and TOS. See docs/tools.md and --help.

#include <net/if.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <boost/program_options.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <mcnet/ipv4.hpp>
#include <mcnet/ipv6.hpp>
#include <mcnet/netlink.hpp>
#include <mcnet/tools/cli.hpp>
#include <mcnet/tools/group_spec.hpp>
#include <mcnet/tools/stream_table.hpp>

namespace core = mcnet::core;
namespace tools = mcnet::tools;
namespace po = boost::program_options;
using json = nlohmann::json;

namespace {

constexpr int exit_ok = 0;
constexpr int exit_usage = 1;
constexpr int exit_nothing = 2;
constexpr int exit_loss = 3;
constexpr int exit_setup = 4;

std::atomic<bool> stop_requested{false};
void on_signal(int) { stop_requested.store(true); }

struct settings {
  std::vector<std::string> specs;
  std::string iface;
  bool only4 = false, only6 = false;
  bool json_output = false, csv = false, quiet = false;
  double interval = 0;
  std::optional<std::uint64_t> count;
  std::optional<double> duration, timeout, max_loss;
  std::int64_t rcvbuf = 0;
  bool force = false;
  std::string timestamp = "sw";
  std::size_t batch = 32;
  int busy_poll = 0;
  bool show_packets = false;
  bool interfaces = false;
};

class output {
 public:
  explicit output(const settings& s) : s_(s) {}
  void text(const std::string& line) const {
    if (!s_.json_output && !s_.csv && !s_.quiet) std::cout << line << '\n';
  }
  void event(const json& j) const {
    if (s_.json_output) std::cout << j.dump() << '\n' << std::flush;
  }
  [[nodiscard]] int fail(int code, const std::string& message, const std::string& name) const {
    event({{"event", "error"}, {"time", tools::now_seconds()}, {"message", message}, {"code", name}, {"exit", code}});
    std::cerr << "mcast-recv: " << message << '\n';
    return code;
  }
  [[nodiscard]] int fail(int code, const mcnet::error& e) const { return fail(code, e.message(), tools::code_name(e)); }

 private:
  const settings& s_;
};

// A group to join, resolved.
struct membership {
  tools::group_spec spec;
  core::ip_address group;
  core::interface_ref iface;
};

// A socket on one port and family; it holds up to the kernel's limit of groups.
struct shard {
  core::socket sock;
  int family = 0;
  std::uint16_t port = 0;
  std::size_t groups = 0;
};

json iface_json(const core::interface_ref& i) { return {{"name", std::string(i.name.view())}, {"index", i.index}}; }

json stream_json(const tools::stream_key& k, const tools::stream& s, double seconds) {
  json latency = nullptr;
  if (!k.foreign && s.latency.count() > 0) {
    latency = {{"min", s.latency.min()}, {"p50", s.latency.percentile(0.5)}, {"p99", s.latency.percentile(0.99)},
               {"max", s.latency.max()}};
  }
  return {{"group", k.group.to_string()}, {"port", k.port}, {"source", k.source.to_string()},
          {"sender_id", k.foreign ? json(nullptr) : json(k.sender_id)},
          {"session", k.foreign ? json(nullptr) : json(k.session)}, {"packets", s.packets}, {"bytes", s.bytes},
          {"rate_pps", seconds > 0 ? static_cast<double>(s.packets) / seconds : 0.0},
          {"rate_bps", seconds > 0 ? static_cast<double>(s.bytes) * 8 / seconds : 0.0},
          {"lost", k.foreign ? json(nullptr) : json(s.sequence.lost())},
          {"reordered", k.foreign ? json(nullptr) : json(s.sequence.reordered())},
          {"duplicates", k.foreign ? json(nullptr) : json(s.sequence.duplicates())},
          {"ttl", s.ttl >= 0 ? json(s.ttl) : json(nullptr)}, {"tos", s.tos >= 0 ? json(s.tos) : json(nullptr)},
          {"latency_ns", latency},
          {"jitter_ns", k.foreign ? json(nullptr) : json(s.interarrival.value_ns())},
          {"first_packet_ms", s.first_packet_ms ? json(*s.first_packet_ms) : json(nullptr)}};
}

int list_interfaces(const settings& s, const output& out) {
  auto snap = mcnet::netlink::take_snapshot();
  if (!snap) return out.fail(exit_setup, snap.error());
  for (const auto& l : snap->links) {
    json flags = json::array();
    if (l.is_up()) flags.push_back("up");
    if (l.has_carrier()) flags.push_back("lower_up");
    if (l.is_multicast()) flags.push_back("multicast");
    if (l.is_loopback()) flags.push_back("loopback");
    json addresses = json::array();
    std::string addr_text;
    for (const auto& a : snap->addresses) {
      if (a.index != l.index) continue;
      addresses.push_back({{"address", a.local.with_scope_id(0).to_string()}, {"prefix_len", a.prefix_length},
                           {"scope", a.scope}});
      addr_text += fmt::format(" {}/{}", a.local.with_scope_id(0).to_string(), unsigned{a.prefix_length});
    }
    json groups = json::array();
    std::string group_text;
    for (const auto& g : snap->groups) {
      if (g.index != l.index) continue;
      groups.push_back(g.address.with_scope_id(0).to_string());
      group_text += " " + g.address.with_scope_id(0).to_string();
    }
    static const char* states[] = {"unknown", "notpresent", "down", "lowerlayerdown", "testing", "dormant", "up"};
    const char* state = states[std::min<std::size_t>(static_cast<std::size_t>(l.operstate), 6)];
    if (s.json_output) {
      std::cout << json{{"index", l.index}, {"name", l.name}, {"flags", flags}, {"oper_state", state}, {"mtu", l.mtu},
                        {"addresses", addresses}, {"groups", groups}}
                       .dump()
                << '\n';
    } else {
      std::cout << fmt::format("{}: {} <{}> {} mtu {}\n    addresses:{}\n    groups:{}\n", l.index, l.name,
                               flags.dump(), state, l.mtu, addr_text, group_text);
    }
  }
  return exit_ok;
}

}  // namespace

int main(int argc, char** argv) {
  settings s;
  po::options_description visible(
      "mcast-recv: join multicast groups and report what arrives, per sender\n\n"
      "usage: mcast-recv [options] SPEC...   (SPEC: [!][S,]GROUP[:PORT][%IFACE][+N], or @FILE)\n\noptions");
  visible.add_options()("help,h", "this help")
      ("interface,i", po::value(&s.iface), "interface: name, index, address, prefix or 'kernel'")
      ("ipv4,4", po::bool_switch(&s.only4), "IPv4 groups only")
      ("ipv6,6", po::bool_switch(&s.only6), "IPv6 groups only")
      ("json", po::bool_switch(&s.json_output), "JSON Lines on stdout (TOOLS.md)")
      ("csv", po::bool_switch(&s.csv), "CSV on stdout: a header, then a row per stream per report")
      ("quiet,q", po::bool_switch(&s.quiet), "no text output")
      ("interval", po::value(&s.interval)->default_value(0), "seconds between reports (0: summary only)")
      ("count,c", po::value<std::uint64_t>(), "stop after this many datagrams in total")
      ("duration,d", po::value<double>(), "seconds to run")
      ("timeout", po::value<double>(), "exit 2 when nothing arrived in this many seconds")
      ("max-loss", po::value<double>(), "exit 3 when lost / (packets + lost) exceeds this percentage")
      ("rcvbuf", po::value(&s.rcvbuf)->default_value(0), "receive buffer bytes per socket (asked vs granted printed)")
      ("force", po::bool_switch(&s.force), "with --rcvbuf: SO_RCVBUFFORCE past net.core.rmem_max (CAP_NET_ADMIN)")
      ("timestamp", po::value(&s.timestamp)->default_value("sw"), "kernel receive timestamps: sw or none")
      ("batch", po::value(&s.batch)->default_value(32), "datagrams per recvmmsg call")
      ("busy-poll", po::value(&s.busy_poll)->default_value(0), "SO_BUSY_POLL microseconds")
      ("show-packets", po::bool_switch(&s.show_packets), "one line per datagram")
      ("interfaces", po::bool_switch(&s.interfaces), "list interfaces, addresses and joined groups, then exit");
  auto parsed = tools::parse_command_line(argc, argv, visible, s.specs, "mcast-recv");
  if (!parsed) return exit_usage;
  const auto& vm = *parsed;
  if (vm.count("help")) {
    std::cout << visible
              << "\nexit codes: 0 ok, 1 usage or bad input, 2 nothing arrived before --timeout,\n"
                 "3 loss above --max-loss, 4 a join or socket set-up failed\n";
    return exit_ok;
  }
  const output out(s);
  if (vm.count("count")) s.count = vm["count"].as<std::uint64_t>();
  if (vm.count("duration")) s.duration = vm["duration"].as<double>();
  if (vm.count("timeout")) s.timeout = vm["timeout"].as<double>();
  if (vm.count("max-loss")) s.max_loss = vm["max-loss"].as<double>();
  if (s.interfaces) return list_interfaces(s, out);
  if (s.specs.empty()) return out.fail(exit_usage, "no group given (see --help)", "usage");
  if (s.only4 && s.only6) return out.fail(exit_usage, "-4 and -6 exclude each other", "usage");
  if (s.timestamp != "sw" && s.timestamp != "none") return out.fail(exit_usage, "--timestamp is sw or none", "usage");
  if (s.batch < 1 || s.batch > core::batch_limit) return out.fail(exit_usage, "--batch is 1 to 64", "usage");
  if (s.max_loss && (*s.max_loss < 0 || *s.max_loss > 100)) return out.fail(exit_usage, "--max-loss is 0 to 100", "usage");

  // Specs and their groups, each with its interface.
  auto texts = tools::expand_spec_files(s.specs);
  if (!texts) return out.fail(exit_usage, texts.error());
  std::optional<core::interface_ref> default_iface;
  if (!s.iface.empty()) {
    auto r = mcnet::netlink::resolve(s.iface);
    if (!r) return out.fail(exit_usage, r.error().message(), tools::code_name(r.error().reason));
    default_iface = r->iface;
    for (const auto& w : r->warnings) std::cerr << "mcast-recv: warning: " << w << '\n';
  }
  std::vector<tools::group_spec> specs;
  std::vector<membership> members;
  for (const auto& text : *texts) {
    auto spec = tools::parse_group_spec(text, tools::spec_user::receiver, s.iface);
    if (!spec) return out.fail(exit_usage, spec.error());
    if ((s.only4 && !spec->group.is_v4()) || (s.only6 && !spec->group.is_v6())) {
      return out.fail(exit_usage, "parse group spec \"" + text + "\": excluded by -4/-6", "family_mismatch");
    }
    auto groups = tools::expand(*spec);
    if (!groups) return out.fail(exit_usage, groups.error());
    core::interface_ref iface = default_iface.value_or(core::interface_ref{});
    if (!spec->interface_text().empty()) {
      auto r = mcnet::netlink::resolve(spec->interface_text());
      if (!r) return out.fail(exit_usage, r.error().message(), tools::code_name(r.error().reason));
      iface = r->iface;
    }
    for (const auto& g : *groups) members.push_back({*spec, g, iface});
    specs.push_back(*spec);
  }
  auto warnings = tools::check_spec_set(specs);
  if (!warnings) return out.fail(exit_usage, warnings.error());
  for (const auto& w : *warnings) std::cerr << "mcast-recv: warning: " << w << '\n';

  // Sockets: one per (family, port) until the kernel's per-socket group limit
  // (net.ipv4.igmp_max_memberships, read live) is reached, then another.
  const auto v4_limit = static_cast<std::size_t>(core::read_sysctl("net.ipv4.igmp_max_memberships").value_or(20));
  std::vector<shard> shards;
  tools::stream_table table;
  json start_groups = json::array();
  std::int64_t rcvbuf_granted = 0;
  for (const auto& m : members) {
    const int family = m.group.is_v4() ? AF_INET : AF_INET6;
    const std::size_t limit = family == AF_INET ? v4_limit : 1000;  // IPv6: bounded by optmem_max, not a count
    shard* target = nullptr;
    for (auto& sh : shards) {
      if (sh.family == family && sh.port == m.spec.port && sh.groups < limit) target = &sh;
    }
    if (target == nullptr) {
      const core::endpoint local(family == AF_INET ? core::ip_address::any_v4() : core::ip_address::any_v6(), m.spec.port);
      auto sock = core::socket::open(family, SOCK_DGRAM | SOCK_NONBLOCK);
      if (!sock) return out.fail(exit_setup, sock.error());
      if (auto r = core::set(*sock, core::opt::reuse_address, true); !r) return out.fail(exit_setup, r.error());
      // IPv6 sockets take IPv6 only: IPv4 groups have their own socket.
      if (family == AF_INET6) {
        if (auto r = core::set(*sock, mcnet::ipv6::opt::v6_only, true); !r) return out.fail(exit_setup, r.error());
      }
      if (auto r = core::bind(*sock, local); !r) return out.fail(exit_setup, r.error());
      auto multicast_all = family == AF_INET ? core::set(*sock, mcnet::ipv4::opt::multicast_all, false)
                                             : core::set(*sock, mcnet::ipv6::opt::multicast_all, false);
      if (!multicast_all) return out.fail(exit_setup, multicast_all.error());
      // Destination (which group, on a socket shared by a port's groups), TTL, TOS.
      auto metadata = family == AF_INET
                          ? core::set(*sock, mcnet::ipv4::opt::receive_packet_info, true)
                                .and_then([&] { return core::set(*sock, mcnet::ipv4::opt::receive_ttl, true); })
                                .and_then([&] { return core::set(*sock, mcnet::ipv4::opt::receive_tos, true); })
                          : core::set(*sock, mcnet::ipv6::opt::receive_packet_info, true)
                                .and_then([&] { return core::set(*sock, mcnet::ipv6::opt::receive_hop_limit, true); })
                                .and_then([&] { return core::set(*sock, mcnet::ipv6::opt::receive_traffic_class, true); });
      if (!metadata) return out.fail(exit_setup, metadata.error());
      (void)core::set(*sock, core::opt::receive_queue_overflow, true);
      if (s.timestamp == "sw") (void)core::set(*sock, core::opt::timestamp_ns, true);
      if (s.busy_poll > 0) {
        if (auto r = core::set(*sock, core::opt::busy_poll, s.busy_poll); !r) return out.fail(exit_setup, r.error());
      }
      if (s.rcvbuf > 0) {
        auto g = core::set_receive_buffer(*sock, s.rcvbuf, s.force ? core::buffer_request::force : core::buffer_request::normal);
        if (!g) return out.fail(exit_setup, g.error());
        rcvbuf_granted = g->granted;
        if (g->clamped()) std::cerr << "mcast-recv: warning: " << g->hint() << '\n';
      }
      shards.push_back({std::move(*sock), family, m.spec.port, 0});
      target = &shards.back();
    }
    mcnet::result<void> joined;
    switch (m.spec.mode) {
      case tools::filter::any: joined = core::join_group(target->sock, m.group, m.iface.index); break;
      case tools::filter::include:
        joined = core::join_source_group(target->sock, m.group, *m.spec.source, m.iface.index);
        if (!joined && joined.error().code == std::errc::address_in_use) joined = {};
        break;
      case tools::filter::exclude:
        joined = core::join_group(target->sock, m.group, m.iface.index);
        if (!joined && joined.error().code == std::errc::address_in_use) joined = {};  // another blocked source
        if (joined) joined = core::block_source(target->sock, m.group, *m.spec.source, m.iface.index);
        break;
    }
    if (!joined) return out.fail(exit_setup, joined.error());
    ++target->groups;
    table.joined(m.group, m.spec.port, std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now()));
    auto iface_name = m.iface.is_kernel_choice() ? std::string("kernel") : std::string(m.iface.name.view());
    start_groups.push_back({{"group", m.group.to_string()}, {"port", m.spec.port},
                            {"mode", m.spec.mode == tools::filter::any ? "any"
                                     : m.spec.mode == tools::filter::include ? "include" : "exclude"},
                            {"sources", m.spec.source ? json::array({m.spec.source->to_string()}) : json::array()},
                            {"interface", iface_json(m.iface)}});
    out.text(fmt::format("joined {} on {} ({}){}", core::endpoint(m.group, m.spec.port).to_string(), iface_name, m.iface.index,
                         m.spec.source ? fmt::format(" {} {}", m.spec.mode == tools::filter::include ? "from" : "except",
                                                     m.spec.source->to_string())
                                       : ""));
  }
  out.event({{"event", "start"}, {"time", tools::now_seconds()}, {"schema", 1}, {"tool", "mcast-recv"}, {"version", "0.1.0"},
             {"groups", start_groups},
             {"rcvbuf", {{"asked", s.rcvbuf > 0 ? json(s.rcvbuf) : json(nullptr)},
                         {"granted", rcvbuf_granted > 0 ? json(rcvbuf_granted) : json(nullptr)}}}});
  if (s.csv) {
    std::cout << "time,group,port,source,sender_id,session,packets,bytes,lost,reordered,duplicates,ttl,tos,"
                 "latency_min_ns,latency_p50_ns,latency_p99_ns,latency_max_ns,jitter_ns\n";
  }

  // One epoll over every socket.
  core::unique_fd ep(::epoll_create1(EPOLL_CLOEXEC));
  for (std::size_t i = 0; i < shards.size(); ++i) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = i;
    ::epoll_ctl(ep.get(), EPOLL_CTL_ADD, shards[i].sock.native_handle(), &ev);
  }
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  ::sigaction(SIGINT, &sa, nullptr);
  ::sigaction(SIGTERM, &sa, nullptr);

  std::vector<std::array<std::byte, 65536>> buffers(s.batch);
  std::vector<core::control_buffer> controls(s.batch);
  std::vector<core::message> msgs(s.batch);
  const auto started = std::chrono::steady_clock::now();
  auto last_report = started;
  std::uint64_t total = 0;
  std::uint32_t kernel_drops = 0;
  const auto decode = core::cmsg::packet_info | core::cmsg::hop_limit | core::cmsg::traffic_class |
                      core::cmsg::timestamp_ns | core::cmsg::drops;
  auto report_csv = [&](double t) {
    for (const auto& [k, st] : table.streams()) {
      std::cout << fmt::format("{:.6f},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{:.0f}\n", t, k.group.to_string(),
                               k.port, k.source.to_string(), k.sender_id, k.session, st.packets, st.bytes,
                               st.sequence.lost(), st.sequence.reordered(), st.sequence.duplicates(), st.ttl, st.tos,
                               st.latency.min(), st.latency.percentile(0.5), st.latency.percentile(0.99),
                               st.latency.max(), st.interarrival.value_ns());
    }
  };
  bool timed_out = false;
  std::map<tools::stream_key, tools::totals> previous;  // for interval deltas
  while (!stop_requested.load()) {
    const auto now = std::chrono::steady_clock::now();
    const double elapsed = std::chrono::duration<double>(now - started).count();
    if (s.duration && elapsed >= *s.duration) break;
    if (s.timeout && total == 0 && elapsed >= *s.timeout) {
      timed_out = true;
      break;
    }
    if (s.count && total >= *s.count) break;
    if (s.interval > 0 && std::chrono::duration<double>(now - last_report).count() >= s.interval) {
      const double span = std::chrono::duration<double>(now - last_report).count();
      last_report = now;
      // Interval counters are deltas since the previous report (TOOLS.md).
      json streams = json::array();
      for (const auto& [k, st] : table.streams()) {
        auto j = stream_json(k, st, span);
        auto& before = previous[k];
        const tools::totals current{st.packets, st.bytes, st.sequence.lost(), st.sequence.reordered(),
                                    st.sequence.duplicates()};
        j["packets"] = current.packets - before.packets;
        j["bytes"] = current.bytes - before.bytes;
        j["rate_pps"] = static_cast<double>(current.packets - before.packets) / span;
        j["rate_bps"] = static_cast<double>(current.bytes - before.bytes) * 8 / span;
        if (!k.foreign) {
          j["lost"] = static_cast<std::int64_t>(current.lost) - static_cast<std::int64_t>(before.lost);
          j["reordered"] = current.reordered - before.reordered;
          j["duplicates"] = current.duplicates - before.duplicates;
        }
        before = current;
        streams.push_back(std::move(j));
      }
      out.event({{"event", "interval"}, {"time", tools::now_seconds()}, {"streams", streams}});
      if (s.csv) report_csv(tools::now_seconds());
      out.text(fmt::format("[{:.1f}s] {} datagrams", elapsed, total));
    }
    std::array<epoll_event, 16> events{};
    const int n = ::epoll_wait(ep.get(), events.data(), static_cast<int>(events.size()), 50);
    for (int e = 0; e < n; ++e) {
      auto& sh = shards[events[static_cast<std::size_t>(e)].data.u64];
      for (std::size_t i = 0; i < msgs.size(); ++i) msgs[i] = core::message{.buffer = buffers[i], .control = controls[i].span()};
      auto got = core::read_batch(sh.sock, msgs, decode, core::wait_policy::nonblocking());
      if (!got) continue;
      for (std::size_t i = 0; i < *got && !(s.count && total >= *s.count); ++i) {
        const auto& m = msgs[i];
        const auto arrival = m.info.software_time.value_or(
            std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now()));
        // The socket is shared by the groups of one port: the destination says which.
        const auto group = m.info.destination.is_valid() ? m.info.destination.unmap() : core::ip_address{};
        table.add(group, sh.port, m.peer.address().unmap(), std::span<const std::byte>(m.buffer.data(), m.size), arrival,
                  m.info.hop_limit, m.info.traffic_class);
        if (m.info.drops) kernel_drops = std::max(kernel_drops, *m.info.drops);
        if (m.size >= tools::wire_header::size) {
          auto h = tools::wire_header::decode(std::span<const std::byte>(m.buffer.data(), m.size));
          if (h && h->is_end()) continue;
        }
        ++total;
        if (s.show_packets) {
          out.text(fmt::format("{} -> {} {} bytes ttl {} tos {}", m.peer.address().unmap().to_string(),
                               core::endpoint(group, sh.port).to_string(), m.size, m.info.hop_limit, m.info.traffic_class));
        }
      }
    }
  }
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  // Summary.
  json streams = json::array();
  for (const auto& [k, st] : table.streams()) {
    streams.push_back(stream_json(k, st, elapsed));
    out.text(fmt::format("  {} from {} {}  packets {}  lost {}  reordered {}  duplicates {}  ttl {}  tos {}",
                         core::endpoint(k.group, k.port).to_string(), k.source.to_string(),
                         k.foreign ? "(foreign)" : fmt::format("id {} session {}", k.sender_id, k.session), st.packets,
                         k.foreign ? 0 : st.sequence.lost(), k.foreign ? 0 : st.sequence.reordered(),
                         k.foreign ? 0 : st.sequence.duplicates(), st.ttl, st.tos));
  }
  const auto sum = table.sum();
  out.event({{"event", "summary"}, {"time", tools::now_seconds()}, {"streams", streams},
             {"total", {{"packets", sum.packets}, {"bytes", sum.bytes}, {"lost", sum.lost}, {"reordered", sum.reordered},
                        {"duplicates", sum.duplicates}, {"kernel_drops", kernel_drops}}}});
  if (s.csv) report_csv(tools::now_seconds());
  out.text(fmt::format("mcast-recv: {} datagrams, {} lost, {} kernel drops in {:.3f} s", sum.packets, sum.lost,
                       kernel_drops, elapsed));
  if (timed_out || (s.timeout && sum.packets == 0)) return out.fail(exit_nothing, "nothing arrived before --timeout", "timed_out");
  if (s.max_loss && table.loss_ratio() * 100 > *s.max_loss) {
    return out.fail(exit_loss, fmt::format("loss {:.2f}% is above --max-loss {}%", table.loss_ratio() * 100, *s.max_loss),
                    "loss");
  }
  return exit_ok;
}
