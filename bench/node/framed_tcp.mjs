// The Node.js peer of wirekit_bench_streams' TCP benchmark: the same frames
// (SOFH, then bench.wk's Blob message: header, offset, u32 length, payload) sent
// from one Node process to another over TCP loopback, written and read the way
// a Node service would: each message encoded with a DataView into its own
// Buffer and written with socket.write() (corked in batches, so Node hands the
// kernel one writev per batch of up to 256, and waiting for 'drain' once
// write() returns false);
// the receiver cuts 'data' chunks into frames, across chunk boundaries, and
// decodes each message with a DataView.
//
//   node framed_tcp.mjs [--frame-size 64] [--frames 200000] [--repetitions 5]
//                       [--high-water-mark 16384]
//
// --high-water-mark is the sending socket's writableHighWaterMark (Node's
// default is 16 KiB); wirekit's benchmark sends with the same value.
//
// Prints one JSON object per repetition (after one unreported warm-up run):
//   {"name":"tcp/node/64","frame_bytes":64,"frames":200000,"seconds":…,"messages_per_second":…}
// timed from the first write until the receiver has decoded the last frame.

import { fork } from 'node:child_process';
import net from 'node:net';
import { parseArgs } from 'node:util';

const SOFH_LENGTH = 6;
const SBE_LITTLE_ENDIAN = 0xeb50;
const HEADER_LENGTH = 8;
const BLOB_BLOCK_LENGTH = 8;
const BLOB_TEMPLATE_ID = 4;
const SCHEMA_ID = 7;
const FRAME_OVERHEAD = SOFH_LENGTH + HEADER_LENGTH + BLOB_BLOCK_LENGTH + 4;
const CORK_BATCH = 256;

const { values: options } = parseArgs({
  options: {
    'frame-size': { type: 'string', default: '64' },
    frames: { type: 'string', default: '200000' },
    repetitions: { type: 'string', default: '5' },
    'high-water-mark': { type: 'string', default: '16384' },
    serve: { type: 'boolean', default: false },
  },
});
const frameSize = Number(options['frame-size']);
const frames = Number(options.frames);
if (!(frameSize >= FRAME_OVERHEAD) || !(frames > 0)) {
  throw new RangeError(`--frame-size must be at least ${FRAME_OVERHEAD} and --frames positive`);
}

// Writes frame `index` into a new Buffer.
function encodeFrame(index, payload) {
  const frame = Buffer.allocUnsafe(frameSize);
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  view.setUint32(0, frameSize); // SOFH: big-endian
  view.setUint16(4, SBE_LITTLE_ENDIAN);
  let at = SOFH_LENGTH;
  view.setUint16(at, BLOB_BLOCK_LENGTH, true);
  view.setUint16(at + 2, BLOB_TEMPLATE_ID, true);
  view.setUint16(at + 4, SCHEMA_ID, true);
  view.setUint16(at + 6, 0, true);
  at += HEADER_LENGTH;
  view.setUint32(at, index, true); // offset: u64, little-endian, below 2^32 here
  view.setUint32(at + 4, 0, true);
  at += BLOB_BLOCK_LENGTH;
  view.setUint32(at, payload.length, true);
  frame.set(payload, at + 4);
  return frame;
}

// Decodes the Blob in frame bytes [start, start + length) of view; returns its offset.
function decodeFrame(view, start, length) {
  let at = start + SOFH_LENGTH;
  const blockLength = view.getUint16(at, true);
  if (view.getUint16(at + 2, true) !== BLOB_TEMPLATE_ID || view.getUint16(at + 4, true) !== SCHEMA_ID) {
    throw new Error(`not a Blob at ${start}`);
  }
  if (blockLength < BLOB_BLOCK_LENGTH) throw new Error(`short block at ${start}`);
  at += HEADER_LENGTH;
  const offset = view.getUint32(at, true) + view.getUint32(at + 4, true) * 2 ** 32;
  at += blockLength;
  const dataLength = view.getUint32(at, true);
  if (at + 4 + dataLength > start + length) throw new Error(`payload runs past the frame at ${start}`);
  return offset;
}

function serve() {
  const server = net.createServer((socket) => {
    socket.setNoDelay(true);
    let pending = null; // bytes of an unfinished frame
    let received = 0;
    let checksum = 0;
    socket.on('data', (chunk) => {
      const bytes = pending === null ? chunk : Buffer.concat([pending, chunk]);
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      let start = 0;
      while (bytes.length - start >= SOFH_LENGTH) {
        const length = view.getUint32(start);
        if (view.getUint16(start + 4) !== SBE_LITTLE_ENDIAN || length < FRAME_OVERHEAD) {
          throw new Error(`bad frame at ${received}`);
        }
        if (bytes.length - start < length) break;
        checksum += decodeFrame(view, start, length);
        start += length;
        received += 1;
        if (received === frames) {
          process.send({ done: true, checksum });
          received = 0;
        }
      }
      pending = start === bytes.length ? null : bytes.subarray(start);
    });
  });
  server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
  process.on('disconnect', () => process.exit(0));
}

async function measure() {
  const receiver = fork(new URL(import.meta.url).pathname, [
    '--serve', '--frame-size', String(frameSize), '--frames', String(frames),
  ]);
  const messages = [];
  let wake = null;
  receiver.on('message', (message) => {
    messages.push(message);
    if (wake) wake();
  });
  const nextMessage = async () => {
    while (messages.length === 0) await new Promise((resolve) => { wake = resolve; });
    return messages.shift();
  };

  const { port } = await nextMessage();
  const socket = net.connect({
    port, host: '127.0.0.1', writableHighWaterMark: Number(options['high-water-mark']),
  });
  socket.setNoDelay(true);
  await new Promise((resolve) => socket.once('connect', resolve));
  const payload = Buffer.alloc(frameSize - FRAME_OVERHEAD, 7);
  // The first run warms up the JIT and is not reported.
  const repetitions = Number(options.repetitions);
  for (let repetition = -1; repetition < repetitions; ++repetition) {
    const started = process.hrtime.bigint();
    for (let index = 0; index < frames;) {
      socket.cork();
      const end = Math.min(frames, index + CORK_BATCH);
      let room = true;
      while (index < end && room) room = socket.write(encodeFrame(index++, payload));
      socket.uncork();
      if (!room) await new Promise((resolve) => socket.once('drain', resolve));
    }
    await nextMessage();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (repetition < 0) continue;
    console.log(JSON.stringify({
      name: `tcp/node/${frameSize}`,
      frame_bytes: frameSize,
      frames,
      seconds,
      messages_per_second: frames / seconds,
    }));
  }
  socket.end();
  receiver.disconnect();
}

if (options.serve) serve();
else await measure();
