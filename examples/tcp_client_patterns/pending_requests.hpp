// SPDX-License-Identifier: Apache-2.0
#pragma once
// PendingRequests: request/response over a message stream, where a reply
// carries the id of its request. Each request gets a timer; the first of
// the reply, the timeout and the connection's loss settles it, once. A reply
// after the deadline is late, dropped and counted: also when it is read before
// the timer's handler has run (the event loop may run either first).

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <system_error>
#include <utility>

#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>

namespace client_patterns {

// How a request ended.
enum class Outcome { answered, timedOut, connectionLost };

class PendingRequests {
 public:
  using Clock = asio::steady_timer::clock_type;
  using Settled = std::function<void(std::uint64_t id, Outcome outcome)>;

  explicit PendingRequests(asio::io_context& context) : context_(context) {}

  // Starts the timer of request `id`; `settled` runs once, with its outcome.
  void add(std::uint64_t id, std::chrono::milliseconds timeout, Settled settled) {
    auto timer = std::make_unique<asio::steady_timer>(context_, timeout);
    timer->async_wait([this, id](const std::error_code& code) {
      if (!code) settle(id, Outcome::timedOut);
    });
    pending_.insert_or_assign(id, Pending{std::move(timer), std::move(settled)});
  }

  // A reply for `id`: settles its request, or counts it late.
  void reply(std::uint64_t id) {
    const auto found = pending_.find(id);
    if (found == pending_.end() || found->second.timer->expiry() <= Clock::now()) {
      ++lateReplies_;
      settle(id, Outcome::timedOut);
      return;
    }
    settle(id, Outcome::answered);
  }

  // The connection is gone: no reply will come for what was sent on it.
  // Settles the highest id first, so that a client putting them back at the
  // front of its queue keeps them in order.
  void failAll() {
    while (!pending_.empty())
      settle(pending_.rbegin()->first, Outcome::connectionLost);
  }

  [[nodiscard]] std::size_t size() const noexcept { return pending_.size(); }
  [[nodiscard]] std::uint64_t lateReplies() const noexcept { return lateReplies_; }

 private:
  struct Pending {
    std::unique_ptr<asio::steady_timer> timer;
    Settled settled;
  };

  void settle(std::uint64_t id, Outcome outcome) {
    auto found = pending_.find(id);
    if (found == pending_.end()) return;
    Pending request = std::move(found->second);
    pending_.erase(found);
    request.timer->cancel();
    request.settled(id, outcome);
  }

  asio::io_context& context_;
  std::map<std::uint64_t, Pending> pending_;
  std::uint64_t lateReplies_ = 0;
};

}  // namespace client_patterns
