// SPDX-License-Identifier: Apache-2.0
// Must not compile: a message type where the schema's Schema struct belongs.
// The build fails naming the GeneratedSchema concept.
#include <memory>

#include <asio/io_context.hpp>

#include <wirekit/message/message_stream.hpp>
#include <wirekit/stream/pass_through.hpp>

#include "trading.wk.hpp"

int main() {
  asio::io_context io;
  auto messages = std::make_shared<wirekit::MessageStream<demo::trading::NewOrder>>(
      std::make_shared<wirekit::PassThrough>(io));
}
