// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import {
  FrameDecoderStream, FrameEncoderStream, FrameError, LengthFieldFrameDecoder, SOFH_BIG_ENDIAN, sofh, u32,
} from '../src/index.js';

function sofhFrame(body: string, type = 0xeb50): Buffer {
  const header = Buffer.alloc(6);
  header.writeUInt32BE(body.length + 6);
  header.writeUInt16BE(type, 4);
  return Buffer.concat([header, Buffer.from(body)]);
}

function cut(decoder: LengthFieldFrameDecoder, bytes: Buffer, step: number): string[] {
  const out: string[] = [];
  for (let at = 0; at < bytes.length; at += step) {
    decoder.push(bytes.subarray(at, at + step));
    for (let frame = decoder.next(); frame; frame = decoder.next()) out.push(`${frame.streamOffset}:${frame.body.toString()}`);
  }
  decoder.end();
  return out;
}

test('SOFH frames are the same however the stream is chunked', () => {
  const bytes = Buffer.concat([sofhFrame('hello'), sofhFrame(''), sofhFrame('a longer body, of many bytes')]);
  const expected = ['0:hello', '11:', '17:a longer body, of many bytes'];
  for (const step of [1, 2, 5, 7, 13, bytes.length]) assert.deepEqual(cut(new LengthFieldFrameDecoder(sofh()), bytes, step), expected);
});

test('a frame inside one chunk is a view of it, not a copy', () => {
  const chunk = sofhFrame('abc');
  const decoder = new LengthFieldFrameDecoder(sofh());
  decoder.push(chunk);
  assert.equal(decoder.next()!.body.buffer, chunk.buffer);
});

test('u32 length framing counts the body, in either byte order', () => {
  const body = Buffer.from('xyz');
  for (const littleEndian of [false, true]) {
    const frame = Buffer.alloc(4);
    if (littleEndian) frame.writeUInt32LE(3);
    else frame.writeUInt32BE(3);
    assert.deepEqual(cut(new LengthFieldFrameDecoder(u32(littleEndian)), Buffer.concat([frame, body]), 2), ['0:xyz']);
  }
});

test('bad frames: reported and skipped in discard mode, with the C++ texts', () => {
  const options = sofh();
  options.maxFrameLength = 16;
  options.discardMode = true;
  const reports: string[] = [];
  const decoder = new LengthFieldFrameDecoder(options, (error) => reports.push(error.message));
  const bytes = Buffer.concat([sofhFrame('ok'), sofhFrame('far too long a body'), sofhFrame('be', SOFH_BIG_ENDIAN), sofhFrame('end')]);
  assert.deepEqual(cut(decoder, bytes, 3), ['0:ok', '41:end']);
  assert.deepEqual(reports, [
    'frame at stream offset 8: length 25 exceeds the maximum 16',
    'frame at stream offset 33: encoding type 0x5BE0 is not the expected 0xEB50',
  ]);
  assert.equal(decoder.discardedFrames, 2);
});

test('fatal frame errors: a length below the header, a stream ending inside a frame', () => {
  const short = Buffer.from([0, 0, 0, 1, 0xeb, 0x50]);
  const decoder = new LengthFieldFrameDecoder({ ...sofh(), discardMode: true });
  decoder.push(short);
  assert.throws(() => decoder.next(), { name: 'FrameError', message: 'frame at stream offset 0: length field 1 gives a frame length of 1, below the minimum 6 (its header)' });
  assert.throws(() => decoder.next(), FrameError); // and every later call
  const truncated = new LengthFieldFrameDecoder(sofh());
  truncated.push(sofhFrame('abc').subarray(0, 5));
  assert.equal(truncated.next(), undefined);
  assert.throws(() => truncated.end(), { message: 'frame at stream offset 0: the stream ended after 5 of its 6 bytes' });
  const body = new LengthFieldFrameDecoder(sofh());
  body.push(sofhFrame('abcdef').subarray(0, 8));
  assert.throws(() => body.end(), { message: 'frame at stream offset 0: the stream ended after 8 of its 12 bytes' });
  const tooLong = new LengthFieldFrameDecoder({ ...sofh(), maxFrameLength: 8 });
  tooLong.push(sofhFrame('abcdef'));
  assert.throws(() => tooLong.next(), { message: 'frame at stream offset 0: length 12 exceeds the maximum 8' });
});

test('FrameEncoderStream and FrameDecoderStream as Transforms', async () => {
  const encoder = new FrameEncoderStream(sofh());
  const decoder = new FrameDecoderStream(sofh());
  encoder.pipe(decoder);
  const bodies = ['one', '', 'three'];
  for (const body of bodies) encoder.write(Buffer.from(body));
  encoder.end();
  const frames: string[] = [];
  for await (const frame of decoder) frames.push((frame as Buffer).toString());
  assert.deepEqual(frames, bodies);
});

test('FrameDecoderStream: discarded frames are events, a cut-short stream an error', async () => {
  const options = { ...sofh(), discardMode: true, maxFrameLength: 10 };
  const decoder = new FrameDecoderStream(options);
  const discarded: string[] = [];
  decoder.on('frameDiscarded', (error: FrameError) => discarded.push(error.message));
  Readable.from([Buffer.concat([sofhFrame('ok'), sofhFrame('too long!'), sofhFrame('ab').subarray(0, 7)])]).pipe(decoder);
  // In flowing mode, as destroying a stream drops what its readable side still holds.
  const frames: string[] = [];
  decoder.on('data', (frame: Buffer) => frames.push(frame.toString()));
  const [error] = (await once(decoder, 'error')) as [Error];
  assert.equal(error.message, 'frame at stream offset 23: the stream ended after 7 of its 8 bytes');
  assert.deepEqual(frames, ['ok']);
  assert.deepEqual(discarded, ['frame at stream offset 8: length 15 exceeds the maximum 10']);
});
