// SPDX-License-Identifier: Apache-2.0
export {
  DEFAULT_MAX_FRAME_LENGTH, FrameDecoderStream, FrameEncoderStream, FrameError, LengthFieldFrameDecoder,
  SOFH_BIG_ENDIAN, SOFH_LITTLE_ENDIAN, sofh, u32, writeFrameHeader,
} from './framing.js';
export type { LengthFieldOptions } from './framing.js';
export { MessageError, MessageStream } from './message_stream.js';
export type { Decoded, MessageStreamOptions, MessageTypeLike, ObjectMessageTypeLike, SchemaLike } from './message_stream.js';
