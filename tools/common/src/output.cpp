// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <mcnet/tools/output.hpp>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <ios>
#include <ostream>

#include <mcnet/tools/cli.hpp>

namespace mcnet::tools {

std::string json_text(const nlohmann::ordered_json& j) {
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

namespace {

// The valid UTF-8 sequence at text[i]: its length (1 to 4), or 0 when the
// bytes there are no such sequence, with `good` the length of its longest
// valid start (Unicode's "maximal subpart"; at least 1). The shortest form
// only, no surrogates, nothing above U+10FFFF (RFC 3629, section 4).
std::size_t utf8_sequence_at(std::string_view text, std::size_t i, std::size_t& good) noexcept {
  const auto lead = static_cast<unsigned char>(text[i]);
  std::size_t n = 0;
  unsigned char low = 0x80;
  unsigned char high = 0xbf;
  if (lead < 0x80) {
    n = 1;
  } else if (lead >= 0xc2 && lead <= 0xdf) {
    n = 2;
  } else if (lead >= 0xe0 && lead <= 0xef) {
    n = 3;
    if (lead == 0xe0) low = 0xa0;
    if (lead == 0xed) high = 0x9f;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    n = 4;
    if (lead == 0xf0) low = 0x90;
    if (lead == 0xf4) high = 0x8f;
  }
  good = 1;  // the lead, then each continuation byte that fits
  while (good < n && i + good < text.size()) {
    const auto next = static_cast<unsigned char>(text[i + good]);
    if (good == 1 ? (next < low || next > high) : (next < 0x80 || next > 0xbf)) break;
    ++good;
  }
  return n > 0 && good == n ? n : 0;
}

}  // namespace

std::string valid_utf8(std::string_view text) {
  static constexpr std::string_view replacement = "\xef\xbf\xbd";
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    std::size_t good = 1;
    if (const auto n = utf8_sequence_at(text, i, good); n > 0) {
      out.append(text.substr(i, n));
    } else {
      // One U+FFFD for the longest start of a sequence, as nlohmann's
      // error_handler_t::replace does.
      out.append(replacement);
    }
    i += good;
  }
  return out;
}

std::string visible_text(std::string_view text) {
  static constexpr char hex[] = "0123456789abcdef";
  const auto escaped = [](std::string& out, const char* prefix, unsigned char c) {
    out += prefix;
    out += hex[c >> 4];
    out += hex[c & 0xf];
  };
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t good = 1;
    const auto n = utf8_sequence_at(text, i, good);
    if (c == 0) {
      out += "\\0";
    } else if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f) {
      escaped(out, "\\x", c);
    } else if (n == 0) {
      // A byte of no valid UTF-8 sequence (0xff, a lone 0x9b: the C1 CSI a
      // terminal may take as one): as \xNN, one byte at a time (trial16g 5).
      escaped(out, "\\x", c);
      i += 1;
      continue;
    } else if (n == 2 && c == 0xc2 && static_cast<unsigned char>(text[i + 1]) <= 0x9f) {
      escaped(out, "\\u00", static_cast<unsigned char>(text[i + 1]));  // a C1 control, U+0080 .. U+009F
    } else {
      out.append(text.substr(i, n));
    }
    i += n > 0 ? n : 1;
  }
  return out;
}

namespace {

// What is known of a stream's writes, kept in the stream itself
// (std::ios_base::iword): whether anything was written, and the errno of
// the first failure.
int written_slot() {
  static const int slot = std::ios_base::xalloc();
  return slot;
}

int error_slot() {
  static const int slot = std::ios_base::xalloc();
  return slot;
}

}  // namespace

void note_write(std::ostream& out) noexcept {
  const int err = errno;  // of the write that failed, before anything else runs
  out.iword(written_slot()) = 1;
  if (!out && out.iword(error_slot()) == 0) out.iword(error_slot()) = err != 0 ? err : EIO;
}

void mark_unwritable(std::ostream& out, int err) noexcept { out.iword(error_slot()) = err; }

int write_error(std::ostream& out) noexcept { return static_cast<int>(out.iword(error_slot())); }

int finish_output(std::string_view tool, std::ostream& out, std::ostream& err, int exit) {
  if (out.iword(written_slot()) != 0) {
    out.flush();
    note_write(out);
  }
  const int e = write_error(out);
  if (out.iword(written_slot()) == 0 || e == 0) return exit;
  err << tool << ": cannot write the report to standard output: " << std::strerror(e) << '\n' << std::flush;
  return exit == exit_usage ? exit : exit_setup;
}

void reporter::text(std::string_view line) const {
  if (!text_on()) return;
  out_ << visible_text(line) << '\n';
  note_write(out_);
}

void reporter::csv_note(std::string_view line) const {
  if (!format_.csv || format_.quiet) return;
  err_ << visible_text(line) << '\n';
}

void reporter::event(const nlohmann::ordered_json& j) const {
  if (!format_.json) return;
  out_ << json_text(j) << '\n' << std::flush;
  note_write(out_);
}

void reporter::csv(std::string_view rows) const {
  if (!format_.csv) return;
  out_ << rows;
  note_write(out_);
}

void reporter::flush() const {
  out_ << std::flush;
  if (out_.iword(written_slot()) != 0) note_write(out_);
}

void reporter::warn(std::string_view message) const {
  err_ << tool_ << ": warning: " << visible_text(message) << '\n';
}

void reporter::warn_event(std::string_view message, std::string_view code) const {
  warn_event(message, code, nlohmann::ordered_json::object());
}

void reporter::warn_event(std::string_view message, std::string_view code,
                          const nlohmann::ordered_json& fields) const {
  nlohmann::ordered_json e{{"event", "warning"}, {"time", now_seconds()}, {"message", message}, {"code", code}};
  for (const auto& [k, v] : fields.items()) e[k] = v;
  event(e);
  warn(message);
}

int reporter::fail(int exit, std::string_view message, std::string_view code) const {
  event(error_event(message, code, exit));
  err_ << tool_ << ": " << visible_text(message) << '\n';
  return exit;
}

int reporter::fail(int exit, const error& e) const { return fail(exit, e.message(), code_name(e)); }

int reporter::fail(int exit, const spec_file_error& e) const { return fail(exit, e.message, e.code); }

int reporter::usage(std::string_view message) const { return fail(exit_usage, message, "usage"); }

int reporter::finish(int exit) const { return finish_output(tool_, out_, err_, exit); }

}  // namespace mcnet::tools
