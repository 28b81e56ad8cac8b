// SPDX-License-Identifier: Apache-2.0
#pragma once
// What the fuzz targets share: reading their settings from the front of the
// input, and cutting the rest into chunks as the input says.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <utility>
#include <vector>

#include "wirekit/bytes/buffer.hpp"

namespace wirekit::fuzz {

// The input, read from the front; past its end every byte reads as 0.
class Input {
 public:
  Input(const std::uint8_t* data, std::size_t size) noexcept : data_(data), size_(size) {}

  std::uint8_t byte() noexcept { return used_ < size_ ? data_[used_++] : 0; }
  // Chunk sizes: a count (0 to 15), then one byte each (size 1 to 256).
  std::vector<std::size_t> chunkSizes() {
    std::vector<std::size_t> sizes(byte() % 16);
    for (std::size_t& size : sizes)
      size = std::size_t{byte()} + 1;
    return sizes;
  }
  // What is left: the stream itself.
  [[nodiscard]] std::span<const std::byte> rest() const noexcept {
    return {reinterpret_cast<const std::byte*>(data_) + used_, size_ - used_};
  }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t used_ = 0;
};

// bytes cut into chunks of sizes, cycling through them (one chunk if none),
// each chunk a Buffer of its own, exactly its size, so that ASan sees any read
// past one.
inline std::vector<Buffer> chunksOf(std::span<const std::byte> bytes,
                                    const std::vector<std::size_t>& sizes) {
  std::vector<Buffer> chunks;
  std::size_t at = 0;
  for (std::size_t index = 0; at < bytes.size(); ++index) {
    const std::size_t size =
        sizes.empty() ? bytes.size() : std::min(sizes[index % sizes.size()], bytes.size() - at);
    Buffer chunk = Buffer::allocUnsafeSlow(size);
    std::memcpy(chunk.data(), bytes.data() + at, size);
    chunks.push_back(std::move(chunk));
    at += size;
  }
  return chunks;
}

}  // namespace wirekit::fuzz
