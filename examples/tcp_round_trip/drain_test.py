#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""echo_server under a hostile client and on SIGTERM (loopback, bounded).

1. Logging: a client sends thousands of bad frames; the server's log is rate
   limited, so it writes far fewer bytes than it receives, says how many
   lines it suppressed, and cuts each line at --log-line-bytes.
2. Drain: a busy client pipelines heartbeats and reads the echoes; a stuck
   client sends and never reads. On SIGTERM the server stops accepting, sends
   the busy client the echo of every message it took (by count, from the
   server's own "closed: N messages echoed" line) followed by a FIN, destroys
   the stuck one at --drain-ms, and exits 0 within that time plus a margin.

Usage: drain_test.py <echo_server binary>
"""

import os
import re
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

HEARTBEAT = struct.pack("<HHHHQ", 8, 4, 42, 2, 0)
UNKNOWN_TEMPLATE = struct.pack("<HHHHQ", 8, 99, 42, 2, 0)


def frame(message):
    return struct.pack(">IH", len(message) + 6, 0xEB50) + message


def fail(message):
    print(f"drain_test: FAIL: {message}", file=sys.stderr)
    sys.exit(1)


class Server:
    def __init__(self, binary, *arguments):
        self.out = tempfile.TemporaryFile()
        self.err = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [binary, "--host", "127.0.0.1", "--port", "0", *arguments],
            stdout=self.out, stderr=self.err)
        self.port = None
        for _ in range(100):  # 10 s
            found = re.search(rb"listening on 127\.0\.0\.1:(\d+)", self.output())
            if found:
                self.port = int(found.group(1))
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        self.stop()
        fail("echo_server did not start listening")

    def output(self):
        self.out.seek(0)
        return self.out.read()

    def errors(self):
        self.err.seek(0)
        return self.err.read()

    def stop(self):
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()

    def dump(self):
        sys.stderr.write(self.output().decode(errors="replace")[-4000:])
        sys.stderr.write(self.errors().decode(errors="replace")[-4000:])


def connect(port):
    return socket.create_connection(("127.0.0.1", port), timeout=30)


def test_rate_limited_log(binary):
    server = Server(binary, "--log-lines", "5", "--log-line-bytes", "48")
    try:
        hostile = connect(server.port)
        started = time.monotonic()
        sent = 0
        for _ in range(10):
            burst = frame(UNKNOWN_TEMPLATE) * 2000
            hostile.sendall(burst)
            sent += len(burst)
        hostile.shutdown(socket.SHUT_WR)
        while hostile.recv(65536):
            pass
        hostile.close()
        # 5 lines in each second (or part of one) the server spent on them.
        most_lines = 5 * (int(time.monotonic() - started) + 2)
        time.sleep(1.2)  # the next second's line brings the summary
        good = connect(server.port)
        good.sendall(frame(HEARTBEAT))
        good.shutdown(socket.SHUT_WR)
        echoed = b""
        while True:
            data = good.recv(65536)
            if not data:
                break
            echoed += data
        good.close()
        if echoed != frame(HEARTBEAT):
            fail("the well-behaved client after the hostile one was not served")
        server.process.send_signal(signal.SIGTERM)
        server.process.wait(timeout=10)
        written = len(server.output()) + len(server.errors())
        bad_lines = server.errors().count(b"bad message:")
        suppressed = re.search(rb"(\d+) more log lines suppressed", server.errors())
        print(f"drain_test: logging: received {sent} bytes of 20000 bad frames, wrote "
              f"{written} bytes of log ({bad_lines} 'bad message' lines)")
        if not 1 <= bad_lines <= most_lines:
            fail(f"{bad_lines} 'bad message' lines, expected at most 5 a second ({most_lines})")
        if not suppressed:
            fail("no 'suppressed' summary")
        # Each line about a client is cut at --log-line-bytes, newline included.
        long_lines = [line for line in server.errors().splitlines(keepends=True)
                      if b"bad message:" in line and len(line) > 48]
        if long_lines:
            fail(f"{len(long_lines)} lines longer than --log-line-bytes 48: {long_lines[0]!r}")
        if not re.search(rb"bad message: [^\n]*\.\.\.\n", server.errors()):
            fail("no 'bad message' line was cut (with '...')")
        if written * 10 > sent:
            fail(f"the log ({written} bytes) is not much smaller than the input ({sent} bytes)")
    except BaseException:
        server.dump()
        raise
    finally:
        server.stop()


def test_drain_on_sigterm(binary):
    drain_ms = 1500
    server = Server(binary, "--drain-ms", str(drain_ms))
    try:
        # Sends and never reads: the server's echoes to it back up, and it is
        # the connection cut at the deadline.
        stuck = connect(server.port)
        stuck.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        stuck_thread = threading.Thread(target=lambda: send_quietly(stuck, 1_000_000), daemon=True)
        stuck_thread.start()

        busy = connect(server.port)
        busy_port = busy.getsockname()[1]
        stop_sending = threading.Event()

        def send_busy():
            batch = frame(HEARTBEAT) * 1000
            try:
                while not stop_sending.is_set():
                    busy.sendall(batch)
            except OSError:
                pass

        sender = threading.Thread(target=send_busy, daemon=True)
        sender.start()
        received = 0
        signalled_at = None
        reset = False
        while True:
            try:
                data = busy.recv(65536)
            except ConnectionResetError:
                reset = True
                break
            if not data:
                break
            received += len(data)
            if signalled_at is None and received >= 22 * 20_000:
                signalled_at = time.monotonic()
                server.process.send_signal(signal.SIGTERM)
        stop_sending.set()
        busy.shutdown(socket.SHUT_WR)
        busy.close()
        if signalled_at is None:
            fail("the server closed before the signal")
        status = server.process.wait(timeout=drain_ms / 1000 + 10)
        took = time.monotonic() - signalled_at
        stuck.close()
        out = server.output().decode()
        closed = re.search(rf"127\.0\.0\.1:{busy_port} closed: (\d+) messages echoed", out)
        drained = re.search(r"drained in (\d+) ms: (\d+) connections closed cleanly, (\d+) "
                            r"destroyed", out)
        if reset:
            fail("the busy client was reset instead of getting a FIN")
        if status != 0:
            fail(f"echo_server exited with {status}")
        if not closed or not drained:
            fail("echo_server did not report the busy connection and the drain")
        echoed = int(closed.group(1))
        answers = received // 22
        print(f"drain_test: SIGTERM: {echoed} messages taken from the busy client, {answers} "
              f"echoes received ({echoed - answers} lost), then a FIN; exit {status} "
              f"{took * 1000:.0f} ms after the signal; drained: {drained.group(0)}")
        if received % 22 != 0 or answers != echoed:
            fail(f"{echoed} messages echoed but {received} bytes ({answers} echoes) received")
        if drained.group(2) != "1" or drained.group(3) != "1":
            fail("expected 1 connection closed cleanly and 1 destroyed at the deadline")
        if took > drain_ms / 1000 + 5:
            fail(f"the drain took {took:.1f} s")
    except BaseException:
        server.dump()
        raise
    finally:
        server.stop()


def send_quietly(sock, count):
    try:
        sock.sendall(frame(HEARTBEAT) * count)
    except OSError:
        pass


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    binary = sys.argv[1]
    if not os.access(binary, os.X_OK):
        fail(f"{binary} is not executable")
    test_rate_limited_log(binary)
    test_drain_on_sigterm(binary)
    print("drain_test: ok")


if __name__ == "__main__":
    main()
