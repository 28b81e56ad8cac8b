#pragma once
// flushed(): what the NATS tests do to know the server has processed all a
// client sent (its subscriptions, its publishes) before they go on.

#include <exception>

#include <asio/io_context.hpp>
#include <catch2/catch.hpp>

#include "../transport_test_support.hpp"
#include "wirekit/transport/nats/client.hpp"

namespace wirekit::test {

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
