// SPDX-License-Identifier: Apache-2.0
#include "wirekit/framing/frame_encoder_stream.hpp"

#include <exception>
#include <utility>

#include "wirekit/error.hpp"

namespace wirekit {

FrameEncoderStream::FrameEncoderStream(asio::io_context& context,
                                       const LengthFieldEncoderOptions& options,
                                       FrameStreamOptions streamOptions)
    : Transform(context,
                TransformOptions{.readableHighWaterMark = streamOptions.readableHighWaterMark,
                                 .writableHighWaterMark = streamOptions.writableHighWaterMark,
                                 .writableObjectMode = true}),
      prepender_(options) {}

void FrameEncoderStream::_transform(Buffer body, TransformCallback callback) {
  Buffer header;
  try {
    header = prepender_.encode(body);
  } catch (const EncodeError&) {
    callback(std::current_exception());
    return;
  }
  push(std::move(header));
  callback(std::move(body));
}

}  // namespace wirekit
