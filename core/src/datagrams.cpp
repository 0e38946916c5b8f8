// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// check_segmentation: the kernel's refusals of a UDP_SEGMENT send, said
// before the call with what to change (udp_send_skb and ip_make_skb in
// net/ipv4/udp.c, udp_v6_send_skb in net/ipv6/udp.c).

#include <mcnet/core/datagrams.hpp>

namespace mcnet::core {
namespace {

error refused(std::size_t number, std::string_view hint) noexcept {
  error e(errc::value_out_of_range, "sendmsg", "UDP_SEGMENT");
  e.with_number(static_cast<std::int64_t>(number)).with_hint(hint);
  return e;
}

}  // namespace

result<std::size_t> check_segmentation(std::size_t payload_size, std::size_t segment_size, bool ipv6) noexcept {
  if (segment_size == 0) {
    return fail(refused(0, "a segment size of 0 turns segmentation off: give the size of each datagram"));
  }
  if (segment_size > 65535) {
    return fail(refused(segment_size, "the segment size is a u16: at most 65535 bytes, and each segment must fit "
                                      "the route's MTU with its headers"));
  }
  if (segment_size > payload_size) {
    return fail(refused(segment_size, "the segment size {number} is larger than the payload: the kernel would send "
                                      "it as one datagram; send it without UDP_SEGMENT"));
  }
  if (payload_size > (ipv6 ? max_udp_payload_v6 : max_udp_payload_v4)) {
    return fail(refused(payload_size, ipv6 ? "a UDP_SEGMENT payload is one UDP datagram to the stack: at most 65527 "
                                             "bytes over IPv6 ({number} given; the kernel says EMSGSIZE)"
                                           : "a UDP_SEGMENT payload is one UDP datagram to the stack: at most 65507 "
                                             "bytes over IPv4 ({number} given; the kernel says EMSGSIZE)"));
  }
  const std::size_t segments = (payload_size + segment_size - 1) / segment_size;
  if (segments > udp_max_segments) {
    return fail(refused(segments, "{number} segments: the kernel cuts at most UDP_MAX_SEGMENTS (128; 64 on older "
                                  "kernels) datagrams out of one send (EINVAL): send fewer per buffer"));
  }
  return segments;
}

}  // namespace mcnet::core
