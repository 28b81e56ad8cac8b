// SPDX-License-Identifier: Apache-2.0
#pragma once
// LengthFieldPrepender: writes the header that LengthFieldFrameDecoder reads, as
// Netty's LengthFieldPrepender does: a length field at the frame's start,
// holding the body's length plus lengthAdjustment (plus the header's own length
// when lengthIncludesHeader), then an optional constant field (SOFH's encoding
// type). The body is never copied, in either of two ways:
//
//   // A body that exists: send the header and the body as two chunks (writev).
//   Buffer header = prepender.encode(body);
//
//   // A body encoded in place, behind room left for the header.
//   ReservedFrame frame = prepender.reserve(space);     // or reserve(maxBodyLength)
//   std::size_t n = encodeMessage(frame.body());        // a DataView after the header
//   Buffer framed = frame.commit(n);                    // header + body, a subarray of space

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "wirekit/bytes/buffer.hpp"
#include "wirekit/bytes/byte_order.hpp"
#include "wirekit/bytes/data_view.hpp"
#include "wirekit/export.hpp"
#include "wirekit/framing/header_field.hpp"
#include "wirekit/framing/sofh.hpp"

namespace wirekit {

struct WIREKIT_EXPORT LengthFieldEncoderOptions {
  // 1, 2, 3, 4 or 8 bytes, at the start of the header.
  std::size_t lengthFieldLength = 4;
  ByteOrder byteOrder = ByteOrder::big;
  // Added to the body's length.
  std::int64_t lengthAdjustment = 0;
  // Count the header (length field and constant field) in the length.
  bool lengthIncludesHeader = false;
  // A constant written after the length field (at offset >= lengthFieldLength;
  // bytes between the two are zero).
  std::optional<HeaderField> headerField{};

  // SOFH: 4-byte big-endian length of the whole frame, 2-byte big-endian encoding type.
  [[nodiscard]] static LengthFieldEncoderOptions sofh(
      SofhEncodingType encodingType = SofhEncodingType::sbeLittleEndian);
  // A 4-byte length of the body in byteOrder.
  [[nodiscard]] static LengthFieldEncoderOptions u32(ByteOrder byteOrder = ByteOrder::big);
};

class ReservedFrame;

class WIREKIT_EXPORT LengthFieldPrepender {
 public:
  // RangeError for a length field of another size, or a header field that
  // overlaps the length field, has another size, or cannot hold its value.
  explicit LengthFieldPrepender(LengthFieldEncoderOptions options = {});

  [[nodiscard]] const LengthFieldEncoderOptions& options() const noexcept { return options_; }
  [[nodiscard]] std::size_t headerLength() const noexcept { return headerLength_; }

  // Writes the header for a body of bodyLength bytes into the first
  // headerLength() bytes of header. EncodeError if the length is negative or
  // does not fit the length field; RangeError if header is too short.
  void writeHeader(std::span<std::byte> header, std::size_t bodyLength) const;
  // The header for body, in a new Buffer (from the pool when small).
  [[nodiscard]] Buffer encode(const Buffer& body) const;

  // A frame to encode in place in space: the header goes in its first
  // headerLength() bytes, the body after. RangeError if space is shorter than
  // the header. The prepender must outlive the ReservedFrame.
  [[nodiscard]] ReservedFrame reserve(Buffer space) const;
  // As reserve(space), with space for a body of up to maxBodyLength bytes.
  [[nodiscard]] ReservedFrame reserve(std::size_t maxBodyLength) const;

 private:
  LengthFieldEncoderOptions options_;
  std::size_t headerLength_ = 0;
};

class WIREKIT_EXPORT ReservedFrame {
 public:
  // The room for the body: everything after the header.
  [[nodiscard]] DataView body() const;
  [[nodiscard]] Buffer bodyBuffer() const;
  [[nodiscard]] std::size_t maxBodyLength() const noexcept {
    return space_.length() - prepender_->headerLength();
  }
  // Writes the header for a body of bodyLength bytes and returns the frame, a
  // subarray of the space (no copy). RangeError if bodyLength exceeds
  // maxBodyLength(); EncodeError as writeHeader.
  [[nodiscard]] Buffer commit(std::size_t bodyLength);

 private:
  friend class LengthFieldPrepender;
  ReservedFrame(const LengthFieldPrepender& prepender, Buffer space) noexcept
      : prepender_(&prepender), space_(std::move(space)) {}

  const LengthFieldPrepender* prepender_;
  Buffer space_;
};

}  // namespace wirekit
