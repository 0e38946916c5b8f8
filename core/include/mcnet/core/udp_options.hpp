// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// Level SOL_UDP: the segmentation offload options of udp(7), one
/// descriptor per option (`core::opt::udp_*`, listed in `opt::udp_table`).
/// Use with `mcnet::core::get` / `mcnet::core::set`. The per-message forms
/// and the splitting of coalesced reads are in <mcnet/core/datagrams.hpp>.

#include <mcnet/core/cxx20.hpp>  // first: C++20 or one clear error

#include <netinet/udp.h>
#include <sys/socket.h>

#include <tuple>

#include <mcnet/core/codecs.hpp>
#include <mcnet/core/sockopt.hpp>

namespace mcnet::core::opt {

/// `UDP_SEGMENT` (udp(7), Linux 4.18): the segment size in bytes, 1 to
/// 65535, for every send of the socket (0: off, the default). The kernel
/// cuts each send's payload into datagrams of that size (the last may be
/// shorter), each with its own UDP and IP header, after one pass through
/// the stack; a `UDP_SEGMENT` control message overrides it per send
/// (core::cmsg_writer::append_segment_size). A send fails later, not here,
/// when a segment and its headers exceed the route's MTU (EMSGSIZE) or the
/// payload holds more than the kernel's UDP_MAX_SEGMENTS segments (EINVAL:
/// core::udp_max_segments). Outside 0 to 65535: errc::value_out_of_range
/// before the call (the kernel says EINVAL). UDP sockets only (ENOPROTOOPT on others).
inline constexpr sockopt<ranged_int_codec<0, 65535>> udp_segment{SOL_UDP, UDP_SEGMENT, "UDP_SEGMENT",
                                                                 read_back::equal, needs::kernel_support};
/// `UDP_GRO` (udp(7), Linux 5.0): accept coalesced reads. On, the kernel may
/// hand one read several datagrams of one flow back to back, with a
/// `UDP_GRO` control message giving their size (decode cmsg::segment_size
/// and split with core::datagrams); the buffer must then hold a whole
/// coalesced read (65535 bytes), or the datagrams past its end are lost
/// with MSG_TRUNC. Off (the default), every read is one datagram. Any
/// non-zero int turns it on; it reads back as 1. UDP sockets only.
inline constexpr sockopt<bool_codec> udp_gro{SOL_UDP, UDP_GRO, "UDP_GRO", read_back::equal, needs::kernel_support};

/// Every SOL_UDP descriptor, for tools that list a socket's options and for
/// the tests that walk the table.
inline constexpr auto udp_table = std::tie(udp_segment, udp_gro);

}  // namespace mcnet::core::opt
