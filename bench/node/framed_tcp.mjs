// SPDX-License-Identifier: Apache-2.0
// The Node.js peer of wirekit_bench_streams' TCP benchmark: the same frames
// (SOFH, then bench.wk's Blob message: header, offset, u32 length, payload) sent
// from one Node process to another over TCP loopback, each message encoded with
// a DataView, written with net, with 'drain' backpressure (wait once write()
// returns false). Two ways to send, as a Node service would:
//
//   --sender per-message   each message in its own Buffer, socket.write() per
//                          message, corked in batches of up to 256 so that Node
//                          hands the kernel one writev per batch (tcp/node/<size>)
//   --sender chunked       messages encoded back to back into a 64 KiB Buffer,
//                          written as one subarray when it is full or the batch
//                          ends: what wirekit's MessageStream does (tcp/node_chunked/<size>)
//
// The receiver cuts 'data' chunks into frames, across chunk boundaries, and
// decodes each message with a DataView.
//
//   node framed_tcp.mjs [--sender per-message|chunked] [--frame-size 64]
//                       [--frames 200000] [--repetitions 5] [--high-water-mark 16384]
//
// --high-water-mark is the sending socket's writableHighWaterMark (Node's
// default, 16 KiB, is also wirekit's TcpSocket's).
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
const CHUNK_SIZE = 64 * 1024;

const { values: options } = parseArgs({
  options: {
    'frame-size': { type: 'string', default: '64' },
    frames: { type: 'string', default: '200000' },
    repetitions: { type: 'string', default: '5' },
    'high-water-mark': { type: 'string', default: '16384' },
    sender: { type: 'string', default: 'per-message' },
    serve: { type: 'boolean', default: false },
  },
});
const frameSize = Number(options['frame-size']);
const frames = Number(options.frames);
if (!(frameSize >= FRAME_OVERHEAD) || !(frames > 0)) {
  throw new RangeError(`--frame-size must be at least ${FRAME_OVERHEAD} and --frames positive`);
}

// Writes frame `index` at byte `start` of view.
function encodeFrame(view, bytes, start, index, payload) {
  view.setUint32(start, frameSize); // SOFH: big-endian
  view.setUint16(start + 4, SBE_LITTLE_ENDIAN);
  let at = start + SOFH_LENGTH;
  view.setUint16(at, BLOB_BLOCK_LENGTH, true);
  view.setUint16(at + 2, BLOB_TEMPLATE_ID, true);
  view.setUint16(at + 4, SCHEMA_ID, true);
  view.setUint16(at + 6, 0, true);
  at += HEADER_LENGTH;
  view.setUint32(at, index, true); // offset: u64, little-endian, below 2^32 here
  view.setUint32(at + 4, 0, true);
  at += BLOB_BLOCK_LENGTH;
  view.setUint32(at, payload.length, true);
  bytes.set(payload, at + 4);
}

// Sends frames [0, frames) through socket, one Buffer per message.
async function sendPerMessage(socket, payload) {
  for (let index = 0; index < frames;) {
    socket.cork();
    const end = Math.min(frames, index + CORK_BATCH);
    let room = true;
    while (index < end && room) {
      const frame = Buffer.allocUnsafe(frameSize);
      encodeFrame(new DataView(frame.buffer, frame.byteOffset, frameSize), frame, 0, index++,
        payload);
      room = socket.write(frame);
    }
    socket.uncork();
    if (!room) await new Promise((resolve) => socket.once('drain', resolve));
  }
}

// Sends frames [0, frames) through socket, encoded back to back into 64 KiB chunks.
async function sendChunked(socket, payload) {
  const chunkSize = Math.max(CHUNK_SIZE, frameSize);
  let chunk = Buffer.allocUnsafe(chunkSize);
  let view = new DataView(chunk.buffer, chunk.byteOffset, chunkSize);
  let used = 0;
  for (let index = 0; index < frames; ++index) {
    encodeFrame(view, chunk, used, index, payload);
    used += frameSize;
    if (chunkSize - used < frameSize || index + 1 === frames) {
      const room = socket.write(chunk.subarray(0, used));
      chunk = Buffer.allocUnsafe(chunkSize);
      view = new DataView(chunk.buffer, chunk.byteOffset, chunkSize);
      used = 0;
      if (!room) await new Promise((resolve) => socket.once('drain', resolve));
    }
  }
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
  const send = { 'per-message': sendPerMessage, chunked: sendChunked }[options.sender];
  if (!send) throw new RangeError('--sender must be per-message or chunked');
  const name = options.sender === 'chunked' ? 'node_chunked' : 'node';
  // The first run warms up the JIT and is not reported.
  const repetitions = Number(options.repetitions);
  for (let repetition = -1; repetition < repetitions; ++repetition) {
    const started = process.hrtime.bigint();
    await send(socket, payload);
    await nextMessage();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (repetition < 0) continue;
    console.log(JSON.stringify({
      name: `tcp/${name}/${frameSize}`,
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
