// SPDX-License-Identifier: Apache-2.0
// readable.pipe(): backpressure, errors, unpipe and lifetime.

#include <memory>
#include <string>
#include <vector>

#include <asio/steady_timer.hpp>

#include "stream_test_support.hpp"
#include "wirekit/stream/pass_through.hpp"
#include "wirekit/stream/readable.hpp"
#include "wirekit/stream/writable.hpp"

namespace wirekit {
namespace {

using test::bytes;
using test::later;
using test::manualSource;
using test::settle;
using test::SlowSink;
using test::text;

// Node: test/parallel/test-stream-backpressure.js
TEST_CASE("test-stream-backpressure") {
  asio::io_context io;
  int pushes = 0;
  int reads = 0;
  int writes = 0;
  const std::size_t total = 65500 + 40 * 1024;
  auto source =
      std::make_shared<Readable>(io, ReadableOptions{.read = [&](Readable& self, std::size_t) {
                                   ++reads;
                                   if (pushes++ == 10) {
                                     self.push(std::nullopt);
                                     return;
                                   }
                                   // At most two full runs of _read before stopping: Readable is
                                   // greedy to keep its buffer full.
                                   CHECK(self.readableLength() <= total);
                                   self.push(Buffer::alloc(65500));
                                   for (int i = 0; i < 40; ++i)
                                     self.push(Buffer::alloc(1024));
                                   // Over highWaterMark now, but a new call to _read is scheduled
                                   // anyway.
                                 }});
  auto sink = std::make_shared<Writable>(
      io, WritableOptions{.write = [&](Writable&, Buffer, WriteCallback done) {
        ++writes;
        later(io, [done] { done(); });
      }});
  source->pipe(sink);
  settle(io);
  CHECK(reads == 11);
  CHECK(writes == 41 * 10);
  CHECK(sink->writableFinished());
}

constexpr Event<> chunkReceived{"chunk-received"};

// Node: test/parallel/test-stream-pipe-await-drain.js. Node also checks the
// internal awaitDrainWriters count; here what it implies is checked: the
// second chunk reaches no writer while a slow one has not drained.
TEST_CASE("test-stream-pipe-await-drain") {
  asio::io_context io;
  auto reader = manualSource(io);
  // Larger than the default highWaterMark: write() returns false.
  const Buffer buffer = Buffer::allocUnsafe(560000);
  int writes1 = 0;
  int writes2 = 0;
  int writes3 = 0;
  auto writer1 = std::make_shared<Writable>(
      io, WritableOptions{.write = [&](Writable& self, Buffer, WriteCallback done) {
        ++writes1;
        self.emit(chunkReceived);
        later(io, [done] { done(); });
      }});
  // Slow consumers: they never call back.
  auto writer2 = std::make_shared<Writable>(
      io, WritableOptions{.write = [&](Writable&, Buffer, WriteCallback) { ++writes2; }});
  auto writer3 = std::make_shared<Writable>(
      io, WritableOptions{.write = [&](Writable&, Buffer, WriteCallback) { ++writes3; }});
  writer1->once(chunkReceived, [&] {
    // This one should not get through to writer1: writer2 is not done.
    later(io, [&] { reader->push(buffer); });
  });

  reader->pipe(writer1);
  reader->pipe(writer2);
  reader->pipe(writer3);
  reader->push(buffer);
  settle(io);
  CHECK(writes1 == 1);
  CHECK(writes2 == 1);
  CHECK(writes3 == 1);
  CHECK(reader->isPaused());
  CHECK(reader->readableLength() == buffer.length());
  // A pipe that never ends keeps its streams until one is destroyed.
  reader->destroy();
  settle(io);
}

// Node: test/parallel/test-stream-pipe-error-handling.js, first case: an error
// listener on the source catches its error.
TEST_CASE("test-stream-pipe-error-handling: an error listener catches") {
  asio::io_context io;
  auto source = manualSource(io);
  auto dest = std::make_shared<PassThrough>(io);
  source->pipe(dest);
  std::exception_ptr gotErr;
  source->on(events::error, [&](const std::exception_ptr& error) { gotErr = error; });
  const auto err = test::failure("This stream turned into bacon.");
  source->emit(events::error, err);
  CHECK(gotErr == err);
  source->destroy();
  settle(io);
}

// Node: test/parallel/test-stream-pipe-error-handling.js, second case.
TEST_CASE("test-stream-pipe-error-handling: an error without a listener throws") {
  asio::io_context io;
  auto source = manualSource(io);
  auto dest = std::make_shared<PassThrough>(io);
  source->pipe(dest);
  const auto err = test::failure("This stream turned into bacon.");
  std::exception_ptr gotErr;
  try {
    source->emit(events::error, err);
  } catch (...) {
    gotErr = std::current_exception();
  }
  CHECK(gotErr == err);
  source->destroy();
  settle(io);
}

// Node: test/parallel/test-stream-pipe-error-handling.js, third case: with its
// own error listener removed, a destination's error throws.
TEST_CASE("test-stream-pipe-error-handling: a removed error listener rethrows") {
  asio::io_context io;
  bool removed = false;
  bool checked = false;
  std::shared_ptr<Writable> dest;
  asio::steady_timer timer(io);
  auto source = std::make_shared<Readable>(
      io, ReadableOptions{.autoDestroy = false, .read = [&](Readable&, std::size_t) {
                            timer.expires_after(std::chrono::milliseconds(1));
                            timer.async_wait([&](const std::error_code&) {
                              CHECK(removed);
                              CHECK_THROWS_WITH(dest->emit(events::error, test::failure("fail")),
                                                "fail");
                              checked = true;
                            });
                          }});
  dest = std::make_shared<Writable>(io, WritableOptions{.autoDestroy = false});
  const ListenerId myOnError =
      dest->on(events::error, [](const std::exception_ptr&) { FAIL("this should not happen"); });
  source->pipe(dest);
  dest->off(events::error, myOnError);
  removed = true;
  settle(io);
  CHECK(checked);
}

// Node: test/parallel/test-stream-pipe-error-handling.js, fourth case: removing
// some other listener changes nothing; the destination's own listener is called.
TEST_CASE("test-stream-pipe-error-handling: the destination's listener is called once") {
  asio::io_context io;
  bool removed = false;
  int caught = 0;
  std::shared_ptr<Writable> dest;
  asio::steady_timer timer(io);
  auto source = std::make_shared<Readable>(io, ReadableOptions{.read = [&](Readable&, std::size_t) {
                                             timer.expires_after(std::chrono::milliseconds(1));
                                             timer.async_wait([&](const std::error_code&) {
                                               CHECK(removed);
                                               dest->emit(events::error, test::failure("fail"));
                                             });
                                           }});
  dest = std::make_shared<Writable>(
      io, WritableOptions{.write = [](Writable&, Buffer, WriteCallback) {}});
  dest->on(events::error, [&] { ++caught; });
  source->pipe(dest);
  CHECK_FALSE(dest->off(events::error, ListenerId{999999}));
  removed = true;
  settle(io);
  CHECK(caught == 1);
}

// Node: test/parallel/test-stream-pipe-error-handling.js, fifth case.
TEST_CASE("test-stream-pipe-error-handling: a destroyed destination errors once") {
  asio::io_context io;
  const auto err = test::failure("this should be handled");
  auto destination = std::make_shared<PassThrough>(io);
  int errors = 0;
  destination->once(events::error, [&](const std::exception_ptr& error) {
    ++errors;
    CHECK(error == err);
  });
  auto stream = manualSource(io);
  stream->pipe(destination);
  destination->destroy(err);
  settle(io);
  CHECK(errors == 1);
}

TEST_CASE("pipe: the source is paused while the destination needs 'drain'") {
  asio::io_context io;
  auto source = manualSource(io);
  SlowSink sink(io, WritableOptions{.highWaterMark = 4});
  source->pipe(sink.stream);
  settle(io);
  source->push(bytes("abcd"));
  settle(io);
  CHECK(sink.chunks == std::vector<std::string>{"abcd"});
  CHECK(sink.stream->writableNeedDrain());
  CHECK(source->isPaused());
  CHECK(source->readableFlowing() == false);

  source->push(bytes("efgh"));
  settle(io);
  // Held in the source while the destination is full.
  CHECK(sink.chunks.size() == 1);
  CHECK(source->readableLength() == 4);

  sink.completeAll();
  settle(io);
  CHECK(sink.chunks == std::vector<std::string>{"abcd", "efgh"});
  sink.completeAll();
  settle(io);
  CHECK(source->readableFlowing() == true);
  CHECK(source->readableLength() == 0);
  source->destroy();
  settle(io);
}

TEST_CASE("pipe: the end of the source ends the destination, unless end is false") {
  asio::io_context io;
  for (const bool end : {true, false}) {
    INFO("end=" << end);
    auto source = Readable::from(io, {bytes("a"), bytes("b")});
    SlowSink sink(io);
    sink.stream->on(events::pipe, [&](Readable& from) { CHECK(&from == source.get()); });
    int unpipes = 0;
    sink.stream->on(events::unpipe, [&] { ++unpipes; });
    source->pipe(sink.stream, PipeOptions{.end = end});
    for (int i = 0; i < 4; ++i) {
      settle(io);
      sink.completeAll();
    }
    settle(io);
    CHECK(sink.chunks == std::vector<std::string>{"a", "b"});
    CHECK(sink.stream->writableEnded() == end);
    CHECK(sink.stream->writableFinished() == end);
    CHECK(unpipes == 1);
  }
}

TEST_CASE("pipe: an error on the source does not end the destination") {
  asio::io_context io;
  auto source = manualSource(io);
  auto sink = std::make_shared<PassThrough>(io);
  source->on(events::error, [] {});
  source->pipe(sink);
  source->push(bytes("before"));
  settle(io);
  source->destroy(test::failure("source failed"));
  settle(io);
  CHECK_FALSE(sink->writableEnded());
  CHECK(sink->writable());
  CHECK_FALSE(sink->destroyed());
  std::optional<Buffer> written = sink->read();
  REQUIRE(written);
  CHECK(text(*written) == "before");
}

TEST_CASE("pipe: unpipe(destination) stops the flow to it") {
  asio::io_context io;
  auto source = manualSource(io);
  SlowSink first(io);
  SlowSink second(io);
  source->pipe(first.stream);
  source->pipe(second.stream);
  source->push(bytes("both"));
  settle(io);
  first.completeAll();
  second.completeAll();
  int unpiped = 0;
  first.stream->on(events::unpipe, [&](Readable& from) {
    CHECK(&from == source.get());
    ++unpiped;
  });
  source->unpipe(first.stream);
  CHECK(unpiped == 1);
  source->push(bytes("second only"));
  settle(io);
  CHECK(first.chunks == std::vector<std::string>{"both"});
  CHECK(second.chunks == std::vector<std::string>{"both", "second only"});

  source->unpipe();
  CHECK(source->isPaused());
  source->push(bytes("nobody"));
  settle(io);
  CHECK(second.chunks.size() == 2);
  CHECK(source->readableLength() == 6);
}

TEST_CASE("pipe: a destination that errors or closes is unpiped") {
  asio::io_context io;
  auto source = manualSource(io);
  auto failing = std::make_shared<Writable>(
      io, WritableOptions{.write = [&io](Writable&, Buffer, WriteCallback done) {
        later(io, [done] { done(test::failure("write failed")); });
      }});
  std::exception_ptr error;
  failing->on(events::error, [&](const std::exception_ptr& e) { error = e; });
  SlowSink healthy(io);
  source->pipe(failing);
  source->pipe(healthy.stream);
  source->push(bytes("one"));
  settle(io);
  CHECK(errorMessage(error) == "write failed");
  healthy.completeAll();
  source->push(bytes("two"));
  settle(io);
  CHECK(healthy.chunks == std::vector<std::string>{"one", "two"});
  CHECK(failing->listenerCount(events::drain) == 0);

  healthy.stream->destroy();
  settle(io);
  source->push(bytes("three"));
  settle(io);
  CHECK(healthy.chunks.size() == 2);
  CHECK(source->isPaused());
}

TEST_CASE("pipe: from a source that has already ended") {
  asio::io_context io;
  auto source = manualSource(io, ReadableOptions{.autoDestroy = false});
  source->push(std::nullopt);
  source->resume();
  settle(io);
  REQUIRE(source->readableEnded());
  auto sink = std::make_shared<PassThrough>(io);
  source->pipe(sink);
  settle(io);
  CHECK(sink->writableEnded());
}

TEST_CASE("pipe: a destination that needs 'drain' already starts the source paused") {
  asio::io_context io;
  SlowSink sink(io, WritableOptions{.highWaterMark = 1});
  sink.stream->write(bytes("full"));
  REQUIRE(sink.stream->writableNeedDrain());
  auto source = manualSource(io);
  source->push(bytes("waits"));
  source->pipe(sink.stream);
  settle(io);
  CHECK(sink.chunks == std::vector<std::string>{"full"});
  sink.completeAll();
  settle(io);
  CHECK(sink.chunks == std::vector<std::string>{"full", "waits"});
  source->destroy();
  settle(io);
}

TEST_CASE("pipe: chaining returns the destination") {
  asio::io_context io;
  auto source = Readable::from(io, {bytes("x"), bytes("y")});
  auto middle = std::make_shared<PassThrough>(io, TransformOptions{.objectMode = true});
  SlowSink sink(io, WritableOptions{.objectMode = true});
  std::shared_ptr<PassThrough> returned = source->pipe(middle);
  CHECK(returned == middle);
  middle->pipe(sink.stream);
  for (int i = 0; i < 4; ++i) {
    settle(io);
    sink.completeAll();
  }
  CHECK(sink.chunks == std::vector<std::string>{"x", "y"});
}

TEST_CASE("pipe: keeps both streams alive until done, then lets them go") {
  asio::io_context io;
  std::weak_ptr<Readable> weakSource;
  std::weak_ptr<Writable> weakSink;
  std::string written;
  bool finished = false;
  {
    auto source = Readable::from(io, {bytes("kept "), bytes("alive")});
    auto sink = std::make_shared<Writable>(
        io, WritableOptions{.objectMode = true,
                            .write = [&io, &written](Writable&, Buffer chunk, WriteCallback done) {
                              written += text(chunk);
                              later(io, [done] { done(); });
                            }});
    sink->on(events::finish, [&] { finished = true; });
    source->pipe(sink);
    weakSource = source;
    weakSink = sink;
  }
  settle(io);
  CHECK(written == "kept alive");
  CHECK(finished);
  CHECK(weakSource.expired());
  CHECK(weakSink.expired());
}

TEST_CASE("pipe: a destroyed source releases the pipe") {
  asio::io_context io;
  std::weak_ptr<Readable> weakSource;
  std::weak_ptr<Writable> weakSink;
  {
    auto source = manualSource(io);
    SlowSink sink(io);
    source->pipe(sink.stream);
    source->push(bytes("x"));
    weakSource = source;
    weakSink = sink.stream;
    settle(io);
    source->destroy();
    settle(io);
    sink.pending.clear();
  }
  settle(io);
  CHECK(weakSource.expired());
  CHECK(weakSink.expired());
}

}  // namespace
}  // namespace wirekit
