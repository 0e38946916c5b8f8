// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// mcnet feed: what multicast feed receivers share, on payloads rather than
/// sockets. Depends on core only; nothing here makes a system call. The
/// examples below are compiled (examples/feed_overview.cpp).
///
/// - `test_header`: the 40-byte header mcast-send writes at the start of
///   each datagram (docs/tools.md, "Wire header"), with its builder.
///
/// ## Payload codecs
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
///   if (!p) return mcnet::fail(p.error());
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
///   static feed::mpegts::continuity_checker checker;  // ~290 KiB: not on a small stack
///   if (auto d = feed::mpegts::datagram_view::parse(datagram))
///     for (auto p : *d) {
///       if (p) checker.check(*p);
///       else ++sync_errors;
///     }
///   auto cc_errors = checker.counts(0x100).cc_errors;  // error events, not lost packets
///   @endcode
///
/// ## Sequencing (<mcnet/feed/sequence.hpp>)
/// `sequence_tracker` accounts a stream of 64-bit sequence numbers in 8 KiB:
/// per datagram an `arrival` says whether it was in order, after a gap (and
/// which numbers the gap skipped, to print or ask to be sent again),
/// reordered, a duplicate or too late for its 65,536-number window; over
/// the stream it counts received, lost (from the first arrival, up to an
/// END count when one is given), reordered, duplicates, and the losses that
/// are final because the window left them behind. `rtp_sequence_tracker`
/// does the same for RTP's 16-bit numbers, extended to 64 bits with a cycle
/// count and judged as RFC 3550 Appendix A.1 does (MAX_DROPOUT,
/// MAX_MISORDER, restarts). A gap-detecting receive loop:
/// @code
///   feed::sequence_tracker seq;
///   auto batch = core::receive_batch::make(32, 2048).value();
///   while (auto n = batch.read(sock, core::cmsg::timestamp_ns, core::wait_policy::deadline(1s))) {
///     for (const core::message& m : batch) {
///       auto h = feed::test_header::parse(m.payload());
///       if (!h) continue;  // not mcast-send's header
///       if (h->is_end()) {
///         seq.end(h->sequence);
///         continue;
///       }
///       auto a = seq.add(h->sequence);
///       if (a.missing.count > 0) request_retransmission(a.missing.first, a.missing.count);  // a gap, or late below the first
///     }
///   }
/// @endcode
///
/// ## Jitter (<mcnet/feed/jitter.hpp>)
/// RFC 3550 interarrival jitter (section 6.4.1, Appendix A.8): `jitter` of
/// send and arrival times in nanoseconds (the test header's), `rtp_jitter`
/// of RTP timestamps at the payload's clock rate, in timestamp units (what
/// an RTCP receiver report carries) and in ns; each optionally with a bound
/// past which a transit time's step is left out and counted, not jitter.
///
/// ## Percentiles (<mcnet/feed/histogram.hpp>)
/// `histogram`: a log-linear histogram in 8 KiB with percentiles within
/// 3.2 %, for latencies and skews.
///
/// ## Line arbitration (<mcnet/feed/arbiter.hpp>)
/// `arbiter` merges up to four lines carrying the same sequence (A/B feeds):
/// `offer(line, seq, arrival_ns)` says deliver for the first copy of a
/// number and drop for the others (duplicate, or too late for the window);
/// per line it counts what came, the line's own gaps and how often the line
/// was first; merged, what was delivered, the real loss (numbers missing on
/// every line, final once the window leaves them or at end()), the
/// duplicates dropped, and the arrival skew between lines as percentiles.
/// Fixed memory (about 560 KiB, allocated by make()), nothing per datagram.
/// @code
///   auto ab = feed::arbiter::make(2).value();
///   // for each datagram read on line 0 (A) or 1 (B), with its kernel timestamp:
///   const auto at = m.info.software_time ? m.info.software_time->time_since_epoch().count() : 0;
///   auto r = ab.offer(line, h->sequence, at);
///   if (r.what == feed::arbiter::decision::deliver) handle(m);
///   // later: ab.lost(), ab.line(1).sequence.lost(), ab.first_arrival_share(0),
///   //        ab.skew().percentile(0.99)
/// @endcode

#include <mcnet/core/cxx20.hpp>  // first: C++20 or one clear error

#include <mcnet/feed/test_header.hpp>
#include <mcnet/feed/moldudp64.hpp>
#include <mcnet/feed/rtp.hpp>
#include <mcnet/feed/mpegts.hpp>
#include <mcnet/feed/arbiter.hpp>
#include <mcnet/feed/histogram.hpp>
#include <mcnet/feed/jitter.hpp>
#include <mcnet/feed/saturating.hpp>
#include <mcnet/feed/sequence.hpp>
