// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <mcnet/core/dscp.hpp>

#include <array>
#include <charconv>

namespace mcnet::core {
namespace {

struct named {
  std::string_view name;
  std::uint8_t codepoint;
};

constexpr std::array<named, 23> names{{{"cs0", dscp::cs0},   {"cs1", dscp::cs1},   {"cs2", dscp::cs2},
                                       {"cs3", dscp::cs3},   {"cs4", dscp::cs4},   {"cs5", dscp::cs5},
                                       {"cs6", dscp::cs6},   {"cs7", dscp::cs7},   {"af11", dscp::af11},
                                       {"af12", dscp::af12}, {"af13", dscp::af13}, {"af21", dscp::af21},
                                       {"af22", dscp::af22}, {"af23", dscp::af23}, {"af31", dscp::af31},
                                       {"af32", dscp::af32}, {"af33", dscp::af33}, {"af41", dscp::af41},
                                       {"af42", dscp::af42}, {"af43", dscp::af43}, {"ef", dscp::ef},
                                       {"va", dscp::va},     {"le", dscp::le}}};

constexpr char lower(char c) noexcept { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool equal_ignoring_case(std::string_view a, std::string_view lower_b) noexcept {
  if (a.size() != lower_b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower_b[i]) return false;
  }
  return true;
}

}  // namespace

std::optional<std::uint8_t> dscp_by_name(std::string_view name) noexcept {
  for (const auto& n : names) {
    if (equal_ignoring_case(name, n.name)) return n.codepoint;
  }
  return std::nullopt;
}

std::string_view dscp_name(std::uint8_t codepoint) noexcept {
  for (const auto& n : names) {
    if (n.codepoint == codepoint) return n.name;
  }
  return {};
}

result<std::uint8_t> parse_dscp(std::string_view text) noexcept {
  if (auto named_value = dscp_by_name(text)) return *named_value;
  unsigned v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || (text.size() > 1 && text[0] == '0') || ec != std::errc() || end != text.data() + text.size() || v > dscp::max) {
    return fail(error(errc::value_out_of_range, "parse", "dscp")
                    .with_input(text)
                    .with_hint("a DSCP is 0 to 63 or a name: cs0..cs7, af11..af43, ef, va, le"));
  }
  return static_cast<std::uint8_t>(v);
}

std::string format_dscp(std::uint8_t codepoint) {
  if (auto n = dscp_name(codepoint); !n.empty()) return std::string(n);
  return std::to_string(codepoint);
}

}  // namespace mcnet::core
