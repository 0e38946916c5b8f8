// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include "calls.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

#include <mcnet/core/sockopt.hpp>

#include "retry.hpp"

namespace mcnet::core {

void unique_fd::reset(int fd) noexcept {
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
}

namespace sys {
namespace {

tl::unexpected<error> last_error(std::string_view op, std::string_view what) noexcept {
  return fail(error::from_errno(errno, op, what));
}

// What to do about the usual setsockopt/getsockopt failures.
std::string_view hint_for(int err, const option_info& opt) noexcept {
  switch (err) {
    case EPERM:
    case EACCES:
      return has(opt.requirements, needs::privilege)
                 ? "this option needs CAP_NET_ADMIN (run as root or grant the capability)"
                 : "not permitted for this process";
    // ENOPROTOOPT: no such option at this level for this socket, which on
    // a kernel older than the option is the same answer. EOPNOTSUPP: the
    // kernel knows the option and refuses it for this socket (SO_ZEROCOPY
    // on a Unix socket), or a sysctl has it off (TCP_FASTOPEN_CONNECT).
    case ENOPROTOOPT:
      return has(opt.requirements, needs::kernel_support)
                 ? "the option does not apply to this socket's level or type, or this kernel does not know it "
                   "(too old?)"
                 : "the option does not apply to this socket's level or type";
    case EOPNOTSUPP: return "the option does not apply to this socket's type or protocol (or a sysctl turns it off)";
    case ENODEV: return "no interface of that name in this network namespace";
    case ENOTSOCK: return "the descriptor is not a socket";
    case EBADF: return "the descriptor is not open";
    case ENOTCONN: return "the option needs a connected socket";
    default: return {};
  }
}

}  // namespace

std::string_view no_descriptor_hint(const error& e) noexcept {
  if (e.code.category() != std::system_category()) return {};
  if (e.code.value() == EMFILE) return "this process has no descriptor left (ulimit -n, RLIMIT_NOFILE)";
  if (e.code.value() == ENFILE) return "the system has no descriptor left (fs.file-max)";
  return {};
}

result<unique_fd> open_socket(int family, int type, int protocol) noexcept {
  int fd = ::socket(family, type | SOCK_CLOEXEC, protocol);
  if (fd < 0) {
    // The error names the call alone: "socket socket" would say it twice.
    auto e = error::from_errno(errno, "socket", "");
    if (errno == EPERM || errno == EACCES) e.with_hint("raw sockets need CAP_NET_RAW");
    if (errno == EAFNOSUPPORT) e.with_hint("the kernel has no support for this address family");
    if (e.hint().empty()) e.with_hint(no_descriptor_hint(e));
    return fail(e);
  }
  return unique_fd(fd);
}

result<std::uint32_t> interface_index(std::string_view name) noexcept {
  if (name.empty() || name.size() >= IFNAMSIZ) {
    return fail(error(errc::value_out_of_range, "if_nametoindex", "interface")
                    .with_input(name)
                    .with_hint("an interface name has 1 to 15 bytes"));
  }
  std::array<char, IFNAMSIZ> buf{};
  std::copy(name.begin(), name.end(), buf.begin());
  unsigned index = ::if_nametoindex(buf.data());
  if (index == 0) {
    return fail(error(errc::no_such_interface, "if_nametoindex", "interface")
                    .with_input(name)
                    .with_hint("no interface of that name in this network namespace (see `ip link`)"));
  }
  return static_cast<std::uint32_t>(index);
}

result<std::size_t> interface_name(std::uint32_t index, char* out) noexcept {
  if (::if_indextoname(index, out) == nullptr) {
    return fail(error(errc::no_such_interface, "if_indextoname", "interface")
                    .with_interface(index)
                    .with_hint("no interface with that index in this network namespace (see `ip link`)"));
  }
  return std::strlen(out);
}

result<std::size_t> interface_name_of_socket(int fd, std::uint32_t index, char* out) noexcept {
  ifreq ifr{};
  ifr.ifr_ifindex = static_cast<int>(index);
  if (::ioctl(fd, SIOCGIFNAME, &ifr) != 0) {
    return fail(error(errc::no_such_interface, "ioctl", "SIOCGIFNAME")
                    .with_interface(index)
                    .with_hint("no interface with index {interface} in the socket's network namespace"));
  }
  const std::size_t n = ::strnlen(ifr.ifr_name, IFNAMSIZ - 1);
  std::memcpy(out, ifr.ifr_name, n);
  out[n] = '\0';
  return n;
}

result<void> bind(int fd, const sockaddr_storage& sa, socklen_t length) noexcept {
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&sa), length) != 0) return last_error("bind", "socket");
  return {};
}

result<void> connect(int fd, const sockaddr_storage& sa, socklen_t length) noexcept {
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&sa), length) != 0) return last_error("connect", "socket");
  return {};
}

result<endpoint> local_endpoint(int fd) noexcept {
  sockaddr_storage sa{};
  socklen_t length = sizeof sa;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&sa), &length) != 0) return last_error("getsockname", "socket");
  return endpoint::from_sockaddr(reinterpret_cast<const sockaddr*>(&sa), length);
}

result<endpoint> peer_endpoint(int fd) noexcept {
  sockaddr_storage sa{};
  socklen_t length = sizeof sa;
  if (::getpeername(fd, reinterpret_cast<sockaddr*>(&sa), &length) != 0) return last_error("getpeername", "socket");
  return endpoint::from_sockaddr(reinterpret_cast<const sockaddr*>(&sa), length);
}

result<bool> nonblocking(int fd) noexcept {
  int flags = ::fcntl(fd, F_GETFL);
  if (flags < 0) return last_error("fcntl", "O_NONBLOCK");
  return (flags & O_NONBLOCK) != 0;
}

result<void> set_nonblocking(int fd, bool on) noexcept {
  int flags = ::fcntl(fd, F_GETFL);
  if (flags < 0) return last_error("fcntl", "O_NONBLOCK");
  int wanted = on ? (flags | O_NONBLOCK) : (flags & ~O_NONBLOCK);
  if (wanted != flags && ::fcntl(fd, F_SETFL, wanted) != 0) return last_error("fcntl", "O_NONBLOCK");
  return {};
}

result<void> listen(int fd, int backlog) noexcept {
  if (::listen(fd, backlog) != 0) return last_error("listen", "socket");
  return {};
}

result<unique_fd> accept(int fd, sockaddr_storage& peer, socklen_t& length, bool nonblocking) noexcept {
  const int flags = SOCK_CLOEXEC | (nonblocking ? SOCK_NONBLOCK : 0);
  const long r = retry_eintr([&]() noexcept {
    length = sizeof peer;
    return ::accept4(fd, reinterpret_cast<sockaddr*>(&peer), &length, flags);
  });
  if (r < 0) {
    if (r == -EAGAIN || r == -EWOULDBLOCK) return fail(error(errc::would_block, "accept", "socket"));
    return fail(error::from_errno(static_cast<int>(-r), "accept", "socket"));
  }
  return unique_fd(static_cast<int>(r));
}

int accept_refusal(int fd) noexcept {
  int listening = 0;
  socklen_t length = sizeof listening;
  if (::getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &length) != 0) return errno;
  if (listening != 0) return 0;
  int type = 0;
  length = sizeof type;
  if (::getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &length) != 0) return errno;
  return type == SOCK_STREAM || type == SOCK_SEQPACKET ? EINVAL : EOPNOTSUPP;
}

long recvmsg(int fd, msghdr& msg, bool may_block) noexcept {
  const int flags = (may_block ? 0 : MSG_DONTWAIT) | MSG_TRUNC;
  return retry_eintr([&]() noexcept { return ::recvmsg(fd, &msg, flags); });
}

long sendmsg(int fd, const msghdr& msg, bool may_block) noexcept {
  const int flags = (may_block ? 0 : MSG_DONTWAIT) | MSG_NOSIGNAL;
  return retry_eintr([&]() noexcept { return ::sendmsg(fd, &msg, flags); });
}

long recvmmsg(int fd, mmsghdr* msgs, unsigned count, bool may_block) noexcept {
  const int flags = (may_block ? MSG_WAITFORONE : MSG_DONTWAIT) | MSG_TRUNC;
  return retry_eintr([&]() noexcept { return ::recvmmsg(fd, msgs, count, flags, nullptr); });
}

long sendmmsg(int fd, mmsghdr* msgs, unsigned count, bool may_block) noexcept {
  const int flags = (may_block ? 0 : MSG_DONTWAIT) | MSG_NOSIGNAL;
  return retry_eintr([&]() noexcept { return ::sendmmsg(fd, msgs, count, flags); });
}

long recv(int fd, void* data, std::size_t size, bool may_block) noexcept {
  return retry_eintr([&]() noexcept { return ::recv(fd, data, size, may_block ? 0 : MSG_DONTWAIT); });
}

long send(int fd, const void* data, std::size_t size, bool may_block) noexcept {
  return retry_eintr([&]() noexcept { return ::send(fd, data, size, (may_block ? 0 : MSG_DONTWAIT) | MSG_NOSIGNAL); });
}

long recv_cut(int fd, void* data, std::size_t size, bool may_block, bool& cut) noexcept {
  iovec iov{data, size};
  msghdr h{};
  h.msg_iov = &iov;
  h.msg_iovlen = 1;
  const long n = retry_eintr([&]() noexcept { return ::recvmsg(fd, &h, may_block ? 0 : MSG_DONTWAIT); });
  cut = n >= 0 && (h.msg_flags & MSG_TRUNC) != 0;
  return n;
}

long recv_iov(int fd, const iovec* iov, std::size_t count, bool may_block) noexcept {
  msghdr h{};
  // recvmsg writes into the buffers the iovecs name, never into the iovecs.
  h.msg_iov = const_cast<iovec*>(iov);
  h.msg_iovlen = count;
  return retry_eintr([&]() noexcept { return ::recvmsg(fd, &h, may_block ? 0 : MSG_DONTWAIT); });
}

long send_iov(int fd, const iovec* iov, std::size_t count, bool may_block) noexcept {
  msghdr h{};
  h.msg_iov = const_cast<iovec*>(iov);  // read only by sendmsg
  h.msg_iovlen = count;
  return retry_eintr([&]() noexcept { return ::sendmsg(fd, &h, (may_block ? 0 : MSG_DONTWAIT) | MSG_NOSIGNAL); });
}

result<void> shutdown(int fd, int how) noexcept {
  if (::shutdown(fd, how) != 0) return last_error("shutdown", "socket");
  return {};
}

result<bool> poll_one(int fd, short events, long long timeout_ns) noexcept {
  pollfd pfd{fd, events, 0};
  timespec ts{};
  timespec* limit = nullptr;
  if (timeout_ns >= 0) {
    ts.tv_sec = static_cast<time_t>(timeout_ns / 1'000'000'000);
    ts.tv_nsec = static_cast<long>(timeout_ns % 1'000'000'000);
    limit = &ts;
  }
  int r = ::ppoll(&pfd, 1, limit, nullptr);
  if (r < 0) {
    if (errno == EINTR) return false;  // the caller re-checks its deadline
    return last_error("ppoll", "socket");
  }
  if (r > 0 && (pfd.revents & POLLNVAL) != 0) return fail(error::from_errno(EBADF, "ppoll", "socket"));
  return r > 0;
}

}  // namespace sys

namespace detail {

result<void> set_raw(int fd, const option_info& opt, const void* value, socklen_t length) noexcept {
  if (::setsockopt(fd, opt.level, opt.name, value, length) != 0) {
    const int err = errno;
    auto e = error::from_errno(err, "setsockopt", opt.spelling).with_hint(sys::hint_for(err, opt));
    const bool unknown_device = err == ENODEV && opt.level == SOL_SOCKET && opt.name == SO_BINDTODEVICE;
    const bool congestion = opt.level == IPPROTO_TCP && opt.name == TCP_CONGESTION;
    const bool unknown_algorithm = err == ENOENT && congestion;
    const bool restricted_algorithm = err == EPERM && congestion;
    if (unknown_device || unknown_algorithm || restricted_algorithm) {
      // The name the kernel did not find, in the message: "setsockopt
      // SO_BINDTODEVICE "eht0": No such device: no interface of that name ...".
      const auto* name = static_cast<const char*>(value);
      e.with_input(std::string_view(name, ::strnlen(name, static_cast<std::size_t>(length))));
    }
    if (unknown_algorithm) {
      e.with_hint("this kernel has no congestion control of that name and cannot load one (see "
                  "net.ipv4.tcp_available_congestion_control; the modules are tcp_<name>)");
    }
    if (restricted_algorithm) {
      // tcp_set_congestion_control: an algorithm outside the allowed list
      // needs CAP_NET_ADMIN in the socket's network namespace's user
      // namespace.
      e.with_hint("the kernel has this algorithm, but it is not in net.ipv4.tcp_allowed_congestion_control, so "
                  "setting it needs CAP_NET_ADMIN: add it to that list (sysctl -w, as root), or run with the "
                  "capability");
    }
    if (err == EINVAL && opt.level == IPPROTO_TCP && opt.name == TCP_FASTOPEN) {
      // do_tcp_setsockopt takes it only on a closed or listening socket.
      e.with_hint("TCP_FASTOPEN is set on a listener or before listen; this socket is connected (or connecting): "
                  "set it on the listening socket");
    } else if (err == EINVAL) {
      // setsockopt(2): "the option value is invalid"; for the options whose
      // range mcnet checks first, what is left is the socket's state.
      e.with_hint("the kernel refused this value for the socket as it is now: some options must be set before "
                  "connect or listen (TCP_FASTOPEN_CONNECT, TCP_WINDOW_CLAMP 0 on a connection), or the value is "
                  "outside what the option takes");
    }
    return fail(e);
  }
  return {};
}

result<socklen_t> get_raw(int fd, const option_info& opt, void* value, socklen_t capacity) noexcept {
  socklen_t length = capacity;
  if (::getsockopt(fd, opt.level, opt.name, value, &length) != 0) {
    const int err = errno;
    return fail(error::from_errno(err, "getsockopt", opt.spelling).with_hint(sys::hint_for(err, opt)));
  }
  return length;
}

error annotate(error e, std::string_view op, const option_info& opt) noexcept {
  if (e.op.empty()) e.op = op;
  if (e.what.empty()) e.what = opt.spelling;
  return e;
}

}  // namespace detail
}  // namespace mcnet::core
