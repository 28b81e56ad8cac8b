#pragma once
// What generated encoders share: the write position after the block and the
// order in which groups and string/bytes fields are written.
//
// A message encoder owns an EncoderState. It keeps a stack of frames: frame 0 is
// the message; a group being written pushes a frame for its entries. Parts
// (groups and string/bytes fields) of a block are written in schema order; a
// part that is skipped is written empty (count 0, length 0) when a later one is
// begun, and encodedLength() completes the message the same way. Writing a part
// out of order, calling next() more or fewer times than the count, or writing
// through an encoder of an entry or group that is no longer being written throws
// EncodeError, as does running out of room. Nothing is written outside the view.

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "wirekit/bytes/byte_order.hpp"

namespace wirekit::codec {

enum class PartKind : std::uint8_t { group, string, bytes };

// One group or string/bytes field of a block, as the generated code describes it.
struct PartInfo {
  std::string_view name;
  PartKind kind;
  std::uint8_t lengthSize;       // string/bytes: the length prefix; group: the block length field
  std::uint8_t countSize;        // group: the count field
  std::uint64_t max;             // @max, else the largest value of the length or count type
  std::size_t entryBlockLength;  // group
};

// A block owner (a message or a group's entries): its parts in schema order.
struct BlockInfo {
  std::string_view name;
  const PartInfo* parts;
  std::size_t partCount;
  std::size_t blockLength;
};

class EncoderState {
 public:
  // Frames above the innermost open one are left uninitialized (nothing reads
  // them); a frame is value-initialized, Frame{}, when it is opened.
  struct Frame {
    const BlockInfo* block;
    const PartInfo* group;  // for entry frames: the group they belong to
    std::size_t nextPart;   // the first part of the current block not yet begun
    std::size_t count;      // entry frames: the count written in the dimension
    std::size_t begun;      // entry frames: how many next() calls so far
    std::uint64_t groupSerial;
    std::uint64_t entrySerial;
  };

  // A message of `message` whose block starts at `limit` - blockLength in data[0, capacity).
  EncoderState(std::byte* data, std::size_t capacity, std::size_t limit, ByteOrder order,
               const BlockInfo& message, Frame* frames, std::size_t maxFrames) noexcept
      : data_(data),
        capacity_(capacity),
        limit_(limit),
        order_(order),
        frames_(frames),
        maxFrames_(maxFrames) {
    frames_[0] = Frame{};
    frames_[0].block = &message;
  }
  EncoderState(const EncoderState&) = delete;
  EncoderState& operator=(const EncoderState&) = delete;

  // Begins part `part` of the block at frame `depth` (whose current entry has
  // serial `serial`; 0 for the message). Completes deeper frames and skipped
  // parts, writes the count or length, and for a group pushes a frame for its
  // entries. Returns where the bytes of a string/bytes field go, or (for a
  // group) the serial of the group's frame.
  //
  // The generated code passes what it knows of the part as template arguments
  // and constants: the wire types of a length (L) or of a group's block length
  // and count (B, C), the byte order, @max, the entry block length. So each of
  // these is inline for the usual case (parts in order, every entry written,
  // room enough): a few compares, then plain stores. Anything else goes to an
  // out-of-line call that completes skipped parts or throws.
  template <class L, ByteOrder order>
  std::byte* beginVar(std::size_t depth, std::uint64_t serial, std::size_t part, std::size_t length,
                      std::uint64_t max) {
    if (enter(depth, serial)) [[likely]] {
      Frame& frame = frames_[depth];
      const std::size_t room = capacity_ - limit_;
      if (part == frame.nextPart && length <= max && sizeof(L) <= room &&
          length <= room - sizeof(L)) [[likely]] {
        frame.nextPart = part + 1;
        std::byte* at = data_ + limit_;
        store<L, order>(at, static_cast<L>(length));
        limit_ += sizeof(L) + length;
        return at + sizeof(L);
      }
    }
    return beginVarSlow(depth, serial, part, length);
  }
  // `entry` describes the group's entries; its blockLength goes in the dimension.
  template <class B, class C, ByteOrder order>
  std::uint64_t beginGroup(std::size_t depth, std::uint64_t serial, std::size_t part,
                           std::size_t count, std::uint64_t max, const BlockInfo& entry) {
    if (enter(depth, serial) && depth + 1 < maxFrames_) [[likely]] {
      Frame& frame = frames_[depth];
      if (part == frame.nextPart && count <= max && sizeof(B) + sizeof(C) <= capacity_ - limit_)
          [[likely]] {
        frame.nextPart = part + 1;
        std::byte* at = data_ + limit_;
        store<B, order>(at, static_cast<B>(entry.blockLength));
        store<C, order>(at + sizeof(B), static_cast<C>(count));
        limit_ += sizeof(B) + sizeof(C);
        return pushGroup(depth, frame.block->parts[part], count, entry);
      }
    }
    return beginGroupSlow(depth, serial, part, count, entry);
  }
  // Starts the next entry of the group whose frame is at `depth`, whose entry
  // blocks are blockLength bytes: returns its block (zeroed) and sets *entrySerial.
  template <std::size_t blockLength>
  std::byte* nextEntry(std::size_t depth, std::uint64_t groupSerial, std::uint64_t* entrySerial) {
    if (depth <= depth_ && frames_[depth].groupSerial == groupSerial && closeCompleteFrames(depth))
        [[likely]] {
      Frame& frame = frames_[depth];
      if (frame.begun < frame.count &&
          (frame.begun == 0 || frame.nextPart == frame.block->partCount) &&
          blockLength <= capacity_ - limit_) [[likely]] {
        return startEntry(frame, blockLength, entrySerial);
      }
    }
    return nextEntrySlow(depth, groupSerial, entrySerial);
  }

  // Completes the message (every open group must have all its entries; parts not
  // written are written empty) and returns its length from the header on.
  std::size_t finish() {
    if (closeCompleteFrames(0) && frames_[0].nextPart == frames_[0].block->partCount) [[likely]] {
      return limit_;
    }
    return finishSlow();
  }
  // The bytes written so far from the header on, without completing anything.
  [[nodiscard]] std::size_t limit() const noexcept { return limit_; }

 private:
  // Whether the block at `depth` may begin a part at once: its current entry is
  // `serial`, and the frames above it are complete (then they are closed).
  [[nodiscard]] bool enter(std::size_t depth, std::uint64_t serial) noexcept {
    return depth <= depth_ && frames_[depth].entrySerial == serial && closeCompleteFrames(depth);
  }
  // Closes the frames above `depth` whose entries are all written, each with all
  // its parts; false at the first that is not (the slow paths complete or reject it).
  [[nodiscard]] bool closeCompleteFrames(std::size_t depth) noexcept {
    for (; depth_ > depth; --depth_) {
      const Frame& frame = frames_[depth_];
      if (frame.begun != frame.count ||
          (frame.begun > 0 && frame.nextPart != frame.block->partCount)) {
        return false;
      }
    }
    return true;
  }
  std::uint64_t pushGroup(std::size_t depth, const PartInfo& info, std::size_t count,
                          const BlockInfo& entry) noexcept {
    depth_ = depth + 1;
    Frame& frame = frames_[depth_];
    frame = Frame{};
    frame.block = &entry;
    frame.group = &info;
    frame.count = count;
    frame.groupSerial = ++serials_;
    frame.entrySerial = ~std::uint64_t{0};  // no entry yet
    return frame.groupSerial;
  }
  // The next entry of frame, which has one left and room for its block of
  // blockLength bytes (a constant where the generated code calls).
  std::byte* startEntry(Frame& frame, std::size_t blockLength,
                        std::uint64_t* entrySerial) noexcept {
    ++frame.begun;
    std::byte* block = data_ + limit_;
    limit_ += blockLength;
    std::memset(block, 0, blockLength);
    frame.nextPart = 0;
    frame.entrySerial = ++serials_;
    *entrySerial = frame.entrySerial;
    return block;
  }
  std::byte* beginVarSlow(std::size_t depth, std::uint64_t serial, std::size_t part,
                          std::size_t length);
  std::uint64_t beginGroupSlow(std::size_t depth, std::uint64_t serial, std::size_t part,
                               std::size_t count, const BlockInfo& entry);
  std::byte* nextEntrySlow(std::size_t depth, std::uint64_t groupSerial,
                           std::uint64_t* entrySerial);
  std::size_t finishSlow();
  void prepare(std::size_t depth, std::uint64_t serial, std::size_t part);
  void closeFramesAbove(std::size_t depth);
  void fillParts(std::size_t depth, std::size_t upTo);
  std::byte* reserve(std::size_t bytes, std::size_t depth, std::string_view field,
                     std::string_view what);
  void writeUnsigned(std::byte* at, std::size_t size, std::uint64_t value) const noexcept;
  [[nodiscard]] std::string path(std::size_t depth, std::string_view field) const;

  std::byte* data_;
  std::size_t capacity_;
  std::size_t limit_;
  ByteOrder order_;
  Frame* frames_;
  std::size_t maxFrames_;
  std::size_t depth_ = 0;  // index of the innermost open frame
  std::uint64_t serials_ = 0;
};

namespace detail {

template <std::size_t frames>
struct FrameStorage {
  std::array<EncoderState::Frame, frames> storage_;  // see Frame: opened frames are initialized
};

}  // namespace detail

// An EncoderState with room for `frames` nested levels (1 + the deepest group
// nesting). The frames are a base so that they exist before the state uses them.
template <std::size_t frames>
class EncoderStateStorage : private detail::FrameStorage<frames>, public EncoderState {
 public:
  EncoderStateStorage(std::byte* data, std::size_t capacity, std::size_t limit, ByteOrder order,
                      const BlockInfo& message) noexcept
      : EncoderState(data, capacity, limit, order, message, this->storage_.data(), frames) {}
};

// Throws EncodeError("<path>: <message>"), for the generated setters.
[[noreturn]] void throwEncodeError(std::string_view path, std::string_view message);
// The view is too small for a message's header and block.
[[noreturn]] void throwNoRoom(std::string_view message, std::size_t needed, std::size_t capacity);
// "<path>: <length> bytes do not fit in char[<n>]" and the like.
[[noreturn]] void throwTooLong(std::string_view path, std::size_t length, std::size_t capacity,
                               std::string_view type);

}  // namespace wirekit::codec
