// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include <exception>
#include <memory>
#include <string>
#include <vector>

#include "../stream/stream_test_support.hpp"
#include "framing_test_support.hpp"
#include "wirekit/error.hpp"
#include "wirekit/framing/frame_decoder_stream.hpp"
#include "wirekit/framing/frame_encoder_stream.hpp"
#include "wirekit/stream/memory_budget.hpp"
#include "wirekit/stream/readable.hpp"
#include "wirekit/stream/writable.hpp"

using namespace wirekit;
using namespace wirekit::test;

namespace {

std::string sofhFrame(const std::string& body) {
  return uintBytes(6 + body.size(), 4) + uintBytes(0xEB50, 2) + body;
}

// What a frame stream emitted, in order.
struct Seen {
  std::vector<Buffer> data;
  std::vector<std::string> discarded;
  std::exception_ptr error;
  bool ended = false;
  bool closed = false;

  [[nodiscard]] std::vector<std::string> strings() const {
    std::vector<std::string> out;
    for (const Buffer& chunk : data)
      out.push_back(stringOf(chunk));
    return out;
  }
};

template <class S>
void watch(S& stream, Seen& seen) {
  stream.on(events::data, [&seen](const Buffer& chunk) { seen.data.push_back(chunk); });
  stream.on(events::frameDiscarded,
            [&seen](const FrameError& error) { seen.discarded.emplace_back(error.what()); });
  stream.on(events::error, [&seen](const std::exception_ptr& error) { seen.error = error; });
  stream.on(events::end, [&seen] { seen.ended = true; });
  stream.on(events::close, [&seen] { seen.closed = true; });
}

// The FrameError inside error; fails the test if it is something else.
FrameError frameErrorOf(const std::exception_ptr& error) {
  REQUIRE(error);
  try {
    std::rethrow_exception(error);
  } catch (const FrameError& frameError) {
    return frameError;
  } catch (...) {
    FAIL("not a FrameError: " << errorMessage(error));
  }
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("FrameDecoderStream: one chunk on the readable side per frame, however the bytes come") {
  const std::string stream = sofhFrame("alpha") + sofhFrame("") + sofhFrame("gamma, longer");
  for (const std::vector<Buffer>& chunks :
       {std::vector<Buffer>{bytesOf(stream)}, splitAt(stream, {3, 9, 10, 20}),
        splitAt(stream, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18})}) {
    INFO(describe(chunks));
    asio::io_context io;
    auto frames = std::make_shared<FrameDecoderStream>(io);
    Seen seen;
    watch(*frames, seen);
    for (const Buffer& chunk : chunks)
      frames->write(chunk);
    frames->end();
    settle(io);
    CHECK(frames->readableObjectMode());
    CHECK_FALSE(frames->writableObjectMode());
    CHECK(seen.strings() == std::vector<std::string>{"alpha", "", "gamma, longer"});
    CHECK(seen.ended);
    CHECK_FALSE(seen.error);
    CHECK(frames->decoder().streamOffset() == stream.size());
  }
}

TEST_CASE("FrameDecoderStream: a frame inside a written chunk is a subarray of it") {
  asio::io_context io;
  auto frames = std::make_shared<FrameDecoderStream>(io);
  Seen seen;
  watch(*frames, seen);
  const Buffer chunk = bytesOf(sofhFrame("one") + sofhFrame("two"));
  frames->write(chunk);
  frames->end();
  settle(io);
  REQUIRE(seen.data.size() == 2);
  for (const Buffer& frame : seen.data)
    CHECK(frame.buffer().sameAs(chunk.buffer()));
}

TEST_CASE("FrameDecoderStream: a bad frame is an 'error' naming its offset and the limit") {
  asio::io_context io;
  LengthFieldDecoderOptions options = LengthFieldDecoderOptions::sofh();
  options.maxFrameLength = 64;
  auto frames = std::make_shared<FrameDecoderStream>(io, options);
  Seen seen;
  watch(*frames, seen);
  frames->write(bytesOf(sofhFrame("ok") + sofhFrame(std::string(100, 'x')) + sofhFrame("lost")));
  frames->end();
  settle(io);
  CHECK(seen.strings() == std::vector<std::string>{"ok"});
  const FrameError error = frameErrorOf(seen.error);
  CHECK(error.streamOffset() == 8);
  CHECK(error.limit() == 64);
  CHECK(std::string(error.what()) == "frame at stream offset 8: length 106 exceeds the maximum 64");
  CHECK_FALSE(seen.ended);
  CHECK(seen.closed);
  CHECK(frames->destroyed());
}

TEST_CASE(
    "FrameDecoderStream in discard mode reports bad frames with 'frameDiscarded' and goes on") {
  asio::io_context io;
  LengthFieldDecoderOptions options = LengthFieldDecoderOptions::sofh();
  options.maxFrameLength = 64;
  options.discardMode = true;
  auto frames = std::make_shared<FrameDecoderStream>(io, options);
  Seen seen;
  watch(*frames, seen);
  const std::string wrongType = uintBytes(9, 4) + uintBytes(0x5BE0, 2) + "big";
  frames->write(bytesOf(sofhFrame("ok") + sofhFrame(std::string(100, 'x'))));
  frames->write(bytesOf(wrongType + sofhFrame("still here")));
  frames->end();
  settle(io);
  CHECK(seen.strings() == std::vector<std::string>{"ok", "still here"});
  CHECK(seen.discarded ==
        std::vector<std::string>{"frame at stream offset 8: length 106 exceeds the maximum 64",
                                 "frame at stream offset 114: encoding type 0x5BE0 is not the "
                                 "expected 0xEB50"});
  CHECK(frames->decoder().discardedFrames() == 2);
  CHECK_FALSE(seen.error);
  CHECK(seen.ended);
}

TEST_CASE("FrameDecoderStream: input that ends inside a frame is an error after the whole frames") {
  asio::io_context io;
  auto frames = std::make_shared<FrameDecoderStream>(io);
  Seen seen;
  watch(*frames, seen);
  const std::string cut = sofhFrame("complete") + sofhFrame("cut short").substr(0, 10);
  frames->write(bytesOf(cut));
  frames->end();
  settle(io);
  CHECK(seen.strings() == std::vector<std::string>{"complete"});
  const FrameError error = frameErrorOf(seen.error);
  CHECK(error.streamOffset() == 14);
  CHECK(error.limit() == 15);
  CHECK(std::string(error.what()) ==
        "frame at stream offset 14: the stream ended after 10 of its 15 bytes");
  CHECK_FALSE(seen.ended);
}

TEST_CASE("FrameDecoderStream with delimiters") {
  asio::io_context io;
  auto lines = std::make_shared<FrameDecoderStream>(io, DelimiterDecoderOptions::lines());
  Seen seen;
  watch(*lines, seen);
  lines->write(bytesOf("first\r\nsec"));
  lines->write(bytesOf("ond\nthird\r"));
  lines->write(bytesOf("\n"));
  lines->end();
  settle(io);
  CHECK(seen.strings() == std::vector<std::string>{"first", "second", "third"});
  CHECK(seen.ended);
}

TEST_CASE("FrameDecoderStream: a frame held back for a longer delimiter comes out at the end") {
  asio::io_context io;
  auto requests = std::make_shared<FrameDecoderStream>(
      io, DelimiterDecoderOptions{.delimiters = {"\r\n\r\n", "\r\n"}});
  Seen seen;
  watch(*requests, seen);
  requests->write(bytesOf("GET\r\n"));  // "\r\n\r\n" may still come
  settle(io);
  CHECK(seen.data.empty());
  requests->end();
  settle(io);
  CHECK(seen.strings() == std::vector<std::string>{"GET"});
  CHECK(seen.ended);
  CHECK_FALSE(seen.error);
}

TEST_CASE("FrameEncoderStream: a header chunk, then the body itself") {
  asio::io_context io;
  auto framer = std::make_shared<FrameEncoderStream>(io);
  Seen seen;
  watch(*framer, seen);
  const Buffer body = bytesOf("0123456789");
  framer->write(body);
  framer->end();
  settle(io);
  CHECK(framer->writableObjectMode());
  CHECK_FALSE(framer->readableObjectMode());
  REQUIRE(seen.data.size() == 2);
  CHECK(stringOf(seen.data[0]) == std::string("\x00\x00\x00\x10\xEB\x50", 6));
  CHECK(seen.data[1].buffer().sameAs(body.buffer()));
  CHECK(seen.data[1].byteOffset() == body.byteOffset());
  CHECK(seen.data[1].length() == body.length());
  CHECK(seen.ended);
}

TEST_CASE("FrameEncoderStream: a body the length field cannot hold is an EncodeError") {
  asio::io_context io;
  auto framer =
      std::make_shared<FrameEncoderStream>(io, LengthFieldEncoderOptions{.lengthFieldLength = 1});
  Seen seen;
  watch(*framer, seen);
  framer->write(Buffer::alloc(300));
  settle(io);
  REQUIRE(seen.error);
  CHECK_THROWS_AS(std::rethrow_exception(seen.error), EncodeError);
  CHECK(seen.data.empty());
}

TEST_CASE("encoder piped into decoder: the bodies come back, the same in every chunking") {
  for (const LengthFieldEncoderOptions& encoding :
       {LengthFieldEncoderOptions::sofh(), LengthFieldEncoderOptions::u32(ByteOrder::little)}) {
    asio::io_context io;
    auto framer = std::make_shared<FrameEncoderStream>(io, encoding);
    const LengthFieldDecoderOptions decoding =
        encoding.headerField ? LengthFieldDecoderOptions::sofh()
                             : LengthFieldDecoderOptions::u32(ByteOrder::little);
    auto frames = std::make_shared<FrameDecoderStream>(io, decoding);
    Seen seen;
    watch(*frames, seen);
    framer->pipe(frames);
    std::vector<std::string> bodies;
    for (int i = 0; i < 200; ++i) {
      bodies.emplace_back(static_cast<std::size_t>(i % 37), static_cast<char>('a' + i % 26));
      framer->write(bytesOf(bodies.back()));
    }
    framer->end();
    settle(io);
    CHECK(seen.strings() == bodies);
    CHECK(seen.ended);
    CHECK_FALSE(seen.error);
  }
}

TEST_CASE("FrameDecoderStream: its decoder's bytes are charged to its memory account") {
  asio::io_context io;
  auto budget = std::make_shared<MemoryBudget>();
  auto account = budget->open(nullptr);
  auto frames = std::make_shared<FrameDecoderStream>(io);
  frames->setMemoryAccount(account);
  frames->on(events::data, [](const Buffer&) {});
  // Part of a frame: its header and 10 of its 94 bytes, assembled in a
  // buffer of the frame's length (shorter than the first 64 KiB).
  frames->write(bytesOf(sofhFrame(std::string(94, 'x')).substr(0, 16)));
  settle(io);
  CHECK(account->bytes() == 94);
  frames->write(bytesOf(std::string(84, 'x')));
  settle(io);
  CHECK(account->bytes() == 0);
  // The peak: the second chunk queued on the writable side while the
  // decoder held the first part.
  CHECK(budget->peakBytes() == 94 + 84);
}
