// SPDX-License-Identifier: Apache-2.0
// TcpSocket's timeouts and socket options, TcpServer's maxConnections and
// 'drop': the API, one behaviour at a time (tests/service/ plays whole
// hostile peers against a service).

#include <catch2/catch.hpp>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include <asio/steady_timer.hpp>

#include "transport_test_support.hpp"
#include "wirekit/error.hpp"
#include "wirekit/transport/tcp_server.hpp"
#include "wirekit/transport/tcp_socket.hpp"

using namespace wirekit;
using namespace wirekit::test;
using namespace std::chrono_literals;

namespace {

std::shared_ptr<TcpServer> listenOn(asio::io_context& io, TcpServerOptions options,
                                    std::vector<std::shared_ptr<TcpSocket>>& accepted) {
  auto server = createServer(io, options, [&accepted](const std::shared_ptr<TcpSocket>& socket) {
    accepted.push_back(socket);
  });
  server->listen(0, "127.0.0.1");
  runUntil(io, [&] { return server->listening(); });
  return server;
}

int intOption(TcpSocket& socket, int level, int name) {
  int value = 0;
  socklen_t length = sizeof value;
  REQUIRE(::getsockopt(socket.native_handle(), level, name, &value, &length) == 0);
  return value;
}

void closeAndDrain(asio::io_context& io, TcpServer& server) {
  server.close();
  drain(io, 1s);
}

}  // namespace

TEST_CASE("TcpSocket: setTimeout emits 'timeout' once per idle spell and destroys nothing") {
  asio::io_context io;
  std::vector<std::shared_ptr<TcpSocket>> accepted;
  auto server = listenOn(io, {}, accepted);
  auto socket = connect(io, "127.0.0.1", server->port());
  runUntil(io, [&] { return !socket->pending() && accepted.size() == 1; });
  CHECK(socket->timeout() == 0ms);

  int timeouts = 0;
  int listenerCalls = 0;
  socket->on(events::timeout, [&] { ++timeouts; });
  socket->setTimeout(50ms, [&] { ++listenerCalls; });
  CHECK(socket->timeout() == 50ms);
  runUntil(io, [&] { return timeouts == 1; });
  // Still open, and no second 'timeout' while it stays idle.
  asio::steady_timer wait(io, 150ms);
  bool waited = false;
  wait.async_wait([&](std::error_code) { waited = true; });
  runUntil(io, [&] { return waited; });
  CHECK(timeouts == 1);
  CHECK(listenerCalls == 1);
  CHECK_FALSE(socket->destroyed());
  // Activity starts a new spell.
  accepted.front()->write(rawBuffer("ping"));
  runUntil(io, [&] { return timeouts == 2; });
  CHECK_FALSE(socket->destroyed());
  // 0 turns it off.
  socket->setTimeout(0ms);
  accepted.front()->write(rawBuffer("ping"));
  wait.expires_after(150ms);
  waited = false;
  wait.async_wait([&](std::error_code) { waited = true; });
  runUntil(io, [&] { return waited; });
  CHECK(timeouts == 2);
  socket->destroy();
  closeAndDrain(io, *server);
}

TEST_CASE("TcpSocket: activity keeps 'timeout' away") {
  asio::io_context io;
  std::vector<std::shared_ptr<TcpSocket>> accepted;
  auto server = listenOn(io, {}, accepted);
  TcpSocketOptions options;
  options.timeout = 120ms;
  auto socket = connect(io, {.host = "127.0.0.1", .port = server->port()}, {}, options);
  runUntil(io, [&] { return !socket->pending() && accepted.size() == 1; });
  CHECK(socket->timeout() == 120ms);
  // What is checked is how long the socket had been quiet when 'timeout' came,
  // not that it never came: on a loaded machine a tick can be late by more than
  // the timeout, and then 'timeout' is right. Without the reset on activity it
  // comes 30 ms or less after a byte.
  using Clock = std::chrono::steady_clock;
  auto lastData = Clock::now();
  std::vector<Clock::duration> quietBeforeTimeout;
  socket->on(events::data, [&](const Buffer&) { lastData = Clock::now(); });
  socket->on(events::timeout, [&] { quietBeforeTimeout.push_back(Clock::now() - lastData); });
  // A byte every 30 ms for 300 ms.
  asio::steady_timer tick(io);
  int ticks = 0;
  std::function<void()> next = [&] {
    accepted.front()->write(rawBuffer("."));
    tick.expires_after(30ms);
    tick.async_wait([&](std::error_code code) {
      if (!code && ++ticks < 10) next();
    });
  };
  next();
  runUntil(io, [&] { return ticks == 10; });
  const auto timeoutsWhileTicking = quietBeforeTimeout.size();
  runUntil(io, [&] { return quietBeforeTimeout.size() > timeoutsWhileTicking; });
  REQUIRE_FALSE(quietBeforeTimeout.empty());
  for (const auto quiet : quietBeforeTimeout)
    CHECK(quiet >= 100ms);
  socket->destroy();
  closeAndDrain(io, *server);
}

TEST_CASE("TcpServer: a connection's 'timeout' destroys it with ETIMEDOUT, unless told not to") {
  for (const bool destroyOnTimeout : {true, false}) {
    INFO("destroyOnTimeout " << destroyOnTimeout);
    asio::io_context io;
    std::vector<std::shared_ptr<TcpSocket>> accepted;
    TcpServerOptions options;
    options.socket.timeout = 50ms;
    options.destroyOnTimeout = destroyOnTimeout;
    auto server = listenOn(io, options, accepted);
    std::exception_ptr serverError;
    int timeouts = 0;
    server->on(events::connection, [&](const std::shared_ptr<TcpSocket>& socket) {
      socket->on(events::error, [&](const std::exception_ptr& error) { serverError = error; });
      socket->on(events::timeout, [&] { ++timeouts; });
    });
    auto socket = connect(io, "127.0.0.1", server->port());
    bool clientClosed = false;
    socket->on(events::close, [&] { clientClosed = true; });
    socket->on(events::error, [](const std::exception_ptr&) {});
    runUntil(io, [&] { return timeouts == 1; });
    if (destroyOnTimeout) {
      runUntil(io, [&] { return clientClosed; });
      const auto error = errorAs<ConnectionError>(serverError);
      CHECK(error.code() == std::errc::timed_out);
      CHECK(error.syscall() == "read");
      CHECK(server->connections() == 0);
    } else {
      CHECK_FALSE(accepted.front()->destroyed());
      CHECK(server->connections() == 1);
      socket->destroy();
    }
    closeAndDrain(io, *server);
  }
}

TEST_CASE("TcpSocket: a write the peer never reads fails with write ETIMEDOUT") {
  asio::io_context io;
  std::vector<std::shared_ptr<TcpSocket>> accepted;
  auto server = listenOn(io, {}, accepted);
  TcpSocketOptions options;
  options.writeTimeout = 100ms;
  options.sendBufferSize = 8192;
  auto socket = connect(io, {.host = "127.0.0.1", .port = server->port()}, {}, options);
  std::exception_ptr failure;
  socket->on(events::error, [&](const std::exception_ptr& error) { failure = error; });
  runUntil(io, [&] { return !socket->pending() && accepted.size() == 1; });
  // The server side never reads: pause it before anything arrives.
  accepted.front()->pause();
  const Buffer block = Buffer::alloc(64 * 1024, static_cast<std::uint8_t>('w'));
  std::function<void()> fill = [&] {
    while (socket->write(block)) {
    }
    socket->once(events::drain, fill);
  };
  fill();
  runUntil(
      io, [&] { return failure != nullptr; }, 10s);
  const auto error = errorAs<ConnectionError>(failure);
  CHECK(error.code() == std::errc::timed_out);
  CHECK(error.syscall() == "write");
  CHECK_THAT(error.what(), Catch::StartsWith("write ETIMEDOUT 127.0.0.1:"));
  closeAndDrain(io, *server);
}

TEST_CASE("TcpSocket: socket options reach the descriptor") {
  asio::io_context io;
  std::vector<std::shared_ptr<TcpSocket>> accepted;
  auto server = listenOn(io, {}, accepted);
  TcpSocketOptions options;
  options.keepAlive = true;
  options.keepAliveInitialDelay = 30s;
  options.keepAliveInterval = 5s;
  options.keepAliveCount = 4;
  options.recvBufferSize = 32 * 1024;
  options.sendBufferSize = 48 * 1024;
  options.linger = 2s;
  options.userTimeout = 20s;
  auto socket = connect(io, {.host = "127.0.0.1", .port = server->port()}, {}, options);
  CHECK(socket->native_handle() >= -1);
  CHECK(socket->getRecvBufferSize() == 0);  // not connected yet
  runUntil(io, [&] { return !socket->pending(); });
  REQUIRE(socket->native_handle() >= 0);
  CHECK(intOption(*socket, SOL_SOCKET, SO_KEEPALIVE) == 1);
  CHECK(intOption(*socket, IPPROTO_TCP, TCP_KEEPIDLE) == 30);
  CHECK(intOption(*socket, IPPROTO_TCP, TCP_KEEPINTVL) == 5);
  CHECK(intOption(*socket, IPPROTO_TCP, TCP_KEEPCNT) == 4);
  // Linux reports twice what was set.
  CHECK(socket->getRecvBufferSize() == 2 * 32 * 1024);
  CHECK(socket->getSendBufferSize() == 2 * 48 * 1024);
  linger lingering{};
  socklen_t length = sizeof lingering;
  REQUIRE(::getsockopt(socket->native_handle(), SOL_SOCKET, SO_LINGER, &lingering, &length) == 0);
  CHECK(lingering.l_onoff == 1);
  CHECK(lingering.l_linger == 2);
#ifdef TCP_USER_TIMEOUT
  CHECK(intOption(*socket, IPPROTO_TCP, TCP_USER_TIMEOUT) == 20000);
#endif
  // Node's setKeepAlive(enable, initialDelay), and the setters.
  socket->setKeepAlive(true, 90s);
  CHECK(intOption(*socket, IPPROTO_TCP, TCP_KEEPIDLE) == 90);
  socket->setKeepAlive(false);
  CHECK(intOption(*socket, SOL_SOCKET, SO_KEEPALIVE) == 0);
  socket->setRecvBufferSize(16 * 1024);
  CHECK(socket->getRecvBufferSize() == 2 * 16 * 1024);
  socket->setSendBufferSize(16 * 1024);
  CHECK(socket->getSendBufferSize() == 2 * 16 * 1024);
  socket->destroy();
  closeAndDrain(io, *server);
}

TEST_CASE("TcpServer: maxConnections closes the connections beyond it, each a 'drop'") {
  asio::io_context io;
  std::vector<std::shared_ptr<TcpSocket>> accepted;
  TcpServerOptions options;
  options.maxConnections = 2;
  auto server = listenOn(io, options, accepted);
  std::vector<DroppedConnection> drops;
  server->on(events::drop, [&](const DroppedConnection& dropped) { drops.push_back(dropped); });

  std::vector<std::shared_ptr<TcpSocket>> clients;
  std::vector<bool> ended(4, false);
  for (std::size_t i = 0; i < 4; ++i) {
    clients.push_back(connect(io, "127.0.0.1", server->port()));
    clients.back()->on(events::end, [&ended, i] { ended[i] = true; });
    clients.back()->on(events::error, [](const std::exception_ptr&) {});
    runUntil(io, [&] { return accepted.size() + drops.size() == i + 1; });
  }
  CHECK(accepted.size() == 2);
  CHECK(server->connections() == 2);
  CHECK(server->droppedConnections() == 2);
  REQUIRE(drops.size() == 2);
  CHECK(drops[0].remote.port == clients[2]->localPort());
  CHECK(drops[0].remote.address == "127.0.0.1");
  CHECK(drops[0].local.port == server->port());
  CHECK(drops[1].remote.port == clients[3]->localPort());
  // The dropped clients see the connection closed; the others are served.
  runUntil(io, [&] { return ended[2] && ended[3]; });
  CHECK_FALSE(ended[0]);
  // Once one closes, there is room again.
  clients[0]->destroy();
  runUntil(io, [&] { return server->connections() == 1; });
  clients.push_back(connect(io, "127.0.0.1", server->port()));
  runUntil(io, [&] { return accepted.size() == 3; });
  CHECK(server->droppedConnections() == 2);
  for (const auto& client : clients)
    client->destroy();
  closeAndDrain(io, *server);
}
