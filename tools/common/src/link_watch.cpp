// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <mcnet/tools/link_watch.hpp>

#include <algorithm>
#include <map>
#include <utility>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <mcnet/core/membership.hpp>
#include <mcnet/netlink/route.hpp>
#include <mcnet/tools/doctor.hpp>
#include <mcnet/tools/drop_causes.hpp>
#include <mcnet/tools/report.hpp>
#include <mcnet/tools/run_checks.hpp>

namespace mcnet::tools {

using json = nlohmann::ordered_json;

result<link_watch> link_watch::open(result<netlink::watcher> watcher, std::vector<shard>& shards,
                                    std::vector<joined_membership> joins, const reporter& out) {
  if (!watcher) return fail(watcher.error());
  return link_watch(std::move(*watcher), shards, std::move(joins), out);
}

link_watch::link_watch(netlink::watcher w, std::vector<shard>& shards, std::vector<joined_membership> joins,
                       const reporter& out)
    : watcher_(std::move(w)), shards_(shards), joins_(std::move(joins)), out_(out) {
  std::set<std::uint32_t> indexes;
  for (const auto& j : joins_) {
    if (j.request.interface_index != 0) indexes.insert(j.request.interface_index);
  }
  for (const auto index : indexes) {
    if (const auto* l = watcher_.state().link_by_index(index)) {
      links_[l->name] = {index, l->is_up() && l->has_carrier(), false, index, index, 0, l->name, {}};
    }
  }
}

void link_watch::report(const std::string& name, std::uint32_t index, std::string_view change,
                        const std::string& message, const json& extra) {
  const std::string line = fmt::format("link {} ({}): {}", name, index, message);
  json e{{"event", "link"}, {"time", now_seconds()}, {"interface", interface_json(index, name)},
         {"change", change}, {"message", line}, {"address", nullptr}, {"old_index", nullptr}, {"rejoined", nullptr}};
  for (const auto& [k, v] : extra.items()) e[k] = v;
  out_.event(e);
  out_.text(line);
  out_.flush();
}

std::string link_watch::routes_gone(const std::string& name, std::uint32_t index, std::string_view how, bool v4_only,
                                    nlohmann::ordered_json& extra) const {
  // Taking a link down deletes the routes through it (IPv4 and IPv6); up
  // again, the kernel adds back its addresses' prefix routes (and IPv6 its
  // ff00::/8), not a route added by hand such as `ip route add
  // 239.77.0.0/16 dev IFACE`; removing a link's last IPv4 address deletes
  // its IPv4 routes alike. The memberships stay on the interface and keep
  // receiving; what is gone is the route a join without -i followed: the
  // prefix the lookup matched at join time (224.0.0.0/4 or ff00::/8 when
  // the kernel did not say). The group may now route elsewhere (a wider
  // route through another interface): a new run joins there.
  std::set<core::ip_address> gone;
  std::vector<std::string> prefixes;                   // distinct, in join order
  std::map<std::string, std::string> now_via;          // prefix: where its first group routes now ("" none)
  // A link deleted meanwhile took its routes and memberships with it: its
  // `removed` line says so, and no route through another link is proposed
  // for it (trial15o F4).
  if (watcher_.state().link_by_index(index) == nullptr) return {};
  for (const auto& j : joins_) {
    if (!j.routed || j.request.interface_index != index || gone.contains(j.request.group)) continue;
    if (v4_only && !j.request.group.is_v4()) continue;
    const auto r = netlink::route_to(j.request.group);
    if (r && r->iface.index == index) continue;
    gone.insert(j.request.group);
    const auto prefix =
        !j.route_prefix.empty() ? j.route_prefix : std::string(j.request.group.is_v4() ? "224.0.0.0/4" : "ff00::/8");
    if (now_via.try_emplace(prefix, r ? std::string(r->iface.name.view()) : std::string()).second) {
      prefixes.push_back(prefix);
    }
  }
  if (gone.empty()) return {};
  std::vector<std::string> groups;
  for (const auto& g : gone) groups.push_back(g.to_string());
  // The doctor's choice of interface for the route (this link: it is up).
  const auto dev = shell_quoted(multicast_route_interface(watcher_.state(), *gone.begin(), index));
  // `replace`: adding fails (File exists) when an equal prefix came back
  // through another interface.
  const auto command = [&](const std::string& prefix) {
    return fmt::format("ip {}route replace {} dev {}", prefix.find(':') != std::string::npos ? "-6 " : "", prefix, dev);
  };
  const auto& first = prefixes.front();
  const auto fix = command(first);
  const auto& via = now_via.at(first);
  const std::string where_now =
      via.empty() ? "a new run or a sender without -i finds no route"
                  : fmt::format("the group now routes via {}: a new run or a sender without -i uses {}", via, via);
  std::vector<std::string> more;
  for (std::size_t i = 1; i < prefixes.size(); ++i) more.push_back(command(prefixes[i]));
  extra["routes_gone"] = groups;
  extra["route"] = first;
  extra["now_via"] = via.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(via);
  extra["fix"] = fix;
  return fmt::format("the route {} (dev {}) that this run's join of {} without -i followed is gone ({}, and a route "
                     "added by hand does not come back): the memberships stay on {} and receive, but {} (fix: {}){}",
                     first, name, fmt::join(groups, ", "), how, name, where_now, fix,
                     more.empty() ? std::string() : fmt::format(" (note: and {})", fmt::join(more, "; ")));
}

void link_watch::report_up(const std::string& name, std::uint32_t index) {
  json extra = json::object();
  // A link deleted (or moved away) and made again lost its routes with it,
  // not by going down (trial t15q L5).
  std::string_view how = "the kernel deleted it when the link went down";
  if (const auto it = links_.find(name); it != links_.end() && it->second.deleted_since_up) {
    how = it->second.moved_to_netns_id ? "the kernel deleted it when the link was moved to another network namespace"
                                       : "the kernel deleted it when the link was deleted";
    it->second.deleted_since_up = false;
  }
  const auto gone = routes_gone(name, index, how, false, extra);
  report(name, index, "up", gone.empty() ? std::string("up") : "up; " + gone, extra);
}

void link_watch::report_address_removed(const std::string& name, std::uint32_t index, const std::string& address) {
  json extra{{"address", address}};
  // Only an IPv4 address's removal takes routes (the link's last one: all its IPv4 routes).
  const bool v4 = address.find(':') == std::string::npos;
  const auto gone =
      v4 ? routes_gone(name, index, "the kernel deleted it with the link's last IPv4 address", true, extra)
         : std::string();
  report(name, index, "address_removed",
         fmt::format("address {} removed{}", address, gone.empty() ? std::string() : "; " + gone), extra);
}

result<std::size_t> link_watch::rejoin(watched& w) {
  // The kernel dropped the old device's memberships; the sockets still list
  // them under the old index (and count them against their limits): leave
  // each group there once, then join every membership on the new index in
  // its order, the group's first join on a socket again first.
  std::set<std::pair<std::size_t, core::ip_address>> left;
  for (const auto& j : joins_) {
    if (j.request.interface_index != w.old_index) continue;
    if (left.emplace(j.shard, j.request.group).second) {
      (void)core::leave_group(shards_[j.shard].sock, j.request.group, w.old_index);  // may already be gone
    }
  }
  std::size_t joined = 0;
  for (auto& j : joins_) {
    if (j.request.interface_index != w.old_index) continue;
    auto request = j.request;
    request.interface_index = w.index;
    placement p;
    p.socket = j.shard;
    p.new_group = j.new_group;
    if (auto r = join(shards_[j.shard].sock, request, p); !r) return fail(r.error());
    ++joined;
  }
  for (auto& j : joins_) {
    if (j.request.interface_index == w.old_index) j.request.interface_index = w.index;
  }
  return joined;
}

void link_watch::rejoin_and_report(watched& w, const std::string& name, std::uint32_t index,
                                   receive_session& session, const std::string& what, std::string_view where) {
  if (auto r = rejoin(w)) {
    w.pending = false;
    report(name, index, "recreated", fmt::format("{}: {} membership(s) joined again{}", what, *r, where),
           {{"old_index", w.old_index}, {"rejoined", *r}});
    session.interface_replaced(w.old_index, index);
    w.old_index = index;
    // Its checks once it is up (its addresses and routes are made after
    // it): now, should it be running already (an interface of the name
    // there before, trial L1).
    w.recheck = true;
    if (const auto* now = watcher_.state().link_by_index(index); now != nullptr && now->is_up() && now->has_carrier()) {
      w.recheck = false;
      ups_.push_back({name, index, std::chrono::steady_clock::now() + std::chrono::milliseconds(500), {}, true, false});
    }
  } else {
    report(name, index, "recreated",
           fmt::format("{}, joining again{} failed: {} (tried again at its next change)", what, where,
                       r.error().message()),
           {{"old_index", w.old_index}, {"rejoined", 0}});
  }
}

bool link_watch::process(receive_session& session) {
  if (failed_) return false;
  auto events = watcher_.process();
  if (!events) {
    out_.warn("interface events: " + events.error().message() + "; changes are no longer reported");
    failed_ = true;
    // An interface made and deleted from now on goes unseen: the
    // reverse-path bound is not known (drop_counters::link_events_lost).
    session.link_gone(std::string(drop_counters::link_events_lost));
    return false;
  }
  for (const auto& e : *events) {
    using kind = netlink::event::kind;
    // Notifications were lost (ENOBUFS) and the watcher dumped again: a
    // link made and deleted meanwhile is in neither dump, so the
    // reverse-path bound is not known.
    if (e.what == kind::resynced) session.link_gone(std::string(drop_counters::link_events_lost));
    if (auto changed = rp_filter_changed(e, watcher_.state())) {
      session.link_rp_changed(*changed);
      continue;
    }
    if (e.what == kind::link_added || e.what == kind::link_changed || e.what == kind::link_removed) {
      const auto& l = e.link_value;
      if (e.what != kind::link_removed) {
        // A watched index under another name: renamed (`ip link set X name
        // Y`). The memberships stay on the index; the watch follows the new
        // name, so its later events (up) are said, and a new interface of
        // the old name is not taken for a re-creation (trial15i M9).
        const auto renamed = std::ranges::find_if(links_, [&l](const auto& kv) {
          return kv.second.index != 0 && kv.second.index == l.index && kv.first != l.name;
        });
        if (renamed != links_.end()) {
          const auto old_name = renamed->first;
          auto node = links_.extract(renamed);
          node.key() = l.name;
          links_.erase(l.name);  // an entry of the new name (deleted, not back): the renamed link takes its place
          links_.insert(std::move(node));
          // What is still to be said of it (an `up`, an address removed) is
          // said under the name it has now, after this line (trial L2).
          for (auto& u : ups_) {
            if (u.index == l.index) u.name = l.name;
          }
          report(l.name, l.index, "renamed",
                 fmt::format("renamed from {} to {}: the memberships stay on it (index {})", old_name, l.name,
                             l.index),
                 {{"old_name", old_name}});
        }
      }
      // Any interface gone from the namespace, watched or not: its packets
      // are not known to the reverse-path bound (trial t15r3 H3).
      if (e.what == kind::link_removed) session.link_gone(l.name.empty() ? fmt::format("index {}", l.index) : l.name);
      auto it = links_.find(l.name);
      if (it == links_.end()) continue;
      auto& w = it->second;
      if (e.what == kind::link_removed) {
        if (w.index != l.index) continue;  // an older incarnation
        // What waits for its route check on this link went with it: the
        // kernel removes a deleted link's addresses first, and those
        // removals are the deletion's, which the `removed` line says (not
        // "the memberships stay on it", trial15o F4); an `up` is said as
        // it came, without a look at routes that are gone with the link.
        for (auto u = ups_.begin(); u != ups_.end();) {
          if (u->index != l.index) {
            ++u;
            continue;
          }
          if (u->removed.empty()) report(u->name, u->index, "up", "up");
          u = ups_.erase(u);
        }
        const bool was_renamed = w.given != l.name && !links_.contains(w.given);
        // Deleted, or moved to another network namespace: the kernel's
        // RTM_DELLINK of a move names the namespace (IFLA_NEW_NETNSID).
        const auto how = e.moved_to_netns_id
                             ? fmt::format("moved to another network namespace (nsid {}{})", *e.moved_to_netns_id,
                                           e.moved_to_index ? fmt::format(", index {} there", *e.moved_to_index)
                                                            : std::string())
                             : std::string("deleted");
        if (e.moved_to_netns_id) ++w.moves;
        w.moved_to_netns_id = e.moved_to_netns_id;
        report(l.name, l.index, "removed",
               was_renamed ? fmt::format("{}: its memberships here are gone until an interface named {} (the name "
                                         "the run joined on, which it had before a rename) is there",
                                         how, w.given)
                           : fmt::format("{}: its memberships here are gone until an interface of this name is back",
                                         how),
               {{"moved_to_netns_id", e.moved_to_netns_id ? json(*e.moved_to_netns_id) : json(nullptr)}});
        session.interface_deleted(l.index, l.name, e.moved_to_netns_id.has_value());
        w.index = 0;
        w.running = false;
        ++w.deletions;
        w.deleted_since_up = true;
        if (!was_renamed) {
          ++w.unjoined;  // until an interface of that name is back
          continue;
        }
        // Renamed, then deleted (trial L1): the memberships go back to the
        // name the run was given, and an interface of that name, there now
        // (created after the rename) or later, is joined as a re-created
        // one is.
        w.deleted_as = l.name;
        auto node = links_.extract(it);
        node.key() = w.given;
        it = links_.insert(std::move(node)).position;
        const auto* now = watcher_.state().link_by_name(w.given);
        if (now == nullptr) {
          ++w.unjoined;
          continue;
        }
        w.index = now->index;
        w.pending = true;
        rejoin_and_report(w, w.given, now->index, session,
                          fmt::format("{} (index {}), which the join interface {} was renamed to, is deleted; {} is "
                                      "an interface of its own now (index {})",
                                      l.name, l.index, w.given, w.given, now->index),
                          " there");
        if (w.pending) ++w.unjoined;  // joining there failed: joined nowhere until it works
        w.running = now->is_up() && now->has_carrier();
        continue;
      }
      if (w.index == 0 || (e.what == kind::link_added && w.index != l.index)) {
        // Re-created: the same name, a new index.
        w.index = l.index;
        w.pending = true;
      } else if (w.index != l.index) {
        continue;
      }
      if (w.pending) {
        // Moved to another namespace and back (`ip link set X netns NS`,
        // then back): the kernel keeps its index when it is free, so the
        // same index is the same device, not a new one (trial t15z:
        // "re-created (index 2 -> 2)").
        const bool moved_back = w.moved_to_netns_id.has_value() && w.old_index == l.index;
        rejoin_and_report(w, l.name, l.index, session,
                          moved_back ? fmt::format("moved back from another network namespace (nsid {}), index {} as "
                                                   "before",
                                                   *w.moved_to_netns_id, l.index)
                                     : fmt::format("re-created (index {} -> {})", w.old_index, l.index),
                          "");
      }
      const bool running = l.is_up() && l.has_carrier();
      if (running != w.running) {
        w.running = running;
        if (running) {
          session.interface_up(l.index);
          ups_.push_back({l.name, l.index, std::chrono::steady_clock::now() + std::chrono::milliseconds(500), {},
                          w.recheck});
          w.recheck = false;
        } else {
          // An `up` still waiting is said first, in order.
          for (auto u = ups_.begin(); u != ups_.end();) {
            if (u->index != l.index) {
              ++u;
              continue;
            }
            say_due(*u);
            u = ups_.erase(u);
          }
          report(l.name, l.index, "down",
                 !l.is_up() ? std::string("down (administratively)") : std::string("down (no carrier)"));
          session.interface_down(l.index, l.name, !l.is_up());
        }
      }
      continue;
    }
    if (e.what == kind::address_added || e.what == kind::address_removed) {
      const auto& a = e.address_value;
      for (const auto& [name, w] : links_) {
        if (w.index == 0 || w.index != a.index) continue;
        const bool added = e.what == kind::address_added;
        const auto text = fmt::format("{}/{}", a.local.with_scope_id(0).to_string(), unsigned{a.prefix_length});
        if (added) {
          report(name, a.index, "address_added", fmt::format("address {} added", text), {{"address", text}});
        } else {
          // Said once the kernel has deleted the routes that went with it
          // (its notifier runs after the netlink message), as an `up` is.
          ups_.push_back({name, a.index, std::chrono::steady_clock::now() + std::chrono::milliseconds(200), text});
        }
      }
    }
  }
  return true;
}

void link_watch::tick(bool all) {
  const auto now = std::chrono::steady_clock::now();
  for (auto u = ups_.begin(); u != ups_.end();) {
    if (!all && u->due > now) {
      ++u;
      continue;
    }
    say_due(*u);
    u = ups_.erase(u);
  }
}

void link_watch::say_up_now(std::uint32_t index) {
  for (auto u = ups_.begin(); u != ups_.end();) {
    if (u->index != index || !u->removed.empty()) {
      ++u;
      continue;
    }
    // A route a join without -i followed that is missing now may be on its
    // way (a script adds it after the up): that `up` keeps its wait.
    if (nlohmann::ordered_json scratch = nlohmann::ordered_json::object();
        u->say_up && !routes_gone(u->name, u->index, "", false, scratch).empty()) {
      ++u;
      continue;
    }
    say_due(*u);
    u = ups_.erase(u);
  }
}

void link_watch::say_due(const pending_up& u) {
  if (!u.removed.empty()) {
    report_address_removed(u.name, u.index, u.removed);
    return;
  }
  if (u.say_up) report_up(u.name, u.index);
  if (u.recheck) recheck(u.name, u.index);
}

void link_watch::recheck(const std::string& name, std::uint32_t index) const {
  auto ref = core::interface_name::make(name);
  if (!ref) return;
  std::vector<membership> here;
  for (const auto& j : joins_) {
    if (j.request.interface_index != index) continue;
    membership m;
    m.request = j.request;
    m.iface = {index, *ref};
    here.push_back(std::move(m));
  }
  if (!here.empty()) (void)start_warnings(here, out_, false);
}

std::vector<membership> link_watch::current(std::vector<membership> members) const {
  for (auto& m : members) {
    if (m.iface.index == 0) continue;
    for (const auto& [name, w] : links_) {
      if (w.first_index != m.iface.index || w.index == 0 || w.pending || w.index == w.first_index) continue;
      if (auto ref = core::interface_name::make(name)) {
        m.iface = {w.index, *ref};
        if (m.request.interface_index != 0) m.request.interface_index = w.index;
      }
      break;
    }
  }
  return members;
}

void link_watch::finish() {
  tick(true);
  say_deleted();
}

void link_watch::say_deleted() const {
  for (const auto& [name, w] : links_) {
    if (w.deletions == 0) continue;
    const auto times = w.deletions == 1 ? std::string() : fmt::format(" {} times", w.deletions);
    // Deleted, moved to another network namespace, or some of each.
    const auto gone = w.moves == 0 ? std::string("deleted")
                      : w.moves == w.deletions
                          ? fmt::format("moved to another network namespace (nsid {})", w.moved_to_netns_id.value_or(-1))
                          : fmt::format("deleted or moved to another network namespace ({} of {} moves)", w.moves,
                                        w.deletions);
    std::string message;
    if (!w.deleted_as.empty() && w.index != 0 && !w.pending) {
      // A gap only when the deletion left the memberships joined nowhere
      // for a while (trial15n 11): an interface of the name there already
      // was joined as the renamed one went.
      message = fmt::format("interface {} ({}) was renamed to {} and {} during the run{}; {} is another "
                            "interface now (index {}): its memberships were joined again there{}",
                            name, w.first_index, w.deleted_as, gone, times, name, w.index,
                            w.unjoined > 0 ? ", and what was sent while none was joined was not received"
                                           : fmt::format(" as {} went ({} existed already), so they were joined "
                                                         "somewhere all along",
                                                         w.deleted_as, name));
    } else if (w.index == 0) {
      message = fmt::format("interface {} ({}) was {} during the run{} and did not come back: its memberships "
                            "were gone from then on, and nothing sent to them after that was received",
                            name, w.first_index, gone, times);
    } else if (w.pending) {
      message = fmt::format("interface {} ({}) was {} during the run{} and came back as index {}, but joining "
                            "again failed (see its link line): nothing sent to its groups after it went was "
                            "received",
                            name, w.first_index, gone, times, w.index);
    } else {
      message = fmt::format("interface {} ({}) was {} during the run{} and came back as index {}: its "
                            "memberships were joined again, and what was sent while it was gone was not received",
                            name, w.first_index, gone, times, w.index);
    }
    out_.warn_event(message, "link_deleted",
                    {{"interface", interface_json(w.index != 0 ? w.index : w.first_index, name)},
                     {"came_back", w.index != 0 && !w.pending},
                     {"moved_to_netns_id", w.moves == w.deletions && w.moved_to_netns_id
                                               ? json(*w.moved_to_netns_id)
                                               : json(nullptr)}});
  }
}

}  // namespace mcnet::tools
