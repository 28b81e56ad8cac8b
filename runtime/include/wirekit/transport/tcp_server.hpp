// SPDX-License-Identifier: Apache-2.0
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
// Listening errors are 'error' events ("listen EADDRINUSE 127.0.0.1:7000:
// address already in use"). Accepting errors are not: out of descriptors
// (EMFILE, ENFILE) or memory, the server keeps serving its connections,
// reports 'acceptError', and accepts again after acceptRetryDelay; with a
// descriptor held in reserve (libuv's trick) it first accepts and closes the
// connections waiting, so that their clients are told at once rather than
// left in the backlog. Connections beyond maxConnections are closed as soon
// as accepted ('drop', as Node 18's).
//
// Memory: what the connections buffer (bytes read and not yet consumed,
// replies queued and not yet taken by the kernel, and what each connection's
// MessageStream or FrameDecoderStream holds of frames begun) is charged to
// one MemoryBudget (memoryBudget()). Past maxBufferedBytes the connection
// holding the most is destroyed with ENOBUFS ("read ENOBUFS 127.0.0.1:40512:
// ..."), as is one past maxBufferedBytesPerConnection; the others are served
// on.
//
// A TcpServer is shared (std::shared_ptr, made by createServer); while it
// listens, the accept in flight keeps it alive.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>

#include "wirekit/export.hpp"
#include "wirekit/stream/event_emitter.hpp"
#include "wirekit/stream/memory_budget.hpp"
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

// What Node 18's 'drop' gives: the two ends of a connection closed as soon as
// it was accepted.
struct DroppedConnection {
  SocketAddress local;
  SocketAddress remote;
};

namespace events {
// 'drop': a connection was closed as soon as accepted, because maxConnections
// were open, or to shed it while the process was out of descriptors.
WIREKIT_EXPORT inline constexpr Event<const DroppedConnection&> drop{"drop"};
// 'acceptError': accept(2) failed (EMFILE, ENFILE, ENOBUFS, ...), a
// ConnectionError. Not 'error': the server goes on, and accepts again after
// acceptRetryDelay; one event per try, so a log of it stays small.
WIREKIT_EXPORT inline constexpr Event<const std::exception_ptr&> acceptError{"acceptError"};
}  // namespace events

// The bytes a server's connections may buffer together: 256 MiB. Past it,
// the connection holding the most is destroyed (see TcpServer).
inline constexpr std::size_t defaultMaxBufferedBytes = std::size_t{256} << 20;

struct TcpServerOptions {
  // The options of every accepted socket (allowHalfOpen, noDelay, timeout,
  // writeTimeout, ...).
  TcpSocketOptions socket{};
  // listen()'s backlog when it gives none: Node's 511.
  int backlog = 511;
  // Node's server.maxConnections: a connection accepted while this many are
  // open is closed at once and reported by 'drop'. None by default, as in
  // Node; descriptors running out is handled without it (see above).
  std::optional<std::size_t> maxConnections{};
  // After an accept error, the pause before accepting again: at once would
  // fail at once, in a loop that starves the connections being served.
  std::chrono::milliseconds acceptRetryDelay{100};
  // Hold one descriptor (of /dev/null) in reserve, to shed the connections
  // waiting to be accepted when descriptors run out (see above).
  bool reserveDescriptor = true;
  // Destroy a connection whose socket emits 'timeout' (socket.timeout), with
  // a ConnectionError ETIMEDOUT. False leaves it to the service's own
  // 'timeout' listener, as a Node net.Server does.
  bool destroyOnTimeout = true;
  // The memory budget of all connections together (MemoryBudget): past it,
  // the connection holding the most is destroyed with ENOBUFS. Peers that
  // each begin a long frame and stop would otherwise hold maxFrameLength
  // each, as many as there are connections. None: counted, not enforced.
  std::optional<std::size_t> maxBufferedBytes = defaultMaxBufferedBytes;
  // The most one connection may buffer, destroyed with ENOBUFS past it. None
  // by default: maxFrameLength and the high-water marks bound a connection.
  std::optional<std::size_t> maxBufferedBytesPerConnection{};
};

class WIREKIT_EXPORT TcpServer : public EventEmitter,
                                 public std::enable_shared_from_this<TcpServer> {
 public:
  TcpServer(asio::io_context& context, TcpServerOptions options = {});
  TcpServer(const TcpServer&) = delete;
  TcpServer& operator=(const TcpServer&) = delete;
  ~TcpServer() override;

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
  // Connections closed as soon as accepted ('drop'), and failed accepts
  // ('acceptError'), since the server was made.
  [[nodiscard]] std::uint64_t droppedConnections() const noexcept { return droppedConnections_; }
  [[nodiscard]] std::uint64_t acceptErrors() const noexcept { return acceptErrors_; }
  // What the connections buffer (usedBytes(), peakBytes()) and the
  // connections destroyed for it (evictions()).
  [[nodiscard]] const MemoryBudget& memoryBudget() const noexcept { return *budget_; }

 private:
  [[nodiscard]] std::error_code bindAndListen(const asio::ip::tcp::endpoint& endpoint);
  void acceptNext();
  void onAccepted(std::error_code code, asio::ip::tcp::socket socket);
  void onAcceptError(std::error_code code);
  // Accepts and closes the connections waiting, with the reserve descriptor.
  void shedWaiting();
  void drop(asio::ip::tcp::socket socket);
  // Destroys connection, evicted by the memory budget, with ENOBUFS.
  void evict(const std::shared_ptr<TcpSocket>& connection, const MemoryEviction& eviction);
  void openReserve();
  void closeReserve() noexcept;
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
  std::shared_ptr<MemoryBudget> budget_;
  bool listening_ = false;
  bool closing_ = false;
  // The descriptor held in reserve, -1 when none.
  int reserve_ = -1;
  std::uint64_t droppedConnections_ = 0;
  std::uint64_t acceptErrors_ = 0;
};

// net.createServer(options, connectionListener).
[[nodiscard]] WIREKIT_EXPORT std::shared_ptr<TcpServer> createServer(
    asio::io_context& context, TcpServerOptions options = {},
    std::function<void(const std::shared_ptr<TcpSocket>&)> connectionListener = {});

}  // namespace wirekit
