// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <mcnet/core/interface.hpp>

#include <algorithm>

#include "sys/calls.hpp"

namespace mcnet::core {

result<interface_name> interface_name::make(std::string_view name) noexcept {
  if (name.size() > max_length) {
    return fail(error(errc::value_out_of_range, "make", "interface_name")
                    .with_input(name)
                    .with_hint("an interface name has at most 15 bytes (longer names are altnames; use the index)"));
  }
  if (std::any_of(name.begin(), name.end(), [](char c) { return c == '/' || c == '\0' || c == ' ' || c == ':'; })) {
    return fail(error(errc::value_out_of_range, "make", "interface_name")
                    .with_input(name)
                    .with_hint("an interface name cannot contain '/', ':', a blank or a NUL"));
  }
  interface_name n;
  std::copy(name.begin(), name.end(), n.chars_.begin());
  n.size_ = name.size();
  return n;
}

result<interface_ref> interface_ref::by_name(std::string_view name) noexcept {
  auto n = interface_name::make(name);
  if (!n) return fail(n.error());
  auto index = sys::interface_index(name);
  if (!index) return fail(index.error());
  return interface_ref{*index, *n};
}

result<interface_ref> interface_ref::by_index(std::uint32_t index) noexcept {
  std::array<char, IFNAMSIZ> buf{};
  auto length = sys::interface_name(index, buf.data());
  if (!length) return fail(length.error());
  auto n = interface_name::make(std::string_view(buf.data(), *length));
  if (!n) return fail(n.error());
  return interface_ref{index, *n};
}

result<interface_ref> interface_ref::by_index(socket_ref s, std::uint32_t index) noexcept {
  std::array<char, IFNAMSIZ> buf{};
  auto length = sys::interface_name_of_socket(s.native_handle(), index, buf.data());
  if (!length) return fail(length.error());
  auto n = interface_name::make(std::string_view(buf.data(), *length));
  if (!n) return fail(n.error());
  return interface_ref{index, *n};
}

}  // namespace mcnet::core
