// SPDX-License-Identifier: Apache-2.0
// The plain-object form: Type.read() and Type.write(). Its bytes must be what
// `wirekit encode` writes for the same JSON form (and what the flyweight
// encoders write), its errors the flyweights' texts. The crosscheck
// (transcode.mjs) runs it over every schema's random and damaged messages.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DecodeError, EncodeError } from '../generated/wirekit_codec.js';
import type { MessageType } from '../generated/wirekit_codec.js';
import { Color, Grade, Optionals, Parts, Scalars, Layout } from '../generated/kinds.wk.js';
import type { OptionalsObject, PartsObject, ScalarsObject } from '../generated/kinds.wk.js';
import { transcode as transcodeKinds } from '../generated/kinds.wk.transcode.js';
import { NewOrder, OrdType, Side, Tif } from '../generated/trading.wk.js';
import type { NewOrderDecoder, NewOrderEncoder, NewOrderObject } from '../generated/trading.wk.js';
import { transcode as transcodeTrading } from '../generated/trading.wk.transcode.js';
import { Ping } from '../generated/custom_header.wk.js';
import { Order as OrderV1 } from '../generated/versioned_v1.wk.js';
import { Order as OrderV2 } from '../generated/versioned_v2.wk.js';
import { reference } from './support/reference.js';

/** write() into a buffer of stale bytes (0xaa): the bytes it wrote. */
function written<O>(type: MessageType<unknown, unknown, O>, message: O, size = 512): Uint8Array {
  const bytes = new Uint8Array(size).fill(0xaa);
  return bytes.subarray(0, type.write(bytes, message));
}

/** The EncodeError `run` throws. */
function encodeError(run: () => unknown): EncodeError {
  try {
    run();
  } catch (error) {
    if (error instanceof EncodeError) return error;
    throw error;
  }
  assert.fail('no EncodeError');
}

const noOptionals: OptionalsObject = {
  ou8: undefined, ou16: undefined, ou32: undefined, ou64: undefined, oi8: undefined, oi16: undefined, oi32: undefined,
  oi64: undefined, of32: undefined, of64: undefined, ochar: undefined, obool: undefined, ocolor: undefined,
  ograde: undefined, custom: undefined, customColor: undefined,
};

test('optional fields: undefined is written as the null value, and the null value read as undefined', () => {
  const none = Object.fromEntries(Object.keys(noOptionals).map((name) => [name, null]));
  const bytes = written(Optionals, noOptionals);
  assert.deepEqual(bytes, reference('schemas/test/kinds.wk', { Optionals: none }));
  assert.deepEqual(Optionals.read(bytes), noOptionals);

  const some: OptionalsObject = {
    ...noOptionals, ou8: 0, ou64: 0xfffffffffffffffen, oi8: -127, of32: 0.5, of64: 1.5, ochar: 'a', obool: false,
    ocolor: Color.Blue, ograde: Grade.Bad, custom: -1, customColor: Color.Red,
  };
  const json = {
    ...none, ou8: 0, ou64: 0xfffffffffffffffen, oi8: -127, of32: 0.5, of64: 1.5, ochar: 'a', obool: false, ocolor: 'Blue',
    ograde: 'Bad', custom: -1, customColor: 'Red',
  };
  const someBytes = written(Optionals, some);
  assert.deepEqual(someBytes, reference('schemas/test/kinds.wk', { Optionals: json }));
  assert.deepEqual(Optionals.read(someBytes), some);
  const decoder = Optionals.decode(someBytes);
  for (const name of Object.keys(noOptionals) as (keyof OptionalsObject)[]) assert.equal(decoder[name], some[name], name);

  // A value that is the null value itself is refused, as by the flyweight setter, with its text.
  const flyweight = encodeError(() => {
    Optionals.encode(new Uint8Array(64)).ou8 = 255;
  });
  const object = encodeError(() => Optionals.write(new Uint8Array(64), { ...noOptionals, ou8: 255 }));
  assert.equal(object.message, flyweight.message);
  assert.equal(object.message, 'Optionals.ou8: the value is the null value of the field');
  assert.equal(object.room, false);
});

test('64-bit integers at their edges, and values out of range wrapped as DataView does', () => {
  const base: ScalarsObject = {
    u8v: 255, u16v: 65535, u32v: 0xffffffff, u64v: 0n, i8v: -128, i16v: -32768, i32v: -0x80000000, i64v: 0n,
    f32v: 35.900001525878906, f64v: -1.5e-7, charv: 'Z', boolv: true,
  };
  const edges: [bigint, bigint][] = [
    [0n, -(2n ** 63n)], [2n ** 64n - 1n, 2n ** 63n - 1n], [2n ** 32n - 1n, -1n], [2n ** 32n, -(2n ** 32n)],
    [2n ** 63n, 1n], [0x8000000000000001n, -0x7fffffffffffffffn],
  ];
  for (const [u64v, i64v] of edges) {
    const message = { ...base, u64v, i64v };
    const bytes = written(Scalars, message);
    assert.deepEqual(bytes, reference('schemas/test/kinds.wk', { Scalars: { ...message, f32v: 35.9 } }), `${u64v} ${i64v}`);
    assert.deepEqual(Scalars.read(bytes), message);
  }
  // Out of range: modulo 2^64, the flyweight setter's bytes.
  const wrapped = written(Scalars, { ...base, u64v: 2n ** 64n + 5n, i64v: 2n ** 63n });
  assert.equal(Scalars.read(wrapped).u64v, 5n);
  assert.equal(Scalars.read(wrapped).i64v, -(2n ** 63n));
  const flyweight = new Uint8Array(512).fill(0xaa);
  const e = Scalars.encode(flyweight);
  Object.assign(e, { ...base, u64v: 2n ** 64n + 5n, i64v: 2n ** 63n });
  assert.deepEqual(wrapped, flyweight.subarray(0, e.encodedLength()));
  // Big-endian, with a header of its own.
  const ping = { seq: 0xfffffffe, sentAt: 0x0102030405060708n, note: 'p' };
  const pingBytes = written(Ping, ping);
  assert.deepEqual(pingBytes, reference('schemas/test/custom_header.wk', { Ping: { ...ping } }));
  assert.deepEqual(Ping.read(pingBytes), ping);
});

const order: NewOrderObject = {
  orderId: 0xfedcba9876543210n, symbol: 'ÉTÉ\u00ff', side: Side.Sell, ordType: OrdType.StopLimit, tif: Tif.Ioc | Tif.Fok,
  price: { mantissa: -12345n, exponent: -2 }, quantity: 100, stopPrice: -5n, clientTag: 77,
  legs: [{ legId: 1, ratio: 2, side: Side.Buy }, { legId: 0xffffffff, ratio: 0xffff, side: Side.Sell }],
  account: 'dés 中 € 𝄞', note: new Uint8Array([0, 1, 0xff]),
};
const orderJson = {
  orderId: 0xfedcba9876543210n, symbol: 'ÉTÉ\u00ff', side: 'Sell', ordType: 'StopLimit', tif: ['Ioc', 'Fok'],
  price: { mantissa: -12345, exponent: -2 }, quantity: 100, stopPrice: -5, venue: 'XLON', clientTag: 77,
  legs: [{ legId: 1, ratio: 2, side: 'Buy' }, { legId: 0xffffffff, ratio: 0xffff, side: 'Sell' }],
  account: 'dés 中 € 𝄞', note: 'AAH/',
};

test('text that is not ASCII: UTF-8 strings (short and long) and char[N] one byte per character', () => {
  const bytes = written(NewOrder, order);
  assert.deepEqual(bytes, reference('schemas/examples/trading.wk', { NewOrder: orderJson }));
  assert.deepEqual(NewOrder.read(bytes), order);
  // Past the short-text path (32 bytes): TextEncoder and TextDecoder.
  const long = { ...order, account: 'ü'.repeat(31) + '!' };
  const longBytes = written(NewOrder, long);
  assert.deepEqual(longBytes, reference('schemas/examples/trading.wk', { NewOrder: { ...orderJson, account: long.account } }));
  assert.deepEqual(NewOrder.read(longBytes), long);
  // char[N] holds one byte per character, as the flyweight setter says.
  const flyweight = encodeError(() => {
    NewOrder.encode(new Uint8Array(256)).symbol = '中';
  });
  assert.equal(encodeError(() => NewOrder.write(new Uint8Array(256), { ...order, symbol: '中' })).message, flyweight.message);
  // Bytes read are the object's own, not a view of the message.
  const read = NewOrder.read(bytes);
  bytes.fill(0);
  assert.deepEqual(read.note, new Uint8Array([0, 1, 0xff]));
});

const parts: PartsObject = {
  id: 9,
  items: [
    { sku: 1, tags: [], description: '', blob: new Uint8Array(0) },
    {
      sku: 2, tags: [{ tag: 'ab', note: 'n€' }, { tag: 'abcd', note: '' }, { tag: '', note: 'x' }],
      description: 'two', blob: new Uint8Array([7, 8]),
    },
  ],
  empties: [{ n: 1 }, { n: 255 }],
  counts: [{ value: -(2n ** 63n) }],
  name: 'name', payload: new Uint8Array([1]), trailer: 't',
};
const partsJson = {
  id: 9,
  items: [
    { sku: 1, tags: [], description: '', blob: '' },
    { sku: 2, tags: [{ tag: 'ab', note: 'n€' }, { tag: 'abcd', note: '' }, { tag: '', note: 'x' }], description: 'two', blob: 'Bwg=' },
  ],
  empties: [{ n: 1 }, { n: 255 }], counts: [{ value: -(2n ** 63n) }], name: 'name', payload: 'AQ==', trailer: 't',
};

test('groups: empty, nested, entries with parts and with a longer block than their fields', () => {
  const bytes = written(Parts, parts);
  assert.deepEqual(bytes, reference('schemas/test/kinds.wk', { Parts: partsJson }));
  assert.deepEqual(Parts.read(bytes), parts);
  const empty: PartsObject = { id: 0, items: [], empties: [], counts: [], name: '', payload: new Uint8Array(0), trailer: '' };
  const emptyBytes = written(Parts, empty);
  assert.deepEqual(emptyBytes, reference('schemas/test/kinds.wk', {
    Parts: { id: 0, items: [], empties: [], counts: [], name: '', payload: '', trailer: '' },
  }));
  assert.deepEqual(Parts.read(emptyBytes), empty);
  // Limits, as the flyweights give them.
  const tooMany = { ...parts, items: [{ ...parts.items[1]!, tags: new Array(6).fill({ tag: 'a', note: '' }) }] };
  assert.equal(encodeError(() => Parts.write(new Uint8Array(512), tooMany)).message, 'Parts.items[0].tags: count 6 exceeds 5');
  const tooLong = { ...parts, name: 'n'.repeat(21) };
  assert.equal(encodeError(() => Parts.write(new Uint8Array(512), tooLong)).message, 'Parts.name: length 21 exceeds 20');
  const flyweight = encodeError(() => {
    const e = Parts.encode(new Uint8Array(512));
    e.items(0);
    e.empties(0);
    e.counts(0);
    e.name('n'.repeat(21));
  });
  assert.equal(flyweight.message, 'Parts.name: length 21 exceeds 20');
});

/** Every length short of the message: write() must throw the flyweights' EncodeError (room true) and write nothing outside its bytes. */
function noRoom<O>(type: MessageType<unknown, unknown, O>, message: O, transcode: (input: Uint8Array, output: Uint8Array) => unknown): void {
  const full = written(type, message);
  for (let length = 0; length < full.length; length++) {
    let expected: EncodeError;
    try {
      transcode(full, new Uint8Array(length));
      assert.fail(`the flyweights wrote ${full.length} bytes into ${length}`);
    } catch (error) {
      assert.ok(error instanceof EncodeError, String(error));
      expected = error;
    }
    const bytes = new Uint8Array(length + 16).fill(0xaa);
    const error = encodeError(() => type.write(bytes, message, 3, length));
    assert.equal(error.message, expected.message, `length ${length}`);
    assert.equal(error.room, true);
    assert.ok(bytes.subarray(0, 3).every((byte) => byte === 0xaa), `length ${length}: written before the offset`);
    assert.ok(bytes.subarray(3 + length).every((byte) => byte === 0xaa), `length ${length}: written past the end`);
  }
  // Exactly enough room: the message, and nothing past it.
  const bytes = new Uint8Array(full.length + 8).fill(0xaa);
  assert.equal(type.write(new DataView(bytes.buffer), message, 4, full.length), full.length);
  assert.deepEqual(bytes.subarray(4, 4 + full.length), full);
  assert.ok(bytes.subarray(4 + full.length).every((byte) => byte === 0xaa));
  assert.deepEqual(type.read(bytes, 4, full.length), type.read(full));
}

test('no room: the flyweights\' EncodeError at every length, nothing written outside the view given', () => {
  noRoom(NewOrder, order, transcodeTrading);
  noRoom(Parts, parts, transcodeKinds);
});

test('versions: v1 messages read by the v2 module and v2 messages by the v1 module, as the flyweights read them', () => {
  const v1 = { id: 1n, qty: 2, price: -3n, fills: [{ px: 4n, size: 5 }, { px: -6n, size: 7 }], venue: 'X' };
  const v1Bytes = written(OrderV1, v1);
  assert.deepEqual(v1Bytes, reference('schemas/test/versioned_v1.wk', { Order: v1 }));
  const asV2 = OrderV2.read(v1Bytes);
  // What v1 did not have: undefined, groups' new fields too; the decoder says the same.
  assert.deepEqual(asV2, {
    ...v1, stop: undefined, flagsByte: undefined, memo: undefined,
    fills: v1.fills.map((fill) => ({ ...fill, liquidity: undefined })),
  });
  const decoder = OrderV2.decode(v1Bytes);
  assert.equal(decoder.stop, undefined);
  assert.equal(decoder.flagsByte, undefined);
  assert.equal(decoder.memo, undefined);
  assert.deepEqual([...decoder.fills].map((fill) => fill.liquidity), [undefined, undefined]);
  // Written back by v2: what it did not have, as the flyweight leaves it unset (zero, null, empty).
  assert.deepEqual(written(OrderV2, asV2), reference('schemas/test/versioned_v2.wk', {
    Order: { ...v1, stop: null, flagsByte: 0, memo: '', fills: v1.fills.map((fill) => ({ ...fill, liquidity: '' })) },
  }));

  const v2 = {
    id: 8n, qty: 9, price: 10n, stop: -11n, flagsByte: 12,
    fills: [{ px: 13n, size: 14, liquidity: 'A' }], venue: 'LSE', memo: 'm',
  };
  const v2Bytes = written(OrderV2, v2);
  assert.deepEqual(v2Bytes, reference('schemas/test/versioned_v2.wk', { Order: v2 }));
  assert.deepEqual(OrderV2.read(v2Bytes), v2);
  const asV1 = OrderV1.read(v2Bytes);
  assert.deepEqual(asV1, { id: 8n, qty: 9, price: 10n, fills: [{ px: 13n, size: 14 }], venue: 'LSE' });
  const v1Decoder = OrderV1.decode(v2Bytes);
  assert.deepEqual([...v1Decoder.fills].map((fill) => [fill.px, fill.size]), [[13n, 14]]);
  assert.equal(v1Decoder.venue, 'LSE');
});

test('stale bytes: a message written over a longer one, and a block\'s padding, read as `wirekit encode` wrote them', () => {
  const buffer = new Uint8Array(512).fill(0xaa);
  NewOrder.write(buffer, order);
  const small: NewOrderObject = {
    orderId: 1n, symbol: '', side: Side.Buy, ordType: OrdType.Market, tif: 0, price: { mantissa: 0n, exponent: 0 },
    quantity: 0, stopPrice: undefined, clientTag: 0, legs: [], account: '', note: new Uint8Array(0),
  };
  const length = NewOrder.write(buffer, small);
  assert.deepEqual(buffer.subarray(0, length), reference('schemas/examples/trading.wk', {
    NewOrder: {
      orderId: 1, symbol: '', side: 'Buy', ordType: 'Market', tif: [], price: { mantissa: 0, exponent: 0 }, quantity: 0,
      stopPrice: null, venue: 'XLON', clientTag: 0, legs: [], account: '', note: '',
    },
  }));
  assert.deepEqual(NewOrder.read(buffer), small);
  // A clientTag left undefined (as an older sender's message reads) is written as zero.
  assert.deepEqual(NewOrder.read(buffer.subarray(0, NewOrder.write(buffer, { ...small, clientTag: undefined }))), small);
  // Layout: fields at offsets of their own, in a 32-byte block.
  const layout = { a: 1, b: 2, c: 3, d: 4 };
  assert.deepEqual(written(Layout, layout), reference('schemas/test/kinds.wk', { Layout: layout }));
});

test('read() throws decode()\'s DecodeError, with its field path and byte offset', () => {
  const bytes = written(NewOrder, order);
  for (let length = 0; length < bytes.length; length++) {
    const cut = bytes.slice(0, length);
    assert.throws(() => NewOrder.decode(cut), (expected: unknown) => {
      assert.ok(expected instanceof DecodeError);
      assert.throws(() => NewOrder.read(cut), { name: 'DecodeError', message: expected.message });
      return true;
    });
  }
  assert.throws(() => NewOrder.read(written(Parts, parts)), { message: 'demo.trading: schema id 900 at byte 4 is not 42' });
});

test('the MessageType interface: the generated types are still MessageType<D, E> for code written before read()/write()', () => {
  const type: MessageType<NewOrderDecoder, NewOrderEncoder> = NewOrder;
  const any: MessageType<unknown, unknown> = NewOrder;
  assert.equal(type.templateId, any.templateId);
  assert.deepEqual(any.read(written(NewOrder, order)), order);
});
