// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <mcnet/tools/drop_causes.hpp>

#include <mcnet/tools/doctor.hpp>

namespace mcnet::tools {

drop_counters drop_counters::read() {
  return {net_counters::read("netstat", "TcpExt", "IPReversePathFilter"),
          net_counters::read("snmp", "Udp", "InErrors"),
          net_counters::read("snmp", "Udp", "RcvbufErrors"),
          net_counters::read("snmp", "Udp", "InCsumErrors"),
          net_counters::read_snmp6("Udp6InErrors"),
          net_counters::read_snmp6("Udp6RcvbufErrors"),
          net_counters::read_snmp6("Udp6InCsumErrors"),
          net_counters::read("snmp", "Udp", "IgnoredMulti"),
          net_counters::read_snmp6("Udp6IgnoredMulti")};
}

drop_counters drop_counters::since(const drop_counters& before) const {
  const auto delta = [](const std::optional<std::uint64_t>& a, const std::optional<std::uint64_t>& b) {
    return a && b ? std::optional<std::uint64_t>(*b >= *a ? *b - *a : 0) : std::nullopt;
  };
  return {delta(before.reverse_path, reverse_path), delta(before.udp_in_errors, udp_in_errors),
          delta(before.udp_rcvbuf, udp_rcvbuf),     delta(before.udp_csum, udp_csum),
          delta(before.udp6_in_errors, udp6_in_errors), delta(before.udp6_rcvbuf, udp6_rcvbuf),
          delta(before.udp6_csum, udp6_csum),       delta(before.udp_ignored_multi, udp_ignored_multi),
          delta(before.udp6_ignored_multi, udp6_ignored_multi)};
}

}  // namespace mcnet::tools
