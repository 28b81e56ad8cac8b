// echo_server: a TCP service for the messages of schemas/examples/trading.wk.
// Every frame a client sends is decoded with the schema (so a bad one is
// reported, not echoed) and sent back as it came. It serves any number of
// clients at once until SIGINT or SIGTERM.
//
//   echo_server [--host 127.0.0.1] [--port 7000]      (--port 0: any free port)

#include <csignal>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <set>
#include <string>
#include <variant>

#include <fmt/format.h>
#include <asio/io_context.hpp>
#include <asio/signal_set.hpp>

#include <wirekit/message/message_stream.hpp>
#include <wirekit/transport/tcp_server.hpp>

#include "command_line.hpp"
#include "trading.wk.hpp"

namespace trading = demo::trading;
using Messages = wirekit::MessageStream<trading::Schema>;

namespace {

// Lines go to a pipe or a file when run by scripts: flush each one.
template <class... Args>
void say(fmt::format_string<Args...> format, Args&&... args) {
  fmt::print(format, std::forward<Args>(args)...);
  std::fflush(stdout);
}

// One connection: echo each message; stop reading while the client does not
// keep up with the echoes, so that neither side buffers without bound.
void serve(const std::shared_ptr<wirekit::TcpSocket>& socket,
           std::set<std::shared_ptr<Messages>>& connections) {
  auto messages = std::make_shared<Messages>(socket);
  connections.insert(messages);
  // Listeners are owned by the stream they listen to: capture a plain pointer.
  Messages* stream = messages.get();
  const std::string peer = fmt::format("{}:{}", socket->remoteAddress(), socket->remotePort());

  stream->onAny([stream, peer](const Messages::AnyMessage& message, const wirekit::Buffer& frame) {
    if (stream->receivedMessages() == 1) {
      std::visit([&](const auto& decoded) { say("{} first message: {}\n", peer, decoded); },
                 message);
    }
    if (!stream->sendEncoded(frame.bytes())) stream->pause();
  });
  stream->on(wirekit::events::drain, [stream] { stream->resume(); });
  stream->on(wirekit::events::badMessage, [peer](const wirekit::MessageError& error) {
    fmt::print(stderr, "{} bad message: {}\n", peer, error.what());
  });
  stream->on(wirekit::events::end, [stream] { stream->end(); });
  stream->on(wirekit::events::error, [peer](const std::exception_ptr& error) {
    fmt::print(stderr, "{} error: {}\n", peer, wirekit::errorMessage(error));
  });
  stream->on(wirekit::events::close, [stream, peer, &connections] {
    say("{} closed: {} messages echoed, {} bad\n", peer, stream->receivedMessages(),
        stream->badMessages());
    connections.erase(stream->shared_from_this());
  });
}

}  // namespace

int main(int argc, char** argv) {
  const trading_samples::CommandLine options(
      argc, argv, "echo_server [--host 127.0.0.1] [--port 7000]", {"host", "port"});
  const std::string host = options.text("host", "127.0.0.1");
  const auto port = static_cast<std::uint16_t>(options.number("port", 7000, 65535));

  asio::io_context io;
  std::set<std::shared_ptr<Messages>> connections;
  auto server = wirekit::createServer(
      io, {},
      [&](const std::shared_ptr<wirekit::TcpSocket>& socket) { serve(socket, connections); });
  int status = 0;
  server->on(wirekit::events::error, [&](const std::exception_ptr& error) {
    fmt::print(stderr, "echo_server: {}\n", wirekit::errorMessage(error));
    status = 1;
    io.stop();
  });
  server->listen(port, host,
                 [&] { say("echo_server listening on {}:{}\n", host, server->port()); });

  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const std::error_code& code, int) {
    if (code) return;
    say("echo_server: stopping ({} connections open)\n", connections.size());
    server->close();
    for (const auto& connection : std::set(connections))
      connection->destroy();
  });
  io.run();
  return status;
}
