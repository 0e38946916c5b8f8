#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The mcnet authors
#
# The Debian packages, in one command:
#   scripts/package.sh      -> build/package/{libmcnet0.1,libmcnet-dev,mcnet-tools}_<version>-<revision>_<arch>.deb
# Two plain Release builds for /usr, as a packager configures them (no
# preset; MCNET_WERROR=ON so that a warning at -O3 fails here rather than in
# a packager's log): build/package-static, the static libraries, and
# build/package-shared, the shared libraries and the tools; then
# `cpack -G DEB` in the shared one, which installs the static one too
# (cmake/McnetPackage.cmake). Then lintian checks the packages against Debian
# policy: an error or a warning fails (the warnings left on purpose are
# overridden, each with its reason, in cmake/debian/*.lintian-overrides), and
# so does a spelling tag.
# Needs dpkg-dev (dpkg-shlibdeps, dpkg-buildflags), file and lintian, which
# scripts/setup.sh installs. tests/consumer/run.sh checks the result.
#
# Who builds the packages is their maintainer, given as for dch(1):
#   DEBFULLNAME="Your Name" DEBEMAIL=you@example.org scripts/package.sh
# or MCNET_PACKAGE_MAINTAINER="Your Name <you@example.org>", which wins over
# them; the same person signs the Debian changelog's entries. Without any,
# it refuses before building and says what is missing
# (cmake/McnetPackage.cmake). MCNET_PACKAGE_HOMEPAGE=https://... adds a
# Homepage field; without it the packages have none. The copyright file's
# Upstream-Contact and Source are MCNET_PACKAGE_UPSTREAM_CONTACT and
# MCNET_PACKAGE_SOURCE (whom to ask upstream, where the source came from),
# else mcnet's own: "The mcnet authors" and the source tree, in words (mcnet
# publishes no address or download location). MCNET_PACKAGE_REVISION (1
# when unset) is the Debian revision; the first entry of
# cmake/debian/changelog.in must carry it (the configure says so when it
# does not). All are read at each run (a value cached by an earlier run is
# not kept). MCNET_FMT_COMPILE_CHECKS=OFF builds without fmt's compile-time
# check of format strings (CMakeLists.txt says what it costs; CI sets it,
# a packager need not).
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
# The flags of a Debian package build, as debhelper passes them to CMake:
# dpkg-buildflags with every hardening feature (_FORTIFY_SOURCE, stack
# protector, relro, bindnow); CMake reads CXXFLAGS and LDFLAGS, not CPPFLAGS,
# so those go into CXXFLAGS. The Release flags (-O3) come after them and win.
# Without their -g: the packages ship stripped and no debug symbols
# (cmake/McnetPackage.cmake says why there is no -dbgsym package).
export DEB_BUILD_MAINT_OPTIONS=hardening=+all
cxxflags=$(sed -E 's/(^| )-g( |$)/ /' <<<"$(dpkg-buildflags --get CPPFLAGS) $(dpkg-buildflags --get CXXFLAGS)")
ldflags=$(dpkg-buildflags --get LDFLAGS)
common=(-G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr -DMCNET_WERROR=ON
        "-DMCNET_FMT_COMPILE_CHECKS=${MCNET_FMT_COMPILE_CHECKS:-ON}"
        -DMCNET_BUILD_TESTS=OFF -DMCNET_BUILD_EXAMPLES=OFF -DMCNET_BUILD_BENCH=OFF
        "-DCMAKE_EXE_LINKER_FLAGS=$ldflags" "-DCMAKE_SHARED_LINKER_FLAGS=$ldflags")
# The shared build is configured first: it is the one that makes the
# packages, and its configure refuses at once when no maintainer is given.
cmake -S . -B build/package-shared "${common[@]}" "-DCMAKE_CXX_FLAGS=$cxxflags" \
      -DBUILD_SHARED_LIBS=ON -DMCNET_BUILD_TOOLS=ON -DMCNET_PACKAGE_DEBIAN=ON \
      "-DMCNET_PACKAGE_MAINTAINER=${MCNET_PACKAGE_MAINTAINER:-}" "-DMCNET_PACKAGE_HOMEPAGE=${MCNET_PACKAGE_HOMEPAGE:-}" \
      "-DMCNET_PACKAGE_UPSTREAM_CONTACT=${MCNET_PACKAGE_UPSTREAM_CONTACT:-}" \
      "-DMCNET_PACKAGE_SOURCE=${MCNET_PACKAGE_SOURCE:-}" \
      "-DMCNET_PACKAGE_REVISION=${MCNET_PACKAGE_REVISION:-1}" \
      -DMCNET_PACKAGE_STATIC_BUILD_DIR="$PWD/build/package-static" >/dev/null ||
  { echo "package: configuring build/package-shared failed (above)" >&2; exit 1; }
# Reproducible packages: every file's time is the changelog's last entry
# (CPack and dpkg-deb honour SOURCE_DATE_EPOCH), not the build's. The
# changelog is the one the configure wrote (cmake/debian/changelog.in,
# signed by the maintainer).
SOURCE_DATE_EPOCH=$(dpkg-parsechangelog -l build/package-shared/debian/changelog -STimestamp)
export SOURCE_DATE_EPOCH
cmake -S . -B build/package-static "${common[@]}" "-DCMAKE_CXX_FLAGS=$cxxflags" \
      -DBUILD_SHARED_LIBS=OFF -DMCNET_BUILD_TOOLS=OFF >/dev/null
cmake --build build/package-static -j "$jobs"
cmake --build build/package-shared -j "$jobs"
rm -f build/package/*.deb
(cd build/package-shared && cpack -G DEB -B "$PWD/../package" >/dev/null)
ls build/package/*.deb
echo "lintian (an error or a warning fails; overrides with reasons: cmake/debian/*.lintian-overrides):"
lintian --fail-on error,warning build/package/*.deb
# Misspellings are lintian's informational tags, which the run above lets
# pass: these fail too. spelling-error-in-binary reads the strings(1) of the
# programs and libraries, where the compiler may have cut a message in two
# (tools/common/src/cli.cpp, empty_value_message()).
echo "lintian, spelling (any tag fails):"
lintian --display-info --fail-on info --tags spelling-error-in-binary,spelling-error-in-description,\
spelling-error-in-description-synopsis,typo-in-manual-page,spelling-error-in-copyright,\
spelling-error-in-changelog,spelling-in-override-comment build/package/*.deb
