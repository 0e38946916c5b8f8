# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The mcnet authors
#
# <mcnet/version.hpp>, generated from project(VERSION ...) into the build tree.
# core adds MCNET_GENERATED_INCLUDE_DIR to its public include directories, so
# every layer and the tools can include it; McnetInstall installs it with
# core's headers.
set(MCNET_GENERATED_INCLUDE_DIR ${PROJECT_BINARY_DIR}/generated/include)
configure_file(${PROJECT_SOURCE_DIR}/cmake/version.hpp.in ${MCNET_GENERATED_INCLUDE_DIR}/mcnet/version.hpp @ONLY)
