# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The mcnet authors
#
# The packages' Maintainer and Homepage (ctest: mcnet_package_fields;
# cmake/McnetPackage.cmake), from configures of SOURCE_DIR in WORK_DIR with
# MCNET_PACKAGE_DEBIAN, without building: the maintainer comes from
# DEBFULLNAME and DEBEMAIL as dch(1) takes them, MCNET_PACKAGE_MAINTAINER
# wins over them, none at all stops the configure with a message naming the
# variables; Homepage is in CPack's settings only when given.
#   cmake -DSOURCE_DIR=... -DWORK_DIR=... -DGENERATOR=Ninja -P package_fields.cmake
cmake_minimum_required(VERSION 3.25)
include(${CMAKE_CURRENT_LIST_DIR}/script_args.cmake)
mcnet_require_script_args(package_fields.cmake SOURCE_DIR WORK_DIR GENERATOR)
set(build ${WORK_DIR}/package-fields)
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

configure(rc out "")
if(rc EQUAL 0)
  string(APPEND failed "no maintainer: the configure went on\n")
elseif(NOT out MATCHES "need a maintainer.*DEBFULLNAME and DEBEMAIL.*MCNET_PACKAGE_MAINTAINER")
  string(APPEND failed "no maintainer: the message does not name the variables: ${out}\n")
else()
  message(STATUS "no maintainer: refused, naming DEBFULLNAME, DEBEMAIL and MCNET_PACKAGE_MAINTAINER")
endif()

configure(rc out "DEBFULLNAME=Jo Packager;DEBEMAIL=jo@example.org")
expect("DEBFULLNAME, DEBEMAIL" CPACK_DEBIAN_PACKAGE_MAINTAINER "Jo Packager <jo@example.org>")
expect("no homepage" CPACK_DEBIAN_PACKAGE_HOMEPAGE "")
expect("no homepage" CPACK_PACKAGE_HOMEPAGE_URL "")

configure(rc out "DEBEMAIL=Jo Packager <jo@example.org>" -DMCNET_PACKAGE_HOMEPAGE=https://example.org/mcnet)
expect("DEBEMAIL with the name" CPACK_DEBIAN_PACKAGE_MAINTAINER "Jo Packager <jo@example.org>")
expect("homepage given" CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://example.org/mcnet")

configure(rc out "DEBFULLNAME=Jo Packager;DEBEMAIL=jo@example.org"
          "-DMCNET_PACKAGE_MAINTAINER=Release Team <release@example.org>")
expect("MCNET_PACKAGE_MAINTAINER over DEBFULLNAME" CPACK_DEBIAN_PACKAGE_MAINTAINER "Release Team <release@example.org>")

file(REMOVE_RECURSE ${build})
if(failed)
  message(FATAL_ERROR "${failed}")
endif()
