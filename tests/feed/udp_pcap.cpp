// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors

#include "udp_pcap.hpp"

#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/udp.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <limits>
#include <vector>

#include "netns.hpp"

namespace mcnet::test {
namespace {

std::uint16_t ipv4_checksum(const std::byte* p, std::size_t n) {
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i + 1 < n; i += 2) {
    sum += (std::to_integer<std::uint32_t>(p[i]) << 8) | std::to_integer<std::uint32_t>(p[i + 1]);
  }
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum & 0xffff);
}

void put16(std::byte* p, std::uint16_t v) {
  p[0] = std::byte(v >> 8);
  p[1] = std::byte(v & 0xff);
}

}  // namespace

udp_pcap::udp_pcap(const std::string& path, std::size_t snap_length) : snap_length_(snap_length) {
  if (snap_length == 0 || snap_length > 65535) throw harness_error("udp_pcap: a snap length of 1 to 65535 bytes");
  pcap_ = pcap_open_dead(DLT_RAW, static_cast<int>(snap_length));
  if (pcap_ == nullptr) throw harness_error("pcap_open_dead failed");
  dumper_ = pcap_dump_open(pcap_, path.c_str());
  if (dumper_ == nullptr) {
    std::string why = pcap_geterr(pcap_);
    pcap_close(pcap_);
    throw harness_error("pcap_dump_open " + path + ": " + why);
  }
}

udp_pcap::~udp_pcap() {
  close();
  if (pcap_ != nullptr) pcap_close(pcap_);
}

void udp_pcap::add(std::span<const std::byte> payload, std::uint16_t port, std::uint16_t source_port) {
  if (dumper_ == nullptr) throw harness_error("udp_pcap::add after close");
  constexpr std::size_t ip_size = 20;
  constexpr std::size_t udp_size = 8;
  if (payload.size() > std::numeric_limits<std::uint16_t>::max() - ip_size - udp_size) {
    throw harness_error("udp_pcap::add: datagram too large for IPv4");
  }
  std::vector<std::byte> frame(ip_size + udp_size + payload.size());
  std::byte* ip = frame.data();
  ip[0] = std::byte{0x45};  // version 4, 5 words
  put16(ip + 2, static_cast<std::uint16_t>(frame.size()));
  put16(ip + 4, static_cast<std::uint16_t>(packets_ & 0xffff));  // identification
  ip[8] = std::byte{1};                                          // TTL
  ip[9] = std::byte{IPPROTO_UDP};
  const std::array<std::byte, 4> source{std::byte{10}, std::byte{77}, std::byte{1}, std::byte{1}};
  const std::array<std::byte, 4> group{std::byte{239}, std::byte{77}, std::byte{1}, std::byte{1}};
  std::memcpy(ip + 12, source.data(), 4);
  std::memcpy(ip + 16, group.data(), 4);
  put16(ip + 10, ipv4_checksum(ip, ip_size));
  std::byte* udp = ip + ip_size;
  put16(udp, source_port);
  put16(udp + 2, port);
  put16(udp + 4, static_cast<std::uint16_t>(udp_size + payload.size()));
  if (!payload.empty()) std::memcpy(udp + udp_size, payload.data(), payload.size());

  pcap_pkthdr header{};
  header.ts.tv_sec = static_cast<time_t>(1'700'000'000 + packets_ / 1000);
  header.ts.tv_usec = static_cast<suseconds_t>((packets_ % 1000) * 1000);
  header.caplen = static_cast<bpf_u_int32>(std::min(frame.size(), snap_length_));
  header.len = static_cast<bpf_u_int32>(frame.size());
  pcap_dump(reinterpret_cast<u_char*>(dumper_), &header, reinterpret_cast<const u_char*>(frame.data()));
  ++packets_;
}

void udp_pcap::close() {
  if (dumper_ == nullptr) return;
  pcap_dump_close(dumper_);
  dumper_ = nullptr;
}

temp_dir::temp_dir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "mcnet-test-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw harness_error("mkdtemp: " + std::string(std::strerror(errno)));
  path_ = pattern;
}

temp_dir::~temp_dir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

}  // namespace mcnet::test
