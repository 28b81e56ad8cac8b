// SPDX-License-Identifier: Apache-2.0
#pragma once
// The FIX Simple Open Framing Header (SOFH): a big-endian u32 message length
// that counts the whole frame, header included, then a big-endian u16 naming
// the encoding of the message that follows. wirekit frames schema messages
// with it by default (LengthFieldDecoderOptions::sofh, LengthFieldEncoderOptions::sofh).

#include <cstddef>
#include <cstdint>

#include "wirekit/bytes/byte_order.hpp"
#include "wirekit/framing/header_field.hpp"

namespace wirekit {

// SOFH's encoding type values for Simple Binary Encoding messages.
enum class SofhEncodingType : std::uint16_t {
  sbeLittleEndian = 0xEB50,
  sbeBigEndian = 0x5BE0,
};

// Length field (4 bytes) and encoding type (2 bytes).
inline constexpr std::size_t sofhHeaderLength = 6;

// The largest frame SOFH's u32 length field holds.
inline constexpr std::size_t sofhMaxFrameLength = 0xFFFFFFFF;

// Writes the header of a frame of frameLength bytes (the header included; at
// most sofhMaxFrameLength) at target: the two stores a message stream makes
// per message, without the general LengthFieldPrepender's checks.
inline void writeSofhHeader(std::byte* target, std::size_t frameLength,
                            SofhEncodingType encodingType) noexcept {
  store<std::uint32_t, ByteOrder::big>(target, static_cast<std::uint32_t>(frameLength));
  store<std::uint16_t, ByteOrder::big>(target + 4, static_cast<std::uint16_t>(encodingType));
}

// The whole frame's length, from the header at source.
[[nodiscard]] inline std::uint32_t readSofhFrameLength(const std::byte* source) noexcept {
  return load<std::uint32_t, ByteOrder::big>(source);
}
// The encoding type, from the header at source.
[[nodiscard]] inline std::uint16_t readSofhEncodingType(const std::byte* source) noexcept {
  return load<std::uint16_t, ByteOrder::big>(source + 4);
}

// The encoding type as a header field: the u16 big-endian after the length.
[[nodiscard]] inline HeaderField sofhEncodingTypeField(SofhEncodingType encodingType) {
  return {.offset = 4,
          .length = 2,
          .byteOrder = ByteOrder::big,
          .value = static_cast<std::uint16_t>(encodingType),
          .name = "encoding type"};
}

}  // namespace wirekit
