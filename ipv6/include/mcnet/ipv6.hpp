// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// mcnet IPv6: conn (traffic class, hop limit, path MTU), packet_conn (MLD group membership, source filters, multicast interface/hops/loopback, control messages, batches), raw_conn and the IPPROTO_IPV6 / IPPROTO_ICMPV6 option tables. ipv6(7).
///
/// This layer builds on mcnet core (<mcnet/core.hpp>), which it includes.

#include <mcnet/core.hpp>

namespace mcnet::ipv6 {}
