// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// docs/guide.md quotes the example programs, each block after a line
// "From `examples/NAME`:". Every line of a quoted block must be a line of
// that file, in the same order (lines between may be left out), so the
// guide cannot drift from code that compiles and that the other tests of
// this executable run.

#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace {

std::vector<std::string> read_lines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

TEST(GuideQuotes, EveryQuotedLineIsInItsExampleInOrder) {
  const std::string root = MCNET_SOURCE_DIR;
  const auto guide = read_lines(root + "/docs/guide.md");
  ASSERT_FALSE(guide.empty()) << "cannot read " << root << "/docs/guide.md";
  static const std::regex from(R"(^From `([^`]+)`:$)");
  std::string file;  // the file the next block quotes
  int blocks = 0;
  for (std::size_t i = 0; i < guide.size(); ++i) {
    std::smatch m;
    if (std::regex_match(guide[i], m, from)) {
      file = m[1];
      continue;
    }
    if (guide[i] != "```cpp") continue;
    ASSERT_FALSE(file.empty()) << "docs/guide.md:" << i + 1 << ": a C++ block without a \"From `FILE`:\" line";
    const auto source = read_lines(root + "/" + file);
    ASSERT_FALSE(source.empty()) << "docs/guide.md:" << i + 1 << ": cannot read " << file;
    std::size_t at = 0;  // where the next quoted line is looked for
    for (++i; i < guide.size() && guide[i] != "```"; ++i) {
      if (guide[i].empty()) continue;
      std::size_t found = at;
      while (found < source.size() && source[found] != guide[i]) ++found;
      EXPECT_LT(found, source.size()) << "docs/guide.md:" << i + 1 << " is not in " << file
                                      << " (after the previous quoted line): " << guide[i];
      if (found < source.size()) at = found + 1;
    }
    ++blocks;
    file.clear();
  }
  EXPECT_GE(blocks, 12) << "the guide quotes a block for each step";
}

}  // namespace
