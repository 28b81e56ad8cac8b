// SPDX-License-Identifier: Apache-2.0
#pragma once
// PassThrough: Node's stream.PassThrough, a Transform that outputs its input
// unchanged (a queue with backpressure between a writer and a reader).

#include "wirekit/export.hpp"
#include "wirekit/stream/transform.hpp"

namespace wirekit {

class WIREKIT_EXPORT PassThrough : public Transform {
 public:
  explicit PassThrough(asio::io_context& context, TransformOptions options = {});

 protected:
  void _transform(Buffer chunk, TransformCallback callback) override;
};

}  // namespace wirekit
