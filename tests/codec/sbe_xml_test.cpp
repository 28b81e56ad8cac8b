// SPDX-License-Identifier: Apache-2.0
// Generated code of SBE XML schemas (schemas/sbe/) where the C++ differs from
// what .wk schemas exercise: padded group dimensions and header fields beyond
// the four, written as zero over stale bytes, including for a group the
// encoder skips (written empty by the runtime, not by generated code).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "md_incremental.xml.hpp"
#include "rc2_minimal.xml.hpp"

namespace md = wktest::sbe::md;
namespace rc2 = wktest::sbe::rc2;

namespace {

std::vector<std::uint8_t> bytes(const wirekit::ArrayBuffer& buffer, std::size_t from,
                                std::size_t n) {
  std::vector<std::uint8_t> out(n);
  std::transform(buffer.data() + from, buffer.data() + from + n, out.begin(),
                 [](std::byte b) { return std::to_integer<std::uint8_t>(b); });
  return out;
}

}  // namespace

TEST_CASE("a skipped group with a padded dimension is written empty, its padding zero") {
  wirekit::ArrayBuffer storage(256);
  std::fill_n(storage.data(), storage.byteLength(), std::byte{0xAA});
  auto e = md::SecurityDefinition::encode(wirekit::DataView(storage));
  e.description("x");  // NoEvents is skipped: the runtime writes it with no entries
  const std::size_t length = e.encodedLength();
  constexpr std::size_t dimension = 8 + 33;  // header, block
  REQUIRE(length == dimension + 8 + 2 + 1);
  // groupSize8Byte: blockLength 9 (little-endian), zeros, the count (0) at byte 7.
  CHECK(bytes(storage, dimension, 8) == std::vector<std::uint8_t>{9, 0, 0, 0, 0, 0, 0, 0});
  const auto decoded = md::SecurityDefinition::decode(wirekit::DataView(storage, 0, length));
  CHECK(decoded.NoEvents().size() == 0);
  CHECK(decoded.description() == "x");
}

TEST_CASE("a padded dimension is written with its count at its offset") {
  wirekit::ArrayBuffer storage(256);
  std::fill_n(storage.data(), storage.byteLength(), std::byte{0xAA});
  auto e = md::SecurityDefinition::encode(wirekit::DataView(storage));
  auto events = e.NoEvents(2);
  events.next().EventType(1).EventTime(10);
  events.next().EventType(2).EventTime(20);
  const std::size_t length = e.encodedLength();
  CHECK(bytes(storage, 8 + 33, 8) == std::vector<std::uint8_t>{9, 0, 0, 0, 0, 0, 0, 2});
  const auto decoded = md::SecurityDefinition::decode(wirekit::DataView(storage, 0, length));
  REQUIRE(decoded.NoEvents().size() == 2);
  CHECK(decoded.NoEvents()[1].EventTime() == 20U);
}

TEST_CASE("header fields beyond the four are written as zero") {
  wirekit::ArrayBuffer storage(64);
  std::fill_n(storage.data(), storage.byteLength(), std::byte{0xAA});
  auto e = rc2::Quote::encode(wirekit::DataView(storage));
  e.small(-1);
  e.encodedLength();
  // blockLength 18, templateId 3, schemaId 65535, version 0, numGroups 0, numVarDataFields 0.
  CHECK(bytes(storage, 0, 12) ==
        std::vector<std::uint8_t>{18, 0, 3, 0, 0xFF, 0xFF, 0, 0, 0, 0, 0, 0});
}
