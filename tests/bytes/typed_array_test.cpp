#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "wirekit/bytes/array_buffer.hpp"
#include "wirekit/bytes/typed_array.hpp"

using namespace wirekit;

TEST_CASE("a Uint8Array prints as console.log prints it") {
  ArrayBuffer buffer(8);
  Uint8Array view(buffer);
  view[0] = 255;
  view[1] = 16;
  CHECK(fmt::format("{}", view) == "Uint8Array(8) [255, 16, 0, 0, 0, 0, 0, 0]");
}
