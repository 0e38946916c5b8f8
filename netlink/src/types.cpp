// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <mcnet/netlink/types.hpp>

#include <linux/if_addr.h>
#include <net/if.h>

namespace mcnet::netlink {

bool link::is_up() const noexcept { return (flags & IFF_UP) != 0; }
// IFF_LOWER_UP (1 << 16) is in linux/if.h, which clashes with net/if.h.
bool link::has_carrier() const noexcept { return (flags & (1u << 16)) != 0; }
bool link::is_multicast() const noexcept { return (flags & IFF_MULTICAST) != 0; }
bool link::is_loopback() const noexcept { return (flags & IFF_LOOPBACK) != 0; }

core::interface_ref link::ref() const noexcept {
  auto n = core::interface_name::make(name);
  return {index, n ? *n : core::interface_name{}};
}

bool address::tentative() const noexcept { return (flags & IFA_F_TENTATIVE) != 0; }
bool address::deprecated() const noexcept { return (flags & IFA_F_DEPRECATED) != 0; }
bool address::dad_failed() const noexcept { return (flags & IFA_F_DADFAILED) != 0; }
std::string_view address::label_text() const noexcept {
  std::size_t n = 0;
  while (n < label.size() && label[n] != '\0') ++n;
  return {label.data(), n};
}

bool address::usable() const noexcept { return !tentative() && !dad_failed(); }

}  // namespace mcnet::netlink
