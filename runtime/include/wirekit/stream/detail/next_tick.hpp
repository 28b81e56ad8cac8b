// SPDX-License-Identifier: Apache-2.0
#pragma once
// Stream::nextTick's definition, kept out of stream.hpp so that users of
// streams do not compile Asio: the stream implementations (runtime/src) and
// streams written outside the runtime include it.

#include <utility>

#include <asio/io_context.hpp>
#include <asio/post.hpp>

#include "wirekit/stream/stream.hpp"

namespace wirekit {

template <class F>
void Stream::nextTick(F&& function) {
  asio::post(*context_,
             [keep = keepAlive(), function = std::forward<F>(function)]() mutable { function(); });
}

}  // namespace wirekit
