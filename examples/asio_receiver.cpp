// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// A multicast receiver on Boost.Asio's event loop: asio owns the socket and
// says when it is readable (async_wait), mcnet joins the group, switches the
// metadata on and takes everything queued in one recvmmsg batch
// (core::receive_batch), without blocking the loop.
//
//   mcnet-example-asio_receiver GROUP:PORT INTERFACE [EXPECTED=10] [TIMEOUT_MS=5000]
//   mcnet-example-asio_receiver 239.255.0.1:5000 eth0 10 5000
//
// Prints one line per datagram (source, destination, interface, size, TTL or
// hop limit) and a summary; exits 0 when EXPECTED datagrams arrived, 1 when
// the timeout passed first. mcast-send's END markers are said as such and
// not counted (example_numbering.hpp).

#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <utility>  // before asio: Boost 1.74's awaitable.hpp uses std::exchange without it

#include <boost/asio.hpp>

#include <mcnet/core.hpp>

#include "example_args.hpp"
#include "example_numbering.hpp"

namespace asio = boost::asio;
namespace core = mcnet::core;

namespace {

constexpr const char* program = "mcnet-example-asio_receiver";
int die(const mcnet::error& e) { return example::die(program, e); }

}  // namespace

int main(int argc, char** argv) {
  const auto args = example::parse_receiver_args(argc, argv, program);
  const auto& group = args.group;
  const auto& iface = args.iface;
  const bool v4 = group.address().is_v4();

  // The socket is asio's; mcnet works on it through core::socket_ref.
  asio::io_context io;
  asio::ip::udp::socket sock(io);
  boost::system::error_code setup;
  sock.open(v4 ? asio::ip::udp::v4() : asio::ip::udp::v6(), setup);
  if (!setup) sock.set_option(asio::socket_base::reuse_address(true), setup);
  const asio::ip::address any = v4 ? asio::ip::address(asio::ip::address_v4::any()) : asio::ip::address_v6::any();
  if (!setup) sock.bind({any, group.port()}, setup);
  if (setup) {
    std::fprintf(stderr, "%s: %s\n", program, setup.message().c_str());
    return 1;
  }
  if (auto r = example::receive_destination_and_ttl(sock, v4); !r) return die(r.error());
  if (auto r = core::join_group(sock, group.address(), iface.index); !r) return die(r.error());
  std::printf("joined %s on %s (index %u)\n", group.address().to_string().c_str(),
              std::string(iface.name.view()).c_str(), iface.index);
  std::fflush(stdout);

  // ---- the receive logic: wait on asio, read with mcnet
  auto made = core::receive_batch::make(16, 2048);  // all the memory the loop will use
  if (!made) return die(made.error());
  auto& batch = *made;
  int received = 0;
  int batches = 0;
  asio::steady_timer timer(io, std::chrono::milliseconds(args.timeout_ms));
  timer.async_wait([&](const boost::system::error_code& ec) {
    if (!ec) sock.cancel();  // time is up: the pending async_wait ends with operation_aborted
  });
  std::function<void()> wait_readable = [&] {
    sock.async_wait(asio::socket_base::wait_read, [&](const boost::system::error_code& ec) {
      if (ec) return;
      // Readable: take what is queued, never blocking the loop; would_block ends it.
      while (auto n = batch.read(sock, core::cmsg::pktinfo | core::cmsg::hop_limit, core::wait_policy::nonblocking())) {
        ++batches;
        for (const core::message& m : batch) {
          if (const auto number = example::number_of(m.payload()); number.end) {
            std::printf("  %-22s END marker: the sender's run ended after %lld datagrams (not counted)\n",
                        m.peer.to_string().c_str(), number.sequence);
            continue;
          }
          std::printf("  %-22s -> %-14s if %u  %4zu bytes  ttl %d\n", m.peer.to_string().c_str(),
                      m.info.destination.to_string().c_str(), m.info.interface_index, m.size, m.info.hop_limit);
          ++received;
        }
      }
      std::fflush(stdout);
      if (received < args.expected) return wait_readable();
      timer.cancel();
    });
  };
  wait_readable();
  io.run();

  std::printf("received %d of %d datagrams in %d batches%s\n", received, args.expected, batches,
              received < args.expected ? ": timed out" : "");
  return received >= args.expected ? 0 : 1;
}
