#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The mcnet authors
#
# The demo: a private LAN of two hosts in network namespaces, joined by a
# bridge in a third; one host sends multicast (IPv4, then IPv6) through mcnet,
# the other joins the group and reports every datagram that arrived; then a
# MoldUDP64 feed on an A/B pair of lines, merged by the receiver.
# Nothing leaves the namespaces; everything is removed on exit.
#   scripts/demo.sh            (needs root for the namespaces)
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" -ne 0 ]; then
  echo "demo: needs root to create network namespaces (run with sudo)" >&2
  exit 1
fi
scripts/setup.sh
scripts/build.sh release
bin=build/release/examples

# Unique names, so that two demos (or a demo and the tests) never collide.
tag="mcnet-demo-$$"
sw="$tag-sw"; tx1="$tag-tx1"; tx2="$tag-tx2"; rx="$tag-rx"
cleanup() {
  for ns in "$tx1" "$tx2" "$rx" "$sw"; do ip netns delete "$ns" 2>/dev/null || true; done
}
trap cleanup EXIT INT TERM

for ns in "$sw" "$tx1" "$tx2" "$rx"; do ip netns add "$ns"; done
ip -n "$sw" link add dev br0 type bridge mcast_snooping 0
ip -n "$sw" link set dev br0 up
n=1
for ns in "$tx1" "$tx2" "$rx"; do
  ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
  ip -n "$sw" link add dev "port$n" type veth peer name eth0 netns "$ns"
  ip -n "$sw" link set dev "port$n" master br0 up
  ip -n "$ns" link set dev lo up
  ip -n "$ns" link set dev eth0 up
  ip -n "$ns" address add "10.77.0.$n/24" dev eth0
  ip -n "$ns" address add "fd77::$n/64" dev eth0 nodad
  n=$((n + 1))
done
sleep 1  # let the new links come up (linkwatch)

tools=build/release/tools
echo "== LAN: sender tx1 10.77.0.1 / fd77::1, sender tx2 10.77.0.2 / fd77::2, receiver rx 10.77.0.3 / fd77::3"
status=0

echo
echo "== rx's interfaces, as mcast-recv --interfaces sees them"
ip netns exec "$rx" "$tools/mcast-recv" --interfaces | sed 's/^/  /'

echo
echo "== 1. any-source multicast, IPv4 and IPv6 at once; tx1 drops every 100th and reorders every 50th on purpose"
ip netns exec "$rx" "$tools/mcast-recv" -i eth0 -d 3 --interval 1 239.255.0.1:5000 "[ff1e::77:1]:5000" > "/tmp/$tag.rx" 2>&1 &
pid=$!
sleep 0.5
ip netns exec "$tx1" "$tools/mcast-send" -i eth0 -c 1000 -r 2000pps --ttl 1 --tos ef \
  --drop-every 100 --reorder-every 50 239.255.0.1:5000 "[ff1e::77:1]:5000" | sed 's/^/  tx1: /'
wait "$pid" || status=1
sed 's/^/  rx: /' "/tmp/$tag.rx"

echo
echo "== 2. two senders (tx1: TTL 4, TOS af41; tx2: TTL 8, TOS cs1), one receiver with an SSM join"
echo "      (232.1.1.1 from tx1 only) and an ASM join (239.255.0.2, from anyone); both senders send to both"
ip netns exec "$rx" "$tools/mcast-recv" -i eth0 -d 2.5 10.77.0.1,232.1.1.1:5001 239.255.0.2:5001 > "/tmp/$tag.rx" 2>&1 &
pid=$!
sleep 0.5
ip netns exec "$tx1" "$tools/mcast-send" -i eth0 -c 200 -r 1000pps --ttl 4 --tos af41 -q 232.1.1.1:5001 239.255.0.2:5001 &
ip netns exec "$tx2" "$tools/mcast-send" -i eth0 -c 200 -r 1000pps --ttl 8 --tos cs1 -q 232.1.1.1:5001 239.255.0.2:5001
wait "$pid" || status=1
sed 's/^/  rx: /' "/tmp/$tag.rx"
echo "  (expected: 232.1.1.1 from 10.77.0.1 only; 239.255.0.2 from both; TTL/TOS as each sender set: af41 = 136, cs1 = 32)"
rm -f "/tmp/$tag.rx"

echo
echo "== 3. a market-data feed on two lines: MoldUDP64 (session DEMO, 3 messages a packet) on A 239.255.1.1"
echo "      and B 239.255.2.1; tx1 drops every 10th packet on A and every 15th on B; rx merges the lines"
ip netns exec "$rx" "$tools/mcast-recv" -i eth0 -d 2.5 --line A=239.255.1.1:5010 --line B=239.255.2.1:5011 \
  > "/tmp/$tag.rx" 2>&1 &
pid=$!
sleep 0.5
ip netns exec "$tx1" "$tools/mcast-send" -i eth0 -c 1000 -r 1000pps --payload moldudp64 --session DEMO --messages 3 \
  --drop-every 10 --line-b 239.255.2.1:5011 --drop-every-b 15 -q 239.255.1.1:5010
wait "$pid" || status=1
sed 's/^/  rx: /' "/tmp/$tag.rx"
echo "  (expected: A misses 300 messages, B 198; merged, only the 99 that both lines dropped are lost)"
rm -f "/tmp/$tag.rx"

echo
echo "== 4. the library's own example programs (examples/), IPv4"
ip netns exec "$rx" build/release/examples/mcnet-example-multicast_receiver 239.255.0.9:5002 eth0 5 5000 > "/tmp/$tag.ex" 2>&1 &
pid=$!
sleep 0.3
ip netns exec "$tx1" build/release/examples/mcnet-example-multicast_sender 239.255.0.9:5002 eth0 5 20 1 > /dev/null
wait "$pid" || status=1
sed 's/^/  /' "/tmp/$tag.ex"
rm -f "/tmp/$tag.ex"

echo
if [ "$status" -eq 0 ]; then
  echo "== demo: done (stream 1 shows the injected loss and reordering; in 2, 232.1.1.1 only from tx1;"
  echo "   in 3, the merged feed lost only what both lines dropped)"
else
  echo "== demo: a receiver failed (see above)"
fi
exit "$status"
