#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The mcnet authors
#
# The demo: a private LAN of two hosts in network namespaces, joined by a
# bridge in a third; one host sends multicast (IPv4, then IPv6) through mcnet,
# the other joins the group and reports every datagram that arrived.
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
sw="$tag-sw"; tx="$tag-tx"; rx="$tag-rx"
cleanup() {
  for ns in "$tx" "$rx" "$sw"; do ip netns delete "$ns" 2>/dev/null || true; done
}
trap cleanup EXIT INT TERM

for ns in "$sw" "$tx" "$rx"; do ip netns add "$ns"; done
for ns in "$tx" "$rx"; do
  ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
done
ip -n "$sw" link add dev br0 type bridge mcast_snooping 0
ip -n "$sw" link set dev br0 up
n=1
for ns in "$tx" "$rx"; do
  ip -n "$sw" link add dev "port$n" type veth peer name eth0 netns "$ns"
  ip -n "$sw" link set dev "port$n" master br0 up
  ip -n "$ns" link set dev lo up
  ip -n "$ns" link set dev eth0 up
  ip -n "$ns" address add "10.77.0.$n/24" dev eth0
  ip -n "$ns" address add "fd77::$n/64" dev eth0 nodad
  n=$((n + 1))
done

echo "== LAN: sender 10.77.0.1 / fd77::1, receiver 10.77.0.2 / fd77::2 (bridge, IGMP snooping off)"
status=0
run_pair() {
  local group="$1" label="$2"
  echo
  echo "== $label: $group"
  ip netns exec "$rx" "$bin/mcnet-example-multicast_receiver" "$group" eth0 10 5000 > "/tmp/$tag.rx" 2>&1 &
  local pid=$!
  sleep 0.3  # the receiver joins before the first datagram leaves
  ip netns exec "$tx" "$bin/mcnet-example-multicast_sender" "$group" eth0 10 50 1
  wait "$pid" || status=1
  cat "/tmp/$tag.rx"
  rm -f "/tmp/$tag.rx"
}
run_pair "239.255.0.1:5000" "IPv4 any-source multicast"
run_pair "[ff1e::77:1]:5000" "IPv6 any-source multicast"

echo
if [ "$status" -eq 0 ]; then
  echo "== demo: every datagram arrived"
else
  echo "== demo: datagrams were missing (see above)"
fi
exit "$status"
