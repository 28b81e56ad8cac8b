// SPDX-License-Identifier: Apache-2.0
#pragma once
// DataView: read and write any number at any byte offset, in either byte order,
// as in JavaScript (big-endian unless littleEndian is true; no alignment
// requirement; out of range throws RangeError). A DataView is a view: a pointer
// and a length, cheap to copy; it does not keep its ArrayBuffer alive.

#include <cstddef>
#include <cstdint>
#include <span>

#include "wirekit/bytes/array_buffer.hpp"
#include "wirekit/bytes/byte_order.hpp"
#include "wirekit/bytes/detail/byte_window.hpp"
#include "wirekit/export.hpp"

namespace wirekit {

class WIREKIT_EXPORT DataView {
 public:
  // An empty view.
  DataView() noexcept = default;
  // The whole buffer; over a resizable buffer the view follows its length.
  explicit DataView(const ArrayBuffer& buffer);
  // From byteOffset to the end of the buffer. RangeError if byteOffset is past the end.
  DataView(const ArrayBuffer& buffer, std::size_t byteOffset);
  // [byteOffset, byteOffset + byteLength). RangeError if that is not inside the buffer.
  DataView(const ArrayBuffer& buffer, std::size_t byteOffset, std::size_t byteLength);
  // Memory that wirekit does not manage, such as a stack array or a socket buffer.
  explicit DataView(std::span<std::byte> bytes) noexcept : window_(bytes.data(), bytes.size()) {}

  // 0 once the buffer is detached or has shrunk below the view.
  [[nodiscard]] std::size_t byteLength() const noexcept { return window_.byteLength(); }
  [[nodiscard]] std::size_t byteOffset() const noexcept { return window_.byteOffset(); }
  // The viewed ArrayBuffer. TypeError for a view of external memory.
  [[nodiscard]] ArrayBuffer buffer() const;
  // The first viewed byte; valid for byteLength() bytes.
  [[nodiscard]] std::byte* data() const noexcept { return window_.data(); }

  // A view of [byteOffset, byteOffset + byteLength) of this view. RangeError if
  // that is not inside it.
  [[nodiscard]] DataView subview(std::size_t byteOffset, std::size_t byteLength) const;

  // Checked access for any wire number in a byte order chosen at run time.
  template <WireNumber T>
  [[nodiscard]] T get(std::size_t byteOffset, ByteOrder order, const char* method = "get") const {
    return load<T>(checkedAt(byteOffset, sizeof(T), method), order);
  }
  template <WireNumber T>
  void set(std::size_t byteOffset, T value, ByteOrder order, const char* method = "set") const {
    store<T>(checkedAt(byteOffset, sizeof(T), method), value, order);
  }

  [[nodiscard]] std::int8_t getInt8(std::size_t byteOffset) const {
    return get<std::int8_t>(byteOffset, ByteOrder::big, "getInt8");
  }
  [[nodiscard]] std::uint8_t getUint8(std::size_t byteOffset) const {
    return get<std::uint8_t>(byteOffset, ByteOrder::big, "getUint8");
  }
  [[nodiscard]] std::int16_t getInt16(std::size_t byteOffset, bool littleEndian = false) const {
    return get<std::int16_t>(byteOffset, orderOf(littleEndian), "getInt16");
  }
  [[nodiscard]] std::uint16_t getUint16(std::size_t byteOffset, bool littleEndian = false) const {
    return get<std::uint16_t>(byteOffset, orderOf(littleEndian), "getUint16");
  }
  [[nodiscard]] std::int32_t getInt32(std::size_t byteOffset, bool littleEndian = false) const {
    return get<std::int32_t>(byteOffset, orderOf(littleEndian), "getInt32");
  }
  [[nodiscard]] std::uint32_t getUint32(std::size_t byteOffset, bool littleEndian = false) const {
    return get<std::uint32_t>(byteOffset, orderOf(littleEndian), "getUint32");
  }
  [[nodiscard]] float getFloat32(std::size_t byteOffset, bool littleEndian = false) const {
    return get<float>(byteOffset, orderOf(littleEndian), "getFloat32");
  }
  [[nodiscard]] double getFloat64(std::size_t byteOffset, bool littleEndian = false) const {
    return get<double>(byteOffset, orderOf(littleEndian), "getFloat64");
  }
  [[nodiscard]] std::int64_t getBigInt64(std::size_t byteOffset, bool littleEndian = false) const {
    return get<std::int64_t>(byteOffset, orderOf(littleEndian), "getBigInt64");
  }
  [[nodiscard]] std::uint64_t getBigUint64(std::size_t byteOffset,
                                           bool littleEndian = false) const {
    return get<std::uint64_t>(byteOffset, orderOf(littleEndian), "getBigUint64");
  }

  void setInt8(std::size_t byteOffset, std::int8_t value) const {
    set(byteOffset, value, ByteOrder::big, "setInt8");
  }
  void setUint8(std::size_t byteOffset, std::uint8_t value) const {
    set(byteOffset, value, ByteOrder::big, "setUint8");
  }
  void setInt16(std::size_t byteOffset, std::int16_t value, bool littleEndian = false) const {
    set(byteOffset, value, orderOf(littleEndian), "setInt16");
  }
  void setUint16(std::size_t byteOffset, std::uint16_t value, bool littleEndian = false) const {
    set(byteOffset, value, orderOf(littleEndian), "setUint16");
  }
  void setInt32(std::size_t byteOffset, std::int32_t value, bool littleEndian = false) const {
    set(byteOffset, value, orderOf(littleEndian), "setInt32");
  }
  void setUint32(std::size_t byteOffset, std::uint32_t value, bool littleEndian = false) const {
    set(byteOffset, value, orderOf(littleEndian), "setUint32");
  }
  void setFloat32(std::size_t byteOffset, float value, bool littleEndian = false) const {
    set(byteOffset, value, orderOf(littleEndian), "setFloat32");
  }
  void setFloat64(std::size_t byteOffset, double value, bool littleEndian = false) const {
    set(byteOffset, value, orderOf(littleEndian), "setFloat64");
  }
  void setBigInt64(std::size_t byteOffset, std::int64_t value, bool littleEndian = false) const {
    set(byteOffset, value, orderOf(littleEndian), "setBigInt64");
  }
  void setBigUint64(std::size_t byteOffset, std::uint64_t value, bool littleEndian = false) const {
    set(byteOffset, value, orderOf(littleEndian), "setBigUint64");
  }

  // The start of [byteOffset, byteOffset + size) after checking that it lies in the
  // view: one check for a whole block, after which load/store need none.
  // TypeError if the buffer is detached, RangeError if the range is outside the view.
  [[nodiscard]] std::byte* checkedAt(std::size_t byteOffset, std::size_t size,
                                     const char* method) const {
    const std::size_t length = window_.byteLength();
    if (byteOffset > length || size > length - byteOffset) [[unlikely]] {
      throwOutOfRange(byteOffset, size, method);
    }
    return window_.data() + byteOffset;
  }

 private:
  static constexpr ByteOrder orderOf(bool littleEndian) noexcept {
    return littleEndian ? ByteOrder::little : ByteOrder::big;
  }
  [[noreturn]] void throwOutOfRange(std::size_t byteOffset, std::size_t size,
                                    const char* method) const;

  detail::ByteWindow window_;
};

}  // namespace wirekit
