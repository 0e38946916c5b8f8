// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

// An address literal for tests: parsed, and a test that mistypes one fails
// at once (value() throws) rather than testing an invalid address.

#include <mcnet/core/ip_address.hpp>

namespace mcnet::test {

/// `text` parsed as an IP address (with an optional zone).
inline core::ip_address addr(const char* text) { return core::ip_address::parse(text).value(); }

}  // namespace mcnet::test
