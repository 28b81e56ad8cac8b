#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Turns one benchmark run (bench/run) into the results section of docs/performance.md.

Reads, from the results directory:
  codec.json       Google Benchmark JSON of wirekit_bench_codec (median aggregates)
  callgrind.out.*  callgrind dumps of wirekit_bench_codec --count-instructions=N
  streams_callgrind.out.*  the same of wirekit_bench_streams --count-instructions
  streams.json     Google Benchmark JSON of wirekit_bench_streams (median aggregates)
  node.jsonl       bench/node/framed_tcp.mjs output, one JSON object per run
  ts.jsonl         js/bench/codec.ts, tcp.ts and cpp_echo.ts output (TypeScript)
  nats.jsonl       js/bench/nats.ts output: MessageBus and Node's `nats` through nats-server
  latency.json     wirekit_bench_latency --json: round trips, pipelined, journal
  latency_syscalls.json  bench/latency_syscalls.py: system calls per round trip
  machine.json     what bench/run recorded about the machine and the build
and replaces the text between the results markers of the Markdown file with
the tables: every contender and message, ratios against the baseline measured
in the same run, instruction counts, wire sizes, and each target met or missed.
The TypeScript and the NATS results have markers of their own (bench/run --ts
and --nats measure only them); a block whose results are not in the directory is left as it is.

Standard library only (Debian's /usr/bin/python3).
"""

import argparse
import glob
import json
import os
import re
import statistics
import sys

BEGIN = "<!-- results:begin (written by bench/report.py) -->"
END = "<!-- results:end -->"
TS_BEGIN = "<!-- ts-results:begin (written by bench/report.py) -->"
TS_END = "<!-- ts-results:end -->"
NATS_BEGIN = "<!-- nats-results:begin (written by bench/report.py) -->"
NATS_END = "<!-- nats-results:end -->"

CONTENDER_NAMES = {
    "wirekit": "wirekit",
    "handwritten": "hand-written (SBE-style)",
    "flatbuffers": "FlatBuffers (table)",
    "flatbuffers-verified": "FlatBuffers (table, Verifier)",
    "flatbuffers-struct": "FlatBuffers (struct in a table)",
    "capnproto": "Cap'n Proto",
    "protobuf": "protobuf (arena)",
}
CROSS_LIBRARY_ORDER = ["wirekit", "handwritten", "flatbuffers", "flatbuffers-verified",
                       "flatbuffers-struct", "capnproto", "protobuf"]
MESSAGE_NAMES = {
    "car": "Car (SBE example)",
    "market_data": "Market data (2 entries)",
    "heartbeat": "Heartbeat (16 B)",
    "blob": "Blob (1 KiB)",
    "order": "Order (cross-library)",
}
# wirekit's cross-library targets: (contender, encode speed-up, decode speed-up).
CROSS_LIBRARY_TARGETS = [("flatbuffers", 5, 2), ("capnproto", 5, 3), ("protobuf", 10, 5)]
CODEC_RATIO_TARGET = 1.10
# The TypeScript codec's targets (issue 15): within this of hand-written DataView
# code, and this many times faster than protobufjs, to encode and to decode.
TS_HANDWRITTEN_TARGET = 1.2
TS_PROTOBUFJS_TARGET = 3
TS_CONTENDERS = [("wirekit", "wirekit TS"), ("wirekit_reused", "wirekit TS, reused (wrap())"),
                 ("wirekit_object", "wirekit TS, plain objects (read()/write())"),
                 ("handwritten_dataview", "hand-written DataView"),
                 ("protobufjs", "protobufjs"), ("flatbuffers", "flatbuffers")]
# The forms of the generated code the targets are checked for: a codec
# object per message, one kept and re-targeted with wrap(), and plain objects.
TS_FORMS = [("wirekit", ""), ("wirekit_reused", ", reused (wrap())"), ("wirekit_object", ", plain objects")]
LATENCY_CONTENDERS = {
    "raw_blocking": "raw blocking sockets",
    "raw_asio": "raw non-blocking Asio",
    "wirekit": "wirekit MessageStream",
    "wirekit_busy_poll": "wirekit MessageStream, busy polling",
    "wirekit_tls": "wirekit MessageStream, TLS",
    "node": "wirekit client, Node.js MessageStream server (js/)",
    "journal_raw": "raw write + fdatasync",
    "journal_wirekit": "MessageStream to a FileWriteStream + fdatasync",
}
# MessageStream against raw blocking sockets, one message in flight: p50, p99.9;
# with its defaults, and with the one latency option (runBusyPolling).
LATENCY_TARGET_CONTENDERS = {"wirekit": "MessageStream",
                             "wirekit_busy_poll": "MessageStream, busy polling,"}
LATENCY_P50_TARGET = 1.2
LATENCY_P999_TARGET = 1.5
PIPELINED_THROUGHPUT_TARGET = 0.8
HEARTBEAT_INSTRUCTIONS_TARGET = 20


def load_benchmark_json(path):
    """{run_name: {"median": entry, "cv": entry}} from Google Benchmark's JSON.

    A run of one repetition has no aggregates: its only entry stands as the median.
    """
    if not os.path.exists(path):
        return {}
    with open(path) as file:
        data = json.load(file)
    runs = {}
    for entry in data["benchmarks"]:
        aggregate = entry.get("aggregate_name")
        if aggregate in ("median", "cv"):
            runs.setdefault(entry["run_name"], {})[aggregate] = entry
        elif entry.get("run_type") == "iteration":
            runs.setdefault(entry["run_name"], {}).setdefault("median", entry)
    runs["__context__"] = data.get("context", {})
    return runs


def nanoseconds(entry, field="cpu_time"):
    scale = {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}[entry["time_unit"]]
    return entry[field] * scale


def load_codecs(path):
    """{(message, contender, op): {"ns", "cv", "wire"}}; cpu time, medians."""
    runs = load_benchmark_json(path)
    context = runs.pop("__context__", {})
    codecs = {}
    for name, aggregates in runs.items():
        parts = name.split("/")
        if len(parts) != 4 or parts[0] != "codec" or "median" not in aggregates:
            continue
        median = aggregates["median"]
        cv = aggregates.get("cv", {}).get("cpu_time")
        codecs[tuple(parts[1:])] = {
            "ns": nanoseconds(median),
            "cv": cv,
            "wire": int(median.get("wire_bytes", 0)),
        }
    return codecs, context


def load_callgrind(directory, prefix):
    """{name: {iterations: instructions}} from the callgrind dumps prefix.* whose
    trigger is a client request labelled "<name> <iterations>"."""
    totals = {}
    for path in glob.glob(os.path.join(directory, prefix + ".*")):
        label = total = None
        with open(path, errors="replace") as file:
            for line in file:
                if line.startswith("desc: Trigger: Client Request: "):
                    label = line[len("desc: Trigger: Client Request: "):].strip()
                elif line.startswith(("summary:", "totals:")):
                    total = int(line.split()[1])
        if label and total is not None and " " in label:
            name, iterations = label.rsplit(" ", 1)
            totals.setdefault(name, {})[int(iterations)] = total
    return totals


def per_iteration(counts):
    """The cost of one more iteration: the difference of the two smallest runs."""
    small, large = sorted(counts)[:2]
    return (counts[large] - counts[small]) / (large - small)


def load_instructions(directory):
    """{(message, contender, op): instructions per operation} from the codec
    binary's callgrind dumps, less the cost of an empty loop."""
    totals = load_callgrind(directory, "callgrind.out")
    if "empty" not in totals:
        return {}
    loop = per_iteration(totals.pop("empty"))
    counts = {}
    for name, by_iterations in totals.items():
        parts = name.split("/")
        if len(parts) == 4 and len(by_iterations) >= 2:
            counts[tuple(parts[1:])] = per_iteration(by_iterations) - loop
    return counts


def load_stream_instructions(directory):
    """{(op, frame size): instructions per message} of a MessageStream alone
    (message/receive/<size>, message/send/<size>)."""
    counts = {}
    for name, by_iterations in load_callgrind(directory, "streams_callgrind.out").items():
        match = re.fullmatch(r"message/(receive|send)/(\d+)", name)
        if match and len(by_iterations) >= 2:
            counts[(match[1], int(match[2]))] = per_iteration(by_iterations)
    return counts


def load_streams(path):
    """{(kind, contender, frame size): {"messages", "bytes", "cv"}}; medians."""
    runs = load_benchmark_json(path)
    context = runs.pop("__context__", {})
    streams = {}
    for name, aggregates in runs.items():
        match = re.fullmatch(r"(tcp|file_write|file_read)/([^/]+)/(\d+)(?:/[a-z_]+)*", name)
        if not match or "median" not in aggregates:
            continue
        median = aggregates["median"]
        streams[(match[1], match[2], int(match[3]))] = {
            "messages": median["messages_per_second"],
            "bytes": median["bytes_per_second"],
            "cv": aggregates.get("cv", {}).get("real_time"),
        }
    return streams, context


def load_node(path):
    """{(sender, frame size): median messages per second} over the Node peer's runs
    (sender "node": a Buffer per message; "node_chunked": 64 KiB chunks)."""
    if not os.path.exists(path):
        return {}
    runs = {}
    with open(path) as file:
        for line in file:
            line = line.strip()
            if line.startswith("{"):
                run = json.loads(line)
                sender = run["name"].split("/")[1]
                runs.setdefault((sender, run["frame_bytes"]), []).append(
                    run["messages_per_second"])
    return {key: statistics.median(values) for key, values in runs.items()}


def json_lines(path):
    """The JSON objects of a file of JSON lines mixed with other output."""
    with open(path) as file:
        for line in file:
            line = line.strip()
            if line.startswith("{"):
                yield json.loads(line)


def load_ts(path):
    """From js/bench/*.ts's output: ({(op, contender): ns per message}, {(kind,
    client, frame size): median messages per second}); None without the file.
    The codec's own ratio lines are not read: the report computes its ratios."""
    if not os.path.exists(path):
        return None
    codecs, runs = {}, {}
    for entry in json_lines(path):
        parts = entry["name"].split("/")
        if parts[0] == "ts" and "ns_per_op" in entry:
            codecs[(parts[2], parts[3])] = entry["ns_per_op"]
        elif parts[0] in ("tcp", "tcp_echo") and "messages_per_second" in entry:
            runs.setdefault((parts[0], parts[1], entry["frame_bytes"]), []).append(
                entry["messages_per_second"])
    return codecs, {key: statistics.median(values) for key, values in runs.items()}


def load_nats(path):
    """{(client, measure, message bytes): median messages per second} from
    js/bench/nats.ts's output; None without the file. Its ratio lines are not
    read: the report computes its ratios."""
    if not os.path.exists(path):
        return None
    runs = {}
    for entry in json_lines(path):
        parts = entry["name"].split("/")
        if parts[0] == "nats" and "messages_per_second" in entry:
            runs.setdefault((parts[1], parts[2], entry["message_bytes"]), []).append(
                entry["messages_per_second"])
    return {key: statistics.median(values) for key, values in runs.items()}


def load_json(path):
    if not os.path.exists(path):
        return None
    with open(path) as file:
        return json.load(file)


def load_latency(path):
    """({(contender, size, in flight): run}, {skipped contender: why}) from
    wirekit_bench_latency --json."""
    data = load_json(path) or {"runs": []}
    runs = {(run["contender"], run["size"], run["in_flight"]): run for run in data["runs"]}
    return runs, data.get("skipped", {})


def fmt_us(ns):
    return "—" if ns is None else f"{ns / 1000:.1f}"


def fmt_ns(value):
    if value is None:
        return "—"
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def fmt_count(value):
    return "—" if value is None else f"{value:,.0f}"


def fmt_ratio(value):
    return "—" if value is None else f"{value:.2f}×"


def fmt_rate(value):
    if value is None:
        return "—"
    for scale, unit in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if value >= scale:
            return f"{value / scale:.3g} {unit}"
    return f"{value:.3g}"


def fmt_bytes_rate(value):
    return "—" if value is None else f"{value / 1e9:.2f} GB/s"


def fmt_cv(value):
    return "—" if value is None else f"{100 * value:.0f}%"


def ratio(numerator, denominator):
    if numerator is None or denominator in (None, 0):
        return None
    return numerator / denominator


def verdict(met):
    return "—" if met is None else ("met" if met else "**missed**")


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


class Report:
    def __init__(self, codecs, instructions, streams, stream_instructions, node, machine,
                 contexts, latency=None, syscalls=None):
        self.latency, self.latency_skipped = latency or ({}, {})
        self.syscalls = (syscalls or {}).get("contenders", {})
        self.syscall_size = (syscalls or {}).get("size")
        self.codecs = codecs
        self.instructions = instructions
        self.stream_instructions = stream_instructions
        self.streams = streams
        self.node = node
        self.machine = machine
        self.contexts = contexts
        self.targets = []  # (target, measured, met)

    def time(self, message, contender, op):
        return self.codecs.get((message, contender, op), {}).get("ns")

    def instr(self, message, contender, op):
        return self.instructions.get((message, contender, op))

    def wire(self, message, contender):
        for op in ("encode", "decode"):
            entry = self.codecs.get((message, contender, op))
            if entry and entry["wire"]:
                return entry["wire"]
        return None

    def codec_section(self):
        rows = []
        for message in ("car", "market_data", "heartbeat", "blob", "order"):
            for op in ("encode", "decode"):
                base = self.time(message, "handwritten", op)
                ours = self.time(message, "wirekit", op)
                base_instr = self.instr(message, "handwritten", op)
                our_instr = self.instr(message, "wirekit", op)
                time_ratio = ratio(ours, base)
                instr_ratio = ratio(our_instr, base_instr)
                targeted = message in ("car", "market_data", "heartbeat")
                met = None
                if targeted and time_ratio is not None:
                    met = time_ratio <= CODEC_RATIO_TARGET
                    self.targets.append((
                        f"{MESSAGE_NAMES[message]} {op}: wirekit ≤ {CODEC_RATIO_TARGET}× hand-written",
                        f"{fmt_ratio(time_ratio)} time, {fmt_ratio(instr_ratio)} instructions",
                        met))
                rows.append([MESSAGE_NAMES[message], op, fmt_ns(base), fmt_ns(ours),
                             fmt_ratio(time_ratio), fmt_count(base_instr), fmt_count(our_instr),
                             fmt_ratio(instr_ratio), fmt_count(self.wire(message, "wirekit")),
                             verdict(met) if targeted else "no target"])
        for op in ("encode", "decode"):
            count = self.instr("heartbeat", "wirekit", op)
            if count is not None:
                self.targets.append((
                    f"Heartbeat {op}: under ~{HEARTBEAT_INSTRUCTIONS_TARGET} instructions",
                    f"{count:.0f} instructions", count <= HEARTBEAT_INSTRUCTIONS_TARGET))
        return "\n".join([
            "### Codecs: wirekit against the hand-written baseline",
            "",
            "Both write byte-identical messages (the harness checks it before measuring). "
            "Time: median CPU time per message in ns; instructions: callgrind, per message; "
            "ratio: wirekit ÷ hand-written (lower is better).",
            "",
            table(["message", "op", "hand-written ns", "wirekit ns", "time ratio",
                   "hand-written instr", "wirekit instr", "instr ratio", "wire bytes",
                   f"target ≤ {CODEC_RATIO_TARGET}×"], rows),
        ])

    def peer_table(self, message):
        rows = []
        ours = {op: self.time(message, "wirekit", op) for op in ("encode", "decode")}
        for contender in CROSS_LIBRARY_ORDER:
            if not any((message, contender, op) in self.codecs for op in ("encode", "decode")):
                continue
            cells = [CONTENDER_NAMES[contender], fmt_count(self.wire(message, contender))]
            for op in ("encode", "decode"):
                cells += [fmt_ns(self.time(message, contender, op)),
                          fmt_count(self.instr(message, contender, op))]
            for op in ("encode", "decode"):
                cells.append(fmt_ratio(ratio(self.time(message, contender, op), ours[op])))
            rows.append(cells)
        return table(["contender", "wire bytes", "encode ns", "encode instr", "decode ns",
                      "decode instr", "wirekit faster, encode", "wirekit faster, decode"], rows)

    def cross_library_section(self):
        for contender, encode_target, decode_target in CROSS_LIBRARY_TARGETS:
            for op, target in (("encode", encode_target), ("decode", decode_target)):
                speedup = ratio(self.time("order", contender, op), self.time("order", "wirekit", op))
                if speedup is None:
                    continue
                self.targets.append((
                    f"Order {op}: wirekit ≥ {target}× faster than {CONTENDER_NAMES[contender]}",
                    fmt_ratio(speedup), speedup >= target))
        return "\n".join([
            "### Cross-library: the Order message (ten fixed fields and a string)",
            "",
            "Median CPU time per message (ns) and callgrind instructions per message. "
            "\"wirekit faster\" is the contender's time ÷ wirekit's (higher is better for "
            "wirekit). Targets are against the first three rows of each library as the "
            "library recommends using it (FlatBuffers: table, read without the Verifier).",
            "",
            self.peer_table("order"),
            "",
            "### The 1 KiB blob, every contender",
            "",
            self.peer_table("blob"),
        ])

    def stream(self, kind, contender, size, field="messages"):
        return self.streams.get((kind, contender, size), {}).get(field)

    def tcp_section(self):
        sizes = sorted({size for (kind, _, size) in self.streams if kind == "tcp"} |
                       {size for (_, size) in self.node})
        rows = []
        for size in sizes:
            ours = self.stream("tcp", "wirekit", size)
            per_message = self.stream("tcp", "raw_write_per_message", size)
            bulk = self.stream("tcp", "raw_64k_writes", size)
            bulk_bytes = self.stream("tcp", "raw_64k_writes", size, "bytes")
            node_each = self.node.get(("node", size))
            node_chunked = self.node.get(("node_chunked", size))
            rows.append([f"{size} B", fmt_rate(ours), fmt_rate(per_message), fmt_rate(bulk),
                         fmt_bytes_rate(bulk_bytes), fmt_rate(node_each), fmt_rate(node_chunked),
                         fmt_ratio(ratio(ours, per_message)), fmt_ratio(ratio(ours, bulk)),
                         fmt_ratio(ratio(ours, node_each)), fmt_ratio(ratio(ours, node_chunked))])
            if ours is None:
                continue
            if size == 64:
                self.targets.append(("TCP 64 B: ≥ 2 M messages/s", f"{fmt_rate(ours)}/s",
                                     ours >= 2e6))
                if per_message:
                    self.targets.append(("TCP 64 B: ≥ 8× one write() per message",
                                         fmt_ratio(ours / per_message), ours >= 8 * per_message))
            if size == 16384 and bulk:
                self.targets.append(("TCP 16 KiB: ≥ 60% of raw 64 KiB writes",
                                     f"{100 * ours / bulk:.0f}%", ours >= 0.6 * bulk))
            for node, sender in ((node_each, "a Buffer per message"),
                                 (node_chunked, "64 KiB chunks")):
                if node:
                    self.targets.append((f"TCP {size} B: ≥ 5× the Node.js peer ({sender})",
                                         fmt_ratio(ours / node), ours >= 5 * node))
        return "\n".join([
            "### TCP loopback: framed messages per second",
            "",
            "Median messages per second of wall time, sender and receiver on separate "
            "threads (Node.js: separate processes). The raw baselines use blocking sockets: "
            "one write() per message, or the same bytes in 64 KiB writes read by a thread "
            "that only counts them. The latter is what a simple blocking writer gets from "
            "the loopback, not a ceiling: non-blocking sockets on epoll (wirekit's) can "
            "pass it.",
            "",
            table(["frame", "wirekit", "raw: write() per message", "raw: 64 KiB writes",
                   "raw 64 KiB (bytes)", "Node.js: Buffer per message", "Node.js: 64 KiB chunks",
                   "wirekit ÷ write() per message", "wirekit ÷ 64 KiB writes",
                   "wirekit ÷ Node.js (per message)", "wirekit ÷ Node.js (chunks)"], rows),
        ] + self.message_cost_lines())

    def message_cost_lines(self):
        sizes = sorted({size for (_, size) in self.stream_instructions})
        if not sizes:
            return []
        rows = [[f"{size} B", fmt_count(self.stream_instructions.get(("receive", size))),
                 fmt_count(self.stream_instructions.get(("send", size)))] for size in sizes]
        return [
            "",
            "What a `MessageStream` itself costs per message, with no socket under it "
            "(callgrind; `message/receive`: 64 KiB chunks cut, decoded and handled, every "
            "field read; `message/send`: `send()` encoding in place, batches taken whole):",
            "",
            table(["frame", "receive instructions", "send instructions"], rows),
        ]

    def file_section(self):
        sizes = sorted({size for (kind, _, size) in self.streams if kind.startswith("file")})
        rows = []
        for size in sizes:
            write = self.stream("file_write", "wirekit", size)
            write_per_message = self.stream("file_write", "raw_write_per_message", size)
            write_bulk = self.stream("file_write", "raw_64k_writes", size)
            read = self.stream("file_read", "wirekit", size)
            read_bulk = self.stream("file_read", "raw_64k_reads", size)
            rows.append([f"{size} B", fmt_rate(write), fmt_rate(write_per_message),
                         fmt_rate(write_bulk), fmt_ratio(ratio(write, write_bulk)),
                         fmt_rate(read), fmt_rate(read_bulk), fmt_ratio(ratio(read, read_bulk))])
            if size >= 1024:
                for op, ours, raw in (("write", write, write_bulk), ("read", read, read_bulk)):
                    if ours is not None and raw:
                        self.targets.append((f"Files {size} B {op}: ≥ 70% of raw",
                                             f"{100 * ours / raw:.0f}%", ours >= 0.7 * raw))
        return "\n".join([
            "### Files: framed messages per second",
            "",
            "Median messages per second of wall time for a 64 MiB file (page cache; no "
            "fsync). Raw baselines write the same bytes, in one write() per message or in "
            "64 KiB writes, and read them back in 64 KiB reads.",
            "",
            table(["frame", "wirekit write", "raw: write() per message", "raw: 64 KiB writes",
                   "wirekit ÷ raw write", "wirekit read", "raw: 64 KiB reads",
                   "wirekit ÷ raw read"], rows),
        ])

    def latency_section(self):
        if not self.latency:
            return None
        runs = self.latency
        order = list(LATENCY_CONTENDERS)

        def run(contender, size, in_flight):
            return runs.get((contender, size, in_flight))

        rows = []
        sizes = sorted({size for (c, size, k) in runs if k == 1 and not c.startswith("journal")})
        for size in sizes:
            raw = run("raw_blocking", size, 1)
            for contender in order:
                ours = run(contender, size, 1)
                if ours is None or contender.startswith("journal"):
                    continue
                p50 = ratio(ours["p50_ns"], raw and raw["p50_ns"])
                p999 = ratio(ours["p999_ns"], raw and raw["p999_ns"])
                calls = self.syscalls.get(contender, {}).get("total") \
                    if size == self.syscall_size else None
                rows.append([f"{size} B", LATENCY_CONTENDERS[contender], fmt_us(ours["p50_ns"]),
                             fmt_us(ours["p90_ns"]), fmt_us(ours["p99_ns"]),
                             fmt_us(ours["p999_ns"]), fmt_us(ours["max_ns"]), fmt_ratio(p50),
                             fmt_ratio(p999), "—" if calls is None else f"{calls:.1f}"])
                name = LATENCY_TARGET_CONTENDERS.get(contender)
                if name and size in (64, 512) and p50 is not None:
                    self.targets.append((
                        f"Ping-pong {size} B: {name} p50 ≤ {LATENCY_P50_TARGET}× raw blocking",
                        fmt_ratio(p50), p50 <= LATENCY_P50_TARGET))
                    self.targets.append((
                        f"Ping-pong {size} B: {name} p99.9 ≤ {LATENCY_P999_TARGET}× raw blocking",
                        fmt_ratio(p999), p999 is not None and p999 <= LATENCY_P999_TARGET))
        pipelined = []
        for in_flight in sorted({k for (_, _, k) in runs if k > 1}):
            for size in sorted({s for (_, s, k) in runs if k == in_flight}):
                raw = run("raw_blocking", size, in_flight)
                for contender in order:
                    ours = run(contender, size, in_flight)
                    if ours is None:
                        continue
                    share = ratio(ours["messages_per_second"], raw and raw["messages_per_second"])
                    pipelined.append([in_flight, f"{size} B", LATENCY_CONTENDERS[contender],
                                      fmt_rate(ours["messages_per_second"]), fmt_ratio(share),
                                      fmt_us(ours["p50_ns"]), fmt_us(ours["p99_ns"]),
                                      fmt_us(ours["p999_ns"])])
                    name = LATENCY_TARGET_CONTENDERS.get(contender)
                    if name and in_flight == 64 and share is not None:
                        self.targets.append((
                            f"Pipelined K=64, {size} B: {name.rstrip(',')} ≥ "
                            f"{PIPELINED_THROUGHPUT_TARGET:.0%} of raw throughput",
                            f"{share:.0%}", share >= PIPELINED_THROUGHPUT_TARGET))
        journal = []
        for size in sorted({s for (c, s, _) in runs if c.startswith("journal")}):
            raw = run("journal_raw", size, 1)
            for contender in ("journal_raw", "journal_wirekit"):
                ours = run(contender, size, 1)
                if ours is None:
                    continue
                journal.append([f"{size} B", LATENCY_CONTENDERS[contender], fmt_us(ours["p50_ns"]),
                                fmt_us(ours["p99_ns"]), fmt_us(ours["max_ns"]),
                                fmt_ratio(ratio(ours["p50_ns"], raw and raw["p50_ns"]))])
        lines = [
            "### Latency: request/response round trips over TCP loopback",
            "",
            "`wirekit_bench_latency`: a client thread and a server thread, one request in "
            "flight, the server answering each with the same message; each round trip timed "
            "with `steady_clock` after a warm-up. Times in µs; ratios against raw blocking "
            "sockets in the same run (lower is better); system calls per round trip, client and "
            f"server together, counted with `strace -c -f` at {self.syscall_size or '—'} B.",
            "",
            table(["frame", "contender", "p50", "p90", "p99", "p99.9", "max", "p50 ÷ raw",
                   "p99.9 ÷ raw", "syscalls per round trip"], rows),
        ]
        for contender, why in sorted(self.latency_skipped.items()):
            lines += ["", f"Not run: {LATENCY_CONTENDERS.get(contender, contender)}: {why}."]
        if pipelined:
            lines += [
                "",
                "Pipelined: K requests in flight, a new one per reply; messages per second "
                "and each message's round trip (µs).",
                "",
                table(["K", "frame", "contender", "messages/s", "÷ raw", "p50", "p99",
                       "p99.9"], pipelined),
            ]
        if journal:
            lines += [
                "",
                "A journal: one frame written and `fdatasync`'d per request, on the file "
                "system of the run (µs).",
                "",
                table(["frame", "contender", "p50", "p99", "max", "p50 ÷ raw"], journal),
            ]
        return "\n".join(lines)

    def targets_section(self):
        rows = [[target, measured, verdict(met)] for target, measured, met in self.targets]
        return "\n".join(["### Targets", "", table(["target", "measured", ""], rows)])

    def machine_section(self):
        machine = self.machine
        lines = ["### This run", ""]
        for key, label in (("date", "Date"), ("cpu", "CPU"), ("cores", "Cores"),
                           ("caches", "Caches"), ("kernel", "Kernel"),
                           ("compiler", "Compiler"), ("flags", "Flags"), ("node", "Node.js"),
                           ("load_before", "Load before (uptime)"),
                           ("load_after", "Load after (uptime)"), ("commit", "Commit")):
            if machine.get(key):
                lines.append(f"- {label}: {machine[key]}")
        for name, context in self.contexts.items():
            if context.get("library_build_type") == "debug":
                lines.append(f"- {name}: Debian's libbenchmark reports a debug build; this "
                             "affects only the harness around the timed loops.")
                break
        repetitions = machine.get("repetitions")
        if repetitions:
            lines.append(f"- Each benchmark: {repetitions} repetitions, randomly interleaved; "
                         "tables show medians.")
        noisy = [cv for entry in self.codecs.values() if (cv := entry.get("cv")) is not None]
        if noisy:
            lines.append(f"- Codec timings: median coefficient of variation "
                         f"{fmt_cv(statistics.median(noisy))}, largest {fmt_cv(max(noisy))}.")
        return "\n".join(lines)

    def render(self):
        sections = [self.codec_section(), self.cross_library_section(), self.tcp_section(),
                    self.file_section()]
        latency = self.latency_section()
        if latency:
            sections.append(latency)
        # The targets section collects what the sections above found.
        return "\n\n".join([self.machine_section(), self.targets_section()] + sections)


def this_run(machine):
    """The lines that say when and how a Node.js block's run was made."""
    about = [f"{label}: {machine[key]}" for key, label in (
        ("date", "date"), ("node", "Node.js"), ("load_before", "load before"),
        ("load_after", "load after"), ("commit", "commit")) if machine.get(key)]
    return ["This run: " + "; ".join(about) + ".", ""] if about else []


def ts_section(ts, node, machine):
    """The TypeScript block: the codecs of the Order message, the Node package
    over TCP, and the targets of issue 15 met or missed."""
    codecs, tcp = ts
    targets = []
    lines = ["### TypeScript and Node.js (js/)", ""]
    lines += this_run(machine)
    rows = []
    for contender, label in TS_CONTENDERS:
        if not any((op, contender) in codecs for op in ("encode", "decode")):
            continue
        cells = [label]
        for op in ("encode", "decode"):
            cells.append(fmt_ns(codecs.get((op, contender))))
        for op in ("encode", "decode"):
            cells.append(fmt_ratio(ratio(codecs.get((op, contender)), codecs.get((op, "wirekit")))))
        rows.append(cells)
    if rows:
        lines += [
            "bench.wk's Order (ten fixed fields and a 19-byte note) in `js/bench/codec.ts`: "
            "CPU time per message in ns, the best of the repetitions, every contender "
            "interleaved in one process; \"÷ wirekit\" is the contender's time over "
            "wirekit's (above 1: wirekit is faster). \"wirekit TS\" makes an encoder or "
            "decoder per message (`Order.encode()`, `Order.decode()`); \"reused\" keeps one "
            "of each and re-targets it with `wrap()`.",
            "",
            table(["contender", "encode ns", "decode ns", "encode ÷ wirekit",
                   "decode ÷ wirekit"], rows),
        ]
        for form, suffix in TS_FORMS:
            for op in ("encode", "decode"):
                ours = codecs.get((op, form))
                against = ratio(ours, codecs.get((op, "handwritten_dataview")))
                if against is not None:
                    targets.append((f"TS Order {op}{suffix}: ≤ {TS_HANDWRITTEN_TARGET}× hand-written DataView",
                                    fmt_ratio(against), against <= TS_HANDWRITTEN_TARGET))
                faster = ratio(codecs.get((op, "protobufjs")), ours)
                if faster is not None:
                    targets.append((f"TS Order {op}{suffix}: ≥ {TS_PROTOBUFJS_TARGET}× faster than protobufjs",
                                    fmt_ratio(faster), faster >= TS_PROTOBUFJS_TARGET))
    sizes = sorted({size for (_, _, size) in tcp})
    tcp_rows = []
    for size in sizes:
        package = tcp.get(("tcp", "node_package", size))
        chunked = node.get(("node_chunked", size))
        echo = tcp.get(("tcp_echo", "node_package", size))
        echo_hand = tcp.get(("tcp_echo", "node_handwritten", size))
        tcp_rows.append([f"{size} B", fmt_rate(package), fmt_rate(chunked),
                         fmt_ratio(ratio(package, chunked)), fmt_rate(echo), fmt_rate(echo_hand),
                         fmt_ratio(ratio(echo, echo_hand))])
    if tcp_rows:
        lines += [
            "",
            "Over TCP loopback, median messages per second of wall time. Node to Node "
            "(`js/bench/tcp.ts`): a `MessageStream` sending bench.wk's Blob to another "
            "process's `MessageStream`, beside the hand-written chunked peer of "
            "`bench/node/framed_tcp.mjs` (\"Node.js: 64 KiB chunks\" above; \"—\" when "
            "that was not run). Node to the C++ server (`js/bench/cpp_echo.ts`): trading.wk's "
            "NewOrder sent to `examples/tcp_round_trip/echo_server`, which decodes and "
            "echoes each one, by a `MessageStream` client (every field set with "
            "`send()`, each echo decoded) and by a hand-written client (a frame "
            "encoded once, copied and patched with a `DataView`, echoes cut by hand), "
            "taking turns on the same server; timed until the last echo is handled.",
            "",
            table(["frame", "Node → Node: package", "Node → Node: hand-written chunks",
                   "package ÷ hand-written", "Node → C++ echo: package",
                   "Node → C++ echo: hand-written", "package ÷ hand-written"], tcp_rows),
        ]
    if targets:
        lines += ["", table(["target", "measured", ""],
                            [[target, measured, verdict(met)] for target, measured, met in targets])]
    return "\n".join(lines)


def nats_section(nats, machine):
    """The NATS block: MessageBus against Node's `nats` client, publish and
    publish-and-consume, per message size."""
    lines = ["### Typed messages over NATS (MessageBus and Node's `nats`)", ""]
    lines += this_run(machine)
    rows = []
    for size in sorted({size for (_, _, size) in nats}):
        cells = [f"{size} B"]
        for measure in ("publish", "pubsub"):
            ours = nats.get(("wirekit", measure, size))
            theirs = nats.get(("node", measure, size))
            cells += [fmt_rate(ours), fmt_rate(theirs), fmt_ratio(ratio(ours, theirs))]
        rows.append(cells)
    lines += [
        "bench.wk's Blob of the size given, through one local nats-server started by "
        "`js/bench/nats.ts`; median messages per second of wall time, two connections "
        "in one process (one thread) per side. Publish: `send<Blob>` (C++ `MessageBus`) "
        "or `Blob.encode` and `nc.publish` (Node `nats` 2.29 with the generated "
        "TypeScript codec) to a subject without subscribers, until a flush returns. "
        "Publish + consume: the other connection subscribed, each message decoded, "
        "until the last is handled. \"÷ Node\" is wirekit's rate over Node's.",
        "",
        table(["message", "publish: wirekit", "publish: Node nats", "÷ Node",
               "publish + consume: wirekit", "publish + consume: Node nats", "÷ Node"], rows),
    ]
    return "\n".join(lines)


def replace_block(text, begin, end, body, doc):
    if begin not in text or end not in text:
        sys.exit(f"{doc}: no results markers ({begin} … {end})")
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    return head + begin + "\n\n" + body + "\n\n" + end + tail


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", required=True, help="directory bench/run wrote")
    parser.add_argument("--doc", required=True, help="Markdown file with the results markers")
    args = parser.parse_args()

    codecs, codec_context = load_codecs(os.path.join(args.results, "codec.json"))
    streams, stream_context = load_streams(os.path.join(args.results, "streams.json"))
    machine_path = os.path.join(args.results, "machine.json")
    machine = {}
    if os.path.exists(machine_path):
        with open(machine_path) as file:
            machine = json.load(file)
    node = load_node(os.path.join(args.results, "node.jsonl"))
    ts = load_ts(os.path.join(args.results, "ts.jsonl"))
    nats = load_nats(os.path.join(args.results, "nats.jsonl"))

    with open(args.doc) as file:
        text = file.read()
    if codecs or streams:
        report = Report(codecs, load_instructions(args.results), streams,
                        load_stream_instructions(args.results), node, machine,
                        {"wirekit_bench_codec": codec_context,
                         "wirekit_bench_streams": stream_context},
                        load_latency(os.path.join(args.results, "latency.json")),
                        load_json(os.path.join(args.results, "latency_syscalls.json")))
        text = replace_block(text, BEGIN, END, report.render(), args.doc)
    if ts is not None:
        text = replace_block(text, TS_BEGIN, TS_END, ts_section(ts, node, machine), args.doc)
    if nats:
        text = replace_block(text, NATS_BEGIN, NATS_END, nats_section(nats, machine), args.doc)
    with open(args.doc, "w") as file:
        file.write(text)


if __name__ == "__main__":
    main()
