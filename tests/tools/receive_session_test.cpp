// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// mcast-recv's receive session without sockets: made-up datagrams (as
// read_batch gives them, with their decoded info) and a made-up clock drive
// the counting, the refusal of unicast and broadcast, --count, the
// untracked warning, interval reports, the summary, the stop rules and the
// exit code; every JSON line must conform to docs/mcast-tools.schema.json.

#include <gtest/gtest.h>

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <deque>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <mcnet/core/endpoint.hpp>
#include <mcnet/core/message.hpp>
#include <mcnet/tools/receiver.hpp>
#include <mcnet/tools/run_checks.hpp>
#include <mcnet/feed/mpegts.hpp>
#include <mcnet/feed/rtp.hpp>
#include <mcnet/feed/test_header.hpp>
#include <mcnet/netlink/types.hpp>

#include "tool_run.hpp"

namespace core = mcnet::core;
namespace tools = mcnet::tools;
namespace feed = mcnet::feed;
namespace test = mcnet::test;
using namespace std::chrono_literals;

namespace {

const auto group = core::ip_address::v4(239, 1, 1, 1);
const auto sender_a = core::ip_address::v4(10, 77, 0, 1);
const auto sender_b = core::ip_address::v4(10, 77, 0, 2);
constexpr std::uint16_t port = 5000;

// The cells of a CSV line without quoted cells.
std::vector<std::string> csv_cells(std::string_view line) {
  std::vector<std::string> cells(1);
  for (const char c : line) {
    if (c == ',') {
      cells.emplace_back();
    } else if (c != '\n') {
      cells.back() += c;
    }
  }
  return cells;
}

// The cell of the column `name` in a row of mcast-recv's CSV.
std::string csv_cell(std::string_view row, std::string_view name) {
  const auto header = csv_cells(tools::csv_header());
  const auto cells = csv_cells(row);
  const auto at = static_cast<std::size_t>(std::find(header.begin(), header.end(), name) - header.begin());
  EXPECT_LT(at, header.size()) << "no column " << name;
  EXPECT_EQ(cells.size(), header.size()) << row;
  return at < cells.size() ? cells[at] : std::string();
}

// Datagrams as read_batch fills them; the buffers live as long as the batch.
class batch {
 public:
  // A datagram with the header: `seq` from `source` (sender id 9, session 1).
  // `length_field`: the header's length field when it is to lie (else the
  // datagram's size, 100, or an END's 40).
  batch& add(const core::ip_address& source, std::uint64_t seq, core::ip_address to = group, bool end = false,
             std::optional<std::uint32_t> length_field = std::nullopt) {
    auto& buf = buffers_.emplace_back();
    const std::uint32_t size = end ? std::uint32_t{feed::test_header::size} : 100;
    feed::test_header h{.flags = end ? feed::test_header::flag_end : std::uint8_t{0}, .sender_id = 9,
                         .session = session_id, .sequence = seq, .send_time_ns = 1'000'000'000,
                         .length = length_field.value_or(size)};
    EXPECT_TRUE(h.build(buf).has_value());
    core::message m{.buffer = buf, .size = end ? feed::test_header::size : 100};
    m.peer = core::endpoint(source, 4000);
    m.info.destination = to;
    m.info.hop_limit = 3;
    m.info.traffic_class = 0;
    m.info.interface_index = ingress;
    m.info.software_time = core::kernel_time(std::chrono::nanoseconds(1'000'050'000));  // 50 us after sending
    messages_.push_back(m);
    return *this;
  }
  // A datagram of sender id 9, session `session`, arriving `at_ns` (sent 50
  // us before); `end`: its END marker, `seq` the count.
  batch& add_session(const core::ip_address& source, std::uint32_t session, std::uint64_t seq, std::int64_t at_ns,
                     bool end = false) {
    return add_sender(source, 9, session, seq, at_ns, end);
  }
  // As add_session(), from sender id `sender_id`.
  batch& add_sender(const core::ip_address& source, std::uint32_t sender_id, std::uint32_t session, std::uint64_t seq,
                    std::int64_t at_ns, bool end = false) {
    auto& buf = buffers_.emplace_back();
    const std::uint32_t size = end ? std::uint32_t{feed::test_header::size} : 100;
    feed::test_header h{.flags = end ? feed::test_header::flag_end : std::uint8_t{0}, .sender_id = sender_id,
                         .session = session, .sequence = seq,
                         .send_time_ns = static_cast<std::uint64_t>(at_ns - 50'000), .length = size};
    EXPECT_TRUE(h.build(buf).has_value());
    core::message m{.buffer = buf, .size = size};
    m.peer = core::endpoint(source, 4000);
    m.info.destination = group;
    m.info.interface_index = ingress;
    m.info.software_time = core::kernel_time(std::chrono::nanoseconds(at_ns));
    messages_.push_back(m);
    return *this;
  }
  // A datagram no parser takes (30 bytes of 'x'): raw, without a sequence number.
  batch& add_raw(const core::ip_address& source) {
    auto& buf = buffers_.emplace_back();
    std::fill_n(buf.begin(), 30, std::byte{'x'});
    core::message m{.buffer = buf, .size = 30};
    m.peer = core::endpoint(source, 4001);
    m.info.destination = group;
    m.info.interface_index = 0;
    m.info.software_time = core::kernel_time(std::chrono::nanoseconds(1'000'050'000));
    messages_.push_back(m);
    return *this;
  }
  // A datagram of `bytes` (an MPEG-TS or RTP payload) from `source`.
  batch& add_bytes(const core::ip_address& source, std::span<const std::byte> bytes) {
    auto& buf = payloads_.emplace_back(bytes.begin(), bytes.end());
    core::message m{.buffer = buf, .size = buf.size()};
    m.peer = core::endpoint(source, 4002);
    m.info.destination = group;
    m.info.interface_index = ingress;
    m.info.software_time = core::kernel_time(std::chrono::nanoseconds(1'000'050'000));
    messages_.push_back(m);
    return *this;
  }
  // The last datagram added came with the socket's drop count `drops` (SO_RXQ_OVFL).
  batch& carrying(std::uint32_t drops) {
    messages_.back().info.drops = drops;
    return *this;
  }
  [[nodiscard]] std::span<const core::message> span() const { return messages_; }
  // The ingress interface index add() gives the datagrams that follow (0: unknown).
  std::uint32_t ingress = 0;
  // The session add() gives the datagrams that follow.
  std::uint32_t session_id = 1;

 private:
  std::deque<std::array<std::byte, 100>> buffers_;  // stable addresses
  std::deque<std::vector<std::byte>> payloads_;     // add_bytes()'s
  std::vector<core::message> messages_;
};

// An MPEG-TS datagram of 7 packets, PID 0x100, its counters carried on in `cc`.
std::vector<std::byte> transport_datagram(feed::mpegts::continuity_counters& cc) {
  std::vector<std::byte> b(feed::mpegts::packet_size * feed::mpegts::packets_per_datagram);
  feed::mpegts::datagram_builder builder(b);
  const std::array<std::byte, 184> payload{};
  while (!builder.full()) EXPECT_TRUE(builder.append({.pid = 0x100}, payload, cc).has_value());
  return b;
}

// An RTP datagram (payload type 96, 160 bytes of payload).
std::vector<std::byte> rtp_datagram(std::uint16_t seq) {
  std::vector<std::byte> b(1500);
  const std::array<std::byte, 160> audio{};
  const auto n = feed::rtp::build(
      b, {.payload_type = 96, .sequence = seq, .timestamp = std::uint32_t{seq} * 160u, .ssrc = 0xDEADBEEF}, audio);
  EXPECT_TRUE(n.has_value());
  b.resize(n.value_or(0));
  return b;
}

// A session on a fake clock, printing into strings.
struct fixture {
  tools::recv_settings settings;
  std::ostringstream out, err;
  std::chrono::steady_clock::time_point now{};  // the fake clock
  std::uint64_t drops = 0;
  std::unique_ptr<tools::reporter> rep;
  std::unique_ptr<tools::stream_table> table;
  std::unique_ptr<tools::receive_session> session;
  std::uint32_t drops_seen = 0;
  std::optional<std::size_t> memory_bytes;  // the table's memory bound (default: /proc/meminfo)

  void start() {
    rep = std::make_unique<tools::reporter>("mcast-recv", settings.format(), out, err);
    table = std::make_unique<tools::stream_table>(static_cast<std::size_t>(settings.max_streams),
                                                  tools::payload_mode::auto_detect, std::nullopt, memory_bytes);
    session = std::make_unique<tools::receive_session>(
        settings, *rep, *table,
        // One socket whose drop count is `drops`: those after the count
        // its last datagram read carried (drops_seen) are after that read.
        [this] { return tools::socket_drops{drops, drops - std::min<std::uint64_t>(drops, drops_seen)}; },
        [this] { return now; });
    session->start();
  }
  void feed(const batch& b) { session->handle(b.span(), port, drops_seen); }
  [[nodiscard]] std::vector<test::tools::json> events() const { return test::tools::json_lines(out.str()); }
};

TEST(ReceiveSession, CountsMulticastAndSkipsUnicastAndBroadcast) {
  fixture f;
  f.settings.json_output = true;
  f.start();
  batch b;
  for (std::uint64_t i = 0; i < 5; ++i) b.add(sender_a, i);
  b.add(sender_a, 99, core::ip_address::v4(10, 77, 0, 9));      // unicast to the port
  b.add(sender_a, 98, core::ip_address::v4(10, 77, 255, 255));  // broadcast
  b.add(sender_a, 97, core::ip_address{});                      // no destination known
  b.add(sender_a, 5, group, true);                               // END: accounted, not counted
  f.feed(b);
  EXPECT_EQ(f.session->counted(), 5u);
  f.now += 2s;
  f.session->summary();
  EXPECT_EQ(f.session->finish(), 0);
  test::tools::expect_schema_conform(f.out.str());
  const auto events = f.events();
  const auto* summary = test::tools::find_event(events, "summary");
  ASSERT_NE(summary, nullptr) << f.out.str();
  ASSERT_EQ((*summary)["streams"].size(), 1u);
  const auto& s = (*summary)["streams"][0];
  EXPECT_EQ(s["packets"], 5);
  EXPECT_EQ(s["lost"], 0);
  EXPECT_EQ(s["source"], "10.77.0.1");
  EXPECT_EQ(s["ttl"], 3);
  EXPECT_EQ(s["latency_ns"]["min"], 50'000);
  EXPECT_EQ((*summary)["total"]["packets"], 5);
  EXPECT_DOUBLE_EQ((*summary)["elapsed_s"].get<double>(), 2.0) << "elapsed on the session's clock";
}

TEST(ReceiveSession, CountStopsTheRunAndTakesNothingPastIt) {
  fixture f;
  f.settings.count = 3;
  f.start();
  EXPECT_FALSE(f.session->tick());
  batch b;
  for (std::uint64_t i = 0; i < 5; ++i) b.add(sender_a, i);
  f.feed(b);
  EXPECT_EQ(f.session->counted(), 3u) << "the rest of the batch is not taken";
  EXPECT_TRUE(f.session->tick());
  EXPECT_FALSE(f.session->timed_out());
  EXPECT_EQ(f.table->sum().packets, 3u);
}

TEST(ReceiveSession, DurationAndTimeout) {
  fixture f;
  f.settings.duration = 1.5;
  f.settings.timeout = 1.0;
  f.start();
  f.now += 999ms;
  EXPECT_FALSE(f.session->tick());
  f.now += 1ms;
  EXPECT_TRUE(f.session->tick()) << "nothing arrived in --timeout";
  EXPECT_TRUE(f.session->timed_out());
  f.session->summary();
  EXPECT_EQ(f.session->finish(), tools::exit_nothing);
  EXPECT_NE(f.err.str().find("mcast-recv: nothing arrived before --timeout"), std::string::npos) << f.err.str();

  fixture g;
  g.settings.duration = 1.5;
  g.settings.timeout = 1.0;
  g.start();
  batch b;
  b.add(sender_a, 0);
  g.feed(b);
  g.now += 1200ms;
  EXPECT_FALSE(g.session->tick()) << "something arrived: --timeout no longer applies";
  g.now += 300ms;
  EXPECT_TRUE(g.session->tick()) << "--duration";
  EXPECT_FALSE(g.session->timed_out());
  EXPECT_EQ(g.session->finish(), 0);
}

TEST(ReceiveSession, TimeoutExitsTwoWheneverNothingArrived) {
  struct run_case {
    const char* what;
    std::optional<double> duration, timeout;
    std::chrono::milliseconds run;
    bool tick_stops;  // whether tick() ends the run (else a signal does)
    int exit;
  };
  for (const auto& c : {run_case{"-d as long as --timeout ends the run first", 1.0, 1.0, 1s, true, tools::exit_nothing},
                        run_case{"-d shorter than --timeout", 0.5, 2.0, 500ms, true, tools::exit_nothing},
                        run_case{"a signal before --timeout", std::nullopt, 5.0, 100ms, false, tools::exit_nothing},
                        run_case{"no --timeout: nothing received is exit 0", 0.5, std::nullopt, 500ms, true, 0}}) {
    SCOPED_TRACE(c.what);
    fixture f;
    f.settings.duration = c.duration;
    f.settings.timeout = c.timeout;
    f.start();
    f.now += c.run;
    EXPECT_EQ(f.session->tick(), c.tick_stops);
    f.session->summary();
    EXPECT_EQ(f.session->finish(), c.exit);
    if (c.exit != 0) {
      EXPECT_NE(f.err.str().find("mcast-recv: nothing arrived"), std::string::npos) << f.err.str();
    }
  }
}

TEST(ReceiveSession, LossAboveMaxLossExitsThree) {
  for (auto [max_loss, code] : {std::pair{9.5, 3}, std::pair{10.0, 0}}) {
    fixture f;
    f.settings.max_loss = max_loss;
    f.start();
    batch b;
    for (std::uint64_t i = 0; i < 10; ++i) {
      if (i != 4) b.add(sender_a, i);
    }
    b.add(sender_a, 10, group, true);  // END: the run had 10; one of 10 lost
    f.feed(b);
    f.session->summary();
    EXPECT_EQ(f.session->finish(), code) << max_loss;
    if (code == 3) {
      EXPECT_NE(f.err.str().find("loss 10.00% is above --max-loss 9.5%"), std::string::npos) << f.err.str();
    }
  }
}

// trial t16u H1: two senders on one host to one group and port, one's
// 4000-byte datagrams fragmented and the fragments dropped by a firewall,
// its 40-byte END markers through: exit 0 with lost 0 under --max-loss.
// END markers of a never-seen stream from a sender none of whose data came
// through the channel (another id under the same address included) make
// the loss unknown, as through a channel of their own. Only another
// session of a sender whose data came (a restart) is harmless. An END
// forged under a new id (trial t16s 3, which had it pass) cannot be told
// from a dead feed's: the check fails and names it.
TEST(ReceiveSession, AStrayEndOfASenderWhoseDataNeverCameLeavesTheLossUnknown) {
  const auto other_group = core::ip_address::v4(239, 1, 1, 2);
  enum class stray { restarted_sender, new_id_same_host, other_host_beside_a_feed, channel_of_its_own };
  for (const auto how :
       {stray::restarted_sender, stray::new_id_same_host, stray::other_host_beside_a_feed, stray::channel_of_its_own}) {
    SCOPED_TRACE(static_cast<int>(how));
    fixture f;
    f.settings.max_loss = 5;
    f.settings.json_output = true;
    f.start();
    batch b;
    for (std::uint64_t i = 0; i < 10; ++i) b.add(sender_a, i);
    b.add(sender_a, 10, group, true);
    std::string named;
    switch (how) {
      case stray::restarted_sender:  // the fixture's sender id, another session
        b.add_session(sender_a, 777, 77, 1'000'000'000, true);
        break;
      case stray::new_id_same_host:  // the same host, another sender id: its data never came
        b.add_sender(sender_a, 2222, 777, 999, 1'000'000'000, true);
        named = group.to_string() + ":5000 from 10.77.0.1 (sender id 2222, session 777)";
        break;
      case stray::other_host_beside_a_feed:
        b.add_sender(sender_b, 3333, 777, 77, 1'000'000'000, true);
        named = group.to_string() + ":5000 from 10.77.0.2 (sender id 3333, session 777)";
        break;
      case stray::channel_of_its_own:  // a channel that carried nothing else
        b.add(sender_b, 50, other_group, true);
        named = "239.1.1.2:5000 from 10.77.0.2";
        break;
    }
    f.feed(b);
    f.session->summary();
    const int exit = f.session->finish();
    const auto events = f.events();
    const auto* summary = test::tools::find_event(events, "summary");
    ASSERT_NE(summary, nullptr) << f.out.str();
    EXPECT_EQ((*summary)["total"]["stray_ends"], 1) << (*summary)["total"];
    EXPECT_EQ((*summary)["total"]["lost"], 0) << (*summary)["total"];
    if (how == stray::restarted_sender) {
      EXPECT_EQ(exit, 0) << f.err.str();
      continue;
    }
    EXPECT_EQ(exit, 3) << f.err.str();
    EXPECT_NE(f.err.str().find("could not be checked: 1 END marker of streams never seen arrived, from senders none "
                               "of whose data came through their channel (" +
                               named),
              std::string::npos)
        << f.err.str();
    EXPECT_NE(f.err.str().find("their datagrams did not arrive"), std::string::npos) << f.err.str();
    const auto* error = test::tools::find_event(events, "error");
    ASSERT_NE(error, nullptr) << f.out.str();
    EXPECT_EQ((*error)["code"], "loss_unknown") << *error;
  }
}

// Length errors: the total line names them beside the loss their numbers
// make (trial20h 9: "1 lost" beside a length error read as unexplained),
// and the warning calls an END marker with a wrong length field an END
// marker, not "an mcnet datagram" whose number counts as lost.
TEST(ReceiveSession, LengthErrorsAreNamedInTheTotalAndAnEndsWarningSaysEnd) {
  fixture f;
  f.start();
  batch b;
  for (std::uint64_t i = 0; i < 10; ++i) {
    if (i == 5) {
      b.add(sender_a, i, group, false, 1000);
    } else {
      b.add(sender_a, i);
    }
  }
  b.add(sender_a, 10, group, true);
  f.feed(b);
  f.session->summary();
  const auto t = f.out.str();
  EXPECT_NE(t.find("mcast-recv: 10 datagrams, 1000 bytes, 1 lost,"), std::string::npos) << t;
  EXPECT_NE(t.find(" (1 length error (a header's length field not its size): not trusted: a datagram's number "
                   "stays lost unless it arrives intact, an END marker's count is not believed)"),
            std::string::npos)
      << t;
  EXPECT_NE(f.err.str().find("an mcnet datagram whose header's length field (1000) is not its size (100): counted "
                             "in its stream's length_errors, its number not trusted (that number counts as lost once a "
                             "trusted number above it has come; a stream with no trusted number has its loss unknown)"),
            std::string::npos)
      << f.err.str();

  fixture e;
  e.start();
  batch eb;
  for (std::uint64_t i = 0; i < 5; ++i) eb.add(sender_a, i);
  eb.add(sender_a, 5, group, true, 64);
  e.feed(eb);
  e.session->summary();
  EXPECT_NE(e.err.str().find("an mcnet END marker whose header's length field (64) is not its size (40): counted in "
                             "its stream's length_errors, not believed (it ends nothing)"),
            std::string::npos)
      << e.err.str();
  EXPECT_NE(e.out.str().find("mcast-recv: 5 datagrams, 500 bytes, 0 lost,"), std::string::npos) << e.out.str();
  EXPECT_NE(e.out.str().find("(1 length error "), std::string::npos) << e.out.str();
}

// trial20k 2: a stream whose every datagram's length field disagrees with
// its size (here 1 in 6 of its numbers missing) read "lost 0" and passed
// --max-loss 1: no number of it is trusted, so its loss is unknown (null in
// JSON, `-` in text, unsequenced in the total) and --max-loss fails as
// loss_unknown, saying why, in text and JSON alike.
TEST(ReceiveSession, AStreamWithNoTrustedNumberHasItsLossUnknownAndFailsMaxLoss) {
  for (const bool json_output : {false, true}) {
    fixture f;
    f.settings.max_loss = 1;
    f.settings.json_output = json_output;
    f.start();
    batch b;
    std::uint64_t sent = 0;
    for (std::uint64_t i = 0; i < 60; ++i) {
      if (i % 6 == 5) continue;  // dropped on the way
      b.add(sender_a, i, group, false, 1000);
      ++sent;
    }
    b.add(sender_a, 60, group, true);
    f.feed(b);
    f.session->summary();
    EXPECT_EQ(f.session->finish(), tools::exit_loss) << json_output;
    const std::string why = "carried no sequence number mcast-recv knows or trusts, 50 of them of mcnet streams "
                            "with no number trusted (each datagram's header length field not its size)";
    if (json_output) {
      test::tools::expect_schema_conform(f.out.str());
      const auto events = f.events();
      const auto* summary = test::tools::find_event(events, "summary");
      ASSERT_NE(summary, nullptr) << f.out.str();
      ASSERT_EQ((*summary)["streams"].size(), 1u) << *summary;
      const auto& st = (*summary)["streams"][0];
      EXPECT_EQ(st["packets"], sent) << st;
      EXPECT_EQ(st["length_errors"], sent) << st;
      EXPECT_TRUE(st["lost"].is_null()) << st;
      EXPECT_TRUE(st["duplicates"].is_null()) << st;
      const auto& total = (*summary)["total"];
      EXPECT_TRUE(total["lost"].is_null()) << total;
      EXPECT_TRUE(total["loss_percent"].is_null()) << total;
      EXPECT_EQ(total["unsequenced"], sent) << total;
      const auto* error = test::tools::find_event(events, "error");
      ASSERT_NE(error, nullptr) << f.out.str();
      EXPECT_EQ((*error)["code"], "loss_unknown") << *error;
      EXPECT_NE((*error)["message"].get<std::string>().find(why), std::string::npos) << *error;
    } else {
      const auto t = f.out.str();
      EXPECT_NE(t.find("mcast-recv: 50 datagrams, 5000 bytes, - lost,"), std::string::npos) << t;
      EXPECT_EQ(t.find("lost 0"), std::string::npos) << t;
      EXPECT_NE(t.find("(50 datagrams without a sequence number mcast-recv reads or trusts, 50 of them of mcnet "
                       "streams with no number trusted"),
                std::string::npos)
          << t;
      EXPECT_NE(f.err.str().find(why), std::string::npos) << f.err.str();
    }
  }
}

// Issue #20 (trial h20x F5): "Where loss cannot be measured it is unknown
// (null in JSON, `-` in text)". A stream with no sequence number (raw) read
// no lost at all on its text line, in the summary and in each interval
// report: it says "lost - reordered - duplicates -", as its JSON's nulls,
// and so does the total line; a stream with numbers beside it keeps its
// counts.
TEST(ReceiveSession, EveryTextLineShowsAnUnknownLossAsADash) {
  for (const bool numbered_too : {false, true}) {
    SCOPED_TRACE(numbered_too ? "beside a numbered stream" : "raw alone");
    fixture f;
    f.settings.interval = 1.0;
    f.start();
    batch b;
    for (int i = 0; i < 5; ++i) b.add_raw(sender_a);
    if (numbered_too) {
      for (std::uint64_t i = 0; i < 5; ++i) b.add(sender_b, i);
    }
    f.feed(b);
    f.now += 1s;
    (void)f.session->tick();
    f.now += 100ms;
    f.session->summary();
    const auto out = f.out.str();
    std::size_t dashes = 0;
    std::istringstream lines(out);
    for (std::string line; std::getline(lines, line);) {
      if (line.find(" from " + sender_a.to_string() + " ") == std::string::npos || line.find(" packet") == std::string::npos) {
        continue;
      }
      EXPECT_NE(line.find("  lost - reordered - duplicates -"), std::string::npos) << line;
      ++dashes;
    }
    EXPECT_EQ(dashes, 3u) << "two intervals' lines (the summary adds one for the run's tail) and the summary's: "
                          << out;
    if (numbered_too) {
      EXPECT_NE(out.find("lost 0 reordered 0 duplicates 0"), std::string::npos) << out;
      EXPECT_NE(out.find("mcast-recv: 10 datagrams, "), std::string::npos) << out;
      EXPECT_NE(out.find(" 0 lost,"), std::string::npos) << out;
    } else {
      EXPECT_NE(out.find("mcast-recv: 5 datagrams, 150 bytes, - lost, - reordered, - duplicates,"), std::string::npos)
          << out;
    }
  }
}

// trial20k 10: CSV has no total row, and its runs lost the run's
// diagnostics; they go to stderr now: the drop causes, the stray END
// markers and the verdict, none of them on stdout among the rows.
TEST(ReceiveSession, ACsvRunGivesItsDiagnosticsOnStderr) {
  fixture f;
  f.settings.csv = true;
  f.start();
  tools::drop_counters before;
  before.udp_csum = 0;
  f.session->count_drop_causes(before, [] {
    tools::drop_counters after;
    after.udp_csum = 50;
    return after;
  });
  f.session->diagnose_with([](const tools::drop_counters&) {
    tools::run_verdict v;
    v.text = {"verdict: FAIL drops the run: the kernel dropped 50 datagrams with a bad UDP checksum"};
    return v;
  });
  batch b;
  for (int i = 0; i < 3; ++i) b.add(sender_a, 20, group, true);  // END markers of a stream never seen
  f.feed(b);
  f.now += 1s;
  f.session->summary();
  const auto err = f.err.str();
  EXPECT_NE(err.find("mcast-recv: drops by cause (this network namespace's counters over the run, every socket): "
                     "bad UDP checksum (Udp InCsumErrors) 50\n"),
            std::string::npos)
      << err;
  EXPECT_NE(err.find("mcast-recv: 3 END markers of streams never seen arrived\n"), std::string::npos) << err;
  EXPECT_NE(err.find("verdict: FAIL drops the run: the kernel dropped 50 datagrams"), std::string::npos) << err;
  EXPECT_EQ(f.out.str().find("verdict"), std::string::npos) << f.out.str();
  // Text runs say them on stdout, as before: nothing on stderr.
  fixture t;
  t.start();
  t.session->diagnose_with([](const tools::drop_counters&) {
    tools::run_verdict v;
    v.text = {"verdict: UNKNOWN: nothing"};
    return v;
  });
  t.now += 1s;
  t.session->summary();
  EXPECT_NE(t.out.str().find("verdict: UNKNOWN: nothing"), std::string::npos) << t.out.str();
  EXPECT_EQ(t.err.str().find("verdict"), std::string::npos) << t.err.str();
}

// A flow stalled at the end: with sequence numbers its lost count covers
// only the gaps between them; without (raw, iperf2, MPEG-TS) it has no lost
// count to speak of (trial20k 6), its line says only that it went silent.
TEST(ReceiveSession, StalledAtTheEndSpeaksOfALostCountOnlyWhereThereIsOne) {
  for (const bool numbered : {true, false}) {
    fixture f;
    f.start();
    batch b;
    for (std::uint64_t i = 0; i < 6; ++i) numbered ? b.add(sender_a, i) : b.add_raw(sender_a);
    f.feed(b);
    for (int i = 0; i < 40; ++i) {
      f.now += 50ms;
      (void)f.session->tick();
    }
    f.session->summary();
    const auto out = f.out.str();
    // "Stalled" only for a protocol with END markers (trial h20x F8): raw
    // datagrams end without one, so only their silence is said.
    EXPECT_EQ(out.find(": stalled at the end, silent for the last 2.0 s of the run: ") != std::string::npos, numbered)
        << out;
    EXPECT_EQ(out.find(": silent for the last 2.0 s of the run (its protocol has no END marker: whether its sender "
                       "stopped or its datagrams stopped coming is not known here): ") != std::string::npos,
              !numbered)
        << out;
    EXPECT_EQ(out.find("its lost count covers only the gaps") != std::string::npos, numbered) << out;
    EXPECT_EQ(out.find("whether anything was sent after its last datagram is unknown, as its loss is") !=
                  std::string::npos,
              !numbered)
        << out;
  }
}

// Trial t20s M1: headerless datagrams beside an mcnet stream on its flow
// (counted malformed in the flow's raw stream) that stopped before the end
// of the run got no stalled warning, no silence line and stalled_at_end_s
// null, whether the mcnet stream kept sending (A) or ended (B); alone on
// their flow they had both. Their raw stream has its own watch, fed by
// them; its summary line names it "(raw)" as its stall lines do.
TEST(ReceiveSession, HeaderlessDatagramsBesideAnMcnetStreamStallOnTheirOwn) {
  for (const bool mcnet_ends : {false, true}) {
    for (const bool json : {false, true}) {
      SCOPED_TRACE(testing::Message() << "ends " << mcnet_ends << " json " << json);
      fixture f;
      f.settings.json_output = json;
      f.start();
      std::int64_t at = 1'000'000'000;
      // 10 ms apart: the mcnet stream 0..299, the raw datagrams with the first 50.
      for (std::uint64_t i = 0; i < 300; ++i, at += 10'000'000) {
        f.now += 10ms;
        batch b;
        b.add_session(sender_a, 1, i, at);
        if (i < 50) b.add_raw(sender_a);
        f.feed(b);
        (void)f.session->tick();
      }
      if (mcnet_ends) {
        batch end;
        end.add_session(sender_a, 1, 300, at, true);
        f.feed(end);
        for (int i = 0; i < 50; ++i) {
          f.now += 10ms;
          (void)f.session->tick();
        }
      }
      f.session->summary();
      const auto out = f.out.str();
      const auto all = out + f.err.str();
      const auto raw = fmt::format("{} from {} (raw)", core::endpoint(group, port).to_string(), sender_a.to_string());
      EXPECT_NE(all.find(raw + ": stalled, silent for "), std::string::npos) << all;
      if (!json) {
        EXPECT_NE(out.find("  " + raw + ": silent for the last "), std::string::npos) << out;
        EXPECT_EQ(out.find("(foreign)"), std::string::npos) << out;
        EXPECT_NE(out.find(raw + " on "), std::string::npos) << "its summary line: " << out;
        continue;
      }
      test::tools::expect_schema_conform(out);
      const auto events = f.events();
      const auto* summary = test::tools::find_event(events, "summary");
      ASSERT_NE(summary, nullptr) << out;
      bool seen = false;
      for (const auto& s : (*summary)["streams"]) {
        if (s["payload"] != "raw") {
          EXPECT_TRUE(s["stalled_at_end_s"].is_null()) << s;
          continue;
        }
        seen = true;
        EXPECT_EQ(s["malformed"], 50) << s;
        EXPECT_FALSE(s["stalled_at_end_s"].is_null()) << s;
        EXPECT_EQ(s["tail_unknown"], false) << s;
      }
      EXPECT_TRUE(seen) << out;
    }
  }
}

// trial h20x F8: an RTP flow silent at the end of the run has no END
// marker to miss: its line says it went silent, not that it stalled, its
// lost count covers the gaps, and --max-loss holds on what it counted (no
// loss_unknown, which is for mcnet and MoldUDP64 flows without their END,
// as --help says); an mcnet flow without its END still fails as unknown.
TEST(ReceiveSession, AnRtpFlowSilentAtTheEndIsNotSaidToHaveStalled) {
  fixture f;
  f.settings.max_loss = 1;
  f.start();
  batch b;
  for (std::uint16_t seq = 100; seq < 106; ++seq) b.add_bytes(sender_a, rtp_datagram(seq));
  f.feed(b);
  for (int i = 0; i < 40; ++i) {
    f.now += 50ms;
    (void)f.session->tick();
  }
  f.session->summary();
  const auto out = f.out.str();
  EXPECT_EQ(out.find("stalled at the end"), std::string::npos) << out;
  // The stream named, its SSRC (trial t20r H1: each stream its own stall watch).
  EXPECT_NE(out.find(fmt::format(" from {} (RTP SSRC 0x", sender_a.to_string())), std::string::npos) << out;
  EXPECT_NE(out.find("): silent for the last 2.0 s of the run (its protocol has no "
                     "END marker: whether its sender stopped or its datagrams stopped coming is not known here): its "
                     "lost count covers only the gaps between numbers that arrived, not anything sent after its last "
                     "datagram"),
            std::string::npos)
      << out;
  EXPECT_EQ(out.find("loss_unknown"), std::string::npos) << out;
  EXPECT_EQ(f.session->finish(), 0) << out << f.err.str();
}

// Trial t15q M5: streams stopped at 30 % (the join link deleted, the sender
// gone) read "stalled at the end ... its tail is unknown" in text, but JSON
// said lost 0, loss_percent 0.0 and nothing of the stall. The summary's
// streams carry stalled_at_end_s and tail_unknown (CSV columns too), the
// total counts them, and loss_percent is null where a tail is unknown; an
// mcnet stream with its END, or an RTP one (no END marker to miss), keeps
// a ratio.
TEST(ReceiveSession, AStreamStalledAtTheEndSaysSoInJsonAndCsv) {
  // 0: mcnet, no END; 1: mcnet with its END; 2: RTP silent at the end
  for (const int how : {0, 1, 2}) {
    for (const int mode : {0, 1, 2}) {  // text, JSON, CSV
      const bool csv = mode == 2;
      fixture f;
      if (mode == 1) f.settings.json_output = true;
      if (csv) f.settings.csv = true;
      f.start();
      batch b;
      if (how == 2) {
        for (std::uint16_t seq = 100; seq < 106; ++seq) b.add_bytes(sender_a, rtp_datagram(seq));
      } else {
        for (std::uint64_t i = 0; i < 6; ++i) b.add(sender_a, i);
        if (how == 1) b.add(sender_a, 6, group, true);
      }
      f.feed(b);
      for (int i = 0; i < 40; ++i) {
        f.now += 50ms;
        (void)f.session->tick();
      }
      f.session->summary();
      (void)f.session->finish();
      const auto out = f.out.str();
      const bool stalled = how != 1;
      const bool unknown = how == 0;
      if (mode == 0) {
        const auto all = out + f.err.str();
        EXPECT_EQ(all.find("(1 stream stalled at the end without an END marker (see above): its tail is unknown, so "
                           "is its loss)") != std::string::npos,
                  unknown)
            << how << all;
        continue;
      }
      if (csv) {
        const auto header = tools::csv_header();
        ASSERT_NE(header.find(",clock_contradicted,stalled_at_end_s,tail_unknown,ended,back,unresumed\n"), std::string::npos) << header;
        std::string rows = "\n";
        rows += out;
        const auto row = rows.find("\nsummary,");
        ASSERT_NE(row, std::string::npos) << out;
        const auto line = rows.substr(row + 1, rows.find('\n', row + 1) - row - 1);
        EXPECT_EQ(csv_cell(line, "stalled_at_end_s"), stalled ? "2" : "") << how << line;
        EXPECT_EQ(csv_cell(line, "tail_unknown"), stalled && unknown ? "true" : "false") << how << line;
        continue;
      }
      test::tools::expect_schema_conform(out);
      const auto events = f.events();
      const auto* summary = test::tools::find_event(events, "summary");
      ASSERT_NE(summary, nullptr) << out;
      ASSERT_EQ((*summary)["streams"].size(), 1u) << out;
      const auto& s = (*summary)["streams"][0];
      EXPECT_EQ(s["lost"], 0) << how;
      if (stalled) {
        EXPECT_NEAR(s["stalled_at_end_s"].get<double>(), 2.0, 0.01) << how << s;
      } else {
        EXPECT_TRUE(s["stalled_at_end_s"].is_null()) << s;
      }
      EXPECT_EQ(s["tail_unknown"], unknown) << how;
      const auto& total = (*summary)["total"];
      EXPECT_EQ(total["stalled_at_end"], stalled ? 1 : 0) << how;
      EXPECT_EQ(total["tail_unknown"], unknown ? 1 : 0) << how;
      EXPECT_EQ(total["loss_percent"].is_null(), unknown) << how << total;
    }
  }
}

// Trial t16u M2: a feed whose last third and END markers were lost on the
// network (no socket drops) read lost 0 and passed --max-loss 1. A stream
// with END markers (mcnet) stalled at the end without one has an unknown
// tail: --max-loss fails as loss_unknown, naming it and its silence. With
// its END, or resumed before the end, it passes.
// A flow of single datagrams, each of its own sender id (junk, or a burst of
// probes), is no stream whose tail went missing: a stream of one datagram has
// no pace to have stopped from, so it passes (a timing-dependent failure of
// NetHostileSender.ABurstOfSingleDatagramsMakesRoomForARealFeed).
TEST(ReceiveSession, AStreamStalledAtTheEndWithoutAnEndFailsMaxLossAsUnknown) {
  // 0: stalled, no END; 1: its END came; 2: it came back; 3: 20 single-datagram streams
  for (const int how : {0, 1, 2, 3}) {
    fixture f;
    f.settings.max_loss = 1;
    f.start();
    batch b;
    for (std::uint64_t i = 0; i < 20; ++i) {
      if (how == 3) {
        b.add_sender(sender_a, 100 + static_cast<std::uint32_t>(i), 1, 0, 1'000'050'000);
      } else {
        b.add(sender_a, i);
      }
    }
    if (how == 1) b.add(sender_a, 20, group, true);
    f.feed(b);
    for (int i = 0; i < 40; ++i) {
      f.now += 50ms;
      (void)f.session->tick();
    }
    if (how == 2) {
      batch more;
      for (std::uint64_t i = 20; i < 30; ++i) more.add(sender_a, i);
      f.feed(more);
    }
    f.session->summary();
    const int code = f.session->finish();
    const auto err = f.err.str() + f.out.str();
    if (how == 0) {
      EXPECT_EQ(code, tools::exit_loss);
      EXPECT_NE(err.find("--max-loss 1% could not be checked: 1 stream stopped before the end of the run without an "
                         "END marker ("),
                std::string::npos)
          << err;
      EXPECT_NE(err.find("silent for the last 2.0 s"), std::string::npos) << err;
    } else {
      EXPECT_EQ(code, 0) << how << err;
    }
  }
}

// Trial t16t: stdout a pipe whose reader waited 8 s: "mcast-recv itself did
// not run for 7.3 s (stopped, e.g. by Ctrl-Z or SIGSTOP, or starved of
// CPU)", where it was blocked writing its own output. A pause step spent
// mostly (half or more) in writing stdout is said as that, with a code of
// its own; the silences do not count it either way.
TEST(ReceiveSession, APauseSpentWritingTheOutputIsSaidAsSuch) {
  for (const bool writing : {true, false}) {
    fixture f;
    f.settings.json_output = true;
    f.start();
    f.session->paused(7300ms, writing ? 7100ms : 300ms);
    const auto events = f.events();
    ASSERT_EQ(events.size(), 1u) << f.out.str();
    const auto& w = events[0];
    EXPECT_EQ(w["event"], "warning");
    if (writing) {
      EXPECT_EQ(w["code"], "output_blocked");
      EXPECT_DOUBLE_EQ(w["blocked_s"].get<double>(), 7.1);
      EXPECT_DOUBLE_EQ(w["paused_s"].get<double>(), 7.3);
      EXPECT_NE(f.err.str().find("mcast-recv was blocked for 7.1 s writing its output: the reader of standard output "
                                 "did not keep up"),
                std::string::npos)
          << f.err.str();
      EXPECT_EQ(f.err.str().find("did not run"), std::string::npos) << f.err.str();
    } else {
      EXPECT_EQ(w["code"], "paused");
      EXPECT_NE(f.err.str().find("mcast-recv itself did not run for 7.3 s"), std::string::npos) << f.err.str();
    }
  }
}

// Trial t16t: behind a reader of stdout that waited 8 s, 40,003 sent, 5,553
// read and 29,584 socket drops: the rest was left in the receive queue when
// the tail read's 100 ms ran out. receive_loop counts them; the session
// says so, a warning of its own.
TEST(ReceiveSession, DatagramsLeftUnreadAtTheEndAreSaid) {
  fixture f;
  f.settings.json_output = true;
  f.start();
  f.session->left_unread(4866);
  const auto events = f.events();
  ASSERT_EQ(events.size(), 1u) << f.out.str();
  EXPECT_EQ(events[0]["code"], "tail_unread");
  EXPECT_EQ(events[0]["unread"], 4866);
  EXPECT_NE(f.err.str().find("4866 datagrams that arrived before the end of the run were left unread in the receive "
                             "queue"),
            std::string::npos)
      << f.err.str();
}

// Trial t16u L1: the unread count was on the tail_unread warning only; the
// summary's total has it too (0 when nothing was left), and the text total
// line says it beside the socket drops, so that the summary alone gives
// read + drops + unread. A socket whose io_uring request could not be
// stopped has its tail said unknown.
TEST(ReceiveSession, TheSummaryTotalCountsWhatWasLeftUnread) {
  for (const bool json_output : {false, true}) {
    for (const std::uint64_t unread : {std::uint64_t{0}, std::uint64_t{4866}}) {
      SCOPED_TRACE(json_output ? "json" : "text");
      SCOPED_TRACE(unread);
      fixture f;
      f.settings.json_output = json_output;
      f.start();
      batch b;
      for (std::uint64_t i = 0; i < 10; ++i) b.add(sender_a, i);
      f.feed(b);
      f.drops = 3;
      if (unread > 0) f.session->left_unread(unread);
      f.session->summary();
      if (json_output) {
        const auto events = f.events();
        const auto* summary = test::tools::find_event(events, "summary");
        ASSERT_NE(summary, nullptr) << f.out.str();
        EXPECT_EQ((*summary)["total"]["unread"], unread) << f.out.str();
        EXPECT_EQ((*summary)["total"]["kernel_drops"], 3);
        test::tools::expect_schema_conform(f.out.str());
      } else {
        EXPECT_NE(f.out.str().find(fmt::format("mcast-recv: 10 datagrams, 1000 bytes, 0 lost, 0 reordered, 0 "
                                               "duplicates, 3 socket drops, {} unread in ",
                                               unread)),
                  std::string::npos)
            << f.out.str();
      }
    }
  }
  fixture f;
  f.settings.json_output = true;
  f.start();
  f.session->left_unread(0, 1, "Connection timed out");
  const auto events = f.events();
  ASSERT_EQ(events.size(), 1u) << f.out.str();
  EXPECT_EQ(events[0]["code"], "tail_unread");
  EXPECT_EQ(events[0]["unread"], 0);
  EXPECT_NE(f.err.str().find("the tail of 1 socket is unknown: its io_uring receive request could not be stopped "
                             "(Connection timed out)"),
            std::string::npos)
      << f.err.str();
}

// Trial t16v H1: behind a slow reader of stdout, 2,785 datagrams were left
// unread at the end and the network had dropped 1,139 of the later ones:
// the END markers were in the unread tail, and the run said "0 lost", the
// stream tail_unknown false, exit 0 with --max-loss 1. A stream not ended
// has its tail unknown then, as with socket drops after the last read:
// tail_unknown, loss_percent null, --max-loss fails as loss_unknown (as
// `loss` where the loss measured already fails it), the text total line
// says why. An ended stream and --count reached are unaffected.
TEST(ReceiveSession, DatagramsLeftUnreadMakeTheTailOfAStreamNotEndedUnknown) {
  const std::string note = "2785 datagrams left unread in the receive queues and 1 stream without its END marker: "
                           "its tail is unknown";
  for (const bool json_output : {false, true}) {
    SCOPED_TRACE(json_output ? "json" : "text");
    fixture f;
    f.settings.json_output = json_output;
    f.settings.max_loss = 1.0;
    f.start();
    batch b;
    for (std::uint64_t i = 0; i < 10; ++i) b.add(sender_a, i);
    f.feed(b);
    f.session->left_unread(2785);
    f.session->summary();
    EXPECT_EQ(f.session->failure_code(), std::optional<std::string>("loss_unknown"));
    EXPECT_EQ(f.session->finish(), tools::exit_loss);
    EXPECT_NE(f.err.str().find("--max-loss 1% could not be checked: " + note), std::string::npos) << f.err.str();
    if (json_output) {
      const auto events = f.events();
      const auto* summary = test::tools::find_event(events, "summary");
      ASSERT_NE(summary, nullptr) << f.out.str();
      const auto& total = (*summary)["total"];
      EXPECT_EQ(total["unread"], 2785);
      EXPECT_EQ(total["tail_unknown"], 1) << total;
      EXPECT_TRUE(total["loss_percent"].is_null()) << total;
      EXPECT_EQ(total["uncounted_drops"], 0);
      ASSERT_EQ((*summary)["streams"].size(), 1u);
      EXPECT_EQ((*summary)["streams"][0]["tail_unknown"], true);
      test::tools::expect_schema_conform(f.out.str());
    } else {
      EXPECT_NE(f.out.str().find("0 socket drops, 2785 unread in "), std::string::npos) << f.out.str();
      EXPECT_NE(f.out.str().find("(" + note + ")"), std::string::npos) << f.out.str();
    }
  }
  // The loss measured already fails it: `loss`, and the message says the tail too.
  {
    fixture f;
    f.settings.max_loss = 1.0;
    f.start();
    batch b;
    for (std::uint64_t i = 0; i < 10; i += 2) b.add(sender_a, i);
    f.feed(b);
    f.session->left_unread(2785);
    f.session->summary();
    EXPECT_EQ(f.session->failure_code(), std::optional<std::string>("loss"));
    EXPECT_EQ(f.session->finish(), tools::exit_loss);
    EXPECT_NE(f.err.str().find("(" + note + ")"), std::string::npos) << f.err.str();
  }
  // Ended (its END read), or --count reached: what was left is none of the run's.
  for (const bool ended : {true, false}) {
    SCOPED_TRACE(ended ? "ended" : "--count reached");
    fixture f;
    f.settings.json_output = true;
    f.settings.max_loss = 1.0;
    if (!ended) f.settings.count = 10;
    f.start();
    batch b;
    for (std::uint64_t i = 0; i < 10; ++i) b.add(sender_a, i);
    if (ended) b.add(sender_a, 10, group, true);
    f.feed(b);
    f.session->left_unread(2785);
    f.session->summary();
    EXPECT_EQ(f.session->finish(), 0) << f.err.str();
    const auto events = f.events();
    const auto* summary = test::tools::find_event(events, "summary");
    ASSERT_NE(summary, nullptr) << f.out.str();
    const auto& total = (*summary)["total"];
    EXPECT_EQ(total["unread"], 2785);
    EXPECT_EQ(total["tail_unknown"], 0) << total;
    EXPECT_DOUBLE_EQ(total["loss_percent"].get<double>(), 0.0) << total;
    EXPECT_EQ((*summary)["streams"][0]["tail_unknown"], false);
    EXPECT_EQ(f.out.str().find("tail is unknown"), std::string::npos) << f.out.str();
  }
}

// Trial t16v M1: with --csv the text total line's notes were nowhere (no
// total row): 20 streams that lost 63 % to socket drops at the tail read
// lost 0 in every row, and stderr had only the drops by cause. The total
// line goes to stderr as the text report has it, its notes with it (the
// tail dropped, the tail left unread), and the reads line too.
TEST(ReceiveSession, CsvSaysTheTextTotalLineAndItsNotesOnStderr) {
  fixture f;
  f.settings.csv = true;
  f.start();
  batch b;
  for (std::uint64_t i = 0; i < 10; ++i) b.add(sender_a, i);
  f.feed(b);
  f.drops = 90;  // all after the last datagram read
  f.session->left_unread(5);
  f.session->set_reads({.calls = 2, .datagrams = 10});
  f.session->summary();
  const auto err = f.err.str();
  EXPECT_NE(err.find("mcast-recv: 10 datagrams, 1000 bytes, 0 lost, 0 reordered, 0 duplicates, 90 socket drops, 5 "
                     "unread in "),
            std::string::npos)
      << err;
  EXPECT_NE(err.find("(90 socket drops after the last datagram read, and 1 stream without its END marker: the tail "
                     "of the run may have been dropped with its END markers, uncounted in lost)"),
            std::string::npos)
      << err;
  EXPECT_NE(err.find("(5 datagrams left unread in the receive queues and 1 stream without its END marker: its tail "
                     "is unknown)"),
            std::string::npos)
      << err;
  EXPECT_GT(err.find("mcast-recv: read 10 datagrams in 2 recvmmsg calls"), err.find("mcast-recv: 10 datagrams"))
      << "after the total line, as in text: " << err;
  EXPECT_NE(err.find("mcast-recv: read 10 datagrams in 2 recvmmsg calls"), std::string::npos) << err;
  EXPECT_EQ(f.out.str().find("socket drops"), std::string::npos) << "the rows are CSV only: " << f.out.str();
  // Not without --csv: the text report has it on stdout, once.
  fixture g;
  g.start();
  g.feed(b);
  g.session->summary();
  EXPECT_EQ(g.err.str().find("socket drops"), std::string::npos) << g.err.str();
}

// Trial t16v L1: the reads line said "read in 229 recvmmsg calls (21.8
// datagrams each)", so reads.datagrams (END markers included), and with it
// the run's reads + drops + unread, could not be made from the text alone.
// It gives the count.
TEST(ReceiveSession, TheReadsLineGivesTheDatagramsRead) {
  for (const bool uring : {false, true}) {
    fixture f;
    f.start();
    batch b;
    for (std::uint64_t i = 0; i < 10; ++i) b.add(sender_a, i);
    f.feed(b);
    f.session->set_reads({.calls = 229, .datagrams = 5003, .io_uring = uring});
    f.session->summary();
    EXPECT_NE(f.out.str().find(fmt::format("mcast-recv: read 5003 datagrams in 229 {} (21.8 each); coalescing off",
                                           uring ? "io_uring reads" : "recvmmsg calls")),
              std::string::npos)
        << f.out.str();
  }
}

// Trial t16t: after a junk flood (8,000 single-datagram streams) the
// --max-loss message said "silent for the last 9.5 s" where the stream's
// summary line and stalled_at_end_s said 8.9: the message took its own
// clock reading after the summary's many lines were written. One silence,
// one figure: the run's end, as the summary took it.
TEST(ReceiveSession, TheMaxLossMessageSaysTheSilenceOfTheSummary) {
  fixture f;
  f.settings.max_loss = 1;
  f.start();
  batch b;
  for (std::uint64_t i = 0; i < 20; ++i) b.add(sender_a, i);
  f.feed(b);
  for (int i = 0; i < 40; ++i) {
    f.now += 50ms;
    (void)f.session->tick();
  }
  f.session->summary();
  f.now += 700ms;  // the summary's writing took that long
  const int code = f.session->finish();
  const auto all = f.err.str() + f.out.str();
  EXPECT_EQ(code, tools::exit_loss);
  EXPECT_NE(all.find(": stalled at the end, silent for the last 2.0 s of the run: "), std::string::npos) << all;
  EXPECT_NE(all.find(", silent for the last 2.0 s): what it sent after its last datagram is unknown"),
            std::string::npos)
      << all;
  EXPECT_EQ(all.find("silent for the last 2.7 s"), std::string::npos) << all;
}

// Trial t16z (issue #16, HIGH): a feed whose tail and END markers were lost,
// then ONE forged END with its sender id: one of 2^64-1 (claims nothing),
// one at or below the highest number seen (ends nothing), one of another
// session (a stray), each after the stall or among the datagrams. An END
// not believed is not the stream's end: the stall at the end stays, and
// --max-loss fails as unknown. A believed END (the highest + 1) ends it.
TEST(ReceiveSession, AnEndNotBelievedDoesNotEndAStalledStream) {
  struct forged {
    const char* name;
    std::uint32_t session;
    std::uint64_t count;
    bool before_stall;
    bool believed;
  };
  for (const auto& c : {forged{"far", 1, UINT64_MAX, false, false}, forged{"far early", 1, UINT64_MAX, true, false},
                        forged{"low", 1, 5, false, false}, forged{"highest", 1, 19, false, false},
                        forged{"other session", 2, UINT64_MAX, false, false},
                        forged{"other session, near", 2, 20, false, false}, forged{"near", 1, 20, false, true}}) {
    fixture f;
    f.settings.max_loss = 1;
    f.start();
    batch b;
    for (std::uint64_t i = 0; i < 20; ++i) b.add(sender_a, i);
    batch end;
    end.session_id = c.session;
    end.add(sender_a, c.count, group, true);
    f.feed(b);
    if (c.before_stall) f.feed(end);
    for (int i = 0; i < 40; ++i) {
      f.now += 50ms;
      (void)f.session->tick();
    }
    if (!c.before_stall) f.feed(end);
    f.now += 50ms;
    (void)f.session->tick();
    f.session->summary();
    const int code = f.session->finish();
    const auto all = f.err.str() + f.out.str();
    if (c.believed) {
      EXPECT_EQ(code, 0) << c.name << all;
      EXPECT_EQ(all.find("stalled at the end"), std::string::npos) << c.name << all;
    } else {
      EXPECT_EQ(code, tools::exit_loss) << c.name << all;
      EXPECT_NE(all.find(": stalled at the end, silent for the last "), std::string::npos) << c.name << all;
      EXPECT_NE(all.find("--max-loss 1% could not be checked: 1 stream stopped before the end of the run without an "
                         "END marker ("),
                std::string::npos)
          << c.name << all;
      EXPECT_EQ(f.session->failure_code(), std::optional<std::string>("loss_unknown")) << c.name << all;
    }
  }
}

// trial t20y L1: the "stalled at the end" line of an mcnet flow without
// its END said "(--max-loss fails as loss_unknown)" without --max-loss, and
// with one whose limit the loss measured already passes, where the run
// fails as `loss`. It says what that run does: nothing of --max-loss
// without one, the failure's real code with one; the `loss` failure's
// message (JSON's error event too) names the unknown tail as well.
TEST(ReceiveSession, TheStalledLineSaysWhatMaxLossDoesInThatRun) {
  struct run_case {
    const char* what;
    std::optional<double> max_loss;
    bool json_output;
    int exit;
    const char* says;  // the stalled line's end (text), or the error's code (JSON)
  };
  for (const auto& c :
       {run_case{"no --max-loss", std::nullopt, false, 0, "; no END marker came, so its tail is unknown ("},
        run_case{"loss above it", 5.0, false, tools::exit_loss,
                 "; no END marker came, so its tail is unknown (--max-loss 5% fails as loss: the loss measured "
                 "already passes it) ("},
        run_case{"loss within it", 60.0, false, tools::exit_loss,
                 "; no END marker came, so its tail is unknown (--max-loss 60% fails as loss_unknown) ("},
        run_case{"loss above it, JSON", 5.0, true, tools::exit_loss, "loss"},
        run_case{"loss within it, JSON", 60.0, true, tools::exit_loss, "loss_unknown"}}) {
    SCOPED_TRACE(c.what);
    fixture f;
    f.settings.max_loss = c.max_loss;
    f.settings.json_output = c.json_output;
    f.start();
    batch b;
    for (std::uint64_t i = 0; i < 40; i += 2) b.add(sender_a, i);  // every other one lost, no END
    f.feed(b);
    for (int i = 0; i < 40; ++i) {
      f.now += 50ms;
      (void)f.session->tick();
    }
    f.session->summary();
    EXPECT_EQ(f.session->finish(), c.exit) << f.out.str() << f.err.str();
    if (!c.json_output) {
      const auto out = f.out.str();
      EXPECT_NE(out.find(": stalled at the end, silent for the last 2.0 s of the run: "), std::string::npos) << out;
      EXPECT_NE(out.find(c.says), std::string::npos) << out;
      if (!c.max_loss) {
        EXPECT_EQ(out.find("--max-loss"), std::string::npos) << out;
      }
      continue;
    }
    test::tools::expect_schema_conform(f.out.str());
    const auto events = f.events();
    const auto* error = test::tools::find_event(events, "error");
    ASSERT_NE(error, nullptr) << f.out.str();
    EXPECT_EQ((*error)["code"], c.says) << *error;
    EXPECT_NE((*error)["message"].get<std::string>().find(
                  "1 stream stopped before the end of the run without an END marker"),
              std::string::npos)
        << *error;
  }
}

// The stall watch walks the streams every 50 ms up to 4,096 of them, 50 ms
// less often per 4,096 more (a table a junk flood filled costs the same):
// 100 streams stalled are said at the first tick past their limit, 8,192
// at the first tick 100 ms after the walk before.
TEST(ReceiveSession, TheStallWatchWalksALargeTableLessOften) {
  for (const std::uint32_t streams : {100u, 8192u}) {
    SCOPED_TRACE(streams);
    fixture f;
    f.settings.json_output = true;
    f.settings.max_streams = 10'000;
    f.start();
    // Five datagrams 10 ms apart each (the watch's warm-up): the limit is
    // its floor, 1 s of silence after the last, at 40 ms.
    for (std::uint64_t i = 0; i < 5; ++i) {
      f.now = std::chrono::steady_clock::time_point{} + i * 10ms;
      batch b;
      for (std::uint32_t id = 0; id < streams; ++id) {
        b.add_sender(sender_a, id, 1, i, 1'000'000'000 + static_cast<std::int64_t>(i) * 10'000'000);
      }
      f.feed(b);
    }
    const auto stalled = [&f] {  // the `stalled` warnings so far (counted in the text: 8,192 lines)
      const auto out = f.out.str();
      std::size_t n = 0;
      for (auto at = out.find("\"code\":\"stalled\""); at != std::string::npos;
           at = out.find("\"code\":\"stalled\"", at + 1)) {
        ++n;
      }
      return n;
    };
    f.now = std::chrono::steady_clock::time_point{} + 1030ms;  // 990 ms of silence: a walk, none stalled
    (void)f.session->tick();
    EXPECT_EQ(stalled(), 0u);
    f.now += 60ms;  // 1,050 ms of silence
    (void)f.session->tick();
    EXPECT_EQ(stalled(), streams <= 4096 ? streams : 0u) << "walked 60 ms after the last walk";
    f.now += 40ms;
    (void)f.session->tick();
    EXPECT_EQ(stalled(), streams) << "walked 100 ms after the last walk";
  }
}

// Trial t20r H1: the stall watch was per flow (source, group, port), so
// another stream of the flow hid one that stopped without its END: its END
// later (A), or its datagrams still coming at the end of the run (C), from
// another session or sender id (B). The stopped stream read lost 0,
// stalled_at_end_s null, tail_unknown false, and --max-loss 5 passed. The
// watch is each stream's own: it is stalled at the end, its tail unknown,
// named in the stalled warning, and --max-loss fails as loss_unknown.
TEST(ReceiveSession, AStreamThatStoppedWithoutItsEndIsNotHiddenByAnotherStreamOfItsFlow) {
  struct share_case {
    const char* what;
    std::uint32_t other_id;
    std::uint32_t other_session;
    bool other_ends;  // else it is still sending when the run ends
  };
  for (const auto& c : {share_case{"another session ends with its END", 9, 3, true},
                        share_case{"another session still sending", 9, 3, false},
                        share_case{"another sender id ends with its END", 3, 1, true},
                        share_case{"another sender id still sending", 3, 1, false}}) {
    SCOPED_TRACE(c.what);
    fixture f;
    f.settings.json_output = true;
    f.settings.max_loss = 5;
    f.start();
    // 10 ms apart: the stopped one (sender id 9, session 1) 0..49, the other 0..299.
    const std::uint64_t other_last = c.other_ends ? 300 : 350;
    for (std::uint64_t i = 0; i < other_last; ++i) {
      f.now += 10ms;
      const auto at = 1'000'000'000 + static_cast<std::int64_t>(i) * 10'000'000;
      batch b;
      if (i < 50) b.add_sender(sender_a, 9, 1, i, at);
      b.add_sender(sender_a, c.other_id, c.other_session, i, at);
      f.feed(b);
      (void)f.session->tick();
    }
    if (c.other_ends) {
      batch end;
      end.add_sender(sender_a, c.other_id, c.other_session, 300, std::int64_t{4'000'000'000}, true);
      f.feed(end);
      for (int i = 0; i < 50; ++i) {
        f.now += 10ms;
        (void)f.session->tick();
      }
    }
    f.session->summary();
    EXPECT_EQ(f.session->finish(), tools::exit_loss) << f.out.str();
    const auto out = f.out.str();
    test::tools::expect_schema_conform(out);
    const auto events = f.events();
    bool warned = false;
    for (const auto& e : events) {
      if (e["event"] != "warning" || e["code"] != "stalled") continue;
      EXPECT_EQ(e["sender_id"], 9) << e;
      EXPECT_EQ(e["session"], 1) << e;
      EXPECT_EQ(e["payload"], "mcnet") << e;
      EXPECT_NE(e["message"].get<std::string>().find(" (sender id 9, session 1): stalled, silent for "),
                std::string::npos)
          << e;
      warned = true;
    }
    EXPECT_TRUE(warned) << out;
    const auto* summary = test::tools::find_event(events, "summary");
    ASSERT_NE(summary, nullptr) << out;
    ASSERT_EQ((*summary)["streams"].size(), 2u) << out;
    for (const auto& s : (*summary)["streams"]) {
      const bool stopped = s["sender_id"] == 9 && s["session"] == 1;
      EXPECT_EQ(s["packets"], stopped ? 50 : other_last) << s;
      EXPECT_EQ(s["tail_unknown"], stopped) << s;
      if (stopped) {
        EXPECT_NEAR(s["stalled_at_end_s"].get<double>(), 0.01 * static_cast<double>(other_last + (c.other_ends ? 50 : 0) - 50),
                    0.02)
            << s;
      } else {
        EXPECT_TRUE(s["stalled_at_end_s"].is_null()) << s;
      }
    }
    const auto& total = (*summary)["total"];
    EXPECT_EQ(total["stalled_at_end"], 1) << total;
    EXPECT_EQ(total["tail_unknown"], 1) << total;
    EXPECT_TRUE(total["loss_percent"].is_null()) << total;
    const auto* error = test::tools::find_event(events, "error");
    ASSERT_NE(error, nullptr) << out;
    EXPECT_EQ((*error)["code"], "loss_unknown") << *error;
    EXPECT_NE((*error)["message"].get<std::string>().find(
                  fmt::format("1 stream stopped before the end of the run without an END marker ({} from {} (sender id "
                              "9, session 1), silent for the last ",
                              core::endpoint(group, port).to_string(), sender_a.to_string())),
              std::string::npos)
        << *error;
  }
}

// Trial t20r M2: one flow, session 3 ended with its END at 0.5 s, session 1
// stopped at 3 s without one. Session 3 got stalled_at_end_s (JSON, CSV)
// and counted in total.stalled_at_end (2, the text total 1). A stream that
// ended is not stalled: text, JSON and CSV say 1, session 1.
TEST(ReceiveSession, AStreamThatEndedIsNotStalledWhenAnotherOfItsFlowStops) {
  for (const int mode : {0, 1, 2}) {  // text, JSON, CSV
    SCOPED_TRACE(mode);
    fixture f;
    f.settings.json_output = mode == 1;
    f.settings.csv = mode == 2;
    f.start();
    for (std::uint64_t i = 0; i < 300; ++i) {
      f.now += 10ms;
      const auto at = 1'000'000'000 + static_cast<std::int64_t>(i) * 10'000'000;
      batch b;
      if (i < 50) b.add_session(sender_a, 3, i, at);
      if (i == 50) b.add_session(sender_a, 3, 50, at, true);
      b.add_session(sender_a, 1, i, at);
      f.feed(b);
      (void)f.session->tick();
    }
    for (int i = 0; i < 200; ++i) {
      f.now += 10ms;
      (void)f.session->tick();
    }
    f.session->summary();
    (void)f.session->finish();
    const auto out = f.out.str();
    const auto flow = fmt::format("{} from {}", core::endpoint(group, port).to_string(), sender_a.to_string());
    if (mode == 0) {
      const auto all = out + f.err.str();
      EXPECT_NE(all.find(fmt::format("  {} (sender id 9, session 1): stalled at the end, silent for the last 2.0 s", flow)),
                std::string::npos)
          << all;
      EXPECT_EQ(all.find("session 3): stalled"), std::string::npos) << all;
      EXPECT_NE(all.find("(1 stream stalled at the end without an END marker (see above): its tail is unknown, so "
                         "is its loss)"),
                std::string::npos)
          << all;
    } else if (mode == 1) {
      test::tools::expect_schema_conform(out);
      const auto events = f.events();
      const auto* summary = test::tools::find_event(events, "summary");
      ASSERT_NE(summary, nullptr) << out;
      ASSERT_EQ((*summary)["streams"].size(), 2u) << out;
      for (const auto& s : (*summary)["streams"]) {
        const bool ended = s["session"] == 3;
        EXPECT_EQ(s["stalled_at_end_s"].is_null(), ended) << s;
        EXPECT_EQ(s["tail_unknown"], !ended) << s;
      }
      EXPECT_EQ((*summary)["total"]["stalled_at_end"], 1) << (*summary)["total"];
      EXPECT_EQ((*summary)["total"]["tail_unknown"], 1) << (*summary)["total"];
    } else {
      std::istringstream lines(out);
      std::size_t rows = 0;
      for (std::string line; std::getline(lines, line);) {
        if (!line.starts_with("summary,")) continue;
        const bool ended = line.find(",9,3,") != std::string::npos;
        ASSERT_TRUE(ended || line.find(",9,1,") != std::string::npos) << line;
        EXPECT_EQ(csv_cell(line, "stalled_at_end_s"), ended ? "" : "2") << line;
        EXPECT_EQ(csv_cell(line, "tail_unknown"), ended ? "false" : "true") << line;
        ++rows;
      }
      EXPECT_EQ(rows, 2u) << out;
    }
  }
}

// Trial t20s H1: a stream that stopped without its END, stalled, and was
// then evicted from a full table took its stall watch with it: the summary
// read tail_unknown 0, loss_percent 0.0, and --max-loss 5 passed. Its
// unknown tail stays: its evicted feed says it (text, JSON, CSV), the total
// counts it, loss_percent is null and --max-loss fails as loss_unknown
// naming it. Back as a stream after its eviction, it is no longer unknown.
TEST(ReceiveSession, AStreamStalledWithoutItsEndKeepsItsUnknownTailWhenEvicted) {
  for (const int mode : {0, 1, 2, 3}) {  // text, JSON, CSV; 3: JSON, it comes back and ends
    SCOPED_TRACE(mode);
    fixture f;
    f.settings.json_output = mode == 1 || mode == 3;
    f.settings.csv = mode == 2;
    f.settings.max_streams = 1;
    f.settings.max_loss = 5;
    f.start();
    std::int64_t at = 1'000'000'000;
    // Sender id 1: 6 datagrams 10 ms apart (past the watch's warm-up), no END.
    for (std::uint64_t i = 0; i < 6; ++i, at += 10'000'000) {
      f.now += 10ms;
      batch b;
      b.add_sender(sender_a, 1, 1, i, at);
      f.feed(b);
      (void)f.session->tick();
    }
    for (int i = 0; i < 160; ++i, at += 10'000'000) {  // 1.6 s: stalled (its floor, 1 s)
      f.now += 10ms;
      (void)f.session->tick();
    }
    // Sender id 2 takes the only place (id 1: 6 datagrams, overdue, idle 1.6 s), and ends.
    for (std::uint64_t i = 0; i < 100; ++i, at += 10'000'000) {
      f.now += 10ms;
      batch b;
      b.add_sender(sender_a, 2, 1, i, at);
      f.feed(b);
      (void)f.session->tick();
    }
    {
      batch b;
      b.add_sender(sender_a, 2, 1, 100, at, true);
      f.feed(b);
    }
    if (mode == 3) {  // id 1 comes back (id 2 ended: evictable), goes on and ends
      for (std::uint64_t i = 6; i < 20; ++i, at += 10'000'000) {
        f.now += 10ms;
        batch b;
        b.add_sender(sender_a, 1, 1, i, at);
        f.feed(b);
        (void)f.session->tick();
      }
      batch b;
      b.add_sender(sender_a, 1, 1, 20, at, true);
      f.feed(b);
    }
    for (int i = 0; i < 50; ++i) {
      f.now += 10ms;
      (void)f.session->tick();
    }
    f.session->summary();
    const int exit = f.session->finish();
    const auto out = f.out.str();
    const auto all = out + f.err.str();
    const auto name = fmt::format("{} from {} (sender id 1, session 1)", core::endpoint(group, port).to_string(),
                                  sender_a.to_string());
    if (mode == 3) {
      EXPECT_EQ(exit, 0) << all;
      test::tools::expect_schema_conform(out);
      const auto events = f.events();
      const auto* summary = test::tools::find_event(events, "summary");
      ASSERT_NE(summary, nullptr) << out;
      EXPECT_EQ((*summary)["total"]["tail_unknown"], 0) << (*summary)["total"];
      EXPECT_FALSE((*summary)["total"]["loss_percent"].is_null()) << (*summary)["total"];
      for (const auto& e : (*summary)["evicted_feeds"]) EXPECT_EQ(e["tail_unknown"], false) << e;
      continue;
    }
    EXPECT_EQ(exit, tools::exit_loss) << all;
    EXPECT_NE(all.find(fmt::format("{} stopped before the end of the run without an END marker ({}, evicted from the "
                                   "stream table, silent for the last ",
                                   "1 stream", name)),
              std::string::npos)
        << all;
    if (mode == 0) {
      EXPECT_NE(all.find(fmt::format("  {}: evicted from the stream table (no line above): 6 packets as it left, lost "
                                     "0 reordered 0 duplicates 0 jumps 0, stalled without its END, silent for "
                                     "the last ",
                                     name)),
                std::string::npos)
          << all;
      EXPECT_NE(all.find(" s of the run; no END marker came, so its tail is unknown (--max-loss 5% fails as "
                         "loss_unknown)"),
                std::string::npos)
          << all;
      EXPECT_NE(all.find("(1 stream stalled at the end without an END marker (see above): its tail is unknown, so "
                         "is its loss)"),
                std::string::npos)
          << all;
      // Trial t20t L3: "(1 streams)", "(1 single-datagram, ended or idle streams evicted ...".
      EXPECT_NE(all.find("the stream table is full (1 stream): "), std::string::npos) << all;
      EXPECT_NE(all.find("(1 single-datagram, ended or idle stream evicted to make room; its counts are in these "
                         "totals)"),
                std::string::npos)
          << all;
    } else if (mode == 1) {
      test::tools::expect_schema_conform(out);
      const auto events = f.events();
      const auto* summary = test::tools::find_event(events, "summary");
      ASSERT_NE(summary, nullptr) << out;
      ASSERT_EQ((*summary)["evicted_feeds"].size(), 1u) << out;
      const auto& feed = (*summary)["evicted_feeds"][0];
      EXPECT_EQ(feed["sender_id"], 1) << feed;
      EXPECT_EQ(feed["ended"], false) << feed;
      EXPECT_EQ(feed["tail_unknown"], true) << feed;
      // Trial t20t L1: its silence at the end was in the text only (its
      // last datagram 1.6 s + 1 s + 0.5 s before the run's end).
      ASSERT_TRUE(feed["stalled_at_end_s"].is_number()) << feed;
      EXPECT_NEAR(feed["stalled_at_end_s"].get<double>(), 3.1, 0.05) << feed;
      const auto& total = (*summary)["total"];
      EXPECT_EQ(total["tail_unknown"], 1) << total;
      // Trial t20t M1: stalled_at_end 0 beside tail_unknown 1.
      EXPECT_EQ(total["stalled_at_end"], 1) << total;
      EXPECT_TRUE(total["loss_percent"].is_null()) << total;
      const auto* error = test::tools::find_event(events, "error");
      ASSERT_NE(error, nullptr) << out;
      EXPECT_EQ((*error)["code"], "loss_unknown") << *error;
    } else {
      std::istringstream lines(out);
      std::size_t rows = 0;
      for (std::string line; std::getline(lines, line);) {
        if (line.starts_with("evicted,")) {
          EXPECT_NE(line.find(",1,1,"), std::string::npos) << line;
          // Its stalled_at_end_s and tail_unknown cells (trial t20t L1).
          EXPECT_EQ(csv_cell(line, "tail_unknown"), "true") << line;
          const auto silence = csv_cell(line, "stalled_at_end_s");
          ASSERT_FALSE(silence.empty()) << line;
          EXPECT_NEAR(std::stod(silence), 3.1, 0.05) << line;
          // Not ended, not back (trial t20u L1: JSON's ended had no cell).
          EXPECT_EQ(csv_cell(line, "ended"), "false") << line;
          EXPECT_EQ(csv_cell(line, "back"), "false") << line;
          EXPECT_EQ(csv_cell(line, "unresumed"), "false") << line;
          ++rows;
        } else if (line.starts_with("summary,")) {
          EXPECT_EQ(csv_cell(line, "stalled_at_end_s"), "") << line;
          EXPECT_EQ(csv_cell(line, "tail_unknown"), "false") << line;
          EXPECT_EQ(csv_cell(line, "unresumed"), "") << line;
        }
      }
      EXPECT_EQ(rows, 1u) << out;
    }
  }
}

// h20z's caveats of the test above. (a) A stream evicted less than a
// second after it went quiet, before its watch said it stalled, was not
// remembered: its tail was lost with it (lost 0, exit 0). Its watch goes on
// after the eviction: it stalls, its tail is unknown. (b) An END that comes
// for a stream remembered so while the table is full (no room to bring it
// back) tells its tail: the memory is cleared, the numbers the END shows
// missing count as lost, its evicted feed ended.
TEST(ReceiveSession, AnEvictedStreamsWatchGoesOnAndItsEndTellsItsTail) {
  for (const int mode : {0, 1, 2, 3}) {  // 0: (a); 1: (a), and text; 2: (b) END with count 6; 3: (b) count 8
    SCOPED_TRACE(mode);
    fixture f;
    f.settings.json_output = mode != 1;
    f.settings.max_streams = 1;
    f.settings.max_loss = 5;
    f.start();
    std::int64_t at = 1'000'000'000;
    // Sender id 1: 6 datagrams 100 ms apart (past the warm-up), no END.
    for (std::uint64_t i = 0; i < 6; ++i) {
      if (i > 0) {
        for (int k = 0; k < 10; ++k) {
          f.now += 10ms;
          (void)f.session->tick();
        }
        at += 100'000'000;
      }
      batch b;
      b.add_sender(sender_a, 1, 1, i, at);
      f.feed(b);
      (void)f.session->tick();
    }
    // (a): quiet 500 ms (overdue: 4 of its intervals; not stalled: under
    // 1 s) when id 2 takes its place; (b): stalled (1.6 s) first.
    const int quiet = mode < 2 ? 50 : 160;
    for (int k = 0; k < quiet; ++k, at += 10'000'000) {
      f.now += 10ms;
      (void)f.session->tick();
    }
    // Sender id 2: 100 datagrams 10 ms apart, live to the end (the table stays full).
    for (std::uint64_t i = 0; i < 100; ++i, at += 10'000'000) {
      f.now += 10ms;
      batch b;
      b.add_sender(sender_a, 2, 1, i, at);
      if (i == 50 && mode >= 2) {
        for (int e = 0; e < 3; ++e) b.add_sender(sender_a, 1, 1, mode == 2 ? 6 : 8, at, true);  // id 1's END, 3 times
      }
      f.feed(b);
      (void)f.session->tick();
    }
    {
      batch b;
      b.add_sender(sender_a, 2, 1, 100, at, true);
      f.feed(b);
    }
    for (int k = 0; k < 50; ++k) {
      f.now += 10ms;
      (void)f.session->tick();
    }
    f.session->summary();
    const int exit = f.session->finish();
    const auto out = f.out.str();
    const auto all = out + f.err.str();
    if (mode == 1) {
      EXPECT_EQ(exit, tools::exit_loss) << all;
      EXPECT_NE(all.find("(sender id 1, session 1): stalled, silent for "), std::string::npos) << all;
      EXPECT_NE(all.find("(sender id 1, session 1): evicted from the stream table (no line above): 6 packets as it "
                         "left, lost 0 reordered 0 duplicates 0 jumps 0, stalled without its END, silent for the "
                         "last "),
                std::string::npos)
          << all;
      continue;
    }
    test::tools::expect_schema_conform(out);
    const auto events = f.events();
    const auto* summary = test::tools::find_event(events, "summary");
    ASSERT_NE(summary, nullptr) << out;
    const auto& total = (*summary)["total"];
    ASSERT_EQ((*summary)["evicted_feeds"].size(), 1u) << out;
    const auto& feed = (*summary)["evicted_feeds"][0];
    EXPECT_EQ(feed["sender_id"], 1) << feed;
    if (mode == 0) {
      EXPECT_EQ(exit, tools::exit_loss) << all;
      EXPECT_EQ(total["tail_unknown"], 1) << total;
      EXPECT_TRUE(total["loss_percent"].is_null()) << total;
      EXPECT_EQ(feed["tail_unknown"], true) << feed;
      const auto* error = test::tools::find_event(events, "error");
      ASSERT_NE(error, nullptr) << out;
      EXPECT_EQ((*error)["code"], "loss_unknown") << *error;
    } else {
      EXPECT_EQ(total["tail_unknown"], 0) << total;
      EXPECT_EQ(feed["tail_unknown"], false) << feed;
      EXPECT_EQ(feed["ended"], true) << feed;
      EXPECT_EQ(feed["lost"], mode == 2 ? 0 : 2) << feed;
      EXPECT_EQ(total["lost"], mode == 2 ? 0 : 2) << total;
      if (mode == 2) {
        EXPECT_EQ(exit, 0) << all;
        EXPECT_TRUE(total["loss_percent"].is_number()) << total;
      } else {
        EXPECT_EQ(exit, tools::exit_loss) << all;  // 2 of id 1's 8 lost: 25 %
        const auto* error = test::tools::find_event(events, "error");
        ASSERT_NE(error, nullptr) << out;
        EXPECT_EQ((*error)["code"], "loss") << *error;
      }
    }
  }
}

// Trial t20t H1 (resume_pace.sh): a stream evicted after its first
// datagram (single-datagram junk ids took its place) and resumed from its
// record, then 4 more numbers 20 ms apart and silence without its END,
// read no stall, its tail known, loss 0.0 and exit 0: its watch started
// anew on resume and 4 datagrams never made the warm-up of 5. Its watch
// goes on from its record: the same datagrams give the same verdict with
// and without the eviction (each shape with a table of 2 and of 8): 0, 1
// that shape; 2, 3 with a 3 s pause of the receiver while it is evicted
// (no silence of it: its limit stays 1 s, not twice a gap of 3 s; the
// socket dropped datagrams meanwhile, its SO_RXQ_OVFL count 5 after: a
// full queue may hide what it sent, trial t20v M1); 4, 5
// 5 datagrams 200 ms apart evicted quiet (watched while evicted), then 3
// more (a fresh watch had 3 over 400 ms: neither a warm-up nor a short feed).
TEST(ReceiveSession, AResumedStreamsWatchCountsItsDatagramsBeforeTheEviction) {
  for (const int mode : {0, 1, 2, 3, 4, 5}) {
    SCOPED_TRACE(mode);
    fixture f;
    f.settings.json_output = true;
    f.settings.max_streams = mode % 2 == 0 ? 2 : 8;
    f.settings.max_loss = 5;
    f.start();
    std::int64_t at = 1'000'000'000;
    const auto wait = [&f, &at](int ticks, std::chrono::milliseconds each) {
      for (int k = 0; k < ticks; ++k) {
        f.now += each;
        at += std::chrono::nanoseconds(each).count();
        (void)f.session->tick();
      }
    };
    std::uint32_t drops = 0;
    const auto send = [&f, &at, &wait, &drops](std::uint32_t id, std::uint64_t seq, std::chrono::milliseconds after) {
      wait(1, after);
      batch b;
      b.add_sender(sender_a, id, 1, seq, at);
      if (drops > 0) b.carrying(drops);
      f.feed(b);
      (void)f.session->tick();
    };
    const bool quiet = mode >= 4;
    const auto pace = quiet ? 200ms : 20ms;
    const std::uint64_t before = quiet ? 5 : 1;
    for (std::uint64_t i = 0; i < before; ++i) send(1, i, pace);
    if (quiet) wait(12, 100ms);  // 1.2 s: overdue and idle a second, not stalled (its limit is 2 s)
    for (const std::uint32_t junk : {50u, 51u, 52u}) send(junk, 0, 20ms);
    if (mode == 2 || mode == 3) {
      f.now += 3s;  // the receiver stopped (SIGSTOP) for 3 s
      at += 3'000'000'000;
      f.session->paused(3s, 0s);
      drops = 5;
    }
    for (std::uint64_t i = before; i < before + (quiet ? 3 : 4); ++i) send(1, i, pace);
    const int silence = quiet ? 6 : 4;
    wait(silence * 20, 50ms);
    f.session->summary();
    const int exit = f.session->finish();
    const auto out = f.out.str();
    const auto all = out + f.err.str();
    test::tools::expect_schema_conform(out);
    const auto events = f.events();
    const auto* summary = test::tools::find_event(events, "summary");
    ASSERT_NE(summary, nullptr) << out;
    const auto& total = (*summary)["total"];
    EXPECT_EQ(total["resumed"], mode % 2 == 0 ? 1 : 0) << total;
    EXPECT_EQ(exit, tools::exit_loss) << all;
    EXPECT_EQ(total["tail_unknown"], 1) << total;
    EXPECT_EQ(total["stalled_at_end"], 1) << total;
    EXPECT_TRUE(total["loss_percent"].is_null()) << total;
    bool found = false;
    for (const auto& s : (*summary)["streams"]) {
      if (s["sender_id"] != 1) continue;
      found = true;
      EXPECT_EQ(s["packets"], quiet ? 8 : 5) << s;
      EXPECT_EQ(s["tail_unknown"], true) << s;
      ASSERT_TRUE(s["stalled_at_end_s"].is_number()) << s;
      EXPECT_NEAR(s["stalled_at_end_s"].get<double>(), silence, 0.1) << s;
    }
    EXPECT_TRUE(found) << out;
    std::size_t stalls = 0;
    for (const auto& e : events) {
      if (e["event"] == "warning" && e["code"] == "stalled" &&
          e["message"].get<std::string>().find("sender id 1,") != std::string::npos) {
        ++stalls;
      }
    }
    EXPECT_EQ(stalls, 1u) << out;
  }
}

// Trial t20u M1 (evict_back.sh B): a stream evicted while stalled whose
// numbers then come untracked (the table's only place held by a live
// stream) and stop without its END read as back: its evicted_feeds entry
// tail_unknown false, stalled_at_end_s null, its tail not in the totals.
// A stream that came back untracked is not back: its evicted watch goes on
// from its untracked datagrams (its silence from its newest) and it stalls
// again, its tail unknown. 0: B (its numbers 7..11 untracked, then
// silence), text, JSON, CSV; 3: C (it never comes back); 4: its untracked
// numbers go on to the end (not stalled).
TEST(ReceiveSession, AnEvictedStreamBackOnlyUntrackedKeepsItsStallWatch) {
  for (const int mode : {0, 1, 2, 3, 4}) {  // 0 JSON, 1 text, 2 CSV: B; 3: C; 4: untracked to the end
    SCOPED_TRACE(mode);
    fixture f;
    f.settings.json_output = mode == 0 || mode >= 3;
    f.settings.csv = mode == 2;
    f.settings.max_streams = 1;
    f.settings.max_loss = 5;
    f.start();
    std::int64_t at = 1'000'000'000;
    const auto wait = [&f, &at](int ticks) {
      for (int k = 0; k < ticks; ++k) {
        f.now += 10ms;
        at += 10'000'000;
        (void)f.session->tick();
      }
    };
    // Sender id 2: 7 numbers 20 ms apart, then 1.6 s of silence (stalled).
    for (std::uint64_t i = 0; i < 7; ++i) {
      wait(2);
      batch b;
      b.add_sender(sender_a, 2, 1, i, at);
      f.feed(b);
      (void)f.session->tick();
    }
    std::int64_t last2 = at;  // id 2's last datagram (ns; the fake clock's step is the same)
    wait(160);
    // Sender id 1 takes the only place (id 2 evicted while stalled): 300
    // numbers 10 ms apart, then its END. Id 2's come among them (untracked:
    // id 1 is live) from 0.5 s on: 7..11 (B), none (C), or to the end.
    std::uint64_t next2 = 7;
    for (std::uint64_t i = 0; i < 300; ++i) {
      wait(1);
      batch b;
      b.add_sender(sender_a, 1, 1, i, at);
      const bool two = i >= 50 && i % 2 == 0 && ((mode <= 2 && next2 < 12) || mode == 4);
      if (two) {
        b.add_sender(sender_a, 2, 1, next2++, at);
        last2 = at;
      }
      f.feed(b);
      (void)f.session->tick();
    }
    {
      batch b;
      b.add_sender(sender_a, 1, 1, 300, at, true);
      f.feed(b);
    }
    wait(30);
    f.session->summary();
    const int exit = f.session->finish();
    const auto out = f.out.str();
    const auto all = out + f.err.str();
    const bool stalled = mode != 4;
    const double silence = static_cast<double>(at - last2) / 1e9;
    if (mode == 1) {
      EXPECT_EQ(exit, tools::exit_loss) << all;
      EXPECT_NE(all.find("(sender id 2, session 1): evicted from the stream table (no line above): 7 packets as it "
                         "left, lost 0 reordered 0 duplicates 0 jumps 0, stalled without its END, silent for the "
                         "last "),
                std::string::npos)
          << all;
      EXPECT_NE(all.find(fmt::format("stalled without its END, silent for the last {:.1f} s", silence)),
                std::string::npos)
          << silence << all;
      EXPECT_NE(all.find("(1 stream stalled at the end without an END marker (see above): its tail is unknown, so "
                         "is its loss)"),
                std::string::npos)
          << all;
      continue;
    }
    if (mode == 2) {
      std::istringstream lines(out);
      std::size_t rows = 0;
      for (std::string line; std::getline(lines, line);) {
        if (!line.starts_with("evicted,")) continue;
        EXPECT_NE(line.find(",2,1,"), std::string::npos) << line;
        EXPECT_EQ(csv_cell(line, "tail_unknown"), "true") << line;
        const auto cell = csv_cell(line, "stalled_at_end_s");
        ASSERT_FALSE(cell.empty()) << line;
        EXPECT_NEAR(std::stod(cell), silence, 0.05) << line;
        ++rows;
      }
      EXPECT_EQ(rows, 1u) << out;
      continue;
    }
    test::tools::expect_schema_conform(out);
    const auto events = f.events();
    const auto* summary = test::tools::find_event(events, "summary");
    ASSERT_NE(summary, nullptr) << out;
    const auto& total = (*summary)["total"];
    ASSERT_EQ((*summary)["evicted_feeds"].size(), 1u) << out;
    const auto& feed = (*summary)["evicted_feeds"][0];
    EXPECT_EQ(feed["sender_id"], 2) << feed;
    EXPECT_EQ(feed["packets"], 7) << feed;
    EXPECT_EQ(feed["ended"], false) << feed;
    EXPECT_EQ(feed["tail_unknown"], stalled) << feed;
    EXPECT_EQ(total["tail_unknown"], stalled ? 1 : 0) << total;
    EXPECT_EQ(total["stalled_at_end"], stalled ? 1 : 0) << total;
    EXPECT_EQ(exit, tools::exit_loss) << all;  // loss unknown: stalled, or untracked numbers
    if (stalled) {
      ASSERT_TRUE(feed["stalled_at_end_s"].is_number()) << feed;
      EXPECT_NEAR(feed["stalled_at_end_s"].get<double>(), silence, 0.05) << feed;
      EXPECT_TRUE(total["loss_percent"].is_null()) << total;
    } else {
      EXPECT_TRUE(feed["stalled_at_end_s"].is_null()) << feed;
    }
    // Its stall said once each time it stopped: B twice (resumed between), C once, none in 4 after the first.
    std::size_t stalls = 0;
    std::size_t resumes = 0;
    for (const auto& e : events) {
      if (e["event"] != "warning" || e["message"].get<std::string>().find("sender id 2,") == std::string::npos) {
        continue;
      }
      if (e["code"] == "stalled") ++stalls;
      if (e["code"] == "resumed") ++resumes;
    }
    EXPECT_EQ(stalls, mode == 0 ? 2u : 1u) << out;
    EXPECT_EQ(resumes, mode == 3 ? 0u : 1u) << out;
  }
}

// Trial t20r M1: three streams of one flow stopped without their END: the
// --max-loss message (text, JSON error) named one; it names each, up to 4.
TEST(ReceiveSession, TheMaxLossMessageNamesEachStreamWhoseTailIsUnknown) {
  for (const std::uint32_t sessions : {3u, 6u}) {
    for (const bool json_output : {false, true}) {
      SCOPED_TRACE(testing::Message() << sessions << (json_output ? " JSON" : " text"));
      fixture f;
      f.settings.json_output = json_output;
      f.settings.max_loss = 5;
      f.start();
      batch b;
      for (std::uint32_t s = 1; s <= sessions; ++s) {
        for (std::uint64_t i = 0; i < 6; ++i) b.add_session(sender_a, s, i, 1'000'050'000);
      }
      f.feed(b);
      for (int i = 0; i < 40; ++i) {
        f.now += 50ms;
        (void)f.session->tick();
      }
      f.session->summary();
      EXPECT_EQ(f.session->finish(), tools::exit_loss);
      std::string message = f.err.str() + f.out.str();
      if (json_output) {
        const auto events = f.events();
        const auto* error = test::tools::find_event(events, "error");
        ASSERT_NE(error, nullptr) << f.out.str();
        EXPECT_EQ((*error)["code"], "loss_unknown") << *error;
        message = (*error)["message"].get<std::string>();
      }
      EXPECT_NE(message.find(fmt::format("--max-loss 5% could not be checked: {} streams stopped before the end of "
                                         "the run without an END marker (",
                                         sessions)),
                std::string::npos)
          << message;
      for (std::uint32_t s = 1; s <= sessions; ++s) {
        EXPECT_EQ(message.find(fmt::format("(sender id 9, session {}), silent for the last 2.0 s", s)) !=
                      std::string::npos,
                  s <= 4)
            << s << message;
      }
      EXPECT_EQ(message.find("silent for the last 2.0 s; ...)") != std::string::npos, sessions > 4) << message;
    }
  }
}

// Trial t20v L2: numbers 0, 1 and 2 arrived with a wrong length field, and
// the text said "3 before its first number 3, likely lost". They arrived:
// not in missed_at_start, said as arrived, not trusted.
TEST(ReceiveSession, DatagramsWithAWrongLengthBeforeTheFirstNumberArrivedAndAreNotLikelyLost) {
  for (const bool json_output : {false, true}) {
    SCOPED_TRACE(json_output ? "JSON" : "text");
    fixture f;
    f.settings.json_output = json_output;
    f.start();
    batch b;
    for (std::uint64_t seq = 0; seq < 50; ++seq) {
      b.add(sender_a, seq, group, false, seq < 3 ? std::optional<std::uint32_t>(107) : std::nullopt);
    }
    b.add(sender_a, 50, group, true);
    f.feed(b);
    f.session->summary();
    (void)f.session->finish();
    if (!json_output) {
      const auto out = f.out.str();
      EXPECT_NE(out.find("(its first number 3: 3 before it arrived with a wrong length field, not trusted)"),
                std::string::npos)
          << out;
      EXPECT_EQ(out.find("likely lost"), std::string::npos) << out;
      continue;
    }
    test::tools::expect_schema_conform(f.out.str());
    const auto events = f.events();
    const auto* summary = test::tools::find_event(events, "summary");
    ASSERT_NE(summary, nullptr) << f.out.str();
    ASSERT_EQ((*summary)["streams"].size(), 1u) << *summary;
    const auto& st = (*summary)["streams"][0];
    EXPECT_EQ(st["first_sequence"], 3) << st;
    EXPECT_EQ(st["missed_at_start"], 0) << st;
    EXPECT_EQ(st["length_errors_at_start"], 3) << st;
    EXPECT_EQ(st["length_errors"], 3) << st;
  }
}

// Trial t20v L1: with untracked datagrams as well, --max-loss's message
// said only those and left out the evicted stream stalled without its END
// that the docs say it names with the others.
TEST(ReceiveSession, TheMaxLossMessageNamesAnEvictedStalledStreamBesideUntrackedDatagrams) {
  fixture f;
  f.settings.max_loss = 50;
  f.settings.max_streams = 1;
  f.start();
  std::int64_t at = 1'000'000'000;
  batch b;
  for (std::uint64_t i = 0; i < 8; ++i, at += 100'000'000) b.add_session(sender_a, 1, i, at);
  f.feed(b);
  for (int i = 0; i < 40; ++i) {  // 2 s: session 1 stalls
    f.now += 50ms;
    (void)f.session->tick();
  }
  at += 2'000'000'000;
  batch busy;  // session 2 takes its place, busy; session 3 finds no room
  for (std::uint64_t i = 0; i < 10; ++i, at += 1'000'000) {
    busy.add_session(sender_a, 2, i, at);
    if (i >= 5) busy.add_session(sender_a, 3, i, at);
  }
  f.feed(busy);
  f.session->summary();
  EXPECT_EQ(f.session->finish(), tools::exit_loss);
  const auto err = f.err.str();
  EXPECT_NE(err.find("were untracked (their loss is unknown; raise --max-streams); and 1 stream stopped before the "
                     "end of the run without an END marker ("),
            std::string::npos)
      << err;
  EXPECT_NE(err.find("(sender id 9, session 1), evicted from the stream table, silent for the last"), std::string::npos)
      << err;
}

// Issue #20 review of trial t20r: junk streams (one datagram each, or
// pairs: random sender ids) beside a real feed on one flow. A stream of
// fewer than stall_watch::warm_up datagrams has no pace to stall from: no
// junk stream's tail reads as unknown, so the total keeps its ratio (the
// feed's 10 %) and --max-loss judges it (the flow's watch made every junk
// pair's tail unknown once the flow fell silent: the total null).
TEST(ReceiveSession, JunkStreamsBesideARealFeedLeaveTheTotalKnown) {
  fixture f;
  f.settings.json_output = true;
  f.settings.max_loss = 5;
  f.start();
  batch junk;
  for (std::uint32_t i = 0; i < 100; ++i) {
    junk.add_sender(sender_a, 1000 + i, 1, 0, 1'000'050'000);
    junk.add_sender(sender_a, 1000 + i, 1, 1, 1'000'050'000);
  }
  for (std::uint32_t i = 0; i < 300; ++i) junk.add_sender(sender_a, 5000 + i, 7, 0, 1'000'050'000);
  f.feed(junk);
  for (std::uint64_t i = 0; i < 200; ++i) {
    f.now += 5ms;
    batch b;
    if (i % 10 != 9) b.add_sender(sender_a, 99, 1, i, 1'000'050'000 + static_cast<std::int64_t>(i) * 5'000'000);
    if (i == 199) b.add_sender(sender_a, 99, 1, 200, 2'000'050'000, true);
    f.feed(b);
    (void)f.session->tick();
  }
  for (int i = 0; i < 40; ++i) {
    f.now += 50ms;
    (void)f.session->tick();
  }
  f.session->summary();
  EXPECT_EQ(f.session->finish(), tools::exit_loss);
  const auto out = f.out.str();
  const auto events = f.events();
  const auto* summary = test::tools::find_event(events, "summary");
  ASSERT_NE(summary, nullptr) << out;
  const auto& total = (*summary)["total"];
  EXPECT_EQ(total["tail_unknown"], 0) << total;
  EXPECT_EQ(total["stalled_at_end"], 0) << total;
  ASSERT_TRUE(total["loss_percent"].is_number()) << total;
  EXPECT_GT(total["loss_percent"].get<double>(), 1.0) << total;
  const auto* error = test::tools::find_event(events, "error");
  ASSERT_NE(error, nullptr) << out;
  EXPECT_EQ((*error)["code"], "loss") << *error;
}

// A forged burst far past a stream's last number (4000..4007 after 999),
// then the sender's END 1000 three times, then a second and more of
// silence: the END, held while the burst was in doubt, is believed at the
// end of the run, so the stream ended and its tail is known (it read as
// stalled without an END, loss unknown, when the run went on a second
// after the ENDs: NetHostileSender under ASan).
TEST(ReceiveSession, AnEndHeldBehindAForgedBurstEndsTheStreamAtTheEndOfTheRun) {
  fixture f;
  f.settings.json_output = true;
  f.settings.max_loss = 11;
  f.start();
  std::int64_t at = 1'000'000'000;
  const auto one = [&](std::uint64_t n, bool end = false) {
    f.now += 300us;
    at += 300'000;
    batch b;
    b.add_sender(sender_a, 22, 22, n, at, end);
    f.feed(b);
    (void)f.session->tick();
  };
  for (std::uint64_t n = 0; n < 1000; ++n) {
    if (n % 10 != 9) one(n);
  }
  for (std::uint64_t k = 0; k < 8; ++k) one(4000 + k);
  for (int i = 0; i < 3; ++i) one(1000, true);
  for (int i = 0; i < 30; ++i) {
    f.now += 50ms;
    (void)f.session->tick();
  }
  f.session->summary();
  const auto out = f.out.str();
  EXPECT_EQ(f.session->finish(), 0) << out;
  const auto events = f.events();
  const auto* summary = test::tools::find_event(events, "summary");
  ASSERT_NE(summary, nullptr) << out;
  EXPECT_EQ((*summary)["total"]["tail_unknown"], 0) << (*summary)["total"];
  EXPECT_EQ((*summary)["total"]["lost"], 100) << (*summary)["total"];
}

// trial t16s M1: junk that reaches five datagrams by copies (one datagram
// sent five times) or by numbers not believed (20 random 64-bit numbers of
// one sender id) has no pace of numbers: it leaves a clean feed's loss
// known, and --max-loss passes.
TEST(ReceiveSession, CopiesAndUnbelievedNumbersAreNoPaceToStallFrom) {
  fixture f;
  f.settings.json_output = true;
  f.settings.max_loss = 1;
  f.start();
  batch junk;
  for (int i = 0; i < 5; ++i) junk.add_sender(sender_b, 7, 1, 3, 1'000'050'000);  // one datagram, five times
  std::uint64_t x = 0x9e3779b97f4a7c15u;
  for (int i = 0; i < 20; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    junk.add_sender(sender_b, 8, 1, x, 1'000'050'000);  // numbers none of which follows another
  }
  f.feed(junk);
  for (std::uint64_t i = 0; i < 300; ++i) {
    f.now += 5ms;
    batch b;
    b.add_sender(sender_a, 99, 1, i, 1'000'050'000 + static_cast<std::int64_t>(i) * 5'000'000);
    if (i == 299) b.add_sender(sender_a, 99, 1, 300, 2'500'050'000, true);
    f.feed(b);
    (void)f.session->tick();
  }
  for (int i = 0; i < 40; ++i) {
    f.now += 50ms;
    (void)f.session->tick();
  }
  f.session->summary();
  const auto out = f.out.str();
  EXPECT_EQ(f.session->finish(), 0) << out;
  const auto events = f.events();
  const auto* summary = test::tools::find_event(events, "summary");
  ASSERT_NE(summary, nullptr) << out;
  const auto& total = (*summary)["total"];
  EXPECT_EQ(total["tail_unknown"], 0) << total;
  ASSERT_TRUE(total["loss_percent"].is_number()) << total;
  EXPECT_EQ(total["lost"], 0) << total;
}

// Trial t16s M2 (t20s L1): a real feed (one datagram a 500 ms, numbers 0,
// 1, 2, 3) killed after its 4th datagram, silent for the last 11 s without
// an END, read exit 0, lost 0, loss 0.0 % and no line said it went silent:
// the watch's warm-up (5 datagrams) took it for junk. Believed numbers in
// order, none missing, no copy, no jump, 3 of them or more and spread over
// a second or more (stall_watch::floor) are a pace: it stalls, its tail is
// unknown and --max-loss fails as loss_unknown. Junk still cannot (the next
// test).
TEST(ReceiveSession, AShortFeedOfConsecutiveNumbersStallsWithoutItsEnd) {
  for (const int datagrams : {3, 4}) {
    for (const bool json_output : {false, true}) {
      SCOPED_TRACE(testing::Message() << datagrams << (json_output ? " JSON" : " text"));
      fixture f;
      f.settings.json_output = json_output;
      f.settings.max_loss = 1;
      f.start();
      std::int64_t at = 1'000'000'000;
      for (int i = 0; i < datagrams; ++i) {
        if (i > 0) {
          for (int k = 0; k < 10; ++k) {
            f.now += 50ms;
            (void)f.session->tick();
          }
          at += 500'000'000;
        }
        batch b;
        b.add_sender(sender_a, 1, 1, static_cast<std::uint64_t>(i), at);
        f.feed(b);
        (void)f.session->tick();
      }
      for (int k = 0; k < 220; ++k) {  // 11 s
        f.now += 50ms;
        (void)f.session->tick();
      }
      f.session->summary();
      const int exit = f.session->finish();
      const auto out = f.out.str();
      const auto all = out + f.err.str();
      EXPECT_EQ(exit, tools::exit_loss) << all;
      if (json_output) {
        test::tools::expect_schema_conform(out);
        const auto events = f.events();
        const auto* summary = test::tools::find_event(events, "summary");
        ASSERT_NE(summary, nullptr) << out;
        const auto& total = (*summary)["total"];
        EXPECT_EQ(total["tail_unknown"], 1) << total;
        EXPECT_EQ(total["stalled_at_end"], 1) << total;
        EXPECT_TRUE(total["loss_percent"].is_null()) << total;
        ASSERT_EQ((*summary)["streams"].size(), 1u) << out;
        EXPECT_EQ((*summary)["streams"][0]["tail_unknown"], true) << (*summary)["streams"][0];
        const auto* error = test::tools::find_event(events, "error");
        ASSERT_NE(error, nullptr) << out;
        EXPECT_EQ((*error)["code"], "loss_unknown") << *error;
      } else {
        EXPECT_NE(all.find("stalled, silent for "), std::string::npos) << all;
        EXPECT_NE(all.find("stalled at the end, silent for the last "), std::string::npos) << all;
        EXPECT_NE(all.find("no END marker came, so its tail is unknown (--max-loss 1% fails as loss_unknown)"),
                  std::string::npos)
            << all;
      }
    }
  }
}

// The other side of the rule above: junk of fewer than 5 datagrams (t16s
// M1, stall_edges.sh, t20s brk_warmup.sh) has no pace to stall from, and a
// clean feed beside it keeps its loss known: 4 numbers in a burst (0..3,
// 10 ms apart: a probe), 2 numbers 500 ms apart, one datagram sent 4 times
// 500 ms apart, 4 datagrams with a copy (0, 1, 1, 2), 4 out of order (0,
// 2, 1, 3: no pace of its own), 4 of numbers none of which follows
// another, one datagram each of 10 sender ids.
TEST(ReceiveSession, JunkOfFewerThanFiveDatagramsHasNoPaceToStallFrom) {
  fixture f;
  f.settings.json_output = true;
  f.settings.max_loss = 1;
  f.start();
  std::int64_t at = 1'000'000'000;
  // The clean feed, sender id 99: 100 datagrams 5 ms apart and its END.
  for (std::uint64_t i = 0; i < 100; ++i, at += 5'000'000) {
    f.now += 5ms;
    batch b;
    b.add_sender(sender_a, 99, 1, i, at);
    if (i == 99) b.add_sender(sender_a, 99, 1, 100, at, true);
    f.feed(b);
    (void)f.session->tick();
  }
  {
    batch b;  // a burst of 4 numbers, 10 ms apart, read together
    for (std::uint64_t i = 0; i < 4; ++i) {
      b.add_sender(sender_b, 1, 1, i, at + static_cast<std::int64_t>(i) * 10'000'000);
    }
    for (std::uint32_t id = 100; id < 110; ++id) b.add_sender(sender_b, id, 1, 0, at);  // one datagram each
    f.feed(b);
  }
  const std::array<std::uint64_t, 4> copies{5, 5, 5, 5};
  const std::array<std::uint64_t, 4> copy{0, 1, 1, 2};
  const std::array<std::uint64_t, 4> swapped{0, 2, 1, 3};
  const std::array<std::uint64_t, 4> random{0x9e3779b97f4a7c15u, 17, 0x7f4a7c159e3779b9u, 123456789};
  for (int i = 0; i < 4; ++i) {
    for (int k = 0; k < 10; ++k) {
      f.now += 50ms;
      (void)f.session->tick();
    }
    at += 500'000'000;
    const auto n = static_cast<std::size_t>(i);
    batch b;
    if (i < 2) b.add_sender(sender_b, 2, 1, n, at);
    b.add_sender(sender_b, 3, 1, copies[n], at);
    b.add_sender(sender_b, 4, 1, copy[n], at);
    b.add_sender(sender_b, 5, 1, swapped[n], at);
    b.add_sender(sender_b, 6, 1, random[n], at);
    f.feed(b);
    (void)f.session->tick();
  }
  for (int k = 0; k < 220; ++k) {  // 11 s
    f.now += 50ms;
    (void)f.session->tick();
  }
  f.session->summary();
  const auto out = f.out.str();
  EXPECT_EQ(f.session->finish(), 0) << out << f.err.str();
  test::tools::expect_schema_conform(out);
  const auto events = f.events();
  const auto* summary = test::tools::find_event(events, "summary");
  ASSERT_NE(summary, nullptr) << out;
  const auto& total = (*summary)["total"];
  EXPECT_EQ(total["tail_unknown"], 0) << total;
  ASSERT_TRUE(total["loss_percent"].is_number()) << total;
  for (const auto& s : (*summary)["streams"]) EXPECT_EQ(s["tail_unknown"], false) << s;
}

// trial t16t L5: junk whose only pace is copies or numbers not believed
// (one datagram sent 5 times, 20 random numbers of one sender id, 100 ms
// apart) was rightly not a tail unknown, but still got a live `stalled`
// warning, a "stalled at the end" line and total.stalled_at_end 1: copies
// and unbelieved numbers are no pace for the warning either.
TEST(ReceiveSession, JunkWithoutABelievedPaceIsNeverSaidToStall) {
  fixture f;
  f.settings.json_output = true;
  f.start();
  std::int64_t at = 1'000'000'000;
  std::uint64_t x = 0x9e3779b97f4a7c15u;
  for (int i = 0; i < 20; ++i, at += 100'000'000) {
    f.now += 100ms;
    batch b;
    if (i < 5) b.add_sender(sender_b, 3, 1, 7, at);  // one datagram, 5 times
    x = x * 6364136223846793005u + 1442695040888963407u;
    b.add_sender(sender_b, 6, 1, x, at);  // 20 numbers none of which follows another
    b.add_sender(sender_a, 99, 1, static_cast<std::uint64_t>(i), at);  // a real feed, stopping after 20
    f.feed(b);
    (void)f.session->tick();
  }
  for (int k = 0; k < 200; ++k) {  // 10 s of silence: far past every limit
    f.now += 50ms;
    (void)f.session->tick();
  }
  f.session->summary();
  const auto out = f.out.str();
  const auto events = f.events();
  std::vector<std::string> stalled;
  for (const auto& e : events) {
    if (e["event"] == "warning" && e["code"] == "stalled") stalled.push_back(e.dump());
  }
  ASSERT_EQ(stalled.size(), 1u) << "the real feed only: " << out;
  EXPECT_NE(stalled[0].find("sender id 99"), std::string::npos) << stalled[0];
  const auto* summary = test::tools::find_event(events, "summary");
  ASSERT_NE(summary, nullptr) << out;
  EXPECT_EQ((*summary)["total"]["stalled_at_end"], 1) << (*summary)["total"];
  for (const auto& st : (*summary)["streams"]) {
    if (st["sender_id"] == 99) {
      EXPECT_TRUE(st["stalled_at_end_s"].is_number()) << st;
    } else {
      EXPECT_TRUE(st["stalled_at_end_s"].is_null()) << st;
      EXPECT_EQ(st["tail_unknown"], false) << st;
    }
  }
}

namespace {

// `flows` flows stalled at the end, half numbered, half raw, and a
// numbered stream beside the raw one of flow 1: checks what each line says
// (each stream its own line: trial t20r H1); the seconds the summary took.
double stalled_summary_seconds(std::uint32_t flows) {
  fixture f;
  f.settings.max_streams = flows + 1;
  f.memory_bytes = std::size_t{flows + 1} * tools::stream_table::bytes_per_stream;
  f.start();
  const auto source = [](std::uint32_t i) {
    return core::ip_address::v4(10, 77, static_cast<std::uint8_t>(100 + i / 250), static_cast<std::uint8_t>(1 + i % 250));
  };
  for (std::uint32_t from = 0; from < flows; from += 1000) {
    batch b;
    for (std::uint32_t i = from; i < from + 1000; ++i) {
      for (std::uint64_t seq = 0; seq < 6; ++seq) i % 2 == 0 ? b.add(source(i), seq) : b.add_raw(source(i));
    }
    f.feed(b);
  }
  batch both;  // flow 1, raw, gets a numbered stream too
  for (std::uint64_t seq = 0; seq < 6; ++seq) both.add(source(1), seq);
  f.feed(both);
  for (int i = 0; i < 40; ++i) {
    f.now += 50ms;
    (void)f.session->tick();
  }
  f.out.str("");
  const auto began = std::chrono::steady_clock::now();
  f.session->summary();
  const auto took = std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
  std::istringstream lines(f.out.str());
  std::size_t numbered = 0, unnumbered = 0;
  std::string flow1, flow1_raw;
  const auto flow1_head = "  " + core::endpoint(group, port).to_string() + " from " + source(1).to_string();
  for (std::string line; std::getline(lines, line);) {
    if (line.find("silent for the last 2.0 s of the run") == std::string::npos) continue;
    numbered += line.find("its lost count covers only the gaps") != std::string::npos;
    unnumbered += line.find("whether anything was sent after its last datagram is unknown, as its loss is") !=
                  std::string::npos;
    if (line.starts_with(flow1_head + " (sender id 9, session 1):")) flow1 = line;
    if (line.starts_with(flow1_head + " (raw):")) flow1_raw = line;
  }
  EXPECT_EQ(numbered, flows / 2 + 1) << flows;
  EXPECT_EQ(unnumbered, flows / 2) << flows;
  EXPECT_NE(flow1.find("its lost count covers only the gaps"), std::string::npos) << flow1;
  EXPECT_NE(flow1_raw.find("whether anything was sent after its last datagram is unknown"), std::string::npos)
      << flow1_raw;
  return took;
}

}  // namespace

// Thousands of flows stalled at the end: each line says what its flow's
// streams count (any of them counting loss makes it a lost count), and the
// summary finds that in an index of the streams built once: it scanned
// every stream for each stalled flow, 400 million of them for 20,000
// (issues #15/#20 review), 62 s. Judged by how the time grows, not by a
// time (a sanitizer build is ten times slower): at most 10 times as long
// for ten times the flows, times 2 for cache misses growing with the table
// and a loaded machine. The flows here share one sender id and session
// from 10,000 sources, and each contested stream's other sources were
// looked for among all of them, twice a summary (stream_table::conflicts,
// 10^8 compares): 0.09 s for 2,000, 5 s for 20,000 (trial h16r 7; 0.31 s
// and 7.3 s before the summary's objects were made lighter); now the
// first four found end the search: 0.09 s and 1.0 s on the test VM.
TEST(ReceiveSession, ThousandsStalledAtTheEndAreToldTheirLostCountPromptly) {
  // Each the best of a few runs: one run of the 0.1 s small case on a
  // loaded machine varies by half (23 times once at load 4.3, 10 to 13
  // times alone, s34), which a growth of 100 times would not hide.
  const double small = std::min({stalled_summary_seconds(2'000), stalled_summary_seconds(2'000),
                                 stalled_summary_seconds(2'000)});
  const double large = std::min(stalled_summary_seconds(20'000), stalled_summary_seconds(20'000));
  EXPECT_LT(large, 10 * 2.0 * std::max(small, 0.001)) << "2,000 flows: " << small << " s, 20,000: " << large << " s";
  std::cout << "flows stalled at the end: the summary took " << small << " s for 2,000, " << large
            << " s for 20,000\n";
}

// A flow whose datagrams all came in one burst has no interval to compare
// its silence with: the stall warning says so, not "10 times its usual
// interval of 0 ns" (trial20i 5), and that a flow may have ended (18).
TEST(ReceiveSession, AStallAfterOneBurstSaysItsDatagramsCameTogether) {
  fixture f;
  f.start();
  batch b;
  for (std::uint64_t i = 0; i < 6; ++i) b.add(sender_a, i);
  f.feed(b);
  for (int i = 0; i < 40; ++i) {
    f.now += 50ms;
    (void)f.session->tick();
  }
  const auto err = f.err.str();
  EXPECT_NE(err.find("stalled, silent for "), std::string::npos) << err;
  EXPECT_NE(err.find("(or ended without an end marker; a stall is a silence over 1.0 s: its datagrams so far came "
                     "together, so at least 1 s)"),
            std::string::npos)
      << err;
  EXPECT_EQ(err.find("0 ns"), std::string::npos) << err;
}

// Trial t20t H3 (pause_short.sh): a real 1 pps feed killed after 3 or 4
// datagrams while the receiver was stopped (SIGSTOP), all read in one batch
// after SIGCONT: its rate was 1 pps by the kernel's times, but the short-feed
// rule saw one clump by the read times (no stall, exit 0), and 6 datagrams
// stalled after 1 s as "its datagrams so far came together". Its intervals
// are between the kernel's arrival times: 1 s, a stall after 10 s.
TEST(ReceiveSession, AFeedReadInOneBatchAfterAPauseIsPacedByItsArrivalTimes) {
  for (const int datagrams : {3, 4, 6}) {
    SCOPED_TRACE(datagrams);
    fixture f;
    f.settings.json_output = true;
    f.settings.max_loss = 5;
    f.start();
    // The receiver stopped while the feed came: 1 s apart from 1 s on.
    f.now += std::chrono::seconds(datagrams + 1);
    f.session->paused(std::chrono::seconds(datagrams + 1), 0s);
    batch b;
    for (int i = 0; i < datagrams; ++i) {
      b.add_sender(sender_a, 1, 1, static_cast<std::uint64_t>(i), std::int64_t{1'000'000'000} * (i + 1));
    }
    f.feed(b);
    std::optional<double> stalled_after;
    for (int k = 1; k <= 300; ++k) {  // 15 s
      f.now += 50ms;
      (void)f.session->tick();
      if (!stalled_after && f.out.str().find("\"stalled\"") != std::string::npos) stalled_after = k * 0.05;
    }
    f.session->summary();
    const int exit = f.session->finish();
    const auto out = f.out.str();
    EXPECT_EQ(exit, tools::exit_loss) << out;
    test::tools::expect_schema_conform(out);
    ASSERT_TRUE(stalled_after.has_value()) << out;
    EXPECT_NEAR(*stalled_after, 10.0, 0.1) << "10 x its interval of 1 s, not the floor of a clump";
    const auto events = f.events();
    const auto* summary = test::tools::find_event(events, "summary");
    ASSERT_NE(summary, nullptr) << out;
    EXPECT_EQ((*summary)["total"]["tail_unknown"], 1) << (*summary)["total"];
    for (const auto& e : events) {
      if (e["event"] != "warning" || e["code"] != "stalled") continue;
      EXPECT_NEAR(e["usual_interval_s"].get<double>(), 1.0, 1e-6) << e;
      EXPECT_EQ(e["message"].get<std::string>().find("came together"), std::string::npos) << e;
    }
  }
}

// Only END markers of streams never seen: lost, reordered and duplicates
// are unknown alike, in text and JSON (trial20i 9: "- reordered" in text,
// reordered 0 in JSON).
TEST(ReceiveSession, OnlyEndMarkersLeaveLostReorderedAndDuplicatesUnknown) {
  for (const bool json_output : {false, true}) {
    fixture f;
    f.settings.json_output = json_output;
    f.start();
    batch b;
    b.add(sender_a, 1000, group, true).add(sender_a, 1000, group, true);
    f.feed(b);
    f.session->summary();
    if (!json_output) {
      EXPECT_NE(f.out.str().find("0 datagrams, 0 bytes, - lost, - reordered, - duplicates"), std::string::npos)
          << f.out.str();
      continue;
    }
    const auto events = f.events();
    const auto* summary = test::tools::find_event(events, "summary");
    ASSERT_NE(summary, nullptr) << f.out.str();
    const auto& total = (*summary)["total"];
    for (const char* k : {"lost", "reordered", "duplicates"}) EXPECT_TRUE(total[k].is_null()) << k << ": " << total;
    EXPECT_EQ(total["stray_ends"], 2) << total;
  }
}

// Starts `f` with a table of 4 streams and gives the batch that makes
// sender_a's session 1 (its number 0 at 1 s) an evicted stream whose resume
// record is pushed out: more single-datagram junk sessions after it than
// the records kept. `at` is the last arrival time, ns.
batch record_pushed_out(fixture& f, std::int64_t& at) {
  f.settings.max_streams = 4;
  f.memory_bytes = std::size_t{1} << 30;
  f.start();
  at = 1'000'000'000;
  batch b;
  b.add_session(sender_a, 1, 0, at);
  for (std::uint32_t junk = 1000; junk < 1000 + tools::stream_table::resume_single + 100; ++junk) {
    at += 1'000'000;
    b.add_session(sender_a, junk, 0, at);
  }
  return b;
}

// trial16e 3 (issue 16): a feed whose resume record was pushed out (more
// evicted single-datagram streams than the records kept) came back as a new
// stream and --max-loss passed, its loss while evicted unknown. The summary
// counts such returns (total.unresumed), loss_percent is null and
// --max-loss fails as loss_unknown.
TEST(ReceiveSession, AStreamBackAfterItsRecordWasPushedOutFailsMaxLossAsUnknown) {
  fixture f;
  f.settings.json_output = true;
  f.settings.max_loss = 50;
  std::int64_t at = 0;
  batch b = record_pushed_out(f, at);
  for (std::uint64_t seq = 100; seq < 104; ++seq) b.add_session(sender_a, 1, seq, at);  // 1 .. 99 unknown
  f.feed(b);
  f.session->summary();
  EXPECT_EQ(f.session->finish(), tools::exit_loss);
  test::tools::expect_schema_conform(f.out.str());
  const auto events = f.events();
  const auto* summary = test::tools::find_event(events, "summary");
  ASSERT_NE(summary, nullptr) << f.out.str();
  EXPECT_EQ((*summary)["total"]["unresumed"], 1) << (*summary)["total"];
  EXPECT_TRUE((*summary)["total"]["loss_percent"].is_null()) << (*summary)["total"];
  const auto* error = test::tools::find_event(events, "error");
  ASSERT_NE(error, nullptr) << f.out.str();
  EXPECT_EQ((*error)["code"], "loss_unknown") << *error;
  EXPECT_NE((*error)["message"].get<std::string>().find("1 evicted stream came back after its record was pushed out"),
            std::string::npos)
      << *error;
}

// trial16f 3 (issue 16): a feed back after its record was pushed out showed
// loss in its partial figures (here 1 of the 5 numbers since it came back),
// and --max-loss quoted that ratio as the stream's loss ("loss 20% of the
// stream"), with the stream object and worst_stream not saying they were
// partial. They say so (unresumed), the text line too, and --max-loss
// fails as loss_unknown without quoting the partial figure as its loss.
// With --csv the stream's summary row's unresumed cell says it (trial t20u
// L1's column).
TEST(ReceiveSession, AnUnresumedStreamIsMarkedAndItsPartialLossNotQuoted) {
  for (const int mode : {0, 1, 2}) {
    const bool json_output = mode == 0;
    SCOPED_TRACE(mode == 0 ? "JSON" : mode == 1 ? "text" : "CSV");
    fixture f;
    f.settings.json_output = json_output;
    f.settings.csv = mode == 2;
    f.settings.max_loss = 5;
    std::int64_t at = 0;
    batch b = record_pushed_out(f, at);
    for (const std::uint64_t seq : {100u, 101u, 103u, 104u}) b.add_session(sender_a, 1, seq, at);  // 102 lost
    f.feed(b);
    f.session->summary();
    EXPECT_EQ(f.session->finish(), tools::exit_loss);
    const auto out = f.out.str() + f.err.str();
    if (mode == 2) {
      std::istringstream lines(f.out.str());
      std::size_t marked = 0;
      for (std::string line; std::getline(lines, line);) {
        if (!line.starts_with("summary,") || !csv_cell(line, "join_mode").empty()) continue;
        const bool unresumed = csv_cell(line, "session") == "1";
        EXPECT_EQ(csv_cell(line, "unresumed"), unresumed ? "true" : "") << line;
        if (unresumed) ++marked;
      }
      EXPECT_EQ(marked, 1u) << out;
      continue;
    }
    if (!json_output) {
      EXPECT_NE(out.find("unresumed (came back after its eviction record was pushed out"), std::string::npos) << out;
      EXPECT_EQ(out.find("% of the stream "), std::string::npos) << "no partial figure quoted as its loss\n" << out;
      continue;
    }
    test::tools::expect_schema_conform(f.out.str());
    const auto events = f.events();
    const auto* summary = test::tools::find_event(events, "summary");
    ASSERT_NE(summary, nullptr) << out;
    bool marked = false;
    for (const auto& st : (*summary)["streams"]) {
      if (st["session"] == 1) {
        EXPECT_EQ(st["unresumed"], true) << st;
        EXPECT_EQ(st["lost"], 1) << st;
        marked = true;
      } else {
        EXPECT_FALSE(st.contains("unresumed")) << st;
      }
    }
    EXPECT_TRUE(marked) << out;
    ASSERT_TRUE((*summary)["worst_stream"].is_object()) << *summary;
    EXPECT_EQ((*summary)["worst_stream"]["unresumed"], true) << (*summary)["worst_stream"];
    const auto* error = test::tools::find_event(events, "error");
    ASSERT_NE(error, nullptr) << out;
    EXPECT_EQ((*error)["code"], "loss_unknown") << *error;
    EXPECT_EQ((*error)["message"].get<std::string>().find("% of the stream "), std::string::npos) << *error;
  }
}

// trial16f 2, item 4 (issue 16): a real feed evicted under a flood of junk
// streams was missing from the summary, which printed only the junk's lines.
// An evicted feed (4 datagrams or more) that did not resume gets a line of
// its own with its figures as it left, and an object in evicted_feeds.
TEST(ReceiveSession, AnEvictedFeedIsNamedInTheSummary) {
  for (const bool json_output : {true, false}) {
    SCOPED_TRACE(json_output ? "JSON" : "text");
    fixture f;
    f.settings.json_output = json_output;
    f.settings.max_streams = 4;
    f.start();
    std::int64_t at = 1'000'000'000;
    batch b;
    for (std::uint64_t seq = 0; seq < 8; ++seq) {
      if (seq != 5) b.add_session(sender_a, 1, seq, at);
    }
    at += 2'000'000'000;  // the feed idles: junk takes its place
    for (std::uint32_t junk = 1000; junk < 1010; ++junk) {
      at += 1'000'000;
      b.add_session(sender_a, junk, 0, at);
    }
    f.feed(b);
    f.session->summary();
    (void)f.session->finish();
    if (!json_output) {
      const auto out = f.out.str();
      EXPECT_NE(out.find("(sender id 9, session 1): evicted from the stream table (no line above): 7 packets as it "
                         "left, lost 1 reordered 0 duplicates 0 jumps 0"),
                std::string::npos)
          << out;
      continue;
    }
    test::tools::expect_schema_conform(f.out.str());
    const auto events = f.events();
    const auto* summary = test::tools::find_event(events, "summary");
    ASSERT_NE(summary, nullptr) << f.out.str();
    for (const auto& st : (*summary)["streams"]) EXPECT_NE(st["session"], 1) << "evicted: no object " << st;
    const auto& feeds = (*summary)["evicted_feeds"];
    ASSERT_EQ(feeds.size(), 1u) << *summary;
    EXPECT_EQ(feeds[0]["session"], 1) << feeds;
    EXPECT_EQ(feeds[0]["packets"], 7) << feeds;
    EXPECT_EQ(feeds[0]["lost"], 1) << feeds;
    EXPECT_EQ(feeds[0]["back"], false) << feeds;
    EXPECT_EQ((*summary)["evicted_feeds_left_out"], 0) << *summary;
  }
}

// trial20q 4: --max-streams 1, two senders one after the other (100
// datagrams each, with their END markers): text and JSON named the first,
// evicted, feed; the CSV had no row for it, and its rows summed to 100 of
// the 200 datagrams. An `evicted` row gives it, so the rows add up.
TEST(ReceiveSession, AnEvictedFeedHasACsvRow) {
  fixture f;
  f.settings.csv = true;
  f.settings.max_streams = 1;
  f.start();
  std::int64_t at = 1'000'000'000;
  batch b;
  for (const std::uint32_t session : {1u, 2u}) {
    for (std::uint64_t seq = 0; seq < 100; ++seq, at += 10'000'000) b.add_session(sender_a, session, seq, at);
    for (int i = 0; i < 3; ++i, at += 50'000'000) b.add_session(sender_a, session, 100, at, true);
  }
  f.feed(b);
  f.now += 5s;
  f.session->summary();
  (void)f.session->finish();
  std::istringstream lines(f.out.str());  // the rows (the header comes with the joins)
  std::string line;
  const auto header = csv_cells(tools::csv_header());
  const auto column = [&](const char* name) {
    return static_cast<std::size_t>(std::find(header.begin(), header.end(), name) - header.begin());
  };
  std::uint64_t packets = 0;
  std::map<std::string, std::vector<std::string>> rows;  // by event
  while (std::getline(lines, line)) {
    const auto cells = csv_cells(line);
    ASSERT_EQ(cells.size(), header.size()) << line;
    if (!cells[column("join_mode")].empty()) continue;  // channel rows count the same datagrams again
    packets += std::stoull(cells[column("packets")]);
    rows[cells[0]].push_back(line);
    if (cells[0] == "evicted") {
      EXPECT_EQ(cells[column("session")], "1") << line;
      EXPECT_EQ(cells[column("packets")], "100") << line;
      EXPECT_EQ(cells[column("lost")], "0") << line;
      EXPECT_EQ(cells[column("payload")], "mcnet") << line;
      // It ended (its END markers came), and did not come back (trial
      // t20u L1: JSON's ended had no cell).
      EXPECT_EQ(cells[column("ended")], "true") << line;
      EXPECT_EQ(cells[column("back")], "false") << line;
      EXPECT_EQ(cells[column("unresumed")], "false") << line;
    }
  }
  EXPECT_EQ(rows["summary"].size(), 1u) << f.out.str();
  EXPECT_EQ(rows["evicted"].size(), 1u) << f.out.str();
  EXPECT_EQ(packets, 200u) << "every datagram in a row: " << f.out.str();
}

// trial t20v M2: evicted streams of fewer than 4 datagrams get no row (nor
// do feeds past the 16 listed), and stderr said only that their counts were
// "in these totals": the rows did not add up to the datagrams counted, and
// no number said by how much. Stderr (and JSON's total) give the datagrams
// of evicted streams with no row: the rows' packets and that number add up
// to the datagrams counted (total.packets), which leave the untracked out;
// adding the untracked gives every datagram, the channel's packets (trial
// t20w F1: the docs added the untracked to reach total.packets).
TEST(ReceiveSession, CsvRowsAndTheUnlistedEvictedDatagramsAddUpToTheDatagramsCounted) {
  for (const bool json_output : {false, true}) {
    SCOPED_TRACE(json_output ? "JSON" : "CSV");
    fixture f;
    f.settings.csv = !json_output;
    f.settings.json_output = json_output;
    f.settings.max_streams = 4;
    f.start();
    std::int64_t at = 1'000'000'000;
    std::uint64_t sent = 0;
    batch b;
    b.add_session(sender_a, 7, 0, at);  // a feed's first datagram, then junk
    ++sent;
    for (std::uint32_t junk = 1000; junk < 1300; ++junk, ++sent) {
      at += 1'000'000;
      b.add_session(sender_a, junk, 0, at);
    }
    // 20 feeds of 5 datagrams, each idle after: evicted, 16 listed.
    for (std::uint32_t feed = 2000; feed < 2020; ++feed) {
      at += 2'000'000'000;
      for (std::uint64_t seq = 0; seq < 5; ++seq, ++sent) b.add_session(sender_a, feed, seq, at + static_cast<std::int64_t>(seq) * 10'000'000);
    }
    at += 2'000'000'000;
    // 7 and three busy feeds fill the table; junk beside them, once none of
    // them may give its place, is untracked.
    std::uint64_t junk_sent = 0;
    for (std::uint64_t seq = 1; seq < 20; ++seq, at += 50'000'000) {
      b.add_session(sender_a, 7, seq, at);
      ++sent;
      for (std::uint32_t busy = 3000; busy < 3003; ++busy, ++sent) b.add_session(sender_a, busy, seq - 1, at + busy - 2999);
      if (seq > 12) {
        b.add_session(sender_a, 5000 + static_cast<std::uint32_t>(seq), 0, at + 10);
        ++sent;
        ++junk_sent;
      }
    }
    for (int i = 0; i < 3; ++i, at += 50'000'000) {
      b.add_session(sender_a, 7, 20, at, true);
      for (std::uint32_t busy = 3000; busy < 3003; ++busy) b.add_session(sender_a, busy, 19, at + busy - 2999, true);
    }
    f.feed(b);
    f.now += 5s;
    f.session->summary();
    (void)f.session->finish();
    std::uint64_t unlisted = 0;
    if (json_output) {
      test::tools::expect_schema_conform(f.out.str());
      const auto events = f.events();
      const auto* summary = test::tools::find_event(events, "summary");
      ASSERT_NE(summary, nullptr) << f.out.str();
      std::uint64_t rows = 0;
      for (const auto& st : (*summary)["streams"]) rows += st["packets"].get<std::uint64_t>();
      for (const auto& ev : (*summary)["evicted_feeds"]) rows += ev["packets"].get<std::uint64_t>();
      EXPECT_EQ((*summary)["evicted_feeds"].size(), 16u);
      EXPECT_GT((*summary)["evicted_feeds_left_out"].get<std::uint64_t>(), 0u);
      unlisted = (*summary)["total"]["evicted_unlisted_packets"].get<std::uint64_t>();
      const auto untracked = (*summary)["total"]["untracked"].get<std::uint64_t>();
      EXPECT_EQ(untracked, junk_sent) << (*summary)["total"];
      EXPECT_EQ(rows + unlisted, (*summary)["total"]["packets"].get<std::uint64_t>()) << *summary;
      EXPECT_EQ((*summary)["total"]["packets"], sent - untracked) << *summary;
      // The fixture joins no channel: every datagram is what was sent.
      EXPECT_EQ(rows + unlisted + untracked, sent) << *summary;
      EXPECT_GE(unlisted, 300u) << "the junk at least";
      continue;
    }
    std::istringstream lines(f.out.str());
    std::string line;
    const auto header = csv_cells(tools::csv_header());
    const auto column = [&](const char* name) {
      return static_cast<std::size_t>(std::find(header.begin(), header.end(), name) - header.begin());
    };
    std::uint64_t packets = 0;
    while (std::getline(lines, line)) {
      const auto cells = csv_cells(line);
      ASSERT_EQ(cells.size(), header.size()) << line;
      if (!cells[column("join_mode")].empty()) continue;  // channel rows count the same datagrams again
      packets += std::stoull(cells[column("packets")]);
    }
    const auto err = f.err.str();
    const std::string said = " datagrams of evicted streams have no line or row of their own";
    const auto at_said = err.find(said);
    ASSERT_NE(at_said, std::string::npos) << err;
    const auto from = err.find_last_of("; ", at_said - 1) + 1;
    unlisted = std::stoull(err.substr(from, at_said - from));
    // stderr's first figure, the datagrams counted, leaves the untracked out.
    const auto counted_at = err.find(" datagrams, ");
    ASSERT_NE(counted_at, std::string::npos) << err;
    const auto counted_from = err.find_last_of(' ', counted_at - 1) + 1;
    const auto counted = std::stoull(err.substr(counted_from, counted_at - counted_from));
    EXPECT_NE(err.find(fmt::format("({} more datagrams, not among these, of streams past the table's 4 untracked", junk_sent)),
              std::string::npos)
        << err;
    EXPECT_EQ(packets + unlisted, counted) << "rows " << packets << ", unlisted " << unlisted << "\n" << f.out.str() << err;
    EXPECT_EQ(counted, sent - junk_sent) << err;
    EXPECT_EQ(packets + unlisted + junk_sent, sent) << "with the untracked, every datagram";
  }
}

// trial16e 7 (issue 16): a stream whose loss broke --max-loss, evicted
// from the table, was named by address only and had no object in the
// summary. The failure names it whole and says it was evicted; the summary's
// worst_stream says which stream it was.
TEST(ReceiveSession, MaxLossNamesTheWorstStreamEvenWhenEvicted) {
  for (const bool diluted : {false, true}) {
    SCOPED_TRACE(diluted ? "the total within --max-loss: the stream fails it" : "the total above --max-loss");
    fixture f;
    f.settings.json_output = true;
    f.settings.max_streams = 4;
    f.settings.max_loss = 5;
    f.memory_bytes = std::size_t{1} << 30;
    f.start();
    std::int64_t at = 1'000'000'000;
    batch b;
    for (std::uint64_t seq = 0; seq < 10; ++seq) {
      if (seq != 4 && seq != 5) b.add_session(sender_a, 7, seq, at);  // 2 of 10 lost
    }
    at += 11'000'000'000;  // stream 7 idle
    if (diluted) {
      for (std::uint64_t seq = 0; seq < 200; ++seq) b.add_session(sender_a, 8, seq, at);  // lossless
    }
    for (std::uint32_t junk = 1000; junk < 1010; ++junk) {
      at += 1'000'000;
      b.add_session(sender_a, junk, 0, at);
    }
    f.feed(b);
    f.session->summary();
    EXPECT_EQ(f.session->finish(), tools::exit_loss);
    test::tools::expect_schema_conform(f.out.str());
    const auto events = f.events();
    const auto* summary = test::tools::find_event(events, "summary");
    ASSERT_NE(summary, nullptr) << f.out.str();
    for (const auto& st : (*summary)["streams"]) EXPECT_NE(st["session"], 7) << "evicted";
    const auto& worst = (*summary)["worst_stream"];
    ASSERT_TRUE(worst.is_object()) << *summary;
    EXPECT_EQ(worst["session"], 7);
    EXPECT_EQ(worst["sender_id"], 9);
    EXPECT_EQ(worst["evicted"], true);
    EXPECT_DOUBLE_EQ(worst["loss_percent"].get<double>(), 20.0);
    const auto* error = test::tools::find_event(events, "error");
    ASSERT_NE(error, nullptr) << f.out.str();
    EXPECT_EQ((*error)["code"], "loss");
    const auto message = (*error)["message"].get<std::string>();
    EXPECT_NE(message.find("239.1.1.1:5000 from 10.77.0.1 (sender id 9, session 7) (evicted from the stream table"),
              std::string::npos)
        << message;
  }
}

// Unsequenced datagrams: the total line says their loss is unknown whether
// or not other datagrams had numbers, and --max-loss refuses (loss_unknown)
// while saying the loss of the part it could check, which loss_percent is.
TEST(ReceiveSession, UnsequencedLossIsSaidAndMaxLossRefusesWithTheCheckedPart) {
  fixture all;
  all.start();
  batch raw;
  raw.add_raw(sender_b).add_raw(sender_b).add_raw(sender_b);
  all.feed(raw);
  all.session->summary();
  const auto t = all.out.str();
  EXPECT_NE(t.find("3 datagrams, 90 bytes, - lost, - reordered, - duplicates"), std::string::npos) << t;
  EXPECT_NE(t.find("(3 datagrams without a sequence number mcast-recv reads: their loss is unknown)"), std::string::npos) << t;
  for (const bool json_output : {false, true}) {
    fixture f;
    f.settings.max_loss = 5;
    f.settings.json_output = json_output;
    f.start();
    batch b;
    for (std::uint64_t i = 0; i < 10; ++i) b.add(sender_a, i);
    b.add(sender_a, 10, group, true);
    b.add_raw(sender_b).add_raw(sender_b);
    f.feed(b);
    f.session->summary();
    EXPECT_EQ(f.session->finish(), 3);
    const std::string part = "the loss of the datagrams with sequence numbers is 0.00%";
    EXPECT_NE(f.err.str().find(part), std::string::npos) << f.err.str();
    if (json_output) {
      const auto events = f.events();
      const auto* summary = test::tools::find_event(events, "summary");
      ASSERT_NE(summary, nullptr) << f.out.str();
      EXPECT_EQ((*summary)["total"]["loss_percent"], 0.0) << "the sequenced part's loss";
      EXPECT_EQ((*summary)["total"]["unsequenced"], 2);
      const auto* error = test::tools::find_event(events, "error");
      ASSERT_NE(error, nullptr) << f.out.str();
      EXPECT_EQ((*error)["code"], "loss_unknown");
      EXPECT_NE((*error)["message"].get<std::string>().find(part), std::string::npos) << *error;
      test::tools::expect_schema_conform(f.out.str());
    } else {
      EXPECT_NE(f.out.str().find("(2 datagrams without a sequence number mcast-recv reads: their loss is unknown)"), std::string::npos)
          << f.out.str();
    }
  }
}

// Loss above the limit among mixed traffic fails as `loss`, and its message
// says what could not be checked too.
TEST(ReceiveSession, LossAboveMaxLossAmongUnsequencedTrafficSaysWhatWasNotChecked) {
  fixture f;
  f.settings.max_loss = 5;
  f.start();
  batch b;
  for (std::uint64_t i = 0; i < 10; ++i) {
    if (i != 4) b.add(sender_a, i);
  }
  b.add(sender_a, 10, group, true);
  b.add_raw(sender_b).add_raw(sender_b);
  f.feed(b);
  f.session->summary();
  EXPECT_EQ(f.session->finish(), 3);
  EXPECT_NE(f.err.str().find("is above --max-loss 5% (2 more datagrams carried no sequence number: their loss is "
                             "unknown)"),
            std::string::npos)
      << f.err.str();
}

TEST(ReceiveSession, UntrackedStreamsAreWarnedAboutOnce) {
  fixture f;
  f.settings.max_streams = 1;
  f.settings.json_output = true;
  f.start();
  batch b;
  b.add(sender_a, 0).add(sender_a, 1).add(sender_b, 0).add(sender_b, 1);
  f.feed(b);
  EXPECT_EQ(f.session->counted(), 4u) << "untracked datagrams still count towards --count";
  EXPECT_EQ(f.table->untracked(), 2u);
  EXPECT_EQ(f.err.str(),
            "mcast-recv: warning: more than 1 active stream (--max-streams) and none single-datagram, ended or idle "
            "to evict: datagrams of further streams are counted as untracked only\n");
  f.session->summary();
  const auto events = f.events();
  const auto* summary = test::tools::find_event(events, "summary");
  ASSERT_NE(summary, nullptr);
  EXPECT_EQ((*summary)["total"]["untracked"], 2);
  test::tools::expect_schema_conform(f.out.str());
}

TEST(ReceiveSession, KernelDropsAreLossEvenWhenNoGapShowsThem) {
  // A receiver that stalled: 10 datagrams counted, in sequence, no END; the
  // kernel dropped 90 on the socket (the tail and its END markers).
  fixture f;
  f.settings.json_output = true;
  f.settings.max_loss = 50.0;
  f.start();
  batch b;
  for (std::uint64_t i = 0; i < 10; ++i) b.add(sender_a, i);
  f.feed(b);
  f.drops = 90;
  EXPECT_DOUBLE_EQ(f.session->loss_ratio(), 0.9);
  f.session->summary();
  const auto events = f.events();
  const auto* summary = test::tools::find_event(events, "summary");
  ASSERT_NE(summary, nullptr);
  EXPECT_EQ((*summary)["total"]["lost"], 0) << "no gap shows";
  EXPECT_DOUBLE_EQ((*summary)["total"]["loss_percent"].get<double>(), 90.0);
  EXPECT_EQ(f.session->finish(), 3) << "--max-loss 50 is not passed by a receiver that dropped 90 %";
  // With gaps larger than the drops, the gaps are the figure (not the sum).
  fixture g;
  g.settings.max_loss = 50.0;
  g.start();
  batch c;
  for (std::uint64_t i = 0; i < 10; i += 2) c.add(sender_a, i);
  g.feed(c);
  g.drops = 1;
  EXPECT_DOUBLE_EQ(g.session->loss_ratio(), 4.0 / 9.0) << "4 lost of 5 + 4; 1 drop of 6 is less";
}

// Socket drops after the last datagram read, and no END marker: the tail of
// the run was dropped with its END markers, and `lost` does not count it
// (t17b 5: "212,998 datagrams, 60,065 lost, 87,005 socket drops" of 300,000
// sent, nothing said). Text, JSON and the --max-loss message say so; with
// the END the tail is counted and nothing is said.
TEST(ReceiveSession, DropsAfterTheLastDatagramReadWithoutAnEndSayTheTailMayBeLostUncounted) {
  for (const bool json_output : {false, true}) {
    fixture f;
    f.settings.json_output = json_output;
    f.settings.max_loss = 50.0;
    f.start();
    batch b;
    for (std::uint64_t i = 0; i < 10; ++i) {
      if (i != 5) b.add(sender_a, i);
    }
    f.feed(b);
    f.drops = 90;  // none carried by a datagram read: all 90 after the last
    f.session->summary();
    EXPECT_EQ(f.session->finish(), 3);
    const std::string note = "90 socket drops after the last datagram read, and 1 stream without its END marker: "
                             "the tail of the run may have been dropped with its END markers, uncounted in lost";
    if (!json_output) {
      EXPECT_NE(f.out.str().find("9 datagrams, 900 bytes, 1 lost, "), std::string::npos) << f.out.str();
      EXPECT_NE(f.out.str().find(note), std::string::npos) << f.out.str();
    } else {
      const auto events = f.events();
      const auto* summary = test::tools::find_event(events, "summary");
      ASSERT_NE(summary, nullptr) << f.out.str();
      EXPECT_EQ((*summary)["total"]["lost"], 1);
      EXPECT_EQ((*summary)["total"]["uncounted_drops"], 90) << (*summary)["total"];
      test::tools::expect_schema_conform(f.out.str());
    }
    EXPECT_NE(f.err.str().find("(1 lost in streams, 90 socket drops, their causes not counted; " + note + ")"),
              std::string::npos)
        << f.err.str();
  }
  // The END came: its count makes the tail lost, counted; the drops are it.
  fixture g;
  g.settings.json_output = true;
  g.start();
  batch c;
  for (std::uint64_t i = 0; i < 10; ++i) c.add(sender_a, i);
  c.add(sender_a, 100, group, true);
  g.feed(c);
  g.drops = 90;
  g.session->summary();
  const auto events = g.events();
  const auto* summary = test::tools::find_event(events, "summary");
  ASSERT_NE(summary, nullptr) << g.out.str();
  EXPECT_EQ((*summary)["total"]["lost"], 90);
  EXPECT_EQ((*summary)["total"]["uncounted_drops"], 0);
  // Every drop before the last datagram read (it carried the count): they
  // are the gaps, nothing to say, whether or not an END came.
  fixture h;
  h.start();
  batch d;
  for (std::uint64_t i = 0; i < 10; i += 2) d.add(sender_a, i);
  d.carrying(4);
  h.feed(d);
  h.drops = 4;
  h.session->summary();
  EXPECT_EQ(h.out.str().find("uncounted"), std::string::npos) << h.out.str();
}

// The tail is the drops after the last datagram read, not the drops beyond
// `lost` (trial t17c M1 A: mcast-send --drop-every lost numbers upstream,
// more than the receiver's socket dropped at the end; the summary read
// "lost 15032, kernel_drops 5548, uncounted_drops 0" and 513 numbers were
// in no count).
TEST(ReceiveSession, ATailDroppedIsSaidWhenTheLossUpstreamIsLarger) {
  fixture f;
  f.settings.json_output = true;
  f.start();
  // 0-999 sent, every 5th lost upstream (200 numbers); the socket dropped
  // 40 more in 500-549 (the datagrams after it carry the count 40), and
  // after 899 the receiver stopped: 900-999 (80 left of them) and 3 END
  // markers dropped on the socket.
  batch b;
  for (std::uint64_t i = 0; i < 900; ++i) {
    if (i % 5 == 0 || (i >= 500 && i < 550)) continue;
    b.add(sender_a, i);
    if (i > 550) b.carrying(40);
  }
  f.feed(b);
  f.drops = 40 + 80 + 3;
  f.session->summary();
  const auto events = f.events();
  const auto* summary = test::tools::find_event(events, "summary");
  ASSERT_NE(summary, nullptr) << f.out.str();
  const auto& total = (*summary)["total"];
  EXPECT_EQ(total["lost"], 179 + 40) << "the numbers from 1 (the first that came) to 899";
  EXPECT_EQ(total["kernel_drops"], 123);
  EXPECT_EQ(total["uncounted_drops"], 83) << "the 80 datagrams and 3 END markers after 899: " << total;
  test::tools::expect_schema_conform(f.out.str());
}

// Drops of other traffic on the socket long before the end are no tail
// (trial t17c M1 C: a live mcnet stream, which never sends END, and an
// unpaced MPEG-TS flood on its group and port; the flood's datagrams were
// the ones dropped, and the summary read "uncounted_drops 226307" and said
// the tail may have been dropped with its END markers).
TEST(ReceiveSession, DropsOfAnotherStreamBeforeTheLastReadAreNoTail) {
  for (const bool json_output : {false, true}) {
    fixture f;
    f.settings.json_output = json_output;
    f.start();
    batch b;
    feed::mpegts::continuity_counters cc;
    for (std::uint64_t i = 0; i < 200; ++i) {
      if (i % 50 == 7) continue;  // 4 numbers lost upstream
      b.add(sender_a, i);
      if (i >= 20 && i < 25) b.add_bytes(sender_b, transport_datagram(cc));  // the flood
      if (i > 25) b.carrying(5000);  // the flood's drops, before these datagrams
    }
    f.feed(b);
    f.drops = 5000;  // none after the last datagram read
    f.session->summary();
    EXPECT_EQ(f.out.str().find("END marker"), std::string::npos) << f.out.str();
    EXPECT_EQ(f.out.str().find("after the last datagram read"), std::string::npos) << f.out.str();
    if (json_output) {
      const auto events = f.events();
      const auto* summary = test::tools::find_event(events, "summary");
      ASSERT_NE(summary, nullptr) << f.out.str();
      EXPECT_EQ((*summary)["total"]["lost"], 4);
      EXPECT_EQ((*summary)["total"]["kernel_drops"], 5000);
      EXPECT_EQ((*summary)["total"]["uncounted_drops"], 0) << (*summary)["total"];
      test::tools::expect_schema_conform(f.out.str());
    }
  }
}

// A stream without END markers (RTP, MPEG-TS) whose tail was dropped: said
// as drops after the last datagram read, without the END wording (trial
// t17c L2: an RTP run was told its tail "may have been dropped with its END
// markers").
TEST(ReceiveSession, ATailOfAStreamWithoutEndMarkersIsSaidWithoutThem) {
  fixture f;
  f.start();
  batch b;
  for (std::uint16_t i = 1; i <= 20; ++i) b.add_bytes(sender_b, rtp_datagram(i));
  f.feed(b);
  f.drops = 7;
  f.session->summary();
  EXPECT_NE(f.out.str().find("7 socket drops after the last datagram read: the last datagrams of 1 stream may "
                             "have been dropped, uncounted in lost"),
            std::string::npos)
      << f.out.str();
  EXPECT_EQ(f.out.str().find("END marker"), std::string::npos) << f.out.str();
}

// A --max-loss failure the kernel's drops caused says so: how many the
// sequence numbers show lost, how many the kernel dropped, and why, as the
// namespace's counters know it (here a made-up reading: 10 bad checksums).
// Drops that bad checksums explain are no loss of a feed whose numbers all
// arrived (trial20i 7: 30 corrupted datagrams of another sender made an
// intact feed read 23 % lost and fail --max-loss 1); what the full-queue
// counter explains still is.
TEST(ReceiveSession, ChecksumDropsAreNotAFeedsLoss) {
  for (const auto& [csum, rcvbuf, code] : {std::tuple{30u, 0u, 0}, std::tuple{30u, 10u, 3}}) {
    fixture f;
    f.settings.json_output = true;
    f.settings.max_loss = 1.0;
    f.start();
    tools::drop_counters before{.reverse_path = 0, .udp_in_errors = 0, .udp_rcvbuf = 0, .udp_csum = 0,
                                .udp6_in_errors = 0, .udp6_rcvbuf = 0, .udp6_csum = 0,
                                .udp_ignored_multi = 0, .udp6_ignored_multi = 0};
    auto after = before;
    after.udp_in_errors = csum + rcvbuf;
    after.udp_csum = csum;
    after.udp_rcvbuf = rcvbuf;
    f.session->count_drop_causes(before, [after] { return after; });
    batch b;
    for (std::uint64_t i = 0; i < 100; ++i) b.add(sender_a, i);
    b.add(sender_a, 100, group, true);
    f.feed(b);
    f.drops = csum + rcvbuf;
    f.session->summary();
    EXPECT_EQ(f.session->finish(), code) << f.err.str();
    const auto events = f.events();
    const auto* summary = test::tools::find_event(events, "summary");
    ASSERT_NE(summary, nullptr) << f.out.str();
    EXPECT_EQ((*summary)["total"]["kernel_drops"], csum + rcvbuf) << "the drops are still reported";
    const double expected = rcvbuf == 0 ? 0.0 : 100.0 * rcvbuf / (100.0 + rcvbuf);
    EXPECT_DOUBLE_EQ((*summary)["total"]["loss_percent"].get<double>(), expected) << (*summary)["total"];
  }
}

TEST(ReceiveSession, MaxLossFailureByKernelDropsNamesThemAndTheirCauses) {
  for (const bool json_output : {false, true}) {
    fixture f;
    f.settings.json_output = json_output;
    f.settings.max_loss = 5.0;
    f.start();
    tools::drop_counters before{.reverse_path = 0, .udp_in_errors = 0, .udp_rcvbuf = 0, .udp_csum = 0,
                                .udp6_in_errors = 0, .udp6_rcvbuf = 0, .udp6_csum = 0,
                                .udp_ignored_multi = 0, .udp6_ignored_multi = 0};
    auto after = before;
    after.udp_in_errors = 10;
    after.udp_rcvbuf = 10;
    f.session->count_drop_causes(before, [after] { return after; });
    batch b;
    for (std::uint64_t i = 0; i < 100; ++i) b.add(sender_a, i);
    b.add(sender_a, 100, group, true);
    f.feed(b);
    f.drops = 10;
    f.session->summary();
    EXPECT_EQ(f.session->finish(), 3);
    const std::string message =
        "loss 9.09% (0 lost in streams, 10 socket drops; by cause, this network namespace's counters over the run: "
        "full receive queue 10) is above --max-loss 5%";
    EXPECT_NE(f.err.str().find(message), std::string::npos) << f.err.str();
    if (!json_output) {
      // #15 (trial15h, finding 6): the summary's figure is the sockets'
      // drops (SO_RXQ_OVFL), not every drop of the kernel (a reverse-path
      // drop never reaches a socket): said as what it is.
      EXPECT_NE(f.out.str().find(", 10 socket drops, 0 unread in "), std::string::npos) << f.out.str();
      EXPECT_EQ(f.out.str().find("kernel drop"), std::string::npos) << f.out.str();
    }
    if (json_output) {
      const auto events = f.events();
      const auto* error = test::tools::find_event(events, "error");
      ASSERT_NE(error, nullptr) << f.out.str();
      EXPECT_EQ((*error)["message"], message);
      EXPECT_EQ((*error)["code"], "loss");
      test::tools::expect_schema_conform(f.out.str());
    }
  }
  // Without the causes counted (and with a gap too): the counts, and that
  // the causes were not counted.
  fixture g;
  g.settings.max_loss = 5.0;
  g.start();
  batch c;
  for (std::uint64_t i = 0; i < 100; ++i) {
    if (i != 7) c.add(sender_a, i);
  }
  c.add(sender_a, 100, group, true);
  g.feed(c);
  g.drops = 1;
  g.session->summary();
  EXPECT_EQ(g.session->finish(), 0) << "1 lost of 100, 1 drop: 1 %";
  g.settings.max_loss = 0.5;
  EXPECT_EQ(g.session->finish(), 3);
  EXPECT_NE(g.err.str().find("loss 1.00% (1 lost in streams, 1 socket drop, their causes not counted) is above "
                             "--max-loss 0.5%"),
            std::string::npos)
      << g.err.str();
}

// A loss just above --max-loss is printed with the digits that show it is
// above: 1 lost of 30,000 is 0.00333 %, not "0.00%" above 0.001 %.
TEST(ReceiveSession, ALossAboveMaxLossShowsTheDigitsThatPutItAbove) {
  fixture f;
  f.settings.max_loss = 0.001;
  f.start();
  for (std::uint64_t from = 0; from < 30'000; from += 1000) {
    batch b;
    for (std::uint64_t i = from; i < from + 1000; ++i) {
      if (i != 12'345) b.add(sender_a, i);
    }
    f.feed(b);
  }
  batch end;
  end.add(sender_a, 30'000, group, true);
  f.feed(end);
  f.session->summary();
  EXPECT_EQ(f.session->finish(), 3);
  EXPECT_NE(f.err.str().find("loss 0.00333% is above --max-loss 0.001%"), std::string::npos) << f.err.str();
}

TEST(ReceiveSession, AMaxStreamsBeyondMemoryIsLoweredWithAWarning) {
  fixture f;
  f.settings.max_streams = 10'000'000;
  f.settings.json_output = true;
  f.memory_bytes = 1000 * tools::stream_table::bytes_per_stream;
  f.start();
  EXPECT_EQ(f.table->limit(), 1000u);
  EXPECT_NE(f.err.str().find("--max-streams 10000000 would need about"), std::string::npos) << f.err.str();
  EXPECT_NE(f.err.str().find("at most 1000 are kept"), std::string::npos) << f.err.str();
  const auto events = f.events();
  const auto* warning = test::tools::find_event(events, "warning");
  ASSERT_NE(warning, nullptr) << f.out.str();
  EXPECT_EQ((*warning)["code"], "max_streams_bounded");
  test::tools::expect_schema_conform(f.out.str());
}

// Trial t16x M4: the MB figure was floor(N / 10^6) * bytes_per_stream:
// "about 0 MB" for every --max-streams below 1,000,000. It is N streams'
// bytes in MB, rounded up.
TEST(ReceiveSession, TheMaxStreamsWarningSaysTheMemoryOfTheStreamsAsked) {
  for (const std::size_t n : {std::size_t{4096}, std::size_t{100'000}, std::size_t{9'999'999}}) {
    fixture f;
    f.settings.max_streams = static_cast<std::int64_t>(n);
    f.memory_bytes = 1000 * tools::stream_table::bytes_per_stream;
    f.start();
    const std::uint64_t bytes = n * tools::stream_table::bytes_per_stream;
    const std::uint64_t mb = (bytes + 999'999) / 1'000'000;
    ASSERT_GT(mb, 0u);
    EXPECT_NE(f.err.str().find(fmt::format("--max-streams {} would need about {} MB;", n, mb)), std::string::npos)
        << f.err.str();
  }
}

// Interval reports keep to start + k * interval: a tick 30 ms late does not
// push every later report 30 ms further (trial20i 17: [2.0 s], [4.1 s],
// [6.1 s]); each report's span is still from the one before.
TEST(ReceiveSession, IntervalReportsKeepToTheirSchedule) {
  fixture f;
  f.settings.json_output = true;
  f.settings.interval = 2.0;
  f.start();
  std::vector<double> at;
  for (int tick = 0; tick < 130; ++tick) {  // 6.5 s in 50 ms ticks, each 3 ms late
    f.now += tick % 40 == 39 ? 80ms : 50ms;  // and a slow wake-up now and then
    (void)f.session->tick();
  }
  for (const auto& e : f.events()) {
    if (e["event"] == "interval") at.push_back(e["elapsed_s"].get<double>());
  }
  ASSERT_EQ(at.size(), 3u) << f.out.str();
  for (std::size_t k = 0; k < at.size(); ++k) {
    EXPECT_GE(at[k], 2.0 * static_cast<double>(k + 1)) << k;
    EXPECT_LT(at[k], 2.0 * static_cast<double>(k + 1) + 0.085) << "no drift: " << at[k];
  }
}

// trial t20y L3: a report 39 ms late, then one 37 ms early, read "[1.0 s]
// 1 datagram in the last 1.0 s" beside its stream's "over 1.039 s", and
// "in the last 1.0 s" beside "over 963 ms". The header says the interval's
// real span as the stream lines do (3 decimals in s, or ms under a
// second), and the time of the report with the same precision.
TEST(ReceiveSession, TheIntervalHeaderSaysTheSpanItsStreamLinesSay) {
  fixture f;
  f.settings.interval = 1.0;
  f.start();
  batch b;
  b.add(sender_a, 0);
  f.feed(b);
  f.now += 1039ms;
  (void)f.session->tick();
  f.now += 963ms;
  (void)f.session->tick();
  const auto out = f.out.str();
  EXPECT_NE(out.find("[1.039 s] 1 datagram in the last 1.039 s, 0 socket drops\n"), std::string::npos) << out;
  EXPECT_NE(out.find(" over 1.039 s  lost 0"), std::string::npos) << out;
  EXPECT_NE(out.find("[2.002 s] 0 datagrams in the last 963 ms, 0 socket drops\n"), std::string::npos) << out;
  EXPECT_NE(out.find(" over 963 ms  lost 0"), std::string::npos) << out;
  EXPECT_EQ(out.find("in the last 1.0 s"), std::string::npos) << out;
}

TEST(ReceiveSession, IntervalReportsCarryDeltasAndKernelDrops) {
  fixture f;
  f.settings.json_output = true;
  f.settings.interval = 1.0;
  f.start();
  batch first;
  for (std::uint64_t i = 0; i < 4; ++i) first.add(sender_a, i);
  f.feed(first);
  f.now += 500ms;
  EXPECT_FALSE(f.session->tick());
  EXPECT_EQ(f.events().size(), 0u) << "no report before --interval";
  f.now += 500ms;
  f.drops = 7;
  EXPECT_FALSE(f.session->tick());
  batch second;
  for (std::uint64_t i = 4; i < 10; ++i) second.add(sender_a, i);
  f.feed(second);
  f.now += 1s;
  f.drops = 10;
  EXPECT_FALSE(f.session->tick());
  const auto events = f.events();
  ASSERT_EQ(events.size(), 2u) << f.out.str();
  EXPECT_EQ(events[0]["event"], "interval");
  EXPECT_EQ(events[0]["total"]["packets"], 4);
  EXPECT_EQ(events[0]["total"]["kernel_drops"], 7);
  EXPECT_DOUBLE_EQ(events[0]["elapsed_s"].get<double>(), 1.0);
  EXPECT_EQ(events[1]["total"]["packets"], 6) << "a delta, not the total";
  EXPECT_EQ(events[1]["total"]["kernel_drops"], 3);
  EXPECT_EQ(events[1]["streams"][0]["packets"], 6);
  test::tools::expect_schema_conform(f.out.str());
}

// The run's tail since the last interval report gets one last interval
// (its span what it covers), so the interval deltas add up to the summary;
// a summary right at a report adds none.
TEST(ReceiveSession, TheLastIntervalCoversTheTailOfTheRun) {
  fixture f;
  f.settings.json_output = true;
  f.settings.interval = 1.0;
  f.start();
  batch first;
  for (std::uint64_t i = 0; i < 4; ++i) first.add(sender_a, i);
  f.feed(first);
  f.now += 1s;
  EXPECT_FALSE(f.session->tick());
  batch tail;
  for (std::uint64_t i = 4; i < 7; ++i) tail.add(sender_a, i);
  f.now += 500ms;
  f.feed(tail);
  f.session->summary();
  const auto events = f.events();
  ASSERT_EQ(events.size(), 3u) << f.out.str();
  EXPECT_EQ(events[0]["event"], "interval");
  EXPECT_EQ(events[1]["event"], "interval");
  EXPECT_EQ(events[2]["event"], "summary");
  EXPECT_EQ(events[1]["total"]["packets"], 3) << f.out.str();
  EXPECT_DOUBLE_EQ(events[1]["elapsed_s"].get<double>(), 1.5);
  EXPECT_DOUBLE_EQ(events[1]["streams"][0]["rate_span_s"].get<double>(), 0.5);
  EXPECT_EQ(events[0]["total"]["packets"].get<int>() + events[1]["total"]["packets"].get<int>(),
            events[2]["total"]["packets"].get<int>());
  test::tools::expect_schema_conform(f.out.str());
}

TEST(ReceiveSession, TextAndCsvForms) {
  fixture text;
  text.settings.show_packets = true;
  text.start();
  batch b;
  b.add(sender_a, 0).add(sender_a, 1);
  text.feed(b);
  text.session->summary();
  const auto t = text.out.str();
  for (const char* part : {"summary:", "from 10.77.0.1 id", "2 packets", "mcast-recv: 2 datagrams, 200 bytes, 0 lost"}) {
    EXPECT_NE(t.find(part), std::string::npos) << part << " in:\n" << t;
  }
  fixture csv;
  csv.settings.csv = true;
  csv.settings.interval = 1;
  csv.start();
  csv.feed(b);
  csv.now += 1s;
  EXPECT_FALSE(csv.session->tick());
  csv.session->summary();
  std::istringstream lines(csv.out.str());
  std::vector<std::string> rows;
  for (std::string line; std::getline(lines, line);) rows.push_back(line);
  ASSERT_EQ(rows.size(), 2u) << csv.out.str();
  EXPECT_TRUE(rows[0].starts_with("interval,")) << rows[0];
  EXPECT_TRUE(rows[1].starts_with("summary,")) << rows[1];
  EXPECT_NE(rows[1].find(",2,200,"), std::string::npos) << rows[1];
}

// trial20q 7: --interfaces said "unknown {?}" for a group two sockets joined
// with a source each, though the kernel's counts list both sources: they
// are said with the two states the counts allow, in text and JSON. A
// group Linux left out of its listing stays "unknown {?}", nothing known.
TEST(McastRecvInterfaces, AnUndecidedFilterGivesItsSourcesAndBothStates) {
  namespace netlink = mcnet::netlink;
  const auto g = core::ip_address::v4(232, 1, 1, 1);
  const auto a = core::ip_address::v4(10, 77, 0, 5);
  const auto b = core::ip_address::v4(10, 77, 0, 6);
  const auto two = netlink::group_filter::of(2, g, 2, {{a, 1, 0}, {b, 1, 0}});
  ASSERT_EQ(two.mode, netlink::filter_mode::unknown);
  EXPECT_EQ(tools::group_filter_text(two), "unknown: include {10.77.0.5 10.77.0.6} or exclude {}");
  const auto j = tools::group_filter_json(two);
  EXPECT_EQ(j["mode"], "unknown");
  EXPECT_TRUE(j["sources"].is_null());
  EXPECT_EQ(j["alternatives"], (nlohmann::ordered_json::array(
                                   {{{"mode", "include"}, {"sources", {"10.77.0.5", "10.77.0.6"}}},
                                    {{"mode", "exclude"}, {"sources", nlohmann::ordered_json::array()}}})))
      << j;
  EXPECT_TRUE(test::tools::schema_errors(test::tools::json::parse(
                  nlohmann::ordered_json{{"index", 2}, {"name", "eth0"}, {"flags", nlohmann::ordered_json::array()},
                                         {"oper_state", "up"}, {"mtu", 1500},
                                         {"addresses", nlohmann::ordered_json::array()}, {"groups", {"232.1.1.1"}},
                                         {"filters", {j}}}
                      .dump()))
                  .empty());
  // Decided ones as before, no alternatives.
  const auto include = netlink::group_filter::of(2, g, 1, {{a, 1, 0}, {b, 1, 0}});
  EXPECT_EQ(tools::group_filter_text(include), "include {10.77.0.5 10.77.0.6}");
  EXPECT_TRUE(tools::group_filter_json(include)["alternatives"].is_null());
  EXPECT_EQ(tools::group_filter_text(netlink::group_filter::of(2, g, 3, {{a, 1, 0}, {b, 1, 0}})), "exclude {}");
  auto unlisted = netlink::group_filter::of(2, g, 1, {});
  unlisted.mode = netlink::filter_mode::unknown;
  unlisted.sources_known = false;
  unlisted.listed = false;
  EXPECT_EQ(tools::group_filter_text(unlisted), "unknown {?}");
  EXPECT_TRUE(tools::group_filter_json(unlisted)["alternatives"].is_null());
}

// trial20q 6: one doctor command for many silent channels gives a run of
// consecutive groups as one spec with its count, each membership once.
TEST(McastRecvSilent, SpecRangesGiveRunsOfConsecutiveGroupsWithTheirCount) {
  std::vector<tools::membership> members;
  const auto add = [&members](const char* g, std::uint16_t p, const char* source = nullptr) {
    tools::membership m;
    m.request.group = *core::ip_address::parse(g);
    m.request.port = p;
    if (source != nullptr) {
      m.request.source = *core::ip_address::parse(source);
      m.request.mode = tools::filter::include;
    }
    members.push_back(m);
  };
  for (int i = 2; i <= 30; ++i) add(("239.1.1." + std::to_string(i)).c_str(), 5000);
  add("239.1.1.30", 5000);  // twice: said once
  add("239.1.1.31", 5001);  // another port
  add("239.1.1.40", 5000);
  add("232.1.1.1", 5000, "10.77.0.1");
  add("232.1.1.2", 5000, "10.77.0.1");
  add("ff3e::ff", 5000);
  add("ff3e::100", 5000);
  EXPECT_EQ(tools::spec_ranges(members),
            "239.1.1.2:5000+29 239.1.1.31:5001 239.1.1.40:5000 10.77.0.1,232.1.1.1:5000+2 '[ff3e::ff]:5000+2'");
  EXPECT_EQ(tools::spec_ranges({members[0]}), tools::spec_arguments({members[0]}));
}

namespace {

// Memberships of N consecutive groups from 239.2.0.1 on port 5000, joined
// on `iface` (index `index`).
std::vector<tools::membership> consecutive_joins(int n, const char* iface, std::uint32_t index) {
  std::vector<tools::membership> members;
  for (int i = 1; i <= n; ++i) {
    tools::membership m;
    m.request.group = *core::ip_address::parse(fmt::format("239.2.{}.{}", i / 256, i % 256));
    m.request.port = 5000;
    m.iface.index = index;
    m.iface.name = *core::interface_name::make(iface);
    members.push_back(m);
  }
  return members;
}

std::vector<const tools::membership*> pointers(const std::vector<tools::membership>& members) {
  std::vector<const tools::membership*> out;
  for (const auto& m : members) out.push_back(&m);
  return out;
}

}  // namespace

// Trial t15r6 F3: a suggested command for thousands of groups was every
// spec (60 KB). Up to specs_each_at_most specs each is written; past it,
// runs of consecutive groups are ranges.
TEST(McastRecvSilent, SpecListWritesRangesPastEightSpecs) {
  const auto eight = consecutive_joins(8, "b0", 3);
  EXPECT_EQ(tools::spec_list(eight), tools::spec_arguments(eight));
  EXPECT_EQ(tools::spec_list(eight).find('+'), std::string::npos);
  auto many = consecutive_joins(3000, "b0", 3);
  many.push_back(many.front());  // twice: said once
  EXPECT_EQ(tools::spec_list(many), "239.2.0.1:5000%b0+3000");
  EXPECT_EQ(std::ranges::count(tools::spec_arguments(many), ' '), 2999);  // every spec, each once
}

// Trial t15r6 F2: placed_command() past 64 memberships writes the moved
// ones, and past eight specs as ranges; the others stay as they are.
TEST(McastRecvSilent, PlacedCommandWritesRangesOfTheMovedGroups) {
  const auto members = consecutive_joins(1200, "b0", 3);
  const auto line = pointers(members);
  EXPECT_EQ(tools::placed_command(line, [](const tools::membership&) { return std::optional<std::string>("a0"); }),
            "mcast-recv -i a0 239.2.0.1:5000+1200");
  // moved_run()'s shortcut for a large line writes what placed_command() does.
  EXPECT_EQ(tools::moved_run(line, members[5], "a0"),
            tools::placed_command(line, [&members](const tools::membership& m) -> std::optional<std::string> {
              if (tools::same_join(m, members[5])) return "a0";
              return std::nullopt;
            }));
  EXPECT_EQ(tools::moved_run(line, members[5], "a0"), "mcast-recv -i a0 239.2.0.6:5000");
  // Every second group moves: 600 specs, no range possible.
  const auto half = tools::placed_command(line, [](const tools::membership& m) -> std::optional<std::string> {
    if (m.request.group.to_string().back() % 2 == 1) return "a0";
    return std::nullopt;
  });
  EXPECT_TRUE(half.starts_with("mcast-recv -i a0 239.2.0.1:5000 239.2.0.3:5000 ")) << half;
  // Few: each spec written, moved or not.
  const auto few = consecutive_joins(3, "b0", 3);
  EXPECT_EQ(tools::placed_command(pointers(few),
                                  [](const tools::membership& m) -> std::optional<std::string> {
                                    if (m.request.group.to_string() == "239.2.0.2") return "a0";
                                    return std::nullopt;
                                  }),
            "mcast-recv 239.2.0.1:5000%b0 239.2.0.2:5000%a0 239.2.0.3:5000%b0");
}

// Trial t15r13 H1: past 64 memberships a move wrote the moved spec alone,
// and pasted in place of the run it left the other groups out. A
// move_ledger keeps each such command with its moves; widen() writes it
// whole (the others as they are) once, widen_union() one command for the
// moves of a range's findings together, within a budget.
TEST(McastRecvSilent, AMoveLedgerWritesALargeRunsMoveWhole) {
  auto members = consecutive_joins(70, "b0", 3);
  auto other = consecutive_joins(1, "c0", 4);
  other[0].request.group = *core::ip_address::parse("239.9.0.1");
  members.push_back(other[0]);
  const auto line = pointers(members);
  const auto to_a0 = [](const tools::membership& m) { return m.request.group.to_string() == "239.2.0.1"; };
  // No ledger: the moved spec alone, as before.
  EXPECT_EQ(tools::moved_run(line, members[0], "a0"), "mcast-recv -i a0 239.2.0.1:5000");
  tools::move_ledger ledger;
  ASSERT_EQ(tools::move_ledger::current(), &ledger);
  const auto alone = tools::moved_run(line, members[0], "a0");
  EXPECT_EQ(alone, "mcast-recv -i a0 239.2.0.1:5000");
  const auto whole = "mcast-recv 239.2.0.1:5000%a0 239.2.0.2:5000%b0+69 239.9.0.1:5000%c0";
  EXPECT_EQ(ledger.widen("fix: " + alone + "; or else", line), "fix: " + std::string(whole) + "; or else");
  // Written whole already, or not recorded: unchanged.
  EXPECT_EQ(ledger.widen(whole, line), whole);
  EXPECT_EQ(ledger.widen("mcast-recv -i a0 239.2.0.1:5000+2 and mcast-recv doctor 239.2.0.1:5000", line),
            "mcast-recv -i a0 239.2.0.1:5000+2 and mcast-recv doctor 239.2.0.1:5000");
  // placed_command() records too, with every membership it placed.
  const auto placed = tools::placed_command(line, [&](const tools::membership& m) -> std::optional<std::string> {
    if (to_a0(m)) return "a0";
    if (m.request.group.to_string() == "239.9.0.1") return "a0";
    return std::nullopt;
  });
  EXPECT_EQ(placed, "mcast-recv -i a0 239.2.0.1:5000 239.9.0.1:5000");
  EXPECT_EQ(ledger.widen(placed, line), "mcast-recv 239.2.0.1:5000%a0 239.2.0.2:5000%b0+69 239.9.0.1:5000%a0");
  // The findings of three groups alike: one command moving the three.
  std::vector<std::string> notes;
  for (std::size_t i = 0; i < 3; ++i) {
    notes.push_back("on a0's side: " + tools::moved_run(line, members[i], "a0") + " (say)");
  }
  const auto u = ledger.widen_union({notes[0], notes[1], notes[2]}, line);
  EXPECT_TRUE(u.covered);
  EXPECT_EQ(u.text, "on a0's side: mcast-recv 239.2.0.1:5000%a0+3 239.2.0.4:5000%b0+67 239.9.0.1:5000%c0 (say)");
  EXPECT_EQ(u.rest, "on a0's side:  (say)");
  // Texts that differ in their commands: the first as it is.
  const auto differ = ledger.widen_union({notes[0], "no command"}, line);
  EXPECT_FALSE(differ.covered);
  EXPECT_EQ(differ.text, notes[0]);
}

// Past its budget (250,000 memberships passed) a ledger leaves the
// commands as recorded: thousands of per-group moves stay linear.
TEST(McastRecvSilent, AMoveLedgerStopsAtItsBudget) {
  const auto members = consecutive_joins(3000, "b0", 3);
  const auto line = pointers(members);
  tools::move_ledger ledger;
  std::size_t whole = 0, alone = 0;
  for (std::size_t i = 0; i < 100; ++i) {
    const auto text = ledger.widen(tools::moved_run(line, members[i], "a0"), line);
    (text.starts_with("mcast-recv -i a0 ") ? alone : whole) += 1;
  }
  EXPECT_EQ(whole, 250'000u / 3000u);
  EXPECT_EQ(alone, 100u - 250'000u / 3000u);
  // One already written stays whole: each command's line is made once.
  EXPECT_EQ(ledger.widen(tools::moved_run(line, members[0], "a0"), line),
            "mcast-recv 239.2.0.1:5000%a0 239.2.0.2:5000%b0+2999");
}

// Trial t15r12 M2: a move to where the same group and port are joined in
// another mode wrote specs mcast-recv refuses together (any-source and
// source-specific, include and exclude, for one group, port and
// interface): the any-source spec hears every source, so the
// source-specific ones there go; an exclude one hears every source it does
// not name, so the include ones go, and the exclusions of their sources.
TEST(McastRecvSilent, AMoveNeverWritesConflictingSpecs) {
  auto any_b0 = consecutive_joins(1, "b0", 3);
  auto include_a0 = consecutive_joins(1, "a0", 2);
  include_a0[0].request.mode = tools::filter::include;
  include_a0[0].request.source = *core::ip_address::parse("10.77.55.2");
  std::vector<tools::membership> both{any_b0[0], include_a0[0]};
  const auto to_a0 = [&both](const tools::membership& m) -> std::optional<std::string> {
    if (tools::same_join(m, both[0])) return "a0";
    return std::nullopt;
  };
  EXPECT_EQ(tools::placed_command(pointers(both), to_a0), "mcast-recv -i a0 239.2.0.1:5000");
  EXPECT_EQ(tools::moved_run(pointers(both), both[0], "a0"), "mcast-recv -i a0 239.2.0.1:5000");
  // An include join moved next to an exclude join of another source: the
  // exclude one hears it; next to one that excludes its very source: that
  // exclusion goes, and what is left hears every source.
  auto exclude_a0 = include_a0;
  exclude_a0[0].request.mode = tools::filter::exclude;
  exclude_a0[0].request.source = *core::ip_address::parse("10.77.55.9");
  auto include_b0 = include_a0;
  include_b0[0].iface = any_b0[0].iface;
  std::vector<tools::membership> mixed{include_b0[0], exclude_a0[0]};
  EXPECT_EQ(tools::moved_run(pointers(mixed), mixed[0], "a0"), "mcast-recv -i a0 '!10.77.55.9,239.2.0.1:5000'");
  mixed[1].request.source = *core::ip_address::parse("10.77.55.2");
  EXPECT_EQ(tools::moved_run(pointers(mixed), mixed[0], "a0"), "mcast-recv -i a0 239.2.0.1:5000");
  // Two exclude joins (trial t15r13 H2): together they take every source
  // but those both leave out, here none: any-source, not one filter
  // without either.
  auto exclude_b0 = exclude_a0;
  exclude_b0[0].iface = any_b0[0].iface;
  exclude_b0[0].request.source = *core::ip_address::parse("10.77.55.8");
  std::vector<tools::membership> excludes{exclude_b0[0], exclude_a0[0]};
  EXPECT_EQ(tools::moved_run(pointers(excludes), excludes[0], "a0"), "mcast-recv -i a0 239.2.0.1:5000");
  auto also_9 = exclude_b0;
  also_9[0].request.source = *core::ip_address::parse("10.77.55.9");
  excludes.push_back(also_9[0]);  // b0 leaves out .8 and .9, a0 .9: both leave out .9
  EXPECT_EQ(tools::placed_command(pointers(excludes),
                                  [](const tools::membership& m) -> std::optional<std::string> {
                                    if (m.iface.name.view() == "b0") return "a0";
                                    return std::nullopt;
                                  }),
            "mcast-recv -i a0 '!10.77.55.9,239.2.0.1:5000'");
  // Specs that stay where they are keep their modes.
  EXPECT_EQ(tools::placed_command(pointers(both), [](const tools::membership&) { return std::nullopt; }),
            "mcast-recv 239.2.0.1:5000%b0 10.77.55.2,239.2.0.1:5000%a0");
}

// Trial t15r6 F2: the undecided route lines of one situation are one line
// whose move is every group's; another situation keeps its own line.
TEST(McastRecvSilent, MergeRouteMovesMakesOneLinePerSituation) {
  auto members = consecutive_joins(20, "b0", 3);
  const auto line = pointers(members);
  std::vector<tools::check_result> checks;
  const auto route_line = [&](const tools::membership& m, const char* via, tools::check_status status) {
    return tools::check_result{"route",
                               m.request.group.to_string(),
                               status,
                               "the join names b0",
                               "",
                               {{"route_interface", via}, {"join_interface", "b0"}, {"undecided", true}},
                               "should the sender be on " + std::string(via) + "'s side: " +
                                   tools::moved_run(line, m, via)};
  };
  checks.push_back({"interface", "b0", tools::check_status::ok, "up", "", {}, ""});
  for (int i = 0; i < 20; ++i) {
    checks.push_back(route_line(members[static_cast<std::size_t>(i)], i < 15 ? "a0" : "c0", tools::check_status::ok));
  }
  checks.push_back({"rp_filter", "b0", tools::check_status::ok, "off", "", {}, ""});
  tools::merge_route_moves(checks, line);
  ASSERT_EQ(checks.size(), 4u);
  EXPECT_EQ(checks[0].check, "interface");
  EXPECT_EQ(checks[1].subject, "239.2.0.1");
  EXPECT_EQ(checks[1].data["groups"].size(), 15u);
  EXPECT_EQ(checks[1].message,
            "the join names b0; the same for 14 more groups joined on b0 whose route leaves by a0: 239.2.0.2 to "
            "239.2.0.15 (14 consecutive groups)");
  EXPECT_EQ(checks[1].note,
            "should the sender be on a0's side: mcast-recv 239.2.0.1:5000%a0+15 239.2.0.16:5000%b0+5");
  EXPECT_EQ(checks[2].subject, "239.2.0.16");
  EXPECT_EQ(checks[2].note,
            "should the sender be on c0's side: mcast-recv 239.2.0.1:5000%b0+15 239.2.0.16:5000%c0+5");
  EXPECT_EQ(checks[3].check, "rp_filter");
  // One line alone stays as it was.
  std::vector<tools::check_result> one{route_line(members[0], "a0", tools::check_status::ok)};
  const auto before = one.front().note;
  tools::merge_route_moves(one, line);
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one.front().note, before);
  EXPECT_FALSE(one.front().data.contains("groups"));
}

TEST(ReceiveSession, DropsSeenKeepTheLargestCount) {
  fixture f;
  f.start();
  batch b;
  b.add(sender_a, 0).add(sender_a, 1);
  auto msgs = std::vector<core::message>(b.span().begin(), b.span().end());
  msgs[0].info.drops = 12;
  msgs[1].info.drops = 5;
  f.session->handle(msgs, port, f.drops_seen);
  EXPECT_EQ(f.drops_seen, 12u);
}

}  // namespace

namespace {

// A joined channel as open_and_join's `joined` lists it: any-source, on
// interface `index` (an index no link of this namespace has), named `name`.
nlohmann::ordered_json any_source_channel(const core::ip_address& g, std::uint32_t index,
                                          const char* name = nullptr) {
  return {{"group", g.to_string()}, {"port", port}, {"mode", "any"}, {"sources", nlohmann::ordered_json::array()},
          {"interface", {{"name", name != nullptr ? nlohmann::ordered_json(name) : nlohmann::ordered_json(nullptr)},
                         {"index", index}}}};
}

// Start `f` as a run that joined `channels`.
void start_joined(fixture& f, bool json_output, nlohmann::ordered_json channels) {
  f.settings.json_output = json_output;
  f.start();
  f.session->set_channels(std::move(channels));
}

const auto group_b = core::ip_address::v4(239, 1, 1, 2);
constexpr std::uint32_t joined_index = 900'001;  // no link has these indexes
constexpr std::uint32_t other_index = 900'002;

}  // namespace

// trial15p F3: an interface re-created with its own index (moved to
// another namespace and back), and two re-created in turn that swapped
// their indexes: the summary ends (the walk of the replaced indexes never
// did, its list growing until memory ran out) and counts each channel's
// datagrams once.
TEST(ReceiveSession, AnInterfaceBackWithItsOwnIndexOrTwoThatSwappedThemEndTheSummary) {
  fixture f;
  start_joined(f, true, nlohmann::ordered_json::array({any_source_channel(group, joined_index, "a0"),
                                                      any_source_channel(group_b, other_index, "b0")}));
  batch b;
  b.ingress = joined_index;
  for (std::uint64_t i = 0; i < 5; ++i) b.add(sender_a, i);
  f.feed(b);
  f.session->interface_replaced(joined_index, joined_index);  // a0 back as itself
  f.session->interface_replaced(joined_index, other_index);   // a0 re-created with b0's old index ...
  f.session->interface_replaced(other_index, joined_index);   // ... and b0 with a0's
  batch again;
  again.ingress = joined_index;
  for (std::uint64_t i = 5; i < 8; ++i) again.add(sender_a, i);
  f.feed(again);
  f.session->summary();
  const auto events = f.events();
  const auto* summary = test::tools::find_event(events, "summary");
  ASSERT_NE(summary, nullptr) << f.out.str();
  std::uint64_t packets = 0;
  for (const auto& c : (*summary)["channels"]) packets += c["packets"].get<std::uint64_t>();
  EXPECT_EQ(packets, 8u) << (*summary)["channels"];
}

// trial t15r L2: an interface deleted and re-created during the run (its
// memberships joined again on the new index): the summary's stream names
// the new index, as its channel does, not the deleted one.
TEST(ReceiveSession, AStreamOfAReCreatedInterfaceNamesItsNewIndex) {
  fixture f;
  start_joined(f, true, nlohmann::ordered_json::array({any_source_channel(group, joined_index, "a0")}));
  batch b;
  b.ingress = joined_index;
  for (std::uint64_t i = 0; i < 5; ++i) b.add(sender_a, i);
  f.feed(b);
  f.session->interface_deleted(joined_index, "a0");
  f.session->interface_replaced(joined_index, other_index);
  f.session->summary();
  const auto events = f.events();
  const auto* summary = test::tools::find_event(events, "summary");
  ASSERT_NE(summary, nullptr) << f.out.str();
  ASSERT_EQ((*summary)["streams"].size(), 1u) << *summary;
  EXPECT_EQ((*summary)["streams"][0]["interface"]["index"], other_index) << (*summary)["streams"][0];
  EXPECT_EQ((*summary)["channels"][0]["interface"]["index"], other_index) << (*summary)["channels"][0];
  EXPECT_EQ((*summary)["channels"][0]["packets"], 5) << (*summary)["channels"][0];
}

// trial t15u M2: an interface moved to another namespace and back keeps
// its index; its memberships joined again, the stream's text line does not
// call it deleted during the run.
TEST(ReceiveSession, AStreamOfAnInterfaceBackWithItsOwnIndexIsNotCalledDeleted) {
  fixture f;
  start_joined(f, false, nlohmann::ordered_json::array({any_source_channel(group, joined_index, "a0")}));
  batch b;
  b.ingress = joined_index;
  for (std::uint64_t i = 0; i < 5; ++i) b.add(sender_a, i);
  f.feed(b);
  f.session->interface_deleted(joined_index, "a0");
  f.session->interface_replaced(joined_index, joined_index);
  f.session->summary();
  const auto out = f.out.str();
  EXPECT_NE(out.find("5 packets"), std::string::npos) << out;
  EXPECT_EQ(out.find("deleted during the run"), std::string::npos) << out;
}

// trial20o H1: datagrams of a stream past --max-streams arrived for their
// channel: it counts them (untracked, in no stream), is no silent channel,
// and the stream's END markers are its own, not "of streams never seen".
TEST(ReceiveSession, UntrackedDatagramsCountInTheirChannelWhichIsNotSilent) {
  for (const bool json_output : {true, false}) {
    fixture f;
    f.settings.max_streams = 1;
    start_joined(f, json_output, nlohmann::ordered_json::array({any_source_channel(group, joined_index),
                                                                any_source_channel(group_b, joined_index)}));
    const core::kernel_time joined_at{std::chrono::seconds(1)};
    f.table->joined(group, port, joined_at);
    f.table->joined(group_b, port, joined_at);
    std::size_t asked = 0;
    f.session->silent_hints_with([&asked](const tools::receive_session::silent_channels& s) {
      asked += s.size();
      return tools::silent_report{};
    });
    batch b;
    b.ingress = joined_index;
    for (std::uint64_t i = 0; i < 5; ++i) b.add(sender_a, i);
    for (std::uint64_t i = 0; i < 10; ++i) b.add(sender_b, i, group_b);
    for (int i = 0; i < 3; ++i) b.add(sender_b, 10, group_b, true);  // its END, three times
    f.feed(b);
    EXPECT_EQ(f.table->untracked(), 10u);
    EXPECT_EQ(f.table->stray_ends(), 0u) << "the END markers of a stream seen, untracked";
    f.session->summary();
    EXPECT_EQ(asked, 0u) << "no channel is silent";
    const auto out = f.out.str();
    EXPECT_EQ(out.find("nothing arrived"), std::string::npos) << out;
    EXPECT_EQ(out.find("never seen"), std::string::npos) << out;
    if (!json_output) {
      EXPECT_NE(out.find("(10 more datagrams, not among these, of streams past the table's 1 untracked: their loss is unknown)"),
                std::string::npos)
          << out;
      continue;
    }
    test::tools::expect_schema_conform(out);
    const auto events = f.events();
    const auto* summary = test::tools::find_event(events, "summary");
    ASSERT_NE(summary, nullptr) << out;
    const auto& channels = (*summary)["channels"];
    ASSERT_EQ(channels.size(), 2u) << *summary;
    EXPECT_EQ(channels[0]["packets"], 5) << channels[0];
    EXPECT_EQ(channels[0]["untracked"], 0) << channels[0];
    EXPECT_EQ(channels[1]["packets"], 10) << channels[1];
    EXPECT_EQ(channels[1]["untracked"], 10) << channels[1];
    ASSERT_TRUE(channels[1]["first_packet_ms"].is_number()) << channels[1];
    EXPECT_NEAR(channels[1]["first_packet_ms"].get<double>(), 0.05, 1e-6) << "50 us after the join";
    EXPECT_EQ(channels[1]["end_markers"], 0) << channels[1];
    EXPECT_EQ((*summary)["total"]["stray_ends"], 0);
    EXPECT_EQ((*summary)["total"]["untracked"], 10);
    EXPECT_TRUE((*summary)["silent"].is_null()) << (*summary)["silent"];
    // The identity the schema states: the channels' packets are the total's
    // and the untracked ones.
    EXPECT_EQ(channels[0]["packets"].get<std::uint64_t>() + channels[1]["packets"].get<std::uint64_t>(),
              (*summary)["total"]["packets"].get<std::uint64_t>() + (*summary)["total"]["untracked"].get<std::uint64_t>());
  }
  // The channel's line says so.
  EXPECT_EQ(tools::channel_text({{"group", "239.1.1.2"}, {"port", 5000}, {"mode", "any"},
                                 {"sources", nlohmann::ordered_json::array()},
                                 {"interface", {{"name", "eth0"}, {"index", 2}}}, {"packets", 10}, {"untracked", 10},
                                 {"first_packet_ms", 0.05}, {"rate_pps", nullptr}, {"rate_bps", nullptr},
                                 {"end_markers", 0}, {"end_marker_sources", nlohmann::ordered_json::array()}}),
            "  239.1.1.2:5000 on eth0: 10 packets (all of streams past --max-streams, untracked: in no stream), first "
            "packet after 0.1 ms");
}

// trial20q 6: a +300 spec with 299 silent groups printed 299 "0 packets,
// first packet none" lines. Consecutive silent groups of one port,
// interface and join are one line naming the range and its count; a
// channel that differs (END markers came for it, another port) keeps its
// own line; a run of two is one line too (trial t20y L4: the silent
// groups' paragraph named two as one range, the summary gave them two
// lines). JSON and CSV keep a channel each.
TEST(ReceiveSession, ConsecutiveSilentChannelsAreOneLineOfText) {
  for (const bool csv : {false, true}) {
    fixture f;
    f.settings.csv = csv;
    auto channels = nlohmann::ordered_json::array();
    for (std::uint32_t i = 0; i < 30; ++i) {
      channels.push_back(any_source_channel(core::ip_address::v4_uint(0xEF010201u + i), joined_index, "eth0"));
    }
    channels.push_back(any_source_channel(core::ip_address::v4(239, 1, 3, 1), joined_index, "eth0"));
    channels.push_back(any_source_channel(core::ip_address::v4(239, 1, 3, 2), joined_index, "eth0"));
    start_joined(f, false, std::move(channels));
    batch b;
    b.ingress = joined_index;
    for (std::uint64_t i = 0; i < 5; ++i) b.add(sender_a, i, core::ip_address::v4(239, 1, 2, 1));
    for (int i = 0; i < 3; ++i) b.add(sender_b, 20, core::ip_address::v4(239, 1, 2, 16), true);  // END markers only
    f.feed(b);
    f.now += 1s;
    f.session->summary();
    const auto out = f.out.str();
    if (csv) {
      std::size_t rows = 0;
      std::istringstream lines(out);
      for (std::string line; std::getline(lines, line);) rows += line.find(",any,") != std::string::npos;
      EXPECT_EQ(rows, 31u) << out;
      continue;
    }
    EXPECT_NE(out.find("joined, nothing arrived:\n"
                       "  239.1.2.2:5000 to 239.1.2.15:5000 on eth0 (14 consecutive groups): 0 packets each, first "
                       "packet none\n"
                       "  239.1.2.16:5000 on eth0: 0 packets, first packet none, 3 END markers of streams never seen "
                       "from 10.77.0.2\n"
                       "  239.1.2.17:5000 to 239.1.2.30:5000 on eth0 (14 consecutive groups): 0 packets each, first "
                       "packet none\n"
                       "  239.1.3.1:5000 to 239.1.3.2:5000 on eth0 (2 consecutive groups): 0 packets each, first "
                       "packet none\n"),
              std::string::npos)
        << out;
  }
}

// trial t20y L4: the summary's silent groups take the grouping of their
// diagnosis: consecutive groups of one port, interface and join and of one
// diagnosis (the silent checks' causes) are one line, two included; a
// group whose diagnosis differs breaks the run. JSON keeps one object per
// group.
TEST(ReceiveSession, SilentGroupsOfOneDiagnosisAreOneSummaryLine) {
  for (const bool json_output : {false, true}) {
    fixture f;
    auto channels = nlohmann::ordered_json::array();
    for (std::uint32_t i = 0; i < 5; ++i) {
      channels.push_back(any_source_channel(core::ip_address::v4_uint(0xEF010201u + i), joined_index, "eth0"));
    }
    start_joined(f, json_output, std::move(channels));
    // 239.1.2.2 and .3 dropped by one rule; .4 by another; .5 by the first.
    f.session->silent_hints_with([](const tools::receive_session::silent_channels& s) {
      tools::silent_report r;
      for (const auto& c : s) {
        const auto g = c.channel["group"].get<std::string>();
        const auto rule = g == "239.1.2.4" ? "handle 8" : "handle 7";
        r.event.push_back({{"group", g},
                           {"port", c.channel["port"]},
                           {"interface", c.channel["interface"]},
                           {"mode", c.channel["mode"]},
                           {"sources", c.channel["sources"]},
                           {"end_markers", 0},
                           {"other_channels_received", nlohmann::ordered_json::array()},
                           {"arrived_elsewhere", nlohmann::ordered_json::array()},
                           {"checked", true},
                           {"causes", nlohmann::ordered_json::array({{{"status", "FAIL"},
                                                                      {"check", "firewall"},
                                                                      {"subject", rule},
                                                                      {"message", "drops it"},
                                                                      {"fix", nullptr},
                                                                      {"note", nullptr}}})},
                           {"message", nullptr}});
      }
      r.text = {"mcast-recv: nothing arrived for ..."};
      return r;
    });
    batch b;
    b.ingress = joined_index;
    for (std::uint64_t i = 0; i < 5; ++i) b.add(sender_a, i, core::ip_address::v4(239, 1, 2, 1));
    f.feed(b);
    f.now += 1s;
    f.session->summary();
    const auto out = f.out.str();
    if (json_output) {
      const auto events = f.events();
      const auto* summary = test::tools::find_event(events, "summary");
      ASSERT_NE(summary, nullptr) << out;
      EXPECT_EQ((*summary)["silent"].size(), 4u) << (*summary)["silent"];
      continue;
    }
    EXPECT_NE(out.find("joined, nothing arrived:\n"
                       "  239.1.2.2:5000 to 239.1.2.3:5000 on eth0 (2 consecutive groups): 0 packets each, first "
                       "packet none\n"
                       "  239.1.2.4:5000 on eth0: 0 packets, first packet none\n"
                       "  239.1.2.5:5000 on eth0: 0 packets, first packet none\n"),
              std::string::npos)
        << out;
  }
}

// trial20o M1: Linux gives an IPv6 socket its groups' datagrams from every
// interface the host joined them on (another socket's membership too).
// Those that come in where the run did not join their group and port are
// set aside: in no stream, total or channel, counted and listed apart, and
// the silent channel says its datagrams came in elsewhere. An unknown
// ingress (index 0) counts as before.
TEST(ReceiveSession, AJoinedGroupsDatagramsOnAnotherInterfaceAreSetApart) {
  for (const bool json_output : {true, false}) {
    fixture f;
    start_joined(f, json_output, nlohmann::ordered_json::array({any_source_channel(group, joined_index),
                                                                any_source_channel(group_b, joined_index)}));
    std::vector<tools::silent_channel> asked;
    f.session->silent_hints_with([&asked](const tools::receive_session::silent_channels& s) {
      asked = s;
      return tools::silent_report{};
    });
    batch b;
    b.ingress = other_index;
    for (std::uint64_t i = 0; i < 5; ++i) b.add(sender_a, i);  // group, where it is not joined
    b.ingress = joined_index;
    for (std::uint64_t i = 0; i < 3; ++i) b.add(sender_b, i, group_b);
    f.feed(b);
    EXPECT_EQ(f.session->counted(), 3u);
    EXPECT_EQ(f.session->other_interface_total(), 5u);
    f.session->summary();
    ASSERT_EQ(asked.size(), 1u) << f.out.str();
    EXPECT_EQ(asked[0].channel["group"], "239.1.1.1");
    EXPECT_TRUE(asked[0].other_channels_received.empty());
    EXPECT_EQ(asked[0].arrived_elsewhere, std::vector<std::string>{"239.1.1.1:5000 on - (5 datagrams)"});
    const auto out = f.out.str();
    if (!json_output) {
      EXPECT_NE(out.find("came in on an interface where this run did not join them (5 datagrams in all, not counted "
                         "in any stream, total or channel"),
                std::string::npos)
          << out;
      EXPECT_NE(out.find("\n  239.1.1.1:5000 on -: 5 datagrams\n"), std::string::npos) << out;
      continue;
    }
    test::tools::expect_schema_conform(out);
    const auto events = f.events();
    const auto* summary = test::tools::find_event(events, "summary");
    ASSERT_NE(summary, nullptr) << out;
    EXPECT_EQ((*summary)["total"]["packets"], 3);
    EXPECT_EQ((*summary)["total"]["other_interface"], 5);
    ASSERT_EQ((*summary)["streams"].size(), 1u) << "no stream of the set-aside datagrams";
    const auto& channels = (*summary)["channels"];
    ASSERT_EQ(channels.size(), 2u);
    EXPECT_EQ(channels[0]["packets"], 0) << channels[0];
    EXPECT_EQ(channels[1]["packets"], 3) << channels[1];
    ASSERT_EQ((*summary)["other_interface"].size(), 1u) << *summary;
    const auto& o = (*summary)["other_interface"][0];
    EXPECT_EQ(o["group"], "239.1.1.1");
    EXPECT_EQ(o["interface"]["index"], other_index);
    EXPECT_EQ(o["packets"], 5);
    EXPECT_EQ(o["bytes"], 500);
  }
  // Ingress unknown, or a group and port no channel named an interface for: counted.
  fixture g;
  start_joined(g, true, nlohmann::ordered_json::array({any_source_channel(group, joined_index),
                                                       any_source_channel(group_b, 0)}));  // where the kernel chose
  batch b;
  b.add(sender_a, 0);  // index 0
  b.ingress = other_index;
  b.add(sender_b, 0, group_b);
  b.add(sender_b, 0, core::ip_address::v4(239, 1, 1, 3));  // no channel of it
  g.feed(b);
  EXPECT_EQ(g.session->counted(), 3u);
  EXPECT_EQ(g.session->other_interface_total(), 0u);
}

namespace {

// --pcap for `f` (its settings name the file): a file of this process in
// the temporary directory, removed at the end.
struct capture_file {
  std::string path = (std::filesystem::temp_directory_path() /
                      ("mcnet-session-" + std::to_string(::getpid()) + ".pcap"))
                         .string();
  tl::expected<tools::capture_writer, std::string> writer = tools::capture_writer::open(path, std::nullopt);
  explicit capture_file(fixture& f) { f.settings.pcap = path; }
  capture_file(const capture_file&) = delete;
  capture_file& operator=(const capture_file&) = delete;
  ~capture_file() {
    std::error_code ec;
    std::filesystem::remove(path, ec);
  }
};

// trial t16s M3: the capture's closing line doubles a backslash of its
// file's name, as every line that echoes a file name does: a name holding
// the four characters \x1b and one holding an ESC read apart.
TEST(ReceiveSession, TheCapturesClosingLineDoublesABackslashOfItsName) {
  const auto dir = std::filesystem::temp_directory_path().string();
  const auto name = fmt::format("mcnet-session-{}-p\\x1b.pcap", ::getpid());
  const auto path = dir + "/" + name;
  {
    fixture f;
    auto writer = tools::capture_writer::open(path, std::nullopt);
    ASSERT_TRUE(writer) << writer.error();
    f.settings.pcap = path;
    f.start();
    f.session->capture_to(*writer);
    batch b;
    b.add(sender_a, 0);
    f.feed(b);
    f.session->summary();
    EXPECT_NE(f.out.str().find(fmt::format("written to {}/mcnet-session-{}-p\\\\x1b.pcap\n", dir, ::getpid())),
              std::string::npos)
        << f.out.str();
  }
  std::error_code ec;
  std::filesystem::remove(path, ec);
}

// An IPv6 run that joined [ff3e::1]:5000 on two interfaces, each on a
// socket of its own (socket_planner), as trial20p F1's: socket 0 on r0
// (any-source, or including fd77:1::1 only), socket 1 on r1 (any-source).
struct two_socket_run {
  static constexpr std::uint32_t r0 = 900'011, r1 = 900'012, r2 = 900'013;  // r2: joined by another program
  const core::ip_address g6 = core::ip_address::parse("ff3e::1").value();
  const core::ip_address s1 = core::ip_address::parse("fd77:1::1").value();
  const core::ip_address s2 = core::ip_address::parse("fd77:1::2").value();

  void join(fixture& f, bool json_output, bool include) const {
    nlohmann::ordered_json first = any_source_channel(g6, r0, "r0");
    if (include) {
      first["mode"] = "include";
      first["sources"] = nlohmann::ordered_json::array({s1.to_string()});
    }
    start_joined(f, json_output, nlohmann::ordered_json::array({first, any_source_channel(g6, r1, "r1")}));
    f.table->joined(g6, port, core::kernel_time{}, include ? std::optional(s1) : std::nullopt);  // as open_and_join does
    std::vector<tools::joined_membership> placed;
    placed.push_back({0, {g6, port, r0, include ? tools::filter::include : tools::filter::any,
                          include ? std::optional(s1) : std::nullopt}, true, false, {}, {}});
    placed.push_back({1, {g6, port, r1, tools::filter::any, std::nullopt}, true, false, {}, {}});
    f.session->set_sockets(placed);
  }
};

}  // namespace

// trial20p F1: Linux gives an IPv6 socket its group's datagrams from every
// interface the host joined it on, so a group joined on r0 (socket 0) and
// r1 (socket 1) reached both sockets: each datagram counted twice, the
// copies as duplicates, twice in --show-packets and the pcap. A socket's
// copy counts only when that socket joined the group where it came in: once,
// no duplicate, not other_interface; the datagram of a source r0's include
// join leaves out, which only r1's socket took, is not counted either (IPv4
// would not deliver it); one that came in where the run did not join the
// group (another program did, r2) is set apart once, its END marker apart
// (F8).
TEST(ReceiveSession, AnIpv6GroupOnTwoSocketsCountsEachDatagramOnce) {
  const two_socket_run run;
  for (const bool include : {false, true}) {
    for (const bool json_output : {true, false}) {
      SCOPED_TRACE(std::string(include ? "include on r0" : "any-source") + (json_output ? ", JSON" : ", text"));
      fixture f;
      f.settings.show_packets = true;
      capture_file capture(f);
      ASSERT_TRUE(capture.writer) << capture.writer.error();
      run.join(f, json_output, include);
      f.session->capture_to(*capture.writer);
      batch on_r0;
      on_r0.ingress = two_socket_run::r0;
      for (std::uint64_t i = 0; i < 10; ++i) on_r0.add(run.s1, i, run.g6);
      on_r0.add(run.s1, 10, run.g6, true);  // END
      batch others;  // fd77:1::2 on r0: the include join refuses it, r1's socket takes it
      others.ingress = two_socket_run::r0;
      others.session_id = 2;
      for (std::uint64_t i = 0; i < 4; ++i) others.add(run.s2, i, run.g6);
      batch on_r2;  // where the run did not join it
      on_r2.ingress = two_socket_run::r2;
      on_r2.session_id = 2;
      for (std::uint64_t i = 0; i < 5; ++i) on_r2.add(run.s2, i, run.g6);
      on_r2.add(run.s2, 5, run.g6, true);
      // Each socket reads its copies (socket 0's filter keeps fd77:1::2 out with the include join).
      for (const std::size_t socket : {0u, 1u}) {
        f.session->handle(on_r0.span(), port, f.drops_seen, socket);
        if (!include || socket == 1) {
          f.session->handle(others.span(), port, f.drops_seen, socket);
          f.session->handle(on_r2.span(), port, f.drops_seen, socket);
        }
      }
      const std::uint64_t counted = include ? 10 : 14;
      EXPECT_EQ(f.session->counted(), counted);
      EXPECT_EQ(f.session->other_interface_total(), 5u) << "once, END marker not included";
      f.session->summary();
      const auto out = f.out.str();
      if (!json_output) {
        EXPECT_NE(out.find("from fd77:1::1 id 9 session 1 on index 900011 (gone: no interface has it now): 10 packets"),
                  std::string::npos)
            << out;
        EXPECT_EQ(out.find("duplicates 10"), std::string::npos) << out;
        EXPECT_NE(out.find("\n  [ff3e::1]:5000 on -: 5 datagrams and 1 END marker\n"), std::string::npos) << out;
        EXPECT_NE(out.find("(5 datagrams and 1 END marker in all, not counted"), std::string::npos) << out;
        continue;
      }
      test::tools::expect_schema_conform(out);
      const auto events = f.events();
      std::size_t shown = 0;
      for (const auto& e : events) shown += e["event"] == "packet" ? 1 : 0;
      EXPECT_EQ(shown, counted + 1) << "--show-packets: each datagram and the END once";
      const auto* summary = test::tools::find_event(events, "summary");
      ASSERT_NE(summary, nullptr) << out;
      const auto& total = (*summary)["total"];
      EXPECT_EQ(total["packets"], counted) << total;
      EXPECT_EQ(total["duplicates"], 0) << total;
      EXPECT_EQ(total["other_interface"], 5) << total;
      ASSERT_EQ((*summary)["streams"].size(), include ? 1u : 2u) << (*summary)["streams"];
      const auto& st = (*summary)["streams"][0];
      EXPECT_EQ(st["source"], "fd77:1::1");
      EXPECT_EQ(st["packets"], 10) << st;
      EXPECT_EQ(st["duplicates"], 0) << st;
      const auto& channels = (*summary)["channels"];
      ASSERT_EQ(channels.size(), 2u) << channels;
      EXPECT_EQ(channels[0]["packets"], counted) << channels[0];
      EXPECT_EQ(channels[1]["packets"], 0) << channels[1];
      ASSERT_EQ((*summary)["other_interface"].size(), 1u) << *summary;
      const auto& o = (*summary)["other_interface"][0];
      EXPECT_EQ(o["interface"]["index"], two_socket_run::r2);
      EXPECT_EQ(o["packets"], 5) << o;
      EXPECT_EQ(o["bytes"], 500) << o;
      EXPECT_EQ(o["end_markers"], 1) << o;
      // The pcap holds each datagram the run took once: datagrams = packets + untracked + end_markers.
      EXPECT_EQ(total["pcap"]["datagrams"], counted + 1) << total;
      EXPECT_EQ(total["pcap"]["end_markers"], 1) << total;
    }
  }
}

// copy_owner alone: which socket's copy counts, with a re-created interface,
// an include list split over two sockets of one interface, and a group none
// of the memberships named (counted: only_groups() sees to those).
TEST(CopyOwner, EachDatagramHasOneSocket) {
  using v = tools::copy_owner::verdict;
  const auto g = core::ip_address::parse("ff1e::1").value();
  const auto a = core::ip_address::parse("fd77::a").value();
  const auto b = core::ip_address::parse("fd77::b").value();
  tools::copy_owner o;
  EXPECT_TRUE(o.empty());
  o.add(g, port, 0, 10, tools::filter::include, a);  // the list on interface 10, split over sockets 0 and 1
  o.add(g, port, 1, 10, tools::filter::include, b);
  o.add(g, port, 2, 20, tools::filter::any);
  EXPECT_EQ(o.of(g, port, 10, 0, a), v::count);
  EXPECT_EQ(o.of(g, port, 10, 1, a), v::skip) << "socket 0 takes a";
  EXPECT_EQ(o.of(g, port, 10, 1, b), v::count);
  EXPECT_EQ(o.of(g, port, 10, 2, a), v::skip) << "socket 2 joined on 20: 10's sockets have it";
  EXPECT_EQ(o.of(g, port, 20, 2, a), v::count);
  EXPECT_EQ(o.of(g, port, 20, 0, a), v::skip);
  EXPECT_EQ(o.of(g, port, 30, 0, a), v::elsewhere) << "the first socket whose filter takes a";
  EXPECT_EQ(o.of(g, port, 30, 1, a), v::skip);
  EXPECT_EQ(o.of(g, port, 30, 2, a), v::skip);
  EXPECT_EQ(o.of(g, port, 30, 1, b), v::elsewhere);
  EXPECT_EQ(o.of(g, port, 30, 0, b), v::skip);
  EXPECT_EQ(o.of(g, port + 1, 30, 0, b), v::count) << "not a group and port joined here";
  o.replaced(20, 21);  // interface 20 re-created as 21: joined there again by socket 2
  EXPECT_EQ(o.of(g, port, 21, 2, a), v::count);
  EXPECT_EQ(o.of(g, port, 21, 0, a), v::skip);
  // One socket (set_channels without sockets): as before, every copy of a joined interface counts.
  tools::copy_owner one;
  one.add(g, port, 0, 10, tools::filter::any);
  one.add(g, port, 0, 20, tools::filter::any);
  EXPECT_EQ(one.of(g, port, 10, 0, a), v::count);
  EXPECT_EQ(one.of(g, port, 20, 0, a), v::count);
  EXPECT_EQ(one.of(g, port, 30, 0, a), v::elsewhere);
  // Where the kernel chose (index 0): any ingress is its.
  tools::copy_owner routed;
  routed.add(g, port, 0, 0, tools::filter::any);
  EXPECT_EQ(routed.of(g, port, 30, 0, a), v::count);
}

// trial20o L5: "each datagram arrives through each" only where a stream's
// datagrams came through more than one of the interfaces (one LAN).
TEST(ReceiveSession, AGroupOnTwoInterfacesSaysCopiesOnlyWhereThereWere) {
  for (const bool copies : {false, true}) {
    fixture f;
    start_joined(f, false, nlohmann::ordered_json::array({any_source_channel(group, joined_index, "a0"),
                                                          any_source_channel(group, other_index, "b0")}));
    batch b;
    b.ingress = joined_index;
    for (std::uint64_t i = 0; i < 3; ++i) b.add(sender_a, i);
    b.ingress = other_index;
    for (std::uint64_t i = 0; i < 3; ++i) copies ? b.add(sender_a, i) : b.add(sender_b, i);
    f.feed(b);
    f.session->summary();
    const auto out = f.out.str();
    EXPECT_EQ(out.find("joined on more than one interface (where they share a LAN, each datagram arrives through "
                       "each, and a stream counts the later copies as duplicates), what came through each:") !=
                  std::string::npos,
              copies)
        << out;
    EXPECT_EQ(out.find("joined on more than one interface (each stream came through one of them: no copies), what "
                       "came through each:") != std::string::npos,
              !copies)
        << out;
  }
}

// trial20o L10: an interval of a feed without sequence numbers reads its
// loss unknown, the empty interval too (it read "lost 0").
TEST(ReceiveSession, AnIntervalWithoutNumbersHasItsLossUnknownEvenWithNoDatagram) {
  fixture f;
  f.settings.json_output = true;
  f.settings.interval = 1;
  f.start();
  batch b;
  b.add_raw(sender_a).add_raw(sender_a);
  f.feed(b);
  f.now += 1s;
  (void)f.session->tick();
  f.now += 1s;
  (void)f.session->tick();  // nothing in this one
  test::tools::expect_schema_conform(f.out.str());
  std::size_t intervals = 0;
  for (const auto& e : f.events()) {
    if (e["event"] != "interval") continue;
    ++intervals;
    EXPECT_TRUE(e["total"]["lost"].is_null()) << e;
    EXPECT_TRUE(e["total"]["duplicates"].is_null()) << e;
    EXPECT_TRUE(e["total"]["moldudp64"].is_null()) << e;
  }
  EXPECT_EQ(intervals, 2u) << f.out.str();
  // With numbers, an empty interval's loss is a count (0 here), not unknown.
  fixture g;
  g.settings.json_output = true;
  g.settings.interval = 1;
  g.start();
  batch n;
  n.add(sender_a, 0).add(sender_a, 1);
  g.feed(n);
  g.now += 1s;
  (void)g.session->tick();
  g.now += 1s;
  (void)g.session->tick();
  std::size_t counted = 0;
  for (const auto& e : g.events()) {
    if (e["event"] != "interval") continue;
    ++counted;
    EXPECT_EQ(e["total"]["lost"], 0) << e;
  }
  EXPECT_EQ(counted, 2u);
}

namespace {

// trial20p's evict.py (`tail` false) and evict2.py (true), to 239.1.1.1:5000
// on joined_index, 10 ms apart, in a table of one stream: session 1 sends
// 0..9 and its END; session 2 (Y) sends 0; session 3 (Z) sends 0 (Y, a
// younger single datagram, is evicted to its record), then 1..9; Y sends
// 1..9 while Z fills the table (untracked); Z ends (three ENDs); Y's ENDs
// come, three after Z's (evict.py), or two before and one after (evict2.py).
batch evicted_and_untracked(bool tail) {
  batch b;
  b.ingress = joined_index;
  std::int64_t at = 1'000'000'000;
  const auto send = [&](std::uint32_t session, std::uint64_t seq, bool end = false) {
    b.add_session(sender_a, session, seq, at, end);
    at += 10'000'000;
  };
  for (std::uint64_t q = 0; q < 10; ++q) send(1, q);
  send(1, 10, true);
  send(2, 0);
  send(3, 0);
  for (std::uint64_t q = 1; q < 10; ++q) send(3, q);
  for (std::uint64_t q = 1; q < 10; ++q) send(2, q);
  if (tail) {
    send(2, 10, true);
    send(2, 10, true);
  }
  for (int i = 0; i < 3; ++i) send(3, 10, true);
  for (int i = 0; i < (tail ? 1 : 3); ++i) send(2, 10, true);
  return b;
}

}  // namespace

// trial20p F2: a stream evicted to its record (Y: one datagram) whose
// datagrams came while the table had no room for it (untracked) counted
// their numbers as lost when it resumed (by its END): "lost 9", 90 % and
// --max-loss failing as `loss` where every datagram had come. Those numbers
// are neither received nor lost: its loss is unknown (it decided nothing
// besides its first number: null, - in text), it says how many were
// untracked, and --max-loss fails as loss_unknown (untracked datagrams).
// F4 (evict2.py): its END markers while the table had no room are its own,
// neither untracked nor in the channel's packets, so the pcap holds packets
// + untracked + end_markers.
TEST(ReceiveSession, AnEvictedStreamsUntrackedNumbersAreNotLostWhenItResumes) {
  for (const bool tail : {false, true}) {
    for (const bool json_output : {true, false}) {
      SCOPED_TRACE(std::string(tail ? "evict2.py" : "evict.py") + (json_output ? ", JSON" : ", text"));
      fixture f;
      f.settings.max_streams = 1;
      f.settings.max_loss = 5;
      capture_file capture(f);
      ASSERT_TRUE(capture.writer) << capture.writer.error();
      start_joined(f, json_output, nlohmann::ordered_json::array({any_source_channel(group, joined_index)}));
      f.session->capture_to(*capture.writer);
      f.feed(evicted_and_untracked(tail));
      f.session->summary();
      EXPECT_EQ(f.session->finish(), tools::exit_loss);
      const auto out = f.out.str() + f.err.str();
      EXPECT_EQ(out.find("lost 9"), std::string::npos) << out;
      // evict2.py: Y's last END came within 100 ms of a sweep that found
      // nothing to evict (Z's ENDs came meanwhile): it does not resume.
      if (!json_output && !tail) {
        // Its line: its loss unknown, "-" (trial h20x F5), its untracked datagrams said.
        const auto at = out.find("session 2 on ");
        ASSERT_NE(at, std::string::npos) << out;
        const auto line = out.substr(at, out.find('\n', at) - at);
        EXPECT_NE(line.find(": 1 packet 100 bytes"), std::string::npos) << line;
        EXPECT_NE(line.find("  lost - reordered - duplicates -"), std::string::npos) << line;
        EXPECT_NE(line.find("untracked 9 (while evicted, the table full: in no count of it, their numbers' loss "
                            "unknown, not in lost)"),
                  std::string::npos)
            << line;
      }
      if (!json_output) {
        EXPECT_NE(out.find("--max-loss 5% could not be checked: 9 datagrams of streams past the table's limit"),
                  std::string::npos)
            << out;
        continue;
      }
      test::tools::expect_schema_conform(f.out.str());
      const auto events = f.events();
      const auto* summary = test::tools::find_event(events, "summary");
      ASSERT_NE(summary, nullptr) << out;
      const auto& total = (*summary)["total"];
      EXPECT_EQ(total["untracked"], 9) << total;
      EXPECT_EQ(total["lost"], 0) << total;
      EXPECT_EQ(total["packets"], 21) << total;
      EXPECT_TRUE((*summary)["worst_stream"].is_null()) << (*summary)["worst_stream"];
      const test::tools::json* y = nullptr;
      for (const auto& st : (*summary)["streams"]) {
        if (st["session"] == 2) y = &st;
      }
      if (!tail) {
        ASSERT_NE(y, nullptr) << (*summary)["streams"];
        EXPECT_EQ((*y)["packets"], 1) << *y;
        EXPECT_EQ((*y)["untracked"], 9) << *y;
        EXPECT_TRUE((*y)["lost"].is_null()) << "its loss is unknown: " << *y;
      } else {
        EXPECT_EQ(y, nullptr) << "still evicted";
        EXPECT_EQ(total["resumed"], 0) << total;
      }
      const auto& channels = (*summary)["channels"];
      ASSERT_EQ(channels.size(), 1u) << channels;
      EXPECT_EQ(channels[0]["packets"], 30) << "the 30 data datagrams, no END: " << channels[0];
      EXPECT_EQ(channels[0]["untracked"], 9) << channels[0];
      const auto& pcap = total["pcap"];
      EXPECT_EQ(pcap["end_markers"], 7) << pcap;
      EXPECT_EQ(pcap["datagrams"], 37) << pcap;
      EXPECT_EQ(pcap["datagrams"].get<std::uint64_t>(),
                total["packets"].get<std::uint64_t>() + total["untracked"].get<std::uint64_t>() +
                    pcap["end_markers"].get<std::uint64_t>())
          << "the man page's identity: " << total;
      const auto* error = test::tools::find_event(events, "error");
      ASSERT_NE(error, nullptr) << out;
      EXPECT_EQ((*error)["code"], "loss_unknown") << *error;
    }
  }
}

// F2 with figures left: a stream of 20 (W) evicted idle, its 20..29 (25
// lost on the way) untracked while another stream fills the table, then
// 30..39 (35 lost) tracked again. Its lost is the decided 1 (35), not the
// 10 numbers from 20 to 29 (which came, untracked, but for 25: unknown).
TEST(ReceiveSession, AResumedStreamsLostExcludesItsUntrackedNumbers) {
  fixture f;
  f.settings.json_output = true;
  f.settings.max_streams = 1;
  f.start();
  batch b;
  std::int64_t at = 1'000'000'000;
  for (std::uint64_t q = 0; q < 20; ++q, at += 10'000'000) b.add_session(sender_a, 1, q, at);
  at += 11'000'000'000;  // W idle past stream_table::idle_after: the next stream evicts it
  // V fills the table (two datagrams: no longer a young single one that a new stream evicts) ...
  for (std::uint64_t q = 0; q < 2; ++q, at += 10'000'000) b.add_session(sender_a, 2, q, at);
  for (std::uint64_t q = 0; q < 10; ++q, at += 10'000'000) {
    b.add_session(sender_a, 2, 2 + q, at);
    if (q != 5) b.add_session(sender_a, 1, 20 + q, at);  // ... and W's are untracked (25 lost)
  }
  for (int i = 0; i < 3; ++i, at += 10'000'000) b.add_session(sender_a, 2, 12, at, true);  // V ends
  for (std::uint64_t q = 30; q < 40; ++q, at += 10'000'000) {
    if (q != 35) b.add_session(sender_a, 1, q, at);  // W back: 35 lost
  }
  f.feed(b);
  f.session->summary();
  test::tools::expect_schema_conform(f.out.str());
  const auto events = f.events();
  const auto* summary = test::tools::find_event(events, "summary");
  ASSERT_NE(summary, nullptr) << f.out.str();
  EXPECT_EQ((*summary)["total"]["untracked"], 9) << (*summary)["total"];
  EXPECT_EQ((*summary)["total"]["resumed"], 1) << (*summary)["total"];
  const test::tools::json* w = nullptr;
  for (const auto& st : (*summary)["streams"]) {
    if (st["session"] == 1) w = &st;
  }
  ASSERT_NE(w, nullptr) << (*summary)["streams"];
  EXPECT_EQ((*w)["packets"], 29) << *w;
  EXPECT_EQ((*w)["untracked"], 9) << *w;
  EXPECT_EQ((*w)["lost"], 1) << "35 alone: " << *w;
  EXPECT_EQ((*w)["reordered"], 0) << *w;
}

// Trial t16x M5: the metrics file's last write (with the summary) failed and
// the run ended with exit 0, its warning promising a next report that never
// came. It is exit 4 (metrics_failed), the warning a JSON event too.
TEST(ReceiveSession, AMetricsFileThatCannotBeWrittenAtTheEndIsExit4) {
  const std::string dir = fmt::format("/tmp/mcnet-t16x-m5-{}", ::getpid());
  std::filesystem::create_directories(dir);
  fixture f;
  f.settings.json_output = true;
  f.settings.metrics_file = dir + "/run.prom";
  f.start();
  batch b;
  for (std::uint64_t i = 0; i < 10; ++i) b.add(sender_a, i);
  f.feed(b);
  std::filesystem::remove_all(dir);  // the last write finds no directory
  f.session->summary();
  EXPECT_EQ(f.session->finish(), 4) << f.err.str();
  EXPECT_NE(f.err.str().find("the run's last write"), std::string::npos) << f.err.str();
  EXPECT_EQ(f.err.str().find("written again at the next"), std::string::npos) << f.err.str();
  const auto events = f.events();
  const auto* warning = test::tools::find_event(events, "warning");
  ASSERT_NE(warning, nullptr) << f.out.str();
  EXPECT_EQ((*warning)["code"], "metrics_failed");
  const auto* error = test::tools::find_event(events, "error");
  ASSERT_NE(error, nullptr) << f.out.str();
  EXPECT_EQ((*error)["code"], "metrics_failed");
  test::tools::expect_schema_conform(f.out.str());
}
