// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// The option layer without a kernel: codecs accept exactly the lengths the
// kernel returns, access rules hold at compile time, the table is complete
// and every kernel spelling is there once.

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include <mcnet/core/socket_options.hpp>

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

std::vector<const core::option_info*> table_entries() {
  return std::apply([](const auto&... o) { return std::vector<const core::option_info*>{&o...}; },
                    opt::sol_socket_table);
}

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
  EXPECT_EQ(entries.size(), 25u);
  for (const char* required :
       {"SO_REUSEADDR", "SO_REUSEPORT", "SO_RCVBUF", "SO_SNDBUF", "SO_RCVBUFFORCE", "SO_SNDBUFFORCE", "SO_BINDTODEVICE",
        "SO_BROADCAST", "SO_PRIORITY", "SO_MARK", "SO_TIMESTAMPNS", "SO_TIMESTAMPING", "SO_RXQ_OVFL", "SO_BUSY_POLL",
        "SO_PREFER_BUSY_POLL", "SO_BUSY_POLL_BUDGET", "SO_INCOMING_NAPI_ID", "SO_INCOMING_CPU", "SO_ERROR", "SO_TYPE", "SO_MEMINFO",
        "SO_DOMAIN", "SO_ATTACH_FILTER", "SO_DETACH_FILTER"}) {
    EXPECT_TRUE(spellings.contains(required)) << required;
  }
}

TEST(OptionTable, AccessAndReadBackAgree) {
  for (const auto* o : table_entries()) {
    EXPECT_EQ(o->mode == core::access::write_only, o->expect == core::read_back::not_readable) << o->spelling;
    EXPECT_EQ(o->mode == core::access::read_only, o->expect == core::read_back::not_writable) << o->spelling;
  }
  EXPECT_EQ(opt::receive_buffer.expect, core::read_back::doubled);
  EXPECT_EQ(opt::send_buffer.expect, core::read_back::doubled);
  EXPECT_TRUE(core::has(opt::mark.requirements, core::needs::privilege));
  EXPECT_TRUE(core::has(opt::bind_to_device.requirements, core::needs::interface));
}

}  // namespace
