#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The mcnet authors
#
# Build (release) and run the benchmarks. They create their own private
# network namespace, so they need root; nothing leaves it.
#   scripts/bench.sh [extra Google Benchmark flags]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh release
build/release/bench/mcnet_datagram_bench --benchmark_min_time=0.5 "$@"
build/release/bench/mcnet_netlink_bench "$@"
build/release/bench/mcnet_feed_bench --benchmark_min_time=0.5 "$@"
build/release/bench/mcnet_tools_bench --benchmark_min_time=0.5 "$@"
build/release/bench/mcnet_gso_bench
bench/tools_pacing.sh build/release
