// SPDX-License-Identifier: Apache-2.0
// A client that checks a server skips bad bytes and goes on: heartbeat 1, then
// raw bytes written to the socket as they are, then heartbeat 2.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <asio/io_context.hpp>

#include "wirekit/bytes/buffer.hpp"
#include "wirekit/message/message_stream.hpp"
#include "wirekit/transport/tcp_socket.hpp"

namespace wirekit::test {

// Connects to 127.0.0.1:port with a MessageStream<Schema>, sends
// Heartbeat(1), `raw`, Heartbeat(2), and returns the sentAt of each Heartbeat
// the server sends back until the stream closes (it ends after two):
// {1, 2} when the server dropped the raw bytes and served the rest.
// runUntil(io, done) runs the loop as the calling test runs it.
template <class Schema, class Heartbeat, class RunUntil>
std::vector<std::uint64_t> heartbeatsAround(asio::io_context& io, std::uint16_t port,
                                            const Buffer& raw, RunUntil runUntil) {
  auto socket = connect(io, "127.0.0.1", port);
  auto messages = std::make_shared<MessageStream<Schema>>(socket);
  std::vector<std::uint64_t> beats;
  bool closed = false;
  messages->template on<Heartbeat>([&](const typename Heartbeat::Decoder& beat) {
    beats.push_back(beat.sentAt());
    if (beats.size() == 2) messages->end();
  });
  messages->on(events::close, [&] { closed = true; });
  socket->once(events::connect, [&] {
    messages->template send<Heartbeat>([](auto& beat) { beat.sentAt(1); });
    messages->flush();
    socket->write(raw);
    messages->template send<Heartbeat>([](auto& beat) { beat.sentAt(2); });
  });
  runUntil(io, [&] { return closed; });
  return beats;
}

}  // namespace wirekit::test
