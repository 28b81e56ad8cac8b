// SPDX-License-Identifier: Apache-2.0
#include "wirekit/framing/length_field_prepender.hpp"

#include <algorithm>
#include <cstring>
#include <limits>
#include <utility>

#include <fmt/format.h>

#include "wirekit/error.hpp"

namespace wirekit {

LengthFieldEncoderOptions LengthFieldEncoderOptions::sofh(SofhEncodingType encodingType) {
  return {
      .lengthFieldLength = 4,
      .byteOrder = ByteOrder::big,
      .lengthIncludesHeader = true,
      .headerField = sofhEncodingTypeField(encodingType),
  };
}

LengthFieldEncoderOptions LengthFieldEncoderOptions::u32(ByteOrder byteOrder) {
  return {.lengthFieldLength = 4, .byteOrder = byteOrder};
}

LengthFieldPrepender::LengthFieldPrepender(LengthFieldEncoderOptions options)
    : options_(std::move(options)), headerLength_(options_.lengthFieldLength) {
  detail::checkFieldLength(options_.lengthFieldLength, "LengthFieldPrepender: lengthFieldLength");
  if (const std::optional<HeaderField>& field = options_.headerField) {
    detail::checkFieldLength(field->length, "LengthFieldPrepender: headerField.length");
    if (field->offset < options_.lengthFieldLength) {
      throw RangeError(
          fmt::format("LengthFieldPrepender: the {} (offset {}) overlaps the "
                      "{}-byte length field",
                      field->name, field->offset, options_.lengthFieldLength));
    }
    if (field->value > detail::fieldMaximum(field->length)) {
      throw RangeError(fmt::format("LengthFieldPrepender: the {} {} does not fit in {} bytes",
                                   field->name, field->value, field->length));
    }
    if (field->offset > std::numeric_limits<std::size_t>::max() - field->length) {
      throw RangeError(fmt::format("LengthFieldPrepender: the {} offset {} is out of range",
                                   field->name, field->offset));
    }
    headerLength_ = field->offset + field->length;
  }
}

void LengthFieldPrepender::writeHeader(std::span<std::byte> header, std::size_t bodyLength) const {
  if (header.size() < headerLength_) {
    throw RangeError(fmt::format("LengthFieldPrepender: the header needs {} bytes, not {}",
                                 headerLength_, header.size()));
  }
  const std::size_t counted = options_.lengthIncludesHeader ? headerLength_ : 0;
  std::int64_t length = 0;
  const bool overflow = __builtin_add_overflow(bodyLength, counted, &length) ||
                        __builtin_add_overflow(length, options_.lengthAdjustment, &length);
  const std::uint64_t maximum =
      std::min(detail::fieldMaximum(options_.lengthFieldLength), detail::maxLengthFieldValue);
  if (overflow || length < 0 || static_cast<std::uint64_t>(length) > maximum) {
    throw EncodeError(fmt::format(
        "LengthFieldPrepender: a {}-byte body{}{} does not give a "
        "length from 0 to {}, as a {}-byte length field holds",
        bodyLength, counted > 0 ? fmt::format(" and {}-byte header", counted) : "",
        options_.lengthAdjustment != 0 ? fmt::format(" adjusted by {}", options_.lengthAdjustment)
                                       : "",
        maximum, options_.lengthFieldLength));
  }
  std::byte* const target = header.data();
  detail::storeField(target, options_.lengthFieldLength, options_.byteOrder,
                     static_cast<std::uint64_t>(length));
  if (const std::optional<HeaderField>& field = options_.headerField) {
    std::memset(target + options_.lengthFieldLength, 0, field->offset - options_.lengthFieldLength);
    detail::storeField(target + field->offset, field->length, field->byteOrder, field->value);
  }
}

Buffer LengthFieldPrepender::encode(const Buffer& body) const {
  Buffer header = Buffer::allocUnsafe(headerLength_);
  writeHeader(header.bytes(), body.length());
  return header;
}

ReservedFrame LengthFieldPrepender::reserve(Buffer space) const {
  if (space.length() < headerLength_) {
    throw RangeError(
        fmt::format("LengthFieldPrepender: {} bytes of space cannot hold the "
                    "{}-byte header",
                    space.length(), headerLength_));
  }
  return ReservedFrame(*this, std::move(space));
}

ReservedFrame LengthFieldPrepender::reserve(std::size_t maxBodyLength) const {
  if (maxBodyLength > std::numeric_limits<std::size_t>::max() - headerLength_) {
    throw RangeError(fmt::format("LengthFieldPrepender: cannot reserve {} bytes", maxBodyLength));
  }
  return reserve(Buffer::allocUnsafe(headerLength_ + maxBodyLength));
}

DataView ReservedFrame::body() const {
  return DataView(space_.buffer(), space_.byteOffset() + prepender_->headerLength(),
                  maxBodyLength());
}

Buffer ReservedFrame::bodyBuffer() const {
  return space_.subarray(static_cast<std::ptrdiff_t>(prepender_->headerLength()));
}

Buffer ReservedFrame::commit(std::size_t bodyLength) {
  if (bodyLength > maxBodyLength()) {
    throw RangeError(
        fmt::format("ReservedFrame: a {}-byte body does not fit the {} bytes "
                    "reserved",
                    bodyLength, maxBodyLength()));
  }
  prepender_->writeHeader(space_.bytes(), bodyLength);
  return space_.subarray(0, static_cast<std::ptrdiff_t>(prepender_->headerLength() + bodyLength));
}

}  // namespace wirekit
