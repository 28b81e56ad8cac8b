// SPDX-License-Identifier: Apache-2.0
#pragma once
// JavaScript's conversions between typed-array element types (ToInt8 … ToUint32,
// ToUint8Clamp, Number → float32), defined for every input, where the plain C++
// casts from floating point are undefined for NaN and out-of-range values.

#include <cmath>
#include <concepts>
#include <cstdint>
#include <limits>
#include <type_traits>

namespace wirekit::detail {

// ToInt8/ToUint8/…: truncate toward zero, NaN and infinities to 0, then wrap modulo 2^bits.
template <std::integral To, std::floating_point From>
To wrapToInteger(From value) noexcept {
  if (!std::isfinite(value)) return 0;
  constexpr long double modulus =
      static_cast<long double>(std::numeric_limits<std::make_unsigned_t<To>>::max()) + 1.0L;
  long double wrapped = std::fmod(std::trunc(static_cast<long double>(value)), modulus);
  if (wrapped < 0) wrapped += modulus;
  // wrapped is now an integer in [0, 2^bits), which the unsigned type holds exactly.
  return static_cast<To>(static_cast<std::make_unsigned_t<To>>(wrapped));
}

// ToUint8Clamp: saturate to [0, 255], rounding halves to even.
template <class From>
std::uint8_t clampToUint8(From value) noexcept {
  if constexpr (std::is_floating_point_v<From>) {
    if (std::isnan(value) || value <= 0) return 0;
    if (value >= 255) return 255;
    return static_cast<std::uint8_t>(std::nearbyint(value));
  } else {
    if (value <= 0) return 0;
    if (value >= 255) return 255;
    return static_cast<std::uint8_t>(value);
  }
}

// Number → float32, rounding to nearest; values beyond float's range become infinity
// as IEEE 754 rounds them, rather than the undefined behaviour of a plain cast.
inline float roundToFloat(double value) noexcept {
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

// Converts a number to an element type as assigning it to a typed array does.
template <class To, bool clamped, class From>
To convertElement(From value) noexcept {
  if constexpr (clamped) {
    return clampToUint8(value);
  } else if constexpr (std::is_same_v<To, From>) {
    return value;
  } else if constexpr (std::is_floating_point_v<To>) {
    if constexpr (std::is_same_v<To, float> && std::is_floating_point_v<From>) {
      return roundToFloat(static_cast<double>(value));
    } else {
      return static_cast<To>(value);
    }
  } else if constexpr (std::is_floating_point_v<From>) {
    return wrapToInteger<To>(value);
  } else {
    return static_cast<To>(value);  // integral to integral wraps modulo 2^bits (C++20)
  }
}

}  // namespace wirekit::detail
