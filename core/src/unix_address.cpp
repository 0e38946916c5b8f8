// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// unix_address: building, sockaddr_un conversion, text. The length is what
// tells an abstract name's end (unix(7)), so every conversion carries it
// exactly and nothing relies on a NUL but path names.

#include <mcnet/core/unix_address.hpp>

#include <cerrno>
#include <cstddef>
#include <cstring>
#include <ostream>
#include <span>

namespace mcnet::core {
namespace {

constexpr std::size_t path_offset = offsetof(sockaddr_un, sun_path);

// Whether byte `c` is written as \xHH: control bytes, DEL and above, and
// the escape character itself is written "\\".
bool needs_escape(unsigned char c) noexcept { return c < 0x20 || c >= 0x7f; }

// Write `bytes` of a name of kind `path_name` (a path, else abstract) in
// the text form into `out`, as far as whole escapes fit; returns the count
// written. A path that would read back as another kind has its first byte
// escaped (`@`, or a lone `*`).
std::size_t escape(std::string_view bytes, bool path_name, std::span<char> out) noexcept {
  static constexpr char digits[] = "0123456789abcdef";
  std::size_t n = 0;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const auto c = static_cast<unsigned char>(bytes[i]);
    const bool ambiguous = path_name && i == 0 && (c == '@' || (c == '*' && bytes.size() == 1));
    const bool hex = needs_escape(c) || ambiguous;
    const std::size_t width = c == '\\' ? 2 : hex ? 4 : 1;
    if (n + width > out.size()) break;
    if (c == '\\') {
      out[n++] = '\\';
      out[n++] = '\\';
    } else if (hex) {
      out[n++] = '\\';
      out[n++] = 'x';
      out[n++] = digits[c >> 4];
      out[n++] = digits[c & 0xf];
    } else {
      out[n++] = static_cast<char>(c);
    }
  }
  return n;
}

// Attach the name `bytes` to `e` as its input, in the text form with its
// `@` for an abstract name (never the raw bytes: a NUL, a newline or an ESC
// would garble the message). The buffer holds more than the error keeps, so
// that a longer text is marked cut.
error& with_name(error& e, std::string_view bytes, bool path_name) noexcept {
  std::array<char, error::input_capacity + 4> text;
  std::size_t n = 0;
  if (!path_name) text[n++] = '@';
  n += escape(bytes, path_name, std::span<char>(text).subspan(n));
  return e.with_input(std::string_view(text.data(), n));
}

// ENAMETOOLONG for a name of `length` bytes, given as `input` (the text, or
// the raw bytes when `raw`).
error too_long(std::string_view op, std::string_view input, std::size_t length, bool abstract_name,
               bool raw) noexcept {
  auto e = error::from_errno(ENAMETOOLONG, op, "unix_address").with_number(static_cast<std::int64_t>(length));
  if (raw) {
    with_name(e, input, !abstract_name);
  } else {
    e.with_input(input);
  }
  if (!abstract_name) {
    e.with_hint("a path name has at most 107 bytes (sun_path holds 108 with its NUL) and is never cut: it has {number}; "
                "use a shorter or relative path, or an abstract name");
  } else {
    e.with_hint("an abstract name has at most 107 bytes after its leading NUL; it has {number}");
  }
  return e;
}

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

result<unix_address> unix_address::path(std::string_view path) noexcept {
  if (path.empty()) {
    return fail(error::from_errno(EINVAL, "path", "unix_address")
                    .with_hint("a path name is not empty (an unnamed address is unix_address())"));
  }
  if (path.size() > max_path_length) return fail(too_long("path", path, path.size(), false, true));
  if (path.find('\0') != std::string_view::npos) {
    auto e = error::from_errno(EINVAL, "path", "unix_address");
    return fail(with_name(e, path, true).with_hint("a path name holds no NUL byte (the kernel would end it there)"));
  }
  return unix_address(kind::path, path);
}

result<unix_address> unix_address::abstract(std::string_view name) noexcept {
  if (name.size() > max_abstract_length) return fail(too_long("abstract", name, name.size(), true, true));
  return unix_address(kind::abstract, name);
}

result<unix_address> unix_address::parse(std::string_view text) noexcept {
  const auto bad = [&](std::string_view hint) {
    return fail(error::from_errno(EINVAL, "parse", "unix_address").with_input(text).with_hint(hint));
  };
  if (text.empty()) return bad("empty: a path, @abstract-name, or * for unnamed");
  if (text == "*") return unix_address();
  const bool abstract_name = text.front() == '@';
  std::string_view rest = abstract_name ? text.substr(1) : text;
  std::array<char, max_path_length> bytes{};
  std::size_t n = 0;
  for (std::size_t i = 0; i < rest.size(); ++i) {
    char c = rest[i];
    if (c == '\\') {
      if (i + 1 < rest.size() && rest[i + 1] == '\\') {
        ++i;
      } else if (i + 3 < rest.size() && rest[i + 1] == 'x' && hex_value(rest[i + 2]) >= 0 &&
                 hex_value(rest[i + 3]) >= 0) {
        c = static_cast<char>(hex_value(rest[i + 2]) * 16 + hex_value(rest[i + 3]));
        i += 3;
      } else {
        return bad("a backslash starts \\\\ or \\xHH (two hex digits)");
      }
    }
    if (n < bytes.size()) bytes[n] = c;
    ++n;  // counted past the limit too, for the message
  }
  if (n > bytes.size()) return fail(too_long("parse", text, n, abstract_name, false));
  const std::string_view name(bytes.data(), n);
  if (abstract_name) return unix_address(kind::abstract, name);
  if (name.find('\0') != std::string_view::npos) return bad("a path name holds no NUL byte");
  return unix_address(kind::path, name);
}

result<unix_address> unix_address::from_sockaddr(const sockaddr* sa, socklen_t length) noexcept {
  if (length < sizeof(sa_family_t) || length > sizeof(sockaddr_un)) {
    return fail(error::from_errno(EINVAL, "from_sockaddr", "sockaddr_un")
                    .with_number(length)
                    .with_hint("an AF_UNIX address is 2 to 110 bytes long"));
  }
  sa_family_t family{};
  std::memcpy(&family, sa, sizeof family);
  if (family != AF_UNIX) {
    return fail(error(errc::family_mismatch, "from_sockaddr", "sockaddr_un")
                    .with_number(family)
                    .with_hint("not an AF_UNIX address"));
  }
  const std::size_t size = length > path_offset ? length - path_offset : 0;
  if (size == 0) return unix_address();
  const char* path = reinterpret_cast<const char*>(sa) + path_offset;
  if (path[0] == '\0') return unix_address(kind::abstract, std::string_view(path + 1, size - 1));
  const std::size_t n = ::strnlen(path, size);
  if (n > max_path_length) return fail(too_long("from_sockaddr", std::string_view(path, n), n, false, true));
  return unix_address(kind::path, std::string_view(path, n));
}

socklen_t unix_address::to_sockaddr(sockaddr_un& out) const noexcept {
  std::memset(&out, 0, sizeof out);
  out.sun_family = AF_UNIX;
  switch (kind_) {
    case kind::unnamed: return sizeof(sa_family_t);
    case kind::path:
      std::memcpy(out.sun_path, bytes_.data(), length_);
      return static_cast<socklen_t>(path_offset + length_ + 1);  // the NUL, zeroed above
    case kind::abstract:
      std::memcpy(out.sun_path + 1, bytes_.data(), length_);
      return static_cast<socklen_t>(path_offset + 1 + length_);  // exact: no terminator
  }
  return sizeof(sa_family_t);
}

socklen_t unix_address::to_sockaddr(sockaddr_storage& out) const noexcept {
  static_assert(sizeof(sockaddr_un) <= sizeof(sockaddr_storage));
  sockaddr_un un;
  const socklen_t length = to_sockaddr(un);
  std::memset(&out, 0, sizeof out);
  std::memcpy(&out, &un, sizeof un);
  return length;
}

std::size_t unix_address::to_chars(std::span<char, max_text_length> out) const noexcept {
  std::size_t n = 0;
  if (kind_ == kind::unnamed) {
    out[n++] = '*';
    return n;
  }
  if (kind_ == kind::abstract) out[n++] = '@';
  // max_text_length holds the longest name escaped whole: nothing is cut.
  return n + escape(std::string_view(bytes_.data(), length_), kind_ == kind::path, std::span<char>(out).subspan(n));
}

std::string unix_address::to_string() const {
  std::array<char, max_text_length> buf;
  return std::string(buf.data(), to_chars(buf));
}

std::ostream& operator<<(std::ostream& os, const unix_address& a) { return os << a.to_string(); }

}  // namespace mcnet::core
