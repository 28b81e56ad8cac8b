// SPDX-License-Identifier: Apache-2.0
#include "wirekit/framing/length_field_frame_decoder.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>
#include <span>
#include <utility>

#include <fmt/format.h>

namespace wirekit {

namespace {

constexpr auto maxSigned = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());

// The first buffer of a frame that spans chunks, unless the frame is shorter:
// a socket's read block (64 KiB), so that frames up to that size are
// assembled in one buffer, as before, and a long frame's first growth copies
// little.
constexpr std::size_t minAssembly = std::size_t{64} * 1024;

[[noreturn]] void throwOption(const std::string& message) {
  throw RangeError("LengthFieldFrameDecoder: " + message);
}

std::string hex(std::uint64_t value, std::size_t bytes) {
  return fmt::format("0x{:0{}X}", value, 2 * bytes);
}

}  // namespace

LengthFieldDecoderOptions LengthFieldDecoderOptions::sofh(SofhEncodingType encodingType) {
  return {
      .lengthFieldOffset = 0,
      .lengthFieldLength = 4,
      .byteOrder = ByteOrder::big,
      .lengthAdjustment = -4,
      .initialBytesToStrip = sofhHeaderLength,
      .expectedField = sofhEncodingTypeField(encodingType),
  };
}

LengthFieldDecoderOptions LengthFieldDecoderOptions::u32(ByteOrder byteOrder) {
  return {.lengthFieldLength = 4, .byteOrder = byteOrder, .initialBytesToStrip = 4};
}

LengthFieldFrameDecoder::LengthFieldFrameDecoder(LengthFieldDecoderOptions options)
    : FrameDecoder(options.discardMode), options_(std::move(options)) {
  detail::checkFieldLength(options_.lengthFieldLength,
                           "LengthFieldFrameDecoder: lengthFieldLength");
  const std::size_t max = options_.maxFrameLength;
  if (max == 0 || max > maxSigned) {
    throwOption(fmt::format("maxFrameLength must be from 1 to {}, not {}", maxSigned, max));
  }
  if (options_.lengthFieldOffset > max - options_.lengthFieldLength) {
    throwOption(
        fmt::format("the length field (offset {}, {} bytes) must end within maxFrameLength ({})",
                    options_.lengthFieldOffset, options_.lengthFieldLength, max));
  }
  headerLength_ = options_.lengthFieldOffset + options_.lengthFieldLength;
  if (const std::optional<HeaderField>& field = options_.expectedField) {
    detail::checkFieldLength(field->length, "LengthFieldFrameDecoder: expectedField.length");
    if (field->offset > max - field->length) {
      throwOption(fmt::format("the {} (offset {}, {} bytes) must end within maxFrameLength ({})",
                              field->name, field->offset, field->length, max));
    }
    if (field->value > detail::fieldMaximum(field->length)) {
      throwOption(fmt::format("the {} {} does not fit in {} bytes", field->name, field->value,
                              field->length));
    }
    headerLength_ = std::max(headerLength_, field->offset + field->length);
  }
  // headerLength_ <= maxFrameLength <= 2^63 - 1, so it converts exactly.
  const std::int64_t counted =
      options_.lengthIncludesHeader
          ? 0
          : static_cast<std::int64_t>(options_.lengthFieldOffset + options_.lengthFieldLength);
  if (__builtin_add_overflow(counted, options_.lengthAdjustment, &lengthConstant_)) {
    throwOption(fmt::format("lengthAdjustment {} is out of range", options_.lengthAdjustment));
  }
}

std::uint64_t LengthFieldFrameDecoder::frameLengthOf(std::uint64_t lengthField) const {
  std::int64_t length = 0;
  if (lengthField > maxSigned ||
      __builtin_add_overflow(static_cast<std::int64_t>(lengthField), lengthConstant_, &length)) {
    throw FrameError(fmt::format("frame at stream offset {}: length field {} (adjusted by {}) "
                                 "exceeds the largest representable length {}",
                                 frameStart_, lengthField, lengthConstant_, maxSigned),
                     frameStart_, maxSigned);
  }
  if (length < static_cast<std::int64_t>(headerLength_)) {
    throw FrameError(fmt::format("frame at stream offset {}: length field {} gives a frame "
                                 "length of {}, below the minimum {} (its header)",
                                 frameStart_, lengthField, length, headerLength_),
                     frameStart_, headerLength_);
  }
  return static_cast<std::uint64_t>(length);
}

void LengthFieldFrameDecoder::skipFrame() {
  state_ = State::discarding;
  skip_ = frameLength_;
}

bool LengthFieldFrameDecoder::startFrame() {
  if (queue_.size() < headerLength_) return false;
  frameStart_ = queue_.streamOffset();
  const std::optional<HeaderField>& field = options_.expectedField;
  std::uint64_t lengthField = 0;
  std::uint64_t fieldValue = 0;
  const std::span<const std::byte> front = queue_.front();
  if (front.size() >= headerLength_) {
    lengthField = detail::loadField(front.data() + options_.lengthFieldOffset,
                                    options_.lengthFieldLength, options_.byteOrder);
    if (field)
      fieldValue = detail::loadField(front.data() + field->offset, field->length, field->byteOrder);
  } else {
    // The header spans chunks: copy out the few bytes of each field.
    std::array<std::byte, 8> bytes{};
    queue_.peek(options_.lengthFieldOffset,
                std::span<std::byte>(bytes.data(), options_.lengthFieldLength));
    lengthField = detail::loadField(bytes.data(), options_.lengthFieldLength, options_.byteOrder);
    if (field) {
      queue_.peek(field->offset, std::span<std::byte>(bytes.data(), field->length));
      fieldValue = detail::loadField(bytes.data(), field->length, field->byteOrder);
    }
  }
  frameLength_ = frameLengthOf(lengthField);

  if (frameLength_ > options_.maxFrameLength) {
    if (discardMode() && frameLength_ > options_.maxDiscardLength) {
      throw FrameError(fmt::format("frame at stream offset {}: length {} exceeds the maximum {}, "
                                   "and the most discard mode skips ({})",
                                   frameStart_, frameLength_, options_.maxFrameLength,
                                   options_.maxDiscardLength),
                       frameStart_, options_.maxDiscardLength);
    }
    skipFrame();
    FrameError error(fmt::format("frame at stream offset {}: length {} exceeds the maximum {}",
                                 frameStart_, frameLength_, options_.maxFrameLength),
                     frameStart_, options_.maxFrameLength);
    if (options_.failFast) {
      reject(error);
    } else {
      pendingError_ = std::move(error);
    }
    return true;
  }
  if (frameLength_ < options_.initialBytesToStrip) {
    skipFrame();
    reject(FrameError(fmt::format("frame at stream offset {}: length {} is shorter than the {} "
                                  "bytes to strip",
                                  frameStart_, frameLength_, options_.initialBytesToStrip),
                      frameStart_, options_.initialBytesToStrip));
    return true;
  }
  if (field && fieldValue != field->value) {
    skipFrame();
    reject(FrameError(
        fmt::format("frame at stream offset {}: {} {} is not the expected {}", frameStart_,
                    field->name, hex(fieldValue, field->length), hex(field->value, field->length)),
        frameStart_, field->value));
    return true;
  }
  state_ = State::body;
  skip_ = options_.initialBytesToStrip;
  bodyLength_ = static_cast<std::size_t>(frameLength_ - skip_);
  assembled_ = 0;
  return true;
}

std::optional<Buffer> LengthFieldFrameDecoder::decode() {
  for (;;) {
    if (state_ == State::header && !startFrame()) return std::nullopt;
    if (skip_ > 0) {
      const std::size_t count =
          static_cast<std::size_t>(std::min<std::uint64_t>(skip_, queue_.size()));
      queue_.consume(count);
      skip_ -= count;
      if (skip_ > 0) return std::nullopt;
    }
    if (state_ == State::discarding) {
      state_ = State::header;
      if (pendingError_) reject(*std::exchange(pendingError_, std::nullopt));
      continue;
    }
    if (assembled_ == 0) {
      if (queue_.front().size() >= bodyLength_) {
        state_ = State::header;
        return queue_.take(bodyLength_);
      }
      if (queue_.empty()) return std::nullopt;
      // The body spans chunks: copy what has arrived now, so that no chunk is
      // held while the rest comes.
      assembly_ = Buffer();
    }
    const std::size_t count = std::min(bodyLength_ - assembled_, queue_.size());
    reserveAssembly(count);
    queue_.read(assembly_.bytes().subspan(assembled_, count));
    assembled_ += count;
    if (assembled_ < bodyLength_) return std::nullopt;
    state_ = State::header;
    assembled_ = 0;
    return std::move(assembly_);
  }
}

void LengthFieldFrameDecoder::reserveAssembly(std::size_t count) {
  const std::size_t needed = assembled_ + count;
  if (needed <= assembly_.length()) return;
  // Doubling keeps the copies linear in the frame's length; the declared
  // length only caps the growth, so what is held is what arrived, at most
  // twice over, or 64 KiB (a peer's header costs nothing until its bytes come).
  const std::size_t grown = std::max(needed, std::max(2 * assembly_.length(), minAssembly));
  Buffer larger = Buffer::allocUnsafeSlow(std::min(grown, bodyLength_));
  if (assembled_ > 0) std::memcpy(larger.data(), assembly_.data(), assembled_);
  assembly_ = std::move(larger);
}

void LengthFieldFrameDecoder::checkEnd() const {
  if (state_ == State::header) {
    if (queue_.empty()) return;
    throw FrameError(fmt::format("frame at stream offset {}: the stream ended after {} bytes, "
                                 "inside its {}-byte header",
                                 queue_.streamOffset(), queue_.size(), headerLength_),
                     queue_.streamOffset(), headerLength_);
  }
  const std::uint64_t outstanding = skip_ + (state_ == State::body ? bodyLength_ - assembled_ : 0);
  const std::uint64_t received =
      frameLength_ - outstanding + std::min<std::uint64_t>(queue_.size(), outstanding);
  throw FrameError(fmt::format("frame at stream offset {}: the stream ended after {} of its {} "
                               "bytes",
                               frameStart_, received, frameLength_),
                   frameStart_, frameLength_);
}

}  // namespace wirekit
