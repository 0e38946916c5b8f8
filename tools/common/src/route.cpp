// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <mcnet/tools/route.hpp>
#include <mcnet/tools/output.hpp>

#include <map>
#include <string>

#include <fmt/format.h>

#include <mcnet/core/prefix.hpp>
#include <mcnet/netlink/query.hpp>
#include <mcnet/netlink/route.hpp>
#include <mcnet/tools/cli.hpp>
#include <mcnet/tools/doctor.hpp>
#include <mcnet/tools/report.hpp>

namespace mcnet::tools {

core::interface_ref route_interface(const core::ip_address& group, const std::optional<core::ip_address>& source) {
  auto r = netlink::route_to(group, source);
  return r ? r->iface : core::interface_ref{};
}

std::optional<std::string> host_broadcast(const core::ip_address& a, const netlink::snapshot& snap) {
  if (!a.is_v4()) return std::nullopt;
  for (const auto& x : snap.addresses) {
    if (!x.local.is_v4()) continue;
    const auto* l = snap.link_by_index(x.index);
    const std::string dev = l != nullptr ? text_name(l->name) : std::to_string(x.index);
    const auto net = core::prefix::make(x.local, x.prefix_length);
    const auto subnet = net ? net->masked().to_string() : std::string();
    if (x.broadcast.is_valid() && x.broadcast.unmap() == a) {
      return fmt::format("the broadcast address of {}'s subnet {}", dev, subnet);
    }
    // Without brd: all host bits set, for a prefix of up to 30 bits (a /31
    // and a /32 have no broadcast address).
    if (!net || x.prefix_length >= 31) continue;
    const std::uint32_t host_bits = 0xFFFFFFFFU >> x.prefix_length;
    if ((x.local.v4_uint() | host_bits) == a.v4_uint()) {
      return fmt::format("the broadcast address of {}'s subnet {} (all host bits set)", dev, subnet);
    }
  }
  return std::nullopt;
}

std::optional<std::string> broadcast_source_refusal(std::string_view spec_text, const core::ip_address& source,
                                                    const netlink::snapshot& snap) {
  const auto which = host_broadcast(source, snap);
  if (!which) return std::nullopt;
  // The parser's form: "parse group spec \"S,G\": source is not a unicast
  // address: the source is ..., never a sender's address".
  auto message = error_text(error(errc::source_not_unicast, "parse", "group spec").with_input(spec_text));
  message += fmt::format(": the source {} is {}, never a sender's address (a socket bound to it sends from the "
                         "interface's own address, and no datagram comes from it)",
                         source.to_string(), *which);
  return message;
}

std::optional<std::string> broadcast_source_check::operator()(std::string_view spec_text,
                                                              const std::optional<core::ip_address>& source) {
  if (!source || !source->is_v4()) return std::nullopt;
  if (!snap_) snap_ = netlink::take_snapshot({.groups = false});
  if (!*snap_) return std::nullopt;
  return broadcast_source_refusal(spec_text, *source, **snap_);
}

interface_resolver netlink_resolver() {
  return [](std::string_view spec) { return netlink::resolve(spec); };
}

tl::expected<core::interface_ref, int> resolve_spec_interface(const interface_resolver& resolve, const group_spec& spec,
                                                              std::string_view context, const reporter& out,
                                                              multicast_flag_warning flag) {
  auto r = resolve_interface(resolve, spec.interface_text(), context, out, flag);
  if (!r || spec.zone.empty() || spec.iface.empty() || spec.zone == spec.iface) return r;
  const auto other = resolve(spec.iface);
  if (!other) return resolve_interface(resolve, spec.iface, context, out, flag);  // its error, said as -i's is
  if (other->iface.index == r->index) return r;
  return tl::unexpected(out.fail(exit_usage,
                                 fmt::format("{}: the zone and %interface name different interfaces ({} is {} ({}), "
                                             "%{} is {} ({}))",
                                             context, text_name(spec.zone), text_name(r->name.view()), r->index,
                                             text_name(spec.iface), text_name(other->iface.name.view()),
                                             other->iface.index),
                                 "EINVAL"));
}

tl::expected<core::interface_ref, int> resolve_interface(const interface_resolver& resolve, std::string_view text,
                                                         std::string_view context, const reporter& out,
                                                         multicast_flag_warning flag) {
  auto r = resolve(text);
  if (!r) {
    // No interface of that name is a usage error; a lookup that could not
    // run (a netlink socket refused: no descriptor left) is a set-up
    // failure (trial t16s 2).
    const int exit = r.error().reason.op == "resolve" ? exit_usage : exit_setup;
    // Each candidate is "NAME (INDEX): ADDRESSES": only its name holds a
    // backslash, which text_name() doubles (trial t16u M3).
    std::string message = std::string(context) + ": " + error_text(r.error().reason);
    if (!r.error().candidates.empty()) {
      message += "; interfaces:";
      for (const auto& c : r.error().candidates) message += "\n  " + text_name(c);
    }
    return tl::unexpected(out.fail(exit, message, code_name(r.error().reason)));
  }
  // Each also a JSON `warning` event (code "interface"): its command, in
  // the message's parentheses, is its fix.
  // The loopback's missing MULTICAST flag changes nothing (measured: an
  // IPv4 sender on lo reaches a receiver on lo without it; trial15i L3):
  // no warning with a fix that fixes nothing.
  const auto link = netlink::link_by_index(r->iface.index);
  const bool loopback = link && link->is_loopback();
  for (const auto& w : r->warnings) {
    // Said once, with the groups that go out of it, by the caller (an
    // interface named by -i and by a spec was warned about twice).
    const bool flag_warning = w.find(" lacks the MULTICAST flag") != std::string::npos;
    if (flag_warning && (loopback || flag == multicast_flag_warning::by_caller)) continue;
    nlohmann::ordered_json fix = nullptr;
    std::string message = w;
    const std::string subject(r->iface.name.view());
    if (const auto at = w.rfind(" (ip "); at != std::string::npos && w.ends_with(")")) {
      // "ip link set dev NAME ...": the name as one shell word, so that the
      // command pasted acts on this interface (trial t16u M3: q\xff).
      std::string command = w.substr(at + 2, w.size() - at - 3);
      const std::string dev = "ip link set dev " + subject + " ";
      if (command.starts_with(dev)) {
        command = "ip link set dev " + shell_quoted(subject) + " " + command.substr(dev.size());
      }
      fix = command;
      message = w.substr(0, at);
    }
    // The name the message starts with, as text lines show names.
    if (message.starts_with(subject + " ")) message = text_name(subject) + message.substr(subject.size());
    // The form of every check's warning (docs/tools.md): CHECK SUBJECT:
    // MESSAGE (fix: COMMAND), as the start warnings of the same finding
    // (trial15u F7).
    out.warn_event(fmt::format("interface {}: {}{}", text_name(subject), message,
                               fix.is_null() ? std::string() : " (fix: " + fix.get<std::string>() + ")"),
                   "interface", {{"subject", subject}, {"fix", fix}, {"note", nullptr}});
  }
  return r->iface;
}

std::vector<flag_warning> multicast_flag_warnings(const std::vector<core::interface_ref>& used) {
  std::map<std::uint32_t, std::size_t> groups;  // interface index: groups sent on it
  for (const auto& i : used) {
    if (i.index != 0) ++groups[i.index];
  }
  std::vector<flag_warning> out;
  if (groups.empty()) return out;
  auto s = netlink::take_snapshot({.groups = false});
  if (!s) return out;
  for (const auto& l : s->links) {
    const auto it = groups.find(l.index);
    if (it == groups.end() || l.is_multicast()) continue;
    const auto n = it->second;
    const auto going = fmt::format("{} lacks the MULTICAST flag and {} {} out of it", text_name(l.name),
                                   count_text(n, "group", "groups"), n == 1 ? "goes" : "go");
    if (l.is_loopback()) {
      // Measured: an IPv4 sender on lo reaches a receiver on lo without the
      // flag (resolve_interface's note above; trial15i L3): no fix to give,
      // but what the run reaches is said (trial h16r 5).
      out.push_back({fmt::format("{}: the loopback delivers {} to this host's receivers all the same, and to no "
                                 "other host",
                                 going, n == 1 ? "it" : "them"),
                     l.name, std::nullopt,
                     "nothing to fix on the loopback; to reach other hosts, send on the interface of their link "
                     "(-i IFACE)"});
      continue;
    }
    const auto fix = fmt::format("ip link set dev {} multicast on", shell_quoted(l.name));
    out.push_back({fmt::format("{}: hosts behind it may not take multicast ({})", going, fix), l.name, fix,
                   std::nullopt});
  }
  return out;
}

void warn_multicast_flags(const std::vector<core::interface_ref>& used, const reporter& out) {
  for (const auto& w : multicast_flag_warnings(used)) {
    out.warn_event(w.message, "no_multicast_flag",
                   {{"subject", w.subject},
                    {"fix", w.fix ? nlohmann::ordered_json(*w.fix) : nlohmann::ordered_json(nullptr)},
                    {"note", w.note ? nlohmann::ordered_json(*w.note) : nlohmann::ordered_json(nullptr)}});
  }
}

}  // namespace mcnet::tools
