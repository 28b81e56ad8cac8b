// SPDX-License-Identifier: Apache-2.0
// Length-field framing for Node streams: the FIX Simple Open Framing Header
// (SOFH) and a u32 length, as wirekit's C++ LengthFieldFrameDecoder presets
// (docs/framing.md), with the same frames, offsets and error texts.
import { Transform, type TransformCallback } from 'node:stream';

/** A frame that cannot be read; the message starts with where it began. */
export class FrameError extends Error {
  constructor(
    readonly streamOffset: number,
    detail: string,
    /** The limit it broke (maxFrameLength, a header length), or 0. */
    readonly limit = 0,
  ) {
    super(`frame at stream offset ${streamOffset}: ${detail}`);
    this.name = 'FrameError';
  }
}

export interface LengthFieldOptions {
  /** The bytes before the body: the length field, then an optional u16 type. */
  readonly headerLength: number;
  /** The length field counts the whole frame (SOFH) rather than the body. */
  readonly lengthIncludesHeader: boolean;
  readonly littleEndian: boolean;
  /** A constant u16 after the length field (SOFH's encoding type), or undefined. */
  readonly expectedType: number | undefined;
  /** The longest whole frame (header and body) accepted. */
  maxFrameLength: number;
  /** Skip and report frames that are too long or of another type instead of failing. */
  discardMode: boolean;
}

export const SOFH_LITTLE_ENDIAN = 0xeb50;
export const SOFH_BIG_ENDIAN = 0x5be0;
export const DEFAULT_MAX_FRAME_LENGTH = 1 << 20;

/** SOFH: u32 big-endian length of the whole frame, u16 big-endian encoding type. */
export function sofh(encodingType = SOFH_LITTLE_ENDIAN): LengthFieldOptions {
  return {
    headerLength: 6, lengthIncludesHeader: true, littleEndian: false, expectedType: encodingType,
    maxFrameLength: DEFAULT_MAX_FRAME_LENGTH, discardMode: false,
  };
}

/** A u32 length of the body. */
export function u32(littleEndian = false): LengthFieldOptions {
  return {
    headerLength: 4, lengthIncludesHeader: false, littleEndian, expectedType: undefined,
    maxFrameLength: DEFAULT_MAX_FRAME_LENGTH, discardMode: false,
  };
}

function hex16(value: number): string {
  return '0x' + value.toString(16).toUpperCase().padStart(4, '0');
}

/**
 * Cuts a byte stream into frame bodies, however it is chunked. A frame that
 * lies inside one chunk is a subarray of it (no copy); one that spans chunks
 * is copied once. A too-long frame is skipped as it arrives, never buffered.
 */
export class LengthFieldFrameDecoder {
  private buffer: Buffer = Buffer.alloc(0);
  private start = 0;
  /** The stream offset of buffer[start]. */
  private offset = 0;
  private skipping = 0;
  private failed: FrameError | null = null;
  discardedFrames = 0;

  constructor(
    readonly options: LengthFieldOptions,
    /** Called with each frame skipped in discard mode. */
    private readonly onDiscard: (error: FrameError) => void = () => {},
  ) {}

  push(chunk: Buffer): void {
    if (this.skipping > 0) {
      const skipped = Math.min(this.skipping, chunk.length);
      this.skipping -= skipped;
      this.offset += skipped;
      chunk = chunk.subarray(skipped);
    }
    if (chunk.length === 0) return;
    if (this.start === this.buffer.length) {
      this.buffer = chunk;
    } else {
      this.buffer = Buffer.concat([this.buffer.subarray(this.start), chunk]);
    }
    this.start = 0;
  }

  /** The body of the next whole frame, and where its frame began; undefined when none is whole. */
  next(): { body: Buffer; streamOffset: number } | undefined {
    if (this.failed) throw this.failed;
    const o = this.options;
    for (;;) {
      const available = this.buffer.length - this.start;
      if (this.skipping > 0 || available < o.headerLength) return undefined;
      const at = this.start;
      const field = o.littleEndian ? this.buffer.readUInt32LE(at) : this.buffer.readUInt32BE(at);
      const frameLength = o.lengthIncludesHeader ? field : field + o.headerLength;
      if (frameLength < o.headerLength) {
        this.failed = new FrameError(this.offset, `length field ${field} gives a frame length of ${frameLength}, below the minimum ${o.headerLength} (its header)`, o.headerLength);
        throw this.failed;
      }
      let error: FrameError | undefined;
      if (frameLength > o.maxFrameLength) {
        error = new FrameError(this.offset, `length ${frameLength} exceeds the maximum ${o.maxFrameLength}`, o.maxFrameLength);
      } else if (o.expectedType !== undefined) {
        const type = this.buffer.readUInt16BE(at + 4);
        if (type !== o.expectedType) {
          error = new FrameError(this.offset, `encoding type ${hex16(type)} is not the expected ${hex16(o.expectedType)}`);
        }
      }
      if (error !== undefined) {
        if (!o.discardMode) {
          this.failed = error;
          throw error;
        }
        this.discardedFrames++;
        const skipped = Math.min(frameLength, available);
        this.start += skipped;
        this.offset += skipped;
        this.skipping = frameLength - skipped;
        this.onDiscard(error);
        continue;
      }
      if (available < frameLength) return undefined;
      const streamOffset = this.offset;
      const body = this.buffer.subarray(at + o.headerLength, at + frameLength);
      this.start += frameLength;
      this.offset += frameLength;
      return { body, streamOffset };
    }
  }

  /** At the end of the stream: a frame cut short is an error. */
  end(): void {
    if (this.failed) throw this.failed;
    const available = this.buffer.length - this.start;
    if (this.skipping > 0 || available === 0) return;
    const o = this.options;
    let expected = o.headerLength;
    if (available >= o.headerLength) {
      const field = o.littleEndian ? this.buffer.readUInt32LE(this.start) : this.buffer.readUInt32BE(this.start);
      expected = o.lengthIncludesHeader ? field : field + o.headerLength;
    }
    this.failed = new FrameError(this.offset, `the stream ended after ${available} of its ${expected} bytes`);
    throw this.failed;
  }
}

/** Writes the header of a frame whose body is `bodyLength` bytes at `at`. */
export function writeFrameHeader(target: Buffer, at: number, bodyLength: number, options: LengthFieldOptions): void {
  const field = options.lengthIncludesHeader ? bodyLength + options.headerLength : bodyLength;
  if (options.littleEndian) target.writeUInt32LE(field, at);
  else target.writeUInt32BE(field, at);
  if (options.expectedType !== undefined) target.writeUInt16BE(options.expectedType, at + 4);
}

/**
 * Bytes in, frame bodies out (the readable side in object mode, one Buffer a
 * frame). A fatal FrameError destroys it; in discard mode a skipped frame is a
 * 'frameDiscarded' event and it goes on.
 */
export class FrameDecoderStream extends Transform {
  private readonly decoder: LengthFieldFrameDecoder;

  constructor(options: LengthFieldOptions = sofh()) {
    super({ readableObjectMode: true });
    this.decoder = new LengthFieldFrameDecoder(options, (error) => this.emit('frameDiscarded', error));
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.decoder.push(chunk);
      for (let frame = this.decoder.next(); frame !== undefined; frame = this.decoder.next()) this.push(frame.body);
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    try {
      this.decoder.end();
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }
}

/** Frame bodies in (the writable side in object mode), header and body out as two chunks. */
export class FrameEncoderStream extends Transform {
  constructor(private readonly options: LengthFieldOptions = sofh()) {
    super({ writableObjectMode: true });
  }

  override _transform(body: Uint8Array, _encoding: BufferEncoding, callback: TransformCallback): void {
    const limit = this.options.maxFrameLength - this.options.headerLength;
    if (body.length > limit) {
      callback(new RangeError(`a body of ${body.length} bytes makes a frame longer than the maximum ${this.options.maxFrameLength}`));
      return;
    }
    const header = Buffer.allocUnsafe(this.options.headerLength);
    writeFrameHeader(header, 0, body.length, this.options);
    this.push(header);
    this.push(body);
    callback();
  }
}
