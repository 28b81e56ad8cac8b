// SPDX-License-Identifier: Apache-2.0
// Typed arrays of every element type: the construction rules, subarray/slice,
// set with overlapping ranges, fill, copyWithin, the JavaScript number
// conversions and printing. Expected values follow the ECMAScript specification;
// where a line says "node", the value was printed by Node.js 20 and pasted here.

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "test_support.hpp"
#include "wirekit/bytes/array_buffer.hpp"
#include "wirekit/bytes/typed_array.hpp"
#include "wirekit/error.hpp"

using namespace wirekit;
using Catch::Message;
using test::hexBytes;

namespace {

constexpr double notANumber = std::numeric_limits<double>::quiet_NaN();
constexpr double infinity = std::numeric_limits<double>::infinity();

template <class Array>
std::vector<typename Array::value_type> elements(const Array& array) {
  return {array.begin(), array.end()};
}

template <class Array>
std::string bytesOf(const Array& array) {
  return hexBytes({reinterpret_cast<const std::byte*>(array.data()), array.byteLength()});
}

}  // namespace

TEST_CASE("a Uint8Array prints as console.log prints it") {
  ArrayBuffer buffer(8);
  Uint8Array view(buffer);
  view[0] = 255;
  view[1] = 16;
  CHECK(fmt::format("{}", view) == "Uint8Array(8) [255, 16, 0, 0, 0, 0, 0, 0]");
}

TEMPLATE_TEST_CASE("every typed array views a whole buffer and from an offset", "", Int8Array,
                   Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
                   Float32Array, Float64Array, BigInt64Array, BigUint64Array) {
  constexpr std::size_t size = TestType::BYTES_PER_ELEMENT;
  ArrayBuffer buffer(size * 6);

  TestType whole(buffer);
  CHECK(whole.length() == 6);
  CHECK(whole.size() == 6);
  CHECK(whole.byteLength() == size * 6);
  CHECK(whole.byteOffset() == 0);
  CHECK(whole.buffer().sameAs(buffer));
  CHECK(reinterpret_cast<const std::byte*>(whole.data()) == buffer.data());

  TestType tail(buffer, size * 2);
  CHECK(tail.length() == 4);
  CHECK(tail.byteOffset() == size * 2);

  TestType middle(buffer, size, 3);
  CHECK(middle.length() == 3);
  CHECK(middle.byteOffset() == size);
  CHECK(middle.byteLength() == size * 3);

  // From the very end: an empty array (node: new Int32Array(new ArrayBuffer(16), 16)
  // is Int32Array(0) []).
  CHECK(TestType(buffer, size * 6).empty());
  CHECK(TestType(buffer, size * 6, 0).empty());
  CHECK(TestType().empty());
  CHECK(TestType().byteOffset() == 0);
}

TEMPLATE_TEST_CASE("every typed array writes through to the buffer it views", "", Int8Array,
                   Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
                   Float32Array, Float64Array, BigInt64Array, BigUint64Array) {
  using Element = typename TestType::value_type;
  ArrayBuffer buffer(TestType::BYTES_PER_ELEMENT * 4);
  TestType first(buffer);
  TestType second(buffer, TestType::BYTES_PER_ELEMENT, 2);
  first[1] = Element{42};
  second[1] = Element{7};
  CHECK(second[0] == Element{42});
  CHECK(first[2] == Element{7});
  CHECK(elements(first) == std::vector<Element>{0, 42, 7, 0});
}

TEMPLATE_TEST_CASE("a misaligned offset is a RangeError for every multi-byte element", "",
                   Int16Array, Uint16Array, Int32Array, Uint32Array, Float32Array, Float64Array,
                   BigInt64Array, BigUint64Array) {
  constexpr std::size_t size = TestType::BYTES_PER_ELEMENT;
  ArrayBuffer buffer(size * 4);
  const std::string message = fmt::format(
      "{}: start offset 1 is not a multiple of the element size {}", TestType::name, size);
  CHECK_THROWS_MATCHES(TestType(buffer, 1), RangeError, Message(message));
  CHECK_THROWS_MATCHES(TestType(buffer, 1, 1), RangeError, Message(message));
  CHECK_THROWS_AS(TestType(buffer, size + size / 2), RangeError);
}

TEMPLATE_TEST_CASE("a buffer whose length is not a multiple is a RangeError without a length", "",
                   Int16Array, Uint16Array, Int32Array, Uint32Array, Float32Array, Float64Array,
                   BigInt64Array, BigUint64Array) {
  constexpr std::size_t size = TestType::BYTES_PER_ELEMENT;
  ArrayBuffer buffer(size * 3 + 1);
  CHECK_THROWS_MATCHES(
      TestType(buffer), RangeError,
      Message(
          fmt::format("{}: byte length of the buffer ({}) is not a multiple of the element size {}",
                      TestType::name, size * 3 + 1, size)));
  CHECK_THROWS_AS(TestType(buffer, size), RangeError);
  // With a length, only the elements asked for must fit.
  CHECK(TestType(buffer, size, 2).length() == 2);
}

TEMPLATE_TEST_CASE("a range outside the buffer is a RangeError", "", Int8Array, Uint8Array,
                   Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
                   Float32Array, Float64Array, BigInt64Array, BigUint64Array) {
  constexpr std::size_t size = TestType::BYTES_PER_ELEMENT;
  ArrayBuffer buffer(size * 4);
  CHECK_THROWS_MATCHES(
      TestType(buffer, size * 5), RangeError,
      Message(fmt::format("{}: start offset {} is outside the bounds of the buffer ({} bytes)",
                          TestType::name, size * 5, size * 4)));
  CHECK_THROWS_MATCHES(
      TestType(buffer, size, 4), RangeError,
      Message(fmt::format("{}: 4 elements from byte offset {} do not fit in the buffer ({} bytes)",
                          TestType::name, size, size * 4)));
  CHECK_THROWS_AS(TestType(buffer, size * 5, 0), RangeError);
  // A length so large that length × size wraps around must still be refused.
  CHECK_THROWS_AS(TestType(buffer, 0, std::numeric_limits<std::size_t>::max() / 2 + 1), RangeError);
  CHECK_THROWS_AS(TestType(buffer, 0, std::numeric_limits<std::size_t>::max()), RangeError);
}

TEST_CASE("Int32Array over a misaligned offset or a 14-byte buffer is a RangeError (anchor 2)") {
  // node: new Int32Array(buffer, 2) → "start offset of Int32Array should be a multiple
  // of 4"; new Int32Array(new ArrayBuffer(14)) → "byte length of Int32Array should be
  // a multiple of 4"; both RangeErrors.
  ArrayBuffer sixteen(16);
  CHECK_THROWS_MATCHES(
      Int32Array(sixteen, 2), RangeError,
      Message("Int32Array: start offset 2 is not a multiple of the element size 4"));
  CHECK_THROWS_MATCHES(
      Int32Array(ArrayBuffer(14)), RangeError,
      Message(
          "Int32Array: byte length of the buffer (14) is not a multiple of the element size 4"));
  // node: new Int32Array(new ArrayBuffer(14), 4, 2) is Int32Array(2) [0, 0].
  CHECK(Int32Array(ArrayBuffer(14), 4, 2).length() == 2);
  // node: new Int32Array(new ArrayBuffer(16), 4, 4) → "Invalid typed array length: 4".
  CHECK_THROWS_AS(Int32Array(sixteen, 4, 4), RangeError);
}

TEST_CASE("a misaligned offset is a RangeError even over a detached buffer") {
  // The specification checks the offset before it looks at the buffer (node:
  // new Int32Array(detached, 1) → RangeError "start offset of Int32Array should be a
  // multiple of 4"; new Uint8Array(detached, 1) → TypeError).
  ArrayBuffer buffer(8);
  [[maybe_unused]] ArrayBuffer moved = buffer.transfer();
  CHECK_THROWS_AS(Int32Array(buffer, 1), RangeError);
  CHECK_THROWS_AS(Int32Array(buffer, 1, 1), RangeError);
  CHECK_THROWS_AS(Uint8Array(buffer, 1), TypeError);
  CHECK_THROWS_AS(Int32Array(buffer, 4), TypeError);
}

TEST_CASE("over a resizable buffer, a typed array without a length takes whole elements") {
  // The specification makes this a length-tracking view; only fixed-length buffers
  // must be a multiple of the element size. (Node 20's V8 still throws here.)
  ArrayBuffer buffer(7, ArrayBufferOptions{.maxByteLength = 16});
  Int32Array tracking(buffer);
  CHECK(tracking.length() == 1);
  buffer.resize(9);
  CHECK(tracking.length() == 2);
  CHECK_THROWS_AS(Int32Array(buffer, 12), RangeError);  // past the end
  CHECK_THROWS_AS(Int32Array(buffer, 2), RangeError);   // misaligned
}

TEST_CASE("a typed array over external memory has no ArrayBuffer") {
  alignas(4) std::uint32_t words[3] = {1, 2, 3};
  Uint32Array view{std::span<std::uint32_t>(words)};
  CHECK(view.length() == 3);
  CHECK(view.byteOffset() == 0);
  view[1] = 20;
  CHECK(words[1] == 20);
  CHECK(elements(view.subarray(1)) == std::vector<std::uint32_t>{20, 3});
  CHECK_THROWS_MATCHES(view.buffer(), TypeError,
                       Message("Uint32Array: views external memory, not an ArrayBuffer"));
  CHECK_THROWS_AS(view.subarray(1).buffer(), TypeError);
}

TEST_CASE("elements are in the machine's byte order") {
  ArrayBuffer buffer(8);
  Uint8Array bytes(buffer);
  bytes.set({0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08});
  const bool little = std::endian::native == std::endian::little;
  CHECK(Uint16Array(buffer)[0] == (little ? 0x0201 : 0x0102));
  CHECK(Uint32Array(buffer)[1] == (little ? 0x08070605u : 0x05060708u));
  CHECK(BigUint64Array(buffer)[0] == (little ? 0x0807060504030201u : 0x0102030405060708u));

  Int16Array halves(buffer);
  halves[0] = -2;  // 0xfffe
  CHECK(bytesOf(bytes.subarray(0, 2)) == (little ? "fe ff" : "ff fe"));
}

TEST_CASE("a Float32Array and a Uint32Array over one buffer see the same bytes") {
  // Why TypedArray's element type is may_alias: both views point at one object.
  ArrayBuffer buffer(8);
  Float32Array floats(buffer);
  Uint32Array words(buffer);
  floats[0] = 1.0f;
  CHECK(words[0] == 0x3f800000u);
  words[0] = 0x40490fdbu;
  // node: f[0] after u[0] = 0x40490fdb is 3.1415927410125732.
  CHECK(floats[0] == 3.1415927410125732);
  for (std::size_t i = 0; i < 2; ++i) {
    words[i] = 0xc0200000u;
    floats[1 - i] += 1.0f;
  }
  CHECK(floats[0] == -1.5f);
  CHECK(floats[1] == -2.5f);
  CHECK(words[0] == 0xbfc00000u);
}

TEST_CASE("subarray shares the bytes, with relative and clamped indices") {
  Owned<Int16Array> array = Int16Array::of({1, 2, 3, 4, 5});
  Int16Array part = array.subarray(1, 3);
  CHECK(part.byteOffset() == 2);
  CHECK(part.buffer().sameAs(array.buffer()));
  part[0] = 20;
  array[2] = 30;
  CHECK(elements(array) == std::vector<std::int16_t>{1, 20, 30, 4, 5});
  CHECK(elements(part) == std::vector<std::int16_t>{20, 30});

  // node: a.subarray(-3, -1) of [1, 2, 3, 4, 5] is [3, 4].
  CHECK(elements(Int16Array::of({1, 2, 3, 4, 5}).subarray(-3, -1)) ==
        std::vector<std::int16_t>{3, 4});
  CHECK(elements(array.subarray(-2)) == std::vector<std::int16_t>{4, 5});
  CHECK(elements(array.subarray(3)) == std::vector<std::int16_t>{4, 5});
  CHECK(array.subarray(3, 1).empty());
  CHECK(array.subarray(5).empty());
  CHECK(array.subarray(-100, 100).length() == 5);
  CHECK(part.subarray(1).byteOffset() == 4);
}

TEST_CASE("a subarray to the end of a length-tracking array tracks too") {
  ArrayBuffer buffer(4, ArrayBufferOptions{.maxByteLength = 8});
  Uint8Array tracking(buffer);
  Uint8Array toEnd = tracking.subarray(1);
  Uint8Array bounded = tracking.subarray(1, 3);
  buffer.resize(8);
  CHECK(toEnd.length() == 7);
  CHECK(bounded.length() == 2);
}

TEST_CASE("slice copies into a new buffer, with relative indices") {
  Owned<Int16Array> array = Int16Array::of({1, 2, 3, 4, 5});
  Owned<Int16Array> copy = array.slice(1, -1);
  // node: a.slice(1, -1) is [2, 3, 4]; a.slice(-2) is [4, 5]; a.slice(3, 1) is [].
  CHECK(elements(copy) == std::vector<std::int16_t>{2, 3, 4});
  CHECK(elements(array.slice(-2)) == std::vector<std::int16_t>{4, 5});
  CHECK(array.slice(3, 1).empty());
  CHECK(copy.byteOffset() == 0);
  CHECK_FALSE(copy.buffer().sameAs(array.buffer()));
  copy[0] = 99;
  CHECK(array[1] == 2);
  array[2] = 77;
  CHECK(copy[1] == 3);
  CHECK(Int16Array().slice().empty());
}

TEST_CASE("an Owned typed array is a handle: copies share the bytes") {
  Owned<Float64Array> a = Float64Array::of({1.5, 2.5});
  Owned<Float64Array> b = a;
  b[0] = -1;
  CHECK(a[0] == -1);
  const Float64Array view = a.view();
  CHECK(view.buffer().sameAs(a.buffer()));
}

TEST_CASE("at reads from either end and throws RangeError outside") {
  Owned<Int16Array> array = Int16Array::of({1, 2, 3, 4, 5});
  CHECK(array.at(0) == 1);
  CHECK(array.at(4) == 5);
  CHECK(array.at(-1) == 5);
  CHECK(array.at(-5) == 1);
  CHECK_THROWS_MATCHES(array.at(5), RangeError,
                       Message("Int16Array: index 5 is outside the array of 5 elements"));
  CHECK_THROWS_MATCHES(array.at(-6), RangeError,
                       Message("Int16Array: index -6 is outside the array of 5 elements"));
  CHECK_THROWS_AS(array.at(std::numeric_limits<std::ptrdiff_t>::min()), RangeError);
  CHECK_THROWS_AS(array.at(std::numeric_limits<std::ptrdiff_t>::max()), RangeError);
  CHECK_THROWS_AS(Uint8Array().at(0), RangeError);
}

TEST_CASE("set copies values from an offset and throws RangeError when they do not fit") {
  Owned<Int16Array> array = Int16Array::of({0, 0, 0, 0});
  array.set({7, 8}, 1);
  CHECK(elements(array) == std::vector<std::int16_t>{0, 7, 8, 0});
  array.set(Int16Array::of({1, 2, 3, 4}));
  CHECK(elements(array) == std::vector<std::int16_t>{1, 2, 3, 4});
  array.set(std::span<const std::int16_t>(), 4);  // nothing, at the very end: fine
  array.set(Int16Array(), 4);
  Int16Array().set(Int16Array());
  Int16Array().set(Int8Array());

  // node: new Int16Array(3).set([1, 2], 2) → RangeError "offset is out of bounds".
  CHECK_THROWS_MATCHES(
      array.set({1, 2}, 3), RangeError,
      Message("Int16Array: 2 elements at offset 3 do not fit in the array of 4 elements"));
  CHECK_THROWS_MATCHES(
      array.set(Int8Array::of({1, 2, 3, 4, 5})), RangeError,
      Message("Int16Array: 5 elements at offset 0 do not fit in the array of 4 elements"));
  CHECK_THROWS_AS(array.set({1}, 5), RangeError);
  CHECK_THROWS_AS(array.set({1}, std::numeric_limits<std::size_t>::max()), RangeError);
  CHECK(elements(array) == std::vector<std::int16_t>{1, 2, 3, 4});  // untouched
}

TEST_CASE("set within one array is correct when the ranges overlap") {
  // node: b8.set(b8.subarray(0, 6), 2) and b8.set(b8.subarray(2), 0) over [1…8].
  Owned<Uint8Array> forward = Uint8Array::of({1, 2, 3, 4, 5, 6, 7, 8});
  forward.set(forward.subarray(0, 6), 2);
  CHECK(elements(forward) == std::vector<std::uint8_t>{1, 2, 1, 2, 3, 4, 5, 6});
  Owned<Uint8Array> backward = Uint8Array::of({1, 2, 3, 4, 5, 6, 7, 8});
  backward.set(backward.subarray(2), 0);
  CHECK(elements(backward) == std::vector<std::uint8_t>{3, 4, 5, 6, 7, 8, 7, 8});

  Owned<Uint8ClampedArray> clamped = Uint8ClampedArray::of({1, 2, 3, 4});
  clamped.set(clamped.subarray(0, 3), 1);
  CHECK(elements(clamped) == std::vector<std::uint8_t>{1, 1, 2, 3});
}

TEST_CASE("set between arrays of different types over one buffer reads the source first") {
  // Converting element by element in place would read bytes already overwritten;
  // JavaScript's set behaves as if the source were copied first. The values are
  // chosen so that the answers do not depend on the machine's byte order.
  SECTION("a Uint8Array from an overlapping Uint16Array, target after the source") {
    ArrayBuffer buffer(8);
    Uint8Array bytes(buffer);
    Uint16Array words(buffer, 0, 3);
    words.set({0x1111, 0x2222, 0x3333});
    bytes.set(words, 4);  // writes bytes 4…6 while words[2] reads bytes 4…5
    CHECK(elements(bytes) ==
          std::vector<std::uint8_t>{0x11, 0x11, 0x22, 0x22, 0x11, 0x22, 0x33, 0});
  }
  SECTION("a Uint16Array from an overlapping Uint8Array") {
    ArrayBuffer buffer(8);
    Uint8Array bytes(buffer);
    bytes.set({1, 2, 3, 4, 5, 6, 7, 8});
    Uint16Array words(buffer, 2, 3);
    words.set(bytes.subarray(0, 3));  // writing words[0] overwrites bytes[2]
    CHECK(elements(words) == std::vector<std::uint16_t>{1, 2, 3});
    CHECK(bytes[0] == 1);
    CHECK(bytes[1] == 2);
  }
  SECTION("a Uint8ClampedArray from an overlapping Int8Array") {
    ArrayBuffer buffer(4);
    Int8Array signedBytes(buffer);
    signedBytes.set({-1, 5, -7, 100});
    Uint8ClampedArray clamped(buffer, 1, 3);
    clamped.set(signedBytes.subarray(0, 3));
    CHECK(elements(Uint8Array(buffer)) == std::vector<std::uint8_t>{255, 0, 5, 0});
  }
  SECTION("a Float32Array from an overlapping Float64Array") {
    ArrayBuffer buffer(24);
    Float64Array doubles(buffer, 8, 2);
    doubles.set({1.5, -2.25});
    Float32Array floats(buffer, 4, 2);  // bytes 4…11 overlap doubles[0]
    floats.set(doubles);
    CHECK(floats[0] == 1.5f);
    CHECK(floats[1] == -2.25f);
  }
}

TEST_CASE("set converts each element as JavaScript converts numbers") {
  Owned<Int16Array> shorts = Int16Array::of({0, 0, 0});
  shorts.set(Float64Array::of({70000.0, -1.5, notANumber}));
  CHECK(elements(shorts) == std::vector<std::int16_t>{4464, -1, 0});

  Owned<Uint8Array> bytes = Uint8Array::of({0, 0, 0});
  bytes.set(Int16Array::of({-1, 256, 257}));
  CHECK(elements(bytes) == std::vector<std::uint8_t>{255, 0, 1});

  Owned<Float32Array> floats = Float32Array::of({0, 0});
  floats.set(Float64Array::of({1e40, 0.1}));
  CHECK(std::isinf(floats[0]));
  CHECK(floats[1] == 0.1f);

  const std::vector<double> values = {1.9, -1.9};
  Owned<Int32Array> ints = Int32Array::of({0, 0});
  ints.set(std::span<const double>(values));
  CHECK(elements(ints) == std::vector<std::int32_t>{1, -1});

  Owned<BigInt64Array> bigs = BigInt64Array::of({0, 0});
  bigs.set(BigUint64Array::of({std::numeric_limits<std::uint64_t>::max(), std::uint64_t{5}}));
  CHECK(elements(bigs) == std::vector<std::int64_t>{-1, 5});
}

TEST_CASE("fill sets a relative range to a converted value") {
  // node: [1, 2, 3, 4, 5].fill(9, 1, -1) is [1, 9, 9, 9, 5]; .fill(70000, -2) is
  // [1, 2, 3, 4464, 4464]; new Int16Array(3).fill(-1.5) is [-1, -1, -1].
  CHECK(elements(Int16Array::of({1, 2, 3, 4, 5}).fill(9, 1, -1)) ==
        std::vector<std::int16_t>{1, 9, 9, 9, 5});
  CHECK(elements(Int16Array::of({1, 2, 3, 4, 5}).fill(70000, -2)) ==
        std::vector<std::int16_t>{1, 2, 3, 4464, 4464});
  CHECK(elements(Int16Array::of({0, 0, 0}).fill(-1.5)) == std::vector<std::int16_t>{-1, -1, -1});
  CHECK(elements(Int16Array::of({1, 2, 3}).fill(0, 2, 1)) == std::vector<std::int16_t>{1, 2, 3});
  CHECK(elements(Int16Array::of({1, 2, 3}).fill(0, 5)) == std::vector<std::int16_t>{1, 2, 3});
  CHECK(elements(Uint8ClampedArray::of({0, 0}).fill(300)) == std::vector<std::uint8_t>{255, 255});
  CHECK(elements(Float32Array::of({0, 0}).fill(0.5, -1)) == std::vector<float>{0, 0.5f});
  CHECK(Uint8Array().fill(1).empty());
}

TEST_CASE("copyWithin moves a relative range within the array") {
  // node: each call on new Int16Array([1, 2, 3, 4, 5]).
  CHECK(elements(Int16Array::of({1, 2, 3, 4, 5}).copyWithin(0, 3)) ==
        std::vector<std::int16_t>{4, 5, 3, 4, 5});
  CHECK(elements(Int16Array::of({1, 2, 3, 4, 5}).copyWithin(2, 0)) ==
        std::vector<std::int16_t>{1, 2, 1, 2, 3});
  CHECK(elements(Int16Array::of({1, 2, 3, 4, 5}).copyWithin(-2, 0, 1)) ==
        std::vector<std::int16_t>{1, 2, 3, 1, 5});
  CHECK(elements(Int16Array::of({1, 2, 3, 4, 5}).copyWithin(1, -2, -1)) ==
        std::vector<std::int16_t>{1, 4, 3, 4, 5});
  CHECK(elements(Int16Array::of({1, 2, 3}).copyWithin(5, 0)) == std::vector<std::int16_t>{1, 2, 3});
  CHECK(elements(Int16Array::of({1, 2, 3}).copyWithin(0, 2, 1)) ==
        std::vector<std::int16_t>{1, 2, 3});
  CHECK(Int16Array().copyWithin(0, 0).empty());
}

TEST_CASE("reverse, indexOf and includes") {
  CHECK(elements(Int8Array::of({1, 2, 3}).reverse()) == std::vector<std::int8_t>{3, 2, 1});
  Owned<Int8Array> array = Int8Array::of({5, 6, 5, 7});
  CHECK(array.indexOf(5) == 0);
  CHECK(array.indexOf(5, 1) == 2);
  CHECK(array.indexOf(5, -2) == 2);
  CHECK(array.indexOf(7, -100) == 3);
  CHECK(array.indexOf(8) == -1);
  CHECK(array.indexOf(5, 10) == -1);
  CHECK(array.includes(7));
  CHECK_FALSE(array.includes(5, 3));

  // node: new Float64Array([NaN]).includes(NaN) is true (SameValueZero) but
  // .indexOf(NaN) is -1 (strict equality); -0 and 0 are equal for both.
  Owned<Float64Array> floats = Float64Array::of({notANumber, -0.0});
  CHECK(floats.includes(notANumber));
  CHECK(floats.indexOf(notANumber) == -1);
  CHECK(floats.indexOf(0.0) == 1);
  CHECK(floats.includes(0.0));
  CHECK_FALSE(floats.includes(notANumber, 1));
  CHECK(Float32Array::of({1.0f, std::numeric_limits<float>::quiet_NaN()})
            .includes(std::numeric_limits<float>::quiet_NaN()));
}

TEST_CASE("typed arrays iterate like containers") {
  Owned<Int32Array> array = Int32Array::of({3, 1, 2});
  int sum = 0;
  for (std::int32_t value : array)
    sum += value;
  CHECK(sum == 6);
  std::sort(array.begin(), array.end());
  CHECK(elements(array) == std::vector<std::int32_t>{1, 2, 3});
  CHECK(std::accumulate(array.begin(), array.end(), 0) == 6);
  CHECK(array.end() - array.begin() == 3);
  Int32Array empty;
  CHECK(empty.begin() == empty.end());
}

TEST_CASE("of and from make arrays with their own buffer") {
  Owned<Uint16Array> fromInts = Uint16Array::from(Int8Array::of({-1, 2}));
  CHECK(elements(fromInts) == std::vector<std::uint16_t>{65535, 2});
  const std::vector<double> values = {1.5, -1.5, 300};
  CHECK(elements(Uint8ClampedArray::from(std::span<const double>(values))) ==
        std::vector<std::uint8_t>{2, 0, 255});
  CHECK(elements(Int8Array::from(std::span<const double>(values))) ==
        std::vector<std::int8_t>{1, -1, 44});
  CHECK(Float64Array::of({}).empty());
  CHECK(Uint8Array::of({1, 2}).buffer().byteLength() == 2);
}

TEST_CASE("Uint8ClampedArray clamps and rounds half to even") {
  // node: new Uint8ClampedArray([300, -5, 1.5, 2.5, NaN, 0.5, 254.5, 253.5, -0.4, 255.4])
  // is [255, 0, 2, 2, 0, 0, 254, 254, 0, 255].
  CHECK(elements(Uint8ClampedArray::of(
            {300.0, -5.0, 1.5, 2.5, notANumber, 0.5, 254.5, 253.5, -0.4, 255.4})) ==
        std::vector<std::uint8_t>{255, 0, 2, 2, 0, 0, 254, 254, 0, 255});
  CHECK(elements(Uint8ClampedArray::of({infinity, -infinity})) ==
        std::vector<std::uint8_t>{255, 0});
  CHECK(elements(Uint8ClampedArray::of({1000, -1000, 17})) ==
        std::vector<std::uint8_t>{255, 0, 17});

  Owned<Uint8ClampedArray> array = Uint8ClampedArray::of({0, 0, 0, 0, 0});
  array[0] = 300;
  array[1] = -5;
  array[2] = 1.5;
  array[3] = 2.5;
  array[4] = notANumber;
  CHECK(elements(array) == std::vector<std::uint8_t>{255, 0, 2, 2, 0});
  array[0] = array[2];
  CHECK(array[0] == 2);
  const std::uint8_t read = array[3];
  CHECK(read == 2);
}

TEST_CASE("integer arrays convert doubles as JavaScript does: truncate, then wrap") {
  // node: new Int8Array([200, -129, 1e10, NaN, Infinity, -Infinity, 3.9, -3.9]).
  CHECK(elements(Int8Array::of({200.0, -129.0, 1e10, notANumber, infinity, -infinity, 3.9,
                                -3.9})) == std::vector<std::int8_t>{-56, 127, 0, 0, 0, 0, 3, -3});
  // node: new Uint32Array([-1, 4294967296.5, -0.5, 2 ** 53, -(2 ** 53)]).
  CHECK(elements(
            Uint32Array::of({-1.0, 4294967296.5, -0.5, 9007199254740992.0, -9007199254740992.0})) ==
        std::vector<std::uint32_t>{4294967295u, 0, 0, 0, 0});
  // node: new Int32Array([2 ** 31, 2 ** 32 + 5, -(2 ** 31) - 1, 1e300]).
  CHECK(elements(Int32Array::of({2147483648.0, 4294967301.0, -2147483649.0, 1e300})) ==
        std::vector<std::int32_t>{-2147483647 - 1, 5, 2147483647, 0});
  // node: new Int16Array([32768, 65535, -32769, 1e20]).
  CHECK(elements(Int16Array::of({32768.0, 65535.0, -32769.0, 1e20})) ==
        std::vector<std::int16_t>{-32768, -1, 32767, 0});
  CHECK(elements(Uint16Array::of({-0.0, 65536.75, -1.25})) ==
        std::vector<std::uint16_t>{0, 0, 65535});
  CHECK(elements(Uint8Array::of({256.0, 511.9, -255.5, 1e-300})) ==
        std::vector<std::uint8_t>{0, 255, 1, 0});
}

TEST_CASE("Float32Array rounds doubles to the nearest float, overflowing to infinity") {
  // node: new Float32Array([1e40, -1e40, 3.4028235677973366e+38,
  // 3.4028235677973362e+38, 1e-50]) is [Infinity, -Infinity, Infinity,
  // 3.4028234663852886e+38, 0].
  Owned<Float32Array> floats =
      Float32Array::of({1e40, -1e40, 3.4028235677973366e+38, 3.4028235677973362e+38, 1e-50});
  CHECK(floats[0] == std::numeric_limits<float>::infinity());
  CHECK(floats[1] == -std::numeric_limits<float>::infinity());
  CHECK(floats[2] == std::numeric_limits<float>::infinity());
  CHECK(floats[3] == std::numeric_limits<float>::max());
  CHECK(floats[4] == 0.0f);
  CHECK(std::isnan(Float32Array::of({notANumber})[0]));
  CHECK(Float32Array::of({16777217})[0] == 16777216.0f);
}

TEST_CASE("every kind of typed array prints as console.log prints it, on one line") {
  // node: util.inspect of each, without its line breaks and the spaces inside [ ].
  CHECK(fmt::format("{}", Int8Array::of({-1, 127})) == "Int8Array(2) [-1, 127]");
  CHECK(fmt::format("{}", Uint8Array::of({0, 255})) == "Uint8Array(2) [0, 255]");
  CHECK(fmt::format("{}", Uint8ClampedArray::of({300, -5})) == "Uint8ClampedArray(2) [255, 0]");
  CHECK(fmt::format("{}", Int16Array::of({-32768, 7})) == "Int16Array(2) [-32768, 7]");
  CHECK(fmt::format("{}", Uint16Array::of({65535, 256})) == "Uint16Array(2) [65535, 256]");
  CHECK(fmt::format("{}", Int32Array::of({-2147483647 - 1, 2147483647})) ==
        "Int32Array(2) [-2147483648, 2147483647]");
  CHECK(fmt::format("{}", Uint32Array::of({4294967295u})) == "Uint32Array(1) [4294967295]");
  CHECK(fmt::format("{}", BigInt64Array::of({1, -2})) == "BigInt64Array(2) [1n, -2n]");
  CHECK(fmt::format("{}", BigUint64Array::of({std::numeric_limits<std::uint64_t>::max()})) ==
        "BigUint64Array(1) [18446744073709551615n]");
  CHECK(fmt::format("{}", Uint8Array()) == "Uint8Array(0) []");
  CHECK(fmt::format("{}", Float64Array()) == "Float64Array(0) []");
}

TEST_CASE("float arrays print their elements as JavaScript numbers") {
  // node: new Float64Array([-0, 0.1, 1e21, -Infinity, 5e-324]) prints
  // [ -0, 0.1, 1e+21, -Infinity, 5e-324 ]: console.log shows negative zero.
  CHECK(fmt::format("{}", Float64Array::of({-0.0, 0.1, 1e21, -infinity, 5e-324})) ==
        "Float64Array(5) [-0, 0.1, 1e+21, -Infinity, 5e-324]");
  CHECK(fmt::format("{}", Float64Array::of({notANumber, 1.0 / 3, 123e-20})) ==
        "Float64Array(3) [NaN, 0.3333333333333333, 1.23e-18]");
  // A Float32Array element is read as a JavaScript number, the double nearest the
  // float: node prints new Float32Array([35.9, -0, NaN, Infinity, 1e-7, 0.1]) as
  // [ 35.900001525878906, -0, NaN, Infinity, 1.0000000116860974e-7, 0.10000000149011612 ].
  CHECK(fmt::format("{}", Float32Array::of({35.9, -0.0, notANumber, infinity, 1e-7, 0.1})) ==
        "Float32Array(6) [35.900001525878906, -0, NaN, Infinity, 1.0000000116860974e-7, "
        "0.10000000149011612]");
  // node: new Float32Array([1.5, -2.5, 3.4028234663852886e38, 1e-45]).
  CHECK(fmt::format("{}", Float32Array::of({1.5, -2.5, 3.4028234663852886e38, 1e-45})) ==
        "Float32Array(4) [1.5, -2.5, 3.4028234663852886e+38, 1.401298464324817e-45]");
}

TEST_CASE("a typed array prints at most 100 elements, as console.log does") {
  std::string hundredZeros = "0";
  for (int i = 1; i < 100; ++i)
    hundredZeros += ", 0";
  ArrayBuffer buffer(102 * 2);
  // node: new Uint8Array(101) ends "... 1 more item"; (102) "... 2 more items".
  CHECK(fmt::format("{}", Uint8Array(buffer, 0, 100)) == "Uint8Array(100) [" + hundredZeros + "]");
  CHECK(fmt::format("{}", Uint8Array(buffer, 0, 101)) ==
        "Uint8Array(101) [" + hundredZeros + ", ... 1 more item]");
  CHECK(fmt::format("{}", Int16Array(buffer)) ==
        "Int16Array(102) [" + hundredZeros + ", ... 2 more items]");
}
