// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// The examples of <mcnet/ipv4.hpp>'s overview, compiled so that they stay
// true. Each function is one section; running it needs an interface named
// eth0 (for example inside a test namespace). Nothing here runs at build time.

#include <array>
#include <chrono>
#include <cstdio>
#include <span>

#include <mcnet/ipv4.hpp>

namespace core = mcnet::core;
namespace ipv4 = mcnet::ipv4;

namespace {

// Every call returns a result; this one prints what failed (the message says
// what to fix) and goes on, so that each section shows every step.
void check(const mcnet::result<void>& r) {
  if (!r) std::fprintf(stderr, "%s\n", r.error().message().c_str());
}

void unicasting() {
  auto s = core::dial_tcp(core::endpoint::parse("10.77.0.2:80").value());
  if (!s) return;
  ipv4::conn c(*s);
  check(c.set_tos(0x28));  // DSCP AF11
  check(c.set_ttl(32));
}

void multicasting(std::span<const std::byte> payload) {
  auto c = ipv4::packet_conn::listen(core::endpoint::parse("0.0.0.0:5000").value(), {.reuse_address = true}).value();
  auto eth0 = core::interface_ref::by_name("eth0").value();
  check(c.join_group(core::ip_address::parse("239.255.0.1").value(), eth0));
  check(c.set_multicast_all(false));
  check(c.set_control_message(ipv4::control_flags::destination | ipv4::control_flags::interface, true));
  std::array<std::byte, 1500> buf;
  c.set_wait(core::wait_policy::deadline(std::chrono::seconds(2)));  // a run without a sender ends too
  auto r = c.read_from(buf);
  if (r) std::printf("to %s on %u\n", r->control.destination.to_string().c_str(), r->control.interface_index);

  check(c.set_multicast_interface(eth0));
  check(c.set_multicast_ttl(4));
  check(c.write_to(payload, core::endpoint::parse("239.255.0.1:5000").value()));
}

void source_specific(ipv4::packet_conn& c, core::interface_ref eth0) {
  auto group = core::ip_address::parse("232.1.1.1").value();
  check(c.join_source_specific_group(group, core::ip_address::parse("10.77.0.1").value(), eth0));
  std::array<core::ip_address, 1> other{core::ip_address::parse("10.77.0.2").value()};
  check(c.set_source_filter(group, eth0, core::filter_mode::include, other));
  check(c.join_group(core::ip_address::parse("239.255.0.2").value(), eth0));
  check(c.exclude_source_specific_group(core::ip_address::parse("239.255.0.2").value(),
                                        core::ip_address::parse("10.77.0.9").value(), eth0));
}

void control_messages(ipv4::packet_conn& c, core::interface_ref eth0, std::span<const std::byte> payload,
                      const core::endpoint& destination) {
  using cf = ipv4::control_flags;
  check(c.set_control_message(cf::ttl | cf::tos | cf::timestamp | cf::drops, true));
  std::array<std::byte, 1500> buf;
  c.set_wait(core::wait_policy::deadline(std::chrono::seconds(2)));
  auto in = c.read_from(buf);
  if (in) std::printf("ttl %d tos %d\n", in->control.ttl, in->control.tos);
  ipv4::control_message out;
  out.interface_index = eth0.index;
  out.source = core::ip_address::parse("10.77.0.1").value();
  out.ttl = 1;
  check(c.write_to(payload, destination, &out));
}

void batches(ipv4::packet_conn& c) {
  using cf = ipv4::control_flags;
  (void)c.set_control_message(cf::software_timestamp | cf::hardware_timestamp, true);
  auto batch = core::receive_batch::make(32, 2048).value();
  c.set_wait(core::wait_policy::deadline(std::chrono::seconds(1)));
  while (auto n = c.read_batch(batch))
    for (const core::message& m : batch)
      std::printf("%zu bytes to %s\n", m.size, ipv4::to_control_message(m.info).destination.to_string().c_str());
}

}  // namespace

int main(int argc, char**) {
  if (argc < 2) {
    std::puts("the overview examples of <mcnet/ipv4.hpp>; run with any argument inside a namespace with eth0");
    return 0;
  }
  const std::array<std::byte, 4> payload{};
  unicasting();
  multicasting(payload);
  auto c = ipv4::packet_conn::listen(core::endpoint::parse("0.0.0.0:0").value()).value();
  auto eth0 = core::interface_ref::by_name("eth0").value();
  source_specific(c, eth0);
  control_messages(c, eth0, payload, core::endpoint::parse("239.255.0.1:5000").value());
  batches(c);
  return 0;
}
