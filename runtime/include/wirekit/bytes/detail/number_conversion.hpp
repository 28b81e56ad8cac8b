// SPDX-License-Identifier: Apache-2.0
#pragma once
// JavaScript's conversions between typed-array element types (ToInt8 … ToUint32,
// ToUint8Clamp, Number → float32), defined for every input, where the plain C++
// casts from floating point are undefined for NaN and out-of-range values.

#include <concepts>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "wirekit/export.hpp"

namespace wirekit::detail {

// The steps that need <cmath> are compiled once in the runtime
// (typed_array.cpp): this header comes with every Buffer, and <cmath> would
// cost each translation unit that includes one about 10 MB of compiler memory.

// value truncated toward zero, modulo `modulus`, in [0, modulus); NaN and
// infinities give 0.
[[nodiscard]] WIREKIT_EXPORT long double wrapModulo(long double value,
                                                    long double modulus) noexcept;
// value, in (0, 255), rounded to the nearest integer, halves to even.
[[nodiscard]] WIREKIT_EXPORT std::uint8_t roundToUint8(long double value) noexcept;
// Number → float32, rounding to nearest; values beyond float's range become infinity
// as IEEE 754 rounds them, rather than the undefined behaviour of a plain cast.
[[nodiscard]] WIREKIT_EXPORT float roundToFloat(double value) noexcept;

// NaN is the one value that is not equal to itself (std::isnan without <cmath>).
template <std::floating_point F>
[[nodiscard]] constexpr bool isNaN(F value) noexcept {
  return value != value;  // NOLINT(misc-redundant-expression): the test for NaN
}

// ToInt8/ToUint8/…: truncate toward zero, NaN and infinities to 0, then wrap modulo 2^bits.
template <std::integral To, std::floating_point From>
To wrapToInteger(From value) noexcept {
  constexpr long double modulus =
      static_cast<long double>(std::numeric_limits<std::make_unsigned_t<To>>::max()) + 1.0L;
  // An integer in [0, 2^bits), which the unsigned type holds exactly.
  const long double wrapped = wrapModulo(static_cast<long double>(value), modulus);
  return static_cast<To>(static_cast<std::make_unsigned_t<To>>(wrapped));
}

// ToUint8Clamp: saturate to [0, 255], rounding halves to even.
template <class From>
std::uint8_t clampToUint8(From value) noexcept {
  if constexpr (std::is_floating_point_v<From>) {
    if (isNaN(value) || value <= 0) return 0;
    if (value >= 255) return 255;
    return roundToUint8(static_cast<long double>(value));
  } else {
    if (value <= 0) return 0;
    if (value >= 255) return 255;
    return static_cast<std::uint8_t>(value);
  }
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
