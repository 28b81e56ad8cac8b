// SPDX-License-Identifier: Apache-2.0
#pragma once
// Buffer: Node's Buffer in C++. A Buffer owns (shares) the ArrayBuffer behind
// it, so a Buffer can outlive the code that made it: stream chunks and frames are
// Buffers. subarray() shares bytes; from(ArrayBuffer) shares them; everything
// else that makes a Buffer copies. Small allocUnsafe() and from() Buffers are
// carved from a shared 8 KiB pool as in Node, so byteOffset() is often not 0.
//
// Constness is deep: a const Buffer cannot be written through.

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include <fmt/core.h>

#include "wirekit/bytes/array_buffer.hpp"
#include "wirekit/bytes/byte_order.hpp"
#include "wirekit/bytes/detail/byte_window.hpp"
#include "wirekit/bytes/encoding.hpp"
#include "wirekit/bytes/typed_array.hpp"
#include "wirekit/export.hpp"

namespace wirekit {

class WIREKIT_EXPORT Buffer {
 public:
  // Node's buffer.constants / Buffer.poolSize.
  static constexpr std::size_t poolSize = std::size_t{8} * 1024;
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

  // An empty Buffer.
  Buffer() noexcept = default;
  Buffer(const Buffer&) = default;
  Buffer& operator=(const Buffer&) = default;
  // A moved-from Buffer is empty.
  // Inline: chunks and frames move through streams by the million.
  Buffer(Buffer&& other) noexcept
      : owner_(std::move(other.owner_)), window_(std::exchange(other.window_, {})) {}
  Buffer& operator=(Buffer&& other) noexcept {
    owner_ = std::move(other.owner_);
    window_ = std::exchange(other.window_, {});
    return *this;
  }
  ~Buffer() = default;

  // size zero bytes (or bytes set to fill), never from the pool.
  [[nodiscard]] static Buffer alloc(std::size_t size);
  [[nodiscard]] static Buffer alloc(std::size_t size, std::uint8_t fill);
  [[nodiscard]] static Buffer alloc(std::size_t size, std::string_view fill,
                                    Encoding encoding = Encoding::utf8);
  // size bytes that are not zeroed; from the pool when 0 < size < poolSize / 2.
  [[nodiscard]] static Buffer allocUnsafe(std::size_t size);
  // size bytes that are not zeroed, never from the pool.
  [[nodiscard]] static Buffer allocUnsafeSlow(std::size_t size);

  // Copies of the given bytes.
  [[nodiscard]] static Buffer from(std::initializer_list<std::uint8_t> bytes);
  [[nodiscard]] static Buffer from(std::span<const std::byte> bytes);
  [[nodiscard]] static Buffer from(std::span<const std::uint8_t> bytes);
  [[nodiscard]] static Buffer from(const Buffer& other);
  [[nodiscard]] static Buffer from(const Uint8Array& bytes);
  // Shares the buffer's bytes [byteOffset, byteOffset + length), without copying;
  // the length is fixed then, even over a resizable buffer, as in Node.
  // RangeError if that is not inside the buffer; TypeError if it is detached.
  [[nodiscard]] static Buffer from(const ArrayBuffer& buffer, std::size_t byteOffset = 0,
                                   std::size_t length = npos);
  // The bytes of text in encoding.
  [[nodiscard]] static Buffer from(std::string_view text, Encoding encoding = Encoding::utf8);
  [[nodiscard]] static Buffer from(const char* text, Encoding encoding = Encoding::utf8) {
    return from(std::string_view(text), encoding);
  }

  // The buffers one after another, in a new Buffer (of totalLength bytes: cut, or
  // zero-filled past the end of the list).
  [[nodiscard]] static Buffer concat(std::span<const Buffer> list);
  [[nodiscard]] static Buffer concat(std::span<const Buffer> list, std::size_t totalLength);
  [[nodiscard]] static Buffer concat(std::initializer_list<Buffer> list) {
    return concat(std::span<const Buffer>(list.begin(), list.size()));
  }
  // -1, 0 or 1, comparing bytes as unsigned then by length (Buffer.compare).
  [[nodiscard]] static int compare(const Buffer& a, const Buffer& b) noexcept;
  [[nodiscard]] static std::size_t byteLength(std::string_view text,
                                              Encoding encoding = Encoding::utf8) {
    return encodedLength(text, encoding);
  }
  [[nodiscard]] static bool isEncoding(std::string_view name) noexcept;

  // 0 once the ArrayBuffer behind it is detached or has shrunk below this Buffer.
  [[nodiscard]] std::size_t length() const noexcept { return window_.byteLength(); }
  [[nodiscard]] std::size_t byteLength() const noexcept { return window_.byteLength(); }
  [[nodiscard]] std::size_t size() const noexcept { return window_.byteLength(); }
  [[nodiscard]] bool empty() const noexcept { return length() == 0; }
  [[nodiscard]] std::size_t byteOffset() const noexcept { return window_.byteOffset(); }
  // The ArrayBuffer this Buffer views (for a pooled Buffer, the whole pool).
  [[nodiscard]] ArrayBuffer buffer() const;

  [[nodiscard]] std::byte* data() noexcept { return window_.data(); }
  [[nodiscard]] const std::byte* data() const noexcept { return window_.data(); }
  [[nodiscard]] std::span<std::byte> bytes() noexcept { return {data(), length()}; }
  [[nodiscard]] std::span<const std::byte> bytes() const noexcept { return {data(), length()}; }
  [[nodiscard]] std::uint8_t* begin() noexcept { return reinterpret_cast<std::uint8_t*>(data()); }
  [[nodiscard]] std::uint8_t* end() noexcept { return begin() + length(); }
  [[nodiscard]] const std::uint8_t* begin() const noexcept {
    return reinterpret_cast<const std::uint8_t*>(data());
  }
  [[nodiscard]] const std::uint8_t* end() const noexcept { return begin() + length(); }
  // Unchecked, like std::span.
  [[nodiscard]] std::uint8_t& operator[](std::size_t index) noexcept { return begin()[index]; }
  [[nodiscard]] std::uint8_t operator[](std::size_t index) const noexcept { return begin()[index]; }
  // In Node a Buffer is a Uint8Array; here it converts to one (a view of the same bytes).
  operator Uint8Array() const;  // NOLINT(google-explicit-constructor)

  // A Buffer sharing bytes [start, end) of this one; negative indices count from the end.
  [[nodiscard]] Buffer subarray(std::ptrdiff_t start = 0, std::ptrdiff_t end = toEnd) const;

  [[nodiscard]] bool equals(const Buffer& other) const noexcept {
    return compare(*this, other) == 0;
  }
  // Compares bytes [sourceStart, sourceEnd) of this with [targetStart, targetEnd) of
  // target. RangeError for an end past its Buffer; a start at or past its end is an
  // empty range, as in Node.
  [[nodiscard]] int compare(const Buffer& target, std::size_t targetStart = 0,
                            std::size_t targetEnd = npos, std::size_t sourceStart = 0,
                            std::size_t sourceEnd = npos) const;
  // Copies bytes [sourceStart, sourceEnd) into target from targetStart, as much as
  // fits; correct when both share bytes. Returns the number of bytes copied.
  // RangeError if sourceStart is past the end.
  std::size_t copy(Buffer& target, std::size_t targetStart = 0, std::size_t sourceStart = 0,
                   std::size_t sourceEnd = npos) const;

  // Sets [offset, end) to value. RangeError if end is past the end; an offset at or
  // past end fills nothing, as in Node.
  Buffer& fill(std::uint8_t value, std::size_t offset = 0, std::size_t end = npos);
  // Repeats the bytes of value in encoding over [offset, end); TypeError if value
  // has no bytes in encoding (invalid hex, say).
  Buffer& fill(std::string_view value, std::size_t offset = 0, std::size_t end = npos,
               Encoding encoding = Encoding::utf8);

  // The first index at or after byteOffset (negative: from the end) where the
  // value starts, or -1.
  [[nodiscard]] std::ptrdiff_t indexOf(std::uint8_t value, std::ptrdiff_t byteOffset = 0) const;
  [[nodiscard]] std::ptrdiff_t indexOf(const Buffer& value, std::ptrdiff_t byteOffset = 0) const;
  [[nodiscard]] std::ptrdiff_t indexOf(std::string_view value, std::ptrdiff_t byteOffset = 0,
                                       Encoding encoding = Encoding::utf8) const;
  // The last index at or before byteOffset (negative: from the end) where the value
  // starts, or -1.
  [[nodiscard]] std::ptrdiff_t lastIndexOf(std::uint8_t value,
                                           std::ptrdiff_t byteOffset = toEnd) const;
  [[nodiscard]] std::ptrdiff_t lastIndexOf(const Buffer& value,
                                           std::ptrdiff_t byteOffset = toEnd) const;
  [[nodiscard]] std::ptrdiff_t lastIndexOf(std::string_view value,
                                           std::ptrdiff_t byteOffset = toEnd,
                                           Encoding encoding = Encoding::utf8) const;
  template <class V>
  [[nodiscard]] bool includes(const V& value, std::ptrdiff_t byteOffset = 0) const {
    return indexOf(value, byteOffset) >= 0;
  }

  // Bytes [start, end) as text in encoding (clamped to the Buffer, as in Node).
  [[nodiscard]] std::string toString(Encoding encoding = Encoding::utf8, std::size_t start = 0,
                                     std::size_t end = npos) const;
  // Writes text in encoding from offset, at most length bytes and never a partial
  // character; returns the number of bytes written. RangeError if offset or length
  // is past the end.
  std::size_t write(std::string_view text, std::size_t offset = 0, std::size_t length = npos,
                    Encoding encoding = Encoding::utf8);
  std::size_t write(std::string_view text, Encoding encoding) {
    return write(text, 0, npos, encoding);
  }

  // Swaps the byte order of each 2-, 4- or 8-byte unit in place. RangeError if the
  // length is not a multiple of the unit.
  Buffer& swap16();
  Buffer& swap32();
  Buffer& swap64();

  // Reads, with Node's RangeErrors ("The value of "offset" is out of range. It must
  // be >= 0 and <= 4. Received 5").
  [[nodiscard]] std::uint8_t readUInt8(std::size_t offset = 0) const {
    return read<std::uint8_t, ByteOrder::little>(offset);
  }
  [[nodiscard]] std::int8_t readInt8(std::size_t offset = 0) const {
    return read<std::int8_t, ByteOrder::little>(offset);
  }
  [[nodiscard]] std::uint16_t readUInt16LE(std::size_t offset = 0) const {
    return read<std::uint16_t, ByteOrder::little>(offset);
  }
  [[nodiscard]] std::uint16_t readUInt16BE(std::size_t offset = 0) const {
    return read<std::uint16_t, ByteOrder::big>(offset);
  }
  [[nodiscard]] std::int16_t readInt16LE(std::size_t offset = 0) const {
    return read<std::int16_t, ByteOrder::little>(offset);
  }
  [[nodiscard]] std::int16_t readInt16BE(std::size_t offset = 0) const {
    return read<std::int16_t, ByteOrder::big>(offset);
  }
  [[nodiscard]] std::uint32_t readUInt32LE(std::size_t offset = 0) const {
    return read<std::uint32_t, ByteOrder::little>(offset);
  }
  [[nodiscard]] std::uint32_t readUInt32BE(std::size_t offset = 0) const {
    return read<std::uint32_t, ByteOrder::big>(offset);
  }
  [[nodiscard]] std::int32_t readInt32LE(std::size_t offset = 0) const {
    return read<std::int32_t, ByteOrder::little>(offset);
  }
  [[nodiscard]] std::int32_t readInt32BE(std::size_t offset = 0) const {
    return read<std::int32_t, ByteOrder::big>(offset);
  }
  [[nodiscard]] std::uint64_t readBigUInt64LE(std::size_t offset = 0) const {
    return read<std::uint64_t, ByteOrder::little>(offset);
  }
  [[nodiscard]] std::uint64_t readBigUInt64BE(std::size_t offset = 0) const {
    return read<std::uint64_t, ByteOrder::big>(offset);
  }
  [[nodiscard]] std::int64_t readBigInt64LE(std::size_t offset = 0) const {
    return read<std::int64_t, ByteOrder::little>(offset);
  }
  [[nodiscard]] std::int64_t readBigInt64BE(std::size_t offset = 0) const {
    return read<std::int64_t, ByteOrder::big>(offset);
  }
  [[nodiscard]] float readFloatLE(std::size_t offset = 0) const {
    return read<float, ByteOrder::little>(offset);
  }
  [[nodiscard]] float readFloatBE(std::size_t offset = 0) const {
    return read<float, ByteOrder::big>(offset);
  }
  [[nodiscard]] double readDoubleLE(std::size_t offset = 0) const {
    return read<double, ByteOrder::little>(offset);
  }
  [[nodiscard]] double readDoubleBE(std::size_t offset = 0) const {
    return read<double, ByteOrder::big>(offset);
  }
  // byteLength (1 to 6) bytes as an unsigned or two's-complement integer.
  [[nodiscard]] std::uint64_t readUIntLE(std::size_t offset, std::size_t byteLength) const;
  [[nodiscard]] std::uint64_t readUIntBE(std::size_t offset, std::size_t byteLength) const;
  [[nodiscard]] std::int64_t readIntLE(std::size_t offset, std::size_t byteLength) const;
  [[nodiscard]] std::int64_t readIntBE(std::size_t offset, std::size_t byteLength) const;

  // Writes, returning offset + the bytes written. Values are checked against the
  // type's range as Node checks them ("The value of "value" is out of range. It
  // must be >= 0 and <= 255. Received 256").
  std::size_t writeUInt8(std::int64_t value, std::size_t offset = 0) {
    return write<std::uint8_t, ByteOrder::little>(value, offset);
  }
  std::size_t writeInt8(std::int64_t value, std::size_t offset = 0) {
    return write<std::int8_t, ByteOrder::little>(value, offset);
  }
  std::size_t writeUInt16LE(std::int64_t value, std::size_t offset = 0) {
    return write<std::uint16_t, ByteOrder::little>(value, offset);
  }
  std::size_t writeUInt16BE(std::int64_t value, std::size_t offset = 0) {
    return write<std::uint16_t, ByteOrder::big>(value, offset);
  }
  std::size_t writeInt16LE(std::int64_t value, std::size_t offset = 0) {
    return write<std::int16_t, ByteOrder::little>(value, offset);
  }
  std::size_t writeInt16BE(std::int64_t value, std::size_t offset = 0) {
    return write<std::int16_t, ByteOrder::big>(value, offset);
  }
  std::size_t writeUInt32LE(std::int64_t value, std::size_t offset = 0) {
    return write<std::uint32_t, ByteOrder::little>(value, offset);
  }
  std::size_t writeUInt32BE(std::int64_t value, std::size_t offset = 0) {
    return write<std::uint32_t, ByteOrder::big>(value, offset);
  }
  std::size_t writeInt32LE(std::int64_t value, std::size_t offset = 0) {
    return write<std::int32_t, ByteOrder::little>(value, offset);
  }
  std::size_t writeInt32BE(std::int64_t value, std::size_t offset = 0) {
    return write<std::int32_t, ByteOrder::big>(value, offset);
  }
  std::size_t writeBigUInt64LE(std::uint64_t value, std::size_t offset = 0) {
    return write<std::uint64_t, ByteOrder::little>(value, offset);
  }
  std::size_t writeBigUInt64BE(std::uint64_t value, std::size_t offset = 0) {
    return write<std::uint64_t, ByteOrder::big>(value, offset);
  }
  std::size_t writeBigInt64LE(std::int64_t value, std::size_t offset = 0) {
    return write<std::int64_t, ByteOrder::little>(value, offset);
  }
  std::size_t writeBigInt64BE(std::int64_t value, std::size_t offset = 0) {
    return write<std::int64_t, ByteOrder::big>(value, offset);
  }
  std::size_t writeFloatLE(double value, std::size_t offset = 0);
  std::size_t writeFloatBE(double value, std::size_t offset = 0);
  std::size_t writeDoubleLE(double value, std::size_t offset = 0) {
    return write<double, ByteOrder::little>(value, offset);
  }
  std::size_t writeDoubleBE(double value, std::size_t offset = 0) {
    return write<double, ByteOrder::big>(value, offset);
  }
  std::size_t writeUIntLE(std::int64_t value, std::size_t offset, std::size_t byteLength);
  std::size_t writeUIntBE(std::int64_t value, std::size_t offset, std::size_t byteLength);
  std::size_t writeIntLE(std::int64_t value, std::size_t offset, std::size_t byteLength);
  std::size_t writeIntBE(std::int64_t value, std::size_t offset, std::size_t byteLength);

 private:
  Buffer(std::shared_ptr<detail::BufferStorage> owner, detail::ByteWindow window) noexcept
      : owner_(std::move(owner)), window_(window) {}
  static Buffer whole(const ArrayBuffer& buffer, std::size_t byteOffset, std::size_t length);

  template <WireNumber T, ByteOrder order>
  T read(std::size_t offset) const {
    const std::size_t available = length();
    if (available < sizeof(T) || offset > available - sizeof(T)) [[unlikely]] {
      throwReadOutOfRange(offset, sizeof(T));
    }
    return load<T, order>(data() + offset);
  }

  template <WireNumber T, ByteOrder order, class V>
  std::size_t write(V value, std::size_t offset) {
    if constexpr (std::is_integral_v<T> && sizeof(T) < 8) {
      if (value < static_cast<V>(std::numeric_limits<T>::min()) ||
          value > static_cast<V>(std::numeric_limits<T>::max())) [[unlikely]] {
        throwValueOutOfRange(static_cast<std::int64_t>(value), sizeof(T), std::is_signed_v<T>);
      }
    }
    const std::size_t available = length();
    if (available < sizeof(T) || offset > available - sizeof(T)) [[unlikely]] {
      throwReadOutOfRange(offset, sizeof(T));
    }
    store<T, order>(data() + offset, static_cast<T>(value));
    return offset + sizeof(T);
  }

  [[noreturn]] void throwReadOutOfRange(std::size_t offset, std::size_t size) const;
  [[noreturn]] static void throwValueOutOfRange(std::int64_t value, std::size_t size,
                                                bool isSigned);

  std::shared_ptr<detail::BufferStorage> owner_;
  detail::ByteWindow window_;
};

}  // namespace wirekit

// Prints as Node's console.log does: <Buffer 01 02 03 04>, at most 50 bytes, then
// "... N more bytes".
template <>
struct WIREKIT_EXPORT fmt::formatter<wirekit::Buffer> {
  constexpr auto parse(format_parse_context& context) { return context.begin(); }
  format_context::iterator format(const wirekit::Buffer& buffer, format_context& context) const;
};
