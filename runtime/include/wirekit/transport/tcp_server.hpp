#pragma once
// TcpServer: Node's net.Server on asio::ip::tcp::acceptor. It listens on a
// host and port (port 0: one the system picks, see port()), and emits
// 'connection' with a TcpSocket for each connection it accepts, already
// reading (see TcpSocket).
//
//   auto server = createServer(io, {}, [](const std::shared_ptr<TcpSocket>& socket) {
//     socket->pipe(socket);                              // an echo server
//   });
//   server->listen(0, "127.0.0.1", [&] { fmt::print("port {}\n", server->port()); });
//   io.run();
//
// The server keeps each connection alive until its 'close', so a handler need
// not hold the socket. close() stops accepting; 'close' follows once every
// connection has closed, as in Node. close(deadline) shuts down gracefully,
// as Netty's shutdownGracefully: it stops accepting, asks every connection to
// finish its work and end ('shutdown' on each socket; socket.end() for one
// without a listener), and destroys the ones still open at the deadline.
// Listening and accepting errors are 'error' events ("listen EADDRINUSE
// 127.0.0.1:7000: address already in use").
//
// A TcpServer is shared (std::shared_ptr, made by createServer); while it
// listens, the accept in flight keeps it alive.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>

#include "wirekit/export.hpp"
#include "wirekit/stream/event_emitter.hpp"
#include "wirekit/stream/stream.hpp"
#include "wirekit/transport/tcp_socket.hpp"

namespace wirekit {

namespace events {
// 'connection': a connection was accepted.
WIREKIT_EXPORT inline constexpr Event<const std::shared_ptr<TcpSocket>&> connection{"connection"};
// 'listening': listen() has bound the address.
WIREKIT_EXPORT inline constexpr Event<> listening{"listening"};
}  // namespace events

namespace events {
// 'shutdown', on each of a server's connections: the server is closing
// gracefully (close(deadline)); finish the work in hand, send its replies and
// end (a MessageStream: endGracefully()). The server destroys the connection
// if it is still open at the deadline.
WIREKIT_EXPORT inline constexpr Event<> shutdown{"shutdown"};
}  // namespace events

struct TcpServerOptions {
  // The options of every accepted socket (allowHalfOpen, noDelay, ...).
  TcpSocketOptions socket{};
  // listen()'s backlog when it gives none: Node's 511.
  int backlog = 511;
};

class WIREKIT_EXPORT TcpServer : public EventEmitter,
                                 public std::enable_shared_from_this<TcpServer> {
 public:
  TcpServer(asio::io_context& context, TcpServerOptions options = {});

  // server.listen(port, host, callback): binds and listens; callback is added
  // once to 'listening'. Host "" listens on every interface (IPv6 and IPv4
  // where the system has IPv6, else IPv4), as Node does; a name is resolved
  // (blocking, once) and its first address used. Failures are 'error' events. TypeError if
  // the server is listening already.
  void listen(std::uint16_t port, const std::string& host = "",
              std::function<void()> listeningListener = {});

  // server.close(callback): stops accepting; callback is called on 'close'
  // (after the last connection closes), or with ERR_SERVER_NOT_RUNNING if the
  // server was not listening.
  void close(Callback callback = nullptr);
  // Graceful shutdown: close(callback), then 'shutdown' on every connection
  // (socket.end() for one with no listener), and socket.destroy() for each
  // still open once deadline has passed. callback is called on 'close': at
  // the latest just after the deadline.
  void close(std::chrono::milliseconds deadline, Callback callback = nullptr);

  // server.address() and its port, once listening.
  [[nodiscard]] const SocketAddress& address() const noexcept { return address_; }
  [[nodiscard]] std::uint16_t port() const noexcept { return address_.port; }
  [[nodiscard]] bool listening() const noexcept { return listening_; }
  // server.getConnections(): connections accepted and not closed yet.
  [[nodiscard]] std::size_t connections() const noexcept { return connections_.size(); }
  [[nodiscard]] asio::io_context& context() const noexcept { return *context_; }

 private:
  [[nodiscard]] std::error_code bindAndListen(const asio::ip::tcp::endpoint& endpoint);
  void acceptNext();
  void onAccepted(std::error_code code, asio::ip::tcp::socket socket);
  void connectionClosed(const TcpSocket* socket);
  [[nodiscard]] std::vector<std::shared_ptr<TcpSocket>> openConnections() const;
  void emitCloseIfDone();
  void emitErrorLater(std::exception_ptr error);

  asio::io_context* context_;
  TcpServerOptions options_;
  asio::ip::tcp::acceptor acceptor_;
  // After an accept error (out of descriptors, say), the pause before the next accept.
  asio::steady_timer acceptRetry_;
  // close(deadline): when to destroy the connections still open.
  asio::steady_timer closeDeadline_;
  SocketAddress address_;
  std::unordered_map<const TcpSocket*, std::shared_ptr<TcpSocket>> connections_;
  bool listening_ = false;
  bool closing_ = false;
};

// net.createServer(options, connectionListener).
[[nodiscard]] WIREKIT_EXPORT std::shared_ptr<TcpServer> createServer(
    asio::io_context& context, TcpServerOptions options = {},
    std::function<void(const std::shared_ptr<TcpSocket>&)> connectionListener = {});

}  // namespace wirekit
