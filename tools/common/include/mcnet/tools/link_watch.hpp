// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// mcast-recv's watch on the interfaces it joined on, during a run
/// (docs/tools.md, "Checks in every run"): rtnetlink notifications
/// (netlink::watcher: RTM_NEWLINK, RTM_DELLINK, RTM_NEWADDR, RTM_DELADDR)
/// about those interfaces become text lines and JSON `link` events: down
/// and up, deleted, re-created, addresses added and removed. When an
/// interface is deleted the kernel drops its memberships with it (the
/// sockets keep stale entries for the old index); when one of the same name
/// appears again, every membership that was on it is left on the old index
/// and joined again on the new one, on the same socket, so the run goes on
/// receiving without a restart.

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <mcnet/core/error.hpp>
#include <mcnet/netlink/watcher.hpp>
#include <mcnet/tools/output.hpp>
#include <mcnet/tools/receiver.hpp>

namespace mcnet::tools {

/// The watch; see the file comment. Holds references to the shards and
/// the reporter, which must outlive it.
class link_watch {
 public:
  /// Watch the interfaces `joins` were joined on (index 0 left out),
  /// joining again on `shards` after a re-creation, through `watcher`
  /// (netlink::watcher::open), opened earlier: the changes it queued since
  /// are reported by the first read(), so a watcher opened before the run
  /// said it was joined misses none. Errors: `watcher`'s.
  [[nodiscard]] static result<link_watch> open(result<netlink::watcher> watcher, std::vector<shard>& shards,
                                               std::vector<joined_membership> joins, const reporter& out);

  /// The descriptor to poll for POLLIN (the watcher's).
  [[nodiscard]] int fd() const noexcept { return watcher_.fd(); }

  /// Read the pending notifications: print a line and a `link` event per
  /// change to a watched interface, join again after a re-creation (and
  /// tell `session`, whose channels then count the new index). A failed
  /// read is a warning and returns false: the caller stops polling the
  /// descriptor (it may stay readable), the run goes on unwatched, and
  /// every later call returns false at once. A failed read, and lost
  /// notifications (the watcher's `resynced`), tell `session` that link
  /// events were lost (link_gone(drop_counters::link_events_lost)).
  [[nodiscard]] bool process(receive_session& session);
  /// At the end of the run, a warning (stderr, and a `warning` event with
  /// --json: code `link_deleted`, with `interface` and `came_back`) for each
  /// watched interface deleted during the run: whether an interface of its
  /// name came back (and its memberships were joined again) or not, so that
  /// the end of the output says why its streams stopped. Nothing when none was.
  void say_deleted() const;
  /// Say the `up` events that are due: an `up` waits up to half a second
  /// before its routes are checked, as a script that brings a link back
  /// adds its route only after the link is up (the kernel refuses a route
  /// through a down link; trial15i L1). Called at every wake-up of the
  /// receive loop; `all`: say every one waiting (the run's end).
  void tick(bool all = false);
  /// Say now the `up` of the link `index` (and the recheck it carries) that
  /// is waiting for its due time, should one be: a stream that arrives on
  /// that link again says "resumed" after its link's `up`, not half a
  /// second before it (trial t15z: "resumed" read as datagrams arriving on
  /// a link the output still showed down). Its routes are checked now;
  /// when one that a join without -i followed is missing, the `up` keeps
  /// its wait for it (see tick).
  void say_up_now(std::uint32_t index);
  /// The run's end: every `up` still waiting (tick(true)), then say_deleted().
  void finish();
  /// `members` (the run's, as resolved) with each membership on an
  /// interface that was deleted and whose memberships were joined again on
  /// an interface of its name placed there (its index now): the run is
  /// joined there, so the end verdict's checks judge that interface, not
  /// the deleted one (trial15o F6). A membership without -i keeps no
  /// interface (the verdict follows the route it took, by name).
  [[nodiscard]] std::vector<membership> current(std::vector<membership> members) const;

 private:
  struct watched {
    std::uint32_t index = 0;  // 0 while deleted
    bool running = false;     // IFF_UP and IFF_LOWER_UP
    bool pending = false;     // re-created, not yet joined again (a join failed: retried at its next event)
    std::uint32_t old_index = 0;  // the index its memberships are still recorded on
    std::uint32_t first_index = 0;  // the index it had when the run joined on it
    unsigned deletions = 0;         // times it was deleted (or moved to another namespace) during the run
    std::string given{};            // the name the run joined on (a rename does not change it)
    std::string deleted_as{};       // the name it had when deleted, when a rename had changed it
    unsigned unjoined = 0;          // deletions that left its memberships joined nowhere for a while
    bool recheck = false;           // joined again on a re-created interface: its checks are due once it is up
    unsigned moves = 0;             // of the deletions, the moves to another network namespace
    std::optional<std::int32_t> moved_to_netns_id{};  // the last one's namespace id (IFLA_NEW_NETNSID), if a move
    bool deleted_since_up = false;  // deleted (or moved away) since its last `up`: its routes went with it
  };

  link_watch(netlink::watcher w, std::vector<shard>& shards, std::vector<joined_membership> joins,
             const reporter& out);
  void report(const std::string& name, std::uint32_t index, std::string_view change, const std::string& message,
              const nlohmann::ordered_json& extra = nlohmann::ordered_json::object());
  // The `up` event of a watched link: "up", and when a join without -i
  // followed a route through it that is gone now, which and the command
  // that adds it back (`routes_gone`, `fix`).
  void report_up(const std::string& name, std::uint32_t index);
  // The `address_removed` event: "address A removed", and when the kernel
  // deleted with it a route a join without -i followed (its last IPv4
  // address takes the link's IPv4 routes), which and the command that adds
  // it back, as report_up says them (trial15j L1).
  void report_address_removed(const std::string& name, std::uint32_t index, const std::string& address);
  // The routes a join without -i followed through `index` that are gone
  // now, said as "the route R (dev NAME) that this run's join of G without
  // -i followed is gone (`how`): ... (fix: ...)"; empty: none gone.
  std::string routes_gone(const std::string& name, std::uint32_t index, std::string_view how, bool v4_only,
                          nlohmann::ordered_json& extra) const;
  // Leave what was on `w.old_index`, join it on `w.index`; the memberships joined again, or the first error.
  result<std::size_t> rejoin(watched& w);
  // rejoin(w) on `index` (the interface `name`), then the `recreated` event:
  // "WHAT: N membership(s) joined again WHERE", or on failure "WHAT, joining
  // again WHERE failed: ERROR (tried again at its next change)" with
  // rejoined 0 (w stays pending).
  void rejoin_and_report(watched& w, const std::string& name, std::uint32_t index, receive_session& session,
                         const std::string& what, std::string_view where);

  // The checks a run makes at its start (start_warnings), made again for
  // the memberships joined again on the re-created interface `index`, each
  // WARN and FAIL a warning: the new interface's settings (its rp_filter,
  // taken from conf/default, its IGMP version, its MULTICAST flag) are not
  // the deleted one's (trial15o F6).
  void recheck(const std::string& name, std::uint32_t index) const;

  struct pending_up {
    std::string name;
    std::uint32_t index = 0;
    std::chrono::steady_clock::time_point due;
    std::string removed{};  // an `address_removed` (ADDRESS/LEN) waiting for its route check; empty: an `up`
    bool recheck = false;   // the link was re-created: recheck() once due
    bool say_up = true;     // false: only the recheck (a re-created link that was up already)
  };
  // A pending_up that is due: its `up` or `address_removed` event, and the recheck it carries.
  void say_due(const pending_up& u);
  std::vector<pending_up> ups_;  // `up` events waiting for their route check (tick)
  netlink::watcher watcher_;
  std::vector<shard>& shards_;
  std::vector<joined_membership> joins_;
  const reporter& out_;
  std::map<std::string, watched> links_;  // by name: a re-created interface keeps its name, not its index
  bool failed_ = false;                   // a read failed: process() reads no more
};

}  // namespace mcnet::tools
