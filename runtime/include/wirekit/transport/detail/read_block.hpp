// SPDX-License-Identifier: Apache-2.0
#pragma once
// ReadBlock: where a socket's reads go (TcpSocket's from the kernel,
// TlsSocket's from OpenSSL). Each read's bytes are taken as a subarray of the
// block (no copy), and the next read goes into the rest of the block while at
// least a quarter of it is left and at least as much as the last read took:
// reads stay large, a peer's batch of a steady size is read whole (not split
// over two reads and two chunks, with the frame across them copied), and a
// block is dropped only when at least half used. Not part of the user-facing
// API.

#include <algorithm>
#include <cstddef>
#include <span>

#include "wirekit/bytes/buffer.hpp"

namespace wirekit::detail {

class ReadBlock {
 public:
  explicit ReadBlock(std::size_t size) : size_(size) {}

  // Whether a block is held: none until the first space() or takeBlock(), so
  // that a socket that has read nothing yet (an idle connection) holds no
  // memory for reads.
  [[nodiscard]] bool holdsBlock() const noexcept { return block_.length() != 0; }

  // Takes a new block when too little is left of the one held. The last read
  // is the guess for the next (Netty's adaptive receive buffer makes the same
  // guess): a rest smaller than it would split the peer's next batch. It is
  // at most size_, so a block is never dropped unused.
  void takeBlock() {
    const std::size_t least = std::max({std::size_t{1}, size_ / 4, lastRead_});
    if (block_.length() - offset_ < least) {
      block_ = Buffer::allocUnsafe(size_);
      offset_ = 0;
    }
  }

  // The space the next read goes into (a new block when too little is left).
  [[nodiscard]] std::span<std::byte> space() {
    takeBlock();
    return {block_.data() + offset_, block_.length() - offset_};
  }

  // The first length bytes of space(), which a read has filled.
  [[nodiscard]] Buffer take(std::size_t length) {
    Buffer chunk = block_.subarray(static_cast<std::ptrdiff_t>(offset_),
                                   static_cast<std::ptrdiff_t>(offset_ + length));
    offset_ += length;
    lastRead_ = length;
    return chunk;
  }

 private:
  std::size_t size_;
  Buffer block_;
  std::size_t offset_ = 0;
  std::size_t lastRead_ = 0;
};

}  // namespace wirekit::detail
