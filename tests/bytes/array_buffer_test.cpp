#include <catch2/catch.hpp>

#include "wirekit/bytes/array_buffer.hpp"
#include "wirekit/error.hpp"

using namespace wirekit;

TEST_CASE("a new ArrayBuffer is zero-filled") {
  ArrayBuffer buffer(16);
  REQUIRE(buffer.byteLength() == 16);
  for (std::byte b : buffer.bytes())
    CHECK(b == std::byte{0});
}
