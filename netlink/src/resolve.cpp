// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <mcnet/netlink/resolve.hpp>

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

#include <mcnet/core/prefix.hpp>

namespace mcnet::netlink {
namespace {

std::string describe(const link& l, const snapshot& s) {
  std::string out = l.name + " (" + std::to_string(l.index) + "):";
  for (const auto& a : s.addresses) {
    if (a.index != l.index) continue;
    out += ' ' + a.local.with_scope_id(0).to_string() + '/' + std::to_string(unsigned{a.prefix_length});
  }
  return out;
}

tl::unexpected<resolve_failure> failure(error e, const snapshot& s, const std::vector<const link*>& among) {
  resolve_failure f{e, {}};
  if (among.empty()) {
    for (const auto& l : s.links) f.candidates.push_back(describe(l, s));
  } else {
    for (const auto* l : among) f.candidates.push_back(describe(*l, s));
  }
  return tl::unexpected<resolve_failure>(std::move(f));
}

resolved finish(const link& l, const snapshot& s, const core::ip_address* wanted) {
  resolved r;
  r.iface = l.ref();
  if (wanted != nullptr) r.addresses.push_back(*wanted);
  for (const auto& a : s.addresses) {
    if (a.index == l.index && (wanted == nullptr || a.local != *wanted)) r.addresses.push_back(a.local);
  }
  if (!l.is_up()) r.warnings.push_back(l.name + " is down (ip link set dev " + l.name + " up)");
  else if (!l.has_carrier()) r.warnings.push_back(l.name + " has no carrier (cable or peer down)");
  if (!l.is_multicast()) r.warnings.push_back(l.name + " lacks the MULTICAST flag (ip link set dev " + l.name + " multicast on)");
  return r;
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::string resolve_failure::message() const {
  std::string out = reason.message();
  if (!candidates.empty()) {
    out += "; interfaces:";
    for (const auto& c : candidates) out += "\n  " + c;
  }
  return out;
}

tl::expected<resolved, resolve_failure> resolve(std::string_view spec) {
  auto s = take_snapshot({.groups = false});
  if (!s) return tl::unexpected<resolve_failure>(resolve_failure{s.error(), {}});
  return resolve(spec, *s);
}

tl::expected<resolved, resolve_failure> resolve(std::string_view spec, const snapshot& s) {
  // One index of the links, so that matching addresses to links stays O(N log N).
  std::map<std::uint32_t, const link*> by_index;
  for (const auto& l : s.links) by_index.emplace(l.index, &l);
  auto link_of = [&](std::uint32_t index) -> const link* {
    auto it = by_index.find(index);
    return it == by_index.end() ? nullptr : it->second;
  };
  const auto bad = [&](errc code, std::string_view hint, const std::vector<const link*>& among = {}) {
    return failure(error(code, "resolve", "interface").with_input(spec).with_hint(hint), s, among);
  };
  if (spec.empty()) return bad(errc::value_out_of_range, "give a name, index, address or prefix, or \"kernel\"");
  if (spec == "kernel") return resolved{core::interface_ref::kernel_choice(), {}, {}};

  if (all_digits(spec)) {
    std::uint32_t index = 0;
    auto [p, ec] = std::from_chars(spec.data(), spec.data() + spec.size(), index);
    if (ec != std::errc() || p != spec.data() + spec.size() || index == 0) {
      return bad(errc::no_such_interface, "no interface has that index");
    }
    if (const auto* l = link_of(index)) return finish(*l, s, nullptr);
    return bad(errc::no_such_interface, "no interface has that index");
  }

  if (spec.find('/') != std::string_view::npos) {
    auto p = core::prefix::parse(spec);
    if (!p) return failure(p.error(), s, {});
    std::vector<const link*> matches;
    std::set<std::uint32_t> matched;
    const core::ip_address* first = nullptr;
    for (const auto& a : s.addresses) {
      if (!p->contains(a.local)) continue;
      const auto* l = link_of(a.index);
      if (l != nullptr && matched.insert(a.index).second) {
        matches.push_back(l);
        if (first == nullptr) first = &a.local;
      }
    }
    if (matches.empty()) return bad(errc::no_such_interface, "no interface has an address in that prefix");
    if (matches.size() > 1) return bad(errc::value_out_of_range, "several interfaces have addresses in that prefix", matches);
    return finish(*matches.front(), s, first);
  }

  if (spec.find(':') != std::string_view::npos || std::count(spec.begin(), spec.end(), '.') == 3) {
    auto a = core::ip_address::parse(spec);
    if (!a) return failure(a.error(), s, {});
    std::vector<const link*> matches;
    for (const auto& addr : s.addresses) {
      if (addr.local.with_scope_id(0) != a->with_scope_id(0)) continue;
      if (a->scope_id() != 0 && addr.index != a->scope_id()) continue;
      if (const auto* l = link_of(addr.index)) matches.push_back(l);
    }
    if (matches.empty()) return bad(errc::no_such_interface, "no interface has that address");
    if (matches.size() > 1) return bad(errc::value_out_of_range, "several interfaces have that address; add %interface", matches);
    return finish(*matches.front(), s, &*a);
  }

  if (const auto* l = s.link_by_name(spec)) return finish(*l, s, nullptr);
  return bad(errc::no_such_interface, "no interface of that name or alternative name");
}

}  // namespace mcnet::netlink
