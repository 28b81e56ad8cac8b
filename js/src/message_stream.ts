// SPDX-License-Identifier: Apache-2.0
// Typed messages of one generated schema over any Duplex, framed with SOFH: the
// Node counterpart of wirekit's C++ MessageStream (docs/messages.md), with the
// same names, options, events and bad-input reports.
import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import {
  DEFAULT_MAX_FRAME_LENGTH, FrameError, LengthFieldFrameDecoder, SOFH_BIG_ENDIAN, SOFH_LITTLE_ENDIAN, sofh,
} from './framing.js';

/** A decoded message, as every generated decoder is. */
export interface Decoded {
  readonly templateId: number;
  readonly encodedLength: number;
  toJSON(): string;
}

/** A message type of a generated module (`import { NewOrder } from './trading.wk.js'`). */
export interface MessageTypeLike<D, E> {
  readonly name: string;
  readonly templateId: number;
  decode(bytes: DataView | Uint8Array, offset?: number, length?: number): D;
  encode(bytes: DataView | Uint8Array, offset?: number, length?: number): E;
}

/** A message type that writes plain objects (a generated module's `read()`/`write()`): what `send(Type, message)` takes. */
export interface ObjectMessageTypeLike<O> {
  readonly name: string;
  readonly templateId: number;
  write(bytes: DataView | Uint8Array, message: O, offset?: number, length?: number): number;
}

/** The `Schema` of a generated module. */
export interface SchemaLike<M extends Decoded> {
  readonly package: string;
  readonly littleEndian: boolean;
  decode(bytes: DataView | Uint8Array, offset?: number, length?: number): M;
}

interface Encoder {
  encodedLength(): number;
}

/** A frame that did not give a message: `kind` 'frame' (skipped unread) or 'message' (it did not decode). */
export class MessageError extends Error {
  constructor(
    readonly kind: 'frame' | 'message',
    readonly streamOffset: number,
    message: string,
  ) {
    super(message);
    this.name = 'MessageError';
  }
}

export interface MessageStreamOptions {
  /** The outgoing chunk messages are encoded into and written from together. */
  chunkSize?: number;
  /** The longest frame (header and message) sent or accepted. */
  maxFrameLength?: number;
  /** Destroy the stream on a bad frame or message instead of reporting it and reading on. */
  destroyOnBadInput?: boolean;
}

const SOFH_LENGTH = 6;

interface Chunk {
  buffer: Buffer;
  view: DataView;
  /** Writes of this chunk the Duplex has not finished with. */
  writes: number;
}

/**
 * `MessageStream(duplex, Schema, options)`: `send(Type, fill)` encodes in place
 * into pooled chunks written in batches; received frames are decoded in place
 * and go to the handler of their type (`on(Type, handler)`).
 */
export class MessageStream<M extends Decoded> extends EventEmitter {
  readonly chunkSize: number;
  readonly maxFrameLength: number;
  readonly destroyOnBadInput: boolean;
  sentMessages = 0;
  sentBytes = 0;
  receivedMessages = 0;
  receivedBytes = 0;
  badMessages = 0;

  private readonly handlers = new Map<number, (message: M) => void>();
  private anyHandler: ((message: M, frame: Buffer) => void) | null = null;
  private readonly frames: LengthFieldFrameDecoder;
  private readonly encodingType: number;
  private chunk: Chunk | null = null;
  private used = 0;
  private flushed = 0;
  private readonly pool: Chunk[] = [];
  private flushScheduled = false;
  private needDrain = false;
  private ended = false;
  private paused = false;
  private readableEnded = false;
  private endEmitted = false;

  constructor(
    readonly duplex: Duplex,
    readonly schema: SchemaLike<M>,
    options: MessageStreamOptions = {},
  ) {
    super();
    this.chunkSize = options.chunkSize ?? 64 * 1024;
    this.maxFrameLength = options.maxFrameLength ?? DEFAULT_MAX_FRAME_LENGTH;
    this.destroyOnBadInput = options.destroyOnBadInput ?? false;
    this.encodingType = schema.littleEndian ? SOFH_LITTLE_ENDIAN : SOFH_BIG_ENDIAN;
    const framing = sofh(this.encodingType);
    framing.maxFrameLength = this.maxFrameLength;
    framing.discardMode = true;
    this.frames = new LengthFieldFrameDecoder(framing, (error) => this.bad(new MessageError('frame', error.streamOffset, error.message)));
    duplex.on('data', (chunk: Buffer) => this.receive(chunk));
    duplex.on('end', () => {
      this.readableEnded = true;
      this.handleFrames();
    });
    duplex.on('drain', () => {
      if (!this.needDrain) return;
      this.needDrain = false;
      this.emit('drain');
    });
    duplex.on('error', (error: Error) => this.emit('error', error));
    duplex.on('close', () => this.emit('close'));
  }

  /** handler(decoder) for each message of `type` (one per type; null removes it). */
  override on<D extends M>(type: MessageTypeLike<D, unknown>, handler: ((message: D) => void) | null): this;
  override on(event: 'badMessage', listener: (error: MessageError) => void): this;
  override on(event: 'error', listener: (error: Error) => void): this;
  override on(event: 'drain' | 'end' | 'close', listener: () => void): this;
  // EventEmitter's own signature, which the other overloads narrow.
  override on(event: string | symbol, listener: (...args: any[]) => void): this;
  override on(
    what: string | symbol | MessageTypeLike<M, unknown>,
    handler: ((...args: never[]) => void) | ((message: M) => void) | null,
  ): this {
    if (typeof what === 'object') {
      if (handler === null) this.handlers.delete(what.templateId);
      else this.handlers.set(what.templateId, handler as (message: M) => void);
      return this;
    }
    return super.on(what, handler as (...args: unknown[]) => void);
  }

  /** handler(decoder, frame) for messages whose type has no handler. */
  onAny(handler: ((message: M, frame: Buffer) => void) | null): this {
    this.anyHandler = handler;
    return this;
  }

  /** Stop handling after the current message (and pause the Duplex) / go on. */
  pause(): this {
    this.paused = true;
    this.duplex.pause();
    return this;
  }

  resume(): this {
    this.paused = false;
    this.handleFrames();
    if (!this.paused) this.duplex.resume();
    return this;
  }

  // -- sending ----------------------------------------------------------------

  /**
   * Encodes a message of `type` in place into the outgoing chunk: `fill` sets
   * its fields (it may run up to three times: a message that does not fit is
   * encoded again in a fresh chunk), or `message`, a plain object, is written
   * with `type.write()`. Returns Node's backpressure boolean: false once the
   * bytes waiting reach the Duplex's writableHighWaterMark; wait for 'drain'.
   */
  send<E extends Encoder>(type: MessageTypeLike<unknown, E>, fill: (encoder: E) => void): boolean;
  send<O>(type: ObjectMessageTypeLike<O>, message: O): boolean;
  send(
    type: MessageTypeLike<unknown, Encoder> | ObjectMessageTypeLike<unknown>,
    what: ((encoder: Encoder) => void) | unknown,
  ): boolean {
    if (this.refuseAfterEnd()) return false;
    const attempt = (): boolean => {
      const chunk = this.chunk!;
      const room = chunk.buffer.length - this.used - SOFH_LENGTH;
      if (room <= 0) return false;
      try {
        this.commit(this.encodeAt(type, what, chunk.view, Math.min(room, this.maxFrameLength - SOFH_LENGTH)));
        return true;
      } catch (error) {
        if ((error as { room?: boolean }).room === true) return false;
        throw error;
      }
    };
    this.ensureChunk(0);
    if (!attempt()) {
      this.startChunk(this.chunkSize);
      if (!attempt()) {
        if (this.maxFrameLength > this.chunkSize) this.startChunk(this.maxFrameLength);
        const chunk = this.chunk!;
        this.commit(this.encodeAt(type, what, chunk.view, Math.min(chunk.buffer.length - this.used, this.maxFrameLength) - SOFH_LENGTH));
      }
    }
    return this.afterSend();
  }

  /** Encodes a message (by `fill`, or a plain object) after the SOFH header at `used`, in `room` bytes; returns its length. */
  private encodeAt(
    type: MessageTypeLike<unknown, Encoder> | ObjectMessageTypeLike<unknown>,
    what: ((encoder: Encoder) => void) | unknown,
    view: DataView,
    room: number,
  ): number {
    const offset = this.used + SOFH_LENGTH;
    if (typeof what !== 'function') return (type as ObjectMessageTypeLike<unknown>).write(view, what, offset, room);
    const encoder = (type as MessageTypeLike<unknown, Encoder>).encode(view, offset, room);
    (what as (encoder: Encoder) => void)(encoder);
    return encoder.encodedLength();
  }

  /** Sends a message that is already encoded (one received, to echo or forward): copied behind a new header, unchecked. */
  sendEncoded(message: Uint8Array): boolean {
    if (this.refuseAfterEnd()) return false;
    const frameLength = message.length + SOFH_LENGTH;
    if (frameLength > this.maxFrameLength) {
      throw new RangeError(`a message of ${message.length} bytes makes a frame longer than maxFrameLength (${this.maxFrameLength})`);
    }
    this.ensureChunk(frameLength);
    this.chunk!.buffer.set(message, this.used + SOFH_LENGTH);
    this.commit(message.length);
    return this.afterSend();
  }

  /** The bytes encoded but not yet written to the Duplex. */
  pendingBytes(): number {
    return this.used - this.flushed;
  }

  /** Writes what is waiting now rather than at the end of the turn. */
  flush(): void {
    const chunk = this.chunk;
    if (chunk === null || this.used === this.flushed) return;
    const bytes = chunk.buffer.subarray(this.flushed, this.used);
    this.flushed = this.used;
    chunk.writes++;
    this.duplex.write(bytes, () => {
      chunk.writes--;
      this.recycle(chunk);
    });
  }

  /** Flushes and ends the writable side. */
  end(): void {
    if (this.ended) return;
    this.flush();
    this.ended = true;
    this.duplex.end();
  }

  destroy(error?: Error): void {
    this.duplex.destroy(error);
  }

  private refuseAfterEnd(): boolean {
    if (!this.ended) return false;
    const error = Object.assign(new Error('write after end'), { code: 'ERR_STREAM_WRITE_AFTER_END' });
    process.nextTick(() => this.emit('error', error));
    return true;
  }

  private commit(messageLength: number): void {
    const chunk = this.chunk!;
    const frameLength = messageLength + SOFH_LENGTH;
    chunk.buffer.writeUInt32BE(frameLength, this.used);
    chunk.buffer.writeUInt16BE(this.encodingType, this.used + 4);
    this.used += frameLength;
    this.sentMessages++;
    this.sentBytes += frameLength;
  }

  private afterSend(): boolean {
    const highWaterMark = this.duplex.writableHighWaterMark;
    if (this.used === this.chunk!.buffer.length || this.pendingBytes() >= highWaterMark) this.flush();
    if (this.pendingBytes() + this.duplex.writableLength >= highWaterMark) {
      // Written now, so that the Duplex, over its highWaterMark, emits 'drain'.
      this.flush();
      this.needDrain = true;
      return false;
    }
    if (!this.flushScheduled && this.pendingBytes() > 0) {
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        if (!this.duplex.destroyed) this.flush();
      });
    }
    return true;
  }

  /** A chunk with room for `frameLength` more bytes (any room when 0). */
  private ensureChunk(frameLength: number): void {
    const chunk = this.chunk;
    const needed = Math.max(frameLength, SOFH_LENGTH + 1);
    if (chunk !== null && chunk.buffer.length - this.used >= needed) return;
    this.startChunk(Math.max(this.chunkSize, frameLength));
  }

  private startChunk(size: number): void {
    this.flush();
    const previous = this.chunk;
    this.chunk = null;
    if (previous !== null) this.recycle(previous);
    let next: Chunk | undefined;
    if (size === this.chunkSize) next = this.pool.pop();
    next ??= (() => {
      const buffer = Buffer.allocUnsafe(size);
      return { buffer, view: new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength), writes: 0 };
    })();
    this.chunk = next;
    this.used = 0;
    this.flushed = 0;
  }

  /** A chunk the Duplex is done with goes back to the pool (bounded by what the highWaterMark holds). */
  private recycle(chunk: Chunk): void {
    if (chunk === this.chunk || chunk.writes > 0 || chunk.buffer.length !== this.chunkSize) return;
    const keep = Math.ceil(this.duplex.writableHighWaterMark / this.chunkSize) + 2;
    if (this.pool.length < keep && !this.pool.includes(chunk)) this.pool.push(chunk);
  }

  // -- receiving ----------------------------------------------------------------

  private receive(chunk: Buffer): void {
    this.receivedBytes += chunk.length;
    this.frames.push(chunk);
    this.handleFrames();
  }

  private handleFrames(): void {
    try {
      while (!this.paused) {
        const frame = this.frames.next();
        if (frame === undefined) break;
        this.handle(frame.body, frame.streamOffset);
      }
      if (!this.paused && this.readableEnded && !this.endEmitted) {
        this.frames.end();
        this.endEmitted = true;
        this.emit('end');
      }
    } catch (error) {
      if (error instanceof FrameError) this.duplex.destroy(error);
      else throw error;
    }
  }

  private handle(frame: Buffer, streamOffset: number): void {
    let message: M;
    try {
      message = this.schema.decode(frame);
    } catch (error) {
      if (!(error instanceof Error) || error.name !== 'DecodeError') throw error;
      this.bad(new MessageError('message', streamOffset, `message at stream offset ${streamOffset}: ${error.message}`));
      return;
    }
    this.receivedMessages++;
    const handler = this.handlers.get(message.templateId);
    if (handler !== undefined) handler(message);
    else if (this.anyHandler !== null) this.anyHandler(message, frame);
  }

  private bad(error: MessageError): void {
    this.badMessages++;
    if (this.destroyOnBadInput) this.duplex.destroy(error);
    else this.emit('badMessage', error);
  }
}
