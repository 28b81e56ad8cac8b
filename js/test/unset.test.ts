// SPDX-License-Identifier: Apache-2.0
// Fields a message leaves unset, set twice, or set by the message before in the
// same buffer: the bytes must be what `wirekit encode` (the reference codec)
// writes for the JSON form with those fields zero or null, whether the encoder
// is made per message (encode()) or kept and re-targeted (wrap()).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Order, OrderSide, OrderType } from '../generated/bench.wk.js';
import type { OrderEncoder } from '../generated/bench.wk.js';
import { Color, Grade, Optionals } from '../generated/kinds.wk.js';
import type { OptionalsEncoder } from '../generated/kinds.wk.js';
import { NewOrder, OrdType, Side, Tif } from '../generated/trading.wk.js';
import type { NewOrderEncoder } from '../generated/trading.wk.js';
import { reference } from './support/reference.js';

/** A message type's cases: each fills an encoder and gives the JSON form of what it wrote. */
interface Case<E> {
  name: string;
  fill: (encoder: E) => void;
  json: object;
}

/** Every case written into a buffer holding the bytes of `full` (and 0xaa past
 * them): by a new encoder per case, and by one encoder wrapped per case after
 * it wrote `full`. Each must equal `wirekit encode` of its JSON form. */
function check<E extends { encodedLength(): number; wrap(bytes: Uint8Array): E }>(
  schema: string, encode: (bytes: Uint8Array) => E, full: Case<E>, cases: Case<E>[],
): void {
  const stale = new Uint8Array(256).fill(0xaa);
  const fullEncoder = encode(stale);
  full.fill(fullEncoder);
  assert.deepEqual(stale.subarray(0, fullEncoder.encodedLength()), reference(schema, full.json), full.name);
  const reused = encode(new Uint8Array(256));
  for (const c of cases) {
    const expected = reference(schema, c.json);
    const bytes = stale.slice();
    const encoder = encode(bytes);
    c.fill(encoder);
    assert.deepEqual(bytes.subarray(0, encoder.encodedLength()), expected, `${c.name}, a new encoder`);
    // The reused encoder writes the full message, then this one, over it.
    const again = stale.slice();
    full.fill(reused.wrap(again));
    assert.equal(reused.encodedLength(), fullEncoder.encodedLength());
    c.fill(reused.wrap(again));
    assert.deepEqual(again.subarray(0, reused.encodedLength()), expected, `${c.name}, a reused encoder`);
  }
}

test('Order: fields never set are zero, a field set twice keeps the last value, nothing of the message before is left', () => {
  const zero = {
    orderId: 0, accountId: 0, instrumentId: 0, price: 0, quantity: 0, side: 0, orderType: 0, timestamp: 0, sequence: 0,
    active: false, note: '',
  };
  const full: Case<OrderEncoder> = {
    name: 'every field',
    fill: (e) => {
      e.orderId = 0xfedcba9876543210n;
      e.accountId = 0xffffffff;
      e.instrumentId = 7;
      e.price = -1.5;
      e.quantity = 500;
      e.side = OrderSide.Sell;
      e.orderType = OrderType.Stop;
      e.timestamp = 1700000000123456789n;
      e.sequence = 99;
      e.active = true;
      e.note('good till cancelled');
    },
    json: {
      Order: {
        orderId: 0xfedcba9876543210n, accountId: 0xffffffff, instrumentId: 7, price: -1.5, quantity: 500,
        side: 'Sell', orderType: 'Stop', timestamp: 1700000000123456789n, sequence: 99, active: true,
        note: 'good till cancelled',
      },
    },
  };
  check('bench/schemas/bench.wk', Order.encode, full, [
    { name: 'nothing set', fill: () => {}, json: { Order: zero } },
    {
      name: 'some fields set',
      fill: (e) => {
        e.price = 2.25;
        e.side = OrderSide.Buy;
        e.note('x');
      },
      json: { Order: { ...zero, price: 2.25, side: 'Buy', note: 'x' } },
    },
    {
      name: 'fields set twice',
      fill: (e) => {
        e.orderId = 5n;
        e.orderId = 6n;
        e.active = true;
        e.active = false;
        e.sequence = 3;
        e.sequence = 0;
        e.quantity = 1;
      },
      json: { Order: { ...zero, orderId: 6, quantity: 1 } },
    },
  ]);
});

test('Optionals: optional fields never set are null, set then cleared are null, set twice keep the last value', () => {
  const none = {
    ou8: null, ou16: null, ou32: null, ou64: null, oi8: null, oi16: null, oi32: null, oi64: null, of32: null, of64: null,
    ochar: null, obool: null, ocolor: null, ograde: null, custom: null, customColor: null,
  };
  const full: Case<OptionalsEncoder> = {
    name: 'every field',
    fill: (e) => {
      e.ou8 = 1;
      e.ou16 = 2;
      e.ou32 = 3;
      e.ou64 = 4n;
      e.oi8 = -1;
      e.oi16 = -2;
      e.oi32 = -3;
      e.oi64 = -4n;
      e.of32 = 0.5;
      e.of64 = 1.5;
      e.ochar = 'a';
      e.obool = true;
      e.ocolor = Color.Blue;
      e.ograde = Grade.Bad;
      e.custom = 9;
      e.customColor = Color.Green;
    },
    json: {
      Optionals: {
        ou8: 1, ou16: 2, ou32: 3, ou64: 4, oi8: -1, oi16: -2, oi32: -3, oi64: -4, of32: 0.5, of64: 1.5, ochar: 'a',
        obool: true, ocolor: 'Blue', ograde: 'Bad', custom: 9, customColor: 'Green',
      },
    },
  };
  check('schemas/test/kinds.wk', Optionals.encode, full, [
    { name: 'nothing set', fill: () => {}, json: { Optionals: none } },
    {
      name: 'some set, some set and cleared, some set twice',
      fill: (e) => {
        e.ou32 = 7;
        e.of64 = 2.5;
        e.of64 = undefined;
        e.oi64 = -1n;
        e.oi64 = 8n;
        e.obool = false;
        e.ograde = Grade.Good;
        e.ograde = undefined;
      },
      json: { Optionals: { ...none, ou32: 7, oi64: 8, obool: false } },
    },
  ]);
});

test('NewOrder: unset structs, arrays, optional fields and group entry fields are zero or null after a full message', () => {
  const zero = {
    orderId: 0, symbol: '', side: 0, ordType: 0, tif: [], price: { mantissa: 0, exponent: 0 }, quantity: 0,
    stopPrice: null, venue: 'XLON', clientTag: 0, legs: [], account: '', note: '',
  };
  const full: Case<NewOrderEncoder> = {
    name: 'every field',
    fill: (e) => {
      e.orderId = 11n;
      e.symbol = 'ACMEACME';
      e.side = Side.Sell;
      e.ordType = OrdType.Limit;
      e.tif = Tif.Ioc | Tif.Fok;
      e.price.mantissa = -12345n;
      e.price.exponent = -2;
      e.quantity = 100;
      e.stopPrice = -5n;
      e.clientTag = 77;
      const legs = e.legs(2);
      for (let i = 0; i < 2; i++) {
        const leg = legs.next();
        leg.legId = 0xffffffff;
        leg.ratio = 0xffff;
        leg.side = Side.Sell;
      }
      e.account('someone');
      e.note(new Uint8Array([1, 2, 3]));
    },
    json: {
      NewOrder: {
        orderId: 11, symbol: 'ACMEACME', side: 'Sell', ordType: 'Limit', tif: ['Ioc', 'Fok'],
        price: { mantissa: -12345, exponent: -2 }, quantity: 100, stopPrice: -5, venue: 'XLON', clientTag: 77,
        legs: [{ legId: 0xffffffff, ratio: 0xffff, side: 'Sell' }, { legId: 0xffffffff, ratio: 0xffff, side: 'Sell' }],
        account: 'someone', note: 'AQID',
      },
    },
  };
  check('schemas/examples/trading.wk', NewOrder.encode, full, [
    { name: 'nothing set', fill: () => {}, json: { NewOrder: zero } },
    {
      name: 'entries with some fields set',
      fill: (e) => {
        e.symbol = 'AB';
        e.price.exponent = 3;
        const legs = e.legs(2);
        legs.next().ratio = 2;
        legs.next().legId = 4;
      },
      json: {
        NewOrder: {
          ...zero, symbol: 'AB', price: { mantissa: 0, exponent: 3 },
          legs: [{ legId: 0, ratio: 2, side: 0 }, { legId: 4, ratio: 0, side: 0 }],
        },
      },
    },
  ]);
});
