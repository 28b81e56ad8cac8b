// SPDX-License-Identifier: Apache-2.0
// nats_bus_peer: trading.wk's messages over NATS with MessageBus, for the
// interop test with Node's `nats` client (js/test/nats/interop.ts).
//
//   nats_bus_peer --server 127.0.0.1:4222 --mode publish|consume --json FILE
//                 [--count 1000] [--seed 1] [--timeout 60]
//
// Both modes subscribe to the 4 default subjects (demo.trading.<Message>)
// and write each message received, in order, to FILE as a JSON line
// (fmt::format of its decoder: `wirekit decode`'s JSON form, which reads
// every field), until --count messages of each of the 4 types have come.
// consume: prints "ready" once the server has the subscriptions; another
// client publishes. publish: sends the messages itself, made from the seed
// (trading_samples), each to its default subject, waiting for 'drain' when
// send() says false, and checks each one received back (the server echoes
// a client's own messages to its subscriptions) field by field against what
// it sent. Exits 1 on any mismatch, bad message, error or timeout.

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <fstream>
#include <memory>
#include <string>

#include <fmt/format.h>
#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>

#include <wirekit/transport/nats/client.hpp>
#include <wirekit/transport/nats/message_bus.hpp>

#include "command_line.hpp"
#include "trading_samples.hpp"

namespace trading = demo::trading;
using Bus = wirekit::nats::MessageBus<trading::Schema>;

int main(int argc, char** argv) {
  const trading_samples::CommandLine options(
      argc, argv,
      "nats_bus_peer --server HOST:PORT --mode publish|consume --json FILE [--count 1000] "
      "[--seed 1] [--timeout 60]",
      {"server", "mode", "json", "count", "seed", "timeout"});
  const std::string mode = options.text("mode", "");
  if (mode != "publish" && mode != "consume") options.fail("--mode is publish or consume");
  std::ofstream json(options.text("json", ""));
  if (!json) options.fail("--json: cannot create '" + options.text("json", "") + "'");
  const std::uint64_t count = options.number("count", 1000, UINT64_MAX / 4);
  const std::uint64_t total = count * trading_samples::Samples::typeCount;
  const std::uint64_t seed = options.number("seed", 1);
  trading_samples::Samples sent(seed);
  trading_samples::Samples expected(seed);

  asio::io_context io;
  wirekit::nats::Options natsOptions;
  natsOptions.servers = {options.text("server", "127.0.0.1:4222")};
  natsOptions.name = "nats_bus_peer " + mode;
  natsOptions.reconnect = false;
  auto client = wirekit::nats::connect(io, natsOptions);
  auto bus = std::make_shared<Bus>(client);

  std::string failure;
  std::uint64_t received = 0;
  asio::steady_timer deadline(io, std::chrono::seconds(options.number("timeout", 60)));
  auto fail = [&](const std::string& why) {
    if (!failure.empty()) return;
    failure = why;
    deadline.cancel();
    client->close();
  };
  deadline.async_wait([&](const std::error_code& code) {
    if (!code) fail(fmt::format("timed out: {} of {} messages received", received, total));
  });
  auto onError = [&](const std::exception_ptr& error) { fail(wirekit::errorMessage(error)); };
  client->on(wirekit::events::error, onError);
  bus->on(wirekit::events::error, onError);

  auto receive = [&](const auto& message) {
    ++received;
    json << fmt::format("{}\n", message);
    if (mode == "publish") {
      if (std::string difference = expected.check(message); !difference.empty())
        return fail(fmt::format("message {}: {}", received - 1, difference));
    }
    if (received == total) {
      fmt::print("{} messages received\n", total);
      deadline.cancel();
      client->drain();
    }
  };
  bus->on<trading::NewOrder>(receive);
  bus->on<trading::ExecutionReport>(receive);
  bus->on<trading::MarketDataIncremental>(receive);
  bus->on<trading::Heartbeat>(receive);

  auto sendMore = [&] {
    while (sent.index() < total) {
      if (!sent.sendNext(*bus)) return;
    }
  };
  // The flush's PONG: the server has the subscriptions.
  client->flush([&](const std::exception_ptr& error) {
    if (error) return fail(wirekit::errorMessage(error));
    if (mode == "publish") {
      bus->on(wirekit::events::drain, sendMore);
      sendMore();
    } else {
      fmt::print("ready\n");
      std::fflush(stdout);
    }
  });
  io.run();
  json.close();
  if (failure.empty() && !json) failure = "--json: cannot write";
  if (!failure.empty()) {
    fmt::print(stderr, "nats_bus_peer {}: {}\n", mode, failure);
    return 1;
  }
  return 0;
}
