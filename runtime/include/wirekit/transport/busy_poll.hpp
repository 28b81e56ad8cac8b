// SPDX-License-Identifier: Apache-2.0
#pragma once
// Busy polling: an event loop that keeps polling for its next event for a
// while before it sleeps. io_context::run() sleeps in epoll_wait as soon as
// nothing is ready, and the peer's bytes then wake it: on a virtual machine a
// wake-up costs several microseconds, a large part of a loopback or LAN round
// trip. Polling instead (epoll_wait with no timeout, in a loop) saves the
// wake-up and costs the CPU the loop runs on, at 100% while it polls. It is
// the one option wirekit offers for latency (docs/transports.md, "Latency:
// busy polling"); the default stays io_context::run(), which spends no CPU
// while idle.
//
//   asio::io_context io;
//   ... // servers, sockets, MessageStreams
//   wirekit::runBusyPolling(io, {.spin = std::chrono::microseconds(200)});
//
// Give each polling loop a CPU of its own: two loops polling on one CPU take
// turns by the scheduler's time slices, and each waits for the other's.

#include <chrono>
#include <cstddef>

#include "wirekit/export.hpp"

namespace asio {
class io_context;
}  // namespace asio

namespace wirekit {

struct BusyPollOptions {
  // How long the loop polls after its last event before it sleeps until the
  // next one: longer than the round trips it waits for (a reply over
  // loopback takes tens of microseconds, over a LAN about a hundred). 0
  // never polls (io_context::run()'s behaviour). RangeError if negative.
  std::chrono::microseconds spin{200};
};

// As io.run_one(): runs one handler, waiting for one when none is ready, and
// returns 1; 0 once io is stopped or has run out of work. It waits by
// polling for up to options.spin, then by sleeping.
WIREKIT_EXPORT std::size_t runOneBusyPolling(asio::io_context& io,
                                             const BusyPollOptions& options = {});

// As io.run(): runs handlers until io is stopped or has run out of work, and
// returns how many it ran; after each handler it polls for up to
// options.spin before it sleeps.
WIREKIT_EXPORT std::size_t runBusyPolling(asio::io_context& io,
                                          const BusyPollOptions& options = {});

}  // namespace wirekit
