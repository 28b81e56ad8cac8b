// SPDX-License-Identifier: Apache-2.0
#pragma once
// Unchecked loads and stores of numbers in either byte order. These are the
// primitives under DataView, Buffer and the generated codecs: each compiles to
// one load or store plus, where the order differs from the machine's, a byte swap.
// Callers check bounds first (once per block in generated code).

#include <bit>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

namespace wirekit {

enum class ByteOrder : std::uint8_t { little, big };

// The order of the machine wirekit was built for.
inline constexpr ByteOrder nativeByteOrder =
    std::endian::native == std::endian::little ? ByteOrder::little : ByteOrder::big;

static_assert(std::endian::native == std::endian::little || std::endian::native == std::endian::big,
              "wirekit needs a little- or big-endian machine");

// A number that can sit on the wire: an integer, float or double (and bool/char,
// which are one byte).
template <class T>
concept WireNumber = std::is_arithmetic_v<T> &&
    (sizeof(T) == 1 || sizeof(T) == 2 || sizeof(T) == 4 || sizeof(T) == 8);

namespace detail {

template <std::size_t size>
using UnsignedOfSize = std::conditional_t<
    size == 1, std::uint8_t,
    std::conditional_t<size == 2, std::uint16_t,
                       std::conditional_t<size == 4, std::uint32_t, std::uint64_t>>>;

template <std::unsigned_integral U>
constexpr U byteSwap(U value) noexcept {
  if constexpr (sizeof(U) == 1) {
    return value;
  } else if constexpr (sizeof(U) == 2) {
    return __builtin_bswap16(value);
  } else if constexpr (sizeof(U) == 4) {
    return __builtin_bswap32(value);
  } else {
    return __builtin_bswap64(value);
  }
}

}  // namespace detail

template <WireNumber T, ByteOrder order>
[[nodiscard]] inline T load(const std::byte* source) noexcept {
  using Bits = detail::UnsignedOfSize<sizeof(T)>;
  Bits bits;
  std::memcpy(&bits, source, sizeof(T));
  if constexpr (std::is_same_v<T, bool>) {
    return bits != 0;  // a wire bool may hold any byte; only 0 and 1 are valid C++ bools
  } else {
    if constexpr (order != nativeByteOrder) bits = detail::byteSwap(bits);
    return std::bit_cast<T>(bits);
  }
}

template <WireNumber T, ByteOrder order>
inline void store(std::byte* target, T value) noexcept {
  using Bits = detail::UnsignedOfSize<sizeof(T)>;
  Bits bits = std::bit_cast<Bits>(value);
  if constexpr (order != nativeByteOrder) bits = detail::byteSwap(bits);
  std::memcpy(target, &bits, sizeof(T));
}

template <WireNumber T>
[[nodiscard]] inline T load(const std::byte* source, ByteOrder order) noexcept {
  return order == ByteOrder::little ? load<T, ByteOrder::little>(source)
                                    : load<T, ByteOrder::big>(source);
}

template <WireNumber T>
inline void store(std::byte* target, T value, ByteOrder order) noexcept {
  if (order == ByteOrder::little) {
    store<T, ByteOrder::little>(target, value);
  } else {
    store<T, ByteOrder::big>(target, value);
  }
}

}  // namespace wirekit
