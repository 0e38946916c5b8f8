#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The mcnet authors
#
# The Debian packages, in one command:
#   scripts/package.sh      -> build/package/{libmcnet,libmcnet-dev,mcnet-tools}_<version>_<arch>.deb
# Two plain Release builds for /usr, as a packager configures them (no
# preset; MCNET_WERROR=ON so that a warning at -O3 fails here rather than in
# a packager's log): build/package-static, the static libraries, and
# build/package-shared, the shared libraries and the tools; then
# `cpack -G DEB` in the shared one, which installs the static one too
# (cmake/McnetPackage.cmake). Needs dpkg-dev (dpkg-shlibdeps) and file,
# which scripts/setup.sh installs. tests/consumer/run.sh checks the result.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
common=(-G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr -DMCNET_WERROR=ON
        -DMCNET_BUILD_TESTS=OFF -DMCNET_BUILD_EXAMPLES=OFF -DMCNET_BUILD_BENCH=OFF)
cmake -S . -B build/package-static "${common[@]}" -DBUILD_SHARED_LIBS=OFF -DMCNET_BUILD_TOOLS=OFF >/dev/null
cmake --build build/package-static -j "$jobs"
cmake -S . -B build/package-shared "${common[@]}" -DBUILD_SHARED_LIBS=ON -DMCNET_BUILD_TOOLS=ON \
      -DMCNET_PACKAGE_STATIC_BUILD_DIR="$PWD/build/package-static" >/dev/null
cmake --build build/package-shared -j "$jobs"
rm -f build/package/*.deb
(cd build/package-shared && cpack -G DEB -B "$PWD/../package" >/dev/null)
ls build/package/*.deb
