// SPDX-License-Identifier: Apache-2.0
#pragma once
// ArrayBuffer: a fixed-length (or resizable up to a maximum) block of zero-filled
// bytes, as in JavaScript. Copies of an ArrayBuffer are handles to the same bytes,
// which live as long as any handle or Buffer refers to them; typed arrays and
// DataViews are views and do not keep the bytes alive.

#include <cstddef>
#include <limits>
#include <memory>
#include <span>

#include <fmt/core.h>

#include "wirekit/detail/owning_ptr.hpp"
#include "wirekit/export.hpp"

namespace wirekit {

namespace detail {

// The bytes behind an ArrayBuffer. Capacity is reserved up to maxByteLength when
// the storage is made, so the bytes never move while it lives: views can keep a
// raw pointer and see resizes through byteLength alone.
struct BufferStorage : std::enable_shared_from_this<BufferStorage> {
  OwningPtr<std::byte[]> bytes;
  std::size_t byteLength = 0;
  std::size_t maxByteLength = 0;
  bool resizable = false;
  bool detached = false;
};

}  // namespace detail

// The options of JavaScript's `new ArrayBuffer(length, {maxByteLength})`.
struct ArrayBufferOptions {
  std::size_t maxByteLength = 0;
};

// The largest index an end argument can take; "to the end" in slice and subarray.
inline constexpr std::ptrdiff_t toEnd = std::numeric_limits<std::ptrdiff_t>::max();

class WIREKIT_EXPORT ArrayBuffer {
 public:
  // A fixed-length buffer of byteLength zero bytes.
  explicit ArrayBuffer(std::size_t byteLength = 0);
  // A resizable buffer of byteLength zero bytes that can grow to options.maxByteLength.
  ArrayBuffer(std::size_t byteLength, ArrayBufferOptions options);

  // A fixed-length buffer whose bytes are not zeroed (what Buffer.allocUnsafe uses).
  [[nodiscard]] static ArrayBuffer uninitialized(std::size_t byteLength);

  // 0 once detached (by transfer()).
  [[nodiscard]] std::size_t byteLength() const noexcept;
  [[nodiscard]] std::size_t maxByteLength() const noexcept;
  [[nodiscard]] bool resizable() const noexcept;
  [[nodiscard]] bool detached() const noexcept;

  // Changes the length of a resizable buffer; new bytes are zero. TypeError if the
  // buffer is fixed-length or detached, RangeError above maxByteLength.
  void resize(std::size_t newByteLength);

  // A new fixed-length buffer holding a copy of [begin, end); negative indices count
  // from the end, as in JavaScript. TypeError if detached.
  [[nodiscard]] ArrayBuffer slice(std::ptrdiff_t begin = 0, std::ptrdiff_t end = toEnd) const;

  // Moves the bytes into a new buffer (same length, same resizability) and detaches
  // this one: afterwards its byteLength is 0, views over it have length 0 and
  // DataView reads throw. TypeError if already detached.
  ArrayBuffer transfer();
  // As transfer(), with the new buffer cut or zero-extended to newByteLength.
  ArrayBuffer transfer(std::size_t newByteLength);
  // As transfer(), but the new buffer is fixed-length.
  ArrayBuffer transferToFixedLength();
  ArrayBuffer transferToFixedLength(std::size_t newByteLength);

  // The first byte; nullptr once detached.
  [[nodiscard]] std::byte* data() const noexcept;
  [[nodiscard]] std::span<std::byte> bytes() const noexcept { return {data(), byteLength()}; }

  // True when both handles refer to the same bytes (JavaScript's ===).
  [[nodiscard]] bool sameAs(const ArrayBuffer& other) const noexcept {
    return storage_ == other.storage_;
  }

  // The storage, for views and Buffer; not part of the user-facing API.
  [[nodiscard]] detail::BufferStorage* storage() const noexcept { return storage_.get(); }
  [[nodiscard]] const std::shared_ptr<detail::BufferStorage>& sharedStorage() const noexcept {
    return storage_;
  }
  // The handle for storage that a view points into.
  [[nodiscard]] static ArrayBuffer fromStorage(detail::BufferStorage& storage) {
    return ArrayBuffer(storage.shared_from_this());
  }

 private:
  explicit ArrayBuffer(std::shared_ptr<detail::BufferStorage> storage)
      : storage_(std::move(storage)) {}
  ArrayBuffer transferImpl(std::size_t newByteLength, bool keepResizable, const char* method);

  std::shared_ptr<detail::BufferStorage> storage_;
};

}  // namespace wirekit

// Prints as Node's console.log does: ArrayBuffer { [Uint8Contents]: <01 02>, byteLength: 2 },
// at most 100 bytes, then "... N more bytes".
template <>
struct WIREKIT_EXPORT fmt::formatter<wirekit::ArrayBuffer> {
  constexpr auto parse(format_parse_context& context) { return context.begin(); }
  format_context::iterator format(const wirekit::ArrayBuffer& buffer,
                                  format_context& context) const;
};
