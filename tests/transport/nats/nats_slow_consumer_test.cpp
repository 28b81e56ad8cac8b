// SPDX-License-Identifier: Apache-2.0
// A slow consumer against a real nats-server with a small max_pending: its
// handler runs on the io_context's thread, so while it dawdles the client
// reads nothing more (its memory stays bounded), the server's buffer for it
// fills and the server cuts it ("Slow Consumer", no -ERR); it reconnects and
// its subscription is restored, while a subscriber that keeps up loses
// nothing. The slow client runs on a thread of its own, as a slow service
// would: its sleeping handler must not stop the publisher.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <fstream>
#include <string>
#include <thread>

#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <catch2/catch.hpp>

#include "../../process_memory.hpp"
#include "../transport_test_support.hpp"
#include "nats_server.hpp"
#include "nats_test_client.hpp"
#include "wirekit/transport/nats/client.hpp"

using namespace wirekit;
using namespace wirekit::test;
using namespace std::chrono_literals;
using nats::Message;
using nats::Options;

namespace {

// The server's bound on the bytes it holds for a client that does not read.
constexpr std::size_t maxPending = std::size_t{64} * 1024;
constexpr std::size_t payloadSize = 1024;
// What the publisher sends in all: far more than the kernel's socket buffers
// and max_pending hold, so that a client reading everything into memory would
// show as tens of MiB.
constexpr std::size_t floodBytes = std::size_t{32} * 1024 * 1024;
// Messages the publisher may have sent that the well-behaved subscriber has
// not yet received: well under max_pending, so that it is never the slow one,
// even on a loaded machine.
constexpr std::uint64_t window = 16;

// Polls done (set by another thread) for at most limit.
template <class Done>
bool waitFor(Done done, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(10ms);
  return done();
}

}  // namespace

TEST_CASE(
    "nats: a slow consumer is cut by the server, stays bounded, reconnects and resubscribes") {
  REQUIRE_NATS_SERVER();
  // (max_payload may not exceed max_pending.)
  const ScratchFile config("nats-slow-consumer.conf");
  std::ofstream(config.path()) << "max_pending: " << maxPending
                               << "\nmax_payload: 8192\nwrite_deadline: \"500ms\"\n";
  NatsServer server({"-c", config.path()});

  // The slow client, on its own io_context and thread.
  asio::io_context slowIo;
  Options slowOptions;
  slowOptions.name = "slow";
  slowOptions.reconnectTimeWait = 50ms;
  slowOptions.reconnectJitter = 10ms;
  auto slow = connectTo(slowIo, server, slowOptions);
  std::atomic<bool> dawdle{true};
  std::atomic<std::uint64_t> slowReceived{0};
  std::atomic<bool> slowSawAfter{false};
  std::atomic<int> slowDisconnects{0};
  std::atomic<int> slowReconnects{0};
  std::string disconnectReason;  // written by the slow thread, read after it ends
  std::size_t slowPeakAllocated = 0;
  slow->client->on(events::disconnect, [&](const std::exception_ptr& reason) {
    if (disconnectReason.empty()) disconnectReason = errorMessage(reason);
    ++slowDisconnects;
  });
  slow->client->on(events::reconnect, [&] { ++slowReconnects; });
  slow->client->subscribe("flood", [&](const Message& message) {
    if (message.string() == "after") {
      slowSawAfter = true;
      return;
    }
    ++slowReceived;
    slowPeakAllocated = std::max(slowPeakAllocated, allocatedBytes());
    if (dawdle) std::this_thread::sleep_for(2ms);
  });
  flushed(slowIo, *slow->client);

  asio::io_context io;
  auto good = connectTo(io, server);
  auto publisher = connectTo(io, server);
  std::uint64_t goodReceived = 0;
  bool goodSawAfter = false;
  good->client->subscribe("flood", [&](const Message& message) {
    if (message.string() == "after")
      goodSawAfter = true;
    else
      ++goodReceived;
  });
  flushed(io, *good->client);

  const std::size_t baseline = allocatedBytes();
  auto work = asio::make_work_guard(slowIo);
  slowIo.restart();
  std::thread slowThread([&slowIo] { slowIo.run(); });
  // Stops the slow thread: at the end, or however the test ends (a failed
  // REQUIRE included).
  struct Stop {
    std::atomic<bool>& dawdle;
    asio::io_context& io;
    nats::Client& client;
    std::thread& thread;
    void operator()() const {
      if (!thread.joinable()) return;
      dawdle = false;
      asio::post(io, [this] {
        client.close();
        io.stop();
      });
      thread.join();
    }
    ~Stop() { (*this)(); }
  } stop{dawdle, slowIo, *slow->client, slowThread};

  // The flood, paced by the subscriber that keeps up.
  const Buffer payload = Buffer::alloc(payloadSize, std::uint8_t{'x'});
  const std::uint64_t total = floodBytes / payloadSize;
  std::uint64_t published = 0;
  std::size_t mainPeakAllocated = baseline;
  while (published < total) {
    for (std::uint64_t i = 0; i < window && published < total; ++i, ++published)
      publisher->client->publish("flood", payload);
    runUntil(
        io, [&] { return published - goodReceived <= window; }, 10s);
    mainPeakAllocated = std::max(mainPeakAllocated, allocatedBytes());
  }
  runUntil(
      io, [&] { return goodReceived == published; }, 10s);

  // The server cut the slow client: it says so in its log, not to the client.
  CHECK(waitFor([&] { return server.log().find("Slow Consumer") != std::string::npos; }, 5s));
  INFO("server log:\n" << server.log());
  CHECK(slowReceived < total);  // what the server held for it when it cut it is gone
  dawdle = false;
  REQUIRE(waitFor([&] { return slowReconnects >= 1; }, 10s));
  CHECK(slowDisconnects >= 1);

  // Its subscription is back: a message published now reaches it.
  publisher->client->publish("flood", Buffer::from("after"));
  flushed(io, *publisher->client);
  runUntil(
      io, [&] { return goodSawAfter; }, 5s);
  CHECK(waitFor([&] { return slowSawAfter.load(); }, 5s));

  // The well-behaved subscriber got every message and was never cut.
  CHECK(goodReceived == total);
  CHECK(good->disconnects == 0);
  CHECK(good->errors.empty());
  CHECK(publisher->disconnects == 0);

  // What the slow client went through, read once its thread is done.
  stop();
  INFO("the slow client's disconnect: " << disconnectReason);
  // The server says nothing (no -ERR): the client says what it knows.
  CHECK_THAT(disconnectReason,
             Catch::StartsWith("ERR_NATS_DISCONNECTED: the server closed the connection to " +
                               server.url()));
  CHECK(slow->errors.empty());
  // It read no further than its handler: the bytes allocated while it
  // dawdled are a small part of the flood (a client that read everything
  // into memory would hold tens of MiB).
  const std::size_t peak = std::max(slowPeakAllocated, mainPeakAllocated);
  INFO("allocated: " << baseline << " bytes before the flood, at most " << peak << " during it");
  CHECK(peak < baseline + floodBytes / 4);
}
