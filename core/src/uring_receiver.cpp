// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// core::uring_receiver: multishot recvmsg on io_uring with a provided-buffer
// ring (built only with liburing, core/CMakeLists.txt). Each buffer is laid
// out as the kernel writes a multishot recvmsg completion:
//
//   io_uring_recvmsg_out (16 bytes) | name room (32) | control room | payload room
//
// The name room is sockaddr_in6 rounded up to 8 bytes, so that the control
// messages start aligned for cmsghdr; the buffers themselves are 64-byte
// aligned. liburing's helpers (io_uring_recvmsg_validate, _name, _payload,
// _payload_length) read that layout; the control bytes go through the same
// decoder as read_batch (decode_control.hpp).

#include <mcnet/core/uring_receiver.hpp>

#include <liburing.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <new>
#include <optional>
#include <utility>
#include <vector>

#include "decode_control.hpp"
#include "wait.hpp"

namespace mcnet::core {
namespace {

constexpr unsigned short kGroup = 0;          // the provided buffers' group id
constexpr std::size_t kNameRoom = 32;         // sockaddr_in6 (28 bytes), rounded up to 8
constexpr std::size_t kHeader = sizeof(io_uring_recvmsg_out);
constexpr unsigned kSubmissionEntries = 64;   // arming requests only: one per socket and re-arm
constexpr std::size_t kMaxBuffers = 32768;    // the kernel's limit for a buffer ring
constexpr std::size_t kMaxPayload = 65535;
// The user data of a cancel request (remove()); a receive request's is its
// socket's index, far below.
constexpr std::uint64_t kCancelData = ~std::uint64_t{0};

static_assert(kHeader % 8 == 0 && kNameRoom % 8 == 0 && max_control_size % 8 == 0,
              "the control room must start aligned for cmsghdr");

// An anonymous mapping, unmapped on destruction.
class mapping {
 public:
  mapping() noexcept = default;
  mapping(mapping&& o) noexcept : p_(std::exchange(o.p_, nullptr)), len_(std::exchange(o.len_, 0)) {}
  mapping& operator=(mapping&&) = delete;
  mapping(const mapping&) = delete;
  mapping& operator=(const mapping&) = delete;
  ~mapping() {
    if (p_ != nullptr) ::munmap(p_, len_);
  }
  // Map `len` bytes (page-aligned, zero-filled); -errno on failure.
  int map(std::size_t len) noexcept {
    void* p = ::mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return -errno;
    p_ = p;
    len_ = len;
    return 0;
  }
  [[nodiscard]] std::byte* get() const noexcept { return static_cast<std::byte*>(p_); }

 private:
  void* p_ = nullptr;
  std::size_t len_ = 0;
};

std::size_t round_up(std::size_t n, std::size_t to) noexcept { return (n + to - 1) / to * to; }

error setup_error(int err) noexcept {
  auto e = error::from_errno(err, "io_uring_setup", "io_uring");
  switch (err) {
    case EPERM:
      e.with_hint("io_uring is refused to this process: the sysctl kernel.io_uring_disabled is 2 (off for all), "
                  "or 1 and the process is neither root nor in kernel.io_uring_group; or a seccomp filter (a "
                  "container runtime's, systemd's SystemCallFilter) denies io_uring_setup. Allow it, or read "
                  "with core::read_batch");
      break;
    case ENOSYS:
      e.with_hint("this kernel has no io_uring (CONFIG_IO_URING off, or a seccomp filter answers ENOSYS): read "
                  "with core::read_batch");
      break;
    case ENOMEM:
      e.with_hint("the ring's memory could not be had: RLIMIT_MEMLOCK (ulimit -l) before Linux 5.12, or memory "
                  "is short; fewer buffers (a smaller buffer_count) need a smaller completion ring");
      break;
    default:
      e.with_hint("io_uring_setup refused the ring; read with core::read_batch");
      break;
  }
  return e;
}

// io_uring_enter's -errno `r`, with a hint where it has one.
error enter_failure(int r) noexcept {
  auto e = error::from_errno(-r, "io_uring_enter", "io_uring");
  // The ring is IORING_SETUP_SINGLE_ISSUER (make()): the kernel refuses
  // any other thread's submissions (trial t17c L3).
  if (r == -EEXIST) {
    e.with_hint("the ring is single issuer: read (and add, remove) from the thread that called make(), or make "
                "the receiver on the thread that reads");
  }
  return e;
}

error request_error(int err, std::size_t index) noexcept {
  auto e = error::from_errno(err, "recvmsg", "io_uring multishot recvmsg");
  e.with_number(static_cast<std::int64_t>(index));
  switch (err) {
    case EINVAL:
      e.with_hint("the kernel refused a multishot recvmsg with provided buffers on socket {number} (it needs "
                  "Linux 6.0): read with core::read_batch");
      break;
    case EBADF:
    case ENOTSOCK:
      e.with_hint("socket {number}'s descriptor was closed before its request was armed again (or is not a "
                  "socket): remove it (uring_receiver::remove) before closing it; it is not armed again");
      break;
    default:
      e.with_hint("socket {number}'s receive request ended with this error and is not armed again");
      break;
  }
  return e;
}

}  // namespace

struct uring_receiver::state {
  io_uring ring{};
  bool ring_ready = false;
  mapping ring_memory;  // the io_uring_buf_ring the kernel reads buffers from
  mapping buffers;      // count * stride bytes
  io_uring_buf_ring* buf_ring = nullptr;
  std::size_t count = 0;
  std::size_t payload = 0;
  std::size_t stride = 0;         // distance between buffers (64-byte multiple)
  unsigned buffer_length = 0;     // what the kernel may fill of each
  int mask = 0;
  cmsg decode = cmsg::none;
  msghdr layout{};  // msg_namelen and msg_controllen: the room in every buffer

  struct slot {
    int fd = -1;
    bool armed = false;    // a multishot request is (or will be, once submitted) in flight
    bool started = false;  // armed at least once: arming again counts as a re-arm
    bool stopped = false;  // ended with an error, or removed: not armed again
    bool removed = false;  // remove(): its completions are dropped, its buffers given back
  };
  std::vector<slot> sockets;
  std::size_t unarmed = 0;  // sockets neither armed nor stopped
  std::size_t removed = 0;  // sockets removed
  std::size_t stopped = 0;  // sockets stopped: removed, or their request ended with an error

  std::unique_ptr<message[]> messages;          // count of them
  std::unique_ptr<std::uint16_t[]> buffer_ids;  // the buffer of each message
  std::unique_ptr<std::uint32_t[]> socket_ids;  // the socket of each message
  // Whether each message's `info` may hold anything (its last fill
  // decoded control messages): a message without control messages resets
  // it only then. The messages are given out const, so nothing else
  // writes them; resetting every time cost 1.5-2 % a datagram
  // (BM_interleaved_uring_receiver without metadata: the stores reach a
  // line of the message that the buffers streaming through the cache had
  // evicted).
  std::unique_ptr<bool[]> info_set;
  std::size_t size = 0;
  std::optional<error> pending;  // a request's error, for the next read
  uring_stats stats;

  state() = default;
  state(const state&) = delete;
  state& operator=(const state&) = delete;
  // The ring goes first: closing it cancels the requests and unregisters
  // the buffer ring, and only then are the mappings (members) unmapped.
  ~state() {
    if (ring_ready) io_uring_queue_exit(&ring);
  }

  [[nodiscard]] std::byte* buffer(std::size_t id) const noexcept { return buffers.get() + id * stride; }

  void give_back(std::uint16_t id, int offset) noexcept {
    io_uring_buf_ring_add(buf_ring, buffer(id), buffer_length, id, mask, offset);
  }

  // Give the last read's buffers back to the kernel.
  void recycle() noexcept {
    if (size == 0) return;
    for (std::size_t i = 0; i < size; ++i) give_back(buffer_ids[i], static_cast<int>(i));
    io_uring_buf_ring_advance(buf_ring, static_cast<int>(size));
    size = 0;
  }

  // Queue a multishot recvmsg for every socket without one. Returns
  // io_uring_submit's -errno when the submission queue had to be flushed
  // for room and that failed, else 0.
  int arm() noexcept {
    if (unarmed == 0) return 0;
    for (std::size_t i = 0; i < sockets.size(); ++i) {
      auto& so = sockets[i];
      if (so.armed || so.stopped) continue;
      io_uring_sqe* sqe = io_uring_get_sqe(&ring);
      if (sqe == nullptr) {
        if (const int r = io_uring_submit(&ring); r < 0) return r;
        sqe = io_uring_get_sqe(&ring);
        if (sqe == nullptr) return -EBUSY;
      }
      // MSG_TRUNC: the completion's payloadlen is the datagram's length even
      // when the buffer holds less (udp(7)), as read_batch's wire_size.
      io_uring_prep_recvmsg_multishot(sqe, so.fd, &layout, MSG_TRUNC);
      sqe->flags |= IOSQE_BUFFER_SELECT;
      sqe->buf_group = kGroup;
      io_uring_sqe_set_data64(sqe, i);
      if (so.started) ++stats.rearms;
      so.started = true;
      so.armed = true;
      --unarmed;
    }
    return 0;
  }

  void fill(std::size_t at, io_uring_recvmsg_out* out, int length) noexcept {
    message& m = messages[at];
    auto* name = static_cast<std::byte*>(io_uring_recvmsg_name(out));
    auto* payload_bytes = static_cast<std::byte*>(io_uring_recvmsg_payload(out, &layout));
    const std::size_t held = io_uring_recvmsg_payload_length(out, length, &layout);
    m.buffer = std::span<std::byte>(payload_bytes, held);
    m.size = held;
    m.wire_size = out->payloadlen;
    m.truncated = (out->flags & MSG_TRUNC) != 0;
    m.control_truncated = (out->flags & MSG_CTRUNC) != 0;
    m.control = std::span<std::byte>(name + kNameRoom, layout.msg_controllen);
    m.control_size = out->controllen;
    detail::store_peer(m.peer, name, static_cast<socklen_t>(std::min<std::size_t>(out->namelen, kNameRoom)));
    if (m.control_error) m.control_error = {};
    // As read_batch: `info` says this datagram's read only, and UDP_GRO's
    // segment size is decoded whatever `decode` says.
    if (out->controllen == 0) {
      if (info_set[at]) detail::reset_all(m.info);
      info_set[at] = false;
    } else {
      std::uint32_t filled = 0;
      detail::control_failure failure;
      if (!detail::decode_control_into(std::span<const std::byte>(m.control.data(), out->controllen),
                                       decode | cmsg::segment_size, m.info, failure, filled)) {
        m.control_error = make_error_code(errc::truncated_control_message);
      }
      detail::reset_unfilled(m.info, filled);
      info_set[at] = true;
    }
    if (m.truncated) ++stats.truncated;
  }

  // Take every completion posted: datagrams into `messages`, ends of
  // requests marked for arming again, a request's error into `pending`.
  void harvest() noexcept {
    io_uring_cqe* cqe = nullptr;
    unsigned head = 0;
    unsigned seen = 0;
    io_uring_for_each_cqe(&ring, head, cqe) {
      ++seen;
      const auto data = io_uring_cqe_get_data64(cqe);
      if (data == kCancelData) continue;  // remove()'s cancel: its result is the request's end
      const auto index = static_cast<std::size_t>(data);
      auto& so = sockets[index];
      if (so.removed) {
        // What a removed socket's request posted before it ended: not
        // delivered, its buffer back at once.
        if ((cqe->flags & IORING_CQE_F_MORE) == 0) so.armed = false;
        if (cqe->res >= 0 && (cqe->flags & IORING_CQE_F_BUFFER) != 0) {
          give_back(static_cast<std::uint16_t>(cqe->flags >> IORING_CQE_BUFFER_SHIFT), 0);
          io_uring_buf_ring_advance(buf_ring, 1);
        }
        continue;
      }
      if ((cqe->flags & IORING_CQE_F_MORE) == 0) {
        so.armed = false;
        if (!so.stopped) ++unarmed;
      }
      if (cqe->res < 0) {
        if (cqe->res == -ENOBUFS) {
          ++stats.buffers_exhausted;  // armed again by the next arm(), once buffers are back
        } else if ((cqe->flags & IORING_CQE_F_MORE) == 0 && !so.stopped) {
          // (A stopped socket's request ends so: ECANCELED, no error.)
          so.stopped = true;
          ++stopped;
          --unarmed;
          if (!pending) pending = request_error(-cqe->res, index);
        }
        continue;
      }
      if ((cqe->flags & IORING_CQE_F_BUFFER) == 0) continue;
      const auto id = static_cast<std::uint16_t>(cqe->flags >> IORING_CQE_BUFFER_SHIFT);
      auto* out = io_uring_recvmsg_validate(buffer(id), cqe->res, &layout);
      if (out == nullptr) {
        // Shorter than the layout's header: not a datagram. Back at once.
        give_back(id, 0);
        io_uring_buf_ring_advance(buf_ring, 1);
        continue;
      }
      fill(size, out, cqe->res);
      buffer_ids[size] = id;
      socket_ids[size] = static_cast<std::uint32_t>(index);
      ++size;
      ++stats.datagrams;
      // Every datagram holds a buffer until the next read, so at most
      // `count` are posted; the check only keeps the arrays in bounds.
      if (size == count) break;
    }
    io_uring_cq_advance(&ring, seen);
  }

  // Whether the request of socket `index` has posted its last completion
  // (one without IORING_CQE_F_MORE), among those not yet harvested.
  [[nodiscard]] bool ended(std::size_t index) noexcept {
    io_uring_cqe* cqe = nullptr;
    unsigned head = 0;
    io_uring_for_each_cqe(&ring, head, cqe) {
      if (io_uring_cqe_get_data64(cqe) == index && (cqe->flags & IORING_CQE_F_MORE) == 0) return true;
    }
    return false;
  }

  // Cancel socket `index`'s armed request and wait until it has ended: the
  // kernel then holds the socket no more (the request held its file).
  // The completions stay for harvest(), which drops the removed socket's.
  // Returns 0, -ETIMEDOUT when the end did not come within about a second,
  // or io_uring_enter's -errno.
  int cancel(std::size_t index) noexcept {
    io_uring_sqe* sqe = io_uring_get_sqe(&ring);
    if (sqe == nullptr) {
      if (const int r = io_uring_submit(&ring); r < 0) return r;
      sqe = io_uring_get_sqe(&ring);
      if (sqe == nullptr) return -EBUSY;
    }
    io_uring_prep_cancel64(sqe, index, 0);
    io_uring_sqe_set_data64(sqe, kCancelData);
    // Bounded: a cancel of an armed receive ends it at once (the enter
    // that submits it runs the completion); 200 waits of 5 ms at most.
    for (int round = 0; round < 200; ++round) {
      const int r = io_uring_submit_and_get_events(&ring);
      if (r < 0 && r != -EINTR && r != -EAGAIN && r != -EBUSY) return r;
      if (ended(index)) return 0;
      __kernel_timespec ts{};
      ts.tv_nsec = 5'000'000;
      io_uring_cqe* cqe = nullptr;
      (void)io_uring_wait_cqes(&ring, &cqe, io_uring_cq_ready(&ring) + 1, &ts, nullptr);
    }
    return -ETIMEDOUT;
  }
};

uring_receiver::uring_receiver() noexcept = default;
uring_receiver::uring_receiver(std::unique_ptr<state> s) noexcept : state_(std::move(s)) {}
uring_receiver::uring_receiver(uring_receiver&& other) noexcept = default;
uring_receiver& uring_receiver::operator=(uring_receiver&& other) noexcept = default;
uring_receiver::~uring_receiver() = default;

result<uring_receiver> uring_receiver::make(std::size_t buffer_count, std::size_t payload_size,
                                            cmsg decode) noexcept {
  if (buffer_count == 0 || buffer_count > kMaxBuffers || !std::has_single_bit(buffer_count)) {
    return fail(error(std::make_error_code(std::errc::invalid_argument), "make", "uring_receiver")
                    .with_number(static_cast<std::int64_t>(std::min<std::size_t>(buffer_count, INT64_MAX)))
                    .with_hint("buffer_count must be a power of two from 1 to 32768 (the kernel indexes a buffer "
                               "ring by a mask)"));
  }
  if (payload_size == 0 || payload_size > kMaxPayload) {
    return fail(error(std::make_error_code(std::errc::invalid_argument), "make", "uring_receiver")
                    .with_number(static_cast<std::int64_t>(std::min<std::size_t>(payload_size, INT64_MAX)))
                    .with_hint("payload_size must be 1 to 65535 bytes (the largest UDP payload)"));
  }
  std::unique_ptr<state> s(new (std::nothrow) state);
  if (!s) {
    return fail(error(std::make_error_code(std::errc::not_enough_memory), "make", "uring_receiver"));
  }
  s->count = buffer_count;
  s->payload = payload_size;
  s->decode = decode;
  s->layout.msg_namelen = kNameRoom;
  // Room for every control message mcnet can switch on, whatever `decode`
  // says: a UDP_GRO socket's coalesced read brings its segment size in a
  // control message, decoded always, and the kernel writes the socket-level
  // messages (SO_TIMESTAMPNS, SO_TIMESTAMPING, SO_RXQ_OVFL once the socket
  // has dropped) before it. Room for UDP_GRO's alone lost it to those
  // (trial t17c M2: an 11-datagram run read as one). The room moves the
  // payload further into the buffer (it cost about 1 % a datagram in the
  // library benchmark, 64-byte datagrams, against the 24 bytes of before).
  s->layout.msg_controllen = max_control_size;
  const std::size_t length = kHeader + kNameRoom + s->layout.msg_controllen + payload_size;
  s->buffer_length = static_cast<unsigned>(length);
  s->stride = round_up(length, 64);
  s->mask = io_uring_buf_ring_mask(static_cast<__u32>(buffer_count));

  // The cheapest setup the kernel takes: completions run as task work in
  // this thread's io_uring_enter (DEFER_TASKRUN, Linux 6.1, with
  // SINGLE_ISSUER), else cooperatively (COOP_TASKRUN, 5.19), else plainly.
  // The completion ring holds twice the buffers: every datagram posts one.
  const unsigned cq_entries = static_cast<unsigned>(std::max<std::size_t>(2 * buffer_count, 2 * kSubmissionEntries));
  constexpr unsigned attempts[] = {
      IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_COOP_TASKRUN | IORING_SETUP_SUBMIT_ALL,
      IORING_SETUP_COOP_TASKRUN | IORING_SETUP_SUBMIT_ALL, 0};
  int r = -EINVAL;
  for (const unsigned flags : attempts) {
    io_uring_params p{};
    p.flags = flags | IORING_SETUP_CQSIZE;
    p.cq_entries = cq_entries;
    r = io_uring_queue_init_params(kSubmissionEntries, &s->ring, &p);
    if (r != -EINVAL) break;
  }
  if (r < 0) return fail(setup_error(-r));
  s->ring_ready = true;

  const long page = ::sysconf(_SC_PAGESIZE);
  const std::size_t ring_bytes = round_up(buffer_count * sizeof(io_uring_buf), static_cast<std::size_t>(page));
  if (const int m = s->ring_memory.map(ring_bytes); m < 0) {
    return fail(error::from_errno(-m, "mmap", "io_uring buffer ring").with_number(static_cast<std::int64_t>(ring_bytes)));
  }
  if (const int m = s->buffers.map(buffer_count * s->stride); m < 0) {
    return fail(error::from_errno(-m, "mmap", "io_uring provided buffers")
                    .with_number(static_cast<std::int64_t>(buffer_count * s->stride))
                    .with_hint("{number} bytes of buffers could not be mapped: fewer or smaller buffers"));
  }
  s->buf_ring = reinterpret_cast<io_uring_buf_ring*>(s->ring_memory.get());
  io_uring_buf_reg reg{};
  reg.ring_addr = reinterpret_cast<std::uintptr_t>(s->buf_ring);
  reg.ring_entries = static_cast<__u32>(buffer_count);
  reg.bgid = kGroup;
  if (const int g = io_uring_register_buf_ring(&s->ring, &reg, 0); g < 0) {
    auto e = error::from_errno(-g, "io_uring_register", "IORING_REGISTER_PBUF_RING");
    if (g == -EINVAL) {
      e.with_hint("the kernel has no provided-buffer rings (Linux 5.19): read with core::read_batch");
    }
    return fail(e);
  }
  io_uring_buf_ring_init(s->buf_ring);
  for (std::size_t i = 0; i < buffer_count; ++i) s->give_back(static_cast<std::uint16_t>(i), static_cast<int>(i));
  io_uring_buf_ring_advance(s->buf_ring, static_cast<int>(buffer_count));

  // Room for a few sockets now, so that add() allocates only past them.
  try {
    s->sockets.reserve(4);
  } catch (const std::bad_alloc&) {
    return fail(error(std::make_error_code(std::errc::not_enough_memory), "make", "uring_receiver"));
  }
  s->messages.reset(new (std::nothrow) message[buffer_count]);
  s->buffer_ids.reset(new (std::nothrow) std::uint16_t[buffer_count]);
  s->info_set.reset(new (std::nothrow) bool[buffer_count]());
  s->socket_ids.reset(new (std::nothrow) std::uint32_t[buffer_count]);
  if (!s->messages || !s->buffer_ids || !s->socket_ids || !s->info_set) {
    return fail(error(std::make_error_code(std::errc::not_enough_memory), "make", "uring_receiver")
                    .with_number(static_cast<std::int64_t>(buffer_count)));
  }
  return uring_receiver(std::move(s));
}

result<std::size_t> uring_receiver::add(socket_ref sock) noexcept {
  if (!state_ || sock.native_handle() < 0) {
    return fail(error(std::make_error_code(std::errc::invalid_argument), "add", "uring_receiver")
                    .with_number(sock.native_handle())
                    .with_hint(!state_ ? "the receiver is empty (default-constructed or moved from): assign it "
                                         "the result of uring_receiver::make"
                                       : "descriptor {number} is not a socket"));
  }
  auto& s = *state_;
  try {
    s.sockets.push_back({sock.native_handle(), false, false, false, false});
  } catch (const std::bad_alloc&) {
    return fail(error(std::make_error_code(std::errc::not_enough_memory), "add", "uring_receiver"));
  }
  ++s.unarmed;
  return s.sockets.size() - 1;
}

result<std::size_t> uring_receiver::read(wait_policy wait) noexcept {
  if (!state_) {
    return fail(error(std::make_error_code(std::errc::invalid_argument), "read", "uring_receiver")
                    .with_hint("the receiver is empty (default-constructed or moved from): assign it the result "
                               "of uring_receiver::make"));
  }
  auto& s = *state_;
  s.recycle();
  if (s.pending) {
    const error e = *s.pending;
    s.pending.reset();
    return fail(e);
  }
  // Every socket removed, or stopped by its request's error (given by an
  // earlier read; not armed again): nothing can arrive, so no wait (trial
  // t17c L1: a deadline read waited it out, a blocking one forever).
  const auto none_left = [&s] {
    const char* why = s.sockets.empty() ? "no socket to read from: add one first (uring_receiver::add)"
                      : s.removed == s.sockets.size()
                          ? "no socket to read from: every socket added was removed"
                          : "no socket to read from: every socket added was removed or its request ended with an "
                            "error (an earlier read gave it) and is not armed again, or stopped and its "
                          "datagrams given; add a socket";
    return error(std::make_error_code(std::errc::invalid_argument), "read", "uring_receiver").with_hint(why);
  };
  // (A stopped socket's completions not yet given are still read.)
  if (s.sockets.size() == s.stopped && io_uring_cq_ready(&s.ring) == 0) return fail(none_left());
  auto enter_error = [](int r) noexcept { return enter_failure(r); };
  // One io_uring_enter a round: it submits the arming requests and, with
  // DEFER_TASKRUN, runs the receives the kernel queued for this thread,
  // which post the completions. When the policy lets the call wait, that
  // same enter waits for the first completion (it returns at once when the
  // receives posted one), so a wake-up costs one system call.
  const bool forever = wait.timeout() == std::chrono::nanoseconds::max();
  const bool may_wait = wait.kind() != wait_policy::mode::nonblocking;
  detail::call_start start;
  int rearmed_empty = 0;  // requests armed again with nothing delivered, this call
  for (;;) {
    if (const int a = s.arm(); a < 0) return fail(enter_error(a));
    if (io_uring_cq_ready(&s.ring) == 0 || io_uring_sq_ready(&s.ring) > 0) {
      int r = 0;
      std::chrono::nanoseconds elapsed{};
      const bool adaptive = wait.kind() == wait_policy::mode::adaptive;
      if (may_wait && (!forever || adaptive)) elapsed = detail::clock::now() - start.get();
      const bool spinning = adaptive && elapsed < wait.spin();
      if (may_wait && forever && !spinning) {
        r = io_uring_submit_and_wait(&s.ring, 1);
      } else if (may_wait && !spinning && elapsed < wait.timeout()) {
        const auto left = wait.timeout() - elapsed;
        __kernel_timespec ts{};
        ts.tv_sec = static_cast<decltype(ts.tv_sec)>(left.count() / 1'000'000'000);
        ts.tv_nsec = static_cast<decltype(ts.tv_nsec)>(left.count() % 1'000'000'000);
        io_uring_cqe* cqe = nullptr;
        r = io_uring_submit_and_wait_timeout(&s.ring, &cqe, 1, &ts, nullptr);
      } else {
        r = io_uring_submit_and_get_events(&s.ring);
      }
      if (r < 0 && r != -ETIME && r != -EINTR && r != -EAGAIN && r != -EBUSY) return fail(enter_error(r));
    }
    s.harvest();
    if (s.size > 0) return s.size;
    if (s.pending) {
      const error e = *s.pending;
      s.pending.reset();
      return fail(e);
    }
    // The last stopped socket's completions given: nothing more can come.
    if (s.sockets.size() == s.stopped) return fail(none_left());
    // A request ended with nothing to give (ENOBUFS): every buffer is back
    // now, so arming it again takes what its socket holds. Bounded, should
    // a request keep ending.
    if (s.unarmed > 0 && ++rearmed_empty <= 4) continue;
    if (!may_wait) return fail(error(errc::would_block, "read", "uring_receiver"));
    const auto elapsed = detail::clock::now() - start.get();
    if (!forever && elapsed >= wait.timeout()) return fail(error(errc::timed_out, "read", "uring_receiver"));
    if (wait.kind() == wait_policy::mode::adaptive && elapsed < wait.spin()) detail::cpu_relax();
  }
}

result<void> uring_receiver::remove(std::size_t index) noexcept {
  if (!state_ || index >= state_->sockets.size() || state_->sockets[index].removed) {
    const bool added = state_ && index < state_->sockets.size();
    return fail(error(std::make_error_code(std::errc::invalid_argument), "remove", "uring_receiver")
                    .with_number(static_cast<std::int64_t>(std::min<std::size_t>(index, INT64_MAX)))
                    .with_hint(!state_ ? "the receiver is empty (default-constructed or moved from)"
                               : added ? "socket {number} was removed already"
                                       : "no socket has index {number}: remove takes what add() answered"));
  }
  auto& s = *state_;
  auto& so = s.sockets[index];
  so.removed = true;
  ++s.removed;
  // Not armed: never submitted, or ended and waiting for the next read to
  // arm it again; either way nothing holds the socket.
  if (!so.armed && !so.stopped) --s.unarmed;
  if (!so.stopped) ++s.stopped;
  so.stopped = true;
  if (!so.armed) return {};
  if (const int r = s.cancel(index); r < 0) {
    return fail(error::from_errno(-r, "io_uring_enter", "io_uring cancel")
                    .with_number(static_cast<std::int64_t>(index))
                    .with_hint(r == -EEXIST ? "the ring is single issuer: remove from the thread that called make() "
                                              "(the request is not cancelled)"
                                            : "socket {number}'s receive request could not be cancelled: the ring "
                                              "may still hold the socket (its port stays bound) until the receiver "
                                              "is destroyed"));
  }
  return {};
}

result<void> uring_receiver::stop(std::size_t index) noexcept {
  if (!state_ || index >= state_->sockets.size() || state_->sockets[index].stopped) {
    const bool added = state_ && index < state_->sockets.size();
    return fail(error(std::make_error_code(std::errc::invalid_argument), "stop", "uring_receiver")
                    .with_number(static_cast<std::int64_t>(std::min<std::size_t>(index, INT64_MAX)))
                    .with_hint(!state_ ? "the receiver is empty (default-constructed or moved from)"
                               : added ? "socket {number} was stopped or removed already, or its request ended "
                                         "with an error"
                                       : "no socket has index {number}: stop takes what add() answered"));
  }
  auto& s = *state_;
  auto& so = s.sockets[index];
  // Not armed: never submitted, or ended and waiting for the next read to
  // arm it again; either way nothing holds the socket. Its completions
  // stay for harvest(), which gives them as any socket's.
  if (!so.armed) --s.unarmed;
  ++s.stopped;
  so.stopped = true;
  if (!so.armed) return {};
  if (const int r = s.cancel(index); r < 0) {
    return fail(error::from_errno(-r, "io_uring_enter", "io_uring cancel")
                    .with_number(static_cast<std::int64_t>(index))
                    .with_hint(r == -EEXIST ? "the ring is single issuer: stop from the thread that called make() "
                                              "(the request is not cancelled)"
                                            : "socket {number}'s receive request could not be cancelled: the ring "
                                              "may still hold the socket and take its datagrams"));
  }
  return {};
}

std::span<const message> uring_receiver::received() const noexcept {
  if (!state_) return {};
  return {state_->messages.get(), state_->size};
}

std::size_t uring_receiver::socket_of(std::size_t i) const noexcept { return state_->socket_ids[i]; }
std::size_t uring_receiver::buffer_count() const noexcept { return state_ ? state_->count : 0; }
std::size_t uring_receiver::payload_size() const noexcept { return state_ ? state_->payload : 0; }
std::size_t uring_receiver::sockets() const noexcept { return state_ ? state_->sockets.size() : 0; }
uring_stats uring_receiver::stats() const noexcept { return state_ ? state_->stats : uring_stats{}; }

}  // namespace mcnet::core
