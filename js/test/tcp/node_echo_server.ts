// SPDX-License-Identifier: Apache-2.0
// The Node peer of examples/tcp_round_trip/echo_server.cpp: every frame a
// client sends is decoded with trading.wk (so a bad one is reported, not
// echoed) and sent back as it came, with backpressure: it stops reading while
// the client does not keep up. Serves until SIGTERM or SIGINT.
//
//   node node_echo_server.js [--host 127.0.0.1] [--port 0]
import net from 'node:net';
import { parseArgs } from 'node:util';
import { MessageStream } from '../../src/index.js';
import { Schema } from '../../generated/trading.wk.js';
import type { AnyMessage } from '../../generated/trading.wk.js';

const { values } = parseArgs({
  options: { host: { type: 'string', default: '127.0.0.1' }, port: { type: 'string', default: '0' } },
});
const connections = new Set<MessageStream<AnyMessage>>();
const server = net.createServer((socket) => {
  const stream = new MessageStream<AnyMessage>(socket, Schema);
  const peer = `${socket.remoteAddress}:${socket.remotePort}`;
  connections.add(stream);
  stream.onAny((message, frame) => {
    if (stream.receivedMessages === 1) console.log(`${peer} first message: ${message.toJSON()}`);
    if (!stream.sendEncoded(frame)) stream.pause();
  });
  stream.on('drain', () => stream.resume());
  stream.on('badMessage', (error) => console.error(`${peer} bad message: ${error.message}`));
  stream.on('end', () => stream.end());
  stream.on('error', (error) => console.error(`${peer} error: ${error.message}`));
  stream.on('close', () => {
    console.log(`${peer} closed: ${stream.receivedMessages} messages echoed, ${stream.badMessages} bad`);
    connections.delete(stream);
  });
});
server.listen(Number(values.port), values.host, () => {
  const address = server.address() as net.AddressInfo;
  console.log(`echo_server listening on ${values.host}:${address.port}`);
});
const stop = (): void => {
  console.log(`echo_server: stopping (${connections.size} connections open)`);
  server.close();
  for (const connection of connections) connection.destroy();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
