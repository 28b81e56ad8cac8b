#pragma once
// Small pieces of generated fixed-field accessors: char[N] text, whole-array
// setters, byte copies. Each works on a block that encode()/decode() checked.

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <span>
#include <string>
#include <string_view>

#include "wirekit/bytes/byte_order.hpp"
#include "wirekit/codec/array_view.hpp"
#include "wirekit/codec/encoder_state.hpp"
#include "wirekit/codec/json_writer.hpp"

namespace wirekit::codec {

// char[N] text with its trailing NULs removed.
[[nodiscard]] inline std::string_view textView(const std::byte* p, std::size_t n) noexcept {
  const char* text = reinterpret_cast<const char*>(p);
  while (n > 0 && text[n - 1] == '\0')
    --n;
  return {text, n};
}

// Writes text into char[n], NUL-padded; EncodeError if it is longer than n.
inline void storeText(std::byte* p, std::size_t n, std::string_view value, std::string_view path) {
  if (value.size() > n) [[unlikely]] {
    throwTextTooLong(path, value.size(), n);  // out of line, so that this inlines
  }
  if (!value.empty()) std::memcpy(p, value.data(), value.size());
  std::memset(p + value.size(), 0, n - value.size());
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

inline void copyBytes(std::byte* to, const void* from, std::size_t n) noexcept {
  // No `if (n != 0)` around the call, whose branch made GCC spill what is live
  // across it; `from` may be null only for n == 0 (a string_view's data()).
  // Not `n != 0 ? from : to`: GCC branches on that too, to drop the call.
  std::memcpy(to, from != nullptr ? from : to, n);
}

// A single `char`: a one-character string, or "" for NUL.
inline void writeChar(JsonWriter& writer, char c) {
  writer.latin1(c == '\0' ? std::string_view() : std::string_view(&c, 1));
}

}  // namespace wirekit::codec
