#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""A capture written by the C++ PcapFileWriter, read back by `wirekit decode --pcap`.

generate_capture records the feed and, with --messages, each message it wrote
as {"seq":N,"message":M} (M is the generated decoder's fmt::format, the CLI's
JSON form). `wirekit decode --pcap FILE --framing cme-mdp3 market_data.wk`
must print the same messages, in the same order, each with its packet's
sequence number: a message dropped, added or changed fails the test.

Usage: check_pcap_decode.py <generate_capture> <wirekit.py> <market_data.wk> <work dir> [generate_capture args]
"""

import json
import os
import subprocess
import sys


def fail(message):
    print(f"check_pcap_decode: FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def run(command):
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        fail(f"{' '.join(command)} exited with {result.returncode}:\n{result.stderr[-4000:]}")
    return result.stdout


def main():
    generate, wirekit, schema, work, *extra = sys.argv[1:]
    os.makedirs(work, exist_ok=True)
    capture = os.path.join(work, "feed.pcap")
    expected_path = os.path.join(work, "messages.jsonl")
    run([generate, "--out", capture, "--messages", expected_path, *extra])
    with open(expected_path, encoding="utf-8") as file:
        expected = [json.loads(line) for line in file]
    output = run([sys.executable, wirekit, "decode", "--pcap", capture, "--framing", "cme-mdp3", schema])
    decoded = [json.loads(line) for line in output.splitlines()]
    if not expected:
        fail("generate_capture wrote no messages")
    for index, (want, got) in enumerate(zip(expected, decoded)):
        if got.get("seq") != want["seq"] or got.get("message") != want["message"]:
            fail(f"message {index + 1}: generate_capture wrote\n  {json.dumps(want)}\n"
                 f"wirekit decode --pcap printed\n  {json.dumps(got)}")
    if len(decoded) != len(expected):
        fail(f"generate_capture wrote {len(expected)} messages, wirekit decode --pcap printed {len(decoded)}")
    print(f"check_pcap_decode: {len(decoded)} messages in {len({m['seq'] for m in expected})} packets agree")


if __name__ == "__main__":
    main()
