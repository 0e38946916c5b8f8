// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <mcnet/tools/start_groups.hpp>

#include <algorithm>
#include <array>
#include <string_view>
#include <utility>

#include <mcnet/tools/output.hpp>
#include <mcnet/tools/report.hpp>

namespace mcnet::tools {

using json = nlohmann::ordered_json;

namespace {

// `text` as a JSON string, as json_text() writes it inside any value:
// printable ASCII but the quote and the backslash is written as it is,
// anything else (controls, DEL, bytes past ASCII, which may be no UTF-8)
// goes through json_text() itself.
void append_json_string(std::string& out, std::string_view text) {
  const bool plain = std::all_of(text.begin(), text.end(), [](char ch) {
    const auto c = static_cast<unsigned char>(ch);
    return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
  });
  if (plain) {
    out += '"';
    out += text;
    out += '"';
  } else {
    out += json_text(json(std::string(text)));
  }
}

// to_string()'s text of `a` in `buffer`, without allocating.
std::string_view address_text(const core::ip_address& a, std::array<char, core::ip_address::max_text_length>& buffer) {
  return {buffer.data(), a.to_chars(buffer)};
}

}  // namespace

const char* filter_mode_name(filter f) noexcept {
  return f == filter::any ? "any" : f == filter::include ? "include" : "exclude";
}

json start_groups_json(const std::vector<start_group>& groups) {
  json list = json::array();
  auto& items = list.get_ref<json::array_t&>();
  items.reserve(groups.size());
  for (const auto& g : groups) {
    json sources = json::array();
    for (const auto& a : g.sources) sources.push_back(a.to_string());
    // Member by member (object_builder): no initializer list per group.
    items.push_back(object_builder(5)("group", g.group.to_string())("port", g.port)("mode", filter_mode_name(g.mode))(
                        "sources", std::move(sources))("interface", interface_json(g.index, g.name))
                        .take());
  }
  return list;
}

std::string start_groups_text(const std::vector<start_group>& groups) {
  std::string out;
  out.reserve(groups.size() * 112 + 2);
  out += '[';
  std::array<char, core::ip_address::max_text_length> addr{};
  std::string iface_text;
  std::uint32_t iface_index = 0;
  const std::string* iface_name = nullptr;
  for (const auto& g : groups) {
    if (&g != groups.data()) out += ',';
    out += "{\"group\":";
    append_json_string(out, address_text(g.group, addr));
    out += ",\"port\":";
    out += std::to_string(g.port);
    out += ",\"mode\":\"";
    out += filter_mode_name(g.mode);
    out += "\",\"sources\":[";
    for (std::size_t i = 0; i < g.sources.size(); ++i) {
      if (i > 0) out += ',';
      append_json_string(out, address_text(g.sources[i], addr));
    }
    out += "],\"interface\":";
    if (iface_name == nullptr || g.index != iface_index || g.name != *iface_name) {
      iface_index = g.index;
      iface_name = &g.name;
      iface_text = "{\"name\":";
      if (g.index == 0 || g.name.empty()) {
        iface_text += "null";
      } else {
        append_json_string(iface_text, g.name);
      }
      iface_text += ",\"index\":";
      iface_text += g.index == 0 ? std::string("null") : std::to_string(g.index);
      iface_text += '}';
    }
    out += iface_text;
    out += '}';
  }
  out += ']';
  return out;
}

}  // namespace mcnet::tools
