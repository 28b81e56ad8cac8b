#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
// The TypeScript side of tests/codec/crosscheck.py (its --program): decodes each
// record of RECORDS (u32 little-endian length, then the bytes) with the
// generated TypeScript codec of SCHEMA_FILE_NAME and prints, as the C++
// crosscheck_main.cpp does,
//   ok <encodedLength> <the copy through the encoders, in hex> <toJSON()>
//   error <DecodeError text>
// Run `npm run build` first.
import { readFileSync } from 'node:fs';

const [name, records] = process.argv.slice(2);
if (!name || !records) {
  process.stderr.write('usage: transcode.mjs SCHEMA_FILE_NAME RECORDS\n');
  process.exit(2);
}
const { transcode } = await import(new URL(`../dist/generated/${name}.transcode.js`, import.meta.url).href);
const { DecodeError } = await import(new URL('../dist/generated/wirekit_codec.js', import.meta.url).href);

const input = readFileSync(records);
const lines = [];
for (let pos = 0; pos + 4 <= input.length;) {
  const length = input.readUInt32LE(pos);
  pos += 4;
  // Each record in an ArrayBuffer of its own, exactly its size.
  const record = new Uint8Array(length);
  record.set(input.subarray(pos, pos + length));
  pos += length;
  // Stale bytes, which must not show through the copy.
  const copy = new Uint8Array(length + 64).fill(0xaa);
  try {
    const [json, encodedLength, copied] = transcode(record, copy);
    lines.push(`ok ${encodedLength} ${Buffer.from(copy.subarray(0, copied)).toString('hex')} ${json}`);
  } catch (error) {
    if (!(error instanceof DecodeError)) throw error;
    lines.push(`error ${error.message}`);
  }
}
process.stdout.write(lines.join('\n') + '\n');
