// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// mcnet IPv4: conn (TOS, TTL), packet_conn (IGMP group membership, source filters, multicast interface/TTL/loopback, control messages, batches), raw_conn and the IPPROTO_IP / SOL_RAW option tables. ip(7).
///
/// This layer builds on mcnet core (<mcnet/core.hpp>), which it includes.

#include <mcnet/core.hpp>

namespace mcnet::ipv4 {}
