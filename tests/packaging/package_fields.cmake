# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The mcnet authors
#
# The packages' Maintainer and Homepage, and the copyright file and
# changelog they ship (ctest: mcnet_package_fields; cmake/McnetPackage.cmake),
# from configures of SOURCE_DIR in WORK_DIR with MCNET_PACKAGE_DEBIAN,
# without building: the maintainer comes from DEBFULLNAME and DEBEMAIL as
# dch(1) takes them, MCNET_PACKAGE_MAINTAINER wins over them, none at all or
# half of one (an address without a name, a name without an address) stops
# the configure with a message saying what is missing and which variable
# gives it; Homepage is in CPack's settings only when given; the changelog
# is signed by the maintainer; the copyright's Upstream-Contact and Source
# are the packager's when given, else mcnet's own, and nothing in either
# file is a placeholder address (.invalid); a changelog whose first entry
# is not the packages' version stops the configure, quoting the entry as
# written.
#   cmake -DSOURCE_DIR=... -DWORK_DIR=... -DGENERATOR=Ninja -P package_fields.cmake
cmake_minimum_required(VERSION 3.25)
include(${CMAKE_CURRENT_LIST_DIR}/script_args.cmake)
mcnet_require_script_args(package_fields.cmake SOURCE_DIR WORK_DIR GENERATOR)
set(build ${WORK_DIR}/package-fields)
# The project's version (project() in SOURCE_DIR/CMakeLists.txt), as a
# regular expression.
file(STRINGS ${SOURCE_DIR}/CMakeLists.txt project_line REGEX "^project\\(mcnet VERSION ")
string(REGEX MATCH "[0-9]+\\.[0-9]+\\.[0-9]+" version "${project_line}")
string(REPLACE "." "\\." version_pattern "${version}")
set(failed "")

# configure(RESULT OUTPUT ENV [CMAKE-ARGS...]): a fresh configure with only
# the environment variables ENV ("NAME=value;...") of the maintainer's set.
function(configure result output env)
  file(REMOVE_RECURSE ${build})
  execute_process(COMMAND ${CMAKE_COMMAND} -E env --unset=DEBFULLNAME --unset=DEBEMAIL --unset=NAME --unset=EMAIL
                          ${env} ${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${build} -G ${GENERATOR}
                          -DCMAKE_INSTALL_PREFIX=/usr -DMCNET_PACKAGE_DEBIAN=ON -DMCNET_BUILD_TESTS=OFF
                          -DMCNET_BUILD_EXAMPLES=OFF -DMCNET_BUILD_BENCH=OFF ${ARGN}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  set(${result} ${rc} PARENT_SCOPE)
  string(REGEX REPLACE "[ \n]+" " " out "${out}")
  set(${output} "${out}" PARENT_SCOPE)
endfunction()

# expect(LABEL VARIABLE VALUE): CPack was configured with VARIABLE = VALUE
# ("" : not set at all).
function(expect label variable value)
  file(STRINGS ${build}/CPackConfig.cmake line REGEX "^set\\(${variable} ")
  if(value STREQUAL "")
    set(want "")
  else()
    set(want "set(${variable} \"${value}\")")
  endif()
  if(NOT line STREQUAL want)
    set(failed "${failed}${label}: ${variable} is [${line}], expected [${want}]\n" PARENT_SCOPE)
  else()
    message(STATUS "${label}: ${variable} [${value}]")
  endif()
endfunction()

# expect_line(LABEL FILE PATTERN): a line of FILE (under the build's
# debian/) matches PATTERN, a regular expression.
function(expect_line label file pattern)
  file(STRINGS ${build}/debian/${file} lines REGEX "${pattern}")
  if(NOT lines)
    file(READ ${build}/debian/${file} text)
    set(failed "${failed}${label}: debian/${file} has no line matching [${pattern}]:\n${text}\n" PARENT_SCOPE)
  else()
    message(STATUS "${label}: debian/${file} [${lines}]")
  endif()
endfunction()

# refused(LABEL RC OUTPUT PATTERN): the configure stopped, and its message
# (whitespace collapsed) matches PATTERN and has no list separator (" ;",
# from a message put together as a CMake list).
function(refused label rc out pattern)
  if(rc EQUAL 0)
    set(failed "${failed}${label}: the configure went on\n" PARENT_SCOPE)
  elseif(out MATCHES " ;")
    set(failed "${failed}${label}: a stray \";\" in the message: ${out}\n" PARENT_SCOPE)
  elseif(NOT out MATCHES "${pattern}")
    set(failed "${failed}${label}: the message does not match [${pattern}]: ${out}\n" PARENT_SCOPE)
  else()
    message(STATUS "${label}: refused: ${CMAKE_MATCH_0}")
  endif()
endfunction()

configure(rc out "")
refused("no maintainer" "${rc}" "${out}"
        "need a maintainer.*none is given: set DEBFULLNAME and DEBEMAIL.*MCNET_PACKAGE_MAINTAINER")

# Half a maintainer: the message says which half is missing and where it
# goes, not "none is given".
configure(rc out "DEBEMAIL=jo@example.org")
refused("DEBEMAIL without a name" "${rc}" "${out}"
        "DEBEMAIL gives the address jo@example.org, but no name is given \\(DEBFULLNAME and NAME are unset\\): set DEBFULLNAME=\"Your Name\" too \\(or DEBEMAIL=\"Your Name <jo@example.org>\", or MCNET_PACKAGE_MAINTAINER=\"Your Name <jo@example.org>\"\\)")
if(out MATCHES "none is given")
  string(APPEND failed "DEBEMAIL without a name: the message says none is given: ${out}\n")
endif()
configure(rc out "DEBFULLNAME=Jo Packager")
refused("DEBFULLNAME without an address" "${rc}" "${out}"
        "DEBFULLNAME gives the name \"Jo Packager\", but no address is given \\(DEBEMAIL and EMAIL are unset\\): set DEBEMAIL=you@example.org too")

configure(rc out "DEBFULLNAME=Jo Packager;DEBEMAIL=jo@example.org")
expect("DEBFULLNAME, DEBEMAIL" CPACK_DEBIAN_PACKAGE_MAINTAINER "Jo Packager <jo@example.org>")
expect("no homepage" CPACK_DEBIAN_PACKAGE_HOMEPAGE "")
expect("no homepage" CPACK_PACKAGE_HOMEPAGE_URL "")
# The changelog's entry is signed by the maintainer; the copyright's header
# is mcnet's own, with no placeholder address.
expect_line("changelog signer" changelog "^ -- Jo Packager <jo@example\\.org>  [A-Z][a-z][a-z], ")
expect_line("mcnet's own Upstream-Contact" copyright "^Upstream-Contact: The mcnet authors$")
expect_line("mcnet's own Source" copyright
            "^Source: the mcnet ${version_pattern} source tree of The mcnet authors \\(no public download location\\)$")
foreach(file IN ITEMS changelog copyright)
  file(READ ${build}/debian/${file} text)
  if(text MATCHES "\\.invalid|@[A-Za-z_]+@")
    string(APPEND failed "debian/${file} has a placeholder (${CMAKE_MATCH_0}):\n${text}\n")
  endif()
endforeach()
find_program(DPKG_PARSECHANGELOG dpkg-parsechangelog)
if(DPKG_PARSECHANGELOG)
  execute_process(COMMAND ${DPKG_PARSECHANGELOG} -l ${build}/debian/changelog -SMaintainer
                  OUTPUT_VARIABLE signer ERROR_VARIABLE parse_errors OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT signer STREQUAL "Jo Packager <jo@example.org>" OR parse_errors)
    string(APPEND failed "dpkg-parsechangelog reads the signer [${signer}]: ${parse_errors}\n")
  else()
    message(STATUS "dpkg-parsechangelog: the changelog is well formed, signed by ${signer}")
  endif()
endif()

configure(rc out "DEBEMAIL=Jo Packager <jo@example.org>" -DMCNET_PACKAGE_HOMEPAGE=https://example.org/mcnet)
expect("DEBEMAIL with the name" CPACK_DEBIAN_PACKAGE_MAINTAINER "Jo Packager <jo@example.org>")
expect("homepage given" CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://example.org/mcnet")

configure(rc out "DEBFULLNAME=Jo Packager;DEBEMAIL=jo@example.org"
          "-DMCNET_PACKAGE_MAINTAINER=Release Team <release@example.org>"
          "-DMCNET_PACKAGE_UPSTREAM_CONTACT=Upstream Team <upstream@example.org>"
          "-DMCNET_PACKAGE_SOURCE=https://example.org/mcnet/releases")
expect("MCNET_PACKAGE_MAINTAINER over DEBFULLNAME" CPACK_DEBIAN_PACKAGE_MAINTAINER "Release Team <release@example.org>")
expect_line("changelog signer" changelog "^ -- Release Team <release@example\\.org>  [A-Z][a-z][a-z], ")
expect_line("Upstream-Contact given" copyright "^Upstream-Contact: Upstream Team <upstream@example\\.org>$")
expect_line("Source given" copyright "^Source: https://example\\.org/mcnet/releases$")

# A revision the changelog has no entry for: the message quotes the first
# line as written (a ";" in it, not "\;").
configure(rc out "DEBFULLNAME=Jo Packager;DEBEMAIL=jo@example.org" -DMCNET_PACKAGE_REVISION=999)
refused("revision without a changelog entry" "${rc}" "${out}"
        "changelog.in begins with 'mcnet \\(${version_pattern}-[0-9]+\\) unstable; urgency=medium': its first entry must be the packages' version, ${version_pattern}-999")
if(out MATCHES "\\\\")
  string(APPEND failed "revision without a changelog entry: a backslash in the message: ${out}\n")
endif()

file(REMOVE_RECURSE ${build})
if(failed)
  message(FATAL_ERROR "${failed}")
endif()
