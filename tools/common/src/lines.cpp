// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <mcnet/tools/output.hpp>
#include <mcnet/tools/lines.hpp>

#include <algorithm>
#include <map>
#include <system_error>

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
    if (eq == std::string::npos) return tl::unexpected(fmt::format("--line {}: NAME=SPEC (e.g. A=239.1.1.1:5000)", text_name(value)));
    line_def l{value.substr(0, eq), value.substr(eq + 1), {}};
    if (!valid_name(l.name)) {
      return tl::unexpected(fmt::format("--line {}: the name \"{}\" must be 1 to 32 characters of A-Z, a-z, 0-9, _ and -",
                                        text_name(value), text_name(l.name)));
    }
    // "merged" names the merged stream in the "lines" object.
    if (l.name == "merged") return tl::unexpected(fmt::format("--line {}: \"merged\" is the merged stream's name", text_name(value)));
    for (const auto& other : lines) {
      if (other.name == l.name) return tl::unexpected(fmt::format("--line {}: the name {} is given twice", text_name(value), text_name(l.name)));
    }
    auto spec = parse_group_spec(l.spec, spec_user::receiver, default_interface);
    if (!spec) return tl::unexpected(fmt::format("--line {}: {}", text_name(value), error_text(spec.error())));
    auto groups = expand(*spec);
    if (!groups) return tl::unexpected(fmt::format("--line {}: {}", text_name(value), error_text(groups.error())));
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
  // The k-th (group, port) of every line carries the same feed.
  for (std::size_t i = 1; i < lines.size(); ++i) {
    if (lines[i].groups.size() != lines[0].groups.size()) {
      const auto n = lines[i].groups.size();
      return tl::unexpected(fmt::format("--line {}: {} (group, port) pair{}, but --line {} has {}: the k-th group of "
                                        "each line carries the same feed, so every line needs as many",
                                        values[i], n, n == 1 ? "" : "s", values[0], lines[0].groups.size()));
    }
  }
  return lines;
}

result<line_merge> line_merge::make(std::vector<line_def> lines) {
  if (lines.empty() || lines.size() > max_lines) {
    return fail(error(std::make_error_code(std::errc::invalid_argument), "make", "line merge")
                    .with_number(static_cast<std::int64_t>(lines.size()))
                    .with_hint("a merge takes 1 to 4 lines (arbiter::max_lines)"));
  }
  line_merge m(std::move(lines));
  m.feeds_.reserve(max_feeds);
  return m;
}

std::optional<line_place> line_merge::place_of(const core::ip_address& group, std::uint16_t port) const noexcept {
  for (std::size_t i = 0; i < lines_.size(); ++i) {
    for (std::size_t k = 0; k < lines_[i].groups.size(); ++k) {
      const auto& [g, p] = lines_[i].groups[k];
      if (p == port && g == group) return line_place{i, k};
    }
  }
  return std::nullopt;
}

std::optional<std::size_t> line_merge::line_of(const core::ip_address& group, std::uint16_t port) const noexcept {
  if (const auto p = place_of(group, port)) return p->line;
  return std::nullopt;
}

const std::string& line_merge::name(std::size_t line) const noexcept {
  static const std::string none;
  return line < lines_.size() ? lines_[line].name : none;
}

line_merge::feed_id line_merge::identity(const accounted& a, std::size_t position) noexcept {
  feed_id id;
  id.position = position;
  id.payload = a.payload;
  switch (a.payload) {
    case payload_kind::mcnet:
      if (a.header) {
        id.sender_id = a.header->sender_id;
        id.session = a.header->session;
      }
      break;
    case payload_kind::moldudp64: id.mold_session = a.mold_session; break;
    case payload_kind::rtp: id.ssrc = a.ssrc; break;
    default: break;
  }
  return id;
}

void line_merge::end_feed(feed_state& f) noexcept {
  // A far claim not proven by the end is not believed (and the highest
  // number below is then the believed one's).
  f.arbiter.settle();
  const auto& merged = f.arbiter.merged();
  if (!merged.started() || merged.ended()) return;
  // The END count the vote believes (sequence_tracker::end's rule, over the
  // merged numbers): the one given most, a near one before a far one.
  if (const auto count = f.ends.choose(merged.highest(), feed::sequence_tracker::window, feed::sequence_tracker::max_gap)) {
    f.arbiter.end(*count, /*confirmed=*/true);
  }
  // An RTP feed has no end marker; an END the merged stream does not
  // believe (at or below numbers already seen, or past what one claim may
  // show) cannot end it: the highest seen bounds the feed then, and nothing
  // stays pending.
  if (!merged.ended()) f.arbiter.end(merged.highest() + 1, /*confirmed=*/true);
}

void line_merge::retire(std::size_t index) noexcept {
  auto& f = feeds_[index];
  end_feed(f);
  auto& r = retired_totals_;
  for (std::size_t i = 0; i < lines_.size(); ++i) {
    r.gaps[i] += f.arbiter.line_missed(i);
    r.first_arrivals[i] += f.arbiter.line(i).first_arrivals;
  }
  r.delivered += f.arbiter.delivered();
  r.jumps += f.arbiter.jumps();
  r.lost += f.arbiter.lost();
  r.duplicates += f.arbiter.duplicates();
  r.too_late += f.arbiter.too_late();
  r.skew.merge(f.arbiter.skew());
  retired_[retired_next_] = f.id;
  retired_next_ = (retired_next_ + 1) % max_retired;
  retired_count_ = std::min(retired_count_ + 1, max_retired);
  feeds_.erase(feeds_.begin() + static_cast<std::ptrdiff_t>(index));
}

bool line_merge::was_retired(const feed_id& id) const noexcept {
  return std::find(retired_.begin(), retired_.begin() + static_cast<std::ptrdiff_t>(retired_count_), id) !=
         retired_.begin() + static_cast<std::ptrdiff_t>(retired_count_);
}

line_merge::feed_state* line_merge::find_or_start(const feed_id& id) noexcept {
  for (auto& f : feeds_) {
    if (f.id == id) return &f;
  }
  if (was_retired(id)) return nullptr;
  auto a = feed::arbiter::make(lines_.size());
  if (!a) return nullptr;
  if (feeds_.size() >= max_feeds) {
    std::size_t idlest = 0;
    for (std::size_t i = 1; i < feeds_.size(); ++i) {
      if (feeds_[i].last_used < feeds_[idlest].last_used) idlest = i;
    }
    retire(idlest);
  }
  ++feed_count_;
  feeds_.push_back(feed_state{.id = id, .arbiter = std::move(*a), .ends = {},
                              .rtp_highest = std::nullopt, .last_used = offers_});
  return &feeds_.back();
}

bool line_merge::offer(std::size_t line, const accounted& a, std::int64_t arrival_ns, std::size_t position) noexcept {
  if (line >= lines_.size()) return false;
  const bool sequenced = a.sequence && (a.payload == payload_kind::mcnet || a.payload == payload_kind::moldudp64 ||
                                        a.payload == payload_kind::rtp);
  if (!a.end) ++packets_[line];
  if (!sequenced) {
    ++unsequenced_;
    return false;
  }
  ++offers_;
  const auto id = identity(a, position);
  if (a.end || a.numbers == 0) {
    // An END, an end of session, or a MoldUDP64 heartbeat: the next number
    // the sender would use, so the tail before it counts at the end. It
    // starts no feed: a feed is its numbers.
    // Kept as votes, judged when the feed ends (end_feed): a forged END
    // cannot outvote the sender's, repeated, nor a far one a near one.
    const std::uint64_t claim = *a.sequence;
    for (auto& f : feeds_) {
      if (f.id == id) {
        (void)f.ends.add(claim, f.arbiter.merged().highest());
        f.last_used = offers_;
      }
    }
    return true;
  }
  auto* f = find_or_start(id);
  if (f == nullptr) {
    if (was_retired(id)) {
      retired_totals_.too_late += a.numbers;
    } else {
      unmerged_ += a.numbers;
    }
    return true;
  }
  f->last_used = offers_;
  std::uint64_t first = *a.sequence;
  if (a.payload == payload_kind::rtp) {
    const auto seq = static_cast<std::uint16_t>(first);
    if (!f->rtp_highest) {
      first = rtp_base + seq;
    } else {
      const auto delta =
          static_cast<std::int16_t>(static_cast<std::uint16_t>(seq - static_cast<std::uint16_t>(*f->rtp_highest)));
      first = *f->rtp_highest + static_cast<std::uint64_t>(static_cast<std::int64_t>(delta));
    }
    f->rtp_highest = std::max(f->rtp_highest.value_or(0), first);
  }
  for (std::uint64_t i = 0; i < a.numbers; ++i) (void)f->arbiter.offer(line, first + i, arrival_ns);
  return true;
}

void line_merge::finish() noexcept {
  for (auto& f : feeds_) end_feed(f);
}

line_merge::merged_counts line_merge::merged() const noexcept {
  const auto& r = retired_totals_;
  merged_counts m{r.delivered, r.lost, r.duplicates, r.too_late, 0, feed_count_, r.jumps};
  for (const auto& f : feeds_) {
    m.delivered += f.arbiter.delivered();
    m.jumps += f.arbiter.jumps();
    m.lost += f.arbiter.lost();
    m.duplicates += f.arbiter.duplicates();
    m.too_late += f.arbiter.too_late();
    m.pending += f.arbiter.pending();
  }
  return m;
}

std::uint64_t line_merge::line_gaps(std::size_t line) const noexcept {
  std::uint64_t gaps = retired_totals_.gaps[line];
  for (const auto& f : feeds_) gaps += f.arbiter.line_missed(line);
  return gaps;
}

double line_merge::first_share(std::size_t line) const noexcept {
  std::uint64_t first = retired_totals_.first_arrivals[line];
  for (const auto& f : feeds_) first += f.arbiter.line(line).first_arrivals;
  // Every first copy handed on, the ones the counts do not believe too.
  const auto m = merged();
  const auto handed_on = m.delivered + m.jumps;
  return handed_on == 0 ? 0.0 : static_cast<double>(first) / static_cast<double>(handed_on);
}

feed::histogram line_merge::skew() const noexcept {
  feed::histogram h = retired_totals_.skew;
  for (const auto& f : feeds_) h.merge(f.arbiter.skew());
  return h;
}

json line_merge::to_json() const {
  json out = json::object();
  for (std::size_t i = 0; i < lines_.size(); ++i) {
    out[lines_[i].name] = {{"packets", packets_[i]}, {"gaps", line_gaps(i)}, {"first_share", first_share(i)}};
  }
  const auto m = merged();
  const auto skew = this->skew();
  const bool any = skew.count() > 0;
  out["merged"] = {{"delivered", m.delivered}, {"jumps", m.jumps}, {"lost", m.lost},
                   {"duplicates_dropped", m.duplicates}, {"too_late", m.too_late},
                   {"pending", m.pending}, {"unsequenced", unsequenced_}, {"unmerged", unmerged_},
                   {"feeds", m.feeds},
                   {"skew_ns", {{"p50", any ? json(skew.percentile(0.5)) : json(nullptr)},
                                {"p99", any ? json(skew.percentile(0.99)) : json(nullptr)},
                                {"max", any ? json(skew.max()) : json(nullptr)}}}};
  return out;
}

std::vector<std::string> line_merge::text() const {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < lines_.size(); ++i) {
    out.push_back(fmt::format("  line {} ({})  packets {}  gaps {}  first {:.1f}%", lines_[i].name, lines_[i].spec,
                              packets_[i], line_gaps(i), first_share(i) * 100));
  }
  const auto m = merged();
  const auto skew = this->skew();
  out.push_back(fmt::format("  merged  delivered {}{}  lost {}{}  duplicates dropped {}{}{}{}{}{}", m.delivered,
                            m.jumps ? fmt::format("  jumps {}", m.jumps) : "", m.lost,
                            m.pending ? fmt::format("  pending {}", m.pending) : "", m.duplicates,
                            m.too_late ? fmt::format("  too late {}", m.too_late) : "",
                            unsequenced_ ? fmt::format("  unsequenced {}", unsequenced_) : "",
                            unmerged_ ? fmt::format("  unmerged {}", unmerged_) : "",
                            m.feeds > 1 ? fmt::format("  feeds {}", m.feeds) : "",
                            skew.count() ? fmt::format("  skew p50 {:.3f} ms p99 {:.3f} ms max {:.3f} ms",
                                                       static_cast<double>(skew.percentile(0.5)) / 1e6,
                                                       static_cast<double>(skew.percentile(0.99)) / 1e6,
                                                       static_cast<double>(skew.max()) / 1e6)
                                         : ""));
  return out;
}

}  // namespace mcnet::tools
