// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// mcast-recv --metrics-file without root: the Prometheus text format as
// written (every metric, its HELP and TYPE lines, the order, label escaping,
// values left out where the summary has null, streams sharing labels added
// up), promtool's lint on it, the series against the summary's stream
// objects, the path checks made before any join, the atomic write, and when
// a receive session writes the file on a fake clock. Then end to end in
// namespace LANs (NetMetricsE2e): the built mcast-recv's file, read over and
// over while mcast-send (with loss injected) runs, is whole at every read,
// its counters only grow, promtool accepts it, and at the end its counters
// are the JSON summary's; a foreign sender's stream has no loss or latency
// series; a bad path is exit 1 before any join.

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include <mcnet/core/message.hpp>
#include <mcnet/feed/test_header.hpp>
#include <mcnet/tools/lines.hpp>
#include <mcnet/tools/metrics.hpp>
#include <mcnet/tools/receiver.hpp>
#include <mcnet/tools/report.hpp>

#include "e2e_run.hpp"
#include "lan.hpp"
#include "privilege.hpp"
#include "process.hpp"
#include "programs.hpp"
#include "tool_run.hpp"

namespace core = mcnet::core;
namespace tools = mcnet::tools;
namespace feed = mcnet::feed;
namespace test = mcnet::test;
namespace fs = std::filesystem;
using json = nlohmann::ordered_json;
using namespace std::chrono_literals;

namespace {

// A stream object as stream_json makes it, with the fields the metrics read.
json stream_object(const std::string& source, json lost, json latency, const std::string& iface = "eth0") {
  return {{"group", "239.1.2.3"}, {"port", 5000},  {"source", source}, {"sender_id", 1}, {"session", 2},
          {"interface", {{"name", iface}, {"index", 3}}},
          {"packets", 90}, {"bytes", 9000}, {"rate_pps", 0.0}, {"rate_bps", 0.0},
          {"lost", lost}, {"reordered", lost.is_null() ? json(nullptr) : json(2)},
          {"duplicates", lost.is_null() ? json(nullptr) : json(1)}, {"ttl", 1}, {"tos", 0},
          {"latency_ns", latency}, {"jitter_ns", nullptr}, {"first_packet_ms", nullptr}};
}

const json latency_50_99 = {{"min", 1000}, {"p50", 50000}, {"p99", 99000}, {"max", 120000}};
const core::kernel_time t0{std::chrono::seconds(1'700'000'000)};

std::string read_file(const fs::path& p) {
  std::ifstream f(p);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

// A private directory under the system's temporary directory, removed at the end.
struct temp_dir {
  fs::path path;
  temp_dir() {
    std::string t = (fs::temp_directory_path() / "mcnet-metrics-XXXXXX").string();
    if (::mkdtemp(t.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path = t;
  }
  ~temp_dir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  [[nodiscard]] std::vector<std::string> entries() const {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(path)) out.push_back(e.path().filename().string());
    return out;
  }
};

TEST(Metrics, LabelValuesAreEscapedAsTheFormatSays) {
  EXPECT_EQ(tools::escape_label_value("eth0"), "eth0");
  // A backslash of the value is doubled as text output doubles it (text_name),
  // then every backslash escaped for the format: a\b reads back as a\\b; a
  // newline or a tab from outside as text output shows it (\x0a, \x09:
  // text_name, trial t16z).
  EXPECT_EQ(tools::escape_label_value(R"(a\b"c)"
                                      "\nd"),
            R"(a\\\\b\"c\\x0ad)");
  // trial h16x: a raw ESC and the four characters \x1b came out alike
  // (\\x1b). Read back by the format's rules they are now \x1b (ESC, as
  // text output shows it) and \\x1b (the text).
  EXPECT_EQ(tools::escape_label_value("a\x1b"), R"(a\\x1b)");
  EXPECT_EQ(tools::escape_label_value(R"(a\x1b)"), R"(a\\\\x1b)");
  EXPECT_NE(tools::escape_label_value("a\x1b"), tools::escape_label_value(R"(a\x1b)"));
  EXPECT_EQ(tools::escape_label_value("\xe2\x80\xae"), R"(\\u202e)") << "U+202E as text shows it";
  EXPECT_EQ(tools::escape_label_value(R"(\u202e)"), R"(\\\\u202e)");
  EXPECT_EQ(tools::escape_label_value("\t\xc3\xa9 {}=,"), "\\\\x09\xc3\xa9 {}=,") << "nothing else is escaped";
  EXPECT_EQ(tools::escape_label_value(""), "");
  tools::metric_series_set set;
  set.add(stream_object("10.77.0.1", 0, nullptr, "we\"ird\\if\nname"), "mcnet", t0);
  const auto text = tools::metrics_text(set.series(), 0);
  EXPECT_NE(text.find(R"(interface="we\"ird\\\\if\\x0aname")"), std::string::npos) << text;
}

TEST(Metrics, EveryMetricInItsOrderWithHelpAndType) {
  tools::metric_series_set set;
  set.add(stream_object("10.77.0.1", 7, latency_50_99), "mcnet", t0 + 250ms);
  set.add(stream_object("10.77.0.2", nullptr, nullptr, ""), "raw", t0);
  const std::string a = R"({group="239.1.2.3",port="5000",source="10.77.0.1",interface="eth0",payload="mcnet"})";
  const std::string b = R"({group="239.1.2.3",port="5000",source="10.77.0.2",interface="",payload="raw"})";
  EXPECT_EQ(tools::metrics_text(set.series(), 4),
            "# HELP mcast_recv_packets_total Datagrams received per stream since mcast-recv started (duplicates "
            "included, END markers not).\n"
            "# TYPE mcast_recv_packets_total counter\n"
            "mcast_recv_packets_total" + a + " 90\n"
            "mcast_recv_packets_total" + b + " 90\n"
            "# HELP mcast_recv_bytes_total UDP payload bytes received per stream.\n"
            "# TYPE mcast_recv_bytes_total counter\n"
            "mcast_recv_bytes_total" + a + " 9000\n"
            "mcast_recv_bytes_total" + b + " 9000\n"
            "# HELP mcast_recv_lost_total Sequence numbers missing per stream; no sample for a payload without "
            "sequence numbers.\n"
            "# TYPE mcast_recv_lost_total counter\n"
            "mcast_recv_lost_total" + a + " 7\n"
            "# HELP mcast_recv_reordered_total Sequence numbers (MoldUDP64: messages) that arrived after a "
            "higher one; no sample without sequence numbers.\n"
            "# TYPE mcast_recv_reordered_total counter\n"
            "mcast_recv_reordered_total" + a + " 2\n"
            "# HELP mcast_recv_duplicates_total Sequence numbers (MoldUDP64: messages) that had already "
            "arrived; no sample without sequence numbers.\n"
            "# TYPE mcast_recv_duplicates_total counter\n"
            "mcast_recv_duplicates_total" + a + " 1\n"
            "# HELP mcast_recv_latency_seconds Kernel receive time minus the send time the payload carries, over "
            "the stream's life; no sample without a send time.\n"
            "# TYPE mcast_recv_latency_seconds summary\n"
            "mcast_recv_latency_seconds" + a.substr(0, a.size() - 1) + ",quantile=\"0.5\"} 5e-05\n"
            "mcast_recv_latency_seconds" + a.substr(0, a.size() - 1) + ",quantile=\"0.99\"} 9.9e-05\n"
            "# HELP mcast_recv_last_packet_timestamp_seconds Unix time of the stream's latest datagram (its kernel "
            "receive timestamp).\n"
            "# TYPE mcast_recv_last_packet_timestamp_seconds gauge\n"
            "mcast_recv_last_packet_timestamp_seconds" + a + " 1700000000.25\n"
            "mcast_recv_last_packet_timestamp_seconds" + b + " 1700000000\n"
            "# HELP mcast_recv_kernel_drops_total Datagrams the kernel dropped for mcast-recv's sockets: full receive "
            "buffers, bad UDP checksums (as counted when read), socket filter refusals; the summary's drop_causes "
            "tells them apart.\n"
            "# TYPE mcast_recv_kernel_drops_total counter\n"
            "mcast_recv_kernel_drops_total 4\n");
}

TEST(Metrics, UnknownValuesAreLeftOutNeverZero) {
  tools::metric_series_set set;
  // A foreign stream: no sequence numbers, no send time; and a stream that
  // has had only its END marker (no datagram counted, no last packet).
  set.add(stream_object("10.77.0.2", nullptr, nullptr), "raw", t0);
  auto ended = stream_object("10.77.0.3", 0, nullptr);
  ended["packets"] = 0;
  ended["bytes"] = 0;
  set.add(ended, "mcnet", std::nullopt);
  const auto text = tools::metrics_text(set.series(), 0);
  for (const char* absent : {R"(mcast_recv_lost_total{group="239.1.2.3",port="5000",source="10.77.0.2")",
                             R"(mcast_recv_reordered_total{group="239.1.2.3",port="5000",source="10.77.0.2")",
                             R"(mcast_recv_duplicates_total{group="239.1.2.3",port="5000",source="10.77.0.2")",
                             "mcast_recv_latency_seconds{",
                             R"(mcast_recv_last_packet_timestamp_seconds{group="239.1.2.3",port="5000",source="10.77.0.3")"}) {
    EXPECT_EQ(text.find(absent), std::string::npos) << absent << "\n" << text;
  }
  // What is known is there, 0 included where 0 is the count.
  EXPECT_NE(text.find(R"(mcast_recv_lost_total{group="239.1.2.3",port="5000",source="10.77.0.3",)"
                      R"(interface="eth0",payload="mcnet"} 0)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find(R"(mcast_recv_packets_total{group="239.1.2.3",port="5000",source="10.77.0.2",)"
                      R"(interface="eth0",payload="raw"} 90)"),
            std::string::npos)
      << text;
  // With no stream at all, every metric still has its HELP and TYPE.
  const auto empty = tools::metrics_text({}, 0);
  for (const char* name : {"packets_total", "bytes_total", "lost_total", "reordered_total", "duplicates_total",
                           "latency_seconds", "last_packet_timestamp_seconds", "kernel_drops_total"}) {
    EXPECT_NE(empty.find(std::string("# TYPE mcast_recv_") + name + " "), std::string::npos) << name;
  }
  EXPECT_TRUE(empty.ends_with("mcast_recv_kernel_drops_total 0\n")) << empty;
}

TEST(Metrics, StreamsSharingTheLabelsAddUp) {
  // A restarted sender: two sessions, one (group, port, source, interface, payload).
  tools::metric_series_set set;
  auto first = stream_object("10.77.0.1", 3, latency_50_99);
  auto second = stream_object("10.77.0.1", 4, {{"min", 1}, {"p50", 2000}, {"p99", 3000}, {"max", 4000}});
  second["packets"] = 10;
  set.add(second, "mcnet", t0 + 2s);
  set.add(first, "mcnet", t0 + 1s);
  ASSERT_EQ(set.series().size(), 1u);
  const auto& m = set.series()[0];
  EXPECT_EQ(m.packets, 100u);
  EXPECT_EQ(m.bytes, 18000u);
  EXPECT_EQ(m.lost, 7u);
  EXPECT_EQ(m.reordered, 4u);
  EXPECT_EQ(m.duplicates, 2u);
  EXPECT_EQ(m.last_packet_s, 1'700'000'002.0);
  EXPECT_EQ(m.latency_p50_s, 2e-6) << "the latest stream's percentiles, not a mix";
  EXPECT_EQ(m.latency_p99_s, 3e-6);
  // Another interface or payload is another series.
  set.add(stream_object("10.77.0.1", 0, nullptr, "eth1"), "mcnet", t0);
  set.add(stream_object("10.77.0.1", nullptr, nullptr), "raw", t0);
  EXPECT_EQ(set.series().size(), 3u);
  // Counts near 2^64 (hostile sequence numbers) saturate.
  tools::metric_series_set huge;
  huge.add(stream_object("10.77.0.9", UINT64_MAX - 1, nullptr), "mcnet", t0);
  huge.add(stream_object("10.77.0.9", 5, nullptr), "mcnet", t0);
  EXPECT_EQ(huge.series()[0].lost, UINT64_MAX);
}

// Datagrams with the header: `count` of session `session`, with a fault.
void feed_streams(tools::stream_table& table) {
  const auto group = core::ip_address::v4(239, 1, 2, 3);
  std::array<std::byte, 100> buf{};
  auto at = t0;
  for (std::uint64_t seq = 0; seq < 50; ++seq) {
    if (seq % 10 == 9) continue;  // lost
    for (int copy = 0; copy < (seq == 20 ? 2 : 1); ++copy) {
      feed::test_header h{.flags = 0, .sender_id = 9, .session = 1, .sequence = seq,
                           .send_time_ns = static_cast<std::uint64_t>(at.time_since_epoch().count()), .length = 100};
      ASSERT_TRUE(h.build(buf).has_value());
      table.add(group, 5000, core::ip_address::v4(10, 77, 0, 1), buf, at + 30us, 1, 0);
    }
    at += 1ms;
  }
  const std::array<std::byte, 12> foreign{};
  table.add(group, 5000, core::ip_address::v4(10, 77, 0, 2), foreign, at, 1, 0);
}

TEST(Metrics, SeriesOfATableEqualTheSummaryObjects) {
  tools::stream_table table;
  feed_streams(table);
  tools::interface_names names;
  const auto set = tools::collect_series(table, names);
  ASSERT_EQ(set.series().size(), 2u);
  std::size_t i = 0;
  for (const auto& [key, s] : table.streams()) {
    const auto j = tools::stream_json(key, s, tools::interface_json(0, ""));
    const auto& m = set.series()[i++];
    EXPECT_EQ(m.labels.source, j["source"]);
    EXPECT_EQ(m.labels.payload, key.foreign ? "raw" : "mcnet");
    EXPECT_EQ(m.labels.interface, "") << "index 0: unknown";
    EXPECT_EQ(json(m.packets), j["packets"]);
    EXPECT_EQ(json(m.bytes), j["bytes"]);
    EXPECT_EQ(m.lost ? json(*m.lost) : json(nullptr), j["lost"]);
    EXPECT_EQ(m.reordered ? json(*m.reordered) : json(nullptr), j["reordered"]);
    EXPECT_EQ(m.duplicates ? json(*m.duplicates) : json(nullptr), j["duplicates"]);
    if (j["latency_ns"].is_null()) {
      EXPECT_FALSE(m.latency_p50_s);
    } else {
      EXPECT_EQ(m.latency_p50_s, j["latency_ns"]["p50"].get<double>() / 1e9);
      EXPECT_EQ(m.latency_p99_s, j["latency_ns"]["p99"].get<double>() / 1e9);
    }
    ASSERT_TRUE(s.last_packet);
    const auto ns = s.last_packet->time_since_epoch().count();
    EXPECT_EQ(m.last_packet_s, static_cast<double>(ns / 1'000'000'000) + static_cast<double>(ns % 1'000'000'000) / 1e9);
  }
  const auto& with_header = set.series()[0];
  EXPECT_EQ(with_header.packets, 46u);
  EXPECT_EQ(with_header.lost, 4u) << "9, 19, 29, 39 (49 is past the highest seen)";
  EXPECT_EQ(with_header.duplicates, 1u);
  EXPECT_FALSE(set.series()[1].lost) << "foreign: unknown";
}

namespace {

// The "lines" object of a merge of two lines: 10 numbers, A missing 3 and
// 5, B missing 5; line names use all the characters a name may.
json lines_object() {
  auto lines = tools::parse_lines({"A=239.1.1.1:5000", "b-2_x=239.2.1.1:5000"}, "");
  if (!lines) return lines.error();
  auto m = tools::line_merge::make(*lines).value();
  for (std::uint64_t seq = 0; seq < 10; ++seq) {
    tools::accounted a;
    a.payload = tools::payload_kind::mcnet;
    a.sequence = seq;
    a.numbers = 1;
    a.header = feed::test_header{.sender_id = 1, .session = 2, .sequence = seq};
    const auto t = static_cast<std::int64_t>(seq) * 1000;
    if (seq != 3 && seq != 5) m.offer(0, a, t);
    if (seq != 5) m.offer(1, a, t + 100);
  }
  m.finish();
  return m.to_json();
}

}  // namespace

TEST(Metrics, TheLinesCountersAreTheLinesObjects) {
  const auto lines = lines_object();
  ASSERT_TRUE(lines.is_object()) << lines;
  EXPECT_EQ(lines["merged"]["lost"], 1) << "5, on neither line";
  const auto text = tools::metrics_text({}, 1, lines);
  const std::string tail = text.substr(text.find("# HELP mcast_recv_line_packets_total"));
  EXPECT_EQ(tail,
            "# HELP mcast_recv_line_packets_total Datagrams that came on each --line (end markers not counted).\n"
            "# TYPE mcast_recv_line_packets_total counter\n"
            "mcast_recv_line_packets_total{line=\"A\"} " + lines["A"]["packets"].dump() + "\n"
            "mcast_recv_line_packets_total{line=\"b-2_x\"} " + lines["b-2_x"]["packets"].dump() + "\n"
            "# HELP mcast_recv_line_gaps_total Sequence numbers of the merged feeds that each --line missed.\n"
            "# TYPE mcast_recv_line_gaps_total counter\n"
            "mcast_recv_line_gaps_total{line=\"A\"} " + lines["A"]["gaps"].dump() + "\n"
            "mcast_recv_line_gaps_total{line=\"b-2_x\"} " + lines["b-2_x"]["gaps"].dump() + "\n"
            "# HELP mcast_recv_merged_delivered_total Distinct sequence numbers the --line merge delivered "
            "(MoldUDP64: messages).\n"
            "# TYPE mcast_recv_merged_delivered_total counter\n"
            "mcast_recv_merged_delivered_total " + lines["merged"]["delivered"].dump() + "\n"
            "# HELP mcast_recv_merged_lost_total Sequence numbers missing on every --line, final.\n"
            "# TYPE mcast_recv_merged_lost_total counter\n"
            "mcast_recv_merged_lost_total " + lines["merged"]["lost"].dump() + "\n"
            "# HELP mcast_recv_merged_duplicates_dropped_total Copies the --line merge dropped because their number "
            "was delivered already.\n"
            "# TYPE mcast_recv_merged_duplicates_dropped_total counter\n"
            "mcast_recv_merged_duplicates_dropped_total " + lines["merged"]["duplicates_dropped"].dump() + "\n"
            "# HELP mcast_recv_kernel_drops_total Datagrams the kernel dropped for mcast-recv's sockets: full receive "
            "buffers, bad UDP checksums (as counted when read), socket filter refusals; the summary's drop_causes "
            "tells them apart.\n"
            "# TYPE mcast_recv_kernel_drops_total counter\n"
            "mcast_recv_kernel_drops_total 1\n");
  EXPECT_EQ(lines["A"]["packets"], 8);
  EXPECT_EQ(lines["A"]["gaps"], 2);
  EXPECT_EQ(lines["b-2_x"]["gaps"], 1);
  EXPECT_EQ(lines["merged"]["delivered"], 9);
  EXPECT_EQ(lines["merged"]["duplicates_dropped"], 8);
  EXPECT_EQ(tools::metrics_text({}, 1), tools::metrics_text({}, 1, nullptr)) << "nothing without --line";
  EXPECT_EQ(tools::metrics_text({}, 1).find("mcast_recv_line"), std::string::npos);
}

TEST(Metrics, PromtoolAcceptsTheFile) {
  MCNET_REQUIRE_PROGRAM(promtool, "promtool", "prometheus");
  tools::stream_table table;
  feed_streams(table);
  tools::interface_names names;
  auto set = tools::collect_series(table, names);
  set.add(stream_object("10.77.0.7", 0, latency_50_99, "odd \"name\"\\\n"), "mcnet", t0);
  // Trial20j 10: a joined channel that received nothing has its series too.
  set.add_silent(json::parse(R"({"group":"232.9.9.9","port":5000,"mode":"include","sources":["10.77.0.2"],)"
                             R"("interface":{"name":"eth0","index":2},"packets":0,"first_packet_ms":null})"));
  for (const auto& text : {tools::metrics_text(set.series(), 12), tools::metrics_text({}, 0),
                           tools::metrics_text(set.series(), 12, lines_object())}) {
    const auto r = test::run(nullptr, {promtool, "check", "metrics"}, text, 10s);
    EXPECT_TRUE(r.status.exited && r.status.code == 0) << r.output << "\n" << text;
  }
}

// Trial20j 10: text, JSON and CSV list a joined channel that received
// nothing; so does the metrics file: packets and bytes 0, the labels the
// channel's (its include source, or "" for any source), unknown counters
// left out.
TEST(Metrics, AJoinedChannelThatReceivedNothingHasItsSeries) {
  tools::metric_series_set set;
  set.add_silent(json::parse(R"({"group":"232.9.9.9","port":5000,"mode":"include","sources":["10.77.0.2"],)"
                             R"("interface":{"name":"eth0","index":2},"packets":0,"first_packet_ms":null})"));
  set.add_silent(json::parse(R"({"group":"239.1.1.9","port":6000,"mode":"any","sources":[],)"
                             R"("interface":{"name":"eth1","index":3},"packets":0,"first_packet_ms":null})"));
  const auto text = tools::metrics_text(set.series(), 0);
  EXPECT_NE(text.find("mcast_recv_packets_total{group=\"232.9.9.9\",port=\"5000\",source=\"10.77.0.2\","
                      "interface=\"eth0\",payload=\"\"} 0\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("mcast_recv_bytes_total{group=\"239.1.1.9\",port=\"6000\",source=\"\",interface=\"eth1\","
                      "payload=\"\"} 0\n"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("mcast_recv_lost_total{"), std::string::npos) << "unknown, not 0";
  EXPECT_EQ(text.find("mcast_recv_last_packet_timestamp_seconds{"), std::string::npos) << text;
}

TEST(Metrics, PathsAreCheckedBeforeAnyJoin) {
  temp_dir d;
  const auto file = (d.path / "mcast.prom").string();
  EXPECT_EQ(tools::check_metrics_path(file), std::nullopt);
  EXPECT_TRUE(d.entries().empty()) << "the probe leaves nothing behind, and the file is not made yet";
  EXPECT_EQ(tools::check_metrics_path(""), "--metrics-file: a file name is needed");
  EXPECT_EQ(tools::check_metrics_path(d.path.string() + "/nope/x.prom"),
            "--metrics-file " + d.path.string() + "/nope/x.prom: directory " + d.path.string() + "/nope does not exist");
  EXPECT_EQ(tools::check_metrics_path(d.path.string()), "--metrics-file " + d.path.string() + ": is a directory");
  EXPECT_EQ(tools::check_metrics_path(d.path.string() + "/"),
            "--metrics-file " + d.path.string() + "/: names a directory, not a file");
  // Root may write anywhere access(2) asks about; /sys refuses new files even to root.
  const auto sys = tools::check_metrics_path("/sys/mcnet-metrics.prom");
  ASSERT_TRUE(sys);
  EXPECT_EQ(sys->rfind("--metrics-file /sys/mcnet-metrics.prom: cannot create a file in directory /sys: ", 0), 0u)
      << *sys;
  EXPECT_EQ(tools::check_metrics_path("/dev/null"),
            "--metrics-file /dev/null: exists and is not a regular file (each write replaces it)");
  { std::ofstream(d.path / "plain") << "x"; }
  EXPECT_EQ(tools::check_metrics_path((d.path / "plain" / "x.prom").string()),
            "--metrics-file " + (d.path / "plain" / "x.prom").string() + ": " + (d.path / "plain").string() +
                " is not a directory");
  fs::create_symlink(d.path / "plain", d.path / "link.prom");
  EXPECT_EQ(tools::check_metrics_path((d.path / "link.prom").string()),
            "--metrics-file " + (d.path / "link.prom").string() +
                ": is a symbolic link (each write replaces the file: name the real path)");
  EXPECT_EQ(tools::check_metrics_path((d.path / "plain").string()), std::nullopt) << "an existing file is replaced";
  // The command line says the same, with exit 1 before anything else happens.
  const auto c = tools::parse_recv_command_line({"--metrics-file", d.path.string() + "/nope/x.prom", "239.1.1.1"});
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().message, *tools::check_metrics_path(d.path.string() + "/nope/x.prom"));
  const auto i = tools::parse_recv_command_line({"--interfaces", "--metrics-file", file});
  ASSERT_FALSE(i);
  EXPECT_EQ(i.error().message, "--metrics-file has nothing to write with --interfaces");
  const auto good = tools::parse_recv_command_line({"--metrics-file", file, "239.1.1.1"});
  ASSERT_TRUE(good) << good.error().message;
  EXPECT_EQ(good->settings.metrics_file, file);
  EXPECT_EQ(good->settings.metrics_period(), 10.0);
}

TEST(Metrics, TheFileIsReplacedWholeWithTheUmasksMode) {
  temp_dir d;
  const auto file = d.path / "mcast.prom";
  const auto old_mask = ::umask(022);
  EXPECT_EQ(tools::write_metrics_file(file.string(), "first\n"), std::nullopt);
  EXPECT_EQ(read_file(file), "first\n");
  struct stat st {};
  ASSERT_EQ(::stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0644u) << "readable by node_exporter's user";
  const std::string big(1 << 20, 'x');
  EXPECT_EQ(tools::write_metrics_file(file.string(), big), std::nullopt);
  EXPECT_EQ(read_file(file), big);
  EXPECT_EQ(d.entries(), std::vector<std::string>{"mcast.prom"}) << "no temporary file left";
  // A leftover temporary file of the same pid is replaced, not an error.
  const auto leftover = d.path / (".mcast.prom." + std::to_string(::getpid()) + ".tmp");
  { std::ofstream(leftover) << "stale"; }
  EXPECT_EQ(tools::write_metrics_file(file.string(), "third\n"), std::nullopt);
  EXPECT_EQ(read_file(file), "third\n");
  EXPECT_EQ(d.entries(), std::vector<std::string>{"mcast.prom"});
  ::umask(old_mask);
  // A directory that went away: the message names the option and the call.
  const auto e = tools::write_metrics_file((d.path / "gone" / "x.prom").string(), "x");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->rfind("--metrics-file: open ", 0), 0u) << *e;
  EXPECT_NE(e->find("No such file or directory"), std::string::npos) << *e;
}

// A receive session on a fake clock with --metrics-file.
struct session_fixture {
  temp_dir dir;
  tools::recv_settings settings;
  std::ostringstream out, err;
  std::chrono::steady_clock::time_point now{};
  std::uint64_t drops = 0;
  std::unique_ptr<tools::reporter> rep;
  tools::stream_table table;
  std::unique_ptr<tools::receive_session> session;

  fs::path file() const { return dir.path / "recv.prom"; }
  void start() {
    settings.metrics_file = file().string();
    rep = std::make_unique<tools::reporter>("mcast-recv", settings.format(), out, err);
    session = std::make_unique<tools::receive_session>(
        settings, *rep, table, [this] { return tools::socket_drops{.total = drops}; }, [this] { return now; });
    session->start();
  }
};

TEST(Metrics, ASessionWritesAtStartEveryTenSecondsAndAtTheEnd) {
  session_fixture f;
  f.settings.json_output = true;
  f.start();
  EXPECT_EQ(read_file(f.file()), tools::metrics_text({}, 0)) << "there from the start";
  feed_streams(f.table);
  f.drops = 3;
  f.now += 9900ms;
  EXPECT_FALSE(f.session->tick());
  EXPECT_EQ(read_file(f.file()), tools::metrics_text({}, 0)) << "not yet due";
  f.now += 100ms;
  EXPECT_FALSE(f.session->tick());
  tools::interface_names names;
  const auto after_ten = read_file(f.file());
  EXPECT_EQ(after_ten, tools::metrics_text(tools::collect_series(f.table, names).series(), 3));
  EXPECT_TRUE(test::tools::json_lines(f.out.str()).size() == 0) << "no interval report without --interval";
  f.drops = 5;
  f.now += 1s;
  f.session->summary();
  const auto final_text = read_file(f.file());
  EXPECT_EQ(final_text, tools::metrics_text(tools::collect_series(f.table, names).series(), 5));
  // Its counters are the summary's.
  const auto events = test::tools::json_lines(f.out.str());
  const auto* summary = test::tools::find_event(events, "summary");
  ASSERT_NE(summary, nullptr);
  EXPECT_NE(final_text.find(R"(mcast_recv_packets_total{group="239.1.2.3",port="5000",source="10.77.0.1",)"
                            R"(interface="",payload="mcnet"} )" +
                            (*summary)["streams"][0]["packets"].dump() + "\n"),
            std::string::npos)
      << final_text;
  EXPECT_NE(final_text.find("mcast_recv_kernel_drops_total " + (*summary)["total"]["kernel_drops"].dump() + "\n"),
            std::string::npos);
  EXPECT_TRUE(f.err.str().empty()) << f.err.str();
}

TEST(Metrics, ASessionWithLinesWritesTheSummarysLineCounters) {
  session_fixture f;
  f.settings.json_output = true;
  auto lines = tools::parse_lines({"A=239.1.1.1:5000", "B=239.2.1.1:5000"}, "");
  ASSERT_TRUE(lines.has_value()) << lines.error();
  f.settings.lines = *lines;
  f.start();
  // 20 numbers: A misses every 4th, B every 5th (19 on both).
  std::deque<std::array<std::byte, 100>> buffers;
  std::vector<core::message> batch;
  for (std::uint64_t seq = 0; seq < 21; ++seq) {
    for (const auto& to : {core::ip_address::v4(239, 1, 1, 1), core::ip_address::v4(239, 2, 1, 1)}) {
      const bool on_a = to == core::ip_address::v4(239, 1, 1, 1);
      const bool end = seq == 20;
      if (!end && (on_a ? (seq + 1) % 4 == 0 : (seq + 1) % 5 == 0)) continue;
      auto& buf = buffers.emplace_back();
      // The length field is the datagram's size, the END's too (a lying one
      // is a length error: its count is not believed).
      feed::test_header h{.flags = end ? feed::test_header::flag_end : std::uint8_t{0}, .sender_id = 1,
                          .session = 2, .sequence = seq, .send_time_ns = 1'000'000'000,
                          .length = end ? static_cast<std::uint32_t>(feed::test_header::size) : 100};
      ASSERT_TRUE(h.build(buf).has_value());
      core::message m{.buffer = buf, .size = end ? feed::test_header::size : 100};
      m.peer = core::endpoint(core::ip_address::v4(10, 77, 0, 1), 4000);
      m.info.destination = to;
      m.info.software_time =
          core::kernel_time(std::chrono::nanoseconds(static_cast<std::int64_t>(2'000'000'000 + seq * 1000 + (on_a ? 0 : 300))));
      batch.push_back(m);
    }
  }
  std::uint32_t drops_seen = 0;
  f.session->handle(batch, 5000, drops_seen);
  f.session->summary();
  const auto text = read_file(f.file());
  const auto events = test::tools::json_lines(f.out.str());
  const auto* summary = test::tools::find_event(events, "summary");
  ASSERT_NE(summary, nullptr) << f.out.str();
  const auto& l = (*summary)["lines"];
  EXPECT_EQ(l["merged"]["lost"], 1);
  for (const std::string name : {"A", "B"}) {
    for (const std::string key : {"packets", "gaps"}) {
      EXPECT_NE(text.find("mcast_recv_line_" + key + "_total{line=\"" + name + "\"} " + l[name][key].dump() + "\n"),
                std::string::npos)
          << text;
    }
  }
  EXPECT_NE(text.find("mcast_recv_merged_delivered_total " + l["merged"]["delivered"].dump() + "\n"), std::string::npos);
  EXPECT_NE(text.find("mcast_recv_merged_lost_total " + l["merged"]["lost"].dump() + "\n"), std::string::npos);
  EXPECT_NE(text.find("mcast_recv_merged_duplicates_dropped_total " + l["merged"]["duplicates_dropped"].dump() + "\n"),
            std::string::npos);
  EXPECT_EQ(l["A"]["gaps"], 5);
  EXPECT_EQ(l["B"]["gaps"], 4);
}

TEST(Metrics, ASessionWithIntervalWritesAtEachReport) {
  session_fixture f;
  f.settings.interval = 0.5;
  f.settings.quiet = true;
  f.start();
  feed_streams(f.table);
  f.now += 500ms;
  EXPECT_FALSE(f.session->tick());
  tools::interface_names names;
  EXPECT_EQ(read_file(f.file()), tools::metrics_text(tools::collect_series(f.table, names).series(), 0));
  // A write that fails warns once, the run goes on, and a later one recovers.
  fs::remove_all(f.dir.path);
  f.now += 500ms;
  EXPECT_FALSE(f.session->tick());
  f.now += 500ms;
  EXPECT_FALSE(f.session->tick());
  const auto warnings = f.err.str();
  EXPECT_EQ(warnings.find("mcast-recv: warning: --metrics-file: open "), 0u) << warnings;
  EXPECT_EQ(warnings.find("warning", 20), std::string::npos) << "one warning, not one per report: " << warnings;
  fs::create_directory(f.dir.path);
  f.now += 500ms;
  EXPECT_FALSE(f.session->tick());
  EXPECT_TRUE(fs::exists(f.file()));
}

// One exposition file as a reader sees it: samples by their series as
// written (name{labels}), or the first problem found.
struct exposition {
  std::map<std::string, double> samples;
  std::string problem;  // empty: whole and well-formed
};

exposition parse_exposition(const std::string& text) {
  exposition e;
  if (text.empty() || text.back() != '\n') {
    e.problem = "does not end with a line feed";
    return e;
  }
  std::istringstream in(text);
  std::set<std::string> typed;
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("# HELP ")) continue;
    if (line.starts_with("# TYPE ")) {
      typed.insert(line.substr(7, line.find(' ', 7) - 7));
      continue;
    }
    const auto space = line.rfind(' ');  // label values here hold no space
    if (space == std::string::npos) {
      e.problem = "not a sample: " + line;
      return e;
    }
    const auto series = line.substr(0, space), value = line.substr(space + 1);
    char* end = nullptr;
    const double v = std::strtod(value.c_str(), &end);
    if (value.empty() || *end != '\0') {
      e.problem = "not a number: " + line;
      return e;
    }
    if (!typed.count(series.substr(0, series.find('{')))) {
      e.problem = "a sample before its TYPE line: " + line;
      return e;
    }
    if (!e.samples.emplace(series, v).second) {
      e.problem = "a series twice: " + line;
      return e;
    }
  }
  if (!e.samples.count("mcast_recv_kernel_drops_total")) e.problem = "cut short: no mcast_recv_kernel_drops_total";
  return e;
}

// Reads `path` over and over (every 2 ms, at most 30 s) until stopped: every
// read must parse whole, and no counter may go down between reads.
class file_watcher {
 public:
  explicit file_watcher(std::string path) : path_(std::move(path)), thread_([this] { run(); }) {}
  ~file_watcher() { stop(); }
  file_watcher(const file_watcher&) = delete;
  file_watcher& operator=(const file_watcher&) = delete;

  void stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  // After stop(): what the reads found.
  [[nodiscard]] const std::vector<std::string>& problems() const { return problems_; }
  [[nodiscard]] std::size_t reads() const { return reads_; }
  [[nodiscard]] std::size_t versions() const { return versions_.size(); }
  [[nodiscard]] const std::set<double>& packet_counts() const { return packet_counts_; }

 private:
  void run() {
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    std::map<std::string, double> last;
    while (!stop_ && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(2ms);
      if (!fs::exists(path_)) continue;
      const auto text = read_file(path_);
      ++reads_;
      versions_.insert(text);
      const auto e = parse_exposition(text);
      if (!e.problem.empty()) {
        problems_.push_back(e.problem + "\n" + text);
        continue;
      }
      for (const auto& [series, value] : e.samples) {
        if (series.starts_with("mcast_recv_packets_total")) packet_counts_.insert(value);
        const auto name = series.substr(0, series.find('{'));
        const auto before = last.find(series);
        if (name.ends_with("_total") && before != last.end() && value < before->second) {
          problems_.push_back(series + " went down from " + std::to_string(before->second) + " to " +
                              std::to_string(value));
        }
        last[series] = value;
      }
    }
  }

  std::string path_;
  std::atomic<bool> stop_{false};
  std::vector<std::string> problems_;
  std::size_t reads_ = 0;
  std::set<std::string> versions_;
  std::set<double> packet_counts_;
  std::thread thread_;  // last: starts when everything it reads is there
};

double unix_now() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// `promtool check metrics` on `text`: its output, empty when it passed.
std::string promtool_problems(const std::string& promtool, const std::string& text) {
  const auto r = test::run(nullptr, {promtool, "check", "metrics"}, text, 10s);
  return r.status.exited && r.status.code == 0 ? std::string() : r.status.describe() + ": " + r.output;
}

std::string labels(const std::string& group, const std::string& port, const std::string& source,
                   const std::string& payload) {
  return "{group=\"" + group + "\",port=\"" + port + "\",source=\"" + source + "\",interface=\"eth0\",payload=\"" +
         payload + "\"}";
}

TEST(NetMetricsE2e, CountersEqualTheSummaryAndTheFileIsAlwaysWhole) {
  MCNET_REQUIRE_NETNS();
  MCNET_REQUIRE_PROGRAM(promtool, "promtool", "prometheus");
  auto net = test::network::lan(2);
  temp_dir dir;
  const auto file = (dir.path / "mcast.prom").string();
  const auto port = std::to_string(test::tools::free_port((*net)[1]));
  const std::string group = "239.255.93.1";
  const double started = unix_now();
  test::tools::receiver rx((*net)[1], {"-i", "eth0", "--rcvbuf", "4194304", "--force", "--interval", "0.05",
                                       "--metrics-file", file, group + ":" + port});
  ASSERT_TRUE(rx.joined()) << rx.output();
  file_watcher watcher(file);
  // 1000 datagrams in 0.5 s, every tenth not sent: about ten reports while it runs.
  test::tools::send((*net)[0], {"-i", "eth0", "-c", "1000", "-r", "2000pps", "--drop-every", "10",
                                group + ":" + port});
  const auto r = rx.finish_clean();
  watcher.stop();
  for (const auto& p : watcher.problems()) ADD_FAILURE() << p;
  EXPECT_GE(watcher.versions(), 5u) << "the file was replaced during the run (" << watcher.reads() << " reads)";
  EXPECT_TRUE(std::any_of(watcher.packet_counts().begin(), watcher.packet_counts().end(),
                          [](double v) { return v > 0 && v < 900; }))
      << "a read in the middle of the run";

  const auto text = read_file(file);
  EXPECT_EQ(promtool_problems(promtool, text), "") << text;
  const auto e = parse_exposition(text);
  ASSERT_EQ(e.problem, "") << text;
  const auto events = test::tools::json_lines(r.standard_output);
  const auto* summary = test::tools::find_event(events, "summary");
  ASSERT_NE(summary, nullptr) << r.output;
  const auto streams = test::tools::summary_streams(r.standard_output);
  ASSERT_EQ(streams.size(), 1u) << r.output;
  const auto& s = streams[0];
  const auto l = labels(group, port, (*net)[0].v4().to_string(), "mcnet");
  auto sample = [&e](const std::string& series) {
    const auto it = e.samples.find(series);
    return it == e.samples.end() ? nlohmann::json("<no sample " + series + ">") : nlohmann::json(it->second);
  };
  EXPECT_EQ(test::tools::field(s, "lost"), 100) << "loss injected";
  for (const char* counter : {"packets", "bytes", "lost", "reordered", "duplicates"}) {
    EXPECT_EQ(sample(std::string("mcast_recv_") + counter + "_total" + l), test::tools::field(s, counter)) << counter << "\n"
                                                                                                  << text;
  }
  EXPECT_EQ(sample("mcast_recv_kernel_drops_total"), test::tools::field((*summary)["total"], "kernel_drops"));
  const auto latency = test::tools::field(s, "latency_ns");
  ASSERT_TRUE(latency.is_object()) << s;
  const auto quantile = [&l](const char* q) { return "mcast_recv_latency_seconds" + l.substr(0, l.size() - 1) +
                                                     ",quantile=\"" + q + "\"}"; };
  EXPECT_EQ(sample(quantile("0.5")), latency["p50"].get<double>() / 1e9) << text;
  EXPECT_EQ(sample(quantile("0.99")), latency["p99"].get<double>() / 1e9) << text;
  const auto last = sample("mcast_recv_last_packet_timestamp_seconds" + l);
  ASSERT_TRUE(last.is_number()) << text;
  EXPECT_GE(last.get<double>(), started);
  EXPECT_LE(last.get<double>(), unix_now());
  EXPECT_EQ(e.samples.size(), 9u) << "one stream's 8 samples and the kernel drops\n" << text;
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"mcast.prom"}) << "no temporary file left";
}

TEST(NetMetricsE2e, AForeignStreamHasNoLossOrLatencySeries) {
  MCNET_REQUIRE_NETNS();
  MCNET_REQUIRE_PROGRAM(promtool, "promtool", "prometheus");
  MCNET_REQUIRE_PROGRAM(python, "python3", "python3");
  auto net = test::network::lan(3);
  temp_dir dir;
  const auto file = (dir.path / "mixed.prom").string();
  const auto port = std::to_string(test::tools::free_port((*net)[2]));
  const std::string group = "239.255.93.2";
  test::tools::receiver rx((*net)[2], {"-i", "eth0", "--metrics-file", file, group + ":" + port});
  ASSERT_TRUE(rx.joined()) << rx.output();
  const char* program = R"(
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(30):
    s.sendto(b'foreign %3d ' % i + b'.' * 20, (sys.argv[1], int(sys.argv[2])))
    time.sleep(0.001)
)";
  const auto py = (*net)[0].exec({python, "-c", program, group, port}, {}, 10s);
  ASSERT_TRUE(py.status.success()) << py.status.describe() << "\n" << py.output;
  test::tools::send((*net)[1], {"-i", "eth0", "-c", "20", "-r", "2000pps", group + ":" + port});
  const auto r = rx.finish_clean();
  const auto text = read_file(file);
  EXPECT_EQ(promtool_problems(promtool, text), "") << text;
  const auto e = parse_exposition(text);
  ASSERT_EQ(e.problem, "") << text;
  const auto raw = labels(group, port, (*net)[0].v4().to_string(), "raw");
  const auto mcnet = labels(group, port, (*net)[1].v4().to_string(), "mcnet");
  EXPECT_EQ(e.samples.count("mcast_recv_packets_total" + raw) ? e.samples.at("mcast_recv_packets_total" + raw) : -1,
            30)
      << text;
  EXPECT_EQ(e.samples.count("mcast_recv_bytes_total" + raw) ? e.samples.at("mcast_recv_bytes_total" + raw) : -1,
            30 * 32)
      << text;
  EXPECT_EQ(e.samples.count("mcast_recv_last_packet_timestamp_seconds" + raw), 1u) << text;
  for (const char* unknown : {"lost", "reordered", "duplicates"}) {
    EXPECT_EQ(e.samples.count(std::string("mcast_recv_") + unknown + "_total" + raw), 0u) << unknown << "\n" << text;
    EXPECT_EQ(e.samples.count(std::string("mcast_recv_") + unknown + "_total" + mcnet), 1u) << unknown << "\n"
                                                                                          << text;
  }
  for (const auto& [series, value] : e.samples) {
    if (series.starts_with("mcast_recv_latency_seconds")) {
      EXPECT_NE(series.find("payload=\"mcnet\""), std::string::npos) << "latency of a foreign stream: " << series;
    }
  }
  EXPECT_EQ(e.samples.at("mcast_recv_packets_total" + mcnet), 20) << text;
  const auto streams = test::tools::summary_streams(r.standard_output);
  ASSERT_EQ(streams.size(), 2u) << r.output;
}

TEST(NetMetricsE2e, ABadPathIsExitOneBeforeAnyJoin) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(1);
  for (const std::string path : {"/nonexistent-mcnet-metrics/x.prom", "/sys/mcnet.prom"}) {
    SCOPED_TRACE(path);
    const auto r = (*net)[0].exec({MCAST_RECV, "--json", "-i", "eth0", "--timeout", "1", "--metrics-file", path,
                                   "239.255.93.3:5000"},
                                  {}, 10s);
    EXPECT_TRUE(r.status.exited) << r.status.describe();
    EXPECT_EQ(r.status.code, 1) << r.output;
    EXPECT_NE(r.output.find("mcast-recv: --metrics-file " + path + ": "), std::string::npos) << r.output;
    test::tools::expect_schema_conform(r.standard_output);
    const auto events = test::tools::json_lines(r.standard_output);
    EXPECT_EQ(test::tools::find_event(events, "start"), nullptr) << "nothing joined: " << r.output;
    ASSERT_NE(test::tools::find_event(events, "error"), nullptr) << r.output;
  }
  EXPECT_FALSE(fs::exists("/nonexistent-mcnet-metrics"));
}

}  // namespace
