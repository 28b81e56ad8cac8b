// SPDX-License-Identifier: Apache-2.0
// Typed messages through one nats-server, wirekit's MessageBus (C++,
// bench/nats.cpp) against Node's `nats` client with the generated TypeScript
// codecs, in the same run and through the same server, which this script
// starts (on a loopback port) and stops.
//
// bench.wk's Blob (header, offset, u32 length, payload) of --size bytes;
// --messages per run; the same two measures on each side, two connections
// of one process:
//   publish  Blob.encode into one scratch buffer, nc.publish of a copy (the
//            client keeps the bytes), to a subject nobody subscribes to;
//            timed until nc.flush() resolves (the server has them all)
//   pubsub   the same with the other connection subscribed, each message
//            decoded (Blob.decode, its offset summed); timed until the last
//            one is handled
// nats.js buffers publishes without a backpressure signal; this side yields
// to the event loop every --batch messages so the socket is written out.
//
//   node dist/bench/nats.js --cpp PATH/wirekit_bench_nats [--size 64] [--messages 200000] [--repetitions 5]
// Prints one JSON object per repetition, as wirekit_bench_nats does
// ({"name":"nats/node/publish/64",…}, after one unreported warm-up run), then
// the C++ lines, then per measure the ratio of the medians:
//   {"name":"nats/ratio/publish/64","wirekit_over_node":…}
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { connect } from 'nats';
import type { NatsConnection } from 'nats';
import { Blob } from '../generated/bench.wk.js';
import { natsServerExecutable, startNatsServer } from '../test/nats/nats_server.js';

const { values } = parseArgs({
  options: {
    cpp: { type: 'string' },
    size: { type: 'string', default: '64' },
    messages: { type: 'string', default: '200000' },
    repetitions: { type: 'string', default: '5' },
    batch: { type: 'string', default: '1024' },
  },
});
const OVERHEAD = 8 + 8 + 4;
const size = Number(values.size);
const messages = Number(values.messages);
const repetitions = Number(values.repetitions);
const batch = Number(values.batch);
if (!values.cpp || !(size >= OVERHEAD) || !(messages > 0) || !(repetitions > 0) || !(batch > 0)) {
  console.error(`usage: nats.js --cpp PATH [--size ${OVERHEAD}+] [--messages N] [--repetitions N] [--batch N]`);
  process.exit(2);
}
const executable = natsServerExecutable();
if (!executable) {
  console.error('nats.js: nats-server is not installed (scripts/install-deps installs it)');
  process.exit(1);
}

const payload = new Uint8Array(size - OVERHEAD).fill(0x5a);
const scratch = new Uint8Array(size);

async function publishAll(nc: NatsConnection, subject: string): Promise<void> {
  for (let i = 0; i < messages; i++) {
    const blob = Blob.encode(scratch);
    blob.offset = BigInt(i);
    blob.data(payload);
    nc.publish(subject, scratch.slice(0, blob.encodedLength()));
    if (i % batch === batch - 1) await new Promise((resolve) => setImmediate(resolve));
  }
}

async function run(publisher: NatsConnection, subscriber: NatsConnection, subscribed: boolean): Promise<number> {
  const start = process.hrtime.bigint();
  if (!subscribed) {
    await publishAll(publisher, 'bench.nats.publish');
    await publisher.flush();
    return Number(process.hrtime.bigint() - start) / 1e9;
  }
  let received = 0;
  let sum = 0n;
  let done: () => void = () => {};
  const all = new Promise<void>((resolve) => (done = resolve));
  const subscription = subscriber.subscribe('bench.nats.pubsub', {
    callback: (error, message) => {
      if (error) throw error;
      sum += Blob.decode(message.data).offset;
      if (++received === messages) done();
    },
  });
  await subscriber.flush();
  const timed = process.hrtime.bigint();
  await publishAll(publisher, 'bench.nats.pubsub');
  await all;
  const seconds = Number(process.hrtime.bigint() - timed) / 1e9;
  subscription.unsubscribe();
  if (sum !== (BigInt(messages) * BigInt(messages - 1)) / 2n) throw new Error('messages lost or changed');
  return seconds;
}

function median(numbers: number[]): number {
  const sorted = [...numbers].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const server = await startNatsServer(executable);
const rates = new Map<string, number[]>();
try {
  const publisher = await connect({ servers: server.url });
  const subscriber = await connect({ servers: server.url });
  for (const subscribed of [false, true]) {
    const kind = subscribed ? 'pubsub' : 'publish';
    await run(publisher, subscriber, subscribed); // warm-up
    for (let i = 0; i < repetitions; i++) {
      const seconds = await run(publisher, subscriber, subscribed);
      const line = { name: `nats/node/${kind}/${size}`, message_bytes: size, messages, seconds, messages_per_second: Math.round(messages / seconds) };
      console.log(JSON.stringify(line));
      rates.set(line.name, [...(rates.get(line.name) ?? []), line.messages_per_second]);
    }
  }
  await publisher.close();
  await subscriber.close();

  const cpp = spawnSync(values.cpp, ['--server', server.url, '--size', String(size), '--messages', String(messages), '--repetitions', String(repetitions)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (cpp.status !== 0) throw new Error(`${values.cpp} exited with ${cpp.status ?? cpp.signal}`);
  for (const text of cpp.stdout.split('\n').filter(Boolean)) {
    console.log(text);
    const line = JSON.parse(text) as { name: string; messages_per_second: number };
    rates.set(line.name, [...(rates.get(line.name) ?? []), line.messages_per_second]);
  }
  for (const kind of ['publish', 'pubsub']) {
    const wirekit = rates.get(`nats/wirekit/${kind}/${size}`);
    const node = rates.get(`nats/node/${kind}/${size}`);
    if (!wirekit || !node) throw new Error(`no ${kind} results`);
    console.log(JSON.stringify({ name: `nats/ratio/${kind}/${size}`, wirekit_over_node: median(wirekit) / median(node) }));
  }
} finally {
  await server.stop();
}
