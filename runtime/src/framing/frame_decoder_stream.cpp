// SPDX-License-Identifier: Apache-2.0
#include "wirekit/framing/frame_decoder_stream.hpp"

#include <exception>
#include <utility>

namespace wirekit {

FrameDecoderStream::FrameDecoderStream(asio::io_context& context,
                                       const LengthFieldDecoderOptions& options,
                                       FrameStreamOptions streamOptions)
    : FrameDecoderStream(context, std::make_unique<LengthFieldFrameDecoder>(options),
                         streamOptions) {}

FrameDecoderStream::FrameDecoderStream(asio::io_context& context,
                                       const DelimiterDecoderOptions& options,
                                       FrameStreamOptions streamOptions)
    : FrameDecoderStream(context, std::make_unique<DelimiterFrameDecoder>(options), streamOptions) {
}

FrameDecoderStream::FrameDecoderStream(asio::io_context& context,
                                       std::unique_ptr<FrameDecoder> decoder,
                                       FrameStreamOptions streamOptions)
    : Transform(context,
                TransformOptions{.readableHighWaterMark = streamOptions.readableHighWaterMark,
                                 .writableHighWaterMark = streamOptions.writableHighWaterMark,
                                 .readableObjectMode = true}),
      decoder_(std::move(decoder)) {
  // The decoder is owned by this stream, so the listener cannot outlive it.
  decoder_->onDiscard([this](const FrameError& error) { emit(events::frameDiscarded, error); });
}

void FrameDecoderStream::_transform(Buffer chunk, TransformCallback callback) {
  try {
    decoder_->push(std::move(chunk));
    while (std::optional<Buffer> frame = decoder_->next())
      push(std::move(*frame));
  } catch (const FrameError&) {
    callback(std::current_exception());
    return;
  }
  decoderCharge_.set(memoryAccount(), decoder_->heldBytes());
  callback();
}

void FrameDecoderStream::_flush(TransformCallback callback) {
  try {
    decoder_->end();
    while (std::optional<Buffer> frame = decoder_->next())
      push(std::move(*frame));
  } catch (const FrameError&) {
    callback(std::current_exception());
    return;
  }
  callback();
}

}  // namespace wirekit
