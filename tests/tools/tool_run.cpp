// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include "tool_run.hpp"

#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstring>
#include <fstream>
#include <limits>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

#include <mcnet/core/dial.hpp>
#include <mcnet/core/socket_ops.hpp>
#include <mcnet/tools/cli.hpp>

namespace mcnet::test::tools {

std::optional<std::pair<std::string, std::string>> interrupted_in_child(
    const std::function<std::pair<std::string, std::string>()>& run) {
  int fds[2];
  if (::pipe(fds) != 0) return std::nullopt;
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    return std::nullopt;
  }
  if (pid == 0) {
    ::close(fds[0]);
    mcnet::tools::stop_on_signals();
    ::kill(::getpid(), SIGINT);
    const auto [err, out] = run();
    const auto text = err + '\x1e' + out;
    (void)!::write(fds[1], text.data(), text.size());
    ::_exit(0);
  }
  ::close(fds[1]);
  std::string got;
  char buf[4096];
  for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;) got.append(buf, static_cast<std::size_t>(n));
  ::close(fds[0]);
  int status = 0;
  if (::waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) return std::nullopt;
  const auto split = got.find('\x1e');
  if (split == std::string::npos) return std::nullopt;
  return std::pair(got.substr(0, split), got.substr(split + 1));
}

std::uint16_t free_port(const host& h) {
  return h.run([] {
    auto s = core::listen_udp(core::endpoint::parse("0.0.0.0:0").value()).value();
    return core::local_endpoint(s).value().port();
  });
}

std::set<int> netns_ids(const host& h) {
  std::set<int> ids;
  const auto out = h.exec({"ip", "netns", "list-id"}).standard_output;
  for (auto at = out.find("nsid "); at != std::string::npos; at = out.find("nsid ", at + 5)) {
    ids.insert(std::stoi(out.substr(at + 5)));
  }
  return ids;
}

std::vector<json> json_lines(const std::string& text) {
  std::vector<json> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.front() == '{') out.push_back(json::parse(line));
  }
  return out;
}

const json* find_event(const std::vector<json>& events, const char* name) {
  for (const auto& e : events) {
    if (e.contains("event") && e["event"] == name) return &e;
  }
  return nullptr;
}

namespace {

// The schema, parsed once (MCNET_TOOLS_SCHEMA: docs/mcast-tools.schema.json).
const valijson::Schema& tools_schema() {
  static const auto schema = [] {
    std::ifstream in(MCNET_TOOLS_SCHEMA);
    if (!in) throw std::runtime_error("cannot read " MCNET_TOOLS_SCHEMA);
    const json doc = json::parse(in);
    auto s = std::make_unique<valijson::Schema>();
    valijson::SchemaParser parser;
    valijson::adapters::NlohmannJsonAdapter adapter(doc);
    parser.populateSchema(adapter, *s);
    return s;
  }();
  return *schema;
}

}  // namespace

std::vector<std::string> schema_errors(const json& line) {
  valijson::Validator validator(valijson::Validator::kStrongTypes);
  valijson::ValidationResults results;
  valijson::adapters::NlohmannJsonAdapter target(line);
  std::vector<std::string> out;
  if (validator.validate(tools_schema(), target, &results)) return out;
  valijson::ValidationResults::Error e;
  while (results.popError(e)) {
    std::string where;
    for (const auto& c : e.context) where += c;
    out.push_back(where + ": " + e.description);
  }
  return out;
}

json summary_verdict(const std::string& standard_output) {
  expect_schema_conform(standard_output);
  const auto events = json_lines(standard_output);
  const auto* summary = find_event(events, "summary");
  EXPECT_NE(summary, nullptr) << standard_output;
  return summary != nullptr ? (*summary)["verdict"] : json();
}

void expect_schema_conform(const std::string& output) {
  std::istringstream in(output);
  std::string line;
  std::size_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    json j;
    try {
      j = json::parse(line);
    } catch (const json::exception& ex) {
      ADD_FAILURE() << "stdout line " << number << " is not JSON (" << ex.what() << "): " << line;
      continue;
    }
    if (!j.is_object()) {
      ADD_FAILURE() << "stdout line " << number << " is not an object: " << line;
      continue;
    }
    auto errors = schema_errors(j);
    if (errors.empty()) continue;
    std::string all;
    for (const auto& e : errors) all += "\n  " + e;
    ADD_FAILURE() << "stdout line " << number << " breaks docs/mcast-tools.schema.json:" << all << "\n" << line;
  }
}

bool shows_within(process& p, const std::string& needle, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (p.standard_output().find(needle) != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

bool wait_started(process& p, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  for (;;) {
    const auto out = p.standard_output();
    if (out.find("\"event\":\"start\"") != std::string::npos ||
        out.find("receive buffer per socket") != std::string::npos || out.starts_with("event,time,")) {
      return true;
    }
    if (std::chrono::steady_clock::now() >= deadline) return false;
    if (p.wait_for(std::chrono::milliseconds(10))) return false;  // it ended (an error, or --quiet)
  }
}

run_result receive_while(const host& rx, std::vector<std::string> args, const std::function<void()>& send,
                         std::chrono::milliseconds settle) {
  args.insert(args.begin(), MCAST_RECV);
  auto p = rx.start(args);
  // Joined before the first datagram; at most 10 s (a loaded machine under
  // ASan took more than a fixed 300 ms: the unicast sent meanwhile met no
  // socket and the next send() failed with ECONNREFUSED), then `settle`.
  // A run that ended (an error, or --quiet) has nothing to wait for.
  (void)wait_started(p);
  std::this_thread::sleep_for(settle);
  send();
  auto st = p.wait_for(std::chrono::seconds(20));
  if (!st) st = p.stop(SIGKILL);
  return {*st, p.output(), p.standard_output()};
}

schedule_fit fit_schedule(const std::vector<double>& sent_ms, double started_ms, double pps, std::size_t burst) {
  schedule_fit fit;
  if (sent_ms.empty()) return fit;
  const auto due_ms = [&](std::size_t i) { return static_cast<double>(i / burst * burst) * 1e3 / pps; };
  fit.earliest_ms = std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < sent_ms.size(); ++i) {
    const double late = sent_ms[i] - started_ms - due_ms(i);
    if (late < fit.earliest_ms) {
      fit.earliest_ms = late;
      fit.earliest_at = i;
    }
    if (i > 0) {
      fit.longest_stall_ms =
          std::max(fit.longest_stall_ms, sent_ms[i] - sent_ms[i - 1] - (due_ms(i) - due_ms(i - 1)));
    }
  }
  // Counted from the least late: the start event may have come out a stall
  // before the run's own start.
  fit.last_late_ms = sent_ms.back() - started_ms - due_ms(sent_ms.size() - 1) - fit.earliest_ms;
  return fit;
}

void expect_kept_schedule(const schedule_fit& fit) {
  // The start event's time was read before the run's own start; 0.1 ms for
  // the realtime clock's slew against the steady one the pacer goes by
  // (0.05 ms in 100 ms at most) and the event's double of seconds (~0.2 us).
  EXPECT_GE(fit.earliest_ms, -0.1) << "datagram " << fit.earliest_at
                                   << " went before its time: never faster than the rate";
  EXPECT_LE(fit.last_late_ms, fit.longest_stall_ms + 2.0)
      << "a stall only delays: the sender catches up, its lateness is its last stall's at most, not their sum";
}

void send_from(const network& net, std::initializer_list<std::size_t> senders, const std::vector<std::string>& args) {
  for (const auto i : senders) {
    std::vector<std::string> argv{MCAST_SEND};
    argv.insert(argv.end(), args.begin(), args.end());
    const auto s = net[i].exec(argv);
    EXPECT_TRUE(s.status.success()) << net[i].name() << ": " << s.status.describe() << "\n" << s.output;
  }
}

void send_together(const std::vector<std::pair<const host*, std::vector<std::string>>>& runs) {
  std::vector<process> running;
  for (const auto& [h, args] : runs) {
    std::vector<std::string> argv{MCAST_SEND};
    argv.insert(argv.end(), args.begin(), args.end());
    running.push_back(h->start(argv));
  }
  for (std::size_t i = 0; i < running.size(); ++i) {
    auto st = running[i].wait_for(std::chrono::seconds(10));
    if (!st) st = running[i].stop(SIGKILL);
    EXPECT_TRUE(st->success()) << runs[i].first->name() << ": " << st->describe() << "\n" << running[i].output();
  }
}

void send_together(const std::vector<const host*>& senders, const std::vector<std::string>& args) {
  std::vector<std::pair<const host*, std::vector<std::string>>> runs;
  for (const auto* h : senders) runs.emplace_back(h, args);
  send_together(runs);
}

run_result receive_while_sending(const host& rx, std::vector<std::string> recv_args, const network& net,
                                 std::initializer_list<std::size_t> senders, const std::vector<std::string>& send_args) {
  std::vector<const host*> hosts;
  for (const auto i : senders) hosts.push_back(&net[i]);
  return receive_while(rx, std::move(recv_args), [&] { send_together(hosts, send_args); });
}

process hold_membership(const host& rx, const std::string& python, const std::string& group,
                        const std::string& iface) {
  const bool v6 = group.find(':') != std::string::npos;
  const std::string script =
      std::string("import socket, struct, sys, time\nv6 = ") + (v6 ? "True" : "False") + "\ng = '" + group +
      "'\ni = socket.if_nametoindex('" + iface + "')\n" +
      "if v6:\n"
      "    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)\n"
      "    s.bind(('::', 0))\n"
      "    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP, socket.inet_pton(socket.AF_INET6, g) + struct.pack('@I', i))\n"
      "else:\n"
      "    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
      "    s.bind(('0.0.0.0', 0))\n"
      "    s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, struct.pack('4s4si', socket.inet_aton(g), socket.inet_aton('0.0.0.0'), i))\n"
      "print('joined', flush=True)\n"
      "time.sleep(30)\n";
  auto holder = rx.start({python, "-c", script});
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (holder.standard_output().find("joined") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline && !holder.wait_for(std::chrono::milliseconds(10))) {
  }
  return holder;
}

void broadcast_chatter(const host& tx, const std::string& python, const std::string& iface, int count) {
  const std::string script = std::string("import socket, time\n"
                                           "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
                                           "s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)\n"
                                           "s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, b'") +
                             iface + "')\n" + std::string("for i in range(") + std::to_string(count) +
                             "):\n"
                             "    s.sendto(b'chatter', ('255.255.255.255', 137))\n"
                             "    time.sleep(0.01)\n";
  const auto r = tx.exec({python, "-c", script}, {}, std::chrono::seconds(20));
  EXPECT_TRUE(r.status.success()) << r.output;
}

}  // namespace mcnet::test::tools
