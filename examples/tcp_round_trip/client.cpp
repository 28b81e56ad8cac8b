// SPDX-License-Identifier: Apache-2.0
// client: sends --count messages of every type of schemas/examples/trading.wk
// to an echo_server, fields set from a seeded random generator, checks every
// echoed message field by field against what it sent, and prints how many
// round-tripped and how fast. Exits 1 on any mismatch, bad message, error or
// timeout.
//
//   client [--host 127.0.0.1] [--port 7000] [--count 100000] [--seed 1] [--timeout 60]

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>

#include <fmt/format.h>
#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>

#include <wirekit/message/message_stream.hpp>
#include <wirekit/transport/tcp_socket.hpp>

#include "command_line.hpp"
#include "trading_samples.hpp"

namespace trading = demo::trading;
using Messages = wirekit::MessageStream<trading::Schema>;
using Clock = std::chrono::steady_clock;

int main(int argc, char** argv) {
  const trading_samples::CommandLine options(
      argc, argv,
      "client [--host 127.0.0.1] [--port 7000] [--count 100000] [--seed 1] [--timeout 60]",
      {"host", "port", "count", "seed", "timeout"});
  const std::string host = options.text("host", "127.0.0.1");
  const auto port = static_cast<std::uint16_t>(options.number("port", 7000, 65535));
  const std::uint64_t count = options.number("count", 100000, UINT64_MAX / 4);
  const std::uint64_t seed = options.number("seed", 1);
  const std::uint64_t timeout = options.number("timeout", 60);
  const std::uint64_t total = count * trading_samples::Samples::typeCount;

  asio::io_context io;
  auto socket = wirekit::connect(io, host, port);
  auto messages = std::make_shared<Messages>(socket);
  // The same seed twice: one makes the messages to send, the other the
  // messages expected back, in the same order.
  trading_samples::Samples sent(seed);
  trading_samples::Samples expected(seed);
  std::uint64_t mismatches = 0;
  bool failed = false;
  Clock::time_point start;
  Clock::time_point finish;
  asio::steady_timer deadline(io, std::chrono::seconds(timeout));

  auto fail = [&](const std::string& why) {
    if (failed) return;
    failed = true;
    fmt::print(stderr, "client: {}\n", why);
    deadline.cancel();
    messages->destroy();
  };
  // Sends until the socket holds its highWaterMark, then again on 'drain'.
  auto sendMore = [&] {
    while (sent.index() < total) {
      if (!sent.sendNext(*messages)) return;
    }
  };
  // Called with each echoed message, as its own type.
  auto check = [&](const auto& message) {
    if (std::string difference = expected.check(message); !difference.empty()) {
      if (++mismatches <= 10) fmt::print(stderr, "client: mismatch: {}\n", difference);
    }
    if (expected.index() == total) {
      finish = Clock::now();
      deadline.cancel();
      messages->end();
    }
  };
  messages->on<trading::NewOrder>(check);
  messages->on<trading::ExecutionReport>(check);
  messages->on<trading::MarketDataIncremental>(check);
  messages->on<trading::Heartbeat>(check);
  messages->on(wirekit::events::drain, sendMore);
  messages->on(wirekit::events::badMessage, [&](const wirekit::MessageError& error) {
    fail(fmt::format("bad message: {}", error.what()));
  });
  messages->on(wirekit::events::error,
               [&](const std::exception_ptr& error) { fail(wirekit::errorMessage(error)); });
  messages->on(wirekit::events::end, [&] {
    if (expected.index() < total) {
      fail(fmt::format("the server ended the connection after {} of {} messages", expected.index(),
                       total));
    }
  });
  socket->once(wirekit::events::connect, [&] {
    fmt::print("client: connected to {}:{}; sending {} messages of each of {} types (seed {})\n",
               host, port, count, trading_samples::Samples::typeCount, seed);
    start = Clock::now();
    sendMore();
  });
  deadline.async_wait([&](const std::error_code& code) {
    if (!code) {
      fail(fmt::format("timed out after {} s: {} of {} messages echoed", timeout, expected.index(),
                       total));
    }
  });
  io.run();

  if (failed || mismatches > 0 || expected.index() != total) {
    fmt::print("client: FAILED: {} of {} messages came back, {} differed from what was sent\n",
               expected.index(), total, mismatches);
    return 1;
  }
  fmt::print("client: {} of {} messages round-tripped, every field as sent\n", expected.index(),
             total);
  fmt::print("client: {} each way\n",
             trading_samples::throughput(total, messages->sentBytes(), finish - start));
  return 0;
}
