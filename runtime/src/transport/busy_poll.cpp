// SPDX-License-Identifier: Apache-2.0
#include "wirekit/transport/busy_poll.hpp"

#include <fmt/format.h>
#include <asio/io_context.hpp>

#include "wirekit/error.hpp"

namespace wirekit {

namespace {

void checkOptions(const BusyPollOptions& options) {
  if (options.spin.count() < 0) {
    throw RangeError(fmt::format(
        "The value of \"spin\" is out of range. It must be >= 0 microseconds. Received {}",
        options.spin.count()));
  }
}

std::size_t runOne(asio::io_context& io, std::chrono::steady_clock::duration spin) {
  if (spin.count() > 0) {
    const auto deadline = std::chrono::steady_clock::now() + spin;
    do {
      // poll_one() runs a ready handler, or asks the kernel without waiting
      // (epoll_wait with a zero timeout) and returns 0.
      if (const std::size_t ran = io.poll_one()) return ran;
      if (io.stopped()) return 0;
    } while (std::chrono::steady_clock::now() < deadline);
  }
  return io.run_one();
}

}  // namespace

std::size_t runOneBusyPolling(asio::io_context& io, const BusyPollOptions& options) {
  checkOptions(options);
  return runOne(io, options.spin);
}

std::size_t runBusyPolling(asio::io_context& io, const BusyPollOptions& options) {
  checkOptions(options);
  std::size_t ran = 0;
  while (const std::size_t one = runOne(io, options.spin))
    ran += one;
  return ran;
}

}  // namespace wirekit
