// SPDX-License-Identifier: Apache-2.0
#pragma once
// MemoryBudget: a bound on the bytes that many connections together make a
// process hold, as Netty's and nginx's users bound a server's buffers: what a
// peer can make a server buffer (frames it has begun, chunks read and not yet
// consumed, replies it does not read) is charged to the peer's account, and
// the accounts to one budget.
//
//   auto budget = std::make_shared<MemoryBudget>(MemoryBudgetOptions{.maxBytes = 64 << 20});
//   auto account = budget->open([&socket](const MemoryEviction& why) { /* evict */ });
//   socket->setMemoryAccount(account);   // its readable and writable sides charge it
//
// Each holder of bytes has a MemoryCharge on its account and sets it to what
// it holds now (a stream side's length, a frame decoder's buffers); the
// account sums its charges, the budget its accounts. When a charge takes the
// budget over maxBytes, the budget evicts the live account holding the most;
// when it takes an account over maxBytesPerAccount, that account. Evicting
// calls the account's evict callback, once, with why; the callback
// must end what the account pays for (a TcpServer destroys the connection,
// on the next turn: the callback runs inside whatever charged). An evicted
// account's bytes are still counted in used() until its holders let them go,
// since they are still held, but no longer count towards evicting others: a
// connection that behaves is not evicted for bytes that are on their way out.
//
// Evicting rather than pausing: a peer that has sent most of a long frame
// and stops would keep its bytes for as long as it stays paused, and the
// well-behaved connections would be paused in turn while the budget stays
// spent. The connection holding the most is the one to go.
//
// A budget and its accounts live on one thread (the event loop of the
// streams that charge them). Accounts hold their budget, charges their
// account; the budget holds neither.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <utility>
#include <vector>
#include "wirekit/detail/function.hpp"

#include "wirekit/export.hpp"

namespace wirekit {

class MemoryBudget;

// Why an account was evicted.
struct MemoryEviction {
  // What the account held.
  std::size_t accountBytes = 0;
  // What the live accounts held together (the evicted one included).
  std::size_t liveBytes = 0;
  // The limit it broke: maxBytesPerAccount when perAccount, else maxBytes.
  std::size_t limit = 0;
  bool perAccount = false;
};

// The bytes one connection (or any unit that can be evicted as a whole) holds.
class WIREKIT_EXPORT MemoryAccount {
 public:
  // Called once, when the budget evicts this account, with why.
  using Evict = std::function<void(const MemoryEviction& eviction)>;

  MemoryAccount(std::shared_ptr<MemoryBudget> budget, Evict evict);
  MemoryAccount(const MemoryAccount&) = delete;
  MemoryAccount& operator=(const MemoryAccount&) = delete;
  ~MemoryAccount();

  // Bytes its charges hold now.
  [[nodiscard]] std::size_t bytes() const noexcept { return bytes_; }
  // The most it has held at once.
  [[nodiscard]] std::size_t peakBytes() const noexcept { return peakBytes_; }
  // The budget has evicted it.
  [[nodiscard]] bool evicted() const noexcept { return evicted_; }
  [[nodiscard]] const std::shared_ptr<MemoryBudget>& budget() const noexcept { return budget_; }

 private:
  friend class MemoryBudget;
  friend class MemoryCharge;

  void grow(std::size_t bytes);
  void shrink(std::size_t bytes) noexcept;

  std::shared_ptr<MemoryBudget> budget_;
  Evict evict_;
  std::size_t bytes_ = 0;
  std::size_t peakBytes_ = 0;
  bool evicted_ = false;
  std::size_t slot_ = 0;  // this account's index in its budget's accounts_
};

// One holder's share of an account: set() it to the bytes held now. Without
// an account, set() does nothing (one test). Releases what it holds when
// destroyed.
class WIREKIT_EXPORT MemoryCharge {
 public:
  MemoryCharge() noexcept = default;
  explicit MemoryCharge(std::shared_ptr<MemoryAccount> account) noexcept
      : account_(std::move(account)) {}
  MemoryCharge(const MemoryCharge&) = delete;
  MemoryCharge& operator=(const MemoryCharge&) = delete;
  MemoryCharge(MemoryCharge&& other) noexcept
      : account_(std::move(other.account_)), bytes_(std::exchange(other.bytes_, 0)) {}
  MemoryCharge& operator=(MemoryCharge&& other) noexcept {
    if (this != &other) {
      set(0);
      account_ = std::move(other.account_);
      bytes_ = std::exchange(other.bytes_, 0);
    }
    return *this;
  }
  ~MemoryCharge() { set(0); }

  // Charges bytes in place of what was charged before. Growing may evict an
  // account (this one or another) before it returns.
  void set(std::size_t bytes) {
    if (account_ && bytes != bytes_) update(bytes);
  }
  // set(bytes) on account, the charge moving there first if it was on
  // another: for a holder that follows a stream's memoryAccount(), which may
  // be given after the holder was made.
  void set(const std::shared_ptr<MemoryAccount>& account, std::size_t bytes) {
    if (account != account_) {
      set(0);
      account_ = account;
    }
    set(bytes);
  }
  [[nodiscard]] std::size_t bytes() const noexcept { return bytes_; }
  [[nodiscard]] const std::shared_ptr<MemoryAccount>& account() const noexcept { return account_; }

 private:
  void update(std::size_t bytes);

  std::shared_ptr<MemoryAccount> account_;
  std::size_t bytes_ = 0;
};

struct MemoryBudgetOptions {
  // The most all accounts together may hold before the one holding the most
  // is evicted. None: counted, never enforced.
  std::optional<std::size_t> maxBytes{};
  // The most one account may hold before it is evicted. None: no cap of its own.
  std::optional<std::size_t> maxBytesPerAccount{};
};

class WIREKIT_EXPORT MemoryBudget : public std::enable_shared_from_this<MemoryBudget> {
 public:
  explicit MemoryBudget(MemoryBudgetOptions options = {}) : options_(options) {}
  MemoryBudget(const MemoryBudget&) = delete;
  MemoryBudget& operator=(const MemoryBudget&) = delete;
  ~MemoryBudget() = default;

  // A new account, evicted through evict. TypeError if the budget is not
  // owned by a std::shared_ptr.
  [[nodiscard]] std::shared_ptr<MemoryAccount> open(MemoryAccount::Evict evict);

  [[nodiscard]] const MemoryBudgetOptions& options() const noexcept { return options_; }
  // Bytes charged now, by every account (evicted ones included), and the most
  // at once.
  [[nodiscard]] std::size_t usedBytes() const noexcept { return used_; }
  [[nodiscard]] std::size_t peakBytes() const noexcept { return peak_; }
  // Of usedBytes(), what evicted accounts still hold (on its way out).
  [[nodiscard]] std::size_t evictedBytes() const noexcept { return evictedBytes_; }
  // Accounts open, and evicted since the budget was made.
  [[nodiscard]] std::size_t accounts() const noexcept { return accounts_.size(); }
  [[nodiscard]] std::uint64_t evictions() const noexcept { return evictions_; }

 private:
  friend class MemoryAccount;

  void grew(MemoryAccount& account, std::size_t bytes);
  void shrank(MemoryAccount& account, std::size_t bytes) noexcept;
  void evict(MemoryAccount& account, const MemoryEviction& eviction);

  MemoryBudgetOptions options_;
  // The open accounts, in no particular order: each knows its slot, so that
  // one closes in constant time (swapped with the last) without a hash set,
  // whose header every stream user would compile.
  std::vector<MemoryAccount*> accounts_;
  std::size_t used_ = 0;
  std::size_t peak_ = 0;
  std::size_t evictedBytes_ = 0;
  std::uint64_t evictions_ = 0;
};

}  // namespace wirekit
