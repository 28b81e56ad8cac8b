// SPDX-License-Identifier: Apache-2.0
#pragma once
// asio::io_context, declared only: the stream and message headers name the
// event loop by reference, and <asio/io_context.hpp> costs a translation unit
// more than the rest of them together. Code that runs or posts to a context
// includes Asio itself.

namespace asio {
class io_context;
}  // namespace asio
