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
  struct Frame {
    const BlockInfo* block = nullptr;
    const PartInfo* group = nullptr;  // for entry frames: the group they belong to
    std::size_t nextPart = 0;         // the first part of the current block not yet begun
    std::size_t count = 0;            // entry frames: the count written in the dimension
    std::size_t begun = 0;            // entry frames: how many next() calls so far
    std::uint64_t groupSerial = 0;
    std::uint64_t entrySerial = 0;
  };

  // A message of `message` whose block starts at `limit` - blockLength in data[0, capacity).
  EncoderState(std::byte* data, std::size_t capacity, std::size_t limit, ByteOrder order,
               const BlockInfo& message, Frame* frames, std::size_t maxFrames) noexcept;
  EncoderState(const EncoderState&) = delete;
  EncoderState& operator=(const EncoderState&) = delete;

  // Begins part `part` of the block at frame `depth` (whose current entry has
  // serial `serial`; 0 for the message). Completes deeper frames and skipped
  // parts, writes the count or length, and for a group pushes a frame for its
  // entries. Returns where the bytes of a string/bytes field go, or (for a
  // group) nullptr; the group's frame serial is then groupSerial(depth + 1).
  std::byte* beginVar(std::size_t depth, std::uint64_t serial, std::size_t part,
                      std::size_t length);
  std::uint64_t beginGroup(std::size_t depth, std::uint64_t serial, std::size_t part,
                           std::size_t count, const BlockInfo& entry);
  // Starts the next entry of the group whose frame is at `depth`: returns its
  // block (zeroed) and sets *entrySerial.
  std::byte* nextEntry(std::size_t depth, std::uint64_t groupSerial, std::uint64_t* entrySerial);

  // Completes the message (every open group must have all its entries; parts not
  // written are written empty) and returns its length from the header on.
  std::size_t finish();
  // The bytes written so far from the header on, without completing anything.
  [[nodiscard]] std::size_t limit() const noexcept { return limit_; }

 private:
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
  std::array<EncoderState::Frame, frames> storage_{};
};

}  // namespace detail

// An EncoderState with room for `frames` nested levels (1 + the deepest group
// nesting). The frames are a base so that they exist before the state uses them.
template <std::size_t frames>
class EncoderStateStorage : private detail::FrameStorage<frames>, public EncoderState {
 public:
  EncoderStateStorage(std::byte* data, std::size_t capacity, std::size_t limit, ByteOrder order,
                      const BlockInfo& message) noexcept
      : detail::FrameStorage<frames>(),
        EncoderState(data, capacity, limit, order, message, this->storage_.data(), frames) {}
};

// Throws EncodeError("<path>: <message>"), for the generated setters.
[[noreturn]] void throwEncodeError(std::string_view path, std::string_view message);
// The view is too small for a message's header and block.
[[noreturn]] void throwNoRoom(std::string_view message, std::size_t needed, std::size_t capacity);
// "<path>: <length> bytes do not fit in char[<n>]" and the like.
[[noreturn]] void throwTooLong(std::string_view path, std::size_t length, std::size_t capacity,
                               std::string_view type);

}  // namespace wirekit::codec
