// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors

#include <mcnet/core/sctp_options.hpp>

#include <cerrno>

namespace mcnet::core {

result<socket> open_sctp(int family, sctp_style style) noexcept {
  if (family != AF_INET && family != AF_INET6) {
    return fail(error(errc::family_mismatch, "socket", "IPPROTO_SCTP")
                    .with_number(family)
                    .with_hint("SCTP sockets are AF_INET or AF_INET6"));
  }
  const int type = style == sctp_style::one_to_one ? SOCK_STREAM : SOCK_SEQPACKET;
  auto s = socket::open(family, type, IPPROTO_SCTP);
  // Without SCTP the kernel knows no handler for the pair: EPROTONOSUPPORT
  // for SOCK_STREAM, ESOCKTNOSUPPORT for SOCK_SEQPACKET (no other IPv4/IPv6
  // protocol serves that type).
  const auto missing = [](const error& e) noexcept {
    return e.code == std::errc::protocol_not_supported ||
           e.code == std::error_code(ESOCKTNOSUPPORT, std::system_category());
  };
  if (!s && missing(s.error())) {
    auto e = s.error();
    e.what = "IPPROTO_SCTP";
    return fail(e.with_hint("this kernel has no SCTP: load the sctp module (modprobe sctp; CONFIG_IP_SCTP)"));
  }
  return s;
}

}  // namespace mcnet::core
