// SPDX-License-Identifier: Apache-2.0
// detail::ReadBlock, where TcpSocket's and TlsSocket's reads go: reads
// continue in the rest of a block while it can hold a quarter of the block and
// the last read again, so a peer's batches of a steady size are read whole.

#include "wirekit/transport/detail/read_block.hpp"

#include <cstddef>
#include <span>
#include <vector>

#include <catch2/catch.hpp>

#include "wirekit/bytes/buffer.hpp"

namespace {

using wirekit::Buffer;
using wirekit::detail::ReadBlock;

constexpr std::size_t blockSize = std::size_t{64} * 1024;

// Reads length bytes as a socket does: into space(), then take().
Buffer readInto(ReadBlock& block, std::size_t length) {
  const std::span<std::byte> space = block.space();
  REQUIRE(space.size() >= length);
  return block.take(length);
}

TEST_CASE("ReadBlock: batches of a steady size are never split between two reads") {
  // 64 requests of 360 B, 23,040 B a batch: before the last read counted, the
  // third batch had only the block's last 19,456 B to go into, so it was read
  // in two parts, and the frame across them copied by the frame decoder.
  ReadBlock block(blockSize);
  constexpr std::size_t batch = 64 * 360;
  for (int i = 0; i < 10; ++i) {
    CHECK(block.space().size() >= batch);
    static_cast<void>(block.take(batch));
  }
}

TEST_CASE("ReadBlock: small reads share a block until a quarter of it is left") {
  ReadBlock block(blockSize);
  CHECK_FALSE(block.holdsBlock());
  std::vector<Buffer> chunks;
  chunks.push_back(readInto(block, 1000));
  CHECK(block.holdsBlock());
  // 1000 B a read: 49 more fit before less than 16 KiB is left.
  while (block.space().size() >= blockSize / 4 &&
         block.space().data() == chunks.back().data() + chunks.back().length()) {
    chunks.push_back(readInto(block, 1000));
  }
  CHECK(chunks.size() == (blockSize - blockSize / 4) / 1000 + 1);
  // Then a new block: the old one stays with the chunks taken from it.
  CHECK(block.space().size() == blockSize);
  CHECK(block.space().data() != chunks.back().data() + chunks.back().length());
  CHECK(chunks.front().length() == 1000);
}

TEST_CASE("ReadBlock: a block is dropped only when more than half of it is used") {
  ReadBlock block(blockSize);
  const Buffer first = readInto(block, 40'000);
  // 25,536 B left, less than the last read: a new, whole block.
  CHECK(block.space().size() == blockSize);
  CHECK(block.space().data() != first.data() + first.length());

  // A large read, then small ones: the small ones continue the block.
  ReadBlock other(blockSize);
  const Buffer large = readInto(other, 30'000);
  const Buffer small = readInto(other, 100);
  CHECK(small.data() == large.data() + large.length());
  CHECK(other.space().data() == small.data() + small.length());
  CHECK(other.space().size() == blockSize - 30'100);
}

TEST_CASE("ReadBlock: a read never gets more space than the block size") {
  ReadBlock block(blockSize);
  const Buffer whole = readInto(block, blockSize);
  CHECK(whole.length() == blockSize);
  CHECK(block.space().size() == blockSize);
}

}  // namespace
