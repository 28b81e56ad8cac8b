// SPDX-License-Identifier: Apache-2.0
// Node: test/parallel/test-stream-pipeline.js, the cases whose stages are
// streams (not http, generators, async functions or AbortSignal), one
// TEST_CASE each; then wirekit's own.

#include "wirekit/stream/pipeline.hpp"

#include <memory>
#include <string>
#include <vector>

#include <asio/steady_timer.hpp>

#include "stream_test_support.hpp"
#include "wirekit/stream/duplex.hpp"
#include "wirekit/stream/pass_through.hpp"
#include "wirekit/stream/readable.hpp"
#include "wirekit/stream/transform.hpp"
#include "wirekit/stream/writable.hpp"

namespace wirekit {
namespace {

using test::bytes;
using test::discard;
using test::later;
using test::Outcome;
using test::readNothing;
using test::settle;
using test::text;

TEST_CASE("test-stream-pipeline: chunks arrive, then the callback") {
  asio::io_context io;
  bool finished = false;
  std::vector<std::string> processed;
  const std::vector<std::string> expected = {"a", "b", "c"};
  auto read = std::make_shared<Readable>(io, ReadableOptions{.read = readNothing});
  auto write = std::make_shared<Writable>(
      io, WritableOptions{.write = [&](Writable&, Buffer data, WriteCallback done) {
        processed.push_back(text(data));
        done();
      }});
  write->on(events::finish, [&] { finished = true; });
  for (const std::string& chunk : expected)
    read->push(bytes(chunk));
  read->push(std::nullopt);
  int calls = 0;
  pipeline({read, write}, [&](std::exception_ptr error) {
    CHECK_FALSE(error);
    CHECK(finished);
    CHECK(processed == expected);
    ++calls;
  });
  settle(io);
  CHECK(calls == 1);
}

TEST_CASE("test-stream-pipeline: fewer than two streams is ERR_MISSING_ARGS") {
  asio::io_context io;
  auto read = std::make_shared<Readable>(io, ReadableOptions{.read = readNothing});
  CHECK_THROWS_WITH(pipeline({read}, [](std::exception_ptr) {}),
                    Catch::Contains("ERR_MISSING_ARGS"));
  CHECK_THROWS_AS(pipeline({}, [](std::exception_ptr) {}), TypeError);
}

TEST_CASE("test-stream-pipeline: a destroyed source is an error") {
  asio::io_context io;
  auto read = std::make_shared<Readable>(io, ReadableOptions{.read = readNothing});
  auto write = discard(io);
  read->push(bytes("data"));
  later(io, [&] { read->destroy(); });
  Outcome outcome;
  pipeline({read, write}, outcome.record());
  settle(io);
  CHECK(outcome.count == 1);
  CHECK(test::code(outcome.error) == "ERR_STREAM_PREMATURE_CLOSE");
}

TEST_CASE("test-stream-pipeline: a source destroyed with an error reports it") {
  asio::io_context io;
  auto read = std::make_shared<Readable>(io, ReadableOptions{.read = readNothing});
  auto write = discard(io);
  read->push(bytes("data"));
  later(io, [&] { read->destroy(test::failure("kaboom")); });
  Outcome outcome;
  const std::shared_ptr<Stream> dst = pipeline({read, write}, outcome.record());
  CHECK(dst == std::shared_ptr<Stream>(write));
  settle(io);
  CHECK(outcome.count == 1);
  CHECK(errorMessage(outcome.error) == "kaboom");
}

TEST_CASE("test-stream-pipeline: a transform error destroys every stream") {
  asio::io_context io;
  auto read = std::make_shared<Readable>(io, ReadableOptions{.read = readNothing});
  auto transform = std::make_shared<Transform>(
      io, TransformOptions{.transform = [](Transform&, Buffer, TransformCallback done) {
        done(test::failure("kaboom"));
      }});
  auto write = discard(io);
  std::vector<std::shared_ptr<Stream>> streams = {read, transform, write};
  std::vector<int> closes(3);
  std::vector<int> errors(3);
  for (std::size_t i = 0; i < streams.size(); ++i) {
    streams[i]->on(events::close, [&closes, i] { ++closes[i]; });
    streams[i]->on(events::error, [&errors, i](const std::exception_ptr& error) {
      CHECK(errorMessage(error) == "kaboom");
      ++errors[i];
    });
  }
  Outcome outcome;
  const std::shared_ptr<Stream> dst = pipeline(streams, outcome.record());
  CHECK(dst == streams.back());
  read->push(bytes("hello"));
  settle(io);
  CHECK(outcome.count == 1);
  CHECK(errorMessage(outcome.error) == "kaboom");
  CHECK(closes == std::vector<int>{1, 1, 1});
  CHECK(errors == std::vector<int>{1, 1, 1});
}

TEST_CASE("test-stream-pipeline: an error at the end of a long pipeline") {
  asio::io_context io;
  int closes = 0;
  auto makeTransform = [&] {
    auto transform = std::make_shared<Transform>(
        io, TransformOptions{.transform = [](Transform&, Buffer data, TransformCallback done) {
          done(std::move(data));
        }});
    transform->on(events::close, [&] { ++closes; });
    return transform;
  };
  auto rs = std::make_shared<Readable>(
      io, ReadableOptions{.read = [](Readable& self, std::size_t) { self.push(bytes("hello")); }});
  int count = 10;
  auto ws = std::make_shared<Writable>(
      io, WritableOptions{.write = [&](Writable&, Buffer, WriteCallback done) {
        if (--count == 0) {
          done(test::failure("kaboom"));
        } else {
          done();
        }
      }});
  rs->on(events::close, [&] { ++closes; });
  ws->on(events::close, [&] { ++closes; });
  Outcome outcome;
  pipeline({rs, makeTransform(), makeTransform(), makeTransform(), makeTransform(), makeTransform(),
            makeTransform(), ws},
           outcome.record());
  settle(io);
  CHECK(outcome.count == 1);
  CHECK(errorMessage(outcome.error) == "kaboom");
  CHECK(closes == 8);
}

TEST_CASE("test-stream-pipeline: autoDestroy false streams are left alone") {
  asio::io_context io;
  auto src = std::make_shared<PassThrough>(io, TransformOptions{.autoDestroy = false});
  auto dst = std::make_shared<PassThrough>(io, TransformOptions{.autoDestroy = false});
  Outcome outcome;
  pipeline({src, dst}, outcome.record());
  src->end();
  settle(io);
  CHECK(outcome.count == 1);
  CHECK_FALSE(src->destroyed());
  CHECK_FALSE(dst->destroyed());
}

TEST_CASE("test-stream-pipeline: 'close' before 'end' after EOF is no error") {
  asio::io_context io;
  auto r = std::make_shared<Readable>(io);
  auto w = discard(io);
  Outcome outcome;
  pipeline({r, w}, outcome.record());
  r->push(bytes("asd"));
  r->push(std::nullopt);
  r->emit(events::close);
  settle(io);
  CHECK(outcome.count == 1);
  CHECK_FALSE(outcome.error);
}

TEST_CASE("test-stream-pipeline: a PassThrough destination is not destroyed") {
  asio::io_context io;
  auto src = std::make_shared<PassThrough>(io);
  auto dst = std::make_shared<PassThrough>(io);
  Outcome outcome;
  pipeline({src, dst}, outcome.record());
  src->end();
  settle(io);
  CHECK(outcome.count == 1);
  CHECK_FALSE(outcome.error);
  CHECK_FALSE(dst->destroyed());
}

TEST_CASE("test-stream-pipeline: the writable side of the source stays usable") {
  asio::io_context io;
  auto src = std::make_shared<PassThrough>(io);
  CHECK(src->writable());
  auto dst = std::make_shared<PassThrough>(io);
  int calls = 0;
  pipeline({src, dst}, [&](std::exception_ptr) {
    CHECK(src->writable());
    CHECK_FALSE(src->destroyed());
    ++calls;
  });
  src->push(std::nullopt);
  settle(io);
  CHECK(calls == 1);
}

TEST_CASE("test-stream-pipeline: the callback waits for the source's 'close'") {
  for (const bool duplexDestination : {false, true}) {
    INFO("duplex destination=" << duplexDestination);
    asio::io_context io;
    bool closed = false;
    auto src = std::make_shared<Readable>(
        io, ReadableOptions{.read = readNothing,
                            .destroy = [&io](Readable&, std::exception_ptr, Callback callback) {
                              later(io, [callback] { callback(nullptr); });
                            }});
    std::shared_ptr<Stream> dst;
    if (duplexDestination) {
      dst = std::make_shared<Duplex>(io);
    } else {
      dst = discard(io);
    }
    src->on(events::close, [&] { closed = true; });
    src->push(std::nullopt);
    int calls = 0;
    pipeline({src, dst}, [&](std::exception_ptr) {
      CHECK(closed);
      ++calls;
    });
    settle(io);
    CHECK(calls == 1);
  }
}

TEST_CASE("test-stream-pipeline: a Duplex source whose _final takes time") {
  asio::io_context io;
  asio::steady_timer timer(io);
  int writes = 0;
  int reads = 0;
  int finals = 0;
  int destroys = 0;
  std::shared_ptr<Duplex> d;
  d = std::make_shared<Duplex>(
      io, DuplexOptions{.autoDestroy = false,
                        .read =
                            [&](Duplex& self, std::size_t) {
                              ++reads;
                              self.push(std::nullopt);
                            },
                        .write =
                            [&](Duplex& self, Buffer data, WriteCallback done) {
                              ++writes;
                              self.push(std::move(data));
                              done();
                            },
                        .final =
                            [&](Duplex&, Callback done) {
                              ++finals;
                              timer.expires_after(std::chrono::milliseconds(20));
                              timer.async_wait([&, done](const std::error_code&) {
                                CHECK_FALSE(d->destroyed());
                                done(nullptr);
                              });
                            },
                        .destroy =
                            [&](Duplex&, std::exception_ptr error, Callback callback) {
                              ++destroys;
                              callback(error);
                            }});
  int sinkWrites = 0;
  auto sink = std::make_shared<Writable>(
      io, WritableOptions{.write = [&](Writable&, Buffer, WriteCallback done) {
        ++sinkWrites;
        done();
      }});
  Outcome outcome;
  pipeline({d, sink}, outcome.record());
  d->write(bytes("test"));
  d->end();
  settle(io);
  CHECK(outcome.count == 1);
  CHECK_FALSE(outcome.error);
  CHECK(writes == 1);
  CHECK(reads == 1);
  CHECK(finals == 1);
  CHECK(sinkWrites == 1);
  // pipeline() does not destroy a stream whose writable side was still busy.
  CHECK(destroys == 0);
}

TEST_CASE("test-stream-pipeline: the streams as one list") {
  asio::io_context io;
  auto r = std::make_shared<Readable>(io, ReadableOptions{.read = readNothing});
  r->push(bytes("hello"));
  r->push(bytes("world"));
  r->push(std::nullopt);
  std::string res;
  auto w = std::make_shared<Writable>(
      io, WritableOptions{.write = [&](Writable&, Buffer chunk, WriteCallback done) {
        res += text(chunk);
        done();
      }});
  Outcome outcome;
  const std::vector<std::shared_ptr<Stream>> streams = {r, w};
  pipeline(streams, outcome.record());
  settle(io);
  CHECK(outcome.count == 1);
  CHECK_FALSE(outcome.error);
  CHECK(res == "helloworld");
}

TEST_CASE("test-stream-pipeline: a slow _flush completes before the callback") {
  asio::io_context io;
  asio::steady_timer timer(io);
  bool flushed = false;
  auto makeStream = [&] {
    return std::make_shared<Transform>(
        io, TransformOptions{.transform = [](Transform&, Buffer chunk,
                                             TransformCallback done) { done(std::move(chunk)); },
                             .flush =
                                 [&](Transform&, TransformCallback done) {
                                   timer.expires_after(std::chrono::milliseconds(1));
                                   timer.async_wait([&flushed, done](const std::error_code&) {
                                     flushed = true;
                                     done();
                                   });
                                 }});
  };
  auto input = std::make_shared<Readable>(io);
  input->push(std::nullopt);
  int calls = 0;
  pipeline({input, makeStream()}, [&](std::exception_ptr) {
    CHECK(flushed);
    ++calls;
  });
  settle(io);
  CHECK(calls == 1);
}

// Node's CustomReadable / CustomWritable. Node also counts the calls of an
// overridden end(), which is not virtual here; 'finish' is counted instead.
class CustomReadable : public Readable {
 public:
  explicit CustomReadable(asio::io_context& io) : Readable(io) {}

 protected:
  void _read(std::size_t) override {
    push(bytes("asd"));
    push(std::nullopt);
  }
};

class CustomWritable : public Writable {
 public:
  explicit CustomWritable(asio::io_context& io) : Writable(io) {}
  std::string str;

 protected:
  void _write(Buffer chunk, WriteCallback callback) override {
    str += text(chunk);
    callback();
  }
};

TEST_CASE("test-stream-pipeline: subclasses") {
  asio::io_context io;
  auto readable = std::make_shared<CustomReadable>(io);
  auto writable = std::make_shared<CustomWritable>(io);
  int finishes = 0;
  writable->on(events::finish, [&] { ++finishes; });
  Outcome outcome;
  pipeline({readable, writable}, outcome.record());
  settle(io);
  CHECK(outcome.count == 1);
  CHECK_FALSE(outcome.error);
  CHECK(writable->str == "asd");
  CHECK(finishes == 1);
}

TEST_CASE("test-stream-pipeline: from a Readable that has already ended") {
  asio::io_context io;
  auto readable = std::make_shared<Readable>(io, ReadableOptions{.read = readNothing});
  Outcome outcome;
  readable->on(events::end, [&] {
    pipeline({readable, std::make_shared<PassThrough>(io)}, outcome.record());
  });
  readable->push(std::nullopt);
  CHECK_FALSE(readable->read());
  settle(io);
  CHECK(outcome.count == 1);
  CHECK_FALSE(outcome.error);
}

TEST_CASE("test-stream-pipeline: from a Duplex that has already ended") {
  asio::io_context io;
  auto dup = std::make_shared<Duplex>(
      io, DuplexOptions{.read = [](Duplex&, std::size_t) {},
                        .write = [](Duplex&, Buffer, WriteCallback done) { done(); }});
  Outcome outcome;
  dup->on(events::end, [&] {
    pipeline({dup, std::make_shared<PassThrough>(io)}, outcome.record());
  });
  dup->push(std::nullopt);
  CHECK_FALSE(dup->read());
  settle(io);
  CHECK(outcome.count == 1);
  CHECK_FALSE(outcome.error);
}

TEST_CASE("test-stream-pipeline: _final runs after the source's 'end'") {
  asio::io_context io;
  auto r = std::make_shared<Readable>(io);
  for (int i = 0; i < 4000; ++i)
    r->push(bytes("asdfdagljanfgkaljdfn"));
  r->push(std::nullopt);
  bool ended = false;
  r->on(events::end, [&] { ended = true; });
  int finals = 0;
  auto w = std::make_shared<Writable>(
      io, WritableOptions{.write = [](Writable&, Buffer, WriteCallback done) { done(); },
                          .final =
                              [&](Writable&, Callback done) {
                                CHECK(ended);
                                ++finals;
                                done(nullptr);
                              }});
  Outcome outcome;
  pipeline({r, w}, outcome.record());
  settle(io);
  CHECK(outcome.count == 1);
  CHECK_FALSE(outcome.error);
  CHECK(finals == 1);
}

// --- wirekit's own ---

TEST_CASE("pipeline: the callback comes on a later tick, once") {
  asio::io_context io;
  auto source = Readable::from(io, {bytes("x")});
  auto sink = std::make_shared<PassThrough>(io, TransformOptions{.objectMode = true});
  sink->resume();
  Outcome outcome;
  pipeline({source, sink}, outcome.record());
  CHECK(outcome.count == 0);
  settle(io);
  CHECK(outcome.count == 1);
}

TEST_CASE("pipeline: only the first of several errors is reported") {
  asio::io_context io;
  auto source = std::make_shared<Readable>(io, ReadableOptions{.read = readNothing});
  auto middle = std::make_shared<PassThrough>(io);
  auto sink = discard(io);
  Outcome outcome;
  pipeline({source, middle, sink}, outcome.record());
  later(io, [&] {
    middle->destroy(test::failure("first"));
    sink->destroy(test::failure("second"));
    source->destroy(test::failure("third"));
  });
  settle(io);
  CHECK(outcome.count == 1);
  CHECK(errorMessage(outcome.error) == "first");
  CHECK(source->destroyed());
  CHECK(middle->destroyed());
  CHECK(sink->destroyed());
}

TEST_CASE("pipeline: a destination destroyed early is a premature close") {
  asio::io_context io;
  auto source = std::make_shared<Readable>(io, ReadableOptions{.read = readNothing});
  auto sink = discard(io);
  Outcome outcome;
  pipeline({source, sink}, outcome.record());
  source->push(bytes("some"));
  later(io, [&] { sink->destroy(); });
  settle(io);
  CHECK(outcome.count == 1);
  CHECK(test::code(outcome.error) == "ERR_STREAM_PREMATURE_CLOSE");
  CHECK(source->destroyed());
}

TEST_CASE("pipeline: end false leaves the last stream open") {
  asio::io_context io;
  auto source = Readable::from(io, {bytes("x")});
  auto sink = std::make_shared<PassThrough>(io, TransformOptions{.objectMode = true});
  Outcome outcome;
  pipeline({source, sink}, PipelineOptions{.end = false}, outcome.record());
  settle(io);
  CHECK(outcome.count == 1);
  CHECK_FALSE(outcome.error);
  CHECK_FALSE(sink->writableEnded());
  CHECK(sink->readableLength() == 1);
}

TEST_CASE("pipeline: a stage that cannot read or write is ERR_INVALID_ARG_TYPE") {
  asio::io_context io;
  auto readable = std::make_shared<Readable>(io, ReadableOptions{.read = readNothing});
  auto writable = discard(io);
  CHECK_THROWS_WITH(pipeline({writable, readable}, [](std::exception_ptr) {}),
                    Catch::Contains("ERR_INVALID_ARG_TYPE"));
  CHECK_THROWS_AS(pipeline({readable, nullptr}, [](std::exception_ptr) {}), TypeError);
}

TEST_CASE("pipeline: keeps its streams alive until the callback") {
  asio::io_context io;
  std::string written;
  Outcome outcome;
  std::weak_ptr<Stream> weakSink;
  {
    auto sink = std::make_shared<Writable>(
        io, WritableOptions{.objectMode = true,
                            .write = [&](Writable&, Buffer chunk, WriteCallback done) {
                              written += text(chunk);
                              later(io, [done] { done(); });
                            }});
    weakSink = sink;
    pipeline({Readable::from(io, {bytes("a"), bytes("b")}),
              std::make_shared<PassThrough>(io, TransformOptions{.objectMode = true}), sink},
             outcome.record());
  }
  settle(io);
  CHECK(written == "ab");
  CHECK(outcome.count == 1);
  CHECK_FALSE(outcome.error);
  CHECK(weakSink.expired());
}

}  // namespace
}  // namespace wirekit
