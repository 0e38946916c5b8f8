# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The mcnet authors
#
# What a consumer uses, from the build tree and from an install:
# - the CMake package: find_package(mcnet [COMPONENTS core ipv4 ...]), one
#   component per library (mcnet::<layer>) and the umbrella mcnet::mcnet;
# - pkg-config: mcnet-<layer>.pc per library and mcnet.pc for all of them.
# Each install rule names its install component (runtime: the shared
# libraries; development: headers, static libraries, namelinks, package
# files), which McnetPackage.cmake turns into Debian packages.
#
# A build is static or shared (BUILD_SHARED_LIBS); the package files of both
# kinds can be installed into one prefix (libmcnet-dev ships both): each
# component's exported targets are in mcnet-<layer>-<kind>-targets.cmake and
# mcnetConfig.cmake chooses the kind (cmake/mcnetConfig.cmake.in).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(MCNET_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/mcnet)
if(BUILD_SHARED_LIBS)
  set(mcnet_kind shared)
else()
  set(mcnet_kind static)
endif()

# One line each for the .pc files' Description.
set(mcnet_description_core "sockets, addresses, socket options, datagram I/O and group membership")
set(mcnet_description_ipv4 "IPv4 socket options, IGMP membership, raw sockets and headers")
set(mcnet_description_ipv6 "IPv6 socket options, MLD membership, raw sockets and headers")
set(mcnet_description_netlink "routing netlink queries of links, addresses, joined groups, routes and their events")
set(mcnet_description_feed "feed receivers' sequencing, line arbitration and payload codecs")

# pkg-config's view of the install directories, relative to ${prefix} unless
# GNUInstallDirs was given absolute ones. The prefix itself is written when
# installing (see mcnet_pc_file), so `cmake --install --prefix` and CPack's
# staging are right too.
foreach(dir IN ITEMS LIBDIR INCLUDEDIR)
  if(IS_ABSOLUTE "${CMAKE_INSTALL_${dir}}")
    set(mcnet_pc_${dir} "${CMAKE_INSTALL_${dir}}")
  else()
    set(mcnet_pc_${dir} "\${prefix}/${CMAKE_INSTALL_${dir}}")
  endif()
endforeach()

# mcnet_write_if_changed(PATH TEXT): writes TEXT to PATH unless PATH holds it
# already (so that what depends on PATH is not rebuilt at each configure).
function(mcnet_write_if_changed path text)
  file(WRITE ${path}.tmp "${text}")
  file(COPY_FILE ${path}.tmp ${path} ONLY_IF_DIFFERENT)
  file(REMOVE ${path}.tmp)
endfunction()

# mcnet_pc_file(NAME TEXT): installs NAME.pc, TEXT being everything after its
# variable lines. The text is configured at install time: "@pc_prefix@"
# becomes the CMAKE_INSTALL_PREFIX of that install.
function(mcnet_pc_file name text)
  set(template ${PROJECT_BINARY_DIR}/pkgconfig/${name}.pc.in)
  set(installed ${PROJECT_BINARY_DIR}/pkgconfig/installed/${name}.pc)
  mcnet_write_if_changed(${template} "prefix=@pc_prefix@\nlibdir=${mcnet_pc_LIBDIR}\nincludedir=${mcnet_pc_INCLUDEDIR}\n\n${text}")
  install(CODE "set(pc_prefix \"\${CMAKE_INSTALL_PREFIX}\")
configure_file(\"${template}\" \"${installed}\" @ONLY)" COMPONENT development)
  install(FILES ${installed} DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT development)
endfunction()

# The include directories of a dependency that a compiler does not search by
# itself, as -I flags (Debian's tl-expected is in /usr/include: none).
function(mcnet_extra_include_flags out target)
  get_target_property(dirs ${target} INTERFACE_INCLUDE_DIRECTORIES)
  set(flags "")
  foreach(dir IN LISTS dirs)
    if(dir AND NOT dir IN_LIST CMAKE_CXX_IMPLICIT_INCLUDE_DIRECTORIES)
      string(APPEND flags " -I${dir}")
    endif()
  endforeach()
  set(${out} "${flags}" PARENT_SCOPE)
endfunction()

# A comment at the top of each .pc file: pkg-config gives no -std flag, and
# with -std=c++17 every header stops at one error (<mcnet/core/cxx20.hpp>).
set(mcnet_pc_note "# mcnet's headers are C++20: compile with -std=c++20 or later (this file adds no -std
# flag, so a later one stays yours); with -std=c++17 they stop at one error,
# \"mcnet needs C++20 (-std=c++20)\".\n")

get_property(mcnet_libraries GLOBAL PROPERTY MCNET_LIBRARIES)
set(mcnet_components "")
set(mcnet_pc_all "")
foreach(target IN LISTS mcnet_libraries)
  get_target_property(layer ${target} EXPORT_NAME)
  list(APPEND mcnet_components ${layer})
  list(APPEND mcnet_pc_all "mcnet-${layer} = ${PROJECT_VERSION}")

  install(TARGETS ${target} EXPORT mcnet-${layer}-targets
          ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT development
          LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT runtime NAMELINK_COMPONENT development)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/${layer}/include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
          COMPONENT development)
  install(EXPORT mcnet-${layer}-targets NAMESPACE mcnet:: FILE mcnet-${layer}-${mcnet_kind}-targets.cmake
          DESTINATION ${MCNET_INSTALL_CMAKEDIR} COMPONENT development)
  export(EXPORT mcnet-${layer}-targets NAMESPACE mcnet::
         FILE ${PROJECT_BINARY_DIR}/mcnet-${layer}-${mcnet_kind}-targets.cmake)

  # What the library links: public (in INTERFACE_LINK_LIBRARIES, not as
  # $<LINK_ONLY:...>) or private. Each becomes a line of the component's
  # CMake file and a field of its .pc file.
  get_target_property(all ${target} LINK_LIBRARIES)
  get_target_property(interface ${target} INTERFACE_LINK_LIBRARIES)
  get_target_property(pc_private_modules ${target} MCNET_PKG_CONFIG_PRIVATE)
  set(cmake_public "")
  set(cmake_private "")
  set(pc_requires "")
  set(pc_requires_private "")
  set(pc_libs_private "")
  set(pc_cflags "")
  foreach(dependency IN LISTS all)
    if(dependency IN_LIST interface)
      set(scope public)
    else()
      set(scope private)
    endif()
    if(dependency MATCHES "^mcnet::(.+)$")
      # Another component: public, loaded first (its targets file must exist
      # before this one's is read).
      string(APPEND cmake_public "_mcnet_load_component(${CMAKE_MATCH_1})\n")
      list(APPEND pc_requires "mcnet-${CMAKE_MATCH_1} = ${PROJECT_VERSION}")
    elseif(dependency STREQUAL "tl::expected")
      string(APPEND cmake_${scope} "find_dependency(tl-expected 1.0)\n")
      mcnet_extra_include_flags(flags tl::expected)
      string(APPEND pc_cflags "${flags}")
    elseif(dependency STREQUAL "Threads::Threads")
      string(APPEND cmake_${scope} "find_dependency(Threads)\n")
      string(APPEND pc_libs_private " -pthread")
    elseif(dependency MATCHES "^PkgConfig::")
      # Recorded by mcnet_link_pkg_config with its module name.
    else()
      message(FATAL_ERROR "${target} links ${dependency}: say in cmake/McnetInstall.cmake how the "
                          "package finds it (find_dependency and pkg-config)")
    endif()
  endforeach()
  foreach(module IN LISTS pc_private_modules)
    if(module)
      string(APPEND cmake_private "_mcnet_pkg_config(${module})\n")
      list(APPEND pc_requires_private ${module})
    endif()
  endforeach()

  # The component's CMake file: its dependencies (private ones only for the
  # static kind, whose link interface names them), then its targets.
  set(text "# Generated by cmake/McnetInstall.cmake: the component ${layer} of the mcnet\n")
  string(APPEND text "# package, read by mcnetConfig.cmake with _mcnet_kind set.\n${cmake_public}")
  if(cmake_private)
    string(APPEND text "if(_mcnet_kind STREQUAL \"static\")\n")
    string(REGEX REPLACE "([^\n]+)\n" "  \\1\n" indented "${cmake_private}")
    string(APPEND text "${indented}endif()\n")
  endif()
  string(APPEND text "include(\"\${CMAKE_CURRENT_LIST_DIR}/mcnet-${layer}-\${_mcnet_kind}-targets.cmake\")\n")
  mcnet_write_if_changed(${PROJECT_BINARY_DIR}/mcnet-${layer}.cmake "${text}")
  install(FILES ${PROJECT_BINARY_DIR}/mcnet-${layer}.cmake DESTINATION ${MCNET_INSTALL_CMAKEDIR}
          COMPONENT development)

  # Its .pc file. No -std flag: the consumer compiles as C++20 or later
  # (README), and a forced -std=c++20 would override a consumer's c++23.
  list(JOIN pc_requires ", " pc_requires)
  list(JOIN pc_requires_private ", " pc_requires_private)
  set(text "Name: mcnet-${layer}\nDescription: mcnet ${layer}: ${mcnet_description_${layer}}\n")
  string(APPEND text "Version: ${PROJECT_VERSION}\n")
  if(pc_requires)
    string(APPEND text "Requires: ${pc_requires}\n")
  endif()
  if(pc_requires_private)
    string(APPEND text "Requires.private: ${pc_requires_private}\n")
  endif()
  string(APPEND text "Libs: -L\${libdir} -lmcnet_${layer}\n")
  if(pc_libs_private)
    string(STRIP "${pc_libs_private}" pc_libs_private)
    string(APPEND text "Libs.private: ${pc_libs_private}\n")
  endif()
  string(APPEND text "Cflags: -I\${includedir}${pc_cflags}\n")
  mcnet_pc_file(mcnet-${layer} "${mcnet_pc_note}${text}")
endforeach()

# <mcnet/version.hpp> (cmake/McnetVersion.cmake) and <mcnet/features.hpp>
# (core/CMakeLists.txt), generated: with core's headers.
install(FILES ${MCNET_GENERATED_INCLUDE_DIR}/mcnet/version.hpp ${MCNET_GENERATED_INCLUDE_DIR}/mcnet/features.hpp
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/mcnet
        COMPONENT development)

# The umbrella: every library. Its own export set, the same for both kinds
# (it names the components' targets only).
add_library(mcnet_umbrella INTERFACE)
target_link_libraries(mcnet_umbrella INTERFACE ${mcnet_libraries})
set_target_properties(mcnet_umbrella PROPERTIES EXPORT_NAME mcnet)
add_library(mcnet::mcnet ALIAS mcnet_umbrella)
install(TARGETS mcnet_umbrella EXPORT mcnet-umbrella-targets)
install(EXPORT mcnet-umbrella-targets NAMESPACE mcnet:: FILE mcnet-umbrella-targets.cmake
        DESTINATION ${MCNET_INSTALL_CMAKEDIR} COMPONENT development)
export(EXPORT mcnet-umbrella-targets NAMESPACE mcnet:: FILE ${PROJECT_BINARY_DIR}/mcnet-umbrella-targets.cmake)
list(JOIN mcnet_pc_all ", " mcnet_pc_all)
mcnet_pc_file(mcnet "${mcnet_pc_note}Name: mcnet\nDescription: ${PROJECT_DESCRIPTION} (every mcnet library)
Version: ${PROJECT_VERSION}\nRequires: ${mcnet_pc_all}\n")

# mcnetConfig.cmake and its version file, in the build tree (mcnet_DIR=<build
# directory>) and installed. While the version is 0.x a minor release may
# break the API, as it bumps the soname (McnetTargets.cmake): only the same
# minor version is compatible then; from 1.0, the same major version.
list(JOIN mcnet_components ", " mcnet_components_text)
configure_file(${PROJECT_SOURCE_DIR}/cmake/mcnetConfig.cmake.in ${PROJECT_BINARY_DIR}/mcnetConfig.cmake @ONLY)
if(PROJECT_VERSION_MAJOR EQUAL 0)
  set(compatibility SameMinorVersion)
else()
  set(compatibility SameMajorVersion)
endif()
write_basic_package_version_file(${PROJECT_BINARY_DIR}/mcnetConfigVersion.cmake COMPATIBILITY ${compatibility})
install(FILES ${PROJECT_BINARY_DIR}/mcnetConfig.cmake ${PROJECT_BINARY_DIR}/mcnetConfigVersion.cmake
        DESTINATION ${MCNET_INSTALL_CMAKEDIR} COMPONENT development)
