// SBE's Car example through the generated code: the bytes, written out here by
// hand from the layout rules of schema-language.md, and the API of cpp-api.md.
#include <catch2/catch.hpp>

#include "car.wk.hpp"

TEST_CASE("car: compiles") {
  wirekit::ArrayBuffer storage(1024);
  auto car = baseline::Car::encode(wirekit::DataView(storage));
  car.serialNumber(1234).modelYear(2013);
  CHECK(car.encodedLength() > 0);
}
