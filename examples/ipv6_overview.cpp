// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// The examples of <mcnet/ipv6.hpp>'s overview, compiled so that they stay
// true. Running them needs an interface named eth0 (for example inside a
// test namespace); without an argument the program only says so.

#include <array>
#include <chrono>
#include <cstdio>
#include <span>

#include <mcnet/ipv6.hpp>

namespace core = mcnet::core;
namespace ipv6 = mcnet::ipv6;

namespace {

// Every call returns a result; this one prints what failed (the message says
// what to fix) and goes on, so that each section shows every step.
void check(const mcnet::result<void>& r) {
  if (!r) std::fprintf(stderr, "%s\n", r.error().message().c_str());
}

void unicasting() {
  auto s = core::dial_udp(core::endpoint::parse("[fd77::2]:9").value());
  if (!s) return;
  ipv6::conn c(*s);
  check(c.set_traffic_class(0xb8));
  check(c.set_hop_limit(16));
  if (auto mtu = c.path_mtu()) std::printf("path MTU %u\n", *mtu);
}

void multicasting(ipv6::packet_conn& c, core::interface_ref eth0, std::span<const std::byte> payload) {
  check(c.join_group(core::ip_address::parse("ff1e::1").value(), eth0));
  check(c.join_group(core::ip_address::parse("ff12::1%eth0").value()));
  check(c.set_control_message(ipv6::control_flags::destination | ipv6::control_flags::interface, true));
  check(c.set_multicast_interface(eth0));
  check(c.set_multicast_hop_limit(4));
  check(c.write_to(payload, core::endpoint::parse("[ff1e::1]:5000").value()));
}

void source_specific(ipv6::packet_conn& c, core::interface_ref eth0) {
  auto group = core::ip_address::parse("ff3e::8000:1").value();
  check(c.join_source_specific_group(group, core::ip_address::parse("fd77::1").value(), eth0));
  std::array<core::ip_address, 1> other{core::ip_address::parse("fd77::2").value()};
  check(c.set_source_filter(group, eth0, core::filter_mode::include, other));
}

void control_messages(ipv6::packet_conn& c, core::interface_ref eth0, std::span<const std::byte> payload) {
  using cf = ipv6::control_flags;
  check(c.set_control_message(cf::hop_limit | cf::traffic_class | cf::path_mtu, true));
  c.set_wait(core::wait_policy::nonblocking());
  std::array<std::byte, 1500> buf;
  auto in = c.read_from(buf);
  if (in && in->path_mtu_notification) std::printf("path MTU %u\n", in->control.path_mtu);
  ipv6::control_message out;
  out.interface_index = eth0.index;
  out.hop_limit = 1;
  check(c.write_to(payload, core::endpoint::parse("[ff02::1]:5000").value(), &out));
}

void batches(ipv6::packet_conn& c) {
  auto batch = core::receive_batch::make(32, 2048).value();
  c.set_wait(core::wait_policy::deadline(std::chrono::seconds(1)));
  while (auto n = c.read_batch(batch))
    for (const core::message& m : batch)
      if (!ipv6::is_path_mtu_notification(m)) std::printf("%zu bytes from %s\n", m.size, m.peer.to_string().c_str());
}

}  // namespace

int main(int argc, char**) {
  if (argc < 2) {
    std::puts("the overview examples of <mcnet/ipv6.hpp>; run with any argument inside a namespace with eth0");
    return 0;
  }
  const std::array<std::byte, 4> payload{};
  unicasting();
  auto c = ipv6::packet_conn::listen(core::endpoint::parse("[::]:5000").value(), {.reuse_address = true}).value();
  auto eth0 = core::interface_ref::by_name("eth0").value();
  multicasting(c, eth0, payload);
  source_specific(c, eth0);
  control_messages(c, eth0, payload);
  batches(c);
  return 0;
}
