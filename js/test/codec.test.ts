// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DecodeError, EncodeError } from '../generated/wirekit_codec.js';
import { NewOrder, Schema } from '../generated/trading.wk.js';
import { Optionals, Parts } from '../generated/kinds.wk.js';
import { Order as OrderV2 } from '../generated/versioned_v2.wk.js';
import { Order as OrderV1 } from '../generated/versioned_v1.wk.js';
import { Order } from '../generated/bench.wk.js';

test('fields left unset read as zero and optional ones as null, whatever the buffer held', () => {
  const bytes = new Uint8Array(200).fill(0xaa);
  const order = NewOrder.encode(bytes);
  order.orderId = 1n;
  const length = order.encodedLength();
  assert.equal(NewOrder.decode(bytes, 0, length).toJSON(),
    '{"NewOrder":{"orderId":1,"symbol":"","side":0,"ordType":0,"tif":[],"price":{"mantissa":0,"exponent":0},"quantity":0,"stopPrice":null,"venue":"XLON","clientTag":0,"legs":[],"account":"","note":""}}');
  const optionalBytes = new Uint8Array(200).fill(0x55);
  const optionals = Optionals.encode(optionalBytes);
  assert.match(Optionals.decode(optionalBytes, 0, optionals.encodedLength()).toJSON(), /^\{"Optionals":\{"ou8":null,"ou16":null,.*"customColor":null\}\}$/);
  optionals.ou8 = 3;
  assert.throws(() => {
    optionals.ou8 = 255;
  }, { name: 'EncodeError', message: 'Optionals.ou8: the value is the null value of the field' });
});

test('parts: skipped ones written empty, out of order refused, limits checked', () => {
  const bytes = new Uint8Array(512);
  const parts = Parts.encode(bytes);
  parts.id = 9;
  parts.name('n'); // items, empties and counts skipped: written empty
  assert.throws(() => parts.counts(1), { message: 'Parts.counts: written after `name`, out of order' });
  assert.throws(() => parts.payload(new Uint8Array(0)).trailer('x'.repeat(300)), { message: 'Parts.trailer: length 300 exceeds 255' });
  const length = parts.encodedLength();
  const json = Parts.decode(bytes, 0, length).toJSON();
  assert.equal(json, '{"Parts":{"id":9,"items":[],"empties":[],"counts":[],"name":"n","payload":"","trailer":""}}');
  const tooMany = Parts.encode(new Uint8Array(512));
  const items = tooMany.items(1);
  const item = items.next();
  assert.throws(() => item.tags(6), { message: 'Parts.items[0].tags: count 6 exceeds 5' });
  assert.throws(() => items.next(), { message: 'Parts.items: all 1 entries written' });
  assert.throws(() => Parts.encode(new Uint8Array(10)), { name: 'EncodeError', message: /^Parts: \d+ bytes at byte 0 do not fit in the view \(10 bytes\)$/ });
  const small = Parts.encode(new Uint8Array(40));
  assert.throws(() => small.name('x'.repeat(5)).payload(new Uint8Array(30)), (error: unknown) =>
    error instanceof EncodeError && error.room && error.message === 'Parts.payload: 34 bytes at byte 35 do not fit in the view (40 bytes)');
});

test('decode errors name the field path and byte offset', () => {
  const bytes = new Uint8Array(256);
  const order = NewOrder.encode(bytes);
  const legs = order.legs(3);
  legs.next();
  legs.next();
  legs.next();
  const length = order.encodedLength();
  assert.throws(() => NewOrder.decode(bytes, 0, length - 10), (error: unknown) =>
    error instanceof DecodeError && error.message === `NewOrder.legs: 3 entries of 7 bytes at byte 56 run past the end (${length - 10} bytes)`);
  assert.throws(() => NewOrder.decode(bytes, 0, 4), { message: 'demo.trading: header of 8 bytes at byte 0 runs past the end (4 bytes)' });
  new DataView(bytes.buffer).setUint16(2, 4, true);
  assert.throws(() => NewOrder.decode(bytes, 0, length), { message: 'demo.trading: template id 4 at byte 2 is not 1 (NewOrder)' });
  // Now a Heartbeat with NewOrder's block length: read by the acting block length, the rest skipped.
  const beat = Schema.decode(bytes, 0, length);
  assert.equal(beat.templateId, 4);
  assert.equal(beat.actingBlockLength, 44);
  assert.equal(beat.encodedLength, 52);
});

test('versions: a v1 message read by the v2 decoder, a v2 one by the v1 decoder', () => {
  const v1 = new Uint8Array(128);
  const old = OrderV1.encode(v1);
  old.id = 5n;
  old.fills(1).next().px = 7n;
  old.venue('X');
  const oldLength = old.encodedLength();
  const asV2 = OrderV2.decode(v1, 0, oldLength);
  assert.equal(asV2.actingVersion, 1);
  assert.equal(asV2.stop, undefined);
  assert.equal(asV2.memo, undefined);
  assert.equal(asV2.toJSON(), OrderV2.decode(v1, 0, oldLength).toJSON());
  assert.match(asV2.toJSON(), /"stop":null,"flagsByte":null,.*"liquidity":null.*"memo":null/);
  const v2 = new Uint8Array(128);
  const current = OrderV2.encode(v2);
  current.id = 6n;
  current.stop = 3n;
  current.memo('m');
  const asV1 = OrderV1.decode(v2, 0, current.encodedLength());
  assert.equal(asV1.actingVersion, 2);
  assert.equal(asV1.id, 6n);
  // An old decoder does not know the parts added after its own: the message ends for it after `venue`.
  assert.equal(asV1.encodedLength, current.encodedLength() - 5);
});

test('text: the bytes TextEncoder gives and the same string back, whatever the length and wherever non-ASCII falls', () => {
  // Short ASCII text is written and read in JavaScript, some characters at a
  // time, the rest with TextEncoder/TextDecoder: every length around those
  // steps, with a character of 2, 3 and 4 bytes at every position.
  const bytes = new Uint8Array(256);
  const encoder = new TextEncoder();
  for (let length = 0; length <= 40; length++) {
    const texts = ['a'.repeat(length)];
    for (const other of ['é', '€', '😀']) {
      for (let at = 0; at < length; at++) texts.push('a'.repeat(at) + other + 'b'.repeat(length - at - 1));
    }
    for (const text of texts) {
      const order = Order.encode(bytes);
      order.note(text);
      const size = order.encodedLength();
      const expected = encoder.encode(text);
      assert.deepEqual(bytes.subarray(size - expected.length, size), expected, JSON.stringify(text));
      assert.equal(new DataView(bytes.buffer).getUint32(size - expected.length - 4, true), expected.length);
      assert.equal(Order.decode(bytes, 0, size).note, text);
    }
  }
});
