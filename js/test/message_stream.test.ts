// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { once } from 'node:events';
import net from 'node:net';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { MessageError, MessageStream } from '../src/index.js';
import { EncodeError } from '../generated/wirekit_codec.js';
import { Heartbeat, NewOrder, OrdType, Schema, Side, Tif } from '../generated/trading.wk.js';
import type { AnyMessage, NewOrderDecoder, NewOrderObject } from '../generated/trading.wk.js';

function frame(body: Uint8Array, type = 0xeb50): Buffer {
  const header = Buffer.alloc(6);
  header.writeUInt32BE(body.length + 6);
  header.writeUInt16BE(type, 4);
  return Buffer.concat([header, body]);
}

function heartbeat(sentAt: bigint): Buffer {
  const bytes = Buffer.alloc(16);
  const e = Heartbeat.encode(bytes);
  e.sentAt = sentAt;
  return bytes.subarray(0, e.encodedLength());
}

/** A connected pair of sockets on loopback, and a way to close both and the server. */
async function socketPair(): Promise<[net.Socket, net.Socket, () => void]> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const client = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
  const [accepted] = (await once(server, 'connection')) as [net.Socket];
  await once(client, 'connect');
  return [client, accepted, () => {
    client.destroy();
    accepted.destroy();
    server.close();
  }];
}

test('typed messages over TCP: on(Type, handler), onAny for the rest, counters', async () => {
  const [a, b, close] = await socketPair();
  const sender = new MessageStream<AnyMessage>(a, Schema);
  const receiver = new MessageStream<AnyMessage>(b, Schema);
  const orders: string[] = [];
  const others: string[] = [];
  receiver.on(NewOrder, (order: NewOrderDecoder) => {
    orders.push(`${order.orderId} ${order.symbol} ${order.side} ${order.price.mantissa} ${[...order.legs].map((leg) => leg.legId).join(',')} ${order.account}`);
  });
  receiver.onAny((message, frameBytes) => others.push(`${message.toJSON()} ${frameBytes.length}`));
  for (let i = 0; i < 3; i++) {
    sender.send(NewOrder, (e) => {
      e.orderId = BigInt(i) + 10n;
      e.symbol = 'ACME';
      e.side = Side.Sell;
      e.price.mantissa = -5n;
      const legs = e.legs(2);
      legs.next().legId = 1;
      legs.next().legId = 2;
      e.account('désk');
    });
  }
  sender.send(Heartbeat, (e) => {
    e.sentAt = 99n;
  });
  sender.end();
  await once(receiver, 'end');
  assert.deepEqual(orders, ['10 ACME 2 -5 1,2 désk', '11 ACME 2 -5 1,2 désk', '12 ACME 2 -5 1,2 désk']);
  assert.deepEqual(others, ['{"Heartbeat":{"sentAt":99}} 16']);
  assert.equal(sender.sentMessages, 4);
  assert.equal(receiver.receivedMessages, 4);
  assert.equal(receiver.receivedBytes, sender.sentBytes);
  close();
});

test("bad input is a 'badMessage' with the C++ texts, and the stream reads on", async () => {
  const duplex = new PassThrough();
  const stream = new MessageStream<AnyMessage>(duplex, Schema, { maxFrameLength: 64 });
  const bad: string[] = [];
  const good: bigint[] = [];
  stream.on('badMessage', (error: MessageError) => bad.push(`${error.kind} ${error.streamOffset} ${error.message}`));
  stream.on(Heartbeat, (beat) => good.push(beat.sentAt));
  const unknown = heartbeat(1n);
  unknown.writeUInt16LE(99, 2);
  const otherSchema = heartbeat(2n);
  otherSchema.writeUInt16LE(7, 4);
  const short = heartbeat(3n).subarray(0, 12);
  duplex.end(Buffer.concat([
    frame(heartbeat(5n)), frame(unknown), frame(otherSchema), frame(short), frame(Buffer.alloc(70)),
    frame(heartbeat(6n), 0x5be0), frame(heartbeat(7n)),
  ]));
  await once(stream, 'end');
  assert.deepEqual(good, [5n, 7n]);
  assert.deepEqual(bad, [
    'message 22 message at stream offset 22: demo.trading: unknown template id 99 at byte 2',
    'message 44 message at stream offset 44: demo.trading: schema id 7 at byte 4 is not 42',
    'message 66 message at stream offset 66: Heartbeat: block of 8 bytes at byte 8 runs past the end (12 bytes)',
    'frame 84 frame at stream offset 84: length 76 exceeds the maximum 64',
    'frame 160 frame at stream offset 160: encoding type 0x5BE0 is not the expected 0xEB50',
  ]);
  assert.equal(stream.badMessages, 5);
});

test('destroyOnBadInput destroys the stream with the MessageError', async () => {
  const duplex = new PassThrough();
  const stream = new MessageStream<AnyMessage>(duplex, Schema, { destroyOnBadInput: true });
  const closed = new Promise((resolve) => stream.once('close', resolve));
  duplex.write(frame(Buffer.alloc(4)));
  const [error] = (await once(stream, 'error')) as [MessageError];
  assert.equal(error.message, 'message at stream offset 0: demo.trading: header of 8 bytes at byte 0 runs past the end (4 bytes)');
  await closed;
});

test('a stream that ends inside a frame: every whole message first, then the FrameError', async () => {
  const duplex = new PassThrough();
  const stream = new MessageStream<AnyMessage>(duplex, Schema);
  const seen: bigint[] = [];
  stream.on(Heartbeat, (beat) => seen.push(beat.sentAt));
  duplex.end(Buffer.concat([frame(heartbeat(1n)), frame(heartbeat(2n)).subarray(0, 10)]));
  const [error] = (await once(stream, 'error')) as [Error];
  assert.equal(error.message, 'frame at stream offset 22: the stream ended after 10 of its 22 bytes');
  assert.deepEqual(seen, [1n]);
});

test("backpressure: send() returns false at the highWaterMark, then 'drain'", async () => {
  const [a, b, close] = await socketPair();
  b.pause(); // the peer does not read
  const stream = new MessageStream<AnyMessage>(a, Schema, { chunkSize: 4096 });
  let sent = 0;
  while (stream.send(Heartbeat, (e) => { e.sentAt = BigInt(sent); })) {
    sent++;
    assert.ok(sent < 10_000_000, 'send() never returned false');
  }
  assert.ok(a.writableLength > 0);
  b.resume();
  await once(stream, 'drain');
  close();
});

test('a message larger than the chunk goes in a chunk of maxFrameLength; too large is an EncodeError', async () => {
  const duplex = new PassThrough();
  const stream = new MessageStream<AnyMessage>(duplex, Schema, { chunkSize: 64, maxFrameLength: 1024 });
  const notes: number[] = [];
  stream.on(NewOrder, (order) => notes.push(order.note.length));
  stream.send(NewOrder, (e) => e.note(new Uint8Array(500)));
  stream.send(NewOrder, (e) => e.note(new Uint8Array(5)));
  assert.throws(() => stream.send(NewOrder, (e) => e.note(new Uint8Array(2000))), EncodeError);
  // An error that is not for want of room leaves the stream as it was.
  assert.throws(() => stream.send(NewOrder, (e) => e.legs(2).next()), { message: 'NewOrder.legs: 1 of 2 entries written' });
  stream.send(Heartbeat, () => {});
  stream.end();
  await once(stream, 'end');
  assert.deepEqual(notes, [500, 5]);
  assert.equal(stream.sentMessages, 3);
});

function newOrder(orderId: bigint, note: Uint8Array): NewOrderObject {
  return {
    orderId, symbol: 'ACME', side: Side.Sell, ordType: OrdType.Limit, tif: Tif.Day,
    price: { mantissa: -5n, exponent: -2 }, quantity: 100, stopPrice: undefined, clientTag: 3,
    legs: [{ legId: 1, ratio: 1, side: Side.Buy }, { legId: 2, ratio: 3, side: Side.Sell }],
    account: 'désk', note,
  };
}

test('send(Type, message) writes a plain object, in place, as send(Type, fill) encodes', { timeout: 20000 }, async () => {
  const duplex = new PassThrough();
  const stream = new MessageStream<AnyMessage>(duplex, Schema, { chunkSize: 128, maxFrameLength: 1024 });
  const frames: string[] = [];
  stream.onAny((_, message) => frames.push(Buffer.from(message).toString('hex')));
  const orders = [newOrder(10n, new Uint8Array([1, 2])), newOrder(11n, new Uint8Array(300)), newOrder(12n, new Uint8Array(5))];
  // The first fits the chunk; the second only a chunk of maxFrameLength, and the third its rest.
  for (const order of orders) stream.send(NewOrder, order);
  // What write() gives alone, into a buffer of stale bytes.
  const expected = orders.map((order) => {
    const bytes = new Uint8Array(1024).fill(0xaa);
    return Buffer.from(bytes.subarray(0, NewOrder.write(bytes, order))).toString('hex');
  });
  assert.throws(() => stream.send(NewOrder, newOrder(13n, new Uint8Array(2000))), EncodeError);
  // An error that is not for want of room leaves the stream as it was.
  assert.throws(() => stream.send(NewOrder, { ...newOrder(14n, new Uint8Array(1)), account: 'x'.repeat(65) }),
    { message: 'NewOrder.account: length 65 exceeds 64' });
  stream.end();
  await once(stream, 'end');
  assert.deepEqual(frames, expected);
  assert.equal(stream.sentMessages, 3);
});

test('send(Type, message): what is sent reads back as the object sent', { timeout: 20000 }, async () => {
  const [a, b, close] = await socketPair();
  const sender = new MessageStream<AnyMessage>(a, Schema);
  const receiver = new MessageStream<AnyMessage>(b, Schema);
  const received: NewOrderObject[] = [];
  receiver.onAny((_, frameBytes) => received.push(NewOrder.read(frameBytes)));
  const orders = [newOrder(1n, new Uint8Array([9])), newOrder(2n, new Uint8Array(0))];
  for (const order of orders) sender.send(NewOrder, order);
  sender.end();
  await once(receiver, 'end');
  assert.deepEqual(received, orders);
  close();
});

test('sending after end() is refused as Node refuses a write after end', async () => {
  const stream = new MessageStream<AnyMessage>(new PassThrough(), Schema);
  stream.end();
  assert.equal(stream.send(Heartbeat, () => {}), false);
  const [error] = (await once(stream, 'error')) as [Error & { code: string }];
  assert.equal(error.code, 'ERR_STREAM_WRITE_AFTER_END');
});
