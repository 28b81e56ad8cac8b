// SPDX-License-Identifier: Apache-2.0
// DataView: every getter and setter in both byte orders at unaligned offsets,
// big-endian by default, and every RangeError/TypeError. The expected bytes are
// written out by hand from the IEEE 754 and two's-complement encodings (and agree
// with what Node.js 20's DataView writes for the same calls).

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include <catch2/catch.hpp>

#include "test_support.hpp"
#include "wirekit/bytes/array_buffer.hpp"
#include "wirekit/bytes/data_view.hpp"
#include "wirekit/error.hpp"

using namespace wirekit;
using Catch::Message;
using test::hexBytes;

namespace {

constexpr std::size_t at = 3;  // an offset aligned for nothing wider than a byte

// The view's bytes [offset, offset + size) as hex.
std::string bytesAt(const DataView& view, std::size_t offset, std::size_t size) {
  return hexBytes({view.data() + offset, size});
}

// A 16-byte view filled with 0xaa, so that stray writes show.
struct Fixture {
  ArrayBuffer buffer{16};
  DataView view{buffer};
  Fixture() {
    for (std::byte& b : buffer.bytes())
      b = std::byte{0xaa};
  }
  // Everything but [at, at + size) still 0xaa.
  [[nodiscard]] bool restUntouched(std::size_t size) const {
    for (std::size_t i = 0; i < buffer.byteLength(); ++i) {
      if ((i < at || i >= at + size) && buffer.data()[i] != std::byte{0xaa}) return false;
    }
    return true;
  }
  void put(std::initializer_list<std::uint8_t> bytes) const {
    std::size_t i = at;
    for (std::uint8_t b : bytes)
      buffer.data()[i++] = std::byte{b};
  }
};

}  // namespace

TEST_CASE("DataView reads and writes big-endian unless littleEndian is true (anchor 1)") {
  ArrayBuffer buffer(4);
  DataView view(buffer);
  view.setUint16(0, 0x1234);
  CHECK(hexBytes(buffer.bytes()) == "12 34 00 00");
  CHECK(view.getUint16(0) == 0x1234);
  CHECK(view.getUint16(0, false) == 0x1234);
  CHECK(view.getUint16(0, true) == 0x3412);
  view.setUint16(2, 0x1234, true);
  CHECK(hexBytes(buffer.bytes()) == "12 34 34 12");
  CHECK(view.getUint32(0) == 0x12343412u);
}

TEST_CASE("DataView Int8 and Uint8") {
  Fixture f;
  f.view.setInt8(at, -2);
  CHECK(bytesAt(f.view, at, 1) == "fe");
  CHECK(f.view.getInt8(at) == -2);
  CHECK(f.view.getUint8(at) == 0xfe);
  f.view.setUint8(at, 0x7f);
  CHECK(bytesAt(f.view, at, 1) == "7f");
  CHECK(f.view.getInt8(at) == 127);
  f.view.setInt8(at, -128);
  CHECK(f.view.getUint8(at) == 0x80);
  CHECK(f.restUntouched(1));
}

TEST_CASE("DataView Int16 in both byte orders") {
  Fixture f;
  f.view.setInt16(at, -12345);  // 0xcfc7
  CHECK(bytesAt(f.view, at, 2) == "cf c7");
  CHECK(f.view.getInt16(at) == -12345);
  CHECK(f.view.getInt16(at, true) == -14385);  // 0xc7cf
  f.view.setInt16(at, -12345, true);
  CHECK(bytesAt(f.view, at, 2) == "c7 cf");
  CHECK(f.view.getInt16(at, true) == -12345);
  f.put({0x7f, 0xff});
  CHECK(f.view.getInt16(at) == 32767);
  CHECK(f.view.getInt16(at, true) == -129);  // 0xff7f
  CHECK(f.restUntouched(2));
}

TEST_CASE("DataView Uint16 in both byte orders") {
  Fixture f;
  f.view.setUint16(at, 0xbeef);
  CHECK(bytesAt(f.view, at, 2) == "be ef");
  f.view.setUint16(at, 0xbeef, true);
  CHECK(bytesAt(f.view, at, 2) == "ef be");
  f.put({0x01, 0x80});
  CHECK(f.view.getUint16(at) == 0x0180);
  CHECK(f.view.getUint16(at, true) == 0x8001);
  CHECK(f.restUntouched(2));
}

TEST_CASE("DataView Int32 in both byte orders") {
  Fixture f;
  f.view.setInt32(at, -123456789);  // 0xf8a432eb
  CHECK(bytesAt(f.view, at, 4) == "f8 a4 32 eb");
  f.view.setInt32(at, -123456789, true);
  CHECK(bytesAt(f.view, at, 4) == "eb 32 a4 f8");
  CHECK(f.view.getInt32(at, true) == -123456789);
  CHECK(f.view.getInt32(at) == -349002504);  // 0xeb32a4f8
  f.put({0x80, 0x00, 0x00, 0x00});
  CHECK(f.view.getInt32(at) == std::numeric_limits<std::int32_t>::min());
  CHECK(f.view.getInt32(at, true) == 128);
  CHECK(f.restUntouched(4));
}

TEST_CASE("DataView Uint32 in both byte orders") {
  Fixture f;
  f.view.setUint32(at, 0xdeadbeef);
  CHECK(bytesAt(f.view, at, 4) == "de ad be ef");
  f.view.setUint32(at, 0xdeadbeef, true);
  CHECK(bytesAt(f.view, at, 4) == "ef be ad de");
  f.put({0x01, 0x02, 0x03, 0x04});
  CHECK(f.view.getUint32(at) == 0x01020304u);
  CHECK(f.view.getUint32(at, true) == 0x04030201u);
  CHECK(f.restUntouched(4));
}

TEST_CASE("DataView Float32 in both byte orders") {
  Fixture f;
  f.view.setFloat32(at, -2.5f);  // 0xc0200000
  CHECK(bytesAt(f.view, at, 4) == "c0 20 00 00");
  f.view.setFloat32(at, -2.5f, true);
  CHECK(bytesAt(f.view, at, 4) == "00 00 20 c0");
  f.view.setFloat32(at, 0.1f);  // 0x3dcccccd
  CHECK(bytesAt(f.view, at, 4) == "3d cc cc cd");
  CHECK(f.view.getFloat32(at) == 0.1f);
  f.put({0x3f, 0x80, 0x00, 0x00});
  CHECK(f.view.getFloat32(at) == 1.0f);
  CHECK(f.view.getFloat32(at, true) == std::bit_cast<float>(0x0000803fu));  // a subnormal
  f.put({0x7f, 0xc0, 0x00, 0x00});
  CHECK(std::isnan(f.view.getFloat32(at)));
  f.put({0xff, 0x80, 0x00, 0x00});
  CHECK(f.view.getFloat32(at) == -std::numeric_limits<float>::infinity());
  CHECK(f.restUntouched(4));
}

TEST_CASE("DataView Float64 in both byte orders") {
  Fixture f;
  f.view.setFloat64(at, -0.1);  // 0xbfb999999999999a
  CHECK(bytesAt(f.view, at, 8) == "bf b9 99 99 99 99 99 9a");
  f.view.setFloat64(at, -0.1, true);
  CHECK(bytesAt(f.view, at, 8) == "9a 99 99 99 99 99 b9 bf");
  CHECK(f.view.getFloat64(at, true) == -0.1);
  f.put({0x3f, 0xf8, 0, 0, 0, 0, 0, 0});
  CHECK(f.view.getFloat64(at) == 1.5);
  CHECK(f.view.getFloat64(at, true) == std::bit_cast<double>(std::uint64_t{0xf83f}));
  f.view.setFloat64(at, std::numeric_limits<double>::quiet_NaN());
  CHECK(bytesAt(f.view, at, 8) == "7f f8 00 00 00 00 00 00");
  f.view.setFloat64(at, -0.0);
  CHECK(bytesAt(f.view, at, 8) == "80 00 00 00 00 00 00 00");
  CHECK(std::signbit(f.view.getFloat64(at)));
  CHECK(f.restUntouched(8));
}

TEST_CASE("DataView BigInt64 in both byte orders") {
  Fixture f;
  f.view.setBigInt64(at, -81985529216486896);  // 0xfedcba9876543210
  CHECK(bytesAt(f.view, at, 8) == "fe dc ba 98 76 54 32 10");
  CHECK(f.view.getBigInt64(at) == -81985529216486896);
  CHECK(f.view.getBigInt64(at, true) == 0x1032547698badcfe);
  f.view.setBigInt64(at, -2, true);
  CHECK(bytesAt(f.view, at, 8) == "fe ff ff ff ff ff ff ff");
  CHECK(f.view.getBigInt64(at, true) == -2);
  CHECK(f.view.getBigInt64(at) == -72057594037927937);  // 0xfeffffffffffffff
  CHECK(f.restUntouched(8));
}

TEST_CASE("DataView BigUint64 in both byte orders") {
  Fixture f;
  f.view.setBigUint64(at, 0x0123456789abcdefu);
  CHECK(bytesAt(f.view, at, 8) == "01 23 45 67 89 ab cd ef");
  f.view.setBigUint64(at, 0x0123456789abcdefu, true);
  CHECK(bytesAt(f.view, at, 8) == "ef cd ab 89 67 45 23 01");
  CHECK(f.view.getBigUint64(at, true) == 0x0123456789abcdefu);
  CHECK(f.view.getBigUint64(at) == 0xefcdab8967452301u);
  f.put({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff});
  CHECK(f.view.getBigUint64(at) == std::numeric_limits<std::uint64_t>::max());
  CHECK(f.restUntouched(8));
}

TEST_CASE("DataView get and set with a byte order chosen at run time") {
  Fixture f;
  f.view.set<std::uint32_t>(at, 0x11223344u, ByteOrder::little);
  CHECK(bytesAt(f.view, at, 4) == "44 33 22 11");
  CHECK(f.view.get<std::uint32_t>(at, ByteOrder::big) == 0x44332211u);
  f.view.set<double>(at, 1.5, ByteOrder::big);
  CHECK(bytesAt(f.view, at, 8) == "3f f8 00 00 00 00 00 00");
  CHECK(f.view.get<double>(at, ByteOrder::big) == 1.5);
  f.view.set<std::int16_t>(at, -2, nativeByteOrder);
  CHECK(f.view.get<std::int16_t>(at, nativeByteOrder) == -2);
}

TEST_CASE("every DataView getter and setter works at every offset up to the last that fits") {
  ArrayBuffer buffer(11);
  DataView view(buffer);
  for (std::size_t offset = 0; offset + 8 <= 11; ++offset) {
    view.setFloat64(offset, 2.75, offset % 2 == 0);
    CHECK(view.getFloat64(offset, offset % 2 == 0) == 2.75);
    view.setBigUint64(offset, 0x8000000000000001u);
    CHECK(view.getBigUint64(offset) == 0x8000000000000001u);
  }
  CHECK_NOTHROW(view.getUint8(10));
  CHECK_NOTHROW(view.getUint16(9));
  CHECK_NOTHROW(view.getUint32(7));
  CHECK_NOTHROW(view.getFloat64(3));
}

TEST_CASE("every DataView getter past the end throws RangeError naming offset, size and length") {
  ArrayBuffer buffer(8);
  DataView view(buffer);
  CHECK_THROWS_MATCHES(
      view.getInt8(8), RangeError,
      Message("DataView.getInt8: offset 8 + 1 bytes is outside the bounds of the view (8 bytes)"));
  CHECK_THROWS_MATCHES(
      view.getUint8(8), RangeError,
      Message("DataView.getUint8: offset 8 + 1 bytes is outside the bounds of the view (8 bytes)"));
  CHECK_THROWS_MATCHES(
      view.getInt16(7), RangeError,
      Message("DataView.getInt16: offset 7 + 2 bytes is outside the bounds of the view (8 bytes)"));
  CHECK_THROWS_MATCHES(view.getUint16(7, true), RangeError,
                       Message("DataView.getUint16: offset 7 + 2 bytes is outside the bounds of "
                               "the view (8 bytes)"));
  CHECK_THROWS_MATCHES(
      view.getInt32(5), RangeError,
      Message("DataView.getInt32: offset 5 + 4 bytes is outside the bounds of the view (8 bytes)"));
  CHECK_THROWS_MATCHES(view.getUint32(5), RangeError,
                       Message("DataView.getUint32: offset 5 + 4 bytes is outside the bounds of "
                               "the view (8 bytes)"));
  CHECK_THROWS_MATCHES(view.getFloat32(6), RangeError,
                       Message("DataView.getFloat32: offset 6 + 4 bytes is outside the bounds of "
                               "the view (8 bytes)"));
  CHECK_THROWS_MATCHES(view.getFloat64(1), RangeError,
                       Message("DataView.getFloat64: offset 1 + 8 bytes is outside the bounds of "
                               "the view (8 bytes)"));
  CHECK_THROWS_MATCHES(view.getBigInt64(1), RangeError,
                       Message("DataView.getBigInt64: offset 1 + 8 bytes is outside the bounds of "
                               "the view (8 bytes)"));
  CHECK_THROWS_MATCHES(view.getBigUint64(8, true), RangeError,
                       Message("DataView.getBigUint64: offset 8 + 8 bytes is outside the bounds "
                               "of the view (8 bytes)"));
}

TEST_CASE("every DataView setter past the end throws RangeError and writes nothing") {
  ArrayBuffer buffer(8);
  DataView view(buffer);
  CHECK_THROWS_MATCHES(
      view.setInt8(8, 1), RangeError,
      Message("DataView.setInt8: offset 8 + 1 bytes is outside the bounds of the view (8 bytes)"));
  CHECK_THROWS_MATCHES(
      view.setUint8(9, 1), RangeError,
      Message("DataView.setUint8: offset 9 + 1 bytes is outside the bounds of the view (8 bytes)"));
  CHECK_THROWS_MATCHES(
      view.setInt16(7, 1), RangeError,
      Message("DataView.setInt16: offset 7 + 2 bytes is outside the bounds of the view (8 bytes)"));
  CHECK_THROWS_MATCHES(view.setUint16(7, 1, true), RangeError,
                       Message("DataView.setUint16: offset 7 + 2 bytes is outside the bounds of "
                               "the view (8 bytes)"));
  CHECK_THROWS_MATCHES(
      view.setInt32(5, 1), RangeError,
      Message("DataView.setInt32: offset 5 + 4 bytes is outside the bounds of the view (8 bytes)"));
  CHECK_THROWS_MATCHES(view.setUint32(5, 1), RangeError,
                       Message("DataView.setUint32: offset 5 + 4 bytes is outside the bounds of "
                               "the view (8 bytes)"));
  CHECK_THROWS_MATCHES(view.setFloat32(6, 1), RangeError,
                       Message("DataView.setFloat32: offset 6 + 4 bytes is outside the bounds of "
                               "the view (8 bytes)"));
  CHECK_THROWS_MATCHES(view.setFloat64(1, 1), RangeError,
                       Message("DataView.setFloat64: offset 1 + 8 bytes is outside the bounds of "
                               "the view (8 bytes)"));
  CHECK_THROWS_MATCHES(view.setBigInt64(1, 1), RangeError,
                       Message("DataView.setBigInt64: offset 1 + 8 bytes is outside the bounds of "
                               "the view (8 bytes)"));
  CHECK_THROWS_MATCHES(view.setBigUint64(4, 1, true), RangeError,
                       Message("DataView.setBigUint64: offset 4 + 8 bytes is outside the bounds "
                               "of the view (8 bytes)"));
  CHECK(hexBytes(buffer.bytes()) == "00 00 00 00 00 00 00 00");
}

TEST_CASE("huge DataView offsets are RangeErrors, not wrapped-around accesses") {
  ArrayBuffer buffer(8);
  DataView view(buffer);
  constexpr std::size_t huge = std::numeric_limits<std::size_t>::max();
  CHECK_THROWS_AS(view.getUint8(huge), RangeError);
  CHECK_THROWS_AS(view.getUint32(huge - 2), RangeError);
  CHECK_THROWS_AS(view.setFloat64(huge - 6, 1.0), RangeError);
  CHECK_THROWS_AS(view.checkedAt(4, huge, "read"), RangeError);
  CHECK_THROWS_AS(view.checkedAt(huge, 1, "read"), RangeError);
}

TEST_CASE("a view shorter than the number is a RangeError at offset 0") {
  ArrayBuffer buffer(2);
  DataView view(buffer);
  CHECK_THROWS_MATCHES(view.getUint32(0), RangeError,
                       Message("DataView.getUint32: offset 0 + 4 bytes is outside the bounds of "
                               "the view (2 bytes)"));
  DataView empty;
  CHECK(empty.byteLength() == 0);
  CHECK_THROWS_AS(empty.getUint8(0), RangeError);
}

TEST_CASE("a DataView over part of a buffer reads relative to its offset") {
  ArrayBuffer buffer(8);
  for (std::size_t i = 0; i < 8; ++i)
    buffer.data()[i] = static_cast<std::byte>(0x10 + i);
  DataView part(buffer, 2, 4);
  CHECK(part.byteOffset() == 2);
  CHECK(part.byteLength() == 4);
  CHECK(part.buffer().sameAs(buffer));
  CHECK(part.getUint8(0) == 0x12);
  CHECK(part.getUint32(0) == 0x12131415u);
  CHECK_THROWS_MATCHES(part.getUint16(3), RangeError,
                       Message("DataView.getUint16: offset 3 + 2 bytes is outside the bounds of "
                               "the view (4 bytes)"));

  DataView tail(buffer, 6);
  CHECK(tail.byteLength() == 2);
  CHECK(tail.getUint16(0, true) == 0x1716);
  CHECK(DataView(buffer, 8).byteLength() == 0);
  CHECK(DataView(buffer, 3, 0).byteLength() == 0);
}

TEST_CASE("a DataView outside its buffer is a RangeError") {
  ArrayBuffer buffer(4);
  // node: new DataView(new ArrayBuffer(4), 5) → "Start offset 5 is outside the bounds
  // of the buffer"; new DataView(new ArrayBuffer(4), 2, 3) → "Invalid DataView length
  // 3"; both RangeErrors.
  CHECK_THROWS_MATCHES(DataView(buffer, 5), RangeError,
                       Message("DataView: start offset 5 is outside the buffer of 4 bytes"));
  CHECK_THROWS_MATCHES(
      DataView(buffer, 2, 3), RangeError,
      Message("DataView: 3 bytes from offset 2 are outside the buffer of 4 bytes"));
  CHECK_THROWS_AS(DataView(buffer, 5, 0), RangeError);
  CHECK_THROWS_AS(DataView(buffer, 1, std::numeric_limits<std::size_t>::max()), RangeError);
}

TEST_CASE("subview narrows a DataView and checks that it fits") {
  ArrayBuffer buffer(8);
  DataView outer(buffer, 2, 6);
  DataView inner = outer.subview(1, 3);
  CHECK(inner.byteOffset() == 3);
  CHECK(inner.byteLength() == 3);
  CHECK(inner.buffer().sameAs(buffer));
  inner.setUint8(0, 9);
  CHECK(buffer.data()[3] == std::byte{9});
  CHECK(outer.subview(6, 0).byteLength() == 0);
  CHECK_THROWS_MATCHES(
      outer.subview(4, 3), RangeError,
      Message("DataView.subview: offset 4 + 3 bytes is outside the bounds of the view (6 bytes)"));
  CHECK_THROWS_AS(inner.getUint32(0), RangeError);
}

TEST_CASE("a DataView over external memory") {
  std::byte storage[6] = {};
  DataView view{std::span<std::byte>(storage)};
  view.setUint32(1, 0x01020304u);
  CHECK(hexBytes(storage) == "00 01 02 03 04 00");
  CHECK(view.byteOffset() == 0);
  DataView part = view.subview(2, 2);
  CHECK(part.getUint16(0) == 0x0203);
  CHECK_THROWS_MATCHES(
      view.buffer(), TypeError,
      Message("DataView.buffer: the view is of external memory, not an ArrayBuffer"));
  CHECK_THROWS_AS(part.buffer(), TypeError);
  CHECK_THROWS_AS(view.getUint32(3), RangeError);
}

TEST_CASE("checkedAt checks a whole block once and returns its first byte") {
  ArrayBuffer buffer(8);
  DataView view(buffer, 1, 6);
  std::byte* block = view.checkedAt(2, 4, "decode");
  CHECK(block == buffer.data() + 3);
  store<std::uint16_t, ByteOrder::big>(block, 0xabcd);
  CHECK(view.getUint16(2) == 0xabcd);
  CHECK(view.checkedAt(6, 0, "decode") == buffer.data() + 7);
  CHECK_THROWS_MATCHES(
      view.checkedAt(3, 4, "decode"), RangeError,
      Message("DataView.decode: offset 3 + 4 bytes is outside the bounds of the view (6 bytes)"));
}
