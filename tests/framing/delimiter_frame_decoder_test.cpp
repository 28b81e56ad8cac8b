// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "framing_test_support.hpp"
#include "wirekit/error.hpp"
#include "wirekit/framing/delimiter_frame_decoder.hpp"

using namespace wirekit;
using namespace wirekit::test;

namespace {

DecoderFactory delimited(const DelimiterDecoderOptions& options) {
  return [options] { return std::make_unique<DelimiterFrameDecoder>(options); };
}

}  // namespace

// Netty's DelimiterBasedFrameDecoder tests.

TEST_CASE("lines, delimiters stripped") {
  requireSameForEverySplit(delimited(DelimiterDecoderOptions::lines()), "TestLine\r\ng\r\n",
                           framesOnly({"TestLine", "g"}));
}

TEST_CASE("lines, delimiters kept") {
  DelimiterDecoderOptions options = DelimiterDecoderOptions::lines();
  options.stripDelimiter = false;
  requireSameForEverySplit(delimited(options), "TestLine\r\ng\r\n",
                           framesOnly({"TestLine\r\n", "g\r\n"}));
}

TEST_CASE("an incomplete line waits for the rest") {
  DelimiterFrameDecoder decoder(DelimiterDecoderOptions::lines());
  decoder.push(bytesOf("Test"));
  CHECK_FALSE(decoder.next());
  decoder.push(bytesOf("Line\r\ng\r\n"));
  std::optional<Buffer> frame = decoder.next();
  REQUIRE(frame);
  CHECK(stringOf(*frame) == "TestLine");
  frame = decoder.next();
  REQUIRE(frame);
  CHECK(stringOf(*frame) == "g");
  CHECK_FALSE(decoder.next());
  decoder.end();
}

TEST_CASE("CRLF and LF mixed, a last line without its delimiter is an error at the end") {
  const DecodeOutcome outcome = decodeChunks(delimited(DelimiterDecoderOptions::lines()),
                                             {bytesOf("first\r\nsecond\nthird")});
  CHECK(outcome.frames() == std::vector<std::string>{"first", "second"});
  CHECK(outcome.failed);
  CHECK(outcome.failureOffset == 14);
  CHECK(outcome.failureMessage ==
        "frame at stream offset 14: the stream ended after 5 bytes without a delimiter");
}

TEST_CASE("fail-slow recovery from a too-long frame (Netty's testFailSlowTooLongFrameRecovery)") {
  DelimiterFrameDecoder decoder({.delimiters = {std::string(1, '\0')},
                                 .maxFrameLength = 1,
                                 .failFast = false,
                                 .discardMode = true});
  std::vector<std::string> reports;
  decoder.onDiscard([&](const FrameError& error) { reports.emplace_back(error.what()); });
  decoder.push(Buffer::from({1, 2}));
  CHECK_FALSE(decoder.next());
  CHECK(reports.empty());
  decoder.push(Buffer::from({0}));
  CHECK_FALSE(decoder.next());
  CHECK(reports ==
        std::vector<std::string>{"frame at stream offset 0: length 2 exceeds the maximum 1"});
  decoder.push(Buffer::from({'A', 0}));
  const std::optional<Buffer> frame = decoder.next();
  REQUIRE(frame);
  CHECK(stringOf(*frame) == "A");
}

TEST_CASE("fail-fast recovery from a too-long frame (Netty's testFailFastTooLongFrameRecovery)") {
  DelimiterFrameDecoder decoder(
      {.delimiters = {std::string(1, '\0')}, .maxFrameLength = 1, .discardMode = true});
  std::vector<std::string> reports;
  decoder.onDiscard([&](const FrameError& error) { reports.emplace_back(error.what()); });
  decoder.push(Buffer::from({1, 2}));
  CHECK_FALSE(decoder.next());
  CHECK(reports == std::vector<std::string>{
                       "frame at stream offset 0: no delimiter within the maximum frame length 1"});
  decoder.push(Buffer::from({0}));
  CHECK_FALSE(decoder.next());
  CHECK(reports.size() == 1);
  decoder.push(Buffer::from({'A', 0}));
  const std::optional<Buffer> frame = decoder.next();
  REQUIRE(frame);
  CHECK(stringOf(*frame) == "A");
}

// The same frames however the bytes arrive.

TEST_CASE("a delimiter split across chunks, in every split") {
  std::string stream;
  std::vector<std::string> lines;
  for (int i = 0; i < 12; ++i) {
    const std::string line(static_cast<std::size_t>(i % 5), static_cast<char>('a' + i));
    lines.push_back(line);
    stream += line + (i % 3 == 0 ? "\n" : "\r\n");
  }
  requireSameForEverySplit(delimited(DelimiterDecoderOptions::lines()), stream, framesOnly(lines));
}

TEST_CASE("multi-byte delimiters that overlap themselves") {
  // "ABAB" inside "ABABAB": the first match wins.
  requireSameForEverySplit(delimited({.delimiters = {"ABAB"}}), "xABABAByABAB",
                           framesOnly({"x", "ABy"}));
}

TEST_CASE("a delimiter longer than the chunks that bring it") {
  // 24 bytes: a byte at a time it spans more chunks than the decoder keeps.
  const std::string boundary = "--boundary-0123456789--\n";
  requireSameForEverySplit(delimited({.delimiters = {boundary}}),
                           "part one" + boundary + boundary + "-- not the boundary --" + boundary,
                           framesOnly({"part one", "", "-- not the boundary --"}));
}

TEST_CASE("the delimiter giving the shortest frame wins, whatever the chunks") {
  // "bcd" starts before "c": the frame is "x", then "e".
  requireSameForEverySplit(delimited({.delimiters = {"c", "bcd"}}), "xbcde|c",
                           framesOnly({"x", "e|"}));
}

TEST_CASE("of two delimiters starting at the same byte, the one listed first wins") {
  requireSameForEverySplit(delimited({.delimiters = {"\r\n", "\r"}, .stripDelimiter = false}),
                           "ab\r\ncd\re\r\n", framesOnly({"ab\r\n", "cd\r", "e\r\n"}));
  requireSameForEverySplit(delimited({.delimiters = {"\r", "\r\n"}, .stripDelimiter = false}),
                           "ab\r\ncd\r", framesOnly({"ab\r", "\ncd\r"}));
}

// Too-long frames.

namespace {

const std::string streamWithLongLine = "short\n" + std::string(30, 'L') + "\nnext\n";

}  // namespace

TEST_CASE("discard mode skips a too-long frame and goes on, in every split") {
  for (bool failFast : {true, false}) {
    INFO("failFast " << failFast);
    DecodeOutcome expected;
    expected.events = {{"short"}, {"", true, 6, 10}, {"next"}};
    requireSameForEverySplit(delimited({.delimiters = {"\n"},
                                        .maxFrameLength = 10,
                                        .failFast = failFast,
                                        .discardMode = true}),
                             streamWithLongLine, expected);
  }
}

TEST_CASE("without discard mode a too-long frame is fatal, in every split") {
  for (bool failFast : {true, false}) {
    INFO("failFast " << failFast);
    DecodeOutcome expected;
    expected.events = {{"short"}};
    expected.failed = true;
    expected.failureOffset = 6;
    expected.failureLimit = 10;
    requireSameForEverySplit(
        delimited({.delimiters = {"\n"}, .maxFrameLength = 10, .failFast = failFast}),
        streamWithLongLine, expected);
  }
}

TEST_CASE("a frame of exactly the maximum is accepted, also when its delimiter is split") {
  requireSameForEverySplit(delimited({.delimiters = {"\r\n"}, .maxFrameLength = 4}),
                           "abcd\r\nabcde\r\nab\r\n", [] {
                             DecodeOutcome expected = framesOnly({"abcd"});
                             expected.failed = true;
                             expected.failureOffset = 6;
                             expected.failureLimit = 4;
                             return expected;
                           }());
}

TEST_CASE("a too-long frame is skipped without being buffered") {
  DelimiterFrameDecoder decoder(
      {.delimiters = {"\r\n"}, .maxFrameLength = 100, .discardMode = true});
  for (int i = 0; i < 1000; ++i) {
    decoder.push(bytesOf(std::string(50, 'x')));
    REQUIRE_FALSE(decoder.next());
    REQUIRE(decoder.bufferedBytes() <= 101);
  }
  decoder.push(bytesOf("\r\nok\r\n"));
  const std::optional<Buffer> frame = decoder.next();
  REQUIRE(frame);
  CHECK(stringOf(*frame) == "ok");
  CHECK(decoder.discardedFrames() == 1);
}

// Zero copy and many small chunks.

TEST_CASE("a line inside one chunk is a subarray of it") {
  DelimiterFrameDecoder decoder(DelimiterDecoderOptions::lines());
  const Buffer chunk = bytesOf("one\r\ntwo\nthr");
  decoder.push(chunk);
  for (const char* expected : {"one", "two"}) {
    const std::optional<Buffer> frame = decoder.next();
    REQUIRE(frame);
    CHECK(stringOf(*frame) == expected);
    CHECK(frame->buffer().sameAs(chunk.buffer()));
  }
  CHECK_FALSE(decoder.next());
  const Buffer rest = bytesOf("ee\n");
  decoder.push(rest);
  const std::optional<Buffer> across = decoder.next();
  REQUIRE(across);
  CHECK(stringOf(*across) == "three");
  CHECK_FALSE(across->buffer().sameAs(chunk.buffer()));
  CHECK_FALSE(across->buffer().sameAs(rest.buffer()));
}

TEST_CASE("a long line arriving a byte at a time") {
  std::string line;
  for (int i = 0; i < 50000; ++i)
    line += static_cast<char>('a' + i % 26);
  DelimiterFrameDecoder decoder({.delimiters = {"\r\n"}});
  const std::string stream = line + "\r\n";
  int frames = 0;
  for (char byte : stream) {
    decoder.push(bytesOf(std::string(1, byte)));
    if (std::optional<Buffer> frame = decoder.next()) {
      ++frames;
      CHECK(stringOf(*frame) == line);
      CHECK(decoder.streamOffset() == stream.size());
    }
  }
  CHECK(frames == 1);
  CHECK(decoder.bufferedBytes() == 0);
  decoder.end();
}

TEST_CASE("delimiter options that cannot work are rejected") {
  CHECK_THROWS_AS(DelimiterFrameDecoder({}), RangeError);
  CHECK_THROWS_AS(DelimiterFrameDecoder({.delimiters = {"\n", ""}}), RangeError);
  CHECK_THROWS_AS(DelimiterFrameDecoder({.delimiters = {"\n"}, .maxFrameLength = 0}), RangeError);
}

TEST_CASE("a match held back for a longer delimiter is settled at the end of the stream") {
  const DelimiterDecoderOptions options{.delimiters = {"\r\n\r\n", "\r\n"}};
  requireSameForEverySplit(delimited(options), "GET\r\n", framesOnly({"GET"}));
  // "\r\n\r" may still have become "\r\n\r\n": "GET" is held, then the lone "\r"
  // is a frame without a delimiter.
  DecodeOutcome cut = framesOnly({"GET"});
  cut.failed = true;
  cut.failureOffset = 5;
  cut.failureLimit = options.maxFrameLength;
  cut.failureMessage =
      "frame at stream offset 5: the stream ended after 1 bytes without a delimiter";
  requireSameForEverySplit(delimited(options), "GET\r\n\r", cut);
  // Several frames held behind one another: "bbb" may still have become "bbbb".
  requireSameForEverySplit(delimited({.delimiters = {"bbbb", "b"}}), "xbbb",
                           framesOnly({"x", "", ""}));

  DelimiterFrameDecoder decoder(options);
  decoder.push(bytesOf("GET\r\n"));
  CHECK_FALSE(decoder.next());  // "\r\n\r\n" may still come
  decoder.end();
  const std::optional<Buffer> frame = decoder.next();
  REQUIRE(frame);
  CHECK(stringOf(*frame) == "GET");
  CHECK_FALSE(decoder.next());
}

TEST_CASE("a fail-fast too-long frame gives the same error however its bytes arrive") {
  const std::string stream = "ab\nabcdefgh\nc\n";
  const std::string message =
      "frame at stream offset 3: no delimiter within the maximum frame length 4";
  DecodeOutcome fatal = framesOnly({"ab"});
  fatal.failed = true;
  fatal.failureOffset = 3;
  fatal.failureLimit = 4;
  fatal.failureMessage = message;
  requireSameForEverySplit(delimited({.delimiters = {"\n"}, .maxFrameLength = 4}), stream, fatal);

  // In discard mode, the report.
  for (const std::size_t chunkSize : {stream.size(), std::size_t{1}}) {
    INFO("chunk size " << chunkSize);
    DelimiterFrameDecoder decoder({.delimiters = {"\n"}, .maxFrameLength = 4, .discardMode = true});
    std::vector<std::string> reports;
    decoder.onDiscard([&](const FrameError& error) { reports.emplace_back(error.what()); });
    std::vector<std::string> frames;
    for (std::size_t at = 0; at < stream.size(); at += chunkSize) {
      decoder.push(bytesOf(stream.substr(at, chunkSize)));
      while (const std::optional<Buffer> frame = decoder.next())
        frames.push_back(stringOf(*frame));
    }
    decoder.end();
    CHECK(frames == std::vector<std::string>{"ab", "c"});
    CHECK(reports == std::vector<std::string>{message});
  }
}

TEST_CASE("heldBytes: the queued bytes, and the room of the buffer they are gathered in") {
  DelimiterFrameDecoder decoder(DelimiterDecoderOptions::lines());
  decoder.push(bytesOf("no line yet"));
  CHECK_FALSE(decoder.next());
  CHECK(decoder.heldBytes() == 11);
  // Many small chunks are gathered into one buffer with room to spare: the
  // room is held too.
  for (int i = 0; i < 20; ++i)
    decoder.push(bytesOf("ab"));
  CHECK_FALSE(decoder.next());
  CHECK(decoder.bufferedBytes() == 51);
  CHECK(decoder.heldBytes() >= 4096);
  decoder.push(bytesOf("\n"));
  REQUIRE(decoder.next());
  CHECK_FALSE(decoder.next());
  CHECK(decoder.bufferedBytes() == 0);
}
