// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// mcnet feed: what multicast feed receivers share, on payloads rather than
/// sockets. Depends on core only; nothing here makes a system call.
///
/// - `test_header`: the 40-byte header mcast-send writes at the start of
///   each datagram (docs/tools.md, "Wire header"), with its builder.
///
/// The payload codecs read a datagram in place and write one into a span
/// the caller owns: no allocation, no exception. A view is checked whole
/// when parsed and never reads past its span; a malformed buffer gives an
/// `mcnet::error` with `errc::value_out_of_range` whose `op` names the
/// codec, `what` the field that is wrong ("length", "version",
/// "message length", "sync byte", ...) and whose number is the offending
/// value. A builder that lacks room fails with `what` "buffer" and leaves
/// what it wrote before intact.
///
/// - `test_header::parse` / `build`:
///   @code
///   if (auto h = feed::test_header::parse(datagram)) use(h->sequence);
///   else log(h.error().message());  // "test header magic: ...: not \"MCN1\": ..."
///   @endcode
///
/// - MoldUDP64 (`feed::moldudp64`, <mcnet/feed/moldudp64.hpp>): the
///   downstream packet with its messages and their sequence numbers,
///   heartbeats and end of session, the builder that fills an MTU message
///   by message, and the re-request packet.
///   @code
///   auto p = feed::moldudp64::packet_view::parse(datagram);
///   if (!p) return p.error();
///   for (auto m : *p) on_message(m.sequence, m.bytes);
///   expected = p->next_sequence();
///
///   std::array<std::byte, 1472> out;
///   auto b = feed::moldudp64::packet_builder::start(out, session, next).value();
///   while (have_message() && b.append(peek_message())) pop_message();
///   send(b.bytes());
///   @endcode
///
/// - RTP (`feed::rtp`, <mcnet/feed/rtp.hpp>, RFC 3550 5.1 and 5.3.1): the
///   header fields, CSRCs, header extension, padding and the payload span;
///   `rtp::build` writes one.
///   @code
///   if (auto p = feed::rtp::packet_view::parse(datagram))
///     decode(p->sequence(), p->timestamp(), p->payload());
///   @endcode
///
/// - MPEG-TS over UDP (`feed::mpegts`, <mcnet/feed/mpegts.hpp>, ISO/IEC
///   13818-1 2.4.3): a datagram of 188-byte packets, each checked on its own
///   (a sync error is that packet's), the adaptation field and PCR, and
///   `continuity_checker`, which counts continuity errors of all 8192 PIDs
///   as ETSI TR 101 290 1.4 does. `datagram_builder` writes packets with
///   the sender's per-PID counters.
///   @code
///   static feed::mpegts::continuity_checker checker;  // ~270 KiB: not on a small stack
///   if (auto d = feed::mpegts::datagram_view::parse(datagram))
///     for (auto p : *d)
///       if (p) checker.check(*p); else ++sync_errors;
///   auto lost = checker.counts(0x100).cc_errors;
///   @endcode

#include <mcnet/feed/test_header.hpp>
#include <mcnet/feed/moldudp64.hpp>
#include <mcnet/feed/rtp.hpp>
#include <mcnet/feed/mpegts.hpp>
