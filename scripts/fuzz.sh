#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The mcnet authors
#
# Build the libFuzzer targets with clang and run each for a bounded time.
#   scripts/fuzz.sh [SECONDS_PER_TARGET=30]
# The targets run as many at a time as there are CPUs (each is one process
# on one core), so the whole takes about SECONDS times the targets over the
# CPUs; each target's last lines are printed in the targets' order, and a
# target that fails (a crash, a leak, a sanitizer report) fails the script
# with its whole output.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-30}"
scripts/setup.sh
scripts/build.sh fuzz
logs=build/fuzz/logs
rm -rf "$logs"
mkdir -p "$logs"
run_one() {  # run_one TARGET: its run, the output in $logs/NAME.log, the status in $logs/NAME.rc
  local name corpus
  name=$(basename "$1")
  corpus="build/fuzz/corpus/$name"
  mkdir -p "$corpus"
  local rc=0
  "$1" -max_total_time="$seconds" -print_final_stats=1 "$corpus" >"$logs/$name.log" 2>&1 || rc=$?
  echo "$rc" >"$logs/$name.rc"
}
export -f run_one
export seconds logs
targets=()
for target in build/fuzz/tests/fuzz/fuzz_*; do
  [ -x "$target" ] && targets+=("$target")
done
printf '%s\0' "${targets[@]}" | xargs -0 -P "$(nproc)" -n 1 bash -c 'run_one "$1"' _
failed=0
for target in "${targets[@]}"; do
  name=$(basename "$target")
  echo "== $name for ${seconds}s"
  if [ "$(cat "$logs/$name.rc" 2>/dev/null)" = 0 ]; then
    tail -n 3 "$logs/$name.log"
  else
    echo "$name failed (exit $(cat "$logs/$name.rc" 2>/dev/null || echo '?')):"
    cat "$logs/$name.log"
    failed=1
  fi
done
exit "$failed"
