// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <mcnet/ipv6/raw_conn.hpp>

#include <netinet/in.h>

namespace mcnet::ipv6 {

result<raw_conn> raw_conn::open(int protocol) noexcept {
  auto s = core::socket::open(AF_INET6, SOCK_RAW, protocol);
  if (!s) return fail(s.error());
  return raw_conn(std::move(*s));
}

result<void> raw_conn::set_checksum_offset(int offset) noexcept {
  if (offset < -1 || (offset >= 0 && offset % 2 != 0)) {
    return fail(error(errc::value_out_of_range, "setsockopt", "IPV6_CHECKSUM")
                    .with_number(offset)
                    .with_hint("an even byte offset into the payload, or -1 for none"));
  }
  return core::set(s_, opt::checksum_offset, offset);
}

result<int> raw_conn::checksum_offset() const noexcept { return core::get(s_, opt::checksum_offset); }

result<void> raw_conn::set_icmp_filter(const icmp6_type_filter& filter) noexcept {
  return core::set(s_, opt::icmp6_type_filter_option, filter);
}

result<icmp6_type_filter> raw_conn::icmp_filter() const noexcept {
  return core::get(s_, opt::icmp6_type_filter_option);
}

}  // namespace mcnet::ipv6
