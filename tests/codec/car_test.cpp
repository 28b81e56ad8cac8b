// SPDX-License-Identifier: Apache-2.0
// SBE's Car example through the generated code, against bytes written out here
// by hand from the layout rules of schema-language.md.
#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <iterator>
#include <string>
#include <vector>

#include "byte_builder.hpp"
#include "car.wk.hpp"

using wktest::Bytes;

namespace {

// The Car of the test below, by the layout rules: 8-byte header, a 49-byte block
// (fields packed in declaration order, constants taking no bytes), each group as
// its u16 block length and u16 count then the entries, each string as u32 length
// then the bytes.
Bytes expectedCar() {
  Bytes b;
  b.u16(49).u16(1).u16(1).u16(0);        // header: blockLength, templateId, schemaId, version
  b.u64(1234);                           // @0  serialNumber
  b.u16(2013);                           // @8  modelYear
  b.u8(1);                               // @10 available = T
  b.text("A");                           // @11 code = A
  b.u32(1).u32(2).u32(3).u32(4).u32(0);  // @12 someNumbers (4 given, the 5th zero)
  b.text("abcdef");                      // @32 vehicleCode
  b.u8(0b110);                           // @38 extras: sportsPack (bit 1), cruiseControl (bit 2)
  b.u16(2000).u8(4).text("123").i8(35).u8(1);  // @39 engine: capacity .. boosterEnabled
  b.text("N").u8(200);                         // @47 engine.booster
  b.u16(6).u16(2);                             // fuelFigures: entry block 6, 2 entries
  b.u16(30).f32(35.9f).u32(11).text("Urban Cycle");
  b.u16(55).f32(49.0f).u32(14).text("Combined Cycle");
  b.u16(1).u16(1);  // performanceFigures: entry block 1, 1 entry
  b.u8(95);         //   octaneRating
  b.u16(6).u16(2).u16(30).f32(4.0f).u16(60).f32(7.5f);  // acceleration
  b.u32(5).text("Honda").u32(9).text("Civic VTi").u32(6).text("abcdef");
  return b;
}

std::size_t encodeCar(const wirekit::ArrayBuffer& storage) {
  auto car = baseline::Car::encode(wirekit::DataView(storage));
  car.serialNumber(1234)
      .modelYear(2013)
      .available(baseline::BooleanType::T)
      .code(baseline::Model::A)
      .someNumbers({1, 2, 3, 4})
      .vehicleCode("abcdef")
      .extras(baseline::OptionalExtras{}.sportsPack(true).cruiseControl(true));
  car.engine().capacity(2000).numCylinders(4).manufacturerCode("123").efficiency(35).boosterEnabled(
      baseline::BooleanType::T);
  car.engine().booster().boostType(baseline::BoostType::NITROUS).horsePower(200);
  auto fuel = car.fuelFigures(2);
  fuel.next().speed(30).mpg(35.9f).usageDescription("Urban Cycle");
  fuel.next().speed(55).mpg(49.0f).usageDescription("Combined Cycle");
  auto performance = car.performanceFigures(1);
  auto acceleration = performance.next().octaneRating(95).acceleration(2);
  acceleration.next().mph(30).seconds(4.0f);
  acceleration.next().mph(60).seconds(7.5f);
  car.manufacturer("Honda").model("Civic VTi").activationCode("abcdef");
  return car.encodedLength();
}

}  // namespace

TEST_CASE("car: the encoder writes the bytes of the layout rules") {
  wirekit::ArrayBuffer storage(512);
  const std::size_t n = encodeCar(storage);
  const Bytes expected = expectedCar();
  REQUIRE(n == expected.size());
  CHECK(wktest::written(storage, n) == expected.bytes());
}

TEST_CASE("car: static facts") {
  STATIC_REQUIRE(baseline::Car::templateId == 1);
  STATIC_REQUIRE(baseline::Car::schemaId == 1);
  STATIC_REQUIRE(baseline::Car::schemaVersion == 0);
  STATIC_REQUIRE(baseline::Car::blockLength == 49);
  STATIC_REQUIRE(baseline::Engine::size == 10);
  STATIC_REQUIRE(baseline::Car::FuelFigures::blockLength == 6);
  STATIC_REQUIRE(baseline::Schema::headerSize == 8);
  STATIC_REQUIRE(
      std::is_same_v<decltype(baseline::Car::Decoder{nullptr, 0, 0, 0}.code()), baseline::Model>);
}

TEST_CASE("car: the decoder reads the hand-written bytes") {
  const wirekit::ArrayBuffer storage = expectedCar().buffer();
  const auto car = baseline::Car::decode(wirekit::DataView(storage));
  CHECK(car.serialNumber() == 1234);
  CHECK(car.modelYear() == 2013);
  CHECK(car.available() == baseline::BooleanType::T);
  CHECK(car.code() == baseline::Model::A);
  CHECK(car.someNumbers().size() == 5);
  CHECK(car.someNumbers()[2] == 3);
  CHECK(std::vector<std::uint32_t>(car.someNumbers().begin(), car.someNumbers().end()) ==
        std::vector<std::uint32_t>{1, 2, 3, 4, 0});
  CHECK(car.vehicleCode() == "abcdef");
  CHECK(car.extras().sportsPack());
  CHECK(car.extras().cruiseControl());
  CHECK_FALSE(car.extras().sunRoof());
  CHECK(car.discountedModel() == baseline::Model::C);
  CHECK(car.engine().capacity() == 2000);
  CHECK(car.engine().maxRpm() == 9000);
  CHECK(car.engine().fuel() == "Petrol");
  CHECK(car.engine().manufacturerCode() == "123");
  CHECK(car.engine().booster().boostType() == baseline::BoostType::NITROUS);
  CHECK(car.engine().booster().horsePower() == 200);
  REQUIRE(car.fuelFigures().size() == 2);
  std::vector<std::string> descriptions;
  for (auto f : car.fuelFigures())
    descriptions.emplace_back(f.usageDescription());
  CHECK(descriptions == std::vector<std::string>{"Urban Cycle", "Combined Cycle"});
  CHECK(car.fuelFigures().begin()->mpg() == 35.9f);
  const auto performance = *car.performanceFigures().begin();
  CHECK(performance.octaneRating() == 95);
  REQUIRE(performance.acceleration().size() == 2);
  CHECK(performance.acceleration()[1].seconds() == 7.5f);
  // Parts can be read in any order after decode.
  CHECK(car.activationCode() == "abcdef");
  CHECK(car.manufacturer() == "Honda");
  CHECK(car.model() == "Civic VTi");
  CHECK(car.encodedLength() == storage.byteLength());
  CHECK(car.actingVersion() == 0);
  CHECK(car.actingBlockLength() == 49);
  CHECK(to_string(baseline::Model::B) == "B");
  CHECK(to_string(static_cast<baseline::Model>('Z')).empty());
  CHECK(fmt::format("{}", baseline::BoostType::KERS) == "KERS");
  // A member's name takes a string's format spec (through the runtime's
  // EnumFormatter); a value without a name prints as its value.
  CHECK(fmt::format("{:>6}|{:<3}|", baseline::BoostType::KERS, baseline::Model::B) ==
        "  KERS|B  |");
  CHECK(fmt::format("{}", static_cast<baseline::Model>('Z')) == "Z");
}

TEST_CASE("car: fmt prints the JSON form") {
  const wirekit::ArrayBuffer storage = expectedCar().buffer();
  const auto car = baseline::Car::decode(wirekit::DataView(storage));
  CHECK(
      fmt::format("{}", car) ==
      R"({"Car":{"serialNumber":1234,"modelYear":2013,"available":"T","code":"A",)"
      R"("someNumbers":[1,2,3,4,0],"vehicleCode":"abcdef","extras":["sportsPack","cruiseControl"],)"
      R"("discountedModel":"C","engine":{"capacity":2000,"numCylinders":4,"maxRpm":9000,)"
      R"("manufacturerCode":"123","fuel":"Petrol","efficiency":35,"boosterEnabled":"T",)"
      R"("booster":{"boostType":"NITROUS","horsePower":200}},"fuelFigures":[{"speed":30,"mpg":35.9,)"
      R"("usageDescription":"Urban Cycle"},{"speed":55,"mpg":49,"usageDescription":"Combined Cycle"}],)"
      R"("performanceFigures":[{"octaneRating":95,"acceleration":[{"mph":30,"seconds":4},)"
      R"({"mph":60,"seconds":7.5}]}],"manufacturer":"Honda","model":"Civic VTi","activationCode":"abcdef"}})");
}

TEST_CASE("car: dispatch by template id") {
  const wirekit::ArrayBuffer storage = expectedCar().buffer();
  const auto message = baseline::decode(wirekit::DataView(storage));
  REQUIRE(std::holds_alternative<baseline::Car::Decoder>(message));
  CHECK(std::get<baseline::Car::Decoder>(message).serialNumber() == 1234);
}

TEST_CASE("car: every truncated length is a DecodeError") {
  const wirekit::ArrayBuffer storage = expectedCar().buffer();
  for (std::size_t n = 0; n < storage.byteLength(); ++n) {
    // A buffer of exactly n bytes, so that the sanitizers see any read past it.
    wirekit::ArrayBuffer cut = storage.slice(0, static_cast<std::ptrdiff_t>(n));
    INFO("length " << n);
    CHECK_THROWS_AS(baseline::Car::decode(wirekit::DataView(cut)), wirekit::DecodeError);
    CHECK_THROWS_AS(baseline::decode(wirekit::DataView(cut)), wirekit::DecodeError);
  }
}

TEST_CASE("car: hostile lengths, counts and block lengths name the field and byte") {
  const Bytes good = expectedCar();
  // Offsets by hand: header 8 + block 49 = 57; fuelFigures dimension 57..61;
  // entry 0: block 61..67, length at 67, text 71..82; entry 1: block 82..88, length at 88.
  SECTION("a length past the end") {
    wirekit::ArrayBuffer storage = good.buffer();
    wirekit::DataView(storage).setUint32(88, 4000000, true);
    CHECK_THROWS_WITH(baseline::Car::decode(wirekit::DataView(storage)),
                      fmt::format("Car.fuelFigures[1].usageDescription: length 4000000 at byte 88 "
                                  "runs past the end ({} bytes)",
                                  good.size()));
  }
  SECTION("a block length below what the version needs") {
    wirekit::ArrayBuffer storage = good.buffer();
    wirekit::DataView(storage).setUint16(0, 10, true);
    CHECK_THROWS_WITH(
        baseline::Car::decode(wirekit::DataView(storage)),
        "Car: block length 10 at byte 0 is shorter than the 49 bytes that version 0 needs");
  }
  SECTION("an entry block length below what the version needs") {
    wirekit::ArrayBuffer storage = good.buffer();
    wirekit::DataView(storage).setUint16(57, 5, true);
    CHECK_THROWS_WITH(
        baseline::Car::decode(wirekit::DataView(storage)),
        "Car.fuelFigures: entry block length 5 at byte 57 is shorter than the 6 bytes "
        "that version 0 needs");
  }
  SECTION("a count past the end") {
    wirekit::ArrayBuffer storage = good.buffer();
    wirekit::DataView(storage).setUint16(59, 65535, true);
    CHECK_THROWS_AS(baseline::Car::decode(wirekit::DataView(storage)), wirekit::DecodeError);
  }
  SECTION("another schema or template") {
    wirekit::ArrayBuffer storage = good.buffer();
    wirekit::DataView(storage).setUint16(4, 7, true);
    CHECK_THROWS_WITH(baseline::decode(wirekit::DataView(storage)),
                      "baseline: schema id 7 at byte 4 is not 1");
    wirekit::DataView(storage).setUint16(4, 1, true);
    wirekit::DataView(storage).setUint16(2, 9, true);
    CHECK_THROWS_WITH(baseline::decode(wirekit::DataView(storage)),
                      "baseline: unknown template id 9 at byte 2");
    CHECK_THROWS_WITH(baseline::Car::decode(wirekit::DataView(storage)),
                      "Car: template id 9 at byte 2 is not 1");
  }
  SECTION("a longer block (a newer sender) is skipped") {
    Bytes longer;
    longer.u16(53).u16(1).u16(1).u16(0);
    const auto& bytes = good.bytes();
    for (std::size_t i = 8; i < 57; ++i)
      longer.u8(std::to_integer<unsigned>(bytes[i]));
    longer.u32(0xDEADBEEF);
    for (std::size_t i = 57; i < bytes.size(); ++i)
      longer.u8(std::to_integer<unsigned>(bytes[i]));
    const wirekit::ArrayBuffer storage = longer.buffer();
    const auto car = baseline::Car::decode(wirekit::DataView(storage));
    CHECK(car.actingBlockLength() == 53);
    CHECK(car.manufacturer() == "Honda");
    CHECK(car.fuelFigures().begin()->usageDescription() == "Urban Cycle");
    CHECK(car.encodedLength() == storage.byteLength());
  }
}

TEST_CASE("car: encoder errors") {
  wirekit::ArrayBuffer storage(512);
  SECTION("no room for header and block") {
    wirekit::ArrayBuffer small(56);
    CHECK_THROWS_WITH(baseline::Car::encode(wirekit::DataView(small)),
                      "Car: header and block need 57 bytes, the view has 56");
  }
  SECTION("parts out of order") {
    auto car = baseline::Car::encode(wirekit::DataView(storage));
    car.manufacturer("Honda");
    CHECK_THROWS_AS(car.fuelFigures(1), wirekit::EncodeError);
    CHECK_THROWS_AS(car.manufacturer("again"), wirekit::EncodeError);
  }
  SECTION("more next() calls than the count") {
    auto car = baseline::Car::encode(wirekit::DataView(storage));
    auto fuel = car.fuelFigures(1);
    (void)fuel.next();
    CHECK_THROWS_WITH(fuel.next(), "Car.fuelFigures: next() called more than the count (1)");
  }
  SECTION("fewer next() calls than the count") {
    auto car = baseline::Car::encode(wirekit::DataView(storage));
    auto fuel = car.fuelFigures(2);
    (void)fuel.next();
    CHECK_THROWS_WITH(
        car.manufacturer("Honda"),
        "Car.fuelFigures: 1 of 2 entries written (next() must be called once per entry)");
  }
  SECTION("a value too long for char[N]") {
    auto car = baseline::Car::encode(wirekit::DataView(storage));
    CHECK_THROWS_WITH(car.vehicleCode("abcdefg"),
                      "Car.vehicleCode: 7 elements do not fit in char[6] (room for 6)");
  }
  SECTION("too many array elements") {
    auto car = baseline::Car::encode(wirekit::DataView(storage));
    CHECK_THROWS_AS(car.someNumbers({1, 2, 3, 4, 5, 6}), wirekit::EncodeError);
    CHECK_THROWS_AS(car.someNumbers(5, 1), wirekit::EncodeError);
  }
  SECTION("out of room for a string: nothing written past the view") {
    wirekit::ArrayBuffer tight(64);
    auto car = baseline::Car::encode(wirekit::DataView(tight, 0, 60));
    CHECK_THROWS_AS(car.manufacturer("Honda"), wirekit::EncodeError);  // 57 + 12 + 4 + 5 > 60
    for (std::size_t i = 60; i < 64; ++i)
      CHECK(tight.data()[i] == std::byte{0});
  }
  SECTION("room for a group of blocks is checked at the group, for all its entries") {
    // header 8 + block 49 + fuelFigures 4 + performanceFigures 4 + 1, then the
    // acceleration dimension (4) ends at byte 70: 5 entries of 6 bytes need 100.
    wirekit::ArrayBuffer tight(100);
    auto car = baseline::Car::encode(wirekit::DataView(tight, 0, 96));
    car.fuelFigures(0);
    auto entry = car.performanceFigures(1).next();
    CHECK_THROWS_WITH(entry.acceleration(5),
                      "Car.performanceFigures[0].acceleration: 5 entries of 6 bytes at byte 70 do "
                      "not fit in the view (96 bytes)");
    for (std::size_t i = 96; i < 100; ++i)
      CHECK(tight.data()[i] == std::byte{0});
    auto acceleration = entry.acceleration(1);  // the error changed nothing
    acceleration.next().mph(30);
    const std::size_t n = car.encodedLength();
    CHECK(n == 8 + 49 + 4 + 4 + 1 + 4 + 6 + 12);  // and three empty strings
  }
  SECTION("a group of blocks with fewer next() calls than its count is an error") {
    auto car = baseline::Car::encode(wirekit::DataView(storage));
    car.fuelFigures(0);
    auto acceleration = car.performanceFigures(1).next().acceleration(3);
    acceleration.next().mph(30);
    acceleration.next().mph(60);
    const std::string message =
        "Car.performanceFigures[0].acceleration: 2 of 3 entries written (next() must be called "
        "once per entry)";
    CHECK_THROWS_WITH(car.encodedLength(), message);
    CHECK_THROWS_WITH(car.manufacturer("Honda"), message);
    CHECK_THROWS_WITH(car.encodedLength(), message);  // the errors changed nothing
    acceleration.next().mph(90);
    const std::size_t n = car.encodedLength();
    const auto decoded = baseline::Car::decode(wirekit::DataView(storage, 0, n));
    const auto written = decoded.performanceFigures().begin()->acceleration();
    REQUIRE(written.size() == 3);
    CHECK(written[2].mph() == 90);
    CHECK_THROWS_WITH(acceleration.next(),
                      "Car.performanceFigures.acceleration: next() called more than the count (3)");
  }
  SECTION("an entry encoder that is no longer current") {
    auto car = baseline::Car::encode(wirekit::DataView(storage));
    auto fuel = car.fuelFigures(2);
    auto first = fuel.next();
    (void)fuel.next();
    CHECK_THROWS_AS(first.usageDescription("late"), wirekit::EncodeError);
  }
  SECTION("a group is closed once its last entry is complete; later calls through it throw") {
    auto car = baseline::Car::encode(wirekit::DataView(storage));
    car.fuelFigures(0);
    auto performance = car.performanceFigures(1);
    auto entry = performance.next();
    auto acceleration = entry.acceleration(1);
    acceleration.next().mph(30);  // completes acceleration, then performanceFigures
    CHECK_THROWS_WITH(acceleration.next(),
                      "Car.performanceFigures.acceleration: next() called more than the count (1)");
    CHECK_THROWS_WITH(performance.next(),
                      "Car.performanceFigures: next() called more than the count (1)");
    CHECK_THROWS_AS(entry.acceleration(1), wirekit::EncodeError);
    car.manufacturer("Honda");  // the errors changed nothing
    const std::size_t n = car.encodedLength();
    CHECK(n == 8 + 49 + 4 + 4 + 1 + 4 + 6 + 4 + 5 + 4 + 4);
    const auto decoded = baseline::Car::decode(wirekit::DataView(storage, 0, n));
    REQUIRE(decoded.performanceFigures().size() == 1);
    CHECK(decoded.performanceFigures().begin()->acceleration().begin()->mph() == 30);
    CHECK(decoded.manufacturer() == "Honda");
  }
  SECTION("the last entry's last part closes the group; writing it again throws") {
    auto car = baseline::Car::encode(wirekit::DataView(storage));
    auto fuel = car.fuelFigures(1);
    auto entry = fuel.next();
    entry.usageDescription("Urban");
    CHECK_THROWS_AS(entry.usageDescription("again"), wirekit::EncodeError);
    CHECK_THROWS_WITH(fuel.next(), "Car.fuelFigures: next() called more than the count (1)");
    const std::size_t n = car.encodedLength();
    const auto decoded = baseline::Car::decode(wirekit::DataView(storage, 0, n));
    CHECK(decoded.fuelFigures().begin()->usageDescription() == "Urban");
  }
  SECTION("entries left incomplete are completed when the next one begins") {
    auto car = baseline::Car::encode(wirekit::DataView(storage));
    auto performance = car.performanceFigures(2);
    performance.next().octaneRating(95);  // no acceleration: written empty
    performance.next().octaneRating(99).acceleration(1).next().mph(60);
    const std::size_t n = car.encodedLength();
    const auto decoded = baseline::Car::decode(wirekit::DataView(storage, 0, n));
    REQUIRE(decoded.performanceFigures().size() == 2);
    auto it = decoded.performanceFigures().begin();
    CHECK(it->acceleration().empty());
    ++it;
    CHECK(it->octaneRating() == 99);
    CHECK(it->acceleration().begin()->mph() == 60);
  }
  SECTION("a copy of a group encoder goes on from where the group is") {
    auto car = baseline::Car::encode(wirekit::DataView(storage));
    auto fuel = car.fuelFigures(3);
    const auto writeEntry = [](decltype(fuel) group, std::uint16_t speed) {
      group.next().speed(speed).usageDescription("by copy");
    };
    writeEntry(fuel, 30);  // each call begins the entry after the last one begun
    writeEntry(fuel, 55);
    fuel.next().speed(75);  // the original, too; its entry's string is left empty
    CHECK_THROWS_WITH(fuel.next(), "Car.fuelFigures: next() called more than the count (3)");
    const std::size_t n = car.encodedLength();
    const auto decoded = baseline::Car::decode(wirekit::DataView(storage, 0, n));
    REQUIRE(decoded.fuelFigures().size() == 3);
    auto it = decoded.fuelFigures().begin();
    CHECK(it->speed() == 30);
    CHECK((++it)->speed() == 55);
    CHECK(it->usageDescription() == "by copy");
    CHECK((++it)->speed() == 75);
    CHECK(it->usageDescription().empty());
  }
  SECTION("a stale copy of a group encoder that fails leaves the state where it is") {
    auto car = baseline::Car::encode(wirekit::DataView(storage));
    auto fuel = car.fuelFigures(1);
    auto copy = fuel;
    auto entry = fuel.next().speed(30);
    // The copy completes the entry (its string, written empty), then finds the
    // count reached.
    CHECK_THROWS_WITH(copy.next(), "Car.fuelFigures: next() called more than the count (1)");
    CHECK_THROWS_WITH(entry.usageDescription("late"),
                      "Car.fuelFigures[0].usageDescription: written out of order (after "
                      "usageDescription); groups and string/bytes fields are written in schema "
                      "order, once");
    car.manufacturer("Honda");
    const std::size_t n = car.encodedLength();
    const auto decoded = baseline::Car::decode(wirekit::DataView(storage, 0, n));
    REQUIRE(decoded.fuelFigures().size() == 1);
    CHECK(decoded.fuelFigures().begin()->speed() == 30);
    CHECK(decoded.fuelFigures().begin()->usageDescription().empty());
    CHECK(decoded.manufacturer() == "Honda");
  }
  SECTION("parts not written are written empty") {
    auto car = baseline::Car::encode(wirekit::DataView(storage));
    car.serialNumber(7);
    const std::size_t n = car.encodedLength();
    // header 8 + block 49 + two empty groups (4 each) + three empty strings (4 each)
    CHECK(n == 8 + 49 + 8 + 12);
    const auto decoded = baseline::Car::decode(wirekit::DataView(storage, 0, n));
    CHECK(decoded.fuelFigures().empty());
    CHECK(decoded.model().empty());
  }
}

TEST_CASE("car: fields left unset read as zero in a reused buffer, in the block and every entry") {
  // The same fields set into a buffer full of old bytes and into a fresh one
  // give the same message: nothing of what the buffer held leaks into a field
  // the caller did not set, in the message's block or in any group entry.
  const auto encodeSome = [](wirekit::ArrayBuffer& storage) {
    auto car = baseline::Car::encode(wirekit::DataView(storage));
    car.serialNumber(7);
    auto fuel = car.fuelFigures(2);
    fuel.next().speed(30);
    fuel.next().usageDescription("mpg unset");
    auto acceleration = car.performanceFigures(1).next().acceleration(2);
    acceleration.next().mph(30);
    acceleration.next().seconds(4.5f);
    car.model("Civic");
    return car.encodedLength();
  };
  wirekit::ArrayBuffer reused(512);
  std::fill_n(reused.data(), reused.byteLength(), std::byte{0xAA});
  wirekit::ArrayBuffer fresh(512);
  const std::size_t n = encodeSome(reused);
  REQUIRE(encodeSome(fresh) == n);
  CHECK(wktest::written(reused, n) == wktest::written(fresh, n));
  const auto car = baseline::Car::decode(wirekit::DataView(reused, 0, n));
  CHECK(car.modelYear() == 0);
  CHECK(car.engine().capacity() == 0);
  CHECK(car.vehicleCode().empty());
  auto figure = car.fuelFigures().begin();
  CHECK(figure->mpg() == 0.0f);
  CHECK(figure->usageDescription().empty());
  CHECK((++figure)->speed() == 0);
  const auto steps = car.performanceFigures().begin()->acceleration();
  REQUIRE(steps.size() == 2);
  CHECK(steps[0].seconds() == 0.0f);
  CHECK(steps[1].mph() == 0);
}

namespace {

// A Car with `fuel` fuel figures and `performance` performance figures, each
// string and acceleration group of its own length, so that an entry located at
// the wrong place reads wrong.
// usageAt[i]: the byte offset of fuel figure i's length prefix.
Bytes manyEntriesCar(std::size_t fuel, std::size_t performance, std::vector<std::size_t>& usageAt) {
  Bytes b;
  const Bytes car = expectedCar();
  for (std::size_t i = 0; i < 57; ++i)
    b.u8(std::to_integer<unsigned>(car.bytes()[i]));  // header and block
  b.u16(6).u16(fuel);
  for (std::size_t i = 0; i < fuel; ++i) {
    b.u16(i).f32(static_cast<float>(i) + 0.5f);
    usageAt.push_back(b.size());
    const std::string text(i % 4, static_cast<char>('a' + i % 26));
    b.u32(text.size()).text(text);
  }
  b.u16(1).u16(performance);
  for (std::size_t i = 0; i < performance; ++i) {
    b.u8(90 + i).u16(6).u16(i % 3);
    for (std::size_t j = 0; j < i % 3; ++j)
      b.u16(10 * i + j).f32(static_cast<float>(j));
  }
  b.u32(5).text("Honda").u32(9).text("Civic VTi").u32(6).text("abcdef");
  return b;
}

// Reads every entry of both groups as the benchmark does, and checks them.
void checkManyEntries(const baseline::Car::Decoder& car, std::size_t fuel,
                      std::size_t performance) {
  std::size_t i = 0;
  for (const auto& figure : car.fuelFigures()) {
    INFO("fuel figure " << i);
    CHECK(figure.speed() == i);
    CHECK(figure.mpg() == static_cast<float>(i) + 0.5f);
    CHECK(figure.usageDescription() == std::string(i % 4, static_cast<char>('a' + i % 26)));
    ++i;
  }
  CHECK(i == fuel);
  i = 0;
  for (const auto& figure : car.performanceFigures()) {
    INFO("performance figure " << i);
    CHECK(figure.octaneRating() == 90 + i);
    std::size_t j = 0;
    for (const auto& step : figure.acceleration()) {
      CHECK(step.mph() == 10 * i + j);
      ++j;
    }
    CHECK(j == i % 3);
    ++i;
  }
  CHECK(i == performance);
  CHECK(car.manufacturer() == "Honda");
  CHECK(car.model() == "Civic VTi");
  CHECK(car.activationCode() == "abcdef");
}

}  // namespace

TEST_CASE("car: many entries of every length are checked and read in place") {
  for (const std::size_t count :
       {std::size_t{0}, std::size_t{1}, std::size_t{3}, std::size_t{20}}) {
    INFO(count << " entries");
    std::vector<std::size_t> usageAt;
    const Bytes bytes = manyEntriesCar(count, count + 1, usageAt);
    const wirekit::ArrayBuffer storage = bytes.buffer();
    const auto car = baseline::Car::decode(wirekit::DataView(storage));
    CHECK(car.encodedLength() == storage.byteLength());
    checkManyEntries(car, count, count + 1);
    // A copy reads the same.
    const auto copy = car;
    checkManyEntries(copy, count, count + 1);
    // The ranges of a temporary Decoder refer to the bytes only (ASan would see it).
    std::size_t seen = 0;
    for (const auto& figure : baseline::Car::decode(wirekit::DataView(storage)).fuelFigures()) {
      CHECK(figure.speed() == seen);
      ++seen;
    }
    CHECK(seen == count);
    const auto figures = car.fuelFigures();
    CHECK(static_cast<std::size_t>(std::distance(figures.begin(), figures.end())) == count);

    // Every length past the end names its entry and byte.
    for (std::size_t i = 0; i < count; ++i) {
      wirekit::ArrayBuffer hostile = bytes.buffer();
      wirekit::DataView(hostile).setUint32(usageAt[i], 1000000, true);
      CHECK_THROWS_WITH(baseline::Car::decode(wirekit::DataView(hostile)),
                        fmt::format("Car.fuelFigures[{}].usageDescription: length 1000000 at byte "
                                    "{} runs past the end ({} bytes)",
                                    i, usageAt[i], bytes.size()));
    }
    // Every truncation fails, in a buffer of exactly that size.
    for (std::size_t cut = 0; cut < bytes.size(); ++cut) {
      wirekit::ArrayBuffer shorter = storage.slice(0, static_cast<std::ptrdiff_t>(cut));
      CHECK_THROWS_AS(baseline::Car::decode(wirekit::DataView(shorter)), wirekit::DecodeError);
    }
  }
}
