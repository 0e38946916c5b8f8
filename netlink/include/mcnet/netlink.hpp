// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// mcnet netlink: interfaces, addresses, joined groups and change events from rtnetlink; the interface resolver. rtnetlink(7).
///
/// This layer builds on mcnet core (<mcnet/core.hpp>), which it includes.

#include <mcnet/core.hpp>

namespace mcnet::netlink {}
