// SPDX-License-Identifier: Apache-2.0
// Interop of wirekit's MessageBus (C++, examples/nats_bus/nats_bus_peer) with
// the official Node client, `nats`, through a nats-server this script starts
// and stops. Both ways, --count messages of each of trading.wk's 4 types:
//   1. the peer publishes messages made from --seed with MessageBus (and
//      checks them field by field against what it sent as they come back to
//      its own subscriptions); Node subscribes to demo.trading.>, checks each
//      message's subject (demo.trading.<Message>), decodes it with the
//      generated TypeScript codecs and compares its JSON form (every field)
//      with the peer's JSON of the same message;
//   2. Node publishes messages made from --seed (test/support/trading_samples.ts)
//      to their subjects; the peer consumes them with MessageBus and writes
//      each one's JSON form, compared here with what was sent.
// Exits 0 when both pass, 77 (CTest's skip) without nats-server, 1 otherwise.
//
//   node interop.js --peer PATH [--count 1000] [--seed 1] [--timeout 120]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { connect } from 'nats';
import { Schema } from '../../generated/trading.wk.js';
import { Samples, TYPE_COUNT } from '../support/trading_samples.js';
import { natsServerExecutable, startNatsServer } from './nats_server.js';

const { values } = parseArgs({
  options: {
    peer: { type: 'string' },
    count: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '1' },
    timeout: { type: 'string', default: '120' },
  },
});
if (!values.peer) {
  console.error('usage: interop.js --peer PATH [--count 1000] [--seed 1] [--timeout 120]');
  process.exit(2);
}
const executable = natsServerExecutable();
if (!executable) {
  console.log('interop: nats-server is not installed (scripts/install-deps installs it): skipped');
  process.exit(77);
}
const total = Number(values.count) * TYPE_COUNT;
const seed = BigInt(values.seed);
const server = await startNatsServer(executable);
const deadline = setTimeout(() => {
  console.error(`interop: timed out after ${values.timeout} s`);
  void server.stop().then(() => process.exit(1));
}, Number(values.timeout) * 1000);

/** The subject MessageBus sends a message to by default. */
function subjectOf(bytes: Uint8Array): string {
  const decoded = Schema.decode(bytes);
  return `${Schema.package}.${Schema.messages.get(decoded.templateId)!.name}`;
}

const work = mkdtempSync(join(tmpdir(), 'wirekit-nats-interop-'));

/** Runs the peer; resolves with its exit code and its JSON lines once it exits, calling onLine for each stdout line. */
async function runPeer(mode: string, onLine: (line: string) => void = () => {}): Promise<{ code: number; json: string[] }> {
  const file = join(work, `${mode}.jsonl`);
  const child = spawn(values.peer!, ['--server', server.url, '--mode', mode, '--json', file, '--count', values.count!, '--seed', values.seed!], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let pending = '';
  child.stdout.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    for (let end = pending.indexOf('\n'); end >= 0; end = pending.indexOf('\n')) {
      const line = pending.slice(0, end);
      pending = pending.slice(end + 1);
      console.log(`  peer ${mode}: ${line}`);
      onLine(line);
    }
  });
  const code = await new Promise<number>((resolve) => child.once('exit', (status) => resolve(status ?? 1)));
  let json: string[] = [];
  try {
    json = readFileSync(file, 'utf8').split('\n').slice(0, -1);
  } catch {
    // No file: the exit code says why.
  }
  return { code, json };
}

let failures = 0;
function fail(why: string): void {
  if (++failures <= 10) console.error(`interop: ${why}`);
}

/** Every message's JSON form as sent and as received, in order. */
function compare(way: string, sent: string[], received: string[]): void {
  if (received.length !== total || sent.length !== total) fail(`${way}: ${sent.length} sent, ${received.length} received, of ${total}`);
  let differ = 0;
  for (let i = 0; i < Math.min(sent.length, received.length); i++) {
    if (sent[i] === received[i]) continue;
    differ++;
    fail(`${way}: message ${i} differs:\n  sent:     ${sent[i]}\n  received: ${received[i]}`);
  }
  console.log(`interop: ${way}: ${received.length} of ${total} messages, ${differ} differ`);
}

const nc = await connect({ servers: server.url, name: 'interop (node nats)' });
try {
  // 1. C++ MessageBus -> Node nats.
  const got: string[] = [];
  let allReceived: () => void = () => {};
  const everything = new Promise<void>((resolve) => (allReceived = resolve));
  nc.subscribe(`${Schema.package}.>`, {
    callback: (error, message) => {
      if (error) return fail(`subscription: ${error.message}`);
      const index = got.length;
      try {
        got.push(Schema.decode(message.data).toJSON());
        if (message.subject !== subjectOf(message.data)) fail(`message ${index} on ${message.subject}, not ${subjectOf(message.data)}`);
      } catch (error) {
        got.push('');
        fail(`message ${index} from C++ does not decode: ${(error as Error).message}`);
      }
      if (got.length === total) allReceived();
    },
  });
  await nc.flush();
  const publisher = await runPeer('publish');
  if (publisher.code !== 0) fail(`the C++ publisher exited with ${publisher.code}`);
  else await everything;
  compare('C++ MessageBus -> node nats', publisher.json, got);

  // 2. Node nats -> C++ MessageBus.
  const sent = new Samples(seed);
  const scratch = new Uint8Array(64 * 1024);
  const consumer = runPeer('consume', (line) => {
    if (line !== 'ready') return;
    for (let i = 0; i < total; i++) {
      const length = sent.encodeNext(scratch);
      const bytes = scratch.slice(0, length);
      nc.publish(subjectOf(bytes), bytes);
    }
    void nc.flush();
  });
  const consumed = await consumer;
  if (consumed.code !== 0) fail(`the C++ consumer exited with ${consumed.code}`);
  const expected = new Samples(seed);
  compare('node nats -> C++ MessageBus', Array.from({ length: total }, () => expected.nextJSON()), consumed.json);
} finally {
  await nc.close();
  clearTimeout(deadline);
  await server.stop();
  rmSync(work, { recursive: true, force: true });
}
process.exit(failures === 0 ? 0 : 1);
