// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

// A capture file of UDP datagrams, written with libpcap (raw IPv4 link
// type), so that programs that are not ours (tshark's dissectors) can read
// what mcnet's builders write. Nothing is sent: the packets exist only in
// the file.

#include <pcap/pcap.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace mcnet::test {

class udp_pcap {
 public:
  /// Create (truncate) `path`, with a snap length of `snap_length` bytes
  /// per packet (IPv4 header included; as `tcpdump -s`: a longer packet is
  /// written cut, with its length on the wire). Throws harness_error when
  /// libpcap cannot.
  explicit udp_pcap(const std::string& path, std::size_t snap_length = 65535);
  ~udp_pcap();
  udp_pcap(const udp_pcap&) = delete;
  udp_pcap& operator=(const udp_pcap&) = delete;

  /// Append one datagram from 10.77.1.1:`source_port` to 239.77.1.1:`port`
  /// (IPv4, TTL 1, header checksum set, UDP checksum 0), stamped 1 ms after
  /// the previous one, cut to the snap length.
  void add(std::span<const std::byte> payload, std::uint16_t port, std::uint16_t source_port = 40000);
  /// Flush and close; add() may not follow.
  void close();

 private:
  pcap_t* pcap_ = nullptr;
  pcap_dumper_t* dumper_ = nullptr;
  std::uint64_t packets_ = 0;
  std::size_t snap_length_;
};

/// A fresh directory under the system's temporary directory, removed with
/// its files when the object goes.
class temp_dir {
 public:
  temp_dir();
  ~temp_dir();
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  /// `name` inside the directory.
  [[nodiscard]] std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

}  // namespace mcnet::test
