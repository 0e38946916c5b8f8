# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The mcnet authors
#
# Debian packages with CPack (`cpack -G DEB` in the build directory), one per
# install component:
#   libmcnet0.1    runtime      the shared libraries (named after their
#                               soname's version, MCNET_SOVERSION)
#   libmcnet-dev   development  headers, static libraries, namelinks, the
#                               CMake package and the pkg-config files
#   mcnet-tools    tools        mcast-send, mcast-recv, their man pages and
#                               the JSON Schema of their output
# The shared libraries and the programs are stripped.
# A build is either static or shared; the packages want the shared libraries
# in libmcnet0.1 and the static ones in libmcnet-dev, so scripts/package.sh
# configures a shared build (this one, with the tools and
# MCNET_PACKAGE_DEBIAN=ON) and a static one (libraries only), and gives the
# second's directory here as MCNET_PACKAGE_STATIC_BUILD_DIR: CPack installs
# both into the packages. Dependencies on system libraries are computed
# (dpkg-shlibdeps, from dpkg-dev), and so is mcnet-tools' on libmcnet0.1;
# libmcnet-dev's are written here. scripts/package.sh runs lintian on the
# result; tests/consumer/run.sh checks fields and contents.
set(MCNET_PACKAGE_STATIC_BUILD_DIR "" CACHE PATH
    "A static build of the libraries whose install goes into the packages too (scripts/package.sh)")
set(MCNET_PACKAGE_MAINTAINER "" CACHE STRING
    "The Maintainer field of the Debian packages, \"Name <address>\" (default: DEBFULLNAME and DEBEMAIL)")
set(MCNET_PACKAGE_HOMEPAGE "" CACHE STRING "The Homepage field of the Debian packages (none when empty)")
set(MCNET_PACKAGE_UPSTREAM_CONTACT "" CACHE STRING
    "Upstream-Contact of the packages' copyright file (default: mcnet's own, MCNET_UPSTREAM_CONTACT)")
set(MCNET_PACKAGE_SOURCE "" CACHE STRING
    "Source of the packages' copyright file: where the source came from (default: mcnet's own, MCNET_UPSTREAM_SOURCE)")
set(MCNET_PACKAGE_REVISION 1 CACHE STRING
    "The Debian revision of the packages (their version is <project version>-<revision>)")

# mcnet's own upstream values, which the copyright file of each package
# (cmake/debian/copyright.in, copyright-format 1.0) gives when the packager
# gives none: who the upstream is, the copyright holder of every file, and
# where the source comes from, said in words: mcnet publishes no address
# or download location of its own, and a made-up one (a URL or address that
# reaches nobody) would ship as if it did. A packager who took the source
# from somewhere gives that place (MCNET_PACKAGE_SOURCE) and whom to ask
# about it (MCNET_PACKAGE_UPSTREAM_CONTACT); both fields are free-form text
# in copyright-format 1.0.
set(MCNET_UPSTREAM_CONTACT "The mcnet authors")
set(MCNET_UPSTREAM_SOURCE "the mcnet ${PROJECT_VERSION} source tree of The mcnet authors (no public download location)")

# The Maintainer is whoever builds the packages, found as dch(1) finds who
# signs a changelog entry: MCNET_PACKAGE_MAINTAINER when given, else the
# name in DEBFULLNAME (or NAME) and the address in DEBEMAIL (or EMAIL), or
# DEBEMAIL alone in the form "Name <address>". There is no default: with
# none of them a configure with MCNET_PACKAGE_DEBIAN (scripts/package.sh)
# stops and says which variables to set, and `cpack -G DEB` of another build
# refuses for want of CPACK_DEBIAN_PACKAGE_MAINTAINER. The same person signs
# the Debian changelog's entries. The project's CI passes a maintainer of
# its own on purpose (.ci/run): its packages are tests, not releases. Read
# at configure time, as every setting of CPack.
# mcnet_package_maintainer(OUT PROBLEM): OUT is "Name <address>", or "" with
# PROBLEM saying what is missing and how to give it.
function(mcnet_package_maintainer out problem)
  set(maintainer "${MCNET_PACKAGE_MAINTAINER}")
  set(missing "")
  if(NOT maintainer)
    # The variable each part came from, for the message when one is missing.
    set(name "$ENV{DEBFULLNAME}")
    set(name_from DEBFULLNAME)
    if(NOT name)
      set(name "$ENV{NAME}")
      set(name_from NAME)
    endif()
    set(address "$ENV{DEBEMAIL}")
    set(address_from DEBEMAIL)
    if(NOT address)
      set(address "$ENV{EMAIL}")
      set(address_from EMAIL)
    endif()
    if(address MATCHES "^(.*[^ ]) *<([^<>]+)>$")
      if(NOT name)
        set(name "${CMAKE_MATCH_1}")
      endif()
      set(address "${CMAKE_MATCH_2}")
    endif()
    if(name AND address)
      set(maintainer "${name} <${address}>")
    elseif(address)
      string(CONCAT missing "${address_from} gives the address ${address}, but no name is given (DEBFULLNAME and NAME "
                  "are unset): set DEBFULLNAME=\"Your Name\" too (or ${address_from}=\"Your Name <${address}>\", "
                  "or MCNET_PACKAGE_MAINTAINER=\"Your Name <${address}>\")")
    elseif(name)
      string(CONCAT missing "${name_from} gives the name \"${name}\", but no address is given (DEBEMAIL and EMAIL are "
                  "unset): set DEBEMAIL=you@example.org too (or MCNET_PACKAGE_MAINTAINER=\"${name} <you@example.org>\")")
    else()
      string(CONCAT missing "none is given: set DEBFULLNAME and DEBEMAIL as for dch(1) "
                  "(DEBFULLNAME=\"Your Name\" DEBEMAIL=you@example.org), or MCNET_PACKAGE_MAINTAINER="
                  "\"Your Name <you@example.org>\"")
    endif()
  endif()
  set(${out} "${maintainer}" PARENT_SCOPE)
  set(${problem} "${missing}" PARENT_SCOPE)
endfunction()
mcnet_package_maintainer(mcnet_maintainer mcnet_maintainer_missing)
if(MCNET_PACKAGE_DEBIAN)
  if(NOT mcnet_maintainer)
    message(FATAL_ERROR "The Debian packages need a maintainer (their Maintainer field, Debian policy 5.6.2, "
                        "who also signs the changelog), and ${mcnet_maintainer_missing}")
  elseif(NOT mcnet_maintainer MATCHES "^[^<>]*[^<> ] <[^<>@ ]+@[^<>@ ]+>$")
    message(FATAL_ERROR "The packages' maintainer \"${mcnet_maintainer}\" is not \"Name <address>\" "
                        "(Debian policy 5.6.2): set MCNET_PACKAGE_MAINTAINER, or DEBFULLNAME and DEBEMAIL")
  endif()
endif()
# Homepage is optional (Debian policy 5.6.23): the field is there only when
# MCNET_PACKAGE_HOMEPAGE gives one.
if(MCNET_PACKAGE_HOMEPAGE AND NOT MCNET_PACKAGE_HOMEPAGE MATCHES "^https?://[^ ]+$")
  message(FATAL_ERROR "MCNET_PACKAGE_HOMEPAGE \"${MCNET_PACKAGE_HOMEPAGE}\" is not an http(s) URL")
endif()
# The copyright file's header fields: the packager's, else mcnet's own.
foreach(field IN ITEMS UPSTREAM_CONTACT SOURCE)
  if(MCNET_PACKAGE_${field} MATCHES "\n")
    message(FATAL_ERROR "MCNET_PACKAGE_${field}: one line, for the copyright file's header")
  endif()
endforeach()
set(mcnet_upstream_contact "${MCNET_UPSTREAM_CONTACT}")
if(MCNET_PACKAGE_UPSTREAM_CONTACT)
  set(mcnet_upstream_contact "${MCNET_PACKAGE_UPSTREAM_CONTACT}")
endif()
set(mcnet_upstream_source "${MCNET_UPSTREAM_SOURCE}")
if(MCNET_PACKAGE_SOURCE)
  set(mcnet_upstream_source "${MCNET_PACKAGE_SOURCE}")
endif()

set(mcnet_deb_version "${PROJECT_VERSION}-${MCNET_PACKAGE_REVISION}")
set(mcnet_runtime_package libmcnet${MCNET_SOVERSION})
set(mcnet_debian_dir ${PROJECT_SOURCE_DIR}/cmake/debian)

# The packaging files of each package (Debian policy 12.5, 12.7): its
# copyright in the machine-readable format (copyright-format 1.0) and the
# Debian changelog, compressed as policy asks (gzip -9), with -n: no name or
# time in the header, so that the bytes are the same on every architecture,
# which Multi-Arch: same requires; and lintian's overrides where the package has
# any (cmake/debian/<package>.lintian-overrides). Both are written from the
# templates in cmake/debian (configure_file): the copyright with the
# Upstream-Contact and Source above, the changelog's entries signed by the
# maintainer (as dch(1) signs them with DEBFULLNAME and DEBEMAIL), into
# debian/ of the build directory, where scripts/package.sh reads the last
# entry's time. Only with MCNET_PACKAGE_DEBIAN, as these paths mean nothing
# outside a Debian package.
if(MCNET_PACKAGE_DEBIAN)
  # Its first line, as written (file(STRINGS) would give "\;" for the ";").
  file(READ ${mcnet_debian_dir}/changelog.in changelog)
  string(REGEX MATCH "^[^\n]*" changelog_top "${changelog}")
  string(REPLACE "." "\\." version_pattern "${mcnet_deb_version}")
  if(NOT changelog_top MATCHES "^mcnet \\(${version_pattern}\\) ")
    message(FATAL_ERROR "cmake/debian/changelog.in begins with '${changelog_top}': its first entry must be "
                        "the packages' version, ${mcnet_deb_version} (project version and MCNET_PACKAGE_REVISION)")
  endif()
  file(MAKE_DIRECTORY ${PROJECT_BINARY_DIR}/debian)
  configure_file(${mcnet_debian_dir}/changelog.in ${PROJECT_BINARY_DIR}/debian/changelog @ONLY)
  configure_file(${mcnet_debian_dir}/copyright.in ${PROJECT_BINARY_DIR}/debian/copyright @ONLY)
  set(changelog_gz ${PROJECT_BINARY_DIR}/debian/changelog.Debian.gz)
  execute_process(COMMAND gzip -9n -c ${PROJECT_BINARY_DIR}/debian/changelog OUTPUT_FILE ${changelog_gz}
                  RESULT_VARIABLE gzip_result)
  if(NOT gzip_result EQUAL 0)
    message(FATAL_ERROR "gzip -9n of the Debian changelog failed: ${gzip_result}")
  endif()
  foreach(pair IN ITEMS "runtime;${mcnet_runtime_package}" "development;libmcnet-dev" "tools;mcnet-tools")
    list(GET pair 0 component)
    list(GET pair 1 package)
    if(component STREQUAL "tools" AND NOT MCNET_BUILD_TOOLS)
      continue()
    endif()
    install(FILES ${PROJECT_BINARY_DIR}/debian/copyright ${changelog_gz}
            DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/${package} COMPONENT ${component})
    set(overrides ${mcnet_debian_dir}/${package}.lintian-overrides)
    if(EXISTS ${overrides})
      install(FILES ${overrides} DESTINATION ${CMAKE_INSTALL_DATADIR}/lintian/overrides RENAME ${package}
              COMPONENT ${component})
    endif()
  endforeach()
endif()

set(CPACK_PACKAGE_NAME mcnet)
set(CPACK_PACKAGE_VENDOR "The mcnet authors")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
# Each package's description below begins with its own synopsis; CPack would
# put this one (the project's description) above each of them.
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "")
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
set(CPACK_DEBIAN_PACKAGE_RELEASE ${MCNET_PACKAGE_REVISION})
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${mcnet_maintainer}")
if(MCNET_PACKAGE_HOMEPAGE)
  set(CPACK_PACKAGE_HOMEPAGE_URL "${MCNET_PACKAGE_HOMEPAGE}")
  set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "${MCNET_PACKAGE_HOMEPAGE}")
endif()
# The three binary packages come from one source package, as the changelog names it.
set(CPACK_DEBIAN_PACKAGE_SOURCE mcnet)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# libmcnet0.1's DEBIAN/shlibs. While the version is 0.x the soname changes
# with every minor version, and so does the package name; within one minor
# version the ABI is not promised to stay (no symbols file tracks it), so a
# program built against this version needs exactly it ("=").
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS_POLICY "=")
# The shared libraries and programs are stripped as they are installed for
# packaging (`cmake --install --strip`; static libraries are left alone).
# Without -dbgsym packages: CPack 3.25's CPACK_DEBIAN_DEBUGINFO_PACKAGE
# writes the .ddeb's md5sums with the absolute paths of its staging
# directory instead of the package's paths (dpkg --verify and lintian fail
# on every file) and gives the .ddeb no /usr/share/doc (no copyright).
set(CPACK_STRIP_FILES ON)

# mcnet-tools needs libmcnet0.1, which no installed package provides while
# dpkg-shlibdeps runs: it finds the libraries through
# CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS, in a directory
# (package-shlibs/lib, links to the built libraries) whose package root
# (package-shlibs, the parent holding DEBIAN/) has the shlibs file that
# libmcnet0.1 will ship, so the dependency is computed as for any library.
# libmcnet0.1's own libraries are found first in its own staging tree, so it
# gets no dependency on itself (dpkg-shlibdeps(1), "-S").
if(BUILD_SHARED_LIBS)
  set(shlibs_root ${PROJECT_BINARY_DIR}/package-shlibs)
  file(MAKE_DIRECTORY ${shlibs_root}/DEBIAN ${shlibs_root}/lib)
  set(shlibs "")
  get_property(mcnet_libraries GLOBAL PROPERTY MCNET_LIBRARIES)
  foreach(target IN LISTS mcnet_libraries)
    get_target_property(type ${target} TYPE)
    if(type STREQUAL "SHARED_LIBRARY")
      get_target_property(dir ${target} BINARY_DIR)
      get_target_property(name ${target} OUTPUT_NAME)
      set(soname lib${name}.so.${MCNET_SOVERSION})
      file(CREATE_LINK ${dir}/${soname} ${shlibs_root}/lib/${soname} SYMBOLIC)
      # The line CPack writes into libmcnet0.1's shlibs (deb-shlibs(5)).
      string(APPEND shlibs "lib${name} ${MCNET_SOVERSION} ${mcnet_runtime_package} (= ${mcnet_deb_version})\n")
    endif()
  endforeach()
  mcnet_write_if_changed(${shlibs_root}/DEBIAN/shlibs "${shlibs}")
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS ${shlibs_root}/lib)
endif()

# What CPack 3.25 cannot write, done to the built packages
# (cmake/McnetDebianFinish.cmake): Multi-Arch: same on these packages, and
# no postinst and postrm that only run ldconfig, as CPack writes them:
# libmcnet0.1 activates libc-bin's ldconfig trigger instead
# (cmake/debian/triggers, its CONTROL_EXTRA below).
set(CPACK_MCNET_MULTIARCH_SAME ${mcnet_runtime_package} libmcnet-dev)
set(CPACK_POST_BUILD_SCRIPTS ${PROJECT_SOURCE_DIR}/cmake/McnetDebianFinish.cmake)

# Each description: its first line is the package's synopsis, the rest its
# extended description (CPack indents it as Debian's control file wants).
set(mcnet_about "mcnet is a C++20 library for IP multicast on Linux: typed IPv4 and IPv6
socket options, RFC 3678 group membership (any-source and source-specific),
datagram batches with kernel timestamps, rtnetlink queries and events, and
feed codecs (MoldUDP64, RTP, MPEG-TS) with sequencing and A/B line
arbitration.")

set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME ${mcnet_runtime_package})
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION libs)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_CONTROL_EXTRA ${mcnet_debian_dir}/triggers)
set(CPACK_COMPONENT_RUNTIME_DESCRIPTION "C++ library for IP multicast on Linux - shared libraries
${mcnet_about}

This package holds the shared libraries libmcnet_core, libmcnet_ipv4,
libmcnet_ipv6, libmcnet_netlink and libmcnet_feed.")

set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_NAME libmcnet-dev)
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_DEPENDS
    "${mcnet_runtime_package} (= ${mcnet_deb_version}), libexpected-dev (>= 1.0), libnl-3-dev")
# mcnet-core.pc names liburing in Requires.private when core was built with
# it (core::uring_receiver), and pkg-config needs its .pc file.
if(MCNET_HAS_IO_URING)
  string(APPEND CPACK_DEBIAN_DEVELOPMENT_PACKAGE_DEPENDS ", liburing-dev (>= 2.3)")
endif()
set(CPACK_COMPONENT_DEVELOPMENT_DESCRIPTION "C++ library for IP multicast on Linux - development files
${mcnet_about}

This package holds the headers, the static libraries, the CMake package
(find_package(mcnet COMPONENTS core ipv4 ipv6 netlink feed)) and the
pkg-config files (mcnet, mcnet-core, ...). Consumers compile as C++20 or
later.")

set(CPACK_DEBIAN_TOOLS_PACKAGE_NAME mcnet-tools)
set(CPACK_DEBIAN_TOOLS_PACKAGE_SECTION net)
set(CPACK_COMPONENT_TOOLS_DESCRIPTION "multicast stream sender and receiver with per-stream statistics
mcast-send sends multicast streams (IPv4 and IPv6, any-source and
source-specific groups, paced, with fault injection, MoldUDP64, RTP or MPEG-TS
payloads, pcap replay); mcast-recv joins groups and reports per-stream loss,
reordering, duplicates, latency and jitter as text, JSON Lines, CSV or
Prometheus metrics. Both have stable exit codes for scripts.")

include(CPack)
