// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// The language mcnet's headers are written in: C++20 (std::span, concepts,
/// `<bit>`, designated initializers, defaulted comparisons). Every public
/// header includes this one before anything else of mcnet, so that a
/// consumer compiling as C++17 or older gets one message saying what to
/// change instead of errors from deep inside the templates. The message is
/// the name of a header that does not exist: a failed `#include` is a fatal
/// error, the compiler's only diagnostic, and GCC and Clang stop there. An
/// `#error` would not do: it is not fatal, the compilers go on after it and
/// print those errors anyway; with a fatal include after it, the message
/// came twice. GCC says "fatal error: mcnet needs C++20 (-std=c++20): No
/// such file or directory", Clang "'mcnet needs C++20 (-std=c++20)' file not
/// found", each with the line below and its comment. The CMake targets
/// carry `cxx_std_20`; pkg-config adds no `-std` flag, so a consumer using
/// it passes `-std=c++20` (or later) itself (README, "Using mcnet from
/// another project").

#if __cplusplus < 202002L
#include <mcnet needs C++20 (-std=c++20)>  // mcnet's headers are C++20: compile with -std=c++20 or later
#endif
