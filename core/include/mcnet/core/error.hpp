// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// The error model: every fallible call returns `mcnet::result<T>`, which holds
/// either a value or an `mcnet::error`. Making an error never allocates; the
/// text is built only when `error::message()` is called.

#include <mcnet/core/cxx20.hpp>  // first: C++20 or one clear error

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>

#include <tl/expected.hpp>

namespace mcnet {

namespace core {
class ip_address;
}

/// mcnet's own error conditions (category "mcnet"). Kernel failures keep their
/// errno in `std::system_category`; these are for what mcnet finds itself.
/// Each compares equal to the nearest `std::errc` as well, where there is
/// one (`end_of_stream` has none: no errno means "the peer closed early").
/// New codes are added at the end, so every value keeps its number.
enum class errc : int {
  invalid_address = 1,        ///< text is not an IP address (or has a bad zone)
  invalid_endpoint,           ///< text is not ADDRESS:PORT / [V6]:PORT
  invalid_port,               ///< port missing, not a number, or out of range
  invalid_prefix,             ///< text is not ADDRESS/LENGTH, or LENGTH too large
  not_multicast,              ///< a group address that is not multicast
  family_mismatch,            ///< IPv4 and IPv6 mixed, an address of another family than the socket, or not IP
  source_not_unicast,         ///< an SSM source that is multicast or unspecified (see also source_loopback, source_v4_compatible)
  no_such_interface,          ///< interface name or index unknown
  truncated_control_message,  ///< a control message shorter than its type needs
  membership_limit,           ///< a per-socket membership limit was reached
  would_block,                ///< nonblocking call found nothing to do
  /// deadline passed before the socket was ready: the caller's own timeout.
  /// Compares equal to std::errc::timed_out, as the kernel's ETIMEDOUT (a
  /// connection the kernel gave up on, a disconnect) does too: compare with
  /// errc::timed_out itself to tell the caller's deadline.
  timed_out,
  value_out_of_range,         ///< option value the kernel would misread
  unexpected_option_size,     ///< kernel answered with a size the codec rejects
  interface_required,         ///< a link- or interface-local group needs an interface
  /// a nonblocking connect is still under way (`connect_finish` under
  /// wait_policy::nonblocking()); compares equal to
  /// std::errc::operation_in_progress, as the kernel's EINPROGRESS does
  in_progress,
  /// the peer shut down its side of a stream before a call that must fill
  /// its buffer had it filled (`read_exact`); the error's number is the
  /// count of bytes that did arrive
  end_of_stream,
  /// an SSM source that is a loopback address (127.0.0.0/8, ::1): unlike
  /// source_not_unicast's, a unicast address, but one that never sends
  /// multicast on a link (the tools refuse such a spec: trial h16x L6,
  /// issue #16); compares equal to std::errc::invalid_argument
  source_loopback,
  /// an SSM source that is an IPv4-compatible IPv6 address (::/96 but ::
  /// and ::1: ::10.77.0.1), which RFC 4291 2.5.5.1 deprecates: no host sends
  /// from one (trial t16z); compares equal to std::errc::invalid_argument
  source_v4_compatible,
};

/// The enumerator's own spelling ("not_multicast", "family_mismatch"): a
/// stable name for scripts and logs (the tools' JSON `error` events carry it
/// as `code`), where `std::error_code::message()` is prose that may change.
/// "" for a value that is not an `errc`.
[[nodiscard]] std::string_view name(errc e) noexcept;

/// The category of `mcnet::errc`; its name is "mcnet".
[[nodiscard]] const std::error_category& error_category() noexcept;

/// ADL hook that lets `std::error_code ec = mcnet::errc::not_multicast;` work.
[[nodiscard]] inline std::error_code make_error_code(errc e) noexcept {
  return {static_cast<int>(e), error_category()};
}

/// What went wrong, where, and what to do about it.
///
/// `code` is the errno (system category) for kernel failures and an
/// `mcnet::errc` otherwise, so `err.code == std::errc::no_buffer_space` works.
/// `op` and `what` are static strings: the operation ("setsockopt", "parse")
/// and its object (the option's kernel spelling, "IP address"). A small fixed
/// payload (input text, address, source, interface index, number, hint) feeds
/// `message()`; nothing here allocates.
class error {
 public:
  /// Longest input text kept; longer input is cut and marked with "...".
  static constexpr std::size_t input_capacity = 63;

  std::error_code code;   ///< the errno (system category) or errc (mcnet category)
  std::string_view op;    ///< static: "setsockopt", "bind", "parse"
  std::string_view what;  ///< static: "SO_RCVBUF", "IP address"

  /// An empty error (no code, no operation, no object).
  error() noexcept = default;
  /// An error with `c` for the operation `operation` on `object`; both strings must be static
  /// (they are kept as views).
  error(std::error_code c, std::string_view operation, std::string_view object) noexcept
      : code(c), op(operation), what(object) {}
  /// As above, with an mcnet errc in mcnet's error category.
  error(errc c, std::string_view operation, std::string_view object) noexcept
      : code(make_error_code(c)), op(operation), what(object) {}

  /// An error for a failed system call: `code` is `err` in the system category.
  [[nodiscard]] static error from_errno(int err, std::string_view operation,
                                        std::string_view object) noexcept {
    return {std::error_code(err, std::system_category()), operation, object};
  }

  /// Attach a static hint saying what to do. The text may contain `{number}`,
  /// `{interface}` and `{source}`, replaced by the payload in `message()`.
  error& with_hint(std::string_view static_hint) noexcept {
    hint_ = static_hint;
    return *this;
  }
  /// Attach a copy of the offending input (cut at `input_capacity`).
  error& with_input(std::string_view text) noexcept;
  /// Attach an address (and optionally a port) the error is about.
  error& with_address(const core::ip_address& address) noexcept;
  /// Attach the port the error is about (with_address's address, `message()` shows "port N").
  error& with_port(std::uint16_t port) noexcept {
    port_ = port;
    has_port_ = true;
    return *this;
  }
  /// Attach the source address the error is about (an SSM or filter
  /// source): `message()` names it "source ...", apart from the group or
  /// address of `with_address`. A hint may say `{source}`.
  error& with_source(const core::ip_address& source) noexcept;
  /// Attach the interface index the error is about.
  error& with_interface(std::uint32_t index) noexcept {
    ifindex_ = index;
    has_ifindex_ = true;
    return *this;
  }
  /// Attach a number (a sysctl's current value, a size, a count).
  error& with_number(std::int64_t value) noexcept {
    number_ = value;
    has_number_ = true;
    return *this;
  }

  /// The hint attached with with_hint, placeholders not replaced (empty when none).
  [[nodiscard]] std::string_view hint() const noexcept { return hint_; }
  /// The input attached with with_input (at most input_capacity bytes).
  [[nodiscard]] std::string_view input() const noexcept { return {input_.data(), input_len_}; }
  /// Whether the attached input was cut at input_capacity.
  [[nodiscard]] bool input_truncated() const noexcept { return input_truncated_; }
  /// The address attached with with_address, if any.
  [[nodiscard]] std::optional<core::ip_address> address() const noexcept;
  /// The source attached with with_source, if any.
  [[nodiscard]] std::optional<core::ip_address> source() const noexcept;
  /// The port attached with with_port, if any.
  [[nodiscard]] std::optional<std::uint16_t> port() const noexcept {
    return has_port_ ? std::optional<std::uint16_t>(port_) : std::nullopt;
  }
  /// The interface index attached with with_interface, if any.
  [[nodiscard]] std::optional<std::uint32_t> interface_index() const noexcept {
    return has_ifindex_ ? std::optional<std::uint32_t>(ifindex_) : std::nullopt;
  }
  /// The number attached with with_number, if any.
  [[nodiscard]] std::optional<std::int64_t> number() const noexcept {
    return has_number_ ? std::optional<std::int64_t>(number_) : std::nullopt;
  }

  /// The whole story in one line, e.g.
  /// `setsockopt SO_MARK: Operation not permitted: SO_MARK needs CAP_NET_ADMIN`.
  /// The only member that allocates.
  [[nodiscard]] std::string message() const;

 private:
  // An address kept without ip_address's constructors, so that error stays
  // trivially copyable.
  struct stored_address {
    std::array<std::uint8_t, 16> bytes{};
    std::uint32_t scope = 0;
    std::uint8_t family = 0;  // 0: none, 4, 6
    void store(const core::ip_address& a) noexcept;
    [[nodiscard]] std::optional<core::ip_address> load() const noexcept;
  };

  std::string_view hint_;
  std::int64_t number_ = 0;
  stored_address address_{};
  stored_address source_{};
  std::uint32_t ifindex_ = 0;
  std::uint16_t port_ = 0;
  std::uint8_t input_len_ = 0;
  bool input_truncated_ = false;
  bool has_port_ = false;
  bool has_ifindex_ = false;
  bool has_number_ = false;
  std::array<char, input_capacity> input_{};
};

static_assert(std::is_trivially_copyable_v<error>, "an error is copied freely; keep it trivial");

/// Whether trying the same call again later may succeed without changing
/// anything: errc::would_block, errc::timed_out, errc::in_progress, and the
/// kernel's EAGAIN, EINTR, EINPROGRESS, EALREADY, ENOBUFS and ENOMEM (socket(7):
/// a momentary lack of buffer memory). Everything else (ECONNREFUSED,
/// ECONNRESET, EPIPE, ENETUNREACH, EMSGSIZE, EADDRINUSE, errc::end_of_stream,
/// an invalid argument, ...) needs a change first: another address, a new
/// connection, a smaller datagram, a free port.
[[nodiscard]] bool is_transient(const error& e) noexcept;

/// Whether the error says that a connection is gone and the socket is of no
/// further use for it: errc::end_of_stream, and the kernel's ECONNRESET,
/// EPIPE, ECONNABORTED, ENOTCONN, ESHUTDOWN, and ETIMEDOUT in the system
/// category (TCP gave up retransmitting, tcp(7); mcnet's own
/// errc::timed_out, a deadline of the caller, is not one). Close the socket
/// and connect again.
[[nodiscard]] bool is_disconnect(const error& e) noexcept;

/// What every fallible mcnet call returns.
template <class T>
using result = tl::expected<T, error>;

/// Shorthand for `return mcnet::fail(error{...})` in functions returning result.
[[nodiscard]] inline tl::unexpected<error> fail(const error& e) noexcept { return tl::unexpected<error>(e); }

}  // namespace mcnet

template <>
struct std::is_error_code_enum<mcnet::errc> : std::true_type {};
