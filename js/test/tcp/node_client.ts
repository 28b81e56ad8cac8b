// SPDX-License-Identifier: Apache-2.0
// The Node peer of examples/tcp_round_trip/client.cpp: sends --count messages of
// every type of trading.wk to an echo server (the C++ echo_server) through a
// MessageStream, each made from a seeded generator, and checks every echoed
// message's JSON form (every field) against what it sent. Exits 1 on any
// mismatch, bad message, error or timeout.
//
//   node node_client.js --port PORT [--host 127.0.0.1] [--count 25000] [--seed 1] [--timeout 60]
import net from 'node:net';
import { parseArgs } from 'node:util';
import { MessageStream } from '../../src/index.js';
import { ExecutionReport, Heartbeat, MarketDataIncremental, NewOrder, Schema } from '../../generated/trading.wk.js';
import type { AnyMessage } from '../../generated/trading.wk.js';
import { Samples, TYPE_COUNT } from '../support/trading_samples.js';

const { values } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string' },
    count: { type: 'string', default: '25000' },
    seed: { type: 'string', default: '1' },
    timeout: { type: 'string', default: '60' },
  },
});
const total = Number(values.count) * TYPE_COUNT;
const sent = new Samples(BigInt(values.seed));
const expected = new Samples(BigInt(values.seed));
let checked = 0;
let mismatches = 0;
let failure = '';

const socket = net.connect(Number(values.port), values.host);
const messages = new MessageStream<AnyMessage>(socket, Schema);
const deadline = setTimeout(() => fail(`timed out after ${values.timeout} s: ${checked} of ${total} messages echoed`), Number(values.timeout) * 1000);
let start = 0n;

function fail(why: string): void {
  if (failure) return;
  failure = why;
  process.stderr.write(`node client: ${why}\n`);
  messages.destroy();
}

function sendMore(): void {
  while (sent.index < total) {
    if (!sent.sendNext(messages)) return;
  }
}

function check(message: AnyMessage): void {
  const want = expected.nextJSON();
  const got = message.toJSON();
  if (got !== want && ++mismatches <= 10) process.stderr.write(`node client: mismatch at ${checked}:\n  sent: ${want}\n  back: ${got}\n`);
  if (++checked === total) {
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    clearTimeout(deadline);
    console.log(`node client: ${checked} of ${total} messages round-tripped, ${mismatches} differed; ${Math.round(total / seconds)} messages/s each way`);
    messages.end();
  }
}

messages.on(NewOrder, check).on(ExecutionReport, check).on(MarketDataIncremental, check).on(Heartbeat, check);
messages.on('drain', sendMore);
messages.on('badMessage', (error) => fail(`bad message: ${error.message}`));
messages.on('error', (error) => fail(error.message));
messages.on('end', () => {
  if (checked < total) fail(`the server ended the connection after ${checked} of ${total} messages`);
});
messages.on('close', () => {
  clearTimeout(deadline);
  process.exitCode = failure || mismatches > 0 || checked !== total ? 1 : 0;
});
socket.once('connect', () => {
  console.log(`node client: connected; sending ${values.count} messages of each of ${TYPE_COUNT} types (seed ${values.seed})`);
  start = process.hrtime.bigint();
  sendMore();
});
