// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <mcnet/tools/group_spec.hpp>

#include <algorithm>
#include <charconv>
#include <map>
#include <optional>
#include <string>
#include <tuple>

namespace mcnet::tools {
namespace {

constexpr std::string_view what = "group spec";

tl::unexpected<error> bad(std::error_code code, std::string_view spec, std::string_view hint) {
  return fail(error(code, "parse", what).with_input(spec).with_hint(hint));
}
tl::unexpected<error> bad(errc code, std::string_view spec, std::string_view hint) {
  return bad(mcnet::make_error_code(code), spec, hint);
}
// Text that is not in the spec's syntax (EINVAL), as against a number out of its range.
tl::unexpected<error> malformed(std::string_view spec, std::string_view hint) {
  return bad(std::make_error_code(std::errc::invalid_argument), spec, hint);
}

// Why `a` can never be the address a multicast datagram comes from (trial
// h16x L6: loopback sources were joined silently, 0.0.0.1 and 240.0.0.1
// only warned about by the route check), or nothing. Static text (a hint).
constexpr std::string_view loopback_v4 =
    "the source is a loopback address (127.0.0.0/8), which never leaves its host: never a multicast sender's address";
constexpr std::string_view loopback_v6 =
    "the source is the loopback address (::1), which never leaves its host: never a multicast sender's address";

std::optional<std::string_view> never_a_sender(const core::ip_address& a) {
  if (a.is_unspecified()) return "the source is the unspecified address, never a sender's address";
  if (a.is_multicast()) return "the source is a multicast address, never a sender's address";
  if (a.is_v4()) {
    const auto first = a.bytes()[0];
    if (a.is_broadcast()) return "the source is the broadcast address, never a sender's address";
    if (first == 0) return "the source is in 0.0.0.0/8, \"this network\" (RFC 1122), never a sender's address";
    if (first == 127) return loopback_v4;
    if (first >= 240) {
      return "the source is in 240.0.0.0/4, reserved (class E, RFC 1112), never a sender's address";
    }
  }
  if (a.is_v6() && a.is_loopback()) return loopback_v6;
  return std::nullopt;
}

// ::/96, the deprecated IPv4-compatible IPv6 addresses (RFC 4291 2.5.5.1),
// :: and ::1 among them (never_a_sender names those).
bool v4_compatible(const core::ip_address& a) {
  if (!a.is_v6()) return false;
  const auto b = a.bytes();
  return std::all_of(b.begin(), b.begin() + 12, [](std::uint8_t x) { return x == 0; });
}

bool digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Position of `c` outside brackets, searching from the end when `last`.
std::size_t find_outside(std::string_view s, char c, bool last) {
  int depth = 0;
  std::size_t found = std::string_view::npos;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '[') ++depth;
    else if (s[i] == ']') --depth;
    else if (s[i] == c && depth == 0) {
      found = i;
      if (!last) return i;
    }
  }
  return found;
}

// Brackets hold an IPv6 address (RFC 3986's IP-literal), as core::endpoint::parse has it.
bool bracketed_v4(std::string_view inside) { return inside.find(':') == std::string_view::npos; }

// A '%' where none belongs: in a source, or a second one after the group.
// The text before it tells the family: a zone is IPv6's, inside a group's
// brackets; an IPv4 group has one %IFACE at the end, and a name has no '%'.
tl::unexpected<error> stray_percent(std::string_view spec, std::string_view before, bool source) {
  const bool v6 = std::count(before.begin(), before.end(), ':') > 1;
  if (source) {
    return bad(errc::invalid_address, spec,
               v6 ? "a source takes no zone: the group's zone, %IFACE or -i gives the interface"
                  : "a source takes no %IFACE: one %IFACE after the group gives the interface (10.77.0.1,232.1.1.1%eth1)");
  }
  if (v6 && !before.starts_with('[')) {
    return bad(errc::invalid_address, spec, "a zone belongs inside the group's brackets: [ff02::1%eth1]:5000");
  }
  return bad(errc::invalid_address, spec,
             v6 ? "only one %IFACE, after the group and port ([ff3e::1]:5000%eth1): an interface name has no '%'"
                : "only one %IFACE, after the group and port (239.1.1.1:5000%eth1): an interface name has no '%'");
}

result<core::ip_address> address_part(std::string_view part, std::string_view spec, std::string_view role) {
  if (part.size() >= 2 && part.front() == '[' && part.back() == ']') {
    part = part.substr(1, part.size() - 2);
    if (!part.empty() && bracketed_v4(part)) {
      return bad(errc::invalid_address, spec, "brackets are for IPv6 addresses only: 10.77.0.1,239.1.1.1:5000");
    }
  }
  if (part.empty()) return bad(errc::invalid_address, spec, role == "source" ? "empty source" : "empty group");
  if (const auto pct = part.find('%'); pct != std::string_view::npos) {
    return stray_percent(spec, part.substr(0, pct), role == "source");
  }
  // Not an address: an error of the group spec, not of "IP address"
  // (trial t16s 7: a spec of one byte 0xff read "parse IP address").
  auto a = core::ip_address::parse(part);
  if (!a) {
    return bad(a.error().code, spec,
               // The examples said as examples, after the spec (trial t16x L3:
               // they read as if they were the part not an IP address).
               role == "source" ? "the source is not an IP address (a good spec, for example: 10.77.0.1,232.1.1.1:5000)"
                                : "the group is not an IP address (good specs, for example: 239.1.1.1:5000 or "
                                  "[ff3e::1]:5000)");
  }
  return *a;
}

}  // namespace

result<group_spec> parse_group_spec(std::string_view text, spec_user user, std::string_view default_interface) {
  group_spec s;
  s.text = std::string(text);
  std::string_view rest = text;
  if (rest.empty()) return bad(errc::invalid_address, text, "empty spec");
  // @FILE is expanded among the command line's specs only: a line of a file,
  // a --line or a --line-b value that starts with '@' is not read as a file.
  if (rest.front() == '@') {
    return malformed(text, "@FILE is read only as a spec argument of the command line (no nesting, not in --line or "
                           "--line-b): give the group spec itself");
  }

  if (rest.front() == '!') {
    if (user == spec_user::sender) return malformed(text, "mcast-send takes no exclude ('!') specs: an exclude filter is for receivers");
    s.mode = filter::exclude;
    rest.remove_prefix(1);
  }
  // "+N" is always last.
  if (auto plus = find_outside(rest, '+', true); plus != std::string_view::npos) {
    const auto n = rest.substr(plus + 1);
    std::uint32_t count = 0;
    auto [p, ec] = std::from_chars(n.data(), n.data() + n.size(), count);
    if (!digits(n)) return malformed(text, "'+' is followed by a count of groups, a decimal number 1 to 65536");
    if (ec != std::errc() || p != n.data() + n.size() || count < 1 || count > 65536) {
      return bad(errc::value_out_of_range, text, "the count after '+' is 1 to 65536");
    }
    s.count = count;
    rest = rest.substr(0, plus);
  }
  // "S," before the group.
  if (auto comma = find_outside(rest, ',', false); comma != std::string_view::npos) {
    auto src = address_part(rest.substr(0, comma), text, "source");
    if (!src) return fail(src.error());
    s.source = *src;
    rest = rest.substr(comma + 1);
    // "S1,S2,G:PORT" (trial t15z L3: "the group is not an IP address").
    if (find_outside(rest, ',', false) != std::string_view::npos) {
      return malformed(text,
                 "one source per spec: give each source its own spec, S1,G:PORT S2,G:PORT (for example "
                 "10.77.0.1,232.1.1.1:5000 10.77.0.2,232.1.1.1:5000)");
    }
    if (s.mode == filter::any) s.mode = filter::include;
  } else if (s.mode == filter::exclude) {
    return bad(errc::source_not_unicast, text, "'!' needs a source to exclude: !S,G");
  }
  // "%IFACE" after the group (a zone inside brackets is not it).
  if (auto pct = find_outside(rest, '%', true); pct != std::string_view::npos) {
    s.iface = std::string(rest.substr(pct + 1));
    rest = rest.substr(0, pct);
    if (s.iface.empty()) {
      // "239.1.1.1%%": the '%' before is a second one, not an empty name.
      if (const auto more = find_outside(rest, '%', false); more != std::string_view::npos) {
        return stray_percent(text, rest.substr(0, more), false);
      }
      return bad(errc::no_such_interface, text, "empty interface after '%'");
    }
    if (const auto more = find_outside(rest, '%', false); more != std::string_view::npos) {
      return stray_percent(text, rest.substr(0, more), false);
    }
  }

  std::string_view group_text;
  std::string_view port_text;
  bool has_port = false;
  if (!rest.empty() && rest.front() == '[') {
    const auto close = rest.find(']');
    if (close == std::string_view::npos) return bad(errc::invalid_address, text, "missing ']'");
    group_text = rest.substr(1, close - 1);
    if (!group_text.empty() && bracketed_v4(group_text.substr(0, group_text.find('%')))) {
      return bad(errc::invalid_address, text, "brackets are for IPv6 addresses only: 239.1.1.1:5000");
    }
    const auto after = rest.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return bad(errc::invalid_port, text, "after ']' comes ':PORT'");
      port_text = after.substr(1);
      has_port = true;
    }
    if (auto zone = group_text.find('%'); zone != std::string_view::npos) {
      s.zone = std::string(group_text.substr(zone + 1));
      if (s.zone.empty()) return bad(errc::no_such_interface, text, "empty zone after '%'");
      group_text = group_text.substr(0, zone);
    }
  } else if (std::count(rest.begin(), rest.end(), ':') > 1) {
    group_text = rest;  // IPv6 without brackets takes no port
  } else if (auto colon = rest.find(':'); colon != std::string_view::npos) {
    group_text = rest.substr(0, colon);
    port_text = rest.substr(colon + 1);
    has_port = true;
  } else {
    group_text = rest;
  }
  auto g = address_part(group_text, text, "group");
  if (!g) return fail(g.error());
  s.group = *g;
  if (has_port) {
    std::uint32_t port = 0;
    auto [p, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    // Digits are a port number in the right form: outside 1 to 65535 (port 0,
    // the kernel's "any", is not one to send to or join) it is out of range,
    // said in one sentence; anything else is not a port number at all.
    if (!digits(port_text)) return bad(errc::invalid_port, text, "the port is a decimal number, 1 to 65535");
    if (ec != std::errc() || p != port_text.data() + port_text.size() || port == 0 || port > 65535) {
      return bad(errc::value_out_of_range, text, port == 0 && ec == std::errc() ? "port 0: the port is 1 to 65535"
                                                                                : "the port is 1 to 65535");
    }
    // As core::endpoint::parse: "05000" is not read as decimal by every tool.
    if (port_text.front() == '0') return bad(errc::invalid_port, text, "the port has no leading zero");
    s.port = static_cast<std::uint16_t>(port);
  }

  if (!s.group.is_multicast()) return bad(errc::not_multicast, text, "the group is not a multicast address");
  if (s.source) {
    if (s.source->family() != s.group.family()) {
      return bad(errc::family_mismatch, text, "source and group families differ");
    }
    if (const auto why = never_a_sender(*s.source)) {
      // A loopback source is unicast: what is wrong is that it never sends
      // on a link (issue #16: it read "source is not a unicast address").
      if (*why == loopback_v4 || *why == loopback_v6) {
        return bad(errc::source_loopback, text, *why);
      }
      return bad(errc::source_not_unicast, text, *why);
    }
    // A v4-mapped source (::ffff:10.77.0.1) is an IPv4 host: an IPv6 group
    // never has it as a source, and the kernel refuses the join (or bind).
    if (s.source->is_v4_mapped()) {
      return bad(errc::family_mismatch, text, "a v4-mapped source (::ffff:a.b.c.d) is an IPv4 address: an IPv6 group "
                                              "takes an IPv6 source, an IPv4 group its plain IPv4 address");
    }
    // An IPv4-compatible source (::/96 but :: and ::1, refused above:
    // ::10.77.0.1, ::127.0.0.1) is deprecated (RFC 4291 2.5.5.1): no host
    // has one to send from, so a join of it waits for nothing (trial t16z:
    // they were joined).
    if (v4_compatible(*s.source)) {
      return bad(errc::source_v4_compatible, text,
                 "RFC 4291 2.5.5.1 deprecates the ::/96 sources and no host sends from one: an IPv6 group takes "
                 "the sender's IPv6 address, an IPv4 group its plain IPv4 address");
    }
  }
  // Two names that differ are two interfaces; a name and an index or an
  // address (eth0 and 2, eth0 and 10.77.61.1) may be one: compared once
  // resolved (resolve_spec_interface(); trial t16x M7).
  const auto plain_name = [](const std::string& n) {
    return n.find_first_not_of("0123456789") != std::string::npos && !core::ip_address::parse(n);
  };
  if (!s.zone.empty() && !s.iface.empty() && s.zone != s.iface && plain_name(s.zone) && plain_name(s.iface)) {
    return malformed(text, "the zone and %interface name different interfaces");
  }
  const bool no_interface = s.zone.empty() && s.iface.empty() && default_interface.empty();
  if ((s.group.is_link_local_multicast() && s.group.is_v6()) || s.group.is_interface_local_multicast()) {
    if (no_interface) {
      return bad(errc::interface_required, text, "a link-local group needs an interface: -i, a zone, or %IFACE");
    }
  }
  // mcast-send binds to S: a link-local S (fe80::/10) is an address of one
  // interface, which bind(2) needs as its scope (ipv6(7)).
  if (user == spec_user::sender && s.source && s.source->needs_interface() && no_interface) {
    return bad(errc::interface_required, text, "a link-local source needs an interface: -i, a zone, or %IFACE");
  }
  return s;
}

result<void> plan_groups(const group_spec& spec, std::size_t& planned) {
  if (spec.count > max_planned_groups - std::min(planned, max_planned_groups)) {
    return fail(error(errc::value_out_of_range, "plan", what)
                    .with_input(spec.text)
                    .with_number(static_cast<std::int64_t>(max_planned_groups))
                    .with_hint("with this spec's groups the specs name more than {number} groups (each +N counted N "
                               "times, a source-specific channel as a group, repeats included): at most {number} in "
                               "one run"));
  }
  planned += spec.count;
  return {};
}

result<std::vector<core::ip_address>> expand(const group_spec& spec) {
  std::vector<core::ip_address> out;
  out.reserve(spec.count);
  const auto base = spec.group;
  for (std::uint32_t i = 0; i < spec.count; ++i) {
    core::ip_address a;
    bool wrapped = false;
    if (base.is_v4()) {
      a = core::ip_address::v4_uint(base.v4_uint() + i);
      wrapped = base.v4_uint() + i < base.v4_uint();
    } else {
      auto b = base.bytes();
      std::array<std::uint8_t, 16> v{};
      std::copy(b.begin(), b.end(), v.begin());
      std::uint32_t carry = i;
      for (int k = 15; k >= 0 && carry != 0; --k) {
        const std::uint32_t sum = v[static_cast<std::size_t>(k)] + (carry & 0xff);
        v[static_cast<std::size_t>(k)] = static_cast<std::uint8_t>(sum);
        carry = (carry >> 8) + (sum >> 8);
      }
      a = core::ip_address::v6_bytes(v);
      // The first 16 bits are ff, the flags and the scope (RFC 4291 2.7): a
      // range carried into them would reach groups of another scope
      // (ff1e::ffff..+2 is ff1f::), which is no longer the range asked for.
      wrapped = v[0] != b[0] || v[1] != b[1];
    }
    if (!a.is_multicast() || wrapped) {
      // The last group inside the range and how far +N may go from the spec's group.
      const auto last = out.empty() ? base : out.back();
      auto e = error(base.is_v4() ? errc::not_multicast : errc::value_out_of_range, "expand", what)
                   .with_input(spec.text)
                   .with_address(a)
                   .with_source(last)
                   .with_number(static_cast<std::int64_t>(out.size()));
      e.with_hint(base.is_v4() ? "the +count runs past the multicast range, which ends at {source}: "
                                 "+{number} at most from this group"
                               : "the +count runs past the groups of this flags and scope (the first 16 bits), "
                                 "which end at {source}: +{number} at most from this group");
      return fail(e);
    }
    // Boundaries inside the range that change what its groups mean (trial
    // t16u M5): IPv4's SSM range 232/8 (an SSM join out of it, an ASM join
    // into it) and local network control block 224.0.0.0/24 (never
    // forwarded); IPv6's groups with the P flag (ff3x, ff7x): the first 96
    // bits are ff3x::/96 (SSM), the network prefix of a unicast-prefix-based
    // group (RFC 3306) or the RP of an embedded-RP one (RFC 3956), and only
    // the last 32 (the group ID) may change.
    const char* boundary = nullptr;
    if (base.is_v4()) {
      const auto b = base.v4_uint();
      const auto x = a.v4_uint();
      if ((b >> 24 == 232) != (x >> 24 == 232)) {
        boundary = "the +count crosses the boundary of 232.0.0.0/8, the source-specific (SSM) range, after "
                   "{source}: a range is all in it or all out of it, +{number} at most from this group";
      } else if ((b >> 8 == 0xe00000) != (x >> 8 == 0xe00000)) {
        boundary = "the +count crosses the boundary of 224.0.0.0/24, the local network control block (never "
                   "forwarded), after {source}: +{number} at most from this group";
      }
    } else if ((base.bytes()[1] & 0x20) != 0) {
      const auto b = base.bytes();
      const auto x = a.bytes();
      if (!std::equal(b.begin(), b.begin() + 12, x.begin())) {
        boundary = (b[1] & 0x40) != 0
                       ? "the +count changes the first 96 bits, which name the rendezvous point of this "
                         "embedded-RP group (RFC 3956), after {source}: only the last 32 bits (the group ID) "
                         "may, +{number} at most from this group"
                   : std::all_of(b.begin() + 2, b.begin() + 12, [](std::uint8_t v) { return v == 0; })
                       ? "the +count leaves ff3x::/96, the source-specific (SSM) range (the first 96 bits), "
                         "after {source}: +{number} at most from this group"
                       : "the +count changes the first 96 bits, which hold the network prefix of this "
                         "unicast-prefix-based group (RFC 3306), after {source}: only the last 32 bits (the "
                         "group ID) may, +{number} at most from this group";
      }
    }
    if (boundary != nullptr) {
      const auto last = out.empty() ? base : out.back();
      return fail(error(errc::value_out_of_range, "expand", what)
                      .with_input(spec.text)
                      .with_address(a)
                      .with_source(last)
                      .with_number(static_cast<std::int64_t>(out.size()))
                      .with_hint(boundary));
    }
    out.push_back(a);
  }
  return out;
}

result<std::vector<std::string>> check_spec_set(const std::vector<group_spec>& specs) {
  std::vector<std::string> warnings;
  std::map<std::tuple<core::ip_address, std::uint16_t, std::string>, filter> modes;
  for (const auto& s : specs) {
    auto groups = expand(s);
    if (!groups) return fail(groups.error());
    for (const auto& g : *groups) {
      if (s.mode == filter::any) continue;
      auto [it, fresh] = modes.emplace(std::tuple{g, s.port, s.interface_text()}, s.mode);
      if (!fresh && it->second != s.mode) {
        // A conflict of specs, each valid alone: an invalid argument, no number out of range.
        return fail(error(std::make_error_code(std::errc::invalid_argument), "check", what)
                        .with_input(s.text)
                        .with_address(g)
                        .with_hint("include and exclude for the same group and interface in one run"));
      }
    }
    if (s.mode == filter::exclude && s.group.is_ssm()) {
      warnings.push_back("exclude mode in the SSM range (" + s.text + "): Linux allows it, routers may ignore it");
    }
  }
  return warnings;
}

}  // namespace mcnet::tools
