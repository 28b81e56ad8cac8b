// SPDX-License-Identifier: Apache-2.0
// Schema evolution both ways: versioned_v1.wk (version 1) and versioned_v2.wk
// (version 2, new fields with @since(2)) decode each other's messages.
#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "byte_builder.hpp"
#include "versioned_v1.wk.hpp"
#include "versioned_v2.wk.hpp"

using wktest::Bytes;

TEST_CASE("versions: a new decoder reads an old message, new fields are absent") {
  wirekit::ArrayBuffer storage(256);
  auto old = wktest::v1::Order::encode(wirekit::DataView(storage));
  old.id(1).qty(10).price(99);
  old.fills(1).next().px(98).size(4);
  old.venue("XLON");
  const std::size_t n = old.encodedLength();
  // v1 by hand: block 8+4+8 = 20; fills entry 12 bytes; venue string<u8>.
  Bytes expected;
  expected.u16(20).u16(1).u16(901).u16(1).u64(1).u32(10).i64(99);
  expected.u16(12).u16(1).i64(98).u32(4).u8(4).text("XLON");
  REQUIRE(n == expected.size());
  CHECK(wktest::written(storage, n) == expected.bytes());

  const auto d = wktest::v2::Order::decode(wirekit::DataView(storage, 0, n));
  CHECK(d.actingVersion() == 1);
  CHECK(d.id() == 1);
  CHECK(d.price() == 99);
  CHECK_FALSE(d.stop());
  CHECK_FALSE(d.flagsByte());
  CHECK(d.fills().begin()->px() == 98);
  CHECK_FALSE(d.fills().begin()->liquidity());
  CHECK(d.venue() == "XLON");
  CHECK_FALSE(d.memo());
  CHECK(d.encodedLength() == n);
  CHECK(
      fmt::format("{}", d) ==
      R"({"Order":{"id":1,"qty":10,"price":99,"stop":null,"flagsByte":null,"fills":[{"px":98,"size":4,)"
      R"("liquidity":null}],"venue":"XLON","memo":null}})");
}

TEST_CASE("versions: an old decoder reads a new message, it skips what it does not know") {
  wirekit::ArrayBuffer storage(256);
  auto fresh = wktest::v2::Order::encode(wirekit::DataView(storage));
  fresh.id(2).qty(20).price(5).stop(4).flagsByte(1);
  auto fills = fresh.fills(2);
  fills.next().px(1).size(2).liquidity('A');
  fills.next().px(3).size(4).liquidity('R');
  fresh.venue("XNAS").memo("new in v2");
  const std::size_t n = fresh.encodedLength();

  const auto d = wktest::v1::Order::decode(wirekit::DataView(storage, 0, n));
  CHECK(d.actingVersion() == 2);
  CHECK(d.actingBlockLength() == 8 + 4 + 8 + 8 + 1);
  CHECK(d.id() == 2);
  CHECK(d.price() == 5);
  REQUIRE(d.fills().size() == 2);
  auto it = d.fills().begin();
  ++it;
  CHECK(it->px() == 3);  // entries strided by the wire's entry block length (13)
  CHECK(it->actingBlockLength() == 13);
  CHECK(d.venue() == "XNAS");
  // The old decoder's message ends after the parts it knows (the memo is after them).
  CHECK(d.encodedLength() == n - 4 - 9);
}

TEST_CASE("versions: a block shorter than the acting version needs is rejected") {
  // A v2 header (version 2) with a v1-sized block: v2 needs 29 bytes.
  Bytes bytes;
  bytes.u16(20).u16(1).u16(901).u16(2).u64(1).u32(10).i64(99);
  bytes.u16(12).u16(0).u8(0).u32(0);
  const wirekit::ArrayBuffer storage = bytes.buffer();
  CHECK_THROWS_WITH(
      wktest::v2::Order::decode(wirekit::DataView(storage)),
      "Order: block length 20 at byte 0 is shorter than the 29 bytes that version 2 needs");
  // The v1 decoder needs only 20 bytes for version 2 (it knows fields up to version 1)
  // but the entries are shorter than version 2's: its entry needs 12, which holds.
  CHECK_NOTHROW(wktest::v1::Order::decode(wirekit::DataView(storage)));
}
