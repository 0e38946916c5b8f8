// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// mcast-recv's reports in the three forms docs/tools.md fixes: JSON Lines
/// (docs/mcast-tools.schema.json), CSV and text. A stream becomes one JSON
/// object; CSV rows and text lines are made from that object, so the three
/// never disagree. Interval reports carry deltas since the previous one.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include <mcnet/core/endpoint.hpp>
#include <mcnet/tools/stream_table.hpp>

namespace mcnet::tools {

struct send_settings;

/// Interface names by index, asked once per index (if_indextoname in the
/// calling thread's namespace); "" when the index is unknown.
class interface_names {
 public:
  [[nodiscard]] const std::string& name(std::uint32_t index);

 private:
  std::map<std::uint32_t, std::string> cache_;
};

/// A JSON object built member by member, in order, into members reserved
/// at once and without a lookup per key (each key must be new): for objects
/// made by the thousand (a stream's object per stream per report, a start
/// event's group per membership). Built from an initializer list a
/// stream's object took ~150 allocations (a two-element array per member,
/// its key as a JSON string), which the allocator served ever slower as
/// the heap of the stream table grew (trial h16r 7).
class object_builder {
 public:
  explicit object_builder(std::size_t members) { object().reserve(members); }
  object_builder& operator()(const char* key, nlohmann::ordered_json value) {
    object().emplace_back(key, std::move(value));
    return *this;
  }
  [[nodiscard]] nlohmann::ordered_json take() { return std::move(j_); }

 private:
  nlohmann::ordered_json::object_t& object() { return j_.get_ref<nlohmann::ordered_json::object_t&>(); }
  nlohmann::ordered_json j_ = nlohmann::ordered_json::object();
};

/// {"name", "index"}; both null for index 0 (unknown / the kernel's choice).
[[nodiscard]] nlohmann::ordered_json interface_json(std::uint32_t index, const std::string& name);

/// The datagrams a stream's rate counts and the seconds they came in
/// (`rate_span_s`), so rate = first / second: stream::arrivals' rate()
/// (clump_clock, clumps by starts_clump()). With c >= 2 clumps, the
/// N - n_last datagrams before the last clump (n_last its datagrams) over
/// the span from the first arrival to the start of the last clump, a
/// measured span. Exact for k bursts of B every T (B/T, whatever the last
/// burst's size, however it was cut apart) and for an evenly paced stream
/// (N-1 over N-1 intervals); clumps added before the last (a cut first
/// burst, a catch-up split in many) change nothing; a sender that sends
/// without pause reads near N over its span (no clump lasts longer than a
/// quarter of the gap before it). Its costs: a stall whose catch-up is the last clump reads
/// the rate before the stall; late datagrams bunched at the very end read a
/// little low. When the whole stream is one clump (one datagram, one burst,
/// a stream faster than one datagram per 100 us), N-1 from the first to the
/// latest datagram. The span is 0 for one datagram (or arrivals in one
/// nanosecond).
[[nodiscard]] std::pair<double, double> stream_rate(const stream& s) noexcept;

/// A stream's totals since it began. Its rates are over its active period
/// (stream_rate(), `rate_span_s`), not over the receiver's run: a sender
/// that starts late or stops early shows the rate it sent at; null when
/// the span is 0. `conflict`: the table's verdict on it
/// (stream_table::conflicts()); without one, what its own datagrams show
/// (conflict_of()). Its `"conflict"` is null when nothing contests it.
[[nodiscard]] nlohmann::ordered_json stream_json(const stream_key& key, const stream& s,
                                                 const nlohmann::ordered_json& iface,
                                                 const sender_conflict* conflict = nullptr);

/// The summary's `worst_stream`: the stream with the highest loss ratio,
/// the one --max-loss holds to its limit (stream_table::worst_loss()), with
/// `evicted`: it left the table (its stream object is not in the summary's
/// `streams`), its figures those it had then; `contested`: its numbers came
/// from more than one sender (its ratio is not its feed's loss).
[[nodiscard]] nlohmann::ordered_json worst_stream_json(const stream_key& key, double ratio, bool evicted,
                                                       bool unresumed = false, bool contested = false);
/// A stream named for a message: "GROUP:PORT from SOURCE" and its id within
/// them (sender id and session, the MoldUDP64 session, the RTP SSRC).
[[nodiscard]] std::string stream_name(const stream_key& key);

/// A stream's counters since `before` (an interval report), the rates over
/// the interval's `seconds` (`rate_span_s`). `before` is updated to the
/// stream's current totals. Its lost is the loss decided (lost less
/// lost_in_doubt()): a claim still in doubt shows once it stands, never as
/// a loss that a later report takes back. `conflict` as stream_json()'s
/// (the stream's so far, not a delta).
[[nodiscard]] nlohmann::ordered_json stream_delta_json(const stream_key& key, const stream& s, totals& before, double seconds,
                                               const nlohmann::ordered_json& iface,
                                               const sender_conflict* conflict = nullptr);

/// Change of a lost count between reports (negative when late datagrams
/// filled gaps), clamped: hostile sequence numbers can make counts near 2^64.
/// Also the change of jumps and restarts, which shrink when a number held
/// is counted later (followed, proven) or a far claim is taken back.
[[nodiscard]] std::int64_t lost_delta(std::uint64_t now, std::uint64_t before) noexcept;

/// The `total` object of a report.
[[nodiscard]] nlohmann::ordered_json totals_json(const totals& t, std::uint64_t kernel_drops);
/// Whether every datagram of `t` lacked a sequence number (and there were
/// some): its loss is unknown, `"lost"` null and `-` in text.
[[nodiscard]] bool loss_unknown(const totals& t) noexcept;


/// `packet` event (--show-packets) for one datagram.
struct packet_view {
  double time = 0;  ///< kernel receive time when timestamps are on, else wall clock
  core::ip_address source{};
  core::ip_address group{};
  std::uint16_t port = 0;
  std::size_t size = 0;
  int ttl = -1;
  int tos = -1;
  std::uint32_t interface_index = 0;
  std::string line{};  ///< the name of the --line whose group and port it came to; empty when none
};
[[nodiscard]] nlohmann::ordered_json packet_json(const packet_view& p, const accounted& a, const nlohmann::ordered_json& iface);
/// The same packet as one line of text.
[[nodiscard]] std::string packet_text(const packet_view& p, const accounted& a, const std::string& iface_name);

/// CSV: the header line, and one row for a stream object of a report
/// (`event` is "interval" or "summary"). Nulls are empty cells.
[[nodiscard]] std::string csv_header();
[[nodiscard]] std::string csv_row(const char* event, double time, const nlohmann::ordered_json& stream);

/// The ECN field of a TOS byte (its low two bits) by RFC 3168's names
/// (section 5): "Not-ECT", "ECT(1)", "ECT(0)", "CE".
[[nodiscard]] const char* ecn_name(std::uint8_t tos) noexcept;

/// A TOS byte / IPv6 traffic class for people: the byte in hex, then its
/// DSCP by name (RFC 2474 class selectors, RFC 2597 AF, RFC 3246 EF, RFC
/// 5865 VA, RFC 8622 LE) or number, and the ECN codepoint when it is not
/// Not-ECT: 0xb8 is "0xb8 (ef)", 0xb9 "0xb9 (ef, ECT(1))", 0x14 "0x14
/// (dscp 5)". Negative (not known): "-".
[[nodiscard]] std::string tos_text(int tos);

/// What mcast-send sends with, for its JSON start event (`"settings"`,
/// docs/tools.md): ttl, tos (the byte), dscp (name or number), ecn, loop,
/// rate_pps and rate_bps of UDP payload over all groups (null unpaced), burst,
/// count per group and duration_s (null when not given), batch.
[[nodiscard]] nlohmann::ordered_json send_settings_json(const send_settings& s);
/// The same in one start line: "ttl 1, tos 0xb8 (ef), loop on, 1000 pps
/// (800 kbit/s) over all groups, 1000 datagrams per group"; with --replay the
/// first three only.
[[nodiscard]] std::string send_settings_text(const send_settings& s);

/// A rate for people: "1000 pps", "2.5 pps", "0.250 pps"; "- pps" for null.
[[nodiscard]] std::string packet_rate_text(const nlohmann::ordered_json& pps);
/// `n` and a noun, singular for 1: "1 packet", "0 packets", "2 packets".
[[nodiscard]] std::string count_text(std::uint64_t n, std::string_view singular, std::string_view plural);
/// The names as a list for people: "a", "a and b", "a, b and c"; past 8
/// the first 8 and how many more ("a, ..., h and 292 more"): one line
/// for 300 throw-away interfaces or 3,000 groups, where JSON keeps every
/// name (trial t15r4 L3).
[[nodiscard]] std::string names_and(const std::vector<std::string>& v);
/// Interface names as prose lists the choices: "a", "a or b", "a, b or c",
/// each through text_name().
[[nodiscard]] std::string names_or_text(const std::vector<std::string>& names);
/// Groups (addresses as text) as names_and() lists them, except that past
/// 8, consecutive ones (next_group()) are written as ranges, "239.4.0.1
/// to 239.4.11.184 (3000 consecutive groups)", up to 8 of them and then how
/// many more groups (trial t15r11 L6: "239.4.0.1, ... and 2992 more"
/// named 8 of 3,000); names_and() when one does not parse as an address.
[[nodiscard]] std::string groups_and(const std::vector<std::string>& groups);

/// A percentage compared with `limit` (both in percent), without the "%",
/// with digits enough to show which side of the limit it is on: two
/// decimals ("9.09"), three significant digits below 1 ("0.00333", 1 of
/// 30,000), and more while the figure would otherwise read as the limit or
/// past it ("5.0004" against 5, not "5.00"); at most 12 decimals.
[[nodiscard]] std::string percent_text(double percent, double limit);
/// `ns` nanoseconds as text in the unit that fits, with three significant
/// digits: "850 ns", "12.3 us", "1.50 ms", "2.00 s" (negative latencies keep
/// their sign).
[[nodiscard]] std::string duration_text(double ns);
/// A span of `s` seconds as stream lines and interval headers say it:
/// three decimals in seconds from 0.9995 s (and 0), else duration_text()
/// ("1.039 s", "963 ms", "50.0 us").
[[nodiscard]] std::string span_text(double s);
/// A bit rate with SI units, three significant digits: "800 kbit/s",
/// "1.50 Mbit/s", "12.3 Gbit/s"; "- bit/s" for null.
[[nodiscard]] std::string bit_rate_text(const nlohmann::ordered_json& bps);

/// A joined channel of the summary (a start event `groups` object with
/// `packets`, `first_packet_ms` and, when it has them, `rate_pps`,
/// `rate_bps`, `end_markers` and `end_marker_sources`) as one line of
/// text: "239.1.1.1:5000 on eth0 include 10.77.0.1: 0 packets, first
/// packet none, 3 END markers of streams never seen from 10.77.0.1",
/// "239.1.1.1:5000 on eth1: 100 packets 100 pps 80.0 kbit/s, first packet
/// after 3.2 ms".
[[nodiscard]] std::string channel_text(const nlohmann::ordered_json& channel);
/// A channel (as channel_text takes it) named: "GROUP:PORT on IFACE"
/// ("[GROUP]:PORT" for IPv6, "-" for an interface without a name), then
/// " include S1,S2" or " exclude S1" unless its mode is any.
[[nodiscard]] std::string channel_name(const nlohmann::ordered_json& channel);
/// A channel's "GROUP:PORT" ("[GROUP]:PORT" for IPv6), channel_name()'s start.
[[nodiscard]] std::string channel_where(const nlohmann::ordered_json& channel);
/// Whether `b` is the group right after `a` (the address plus 1, one family).
[[nodiscard]] bool next_group(const core::ip_address& a, const core::ip_address& b) noexcept;
/// `channels` in the order runs of them read best: those of one join
/// (interface, mode and sources) together, in the order each join first
/// appears, each join's in the order given (stable). Channels come sorted
/// by group; two SSM sources of the same groups interleave there, and no
/// run formed (trial t20r F6: 232.1.1.1-3 of two sources, six single lines,
/// before the 297 groups of one).
void order_by_join(std::vector<const nlohmann::ordered_json*>& channels);
/// A run of channels (as channel_text takes them) of consecutive groups:
/// [first, first + count) of the channels given.
struct channel_run {
  std::size_t first = 0;
  std::size_t count = 0;
};
/// The channels in runs, in the order given: a channel joins the run
/// before it when its group is the next (next_group()) after the run's
/// last, and its port, interface, mode and sources are the run's, and
/// `same` (when given) says yes to it beside the run's first; else it
/// starts a run (trial20q 6: one +300 spec, 299 silent channels).
[[nodiscard]] std::vector<channel_run> channel_runs(
    std::span<const nlohmann::ordered_json* const> channels,
    const std::function<bool(const nlohmann::ordered_json&, const nlohmann::ordered_json&)>& same = {});
/// A run of channels named: channel_name() of its first for one, else
/// "GROUP:PORT to GROUP:PORT on IFACE" and the mode and sources as
/// channel_name() gives them ("239.1.1.2:5000 to 239.1.1.30:5000 on eth0").
[[nodiscard]] std::string channel_run_name(const nlohmann::ordered_json& first, const nlohmann::ordered_json& last);
/// The channel's END markers of streams never seen, as channel_text ends
/// with them: ", 3 END markers of streams never seen from 10.77.0.1";
/// empty when it has none (or no `end_markers`).
[[nodiscard]] std::string end_markers_text(const nlohmann::ordered_json& channel);
/// The same channel as a CSV row in the stream columns: group, port,
/// interface, packets, bytes (0 when nothing came, else empty: not
/// counted per channel), rate_pps and rate_bps (empty without a rate),
/// first_packet_ms, join_mode and join_sources, end_markers and
/// end_marker_sources (space-separated) when it has them; the other cells empty.
[[nodiscard]] std::string channel_csv_row(const char* event, double time, const nlohmann::ordered_json& channel);

/// An evicted feed of the summary (an `evicted_feeds` object) as a CSV row
/// in the stream columns, event `evicted`: group, port, source, sender_id,
/// session, ssrc, payload, packets, bytes, lost, reordered, duplicates and
/// jumps as it left; the other cells empty (trial20q 4: the CSV had no row
/// for it, and its rows did not add up to the datagrams that came).
[[nodiscard]] std::string evicted_feed_csv_row(double time, const nlohmann::ordered_json& feed);

/// A stream's `"conflict"` (null when nothing contests it): `evidence`,
/// the kinds that contest it ("copies", "ports", "sources"), and each
/// kind's count: `differing_copies`, `port_returns`, `other_sources`.
[[nodiscard]] nlohmann::ordered_json conflict_json(const stream_key& key, const stream& s,
                                                   const sender_conflict* conflict);

/// A stream object of a report as one line of text.
[[nodiscard]] std::string stream_text(const nlohmann::ordered_json& stream);

}  // namespace mcnet::tools
