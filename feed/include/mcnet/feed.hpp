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
///   auto n = core::read_batch(sock, msgs, core::cmsg::timestamp_ns).value();
///   for (auto& m : std::span(msgs).first(n)) {
///     auto h = feed::test_header::decode(m.buffer.first(m.size));
///     if (!h) continue;                           // not ours
///     if (h->is_end()) { seq.end(h->sequence); continue; }
///     auto a = seq.add(h->sequence);
///     if (a.kind == feed::verdict::gap)
///       request_retransmission(a.missing.first, a.missing.count);
///   }
/// @endcode
///
/// ## Jitter (<mcnet/feed/jitter.hpp>)
/// RFC 3550 interarrival jitter (section 6.4.1, Appendix A.8): `jitter` of
/// send and arrival times in nanoseconds (the test header's), `rtp_jitter`
/// of RTP timestamps at the payload's clock rate, in timestamp units (what
/// an RTCP receiver report carries) and in ns.
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
///   auto r = ab.offer(line, h->sequence, m.info.software_time->time_since_epoch().count());
///   if (r.what == feed::arbiter::decision::deliver) handle(m);
///   // later: ab.lost(), ab.line(1).sequence.lost(), ab.first_arrival_share(0),
///   //        ab.skew().percentile(0.99)
/// @endcode

#include <mcnet/feed/test_header.hpp>

#include <mcnet/feed/arbiter.hpp>
#include <mcnet/feed/histogram.hpp>
#include <mcnet/feed/jitter.hpp>
#include <mcnet/feed/saturating.hpp>
#include <mcnet/feed/sequence.hpp>
