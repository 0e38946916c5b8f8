// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// mcast-recv: join groups (ASM, SSM include and exclude, IPv4 and IPv6) and
// report per stream what arrives: packets, loss, reordering, duplicates,
// latency, jitter, TTL and TOS. See docs/tools.md, the man page and --help.

#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/resource.h>

#include <chrono>
#include <cmath>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include <boost/program_options.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <mcnet/core/dial.hpp>
#include <mcnet/core/socket_ops.hpp>
#include <mcnet/ipv4.hpp>
#include <mcnet/ipv6.hpp>
#include <mcnet/netlink.hpp>
#include <mcnet/tools/cli.hpp>
#include <mcnet/tools/group_spec.hpp>
#include <mcnet/tools/report.hpp>
#include <mcnet/tools/socket_plan.hpp>
#include <mcnet/tools/stream_table.hpp>

namespace core = mcnet::core;
namespace tools = mcnet::tools;
namespace po = boost::program_options;
using json = nlohmann::ordered_json;

namespace {

using tools::exit_loss;
using tools::exit_nothing;
using tools::exit_ok;
using tools::exit_setup;
using tools::exit_usage;

struct settings {
  std::vector<std::string> specs;
  std::string iface;
  bool only4 = false, only6 = false;
  bool json_output = false, csv = false, quiet = false;
  double interval = 0;
  std::optional<std::int64_t> count;
  std::optional<double> duration, timeout, max_loss;
  std::int64_t rcvbuf = 0;
  bool force = false;
  std::string timestamp = "sw";
  std::int64_t batch = 32;
  std::int64_t busy_poll = 0;
  bool show_packets = false;
  bool interfaces = false;
  std::int64_t max_streams = static_cast<std::int64_t>(tools::stream_table::default_max_streams);
};

class output {
 public:
  explicit output(const settings& s) : s_(s) {}
  [[nodiscard]] bool text_on() const noexcept { return !s_.json_output && !s_.csv && !s_.quiet; }
  void text(const std::string& line) const {
    if (text_on()) std::cout << line << '\n';
  }
  void event(const json& j) const {
    if (s_.json_output) std::cout << j.dump() << '\n' << std::flush;
  }
  [[nodiscard]] int fail(int code, const std::string& message, const std::string& name) const {
    event(tools::error_event(message, name, code));
    std::cerr << "mcast-recv: " << message << '\n';
    return code;
  }
  [[nodiscard]] int fail(int code, const mcnet::error& e) const { return fail(code, e.message(), tools::code_name(e)); }
  [[nodiscard]] int usage(const std::string& message) const { return fail(exit_usage, message, "usage"); }

 private:
  const settings& s_;
};

// A group to join, resolved: what the spec said, and where.
struct membership {
  tools::group_spec spec;
  tools::join_request request;
  core::interface_ref iface;  ///< index 0: the kernel chooses (by its route to the group)
};

// A socket on one port and family, holding what the planner put there.
struct shard {
  core::socket sock;
  int family = 0;
  std::uint16_t port = 0;
  std::uint32_t drops_seen = 0;  ///< last SO_RXQ_OVFL value (cumulative); SO_MEMINFO is asked at reports
};

const char* mode_name(tools::filter f) {
  return f == tools::filter::any ? "any" : f == tools::filter::include ? "include" : "exclude";
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
      std::string flag_text;
      for (const auto& f : flags) flag_text += (flag_text.empty() ? "" : ",") + f.get<std::string>();
      std::cout << fmt::format("{}: {} <{}> {} mtu {}\n    addresses:{}\n    groups:{}\n", l.index, l.name,
                               flag_text, state, l.mtu, addr_text, group_text);
    }
  }
  return exit_ok;
}

// Values the option parser accepts but the tool does not; exit 1 naming the option.
std::optional<int> check_settings(const settings& s, const po::variables_map& vm, const output& out) {
  auto positive = [](double v) { return std::isfinite(v) && v > 0; };
  if (s.only4 && s.only6) return out.usage("-4 and -6 exclude each other");
  if (s.json_output && s.csv) return out.usage("--json and --csv exclude each other");
  if (!std::isfinite(s.interval) || s.interval < 0) return out.usage(fmt::format("--interval {}: seconds, 0 or more", s.interval));
  if (s.count && *s.count < 1) return out.usage(fmt::format("--count {}: at least 1", *s.count));
  if (s.duration && !positive(*s.duration)) return out.usage(fmt::format("--duration {}: seconds, more than 0", *s.duration));
  if (s.timeout && !positive(*s.timeout)) return out.usage(fmt::format("--timeout {}: seconds, more than 0", *s.timeout));
  if (s.max_loss && !(*s.max_loss >= 0 && *s.max_loss <= 100)) {
    return out.usage(fmt::format("--max-loss {}: a percentage, 0 to 100", *s.max_loss));
  }
  if (s.rcvbuf < 0 || s.rcvbuf > std::numeric_limits<int>::max() / 2) {
    return out.usage(fmt::format("--rcvbuf {}: bytes, 0 (the kernel's default) to {}", s.rcvbuf,
                                 std::numeric_limits<int>::max() / 2));
  }
  if (s.force && s.rcvbuf == 0) return out.usage("--force needs --rcvbuf");
  if (s.timestamp != "sw" && s.timestamp != "none") return out.usage("--timestamp " + s.timestamp + ": sw or none");
  if (s.batch < 1 || s.batch > static_cast<std::int64_t>(core::batch_limit)) {
    return out.usage(fmt::format("--batch {}: 1 to {}", s.batch, core::batch_limit));
  }
  if (s.busy_poll < 0 || s.busy_poll > std::numeric_limits<int>::max()) {
    return out.usage(fmt::format("--busy-poll {}: microseconds, 0 or more", s.busy_poll));
  }
  if (s.max_streams < 1 || s.max_streams > 10'000'000) {
    return out.usage(fmt::format("--max-streams {}: 1 to 10000000", s.max_streams));
  }
  if (s.interfaces && !s.specs.empty()) return out.usage("--interfaces takes no group specs");
  if (!s.interfaces && s.specs.empty()) return out.usage("no group given (see --help)");
  (void)vm;
  return std::nullopt;
}

// The interface the kernel picks for `group` when none is given: its route
// (a connected UDP socket's source address, owned by one interface).
core::interface_ref kernel_route(const core::ip_address& group, std::uint16_t port) {
  auto s = core::socket::open(group.is_v4() ? AF_INET : AF_INET6, SOCK_DGRAM);
  if (!s || !core::connect(*s, core::endpoint(group, port))) return {};
  auto local = core::local_endpoint(*s);
  if (!local) return {};
  auto r = mcnet::netlink::resolve(local->address().with_scope_id(0).to_string());
  return r ? r->iface : core::interface_ref{};
}

// Specs -> memberships, with interfaces resolved. Exit code on failure.
std::optional<int> resolve_members(const settings& s, const output& out, std::vector<membership>& members) {
  auto texts = tools::expand_spec_files(s.specs);
  if (!texts) return out.fail(exit_usage, texts.error());
  if (texts->empty()) return out.usage("no group given: the spec files hold none");
  std::optional<core::interface_ref> default_iface;
  if (!s.iface.empty()) {
    auto r = mcnet::netlink::resolve(s.iface);
    if (!r) return out.fail(exit_usage, "-i " + s.iface + ": " + r.error().message(), tools::code_name(r.error().reason));
    default_iface = r->iface;
    for (const auto& w : r->warnings) std::cerr << "mcast-recv: warning: " << w << '\n';
  }
  std::vector<tools::group_spec> specs;
  for (const auto& text : *texts) {
    auto spec = tools::parse_group_spec(text, tools::spec_user::receiver, s.iface);
    if (!spec) return out.fail(exit_usage, spec.error());
    if ((s.only4 && !spec->group.is_v4()) || (s.only6 && !spec->group.is_v6())) {
      return out.fail(exit_usage, "parse group spec \"" + text + "\": excluded by " + (s.only4 ? "-4" : "-6"),
                      "family_mismatch");
    }
    auto groups = tools::expand(*spec);
    if (!groups) return out.fail(exit_usage, groups.error());
    core::interface_ref iface = default_iface.value_or(core::interface_ref{});
    if (!spec->interface_text().empty()) {
      auto r = mcnet::netlink::resolve(spec->interface_text());
      if (!r) {
        return out.fail(exit_usage, "group spec \"" + text + "\": " + r.error().message(),
                        tools::code_name(r.error().reason));
      }
      iface = r->iface;
      for (const auto& w : r->warnings) std::cerr << "mcast-recv: warning: " << w << '\n';
    }
    for (const auto& g : *groups) {
      members.push_back({*spec, {g, spec->port, iface.index, spec->mode, spec->source}, iface});
    }
    specs.push_back(*spec);
  }
  auto warnings = tools::check_spec_set(specs);
  if (!warnings) return out.fail(exit_usage, warnings.error());
  for (const auto& w : *warnings) std::cerr << "mcast-recv: warning: " << w << '\n';
  return std::nullopt;
}

// Descriptors for `sockets` sockets and the tool's own: the soft
// RLIMIT_NOFILE raised as far as the hard limit allows.
mcnet::result<void> ensure_descriptors(std::size_t sockets) {
  const std::size_t needed = sockets + 16;
  rlimit lim{};
  if (::getrlimit(RLIMIT_NOFILE, &lim) != 0) return mcnet::fail(mcnet::error::from_errno(errno, "getrlimit", "RLIMIT_NOFILE"));
  if (lim.rlim_cur >= needed) return {};
  if (lim.rlim_max < needed) {
    return mcnet::fail(mcnet::error::from_errno(EMFILE, "plan", "RLIMIT_NOFILE")
                           .with_number(static_cast<std::int64_t>(sockets))
                           .with_hint("these groups need {number} sockets (and a few descriptors more), past the hard "
                                      "limit on open files: raise it (ulimit -Hn) or net.ipv4.igmp_max_memberships"));
  }
  lim.rlim_cur = std::max<rlim_t>(needed, std::min<rlim_t>(lim.rlim_max, needed * 2));
  if (::setrlimit(RLIMIT_NOFILE, &lim) != 0) return mcnet::fail(mcnet::error::from_errno(errno, "setrlimit", "RLIMIT_NOFILE"));
  return {};
}

struct buffer_report {
  std::optional<std::int64_t> granted;
};

// A socket for one (family, port): wildcard bound, only its own groups
// (IP_MULTICAST_ALL off), per-datagram destination, TTL, TOS, drops, time.
mcnet::result<core::socket> open_socket(int family, std::uint16_t port, const settings& s, buffer_report& buffers) {
  const core::endpoint local(family == AF_INET ? core::ip_address::any_v4() : core::ip_address::any_v6(), port);
  auto sock = core::socket::open(family, SOCK_DGRAM | SOCK_NONBLOCK);
  if (!sock) return mcnet::fail(sock.error());
  auto ok = core::set(*sock, core::opt::reuse_address, true);
  // IPv6 sockets take IPv6 only: IPv4 groups have their own socket.
  if (ok && family == AF_INET6) ok = core::set(*sock, mcnet::ipv6::opt::v6_only, true);
  if (ok) ok = core::bind(*sock, local);
  if (ok) {
    ok = family == AF_INET ? core::set(*sock, mcnet::ipv4::opt::multicast_all, false)
                                .and_then([&] { return core::set(*sock, mcnet::ipv4::opt::receive_packet_info, true); })
                                .and_then([&] { return core::set(*sock, mcnet::ipv4::opt::receive_ttl, true); })
                                .and_then([&] { return core::set(*sock, mcnet::ipv4::opt::receive_tos, true); })
                           : core::set(*sock, mcnet::ipv6::opt::multicast_all, false)
                                .and_then([&] { return core::set(*sock, mcnet::ipv6::opt::receive_packet_info, true); })
                                .and_then([&] { return core::set(*sock, mcnet::ipv6::opt::receive_hop_limit, true); })
                                .and_then([&] { return core::set(*sock, mcnet::ipv6::opt::receive_traffic_class, true); });
  }
  if (ok) ok = core::set(*sock, core::opt::receive_queue_overflow, true);
  if (ok && s.timestamp == "sw") ok = core::set(*sock, core::opt::timestamp_ns, true);
  if (ok && s.busy_poll > 0) ok = core::set(*sock, core::opt::busy_poll, static_cast<int>(s.busy_poll));
  if (!ok) return mcnet::fail(ok.error());
  if (s.rcvbuf > 0) {
    auto g = core::set_receive_buffer(*sock, s.rcvbuf, s.force ? core::buffer_request::force : core::buffer_request::normal);
    if (!g) return mcnet::fail(g.error());
    if (g->clamped() && !buffers.granted) std::cerr << "mcast-recv: warning: " << g->hint() << '\n';
    buffers.granted = g->granted;
  } else if (!buffers.granted) {
    if (auto b = core::get(*sock, core::opt::receive_buffer)) buffers.granted = *b;
  }
  return sock;
}

mcnet::result<void> join(core::socket_ref sock, const tools::join_request& r, const tools::placement& p) {
  switch (r.mode) {
    case tools::filter::any: return core::join_group(sock, r.group, r.interface_index);
    case tools::filter::include: return core::join_source_group(sock, r.group, *r.source, r.interface_index);
    case tools::filter::exclude:
      // The group once per socket (exclude mode, nothing blocked), then each blocked source.
      if (p.new_group) {
        if (auto j = core::join_group(sock, r.group, r.interface_index); !j) return j;
        auto b = core::block_source(sock, r.group, *r.source, r.interface_index);
        // Never leave an unfiltered join behind: the group moves or the run ends.
        if (!b) (void)core::leave_group(sock, r.group, r.interface_index);
        return b;
      }
      return core::block_source(sock, r.group, *r.source, r.interface_index);
  }
  return {};
}

// The receive loop and its reports.
class receiver {
 public:
  receiver(const settings& s, const output& out, std::vector<shard>& shards, tools::stream_table& table)
      : s_(s), out_(out), shards_(shards), table_(table) {}

  // Runs until -c, -d, --timeout with nothing, or a signal. False: epoll failed.
  mcnet::result<void> run();
  [[nodiscard]] bool timed_out() const noexcept { return timed_out_; }
  void summary();

 private:
  void drain(shard& sh);
  void interval_report(double span);
  [[nodiscard]] std::uint64_t kernel_drops() const;
  [[nodiscard]] json iface(std::uint32_t index) { return tools::interface_json(index, names_.name(index)); }

  const settings& s_;
  const output& out_;
  std::vector<shard>& shards_;
  tools::stream_table& table_;
  tools::interface_names names_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  std::uint64_t total_ = 0;  // datagrams counted (END markers are not)
  bool timed_out_ = false;
  bool warned_untracked_ = false;
  std::uint64_t previous_untracked_ = 0;
  std::map<tools::stream_key, tools::totals> previous_;  // for interval deltas
  tools::totals previous_sum_;
  std::uint64_t previous_drops_ = 0;
};

std::uint64_t receiver::kernel_drops() const {
  std::uint64_t sum = 0;
  for (const auto& sh : shards_) {
    // SO_MEMINFO counts drops after the last datagram too; SO_RXQ_OVFL is the fallback.
    auto m = core::get(sh.sock, core::opt::memory_info);
    sum += m ? std::max(m->drops, sh.drops_seen) : sh.drops_seen;
  }
  return sum;
}

mcnet::result<void> receiver::run() {
  core::unique_fd ep(::epoll_create1(EPOLL_CLOEXEC));
  if (!ep) return mcnet::fail(mcnet::error::from_errno(errno, "epoll_create1", "event loop"));
  for (std::size_t i = 0; i < shards_.size(); ++i) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = i;
    if (::epoll_ctl(ep.get(), EPOLL_CTL_ADD, shards_[i].sock.native_handle(), &ev) != 0) {
      return mcnet::fail(mcnet::error::from_errno(errno, "epoll_ctl", "event loop"));
    }
  }
  started_ = std::chrono::steady_clock::now();
  auto last_report = started_;
  while (!tools::stop_requested()) {
    const auto now = std::chrono::steady_clock::now();
    const double elapsed = std::chrono::duration<double>(now - started_).count();
    if (s_.duration && elapsed >= *s_.duration) break;
    if (s_.timeout && total_ == 0 && elapsed >= *s_.timeout) {
      timed_out_ = true;
      break;
    }
    if (s_.count && total_ >= static_cast<std::uint64_t>(*s_.count)) break;
    if (s_.interval > 0 && std::chrono::duration<double>(now - last_report).count() >= s_.interval) {
      interval_report(std::chrono::duration<double>(now - last_report).count());
      last_report = now;
    }
    // Wake at least every 50 ms to check the clock and the signal flag.
    std::array<epoll_event, 16> events{};
    const int n = ::epoll_wait(ep.get(), events.data(), static_cast<int>(events.size()), 50);
    if (n < 0 && errno != EINTR) return mcnet::fail(mcnet::error::from_errno(errno, "epoll_wait", "event loop"));
    for (int e = 0; e < n; ++e) drain(shards_[events[static_cast<std::size_t>(e)].data.u64]);
  }
  return {};
}

void receiver::drain(shard& sh) {
  const auto batch = static_cast<std::size_t>(s_.batch);
  static thread_local std::vector<std::array<std::byte, 65536>> buffers;
  static thread_local std::vector<core::control_buffer> controls;
  static thread_local std::vector<core::message> msgs;
  if (buffers.size() != batch) {
    buffers.resize(batch);
    controls.resize(batch);
    msgs.resize(batch);
  }
  for (std::size_t i = 0; i < batch; ++i) msgs[i] = core::message{.buffer = buffers[i], .control = controls[i].span()};
  constexpr auto decode = core::cmsg::pktinfo | core::cmsg::hop_limit | core::cmsg::traffic_class |
                          core::cmsg::timestamp_ns | core::cmsg::drops;
  auto got = core::read_batch(sh.sock, msgs, decode, core::wait_policy::nonblocking());
  if (!got) return;  // would_block: another thread of epoll's readiness; errors show as nothing arriving
  for (std::size_t i = 0; i < *got; ++i) {
    if (s_.count && total_ >= static_cast<std::uint64_t>(*s_.count)) break;
    const auto& m = msgs[i];
    const auto arrival = m.info.software_time.value_or(
        std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now()));
    // The socket is shared by the groups of one port: the destination says which.
    const auto group = m.info.destination.is_valid() ? m.info.destination.unmap() : core::ip_address{};
    // The wildcard-bound sockets also get unicast and broadcast datagrams to
    // the port: not what was joined, so not counted.
    if (!group.is_multicast()) continue;
    const auto source = m.peer.address().unmap().with_scope_id(0);
    const auto payload = std::span<const std::byte>(m.buffer.data(), m.size);
    if (m.info.drops) sh.drops_seen = std::max(sh.drops_seen, *m.info.drops);
    const auto a = table_.add(group, sh.port, source, payload, arrival, m.info.hop_limit, m.info.traffic_class,
                              m.info.interface_index);
    if (!a.is_end()) ++total_;
    if (a.untracked && !warned_untracked_) {
      warned_untracked_ = true;
      std::cerr << "mcast-recv: warning: more than " << s_.max_streams << " streams (--max-streams): datagrams of "
                << "further streams are counted as untracked only\n";
    }
    if (!s_.show_packets) continue;
    const tools::packet_view p{static_cast<double>(arrival.time_since_epoch().count()) / 1e9,
                               source, group, sh.port, m.size, m.info.hop_limit, m.info.traffic_class,
                               m.info.interface_index};
    out_.event(tools::packet_json(p, a, iface(m.info.interface_index)));
    out_.text(tools::packet_text(p, a, names_.name(m.info.interface_index)));
  }
}

void receiver::interval_report(double span) {
  const double t = tools::now_seconds();
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  const auto sum = table_.sum();
  const auto drops = kernel_drops();
  const tools::totals delta{sum.packets - previous_sum_.packets, sum.bytes - previous_sum_.bytes, 0,
                            sum.reordered - previous_sum_.reordered, sum.duplicates - previous_sum_.duplicates};
  json total = tools::totals_json(delta, drops - previous_drops_);
  // Lost may shrink when late datagrams fill gaps counted before.
  total["lost"] = tools::lost_delta(sum.lost, previous_sum_.lost);
  total["untracked"] = table_.untracked() - previous_untracked_;
  previous_untracked_ = table_.untracked();
  out_.text(fmt::format("[{:.1f} s] {} datagrams in the last {:.1f} s, {} kernel drops", elapsed, delta.packets, span,
                        drops - previous_drops_));
  json streams = json::array();
  for (const auto& [k, st] : table_.streams()) {
    auto j = tools::stream_delta_json(k, st, previous_[k], span, iface(st.interface_index));
    if (s_.csv) std::cout << tools::csv_row("interval", t, j);
    out_.text(tools::stream_text(j));
    streams.push_back(std::move(j));
  }
  previous_sum_ = sum;
  previous_drops_ = drops;
  out_.event({{"event", "interval"}, {"time", t}, {"elapsed_s", elapsed}, {"streams", streams}, {"total", total}});
  if (s_.csv) std::cout << std::flush;
}

void receiver::summary() {
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  const double t = tools::now_seconds();
  json streams = json::array();
  out_.text("summary:");
  for (const auto& [k, st] : table_.streams()) {
    auto j = tools::stream_json(k, st, elapsed, iface(st.interface_index));
    if (s_.csv) std::cout << tools::csv_row("summary", t, j);
    out_.text(tools::stream_text(j));
    streams.push_back(std::move(j));
  }
  const auto sum = table_.sum();
  const auto drops = kernel_drops();
  json total = tools::totals_json(sum, drops);
  total["untracked"] = table_.untracked();
  out_.event({{"event", "summary"}, {"time", t}, {"elapsed_s", elapsed}, {"streams", streams}, {"total", total}});
  out_.text(fmt::format("mcast-recv: {} datagrams, {} bytes, {} lost, {} reordered, {} duplicates, {} kernel drops "
                        "in {:.3f} s{}",
                        sum.packets, sum.bytes, sum.lost, sum.reordered, sum.duplicates, drops, elapsed,
                        table_.untracked() > 0
                            ? fmt::format(" ({} datagrams of streams past --max-streams untracked)", table_.untracked())
                            : std::string()));
  std::cout << std::flush;
}

}  // namespace

int main(int argc, char** argv) {
  settings s;
  std::int64_t count = 0;
  double duration = 0, timeout = 0, max_loss = 0;
  po::options_description visible(
      "mcast-recv: join multicast groups and report what arrives, per sender\n\n"
      "usage: mcast-recv [options] SPEC...   (SPEC: [!][S,]GROUP[:PORT][%IFACE][+N], or @FILE)\n"
      "       mcast-recv --interfaces [--json]\n\noptions");
  visible.add_options()("help,h", "this help")
      ("interface,i", po::value(&s.iface), "interface: name, index, address, prefix or 'kernel' (default: the route)")
      ("ipv4,4", po::bool_switch(&s.only4), "IPv4 groups only")
      ("ipv6,6", po::bool_switch(&s.only6), "IPv6 groups only")
      ("json", po::bool_switch(&s.json_output), "JSON Lines on stdout (TOOLS.md, docs/mcast-tools.schema.json)")
      ("csv", po::bool_switch(&s.csv), "CSV on stdout: a header, then a row per stream per report")
      ("quiet,q", po::bool_switch(&s.quiet), "no report on stdout (errors still go to stderr)")
      ("interval", po::value(&s.interval)->default_value(0), "seconds between reports of deltas (0: summary only)")
      ("count,c", po::value(&count), "stop after this many datagrams in total (END markers not counted)")
      ("duration,d", po::value(&duration), "seconds to run")
      ("timeout", po::value(&timeout), "exit 2 when nothing arrived in this many seconds")
      ("max-loss", po::value(&max_loss), "exit 3 when lost / (packets + lost) exceeds this percentage")
      ("rcvbuf", po::value(&s.rcvbuf)->default_value(0), "receive buffer bytes per socket (asked vs granted printed)")
      ("force", po::bool_switch(&s.force), "with --rcvbuf: SO_RCVBUFFORCE past net.core.rmem_max (CAP_NET_ADMIN)")
      ("timestamp", po::value(&s.timestamp)->default_value("sw"), "kernel receive timestamps: sw or none")
      ("batch", po::value(&s.batch)->default_value(32), "datagrams per recvmmsg call, 1 to 64")
      ("busy-poll", po::value(&s.busy_poll)->default_value(0), "SO_BUSY_POLL microseconds (0: off)")
      ("show-packets", po::bool_switch(&s.show_packets), "one line (or JSON packet event) per datagram")
      ("max-streams", po::value(&s.max_streams)->default_value(s.max_streams),
       "streams kept (~25 KB each); datagrams of further streams are only counted as untracked")
      ("interfaces", po::bool_switch(&s.interfaces), "list interfaces, addresses and joined groups, then exit");
  auto parsed = tools::parse_command_line(argc, argv, visible, s.specs, "mcast-recv");
  if (!parsed) return exit_usage;
  const auto& vm = *parsed;
  if (vm.count("help")) {
    std::cout << visible
              << "\nSPEC: GROUP any source; S,GROUP only from S; !S,GROUP all but S. Several specs add sources.\n"
                 "Sockets: one per port and family, more past net.ipv4.igmp_max_memberships and the\n"
                 "igmp_max_msf / mld_max_msf source limits (read from the kernel at start).\n"
                 "\nexit codes: 0 ok, 1 usage or bad input, 2 nothing arrived before --timeout,\n"
                 "3 loss above --max-loss, 4 a join or socket set-up failed (precedence 1, 4, 2, 3)\n";
    return exit_ok;
  }
  if (vm.count("count")) s.count = count;
  if (vm.count("duration")) s.duration = duration;
  if (vm.count("timeout")) s.timeout = timeout;
  if (vm.count("max-loss")) s.max_loss = max_loss;
  const output out(s);
  if (auto bad = check_settings(s, vm, out)) return *bad;
  if (s.interfaces) return list_interfaces(s, out);

  std::vector<membership> members;
  if (auto bad = resolve_members(s, out, members)) return *bad;

  // Plan every socket before the first join: conflicts and limits are bad
  // input (exit 1), found before anything is joined.
  const auto limits = tools::socket_limits::read_live();
  {
    tools::socket_planner dry(limits);
    for (const auto& m : members) {
      if (auto p = dry.place(m.request); !p) {
        return out.fail(exit_usage, "group spec \"" + m.spec.text + "\": " + p.error().message(),
                        tools::code_name(p.error()));
      }
    }
    // Thousands of groups at 20 per socket need more descriptors than the
    // usual soft limit of 1024: raise it towards the hard limit.
    if (auto r = ensure_descriptors(dry.sockets().size()); !r) return out.fail(exit_setup, r.error());
  }

  // Open and join. A kernel refusal (ENOBUFS: net.core.optmem_max) moves the
  // membership to another socket when that can help.
  tools::socket_planner planner(limits);
  std::vector<shard> shards;
  tools::stream_table table(static_cast<std::size_t>(s.max_streams));
  buffer_report buffers;
  json start_groups = json::array();
  std::map<std::tuple<core::ip_address, std::uint16_t, std::uint32_t>, std::size_t> start_index;  // entry per membership
  std::map<std::size_t, core::interface_ref> routes;  // the kernel's choice, per start entry
  for (const auto& m : members) {
    mcnet::result<void> joined;
    bool duplicate = false;
    // Taken before the join: a datagram's kernel time can never precede it.
    const auto join_time = std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now());
    for (int attempt = 0; attempt < 64; ++attempt) {
      auto p = planner.place(m.request);
      if (!p) return out.fail(exit_setup, p.error());
      if (p->duplicate) {
        duplicate = true;  // a repeated spec: joined, reported and timed once
        break;
      }
      if (p->new_socket) {
        auto sock = open_socket(m.request.group.is_v4() ? AF_INET : AF_INET6, m.request.port, s, buffers);
        if (!sock) return out.fail(exit_setup, sock.error());
        shards.push_back({std::move(*sock), planner.sockets()[p->socket].family, m.request.port, 0});
      }
      joined = join(shards[p->socket].sock, m.request, *p);
      // Out of option memory: ENOBUFS (IPv4, source filters) or ENOMEM (IPv6 joins).
      const bool no_room = !joined && (joined.error().code == std::errc::no_buffer_space ||
                                       joined.error().code == std::errc::not_enough_memory);
      if (!no_room || !planner.refused(m.request, *p)) break;
    }
    if (duplicate) continue;
    if (!joined) return out.fail(exit_setup, joined.error());
    table.joined(m.request.group, m.request.port, join_time);
    // One entry per (group, port, interface); sources accumulate. The kernel's
    // route is looked up once per entry.
    auto [slot, fresh] = start_index.try_emplace({m.request.group, m.request.port, m.request.interface_index},
                                                 start_groups.size());
    const auto where = m.iface.index != 0 ? m.iface
                       : fresh            ? kernel_route(m.request.group, m.request.port)
                                          : routes.at(slot->second);
    if (m.iface.index == 0 && fresh) routes[slot->second] = where;
    const std::string where_name = where.index != 0 ? std::string(where.name.view()) : std::string();
    if (fresh) {
      start_groups.push_back({{"group", m.request.group.to_string()}, {"port", m.request.port},
                              {"mode", mode_name(m.request.mode)}, {"sources", json::array()},
                              {"interface", tools::interface_json(where.index, where_name)}});
    }
    if (m.request.source) start_groups[slot->second]["sources"].push_back(m.request.source->to_string());
    out.text(fmt::format("joined {} on {}{}{}", core::endpoint(m.request.group, m.request.port).to_string(),
                         where.index != 0 ? fmt::format("{} ({})", where_name, where.index) : std::string("?"),
                         m.iface.index == 0 ? " (the kernel's route)" : "",
                         m.request.source ? fmt::format(" {} {}", m.request.mode == tools::filter::include ? "from" : "except",
                                                        m.request.source->to_string())
                                          : ""));
  }
  out.text(fmt::format("{} socket(s); receive buffer per socket: asked {}, granted {} bytes", shards.size(),
                       s.rcvbuf > 0 ? std::to_string(s.rcvbuf) : std::string("the default"),
                       buffers.granted ? std::to_string(*buffers.granted) : std::string("?")));
  out.event({{"event", "start"}, {"time", tools::now_seconds()}, {"schema", 1}, {"tool", "mcast-recv"},
             {"version", "0.1.0"}, {"groups", start_groups},
             {"rcvbuf", {{"asked", s.rcvbuf > 0 ? json(s.rcvbuf) : json(nullptr)},
                         {"granted", buffers.granted ? json(*buffers.granted) : json(nullptr)}}},
             {"sockets", shards.size()}});
  if (s.csv) std::cout << tools::csv_header() << std::flush;

  tools::stop_on_signals();

  receiver rx(s, out, shards, table);
  if (auto r = rx.run(); !r) return out.fail(exit_setup, r.error());
  rx.summary();
  if (rx.timed_out()) {
    return out.fail(exit_nothing, "nothing arrived before --timeout", "timed_out");
  }
  if (s.max_loss && table.loss_ratio() * 100 > *s.max_loss) {
    return out.fail(exit_loss, fmt::format("loss {:.2f}% is above --max-loss {}%", table.loss_ratio() * 100, *s.max_loss),
                    "loss");
  }
  return exit_ok;
}
