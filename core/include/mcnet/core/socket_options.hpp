// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// Level SOL_SOCKET: options that apply to every socket. socket(7).
/// One line per option; grepping a kernel spelling lands on exactly one
/// descriptor. Use with `mcnet::core::get` / `mcnet::core::set`.

#include <mcnet/core/cxx20.hpp>  // first: C++20 or one clear error

#include <linux/net_tstamp.h>
#include <sys/socket.h>

#include <climits>
#include <tuple>

#include <mcnet/core/codecs.hpp>
#include <mcnet/core/sockopt.hpp>

// Older libc headers may lack the busy-poll options (Linux 5.11).
#ifndef SO_PREFER_BUSY_POLL
/// SO_PREFER_BUSY_POLL's number (include/uapi/asm-generic/socket.h, Linux 5.11), for C
/// libraries whose headers lack it.
#define SO_PREFER_BUSY_POLL 69
#endif
#ifndef SO_BUSY_POLL_BUDGET
/// SO_BUSY_POLL_BUDGET's number (Linux 5.11), for C libraries whose headers lack it.
#define SO_BUSY_POLL_BUDGET 70
#endif

namespace mcnet::core::opt {

/// `SO_REUSEADDR`: allow bind to an address in TIME_WAIT, and several UDP
/// sockets on one multicast port. Set before bind. socket(7).
inline constexpr sockopt<bool_codec> reuse_address{SOL_SOCKET, SO_REUSEADDR, "SO_REUSEADDR"};
/// `SO_REUSEPORT`: several sockets bind the same address and port; the kernel
/// spreads unicast among them and gives multicast to all. Set before bind.
inline constexpr sockopt<bool_codec> reuse_port{SOL_SOCKET, SO_REUSEPORT, "SO_REUSEPORT"};
/// `SO_RCVBUF`: receive buffer in bytes, 0 to INT_MAX. The kernel doubles
/// the value set (bookkeeping overhead) and clamps it at net.core.rmem_max;
/// a value below its minimum, 0 included, gives the minimum (SOCK_MIN_RCVBUF:
/// 2304 bytes read back on x86-64), a clamp like the maximum's. A negative
/// size, which the kernel would take as a huge one (clamped to the
/// maximum), is errc::value_out_of_range before the call. See
/// `set_receive_buffer` for the size granted and why. socket(7).
inline constexpr sockopt<ranged_int_codec<0, INT_MAX>> receive_buffer{SOL_SOCKET, SO_RCVBUF, "SO_RCVBUF",
                                                                      read_back::doubled};
/// `SO_SNDBUF`: send buffer in bytes, 0 to INT_MAX; doubled by the kernel,
/// clamped at net.core.wmem_max and at its minimum (SOCK_MIN_SNDBUF) as
/// SO_RCVBUF; negative is errc::value_out_of_range before the call.
inline constexpr sockopt<ranged_int_codec<0, INT_MAX>> send_buffer{SOL_SOCKET, SO_SNDBUF, "SO_SNDBUF",
                                                                   read_back::doubled};
/// `SO_RCVBUFFORCE`: as SO_RCVBUF (0 to INT_MAX, negative refused before the
/// call) but ignores net.core.rmem_max. Needs CAP_NET_ADMIN. Write-only:
/// read the result with `receive_buffer`.
inline constexpr sockopt<ranged_int_codec<0, INT_MAX>, access::write_only> receive_buffer_force{
    SOL_SOCKET, SO_RCVBUFFORCE, "SO_RCVBUFFORCE", read_back::not_readable, needs::privilege};
/// `SO_SNDBUFFORCE`: as SO_SNDBUF (0 to INT_MAX, negative refused before the
/// call) but ignores net.core.wmem_max. Needs CAP_NET_ADMIN. Write-only.
inline constexpr sockopt<ranged_int_codec<0, INT_MAX>, access::write_only> send_buffer_force{
    SOL_SOCKET, SO_SNDBUFFORCE, "SO_SNDBUFFORCE", read_back::not_readable, needs::privilege};
/// `SO_BINDTODEVICE`: only traffic of this interface; an empty name unbinds.
/// Since Linux 5.7 an unbound socket may set it without CAP_NET_RAW.
inline constexpr sockopt<interface_name_codec> bind_to_device{SOL_SOCKET, SO_BINDTODEVICE, "SO_BINDTODEVICE",
                                                              read_back::equal, needs::interface};
/// `SO_BROADCAST`: allow sending to broadcast addresses.
inline constexpr sockopt<bool_codec> broadcast{SOL_SOCKET, SO_BROADCAST, "SO_BROADCAST"};
/// `SO_PRIORITY`: the queueing priority of outgoing packets (skb->priority);
/// 0 to 6 without CAP_NET_ADMIN.
inline constexpr sockopt<int_codec> priority{SOL_SOCKET, SO_PRIORITY, "SO_PRIORITY"};
/// `SO_MARK`: the fwmark of outgoing packets, for policy routing and
/// netfilter. Needs CAP_NET_ADMIN (or CAP_NET_RAW).
inline constexpr sockopt<uint32_codec> mark{SOL_SOCKET, SO_MARK, "SO_MARK", read_back::equal, needs::privilege};
/// `SO_TIMESTAMPNS`: a struct timespec receive timestamp as a control message
/// on every datagram (software, taken when the kernel queued it).
inline constexpr sockopt<bool_codec> timestamp_ns{SOL_SOCKET, SO_TIMESTAMPNS, "SO_TIMESTAMPNS"};
/// `SO_TIMESTAMPING`: SOF_TIMESTAMPING_* flags choosing software and
/// hardware timestamps (hardware needs the NIC's own switch, SIOCSHWTSTAMP).
/// See Documentation/networking/timestamping.rst.
inline constexpr sockopt<timestamping_codec> timestamping{SOL_SOCKET, SO_TIMESTAMPING, "SO_TIMESTAMPING"};
/// `SO_RXQ_OVFL`: the socket's cumulative count of datagrams dropped for lack
/// of buffer space, as a u32 control message on each datagram.
inline constexpr sockopt<bool_codec> receive_queue_overflow{SOL_SOCKET, SO_RXQ_OVFL, "SO_RXQ_OVFL"};
/// `SO_BUSY_POLL`: microseconds to busy-poll the device queue on a blocking
/// read. Raising it above net.core.busy_read needs CAP_NET_ADMIN.
inline constexpr sockopt<int_codec> busy_poll{SOL_SOCKET, SO_BUSY_POLL, "SO_BUSY_POLL", read_back::equal,
                                              needs::privilege};
/// `SO_PREFER_BUSY_POLL` (Linux 5.11): prefer busy polling over softirq
/// processing. Turning it on needs CAP_NET_ADMIN.
inline constexpr sockopt<bool_codec> prefer_busy_poll{SOL_SOCKET, SO_PREFER_BUSY_POLL, "SO_PREFER_BUSY_POLL",
                                                      read_back::equal, needs::privilege | needs::kernel_support};
/// `SO_BUSY_POLL_BUDGET` (Linux 5.11): packets per busy-poll round, 0 to
/// 65535 (outside: errc::value_out_of_range before the call, where the
/// kernel says EINVAL); raising it needs CAP_NET_ADMIN. Write-only: the
/// kernel has no getsockopt for it (ENOPROTOOPT).
inline constexpr sockopt<ranged_int_codec<0, 65535>, access::write_only> busy_poll_budget{
    SOL_SOCKET, SO_BUSY_POLL_BUDGET, "SO_BUSY_POLL_BUDGET", read_back::not_readable,
    needs::privilege | needs::kernel_support};
/// `SO_INCOMING_NAPI_ID`: the NAPI id of the queue the last packet came from
/// (0 before any, or on virtual devices). Read-only.
inline constexpr sockopt<uint32_codec, access::read_only> incoming_napi_id{SOL_SOCKET, SO_INCOMING_NAPI_ID,
                                                                   "SO_INCOMING_NAPI_ID"};
/// `SO_INCOMING_CPU`: the CPU that processed the last packet (-1 before any);
/// setting it steers SO_REUSEPORT groups.
inline constexpr sockopt<int_codec> incoming_cpu{SOL_SOCKET, SO_INCOMING_CPU, "SO_INCOMING_CPU"};
/// `SO_ERROR`: the pending socket error, cleared by reading. Read-only.
inline constexpr sockopt<errno_codec, access::read_only> pending_error{SOL_SOCKET, SO_ERROR, "SO_ERROR"};
/// `SO_TYPE`: SOCK_DGRAM, SOCK_STREAM, SOCK_RAW. Read-only.
inline constexpr sockopt<int_codec, access::read_only> socket_type{SOL_SOCKET, SO_TYPE, "SO_TYPE"};
/// `SO_DOMAIN`: AF_INET, AF_INET6, ... Read-only.
inline constexpr sockopt<int_codec, access::read_only> socket_domain{SOL_SOCKET, SO_DOMAIN, "SO_DOMAIN"};
/// `SO_PROTOCOL`: IPPROTO_UDP, IPPROTO_TCP, ... Read-only.
inline constexpr sockopt<int_codec, access::read_only> socket_protocol{SOL_SOCKET, SO_PROTOCOL, "SO_PROTOCOL"};
/// `SO_MEMINFO`: the socket's memory accounting, including the cumulative
/// count of datagrams dropped for lack of buffer space (also there when no
/// datagram carried SO_RXQ_OVFL since). Read-only.
inline constexpr sockopt<socket_memory_codec, access::read_only> memory_info{SOL_SOCKET, SO_MEMINFO, "SO_MEMINFO"};
/// `SO_ATTACH_FILTER`: attach a classic BPF program; only packets it accepts
/// are queued. Write-only (getsockopt of this name is SO_GET_FILTER).
inline constexpr sockopt<bpf_program_codec, access::write_only> attach_filter{SOL_SOCKET, SO_ATTACH_FILTER,
                                                                      "SO_ATTACH_FILTER"};
/// `SO_DETACH_FILTER`: remove the attached filter; ENOENT when none is attached.
inline constexpr sockopt<no_value_codec, access::write_only> detach_filter{SOL_SOCKET, SO_DETACH_FILTER, "SO_DETACH_FILTER"};

/// `SO_KEEPALIVE`: send keepalive probes on an idle connection (TCP; the
/// timing is TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT). socket(7), tcp(7).
inline constexpr sockopt<bool_codec> keep_alive{SOL_SOCKET, SO_KEEPALIVE, "SO_KEEPALIVE"};
/// `SO_LINGER`: whether close(2) waits, up to a number of whole seconds, for
/// unsent data (`core::linger`; on with 0 s resets the connection). A
/// negative time is errc::value_out_of_range before the call. socket(7).
inline constexpr sockopt<linger_codec> linger{SOL_SOCKET, SO_LINGER, "SO_LINGER"};
/// `SO_RCVTIMEO`: how long a blocking receive waits before EAGAIN, in
/// microseconds (0: no limit); the kernel rounds it up to its clock tick
/// (1/HZ s). A negative time is errc::value_out_of_range before the call
/// (the kernel would take it as 0). A read-back longer than
/// `microseconds::max()` (the kernel's rounding of that very value, or a
/// raw setsockopt of more) is `microseconds::max()` (timeval_codec).
/// mcnet's own reads wait as their wait_policy says and ignore it. socket(7).
inline constexpr sockopt<timeval_codec> receive_timeout{SOL_SOCKET, SO_RCVTIMEO, "SO_RCVTIMEO"};
/// `SO_SNDTIMEO`: how long a blocking send waits for buffer space, as
/// SO_RCVTIMEO. socket(7).
inline constexpr sockopt<timeval_codec> send_timeout{SOL_SOCKET, SO_SNDTIMEO, "SO_SNDTIMEO"};
/// `SO_OOBINLINE`: TCP urgent data stays in the normal stream instead of
/// MSG_OOB. socket(7), tcp(7).
inline constexpr sockopt<bool_codec> out_of_band_inline{SOL_SOCKET, SO_OOBINLINE, "SO_OOBINLINE"};
/// `SO_DONTROUTE`: send only to directly connected hosts, ignoring the
/// gateways of the routing table (as MSG_DONTROUTE per send). socket(7).
inline constexpr sockopt<bool_codec> dont_route{SOL_SOCKET, SO_DONTROUTE, "SO_DONTROUTE"};
/// `SO_RCVLOWAT`: bytes a stream receive waits for before it returns (and
/// poll reports readable), 1 to INT_MAX. 0 and negative values are
/// errc::value_out_of_range before the call (the kernel turns 0 into 1 and a
/// negative value into INT_MAX). On TCP the kernel clamps the value to half
/// the largest receive buffer the socket may have (tcp_set_rcvlowat):
/// net.ipv4.tcp_rmem's maximum, or SO_RCVBUF once that is set (INT_MAX
/// reads back 16777216 with a tcp_rmem maximum of 33554432); and while
/// SO_RCVBUF is not set it raises the receive buffer so that the mark can
/// be reached (SO_RCVBUF reads back 33554432 after INT_MAX there). The
/// value that reads back is the one in force. Other sockets (Unix) keep
/// the value as set. socket(7), tcp(7).
inline constexpr sockopt<ranged_int_codec<1, INT_MAX>> receive_low_water{SOL_SOCKET, SO_RCVLOWAT, "SO_RCVLOWAT"};
/// `SO_PEERCRED`: the pid, uid and gid of the process at the other end of a
/// connected Unix socket (`core::peer_credentials`), as of its connect(2) or
/// socketpair(2). Read-only. A socket with no peer (an unconnected Unix
/// socket, a TCP or UDP socket), which the kernel answers with pid 0 and
/// uid and gid (uid_t)-1, is ENOTCONN. unix(7).
inline constexpr sockopt<peer_credentials_codec, access::read_only> peer_credentials{
    SOL_SOCKET, SO_PEERCRED, "SO_PEERCRED", read_back::not_writable, needs::connected};
/// `SO_PASSCRED`: receive SCM_CREDENTIALS control messages on a Unix
/// socket. unix(7).
inline constexpr sockopt<bool_codec> pass_credentials{SOL_SOCKET, SO_PASSCRED, "SO_PASSCRED"};
/// `SO_ZEROCOPY` (Linux 4.14; UDP since 5.0): allow MSG_ZEROCOPY sends
/// (core::send_zerocopy), whose completions arrive on the error queue
/// (core::read_zerocopy_completions). TCP and UDP sockets only: EOPNOTSUPP
/// on others (the hint says the option does not apply to the socket's
/// type). Documentation/networking/msg_zerocopy.rst.
inline constexpr sockopt<bool_codec> zerocopy{SOL_SOCKET, SO_ZEROCOPY, "SO_ZEROCOPY", read_back::equal,
                                              needs::kernel_support};

/// Every SOL_SOCKET descriptor, for tools that list a socket's options and
/// for the tests that walk the table.
inline constexpr auto sol_socket_table =
    std::tie(reuse_address, reuse_port, receive_buffer, send_buffer, receive_buffer_force, send_buffer_force,
             bind_to_device, broadcast, priority, mark, timestamp_ns, timestamping, receive_queue_overflow,
             busy_poll, prefer_busy_poll, busy_poll_budget, incoming_napi_id, incoming_cpu, pending_error,
             socket_type, socket_domain, socket_protocol, memory_info, attach_filter, detach_filter, keep_alive,
             linger, receive_timeout, send_timeout, out_of_band_inline, dont_route, receive_low_water,
             peer_credentials, pass_credentials, zerocopy);

}  // namespace mcnet::core::opt
