// SPDX-License-Identifier: Apache-2.0
#include "wirekit/bytes/array_buffer.hpp"

#include <algorithm>
#include <cstring>
#include <iterator>

#include "wirekit/bytes/detail/byte_window.hpp"
#include "wirekit/error.hpp"

namespace wirekit {

namespace {

std::shared_ptr<detail::BufferStorage> makeStorage(std::size_t byteLength,
                                                   std::size_t maxByteLength, bool resizable,
                                                   bool zeroed) {
  auto storage = std::make_shared<detail::BufferStorage>();
  storage->bytes.reset(zeroed ? new std::byte[maxByteLength]() : new std::byte[maxByteLength]);
  storage->byteLength = byteLength;
  storage->maxByteLength = maxByteLength;
  storage->resizable = resizable;
  return storage;
}

[[noreturn]] void throwDetached(const char* method) {
  throw TypeError(fmt::format("ArrayBuffer.{}: the ArrayBuffer is detached", method));
}

}  // namespace

ArrayBuffer::ArrayBuffer(std::size_t byteLength)
    : storage_(makeStorage(byteLength, byteLength, false, true)) {}

ArrayBuffer::ArrayBuffer(std::size_t byteLength, ArrayBufferOptions options) {
  if (byteLength > options.maxByteLength) {
    throw RangeError(fmt::format("ArrayBuffer: byteLength {} exceeds maxByteLength {}", byteLength,
                                 options.maxByteLength));
  }
  storage_ = makeStorage(byteLength, options.maxByteLength, true, true);
}

ArrayBuffer ArrayBuffer::uninitialized(std::size_t byteLength) {
  return ArrayBuffer(makeStorage(byteLength, byteLength, false, false));
}

std::size_t ArrayBuffer::byteLength() const noexcept {
  return storage_ ? storage_->byteLength : 0;
}

std::size_t ArrayBuffer::maxByteLength() const noexcept {
  return storage_ ? storage_->maxByteLength : 0;
}

bool ArrayBuffer::resizable() const noexcept {
  return storage_ && storage_->resizable;
}

bool ArrayBuffer::detached() const noexcept {
  return !storage_ || storage_->detached;
}

std::byte* ArrayBuffer::data() const noexcept {
  return storage_ ? storage_->bytes.get() : nullptr;
}

void ArrayBuffer::resize(std::size_t newByteLength) {
  if (detached()) throwDetached("resize");
  if (!storage_->resizable) {
    throw TypeError("ArrayBuffer.resize: the ArrayBuffer is not resizable");
  }
  if (newByteLength > storage_->maxByteLength) {
    throw RangeError(fmt::format("ArrayBuffer.resize: new length {} exceeds maxByteLength {}",
                                 newByteLength, storage_->maxByteLength));
  }
  std::byte* bytes = storage_->bytes.get();
  if (newByteLength > storage_->byteLength) {
    std::fill(bytes + storage_->byteLength, bytes + newByteLength, std::byte{0});
  }
  storage_->byteLength = newByteLength;
}

ArrayBuffer ArrayBuffer::slice(std::ptrdiff_t begin, std::ptrdiff_t end) const {
  if (detached()) throwDetached("slice");
  const std::size_t length = storage_->byteLength;
  const std::size_t first = detail::relativeIndex(begin, length);
  const std::size_t last = detail::relativeEnd(end, first, length);
  ArrayBuffer copy(last - first);
  std::memcpy(copy.data(), data() + first, last - first);
  return copy;
}

ArrayBuffer ArrayBuffer::transfer() {
  return transfer(byteLength());
}

ArrayBuffer ArrayBuffer::transfer(std::size_t newByteLength) {
  return transferImpl(newByteLength, true, "transfer");
}

ArrayBuffer ArrayBuffer::transferToFixedLength() {
  return transferToFixedLength(byteLength());
}

ArrayBuffer ArrayBuffer::transferToFixedLength(std::size_t newByteLength) {
  return transferImpl(newByteLength, false, "transferToFixedLength");
}

ArrayBuffer ArrayBuffer::transferImpl(std::size_t newByteLength, bool keepResizable,
                                      const char* method) {
  if (detached()) throwDetached(method);
  const bool resizable = keepResizable && storage_->resizable;
  if (resizable && newByteLength > storage_->maxByteLength) {
    throw RangeError(fmt::format("ArrayBuffer.{}: new length {} exceeds maxByteLength {}", method,
                                 newByteLength, storage_->maxByteLength));
  }
  std::shared_ptr<detail::BufferStorage> moved;
  const std::size_t capacity = resizable ? storage_->maxByteLength : newByteLength;
  if (capacity == storage_->maxByteLength) {
    // Same capacity: hand the bytes over without copying, as engines do.
    moved = std::make_shared<detail::BufferStorage>();
    moved->bytes = std::move(storage_->bytes);
    moved->maxByteLength = capacity;
    moved->resizable = resizable;
    moved->byteLength = storage_->byteLength;
    std::byte* bytes = moved->bytes.get();
    if (newByteLength > moved->byteLength) {
      std::fill(bytes + moved->byteLength, bytes + newByteLength, std::byte{0});
    }
    moved->byteLength = newByteLength;
  } else {
    moved = makeStorage(newByteLength, capacity, resizable, true);
    std::memcpy(moved->bytes.get(), storage_->bytes.get(),
                std::min(newByteLength, storage_->byteLength));
    storage_->bytes.reset();
  }
  storage_->byteLength = 0;
  storage_->maxByteLength = 0;
  storage_->detached = true;
  return ArrayBuffer(std::move(moved));
}

}  // namespace wirekit

fmt::format_context::iterator fmt::formatter<wirekit::ArrayBuffer>::format(
    const wirekit::ArrayBuffer& buffer, format_context& context) const {
  // util.inspect shows ctx.maxArrayLength (100) bytes of an ArrayBuffer; only a
  // Buffer stops at INSPECT_MAX_BYTES (50).
  constexpr std::size_t shownBytes = 100;
  auto out = context.out();
  if (buffer.detached()) return fmt::format_to(out, "ArrayBuffer {{ (detached), byteLength: 0 }}");
  out = fmt::format_to(out, "ArrayBuffer {{ [Uint8Contents]: <");
  const std::size_t length = buffer.byteLength();
  const std::size_t shown = std::min(length, shownBytes);
  for (std::size_t i = 0; i < shown; ++i) {
    if (i > 0) *out++ = ' ';
    out = fmt::format_to(out, "{:02x}", static_cast<unsigned>(buffer.data()[i]));
  }
  if (length > shown) {
    const std::size_t more = length - shown;
    out = fmt::format_to(out, " ... {} more byte{}", more, more > 1 ? "s" : "");
  }
  return fmt::format_to(out, ">, byteLength: {} }}", length);
}
