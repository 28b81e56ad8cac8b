// SPDX-License-Identifier: Apache-2.0
#pragma once
// Small pieces of generated fixed-field accessors: char[N] text, whole-array
// setters, byte copies. Each works on a block that encode()/decode() checked.

#include <array>
#include <cstddef>
#include <cstring>
#include <span>
#include <string>
#include <string_view>

#include "wirekit/bytes/byte_order.hpp"
#include "wirekit/codec/array_view.hpp"
#include "wirekit/codec/encoder_state.hpp"
#include "wirekit/codec/json_writer.hpp"
#include "wirekit/codec/unset_fields.hpp"

namespace wirekit::codec {

// char[N] text with its trailing NULs removed.
[[nodiscard]] inline std::string_view textView(const std::byte* p, std::size_t n) noexcept {
  const char* text = reinterpret_cast<const char*>(p);
  while (n > 0 && text[n - 1] == '\0')
    --n;
  return {text, n};
}

// Writes the first values.size() elements of T[n] and zeroes the rest;
// EncodeError for more than n values.
template <class T, std::size_t n, ByteOrder order>
inline void storeArray(std::byte* p, std::span<const T> values, std::string_view path) {
  constexpr std::size_t size = sizeof(WireType<T>);
  if (values.size() > n) [[unlikely]] {
    throwTooLong(path, values.size(), n, "the array of " + std::to_string(n));
  }
  for (std::size_t i = 0; i < values.size(); ++i)
    storeValue<T, order>(p + i * size, values[i]);
  std::memset(p + values.size() * size, 0, (n - values.size()) * size);
}

// Element `index` of T[n]; EncodeError for an index past the end.
template <class T, std::size_t n, ByteOrder order>
inline void storeElement(std::byte* p, std::size_t index, T value, std::string_view path) {
  if (index >= n) [[unlikely]] {
    throwEncodeError(path, "index " + std::to_string(index) + " is past the end of the array of " +
                               std::to_string(n));
  }
  storeValue<T, order>(p + index * sizeof(WireType<T>), value);
}

namespace detail {
// Copies the `size` bytes of two loads that may overlap: n in [size, 2 * size].
template <std::size_t size>
inline void copyOverlapping(std::byte* to, const std::byte* from, std::size_t n) noexcept {
  std::array<std::byte, size> head;
  std::array<std::byte, size> tail;
  std::memcpy(head.data(), from, size);
  std::memcpy(tail.data(), from + n - size, size);
  std::memcpy(to, head.data(), size);
  std::memcpy(to + n - size, tail.data(), size);
}
}  // namespace detail

// The bytes of a string/bytes field. Up to 16 bytes inline, as two loads and
// two stores that may overlap: a call to memcpy makes the compiler save what
// is live across it (the encoder's position and order state), which for a
// short string costs more than the copy. `from` may be null only for n == 0
// (a string_view's data()).
inline void copyBytes(std::byte* to, const void* from, std::size_t n) noexcept {
  const auto* source = static_cast<const std::byte*>(from);
  if (n > 16) {
    std::memcpy(to, source, n);
  } else if (n >= 8) {
    detail::copyOverlapping<8>(to, source, n);
  } else if (n >= 4) {
    detail::copyOverlapping<4>(to, source, n);
  } else if (n != 0) {
    const std::byte first = source[0];
    const std::byte middle = source[n / 2];
    const std::byte last = source[n - 1];
    to[0] = first;
    to[n / 2] = middle;
    to[n - 1] = last;
  }
}

// Writes text into char[n], NUL-padded; EncodeError if it is longer than n.
// Zeroes the field, then copies the text over it (inline for short ones, see
// copyBytes), so a short field costs no call; `value` must not overlap the
// field, as for memcpy.
template <std::size_t n>
inline void storeText(std::byte* p, std::string_view value, std::string_view path) {
  if (value.size() > n) [[unlikely]] {
    throwTextTooLong(path, value.size(), n);  // out of line, so that this inlines
  }
  zeroBlock<n>(p);
  copyBytes(p, value.data(), value.size());
}

// A single `char`: a one-character string, or "" for NUL.
inline void writeChar(JsonWriter& writer, char c) {
  writer.latin1(c == '\0' ? std::string_view() : std::string_view(&c, 1));
}

}  // namespace wirekit::codec
