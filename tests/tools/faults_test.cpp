// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// The tools under faults of their surroundings: text that is not UTF-8,
// standard output that is full, closed or a pipe, open-file limits,
// signals during the joins and the socket set-up, and a --rate the machine
// cannot keep (docs/tools.md, "Exit codes", "mcast-send", "mcast-recv").
// Unit tests first (no root), then end to end in namespace LANs.

#include <gtest/gtest.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <set>
#include <sstream>
#include <streambuf>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <mcnet/tools/capture.hpp>
#include <mcnet/tools/cli.hpp>
#include <mcnet/tools/descriptors.hpp>
#include <mcnet/tools/group_spec.hpp>
#include <mcnet/tools/metrics.hpp>
#include <mcnet/tools/output.hpp>
#include <mcnet/tools/report.hpp>
#include <mcnet/tools/run_checks.hpp>
#include <mcnet/tools/send_options.hpp>
#include <mcnet/tools/sender.hpp>

#include "e2e_run.hpp"
#include "lan.hpp"
#include "privilege.hpp"
#include "tool_run.hpp"

namespace tools = mcnet::tools;
namespace test = mcnet::test;
using json = nlohmann::json;
using namespace std::chrono_literals;

namespace {

using test::tools::expect_schema_conform;
using test::tools::find_event;
using test::tools::json_lines;

// Wait (at most 10 s) until mcast-send --json has printed its start event:
// its signal handlers are set then. A fixed sleep was too short for an
// ASan build beside another test (a SIGINT 300 ms after the start killed
// it before its handlers: status "signal 2").
bool started(test::process& p) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    if (p.standard_output().find("\"event\":\"start\"") != std::string::npos) return true;
    if (p.wait_for(std::chrono::milliseconds(10))) return false;  // it ended
  }
  return false;
}

// ---- unit ------------------------------------------------------------------

TEST(ToolFaults, JsonTextReplacesBytesThatAreNotUtf8) {
  const std::string bad = "b\xff" "x\xc3";
  const auto text = tools::json_text({{"name", bad}, {"n", 7}});
  const auto back = json::parse(text);
  EXPECT_EQ(back["name"], "b\xef\xbf\xbd" "x\xef\xbf\xbd") << "each invalid byte is U+FFFD";
  EXPECT_EQ(back["n"], 7);
  EXPECT_EQ(tools::json_text({{"name", "caf\xc3\xa9"}}), "{\"name\":\"caf\xc3\xa9\"}") << "valid UTF-8 stays";
}

TEST(ToolFaults, TextForUtf8FormatsReplacesWhatIsNotUtf8) {
  EXPECT_EQ(tools::valid_utf8("eth0 caf\xc3\xa9 \xf0\x9f\x93\xa1"), "eth0 caf\xc3\xa9 \xf0\x9f\x93\xa1");
  EXPECT_EQ(tools::valid_utf8("b\xffx"), "b\xef\xbf\xbdx");
  EXPECT_EQ(tools::valid_utf8("\xc3"), "\xef\xbf\xbd") << "cut short";
  EXPECT_EQ(tools::valid_utf8("\xc0\xaf"), "\xef\xbf\xbd\xef\xbf\xbd") << "overlong";
  EXPECT_EQ(tools::valid_utf8("\xed\xa0\x80"), "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd") << "a surrogate";
  EXPECT_EQ(tools::valid_utf8("\xf4\x90\x80\x80").substr(0, 3), "\xef\xbf\xbd") << "above U+10FFFF";
  EXPECT_EQ(tools::valid_utf8(std::string("a\0b", 3)), std::string("a\0b", 3));
  // What JSON makes of the same bytes.
  for (const std::string bad : {"b\xffx", "\xc3", "x\xe2\x82", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80",
                                "\xe0\x80\x80", "\xf0\x9f\x93", "ok\xf0\x9f\x93\xa1\x80"}) {
    EXPECT_EQ(json::parse(tools::json_text({{"v", bad}}))["v"], tools::valid_utf8(bad)) << bad;
  }
  // A metrics label of an interface named with such bytes.
  EXPECT_EQ(tools::escape_label_value("b\xff\"x"), "b\xef\xbf\xbd\\\"x");
}

// trial16g 5: text for a terminal shows the bytes of no UTF-8 sequence as
// \xNN (0xff; a lone 0x9b, the C1 CSI a terminal may take), as it shows the
// controls; valid UTF-8 passes as it is; and a CSV cell holds no control.
TEST(ToolFaults, VisibleTextShowsBytesThatAreNotUtf8) {
  EXPECT_EQ(tools::visible_text("eth0 caf\xc3\xa9 \xf0\x9f\x93\xa1"), "eth0 caf\xc3\xa9 \xf0\x9f\x93\xa1");
  EXPECT_EQ(tools::visible_text("\xff\x1bX\x07"), "\\xff\\x1bX\\x07");
  EXPECT_EQ(tools::visible_text("\xff\x9b" "2J"), "\\xff\\x9b2J");
  EXPECT_EQ(tools::visible_text("\xc2\x9b"), "\\u009b") << "the C1 CSI as UTF-8";
  EXPECT_EQ(tools::visible_text("\xc3"), "\\xc3") << "cut short";
  EXPECT_EQ(tools::visible_text(std::string("a\0b\tc\n", 6)), "a\\0b\tc\n");
  const nlohmann::ordered_json channel{{"group", "239.1.1.9"},
                                      {"port", 5000},
                                      {"interface", tools::interface_json(4, "\xff\x1bX\x07")},
                                      {"mode", "any"},
                                      {"sources", nlohmann::ordered_json::array()},
                                      {"packets", 0},
                                      {"first_packet_ms", nullptr}};
  const auto row = tools::channel_csv_row("summary", 1.0, channel);
  EXPECT_EQ(row.find('\x1b'), std::string::npos) << row;
  EXPECT_EQ(row.find('\x07'), std::string::npos) << row;
  EXPECT_NE(row.find("\\xff\\x1bX\\x07"), std::string::npos) << row;
}

// trial t16s 7: U+202E and the other bidirectional controls reached the
// terminal raw; an interface of the four characters \xff printed as one
// holding the byte 0xff.
TEST(ToolFaults, TextShowsBidiControlsAndTellsBackslashesFromBytes) {
  EXPECT_EQ(tools::visible_text("a\u202e" "b"), "a\\u202eb");
  for (const char* bidi : {"\u061c", "\u200e", "\u200f", "\u202a", "\u202e", "\u2066", "\u2069"}) {
    EXPECT_EQ(tools::visible_text(bidi).find(bidi), std::string::npos) << tools::visible_text(bidi);
    EXPECT_TRUE(tools::visible_text(bidi).starts_with("\\u")) << tools::visible_text(bidi);
  }
  EXPECT_EQ(tools::visible_text("\u202f\u2070"), "\u202f\u2070") << "neighbours stay";
  const std::string four = "\\xff";
  EXPECT_EQ(tools::visible_text(tools::text_name(four)), "\\\\xff");
  EXPECT_EQ(tools::visible_text(tools::text_name("\xff")), "\\xff");
  EXPECT_NE(tools::visible_text(tools::text_name(four)), tools::visible_text(tools::text_name("\xff")));
}

// trial t16z: a newline in an argument or a file name echoed in a message
// was printed raw (visible_text leaves the tool's own newlines and tabs
// be), so that $'239.1.1.1:5000x\nverdict: OK' put a line of its own in
// the log. Text from outside shows them as \x0a and \x09, apart from the
// four characters \x0a.
TEST(ToolFaults, NewlinesAndTabsFromOutsideAreShown) {
  EXPECT_EQ(tools::text_name("a\nb\tc"), "a\\x0ab\\x09c");
  EXPECT_EQ(tools::visible_text(tools::text_name("a\nb\tc")), "a\\x0ab\\x09c");
  EXPECT_EQ(tools::visible_text(tools::text_name("a\\x0a")), "a\\\\x0a") << "the four characters read apart";
  const auto spec = tools::parse_group_spec("239.1.1.1:5000x\nverdict: OK");
  ASSERT_FALSE(spec);
  const auto said = tools::visible_text(tools::error_text(spec.error()));
  EXPECT_EQ(said.find('\n'), std::string::npos) << said;
  EXPECT_NE(said.find("parse group spec \"239.1.1.1:5000x\\x0averdict: OK\": "), std::string::npos) << said;
  const auto file = tools::expand_spec_files({"@/nonexistent/a\nb"});
  ASSERT_FALSE(file);
  EXPECT_EQ(file.error().message.find('\n'), std::string::npos) << file.error().message;
  EXPECT_NE(file.error().message.find("/nonexistent/a\\x0ab"), std::string::npos) << file.error().message;
  // --replay's file: libpcap names it too; said once, as text.
  const auto replay = tools::capture_reader::open("/nonexistent/a\nmcast-send: 10 datagrams in 1.0 s");
  ASSERT_FALSE(replay);
  EXPECT_EQ(replay.error(), "--replay /nonexistent/a\\x0amcast-send: 10 datagrams in 1.0 s: No such file or directory");
}

// trial t16u L1: invisible and line-breaking characters reached the
// terminal raw ("239.1.1.2" refused as no address: a BOM before it), and a
// metrics label held ESC and U+202E raw. Text shows them as \uXXXX; JSON
// escapes U+2028 and U+2029; a label shows controls as text.
TEST(ToolFaults, InvisibleAndLineBreakingCharactersAreShown) {
  for (const auto& [raw, shown] : std::vector<std::pair<std::string, std::string>>{
           {"a\u200b" "b", "a\\u200bb"}, {"\ufeff" "239.1.1.2", "\\ufeff239.1.1.2"}, {"a\u00a0", "a\\u00a0"},
           {"a\u00ad" "b", "a\\u00adb"}, {"a\u2028" "b", "a\\u2028b"}, {"a\u2029" "b", "a\\u2029b"},
           {"a\u2060" "b", "a\\u2060b"}}) {
    EXPECT_EQ(tools::visible_text(raw), shown);
  }
  const auto j = tools::json_text({{"v", "a\u2028" "b\u2029"}});
  EXPECT_EQ(j.find("\u2028"), std::string::npos) << j;
  EXPECT_EQ(j.find("\u2029"), std::string::npos) << j;
  EXPECT_EQ(json::parse(j)["v"], "a\u2028" "b\u2029");
  const auto label = tools::escape_label_value("x\x1b[2J\u202e" "y");
  EXPECT_EQ(label.find('\x1b'), std::string::npos) << label;
  EXPECT_EQ(label.find("\u202e"), std::string::npos) << label;
  EXPECT_EQ(label, "x\\\\x1b[2J\\\\u202ey");
}

// trial t16s 6: a MoldUDP64 session name or an interface name that starts
// with =, +, -, @, tab or CR was a bare CSV cell: a formula to a
// spreadsheet. It is quoted text behind a ' now; numbers stay numbers. A
// tab from outside is shown as \x09 (text_name, trial t16z), so it never
// leads a cell raw.
TEST(ToolFaults, CsvCellsFromOutsideAreNoFormulas) {
  for (const auto& [name, cell] : std::vector<std::pair<std::string, std::string>>{
           {"=cmd|x!A1", "\"'=cmd|x!A1\""}, {"+1+x", "\"'+1+x\""}, {"-2+3", "\"'-2+3\""}, {"@SUM(1)", "\"'@SUM(1)\""},
           {"\tx", "\\x09x"}, {"=a,\"b", "\"'=a,\"\"b\""}, {"e=1", "e=1"}}) {
    const nlohmann::ordered_json channel{{"group", "239.1.1.9"},
                                        {"port", 5000},
                                        {"interface", tools::interface_json(4, name)},
                                        {"mode", "any"},
                                        {"sources", nlohmann::ordered_json::array()},
                                        {"packets", 0},
                                        {"first_packet_ms", nullptr}};
    const auto row = tools::channel_csv_row("summary", 1.0, channel);
    EXPECT_NE(row.find("," + cell + ","), std::string::npos) << name << ": " << row;
    EXPECT_NE(row.find(",5000,"), std::string::npos) << row;
  }
  // A CR is shown as \x0d (visible_text), so it never leads a cell raw.
  const nlohmann::ordered_json channel{{"group", "239.1.1.9"}, {"port", 5000},
                                      {"interface", tools::interface_json(4, "\r=x")}, {"mode", "any"},
                                      {"sources", nlohmann::ordered_json::array()}, {"packets", 0},
                                      {"first_packet_ms", nullptr}};
  EXPECT_NE(tools::channel_csv_row("summary", 1.0, channel).find(",\\x0d=x,"), std::string::npos);
}

TEST(ToolFaults, EveryEventOfTheReporterSurvivesBytesThatAreNotUtf8) {
  std::ostringstream out, err;
  const tools::reporter r("mcast-x", {.json = true}, out, err);
  EXPECT_EQ(r.usage("group spec \"\xff\": not an address"), tools::exit_usage);
  r.warn_event("interface \xfe" "0 is down", "line_b_early");
  r.event({{"event", "start"}, {"name", "\x80"}});
  const auto events = json_lines(out.str());
  ASSERT_EQ(events.size(), 3u) << out.str();
  EXPECT_EQ(events[0]["message"], "group spec \"\xef\xbf\xbd\": not an address");
  EXPECT_EQ(events[1]["message"], "interface \xef\xbf\xbd" "0 is down");
  // stderr shows the bytes, never throws on them: as \xNN, so that no
  // byte a terminal takes as a control reaches it (trial16g 5).
  EXPECT_NE(err.str().find("\"\\xff\""), std::string::npos) << err.str();
}

TEST(ToolFaults, TheUsageErrorEventSurvivesBytesThatAreNotUtf8) {
  std::ostringstream out, err;
  const tools::usage_error e{"unrecognised option '--\xff'", "usage", true, true};
  EXPECT_EQ(tools::print_usage_error(e, "mcast-x", out, err), tools::exit_usage);
  const auto events = json_lines(out.str());
  ASSERT_EQ(events.size(), 1u) << out.str();
  EXPECT_EQ(events[0]["message"], "unrecognised option '--\xef\xbf\xbd'");
}

// Trial t16x L4: JSON showed control characters from outside two ways: a
// tab or newline in a message as the text \x09 / \x0a, but ESC, BEL and
// U+202E as JSON escapes, which `jq -r .message` turned back into raw
// characters on the terminal. One rule (docs/tools.md, "Text from
// outside"): the human text fields (message, fix, note, at any depth) read
// as the text line shows them, every control and bidirectional character
// as the text \xNN / \uXXXX; every other string is the exact value, its
// controls JSON escapes; and the JSON line itself holds no raw control,
// C1, bidirectional or line-breaking character.
TEST(ToolFaults, JsonGivesControlCharactersFromOutsideByOneRule) {
  const std::string hostile = "e\x1b]0;t\x07\u202e\x01\x7f\xc2\x9b\u2028" "b";
  const auto clean_line = [](const std::string& line) {
    for (const char ch : line) {
      const auto c = static_cast<unsigned char>(ch);
      EXPECT_FALSE(c < 0x20 || c == 0x7f) << "a raw control in " << line;
    }
    for (const char* raw : {"\u202e", "\u2028", "\xc2\x9b"}) EXPECT_EQ(line.find(raw), std::string::npos) << line;
  };
  // A value: exact once parsed.
  const auto value = tools::json_text({{"interface", hostile}, {"subject", hostile}});
  clean_line(value);
  EXPECT_NE(value.find("\\u202e"), std::string::npos) << value;
  EXPECT_NE(value.find("\\u009b"), std::string::npos) << value;
  EXPECT_EQ(json::parse(value)["interface"], hostile);
  EXPECT_EQ(json::parse(value)["subject"], hostile);
  // Human text: what the text line shows, a tab and newline from outside (text_name) among the rest.
  const std::string said = "-i " + tools::text_name(hostile + "\t\n") + ": no such interface";
  const auto shown = tools::visible_text(said);
  EXPECT_EQ(shown, "-i e\\x1b]0;t\\x07\\u202e\\x01\\x7f\\u009b\\u2028b\\x09\\x0a: no such interface");
  const nlohmann::ordered_json nested{{"event", "verdict"},
                                      {"message", said},
                                      {"checks", {{{"check", "x"}, {"message", said}, {"fix", said}, {"note", said}}}}};
  const auto human = tools::json_text(nested);
  clean_line(human);
  const auto back = json::parse(human);
  EXPECT_EQ(back["message"], shown);
  EXPECT_EQ(back["checks"][0]["message"], shown);
  EXPECT_EQ(back["checks"][0]["fix"], shown);
  EXPECT_EQ(back["checks"][0]["note"], shown);
  // The reporter's warning and error events and a usage error's, as their stderr lines say them.
  std::ostringstream out, err;
  const tools::reporter r("mcast-x", {.json = true}, out, err);
  r.warn_event(said, "x");
  EXPECT_EQ(r.fail(tools::exit_usage, said, "usage"), tools::exit_usage);
  EXPECT_EQ(tools::print_usage_error({said, "usage", false, true}, "mcast-x", out, err), tools::exit_usage);
  const auto events = json_lines(out.str());
  ASSERT_EQ(events.size(), 3u) << out.str();
  for (const auto& e : events) {
    EXPECT_EQ(e["message"], shown) << e.dump();
    EXPECT_NE(err.str().find(": " + e["message"].get<std::string>()), std::string::npos) << err.str();
  }
  std::istringstream lines(out.str());
  for (std::string line; std::getline(lines, line);) clean_line(line);
  // The tool's own text is kept: its tabs and newlines, UTF-8, U+FFFD for a byte that is not UTF-8.
  EXPECT_EQ(json::parse(tools::json_text({{"message", "a\tb\nc caf\xc3\xa9 \xff"}}))["message"],
            "a\tb\nc caf\xc3\xa9 \xef\xbf\xbd");
}

// A stream buffer that refuses every byte with `err`, as a full disk does.
class refusing_buffer : public std::streambuf {
 public:
  explicit refusing_buffer(int err) : err_(err) {}

 protected:
  int_type overflow(int_type) override {
    errno = err_;
    return traits_type::eof();
  }
  std::streamsize xsputn(const char*, std::streamsize) override {
    errno = err_;
    return 0;
  }

 private:
  int err_;
};

TEST(ToolFaults, AReportThatCannotBeWrittenIsExit4) {
  for (const tools::output_format f : {tools::output_format{}, tools::output_format{.json = true},
                                       tools::output_format{.csv = true}}) {
    refusing_buffer full(ENOSPC);
    std::ostream out(&full);
    std::ostringstream err;
    const tools::reporter r("mcast-x", f, out, err);
    r.text("a line");
    r.event({{"event", "summary"}});
    r.csv("a,row\n");
    EXPECT_EQ(r.finish(tools::exit_ok), tools::exit_setup);
    EXPECT_EQ(err.str(), "mcast-x: cannot write the report to standard output: No space left on device\n");
    EXPECT_EQ(tools::write_error(out), ENOSPC);
    // Worse outcomes keep their place: 1 before 4; 2 and 3 after it.
    std::ostringstream err2;
    EXPECT_EQ(tools::finish_output("mcast-x", out, err2, tools::exit_usage), tools::exit_usage);
    EXPECT_EQ(tools::finish_output("mcast-x", out, err2, tools::exit_loss), tools::exit_setup);
  }
}

TEST(ToolFaults, NothingWrittenIsNoFailure) {
  refusing_buffer full(ENOSPC);
  std::ostream out(&full);
  std::ostringstream err;
  const tools::reporter r("mcast-x", {.quiet = true}, out, err);
  r.text("not printed with --quiet");
  EXPECT_EQ(r.finish(tools::exit_nothing), tools::exit_nothing);
  EXPECT_EQ(err.str(), "");
}

TEST(ToolFaults, AClosedStdoutFailsWhenWrittenTo) {
  std::ostringstream out, err;
  tools::mark_unwritable(out, EBADF);
  EXPECT_EQ(tools::finish_output("mcast-x", out, err, tools::exit_ok), tools::exit_ok) << "nothing written yet";
  const tools::reporter r("mcast-x", {}, out, err);
  r.text("a line");
  EXPECT_EQ(r.finish(tools::exit_ok), tools::exit_setup);
  EXPECT_EQ(err.str(), "mcast-x: cannot write the report to standard output: Bad file descriptor\n");
}

// descriptor_output fails a write with EINTR only when a second signal came
// while it waited: the message says that, not the bare errno text (trial
// t15t L1).
TEST(ToolFaults, AnOutputGivenUpOnASecondSignalSaysSo) {
  std::ostringstream out, err;
  const tools::reporter r("mcast-x", {}, out, err);
  r.text("a line");
  tools::mark_unwritable(out, EINTR);
  EXPECT_EQ(r.finish(tools::exit_ok), tools::exit_setup);
  EXPECT_EQ(err.str(),
            "mcast-x: cannot write the report to standard output: a second signal came while it waited for the "
            "reader of standard output to take it (the reader did not read); the output was given up\n");
}

TEST(ToolFaults, AGoodStreamFinishesWithItsOwnCode) {
  std::ostringstream out, err;
  const tools::reporter r("mcast-x", {}, out, err);
  r.text("a line");
  EXPECT_EQ(r.finish(tools::exit_loss), tools::exit_loss);
  EXPECT_EQ(err.str(), "");
  EXPECT_EQ(out.str(), "a line\n");
}

// Run `body` in a child process (it changes process-wide state: limits,
// descriptors); its exit code is what it returns.
template <class F>
int in_child(F body) {
  std::fflush(nullptr);
  const pid_t pid = ::fork();
  if (pid == 0) ::_exit(body());
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

constexpr const char* hint = "these groups need {number} sockets";

TEST(ToolFaults, SixteenOpenFilesAreEnoughForOneGroup) {
  EXPECT_EQ(in_child([] {
              ::close_range(3, ~0U, 0);  // what the test runner has open is not the tool's
              const rlimit lim{16, 16};
              if (::setrlimit(RLIMIT_NOFILE, &lim) != 0) return 10;
              // The standard three, a socket and the three the receiver opens besides.
              if (!tools::ensure_descriptors(1, 3, hint)) return 11;
              // Past the hard limit: EMFILE naming the socket count.
              auto r = tools::ensure_descriptors(20, 3, hint);
              if (r || r.error().code != std::errc::too_many_files_open) return 12;
              const auto m = r.error().message();
              if (m.find("these groups need 20 sockets") == std::string::npos) return 13;
              // trial h16x L5: the total it needs, the soft and hard limits, and the command.
              const auto open_now = tools::open_descriptors();
              const auto total = open_now + 20 + 3;
              if (m.find(fmt::format("{} descriptors in all ({} open now, 20 sockets, 3 more the run opens)", total,
                                     open_now)) == std::string::npos) {
                return 14;
              }
              if (m.find("the limit on open files (RLIMIT_NOFILE) is 16 (soft) and 16 (hard)") == std::string::npos) {
                return 15;
              }
              if (m.find(fmt::format("raise the hard limit to {} or more (as root: ulimit -Hn {} in the shell that "
                                     "starts the tool, or start it with prlimit --nofile={}:{})",
                                     total, total, total, total)) == std::string::npos) {
                return 16;
              }
              return 0;
            }),
            0);
}

TEST(ToolFaults, TheSoftOpenFileLimitIsRaisedTowardsTheHardOne) {
  rlimit hard{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &hard), 0);
  if (hard.rlim_max < 6000) GTEST_SKIP() << "the hard open-file limit is below 6,000";
  EXPECT_EQ(in_child([max = hard.rlim_max] {
              ::close_range(3, ~0U, 0);
              const rlimit lim{64, max};
              if (::setrlimit(RLIMIT_NOFILE, &lim) != 0) return 10;
              const auto open_now = tools::open_descriptors();
              if (open_now < 3) return 11;
              if (!tools::ensure_descriptors(5000, 1, hint)) return 12;
              rlimit now{};
              ::getrlimit(RLIMIT_NOFILE, &now);
              if (now.rlim_cur < open_now + 5000 + 1 || now.rlim_max != max) return 13;
              // Every socket fits: open them.
              std::vector<int> fds;
              for (int i = 0; i < 5000; ++i) {
                const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
                if (fd < 0) return 14;
                fds.push_back(fd);
              }
              return 0;
            }),
            0);
}

TEST(ToolFaults, ClosedStandardDescriptorsAreOccupiedBeforeAnySocket) {
  EXPECT_EQ(in_child([] {
              ::close(1);
              ::close(0);
              const auto closed = tools::occupy_standard_descriptors();
              if (!closed.input_closed || !closed.output_closed || closed.error_closed) return 10;
              if (::fcntl(0, F_GETFD) == -1 || ::fcntl(1, F_GETFD) == -1) return 11;
              const int s = ::socket(AF_INET, SOCK_DGRAM, 0);
              if (s <= 2) return 12;  // a socket never takes stdin, stdout or stderr
              const auto again = tools::occupy_standard_descriptors();
              if (again.input_closed || again.output_closed || again.error_closed) return 13;
              return 0;
            }),
            0);
}

tools::send_settings paced(const char* rate) {
  auto c = tools::parse_send_command_line({"-r", rate, "239.1.1.1"});
  EXPECT_TRUE(c) << rate;
  return c->settings;
}

TEST(ToolFaults, ARunShortOfItsRateSaysSo) {
  const auto s = paced("1000pps");
  EXPECT_FALSE(tools::check_rate(s, 1000, 1.0));
  EXPECT_FALSE(tools::check_rate(s, 951, 1.0)) << "within the 5 % margin";
  const auto stopped = tools::check_rate(s, 500, 3.0, 2.0);
  ASSERT_TRUE(stopped);
  EXPECT_NE(stopped->message.find("mcast-send itself did not run for 2.0 s of the run"), std::string::npos)
      << "a stopped sender is not a slow machine (trial20h 8): " << stopped->message;
  const auto short_of = tools::check_rate(s, 900, 1.0);
  ASSERT_TRUE(short_of);
  EXPECT_DOUBLE_EQ(short_of->asked_pps, 1000);
  EXPECT_DOUBLE_EQ(short_of->achieved_pps, 900);
  EXPECT_NE(short_of->message.find("sent 900 pps"), std::string::npos) << short_of->message;
  EXPECT_NE(short_of->message.find("1000 pps"), std::string::npos) << short_of->message;
  EXPECT_NE(short_of->message.find("10.00 % below"), std::string::npos) << short_of->message;
  // Just past the 5 % margin: the digits that show it is past it, not "5.00".
  const auto margin = tools::check_rate(paced("1000pps"), 94'996, 100.0);
  ASSERT_TRUE(margin);
  EXPECT_NE(margin->message.find("5.004 % below"), std::string::npos) << margin->message;
  // In bits: 8 Mbit/s of 100-byte datagrams is 10,000 pps.
  const auto bits = tools::check_rate(paced("8mbps"), 5000, 1.0);
  ASSERT_TRUE(bits);
  EXPECT_DOUBLE_EQ(bits->asked_pps, 10000);
  EXPECT_NE(bits->message.find("4.00 Mbit/s"), std::string::npos) << bits->message;
  // A slow rate keeps its decimals: 0.5 pps asked, 0.4 achieved over 10 s
  // (4 datagrams, 2 s behind), not "0 pps" against "1 pps".
  const auto slow = tools::check_rate(paced("0.5pps"), 4, 10.0);
  ASSERT_TRUE(slow);
  EXPECT_NE(slow->message.find("sent 0.400 pps"), std::string::npos) << slow->message;
  EXPECT_NE(slow->message.find("the 0.500 pps"), std::string::npos) << slow->message;
  EXPECT_NE(slow->message.find("20.00 %"), std::string::npos) << slow->message;
  // Nothing to compare: no --rate, or no time.
  auto unpaced = tools::parse_send_command_line({"239.1.1.1"});
  ASSERT_TRUE(unpaced);
  EXPECT_FALSE(tools::check_rate(unpaced->settings, 1, 10.0));
  EXPECT_FALSE(tools::check_rate(s, 0, 0.0));
  // One datagram has no rate (the summary's total.rate_pps is null): its
  // late start is no shortfall (trial t16s L1: `-c 1 -r 5MBps` sent its
  // one datagram 1.3 ms after the start at load 5 and read "758 pps").
  EXPECT_FALSE(tools::check_rate(paced("5MBps"), 1, 0.00132)) << "one datagram, 1.3 ms late";
  EXPECT_FALSE(tools::check_rate(s, 1, 5.0));
  EXPECT_TRUE(tools::check_rate(paced("5MBps"), 2, 0.00132)) << "two that took 1.3 ms instead of 40 us: measured";
  // Within one sleep of the send loop (1 ms, rate_slack_s): 3 datagrams
  // at 1000 pps due in 3 ms took 3.9 ms (23 % below the rate, 0.9 ms more
  // than it allows): not measurable.
  EXPECT_FALSE(tools::check_rate(s, 3, 0.0039));
  // Past it, measured: 3 that took 9 ms (6 ms late) were not said before
  // (a 10 ms slack, trial h16x L2); 5 at 100 pps in 58 ms (8 ms late).
  EXPECT_TRUE(tools::check_rate(s, 3, 0.009)) << "6 ms late: measured";
  EXPECT_TRUE(tools::check_rate(s, 3, 0.0135)) << "10.5 ms late: measured";
  const auto short_run = tools::check_rate(paced("100pps"), 5, 0.058);
  ASSERT_TRUE(short_run) << "8 ms late over 50 ms: 13.8 % below";
  EXPECT_NE(short_run->message.find("13.79 % below"), std::string::npos) << short_run->message;
}

// trial t16u H1/H2: the report to stdout went through C stdio, which
// fails a write on the first EINTR (a SIGINT while mcast-recv was blocked
// writing to a slow pipe: exit 4, no summary) and on EAGAIN (a pipe a
// parent left O_NONBLOCK). descriptor_output makes an interrupted write
// again and waits for room on a non-blocking descriptor.
namespace {

// Everything `fd` gives until EOF, read from `delay` on.
std::size_t read_all_after(int fd, std::chrono::milliseconds delay) {
  std::this_thread::sleep_for(delay);
  std::size_t total = 0;
  std::array<char, 65536> buf{};
  for (int rounds = 0; rounds < 100000; ++rounds) {  // bounded: 1 MiB takes about 16
    const auto n = ::read(fd, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    total += static_cast<std::size_t>(n);
  }
  return total;
}

void on_usr1(int) {}

}  // namespace

TEST(ToolFaults, StdoutWritesSurviveSignalsAndNonBlockingPipes) {
  const std::string chunk(1000, 'x');
  for (const bool nonblocking : {false, true}) {
    SCOPED_TRACE(nonblocking ? "a non-blocking pipe" : "a blocking pipe, writes interrupted by signals");
    std::array<int, 2> p{};
    ASSERT_EQ(::pipe2(p.data(), O_CLOEXEC), 0);
    if (nonblocking) {
      ASSERT_EQ(::fcntl(p[1], F_SETFL, ::fcntl(p[1], F_GETFL) | O_NONBLOCK), 0);
    }
    // A handler without SA_RESTART, as the tools' own (stop_on_signals):
    // a write blocked on the full pipe returns EINTR.
    struct sigaction sa {}, old {};
    sa.sa_handler = on_usr1;
    ASSERT_EQ(::sigaction(SIGUSR1, &sa, &old), 0);
    std::size_t got = 0;
    std::thread reader([&] { got = read_all_after(p[0], std::chrono::milliseconds(300)); });
    bool good = false;
    std::thread writer([&] {
      tools::descriptor_output buf(p[1]);
      std::ostream out(&buf);
      for (int i = 0; i < 1024; ++i) out << chunk << '\n';  // 1 MiB: the pipe holds 64 KiB
      out << std::flush;
      good = static_cast<bool>(out);
      ::close(p[1]);
    });
    if (!nonblocking) {
      for (int i = 0; i < 5; ++i) {  // while the writer waits for the late reader
        std::this_thread::sleep_for(std::chrono::milliseconds(40));
        ::pthread_kill(writer.native_handle(), SIGUSR1);
      }
    }
    writer.join();
    reader.join();
    ::close(p[0]);
    ::sigaction(SIGUSR1, &old, nullptr);
    EXPECT_TRUE(good);
    EXPECT_EQ(got, 1024u * 1001u) << "every byte, none lost to EINTR or EAGAIN";
  }
}

// ---- end to end ------------------------------------------------------------

// `command` run by sh in `h` (redirections are what these tests are about).
test::run_result shell(const test::host& h, const std::string& command,
                       std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
  return h.exec({"sh", "-c", command}, {}, timeout);
}

// Every stdout line a valid JSON object of the schema, and exactly one
// error event with `exit`.
void expect_one_error_event(const test::run_result& r, int exit) {
  expect_schema_conform(r.standard_output);
  const auto events = json_lines(r.standard_output);
  ASSERT_EQ(events.size(), 1u) << r.output;
  EXPECT_EQ(events[0]["event"], "error");
  EXPECT_EQ(events[0]["exit"], exit);
}

TEST(NetToolFaults, ArgumentsThatAreNotUtf8GiveAJsonErrorNotACrash) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(1);
  const auto& h = (*net)[0];
  test::tools::scratch_dir dir;
  ASSERT_FALSE(dir.path.empty());
  for (const char* tool : {MCAST_SEND, MCAST_RECV}) {
    const auto r = h.exec({tool, "--json", "\xff"});
    EXPECT_EQ(r.status.code, 1) << tool << ": " << r.status.describe() << "\n" << r.output;
    expect_one_error_event(r, 1);
    // As an @FILE line and an interface name too.
    const auto spec_file = dir.file("specs");
    std::ofstream(spec_file) << "239.1.1.1:5000%\xff\n";
    const auto from_file = h.exec({tool, "--json", "@" + spec_file});
    EXPECT_EQ(from_file.status.code, 1) << tool << ": " << from_file.output;
    expect_one_error_event(from_file, 1);
    const auto iface = h.exec({tool, "--json", "-i", "\xfe" "0", "239.1.1.1:5000"});
    EXPECT_EQ(iface.status.code, 1) << tool << ": " << iface.output;
    expect_one_error_event(iface, 1);
  }
}

TEST(NetToolFaults, AnInterfaceNameThatIsNotUtf8IsListedAsJson) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(1);
  const auto& h = (*net)[0];
  const std::string name = "b\xff" "x";
  const auto added = h.exec({"ip", "link", "add", name, "type", "bridge"});
  ASSERT_TRUE(added.status.success()) << added.output;
  const auto r = h.exec({MCAST_RECV, "--interfaces", "--json"});
  ASSERT_TRUE(r.status.success()) << r.status.describe() << "\n" << r.output;
  expect_schema_conform(r.standard_output);
  const auto links = json_lines(r.standard_output);
  bool found = false;
  for (const auto& l : links) found = found || l["name"] == "b\xef\xbf\xbd" "x";
  EXPECT_TRUE(found) << r.standard_output;
  EXPECT_GE(links.size(), 3u) << "lo, eth0 and the bridge: " << r.standard_output;
  // Every flag the schema names that the link has (trial20p F10): eth0, a
  // veth that is up, broadcasts and runs; lo is the loopback.
  for (const auto& l : links) {
    const auto has = [&l](const char* flag) {
      return std::find(l["flags"].begin(), l["flags"].end(), json(flag)) != l["flags"].end();
    };
    if (l["name"] == "eth0") {
      EXPECT_TRUE(has("up") && has("broadcast") && has("running") && has("multicast")) << l;
      EXPECT_FALSE(has("loopback") || has("pointtopoint")) << l;
    }
    if (l["name"] == "lo") {
      EXPECT_TRUE(has("loopback") && has("running")) << l;
      EXPECT_FALSE(has("broadcast")) << l;
    }
  }
  // The text listing shows the byte of no UTF-8 as \xff, never raw to a
  // terminal (trial16g 5).
  const auto text = h.exec({MCAST_RECV, "--interfaces"});
  ASSERT_TRUE(text.status.success()) << text.output;
  EXPECT_NE(text.standard_output.find(": b\\xffx <"), std::string::npos) << text.standard_output;
  EXPECT_EQ(text.standard_output.find(name), std::string::npos) << text.standard_output;
}

// Rename `h`'s eth0 to `name` (its addresses and routes stay).
void rename_eth0(const test::host& h, const std::string& name) {
  for (const std::vector<std::string>& step : {std::vector<std::string>{"ip", "link", "set", "eth0", "down"},
                                               {"ip", "link", "set", "eth0", "name", name},
                                               {"ip", "link", "set", name, "up"}}) {
    const auto r = h.exec(step);
    ASSERT_TRUE(r.status.success()) << r.output;
  }
}

// trial t16s 1: a receive joined on an interface whose name is not UTF-8
// aborted at its end (nlohmann type_error 316, exit 134) in every output
// mode. A whole run with datagrams, in each mode, by -i, %NAME and
// [ff02::1%NAME]; the doctor, --interfaces, the metrics file and
// mcast-send on such a link too.
TEST(NetToolFaults, AnInterfaceNameThatIsNotUtf8RunsAWholeReceiveInEveryMode) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(2);
  const auto& tx = (*net)[0];
  const auto& rx = (*net)[1];
  const std::string rx_name = "\xff" "x";
  const std::string tx_name = "q\xc3";
  rename_eth0(rx, rx_name);
  rename_eth0(tx, tx_name);
  const std::string port = std::to_string(test::tools::free_port(rx));
  const std::string group = "239.255.71.9:" + port;
  test::tools::scratch_dir dir;
  ASSERT_FALSE(dir.path.empty());
  const auto metrics = dir.file("m.prom");
  const std::vector<std::vector<std::string>> modes{{}, {"--json"}, {"--csv"}, {"-q"}};
  for (const auto& mode : modes) {
    for (const auto& how : {std::vector<std::string>{"-i", rx_name, group}, std::vector<std::string>{group + "%" + rx_name},
                            std::vector<std::string>{"[ff02::1%" + rx_name + "]:" + port}}) {
      std::vector<std::string> args{"-d", "1.5", "--interval", "0.5", "--metrics-file", metrics};
      args.insert(args.end(), mode.begin(), mode.end());
      args.insert(args.end(), how.begin(), how.end());
      const bool v6 = how.back().front() == '[';
      const auto r = test::tools::receive_while(rx, args, [&] {
        test::tools::send_together({&tx}, {"-i", tx_name, "-c", "20", "-r", "200pps", v6 ? how.back().substr(0, how.back().find('%')) + "]:" + port : group});
      });
      const std::string what = (mode.empty() ? std::string("text") : mode[0]) + " " + how.back();
      ASSERT_EQ(r.status.code, 0) << what << ": " << r.status.describe() << "\n" << r.output;
      if (mode.empty()) {
        EXPECT_NE(r.standard_output.find("\\xffx"), std::string::npos) << what << ": " << r.standard_output;
        EXPECT_EQ(r.standard_output.find(rx_name), std::string::npos) << what << ": " << r.standard_output;
      } else if (mode[0] == "--json") {
        expect_schema_conform(r.standard_output);
        const auto verdict = test::tools::summary_verdict(r.standard_output);
        const auto events = json_lines(r.standard_output);
        const auto* summary = test::tools::find_event(events, "summary");
        ASSERT_NE(summary, nullptr) << what << ": " << r.standard_output;
        EXPECT_NE(summary->dump().find("\xef\xbf\xbd" "x"), std::string::npos) << what << ": " << r.standard_output;
        std::uint64_t received = 0;
        for (const auto& s : (*summary)["streams"]) received += s["packets"].get<std::uint64_t>();
        EXPECT_EQ(received, 20u) << what << ": " << r.standard_output;
      } else if (mode[0] == "--csv") {
        EXPECT_NE(r.standard_output.find("\\xffx"), std::string::npos) << what << ": " << r.standard_output;
      } else {
        EXPECT_TRUE(r.standard_output.empty()) << what << ": " << r.standard_output;
      }
      std::ifstream in(metrics);
      const std::string prom{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
      EXPECT_NE(prom.find("\xef\xbf\xbd" "x"), std::string::npos) << what << ": " << prom;
      EXPECT_EQ(prom.find(rx_name), std::string::npos) << what << ": " << prom;
    }
  }
  for (const auto& mode : {std::vector<std::string>{}, std::vector<std::string>{"--json"}}) {
    std::vector<std::string> doctor{MCAST_RECV, "doctor", "-i", rx_name};
    doctor.insert(doctor.end(), mode.begin(), mode.end());
    doctor.push_back(group);
    const auto d = rx.exec(doctor);
    EXPECT_NE(d.status.code, 134) << d.status.describe() << "\n" << d.output;
    EXPECT_TRUE(d.status.exited) << d.status.describe() << "\n" << d.output;
    if (!mode.empty() && mode[0] == "--json") expect_schema_conform(d.standard_output);
    std::vector<std::string> listing{MCAST_RECV, "--interfaces"};
    listing.insert(listing.end(), mode.begin(), mode.end());
    const auto l = rx.exec(listing);
    EXPECT_TRUE(l.status.success()) << l.status.describe() << "\n" << l.output;
    std::vector<std::string> send{MCAST_SEND, "-i", tx_name, "-c", "3", "-r", "1000pps"};
    send.insert(send.end(), mode.begin(), mode.end());
    send.push_back(group);
    const auto s = tx.exec(send);
    EXPECT_TRUE(s.status.success()) << s.status.describe() << "\n" << s.output;
    if (!mode.empty() && mode[0] == "--json") expect_schema_conform(s.standard_output);
  }
}

// trial t16u M3: an interface named q<0xff> and one named with the four
// characters q\xff read alike in the start lines, the warnings and the
// doctor's lines, and the warning's fix for the byte-named one set the
// other up. Each reads apart now, and each fix names its own interface as
// one shell word.
TEST(NetToolFaults, TwinInterfaceNamesReadApartInEveryTextLine) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(1);
  const auto& h = (*net)[0];
  const std::string byte = "q\xff";
  const std::string four = "q\\xff";
  for (const auto& name : {byte, four}) {
    const auto added = h.exec({"ip", "link", "add", name, "type", "bridge"});
    ASSERT_TRUE(added.status.success()) << added.output;
  }
  const auto r = h.exec({MCAST_RECV, "-d", "0.2", "239.255.71.1%" + byte, "239.255.71.2%" + four});
  ASSERT_TRUE(r.status.success()) << r.status.describe() << "\n" << r.output;
  EXPECT_NE(r.standard_output.find("joined 239.255.71.1:5000 on q\\xff ("), std::string::npos) << r.standard_output;
  EXPECT_NE(r.standard_output.find("joined 239.255.71.2:5000 on q\\\\xff ("), std::string::npos) << r.standard_output;
  EXPECT_NE(r.output.find("interface q\\xff: q\\xff is down (fix: ip link set dev $'q\\xff' up)"),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("interface q\\\\xff: q\\\\xff is down (fix: ip link set dev 'q\\xff' up)"),
            std::string::npos)
      << r.output;
  EXPECT_EQ(r.output.find("dev q\\xff"), std::string::npos) << "a fix names its interface unquoted: "
                                                                     << r.output;
  const auto d = h.exec({MCAST_RECV, "doctor", "239.255.71.1%" + byte, "239.255.71.2%" + four});
  EXPECT_NE(d.standard_output.find("FAIL interface q\\xff: "), std::string::npos) << d.standard_output;
  EXPECT_NE(d.standard_output.find("FAIL interface q\\\\xff: "), std::string::npos) << d.standard_output;
}

// trial t16s 2: with one descriptor free (ulimit -n 4) the lookup of -i's
// interface found no descriptor for its netlink socket, and libnl called
// it "Unspecific failure" (code EPERM, exit 1). It is EMFILE, with the
// descriptor hint, exit 4, as with more descriptors free.
TEST(NetToolFaults, NoDescriptorForTheInterfaceLookupIsEmfileExit4) {
#if defined(__SANITIZE_ADDRESS__)
  // The sanitizer runtime needs descriptors of its own: at ulimit -n 4 it
  // fails before the tool can (UBSan reports a false "invalid vptr" inside
  // Boost.Program_options, exit 1), so the case says nothing about the tool.
  GTEST_SKIP() << "ulimit -n 4 starves the ASan/UBSan runtime itself; the release build runs this test";
#endif
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(1);
  const auto& h = (*net)[0];
  const std::string group = "239.255.71.7:" + std::to_string(test::tools::free_port(h));
  for (const std::string& tool : {std::string(MCAST_SEND) + " -c 1", std::string(MCAST_RECV) + " -d 0.2"}) {
    for (const char* limit : {"4", "5"}) {
      // Close what the shell inherited past the standard three, then leave
      // `limit` - 3 descriptors free (bash: dash closes no descriptor past 9).
      const auto r = h.exec({"bash", "-c",
                             std::string("for f in /proc/$$/fd/*; do n=${f##*/}; [ $n -gt 2 ] && eval \"exec $n>&-\"; "
                                         "done 2>/dev/null; ulimit -n ") +
                                 limit + " && exec " + tool + " --json -i eth0 " + group});
      const std::string what = tool + " at ulimit -n " + limit;
      EXPECT_EQ(r.status.code, 4) << what << ": " << r.status.describe() << "\n" << r.output;
      expect_one_error_event(r, 4);
      const auto events = json_lines(r.standard_output);
      if (events.empty()) continue;
      EXPECT_NE(r.output.find("ulimit"), std::string::npos) << what << ": " << r.output;
      EXPECT_EQ(r.output.find("Unspecific failure"), std::string::npos) << what << ": " << r.output;
      if (std::string(limit) == "4") {
        EXPECT_EQ(events[0]["code"], "EMFILE") << what << ": " << r.standard_output;
      }
    }
  }
}

// A shell command: `tool` with `args` and stdout redirected by `redirect`.
std::string redirected(const char* tool, const std::string& args, const std::string& redirect) {
  return std::string("exec ") + tool + " " + args + " " + redirect;
}

TEST(NetToolFaults, AFullDiskIsExit4InEveryMode) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(1);
  const auto& h = (*net)[0];
  const std::string group = "239.255.71.1:" + std::to_string(test::tools::free_port(h));
  const std::string send = "-i eth0 -c 5 -r 1000pps " + group;
  const std::string recv = "-i eth0 -d 0.3 " + group;
  struct run {
    const char* tool;
    std::string args;
  };
  const std::vector<run> runs{
      {MCAST_SEND, send},           {MCAST_SEND, "--json " + send},  {MCAST_RECV, recv},
      {MCAST_RECV, "--json " + recv}, {MCAST_RECV, "--csv " + recv}, {MCAST_RECV, "--interfaces"},
      {MCAST_SEND, "--help"},       {MCAST_RECV, "--version"}};
  for (const auto& [tool, args] : runs) {
    const auto r = shell(h, redirected(tool, args, ">/dev/full"));
    EXPECT_EQ(r.status.code, 4) << tool << " " << args << ": " << r.status.describe() << "\n" << r.output;
    EXPECT_NE(r.output.find(": cannot write the report to standard output: No space left on device"),
              std::string::npos)
        << tool << " " << args << ": " << r.output;
  }
  // Nothing printed, nothing to lose: -q runs as before.
  const auto quiet = shell(h, redirected(MCAST_SEND, "-q " + send, ">/dev/full"));
  EXPECT_EQ(quiet.status.code, 0) << quiet.output;
  // A usage error stays exit 1, and says the event was lost too.
  const auto usage = shell(h, redirected(MCAST_RECV, "--json --bogus", ">/dev/full"));
  EXPECT_EQ(usage.status.code, 1) << usage.output;
  EXPECT_NE(usage.output.find("No space left on device"), std::string::npos) << usage.output;
}

TEST(NetToolFaults, AReaderThatGoesAwayIsExit4NotSigpipe) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(1);
  const auto& h = (*net)[0];
  const std::string group = "239.255.71.3:" + std::to_string(test::tools::free_port(h));
  test::tools::scratch_dir dir;
  ASSERT_FALSE(dir.path.empty());
  const auto metrics = dir.file("m.prom");
  MCNET_REQUIRE_PROGRAM(python, "python3", "python3");
  // The reader is gone before the tool starts (a pipe whose read end is
  // closed: a shell's `| true` may still be there when a fast tool writes),
  // and the tools write on into the pipe.
  constexpr const char* readerless =
      "import os, subprocess, sys\n"
      "r, w = os.pipe()\n"
      "os.close(r)\n"
      "sys.exit(subprocess.run(['bash', '-c', sys.argv[1]], stdout=w).returncode)\n";
  for (const auto& command :
       {std::string(MCAST_RECV) + " --interfaces", std::string(MCAST_SEND) + " -i eth0 -c 20 -r 1000pps " + group,
        std::string(MCAST_RECV) + " -i eth0 -d 0.5 --interval 0.1 --metrics-file " + metrics + " " + group}) {
    const auto r = h.exec({python, "-c", readerless, command}, {}, std::chrono::seconds(20));
    EXPECT_EQ(r.status.code, 4) << command << ": " << r.status.describe() << "\n" << r.output;
    EXPECT_NE(r.output.find("cannot write the report to standard output: Broken pipe"), std::string::npos)
        << command << ": " << r.output;
  }
  // The run went on to its end: its last metrics write is there.
  std::ifstream in(metrics);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("mcast_recv_kernel_drops_total"), std::string::npos) << text;
}

TEST(NetToolFaults, AClosedStdoutSendsNothingToTheGroup) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(2);
  const auto port = std::to_string(test::tools::free_port((*net)[1]));
  const std::string group = "239.255.71.2:" + port;
  test::tools::receiver rx((*net)[1], {"-i", "eth0", group});
  ASSERT_TRUE(rx.joined()) << rx.output();
  // The socket connected to the group would be descriptor 1: the start and
  // summary lines would go to the group as datagrams.
  for (const char* json_flag : {"", "--json "}) {
    const auto r = shell((*net)[0], redirected(MCAST_SEND, std::string(json_flag) + "-i eth0 -c 5 --id 7 " + group, ">&-"));
    EXPECT_EQ(r.status.code, 4) << json_flag << r.status.describe() << "\n" << r.output;
    EXPECT_NE(r.output.find("cannot write the report to standard output: Bad file descriptor"), std::string::npos)
        << r.output;
  }
  const auto done = rx.finish_clean();
  const auto streams = test::tools::summary_streams(done.standard_output);
  ASSERT_EQ(streams.size(), 2u) << "one mcnet stream per run, nothing else: " << done.standard_output;
  for (const auto& s : streams) {
    EXPECT_EQ(s["payload"], "mcnet") << s;
    EXPECT_EQ(s["packets"], 5) << s;
    EXPECT_EQ(s["sender_id"], 7) << s;
  }
  // mcast-recv with stdout closed: its report is lost, and it says so.
  const auto recv = shell((*net)[1], redirected(MCAST_RECV, "-i eth0 -d 0.2 " + group, ">&-"));
  EXPECT_EQ(recv.status.code, 4) << recv.output;
  EXPECT_NE(recv.output.find("Bad file descriptor"), std::string::npos) << recv.output;
  // -q prints nothing: a closed stdout loses nothing.
  const auto quiet = shell((*net)[1], redirected(MCAST_RECV, "-q -i eth0 -d 0.2 " + group, ">&-"));
  EXPECT_EQ(quiet.status.code, 0) << quiet.output;
}

TEST(NetToolFaults, APipeSeesEachReportWhileTheRunGoesOn) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(1);
  const auto& h = (*net)[0];
  const std::string group = "239.255.71.3:" + std::to_string(test::tools::free_port(h));
  // `| cat`: stdout is a pipe, which stdio buffers by blocks.
  auto recv = h.start({"sh", "-c", std::string(MCAST_RECV) + " -i eth0 --interval 0.2 -d 8 " + group + " | cat"});
  // The first report's label depends on when the loop woke ([0.2 s] or, on a
  // loaded machine, [0.3 s]): any interval line shows the pipe is flushed.
  EXPECT_TRUE(test::tools::shows_within(recv, "datagrams in the last", 3s)) << "the first interval report, 8 s before the end: "
                                                  << recv.output();
  EXPECT_FALSE(recv.wait_for(0ms)) << "still running";
  auto send = h.start({"sh", "-c", std::string(MCAST_SEND) + " -i eth0 -r 10pps -d 8 " + group + " | cat"});
  EXPECT_TRUE(test::tools::shows_within(send, "sending to 239.255.71.3", 3s)) << send.output();
  EXPECT_FALSE(send.wait_for(0ms)) << "still running";
  auto json_send =
      h.start({"sh", "-c", std::string(MCAST_SEND) + " --json -i eth0 -r 10pps -d 8 " + group + " | cat"});
  EXPECT_TRUE(test::tools::shows_within(json_send, "\"event\":\"start\"", 3s)) << json_send.output();
  EXPECT_FALSE(json_send.wait_for(0ms)) << "still running";
}

TEST(NetToolFaults, OpenFileLimitsFitWhatTheToolsOpen) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(1);
  const auto& h = (*net)[0];
  const std::string port = std::to_string(test::tools::free_port(h));
  // 16 descriptors: the standard three, one socket and the tool's own fit.
  const auto recv = h.exec({"prlimit", "--nofile=16:16", MCAST_RECV, "-i", "eth0", "--json", "-d", "0.2",
                            "239.255.71.4:" + port});
  EXPECT_TRUE(recv.status.success()) << recv.output;
  const auto send = h.exec({"prlimit", "--nofile=16:16", MCAST_SEND, "-i", "eth0", "-c", "1", "239.255.71.4:" + port});
  EXPECT_TRUE(send.status.success()) << send.output;
  // 5,000 groups past a soft limit of 1,024: raised towards the hard one.
  const std::string many = std::string(MCAST_SEND) + " -i eth0 --json -c 1 239.201.0.1:" + port + "+5000";
  const auto raised = shell(h, "ulimit -Sn 1024 && exec " + many);
  ASSERT_TRUE(raised.status.success()) << raised.output;
  expect_schema_conform(raised.standard_output);
  const auto raised_events = json_lines(raised.standard_output);
  const auto* summary = find_event(raised_events, "summary");
  ASSERT_TRUE(summary) << raised.output;
  EXPECT_EQ((*summary)["total"]["sent"], 5000);
  // The hard limit too low: said before anything is opened or sent.
  const auto capped = shell(h, "ulimit -n 1024 && exec " + many);
  EXPECT_EQ(capped.status.code, 4) << capped.output;
  EXPECT_NE(capped.output.find("5000 sockets"), std::string::npos) << capped.output;
  EXPECT_NE(capped.output.find("ulimit -Hn"), std::string::npos) << capped.output;
  EXPECT_EQ(capped.standard_output.find("\"start\""), std::string::npos) << capped.output;
}

// Start `argv` (a tool with --json) in `h`, send `sig` after `after`, and
// expect a clean end (exit `code`, every line in the schema); its JSON lines.
// Whether process `pid` has a handler for `sig` (/proc/PID/status, SigCgt).
bool catches(pid_t pid, int sig) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("SigCgt:", 0) == 0) return (std::stoull(line.substr(7), nullptr, 16) >> (sig - 1) & 1u) != 0;
  }
  return false;
}

std::vector<json> interrupted(const test::host& h, const std::vector<std::string>& argv, int sig,
                              std::chrono::milliseconds after, int code = 0) {
  auto p = h.start(argv);
  std::this_thread::sleep_for(after);
  // The signal is meant for the program's handlers: an ASan build beside
  // another test may not have set them yet `after` its start (it died of
  // the signal, status "signal 2"). Wait for them, at most 10 s.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!catches(p.pid(), sig) && std::chrono::steady_clock::now() < deadline && !p.wait_for(10ms)) {
  }
  const auto st = p.stop(sig, 30s);
  EXPECT_TRUE(st.exited) << st.describe() << "\n" << p.output();
  EXPECT_EQ(st.code, code) << p.output();
  EXPECT_NE(p.error_output().find(": warning: interrupted by a signal while "), std::string::npos) << p.output();
  expect_schema_conform(p.standard_output());
  return json_lines(p.standard_output());
}

TEST(NetToolFaults, ASignalDuringTheJoinsEndsWithASummary) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(1);
  const auto& h = (*net)[0];
  // 40,000 IPv6 groups on one socket take seconds to join (each MLD join
  // walks the socket's list).
  const std::string spec = "[ff3e::71:1]:" + std::to_string(test::tools::free_port(h)) + "+40000";
  for (const int sig : {SIGINT, SIGTERM}) {
    const auto events = interrupted(h, {MCAST_RECV, "-i", "eth0", "--json", spec}, sig, 500ms);
    const auto* start = find_event(events, "start");
    const auto* warning = find_event(events, "warning");
    ASSERT_TRUE(start && warning && find_event(events, "summary"));
    EXPECT_EQ((*warning)["code"], "join_interrupted");
    const auto joined = (*start)["groups"].size();
    EXPECT_LT(joined, 40000u) << "the signal came during the joins";
    EXPECT_NE((*warning)["message"].get<std::string>().find(std::to_string(joined) + " of the 40000 planned"),
              std::string::npos)
        << *warning;
    // Trial t15r17 M5: nothing arrived, and its verdict blamed the sender;
    // a run cut short during its joins suspects nothing.
    const auto& verdict = (*find_event(events, "summary"))["verdict"];
    ASSERT_TRUE(verdict.is_object()) << verdict;
    EXPECT_EQ(verdict["status"], "WARN") << verdict;
    EXPECT_EQ(verdict["check"], "signal") << verdict;
    EXPECT_NE(verdict["message"].get<std::string>().find("a signal ended the run while it joined (" +
                                                          std::to_string(joined) + " of the 40000 planned"),
              std::string::npos)
        << verdict;
    EXPECT_EQ(verdict["message"].get<std::string>().find("suspects"), std::string::npos) << verdict;
    // Its doctor command names the planned specs, not the joined ones
    // (none, at times: trial t15r18 M3, "doctor --listen 5 ,").
    EXPECT_NE(verdict["note"].get<std::string>().find("mcast-recv doctor --listen 5 '[ff3e::71:1]:"), std::string::npos)
        << verdict;
  }
}

// SIGINT to the mcast-recv --json of `p`: it ends within 15 s (at most
// 60 s are waited for), exit 0, every line in the schema. Its JSON lines;
// `took`, the seconds from the signal to its end.
std::vector<json> stopped_promptly(test::process& p, double& took) {
  const auto signalled = std::chrono::steady_clock::now();
  const auto st = p.stop(SIGINT, 60s);
  took = std::chrono::duration<double>(std::chrono::steady_clock::now() - signalled).count();
  EXPECT_TRUE(st.exited && st.code == 0) << st.describe() << "\n" << p.error_output();
  EXPECT_LT(took, 15.0) << p.error_output();
  expect_schema_conform(p.standard_output());
  return json_lines(p.standard_output());
}

// SIGINT 3 s into 60,000 IPv4 joins (3,000 sockets): the run ends within
// 15 s (about 5 s for 40,000 joined on the test VM, the verdict's checks
// of them most of it). It took 30 s for 48,871 (trial16c 3d): the sockets closed oldest first, each
// leave a walk of the interface's whole list of groups in the kernel, and
// the verdict's firewall check compared every group with every other; 14 s
// with none joined yet, the checks made for the 60,000 never joined.
TEST(NetToolFaults, ASignalDuringSixtyThousandJoinsEndsTheRunPromptly) {
  MCNET_REQUIRE_NETNS();
  rlimit limit{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &limit), 0);
  if (limit.rlim_max < 3100) GTEST_SKIP() << "the hard open-file limit is below 3,100";
  auto net = test::network::lan(1);
  const auto& h = (*net)[0];
  const std::string spec = "239.206.0.1:" + std::to_string(test::tools::free_port(h)) + "+60000";
  auto p = h.start({MCAST_RECV, "-i", "eth0", "--json", spec});
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (!catches(p.pid(), SIGINT) && std::chrono::steady_clock::now() < deadline && !p.wait_for(10ms)) {
  }
  std::this_thread::sleep_for(3s);
  double took = 0;
  const auto events = stopped_promptly(p, took);
  ASSERT_TRUE(find_event(events, "start") && find_event(events, "summary")) << p.error_output();
  const auto* start = find_event(events, "start");
  std::cout << "SIGINT after " << (*start)["groups"].size() << " of 60000 joins: the run ended in " << took << " s\n";
}

// argv: first group (IPv4), count, port. Two mcnet datagrams (numbers 0 and
// 1, sender id 7) to each of `count` consecutive groups, 500 at a time.
constexpr const char* many_groups_program = R"(
import ipaddress, socket, struct, sys, time
first, count, port = int(ipaddress.IPv4Address(sys.argv[1])), int(sys.argv[2]), int(sys.argv[3])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
for seq in (0, 1):
    for i in range(count):
        h = struct.pack('>4sBBHIIQQII', b'MCN1', 1, 0, 40, 7, 7, seq, time.time_ns(), 64, 0)
        s.sendto(h + bytes(24), (str(ipaddress.IPv4Address(first + i)), port))
        if i % 500 == 499: time.sleep(0.01)
)";

// The bytes waiting in the receive queues of the UDP sockets of `ports`
// in `h` (/proc/net/udp's rx_queue), or nullopt when it cannot be read.
std::optional<std::uint64_t> queued(const test::host& h, const std::set<std::uint16_t>& ports) {
  const auto r = h.exec({"cat", "/proc/net/udp"});
  if (!r.status.success()) return std::nullopt;
  std::istringstream in(r.standard_output);
  std::string line;
  std::getline(in, line);  // the header
  std::uint64_t waiting = 0;
  while (std::getline(in, line)) {
    std::istringstream f(line);
    std::string slot, local, remote, state, queues;
    if (!(f >> slot >> local >> remote >> state >> queues)) continue;
    const auto colon = local.find(':');
    if (colon == std::string::npos ||
        !ports.contains(static_cast<std::uint16_t>(std::stoul(local.substr(colon + 1), nullptr, 16)))) {
      continue;
    }
    waiting += std::stoull(queues.substr(queues.find(':') + 1), nullptr, 16);
  }
  return waiting;
}

// trial h16r MEDIUM 7: the end of a run grew faster than its groups (40,000
// groups, each a stream: ~10 s from SIGINT to exit, where 4,000 took 0.7).
// perf found the summary holding every stream's JSON object at once (a
// tree of 40,000 objects of ~150 allocations each, which the allocator
// served ever slower as the stream table's heap grew), /proc/net/igmp
// read whole (the kernel walks it from its start for each page: quadratic
// in the groups) for one interface's line, and the search for a contested
// stream's other sources going through all the streams of its identity
// (ReceiveSession.ThousandsStalledAtTheEndAreToldTheirLostCountPromptly). The end of a run of 40,000
// groups, each with a stream, against one of 4,000, both measured here:
// at most 10 times as long, times 2.5 for what is left (the allocator
// works in the stream table's 800 MB heap) and a loaded machine (the test
// VM: 0.11 to 0.19 s and 1.6 to 2.8 s; before, 0.4 to 0.7 s and 4.7 to
// 10.6 s; a quadratic end would be 100 times). Ranges of 4,000 groups on ports of their own: the kernel hands
// each datagram to the sockets of its port one by one (200 sockets of 20
// IPv4 groups each a port), so 40,000 groups on one port took 37 s to send
// two datagrams each.
TEST(NetToolFaults, TheEndOfARunGrowsAsItsGroupsDo) {
  MCNET_REQUIRE_NETNS();
  MCNET_REQUIRE_PROGRAM(python, "python3", "python3");
  rlimit limit{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &limit), 0);
  if (limit.rlim_max < 1100) GTEST_SKIP() << "the hard open-file limit is below 1,100 (20,000 IPv4 groups, 20 a socket)";
  auto net = test::network::lan(2);
  const auto& rx_host = (*net)[1];
  const auto base_port = test::tools::free_port(rx_host);
  // The seconds from SIGINT to the end of a run of `ranges` ranges of 4,000
  // groups, each sent two datagrams, all of them read.
  const auto end_of = [&](int ranges) {
    constexpr int per_range = 4000;
    std::vector<std::string> argv{MCAST_RECV, "--json", "-i", "eth0", "--max-streams", "100000"};
    std::set<std::uint16_t> ports;
    for (int r = 0; r < ranges; ++r) {
      const auto port = static_cast<std::uint16_t>(base_port + r);
      ports.insert(port);
      argv.push_back(fmt::format("239.207.{}.1:{}+{}", r * 16, port, per_range));
    }
    auto p = rx_host.start(argv);
    const auto joined = std::chrono::steady_clock::now() + 120s;
    while (p.standard_output().find("\"event\":\"start\"") == std::string::npos &&
           std::chrono::steady_clock::now() < joined && !p.wait_for(20ms)) {
    }
    EXPECT_NE(p.standard_output().find("\"event\":\"start\""), std::string::npos) << p.error_output();
    for (int r = 0; r < ranges; ++r) {
      const auto sent = (*net)[0].exec({python, "-c", many_groups_program, fmt::format("239.207.{}.1", r * 16),
                                        std::to_string(per_range), std::to_string(base_port + r)},
                                       {}, 60s);
      EXPECT_TRUE(sent.status.success()) << sent.output;
    }
    // Every datagram read: the receive queues are empty (at most 30 s).
    const auto drained = std::chrono::steady_clock::now() + 30s;
    while (queued(rx_host, ports).value_or(1) > 0 && std::chrono::steady_clock::now() < drained) {
      std::this_thread::sleep_for(20ms);
    }
    const auto signalled = std::chrono::steady_clock::now();
    const auto st = p.stop(SIGINT, 120s);
    const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - signalled).count();
    EXPECT_TRUE(st.exited && st.code == 0) << st.describe() << "\n" << p.error_output();
    // The summary's total and its streams, without parsing its 44 MB.
    const auto out = p.standard_output();
    const auto summary = out.find("{\"event\":\"summary\"");
    const auto total = out.find("\"total\":{", summary);
    EXPECT_NE(total, std::string::npos) << p.error_output();
    if (summary != std::string::npos && total != std::string::npos) {
      const auto object = out.substr(total + 8, out.find('}', total) - total - 7);
      EXPECT_EQ(json::parse(object)["packets"], 2 * per_range * ranges) << object;
      std::size_t streams = 0;
      for (auto at = out.find("\"sender_id\":7,", summary); at < total; at = out.find("\"sender_id\":7,", at + 1)) {
        ++streams;
      }
      EXPECT_EQ(streams, static_cast<std::size_t>(per_range * ranges)) << "a stream per group";
    }
    return took;
  };
  // Five times the groups may take at most 3 times five as long: the end
  // grows a little faster than the groups (the allocator, docs/performance.md:
  // 10.2 times at load 5), a quadratic end took 25 times. A loaded machine
  // may slow one run down:
  // when the first pair is out of bound, each is the faster of two runs.
  // (Two pairs at 40,000 groups cost CI 174 s; a pair at 20,000 proves the
  // same growth.)
  constexpr int times = 5;
  double few = end_of(1);
  double many = end_of(times);
  if (many >= times * 3.0 * std::max(few, 0.05)) {
    few = std::min(few, end_of(1));
    many = std::min(many, end_of(times));
  }
  std::cout << "the end of a run: 4,000 groups " << few << " s, " << times * 4000 << " groups " << many << " s\n";
  EXPECT_LT(many, times * 3.0 * std::max(few, 0.05)) << "4,000 groups ended in " << few << " s";
}

// An nft first in PATH, in `dir`, that writes each call's arguments to
// the file `calls` and runs `nft` after `delay` (a shell `sleep` argument;
// empty: none), then mcast-recv --json with `args` started in `rx` with
// that PATH: returned once its start event came (at most 20 s).
test::process recv_with_counted_nft(const test::host& rx, const test::tools::scratch_dir& dir, const std::string& nft,
                                    const std::string& calls, const std::string& delay,
                                    const std::vector<std::string>& args) {
  {
    std::ofstream script(dir.file("nft"));
    script << "#!/bin/sh\necho \"$*\" >> '" << calls << "'\n"
           << (delay.empty() ? std::string() : "sleep " + delay + "\n") << "exec '" << nft << "' \"$@\"\n";
  }
  std::filesystem::permissions(dir.file("nft"), std::filesystem::perms::owner_all);
  const char* path = std::getenv("PATH");
  std::vector<std::string> argv{"env",
                                "PATH=" + dir.path + ":" + (path != nullptr ? path : "/usr/sbin:/usr/bin:/sbin:/bin"),
                                MCAST_RECV, "--json"};
  argv.insert(argv.end(), args.begin(), args.end());
  auto p = rx.start(argv);
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (p.standard_output().find("\"event\":\"start\"") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline && !p.wait_for(10ms)) {
  }
  return p;
}

// The calls that recv_with_counted_nft's nft wrote to `calls`, one a line.
std::vector<std::string> nft_calls(const std::string& calls) {
  std::ifstream in(calls);
  std::vector<std::string> runs;
  for (std::string line; std::getline(in, line);) runs.push_back(line);
  return runs;
}

// 2,000 groups joined, 3 of them sent to, a rule dropping 256 of the
// others: each of the 1,997 silent channels gets its own diagnosis in the
// summary (the rule's FAIL for the 256, "no local check" for the rest),
// and the run ends within 15 s of its SIGINT, as a run stopped during
// 60,000 joins does (0.8 s on the test VM). The nftables ruleset is read
// once for all of them (an nft first in PATH counts its runs): the summary
// ran nft once per silent channel, and read /proc/net/igmp (2,000 groups
// long) for each, which took 76 s (issues #15/#20 review).
TEST(NetToolFaults, TwoThousandSilentChannelsAreDiagnosedPromptlyWithOneReadOfTheFirewall) {
  MCNET_REQUIRE_NETNS();
  MCNET_REQUIRE_PROGRAM(nft, "nft", "nftables");
  auto net = test::network::lan(2);
  const auto& tx = (*net)[0];
  const auto& rx = (*net)[1];
  const auto port = std::to_string(test::tools::free_port(rx));
  test::tools::scratch_dir dir;
  ASSERT_FALSE(dir.path.empty());
  const auto calls = dir.file("nft-calls");
  const auto added = rx.exec({nft, "-f", "-"}, "add table inet mcnet_run\n"
                                               "add chain inet mcnet_run input { type filter hook input priority 0; }\n"
                                               "add rule inet mcnet_run input ip daddr 239.207.1.0/24 udp dport " +
                                                   port + " drop\n");
  ASSERT_TRUE(added.status.success()) << added.output;
  auto p = recv_with_counted_nft(rx, dir, nft, calls, "", {"-i", "eth0", "239.207.0.1:" + port + "+2000"});
  ASSERT_NE(p.standard_output().find("\"event\":\"start\""), std::string::npos) << p.output();
  ASSERT_TRUE(catches(p.pid(), SIGINT));
  test::tools::send(tx, {"-i", "eth0", "-c", "10", "-r", "1000pps", "239.207.0.1:" + port, "239.207.0.2:" + port,
                         "239.207.0.3:" + port});
  // Well past too_soon_to_judge_s after the joins (trial t15r17 M5): under
  // load 1.2 s was not always (the channels read "too soon to suspect").
  std::this_thread::sleep_for(2500ms);
  double took = 0;
  const auto events = stopped_promptly(p, took);
  const auto* summary = find_event(events, "summary");
  ASSERT_NE(summary, nullptr) << p.error_output();
  const auto& silent = (*summary)["silent"];
  ASSERT_TRUE(silent.is_array()) << p.error_output();
  EXPECT_EQ(silent.size(), 1997u);
  std::size_t dropped = 0, unexplained = 0;
  for (const auto& s : silent) {
    const auto group = s["group"].get<std::string>();
    const bool ruled = group.starts_with("239.207.1.");
    if (ruled) {
      EXPECT_EQ(s["causes"].size(), 1u) << s;
      dropped += !s["causes"].empty() && s["causes"][0]["check"] == "firewall" && s["causes"][0]["status"] == "FAIL" &&
                 s["causes"][0]["subject"] == "udp dport " + port + " (IPv4)";
    } else {
      EXPECT_TRUE(s["causes"].empty()) << s;
      unexplained += s["message"].is_string() &&
                     s["message"].get<std::string>().starts_with("no local check found a cause for it") &&
                     s["message"].get<std::string>().find(" 239.207.0.1:" + port + "%eth0+2000 checks more") !=
                         std::string::npos;
    }
  }
  EXPECT_EQ(dropped, 256u);
  EXPECT_EQ(unexplained, 1997u - 256u);
  const auto runs = nft_calls(calls);
  EXPECT_EQ(runs, std::vector<std::string>({"-j list ruleset"})) << runs.size() << " runs of nft";
  std::cout << "1,997 silent channels: the run ended " << took << " s after its SIGINT, nft ran " << runs.size()
            << " time(s)\n";
}

// trial20o M2: a signal during the checks of the silent channels, after
// the run ended, ends them: the summary comes with the channels left
// listed unchecked (`checked` false, the reason in their message), not
// after every channel's checks (a supervisor's SIGKILL after its grace
// period would lose the summary). An nft first in PATH takes 2 s to read
// the ruleset, so the SIGTERM, 0.7 s after the SIGINT that ended the run,
// comes while the first silent channel is checked.
TEST(NetToolFaults, ASignalDuringTheSilentChannelsChecksEndsThemAndTheSummaryComes) {
  MCNET_REQUIRE_NETNS();
  MCNET_REQUIRE_PROGRAM(nft, "nft", "nftables");
  auto net = test::network::lan(2);
  const auto& tx = (*net)[0];
  const auto& rx = (*net)[1];
  const auto port = std::to_string(test::tools::free_port(rx));
  test::tools::scratch_dir dir;
  ASSERT_FALSE(dir.path.empty());
  const auto calls = dir.file("nft-calls");
  auto p = recv_with_counted_nft(rx, dir, nft, calls, "2", {"-i", "eth0", "239.207.2.1:" + port + "+50"});
  ASSERT_NE(p.standard_output().find("\"event\":\"start\""), std::string::npos) << p.output();
  ASSERT_TRUE(catches(p.pid(), SIGINT) && catches(p.pid(), SIGTERM));
  test::tools::send(tx, {"-i", "eth0", "-c", "10", "-r", "1000pps", "239.207.2.1:" + port});
  // Past too_soon_to_judge_s after the joins: a run a signal ends sooner
  // checks no silent channel (trial t15r17 M5).
  std::this_thread::sleep_for(1200ms);
  ASSERT_EQ(::kill(p.pid(), SIGINT), 0);
  std::this_thread::sleep_for(700ms);
  const auto signalled = std::chrono::steady_clock::now();
  const auto st = p.stop(SIGTERM, 30s);
  const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - signalled).count();
  EXPECT_TRUE(st.exited && st.code == 0) << st.describe() << "\n" << p.error_output();
  expect_schema_conform(p.standard_output());
  const auto events = json_lines(p.standard_output());
  const auto* summary = find_event(events, "summary");
  ASSERT_NE(summary, nullptr) << p.output();
  const auto& silent = (*summary)["silent"];
  ASSERT_TRUE(silent.is_array()) << *summary;
  ASSERT_EQ(silent.size(), 49u) << silent;  // 50 groups, one sent to
  std::size_t checked = 0, unchecked = 0;
  for (const auto& c : silent) {
    if (c["checked"] == true) {
      ++checked;
      continue;
    }
    EXPECT_EQ(c["message"], "not checked: a signal came during the checks") << c;
    EXPECT_TRUE(c["causes"].empty()) << c;
    ++unchecked;
  }
  // The first channel's checks read the ruleset (2 s); the signal came then.
  EXPECT_EQ(checked, 1u) << silent;
  EXPECT_EQ(unchecked, 48u) << silent;
  const auto runs = nft_calls(calls);
  EXPECT_EQ(runs, std::vector<std::string>({"-j list ruleset"})) << runs.size() << " runs of nft";
  std::cout << "SIGTERM during the silent channels' checks: the summary came " << took << " s after it\n";
}

// The silent channels' checks end when their time is gone (the run ended,
// a user or supervisor waits): with no time at all, none is checked, each
// listed with the reason, and one text line counts them.
TEST(NetToolFaults, SilentChannelChecksStopWhenTheirTimeIsGone) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(1);
  const auto& h = (*net)[0];
  std::vector<tools::membership> members;
  std::vector<tools::silent_channel> silent;
  for (const char* g : {"239.207.3.1", "239.207.3.2"}) {
    tools::membership m;
    m.request.group = *core::ip_address::parse(g);
    m.request.port = 5000;
    members.push_back(m);
    silent.push_back({{{"group", g},
                       {"port", 5000},
                       {"mode", "any"},
                       {"sources", json::array()},
                       {"interface", {{"name", nullptr}, {"index", nullptr}}},
                       {"packets", 0},
                       {"end_markers", 0}},
                      {},
                      {}});
  }
  const auto report = h.run([&] { return tools::silent_hints(members, silent, tools::silent_check_stop(0s)); });
  ASSERT_EQ(report.event.size(), 2u) << report.event;
  for (const auto& c : report.event) {
    EXPECT_EQ(c["checked"], false) << c;
    EXPECT_EQ(c["message"], "not checked: the checks' 0 s ran out") << c;
  }
  ASSERT_FALSE(report.text.empty());
  EXPECT_EQ(report.text.back(), "mcast-recv: 2 silent channels not checked: the checks' 0 s ran out (mcast-recv "
                                "doctor SPEC checks one)");
  // With its time, the same two are checked.
  const auto full = h.run([&] { return tools::silent_hints(members, silent, tools::silent_check_stop()); });
  ASSERT_EQ(full.event.size(), 2u) << full.event;
  for (const auto& c : full.event) EXPECT_EQ(c["checked"], true) << c;
}

TEST(NetToolFaults, ASignalDuringTheSendSetUpEndsWithASummaryAndSendsNothing) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(2);
  const auto port = std::to_string(test::tools::free_port((*net)[1]));
  test::tools::scratch_dir dir;
  ASSERT_FALSE(dir.path.empty());
  // As many specs as the hard open-file limit allows (mcast-send raises the
  // soft one), each naming its interface: resolving and opening them takes
  // over a second (19,900 take 1.8 s on the test VM).
  rlimit limit{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &limit), 0);
  const auto groups = std::min<rlim_t>(60000, limit.rlim_max - 64);
  if (groups < 10000) GTEST_SKIP() << "the hard open-file limit is below 10,064";
  const auto file = dir.file("specs");
  {
    std::ofstream out(file);
    for (rlim_t i = 0; i < groups; ++i) out << "239.202." << i / 250 << "." << i % 250 + 1 << ":" << port << "%eth0\n";
  }
  test::tools::receiver rx((*net)[1], {"-i", "eth0", "239.202.0.1:" + port});
  ASSERT_TRUE(rx.joined()) << rx.output();
  for (const int sig : {SIGTERM, SIGINT}) {
    // -c 2 asked for two datagrams per group and none went: exit 2.
    const auto events = interrupted((*net)[0], {MCAST_SEND, "--json", "-c", "2", "@" + file}, sig, 250ms,
                                    tools::exit_interrupted);
    const auto* warning = find_event(events, "warning");
    const auto* summary = find_event(events, "summary");
    ASSERT_TRUE(warning && summary && find_event(events, "start"));
    EXPECT_EQ((*warning)["code"], "setup_interrupted");
    EXPECT_NE((*warning)["message"].get<std::string>().find(" of " + std::to_string(groups) + (groups == 1 ? " group opened" : " groups opened")),
              std::string::npos)
        << *warning;
    EXPECT_EQ((*summary)["total"]["sent"], 0);
    // Then the run's own: 0 of what -c asks of every group named, as many
    // opened as the signal let be (often none: the specs are still being
    // resolved 250 ms in), not of those opened (trial t16z: "sent 0 of 0
    // datagrams" when none was).
    const auto opened = (*find_event(events, "start"))["groups"].size();
    EXPECT_LT(opened, groups);
    const auto cut = std::find_if(events.begin(), events.end(), [](const json& e) { return e.value("code", std::string()) == "interrupted"; });
    ASSERT_NE(cut, events.end());
    EXPECT_EQ((*cut)["sent"], 0);
    EXPECT_EQ((*cut)["asked"], 2 * groups) << "opened " << opened << " of " << groups;
    EXPECT_NE((*cut)["message"].get<std::string>().find("sent 0 of " + std::to_string(2 * groups) + " datagrams"),
              std::string::npos)
        << *cut;
  }
  const auto done = rx.finish_clean();
  EXPECT_TRUE(test::tools::summary_streams(done.standard_output).empty())
      << "no datagram and no END marker: " << done.standard_output;
}

// A signal in the middle of a -c or -d run: the run says it was cut short
// (an `interrupted` warning with what it sent of what was asked), still
// sends the END markers for what it sent, and exits 2; without -c or -d a
// signal is how a run ends: exit 0, no warning.
TEST(NetToolFaults, ASignalBeforeTheRunsEndIsAnInterruptedRun) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(2);
  const auto port = std::to_string(test::tools::free_port((*net)[1]));
  const std::string group = "239.204.0.1:" + port;
  test::tools::receiver rx((*net)[1], {"-i", "eth0", "--show-packets", group});
  ASSERT_TRUE(rx.joined()) << rx.output();
  auto p = (*net)[0].start({MCAST_SEND, "--json", "-i", "eth0", "-r", "20pps", "-c", "1000", group});
  ASSERT_TRUE(started(p)) << p.output();
  std::this_thread::sleep_for(500ms);
  const auto st = p.stop(SIGTERM, 10s);
  EXPECT_TRUE(st.exited && st.code == tools::exit_interrupted) << st.describe() << "\n" << p.output();
  expect_schema_conform(p.standard_output());
  const auto events = json_lines(p.standard_output());
  const auto* warning = find_event(events, "warning");
  const auto* summary = find_event(events, "summary");
  ASSERT_TRUE(warning && summary) << p.output();
  EXPECT_EQ((*warning)["code"], "interrupted");
  const auto sent = (*summary)["total"]["sent"].get<std::uint64_t>();
  EXPECT_GT(sent, 0u);
  EXPECT_LT(sent, 1000u);
  EXPECT_EQ((*warning)["sent"], sent);
  EXPECT_EQ((*warning)["asked"], 1000);
  EXPECT_NE((*warning)["message"].get<std::string>().find("sent " + std::to_string(sent) + " of 1000 datagrams"),
            std::string::npos)
      << *warning;
  EXPECT_NE(p.error_output().find("mcast-send: warning: interrupted by a signal before the run's end"),
            std::string::npos)
      << "on stderr too: " << p.output();
  // The receiver got the END markers: the tail is counted, nothing is lost.
  const auto done = rx.finish_clean();
  const auto received = json_lines(done.standard_output);
  const auto ends = std::count_if(received.begin(), received.end(),
                                  [](const json& e) { return e["event"] == "packet" && e.contains("end"); });
  EXPECT_EQ(ends, 3) << "three END markers for what was sent";
  const auto streams = test::tools::summary_streams(done.standard_output);
  ASSERT_EQ(streams.size(), 1u) << done.standard_output;
  EXPECT_EQ(streams[0]["packets"], sent);
  EXPECT_EQ(streams[0]["lost"], 0);

  // -d: interrupted before its seconds passed.
  auto timed = (*net)[0].start({MCAST_SEND, "--json", "-i", "eth0", "-r", "20pps", "-d", "30", group});
  ASSERT_TRUE(started(timed)) << timed.output();
  std::this_thread::sleep_for(300ms);
  const auto timed_st = timed.stop(SIGINT, 10s);
  EXPECT_EQ(timed_st.code, tools::exit_interrupted) << timed.output();
  const auto timed_events = json_lines(timed.standard_output());
  const auto* timed_warning = find_event(timed_events, "warning");
  ASSERT_TRUE(timed_warning) << timed.output();
  EXPECT_EQ((*timed_warning)["code"], "interrupted");
  EXPECT_TRUE((*timed_warning)["asked"].is_null()) << "-d asks for seconds, not datagrams";
  EXPECT_NE((*timed_warning)["message"].get<std::string>().find(" of the 30 s of -d"), std::string::npos)
      << *timed_warning;

  // Neither -c nor -d: the signal is the end asked for.
  auto endless = (*net)[0].start({MCAST_SEND, "--json", "-i", "eth0", "-r", "20pps", group});
  ASSERT_TRUE(started(endless)) << endless.output();
  std::this_thread::sleep_for(300ms);
  const auto endless_st = endless.stop(SIGINT, 10s);
  EXPECT_EQ(endless_st.code, 0) << endless.output();
  EXPECT_FALSE(find_event(json_lines(endless.standard_output()), "warning")) << endless.output();
}

// trial h16r HIGH 2: with -c 4000000000 mcast-send went on for seconds after
// SIGINT, and with -c 9223372036854775807 it never stopped: the warning's
// "sent N of M" counted M by walking every sequence number of the run. A
// huge -c stops as promptly as a small one (measured in the same test:
// within 2 s of it), with exit 2, its summary and what -c asks over the
// groups (faults applied; past 2^63 - 1 "at least" that).
TEST(NetToolFaults, AHugeCountStopsAtASignalAsPromptlyAsASmallOne) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(1);
  const auto& h = (*net)[0];
  const std::string groups = "239.204.0.9:" + std::to_string(test::tools::free_port(h)) + "+2";
  // The seconds from SIGINT to the end of a run of `count` per group, and its events.
  const auto stop_after_start = [&](const std::vector<std::string>& extra, std::vector<json>& events) {
    std::vector<std::string> argv{MCAST_SEND, "--json", "-i", "eth0", "-r", "1000pps", groups};
    argv.insert(argv.end(), extra.begin(), extra.end());
    auto p = h.start(argv);
    EXPECT_TRUE(started(p)) << p.output();
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (!catches(p.pid(), SIGINT) && std::chrono::steady_clock::now() < deadline && !p.wait_for(10ms)) {
    }
    std::this_thread::sleep_for(300ms);
    const auto signalled = std::chrono::steady_clock::now();
    const auto st = p.stop(SIGINT, 30s);
    const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - signalled).count();
    EXPECT_TRUE(st.exited && st.code == tools::exit_interrupted) << st.describe() << "\n" << p.error_output();
    expect_schema_conform(p.standard_output());
    events = json_lines(p.standard_output());
    return took;
  };
  std::vector<json> events;
  const double small = stop_after_start({"-c", "1000000"}, events);
  struct huge {
    std::vector<std::string> args;
    std::uint64_t asked;
  };
  for (const auto& [args, asked] : {huge{{"-c", "4000000000"}, 8000000000ULL},
                                    huge{{"-c", "9223372036854775807", "--dup-every", "2"}, 9223372036854775807ULL}}) {
    SCOPED_TRACE(args.front() + " " + args[1]);
    const double took = stop_after_start(args, events);
    EXPECT_LT(took, small + 2.0) << "a run of 1,000,000 per group stopped in " << small << " s";
    const auto* warning = find_event(events, "warning");
    const auto* summary = find_event(events, "summary");
    ASSERT_TRUE(warning && summary);
    EXPECT_EQ((*warning)["code"], "interrupted");
    EXPECT_EQ((*warning)["asked"].get<std::uint64_t>(), asked) << *warning;
    EXPECT_NE((*warning)["message"].get<std::string>().find(
                  (asked == 8000000000ULL ? " of " : " of at least ") + std::to_string(asked) + " datagrams"),
              std::string::npos)
        << *warning;
    EXPECT_EQ((*warning)["sent"], (*summary)["total"]["sent"]);
  }
}

// trial h16r HIGH 3: mcast-recv --show-packets in text, piped (| tee),
// showed its per-datagram lines only at exit (stdio buffers a pipe by
// blocks); the interval reports and events were flushed already. Each
// batch read is flushed: the lines reach the pipe while the run goes on.
TEST(NetToolFaults, APipeSeesEachPacketLineWhileTheRunGoesOn) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(2);
  const auto& rx_host = (*net)[1];
  const std::string group = "239.255.71.5:" + std::to_string(test::tools::free_port(rx_host));
  auto recv = rx_host.start(
      {"sh", "-c", std::string(MCAST_RECV) + " -i eth0 --show-packets -d 20 " + group + " | cat"});
  ASSERT_TRUE(test::tools::shows_within(recv, "joined " + group, 5s)) << recv.output();
  const auto sent = (*net)[0].exec({MCAST_SEND, "-i", "eth0", "-c", "3", "--id", "7", group});
  ASSERT_TRUE(sent.status.success()) << sent.output;
  EXPECT_TRUE(test::tools::shows_within(recv, "seq 2 id 7", 5s)) << "the third datagram's line, 15 s before the end: "
                                                     << recv.output();
  EXPECT_FALSE(recv.wait_for(0ms)) << "still running";
}

// SIGHUP (a closed terminal or ssh session) ends a run as SIGTERM does:
// mcast-recv writes its summary and exits as a run a signal ended (0 here:
// no --timeout), mcast-send too, an interrupted run of -c (exit 2). It
// used to kill both, their reports lost (trial16c).
TEST(NetToolFaults, SighupEndsARunWithItsSummary) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(2);
  const auto port = std::to_string(test::tools::free_port((*net)[1]));
  const std::string group = "239.204.0.2:" + port;
  auto rx = (*net)[1].start({MCAST_RECV, "--json", "-i", "eth0", group});
  ASSERT_TRUE(started(rx)) << rx.output();
  auto tx = (*net)[0].start({MCAST_SEND, "--json", "-i", "eth0", "-r", "20pps", "-c", "1000", group});
  ASSERT_TRUE(started(tx)) << tx.output();
  // Both have their handlers once the start event is out (at most 10 s more).
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while ((!catches(rx.pid(), SIGHUP) || !catches(tx.pid(), SIGHUP)) && std::chrono::steady_clock::now() < deadline &&
         !rx.wait_for(10ms)) {
  }
  std::this_thread::sleep_for(300ms);
  const auto tx_st = tx.stop(SIGHUP, 10s);
  EXPECT_TRUE(tx_st.exited && tx_st.code == tools::exit_interrupted) << tx_st.describe() << "\n" << tx.output();
  expect_schema_conform(tx.standard_output());
  const auto sent_events = json_lines(tx.standard_output());
  const auto* sent_summary = find_event(sent_events, "summary");
  ASSERT_TRUE(sent_summary) << tx.output();
  const auto* cut = find_event(sent_events, "warning");
  ASSERT_TRUE(cut) << tx.output();
  EXPECT_EQ((*cut)["code"], "interrupted");
  const auto sent = (*sent_summary)["total"]["sent"].get<std::uint64_t>();
  EXPECT_GT(sent, 0u);
  std::this_thread::sleep_for(400ms);  // the END markers, 200 ms apart
  const auto rx_st = rx.stop(SIGHUP, 10s);
  EXPECT_TRUE(rx_st.exited && rx_st.code == 0) << rx_st.describe() << "\n" << rx.output();
  expect_schema_conform(rx.standard_output());
  const auto streams = test::tools::summary_streams(rx.standard_output());
  ASSERT_EQ(streams.size(), 1u) << "the report survives: " << rx.output();
  EXPECT_EQ(streams[0]["packets"], sent);
  EXPECT_EQ(streams[0]["lost"], 0);
}

// A signal after the sockets are open but before the first datagram (here
// while the start lines look up 10,000 routes): the same warning, 0 sent of
// what -c asks, exit 2, and no END marker (no stream to end).
TEST(NetToolFaults, ASignalBeforeTheFirstDatagramIsAnInterruptedRun) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(1);
  const auto& h = (*net)[0];
  const auto port = std::to_string(test::tools::free_port(h));
  rlimit limit{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &limit), 0);
  if (limit.rlim_max < 10064) GTEST_SKIP() << "the hard open-file limit is below 10,064";
  ASSERT_TRUE(h.exec({"ip", "route", "replace", "224.0.0.0/4", "dev", "eth0"}).status.success());
  // Text mode: the "sending to" lines of the start come out as the route
  // lookups go (stdout's buffer fills), before anything is sent.
  auto p = h.start({MCAST_SEND, "-c", "5", "239.205.0.1:" + port + "+10000"});
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (p.standard_output().find("sending to ") == std::string::npos && std::chrono::steady_clock::now() < deadline &&
         !p.wait_for(1ms)) {
  }
  ASSERT_NE(p.standard_output().find("sending to "), std::string::npos) << p.output();
  const auto st = p.stop(SIGTERM, 10s);
  EXPECT_EQ(st.code, tools::exit_interrupted) << p.output();
  EXPECT_NE(p.error_output().find("mcast-send: warning: interrupted by a signal before the run's end: sent 0 of "
                                  "50000 datagrams"),
            std::string::npos)
      << p.error_output();
  EXPECT_NE(p.standard_output().find("mcast-send: 0 datagrams in"), std::string::npos) << p.standard_output();
}

TEST(NetToolFaults, ARateTheMachineCannotKeepIsAWarning) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(1);
  const auto& h = (*net)[0];
  const std::string group = "239.255.71.5:" + std::to_string(test::tools::free_port(h));
  const auto fast = test::tools::send(h, {"-i", "eth0", "-r", "100000000pps", "-s", "40", "-d", "0.5", group});
  auto events = json_lines(fast.standard_output);
  const auto* warning = find_event(events, "warning");
  ASSERT_TRUE(warning) << fast.output;
  EXPECT_EQ((*warning)["code"], "rate_shortfall");
  EXPECT_EQ((*warning)["asked_pps"], 1e8);
  EXPECT_LT((*warning)["achieved_pps"].get<double>(), 0.95e8);
  const auto* summary = find_event(events, "summary");
  ASSERT_TRUE(summary) << fast.output;
  EXPECT_NEAR((*warning)["achieved_pps"].get<double>(), (*summary)["total"]["rate_pps"].get<double>(), 1.0)
      << "the summary's rate";
  EXPECT_NE(fast.output.find("mcast-send: warning: sent "), std::string::npos) << "on stderr too: " << fast.output;
  // Text mode: the warning on stderr.
  const auto text = h.exec({MCAST_SEND, "-i", "eth0", "-r", "100000000pps", "-s", "40", "-d", "0.3", group});
  EXPECT_TRUE(text.status.success()) << text.output;
  EXPECT_NE(text.output.find("below the 100000000 pps"), std::string::npos) << text.output;
  // A rate it keeps: no warning.
  const auto kept = test::tools::send(h, {"-i", "eth0", "-r", "1000pps", "-d", "0.5", group});
  EXPECT_FALSE(find_event(json_lines(kept.standard_output), "warning")) << kept.output;
}

}  // namespace
