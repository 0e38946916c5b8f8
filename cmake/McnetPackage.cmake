# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The mcnet authors
#
# Debian packages with CPack (`cpack -G DEB` in the build directory), one per
# install component:
#   libmcnet       runtime      the shared libraries
#   libmcnet-dev   development  headers, static libraries, namelinks, the
#                               CMake package and the pkg-config files
#   mcnet-tools    tools        mcast-send, mcast-recv, their man pages and
#                               the JSON Schema of their output
# A build is either static or shared; the packages want the shared libraries
# in libmcnet and the static ones in libmcnet-dev, so scripts/package.sh
# configures a shared build (this one, with the tools) and a static one
# (libraries only), and gives the second's directory here as
# MCNET_PACKAGE_STATIC_BUILD_DIR: CPack installs both into the packages.
# Dependencies on system libraries are computed (dpkg-shlibdeps, from
# dpkg-dev); those on mcnet's own packages are written here, at the same
# version.
set(MCNET_PACKAGE_STATIC_BUILD_DIR "" CACHE PATH
    "A static build of the libraries whose install goes into the packages too (scripts/package.sh)")
set(MCNET_PACKAGE_MAINTAINER "The mcnet authors <maintainers@mcnet.invalid>" CACHE STRING
    "The Maintainer field of the Debian packages")
set(MCNET_PACKAGE_HOMEPAGE "https://mcnet.invalid/" CACHE STRING "The Homepage field of the Debian packages")

set(CPACK_PACKAGE_NAME mcnet)
set(CPACK_PACKAGE_VENDOR "The mcnet authors")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_HOMEPAGE_URL "${MCNET_PACKAGE_HOMEPAGE}")
# Installed with DESTDIR, so that the install prefix the .pc files are
# written with (cmake/McnetInstall.cmake) is the packages' own, not CPack's
# staging directory; the build is configured for /usr (scripts/package.sh).
set(CPACK_SET_DESTDIR ON)
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
set(CPACK_GENERATOR DEB)
set(CPACK_COMPONENTS_ALL runtime development)
if(MCNET_BUILD_TOOLS)
  list(APPEND CPACK_COMPONENTS_ALL tools)
endif()
set(CPACK_INSTALL_CMAKE_PROJECTS "${PROJECT_BINARY_DIR};${PROJECT_NAME};ALL;/")
if(MCNET_PACKAGE_STATIC_BUILD_DIR)
  list(APPEND CPACK_INSTALL_CMAKE_PROJECTS "${MCNET_PACKAGE_STATIC_BUILD_DIR};${PROJECT_NAME};ALL;/")
endif()

set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${MCNET_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "${MCNET_PACKAGE_HOMEPAGE}")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# libmcnet's DEBIAN/shlibs (and ldconfig in its postinst/postrm). While
# the version is 0.x the soname changes with every minor version but the
# package name does not, so "libmcnet (>= 0.1.0)" would be met by a 0.2
# that no longer ships .so.0.1: a program built against this version needs
# exactly it ("="). (Naming the package after the soname, libmcnet0.1, so
# that versions install side by side, is the Debian way; not done yet.)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS_POLICY "=")
# The tools need libmcnet's libraries, which no installed package owns while
# dpkg-shlibdeps runs: it finds them in the build tree; the dependency on
# libmcnet is the explicit one below.
get_property(mcnet_libraries GLOBAL PROPERTY MCNET_LIBRARIES)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS "")
foreach(target IN LISTS mcnet_libraries)
  get_target_property(dir ${target} BINARY_DIR)
  list(APPEND CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS ${dir})
endforeach()
set(mcnet_same_version "(= ${PROJECT_VERSION})")

set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME libmcnet)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION libs)
set(CPACK_COMPONENT_RUNTIME_DESCRIPTION "IP multicast and IP-level socket options for Linux (shared libraries)
mcnet is a C++20 library for IP multicast on Linux: typed IPv4 and IPv6
socket options, RFC 3678 group membership (ASM and SSM), datagram batches
with kernel timestamps, rtnetlink queries and events, and feed codecs
(MoldUDP64, RTP, MPEG-TS) with sequencing and A/B line arbitration.

This package holds the shared libraries libmcnet_core, libmcnet_ipv4,
libmcnet_ipv6, libmcnet_netlink and libmcnet_feed.")

set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_NAME libmcnet-dev)
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_DEPENDS
    "libmcnet ${mcnet_same_version}, libexpected-dev (>= 1.0), libnl-3-dev")
set(CPACK_COMPONENT_DEVELOPMENT_DESCRIPTION "IP multicast and IP-level socket options for Linux (development files)
mcnet is a C++20 library for IP multicast on Linux.

This package holds the headers, the static libraries, the CMake package
(find_package(mcnet COMPONENTS core ipv4 ipv6 netlink feed)) and the
pkg-config files (mcnet, mcnet-core, ...). Consumers compile as C++20 or
later.")

set(CPACK_DEBIAN_TOOLS_PACKAGE_NAME mcnet-tools)
set(CPACK_DEBIAN_TOOLS_PACKAGE_SECTION net)
set(CPACK_DEBIAN_TOOLS_PACKAGE_DEPENDS "libmcnet ${mcnet_same_version}")
set(CPACK_COMPONENT_TOOLS_DESCRIPTION "IP multicast diagnostic tools: mcast-send and mcast-recv
mcast-send sends multicast streams (IPv4 and IPv6, ASM and SSM groups,
paced, with fault injection, MoldUDP64, RTP or MPEG-TS payloads, pcap
replay); mcast-recv joins groups and reports per-stream loss, reordering,
duplicates, latency and jitter as text, JSON Lines, CSV or Prometheus
metrics.")

# Each description: its first line is the package's synopsis, the rest its
# extended description (CPack indents it as Debian's control file wants).
include(CPack)
