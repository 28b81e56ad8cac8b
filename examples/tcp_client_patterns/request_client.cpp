// SPDX-License-Identifier: Apache-2.0
// request_client: the client side of a service, as docs/clients.md tells it.
// It connects to an echo_server (examples/tcp_round_trip), waits for
// 'connect', reconnects with backoff when the connection fails or drops, and
// makes --requests requests with a timeout each: a request is a NewOrder
// whose orderId is its id, and the reply the server sends back carries it.
// A request cut off by a dropped connection is sent again on the next one.
//
//   request_client [--host 127.0.0.1] [--port 7000] [--requests 100] [--window 8]
//                  [--timeout-ms 1000] [--drop-every 0] [--max-attempts 8]
//                  [--backoff-ms 100]
//
// --drop-every N closes the connection after every N replies, to show the
// reconnection. Exits 0 once every request is answered or timed out, 1 when
// it gives up connecting, 2 on a usage error.

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <memory>
#include <string>
#include <utility>

#include <fmt/format.h>
#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>

#include <wirekit/message/message_stream.hpp>
#include <wirekit/transport/tcp_socket.hpp>

#include "backoff.hpp"
#include "command_line.hpp"
#include "pending_requests.hpp"
#include "trading.wk.hpp"

namespace trading = demo::trading;
using Messages = wirekit::MessageStream<trading::Schema>;

namespace {

struct Options {
  std::string host;
  std::uint16_t port = 0;
  std::uint64_t requests = 0;
  std::uint64_t window = 0;
  std::chrono::milliseconds timeout{};
  // How long one connection attempt may take, name resolution included.
  std::chrono::milliseconds connectTimeout{5000};
  std::uint64_t dropEvery = 0;
  client_patterns::BackoffOptions backoff;
};

// Lines go to a pipe when run by a test: flush each one.
template <class... Args>
void say(fmt::format_string<Args...> format, Args&&... args) {
  fmt::print(format, std::forward<Args>(args)...);
  std::fflush(stdout);
}

class Client {
 public:
  Client(asio::io_context& io, Options options)
      : io_(io),
        options_(std::move(options)),
        backoff_(options_.backoff),
        retry_(io),
        pending_(io) {
    for (std::uint64_t id = 1; id <= options_.requests; ++id)
      queue_.push_back(id);
  }

  void start() { connect(); }

  [[nodiscard]] bool gaveUp() const noexcept { return gaveUp_; }
  void report() const {
    say("{} requests: {} answered, {} timed out, {} late replies dropped, {} reconnections\n",
        options_.requests, answered_, timedOut_, pending_.lateReplies(), reconnections_);
  }

 private:
  // [connect]
  // One connection: a socket, and a MessageStream over it made at once (what
  // is sent before 'connect' waits for it). Its 'close' comes after a refused
  // or failed connect as after a dropped connection: either way, try again.
  void connect() {
    auto socket = wirekit::connect(
        io_, wirekit::ConnectOptions{
                 .host = options_.host, .port = options_.port, .timeout = options_.connectTimeout});
    messages_ = std::make_shared<Messages>(socket);
    socket->once(wirekit::events::connect, [this] {
      say("connected to {}:{}\n", options_.host, options_.port);
      backoff_.reset();
      sendMore();
    });
    messages_->on<trading::NewOrder>(
        [this](const trading::NewOrder::Decoder& reply) { pending_.reply(reply.orderId()); });
    messages_->on(wirekit::events::error, [](const std::exception_ptr& error) {
      say("connection error: {}\n", wirekit::errorMessage(error));
    });
    messages_->on(wirekit::events::close, [this] { onClose(); });
  }

  void onClose() {
    pending_.failAll();
    if (finished()) return;
    const auto delay = backoff_.next();
    if (!delay) {
      say("gave up after {} attempts to reconnect\n", backoff_.failures());
      gaveUp_ = true;
      return;
    }
    say("reconnecting in {} ms (attempt {} of {})\n", delay->count(), backoff_.failures(),
        backoff_.options().maxAttempts);
    ++reconnections_;
    retry_.expires_after(*delay);
    retry_.async_wait([this](const std::error_code& code) {
      if (!code) connect();
    });
  }
  // [/connect]

  // [request]
  // Keeps up to --window requests in flight. Each has its own timer; the
  // reply (matched by orderId), the timeout or the connection's loss
  // settles it, once.
  void sendMore() {
    while (!queue_.empty() && pending_.size() < options_.window) {
      const std::uint64_t id = queue_.front();
      queue_.pop_front();
      pending_.add(id, options_.timeout,
                   [this](std::uint64_t settledId, client_patterns::Outcome outcome) {
                     settled(settledId, outcome);
                   });
      messages_->send<trading::NewOrder>([id](trading::NewOrder::Encoder& order) {
        order.orderId(id).symbol("ACME").side(trading::Side::Buy).ordType(trading::OrdType::Limit);
      });
    }
  }

  void settled(std::uint64_t id, client_patterns::Outcome outcome) {
    using client_patterns::Outcome;
    if (outcome == Outcome::connectionLost) {
      queue_.push_front(id);  // cut off: send it again on the next connection
      return;
    }
    ++(outcome == Outcome::answered ? answered_ : timedOut_);
    if (finished()) {
      messages_->end();
    } else if (outcome == Outcome::answered && options_.dropEvery != 0 &&
               answered_ % options_.dropEvery == 0) {
      messages_->destroy();  // a dropped connection, for the demonstration
    } else {
      sendMore();
    }
  }
  // [/request]

  [[nodiscard]] bool finished() const noexcept {
    return answered_ + timedOut_ == options_.requests;
  }

  asio::io_context& io_;
  Options options_;
  client_patterns::Backoff backoff_;
  asio::steady_timer retry_;
  client_patterns::PendingRequests pending_;
  std::shared_ptr<Messages> messages_;
  std::deque<std::uint64_t> queue_;
  std::uint64_t answered_ = 0;
  std::uint64_t timedOut_ = 0;
  std::uint64_t reconnections_ = 0;
  bool gaveUp_ = false;
};

}  // namespace

int main(int argc, char** argv) {
  const trading_samples::CommandLine line(
      argc, argv,
      "request_client [--host 127.0.0.1] [--port 7000] [--requests 100] [--window 8] "
      "[--timeout-ms 1000] [--drop-every 0] [--max-attempts 8] [--backoff-ms 100]",
      {"host", "port", "requests", "window", "timeout-ms", "drop-every", "max-attempts",
       "backoff-ms"});
  Options options;
  options.host = line.text("host", "127.0.0.1");
  options.port = static_cast<std::uint16_t>(line.number("port", 7000, 65535));
  options.requests = line.number("requests", 100);
  options.window = line.number("window", 8);
  options.timeout = std::chrono::milliseconds(line.number("timeout-ms", 1000, 3600000));
  options.dropEvery = line.number("drop-every", 0);
  options.backoff.maxAttempts = static_cast<std::uint32_t>(line.number("max-attempts", 8, 1000));
  options.backoff.initial = std::chrono::milliseconds(line.number("backoff-ms", 100, 60000));
  if (options.window == 0) line.fail("--window must be at least 1");

  asio::io_context io;
  Client client(io, options);
  client.start();
  io.run();
  client.report();
  return client.gaveUp() ? 1 : 0;
}
