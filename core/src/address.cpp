// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// Parsing and formatting of ip_address, endpoint and prefix. Parsers are
// strict: anything that inet_aton or getaddrinfo would "helpfully" reinterpret
// (octal parts, short forms, blanks) is an error that names the input.

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <ostream>

#include <mcnet/core/endpoint.hpp>
#include <mcnet/core/ip_address.hpp>
#include <mcnet/core/prefix.hpp>

#include "sys/calls.hpp"

namespace mcnet::core {
namespace {

constexpr std::string_view kParse = "parse";

tl::unexpected<error> bad(errc code, std::string_view what, std::string_view input, std::string_view hint) {
  return fail(error(code, kParse, what).with_input(input).with_hint(hint));
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// A decimal number without sign, blanks or leading zeros, at most `max`.
// Returns false for anything else.
bool parse_decimal(std::string_view s, std::uint64_t max, std::uint64_t& out) {
  if (s.empty() || s.size() > 10) return false;
  if (s.size() > 1 && s[0] == '0') return false;
  std::uint64_t v = 0;
  for (char c : s) {
    if (!is_digit(c)) return false;
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (v > max) return false;
  out = v;
  return true;
}

result<ip_address> parse_v4(std::string_view text, std::string_view whole) {
  constexpr std::string_view what = "IP address";
  std::array<std::uint8_t, 4> parts{};
  std::size_t n = 0;
  std::string_view rest = text;
  while (true) {
    auto dot = rest.find('.');
    auto part = rest.substr(0, dot);
    if (n == 4) return bad(errc::invalid_address, what, whole, "an IPv4 address has exactly four parts, like 10.77.0.1");
    if (part.empty()) return bad(errc::invalid_address, what, whole, "empty part between dots");
    if (!std::all_of(part.begin(), part.end(), is_digit)) {
      return bad(errc::invalid_address, what, whole,
                 "unexpected character; an IPv4 address is four decimal parts, like 10.77.0.1");
    }
    if (part.size() > 1 && part[0] == '0') {
      return bad(errc::invalid_address, what, whole, "leading zero in a part (octal is not accepted)");
    }
    std::uint64_t v = 0;
    if (!parse_decimal(part, 255, v)) return bad(errc::invalid_address, what, whole, "each IPv4 part is 0 to 255");
    parts[n++] = static_cast<std::uint8_t>(v);
    if (dot == std::string_view::npos) break;
    rest.remove_prefix(dot + 1);
  }
  if (n != 4) return bad(errc::invalid_address, what, whole, "an IPv4 address has exactly four parts, like 10.77.0.1");
  return ip_address::v4_bytes(parts);
}

result<std::uint32_t> parse_zone(std::string_view zone, std::string_view whole) {
  constexpr std::string_view what = "IP address";
  if (zone.empty()) return bad(errc::invalid_address, what, whole, "empty zone after '%'; give an interface name or index");
  if (std::all_of(zone.begin(), zone.end(), is_digit)) {
    std::uint64_t v = 0;
    if (!parse_decimal(zone, 0xffffffffu, v)) {
      return bad(errc::invalid_address, what, whole, "zone index out of range or with a leading zero");
    }
    if (v == 0) return bad(errc::invalid_address, what, whole, "zone index 0 names no interface; leave the zone out");
    return static_cast<std::uint32_t>(v);
  }
  auto index = sys::interface_index(zone);
  if (!index) {
    auto e = index.error();
    e.op = kParse;
    e.what = what;
    return fail(e.with_input(whole));
  }
  return *index;
}

result<ip_address> parse_v6(std::string_view text, std::string_view whole) {
  constexpr std::string_view what = "IP address";
  auto percent = text.find('%');
  auto body = text.substr(0, percent);
  // inet_pton wants a NUL-terminated string; no IPv6 text is longer than 45.
  std::array<char, 46> buf{};
  if (body.size() >= buf.size()) return bad(errc::invalid_address, what, whole, "too long for an IPv6 address");
  std::copy(body.begin(), body.end(), buf.begin());
  std::array<std::uint8_t, 16> bytes{};
  if (inet_pton(AF_INET6, buf.data(), bytes.data()) != 1) {
    return bad(errc::invalid_address, what, whole,
               "not a valid IPv6 address (eight groups of up to four hex digits, :: once at most)");
  }
  std::uint32_t scope = 0;
  if (percent != std::string_view::npos) {
    auto z = parse_zone(text.substr(percent + 1), whole);
    if (!z) return fail(z.error());
    scope = *z;
  }
  return ip_address::v6_bytes(bytes, scope);
}

template <std::size_t N>
std::string text_of(const auto& value) {
  std::array<char, N> buf{};
  auto n = value.to_chars(std::span<char, N>(buf));
  return {buf.data(), n};
}

}  // namespace

int ip_address::af() const noexcept {
  return is_v4() ? AF_INET : is_v6() ? AF_INET6 : AF_UNSPEC;
}

result<ip_address> ip_address::parse(std::string_view text) noexcept {
  constexpr std::string_view what = "IP address";
  if (text.empty()) return bad(errc::invalid_address, what, text, "empty input");
  if (text.find(':') != std::string_view::npos) return parse_v6(text, text);
  if (text.find('%') != std::string_view::npos) {
    return bad(errc::invalid_address, what, text, "a zone ('%') belongs to IPv6 addresses only");
  }
  return parse_v4(text, text);
}

std::size_t ip_address::to_chars(std::span<char, max_text_length> out) const noexcept {
  std::array<char, INET6_ADDRSTRLEN> buf{};
  if (is_v4()) {
    inet_ntop(AF_INET, bytes_.data(), buf.data(), static_cast<socklen_t>(buf.size()));
  } else if (is_v6()) {
    inet_ntop(AF_INET6, bytes_.data(), buf.data(), static_cast<socklen_t>(buf.size()));
  } else {
    std::memcpy(buf.data(), "invalid", 8);
  }
  std::size_t n = std::strlen(buf.data());
  std::copy_n(buf.data(), n, out.data());
  if (scope_id_ != 0) {
    out[n++] = '%';
    auto r = std::to_chars(out.data() + n, out.data() + out.size(), scope_id_);
    n = static_cast<std::size_t>(r.ptr - out.data());
  }
  return n;
}

std::string ip_address::to_string() const { return text_of<max_text_length>(*this); }

std::ostream& operator<<(std::ostream& os, const ip_address& a) { return os << a.to_string(); }

// ---------------------------------------------------------------- endpoint

result<endpoint> endpoint::parse(std::string_view text) noexcept {
  constexpr std::string_view what = "endpoint";
  if (text.empty()) return bad(errc::invalid_endpoint, what, text, "empty input");
  std::string_view addr;
  std::string_view rest;
  if (text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string_view::npos) return bad(errc::invalid_endpoint, what, text, "missing ']'");
    addr = text.substr(1, close - 1);
    rest = text.substr(close + 1);
    if (addr.find(':') == std::string_view::npos) {
      return bad(errc::invalid_endpoint, what, text, "brackets are for IPv6 addresses only");
    }
  } else {
    auto colon = text.find(':');
    if (colon == std::string_view::npos) return bad(errc::invalid_port, what, text, "missing ':PORT'");
    if (text.find(':', colon + 1) != std::string_view::npos) {
      return bad(errc::invalid_endpoint, what, text, "an IPv6 address with a port must be bracketed: [ff3e::1]:5000");
    }
    addr = text.substr(0, colon);
    rest = text.substr(colon);
  }
  if (rest.empty() || rest.front() != ':') return bad(errc::invalid_port, what, text, "missing ':PORT' after the address");
  std::uint64_t port = 0;
  if (!parse_decimal(rest.substr(1), 65535, port)) {
    return bad(errc::invalid_port, what, text, "the port is a decimal number 0 to 65535 without leading zeros");
  }
  auto a = ip_address::parse(addr);
  if (!a) {
    auto e = a.error();
    return fail(e.with_input(text));
  }
  return endpoint(*a, static_cast<std::uint16_t>(port));
}

result<endpoint> endpoint::from_sockaddr(const sockaddr* sa, socklen_t length) noexcept {
  constexpr std::string_view what = "sockaddr";
  if (sa == nullptr || length < static_cast<socklen_t>(sizeof(sa_family_t))) {
    return fail(error(errc::invalid_endpoint, "decode", what).with_number(length));
  }
  // The caller's buffer may be any bytes at any alignment: copy, never cast.
  sa_family_t family = 0;
  std::memcpy(&family, sa, sizeof family);
  if (family == AF_INET) {
    if (length < static_cast<socklen_t>(sizeof(sockaddr_in))) {
      return fail(error(errc::invalid_endpoint, "decode", what).with_number(length).with_hint("too short for sockaddr_in"));
    }
    sockaddr_in in{};
    std::memcpy(&in, sa, sizeof in);
    std::array<std::uint8_t, 4> b{};
    std::memcpy(b.data(), &in.sin_addr, 4);
    return endpoint(ip_address::v4_bytes(b), ntohs(in.sin_port));
  }
  if (family == AF_INET6) {
    if (length < static_cast<socklen_t>(sizeof(sockaddr_in6))) {
      return fail(error(errc::invalid_endpoint, "decode", what).with_number(length).with_hint("too short for sockaddr_in6"));
    }
    sockaddr_in6 in6{};
    std::memcpy(&in6, sa, sizeof in6);
    std::array<std::uint8_t, 16> b{};
    std::memcpy(b.data(), &in6.sin6_addr, 16);
    return endpoint(ip_address::v6_bytes(b, in6.sin6_scope_id), ntohs(in6.sin6_port));
  }
  return fail(error(errc::family_mismatch, "decode", what).with_number(family).with_hint("only AF_INET and AF_INET6 are IP endpoints"));
}

socklen_t endpoint::to_sockaddr(sockaddr_storage& out) const noexcept {
  out = {};
  if (address_.is_v4()) {
    sockaddr_in in{};
    in.sin_family = AF_INET;
    in.sin_port = htons(port_);
    std::memcpy(&in.sin_addr, address_.bytes().data(), 4);
    std::memcpy(&out, &in, sizeof in);
    return sizeof in;
  }
  if (address_.is_v6()) {
    sockaddr_in6 in6{};
    in6.sin6_family = AF_INET6;
    in6.sin6_port = htons(port_);
    std::memcpy(&in6.sin6_addr, address_.bytes().data(), 16);
    in6.sin6_scope_id = address_.scope_id();
    std::memcpy(&out, &in6, sizeof in6);
    return sizeof in6;
  }
  return 0;
}

std::size_t endpoint::to_chars(std::span<char, max_text_length> out) const noexcept {
  std::size_t n = 0;
  if (address_.is_v6()) out[n++] = '[';
  n += address_.to_chars(std::span<char, ip_address::max_text_length>(out.data() + n, ip_address::max_text_length));
  if (address_.is_v6()) out[n++] = ']';
  out[n++] = ':';
  auto r = std::to_chars(out.data() + n, out.data() + out.size(), port_);
  return static_cast<std::size_t>(r.ptr - out.data());
}

std::string endpoint::to_string() const { return text_of<max_text_length>(*this); }

std::ostream& operator<<(std::ostream& os, const endpoint& e) { return os << e.to_string(); }

// ------------------------------------------------------------------ prefix

result<prefix> prefix::make(const ip_address& address, unsigned length) noexcept {
  if (!address.is_valid()) return fail(error(errc::invalid_prefix, "make", "prefix").with_hint("invalid address"));
  const unsigned max = address.is_v4() ? 32 : 128;
  if (length > max) {
    return fail(error(errc::invalid_prefix, "make", "prefix")
                    .with_address(address)
                    .with_number(length)
                    .with_hint(address.is_v4() ? "an IPv4 prefix length is 0 to 32" : "an IPv6 prefix length is 0 to 128"));
  }
  return prefix(address, length);
}

result<prefix> prefix::parse(std::string_view text) noexcept {
  constexpr std::string_view what = "prefix";
  auto slash = text.find('/');
  if (slash == std::string_view::npos) return bad(errc::invalid_prefix, what, text, "missing '/LENGTH', like 10.77.0.0/24");
  auto addr_text = text.substr(0, slash);
  if (addr_text.find('%') != std::string_view::npos) {
    return bad(errc::invalid_prefix, what, text, "a prefix takes no zone");
  }
  auto a = ip_address::parse(addr_text);
  if (!a) {
    auto e = a.error();
    return fail(e.with_input(text));
  }
  const unsigned max = a->is_v4() ? 32 : 128;
  std::uint64_t length = 0;
  if (!parse_decimal(text.substr(slash + 1), max, length)) {
    return bad(errc::invalid_prefix, what, text,
               a->is_v4() ? "the length is a decimal number 0 to 32 without leading zeros"
                          : "the length is a decimal number 0 to 128 without leading zeros");
  }
  return prefix(*a, static_cast<unsigned>(length));
}

prefix prefix::masked() const noexcept {
  auto b = address_.bytes();
  std::array<std::uint8_t, 16> out{};
  for (std::size_t i = 0; i < b.size(); ++i) {
    const auto bit = i * 8;
    if (bit + 8 <= length_) {
      out[i] = b[i];
    } else if (bit < length_) {
      out[i] = static_cast<std::uint8_t>(b[i] & (0xff00u >> (length_ - bit)));
    }
  }
  if (address_.is_v4()) return {ip_address::v4_bytes({out[0], out[1], out[2], out[3]}), length_};
  return {ip_address::v6_bytes(out), length_};
}

bool prefix::contains(const ip_address& a) const noexcept {
  if (!is_valid() || a.family() != address_.family()) return false;
  const ip_address unscoped = a.with_scope_id(0);
  return prefix(unscoped, length_).masked().address_ == masked().address_.with_scope_id(0);
}

std::size_t prefix::to_chars(std::span<char, max_text_length> out) const noexcept {
  std::size_t n = address_.to_chars(std::span<char, ip_address::max_text_length>(out.data(), ip_address::max_text_length));
  out[n++] = '/';
  auto r = std::to_chars(out.data() + n, out.data() + out.size(), length_);
  return static_cast<std::size_t>(r.ptr - out.data());
}

std::string prefix::to_string() const { return text_of<max_text_length>(*this); }

std::ostream& operator<<(std::ostream& os, const prefix& p) { return os << p.to_string(); }

}  // namespace mcnet::core
