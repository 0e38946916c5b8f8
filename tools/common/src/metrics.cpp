// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <mcnet/tools/metrics.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include <fmt/format.h>

#include <mcnet/tools/output.hpp>

namespace mcnet::tools {

using json = nlohmann::ordered_json;

std::string escape_label_value(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  // Controls, bidirectional and invisible characters as visible_text()
  // shows them (\x1b, \u202e), so that `cat` of the file runs no escape
  // sequence (trial t16u L1), after the value's own backslashes are doubled
  // as text output doubles them (text_name): a raw ESC and the four
  // characters \x1b came out alike (trial h16x). Then every backslash is
  // escaped first, as the format wants (\\, \", \n).
  for (char c : visible_text(text_name(valid_utf8(value)))) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '"': out += "\\\""; break;
      case '\n': out += "\\n"; break;
      default: out += c;
    }
  }
  return out;
}

namespace {

std::optional<std::uint64_t> counter_of(const json& stream, const char* key) {
  const auto& v = stream[key];
  if (!v.is_number_unsigned() && !v.is_number_integer()) return std::nullopt;
  return v.get<std::uint64_t>();
}

std::string text_of(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  return v.is_null() ? std::string() : json_text(v);
}

// Saturating: hostile sequence numbers make counts near 2^64 (as stream_table::sum).
void add_to(std::optional<std::uint64_t>& to, std::optional<std::uint64_t> v) {
  if (!v) return;
  if (!to) to = 0;
  if (__builtin_add_overflow(*to, *v, &*to)) to = UINT64_MAX;
}

}  // namespace

void metric_series_set::add(const json& stream, std::string_view payload, std::optional<core::kernel_time> last_packet) {
  const json& iface = stream["interface"];
  metric_labels labels{text_of(stream["group"]), text_of(stream["port"]), text_of(stream["source"]),
                       iface.is_object() ? text_of(iface["name"]) : std::string(), std::string(payload)};
  auto [slot, fresh] = index_.try_emplace(labels, series_.size());
  if (fresh) {
    series_.emplace_back();
    series_.back().labels = std::move(labels);
  }
  auto& m = series_[slot->second];
  m.packets += counter_of(stream, "packets").value_or(0);
  m.bytes += counter_of(stream, "bytes").value_or(0);
  add_to(m.lost, counter_of(stream, "lost"));
  add_to(m.reordered, counter_of(stream, "reordered"));
  add_to(m.duplicates, counter_of(stream, "duplicates"));
  std::optional<double> last;
  if (last_packet) {
    // Whole seconds and the fraction apart: 1700000000.25 stays .25, not .2499998.
    const auto whole = std::chrono::floor<std::chrono::seconds>(*last_packet);
    last = static_cast<double>(whole.time_since_epoch().count()) +
           static_cast<double>((*last_packet - whole).count()) / 1e9;
  }
  if (last && (!m.last_packet_s || *last > *m.last_packet_s)) m.last_packet_s = last;
  const json& latency = stream["latency_ns"];
  if (latency.is_object() && (!m.latency_p50_s || last.value_or(0) >= m.latency_from_s)) {
    m.latency_p50_s = latency["p50"].get<double>() / 1e9;
    m.latency_p99_s = latency["p99"].get<double>() / 1e9;
    m.latency_from_s = last.value_or(0);
  }
}

void metric_series_set::add_silent(const json& channel) {
  const json& iface = channel["interface"];
  const json& sources = channel["sources"];
  const bool include = channel["mode"] == "include" && sources.is_array() && sources.size() == 1;
  metric_labels labels{text_of(channel["group"]), text_of(channel["port"]), include ? text_of(sources[0]) : "",
                       iface.is_object() && iface["name"].is_string() ? text_of(iface["name"]) : std::string(), ""};
  if (index_.try_emplace(labels, series_.size()).second) {
    series_.emplace_back();
    series_.back().labels = std::move(labels);
  }
}

metric_series_set collect_series(const stream_table& table, interface_names& names) {
  metric_series_set out;
  for (const auto& [key, s] : table.streams()) {
    const auto j = stream_json(key, s, interface_json(s.interface_index, names.name(s.interface_index)));
    out.add(j, payload_name(key.payload), s.last_packet);
  }
  return out;
}

namespace {

std::string labels_text(const metric_labels& l) {
  return fmt::format("group=\"{}\",port=\"{}\",source=\"{}\",interface=\"{}\",payload=\"{}\"",
                     escape_label_value(l.group), escape_label_value(l.port), escape_label_value(l.source),
                     escape_label_value(l.interface), escape_label_value(l.payload));
}

void family(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

// One sample per series that knows the value.
template <class Value>
void samples(std::string& out, std::string_view name, const std::vector<metric_series>& series, Value value,
             std::string_view extra_label = {}) {
  for (const auto& m : series) {
    const auto v = value(m);
    if (!v) continue;
    out += fmt::format("{}{{{}{}}} {}\n", name, labels_text(m.labels), extra_label, *v);
  }
}

}  // namespace

std::string metrics_text(const std::vector<metric_series>& series, std::uint64_t kernel_drops, const json& lines) {
  using opt_u = std::optional<std::uint64_t>;
  std::string out;
  family(out, "mcast_recv_packets_total", "counter",
         "Datagrams received per stream since mcast-recv started (duplicates included, END markers not).");
  samples(out, "mcast_recv_packets_total", series, [](const metric_series& m) { return opt_u(m.packets); });
  family(out, "mcast_recv_bytes_total", "counter", "UDP payload bytes received per stream.");
  samples(out, "mcast_recv_bytes_total", series, [](const metric_series& m) { return opt_u(m.bytes); });
  family(out, "mcast_recv_lost_total", "counter",
         "Sequence numbers missing per stream; no sample for a payload without sequence numbers.");
  samples(out, "mcast_recv_lost_total", series, [](const metric_series& m) { return m.lost; });
  family(out, "mcast_recv_reordered_total", "counter",
         "Sequence numbers (MoldUDP64: messages) that arrived after a higher one; no sample without sequence "
         "numbers.");
  samples(out, "mcast_recv_reordered_total", series, [](const metric_series& m) { return m.reordered; });
  family(out, "mcast_recv_duplicates_total", "counter",
         "Sequence numbers (MoldUDP64: messages) that had already arrived; no sample without sequence numbers.");
  samples(out, "mcast_recv_duplicates_total", series, [](const metric_series& m) { return m.duplicates; });
  family(out, "mcast_recv_latency_seconds", "summary",
         "Kernel receive time minus the send time the payload carries, over the stream's life; "
         "no sample without a send time.");
  samples(out, "mcast_recv_latency_seconds", series, [](const metric_series& m) { return m.latency_p50_s; },
          ",quantile=\"0.5\"");
  samples(out, "mcast_recv_latency_seconds", series, [](const metric_series& m) { return m.latency_p99_s; },
          ",quantile=\"0.99\"");
  family(out, "mcast_recv_last_packet_timestamp_seconds", "gauge",
         "Unix time of the stream's latest datagram (its kernel receive timestamp).");
  samples(out, "mcast_recv_last_packet_timestamp_seconds", series,
          [](const metric_series& m) { return m.last_packet_s; });
  if (lines.is_object()) {
    // The summary's "lines" object: each line by name, then "merged".
    const auto per_line = [&](std::string_view name, const char* key, std::string_view help) {
      family(out, name, "counter", help);
      for (const auto& [line_name, line] : lines.items()) {
        if (line_name == "merged") continue;
        out += fmt::format("{}{{line=\"{}\"}} {}\n", name, escape_label_value(line_name),
                           counter_of(line, key).value_or(0));
      }
    };
    per_line("mcast_recv_line_packets_total", "packets", "Datagrams that came on each --line (end markers not counted).");
    per_line("mcast_recv_line_gaps_total", "gaps", "Sequence numbers of the merged feeds that each --line missed.");
    const auto merged_counter = [&](std::string_view name, const char* key, std::string_view help) {
      family(out, name, "counter", help);
      out += fmt::format("{} {}\n", name, counter_of(lines["merged"], key).value_or(0));
    };
    merged_counter("mcast_recv_merged_delivered_total", "delivered",
                   "Distinct sequence numbers the --line merge delivered (MoldUDP64: messages).");
    merged_counter("mcast_recv_merged_lost_total", "lost",
                   "Sequence numbers missing on every --line, final.");
    merged_counter("mcast_recv_merged_duplicates_dropped_total", "duplicates_dropped",
                   "Copies the --line merge dropped because their number was delivered already.");
  }
  family(out, "mcast_recv_kernel_drops_total", "counter",
         "Datagrams the kernel dropped for mcast-recv's sockets: full receive buffers, bad UDP checksums (as "
         "counted when read), socket filter refusals; the summary's drop_causes tells them apart.");
  out += fmt::format("mcast_recv_kernel_drops_total {}\n", kernel_drops);
  return out;
}

namespace {

struct path_parts {
  std::string dir;   // "." when the path has no slash
  std::string name;  // after the last slash
  std::string temp;  // the temporary file next to it
};

path_parts split(const std::string& path) {
  const auto slash = path.rfind('/');
  path_parts p;
  p.dir = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
  p.name = slash == std::string::npos ? path : path.substr(slash + 1);
  p.temp = (slash == std::string::npos ? std::string() : path.substr(0, slash + 1)) + "." + p.name + "." +
           std::to_string(::getpid()) + ".tmp";
  return p;
}

std::string errno_text(int err) { return std::error_code(err, std::system_category()).message(); }

// Create the temporary file (O_EXCL, O_NOFOLLOW: never through a link); a
// leftover of an earlier run that had the same pid is removed first.
int create_temp(const std::string& temp) {
  constexpr int flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC;
  int fd = ::open(temp.c_str(), flags, 0666);
  if (fd < 0 && errno == EEXIST && ::unlink(temp.c_str()) == 0) fd = ::open(temp.c_str(), flags, 0666);
  return fd;
}

}  // namespace

std::optional<std::string> check_metrics_path(const std::string& path) {
  const auto bad = [&path](std::string_view why) { return fmt::format("--metrics-file {}: {}", text_name(path), why); };
  if (path.empty()) return std::string("--metrics-file: a file name is needed");
  const auto p = split(path);
  if (p.name.empty() || p.name == "." || p.name == "..") return bad("names a directory, not a file");
  struct stat st {};
  if (::stat(p.dir.c_str(), &st) != 0) {
    const int err = errno;
    return bad(err == ENOENT ? fmt::format("directory {} does not exist", text_name(p.dir))
                             : fmt::format("directory {}: {}", text_name(p.dir), errno_text(err)));
  }
  if (!S_ISDIR(st.st_mode)) return bad(fmt::format("{} is not a directory", text_name(p.dir)));
  if (::lstat(path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) return bad("is a directory");
    if (S_ISLNK(st.st_mode)) return bad("is a symbolic link (each write replaces the file: name the real path)");
    if (!S_ISREG(st.st_mode)) return bad("exists and is not a regular file (each write replaces it)");
  }
  const int fd = create_temp(p.temp);
  if (fd < 0) return bad(fmt::format("cannot create a file in directory {}: {}", text_name(p.dir), errno_text(errno)));
  ::close(fd);
  ::unlink(p.temp.c_str());
  return std::nullopt;
}

std::optional<std::string> write_metrics_file(const std::string& path, std::string_view text) {
  const auto p = split(path);
  const auto failed = [&](const char* call, const std::string& file) {
    const int err = errno;
    ::unlink(p.temp.c_str());
    return fmt::format("--metrics-file: {} {}: {}", call, text_name(file), errno_text(err));
  };
  const int fd = create_temp(p.temp);
  if (fd < 0) return fmt::format("--metrics-file: open {}: {}", text_name(p.temp), errno_text(errno));
  std::size_t done = 0;
  while (done < text.size()) {
    const auto n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      auto e = failed("write", p.temp);
      ::close(fd);
      return e;
    }
    done += static_cast<std::size_t>(n);
  }
  // The data reaches the disk before the name does: after a crash the file
  // is the previous version or this one, never empty.
  if (::fsync(fd) != 0) {
    auto e = failed("fsync", p.temp);
    ::close(fd);
    return e;
  }
  if (::close(fd) != 0) return failed("close", p.temp);
  if (::rename(p.temp.c_str(), path.c_str()) != 0) return failed("rename to", path);
  return std::nullopt;
}

bool metrics_writer::write(const stream_table& table, interface_names& names, std::uint64_t kernel_drops,
                           const reporter& out, time_point now, const json& lines, const json& channels, bool last) {
  last_ = now;
  auto set = collect_series(table, names);
  if (channels.is_array()) {
    for (const auto& c : channels) {
      if (c.contains("packets") && c["packets"] == 0) set.add_silent(c);
    }
  }
  const auto e = write_metrics_file(path_, metrics_text(set.series(), kernel_drops, lines));
  if (e && last) {
    out.warn_event(*e + " (the run's last write: the file does not hold its final counters; exit 4)",
                   "metrics_failed");
  } else if (e && !failing_) {
    out.warn_event(*e + " (the run goes on; the file is written again at the next write, the last at the run's end)",
                   "metrics_failed");
  }
  failing_ = e.has_value();
  return !e;
}

}  // namespace mcnet::tools
