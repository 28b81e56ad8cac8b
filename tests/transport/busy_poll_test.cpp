// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include <time.h>

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <asio/steady_timer.hpp>

#include "transport_test_support.hpp"
#include "wirekit/error.hpp"
#include "wirekit/transport/busy_poll.hpp"
#include "wirekit/transport/tcp_server.hpp"
#include "wirekit/transport/tcp_socket.hpp"

using namespace wirekit;
using namespace wirekit::test;
using namespace std::chrono_literals;

namespace {

// CPU time the calling thread has used: a loop that sleeps in epoll_wait uses
// next to none, one that polls uses its CPU for as long as it polls.
std::chrono::nanoseconds threadCpuTime() {
  timespec now{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return std::chrono::seconds(now.tv_sec) + std::chrono::nanoseconds(now.tv_nsec);
}

// The CPU time runOneBusyPolling uses while it waits for a handler another
// thread posts after delay.
std::chrono::nanoseconds cpuTimeWaiting(std::chrono::microseconds spin,
                                        std::chrono::milliseconds delay) {
  asio::io_context io;
  auto guard = asio::make_work_guard(io);
  bool ran = false;
  std::thread poster([&] {
    std::this_thread::sleep_for(delay);
    asio::post(io, [&ran] { ran = true; });
  });
  const auto before = threadCpuTime();
  const std::size_t handlers = runOneBusyPolling(io, {.spin = spin});
  const auto used = threadCpuTime() - before;
  poster.join();
  REQUIRE(handlers == 1);
  REQUIRE(ran);
  return used;
}

}  // namespace

TEST_CASE("busy polling: runOneBusyPolling runs one ready handler, and 0 once out of work") {
  asio::io_context io;
  int ran = 0;
  asio::post(io, [&ran] { ++ran; });
  asio::post(io, [&ran] { ++ran; });
  REQUIRE(runOneBusyPolling(io) == 1);
  REQUIRE(ran == 1);
  REQUIRE(runOneBusyPolling(io) == 1);
  REQUIRE(ran == 2);
  REQUIRE(runOneBusyPolling(io) == 0);
  REQUIRE(io.stopped());
}

TEST_CASE("busy polling: a stopped io_context returns at once, work or not") {
  asio::io_context io;
  auto guard = asio::make_work_guard(io);
  bool ran = false;
  asio::post(io, [&ran] { ran = true; });
  io.stop();
  REQUIRE(runOneBusyPolling(io, {.spin = 10s}) == 0);
  REQUIRE(runBusyPolling(io, {.spin = 10s}) == 0);
  REQUIRE_FALSE(ran);
}

TEST_CASE("busy polling: runBusyPolling runs handlers until out of work, or until stopped") {
  asio::io_context io;
  int ran = 0;
  std::function<void()> next = [&] {
    if (++ran < 10) asio::post(io, next);
  };
  asio::post(io, next);
  REQUIRE(runBusyPolling(io) == 10);
  REQUIRE(ran == 10);

  // With work outstanding (a guard) it stops only when told.
  io.restart();
  auto guard = asio::make_work_guard(io);
  asio::post(io, [&] { asio::post(io, [&] { io.stop(); }); });
  REQUIRE(runBusyPolling(io, {.spin = 10s}) == 2);
}

TEST_CASE("busy polling: a negative spin is a RangeError") {
  asio::io_context io;
  REQUIRE_THROWS_MATCHES(runOneBusyPolling(io, {.spin = -1us}), RangeError,
                         Catch::Message("The value of \"spin\" is out of range. It must be >= 0 "
                                        "microseconds. Received -1"));
  REQUIRE_THROWS_AS(runBusyPolling(io, {.spin = -1us}), RangeError);
}

// Bounds on CPU time with wide margins: a loaded machine gives a polling
// thread less CPU than its wall time, never a sleeping one more.
TEST_CASE("busy polling: polls within spin, sleeps after it, and never with spin 0") {
  SECTION("within spin: the thread keeps its CPU while it waits") {
    REQUIRE(cpuTimeWaiting(10s, 200ms) >= 20ms);
  }
  SECTION("after spin: it sleeps until the handler") {
    REQUIRE(cpuTimeWaiting(5ms, 400ms) < 150ms);
  }
  SECTION("spin 0: io_context::run_one(), no polling") {
    REQUIRE(cpuTimeWaiting(0us, 400ms) < 150ms);
  }
}

TEST_CASE("busy polling: sockets are served while the loop polls (an echo over loopback)") {
  asio::io_context io;
  auto server =
      createServer(io, {}, [](const std::shared_ptr<TcpSocket>& socket) { socket->pipe(socket); });
  bool listening = false;
  server->listen(0, "127.0.0.1", [&listening] { listening = true; });
  while (!listening)
    REQUIRE(runOneBusyPolling(io) == 1);

  // The loop's bound: a timer that wakes it, should the echo never come.
  asio::steady_timer limit(io, 20s);
  bool late = false;
  limit.async_wait([&late](const std::error_code& error) { late = !error; });

  auto client = connect(io, ConnectOptions{.host = "127.0.0.1", .port = server->port()});
  std::string received;
  client->on(events::data, [&received](const Buffer& chunk) { received += rawString(chunk); });
  const std::string sent(10000, 'w');
  client->write(rawBuffer(sent));
  while (received.size() < sent.size() && !late)
    REQUIRE(runOneBusyPolling(io, {.spin = 1ms}) == 1);
  REQUIRE(received == sent);
  limit.cancel();
  client->destroy();
  server->close();
  drain(io);
}
