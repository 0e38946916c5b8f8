# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The mcnet authors
#
# The RUNPATH an install gives (ctest: mcnet_install_rpath;
# cmake/McnetTargets.cmake): a shared build configured for a prefix the
# dynamic linker does not search installs the tools with $ORIGIN/../lib and
# the libraries with $ORIGIN; one configured for /usr (the Debian packages)
# installs nothing with a RUNPATH. Read from the install scripts CMake
# generates (the RPATH each installed file is given), for a configure of
# SOURCE_DIR in WORK_DIR, without building.
#   cmake -DSOURCE_DIR=... -DWORK_DIR=... -DGENERATOR=Ninja -P install_rpath.cmake
cmake_minimum_required(VERSION 3.25)
include(${CMAKE_CURRENT_LIST_DIR}/script_args.cmake)
mcnet_require_script_args(install_rpath.cmake SOURCE_DIR WORK_DIR GENERATOR)

# rpaths(OUT FILE): the RPATH values FILE gives its installed files, in order.
function(rpaths out file)
  file(STRINGS ${file} lines REGEX "^ *(NEW_)?RPATH \"")
  set(values "")
  foreach(line IN LISTS lines)
    if(line MATCHES "^ *(NEW_)?RPATH \"(.*)\"\\)?$")
      string(REPLACE "\\$" "$" value "${CMAKE_MATCH_2}")
      list(APPEND values "<${value}>")
    endif()
  endforeach()
  set(${out} "${values}" PARENT_SCOPE)
endfunction()

# check(PREFIX WANT_PROGRAM WANT_LIBRARY): configure for PREFIX; the RPATH
# of every installed program and library is the one wanted.
function(check prefix want_programs want_libraries)
  set(build ${WORK_DIR}/rpath${prefix})
  file(REMOVE_RECURSE ${build})
  execute_process(COMMAND ${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${build} -G ${GENERATOR} -DBUILD_SHARED_LIBS=ON
                          -DCMAKE_INSTALL_PREFIX=${prefix} -DMCNET_BUILD_TOOLS=ON
                          -DMCNET_BUILD_TESTS=OFF -DMCNET_BUILD_EXAMPLES=OFF -DMCNET_BUILD_BENCH=OFF
                  RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "configure for ${prefix} failed (${rc}): ${err}")
  endif()
  foreach(kind IN ITEMS programs libraries)
    if(kind STREQUAL "programs")
      set(script ${build}/tools/cmake_install.cmake)  # mcast-send, mcast-recv
    else()
      set(script ${build}/cmake_install.cmake)  # the libraries (cmake/McnetInstall.cmake)
    endif()
    rpaths(values ${script})
    list(REMOVE_DUPLICATES values)
    if(NOT values STREQUAL "<${want_${kind}}>")
      set(failed "${failed}prefix ${prefix}: installed ${kind} get the RPATHs ${values}, expected <${want_${kind}}>\n"
          PARENT_SCOPE)
    else()
      message(STATUS "prefix ${prefix}: installed ${kind} get the RPATH <${want_${kind}}>")
    endif()
  endforeach()
  file(REMOVE_RECURSE ${build})
endfunction()

set(failed "")
check(/opt/mcnet-rpath-check "$ORIGIN/../lib" "$ORIGIN")
check(/usr "" "")
if(failed)
  message(FATAL_ERROR "${failed}")
endif()
