// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <mcnet/tools/output.hpp>

#include <ostream>

#include <mcnet/tools/cli.hpp>

namespace mcnet::tools {

void reporter::text(std::string_view line) const {
  if (text_on()) out_ << line << '\n';
}

void reporter::event(const nlohmann::ordered_json& j) const {
  if (format_.json) out_ << j.dump() << '\n' << std::flush;
}

void reporter::csv(std::string_view rows) const {
  if (format_.csv) out_ << rows;
}

void reporter::flush() const { out_ << std::flush; }

void reporter::warn(std::string_view message) const { err_ << tool_ << ": warning: " << message << '\n'; }

void reporter::warn_event(std::string_view message, std::string_view code) const {
  event({{"event", "warning"}, {"time", now_seconds()}, {"message", message}, {"code", code}});
  warn(message);
}

int reporter::fail(int exit, std::string_view message, std::string_view code) const {
  event(error_event(message, code, exit));
  err_ << tool_ << ": " << message << '\n';
  return exit;
}

int reporter::fail(int exit, const error& e) const { return fail(exit, e.message(), code_name(e)); }

int reporter::usage(std::string_view message) const { return fail(exit_usage, message, "usage"); }

}  // namespace mcnet::tools
