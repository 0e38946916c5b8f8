// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <mcnet/tools/cli.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <limits>
#include <map>
#include <optional>
#include <sstream>
#include <typeinfo>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <mcnet/tools/output.hpp>
#include <mcnet/core/unique_fd.hpp>
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
std::atomic<unsigned> signal_count{0};
static_assert(std::atomic<unsigned>::is_always_lock_free, "a signal handler may only touch lock-free atomics");
void on_signal(int) {
  stop_flag.store(true);
  signal_count.fetch_add(1);
}
}  // namespace

void stop_on_signals() {
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  ::sigaction(SIGINT, &sa, nullptr);
  ::sigaction(SIGTERM, &sa, nullptr);
  // A closed terminal or ssh session: the run ends as on SIGTERM, its
  // summary written (to a file or pipe it still reaches).
  ::sigaction(SIGHUP, &sa, nullptr);
}

bool stop_requested() noexcept { return stop_flag.load(); }

unsigned signals_received() noexcept { return signal_count.load(); }

std::string code_name(const error& e) {
  if (e.code.category() == error_category()) return std::string(name(static_cast<errc>(e.code.value())));
  if (const char* n = ::strerrorname_np(e.code.value())) return n;
  return std::to_string(e.code.value());
}

namespace {

// What a file that is not a regular one is, for the error's hint (static text).
std::string_view not_regular_hint(mode_t mode) {
  switch (mode & S_IFMT) {
    case S_IFDIR: return "a directory, not a file of specs: @FILE names a regular file with one group spec per line";
    case S_IFCHR: return "a character device, not a file of specs: @FILE names a regular file";
    case S_IFBLK: return "a block device, not a file of specs: @FILE names a regular file";
    case S_IFIFO: return "a pipe (FIFO), not a file of specs: @FILE names a regular file";
    case S_IFSOCK: return "a socket, not a file of specs: @FILE names a regular file";
    default: return "not a regular file: @FILE names a regular file with one group spec per line";
  }
}

// The bytes of a spec file, at most spec_file_max_bytes: regular files only
// (a directory, /dev/zero or a FIFO would be read forever or as nothing).
result<std::string> read_spec_file(const std::string& path) {
  const auto failed = [&path](int err) {
    return fail(error::from_errno(err, "read", "spec file")
                    .with_input(path)
                    .with_hint("@FILE names a file with one group spec per line"));
  };
  // O_NONBLOCK: opening a FIFO does not wait for a writer before it is refused.
  const core::unique_fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY));
  if (!fd) return failed(errno);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return failed(errno);
  if (!S_ISREG(st.st_mode)) {
    return fail(error::from_errno(S_ISDIR(st.st_mode) ? EISDIR : EINVAL, "read", "spec file")
                    .with_input(path)
                    .with_hint(not_regular_hint(st.st_mode)));
  }
  const auto too_big = [&path] {
    return fail(error::from_errno(EFBIG, "read", "spec file")
                    .with_input(path)
                    .with_number(static_cast<std::int64_t>(spec_file_max_bytes))
                    .with_hint("a spec file holds at most {number} bytes (16 MiB: 65,536 lines of 256 bytes)"));
  };
  if (st.st_size > static_cast<off_t>(spec_file_max_bytes)) return too_big();
  std::string text;
  // st_size is not trusted alone: a file growing while read, or one of
  // /proc (size 0), is stopped at the limit too.
  std::array<char, 65536> chunk{};
  for (;;) {
    const auto n = ::read(fd.get(), chunk.data(), chunk.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return failed(errno);
    if (n == 0) break;
    text.append(chunk.data(), static_cast<std::size_t>(n));
    if (text.size() > spec_file_max_bytes) return too_big();
  }
  return text;
}

}  // namespace

std::string spec_text::where(std::string_view what) const {
  if (origin.empty()) return std::string(what);
  return origin + ": " + std::string(what);
}

tl::expected<std::vector<spec_text>, spec_file_error> expand_spec_files(const std::vector<std::string>& args) {
  std::vector<spec_text> out;
  std::vector<std::string> without_specs;  // the files that held none, for "no group given"
  const auto file_error = [](const error& e) {
    return tl::unexpected(spec_file_error{error_text(e), code_name(e), e});
  };
  for (const auto& arg : args) {
    if (!arg.starts_with("@")) {
      out.push_back({arg, {}});
      continue;
    }
    const auto path = arg.substr(1);
    if (path.empty()) {
      // '@' alone: an empty value as "-i ''" is, not open("")'s "No such
      // file or directory" naming no file (trial t16z).
      const auto e = error(std::make_error_code(std::errc::invalid_argument), "read", "spec file").with_input(arg);
      return tl::unexpected(spec_file_error{
          "@\"\": an empty file name after '@'; give one: @FILE names a file with one group spec per line",
          "usage", e});
    }
    auto text = read_spec_file(path);
    if (!text) return file_error(text.error());
    std::string_view rest = *text;
    // A UTF-8 byte-order mark, as some editors write first: no spec starts
    // with it, and a spec of the first line must not.
    constexpr std::string_view bom = "\xEF\xBB\xBF";
    if (rest.starts_with(bom)) rest.remove_prefix(bom.size());
    std::size_t line_number = 0, specs = 0;
    // An error about one line starts with FILE:LINE, as every error about a line does.
    const auto line_error = [&](const error& e) {
      const spec_text at{{}, text_name(path) + ":" + std::to_string(line_number)};
      return tl::unexpected(spec_file_error{at.where(error_text(e)), code_name(e), e});
    };
    while (!rest.empty()) {
      const auto eol = rest.find('\n');
      auto line = rest.substr(0, eol);
      rest.remove_prefix(eol == std::string_view::npos ? rest.size() : eol + 1);
      ++line_number;
      // A CRLF line end is the line's end, not part of it: the bound is on
      // what comes before it (trial t16t: 4096 bytes and CRLF were refused,
      // with LF accepted).
      if (eol != std::string_view::npos && line.ends_with('\r')) line.remove_suffix(1);
      if (line.size() > spec_file_max_line) {
        return line_error(error(errc::value_out_of_range, "read", "spec file")
                              .with_hint("the line is longer than 4096 bytes: a spec file holds one group spec a line"));
      }
      const auto start = line.find_first_not_of(" \t\r");  // CRLF files too
      if (start == std::string_view::npos || line[start] == '#') continue;
      if (++specs > spec_file_max_specs) {
        return line_error(error(errc::value_out_of_range, "read", "spec file")
                              .with_number(static_cast<std::int64_t>(spec_file_max_specs))
                              .with_hint("more than {number} specs in one file"));
      }
      const auto end = line.find_last_not_of(" \t\r");
      out.push_back({std::string(line.substr(start, end - start + 1)), text_name(path) + ":" + std::to_string(line_number)});
    }
    if (specs == 0) without_specs.push_back(path);
  }
  if (out.empty() && !without_specs.empty()) {
    std::string names = "\"" + text_name(without_specs.front()) + "\"";
    for (std::size_t i = 1; i < without_specs.size(); ++i) names += ", \"" + text_name(without_specs[i]) + "\"";
    const auto e = error(std::make_error_code(std::errc::invalid_argument), "read", "spec file")
                       .with_input(without_specs.front());
    return tl::unexpected(spec_file_error{
        without_specs.size() == 1 ? "no group given: the spec file " + names + " holds none"
                                  : "no group given: the spec files " + names + " hold none",
        "usage", e});
  }
  return out;
}

namespace {

// Boost.Program_options words its errors from templates with %name%
// placeholders and replaces them with the user's text until none is left:
// an argument holding "%canonical_option%" never ends that loop, and
// "%option%" is replaced inside the user's own text. The parser therefore
// sees no '%': it is written as "\x01p" (and a '\x01' as "\x01\x01"), and
// every value and message is turned back before anyone reads it.
constexpr char escape_mark = '\x01';

// What an option given an empty value is told, however it was given ("-i ''", "--interface=").
std::string empty_value_message(const std::string& long_name) {
  // A format string, not `"--" + name + "...": ..."`: appending a literal
  // of known length, GCC 12 at -O3 copied its first 48 bytes from 16-byte
  // constants and wrote the last 8 ("tion out") as an instruction's
  // immediate, so the binary held "...leave the optio" as a string of its
  // own (lintian: spelling-error-in-binary "optio"). fmt reads the text
  // whole, from one place.
  return fmt::format("--{} \"\": an empty value; give one or leave the option out", long_name);
}

// What a switch (--csv, --json: no value) given "=VALUE" is told, empty or not.
std::string switch_value_message(const std::string& long_name) {
  return fmt::format("--{0} takes no value: give --{0} alone", long_name);
}

// When `text` is a number written in full that its option's type cannot
// hold, says why: strtod (which reads what a number option reads) says
// ERANGE, or an integer has more digits than 64 bits hold.
// The largest value of an integer option's type, or 0 for another option.
std::uint64_t integer_max(const boost::program_options::value_semantic& v) {
  namespace po = boost::program_options;
  const auto* typed = dynamic_cast<const po::typed_value_base*>(&v);
  if (typed == nullptr) return 0;
  const auto& t = typed->value_type();
  if (t == typeid(long long) || t == typeid(long)) return static_cast<std::uint64_t>(std::numeric_limits<long long>::max());
  if (t == typeid(unsigned long long) || t == typeid(unsigned long)) return std::numeric_limits<std::uint64_t>::max();
  if (t == typeid(int)) return static_cast<std::uint64_t>(std::numeric_limits<int>::max());
  if (t == typeid(unsigned)) return std::numeric_limits<unsigned>::max();
  return 0;
}

// When `text` is a whole number past `max` (an integer option's largest
// value; 0: not an integer option): "out of range, at most MAX" (trial
// t16u L4: 2^63 read "it takes a whole number").
std::optional<std::string> integer_past(const std::string& text, std::uint64_t max) {
  if (max == 0 || text.empty() || !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  const auto digits = text.substr(std::min(text.find_first_not_of('0'), text.size()));
  const auto limit = std::to_string(max);
  if (digits.size() < limit.size() || (digits.size() == limit.size() && digits <= limit)) return std::nullopt;
  return "beyond what the option's integer holds, at most " + limit;
}

std::optional<std::string> number_out_of_range(const std::string& text) {
  if (text.empty()) return std::nullopt;
  errno = 0;
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (end == nullptr || *end != '\0') return std::nullopt;
  if (errno == ERANGE) {
    // Underflow gives 0 or a denormal (4e-320: precision lost), overflow infinity.
    return std::string(v > -1 && v < 1 ? "too close to 0 for a number (a double)" : "beyond what a number (a double) holds");
  }
  const auto digits = std::count_if(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
  const bool integer =
      std::all_of(text.begin(), text.end(), [](char c) { return (c >= '0' && c <= '9') || c == '-' || c == '+'; });
  if (integer && digits > 19) return std::string("beyond what a 64-bit integer holds");
  return std::nullopt;
}

// Whether `text` is a number written in full whose value is 0 (with a '-'
// sign: "-0", "-00", "-0.0", "-0e5").
bool negative_zero(const std::string& text) {
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  return end != nullptr && end != text.c_str() && *end == '\0' && v == 0.0;
}

// Whether an option's value is read as a number (Boost reads it with
// lexical_cast, which takes "+01" for 1 and "1e-400" for 0).
bool number_option(const boost::program_options::value_semantic& v) {
  namespace po = boost::program_options;
  auto is = [&v]<class T>(T*) { return dynamic_cast<const po::typed_value<T>*>(&v) != nullptr; };
  return is(static_cast<int*>(nullptr)) || is(static_cast<unsigned*>(nullptr)) || is(static_cast<long*>(nullptr)) ||
         is(static_cast<unsigned long*>(nullptr)) || is(static_cast<long long*>(nullptr)) ||
         is(static_cast<unsigned long long*>(nullptr)) || is(static_cast<short*>(nullptr)) ||
         is(static_cast<unsigned short*>(nullptr)) || is(static_cast<double*>(nullptr)) ||
         is(static_cast<float*>(nullptr));
}

std::string escape_percent(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    if (c == '%') {
      out += escape_mark;
      out += 'p';
    } else if (c == escape_mark) {
      out += escape_mark;
      out += escape_mark;
    } else {
      out += c;
    }
  }
  return out;
}

std::string unescape_percent(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == escape_mark && i + 1 < text.size()) {
      out += text[i + 1] == 'p' ? '%' : text[i + 1];
      ++i;
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace

namespace {
std::string given_key(std::string_view long_name) { return " given " + std::string(long_name); }
}  // namespace

std::map<std::string, std::string, std::less<>> given_numbers(const boost::program_options::variables_map& vm) {
  std::map<std::string, std::string, std::less<>> out;
  const std::string prefix = given_key("");
  for (auto it = vm.lower_bound(prefix); it != vm.end() && it->first.starts_with(prefix); ++it) {
    out.emplace(it->first.substr(prefix.size()), boost::any_cast<std::string>(it->second.value()));
  }
  return out;
}

std::string shown_number(const std::map<std::string, std::string, std::less<>>& given, std::string_view long_name,
                         double value) {
  if (const auto it = given.find(long_name); it != given.end()) return it->second;
  return fmt::format("{}", value);
}

tl::expected<boost::program_options::variables_map, usage_error> parse_command_line(
    const std::vector<std::string>& raw_args, const boost::program_options::options_description& visible,
    std::vector<std::string>& specs) {
  namespace po = boost::program_options;
  std::vector<std::string> args;
  args.reserve(raw_args.size());
  for (const auto& a : raw_args) args.push_back(escape_percent(a));
  po::options_description hidden;
  hidden.add_options()("spec", po::value(&specs));
  po::options_description all;
  all.add(visible).add(hidden);
  po::positional_options_description positional;
  positional.add("spec", -1);
  po::variables_map vm;
  try {
    const auto parsed = po::command_line_parser(args).options(all).positional(positional).run();
    // A number option's value is a plain number (docs/tools.md, "Exit
    // codes"): no '+' sign ("-c +01"), and one a double holds without
    // underflow ("--max-loss 1e-400" is not 0).
    std::map<std::string, std::string> given;
    for (const auto& o : parsed.options) {
      const auto* d = o.string_key.empty() ? nullptr : all.find_nothrow(o.string_key, false);
      if (d == nullptr || !number_option(*d->semantic())) continue;
      for (const auto& raw : o.value) {
        const auto value = unescape_percent(raw);
        given[d->long_name()] = value;
        const bool json = std::find(args.begin(), args.end(), "--json") != args.end();
        if (value.starts_with('+')) {
          return tl::unexpected(usage_error{"--" + d->long_name() + " " + text_name(value) +
                                                ": a plain number, without a '+' sign; the option takes: " +
                                                d->description(),
                                            "usage", false, json});
        }
        // No option takes a negative number, and each refuses one by its
        // range, but "-0" is 0 to the reader: some took it, others refused
        // it (trial16e 6). A '-' sign on a zero is refused as '+' is.
        if (value.starts_with('-') && negative_zero(value)) {
          return tl::unexpected(usage_error{"--" + d->long_name() + " " + text_name(value) +
                                                ": a plain number, without a sign ('-' on 0); the option takes: " +
                                                d->description(),
                                            "usage", false, json});
        }
        auto why = integer_past(value, integer_max(*d->semantic()));
        if (!why) why = number_out_of_range(value);
        if (why) {
          return tl::unexpected(usage_error{"--" + d->long_name() + " " + text_name(value) + ": out of range, " + *why +
                                                "; the option takes: " + d->description(),
                                            "usage", false, json});
        }
      }
    }
    po::store(parsed, vm);
    // The text values as given, before notify() hands them to the settings.
    for (auto& [name, v] : vm) {
      if (auto* text = boost::any_cast<std::string>(&v.value())) {
        *text = unescape_percent(*text);
      } else if (auto* texts = boost::any_cast<std::vector<std::string>>(&v.value())) {
        for (auto& t : *texts) t = unescape_percent(t);
      }
    }
    po::notify(vm);
    // The numbers as typed, for messages that quote them (given_text());
    // entries without a value semantic, which notify() passes over.
    for (auto& [name, text] : given) vm.insert({given_key(name), po::variable_value(boost::any(text), false)});
  } catch (const po::invalid_syntax& e) {
    // "--name=" with nothing after '=' is a syntax error Boost raises before
    // it looks the name up: for a name the tool does not have, say so; for
    // an option that takes a value, it is an empty value, said as "-i ''" is.
    const auto name = e.get_option_name();
    const bool json = std::find(args.begin(), args.end(), "--json") != args.end();
    if (e.kind() == po::invalid_syntax::empty_adjacent_parameter && name.starts_with("--")) {
      const auto* o = all.find_nothrow(name.substr(2), false);
      if (o == nullptr) {
        return tl::unexpected(usage_error{"unrecognised option '" + text_name(unescape_percent(name)) + "'", "usage", true, json});
      }
      if (o->semantic()->max_tokens() > 0) {
        return tl::unexpected(usage_error{empty_value_message(o->long_name()), "usage", false, json});
      }
    }
    // A switch given a value, empty ("--csv=") or not ("--csv=x"): one
    // sentence for both (trial t16z: "--csv=" read Boost's "the argument
    // ... should follow immediately after the equal sign", "--csv=x" that
    // it takes no arguments).
    if ((e.kind() == po::invalid_syntax::empty_adjacent_parameter ||
         e.kind() == po::invalid_syntax::extra_parameter) &&
        name.starts_with("--")) {
      if (const auto* o = all.find_nothrow(name.substr(2), false); o != nullptr && o->semantic()->max_tokens() == 0) {
        return tl::unexpected(usage_error{switch_value_message(o->long_name()), "usage", true, json});
      }
    }
    return tl::unexpected(usage_error{text_name(unescape_percent(e.what())), "usage", true, json});
  } catch (const po::invalid_option_value& e) {
    // A number option given "" ("--interval ''", "-c ''"): the same words as
    // a text option's empty value, not Boost's "the argument ... is invalid".
    const bool json = std::find(args.begin(), args.end(), "--json") != args.end();
    std::string name = e.get_option_name();
    while (name.starts_with('-')) name.erase(0, 1);
    for (const auto& o : all.options()) {
      const bool named = o->long_name() == name || (name.size() == 1 && o->canonical_display_name(
                                                                             po::command_line_style::allow_dash_for_short) == "-" + name);
      if (!named) continue;
      for (std::size_t i = 0; i < args.size(); ++i) {
        const bool option = i + 1 < args.size() &&
                            (args[i] == "--" + o->long_name() ||
                             args[i] == o->canonical_display_name(po::command_line_style::allow_dash_for_short));
        if (option && args[i + 1].empty()) {
          return tl::unexpected(usage_error{empty_value_message(o->long_name()), "usage", false, json});
        }
        // A number past what the option can hold ("--interval 1e400", "-c
        // 99999999999999999999999"): say so, with the values the option
        // takes (its help text), not only "the argument ... is invalid".
        const std::string joined = "--" + o->long_name() + "=";
        const std::string value = option ? args[i + 1] : args[i].starts_with(joined) ? args[i].substr(joined.size()) : "";
        auto why = integer_past(value, integer_max(*o->semantic()));
        if (!why) why = number_out_of_range(value);
        if (why) {
          return tl::unexpected(usage_error{"--" + o->long_name() + " " + text_name(value) + ": out of range, " + *why +
                                                "; the option takes: " + o->description(),
                                            "usage", false, json});
        }
      }
      // Any other value the option's type refuses ("--pcap-rotate 0.1",
      // "--batch x"): say what it takes, its kind of number and its help
      // text (which gives the range and unit), not only "is invalid".
      std::string kind = "a value";
      if (const auto* typed = dynamic_cast<const po::typed_value_base*>(o->semantic().get())) {
        const auto& t = typed->value_type();
        if (t == typeid(int) || t == typeid(unsigned) || t == typeid(long) || t == typeid(unsigned long) ||
            t == typeid(long long) || t == typeid(unsigned long long) || t == typeid(std::int64_t) ||
            t == typeid(std::uint64_t) || t == typeid(std::int32_t) || t == typeid(std::uint32_t) ||
            t == typeid(std::uint16_t) || t == typeid(std::uint8_t) || t == typeid(short)) {
          kind = "a whole number";
        } else if (t == typeid(double) || t == typeid(float)) {
          kind = "a decimal number";
        }
      }
      return tl::unexpected(usage_error{text_name(unescape_percent(e.what())) + ": it takes " + kind + "; " +
                                            o->description(),
                                        "usage", true, json});
    }
    return tl::unexpected(usage_error{text_name(unescape_percent(e.what())), "usage", true, json});
  } catch (const std::exception& e) {
    // With --json, scripts read stdout: the error is an event there too.
    const bool json = std::find(args.begin(), args.end(), "--json") != args.end();
    return tl::unexpected(usage_error{text_name(unescape_percent(e.what())), "usage", true, json});
  }
  return vm;
}

std::optional<std::string> empty_value(const boost::program_options::variables_map& vm,
                                       const boost::program_options::options_description& visible) {
  for (const auto& [name, v] : vm) {
    if (v.defaulted()) continue;
    // Switches (--loop) hold an empty text too: only options taking a value count.
    const auto* o = visible.find_nothrow(name, false);
    if (o == nullptr || o->semantic()->max_tokens() == 0) continue;
    // Numbers cannot be empty (the parser refuses ""): text values can.
    bool empty = false;
    if (const auto* text = boost::any_cast<std::string>(&v.value())) {
      empty = text->empty();
    } else if (const auto* texts = boost::any_cast<std::vector<std::string>>(&v.value())) {
      empty = std::any_of(texts->begin(), texts->end(), [](const std::string& t) { return t.empty(); });
    }
    if (empty) return empty_value_message(name);
  }
  return std::nullopt;
}

int print_usage_error(const usage_error& e, std::string_view tool, std::ostream& out, std::ostream& err) {
  if (e.json) out << json_text(error_event(e.message, e.code, exit_usage)) << '\n' << std::flush;
  err << tool << ": " << visible_text(e.message) << (e.from_parser ? " (see --help)" : "") << '\n';
  return exit_usage;
}

std::vector<std::string> long_names(const boost::program_options::options_description& visible) {
  std::vector<std::string> out;
  for (const auto& o : visible.options()) out.push_back(o->long_name());
  return out;
}

std::string installed_path(const std::filesystem::path& program, std::string_view bindir, std::string_view relative,
                           std::string_view configured) {
  const std::filesystem::path rel{relative};
  const std::filesystem::path bin{bindir};
  if (program.empty() || rel.is_absolute() || bin.is_absolute()) return std::string(configured);
  // The prefix: the program's directory without bindir's components, last
  // first ("bin", or "lib/mcnet/bin").
  auto dir = program.parent_path();
  std::vector<std::filesystem::path> parts;
  for (const auto& part : bin) {
    if (!part.empty() && part != ".") parts.push_back(part);
  }
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
    if (dir.filename() != *it) return std::string(configured);
    dir = dir.parent_path();
  }
  auto path = dir / rel;
  std::error_code ec;
  return std::filesystem::is_regular_file(path, ec) ? path.string() : std::string(configured);
}

namespace {
// The running program's own file, as the kernel names it (/proc/self/exe,
// proc(5): symbolic links resolved, so a link in another bin finds the
// install it points to); empty when it cannot be read.
std::filesystem::path running_program() {
  std::error_code ec;
  auto path = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::filesystem::path{} : path;
}
}  // namespace

// tools/CMakeLists.txt gives the install's directories, relative to the
// prefix, and the absolute paths under the configured prefix.
std::string installed_reference() {
  return installed_path(running_program(), MCNET_INSTALL_BINDIR, MCNET_INSTALLED_REFERENCE_RELATIVE,
                        MCNET_INSTALLED_REFERENCE);
}
std::string installed_schema() {
  return installed_path(running_program(), MCNET_INSTALL_BINDIR, MCNET_INSTALLED_SCHEMA_RELATIVE,
                        MCNET_INSTALLED_SCHEMA);
}

std::string help_text(std::string_view tool, const boost::program_options::options_description& visible,
                      std::string_view tail) {
  std::ostringstream out;
  // The installed paths, not the source tree's docs/: a packaged tool's user
  // has no source tree.
  out << visible << tail << "\nsee also: the man page, man " << tool << "\n  the tools' reference: "
      << installed_reference() << "\n  the JSON Schema of --json: " << installed_schema() << '\n';
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

std::optional<std::string> writes_into_stdout(std::string_view option, const std::string& path) {
  const auto said = [&](std::string_view why, std::string_view what) {
    return fmt::format("{} {}: {}: {} (name another file)", option, text_name(path), why, what);
  };
  if (path == "-") return said("stdout", "the report goes there");
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  // The null device holds nothing to overwrite or mix into.
  if (S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 3)) return std::nullopt;
  const auto is = [&st](int fd) {
    struct stat s {};
    return ::fstat(fd, &s) == 0 && s.st_dev == st.st_dev && s.st_ino == st.st_ino;
  };
  if (is(STDOUT_FILENO)) return said("the same file as stdout", "the report goes there");
  // Trial t16y: `--pcap F 2>>F` wrote the capture's header over the error message.
  if (is(STDERR_FILENO)) return said("the same file as stderr", "the messages go there");
  return std::nullopt;
}

}  // namespace mcnet::tools
