// SPDX-License-Identifier: Apache-2.0
// A port of Node.js's test/parallel/test-buffer-readuint.js, block by block, with
// Node's exact error messages. Node's cases that pass a non-number, a negative
// number, NaN, Infinity or a fraction as offset or byteLength (ERR_INVALID_ARG_TYPE,
// "It must be an integer") cannot be written in C++, whose offsets are
// std::size_t; in their place each block checks the C++ values that are out of
// range: the first offset past the end, a negative number converted to size_t, and
// a number above 2^32 (which Node prints with '_' separators).

#include <array>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "wirekit/bytes/buffer.hpp"
#include "wirekit/error.hpp"

using namespace wirekit;
using Catch::Message;

namespace {

// -1 as a C++ offset; Node would have said "Received -1".
constexpr std::size_t minusOne = std::numeric_limits<std::size_t>::max();

std::string offsetOutOfRange(std::size_t limit, std::string_view received) {
  return fmt::format(
      "The value of \"offset\" is out of range. It must be >= 0 and <= {}. Received {}", limit,
      received);
}

}  // namespace

TEST_CASE("test-buffer-readuint: OOB") {
  const Buffer buffer = Buffer::alloc(4);
  struct Reader {
    const char* name;
    std::size_t size;
    std::function<std::uint64_t(std::size_t)> read;
    std::function<std::uint64_t()> readDefault;
  };
  const std::array<Reader, 5> readers = {{
      {"UInt8", 1, [&](std::size_t o) { return buffer.readUInt8(o); },
       [&] { return buffer.readUInt8(); }},
      {"UInt16BE", 2, [&](std::size_t o) { return buffer.readUInt16BE(o); },
       [&] { return buffer.readUInt16BE(); }},
      {"UInt16LE", 2, [&](std::size_t o) { return buffer.readUInt16LE(o); },
       [&] { return buffer.readUInt16LE(); }},
      {"UInt32BE", 4, [&](std::size_t o) { return buffer.readUInt32BE(o); },
       [&] { return buffer.readUInt32BE(); }},
      {"UInt32LE", 4, [&](std::size_t o) { return buffer.readUInt32LE(o); },
       [&] { return buffer.readUInt32LE(); }},
  }};
  for (const Reader& reader : readers) {
    INFO("read" << reader.name);
    const std::size_t limit = 4 - reader.size;
    // Verify that default offset works fine.
    CHECK(reader.readDefault() == 0);
    CHECK(reader.read(0) == 0);
    CHECK(reader.read(limit) == 0);
    // Node: [Infinity, -1, -4294967295] → RangeError [ERR_OUT_OF_RANGE].
    CHECK_THROWS_MATCHES(reader.read(limit + 1), RangeError,
                         Message(offsetOutOfRange(limit, std::to_string(limit + 1))));
    CHECK_THROWS_MATCHES(reader.read(minusOne), RangeError,
                         Message(offsetOutOfRange(limit, "18_446_744_073_709_551_615")));
    CHECK_THROWS_MATCHES(reader.read(4294967295u), RangeError,
                         Message(offsetOutOfRange(limit, "4294967295")));
    CHECK_THROWS_MATCHES(reader.read(4294967297u), RangeError,
                         Message(offsetOutOfRange(limit, "4_294_967_297")));
  }
}

TEST_CASE("test-buffer-readuint: 8 bit unsigned integers") {
  const Buffer data = Buffer::from({0xff, 0x2a, 0x2a, 0x2a});
  CHECK(data.readUInt8(0) == 255);
  CHECK(data.readUInt8(1) == 42);
  CHECK(data.readUInt8(2) == 42);
  CHECK(data.readUInt8(3) == 42);
}

TEST_CASE("test-buffer-readuint: 16 bit unsigned integers") {
  Buffer data = Buffer::from({0x00, 0x2a, 0x42, 0x3f});
  CHECK(data.readUInt16BE(0) == 0x2a);
  CHECK(data.readUInt16BE(1) == 0x2a42);
  CHECK(data.readUInt16BE(2) == 0x423f);
  CHECK(data.readUInt16LE(0) == 0x2a00);
  CHECK(data.readUInt16LE(1) == 0x422a);
  CHECK(data.readUInt16LE(2) == 0x3f42);

  data[0] = 0xfe;
  data[1] = 0xfe;
  CHECK(data.readUInt16BE(0) == 0xfefe);
  CHECK(data.readUInt16LE(0) == 0xfefe);
}

TEST_CASE("test-buffer-readuint: 32 bit unsigned integers") {
  const Buffer data = Buffer::from({0x32, 0x65, 0x42, 0x56, 0x23, 0xff});
  CHECK(data.readUInt32BE(0) == 0x32654256u);
  CHECK(data.readUInt32BE(1) == 0x65425623u);
  CHECK(data.readUInt32BE(2) == 0x425623ffu);
  CHECK(data.readUInt32LE(0) == 0x56426532u);
  CHECK(data.readUInt32LE(1) == 0x23564265u);
  CHECK(data.readUInt32LE(2) == 0xff235642u);
}

TEST_CASE("test-buffer-readuint: UInt") {
  const Buffer buffer = Buffer::from({0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08});

  // Node's buffer.readUIntLE(0) and readUIntBE(0), without byteLength, read one
  // byte; Node's documentation makes byteLength required, and so does the C++ API.
  CHECK(buffer.readUIntLE(0, 1) == 0x01);
  CHECK(buffer.readUIntBE(0, 1) == 0x01);
  CHECK(buffer.readUIntLE(0, 3) == 0x030201);
  CHECK(buffer.readUIntBE(0, 3) == 0x010203);
  CHECK(buffer.readUIntLE(0, 5) == 0x0504030201);
  CHECK(buffer.readUIntBE(0, 5) == 0x0102030405);
  CHECK(buffer.readUIntLE(0, 6) == 0x060504030201);
  CHECK(buffer.readUIntBE(0, 6) == 0x010203040506);
  CHECK(buffer.readUIntLE(1, 6) == 0x070605040302);
  CHECK(buffer.readUIntBE(1, 6) == 0x020304050607);
  CHECK(buffer.readUIntLE(2, 6) == 0x080706050403);
  CHECK(buffer.readUIntBE(2, 6) == 0x030405060708);

  using Read = std::uint64_t (Buffer::*)(std::size_t, std::size_t) const;
  const std::array<std::pair<const char*, Read>, 2> functions = {{
      {"readUIntBE", &Buffer::readUIntBE},
      {"readUIntLE", &Buffer::readUIntLE},
  }};

  // Check byteLength. Node: [Infinity, -1] → "The value of "byteLength" is out of
  // range. It must be >= 1 and <= 6. Received ${byteLength}".
  for (const auto& [name, read] : functions) {
    INFO(name);
    for (const auto& [byteLength, received] : std::array<std::pair<std::size_t, const char*>, 4>{
             {{0, "0"},
              {7, "7"},
              {minusOne, "18_446_744_073_709_551_615"},
              {4294967297u, "4_294_967_297"}}}) {
      CHECK_THROWS_MATCHES(
          (buffer.*read)(0, byteLength), RangeError,
          Message(fmt::format("The value of \"byteLength\" is out of range. It must be >= 1 and "
                              "<= 6. Received {}",
                              received)));
    }
  }

  // Test 1 to 6 bytes. Node: [Infinity, -1, -4294967295] as offset → "The value of
  // "offset" is out of range. It must be >= 0 and <= ${8 - i}. Received ${offset}".
  for (std::size_t i = 1; i <= 6; ++i) {
    for (const auto& [name, read] : functions) {
      INFO(name << "(offset, " << i << ")");
      CHECK_NOTHROW((buffer.*read)(8 - i, i));
      CHECK_THROWS_MATCHES((buffer.*read)(8 - i + 1, i), RangeError,
                           Message(offsetOutOfRange(8 - i, std::to_string(8 - i + 1))));
      CHECK_THROWS_MATCHES((buffer.*read)(minusOne, i), RangeError,
                           Message(offsetOutOfRange(8 - i, "18_446_744_073_709_551_615")));
      CHECK_THROWS_MATCHES((buffer.*read)(4294967297u, i), RangeError,
                           Message(offsetOutOfRange(8 - i, "4_294_967_297")));
    }
  }
}
