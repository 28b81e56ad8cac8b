// SPDX-License-Identifier: Apache-2.0
#include "wirekit/bytes/js_number.hpp"

#include <cmath>
#include <string_view>

namespace wirekit {

namespace {

// A finite non-zero value as digits d1..dk (no leading or trailing zeros) and the
// decimal exponent n such that value = 0.d1..dk × 10^n: the terms in which
// ECMAScript's Number::toString is specified.
struct DecimalDigits {
  std::string digits;
  int pointPosition = 0;
};

DecimalDigits decimalDigits(std::string_view shortest) {
  // shortest is fmt's round-trip text without sign: "123.45", "0.001", "1.5e-07", "1e+21".
  DecimalDigits result;
  int exponent = 0;
  if (auto e = shortest.find('e'); e != std::string_view::npos) {
    std::string_view exponentText = shortest.substr(e + 1);
    const bool negative = exponentText.front() == '-';
    if (exponentText.front() == '-' || exponentText.front() == '+') exponentText.remove_prefix(1);
    for (char c : exponentText)
      exponent = exponent * 10 + (c - '0');
    if (negative) exponent = -exponent;
    shortest = shortest.substr(0, e);
  }
  const auto point = shortest.find('.');
  const std::string_view integerPart = shortest.substr(0, point);
  const std::string_view fractionPart =
      point == std::string_view::npos ? std::string_view{} : shortest.substr(point + 1);
  result.digits.append(integerPart).append(fractionPart);
  result.pointPosition = static_cast<int>(integerPart.size()) + exponent;
  const auto firstNonZero = result.digits.find_first_not_of('0');
  result.digits.erase(0, firstNonZero);
  result.pointPosition -= static_cast<int>(firstNonZero);
  result.digits.erase(result.digits.find_last_not_of('0') + 1);
  return result;
}

}  // namespace

template <std::floating_point F>
void formatJsNumber(fmt::memory_buffer& out, F value) {
  auto append = [&out](std::string_view text) { out.append(text); };
  if (std::isnan(value)) return append("NaN");
  if (value == 0) return append("0");
  if (value < 0) append("-");
  if (std::isinf(value)) return append("Infinity");

  const std::string shortest = fmt::format("{}", std::fabs(value));
  const auto [digits, n] = decimalDigits(shortest);
  const int k = static_cast<int>(digits.size());
  const std::string_view d = digits;
  if (k <= n && n <= 21) {
    append(d);
    out.append(std::string(static_cast<std::size_t>(n - k), '0'));
  } else if (0 < n && n <= 21) {
    append(d.substr(0, static_cast<std::size_t>(n)));
    append(".");
    append(d.substr(static_cast<std::size_t>(n)));
  } else if (-6 < n && n <= 0) {
    append("0.");
    out.append(std::string(static_cast<std::size_t>(-n), '0'));
    append(d);
  } else {
    append(d.substr(0, 1));
    if (k > 1) {
      append(".");
      append(d.substr(1));
    }
    fmt::format_to(std::back_inserter(out), "e{}{}", n - 1 >= 0 ? "+" : "-", std::abs(n - 1));
  }
}

template void formatJsNumber<float>(fmt::memory_buffer&, float);
template void formatJsNumber<double>(fmt::memory_buffer&, double);

}  // namespace wirekit
