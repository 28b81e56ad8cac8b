#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The client's --record capture, read by `wirekit decode --pcap` and by tshark.

round_trip.sh starts echo_server on a free loopback port, runs the client
with --record FILE --sent FILE and stops the server. Then
`wirekit decode --pcap FILE --framing sofh trading.wk` must print every
message the client sent (its --sent lines), in order, client to server, and
the same again, server to client (the echoes), each with the connection's
loopback addresses and ports; and `tshark -r FILE` must read the capture as
TCP between those ports.

Usage: record_test.py <directory of echo_server and client> <wirekit.py> <trading.wk> <work dir>
"""

import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def fail(message):
    print(f"record_test: FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def run(command, timeout=120):
    result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        fail(f"{' '.join(command)} exited with {result.returncode}:\n"
             f"{result.stdout[-2000:]}{result.stderr[-4000:]}")
    return result.stdout


def check_direction(name, decoded, sent):
    if not decoded:
        fail(f"wirekit decode --pcap printed no message {name}")
    for index, (got, want) in enumerate(zip(decoded, sent)):
        if got["message"] != want:
            fail(f"{name}, message {index + 1}: the client sent\n  {json.dumps(want)}\n"
                 f"wirekit decode --pcap printed\n  {json.dumps(got['message'])}")
    if len(decoded) != len(sent):
        fail(f"the client sent {len(sent)} messages, wirekit decode --pcap printed {len(decoded)} {name}")


def main():
    binaries, wirekit, schema, work = sys.argv[1:]
    os.makedirs(work, exist_ok=True)
    capture = os.path.join(work, "round_trip.pcap")
    sent_path = os.path.join(work, "sent.jsonl")
    run([os.path.join(HERE, "round_trip.sh"), binaries, "--count", "50", "--seed", "11",
         "--timeout", "60", "--record", capture, "--sent", sent_path])
    with open(sent_path, encoding="utf-8") as file:
        sent = [json.loads(line) for line in file]

    lines = [json.loads(line) for line in run(
        [sys.executable, wirekit, "decode", "--pcap", capture, "--framing", "sofh", schema]).splitlines()]
    if not lines:
        fail("wirekit decode --pcap printed nothing")
    # The client speaks first.
    client = (lines[0]["src"], lines[0]["srcPort"])
    server = (lines[0]["dst"], lines[0]["dstPort"])
    for line in lines:
        if line["proto"] != "tcp" or line["src"] != "127.0.0.1" or line["dst"] != "127.0.0.1":
            fail(f"not TCP over 127.0.0.1: {json.dumps(line)[:300]}")
        if {(line["src"], line["srcPort"]), (line["dst"], line["dstPort"])} != {client, server}:
            fail(f"a message of another connection: {json.dumps(line)[:300]}")
    check_direction("client to server", [m for m in lines if (m["src"], m["srcPort"]) == client], sent)
    check_direction("server to client", [m for m in lines if (m["src"], m["srcPort"]) == server], sent)

    ports = run(["tshark", "-r", capture, "-T", "fields", "-e", "tcp.srcport", "-e", "tcp.dstport"])
    pairs = {tuple(int(port) for port in row.split("\t")) for row in ports.splitlines() if row}
    expected = {(client[1], server[1]), (server[1], client[1])}
    if pairs != expected:
        fail(f"tshark read the ports {sorted(pairs)}, expected {sorted(expected)}")
    print(f"record_test: {len(sent)} messages each way agree; tshark read {len(ports.splitlines())} packets")


if __name__ == "__main__":
    main()
