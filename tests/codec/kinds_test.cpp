// SPDX-License-Identifier: Apache-2.0
// Round trips of every field kind (schemas/test/kinds.wk), the exact bytes of
// padding, @offset and @block_length, and a big-endian custom header.
#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "byte_builder.hpp"
#include "custom_header.wk.hpp"
#include "kinds.wk.hpp"

using wktest::Bytes;
namespace k = wktest::kinds;

TEST_CASE("kinds: scalars round trip at the edges of their types") {
  wirekit::ArrayBuffer storage(256);
  auto e = k::Scalars::encode(wirekit::DataView(storage));
  e.u8v(255).u16v(65535).u32v(4294967295U).u64v(std::numeric_limits<std::uint64_t>::max());
  e.i8v(-128).i16v(-32768).i32v(std::numeric_limits<std::int32_t>::min());
  e.i64v(std::numeric_limits<std::int64_t>::min()).f32v(-1.5f).f64v(1e300).charv('Q').boolv(true);
  const std::size_t n = e.encodedLength();
  CHECK(n == 8 + 1 + 2 + 4 + 8 + 1 + 2 + 4 + 8 + 4 + 8 + 1 + 1);
  const auto d = k::Scalars::decode(wirekit::DataView(storage, 0, n));
  CHECK(d.u8v() == 255);
  CHECK(d.u16v() == 65535);
  CHECK(d.u32v() == 4294967295U);
  CHECK(d.u64v() == std::numeric_limits<std::uint64_t>::max());
  CHECK(d.i8v() == -128);
  CHECK(d.i16v() == -32768);
  CHECK(d.i32v() == std::numeric_limits<std::int32_t>::min());
  CHECK(d.i64v() == std::numeric_limits<std::int64_t>::min());
  CHECK(d.f32v() == -1.5f);
  CHECK(d.f64v() == 1e300);
  CHECK(d.charv() == 'Q');
  CHECK(d.boolv());
  CHECK(fmt::format("{}", d) ==
        R"({"Scalars":{"u8v":255,"u16v":65535,"u32v":4294967295,"u64v":18446744073709551615,)"
        R"("i8v":-128,"i16v":-32768,"i32v":-2147483648,"i64v":-9223372036854775808,"f32v":-1.5,)"
        R"("f64v":1e+300,"charv":"Q","boolv":true}})");
}

TEST_CASE("kinds: a wire bool reads any non-zero byte as true") {
  wirekit::ArrayBuffer storage(256);
  auto e = k::Scalars::encode(wirekit::DataView(storage));
  const std::size_t n = e.encodedLength();
  storage.data()[8 + 43] = std::byte{7};  // boolv is the last byte of the 44-byte block
  CHECK(k::Scalars::decode(wirekit::DataView(storage, 0, n)).boolv());
}

TEST_CASE("kinds: optionals are null by default, and carry values and nulls") {
  wirekit::ArrayBuffer storage(256);
  auto e = k::Optionals::encode(wirekit::DataView(storage));
  std::size_t n = e.encodedLength();
  {
    const auto d = k::Optionals::decode(wirekit::DataView(storage, 0, n));
    CHECK_FALSE(d.ou8());
    CHECK_FALSE(d.oi64());
    CHECK_FALSE(d.of32());
    CHECK_FALSE(d.ochar());
    CHECK_FALSE(d.obool());
    CHECK_FALSE(d.ocolor());
    CHECK_FALSE(d.custom());
    CHECK_FALSE(d.customColor());
    // By the spec: unsigned max, signed min, NaN, char 0; @null overrides.
    CHECK(storage.data()[8] == std::byte{0xFF});  // ou8
    // oi64 after u8, u16, u32, u64, i8, i16, i32: at 1+2+4+8+1+2+4 = 22 in the block.
    CHECK(wirekit::DataView(storage).getBigInt64(8 + 22, true) == INT64_MIN);
  }
  auto e2 = k::Optionals::encode(wirekit::DataView(storage));
  e2.ou8(0)
      .oi64(-1)
      .of32(2.5f)
      .ochar('x')
      .obool(false)
      .ocolor(k::Color::Blue)
      .custom(5)
      .customColor(k::Color::Red);
  e2.ou16(std::nullopt);
  n = e2.encodedLength();
  const auto d = k::Optionals::decode(wirekit::DataView(storage, 0, n));
  CHECK(d.ou8() == 0);
  CHECK(d.oi64() == -1);
  CHECK(d.of32() == 2.5f);
  CHECK(d.ochar() == 'x');
  CHECK(d.obool() == false);
  CHECK(d.ocolor() == k::Color::Blue);
  CHECK(d.custom() == 5);
  CHECK(d.customColor() == k::Color::Red);
  CHECK_FALSE(d.ou16());
  // Writing the null value itself is an error: it would read back as absent.
  CHECK_THROWS_AS(e2.ou8(255), wirekit::EncodeError);
  CHECK_THROWS_AS(e2.custom(0), wirekit::EncodeError);
}

TEST_CASE("kinds: constants take no bytes and read as their values") {
  STATIC_REQUIRE(k::Constants::blockLength == 2);
  STATIC_REQUIRE(k::Constants::Decoder::cu16() == 9000);
  STATIC_REQUIRE(k::Constants::Decoder::ci64() == INT64_MIN);
  STATIC_REQUIRE(k::Constants::Decoder::cu64() == UINT64_MAX);
  STATIC_REQUIRE(k::Constants::Decoder::cf32() == 35.9f);
  STATIC_REQUIRE(k::Constants::Decoder::cchar() == 'Z');
  STATIC_REQUIRE(k::Constants::Decoder::cbool());
  STATIC_REQUIRE(k::Constants::Decoder::ccolor() == k::Color::Green);
  STATIC_REQUIRE(k::Constants::Decoder::ctext() == "Petrol");
  CHECK(std::isnan(k::Constants::Decoder::cnan()));
  wirekit::ArrayBuffer storage(64);
  auto e = k::Constants::encode(wirekit::DataView(storage));
  e.before(1).after(2);
  const std::size_t n = e.encodedLength();
  CHECK(n == 10);
  CHECK(
      fmt::format("{}", k::Constants::decode(wirekit::DataView(storage, 0, n))) ==
      R"({"Constants":{"before":1,"cu16":9000,"ci64":-9223372036854775808,"cu64":18446744073709551615,)"
      R"("cf32":35.9,"cf64":-1.5e-7,"cnan":"NaN","cinf":"-Infinity","cchar":"Z","cbool":true,)"
      R"("ccolor":"Green","ctext":"Petrol","cshort":"ab","after":2}})");
}

TEST_CASE("kinds: arrays, text, flags, enums and nested structs") {
  wirekit::ArrayBuffer storage(256);
  auto e = k::Composites::encode(wirekit::DataView(storage));
  e.text("hi").numbers({-1, 2, -3, 4}).floats({0.5f, -0.25f});
  e.colors({k::Color::Blue, static_cast<k::Color>(9), k::Color::Red}).grades({k::Grade::Bad});
  e.flags8(k::Small8{}.a(true).h(true)).flags16(k::Wide16{}.high(true));
  e.flags64(k::Wide64{}.last(true).first(true));
  e.box().color(k::Color::Green).label("xyz").corner().x(-5).y(6);
  e.box().size().x(100).y(200);
  e.withOptional().id(9).maybe(77);
  e.temperature(k::Temperature::Cold).bigValue(k::Big::Huge).bools({true, false});
  const std::size_t n = e.encodedLength();
  const auto d = k::Composites::decode(wirekit::DataView(storage, 0, n));
  CHECK(d.text() == "hi");
  CHECK(d.numbers()[0] == -1);
  CHECK(d.numbers()[3] == 4);
  CHECK(d.floats()[1] == -0.25f);
  CHECK(d.colors()[0] == k::Color::Blue);
  CHECK(static_cast<int>(d.colors()[1]) == 9);  // unknown values are kept
  CHECK(d.grades()[0] == k::Grade::Bad);
  CHECK(static_cast<int>(d.grades()[1]) == 0);
  CHECK(d.flags8().a());
  CHECK_FALSE(d.flags8().b());
  CHECK(d.flags8().h());
  CHECK(d.flags8().bits() == 0x81);
  CHECK(d.flags16().bits() == 0x8000);
  CHECK(d.flags64().bits() == 0x8000000000000001ULL);
  CHECK(d.box().corner().x() == -5);
  CHECK(d.box().size().y() == 200);
  CHECK(d.box().label() == "xyz");
  CHECK(d.withOptional().maybe() == 77U);
  CHECK(d.withOptional().fixed() == 7);
  CHECK(d.temperature() == k::Temperature::Cold);
  CHECK(d.bigValue() == k::Big::Huge);
  CHECK(d.bools()[0]);
  CHECK(
      fmt::format("{}", d) ==
      R"({"Composites":{"text":"hi","numbers":[-1,2,-3,4],"floats":[0.5,-0.25],"colors":["Blue",9,"Red"],)"
      R"("grades":["Bad",0],"flags8":["a","h"],"flags16":["high"],"flags64":["first","last"],)"
      R"("box":{"corner":{"x":-5,"y":6},"size":{"x":100,"y":200},"color":"Green","label":"xyz"},)"
      R"("withOptional":{"id":9,"maybe":77,"fixed":7},"temperature":"Cold","bigValue":"Huge","bools":[true,false]}})");
}

TEST_CASE("kinds: @offset gaps and @block_length padding are zero, at the offsets given") {
  wirekit::ArrayBuffer storage(64);
  std::fill_n(storage.data(), 64, std::byte{0xAA});
  auto e = k::Layout::encode(wirekit::DataView(storage));
  e.a(1).b(0x01020304).c(0x0506).d(7);
  const std::size_t n = e.encodedLength();
  Bytes expected;
  expected.u16(32).u16(5).u16(900).u16(0);
  expected.u8(1).zeros(3).u32(0x01020304).zeros(2).u16(0x0506).u8(7).zeros(32 - 13);
  REQUIRE(n == expected.size());
  CHECK(wktest::written(storage, n) == expected.bytes());
}

TEST_CASE("kinds: nested groups with strings and bytes in entries") {
  wirekit::ArrayBuffer storage(512);
  auto e = k::Parts::encode(wirekit::DataView(storage));
  e.id(42);
  auto items = e.items(2);
  auto first = items.next().sku(1);
  auto tags = first.tags(2);
  tags.next().tag("ab").note("n1");
  tags.next().tag("cd").note("");
  first.description("first item");
  const std::byte blob[] = {std::byte{1}, std::byte{2}, std::byte{255}};
  first.blob(blob);
  items.next().sku(2);  // its tags, description and blob are written empty
  e.counts(1).next().value(-9);
  e.name("parts");
  const std::size_t n = e.encodedLength();

  Bytes expected;
  expected.u16(4).u16(6).u16(900).u16(0).u32(42);
  expected.u16(4).u16(2);                                     // items
  expected.u32(1);                                            //   [0].sku
  expected.u8(4).u8(2).text("ab").zeros(2).u8(2).text("n1");  // tags<u8,u8>: char[4], string<u8>
  expected.text("cd").zeros(2).u8(0);
  expected.u32(10).text("first item").u16(3).u8(1).u8(2).u8(255);  // description, blob<u16>
  expected.u32(2).u8(4).u8(0).u32(0).u16(0);   //   [1]: empty tags, description, blob
  expected.u16(8).u16(0);                      // empties: @block_length(8), none
  expected.u32(8).u32(1).i64(-9);              // counts<u32,u32>
  expected.u16(5).text("parts").u32(0).u8(0);  // name, payload, trailer
  REQUIRE(n == expected.size());
  CHECK(wktest::written(storage, n) == expected.bytes());

  const auto d = k::Parts::decode(wirekit::DataView(storage, 0, n));
  REQUIRE(d.items().size() == 2);
  auto it = d.items().begin();
  CHECK(it->sku() == 1);
  CHECK(it->tags().size() == 2);
  CHECK(it->tags().begin()->note() == "n1");
  CHECK(it->description() == "first item");
  CHECK(it->blob().size() == 3);
  CHECK(it->blob()[2] == std::byte{255});
  ++it;
  CHECK(it->sku() == 2);
  CHECK(it->tags().empty());
  CHECK(d.counts()[0].value() == -9);
  CHECK(d.name() == "parts");
  CHECK(
      fmt::format("{}", d) ==
      R"({"Parts":{"id":42,"items":[{"sku":1,"tags":[{"tag":"ab","note":"n1"},{"tag":"cd","note":""}],)"
      R"("description":"first item","blob":"AQL/"},{"sku":2,"tags":[],"description":"","blob":""}],)"
      R"("empties":[],"counts":[{"value":-9}],"name":"parts","payload":"","trailer":""}})");

  // Every truncation fails, in a buffer of exactly that size.
  for (std::size_t cut = 0; cut < n; ++cut) {
    wirekit::ArrayBuffer shorter = storage.slice(0, static_cast<std::ptrdiff_t>(cut));
    INFO("length " << cut);
    CHECK_THROWS_AS(k::Parts::decode(wirekit::DataView(shorter)), wirekit::DecodeError);
  }
}

TEST_CASE("kinds: many entries of three parts, one a group with parts") {
  constexpr std::size_t count = 11;
  wirekit::ArrayBuffer storage(2048);
  auto e = k::Parts::encode(wirekit::DataView(storage));
  e.id(1);
  auto items = e.items(count);
  for (std::size_t i = 0; i < count; ++i) {
    auto item = items.next().sku(static_cast<std::uint32_t>(i));
    auto tags = item.tags(i % 3);
    for (std::size_t j = 0; j < i % 3; ++j)
      tags.next().tag("t").note(std::string(j + 1, 'n'));
    item.description(std::string(i, 'd'));
    const std::vector<std::byte> blob(i % 5, std::byte{0xB0});
    item.blob(blob);
  }
  e.empties(0);
  e.counts(0);
  e.name("n");
  const std::size_t n = e.encodedLength();

  const auto d = k::Parts::decode(wirekit::DataView(storage, 0, n));
  std::size_t i = 0;
  for (const auto& item : d.items()) {
    INFO("item " << i);
    CHECK(item.sku() == i);
    std::size_t j = 0;
    for (const auto& tag : item.tags()) {
      CHECK(tag.note() == std::string(j + 1, 'n'));
      ++j;
    }
    CHECK(j == i % 3);
    CHECK(item.description() == std::string(i, 'd'));
    CHECK(item.blob().size() == i % 5);
    ++i;
  }
  CHECK(i == count);
  CHECK(d.name() == "n");
  CHECK(d.encodedLength() == n);
}

TEST_CASE("kinds: @max and count times entry length that overflows") {
  wirekit::ArrayBuffer storage(512);
  auto e = k::Parts::encode(wirekit::DataView(storage));
  CHECK_THROWS_WITH(e.items(1).next().tags(6), "Parts.items[0].tags: count 6 exceeds @max(5)");
  auto e2 = k::Parts::encode(wirekit::DataView(storage));
  e2.items(0);
  e2.empties(0);
  e2.counts(0);
  CHECK_THROWS_WITH(e2.name("this name is longer than 20"),
                    "Parts.name: length 27 exceeds @max(20)");

  // counts<u32,u32> with 0xFFFFFFFF entries of 0xFFFFFFFF bytes: header 8, block 4,
  // items dimension 4 (no entries), empties dimension 4, then counts at byte 20.
  Bytes hostile;
  hostile.u16(4).u16(6).u16(900).u16(0).u32(1).u16(4).u16(0).u16(8).u16(0);
  hostile.u32(0xFFFFFFFF).u32(0xFFFFFFFF).zeros(16);
  const wirekit::ArrayBuffer bad = hostile.buffer();
  CHECK_THROWS_WITH(k::Parts::decode(wirekit::DataView(bad)),
                    "Parts.counts: 4294967295 entries of 4294967295 bytes at byte 28 run past the "
                    "end (44 bytes)");
}

TEST_CASE("custom header: a message without groups completes and rejects as one with them") {
  namespace c = wktest::custom;
  wirekit::ArrayBuffer storage(64);
  auto e = c::Ping::encode(wirekit::DataView(storage));
  e.seq(1);
  CHECK(e.encodedLength() == 8 + 12 + 1);  // the note is written empty
  auto again = c::Ping::encode(wirekit::DataView(storage));
  again.note("hey");
  CHECK_THROWS_AS(again.note("twice"), wirekit::EncodeError);  // the state stays as it was
  CHECK(again.encodedLength() == 8 + 12 + 1 + 3);
  CHECK(c::Ping::decode(wirekit::DataView(storage, 0, 24)).note() == "hey");
  auto tight = c::Ping::encode(wirekit::DataView(storage, 0, 22));
  CHECK_THROWS_AS(tight.note("hey"), wirekit::EncodeError);  // 20 + 1 + 3 > 22
  CHECK(tight.encodedLength() == 21);
}

TEST_CASE("custom header: other types and order, big-endian") {
  namespace c = wktest::custom;
  STATIC_REQUIRE(c::Schema::headerSize == 8);
  STATIC_REQUIRE(std::is_same_v<std::remove_const_t<decltype(c::Ping::templateId)>, std::uint8_t>);
  wirekit::ArrayBuffer storage(64);
  auto e = c::Ping::encode(wirekit::DataView(storage));
  e.seq(0x01020304).sentAt(0x1122334455667788ULL).note("hey");
  const std::size_t n = e.encodedLength();
  Bytes expected(/*bigEndian=*/true);
  expected.u8(200).u8(3).u16(77).u32(12);  // templateId, version, schemaId, blockLength
  expected.u32(0x01020304).u64(0x1122334455667788ULL).u8(3).text("hey");
  REQUIRE(n == expected.size());
  CHECK(wktest::written(storage, n) == expected.bytes());
  const auto message = c::decode(wirekit::DataView(storage, 0, n));
  REQUIRE(std::holds_alternative<c::Ping::Decoder>(message));
  const auto& ping = std::get<c::Ping::Decoder>(message);
  CHECK(ping.seq() == 0x01020304);
  CHECK(ping.sentAt() == 0x1122334455667788ULL);
  CHECK(ping.note() == "hey");
  CHECK(ping.actingVersion() == 3);
}

TEST_CASE(
    "kinds: fmt prints an enum value without a member as its number, or a char enum's as its "
    "character") {
  CHECK(fmt::format("{}", k::Color::Blue) == "Blue");
  CHECK(fmt::format("{}", static_cast<k::Color>(7)) == "7");
  CHECK(fmt::format("{}", static_cast<k::Temperature>(-3)) == "-3");
  CHECK(fmt::format("{}", static_cast<k::Big>(0xFFFFFFFFFFFFFFFFULL)) == "18446744073709551615");
  CHECK(fmt::format("{}", static_cast<k::Grade>('x')) == "x");
}
