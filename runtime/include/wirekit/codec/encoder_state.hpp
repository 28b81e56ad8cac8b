// SPDX-License-Identifier: Apache-2.0
#pragma once
// What generated encoders share: the write position after the block and the
// order in which groups and string/bytes fields are written.
//
// A message encoder owns an EncoderStateStorage: the write position, one cursor
// for the order (see EncoderState::partBits), and a frame per open group. The
// generated encoders know their frame, part indexes and lengths statically, an
// entry encoder keeps its generation, and a group encoder its count, index and
// the cursor it expects, so the usual case is a compare or two inline. Parts
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
#include <utility>

#include "wirekit/bytes/byte_order.hpp"
#include "wirekit/codec/unset_fields.hpp"
#include "wirekit/export.hpp"

namespace wirekit::codec {

enum class PartKind : std::uint8_t { group, string, bytes };

struct BlockInfo;

// One group or string/bytes field of a block, as the generated code describes it.
struct PartInfo {
  std::string_view name;
  PartKind kind;
  std::uint8_t lengthSize;       // string/bytes: the length prefix; group: the block length field
  std::uint8_t countSize;        // group: the count field
  std::uint64_t max;             // @max, else the largest value of the length or count type
  std::size_t entryBlockLength;  // group
  const BlockInfo* entry;        // group: its entries' block
  // group, a dimension with padding (SBE XML's dimension composites): where the
  // count sits and the dimension's bytes; 0 for the usual packed <B, C>.
  std::uint8_t countOffset = 0;
  std::uint8_t dimensionSize = 0;

  [[nodiscard]] constexpr std::size_t countAt() const noexcept {
    return countOffset != 0 ? countOffset : lengthSize;
  }
  [[nodiscard]] constexpr std::size_t dimensionBytes() const noexcept {
    return dimensionSize != 0 ? dimensionSize : std::size_t{lengthSize} + countSize;
  }
};

// A block owner (a message or a group's entries): its parts in schema order.
struct BlockInfo {
  std::string_view name;  // a group's: its path from the message ("Car.fuelFigures")
  const PartInfo* parts;
  std::size_t partCount;
  std::size_t blockLength;
  ByteOrder order;
};

// The state of one message's encoding, shared by its encoder and the group and
// entry encoders it gives: the write position, where the encoding is in the
// schema order (the cursor), and a frame per open group. The fast paths are in
// EncoderStateStorage, which holds the frames; this class has the out-of-line
// paths (skipped parts, groups left open, errors).
class WIREKIT_EXPORT EncoderState {
 public:
  // The cursor is one number: the generation of the innermost block being
  // written plus the index of its next part. The message's generation is 0; an
  // entry's is its block's offset in the view shifted left by partBits (unique:
  // an entry that has parts begins after the parts of the one before it are
  // written, so no two such entries share an offset; views are below 2^48
  // bytes). A group that has no entry yet is `groupBit` plus its owner's cursor
  // after it. Generated code compares the cursor with its generation plus a
  // part index it knows statically, so checking that a part, an entry or
  // encodedLength() comes in order is one compare.
  static constexpr unsigned partBits = 16;
  static constexpr std::uint64_t partMask = (std::uint64_t{1} << partBits) - 1;
  static constexpr std::uint64_t groupBit = std::uint64_t{1} << (partBits - 1);
  static constexpr std::size_t maxParts = groupBit - 1;  // parts of a block

  // An open group: frames 1..depth (the message, at depth 0, needs none). A
  // frame is written when its group is begun; frames above the innermost open
  // one keep what they had (only the out-of-line paths read them, as closed).
  // Which group it is follows from `parent`: part (parent & partMask) - 1 of the
  // owner's block.
  struct Frame {
    std::size_t count;     // the count written in the dimension
    std::size_t begun;     // how many next() calls so far
    std::uint64_t parent;  // the owner's cursor after the group (the group is parent | groupBit)
  };

  // What next() gives: the entry's block, its generation, and how many
  // entries of the group have been begun with it. (beginBlocks: where the
  // entries begin and the group's id.)
  struct Entry {
    std::byte* block;
    std::uint64_t generation;
    std::size_t index;
  };

  // What catchUpEntry() gives: where the next entry goes, how many entries of
  // its group the state has begun, and the cursor (the encoder that asked may
  // be a stale copy, whose index and expected cursor are not the state's).
  struct Resync {
    std::size_t position;
    std::size_t begun;
    std::uint64_t cursor;
  };

  // Copied by the out-of-line paths of an EncoderStateStorage, which run on a
  // copy of the state and its frames (see EncoderStateStorage::Snapshot).
  EncoderState(const EncoderState&) = default;
  // A copy of `state`, field by field with the fields that change as given (see
  // EncoderStateStorage::snapshot()).
  EncoderState(const EncoderState& state, std::size_t position, std::uint64_t cursor,
               std::size_t depth) noexcept
      : data_(state.data_),
        position_(position),
        capacity_(state.capacity_),
        message_(state.message_),
        cursor_(cursor),
        depth_(depth) {}
  EncoderState& operator=(const EncoderState&) = delete;
  ~EncoderState() = default;

  // The out-of-line paths, on a copy; `frames` are its frames (not kept in the
  // state, so that beginning a message does not store them).
  //
  // The catch-ups do what comes before part `part` of the block at frame
  // `depth` (generation `generation`) when the cursor is not there yet: close
  // the groups above it (EncodeError if one lacks entries) and write the
  // skipped parts empty. They return the position after that; the cursor is
  // then generation + part, and the innermost open frame `depth`.
  std::size_t catchUp(Frame* frames, std::size_t depth, std::uint64_t generation, std::size_t part);
  // The same before the next entry of the group `id` at frame `depth`: the
  // previous entry is completed, so the cursor is then its generation plus its
  // part count (the group's id before the first entry).
  // (`index` and `count`: what the encoder had, for the errors.)
  Resync catchUpEntry(Frame* frames, std::size_t depth, std::uint64_t id, std::size_t index,
                      std::size_t count, const BlockInfo& entry);
  // No way to catch up: what is wrong, as an EncodeError (length or count
  // beyond @max, no room, next() beyond the count or on a group no longer being
  // written).
  [[noreturn]] void failVar(Frame* frames, std::size_t depth, std::size_t part, std::size_t length);
  [[noreturn]] void failGroup(Frame* frames, std::size_t depth, std::size_t part,
                              std::size_t count);
  [[noreturn]] void failEntry(Frame* frames, std::size_t depth, std::uint64_t id, std::size_t index,
                              std::size_t count, const BlockInfo& entry);
  // The same before encodedLength(): closes the message's groups, writes its
  // skipped parts empty, and returns its length.
  std::size_t catchUpFinish(Frame* frames);

 protected:
  // A message of `message` whose block ends at `limit` in data[0, capacity).
  EncoderState(std::byte* data, std::size_t capacity, std::size_t limit,
               const BlockInfo& message) noexcept
      : data_(data), position_(limit), capacity_(capacity), message_(&message) {}
  // Opens `frame` (frame depth + 1) for a group of `count` (> 0) entries that
  // the block at `depth` has just begun (the cursor is past the group); returns
  // the group's id, which is the cursor until its first entry.
  std::uint64_t openGroup(Frame& frame, std::size_t depth, std::size_t count) noexcept {
    frame.count = count;
    frame.begun = 0;
    frame.parent = cursor_;
    depth_ = depth + 1;
    cursor_ |= groupBit;
    return cursor_;
  }

  // Offsets from data_, not pointers: the length encodedLength() returns is
  // then the position itself, also where a catch-up merges with the usual
  // path (a pointer minus data_ is not folded through that merge).
  std::byte* data_;
  std::size_t position_;  // where the next part or entry goes
  std::size_t capacity_;
  const BlockInfo* message_;
  std::uint64_t cursor_ = 0;  // see partBits
  std::size_t depth_ = 0;     // index of the innermost open frame

 private:
  [[nodiscard]] Frame& frame(std::size_t depth) const noexcept { return frames_[depth - 1]; }
  // The group of frame `depth` (>= 1), as a part of its owner's block.
  [[nodiscard]] const PartInfo& group(std::size_t depth) const noexcept {
    return block(depth - 1).parts[(frame(depth).parent & partMask) - 1];
  }
  [[nodiscard]] const BlockInfo& block(std::size_t depth) const noexcept {
    return depth == 0 ? *message_ : *group(depth).entry;
  }
  // The generation of the current entry of the block at `depth` (<= depth_).
  [[nodiscard]] std::uint64_t entryGeneration(std::size_t depth) const noexcept {
    return (depth == depth_ ? cursor_ : frame(depth + 1).parent) & ~partMask;
  }
  // Whether the group `id` at frame `depth` is still being written.
  [[nodiscard]] bool groupOpen(std::size_t depth, std::uint64_t id) const noexcept;
  [[noreturn]] void failClosedGroup(std::size_t depth, std::uint64_t id, std::size_t index,
                                    std::size_t count, const BlockInfo& entry) const;
  void closeFramesAbove(std::size_t depth);
  void fillParts(std::size_t upTo);
  std::byte* reserve(std::size_t bytes, std::size_t depth, std::string_view field,
                     std::string_view what);
  void writeUnsigned(std::byte* at, std::size_t size, std::uint64_t value) const noexcept;
  [[nodiscard]] std::string path(std::size_t depth, std::string_view field) const;
  [[nodiscard]] std::size_t offset() const noexcept { return position_; }
  [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }

  Frame* frames_ = nullptr;  // frames 1.., set by each out-of-line path to those it was given
};

// An EncoderState with room for `frames` nested levels (1 + the deepest group
// nesting), and the fast paths, inline. The generated code passes what it knows
// as template arguments: wire types, byte order, the frame (depth), the part
// index, @max, block lengths. The usual case (this part or entry is next, within
// @max, room enough) is a compare of the cursor, the bounds checks, and plain
// stores. Otherwise an out-of-line catch-up on a copy of the state writes what
// was skipped and gives back only the position, after which the cursor is
// known statically, or an out-of-line error throws; so the compiler may keep
// the position and cursor in registers and fold what follows.
template <std::size_t frames>
class EncoderStateStorage : public EncoderState {
 public:
  EncoderStateStorage(std::byte* data, std::size_t capacity, std::size_t limit,
                      const BlockInfo& message) noexcept
      : EncoderState(data, capacity, limit, message) {}
  EncoderStateStorage(const EncoderStateStorage&) = delete;
  EncoderStateStorage& operator=(const EncoderStateStorage&) = delete;
  ~EncoderStateStorage() = default;

  // Begins string/bytes part `part` of the block at frame `depth` through the
  // encoder of generation `generation`: writes the length (L), returns where
  // the bytes go.
  template <class L, ByteOrder order, std::size_t depth, std::size_t part, std::uint64_t max>
  std::byte* beginVar(std::uint64_t generation, std::size_t length) {
    static_assert(depth < frames && part < maxParts);
    if (cursor_ != generation + part) [[unlikely]] {
      catchUpTo<depth>(generation, part);
    }
    const std::size_t room = capacity_ - position_;
    bool fits = false;
    if constexpr (max <= SIZE_MAX - sizeof(L)) {
      fits = length + sizeof(L) <= room;  // no overflow once length <= max
    } else {
      fits = sizeof(L) <= room && length <= room - sizeof(L);
    }
    if (length > max || !fits) [[unlikely]] {
      varFailure(snapshot(), depth, part, length);
    }
    std::byte* at = data_ + position_;
    store<L, order>(at, static_cast<L>(length));
    position_ += sizeof(L) + length;
    cursor_ = generation + part + 1;
    return at + sizeof(L);
  }

  // Begins group `part` (entries of entryBlockLength bytes): writes the dimension (B, C) and,
  // unless count is 0, opens frame depth + 1 for the entries. Returns the group's id for its
  // encoder (0 for no entries), which is the cursor until its first entry.
  template <class B, class C, ByteOrder order, std::size_t depth, std::size_t part,
            std::uint64_t max, std::size_t entryBlockLength, std::size_t countAt = sizeof(B),
            std::size_t dimensionSize = countAt + sizeof(C)>
  std::uint64_t beginGroup(std::uint64_t generation, std::size_t count) {
    static_assert(depth + 1 < frames && part < maxParts);
    if (cursor_ != generation + part) [[unlikely]] {
      catchUpTo<depth>(generation, part);
    }
    if (count > max || dimensionSize > capacity_ - position_) [[unlikely]] {
      groupFailure(snapshot(), depth, part, count);
    }
    std::byte* at = data_ + position_;
    writeDimension<B, C, order, countAt, dimensionSize>(at, entryBlockLength, count);
    position_ += dimensionSize;
    cursor_ = generation + part + 1;
    if (count == 0) return 0;  // nothing to write: the group is complete
    return openGroup(storage_[depth], depth, count);
  }

  // beginGroup for a group whose entries have no parts (blocks only): the
  // room for all `count` entries (entryBlockLength bytes each) is checked and
  // reserved here, after the dimension, so nextBlock() needs no room check and
  // the cursor stays the group's id until the last entry is begun (the group
  // is then closed; an incomplete group is still an error at encodedLength()
  // or at the next part). Returns where the entries begin and the group's id.
  template <class B, class C, ByteOrder order, std::size_t depth, std::size_t part,
            std::uint64_t max, std::size_t entryBlockLength, std::size_t countAt = sizeof(B),
            std::size_t dimensionSize = countAt + sizeof(C)>
  Entry beginBlocks(std::uint64_t generation, std::size_t count) {
    static_assert(depth + 1 < frames && part < maxParts);
    if (cursor_ != generation + part) [[unlikely]] {
      catchUpTo<depth>(generation, part);
    }
    constexpr std::size_t dimension = dimensionSize;
    const std::size_t room = capacity_ - position_;
    bool fits = false;
    if constexpr (entryBlockLength == 0) {
      fits = dimension <= room;
    } else if constexpr (max <= (SIZE_MAX - dimension) / entryBlockLength) {
      fits = dimension + count * entryBlockLength <= room;  // no overflow once count <= max
    } else {
      fits = dimension <= room && count <= (room - dimension) / entryBlockLength;
    }
    if (count > max || !fits) [[unlikely]] {
      groupFailure(snapshot(), depth, part, count);
    }
    std::byte* at = data_ + position_;
    writeDimension<B, C, order, countAt, dimensionSize>(at, entryBlockLength, count);
    position_ += dimension + count * entryBlockLength;
    cursor_ = generation + part + 1;
    if (count == 0) return {at + dimension, 0, 0};  // nothing to write: the group is complete
    return {at + dimension, openGroup(storage_[depth], depth, count), 0};
  }

  // The next entry of a group begun with beginBlocks() (`group` its id), at
  // frame `depth`, whose encoder has begun `index` of `count` entries: that
  // entry's block is at `block`. `entry` is the entries' block, for the errors.
  template <std::size_t depth>
  Entry nextBlock(std::uint64_t group, std::byte* block, std::size_t index, std::size_t count,
                  const BlockInfo& entry) {
    static_assert(depth >= 1 && depth < frames);
    if (cursor_ != group || index >= count) [[unlikely]] {
      entryFailure(snapshot(), depth, group, index, count, entry);
    }
    storage_[depth - 1].begun = index + 1;
    return {block, group, index + 1};
  }

  // Starts the next entry (blockLength bytes) of the group `group` at frame
  // `depth`, whose encoder has begun `index` of `count` entries and expects the
  // cursor `expected` once the previous entry is complete (the group's id before
  // the first entry; else that entry's generation plus its part count).
  // `entry` is the entries' block, for the errors.
  template <std::size_t depth, std::size_t blockLength>
  Entry nextEntry(std::uint64_t group, std::uint64_t expected, std::size_t index, std::size_t count,
                  const BlockInfo& entry) {
    static_assert(depth >= 1 && depth < frames);
    if (cursor_ != expected) [[unlikely]] {
      const Resync resync = entryCatchUp(snapshot(), depth, group, index, count, entry);
      position_ = resync.position;
      index = resync.begun;
      cursor_ = resync.cursor;
      depth_ = depth;
    }
    if (index >= count || blockLength > capacity_ - position_) [[unlikely]] {
      entryFailure(snapshot(), depth, group, index, count, entry);
    }
    const std::size_t offset = position_;
    std::byte* block = data_ + offset;
    position_ = offset + blockLength;
    storage_[depth - 1].begun = index + 1;
    cursor_ = static_cast<std::uint64_t>(offset) << partBits;
    return {block, cursor_, index + 1};
  }

  // The group at frame `depth` is complete (its last entry has begun and has
  // written its last part): its owner continues. `lastPart`: the group is the
  // last part of its owner's block; then, if the owner is the last entry of its
  // group, that group is complete too (`outer`: the same flags for the owner's
  // group, and so on outwards).
  template <std::size_t depth, bool lastPart = false, bool... outer>
  void close() noexcept {
    static_assert(depth >= 1 && depth < frames);
    depth_ = depth - 1;
    cursor_ = storage_[depth - 1].parent;
    if constexpr (depth >= 2 && lastPart) {
      const Frame& owner = storage_[depth - 2];
      if (owner.begun == owner.count) close<depth - 1, outer...>();
    }
  }

  // Writes a block's fields that no setter wrote (a generated completeUnset).
  using CompleteFields = void (*)(std::byte* block, std::uint64_t unset) noexcept;

  // The entry at `block` is the one being written at frame `depth`, `unset`
  // its fields not yet written, `complete` how to write them when it is
  // complete. The entry that was being written at this depth (of this group
  // or another) is complete, and is completed first.
  template <std::size_t depth>
  void beginFields(std::byte* block, std::uint64_t unset, CompleteFields complete) noexcept {
    static_assert(depth >= 1 && depth < frames);
    PendingEntry& pending = pending_[depth - 1];
    completePending(pending);
    pending = {{block, unset}, complete};
  }
  // The unset fields of the entry being written at frame `depth`.
  template <std::size_t depth>
  [[nodiscard]] UnsetFields& unsetFields() noexcept {
    static_assert(depth >= 1 && depth < frames);
    return pending_[depth - 1].fields;
  }
  // Writes the unset fields of the entries still being written (the message
  // is complete).
  void completeEntries() noexcept { completeEach(std::make_index_sequence<frames - 1>{}); }

  // Completes the message, whose block has `parts` parts (every open group must
  // have all its entries; parts not written are written empty), and returns its
  // length from the header on.
  template <std::size_t parts>
  std::size_t finish() {
    if (cursor_ != parts) [[unlikely]] {
      position_ = finishCatchUp(snapshot());
      cursor_ = parts;
      depth_ = 0;
    }
    return position_;
  }

 private:
  // A group's dimension: the entry block length at 0, the count at countAt, and
  // any padding of a wider dimension zero.
  template <class B, class C, ByteOrder order, std::size_t countAt, std::size_t dimensionSize>
  static void writeDimension(std::byte* at, std::size_t entryBlockLength, std::size_t count) {
    if constexpr (dimensionSize != sizeof(B) + sizeof(C)) std::memset(at, 0, dimensionSize);
    store<B, order>(at, static_cast<B>(entryBlockLength));
    store<C, order>(at + countAt, static_cast<C>(count));
  }

  // The entry being written at a depth, until it is complete.
  struct PendingEntry {
    UnsetFields fields;
    CompleteFields complete = nullptr;  // called only while fields.bits != 0
  };
  static void completePending(PendingEntry& pending) noexcept {
    if (pending.fields.bits != 0) {
      pending.complete(pending.fields.block, pending.fields.bits);
      pending.fields.bits = 0;
    }
  }
  // Each by a constant index, not a loop: the compiler then keeps the entries
  // in registers, where it can fold the bits their setters cleared.
  template <std::size_t... depth>
  void completeEach(std::index_sequence<depth...> /*depths*/) noexcept {
    (completePending(pending_[depth]), ...);
  }

  // What the out-of-line paths run on: a copy of the state and its frames,
  // passed by value, so that the address of this state never escapes and the
  // compiler may keep its position and cursor in registers. A catch-up does
  // not change the frames (it only closes them), so only the position comes
  // back.
  struct Snapshot {
    EncoderState state;
    std::array<Frame, frames - 1> saved;
  };
  // Field by field: a copy of the whole object would keep it in memory.
  [[nodiscard, gnu::always_inline]] Snapshot snapshot() const noexcept {
    return {EncoderState(*this, position_, cursor_, depth_), storage_};
  }

  // Inline even on the cold path: a call would take this state's address.
  template <std::size_t depth>
  [[gnu::always_inline]] void catchUpTo(std::uint64_t generation, std::size_t part) {
    position_ = partCatchUp(snapshot(), depth, generation, part);
    cursor_ = generation + part;
    depth_ = depth;
  }

  [[gnu::noinline, gnu::cold]] static std::size_t partCatchUp(Snapshot copy, std::size_t depth,
                                                              std::uint64_t generation,
                                                              std::size_t part) {
    return copy.state.catchUp(copy.saved.data(), depth, generation, part);
  }
  [[gnu::noinline, gnu::cold]] static Resync entryCatchUp(Snapshot copy, std::size_t depth,
                                                          std::uint64_t group, std::size_t index,
                                                          std::size_t count,
                                                          const BlockInfo& entry) {
    return copy.state.catchUpEntry(copy.saved.data(), depth, group, index, count, entry);
  }
  [[gnu::noinline, gnu::cold]] static std::size_t finishCatchUp(Snapshot copy) {
    return copy.state.catchUpFinish(copy.saved.data());
  }
  [[noreturn, gnu::noinline, gnu::cold]] static void varFailure(Snapshot copy, std::size_t depth,
                                                                std::size_t part,
                                                                std::size_t length) {
    copy.state.failVar(copy.saved.data(), depth, part, length);
  }
  [[noreturn, gnu::noinline, gnu::cold]] static void groupFailure(Snapshot copy, std::size_t depth,
                                                                  std::size_t part,
                                                                  std::size_t count) {
    copy.state.failGroup(copy.saved.data(), depth, part, count);
  }
  [[noreturn, gnu::noinline, gnu::cold]] static void entryFailure(Snapshot copy, std::size_t depth,
                                                                  std::uint64_t group,
                                                                  std::size_t index,
                                                                  std::size_t count,
                                                                  const BlockInfo& entry) {
    copy.state.failEntry(copy.saved.data(), depth, group, index, count, entry);
  }

  std::array<Frame, frames - 1> storage_;  // frames 1.. (see Frame): opened ones are initialized
  // Frames 1..: not in the Snapshot, as no out-of-line path reads them.
  std::array<PendingEntry, frames - 1> pending_{};
};

// Throws EncodeError("<path>: <message>"), for the generated setters.
[[noreturn]] WIREKIT_EXPORT void throwEncodeError(std::string_view path, std::string_view message);
// The view is too small for a message's header and block.
[[noreturn]] WIREKIT_EXPORT void throwNoRoom(std::string_view message, std::size_t needed,
                                             std::size_t capacity);
// "<path>: <length> bytes do not fit in char[<n>]" and the like.
[[noreturn]] WIREKIT_EXPORT void throwTooLong(std::string_view path, std::size_t length,
                                              std::size_t capacity, std::string_view type);
// The same for text in char[capacity].
[[noreturn]] WIREKIT_EXPORT void throwTextTooLong(std::string_view path, std::size_t length,
                                                  std::size_t capacity);

}  // namespace wirekit::codec
