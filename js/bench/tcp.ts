// SPDX-License-Identifier: Apache-2.0
// The TCP benchmark of bench/node/framed_tcp.mjs with this package instead of
// hand-written code: bench.wk's Blob (SOFH, header, offset, u32 length,
// payload) of --frame-size bytes, sent by a MessageStream (send(Blob, fill),
// encoded in place into pooled chunks, 'drain' backpressure) over TCP loopback
// to another Node process whose MessageStream decodes each one (on(Blob)).
// Timed from the first send until the receiver has handled the last frame.
//
//   node dist/bench/tcp.js [--frame-size 64] [--frames 200000] [--repetitions 5]
// Prints one JSON object per repetition (after one unreported warm-up run):
//   {"name":"tcp/node_package/64","frame_bytes":64,"frames":…,"seconds":…,"messages_per_second":…}
import { fork } from 'node:child_process';
import net from 'node:net';
import { parseArgs } from 'node:util';
import { MessageStream } from '../src/index.js';
import { Blob, Schema } from '../generated/bench.wk.js';
import type { AnyMessage } from '../generated/bench.wk.js';

const { values } = parseArgs({
  options: {
    'frame-size': { type: 'string', default: '64' },
    frames: { type: 'string', default: '200000' },
    repetitions: { type: 'string', default: '5' },
    serve: { type: 'boolean', default: false },
  },
});
const FRAME_OVERHEAD = 6 + 8 + 8 + 4;
const frameSize = Number(values['frame-size']);
const frames = Number(values.frames);
if (!(frameSize >= FRAME_OVERHEAD) || !(frames > 0)) throw new RangeError(`--frame-size must be at least ${FRAME_OVERHEAD} and --frames positive`);

function serve(): void {
  const server = net.createServer((socket) => {
    const messages = new MessageStream<AnyMessage>(socket, Schema);
    let received = 0;
    let sum = 0n;
    messages.on(Blob, (blob) => {
      sum += blob.offset;
      if (blob.data.length !== frameSize - FRAME_OVERHEAD) throw new Error('a frame of another size');
      if (++received === frames) {
        process.send!({ done: true, sum: sum.toString() });
        received = 0;
      }
    });
    messages.on('badMessage', (error) => {
      throw error;
    });
  });
  server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as net.AddressInfo).port }));
  process.on('disconnect', () => process.exit(0));
}

async function main(): Promise<void> {
  const receiver = fork(new URL(import.meta.url).pathname, ['--serve', '--frame-size', String(frameSize), '--frames', String(frames)]);
  let onMessage: (message: { port?: number; done?: boolean }) => void = () => {};
  receiver.on('message', (message: { port?: number; done?: boolean }) => onMessage(message));
  const port = await new Promise<number>((resolve) => (onMessage = (m) => m.port !== undefined && resolve(m.port)));
  const socket = net.connect(port, '127.0.0.1');
  socket.setNoDelay(true);
  await new Promise((resolve) => socket.once('connect', resolve));
  const messages = new MessageStream<AnyMessage>(socket, Schema);
  const payload = new Uint8Array(frameSize - FRAME_OVERHEAD).fill(7);
  for (let run = 0; run <= Number(values.repetitions); run++) {
    const done = new Promise<void>((resolve) => (onMessage = (m) => m.done && resolve()));
    const start = process.hrtime.bigint();
    let index = 0;
    await new Promise<void>((resolve) => {
      const sendMore = (): void => {
        while (index < frames) {
          const offset = BigInt(index++);
          if (!messages.send(Blob, (blob) => {
            blob.offset = offset;
            blob.data(payload);
          })) return;
        }
        messages.off('drain', sendMore);
        resolve();
      };
      messages.on('drain', sendMore);
      sendMore();
    });
    await done;
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (run > 0) {
      console.log(JSON.stringify({
        name: `tcp/node_package/${frameSize}`, frame_bytes: frameSize, frames, seconds: Number(seconds.toFixed(4)),
        messages_per_second: Math.round(frames / seconds),
      }));
    }
  }
  socket.destroy();
  receiver.disconnect();
}

if (values.serve) serve();
else await main();
