// SPDX-License-Identifier: Apache-2.0
#include "wirekit/stream/transform.hpp"

#include <cctype>
#include <memory>
#include <string>
#include <vector>

#include "stream_test_support.hpp"
#include "wirekit/error.hpp"
#include "wirekit/stream/pass_through.hpp"

namespace wirekit {
namespace {

using test::bytes;
using test::settle;
using test::text;

// Node: test/parallel/test-stream-transform-flush-data.js
TEST_CASE("test-stream-transform-flush-data") {
  asio::io_context io;
  const std::string expected = "asdf";
  auto stream = std::make_shared<Transform>(
      io, TransformOptions{
              .transform = [](Transform&, Buffer, TransformCallback next) { next(); },
              .flush = [&](Transform&, TransformCallback next) { next(bytes(expected)); }});
  stream->end(Buffer::from("blerg"));
  std::vector<std::string> data;
  stream->on(events::data, [&](const Buffer& chunk) { data.push_back(text(chunk)); });
  settle(io);
  CHECK(data == std::vector<std::string>{expected});
}

TEST_CASE("Transform: the flush output comes before 'end'") {
  asio::io_context io;
  auto stream = std::make_shared<Transform>(
      io, TransformOptions{.transform =
                               [](Transform& self, Buffer chunk, TransformCallback next) {
                                 self.push(chunk.subarray(0, 1));
                                 next(chunk.subarray(1));
                               },
                           .flush =
                               [](Transform& self, TransformCallback next) {
                                 self.push(bytes("[flush 1]"));
                                 next(bytes("[flush 2]"));
                               }});
  std::vector<std::string> events;
  stream->on(events::data, [&](const Buffer& chunk) { events.push_back(text(chunk)); });
  stream->on(events::end, [&] { events.push_back("end"); });
  stream->on(events::finish, [&] { events.push_back("finish"); });
  stream->on(events::close, [&] { events.push_back("close"); });
  stream->write(bytes("ab"));
  stream->end(bytes("cd"));
  settle(io);
  CHECK(events == std::vector<std::string>{"a", "b", "c", "d", "[flush 1]", "[flush 2]", "end",
                                           "finish", "close"});
}

TEST_CASE("Transform: the next chunk waits until the output is read") {
  asio::io_context io;
  int transforms = 0;
  auto stream = std::make_shared<Transform>(
      io, TransformOptions{.highWaterMark = 1,
                           .objectMode = true,
                           .transform = [&](Transform&, Buffer chunk, TransformCallback next) {
                             ++transforms;
                             next(std::move(chunk));
                           }});
  stream->write(bytes("1"));
  stream->write(bytes("2"));
  stream->write(bytes("3"));
  settle(io);
  // The output of "1" fills the readable side, so its write does not complete
  // and "2" and "3" wait in the writable queue.
  CHECK(transforms == 1);
  CHECK(stream->readableLength() == 1);
  CHECK(stream->writableLength() == 3);

  // Reading makes room: the write of "1" completes and "2" is transformed.
  std::optional<Buffer> chunk = stream->read();
  REQUIRE(chunk);
  CHECK(text(*chunk) == "1");
  CHECK(transforms == 2);
  settle(io);
  CHECK(transforms == 2);
  std::string rest;
  while (std::optional<Buffer> next = stream->read())
    rest += text(*next);
  CHECK(rest == "23");
  CHECK(transforms == 3);
}

TEST_CASE("Transform: an error passed to the callback fails the write and the stream") {
  asio::io_context io;
  auto stream = std::make_shared<Transform>(
      io, TransformOptions{.transform = [](Transform&, Buffer, TransformCallback next) {
        next(test::failure("malformed frame"));
      }});
  std::vector<std::string> events;
  stream->on(events::error,
             [&](const std::exception_ptr& e) { events.push_back("error " + errorMessage(e)); });
  stream->on(events::close, [&] { events.push_back("close"); });
  stream->write(bytes("x"),
                [&](std::exception_ptr e) { events.push_back("write " + errorMessage(e)); });
  settle(io);
  CHECK(events ==
        std::vector<std::string>{"write malformed frame", "error malformed frame", "close"});
}

TEST_CASE("Transform: what _transform throws fails the stream") {
  asio::io_context io;
  auto stream = std::make_shared<Transform>(
      io, TransformOptions{.transform = [](Transform&, Buffer, TransformCallback) {
        throw DecodeError("Car.model: length 9 at byte 3 runs past the end (5 bytes)");
      }});
  std::exception_ptr error;
  stream->on(events::error, [&](const std::exception_ptr& e) { error = e; });
  stream->write(bytes("12345"));
  settle(io);
  REQUIRE(error);
  CHECK_THROWS_AS(std::rethrow_exception(error), DecodeError);
}

TEST_CASE("Transform: a flush error fails end() and the stream, without 'end'") {
  asio::io_context io;
  auto stream = std::make_shared<Transform>(
      io,
      TransformOptions{
          .transform = [](Transform&, Buffer chunk,
                          TransformCallback next) { next(std::move(chunk)); },
          .flush = [](Transform&, TransformCallback next) { next(test::failure("truncated")); }});
  std::vector<std::string> events;
  stream->on(events::data, [&](const Buffer& chunk) { events.push_back(text(chunk)); });
  stream->on(events::end, [&] { events.push_back("end"); });
  stream->on(events::error,
             [&](const std::exception_ptr& e) { events.push_back("error " + errorMessage(e)); });
  stream->end(bytes("whole"),
              [&](std::exception_ptr e) { events.push_back("end callback " + errorMessage(e)); });
  settle(io);
  // end() registers its callback after _final has failed (synchronously), so
  // the callback's tick comes after the error's, as in Node.
  CHECK(events == std::vector<std::string>{"whole", "error truncated", "end callback truncated"});
}

TEST_CASE("Transform: without _transform, ERR_METHOD_NOT_IMPLEMENTED") {
  asio::io_context io;
  auto stream = std::make_shared<Transform>(io);
  std::exception_ptr error;
  stream->on(events::error, [&](const std::exception_ptr& e) { error = e; });
  stream->write(bytes("x"));
  settle(io);
  CHECK(test::code(error) == "ERR_METHOD_NOT_IMPLEMENTED");
}

TEST_CASE("Transform: a readable highWaterMark of 0 disables writable buffering too") {
  asio::io_context io;
  auto stream = std::make_shared<PassThrough>(io, TransformOptions{.readableHighWaterMark = 0});
  CHECK(stream->readableHighWaterMark() == 0);
  CHECK(stream->writableHighWaterMark() == 0);
  auto explicitWritable = std::make_shared<PassThrough>(
      io, TransformOptions{.readableHighWaterMark = 0, .writableHighWaterMark = 8});
  CHECK(explicitWritable->writableHighWaterMark() == 8);
}

TEST_CASE("PassThrough: chunks come out unchanged, not copied, in order") {
  asio::io_context io;
  auto stream = std::make_shared<PassThrough>(io);
  const std::vector<Buffer> chunks = {Buffer::allocUnsafeSlow(3), Buffer::allocUnsafeSlow(5)};
  std::vector<const std::byte*> seen;
  stream->on(events::data, [&](const Buffer& chunk) { seen.push_back(chunk.data()); });
  bool ended = false;
  stream->on(events::end, [&] { ended = true; });
  for (const Buffer& chunk : chunks)
    stream->write(chunk);
  stream->end();
  settle(io);
  CHECK(seen == std::vector<const std::byte*>{chunks[0].data(), chunks[1].data()});
  CHECK(ended);
}

// The subclass form, as framing writes it: splits text into lines.
class LineSplitter : public Transform {
 public:
  explicit LineSplitter(asio::io_context& io)
      : Transform(io, TransformOptions{.readableObjectMode = true}) {}

 protected:
  void _transform(Buffer chunk, TransformCallback callback) override {
    partial_ += text(chunk);
    for (std::size_t end; (end = partial_.find('\n')) != std::string::npos;) {
      push(bytes(partial_.substr(0, end)));
      partial_.erase(0, end + 1);
    }
    callback();
  }
  void _flush(TransformCallback callback) override {
    if (partial_.empty()) {
      callback();
    } else {
      callback(bytes(partial_));
    }
  }

 private:
  std::string partial_;
};

TEST_CASE("Transform subclass: _transform and _flush") {
  asio::io_context io;
  auto splitter = std::make_shared<LineSplitter>(io);
  std::vector<std::string> lines;
  splitter->on(events::data, [&](const Buffer& line) { lines.push_back(text(line)); });
  splitter->write(bytes("one\ntw"));
  splitter->write(bytes("o\nthree"));
  splitter->end();
  settle(io);
  CHECK(lines == std::vector<std::string>{"one", "two", "three"});
}

TEST_CASE("Transform: a kept TransformCallback keeps its stream alive") {
  asio::io_context io;
  std::vector<TransformCallback> kept;
  std::weak_ptr<Transform> weak;
  std::string output;
  {
    auto stream = std::make_shared<Transform>(
        io, TransformOptions{.transform = [&](Transform&, Buffer, const TransformCallback& done) {
          kept.push_back(done);
        }});
    stream->on(events::data, [&](const Buffer& chunk) { output += text(chunk); });
    stream->end(bytes("in"));
    weak = stream;
  }
  settle(io);
  REQUIRE(kept.size() == 1);
  kept.front()(bytes("out"));
  kept.clear();
  settle(io);
  CHECK(output == "out");
  CHECK(weak.expired());
}

}  // namespace
}  // namespace wirekit
