// SPDX-License-Identifier: Apache-2.0
#include "wirekit/stream/writable.hpp"

#include <memory>
#include <string>
#include <vector>

#include "stream_test_support.hpp"
#include "wirekit/error.hpp"

namespace wirekit {
namespace {

using test::bytes;
using test::later;
using test::Recorder;
using test::settle;
using test::SlowSink;
using test::text;

std::vector<std::uint8_t> octets(const Buffer& buffer) {
  return {buffer.begin(), buffer.end()};
}

// Node: test/parallel/test-stream-write-drain.js — don't emit 'drain' if ended.
TEST_CASE("test-stream-write-drain") {
  asio::io_context io;
  auto stream = std::make_shared<Writable>(
      io,
      WritableOptions{.highWaterMark = 1, .write = [&io](Writable&, Buffer, WriteCallback done) {
                        later(io, [done] { done(); });
                      }});
  int drains = 0;
  stream->on(events::drain, [&] { ++drains; });
  CHECK_FALSE(stream->write(bytes("asd")));
  CHECK(stream->writableNeedDrain());
  stream->end();
  CHECK_FALSE(stream->writableNeedDrain());
  settle(io);
  CHECK(drains == 0);
  CHECK(stream->writableFinished());
}

// Node: test/parallel/test-stream-writev.js. Chunks are Buffers here, so the
// cases are Node's decode=true ones, for each uncork/multi combination.
TEST_CASE("test-stream-writev") {
  for (const bool uncork : {false, true}) {
    for (const bool multi : {false, true}) {
      INFO("uncork=" << uncork << " multi=" << multi);
      asio::io_context io;
      int counter = 0;
      int expectCount = 0;
      auto count = [&] {
        const int expect = ++expectCount;
        return [&counter, expect](std::exception_ptr error) {
          CHECK_FALSE(error);
          ++counter;
          CHECK(counter == expect);
        };
      };

      int writes = 0;
      std::vector<std::vector<std::uint8_t>> actualChunks;
      auto stream = std::make_shared<Writable>(
          io,
          WritableOptions{.write = [&](Writable&, Buffer, WriteCallback) { ++writes; },
                          .writev =
                              [&](Writable&, std::span<const Buffer> chunks, WriteCallback done) {
                                actualChunks.clear();
                                for (const Buffer& chunk : chunks)
                                  actualChunks.push_back(octets(chunk));
                                done();
                              }});

      stream->cork();
      stream->write(Buffer::from("hello, ", Encoding::ascii), count());
      stream->write(Buffer::from("world", Encoding::utf8), count());
      if (multi) stream->cork();
      stream->write(Buffer::from("!"), count());
      stream->write(Buffer::from("\nand then...", Encoding::latin1), count());
      if (multi) stream->uncork();
      stream->write(Buffer::from("facebea7deadbeefdecafbad", Encoding::hex), count());
      if (uncork) stream->uncork();
      stream->end(count());

      bool finished = false;
      stream->on(events::finish, [&] {
        // 'finish' comes after all the write callbacks.
        count()(nullptr);
        finished = true;
      });
      settle(io);
      CHECK(finished);
      CHECK(counter == 7);
      CHECK(writes == 0);
      const std::vector<std::vector<std::uint8_t>> expectChunks = {
          {104, 101, 108, 108, 111, 44, 32},
          {119, 111, 114, 108, 100},
          {33},
          {10, 97, 110, 100, 32, 116, 104, 101, 110, 46, 46, 46},
          {250, 206, 190, 167, 222, 173, 190, 239, 222, 202, 251, 173},
      };
      CHECK(actualChunks == expectChunks);
    }
  }
}

// Node: test/parallel/test-stream-writev.js — a lone write goes to _writev.
TEST_CASE("test-stream-writev: _writev alone") {
  asio::io_context io;
  int writevs = 0;
  int callbacks = 0;
  auto stream = std::make_shared<Writable>(
      io,
      WritableOptions{.writev = [&](Writable&, std::span<const Buffer> chunks, WriteCallback done) {
        ++writevs;
        CHECK(chunks.size() == 1);
        done();
      }});
  stream->write(bytes("asd"), [&](std::exception_ptr error) {
    CHECK_FALSE(error);
    ++callbacks;
  });
  settle(io);
  CHECK(writevs == 1);
  CHECK(callbacks == 1);
}

// Node: test/parallel/test-stream3-cork-uncork.js — corked chunks are written
// on uncork(), in the same tick.
TEST_CASE("test-stream3-cork-uncork") {
  asio::io_context io;
  Recorder recorder(io);
  auto& stream = recorder.stream;
  bool seenEnd = false;
  stream->on(events::finish, [&] { seenEnd = true; });

  // The initial write is immediate.
  stream->write(bytes("stuff"));
  CHECK(recorder.chunks.size() == 1);
  recorder.chunks.clear();

  stream->cork();
  const std::vector<std::string> expectedChunks = {"please", "buffer", "me", "kindly"};
  bool done = false;
  std::function<void(std::size_t)> writeChunks = [&](std::size_t index) {
    if (index == expectedChunks.size()) {
      CHECK(recorder.chunks.empty());
      stream->uncork();
      // Buffered chunks are written in the current tick.
      CHECK(recorder.chunks == expectedChunks);
      later(io, [&] {
        CHECK_FALSE(seenEnd);
        done = true;
      });
      return;
    }
    later(io, [&, index] {
      CHECK(stream->write(bytes(expectedChunks[index])));
      writeChunks(index + 1);
    });
  };
  writeChunks(0);
  settle(io);
  CHECK(done);
  CHECK_FALSE(seenEnd);
}

// Node: test/parallel/test-stream3-cork-end.js — end() writes the corked chunks
// at once and finishes on a later tick.
TEST_CASE("test-stream3-cork-end") {
  asio::io_context io;
  bool seenEnd = false;
  std::vector<std::string> seen;
  auto stream = std::make_shared<Writable>(
      io, WritableOptions{.write = [&](Writable&, Buffer chunk, WriteCallback done) {
        CHECK_FALSE(seenEnd);
        seen.push_back(text(chunk));
        done();
      }});
  stream->on(events::finish, [&] { seenEnd = true; });
  stream->write(bytes("stuff"));
  CHECK(seen.size() == 1);
  seen.clear();
  stream->cork();

  const std::vector<std::string> expectedChunks = {"please", "buffer", "me", "kindly"};
  bool done = false;
  std::function<void(std::size_t)> writeChunks = [&](std::size_t index) {
    if (index == expectedChunks.size()) {
      CHECK(seen.empty());
      stream->end();
      CHECK_FALSE(seenEnd);
      CHECK(seen == expectedChunks);
      later(io, [&] {
        CHECK(seenEnd);
        done = true;
      });
      return;
    }
    later(io, [&, index] {
      CHECK(stream->write(bytes(expectedChunks[index])));
      writeChunks(index + 1);
    });
  };
  writeChunks(0);
  settle(io);
  CHECK(done);
}

TEST_CASE("Writable: write() returns false at highWaterMark, and 'drain' comes once") {
  asio::io_context io;
  SlowSink sink(io, WritableOptions{.highWaterMark = 3});
  auto& stream = sink.stream;
  int drains = 0;
  stream->on(events::drain, [&] { ++drains; });
  CHECK(stream->write(bytes("ab")));
  CHECK_FALSE(stream->writableNeedDrain());
  CHECK_FALSE(stream->write(bytes("cd")));
  CHECK(stream->writableNeedDrain());
  CHECK_FALSE(stream->write(bytes("e")));
  CHECK(stream->writableLength() == 5);
  // The first write is in progress, the others queued.
  CHECK(sink.chunks == std::vector<std::string>{"ab"});

  sink.completeOne();
  CHECK(sink.chunks == std::vector<std::string>{"ab", "cd"});
  CHECK(stream->writableLength() == 3);
  sink.completeOne();
  sink.completeOne();
  CHECK(stream->writableLength() == 0);
  CHECK(drains == 1);
  CHECK_FALSE(stream->writableNeedDrain());

  CHECK(stream->write(bytes("f")));
  sink.completeOne();
  settle(io);
  CHECK(drains == 1);
}

TEST_CASE("Writable: a write that completes synchronously leaves nothing to drain") {
  asio::io_context io;
  Recorder recorder(io, WritableOptions{.highWaterMark = 2});
  int drains = 0;
  recorder.stream->on(events::drain, [&] { ++drains; });
  // Written (and done) before write() returns: nothing is buffered, as in Node.
  CHECK(recorder.stream->write(bytes("abc")));
  settle(io);
  CHECK(drains == 0);
}

TEST_CASE("Writable: 'drain' after synchronous writes waits for the next tick") {
  asio::io_context io;
  Recorder recorder(io, WritableOptions{.highWaterMark = 2});
  int drains = 0;
  recorder.stream->on(events::drain, [&] { ++drains; });
  recorder.stream->cork();
  CHECK_FALSE(recorder.stream->write(bytes("abc")));
  recorder.stream->uncork();
  CHECK(recorder.chunks == std::vector<std::string>{"abc"});
  CHECK(drains == 0);
  settle(io);
  CHECK(drains == 1);
}

TEST_CASE("Writable: in object mode highWaterMark counts chunks") {
  asio::io_context io;
  SlowSink sink(io, WritableOptions{.highWaterMark = 2, .objectMode = true});
  CHECK(sink.stream->writableObjectMode());
  CHECK(sink.stream->write(bytes(std::string(100, 'x'))));
  CHECK_FALSE(sink.stream->write(bytes("y")));
  CHECK(sink.stream->writableLength() == 2);
}

TEST_CASE("Writable: write callbacks come before 'finish', end(chunk, callback)") {
  asio::io_context io;
  SlowSink sink(io);
  auto& stream = sink.stream;
  std::vector<std::string> events;
  stream->write(bytes("one"), [&](std::exception_ptr error) {
    CHECK_FALSE(error);
    events.push_back("write one");
  });
  stream->end(bytes("two"), [&](std::exception_ptr error) {
    CHECK_FALSE(error);
    events.push_back("end callback");
  });
  stream->on(events::prefinish, [&] { events.push_back("prefinish"); });
  stream->on(events::finish, [&] { events.push_back("finish"); });
  stream->on(events::close, [&] { events.push_back("close"); });
  CHECK(stream->writableEnded());
  CHECK_FALSE(stream->writable());
  sink.completeOne();
  sink.completeOne();
  settle(io);
  CHECK(sink.chunks == std::vector<std::string>{"one", "two"});
  CHECK(events ==
        std::vector<std::string>{"write one", "prefinish", "end callback", "finish", "close"});
  CHECK(stream->writableFinished());
  CHECK(stream->destroyed());
}

TEST_CASE("Writable: _final runs after the last write, before 'finish'") {
  asio::io_context io;
  std::vector<std::string> events;
  Callback finalDone;
  auto stream = std::make_shared<Writable>(
      io, WritableOptions{.write =
                              [&](Writable&, Buffer chunk, WriteCallback done) {
                                events.push_back("write " + text(chunk));
                                done();
                              },
                          .final =
                              [&](Writable&, Callback done) {
                                events.push_back("final");
                                finalDone = std::move(done);
                              }});
  stream->on(events::finish, [&] { events.push_back("finish"); });
  stream->end(bytes("last"));
  settle(io);
  CHECK(events == std::vector<std::string>{"write last", "final"});
  CHECK_FALSE(stream->writableFinished());
  finalDone(nullptr);
  settle(io);
  CHECK(events == std::vector<std::string>{"write last", "final", "finish"});
}

TEST_CASE("Writable: a _final error is the stream's error, and no 'finish'") {
  asio::io_context io;
  auto stream = std::make_shared<Writable>(
      io, WritableOptions{
              .write = [](Writable&, Buffer, WriteCallback done) { done(); },
              .final = [](Writable&, Callback done) { done(test::failure("final failed")); }});
  std::vector<std::string> events;
  stream->on(events::finish, [&] { events.push_back("finish"); });
  stream->on(events::error,
             [&](const std::exception_ptr& e) { events.push_back("error " + errorMessage(e)); });
  stream->on(events::close, [&] { events.push_back("close"); });
  std::exception_ptr endError;
  stream->end([&](std::exception_ptr error) { endError = error; });
  settle(io);
  CHECK(events == std::vector<std::string>{"error final failed", "close"});
  CHECK(errorMessage(endError) == "final failed");
  CHECK(stream->writableAborted());
}

TEST_CASE("Writable: a failed write fails its callback, the queued ones, then the stream") {
  asio::io_context io;
  SlowSink sink(io);
  auto& stream = sink.stream;
  std::vector<std::string> events;
  auto record = [&](const std::string& name) {
    return [&events, name](std::exception_ptr error) {
      events.push_back(name + " " + errorMessage(error));
    };
  };
  stream->write(bytes("a"), record("a"));
  stream->write(bytes("b"), record("b"));
  stream->on(events::error,
             [&](const std::exception_ptr& e) { events.push_back("error " + errorMessage(e)); });
  stream->on(events::close, [&] { events.push_back("close"); });
  stream->on(events::finish, [&] { events.push_back("finish"); });
  sink.completeOne(test::failure("disk full"));
  settle(io);
  CHECK(events ==
        std::vector<std::string>{"a disk full", "b disk full", "error disk full", "close"});
  CHECK(sink.chunks == std::vector<std::string>{"a"});
  CHECK(stream->writableLength() == 0);
  CHECK_FALSE(stream->writable());
}

TEST_CASE("Writable: an error from a synchronous write reaches its callback on the next tick") {
  asio::io_context io;
  auto stream = std::make_shared<Writable>(
      io, WritableOptions{.write = [](Writable&, Buffer, WriteCallback done) {
        done(test::failure("refused"));
      }});
  std::exception_ptr callbackError;
  std::exception_ptr eventError;
  stream->on(events::error, [&](const std::exception_ptr& e) { eventError = e; });
  CHECK_FALSE(stream->write(bytes("x"), [&](std::exception_ptr error) { callbackError = error; }));
  CHECK_FALSE(callbackError);
  settle(io);
  CHECK(errorMessage(callbackError) == "refused");
  CHECK(eventError == callbackError);
}

TEST_CASE("Writable: an exception thrown by _write fails that write") {
  asio::io_context io;
  auto stream =
      std::make_shared<Writable>(io, WritableOptions{.write = [](Writable&, Buffer, WriteCallback) {
                                   throw EncodeError("value too long for its field");
                                 }});
  std::exception_ptr callbackError;
  std::exception_ptr eventError;
  stream->on(events::error, [&](const std::exception_ptr& e) { eventError = e; });
  stream->write(bytes("x"), [&](std::exception_ptr error) { callbackError = error; });
  settle(io);
  REQUIRE(callbackError);
  CHECK_THROWS_AS(std::rethrow_exception(callbackError), EncodeError);
  CHECK(eventError == callbackError);
  CHECK(stream->destroyed());
}

TEST_CASE("Writable: calling a write callback twice is ERR_MULTIPLE_CALLBACK") {
  asio::io_context io;
  auto stream = std::make_shared<Writable>(
      io, WritableOptions{.write = [](Writable&, Buffer, WriteCallback done) {
        done();
        done();
      }});
  std::exception_ptr error;
  stream->on(events::error, [&](const std::exception_ptr& e) { error = e; });
  stream->write(bytes("x"));
  settle(io);
  CHECK(test::code(error) == "ERR_MULTIPLE_CALLBACK");
}

TEST_CASE("Writable: writing after end() is ERR_STREAM_WRITE_AFTER_END") {
  asio::io_context io;
  Recorder recorder(io);
  auto& stream = recorder.stream;
  std::vector<std::string> events;
  stream->on(events::error,
             [&](const std::exception_ptr& e) { events.push_back("error " + test::code(e)); });
  stream->on(events::close, [&] { events.push_back("close"); });
  stream->end();
  CHECK_FALSE(stream->write(bytes("late"), [&](std::exception_ptr error) {
    events.push_back("callback " + test::code(error));
  }));
  settle(io);
  CHECK(events == std::vector<std::string>{"callback ERR_STREAM_WRITE_AFTER_END",
                                           "error ERR_STREAM_WRITE_AFTER_END", "close"});
  CHECK(recorder.chunks.empty());
  CHECK(errorMessage(stream->errored()) == "ERR_STREAM_WRITE_AFTER_END: write after end");
}

TEST_CASE("Writable: writing after destroy() is ERR_STREAM_DESTROYED") {
  asio::io_context io;
  Recorder recorder(io);
  recorder.stream->destroy();
  std::exception_ptr error;
  CHECK_FALSE(recorder.stream->write(bytes("x"), [&](std::exception_ptr e) { error = e; }));
  settle(io);
  CHECK(test::code(error) == "ERR_STREAM_DESTROYED");
  CHECK(errorMessage(error) ==
        "ERR_STREAM_DESTROYED: Cannot call write after a stream was destroyed");
}

TEST_CASE("Writable: destroy() fails queued writes and end() callbacks") {
  asio::io_context io;
  SlowSink sink(io);
  auto& stream = sink.stream;
  std::vector<std::string> events;
  stream->write(bytes("in flight"));
  stream->write(bytes("queued"),
                [&](std::exception_ptr e) { events.push_back("write " + test::code(e)); });
  stream->end([&](std::exception_ptr e) { events.push_back("end " + test::code(e)); });
  stream->on(events::close, [&] { events.push_back("close"); });
  stream->destroy();
  settle(io);
  // As in Node, the queue is failed once the write in flight has completed.
  CHECK(events == std::vector<std::string>{"close"});
  sink.completeOne();
  settle(io);
  CHECK(events == std::vector<std::string>{"close", "write ERR_STREAM_DESTROYED",
                                           "end ERR_STREAM_DESTROYED"});
  CHECK(sink.chunks == std::vector<std::string>{"in flight"});
  CHECK(stream->writableAborted());
}

TEST_CASE("Writable: destroy() with nothing in flight fails the queue on the next tick") {
  asio::io_context io;
  Recorder recorder(io);
  auto& stream = recorder.stream;
  std::vector<std::string> events;
  stream->cork();
  stream->write(bytes("queued"),
                [&](std::exception_ptr e) { events.push_back("write " + errorMessage(e)); });
  stream->on(events::error, [&] { events.push_back("error"); });
  stream->on(events::close, [&] { events.push_back("close"); });
  stream->destroy(test::failure("gone"));
  settle(io);
  CHECK(events == std::vector<std::string>{"write gone", "error", "close"});
  CHECK(recorder.chunks.empty());
}

TEST_CASE("Writable: end() twice is forgiven, after 'finish' it is ERR_STREAM_ALREADY_FINISHED") {
  asio::io_context io;
  Recorder recorder(io, WritableOptions{.autoDestroy = false});
  auto& stream = recorder.stream;
  int errors = 0;
  stream->on(events::error, [&] { ++errors; });
  std::vector<std::string> callbacks;
  stream->end([&](std::exception_ptr e) { callbacks.push_back("first " + test::code(e)); });
  stream->end([&](std::exception_ptr e) { callbacks.push_back("second " + test::code(e)); });
  settle(io);
  stream->end([&](std::exception_ptr e) { callbacks.push_back("third " + test::code(e)); });
  settle(io);
  CHECK(callbacks ==
        std::vector<std::string>{"first ", "second ", "third ERR_STREAM_ALREADY_FINISHED"});
  CHECK(errors == 0);
}

TEST_CASE("Writable: cork() nests, end() uncorks fully") {
  asio::io_context io;
  Recorder recorder(io);
  auto& stream = recorder.stream;
  stream->cork();
  stream->cork();
  CHECK(stream->writableCorked() == 2);
  stream->write(bytes("a"));
  stream->uncork();
  CHECK(recorder.chunks.empty());
  stream->write(bytes("b"));
  stream->uncork();
  CHECK(recorder.chunks == std::vector<std::string>{"a", "b"});
  stream->uncork();
  CHECK(stream->writableCorked() == 0);

  stream->cork();
  stream->cork();
  stream->write(bytes("c"));
  stream->end();
  CHECK(stream->writableCorked() == 0);
  CHECK(recorder.chunks == std::vector<std::string>{"a", "b", "c"});
}

TEST_CASE("Writable: _writev gets every chunk queued behind a slow write, callbacks after it") {
  asio::io_context io;
  std::vector<std::size_t> batches;
  std::vector<WriteCallback> pending;
  auto stream = std::make_shared<Writable>(
      io,
      WritableOptions{.writev = [&](Writable&, std::span<const Buffer> chunks, WriteCallback done) {
        batches.push_back(chunks.size());
        pending.push_back(std::move(done));
      }});
  std::vector<std::string> callbacks;
  for (const char* name : {"a", "b", "c", "d"}) {
    stream->write(bytes(name), [&callbacks, name](std::exception_ptr error) {
      CHECK_FALSE(error);
      callbacks.push_back(name);
    });
  }
  CHECK(batches == std::vector<std::size_t>{1});
  pending.back()(nullptr);
  CHECK(batches == std::vector<std::size_t>{1, 3});
  CHECK(callbacks == std::vector<std::string>{"a"});
  pending.back()(nullptr);
  CHECK(callbacks == std::vector<std::string>{"a", "b", "c", "d"});
  CHECK(stream->writableLength() == 0);
}

TEST_CASE("Writable: a failed _writev fails every chunk in it") {
  asio::io_context io;
  auto stream = std::make_shared<Writable>(
      io, WritableOptions{.writev = [](Writable&, std::span<const Buffer>, WriteCallback done) {
        done(test::failure("connection reset"));
      }});
  stream->on(events::error, [] {});
  std::vector<std::string> callbacks;
  stream->cork();
  for (const char* name : {"a", "b"}) {
    stream->write(bytes(name), [&callbacks, name](std::exception_ptr error) {
      callbacks.push_back(std::string(name) + " " + errorMessage(error));
    });
  }
  stream->uncork();
  settle(io);
  CHECK(callbacks == std::vector<std::string>{"a connection reset", "b connection reset"});
}

// The subclass form, as transports write it.
class BatchingSink : public Writable {
 public:
  explicit BatchingSink(asio::io_context& io) : Writable(io) {}

  std::vector<std::string> batches;
  bool finalCalled = false;

 protected:
  void _writev(std::span<const Buffer> chunks, WriteCallback callback) override {
    std::string batch;
    for (const Buffer& chunk : chunks)
      batch += text(chunk) + ";";
    batches.push_back(batch);
    asio::post(context(), [callback] { callback(); });
  }
  bool _hasWritev() const noexcept override { return true; }
  void _final(Callback callback) override {
    finalCalled = true;
    callback(nullptr);
  }
};

TEST_CASE("Writable subclass: _writev batches, _final") {
  asio::io_context io;
  auto sink = std::make_shared<BatchingSink>(io);
  for (const char* chunk : {"a", "b", "c"})
    sink->write(bytes(chunk));
  sink->end(bytes("d"));
  settle(io);
  CHECK(sink->batches == std::vector<std::string>{"a;", "b;c;d;"});
  CHECK(sink->finalCalled);
  CHECK(sink->writableFinished());
}

TEST_CASE("Writable: a kept WriteCallback keeps its stream alive") {
  asio::io_context io;
  std::vector<WriteCallback> kept;
  std::weak_ptr<Writable> weak;
  bool finished = false;
  {
    auto stream = std::make_shared<Writable>(
        io, WritableOptions{.write = [&](Writable&, Buffer, const WriteCallback& done) {
          kept.push_back(done);
        }});
    stream->on(events::finish, [&] { finished = true; });
    stream->end(test::bytes("later"));
    weak = stream;
  }
  CHECK_FALSE(weak.expired());
  settle(io);
  REQUIRE(kept.size() == 1);
  kept.front()();
  kept.clear();
  settle(io);
  CHECK(finished);
  CHECK(weak.expired());
}
TEST_CASE("Writable: an empty chunk is written too, in byte mode") {
  asio::io_context io;
  Recorder recorder(io);
  CHECK(recorder.stream->write(Buffer()));
  CHECK(recorder.chunks == std::vector<std::string>{""});
}

TEST_CASE("Writable: without autoDestroy, errors are still emitted once") {
  asio::io_context io;
  auto stream = std::make_shared<Writable>(
      io, WritableOptions{.autoDestroy = false,
                          .write = [](Writable&, Buffer, const WriteCallback& done) {
                            done(test::failure("first"));
                          }});
  std::vector<std::string> errors;
  stream->on(events::error,
             [&](const std::exception_ptr& e) { errors.push_back(errorMessage(e)); });
  stream->write(bytes("a"));
  settle(io);
  stream->end();
  CHECK_FALSE(stream->write(bytes("b")));
  settle(io);
  CHECK(errors == std::vector<std::string>{"first"});
  CHECK_FALSE(stream->destroyed());
  CHECK(errorMessage(stream->errored()) == "first");
}

}  // namespace
}  // namespace wirekit
