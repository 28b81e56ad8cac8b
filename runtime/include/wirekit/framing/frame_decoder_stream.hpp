// SPDX-License-Identifier: Apache-2.0
#pragma once
// FrameDecoderStream: a Transform that cuts the bytes written to it into frames.
// The writable side takes chunks of the byte stream (a socket's or a file's);
// the readable side is in object mode, one chunk a frame, each a subarray of
// the chunk it lay in when it lay in one (see FrameDecoder).
//
// Given a memory account (setMemoryAccount(), say a socket's memoryAccount()),
// the stream charges it with the bytes its writable side queues and its
// decoder holds; the frames queued on its readable side (object mode) are not
// charged.
//
//   auto frames = std::make_shared<FrameDecoderStream>(io, LengthFieldDecoderOptions::sofh());
//   socket->pipe(frames);
//   frames->on(events::data, [](const Buffer& frame) { ... });
//   frames->on(events::error, [](const std::exception_ptr& error) { ... });  // a FrameError
//
// A bad frame destroys the stream with its FrameError ('error', then 'close'),
// which names the stream offset where the frame began and the limit it broke;
// so does the end of the input inside a frame, after every whole frame before
// it has been pushed. In discard mode a bad frame whose extent is known is
// skipped instead and reported by a 'frameDiscarded' event, and the stream
// goes on. As in Node, destroying the stream drops frames still queued on its
// readable side: a consumer that must see every frame before the error reads
// in flowing mode ('data', or a pipe that keeps up).

#include <cstddef>
#include <memory>
#include <optional>

#include "wirekit/bytes/buffer.hpp"
#include "wirekit/error.hpp"
#include "wirekit/export.hpp"
#include "wirekit/framing/delimiter_frame_decoder.hpp"
#include "wirekit/framing/frame_decoder.hpp"
#include "wirekit/framing/length_field_frame_decoder.hpp"
#include "wirekit/stream/event_emitter.hpp"
#include "wirekit/stream/memory_budget.hpp"
#include "wirekit/stream/transform.hpp"

namespace wirekit {

namespace events {
// 'frameDiscarded': in discard mode, a bad frame was skipped; the stream goes on.
WIREKIT_EXPORT inline constexpr Event<const FrameError&> frameDiscarded{"frameDiscarded"};
}  // namespace events

// The buffering of a frame stream's two sides.
struct FrameStreamOptions {
  // A FrameDecoderStream's: bytes on the writable side, frames on the readable
  // side. A FrameEncoderStream's: messages on the writable side, bytes on the
  // readable side. Node's defaults when not given (16 KiB, 16 objects).
  std::optional<std::size_t> readableHighWaterMark{};
  std::optional<std::size_t> writableHighWaterMark{};
};

class WIREKIT_EXPORT FrameDecoderStream : public Transform {
 public:
  // Frames with a length field; SOFH (little-endian SBE) by default.
  explicit FrameDecoderStream(
      asio::io_context& context,
      const LengthFieldDecoderOptions& options = LengthFieldDecoderOptions::sofh(),
      FrameStreamOptions streamOptions = {});
  FrameDecoderStream(asio::io_context& context, const DelimiterDecoderOptions& options,
                     FrameStreamOptions streamOptions = {});
  // Any decoder.
  FrameDecoderStream(asio::io_context& context, std::unique_ptr<FrameDecoder> decoder,
                     FrameStreamOptions streamOptions = {});

  // The decoder, for its counters (streamOffset(), discardedFrames()).
  [[nodiscard]] const FrameDecoder& decoder() const noexcept { return *decoder_; }

 protected:
  void _transform(Buffer chunk, TransformCallback callback) override;
  void _flush(TransformCallback callback) override;

 private:
  std::unique_ptr<FrameDecoder> decoder_;
  // The decoder's bytes, charged to memoryAccount().
  MemoryCharge decoderCharge_;
};

}  // namespace wirekit
