// SPDX-License-Identifier: Apache-2.0
#pragma once
// The hand-written baseline: flyweights written the way SBE's generated C++ is,
// memcpy plus a byte swap where the machine's order differs, one bounds check
// each time the position advances (header and block, group dimension, entry,
// length prefix and its bytes). They write the same bytes as wirekit's
// generated codecs and check what those check, so the two do the same work and
// their ratio measures only the generated code.

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <type_traits>

namespace bench::handwritten {

// Throws std::runtime_error; out of line so that checks cost a compare and a branch.
[[noreturn]] void fail(const char* what);

namespace detail {

template <class T>
using Bits = std::conditional_t<
    sizeof(T) == 1, std::uint8_t,
    std::conditional_t<sizeof(T) == 2, std::uint16_t,
                       std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>>>;

template <class U>
constexpr U swapBytes(U value) noexcept {
  if constexpr (sizeof(U) == 1) {
    return value;
  } else if constexpr (sizeof(U) == 2) {
    return __builtin_bswap16(value);
  } else if constexpr (sizeof(U) == 4) {
    return __builtin_bswap32(value);
  } else {
    return __builtin_bswap64(value);
  }
}

}  // namespace detail

template <class T>
[[nodiscard]] inline T loadLittle(const std::byte* at) noexcept {
  detail::Bits<T> bits;
  std::memcpy(&bits, at, sizeof bits);
  if constexpr (std::endian::native == std::endian::big) bits = detail::swapBytes(bits);
  return std::bit_cast<T>(bits);
}

template <class T>
inline void storeLittle(std::byte* at, T value) noexcept {
  auto bits = std::bit_cast<detail::Bits<T>>(value);
  if constexpr (std::endian::native == std::endian::big) bits = detail::swapBytes(bits);
  std::memcpy(at, &bits, sizeof bits);
}

// char[N]: the text without its NUL padding.
[[nodiscard]] inline std::string_view loadText(const std::byte* at, std::size_t size) noexcept {
  const char* text = reinterpret_cast<const char*>(at);
  while (size > 0 && text[size - 1] == '\0')
    --size;
  return {text, size};
}

// char[N]: the text, NUL-padded.
inline void storeText(std::byte* at, std::size_t size, std::string_view text) {
  if (text.size() > size) fail("text too long for its field");
  std::memcpy(at, text.data(), text.size());
  std::memset(at + text.size(), 0, size - text.size());
}

struct MessageHeader {
  static constexpr std::size_t size = 8;
  std::uint16_t blockLength;
  std::uint16_t templateId;
  std::uint16_t schemaId;
  std::uint16_t version;
};

// Where a message encoder and its group encoders write next (SBE's shared position).
class WriteCursor {
 public:
  // Writes the header; the block follows it.
  WriteCursor(std::byte* buffer, std::size_t capacity, const MessageHeader& header)
      : buffer_(buffer), capacity_(capacity) {
    std::byte* at = reserve(MessageHeader::size + header.blockLength);
    storeLittle(at, header.blockLength);
    storeLittle(at + 2, header.templateId);
    storeLittle(at + 4, header.schemaId);
    storeLittle(at + 6, header.version);
  }

  [[nodiscard]] std::byte* reserve(std::size_t bytes) {
    if (bytes > capacity_ - position_) fail("no room in the buffer");
    std::byte* at = buffer_ + position_;
    position_ += bytes;
    return at;
  }

  // string/bytes with a u32 length prefix.
  void putVar(const void* data, std::size_t size) {
    if (size > UINT32_MAX) fail("too long for a u32 length");
    std::byte* at = reserve(4 + size);
    storeLittle(at, static_cast<std::uint32_t>(size));
    std::memcpy(at + 4, data, size);
  }
  void putVar(std::string_view text) { putVar(text.data(), text.size()); }

  [[nodiscard]] std::byte* block() const noexcept { return buffer_ + MessageHeader::size; }
  [[nodiscard]] std::size_t position() const noexcept { return position_; }

 private:
  std::byte* buffer_;
  std::size_t capacity_;
  std::size_t position_ = 0;
};

// A group being written: its dimension, then exactly count entries.
template <class Count>
class GroupWriter {
 public:
  GroupWriter(WriteCursor& cursor, std::uint16_t blockLength, std::size_t count)
      : cursor_(&cursor), blockLength_(blockLength), count_(count) {
    if (count > Count(~Count{0})) fail("too many entries for the group's count");
    std::byte* at = cursor.reserve(2 + sizeof(Count));
    storeLittle(at, blockLength);
    storeLittle(at + 2, static_cast<Count>(count));
  }

  // The next entry's block.
  [[nodiscard]] std::byte* next() {
    if (index_ == count_) fail("more entries than the group's count");
    ++index_;
    return cursor_->reserve(blockLength_);
  }

 private:
  WriteCursor* cursor_;
  std::size_t blockLength_;
  std::size_t count_;
  std::size_t index_ = 0;
};

// Where a message decoder and its group decoders read next.
class ReadCursor {
 public:
  // Checks the header against the message's ids and block length; the block follows it.
  ReadCursor(const std::byte* buffer, std::size_t length, const MessageHeader& expected)
      : buffer_(buffer), length_(length) {
    const std::byte* header = take(MessageHeader::size);
    const auto blockLength = loadLittle<std::uint16_t>(header);
    if (loadLittle<std::uint16_t>(header + 2) != expected.templateId) fail("wrong template id");
    if (loadLittle<std::uint16_t>(header + 4) != expected.schemaId) fail("wrong schema id");
    if (blockLength < expected.blockLength) fail("block length too short");
    static_cast<void>(take(blockLength));
  }

  [[nodiscard]] const std::byte* take(std::size_t bytes) {
    if (bytes > length_ - position_) fail("runs past the end");
    const std::byte* at = buffer_ + position_;
    position_ += bytes;
    return at;
  }

  // string/bytes with a u32 length prefix.
  [[nodiscard]] std::string_view getVar() {
    const std::uint32_t size = loadLittle<std::uint32_t>(take(4));
    return {reinterpret_cast<const char*>(take(size)), size};
  }

  [[nodiscard]] const std::byte* block() const noexcept { return buffer_ + MessageHeader::size; }
  [[nodiscard]] std::size_t position() const noexcept { return position_; }

 private:
  const std::byte* buffer_;
  std::size_t length_;
  std::size_t position_ = 0;
};

// A group being read: its dimension, then its entries in order.
template <class Count>
class GroupReader {
 public:
  GroupReader(ReadCursor& cursor, std::uint16_t minimumBlockLength) : cursor_(&cursor) {
    const std::byte* at = cursor.take(2 + sizeof(Count));
    blockLength_ = loadLittle<std::uint16_t>(at);
    count_ = loadLittle<Count>(at + 2);
    if (blockLength_ < minimumBlockLength) fail("entry block length too short");
  }

  [[nodiscard]] std::size_t count() const noexcept { return count_; }
  [[nodiscard]] bool hasNext() const noexcept { return index_ < count_; }
  // The next entry's block.
  [[nodiscard]] const std::byte* next() {
    ++index_;
    return cursor_->take(blockLength_);
  }

 private:
  ReadCursor* cursor_;
  std::size_t blockLength_;
  std::size_t count_;
  std::size_t index_ = 0;
};

}  // namespace bench::handwritten
