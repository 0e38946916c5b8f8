#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The mcnet authors
#
# Install every Debian package that building, testing and the demo need.
# Idempotent: when everything is already installed it changes nothing.
#   scripts/setup.sh          all of them
#   scripts/setup.sh build    only what configuring and building every preset
#                             needs (CI installs the rest while it builds)
set -euo pipefail
case "${1:-all}" in
  all | build) ;;
  *) echo "usage: scripts/setup.sh [all|build]" >&2; exit 2 ;;
esac

build_packages=(
  # toolchain
  g++ clang libclang-rt-14-dev cmake ninja-build pkg-config
  # Debian packages: CPack's shlibdeps runs dpkg-shlibdeps (dpkg-dev) on
  # what file(1) calls ELF (scripts/package.sh)
  dpkg-dev file
  # libraries the layers and tools use (docs/design.md)
  libexpected-dev libnl-3-dev libboost-program-options-dev
  libfmt-dev nlohmann-json3-dev libpcap-dev
  # Boost.Asio's headers, used directly by examples/asio_receiver.cpp and the
  # core tests (named here rather than reached through program-options)
  libboost-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev libvalijson-dev
  # core::uring_receiver, the optional io_uring receive backend (multishot
  # recvmsg with provided buffers, liburing 2.3's helpers): without it the
  # library builds without that class (MCNET_WITH_IO_URING=AUTO)
  liburing-dev
  # the API reference: `cmake --build --preset release --target docs`
  doxygen
)
# What only running the tests, the demo and the benchmarks needs.
run_packages=(
  # lintian checks the packages against Debian policy (scripts/package.sh)
  lintian
  # namespaces, captures, interop and routing inside the test networks
  iproute2 procps tcpdump iperf smcroute python3 util-linux
  # interop of the feed codecs (tests/feed/interop_test.cpp): Wireshark's
  # dissectors decode what the builders write; ffmpeg and GStreamer write
  # MPEG-TS and RTP that the views read
  tshark ffmpeg gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good
  # loss injected inside the test networks (nft numgen rules: this kernel has
  # no netem), and promtool (Debian's prometheus) to check the tools' metrics
  nftables prometheus
  # man pages: groff renders them in tests/tools/man_page_test.cpp
  groff-base
)
packages=("${build_packages[@]}")
[ "${1:-all}" = build ] || packages+=("${run_packages[@]}")

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages present"
  exit 0
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# A temporary policy-rc.d keeps package scripts from starting daemons
# (smcrouted) on the host: the project runs them only inside its namespaces.
policy=/usr/sbin/policy-rc.d
own_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null
  $SUDO chmod +x "$policy"
  own_policy=1
fi
cleanup() { [ "$own_policy" -eq 0 ] || $SUDO rm -f "$policy"; }
trap cleanup EXIT
$SUDO apt-get install -y -qq --no-install-recommends "${packages[@]}"
