// SPDX-License-Identifier: Apache-2.0
// formatJsNumber: ECMAScript's Number::toString (ECMA-262 §6.1.6.1.20). The double
// cases were printed by Node.js 20 (`String(x)`) and pasted here; the float cases
// apply the same algorithm to the float's own shortest digits, as js_number.hpp
// specifies (what the codecs' JSON form prints for a float32 field).

#include <limits>
#include <string>

#include <catch2/catch.hpp>

#include "wirekit/bytes/js_number.hpp"

using namespace wirekit;

TEST_CASE("doubles print as JavaScript's String(number)") {
  // node: String(x) for each x.
  CHECK(jsNumberToString(1e21) == "1e+21");
  CHECK(jsNumberToString(1e-7) == "1e-7");
  CHECK(jsNumberToString(123e-20) == "1.23e-18");
  CHECK(jsNumberToString(0.1) == "0.1");
  CHECK(jsNumberToString(1.0 / 3) == "0.3333333333333333");
  CHECK(jsNumberToString(0.1 + 0.2) == "0.30000000000000004");
  CHECK(jsNumberToString(100.0) == "100");
  CHECK(jsNumberToString(-42.5) == "-42.5");
  CHECK(jsNumberToString(12345.6789) == "12345.6789");
  CHECK(jsNumberToString(4.35) == "4.35");
  CHECK(jsNumberToString(9007199254740992.0) == "9007199254740992");
}

TEST_CASE("the decimal/exponent boundaries: 1e21 and 1e-7") {
  // node: String(x) for each x.
  CHECK(jsNumberToString(1e20) == "100000000000000000000");
  CHECK(jsNumberToString(123456789012345680000.0) == "123456789012345680000");
  CHECK(jsNumberToString(9.999999999999999e20) == "999999999999999900000");
  CHECK(jsNumberToString(1.2e21) == "1.2e+21");
  CHECK(jsNumberToString(1e-6) == "0.000001");
  CHECK(jsNumberToString(0.0000015) == "0.0000015");
  CHECK(jsNumberToString(1.5e-7) == "1.5e-7");
  CHECK(jsNumberToString(-1e-7) == "-1e-7");
}

TEST_CASE("the extremes and the special values") {
  // node: String(x) for each x; String(-0) is "0" (console.log shows -0, toString not).
  CHECK(jsNumberToString(5e-324) == "5e-324");
  CHECK(jsNumberToString(1.5e-323) == "1.5e-323");
  CHECK(jsNumberToString(std::numeric_limits<double>::max()) == "1.7976931348623157e+308");
  CHECK(jsNumberToString(0.0) == "0");
  CHECK(jsNumberToString(-0.0) == "0");
  CHECK(jsNumberToString(std::numeric_limits<double>::quiet_NaN()) == "NaN");
  CHECK(jsNumberToString(-std::numeric_limits<double>::quiet_NaN()) == "NaN");
  CHECK(jsNumberToString(std::numeric_limits<double>::infinity()) == "Infinity");
  CHECK(jsNumberToString(-std::numeric_limits<double>::infinity()) == "-Infinity");
}

TEST_CASE("floats print their own shortest digits") {
  // By the algorithm: 35.9f is 35.900001525878906 as a double, but "35.9" is the
  // shortest text that reads back to the same float.
  CHECK(jsNumberToString(35.9f) == "35.9");
  CHECK(jsNumberToString(0.1f) == "0.1");
  CHECK(jsNumberToString(1.1f) == "1.1");
  CHECK(jsNumberToString(1e-7f) == "1e-7");
  CHECK(jsNumberToString(16777217.0f) == "16777216");
  CHECK(jsNumberToString(std::numeric_limits<float>::max()) == "3.4028235e+38");
  CHECK(jsNumberToString(std::numeric_limits<float>::denorm_min()) == "1e-45");
  CHECK(jsNumberToString(-2.5f) == "-2.5");
  CHECK(jsNumberToString(1e21f) == "1e+21");
  CHECK(jsNumberToString(-0.0f) == "0");
  CHECK(jsNumberToString(std::numeric_limits<float>::quiet_NaN()) == "NaN");
  CHECK(jsNumberToString(-std::numeric_limits<float>::infinity()) == "-Infinity");
}

TEST_CASE("formatJsNumber appends to what the buffer holds") {
  fmt::memory_buffer out;
  out.append(std::string_view("x="));
  formatJsNumber(out, 0.5);
  out.append(std::string_view(", y="));
  formatJsNumber(out, 2.5f);
  CHECK(fmt::to_string(out) == "x=0.5, y=2.5");
}

TEST_CASE("every power of ten prints in the notation JavaScript chooses") {
  // By the algorithm: decimal for 1e-6 ≤ x < 1e21, exponent outside.
  for (int exponent = -10; exponent <= 25; ++exponent) {
    const double value = std::stod("1e" + std::to_string(exponent));
    std::string expected;
    if (exponent >= 21) {
      expected = "1e+" + std::to_string(exponent);
    } else if (exponent >= 0) {
      expected = "1" + std::string(static_cast<std::size_t>(exponent), '0');
    } else if (exponent >= -6) {
      expected = "0." + std::string(static_cast<std::size_t>(-exponent - 1), '0') + "1";
    } else {
      expected = "1e" + std::to_string(exponent);
    }
    INFO("10^" << exponent);
    CHECK(jsNumberToString(value) == expected);
  }
}
