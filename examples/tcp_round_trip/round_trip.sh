#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The TCP round trip in one command: starts echo_server on a free loopback
# port, waits for it to listen, runs the client against it, then stops the
# server (also when the client fails or the script is interrupted) and shows
# what the server printed. Exits with the client's status. $CLIENT, if set,
# is the client to run instead (examples/tcp_client_patterns' request_client).
# Usage: round_trip.sh <directory of echo_server and client> [client options…]
set -euo pipefail
bin=${1:?usage: round_trip.sh <directory of echo_server and client> [client options…]}
shift

log=$(mktemp)
"$bin/echo_server" --host 127.0.0.1 --port 0 >"$log" 2>&1 &
server=$!
stop_server() {
  kill -TERM "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  sed 's/^/  server: /' "$log"
  rm -f "$log"
}
trap stop_server EXIT

port=
for _ in $(seq 100); do  # up to 10 s
  port=$(sed -n 's/^echo_server listening on 127\.0\.0\.1:\([0-9][0-9]*\)$/\1/p' "$log")
  [[ -n $port ]] && break
  if ! kill -0 "$server" 2>/dev/null; then
    echo "echo_server exited before listening" >&2
    exit 1
  fi
  sleep 0.1
done
if [[ -z $port ]]; then
  echo "echo_server did not listen within 10 s" >&2
  exit 1
fi

"${CLIENT:-$bin/client}" --host 127.0.0.1 --port "$port" "$@"
