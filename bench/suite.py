#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The mcnet authors
"""The whole benchmark suite in one run, printed as a table of ratios.

Everything that sends runs in two private network namespaces this script
creates (a veth pair, 10.77.0.1 and 10.77.0.2) and removes on exit; nothing
reaches the host's interfaces. Needs root.

  bench/suite.py [--quick] [--build DIR] [--json FILE] [--parts receive,exact,send,library]

Parts, each a ratio measured in this run (absolute figures are context):
- receive: mcast-send paced at each rate -> a receiver pinned on CPU 1 (the
  sender on CPU 0): mcast-recv with its defaults and with a 4 MiB buffer,
  against the hand-written C receiver (bench/c_recv.c) with the kernel's
  default buffer and with 4 MiB, and, in builds with liburing, the same
  receiver on io_uring (bench/uring_recv.cpp: core::uring_receiver's
  multishot recvmsg in place of poll + recvmmsg) and `mcast-recv
  --io-uring` (its defaults and 4 MiB), each with both buffers; the
  io_uring mcast-recv's CPU per datagram is also given over mcast-recv's
  with the same buffer, the figure that decides its default. CPU per datagram is the receiver's user +
  system time (wait4's rusage) over the datagrams it received; loss is what
  each receiver counted from the sequence numbers.
- exact: mcast-send unpaced -> mcast-recv with its defaults, COUNT
  datagrams: mcast-recv's packets must equal mcast-send's sent, 0 lost.
- send: mcast-send unpaced against the C sendmmsg(32) sender
  (bench/c_send.c) on a connected socket, each with the C receiver
  draining: datagrams per second as each sender reports it, and CPU per
  datagram; 5 alternating runs each, the ratio of the medians (one run
  on a veth is bimodal).
- library: the datagram benchmark's ratios to raw recvmmsg/recvmsg/
  sendmmsg/sendmsg loops and its allocations per datagram; UDP_SEGMENT and
  UDP_GRO against sendmmsg and recvmmsg (mcnet_gso_bench, its own
  namespaces); receive latency and CPU at 10,000 datagrams a second for a
  raw blocking recvmsg loop, the library's wait policies and SO_BUSY_POLL
  (mcnet_latency_bench, its own namespaces); joining 1,000 groups on sharded sockets: a raw setsockopt
  loop, the library and mcast-recv's set-up (mcnet_joins_bench, its own
  namespace); the feed, tools and netlink benchmarks' ratio tables as they
  print them.

The receive table's columns:
- receiver: `c` the C recvmmsg receiver (bench/c_recv.c), `uring` the C
  receiver on io_uring (mcnet_uring_recv), `mcast-recv`, and `mcast-recv
  --io-uring`.
- rcvbuf: what the receiver asked for: 4194304, or `kernel` (the C
  receivers ask nothing: the kernel's default, net.core.rmem_default) or
  `auto` (mcast-recv's own default: net.core.rmem_max, at most 8 MiB);
  granted: SO_RCVBUF as the kernel gave it.
- received, lost (from the sequence numbers), kdrops (the socket's drops).
- ns/dgram: the receiver's CPU per datagram; vs C 4MiB: that over the C
  receiver's with 4 MiB; vs recvmmsg: `mcast-recv --io-uring`'s over
  mcast-recv's with the same rcvbuf; dg/read: datagrams a read.

The library part's first table (each call against its raw loop, separate
benchmarks) drifts with the machine's load: quote the alternating table's
medians, beside the noise floor (the raw recvmmsg loop against itself).
Losses in the UDP_GRO / UDP_SEGMENT and latency tables are said under
them: their figures cover what arrived.

The load average is printed at the start and the end (and is in --json:
load_start, load_end): every figure depends on it.

--quick runs every part with small counts: it checks that each benchmark
runs and prints (CI), not the figures. Exit 0 when every part ran; 1 with a
message when one failed to run. The figures are never judged here.
"""

import argparse
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time

TAG = f"mcnet-suite-{os.getpid()}"
TX, RX = f"{TAG}-tx", f"{TAG}-rx"
GROUP = "239.255.77.1"
SIZE = 64
SENDER_CPU, RECEIVER_CPU = "0", "1"


class SuiteError(Exception):
    pass


def sh(*argv, check=True, timeout=30):
    r = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
    if check and r.returncode != 0:
        raise SuiteError(f"{' '.join(argv)}: {r.stderr.strip() or r.returncode}")
    return r.stdout


def make_namespaces():
    sh("ip", "netns", "add", TX)
    sh("ip", "netns", "add", RX)
    sh("ip", "-n", TX, "link", "add", "eth0", "type", "veth", "peer", "name", "eth0", "netns", RX)
    for ns, addr in ((TX, "10.77.0.1/24"), (RX, "10.77.0.2/24")):
        sh("ip", "-n", ns, "link", "set", "lo", "up")
        sh("ip", "-n", ns, "link", "set", "eth0", "up")
        sh("ip", "-n", ns, "address", "add", addr, "dev", "eth0")
    # A veth carries traffic once linkwatch saw it up.
    for _ in range(50):
        if sh("ip", "netns", "exec", RX, "cat", "/sys/class/net/eth0/operstate").strip() == "up":
            return
        time.sleep(0.1)
    raise SuiteError("the veth pair did not come up within 5 s")


def remove_namespaces():
    for ns in (TX, RX):
        subprocess.run(["ip", "netns", "delete", ns], capture_output=True)


class Proc(subprocess.Popen):
    """A process whose CPU time is kept: reaped with wait4 (never with
    Popen's poll or wait, which would lose its rusage)."""

    cpu_s = None

    def reap(self):
        """Whether it ended (reaping it, once, with its user + system time)."""
        if self.cpu_s is None:
            pid, status, usage = os.wait4(self.pid, os.WNOHANG)
            if pid != self.pid:
                return False
            self.returncode = os.waitstatus_to_exitcode(status)
            self.cpu_s = usage.ru_utime + usage.ru_stime
        return True


def start(ns, cpu, argv):
    """A process in namespace `ns` pinned on `cpu`; ip netns exec and taskset
    exec into it, so its pid and rusage are the program's own."""
    return Proc(["ip", "netns", "exec", ns, "taskset", "-c", cpu] + argv, stdout=subprocess.PIPE,
                stderr=subprocess.PIPE, text=True)


def wait_line(p, pattern, seconds):
    """Reads `p`'s stdout until a line matches `pattern` (the receiver is
    ready); the lines read are returned so that none is lost."""
    deadline = time.monotonic() + seconds
    lines = []
    while time.monotonic() < deadline:
        line = p.stdout.readline()
        if not line:
            break
        lines.append(line)
        if re.search(pattern, line):
            return lines
    raise SuiteError(f"{' '.join(p.args[5:])}: not ready within {seconds} s")


def finish(p, seconds):
    """Waits for `p` (killing it past `seconds`): its stdout, stderr and CPU
    seconds (user + system, from wait4)."""
    deadline = time.monotonic() + seconds
    while not p.reap():
        if time.monotonic() > deadline:
            p.kill()
            raise SuiteError(f"{' '.join(p.args[5:])}: still running after {seconds} s")
        time.sleep(0.02)
    return p.stdout.read(), p.stderr.read(), p.cpu_s


def stop_after(p, seconds):
    """Gives a receiver `seconds` to stop by itself (its count reached, or
    the sender's END), then ends it with SIGINT (it prints its summary)."""
    deadline = time.monotonic() + seconds
    while not p.reap() and time.monotonic() < deadline:
        time.sleep(0.05)
    if not p.reap():
        p.send_signal(signal.SIGINT)


def parse_pairs(text):
    line = [l for l in text.splitlines() if "=" in l][-1]
    return {k: float(v) for k, v in (kv.split("=") for kv in line.split())}


def summary_of(text):
    for line in text.splitlines():
        e = json.loads(line)
        if e.get("event") == "summary":
            return e
    raise SuiteError("no summary event")


class Tools:
    def __init__(self, build):
        self.send = os.path.join(build, "tools", "mcast-send")
        self.recv = os.path.join(build, "tools", "mcast-recv")
        self.c_recv = os.path.join(build, "bench", "mcnet_c_recv")
        self.c_send = os.path.join(build, "bench", "mcnet_c_send")
        for f in (self.send, self.recv, self.c_recv, self.c_send):
            if not os.access(f, os.X_OK):
                raise SuiteError(f"{f}: not built (scripts/build.sh release)")
        # Built only with liburing (MCNET_WITH_IO_URING).
        self.uring_recv = os.path.join(build, "bench", "mcnet_uring_recv")
        if not os.access(self.uring_recv, os.X_OK):
            self.uring_recv = None


def receive_once(t, receiver, port, rate, count):
    """One paced run: mcast-send -r RATE -c COUNT into `receiver`; returns
    the receiver's figures."""
    spec = f"{GROUP}:{port}"
    limit = count / rate + 15
    if receiver[0] in ("c", "uring"):
        program = t.c_recv if receiver[0] == "c" else t.uring_recv
        argv = [program, GROUP, str(port), "eth0", str(count), "1000"] + ([str(receiver[1])] if receiver[1] else [])
        rx = start(RX, RECEIVER_CPU, argv)
        wait_line(rx, r"^joined", 10)
    else:
        extra = ["--rcvbuf", str(receiver[1]), "--force"] if receiver[1] else []
        if receiver[0] == URING_RECV:
            extra.append("--io-uring")
        argv = [t.recv, "-i", "eth0", "--json", "-c", str(count), "-d", f"{limit:.0f}"] + extra + [spec]
        rx = start(RX, RECEIVER_CPU, argv)
        early = wait_line(rx, r'"event": *"start"', 10)
    tx = start(TX, SENDER_CPU, [t.send, "-i", "eth0", "--json", "-r", f"{rate}pps", "-c", str(count), "--size",
                                str(SIZE), spec])
    tx_out, tx_err, _ = finish(tx, limit + 5)
    if tx.returncode != 0:
        raise SuiteError(f"mcast-send exit {tx.returncode}: {tx_err.strip()}")
    sent = summary_of(tx_out)["total"]["sent"]
    stop_after(rx, 3)
    out, err, cpu = finish(rx, 30)
    if rx.returncode not in (0, 3):
        raise SuiteError(f"{receiver[0]} receiver exit {rx.returncode}: {err.strip()}")
    per_read = None  # mcast-recv's datagrams per read (its summary's reads)
    if receiver[0] in ("c", "uring"):
        f = parse_pairs(out)
        got, lost, drops, granted = f["received"], f["lost"], f["kernel_drops"], f["rcvbuf"]
    else:
        events = [json.loads(l) for l in early + out.splitlines() if l.strip()]
        summary = next(e for e in events if e["event"] == "summary")
        s = summary["total"]
        got, lost, drops = s["packets"], s["lost"], s["kernel_drops"]
        granted = next(e for e in events if e["event"] == "start")["rcvbuf"]["granted"]
        per_read = summary["reads"]["datagrams_per_call"]
    return {"sent": sent, "received": got, "lost": lost, "kernel_drops": drops, "rcvbuf": granted,
            "cpu_s": cpu, "ns_per_dgram": cpu * 1e9 / got if got else float("nan"), "datagrams_per_read": per_read}


URING_RECV = "mcast-recv --io-uring"


def receive_part(t, quick, results):
    rates = [20000] if quick else [100000, 160000]
    count = 20000 if quick else 1000000
    receivers = [("c", 0), ("c", 4194304), ("mcast-recv", 0), ("mcast-recv", 4194304)]
    if t.uring_recv:
        receivers += [("uring", 0), ("uring", 4194304), (URING_RECV, 0), (URING_RECV, 4194304)]
    port = 40000 + os.getpid() % 10000
    rows = []
    for rate in rates:
        figures = {}
        for r in list(receivers):
            if r not in receivers:
                continue  # left out by a failure above
            port += 1
            try:
                figures[r] = receive_once(t, r, port, rate, count)
            except SuiteError as e:
                if r[0] not in ("uring", URING_RECV):
                    raise
                # io_uring refused here (kernel.io_uring_disabled, a seccomp
                # filter): the optional backend is left out, the rest runs.
                print(f"suite: the io_uring receivers are left out: {e}", file=sys.stderr)
                receivers = [x for x in receivers if x[0] not in ("uring", URING_RECV)]
        base = figures[("c", 4194304)]["ns_per_dgram"]
        for r in receivers:
            f = figures[r]
            # Which default: the kernel's for the C receivers, mcast-recv's own.
            default = "kernel" if r[0] in ("c", "uring") else "auto"
            row = {"rate_pps": rate, "receiver": r[0], "rcvbuf_asked": r[1] or default, **f,
                   "ratio_to_c_4mib": f["ns_per_dgram"] / base}
            if r[0] == URING_RECV:
                row["ratio_to_mcast_recv"] = f["ns_per_dgram"] / figures[("mcast-recv", r[1])]["ns_per_dgram"]
            rows.append(row)
    results["receive"] = rows
    print(f"\nreceive: {count} datagrams of {SIZE} bytes per run, mcast-send paced; sender on CPU {SENDER_CPU}, "
          f"receiver on CPU {RECEIVER_CPU}")
    print(f"{'rate pps':>9} {'receiver':<21} {'rcvbuf':>8} {'granted':>9} {'received':>9} {'lost':>7} "
          f"{'kdrops':>7} {'ns/dgram':>9} {'vs C 4MiB':>9} {'vs recvmmsg':>11} {'dg/read':>7}")
    for r in rows:
        vs = f"{r['ratio_to_mcast_recv']:>11.3f}" if "ratio_to_mcast_recv" in r else f"{'':>11}"
        per_read = f"{r['datagrams_per_read']:>7.1f}" if r["datagrams_per_read"] else f"{'':>7}"
        print(f"{r['rate_pps']:>9} {r['receiver']:<21} {str(r['rcvbuf_asked']):>8} {r['rcvbuf']:>9.0f} "
              f"{r['received']:>9.0f} {r['lost']:>7.0f} {r['kernel_drops']:>7.0f} {r['ns_per_dgram']:>9.0f} "
              f"{r['ratio_to_c_4mib']:>9.3f} {vs} {per_read}")


def exact_part(t, quick, results):
    count = 100000 if quick else 10000000
    port = 50000 + os.getpid() % 10000
    spec = f"{GROUP}:{port}"
    limit = 600
    rx = start(RX, RECEIVER_CPU, [t.recv, "-i", "eth0", "--json", "-c", str(count), "-d", str(limit), spec])
    early = wait_line(rx, r'"event": *"start"', 10)
    tx = start(TX, SENDER_CPU, [t.send, "-i", "eth0", "--json", "-c", str(count), "--size", str(SIZE), spec])
    tx_out, tx_err, _ = finish(tx, limit)
    if tx.returncode != 0:
        raise SuiteError(f"mcast-send exit {tx.returncode}: {tx_err.strip()}")
    sent = summary_of(tx_out)["total"]
    stop_after(rx, 3)
    out, err, cpu = finish(rx, 30)
    total = next(json.loads(l) for l in (early + out.splitlines())[::-1] if '"summary"' in l)["total"]
    row = {"sent": sent["sent"], "rate_pps": sent["rate_pps"], "received": total["packets"], "lost": total["lost"],
           "kernel_drops": total["kernel_drops"], "exact": total["packets"] == sent["sent"] and total["lost"] == 0}
    results["exact"] = row
    print(f"\nexact: mcast-send unpaced -> mcast-recv (defaults), {count} datagrams")
    print(f"  sent {row['sent']} at {row['rate_pps']:.0f} pps; received {row['received']}, lost {row['lost']}, "
          f"kernel drops {row['kernel_drops']}: {'exact' if row['exact'] else 'NOT EXACT'}")


def send_part(t, quick, results):
    """mcast-send unpaced against the C sendmmsg sender, alternating runs.
    One run's rate is bimodal on this veth (the receiving namespace's
    softirq runs on the sender's CPU or not, ~390 k vs ~640 k pps for
    either sender), so RUNS pairs alternate (C, mcast-send, C, ...) and the
    ratio of the medians is the figure; every run is printed."""
    count = 20000 if quick else 2000000
    pairs = 1 if quick else 5
    port = 60000 + os.getpid() % 5000
    runs = {"c": [], "mcast-send": []}
    for _ in range(pairs):
        for sender in ("c", "mcast-send"):
            port += 1
            rx = start(RX, RECEIVER_CPU, [t.c_recv, GROUP, str(port), "eth0", str(count), "1000", "4194304"])
            wait_line(rx, r"^joined", 10)
            if sender == "c":
                tx = start(TX, SENDER_CPU, [t.c_send, GROUP, str(port), "eth0", str(count), str(SIZE)])
            else:
                tx = start(TX, SENDER_CPU, [t.send, "-i", "eth0", "--json", "-c", str(count), "--size", str(SIZE),
                                            f"{GROUP}:{port}"])
            out, err, cpu = finish(tx, 300)
            if tx.returncode != 0:
                raise SuiteError(f"{sender} sender exit {tx.returncode}: {err.strip()}")
            pps = parse_pairs(out)["pps"] if sender == "c" else summary_of(out)["total"]["rate_pps"]
            rx_out, _, _ = finish(rx, 30)
            got = parse_pairs(rx_out)
            runs[sender].append({"pps": pps, "cpu_s": cpu, "ns_per_dgram": cpu * 1e9 / count,
                                 "received": got["received"], "lost": got["lost"]})
    rows = {"runs": runs}
    for s in runs:
        rows[s] = {k: statistics.median(r[k] for r in runs[s]) for k in runs[s][0]}
    rows["ratio_pps"] = rows["mcast-send"]["pps"] / rows["c"]["pps"]
    rows["ratio_cpu"] = rows["mcast-send"]["ns_per_dgram"] / rows["c"]["ns_per_dgram"]
    results["send"] = rows
    print(f"\nsend: {count} datagrams of {SIZE} bytes unpaced, the C receiver draining; "
          f"{pairs} alternating run{'s' if pairs > 1 else ''} per sender")
    print(f"{'sender':<11} {'run':>4} {'pps':>10} {'ns/dgram':>9} {'received':>9} {'lost':>7}")
    for s in ("c", "mcast-send"):
        for i, r in enumerate(runs[s] + [rows[s]]):
            label = str(i + 1) if i < len(runs[s]) else "med"
            print(f"{s:<11} {label:>4} {r['pps']:>10.0f} {r['ns_per_dgram']:>9.0f} {r['received']:>9.0f} "
                  f"{r['lost']:>7.0f}")
    print(f"mcast-send / C (medians): {rows['ratio_pps']:.3f} x the rate, {rows['ratio_cpu']:.3f} x the CPU per "
          f"datagram")


def library_part(build, quick, results):
    min_time = "0.01" if quick else "0.5"
    out_json = tempfile.NamedTemporaryFile(suffix=".json", delete=False).name
    try:
        text = sh(os.path.join(build, "bench", "mcnet_datagram_bench"), f"--benchmark_min_time={min_time}",
                  "--benchmark_color=false",
                  f"--benchmark_out={out_json}", "--benchmark_out_format=json", timeout=900)
        with open(out_json) as f:
            runs = json.load(f)["benchmarks"]
    finally:
        os.unlink(out_json)
    allocs = {b["name"].replace("/manual_time", ""): b.get("allocs/dgram", 0.0) for b in runs}
    ratios = []
    for line in text.splitlines():
        m = re.match(r"^(BM_\S+)\s+(BM_\S+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)$", line)
        if m:
            ratios.append({"mcnet": m[1], "raw": m[2], "mcnet_ns": float(m[3]), "raw_ns": float(m[4]),
                           "ratio": float(m[5]), "allocs_per_dgram": allocs.get(m[1], float("nan"))})
    if not ratios:
        raise SuiteError("mcnet_datagram_bench printed no ratio")
    results["library"] = ratios
    print("\nlibrary: each call against its raw system-call loop (same run; separate benchmarks drift with the "
          "load: not the figures to quote, see the alternating table)")
    print(f"{'mcnet':<30} {'raw':<28} {'mcnet ns':>9} {'raw ns':>9} {'ratio':>7} {'allocs':>7}")
    for r in ratios:
        print(f"{r['mcnet']:<30} {r['raw']:<28} {r['mcnet_ns']:>9.1f} {r['raw_ns']:>9.1f} {r['ratio']:>7.3f} "
              f"{r['allocs_per_dgram']:>7.3f}")
    # The same calls alternating with their raw loop in one benchmark (the
    # figures to quote: separate benchmarks drift with the machine's load):
    # the means and their ratio, then the medians of the iterations and
    # theirs, which a preempted iteration does not move. The raw recvmmsg
    # loop against itself (BM_interleaved_raw_recvmmsg) shows what the
    # harness gives two equal loops.
    alternating = []
    number = r"\s+([\d.]+)"
    for line in text.splitlines():
        m = re.match(r"^(BM_interleaved_\S+)\s+raw, alternating" + number * 6 + "$", line)
        if m:
            alternating.append({"mcnet": m[1], "mcnet_ns": float(m[2]), "raw_ns": float(m[3]), "ratio": float(m[4]),
                                "mcnet_p50_ns": float(m[5]), "raw_p50_ns": float(m[6]),
                                "median_ratio": float(m[7])})
    if not alternating:
        raise SuiteError("mcnet_datagram_bench printed no alternating figures")
    results["library_alternating"] = alternating
    print("\nlibrary, alternating with the raw loop in one benchmark (the figures to quote: the medians)")
    print(f"{'mcnet':<40} {'mcnet ns':>9} {'raw ns':>9} {'ratio':>7} {'mcnet p50':>10} {'raw p50':>9} {'ratio':>7}")
    for r in alternating:
        print(f"{r['mcnet']:<40} {r['mcnet_ns']:>9.1f} {r['raw_ns']:>9.1f} {r['ratio']:>7.3f} "
              f"{r['mcnet_p50_ns']:>10.1f} {r['raw_p50_ns']:>9.1f} {r['median_ratio']:>7.3f}")
    gso = sh(os.path.join(build, "bench", "mcnet_gso_bench"), *(["--quick"] if quick else ["--count", "1000000"]),
             timeout=900)
    results["mcnet_gso_bench"] = gso
    print("\nmcnet_gso_bench (UDP_SEGMENT and UDP_GRO against sendmmsg and recvmmsg):")
    print(gso.rstrip())
    # "mode  sent  received  dg/read  sent dg/s  tx ns/dg  rx ns/dg  lost %"
    lossy = [m for m in re.finditer(r"^(\S.*?)\s+(\d+)\s+(\d+)\s+[\d.]+\s+\d+\s+[\d.]+\s+[\d.]+\s+([\d.]+)$",
                                    gso, re.M) if float(m[4]) > 0]
    if lossy:
        print("  note: " + "; ".join(f"{m[1].strip()} lost {m[4]} %" for m in lossy) +
              ": the receiver fell behind (the load, see the load average); its CPU figures are per datagram "
              "received, and a lossy mode's ratio is not one to quote")
    latency = sh(os.path.join(build, "bench", "mcnet_latency_bench"), *(["--quick"] if quick else []), timeout=300)
    results["mcnet_latency_bench"] = latency
    print("\nmcnet_latency_bench (10,000 datagrams a second, each way of waiting):")
    print(latency.rstrip())
    sent = re.search(r"\((\d+) datagrams\)", latency)
    # "  mode  p50 us  p99 us  max us  CPU/dgram  received  p50-raw"
    short = [m for m in re.finditer(r"^\s+(\S.*?)\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+\d+ ns\s+(\d+)\s+[-+][\d.]+$",
                                     latency, re.M) if sent and int(m[2]) < int(sent[1])]
    if short:
        print("  note: " + "; ".join(f"{m[1].strip()} received {m[2]} of {sent[1]}" for m in short) +
              ": datagrams lost (the receiver off its CPU under load); its percentiles cover what arrived, "
              "and its max shows the stall")
    joins = sh(os.path.join(build, "bench", "mcnet_joins_bench"), *(["--quick"] if quick else []), timeout=300)
    results["mcnet_joins_bench"] = joins
    print("\nmcnet_joins_bench (1,000 groups on sharded sockets):")
    print(joins.rstrip())
    for name, extra in (("mcnet_feed_bench", []), ("mcnet_tools_bench", []), ("mcnet_netlink_bench", [])):
        argv = [os.path.join(build, "bench", name), f"--benchmark_min_time={min_time}", "--benchmark_color=false"]
        # A custom console reporter colours whatever --benchmark_color says.
        lines = re.sub(r"\x1b\[[0-9;]*m", "", sh(*(argv + extra), timeout=900)).splitlines()
        # The ratio tables come after the benchmark listing's last row.
        rows = [i for i, l in enumerate(lines) if re.match(r"^\S+\s+[\d.]+ (ns|us|ms)\s", l)]
        tail = "\n".join(l for l in lines[rows[-1] + 1 if rows else 0:] if l.strip())
        if not tail:
            raise SuiteError(f"{name} printed no ratio")
        results[name] = tail
        print(f"\n{name}:")
        print(tail)


def load_text():
    return " ".join(f"{x:.2f}" for x in os.getloadavg()) + " (1, 5, 15 min)"


def main():
    # The whole docstring: the parts and the columns (trial t17c L4).
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="small counts: check that every part runs (CI)")
    ap.add_argument("--build", default="build/release", help="the build directory (default build/release)")
    ap.add_argument("--json", help="also write every figure to this file as JSON")
    parts = ("receive", "exact", "send", "library")
    ap.add_argument("--parts", default=",".join(parts),
                    help=f"the parts to run, comma-separated (default all: {','.join(parts)})")
    args = ap.parse_args()
    wanted = args.parts.split(",")
    if not wanted or any(p not in parts for p in wanted):
        print(f"suite: --parts takes a comma-separated list of {', '.join(parts)}; got {args.parts!r}",
              file=sys.stderr)
        return 1
    if os.geteuid() != 0:
        print("suite: needs root to create network namespaces", file=sys.stderr)
        return 1
    global RECEIVER_CPU
    if (os.cpu_count() or 1) < 2:
        if not args.quick:
            print("suite: needs 2 CPUs (the sender and the receiver are pinned apart)", file=sys.stderr)
            return 1
        RECEIVER_CPU = SENDER_CPU  # --quick only checks that everything runs
    t = Tools(args.build)
    results = {"quick": args.quick, "kernel": os.uname().release, "cpus": os.cpu_count(),
               "load_start": list(os.getloadavg())}
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    began = time.monotonic()
    try:
        make_namespaces()
        print(f"mcnet benchmark suite{' (quick: small counts, the figures mean little)' if args.quick else ''}: "
              f"{os.cpu_count()} CPUs, kernel {os.uname().release}, load average {load_text()} at the start")
        if "receive" in wanted:
            receive_part(t, args.quick, results)
        if "exact" in wanted:
            exact_part(t, args.quick, results)
        if "send" in wanted:
            send_part(t, args.quick, results)
    finally:
        remove_namespaces()
    if "library" in wanted:
        library_part(args.build, args.quick, results)
    results["load_end"] = list(os.getloadavg())
    print(f"\nsuite: {time.monotonic() - began:.0f} s, load average {load_text()} at the end")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (SuiteError, subprocess.SubprocessError, OSError, KeyError, StopIteration, ValueError) as e:
        print(f"suite: {e}", file=sys.stderr)
        sys.exit(1)
