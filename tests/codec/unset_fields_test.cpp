// SPDX-License-Identifier: Apache-2.0
// Fields the caller leaves unset read as zero, optional ones as null, whatever
// the buffer held before, however they were left unset: never set, a struct's
// members set one by one, array elements set one by one, a block completed by
// the next entry, by encodedLength() or by the encoder's destructor
// (wirekit/codec/unset_fields.hpp), in blocks that are tracked and in blocks
// of more than 64 fields, which are zeroed up front.
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "byte_builder.hpp"
#include "kinds.wk.hpp"
#include "wide.wk.hpp"
#include "wirekit/codec/unset_fields.hpp"

namespace k = wktest::kinds;
namespace w = wktest::wide;

namespace {

constexpr std::byte staleByte{0xAA};

wirekit::ArrayBuffer staleBuffer(std::size_t size) {
  wirekit::ArrayBuffer buffer(size);
  std::fill_n(buffer.data(), size, staleByte);
  return buffer;
}

// Runs encode(buffer) -> length into a buffer full of staleByte bytes and into a
// fresh one: the two messages must be the same bytes. Returns the staleByte one.
template <class Encode>
wirekit::ArrayBuffer encodeIntoStale(const Encode& encode, std::size_t size = 1024) {
  wirekit::ArrayBuffer reused = staleBuffer(size);
  wirekit::ArrayBuffer fresh(size);
  const std::size_t n = encode(reused);
  REQUIRE(encode(fresh) == n);
  CHECK(wktest::written(reused, n) == wktest::written(fresh, n));
  return reused;
}

// Fills a buffer with 0xAA, zeroes `size` bytes at offset 3 (unaligned), and
// checks that exactly those bytes are zero.
template <std::size_t size>
void checkZeroBlock() {
  std::array<std::byte, size + 6> buffer{};
  buffer.fill(staleByte);
  wirekit::codec::zeroBlock<size>(buffer.data() + 3);
  for (std::size_t i = 0; i < buffer.size(); ++i) {
    INFO("size " << size << ", byte " << i);
    CHECK(buffer[i] == (i >= 3 && i < 3 + size ? std::byte{0} : staleByte));
  }
}

}  // namespace

TEST_CASE("zeroBlock zeroes exactly its block, whatever the size's remainder by 8") {
  checkZeroBlock<1>();
  checkZeroBlock<2>();
  checkZeroBlock<3>();
  checkZeroBlock<4>();
  checkZeroBlock<5>();
  checkZeroBlock<6>();
  checkZeroBlock<7>();
  checkZeroBlock<8>();
  checkZeroBlock<15>();
  checkZeroBlock<33>();
  checkZeroBlock<128>();
  checkZeroBlock<129>();  // the memset path
}

TEST_CASE("UnsetFields records fields written only through the block being written") {
  std::array<std::byte, 2> blocks{};
  std::byte* const current = &blocks[0];
  const std::byte* const other = &blocks[1];
  wirekit::codec::UnsetFields unset{current, 0b111 | (std::uint64_t{1} << 63)};

  unset.written(other, 0);  // an encoder of another block: nothing recorded
  CHECK(unset.bits == (0b111 | (std::uint64_t{1} << 63)));
  unset.written(current, 1);
  unset.written(current, 63);
  CHECK(unset.bits == 0b101);

  CHECK(unset.claim(current, 0));        // unset: the setter zeroes the field first
  CHECK_FALSE(unset.claim(current, 0));  // written now: not again
  CHECK_FALSE(unset.claim(other, 2));
  CHECK(unset.bits == 0b100);
}

TEST_CASE("FieldMarks number a struct's members from the struct field's own number") {
  std::array<std::byte, 1> block{};
  wirekit::codec::UnsetFields unset{block.data(), ~std::uint64_t{0}};
  const wirekit::codec::FieldMarks marks(&unset, block.data(), 10);
  marks.written(2);            // field 12
  marks.nested(4).written(1);  // field 15
  CHECK(unset.bits == ~((std::uint64_t{1} << 12) | (std::uint64_t{1} << 15)));
  CHECK(marks.nested(4).claim(2));  // field 16
  CHECK_FALSE(marks.claim(6));      // the same field, through the outer struct

  const wirekit::codec::FieldMarks none;  // a block zeroed up front
  none.written(0);
  CHECK_FALSE(none.claim(0));
  CHECK_FALSE(none.nested(3).claim(0));
}

TEST_CASE("unset fields: every kind of field left unset reads as zero or null") {
  SECTION("scalars") {
    const auto buffer = encodeIntoStale([](wirekit::ArrayBuffer& b) {
      return k::Scalars::encode(wirekit::DataView(b)).encodedLength();
    });
    const auto d = k::Scalars::decode(wirekit::DataView(buffer, 0, 8 + 44));
    CHECK(d.u64v() == 0);
    CHECK(d.f64v() == 0.0);
    CHECK_FALSE(d.boolv());
  }
  SECTION("optionals, of every type and with @null") {
    const auto buffer = encodeIntoStale([](wirekit::ArrayBuffer& b) {
      return k::Optionals::encode(wirekit::DataView(b)).encodedLength();
    });
    const auto d = k::Optionals::decode(wirekit::DataView(buffer));
    CHECK_FALSE(d.ou8());
    CHECK_FALSE(d.oi64());
    CHECK_FALSE(d.of64());
    CHECK_FALSE(d.obool());
    CHECK_FALSE(d.ograde());
    CHECK_FALSE(d.custom());
    CHECK_FALSE(d.customColor());
  }
  SECTION("arrays, text, flags and structs") {
    const auto buffer = encodeIntoStale([](wirekit::ArrayBuffer& b) {
      return k::Composites::encode(wirekit::DataView(b)).encodedLength();
    });
    const auto d = k::Composites::decode(wirekit::DataView(buffer));
    CHECK(d.text().empty());
    CHECK(d.numbers()[3] == 0);
    CHECK(d.flags64().bits() == 0);
    CHECK(d.box().size().y() == 0);
    CHECK(d.box().label().empty());
    CHECK_FALSE(d.withOptional().maybe());
  }
  SECTION("@offset gaps and @block_length padding") {
    encodeIntoStale([](wirekit::ArrayBuffer& b) {
      return k::Layout::encode(wirekit::DataView(b)).b(7).encodedLength();
    });
  }
  SECTION("entries of every kind of group") {
    const auto buffer = encodeIntoStale([](wirekit::ArrayBuffer& b) {
      auto e = k::Parts::encode(wirekit::DataView(b));
      auto items = e.items(2);
      (void)items.next().tags(1).next();
      items.next().description("no sku");
      (void)e.empties(1).next();
      auto counts = e.counts(2);
      (void)counts.next();
      (void)counts.next();
      return e.encodedLength();
    });
    const auto d = k::Parts::decode(wirekit::DataView(buffer));
    auto item = d.items().begin();
    CHECK(item->sku() == 0);
    CHECK(item->tags().begin()->tag().empty());
    CHECK((++item)->sku() == 0);
    CHECK(d.empties().begin()->n() == 0);
    CHECK(d.counts()[1].value() == 0);
  }
}

TEST_CASE("unset fields: a struct's members set one by one leave the others zero or null") {
  const auto buffer = encodeIntoStale([](wirekit::ArrayBuffer& b) {
    auto e = k::Composites::encode(wirekit::DataView(b));
    e.box().corner().x(-5);
    e.box().label("ab");
    e.withOptional().id(9);
    return e.encodedLength();
  });
  const auto d = k::Composites::decode(wirekit::DataView(buffer));
  CHECK(d.box().corner().x() == -5);
  CHECK(d.box().corner().y() == 0);
  CHECK(d.box().size().x() == 0);
  CHECK(d.box().color() == k::Color::Red);
  CHECK(d.box().label() == "ab");
  CHECK(d.withOptional().id() == 9);
  CHECK_FALSE(d.withOptional().maybe());
}

TEST_CASE("unset fields: array elements set one by one leave the others zero") {
  const auto buffer = encodeIntoStale([](wirekit::ArrayBuffer& b) {
    auto e = k::Composites::encode(wirekit::DataView(b));
    e.numbers(2, 7);
    e.numbers(0, -1);  // the element set before stays
    e.bools(1, true);
    return e.encodedLength();
  });
  const auto d = k::Composites::decode(wirekit::DataView(buffer));
  CHECK(d.numbers()[0] == -1);
  CHECK(d.numbers()[1] == 0);
  CHECK(d.numbers()[2] == 7);
  CHECK(d.numbers()[3] == 0);
  CHECK_FALSE(d.bools()[0]);
  CHECK(d.bools()[1]);
}

TEST_CASE("unset fields: a field set after encodedLength() keeps its value") {
  wirekit::ArrayBuffer buffer = staleBuffer(256);
  auto e = k::Scalars::encode(wirekit::DataView(buffer));
  (void)e.encodedLength();  // completes the block: every field zero
  e.u16v(513);
  const std::size_t n = e.encodedLength();
  const auto d = k::Scalars::decode(wirekit::DataView(buffer, 0, n));
  CHECK(d.u16v() == 513);
  CHECK(d.u32v() == 0);
}

TEST_CASE("unset fields: the encoder's destructor completes a message whose length was not asked") {
  SECTION("the message's block") {
    wirekit::ArrayBuffer buffer = staleBuffer(256);
    { k::Scalars::encode(wirekit::DataView(buffer)).u8v(1); }
    const auto d = k::Scalars::decode(wirekit::DataView(buffer, 0, 8 + 44));
    CHECK(d.u8v() == 1);
    CHECK(d.i64v() == 0);
    CHECK(d.charv() == '\0');
  }
  SECTION("the entry still being written") {
    wirekit::ArrayBuffer buffer = staleBuffer(256);
    {
      auto e = k::Shapes::encode(wirekit::DataView(buffer));
      e.points(1).next().at().x(4);
    }
    // header 8, an empty block, the dimension (u16, u16), then the entry:
    // at.x i32, at.y i32, weights u8[3], tag u16 (null 0xFFFF).
    wktest::Bytes entry;
    entry.i32(4).i32(0).u8(0).u8(0).u8(0).u16(0xFFFF);
    const auto bytes = wktest::written(buffer, 12 + entry.size());
    CHECK(std::vector<std::byte>(bytes.begin() + 12, bytes.end()) == entry.bytes());
  }
}

TEST_CASE(
    "unset fields: an encoder of an entry no longer being written does not spare the new one's") {
  const auto buffer = encodeIntoStale([](wirekit::ArrayBuffer& b) {
    auto e = k::Shapes::encode(wirekit::DataView(b));
    auto points = e.points(2);
    auto first = points.next();
    auto firstAt = first.at();
    auto second = points.next();
    // Both write the entry they were given; the second entry's tag and at.y
    // stay unset and must be completed as such.
    first.tag(5);
    firstAt.y(6);
    second.at().x(1);
    auto boxes = e.boxes(2);
    auto firstBox = boxes.next();
    auto corner = firstBox.box().corner();
    boxes.next().note("second");
    firstBox.box().color(k::Color::Blue);
    corner.x(3);
    return e.encodedLength();
  });
  const auto d = k::Shapes::decode(wirekit::DataView(buffer));
  CHECK(d.points()[0].tag() == 5);
  CHECK(d.points()[0].at().y() == 6);
  CHECK_FALSE(d.points()[1].tag());
  CHECK(d.points()[1].at().y() == 0);
  auto box = d.boxes().begin();
  CHECK(box->box().color() == k::Color::Blue);
  CHECK(box->box().corner().x() == 3);
  ++box;
  CHECK(box->box().color() == k::Color::Red);
  CHECK(box->box().corner().x() == 0);
  CHECK(box->note() == "second");
}

TEST_CASE("unset fields: a block of 64 fields is tracked, one of 65 zeroed up front") {
  const auto encodeSome = [](bool setMaybe) {
    return [setMaybe](wirekit::ArrayBuffer& b) {
      auto e = w::Wide::encode(wirekit::DataView(b));
      e.a0(1).a59(59);
      e.pair().b(2);
      e.numbers(1, 9);
      if (setMaybe) e.maybe(63);  // field 63, the last bit
      auto cells = e.cells(2);
      cells.next().v(10);
      cells.next().w(-1);
      auto rows = e.rows(2);  // the last cell is complete once the first row begins
      rows.next().r0(1).pair().b(3);
      (void)rows.next();
      return e.encodedLength();
    };
  };
  for (const bool setMaybe : {false, true}) {
    INFO("maybe set: " << setMaybe);
    const auto buffer = encodeIntoStale(encodeSome(setMaybe));
    const auto d = w::Wide::decode(wirekit::DataView(buffer));
    CHECK(d.a0() == 1);
    CHECK(d.a1() == 0);
    CHECK(d.a59() == 59);
    CHECK(d.pair().a() == 0);
    CHECK(d.pair().b() == 2);
    CHECK(d.numbers()[0] == 0);
    CHECK(d.numbers()[1] == 9);
    CHECK(d.maybe() == (setMaybe ? std::optional<std::uint32_t>(63) : std::nullopt));
    CHECK_FALSE(d.cells()[0].w());
    CHECK(d.cells()[1].v() == 0);
    CHECK(d.cells()[1].w() == -1);
    CHECK(d.rows()[0].r0() == 1);
    CHECK(d.rows()[0].pair().b() == 3);
    CHECK_FALSE(d.rows()[0].last());
    CHECK(d.rows()[1].r61() == 0);
    CHECK_FALSE(d.rows()[1].pair().b());
  }
}
