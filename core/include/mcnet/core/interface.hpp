// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

#include <mcnet/core/cxx20.hpp>  // first: C++20 or one clear error

#include <net/if.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <mcnet/core/error.hpp>
#include <mcnet/core/socket.hpp>

namespace mcnet::core {

/// An interface name held inline (at most IFNAMSIZ-1 = 15 bytes): what
/// SO_BINDTODEVICE takes and returns, with no allocation.
class interface_name {
 public:
  static constexpr std::size_t max_length = IFNAMSIZ - 1;  ///< 15: IFNAMSIZ less the NUL (netdevice(7))

  /// The empty name (for SO_BINDTODEVICE: unbind).
  constexpr interface_name() noexcept = default;

  /// Errors: errc::value_out_of_range when `name` is longer than 15 bytes
  /// (the kernel would cut it), or contains '/', a blank or a NUL.
  [[nodiscard]] static result<interface_name> make(std::string_view name) noexcept;

  /// The name, without its NUL.
  [[nodiscard]] constexpr std::string_view view() const noexcept { return {chars_.data(), size_}; }
  /// The name, NUL-terminated, for C calls.
  [[nodiscard]] constexpr const char* c_str() const noexcept { return chars_.data(); }
  /// Length in bytes (0 to 15).
  [[nodiscard]] constexpr std::size_t size() const noexcept { return size_; }
  /// Whether the name is empty.
  [[nodiscard]] constexpr bool empty() const noexcept { return size_ == 0; }

  /// Equal when the bytes are.
  friend constexpr bool operator==(const interface_name& a, const interface_name& b) noexcept {
    return a.view() == b.view();
  }

 private:
  std::array<char, IFNAMSIZ> chars_{};
  std::size_t size_ = 0;
};

/// An interface as the socket layer needs it: its index, and its name for
/// messages. ipv4 and ipv6 take this; netlink values convert to it.
/// Index 0 means "let the kernel choose".
struct interface_ref {
  std::uint32_t index = 0;  ///< kernel interface index (if_nametoindex(3)); 0: the kernel chooses
  interface_name name{};    ///< the name, for messages; may be empty

  /// The kernel's choice (index 0).
  [[nodiscard]] static constexpr interface_ref kernel_choice() noexcept { return {}; }
  /// Look `name` up in the calling thread's network namespace.
  /// Errors: errc::no_such_interface naming it.
  [[nodiscard]] static result<interface_ref> by_name(std::string_view name) noexcept;
  /// Look `index` up (to learn its name) in the calling thread's network
  /// namespace. Errors: errc::no_such_interface.
  [[nodiscard]] static result<interface_ref> by_index(std::uint32_t index) noexcept;
  /// Look `index` up in the network namespace of socket `s` (which may
  /// differ from the calling thread's). Errors: errc::no_such_interface.
  [[nodiscard]] static result<interface_ref> by_index(socket_ref s, std::uint32_t index) noexcept;

  /// Whether the index is 0 (the kernel chooses, by route).
  [[nodiscard]] constexpr bool is_kernel_choice() const noexcept { return index == 0; }
  /// Equal when index and name are.
  friend constexpr bool operator==(const interface_ref&, const interface_ref&) noexcept = default;
};

}  // namespace mcnet::core
