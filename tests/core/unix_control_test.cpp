// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// The Unix-socket control messages on hand-built buffers: SCM_RIGHTS and
// SCM_CREDENTIALS written by cmsg_writer and read back, descriptors taken
// or closed (never left open) whatever the buffer holds, and random bytes
// through the SCM_RIGHTS decoder.

#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cstring>
#include <random>
#include <vector>

#include <mcnet/core/control.hpp>

#include "../fuzz/cmsg_walk.hpp"

namespace core = mcnet::core;
using mcnet::errc;

namespace {

bool is_open(int fd) { return ::fcntl(fd, F_GETFD) != -1; }

// `n` fresh descriptors (duplicates of /dev/null's).
std::vector<int> fresh_descriptors(std::size_t n) {
  std::vector<int> fds;
  const int null = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  EXPECT_GE(null, 0);
  for (std::size_t i = 0; i < n; ++i) fds.push_back(::fcntl(null, F_DUPFD_CLOEXEC, 0));
  ::close(null);
  return fds;
}

TEST(UnixControl, WriterAndDecoderAgree) {
  core::control_buffer buffer;  // plenty for three descriptors and credentials
  core::cmsg_writer w(buffer.span());
  const int fds[] = {7, 8, 9};
  ASSERT_TRUE(w.append_rights(fds));
  const core::unix_credentials creds{1234, 1000, 100};
  ASSERT_TRUE(w.append_credentials(creds));
  EXPECT_EQ(w.size(), CMSG_SPACE(3 * sizeof(int)) + CMSG_SPACE(sizeof(ucred)));
  std::array<int, 2> numbers{};
  auto d = core::decode_unix_control(w.written(), numbers);
  ASSERT_TRUE(d) << d.error().message();
  EXPECT_EQ(d->fds, 3u);  // all counted, two stored
  EXPECT_EQ(numbers[0], 7);
  EXPECT_EQ(numbers[1], 8);
  ASSERT_TRUE(d->credentials);
  EXPECT_EQ(*d->credentials, creds);
}

TEST(UnixControl, WriterRefusesWhatSendmsgWould) {
  std::array<std::byte, core::max_unix_control_size> big;
  core::cmsg_writer w(big);
  EXPECT_EQ(w.append_rights({}).error().code, errc::value_out_of_range);
  std::vector<int> many(core::max_fds_per_message + 1, 0);
  auto r = w.append_rights(many);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().number(), 254);
  EXPECT_EQ(w.size(), 0u);
  many.pop_back();
  EXPECT_TRUE(w.append_rights(many));  // 253 fit in max_unix_control_size, with credentials and a pidfd
  EXPECT_TRUE(w.append_credentials(core::unix_credentials::of_this_process()));
  const int pidfd = 0;
  EXPECT_TRUE(w.append(SOL_SOCKET, 0x04 /* SCM_PIDFD */, pidfd));
  EXPECT_EQ(w.size(), core::max_unix_control_size);
  std::array<std::byte, CMSG_SPACE(sizeof(int))> small;
  core::cmsg_writer tiny(small);
  const int three[] = {1, 2, 3};  // CMSG_SPACE rounds 4 bytes up to 8: two would fit
  auto no_room = tiny.append_rights(three);
  ASSERT_FALSE(no_room);
  EXPECT_EQ(no_room.error().code, errc::value_out_of_range);
}

TEST(UnixControl, TakeStoresWhatFitsAndClosesTheRest) {
  auto fds = fresh_descriptors(4);
  core::control_buffer buffer;
  core::cmsg_writer w(buffer.span());
  ASSERT_TRUE(w.append_rights(std::span<const int>(fds.data(), 3)));
  ASSERT_TRUE(w.append_rights(std::span<const int>(fds.data() + 3, 1)));  // a second message: taken too
  std::array<core::unique_fd, 2> out;
  auto t = core::take_descriptors(w.written(), out);
  ASSERT_TRUE(t) << t.error().message();
  EXPECT_EQ(t->stored, 2u);
  EXPECT_EQ(t->closed, 2u);
  EXPECT_EQ(out[0].get(), fds[0]);
  EXPECT_EQ(out[1].get(), fds[1]);
  EXPECT_FALSE(is_open(fds[2]));
  EXPECT_FALSE(is_open(fds[3]));
  EXPECT_TRUE(is_open(fds[0]));
  out = {};
  EXPECT_FALSE(is_open(fds[0]));
}

TEST(UnixControl, MalformedBufferClosesEveryDescriptorFound) {
  auto fds = fresh_descriptors(2);
  core::control_buffer buffer;
  core::cmsg_writer w(buffer.span());
  ASSERT_TRUE(w.append_rights(fds));
  // Then a header whose cmsg_len runs past the end.
  std::vector<std::byte> bytes(w.written().begin(), w.written().end());
  cmsghdr bad{};
  bad.cmsg_len = 4096;
  bad.cmsg_level = SOL_SOCKET;
  bad.cmsg_type = SCM_RIGHTS;
  const auto at = bytes.size();
  bytes.resize(at + CMSG_SPACE(sizeof(int)));
  std::memcpy(bytes.data() + at, &bad, sizeof bad);
  std::array<core::unique_fd, 4> out;
  auto t = core::take_descriptors(bytes, out);
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().code, errc::truncated_control_message);
  for (const auto& fd : out) EXPECT_FALSE(fd);
  EXPECT_FALSE(is_open(fds[0]));
  EXPECT_FALSE(is_open(fds[1]));
}

TEST(UnixControl, ShortCredentialsDoNotHideLaterDescriptors) {
  // MSG_CTRUNC can cut SCM_CREDENTIALS, which the kernel writes first.
  auto fds = fresh_descriptors(1);
  core::control_buffer buffer;
  core::cmsg_writer w(buffer.span());
  const std::array<std::byte, 4> cut{};
  ASSERT_TRUE(w.append(SOL_SOCKET, SCM_CREDENTIALS, std::span<const std::byte>(cut)));
  ASSERT_TRUE(w.append_rights(fds));
  std::array<int, 1> numbers{};
  auto d = core::decode_unix_control(w.written(), numbers);
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().code, errc::truncated_control_message);
  EXPECT_EQ(d.error().what, "SCM_CREDENTIALS");
  EXPECT_EQ(numbers[0], fds[0]);  // the walk went on
  std::array<core::unique_fd, 1> out;
  EXPECT_FALSE(core::take_descriptors(w.written(), out));
  EXPECT_FALSE(out[0]);
  EXPECT_FALSE(is_open(fds[0]));
}

TEST(UnixControl, APidfdIsClosedNotHandedOut) {
  // SO_PASSPIDFD (Linux 6.5) makes the kernel install a pidfd with each
  // message; take_descriptors closes it and counts it.
  auto fds = fresh_descriptors(2);
  core::control_buffer buffer;
  core::cmsg_writer w(buffer.span());
  ASSERT_TRUE(w.append(SOL_SOCKET, 0x04 /* SCM_PIDFD */, fds[0]));
  ASSERT_TRUE(w.append_rights(std::span<const int>(fds.data() + 1, 1)));
  std::array<int, 2> numbers{-1, -1};
  auto d = core::decode_unix_control(w.written(), numbers);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->fds, 1u);  // the SCM_RIGHTS one only
  EXPECT_EQ(numbers[0], fds[1]);
  std::array<core::unique_fd, 2> out;
  auto t = core::take_descriptors(w.written(), out);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->stored, 1u);
  EXPECT_EQ(t->closed, 1u);
  EXPECT_EQ(out[0].get(), fds[1]);
  EXPECT_FALSE(out[1]);
  EXPECT_FALSE(is_open(fds[0]));
}

TEST(UnixControl, OtherMessagesAreSkipped) {
  core::control_buffer buffer;
  core::cmsg_writer w(buffer.span());
  ASSERT_TRUE(w.append(IPPROTO_IP, SCM_RIGHTS, 42));  // SCM_RIGHTS's number at another level
  ASSERT_TRUE(w.append(SOL_SOCKET, SCM_TIMESTAMPNS, timespec{1, 2}));
  std::array<int, 1> numbers{-1};
  auto d = core::decode_unix_control(w.written(), numbers);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->fds, 0u);
  EXPECT_FALSE(d->credentials);
  EXPECT_EQ(numbers[0], -1);
}

TEST(UnixControl, RandomBytesThroughTheRightsDecoder) {
  // Random buffers, half of them starting with a plausible SCM_RIGHTS
  // header: the decoder never reads outside them (ASan in CI), and when it
  // succeeds its count is the ints of the SCM_RIGHTS entries cmsg_view sees.
  std::mt19937 rng(2026);
  for (int i = 0; i < 20000; ++i) {
    std::vector<std::byte> bytes(rng() % 160);
    for (auto& b : bytes) b = static_cast<std::byte>(rng());
    if (i % 2 == 0 && bytes.size() >= sizeof(cmsghdr)) {
      cmsghdr h{};
      h.cmsg_len = CMSG_LEN(rng() % (bytes.size() - sizeof(cmsghdr) + 1));
      h.cmsg_level = SOL_SOCKET;
      h.cmsg_type = (rng() % 2) ? SCM_RIGHTS : SCM_CREDENTIALS;
      std::memcpy(bytes.data(), &h, sizeof h);
    }
    std::array<int, 4> numbers{};
    auto d = core::decode_unix_control(bytes, numbers);
    bool well_formed = false;
    const std::size_t ints = mcnet::fuzz::rights_numbers(bytes, well_formed);
    if (d) {
      EXPECT_TRUE(well_formed) << i;
      EXPECT_EQ(d->fds, ints) << i;
    } else if (well_formed) {
      EXPECT_EQ(d.error().code, errc::truncated_control_message) << i;
      EXPECT_NE(d.error().what, "cmsghdr") << i;  // only a payload can fail a well-formed walk
    }
  }
}

}  // namespace
