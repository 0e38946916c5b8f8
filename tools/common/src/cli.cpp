// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <mcnet/tools/cli.hpp>

#include <signal.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include <mcnet/tools/output.hpp>
#include <mcnet/version.hpp>

namespace mcnet::tools {

double now_seconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

nlohmann::ordered_json error_event(std::string_view message, std::string_view code, int exit) {
  return {{"event", "error"}, {"time", now_seconds()}, {"message", message}, {"code", code}, {"exit", exit}};
}

namespace {
std::atomic<bool> stop_flag{false};
void on_signal(int) { stop_flag.store(true); }
}  // namespace

void stop_on_signals() {
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  ::sigaction(SIGINT, &sa, nullptr);
  ::sigaction(SIGTERM, &sa, nullptr);
}

bool stop_requested() noexcept { return stop_flag.load(); }

std::string code_name(const error& e) {
  if (e.code.category() == error_category()) return std::string(name(static_cast<errc>(e.code.value())));
  if (const char* n = ::strerrorname_np(e.code.value())) return n;
  return std::to_string(e.code.value());
}

result<std::vector<std::string>> expand_spec_files(const std::vector<std::string>& args) {
  std::vector<std::string> out;
  for (const auto& arg : args) {
    if (!arg.starts_with("@")) {
      out.push_back(arg);
      continue;
    }
    std::ifstream f(arg.substr(1));
    if (!f) {
      return fail(error::from_errno(errno ? errno : ENOENT, "read", "spec file")
                      .with_input(arg.substr(1))
                      .with_hint("@FILE names a file with one group spec per line"));
    }
    std::string line;
    while (std::getline(f, line)) {
      const auto start = line.find_first_not_of(" \t\r");  // CRLF files too
      if (start == std::string::npos || line[start] == '#') continue;
      const auto end = line.find_last_not_of(" \t\r");
      out.push_back(line.substr(start, end - start + 1));
    }
  }
  return out;
}

tl::expected<boost::program_options::variables_map, usage_error> parse_command_line(
    const std::vector<std::string>& args, const boost::program_options::options_description& visible,
    std::vector<std::string>& specs) {
  namespace po = boost::program_options;
  po::options_description hidden;
  hidden.add_options()("spec", po::value(&specs));
  po::options_description all;
  all.add(visible).add(hidden);
  po::positional_options_description positional;
  positional.add("spec", -1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const std::exception& e) {
    // With --json, scripts read stdout: the error is an event there too.
    const bool json = std::find(args.begin(), args.end(), "--json") != args.end();
    return tl::unexpected(usage_error{e.what(), "usage", true, json});
  }
  return vm;
}

int print_usage_error(const usage_error& e, std::string_view tool, std::ostream& out, std::ostream& err) {
  if (e.json) out << json_text(error_event(e.message, e.code, exit_usage)) << '\n' << std::flush;
  err << tool << ": " << e.message << (e.from_parser ? " (see --help)" : "") << '\n';
  return exit_usage;
}

std::vector<std::string> long_names(const boost::program_options::options_description& visible) {
  std::vector<std::string> out;
  for (const auto& o : visible.options()) out.push_back(o->long_name());
  return out;
}

std::string help_text(const boost::program_options::options_description& visible, std::string_view tail) {
  std::ostringstream out;
  out << visible << tail;
  return out.str();
}

cli_action requested_action(const boost::program_options::variables_map& vm) {
  if (vm.count("help")) return cli_action::help;
  if (vm.count("version")) return cli_action::version;
  return cli_action::run;
}

std::optional<int> answer(cli_action action, std::string_view tool, const std::string& help, std::ostream& out) {
  switch (action) {
    case cli_action::help: out << help; return exit_ok;
    case cli_action::version: out << tool << ' ' << version().text << '\n'; return exit_ok;
    case cli_action::run: break;
  }
  return std::nullopt;
}

std::vector<std::string> arguments(int argc, char** argv) {
  std::vector<std::string> out;
  for (int i = 1; i < argc; ++i) out.emplace_back(argv[i]);
  return out;
}

}  // namespace mcnet::tools
