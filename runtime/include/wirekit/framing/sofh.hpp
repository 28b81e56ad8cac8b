#pragma once
// The FIX Simple Open Framing Header (SOFH): a big-endian u32 message length
// that counts the whole frame, header included, then a big-endian u16 naming
// the encoding of the message that follows. wirekit frames schema messages
// with it by default (LengthFieldDecoderOptions::sofh, LengthFieldEncoderOptions::sofh).

#include <cstddef>
#include <cstdint>

namespace wirekit {

// SOFH's encoding type values for Simple Binary Encoding messages.
enum class SofhEncodingType : std::uint16_t {
  sbeLittleEndian = 0xEB50,
  sbeBigEndian = 0x5BE0,
};

// Length field (4 bytes) and encoding type (2 bytes).
inline constexpr std::size_t sofhHeaderLength = 6;

}  // namespace wirekit
