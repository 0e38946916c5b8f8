# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The mcnet authors
#
# What the check scripts run by ctest with `cmake -P` share (packaging/*.cmake,
# tools/installed_help.cmake): their -D arguments, each required.

# mcnet_require_script_args(SCRIPT VAR...): stops with "SCRIPT: -DVAR= is
# missing" for the first VAR not defined.
function(mcnet_require_script_args script)
  foreach(var IN LISTS ARGN)
    if(NOT DEFINED ${var})
      message(FATAL_ERROR "${script}: -D${var}= is missing")
    endif()
  endforeach()
endfunction()
