// SPDX-License-Identifier: Apache-2.0
#include "wirekit/stream/memory_budget.hpp"

#include <algorithm>
#include <utility>

#include "wirekit/error.hpp"

namespace wirekit {

MemoryAccount::MemoryAccount(std::shared_ptr<MemoryBudget> budget, Evict evict)
    : budget_(std::move(budget)), evict_(std::move(evict)), slot_(budget_->accounts_.size()) {
  budget_->accounts_.push_back(this);
}

MemoryAccount::~MemoryAccount() {
  // Charges hold their account: none is left when it goes.
  auto& accounts = budget_->accounts_;
  MemoryAccount* last = accounts.back();
  accounts[slot_] = last;
  last->slot_ = slot_;
  accounts.pop_back();
}

void MemoryAccount::grow(std::size_t bytes) {
  bytes_ += bytes;
  peakBytes_ = std::max(peakBytes_, bytes_);
  budget_->grew(*this, bytes);
}

void MemoryAccount::shrink(std::size_t bytes) noexcept {
  bytes_ -= bytes;
  budget_->shrank(*this, bytes);
}

void MemoryCharge::update(std::size_t bytes) {
  // The charge is set first: an eviction that runs inside grow() sees it.
  const std::size_t before = std::exchange(bytes_, bytes);
  if (bytes > before) {
    account_->grow(bytes - before);
  } else {
    account_->shrink(before - bytes);
  }
}

std::shared_ptr<MemoryAccount> MemoryBudget::open(MemoryAccount::Evict evict) {
  std::shared_ptr<MemoryBudget> self = weak_from_this().lock();
  if (!self) {
    throw TypeError("MemoryBudget: must be owned by a std::shared_ptr (std::make_shared)");
  }
  return std::make_shared<MemoryAccount>(std::move(self), std::move(evict));
}

void MemoryBudget::grew(MemoryAccount& account, std::size_t bytes) {
  used_ += bytes;
  peak_ = std::max(peak_, used_);
  if (account.evicted_) {
    evictedBytes_ += bytes;
    return;
  }
  if (options_.maxBytesPerAccount && account.bytes_ > *options_.maxBytesPerAccount) {
    evict(account, {.accountBytes = account.bytes_,
                    .liveBytes = used_ - evictedBytes_,
                    .limit = *options_.maxBytesPerAccount,
                    .perAccount = true});
  }
  if (!options_.maxBytes) return;
  // The accounts holding the most go until the live ones fit; usually one.
  // A scan per eviction: evictions are rare, and an account's bytes change
  // too often to keep them ordered.
  while (used_ - evictedBytes_ > *options_.maxBytes) {
    MemoryAccount* largest = nullptr;
    for (MemoryAccount* candidate : accounts_) {
      if (!candidate->evicted_ && (largest == nullptr || candidate->bytes_ > largest->bytes_))
        largest = candidate;
    }
    if (largest == nullptr || largest->bytes_ == 0) return;
    evict(*largest, {.accountBytes = largest->bytes_,
                     .liveBytes = used_ - evictedBytes_,
                     .limit = *options_.maxBytes});
  }
}

void MemoryBudget::shrank(MemoryAccount& account, std::size_t bytes) noexcept {
  used_ -= bytes;
  if (account.evicted_) evictedBytes_ -= bytes;
}

void MemoryBudget::evict(MemoryAccount& account, const MemoryEviction& eviction) {
  account.evicted_ = true;
  evictedBytes_ += account.bytes_;
  ++evictions_;
  if (account.evict_) std::exchange(account.evict_, nullptr)(eviction);
}

}  // namespace wirekit
