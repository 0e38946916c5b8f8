// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <mcnet/tools/report.hpp>

#include <net/if.h>

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include <mcnet/feed/saturating.hpp>

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
  if (index == 0) return {{"name", nullptr}, {"index", nullptr}};
  return {{"name", name.empty() ? json(nullptr) : json(name)}, {"index", index}};
}

namespace {

json or_null(bool known, const json& value) { return known ? value : json(nullptr); }

double rate(double amount, double seconds) { return seconds > 0 ? amount / seconds : 0.0; }

json latency_json(const stream_key& k, const stream& s) {
  if (k.foreign || s.latency.count() == 0) return nullptr;
  return {{"min", s.latency.min()}, {"p50", s.latency.percentile(0.5)}, {"p99", s.latency.percentile(0.99)},
          {"max", s.latency.max()}};
}

}  // namespace

std::int64_t lost_delta(std::uint64_t now, std::uint64_t before) noexcept {
  auto clamp = [](std::uint64_t v) { return static_cast<std::int64_t>(std::min<std::uint64_t>(v, INT64_MAX)); };
  return feed::saturating_sub(clamp(now), clamp(before));
}

totals totals_of(const stream_key& key, const stream& s) noexcept {
  totals t{s.packets, s.bytes, 0, 0, 0};
  if (!key.foreign) {
    t.lost = s.sequence.lost();
    t.reordered = s.sequence.reordered();
    t.duplicates = s.sequence.duplicates();
  }
  return t;
}

json stream_json(const stream_key& k, const stream& s, double seconds, const json& iface) {
  const bool h = !k.foreign;
  return {{"group", k.group.to_string()},
          {"port", k.port},
          {"source", k.source.to_string()},
          {"sender_id", or_null(h, k.sender_id)},
          {"session", or_null(h, k.session)},
          {"interface", iface},
          {"packets", s.packets},
          {"bytes", s.bytes},
          {"rate_pps", rate(static_cast<double>(s.packets), seconds)},
          {"rate_bps", rate(static_cast<double>(s.bytes) * 8, seconds)},
          {"lost", or_null(h, s.sequence.lost())},
          {"reordered", or_null(h, s.sequence.reordered())},
          {"duplicates", or_null(h, s.sequence.duplicates())},
          {"ttl", or_null(s.ttl >= 0, s.ttl)},
          {"tos", or_null(s.tos >= 0, s.tos)},
          {"latency_ns", latency_json(k, s)},
          {"jitter_ns", or_null(h && s.sequence.received() > 0, s.interarrival.value_ns())},
          {"first_packet_ms", s.first_packet_ms ? json(*s.first_packet_ms) : json(nullptr)}};
}

json stream_delta_json(const stream_key& k, const stream& s, totals& before, double seconds, const json& iface) {
  auto j = stream_json(k, s, seconds, iface);
  const auto now = totals_of(k, s);
  j["packets"] = now.packets - before.packets;
  j["bytes"] = now.bytes - before.bytes;
  j["rate_pps"] = rate(static_cast<double>(now.packets - before.packets), seconds);
  j["rate_bps"] = rate(static_cast<double>(now.bytes - before.bytes) * 8, seconds);
  if (!k.foreign) {
    // Lost may shrink when late datagrams fill gaps counted before.
    j["lost"] = lost_delta(now.lost, before.lost);
    j["reordered"] = now.reordered - before.reordered;
    j["duplicates"] = now.duplicates - before.duplicates;
  }
  before = now;
  return j;
}

json totals_json(const totals& t, std::uint64_t kernel_drops) {
  return {{"packets", t.packets}, {"bytes", t.bytes}, {"lost", t.lost}, {"reordered", t.reordered},
          {"duplicates", t.duplicates}, {"kernel_drops", kernel_drops}};
}

json packet_json(const packet_view& p, const accounted& a, const json& iface) {
  json j{{"event", "packet"},
         {"time", p.time},
         {"source", p.source.to_string()},
         {"group", p.group.to_string()},
         {"port", p.port},
         {"interface", iface},
         {"size", p.size},
         {"seq", a.header ? json(a.header->sequence) : json(nullptr)},
         {"ttl", or_null(p.ttl >= 0, p.ttl)},
         {"tos", or_null(p.tos >= 0, p.tos)},
         {"latency_ns", a.latency_ns ? json(*a.latency_ns) : json(nullptr)}};
  if (a.is_end()) j["end"] = true;
  return j;
}

std::string packet_text(const packet_view& p, const accounted& a, const std::string& iface_name) {
  std::string what;
  if (a.is_end()) {
    what = fmt::format("END after {}", a.header->sequence);
  } else if (a.header) {
    what = fmt::format("seq {} id {} session {}", a.header->sequence, a.header->sender_id, a.header->session);
  } else {
    what = "foreign";
  }
  auto known = [](int v) { return v >= 0 ? std::to_string(v) : std::string("-"); };
  return fmt::format("{:.6f} {} -> {} on {} {} bytes ttl {} tos {} {}{}", p.time, p.source.to_string(),
                     core::endpoint(p.group, p.port).to_string(), iface_name.empty() ? "-" : iface_name, p.size,
                     known(p.ttl), known(p.tos), what, a.latency_ns ? fmt::format(" latency {} ns", *a.latency_ns) : "");
}

namespace {

// The CSV columns after event and time: the stream fields, nested ones flattened.
constexpr std::array<const char*, 21> columns{
    "group",    "port",     "source",    "sender_id",      "session",        "interface_name", "interface_index",
    "packets",  "bytes",    "rate_pps",  "rate_bps",       "lost",           "reordered",      "duplicates",
    "ttl",      "tos",      "latency_min_ns", "latency_p50_ns", "latency_p99_ns", "latency_max_ns", "jitter_ns"};

std::string cell(const json& v) {
  if (v.is_null()) return "";
  if (v.is_string()) {
    // Addresses and interface names need no quoting; quote anything else RFC 4180-style.
    const auto s = v.get<std::string>();
    if (s.find_first_of(",\"\n") == std::string::npos) return s;
    std::string q = "\"";
    for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
  }
  if (v.is_number_float()) return fmt::format("{:.3f}", v.get<double>());
  return v.dump();
}

json column_value(const json& stream, std::string_view name) {
  if (name == "interface_name") return stream["interface"]["name"];
  if (name == "interface_index") return stream["interface"]["index"];
  if (name.starts_with("latency_")) {
    const auto& l = stream["latency_ns"];
    if (l.is_null()) return nullptr;
    return l[std::string(name.substr(8, name.size() - 8 - 3))];
  }
  return stream[std::string(name)];
}

}  // namespace

std::string csv_header() {
  std::string h = "event,time";
  for (const char* c : columns) h += std::string(",") + c;
  return h + ",first_packet_ms\n";
}

std::string csv_row(const char* event, double time, const json& stream) {
  std::string row = fmt::format("{},{:.6f}", event, time);
  for (const char* c : columns) row += "," + cell(column_value(stream, c));
  return row + "," + cell(stream["first_packet_ms"]) + "\n";
}

std::string stream_text(const json& s) {
  auto text = [](const json& v) { return v.is_null() ? std::string("-") : v.is_string() ? v.get<std::string>() : v.dump(); };
  const bool foreign = s["sender_id"].is_null();
  const auto group = text(s["group"]);
  const auto where = group.find(':') == std::string::npos ? group + ":" + text(s["port"])
                                                          : "[" + group + "]:" + text(s["port"]);
  std::string line = fmt::format("  {} from {} {} on {}: {} packets {} bytes {:.0f} pps", where, text(s["source"]),
                                 foreign ? std::string("(foreign)")
                                         : fmt::format("id {} session {}", text(s["sender_id"]), text(s["session"])),
                                 text(s["interface"]["name"]), text(s["packets"]), text(s["bytes"]),
                                 s["rate_pps"].get<double>());
  if (!foreign) {
    line += fmt::format("  lost {} reordered {} duplicates {}", text(s["lost"]), text(s["reordered"]),
                        text(s["duplicates"]));
  }
  line += fmt::format("  ttl {} tos {}", text(s["ttl"]), text(s["tos"]));
  if (!s["latency_ns"].is_null()) {
    const auto& l = s["latency_ns"];
    line += fmt::format("  latency us min {:.1f} p50 {:.1f} p99 {:.1f} max {:.1f}", l["min"].get<double>() / 1e3,
                        l["p50"].get<double>() / 1e3, l["p99"].get<double>() / 1e3, l["max"].get<double>() / 1e3);
  }
  if (!s["jitter_ns"].is_null()) line += fmt::format("  jitter {:.1f} us", s["jitter_ns"].get<double>() / 1e3);
  if (!s["first_packet_ms"].is_null()) line += fmt::format("  first after {:.1f} ms", s["first_packet_ms"].get<double>());
  return line;
}

}  // namespace mcnet::tools
