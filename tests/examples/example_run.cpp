// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include "example_run.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <sstream>
#include <thread>

#include <mcnet/core/dial.hpp>
#include <mcnet/core/socket_ops.hpp>

namespace mcnet::test::examples {

std::string example_path(std::string_view name) {
  // Appended rather than `string(DIR) + "..."`: at -O1 g++ 12 takes that
  // temporary for a short (in-place) string and warns, falsely, with
  // -Warray-bounds.
  std::string path(MCNET_EXAMPLES_DIR);
  path.append("/mcnet-example-").append(name);
  return path;
}

run_result run_example(const host& h, std::string_view name, const std::vector<std::string>& args,
                       std::chrono::milliseconds timeout) {
  std::vector<std::string> argv{example_path(name)};
  argv.insert(argv.end(), args.begin(), args.end());
  return h.exec(argv, {}, timeout);
}

run_result run_example_while(const host& h, std::string_view name, const std::vector<std::string>& args,
                             std::string_view ready, const std::function<void()>& during,
                             std::chrono::milliseconds timeout) {
  std::vector<std::string> argv{example_path(name)};
  argv.insert(argv.end(), args.begin(), args.end());
  auto p = h.start(argv);
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  bool seen = false;
  while (!(seen = p.standard_output().find(ready) != std::string::npos) && std::chrono::steady_clock::now() < give_up) {
    if (p.wait_for(std::chrono::milliseconds(10))) break;  // it ended before it was ready
  }
  EXPECT_TRUE(seen) << p.command() << " never printed \"" << ready << "\":\n" << p.output();
  during();
  auto st = p.wait_for(timeout);
  if (!st) st = p.stop(SIGKILL);
  return {*st, p.output(), p.standard_output()};
}

std::uint16_t free_port(const host& h) {
  return h.run([] {
    auto s = mcnet::core::listen_udp(mcnet::core::endpoint::parse("0.0.0.0:0").value()).value();
    return mcnet::core::local_endpoint(s).value().port();
  });
}

std::vector<std::string> lines_with(const std::string& text, std::string_view needle) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.find(needle) != std::string::npos) out.push_back(line);
  }
  return out;
}

std::string group_spec(const std::string& group, const std::string& port) {
  return group.find(':') != std::string::npos ? "[" + group + "]:" + port : group + ":" + port;
}

std::string example_and_family(const std::tuple<const char*, bool>& param) {
  return std::string(std::get<0>(param)) + (std::get<1>(param) ? "_IPv6" : "_IPv4");
}

exclude_lan exclude_lan::make(const std::string& group, bool v6) {
  exclude_lan l;
  l.net = network::lan(3);
  if (!l.net) return l;
  l.group = group;
  l.spec = group_spec(group, std::to_string(free_port(l.rx())));
  l.allowed_address = (v6 ? l.allowed().v6() : l.allowed().v4()).to_string();
  l.blocked_address = (v6 ? l.blocked().v6() : l.blocked().v4()).to_string();
  return l;
}

}  // namespace mcnet::test::examples
