// SPDX-License-Identifier: Apache-2.0
// The Node.js server of wirekit_bench_latency's `node` contender (bench/latency.cpp):
// this package's MessageStream over a net.Socket answering each Blob
// (bench.wk, the generated TypeScript codec) with a new Blob of the same
// fields, as the C++ benchmark server does. The C++ client times the round
// trips, so both contenders with a C++ client share one clock and one report.
//
//   node dist/bench/latency_peer.js [--host 127.0.0.1]
// Listens on a free loopback port and prints it as one line of JSON
// ({"port": N}) on stdout; exits when its stdin closes (the benchmark ends,
// or dies, and the pipe goes with it) or on SIGTERM.
import net from 'node:net';
import { parseArgs } from 'node:util';
import { MessageStream } from '../src/index.js';
import { Blob, Schema } from '../generated/bench.wk.js';
import type { AnyMessage } from '../generated/bench.wk.js';

const { values } = parseArgs({ options: { host: { type: 'string', default: '127.0.0.1' } } });
const connections = new Set<net.Socket>();
const server = net.createServer((socket) => {
  socket.setNoDelay(true);
  connections.add(socket);
  const messages = new MessageStream<AnyMessage>(socket, Schema);
  messages.on(Blob, (request) => {
    messages.send(Blob, (reply) => {
      reply.offset = request.offset;
      reply.data(request.data);
    });
  });
  messages.on('end', () => messages.end());
  // The client's close at the end of its turn is no failure.
  messages.on('error', () => {});
  socket.on('close', () => connections.delete(socket));
});
const stop = (): void => {
  server.close();
  for (const socket of connections) socket.destroy();
};
server.listen(0, values.host, () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as net.AddressInfo).port })}\n`);
});
process.stdin.on('end', stop);
process.stdin.on('error', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
