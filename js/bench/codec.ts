// SPDX-License-Identifier: Apache-2.0
// The TypeScript codec of bench.wk's Order against a hand-written DataView codec
// of the same bytes, protobufjs (bench/schemas/order.proto, loaded by
// reflection: protobufjs' usual way, its encoders and decoders compiled at
// load) and the flatbuffers package (bench/schemas/order.fbs's Order table,
// built and read through the Builder/ByteBuffer calls flatc's TypeScript makes).
// Every contender gets the same work. Encode: every field and the note, from
// the same values (the note a string, which each encodes as UTF-8), into a
// reused buffer. Decode: every field read and consumed, the note as a string;
// the 64-bit fields are compared with the values sent (a bigint, or
// protobufjs' Long as its two halves), the cheapest use of all 64 bits each
// library's type allows, so no contender pays arithmetic on them that
// another does not. The hand-written codec reads and writes text with the
// generated module's own routines (utf8, putVar): it measures the codec
// around them, not a text decoder of its own. wirekit runs three times: with an
// encoder or decoder made per message (encode(), decode()), with one of
// each kept by the caller and re-targeted per message (wrap(), "_reused"),
// and with plain objects (write() from the values object the hand-written
// code reads, read() to an object whose fields are consumed, "_object").
//
//   node dist/bench/codec.js [--iterations 1000000] [--repetitions 5]
// Prints one JSON object per case: {"name":"ts/order/encode/wirekit","ns_per_op":…}
// (CPU time: the best of the repetitions) and the ratios.
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import * as flatbuffers from 'flatbuffers';
import protobuf from 'protobufjs';
import { Order, OrderSide, OrderType } from '../generated/bench.wk.js';
import type { OrderDecoder, OrderEncoder, OrderObject } from '../generated/bench.wk.js';
import { putVar, utf8 } from '../generated/wirekit_codec.js';

const { values } = parseArgs({
  options: { iterations: { type: 'string', default: '1000000' }, repetitions: { type: 'string', default: '5' } },
});
const iterations = Number(values.iterations);
const repetitions = Number(values.repetitions);

const input = {
  orderId: 1234567890123n, accountId: 42, instrumentId: 7, price: 101.25, quantity: 500, side: 1, orderType: 2,
  timestamp: 1700000000123456789n, sequence: 99, active: true, note: 'good till cancelled',
};
// The 64-bit values as protobufjs' Long gives them, for its comparisons.
const orderIdLow = Number(input.orderId & 0xffffffffn) | 0;
const orderIdHigh = Number(input.orderId >> 32n) | 0;
const timestampLow = Number(input.timestamp & 0xffffffffn) | 0;
const timestampHigh = Number(input.timestamp >> 32n) | 0;

// -- wirekit --------------------------------------------------------------------
const wkBuffer = new Uint8Array(256);
const wkView = new DataView(wkBuffer.buffer);
function wirekitEncode(view: DataView): number {
  const e = Order.encode(view);
  e.orderId = input.orderId;
  e.accountId = input.accountId;
  e.instrumentId = input.instrumentId;
  e.price = input.price;
  e.quantity = input.quantity;
  e.side = OrderSide.Buy;
  e.orderType = OrderType.Limit;
  e.timestamp = input.timestamp;
  e.sequence = input.sequence;
  e.active = input.active;
  e.note(input.note);
  return e.encodedLength();
}
function wirekitDecode(bytes: DataView): number {
  const d = Order.decode(bytes);
  return (d.orderId === input.orderId ? 1 : 0) + d.accountId + d.instrumentId + d.price + d.quantity + d.side + d.orderType +
    (d.timestamp === input.timestamp ? 1 : 0) + d.sequence + (d.active ? 1 : 0) + d.note.length;
}
// The same with one encoder and one decoder the caller keeps (and passes in,
// as it does the buffer), re-targeted per message: the flyweight idiom. The
// bodies are written out again, as a caller writes them: shared through a
// function, they took V8's inlining budget, and the getters of the decoder
// made per message were no longer inlined (its decode took twice as long).
function wirekitEncodeReused(view: DataView, e: OrderEncoder): number {
  e.wrap(view);
  e.orderId = input.orderId;
  e.accountId = input.accountId;
  e.instrumentId = input.instrumentId;
  e.price = input.price;
  e.quantity = input.quantity;
  e.side = OrderSide.Buy;
  e.orderType = OrderType.Limit;
  e.timestamp = input.timestamp;
  e.sequence = input.sequence;
  e.active = input.active;
  e.note(input.note);
  return e.encodedLength();
}
function wirekitDecodeReused(bytes: DataView, d: OrderDecoder): number {
  d.wrap(bytes);
  return (d.orderId === input.orderId ? 1 : 0) + d.accountId + d.instrumentId + d.price + d.quantity + d.side + d.orderType +
    (d.timestamp === input.timestamp ? 1 : 0) + d.sequence + (d.active ? 1 : 0) + d.note.length;
}
const wkEncoder = Order.encode(new Uint8Array(64));
// Plain objects: the values object itself (its side and orderType are the enums' numbers).
const objectInput = input as OrderObject;
function wirekitObjectEncode(view: DataView): number {
  return Order.write(view, objectInput);
}
function wirekitObjectDecode(bytes: DataView): number {
  const d = Order.read(bytes);
  return (d.orderId === input.orderId ? 1 : 0) + d.accountId + d.instrumentId + d.price + d.quantity + d.side + d.orderType +
    (d.timestamp === input.timestamp ? 1 : 0) + d.sequence + (d.active ? 1 : 0) + d.note.length;
}

// -- hand-written DataView, the same bytes ---------------------------------------------
const hwBuffer = new Uint8Array(256);
const hwView = new DataView(hwBuffer.buffer);
function handwrittenEncode(v: DataView): number {
  v.setUint16(0, 43, true);
  v.setUint16(2, 5, true);
  v.setUint16(4, 7, true);
  v.setUint16(6, 0, true);
  v.setBigUint64(8, input.orderId, true);
  v.setUint32(16, input.accountId, true);
  v.setUint32(20, input.instrumentId, true);
  v.setFloat64(24, input.price, true);
  v.setUint32(32, input.quantity, true);
  v.setUint8(36, input.side);
  v.setUint8(37, input.orderType);
  v.setBigUint64(38, input.timestamp, true);
  v.setUint32(46, input.sequence, true);
  v.setUint8(50, input.active ? 1 : 0);
  const length = putVar(v, 55, v.byteLength - 55, input.note);
  if (length < 0) throw new Error('no room for the note');
  v.setUint32(51, length, true);
  return 55 + length;
}
function handwrittenDecode(v: DataView): number {
  // The checks a decoder of untrusted bytes needs: header, block and note within the view.
  if (v.byteLength < 51 || v.getUint16(2, true) !== 5 || v.getUint16(4, true) !== 7) throw new Error('not an Order');
  const block = v.getUint16(0, true);
  if (block < 43 || 8 + block + 4 > v.byteLength) throw new Error('short');
  const at = 8 + block;
  const length = v.getUint32(at, true);
  if (length > v.byteLength - at - 4) throw new Error('short');
  const note = utf8(v, at + 4, length);
  return (v.getBigUint64(8, true) === input.orderId ? 1 : 0) + v.getUint32(16, true) + v.getUint32(20, true) +
    v.getFloat64(24, true) + v.getUint32(32, true) + v.getUint8(36) + v.getUint8(37) +
    (v.getBigUint64(38, true) === input.timestamp ? 1 : 0) + v.getUint32(46, true) + (v.getUint8(50) !== 0 ? 1 : 0) +
    note.length;
}

// -- protobufjs -----------------------------------------------------------------
const proto = protobuf.loadSync(fileURLToPath(new URL('../../../bench/schemas/order.proto', import.meta.url)));
const PbOrder = proto.lookupType('bench.pb.Order');
const LongType = protobuf.util.Long as unknown as { fromString(text: string, unsigned: boolean): unknown };
const pbInput = {
  orderId: LongType.fromString(input.orderId.toString(), true), accountId: input.accountId,
  instrumentId: input.instrumentId, price: input.price, quantity: input.quantity, side: input.side,
  orderType: input.orderType, timestamp: LongType.fromString(input.timestamp.toString(), true),
  sequence: input.sequence, active: input.active, note: input.note,
};
const pbWriter = protobuf.Writer.create();
function protobufEncode(writer: protobuf.Writer): Uint8Array {
  // The message object is built per encode, as a caller with values at hand does.
  const message = {
    orderId: pbInput.orderId, accountId: pbInput.accountId, instrumentId: pbInput.instrumentId, price: pbInput.price,
    quantity: pbInput.quantity, side: pbInput.side, orderType: pbInput.orderType, timestamp: pbInput.timestamp,
    sequence: pbInput.sequence, active: pbInput.active, note: pbInput.note,
  };
  return PbOrder.encode(message, writer.reset()).finish();
}
interface PbDecoded {
  orderId: { low: number; high: number }; accountId: number; instrumentId: number; price: number; quantity: number;
  side: number; orderType: number; timestamp: { low: number; high: number }; sequence: number; active: boolean;
  note: string;
}
function protobufDecode(bytes: Uint8Array): number {
  const d = PbOrder.decode(bytes) as unknown as PbDecoded;
  return (d.orderId.low === orderIdLow && d.orderId.high === orderIdHigh ? 1 : 0) + d.accountId + d.instrumentId +
    d.price + d.quantity + d.side + d.orderType +
    (d.timestamp.low === timestampLow && d.timestamp.high === timestampHigh ? 1 : 0) + d.sequence +
    (d.active ? 1 : 0) + d.note.length;
}

// -- flatbuffers: table Order, fields in order.fbs's order -------------------------
const fbBuilder = new flatbuffers.Builder(256);
function flatbuffersEncode(b: flatbuffers.Builder): Uint8Array {
  b.clear();
  const note = b.createString(input.note);
  b.startObject(11);
  b.addFieldInt64(0, input.orderId, 0n);
  b.addFieldInt32(1, input.accountId, 0);
  b.addFieldInt32(2, input.instrumentId, 0);
  b.addFieldFloat64(3, input.price, 0);
  b.addFieldInt32(4, input.quantity, 0);
  b.addFieldInt8(5, input.side, 0);
  b.addFieldInt8(6, input.orderType, 0);
  b.addFieldInt64(7, input.timestamp, 0n);
  b.addFieldInt32(8, input.sequence, 0);
  b.addFieldInt8(9, input.active ? 1 : 0, 0);
  b.addFieldOffset(10, note, 0);
  b.finish(b.endObject());
  return b.asUint8Array();
}
function flatbuffersDecode(bytes: Uint8Array): number {
  const bb = new flatbuffers.ByteBuffer(bytes);
  const table = bb.readInt32(bb.position()) + bb.position();
  const field = (slot: number): number => bb.__offset(table, 4 + 2 * slot);
  const u64 = (slot: number): bigint => (field(slot) ? bb.readUint64(table + field(slot)) : 0n);
  const u32 = (slot: number): number => (field(slot) ? bb.readUint32(table + field(slot)) : 0);
  const u8 = (slot: number): number => (field(slot) ? bb.readUint8(table + field(slot)) : 0);
  const price = field(3) ? bb.readFloat64(table + field(3)) : 0;
  const note = field(10) ? (bb.__string(table + field(10)) as string) : '';
  return (u64(0) === input.orderId ? 1 : 0) + u32(1) + u32(2) + price + u32(4) + u8(5) + u8(6) +
    (u64(7) === input.timestamp ? 1 : 0) + u32(8) + u8(9) + note.length;
}

// -- the same message everywhere ----------------------------------------------------
const reusedBuffer = new Uint8Array(256);
const reusedLength = wirekitEncodeReused(new DataView(reusedBuffer.buffer), wkEncoder);
const objectBuffer = new Uint8Array(256).fill(0xaa);
const objectView = new DataView(objectBuffer.buffer);
const objectLength = wirekitObjectEncode(objectView);
const wkLength = wirekitEncode(wkView);
const hwLength = handwrittenEncode(hwView);
if (Buffer.compare(wkBuffer.subarray(0, wkLength), hwBuffer.subarray(0, hwLength)) !== 0 ||
    Buffer.compare(wkBuffer.subarray(0, wkLength), reusedBuffer.subarray(0, reusedLength)) !== 0 ||
    Buffer.compare(wkBuffer.subarray(0, wkLength), objectBuffer.subarray(0, objectLength)) !== 0) {
  throw new Error('the hand-written codec, the reused encoder or the plain-object writer writes other bytes than the generated one');
}
const wkMessage = new DataView(wkBuffer.buffer, 0, wkLength);
const wkDecoder = Order.decode(wkMessage);
const pbMessage = protobufEncode(pbWriter).slice();
const fbMessage = flatbuffersEncode(fbBuilder).slice();
// Both 64-bit fields equal to the values sent count 1 each.
const expected = 2 + input.accountId + input.instrumentId + input.price + input.quantity + input.side + input.orderType +
  input.sequence + (input.active ? 1 : 0) + input.note.length;
for (const [name, sum] of [['wirekit', wirekitDecode(wkMessage)], ['wirekit_reused', wirekitDecodeReused(wkMessage, wkDecoder)], ['wirekit_object', wirekitObjectDecode(wkMessage)], ['handwritten', handwrittenDecode(wkMessage)], ['protobufjs', protobufDecode(pbMessage)], ['flatbuffers', flatbuffersDecode(fbMessage)]] as const) {
  if (Math.abs(sum - expected) > 1e-6) throw new Error(`${name} decodes another message (${sum} != ${expected})`);
}

// -- timing: the cases interleaved, each repetition running every case once; the best kept ------
let sink = 0;
// Each case gets its buffer (or writer) as an argument, as a codec gets the
// caller's: a module constant inlined into a function is folded by V8 (the
// hand-written codec's bounds checks against a constant DataView, 6 ns of its
// encode), which the generated code, keeping the view in its encoder, never is.
// A reused encoder or decoder is the second argument, as the caller's own.
type Run = (arg: unknown, flyweight: unknown) => number | Uint8Array;
function contender<T, F>(
  name: string, run: (arg: T, flyweight: F) => number | Uint8Array, arg: T, flyweight?: F,
): [string, Run, unknown, unknown] {
  return [name, run as Run, arg, flyweight];
}
const cases = [
  contender('ts/order/encode/wirekit', wirekitEncode, wkView),
  contender('ts/order/encode/wirekit_reused', wirekitEncodeReused, wkView, wkEncoder),
  contender('ts/order/encode/wirekit_object', wirekitObjectEncode, objectView),
  contender('ts/order/encode/handwritten_dataview', handwrittenEncode, hwView),
  contender('ts/order/encode/protobufjs', protobufEncode, pbWriter),
  contender('ts/order/encode/flatbuffers', flatbuffersEncode, fbBuilder),
  contender('ts/order/decode/wirekit', wirekitDecode, wkMessage),
  contender('ts/order/decode/wirekit_reused', wirekitDecodeReused, wkMessage, wkDecoder),
  contender('ts/order/decode/wirekit_object', wirekitObjectDecode, wkMessage),
  contender('ts/order/decode/handwritten_dataview', handwrittenDecode, wkMessage),
  contender('ts/order/decode/protobufjs', protobufDecode, pbMessage),
  contender('ts/order/decode/flatbuffers', flatbuffersDecode, fbMessage),
];
const best = new Map<string, number>();
for (let r = 0; r <= repetitions; r++) {
  for (const [name, run, arg, flyweight] of cases) {
    // CPU time, not wall time: on a machine shared with other work, the time
    // this process waited for a core is not what the codec costs.
    const start = process.cpuUsage();
    for (let i = 0; i < iterations; i++) {
      const result = run(arg, flyweight);
      sink += typeof result === 'number' ? result : result.length;
    }
    const used = process.cpuUsage(start);
    const ns = ((used.user + used.system) * 1000) / iterations;
    if (r > 0) best.set(name, Math.min(best.get(name) ?? Infinity, ns)); // the first round warms up the JIT
  }
}
for (const [name] of cases) console.log(JSON.stringify({ name, ns_per_op: Number(best.get(name)!.toFixed(1)), iterations }));
for (const op of ['encode', 'decode'] as const) {
  const ns = (library: string): number => best.get(`ts/order/${op}/${library}`)!;
  console.log(JSON.stringify({
    name: `ts/order/${op}/ratios`,
    wirekit_vs_handwritten: Number((ns('wirekit') / ns('handwritten_dataview')).toFixed(2)),
    wirekit_reused_vs_handwritten: Number((ns('wirekit_reused') / ns('handwritten_dataview')).toFixed(2)),
    wirekit_object_vs_handwritten: Number((ns('wirekit_object') / ns('handwritten_dataview')).toFixed(2)),
    protobufjs_vs_wirekit: Number((ns('protobufjs') / ns('wirekit')).toFixed(2)),
    protobufjs_vs_wirekit_reused: Number((ns('protobufjs') / ns('wirekit_reused')).toFixed(2)),
    protobufjs_vs_wirekit_object: Number((ns('protobufjs') / ns('wirekit_object')).toFixed(2)),
    flatbuffers_vs_wirekit: Number((ns('flatbuffers') / ns('wirekit')).toFixed(2)),
  }));
}
if (sink === 0) console.log('');
