# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The mcnet authors
#
# The API reference: Doxygen over the public headers of every library layer,
# from their `///` comments, into <build>/docs/api/html. `docs` is not part of
# `all` (cmake --build --preset release --target docs). Any warning fails the
# target, and an undocumented public declaration is a warning, so the
# reference cannot silently lose an entry. Without doxygen the target does
# not exist (scripts/setup.sh installs it; CI runs the target).

# Built into another project (add_subdirectory, FetchContent), mcnet leaves
# the target name 'docs' to it.
if(NOT PROJECT_IS_TOP_LEVEL)
  return()
endif()

find_package(Doxygen 1.9.1 QUIET)
if(NOT DOXYGEN_FOUND)
  message(STATUS "doxygen not found: no 'docs' target (Debian package doxygen)")
  return()
endif()

set(DOXYGEN_PROJECT_NAME "mcnet")
set(DOXYGEN_PROJECT_NUMBER "${PROJECT_VERSION}")
set(DOXYGEN_PROJECT_BRIEF "${PROJECT_DESCRIPTION}")
set(DOXYGEN_OUTPUT_DIRECTORY "${PROJECT_BINARY_DIR}/docs/api")
# doxygen makes only the last level of its output directory.
file(MAKE_DIRECTORY "${DOXYGEN_OUTPUT_DIRECTORY}")
set(DOXYGEN_GENERATE_HTML YES)
set(DOXYGEN_GENERATE_LATEX NO)
set(DOXYGEN_HAVE_DOT NO)
set(DOXYGEN_QUIET YES)

# Every warning is an error, reported all at once before the run fails
# (FAIL_ON_WARNINGS rather than YES, which stops at the first one).
set(DOXYGEN_EXTRACT_ALL NO)
set(DOXYGEN_WARN_IF_UNDOCUMENTED YES)
set(DOXYGEN_WARN_IF_DOC_ERROR YES)
set(DOXYGEN_WARN_AS_ERROR FAIL_ON_WARNINGS)

# The headers as a consumer includes them: <mcnet/core/socket.hpp>, not a path
# inside this tree.
set(layer_includes)
foreach(layer IN ITEMS core ipv4 ipv6 netlink feed)
  list(APPEND layer_includes "${PROJECT_SOURCE_DIR}/${layer}/include")
endforeach()
set(DOXYGEN_FILE_PATTERNS "*.hpp" "*.dox")
set(DOXYGEN_RECURSIVE YES)
set(DOXYGEN_FULL_PATH_NAMES YES)
set(DOXYGEN_STRIP_FROM_PATH ${layer_includes})
set(DOXYGEN_STRIP_FROM_INC_PATH ${layer_includes})

# `detail` namespaces are the implementation, not the API, and are left out;
# except core::detail's connection bases, whose public members are the public
# members of ipv4::packet_conn and ipv6::packet_conn (they stay in the reference).
set(DOXYGEN_EXCLUDE_PATTERNS "*/feed/detail/*")
set(DOXYGEN_EXCLUDE_SYMBOLS
  "mcnet::feed::detail" "mcnet::feed::*::detail" "mcnet::netlink::detail")

# The comments are `///` blocks; their first sentence is not cut out as a
# summary (a sentence may hold a code span with ". " in it: `0 .. n - 1`).
set(DOXYGEN_JAVADOC_AUTOBRIEF NO)
set(DOXYGEN_MARKDOWN_SUPPORT YES)
# No linking of words in the prose: addresses such as `::ffff:a.b.c.d` read as
# explicit link requests, even in code spans. Types in signatures still link.
set(DOXYGEN_AUTOLINK_SUPPORT NO)
set(DOXYGEN_BUILTIN_STL_SUPPORT YES)
set(DOXYGEN_SORT_MEMBER_DOCS NO)

# docs/api.dox: the front page, and the namespaces. A documented namespace
# makes doxygen check every member it declares, even in a header without an
# @file comment (whose free functions it would otherwise skip silently).
doxygen_add_docs(docs ${layer_includes} "${PROJECT_SOURCE_DIR}/docs/api.dox"
  COMMENT "API reference (Doxygen) into ${DOXYGEN_OUTPUT_DIRECTORY}/html")
