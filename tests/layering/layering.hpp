// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// The project's layering as data, and the checks that read the sources and
/// the CMake files against it (docs/design.md, "Layers"):
/// - a layer includes and links only the layers below it: core nothing;
///   ipv4, ipv6, netlink and feed only core; the tools any library layer;
/// - tools and examples use the layers' public headers, never a layer's
///   `src/` (by include or by include directory);
/// - socket system calls are made only in core/src/sys and in the netlink
///   transport;
/// - every public function returning `result` is `[[nodiscard]]`;
/// - nothing points at files outside the repository.
/// The checks work on (path, text) pairs, so tests can feed them made-up
/// files as well as the real tree.

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace mcnet::test::layering {

/// A source file: its path relative to the repository root, and its text.
struct file {
  std::filesystem::path path;
  std::string text;
};

/// One broken rule: where, and what.
struct violation {
  std::string where;  ///< "core/src/io.cpp:12"
  std::string what;   ///< "core includes <mcnet/ipv4/options.hpp> (ipv4): core may use only core"
};

/// The library layers (top-level folders with a public include/mcnet tree).
[[nodiscard]] const std::vector<std::string>& library_layers();

/// The layers `from` may include and link (itself included); empty for a
/// folder the rules do not constrain (tests, bench).
[[nodiscard]] std::vector<std::string> allowed_layers(std::string_view from);

/// The layer a public include names: `<mcnet/ipv4/options.hpp>` and
/// `<mcnet/ipv4.hpp>` are ipv4, `<mcnet/version.hpp>` is core; "" when the
/// include is not an mcnet header.
[[nodiscard]] std::string layer_of_include(std::string_view header);

/// Includes that break the layering: a layer including a layer it may not
/// use, and tools or examples reaching into a layer's `src/` (a quoted
/// include that resolves there, or any include spelled with a `src/` of a
/// library layer). `exists` answers whether a repository-relative path is
/// a file (quoted includes are resolved against the including file's folder).
[[nodiscard]] std::vector<violation> check_includes(const file& f,
                                                    const std::function<bool(const std::filesystem::path&)>& exists);

/// Link and include-directory lines of a CMakeLists.txt in folder `dir`
/// (a top-level folder) that break the layering: `target_link_libraries`
/// naming a layer `dir` may not use (`mcnet::ipv4`, `mcnet_ipv4`), and
/// `target_include_directories` pointing into another layer's `src/`.
[[nodiscard]] std::vector<violation> check_cmake(const file& f);

/// Socket system calls (`::socket(`, `::setsockopt(`, `::recvmmsg(`,
/// `::setns(`, `syscall(`...) outside the files allowed to make them.
/// Comments and string literals are ignored.
[[nodiscard]] std::vector<violation> check_system_calls(const file& f);

/// JSON serialized in the tools (`tools/`) other than by json_text()
/// (tools/common/src/output.cpp): a `.dump(` call, whose strict default
/// throws nlohmann's type_error 316 on a string that is not UTF-8 (an
/// interface name, a session name from the network: trial t16s 1).
/// Comments and string literals are ignored.
[[nodiscard]] std::vector<violation> check_json_text(const file& f);

/// Whether `path` may make socket system calls: core/src/sys and the
/// netlink transport.
[[nodiscard]] bool may_make_system_calls(const std::filesystem::path& path);

/// Public declarations of a library layer (`<layer>/include/...`) that
/// return `result<...>` (or `mcnet::result<...>`) without `[[nodiscard]]`:
/// every fallible call's error must be looked at. Function bodies, aliases,
/// parameters and template arguments are not declarations.
[[nodiscard]] std::vector<violation> check_nodiscard(const file& f);
/// Mentions of documents outside the repository (the parent folder's
/// shared documents), in any text file.
[[nodiscard]] std::vector<violation> check_stands_alone(const file& f);

/// Source text with comments and string/character literals blanked (same
/// length, newlines kept, so offsets and line numbers still match).
[[nodiscard]] std::string strip_comments_and_strings(std::string_view text);

/// 1-based line number of byte `offset` in `text`.
[[nodiscard]] std::size_t line_of(std::string_view text, std::size_t offset);

}  // namespace mcnet::test::layering
