// SPDX-License-Identifier: Apache-2.0
#pragma once
// What the NATS client tests share: a client whose events are recorded, and
// a flush run to its PONG.

#include <exception>
#include <memory>
#include <vector>

#include <asio/io_context.hpp>
#include <catch2/catch.hpp>

#include "../transport_test_support.hpp"
#include "nats_server.hpp"
#include "wirekit/transport/nats/client.hpp"

namespace wirekit::test {

// A client and what it emitted: its errors (none is expected unless a test
// says so), whether it opened and closed, its disconnects and reconnects.
struct NatsConnection {
  std::shared_ptr<nats::Client> client;
  std::vector<std::exception_ptr> errors;
  bool open = false;
  bool closed = false;
  int disconnects = 0;
  int reconnects = 0;
};

// A client of server (of options.servers when they are given), connected
// before it is returned when waitOpen.
inline std::unique_ptr<NatsConnection> connectTo(asio::io_context& io, const NatsServer& server,
                                                 nats::Options options = {}, bool waitOpen = true) {
  auto connection = std::make_unique<NatsConnection>();
  NatsConnection& seen = *connection;
  if (options.servers == nats::Options{}.servers) options.servers = {server.url()};
  seen.client = std::make_shared<nats::Client>(io, std::move(options));
  seen.client->on(events::error,
                  [&seen](const std::exception_ptr& error) { seen.errors.push_back(error); });
  seen.client->on(events::close, [&seen] { seen.closed = true; });
  seen.client->on(events::disconnect, [&seen](const std::exception_ptr&) { ++seen.disconnects; });
  seen.client->on(events::reconnect, [&seen] { ++seen.reconnects; });
  seen.client->connect([&seen] { seen.open = true; });
  if (waitOpen) runUntil(io, [&] { return seen.open; });
  return connection;
}

// flush(), run until its PONG.
inline void flushed(asio::io_context& io, nats::Client& client) {
  bool done = false;
  client.flush([&done](const std::exception_ptr& error) {
    CHECK_FALSE(error);
    done = true;
  });
  runUntil(io, [&] { return done; });
}

}  // namespace wirekit::test
