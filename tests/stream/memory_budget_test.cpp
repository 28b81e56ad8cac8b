// SPDX-License-Identifier: Apache-2.0
// MemoryBudget: accounts sum their charges, the budget its accounts; past a
// limit the right account is evicted, once; streams charge what they buffer.

#include "wirekit/stream/memory_budget.hpp"

#include <cstddef>
#include <memory>
#include <optional>
#include <vector>

#include <asio/io_context.hpp>
#include <catch2/catch.hpp>

#include "stream_test_support.hpp"
#include "wirekit/error.hpp"
#include "wirekit/stream/readable.hpp"
#include "wirekit/stream/writable.hpp"

namespace {

using namespace wirekit;
using namespace wirekit::test;

// An account that records its evictions.
struct Evicted {
  std::vector<MemoryEviction> evictions;
  MemoryAccount::Evict record() {
    return [this](const MemoryEviction& eviction) { evictions.push_back(eviction); };
  }
};

}  // namespace

TEST_CASE("MemoryBudget: charges add up per account and per budget, and go with their holders",
          "[stream][budget]") {
  auto budget = std::make_shared<MemoryBudget>();
  auto first = budget->open(nullptr);
  auto second = budget->open(nullptr);
  CHECK(budget->accounts() == 2);
  {
    MemoryCharge reads(first);
    MemoryCharge frame(first);
    MemoryCharge other(second);
    reads.set(100);
    frame.set(1000);
    other.set(10);
    CHECK(first->bytes() == 1100);
    CHECK(second->bytes() == 10);
    CHECK(budget->usedBytes() == 1110);
    frame.set(400);  // a set replaces what the charge held
    CHECK(first->bytes() == 500);
    CHECK(first->peakBytes() == 1100);
    CHECK(budget->usedBytes() == 510);
    CHECK(budget->peakBytes() == 1110);
    // A charge moved to another account takes its bytes along.
    frame.set(second, 400);
    CHECK(first->bytes() == 100);
    CHECK(second->bytes() == 410);
    MemoryCharge moved = std::move(reads);
    CHECK(reads.bytes() == 0);
    CHECK(moved.bytes() == 100);
    CHECK(budget->usedBytes() == 510);
  }
  // Destroyed charges release what they held.
  CHECK(first->bytes() == 0);
  CHECK(second->bytes() == 0);
  CHECK(budget->usedBytes() == 0);
  first.reset();
  CHECK(budget->accounts() == 1);
  // Without an account, a charge holds nothing.
  MemoryCharge none;
  none.set(5);
  CHECK(none.bytes() == 0);
  CHECK(budget->evictions() == 0);  // no limit: counted, never enforced
}

TEST_CASE("MemoryBudget: past maxBytes the live account holding the most is evicted, once",
          "[stream][budget]") {
  auto budget = std::make_shared<MemoryBudget>(MemoryBudgetOptions{.maxBytes = 1000});
  Evicted small;
  Evicted large;
  Evicted growing;
  auto smallAccount = budget->open(small.record());
  auto largeAccount = budget->open(large.record());
  auto growingAccount = budget->open(growing.record());
  MemoryCharge smallCharge(smallAccount);
  MemoryCharge largeCharge(largeAccount);
  MemoryCharge growingCharge(growingAccount);
  smallCharge.set(100);
  largeCharge.set(600);
  growingCharge.set(300);
  CHECK(budget->evictions() == 0);  // 1000: at the budget, not past it
  // The small account's growth takes the budget past: the largest goes, not it.
  smallCharge.set(150);
  REQUIRE(large.evictions.size() == 1);
  CHECK(small.evictions.empty());
  CHECK(growing.evictions.empty());
  CHECK(largeAccount->evicted());
  CHECK(large.evictions[0].accountBytes == 600);
  CHECK(large.evictions[0].liveBytes == 1050);
  CHECK(large.evictions[0].limit == 1000);
  CHECK_FALSE(large.evictions[0].perAccount);
  // Its bytes are still held (counted) but on their way out: they evict no
  // one else, and the evicted account is not told twice.
  CHECK(budget->usedBytes() == 1050);
  CHECK(budget->evictedBytes() == 600);
  largeCharge.set(900);
  smallCharge.set(300);
  CHECK(budget->evictions() == 1);
  CHECK(large.evictions.size() == 1);
  CHECK(budget->evictedBytes() == 900);
  // Once they are let go, the live accounts have the budget again.
  largeCharge.set(0);
  CHECK(budget->evictedBytes() == 0);
  CHECK(budget->usedBytes() == 600);
  // Past it again: the largest live account now is the growing one.
  growingCharge.set(800);
  CHECK(growing.evictions.size() == 1);
  CHECK(small.evictions.empty());
  CHECK(budget->evictions() == 2);
  CHECK(budget->peakBytes() == 1500);
}

TEST_CASE("MemoryBudget: accounts close in any order, the others still counted and evicted",
          "[stream][budget]") {
  auto budget = std::make_shared<MemoryBudget>(MemoryBudgetOptions{.maxBytes = 100});
  std::vector<Evicted> evicted(4);
  std::vector<std::shared_ptr<MemoryAccount>> accounts;
  for (Evicted& each : evicted)
    accounts.push_back(budget->open(each.record()));
  // The first and a middle one close: the later accounts take their places.
  accounts[1].reset();
  accounts[0].reset();
  CHECK(budget->accounts() == 2);
  {
    MemoryCharge small(accounts[2]);
    MemoryCharge large(accounts[3]);
    small.set(10);
    large.set(150);
    CHECK(evicted[3].evictions.size() == 1);
    CHECK(evicted[2].evictions.empty());
  }
  accounts[3].reset();
  CHECK(budget->accounts() == 1);
  {
    MemoryCharge charge(accounts[2]);
    charge.set(101);
    CHECK(evicted[2].evictions.size() == 1);
  }
  accounts[2].reset();
  CHECK(budget->accounts() == 0);
  CHECK(budget->usedBytes() == 0);
}

TEST_CASE("MemoryBudget: an account past maxBytesPerAccount is evicted alone", "[stream][budget]") {
  auto budget = std::make_shared<MemoryBudget>(
      MemoryBudgetOptions{.maxBytes = 10'000, .maxBytesPerAccount = 500});
  Evicted greedy;
  Evicted modest;
  auto greedyAccount = budget->open(greedy.record());
  auto modestAccount = budget->open(modest.record());
  MemoryCharge modestCharge(modestAccount);
  modestCharge.set(500);
  MemoryCharge greedyCharge(greedyAccount);
  greedyCharge.set(501);
  REQUIRE(greedy.evictions.size() == 1);
  CHECK(greedy.evictions[0].perAccount);
  CHECK(greedy.evictions[0].accountBytes == 501);
  CHECK(greedy.evictions[0].limit == 500);
  CHECK(modest.evictions.empty());
}

TEST_CASE("MemoryBudget: an account must come from a shared budget", "[stream][budget]") {
  MemoryBudget budget;
  CHECK_THROWS_AS(budget.open(nullptr), TypeError);
}

TEST_CASE("Stream memory account: a Readable charges its queue until it is read",
          "[stream][budget]") {
  asio::io_context io;
  auto budget = std::make_shared<MemoryBudget>();
  auto account = budget->open(nullptr);
  auto source = manualSource(io);
  source->push(bytes("early"));
  // Bytes queued before the account was given are charged at once.
  source->setMemoryAccount(account);
  CHECK(source->memoryAccount() == account);
  CHECK(account->bytes() == 5);
  source->push(bytes("0123456789"));
  CHECK(account->bytes() == 15);
  std::optional<Buffer> read = source->read(8);
  REQUIRE(read);
  CHECK(account->bytes() == 7);
  static_cast<void>(source->read());
  CHECK(account->bytes() == 0);
  source->push(bytes("abc"));
  source->setMemoryAccount(nullptr);
  CHECK(account->bytes() == 0);
  settle(io);
}

TEST_CASE("Stream memory account: a Writable charges what waits to be written",
          "[stream][budget]") {
  asio::io_context io;
  auto budget = std::make_shared<MemoryBudget>(MemoryBudgetOptions{.maxBytes = 20});
  Evicted evicted;
  auto account = budget->open(evicted.record());
  std::vector<WriteCallback> pending;
  auto sink = std::make_shared<Writable>(
      io, WritableOptions{.write = [&pending](Writable&, Buffer, const WriteCallback& done) {
        pending.push_back(done);
      }});
  sink->setMemoryAccount(account);
  sink->write(bytes("0123456789"));  // being written
  sink->write(bytes("abcdef"));      // queued behind it
  CHECK(account->bytes() == 16);
  CHECK(evicted.evictions.empty());
  // A peer that does not read: the replies pile up past the budget.
  sink->write(bytes("ghijklmnop"));
  REQUIRE(evicted.evictions.size() == 1);
  CHECK(evicted.evictions[0].accountBytes == 26);
  // Written: released.
  REQUIRE(pending.size() == 1);
  pending[0]();
  settle(io);
  CHECK(account->bytes() == 16);
  // Destroyed: the queue is dropped once the write in progress is done with
  // its chunk, and its charge with it.
  sink->destroy();
  settle(io);
  CHECK(account->bytes() == 16);
  REQUIRE(pending.size() == 2);
  pending[1]();
  settle(io);
  CHECK(account->bytes() == 0);
  CHECK(budget->usedBytes() == 0);
}

TEST_CASE("Stream memory account: object-mode sides are not charged", "[stream][budget]") {
  asio::io_context io;
  auto budget = std::make_shared<MemoryBudget>();
  auto account = budget->open(nullptr);
  auto source = manualSource(io, ReadableOptions{.objectMode = true});
  source->setMemoryAccount(account);
  source->push(bytes("a frame"));
  CHECK(account->bytes() == 0);
  CHECK(source->memoryAccount() == account);
  settle(io);
}
