// SPDX-License-Identifier: Apache-2.0
#pragma once
// Backoff: how long to wait before each reconnection attempt. Exponential
// (initial, then times multiplier), capped at max, with "equal jitter" (a
// random half of the delay on top of the other half) so that clients cut off
// together do not all come back at the same moment; bounded: after
// maxAttempts failed attempts in a row it says to give up. A connection that
// was made resets it.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>
#include <random>

namespace client_patterns {

struct BackoffOptions {
  std::chrono::milliseconds initial{100};
  std::chrono::milliseconds max{5000};
  double multiplier = 2.0;
  // Reconnection attempts in a row, with no connection made, before giving up.
  std::uint32_t maxAttempts = 8;
};

class Backoff {
 public:
  explicit Backoff(BackoffOptions options, std::uint64_t seed = std::random_device{}())
      : options_(options), random_(seed) {}

  // The wait before the next attempt, or nullopt once maxAttempts attempts
  // in a row have failed.
  // [next]
  [[nodiscard]] std::optional<std::chrono::milliseconds> next() {
    if (failures_ >= options_.maxAttempts) return std::nullopt;
    ++failures_;
    const double full = std::min(static_cast<double>(options_.max.count()), ceiling_);
    ceiling_ = std::min(static_cast<double>(options_.max.count()), ceiling_ * options_.multiplier);
    std::uniform_real_distribution<double> half(0.0, full / 2);
    return std::chrono::milliseconds(static_cast<std::int64_t>(full / 2 + half(random_)));
  }
  // [/next]

  // A connection was made: the next failure starts from `initial` again.
  void reset() {
    failures_ = 0;
    ceiling_ = static_cast<double>(options_.initial.count());
  }

  [[nodiscard]] std::uint32_t failures() const noexcept { return failures_; }
  [[nodiscard]] const BackoffOptions& options() const noexcept { return options_; }

 private:
  BackoffOptions options_;
  std::mt19937_64 random_;
  std::uint32_t failures_ = 0;
  double ceiling_ = static_cast<double>(options_.initial.count());
};

}  // namespace client_patterns
