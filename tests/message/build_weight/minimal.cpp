// SPDX-License-Identifier: Apache-2.0
// The minimal translation unit of docs/performance.md ("Build"): a
// MessageStream over a PassThrough, one handler, one send. The test
// message.build_weight compiles it and bounds the compiler's peak memory.
#include <wirekit/message/message_stream.hpp>
#include <wirekit/stream/pass_through.hpp>
#include "trading.wk.hpp"
namespace trading = demo::trading;
void use(asio::io_context& context);
void use(asio::io_context& context) {
  auto pipe = std::make_shared<wirekit::PassThrough>(context);
  auto messages = std::make_shared<wirekit::MessageStream<trading::Schema>>(pipe);
  messages->on<trading::NewOrder>([](const trading::NewOrder::Decoder&) {});
  messages->send<trading::NewOrder>([](trading::NewOrder::Encoder& order) { order.orderId(7); });
}
