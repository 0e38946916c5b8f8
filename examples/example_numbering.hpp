// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

// How the receiver examples number a datagram: by mcast-send's 40-byte MCN1
// header (docs/tools.md, "Wire header"; feed::test_header), whose END
// datagrams (flag bit 0) are markers that the sender's run is over, not data,
// or by the text multicast_sender.cpp sends, "mcnet seq=N of=COUNT". The
// MCN1 header has no heartbeats: between datagrams a sender is silent.

#include <charconv>
#include <cstddef>
#include <span>
#include <string_view>

#include <mcnet/feed/test_header.hpp>

namespace example {

/// A datagram's place in its stream.
struct numbering {
  long long sequence = -1;  ///< its sequence number; -1 when the payload has none
  /// An END marker: not a datagram of the stream; `sequence` is how many
  /// sequence numbers the sender's run used.
  bool end = false;
};

/// Read `payload`: the MCN1 header if it has one, else "seq=N" in its text.
inline numbering number_of(std::span<const std::byte> payload) {
  if (const auto h = mcnet::feed::test_header::try_parse(payload)) {
    return {static_cast<long long>(h->sequence), h->is_end()};
  }
  const std::string_view text(reinterpret_cast<const char*>(payload.data()), payload.size());
  numbering n;
  if (auto at = text.find("seq="); at != std::string_view::npos) {
    std::from_chars(text.data() + at + 4, text.data() + text.size(), n.sequence);
  }
  return n;
}

}  // namespace example
