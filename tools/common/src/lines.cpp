// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <mcnet/tools/lines.hpp>

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include <mcnet/tools/group_spec.hpp>

namespace mcnet::tools {

using json = nlohmann::ordered_json;

namespace {

bool valid_name(std::string_view name) {
  if (name.empty() || name.size() > 32) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

// RTP numbers start this far up, so that a copy older than the first one
// seen still has an extended number.
constexpr std::uint64_t rtp_base = std::uint64_t{1} << 32;

}  // namespace

tl::expected<std::vector<line_def>, std::string> parse_lines(const std::vector<std::string>& values,
                                                            std::string_view default_interface) {
  std::vector<line_def> lines;
  std::map<std::pair<core::ip_address, std::uint16_t>, std::string> owner;
  for (const auto& value : values) {
    const auto eq = value.find('=');
    if (eq == std::string::npos) return tl::unexpected(fmt::format("--line {}: NAME=SPEC (e.g. A=239.1.1.1:5000)", value));
    line_def l{value.substr(0, eq), value.substr(eq + 1), {}};
    if (!valid_name(l.name)) {
      return tl::unexpected(fmt::format("--line {}: the name \"{}\" must be 1 to 32 characters of A-Z, a-z, 0-9, _ and -",
                                        value, l.name));
    }
    // "merged" names the merged stream in the "lines" object.
    if (l.name == "merged") return tl::unexpected(fmt::format("--line {}: \"merged\" is the merged stream's name", value));
    for (const auto& other : lines) {
      if (other.name == l.name) return tl::unexpected(fmt::format("--line {}: the name {} is given twice", value, l.name));
    }
    auto spec = parse_group_spec(l.spec, spec_user::receiver, default_interface);
    if (!spec) return tl::unexpected(fmt::format("--line {}: {}", value, spec.error().message()));
    auto groups = expand(*spec);
    if (!groups) return tl::unexpected(fmt::format("--line {}: {}", value, groups.error().message()));
    for (const auto& g : *groups) {
      const std::pair key{g, spec->port};
      auto [it, fresh] = owner.try_emplace(key, l.name);
      if (!fresh && it->second != l.name) {
        return tl::unexpected(fmt::format("--line {}: {} is on line {} too: a datagram must belong to one line", value,
                                          core::endpoint(g, spec->port).to_string(), it->second));
      }
      if (fresh) l.groups.push_back(key);
    }
    lines.push_back(std::move(l));
  }
  if (lines.size() < min_lines || lines.size() > max_lines) {
    return tl::unexpected(fmt::format("--line: {} given, {} to {} lines merge", lines.size(), min_lines, max_lines));
  }
  return lines;
}

result<line_merge> line_merge::make(std::vector<line_def> lines) {
  auto a = feed::arbiter::make(lines.size());
  if (!a) return fail(a.error());
  return line_merge(std::move(lines), std::move(*a));
}

std::optional<std::size_t> line_merge::line_of(const core::ip_address& group, std::uint16_t port) const noexcept {
  for (std::size_t i = 0; i < lines_.size(); ++i) {
    for (const auto& [g, p] : lines_[i].groups) {
      if (p == port && g == group) return i;
    }
  }
  return std::nullopt;
}

bool line_merge::offer(std::size_t line, const accounted& a, std::int64_t arrival_ns) noexcept {
  if (line >= lines_.size()) return false;
  const bool sequenced = a.sequence && (a.payload == payload_kind::mcnet || a.payload == payload_kind::moldudp64 ||
                                        a.payload == payload_kind::rtp);
  if (!a.end) ++packets_[line];
  if (!sequenced) {
    ++unsequenced_;
    return false;
  }
  if (a.end || a.numbers == 0) {
    // An END, an end of session, or a MoldUDP64 heartbeat: the next number
    // the sender would use, so the tail before it counts at the end.
    end_count_ = std::max(end_count_.value_or(0), *a.sequence);
    return true;
  }
  std::uint64_t first = *a.sequence;
  if (a.payload == payload_kind::rtp) {
    const auto seq = static_cast<std::uint16_t>(first);
    if (!rtp_highest_) {
      first = rtp_base + seq;
    } else {
      const auto delta = static_cast<std::int16_t>(static_cast<std::uint16_t>(seq - static_cast<std::uint16_t>(*rtp_highest_)));
      first = *rtp_highest_ + static_cast<std::uint64_t>(static_cast<std::int64_t>(delta));
    }
    rtp_highest_ = std::max(rtp_highest_.value_or(0), first);
  }
  for (std::uint64_t i = 0; i < a.numbers; ++i) (void)arbiter_.offer(line, first + i, arrival_ns);
  return true;
}

void line_merge::finish() noexcept {
  const auto& merged = arbiter_.merged();
  if (!merged.started() || merged.ended()) return;
  // An RTP feed has no end marker; a restarted sender's END may be lower
  // than numbers already seen: the highest seen bounds the feed then.
  arbiter_.end(std::max(end_count_.value_or(0), merged.highest() + 1));
}

json line_merge::to_json() const {
  json out = json::object();
  for (std::size_t i = 0; i < lines_.size(); ++i) {
    out[lines_[i].name] = {{"packets", packets_[i]}, {"gaps", arbiter_.line_missed(i)},
                           {"first_share", arbiter_.first_arrival_share(i)}};
  }
  const auto& skew = arbiter_.skew();
  const bool any = skew.count() > 0;
  out["merged"] = {{"delivered", arbiter_.delivered()}, {"lost", arbiter_.lost()},
                   {"duplicates_dropped", arbiter_.duplicates()}, {"too_late", arbiter_.too_late()},
                   {"pending", arbiter_.pending()}, {"unsequenced", unsequenced_},
                   {"skew_ns", {{"p50", any ? json(skew.percentile(0.5)) : json(nullptr)},
                                {"p99", any ? json(skew.percentile(0.99)) : json(nullptr)},
                                {"max", any ? json(skew.max()) : json(nullptr)}}}};
  return out;
}

std::vector<std::string> line_merge::text() const {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < lines_.size(); ++i) {
    out.push_back(fmt::format("  line {} ({})  packets {}  gaps {}  first {:.1f}%", lines_[i].name, lines_[i].spec,
                              packets_[i], arbiter_.line_missed(i), arbiter_.first_arrival_share(i) * 100));
  }
  const auto& skew = arbiter_.skew();
  out.push_back(fmt::format("  merged  delivered {}  lost {}  duplicates dropped {}{}{}{}", arbiter_.delivered(),
                            arbiter_.lost(), arbiter_.duplicates(),
                            arbiter_.too_late() ? fmt::format("  too late {}", arbiter_.too_late()) : "",
                            unsequenced_ ? fmt::format("  unsequenced {}", unsequenced_) : "",
                            skew.count() ? fmt::format("  skew p50 {:.3f} ms p99 {:.3f} ms max {:.3f} ms",
                                                       static_cast<double>(skew.percentile(0.5)) / 1e6,
                                                       static_cast<double>(skew.percentile(0.99)) / 1e6,
                                                       static_cast<double>(skew.max()) / 1e6)
                                         : ""));
  return out;
}

}  // namespace mcnet::tools
