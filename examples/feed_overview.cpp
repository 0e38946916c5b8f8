// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// The examples of <mcnet/feed.hpp>'s overview, compiled so that they stay
// true. Each function is one section, with the overview's code unchanged; the
// names the overview leaves to the reader (use, on_message, send, ...) are
// the parameters and small functions here. Nothing here runs at build time.

#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <span>

#include <mcnet/core.hpp>
#include <mcnet/feed.hpp>

namespace core = mcnet::core;
namespace feed = mcnet::feed;
using namespace std::chrono_literals;

namespace {

void log(const std::string& text) { std::fprintf(stderr, "%s\n", text.c_str()); }

void test_header(std::span<const std::byte> datagram, const std::function<void(std::uint64_t)>& use) {
  if (auto h = feed::test_header::parse(datagram)) use(h->sequence);
  else log(h.error().message());  // "test header magic: ...: not \"MCN1\": ..."
}

mcnet::result<void> moldudp64(std::span<const std::byte> datagram, const feed::moldudp64::session_id& session,
                              std::uint64_t next, std::uint64_t& expected,
                              const std::function<void(std::uint64_t, std::span<const std::byte>)>& on_message,
                              const std::function<bool()>& have_message,
                              const std::function<std::span<const std::byte>()>& peek_message,
                              const std::function<void()>& pop_message,
                              const std::function<void(std::span<const std::byte>)>& send) {
  auto p = feed::moldudp64::packet_view::parse(datagram);
  if (!p) return mcnet::fail(p.error());
  for (auto m : *p) on_message(m.sequence, m.bytes);
  expected = p->next_sequence();

  std::array<std::byte, 1472> out;
  auto b = feed::moldudp64::packet_builder::start(out, session, next).value();
  while (have_message() && b.append(peek_message())) pop_message();
  send(b.bytes());
  return {};
}

void rtp(std::span<const std::byte> datagram,
         const std::function<void(std::uint16_t, std::uint32_t, std::span<const std::byte>)>& decode) {
  if (auto p = feed::rtp::packet_view::parse(datagram))
    decode(p->sequence(), p->timestamp(), p->payload());
}

std::uint64_t mpegts(std::span<const std::byte> datagram, std::uint64_t& sync_errors) {
  static feed::mpegts::continuity_checker checker;  // ~290 KiB: not on a small stack
  if (auto d = feed::mpegts::datagram_view::parse(datagram))
    for (auto p : *d) {
      if (p) checker.check(*p);
      else ++sync_errors;
    }
  auto cc_errors = checker.counts(0x100).cc_errors;  // error events, not lost packets
  return cc_errors;
}

void sequencing(core::socket_ref sock, const std::function<void(std::uint64_t, std::uint64_t)>& request_retransmission) {
  feed::sequence_tracker seq;
  auto batch = core::receive_batch::make(32, 2048).value();
  while (auto n = batch.read(sock, core::cmsg::timestamp_ns, core::wait_policy::deadline(1s))) {
    for (const core::message& m : batch) {
      auto h = feed::test_header::parse(m.payload());
      if (!h) continue;  // not mcast-send's header
      if (h->is_end()) {
        seq.end(h->sequence);
        continue;
      }
      auto a = seq.add(h->sequence);
      if (a.missing.count > 0) request_retransmission(a.missing.first, a.missing.count);  // a gap, or late below the first
    }
  }
}

void arbitration(std::size_t line, const feed::test_header* h, const core::message& m,
                 const std::function<void(const core::message&)>& handle) {
  auto ab = feed::arbiter::make(2).value();
  // for each datagram read on line 0 (A) or 1 (B), with its kernel timestamp:
  const auto at = m.info.software_time ? m.info.software_time->time_since_epoch().count() : 0;
  auto r = ab.offer(line, h->sequence, at);
  if (r.what == feed::arbiter::decision::deliver) handle(m);
  // later: ab.lost(), ab.line(1).sequence.lost(), ab.first_arrival_share(0),
  //        ab.skew().percentile(0.99)
}

}  // namespace

int main(int argc, char**) {
  // The pure sections run on datagrams made with the builders; the
  // sequencing section reads a socket, so it runs only with an argument,
  // inside a namespace where mcast-send sends to 0.0.0.0:5000.
  std::array<std::byte, 1500> buf{};
  feed::test_header{.sequence = 7}.build(buf).value();
  test_header(std::span(buf).first(feed::test_header::size), [](std::uint64_t n) { std::printf("test header %llu\n", static_cast<unsigned long long>(n)); });

  const auto session = feed::moldudp64::session_id::make("SESSION1").value();
  auto mold = feed::moldudp64::packet_builder::start(buf, session, 1).value();
  const std::array<std::byte, 3> message{std::byte{'A'}, std::byte{'B'}, std::byte{'C'}};
  for (int i = 0; i < 2; ++i) {
    if (!mold.append(message)) return 1;
  }
  std::uint64_t expected = 0;
  int queued = 2;
  std::array<std::byte, 1500> packet{};
  std::copy(mold.bytes().begin(), mold.bytes().end(), packet.begin());
  const auto mold_result = moldudp64(std::span(packet).first(mold.size()), session, 3, expected,
            [](std::uint64_t n, std::span<const std::byte> m) { std::printf("message %llu: %zu bytes\n", static_cast<unsigned long long>(n), m.size()); },
            [&] { return queued > 0; }, [&] { return std::span<const std::byte>(message); }, [&] { --queued; },
            [](std::span<const std::byte> out) { std::printf("built %zu bytes\n", out.size()); });
  if (!mold_result) return 1;

  const auto rtp_size = feed::rtp::build(buf, {.payload_type = 96, .sequence = 65535, .timestamp = 9000, .ssrc = 1}, message).value();
  rtp(std::span(buf).first(rtp_size), [](std::uint16_t n, std::uint32_t t, std::span<const std::byte> p) {
    std::printf("rtp %u at %u: %zu bytes\n", n, t, p.size());
  });

  feed::mpegts::continuity_counters counters;
  feed::mpegts::datagram_builder ts(std::span<std::byte>(buf).first(7 * 188));
  while (!ts.full()) {
    if (!ts.append({.pid = 0x100}, message, counters)) return 1;
  }
  std::uint64_t sync_errors = 0;
  std::printf("mpegts continuity errors %llu, sync errors %llu\n", static_cast<unsigned long long>(mpegts(ts.bytes(), sync_errors)),
              static_cast<unsigned long long>(sync_errors));

  const feed::test_header h{.sequence = 7};
  core::message m{};
  m.info.software_time = core::kernel_time(std::chrono::nanoseconds(1));
  arbitration(0, &h, m, [](const core::message&) { std::puts("delivered on line A"); });

  if (argc < 2) return 0;
  auto s = core::listen_udp(core::endpoint::parse("0.0.0.0:5000").value(), {.reuse_address = true}).value();
  sequencing(s, [](std::uint64_t first, std::uint64_t count) {
    std::printf("gap: %llu from %llu\n", static_cast<unsigned long long>(count), static_cast<unsigned long long>(first));
  });
  return 0;
}
