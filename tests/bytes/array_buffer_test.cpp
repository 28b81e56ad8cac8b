// SPDX-License-Identifier: Apache-2.0
// ArrayBuffer: zero-filled bytes behind handles, slice copies, resizable buffers,
// transfer and the detached state, as the ECMAScript specification defines them.
// Expected values follow the spec; where a line says "node", the value was
// printed by Node.js 20 (`node -e '…'`) and pasted here.

#include <cstdint>
#include <string>

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "test_support.hpp"
#include "wirekit/bytes/array_buffer.hpp"
#include "wirekit/bytes/buffer.hpp"
#include "wirekit/bytes/data_view.hpp"
#include "wirekit/bytes/typed_array.hpp"
#include "wirekit/error.hpp"

using namespace wirekit;
using Catch::Message;
using test::hexBytes;

namespace {

// An ArrayBuffer holding 1, 2, …, length.
ArrayBuffer counting(std::size_t length) {
  ArrayBuffer buffer(length);
  for (std::size_t i = 0; i < length; ++i)
    buffer.data()[i] = static_cast<std::byte>(i + 1);
  return buffer;
}

}  // namespace

TEST_CASE("a new ArrayBuffer is zero-filled and fixed-length") {
  ArrayBuffer buffer(16);
  REQUIRE(buffer.byteLength() == 16);
  CHECK(buffer.maxByteLength() == 16);
  CHECK_FALSE(buffer.resizable());
  CHECK_FALSE(buffer.detached());
  CHECK(buffer.bytes().size() == 16);
  for (std::byte b : buffer.bytes())
    CHECK(b == std::byte{0});
}

TEST_CASE("a default ArrayBuffer is empty and attached") {
  ArrayBuffer buffer;
  CHECK(buffer.byteLength() == 0);
  CHECK_FALSE(buffer.detached());
  CHECK(buffer.data() != nullptr);
}

TEST_CASE("ArrayBuffer::uninitialized has the asked length and is fixed-length") {
  ArrayBuffer buffer = ArrayBuffer::uninitialized(40);
  CHECK(buffer.byteLength() == 40);
  CHECK(buffer.maxByteLength() == 40);
  CHECK_FALSE(buffer.resizable());
}

TEST_CASE("copies of an ArrayBuffer are handles to the same bytes") {
  ArrayBuffer a(4);
  ArrayBuffer b = a;
  b.data()[2] = std::byte{0x7f};
  CHECK(a.data()[2] == std::byte{0x7f});
  CHECK(a.sameAs(b));
  CHECK_FALSE(a.sameAs(ArrayBuffer(4)));
}

TEST_CASE("the bytes outlive the handle they were made through") {
  Buffer keeper;
  {
    ArrayBuffer buffer = counting(4);
    keeper = Buffer::from(buffer);
  }
  CHECK(fmt::format("{}", keeper) == "<Buffer 01 02 03 04>");
}

TEST_CASE("ArrayBuffer.slice copies from begin to end with JavaScript's relative indices") {
  const ArrayBuffer buffer = counting(6);
  CHECK(hexBytes(buffer.slice().bytes()) == "01 02 03 04 05 06");
  CHECK(hexBytes(buffer.slice(2).bytes()) == "03 04 05 06");
  CHECK(hexBytes(buffer.slice(1, 3).bytes()) == "02 03");
  CHECK(hexBytes(buffer.slice(-2).bytes()) == "05 06");
  CHECK(hexBytes(buffer.slice(-4, -1).bytes()) == "03 04 05");
  CHECK(hexBytes(buffer.slice(1, -4).bytes()) == "02");
  CHECK(hexBytes(buffer.slice(-100, 100).bytes()) == "01 02 03 04 05 06");
  CHECK(buffer.slice(4, 1).byteLength() == 0);
  CHECK(buffer.slice(6).byteLength() == 0);
  CHECK(buffer.slice(100).byteLength() == 0);
  CHECK(buffer.slice(-1, -2).byteLength() == 0);
}

TEST_CASE("ArrayBuffer.slice copies: writes to either side stay on that side") {
  ArrayBuffer buffer = counting(4);
  ArrayBuffer copy = buffer.slice(1, 3);
  CHECK_FALSE(copy.sameAs(buffer));
  copy.data()[0] = std::byte{0xaa};
  buffer.data()[2] = std::byte{0xbb};
  CHECK(hexBytes(buffer.bytes()) == "01 02 bb 04");
  CHECK(hexBytes(copy.bytes()) == "aa 03");
}

TEST_CASE("slicing a resizable ArrayBuffer gives a fixed-length copy of its current bytes") {
  ArrayBuffer buffer(4, ArrayBufferOptions{.maxByteLength = 16});
  buffer.data()[3] = std::byte{9};
  ArrayBuffer copy = buffer.slice(2);
  CHECK_FALSE(copy.resizable());
  CHECK(copy.maxByteLength() == 2);
  CHECK(hexBytes(copy.bytes()) == "00 09");
}

TEST_CASE("a resizable ArrayBuffer starts zero-filled with its maximum") {
  ArrayBuffer buffer(8, ArrayBufferOptions{.maxByteLength = 16});
  CHECK(buffer.resizable());
  CHECK(buffer.byteLength() == 8);
  CHECK(buffer.maxByteLength() == 16);
  CHECK(hexBytes(buffer.bytes()) == "00 00 00 00 00 00 00 00");
  // A maximum of 0 is allowed, as `new ArrayBuffer(0, {maxByteLength: 0})` is.
  ArrayBuffer empty(0, ArrayBufferOptions{});
  CHECK(empty.resizable());
  CHECK(empty.byteLength() == 0);
}

TEST_CASE("a resizable ArrayBuffer longer than its maximum is a RangeError") {
  // node: new ArrayBuffer(8, {maxByteLength: 4}) throws RangeError.
  CHECK_THROWS_MATCHES(ArrayBuffer(8, ArrayBufferOptions{.maxByteLength = 4}), RangeError,
                       Message("ArrayBuffer: byteLength 8 exceeds maxByteLength 4"));
}

TEST_CASE("resize grows with zero bytes and shrinks, keeping the bytes in place") {
  ArrayBuffer buffer(4, ArrayBufferOptions{.maxByteLength = 12});
  std::byte* const first = buffer.data();
  for (std::byte& b : buffer.bytes())
    b = std::byte{0xee};

  buffer.resize(8);
  CHECK(buffer.byteLength() == 8);
  CHECK(hexBytes(buffer.bytes()) == "ee ee ee ee 00 00 00 00");

  buffer.resize(2);
  CHECK(buffer.byteLength() == 2);
  CHECK(hexBytes(buffer.bytes()) == "ee ee");

  // Bytes cut off by a shrink come back as zeros (node: [1, 2, 3, 0, …] after
  // resize(3) then resize(16) of a buffer that held 1…8).
  buffer.resize(12);
  CHECK(hexBytes(buffer.bytes()) == "ee ee 00 00 00 00 00 00 00 00 00 00");
  CHECK(buffer.data() == first);

  buffer.resize(0);
  CHECK(buffer.byteLength() == 0);
  CHECK(buffer.maxByteLength() == 12);
}

TEST_CASE("resize errors: above the maximum, fixed-length, detached") {
  ArrayBuffer resizable(4, ArrayBufferOptions{.maxByteLength = 16});
  CHECK_THROWS_MATCHES(resizable.resize(17), RangeError,
                       Message("ArrayBuffer.resize: new length 17 exceeds maxByteLength 16"));
  CHECK(resizable.byteLength() == 4);

  ArrayBuffer fixed(8);
  CHECK_THROWS_MATCHES(fixed.resize(4), TypeError,
                       Message("ArrayBuffer.resize: the ArrayBuffer is not resizable"));

  [[maybe_unused]] ArrayBuffer moved = resizable.transfer();
  CHECK_THROWS_MATCHES(resizable.resize(4), TypeError,
                       Message("ArrayBuffer.resize: the ArrayBuffer is detached"));
}

TEST_CASE("views made without a length follow a resizable buffer's length") {
  // node: the same sequence with rab = new ArrayBuffer(8, {maxByteLength: 16}) gives
  // tracking/offset lengths 3/10 at 14 bytes and 0/0 at 3 bytes.
  ArrayBuffer buffer(8, ArrayBufferOptions{.maxByteLength = 16});
  Int32Array tracking(buffer);
  Uint8Array fromFour(buffer, 4);
  DataView view(buffer);
  CHECK(tracking.length() == 2);
  CHECK(fromFour.length() == 4);

  buffer.resize(14);
  CHECK(tracking.length() == 3);  // whole elements only
  CHECK(tracking.byteLength() == 12);
  CHECK(fromFour.length() == 10);
  CHECK(fromFour.byteOffset() == 4);
  CHECK(view.byteLength() == 14);
  view.setUint8(13, 0x5a);
  CHECK(fromFour[9] == 0x5a);

  buffer.resize(3);
  CHECK(tracking.length() == 0);
  CHECK(fromFour.length() == 0);
  CHECK(fromFour.byteOffset() == 0);  // out of bounds
  CHECK(view.byteLength() == 3);
  CHECK(view.getUint8(2) == 0);
  CHECK_THROWS_AS(view.getUint8(3), RangeError);

  buffer.resize(16);
  CHECK(tracking.length() == 4);
  CHECK(fromFour.length() == 12);
  CHECK(fromFour.byteOffset() == 4);
  CHECK(fromFour[9] == 0);  // the byte written before the shrink came back as zero
}

TEST_CASE("views with a length go out of bounds when the buffer shrinks below them") {
  ArrayBuffer buffer(8, ArrayBufferOptions{.maxByteLength = 16});
  Int32Array fixed(buffer, 0, 2);
  DataView part(buffer, 2, 4);
  Uint8Array(buffer).set({1, 2, 3, 4, 5, 6, 7, 8});

  buffer.resize(14);
  CHECK(fixed.length() == 2);  // a length never grows
  CHECK(part.byteLength() == 4);

  buffer.resize(5);
  CHECK(fixed.length() == 0);
  CHECK(fixed.byteLength() == 0);
  CHECK(fixed.byteOffset() == 0);
  CHECK(part.byteLength() == 0);
  // node: "Cannot perform DataView.prototype.getUint8 on a detached ArrayBuffer"
  // (a TypeError) for a DataView that the resize left out of bounds.
  CHECK_THROWS_MATCHES(
      part.getUint8(0), TypeError,
      Message("DataView.getUint8: the ArrayBuffer is detached or was resized below the view"));
  CHECK_THROWS_AS(part.setUint8(0, 1), TypeError);

  buffer.resize(8);
  CHECK(fixed.length() == 2);
  CHECK(part.byteLength() == 4);
  CHECK(part.getUint8(0) == 3);
  CHECK(part.getUint8(3) == 0);  // byte 5 was cut off, so it is zero now
}

TEST_CASE("transfer moves the bytes to a new ArrayBuffer and detaches the old one") {
  ArrayBuffer buffer = counting(4);
  std::byte* const bytes = buffer.data();
  ArrayBuffer moved = buffer.transfer();
  CHECK(hexBytes(moved.bytes()) == "01 02 03 04");
  CHECK_FALSE(moved.detached());
  CHECK_FALSE(moved.resizable());
  CHECK(moved.data() == bytes);  // same length: handed over without a copy
  CHECK(buffer.detached());
  CHECK(buffer.byteLength() == 0);
  CHECK(buffer.maxByteLength() == 0);
  CHECK(buffer.data() == nullptr);
  CHECK(buffer.bytes().empty());
}

TEST_CASE("transfer(newLength) cuts or zero-extends") {
  ArrayBuffer longer = counting(3).transfer(5);
  CHECK(hexBytes(longer.bytes()) == "01 02 03 00 00");
  CHECK_FALSE(longer.resizable());
  ArrayBuffer shorter = counting(3).transfer(1);
  CHECK(hexBytes(shorter.bytes()) == "01");
  ArrayBuffer none = counting(3).transfer(0);
  CHECK(none.byteLength() == 0);
  CHECK_FALSE(none.detached());
}

TEST_CASE("transfer keeps a resizable buffer resizable with the same maximum") {
  ArrayBuffer buffer(4, ArrayBufferOptions{.maxByteLength = 8});
  for (std::byte& b : buffer.bytes())
    b = std::byte{0xcc};
  ArrayBuffer moved = buffer.transfer();
  CHECK(moved.resizable());
  CHECK(moved.maxByteLength() == 8);
  CHECK(hexBytes(moved.bytes()) == "cc cc cc cc");

  ArrayBuffer shrunk = moved.transfer(2);
  CHECK(shrunk.resizable());
  CHECK(shrunk.maxByteLength() == 8);
  CHECK(hexBytes(shrunk.bytes()) == "cc cc");
  // Growing again must not bring back the bytes the transfer cut off.
  ArrayBuffer grown = shrunk.transfer(8);
  CHECK(hexBytes(grown.bytes()) == "cc cc 00 00 00 00 00 00");
  grown.resize(1);
  grown.resize(3);
  CHECK(hexBytes(grown.bytes()) == "cc 00 00");
}

TEST_CASE(
    "transfer of a resizable buffer beyond its maximum is a RangeError and detaches nothing") {
  ArrayBuffer buffer(4, ArrayBufferOptions{.maxByteLength = 8});
  CHECK_THROWS_MATCHES(buffer.transfer(9), RangeError,
                       Message("ArrayBuffer.transfer: new length 9 exceeds maxByteLength 8"));
  CHECK_FALSE(buffer.detached());
  CHECK(buffer.byteLength() == 4);
}

TEST_CASE("transferToFixedLength makes a fixed-length buffer of the given length") {
  ArrayBuffer buffer(3, ArrayBufferOptions{.maxByteLength = 8});
  buffer.data()[2] = std::byte{7};
  ArrayBuffer fixed = buffer.transferToFixedLength();
  CHECK_FALSE(fixed.resizable());
  CHECK(fixed.byteLength() == 3);
  CHECK(fixed.maxByteLength() == 3);
  CHECK(hexBytes(fixed.bytes()) == "00 00 07");
  CHECK(buffer.detached());

  // Beyond the old maximum is fine: the new buffer is not resizable.
  ArrayBuffer longer = fixed.transferToFixedLength(10);
  CHECK(hexBytes(longer.bytes()) == "00 00 07 00 00 00 00 00 00 00");
  ArrayBuffer sameAsMaximum = ArrayBuffer(2, ArrayBufferOptions{.maxByteLength = 4});
  sameAsMaximum.data()[1] = std::byte{5};
  ArrayBuffer four = sameAsMaximum.transferToFixedLength(4);
  CHECK_FALSE(four.resizable());
  CHECK(hexBytes(four.bytes()) == "00 05 00 00");
}

TEST_CASE("a detached ArrayBuffer refuses slice, resize and transfer with TypeError") {
  ArrayBuffer buffer = counting(4);
  [[maybe_unused]] ArrayBuffer moved = buffer.transfer();
  // node (detaching through structuredClone): "Cannot perform
  // ArrayBuffer.prototype.slice on a detached ArrayBuffer", a TypeError.
  CHECK_THROWS_MATCHES(buffer.slice(0), TypeError,
                       Message("ArrayBuffer.slice: the ArrayBuffer is detached"));
  CHECK_THROWS_MATCHES(buffer.transfer(), TypeError,
                       Message("ArrayBuffer.transfer: the ArrayBuffer is detached"));
  CHECK_THROWS_MATCHES(buffer.transfer(2), TypeError,
                       Message("ArrayBuffer.transfer: the ArrayBuffer is detached"));
  CHECK_THROWS_MATCHES(buffer.transferToFixedLength(), TypeError,
                       Message("ArrayBuffer.transferToFixedLength: the ArrayBuffer is detached"));
  CHECK_THROWS_AS(buffer.resize(0), TypeError);
}

TEST_CASE("views of a detached ArrayBuffer have length 0 and DataView reads throw TypeError") {
  ArrayBuffer buffer = counting(8);
  Uint8Array bytes(buffer);
  Int16Array middle(buffer, 2, 2);
  DataView view(buffer);
  Buffer node = Buffer::from(buffer, 1, 4);
  [[maybe_unused]] ArrayBuffer moved = buffer.transfer();

  // node: [u8.length, u8.byteLength, u8.byteOffset, i16.length, i16.byteOffset]
  // after detaching is [0, 0, 0, 0, 0].
  CHECK(bytes.length() == 0);
  CHECK(bytes.byteLength() == 0);
  CHECK(bytes.byteOffset() == 0);
  CHECK(bytes.begin() == bytes.end());
  CHECK(middle.length() == 0);
  CHECK(middle.byteOffset() == 0);
  CHECK(view.byteLength() == 0);
  CHECK(node.length() == 0);
  CHECK(fmt::format("{}", node) == "<Buffer >");
  CHECK(fmt::format("{}", bytes) == "Uint8Array(0) []");

  CHECK_THROWS_MATCHES(
      view.getUint8(0), TypeError,
      Message("DataView.getUint8: the ArrayBuffer is detached or was resized below the view"));
  CHECK_THROWS_MATCHES(
      view.setFloat64(0, 1.0), TypeError,
      Message("DataView.setFloat64: the ArrayBuffer is detached or was resized below the view"));
  CHECK_THROWS_AS(bytes.at(0), RangeError);
  CHECK_THROWS_AS(node.readUInt8(0), RangeError);
}

TEST_CASE("no new view can be made over a detached ArrayBuffer") {
  ArrayBuffer buffer(8);
  [[maybe_unused]] ArrayBuffer moved = buffer.transfer();
  // node: "Cannot perform Construct on a detached ArrayBuffer" and "Cannot perform
  // DataView constructor on a detached ArrayBuffer", both TypeErrors.
  CHECK_THROWS_MATCHES(Uint8Array(buffer), TypeError,
                       Message("Uint8Array: the ArrayBuffer is detached"));
  CHECK_THROWS_AS(Float64Array(buffer, 0, 0), TypeError);
  CHECK_THROWS_MATCHES(DataView(buffer), TypeError,
                       Message("DataView: the ArrayBuffer is detached"));
  CHECK_THROWS_AS(DataView(buffer, 0, 0), TypeError);
  CHECK_THROWS_MATCHES(Buffer::from(buffer), TypeError,
                       Message("Buffer.from: the ArrayBuffer is detached"));
}

TEST_CASE("an ArrayBuffer prints as console.log prints it") {
  // node: util.inspect of each value.
  CHECK(fmt::format("{}", counting(2)) ==
        "ArrayBuffer { [Uint8Contents]: <01 02>, byteLength: 2 }");
  CHECK(fmt::format("{}", ArrayBuffer()) == "ArrayBuffer { [Uint8Contents]: <>, byteLength: 0 }");
  CHECK(fmt::format("{}", ArrayBuffer(2, ArrayBufferOptions{.maxByteLength = 4})) ==
        "ArrayBuffer { [Uint8Contents]: <00 00>, byteLength: 2 }");

  ArrayBuffer detached(4);
  [[maybe_unused]] ArrayBuffer moved = detached.transfer();
  CHECK(fmt::format("{}", detached) == "ArrayBuffer { (detached), byteLength: 0 }");
}

TEST_CASE("an ArrayBuffer prints at most 100 bytes, as console.log does") {
  std::string hundredZeros = "00";
  for (int i = 1; i < 100; ++i)
    hundredZeros += " 00";
  // node: new ArrayBuffer(100), (101), (102).
  CHECK(fmt::format("{}", ArrayBuffer(100)) ==
        "ArrayBuffer { [Uint8Contents]: <" + hundredZeros + ">, byteLength: 100 }");
  CHECK(fmt::format("{}", ArrayBuffer(101)) ==
        "ArrayBuffer { [Uint8Contents]: <" + hundredZeros + " ... 1 more byte>, byteLength: 101 }");
  CHECK(fmt::format("{}", ArrayBuffer(102)) == "ArrayBuffer { [Uint8Contents]: <" + hundredZeros +
                                                   " ... 2 more bytes>, byteLength: 102 }");
}
