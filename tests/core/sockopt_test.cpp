// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// The option layer without a kernel: codecs accept exactly the lengths the
// kernel returns, access rules hold at compile time, the table is complete
// and every kernel spelling is there once.

#include <gtest/gtest.h>

#include <climits>
#include <cstring>
#include <set>
#include <string>
#include <vector>

#include <mcnet/core/sctp_options.hpp>
#include <mcnet/core/socket_options.hpp>
#include <mcnet/core/tcp_options.hpp>
#include <mcnet/core/udp_options.hpp>

namespace core = mcnet::core;
namespace opt = mcnet::core::opt;
using mcnet::errc;

namespace {

// get on a write-only option and set on a read-only one must not compile.
template <class Opt>
concept gettable = requires(core::socket_ref s, const Opt& o) { core::get(s, o); };
template <class Opt, class V>
concept settable = requires(core::socket_ref s, const Opt& o, const V& v) { core::set(s, o, v); };

static_assert(gettable<decltype(opt::receive_buffer)>);
static_assert(settable<decltype(opt::receive_buffer), int>);
static_assert(!gettable<decltype(opt::receive_buffer_force)>, "SO_RCVBUFFORCE is write-only");
static_assert(!gettable<decltype(opt::send_buffer_force)>, "SO_SNDBUFFORCE is write-only");
static_assert(!gettable<decltype(opt::attach_filter)>, "SO_ATTACH_FILTER is write-only");
static_assert(!gettable<decltype(opt::detach_filter)>, "SO_DETACH_FILTER is write-only");
static_assert(!gettable<decltype(opt::busy_poll_budget)>, "SO_BUSY_POLL_BUDGET has no getsockopt");
static_assert(!settable<decltype(opt::pending_error), std::error_code>, "SO_ERROR is read-only");
static_assert(!settable<decltype(opt::socket_type), int>, "SO_TYPE is read-only");
static_assert(!settable<decltype(opt::socket_domain), int>, "SO_DOMAIN is read-only");
static_assert(!settable<decltype(opt::incoming_napi_id), std::uint32_t>, "SO_INCOMING_NAPI_ID is read-only");
static_assert(!settable<decltype(opt::reuse_address), core::interface_name>, "values are typed");
static_assert(!settable<decltype(opt::peer_credentials), core::peer_credentials>, "SO_PEERCRED is read-only");
static_assert(gettable<decltype(opt::peer_credentials)>);
static_assert(!settable<decltype(opt::tcp_info), core::tcp_connection_info>, "TCP_INFO is read-only");
static_assert(!gettable<decltype(opt::sctp_event)>, "SCTP_EVENT's get needs its type as input: write-only here");
static_assert(settable<decltype(opt::tcp_keep_idle), std::chrono::seconds>);
static_assert(settable<decltype(opt::tcp_keep_idle), std::chrono::minutes>, "coarser durations convert");
static_assert(!settable<decltype(opt::tcp_keep_idle), std::chrono::milliseconds>, "finer ones do not: no silent cut");
static_assert(!settable<decltype(opt::tcp_keep_idle), int>, "a bare number is no duration");

// A user-written descriptor works like the built-in ones.
inline constexpr core::sockopt<core::int_codec> user_defined{SOL_SOCKET, SO_KEEPALIVE, "SO_KEEPALIVE"};
static_assert(gettable<decltype(user_defined)> && settable<decltype(user_defined), int>);

TEST(Codec, IntAcceptsOnlyFourBytes) {
  int storage = 0;
  EXPECT_EQ(core::int_codec::encode(-7, storage).value(), 4u);
  EXPECT_EQ(storage, -7);
  EXPECT_EQ(core::int_codec::decode(storage, 4).value(), -7);
  for (socklen_t bad : {0u, 1u, 2u, 8u}) {
    auto r = core::int_codec::decode(storage, bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, errc::unexpected_option_size);
    EXPECT_EQ(r.error().number(), bad);
  }
}

TEST(Codec, BoolIsAnIntOnTheWire) {
  int storage = 0;
  EXPECT_EQ(core::bool_codec::encode(true, storage).value(), 4u);
  EXPECT_EQ(storage, 1);
  EXPECT_TRUE(core::bool_codec::decode(2, 4).value()) << "any non-zero int is true";
  EXPECT_FALSE(core::bool_codec::decode(0, 4).value());
  EXPECT_FALSE(core::bool_codec::decode(1, 1));
}

TEST(Codec, ByteOrIntAcceptsOneOrFourBytesAndChecksRange) {
  using ttl = core::byte_or_int_codec<0, 255>;
  int storage = 0;
  std::memset(&storage, 0, sizeof storage);
  unsigned char byte = 7;
  std::memcpy(&storage, &byte, 1);
  EXPECT_EQ(ttl::decode(storage, 1).value(), 7);
  storage = 300;
  EXPECT_EQ(ttl::decode(storage, 4).value(), 300) << "decoding reports what the kernel said";
  EXPECT_FALSE(ttl::decode(storage, 2));
  EXPECT_EQ(ttl::encode(255, storage).value(), 4u);
  auto bad = ttl::encode(256, storage);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, errc::value_out_of_range);
  EXPECT_EQ(bad.error().number(), 256);
  EXPECT_FALSE(ttl::encode(-1, storage));
}

TEST(Codec, ErrnoBecomesErrorCode) {
  EXPECT_FALSE(core::errno_codec::decode(0, 4).value());
  EXPECT_EQ(core::errno_codec::decode(ECONNREFUSED, 4).value(), std::errc::connection_refused);
}

TEST(Codec, InterfaceNameStopsAtNulAndChecksLength) {
  core::interface_name_codec::storage_type s{};
  std::memcpy(s.data(), "veth1\0garbage", 13);
  EXPECT_EQ(core::interface_name_codec::decode(s, 13).value().view(), "veth1");
  EXPECT_EQ(core::interface_name_codec::decode(s, 3).value().view(), "vet") << "only the bytes the kernel gave";
  EXPECT_TRUE(core::interface_name_codec::decode(s, 0).value().empty());
  EXPECT_FALSE(core::interface_name_codec::decode(s, 17));
  auto name = core::interface_name::make("eth0").value();
  EXPECT_EQ(core::interface_name_codec::encode(name, s).value(), 4u);
  EXPECT_EQ(core::interface_name_codec::encode(core::interface_name{}, s).value(), 0u) << "empty unbinds";
}

TEST(Codec, TimestampingTakesFlagsOrStruct) {
  core::timestamping_codec::storage_type s{SOF_TIMESTAMPING_SOFTWARE, 0};
  EXPECT_EQ(core::timestamping_codec::decode(s, 4).value(), SOF_TIMESTAMPING_SOFTWARE);
  EXPECT_EQ(core::timestamping_codec::decode(s, 8).value(), SOF_TIMESTAMPING_SOFTWARE);
  EXPECT_FALSE(core::timestamping_codec::decode(s, 6));
}

TEST(Codec, BpfProgramChecksLength) {
  core::bpf_program_codec::storage_type s{};
  sock_filter accept_all{BPF_RET | BPF_K, 0, 0, 0xffffffff};
  EXPECT_EQ(core::bpf_program_codec::encode(std::span<const sock_filter>(&accept_all, 1), s).value(),
            sizeof(sock_fprog));
  EXPECT_EQ(s.len, 1);
  auto empty = core::bpf_program_codec::encode({}, s);
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code, errc::value_out_of_range);
  std::vector<sock_filter> huge(BPF_MAXINSNS + 1, accept_all);
  EXPECT_FALSE(core::bpf_program_codec::encode(huge, s));
}

TEST(Codec, TimevalSplitsMicrosecondsAndRefusesNegative) {
  ::timeval tv{};
  EXPECT_EQ(core::timeval_codec::encode(std::chrono::microseconds(2'500'001), tv).value(), sizeof(::timeval));
  EXPECT_EQ(tv.tv_sec, 2);
  EXPECT_EQ(tv.tv_usec, 500'001);
  EXPECT_EQ(core::timeval_codec::decode(tv, sizeof tv).value(), std::chrono::microseconds(2'500'001));
  EXPECT_FALSE(core::timeval_codec::decode(tv, 8));
  auto negative = core::timeval_codec::encode(std::chrono::microseconds(-1), tv);
  ASSERT_FALSE(negative);
  EXPECT_EQ(negative.error().code, errc::value_out_of_range);
  EXPECT_EQ(negative.error().number(), -1);
  ::timeval garbage{-1, 0};
  EXPECT_FALSE(core::timeval_codec::decode(garbage, sizeof garbage)) << "no negative time from the kernel either";
}

// The kernel rounds a timeout up to its tick, so microseconds::max() reads
// back a little longer (9223372036854 s and 776000 us at HZ 1000), and a raw
// setsockopt may set far more: both read as microseconds::max().
TEST(Codec, TimevalPastMicrosecondsReadsAsTheLongest) {
  const ::timeval rounded{9'223'372'036'854, 776'000};
  EXPECT_EQ(core::timeval_codec::decode(rounded, sizeof rounded).value(), std::chrono::microseconds::max());
  const ::timeval huge{LONG_MAX / 1000, 0};
  EXPECT_EQ(core::timeval_codec::decode(huge, sizeof huge).value(), std::chrono::microseconds::max());
  const ::timeval longest{9'223'372'036'854, 775'807};
  EXPECT_EQ(core::timeval_codec::decode(longest, sizeof longest).value(), std::chrono::microseconds::max());
  const ::timeval bad_micros{1, 1'000'000};
  EXPECT_FALSE(core::timeval_codec::decode(bad_micros, sizeof bad_micros));
}

TEST(Codec, LingerIsOnOffAndWholeSeconds) {
  ::linger l{};
  EXPECT_EQ(core::linger_codec::encode({true, std::chrono::seconds(7)}, l).value(), sizeof(::linger));
  EXPECT_EQ(l.l_onoff, 1);
  EXPECT_EQ(l.l_linger, 7);
  EXPECT_EQ(core::linger_codec::decode(l, sizeof l).value(), (core::linger{true, std::chrono::seconds(7)}));
  EXPECT_FALSE(core::linger_codec::encode({true, std::chrono::seconds(-1)}, l));
  EXPECT_FALSE(core::linger_codec::encode({true, std::chrono::seconds(std::int64_t{INT_MAX} + 1)}, l));
  EXPECT_FALSE(core::linger_codec::decode(l, 4));
}

TEST(Codec, DurationChecksItsRangeInItsUnit) {
  using idle = core::duration_codec<std::chrono::seconds, 1, 32767>;
  int storage = 0;
  EXPECT_EQ(idle::encode(std::chrono::seconds(32767), storage).value(), 4u);
  EXPECT_EQ(storage, 32767);
  EXPECT_EQ(idle::encode(std::chrono::minutes(2), storage).value(), 4u);
  EXPECT_EQ(storage, 120);
  for (auto bad : {std::chrono::seconds(0), std::chrono::seconds(32768), std::chrono::seconds(-5)}) {
    auto r = idle::encode(bad, storage);
    ASSERT_FALSE(r) << bad.count();
    EXPECT_EQ(r.error().code, errc::value_out_of_range);
    EXPECT_EQ(r.error().number(), bad.count());
  }
  EXPECT_EQ(idle::decode(7200, 4).value(), std::chrono::hours(2));
  EXPECT_FALSE(idle::decode(7200, 2));
}

TEST(Codec, RangedOrZeroTakesZeroOrTheRange) {
  using mss = core::ranged_int_or_zero_codec<88, 32767>;
  int storage = 0;
  EXPECT_TRUE(mss::encode(0, storage));
  EXPECT_TRUE(mss::encode(88, storage));
  EXPECT_TRUE(mss::encode(32767, storage));
  EXPECT_FALSE(mss::encode(87, storage));
  EXPECT_FALSE(mss::encode(-1, storage));
  EXPECT_FALSE(mss::encode(32768, storage));
}

TEST(Codec, CongestionControlNameIsShortAndInline) {
  auto cubic = core::congestion_control_name::make("cubic");
  ASSERT_TRUE(cubic);
  EXPECT_EQ(cubic->view(), "cubic");
  EXPECT_STREQ(cubic->c_str(), "cubic");
  EXPECT_TRUE(core::congestion_control_name::make("123456789012345"));
  for (std::string_view bad : {std::string_view("1234567890123456"), std::string_view(""), std::string_view("a\0b", 3)}) {
    auto r = core::congestion_control_name::make(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, errc::value_out_of_range);
  }
  core::congestion_control_codec::storage_type s{};
  EXPECT_EQ(core::congestion_control_codec::encode(*cubic, s).value(), 5u);
  EXPECT_EQ(core::congestion_control_codec::decode(s, 16).value(), *cubic) << "NUL-padded, as the kernel answers";
  EXPECT_FALSE(core::congestion_control_codec::decode(s, 17));
  static_assert(sizeof(core::congestion_control_name) <= 24, "held inline");
}

TEST(Codec, TcpInfoFromAShortAnswerLeavesNewerFieldsAbsent) {
  core::tcp_info_bytes raw{};
  raw.bytes[0] = std::byte{1};  // tcpi_state: ESTABLISHED
  raw.bytes[1] = std::byte{3};  // tcpi_ca_state: recovery
  raw.bytes[5] = std::byte{2 | 4};  // tcpi_options: SACK, window scaling
  const std::uint32_t rtt = 1234;
  std::memcpy(raw.bytes.data() + 68, &rtt, 4);  // tcpi_rtt
  const std::uint64_t acked = 5001;
  std::memcpy(raw.bytes.data() + 120, &acked, 8);  // tcpi_bytes_acked (Linux 4.1)
  std::memset(raw.bytes.data() + 104, 0xff, 16);  // tcpi_pacing_rate, tcpi_max_pacing_rate (3.15)

  core::tcp_connection_info info;
  info.bytes_acked = 99;  // a stale value: the decoder starts afresh
  ASSERT_TRUE(core::detail::decode_tcp_info(raw, 104, info)) << "a 2.6-era answer";
  EXPECT_EQ(info.kernel_length, 104u);
  EXPECT_EQ(info.state, core::tcp_state::established);
  EXPECT_EQ(info.ca_state, core::tcp_ca_state::recovery);
  EXPECT_TRUE(info.options.sack);
  EXPECT_TRUE(info.options.window_scaling);
  EXPECT_FALSE(info.options.timestamps);
  EXPECT_EQ(info.rtt, std::chrono::microseconds(1234));
  EXPECT_FALSE(info.pacing_rate) << "beyond the answer: absent, not the bytes after it";
  EXPECT_FALSE(info.bytes_acked);
  EXPECT_FALSE(info.delivery_rate);
  EXPECT_FALSE(info.delivery_rate_app_limited);

  ASSERT_TRUE(core::detail::decode_tcp_info(raw, 128, info)) << "a 4.1-era answer";
  EXPECT_EQ(info.pacing_rate, std::uint64_t(-1));
  EXPECT_EQ(info.bytes_acked, 5001u);
  EXPECT_FALSE(info.bytes_received) << "ends at 136";
  EXPECT_FALSE(info.segments_out);

  auto too_short = core::detail::decode_tcp_info(raw, 100, info);
  ASSERT_FALSE(too_short);
  EXPECT_EQ(too_short.error().code, errc::unexpected_option_size);
  EXPECT_EQ(too_short.error().number(), 100);
}

TEST(Codec, SctpStructsRoundTripAndCheckRanges) {
  ::sctp_initmsg init{};
  const core::sctp_init_parameters p{10, 12, 4, std::chrono::milliseconds(30000)};
  EXPECT_EQ(core::sctp_init_parameters_codec::encode(p, init).value(), sizeof init);
  EXPECT_EQ(core::sctp_init_parameters_codec::decode(init, sizeof init).value(), p);
  EXPECT_FALSE(core::sctp_init_parameters_codec::encode({1, 1, 1, std::chrono::milliseconds(65536)}, init));

  ::sctp_rtoinfo rto{};
  const core::sctp_rto r{std::chrono::seconds(3), std::chrono::seconds(60), std::chrono::milliseconds(500)};
  EXPECT_EQ(core::sctp_rto_codec::encode(r, rto).value(), sizeof rto);
  EXPECT_EQ(rto.srto_assoc_id, SCTP_FUTURE_ASSOC);
  EXPECT_EQ(core::sctp_rto_codec::decode(rto, sizeof rto).value(), r);
  EXPECT_FALSE(core::sctp_rto_codec::encode({std::chrono::milliseconds(-1), {}, {}}, rto));

  ::sctp_sndinfo snd{};
  const core::sctp_send_info si{3, SCTP_UNORDERED, 0x01020304, 77};
  EXPECT_EQ(core::sctp_send_info_codec::encode(si, snd).value(), sizeof snd);
  EXPECT_EQ(core::sctp_send_info_codec::decode(snd, sizeof snd).value(), si);

  ::sctp_event_subscribe ev{};
  core::sctp_event_mask m;
  m.association = true;
  m.shutdown = true;
  m.send_failed_event = true;
  EXPECT_EQ(core::sctp_event_mask_codec::encode(m, ev).value(), sizeof ev);
  EXPECT_EQ(core::sctp_event_mask_codec::decode(ev, sizeof ev).value(), m);
  auto older = core::sctp_event_mask_codec::decode(ev, 9).value();
  EXPECT_TRUE(older.association) << "a shorter answer keeps what it holds";
  EXPECT_FALSE(core::sctp_event_mask_codec::decode(ev, 0));
  EXPECT_FALSE(core::sctp_event_mask_codec::decode(ev, sizeof ev + 1));

  ::sctp_event one{};
  EXPECT_EQ(core::sctp_event_switch_codec::encode({SCTP_SHUTDOWN_EVENT, true}, one).value(), sizeof one);
  EXPECT_EQ(one.se_type, SCTP_SHUTDOWN_EVENT);
  EXPECT_FALSE(core::sctp_event_switch_codec::encode({1, true}, one)) << "not a notification type";

  ::sctp_assoc_value av{};
  EXPECT_EQ(core::sctp_assoc_value_codec::encode(1200, av).value(), sizeof av);
  EXPECT_EQ(core::sctp_assoc_value_codec::decode(av, sizeof av).value(), 1200u);
}

TEST(InterfaceName, Limits) {
  EXPECT_TRUE(core::interface_name::make("123456789012345"));
  auto long_name = core::interface_name::make("1234567890123456");
  ASSERT_FALSE(long_name);
  EXPECT_EQ(long_name.error().code, errc::value_out_of_range);
  EXPECT_EQ(long_name.error().input(), "1234567890123456");
  EXPECT_FALSE(core::interface_name::make("a/b"));
  EXPECT_FALSE(core::interface_name::make("a b"));
  EXPECT_FALSE(core::interface_name::make("eth0:1"));
  EXPECT_FALSE(core::interface_name::make(std::string_view("a\0b", 3)));
  EXPECT_EQ(core::interface_name::make("veth1").value().view(), "veth1");
  EXPECT_STREQ(core::interface_name::make("veth1").value().c_str(), "veth1");
}

template <class Table>
std::vector<const core::option_info*> entries_of(const Table& table) {
  return std::apply([](const auto&... o) { return std::vector<const core::option_info*>{&o...}; }, table);
}
std::vector<const core::option_info*> table_entries() { return entries_of(opt::sol_socket_table); }

TEST(OptionTable, EverySpellingOnceAndRecorded) {
  std::set<std::string_view> spellings;
  std::set<int> names;
  const auto entries = table_entries();
  for (const auto* o : entries) {
    EXPECT_TRUE(spellings.insert(o->spelling).second) << o->spelling;
    EXPECT_TRUE(names.insert(o->name).second) << o->spelling;
    EXPECT_EQ(o->level, SOL_SOCKET) << o->spelling;
    EXPECT_TRUE(o->spelling.starts_with("SO_")) << o->spelling;
  }
  EXPECT_EQ(entries.size(), 35u);
  for (const char* required :
       {"SO_REUSEADDR", "SO_REUSEPORT", "SO_RCVBUF", "SO_SNDBUF", "SO_RCVBUFFORCE", "SO_SNDBUFFORCE", "SO_BINDTODEVICE",
        "SO_BROADCAST", "SO_PRIORITY", "SO_MARK", "SO_TIMESTAMPNS", "SO_TIMESTAMPING", "SO_RXQ_OVFL", "SO_BUSY_POLL",
        "SO_PREFER_BUSY_POLL", "SO_BUSY_POLL_BUDGET", "SO_INCOMING_NAPI_ID", "SO_INCOMING_CPU", "SO_ERROR", "SO_TYPE", "SO_MEMINFO",
        "SO_DOMAIN", "SO_ATTACH_FILTER", "SO_DETACH_FILTER", "SO_KEEPALIVE", "SO_LINGER", "SO_RCVTIMEO", "SO_SNDTIMEO",
        "SO_OOBINLINE", "SO_DONTROUTE", "SO_RCVLOWAT", "SO_PEERCRED", "SO_PASSCRED", "SO_ZEROCOPY"}) {
    EXPECT_TRUE(spellings.contains(required)) << required;
  }
}

// One level per table, every spelling and number once, each spelling with
// its level's prefix; `count` entries, all of `required` among them.
template <class Table>
void expect_table(const Table& table, int level, std::string_view prefix, std::size_t count,
                  std::initializer_list<std::string_view> required) {
  std::set<std::string_view> spellings;
  std::set<int> names;
  const auto entries = entries_of(table);
  for (const auto* o : entries) {
    EXPECT_TRUE(spellings.insert(o->spelling).second) << o->spelling;
    EXPECT_TRUE(names.insert(o->name).second) << o->spelling;
    EXPECT_EQ(o->level, level) << o->spelling;
    EXPECT_TRUE(o->spelling.starts_with(prefix)) << o->spelling;
  }
  EXPECT_EQ(entries.size(), count);
  for (auto r : required) EXPECT_TRUE(spellings.contains(r)) << r;
}

TEST(OptionTable, TcpTableEverySpellingOnce) {
  expect_table(opt::tcp_table, IPPROTO_TCP, "TCP_", 17,
               {"TCP_NODELAY", "TCP_CORK", "TCP_QUICKACK", "TCP_KEEPIDLE", "TCP_KEEPINTVL", "TCP_KEEPCNT",
                "TCP_USER_TIMEOUT", "TCP_FASTOPEN", "TCP_FASTOPEN_CONNECT", "TCP_DEFER_ACCEPT", "TCP_MAXSEG",
                "TCP_WINDOW_CLAMP", "TCP_SYNCNT", "TCP_LINGER2", "TCP_NOTSENT_LOWAT", "TCP_CONGESTION", "TCP_INFO"});
}

TEST(OptionTable, SctpTableEverySpellingOnce) {
  expect_table(opt::sctp_table, IPPROTO_SCTP, "SCTP_", 9,
               {"SCTP_NODELAY", "SCTP_INITMSG", "SCTP_RTOINFO", "SCTP_MAXSEG", "SCTP_AUTOCLOSE",
                "SCTP_DISABLE_FRAGMENTS", "SCTP_DEFAULT_SNDINFO", "SCTP_EVENTS", "SCTP_EVENT"});
}

TEST(OptionTable, UdpTableEverySpellingOnce) {
  expect_table(opt::udp_table, SOL_UDP, "UDP_", 2, {"UDP_SEGMENT", "UDP_GRO"});
}

TEST(OptionTable, AccessAndReadBackAgree) {
  auto all = table_entries();
  for (const auto* o : entries_of(opt::udp_table)) all.push_back(o);
  for (const auto* o : entries_of(opt::tcp_table)) all.push_back(o);
  for (const auto* o : entries_of(opt::sctp_table)) all.push_back(o);
  for (const auto* o : all) {
    EXPECT_EQ(o->mode == core::access::write_only, o->expect == core::read_back::not_readable) << o->spelling;
    EXPECT_EQ(o->mode == core::access::read_only, o->expect == core::read_back::not_writable) << o->spelling;
  }
  EXPECT_EQ(opt::receive_buffer.expect, core::read_back::doubled);
  EXPECT_EQ(opt::send_buffer.expect, core::read_back::doubled);
  EXPECT_TRUE(core::has(opt::mark.requirements, core::needs::privilege));
  EXPECT_TRUE(core::has(opt::bind_to_device.requirements, core::needs::interface));
  EXPECT_EQ(opt::tcp_defer_accept.expect, core::read_back::rounded);
  EXPECT_TRUE(core::has(opt::peer_credentials.requirements, core::needs::connected));
}

}  // namespace
