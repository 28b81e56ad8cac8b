// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "../process_memory.hpp"
#include "framing_test_support.hpp"
#include "wirekit/error.hpp"
#include "wirekit/framing/length_field_frame_decoder.hpp"

using namespace wirekit;
using namespace wirekit::test;

namespace {

DecoderFactory lengthField(const LengthFieldDecoderOptions& options) {
  return [options] { return std::make_unique<LengthFieldFrameDecoder>(options); };
}

const std::string hello = "HELLO, WORLD";

}  // namespace

// The seven examples of Netty's LengthFieldBasedFrameDecoder javadoc, each fed
// whole, in every two-chunk split, a byte at a time and in random chunks.

TEST_CASE("javadoc: 2-byte length at offset 0, header kept") {
  const std::string frame = uintBytes(12, 2) + hello;
  requireSameForEverySplit(lengthField({.lengthFieldLength = 2}), frame, framesOnly({frame}));
}

TEST_CASE("javadoc: 2-byte length at offset 0, header stripped") {
  const std::string frame = uintBytes(12, 2) + hello;
  requireSameForEverySplit(lengthField({.lengthFieldLength = 2, .initialBytesToStrip = 2}), frame,
                           framesOnly({hello}));
}

TEST_CASE("javadoc: 2-byte length of the whole message, header kept") {
  const std::string frame = uintBytes(14, 2) + hello;
  requireSameForEverySplit(lengthField({.lengthFieldLength = 2, .lengthAdjustment = -2}), frame,
                           framesOnly({frame}));
}

TEST_CASE("lengthIncludesHeader: the field counts the whole frame, wherever it is") {
  // CME MDP 3.0's message size: u16 LE 0x000E = 14 = 2 + 12, stripped.
  const std::string cme = uintBytes(14, 2, false) + hello;
  requireSameForEverySplit(lengthField({.lengthFieldLength = 2,
                                        .byteOrder = ByteOrder::little,
                                        .lengthIncludesHeader = true,
                                        .initialBytesToStrip = 2}),
                           cme + cme, framesOnly({hello, hello}));
  // After a 2-byte prefix: 0x0010 = 16 = 2 + 2 + 12, and an adjustment still applies.
  const std::string offset = std::string("\xCA\xFE", 2) + uintBytes(16, 2) + hello;
  requireSameForEverySplit(
      lengthField({.lengthFieldOffset = 2, .lengthFieldLength = 2, .lengthIncludesHeader = true}),
      offset, framesOnly({offset}));
  const std::string adjusted = uintBytes(13, 2) + hello;
  requireSameForEverySplit(
      lengthField({.lengthFieldLength = 2, .lengthAdjustment = 1, .lengthIncludesHeader = true}),
      adjusted, framesOnly({adjusted}));
  // A field below its own header (1 < 2) cannot be a frame.
  LengthFieldFrameDecoder decoder({.lengthFieldLength = 2, .lengthIncludesHeader = true});
  decoder.push(bytesOf(uintBytes(1, 2) + "x"));
  CHECK_THROWS_WITH(decoder.next(),
                    "frame at stream offset 0: length field 1 gives a frame "
                    "length of 1, below the minimum 2 (its header)");
}

TEST_CASE("javadoc: 3-byte length at the end of a 5-byte header") {
  const std::string frame = std::string("\xCA\xFE\x00\x00\x0C", 5) + hello;
  requireSameForEverySplit(lengthField({.lengthFieldOffset = 2, .lengthFieldLength = 3}), frame,
                           framesOnly({frame}));
}

TEST_CASE("javadoc: 3-byte length at the start of a 5-byte header") {
  const std::string frame = std::string("\x00\x00\x0C\xCA\xFE", 5) + hello;
  requireSameForEverySplit(lengthField({.lengthFieldLength = 3, .lengthAdjustment = 2}), frame,
                           framesOnly({frame}));
}

TEST_CASE("javadoc: 2-byte length at offset 1 of a 4-byte header, first 3 bytes stripped") {
  const std::string frame = std::string("\xCA\x00\x0C\xFE", 4) + hello;
  requireSameForEverySplit(lengthField({.lengthFieldOffset = 1,
                                        .lengthFieldLength = 2,
                                        .lengthAdjustment = 1,
                                        .initialBytesToStrip = 3}),
                           frame, framesOnly({"\xFE" + hello}));
}

TEST_CASE("javadoc: 2-byte length of the whole message at offset 1, first 3 bytes stripped") {
  const std::string frame = std::string("\xCA\x00\x10\xFE", 4) + hello;
  requireSameForEverySplit(lengthField({.lengthFieldOffset = 1,
                                        .lengthFieldLength = 2,
                                        .lengthAdjustment = -3,
                                        .initialBytesToStrip = 3}),
                           frame, framesOnly({"\xFE" + hello}));
}

// Many frames of many lengths, for every length field size in both orders.

TEST_CASE("1-, 2-, 3-, 4- and 8-byte length fields in both byte orders, however the bytes arrive") {
  for (std::size_t size : {1, 2, 3, 4, 8}) {
    for (bool bigEndian : {true, false}) {
      INFO("length field of " << size << " bytes, " << (bigEndian ? "big" : "little") << "-endian");
      std::string stream;
      std::vector<std::string> bodies;
      for (std::size_t length : {0, 1, 2, 7, 3, 40, 0, 5, 200}) {
        std::string body;
        for (std::size_t i = 0; i < length; ++i)
          body += static_cast<char>('a' + (i + bodies.size()) % 26);
        bodies.push_back(body);
        stream += uintBytes(length, size, bigEndian) + body;
      }
      const LengthFieldDecoderOptions options{
          .lengthFieldLength = size,
          .byteOrder = bigEndian ? ByteOrder::big : ByteOrder::little,
          .initialBytesToStrip = size};
      requireSameForEverySplit(lengthField(options), stream, framesOnly(bodies));
    }
  }
}

TEST_CASE("the length field is read in the configured byte order") {
  // 0x0102 big-endian is 258, little-endian 513.
  const std::string body(258, 'x');
  const std::string big = "\x01\x02" + body;
  CHECK(
      decodeChunks(lengthField({.lengthFieldLength = 2, .initialBytesToStrip = 2}), {bytesOf(big)})
          .frames() == std::vector<std::string>{body});
  const DecodeOutcome little = decodeChunks(
      lengthField(
          {.lengthFieldLength = 2, .byteOrder = ByteOrder::little, .initialBytesToStrip = 2}),
      {bytesOf(big)});
  // 513 bytes wanted, 258 there: the stream ends inside the frame.
  CHECK(little.events.empty());
  CHECK(little.failed);
  CHECK(little.failureLimit == 515);
}

TEST_CASE("a header longer than the chunks that bring it, however the bytes arrive") {
  // A 40-byte prefix before the length field: a byte at a time, the header
  // spans more chunks than the decoder keeps, so they are gathered.
  const std::string prefix(40, 'p');
  std::string stream;
  std::vector<std::string> bodies;
  for (std::size_t length : {3, 0, 25}) {
    bodies.emplace_back(length, static_cast<char>('A' + length % 26));
    stream += prefix + uintBytes(length, 2, false) + bodies.back();
  }
  requireSameForEverySplit(lengthField({.lengthFieldOffset = 40,
                                        .lengthFieldLength = 2,
                                        .byteOrder = ByteOrder::little,
                                        .initialBytesToStrip = 42}),
                           stream, framesOnly(bodies));
}

TEST_CASE("a negative adjustment: the length counts a header before the body") {
  // 8-byte header: 2 bytes of tag, 2-byte length of the whole frame, 4 bytes of
  // sequence number.
  std::string stream;
  std::vector<std::string> frames;
  for (int i = 0; i < 6; ++i) {
    const std::string body(static_cast<std::size_t>(i * 3), static_cast<char>('A' + i));
    const std::string frame = "TG" + uintBytes(8 + body.size(), 2) + uintBytes(1000 + i, 4) + body;
    frames.push_back(frame.substr(4));
    stream += frame;
  }
  requireSameForEverySplit(lengthField({.lengthFieldOffset = 2,
                                        .lengthFieldLength = 2,
                                        .lengthAdjustment = -4,
                                        .initialBytesToStrip = 4}),
                           stream, framesOnly(frames));
}

TEST_CASE("strip counts below, at and past the end of the header") {
  const std::string frame = uintBytes(5, 2) + "abcde";
  for (std::size_t strip = 0; strip <= frame.size(); ++strip) {
    INFO("strip " << strip);
    requireSameForEverySplit(lengthField({.lengthFieldLength = 2, .initialBytesToStrip = strip}),
                             frame + frame, framesOnly({frame.substr(strip), frame.substr(strip)}));
  }
}

TEST_CASE("a frame shorter than the bytes to strip is a bad frame") {
  const std::string stream = uintBytes(1, 2) + "x" + uintBytes(3, 2) + "abc";
  const auto options = LengthFieldDecoderOptions{
      .lengthFieldLength = 2, .initialBytesToStrip = 4, .discardMode = true};
  DecodeOutcome expected;
  expected.events.push_back({"", true, 0, 4});
  expected.events.push_back({"c"});
  requireSameForEverySplit(lengthField(options), stream, expected);

  const DecodeOutcome fatal = decodeChunks(
      lengthField({.lengthFieldLength = 2, .initialBytesToStrip = 4}), {bytesOf(stream)});
  CHECK(fatal.failureMessage ==
        "frame at stream offset 0: length 3 is shorter than the 4 bytes "
        "to strip");
}

// Frames that are too long.

namespace {

// Frames of 4-byte length + body: "one", a 40-byte body (44 bytes with its
// header, above the maximum of 20), "two".
std::string streamWithLongFrame() {
  return uintBytes(3, 4) + "one" + uintBytes(40, 4) + std::string(40, 'L') + uintBytes(3, 4) +
         "two";
}

LengthFieldDecoderOptions longFrameOptions(bool failFast, bool discardMode) {
  return {.initialBytesToStrip = 4,
          .maxFrameLength = 20,
          .failFast = failFast,
          .discardMode = discardMode};
}

}  // namespace

TEST_CASE("discard mode skips a too-long frame, reports it, and goes on") {
  for (bool failFast : {true, false}) {
    INFO("failFast " << failFast);
    DecodeOutcome expected;
    expected.events = {{"one"}, {"", true, 7, 20}, {"two"}};
    requireSameForEverySplit(lengthField(longFrameOptions(failFast, true)), streamWithLongFrame(),
                             expected);
  }
}

TEST_CASE("without discard mode a too-long frame is fatal") {
  for (bool failFast : {true, false}) {
    INFO("failFast " << failFast);
    DecodeOutcome expected;
    expected.events = {{"one"}};
    expected.failed = true;
    expected.failureOffset = 7;
    expected.failureLimit = 20;
    requireSameForEverySplit(lengthField(longFrameOptions(failFast, false)), streamWithLongFrame(),
                             expected);
  }
}

TEST_CASE("the too-long error names the frame's stream offset, its length and the maximum") {
  // A frame of 1234 bytes, then one of 70000 bytes with a maximum of 65536.
  const std::string first = uintBytes(1230, 4) + std::string(1230, 'b');
  LengthFieldFrameDecoder decoder({.maxFrameLength = 65536});
  decoder.push(bytesOf(first + uintBytes(70000 - 4, 4)));
  const std::optional<Buffer> frame = decoder.next();
  REQUIRE(frame);
  CHECK(stringOf(*frame) == first);
  try {
    (void)decoder.next();
    FAIL("no error");
  } catch (const FrameError& error) {
    CHECK(std::string(error.what()) ==
          "frame at stream offset 1234: length 70000 exceeds the maximum 65536");
    CHECK(error.streamOffset() == 1234);
    CHECK(error.limit() == 65536);
  }
}

TEST_CASE("fail-fast reports a too-long frame on its header, before its body arrives") {
  LengthFieldFrameDecoder decoder(longFrameOptions(true, false));
  decoder.push(bytesOf(uintBytes(1000, 4)));
  CHECK_THROWS_AS(decoder.next(), FrameError);
  // Fatal: everything after throws the same error.
  CHECK_THROWS_WITH(decoder.push(bytesOf("more")),
                    "frame at stream offset 0: length 1004 exceeds the maximum 20");
  CHECK_THROWS_AS(decoder.next(), FrameError);
  CHECK_THROWS_AS(decoder.end(), FrameError);
}

TEST_CASE("without fail-fast a too-long frame is reported once its last byte is skipped") {
  LengthFieldFrameDecoder decoder(longFrameOptions(false, false));
  decoder.push(bytesOf(uintBytes(100, 4) + std::string(60, 'x')));
  CHECK_FALSE(decoder.next());
  // The skipped bytes are not kept.
  CHECK(decoder.bufferedBytes() == 0);
  decoder.push(bytesOf(std::string(39, 'x')));
  CHECK_FALSE(decoder.next());
  decoder.push(bytesOf("x"));
  CHECK_THROWS_WITH(decoder.next(), "frame at stream offset 0: length 104 exceeds the maximum 20");
}

TEST_CASE("in discard mode with fail-fast the report comes on the header, and decoding goes on") {
  LengthFieldFrameDecoder decoder(longFrameOptions(true, true));
  std::vector<std::uint64_t> reported;
  decoder.onDiscard([&](const FrameError& error) { reported.push_back(error.streamOffset()); });
  decoder.push(bytesOf(uintBytes(100, 4)));
  CHECK_FALSE(decoder.next());
  CHECK(reported == std::vector<std::uint64_t>{0});
  CHECK(decoder.discardedFrames() == 1);
  decoder.push(bytesOf(std::string(100, 'x') + uintBytes(2, 4) + "ok"));
  const std::optional<Buffer> frame = decoder.next();
  REQUIRE(frame);
  CHECK(stringOf(*frame) == "ok");
  CHECK(reported.size() == 1);
  CHECK(decoder.streamOffset() == 110);
  decoder.end();
}

TEST_CASE("Netty's discardTooLongFrame tests, in discard mode") {
  // A 32-byte frame over a maximum of 16, then a 1-byte frame; whole, and cut after 14 bytes.
  std::string stream = uintBytes(32, 4);
  for (int i = 0; i < 32; ++i)
    stream += static_cast<char>(i);
  stream += uintBytes(1, 4) + "a";
  DecodeOutcome expected;
  expected.events = {{"", true, 0, 16}, {uintBytes(1, 4) + "a"}};
  const auto make = lengthField({.maxFrameLength = 16, .discardMode = true});
  CHECK(decodeChunks(make, {bytesOf(stream)}) == expected);
  CHECK(decodeChunks(make, splitAt(stream, {14})) == expected);
}

// Lengths that cannot be right.

TEST_CASE("an adjusted length below the header is fatal, even in discard mode") {
  // A 2-byte length of the whole frame holding 1: less than the length field itself.
  for (bool discardMode : {false, true}) {
    const DecodeOutcome outcome = decodeChunks(
        lengthField({.lengthFieldLength = 2, .lengthAdjustment = -2, .discardMode = discardMode}),
        {bytesOf(uintBytes(3, 2) + "a" + uintBytes(1, 2) + "more")});
    CHECK(outcome.frames() == std::vector<std::string>{uintBytes(3, 2) + "a"});
    CHECK(outcome.failed);
    CHECK(outcome.failureOffset == 3);
    CHECK(outcome.failureLimit == 2);
    CHECK(outcome.failureMessage ==
          "frame at stream offset 3: length field 1 gives a frame length of 1, below the "
          "minimum 2 (its header)");
  }
}

TEST_CASE("a negative adjusted length is fatal") {
  const DecodeOutcome outcome = decodeChunks(
      lengthField({.lengthFieldLength = 1, .lengthAdjustment = -10}), {bytesOf(uintBytes(2, 1))});
  CHECK(outcome.failed);
  CHECK(outcome.failureMessage ==
        "frame at stream offset 0: length field 2 gives a frame length of -7, below the minimum "
        "1 (its header)");
}

TEST_CASE("an 8-byte length field above 2^63 - 1 is fatal, whatever the maximum") {
  const std::uint64_t maxSigned = std::numeric_limits<std::int64_t>::max();
  for (std::uint64_t value : {maxSigned + 1, std::numeric_limits<std::uint64_t>::max()}) {
    for (bool discardMode : {false, true}) {
      const DecodeOutcome outcome =
          decodeChunks(lengthField({.lengthFieldLength = 8, .discardMode = discardMode}),
                       {bytesOf(uintBytes(value, 8))});
      CHECK(outcome.failed);
      CHECK(outcome.failureOffset == 0);
      CHECK(outcome.failureLimit == maxSigned);
      CHECK(outcome.events.empty());
    }
  }
}

TEST_CASE("an 8-byte length that overflows with the adjustment is fatal") {
  const std::uint64_t maxSigned = std::numeric_limits<std::int64_t>::max();
  const DecodeOutcome outcome = decodeChunks(
      lengthField({.lengthFieldLength = 8, .lengthAdjustment = 100, .discardMode = true}),
      {bytesOf(uintBytes(maxSigned - 50, 8))});
  CHECK(outcome.failed);
  CHECK(outcome.failureLimit == maxSigned);
}

TEST_CASE("a huge 8-byte length below 2^63 is only too long, and can be discarded") {
  LengthFieldFrameDecoder decoder(
      {.lengthFieldLength = 8, .discardMode = true, .maxDiscardLength = std::uint64_t{1} << 63});
  std::vector<std::string> messages;
  decoder.onDiscard([&](const FrameError& error) { messages.emplace_back(error.what()); });
  decoder.push(bytesOf(uintBytes(std::uint64_t{1} << 62, 8) + "some of it"));
  CHECK_FALSE(decoder.next());
  CHECK(messages == std::vector<std::string>{"frame at stream offset 0: length "
                                             "4611686018427387912 exceeds the maximum 1048576"});
  CHECK(decoder.bufferedBytes() == 0);
}

TEST_CASE("discard mode refuses to skip a frame longer than maxDiscardLength") {
  // A u32 length field of 4 GiB would otherwise make the decoder ignore the
  // next 4 GiB of the stream; 16 MiB is the default most it skips.
  for (bool failFast : {true, false}) {
    INFO("failFast " << failFast);
    LengthFieldFrameDecoder decoder({.failFast = failFast, .discardMode = true});
    CHECK(decoder.options().maxDiscardLength == std::uint64_t{16} << 20);
    decoder.push(bytesOf(uintBytes(0xFFFFFFFF, 4) + "garbage"));
    try {
      (void)decoder.next();
      FAIL("no error");
    } catch (const FrameError& error) {
      CHECK(std::string(error.what()) ==
            "frame at stream offset 0: length 4294967299 exceeds the maximum 1048576, and the "
            "most discard mode skips (16777216)");
      CHECK(error.limit() == std::uint64_t{16} << 20);
    }
    CHECK(decoder.failed());
    CHECK(decoder.discardedFrames() == 0);
  }
  // Up to the limit it is skipped, as before.
  DecodeOutcome expected;
  expected.events = {{"one"}, {"", true, 7, 20}, {"two"}};
  LengthFieldDecoderOptions options = longFrameOptions(true, true);
  options.maxDiscardLength = 44;
  requireSameForEverySplit(lengthField(options), streamWithLongFrame(), expected);
  options.maxDiscardLength = 43;
  const DecodeOutcome refused =
      decodeChunks(lengthField(options), {bytesOf(streamWithLongFrame())});
  CHECK(refused.failed);
  CHECK(refused.failureOffset == 7);
  CHECK(refused.failureLimit == 43);
}

TEST_CASE("a long frame's buffer grows with the bytes that arrive, not its declared length") {
  // 64 headers declaring 1 MiB frames, 100 bytes of each: the old decoder
  // reserved each declared MiB on its header (64 MiB); now each holds a
  // buffer of at most 64 KiB until more comes.
  const std::size_t before = allocatedBytes();
  std::vector<std::unique_ptr<LengthFieldFrameDecoder>> decoders;
  for (int i = 0; i < 64; ++i) {
    auto decoder = std::make_unique<LengthFieldFrameDecoder>(LengthFieldDecoderOptions{});
    decoder->push(bytesOf(uintBytes((1U << 20) - 4, 4) + std::string(100, 'x')));
    CHECK_FALSE(decoder->next());
    decoders.push_back(std::move(decoder));
  }
  const std::size_t held = allocatedBytes() - before;
  INFO("held " << held << " bytes");
  CHECK(held < std::size_t{16} << 20);
  // And the frame is whole once its bytes come, in pieces of any size.
  LengthFieldFrameDecoder& decoder = *decoders.front();
  std::string body(100, 'x');
  for (std::size_t piece = 1; body.size() < (1U << 20) - 4; piece = piece * 3 + 1) {
    const std::string more(std::min(piece, (1U << 20) - 4 - body.size()),
                           static_cast<char>('a' + body.size() % 26));
    body += more;
    decoder.push(bytesOf(more));
  }
  const std::optional<Buffer> frame = decoder.next();
  REQUIRE(frame);
  CHECK(stringOf(*frame) == uintBytes((1U << 20) - 4, 4) + body);
}

TEST_CASE("heldBytes: the bytes queued and the frame being assembled, nothing once handed out") {
  LengthFieldFrameDecoder decoder(LengthFieldDecoderOptions{});
  CHECK(decoder.heldBytes() == 0);
  // Half a header is queued as it came.
  decoder.push(bytesOf(uintBytes(200'000, 4).substr(0, 2)));
  CHECK_FALSE(decoder.next());
  CHECK(decoder.heldBytes() == 2);
  // A body that spans chunks is assembled in a buffer that grows with it:
  // 64 KiB first, not the 200 000 declared.
  decoder.push(bytesOf(uintBytes(200'000, 4).substr(2) + std::string(100, 'x')));
  CHECK_FALSE(decoder.next());
  CHECK(decoder.heldBytes() == std::size_t{64} << 10);
  decoder.push(bytesOf(std::string(70'000, 'y')));
  CHECK_FALSE(decoder.next());
  CHECK(decoder.heldBytes() == std::size_t{128} << 10);
  // The frame is the caller's once whole; what follows it is queued.
  decoder.push(bytesOf(std::string(200'000 - 70'100, 'z') + "abc"));
  REQUIRE(decoder.next());
  CHECK(decoder.heldBytes() == 3);
}

// The SOFH preset.

namespace {

std::string sofhFrame(const std::string& body, std::uint16_t encodingType) {
  return uintBytes(6 + body.size(), 4) + uintBytes(encodingType, 2) + body;
}

}  // namespace

TEST_CASE("SOFH frames of either encoding type, header stripped") {
  for (SofhEncodingType type :
       {SofhEncodingType::sbeLittleEndian, SofhEncodingType::sbeBigEndian}) {
    const auto value = static_cast<std::uint16_t>(type);
    INFO("encoding type " << value);
    const std::string stream = sofhFrame("first message", value) + sofhFrame("", value) +
                               sofhFrame(std::string(300, 'z'), value);
    requireSameForEverySplit(lengthField(LengthFieldDecoderOptions::sofh(type)), stream,
                             framesOnly({"first message", "", std::string(300, 'z')}));
  }
}

TEST_CASE("the SOFH preset reads the header bytes as the standard lays them out") {
  // 0x00000010 (16 bytes in all), 0xEB50, then 10 bytes.
  const std::string frame = std::string("\x00\x00\x00\x10\xEB\x50", 6) + "0123456789";
  CHECK(decodeChunks(lengthField(LengthFieldDecoderOptions::sofh()), {bytesOf(frame)}).frames() ==
        std::vector<std::string>{"0123456789"});
}

TEST_CASE("a SOFH frame of an unexpected encoding type is a frame error") {
  const std::string stream =
      sofhFrame("ok", 0xEB50) + sofhFrame("big-endian", 0x5BE0) + sofhFrame("after", 0xEB50);
  const DecodeOutcome fatal =
      decodeChunks(lengthField(LengthFieldDecoderOptions::sofh()), {bytesOf(stream)});
  CHECK(fatal.frames() == std::vector<std::string>{"ok"});
  CHECK(fatal.failed);
  CHECK(fatal.failureOffset == 8);
  CHECK(fatal.failureLimit == 0xEB50);
  CHECK(fatal.failureMessage ==
        "frame at stream offset 8: encoding type 0x5BE0 is not the expected 0xEB50");

  LengthFieldDecoderOptions discarding = LengthFieldDecoderOptions::sofh();
  discarding.discardMode = true;
  DecodeOutcome expected;
  expected.events = {{"ok"}, {"", true, 8, 0xEB50}, {"after"}};
  requireSameForEverySplit(lengthField(discarding), stream, expected);
}

TEST_CASE("a SOFH length below the 6-byte header is fatal") {
  const DecodeOutcome outcome = decodeChunks(lengthField(LengthFieldDecoderOptions::sofh()),
                                             {bytesOf(uintBytes(5, 4) + uintBytes(0xEB50, 2))});
  CHECK(outcome.failed);
  CHECK(outcome.failureLimit == 6);
}

TEST_CASE("the u32 presets: a 4-byte length of the body in either order") {
  const std::string body = "payload";
  CHECK(decodeChunks(lengthField(LengthFieldDecoderOptions::u32()),
                     {bytesOf(uintBytes(body.size(), 4) + body)})
            .frames() == std::vector<std::string>{body});
  CHECK(decodeChunks(lengthField(LengthFieldDecoderOptions::u32(ByteOrder::little)),
                     {bytesOf(uintBytes(body.size(), 4, false) + body)})
            .frames() == std::vector<std::string>{body});
}

// Zero copy and bounded buffering.

TEST_CASE("a frame inside one chunk is a subarray of it, a frame across chunks is one copy") {
  LengthFieldFrameDecoder decoder(LengthFieldDecoderOptions::u32());
  const Buffer chunk = bytesOf(uintBytes(3, 4) + "abc" + uintBytes(4, 4) + "de");
  decoder.push(chunk);
  const std::optional<Buffer> inside = decoder.next();
  REQUIRE(inside);
  CHECK(inside->buffer().sameAs(chunk.buffer()));
  CHECK(inside->byteOffset() == chunk.byteOffset() + 4);
  CHECK(stringOf(*inside) == "abc");
  CHECK_FALSE(decoder.next());
  // The partial frame's bytes were copied out: no chunk is held.
  CHECK(decoder.bufferedBytes() == 0);

  const Buffer rest = bytesOf(std::string("fg") + uintBytes(1, 4) + "h");
  decoder.push(rest);
  const std::optional<Buffer> across = decoder.next();
  REQUIRE(across);
  CHECK(stringOf(*across) == "defg");
  CHECK(across->length() == 4);
  CHECK_FALSE(across->buffer().sameAs(chunk.buffer()));
  CHECK_FALSE(across->buffer().sameAs(rest.buffer()));
  const std::optional<Buffer> last = decoder.next();
  REQUIRE(last);
  CHECK(last->buffer().sameAs(rest.buffer()));
  CHECK(stringOf(*last) == "h");
}

TEST_CASE("a body in one chunk is a subarray even when its stripped header came earlier") {
  LengthFieldFrameDecoder decoder(LengthFieldDecoderOptions::sofh());
  decoder.push(bytesOf(uintBytes(6 + 5, 4)));
  CHECK_FALSE(decoder.next());
  decoder.push(bytesOf(uintBytes(0xEB50, 2)));
  CHECK_FALSE(decoder.next());
  const Buffer body = bytesOf("hello");
  decoder.push(body);
  const std::optional<Buffer> frame = decoder.next();
  REQUIRE(frame);
  CHECK(frame->buffer().sameAs(body.buffer()));
}

TEST_CASE("a frame arriving a byte at a time holds at most its header's bytes") {
  const std::string frame = uintBytes(5000, 4) + std::string(5000, 'q');
  LengthFieldFrameDecoder decoder(LengthFieldDecoderOptions::u32());
  for (std::size_t i = 0; i + 1 < frame.size(); ++i) {
    decoder.push(bytesOf(frame.substr(i, 1)));
    REQUIRE_FALSE(decoder.next());
    REQUIRE(decoder.bufferedBytes() < 4);
  }
  decoder.push(bytesOf(frame.substr(frame.size() - 1)));
  const std::optional<Buffer> body = decoder.next();
  REQUIRE(body);
  CHECK(stringOf(*body) == std::string(5000, 'q'));
}

// The end of the stream.

TEST_CASE("a stream that ends inside a frame is an error naming where the frame started") {
  const std::string whole = uintBytes(3, 4) + "abc";
  const auto make = lengthField(LengthFieldDecoderOptions::u32());

  const DecodeOutcome inHeader =
      decodeChunks(make, {bytesOf(whole + uintBytes(9, 4).substr(0, 2))});
  CHECK(inHeader.frames() == std::vector<std::string>{"abc"});
  CHECK(inHeader.failed);
  CHECK(inHeader.failureOffset == 7);
  CHECK(inHeader.failureLimit == 4);
  CHECK(inHeader.failureMessage ==
        "frame at stream offset 7: the stream ended after 2 bytes, inside its 4-byte header");

  const DecodeOutcome inBody = decodeChunks(make, {bytesOf(whole + uintBytes(9, 4) + "1234")});
  CHECK(inBody.failed);
  CHECK(inBody.failureOffset == 7);
  CHECK(inBody.failureLimit == 13);
  CHECK(inBody.failureMessage ==
        "frame at stream offset 7: the stream ended after 8 of its 13 bytes");

  CHECK_FALSE(decodeChunks(make, {bytesOf(whole)}).failed);
}

TEST_CASE("a stream that ends inside a skipped frame is an error") {
  const DecodeOutcome outcome = decodeChunks(lengthField(longFrameOptions(true, true)),
                                             {bytesOf(uintBytes(30, 4) + "partial")});
  CHECK(outcome.events.size() == 1);
  CHECK(outcome.failed);
  CHECK(outcome.failureOffset == 0);
  CHECK(outcome.failureLimit == 34);
}

// Options.

TEST_CASE("options that cannot describe a frame are rejected") {
  CHECK_THROWS_AS(LengthFieldFrameDecoder({.lengthFieldLength = 5}), RangeError);
  CHECK_THROWS_AS(LengthFieldFrameDecoder({.lengthFieldLength = 0}), RangeError);
  CHECK_THROWS_AS(LengthFieldFrameDecoder({.maxFrameLength = 0}), RangeError);
  CHECK_THROWS_AS(
      LengthFieldFrameDecoder({.maxFrameLength = std::numeric_limits<std::size_t>::max()}),
      RangeError);
  CHECK_THROWS_AS(LengthFieldFrameDecoder({.lengthFieldOffset = 10, .maxFrameLength = 12}),
                  RangeError);
  CHECK_NOTHROW(LengthFieldFrameDecoder({.lengthFieldOffset = 8, .maxFrameLength = 12}));
  CHECK_THROWS_AS(
      LengthFieldFrameDecoder({.lengthAdjustment = std::numeric_limits<std::int64_t>::max()}),
      RangeError);
  CHECK_THROWS_AS(LengthFieldFrameDecoder(
                      {.expectedField = HeaderField{.offset = 4, .length = 1, .value = 256}}),
                  RangeError);
}
