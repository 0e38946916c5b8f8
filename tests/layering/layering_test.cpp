// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// The layering, checked on the real tree (includes, CMake link lines, socket
// system calls, documents outside the repository), and the checker itself
// fed made-up files, so that a check that finds nothing is known to be able
// to find something.

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <set>
#include <sstream>

#include "layering.hpp"

namespace mcnet::test::layering {
namespace {
namespace fs = std::filesystem;

const fs::path root{MCNET_SOURCE_DIR};

bool no_file(const fs::path&) { return false; }

std::string describe(const std::vector<violation>& v) {
  std::string out;
  for (const auto& x : v) out += "  " + x.where + ": " + x.what + "\n";
  return out;
}

// Every file of the repository (not the build trees, git's or tools' caches),
// as a path relative to the root and its text; binary files are left out.
std::vector<file> repository_files() {
  std::vector<file> out;
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator(); ++it) {
    const auto rel = fs::relative(it->path(), root);
    const auto name = it->path().filename().string();
    if (it->is_directory()) {
      const bool skip = name == ".git" || name == ".cache" || (it.depth() == 0 && name.starts_with("build"));
      if (skip) it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file() || it->file_size() > (1u << 20)) continue;
    std::ifstream in(it->path(), std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    auto s = text.str();
    if (s.find('\0') != std::string::npos) continue;
    out.push_back({rel, std::move(s)});
  }
  return out;
}

bool is_source(const fs::path& p) {
  const auto e = p.extension();
  return e == ".cpp" || e == ".hpp" || e == ".h" || e == ".cc";
}

// ------------------------------------------------------ the checker itself

TEST(Layering, IncludeNamesItsLayer) {
  EXPECT_EQ(layer_of_include("mcnet/ipv4/options.hpp"), "ipv4");
  EXPECT_EQ(layer_of_include("mcnet/ipv6.hpp"), "ipv6");
  EXPECT_EQ(layer_of_include("mcnet/version.hpp"), "core");
  EXPECT_EQ(layer_of_include("mcnet/tools/cli.hpp"), "tools");
  EXPECT_EQ(layer_of_include("netlink/route/link.h"), "");
  EXPECT_EQ(layer_of_include("vector"), "");
}

TEST(Layering, RulesFollowTheLayers) {
  EXPECT_EQ(allowed_layers("core"), std::vector<std::string>{"core"});
  EXPECT_EQ(allowed_layers("ipv4"), (std::vector<std::string>{"core", "ipv4"}));
  EXPECT_EQ(allowed_layers("netlink"), (std::vector<std::string>{"core", "netlink"}));
  EXPECT_TRUE(allowed_layers("tests").empty());
  EXPECT_TRUE(allowed_layers("bench").empty());
}

TEST(Layering, ForbiddenIncludesAreFound) {
  const file core_up{"core/src/io.cpp", "#include <mcnet/core/io.hpp>\n#include <mcnet/ipv4/options.hpp>\n"};
  auto v = check_includes(core_up, no_file);
  ASSERT_EQ(v.size(), 1u) << describe(v);
  EXPECT_EQ(v[0].where, "core/src/io.cpp:2");
  EXPECT_NE(v[0].what.find("ipv4"), std::string::npos);

  const file v4_netlink{"ipv4/include/mcnet/ipv4/x.hpp", "  #  include <mcnet/netlink.hpp>\n"};
  EXPECT_EQ(check_includes(v4_netlink, no_file).size(), 1u);
  const file v6_v4{"ipv6/src/x.cpp", "#include <mcnet/ipv4/header.hpp>\n"};
  EXPECT_EQ(check_includes(v6_v4, no_file).size(), 1u);
  const file fine{"ipv6/src/x.cpp", "#include <mcnet/core/socket.hpp>\n#include <mcnet/ipv6/options.hpp>\n#include <vector>\n"};
  EXPECT_TRUE(check_includes(fine, no_file).empty());
  const file tools_all{"tools/common/src/x.cpp", "#include <mcnet/netlink.hpp>\n#include <mcnet/ipv4.hpp>\n"};
  EXPECT_TRUE(check_includes(tools_all, no_file).empty());
  const file tests_any{"tests/core/x.cpp", "#include \"../../core/src/sys/calls.hpp\"\n#include <mcnet/tools/cli.hpp>\n"};
  EXPECT_TRUE(check_includes(tests_any, no_file).empty());
}

TEST(Layering, IncludesInCommentsDoNotCount) {
  const file f{"core/src/x.cpp", "// #include <mcnet/ipv4.hpp>\n/*\n#include <mcnet/netlink.hpp>\n*/\n"};
  EXPECT_TRUE(check_includes(f, no_file).empty()) << describe(check_includes(f, no_file));
}

TEST(Layering, ReachingIntoALayersSrcIsFound) {
  const auto exists = [](const fs::path& p) { return p == fs::path("core/src/sys/calls.hpp"); };
  const file tool{"tools/common/src/x.cpp", "#include \"../../../core/src/sys/calls.hpp\"\n"};
  auto v = check_includes(tool, exists);
  ASSERT_EQ(v.size(), 1u) << describe(v);
  EXPECT_NE(v[0].what.find("src/"), std::string::npos);
  const file example{"examples/x.cpp", "#include <core/src/sys/calls.hpp>\n"};
  EXPECT_EQ(check_includes(example, no_file).size(), 1u);
  const file own{"netlink/src/query.cpp", "#include \"rtnl.hpp\"\n"};
  EXPECT_TRUE(check_includes(own, no_file).empty());
}

TEST(Layering, ForbiddenLinkLinesAreFound) {
  const file core_links{"core/CMakeLists.txt", "target_link_libraries(mcnet_core PUBLIC tl::expected\n  mcnet::netlink)\n"};
  auto v = check_cmake(core_links);
  ASSERT_EQ(v.size(), 1u) << describe(v);
  EXPECT_NE(v[0].what.find("mcnet::netlink"), std::string::npos);
  const file v4_links{"ipv4/CMakeLists.txt", "target_link_libraries(mcnet_ipv4 PUBLIC mcnet::core PRIVATE mcnet_ipv6)\n"};
  EXPECT_EQ(check_cmake(v4_links).size(), 1u);
  const file fine{"ipv4/CMakeLists.txt", "# mcnet::netlink is not needed\ntarget_link_libraries(mcnet_ipv4 PUBLIC mcnet::core)\n"};
  EXPECT_TRUE(check_cmake(fine).empty()) << describe(check_cmake(fine));
  const file tool_src{"tools/CMakeLists.txt",
                      "target_include_directories(t PRIVATE ${PROJECT_SOURCE_DIR}/netlink/src)\n"};
  EXPECT_EQ(check_cmake(tool_src).size(), 1u);
  const file own_src{"netlink/CMakeLists.txt", "target_include_directories(mcnet_netlink PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/netlink/src)\n"};
  EXPECT_TRUE(check_cmake(own_src).empty());
}

TEST(Layering, SocketCallsOutsideTheirHomeAreFound) {
  const file v4{"ipv4/src/x.cpp", "int f(int fd) {\n  return ::setsockopt(fd, 0, 0, nullptr, 0);\n}\n"};
  auto v = check_system_calls(v4);
  ASSERT_EQ(v.size(), 1u) << describe(v);
  EXPECT_EQ(v[0].where, "ipv4/src/x.cpp:2");
  EXPECT_NE(v[0].what.find("::setsockopt"), std::string::npos);
  const file nl{"netlink/src/watcher.cpp", "auto n = ::recv(fd, b, 4, 0); auto s = syscall(SYS_setns, 1, 2);\n"};
  EXPECT_EQ(check_system_calls(nl).size(), 2u);
  const file tool{"tools/mcast-recv/main.cpp", "int s = :: socket(AF_INET, SOCK_DGRAM, 0);\n"};
  EXPECT_EQ(check_system_calls(tool).size(), 1u);
}

TEST(Layering, LibraryCallsCommentsAndStringsAreNotSocketCalls) {
  const file f{"core/src/dial.cpp",
               "// ::bind(fd) is made in sys\n"
               "auto s = core::socket::open(AF_INET, 0);\n"
               "if (auto r = bind(*s, local); !r) {}\n"
               "c.connect(x); p->recv(y);\n"
               "const char* t = \"::setsockopt(\";\n"
               "auto raw = R\"x(::socket()x\";\n"
               "int n = 1'000'000; char q = '\\'';\n"
               "/* ::sendmmsg( */\n"};
  EXPECT_TRUE(check_system_calls(f).empty()) << describe(check_system_calls(f));
  EXPECT_TRUE(may_make_system_calls("core/src/sys/calls.cpp"));
  EXPECT_TRUE(check_system_calls({"core/src/sys/calls.cpp", "long n = ::recvmmsg(fd, m, 1, 0, nullptr);\n"}).empty());
  EXPECT_TRUE(check_system_calls({"tests/core/io_test.cpp", "::sendto(fd, b, 1, 0, nullptr, 0);\n"}).empty());
}

TEST(Layering, JsonSerializedOutsideJsonTextIsFound) {
  const file f{"tools/common/src/receiver.cpp", "// j.dump() in a comment\nauto s = j[\"name\"].dump();\nauto t = json_text(j);\n"};
  const auto v = check_json_text(f);
  ASSERT_EQ(v.size(), 1u) << describe(v);
  EXPECT_EQ(v[0].where, "tools/common/src/receiver.cpp:2");
  EXPECT_TRUE(check_json_text({"tools/common/src/output.cpp", "return j.dump(-1);\n"}).empty());
  EXPECT_TRUE(check_json_text({"bench/netlink_bench.cpp", "d.dump(1);\n"}).empty());
}

TEST(Layering, StrippingKeepsLinesAndLength) {
  const std::string text = "a /* b\n c */ d \"e\\\"f\" // g\nh";
  const auto s = strip_comments_and_strings(text);
  EXPECT_EQ(s.size(), text.size());
  EXPECT_EQ(std::count(s.begin(), s.end(), '\n'), 2);
  EXPECT_EQ(s.find('b'), std::string::npos);
  EXPECT_EQ(s.find('e'), std::string::npos);
  EXPECT_EQ(s.find('g'), std::string::npos);
  EXPECT_NE(s.find('d'), std::string::npos);
  EXPECT_NE(s.find('h'), std::string::npos);
}

TEST(Layering, OutsideDocumentsAreFound) {
  const file f{"docs/x.md", std::string("see ../") + "shared/TOOLS" + ".md\n"};
  EXPECT_EQ(check_stands_alone(f).size(), 2u);
  EXPECT_TRUE(check_stands_alone({"docs/x.md", "see docs/design.md and docs/tools.md\n"}).empty());
}

TEST(Layering, ResultsWithoutNodiscardAreFound) {
  const file header{"core/include/mcnet/core/x.hpp",
                    "namespace mcnet::core {\n"
                    "result<void> bare(int x) noexcept;\n"
                    "[[nodiscard]] result<int> marked(int x) noexcept;\n"
                    "mcnet::result<int> qualified();\n"
                    "template <class T>\n[[nodiscard]] result<T> templated();\n"
                    "template <class T>\nresult<std::vector<T>> templated_bare();\n"
                    "class c {\n public:\n  result<void> member() noexcept { return {}; }\n"
                    "  [[nodiscard]] static result<c> open();\n};\n"
                    "}\n"};
  const auto v = check_nodiscard(header);
  ASSERT_EQ(v.size(), 4u) << describe(v);
  EXPECT_EQ(v[0].where, "core/include/mcnet/core/x.hpp:2");
  EXPECT_EQ(v[1].where, "core/include/mcnet/core/x.hpp:4");
  EXPECT_EQ(v[2].where, "core/include/mcnet/core/x.hpp:8");
  EXPECT_EQ(v[3].where, "core/include/mcnet/core/x.hpp:11");
}

TEST(Layering, NodiscardLooksOnlyAtDeclarations) {
  const file fine{"ipv4/include/mcnet/ipv4/y.hpp",
                  "namespace mcnet::ipv4 {\n"
                  "template <class T> using maybe = result<T>;\n"
                  "void take(result<int> r, const result<void>& s);\n"
                  "std::vector<result<int>> many();\n"
                  "auto lambda_user() -> result<int>;\n"
                  "// result<void> in_a_comment();\n"
                  "inline int body() {\n  result<int> r = 1;\n  result<void> v(call());\n  return *r;\n}\n"
                  "inline constexpr thing t{result<int>{}};\n"
                  "}\n"};
  EXPECT_TRUE(check_nodiscard(fine).empty()) << describe(check_nodiscard(fine));
  const file elsewhere{"tools/common/include/mcnet/tools/z.hpp", "result<void> f();\n"};
  EXPECT_TRUE(check_nodiscard(elsewhere).empty()) << "the rule is for the library layers' public headers";
  const file source{"core/src/z.cpp", "result<void> f();\n"};
  EXPECT_TRUE(check_nodiscard(source).empty());
}

// ------------------------------------------------------------ the real tree

class LayeringTree : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { files_ = new std::vector<file>(repository_files()); }
  static void TearDownTestSuite() {
    delete files_;
    files_ = nullptr;
  }
  static const std::vector<file>& files() { return *files_; }

 private:
  static inline std::vector<file>* files_ = nullptr;
};

TEST_F(LayeringTree, SeesEveryLayer) {
  std::set<std::string> seen;
  for (const auto& f : files()) {
    if (is_source(f.path)) seen.insert(f.path.begin()->string());
  }
  for (const char* layer : {"core", "ipv4", "ipv6", "netlink", "tools", "examples", "tests"}) {
    EXPECT_TRUE(seen.count(layer)) << "no source file under " << layer << "/ in " << root;
  }
}

TEST_F(LayeringTree, IncludesFollowTheLayers) {
  const auto exists = [](const fs::path& p) { return fs::is_regular_file(root / p); };
  std::vector<violation> all;
  for (const auto& f : files()) {
    if (!is_source(f.path)) continue;
    auto v = check_includes(f, exists);
    all.insert(all.end(), v.begin(), v.end());
  }
  EXPECT_TRUE(all.empty()) << "forbidden includes:\n" << describe(all);
}

TEST_F(LayeringTree, LinkLinesFollowTheLayers) {
  std::vector<violation> all;
  std::size_t read = 0;
  for (const auto& f : files()) {
    if (f.path.filename() != "CMakeLists.txt") continue;
    ++read;
    auto v = check_cmake(f);
    all.insert(all.end(), v.begin(), v.end());
  }
  EXPECT_GE(read, 5u);
  EXPECT_TRUE(all.empty()) << "forbidden link or include-directory lines:\n" << describe(all);
}

TEST_F(LayeringTree, SocketCallsOnlyInSysAndTheNetlinkTransport) {
  std::vector<violation> all;
  for (const auto& f : files()) {
    if (!is_source(f.path)) continue;
    auto v = check_system_calls(f);
    all.insert(all.end(), v.begin(), v.end());
  }
  EXPECT_TRUE(all.empty()) << "socket system calls outside core/src/sys and the netlink transport:\n" << describe(all);
}

TEST_F(LayeringTree, ToolsSerializeJsonOnlyByJsonText) {
  std::vector<violation> all;
  for (const auto& f : files()) {
    if (!is_source(f.path)) continue;
    auto v = check_json_text(f);
    all.insert(all.end(), v.begin(), v.end());
  }
  EXPECT_TRUE(all.empty()) << "JSON serialized without json_text():\n" << describe(all);
}

TEST_F(LayeringTree, TheProjectStandsAlone) {
  std::vector<violation> all;
  for (const auto& f : files()) {
    auto v = check_stands_alone(f);
    all.insert(all.end(), v.begin(), v.end());
  }
  EXPECT_TRUE(all.empty()) << "files that point outside the repository:\n" << describe(all);
}

TEST_F(LayeringTree, PublicResultsAreNodiscard) {
  std::vector<violation> all;
  std::size_t headers = 0;
  for (const auto& f : files()) {
    if (f.path.extension() != ".hpp") continue;
    ++headers;
    auto v = check_nodiscard(f);
    all.insert(all.end(), v.begin(), v.end());
  }
  EXPECT_GE(headers, 20u);
  EXPECT_TRUE(all.empty()) << "public calls whose error may be ignored:\n" << describe(all);
}

}  // namespace
}  // namespace mcnet::test::layering
