// SPDX-License-Identifier: Apache-2.0
// Reusable flyweights (wrap()) and the 64-bit fields, which the generated code
// reads and writes in 32-bit halves rather than with DataView's BigInt methods.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DecodeError, EncodeError } from '../generated/wirekit_codec.js';
import { NewOrder, Side } from '../generated/trading.wk.js';
import type { NewOrderEncoder } from '../generated/trading.wk.js';
import { Scalars } from '../generated/kinds.wk.js';
import { Ping } from '../generated/custom_header.wk.js';
import { Order as OrderV2 } from '../generated/versioned_v2.wk.js';
import { Order as OrderV1 } from '../generated/versioned_v1.wk.js';

/** Fills a NewOrder: `legs` entries, an account of `account` characters. */
function fill(order: NewOrderEncoder, id: bigint, legs: number, account: number): number {
  order.orderId = id;
  order.symbol = 'ACME';
  order.side = Side.Sell;
  order.quantity = 10 + legs;
  order.stopPrice = legs % 2 === 0 ? undefined : -5n;
  const group = order.legs(legs);
  for (let i = 0; i < legs; i++) group.next().legId = i + 1;
  order.account('a'.repeat(account));
  order.note(new Uint8Array(legs).fill(7));
  return order.encodedLength();
}

function fresh(id: bigint, legs: number, account: number): Uint8Array {
  const bytes = new Uint8Array(256);
  return bytes.slice(0, fill(NewOrder.encode(bytes), id, legs, account));
}

test('one encoder wrapped over messages of different sizes writes what a new encoder per message writes', () => {
  const shapes: [number, number][] = [[3, 20], [0, 0], [5, 64], [1, 2], [0, 0]];
  const buffer = new Uint8Array(512).fill(0xaa);
  const order = NewOrder.encode(new Uint8Array(64));
  let offset = 0;
  for (const [index, [legs, account]] of shapes.entries()) {
    // The buffer holds the previous messages' bytes and 0xaa: the wrap zeroes
    // the block, so what this message leaves unset reads as zero or null.
    assert.equal(order.wrap(buffer, offset), order);
    const length = fill(order, BigInt(index), legs, account);
    assert.deepEqual(buffer.subarray(offset, offset + length), fresh(BigInt(index), legs, account), `message ${index}`);
    offset += 40;
  }
  // A message left half written (a group open, parts unwritten): the next
  // wrap starts a new one at its first part.
  order.wrap(buffer);
  order.legs(2).next();
  order.wrap(buffer, 100);
  assert.deepEqual(buffer.subarray(100, 100 + fill(order, 9n, 1, 1)), fresh(9n, 1, 1));
});

test('an encoder wrap without room is the EncodeError encode() gives, and the encoder is left as it was', () => {
  const bytes = new Uint8Array(256);
  const order = NewOrder.encode(bytes);
  order.orderId = 4n;
  const small = new Uint8Array(20);
  let expected: unknown;
  assert.throws(() => NewOrder.encode(small), (error: unknown) => {
    expected = error;
    return error instanceof EncodeError && error.room;
  });
  assert.throws(() => order.wrap(small), (error: unknown) =>
    error instanceof EncodeError && error.room && error.message === (expected as EncodeError).message);
  assert.deepEqual(bytes.subarray(0, fill(order, 4n, 2, 3)), fresh(4n, 2, 3));
});

test('one decoder wrapped over messages of different sizes reads each as decode() does', () => {
  const messages = [fresh(1n, 3, 20), fresh(2n, 0, 0), fresh(3n, 5, 64), fresh(4n, 1, 2)];
  // All in one buffer, at offsets that are not multiples of anything.
  const buffer = new Uint8Array(1024);
  const offsets: number[] = [];
  let at = 3;
  for (const message of messages) {
    buffer.set(message, at);
    offsets.push(at);
    at += message.length + 5;
  }
  const view = new DataView(buffer.buffer);
  const decoder = NewOrder.decode(messages[0]!);
  for (const [i, message] of messages.entries()) {
    assert.equal(decoder.wrap(view, offsets[i], message.length), decoder);
    const expected = NewOrder.decode(message);
    assert.equal(decoder.toJSON(), expected.toJSON());
    assert.equal(decoder.encodedLength, message.length);
    assert.equal(decoder.legs.count, expected.legs.count);
    assert.deepEqual([...decoder.legs].map((leg) => leg.legId), [...expected.legs].map((leg) => leg.legId));
    assert.deepEqual(decoder.note, expected.note);
  }
});

test('a truncated or corrupt message after a good one: the errors of decode(), and the decoder keeps the good one', () => {
  const good = fresh(1n, 3, 20);
  const other = fresh(2n, 5, 64);
  const decoder = NewOrder.decode(good);
  const json = decoder.toJSON();
  const bad: [string, Uint8Array][] = [];
  // Every truncation of the larger message (its groups and strings run past the end).
  for (let length = 0; length < other.length; length++) bad.push([`cut at ${length}`, other.subarray(0, length)]);
  const hugeCount = other.slice();
  new DataView(hugeCount.buffer).setUint16(54, 200, true); // legs' count (its dimension at byte 52: u16 block length, u16 count)
  bad.push(['huge count', hugeCount]);
  const template = other.slice();
  new DataView(template.buffer).setUint16(2, 2, true);
  bad.push(['other template', template]);
  const schema = other.slice();
  new DataView(schema.buffer).setUint16(4, 41, true);
  bad.push(['other schema', schema]);
  const block = other.slice();
  new DataView(block.buffer).setUint16(0, 10, true);
  bad.push(['short block', block]);
  for (const [name, bytes] of bad) {
    let expected = '';
    assert.throws(() => NewOrder.decode(bytes), (error: unknown) => {
      expected = (error as Error).message;
      return error instanceof DecodeError;
    }, name);
    assert.match(expected, /^(demo\.trading|NewOrder)[.:].* at byte \d+/, name);
    assert.throws(() => decoder.wrap(bytes), (error: unknown) => error instanceof DecodeError && error.message === expected, name);
    // Nothing of the bad message stuck: the decoder still reads the good one.
    assert.equal(decoder.toJSON(), json, name);
    assert.equal(decoder.encodedLength, good.length, name);
  }
  assert.equal(decoder.wrap(other).toJSON(), NewOrder.decode(other).toJSON());
});

test('a wrapped decoder takes the version of each message: a v1 one after a v2 one reads v2 fields as undefined', () => {
  const v2 = new Uint8Array(128);
  const current = OrderV2.encode(v2);
  current.id = 6n;
  current.stop = 3n;
  current.memo('m');
  const v2Length = current.encodedLength();
  const v1 = new Uint8Array(128);
  const old = OrderV1.encode(v1);
  old.id = 5n;
  old.venue('X');
  const v1Length = old.encodedLength();
  const decoder = OrderV2.decode(v2, 0, v2Length);
  assert.equal(decoder.stop, 3n);
  decoder.wrap(v1, 0, v1Length);
  assert.equal(decoder.actingVersion, 1);
  assert.equal(decoder.stop, undefined);
  assert.equal(decoder.memo, undefined);
  assert.equal(decoder.toJSON(), OrderV2.decode(v1, 0, v1Length).toJSON());
  decoder.wrap(v2, 0, v2Length);
  assert.equal(decoder.actingVersion, 2);
  assert.equal(decoder.memo, 'm');
});

const U64 = [0n, 1n, 0xffffffffn, 0x100000000n, (1n << 53n) + 1n, (1n << 63n) - 1n, 1n << 63n, (1n << 64n) - 1n, 0x0123456789abcdefn];

test('64-bit fields: the bytes and values of DataView.setBigUint64/getBigInt64, in either byte order', () => {
  const bytes = new Uint8Array(128);
  const view = new DataView(bytes.buffer);
  for (const value of U64) {
    const signed = BigInt.asIntN(64, value);
    const scalars = Scalars.encode(bytes);
    scalars.u64v = value;
    scalars.i64v = signed;
    const length = scalars.encodedLength();
    const decoded = Scalars.decode(bytes, 0, length);
    assert.equal(decoded.u64v, value);
    assert.equal(decoded.i64v, signed);
    // Little-endian kinds.wk: u64v at byte 8 + 7, i64v at 8 + 22.
    assert.equal(view.getBigUint64(15, true), value);
    assert.equal(view.getBigInt64(30, true), signed);
    // Big-endian custom_header.wk: sentAt after the 8-byte header and seq.
    const ping = Ping.encode(bytes);
    ping.sentAt = value;
    const pingLength = ping.encodedLength();
    assert.equal(view.getBigUint64(12, false), value);
    assert.equal(Ping.decode(bytes, 0, pingLength).sentAt, value);
  }
  // Out of range, as DataView does: modulo 2^64; not a bigint: TypeError.
  const scalars = Scalars.encode(bytes);
  scalars.u64v = -1n;
  scalars.i64v = (1n << 64n) + 5n;
  const decoded = Scalars.decode(bytes, 0, scalars.encodedLength());
  assert.equal(decoded.u64v, (1n << 64n) - 1n);
  assert.equal(decoded.i64v, 5n);
  assert.throws(() => {
    scalars.u64v = 5 as unknown as bigint;
  }, TypeError);
  assert.throws(() => {
    view.setBigUint64(0, 5 as unknown as bigint);
  }, TypeError);
});
