// SPDX-License-Identifier: Apache-2.0
#include "wirekit/framing/chunk_queue.hpp"

#include <algorithm>
#include <cstring>
#include <limits>
#include <utility>

namespace wirekit {

namespace {

// The smallest staging buffer, so that gathering a few tiny chunks does not
// reallocate at once.
constexpr std::size_t minStagingCapacity = 4096;

}  // namespace

void ChunkQueue::push(Buffer chunk) {
  if (chunk.empty()) return;
  if (count_ == maxChunks) gather();
  const std::size_t index = (head_ + count_) % maxChunks;
  size_ += chunk.length();
  spans_[index] = std::as_const(chunk).bytes();
  ring_[index] = std::move(chunk);
  ++count_;
}

void ChunkQueue::popFront() noexcept {
  slot(0) = Buffer();
  spans_[head_] = {};
  head_ = (head_ + 1) % maxChunks;
  --count_;
  frontOffset_ = 0;
  frontIsStaging_ = false;
}

void ChunkQueue::consumeAcross(std::size_t count) noexcept {
  size_ -= count;
  streamOffset_ += count;
  while (count > 0) {
    std::span<const std::byte>& first = spans_[head_];
    if (count < first.size()) {
      first = first.subspan(count);
      frontOffset_ += count;
      return;
    }
    count -= first.size();
    popFront();
  }
}

Buffer ChunkQueue::take(std::size_t count) {
  if (count == 0) return {};
  if (count <= spans_[head_].size()) {
    const auto start = static_cast<std::ptrdiff_t>(frontOffset_);
    Buffer frame = slot(0).subarray(start, start + static_cast<std::ptrdiff_t>(count));
    consume(count);
    return frame;
  }
  Buffer frame = Buffer::allocUnsafe(count);
  read(frame.bytes());
  return frame;
}

void ChunkQueue::read(std::span<std::byte> target) noexcept {
  peek(0, target);
  consume(target.size());
}

template <class Visit>
bool ChunkQueue::visit(std::size_t offset, std::size_t length, Visit&& visitPiece) const {
  for (std::size_t index = 0; index < count_ && length > 0; ++index) {
    std::span<const std::byte> bytes = chunk(index);
    if (offset >= bytes.size()) {
      offset -= bytes.size();
      continue;
    }
    bytes = bytes.subspan(offset, std::min(bytes.size() - offset, length));
    offset = 0;
    length -= bytes.size();
    if (!visitPiece(bytes)) return false;
  }
  return true;
}

void ChunkQueue::peek(std::size_t offset, std::span<std::byte> target) const noexcept {
  visit(offset, target.size(), [&target](std::span<const std::byte> piece) {
    std::memcpy(target.data(), piece.data(), piece.size());
    target = target.subspan(piece.size());
    return true;
  });
}

bool ChunkQueue::equals(std::size_t offset, std::span<const std::byte> bytes) const noexcept {
  if (offset > size_ || bytes.size() > size_ - offset) return false;
  return visit(offset, bytes.size(), [&bytes](std::span<const std::byte> piece) {
    const bool same = std::memcmp(piece.data(), bytes.data(), piece.size()) == 0;
    bytes = bytes.subspan(piece.size());
    return same;
  });
}

void ChunkQueue::gather() {
  if (frontIsStaging_) {
    // Append the later chunks behind the staging buffer's bytes when they fit.
    // Frames handed out earlier are views of bytes before the append point, so
    // writing after it changes none of them.
    const ArrayBuffer staging = slot(0).buffer();
    const std::size_t used = slot(0).length();
    const std::size_t rest = size_ - (used - frontOffset_);
    if (rest <= staging.byteLength() - used) {
      std::byte* target = staging.data() + used;
      for (std::size_t index = 1; index < count_; ++index) {
        const std::span<const std::byte> bytes = chunk(index);
        std::memcpy(target, bytes.data(), bytes.size());
        target += bytes.size();
        slot(index) = Buffer();
        spans_[(head_ + index) % maxChunks] = {};
      }
      count_ = 1;
      slot(0) = Buffer::from(staging, 0, used + rest);
      spans_[head_] = std::as_const(slot(0)).bytes().subspan(frontOffset_);
      return;
    }
  }
  const std::size_t capacity = size_ > std::numeric_limits<std::size_t>::max() / 2
                                   ? size_
                                   : std::max(2 * size_, minStagingCapacity);
  const ArrayBuffer staging = ArrayBuffer::uninitialized(capacity);
  peek(0, std::span<std::byte>(staging.data(), size_));
  ring_.fill(Buffer());
  spans_.fill({});
  head_ = 0;
  count_ = 1;
  frontOffset_ = 0;
  ring_[0] = Buffer::from(staging, 0, size_);
  spans_[0] = std::as_const(ring_[0]).bytes();
  frontIsStaging_ = true;
}

}  // namespace wirekit
