// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <mcnet/core/error.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <charconv>

#include <mcnet/core/ip_address.hpp>

namespace mcnet {
namespace {

class category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "mcnet"; }

  std::string message(int value) const override {
    switch (static_cast<errc>(value)) {
      case errc::invalid_address: return "not an IP address";
      case errc::invalid_endpoint: return "not an endpoint (ADDRESS:PORT or [IPV6]:PORT)";
      case errc::invalid_port: return "not a valid port";
      case errc::invalid_prefix: return "not a prefix (ADDRESS/LENGTH)";
      case errc::not_multicast: return "not a multicast address";
      case errc::family_mismatch: return "address families differ";
      case errc::source_not_unicast: return "source is not a unicast address";
      case errc::no_such_interface: return "no such interface";
      case errc::truncated_control_message: return "truncated control message";
      case errc::membership_limit: return "membership limit reached";
      case errc::would_block: return "operation would block";
      case errc::timed_out: return "timed out";
      case errc::value_out_of_range: return "value out of range";
      case errc::unexpected_option_size: return "kernel returned an option of unexpected size";
      case errc::interface_required: return "an interface is required";
      case errc::in_progress: return "operation in progress";
      case errc::end_of_stream: return "the peer closed the stream";
      case errc::source_loopback: return "a loopback source never sends multicast on a link";
      case errc::source_v4_compatible: return "an IPv4-compatible source (::a.b.c.d) is deprecated";
    }
    return "unknown mcnet error " + std::to_string(value);
  }

  std::error_condition default_error_condition(int value) const noexcept override {
    switch (static_cast<errc>(value)) {
      case errc::invalid_address:
      case errc::invalid_endpoint:
      case errc::invalid_port:
      case errc::invalid_prefix:
      case errc::not_multicast:
      case errc::source_not_unicast:
      case errc::source_loopback:
      case errc::source_v4_compatible:
      case errc::value_out_of_range:
      case errc::interface_required: return std::errc::invalid_argument;
      case errc::family_mismatch: return std::errc::address_family_not_supported;
      case errc::no_such_interface: return std::errc::no_such_device;
      case errc::truncated_control_message:
      case errc::unexpected_option_size: return std::errc::message_size;
      case errc::membership_limit: return std::errc::no_buffer_space;
      case errc::would_block: return std::errc::operation_would_block;
      case errc::timed_out: return std::errc::timed_out;
      case errc::in_progress: return std::errc::operation_in_progress;
      case errc::end_of_stream: break;
    }
    return {value, *this};
  }
};

void append_number(std::string& out, std::int64_t n) {
  std::array<char, 24> buf{};
  auto r = std::to_chars(buf.data(), buf.data() + buf.size(), n);
  out.append(buf.data(), r.ptr);
}

// After "1": the hints' plural units read singular ("1 byte", not "1 bytes").
void singular_unit(std::string& out, std::string_view& hint) {
  for (std::string_view unit : {" bytes", " words", " CSRCs", " datagrams", " groups", " sockets", " sources"}) {
    if (!hint.starts_with(unit)) continue;
    const auto rest = hint.substr(unit.size());
    if (!rest.empty() && std::isalpha(static_cast<unsigned char>(rest.front()))) continue;
    out.append(unit.substr(0, unit.size() - 1));
    hint = rest;
    return;
  }
}

// Replace "{number}", "{interface}" and "{source}" in a static hint by the payload.
void append_hint(std::string& out, std::string_view hint, std::optional<std::int64_t> number,
                 std::optional<std::uint32_t> ifindex, const std::optional<core::ip_address>& source) {
  while (!hint.empty()) {
    auto open = hint.find('{');
    if (open == std::string_view::npos) {
      out.append(hint);
      return;
    }
    out.append(hint.substr(0, open));
    hint.remove_prefix(open);
    if (hint.starts_with("{number}") && number) {
      append_number(out, *number);
      hint.remove_prefix(8);
      if (*number == 1) singular_unit(out, hint);
    } else if (hint.starts_with("{interface}") && ifindex) {
      append_number(out, *ifindex);
      hint.remove_prefix(11);
    } else if (hint.starts_with("{source}") && source) {
      out.append(source->to_string());
      hint.remove_prefix(8);
    } else {
      out.push_back('{');
      hint.remove_prefix(1);
    }
  }
}

}  // namespace

std::string_view name(errc e) noexcept {
  switch (e) {
    case errc::invalid_address: return "invalid_address";
    case errc::invalid_endpoint: return "invalid_endpoint";
    case errc::invalid_port: return "invalid_port";
    case errc::invalid_prefix: return "invalid_prefix";
    case errc::not_multicast: return "not_multicast";
    case errc::family_mismatch: return "family_mismatch";
    case errc::source_not_unicast: return "source_not_unicast";
    case errc::no_such_interface: return "no_such_interface";
    case errc::truncated_control_message: return "truncated_control_message";
    case errc::membership_limit: return "membership_limit";
    case errc::would_block: return "would_block";
    case errc::timed_out: return "timed_out";
    case errc::value_out_of_range: return "value_out_of_range";
    case errc::unexpected_option_size: return "unexpected_option_size";
    case errc::interface_required: return "interface_required";
    case errc::in_progress: return "in_progress";
    case errc::end_of_stream: return "end_of_stream";
    case errc::source_loopback: return "source_loopback";
    case errc::source_v4_compatible: return "source_v4_compatible";
  }
  return {};
}

bool is_transient(const error& e) noexcept {
  if (e.code.category() == error_category()) {
    switch (static_cast<errc>(e.code.value())) {
      case errc::would_block:
      case errc::timed_out:
      case errc::in_progress: return true;
      default: return false;
    }
  }
  if (e.code.category() != std::system_category()) return false;
  switch (e.code.value()) {
    case EAGAIN:
#if EWOULDBLOCK != EAGAIN
    case EWOULDBLOCK:
#endif
    case EINTR:
    case EINPROGRESS:
    case EALREADY:
    case ENOBUFS:
    case ENOMEM: return true;
    default: return false;
  }
}

bool is_disconnect(const error& e) noexcept {
  if (e.code.category() == error_category()) return e.code.value() == static_cast<int>(errc::end_of_stream);
  if (e.code.category() != std::system_category()) return false;
  switch (e.code.value()) {
    case ECONNRESET:
    case EPIPE:
    case ECONNABORTED:
    case ENOTCONN:
    case ESHUTDOWN:
    case ETIMEDOUT: return true;
    default: return false;
  }
}

const std::error_category& error_category() noexcept {
  static const category instance;
  return instance;
}

error& error::with_input(std::string_view text) noexcept {
  input_truncated_ = text.size() > input_capacity;
  input_len_ = static_cast<std::uint8_t>(std::min(text.size(), input_capacity));
  std::copy_n(text.data(), input_len_, input_.data());
  return *this;
}

void error::stored_address::store(const core::ip_address& a) noexcept {
  bytes = {};
  const auto b = a.bytes();
  std::copy(b.begin(), b.end(), bytes.begin());
  scope = a.scope_id();
  family = static_cast<std::uint8_t>(a.family());
}

std::optional<core::ip_address> error::stored_address::load() const noexcept {
  if (family == 4) return core::ip_address::v4_bytes({bytes[0], bytes[1], bytes[2], bytes[3]});
  if (family == 6) return core::ip_address::v6_bytes(bytes, scope);
  return std::nullopt;
}

error& error::with_address(const core::ip_address& address) noexcept {
  address_.store(address);
  return *this;
}

error& error::with_source(const core::ip_address& source) noexcept {
  source_.store(source);
  return *this;
}

std::optional<core::ip_address> error::address() const noexcept { return address_.load(); }
std::optional<core::ip_address> error::source() const noexcept { return source_.load(); }

std::string error::message() const {
  std::string out;
  out.reserve(128);
  out.append(op);
  if (!what.empty()) {
    if (!out.empty()) out.push_back(' ');
    out.append(what);
  }
  if (input_len_ > 0) {
    out.append(" \"").append(input()).append(input_truncated_ ? "...\"" : "\"");
  }
  out.append(": ").append(code.message());

  // Details the hint does not already spell out.
  const bool hint_has_number = hint_.find("{number}") != std::string_view::npos;
  const bool hint_has_interface = hint_.find("{interface}") != std::string_view::npos;
  const bool hint_has_source = hint_.find("{source}") != std::string_view::npos;
  std::string details;
  if (auto a = address()) {
    details.append(a->is_multicast() ? "group " : "address ").append(a->to_string());
    if (has_port_) details.append(" port ").append(std::to_string(port_));
  } else if (has_port_) {
    details.append("port ").append(std::to_string(port_));
  }
  if (auto src = source(); src && !hint_has_source) {
    if (!details.empty()) details.append(", ");
    details.append("source ").append(src->to_string());
  }
  if (has_ifindex_ && !hint_has_interface) {
    if (!details.empty()) details.append(", ");
    details.append("interface index ");
    append_number(details, ifindex_);
  }
  if (has_number_ && !hint_has_number) {
    if (!details.empty()) details.append(", ");
    details.append("value ");
    append_number(details, number_);
  }
  if (!details.empty()) out.append(" (").append(details).append(")");

  if (!hint_.empty()) {
    out.append(": ");
    append_hint(out, hint_, number(), interface_index(), source());
  }
  return out;
}

}  // namespace mcnet
