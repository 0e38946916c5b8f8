# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The mcnet authors
#
# What --help points to is installed (ctest: mcnet_tools_installed_help), in
# an install made as README's example makes one: the tools (and, in a shared
# build, the libraries) of the build in BUILD_DIR installed with
# `cmake --install BUILD_DIR --prefix STAGE/prefix`, a prefix other than the
# configured one (PREFIX). Each installed tool (TOOLS: "mcast-send
# mcast-recv", in STAGE/prefix/BINDIR) runs --help, and every absolute path
# its help names (the reference, docs/tools.md, and the JSON Schema) must be
# a file of that install, under STAGE/prefix, not under PREFIX; and so must
# the man page it names ("man TOOL": MANDIR/man1/TOOL.1, or .1.gz in a
# Debian build). BINDIR and MANDIR are relative to the prefix
# (CMAKE_INSTALL_BINDIR, CMAKE_INSTALL_MANDIR). Running the installed tool
# also checks that it finds its libraries from where it is installed (its
# RUNPATH, in a shared build; cmake/McnetTargets.cmake).
#   cmake -DBUILD_DIR=... -DSTAGE=... -DPREFIX=... -DBINDIR=... -DMANDIR=... -DTOOLS=... -P installed_help.cmake
cmake_minimum_required(VERSION 3.25)
include(${CMAKE_CURRENT_LIST_DIR}/../packaging/script_args.cmake)
mcnet_require_script_args(installed_help.cmake BUILD_DIR STAGE PREFIX BINDIR MANDIR TOOLS)
separate_arguments(TOOLS)
foreach(dir IN ITEMS BINDIR MANDIR)
  if(IS_ABSOLUTE "${${dir}}")
    message(FATAL_ERROR "installed_help.cmake: ${dir} ${${dir}} is absolute: an install with --prefix does not "
                        "move it, and this test installs with --prefix")
  endif()
endforeach()
file(REMOVE_RECURSE ${STAGE})
set(prefix ${STAGE}/prefix)
foreach(component IN ITEMS runtime tools)
  execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix} --component ${component}
                  OUTPUT_QUIET RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "cmake --install ${BUILD_DIR} --prefix ${prefix} --component ${component} failed (${rc}): ${err}")
  endif()
endforeach()
set(failed "")
foreach(tool IN LISTS TOOLS)
  set(program ${prefix}/${BINDIR}/${tool})
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
    string(FIND "${path}" "${prefix}/" in_install)
    string(FIND "${path}" "${PREFIX}/" in_configured)
    if(in_configured EQUAL 0 AND NOT in_install EQUAL 0)
      string(APPEND failed "${tool} --help names ${path}, under the configured prefix ${PREFIX}, "
                           "not the one it was installed with (${prefix})\n")
      continue()
    elseif(NOT in_install EQUAL 0)
      continue()
    endif()
    math(EXPR named "${named} + 1")
    if(EXISTS ${path} AND NOT IS_DIRECTORY ${path})
      message(STATUS "${tool} --help names ${path}: installed")
    else()
      string(APPEND failed "${tool} --help names ${path}, which the install does not have\n")
    endif()
  endforeach()
  if(named LESS 2)
    string(APPEND failed "${tool} --help names ${named} paths of the install in ${prefix} "
                         "(the reference and the schema expected):\n${help}\n")
  endif()
  if(NOT help MATCHES "man ${tool}")
    string(APPEND failed "${tool} --help does not name its man page (man ${tool})\n")
  elseif(EXISTS ${prefix}/${MANDIR}/man1/${tool}.1 OR EXISTS ${prefix}/${MANDIR}/man1/${tool}.1.gz)
    message(STATUS "${tool} --help names man ${tool}: installed")
  else()
    string(APPEND failed "${tool} --help names man ${tool}, which the install does not have\n")
  endif()
endforeach()
if(failed)
  message(FATAL_ERROR "${failed}")
endif()
