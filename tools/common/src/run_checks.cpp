// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <mcnet/tools/run_checks.hpp>

#include <algorithm>
#include <set>
#include <utility>

#include <fmt/format.h>

#include <mcnet/core/sysctl.hpp>

namespace mcnet::tools {

using json = nlohmann::ordered_json;

std::string_view start_warning_code(const check_result& c) noexcept { return c.check; }

std::vector<check_result> start_warnings(const std::vector<membership>& members, const reporter& out) {
  std::vector<check_result> said;
  auto snap = netlink::take_snapshot({.groups = false});
  if (!snap) return said;  // the join says what is wrong with the links, if anything
  // Interfaces named by -i or %IFACE: netlink::resolve warned about their state already.
  std::set<std::uint32_t> named;
  for (const auto& m : members) {
    if (m.iface.index != 0) named.insert(m.iface.index);
  }
  const auto plan = plan_joins(members);
  for (auto& c : setup_checks(*snap, plan)) {
    if (c.status != check_status::warn && c.status != check_status::fail) continue;
    if (c.check == "route") continue;
    if (c.check == "interface") {
      const auto* l = snap->link_by_name(c.subject);
      if (l != nullptr && named.contains(l->index)) continue;
    }
    out.warn_event(fmt::format("{} {}: {}{}{}", c.check, c.subject, c.message,
                               c.fix.empty() ? "" : " (fix: " + c.fix + ")",
                               c.note.empty() ? "" : " (note: " + c.note + ")"),
                   start_warning_code(c),
                   {{"subject", c.subject}, {"fix", c.fix.empty() ? json(nullptr) : json(c.fix)},
                    {"note", c.note.empty() ? json(nullptr) : json(c.note)}});
    said.push_back(std::move(c));
  }
  return said;
}

std::string port_taken_message(std::uint16_t port, std::string_view reason) {
  const auto others = sockets_on_port(port);
  std::string list;
  for (const auto& o : others) list += (list.empty() ? "" : "; ") + o;
  // mcast-recv sets SO_REUSEADDR alone (not SO_REUSEPORT: see
  // open_receive_socket): the kernel refuses it a port held by a socket
  // without SO_REUSEADDR, SO_REUSEPORT-only ones included.
  return fmt::format("port {} is taken ({}): {} bound it without SO_REUSEADDR (SO_REUSEPORT alone shares only with "
                     "other SO_REUSEPORT sockets, among which Linux hands a group's datagrams to one socket by hash, "
                     "whatever it joined, so mcast-recv does not join them). Stop it, or have it set SO_REUSEADDR "
                     "before bind; mcast-recv shares the port with any receiver that does (ss -ulpn 'sport = :{}')",
                     port, reason, others.empty() ? std::string("a socket") : list, port);
}

std::pair<std::string, std::string> larger_buffer_fix(std::int64_t rcvbuf) {
  const auto rmem_max = core::read_sysctl("net.core.rmem_max");
  // Without --rcvbuf mcast-recv asks for the most rmem_max allows up to
  // auto_rcvbuf_cap: raising rmem_max to the cap is all it takes; past the
  // cap (or with --rcvbuf) a larger --rcvbuf needs a larger rmem_max.
  const bool automatic = rcvbuf <= 0;
  const std::int64_t target =
      automatic ? (rmem_max && *rmem_max >= auto_rcvbuf_cap ? 4 * auto_rcvbuf_cap : auto_rcvbuf_cap)
                : std::max<std::int64_t>(2 * rcvbuf, auto_rcvbuf_cap);
  const bool raise = !rmem_max || *rmem_max < target;
  const std::string then = automatic && target == auto_rcvbuf_cap
                               ? "mcast-recv without --rcvbuf then asks for it by itself (the most net.core.rmem_max "
                                 "allows, at most 8 MiB)"
                               : fmt::format("then mcast-recv --rcvbuf {}{}", target,
                                             automatic ? " (past the automatic 8 MiB)" : "");
  if (!raise) return {"", then + "; net.core.rmem_max " + std::to_string(*rmem_max) + " allows it already"};
  return {rmem_max_fix(target), fmt::format("{}; {}", rmem_max_note(), then)};
}

std::optional<check_result> checksum_drop_check(const drop_counters& over, std::string_view during,
                                               check_status status) {
  const auto csum = over.udp_csum.value_or(0) + over.udp6_csum.value_or(0);
  if (csum == 0) return std::nullopt;
  return check_result{
      "drops", std::string(during), status,
      fmt::format("the kernel dropped {} datagram(s) with a bad UDP checksum during {} (Udp InCsumErrors {}, "
                  "Udp6InCsumErrors {}; namespace-wide): the datagrams were wrong when they arrived (a sender whose "
                  "checksum offload was not done: a veth or tap without it, a raw socket; a replayed capture whose "
                  "payload or length was changed; or a path that corrupts them); no receive buffer or sysctl here "
                  "fixes that",
                  csum, during, over.udp_csum.value_or(0), over.udp6_csum.value_or(0)),
      "",
      {{"checksum_v4", over.udp_csum ? json(*over.udp_csum) : json(nullptr)},
       {"checksum_v6", over.udp6_csum ? json(*over.udp6_csum) : json(nullptr)}},
      "the sender's side or the path: capture on the receiving link and check them (tshark -o "
      "udp.check_checksum:TRUE -i IFACE); a replayed capture needs its checksums fixed (tcprewrite --fixcsum), a "
      "sender behind a veth or tap without offload its checksums computed (ethtool -K IFACE tx on); a path that "
      "corrupts them (a NIC, a cable, a switch) shows in its error counters"};
}

std::optional<check_result> interface_down_cause(const core::ip_address& group) {
  auto snap = netlink::take_snapshot({.groups = false});
  if (!snap) return std::nullopt;
  membership m;
  m.request.group = group;
  const std::vector<membership> one{m};
  for (auto& c : setup_checks(*snap, plan_joins(one))) {
    if (c.check == "interface" && c.status == check_status::fail) return std::move(c);
  }
  return std::nullopt;
}

run_verdict nothing_arrived_verdict(const std::vector<membership>& members, const drop_counters& over_run,
                                    std::int64_t rcvbuf) {
  std::vector<check_result> checks;
  const auto plan = plan_joins(members);
  if (auto snap = netlink::take_snapshot({.groups = false})) checks = setup_checks(*snap, plan);
  if (over_run.reverse_path && *over_run.reverse_path > 0) {
    checks.push_back(reverse_path_check(*over_run.reverse_path, "the run", plan));
  }
  // Datagrams the kernel dropped after the IP layer let them through: a bad
  // UDP checksum (dropped on arrival up to CHECKSUM_BREAK, else when read)
  // or a full receive queue. Either can be why nothing was read, and the
  // run has the figures: the verdict names them rather than saying OK.
  if (auto csum = checksum_drop_check(over_run, "the run", check_status::fail)) checks.push_back(std::move(*csum));
  if (const auto full = over_run.udp_rcvbuf.value_or(0) + over_run.udp6_rcvbuf.value_or(0); full > 0) {
    auto [fix, note] = larger_buffer_fix(rcvbuf);
    checks.push_back({"drops", "the run", check_status::fail,
                      fmt::format("the kernel dropped {} datagram(s) for a full receive queue during the run (Udp "
                                  "RcvbufErrors {}, Udp6RcvbufErrors {}; namespace-wide): a receive buffer too small "
                                  "for the datagrams, or a receiver that does not read",
                                  full, over_run.udp_rcvbuf.value_or(0), over_run.udp6_rcvbuf.value_or(0)),
                      std::move(fix),
                      {{"rcvbuf_v4", over_run.udp_rcvbuf ? json(*over_run.udp_rcvbuf) : json(nullptr)},
                       {"rcvbuf_v6", over_run.udp6_rcvbuf ? json(*over_run.udp6_rcvbuf) : json(nullptr)}},
                      std::move(note)});
  }
  const auto* cause = most_likely_cause(checks);
  const std::string none =
      "nothing arrived and no local check found a cause: the sender, its TTL, a router or a firewall on the way are "
      "the suspects (mcast-recv doctor --listen SEC checks more)";
  run_verdict v;
  v.event = {{"status", cause ? std::string(status_word(cause->status)) : std::string("OK")},
             {"check", cause ? json(cause->check) : json(nullptr)},
             {"subject", cause ? json(cause->subject) : json(nullptr)},
             {"message", cause ? cause->message : none},
             {"fix", cause && !cause->fix.empty() ? json(cause->fix) : json(nullptr)},
             {"note", cause && !cause->note.empty() ? json(cause->note) : json(nullptr)}};
  v.text = verdict_lines(cause, none);
  return v;
}

}  // namespace mcnet::tools
