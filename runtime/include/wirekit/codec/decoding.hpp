// SPDX-License-Identifier: Apache-2.0
#pragma once
// What generated decoders share: the checked reads of a message's variable
// parts (group dimensions, length prefixes) and the DecodeError messages that
// name the field path and byte offset. Every check compares sizes; no pointer
// outside the view is ever formed.
//
// Invariant of every function here: pos <= size.

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "wirekit/bytes/byte_order.hpp"
#include "wirekit/export.hpp"

namespace wirekit::codec {

inline constexpr std::size_t noIndex = std::numeric_limits<std::size_t>::max();

// A step of a field path, kept on the stack while decode() walks a message:
// "Car", then "fuelFigures" with entry index 1, ...
struct PathNode {
  const PathNode* parent = nullptr;
  std::string_view name;
  std::size_t index = noIndex;
};

// "Car.fuelFigures[1].usageDescription" (field may be empty).
[[nodiscard]] WIREKIT_EXPORT std::string pathText(const PathNode* node,
                                                  std::string_view field = {});

// A group's dimension as read from the wire.
struct Dimension {
  std::size_t blockLength = 0;
  std::size_t count = 0;
  std::size_t entries = 0;  // offset of the first entry
};

namespace detail {

[[noreturn]] WIREKIT_EXPORT void throwPastEnd(const PathNode* path, std::string_view field,
                                              std::string_view what, std::size_t bytes,
                                              std::size_t offset, std::size_t size);
[[noreturn]] WIREKIT_EXPORT void throwShortBlock(const PathNode* path, std::string_view field,
                                                 std::string_view what, std::uint64_t blockLength,
                                                 std::size_t offset, std::size_t required,
                                                 std::uint64_t version);
[[noreturn]] WIREKIT_EXPORT void throwLengthPastEnd(const PathNode* path, std::string_view field,
                                                    std::uint64_t length, std::size_t offset,
                                                    std::size_t size);
[[noreturn]] WIREKIT_EXPORT void throwOverMax(const PathNode* path, std::string_view field,
                                              std::string_view what, std::uint64_t value,
                                              std::size_t offset, std::uint64_t max);
[[noreturn]] WIREKIT_EXPORT void throwEntriesPastEnd(const PathNode* path, std::string_view field,
                                                     std::size_t count, std::size_t blockLength,
                                                     std::size_t offset, std::size_t size);
[[noreturn]] WIREKIT_EXPORT void throwWrongId(std::string_view message, std::string_view what,
                                              std::uint64_t value, std::size_t offset,
                                              std::uint64_t expected);
[[noreturn]] WIREKIT_EXPORT void throwUnknownTemplate(std::string_view schema, std::uint64_t value,
                                                      std::size_t offset);

}  // namespace detail

// Checks that the header fits: "<name>: header of 8 bytes at byte 0 runs past the end (5 bytes)".
inline void checkHeader(std::size_t headerSize, std::size_t size, std::string_view name) {
  if (headerSize > size) [[unlikely]] {
    const PathNode root{nullptr, name};
    detail::throwPastEnd(&root, {}, "header", headerSize, 0, size);
  }
}

// Checks a message block: its wire length against what the acting version needs,
// then that it fits. Returns the offset just after it.
inline std::size_t checkMessageBlock(std::uint64_t blockLength, std::size_t lengthOffset,
                                     std::size_t required, std::uint64_t version, std::size_t pos,
                                     std::size_t size, const PathNode& path) {
  if (blockLength < required) [[unlikely]] {
    detail::throwShortBlock(&path, {}, "block length", blockLength, lengthOffset, required,
                            version);
  }
  if (blockLength > size - pos) [[unlikely]] {
    detail::throwPastEnd(&path, {}, "block", static_cast<std::size_t>(blockLength), pos, size);
  }
  return pos + static_cast<std::size_t>(blockLength);
}

// Reads and checks a group dimension at pos: it fits, the entry block length
// covers what the acting version needs, the count is within max.
// countAt, dimensionSize: a dimension with padding (SBE XML's dimension composites).
template <class B, class C, ByteOrder order, std::size_t countAt = sizeof(B),
          std::size_t dimensionSize = countAt + sizeof(C)>
[[nodiscard]] inline Dimension readDimension(const std::byte* data, std::size_t size,
                                             std::size_t pos, std::size_t required,
                                             std::uint64_t max, std::uint64_t version,
                                             const PathNode& parent, std::string_view group) {
  if (dimensionSize > size - pos) [[unlikely]] {
    detail::throwPastEnd(&parent, group, "group dimension", dimensionSize, pos, size);
  }
  Dimension dimension;
  dimension.blockLength = load<B, order>(data + pos);
  dimension.count = load<C, order>(data + pos + countAt);
  dimension.entries = pos + dimensionSize;
  if (dimension.blockLength < required) [[unlikely]] {
    detail::throwShortBlock(&parent, group, "entry block length", dimension.blockLength, pos,
                            required, version);
  }
  if (dimension.count > max) [[unlikely]] {
    detail::throwOverMax(&parent, group, "count", dimension.count, pos + countAt, max);
  }
  return dimension;
}

// For entries that are only a block: checks all of them at once (count times
// block length, without overflow; a multiplication, not a division, which
// costs tens of cycles) and returns the offset after the last.
[[nodiscard]] inline std::size_t skipEntries(const Dimension& dimension, std::size_t size,
                                             const PathNode& parent, std::string_view group) {
  std::size_t bytes = 0;
  if (__builtin_mul_overflow(dimension.count, dimension.blockLength, &bytes) ||
      bytes > size - dimension.entries) [[unlikely]] {
    detail::throwEntriesPastEnd(&parent, group, dimension.count, dimension.blockLength,
                                dimension.entries, size);
  }
  return dimension.entries + bytes;
}

// Checks one entry's block (for entries with parts of their own); returns the
// offset after it.
inline std::size_t checkEntryBlock(std::size_t blockLength, std::size_t pos, std::size_t size,
                                   const PathNode& entry) {
  if (blockLength > size - pos) [[unlikely]] {
    detail::throwPastEnd(&entry, {}, "block", blockLength, pos, size);
  }
  return pos + blockLength;
}

// Checks a string/bytes field at pos (its length prefix L, the @max and that the
// bytes fit); returns the offset after it.
template <class L, ByteOrder order>
[[nodiscard]] inline std::size_t skipVar(const std::byte* data, std::size_t size, std::size_t pos,
                                         std::uint64_t max, const PathNode& parent,
                                         std::string_view field) {
  if (sizeof(L) > size - pos) [[unlikely]] {
    detail::throwPastEnd(&parent, field, "length", sizeof(L), pos, size);
  }
  const std::uint64_t length = load<L, order>(data + pos);
  if (length > max) [[unlikely]] {
    detail::throwOverMax(&parent, field, "length", length, pos, max);
  }
  if (length > size - pos - sizeof(L)) [[unlikely]] {
    detail::throwLengthPastEnd(&parent, field, length, pos, size);
  }
  return pos + sizeof(L) + static_cast<std::size_t>(length);
}

// decode()'s usual path: the checks above without their error messages. Where
// one fails, these call Owner::fail_(data, size), which is out of line and cold:
// it runs the message's checks again with the functions above, which name the
// field path and byte offset in the DecodeError they throw. So the usual path
// builds no PathNode and passes no error arguments; it accepts exactly what the
// checks above accept.
//
// The check that the next part's head (its length prefix or group dimension)
// fits is made together with the check before it: `need` is that head's size,
// and `checked` tells a part that its own head was checked so.

// bytes + need > avail, without overflow.
[[nodiscard]] constexpr bool exceeds(std::uint64_t bytes, std::size_t need,
                                     std::size_t avail) noexcept {
  std::uint64_t total = 0;
  return __builtin_add_overflow(bytes, need, &total) || total > avail;
}

// A group dimension at pos (fits, entry block length, count within max).
template <class Owner, class B, class C, ByteOrder order, bool checked,
          std::size_t countAt = sizeof(B), std::size_t dimensionSize = countAt + sizeof(C)>
[[nodiscard]] inline Dimension scanDimension(const std::byte* data, std::size_t size,
                                             std::size_t pos, std::size_t required,
                                             std::uint64_t max) {
  if (!checked && dimensionSize > size - pos) [[unlikely]] {
    Owner::fail_(data, size);
  }
  Dimension dimension;
  dimension.blockLength = load<B, order>(data + pos);
  dimension.count = load<C, order>(data + pos + countAt);
  dimension.entries = pos + dimensionSize;
  if (dimension.blockLength < required || dimension.count > max) [[unlikely]] {
    Owner::fail_(data, size);
  }
  return dimension;
}

// All the entries of a group whose entries are only a block (as skipEntries).
template <class Owner, std::size_t need>
[[nodiscard]] inline std::size_t scanEntries(const std::byte* data, std::size_t size,
                                             const Dimension& dimension) {
  std::size_t bytes = 0;
  if (__builtin_mul_overflow(dimension.count, dimension.blockLength, &bytes) ||
      exceeds(bytes, need, size - dimension.entries)) [[unlikely]] {
    Owner::fail_(data, size);
  }
  return dimension.entries + bytes;
}

// One entry's block (as checkEntryBlock).
template <class Owner, std::size_t need>
[[nodiscard]] inline std::size_t scanBlock(const std::byte* data, std::size_t size,
                                           std::size_t blockLength, std::size_t pos) {
  if (exceeds(blockLength, need, size - pos)) [[unlikely]] {
    Owner::fail_(data, size);
  }
  return pos + blockLength;
}

// A string/bytes field at pos (as skipVar).
template <class Owner, class L, ByteOrder order, bool checked, std::size_t need>
[[nodiscard]] inline std::size_t scanVar(const std::byte* data, std::size_t size, std::size_t pos,
                                         std::uint64_t max) {
  if (!checked && sizeof(L) > size - pos) [[unlikely]] {
    Owner::fail_(data, size);
  }
  const std::uint64_t length = load<L, order>(data + pos);
  if (length > max || exceeds(length, need, size - pos - sizeof(L))) [[unlikely]] {
    Owner::fail_(data, size);
  }
  return pos + sizeof(L) + static_cast<std::size_t>(length);
}

}  // namespace wirekit::codec
