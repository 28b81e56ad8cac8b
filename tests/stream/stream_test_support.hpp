// SPDX-License-Identifier: Apache-2.0
#pragma once
// What the stream tests share: running an io_context to quiescence with a
// bound, Buffers from text, and a few ready-made sources and sinks.

#include <chrono>
#include <cstddef>
#include <exception>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <catch2/catch.hpp>

#include "wirekit/bytes/buffer.hpp"
#include "wirekit/error.hpp"
#include "wirekit/stream/readable.hpp"
#include "wirekit/stream/stream.hpp"
#include "wirekit/stream/writable.hpp"

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

// What a completion callback got: how many calls (Node's common.mustCall
// counts them) and the last error.
struct Outcome {
  int count = 0;
  std::exception_ptr error;

  Callback record() {
    return [this](std::exception_ptr e) {
      ++count;
      error = std::move(e);
    };
  }
};

// A Buffer with its own ArrayBuffer (not carved from the shared pool), so that
// a pointer into it identifies it.
inline Buffer ownBytes(std::string_view value) {
  Buffer buffer = Buffer::allocUnsafeSlow(value.size());
  buffer.write(value);
  return buffer;
}

inline void readNothing(Readable&, std::size_t) {}
inline void writeNow(Writable&, Buffer, const WriteCallback& done) {
  done();
}

// A Readable whose _read does nothing: the test pushes.
inline std::shared_ptr<Readable> manualSource(asio::io_context& io, ReadableOptions options = {}) {
  options.read = readNothing;
  return std::make_shared<Readable>(io, std::move(options));
}

// A Writable that completes every write at once.
inline std::shared_ptr<Writable> discard(asio::io_context& io) {
  return std::make_shared<Writable>(io, WritableOptions{.write = writeNow});
}

// A Writable that records its chunks and completes each write synchronously.
struct Recorder {
  std::vector<std::string> chunks;
  std::shared_ptr<Writable> stream;

  explicit Recorder(asio::io_context& io, WritableOptions options = {}) {
    options.write = [this](Writable&, Buffer chunk, const WriteCallback& done) {
      chunks.push_back(text(chunk));
      done();
    };
    stream = std::make_shared<Writable>(io, std::move(options));
  }
};

// A Writable whose writes complete only when the test says so.
struct SlowSink {
  std::vector<std::string> chunks;
  std::vector<WriteCallback> pending;
  std::shared_ptr<Writable> stream;

  explicit SlowSink(asio::io_context& io, WritableOptions options = {}) {
    options.write = [this](Writable&, Buffer chunk, const WriteCallback& done) {
      chunks.push_back(text(chunk));
      pending.push_back(done);
    };
    stream = std::make_shared<Writable>(io, std::move(options));
  }

  void completeOne(std::exception_ptr error = nullptr) {
    REQUIRE_FALSE(pending.empty());
    WriteCallback done = std::move(pending.front());
    pending.erase(pending.begin());
    done(std::move(error));
  }

  void completeAll() {
    while (!pending.empty())
      completeOne();
  }
};

}  // namespace wirekit::test
