// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// mcnet feed: what multicast feed receivers share, on payloads rather than
/// sockets. Depends on core only; nothing here makes a system call.
///
/// - `test_header`: the 40-byte header mcast-send writes at the start of
///   each datagram (docs/tools.md, "Wire header"), with its builder.

#include <mcnet/feed/test_header.hpp>
