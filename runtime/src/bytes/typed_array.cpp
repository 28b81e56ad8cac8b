// SPDX-License-Identifier: Apache-2.0
#include "wirekit/bytes/typed_array.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>

#include <fmt/format.h>

#include "wirekit/bytes/js_number.hpp"

namespace wirekit::detail {

long double wrapModulo(long double value, long double modulus) noexcept {
  if (!std::isfinite(value)) return 0;
  long double wrapped = std::fmod(std::trunc(value), modulus);
  if (wrapped < 0) wrapped += modulus;
  return wrapped;
}

std::uint8_t roundToUint8(long double value) noexcept {
  return static_cast<std::uint8_t>(std::nearbyint(value));
}

float roundToFloat(double value) noexcept {
  constexpr double largest = std::numeric_limits<float>::max();
  // Above largest + half an ulp (2^103) rounding goes to infinity.
  constexpr double overflowThreshold = largest + 0x1p103;
  if (std::isfinite(value) && std::fabs(value) > largest) {
    if (std::fabs(value) >= overflowThreshold) {
      return std::copysign(std::numeric_limits<float>::infinity(),
                           static_cast<float>(value > 0 ? 1 : -1));
    }
    return std::copysign(std::numeric_limits<float>::max(), static_cast<float>(value > 0 ? 1 : -1));
  }
  return static_cast<float>(value);
}

void throwTypedArrayError(std::string_view arrayName, std::string message, bool typeError) {
  const std::string text = fmt::format("{}: {}", arrayName, message);
  if (typeError) throw TypeError(text);
  throw RangeError(text);
}

}  // namespace wirekit::detail

template <class Element, bool clamped>
fmt::format_context::iterator fmt::formatter<wirekit::TypedArray<Element, clamped>>::format(
    const wirekit::TypedArray<Element, clamped>& array, format_context& context) const {
  constexpr std::size_t shownItems = 100;
  fmt::memory_buffer out;
  const std::size_t length = array.length();
  fmt::format_to(std::back_inserter(out), "{}({}) [", array.name, length);
  const std::size_t shown = std::min(length, shownItems);
  for (std::size_t i = 0; i < shown; ++i) {
    if (i > 0) out.append(std::string_view(", "));
    const Element value = array.data()[i];
    if constexpr (std::is_floating_point_v<Element>) {
      if (value == 0 && std::signbit(value)) {
        out.append(std::string_view("-0"));
      } else {
        wirekit::formatJsNumber(out, static_cast<double>(value));
      }
    } else if constexpr (wirekit::detail::isBigIntElement<Element>) {
      fmt::format_to(std::back_inserter(out), "{}n", value);
    } else {
      fmt::format_to(std::back_inserter(out), "{}", +value);
    }
  }
  if (length > shown) {
    const std::size_t more = length - shown;
    fmt::format_to(std::back_inserter(out), ", ... {} more item{}", more, more > 1 ? "s" : "");
  }
  out.push_back(']');
  return std::copy(out.begin(), out.end(), context.out());
}

template struct fmt::formatter<wirekit::Int8Array>;
template struct fmt::formatter<wirekit::Uint8Array>;
template struct fmt::formatter<wirekit::Uint8ClampedArray>;
template struct fmt::formatter<wirekit::Int16Array>;
template struct fmt::formatter<wirekit::Uint16Array>;
template struct fmt::formatter<wirekit::Int32Array>;
template struct fmt::formatter<wirekit::Uint32Array>;
template struct fmt::formatter<wirekit::Float32Array>;
template struct fmt::formatter<wirekit::Float64Array>;
template struct fmt::formatter<wirekit::BigInt64Array>;
template struct fmt::formatter<wirekit::BigUint64Array>;
