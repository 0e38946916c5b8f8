#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The mcnet authors
#
# Install what is needed, build, and run every test.
#   scripts/test.sh            release build, all tests
#   scripts/test.sh asan       the same built with ASan+UBSan
# Tests that build network namespaces need root; without it they skip with
# the reason (MCNET_REQUIRE_PRIVILEGED=1 turns those skips into failures).
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-release}"
scripts/setup.sh
scripts/build.sh "$preset"
ctest --preset "$preset" --timeout 300
