// SPDX-License-Identifier: Apache-2.0
#pragma once
// What DataView, the typed arrays and Buffer share: a window onto bytes, either an
// ArrayBuffer's storage or external memory, that notices when that storage is
// detached or shrinks (as JavaScript views do) without owning it.

// No <algorithm> in the bytes headers: C++20's includes the ranges
// algorithms, about 5 MB of compiler memory in every translation unit.
#include <cstddef>

#include "wirekit/bytes/array_buffer.hpp"

namespace wirekit::detail {

// JavaScript's relative index: negative counts from the end; the result is
// clamped to [0, length].
constexpr std::size_t relativeIndex(std::ptrdiff_t index, std::size_t length) noexcept {
  if (index < 0) {
    const std::size_t back = static_cast<std::size_t>(-(index + 1)) + 1;
    return back >= length ? 0 : length - back;
  }
  const auto forward = static_cast<std::size_t>(index);
  return forward < length ? forward : length;
}

// The end of the range [first, end), end relative as above: never before first.
constexpr std::size_t relativeEnd(std::ptrdiff_t end, std::size_t first,
                                  std::size_t length) noexcept {
  const std::size_t last = relativeIndex(end, length);
  return last < first ? first : last;
}

class ByteWindow {
 public:
  constexpr ByteWindow() noexcept = default;

  // External memory: no storage to watch.
  constexpr ByteWindow(std::byte* data, std::size_t byteLength) noexcept
      : data_(data), byteLength_(byteLength) {}

  // [byteOffset, byteOffset + byteLength) of storage, which the caller has
  // checked; a length-tracking window follows the storage's length (views made
  // without a length over a resizable buffer).
  ByteWindow(BufferStorage& storage, std::size_t byteOffset, std::size_t byteLength,
             bool tracksLength) noexcept
      : data_(storage.bytes.get() + byteOffset),
        byteOffset_(byteOffset),
        byteLength_(byteLength),
        storage_(&storage),
        tracksLength_(tracksLength) {}

  // The length visible now: 0 once the storage is detached or has shrunk below
  // the window's end.
  [[nodiscard]] std::size_t byteLength() const noexcept {
    if (storage_ == nullptr) return byteLength_;
    const std::size_t storageLength = storage_->byteLength;
    if (byteOffset_ > storageLength) return 0;
    if (tracksLength_) return storageLength - byteOffset_;
    return byteLength_ <= storageLength - byteOffset_ ? byteLength_ : 0;
  }

  // Whether the window is gone: its storage detached or shrunk below the window.
  [[nodiscard]] bool outOfBounds() const noexcept {
    if (storage_ == nullptr) return false;
    if (storage_->detached) return true;
    const std::size_t storageLength = storage_->byteLength;
    return byteOffset_ > storageLength ||
           (!tracksLength_ && byteLength_ > storageLength - byteOffset_);
  }

  // The offset in the ArrayBuffer (0 for external memory, and once out of bounds).
  [[nodiscard]] std::size_t byteOffset() const noexcept { return outOfBounds() ? 0 : byteOffset_; }

  // The first byte. Valid to read byteLength() bytes from it.
  [[nodiscard]] std::byte* data() const noexcept { return data_; }

  [[nodiscard]] BufferStorage* storage() const noexcept { return storage_; }
  [[nodiscard]] bool tracksLength() const noexcept { return tracksLength_; }

 private:
  std::byte* data_ = nullptr;
  std::size_t byteOffset_ = 0;
  std::size_t byteLength_ = 0;
  BufferStorage* storage_ = nullptr;
  bool tracksLength_ = false;
};

}  // namespace wirekit::detail
