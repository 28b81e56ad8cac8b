// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include <array>
#include <string>

#include "framing_test_support.hpp"
#include "wirekit/framing/chunk_queue.hpp"

using namespace wirekit;
using namespace wirekit::test;

namespace {

std::string peekAll(const ChunkQueue& queue) {
  std::string out(queue.size(), '\0');
  queue.peek(0, std::as_writable_bytes(std::span<char>(out.data(), out.size())));
  return out;
}

}  // namespace

TEST_CASE("ChunkQueue keeps chunks as they came and tracks the stream offset") {
  ChunkQueue queue;
  const Buffer first = bytesOf("abc");
  queue.push(first);
  queue.push(Buffer());
  queue.push(bytesOf("defg"));
  CHECK(queue.size() == 7);
  CHECK(queue.chunkCount() == 2);
  CHECK(peekAll(queue) == "abcdefg");

  const Buffer ab = queue.take(2);
  CHECK(stringOf(ab) == "ab");
  CHECK(ab.buffer().sameAs(first.buffer()));
  CHECK(queue.streamOffset() == 2);

  // Across the chunk boundary: a copy.
  const Buffer cde = queue.take(3);
  CHECK(stringOf(cde) == "cde");
  CHECK(cde.length() == 3);
  CHECK_FALSE(cde.buffer().sameAs(first.buffer()));
  CHECK(queue.chunkCount() == 1);
  CHECK(queue.streamOffset() == 5);

  CHECK(queue.equals(0, std::as_bytes(std::span<const char>("fg", 2))));
  CHECK_FALSE(queue.equals(0, std::as_bytes(std::span<const char>("fgh", 3))));
  CHECK_FALSE(queue.equals(1, std::as_bytes(std::span<const char>("f", 1))));
  queue.consume(2);
  CHECK(queue.empty());
  CHECK(queue.streamOffset() == 7);
  CHECK(queue.take(0).empty());
}

TEST_CASE("ChunkQueue holds at most maxChunks chunks, however many small ones come") {
  ChunkQueue queue;
  std::string expected;
  for (int i = 0; i < 5000; ++i) {
    const std::string byte(1, static_cast<char>('a' + i % 26));
    expected += byte;
    queue.push(bytesOf(byte));
    REQUIRE(queue.chunkCount() <= ChunkQueue::maxChunks);
    if (i % 700 == 699) {
      // Consume some on the way so the staging buffer has a consumed front.
      const Buffer taken = queue.take(100);
      REQUIRE(stringOf(taken) == expected.substr(0, 100));
      expected.erase(0, 100);
    }
  }
  CHECK(queue.size() == expected.size());
  CHECK(peekAll(queue) == expected);
  CHECK(queue.streamOffset() == 5000 - expected.size());
}

TEST_CASE("frames taken from the staging buffer keep their bytes as more chunks are gathered") {
  ChunkQueue queue;
  for (int i = 0; i < 17; ++i)
    queue.push(bytesOf("x"));
  // The first 16 were gathered; a frame taken now lies in the staging buffer.
  const Buffer frame = queue.take(16);
  CHECK(stringOf(frame) == std::string(16, 'x'));
  for (int i = 0; i < 40; ++i)
    queue.push(bytesOf("y"));
  CHECK(stringOf(frame) == std::string(16, 'x'));
  CHECK(peekAll(queue) == "x" + std::string(40, 'y'));
}
