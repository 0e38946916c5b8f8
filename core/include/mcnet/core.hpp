// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// mcnet core: the socket layer every other layer stands on.
///
/// - Descriptors: `core::unique_fd`, `core::socket` (always SOCK_CLOEXEC),
///   `core::socket_ref` (non-owning; every option and I/O call takes one, so
///   they work on any socket, asio's included).
/// - Address values: `core::ip_address`, `core::endpoint`, `core::prefix`,
///   strict parsers whose errors name the input.
/// - The error model: `mcnet::result<T>`, `mcnet::error`, `mcnet::errc`.
/// - The option layer: `core::get` / `core::set` over typed descriptors;
///   SOL_SOCKET, IPPROTO_TCP (tcp_options.hpp, with TCP_INFO decoded by
///   `core::read_tcp_info`), IPPROTO_SCTP (sctp_options.hpp) and the RFC 3678
///   membership options live in `core::opt`.
/// - MSG_ZEROCOPY: `core::send_zerocopy` and `core::read_zerocopy_completions`
///   (zerocopy.hpp).
///
/// Unicast in a few lines:
/// @code
///   namespace core = mcnet::core;
///   auto s = core::socket::open(AF_INET, SOCK_DGRAM);
///   if (!s) { std::cerr << s.error().message() << '\n'; return 1; }
///   if (auto r = core::set(*s, core::opt::reuse_address, true); !r) std::cerr << r.error().message() << '\n';
///   auto local = core::endpoint::parse("0.0.0.0:5000");
///   if (auto r = core::bind(*s, *local); !r) std::cerr << r.error().message() << '\n';
/// @endcode
///
/// - DSCP names and the TOS byte: `core::parse_dscp`, `core::format_dscp`,
///   `core::tos_from_dscp` (dscp.hpp).
/// - Sockets in one call: `core::listen_udp`, `core::dial_udp`,
///   `core::listen_tcp`, `core::dial_tcp` (dial.hpp), with the options that
///   must precede bind and connect in `core::socket_setup`.
///
/// A TCP client whose SYN is marked EF, with a deadline for the handshake:
/// @code
///   auto c = core::dial_tcp(core::endpoint::parse("10.77.0.2:8080").value(),
///                           {.tos = core::tos_from_dscp(core::dscp::ef), .ttl = 16},
///                           std::chrono::seconds(2));
///   if (!c) std::cerr << c.error().message() << '\n';  // errc::timed_out, ECONNREFUSED, ...
/// @endcode
///
/// Receiving datagrams in batches (recvmmsg), with their metadata:
/// `core::receive_batch` owns the buffers (allocated once; reads allocate
/// nothing), `core::read_batch` takes the caller's (<mcnet/core/message.hpp>).
/// @code
///   auto b = core::receive_batch::make(32, 2048).value();  // up to 32 datagrams a call, 2048 bytes each
///   while (auto n = b.read(*s, core::cmsg::pktinfo, core::wait_policy::deadline(std::chrono::seconds(1))))
///     for (const core::message& m : b)
///       std::cout << m.size << " bytes from " << m.peer.to_string() << " to "
///                 << m.info.destination.to_string() << '\n';
/// @endcode
///
/// With liburing (`MCNET_HAS_IO_URING`, <mcnet/features.hpp>):
/// `core::uring_receiver` (uring_receiver.hpp), the same datagrams and
/// metadata through io_uring's multishot recvmsg into provided buffers, an
/// opt-in backend (on a quiet machine 0.80-0.89 of recvmmsg's cost per
/// datagram in the library benchmark: docs/performance.md, "io_uring receive").
///
/// - Unix sockets (unix_socket.hpp): `core::unix_address` (path, abstract
///   `@name`, unnamed), `core::listen_unix`, `core::dial_unix`,
///   `core::accept_unix`, `core::socketpair`, and descriptor passing in
///   which every received descriptor is owned or closed
///   (`core::receive_with_fds`, `core::send_with_fds`; docs/sockets.md).
///
/// Streams (<mcnet/core/stream.hpp>): `core::read_some`, `core::read_exact`,
/// `core::write_all`, `core::writev_all`, ... with the same wait policies;
/// `core::accept`, `core::connect_start` / `core::connect_finish` and
/// `core::shutdown` (socket_ops.hpp).
///
/// Receive buffers, with the clamp explained:
/// @code
///   auto grant = core::set_receive_buffer(*s, 8 << 20);
///   if (grant && grant->clamped()) std::cerr << grant->hint() << '\n';
/// @endcode

#include <mcnet/core/cxx20.hpp>  // first: C++20 or one clear error

#include <mcnet/core/codecs.hpp>
#include <mcnet/core/control.hpp>
#include <mcnet/core/datagrams.hpp>
#include <mcnet/core/dial.hpp>
#include <mcnet/core/dscp.hpp>
#include <mcnet/core/endpoint.hpp>
#include <mcnet/core/error.hpp>
#include <mcnet/core/interface.hpp>
#include <mcnet/core/ip_address.hpp>
#include <mcnet/core/membership.hpp>
#include <mcnet/core/membership_options.hpp>
#include <mcnet/core/message.hpp>
#include <mcnet/core/prefix.hpp>
#include <mcnet/core/receive_batch.hpp>
#include <mcnet/core/receive_buffer.hpp>
#include <mcnet/core/sctp_options.hpp>
#include <mcnet/core/socket.hpp>
#include <mcnet/core/socket_ops.hpp>
#include <mcnet/core/socket_options.hpp>
#include <mcnet/core/sockopt.hpp>
#include <mcnet/core/stream.hpp>
#include <mcnet/core/sysctl.hpp>
#include <mcnet/core/tcp_info.hpp>
#include <mcnet/core/tcp_options.hpp>
#include <mcnet/core/udp_options.hpp>
#include <mcnet/core/unique_fd.hpp>
#include <mcnet/core/unix_address.hpp>
#include <mcnet/core/unix_socket.hpp>
#include <mcnet/core/uring_receiver.hpp>
#include <mcnet/core/wait_policy.hpp>
#include <mcnet/core/zerocopy.hpp>
