// SPDX-License-Identifier: Apache-2.0
#include "wirekit/stream/pass_through.hpp"

#include <utility>

namespace wirekit {

PassThrough::PassThrough(asio::io_context& context, TransformOptions options)
    : Transform(context, std::move(options)) {}

void PassThrough::_transform(Buffer chunk, TransformCallback callback) {
  callback(std::move(chunk));
}

}  // namespace wirekit
