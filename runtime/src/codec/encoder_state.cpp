#include "wirekit/codec/encoder_state.hpp"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "wirekit/error.hpp"

namespace wirekit::codec {

std::string EncoderState::path(std::size_t depth, std::string_view field) const {
  std::string out(frames_[0].block->name);
  for (std::size_t i = 1; i <= depth && i <= depth_; ++i) {
    const Frame& frame = frames_[i];
    out += '.';
    out += frame.group->name;
    if (frame.begun > 0) fmt::format_to(std::back_inserter(out), "[{}]", frame.begun - 1);
  }
  if (!field.empty()) {
    out += '.';
    out += field;
  }
  return out;
}

void EncoderState::writeUnsigned(std::byte* at, std::size_t size,
                                 std::uint64_t value) const noexcept {
  switch (size) {
    case 1:
      store<std::uint8_t>(at, static_cast<std::uint8_t>(value), order_);
      break;
    case 2:
      store<std::uint16_t>(at, static_cast<std::uint16_t>(value), order_);
      break;
    case 4:
      store<std::uint32_t>(at, static_cast<std::uint32_t>(value), order_);
      break;
    default:
      store<std::uint64_t>(at, value, order_);
      break;
  }
}

std::byte* EncoderState::reserve(std::size_t bytes, std::size_t depth, std::string_view field,
                                 std::string_view what) {
  if (bytes > capacity_ - limit_) {
    throw EncodeError(
        fmt::format("{}: {} of {} bytes at byte {} does not fit in the view ({} bytes)",
                    path(depth, field), what, bytes, limit_, capacity_));
  }
  std::byte* at = data_ + limit_;
  limit_ += bytes;
  return at;
}

void EncoderState::fillParts(std::size_t depth, std::size_t upTo) {
  Frame& frame = frames_[depth];
  for (; frame.nextPart < upTo; ++frame.nextPart) {
    const PartInfo& part = frame.block->parts[frame.nextPart];
    if (part.kind == PartKind::group) {
      std::byte* at = reserve(part.lengthSize + part.countSize, depth, part.name, "empty group");
      writeUnsigned(at, part.lengthSize, part.entryBlockLength);
      writeUnsigned(at + part.lengthSize, part.countSize, 0);
    } else {
      std::byte* at = reserve(part.lengthSize, depth, part.name, "empty length");
      writeUnsigned(at, part.lengthSize, 0);
    }
  }
}

void EncoderState::closeFramesAbove(std::size_t depth) {
  while (depth_ > depth) {
    Frame& frame = frames_[depth_];
    if (frame.begun != frame.count) {
      throw EncodeError(
          fmt::format("{}: {} of {} entries written (next() must be called once per entry)",
                      path(depth_ - 1, frame.group->name), frame.begun, frame.count));
    }
    if (frame.begun > 0) fillParts(depth_, frame.block->partCount);
    --depth_;
  }
}

void EncoderState::prepare(std::size_t depth, std::uint64_t serial, std::size_t part) {
  if (depth > depth_ || frames_[depth].entrySerial != serial) {
    throw EncodeError(fmt::format(
        "{}: a group or string/bytes field written through an encoder of an entry that is no "
        "longer being written",
        path(std::min(depth, depth_), {})));
  }
  closeFramesAbove(depth);
  Frame& frame = frames_[depth];
  if (part < frame.nextPart) {
    const std::string_view name = frame.block->parts[part].name;
    const std::string_view last = frame.block->parts[frame.nextPart - 1].name;
    throw EncodeError(
        fmt::format("{}: written out of order (after {}); groups and string/bytes "
                    "fields are written in schema order, once",
                    path(depth, name), last));
  }
  fillParts(depth, part);
  frame.nextPart = part + 1;
}

std::byte* EncoderState::beginVarSlow(std::size_t depth, std::uint64_t serial, std::size_t part,
                                      std::size_t length) {
  prepare(depth, serial, part);
  const PartInfo& info = frames_[depth].block->parts[part];
  if (length > info.max) {
    throw EncodeError(
        fmt::format("{}: length {} exceeds {}", path(depth, info.name), length,
                    info.max == (std::uint64_t{1} << (8 * info.lengthSize)) - 1
                        ? fmt::format("the largest u{} ({})", 8 * info.lengthSize, info.max)
                        : fmt::format("@max({})", info.max)));
  }
  if (info.lengthSize > capacity_ - limit_ || length > capacity_ - limit_ - info.lengthSize) {
    throw EncodeError(fmt::format("{}: {} bytes at byte {} do not fit in the view ({} bytes)",
                                  path(depth, info.name), info.lengthSize + length, limit_,
                                  capacity_));
  }
  std::byte* at = data_ + limit_;
  writeUnsigned(at, info.lengthSize, length);
  limit_ += info.lengthSize + length;
  return at + info.lengthSize;
}

std::uint64_t EncoderState::beginGroupSlow(std::size_t depth, std::uint64_t serial,
                                           std::size_t part, std::size_t count,
                                           const BlockInfo& entry) {
  prepare(depth, serial, part);
  const PartInfo& info = frames_[depth].block->parts[part];
  if (count > info.max) {
    throw EncodeError(
        fmt::format("{}: count {} exceeds {}", path(depth, info.name), count,
                    info.max == (std::uint64_t{1} << (8 * info.countSize)) - 1
                        ? fmt::format("the largest u{} ({})", 8 * info.countSize, info.max)
                        : fmt::format("@max({})", info.max)));
  }
  std::byte* at = reserve(info.lengthSize + info.countSize, depth, info.name, "group dimension");
  writeUnsigned(at, info.lengthSize, info.entryBlockLength);
  writeUnsigned(at + info.lengthSize, info.countSize, count);
  if (depth + 1 >= maxFrames_) {  // cannot happen with generated code: frames are sized for it
    throw EncodeError(fmt::format("{}: groups nested too deeply", path(depth, info.name)));
  }
  return pushGroup(depth, info, count, entry);
}

std::byte* EncoderState::nextEntrySlow(std::size_t depth, std::uint64_t groupSerial,
                                       std::uint64_t* entrySerial) {
  if (depth > depth_ || frames_[depth].groupSerial != groupSerial) {
    throw EncodeError(fmt::format("{}: next() on a group that is no longer being written",
                                  path(std::min(depth - 1, depth_), {})));
  }
  closeFramesAbove(depth);
  Frame& frame = frames_[depth];
  if (frame.begun > 0) fillParts(depth, frame.block->partCount);
  if (frame.begun == frame.count) {
    throw EncodeError(fmt::format("{}: next() called more than the count ({})",
                                  path(depth - 1, frame.group->name), frame.count));
  }
  if (frame.block->blockLength > capacity_ - limit_) {
    ++frame.begun;  // the error names this entry
    static_cast<void>(reserve(frame.block->blockLength, depth, {}, "entry block"));  // throws
  }
  return startEntry(frame, frame.block->blockLength, entrySerial);
}

std::size_t EncoderState::finishSlow() {
  closeFramesAbove(0);
  fillParts(0, frames_[0].block->partCount);
  return limit_;
}

void throwEncodeError(std::string_view path, std::string_view message) {
  throw EncodeError(fmt::format("{}: {}", path, message));
}

void throwNoRoom(std::string_view message, std::size_t needed, std::size_t capacity) {
  throw EncodeError(fmt::format("{}: header and block need {} bytes, the view has {}", message,
                                needed, capacity));
}

void throwTooLong(std::string_view path, std::size_t length, std::size_t capacity,
                  std::string_view type) {
  throw EncodeError(
      fmt::format("{}: {} elements do not fit in {} (room for {})", path, length, type, capacity));
}

}  // namespace wirekit::codec
