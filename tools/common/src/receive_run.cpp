// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// mcast-recv's run: the wiring of its pieces (receive_run.hpp).

#include <mcnet/tools/receive_run.hpp>

#include <chrono>
#include <cstddef>
#include <iostream>
#include <optional>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include <mcnet/tools/capture.hpp>
#include <mcnet/tools/cli.hpp>
#include <mcnet/tools/doctor.hpp>
#include <mcnet/tools/link_watch.hpp>
#include <mcnet/tools/output.hpp>
#include <mcnet/tools/receiver.hpp>
#include <mcnet/tools/recv_options.hpp>
#include <mcnet/tools/run_checks.hpp>
#include <mcnet/tools/stream_table.hpp>

namespace mcnet::tools {

int receive_run(const recv_settings& s, const reporter& out) {
  if (s.interfaces) return list_interfaces(s, out, std::cout);

  // --pcap is created after every check that can refuse the command line
  // (the specs, interfaces and ports here, the socket plan in
  // open_and_join), so that a refused one leaves an existing file as it was
  // (trial t16y), and before any join: a path it cannot write is bad input.
  std::optional<capture_writer> capture;
  const auto create_capture = [&s, &out, &capture]() -> std::optional<int> {
    if (!s.pcap) return std::nullopt;
    const auto rotate = s.pcap_rotate_mb ? std::optional(*s.pcap_rotate_mb * 1'000'000) : std::nullopt;
    auto w = capture_writer::open(*s.pcap, rotate);
    if (!w) return out.usage(w.error());
    capture.emplace(std::move(*w));
    return std::nullopt;
  };

  // A signal from here on ends the run with its summary, during the joins too.
  stop_on_signals();
  std::vector<membership> members;
  if (auto bad = resolve_memberships(s, out, netlink_resolver(), members)) return *bad;
  std::vector<shard> shards;
  // The sockets are closed newest first, whatever ends the run (a signal
  // during the joins too): see close_newest_first.
  close_newest_first closer(shards);
  // --io-uring: the ring is made here, on the thread that reads, so that a
  // refused io_uring is exit 4 before any join. Declared after the shards:
  // it goes first, its requests holding the sockets, which then close
  // newest first as above.
  auto uring = io_uring_reads::open_if(s.io_uring);
  if (!uring) return out.fail(exit_setup, uring.error());
  stream_table table(static_cast<std::size_t>(s.max_streams), s.payload, s.rtp_clock);
  table.set_read_times(s.timestamp == "none");  // arrival times carry the receiver's own delays
  nlohmann::ordered_json joined;
  std::vector<joined_membership> placed;
  // The interface-event watcher opens before the drop counters' first
  // reading: an interface made and deleted at any time after it, during
  // the joins too, is seen, and the reverse-path bound knows its packets
  // are not known (drop_counters::add_gone). Links and addresses only: the
  // joins' group notifications would overflow its queue (lost events make
  // the bound unknown). Its changes queued meanwhile are reported by
  // link_watch's first read, so a change made as soon as the run says it
  // is joined is reported too.
  auto watcher = mcnet::netlink::watcher::open(1 << 20, false);
  // Before the joins: a sender may start as soon as they are reported.
  const auto drops_before = drop_counters::read(drop_counters::reading::first);
  // The MLD reports sent before the joins: those the joins send say the MLD version in use.
  const mld_since mld{read_mld_reports(), "the run's joins"};
  std::size_t handled = members.size();
  if (auto bad = open_and_join(s, out, members, shards, table, &joined, &placed, &handled, {}, create_capture)) {
    return *bad;
  }
  // A signal during the joins: what follows (the checks, the verdict of a
  // run that received nothing) is about the memberships joined, not the
  // ones never tried (60,000 of them took 12 s to check after a SIGINT).
  const auto planned = members.size();
  // The doctor command of a run cut short names every planned spec: the
  // joined ones may be none (trial t15r18 M3: "mcast-recv doctor --listen 5 ,").
  const auto planned_specs = handled < members.size() ? spec_list(members) : std::string();
  if (handled < members.size()) members.erase(members.begin() + static_cast<std::ptrdiff_t>(handled), members.end());
  // What the doctor would find without listening, said before the first
  // datagram; not when a signal already ended the run (its summary's
  // verdict, if nothing arrived, has the same checks).
  if (!stop_requested()) (void)start_warnings(members, out, true, &mld);
  // A signal during the joins or within a second of them: nothing arriving
  // says nothing of the sender or this host yet, so no cause is looked for
  // (trial t15r17 M5: a run that joined none of 12,000 groups blamed the
  // sender; one stopped 1 ms after its joins diagnosed 11,990 channels).
  const auto listening_from = std::chrono::steady_clock::now();
  const auto cut_short = [&listening_from, handled, planned]() -> std::optional<std::string> {
    if (!stop_requested()) return std::nullopt;
    const auto listened = std::chrono::duration<double>(std::chrono::steady_clock::now() - listening_from).count();
    if (handled < planned) {
      return fmt::format("a signal ended the run while it joined ({} of the {} planned memberships joined)", handled,
                         planned);
    }
    if (listened < too_soon_to_judge_s) {
      return fmt::format("a signal ended the run {:.3f} s after its joins", listened);
    }
    return std::nullopt;
  };

  receive_session session(s, out, table, [&shards] { return read_socket_drops(shards); });
  session.set_channels(std::move(joined));
  session.set_sockets(placed);  // which socket's copy of a datagram counts
  session.only_groups(groups_to_count(shards, members));
  // The routes the joins without -i followed: a link down that took one is fixed with it.
  auto relied = relied_routes(placed);
  // Interface changes during the run are reported, and a re-created interface joined again.
  auto links = link_watch::open(std::move(watcher), shards, std::move(placed), out);
  if (!links) {
    out.warn("interface events are not watched: " + links.error().message());
    // An interface made and deleted during the run goes unseen: the
    // reverse-path bound is not known.
    session.link_gone(std::string(drop_counters::link_events_lost));
  }
  // The verdict judges the interfaces the run is joined on at its end: a
  // re-created one where its memberships were joined again, not the deleted one.
  // Datagrams of its groups that came in where it did not join them say where the sender is.
  session.diagnose_with([&members, &s, &table, &links, &session, &mld, &cut_short, &planned_specs, handled, planned,
                         relied = std::move(relied)](const drop_counters& over_run) {
    // Cut short during the joins: no check is made (a signal asks for
    // the summary now; not every join was made). Within a second of them:
    // a cause found stands (the run's own drop counters are evidence), but
    // none found is no reason to suspect the sender yet.
    const auto why = cut_short();
    if (why && handled < planned) return cut_short_verdict(*why, planned_specs);
    return nothing_arrived_verdict(links ? links->current(members) : members, over_run, s.rcvbuf,
                                   table.stray_ends(), relied, session.other_interface(), &mld,
                                   session.final_kernel_drops(), why);
  });
  session.loss_hints_with(
      [&members](const receive_session::lossy_groups& lossy) { return loss_hints(members, lossy); });
  // Bounded: a signal or silent_check_budget ends them, the summary comes.
  // The drop counters since the joins: a silent channel's interface's own
  // drops, when no other channel there received (trial t15t H2).
  session.silent_hints_with([&members, &drops_before, &session, &cut_short](const receive_session::silent_channels& silent) {
    auto over = drop_counters::read(drop_counters::reading::last).since(drops_before);
    over.add_gone(session.links_gone());  // made and deleted within the run too (trial t15r3 H3)
    over.add_rp_changed(session.links_rp_changed());  // rp_filter changed and back (trial t15r4 H3b)
    // Cut short: the checks get a second at most (those of 12,000 channels
    // kept the run 2.7 s after its signal: trial t15r17 M5), the channels
    // left said unchecked and why, and a channel with no cause found is too
    // soon to suspect its sender.
    if (auto why = cut_short()) {
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1);
      const auto stop = [why, deadline]() -> std::optional<std::string> {
        if (std::chrono::steady_clock::now() < deadline) return std::nullopt;
        return *why + ", and the checks' 1 s after it ran out";
      };
      return silent_hints(members, silent, stop, over, why, &session.summary_channels());
    }
    return silent_hints(members, silent, silent_check_stop(), over, std::nullopt, &session.summary_channels());
  });
  session.count_drop_causes(drops_before);
  if (capture) session.capture_to(*capture);
  if (auto r = receive_loop(session, shards, static_cast<std::size_t>(s.batch),
                                   std::chrono::microseconds(s.coalesce), links ? &*links : nullptr,
                                   *uring ? &**uring : nullptr);
      !r) {
    return out.fail(exit_setup, r.error());
  }
  // The counters' last reading, then the link events up to it: an
  // interface made and deleted before that reading is seen (read the
  // other way round, one deleted in between would not be).
  session.take_final_drops();
  if (links) {
    (void)links->process(session);
    links->finish();
  }
  session.summary();
  return session.finish();
}

}  // namespace mcnet::tools
