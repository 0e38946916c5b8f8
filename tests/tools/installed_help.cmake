# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The mcnet authors
#
# What --help points to is installed (ctest: mcnet_tools_installed_help): the
# tools component of the build in BUILD_DIR is installed with DESTDIR into
# STAGE, each installed tool (TOOLS: "mcast-send mcast-recv", under BINDIR of
# the configured PREFIX) runs --help, and every absolute path its help names
# (the reference, docs/tools.md, and the JSON Schema) must be a file of that
# install, and so must the man page it names ("man TOOL": MANDIR/man1/TOOL.1,
# or .1.gz in a Debian build). Running the installed tool also checks that it
# finds its libraries from where it is installed (its RUNPATH, in a shared
# build; cmake/McnetTargets.cmake).
#   cmake -DBUILD_DIR=... -DSTAGE=... -DPREFIX=... -DBINDIR=... -DMANDIR=... -DTOOLS=... -P installed_help.cmake
cmake_minimum_required(VERSION 3.25)
include(${CMAKE_CURRENT_LIST_DIR}/../packaging/script_args.cmake)
mcnet_require_script_args(installed_help.cmake BUILD_DIR STAGE PREFIX BINDIR MANDIR TOOLS)
separate_arguments(TOOLS)
file(REMOVE_RECURSE ${STAGE})
execute_process(COMMAND ${CMAKE_COMMAND} -E env DESTDIR=${STAGE} ${CMAKE_COMMAND} --install ${BUILD_DIR}
                        --component tools
                OUTPUT_QUIET RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cmake --install ${BUILD_DIR} --component tools failed (${rc}): ${err}")
endif()
set(failed "")
foreach(tool IN LISTS TOOLS)
  set(program ${STAGE}${BINDIR}/${tool})
  execute_process(COMMAND ${program} --help RESULT_VARIABLE rc OUTPUT_VARIABLE help ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${program} --help exited with ${rc}: ${err}")
  endif()
  if(help MATCHES "docs/")
    string(APPEND failed "${tool} --help names a docs/ path of the source tree\n")
  endif()
  string(REGEX MATCHALL "(^|[ (\n])/[A-Za-z0-9._+/-]+" paths "${help}")
  set(named 0)
  foreach(path IN LISTS paths)
    string(STRIP "${path}" path)
    string(REGEX REPLACE "^\\(" "" path "${path}")
    if(NOT path MATCHES "^${PREFIX}/")
      continue()
    endif()
    math(EXPR named "${named} + 1")
    if(EXISTS ${STAGE}${path} AND NOT IS_DIRECTORY ${STAGE}${path})
      message(STATUS "${tool} --help names ${path}: installed")
    else()
      string(APPEND failed "${tool} --help names ${path}, which the install does not have\n")
    endif()
  endforeach()
  if(named LESS 2)
    string(APPEND failed "${tool} --help names ${named} installed paths (the reference and the schema expected)\n")
  endif()
  if(NOT help MATCHES "man ${tool}")
    string(APPEND failed "${tool} --help does not name its man page (man ${tool})\n")
  elseif(EXISTS ${STAGE}${MANDIR}/man1/${tool}.1 OR EXISTS ${STAGE}${MANDIR}/man1/${tool}.1.gz)
    message(STATUS "${tool} --help names man ${tool}: installed")
  else()
    string(APPEND failed "${tool} --help names man ${tool}, which the install does not have\n")
  endif()
endforeach()
if(failed)
  message(FATAL_ERROR "${failed}")
endif()
