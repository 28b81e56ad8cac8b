// SPDX-License-Identifier: Apache-2.0
// A Node client against the C++ server: trading.wk's NewOrder in SOFH frames of
// --frame-size bytes (the note pads the message to it; 68, the default, is the
// smallest NewOrder, and no message of trading.wk with a part to pad is
// smaller: the nearest to the 64 B of the other benchmarks) sent over TCP loopback
// to examples/tcp_round_trip/echo_server, which decodes each one and sends it
// back; timed from the first send until the client has handled the last echo.
// Two clients in the same run, on the same server:
//
//   package      this package's MessageStream: send(NewOrder, fill) setting every
//                field, on(NewOrder) reading the echo's quantity
//   handwritten  what a Node peer writes without it (bench/node/framed_tcp.mjs's
//                chunked sender): the frame, encoded once, copied into 64 KiB
//                Buffers with the order id and quantity patched through a
//                DataView, written whole with 'drain' backpressure; echoes cut
//                from each 'data' chunk by their SOFH length and read in place
//
// The script starts the server (--server: the echo_server executable) on a free
// loopback port and stops it at the end, also on failure or timeout.
//
//   node dist/bench/cpp_echo.js --server PATH [--frame-size 68] [--frames 262144]
//                               [--repetitions 5] [--timeout 300]
// Prints one JSON object per client and repetition (after one unreported warm-up
// run of each; the clients take turns):
//   {"name":"tcp_echo/node_package/68","frame_bytes":64,"frames":…,"seconds":…,"messages_per_second":…}
import { spawn } from 'node:child_process';
import net from 'node:net';
import { parseArgs } from 'node:util';
import { MessageStream } from '../src/index.js';
import { NewOrder, OrdType, Schema, Side, Tif } from '../generated/trading.wk.js';
import type { AnyMessage, NewOrderEncoder } from '../generated/trading.wk.js';

const { values } = parseArgs({
  options: {
    server: { type: 'string' },
    'frame-size': { type: 'string', default: '68' },
    frames: { type: 'string', default: '262144' },
    repetitions: { type: 'string', default: '5' },
    timeout: { type: 'string', default: '300' },
  },
});
if (!values.server) {
  console.error('usage: cpp_echo.js --server ECHO_SERVER [--frame-size 68] [--frames 262144] [--repetitions 5] [--timeout 300]');
  process.exit(2);
}
const SOFH_LENGTH = 6;
const CHUNK_SIZE = 64 * 1024;
const frameSize = Number(values['frame-size']);
const frames = Number(values.frames);
const repetitions = Number(values.repetitions);

// Every field set; the note's length makes the frame --frame-size bytes.
function fill(order: NewOrderEncoder, index: number, note: Uint8Array): void {
  order.orderId = BigInt(index);
  order.symbol = 'ACME';
  order.side = Side.Buy;
  order.ordType = OrdType.Limit;
  order.tif = Tif.Day;
  order.price.mantissa = 12345n;
  order.price.exponent = -2;
  order.quantity = index;
  order.stopPrice = undefined;
  order.clientTag = 7;
  order.legs(0);
  order.account('');
  order.note(note);
}
const scratch = new Uint8Array(1024);
const emptyFrame = SOFH_LENGTH + (() => {
  const order = NewOrder.encode(scratch);
  fill(order, 0, new Uint8Array(0));
  return order.encodedLength();
})();
if (!(frameSize >= emptyFrame && frameSize <= scratch.length) || !(frames > 0) || !(repetitions > 0)) {
  throw new RangeError(`--frame-size must be from ${emptyFrame} to ${scratch.length}, --frames and --repetitions positive`);
}
const note = new Uint8Array(frameSize - emptyFrame).fill(0x2e);

// The frame the hand-written client copies, and where it patches it.
const template = Buffer.alloc(frameSize);
new DataView(template.buffer, template.byteOffset).setUint32(0, frameSize);
template.writeUInt16BE(Schema.littleEndian ? 0xeb50 : 0x5be0, 4);
const encoded = NewOrder.encode(template, SOFH_LENGTH);
fill(encoded, 0, note);
if (SOFH_LENGTH + encoded.encodedLength() !== frameSize) throw new Error('the template frame is not --frame-size bytes');
const probe = NewOrder.decode(template, SOFH_LENGTH);
const ORDER_ID_AT = SOFH_LENGTH + Schema.headerLength; // orderId: the block's first field
const QUANTITY_AT = (() => {
  // Found, not assumed: the one offset where a changed quantity shows.
  const copy = Buffer.from(template);
  const order = NewOrder.encode(copy, SOFH_LENGTH);
  fill(order, 0x01020304, note);
  order.encodedLength();
  for (let at = ORDER_ID_AT + 8; at + 4 <= frameSize; at++) if (copy.readUInt32LE(at) === 0x01020304) return at;
  throw new Error('no quantity in the frame');
})();
if (probe.quantity !== 0) throw new Error('the template frame does not decode');

interface Client {
  name: string;
  // Sends frames [0, frames) and resolves when every echo has been handled.
  run(): Promise<void>;
  close(): void;
}

// The echoes of one run: each quantity (the frame's index) once.
function echoes(): { wait(): Promise<void>; add(quantity: number): void } {
  let received = 0;
  let sum = 0;
  let resolve: () => void = () => {};
  return {
    wait: () => new Promise<void>((done) => {
      received = 0;
      sum = 0;
      resolve = done;
    }),
    add(quantity: number): void {
      sum += quantity;
      if (++received !== frames) return;
      if (sum !== (frames * (frames - 1)) / 2) throw new Error(`echoed quantities sum to ${sum}`);
      resolve();
    },
  };
}

function packageClient(socket: net.Socket): Client {
  const messages = new MessageStream<AnyMessage>(socket, Schema);
  const echoed = echoes();
  messages.on(NewOrder, (order) => echoed.add(order.quantity));
  messages.on('badMessage', (error) => {
    throw error;
  });
  return {
    name: 'node_package',
    run: () => {
      const done = echoed.wait();
      let index = 0;
      const sendMore = (): void => {
        while (index < frames) {
          const i = index++;
          if (!messages.send(NewOrder, (order) => fill(order, i, note))) return;
        }
        messages.off('drain', sendMore);
      };
      messages.on('drain', sendMore);
      sendMore();
      return done;
    },
    close: () => messages.destroy(),
  };
}

function handwrittenClient(socket: net.Socket): Client {
  const echoed = echoes();
  let pending: Buffer | null = null;
  socket.on('data', (chunk: Buffer) => {
    const bytes = pending === null ? chunk : Buffer.concat([pending, chunk]);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let start = 0;
    while (bytes.length - start >= SOFH_LENGTH) {
      const length = view.getUint32(start);
      if (length < SOFH_LENGTH + Schema.headerLength) throw new Error(`bad frame length ${length}`);
      if (bytes.length - start < length) break;
      if (view.getUint16(start + SOFH_LENGTH + 2, true) !== NewOrder.templateId) throw new Error('not a NewOrder');
      echoed.add(view.getUint32(start + QUANTITY_AT, true));
      start += length;
    }
    pending = start === bytes.length ? null : bytes.subarray(start);
  });
  return {
    name: 'node_handwritten',
    run: () => {
      const done = echoed.wait();
      let index = 0;
      const sendMore = (): void => {
        while (index < frames) {
          const chunk = Buffer.allocUnsafe(Math.max(CHUNK_SIZE, frameSize));
          const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
          let used = 0;
          while (index < frames && chunk.length - used >= frameSize) {
            template.copy(chunk, used);
            view.setBigUint64(used + ORDER_ID_AT, BigInt(index), Schema.littleEndian);
            view.setUint32(used + QUANTITY_AT, index, Schema.littleEndian);
            used += frameSize;
            index++;
          }
          if (!socket.write(chunk.subarray(0, used))) {
            socket.once('drain', sendMore);
            return;
          }
        }
      };
      sendMore();
      return done;
    },
    close: () => socket.destroy(),
  };
}

async function connect(port: number): Promise<net.Socket> {
  const socket = net.connect(port, '127.0.0.1');
  socket.setNoDelay(true);
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  return socket;
}

async function main(): Promise<void> {
  const server = spawn(values.server!, ['--host', '127.0.0.1', '--port', '0', '--log-lines', '5'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const timer = setTimeout(() => fail(`timed out after ${values.timeout} s`), Number(values.timeout) * 1000);
  function fail(why: string): void {
    server.kill('SIGKILL');
    process.stderr.write(`cpp_echo: ${why}\n${log.replace(/^/gm, '  server: ')}`);
    process.exit(1);
  }
  const exited = new Promise<void>((resolve) => server.on('exit', () => resolve()));
  const early = (code: number | null, signal: string | null): void => fail(`the server exited (${code ?? signal}) before the end`);
  server.once('exit', early);
  server.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const port = await new Promise<number>((resolve) => {
    server.stdout.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      const found = /echo_server listening on 127\.0\.0\.1:(\d+)/.exec(log)?.[1];
      if (found !== undefined) resolve(Number(found));
    });
  });
  const clients = [packageClient(await connect(port)), handwrittenClient(await connect(port))];
  for (let run = 0; run <= repetitions; run++) {
    for (const client of clients) {
      const start = process.hrtime.bigint();
      await client.run();
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      if (run === 0) continue; // the warm-up
      console.log(JSON.stringify({
        name: `tcp_echo/${client.name}/${frameSize}`, frame_bytes: frameSize, frames,
        seconds: Number(seconds.toFixed(4)), messages_per_second: Math.round(frames / seconds),
      }));
    }
  }
  // The server drains on SIGTERM (its connections are closed already).
  for (const client of clients) client.close();
  server.off('exit', early);
  server.kill('SIGTERM');
  const killer = setTimeout(() => server.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(killer);
  clearTimeout(timer);
}

await main();
