// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include "leftovers.hpp"

#include <net/if.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace mcnet::test {
namespace {

void add_namespace_of(const std::filesystem::path& link, std::set<unsigned long>& out) {
  std::error_code ec;
  auto target = std::filesystem::read_symlink(link, ec);
  if (ec) return;
  auto text = target.string();
  if (text.rfind("net:[", 0) != 0) return;
  out.insert(std::stoul(text.substr(5)));
}

}  // namespace

inventory take_inventory() {
  inventory inv;
  if (auto* names = ::if_nameindex()) {
    for (auto* n = names; n->if_index != 0; ++n) inv.links.insert(n->if_name);
    ::if_freenameindex(names);
  }
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd", ec)) {
    add_namespace_of(entry.path(), inv.namespaces);
  }
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task", ec)) {
    std::ifstream f(task.path() / "children");
    int pid = 0;
    while (f >> pid) {
      inv.children.insert(pid);
      add_namespace_of("/proc/" + std::to_string(pid) + "/ns/net", inv.namespaces);
    }
  }
  return inv;
}

}  // namespace mcnet::test
