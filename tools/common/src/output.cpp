// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <mcnet/tools/output.hpp>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <ios>
#include <ostream>
#include <string>
#include <utility>

#include <poll.h>
#include <unistd.h>

#include <iostream>

#include <mcnet/tools/cli.hpp>

namespace mcnet::tools {

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

// The bidirectional control that `sequence` (one valid UTF-8 sequence)
// encodes, or 0: U+061C, U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069.
std::uint32_t bidi_control(std::string_view sequence) noexcept {
  std::uint32_t cp = 0;
  if (sequence.size() == 2) {
    cp = (static_cast<std::uint32_t>(static_cast<unsigned char>(sequence[0]) & 0x1f) << 6) |
         (static_cast<unsigned char>(sequence[1]) & 0x3f);
  } else if (sequence.size() == 3) {
    cp = (static_cast<std::uint32_t>(static_cast<unsigned char>(sequence[0]) & 0x0f) << 12) |
         (static_cast<std::uint32_t>(static_cast<unsigned char>(sequence[1]) & 0x3f) << 6) |
         (static_cast<unsigned char>(sequence[2]) & 0x3f);
  }
  // And the invisible and line-breaking ones (trial t16u L1): no-break
  // space, soft hyphen, zero-width space, word joiner, the byte-order mark
  // (zero-width no-break space), the line and paragraph separators.
  const bool bidi = cp == 0x061c || cp == 0x200e || cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) ||
                    (cp >= 0x2066 && cp <= 0x2069) || cp == 0x00a0 || cp == 0x00ad || cp == 0x200b ||
                    cp == 0x2060 || cp == 0xfeff || cp == 0x2028 || cp == 0x2029;
  return bidi ? cp : 0;
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
    } else if (const auto bidi = bidi_control(text.substr(i, n)); bidi != 0) {
      // A bidirectional control (U+202E turns the rest of a line around)
      // as \uXXXX: a name must not reorder the text around it (trial t16s 7).
      escaped(out, "\\u", static_cast<unsigned char>(bidi >> 8));
      escaped(out, "", static_cast<unsigned char>(bidi & 0xff));
    } else {
      out.append(text.substr(i, n));
    }
    i += n > 0 ? n : 1;
  }
  return out;
}

std::string text_name(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  for (const char c : name) {
    // visible_text() leaves the tool's own tabs and newlines be: text from
    // outside shows them as it shows the other controls, or a newline in
    // an argument or a file name starts a line of its own choosing in the
    // log (trial t16z: mcast-recv $'239.1.1.1:5000x\nverdict: OK').
    if (c == '\n') {
      out.append("\\x0a");
      continue;
    }
    if (c == '\t') {
      out.append("\\x09");
      continue;
    }
    if (c == '\\') out += '\\';
    out += c;
  }
  return out;
}

namespace {

// The fields of human text (an error's or warning's message, a check's fix
// and note): a JSON consumer gets them as the text line shows them.
bool human_text_key(std::string_view key) noexcept { return key == "message" || key == "fix" || key == "note"; }

// Whether visible_text(valid_utf8(text)) may differ from `text`: a control
// character, DEL, or anything not ASCII (a C1 control, a bidirectional one,
// bytes that are not UTF-8 are among those).
bool may_hide(std::string_view text) noexcept {
  return std::any_of(text.begin(), text.end(), [](char ch) {
    const auto c = static_cast<unsigned char>(ch);
    return (c < 0x20 && c != '\t' && c != '\n') || c >= 0x7f;
  });
}

bool has_hidden_text(const nlohmann::ordered_json& j) {
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (it.value().is_string() && human_text_key(it.key())) {
        if (may_hide(it.value().get_ref<const std::string&>())) return true;
      } else if (has_hidden_text(it.value())) {
        return true;
      }
    }
  } else if (j.is_array()) {
    return std::any_of(j.begin(), j.end(), [](const nlohmann::ordered_json& e) { return has_hidden_text(e); });
  }
  return false;
}

void show_hidden_text(nlohmann::ordered_json& j) {
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (it.value().is_string() && human_text_key(it.key())) {
        it.value() = visible_text(valid_utf8(it.value().get_ref<const std::string&>()));
      } else {
        show_hidden_text(it.value());
      }
    }
  } else if (j.is_array()) {
    for (auto& e : j) show_hidden_text(e);
  }
}

// The JSON text `text` (nlohmann's dump: valid UTF-8, C0 controls already
// escaped) with DEL, each C1 control and each character visible_text() shows as
// \uXXXX (the bidirectional controls, the invisible and line-breaking ones,
// U+2028 and U+2029) written as a JSON \uXXXX escape: the value read back is
// the same, but the line itself carries no character that reorders or
// breaks it (trial t16u L1: Python's str.splitlines cut at U+2028). They
// occur only inside strings.
std::string escape_invisible(std::string text) {
  static constexpr char hex[] = "0123456789abcdef";
  std::size_t i = 0;
  std::size_t n = 0;
  std::uint32_t cp = 0;
  // The next such character from `i` on: its place in i, its length in n.
  const auto next = [&text, &i, &n, &cp] {
    for (; i < text.size(); ++i) {
      const auto c = static_cast<unsigned char>(text[i]);
      if (c == 0x7f) {  // DEL, which JSON needs not escape
        n = 1;
        cp = c;
        return true;
      }
      if (c < 0xc2) continue;
      std::size_t good = 1;
      n = utf8_sequence_at(text, i, good);
      if (n == 0) continue;
      if (n == 2 && c == 0xc2 && static_cast<unsigned char>(text[i + 1]) <= 0x9f) {
        cp = static_cast<unsigned char>(text[i + 1]);
        return true;
      }
      if ((cp = bidi_control(std::string_view(text).substr(i, n))) != 0) return true;
      i += n - 1;
    }
    return false;
  };
  if (!next()) return text;
  std::string out;
  out.reserve(text.size() + 16);
  std::size_t from = 0;
  do {
    out.append(text, from, i - from);
    out.append("\\u");
    for (int shift = 12; shift >= 0; shift -= 4) out += hex[(cp >> shift) & 0xf];
    i += n;
    from = i;
  } while (next());
  out.append(text, from, std::string::npos);
  return out;
}

}  // namespace

descriptor_output::descriptor_output(int fd) noexcept : fd_(fd), line_buffered_(::isatty(fd) == 1) { reset(); }

void descriptor_output::reset() noexcept {
  // A terminal's output is written as it comes (no put area: every piece
  // reaches overflow() or xsputn()), so each line shows when it ends.
  if (line_buffered_) {
    setp(nullptr, nullptr);
  } else {
    setp(buffer_.data(), buffer_.data() + buffer_.size());
  }
}

bool descriptor_output::write_all(const char* p, std::size_t n) noexcept {
  const unsigned signals_before = signals_received();
  // The second signal while this write waits: give up (see the class).
  const auto give_up = [signals_before] { return signals_received() > signals_before && signals_received() >= 2; };
  while (n > 0) {
    const auto w = ::write(fd_, p, n);
    if (w >= 0) {
      p += w;
      n -= static_cast<std::size_t>(w);
      continue;
    }
    if (errno == EINTR) {
      if (give_up()) return false;
      continue;
    }
    if (errno != EAGAIN && errno != EWOULDBLOCK) return false;
    pollfd room{fd_, POLLOUT, 0};
    if (::poll(&room, 1, -1) < 0) {
      if (errno != EINTR) return false;
      if (give_up()) return false;
    }
  }
  return true;
}

bool descriptor_output::drain() noexcept {
  const auto n = static_cast<std::size_t>(pptr() - pbase());
  const bool ok = n == 0 || write_all(pbase(), n);
  const int err = errno;
  reset();  // what failed is not tried again
  errno = err;
  return ok;
}

descriptor_output::int_type descriptor_output::overflow(int_type ch) {
  if (!drain()) return traits_type::eof();
  if (traits_type::eq_int_type(ch, traits_type::eof())) return traits_type::not_eof(ch);
  const char c = traits_type::to_char_type(ch);
  if (line_buffered_) return write_all(&c, 1) ? ch : traits_type::eof();
  *pptr() = c;
  pbump(1);
  return ch;
}

std::streamsize descriptor_output::xsputn(const char* s, std::streamsize n) {
  if (n <= epptr() - pptr()) {
    std::copy_n(s, n, pptr());
    pbump(static_cast<int>(n));
    return n;
  }
  // Larger than the room left: what is held first, then the rest directly.
  if (!drain() || !write_all(s, static_cast<std::size_t>(n))) return 0;
  return n;
}

int descriptor_output::sync() { return drain() ? 0 : -1; }

void use_descriptor_output_for_stdout() {
  // Kept to the end of the process: std::cout is flushed after main returns.
  static auto* const buffer = new descriptor_output(STDOUT_FILENO);
  std::cout.rdbuf(buffer);
}

std::string json_text(const nlohmann::ordered_json& j) {
  constexpr auto replace = nlohmann::ordered_json::error_handler_t::replace;
  if (!has_hidden_text(j)) return escape_invisible(j.dump(-1, ' ', false, replace));
  // The human text fields read as the text line does: control and
  // bidirectional characters as the text \xNN and \uXXXX (trial t16x L4:
  // a tab from outside read \x09 there, but an ESC went out as \u001b, which
  // `jq -r .message` turned back into a raw ESC on the terminal).
  auto shown = j;
  show_hidden_text(shown);
  return escape_invisible(shown.dump(-1, ' ', false, replace));
}

std::string error_text(const error& e) {
  auto message = e.message();
  const auto input = e.input();
  if (input.empty()) return message;
  // error::message() is "OP[ WHAT] \"INPUT[...]\": ...": the input sits
  // right after the operation's words.
  // Appended piece by piece: g++ 12 at -O3 warns (-Wrestrict, a false
  // positive) on `"..." + std::string(...)` here, and the packages build with
  // warnings as errors.
  std::string head(e.op);
  if (!e.what.empty()) {
    if (!head.empty()) head += ' ';
    head.append(e.what);
  }
  head.append(" \"");
  if (!message.starts_with(head) || message.compare(head.size(), input.size(), input) != 0) return message;
  return message.replace(head.size(), input.size(), text_name(input));
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
  // EINTR only when descriptor_output gave up: a write that one signal cut
  // is made again, so a second signal came while it waited for the reader
  // (trial t15t L1: the bare "Interrupted system call" did not say that).
  const std::string why = e == EINTR ? "a second signal came while it waited for the reader of standard output to "
                                       "take it (the reader did not read); the output was given up"
                                     : std::strerror(e);
  err << tool << ": cannot write the report to standard output: " << why << '\n' << std::flush;
  return exit == exit_usage ? exit : exit_setup;
}

namespace {

// Adds the time from its making to its end to `total`: a write to stdout,
// which blocks while a pipe's reader does not read (reporter::writing()).
class write_timer {
 public:
  explicit write_timer(std::chrono::steady_clock::duration& total) noexcept : total_(total) {}
  write_timer(const write_timer&) = delete;
  write_timer& operator=(const write_timer&) = delete;
  ~write_timer() { total_ += std::chrono::steady_clock::now() - start_; }

 private:
  std::chrono::steady_clock::duration& total_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

}  // namespace

void reporter::text(std::string_view line) const {
  if (!text_on()) return;
  const write_timer timed(writing_);
  out_ << visible_text(line) << '\n';
  note_write(out_);
}

void reporter::csv_note(std::string_view line) const {
  if (!format_.csv || format_.quiet) return;
  err_ << visible_text(line) << '\n';
}

void reporter::event(const nlohmann::ordered_json& j) const {
  if (!format_.json) return;
  const write_timer timed(writing_);
  out_ << json_text(j) << '\n' << std::flush;
  note_write(out_);
}

void reporter::event(const nlohmann::ordered_json& j, std::string_view key, std::string_view raw) const {
  if (!format_.json) return;
  // The members before `key` and those after it made as text, `raw`
  // written between them as it is: not copied into one line first (a
  // start event's thousand groups are 100 KB).
  std::string head = "{";
  std::string tail;
  bool after = false;
  for (auto it = j.begin(); it != j.end(); ++it) {
    std::string& line = after ? tail : head;
    if (it != j.begin()) line += ',';
    line += json_text(nlohmann::ordered_json(it.key()));
    line += ':';
    if (it.key() == key) {
      after = true;
    } else {
      line += json_text(it.value());
    }
  }
  tail += "}\n";
  const write_timer timed(writing_);
  if (after) {
    out_ << head << raw << tail << std::flush;
  } else {
    out_ << head << tail << std::flush;
  }
  note_write(out_);
}

void json_array_text::add(const nlohmann::ordered_json& element) {
  if (text_.size() > 1) text_ += ',';
  text_ += json_text(element);
}

std::string json_array_text::finish() {
  text_ += ']';
  return std::exchange(text_, std::string(1, '['));
}

void reporter::csv(std::string_view rows) const {
  if (!format_.csv) return;
  const write_timer timed(writing_);
  out_ << rows;
  note_write(out_);
}

void reporter::flush() const {
  const write_timer timed(writing_);
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
  last_code_ = std::string(code);
  event(error_event(message, code, exit));
  err_ << tool_ << ": " << visible_text(message) << '\n';
  return exit;
}

int reporter::fail(int exit, const error& e) const { return fail(exit, error_text(e), code_name(e)); }

int reporter::fail(int exit, const spec_file_error& e) const { return fail(exit, e.message, e.code); }

int reporter::usage(std::string_view message) const { return fail(exit_usage, message, "usage"); }

int reporter::finish(int exit) const { return finish_output(tool_, out_, err_, exit); }

}  // namespace mcnet::tools
