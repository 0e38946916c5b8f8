// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// mcast-recv's run, in pieces: group specs to memberships, the sockets and
/// their joins (one socket per family and port, more where the kernel's
/// per-socket limits say so: socket_planner), and the receive session (what
/// the datagrams count as, interval reports, the summary, the stop rules and
/// the exit code), kept apart from the epoll/recvmmsg loop that feeds it so
/// tests can drive it with made-up messages and a made-up clock.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <utility>
#include <string>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

#include <mcnet/core/error.hpp>
#include <mcnet/core/message.hpp>
#include <mcnet/core/socket.hpp>
#include <mcnet/features.hpp>
#if MCNET_HAS_IO_URING
#include <mcnet/core/uring_receiver.hpp>
#endif
#include <mcnet/tools/lines.hpp>
#include <mcnet/tools/capture.hpp>
#include <mcnet/tools/drop_causes.hpp>
#include <mcnet/tools/metrics.hpp>
#include <mcnet/tools/output.hpp>
#include <mcnet/tools/recv_options.hpp>
#include <mcnet/tools/report.hpp>
#include <mcnet/tools/route.hpp>
#include <mcnet/tools/socket_plan.hpp>
#include <mcnet/tools/stall_watch.hpp>
#include <mcnet/tools/stream_table.hpp>

namespace mcnet::netlink {
struct group_filter;
}  // namespace mcnet::netlink

namespace mcnet::tools {

/// A group to join, resolved: what the spec said, and where.
struct membership {
  group_spec spec;       ///< the spec it came from (named in errors)
  join_request request;  ///< one group, at most one source, the interface index
  core::interface_ref iface;  ///< index 0: the kernel chooses (by its route to the group)
  bool kernel_named = false;  ///< -i kernel or %kernel: the kernel's choice asked for by name
};

/// The specs of `s` (with @FILE read) as memberships, one per group and
/// source, interfaces resolved with `resolve` (-i, then each spec's own).
/// -4 / -6 refuse specs of the other family. Warnings (interface state,
/// check_spec_set) go to `out`. Returns the exit code (1) after printing the
/// error, or nothing when every spec resolved.
[[nodiscard]] std::optional<int> resolve_memberships(const recv_settings& s, const reporter& out,
                                                     const interface_resolver& resolve,
                                                     std::vector<membership>& members);

/// A socket on one port and family, holding what the planner put there.
struct shard {
  core::socket sock;       ///< wildcard-bound, non-blocking (open_receive_socket)
  int family = 0;          ///< AF_INET or AF_INET6
  std::uint16_t port = 0;  ///< the port it is bound to
  /// The socket's drop count carried by the last datagram read from it
  /// (SO_RXQ_OVFL, cumulative; receive_session::handle keeps it); SO_MEMINFO
  /// is asked at reports. Their difference at the end is the drops after
  /// that datagram (socket_drops::after_last_read).
  std::uint32_t drops_seen = 0;
  /// IPv4, on a port shared with a SO_REUSEPORT holder only: a second socket
  /// of the reuseport group, joined to nothing, IP_MULTICAST_ALL on. Two
  /// sockets of the port then take each of the groups joined here, so the
  /// kernel copies every datagram to each socket that takes it instead of
  /// handing a flow to one socket of the group by its hash (which gave a
  /// holder that turned IP_MULTICAST_ALL off mcast-recv's whole flow). Its
  /// copies are read and thrown away (drain_copies); closed: no such socket.
  core::socket copies{};
};

/// Empties `items` (sockets, or what holds them) newest first when it goes,
/// whatever ends the scope. The kernel keeps an interface's groups newest
/// first and looks up each group a closing socket leaves from the head of
/// that list (__ip_mc_dec_group, ip_mc_del_src), so closing sockets in the
/// order they were joined walks the whole list for each group: 48,871 IPv4
/// groups took 30 s to leave; newest first, a fraction of a second.
/// Declared after `items`, so it runs before their own destructor.
template <class T>
class close_newest_first {
 public:
  explicit close_newest_first(std::vector<T>& items) noexcept : items_(items) {}
  close_newest_first(const close_newest_first&) = delete;
  close_newest_first& operator=(const close_newest_first&) = delete;
  ~close_newest_first() {
    while (!items_.empty()) items_.pop_back();
  }

 private:
  std::vector<T>& items_;
};

/// Read and throw away what `sh.copies` holds (non-blocking, at most
/// `limit` datagrams). Returns how many were read.
std::size_t drain_copies(const shard& sh, std::size_t limit = 4096) noexcept;

/// The receive buffer the kernel granted (the first socket's).
struct buffer_report {
  std::optional<std::int64_t> granted;  ///< SO_RCVBUF as read back, bytes; none before the first socket
  /// Without --rcvbuf: what was asked for (auto_receive_buffer()); none when
  /// that was no more than the kernel's default, which is kept.
  std::optional<std::int64_t> auto_asked;
  /// Without --rcvbuf: auto_receive_buffer(), read once per run before the
  /// first socket is opened (open_and_join) and asked for by every socket;
  /// none: the kernel's default is kept.
  std::optional<std::int64_t> auto_want;
  /// Without --rcvbuf: SO_RCVBUF of the first socket as opened (the
  /// kernel's default), read once per run by open_receive_socket.
  std::optional<std::int64_t> fresh_size;
};

/// What a socket asks for without --rcvbuf: net.core.rmem_max, at most
/// auto_rcvbuf_cap (8 MiB); none when the sysctl cannot be read.
[[nodiscard]] std::optional<std::int64_t> auto_receive_buffer() noexcept;

/// A socket for one (family, port): SO_REUSEADDR, IPV6_V6ONLY, bound to the
/// wildcard address, only its own groups (`IP_MULTICAST_ALL` /
/// `IPV6_MULTICAST_ALL` off), per-datagram destination, TTL, TOS,
/// `SO_RXQ_OVFL`, `SO_TIMESTAMPNS` (--timestamp sw), `SO_BUSY_POLL`, and the
/// receive buffer of --rcvbuf (a warning on `out` when clamped), or without
/// it `buffers.auto_want` when that is more than the default. Errors:
/// the first failing call's. With `reuse_port` given, a bind refused
/// (EADDRINUSE) is tried again with SO_REUSEPORT too: it succeeds next to a
/// holder of this user that set SO_REUSEPORT (joining its reuseport group),
/// and an IPv4 socket then keeps IP_MULTICAST_ALL on, so that every group
/// joined here is taken by every socket of the group and copied to each
/// (the kernel hands a datagram only one socket takes to any socket of the
/// group by hash); `*reuse_port` says whether that happened.
[[nodiscard]] result<core::socket> open_receive_socket(int family, std::uint16_t port, const recv_settings& s,
                                                       const reporter& out, buffer_report& buffers,
                                                       bool* reuse_port = nullptr);

/// Join `r` on `sock` where `p` placed it: `IP_ADD_MEMBERSHIP` /
/// `MCAST_JOIN_SOURCE_GROUP`, or for exclude mode the group once per socket
/// then `MCAST_BLOCK_SOURCE` per source. An exclude join whose block fails
/// is left again (never kept unfiltered). Errors: the kernel's.
[[nodiscard]] result<void> join(core::socket_ref sock, const join_request& r, const placement& p);

/// A membership as joined: the socket holding it and how it went there
/// (link_watch joins it again there when its interface is re-created).
struct joined_membership {
  std::size_t shard = 0;  ///< index into the shards open_and_join filled
  join_request request;   ///< with the interface index it was joined on
  bool new_group = false;  ///< the group's first join on that socket (exclude mode joins the group then)
  /// Joined where the kernel's route to the group led (no -i, no %IFACE):
  /// the run relied on that route (link_watch says when it is gone).
  bool routed = false;
  /// For a routed join: the routing table entry the lookup matched at join
  /// time ("239.77.0.0/16", "224.0.0.0/4"; netlink::matched_route), empty
  /// when the kernel did not say. link_watch names it when it is gone.
  std::string route_prefix;
  /// The interface's name at join time (empty when not known): what the
  /// verdict calls it should it be deleted before anything else read it.
  std::string interface_name;
};

/// Plan, open and join every membership (a repeated one once), then print
/// the joined lines and the start event. A membership without an interface
/// is joined on the interface of the kernel's route to its group
/// (route_interface), looked up before planning, so that it conflicts with,
/// or repeats, one that names that interface. Planning errors are bad input
/// (exit 1, before any join); the kernel's are exit 4. ENOBUFS/ENOMEM moves a
/// membership to another socket when that can help. A SIGINT, SIGTERM or
/// SIGHUP (stop_on_signals, installed before) stops the joins (and the
/// route lookups before them): the start event
/// lists what was joined, then a `join_interrupted` warning says how many of
/// the planned memberships were, and the run ends with its summary. Returns
/// the exit code after printing the error, or nothing.
/// `joined`, when given, gets the start event's `groups`: one object per
/// joined channel (group, port, interface) with its mode and sources;
/// `placed`, when given, every membership joined, in order, with its socket;
/// `handled`, when given, how many of `members` (the first ones) were
/// joined or found repeated: fewer than all only after a signal (the run's
/// later checks then look at those alone, not at 60,000 never joined).
/// `before_start`, when given, is called once after the joins, right before
/// the start line and event: whatever must see the run from the moment it
/// says it is joined starts there (mcast-recv opens its interface-event
/// watcher, so a change made as soon as the start event is out is reported).
/// `before_joins`, when given, is called once after the last check that can
/// refuse the command line (the socket plan's: exit 1) and before the first
/// socket is opened; an exit code it returns ends the call with that code.
/// mcast-recv creates its --pcap file there: a refused command line leaves
/// an existing file as it was (trial t16y: a typo truncated yesterday's capture).
[[nodiscard]] std::optional<int> open_and_join(const recv_settings& s, const reporter& out,
                                               const std::vector<membership>& members, std::vector<shard>& shards,
                                               stream_table& table, nlohmann::ordered_json* joined = nullptr,
                                               std::vector<joined_membership>* placed = nullptr,
                                               std::size_t* handled = nullptr,
                                               const std::function<void()>& before_start = {},
                                               const std::function<std::optional<int>()>& before_joins = {});

/// --interfaces: every link with its flags, state, MTU, addresses and
/// joined groups (one JSON object per link with --json). Returns the exit code.
[[nodiscard]] int list_interfaces(const recv_settings& s, const reporter& out, std::ostream& stdout_stream);

/// A group's source filter on its interface, as --interfaces says it in
/// text: "include {10.77.0.1}", "exclude {}", "exclude {?}" when the
/// kernel's counts do not tell the list, "unknown {?}" when they tell
/// neither mode nor sources (Linux left the group out of its listing), and
/// "unknown: include {S1 S2} or exclude {}" when they tell the sources but
/// not the mode (group_filter_alternatives(); trial20q 7).
[[nodiscard]] std::string group_filter_text(const netlink::group_filter& f);
/// The same as a `filters` object of --interfaces --json: group, mode,
/// sources (null when unknown), counts (null when Linux did not list the
/// group) and alternatives (group_filter_alternatives() as [{mode,
/// sources}], null when there are none).
[[nodiscard]] nlohmann::ordered_json group_filter_json(const netlink::group_filter& f);
/// The states a filter whose mode the kernel's counts leave undecided may
/// be in: with sources included, none excluded, and more sockets joined
/// than the largest include count but no more than the include counts
/// added up, either every socket includes (include, the sources included)
/// or one joined any-source (exclude {}). Empty when the mode is known or
/// Linux did not list the group's sources.
[[nodiscard]] std::vector<std::pair<const char*, std::vector<core::ip_address>>> group_filter_alternatives(
    const netlink::group_filter& f);

/// Why a run received nothing, for its summary (nothing_arrived_verdict).
struct run_verdict {
  nlohmann::ordered_json event;    ///< the summary event's `verdict`: status, check, subject, message, fix
  std::vector<std::string> text;   ///< the text report's lines ("verdict: ...", "     fix: ...")
};

/// What the checks say of the groups that got nothing while other groups
/// got datagrams (run_checks' silent_hints): the same diagnosis as text
/// lines and as the summary event's `silent`.
struct silent_report {
  /// The summary event's `silent`: per silent channel, `group`, `port`,
  /// `interface`, `mode`, `sources` (the channel's, as the summary's
  /// `channels` say it), `end_markers` (END markers of streams never seen
  /// that came through it), `other_channels_received` (channel_name() of
  /// each channel of its group and port that received), `arrived_elsewhere`,
  /// `checked` (false: its checks were not made, silent_hints' `stop`), `causes` (each
  /// WARN and FAIL: status, check, subject, message, fix, note; in the
  /// doctor's order) and `message` (when no local check found a cause:
  /// what to suspect and which doctor run checks more; else null).
  nlohmann::ordered_json event = nlohmann::ordered_json::array();
  /// The text report's lines ("mcast-recv: nothing arrived for GROUP:PORT on IFACE, ...").
  std::vector<std::string> text;
};

/// A joined channel that got nothing in a run where others got datagrams
/// (receive_session's summary), for silent_hints.
struct silent_channel {
  /// Its entry of the summary's `channels`: group, port, mode, sources,
  /// interface, packets (0), end_markers, end_marker_sources.
  nlohmann::ordered_json channel;
  /// channel_name() of each channel of its group and port that received
  /// (another source of an include join, another interface); empty when none did.
  std::vector<std::string> other_channels_received;
  /// Its group and port's datagrams that came in on an interface where the
  /// run did not join them (receive_session::other_interface()), each
  /// "GROUP:PORT on IFACE (N datagrams)"; empty when none did.
  std::vector<std::string> arrived_elsewhere;
};

/// Which of the run's sockets a multicast datagram counts from (trial20p
/// F1). Linux gives an IPv6 socket the datagrams of every group it joined,
/// from every interface the host joined that group on (its source filter
/// check, inet6_mc_check, ignores the interface), so an IPv6 group joined
/// on two interfaces, one membership per socket (socket_planner), reached
/// both sockets: each datagram twice, the second copy counted as a
/// duplicate. A socket's copy counts only when that socket joined the
/// group on the datagram's ingress interface (IPV6_PKTINFO, IP_PKTINFO);
/// when another socket of the run joined it there, that socket's copy is
/// the one (or its filter refused the datagram, as IPv4's would), and this
/// one is dropped unseen: neither a duplicate nor `other_interface`. When
/// no socket of the run joined it there (the host did, for another
/// program), the datagram is set apart as arrived elsewhere, once: from
/// the first socket of the group whose source filter takes its source.
/// IPv4 delivers a datagram only to sockets joined on its ingress
/// interface (but the reuseport case, open_receive_socket), so nothing
/// changes there. A membership whose interface the kernel chose (index 0)
/// takes any ingress, after those that name it.
class copy_owner {
 public:
  /// What to do with one socket's copy of a datagram.
  enum class verdict : std::uint8_t {
    count,      ///< the run's: counted
    skip,       ///< another socket of the run has it (or its filter refused it there): not counted, not said
    elsewhere,  ///< arrived where the run did not join its group: set apart (receive_session::other_interface())
  };
  /// Socket `socket` joined `group`:`port` on interface `index` (0: where
  /// the kernel chose), in mode `mode` with `source` (include / exclude).
  /// Groups are taken unmapped, without scope.
  void add(const core::ip_address& group, std::uint16_t port, std::size_t socket, std::uint32_t index, filter mode,
           const std::optional<core::ip_address>& source = std::nullopt);
  /// The memberships on `old_index` were joined again on `new_index` (same sockets).
  void replaced(std::uint32_t old_index, std::uint32_t new_index);
  void clear() noexcept;
  /// Whether no membership was added: every datagram counts.
  [[nodiscard]] bool empty() const noexcept { return groups_.empty(); }
  /// The copy of a datagram to `group`:`port` from `source` that socket
  /// `socket` read, arrived through interface `ingress` (not 0). A group and
  /// port no membership named: counted (the caller filters those).
  /// One entry cached: consecutive datagrams are mostly of one flow.
  [[nodiscard]] verdict of(const core::ip_address& group, std::uint16_t port, std::uint32_t ingress,
                           std::size_t socket, const core::ip_address& source);

 private:
  struct join {
    std::size_t socket = 0;
    std::uint32_t index = 0;
    filter mode = filter::any;
    std::vector<core::ip_address> sources;  // include / exclude
    [[nodiscard]] bool takes(const core::ip_address& source) const noexcept;
  };
  using group_key = std::pair<core::ip_address, std::uint16_t>;
  std::map<group_key, std::vector<join>> groups_;  // in socket order
  struct {
    core::ip_address group{};
    std::uint16_t port = 0;
    std::uint32_t ingress = 0;
    std::size_t socket = 0;
    bool valid = false;
    bool by_source = false;  // the verdict depends on the source: not cached
    verdict v = verdict::count;
  } last_;
  /// The verdict, and whether it depends on the source (sockets of the
  /// group with different filters compete for it).
  [[nodiscard]] std::pair<verdict, bool> judge(const std::vector<join>& joins, std::uint32_t ingress,
                                               std::size_t socket, const core::ip_address& source) const;
};

/// The kernel's drops on the run's sockets (read_socket_drops()).
struct socket_drops {
  /// Over every socket: SO_MEMINFO's count, or the last SO_RXQ_OVFL value seen.
  std::uint64_t total = 0;
  /// Of those, the drops after the last datagram read from each socket:
  /// per socket, its drop count now less the count its last datagram read
  /// carried (shard::drops_seen). No gap in the numbers can show them (a
  /// tail dropped at the end of a run); drops before that datagram were
  /// of datagrams older than it, which a gap does show when they were a
  /// numbered stream's (trial t17c M1). 0 without SO_MEMINFO.
  std::uint64_t after_last_read = 0;
};

/// What a run counts and prints, fed with datagrams and clock readings.
class receive_session {
 public:
  using steady_clock = std::function<std::chrono::steady_clock::time_point()>;
  /// The kernel's drops on every socket (read_socket_drops()).
  using drop_counter = std::function<socket_drops()>;

  /// `now` reads the steady clock; `kernel_drops` is asked at each report.
  /// With --line the lines are merged (line_merge; a warning on `out` when
  /// the arbiter's memory cannot be had, and no "lines" then).
  receive_session(const recv_settings& s, const reporter& out, stream_table& table, drop_counter kernel_drops,
                  steady_clock now = std::chrono::steady_clock::now);

  /// --pcap: every datagram handle() takes (to a multicast group, within
  /// --count; END markers and untracked datagrams too) is also written to
  /// `w`, which must outlive the session. The summary's total gets "pcap".
  void capture_to(capture_writer& w) noexcept { capture_ = &w; }

  /// The run starts now: elapsed time and interval reports count from here;
  /// --metrics-file is written (with no stream yet), so it exists from the start.
  void start();

  /// The datagrams of one recvmmsg call on a socket bound to `port`, with
  /// their decoded info: unicast and broadcast (no multicast destination)
  /// are skipped, END markers are accounted but not counted, nothing past
  /// --count is taken; with --line a datagram to a line's group and port
  /// is offered to the merge too; `drops_seen` keeps the socket's SO_RXQ_OVFL value.
  /// `socket` is the socket's index among the run's (set_sockets(); 0 for
  /// all without): a copy another socket of the run has is not counted
  /// (copy_owner).
  void handle(std::span<const core::message> batch, std::uint16_t port, std::uint32_t& drops_seen,
              std::size_t socket = 0);

  /// Ask the clock: prints an interval report when one is due (and writes
  /// --metrics-file then, or every 10 s without --interval); true when the
  /// run must end (--duration, --count, or --timeout with nothing arrived).
  [[nodiscard]] bool tick();

  /// This process did not run for `d` (receive_loop saw its 50 ms wait take
  /// that long: SIGSTOP or Ctrl-Z then SIGCONT, a suspended VM, CPU
  /// starvation): said in a `paused` warning, and the flows' silences do
  /// not count it (the datagrams of that time waited in the queue). When
  /// `writing` (the reporter's time in writing stdout during that step) is
  /// half of `d` or more, the step was spent blocked on its output, not
  /// stopped: an `output_blocked` warning says so instead (trial t16t: a
  /// pipe whose reader waited 8 s read "did not run for 7.3 s").
  void paused(std::chrono::steady_clock::duration d,
              std::chrono::steady_clock::duration writing = std::chrono::steady_clock::duration::zero());
  /// `n` datagrams that came before the run's end were left in the receive
  /// queues when the tail read's bound ran out (receive_loop counts them
  /// without taking them): a `tail_unread` warning, as they are counted
  /// neither in the streams nor in the socket drops (trial t16t). With
  /// io_uring the ring is stopped first and read, then each socket as
  /// without it (trial t16u M1); `unknown` sockets whose request could not
  /// be stopped (`why`) were not read after that: their tail is unknown,
  /// which the warning says too. The summary's total has `n` as unread
  /// (0 without a call), and its text total line says it.
  void left_unread(std::uint64_t n, std::size_t unknown = 0, const std::string& why = {});
  /// The time the reporter spent writing stdout so far (reporter::writing()).
  [[nodiscard]] std::chrono::steady_clock::duration output_writing() const noexcept { return out_.writing(); }
  /// Whether --count datagrams were counted (the run ends at the next tick).
  [[nodiscard]] bool count_reached() const noexcept {
    return s_.count && total_ >= static_cast<std::uint64_t>(*s_.count);
  }

  /// How the receive loop read (receive_loop): the summary's `reads`.
  struct read_stats {
    std::uint64_t calls = 0;      ///< recvmmsg calls that returned datagrams
    std::uint64_t datagrams = 0;  ///< datagrams they returned (before --count and the multicast filter)
    std::uint64_t holds = 0;      ///< coalescing sleeps (read_coalescer)
    std::chrono::nanoseconds held{0};  ///< their total length
    std::int64_t coalesce_us = 0;      ///< --coalesce as used (0: off)
    bool stopped_by_drop = false;      ///< a socket's drop ended coalescing for the rest of the run
    bool io_uring = false;             ///< read through io_uring (--io-uring): `calls` are its reads
    std::uint64_t buffers_exhausted = 0;  ///< with io_uring: times its provided buffers ran out (none lost)
  };
  void set_reads(const read_stats& r) noexcept { reads_ = r; }

  /// The joined channels (open_and_join's `joined`): the summary gives each
  /// a line with what arrived for it, 0 packets when nothing did. A datagram
  /// of a joined group and port that comes in on an interface where none of
  /// them joined it is set aside (other_interface()): Linux gives an IPv6
  /// socket its groups' datagrams from every interface the host joined them
  /// on, another socket's membership included (IPv4 filters by the
  /// interface joined; trial20o M1).
  void set_channels(nlohmann::ordered_json joined);
  /// The memberships as joined, each with its socket (open_and_join's
  /// `placed`; link_watch's after a re-creation): which socket's copy of a
  /// datagram counts (copy_owner). Without it, after set_channels(), every
  /// channel is taken as one socket's (a single socket reads them all).
  void set_sockets(const std::vector<joined_membership>& placed);

  /// Datagrams set aside as arrived on an interface where the run did not
  /// join their group and port, per (group, port, interface index), the
  /// first 4096 of them apart: in no stream, no total and no channel. END
  /// markers are no datagrams here either (trial20p F8): counted apart.
  struct other_interface_count {
    std::uint64_t packets = 0;      ///< datagrams (END markers not)
    std::uint64_t bytes = 0;        ///< their bytes
    std::uint64_t end_markers = 0;  ///< mcnet END markers
  };
  using ingress_key = std::tuple<core::ip_address, std::uint16_t, std::uint32_t>;
  [[nodiscard]] const std::map<ingress_key, other_interface_count>& other_interface() const noexcept {
    return other_interface_;
  }
  /// All of them, those past the 4096 kept apart included (END markers not).
  [[nodiscard]] std::uint64_t other_interface_total() const noexcept { return other_interface_total_; }
  /// Count only datagrams to these (group, port) pairs (groups unmapped,
  /// without scope): a socket that joined a holder's reuseport group keeps
  /// IP_MULTICAST_ALL on (open_receive_socket) and gets copies of other
  /// groups joined here too. Empty (the default): every multicast datagram.
  void only_groups(std::set<std::pair<core::ip_address, std::uint16_t>> joined) { only_ = std::move(joined); }

  /// Asked by summary() when nothing was counted, with the drop counters'
  /// change over the run (count_drop_causes; unmeasured without it): why
  /// (mcast-recv gives nothing_arrived_verdict). With it set the summary
  /// event has `verdict`, null when something arrived; without it, no `verdict`.
  void diagnose_with(std::function<run_verdict(const drop_counters&)> d) { diagnose_ = std::move(d); }
  /// The kernel's drops on the run's sockets as summary() read them (the
  /// figure of its summary and the exit code); none before summary().
  [[nodiscard]] std::optional<std::uint64_t> final_kernel_drops() const noexcept { return final_drops_; }
  /// What explains datagrams lost in streams beyond the socket drops (text
  /// lines for the summary, run_checks' loss_hints): asked at the summary
  /// when the sequence numbers show more lost than the sockets dropped,
  /// with the (group, port)s of the streams that lost some (by number or
  /// by continuity counter): a rule is named for those alone.
  using lossy_groups = std::set<std::pair<core::ip_address, std::uint16_t>>;
  void loss_hints_with(std::function<std::vector<std::string>(const lossy_groups&)> h) { loss_hints_ = std::move(h); }
  /// What explains the channels that got nothing while others got
  /// datagrams (run_checks' silent_hints: text lines after the summary,
  /// and the summary event's `silent`): asked at the summary with those
  /// channels. With it set the summary event has `silent`, null unless
  /// some channels got datagrams and others none.
  using silent_channels = std::vector<silent_channel>;
  void silent_hints_with(std::function<silent_report(const silent_channels&)> h) { silent_hints_ = std::move(h); }
  /// The summary's `channels` (every joined channel, with its interface and
  /// packets), set as the summary is made, before silent_hints_with's
  /// function is asked: where the channels that received were joined.
  [[nodiscard]] const nlohmann::ordered_json& summary_channels() const noexcept { return summary_channels_; }
  /// Called with the interface index a stalled stream's datagram came in
  /// by (IP_PKTINFO; 0 unknown) before its "resumed" is said: mcast-recv
  /// says its link watch's waiting `up` of that link first (link_watch::say_up_now).
  void before_resumed_with(std::function<void(std::uint32_t)> f) { before_resumed_ = std::move(f); }

  /// Count the namespace's drop counters (drop_counters) from `before`,
  /// read before the joins (a sender may start as soon as they are
  /// reported), to the summary: the summary event gets `drop_causes`, their
  /// change over the run (null: not measured), and the text a line with
  /// those above 0; a --max-loss failure with kernel drops names them.
  /// `read` reads the counters at the summary (a test gives its own).
  void count_drop_causes(const drop_counters& before,
                         std::function<drop_counters()> read = [] {
                           return drop_counters::read(drop_counters::reading::last);
                         }) {
    drop_causes_ = true;
    drops_before_ = before;
    read_drops_ = std::move(read);
  }
  /// The counters' reading for the summary, taken now (with
  /// count_drop_causes): the run reads them, then the link events up to
  /// then, so that an interface made and deleted before the reading is
  /// known to have gone (link_gone). Without it the summary reads them.
  void take_final_drops() {
    if (drop_causes_) end_counters_ = read_drops_();
  }

  /// The memberships on interface `old_index` were joined again on
  /// `new_index` (link_watch, after a re-creation): the summary's channels
  /// name the new one and count what arrived on both.
  void interface_replaced(std::uint32_t old_index, std::uint32_t new_index);
  /// Interface `index`, named `name`, was deleted (link_watch), or moved to
  /// another network namespace (`moved`): its streams' text lines name it
  /// and say so, no index having the name any more; their JSON keeps the
  /// name, and a stream stalled at the end names it as its cause (trial
  /// t15z M2).
  void interface_deleted(std::uint32_t index, const std::string& name, bool moved = false);
  /// Interface `index`, named `name`, went down during the run (link_watch):
  /// set down (`administratively`) or its carrier lost. A stream of it
  /// stalled at the end while it is still down names that as its cause,
  /// with `ip link set dev NAME up` when it was set down (trial t15r19 M6:
  /// the stall line sent the reader to the doctor, the run's own link
  /// event unsaid).
  void interface_down(std::uint32_t index, const std::string& name, bool administratively);
  /// It is up and running again: no cause of a stall at the end.
  void interface_up(std::uint32_t index) { down_.erase(index); }
  /// An interface `name`, watched or not, was deleted or moved to another
  /// network namespace during the run (link_watch): the reverse-path bound
  /// does not know its packets (drop_counters::add_gone; trial t15r3 H3:
  /// one made and deleted within the run took every drop).
  void link_gone(const std::string& name) { links_gone_.insert(name); }
  /// Those of link_gone().
  [[nodiscard]] const std::set<std::string>& links_gone() const noexcept { return links_gone_; }
  /// An interface's (or conf/all's, conf/default's) rp_filter changed
  /// during the run, as a netconf notification said (link_watch;
  /// rp_filter_changed()): the reverse-path bound does not know which drops
  /// the interfaces it touched took (drop_counters::add_rp_changed; trial
  /// t15r4 H3b: turned on and off again within the run).
  void link_rp_changed(const rp_filter_change& change) { links_rp_changed_.insert(change); }
  /// Those of link_rp_changed().
  [[nodiscard]] const std::set<rp_filter_change>& links_rp_changed() const noexcept { return links_rp_changed_; }

  /// Print the summary (text, CSV rows, JSON event), after counting the
  /// datagrams `auto` still held (stream_table::settle), and write
  /// --metrics-file.
  void summary();

  /// The exit code after the summary: 2 when --timeout was given and
  /// nothing arrived (whatever ended the run: the timeout, -d, a signal), 3 when loss_ratio()
  /// is above --max-loss (with the error printed), else 0.
  [[nodiscard]] int finish() const;
  /// The error code finish() fails with (`loss`, `loss_unknown`, ...),
  /// none when it returns 0; nothing printed (the summary's lines say
  /// what --max-loss does in this run: trial t20y L1).
  [[nodiscard]] std::optional<std::string> failure_code() const;

  /// The loss --max-loss compares and the summary's total.loss_percent
  /// shows, 0..1: stream_table::loss_ratio() without --line; with it, the
  /// merged loss of the lines' feeds (merged lost over delivered + lost)
  /// for the mcnet, MoldUDP64 and RTP datagrams on lines, pooled with the
  /// per-stream figures of every other stream; and at least the kernel's
  /// drops on the sockets over the datagrams counted plus those drops (after
  /// summary(), the drops it reported, so that the exit code and
  /// total.loss_percent are one figure).
  [[nodiscard]] double loss_ratio() const;

  /// Datagrams counted so far (END markers and unicast are not).
  [[nodiscard]] std::uint64_t counted() const noexcept { return total_; }
  /// The run ended because nothing arrived within --timeout.
  [[nodiscard]] bool timed_out() const noexcept { return timed_out_; }

 private:
  void interval_report(double span);
  /// A stall or resume of the stream `k` (its own watch, stream::stall).
  void report_stall(const stall_watch::change& c, const stream_key& k);
  /// The datagrams a stream's stall watch needs before its pace is
  /// believed (stall_watch::check_one's `warm`): stall_watch::warm_up, a
  /// short paced feed's fewer.
  [[nodiscard]] static std::uint64_t stall_warm_up(const stream_key& k, const stream& st);
  /// `last`: the summary's write; its failure fails the run (metrics_failed_).
  void write_metrics(std::uint64_t drops, bool last = false);
  /// The joined channels with what arrived for each (the summary's "channels").
  [[nodiscard]] nlohmann::ordered_json counted_channels() const;
  [[nodiscard]] nlohmann::ordered_json iface(std::uint32_t index) {
    // One deleted during the run keeps the name it had (trial t15z M2: null).
    if (const auto d = deleted_.find(index); d != deleted_.end()) return interface_json(index, d->second.name);
    return interface_json(index, names_.name(index));
  }
  /// The index of the interface `index` named at the start as it is now:
  /// one re-created during the run (its memberships joined again there,
  /// interface_replaced) by its new index.
  [[nodiscard]] std::uint32_t current_index(std::uint32_t index) const;
  /// A stream's interface as it is now (current_index()), as the channels
  /// give it.
  [[nodiscard]] nlohmann::ordered_json stream_iface(std::uint32_t index);
  /// A stream's text line (stream_text): an interface that is gone (deleted,
  /// its index names none now) said as such, with its old name when known.
  [[nodiscard]] std::string stream_line(const nlohmann::ordered_json& stream) const;
  /// One stream of a report (`event`: "interval" or "summary") in each
  /// format asked for: its CSV row, its text line, its JSON text into
  /// `streams` (nothing made for a format not asked for).
  void write_stream(const char* event, double time, const nlohmann::ordered_json& stream,
                    json_array_text& streams) const;
  [[nodiscard]] double elapsed() const;
  /// Whether `k`'s numbers are merged by --line (its loss counts through the merge).
  [[nodiscard]] bool merged_by_lines(const stream_key& k) const;
  /// For a --max-loss failure: " (L lost in streams, D kernel drops; by
  /// cause, ...: bad UDP checksum 10)" when the sockets' kernel drops are
  /// above 0 (they may be the loss), with drop_causes_short_ when counted;
  /// "" without drops.
  [[nodiscard]] std::string kernel_drops_part() const;
  /// finish()'s judgement, each failure given to `fail` (exit, message,
  /// code), whose result it returns; 0 when none.
  [[nodiscard]] int judge(const std::function<int(int, std::string_view, std::string_view)>& fail) const;
  /// The streams of protocols with END markers stopped before the end of
  /// the run without one (stall_watch), for --max-loss: their count and
  /// up to 4 named with their silence ("NAME, silent for the last S s").
  [[nodiscard]] std::pair<std::size_t, std::string> unended_stalls() const;
  /// The silence as of `now`, seconds, of a stream evicted while stalled
  /// without its END (stream_table::evicted_tail_unknown()); 0 if not one.
  [[nodiscard]] double evicted_silence(const stream_key& k, stall_watch::clock::time_point now) const;
  /// What the sequence numbers show lost in streams (with --line, the
  /// lines' merged loss for the streams on them).
  [[nodiscard]] double lost_in_streams() const;
  /// The sockets' drops as loss: after summary(), the drops it reported,
  /// less those bad checksums explain beyond the full-queue counter.
  [[nodiscard]] double drops_as_loss() const;
  /// The socket drops after the last datagram read from each socket
  /// (socket_drops::after_last_read, at most drops_as_loss()), when some
  /// stream had not ended (no END marker, or a kind that has none) and
  /// --count was not reached: the tail of the run, which no gap shows and
  /// no `lost` counts (t17b 5, t17c M1). Zero otherwise.
  /// The datagrams left unread in the receive queues at the end
  /// (left_unread()) are such a tail too (trial t16v H1): the same streams,
  /// by the same rule; their tails are unknown (tail_unknown), and so is the
  /// run's loss.
  struct uncounted_tail {
    std::uint64_t drops = 0;   ///< the drops after the last datagram read
    std::uint64_t unread = 0;  ///< the datagrams left unread (total.unread)
    /// Streams without their END marker of the kinds that send one (mcnet
    /// END, MoldUDP64 end of session): "the tail dropped with its END markers".
    std::uint64_t unended = 0;
    /// Other streams, which no END marker ends (RTP, MPEG-TS, raw).
    std::uint64_t endless = 0;
  };
  [[nodiscard]] uncounted_tail uncounted_drops() const;
  /// Whether a stream (or an evicted feed) is one whose tail the datagrams
  /// after the last read may hold: it had not ended (uncounted_drops()).
  [[nodiscard]] static bool tail_open(bool ended) noexcept { return !ended; }
  /// The summary's text for `u` ("" when none): the drops' note, the unread
  /// datagrams' note.
  [[nodiscard]] static std::string uncounted_text(const uncounted_tail& u);
  [[nodiscard]] static std::string unread_text(const uncounted_tail& u);

  const recv_settings& s_;
  const reporter& out_;
  stream_table& table_;
  nlohmann::ordered_json channels_ = nlohmann::ordered_json::array();
  // set_channels() / set_sockets(): which socket's copy of a datagram counts.
  copy_owner owners_;
  std::map<ingress_key, other_interface_count> other_interface_;  // at most other_interface_kept
  std::uint64_t other_interface_total_ = 0;
  std::uint64_t other_interface_ends_ = 0;  // END markers that came so (not in other_interface_total_)
  static constexpr std::size_t other_interface_kept = 4096;
  std::set<std::pair<core::ip_address, std::uint16_t>> only_;
  drop_counter kernel_drops_;
  steady_clock now_;
  interface_names names_;
  std::chrono::steady_clock::time_point started_;
  std::chrono::steady_clock::time_point last_report_;
  /// The run's end as summary() read it: the silences judged after it
  /// (unended_stalls) are as of then, as the summary's (trial t16t).
  std::optional<std::chrono::steady_clock::time_point> ended_at_;
  /// When the next --interval report is due: start + k * interval, so the
  /// reports keep to the schedule instead of drifting by each wake-up's lag.
  std::chrono::steady_clock::time_point next_report_;
  std::chrono::steady_clock::time_point last_stall_check_;  // the stall watch walks every flow: every 50 ms
  // The receiver's latest pause (paused()) on the kernel's clock, ns since
  // the epoch, for the stall watch's arrivals (stall_watch::kernel_arrival).
  std::int64_t pause_from_ns_ = 0;
  std::int64_t pause_to_ns_ = 0;
  // The latest kernel arrival time read (ns since the epoch; 0: none) and
  // when it was read: the kernel's clock at a pause's end is that plus the
  // time since.
  std::int64_t latest_arrival_ns_ = 0;
  std::chrono::steady_clock::time_point latest_read_{};
  std::uint64_t total_ = 0;  // datagrams counted (END markers are not)
  bool timed_out_ = false;
  bool warned_untracked_ = false;
  bool warned_evicted_ = false;
  bool warned_malformed_ = false;
  bool warned_length_ = false;
  bool warned_no_checker_ = false;
  std::uint64_t previous_untracked_ = 0;
  std::optional<std::uint64_t> final_drops_;  // the kernel drops summary() reported (loss_ratio uses them)
  std::uint64_t final_after_last_read_ = 0;   // of those, after each socket's last datagram read
  std::uint64_t unread_ = 0;                  // left_unread(): the summary's total.unread
  drop_counters over_run_;                    // the drop causes over the run, read once by summary()
  std::uint64_t previous_evicted_ = 0;
  std::map<stream_key, totals> previous_;  // for interval deltas
  totals previous_sum_;
  std::uint64_t previous_drops_ = 0;
  std::optional<metrics_writer> metrics_;  // with --metrics-file
  std::optional<line_merge> lines_;        // with --line
  bool warned_unsequenced_ = false;
  read_stats reads_{};
  std::function<run_verdict(const drop_counters&)> diagnose_;  // diagnose_with
  std::function<std::vector<std::string>(const lossy_groups&)> loss_hints_;  // loss_hints_with
  std::function<silent_report(const silent_channels&)> silent_hints_;  // silent_hints_with
  nlohmann::ordered_json summary_channels_;                            // summary_channels()
  std::function<void(std::uint32_t)> before_resumed_;                  // before_resumed_with
  bool drop_causes_ = false;               // count_drop_causes
  drop_counters drops_before_;             // before the joins, with count_drop_causes
  std::set<std::string> links_gone_;       // link_gone()
  std::set<rp_filter_change> links_rp_changed_;  // link_rp_changed()
  std::function<drop_counters()> read_drops_;  // count_drop_causes
  std::optional<drop_counters> end_counters_;   // take_final_drops
  std::string drop_causes_short_;          // summary(): "bad UDP checksum 10, ..." (v4 and v6 summed), when counted
  std::vector<std::pair<std::uint32_t, std::uint32_t>> replaced_;  // interface_replaced: old index, new index
  struct gone_link {
    std::string name;    // the name it had
    bool moved = false;  // moved to another network namespace, not deleted
    double after_s = 0;  // when, in seconds since the run's start
  };
  std::map<std::uint32_t, gone_link> deleted_;  // interface_deleted: by index
  struct down_link {
    std::string name;
    bool administratively = false;  // set down, not its carrier lost
    double after_s = 0;             // when, in seconds since the run's start
  };
  std::map<std::uint32_t, down_link> down_;  // interface_down, until interface_up: by index
  // "c0 (index 7, deleted during the run)", "... moved to another network namespace during the run" (t15z L1).
  static std::string gone_text(const gone_link& g, std::uint32_t index);
  capture_writer* capture_ = nullptr;      // with --pcap
  bool capture_failed_ = false;
  bool metrics_failed_ = false;  // the last --metrics-file write failed (exit 4, trial t16x M5)
};

/// What came in on an interface where the run did not join its group
/// (receive_session::other_interface()), as the text says it: "N datagrams",
/// and " and M END markers" when some were (not datagrams: trial20p F8).
[[nodiscard]] std::string other_interface_text(const receive_session::other_interface_count& n);

/// The kernel's drops over `shards`: SO_MEMINFO's count (which includes drops
/// after the last datagram read), or the last SO_RXQ_OVFL value seen.
[[nodiscard]] std::uint64_t kernel_drops(const std::vector<shard>& shards);
/// kernel_drops(), and of them those after each socket's last datagram
/// read (its SO_MEMINFO count less shard::drops_seen), in one read of each socket.
[[nodiscard]] socket_drops read_socket_drops(const std::vector<shard>& shards);

/// What receive_session::only_groups() is given: the (group, port) of each
/// of `members` (unmapped, without scope) when a socket of `shards` joined
/// a holder's reuseport group (SO_REUSEPORT set by open_receive_socket),
/// which gets copies of every group joined on the host; else empty (every
/// multicast datagram is the run's own).
[[nodiscard]] std::set<std::pair<core::ip_address, std::uint16_t>> groups_to_count(
    const std::vector<shard>& shards, const std::vector<membership>& members);

class link_watch;

/// --io-uring: the io_uring that receive_loop reads every shard's socket
/// through. Opened before the joins (a refused io_uring is exit 4 before
/// any), on the thread that then reads (the ring is SINGLE_ISSUER).
struct io_uring_reads {
  /// Provided buffers: a read takes at most this many datagrams; past them
  /// the datagrams wait in their socket (uring_stats::buffers_exhausted).
  static constexpr std::size_t buffers = 256;
  /// Each buffer's payload room: the largest UDP payload, as recvmmsg's
  /// buffers, so that no datagram arrives cut.
  static constexpr std::size_t payload = 65535;
#if MCNET_HAS_IO_URING
  core::uring_receiver ring;  ///< with the metadata receive_loop decodes
#endif
  /// The ring. Errors: errc::not_supported in a build without liburing
  /// (--io-uring is refused before, recv_options); uring_receiver::make's
  /// (EPERM where io_uring is refused: kernel.io_uring_disabled, a seccomp
  /// filter; ENOSYS; EINVAL before Linux 5.19), each with a hint to run
  /// without --io-uring.
  [[nodiscard]] static result<io_uring_reads> open();
  /// open() when `wanted` (--io-uring), none otherwise; open()'s errors.
  [[nodiscard]] static result<std::optional<io_uring_reads>> open_if(bool wanted);
};

/// Feed `session` from `shards` (one epoll set, recvmmsg batches of
/// --batch) until it says stop or SIGINT/SIGTERM; with `links`, its
/// descriptor is in the set too and link_watch::process() runs when it is
/// readable (until it fails). `coalesce` (--coalesce, 0: off) bounds the
/// sleeps read_coalescer asks for between wake-ups that read few datagrams;
/// the session's summary gets the reads and holds (receive_session::set_reads).
/// With `uring` (--io-uring) the shards' sockets are added to its ring and
/// read through it instead of recvmmsg: the epoll set still says when to
/// read (a socket readable: one read of the ring takes what every socket
/// holds, again while a read takes `batch` or more, at most 16 reads a
/// wake-up), so the link watch, the copies sockets, the signals, the clock
/// and the holds are served as without it, and the session gets the same
/// messages, in runs of one socket each. Errors: epoll's; the ring's
/// (a request refused: EINVAL from a kernel before 6.0, which has no
/// multishot recvmsg), with a hint to run without --io-uring.
[[nodiscard]] result<void> receive_loop(receive_session& session, std::vector<shard>& shards, std::size_t batch,
                                        std::chrono::microseconds coalesce, link_watch* links = nullptr,
                                        io_uring_reads* uring = nullptr);

}  // namespace mcnet::tools
