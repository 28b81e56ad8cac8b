// SPDX-License-Identifier: Apache-2.0
#include "wirekit/stream/detail/ring_buffer.hpp"

#include <cstddef>
#include <string>
#include <utility>

#include <catch2/catch.hpp>

namespace wirekit::detail {
namespace {

TEST_CASE("RingBuffer keeps FIFO order across growth while its contents wrap around") {
  RingBuffer<std::string> ring;
  CHECK(ring.empty());
  int next = 0;
  int expected = 0;
  // Push 3, pop 2, so the front moves round the slots while the ring grows
  // past 8, 16 and 32 slots.
  for (int round = 0; round < 40; ++round) {
    for (int i = 0; i < 3; ++i)
      ring.pushBack(std::to_string(next++));
    for (int i = 0; i < 2; ++i)
      REQUIRE(ring.popFront() == std::to_string(expected++));
  }
  REQUIRE(ring.size() == 40);
  for (std::size_t i = 0; i < ring.size(); ++i)
    CHECK(ring[i] == std::to_string(expected + static_cast<int>(i)));
  CHECK(ring.front() == std::to_string(expected));
  while (!ring.empty())
    CHECK(ring.popFront() == std::to_string(expected++));
  CHECK(expected == next);
}

TEST_CASE("RingBuffer: pushFront puts an element before the others, growing when full") {
  RingBuffer<std::string> ring;
  for (int i = 0; i < 8; ++i)
    ring.pushBack(std::to_string(i));
  ring.pushFront("first");  // the ring was full: it grows
  REQUIRE(ring.size() == 9);
  CHECK(ring[0] == "first");
  CHECK(ring[8] == "7");
  CHECK(ring.popFront() == "first");
  CHECK(ring.popFront() == "0");
}

TEST_CASE("RingBuffer: a move takes the elements, and clear empties") {
  RingBuffer<std::string> ring;
  ring.pushBack("a");
  ring.pushBack("b");
  RingBuffer<std::string> moved(std::move(ring));
  CHECK(ring.empty());  // NOLINT(bugprone-use-after-move): what a move leaves is specified
  REQUIRE(moved.size() == 2);
  CHECK(moved.front() == "a");
  RingBuffer<std::string> assigned;
  assigned.pushBack("old");
  assigned = std::move(moved);
  REQUIRE(assigned.size() == 2);
  CHECK(assigned[1] == "b");
  assigned.pushBack("c");
  assigned.clear();
  CHECK(assigned.empty());
  assigned.pushBack("again");
  CHECK(assigned.front() == "again");
}

}  // namespace
}  // namespace wirekit::detail
