// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <mcnet/tools/report.hpp>

#include <net/if.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <map>
#include <utility>

#include <fmt/format.h>

#include <mcnet/core/dscp.hpp>
#include <mcnet/feed/saturating.hpp>
#include <mcnet/tools/output.hpp>
#include <mcnet/tools/send_options.hpp>

namespace mcnet::tools {

using json = nlohmann::ordered_json;

const std::string& interface_names::name(std::uint32_t index) {
  auto it = cache_.find(index);
  if (it != cache_.end()) return it->second;
  std::array<char, IF_NAMESIZE> buf{};
  std::string name;
  if (index != 0 && ::if_indextoname(index, buf.data()) != nullptr) name = buf.data();
  return cache_.emplace(index, std::move(name)).first->second;
}

json interface_json(std::uint32_t index, const std::string& name) {
  if (index == 0) return object_builder(2)("name", nullptr)("index", nullptr).take();
  return object_builder(2)("name", name.empty() ? json(nullptr) : json(name))("index", index).take();
}

namespace {

json or_null(bool known, const json& value) { return known ? value : json(nullptr); }

double per_second(double amount, double seconds) { return seconds > 0 ? amount / seconds : 0.0; }

json latency_json(const stream_key& k, const stream& s) {
  if (k.payload != payload_kind::mcnet || s.latency.count() == 0) return nullptr;
  // Without the latencies far from the median (clock errors).
  feed::histogram copy;
  const auto& l = latency_kept(s, copy);
  return {{"min", l.min()}, {"p50", l.percentile(0.5)}, {"p99", l.percentile(0.99)}, {"max", l.max()},
          {"negative", l.negative()}};
}

// "session": the header's number (mcnet) or the session name (MoldUDP64).
json session_json(const stream_key& k) {
  if (k.payload == payload_kind::mcnet) return k.session;
  if (k.payload != payload_kind::moldudp64) return nullptr;
  std::string_view name(k.mold_session.data(), k.mold_session.size());
  name = name.substr(0, name.find_last_not_of(' ') + 1);  // the padding is not the name
  return std::string(name);
}

json jitter_json(const stream_key& k, const stream& s) {
  // RFC 3550's J is a mean of differences of transit times: it needs two
  // compared (two datagrams with plausible send times or timestamps, no
  // step apart); before that it is unknown, not 0 (trial20q 2).
  if (k.payload == payload_kind::mcnet) return or_null(s.interarrival.compared() > 0, s.interarrival.value_ns());
  if (k.payload == payload_kind::rtp && s.rtp_interarrival) {
    // At a clock only assumed that the timestamps' own rate contradicts,
    // the jitter would be wrong by their ratio: unknown (trial t20r F3).
    const auto clock = rtp_clock_of(k, s);
    // A clock given is the user's: its jitter is kept, marked contradicted
    // (clock_contradicted; trial t20u F2).
    return or_null(s.rtp_interarrival->compared() > 0 && !(clock && clock->assumed && clock->contradicted),
                   s.rtp_interarrival->value_ns());
  }
  return nullptr;
}

// RTP: the clock its jitter is in, whether it was assumed (a dynamic
// payload type without --rtp-clock), then the timestamps' own rate (an
// assumed or given clock) and whether another standard clock fits it
// clearly better (trial t20u F2).
void rtp_clock_json(object_builder& j, const stream_key& k, const stream& s) {
  const auto c = rtp_clock_of(k, s);
  j("clock_hz", c ? json(c->hz) : json(nullptr))("clock_assumed", c ? json(c->assumed) : json(nullptr))(
      "timestamp_rate_hz", c && c->rate_hz ? json(*c->rate_hz) : json(nullptr))(
      "clock_contradicted", c && c->rate_hz ? json(c->contradicted) : json(nullptr));
}

// RTP: the timestamp discontinuities left out of the jitter (trial20q 1);
// null for other payloads and without a clock rate (no jitter measured).
json timestamp_steps_json(const stream_key& k, const stream& s) {
  if (k.payload != payload_kind::rtp || !s.rtp_interarrival) return nullptr;
  return s.rtp_interarrival->steps();
}

}  // namespace

namespace {

// Seconds from `from` to `to` ns (0 unless `to` is later), in unsigned
// arithmetic: arrival times from a capture or a test may be far apart, and
// their difference (positive here) may not fit in int64.
double seconds_ns(std::int64_t from, std::int64_t to) {
  if (to <= from) return 0;
  return static_cast<double>(static_cast<std::uint64_t>(to) - static_cast<std::uint64_t>(from)) / 1e9;
}

}  // namespace

void clump_clock::add(std::int64_t at_ns, std::uint64_t n, std::optional<std::int64_t> until_ns,
                      std::uint64_t add_bytes) noexcept {
  if (n == 0) return;
  if (!first_ns) first_ns = at_ns;
  const auto gap = last_ns ? feed::saturating_sub(at_ns, *last_ns) : 0;
  const auto age = clump_start_ns ? feed::saturating_sub(at_ns, *clump_start_ns) : 0;
  if (starts_clump(gap, clump_boundary_ns, age, clump_count, clump_cut, piece_count, lone_pieces)) {
    clump_start_ns = at_ns;
    clump_count = n;
    clump_bytes = 0;
    piece_count = n;
    lone_pieces = 0;
    ++clumps;
    if (!last_ns) {
      clump_boundary_ns = 0;
    } else if (gap > clump_gap_ns) {
      clump_boundary_ns = gap;
    }  // else the clump before lasted its longest: the same length again
    clump_cut = false;
  } else {
    if (gap > clump_gap_ns) {
      // The piece this cut ends: a later lone one adds to the run of them.
      if (clump_cut) lone_pieces = piece_count == 1 ? lone_pieces + 1 : 0;
      clump_cut = true;
      piece_count = 0;
    }
    clump_count += n;
    piece_count += n;
  }
  count += n;
  bytes += add_bytes;
  clump_bytes += add_bytes;
  last_bytes = static_cast<double>(add_bytes) / static_cast<double>(n);
  last_ns = std::max(at_ns, until_ns.value_or(at_ns));
}

// With c >= 2 clumps: the events before the last clump (N - n_last) over
// the span from the first to the start of the last clump, a measured span
// with no stretch. k bursts of B every T (the last of any size): (k-1)B
// over (k-1)T, B/T; an evenly paced stream (each event its own clump):
// N-1 over N-1 intervals; a sender that never pauses after its first
// pause: clumps no longer than a quarter of the gap before them, so the
// last is short and the rate near N over the span. Only the last clump's size matters,
// so clumps added anywhere before it (a first burst cut in two, a catch-up
// split by the receive path, a sender's hiccups) leave the rate as it was.
// A last clump of more than half the events is no last burst to leave out
// (two bursts are half each): a stall's catch-up that ended the run, whose
// events came over the stall, reads (N-1)/span, the average over the
// stream's life, as the sender's own figure does (trial20f: 474 before a
// 5 s stop over the 5.485 s to the catch-up read 86 pps; 1,999 over 5.5 s
// is 363, what mcast-send said it sent at).
bool clump_clock::leaves_last_clump() const noexcept {
  return first_ns && clump_start_ns && clumps >= 2 && seconds_ns(*first_ns, *clump_start_ns) > 0 &&
         clump_count <= count - clump_count;
}

std::pair<double, double> clump_clock::rate() const noexcept {
  if (!first_ns || !clump_start_ns || !last_ns) return {0.0, 0.0};
  if (leaves_last_clump()) return {static_cast<double>(count - clump_count), seconds_ns(*first_ns, *clump_start_ns)};
  return {count > 1 ? static_cast<double>(count - 1) : 0.0, seconds_ns(*first_ns, *last_ns)};
}

double clump_clock::rated_bytes() const noexcept {
  if (!first_ns || !clump_start_ns || !last_ns) return 0.0;
  if (leaves_last_clump()) return static_cast<double>(bytes - clump_bytes);
  return count > 1 ? static_cast<double>(bytes) - last_bytes : 0.0;
}

std::pair<double, double> stream_rate(const stream& s) noexcept { return s.arrivals.rate(); }

std::int64_t lost_delta(std::uint64_t now, std::uint64_t before) noexcept {
  auto clamp = [](std::uint64_t v) { return static_cast<std::int64_t>(std::min<std::uint64_t>(v, INT64_MAX)); };
  return feed::saturating_sub(clamp(now), clamp(before));
}

json worst_stream_json(const stream_key& k, double ratio, bool evicted, bool unresumed, bool contested) {
  return {{"group", k.group.to_string()},
          {"port", k.port},
          {"source", k.source.to_string()},
          {"sender_id", or_null(k.payload == payload_kind::mcnet, k.sender_id)},
          {"session", session_json(k)},
          {"ssrc", or_null(k.payload == payload_kind::rtp, k.ssrc)},
          {"payload", payload_name(k.payload)},
          {"loss_percent", ratio * 100},
          {"evicted", evicted},
          {"unresumed", unresumed},
          {"conflict", contested}};
}

std::string stream_name(const stream_key& k) {
  std::string id;
  if (k.payload == payload_kind::mcnet) {
    id = fmt::format(" (sender id {}, session {})", k.sender_id, k.session);
  } else if (k.payload == payload_kind::moldudp64) {
    id = fmt::format(" (MoldUDP64 session \"{}\")", session_json(k).get<std::string>());
  } else if (k.payload == payload_kind::rtp) {
    id = fmt::format(" (RTP SSRC {:#010x})", k.ssrc);
  } else {
    id = fmt::format(" ({})", payload_name(k.payload));
  }
  return fmt::format("{} from {}{}", core::endpoint(k.group, k.port).to_string(), k.source.to_string(), id);
}

json conflict_json(const stream_key& k, const stream& s, const sender_conflict* conflict) {
  std::optional<sender_conflict> own;
  if (conflict == nullptr) {
    own = conflict_of(k, s);
    if (!own) return nullptr;
    conflict = &*own;
  }
  json evidence = json::array();
  if (conflict->copies(s.packets)) evidence.push_back("copies");
  if (conflict->ports()) evidence.push_back("ports");
  if (conflict->sources()) evidence.push_back("sources");
  if (conflict->ends()) evidence.push_back("ends");
  json sources = json::array();
  for (const auto& a : conflict->other_sources) sources.push_back(a.to_string());
  return {{"evidence", std::move(evidence)},
          {"differing_copies", conflict->differing_copies},
          {"port_returns", conflict->port_returns},
          {"far_ends", conflict->far_ends},
          {"other_sources", std::move(sources)}};
}

json stream_json(const stream_key& k, const stream& s, const json& iface, const sender_conflict* conflict) {
  const bool h = k.payload == payload_kind::mcnet;
  const bool mold = k.payload == payload_kind::moldudp64;
  const bool seq = counts_loss(k, s);
  const auto t = totals_of(k, s);
  const auto* ts = s.mpegts.get();
  const bool raw = k.payload == payload_kind::raw;
  // stream_rate(): datagrams over the span they came in; the bits per
  // second those datagrams' bytes over it (trial20q 5).
  const auto [intervals, span] = stream_rate(s);
  object_builder j(57);
  j("group", k.group.to_string())
   ("port", k.port)
   ("source", k.source.to_string())
   ("sender_id", or_null(h, k.sender_id))
   ("session", session_json(k))
   ("interface", iface)
   ("packets", s.packets)
   ("bytes", s.bytes)
   ("rate_pps", or_null(span > 0, per_second(intervals, span)))
   ("rate_bps", or_null(span > 0, per_second(s.arrivals.rated_bytes() * 8, span)))
   ("rate_span_s", span)
   ("lost", or_null(seq, t.lost))
   ("reordered", or_null(seq, t.reordered))
   ("duplicates", or_null(seq, t.duplicates))
   ("ttl", or_null(s.ttl >= 0, s.ttl))
   ("tos", or_null(s.tos >= 0, s.tos))
   ("latency_ns", latency_json(k, s))
   ("jitter_ns", jitter_json(k, s))
   ("first_packet_ms", s.first_packet_ms ? json(*s.first_packet_ms) : json(nullptr))
   ("payload", payload_name(k.payload))
   ("messages", or_null(mold, s.messages))
   ("heartbeats", or_null(mold, s.heartbeats))
   ("end_of_session", or_null(mold, s.end_of_session))
   ("ssrc", or_null(k.payload == payload_kind::rtp, k.ssrc))
   ("cc_errors", ts ? json(ts->continuity.totals().cc_errors) : json(nullptr))
   ("sync_errors", ts ? json(ts->sync_errors) : json(nullptr))
   ("pids", ts ? json(ts->pids) : json(nullptr))
   ("malformed", or_null(raw || ts != nullptr, s.malformed))
   ("jumps", or_null(seq, t.jumps))
   ("restarts", or_null(seq, t.restarts))
   // An RTP stream's restart its timestamps could not tell from an outage
   // leaves its restarts and loss null: its datagrams say why (issue #16).
   ("rtp_undecided", or_null(k.payload == payload_kind::rtp, t.rtp_undecided))
   ("too_late", or_null(seq, t.too_late))
   ("clock_errors", or_null(h, t.clock_errors))
   ("length_errors", or_null(h, s.length_errors));
  // The numbers before the first arrival (trial20j 7): the first number
  // counted, and those below it likely lost (sent after the join by the
  // pace): an estimate, not in lost.
  const auto gap = start_gap_of(k, s);
  j("first_sequence", gap ? json(gap->first_sequence) : json(nullptr))
   ("missed_at_start", gap ? json(gap->likely ? gap->missed : 0) : json(nullptr))
   ("began_after_join_s", gap && gap->began_after_join_s ? json(*gap->began_after_join_s) : json(nullptr));
  // Those below it that arrived with a wrong length field (trial t20v L2):
  // not in missed_at_start, they arrived.
  if (gap && gap->untrusted > 0) j("length_errors_at_start", gap->untrusted);
  // MPEG-TS: the transport packets the continuity counters show missing,
  // what --max-loss judges the stream by (trial20k 5: in no field).
  j("ts_missing", ts ? json(ts->continuity.missing()) : json(nullptr));
  // TTL and TOS over the run, not the last datagram's alone (trial20k 5).
  j("ttl_min", or_null(s.marks.ttl_min >= 0, s.marks.ttl_min))("ttl_max", or_null(s.marks.ttl_max >= 0, s.marks.ttl_max));
  const auto marks = settled_marks(s);
  json tos_values = json::array();
  for (const auto& c : marks.tos) {
    if (c.tos >= 0) tos_values.push_back({{"tos", c.tos}, {"packets", c.packets}});
  }
  j("tos_values", std::move(tos_values))("tos_others", marks.tos_others);
  // The last TOS byte's DSCP and ECN by name, as mcast-send's start event
  // gives them (trial20k 11); null when no TOS was known.
  const auto byte = static_cast<std::uint8_t>(s.tos);
  j("dscp", or_null(s.tos >= 0, core::format_dscp(core::dscp_of_tos(byte))))
   ("ecn", s.tos >= 0 ? json(ecn_name(byte)) : json(nullptr));
  // Its numbers came from more than one sender: its loss is not its feed's
  // (trial16j MEDIUM 3: a shifted copy filled a lossy feed's gaps).
  j("conflict", conflict_json(k, s, conflict))("timestamp_steps", timestamp_steps_json(k, s));
  rtp_clock_json(j, k, s);
  // Back after its eviction record was pushed out: its figures are partial.
  if (s.unresumed) j("unresumed", true);
  // Datagrams of it untracked while evicted (trial20p F2): their numbers'
  // loss is unknown, in no count of it.
  if (s.untracked > 0) j("untracked", s.untracked);
  return j.take();
}

json stream_delta_json(const stream_key& k, const stream& s, totals& before, double seconds, const json& iface,
                       const sender_conflict* conflict) {
  auto j = stream_json(k, s, iface, conflict);
  auto now = totals_of(k, s);
  // The loss decided: a claim in doubt (a forged number past the live
  // sender, an END waiting) shows once it stands, never as a loss the next
  // report takes back (trial16j).
  now.lost -= std::min(now.lost, lost_in_doubt(k, s));
  j["packets"] = now.packets - before.packets;
  j["bytes"] = now.bytes - before.bytes;
  j["rate_pps"] = per_second(static_cast<double>(now.packets - before.packets), seconds);
  j["rate_bps"] = per_second(static_cast<double>(now.bytes - before.bytes) * 8, seconds);
  j["rate_span_s"] = seconds;
  if (counts_loss(k, s)) {
    // Lost may shrink when late datagrams fill gaps counted before, and
    // reordered when a near gap is taken back (its numbers were in order).
    // A gap's loss in doubt is not counted until decided (above).
    j["lost"] = lost_delta(now.lost, before.lost);
    j["reordered"] = lost_delta(now.reordered, before.reordered);
    j["duplicates"] = now.duplicates - before.duplicates;
  }
  // The protocols' counters are deltas too (pids, a number of PIDs, is not).
  auto delta = [&](const char* name, std::uint64_t totals::*field) {
    if (!j[name].is_null()) j[name] = now.*field - before.*field;
  };
  delta("messages", &totals::messages);
  delta("heartbeats", &totals::heartbeats);
  delta("end_of_session", &totals::end_of_session);
  delta("cc_errors", &totals::cc_errors);
  delta("sync_errors", &totals::sync_errors);
  delta("malformed", &totals::malformed);
  // Clock errors judged by the median may shrink as it moves, as lost may.
  if (!j["clock_errors"].is_null()) j["clock_errors"] = lost_delta(now.clock_errors, before.clock_errors);
  delta("length_errors", &totals::length_errors);
  delta("timestamp_steps", &totals::timestamp_steps);
  delta("rtp_undecided", &totals::rtp_undecided);
  // A held number counted later (followed, proven) leaves the jumps; a
  // claim taken back leaves the restarts: these may shrink, as lost may.
  if (!j["jumps"].is_null()) j["jumps"] = lost_delta(now.jumps, before.jumps);
  if (!j["restarts"].is_null()) j["restarts"] = lost_delta(now.restarts, before.restarts);
  if (!j["too_late"].is_null()) j["too_late"] = lost_delta(now.too_late, before.too_late);
  before = now;
  return j;
}

bool loss_unknown(const totals& t) noexcept { return t.packets > 0 && t.unsequenced + t.refused == t.packets; }

json totals_json(const totals& t, std::uint64_t kernel_drops) {
  // With no sequence number anywhere, reordering, duplicates, jumps and
  // restarts are as unknown as loss (the streams say null, so does their
  // total).
  const bool unknown = loss_unknown(t);
  // One unit a figure (trial20o M3): lost, reordered, duplicates, jumps and
  // too_late count datagrams (mcnet, RTP), MoldUDP64's messages are given
  // apart; with only MoldUDP64 numbers, the datagram figures are unknown.
  const auto d = datagram_counts(t);
  const bool datagrams = !unknown && (t.mold_sequenced == 0 || d.sequenced > 0);
  const json mold = t.mold_sequenced > 0 && !unknown
                        ? json{{"lost", t.mold_lost}, {"reordered", t.mold_reordered},
                               {"duplicates", t.mold_duplicates}, {"jumps", t.mold_jumps},
                               {"too_late", t.mold_too_late}}
                        : json(nullptr);
  return {{"packets", t.packets}, {"bytes", t.bytes}, {"lost", or_null(datagrams, d.lost)},
          {"reordered", or_null(datagrams, d.reordered)}, {"duplicates", or_null(datagrams, d.duplicates)},
          {"kernel_drops", kernel_drops},
          {"jumps", or_null(datagrams, d.jumps)}, {"restarts", or_null(!unknown, t.restarts)},
          {"rtp_undecided", t.rtp_undecided},
          {"too_late", or_null(datagrams, d.too_late)},
          {"unsequenced", t.unsequenced}, {"malformed", t.refused}, {"moldudp64", mold}};
}

json packet_json(const packet_view& p, const accounted& a, const json& iface) {
  json j{{"event", "packet"},
         {"time", p.time},
         {"source", p.source.to_string()},
         {"group", p.group.to_string()},
         {"port", p.port},
         {"interface", iface},
         {"size", p.size},
         {"seq", a.sequence ? json(*a.sequence) : json(nullptr)},
         {"ttl", or_null(p.ttl >= 0, p.ttl)},
         {"tos", or_null(p.tos >= 0, p.tos)},
         {"latency_ns", a.latency_ns ? json(*a.latency_ns) : json(nullptr)},
         {"payload", payload_name(a.payload)}};
  if (a.is_end()) j["end"] = true;
  if (a.malformed) j["malformed"] = true;
  if (a.length_error) j["length_error"] = true;
  if (a.held) j["held"] = true;
  if (!p.line.empty()) j["line"] = p.line;
  return j;
}

std::string packet_text(const packet_view& p, const accounted& a, const std::string& iface_name) {
  std::string what;
  if (a.header) {
    // The number shown is the one counted: none (-) when the length field
    // disagrees with the size, as the packet event's null seq says.
    const auto number = a.sequence ? std::to_string(*a.sequence) : std::string("-");
    what = a.is_end() ? fmt::format("END after {}", number)
                      : fmt::format("seq {} id {} session {}", number, a.header->sender_id, a.header->session);
    if (a.length_error) {
      what += fmt::format(" (length field {} of {} bytes: a length error, its number not trusted)", a.header->length,
                          p.size);
    }
  } else if (a.payload == payload_kind::moldudp64) {
    what = a.is_end() ? fmt::format("moldudp64 end of session, next {}", *a.sequence)
                      : fmt::format("moldudp64 seq {}", *a.sequence);
  } else if (a.payload == payload_kind::rtp) {
    what = fmt::format("rtp seq {}{}", *a.sequence, a.held ? " (held: first of its SSRC, raw unless the next follows)" : "");
  } else if (a.payload == payload_kind::mpegts) {
    what = "mpegts";
  } else {
    what = a.malformed ? "foreign (malformed)" : "foreign";
  }
  auto known = [](int v) { return v >= 0 ? std::to_string(v) : std::string("-"); };
  return fmt::format("{:.6f} {} -> {} on {} {} bytes ttl {} tos {} {}{}{}", p.time, p.source.to_string(),
                     core::endpoint(p.group, p.port).to_string(), iface_name.empty() ? "-" : iface_name, p.size,
                     known(p.ttl), tos_text(p.tos), what, a.latency_ns ? fmt::format(" latency {} ns", *a.latency_ns) : "",
                     p.line.empty() ? "" : " line " + p.line);
}

namespace {

// The CSV columns after event and time: the stream fields, nested ones flattened.
constexpr std::array<const char*, 21> columns{
    "group",    "port",     "source",    "sender_id",      "session",        "interface_name", "interface_index",
    "packets",  "bytes",    "rate_pps",  "rate_bps",       "lost",           "reordered",      "duplicates",
    "ttl",      "tos",      "latency_min_ns", "latency_p50_ns", "latency_p99_ns", "latency_max_ns", "jitter_ns"};
// Appended after first_packet_ms (older scripts read the columns before by position).
// join_mode and join_sources: a joined channel's summary row with nothing
// received (its mode and sources, space-separated; empty in stream rows):
// an exclude join read like an any-source one without them (trial20i 10).
// first_sequence, missed_at_start and began_after_join_s after them
// (trial20k 6: the start's figures were in JSON only).
// end_markers and end_marker_sources after them: a channel's END markers of
// streams never seen and their senders (trial20k 3), empty in stream rows;
// then ttl_min, ttl_max, tos_values (TOS:DATAGRAMS, space-separated) and
// tos_others: the stream's TTL and TOS over the run (trial20k 5); then dscp
// and ecn, the last TOS byte's by name as text and JSON give them (trial20o
// L6), and untracked: a channel row's datagrams of streams the table did not
// keep (trial20o H1), a stream row's untracked while it was evicted
// (trial20p F2; empty when none); then conflict: the kinds of
// evidence that its numbers came from more than one sender, space-separated
// (empty when none: trial16j MEDIUM 3); then timestamp_steps, an RTP
// stream's timestamp discontinuities left out of its jitter (trial20q 1);
// then clock_hz, clock_assumed and timestamp_rate_hz, an RTP stream's clock
// and whether it was assumed (trial t20r F3), and clock_contradicted
// (trial t20u F2); then stalled_at_end_s and tail_unknown, a summary row's
// stall at the end and whether its tail is unknown (trial t15q M5; empty in
// interval rows); then ended, back and unresumed: an evicted row's, as its
// JSON object in evicted_feeds[] gives them (trial t20u L1: the CSV row had
// no ended cell), and a stream row's unresumed (true, or empty).
constexpr std::array<const char*, 42> payload_columns{
    "payload",   "messages",      "heartbeats", "end_of_session", "ssrc",         "cc_errors",
    "sync_errors", "pids",        "malformed",  "jumps",          "restarts",     "rate_span_s",
    "clock_errors", "length_errors", "too_late", "latency_negative", "join_mode",  "join_sources",
    "first_sequence", "missed_at_start", "began_after_join_s", "ts_missing", "end_markers", "end_marker_sources",
    "ttl_min", "ttl_max", "tos_values", "tos_others", "dscp", "ecn", "untracked", "conflict", "timestamp_steps",
    "clock_hz", "clock_assumed", "timestamp_rate_hz", "clock_contradicted", "stalled_at_end_s", "tail_unknown",
    "ended", "back", "unresumed"};

// The strings of a JSON array joined by `separator` ("" for none).
std::string joined_strings(const json& strings, std::string_view separator) {
  std::string out;
  for (const auto& v : strings) {
    if (!out.empty()) out += separator;
    out += v.get_ref<const std::string&>();
  }
  return out;
}

std::string cell(const json& v) {
  if (v.is_null()) return "";
  if (v.is_string()) {
    // Addresses and interface names need no quoting; quote anything else
    // RFC 4180-style. Control characters and bytes of no UTF-8 made visible
    // (an interface named with ESC and BEL: trial16g 5).
    // Text from outside (an interface name, a MoldUDP64 session name a
    // datagram carries) that starts with =, +, -, @, tab or CR is a formula
    // to a spreadsheet ("=cmd|x!A1": trial t16s 6): a leading ' makes it
    // text, quoted, as OWASP's "CSV Injection" page recommends. Numbers
    // are JSON numbers here, never strings: a negative one stays as it is.
    auto s = visible_text(text_name(v.get<std::string>()));
    const bool formula = !s.empty() && std::string_view("=+-@\t\r").find(s.front()) != std::string_view::npos;
    if (formula) s.insert(0, 1, '\'');
    if (!formula && s.find_first_of(",\"\n") == std::string::npos) return s;
    std::string q = "\"";
    for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
  }
  if (v.is_number_float()) {
    // Fixed point to the nanosecond, no exponent, trailing zeros dropped:
    // 1000, 0.00004 (a 40 us span), 0.0014 (pps), not 0.000.
    auto text = fmt::format("{:.9f}", v.get<double>());
    text.erase(text.find_last_not_of('0') + 1);
    if (text.ends_with('.')) text.pop_back();
    return text == "-0" ? "0" : text;
  }
  return json_text(v);
}

json column_value(const json& stream, std::string_view name) {
  if (name == "interface_name") return stream["interface"]["name"];
  if (name == "interface_index") return stream["interface"]["index"];
  if (name.starts_with("latency_")) {
    const auto& l = stream["latency_ns"];
    if (l.is_null()) return nullptr;
    if (name == "latency_negative") return l["negative"];
    return l[std::string(name.substr(8, name.size() - 8 - 3))];
  }
  if (name == "conflict") {
    const auto it = stream.find("conflict");
    if (it == stream.end() || !it->is_object()) return nullptr;
    return joined_strings((*it)["evidence"], " ");
  }
  if (name == "tos_values") {
    const auto it = stream.find("tos_values");
    if (it == stream.end() || !it->is_array()) return nullptr;
    std::string cells;
    for (const auto& v : *it) {
      cells += fmt::format("{}{}:{}", cells.empty() ? "" : " ", v["tos"].get<int>(), v["packets"].get<std::uint64_t>());
    }
    return cells;
  }
  // A key the object lacks (a stream row has no join_mode) is an empty cell.
  const auto it = stream.find(std::string(name));
  return it == stream.end() ? json(nullptr) : *it;
}

}  // namespace

std::string csv_header() {
  std::string h = "event,time";
  for (const char* c : columns) (h += ',') += c;
  h += ",first_packet_ms";
  for (const char* c : payload_columns) (h += ',') += c;
  h += '\n';
  return h;
}

// Each cell is appended to the row in place: `"," + cell(...)` would insert
// the comma at the front of the temporary, and g++ 12 at -O3 reports that
// insert's memcpy as a possible overlap (-Wrestrict, a false positive).
std::string csv_row(const char* event, double time, const json& stream) {
  std::string row = fmt::format("{},{:.6f}", event, time);
  for (const char* c : columns) (row += ',') += cell(column_value(stream, c));
  (row += ',') += cell(stream["first_packet_ms"]);
  for (const char* c : payload_columns) (row += ',') += cell(column_value(stream, c));
  row += '\n';
  return row;
}

std::string channel_text(const json& c) {
  // Its rate when it has one (two datagrams or more through it).
  const auto rate = c.contains("rate_pps") && !c["rate_pps"].is_null()
                        ? fmt::format(" {} {}", packet_rate_text(c["rate_pps"]), bit_rate_text(c["rate_bps"]))
                        : std::string();
  // Datagrams of streams the table did not keep came for it too (trial20o H1).
  const auto untracked = c.value("untracked", std::uint64_t{0});
  const auto untracked_text =
      untracked == 0 ? std::string()
                     : fmt::format(" ({} of streams past --max-streams, untracked: in no stream)",
                                   untracked == c["packets"].get<std::uint64_t>() ? std::string("all")
                                                                                  : std::to_string(untracked));
  return fmt::format("  {}: {}{}{}, first packet {}{}", channel_name(c),
                     count_text(c["packets"].get<std::uint64_t>(), "packet", "packets"), untracked_text, rate,
                     c["first_packet_ms"].is_null() ? std::string("none")
                                                    : fmt::format("after {:.1f} ms", c["first_packet_ms"].get<double>()),
                     end_markers_text(c));
}

std::string channel_where(const json& c) {
  const auto group = c["group"].get<std::string>();
  const auto port = std::to_string(c["port"].get<std::uint16_t>());
  return group.find(':') == std::string::npos ? group + ":" + port : "[" + group + "]:" + port;
}

namespace {

// " on IFACE" and the mode and sources unless any-source.
std::string channel_join(const json& c) {
  const auto& name = c["interface"]["name"];
  const auto mode = c["mode"].get<std::string>();
  return fmt::format(" on {}{}", name.is_null() ? "-" : text_name(name.get<std::string>()),
                     mode == "any" ? std::string() : " " + mode + " " + joined_strings(c["sources"], ","));
}

}  // namespace

std::string channel_name(const json& c) { return channel_where(c) + channel_join(c); }

bool next_group(const core::ip_address& a, const core::ip_address& b) noexcept {
  if (a.is_v4() != b.is_v4()) return false;
  if (a.is_v4()) return a.v4_uint() != 0xffffffffu && a.v4_uint() + 1 == b.v4_uint();
  const auto x = a.bytes();
  const auto y = b.bytes();
  // y = x + 1: equal up to the last byte x carries into.
  std::size_t k = x.size();
  while (k > 0 && x[k - 1] == 0xff) {
    if (y[k - 1] != 0) return false;
    --k;
  }
  if (k == 0 || y[k - 1] != static_cast<std::uint8_t>(x[k - 1] + 1)) return false;
  return std::equal(x.begin(), x.begin() + static_cast<std::ptrdiff_t>(k - 1), y.begin());
}

void order_by_join(std::vector<const json*>& channels) {
  std::map<std::string, std::size_t> rank;  // a join's place: where it first appears
  const auto join_of = [](const json& c) {
    return json_text(c["interface"]) + '\n' + json_text(c["mode"]) + '\n' + json_text(c["sources"]);
  };
  for (const auto* c : channels) rank.try_emplace(join_of(*c), rank.size());
  if (rank.size() < 2) return;
  std::ranges::stable_sort(channels, {}, [&](const json* c) { return rank.at(join_of(*c)); });
}

std::vector<channel_run> channel_runs(std::span<const json* const> channels,
                                      const std::function<bool(const json&, const json&)>& same) {
  std::vector<channel_run> runs;
  const auto joins_run = [&](const json& first, const json& last, const json& c) {
    if (c["port"] != last["port"] || c["interface"] != last["interface"] || c["mode"] != last["mode"] ||
        c["sources"] != last["sources"] || (same && !same(first, c))) {
      return false;
    }
    const auto a = core::ip_address::parse(last["group"].get<std::string>());
    const auto b = core::ip_address::parse(c["group"].get<std::string>());
    return a && b && next_group(*a, *b);
  };
  for (std::size_t i = 0; i < channels.size(); ++i) {
    if (!runs.empty()) {
      auto& r = runs.back();
      if (joins_run(*channels[r.first], *channels[i - 1], *channels[i])) {
        ++r.count;
        continue;
      }
    }
    runs.push_back({i, 1});
  }
  return runs;
}

std::string channel_run_name(const json& first, const json& last) {
  if (&first == &last) return channel_name(first);
  return channel_where(first) + " to " + channel_where(last) + channel_join(first);
}

std::string end_markers_text(const json& c) {
  const auto it = c.find("end_markers");
  if (it == c.end() || !it->is_number() || it->get<std::uint64_t>() == 0) return {};
  const auto from = joined_strings(c["end_marker_sources"], ", ");
  return fmt::format(", {} of streams never seen{}", count_text(it->get<std::uint64_t>(), "END marker", "END markers"),
                     from.empty() ? std::string() : " from " + from);
}

namespace {

// A row's object with every column's cell empty, for rows that are no
// stream's (channel_csv_row(), evicted_feed_csv_row()).
json empty_row() {
  json stream = json::object();
  for (const char* name : columns) stream[name] = nullptr;
  for (const char* name : payload_columns) stream[name] = nullptr;
  stream["interface"] = interface_json(0, "");
  stream["latency_ns"] = nullptr;
  stream["first_packet_ms"] = nullptr;
  return stream;
}

}  // namespace

std::string evicted_feed_csv_row(double time, const json& feed) {
  auto stream = empty_row();
  for (const char* name : {"group", "port", "source", "sender_id", "session", "ssrc", "payload", "packets", "bytes",
                           "lost", "reordered", "duplicates", "jumps"}) {
    stream[name] = feed[name];
  }
  // Evicted while stalled without its END (trial t20s H1): its tail is unknown.
  if (feed.contains("tail_unknown")) stream["tail_unknown"] = feed["tail_unknown"];
  // And its silence at the end (trial t20t L1: in text only).
  if (feed.contains("stalled_at_end_s")) stream["stalled_at_end_s"] = feed["stalled_at_end_s"];
  // Whether it ended, came back, and came back after its record was pushed
  // out, as in JSON (trial t20u L1).
  for (const char* name : {"ended", "back", "unresumed"}) {
    if (feed.contains(name)) stream[name] = feed[name];
  }
  return csv_row("evicted", time, stream);
}

std::string channel_csv_row(const char* event, double time, const json& c) {
  auto stream = empty_row();
  stream["group"] = c["group"];
  stream["port"] = c["port"];
  // An SSM channel is (S,G): its source in the source cell.
  if (c["mode"] == "include" && c["sources"].size() == 1) stream["source"] = c["sources"][0];
  stream["interface"] = c["interface"];
  stream["packets"] = c["packets"];
  // A channel's bytes are not counted: 0 when nothing came, else unknown (empty).
  stream["bytes"] = c["packets"] == 0 ? json(0) : json(nullptr);
  if (c.contains("rate_pps")) {
    stream["rate_pps"] = c["rate_pps"];
    stream["rate_bps"] = c["rate_bps"];
  }
  stream["first_packet_ms"] = c["first_packet_ms"];
  if (c.contains("untracked")) stream["untracked"] = c["untracked"];
  stream["join_mode"] = c["mode"];
  stream["join_sources"] = joined_strings(c["sources"], " ");
  if (c.contains("end_markers")) {
    stream["end_markers"] = c["end_markers"];
    stream["end_marker_sources"] = joined_strings(c["end_marker_sources"], " ");
  }
  return csv_row(event, time, stream);
}

namespace {

// How a stream is told apart from the others of its source, in text.
std::string identity(const json& s, const std::string& payload) {
  auto text = [](const json& v) { return v.is_null() ? std::string("-") : v.is_string() ? v.get<std::string>() : json_text(v); };
  if (payload == "mcnet") return fmt::format("id {} session {}", text(s["sender_id"]), text(s["session"]));
  // The session as a JSON string (quoted, escaped): a name holding a quote
  // or a backslash reads as the JSON's, and cannot end the text early.
  if (payload == "moldudp64") return fmt::format("moldudp64 session {}", s["session"].is_string() ? json_text(s["session"]) : "-");
  if (payload == "rtp") return fmt::format("rtp ssrc {:#010x}", s["ssrc"].get<std::uint32_t>());
  if (payload == "mpegts") return "mpegts";
  // As its stall and silence lines name it (stream_name(); trial t20s M1:
  // "(foreign)" here, "(raw)" there) and its payload in JSON and CSV.
  return "(raw)";
}

// `v` with three significant digits, trailing zeros kept up to the point
// (0.00140, 1.50, 12.0, 123; 1234 stays whole).
std::string significant(double v) {
  const double a = v < 0 ? -v : v;
  if (a == 0) return "0";
  if (a >= 99.95) return fmt::format("{:.0f}", v);
  // Decimals so that 3 digits show: the thresholds are where rounding adds one.
  int decimals = 1;
  for (double bound = 9.995; a < bound && decimals < 12; bound /= 10) ++decimals;
  return fmt::format("{:.{}f}", v, decimals);
}

}  // namespace

std::string packet_rate_text(const json& pps) {
  if (pps.is_null()) return "- pps";
  const double v = pps.get<double>();
  // Whole datagrams from 100 a second up; slower rates in three
  // significant digits, as the bit rate beside them (99.7 pps is not
  // "100 pps" beside "798 kbit/s"). The bounds are where rounding adds a
  // digit.
  if (v >= 99.95 || v == 0) return fmt::format("{:.0f} pps", v);
  if (v >= 9.995) return fmt::format("{:.1f} pps", v);
  if (v >= 0.9995) return fmt::format("{:.2f} pps", v);
  return fmt::format("{} pps", significant(v));
}

std::string names_and(const std::vector<std::string>& v) {
  constexpr std::size_t said = 8;
  std::string out;
  const auto shown = v.size() > said ? said : v.size();
  for (std::size_t i = 0; i < shown; ++i) {
    if (i > 0) out += i + 1 == v.size() ? " and " : ", ";
    out += v[i];
  }
  if (v.size() > said) out += fmt::format(" and {} more", v.size() - said);
  return out;
}

std::string names_or_text(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " or " : ", ";
    out += text_name(names[i]);
  }
  return out;
}

std::string groups_and(const std::vector<std::string>& groups) {
  constexpr std::size_t said = 8;
  if (groups.size() <= said) return names_and(groups);
  std::vector<core::ip_address> at;
  at.reserve(groups.size());
  for (const auto& g : groups) {
    auto a = core::ip_address::parse(g);
    if (!a) return names_and(groups);
    at.push_back(*a);
  }
  std::vector<std::string> runs;
  std::size_t i = 0;
  std::size_t named = 0;
  while (i < at.size() && runs.size() < said) {
    std::size_t k = i + 1;
    while (k < at.size() && next_group(at[k - 1], at[k])) ++k;
    runs.push_back(k - i == 1 ? groups[i]
                              : fmt::format("{} to {} ({} consecutive groups)", groups[i], groups[k - 1], k - i));
    named += k - i;
    i = k;
  }
  if (named < groups.size()) {
    runs.push_back(count_text(groups.size() - named, "more group", "more groups"));
  }
  std::string out;
  for (std::size_t r = 0; r < runs.size(); ++r) {
    if (r > 0) out += r + 1 == runs.size() ? " and " : ", ";
    out += runs[r];
  }
  return out;
}

std::string count_text(std::uint64_t n, std::string_view singular, std::string_view plural) {
  return fmt::format("{} {}", n, n == 1 ? singular : plural);
}

std::string percent_text(double percent, double limit) {
  const double a = percent < 0 ? -percent : percent;
  int decimals = 2;
  // Three significant digits below 1: the bounds are where rounding adds one.
  for (double bound = 0.9995; a > 0 && a < bound && decimals < 12; bound /= 10) ++decimals;
  // Then as many more as it takes for the figure printed to be on the side
  // of the limit the value is on.
  const auto wrong_side = [&](const std::string& text) {
    const double shown = std::strtod(text.c_str(), nullptr);
    return percent > limit ? shown <= limit : percent < limit && shown >= limit;
  };
  auto text = fmt::format("{:.{}f}", percent, decimals);
  while (wrong_side(text) && decimals < 12) text = fmt::format("{:.{}f}", percent, ++decimals);
  return text;
}

std::string duration_text(double ns) {
  const double a = ns < 0 ? -ns : ns;
  // The unit is chosen after rounding to 3 significant digits, so
  // 999,999 ns reads 1.00 ms, not 1000 us.
  if (a < 999.5) return fmt::format("{} ns", significant(ns));
  if (a < 999'500) return fmt::format("{} us", significant(ns / 1e3));
  if (a < 999'500'000) return fmt::format("{} ms", significant(ns / 1e6));
  return fmt::format("{} s", significant(ns / 1e9));
}

std::string span_text(double s) {
  return s >= 0.9995 || s == 0 ? fmt::format("{:.3f} s", s) : duration_text(s * 1e9);
}

const char* ecn_name(std::uint8_t tos) noexcept {
  switch (core::ecn_of_tos(tos)) {
    case 1: return "ECT(1)";
    case 2: return "ECT(0)";
    case 3: return "CE";
    default: return "Not-ECT";
  }
}

namespace {

// The least latency (ns) of every datagram of a stream whose text line
// says that the sender's clock is probably behind.
constexpr double clock_behind_hint_ns = 1e9;

// An RTP stream's clock when it was assumed (a dynamic payload type
// without --rtp-clock: trial t20r F3), after its jitter: not yet measured,
// borne out by the timestamps' rate, contradicted by it (another standard
// RTP clock fits it clearly better: the jitter then "-", with that clock to
// give --rtp-clock), or left unconfirmed: the rate is said, and that it
// fits no standard clock, but no clock no format uses is advised (trial
// t20u F1: "--rtp-clock 129020"). Empty for a clock not assumed.
std::string assumed_clock_text(const json& stream) {
  const auto assumed = stream.find("clock_assumed");
  if (assumed == stream.end() || *assumed != true || !stream["clock_hz"].is_number()) return {};
  const double hz = stream["clock_hz"].get<double>();
  const auto& rate = stream["timestamp_rate_hz"];
  if (!rate.is_number()) {
    return fmt::format(" (a dynamic payload type: {:.0f} Hz assumed, not yet borne out by its timestamps (under 1 "
                       "s of them); --rtp-clock sets it)",
                       hz);
  }
  const double r = rate.get<double>();
  const double about = std::round(r / 10) * 10;
  const auto judged = judge_rtp_clock(stream["clock_hz"].get<std::uint32_t>(), r);
  if (judged.borne_out) {
    return fmt::format(" (a dynamic payload type: {:.0f} Hz assumed, as its timestamps advance about {:.0f} a second; "
                       "--rtp-clock sets it)",
                       hz, about);
  }
  if (judged.contradicted) {
    return fmt::format(" (a dynamic payload type: {:.0f} Hz assumed, but its timestamps advance about {:.0f} a second "
                       "against the arrivals: --rtp-clock {} gives the jitter)",
                       hz, about, *judged.fits);
  }
  return fmt::format(" (a dynamic payload type: {:.0f} Hz assumed, not borne out: its timestamps advance about {:.0f} a "
                     "second against the arrivals, which fits no standard RTP clock{}; --rtp-clock sets it)",
                     hz, about, judged.fits ? fmt::format(" clearly ({:.0f} Hz or {} Hz)", hz, *judged.fits) : "");
}

// An RTP stream's clock given (--rtp-clock) that its timestamps' rate
// contradicts (trial t20u F2), after its jitter, which is kept (the user
// said so) and so marked. Empty otherwise.
std::string given_clock_text(const json& stream) {
  const auto contradicted = stream.find("clock_contradicted");
  if (contradicted == stream.end() || *contradicted != true || stream["clock_assumed"] != false ||
      !stream["clock_hz"].is_number() || !stream["timestamp_rate_hz"].is_number()) {
    return {};
  }
  const double r = stream["timestamp_rate_hz"].get<double>();
  const auto judged = judge_rtp_clock(stream["clock_hz"].get<std::uint32_t>(), r);
  return fmt::format(" (--rtp-clock {} given, but its timestamps advance about {:.0f} a second against the arrivals, "
                     "which {} Hz fits: the jitter is at the clock given)",
                     stream["clock_hz"].get<std::uint32_t>(), std::round(r / 10) * 10, judged.fits.value_or(0));
}

// A stream's TTL range when it changed (" (1..5 in the run)"), else empty.
std::string ttl_range_text(const json& stream) {
  const auto lo = stream.find("ttl_min");
  const auto hi = stream.find("ttl_max");
  if (lo == stream.end() || hi == stream.end() || !lo->is_number() || !hi->is_number() || *lo == *hi) return {};
  return fmt::format(" ({}..{} in the run)", lo->get<int>(), hi->get<int>());
}

// A stream's TOS bytes with their datagrams when more than one came
// (" (in the run: 0x00 (cs0) 20, 0xb8 (ef) 20)"), else empty.
std::string tos_values_text(const json& stream) {
  const auto values = stream.find("tos_values");
  const auto others = stream.find("tos_others");
  const auto more = others != stream.end() && others->is_number() ? others->get<std::uint64_t>() : 0;
  if (values == stream.end() || !values->is_array() || (values->size() < 2 && more == 0)) return {};
  std::string said;
  for (const auto& v : *values) {
    said += fmt::format("{}{} {}", said.empty() ? "" : ", ", tos_text(v["tos"].get<int>()),
                        v["packets"].get<std::uint64_t>());
  }
  if (more > 0) said += fmt::format(", others {}", more);
  return " (in the run: " + said + ")";
}

// A contested stream's words after its counts (trial16j MEDIUM 3), else empty.
std::string conflict_text(const json& stream) {
  const auto it = stream.find("conflict");
  if (it == stream.end() || !it->is_object()) return {};
  const auto& c = *it;
  std::string why;
  const auto add = [&why](const std::string& part) { why += (why.empty() ? "" : "; ") + part; };
  for (const auto& kind : c["evidence"]) {
    if (kind == "copies") {
      add(fmt::format("{} of a number that were other datagrams than its first copy (another {})",
                      count_text(c["differing_copies"].get<std::uint64_t>(), "copy", "copies"),
                      stream["payload"] == "rtp" ? "timestamp" : "send time"));
    } else if (kind == "ports") {
      add(fmt::format("its source port switched back and forth ({} returns)", c["port_returns"].get<std::uint64_t>()));
    } else if (kind == "sources") {
      add("its sender id and session came from " + joined_strings(c["other_sources"], ", ") + " too");
    } else if (kind == "ends") {
      add(fmt::format("{} far past what its pace allowed, beside END markers within it",
                      count_text(c["far_ends"].get<std::uint64_t>(), "END marker", "END markers")));
    }
  }
  return fmt::format("  conflict: numbers from more than one sender ({}): the feed's loss is unknown (lost counts what "
                     "their numbers together left missing)",
                     why);
}

}  // namespace

std::string tos_text(int tos) {
  if (tos < 0) return "-";
  const auto byte = static_cast<std::uint8_t>(tos);
  const auto name = core::dscp_name(core::dscp_of_tos(byte));
  const auto dscp = name.empty() ? fmt::format("dscp {}", core::dscp_of_tos(byte)) : std::string(name);
  const auto ecn = core::ecn_of_tos(byte) != 0 ? fmt::format(", {}", ecn_name(byte)) : std::string();
  return fmt::format("0x{:02x} ({}{})", byte, dscp, ecn);
}

namespace {

// --rate as datagrams and payload bits per second of each group; none unpaced.
std::optional<std::pair<double, double>> send_rates(const send_settings& s) {
  if (!s.pace) return std::nullopt;
  const auto pps = s.pace->packets_per_second(s.size);
  return std::pair{pps, pps * static_cast<double>(s.size) * 8};
}

}  // namespace

json send_settings_json(const send_settings& s) {
  const auto byte = static_cast<std::uint8_t>(s.tos);
  const auto rates = send_rates(s);
  return {{"ttl", s.ttl},
          {"tos", s.tos},
          {"dscp", core::format_dscp(core::dscp_of_tos(byte))},
          {"ecn", ecn_name(byte)},
          {"loop", !s.no_loop},
          {"rate_pps", rates ? json(rates->first) : json(nullptr)},
          {"rate_bps", rates ? json(rates->second) : json(nullptr)},
          {"burst", s.burst},
          {"count", s.count ? json(*s.count) : json(nullptr)},
          {"duration_s", s.duration ? json(*s.duration) : json(nullptr)},
          {"batch", s.batch},
          {"gso", s.gso > 0 ? json(s.gso) : json(nullptr)}};
}

std::string send_settings_text(const send_settings& s) {
  const auto rates = send_rates(s);
  std::string line = fmt::format("ttl {}, tos {}, loop {}", s.ttl, tos_text(s.tos), s.no_loop ? "off" : "on");
  if (s.replay) return line;  // pacing and length come from the capture (--speed, --loop N)
  // -r is the rate of the whole run, shared by its groups (docs/tools.md).
  line += rates ? fmt::format(", {} ({}) over all groups", packet_rate_text(rates->first), bit_rate_text(rates->second))
                : std::string(", unpaced");
  if (s.burst > 1) line += fmt::format(", bursts of {}", s.burst);
  if (s.gso > 0) line += fmt::format(", up to {} datagrams per send buffer (UDP_SEGMENT)", s.gso);
  if (s.count) line += fmt::format(", {} per group", count_text(*s.count, "datagram", "datagrams"));
  if (s.duration) line += fmt::format(", for {} s", *s.duration);
  if (!s.count && !s.duration) line += ", until a signal";
  return line;
}

std::string bit_rate_text(const json& bps) {
  if (bps.is_null()) return "- bit/s";
  double v = bps.get<double>();
  constexpr std::array<const char*, 4> units{"bit/s", "kbit/s", "Mbit/s", "Gbit/s"};
  std::size_t u = 0;
  // SI: 1 kbit/s is 1000 bit/s. The unit is chosen after rounding, so
  // 999,999.9 bit/s reads 1.00 Mbit/s, not 1000 kbit/s.
  while (v >= 999.5 && u + 1 < units.size()) {
    v /= 1000;
    ++u;
  }
  // Three significant digits (the thresholds are where rounding adds one),
  // below 1 bit/s too: 0.800 bit/s, not 0.80 (trial20o L7).
  if (v >= 99.95 || v == 0) return fmt::format("{:.0f} {}", v, units[u]);
  if (v >= 9.995) return fmt::format("{:.1f} {}", v, units[u]);
  return fmt::format("{} {}", significant(v), units[u]);
}

std::string stream_text(const json& s) {
  auto text = [](const json& v) { return v.is_null() ? std::string("-") : v.is_string() ? v.get<std::string>() : json_text(v); };
  const auto payload = s["payload"].get<std::string>();
  const bool counted = !s["lost"].is_null();
  const auto group = text(s["group"]);
  const auto where = group.find(':') == std::string::npos ? group + ":" + text(s["port"])
                                                          : "[" + group + "]:" + text(s["port"]);
  const double span_s = s["rate_span_s"].get<double>();
  // Seconds with 3 decimals; a span under a second in ms or us (a burst of
  // 50 us is not "0.000 s").
  // One datagram has no span to measure a rate over: it says so.
  // (An interval's rate is its datagrams over its length, never null: one
  // datagram in an interval has a rate over the interval.)
  const bool alone = s["packets"] == 1 && s["rate_pps"].is_null();
  const auto span = alone                             ? std::string("(one datagram: no rate)")
                                                      : fmt::format("over {}", span_text(span_s));
  const auto packets = s["packets"].is_number_unsigned() ? count_text(s["packets"].get<std::uint64_t>(), "packet", "packets")
                                                         : text(s["packets"]) + " packets";
  std::string line = fmt::format("  {} from {} {} on {}: {} {} bytes {} {} {}", where,
                                 text(s["source"]), identity(s, payload), text_name(text(s["interface"]["name"])),
                                 packets, text(s["bytes"]), packet_rate_text(s["rate_pps"]),
                                 bit_rate_text(s["rate_bps"]), span);
  if (counted) {
    line += fmt::format("  lost {} reordered {} duplicates {}", text(s["lost"]), text(s["reordered"]),
                        text(s["duplicates"]));
    // MoldUDP64 counts these in messages (trial20j 9), beside datagram counts.
    if (payload == "moldudp64") line += " (messages)";
    // Numbers before the first arrival (trial20j 7): an estimate, said
    // apart from lost, which counts from the first arrival.
    // Those that came before it with a wrong length field arrived, not
    // trusted: neither likely lost nor sent before the join (trial t20v L2).
    const auto untrusted = s.contains("length_errors_at_start") ? s["length_errors_at_start"].get<std::uint64_t>() : 0;
    const auto untrusted_part =
        untrusted > 0 ? fmt::format("; {} before it arrived with a wrong length field, not trusted", untrusted)
                      : std::string();
    if (s.contains("missed_at_start") && s["missed_at_start"].is_number_unsigned() && s["missed_at_start"] != 0) {
      line += fmt::format(" (and {} before its first number {}, likely lost: by its pace at the start the session "
                          "began {:.3f} s after the join; an estimate, not in lost{})",
                          text(s["missed_at_start"]), text(s["first_sequence"]),
                          s["began_after_join_s"].get<double>(), untrusted_part);
    } else if (untrusted > 0) {
      line += fmt::format(" (its first number {}: {} before it arrived with a wrong length field, not trusted{})",
                          text(s["first_sequence"]), untrusted,
                          s["first_sequence"].get<std::uint64_t>() > untrusted + (payload == "moldudp64" ? 1u : 0u)
                              ? "; the others before it were not counted"
                              : "");
    } else if (s.contains("began_after_join_s") && s["began_after_join_s"].is_number() &&
               s["began_after_join_s"].get<double>() >= 0 && s["first_sequence"].is_number_unsigned() &&
               s["first_sequence"].get<std::uint64_t>() > (payload == "moldudp64" ? 1u : 0u)) {
      line += fmt::format(" (its first number {}: those before it were sent about the join or before it, not "
                          "counted)",
                          text(s["first_sequence"]));
    }
  }
  if (!counted) {
    // No loss to count (no sequence number read or trusted): unknown, "-"
    // as the JSON's null, never left out (issue #20, trial h20x F5: a raw
    // stream's line read as if nothing were missing).
    line += "  lost - reordered - duplicates -";
  }
  line += conflict_text(s);
  if (payload == "moldudp64") {
    line += fmt::format("  messages {} heartbeats {} end of session {}", text(s["messages"]), text(s["heartbeats"]),
                        text(s["end_of_session"]));
  }
  if (!s["cc_errors"].is_null()) {
    line += fmt::format("  cc errors {} sync errors {} pids {}", text(s["cc_errors"]), text(s["sync_errors"]),
                        text(s["pids"]));
    if (s.contains("ts_missing") && s["ts_missing"].is_number_unsigned() && s["ts_missing"] != 0) {
      line += fmt::format(" (transport packets missing at least {})", text(s["ts_missing"]));
    }
  }
  if (!s["malformed"].is_null() && s["malformed"] != 0) line += fmt::format("  malformed {}", text(s["malformed"]));
  // Rare, and a sign of a restarted or hostile sender: shown when they happened.
  if (!s["jumps"].is_null() && s["jumps"] != 0) line += fmt::format("  jumps {}", text(s["jumps"]));
  if (s.contains("unresumed") && s["unresumed"] == true) {
    line += "  unresumed (came back after its eviction record was pushed out: its figures are only since then, "
            "its loss while evicted unknown)";
  }
  if (s.contains("untracked") && s["untracked"].is_number_unsigned() && s["untracked"] != 0) {
    line += fmt::format("  untracked {} (while evicted, the table full: in no count of it, their numbers' loss "
                        "unknown, not in lost)",
                        text(s["untracked"]));
  }
  if (!s["restarts"].is_null() && s["restarts"] != 0) line += fmt::format("  restarts {}", text(s["restarts"]));
  if (s.contains("rtp_undecided") && s["rtp_undecided"].is_number() && s["rtp_undecided"] != 0) {
    line += "  restart undecided (its numbers jumped and went on, its timestamps do not tell an outage from a "
            "restart: its loss is unknown)";
  }
  if (!s["too_late"].is_null() && s["too_late"] != 0) {
    line += fmt::format("  too late {} (over the window behind, in reordered; their numbers stay lost)",
                        text(s["too_late"]));
  }
  if (!s["clock_errors"].is_null() && s["clock_errors"] != 0) {
    line += fmt::format("  clock errors {} (send times over 60 s off, 1 s from the stream's latency or out of step "
                        "with its other send times, left out of latency and jitter)",
                        text(s["clock_errors"]));
  }
  if (!s["length_errors"].is_null() && s["length_errors"] != 0) {
    line += fmt::format("  length errors {} (not trusted)", text(s["length_errors"]));
  }
  if (s.contains("timestamp_steps") && s["timestamp_steps"].is_number() && s["timestamp_steps"] != 0) {
    line += fmt::format("  timestamp steps {} (RTP timestamps that stepped over 1 s against the arrivals, left out of "
                        "the jitter)",
                        text(s["timestamp_steps"]));
  }
  line += fmt::format("  ttl {}{} tos {}{}", text(s["ttl"]), ttl_range_text(s),
                      s["tos"].is_null() ? "-" : tos_text(s["tos"].get<int>()), tos_values_text(s));
  if (!s["latency_ns"].is_null()) {
    const auto& l = s["latency_ns"];
    line += fmt::format("  latency min {} p50 {} p99 {} max {}", duration_text(l["min"].get<double>()),
                        duration_text(l["p50"].get<double>()), duration_text(l["p99"].get<double>()),
                        duration_text(l["max"].get<double>()));
    // A send time after the arrival: the sender's clock is ahead of this
    // host's by at least -min (a latency is arrival minus send time as the
    // two clocks read them; one host's clock alone cannot do this).
    if (l.contains("negative") && l["negative"] != 0) {
      line += fmt::format(" ({} below 0: the sender's clock is ahead of this host's by at least {}; latency across "
                          "hosts needs their clocks in step, e.g. by PTP)",
                          text(l["negative"]), duration_text(-l["min"].get<double>()));
    } else if (l["min"].get<double>() >= clock_behind_hint_ns) {
      // A second or more on the way for every datagram: a sender's clock
      // behind this host's reads so, as one ahead reads below 0 (trial20k 9).
      line += fmt::format(" (every one {} or more: more likely the sender's clock behind this host's by up to {} "
                          "than a path that slow; latency across hosts needs their clocks in step, e.g. by PTP)",
                          duration_text(clock_behind_hint_ns), duration_text(l["min"].get<double>()));
    }
  }
  // Unknown (nothing compared) is "-", never 0, where the payload measures
  // one (trial20q 2).
  if (!s["jitter_ns"].is_null()) {
    line += fmt::format("  jitter {}", duration_text(s["jitter_ns"].get<double>()));
  } else if (payload == "mcnet" || payload == "rtp") {
    line += "  jitter -";
  }
  line += assumed_clock_text(s);
  line += given_clock_text(s);
  if (!s["first_packet_ms"].is_null()) line += fmt::format("  first after {:.1f} ms", s["first_packet_ms"].get<double>());
  return line;
}

}  // namespace mcnet::tools
