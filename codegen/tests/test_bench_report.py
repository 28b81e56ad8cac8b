# SPDX-License-Identifier: Apache-2.0
"""bench/report.py's TypeScript block: read from ts.jsonl, written between its
own markers, targets judged; the C++ block left as it is when its results are
not in the directory (bench/run --ts)."""

import json
import os
import subprocess

import pytest

from conftest import REPO

REPORT = os.path.join(REPO, "bench", "report.py")

DOC = """# Performance

<!-- results:begin (written by bench/report.py) -->
the C++ tables of an earlier run
<!-- results:end -->

<!-- ts-results:begin (written by bench/report.py) -->
old
<!-- ts-results:end -->
tail
"""


def write_results(directory, lines):
    directory.mkdir()
    (directory / "ts.jsonl").write_text("".join(json.dumps(line) + "\n" for line in lines))
    (directory / "node.jsonl").write_text(json.dumps(
        {"name": "tcp/node_chunked/64", "frame_bytes": 64, "frames": 10, "seconds": 1,
         "messages_per_second": 1000000}) + "\n")
    (directory / "machine.json").write_text(json.dumps({"date": "2026-12-05 19:00 UTC", "node": "v20"}))


def run(tmp_path, lines):
    results = tmp_path / "results"
    write_results(results, lines)
    doc = tmp_path / "performance.md"
    doc.write_text(DOC)
    result = subprocess.run(["/usr/bin/python3", REPORT, "--results", str(results), "--doc", str(doc)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return doc.read_text()


def codec(op, contender, ns):
    return {"name": f"ts/order/{op}/{contender}", "ns_per_op": ns, "iterations": 1000}


def test_typescript_block_is_written_and_the_cpp_block_left_alone(tmp_path):
    text = run(tmp_path, [
        codec("encode", "wirekit", 30), codec("encode", "handwritten_dataview", 25),
        codec("encode", "protobufjs", 600), codec("decode", "wirekit", 100),
        codec("decode", "handwritten_dataview", 190), codec("decode", "protobufjs", 250),
        # The codec's own ratio line is not read: the report computes its ratios.
        {"name": "ts/order/encode/ratios", "wirekit_vs_handwritten": 9.9},
        {"name": "tcp/node_package/64", "frame_bytes": 64, "frames": 10, "seconds": 1, "messages_per_second": 300000},
        {"name": "tcp/node_package/64", "frame_bytes": 64, "frames": 10, "seconds": 1, "messages_per_second": 500000},
        {"name": "tcp/node_package/64", "frame_bytes": 64, "frames": 10, "seconds": 1, "messages_per_second": 400000},
        {"name": "tcp_echo/node_package/64", "frame_bytes": 64, "frames": 10, "seconds": 1, "messages_per_second": 200000},
        {"name": "tcp_echo/node_handwritten/64", "frame_bytes": 64, "frames": 10, "seconds": 1, "messages_per_second": 400000},
    ])
    assert "the C++ tables of an earlier run" in text and text.endswith("tail\n")
    assert "old" not in text
    block = text.split("<!-- ts-results:begin (written by bench/report.py) -->")[1]
    assert "This run: date: 2026-12-05 19:00 UTC; Node.js: v20." in block
    assert "| wirekit TS | 30.0 | 100 | 1.00× | 1.00× |" in block
    assert "| protobufjs | 600 | 250 | 20.00× | 2.50× |" in block
    # Medians of the runs; package ÷ hand-written in each pair.
    assert "| 64 B | 400 k | 1 M | 0.40× | 200 k | 400 k | 0.50× |" in block
    assert "| TS Order encode: ≤ 1.2× hand-written DataView | 1.20× | met |" in block
    assert "| TS Order decode: ≥ 3× faster than protobufjs | 2.50× | **missed** |" in block
    # Without results of the reused form, neither its row nor its targets.
    assert "| wirekit TS, reused" not in block and "reused (wrap()): " not in block


@pytest.mark.parametrize("form, encode, decode, expected, absent", [
    ("wirekit_reused", 33, 70, [
        "| wirekit TS, reused (wrap()) | 33.0 | 70.0 | 0.92× | 0.78× |",
        "| TS Order encode, reused (wrap()): ≤ 1.2× hand-written DataView | 1.10× | met |",
        "| TS Order decode, reused (wrap()): ≥ 3× faster than protobufjs | 3.43× | met |",
    ], "plain objects"),
    ("wirekit_object", 31, 100, [
        "| wirekit TS, plain objects (read()/write()) | 31.0 | 100 | 0.86× | 1.11× |",
        "| TS Order encode, plain objects: ≤ 1.2× hand-written DataView | 1.03× | met |",
        "| TS Order decode, plain objects: ≥ 3× faster than protobufjs | 2.40× | **missed** |",
    ], "reused (wrap()): "),
])
def test_each_form_of_the_generated_code_has_its_row_and_its_targets(tmp_path, form, encode, decode, expected, absent):
    text = run(tmp_path, [
        codec("encode", "wirekit", 36), codec("encode", form, encode),
        codec("encode", "handwritten_dataview", 30), codec("encode", "protobufjs", 600),
        codec("decode", "wirekit", 90), codec("decode", form, decode),
        codec("decode", "handwritten_dataview", 75), codec("decode", "protobufjs", 240),
    ])
    block = text.split("<!-- ts-results:begin (written by bench/report.py) -->")[1]
    assert "| TS Order encode: ≤ 1.2× hand-written DataView | 1.20× | met |" in block
    assert "| TS Order decode: ≥ 3× faster than protobufjs | 2.67× | **missed** |" in block
    for line in expected:
        assert line in block
    assert absent not in block


def test_without_typescript_results_the_block_is_left_alone(tmp_path):
    results = tmp_path / "results"
    results.mkdir()
    doc = tmp_path / "performance.md"
    doc.write_text(DOC)
    result = subprocess.run(["/usr/bin/python3", REPORT, "--results", str(results), "--doc", str(doc)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert doc.read_text() == DOC


def test_a_doc_without_the_typescript_markers_is_an_error(tmp_path):
    results = tmp_path / "results"
    write_results(results, [codec("encode", "wirekit", 30)])
    doc = tmp_path / "performance.md"
    doc.write_text("# Performance\n")
    result = subprocess.run(["/usr/bin/python3", REPORT, "--results", str(results), "--doc", str(doc)],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "no results markers (<!-- ts-results:begin" in result.stderr


def latency_run(contender, size, in_flight, p50_us, p999_us, messages_per_second):
    return {"contender": contender, "size": size, "in_flight": in_flight, "round_trips": 1000,
            "p50_ns": p50_us * 1000, "p90_ns": p50_us * 1100, "p99_ns": p50_us * 1500,
            "p999_ns": p999_us * 1000, "max_ns": p999_us * 2000, "mean_ns": p50_us * 1000,
            "messages_per_second": messages_per_second}


def test_latency_targets_are_judged_for_the_defaults_and_for_busy_polling(tmp_path):
    results = tmp_path / "results"
    results.mkdir()
    # The C++ block is written when the stream results are there: one TCP run.
    (results / "streams.json").write_text(json.dumps({"context": {}, "benchmarks": [
        {"name": "tcp/wirekit/64", "run_name": "tcp/wirekit/64", "run_type": "iteration",
         "messages_per_second": 1e7, "bytes_per_second": 6.4e8, "real_time": 1, "cpu_time": 1,
         "time_unit": "ns"}]}))
    runs = []
    for size in (64, 512):
        runs += [latency_run("raw_blocking", size, 1, 20, 100, 50000),
                 latency_run("wirekit", size, 1, 25, 160, 40000),
                 latency_run("wirekit_busy_poll", size, 1, 15, 90, 66000),
                 latency_run("raw_blocking", size, 64, 40, 200, 2000000),
                 latency_run("wirekit", size, 64, 50, 250, 1540000),
                 latency_run("wirekit_busy_poll", size, 64, 30, 150, 2600000)]
    (results / "latency.json").write_text(json.dumps({"runs": runs}))
    doc = tmp_path / "performance.md"
    doc.write_text(DOC)
    result = subprocess.run(["/usr/bin/python3", REPORT, "--results", str(results), "--doc", str(doc)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    text = doc.read_text()
    assert "the C++ tables of an earlier run" not in text
    for size in (64, 512):
        assert f"| Ping-pong {size} B: MessageStream p50 ≤ 1.2× raw blocking | 1.25× | **missed** |" in text
        assert f"| Ping-pong {size} B: MessageStream p99.9 ≤ 1.5× raw blocking | 1.60× | **missed** |" in text
        assert (f"| Ping-pong {size} B: MessageStream, busy polling, p50 ≤ 1.2× raw blocking "
                "| 0.75× | met |") in text
        assert (f"| Ping-pong {size} B: MessageStream, busy polling, p99.9 ≤ 1.5× raw blocking "
                "| 0.90× | met |") in text
        assert f"| Pipelined K=64, {size} B: MessageStream ≥ 80% of raw throughput | 77% | **missed** |" in text
        assert (f"| Pipelined K=64, {size} B: MessageStream, busy polling ≥ 80% of raw throughput "
                "| 130% | met |") in text
        assert (f"| {size} B | wirekit MessageStream, busy polling | 15.0 | 16.5 | 22.5 | 90.0 | 180.0 "
                "| 0.75× | 0.90× | — |") in text
