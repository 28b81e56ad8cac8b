#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""System calls per round trip of each wirekit_bench_latency contender.

Runs the binary under `strace -c -f` (both threads, the openssl command the
TLS contender starts once, and the node process of the node contender, all of
its threads) for one contender at a time, ping-pong, at two
round-trip counts, and divides the difference of the counts by the difference
of the round trips: what one more round trip costs, client and server
together, free of the set-up (threads, connection, handshake, certificate).

  bench/latency_syscalls.py BINARY [--size 64] [--round-trips 1000]
      [--contenders raw_blocking,raw_asio,wirekit,wirekit_busy_poll,wirekit_tls,node]
      [--node-peer js/dist/bench/latency_peer.js]

Prints one JSON object: {"size": 64, "contenders": {name: {"total": n,
"calls": {syscall: n}}}}. Standard library only (Debian's /usr/bin/python3).
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile


def count(binary, contender, size, round_trips, node_peer):
    """{syscall: calls} of one run of round_trips ping-pong round trips, or None
    when the binary skipped the contender (it says why on stderr)."""
    with tempfile.TemporaryDirectory() as directory:
        out = os.path.join(directory, "strace.txt")
        run = subprocess.run(
            ["strace", "-f", "-c", "-o", out, binary, "--contenders", contender,
             "--sizes", str(size), "--in-flight", "1", "--round-trips", str(round_trips),
             "--warmup", "0", "--turns", "1", "--journal-writes", "0", "--json"]
            + (["--node-peer", node_peer] if node_peer else []),
            check=True, stdout=subprocess.PIPE, text=True)
        if contender in json.loads(run.stdout).get("skipped", {}):
            return None
        calls = {}
        with open(out) as file:
            for line in file:
                fields = line.split()
                # % time, seconds, usecs/call, calls, [errors,] syscall
                if len(fields) >= 5 and fields[0][0].isdigit() and fields[-1] != "total":
                    calls[fields[-1]] = int(fields[3])
        return calls


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("binary")
    parser.add_argument("--size", type=int, default=64)
    parser.add_argument("--round-trips", type=int, default=1000)
    parser.add_argument("--contenders",
                        default="raw_blocking,raw_asio,wirekit,wirekit_busy_poll,wirekit_tls,node")
    parser.add_argument("--node-peer", help="the node contender's server script")
    args = parser.parse_args()
    if args.round_trips < 1:
        sys.exit("latency_syscalls.py: --round-trips must be at least 1")
    small, large = args.round_trips, 2 * args.round_trips
    result = {"size": args.size, "contenders": {}}
    for contender in args.contenders.split(","):
        before = count(args.binary, contender, args.size, small, args.node_peer)
        after = count(args.binary, contender, args.size, large, args.node_peer)
        if before is None or after is None:
            continue
        per_trip = {}
        for name in sorted(set(before) | set(after)):
            value = (after.get(name, 0) - before.get(name, 0)) / (large - small)
            if value >= 0.05:
                per_trip[name] = round(value, 2)
        result["contenders"][contender] = {"total": round(sum(per_trip.values()), 2),
                                           "calls": per_trip}
    json.dump(result, sys.stdout)
    print()


if __name__ == "__main__":
    main()
