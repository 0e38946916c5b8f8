// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// docs/mcast-tools.schema.json itself: it accepts the events of
// docs/tools.md ("JSON Lines") and rejects what the contract forbids (a
// missing field instead of null, a wrong type, an unknown event), so the end-to-end tests that validate every line
// of the tools' output against it prove something.

#include <gtest/gtest.h>

#include <mcnet/version.hpp>

#include "tool_run.hpp"

namespace {

using mcnet::test::tools::json;
using mcnet::test::tools::schema_errors;

json stream() {
  return json::parse(R"({"group":"239.1.1.1","port":5000,"source":"10.77.0.1","sender_id":5,"session":7,
    "interface":{"name":"eth0","index":2},"packets":10,"bytes":1000,"rate_pps":10.0,"rate_bps":8000.0,"rate_span_s":0.9,"lost":0,
    "reordered":0,"duplicates":0,"ttl":1,"tos":184,"latency_ns":{"min":1,"p50":2,"p99":3,"max":4,"negative":0},"jitter_ns":0.5,
    "first_packet_ms":1.5,"payload":"mcnet","messages":null,"heartbeats":null,"end_of_session":null,"ssrc":null,
    "cc_errors":null,"sync_errors":null,"pids":null,"malformed":null,"jumps":0,"restarts":0,"too_late":0,
    "clock_errors":0,"length_errors":0,"first_sequence":0,"missed_at_start":0,"began_after_join_s":0.05,"ts_missing":null,
    "ttl_min":1,"ttl_max":1,"tos_values":[{"tos":184,"packets":10}],"tos_others":0,"dscp":"ef","ecn":"Not-ECT","conflict":null,"timestamp_steps":null,
    "clock_hz":null,"clock_assumed":null,"timestamp_rate_hz":null,"clock_contradicted":null})");
}

json summary() {
  return {{"event", "summary"}, {"time", 1.7e9}, {"streams", json::array({stream()})},
          {"total", {{"packets", 10}, {"bytes", 1000}, {"lost", 0}, {"reordered", 0}, {"duplicates", 0}, {"kernel_drops", 0},
                     {"jumps", 0}, {"restarts", 0}, {"too_late", 0}, {"unsequenced", 0}, {"evicted", 0}, {"stray_ends", 0}}}};
}

TEST(ToolsSchema, AcceptsTheDocumentedEvents) {
  EXPECT_EQ(schema_errors(summary()), std::vector<std::string>{});
  auto foreign = summary();
  for (const char* k : {"sender_id", "session", "lost", "reordered", "duplicates", "latency_ns", "jitter_ns", "jumps",
                        "restarts", "too_late"}) {
    foreign["streams"][0][k] = nullptr;
  }
  EXPECT_EQ(schema_errors(foreign), std::vector<std::string>{}) << "unknown values are null";
  auto mold = summary();
  mold["streams"][0].update({{"payload", "moldudp64"}, {"sender_id", nullptr}, {"session", "MCNET"}, {"messages", 30},
                             {"heartbeats", 1}, {"end_of_session", 3}, {"latency_ns", nullptr}});
  EXPECT_EQ(schema_errors(mold), std::vector<std::string>{}) << "a MoldUDP64 session is its name";
  auto rtp = summary();
  rtp["streams"][0].update({{"payload", "rtp"}, {"sender_id", nullptr}, {"session", nullptr}, {"ssrc", 4294967295u},
                            {"cc_errors", 0}, {"sync_errors", 0}, {"pids", 2}, {"malformed", 0}, {"clock_hz", 90000},
                            {"clock_assumed", true}, {"timestamp_rate_hz", 44099.4},
                            {"clock_contradicted", true}});
  EXPECT_EQ(schema_errors(rtp), std::vector<std::string>{});
  auto raw = foreign;
  raw["streams"][0].update({{"payload", "raw"}, {"malformed", 2}});
  EXPECT_EQ(schema_errors(raw), std::vector<std::string>{});
  const auto start = json::parse(R"({"event":"start","time":1.7e9,"schema":1,"tool":"mcast-recv","version":")" MCNET_VERSION_STRING R"(",
    "groups":[{"group":"232.1.1.1","port":5000,"mode":"include","sources":["10.77.0.1"],
    "interface":{"name":"eth0","index":2}}],"rcvbuf":{"asked":null,"granted":212992,"auto":false},"sockets":1,
    "settings":{"backend":"recvmmsg","batch":32,"io_uring_buffers":null}})");
  EXPECT_EQ(schema_errors(start), std::vector<std::string>{});
  auto on_uring = start;
  on_uring["settings"] = {{"backend", "io_uring"}, {"batch", 32}, {"io_uring_buffers", 256}};
  EXPECT_EQ(schema_errors(on_uring), std::vector<std::string>{});
  for (const char* k : {"settings", "rcvbuf"}) {
    auto without = start;
    without.erase(k);
    EXPECT_FALSE(schema_errors(without).empty()) << "mcast-recv's start has " << k;
  }
  auto other_backend = start;
  other_backend["settings"]["backend"] = "epoll";
  EXPECT_FALSE(schema_errors(other_backend).empty()) << "the backends are a closed list";
  // The summary's reads: the backend, and with io_uring its buffers' exhaustion.
  auto read = summary();
  read["reads"] = {{"calls", 10},         {"datagrams", 200},         {"datagrams_per_call", 20.0},
                   {"coalesce_us", 1000}, {"holds", 3},               {"held_s", 0.001},
                   {"stopped_by_drop", false}, {"backend", "recvmmsg"}, {"buffers_exhausted", nullptr}};
  EXPECT_EQ(schema_errors(read), std::vector<std::string>{});
  read["reads"]["backend"] = "io_uring";
  read["reads"]["buffers_exhausted"] = 2;
  EXPECT_EQ(schema_errors(read), std::vector<std::string>{});
  read["reads"].erase("buffers_exhausted");
  EXPECT_FALSE(schema_errors(read).empty()) << "buffers_exhausted is in every summary, null with recvmmsg";
  const auto error = json::parse(R"({"event":"error","time":1.7e9,"message":"m","code":"ENOBUFS","exit":4})");
  EXPECT_EQ(schema_errors(error), std::vector<std::string>{});
  const auto iface = json::parse(R"({"index":1,"name":"lo","flags":["up","loopback"],"oper_state":"unknown",
    "mtu":65536,"addresses":[{"address":"127.0.0.1","prefix_len":8,"scope":254}],"groups":["224.0.0.1"],
    "filters":[{"group":"224.0.0.1","mode":"exclude","sources":[],"counts":[],"alternatives":null}]})");
  EXPECT_EQ(schema_errors(iface), std::vector<std::string>{});
  auto skipped = iface;
  skipped["filters"][0] = {{"group", "224.0.0.1"}, {"mode", "unknown"}, {"sources", nullptr}, {"counts", nullptr},
                           {"alternatives", nullptr}};
  EXPECT_EQ(schema_errors(skipped), std::vector<std::string>{});
  // Two include sockets, one source each: the mode undecided, its two states.
  auto undecided = iface;
  undecided["filters"][0] = json::parse(R"({"group":"232.1.1.1","mode":"unknown","sources":null,
    "counts":[{"source":"10.77.0.1","include_sockets":1,"exclude_sockets":0},
              {"source":"10.77.0.2","include_sockets":1,"exclude_sockets":0}],
    "alternatives":[{"mode":"include","sources":["10.77.0.1","10.77.0.2"]},{"mode":"exclude","sources":[]}]})");
  EXPECT_EQ(schema_errors(undecided), std::vector<std::string>{});
  auto no_proc = iface;
  no_proc["filters"] = nullptr;
  EXPECT_EQ(schema_errors(no_proc), std::vector<std::string>{});
}

// What every mcast-recv run adds (docs/tools.md, "Checks in every run").
TEST(ToolsSchema, EveryRunEvents) {
  auto quiet = summary();
  quiet["verdict"] = {{"status", "FAIL"}, {"check", "source_route"}, {"subject", "10.77.1.2 -> 232.1.1.1"},
                      {"message", "m"}, {"fix", "mcast-recv -i eth1 10.77.1.2,232.1.1.1:5000"},
                      {"note", "or the spec 10.77.1.2,232.1.1.1:5000%eth1"},
                      {"also", json::array({{{"status", "FAIL"}, {"check", "firewall"}, {"subject", "udp dport 5000 (IPv4)"},
                                             {"fix", "nft delete rule inet t input handle 3"}}})}};
  EXPECT_EQ(schema_errors(quiet), std::vector<std::string>{});
  quiet["verdict"] = nullptr;
  EXPECT_EQ(schema_errors(quiet), std::vector<std::string>{}) << "null when something arrived";
  quiet["verdict"] = {{"status", "UNKNOWN"},  {"check", nullptr}, {"subject", nullptr},
                      {"message", "m"},   {"fix", nullptr},   {"note", nullptr}, {"also", json::array()}};
  EXPECT_EQ(schema_errors(quiet), std::vector<std::string>{});
  for (const auto* field : {"fix", "note", "also"}) {
    auto missing = quiet;
    missing["verdict"].erase(field);
    EXPECT_FALSE(schema_errors(missing).empty()) << "no field is left out: " << field;
  }

  const auto warning = json::parse(R"({"event":"warning","time":1.7e9,"message":"m","code":"rp_filter",
    "subject":"10.77.9.1 -> 232.1.1.1","fix":null})");
  EXPECT_EQ(schema_errors(warning), std::vector<std::string>{});
  const auto stalled = json::parse(R"({"event":"warning","time":1.7e9,"message":"m","code":"stalled",
    "source":"10.77.0.1","group":"232.1.1.1","port":5000,"silent_s":1.2,"usual_interval_s":0.01})");
  EXPECT_EQ(schema_errors(stalled), std::vector<std::string>{});

  auto link = json::parse(R"({"event":"link","time":1.7e9,"interface":{"name":"eth0","index":7},"change":"recreated",
    "message":"link eth0 (7): re-created","address":null,"old_index":3,"rejoined":2})");
  EXPECT_EQ(schema_errors(link), std::vector<std::string>{});
  const auto up = json::parse(R"({"event":"link","time":1.7e9,"interface":{"name":"eth0","index":7},"change":"up",
    "message":"link eth0 (7): up; the route ... is gone","address":null,"old_index":null,"rejoined":null,
    "routes_gone":["239.1.2.3"],"route":"239.1.0.0/16","now_via":"eth1","fix":"ip route replace 239.1.0.0/16 dev eth0"})");
  EXPECT_EQ(schema_errors(up), std::vector<std::string>{});
  const auto renamed = json::parse(R"({"event":"link","time":1.7e9,"interface":{"name":"c9","index":7},
    "change":"renamed","message":"link c9 (7): renamed from c1 to c9","address":null,"old_index":null,
    "rejoined":null,"old_name":"c1"})");
  EXPECT_EQ(schema_errors(renamed), std::vector<std::string>{});
  link["change"] = "moved";
  EXPECT_FALSE(schema_errors(link).empty()) << "the changes are a closed list";
}

TEST(ToolsSchema, RejectsWhatTheContractForbids) {
  auto missing = summary();
  missing["streams"][0].erase("ttl");
  EXPECT_FALSE(schema_errors(missing).empty()) << "absent instead of null";
  auto wrong_type = summary();
  wrong_type["streams"][0]["packets"] = "10";
  EXPECT_FALSE(schema_errors(wrong_type).empty());
  for (const char* bad : {R"("payload":"mpeg")", R"("session":"ELEVEN CHAR")", R"("ssrc":-1)", R"("session":-1)"}) {
    auto j = summary();
    j["streams"][0].update(json::parse(std::string("{") + bad + "}"));
    EXPECT_FALSE(schema_errors(j).empty()) << bad;
  }
  auto no_payload = summary();
  no_payload["streams"][0].erase("payload");
  EXPECT_FALSE(schema_errors(no_payload).empty()) << "payload is in every stream";
  auto no_time = summary();
  no_time.erase("time");
  EXPECT_FALSE(schema_errors(no_time).empty());
  auto unknown_event = summary();
  unknown_event["event"] = "hello";
  EXPECT_FALSE(schema_errors(unknown_event).empty());
  auto bad_tos = summary();
  bad_tos["streams"][0]["tos"] = 256;
  EXPECT_FALSE(schema_errors(bad_tos).empty());
  const auto start_without_rcvbuf = json::parse(R"({"event":"start","time":1.7e9,"schema":1,"tool":"mcast-recv",
    "version":")" MCNET_VERSION_STRING R"(","groups":[],"sockets":1})");
  EXPECT_FALSE(schema_errors(start_without_rcvbuf).empty()) << "mcast-recv's start has rcvbuf";
  const auto bad_exit = json::parse(R"({"event":"error","time":1.7e9,"message":"m","code":"x","exit":0})");
  EXPECT_FALSE(schema_errors(bad_exit).empty());
  auto no_conflict = summary();
  no_conflict["streams"][0].erase("conflict");
  EXPECT_FALSE(schema_errors(no_conflict).empty()) << "conflict is in every stream, null when none";
  for (const char* bad : {R"({"evidence":[],"differing_copies":0,"port_returns":0,"far_ends":0,"other_sources":[]})",
                          R"({"evidence":["ttl"],"differing_copies":0,"port_returns":0,"far_ends":0,"other_sources":[]})",
                          R"({"evidence":["ports"],"differing_copies":0,"port_returns":9})", R"(true)"}) {
    auto j = summary();
    j["streams"][0]["conflict"] = json::parse(bad);
    EXPECT_FALSE(schema_errors(j).empty()) << bad;
  }
}

// Two senders of one stream (issue 16, trial16j MEDIUM 3): the stream's
// evidence, the summary's count of contested streams and worst_stream's flag.
TEST(ToolsSchema, AContestedStreamSaysWhy) {
  auto j = summary();
  j["streams"][0]["conflict"] = json::parse(
      R"({"evidence":["copies","ports","sources","ends"],"differing_copies":700,"port_returns":900,"far_ends":4,"other_sources":["10.77.0.9"]})");
  j["total"]["contested"] = 1;
  j["total"]["loss_percent"] = nullptr;
  j["worst_stream"] = json::parse(R"({"group":"239.1.1.1","port":5000,"source":"10.77.0.1","sender_id":5,"session":7,
    "ssrc":null,"payload":"mcnet","loss_percent":1.0,"evicted":false,"unresumed":false,"conflict":true})");
  EXPECT_EQ(schema_errors(j), std::vector<std::string>{});
  j["worst_stream"].erase("conflict");
  EXPECT_FALSE(schema_errors(j).empty()) << "worst_stream says whether it is contested";
}

// mcast-send's start and summary with a feed payload: the fields a receiver
// checks are there, null where the payload has none, never absent.
// Loss that cannot be measured (every datagram unsequenced) is null, never
// a number; the unsequenced count is always there.
TEST(ToolsSchema, UnknownLossIsNull) {
  auto unknown = summary();
  unknown["total"]["lost"] = nullptr;
  unknown["total"]["loss_percent"] = nullptr;
  unknown["total"]["unsequenced"] = 10;
  EXPECT_EQ(schema_errors(unknown), std::vector<std::string>{});
  auto missing = summary();
  missing["total"].erase("unsequenced");
  EXPECT_FALSE(schema_errors(missing).empty()) << "unsequenced absent";
}

TEST(ToolsSchema, SendEventsCarryThePayload) {
  const auto start = json::parse(R"({"event":"start","time":1.7e9,"schema":1,"tool":"mcast-send","version":")" MCNET_VERSION_STRING R"(",
    "groups":[{"group":"239.1.1.1","port":5000,"mode":"any","sources":[],"interface":{"name":"eth0","index":2},
    "first_sequence":65530,"first_timestamp":4294967000}],"session":null,"sender_id":null,"payload":"rtp","size":1328,
    "ssrc":4294967295,"payload_type":33,"clock_hz":90000,"messages_per_packet":null,"message_size":null,"pids":[256,257],
    "settings":{"ttl":1,"tos":184,"dscp":"ef","ecn":"Not-ECT","loop":true,"rate_pps":1000.0,"rate_bps":10624000.0,
    "burst":1,"count":null,"duration_s":5.0,"batch":32,"gso":null}})");
  EXPECT_EQ(schema_errors(start), std::vector<std::string>{});
  auto segmented = start;
  segmented["settings"]["gso"] = 64;
  EXPECT_EQ(schema_errors(segmented), std::vector<std::string>{});
  segmented["settings"]["gso"] = 65;
  EXPECT_FALSE(schema_errors(segmented).empty()) << "--gso is 1 to 64";
  segmented["settings"].erase("gso");
  EXPECT_FALSE(schema_errors(segmented).empty()) << "gso is always there, null when off";
  auto mold = start;
  mold["payload"] = "moldudp64";
  mold["session"] = "MCNET";
  for (const char* k : {"ssrc", "payload_type", "clock_hz", "pids"}) mold[k] = nullptr;
  mold["messages_per_packet"] = 3;
  mold["message_size"] = 32;
  mold["groups"][0]["first_sequence"] = 1;
  mold["groups"][0]["first_timestamp"] = nullptr;
  EXPECT_EQ(schema_errors(mold), std::vector<std::string>{});
  const auto summary = json::parse(R"({"event":"summary","time":1.7e9,"groups":[{"group":"239.1.1.1","port":5000,
    "sent":10,"bytes":13160,"elapsed_s":0.5,"rate_pps":20.0,"rate_bps":210560.0,"rate_span_s":0.45,"next_sequence":null,"messages":null,
    "next_continuity":[3,15],"end_markers":3}],"total":{"sent":10,"bytes":13160,"elapsed_s":0.5,"rate_pps":20.0}})");
  EXPECT_EQ(schema_errors(summary), std::vector<std::string>{});
  // One datagram has no rate: null rate_pps and rate_bps, as mcast-recv's.
  auto one = summary;
  one["groups"][0]["sent"] = 1;
  one["groups"][0]["rate_pps"] = nullptr;
  one["groups"][0]["rate_bps"] = nullptr;
  EXPECT_EQ(schema_errors(one), std::vector<std::string>{});

  for (const char* k : {"payload", "ssrc", "pids", "session", "sender_id"}) {
    auto missing = start;
    missing.erase(k);
    EXPECT_FALSE(schema_errors(missing).empty()) << k << " absent instead of null";
  }
  for (const char* k : {"ttl", "tos", "dscp", "ecn", "loop", "rate_pps", "rate_bps", "burst", "count", "duration_s",
                        "batch"}) {
    auto missing = start;
    missing["settings"].erase(k);
    EXPECT_FALSE(schema_errors(missing).empty()) << "settings." << k << " absent";
  }
  auto bad_ecn = start;
  bad_ecn["settings"]["ecn"] = "ect1";
  EXPECT_FALSE(schema_errors(bad_ecn).empty()) << "the ECN field by RFC 3168's names only";
  auto long_session = mold;
  long_session["session"] = "ELEVENCHARS";
  EXPECT_FALSE(schema_errors(long_session).empty()) << "a MoldUDP64 session has 10 characters at most";
  auto bad_pid = start;
  bad_pid["pids"] = json::array({8192});
  EXPECT_FALSE(schema_errors(bad_pid).empty()) << "PIDs are 13 bits";
  auto bad_payload = start;
  bad_payload["payload"] = "raw";
  EXPECT_FALSE(schema_errors(bad_payload).empty()) << "mcast-send sends no raw payload";
  for (const char* k : {"rate_pps", "rate_bps", "next_sequence", "messages", "next_continuity"}) {
    auto missing = summary;
    missing["groups"][0].erase(k);
    EXPECT_FALSE(schema_errors(missing).empty()) << k << " absent instead of null";
  }
  auto bad_cc = summary;
  bad_cc["groups"][0]["next_continuity"] = json::array({16});
  EXPECT_FALSE(schema_errors(bad_cc).empty()) << "continuity counters are 4 bits";
  auto lines = summary;
  lines["groups"][0]["line_b"] = json::parse(R"({"group":"239.2.1.1","port":5000,"sent":10,"bytes":13160,
    "delay_us":2000000,"early":0,"drain_s":2.001})");
  EXPECT_EQ(schema_errors(lines), std::vector<std::string>{});
  auto no_drain = lines;
  no_drain["groups"][0]["line_b"].erase("drain_s");
  EXPECT_FALSE(schema_errors(no_drain).empty()) << "a B line says its drain";
}

// The warning event: a message and a code of the documented set.
TEST(ToolsSchema, WarningEventsNameTheirCode) {
  for (const char* code : {"line_b_early", "line_b_too_late", "line_b_unsequenced", "replay_sources_merged",
                           "rate_shortfall", "setup_interrupted", "interrupted", "join_interrupted"}) {
    const json warning = {{"event", "warning"}, {"time", 1.7e9}, {"message", "m"}, {"code", code}};
    EXPECT_EQ(schema_errors(warning), std::vector<std::string>{}) << code;
  }
  const json good = {{"event", "warning"}, {"time", 1.7e9}, {"message", "m"}, {"code", "line_b_early"}};
  for (const char* k : {"message", "code", "time"}) {
    auto missing = good;
    missing.erase(k);
    EXPECT_FALSE(schema_errors(missing).empty()) << k;
  }
  auto unknown = good;
  unknown["code"] = "something_else";
  EXPECT_FALSE(schema_errors(unknown).empty()) << "a code scripts can rely on";
  auto empty = good;
  empty["message"] = "";
  EXPECT_FALSE(schema_errors(empty).empty());
  auto exit = good;
  exit["exit"] = 1;
  EXPECT_FALSE(schema_errors(exit).empty()) << "a warning ends nothing";
  // rate_shortfall carries both rates, as numbers.
  json rates = good;
  rates["code"] = "rate_shortfall";
  rates["asked_pps"] = 1e8;
  rates["achieved_pps"] = 455123.5;
  EXPECT_EQ(schema_errors(rates), std::vector<std::string>{});
  rates["achieved_pps"] = "fast";
  EXPECT_FALSE(schema_errors(rates).empty());
  // interrupted carries what was sent of what was asked (null with -d alone).
  json cut = good;
  cut["code"] = "interrupted";
  cut["sent"] = 11265;
  cut["asked"] = 75000;
  EXPECT_EQ(schema_errors(cut), std::vector<std::string>{});
  cut["asked"] = nullptr;
  EXPECT_EQ(schema_errors(cut), std::vector<std::string>{});
  cut["sent"] = -1;
  EXPECT_FALSE(schema_errors(cut).empty()) << "a count";
}

}  // namespace
