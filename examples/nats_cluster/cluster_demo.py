#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Three nats-server with JetStream on loopback, two workers and a producer
(nats_cluster), and the SIGKILL of the server the producer is connected to
once half its orders are acknowledged. Checks that every order was stored
once and consumed (exit 0), and shows what happened.

    cluster_demo.py <nats_cluster executable> [--count N] [--workers N] [--timeout S]
"""

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def nats_server():
    for path in [shutil.which("nats-server"), "/usr/sbin/nats-server"]:
        if path and os.access(path, os.X_OK):
            return path
    return None


def wait_ready(log, deadline):
    while time.monotonic() < deadline:
        if os.path.exists(log):
            with open(log, encoding="utf-8", errors="replace") as f:
                text = f.read()
            match = re.search(r"Listening for client connections on 127\.0\.0\.1:(\d+)", text)
            if match and "Server is ready" in text:
                return int(match.group(1))
        time.sleep(0.02)
    raise SystemExit(f"cluster_demo: {log} never said 'Server is ready'")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("executable")
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=int, default=30)
    args = parser.parse_args()
    server = nats_server()
    if server is None:
        print("cluster_demo: nats-server is not installed (scripts/install-deps installs it): skipped")
        return 0

    scratch = tempfile.mkdtemp(prefix="wirekit-nats-cluster-")
    servers, processes = [], []
    try:
        routes = [free_port() for _ in range(3)]
        deadline = time.monotonic() + 15
        for i in range(3):
            name = f"n{i + 1}"
            log = os.path.join(scratch, f"{name}.log")
            others = ",".join(f"nats://127.0.0.1:{p}" for j, p in enumerate(routes) if j != i)
            servers.append(subprocess.Popen(
                [server, "-a", "127.0.0.1", "-p", "-1", "-l", log, "-js",
                 "-sd", os.path.join(scratch, name), "--server_name", name,
                 "--cluster_name", "demo", "--cluster", f"nats://127.0.0.1:{routes[i]}",
                 "--routes", others]))
        urls = [f"127.0.0.1:{wait_ready(os.path.join(scratch, f'n{i + 1}.log'), deadline)}"
                for i in range(3)]
        print(f"cluster_demo: servers n1 {urls[0]}, n2 {urls[1]}, n3 {urls[2]}", flush=True)

        common = ["--servers", ",".join(urls), "--count", str(args.count),
                  "--timeout", str(args.timeout)]
        outs = []
        for w in range(args.workers):
            out = os.path.join(scratch, f"w{w + 1}.ids")
            outs.append(out)
            processes.append(subprocess.Popen(
                [args.executable, "work", "--name", f"w{w + 1}", "--out", out] + common,
                stdout=subprocess.PIPE, text=True))
        producer = subprocess.Popen([args.executable, "produce"] + common,
                                    stdout=subprocess.PIPE, text=True)
        processes.append(producer)

        def relay(process):
            for line in process.stdout:
                print(line, end="", flush=True)
        relays = [threading.Thread(target=relay, args=(p,)) for p in processes[:-1]]
        for t in relays:
            t.start()

        # The producer's lines, and the kill of n1 (the first of its list:
        # the one it is connected to) at half way.
        killed = False
        for line in producer.stdout:
            print(line, end="", flush=True)
            match = re.search(r"producer: (\d+) acknowledged", line)
            if not killed and match and int(match.group(1)) >= args.count // 2:
                servers[0].send_signal(signal.SIGKILL)
                servers[0].wait()
                killed = True
                print(f"cluster_demo: SIGKILLed n1 ({urls[0]})", flush=True)
        status = [p.wait(timeout=args.timeout + 10) for p in processes]
        for t in relays:
            t.join()

        consumed = []
        for out in outs:
            with open(out, encoding="utf-8") as f:
                consumed += f.read().split()
        expected = {f"order-{i}" for i in range(args.count)}
        distinct = set(consumed)
        print(f"cluster_demo: {len(consumed)} consumed by {args.workers} workers, "
              f"{len(distinct)} distinct orders of {args.count}, "
              f"{len(consumed) - len(distinct)} delivered again (an ack lost with the node)")
        ok = killed and all(s == 0 for s in status) and distinct == expected
        print("cluster_demo: " + ("every order stored once and consumed" if ok else
                                  f"FAILED (exit statuses {status}, n1 killed: {killed}, "
                                  f"missing {sorted(expected - distinct)[:10]})"))
        return 0 if ok else 1
    finally:
        for p in processes + servers:
            if p.poll() is None:
                p.kill()
                p.wait()
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
