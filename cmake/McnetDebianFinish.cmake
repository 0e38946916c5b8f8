# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The mcnet authors
#
# CPack post-build script (CPACK_POST_BUILD_SCRIPTS, cmake/McnetPackage.cmake):
# runs on the .deb files CPack has just made, before they are
# copied out, and writes what CPack 3.25's DEB generator cannot:
# - Multi-Arch: same (deb-control(5)) on the packages listed in
#   CPACK_MCNET_MULTIARCH_SAME: it has no variable for the field;
# - no postinst and postrm that only run ldconfig: CPack writes them for any
#   package with libraries under /usr/lib, and a package that activates
#   libc-bin's ldconfig trigger (its control file triggers, from
#   CPACK_DEBIAN_<COMPONENT>_PACKAGE_CONTROL_EXTRA) needs neither
#   (lintian: maintscript-calls-ldconfig).
# Each package is unpacked with dpkg-deb --raw-extract, changed and built
# again with dpkg-deb --build, which checks the control file; the files,
# their modes and times and the md5sums stay as CPack made them.
foreach(package IN LISTS CPACK_PACKAGE_FILES)
  if(NOT package MATCHES "\\.deb$")
    continue()
  endif()
  set(tree ${package}.tree)
  file(REMOVE_RECURSE ${tree})
  execute_process(COMMAND dpkg-deb --raw-extract ${package} ${tree} COMMAND_ERROR_IS_FATAL ANY)
  set(control_file ${tree}/DEBIAN/control)
  file(READ ${control_file} control)
  if(NOT control MATCHES "(^|\n)Package: ([^\n]+)")
    message(FATAL_ERROR "${package}: no Package field in its control file")
  endif()
  set(name ${CMAKE_MATCH_2})
  if(name IN_LIST CPACK_MCNET_MULTIARCH_SAME AND NOT control MATCHES "(^|\n)Multi-Arch:")
    string(REGEX REPLACE "(^|\n)(Architecture: [^\n]+\n)" "\\1\\2Multi-Arch: same\n" control "${control}")
    file(WRITE ${control_file} "${control}")
  endif()
  if(EXISTS ${tree}/DEBIAN/triggers)
    file(STRINGS ${tree}/DEBIAN/triggers triggers REGEX "^activate(-noawait)? ldconfig$")
    if(triggers)
      foreach(script IN ITEMS postinst postrm)
        if(EXISTS ${tree}/DEBIAN/${script})
          # Only CPack's own script: set -e, then ldconfig for one action.
          file(READ ${tree}/DEBIAN/${script} text)
          string(REGEX REPLACE "[ \t\n]+" " " text "${text}")
          if(NOT text MATCHES "^#!/bin/sh set -e if \\[ \"\\$1\" = \"[a-z]+\" \\]; then ldconfig fi ?$")
            message(FATAL_ERROR "${package}: its ${script} does more than run ldconfig: ${text}")
          endif()
          file(REMOVE ${tree}/DEBIAN/${script})
        endif()
      endforeach()
    endif()
  endif()
  file(REMOVE ${package})
  execute_process(COMMAND dpkg-deb --root-owner-group --build ${tree} ${package}
                  OUTPUT_QUIET COMMAND_ERROR_IS_FATAL ANY)
  file(REMOVE_RECURSE ${tree})
endforeach()
