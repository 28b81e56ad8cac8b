// SPDX-License-Identifier: Apache-2.0
#pragma once
// TlsServer: Node's tls.Server, a TcpServer whose connections speak TLS. It
// accepts with a TcpServer (every TCP option and limit applies, see
// netServer()), wraps each connection in a TlsSocket and emits
// 'secureConnection' once its handshake is done.
//
//   auto server = createSecureServer(io, {.key = "server.key", .cert = "server.crt"},
//       [](const std::shared_ptr<TlsSocket>& socket) { socket->pipe(socket); });
//   server->listen(7443, "0.0.0.0");
//
// A failed or timed-out handshake is one connection's event, never the
// server's: 'tlsClientError' (error, socket) gives the TlsError (or the TCP
// socket's ConnectionError, for a peer that resets mid-handshake), the socket
// is destroyed, and the server goes on serving. Listening errors are 'error'
// events, as TcpServer's. The caller holds the server while it serves.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <string>

#include <asio/io_context.hpp>

#include "wirekit/export.hpp"
#include "wirekit/stream/event_emitter.hpp"
#include "wirekit/stream/stream.hpp"
#include "wirekit/transport/tcp_server.hpp"
#include "wirekit/transport/tls_context.hpp"
#include "wirekit/transport/tls_socket.hpp"

namespace wirekit {

namespace events {
// 'secureConnection': a connection's handshake is done.
WIREKIT_EXPORT inline constexpr Event<const std::shared_ptr<TlsSocket>&> secureConnection{
    "secureConnection"};
// 'tlsClientError': a connection failed before it was secure (its handshake
// failed or timed out); it is destroyed.
WIREKIT_EXPORT inline constexpr Event<const std::exception_ptr&, const std::shared_ptr<TlsSocket>&>
    tlsClientError{"tlsClientError"};
}  // namespace events

// tls.createServer(options).
struct TlsServerOptions {
  // The server's private key and certificate chain: PEM text or paths (required).
  std::string key{};
  std::string cert{};
  // The CAs trusted to sign client certificates ("": the system's).
  std::string ca{};
  // Ask clients for a certificate (mutual TLS).
  bool requestCert = false;
  // With requestCert: refuse a client whose certificate is missing or not
  // verified by ca. Off: accept it, and say so in its authorized().
  bool rejectUnauthorized = true;
  TlsVersion minVersion = TlsVersion::tls1_2;
  // A connection whose handshake is not done in this time is closed.
  std::chrono::milliseconds handshakeTimeout = defaultHandshakeTimeout;
  // A context to use instead of key/cert/ca/minVersion.
  std::shared_ptr<SecureContext> secureContext{};
  // The TCP server's options; socket's allowHalfOpen and high-water marks
  // also apply to the TLS sockets.
  TcpServerOptions server{};
};

class WIREKIT_EXPORT TlsServer : public EventEmitter,
                                 public std::enable_shared_from_this<TlsServer> {
 public:
  // Loads the key and certificates: TlsError ERR_TLS_CONFIG if they cannot be.
  TlsServer(asio::io_context& context, TlsServerOptions options);

  // As TcpServer's.
  void listen(std::uint16_t port, const std::string& host = "",
              std::function<void()> listeningListener = {});
  void close(Callback callback = nullptr);
  [[nodiscard]] const SocketAddress& address() const noexcept { return tcp_->address(); }
  [[nodiscard]] std::uint16_t port() const noexcept { return tcp_->port(); }
  [[nodiscard]] bool listening() const noexcept { return tcp_->listening(); }
  // TCP connections open, secure or not yet.
  [[nodiscard]] std::size_t connections() const noexcept { return tcp_->connections(); }
  // Handshakes that failed or timed out.
  [[nodiscard]] std::uint64_t tlsClientErrors() const noexcept { return tlsClientErrors_; }
  // The TcpServer underneath, for its own events and counters.
  [[nodiscard]] TcpServer& netServer() const noexcept { return *tcp_; }

 private:
  void secure(const std::shared_ptr<TcpSocket>& socket);

  TlsServerOptions options_;
  std::shared_ptr<SecureContext> context_;
  std::shared_ptr<TcpServer> tcp_;
  std::uint64_t tlsClientErrors_ = 0;
  // listen() has added the TCP server's listeners.
  bool wired_ = false;
};

// tls.createServer(options, secureConnectionListener).
[[nodiscard]] WIREKIT_EXPORT std::shared_ptr<TlsServer> createSecureServer(
    asio::io_context& context, TlsServerOptions options,
    std::function<void(const std::shared_ptr<TlsSocket>&)> secureConnectionListener = {});

}  // namespace wirekit
