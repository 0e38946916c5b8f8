# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The mcnet authors
#
# find_package(mcnet) and pkg-config for consumers.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

get_property(mcnet_libraries GLOBAL PROPERTY MCNET_LIBRARIES)
install(TARGETS ${mcnet_libraries} EXPORT mcnetTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
foreach(layer IN ITEMS core ipv4 ipv6 netlink)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/${layer}/include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
endforeach()
install(EXPORT mcnetTargets NAMESPACE mcnet:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/mcnet)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/mcnetConfig.cmake.in
  ${PROJECT_BINARY_DIR}/mcnetConfig.cmake INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/mcnet)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/mcnetConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/mcnetConfig.cmake ${PROJECT_BINARY_DIR}/mcnetConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/mcnet)
configure_file(${PROJECT_SOURCE_DIR}/cmake/mcnet.pc.in ${PROJECT_BINARY_DIR}/mcnet.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/mcnet.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
