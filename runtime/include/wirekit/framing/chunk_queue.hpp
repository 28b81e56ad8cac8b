// SPDX-License-Identifier: Apache-2.0
#pragma once
// ChunkQueue: the received bytes a frame decoder has not used yet, kept as the
// chunks they arrived in (shared handles, not copies) so that a frame lying in
// one chunk can be handed out as a subarray of it.
//
// The number of chunks held is bounded: when a sixteenth chunk would be added,
// the queued bytes are gathered into one staging buffer with room to spare, and
// later gatherings append to it in place while it has room; the staging buffer
// doubles when it is full, so gathering costs amortized O(1) per byte however
// small the chunks are.
//
// Chunks are treated as immutable: their ArrayBuffers must not be detached or
// shrunk while they are queued.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "wirekit/bytes/buffer.hpp"
#include "wirekit/export.hpp"

namespace wirekit {

class WIREKIT_EXPORT ChunkQueue {
 public:
  static constexpr std::size_t maxChunks = 16;

  // Appends a chunk (an empty one is ignored).
  void push(Buffer chunk);

  // Bytes queued and not consumed.
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
  // Memory the queue holds for its bytes: size(), and the room left in the
  // staging buffer when the bytes are gathered in it (what a MemoryBudget
  // charges). The chunks as they arrived are shared, usually subarrays of a
  // socket's read block, and count for their queued bytes only.
  [[nodiscard]] std::size_t heldBytes() const noexcept {
    return frontIsStaging_ ? size_ + ring_[head_].buffer().byteLength() - ring_[head_].length()
                           : size_;
  }
  // The offset in the whole byte stream of the first queued byte: every byte
  // consumed so far.
  [[nodiscard]] std::uint64_t streamOffset() const noexcept { return streamOffset_; }

  // The queued bytes of chunk index (0 is the first; index < chunkCount()).
  [[nodiscard]] std::size_t chunkCount() const noexcept { return count_; }
  [[nodiscard]] std::span<const std::byte> chunk(std::size_t index) const noexcept {
    return spans_[(head_ + index) % maxChunks];
  }
  // The queued bytes of the first chunk; empty when the queue is.
  [[nodiscard]] std::span<const std::byte> front() const noexcept {
    return count_ == 0 ? std::span<const std::byte>() : spans_[head_];
  }
  // The first chunk, all of it (the bytes consumed too); an empty Buffer when
  // the queue is empty. front() is a span of its bytes.
  [[nodiscard]] const Buffer& frontChunk() const noexcept { return ring_[head_]; }

  // Drops the first count bytes (count <= size()).
  void consume(std::size_t count) noexcept {
    std::span<const std::byte>& first = spans_[head_];
    if (count < first.size()) {
      // Within the first chunk: the common case, a frame that lies in it.
      first = first.subspan(count);
      frontOffset_ += count;
      size_ -= count;
      streamOffset_ += count;
      return;
    }
    consumeAcross(count);
  }
  // The first count bytes (count <= size()), consumed: a subarray of the first
  // chunk when they lie in it, otherwise a copy in a new Buffer of count bytes.
  [[nodiscard]] Buffer take(std::size_t count);
  // Copies the first target.size() bytes (<= size()) into target and consumes them.
  void read(std::span<std::byte> target) noexcept;
  // Copies target.size() bytes from offset (offset + target.size() <= size())
  // into target, consuming nothing.
  void peek(std::size_t offset, std::span<std::byte> target) const noexcept;
  // Whether bytes equals the queued bytes at offset; false where they run past the end.
  [[nodiscard]] bool equals(std::size_t offset, std::span<const std::byte> bytes) const noexcept;

 private:
  [[nodiscard]] Buffer& slot(std::size_t index) noexcept {
    return ring_[(head_ + index) % maxChunks];
  }
  [[nodiscard]] const Buffer& slot(std::size_t index) const noexcept {
    return ring_[(head_ + index) % maxChunks];
  }
  void consumeAcross(std::size_t count) noexcept;
  // Calls visitPiece with the queued bytes [offset, offset + length), one
  // chunk's part at a time, while it returns true; false if it returned false.
  template <class Visit>
  bool visit(std::size_t offset, std::size_t length, Visit&& visitPiece) const;
  void popFront() noexcept;
  void gather();

  std::array<Buffer, maxChunks> ring_;
  // The queued bytes of each chunk in ring_ (for the first, those not consumed).
  std::array<std::span<const std::byte>, maxChunks> spans_;
  std::size_t head_ = 0;
  std::size_t count_ = 0;
  // Bytes of the first chunk already consumed: where spans_[head_] starts in it.
  std::size_t frontOffset_ = 0;
  std::size_t size_ = 0;
  std::uint64_t streamOffset_ = 0;
  // Whether the first chunk is the staging buffer (a view of its first bytes),
  // which gather() may extend in place.
  bool frontIsStaging_ = false;
};

}  // namespace wirekit
