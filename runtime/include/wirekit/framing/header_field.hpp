// SPDX-License-Identifier: Apache-2.0
#pragma once
// HeaderField: a constant at a fixed place in every frame header (SOFH's
// encoding type, a magic number), and the loads and stores of the 1-, 2-, 3-, 4-
// and 8-byte unsigned integers that length fields and header fields are, in
// either byte order, without a loop over bytes.

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>

#include "wirekit/bytes/byte_order.hpp"
#include "wirekit/export.hpp"

namespace wirekit {

// A constant field every frame header carries: the encoder writes it, the
// decoder rejects a frame whose field holds another value.
struct HeaderField {
  // From the frame's first byte.
  std::size_t offset = 0;
  // 1, 2, 3, 4 or 8 bytes.
  std::size_t length = 2;
  ByteOrder byteOrder = ByteOrder::big;
  std::uint64_t value = 0;
  // What error messages call it ("encoding type").
  std::string name = "header field";
};

namespace detail {

[[nodiscard]] constexpr bool isFieldLength(std::size_t length) noexcept {
  return length == 1 || length == 2 || length == 3 || length == 4 || length == 8;
}

// The largest value a field of length bytes holds (isFieldLength(length)).
[[nodiscard]] constexpr std::uint64_t fieldMaximum(std::size_t length) noexcept {
  return length >= 8 ? std::numeric_limits<std::uint64_t>::max()
                     : (std::uint64_t{1} << (8 * length)) - 1;
}

// The largest frame length a length field may carry: lengths are signed 64-bit
// numbers once adjusted, so an 8-byte field above this is not a length.
inline constexpr std::uint64_t maxLengthFieldValue =
    static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());

// Reads a field of length bytes (isFieldLength(length)) at source.
[[nodiscard]] inline std::uint64_t loadField(const std::byte* source, std::size_t length,
                                             ByteOrder order) noexcept {
  switch (length) {
    case 1:
      return load<std::uint8_t, ByteOrder::big>(source);
    case 2:
      return load<std::uint16_t>(source, order);
    case 3: {
      // No 24-bit load exists: a 16-bit load and the byte beside it.
      if (order == ByteOrder::big) {
        return (std::uint64_t{load<std::uint16_t, ByteOrder::big>(source)} << 8) |
               load<std::uint8_t, ByteOrder::big>(source + 2);
      }
      return load<std::uint16_t, ByteOrder::little>(source) |
             (std::uint64_t{load<std::uint8_t, ByteOrder::big>(source + 2)} << 16);
    }
    case 4:
      return load<std::uint32_t>(source, order);
    default:
      return load<std::uint64_t>(source, order);
  }
}

// Writes value (at most fieldMaximum(length)) as a field of length bytes.
inline void storeField(std::byte* target, std::size_t length, ByteOrder order,
                       std::uint64_t value) noexcept {
  switch (length) {
    case 1:
      store<std::uint8_t, ByteOrder::big>(target, static_cast<std::uint8_t>(value));
      break;
    case 2:
      store<std::uint16_t>(target, static_cast<std::uint16_t>(value), order);
      break;
    case 3:
      if (order == ByteOrder::big) {
        store<std::uint16_t, ByteOrder::big>(target, static_cast<std::uint16_t>(value >> 8));
        store<std::uint8_t, ByteOrder::big>(target + 2, static_cast<std::uint8_t>(value));
      } else {
        store<std::uint16_t, ByteOrder::little>(target, static_cast<std::uint16_t>(value));
        store<std::uint8_t, ByteOrder::big>(target + 2, static_cast<std::uint8_t>(value >> 16));
      }
      break;
    case 4:
      store<std::uint32_t>(target, static_cast<std::uint32_t>(value), order);
      break;
    default:
      store<std::uint64_t>(target, value, order);
      break;
  }
}

// RangeError unless length is 1, 2, 3, 4 or 8; what names the parameter.
WIREKIT_EXPORT void checkFieldLength(std::size_t length, const char* what);

}  // namespace detail

}  // namespace wirekit
