// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// mcast-recv's whole run (docs/man/mcast-recv.1): the pieces of receiver,
/// link_watch, run_checks and capture wired together, so that the program is
/// a thin shell over this library, as mcast-send is over sender.

#include <mcnet/tools/output.hpp>
#include <mcnet/tools/recv_options.hpp>

namespace mcnet::tools {

/// Runs mcast-recv with settings `s`, reporting through `out`: --interfaces
/// lists and returns; otherwise resolves every spec, opens --pcap once
/// nothing can refuse the command line any more (a refused one leaves an
/// existing file as it was; a path it cannot write is exit 1, before any
/// join) and joins every spec (stop_on_signals is installed first: a signal
/// during the joins ends the run with its summary),
/// warns what the doctor finds without listening, watches interface events
/// (a re-created interface is joined again), receives until -d, -c,
/// --timeout or a signal, and prints the summary, with the nothing-arrived
/// verdict when nothing came.
/// Returns the exit code of docs/tools.md, "Exit codes" (cli.hpp's exit_*):
/// 0; 1 usage or bad input, before any join; 2 nothing arrived and
/// --timeout was given; 3 loss above --max-loss, or --max-loss could not be
/// checked; 4 a join, the socket set-up, the report or the capture failed
/// (out said why).
[[nodiscard]] int receive_run(const recv_settings& s, const reporter& out);

}  // namespace mcnet::tools
