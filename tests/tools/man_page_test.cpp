// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// The man pages docs/man/mcast-send.1 and docs/man/mcast-recv.1 are in step
// with the tools' --help: every option --help lists has an entry in the
// page's OPTIONS section with the same short and long form, an argument when
// --help shows one, and its default; the page documents no option --help
// lacks; EXIT STATUS lists the exit codes of --help; the sections are there;
// and groff renders the pages without a warning. The checker itself is shown
// to catch drift on a page made to drift.

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <mcnet/tools/report.hpp>
#include <mcnet/tools/stream_table.hpp>

#include "programs.hpp"
#include "process.hpp"

namespace {

struct tool_page {
  const char* name;    // "mcast-send"
  const char* binary;  // the built tool
  const char* page;    // the roff source in the tree
  std::vector<std::string> sections;
};

const std::vector<std::string> common_sections = {"NAME",        "SYNOPSIS",  "DESCRIPTION", "OPTIONS", "GROUP SPECS",
                                                  "EXIT STATUS", "EXAMPLES", "NOTES",       "SEE ALSO"};

tool_page send_page() {
  auto s = common_sections;
  s.insert(s.end(), {"WIRE HEADER", "FAULT INJECTION AND RATES", "OUTPUT"});
  return {"mcast-send", MCAST_SEND, MCNET_MAN_SEND, s};
}

tool_page recv_page() {
  auto s = common_sections;
  s.insert(s.end(), {"STATISTICS", "OUTPUT"});
  return {"mcast-recv", MCAST_RECV, MCNET_MAN_RECV, s};
}

std::string read_text(const std::string& path) {
  std::ifstream f(path);
  std::ostringstream out;
  out << f.rdbuf();
  return out.str();
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

std::string trim(std::string s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

// roff escapes to plain text: "\-" is '-', font changes and "\&" vanish,
// "\(xx" special characters become one plain stand-in.
std::string unescape(std::string_view s) {
  static const std::map<std::string, std::string> specials = {
      {"em", "-"}, {"en", "-"}, {"mu", "x"}, {">=", ">="}, {"<=", "<="}, {"aq", "'"}, {"bu", "*"}};
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\' || i + 1 == s.size()) {
      out += s[i];
      continue;
    }
    const char c = s[++i];
    if (c == '-') {
      out += '-';
    } else if (c == 'e') {
      out += '\\';
    } else if (c == '&' || c == '%') {
      // zero-width
    } else if (c == 'f') {  // \fB, \f(BI, \f[BI]
      if (i + 1 < s.size() && s[i + 1] == '(') {
        i += 3;
      } else if (i + 1 < s.size() && s[i + 1] == '[') {
        i = s.find(']', i);
        if (i == std::string_view::npos) i = s.size();
      } else {
        i += 1;
      }
    } else if (c == '(' && i + 2 < s.size()) {
      const auto it = specials.find(std::string(s.substr(i + 1, 2)));
      out += it != specials.end() ? it->second : "?";
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

// One roff line as the text it shows: the arguments of font macros (quotes
// removed), nothing for other requests and comments.
std::string plain(const std::string& line) {
  if (line.empty()) return {};
  if (line[0] != '.' && line[0] != '\'') return unescape(line);
  if (line.starts_with(".\\\"")) return {};
  const auto space = line.find(' ');
  const std::string macro = line.substr(1, space == std::string::npos ? std::string::npos : space - 1);
  static const std::set<std::string> font_macros = {"B", "I", "BR", "RB", "BI", "IB", "IR", "RI", "SM", "SB"};
  if (!font_macros.contains(macro) || space == std::string::npos) return {};
  std::string args = line.substr(space + 1);
  std::erase(args, '"');
  return unescape(args);
}

// The page's sections: title -> its lines (between its .SH and the next).
std::map<std::string, std::vector<std::string>> sections_of(const std::string& page) {
  std::map<std::string, std::vector<std::string>> out;
  std::string current;
  for (const auto& line : lines_of(page)) {
    if (line.starts_with(".SH")) {
      current = line.size() > 3 ? trim(line.substr(3)) : "";
      std::erase(current, '"');
      out[current];
      continue;
    }
    if (!current.empty()) out[current].push_back(line);
  }
  return out;
}

struct option_entry {
  std::string long_name;      // "--interface"
  std::string short_name;     // "-i", or empty
  bool takes_argument = false;
  std::string default_value;  // --help's "(=V)"; empty when it shows none
  std::string body;           // man page only: the paragraph as plain text
};

// --help as Boost.Program_options prints it: an option line starts with two
// spaces and a dash, "-i [ --interface ] arg (=V)  description"; the lines
// that continue a description are indented further.
std::vector<option_entry> help_options(const std::string& help) {
  static const std::regex option_line(R"(^  (?:-([A-Za-z0-9]) \[ (--[A-Za-z0-9][A-Za-z0-9-]*) \]|)"
                                       R"((--[A-Za-z0-9][A-Za-z0-9-]*))( arg)?(?: \(=([^)]*)\))?(?: |$))");
  std::vector<option_entry> out;
  for (const auto& line : lines_of(help)) {
    std::smatch m;
    if (!std::regex_search(line, m, option_line)) continue;
    option_entry e;
    // Appended, not `"-" + m[1].str()`: inserting at the front of the
    // temporary is a -Wrestrict false positive for g++ 12 at -O3.
    if (m[1].matched) e.short_name.append("-").append(m[1].str());
    e.long_name = m[2].matched ? m[2].str() : m[3].str();
    e.takes_argument = m[4].matched;
    e.default_value = m[5].matched ? m[5].str() : "";
    out.push_back(e);
  }
  return out;
}

// Option words in plain text: "--xyz" and "-x", each standing alone.
std::vector<std::string> option_tokens(const std::string& text) {
  static const std::regex token(R"((?:^|[\s,\[(])(--?[A-Za-z0-9][A-Za-z0-9-]*))");
  std::vector<std::string> out;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), token); it != std::sregex_iterator(); ++it) {
    out.push_back((*it)[1].str());
  }
  return out;
}

// The OPTIONS section: each ".TP" entry's tag line names the option(s) and
// its argument; the lines up to the next ".TP" are its body. Tags that are
// not of the form "-x, --xyz ARG" or "--xyz ARG" are reported in `problems`.
std::vector<option_entry> man_options(const std::vector<std::string>& section, std::vector<std::string>& problems) {
  std::vector<option_entry> out;
  for (std::size_t i = 0; i < section.size(); ++i) {
    if (section[i] != ".TP") continue;
    if (i + 1 == section.size()) {
      problems.push_back("OPTIONS: .TP without a tag at the end");
      break;
    }
    const std::string tag = plain(section[i + 1]);
    option_entry e;
    std::vector<std::string> longs;
    std::vector<std::string> shorts;
    std::vector<std::string> arguments;
    std::string word;
    std::istringstream words(tag);
    while (words >> word) {
      std::erase(word, ',');
      if (word.empty()) continue;
      if (word.starts_with("--")) {
        longs.push_back(word);
      } else if (word.starts_with("-")) {
        shorts.push_back(word);
      } else {
        arguments.push_back(word);
      }
    }
    if (longs.size() != 1 || shorts.size() > 1 || arguments.size() > 1) {
      problems.push_back("OPTIONS: the tag \"" + tag + "\" is not \"-x, --xyz ARG\" or \"--xyz ARG\"");
      continue;
    }
    e.long_name = longs[0];
    e.short_name = shorts.empty() ? "" : shorts[0];
    e.takes_argument = !arguments.empty();
    for (std::size_t j = i + 2; j < section.size() && section[j] != ".TP"; ++j) {
      std::istringstream text(plain(section[j]));
      for (std::string w; text >> w;) e.body += (e.body.empty() ? "" : " ") + w;  // one space between words
    }
    out.push_back(e);
  }
  return out;
}

bool contains_word(const std::string& text, const std::string& phrase) {
  for (auto pos = text.find(phrase); pos != std::string::npos; pos = text.find(phrase, pos + 1)) {
    const auto end = pos + phrase.size();
    if (end == text.size() || !std::isalnum(static_cast<unsigned char>(text[end]))) return true;
  }
  return false;
}

// Everything that is out of step between --help and the page's OPTIONS
// section (empty when they agree).
std::vector<std::string> option_problems(const std::string& help, const std::string& page) {
  std::vector<std::string> problems;
  const auto in_help = help_options(help);
  const auto sections = sections_of(page);
  const auto options_section = sections.find("OPTIONS");
  if (options_section == sections.end()) return {"the page has no OPTIONS section"};
  const auto in_page = man_options(options_section->second, problems);

  std::map<std::string, const option_entry*> page_by_long;
  for (const auto& e : in_page) {
    if (!page_by_long.emplace(e.long_name, &e).second) problems.push_back(e.long_name + ": documented twice");
  }
  std::set<std::string> help_names;
  for (const auto& h : in_help) {
    help_names.insert(h.long_name);
    if (!h.short_name.empty()) help_names.insert(h.short_name);
    const auto it = page_by_long.find(h.long_name);
    if (it == page_by_long.end()) {
      problems.push_back(h.long_name + ": in --help, not in OPTIONS");
      continue;
    }
    const auto& p = *it->second;
    if (p.short_name != h.short_name) {
      problems.push_back(h.long_name + ": short form \"" + h.short_name + "\" in --help, \"" + p.short_name +
                         "\" in the page");
    }
    if (p.takes_argument != h.takes_argument) {
      problems.push_back(h.long_name + (h.takes_argument ? ": takes an argument, the page shows none"
                                                         : ": takes no argument, the page shows one"));
    }
    if (!h.default_value.empty() && !contains_word(p.body, "Default: " + h.default_value)) {
      problems.push_back(h.long_name + ": --help's default " + h.default_value + " is not \"Default: " +
                         h.default_value + "\" in the page");
    }
  }
  for (const auto& p : in_page) {
    if (!help_names.contains(p.long_name)) problems.push_back(p.long_name + ": in OPTIONS, not in --help (stale)");
    if (!p.short_name.empty() && !help_names.contains(p.short_name)) {
      problems.push_back(p.short_name + ": in OPTIONS, not in --help (stale)");
    }
  }

  // Every option word anywhere in --help (descriptions and exit codes too)
  // is in the page, as the page shows it once '\-' is read as '-'.
  std::string page_text;
  for (const auto& line : lines_of(page)) page_text += plain(line) + "\n";
  const auto page_words = option_tokens(page_text);
  const std::set<std::string> page_set(page_words.begin(), page_words.end());
  std::set<std::string> reported;
  for (const auto& w : option_tokens(help)) {
    if (w.starts_with("--") && !page_set.contains(w) && reported.insert(w).second) {
      problems.push_back(w + ": in --help, nowhere in the page");
    }
  }
  for (const auto& h : in_help) {
    if (!h.short_name.empty() && !page_set.contains(h.short_name)) {
      problems.push_back(h.short_name + ": in --help, nowhere in the page");
    }
  }
  return problems;
}

// "exit codes: 0 ok, 1 usage or bad input, ..." at the end of --help.
std::set<int> help_exit_codes(const std::string& help) {
  std::set<int> out;
  const auto at = help.find("exit codes:");
  if (at == std::string::npos) return out;
  const std::string rest = help.substr(at + 11);
  static const std::regex code(R"((?:^|[,\n])\s*([0-9]+) )");
  for (auto it = std::sregex_iterator(rest.begin(), rest.end(), code); it != std::sregex_iterator(); ++it) {
    out.insert(std::stoi((*it)[1].str()));
  }
  return out;
}

// The numbers tagged with .TP in EXIT STATUS.
std::set<int> page_exit_codes(const std::string& page) {
  std::set<int> out;
  const auto sections = sections_of(page);
  const auto it = sections.find("EXIT STATUS");
  if (it == sections.end()) return out;
  const auto& lines = it->second;
  for (std::size_t i = 0; i + 1 < lines.size(); ++i) {
    if (lines[i] != ".TP") continue;
    const auto tag = trim(plain(lines[i + 1]));
    if (!tag.empty() && std::all_of(tag.begin(), tag.end(), [](unsigned char c) { return std::isdigit(c) != 0; })) {
      out.insert(std::stoi(tag));
    }
  }
  return out;
}

std::string help_of(const tool_page& t) {
  const auto r = mcnet::test::run(nullptr, {t.binary, "--help"});
  EXPECT_TRUE(r.status.success()) << t.name << " --help: " << r.status.describe() << "\n" << r.output;
  return r.standard_output;
}

void expect_options_in_step(const tool_page& t) {
  const auto help = help_of(t);
  const auto page = read_text(t.page);
  ASSERT_FALSE(page.empty()) << "cannot read " << t.page;
  // The parsers must see the options at all, or agreement would prove nothing.
  const auto from_help = help_options(help);
  ASSERT_GE(from_help.size(), 15u) << "options parsed from " << t.name << " --help:\n" << help;
  EXPECT_TRUE(std::any_of(from_help.begin(), from_help.end(),
                          [](const option_entry& e) { return e.long_name == "--interface" && e.short_name == "-i"; }));
  std::vector<std::string> ignored;
  EXPECT_EQ(man_options(sections_of(page)["OPTIONS"], ignored).size(), from_help.size());
  EXPECT_EQ(option_problems(help, page), std::vector<std::string>{}) << t.page << " against " << t.name << " --help";
}

TEST(ManPage, SendOptionsMatchHelp) { expect_options_in_step(send_page()); }

TEST(ManPage, RecvOptionsMatchHelp) { expect_options_in_step(recv_page()); }

TEST(ManPage, ExitStatusMatchesHelp) {
  const auto send = send_page();
  const auto send_codes = help_exit_codes(help_of(send));
  EXPECT_EQ(send_codes, (std::set<int>{0, 1, 2, 4})) << "parsed from mcast-send --help";
  EXPECT_EQ(page_exit_codes(read_text(send.page)), send_codes) << send.page << " EXIT STATUS against --help";
  const auto recv = recv_page();
  const auto recv_codes = help_exit_codes(help_of(recv));
  EXPECT_EQ(recv_codes, (std::set<int>{0, 1, 2, 3, 4})) << "parsed from mcast-recv --help";
  EXPECT_EQ(page_exit_codes(read_text(recv.page)), recv_codes) << recv.page << " EXIT STATUS against --help";
}

// --max-streams' memory figure: the one the bound counts a stream at
// (stream_table::bytes_per_stream), the same in --help, the page and docs/tools.md.
TEST(ManPage, MaxStreamsNamesTheBoundsFigure) {
  const auto kb = std::to_string((mcnet::tools::stream_table::bytes_per_stream + 500) / 1000);
  const auto recv = recv_page();
  const auto help = help_of(recv);
  EXPECT_NE(help.find("(each counted at ~" + kb + " KB in the bound"), std::string::npos) << help;
  const auto page = read_text(recv.page);
  EXPECT_NE(page.find("at about " + kb + " KB a stream"), std::string::npos) << recv.page;
  const auto docs = read_text((std::filesystem::path(recv.page).parent_path().parent_path() / "tools.md").string());
  EXPECT_NE(docs.find("at ~" + kb + " KB a stream"), std::string::npos) << "docs/tools.md";
  for (const auto* text : {&help, &page, &docs}) {
    EXPECT_EQ(text->find("25 KB"), std::string::npos) << "no other figure for the bound";
  }
}

// The bold words at the top level of a roff passage (outside parentheses
// and braces): the keys a JSON entry lists, in the page's order. `.B`
// makes all its words bold, `.BR` the odd ones, `.RB` the even ones.
std::vector<std::string> top_level_keys(const std::string& passage) {
  std::vector<std::string> keys;
  int depth = 0;
  for (const auto& line : lines_of(passage)) {
    std::istringstream in(line);
    std::vector<std::string> words;
    for (std::string w; in >> w;) words.push_back(w);
    if (words.empty()) continue;
    std::string macro;
    if (words[0].starts_with('.')) {
      macro = words[0];
      words.erase(words.begin());
    }
    for (std::size_t i = 0; i < words.size(); ++i) {
      const auto& w = words[i];
      const bool bold = macro == ".B" || (macro == ".BR" && i % 2 == 0) || (macro == ".RB" && i % 2 == 1);
      if (bold && depth == 0 && std::regex_match(w, std::regex("[a-z_0-9]+"))) keys.push_back(w);
      if (!bold) {
        for (const char c : w) depth += c == '(' || c == '{' ? 1 : c == ')' || c == '}' ? -1 : 0;
      }
    }
  }
  return keys;
}

// trial20p F10: "Keys come in the order listed here", but the page had
// ttl_min .. ecn after tos (they come last) and lacked too_late,
// clock_errors and length_errors. The interval entry's stream keys are
// those stream_json() makes, in its order.
TEST(ManPage, StreamKeysComeInTheOrderTheToolGivesThem) {
  const auto page = read_text(recv_page().page);
  const std::string from = "(every stream seen so far), each with";
  const auto a = page.find(from);
  // The keys every stream has, up to those present only when they apply
  // (unresumed, untracked), which the stream made here has not.
  const auto b = page.find("and, present only when they apply,", a);
  const auto end = page.find("packets, bytes, the rates, lost, reordered and duplicates are deltas", a);
  ASSERT_NE(a, std::string::npos);
  ASSERT_NE(b, std::string::npos);
  ASSERT_LT(b, end);
  const auto listed = top_level_keys(page.substr(a + from.size(), b - a - from.size()));
  EXPECT_EQ(top_level_keys(page.substr(b, end - b)), (std::vector<std::string>{"unresumed", "untracked"}));
  mcnet::tools::stream_table t;
  std::vector<std::byte> d(100);
  mcnet::feed::test_header h{.sender_id = 1, .session = 2, .sequence = 0, .send_time_ns = 1, .length = 100};
  ASSERT_TRUE(h.build(d).has_value());
  (void)t.add(mcnet::core::ip_address::v4(239, 1, 1, 1), 5000, mcnet::core::ip_address::v4(10, 77, 0, 1), d,
              mcnet::core::kernel_time{std::chrono::seconds(2)}, 1, 0);
  ASSERT_EQ(t.streams().size(), 1u);
  const auto& [key, s] = *t.streams().begin();
  std::vector<std::string> made;
  const nlohmann::ordered_json made_json = mcnet::tools::stream_json(key, s, nlohmann::ordered_json());
  for (auto it = made_json.begin(); it != made_json.end(); ++it) made.push_back(it.key());
  EXPECT_EQ(listed, made);
}

TEST(ManPage, PagesHaveTheirSections) {
  for (const auto& t : {send_page(), recv_page()}) {
    const auto page = read_text(t.page);
    ASSERT_FALSE(page.empty()) << "cannot read " << t.page;
    std::string title = t.name;
    std::transform(title.begin(), title.end(), title.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    EXPECT_TRUE(page.find("\n.TH " + title + " 1 ") != std::string::npos) << t.page << ": no .TH " << title << " 1";
    const auto sections = sections_of(page);
    for (const auto& s : t.sections) EXPECT_TRUE(sections.contains(s)) << t.page << ": no section " << s;
    // groff reads the source without preconv: it must be plain ASCII.
    EXPECT_TRUE(std::all_of(page.begin(), page.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; }))
        << t.page << " has non-ASCII bytes";
    // Nor control characters: a "\f" typed into a generator became a form
    // feed where \fR was meant (groff -Tutf8 said nothing; -Tps warned).
    EXPECT_TRUE(std::all_of(page.begin(), page.end(), [](char c) { return c == '\n' || static_cast<unsigned char>(c) >= 0x20; }))
        << t.page << " has control characters";
    // The safety note, and the installed schema the JSON output points to.
    std::string text;
    for (const auto& line : lines_of(page)) text += plain(line) + " ";
    EXPECT_NE(text.find("defaults to 1"), std::string::npos) << t.page << ": the TTL 1 default is not noted";
    EXPECT_NE(text.find("share/mcnet/mcast-tools.schema.json"), std::string::npos) << t.page;
  }
}

// The checker is not vacuous: a page one option behind, one stale entry, a
// wrong short form, a lost argument and a changed default are all reported.
TEST(ManPage, CheckerFindsDrift) {
  const std::string help =
      "tool: does things\n\noptions:\n"
      "  -h [ --help ]          this help\n"
      "  -i [ --interface ] arg interface\n"
      "  --ttl arg (=1)         multicast TTL\n"
      "  --batch arg (=32)      datagrams per call, see\n"
      "                         --ttl\n"
      "  --json                 JSON Lines\n"
      "\nexit codes: 0 ok, 1 usage,\n4 set-up failed\n";
  const std::string good =
      ".TH TOOL 1\n.SH OPTIONS\n.TP\n\\fB\\-h\\fR, \\fB\\-\\-help\\fR\nHelp.\n"
      ".TP\n\\fB\\-i\\fR, \\fB\\-\\-interface\\fR \\fIIFACE\\fR\nThe interface.\n"
      ".TP\n\\fB\\-\\-ttl\\fR \\fIN\\fR\nThe TTL.\nDefault: 1.\n"
      ".TP\n\\fB\\-\\-batch\\fR \\fIN\\fR\nPer call.\n.BR Default: \" 32.\"\n"
      ".TP\n\\fB\\-\\-json\\fR\nJSON.\n.SH EXIT STATUS\n.TP\n.B 0\nok\n.TP\n.B 1\nusage\n.TP\n.B 4\nset-up\n";
  EXPECT_EQ(option_problems(help, good), std::vector<std::string>{});
  EXPECT_EQ(help_exit_codes(help), (std::set<int>{0, 1, 4}));
  EXPECT_EQ(page_exit_codes(good), (std::set<int>{0, 1, 4}));

  std::string drifted = good;
  auto replace = [&](const std::string& from, const std::string& to) {
    const auto at = drifted.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    drifted.replace(at, from.size(), to);
  };
  // --json gone and --csv stale; a wrong short form; --ttl without its argument and with another default.
  replace(".TP\n\\fB\\-\\-json\\fR\nJSON.\n", ".TP\n\\fB\\-\\-csv\\fR\nCSV.\n");
  replace("\\fB\\-i\\fR, \\fB\\-\\-interface", "\\fB\\-I\\fR, \\fB\\-\\-interface");
  replace("\\fB\\-\\-ttl\\fR \\fIN\\fR\nThe TTL.\nDefault: 1.", "\\fB\\-\\-ttl\\fR\nDefault: 2.");
  replace(".TP\n.B 4\n", ".TP\n.B 2\n");
  const auto problems = option_problems(help, drifted);
  const std::vector<std::string> expected = {
      "--interface: short form \"-i\" in --help, \"-I\" in the page",
      "--ttl: takes an argument, the page shows none",
      "--ttl: --help's default 1 is not \"Default: 1\" in the page",
      "--json: in --help, not in OPTIONS",
      "-I: in OPTIONS, not in --help (stale)",
      "--csv: in OPTIONS, not in --help (stale)",
      "--json: in --help, nowhere in the page",
      "-i: in --help, nowhere in the page",
  };
  EXPECT_EQ(problems, expected);
  EXPECT_EQ(page_exit_codes(drifted), (std::set<int>{0, 1, 2}));

  std::vector<std::string> tag_problems;
  EXPECT_TRUE(man_options({".TP", "\\fB\\-\\-a\\fR, \\fB\\-\\-b\\fR", "two long forms"}, tag_problems).empty());
  EXPECT_EQ(tag_problems.size(), 1u);
}

TEST(ManPage, RendersWithoutWarnings) {
  if (mcnet::test::find_program("groff").empty()) GTEST_SKIP() << "groff is not installed (Debian: groff-base, see scripts/setup.sh)";
  for (const auto& t : {send_page(), recv_page()}) {
    auto p = mcnet::test::process::start(nullptr, {"groff", "-man", "-Tutf8", "-ww", "-z", t.page});
    auto status = p.wait_for(std::chrono::seconds(30));
    if (!status) status = p.stop(SIGKILL, std::chrono::seconds(1));
    EXPECT_TRUE(status->success()) << "groff " << t.page << ": " << status->describe();
    EXPECT_EQ(p.error_output(), "") << "groff -ww warnings for " << t.page;
  }
}

}  // namespace
