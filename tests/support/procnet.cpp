// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include "procnet.hpp"

#include <array>
#include <fstream>
#include <sstream>
#include <string>

namespace mcnet::test {

std::ostream& operator<<(std::ostream& os, const mcfilter_row& r) {
  return os << r.ifindex << " " << r.group << " " << r.source << " inc=" << r.include << " exc=" << r.exclude;
}

std::vector<mcfilter_row> read_mcfilter() {
  std::ifstream f("/proc/thread-self/net/mcfilter");
  std::string line;
  std::getline(f, line);  // header
  std::vector<mcfilter_row> rows;
  while (std::getline(f, line)) {
    std::istringstream in(line);
    mcfilter_row r;
    std::string dev, group_hex, source_hex;
    if (!(in >> r.ifindex >> dev >> group_hex >> source_hex >> r.include >> r.exclude)) continue;
    // Network-order hex with 0x: 0xe8010101 is 232.1.1.1.
    r.group = core::ip_address::v4_uint(static_cast<std::uint32_t>(std::stoul(group_hex, nullptr, 16)));
    r.source = core::ip_address::v4_uint(static_cast<std::uint32_t>(std::stoul(source_hex, nullptr, 16)));
    rows.push_back(r);
  }
  return rows;
}

namespace {
core::ip_address v6_from_hex(const std::string& hex) {
  std::array<std::uint8_t, 16> b{};
  for (std::size_t i = 0; i < 16 && 2 * i + 1 < hex.size(); ++i) {
    b[i] = static_cast<std::uint8_t>(std::stoul(hex.substr(2 * i, 2), nullptr, 16));
  }
  return core::ip_address::v6_bytes(b);
}
}  // namespace

std::vector<mcfilter_row> read_mcfilter6() {
  std::ifstream f("/proc/thread-self/net/mcfilter6");
  std::string line;
  std::getline(f, line);  // header
  std::vector<mcfilter_row> rows;
  while (std::getline(f, line)) {
    std::istringstream in(line);
    mcfilter_row r;
    std::string dev, group_hex, source_hex;
    // 32 hex digits each, no separators.
    if (!(in >> r.ifindex >> dev >> group_hex >> source_hex >> r.include >> r.exclude)) continue;
    r.group = v6_from_hex(group_hex);
    r.source = v6_from_hex(source_hex);
    rows.push_back(r);
  }
  return rows;
}

}  // namespace mcnet::test
