# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The mcnet authors
#
# A consumer compiling as C++17 gets one clear message (ctest:
# mcnet_cxx17_message, and mcnet_cxx17_message_clang when clang++ is there;
# core/include/mcnet/core/cxx20.hpp): each public header of SOURCE_DIR,
# included alone by a file compiled with -std=c++17, fails with exactly one
# error, which says "mcnet needs C++20 (-std=c++20)" (the compiler stops at
# the check: nothing from mcnet's code, and the message not twice).
# INCLUDES: the include directories (the layers' and the generated one),
# separated by spaces.
#   cmake -DCXX=g++ -DSOURCE_DIR=... -DINCLUDES="..." -DWORK_DIR=... -P cxx17_message.cmake
cmake_minimum_required(VERSION 3.25)
include(${CMAKE_CURRENT_LIST_DIR}/script_args.cmake)
mcnet_require_script_args(cxx17_message.cmake CXX SOURCE_DIR INCLUDES WORK_DIR)
separate_arguments(INCLUDES)
set(flags "")
foreach(dir IN LISTS INCLUDES)
  list(APPEND flags -I${dir})
endforeach()
file(MAKE_DIRECTORY ${WORK_DIR})
set(headers "")
foreach(layer IN ITEMS core ipv4 ipv6 netlink feed)
  file(GLOB_RECURSE found RELATIVE ${SOURCE_DIR}/${layer}/include ${SOURCE_DIR}/${layer}/include/mcnet/*.hpp)
  list(APPEND headers ${found})
endforeach()
list(LENGTH headers count)
if(count LESS 10)
  message(FATAL_ERROR "found ${count} public headers under ${SOURCE_DIR}: the layout is not what this test reads")
endif()
set(failed "")
set(source ${WORK_DIR}/cxx17.cpp)
foreach(header IN LISTS headers)
  file(WRITE ${source} "#include <${header}>\nint main() { return 0; }\n")
  execute_process(COMMAND ${CXX} -std=c++17 -fsyntax-only ${flags} ${source}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  string(REGEX MATCHALL "[^\n]*: (fatal )?error: [^\n]*" errors "${out}")
  list(LENGTH errors error_count)
  if(rc EQUAL 0)
    string(APPEND failed "<${header}> compiles as C++17 without the message\n")
  elseif(NOT error_count EQUAL 1)
    string(APPEND failed "<${header}> as C++17: ${error_count} errors, not one:\n${out}\n")
  elseif(NOT errors MATCHES "error: '?mcnet needs C\\+\\+20 \\(-std=c\\+\\+20\\)")
    string(APPEND failed "<${header}> as C++17: the error is not mcnet's message:\n${out}\n")
  else()
    set(said "${errors}")
  endif()
endforeach()
if(failed)
  message(FATAL_ERROR "${failed}")
endif()
message(STATUS "${count} public headers, each as C++17 with ${CXX}: one error, the last one said:\n${said}")
