// SPDX-License-Identifier: Apache-2.0
// Must not compile: a NewOrder handler that takes a Heartbeat. The build
// fails with on<Message>'s static_assert, not std::function's internals.
#include <memory>

#include <asio/io_context.hpp>

#include <wirekit/message/message_stream.hpp>
#include <wirekit/stream/pass_through.hpp>

#include "trading.wk.hpp"

int main() {
  asio::io_context io;
  auto messages = std::make_shared<wirekit::MessageStream<demo::trading::Schema>>(
      std::make_shared<wirekit::PassThrough>(io));
  messages->on<demo::trading::NewOrder>([](const demo::trading::Heartbeat::Decoder&) {});
}
