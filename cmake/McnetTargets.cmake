# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The mcnet authors
#
# Compile settings shared by every mcnet target: the warnings (errors with
# MCNET_WERROR, which the presets and CI turn on and a plain configure leaves
# off, so that a newer compiler's new warning cannot break a packager's
# build), and the sanitizer build instruments everything (library, tests,
# tools) alike.

add_library(mcnet_build_flags INTERFACE)
target_compile_options(mcnet_build_flags INTERFACE
  -Wall -Wextra -Wpedantic -Wconversion -Wshadow)
if(MCNET_WERROR)
  target_compile_options(mcnet_build_flags INTERFACE -Werror)
endif()

if(MCNET_SANITIZE)
  # g++ 12's -Wmaybe-uninitialized sees ASan's instrumentation at -O1 (the
  # asan preset's optimisation) and warns, falsely, inside libstdc++'s
  # std::regex; the optimised builds without sanitizers keep the warning.
  # A target whose MCNET_SANITIZE_LIGHT property is true (the test
  # executables) and a source file given mcnet_sanitize_light_options (the
  # tools' cold code, tools/CMakeLists.txt) leave out UBSan's checks of
  # each pointer use: null, alignment, object-size and vptr, put on every
  # member access and reference binding, which cost g++ 12 about a quarter
  # of those files' compile time (the tools' largest test file at -O0: 134 s
  # of CPU with them, 105 s without; tools/common/src/doctor.cpp at -O1: 196
  # s and 137 s). ASan still catches a null or wild access there, every other
  # UBSan check stays, and the libraries, the tools' per-datagram code and
  # the examples keep them all, as the clang fuzz build does everywhere.
  set(mcnet_sanitize_light_options -fno-sanitize=null$<COMMA>alignment$<COMMA>object-size$<COMMA>vptr)
  target_compile_options(mcnet_build_flags INTERFACE
    -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
    $<$<BOOL:$<TARGET_PROPERTY:MCNET_SANITIZE_LIGHT>>:${mcnet_sanitize_light_options}>
    $<$<CXX_COMPILER_ID:GNU>:-Wno-maybe-uninitialized>)
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

# The soname's version (SOVERSION of every shared library), which changes with
# every release that may break the ABI: while the version is 0.x that is every
# minor release (libmcnet_core.so.0.1), from 1.0 every major one
# (libmcnet_core.so.1). The runtime Debian package is named after it
# (libmcnet0.1, cmake/McnetPackage.cmake).
if(PROJECT_VERSION_MAJOR EQUAL 0)
  set(MCNET_SOVERSION ${PROJECT_VERSION_MAJOR}.${PROJECT_VERSION_MINOR})
else()
  set(MCNET_SOVERSION ${PROJECT_VERSION_MAJOR})
endif()

# Shared libraries installed under a prefix whose library directory the
# dynamic linker does not search (/opt/mcnet/lib) would leave the installed
# tools unable to start ("libmcnet_core.so.0.1: cannot open shared object
# file"), and libmcnet_ipv4 unable to find libmcnet_core: there the installed
# programs get the RUNPATH $ORIGIN/<bin to lib> (../lib) and the libraries
# $ORIGIN, both relative, so the install can move (`cmake --install
# --prefix`, DESTDIR). Not for a system directory (the Debian packages'
# /usr/lib/<multiarch>), where the linker finds them and a RUNPATH is wrong
# (lintian: custom-library-search-path), nor when the builder set
# CMAKE_INSTALL_RPATH. The directory is judged from the configured
# CMAKE_INSTALL_PREFIX.
set(MCNET_INSTALL_LIBRARY_RPATH "")
if(BUILD_SHARED_LIBS AND NOT DEFINED CMAKE_INSTALL_RPATH)
  set(system_dirs ${CMAKE_PLATFORM_IMPLICIT_LINK_DIRECTORIES} ${CMAKE_CXX_IMPLICIT_LINK_DIRECTORIES})
  if(NOT CMAKE_INSTALL_FULL_LIBDIR IN_LIST system_dirs)
    file(RELATIVE_PATH bin_to_lib ${CMAKE_INSTALL_FULL_BINDIR} ${CMAKE_INSTALL_FULL_LIBDIR})
    set(CMAKE_INSTALL_RPATH "$ORIGIN/${bin_to_lib}")
    set(MCNET_INSTALL_LIBRARY_RPATH "$ORIGIN")
  endif()
endif()

# mcnet_library(NAME layer [SOURCES ...]): the library target mcnet_<layer>,
# its alias mcnet::<layer> (EXPORT_NAME <layer>: the package's component of
# that name), public headers under <layer>/include. The library is static or
# shared as BUILD_SHARED_LIBS says; a shared one has VERSION and SOVERSION
# (below). Consumers are compiled as C++20 or later: the public headers use
# its library (span, concepts, chrono), so cxx_std_20 is on the interface.
function(mcnet_library layer)
  cmake_parse_arguments(arg "" "" "SOURCES" ${ARGN})
  if(arg_SOURCES)
    add_library(mcnet_${layer} ${arg_SOURCES})
    target_include_directories(mcnet_${layer} PUBLIC
      $<BUILD_INTERFACE:${CMAKE_CURRENT_SOURCE_DIR}/include>
      $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
    target_compile_features(mcnet_${layer} PUBLIC cxx_std_20)
    # The flags are the build's own, not the consumer's: taken as compile and
    # link options rather than by linking mcnet_build_flags, so that nothing
    # of them (nor the target's name) reaches the exported link interface.
    target_compile_options(mcnet_${layer} PRIVATE $<TARGET_PROPERTY:mcnet_build_flags,INTERFACE_COMPILE_OPTIONS>)
    target_link_options(mcnet_${layer} PRIVATE $<TARGET_PROPERTY:mcnet_build_flags,INTERFACE_LINK_OPTIONS>)
    set_target_properties(mcnet_${layer} PROPERTIES EXPORT_NAME ${layer}
                                                    OUTPUT_NAME mcnet_${layer}
                                                    VERSION ${PROJECT_VERSION}
                                                    SOVERSION ${MCNET_SOVERSION}
                                                    INSTALL_RPATH "${MCNET_INSTALL_LIBRARY_RPATH}")
  else()
    add_library(mcnet_${layer} INTERFACE)
    target_include_directories(mcnet_${layer} INTERFACE
      $<BUILD_INTERFACE:${CMAKE_CURRENT_SOURCE_DIR}/include>
      $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
    target_compile_features(mcnet_${layer} INTERFACE cxx_std_20)
    set_target_properties(mcnet_${layer} PROPERTIES EXPORT_NAME ${layer})
  endif()
  add_library(mcnet::${layer} ALIAS mcnet_${layer})
  set_property(GLOBAL APPEND PROPERTY MCNET_LIBRARIES mcnet_${layer})
endfunction()

# mcnet_link_pkg_config(layer MODULE): links mcnet_<layer> privately to the
# pkg-config module MODULE (e.g. libnl-3.0) and records it, so that the
# package files declare it: Requires.private in mcnet-<layer>.pc, and, for a
# static library, the same module found again by the CMake package (the
# imported target PkgConfig::mcnet_<module as an identifier> that the static
# library's link interface names).
function(mcnet_link_pkg_config layer module)
  find_package(PkgConfig REQUIRED)
  string(MAKE_C_IDENTIFIER "mcnet_${module}" prefix)
  pkg_check_modules(${prefix} REQUIRED IMPORTED_TARGET ${module})
  target_link_libraries(mcnet_${layer} PRIVATE PkgConfig::${prefix})
  set_property(TARGET mcnet_${layer} APPEND PROPERTY MCNET_PKG_CONFIG_PRIVATE ${module})
endfunction()
