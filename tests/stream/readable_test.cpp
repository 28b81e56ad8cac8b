// SPDX-License-Identifier: Apache-2.0
#include "wirekit/stream/readable.hpp"

#include <memory>
#include <string>
#include <vector>

#include <asio/steady_timer.hpp>

#include "stream_test_support.hpp"
#include "wirekit/error.hpp"

namespace wirekit {
namespace {

using test::bytes;
using test::manualSource;
using test::ownBytes;
using test::settle;
using test::text;

bool pointsInto(const Buffer& part, const Buffer& whole) {
  return part.data() >= whole.data() &&
         part.data() + part.length() <= whole.data() + whole.length();
}

// Node: test/parallel/test-stream2-readable-from-list.js ('buffers'). Node
// tests the internal fromList; here the same reads go through read(n).
TEST_CASE("test-stream2-readable-from-list: buffers") {
  asio::io_context io;
  auto source = manualSource(io);
  const std::vector<Buffer> list = {ownBytes("foog"), ownBytes("bark"), ownBytes("bazy"),
                                    ownBytes("kuel")};
  for (const Buffer& chunk : list)
    source->push(chunk);
  CHECK(source->readableLength() == 16);

  // Read more than the first element: joined, a copy.
  std::optional<Buffer> result = source->read(6);
  REQUIRE(result);
  CHECK(text(*result) == "foogba");
  CHECK_FALSE(pointsInto(*result, list[0]));
  CHECK(source->readableLength() == 10);

  // Read exactly the (rest of the) first element: that chunk, no copy.
  result = source->read(2);
  REQUIRE(result);
  CHECK(text(*result) == "rk");
  CHECK(result->data() == list[1].data() + 2);

  // Read less than the first element: a subarray of it.
  result = source->read(2);
  REQUIRE(result);
  CHECK(text(*result) == "ba");
  CHECK(result->data() == list[2].data());

  // Read more than we have: at the end, whatever is left.
  source->push(std::nullopt);
  result = source->read(100);
  REQUIRE(result);
  CHECK(text(*result) == "zykuel");

  // All consumed.
  CHECK(source->readableLength() == 0);
  settle(io);
  CHECK(source->readableEnded());
}

TEST_CASE("Readable: push() returns false once highWaterMark bytes are queued") {
  asio::io_context io;
  auto source = manualSource(io, ReadableOptions{.highWaterMark = 4});
  CHECK(source->push(bytes("abc")));
  CHECK_FALSE(source->push(bytes("d")));
  CHECK_FALSE(source->push(bytes("e")));
  CHECK(source->readableLength() == 5);
  CHECK(source->readableHighWaterMark() == 4);
}

TEST_CASE("Readable: in object mode highWaterMark counts chunks") {
  asio::io_context io;
  auto source = manualSource(io, ReadableOptions{.highWaterMark = 2, .objectMode = true});
  CHECK(source->push(bytes("a long chunk of many bytes")));
  CHECK_FALSE(source->push(bytes("b")));
  CHECK(source->readableLength() == 2);
  CHECK(source->readableObjectMode());
}

TEST_CASE("Readable: default highWaterMark is 16 KiB, or 16 objects") {
  asio::io_context io;
  CHECK(manualSource(io)->readableHighWaterMark() == 16 * 1024);
  CHECK(manualSource(io, ReadableOptions{.objectMode = true})->readableHighWaterMark() == 16);
}

TEST_CASE("Readable: read(n) returns nothing until n bytes are queued or the stream ended") {
  asio::io_context io;
  auto source = manualSource(io);
  source->push(bytes("ab"));
  CHECK_FALSE(source->read(3));
  source->push(bytes("c"));
  std::optional<Buffer> result = source->read(3);
  REQUIRE(result);
  CHECK(text(*result) == "abc");

  source->push(bytes("de"));
  CHECK_FALSE(source->read(3));
  source->push(std::nullopt);
  result = source->read(3);
  REQUIRE(result);
  CHECK(text(*result) == "de");
  CHECK_FALSE(source->read(3));
}

TEST_CASE("Readable: read() returns everything queued, joined") {
  asio::io_context io;
  auto source = manualSource(io);
  const Buffer only = ownBytes("one");
  source->push(only);
  std::optional<Buffer> result = source->read();
  REQUIRE(result);
  // A single chunk is returned as it is.
  CHECK(result->data() == only.data());

  source->push(bytes("two"));
  source->push(bytes("three"));
  result = source->read();
  REQUIRE(result);
  CHECK(text(*result) == "twothree");
  CHECK_FALSE(source->read());
}

TEST_CASE("Readable: object mode never joins or splits chunks") {
  asio::io_context io;
  auto source = manualSource(io, ReadableOptions{.objectMode = true});
  source->push(bytes("first"));
  source->push(Buffer());
  source->push(bytes("third"));
  CHECK(source->readableLength() == 3);
  std::optional<Buffer> result = source->read(100);
  REQUIRE(result);
  CHECK(text(*result) == "first");
  result = source->read();
  REQUIRE(result);
  CHECK(result->empty());
  result = source->read(1);
  REQUIRE(result);
  CHECK(text(*result) == "third");
}

TEST_CASE("Readable: an empty chunk in byte mode is not queued") {
  asio::io_context io;
  auto source = manualSource(io);
  CHECK(source->push(Buffer()));
  CHECK(source->readableLength() == 0);
  CHECK_FALSE(source->read());
}

TEST_CASE("Readable: read(n) above highWaterMark raises it to a power of two, up to 1 GiB") {
  asio::io_context io;
  auto source = manualSource(io, ReadableOptions{.highWaterMark = 4});
  CHECK_FALSE(source->read(10));
  CHECK(source->readableHighWaterMark() == 16);
  CHECK_THROWS_AS(source->read((std::size_t{1} << 30) + 1), RangeError);
}

TEST_CASE("Readable: flowing mode emits 'data' per chunk, then 'end', then 'close'") {
  asio::io_context io;
  auto source = Readable::from(io, {bytes("a"), bytes("b"), bytes("c")}, ReadableOptions{});
  std::vector<std::string> events;
  source->on(events::data, [&](const Buffer& chunk) { events.push_back("data " + text(chunk)); });
  source->on(events::end, [&] { events.push_back("end"); });
  source->on(events::close, [&] { events.push_back("close"); });
  CHECK(source->readableFlowing() == true);
  CHECK(events.empty());
  settle(io);
  CHECK(events == std::vector<std::string>{"data a", "data b", "data c", "end", "close"});
  CHECK(source->readableEnded());
  CHECK(source->readableDidRead());
  CHECK(source->destroyed());
  CHECK(source->closed());
  CHECK_FALSE(source->readable());
}

TEST_CASE("Readable: 'end' waits for a tick after the last chunk is consumed") {
  asio::io_context io;
  auto source = manualSource(io);
  int ends = 0;
  source->on(events::end, [&] { ++ends; });
  source->push(bytes("x"));
  source->push(std::nullopt);
  CHECK(source->read());
  CHECK(ends == 0);
  CHECK_FALSE(source->readableEnded());
  settle(io);
  CHECK(ends == 1);
}

TEST_CASE("Readable.from: object mode, highWaterMark 1, the chunks themselves") {
  asio::io_context io;
  const std::vector<Buffer> chunks = {ownBytes("x"), ownBytes("yy"), ownBytes("zzz")};
  auto source = Readable::from(io, chunks);
  CHECK(source->readableObjectMode());
  CHECK(source->readableHighWaterMark() == 1);
  std::vector<const std::byte*> seen;
  source->on(events::data, [&](const Buffer& chunk) { seen.push_back(chunk.data()); });
  settle(io);
  CHECK(seen ==
        std::vector<const std::byte*>{chunks[0].data(), chunks[1].data(), chunks[2].data()});
}

TEST_CASE("Readable: pause(), resume(), isPaused() and readableFlowing") {
  asio::io_context io;
  auto source = manualSource(io);
  std::vector<std::string> events;
  source->on(events::pause, [&] { events.push_back("pause"); });
  source->on(events::resume, [&] { events.push_back("resume"); });
  CHECK_FALSE(source->readableFlowing().has_value());
  CHECK_FALSE(source->isPaused());

  std::string data;
  source->on(events::data, [&](const Buffer& chunk) { data += text(chunk); });
  CHECK(source->readableFlowing() == true);
  settle(io);
  source->pause();
  CHECK(source->readableFlowing() == false);
  CHECK(source->isPaused());
  source->push(bytes("held"));
  settle(io);
  CHECK(data.empty());
  CHECK(source->readableLength() == 4);

  source->resume();
  CHECK(source->readableFlowing() == true);
  CHECK_FALSE(source->isPaused());
  settle(io);
  CHECK(data == "held");
  CHECK(events == std::vector<std::string>{"resume", "pause", "resume"});

  // While flowing with nothing queued, a push goes straight to 'data'.
  source->push(bytes("now"));
  CHECK(data == "heldnow");
}

TEST_CASE("Readable: a 'data' listener added after pause() does not resume") {
  asio::io_context io;
  auto source = manualSource(io);
  source->pause();
  int chunks = 0;
  source->on(events::data, [&] { ++chunks; });
  source->push(bytes("x"));
  settle(io);
  CHECK(chunks == 0);
  CHECK(source->readableFlowing() == false);
}

TEST_CASE("Readable: 'readable' and read() in paused mode") {
  asio::io_context io;
  auto source = manualSource(io);
  std::string got;
  int readableEvents = 0;
  source->on(events::readable, [&] {
    ++readableEvents;
    while (std::optional<Buffer> chunk = source->read())
      got += text(*chunk);
  });
  CHECK(source->readableFlowing() == false);
  source->push(bytes("ab"));
  source->push(bytes("cd"));
  settle(io);
  CHECK(got == "abcd");
  CHECK(readableEvents == 1);

  bool ended = false;
  source->on(events::end, [&] { ended = true; });
  source->push(std::nullopt);
  settle(io);
  CHECK(ended);
  // 'readable' again at the end, where read() returns nothing.
  CHECK(readableEvents == 2);
}

TEST_CASE("Readable: a _read that pushes on demand") {
  asio::io_context io;
  int reads = 0;
  auto source = std::make_shared<Readable>(io, ReadableOptions{
                                                   .highWaterMark = 2,
                                                   .read =
                                                       [&](Readable& self, std::size_t size) {
                                                         CHECK(size == 2);
                                                         if (++reads > 5) {
                                                           self.push(std::nullopt);
                                                         } else {
                                                           self.push(bytes(std::to_string(reads)));
                                                         }
                                                       },
                                               });
  std::string got;
  source->on(events::data, [&](const Buffer& chunk) { got += text(chunk); });
  settle(io);
  CHECK(got == "12345");
  CHECK(reads == 6);
  CHECK(source->readableEnded());
}

TEST_CASE("Readable: unshift() puts a chunk back at the front") {
  asio::io_context io;
  auto source = manualSource(io);
  source->push(bytes("cd"));
  source->unshift(bytes("ab"));
  CHECK(source->readableLength() == 4);
  std::optional<Buffer> result = source->read(4);
  REQUIRE(result);
  CHECK(text(*result) == "abcd");
}

TEST_CASE("Readable: push() after the end is ERR_STREAM_PUSH_AFTER_EOF") {
  asio::io_context io;
  auto source = manualSource(io);
  std::vector<std::string> events;
  source->on(events::error,
             [&](const std::exception_ptr& error) { events.push_back(test::code(error)); });
  source->on(events::close, [&] { events.push_back("close"); });
  source->push(std::nullopt);
  CHECK_FALSE(source->push(bytes("late")));
  CHECK(source->destroyed());
  settle(io);
  CHECK(events == std::vector<std::string>{"ERR_STREAM_PUSH_AFTER_EOF", "close"});
}

TEST_CASE("Readable: unshift() after 'end' is ERR_STREAM_UNSHIFT_AFTER_END_EVENT") {
  asio::io_context io;
  auto source = Readable::from(io, {bytes("a")});
  std::string error;
  source->on(events::error, [&](const std::exception_ptr& e) { error = test::code(e); });
  source->on(events::end, [&] { source->unshift(bytes("late")); });
  source->resume();
  settle(io);
  CHECK(error == "ERR_STREAM_UNSHIFT_AFTER_END_EVENT");
}

TEST_CASE("Readable: what _read throws destroys the stream with that error") {
  asio::io_context io;
  auto source = std::make_shared<Readable>(
      io, ReadableOptions{.read = [](Readable&, std::size_t) { throw DecodeError("bad input"); }});
  std::exception_ptr error;
  source->on(events::error, [&](const std::exception_ptr& e) { error = e; });
  source->resume();
  settle(io);
  REQUIRE(error);
  CHECK_THROWS_AS(std::rethrow_exception(error), DecodeError);
  CHECK(source->destroyed());
  CHECK(source->errored() == error);
  CHECK(source->readableAborted());
}

TEST_CASE("Readable: without _read, ERR_METHOD_NOT_IMPLEMENTED") {
  asio::io_context io;
  auto source = std::make_shared<Readable>(io);
  std::exception_ptr error;
  source->on(events::error, [&](const std::exception_ptr& e) { error = e; });
  source->resume();
  settle(io);
  CHECK(test::code(error) == "ERR_METHOD_NOT_IMPLEMENTED");
  CHECK(errorMessage(error) == "ERR_METHOD_NOT_IMPLEMENTED: The _read() method is not implemented");
}

TEST_CASE("Readable: destroy(error) emits 'error' then 'close', once") {
  asio::io_context io;
  auto source = manualSource(io);
  std::vector<std::string> events;
  source->on(events::error,
             [&](const std::exception_ptr& e) { events.push_back("error " + errorMessage(e)); });
  source->on(events::close, [&] { events.push_back("close"); });
  source->push(bytes("dropped"));
  source->destroy(test::failure("kaboom"));
  source->destroy(test::failure("second"));
  CHECK(source->destroyed());
  CHECK(source->closed());
  CHECK(events.empty());
  settle(io);
  CHECK(events == std::vector<std::string>{"error kaboom", "close"});
  CHECK(errorMessage(source->errored()) == "kaboom");
  CHECK_FALSE(source->readable());
  CHECK(source->readableAborted());
}

TEST_CASE("Readable: destroy() without an error emits only 'close'") {
  asio::io_context io;
  auto source = manualSource(io);
  int errors = 0;
  int closes = 0;
  source->on(events::error, [&] { ++errors; });
  source->on(events::close, [&] { ++closes; });
  source->destroy();
  settle(io);
  CHECK(errors == 0);
  CHECK(closes == 1);
  CHECK_FALSE(source->errored());
}

TEST_CASE("Readable: emitClose false, and the destroy hook") {
  asio::io_context io;
  std::exception_ptr seen;
  Callback finishDestroy;
  auto source = std::make_shared<Readable>(
      io, ReadableOptions{.emitClose = false,
                          .read = [](Readable&, std::size_t) {},
                          .destroy =
                              [&](Readable&, std::exception_ptr error, Callback callback) {
                                seen = error;
                                finishDestroy = std::move(callback);
                              }});
  int closes = 0;
  std::exception_ptr emitted;
  source->on(events::close, [&] { ++closes; });
  source->on(events::error, [&](const std::exception_ptr& e) { emitted = e; });
  const auto error = test::failure("stop");
  source->destroy(error);
  CHECK(seen == error);
  // Not closed until _destroy calls back.
  CHECK_FALSE(source->closed());
  settle(io);
  CHECK_FALSE(emitted);
  finishDestroy(error);
  CHECK(source->closed());
  settle(io);
  CHECK(emitted == error);
  CHECK(closes == 0);
}

TEST_CASE("Readable: an 'error' nobody listens to is thrown out of io_context::run") {
  asio::io_context io;
  auto source = manualSource(io);
  source->destroy(test::failure("unhandled"));
  CHECK_THROWS_WITH(settle(io), "unhandled");
}

TEST_CASE("Readable: a stream not owned by a shared_ptr cannot defer work") {
  asio::io_context io;
  Readable source(io, ReadableOptions{.read = [](Readable&, std::size_t) {}});
  CHECK_THROWS_AS(source.resume(), TypeError);
}

// Node: test/parallel/test-stream-readable-hwm-0.js — with highWaterMark 0,
// read(0) calls _read (once, on the 'readable' listener) rather than only
// emitting 'readable'.
TEST_CASE("test-stream-readable-hwm-0") {
  asio::io_context io;
  int reads = 0;
  auto r = std::make_shared<Readable>(
      io, ReadableOptions{.highWaterMark = 0, .read = [&](Readable&, std::size_t) { ++reads; }});
  bool pushedNull = false;
  int readables = 0;
  int ends = 0;
  r->on(events::readable, [&] {
    ++readables;
    CHECK_FALSE(r->read());
    CHECK(pushedNull);
  });
  r->on(events::end, [&] { ++ends; });
  test::later(io, [&] {
    CHECK_FALSE(r->read());
    pushedNull = true;
    r->push(std::nullopt);
  });
  settle(io);
  CHECK(reads == 1);
  CHECK(readables == 1);
  CHECK(ends == 1);
}

// Node: test/parallel/test-stream-readable-event.js, first case: a 'readable'
// listener added later still gets the event, without a _read.
TEST_CASE("test-stream-readable-event: not reading when the listener is added") {
  asio::io_context io;
  int reads = 0;
  auto r = std::make_shared<Readable>(
      io, ReadableOptions{.highWaterMark = 3, .read = [&](Readable&, std::size_t) { ++reads; }});
  r->push(bytes("blerg"));
  int readables = 0;
  asio::steady_timer timer(io, std::chrono::milliseconds(1));
  timer.async_wait([&](const std::error_code&) { r->on(events::readable, [&] { ++readables; }); });
  settle(io);
  CHECK(readables == 1);
  CHECK(reads == 0);
}

// Node: test/parallel/test-stream-readable-event.js, second case: 'readable' is
// emitted again while _read is in progress.
TEST_CASE("test-stream-readable-event: re-emitted while reading") {
  asio::io_context io;
  int reads = 0;
  auto r = std::make_shared<Readable>(
      io, ReadableOptions{.highWaterMark = 3, .read = [&](Readable&, std::size_t) { ++reads; }});
  r->push(bytes("bl"));
  int readables = 0;
  asio::steady_timer timer(io, std::chrono::milliseconds(1));
  timer.async_wait([&](const std::error_code&) {
    CHECK(reads == 1);
    r->on(events::readable, [&] { ++readables; });
  });
  settle(io);
  CHECK(readables == 1);
  CHECK(reads == 1);
}

// Node: test/parallel/test-stream-readable-event.js, third case: at EOF below
// highWaterMark, no _read.
TEST_CASE("test-stream-readable-event: not reading at EOF") {
  asio::io_context io;
  int reads = 0;
  auto r = std::make_shared<Readable>(
      io, ReadableOptions{.highWaterMark = 30, .read = [&](Readable&, std::size_t) { ++reads; }});
  r->push(bytes("blerg"));
  r->push(std::nullopt);
  int readables = 0;
  asio::steady_timer timer(io, std::chrono::milliseconds(1));
  timer.async_wait([&](const std::error_code&) { r->on(events::readable, [&] { ++readables; }); });
  settle(io);
  CHECK(readables == 1);
  CHECK(reads == 0);
}

// Node: test/parallel/test-stream-readable-event.js, fourth case: pushing an
// empty chunk (in byte mode) triggers the next _read.
TEST_CASE("test-stream-readable-event: an empty push triggers the next read") {
  asio::io_context io;
  std::vector<std::string> underlyingData = {"", "x", "y", "", "z"};
  std::vector<std::string> result;
  auto r = std::make_shared<Readable>(io, ReadableOptions{.read = [&](Readable& self, std::size_t) {
                                        test::later(io, [&] {
                                          if (underlyingData.empty()) {
                                            self.push(std::nullopt);
                                          } else {
                                            self.push(bytes(underlyingData.front()));
                                            underlyingData.erase(underlyingData.begin());
                                          }
                                        });
                                      }});
  r->on(events::readable, [&] {
    if (std::optional<Buffer> data = r->read()) result.push_back(text(*data));
  });
  int ends = 0;
  r->on(events::end, [&] { ++ends; });
  settle(io);
  CHECK(ends == 1);
  CHECK(result == std::vector<std::string>{"x", "y", "z"});
}

// Node: test/parallel/test-stream-readable-event.js, fifth case (#20923).
TEST_CASE("test-stream-readable-event: removeAllListeners()") {
  asio::io_context io;
  auto r = manualSource(io);
  r->on(events::data, [] {});
  r->removeAllListeners();
  CHECK(r->listenerCount(events::data) == 0);
  settle(io);
}

TEST_CASE("Readable: a _read that pushes later, one chunk per call") {
  asio::io_context io;
  int next = 0;
  auto source = std::make_shared<Readable>(
      io, ReadableOptions{.highWaterMark = 4, .read = [&](Readable& self, std::size_t) {
                            test::later(io, [&self, &next] {
                              if (next == 10) {
                                self.push(std::nullopt);
                              } else {
                                self.push(bytes(std::to_string(next++)));
                              }
                            });
                          }});
  std::string got;
  source->on(events::data, [&](const Buffer& chunk) { got += text(chunk); });
  bool ended = false;
  source->on(events::end, [&] { ended = true; });
  settle(io);
  CHECK(got == "0123456789");
  CHECK(ended);
}

TEST_CASE("Readable: once('readable') cycles, then 'data'") {
  asio::io_context io;
  auto source = manualSource(io);
  source->push(bytes("first"));
  std::string got;
  source->once(events::readable, [&] {
    if (std::optional<Buffer> chunk = source->read()) got += text(*chunk);
  });
  settle(io);
  CHECK(got == "first");
  // No 'readable' listener left: back to no mode at all, as in Node.
  CHECK_FALSE(source->readableFlowing().has_value());
  // With the 'readable' listener gone, a 'data' listener makes it flow again.
  source->on(events::data, [&](const Buffer& chunk) { got += "," + text(chunk); });
  settle(io);
  source->push(bytes("second"));
  settle(io);
  CHECK(got == "first,second");
  CHECK(source->readableFlowing() == true);
}

}  // namespace
}  // namespace wirekit
