// SPDX-License-Identifier: Apache-2.0
// Node: test/parallel/test-stream-finished.js, the cases on streams (not fs,
// http, AbortSignal, promisify or legacy EventEmitter streams), one
// TEST_CASE each.

#include "wirekit/stream/finished.hpp"

#include <functional>
#include <memory>
#include <string>

#include "stream_test_support.hpp"
#include "wirekit/stream/duplex.hpp"
#include "wirekit/stream/pass_through.hpp"
#include "wirekit/stream/readable.hpp"
#include "wirekit/stream/transform.hpp"
#include "wirekit/stream/writable.hpp"

namespace wirekit {
namespace {

using test::bytes;
using test::later;
using test::Outcome;
using test::readNothing;
using test::settle;
using test::writeNow;

TEST_CASE("test-stream-finished: a Readable that ends") {
  asio::io_context io;
  auto rs = std::make_shared<Readable>(io, ReadableOptions{.read = readNothing});
  Outcome calls;
  finished(rs, calls.record());
  rs->push(std::nullopt);
  rs->resume();
  settle(io);
  CHECK(calls.count == 1);
  CHECK_FALSE(calls.error);
}

TEST_CASE("test-stream-finished: a Writable that finishes") {
  asio::io_context io;
  auto ws = std::make_shared<Writable>(io, WritableOptions{.write = writeNow});
  Outcome calls;
  finished(ws, calls.record());
  ws->end();
  settle(io);
  CHECK(calls.count == 1);
  CHECK_FALSE(calls.error);
}

TEST_CASE("test-stream-finished: a Transform waits for 'finish' and 'end'") {
  asio::io_context io;
  auto tr = std::make_shared<Transform>(
      io,
      TransformOptions{.transform = [](Transform&, Buffer, TransformCallback done) { done(); }});
  bool finish = false;
  bool ended = false;
  tr->on(events::end, [&] { ended = true; });
  tr->on(events::finish, [&] { finish = true; });
  int calls = 0;
  finished(tr, [&](std::exception_ptr error) {
    CHECK_FALSE(error);
    CHECK(finish);
    CHECK(ended);
    ++calls;
  });
  tr->end();
  tr->resume();
  settle(io);
  CHECK(calls == 1);
}

TEST_CASE("test-stream-finished: 'close' after the end is not an error") {
  asio::io_context io;
  auto rs = std::make_shared<Readable>(io);
  Outcome calls;
  finished(rs, calls.record());
  rs->push(std::nullopt);
  rs->emit(events::close);
  rs->resume();
  settle(io);
  CHECK(calls.count == 1);
  CHECK_FALSE(calls.error);
}

TEST_CASE("test-stream-finished: 'close' before the end is a premature close") {
  asio::io_context io;
  auto rs = std::make_shared<Readable>(io);
  Outcome calls;
  finished(rs, calls.record());
  rs->emit(events::close);
  rs->push(std::nullopt);
  rs->resume();
  settle(io);
  CHECK(calls.count == 1);
  CHECK(test::code(calls.error) == "ERR_STREAM_PREMATURE_CLOSE");
}

TEST_CASE("test-stream-finished: options left out") {
  asio::io_context io;
  auto rs = std::make_shared<Readable>(io, ReadableOptions{.read = readNothing});
  Outcome calls;
  finished(rs, FinishedOptions{}, calls.record());
  rs->push(std::nullopt);
  rs->resume();
  settle(io);
  CHECK(calls.count == 1);
}

TEST_CASE("test-stream-finished: the returned function removes the listeners (Writable)") {
  asio::io_context io;
  auto ws = std::make_shared<Writable>(io, WritableOptions{.write = writeNow});
  Outcome calls;
  const std::function<void()> removeListener = finished(ws, calls.record());
  removeListener();
  ws->end();
  settle(io);
  CHECK(calls.count == 0);
  CHECK(ws->listenerCount(events::finish) == 0);
}

TEST_CASE("test-stream-finished: the returned function removes the listeners (Readable)") {
  asio::io_context io;
  auto rs = std::make_shared<Readable>(io);
  Outcome calls;
  const std::function<void()> removeListeners = finished(rs, calls.record());
  removeListeners();
  rs->emit(events::close);
  rs->push(std::nullopt);
  rs->resume();
  settle(io);
  CHECK(calls.count == 0);
}

TEST_CASE("test-stream-finished: a destroyed Writable is a premature close") {
  asio::io_context io;
  auto writable = std::make_shared<Writable>(
      io, WritableOptions{.write = [](Writable&, Buffer, WriteCallback) {}});
  writable->destroy();
  Outcome calls;
  finished(writable, calls.record());
  settle(io);
  CHECK(calls.count == 1);
  CHECK(test::code(calls.error) == "ERR_STREAM_PREMATURE_CLOSE");
}

TEST_CASE("test-stream-finished: a destroyed Readable is a premature close") {
  asio::io_context io;
  auto readable = std::make_shared<Readable>(io);
  readable->destroy();
  Outcome calls;
  finished(readable, calls.record());
  settle(io);
  CHECK(calls.count == 1);
  CHECK(test::code(calls.error) == "ERR_STREAM_PREMATURE_CLOSE");
}

TEST_CASE("test-stream-finished: destroyed while a write is in flight") {
  asio::io_context io;
  // Node completes the write with setImmediate, after the 'close' tick; here
  // the test holds the write until then.
  std::vector<WriteCallback> inFlight;
  auto w = std::make_shared<Writable>(
      io, WritableOptions{.write = [&](Writable&, Buffer, WriteCallback done) {
        inFlight.push_back(std::move(done));
      }});
  Outcome calls;
  finished(w, calls.record());
  w->end(bytes("asd"));
  w->destroy();
  settle(io);
  CHECK(calls.count == 1);
  CHECK(test::code(calls.error) == "ERR_STREAM_PREMATURE_CLOSE");
  REQUIRE(inFlight.size() == 1);
  inFlight.front()();
  settle(io);
  CHECK(calls.count == 1);
}

// Node's testClosed(factory), for Readable and Writable.
template <class Make>
void testClosed(Make make) {
  {
    // Already destroyed, and finished cancelled in the same tick: no callback.
    asio::io_context io;
    auto s = make(io, nullptr, true);
    s->destroy();
    Outcome calls;
    const std::function<void()> dispose = finished(s, calls.record());
    dispose();
    settle(io);
    CHECK(calls.count == 0);
  }
  {
    // Already destroyed: the callback comes.
    asio::io_context io;
    auto s = make(io, nullptr, true);
    s->destroy();
    Outcome calls;
    finished(s, calls.record());
    settle(io);
    CHECK(calls.count == 1);
  }
  {
    // Not until destroy has completed.
    asio::io_context io;
    bool destroyed = false;
    auto s = make(
        io,
        [&](std::exception_ptr, Callback callback) {
          later(io, [&destroyed, callback] {
            destroyed = true;
            callback(nullptr);
          });
        },
        true);
    s->destroy();
    int calls = 0;
    finished(s, [&](std::exception_ptr) {
      CHECK(destroyed);
      ++calls;
    });
    settle(io);
    CHECK(calls == 1);
  }
  {
    // Even when 'close' is not emitted.
    asio::io_context io;
    std::shared_ptr<Stream> s;
    Outcome calls;
    s = make(
        io,
        [&](std::exception_ptr, Callback callback) {
          callback(nullptr);
          finished(s, calls.record());
        },
        false);
    s->destroy();
    settle(io);
    CHECK(calls.count == 1);
  }
  {
    // With deep async.
    asio::io_context io;
    std::shared_ptr<Stream> s;
    Outcome calls;
    s = make(
        io,
        [&](std::exception_ptr, Callback callback) {
          later(io, [&, callback] {
            callback(nullptr);
            later(io, [&] { finished(s, calls.record()); });
          });
        },
        true);
    s->destroy();
    settle(io);
    CHECK(calls.count == 1);
  }
}

using DestroyHook = std::function<void(std::exception_ptr, Callback)>;

TEST_CASE("test-stream-finished: testClosed(Readable)") {
  testClosed([](asio::io_context& io, DestroyHook destroy, bool emitClose) {
    ReadableOptions options{.emitClose = emitClose};
    if (destroy) {
      options.destroy = [destroy](Readable&, std::exception_ptr error, Callback callback) {
        destroy(std::move(error), std::move(callback));
      };
    }
    return std::shared_ptr<Stream>(std::make_shared<Readable>(io, std::move(options)));
  });
}

TEST_CASE("test-stream-finished: testClosed(Writable)") {
  testClosed([](asio::io_context& io, DestroyHook destroy, bool emitClose) {
    WritableOptions options{.emitClose = emitClose,
                            .write = [](Writable&, Buffer, WriteCallback) {}};
    if (destroy) {
      options.destroy = [destroy](Writable&, std::exception_ptr error, Callback callback) {
        destroy(std::move(error), std::move(callback));
      };
    }
    return std::shared_ptr<Stream>(std::make_shared<Writable>(io, std::move(options)));
  });
}

TEST_CASE("test-stream-finished: a finished Writable without autoDestroy") {
  asio::io_context io;
  auto w = std::make_shared<Writable>(io, WritableOptions{.autoDestroy = false, .write = writeNow});
  w->end(bytes("asd"));
  Outcome calls;
  later(io, [&] { finished(w, calls.record()); });
  settle(io);
  CHECK(calls.count == 1);
}

TEST_CASE("test-stream-finished: an errored Writable without autoDestroy") {
  asio::io_context io;
  auto w = std::make_shared<Writable>(
      io, WritableOptions{.autoDestroy = false, .write = [](Writable&, Buffer, WriteCallback done) {
                            done(test::failure("write failed"));
                          }});
  Outcome calls;
  w->on(events::error, [&] { finished(w, calls.record()); });
  w->write(bytes("asd"));
  settle(io);
  CHECK(calls.count == 1);
  CHECK(errorMessage(calls.error) == "write failed");
}

TEST_CASE("test-stream-finished: an ended Readable without autoDestroy") {
  asio::io_context io;
  auto r = std::make_shared<Readable>(io, ReadableOptions{.autoDestroy = false});
  r->push(std::nullopt);
  r->resume();
  Outcome calls;
  r->on(events::end, [&] { finished(r, calls.record()); });
  settle(io);
  CHECK(calls.count == 1);
  CHECK_FALSE(calls.error);
}

TEST_CASE("test-stream-finished: destroyed with data still unread") {
  asio::io_context io;
  auto r = std::make_shared<Readable>(io);
  Outcome calls;
  finished(r, calls.record());
  r->push(bytes("asd"));
  r->push(std::nullopt);
  r->destroy();
  settle(io);
  CHECK(calls.count == 1);
  CHECK(test::code(calls.error) == "ERR_STREAM_PREMATURE_CLOSE");
}

// A Duplex whose writable side never finishes (its _final never calls back).
std::shared_ptr<Duplex> readOnlyDuplex(asio::io_context& io) {
  return std::make_shared<Duplex>(
      io, DuplexOptions{.read = [](Duplex& self, std::size_t) { self.push(std::nullopt); },
                        .final = [](Duplex&, Callback) {}});
}

TEST_CASE("test-stream-finished: only the readable side of a Duplex") {
  asio::io_context io;
  auto d = readOnlyDuplex(io);
  int ends = 0;
  d->on(events::end, [&] { ++ends; });
  Outcome calls;
  finished(d, FinishedOptions{.readable = true, .writable = false}, calls.record());
  d->end();
  d->resume();
  settle(io);
  CHECK(ends == 1);
  CHECK(calls.count == 1);
  CHECK_FALSE(calls.error);
}

TEST_CASE("test-stream-finished: only the readable side, watched after end()") {
  asio::io_context io;
  auto d = readOnlyDuplex(io);
  int ends = 0;
  d->on(events::end, [&] { ++ends; });
  d->end();
  Outcome calls;
  finished(d, FinishedOptions{.readable = true, .writable = false}, calls.record());
  d->resume();
  settle(io);
  CHECK(ends == 1);
  CHECK(calls.count == 1);
}

TEST_CASE("test-stream-finished: a PassThrough nobody reads does not finish") {
  asio::io_context io;
  auto p = std::make_shared<PassThrough>(io);
  p->end();
  Outcome calls;
  finished(p, calls.record());
  settle(io);
  CHECK(calls.count == 0);
}

TEST_CASE("test-stream-finished: watched from 'finish' of a PassThrough nobody reads") {
  asio::io_context io;
  auto p = std::make_shared<PassThrough>(io);
  p->end();
  Outcome calls;
  p->on(events::finish, [&] { finished(p, calls.record()); });
  settle(io);
  CHECK(p->writableFinished());
  CHECK(calls.count == 0);
}

TEST_CASE("test-stream-finished: destroyed with an error, twice") {
  asio::io_context io;
  auto w = std::make_shared<Writable>(io);
  const auto err = test::failure("destroyed");
  w->destroy(err);
  CHECK(w->errored() == err);
  int calls = 0;
  finished(w, [&](std::exception_ptr error) {
    ++calls;
    CHECK(error == err);
    CHECK(w->closed());
    finished(w, [&](std::exception_ptr again) {
      ++calls;
      CHECK(again == err);
    });
  });
  settle(io);
  CHECK(calls == 2);
}

TEST_CASE("test-stream-finished: destroyed without an error, twice") {
  asio::io_context io;
  auto w = std::make_shared<Writable>(io);
  w->destroy();
  CHECK_FALSE(w->errored());
  int calls = 0;
  finished(w, [&](std::exception_ptr error) {
    ++calls;
    CHECK(w->closed());
    CHECK(test::code(error) == "ERR_STREAM_PREMATURE_CLOSE");
    finished(w, [&](std::exception_ptr again) {
      ++calls;
      CHECK(test::code(again) == "ERR_STREAM_PREMATURE_CLOSE");
    });
  });
  settle(io);
  CHECK(calls == 2);
}

TEST_CASE("test-stream-finished: only the writable side of a Duplex") {
  asio::io_context io;
  auto stream = std::make_shared<Duplex>(
      io, DuplexOptions{.write = [&io](Duplex&, Buffer, WriteCallback done) {
        later(io, [done] { done(); });
      }});
  stream->end(bytes("foo"));
  Outcome calls;
  finished(stream, FinishedOptions{.readable = false}, calls.record());
  settle(io);
  CHECK(calls.count == 1);
  CHECK_FALSE(calls.error);
}

TEST_CASE("finished: an 'error' calls back with it, error: false waits for 'close'") {
  asio::io_context io;
  for (const bool onError : {true, false}) {
    INFO("error=" << onError);
    auto r = std::make_shared<Readable>(io, ReadableOptions{.read = readNothing});
    std::vector<std::string> events;
    r->on(events::error, [&] { events.push_back("error"); });
    r->on(events::close, [&] { events.push_back("close"); });
    finished(r, FinishedOptions{.error = onError}, [&](std::exception_ptr error) {
      events.push_back("finished " + errorMessage(error));
    });
    r->destroy(test::failure("broken"));
    settle(io);
    if (onError) {
      CHECK(events == std::vector<std::string>{"error", "finished broken", "close"});
    } else {
      CHECK(events == std::vector<std::string>{"error", "close", "finished broken"});
    }
  }
}

}  // namespace
}  // namespace wirekit
