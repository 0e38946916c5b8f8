// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// The file descriptors both tools need: standard input, output and error
/// kept in place (a closed one would be taken by the first socket, and the
/// report written into it), and room under `RLIMIT_NOFILE` for a socket per
/// group (docs/tools.md, "mcast-send" and "mcast-recv", "Descriptors").

#include <cstddef>
#include <string>
#include <string_view>
#include <system_error>

#include <tl/expected.hpp>

#include <mcnet/core/error.hpp>

namespace mcnet::tools {

/// Which of descriptors 0, 1 and 2 were closed when the tool started.
struct standard_descriptors {
  bool input_closed = false;
  bool output_closed = false;
  bool error_closed = false;
};

/// Open /dev/null (open(2), `O_RDWR`) on each of descriptors 0, 1 and 2
/// that is closed (`fcntl(F_GETFD)` fails with `EBADF`), before the tool
/// opens anything: the lowest free number is what open(2) and socket(2)
/// return, so a socket would otherwise become stdout and the report would
/// be sent to a multicast group. Returns what was closed.
standard_descriptors occupy_standard_descriptors() noexcept;

/// How many descriptors the process has open now (the entries of
/// /proc/self/fd, without the one reading it); 3 when /proc cannot be read.
[[nodiscard]] std::size_t open_descriptors() noexcept;

/// Why ensure_descriptors() cannot make room: the error (`code` EMFILE when
/// the hard limit is too low) and the whole message to show.
struct descriptor_error {
  std::error_code code;  ///< as cause.code
  error cause;           ///< the failed call (getrlimit, setrlimit) or the plan (RLIMIT_NOFILE)
  std::string text;      ///< the message, with the counts and limits
  [[nodiscard]] const std::string& message() const noexcept { return text; }
};

/// Make room for `sockets` more sockets and `besides` other descriptors the
/// run opens later (each tool counts its own: docs/tools.md), on top of
/// those open now: raise the soft `RLIMIT_NOFILE` (getrlimit(2),
/// setrlimit(2)) towards the hard limit when it is too low. Errors: `EMFILE`
/// naming RLIMIT_NOFILE when the hard limit is too low, its message the
/// `hint` (`{number}` is the socket count) then the descriptors needed in
/// all (open now, sockets, besides), the soft and hard limits, and the
/// command that raises the hard limit (trial h16x L5); getrlimit/setrlimit's
/// errors.
[[nodiscard]] tl::expected<void, descriptor_error> ensure_descriptors(std::size_t sockets, std::size_t besides,
                                                                      std::string_view hint);

/// Room for more descriptors once a call met EMFILE, when their number is
/// not known ahead (the doctor's probe sockets, one per group and link):
/// the soft RLIMIT_NOFILE doubled (at least 1024), within the hard limit;
/// at the hard limit, the hard limit raised too, which needs
/// CAP_SYS_RESOURCE, up to fs.nr_open (setrlimit(2)). Whether it grew.
[[nodiscard]] bool more_descriptors() noexcept;

}  // namespace mcnet::tools
