// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// The language mcnet's headers are written in: C++20 (std::span, concepts,
/// `<bit>`, designated initializers, defaulted comparisons). Every public
/// header includes this one before anything else of mcnet, so that a
/// consumer compiling as C++17 or older gets one message saying what to
/// change instead of errors from deep inside the templates. The `#error`
/// alone would not do: GCC and Clang go on after it and print those errors
/// anyway; the include of a header that does not exist, after it, is a
/// fatal error, and the compiler stops there. The CMake targets carry
/// `cxx_std_20`; pkg-config adds no `-std` flag, so a consumer using it
/// passes `-std=c++20` (or later) itself (README, "Using mcnet from another
/// project").

#if __cplusplus < 202002L
#error "mcnet needs C++20 (-std=c++20)"
#include <mcnet-needs-c++20>  // fatal: stops the compiler here (see above)
#endif
