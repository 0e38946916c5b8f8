// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// mcast-recv: join groups (ASM, SSM include and exclude, IPv4 and IPv6) and
// report per stream what arrives: packets, loss, reordering, duplicates,
// latency, jitter, TTL and TOS; `mcast-recv doctor` says why nothing would
// arrive. See docs/tools.md, the man page and --help.
// The pieces live in tools/common (recv_options, receiver, stream_table,
// report), where the unit tests drive them.

#include <cstddef>
#include <iostream>
#include <optional>
#include <vector>

#include <mcnet/tools/capture.hpp>
#include <mcnet/tools/cli.hpp>
#include <mcnet/tools/doctor.hpp>
#include <mcnet/tools/link_watch.hpp>
#include <mcnet/tools/output.hpp>
#include <mcnet/tools/receiver.hpp>
#include <mcnet/tools/recv_options.hpp>
#include <mcnet/tools/run_checks.hpp>
#include <mcnet/tools/stream_table.hpp>
#include <mcnet/tools/tool_main.hpp>

namespace tools = mcnet::tools;

namespace {

int run_receive(const tools::recv_settings& s, const tools::reporter& out) {
  if (s.interfaces) return tools::list_interfaces(s, out, std::cout);

  // --pcap is created before any join: a path it cannot write is bad input.
  std::optional<tools::capture_writer> capture;
  if (s.pcap) {
    const auto rotate = s.pcap_rotate_mb ? std::optional(*s.pcap_rotate_mb * 1'000'000) : std::nullopt;
    auto w = tools::capture_writer::open(*s.pcap, rotate);
    if (!w) return out.usage(w.error());
    capture.emplace(std::move(*w));
  }

  // A signal from here on ends the run with its summary, during the joins too.
  tools::stop_on_signals();
  std::vector<tools::membership> members;
  if (auto bad = tools::resolve_memberships(s, out, tools::netlink_resolver(), members)) return *bad;
  std::vector<tools::shard> shards;
  // The sockets are closed newest first, whatever ends the run (a signal
  // during the joins too): the kernel keeps an interface's groups newest
  // first and looks each one it leaves up from there, so leaving them in
  // the order they were joined walks the whole list each time (48,871
  // IPv4 groups took 30 s to leave; newest first, a fraction of a second).
  struct close_newest_first {
    std::vector<tools::shard>& shards;
    explicit close_newest_first(std::vector<tools::shard>& s) : shards(s) {}
    close_newest_first(const close_newest_first&) = delete;
    close_newest_first& operator=(const close_newest_first&) = delete;
    ~close_newest_first() {
      while (!shards.empty()) shards.pop_back();
    }
  } closer(shards);
  // --io-uring: the ring is made here, on the thread that reads, so that a
  // refused io_uring is exit 4 before any join. Declared after the shards:
  // it goes first, its requests holding the sockets, which then close
  // newest first as above.
  auto uring = tools::io_uring_reads::open_if(s.io_uring);
  if (!uring) return out.fail(tools::exit_setup, uring.error());
  tools::stream_table table(static_cast<std::size_t>(s.max_streams), s.payload, s.rtp_clock);
  table.set_read_times(s.timestamp == "none");  // arrival times carry the receiver's own delays
  nlohmann::ordered_json joined;
  std::vector<tools::joined_membership> placed;
  // Before the joins: a sender may start as soon as they are reported.
  const auto drops_before = tools::drop_counters::read();
  // The MLD reports sent before the joins: those the joins send say the MLD version in use.
  const tools::mld_since mld{tools::read_mld_reports(), "the run's joins"};
  std::size_t handled = members.size();
  // The interface-event watcher opens as the joins end, before the start
  // event: a change made as soon as the run says it is joined is reported.
  std::optional<mcnet::result<mcnet::netlink::watcher>> watcher;
  if (auto bad = tools::open_and_join(s, out, members, shards, table, &joined, &placed, &handled,
                                      [&watcher] { watcher = mcnet::netlink::watcher::open(); })) {
    return *bad;
  }
  // A signal during the joins: what follows (the checks, the verdict of a
  // run that received nothing) is about the memberships joined, not the
  // ones never tried (60,000 of them took 12 s to check after a SIGINT).
  if (handled < members.size()) members.erase(members.begin() + static_cast<std::ptrdiff_t>(handled), members.end());
  // What the doctor would find without listening, said before the first
  // datagram; not when a signal already ended the run (its summary's
  // verdict, if nothing arrived, has the same checks).
  if (!tools::stop_requested()) (void)tools::start_warnings(members, out, true, &mld);

  tools::receive_session session(s, out, table, [&shards] { return tools::read_socket_drops(shards); });
  session.set_channels(std::move(joined));
  session.set_sockets(placed);  // which socket's copy of a datagram counts
  session.only_groups(tools::groups_to_count(shards, members));
  // The routes the joins without -i followed: a link down that took one is fixed with it.
  auto relied = tools::relied_routes(placed);
  // Interface changes during the run are reported, and a re-created interface joined again.
  auto links = tools::link_watch::open(watcher ? std::move(*watcher) : mcnet::netlink::watcher::open(), shards,
                                       std::move(placed), out);
  if (!links) out.warn("interface events are not watched: " + links.error().message());
  // The verdict judges the interfaces the run is joined on at its end: a
  // re-created one where its memberships were joined again, not the deleted one.
  // Datagrams of its groups that came in where it did not join them say where the sender is.
  session.diagnose_with([&members, &s, &table, &links, &session, &mld,
                         relied = std::move(relied)](const tools::drop_counters& over_run) {
    return tools::nothing_arrived_verdict(links ? links->current(members) : members, over_run, s.rcvbuf,
                                          table.stray_ends(), relied, session.other_interface(), &mld,
                                          session.final_kernel_drops());
  });
  session.loss_hints_with(
      [&members](const tools::receive_session::lossy_groups& lossy) { return tools::loss_hints(members, lossy); });
  // Bounded: a signal or silent_check_budget ends them, the summary comes.
  session.silent_hints_with([&members](const tools::receive_session::silent_channels& silent) {
    return tools::silent_hints(members, silent, tools::silent_check_stop());
  });
  session.count_drop_causes(drops_before);
  if (capture) session.capture_to(*capture);
  if (auto r = tools::receive_loop(session, shards, static_cast<std::size_t>(s.batch),
                                   std::chrono::microseconds(s.coalesce), links ? &*links : nullptr,
                                   *uring ? &**uring : nullptr);
      !r) {
    return out.fail(tools::exit_setup, r.error());
  }
  if (links) links->finish();
  session.summary();
  return session.finish();
}

}  // namespace

int main(int argc, char** argv) {
  // `mcast-recv doctor ...`: the checks of docs/tools.md, "mcast-recv doctor".
  if (tools::is_doctor_command(tools::arguments(argc, argv))) {
    return tools::tool_main("mcast-recv", argc, argv, tools::parse_doctor_command_line, tools::doctor_help(),
                            tools::run_doctor);
  }
  return tools::tool_main("mcast-recv", argc, argv, tools::parse_recv_command_line, tools::recv_help(), run_receive);
}
