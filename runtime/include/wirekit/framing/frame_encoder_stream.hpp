// SPDX-License-Identifier: Apache-2.0
#pragma once
// FrameEncoderStream: a Transform that frames each message written to it. The
// writable side is in object mode, one chunk a message body; the readable side
// gives bytes: for each body its header, then the body itself (the same Buffer,
// not a copy), as two chunks that a socket's writev sends together.
//
//   auto framer = std::make_shared<FrameEncoderStream>(io);   // SOFH by default
//   framer->pipe(socket);
//   framer->write(body);
//
// A body whose length the header cannot hold destroys the stream with an
// EncodeError. Messages encoded in place behind a header (LengthFieldPrepender::
// reserve) are already framed: write those to the byte stream directly.

#include "wirekit/bytes/buffer.hpp"
#include "wirekit/export.hpp"
#include "wirekit/framing/frame_decoder_stream.hpp"
#include "wirekit/framing/length_field_prepender.hpp"
#include "wirekit/stream/transform.hpp"

namespace wirekit {

class WIREKIT_EXPORT FrameEncoderStream : public Transform {
 public:
  explicit FrameEncoderStream(
      asio::io_context& context,
      const LengthFieldEncoderOptions& options = LengthFieldEncoderOptions::sofh(),
      FrameStreamOptions streamOptions = {});

  [[nodiscard]] const LengthFieldPrepender& prepender() const noexcept { return prepender_; }

 protected:
  void _transform(Buffer body, TransformCallback callback) override;

 private:
  LengthFieldPrepender prepender_;
};

}  // namespace wirekit
