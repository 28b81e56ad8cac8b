// SPDX-License-Identifier: Apache-2.0
// client: sends --count messages of every type of schemas/examples/trading.wk
// to an echo_server, fields set from a seeded random generator, checks every
// echoed message field by field against what it sent, and prints how many
// round-tripped and how fast. Exits 1 on any mismatch, bad message, error or
// timeout.
//
//   client [--host 127.0.0.1] [--port 7000] [--count 100000] [--seed 1] [--timeout 60]
//          [--record FILE] [--sent FILE]
//
// --record FILE writes the connection's bytes both ways to a pcap capture
// (record_traffic.hpp); --sent FILE writes each message sent as a JSON line,
// as `wirekit decode` prints it, so that a test can check a decoder of the
// capture against them (record_test.py).

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>

#include <wirekit/message/message_stream.hpp>
#include <wirekit/message/schema_messages.hpp>
#include <wirekit/transport/tcp_socket.hpp>

#include "command_line.hpp"
#include "record_traffic.hpp"
#include "trading_samples.hpp"

namespace trading = demo::trading;
using Messages = wirekit::MessageStream<trading::Schema>;
using Clock = std::chrono::steady_clock;

namespace {

// Takes the place of the MessageStream for a Samples of the same seed: each
// message is encoded with the same fill as the one sent and written as
// fmt::format of its decoder, `wirekit decode`'s JSON form.
class SentLog {
 public:
  explicit SentLog(std::ostream& out) : out_(out) {}

  template <class Message, class Fill>
  bool send(Fill&& fill) {
    const wirekit::DataView view{std::span<std::byte>(space_)};
    {
      auto encoder = Message::encode(view);
      fill(encoder);
      static_cast<void>(encoder.encodedLength());
    }
    out_ << std::visit([](const auto& decoder) { return fmt::format("{}\n", decoder); },
                       wirekit::SchemaMessages<trading::Schema>::decode(view));
    return true;
  }

 private:
  std::ostream& out_;
  std::vector<std::byte> space_ =
      std::vector<std::byte>(wirekit::MessageStreamOptions{}.maxFrameLength);
};

}  // namespace

int main(int argc, char** argv) {
  const trading_samples::CommandLine options(
      argc, argv,
      "client [--host 127.0.0.1] [--port 7000] [--count 100000] [--seed 1] [--timeout 60] "
      "[--record FILE] [--sent FILE]",
      {"host", "port", "count", "seed", "timeout", "record", "sent"});
  const std::string host = options.text("host", "127.0.0.1");
  const auto port = static_cast<std::uint16_t>(options.number("port", 7000, 65535));
  const std::uint64_t count = options.number("count", 100000, UINT64_MAX / 4);
  const std::uint64_t seed = options.number("seed", 1);
  const std::uint64_t timeout = options.number("timeout", 60);
  const std::uint64_t total = count * trading_samples::Samples::typeCount;

  asio::io_context io;
  auto socket = wirekit::connect(io, host, port);
  std::unique_ptr<tcp_round_trip::Recording> recording;
  std::shared_ptr<Messages> messages;
  if (options.has("record")) {
    try {
      recording = tcp_round_trip::recordTraffic(io, socket, options.text("record", ""));
    } catch (const std::exception& error) {
      fmt::print(stderr, "client: --record: {}\n", error.what());
      return 1;
    }
    messages = std::make_shared<Messages>(recording->readable(), recording->writable());
  } else {
    messages = std::make_shared<Messages>(socket);
  }
  std::ofstream sentFile;
  std::optional<SentLog> sentLog;
  if (options.has("sent")) {
    sentFile.open(options.text("sent", ""));
    if (!sentFile) options.fail("--sent: cannot create " + options.text("sent", ""));
    sentLog.emplace(sentFile);
  }
  // The same seed three times: one makes the messages to send, one the
  // messages expected back, in the same order, and one those for --sent.
  trading_samples::Samples sent(seed);
  trading_samples::Samples expected(seed);
  trading_samples::Samples logged(seed);
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
    // With --record the MessageStream holds the taps, not the socket.
    socket->destroy();
  };
  // Sends until the socket holds its highWaterMark, then again on 'drain'.
  auto sendMore = [&] {
    while (sent.index() < total) {
      if (sentLog) logged.sendNext(*sentLog);
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
  // A pipe does not pass the socket's errors on to the taps.
  if (recording) {
    socket->on(wirekit::events::error,
               [&](const std::exception_ptr& error) { fail(wirekit::errorMessage(error)); });
  }
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
  try {
    if (recording) recording->close();
    if (sentFile.is_open() && !sentFile.flush()) throw wirekit::Error("--sent: cannot write");
  } catch (const std::exception& error) {
    fmt::print(stderr, "client: {}\n", error.what());
    return 1;
  }

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
