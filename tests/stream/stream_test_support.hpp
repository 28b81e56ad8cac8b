#pragma once
// What the stream tests share: running an io_context to quiescence with a
// bound, and Buffers from text.

#include <chrono>
#include <cstddef>
#include <exception>
#include <string>
#include <string_view>

#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <catch2/catch.hpp>

#include "wirekit/bytes/buffer.hpp"
#include "wirekit/error.hpp"
#include "wirekit/stream/stream.hpp"

namespace wirekit::test {

// Runs the handlers posted to context until none is left (a test's streams
// have settled). A test that keeps posting, or waits for a handler more than
// five seconds, fails here instead of hanging.
inline void settle(asio::io_context& context, std::size_t limit = 1'000'000) {
  context.restart();
  std::size_t handlers = 0;
  while (handlers < limit && context.run_one_for(std::chrono::seconds(5)) > 0)
    ++handlers;
  REQUIRE(handlers < limit);
}

// Node's setImmediate / process.nextTick in a test: run function later.
template <class F>
void later(asio::io_context& context, F&& function) {
  asio::post(context, std::forward<F>(function));
}

inline Buffer bytes(std::string_view text) {
  return Buffer::from(text);
}
inline std::string text(const Buffer& buffer) {
  return buffer.toString();
}

// A StreamError's code, "" for anything else (including no error).
inline std::string code(const std::exception_ptr& error) {
  return errorCode(error);
}

// An error for a test to pass around, with a message to recognise it by.
inline std::exception_ptr failure(const std::string& message) {
  return std::make_exception_ptr(Error(message));
}

}  // namespace wirekit::test
