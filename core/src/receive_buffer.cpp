// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <mcnet/core/receive_buffer.hpp>

#include <cerrno>
#include <climits>

#include <mcnet/core/socket_options.hpp>
#include <mcnet/core/sysctl.hpp>

namespace mcnet::core {

std::string buffer_grant::hint() const {
  if (!clamped()) return {};
  std::string out = "SO_RCVBUF " + std::to_string(requested) + " was clamped to " + std::to_string(effective());
  if (rmem_max) {
    out += " by net.core.rmem_max=" + std::to_string(*rmem_max);
  }
  out += "; raise it with `sysctl -w net.core.rmem_max=" + std::to_string(requested) +
         "` (on the host: it is read-only inside a network namespace) or use SO_RCVBUFFORCE (CAP_NET_ADMIN)";
  return out;
}

result<buffer_grant> set_receive_buffer(socket_ref s, std::int64_t bytes, buffer_request how) noexcept {
  if (bytes < 0 || bytes > INT_MAX / 2) {
    return fail(error(errc::value_out_of_range, "setsockopt", "SO_RCVBUF")
                    .with_number(bytes)
                    .with_hint("a receive buffer is 0 to 1073741823 bytes"));
  }
  const int value = static_cast<int>(bytes);
  buffer_grant grant;
  grant.requested = bytes;

  if (how != buffer_request::normal) {
    auto forced = set(s, opt::receive_buffer_force, value);
    if (forced) {
      grant.forced = true;
    } else if (how == buffer_request::force || forced.error().code != std::errc::operation_not_permitted) {
      return fail(forced.error());
    }
  }
  if (!grant.forced) {
    if (auto r = set(s, opt::receive_buffer, value); !r) return fail(r.error());
  }
  auto granted = get(s, opt::receive_buffer);
  if (!granted) return fail(granted.error());
  grant.granted = *granted;
  if (auto limit = read_sysctl("net.core.rmem_max")) grant.rmem_max = *limit;
  return grant;
}

}  // namespace mcnet::core
