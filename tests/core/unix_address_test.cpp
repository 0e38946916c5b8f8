// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// unix_address: the three kinds, their exact sockaddr_un lengths, the
// limits of sun_path (107 bytes, never cut), the text form and its escapes,
// comparison, and no allocation in the conversions.

#include <gtest/gtest.h>

#include <sys/un.h>

#include <cerrno>
#include <cstddef>
#include <cstring>
#include <random>
#include <sstream>
#include <string>

#include <mcnet/core/unix_address.hpp>

#include "alloc_counter.hpp"

namespace core = mcnet::core;
using core::unix_address;
using mcnet::errc;

namespace {

constexpr socklen_t path_offset = offsetof(sockaddr_un, sun_path);

// The address read back from its own sockaddr.
unix_address round_trip(const unix_address& a, socklen_t* length_out = nullptr) {
  sockaddr_storage ss;
  const socklen_t length = a.to_sockaddr(ss);
  if (length_out != nullptr) *length_out = length;
  auto back = unix_address::from_sockaddr(reinterpret_cast<const sockaddr*>(&ss), length);
  EXPECT_TRUE(back) << back.error().message();
  return back ? *back : unix_address();
}

TEST(UnixAddress, PathOf107BytesFitsAnd108IsRefusedNotCut) {
  const std::string longest(107, 'p');
  auto a = unix_address::path(longest);
  ASSERT_TRUE(a) << a.error().message();
  EXPECT_TRUE(a->is_path());
  EXPECT_EQ(a->name(), longest);
  sockaddr_un un;
  EXPECT_EQ(a->to_sockaddr(un), path_offset + 107 + 1);  // the path and its NUL: all of sun_path
  EXPECT_EQ(un.sun_family, AF_UNIX);
  EXPECT_EQ(un.sun_path[107], '\0');
  socklen_t length = 0;
  EXPECT_EQ(round_trip(*a, &length), *a);
  EXPECT_EQ(length, sizeof(sockaddr_un));

  auto too_long = unix_address::path(std::string(108, 'p'));
  ASSERT_FALSE(too_long);
  EXPECT_EQ(too_long.error().code, std::errc::filename_too_long);
  EXPECT_EQ(too_long.error().number(), 108);
  EXPECT_NE(too_long.error().message().find("107"), std::string::npos) << too_long.error().message();
}

TEST(UnixAddress, PathRefusesEmptyAndNul) {
  // EINVAL itself: errc::invalid_address would say "not an IP address".
  EXPECT_EQ(unix_address::path("").error().code, std::error_code(EINVAL, std::system_category()));
  EXPECT_EQ(unix_address::path(std::string_view("a\0b", 3)).error().code, std::errc::invalid_argument);
}

// An error shows a refused name in the text form (\xHH), never its raw
// bytes: a NUL, a newline or an ESC would garble the message.
TEST(UnixAddress, ErrorsShowTheNameEscaped) {
  auto nul = unix_address::path(std::string_view("a\0b\n\x1b", 5));
  ASSERT_FALSE(nul);
  EXPECT_EQ(nul.error().input(), "a\\x00b\\x0a\\x1b");
  EXPECT_NE(nul.error().message().find("a\\x00b\\x0a\\x1b"), std::string::npos) << nul.error().message();

  std::string long_path(108, 'p');
  long_path[1] = '\n';
  auto path = unix_address::path(long_path);
  ASSERT_FALSE(path);
  EXPECT_EQ(path.error().input().substr(0, 6), "p\\x0ap");
  EXPECT_TRUE(path.error().input_truncated());
  EXPECT_EQ(path.error().number(), 108);

  std::string long_name(108, '\0');
  long_name[0] = '\x1b';
  auto name = unix_address::abstract(long_name);
  ASSERT_FALSE(name);
  EXPECT_EQ(name.error().input().substr(0, 9), "@\\x1b\\x00");
  EXPECT_TRUE(name.error().input_truncated());
  for (char c : name.error().message()) EXPECT_GE(static_cast<unsigned char>(c), 0x20) << "no control byte";
}

TEST(UnixAddress, AbstractNameKeepsEmbeddedBytesAndExactLength) {
  const std::string_view name("a\0b\xff", 4);
  auto a = unix_address::abstract(name);
  ASSERT_TRUE(a);
  EXPECT_TRUE(a->is_abstract());
  EXPECT_EQ(a->name(), name);
  sockaddr_un un;
  const socklen_t length = a->to_sockaddr(un);
  EXPECT_EQ(length, path_offset + 1 + 4);  // leading NUL and the name, no terminator
  EXPECT_EQ(un.sun_path[0], '\0');
  EXPECT_EQ(std::memcmp(un.sun_path + 1, name.data(), name.size()), 0);
  EXPECT_EQ(round_trip(*a), *a);

  // "x" and "x\0" are two names: the length tells them apart.
  auto x = unix_address::abstract("x").value();
  auto x_nul = unix_address::abstract(std::string_view("x\0", 2)).value();
  EXPECT_NE(x, x_nul);
  EXPECT_LT(x, x_nul);
  EXPECT_EQ(round_trip(x_nul).name().size(), 2u);

  // The empty abstract name is a name (sun_path is just the NUL).
  auto empty = unix_address::abstract("").value();
  EXPECT_EQ(empty.to_sockaddr(un), path_offset + 1);
  EXPECT_TRUE(round_trip(empty).is_abstract());
}

TEST(UnixAddress, AbstractLimitIs107Bytes) {
  auto longest = unix_address::abstract(std::string(107, '\0'));
  ASSERT_TRUE(longest);
  sockaddr_un un;
  EXPECT_EQ(longest->to_sockaddr(un), sizeof(sockaddr_un));
  EXPECT_EQ(round_trip(*longest), *longest);
  auto too_long = unix_address::abstract(std::string(108, 'a'));
  ASSERT_FALSE(too_long);
  EXPECT_EQ(too_long.error().code, std::errc::filename_too_long);
  EXPECT_EQ(too_long.error().number(), 108);
}

TEST(UnixAddress, UnnamedIsTheFamilyAlone) {
  const unix_address none;
  EXPECT_TRUE(none.is_unnamed());
  EXPECT_EQ(none.name(), "");
  sockaddr_storage ss;
  EXPECT_EQ(none.to_sockaddr(ss), sizeof(sa_family_t));
  EXPECT_EQ(ss.ss_family, AF_UNIX);
  EXPECT_EQ(round_trip(none), none);
  EXPECT_EQ(none.to_string(), "*");
}

TEST(UnixAddress, FromSockaddrChecksFamilyAndLength) {
  sockaddr_storage ss{};
  ss.ss_family = AF_INET;
  auto wrong = unix_address::from_sockaddr(reinterpret_cast<const sockaddr*>(&ss), sizeof(sockaddr_un));
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, errc::family_mismatch);
  ss.ss_family = AF_UNIX;
  EXPECT_EQ(unix_address::from_sockaddr(reinterpret_cast<const sockaddr*>(&ss), 1).error().code,
            std::errc::invalid_argument);
  EXPECT_EQ(unix_address::from_sockaddr(reinterpret_cast<const sockaddr*>(&ss), sizeof(sockaddr_un) + 1).error().code,
            std::errc::invalid_argument);
  // A path without its NUL (the kernel accepts that form) ends at the length.
  auto* un = reinterpret_cast<sockaddr_un*>(&ss);
  std::memcpy(un->sun_path, "/run/x", 6);
  auto p = unix_address::from_sockaddr(reinterpret_cast<const sockaddr*>(&ss), path_offset + 6);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->name(), "/run/x");
  // 108 path bytes and no NUL: legal for the kernel, refused here rather than cut.
  std::memset(un->sun_path, 'q', sizeof un->sun_path);
  auto full = unix_address::from_sockaddr(reinterpret_cast<const sockaddr*>(&ss), sizeof(sockaddr_un));
  ASSERT_FALSE(full);
  EXPECT_EQ(full.error().code, std::errc::filename_too_long);
}

TEST(UnixAddress, TextIsWhatSsPrintsWithEscapes) {
  EXPECT_EQ(unix_address::abstract("mcnet").value().to_string(), "@mcnet");
  EXPECT_EQ(unix_address::path("/run/mcnet.sock").value().to_string(), "/run/mcnet.sock");
  EXPECT_EQ(unix_address::abstract(std::string_view("a\0b\\", 4)).value().to_string(), "@a\\x00b\\\\");
  // A path that would read back as another kind has its first byte escaped.
  EXPECT_EQ(unix_address::path("@x").value().to_string(), "\\x40x");
  EXPECT_EQ(unix_address::path("*").value().to_string(), "\\x2a");
  EXPECT_EQ(unix_address::path("**").value().to_string(), "**");
  std::ostringstream os;
  os << unix_address::abstract("s").value();
  EXPECT_EQ(os.str(), "@s");

  EXPECT_EQ(unix_address::parse("@mcnet").value(), unix_address::abstract("mcnet").value());
  EXPECT_EQ(unix_address::parse("@").value(), unix_address::abstract("").value());
  EXPECT_EQ(unix_address::parse("*").value(), unix_address());
  EXPECT_EQ(unix_address::parse("rel/x").value(), unix_address::path("rel/x").value());
  EXPECT_EQ(unix_address::parse("\\x40x").value(), unix_address::path("@x").value());
  EXPECT_EQ(unix_address::parse("@\\x00\\xFF").value(), unix_address::abstract(std::string_view("\0\xff", 2)).value());
  for (const char* bad : {"", "a\\", "a\\x4", "a\\xg0", "a\\n", "p\\x00"}) {
    auto r = unix_address::parse(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, std::errc::invalid_argument) << bad;
    EXPECT_EQ(r.error().input(), bad);
  }
  // Limits count the bytes, not the text: 107 escaped bytes parse, 108 do not.
  std::string escaped = "@";
  for (int i = 0; i < 107; ++i) escaped += "\\x01";
  EXPECT_TRUE(unix_address::parse(escaped));
  auto over = unix_address::parse(escaped + "z");
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().code, std::errc::filename_too_long);
  EXPECT_EQ(over.error().number(), 108);
  EXPECT_EQ(unix_address::parse(std::string(108, 'p')).error().code, std::errc::filename_too_long);
}

TEST(UnixAddress, RandomAddressesRoundTripThroughTextAndSockaddr) {
  std::mt19937 rng(19);
  for (int i = 0; i < 2000; ++i) {
    const std::size_t n = 1 + rng() % unix_address::max_path_length;
    std::string bytes(n, '\0');
    for (auto& c : bytes) c = static_cast<char>(rng() % 256);
    const bool abstract_name = (i % 2) == 0;
    if (!abstract_name) {
      for (auto& c : bytes) {
        if (c == '\0') c = 'z';
      }
    }
    auto a = abstract_name ? unix_address::abstract(bytes) : unix_address::path(bytes);
    ASSERT_TRUE(a) << i;
    EXPECT_EQ(round_trip(*a), *a) << i;
    auto text = a->to_string();
    EXPECT_LE(text.size(), unix_address::max_text_length);
    auto back = unix_address::parse(text);
    ASSERT_TRUE(back) << text << ": " << back.error().message();
    EXPECT_EQ(*back, *a) << text;
  }
}

TEST(UnixAddress, OrdersByKindThenBytes) {
  const unix_address none;
  const auto p = unix_address::path("/a").value();
  const auto q = unix_address::path("/b").value();
  const auto abs = unix_address::abstract("/a").value();
  EXPECT_LT(none, p);
  EXPECT_LT(p, q);
  EXPECT_LT(q, abs);
  EXPECT_NE(p, abs);  // same bytes, other kind
  EXPECT_EQ(p, unix_address::path("/a").value());
}

TEST(UnixAddress, ConversionsAllocateNothing) {
  const auto a = unix_address::abstract("mcnet-no-alloc").value();
  std::array<char, unix_address::max_text_length> text;
  sockaddr_storage ss;
  mcnet::test::allocation_scope scope;
  const socklen_t length = a.to_sockaddr(ss);
  auto back = unix_address::from_sockaddr(reinterpret_cast<const sockaddr*>(&ss), length);
  const std::size_t n = a.to_chars(text);
  auto parsed = unix_address::parse(std::string_view(text.data(), n));
  auto path = unix_address::path("/run/mcnet/x.sock");
  EXPECT_EQ(scope.count(), 0u);
  EXPECT_TRUE(back && parsed && path);
  EXPECT_EQ(*parsed, a);
}

}  // namespace
