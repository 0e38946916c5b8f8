#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The mcnet authors
#
# How accurately mcast-send paces, measured end to end: two private network
# namespaces joined by a veth pair; mcast-send -r RATE for 3 s, mcast-recv
# reporting every 0.5 s. First the same pair unpaced ("max"): the capacity of
# this machine with a receiver (a veth delivers in the sender's context, so
# sender and receiver share the CPUs). Prints, per rate, the sender's
# achieved rate as a ratio to the target, the receiver's slowest and fastest
# full interval as ratios to the target, and loss / kernel drops. Asserts
# nothing.
# Nothing leaves the namespaces; they are removed on exit.
#   bench/tools_pacing.sh [BUILD_DIR] [RATE_PPS...]     (root; default build/release, 100000 200000 500000)
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" -ne 0 ]; then
  echo "tools_pacing: needs root to create network namespaces" >&2
  exit 1
fi
build=${1:-build/release}
shift || true
rates=("$@")
[ ${#rates[@]} -gt 0 ] || rates=(100000 200000 500000)
send=$build/tools/mcast-send
recv=$build/tools/mcast-recv
[ -x "$send" ] && [ -x "$recv" ] || { echo "tools_pacing: build the tools first (scripts/build.sh release)" >&2; exit 1; }

tag="mcnet-pace-$$"
tx="$tag-tx"; rx="$tag-rx"
out=$(mktemp -d)
cleanup() {
  ip netns delete "$tx" 2>/dev/null || true
  ip netns delete "$rx" 2>/dev/null || true
  rm -rf "$out"
}
trap cleanup EXIT INT TERM
ip netns add "$tx"
ip netns add "$rx"
ip -n "$tx" link add eth0 type veth peer name eth0 netns "$rx"
for ns in "$tx" "$rx"; do
  ip -n "$ns" link set lo up
  ip -n "$ns" link set eth0 up
done
ip -n "$tx" address add 10.77.0.1/24 dev eth0
ip -n "$rx" address add 10.77.0.2/24 dev eth0
# The veth carries traffic only once linkwatch has run: wait for UP.
for _ in $(seq 50); do
  [ "$(ip netns exec "$rx" cat /sys/class/net/eth0/operstate)" = up ] && break
  sleep 0.1
done

echo "mcast-send pacing, $(nproc) CPUs, $(uname -r); 3 s per rate, 100-byte payloads, receiver intervals of 0.5 s"
printf '%10s %14s %10s %12s %12s %8s %12s\n' target_pps sent_pps sent/tgt min_ivl/tgt max_ivl/tgt lost kernel_drops
port=47000
for rate in max "${rates[@]}"; do
  port=$((port + 1))
  ip netns exec "$rx" "$recv" -i eth0 --json --interval 0.5 -d 4.5 --rcvbuf 16777216 --force \
    "239.255.90.1:$port" > "$out/rx.json" &
  pid=$!
  sleep 0.5
  pace=(-r "${rate}pps")
  [ "$rate" = max ] && pace=()
  ip netns exec "$tx" "$send" -i eth0 --json "${pace[@]}" -d 3 "239.255.90.1:$port" > "$out/tx.json"
  wait "$pid"
  python3 - "$rate" "$out/tx.json" "$out/rx.json" <<'EOF'
import json, sys
tx = [json.loads(l) for l in open(sys.argv[2])]
rx = [json.loads(l) for l in open(sys.argv[3])]
summary = next(e for e in tx if e["event"] == "summary")
sent_pps = summary["total"]["rate_pps"]
target = sent_pps if sys.argv[1] == "max" else float(sys.argv[1])
# Full receiver intervals while the sender ran: those with traffic, without
# the first and the last (the sender starts and stops inside them).
rates = [sum(s["rate_pps"] for s in e["streams"]) for e in rx if e["event"] == "interval"]
busy = [i for i, r in enumerate(rates) if r > 0]
full = rates[busy[0] + 1:busy[-1]] if len(busy) > 2 else []
total = next(e for e in rx if e["event"] == "summary")["total"]
lo = min(full) / target if full else float("nan")
hi = max(full) / target if full else float("nan")
label = "max" if sys.argv[1] == "max" else f"{target:.0f}"
print(f"{label:>10} {sent_pps:14.0f} {sent_pps / target:10.4f} {lo:12.4f} {hi:12.4f} {total['lost']:8d} {total['kernel_drops']:12d}")
EOF
done
