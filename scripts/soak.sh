#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The mcnet authors
#
# The soak run: mcast-send -> mcast-recv for a long time in two private
# network namespaces joined by a veth pair, with a small drop pattern, then
# the receiver's peak memory (VmHWM), its CPU time, and whether its counts
# equal the sender's exactly (sent = packets - duplicates + lost, and lost =
# the numbers the sender dropped on purpose). Nothing leaves the namespaces.
#   scripts/soak.sh [SECONDS] [PPS]      (default 600 s at 20000 pps; root)
# Exits 0 when the counts agree, 1 otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-600}"
pps="${2:-20000}"
if [ "$(id -u)" -ne 0 ]; then
  echo "soak: needs root to create network namespaces (run with sudo)" >&2
  exit 1
fi
tools=build/release/tools
[ -x "$tools/mcast-recv" ] || scripts/build.sh release

tag="mcnet-soak-$$"
tx="$tag-tx"; rx="$tag-rx"
out="$(mktemp -d)"
cleanup() {
  for ns in "$tx" "$rx"; do ip netns delete "$ns" 2>/dev/null || true; done
  [ -n "${keep:-}" ] || rm -rf "$out"
}
trap cleanup EXIT INT TERM
echo "soak: output in $out"
ip netns add "$tx"
ip netns add "$rx"
ip -n "$tx" link add dev eth0 type veth peer name eth0 netns "$rx"
for ns in "$tx" "$rx"; do
  ip -n "$ns" link set dev lo up
  ip -n "$ns" link set dev eth0 up
done
ip -n "$tx" address add 10.77.0.1/24 dev eth0
ip -n "$rx" address add 10.77.0.2/24 dev eth0
sleep 1

count=$((seconds * pps))
ip netns exec "$rx" "$tools/mcast-recv" -i eth0 --json --rcvbuf 4194304 -d $((seconds + 5)) 239.255.0.9:5009 \
  > "$out/rx.json" 2> "$out/rx.err" &
rx_pid=$!
sleep 0.5
ip netns exec "$tx" "$tools/mcast-send" -i eth0 --json -c "$count" -r "${pps}pps" --drop-every 1000 239.255.0.9:5009 \
  > "$out/tx.json" 2> "$out/tx.err" &
tx_pid=$!
# The receiver's peak resident memory, read while it runs (it is gone afterwards).
hwm=0
ticks=0
while kill -0 "$rx_pid" 2>/dev/null; do
  now=$(awk '/VmHWM/ {print $2}' "/proc/$rx_pid/status" 2>/dev/null || echo 0)
  [ -n "$now" ] && [ "$now" -gt "$hwm" ] && hwm=$now
  ticks=$(awk '{print $14 + $15}' "/proc/$rx_pid/stat" 2>/dev/null || echo "$ticks")
  sleep 1
done
wait "$tx_pid"
wait "$rx_pid" || true
hz=$(getconf CLK_TCK)
python3 - "$out/tx.json" "$out/rx.json" "$hwm" "$ticks" "$hz" "$count" <<'EOF'
import json, sys
tx_file, rx_file, hwm, ticks, hz, count = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
def events(path):
    return [json.loads(l) for l in open(path) if l.startswith('{')]
tx = [e for e in events(tx_file) if e.get('event') == 'summary'][-1]
rx = [e for e in events(rx_file) if e.get('event') == 'summary'][-1]
sent = tx['groups'][0]['sent']
numbers = tx['groups'][0]['next_sequence']
s = rx['streams'][0]
dropped = numbers - sent  # --drop-every 1000: numbers passed without a datagram
ok = len(rx['streams']) == 1 and s['packets'] - s['duplicates'] + s['lost'] == numbers and s['lost'] == dropped
print(f"soak: {numbers} sequence numbers, {sent} sent; received {s['packets']} packets, lost {s['lost']} "
      f"(dropped on purpose {dropped}), duplicates {s['duplicates']}, reordered {s['reordered']}, "
      f"kernel drops {rx['total']['kernel_drops']}")
print(f"soak: mcast-recv peak RSS {hwm / 1024:.1f} MiB, CPU {ticks / hz:.1f} s over {rx['elapsed_s']:.0f} s "
      f"({ticks / hz / rx['elapsed_s'] * 100:.1f} % of a core, {ticks / hz / max(s['packets'], 1) * 1e9:.0f} ns per datagram)")
print("soak: counts agree" if ok else "soak: COUNTS DISAGREE")
sys.exit(0 if ok else 1)
EOF
