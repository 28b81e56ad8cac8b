// SPDX-License-Identifier: Apache-2.0
#include "wirekit/codec/encoder_state.hpp"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "wirekit/error.hpp"

namespace wirekit::codec {

std::string EncoderState::path(std::size_t depth, std::string_view field) const {
  std::string out(message_->name);
  for (std::size_t i = 1; i <= depth; ++i) {
    const Frame& open = frame(i);
    out += '.';
    out += group(i).name;
    if (open.begun > 0) fmt::format_to(std::back_inserter(out), "[{}]", open.begun - 1);
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
      store<std::uint8_t>(at, static_cast<std::uint8_t>(value), message_->order);
      break;
    case 2:
      store<std::uint16_t>(at, static_cast<std::uint16_t>(value), message_->order);
      break;
    case 4:
      store<std::uint32_t>(at, static_cast<std::uint32_t>(value), message_->order);
      break;
    default:
      store<std::uint64_t>(at, value, message_->order);
      break;
  }
}

std::byte* EncoderState::reserve(std::size_t bytes, std::size_t depth, std::string_view field,
                                 std::string_view what) {
  if (bytes > capacity_ - position_) {
    throw NoRoomError(
        fmt::format("{}: {} of {} bytes at byte {} does not fit in the view ({} bytes)",
                    path(depth, field), what, bytes, offset(), capacity()));
  }
  std::byte* at = data_ + position_;
  position_ += bytes;
  return at;
}

// Writes the parts of the innermost block from its next one up to `upTo` empty.
void EncoderState::fillParts(std::size_t upTo) {
  const BlockInfo& owner = block(depth_);
  for (; (cursor_ & partMask) < upTo; ++cursor_) {
    const PartInfo& part = owner.parts[cursor_ & partMask];
    if (part.kind == PartKind::group) {
      std::byte* at = reserve(part.dimensionBytes(), depth_, part.name, "empty group");
      std::memset(at, 0, part.dimensionBytes());
      writeUnsigned(at, part.lengthSize, part.entryBlockLength);
    } else {
      std::byte* at = reserve(part.lengthSize, depth_, part.name, "empty length");
      writeUnsigned(at, part.lengthSize, 0);
    }
  }
}

void EncoderState::closeFramesAbove(std::size_t depth) {
  while (depth_ > depth) {
    const Frame& open = frame(depth_);
    if (open.begun != open.count) {
      throw EncodeError(
          fmt::format("{}: {} of {} entries written (next() must be called once per entry)",
                      path(depth_ - 1, group(depth_).name), open.begun, open.count));
    }
    if (open.begun > 0) fillParts(block(depth_).partCount);
    cursor_ = open.parent;
    --depth_;
  }
}

std::size_t EncoderState::catchUp(Frame* frames, std::size_t depth, std::uint64_t generation,
                                  std::size_t part) {
  frames_ = frames;
  if (depth > depth_ || entryGeneration(depth) != generation) {
    throw EncodeError(fmt::format(
        "{}: a group or string/bytes field written through an encoder of an entry that is no "
        "longer being written",
        path(std::min(depth, depth_), {})));
  }
  closeFramesAbove(depth);
  const BlockInfo& owner = block(depth);
  const std::size_t next = cursor_ & partMask;
  if (part < next) {
    throw EncodeError(
        fmt::format("{}: written out of order (after {}); groups and string/bytes "
                    "fields are written in schema order, once",
                    path(depth, owner.parts[part].name), owner.parts[next - 1].name));
  }
  fillParts(part);
  return position_;
}

namespace {

// "the largest u16 (65535)" for the largest value of the prefix or count
// field, else "@max(20)".
std::string describeMax(std::uint64_t max, std::size_t fieldSize) {
  return max == (std::uint64_t{1} << (8 * fieldSize)) - 1
             ? fmt::format("the largest u{} ({})", 8 * fieldSize, max)
             : fmt::format("@max({})", max);
}

}  // namespace

void EncoderState::failVar(Frame* frames, std::size_t depth, std::size_t part, std::size_t length) {
  frames_ = frames;
  const PartInfo& info = block(depth).parts[part];
  if (length > info.max) {
    throw EncodeError(fmt::format("{}: length {} exceeds {}", path(depth, info.name), length,
                                  describeMax(info.max, info.lengthSize)));
  }
  throw NoRoomError(fmt::format("{}: {} bytes at byte {} do not fit in the view ({} bytes)",
                                path(depth, info.name), info.lengthSize + length, offset(),
                                capacity()));
}

void EncoderState::failGroup(Frame* frames, std::size_t depth, std::size_t part,
                             std::size_t count) {
  frames_ = frames;
  const PartInfo& info = block(depth).parts[part];
  if (count > info.max) {
    throw EncodeError(fmt::format("{}: count {} exceeds {}", path(depth, info.name), count,
                                  describeMax(info.max, info.countSize)));
  }
  // Throws unless the dimension fits; if it does, the group is one of fixed
  // blocks (beginBlocks), whose room for all its entries is checked at the group.
  reserve(info.dimensionBytes(), depth, info.name, "group dimension");
  throw NoRoomError(
      fmt::format("{}: {} entries of {} bytes at byte {} do not fit in the view ({} bytes)",
                  path(depth, info.name), count, info.entryBlockLength, offset(), capacity()));
}

bool EncoderState::groupOpen(std::size_t depth, std::uint64_t id) const noexcept {
  return id != 0 && depth <= depth_ && (frame(depth).parent | groupBit) == id;
}

void EncoderState::failClosedGroup(std::size_t depth, std::uint64_t id, std::size_t index,
                                   std::size_t count, const BlockInfo& entry) const {
  // A group with no entries, one that is complete and was closed, or one whose
  // owner is done. `entry` names it without entry indexes; its frame still
  // names its owner unless another group reused it, and the path with indexes
  // is right if that owner is still being written.
  const bool intact = id != 0 && (frame(depth).parent | groupBit) == id && depth - 1 <= depth_ &&
                      entryGeneration(depth - 1) == (frame(depth).parent & ~partMask);
  const std::string where = intact ? path(depth - 1, group(depth).name) : std::string(entry.name);
  if (index >= count) {
    throw EncodeError(fmt::format("{}: next() called more than the count ({})", where, count));
  }
  throw EncodeError(fmt::format("{}: next() on a group that is no longer being written", where));
}

EncoderState::Resync EncoderState::catchUpEntry(Frame* frames, std::size_t depth, std::uint64_t id,
                                                std::size_t index, std::size_t count,
                                                const BlockInfo& entry) {
  frames_ = frames;
  if (!groupOpen(depth, id)) failClosedGroup(depth, id, index, count, entry);
  closeFramesAbove(depth);
  const Frame& open = frame(depth);
  if (open.begun > 0) fillParts(entry.partCount);
  return {position_, open.begun, cursor_};
}

void EncoderState::failEntry(Frame* frames, std::size_t depth, std::uint64_t id, std::size_t index,
                             std::size_t count, const BlockInfo& entry) {
  frames_ = frames;
  if (!groupOpen(depth, id)) failClosedGroup(depth, id, index, count, entry);
  Frame& open = frame(depth);
  if (index >= count || entry.partCount == 0) {
    // A group of entries without parts (beginBlocks) comes here only when its
    // encoder has begun all its entries: the cursor is its id until then.
    throw EncodeError(fmt::format("{}: next() called more than the count ({})",
                                  path(depth - 1, group(depth).name), open.count));
  }
  open.begun = index + 1;  // the error names this entry
  throw NoRoomError(
      fmt::format("{}: entry block of {} bytes at byte {} does not fit in the view ({} bytes)",
                  path(depth, {}), entry.blockLength, offset(), capacity()));
}

std::size_t EncoderState::catchUpFinish(Frame* frames) {
  frames_ = frames;
  closeFramesAbove(0);
  fillParts(message_->partCount);
  return offset();
}

void throwEncodeError(std::string_view path, std::string_view message) {
  throw EncodeError(fmt::format("{}: {}", path, message));
}

void throwNoRoom(std::string_view message, std::size_t needed, std::size_t capacity) {
  throw NoRoomError(fmt::format("{}: header and block need {} bytes, the view has {}", message,
                                needed, capacity));
}

void throwTooLong(std::string_view path, std::size_t length, std::size_t capacity,
                  std::string_view type) {
  throw EncodeError(
      fmt::format("{}: {} elements do not fit in {} (room for {})", path, length, type, capacity));
}

void throwTextTooLong(std::string_view path, std::size_t length, std::size_t capacity) {
  throwTooLong(path, length, capacity, fmt::format("char[{}]", capacity));
}

}  // namespace wirekit::codec
