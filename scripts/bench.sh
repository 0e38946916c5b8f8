#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The mcnet authors
#
# Build (release) and run the benchmark suite: the tools against the
# hand-written C receiver and sender, the library against raw system-call
# loops, the feed, tools and netlink benchmarks, printed as a table of ratios
# (bench/suite.py); then mcast-send's pacing accuracy (bench/tools_pacing.sh).
# Everything that sends runs in private network namespaces the scripts create
# and remove, so they need root; nothing leaves them.
#   scripts/bench.sh [--quick] [--json FILE]
# --quick: small counts, to check that every benchmark runs (CI runs it);
# the pacing step is left out.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh release
python3 bench/suite.py --build build/release "$@"
case " $* " in
  *" --quick "*) ;;
  *) bench/tools_pacing.sh build/release ;;
esac
