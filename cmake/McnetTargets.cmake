# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The mcnet authors
#
# Compile settings shared by every mcnet target: warnings are errors, and the
# sanitizer build instruments everything (library, tests, tools) alike.

add_library(mcnet_build_flags INTERFACE)
target_compile_options(mcnet_build_flags INTERFACE
  -Wall -Wextra -Wpedantic -Wconversion -Wshadow -Werror)

if(MCNET_SANITIZE)
  target_compile_options(mcnet_build_flags INTERFACE
    -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(mcnet_build_flags INTERFACE -fsanitize=address,undefined)
endif()

if(MCNET_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "MCNET_FUZZ needs clang (libFuzzer); configure with "
                        "-DCMAKE_CXX_COMPILER=clang++ or use the 'fuzz' preset.")
  endif()
  # Every target gets coverage instrumentation; only the fuzz executables link
  # libFuzzer's main (tests/fuzz).
  target_compile_options(mcnet_build_flags INTERFACE
    -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(mcnet_build_flags INTERFACE -fsanitize=address,undefined)
endif()

# mcnet_library(NAME layer [SOURCES ...]): the library target mcnet_<layer>,
# its alias mcnet::<layer>, public headers under <layer>/include.
function(mcnet_library layer)
  cmake_parse_arguments(arg "" "" "SOURCES" ${ARGN})
  if(arg_SOURCES)
    add_library(mcnet_${layer} ${arg_SOURCES})
    target_include_directories(mcnet_${layer} PUBLIC
      $<BUILD_INTERFACE:${CMAKE_CURRENT_SOURCE_DIR}/include>
      $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
    target_link_libraries(mcnet_${layer} PRIVATE $<BUILD_INTERFACE:mcnet_build_flags>)
    set_target_properties(mcnet_${layer} PROPERTIES EXPORT_NAME ${layer}
                                                    OUTPUT_NAME mcnet_${layer})
  else()
    add_library(mcnet_${layer} INTERFACE)
    target_include_directories(mcnet_${layer} INTERFACE
      $<BUILD_INTERFACE:${CMAKE_CURRENT_SOURCE_DIR}/include>
      $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
    set_target_properties(mcnet_${layer} PROPERTIES EXPORT_NAME ${layer})
  endif()
  add_library(mcnet::${layer} ALIAS mcnet_${layer})
  set_property(GLOBAL APPEND PROPERTY MCNET_LIBRARIES mcnet_${layer})
endfunction()
