// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include <limits>
#include <string>
#include <vector>

#include "framing_test_support.hpp"
#include "wirekit/bytes/data_view.hpp"
#include "wirekit/error.hpp"
#include "wirekit/framing/length_field_frame_decoder.hpp"
#include "wirekit/framing/length_field_prepender.hpp"

using namespace wirekit;
using namespace wirekit::test;

TEST_CASE("the header holds the body's length in the field's size and byte order") {
  const Buffer body = bytesOf(std::string(12, 'b'));
  for (std::size_t size : {1, 2, 3, 4, 8}) {
    for (bool bigEndian : {true, false}) {
      INFO(size << " bytes, " << (bigEndian ? "big" : "little") << "-endian");
      const LengthFieldPrepender prepender(
          {.lengthFieldLength = size, .byteOrder = bigEndian ? ByteOrder::big : ByteOrder::little});
      CHECK(prepender.headerLength() == size);
      CHECK(stringOf(prepender.encode(body)) == uintBytes(12, size, bigEndian));
    }
  }
}

TEST_CASE("a 3-byte length field holds 24 bits in either order") {
  const LengthFieldPrepender big({.lengthFieldLength = 3});
  const LengthFieldPrepender little({.lengthFieldLength = 3, .byteOrder = ByteOrder::little});
  std::array<std::byte, 3> header{};
  big.writeHeader(header, 0x0A0B0C);
  CHECK(header == std::array{std::byte{0x0A}, std::byte{0x0B}, std::byte{0x0C}});
  little.writeHeader(header, 0x0A0B0C);
  CHECK(header == std::array{std::byte{0x0C}, std::byte{0x0B}, std::byte{0x0A}});
}

TEST_CASE("the length may count the header and take an adjustment") {
  const Buffer body = bytesOf("HELLO, WORLD");
  CHECK(stringOf(LengthFieldPrepender({.lengthFieldLength = 2, .lengthIncludesHeader = true})
                     .encode(body)) == uintBytes(14, 2));
  CHECK(stringOf(
            LengthFieldPrepender({.lengthFieldLength = 2, .lengthAdjustment = -2}).encode(body)) ==
        uintBytes(10, 2));
  CHECK(stringOf(
            LengthFieldPrepender({.lengthFieldLength = 2, .lengthAdjustment = 5}).encode(body)) ==
        uintBytes(17, 2));
}

TEST_CASE("the SOFH header: u32 big-endian length of the whole frame, u16 big-endian type") {
  const Buffer body = bytesOf("0123456789");
  CHECK(stringOf(LengthFieldPrepender(LengthFieldEncoderOptions::sofh()).encode(body)) ==
        std::string("\x00\x00\x00\x10\xEB\x50", 6));
  CHECK(
      stringOf(LengthFieldPrepender(LengthFieldEncoderOptions::sofh(SofhEncodingType::sbeBigEndian))
                   .encode(body)) == std::string("\x00\x00\x00\x10\x5B\xE0", 6));
}

TEST_CASE("a header field after a gap is written with zeros before it") {
  const LengthFieldPrepender prepender(
      {.lengthFieldLength = 2,
       .headerField = HeaderField{.offset = 4, .length = 1, .value = 0x7F, .name = "version"}});
  CHECK(prepender.headerLength() == 5);
  std::array<std::byte, 5> header;
  header.fill(std::byte{0xAA});
  prepender.writeHeader(header, 3);
  CHECK(header ==
        std::array{std::byte{0}, std::byte{3}, std::byte{0}, std::byte{0}, std::byte{0x7F}});
}

TEST_CASE("a length the field cannot hold is an EncodeError") {
  CHECK_NOTHROW(LengthFieldPrepender({.lengthFieldLength = 1}).encode(Buffer::alloc(255)));
  CHECK_THROWS_WITH(LengthFieldPrepender({.lengthFieldLength = 1}).encode(Buffer::alloc(256)),
                    "LengthFieldPrepender: a 256-byte body does not give a length from 0 to 255, "
                    "as a 1-byte length field holds");
  CHECK_THROWS_AS(LengthFieldPrepender({.lengthFieldLength = 1, .lengthIncludesHeader = true})
                      .encode(Buffer::alloc(255)),
                  EncodeError);
  CHECK_THROWS_AS(LengthFieldPrepender({.lengthFieldLength = 2}).encode(Buffer::alloc(65536)),
                  EncodeError);
  CHECK_THROWS_WITH(
      LengthFieldPrepender({.lengthFieldLength = 2, .lengthAdjustment = -5}).encode(bytesOf("abc")),
      "LengthFieldPrepender: a 3-byte body adjusted by -5 does not give a length from 0 to "
      "65535, as a 2-byte length field holds");
  std::array<std::byte, 8> header{};
  CHECK_THROWS_AS(LengthFieldPrepender({.lengthFieldLength = 8})
                      .writeHeader(header, std::numeric_limits<std::size_t>::max()),
                  EncodeError);
  CHECK_THROWS_AS(
      LengthFieldPrepender({.lengthFieldLength = 8, .lengthAdjustment = 1})
          .writeHeader(header, static_cast<std::size_t>(std::numeric_limits<std::int64_t>::max())),
      EncodeError);
  CHECK_THROWS_AS(LengthFieldPrepender().writeHeader(std::span(header).first(3), 1), RangeError);
}

TEST_CASE("options the prepender cannot honour are rejected") {
  CHECK_THROWS_AS(LengthFieldPrepender({.lengthFieldLength = 6}), RangeError);
  CHECK_THROWS_AS(LengthFieldPrepender({.headerField = HeaderField{.offset = 2}}), RangeError);
  CHECK_THROWS_AS(LengthFieldPrepender({.headerField = HeaderField{.offset = 4, .length = 7}}),
                  RangeError);
  CHECK_THROWS_AS(
      LengthFieldPrepender({.headerField = HeaderField{.offset = 4, .length = 2, .value = 70000}}),
      RangeError);
}

TEST_CASE("a frame encoded in place: header written into reserved room, no copy") {
  const LengthFieldPrepender prepender(LengthFieldEncoderOptions::sofh());
  const Buffer space = Buffer::alloc(64);
  ReservedFrame reserved = prepender.reserve(space.subarray(8));
  CHECK(reserved.maxBodyLength() == 56 - 6);
  const DataView body = reserved.body();
  CHECK(body.byteLength() == 50);
  body.setUint32(0, 0xDEADBEEF, true);
  body.setUint8(4, 7);
  const Buffer frame = reserved.commit(5);
  CHECK(frame.buffer().sameAs(space.buffer()));
  CHECK(frame.byteOffset() == space.byteOffset() + 8);
  CHECK(stringOf(frame) == std::string("\x00\x00\x00\x0B\xEB\x50\xEF\xBE\xAD\xDE\x07", 11));
  CHECK(reserved.bodyBuffer().buffer().sameAs(space.buffer()));
  CHECK_THROWS_AS(reserved.commit(51), RangeError);
  CHECK_THROWS_AS(prepender.reserve(Buffer::alloc(5)), RangeError);

  ReservedFrame allocated = prepender.reserve(std::size_t{100});
  CHECK(allocated.maxBodyLength() == 100);
  CHECK(allocated.commit(0).length() == 6);
}

TEST_CASE("round trip: encoded frames decode to the original bodies, however they are cut") {
  struct Format {
    const char* name;
    LengthFieldEncoderOptions encoder;
    LengthFieldDecoderOptions decoder;
  };
  const std::vector<Format> formats = {
      {"sofh little-endian", LengthFieldEncoderOptions::sofh(), LengthFieldDecoderOptions::sofh()},
      {"sofh big-endian", LengthFieldEncoderOptions::sofh(SofhEncodingType::sbeBigEndian),
       LengthFieldDecoderOptions::sofh(SofhEncodingType::sbeBigEndian)},
      {"u32 big-endian", LengthFieldEncoderOptions::u32(), LengthFieldDecoderOptions::u32()},
      {"u32 little-endian", LengthFieldEncoderOptions::u32(ByteOrder::little),
       LengthFieldDecoderOptions::u32(ByteOrder::little)},
      {"3-byte little-endian length counting the header",
       {.lengthFieldLength = 3, .byteOrder = ByteOrder::little, .lengthIncludesHeader = true},
       {.lengthFieldLength = 3,
        .byteOrder = ByteOrder::little,
        .lengthAdjustment = -3,
        .initialBytesToStrip = 3}},
      {"8-byte length",
       {.lengthFieldLength = 8},
       {.lengthFieldLength = 8, .initialBytesToStrip = 8}},
  };
  std::vector<std::string> bodies;
  for (std::size_t length : {5, 0, 1, 33, 2, 64, 7})
    bodies.emplace_back(length, static_cast<char>('k' + bodies.size()));

  for (const Format& format : formats) {
    INFO(format.name);
    const LengthFieldPrepender prepender(format.encoder);
    std::string stream;
    for (const std::string& body : bodies)
      stream += stringOf(prepender.encode(bytesOf(body))) + body;
    const LengthFieldDecoderOptions decoderOptions = format.decoder;
    requireSameForEverySplit(
        [decoderOptions] { return std::make_unique<LengthFieldFrameDecoder>(decoderOptions); },
        stream, framesOnly(bodies));
  }
}

TEST_CASE("header and body sent as two chunks: the decoded frame is the body chunk itself") {
  const LengthFieldPrepender prepender(LengthFieldEncoderOptions::sofh());
  LengthFieldFrameDecoder decoder(LengthFieldDecoderOptions::sofh());
  for (const char* text : {"first", "second", "third"}) {
    const Buffer body = bytesOf(text);
    decoder.push(prepender.encode(body));
    decoder.push(body);
    const std::optional<Buffer> frame = decoder.next();
    REQUIRE(frame);
    CHECK(frame->equals(body));
    CHECK(frame->buffer().sameAs(body.buffer()));
    CHECK(frame->byteOffset() == body.byteOffset());
  }
}
