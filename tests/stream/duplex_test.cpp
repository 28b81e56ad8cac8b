// SPDX-License-Identifier: Apache-2.0
#include "wirekit/stream/duplex.hpp"

#include <memory>
#include <string>
#include <vector>

#include "stream_test_support.hpp"

namespace wirekit {
namespace {

using test::bytes;
using test::settle;
using test::text;

void duplexReadsNothing(Duplex&, std::size_t) {}

// Node: test/parallel/test-stream-duplex-end.js, first case: allowHalfOpen by
// default, so the end of the readable side does not end the writable side.
TEST_CASE("test-stream-duplex-end: allowHalfOpen keeps the writable side open") {
  asio::io_context io;
  auto stream = std::make_shared<Duplex>(io, DuplexOptions{.read = duplexReadsNothing});
  CHECK(stream->allowHalfOpen());
  int finishes = 0;
  stream->on(events::finish, [&] { ++finishes; });
  CHECK(stream->listenerCount(events::end) == 0);
  stream->resume();
  stream->push(std::nullopt);
  settle(io);
  CHECK(finishes == 0);
  CHECK(stream->readableEnded());
  CHECK(stream->writable());
}

// Node: test/parallel/test-stream-duplex-end.js, second case.
TEST_CASE("test-stream-duplex-end: allowHalfOpen false ends the writable side") {
  asio::io_context io;
  auto stream = std::make_shared<Duplex>(
      io, DuplexOptions{.allowHalfOpen = false, .read = duplexReadsNothing});
  CHECK_FALSE(stream->allowHalfOpen());
  int finishes = 0;
  stream->on(events::finish, [&] { ++finishes; });
  CHECK(stream->listenerCount(events::end) == 0);
  stream->resume();
  stream->push(std::nullopt);
  settle(io);
  CHECK(finishes == 1);
}

// Node: test/parallel/test-stream-duplex-end.js, third case. Node marks the
// writable side ended by hand (_writableState.ended = true); the public way to
// start with an ended writable side is writable: false.
TEST_CASE("test-stream-duplex-end: a writable side already ended is not ended again") {
  asio::io_context io;
  auto stream = std::make_shared<Duplex>(
      io, DuplexOptions{.allowHalfOpen = false, .writable = false, .read = duplexReadsNothing});
  CHECK_FALSE(stream->allowHalfOpen());
  int finishes = 0;
  stream->on(events::finish, [&] { ++finishes; });
  CHECK(stream->listenerCount(events::end) == 0);
  stream->resume();
  stream->push(std::nullopt);
  settle(io);
  CHECK(finishes == 0);
}

TEST_CASE("Duplex: two independent sides") {
  asio::io_context io;
  std::vector<std::string> written;
  auto stream = std::make_shared<Duplex>(
      io, DuplexOptions{.read =
                            [](Duplex& self, std::size_t) {
                              self.push(bytes("from the peer"));
                              self.push(std::nullopt);
                            },
                        .write =
                            [&](Duplex&, Buffer chunk, WriteCallback done) {
                              written.push_back(text(chunk));
                              done();
                            }});
  std::string read;
  std::vector<std::string> events;
  stream->on(events::data, [&](const Buffer& chunk) { read += text(chunk); });
  stream->on(events::end, [&] { events.push_back("end"); });
  stream->on(events::finish, [&] { events.push_back("finish"); });
  stream->on(events::close, [&] { events.push_back("close"); });
  stream->write(bytes("to the peer"));
  settle(io);
  CHECK(read == "from the peer");
  CHECK(written == std::vector<std::string>{"to the peer"});
  // The readable side has ended, the writable side is open: not destroyed yet.
  CHECK(events == std::vector<std::string>{"end"});
  CHECK_FALSE(stream->destroyed());
  stream->end();
  settle(io);
  CHECK(events == std::vector<std::string>{"end", "finish", "close"});
  CHECK(stream->destroyed());
}

TEST_CASE("Duplex: options per side") {
  asio::io_context io;
  auto stream = std::make_shared<Duplex>(
      io, DuplexOptions{
              .readableHighWaterMark = 5, .writableHighWaterMark = 7, .readableObjectMode = true});
  CHECK(stream->readableHighWaterMark() == 5);
  CHECK(stream->writableHighWaterMark() == 7);
  CHECK(stream->readableObjectMode());
  CHECK_FALSE(stream->writableObjectMode());

  auto both = std::make_shared<Duplex>(
      io, DuplexOptions{.highWaterMark = 3, .readableHighWaterMark = 5, .objectMode = true});
  CHECK(both->readableHighWaterMark() == 3);
  CHECK(both->writableHighWaterMark() == 3);
  CHECK(both->readableObjectMode());
  CHECK(both->writableObjectMode());
}

TEST_CASE("Duplex: a side disabled at construction") {
  asio::io_context io;
  auto readOnly = std::make_shared<Duplex>(io, DuplexOptions{.writable = false});
  CHECK_FALSE(readOnly->writable());
  CHECK(readOnly->writableFinished());
  CHECK(readOnly->readable());

  auto writeOnly = std::make_shared<Duplex>(io, DuplexOptions{.readable = false});
  CHECK_FALSE(writeOnly->readable());
  CHECK(writeOnly->readableEnded());
  CHECK(writeOnly->writable());
}

TEST_CASE("Duplex: destroy() ends both sides, one 'error' and one 'close'") {
  asio::io_context io;
  std::vector<WriteCallback> pending;
  auto stream = std::make_shared<Duplex>(
      io,
      DuplexOptions{.read = duplexReadsNothing, .write = [&](Duplex&, Buffer, WriteCallback done) {
                      pending.push_back(std::move(done));
                    }});
  std::vector<std::string> events;
  stream->on(events::error,
             [&](const std::exception_ptr& e) { events.push_back("error " + errorMessage(e)); });
  stream->on(events::close, [&] { events.push_back("close"); });
  stream->write(bytes("in flight"));
  stream->destroy(test::failure("reset"));
  settle(io);
  CHECK(events == std::vector<std::string>{"error reset", "close"});
  CHECK(stream->destroyed());
  CHECK_FALSE(stream->readable());
  CHECK_FALSE(stream->writable());
  CHECK(stream->readableAborted());
  CHECK(stream->writableAborted());
}

TEST_CASE("Duplex: a write error also breaks the readable side") {
  asio::io_context io;
  auto stream = std::make_shared<Duplex>(
      io,
      DuplexOptions{.read = duplexReadsNothing, .write = [](Duplex&, Buffer, WriteCallback done) {
                      done(test::failure("broken pipe"));
                    }});
  std::exception_ptr error;
  stream->on(events::error, [&](const std::exception_ptr& e) { error = e; });
  stream->write(bytes("x"));
  CHECK(errorMessage(stream->errored()) == "broken pipe");
  CHECK_FALSE(stream->push(bytes("no more")));
  settle(io);
  CHECK(errorMessage(error) == "broken pipe");
  CHECK_FALSE(stream->readable());
}

TEST_CASE("Duplex: usable as a Readable and as a Writable") {
  asio::io_context io;
  auto stream = std::make_shared<Duplex>(io, DuplexOptions{.read = duplexReadsNothing});
  std::shared_ptr<Readable> readable = stream;
  std::shared_ptr<Writable> writable = stream;
  std::shared_ptr<Stream> base = stream;
  CHECK(static_cast<Stream*>(readable.get()) == base.get());
  CHECK(static_cast<Stream*>(writable.get()) == base.get());
}

}  // namespace
}  // namespace wirekit
