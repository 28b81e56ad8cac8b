#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
// The TypeScript side of tests/codec/crosscheck.py (its --program): decodes each
// record of RECORDS (u32 little-endian length, then the bytes) with the
// generated TypeScript codec of SCHEMA_FILE_NAME and prints, as the C++
// crosscheck_main.cpp does,
//   ok <encodedLength> <the copy through the encoders, in hex> <toJSON()>
//   error <DecodeError text>
// and checks the plain-object form against the flyweights on each record: for
// every message type, read() must throw decode()'s DecodeError text or read
// the message, and write() of what it read must give the bytes of the copy
// through the encoders. The hex printed is write()'s, so crosscheck.py
// compares it with `wirekit encode`'s bytes for every undamaged message; a
// damaged one may differ in bytes that do not change the message (text that
// was not UTF-8, read as U+FFFD; a NaN's payload) but must then read as the
// copy does. Anything else is printed as a line `object: …`, which
// crosscheck.py reports as a mismatch.
// Run `npm run build` first.
import { readFileSync } from 'node:fs';

const [name, records] = process.argv.slice(2);
if (!name || !records) {
  process.stderr.write('usage: transcode.mjs SCHEMA_FILE_NAME RECORDS\n');
  process.exit(2);
}
const { transcode } = await import(new URL(`../dist/generated/${name}.transcode.js`, import.meta.url).href);
const { DecodeError, EncodeError } = await import(new URL('../dist/generated/wirekit_codec.js', import.meta.url).href);
const { Schema } = await import(new URL(`../dist/generated/${name}.js`, import.meta.url).href);
const types = [...Schema.messages.values()];

/** What `run` gives: ['ok', its value] or ['error <DecodeError text>']. */
function outcome(run) {
  try {
    return ['ok', run()];
  } catch (error) {
    if (!(error instanceof DecodeError)) throw error;
    return [`error ${error.message}`];
  }
}

/** What the plain-object form does with `record`: { bytes } (what write() of
 * read() wrote; `copy` if that is refused for text that was not UTF-8), {}
 * (no type reads it), or { problem }; `copy` is the flyweights' copy of it
 * (undefined if it does not decode). */
function objectForm(record, copy) {
  let result = {};
  for (const type of types) {
    const [decoded, decoder] = outcome(() => type.decode(record));
    const [read, object] = outcome(() => type.read(record));
    if (read !== decoded) return { problem: `${type.name}.read() gave ${read}, decode() ${decoded}` };
    if (object === undefined) continue;
    // Stale bytes, which must not show through.
    const output = new Uint8Array(record.length + 64).fill(0xaa);
    let written;
    try {
      written = type.write(output, object);
    } catch (error) {
      // Invalid UTF-8 read as U+FFFD (3 bytes each) may no longer fit: the only way write() may refuse what read() gave.
      if (error instanceof EncodeError && decoder.toJSON().includes('\ufffd')) {
        result = { bytes: copy };
        continue;
      }
      return { problem: `${type.name}.write(): ${error}` };
    }
    const bytes = output.subarray(0, written);
    if (Buffer.compare(bytes, copy) !== 0 && type.decode(bytes).toJSON() !== type.decode(copy).toJSON()) {
      return { problem: `${type.name}.write() wrote ${Buffer.from(bytes).toString('hex')}, the encoders ${Buffer.from(copy).toString('hex')}` };
    }
    result = { bytes };
  }
  return result;
}

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
  let decoded;
  try {
    const [json, encodedLength, copied] = transcode(record, copy);
    decoded = { json, encodedLength, copy: copy.subarray(0, copied) };
  } catch (error) {
    if (!(error instanceof DecodeError)) throw error;
    decoded = { error: error.message };
  }
  const object = objectForm(record, decoded.copy);
  if (object.problem !== undefined) {
    lines.push(`object: ${object.problem}`);
  } else if (decoded.error !== undefined) {
    lines.push(`error ${decoded.error}`);
  } else {
    // One hex if the two copies are the same, else `flyweights/objects`, which is no message's.
    const hex = Buffer.compare(object.bytes, decoded.copy) === 0 ? Buffer.from(decoded.copy).toString('hex')
      : `${Buffer.from(decoded.copy).toString('hex')}/${Buffer.from(object.bytes).toString('hex')}`;
    lines.push(`ok ${decoded.encodedLength} ${hex} ${decoded.json}`);
  }
}
process.stdout.write(lines.join('\n') + '\n');
