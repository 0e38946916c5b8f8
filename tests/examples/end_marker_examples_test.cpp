// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// The receiver examples and mcast-send's END markers (docs/tools.md, "Wire
// header": after its run mcast-send sends one END datagram per group, three
// times, flag bit 0 set, sequence = how many datagrams the run had). An END
// is not a datagram of the stream: examples/multicast_receiver.cpp,
// examples/asio_receiver.cpp and examples/exclude_receiver.cpp say each one
// as an END marker and do not count it (examples/example_numbering.hpp).
// Two runs of mcast-send of 3 datagrams each to a receiver that waits for 6:
// the first run's END markers arrive between the two, so a receiver that
// counted them would end with the first run alone.

#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <vector>

#include "example_run.hpp"
#include "lan.hpp"
#include "privilege.hpp"

namespace test = mcnet::test;
namespace examples = mcnet::test::examples;

namespace {

// Send two runs of 3 datagrams (with their END markers) from `tx` to `spec`.
void send_two_runs(const test::host& tx, const std::string& spec) {
  for (int run = 0; run < 2; ++run) {
    const auto s = tx.exec({MCAST_SEND, "-i", "eth0", "-c", "3", "-r", "1000pps", "-q", spec});
    EXPECT_TRUE(s.status.success()) << s.status.describe() << "\n" << s.output;
  }
}

// param: the receiver example, IPv6
class NetEndMarkerExample : public ::testing::TestWithParam<std::tuple<const char*, bool>> {};

TEST_P(NetEndMarkerExample, SaysEndMarkersAndDoesNotCountThem) {
  MCNET_REQUIRE_NETNS();
  const auto [example, v6] = GetParam();
  auto net = test::network::lan(2);
  const std::string group = v6 ? "ff1e::33:1" : "239.255.33.1";
  const std::string spec = examples::group_spec(group, std::to_string(examples::free_port((*net)[1])));
  const auto r = examples::run_example_while((*net)[1], example, {spec, "eth0", "6", "10000"}, "joined",
                                             [&] { send_two_runs((*net)[0], spec); });
  ASSERT_TRUE(r.status.success()) << r.status.describe() << "\n" << r.output;
  const auto datagrams = examples::lines_with(r.standard_output, "-> " + group);
  EXPECT_EQ(datagrams.size(), 6u) << "both runs' datagrams, and no END among them\n" << r.output;
  const auto ends = examples::lines_with(r.standard_output, "END marker: the sender's run ended after 3 datagrams");
  EXPECT_GE(ends.size(), 3u) << "the first run's three END markers, said as such\n" << r.output;
  EXPECT_EQ(examples::lines_with(r.standard_output, "END marker:").size(), ends.size()) << r.output;
  const std::string summary = std::string(example) == "multicast_receiver"
                                  ? "received 6 of 6 datagrams (3 distinct sequence numbers, "
                                  : "received 6 of 6 datagrams";
  EXPECT_EQ(examples::lines_with(r.standard_output, summary).size(), 1u) << r.output;
  if (std::string(example) == "multicast_receiver") {
    // The sequence numbers are the header's: 0, 1, 2 of each run.
    for (const char* seq : {" seq 0 ", " seq 1 ", " seq 2 "}) {
      EXPECT_EQ(examples::lines_with(r.standard_output, seq).size(), 2u) << seq << "\n" << r.output;
    }
    EXPECT_TRUE(examples::lines_with(r.standard_output, "seq -1").empty()) << r.output;
    EXPECT_EQ(examples::lines_with(r.standard_output, std::to_string(ends.size()) + " END markers)").size(), 1u)
        << r.output;
  }
}

INSTANTIATE_TEST_SUITE_P(Examples, NetEndMarkerExample,
                         ::testing::Combine(::testing::Values("asio_receiver", "multicast_receiver"),
                                            ::testing::Bool()),
                         [](const auto& p) { return examples::example_and_family(p.param); });

// param: IPv6
class NetExcludeEndMarkerExample : public ::testing::TestWithParam<bool> {};

TEST_P(NetExcludeEndMarkerExample, CountsDatagramsPerSenderWithoutTheEndMarkers) {
  MCNET_REQUIRE_NETNS();
  const auto lan = examples::exclude_lan::make(GetParam() ? "ff1e::34:1" : "239.255.34.1", GetParam());
  const auto r = examples::run_example_while(lan.rx(), "exclude_receiver",
                                             {lan.spec, "eth0", "6", "10000", lan.blocked_address}, "joined", [&] {
    const auto s = lan.blocked().exec({MCAST_SEND, "-i", "eth0", "-c", "3", "-r", "1000pps", "-q", lan.spec});
    EXPECT_TRUE(s.status.success()) << s.status.describe() << "\n" << s.output;
    send_two_runs(lan.allowed(), lan.spec);
  });
  ASSERT_TRUE(r.status.success()) << r.status.describe() << "\n" << r.output;
  EXPECT_EQ(examples::lines_with(r.standard_output, "from " + lan.allowed_address + ": 6 datagrams").size(), 1u)
      << r.output;
  const auto ends = examples::lines_with(r.standard_output, "END marker from ");
  EXPECT_GE(ends.size(), 3u) << r.output;
  for (const auto& line : ends) {
    EXPECT_NE(line.find(lan.allowed_address), std::string::npos) << line;
    EXPECT_NE(line.find("its run ended after 3 datagrams (not counted)"), std::string::npos) << line;
  }
  EXPECT_EQ(examples::lines_with(r.standard_output,
                                 "from " + lan.allowed_address + ": " + std::to_string(ends.size()) + " END markers")
                .size(),
            1u)
      << r.output;
  EXPECT_TRUE(examples::lines_with(r.standard_output, lan.blocked_address).empty()) << r.output;
  EXPECT_EQ(examples::lines_with(r.standard_output, "received 6 of 6 datagrams").size(), 1u) << r.output;
}

INSTANTIATE_TEST_SUITE_P(Examples, NetExcludeEndMarkerExample, ::testing::Bool(),
                         [](const auto& p) { return std::string(p.param ? "IPv6" : "IPv4"); });

}  // namespace
