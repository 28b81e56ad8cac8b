// SPDX-License-Identifier: Apache-2.0
#include "wirekit/detail/owning_ptr.hpp"

#include <cstddef>
#include <utility>

#include <catch2/catch.hpp>

namespace wirekit::detail {
namespace {

// Counts the live instances, so that each test sees what was deleted.
struct Tracked {
  explicit Tracked(int* live, int value = 0) : live(live), value(value) { ++*live; }
  Tracked(const Tracked&) = delete;
  Tracked& operator=(const Tracked&) = delete;
  virtual ~Tracked() { --*live; }
  int* live;
  int value;
};

struct Derived final : Tracked {
  using Tracked::Tracked;
};

TEST_CASE("OwningPtr deletes what it owns when it goes, and owns nothing by default") {
  int live = 0;
  {
    const OwningPtr<Tracked> empty;
    CHECK_FALSE(empty);
    CHECK(empty.get() == nullptr);
    const OwningPtr<Tracked> owner = makeOwning<Tracked>(&live, 7);
    REQUIRE(owner);
    CHECK(live == 1);
    CHECK(owner->value == 7);
    CHECK((*owner).value == 7);
  }
  CHECK(live == 0);
}

TEST_CASE("OwningPtr: a move hands ownership over, and the source owns nothing") {
  int live = 0;
  OwningPtr<Tracked> first = makeOwning<Tracked>(&live, 1);
  Tracked* const object = first.get();
  OwningPtr<Tracked> second(std::move(first));
  CHECK(second.get() == object);
  CHECK_FALSE(first);  // NOLINT(bugprone-use-after-move): what a move leaves is specified
  OwningPtr<Tracked> third = makeOwning<Tracked>(&live, 3);
  CHECK(live == 2);
  third = std::move(second);  // deletes the object third owned
  CHECK(live == 1);
  CHECK(third.get() == object);
  auto& alias = third;
  third = std::move(alias);  // a self-move keeps the object
  CHECK(live == 1);
  CHECK(third->value == 1);
}

TEST_CASE("OwningPtr: reset deletes the old object, release gives it up") {
  int live = 0;
  OwningPtr<Tracked> owner = makeOwning<Tracked>(&live, 1);
  owner.reset(new Derived(&live, 2));  // deleted through the base's virtual destructor
  CHECK(live == 1);
  CHECK(owner->value == 2);
  Tracked* const released = owner.release();
  CHECK_FALSE(owner);
  CHECK(live == 1);
  delete released;
  CHECK(live == 0);
  owner.reset();
  CHECK_FALSE(owner);
}

TEST_CASE(
    "OwningPtr<T[]> owns an array, deleted with delete[] (the sanitizers check the pairing)") {
  OwningPtr<std::byte[]> bytes(new std::byte[16]());
  bytes[15] = std::byte{9};
  CHECK(bytes[0] == std::byte{0});
  CHECK(bytes.get()[15] == std::byte{9});
  OwningPtr<std::byte[]> moved(std::move(bytes));
  CHECK(moved[15] == std::byte{9});
  moved.reset(new std::byte[4]());
  CHECK(moved[3] == std::byte{0});
}

}  // namespace
}  // namespace wirekit::detail
