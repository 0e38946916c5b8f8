#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The mcnet authors
#
# The consumer test: mcnet used the ways its README says, from outside the
# tree. Needs root (network namespaces; apt-get for the .deb files).
#   tests/consumer/run.sh
# What it uses: the builds and packages of scripts/package.sh (run first when
# build/package holds no packages, with the maintainer the environment gives
# it: DEBFULLNAME and DEBEMAIL, or MCNET_PACKAGE_MAINTAINER as .ci/run sets
# it): build/package-static (static libraries),
# build/package-shared (shared libraries and tools), build/package/*.deb.
# What it does, in a directory under /tmp that it removes:
# 1. installs the static build, the shared build, and both, each into a
#    staging prefix of its own (cmake --install --prefix);
# 2. builds tests/consumer (receive_one against each component and against
#    mcnet::mcnet) with find_package: static, shared (both from the prefix
#    holding both kinds), and from the static build tree (export());
#    with pkg-config: mcnet-<component> for each component against the
#    shared libraries, mcnet-netlink with --static, mcnet with -std=c++2b,
#    and mcnet with -std=c++17, which must stop at exactly one error, "mcnet
#    needs C++20 (-std=c++20)";
#    checks that the static programs need no libmcnet and the shared ones do;
# 3. runs every program in a private network namespace pair it creates (a
#    veth pair, 10.77.250.0/24, nothing on the host's interfaces): each
#    joins 239.77.250.1 and receives one datagram sent from the peer;
# 4. checks what find_package says for an unknown component and for a kind
#    of library that is not installed;
# 5. checks the .deb files (dpkg-deb --info/--contents, and what Debian
#    policy asks that lintian, run by scripts/package.sh, does not check:
#    the runtime package named after the soname, exact versions, one
#    synopsis each, compressed files as gzip -9n writes them, the
#    Maintainer and Homepage given to scripts/package.sh and no other, the
#    changelog signed by that Maintainer, the copyright's Upstream-Contact
#    and Source as given or mcnet's own, no RUNPATH), installs them with
#    apt-get, runs mcast-send/mcast-recv
#    --version and --help (each path --help names is installed, from
#    mcnet-tools),
#    builds and runs receive_one against /usr with pkg-config, and purges
#    the packages.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
if [ "$(id -u)" -ne 0 ]; then
  echo "consumer: needs root (network namespaces, apt-get install of the .deb files)" >&2
  exit 1
fi
shared_build=build/package-shared
static_build=build/package-static
debs=build/package
if ! ls "$debs"/mcnet-tools_*.deb >/dev/null 2>&1; then
  scripts/package.sh
fi
# What CPack was told (cmake/McnetPackage.cmake): the upstream version, the
# Debian revision and the runtime package's name.
cpack_value() { sed -n "s/^set($1 \"\(.*\)\")\$/\1/p" "$shared_build/CPackConfig.cmake"; }
version=$(cpack_value CPACK_PACKAGE_VERSION)
deb_version="$version-$(cpack_value CPACK_DEBIAN_PACKAGE_RELEASE)"
runtime=$(cpack_value CPACK_DEBIAN_RUNTIME_PACKAGE_NAME)
packages=("$runtime" libmcnet-dev mcnet-tools)
for p in "${packages[@]}"; do
  if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    echo "consumer: $p is installed already; this test installs and purges it, so it stops here" >&2
    exit 1
  fi
done

libdir=$(sed -n 's/^CMAKE_INSTALL_LIBDIR:PATH=//p' "$shared_build/CMakeCache.txt")
components=(core ipv4 ipv6 netlink feed)
jobs=$(nproc)

work=$(mktemp -d /tmp/mcnet-consumer.XXXXXX)
rx="mcnet-consumer-rx-$$"
tx="mcnet-consumer-tx-$$"
installed_debs=0
cleanup() {
  ip netns del "$rx" 2>/dev/null || true
  ip netns del "$tx" 2>/dev/null || true
  if [ "$installed_debs" -eq 1 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq "${packages[@]}" >/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "consumer: FAILED: $*" >&2
  exit 1
}
step() { echo "== consumer: $*"; }

step "staging installs under $work"
for kind in static shared; do
  cmake --install "build/package-$kind" --prefix "$work/$kind" --component development >/dev/null
  cmake --install "build/package-$kind" --prefix "$work/both" --component development >/dev/null
done
for prefix in "$work/shared" "$work/both"; do
  cmake --install "$shared_build" --prefix "$prefix" --component runtime >/dev/null
done

step "network: namespaces $rx and $tx, veth mcc0-mcc1, 10.77.250.0/24"
ip netns add "$rx"
ip netns add "$tx"
ip link add name mcc0 netns "$rx" type veth peer name mcc1 netns "$tx"
for pair in "$rx mcc0 10.77.250.1" "$tx mcc1 10.77.250.2"; do
  read -r ns dev addr <<<"$pair"
  ip netns exec "$ns" sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
  ip -n "$ns" link set lo up
  ip -n "$ns" addr add "$addr/24" dev "$dev"
  ip -n "$ns" link set "$dev" up
done

# run_receiver LABEL PROGRAM [ENV...]: PROGRAM joins 239.77.250.1 on mcc0 in
# the receiving namespace; once it says so, one RTP datagram goes to the port
# it bound, from the peer; it must receive it within 5 s.
run_receiver() {
  local label=$1 program=$2
  shift 2
  local out="$work/out.$label"
  : >"$out"  # there before the background job opens it, for the loop below
  ip netns exec "$rx" env "$@" "$program" 239.77.250.1 mcc0 5000 >"$out" 2>&1 &
  local pid=$!
  local port=""
  for _ in $(seq 100); do
    port=$(sed -n 's/^joined 239.77.250.1 port \([0-9]*\)$/\1/p' "$out")
    [ -n "$port" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  [ -n "$port" ] || { kill "$pid" 2>/dev/null || true; wait "$pid" || true; cat "$out" >&2; fail "$label did not join"; }
  ip netns exec "$tx" python3 - "$port" <<'PY'
import socket, struct, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton("10.77.250.2"))
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
# RTP (RFC 3550 5.1): version 2, payload type 96, sequence 7, timestamp 0, SSRC 0x4d434e54
s.sendto(struct.pack("!BBHII", 0x80, 96, 7, 0, 0x4D434E54) + b"mcnet consumer", ("239.77.250.1", int(sys.argv[1])))
PY
  local rc=0
  wait "$pid" || rc=$?
  [ "$rc" -eq 0 ] || { cat "$out" >&2; fail "$label exited with $rc"; }
  grep -q '^received 26 bytes from 10.77.250.2:' "$out" || { cat "$out" >&2; fail "$label: no datagram"; }
  if [[ "$label" == *feed* || "$label" == *mcnet* ]]; then
    grep -q '^rtp sequence 7 ssrc 0x4d434e54$' "$out" || { cat "$out" >&2; fail "$label: RTP not read"; }
  fi
  echo "  $label: $(grep '^received' "$out")"
}

# needs_libmcnet PROGRAM yes|no: whether its dynamic section names libmcnet.
needs_libmcnet() {
  local needed
  needed=$(readelf -d "$1" | grep -c 'NEEDED.*libmcnet_' || true)
  if [ "$2" = yes ]; then
    [ "$needed" -gt 0 ] || fail "$1 should need the shared libmcnet"
  else
    [ "$needed" -eq 0 ] || fail "$1 should be linked statically to mcnet"
  fi
}

consumer_build() {  # DIR CMAKE-ARGS...: configure and build tests/consumer
  local dir=$1
  shift
  cmake -S tests/consumer -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release "$@" >"$dir.log" 2>&1 ||
    { cat "$dir.log" >&2; fail "configure $dir"; }
  cmake --build "$dir" -j "$jobs" >>"$dir.log" 2>&1 || { cat "$dir.log" >&2; fail "build $dir"; }
}

for kind in static shared; do
  step "find_package, $kind libraries (prefix with both kinds)"
  [ "$kind" = shared ] && on=ON || on=OFF
  consumer_build "$work/cmake-$kind" -DCMAKE_PREFIX_PATH="$work/both" -DMCNET_SHARED_LIBS="$on"
  for c in "${components[@]}" mcnet; do
    program="$work/cmake-$kind/$c/receive_one_$c"
    needs_libmcnet "$program" "$([ "$kind" = shared ] && echo yes || echo no)"
    run_receiver "cmake-$kind-$c" "$program"
  done
done

step "find_package from the static build tree (mcnet_DIR=$static_build)"
consumer_build "$work/cmake-build-tree" -Dmcnet_DIR="$root/$static_build"
for c in "${components[@]}" mcnet; do
  run_receiver "build-tree-$c" "$work/cmake-build-tree/$c/receive_one_$c"
done

step "pkg-config"
# pc_build NAME PREFIX PKG-CONFIG-ARGS... -- COMPILER-ARGS...
pc_build() {
  local name=$1 prefix=$2
  shift 2
  local pc_args=() cxx_args=()
  while [ "$1" != -- ]; do pc_args+=("$1"); shift; done
  shift
  cxx_args=("$@")
  local flags libs
  flags=$(PKG_CONFIG_PATH="$prefix/$libdir/pkgconfig" pkg-config --cflags "${pc_args[@]}") || fail "pkg-config --cflags ${pc_args[*]}"
  libs=$(PKG_CONFIG_PATH="$prefix/$libdir/pkgconfig" pkg-config --libs "${pc_args[@]}") || fail "pkg-config --libs ${pc_args[*]}"
  case " $flags " in *" -std="*) fail "pkg-config --cflags ${pc_args[*]} forces a standard: $flags" ;; esac
  # shellcheck disable=SC2086  # the flags are words
  g++ -O2 "${cxx_args[@]}" $flags tests/consumer/receive_one.cpp $libs -o "$work/$name" ||
    fail "g++ against ${pc_args[*]}"
}
for c in "${components[@]}"; do
  upper=$(tr '[:lower:]' '[:upper:]' <<<"$c")
  pc_build "pc-shared-$c" "$work/shared" "mcnet-$c" -- -std=c++20 "-DMCNET_CONSUMER_$upper"
  needs_libmcnet "$work/pc-shared-$c" yes
  run_receiver "pc-shared-$c" "$work/pc-shared-$c" LD_LIBRARY_PATH="$work/shared/$libdir"
done
pc_build pc-static-netlink "$work/static" --static mcnet-netlink -- -std=c++20 -DMCNET_CONSUMER_NETLINK
needs_libmcnet "$work/pc-static-netlink" no
run_receiver pc-static-netlink "$work/pc-static-netlink"
all_defines=()
for c in "${components[@]}"; do all_defines+=("-DMCNET_CONSUMER_$(tr '[:lower:]' '[:upper:]' <<<"$c")"); done
pc_build pc-shared-mcnet-cxx23 "$work/shared" mcnet -- -std=c++2b "${all_defines[@]}"
run_receiver pc-shared-mcnet-cxx23 "$work/pc-shared-mcnet-cxx23" LD_LIBRARY_PATH="$work/shared/$libdir"
# As C++17: one message that says what to change, and the compiler stops
# there (<mcnet/core/cxx20.hpp>), not errors from inside the templates.
flags=$(PKG_CONFIG_PATH="$work/shared/$libdir/pkgconfig" pkg-config --cflags mcnet)
# shellcheck disable=SC2086  # the flags are words
if g++ -std=c++17 -fsyntax-only $flags "${all_defines[@]}" tests/consumer/receive_one.cpp >"$work/cxx17.log" 2>&1; then
  fail "receive_one.cpp compiled as C++17"
fi
errors=$(grep -E ': (fatal )?error: ' "$work/cxx17.log" || true)
[ "$(grep -c . <<<"$errors")" -eq 1 ] ||
  { cat "$work/cxx17.log" >&2; fail "as C++17, not exactly one error"; }
[[ "$errors" == *'fatal error: mcnet needs C++20 (-std=c++20): '* ]] ||
  { cat "$work/cxx17.log" >&2; fail "as C++17, the error is not mcnet's message"; }
echo "  -std=c++17: one error: ${errors##*error: }"

step "find_package's messages"
mkdir -p "$work/wrong"
cat >"$work/wrong/CMakeLists.txt" <<'EOF'
cmake_minimum_required(VERSION 3.25)
project(mcnet_wrong LANGUAGES CXX)
find_package(mcnet REQUIRED COMPONENTS ${wanted})
EOF
if cmake -S "$work/wrong" -B "$work/wrong/b1" -DCMAKE_PREFIX_PATH="$work/both" -Dwanted="core;nosuch" \
     >"$work/wrong.log" 2>&1; then
  fail "find_package(mcnet COMPONENTS nosuch) succeeded"
fi
# CMake wraps the message: compared with the lines joined.
said() { tr -s ' \n' '  ' <"$work/wrong.log"; }
said | grep -q 'mcnet has no component "nosuch"; its components are core, ipv4, ipv6, netlink, feed' ||
  { cat "$work/wrong.log" >&2; fail "no message for an unknown component"; }
echo "  unknown component: $(said | grep -o 'mcnet has no component[^;]*')"
if cmake -S "$work/wrong" -B "$work/wrong/b2" -DCMAKE_PREFIX_PATH="$work/static" -Dwanted=core \
     -DMCNET_SHARED_LIBS=ON >"$work/wrong.log" 2>&1; then
  fail "MCNET_SHARED_LIBS=ON found shared libraries in a static-only prefix"
fi
said | grep -q 'mcnet: no shared libraries in .* (MCNET_SHARED_LIBS chooses the kind)' ||
  { cat "$work/wrong.log" >&2; fail "no message for a missing kind"; }
echo "  missing kind: $(said | grep -o 'mcnet: no shared libraries in [^ ]*')"

step "Debian packages in $debs"
# deb_field FILE FIELD PATTERN: a control field of FILE matches PATTERN (grep -E).
deb_field() {
  local value
  value=$(dpkg-deb --field "$1" "$2")
  grep -Eq "$3" <<<"$value" || fail "$(basename "$1"): $2 is '$value', expected /$3/"
}
listing() { dpkg-deb --contents "$1" | awk '{print $6}'; }
# deb_contents FILE PATTERN...: each PATTERN (grep -E) matches a path of FILE.
deb_contents() {
  local file=$1 listing
  shift
  listing=$(listing "$file")
  for p in "$@"; do
    grep -Eq "$p" <<<"$listing" || fail "$(basename "$file") has no path matching $p"
  done
}
# gzip_9n FILE: FILE is compressed as Debian policy asks of man pages and
# changelogs (12.1, 12.7: gzip -9), with -n: a gzip header (RFC 1952 2.3)
# with no file name (FLG 0), no time (MTIME 0) and the best compression
# (XFL 2), so that every build and every architecture gives the same bytes.
gzip_9n() {
  local header
  header=$(od -An -tx1 -N9 "$1" | tr -d ' \n')
  [ "$header" = 1f8b08000000000002 ] ||
    fail "${1#"$work/"} is not as gzip -9n writes it (header $header)"
}
arch=$(dpkg --print-architecture)
lib="$debs/${runtime}_${deb_version}_$arch.deb"
dev="$debs/libmcnet-dev_${deb_version}_$arch.deb"
tools="$debs/mcnet-tools_${deb_version}_$arch.deb"
# A Debian revision after the upstream version (policy 5.6.12).
[[ "$deb_version" =~ ^$version-[0-9][0-9a-z.+~]*$ ]] || fail "package version $deb_version has no Debian revision"
maintainer=$(cpack_value CPACK_DEBIAN_PACKAGE_MAINTAINER)
homepage=$(cpack_value CPACK_DEBIAN_PACKAGE_HOMEPAGE)
[ -n "$maintainer" ] || fail "CPack was given no maintainer"
synopses=()
for f in "$lib" "$dev" "$tools"; do
  [ -f "$f" ] || fail "no $f"
  dpkg-deb --info "$f" >/dev/null
  deb_field "$f" Version "^$deb_version\$"
  deb_field "$f" Maintainer '^.+ <.+@.+>$'
  # Who scripts/package.sh was told builds them (DEBFULLNAME and DEBEMAIL,
  # or MCNET_PACKAGE_MAINTAINER), and a Homepage only when one was given.
  [ "$(dpkg-deb --field "$f" Maintainer)" = "$maintainer" ] ||
    fail "$(basename "$f"): Maintainer is '$(dpkg-deb --field "$f" Maintainer)', package.sh was given '$maintainer'"
  [ "$(dpkg-deb --field "$f" Homepage)" = "$homepage" ] ||
    fail "$(basename "$f"): Homepage is '$(dpkg-deb --field "$f" Homepage)', package.sh was given '$homepage'"
  deb_field "$f" Priority '^optional$'
  deb_field "$f" Description '.'
  description=$(dpkg-deb --field "$f" Description)
  synopses+=("${description%%$'\n'*}")
done
# One synopsis each (Debian policy 3.4.1: a package's synopsis tells it from
# the others).
[ "$(printf '%s\n' "${synopses[@]}" | sort -u | wc -l)" -eq 3 ] ||
  fail "the packages' synopses are not distinct: $(printf "'%s' " "${synopses[@]}")"
# The runtime package is named after its libraries' soname version
# (policy 8.1): libmcnet_core.so.0.1 -> libmcnet0.1.
mkdir "$work/unpacked"
for f in "$lib" "$dev" "$tools"; do dpkg-deb --extract "$f" "$work/unpacked"; done
soname=$(readelf -d "$work/unpacked/usr/$libdir/libmcnet_core.so.$version" | sed -n 's/.*(SONAME).*\[\(.*\)\]$/\1/p')
[ "$runtime" = "libmcnet${soname#libmcnet_core.so.}" ] || fail "runtime package $runtime, soname $soname"
deb_field "$lib" Package "^$runtime\$"
deb_field "$lib" Section '^libs$'
deb_field "$lib" Multi-Arch '^same$'
deb_field "$lib" Depends 'libc6 .*libnl-3-200|libnl-3-200.*libc6'
deb_field "$lib" Depends 'libstdc\+\+6'
deb_field "$dev" Section '^libdevel$'
deb_field "$dev" Multi-Arch '^same$'
# liburing-dev: when core was built with core::uring_receiver (liburing found).
deb_field "$dev" Depends "^$runtime \\(= $deb_version\\), libexpected-dev \\(>= 1.0\\), libnl-3-dev(, liburing-dev \\(>= 2\\.3\\))?\$"
deb_field "$tools" Section '^net$'
deb_field "$tools" Multi-Arch '^no$'
# mcnet-tools' dependency on the runtime is dpkg-shlibdeps', from its shlibs.
deb_field "$tools" Depends "(^|, )$runtime \\(= $deb_version\\)(,|\$)"
deb_field "$tools" Depends 'libpcap0.8'
deb_field "$tools" Depends 'libboost-program-options'
# The runtime's control files: shlibs, one line per library demanding this
# exact version; the ldconfig trigger, and no maintainer script.
# Listings are read whole before grep looks at them: grep -q stopping early
# would fail the pipeline (pipefail) whatever it found.
mkdir "$work/control"
dpkg-deb --control "$lib" "$work/control"
for c in "${components[@]}"; do
  grep -qx "libmcnet_$c ${soname#libmcnet_core.so.} $runtime (= $deb_version)" "$work/control/shlibs" ||
    fail "$runtime's shlibs has no line for libmcnet_$c: $(cat "$work/control/shlibs")"
done
grep -qx 'activate-noawait ldconfig' "$work/control/triggers" || fail "$runtime does not activate the ldconfig trigger"
for script in preinst postinst prerm postrm; do
  [ ! -e "$work/control/$script" ] || fail "$runtime has a $script"
done
lib_paths=() dev_paths=()
for c in "${components[@]}"; do
  lib_paths+=("^\\./usr/$libdir/libmcnet_$c\\.so\\.$version\$" "^\\./usr/$libdir/libmcnet_$c\\.so\\.[0-9.]+\$")
  dev_paths+=("^\\./usr/$libdir/libmcnet_$c\\.a\$" "^\\./usr/$libdir/libmcnet_$c\\.so\$"
              "^\\./usr/$libdir/pkgconfig/mcnet-$c\\.pc\$" "^\\./usr/$libdir/cmake/mcnet/mcnet-$c\\.cmake\$"
              "^\\./usr/$libdir/cmake/mcnet/mcnet-$c-static-targets\\.cmake\$"
              "^\\./usr/$libdir/cmake/mcnet/mcnet-$c-shared-targets\\.cmake\$")
done
# Multi-Arch: same needs the libraries in the multiarch directory.
[[ "$libdir" == lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH) ]] || fail "libraries in /usr/$libdir, not the multiarch directory"
deb_contents "$lib" "${lib_paths[@]}"
deb_contents "$dev" "${dev_paths[@]}" '^\./usr/include/mcnet/core\.hpp$' '^\./usr/include/mcnet/version\.hpp$' \
  '^\./usr/include/mcnet/netlink\.hpp$' "^\\./usr/$libdir/pkgconfig/mcnet\\.pc\$" \
  "^\\./usr/$libdir/cmake/mcnet/mcnetConfig\\.cmake\$" "^\\./usr/$libdir/cmake/mcnet/mcnetConfigVersion\\.cmake\$"
deb_contents "$tools" '^\./usr/bin/mcast-send$' '^\./usr/bin/mcast-recv$' '^\./usr/share/man/man1/mcast-send\.1\.gz$' \
  '^\./usr/share/man/man1/mcast-recv\.1\.gz$' '^\./usr/share/mcnet/mcast-tools\.schema\.json$' \
  '^\./usr/share/doc/mcnet-tools/tools\.md\.gz$'
gzip_9n "$work/unpacked/usr/share/doc/mcnet-tools/tools.md.gz"
if grep -Eq '\.1$|^\./usr/share/doc/mcnet/' <<<"$(listing "$tools")"; then
  fail "mcnet-tools has an uncompressed man page or the schema under /usr/share/doc"
fi
for page in mcast-send mcast-recv; do gzip_9n "$work/unpacked/usr/share/man/man1/$page.1.gz"; done
# Each package's copyright (machine-readable, copyright-format 1.0) and
# Debian changelog, whose first entry is this version.
for p in "${packages[@]}"; do
  doc="$work/unpacked/usr/share/doc/$p"
  [ -f "$doc/copyright" ] || fail "$p has no /usr/share/doc/$p/copyright"
  read -r format <"$doc/copyright"
  [ "$format" = 'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/' ] ||
    fail "$p's copyright is not in the machine-readable format"
  grep -qx 'License: Apache-2.0' "$doc/copyright" || fail "$p's copyright names no Apache-2.0 license"
  grep -q '/usr/share/common-licenses/Apache-2.0' "$doc/copyright" || fail "$p's copyright does not point at common-licenses"
  [ -f "$doc/changelog.Debian.gz" ] || fail "$p has no changelog.Debian.gz"
  gzip_9n "$doc/changelog.Debian.gz"
  changelog=$(zcat "$doc/changelog.Debian.gz")
  [[ "$changelog" == "mcnet ($deb_version) "* ]] || fail "$p's changelog does not begin with $deb_version"
  # Signed by the maintainer package.sh was given; the copyright's
  # Upstream-Contact and Source are those it was given, else mcnet's own
  # (cmake/McnetPackage.cmake), never a placeholder address.
  signer=$(dpkg-parsechangelog -l- -SMaintainer <<<"$changelog")
  [ "$signer" = "$maintainer" ] || fail "$p's changelog is signed by '$signer', the Maintainer is '$maintainer'"
  grep -qx "Upstream-Contact: ${MCNET_PACKAGE_UPSTREAM_CONTACT:-The mcnet authors}" "$doc/copyright" ||
    fail "$p's copyright: $(grep '^Upstream-Contact:' "$doc/copyright" || echo no Upstream-Contact)"
  grep -qx "Source: ${MCNET_PACKAGE_SOURCE:-the mcnet $version source tree of The mcnet authors (no public download location)}" \
    "$doc/copyright" || fail "$p's copyright: $(grep '^Source:' "$doc/copyright" || echo no Source)"
  if [ -z "${MCNET_PACKAGE_UPSTREAM_CONTACT:-}${MCNET_PACKAGE_SOURCE:-}" ] && grep -q '\.invalid' "$doc/copyright"; then
    fail "$p's copyright has a placeholder address (.invalid)"
  fi
done
# Stripped (policy 10.1): the shared libraries and the programs have no
# symbol table or debug sections.
for elf in "$work"/unpacked/usr/"$libdir"/libmcnet_*.so."$version" "$work"/unpacked/usr/bin/mcast-*; do
  sections=$(readelf -S --wide "$elf")
  if grep -Eq ' \.(symtab|debug_[a-z]+) ' <<<"$sections"; then fail "${elf#"$work/unpacked"} is not stripped"; fi
done
# No RUNPATH or RPATH (lintian: custom-library-search-path): in /usr the
# dynamic linker finds the libraries (cmake/McnetTargets.cmake gives one
# only under other prefixes).
for elf in "$work"/unpacked/usr/"$libdir"/libmcnet_*.so."$version" "$work"/unpacked/usr/bin/mcast-*; do
  if readelf -d "$elf" | grep -Eq '\((RUNPATH|RPATH)\)'; then fail "${elf#"$work/unpacked"} has a RUNPATH"; fi
done
# Each file in exactly one package: the runtime has no development files and
# the other way round.
if grep -Eq '\.a$|/include/|\.so$|pkgconfig|cmake' <<<"$(listing "$lib")"; then fail "$runtime holds development files"; fi
if grep -Eq '\.so\.[0-9]|/bin/' <<<"$(listing "$dev")"; then fail "libmcnet-dev holds runtime files"; fi
if grep -Eq 'libmcnet|/include/' <<<"$(listing "$tools")"; then fail "mcnet-tools holds library files"; fi
echo "  $(basename "$lib"), $(basename "$dev"), $(basename "$tools"): fields and contents as expected"

step "apt-get install of the packages"
installed_debs=1
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "./$lib" "./$dev" "./$tools" >/dev/null
for tool in mcast-send mcast-recv; do
  out=$("/usr/bin/$tool" --version)
  grep -q "$version" <<<"$out" || fail "$tool --version says '$out'"
  help=$("/usr/bin/$tool" --help) || fail "$tool --help exited with $?"
  grep -q "$tool" <<<"$help" || fail "$tool --help does not name $tool"
  # What --help points to is installed, from mcnet-tools: each absolute
  # path it names (the reference and the schema) and its man page.
  named=$(grep -oE '(^|[ (])/usr/[A-Za-z0-9._+/-]+' <<<"$help" | tr -d ' (' | sort -u)
  [ "$(wc -l <<<"$named")" -ge 2 ] || fail "$tool --help names no installed reference and schema: $named"
  tools_listing=$(listing "$tools")
  for path in $named; do
    [ -f "$path" ] || fail "$tool --help names $path, which is not installed"
    grep -qx "\.$path" <<<"$tools_listing" || fail "$tool --help names $path, which mcnet-tools does not ship"
  done
  grep -q "man $tool" <<<"$help" || fail "$tool --help does not name its man page"
  [ -f "/usr/share/man/man1/$tool.1.gz" ] || fail "$tool's man page is not installed"
  if grep -q 'docs/' <<<"$help"; then fail "$tool --help names a path of the source tree (docs/)"; fi
  echo "  $tool --help names $(tr '\n' ' ' <<<"$named")and man $tool: installed"
  echo "  $tool --version: $out"
done
[ -f /usr/share/man/man1/mcast-recv.1.gz ] || fail "mcast-recv.1.gz not installed"
# The ldconfig trigger ran: the dynamic linker's cache has the libraries.
cache=$(ldconfig -p)
grep -q "libmcnet_core\.so\.${soname#libmcnet_core.so.} " <<<"$cache" || fail "libmcnet_core is not in ldconfig's cache"
[ -f /usr/share/mcnet/mcast-tools.schema.json ] || fail "/usr/share/mcnet/mcast-tools.schema.json not installed"
pc_build system-mcnet /usr mcnet -- -std=c++20 "${all_defines[@]}"
run_receiver system-mcnet "$work/system-mcnet"
DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq "${packages[@]}" >/dev/null
installed_debs=0
for p in "${packages[@]}"; do
  if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "installed"; then fail "$p still installed after purge"; fi
done
[ ! -e /usr/bin/mcast-recv ] || fail "/usr/bin/mcast-recv left after purge"
echo "  purged"
step "passed"
