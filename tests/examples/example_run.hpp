// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

// Running the example programs (examples/) inside the hosts of a test
// network, with their output captured, for the tests of mcnet_examples_tests.
// An example is named as its CMake target without the prefix: "asio_receiver"
// is build/.../examples/mcnet-example-asio_receiver (MCNET_EXAMPLES_DIR).

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "lan.hpp"
#include "process.hpp"

namespace mcnet::test::examples {

/// The path of the example program `name` ("asio_receiver").
std::string example_path(std::string_view name);

/// Run example `name` with `args` inside `h` to completion (at most
/// `timeout`, then killed); its exit status and output.
run_result run_example(const host& h, std::string_view name, const std::vector<std::string>& args,
                       std::chrono::milliseconds timeout = std::chrono::seconds(20));

/// Start example `name` inside `h`, wait until its standard output holds
/// `ready` (at most 5 s: a receiver says it has joined), run `during` (what
/// sends to it), then wait for it to end (at most `timeout`, then SIGKILL).
/// A test failure says so when `ready` never came; `during` runs anyway.
run_result run_example_while(const host& h, std::string_view name, const std::vector<std::string>& args,
                             std::string_view ready, const std::function<void()>& during,
                             std::chrono::milliseconds timeout = std::chrono::seconds(20));

/// A UDP port free in `h`'s namespace (the kernel's pick for port 0), for a
/// receiver example to bind: the tests use no fixed ports.
std::uint16_t free_port(const host& h);

/// The lines of `text` that contain `needle`.
std::vector<std::string> lines_with(const std::string& text, std::string_view needle);

/// GROUP:PORT as the examples and the tools take it, an IPv6 group in
/// brackets: "239.255.31.1:5000", "[ff1e::31:1]:5000".
std::string group_spec(const std::string& group, const std::string& port);

/// A parameterised test's name for (example, IPv6): "asio_receiver_IPv6".
std::string example_and_family(const std::tuple<const char*, bool>& param);

/// exclude_receiver's test network: a LAN of three hosts, a sender let in
/// (`allowed`), a sender kept out (`blocked`) and the receiver (`rx`), with
/// the group on a port free in the receiver and the senders' addresses of
/// the family. Empty `net` when the LAN could not be made.
struct exclude_lan {
  std::unique_ptr<network> net;
  std::string group, spec, allowed_address, blocked_address;

  /// Make it for `group` (of the family the test wants).
  static exclude_lan make(const std::string& group, bool v6);
  [[nodiscard]] const host& allowed() const { return (*net)[0]; }
  [[nodiscard]] const host& blocked() const { return (*net)[1]; }
  [[nodiscard]] const host& rx() const { return (*net)[2]; }
};

}  // namespace mcnet::test::examples
