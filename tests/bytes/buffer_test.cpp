// SPDX-License-Identifier: Apache-2.0
// Buffer: Node's API over shared ArrayBuffers. Expected values and error messages
// were printed by Node.js 20 for the same calls (`node -e '…'` with
// util.inspect) and pasted here, unless a comment says they were worked out by hand.

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "wirekit/bytes/array_buffer.hpp"
#include "wirekit/bytes/buffer.hpp"
#include "wirekit/bytes/typed_array.hpp"
#include "wirekit/error.hpp"

using namespace wirekit;
using Catch::Message;

namespace {

std::string show(const Buffer& buffer) {
  return fmt::format("{}", buffer);
}

// A Buffer carved from the pool at a non-zero offset: a second small allocation
// never starts a pool.
Buffer pooled(std::initializer_list<std::uint8_t> bytes) {
  Buffer result = Buffer::from(bytes);
  if (result.byteOffset() == 0) result = Buffer::from(bytes);
  return result;
}

// "The value of "<name>" is out of range. It must be <range>. Received <value>"
std::string outOfRange(std::string_view name, std::string_view range, std::string_view value) {
  return fmt::format("The value of \"{}\" is out of range. It must be {}. Received {}", name, range,
                     value);
}

template <class B>
concept Writable = requires(B& b) {
  b.writeUInt8(1, 0);
};
template <class B>
concept Fillable = requires(B& b) {
  b.fill(std::uint8_t{0});
};
template <class B>
concept TextWritable = requires(B& b) {
  b.write(std::string_view("a"));
};
template <class B>
concept Swappable = requires(B& b) {
  b.swap16();
};
template <class B>
concept Readable = requires(B& b) {
  b.readUInt8(0);
};

}  // namespace

TEST_CASE("Buffer → ArrayBuffer → Buffer round trip, as Node users write it") {
  SECTION("a Buffer of its own") {
    Buffer buf = Buffer::alloc(4);
    buf.writeUInt32BE(0x01020304);
    ArrayBuffer arrayBuffer =
        buf.buffer().slice(static_cast<std::ptrdiff_t>(buf.byteOffset()),
                           static_cast<std::ptrdiff_t>(buf.byteOffset() + buf.byteLength()));
    Buffer back = Buffer::from(arrayBuffer);
    CHECK(show(back) == "<Buffer 01 02 03 04>");
    CHECK(back.byteOffset() == 0);
    CHECK(back.buffer().sameAs(arrayBuffer));
  }
  SECTION("a pooled Buffer, whose ArrayBuffer is the whole pool") {
    Buffer buf = pooled({1, 2, 3, 4});
    REQUIRE(buf.byteOffset() != 0);
    CHECK(buf.buffer().byteLength() == Buffer::poolSize);
    ArrayBuffer arrayBuffer =
        buf.buffer().slice(static_cast<std::ptrdiff_t>(buf.byteOffset()),
                           static_cast<std::ptrdiff_t>(buf.byteOffset() + buf.byteLength()));
    CHECK(arrayBuffer.byteLength() == 4);
    Buffer back = Buffer::from(arrayBuffer);
    CHECK(show(back) == "<Buffer 01 02 03 04>");
    CHECK(back.byteOffset() == 0);
    CHECK(back.equals(buf));
    back[0] = 9;  // a copy: the pooled Buffer keeps its byte
    CHECK(buf[0] == 1);
  }
}

TEST_CASE("Buffer.from(bytes).readUInt32LE and friends (anchor 4)") {
  const Buffer buf = Buffer::from({0x12, 0x34, 0x56, 0x78});
  CHECK(buf.readUInt32LE(0) == 0x78563412u);
  CHECK(buf.readUInt32BE(0) == 0x12345678u);
  CHECK_THROWS_MATCHES(buf.readUInt32LE(1), RangeError,
                       Message(outOfRange("offset", ">= 0 and <= 0", "1")));
  Buffer out = Buffer::alloc(8);
  CHECK(out.writeUInt32LE(0x78563412, 0) == 4);
  CHECK(out.writeUInt16BE(0x1234, 4) == 6);
  CHECK(out.writeUInt8(0xff, 6) == 7);
  CHECK(show(out) == "<Buffer 12 34 56 78 12 34 ff 00>");
}

TEST_CASE("Buffer.alloc is zero-filled or filled, and never pooled") {
  Buffer zeros = Buffer::alloc(5);
  CHECK(show(zeros) == "<Buffer 00 00 00 00 00>");
  CHECK(zeros.byteOffset() == 0);
  CHECK(zeros.buffer().byteLength() == 5);
  CHECK(show(Buffer::alloc(3, 0xab)) == "<Buffer ab ab ab>");
  // node: Buffer.alloc(5, 'ab'), Buffer.alloc(5, 'é'), Buffer.alloc(4, '').
  CHECK(show(Buffer::alloc(5, "ab")) == "<Buffer 61 62 61 62 61>");
  CHECK(show(Buffer::alloc(5, "\u00e9")) == "<Buffer c3 a9 c3 a9 c3>");
  CHECK(show(Buffer::alloc(4, "")) == "<Buffer 00 00 00 00>");
  CHECK(show(Buffer::alloc(6, "YWI=", Encoding::base64)) == "<Buffer 61 62 61 62 61 62>");
  CHECK(show(Buffer::alloc(0)) == "<Buffer >");
  // node: Buffer.alloc(4, 'zz', 'hex') → TypeError "The argument 'value' is invalid.
  // Received 'zz'".
  CHECK_THROWS_MATCHES(Buffer::alloc(4, "zz", Encoding::hex), TypeError,
                       Message("The argument 'value' is invalid. Received 'zz'"));
}

TEST_CASE("small allocUnsafe Buffers share the pool at 8-byte-aligned offsets") {
  // Start from a fresh pool: a 4095-byte Buffer (the largest pooled) fits at most
  // twice in one 8 KiB pool, so the third starts a new one at the latest.
  Buffer first = Buffer::allocUnsafe(Buffer::poolSize / 2 - 1);
  for (int i = 0; i < 3 && first.byteOffset() != 0; ++i)
    first = Buffer::allocUnsafe(Buffer::poolSize / 2 - 1);
  REQUIRE(first.byteOffset() == 0);
  const ArrayBuffer pool = first.buffer();
  CHECK(pool.byteLength() == Buffer::poolSize);

  Buffer a = Buffer::allocUnsafe(3);
  Buffer b = Buffer::allocUnsafe(5);
  Buffer c = Buffer::from({1, 2});
  CHECK(a.buffer().sameAs(pool));
  CHECK(b.buffer().sameAs(pool));
  CHECK(c.buffer().sameAs(pool));
  CHECK(a.byteOffset() == 4096);  // 4095 rounded up to a multiple of 8
  CHECK(b.byteOffset() == 4104);
  CHECK(c.byteOffset() == 4112);
  CHECK(a.length() == 3);
  CHECK(b.length() == 5);

  // 8192 - 4120 = 4072 bytes are left: another 4095 needs a new pool.
  Buffer next = Buffer::allocUnsafe(Buffer::poolSize / 2 - 1);
  CHECK(next.byteOffset() == 0);
  CHECK_FALSE(next.buffer().sameAs(pool));
  CHECK(c.buffer().sameAs(pool));  // the old pool lives on in its Buffers
  CHECK(show(c) == "<Buffer 01 02>");
}

TEST_CASE("large, empty and allocUnsafeSlow Buffers have an ArrayBuffer of their own") {
  Buffer large = Buffer::allocUnsafe(Buffer::poolSize / 2);
  CHECK(large.byteOffset() == 0);
  CHECK(large.buffer().byteLength() == Buffer::poolSize / 2);
  Buffer slow = Buffer::allocUnsafeSlow(10);
  CHECK(slow.byteOffset() == 0);
  CHECK(slow.buffer().byteLength() == 10);
  // node: [Buffer.allocUnsafe(0).byteOffset, Buffer.from([]).byteOffset,
  // Buffer.from('').byteOffset, Buffer.from([]).buffer.byteLength,
  // Buffer.concat([]).buffer.byteLength] is [0, 0, 0, 0, 0].
  for (const Buffer& empty : {Buffer::allocUnsafe(0), Buffer::from(std::span<const std::uint8_t>()),
                              Buffer::from(""), Buffer::concat({})}) {
    CHECK(empty.length() == 0);
    CHECK(empty.byteOffset() == 0);
    CHECK(empty.buffer().byteLength() == 0);
  }
}

TEST_CASE("Buffer.from copies bytes from every kind of source") {
  const std::vector<std::uint8_t> octets = {1, 2, 3};
  const std::vector<std::byte> bytes = {std::byte{4}, std::byte{5}};
  CHECK(show(Buffer::from({0xde, 0xad})) == "<Buffer de ad>");
  Buffer fromOctets = Buffer::from(std::span<const std::uint8_t>(octets));
  CHECK(show(fromOctets) == "<Buffer 01 02 03>");
  CHECK(show(Buffer::from(std::span<const std::byte>(bytes))) == "<Buffer 04 05>");

  Buffer copy = Buffer::from(fromOctets);
  copy[0] = 9;
  CHECK(fromOctets[0] == 1);
  CHECK(copy.data() != fromOctets.data());

  Owned<Uint8Array> array = Uint8Array::of({7, 8});
  Buffer fromArray = Buffer::from(array);
  array[0] = 0;
  CHECK(show(fromArray) == "<Buffer 07 08>");
}

TEST_CASE("Buffer.from(ArrayBuffer) shares the bytes, with an offset and length") {
  ArrayBuffer arrayBuffer(6);
  Buffer whole = Buffer::from(arrayBuffer);
  Buffer part = Buffer::from(arrayBuffer, 2, 3);
  Buffer tail = Buffer::from(arrayBuffer, 4);
  CHECK(whole.length() == 6);
  CHECK(part.byteOffset() == 2);
  CHECK(part.length() == 3);
  CHECK(tail.length() == 2);
  CHECK(whole.buffer().sameAs(arrayBuffer));
  arrayBuffer.data()[4] = std::byte{0x44};
  part[0] = 0x22;
  CHECK(show(whole) == "<Buffer 00 00 22 00 44 00>");
  CHECK(show(tail) == "<Buffer 44 00>");
  // node: Buffer.from(new ArrayBuffer(4), 4) and (…, 1, 0) are empty.
  CHECK(Buffer::from(arrayBuffer, 6).empty());
  CHECK(Buffer::from(arrayBuffer, 1, 0).empty());
  // node: RangeError [ERR_BUFFER_OUT_OF_BOUNDS] for (…, 5) and (…, 1, 4) over 4 bytes.
  ArrayBuffer four(4);
  CHECK_THROWS_MATCHES(Buffer::from(four, 5), RangeError,
                       Message("\"offset\" is outside of buffer bounds"));
  CHECK_THROWS_MATCHES(Buffer::from(four, 1, 4), RangeError,
                       Message("\"length\" is outside of buffer bounds"));
}

TEST_CASE("Buffer.from(resizable ArrayBuffer) keeps the length it was made with") {
  // node: rab = new ArrayBuffer(4, {maxByteLength: 8}); b = Buffer.from(rab);
  // c = Buffer.from(rab, 1); after rab.resize(8) [b.length, c.length] is [4, 3];
  // after rab.resize(2) it is [0, 0] and b.byteOffset is 0.
  ArrayBuffer resizable(4, ArrayBufferOptions{.maxByteLength = 8});
  Buffer b = Buffer::from(resizable);
  Buffer c = Buffer::from(resizable, 1);
  resizable.resize(8);
  CHECK(b.length() == 4);
  CHECK(c.length() == 3);
  resizable.resize(2);
  CHECK(b.length() == 0);
  CHECK(c.length() == 0);
  CHECK(b.byteOffset() == 0);
  CHECK(c.byteOffset() == 0);  // out of bounds, as a typed array's
  CHECK_THROWS_AS(b.readUInt8(0), RangeError);
  resizable.resize(4);
  CHECK(b.length() == 4);
}

TEST_CASE("Buffer.from(string) in every encoding, including invalid input") {
  const char* text = "a\u00e9\u20ac\U0001F600";  // a é € 😀
  // node: [...Buffer.from('aé€😀', encoding)] in hex.
  CHECK(show(Buffer::from(text)) == "<Buffer 61 c3 a9 e2 82 ac f0 9f 98 80>");
  CHECK(show(Buffer::from(text, Encoding::utf16le)) == "<Buffer 61 00 e9 00 ac 20 3d d8 00 de>");
  CHECK(show(Buffer::from(text, Encoding::latin1)) == "<Buffer 61 e9 ac 3d 00>");
  CHECK(show(Buffer::from(text, Encoding::ascii)) == "<Buffer 61 e9 ac 3d 00>");
  // node: Buffer.from('1a7', 'hex') is <Buffer 1a> (anchor 5); '12zz34' stops at zz.
  CHECK(show(Buffer::from("1a7", Encoding::hex)) == "<Buffer 1a>");
  CHECK(show(Buffer::from("12zz34", Encoding::hex)) == "<Buffer 12>");
  CHECK(show(Buffer::from("zz", Encoding::hex)) == "<Buffer >");
  CHECK(show(Buffer::from("AbCd", Encoding::hex)) == "<Buffer ab cd>");
  CHECK(show(Buffer::from("YW Jj\nZA==", Encoding::base64)) == "<Buffer 61 62 63 64>");
  CHECK(show(Buffer::from("YWJjZA=YWJj", Encoding::base64)) == "<Buffer 61 62 63 64>");
  CHECK(show(Buffer::from("_-8", Encoding::base64)) == "<Buffer ff ef>");
  CHECK(show(Buffer::from("/+8=", Encoding::base64url)) == "<Buffer ff ef>");
  // Invalid UTF-8 in the C++ string stands for what a JS string cannot hold: U+FFFD.
  CHECK(show(Buffer::from("a\xff"
                          "b")) == "<Buffer 61 ef bf bd 62>");
  CHECK(show(Buffer::from("\xe2\x82"
                          "A")) == "<Buffer ef bf bd 41>");
}

TEST_CASE("Buffer.concat joins, cuts to or zero-fills up to totalLength") {
  const Buffer a = Buffer::from({1, 2});
  const Buffer b = Buffer::from({3});
  const Buffer c = Buffer::from({4, 5});
  // node: concat([a, b, c]); concat([a, b], 2); concat([a, b], 5); concat([], 3);
  // concat([a], 0).
  CHECK(show(Buffer::concat({a, b, c})) == "<Buffer 01 02 03 04 05>");
  const std::vector<Buffer> list = {a, b};
  CHECK(show(Buffer::concat(list, 2)) == "<Buffer 01 02>");
  CHECK(show(Buffer::concat(list, 1)) == "<Buffer 01>");
  CHECK(show(Buffer::concat(list, 5)) == "<Buffer 01 02 03 00 00>");
  CHECK(show(Buffer::concat(std::span<const Buffer>(), 3)) == "<Buffer 00 00 00>");
  CHECK(show(Buffer::concat(std::span<const Buffer>(list.data(), 1), 0)) == "<Buffer >");
  CHECK(show(Buffer::concat({Buffer(), a, Buffer()})) == "<Buffer 01 02>");
  Buffer joined = Buffer::concat({a, b});
  joined[0] = 9;
  CHECK(a[0] == 1);  // a copy
}

TEST_CASE("Buffer.compare and equals order bytes as unsigned, then by length") {
  // node: [compare([1,2],[1,3]), compare([1,2],[1]), compare([0xff],[0x01]),
  // compare([],[]), equals] is [-1, 1, 1, 0, true].
  CHECK(Buffer::compare(Buffer::from({1, 2}), Buffer::from({1, 3})) == -1);
  CHECK(Buffer::compare(Buffer::from({1, 2}), Buffer::from({1})) == 1);
  CHECK(Buffer::compare(Buffer::from({1}), Buffer::from({1, 2})) == -1);
  CHECK(Buffer::compare(Buffer::from({0xff}), Buffer::from({0x01})) == 1);
  CHECK(Buffer::compare(Buffer(), Buffer::alloc(0)) == 0);
  CHECK(Buffer::from({1, 2}).equals(Buffer::from({1, 2})));
  CHECK_FALSE(Buffer::from({1, 2}).equals(Buffer::from({1, 2, 0})));
  CHECK(Buffer().equals(Buffer()));
}

TEST_CASE("Buffer.compare over ranges, with Node's range checks") {
  const Buffer b = Buffer::from({1, 2, 3, 4, 5});
  const Buffer target = Buffer::from({2, 3});
  // node: b.compare(Buffer.from([2,3]), …) for (0,2,1,3), (0,2,1,2), (0,1,1,3),
  // (0,0,0,0), (1,1) is [0, -1, 1, 0, 1].
  CHECK(b.compare(target, 0, 2, 1, 3) == 0);
  CHECK(b.compare(target, 0, 2, 1, 2) == -1);
  CHECK(b.compare(target, 0, 1, 1, 3) == 1);
  CHECK(b.compare(target, 0, 0, 0, 0) == 0);
  CHECK(b.compare(target, 1, 1) == 1);
  CHECK(b.compare(target) == -1);

  const Buffer abcd = Buffer::from("abcd");
  const Buffer ab = Buffer::from("ab");
  // node: Buffer.from('abcd').compare(Buffer.from('ab'), 5) is 1 and (…, 0, 2, 5) is
  // -1: starts are not checked against the lengths, only the ends are.
  CHECK(abcd.compare(ab, 5) == 1);
  CHECK(abcd.compare(ab, 0, 2, 5) == -1);
  CHECK(abcd.compare(ab, 0, 2, 5, 4) == -1);
  CHECK_THROWS_MATCHES(abcd.compare(ab, 0, 3), RangeError,
                       Message(outOfRange("targetEnd", ">= 0 && <= 2", "3")));
  CHECK_THROWS_MATCHES(abcd.compare(ab, 0, 2, 0, 5), RangeError,
                       Message(outOfRange("sourceEnd", ">= 0 && <= 4", "5")));
}

TEST_CASE("Buffer.copy copies what fits and is correct when the ranges overlap") {
  // node: x.copy(x, 2, 0, 6) and x.copy(x, 0, 2) over [1…8] return 6 and give
  // <Buffer 01 02 01 02 03 04 05 06> and <Buffer 03 04 05 06 07 08 07 08>.
  Buffer forward = Buffer::from({1, 2, 3, 4, 5, 6, 7, 8});
  CHECK(forward.copy(forward, 2, 0, 6) == 6);
  CHECK(show(forward) == "<Buffer 01 02 01 02 03 04 05 06>");
  Buffer backward = Buffer::from({1, 2, 3, 4, 5, 6, 7, 8});
  CHECK(backward.copy(backward, 0, 2) == 6);
  CHECK(show(backward) == "<Buffer 03 04 05 06 07 08 07 08>");
  // node: x.subarray(1).copy(x.subarray(0, 7), 1) returns 6 and changes nothing.
  Buffer shared = Buffer::from({1, 2, 3, 4, 5, 6, 7, 8});
  Buffer front = shared.subarray(0, 7);
  CHECK(shared.subarray(1).copy(front, 1) == 6);
  CHECK(show(shared) == "<Buffer 01 02 03 04 05 06 07 08>");

  // node: x.copy(Buffer.alloc(3), 1, 4) returns 2 and gives <Buffer 00 05 06>.
  Buffer small = Buffer::alloc(3);
  CHECK(Buffer::from({1, 2, 3, 4, 5, 6, 7, 8}).copy(small, 1, 4) == 2);
  CHECK(show(small) == "<Buffer 00 05 06>");
}

TEST_CASE("Buffer.copy clamps ends and checks sourceStart") {
  const Buffer source = Buffer::alloc(4, 7);
  Buffer target = Buffer::alloc(4);
  // node: Buffer.alloc(4).copy(Buffer.alloc(4), 5) is 0; (…, 0, 0, 9) is 4;
  // (…, 0, 5) → RangeError "… It must be >= 0 && <= 4. Received 5".
  CHECK(source.copy(target, 5) == 0);
  CHECK(source.copy(target, 4) == 0);
  CHECK(source.copy(target, 0, 0, 9) == 4);
  CHECK(source.copy(target, 0, 3, 2) == 0);
  CHECK(source.copy(target, 0, 4) == 0);
  CHECK_THROWS_MATCHES(source.copy(target, 0, 5), RangeError,
                       Message(outOfRange("sourceStart", ">= 0 && <= 4", "5")));
}

TEST_CASE("Buffer.subarray shares the bytes, with relative indices") {
  Buffer b = Buffer::from({1, 2, 3, 4, 5});
  // node: b.subarray(-2), (1, -1), (3, 1), (-100, 2), (2, 100).
  CHECK(show(b.subarray(-2)) == "<Buffer 04 05>");
  CHECK(show(b.subarray(1, -1)) == "<Buffer 02 03 04>");
  CHECK(show(b.subarray(3, 1)) == "<Buffer >");
  CHECK(show(b.subarray(-100, 2)) == "<Buffer 01 02>");
  CHECK(show(b.subarray(2, 100)) == "<Buffer 03 04 05>");
  Buffer middle = b.subarray(1, 3);
  CHECK(middle.byteOffset() == b.byteOffset() + 1);
  CHECK(middle.buffer().sameAs(b.buffer()));
  middle[0] = 0x20;
  b[2] = 0x30;
  CHECK(show(b) == "<Buffer 01 20 30 04 05>");
  CHECK(show(middle) == "<Buffer 20 30>");
  CHECK(show(Buffer().subarray(1)) == "<Buffer >");
}

TEST_CASE("a subarray keeps the bytes alive on its own") {
  Buffer part;
  {
    Buffer whole = Buffer::from({1, 2, 3});
    part = whole.subarray(1);
  }
  CHECK(show(part) == "<Buffer 02 03>");
}

TEST_CASE("Buffer.fill with a byte or an encoded string") {
  // node: Buffer.alloc(4).fill(0x41, 1, 3); Buffer.alloc(6).fill('abc', 1);
  // .fill('6162', 'hex'); .fill('YWI=', 0, 5, 'base64'); Buffer.alloc(5).fill('€');
  // Buffer.alloc(6).fill('ab', 'utf16le').
  CHECK(show(Buffer::alloc(4).fill(0x41, 1, 3)) == "<Buffer 00 41 41 00>");
  CHECK(show(Buffer::alloc(6).fill("abc", 1)) == "<Buffer 00 61 62 63 61 62>");
  CHECK(show(Buffer::alloc(6).fill("6162", 0, Buffer::npos, Encoding::hex)) ==
        "<Buffer 61 62 61 62 61 62>");
  CHECK(show(Buffer::alloc(6).fill("YWI=", 0, 5, Encoding::base64)) ==
        "<Buffer 61 62 61 62 61 00>");
  CHECK(show(Buffer::alloc(5).fill("\u20ac")) == "<Buffer e2 82 ac e2 82>");
  CHECK(show(Buffer::alloc(6).fill("ab", 0, Buffer::npos, Encoding::utf16le)) ==
        "<Buffer 61 00 62 00 61 00>");
  CHECK(show(Buffer::alloc(3, 1).fill("")) == "<Buffer 00 00 00>");
  CHECK(show(Buffer::alloc(3).fill(7).fill(8, 2)) == "<Buffer 07 07 08>");
}

TEST_CASE("Buffer.fill checks end, ignores an empty range and rejects unencodable values") {
  // node: Buffer.alloc(4).fill(0, 5), .fill(0, 3, 1), .fill('abc', 4), .fill(0, 5, 4)
  // and .fill('zz', 1, 1, 'hex') change nothing and do not throw; .fill('a', 0, 9) →
  // "The value of "end" is out of range. It must be >= 0 && <= 4. Received 9";
  // .fill('zz', 'hex') → TypeError "The argument 'value' is invalid. Received 'zz'".
  Buffer b = Buffer::alloc(4);
  CHECK(show(b.fill(1, 5)) == "<Buffer 00 00 00 00>");
  CHECK(show(b.fill(1, 3, 1)) == "<Buffer 00 00 00 00>");
  CHECK(show(b.fill("abc", 4)) == "<Buffer 00 00 00 00>");
  CHECK(show(b.fill("zz", 1, 1, Encoding::hex)) == "<Buffer 00 00 00 00>");
  CHECK(show(b.fill("zz", 5, 4, Encoding::hex)) == "<Buffer 00 00 00 00>");
  CHECK_THROWS_MATCHES(b.fill("a", 0, 9), RangeError,
                       Message(outOfRange("end", ">= 0 && <= 4", "9")));
  CHECK_THROWS_MATCHES(b.fill(0, 0, 5), RangeError,
                       Message(outOfRange("end", ">= 0 && <= 4", "5")));
  CHECK_THROWS_MATCHES(b.fill("zz", 0, Buffer::npos, Encoding::hex), TypeError,
                       Message("The argument 'value' is invalid. Received 'zz'"));
  const std::string longValue(200, '!');
  CHECK_THROWS_MATCHES(
      b.fill(longValue, 0, Buffer::npos, Encoding::hex), TypeError,
      Message("The argument 'value' is invalid. Received '" + std::string(127, '!') + "..."));
  CHECK(show(b) == "<Buffer 00 00 00 00>");
}

TEST_CASE("Buffer.indexOf finds bytes, Buffers and encoded strings") {
  const Buffer s = Buffer::from("abcabcabc");
  // node: s.indexOf('bc'), ('bc', 2), ('bc', -3), ('bc', -100), ('bc', 100), (0x63),
  // (0x63, 3), ('zz'), (''), ('', 4), ('', 100), ('', -2), ('', -100)
  // → [1, 4, 7, 1, -1, 2, 5, -1, 0, 4, 9, 7, 0].
  CHECK(s.indexOf("bc") == 1);
  CHECK(s.indexOf("bc", 2) == 4);
  CHECK(s.indexOf("bc", -3) == 7);
  CHECK(s.indexOf("bc", -100) == 1);
  CHECK(s.indexOf("bc", 100) == -1);
  CHECK(s.indexOf(std::uint8_t{0x63}) == 2);
  CHECK(s.indexOf(std::uint8_t{0x63}, 3) == 5);
  CHECK(s.indexOf("zz") == -1);
  CHECK(s.indexOf("") == 0);
  CHECK(s.indexOf("", 4) == 4);
  CHECK(s.indexOf("", 100) == 9);
  CHECK(s.indexOf("", -2) == 7);
  CHECK(s.indexOf("", -100) == 0);
  // node: s.indexOf(Buffer.from('cab')), ('6361', 0, 'hex'), ('YWI=', 1, 'base64')
  // → [2, 2, 3].
  CHECK(s.indexOf(Buffer::from("cab")) == 2);
  CHECK(s.indexOf("6361", 0, Encoding::hex) == 2);
  CHECK(s.indexOf("YWI=", 1, Encoding::base64) == 3);
  CHECK(s.indexOf(Buffer::from("abcabcabcabc")) == -1);
  CHECK(Buffer().indexOf(std::uint8_t{0}) == -1);
  // node: Buffer.from('aé').indexOf('é') is 1; in latin1, 1.
  CHECK(Buffer::from("a\u00e9").indexOf("\u00e9") == 1);
  CHECK(Buffer::from("a\u00e9", Encoding::latin1).indexOf("\u00e9", 0, Encoding::latin1) == 1);
}

TEST_CASE("Buffer.lastIndexOf searches backwards from byteOffset") {
  const Buffer s = Buffer::from("abcabcabc");
  // node: s.lastIndexOf('bc'), ('bc', 6), ('bc', 7), ('bc', 0), ('bc', -3),
  // ('bc', -100), ('bc', 100), (0x61), (0x61, 5), (''), ('', 4), ('', -2),
  // ('', -100), ('', 100), ('abcabcabcabc') → [7, 4, 7, -1, 4, -1, 7, 6, 3, 9, 4,
  // 7, 0, 9, -1]; s.lastIndexOf(Buffer.from('ab')) is 6.
  CHECK(s.lastIndexOf("bc") == 7);
  CHECK(s.lastIndexOf("bc", 6) == 4);
  CHECK(s.lastIndexOf("bc", 7) == 7);
  CHECK(s.lastIndexOf("bc", 0) == -1);
  CHECK(s.lastIndexOf("bc", -3) == 4);
  CHECK(s.lastIndexOf("bc", -100) == -1);
  CHECK(s.lastIndexOf("bc", 100) == 7);
  CHECK(s.lastIndexOf(std::uint8_t{0x61}) == 6);
  CHECK(s.lastIndexOf(std::uint8_t{0x61}, 5) == 3);
  CHECK(s.lastIndexOf("") == 9);
  CHECK(s.lastIndexOf("", 4) == 4);
  CHECK(s.lastIndexOf("", -2) == 7);
  CHECK(s.lastIndexOf("", -100) == 0);
  CHECK(s.lastIndexOf("", 100) == 9);
  CHECK(s.lastIndexOf("abcabcabcabc") == -1);
  CHECK(s.lastIndexOf(Buffer::from("ab")) == 6);
  CHECK(s.lastIndexOf("6263", toEnd, Encoding::hex) == 7);
}

TEST_CASE("Buffer.indexOf and lastIndexOf find utf16le text only at whole code units") {
  // Node searches UTF-16 unit by unit. node: a = Buffer.from('abc', 'ucs2');
  // a.indexOf('b', 3, 'ucs2'), ('b', 2), a.lastIndexOf('b', 3), ('b', 2), ('b', 1),
  // a.indexOf('bc', -3), a.lastIndexOf('c', -1), a.indexOf('a', -100),
  // a.lastIndexOf('a', -100), ('c', 100) → [2, 2, 2, 2, -1, -1, 4, 0, -1, 4].
  const Buffer a = Buffer::from("abc", Encoding::utf16le);
  constexpr Encoding ucs2 = Encoding::utf16le;
  CHECK(a.indexOf("b", 3, ucs2) == 2);
  CHECK(a.indexOf("b", 2, ucs2) == 2);
  CHECK(a.lastIndexOf("b", 3, ucs2) == 2);
  CHECK(a.lastIndexOf("b", 2, ucs2) == 2);
  CHECK(a.lastIndexOf("b", 1, ucs2) == -1);
  CHECK(a.indexOf("bc", -3, ucs2) == -1);
  CHECK(a.lastIndexOf("c", -1, ucs2) == 4);
  CHECK(a.indexOf("a", -100, ucs2) == 0);
  CHECK(a.lastIndexOf("a", -100, ucs2) == -1);
  CHECK(a.lastIndexOf("c", 100, ucs2) == 4);
  CHECK(a.indexOf("", 0, ucs2) == 0);
  // node: Buffer.from([0x61, 0x62, 0x00, 0x63, 0x00]): indexOf('b', 0, 'ucs2'),
  // indexOf('c', 0, 'ucs2'), lastIndexOf('b', undefined, 'ucs2') → [-1, -1, -1].
  const Buffer odd = Buffer::from({0x61, 0x62, 0x00, 0x63, 0x00});
  CHECK(odd.indexOf("b", 0, ucs2) == -1);
  CHECK(odd.indexOf("c", 0, ucs2) == -1);
  CHECK(odd.lastIndexOf("b", toEnd, ucs2) == -1);
  CHECK(odd.indexOf("b") == 1);  // the same bytes in utf8 are found anywhere
  // node: Buffer.from([0x00, 0x61, 0x00, 0x62, 0x00]): indexOf('a', 0, 'ucs2'),
  // indexOf(Buffer.from('a', 'ucs2')), indexOf('\u6100', 0, 'ucs2') → [-1, 1, 0];
  // Buffer.from([0x61, 0, 0x62, 0, 0x63]).indexOf('b', 0, 'ucs2') is 2, 'c' is -1;
  // Buffer.from([0x61]).indexOf('a', 0, 'ucs2') is -1.
  const Buffer shifted = Buffer::from({0x00, 0x61, 0x00, 0x62, 0x00});
  CHECK(shifted.indexOf("a", 0, ucs2) == -1);
  CHECK(shifted.indexOf(Buffer::from("a", ucs2)) == 1);
  CHECK(shifted.indexOf("\u6100", 0, ucs2) == 0);
  const Buffer oddLength = Buffer::from({0x61, 0x00, 0x62, 0x00, 0x63});
  CHECK(oddLength.indexOf("b", 0, ucs2) == 2);
  CHECK(oddLength.lastIndexOf("b", toEnd, ucs2) == 2);
  CHECK(oddLength.indexOf("c", 0, ucs2) == -1);
  CHECK(Buffer::from({0x61}).indexOf("a", 0, ucs2) == -1);
  CHECK(Buffer::from({0x61}).lastIndexOf("a", toEnd, ucs2) == -1);
}

TEST_CASE("Buffer.includes") {
  const Buffer s = Buffer::from("abcabcabc");
  // node: s.includes('ca'), ('cb'), (0x62, 8) → [true, false, false].
  CHECK(s.includes(std::string_view("ca")));
  CHECK_FALSE(s.includes(std::string_view("cb")));
  CHECK_FALSE(s.includes(std::uint8_t{0x62}, 8));
  CHECK(s.includes(std::uint8_t{0x62}, 7));
  CHECK(s.includes(Buffer::from("cab")));
}

TEST_CASE("Buffer.toString decodes from start to end, clamped to the Buffer") {
  const Buffer h = Buffer::from("hello world");
  // node: h.toString('utf8', 1, 4), ('hex', 6), ('utf8', 4, 2), ('utf8', 20),
  // ('utf8', 2, 100), ('base64', 0, 5), ('latin1', 0, 5).
  CHECK(h.toString() == "hello world");
  CHECK(h.toString(Encoding::utf8, 1, 4) == "ell");
  CHECK(h.toString(Encoding::hex, 6) == "776f726c64");
  CHECK(h.toString(Encoding::utf8, 4, 2).empty());
  CHECK(h.toString(Encoding::utf8, 20).empty());
  CHECK(h.toString(Encoding::utf8, 2, 100) == "llo world");
  CHECK(h.toString(Encoding::base64, 0, 5) == "aGVsbG8=");
  CHECK(h.toString(Encoding::latin1, 0, 5) == "hello");
  // node: Buffer.from([0xe9, 0x41, 0xff]).toString('ascii') is 'iA\x7F' and
  // 'latin1' is 'éAÿ'.
  const Buffer high = Buffer::from({0xe9, 0x41, 0xff});
  CHECK(high.toString(Encoding::ascii) == "iA\x7f");
  CHECK(high.toString(Encoding::latin1) == "\u00e9A\u00ff");
  CHECK(high.toString() == "\ufffdA\ufffd");
  CHECK(Buffer().toString().empty());
}

TEST_CASE("Buffer.write writes what fits, never part of a UTF-8 character") {
  // node: each on Buffer.alloc(4) (or the size shown), returning the count.
  SECTION("utf8") {
    Buffer b = Buffer::alloc(4);
    CHECK(b.write("abcdef") == 4);
    CHECK(show(b) == "<Buffer 61 62 63 64>");
    Buffer euro = Buffer::alloc(4);
    CHECK(euro.write("\u20ac\u20ac") == 3);
    CHECK(show(euro) == "<Buffer e2 82 ac 00>");
    Buffer offset = Buffer::alloc(4);
    CHECK(offset.write("ab\u20ac", 1) == 2);
    CHECK(show(offset) == "<Buffer 00 61 62 00>");
    Buffer limited = Buffer::alloc(4);
    CHECK(limited.write("abcdef", 1, 2) == 2);
    CHECK(show(limited) == "<Buffer 00 61 62 00>");
    Buffer five = Buffer::alloc(5);
    CHECK(five.write("a\U0001F600") == 5);
    CHECK(show(five) == "<Buffer 61 f0 9f 98 80>");
    Buffer four = Buffer::alloc(4);
    CHECK(four.write("a\U0001F600") == 1);  // worked out by hand: the emoji needs 4
    CHECK(show(four) == "<Buffer 61 00 00 00>");
    CHECK(Buffer::alloc(4).write("ab", 4) == 0);
  }
  SECTION("other encodings") {
    Buffer latin = Buffer::alloc(4);
    CHECK(latin.write("\u00e9\u00e9\u00e9", Encoding::latin1) == 3);
    CHECK(show(latin) == "<Buffer e9 e9 e9 00>");
    Buffer hex = Buffer::alloc(4);
    CHECK(hex.write("ffeeddccbb", Encoding::hex) == 4);
    CHECK(show(hex) == "<Buffer ff ee dd cc>");
    Buffer hexPart = Buffer::alloc(4);
    CHECK(hexPart.write("abcdef", 1, 2, Encoding::hex) == 2);
    CHECK(show(hexPart) == "<Buffer 00 ab cd 00>");
    Buffer base64 = Buffer::alloc(4);
    CHECK(base64.write("YWJjZGVm", Encoding::base64) == 4);
    CHECK(show(base64) == "<Buffer 61 62 63 64>");
    // node: Buffer.alloc(2).write('😀', 'ucs2') is 2 with <Buffer 3d d8>: UTF-16 is
    // cut by code unit, even inside a surrogate pair.
    Buffer ucs2 = Buffer::alloc(3);
    CHECK(ucs2.write("\U0001F600", Encoding::utf16le) == 2);
    CHECK(show(ucs2) == "<Buffer 3d d8 00>");
  }
  SECTION("offset and length past the end are RangeErrors") {
    // node: Buffer.alloc(4).write('ab', 5) and .write('ab', 1, 5).
    Buffer b = Buffer::alloc(4);
    CHECK_THROWS_MATCHES(b.write("ab", 5), RangeError,
                         Message(outOfRange("offset", ">= 0 && <= 4", "5")));
    CHECK_THROWS_MATCHES(b.write("ab", 1, 5), RangeError,
                         Message(outOfRange("length", ">= 0 && <= 4", "5")));
    CHECK(b.write("abcdef", 1, 4) == 3);  // within the length, cut to what remains
    CHECK(show(b) == "<Buffer 00 61 62 63>");
  }
}

TEST_CASE("Buffer.swap16/32/64 reverse each unit in place") {
  // node: Buffer.from([1…8]).swap16(), swap32(), swap64().
  CHECK(show(Buffer::from({1, 2, 3, 4, 5, 6, 7, 8}).swap16()) ==
        "<Buffer 02 01 04 03 06 05 08 07>");
  CHECK(show(Buffer::from({1, 2, 3, 4, 5, 6, 7, 8}).swap32()) ==
        "<Buffer 04 03 02 01 08 07 06 05>");
  CHECK(show(Buffer::from({1, 2, 3, 4, 5, 6, 7, 8}).swap64()) ==
        "<Buffer 08 07 06 05 04 03 02 01>");
  CHECK(Buffer().swap64().empty());
  // node: RangeError [ERR_INVALID_BUFFER_SIZE] for alloc(3).swap16(), alloc(6).swap32(),
  // alloc(12).swap64().
  CHECK_THROWS_MATCHES(Buffer::alloc(3).swap16(), RangeError,
                       Message("Buffer size must be a multiple of 16-bits"));
  CHECK_THROWS_MATCHES(Buffer::alloc(6).swap32(), RangeError,
                       Message("Buffer size must be a multiple of 32-bits"));
  CHECK_THROWS_MATCHES(Buffer::alloc(12).swap64(), RangeError,
                       Message("Buffer size must be a multiple of 64-bits"));
}

TEST_CASE("every fixed-width integer read, both byte orders") {
  const Buffer r = Buffer::from({0xff, 0xfe, 0x80, 0x01, 0x7f, 0x00});
  // node: [r.readInt16LE(0), readInt16BE(0), readInt16BE(1), readInt32LE(0),
  // readInt32BE(0), readInt32BE(2), readInt8(0), readInt8(4)]
  // → [-257, -2, -384, 25231103, -98303, -2147385600, -1, 127].
  CHECK(r.readInt16LE(0) == -257);
  CHECK(r.readInt16BE(0) == -2);
  CHECK(r.readInt16BE(1) == -384);
  CHECK(r.readInt32LE(0) == 25231103);
  CHECK(r.readInt32BE(0) == -98303);
  CHECK(r.readInt32BE(2) == -2147385600);
  CHECK(r.readInt8(0) == -1);
  CHECK(r.readInt8(4) == 127);
  CHECK(r.readInt8() == -1);
  // Worked out by hand from the same bytes.
  CHECK(r.readUInt8(2) == 0x80);
  CHECK(r.readUInt16LE(1) == 0x80fe);
  CHECK(r.readUInt16BE(1) == 0xfe80);
  CHECK(r.readUInt32LE(2) == 0x007f0180u);
  CHECK(r.readUInt32BE(2) == 0x80017f00u);
  CHECK(r.readUInt16LE() == 0xfeff);
}

TEST_CASE("readUIntLE/BE and readIntLE/BE with 1 to 6 bytes") {
  const Buffer r = Buffer::from({0xff, 0xfe, 0x80, 0x01, 0x7f, 0x00});
  // node: [r.readIntLE(0,1), readIntBE(0,2), readIntLE(0,3), readIntBE(2,3),
  // readIntLE(0,6), readIntBE(0,6), readIntBE(1,5), readIntLE(1,5), readUIntLE(0,6),
  // readUIntBE(0,6), readIntBE(3,3)] → [-1, -2, -8323329, -8388225, 545486077695,
  // -6442352896, -6442352896, 2130804990, 545486077695, 281468534357760, 98048].
  CHECK(r.readIntLE(0, 1) == -1);
  CHECK(r.readIntBE(0, 2) == -2);
  CHECK(r.readIntLE(0, 3) == -8323329);
  CHECK(r.readIntBE(2, 3) == -8388225);
  CHECK(r.readIntLE(0, 6) == 545486077695);
  CHECK(r.readIntBE(0, 6) == -6442352896);
  CHECK(r.readIntBE(1, 5) == -6442352896);
  CHECK(r.readIntLE(1, 5) == 2130804990);
  CHECK(r.readUIntLE(0, 6) == 545486077695u);
  CHECK(r.readUIntBE(0, 6) == 281468534357760u);
  CHECK(r.readIntBE(3, 3) == 98048);
  // By hand: 0x80 0x01 0x7f 0x00 as 4 bytes.
  CHECK(r.readUIntBE(2, 4) == 0x80017f00u);
  CHECK(r.readIntBE(2, 4) == -2147385600);
  CHECK(r.readUIntLE(2, 2) == 0x0180u);
  CHECK(r.readIntLE(1, 2) == -32514);  // 0x80fe
}

TEST_CASE("readUIntLE/BE and readIntLE/BE reject byteLength outside 1..6 and short buffers") {
  const Buffer b = Buffer::alloc(8);
  // node: Buffer.alloc(8).readIntLE(0, 7), .readUIntBE(0, 0), .readUIntBE(3, 6),
  // Buffer.alloc(4).readUIntBE(0, 6).
  CHECK_THROWS_MATCHES(b.readIntLE(0, 7), RangeError,
                       Message(outOfRange("byteLength", ">= 1 and <= 6", "7")));
  CHECK_THROWS_MATCHES(b.readUIntBE(0, 0), RangeError,
                       Message(outOfRange("byteLength", ">= 1 and <= 6", "0")));
  CHECK_THROWS_MATCHES(b.readUIntLE(0, 8), RangeError,
                       Message(outOfRange("byteLength", ">= 1 and <= 6", "8")));
  CHECK_THROWS_MATCHES(b.readIntBE(0, 0), RangeError,
                       Message(outOfRange("byteLength", ">= 1 and <= 6", "0")));
  CHECK_THROWS_MATCHES(b.readUIntBE(3, 6), RangeError,
                       Message(outOfRange("offset", ">= 0 and <= 2", "3")));
  CHECK_THROWS_MATCHES(Buffer::alloc(4).readUIntBE(0, 6), RangeError,
                       Message("Attempt to access memory outside buffer bounds"));
}

TEST_CASE("fixed-width reads out of range use Node's messages") {
  // node: Buffer.alloc(2).readUInt32LE(0), Buffer.alloc(0).readUInt8(0),
  // Buffer.alloc(4).readUInt8(4), .readUInt8(4294967296), .readUInt8(4294967297),
  // .readUInt8(12345678901), Buffer.alloc(8).readBigInt64LE(1), Buffer.alloc(4).readFloatLE(1).
  CHECK_THROWS_MATCHES(Buffer::alloc(2).readUInt32LE(0), RangeError,
                       Message("Attempt to access memory outside buffer bounds"));
  CHECK_THROWS_MATCHES(Buffer::alloc(0).readUInt8(0), RangeError,
                       Message("Attempt to access memory outside buffer bounds"));
  const Buffer four = Buffer::alloc(4);
  CHECK_THROWS_MATCHES(four.readUInt8(4), RangeError,
                       Message(outOfRange("offset", ">= 0 and <= 3", "4")));
  CHECK_THROWS_MATCHES(four.readUInt8(4294967296u), RangeError,
                       Message(outOfRange("offset", ">= 0 and <= 3", "4294967296")));
  CHECK_THROWS_MATCHES(four.readUInt8(4294967297u), RangeError,
                       Message(outOfRange("offset", ">= 0 and <= 3", "4_294_967_297")));
  CHECK_THROWS_MATCHES(four.readUInt8(12345678901u), RangeError,
                       Message(outOfRange("offset", ">= 0 and <= 3", "12_345_678_901")));
  CHECK_THROWS_MATCHES(Buffer::alloc(8).readBigInt64LE(1), RangeError,
                       Message(outOfRange("offset", ">= 0 and <= 0", "1")));
  CHECK_THROWS_MATCHES(four.readFloatLE(1), RangeError,
                       Message(outOfRange("offset", ">= 0 and <= 0", "1")));
  CHECK_THROWS_AS(four.readDoubleBE(0), RangeError);
  CHECK_THROWS_AS(four.readInt16BE(3), RangeError);
  CHECK_THROWS_AS(four.readUInt32BE(std::numeric_limits<std::size_t>::max()), RangeError);
}

TEST_CASE("every fixed-width integer write returns offset + size and writes the bytes") {
  // Expected bytes worked out by hand (two's complement, then the byte order).
  Buffer b = Buffer::alloc(6);
  CHECK(b.writeUInt8(0xab, 1) == 2);
  CHECK(b.writeInt8(-2, 2) == 3);
  CHECK(show(b) == "<Buffer 00 ab fe 00 00 00>");
  CHECK(b.writeUInt16LE(0xbeef, 1) == 3);
  CHECK(show(b) == "<Buffer 00 ef be 00 00 00>");
  CHECK(b.writeUInt16BE(0xbeef, 3) == 5);
  CHECK(show(b) == "<Buffer 00 ef be be ef 00>");
  CHECK(b.writeInt16LE(-12345, 0) == 2);  // 0xcfc7
  CHECK(b.writeInt16BE(-12345, 4) == 6);
  CHECK(show(b) == "<Buffer c7 cf be be cf c7>");
  CHECK(b.writeUInt32LE(0xdeadbeef, 1) == 5);
  CHECK(show(b) == "<Buffer c7 ef be ad de c7>");
  CHECK(b.writeUInt32BE(0xdeadbeef, 2) == 6);
  CHECK(show(b) == "<Buffer c7 ef de ad be ef>");
  CHECK(b.writeInt32LE(-123456789, 0) == 4);  // 0xf8a432eb
  CHECK(show(b) == "<Buffer eb 32 a4 f8 be ef>");
  CHECK(b.writeInt32BE(-123456789, 2) == 6);
  CHECK(show(b) == "<Buffer eb 32 f8 a4 32 eb>");
  CHECK(b.writeUInt8(0) == 1);  // offset defaults to 0
  CHECK(b.readUInt8() == 0);
}

TEST_CASE("integer writes check the value's range with Node's messages") {
  Buffer b = Buffer::alloc(8);
  // node: Buffer.alloc(4).writeUInt8(256, 0) … each message below.
  CHECK_THROWS_MATCHES(b.writeUInt8(256, 0), RangeError,
                       Message(outOfRange("value", ">= 0 and <= 255", "256")));
  CHECK_THROWS_MATCHES(b.writeUInt8(-1, 0), RangeError,
                       Message(outOfRange("value", ">= 0 and <= 255", "-1")));
  CHECK_THROWS_MATCHES(b.writeInt8(128, 0), RangeError,
                       Message(outOfRange("value", ">= -128 and <= 127", "128")));
  CHECK_THROWS_MATCHES(b.writeInt8(-129, 0), RangeError,
                       Message(outOfRange("value", ">= -128 and <= 127", "-129")));
  CHECK_THROWS_MATCHES(b.writeUInt16LE(65536, 0), RangeError,
                       Message(outOfRange("value", ">= 0 and <= 65535", "65536")));
  CHECK_THROWS_MATCHES(b.writeUInt16BE(-1, 0), RangeError,
                       Message(outOfRange("value", ">= 0 and <= 65535", "-1")));
  CHECK_THROWS_MATCHES(b.writeInt16BE(-32769, 0), RangeError,
                       Message(outOfRange("value", ">= -32768 and <= 32767", "-32769")));
  CHECK_THROWS_MATCHES(b.writeInt16LE(32768, 0), RangeError,
                       Message(outOfRange("value", ">= -32768 and <= 32767", "32768")));
  CHECK_THROWS_MATCHES(b.writeUInt32LE(4294967296, 0), RangeError,
                       Message(outOfRange("value", ">= 0 and <= 4294967295", "4294967296")));
  CHECK_THROWS_MATCHES(b.writeUInt32BE(-1, 0), RangeError,
                       Message(outOfRange("value", ">= 0 and <= 4294967295", "-1")));
  CHECK_THROWS_MATCHES(
      b.writeInt32LE(2147483648, 0), RangeError,
      Message(outOfRange("value", ">= -2147483648 and <= 2147483647", "2147483648")));
  CHECK_THROWS_MATCHES(
      b.writeInt32BE(-2147483649, 0), RangeError,
      Message(outOfRange("value", ">= -2147483648 and <= 2147483647", "-2147483649")));
  // Above 2^32 Node separates thousands with '_'.
  CHECK_THROWS_MATCHES(
      b.writeInt32LE(-12345678901, 0), RangeError,
      Message(outOfRange("value", ">= -2147483648 and <= 2147483647", "-12_345_678_901")));
  CHECK(show(b) == "<Buffer 00 00 00 00 00 00 00 00>");
}

TEST_CASE("writes past the end throw RangeError, checking the value first") {
  Buffer b = Buffer::alloc(8);
  // node: Buffer.alloc(8).writeUInt32BE(1, 5), Buffer.alloc(8).writeDoubleLE(1, 1),
  // .writeBigInt64LE(1n, 1), Buffer.alloc(4).writeUIntBE(1, 0, 6),
  // Buffer.alloc(8).writeUIntBE(1, 3, 6).
  CHECK_THROWS_MATCHES(b.writeUInt32BE(1, 5), RangeError,
                       Message(outOfRange("offset", ">= 0 and <= 4", "5")));
  CHECK_THROWS_MATCHES(b.writeDoubleLE(1, 1), RangeError,
                       Message(outOfRange("offset", ">= 0 and <= 0", "1")));
  CHECK_THROWS_MATCHES(b.writeBigInt64LE(1, 1), RangeError,
                       Message(outOfRange("offset", ">= 0 and <= 0", "1")));
  CHECK_THROWS_MATCHES(b.writeUIntBE(1, 3, 6), RangeError,
                       Message(outOfRange("offset", ">= 0 and <= 2", "3")));
  CHECK_THROWS_MATCHES(Buffer::alloc(4).writeUIntBE(1, 0, 6), RangeError,
                       Message("Attempt to access memory outside buffer bounds"));
  CHECK_THROWS_MATCHES(b.writeUInt8(256, 100), RangeError,
                       Message(outOfRange("value", ">= 0 and <= 255", "256")));
  CHECK_THROWS_AS(b.writeFloatBE(1, 5), RangeError);
  CHECK_THROWS_AS(b.writeInt16LE(1, 7), RangeError);
  CHECK_THROWS_AS(b.writeBigUInt64BE(1, std::numeric_limits<std::size_t>::max()), RangeError);
  CHECK(show(b) == "<Buffer 00 00 00 00 00 00 00 00>");
}

TEST_CASE("writeUIntLE/BE and writeIntLE/BE with 1 to 6 bytes") {
  // node: w.writeUIntLE(0x010203040506, 0, 6), w.writeIntBE(-2, 6, 6) on alloc(12)
  // → 6, 12, <Buffer 06 05 04 03 02 01 ff ff ff ff ff fe>.
  Buffer w = Buffer::alloc(12);
  CHECK(w.writeUIntLE(0x010203040506, 0, 6) == 6);
  CHECK(w.writeIntBE(-2, 6, 6) == 12);
  CHECK(show(w) == "<Buffer 06 05 04 03 02 01 ff ff ff ff ff fe>");
  // node: writeIntLE(-0x800000, 0, 3), writeUIntBE(0xabcdef, 3, 3),
  // writeIntLE(-1, 6, 5) → 3, 6, 11, <Buffer 00 00 80 ab cd ef ff ff ff ff ff 00>.
  Buffer v = Buffer::alloc(12);
  CHECK(v.writeIntLE(-0x800000, 0, 3) == 3);
  CHECK(v.writeUIntBE(0xabcdef, 3, 3) == 6);
  CHECK(v.writeIntLE(-1, 6, 5) == 11);
  CHECK(show(v) == "<Buffer 00 00 80 ab cd ef ff ff ff ff ff 00>");
  // Each width round-trips its extremes (by hand).
  Buffer x = Buffer::alloc(6);
  for (std::size_t width = 1; width <= 6; ++width) {
    const std::int64_t signedMax = (std::int64_t{1} << (8 * width - 1)) - 1;
    const std::int64_t unsignedMax = (std::int64_t{1} << (8 * width)) - 1;
    CHECK(x.writeUIntBE(unsignedMax, 0, width) == width);
    CHECK(x.readUIntBE(0, width) == static_cast<std::uint64_t>(unsignedMax));
    CHECK(x.writeIntLE(-signedMax - 1, 0, width) == width);
    CHECK(x.readIntLE(0, width) == -signedMax - 1);
    CHECK(x.writeIntBE(signedMax, 0, width) == width);
    CHECK(x.readIntBE(0, width) == signedMax);
    CHECK(x.writeUIntLE(1, 0, width) == width);
    CHECK(x.readUIntLE(0, width) == 1);
  }
}

TEST_CASE("writeUIntLE/BE and writeIntLE/BE check byteLength and the value's range") {
  Buffer b = Buffer::alloc(8);
  // node: each message below, from Buffer.alloc(8).writeUIntLE(2 ** 48, 0, 6) ….
  CHECK_THROWS_MATCHES(b.writeUIntLE(std::int64_t{1} << 48, 0, 6), RangeError,
                       Message(outOfRange("value", ">= 0 and < 2 ** 48", "281_474_976_710_656")));
  CHECK_THROWS_MATCHES(b.writeUIntLE(std::int64_t{1} << 40, 0, 5), RangeError,
                       Message(outOfRange("value", ">= 0 and < 2 ** 40", "1_099_511_627_776")));
  CHECK_THROWS_MATCHES(b.writeUIntBE(std::int64_t{1} << 32, 0, 4), RangeError,
                       Message(outOfRange("value", ">= 0 and <= 4294967295", "4294967296")));
  CHECK_THROWS_MATCHES(b.writeUIntLE(std::int64_t{1} << 24, 0, 3), RangeError,
                       Message(outOfRange("value", ">= 0 and <= 16777215", "16777216")));
  CHECK_THROWS_MATCHES(b.writeUIntBE(-1, 0, 1), RangeError,
                       Message(outOfRange("value", ">= 0 and <= 255", "-1")));
  CHECK_THROWS_MATCHES(
      b.writeIntLE(std::int64_t{1} << 47, 0, 6), RangeError,
      Message(outOfRange("value", ">= -(2 ** 47) and < 2 ** 47", "140_737_488_355_328")));
  CHECK_THROWS_MATCHES(
      b.writeIntBE(-(std::int64_t{1} << 47) - 1, 0, 6), RangeError,
      Message(outOfRange("value", ">= -(2 ** 47) and < 2 ** 47", "-140_737_488_355_329")));
  CHECK_THROWS_MATCHES(
      b.writeIntBE(-(std::int64_t{1} << 39) - 1, 0, 5), RangeError,
      Message(outOfRange("value", ">= -(2 ** 39) and < 2 ** 39", "-549_755_813_889")));
  CHECK_THROWS_MATCHES(b.writeIntBE(std::int64_t{1} << 23, 0, 3), RangeError,
                       Message(outOfRange("value", ">= -8388608 and <= 8388607", "8388608")));
  CHECK_THROWS_MATCHES(
      b.writeIntBE(std::int64_t{1} << 31, 0, 4), RangeError,
      Message(outOfRange("value", ">= -2147483648 and <= 2147483647", "2147483648")));
  CHECK_THROWS_MATCHES(b.writeIntLE(-32769, 0, 2), RangeError,
                       Message(outOfRange("value", ">= -32768 and <= 32767", "-32769")));
  CHECK_THROWS_MATCHES(b.writeIntLE(1, 0, 7), RangeError,
                       Message(outOfRange("byteLength", ">= 1 and <= 6", "7")));
  CHECK_THROWS_MATCHES(b.writeIntLE(1, 0, 0), RangeError,
                       Message(outOfRange("byteLength", ">= 1 and <= 6", "0")));
  CHECK_THROWS_MATCHES(b.writeUIntBE(1, 0, 7), RangeError,
                       Message(outOfRange("byteLength", ">= 1 and <= 6", "7")));
  CHECK(show(b) == "<Buffer 00 00 00 00 00 00 00 00>");
}

TEST_CASE("Float and Double reads and writes, both byte orders") {
  const Buffer d = Buffer::from({0x3f, 0xf0, 0, 0, 0, 0, 0, 0, 0xc0, 0x49, 0x0f, 0xdb});
  // node: [d.readDoubleBE(0), d.readDoubleLE(0), d.readFloatBE(8), d.readFloatLE(8),
  // d.readFloatBE(0)] → [1, 3.03865e-319, -3.1415927410125732, -40332010652172290, 1.875].
  CHECK(d.readDoubleBE(0) == 1.0);
  CHECK(d.readDoubleLE(0) == std::bit_cast<double>(std::uint64_t{0xf03f}));  // 3.03865e-319
  CHECK(d.readFloatBE(8) == -3.1415927410125732);
  CHECK(d.readFloatLE(8) == -40332010652172290.0);
  CHECK(d.readFloatBE(0) == 1.875);

  // node: w.writeFloatLE(1e40, 0), w.writeFloatBE(-1.5, 4) → 4, 8,
  // <Buffer 00 00 80 7f bf c0 00 00>.
  Buffer w = Buffer::alloc(8);
  CHECK(w.writeFloatLE(1e40, 0) == 4);
  CHECK(w.writeFloatBE(-1.5, 4) == 8);
  CHECK(show(w) == "<Buffer 00 00 80 7f bf c0 00 00>");
  // node: writeFloatLE(NaN, 0), writeFloatBE(35.9, 4) → <Buffer 00 00 c0 7f 42 0f 99 9a>.
  CHECK(w.writeFloatLE(std::numeric_limits<double>::quiet_NaN(), 0) == 4);
  CHECK(w.writeFloatBE(35.9, 4) == 8);
  CHECK(show(w) == "<Buffer 00 00 c0 7f 42 0f 99 9a>");
  CHECK(w.readFloatBE(4) == 35.9f);
  CHECK(std::isnan(w.readFloatLE(0)));
  CHECK(w.writeFloatBE(-1e300) == 4);
  CHECK(w.readFloatBE(0) == -std::numeric_limits<float>::infinity());

  // node: writeDoubleLE(NaN, 0), writeDoubleBE(-0, 8) on alloc(16) → 8, 16,
  // <Buffer 00 00 00 00 00 00 f8 7f 80 00 00 00 00 00 00 00>.
  Buffer x = Buffer::alloc(16);
  CHECK(x.writeDoubleLE(std::numeric_limits<double>::quiet_NaN(), 0) == 8);
  CHECK(x.writeDoubleBE(-0.0, 8) == 16);
  CHECK(show(x) == "<Buffer 00 00 00 00 00 00 f8 7f 80 00 00 00 00 00 00 00>");
  CHECK(std::signbit(x.readDoubleBE(8)));
  CHECK(x.readDoubleLE(8) == 0x80 * std::bit_cast<double>(std::uint64_t{1}));  // 128 × 2^-1074
}

TEST_CASE("BigInt64 and BigUInt64 reads and writes, both byte orders") {
  const Buffer bi = Buffer::from({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe, 0x80});
  // node: [bi.readBigInt64BE(0), readBigInt64LE(0), readBigUInt64BE(0),
  // readBigUInt64LE(0), readBigInt64BE(1), readBigUInt64LE(1)] → [-2n,
  // -72057594037927937n, 18446744073709551614n, 18374686479671623679n, -384n,
  // 9295148155915993087n].
  CHECK(bi.readBigInt64BE(0) == -2);
  CHECK(bi.readBigInt64LE(0) == -72057594037927937);
  CHECK(bi.readBigUInt64BE(0) == 18446744073709551614u);
  CHECK(bi.readBigUInt64LE(0) == 18374686479671623679u);
  CHECK(bi.readBigInt64BE(1) == -384);
  CHECK(bi.readBigUInt64LE(1) == 9295148155915993087u);
  // node: w.writeBigInt64LE(-2n, 0), w.writeBigUInt64BE(0x0102030405060708n, 8) →
  // 8, 16, <Buffer fe ff ff ff ff ff ff ff 01 02 03 04 05 06 07 08>.
  Buffer w = Buffer::alloc(16);
  CHECK(w.writeBigInt64LE(-2, 0) == 8);
  CHECK(w.writeBigUInt64BE(0x0102030405060708u, 8) == 16);
  CHECK(show(w) == "<Buffer fe ff ff ff ff ff ff ff 01 02 03 04 05 06 07 08>");
  CHECK(w.writeBigInt64BE(std::numeric_limits<std::int64_t>::min(), 8) == 16);
  CHECK(w.writeBigUInt64LE(std::numeric_limits<std::uint64_t>::max(), 0) == 8);
  CHECK(show(w) == "<Buffer ff ff ff ff ff ff ff ff 80 00 00 00 00 00 00 00>");
}

TEST_CASE("a Buffer prints as console.log prints it") {
  CHECK(fmt::format("{}", Buffer::from({1, 2, 3, 4})) == "<Buffer 01 02 03 04>");
  CHECK(fmt::format("{}", Buffer()) == "<Buffer >");
  std::string fiftyZeros = "00";
  for (int i = 1; i < 50; ++i)
    fiftyZeros += " 00";
  // node: Buffer.alloc(50), (51), (52).
  CHECK(fmt::format("{}", Buffer::alloc(50)) == "<Buffer " + fiftyZeros + ">");
  CHECK(fmt::format("{}", Buffer::alloc(51)) == "<Buffer " + fiftyZeros + " ... 1 more byte>");
  CHECK(fmt::format("{}", Buffer::alloc(52)) == "<Buffer " + fiftyZeros + " ... 2 more bytes>");
  CHECK(fmt::format("{}", Buffer::alloc(1000)) == "<Buffer " + fiftyZeros + " ... 950 more bytes>");
}

TEST_CASE("a Buffer converts to a Uint8Array over the same bytes") {
  Buffer b = pooled({1, 2, 3});
  Uint8Array view = b;
  CHECK(view.length() == 3);
  CHECK(view.byteOffset() == b.byteOffset());
  CHECK(view.buffer().sameAs(b.buffer()));
  view[1] = 20;
  CHECK(b[1] == 20);
  CHECK(fmt::format("{}", view) == "Uint8Array(3) [1, 20, 3]");
  CHECK(static_cast<Uint8Array>(Buffer()).empty());
}

TEST_CASE("a Buffer over a detached or shrunk ArrayBuffer converts to an empty Uint8Array") {
  ArrayBuffer fixed(4);
  Buffer overDetached = Buffer::from(fixed, 1, 2);
  [[maybe_unused]] ArrayBuffer moved = fixed.transfer();
  const Uint8Array detachedView = overDetached;
  CHECK(detachedView.length() == 0);

  ArrayBuffer resizable(4, ArrayBufferOptions{.maxByteLength = 8});
  Buffer part = Buffer::from(resizable, 1, 2);
  resizable.resize(1);
  const Uint8Array shrunkView = part;
  CHECK(shrunkView.length() == 0);
  resizable.resize(4);
  CHECK(shrunkView.length() == 2);  // back, with the Buffer
  CHECK(shrunkView.byteOffset() == 1);
}

TEST_CASE("Buffer.byteLength and Buffer.isEncoding") {
  // node: Buffer.byteLength('aé€😀') in utf8, utf16le, latin1; ('00ff', 'hex');
  // ('Zm9vYg==', 'base64'); ('Zm9vYg', 'base64url') → [10, 10, 5, 2, 4, 4].
  const char* text = "a\u00e9\u20ac\U0001F600";
  CHECK(Buffer::byteLength(text) == 10);
  CHECK(Buffer::byteLength(text, Encoding::utf16le) == 10);
  CHECK(Buffer::byteLength(text, Encoding::latin1) == 5);
  CHECK(Buffer::byteLength("00ff", Encoding::hex) == 2);
  CHECK(Buffer::byteLength("Zm9vYg==", Encoding::base64) == 4);
  CHECK(Buffer::byteLength("Zm9vYg", Encoding::base64url) == 4);
  // node: isEncoding for 'UTF-8', 'Hex', 'binary', 'ucs-2', 'utf-16le', 'utf16',
  // 'latin-1', '' → [true, true, true, true, true, false, false, false].
  CHECK(Buffer::isEncoding("UTF-8"));
  CHECK(Buffer::isEncoding("Hex"));
  CHECK(Buffer::isEncoding("binary"));
  CHECK(Buffer::isEncoding("ucs-2"));
  CHECK(Buffer::isEncoding("utf-16le"));
  CHECK_FALSE(Buffer::isEncoding("utf16"));
  CHECK_FALSE(Buffer::isEncoding("latin-1"));
  CHECK_FALSE(Buffer::isEncoding(""));
}

TEST_CASE("copying a Buffer shares its bytes, moving one leaves it empty") {
  Buffer a = Buffer::from({1, 2});
  Buffer b = a;
  b[0] = 9;
  CHECK(a[0] == 9);
  Buffer c = std::move(a);
  CHECK(show(c) == "<Buffer 09 02>");
  CHECK(a.empty());  // NOLINT(bugprone-use-after-move): a moved-from Buffer is empty
  Buffer d;
  d = std::move(c);
  CHECK(c.empty());  // NOLINT(bugprone-use-after-move)
  CHECK(d.length() == 2);
}

TEST_CASE("a const Buffer cannot be written through") {
  using ConstBuffer = const Buffer&;
  STATIC_REQUIRE(std::is_same_v<decltype(std::declval<ConstBuffer>().data()), const std::byte*>);
  STATIC_REQUIRE(std::is_same_v<decltype(std::declval<ConstBuffer>()[0]), std::uint8_t>);
  STATIC_REQUIRE(
      std::is_same_v<decltype(std::declval<ConstBuffer>().begin()), const std::uint8_t*>);
  STATIC_REQUIRE_FALSE(Writable<const Buffer>);
  STATIC_REQUIRE_FALSE(Fillable<const Buffer>);
  STATIC_REQUIRE_FALSE(TextWritable<const Buffer>);
  STATIC_REQUIRE_FALSE(Swappable<const Buffer>);
  STATIC_REQUIRE(Readable<const Buffer>);
  STATIC_REQUIRE(Writable<Buffer>);
  STATIC_REQUIRE(Fillable<Buffer>);
  STATIC_REQUIRE(TextWritable<Buffer>);
  STATIC_REQUIRE(Swappable<Buffer>);
}
