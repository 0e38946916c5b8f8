// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// Helper for the harness test that kills a test process: builds a LAN,
// prints its holder pids, and waits (at most 60 s) to be killed. Everything
// it made must vanish when it dies without running any destructor.

#include <chrono>
#include <cstdio>
#include <thread>

#include "lan.hpp"

int main() {
  auto net = mcnet::test::network::lan(2);
  std::printf("switch %d\n", net->switch_ns().pid());
  for (std::size_t i = 0; i < net->size(); ++i) std::printf("host %d\n", (*net)[i].ns().pid());
  std::printf("ready\n");
  std::fflush(stdout);
  std::this_thread::sleep_for(std::chrono::seconds(60));
  return 0;
}
