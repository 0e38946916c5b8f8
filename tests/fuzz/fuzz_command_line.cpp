// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// Fuzz both tools' whole command lines up to their first socket: the bytes
// after a selector byte are an argument vector (split on NUL) and, when the
// selector says so, the content of an @FILE after the first "\0\0". The file
// is a memfd created once; its path replaces every argument "@F". Each line
// is parsed (parse_send_command_line / parse_recv_command_line) and, when
// valid, its specs resolved (resolve_targets / resolve_memberships: @FILE,
// group specs, ranges, --line and --line-b) with a resolver that knows one
// interface and opens nothing. Never a crash or a leak; a refused line is
// exit 1 with a message on stderr; with --json every line on stdout is JSON,
// whatever bytes the arguments held.

#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <mcnet/tools/receiver.hpp>
#include <mcnet/tools/recv_options.hpp>
#include <mcnet/tools/send_options.hpp>
#include <mcnet/tools/sender.hpp>

#include "fuzz_input.hpp"

namespace tools = mcnet::tools;
using mcnet::fuzz::check;

namespace {

// The @FILE of every run: one memfd, rewritten per input.
int spec_fd() {
  static const int fd = ::memfd_create("fuzz_specs", MFD_CLOEXEC);
  return fd;
}

// fake0 (index 7) and nothing else, as the command-line tests' resolver.
tools::interface_resolver fake_resolver() {
  return [](std::string_view spec) -> tl::expected<mcnet::netlink::resolved, mcnet::netlink::resolve_failure> {
    if (spec != "fake0" && spec != "7") {
      return tl::unexpected(mcnet::netlink::resolve_failure{
          mcnet::error(mcnet::errc::no_such_interface, "resolve", "interface").with_input(spec), {}});
    }
    mcnet::netlink::resolved r;
    r.iface = mcnet::core::interface_ref{7, mcnet::core::interface_name::make("fake0").value()};
    return r;
  };
}

// Whether the line may leave the fuzzer's process: --metrics-file (and the
// prefixes Boost.Program_options accepts for it) creates and removes a file
// in the directory it names.
bool touches_files(const std::vector<std::string>& args) {
  for (const auto& a : args) {
    if (a.size() > 3 && a.starts_with("--me")) return true;
  }
  return false;
}

// A refused command line: exit 1 and a message.
void check_refusal(int exit, const std::string& err) { check(exit == tools::exit_usage && !err.empty()); }

// Every line the tool wrote to standard output with --json is one JSON
// value, whatever bytes the command line or @FILE held (they are replaced,
// never thrown on).
void check_json_lines(bool json, const std::string& text) {
  if (!json) return;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    check(!nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false).is_discarded());
  }
}

template <class Parse, class Resolve, class Item>
void run(const std::vector<std::string>& args, const char* tool, Parse parse, Resolve resolve,
         std::vector<Item>& items) {
  std::ostringstream out, err;
  auto c = parse(args);
  if (!c) {
    check_refusal(tools::print_usage_error(c.error(), tool, out, err), err.str());
    check_json_lines(c.error().json, out.str());
    return;
  }
  if (c->action != tools::cli_action::run) return;
  if constexpr (requires { c->settings.interfaces; }) {
    if (c->settings.interfaces) return;
  }
  const tools::reporter r(tool, c->settings.format(), out, err);
  if (auto exit = resolve(c->settings, r, fake_resolver(), items)) check_refusal(*exit, err.str());
  check_json_lines(c->settings.json_output, out.str());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1 || spec_fd() < 0) return 0;
  const auto selector = mcnet::fuzz::take<std::uint8_t>(data, size);
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  // Each '+' can stand for 65536 groups, expanded into memberships: a few
  // keep one input's memory far below libFuzzer's RSS limit.
  std::size_t ranges = 0;
  for (char ch : rest) ranges += ch == '+' ? 1 : 0;
  if (ranges > 4) return 0;

  std::string_view file;
  if ((selector & 2) != 0) {
    const auto split = rest.find(std::string_view("\0\0", 2));
    if (split != std::string_view::npos) {
      file = rest.substr(split + 2);
      rest = rest.substr(0, split);
    }
  }
  const std::string file_arg = "@/proc/self/fd/" + std::to_string(spec_fd());
  std::vector<std::string> args;
  while (!rest.empty()) {
    const auto nul = rest.find('\0');
    std::string a(rest.substr(0, nul));
    args.push_back(a == "@F" ? file_arg : std::move(a));
    rest.remove_prefix(nul == std::string_view::npos ? rest.size() : nul + 1);
  }
  // Rewritten every run (empty without a file part): a run never reads the last one's.
  if (::ftruncate(spec_fd(), 0) != 0) return 0;
  if (!file.empty() && ::pwrite(spec_fd(), file.data(), file.size(), 0) != static_cast<ssize_t>(file.size())) return 0;

  if ((selector & 1) == 0) {
    std::vector<tools::send_target> targets;
    run(args, "mcast-send", tools::parse_send_command_line, tools::resolve_targets, targets);
  } else if (!touches_files(args)) {
    std::vector<tools::membership> members;
    run(args, "mcast-recv", tools::parse_recv_command_line, tools::resolve_memberships, members);
  }
  return 0;
}
