// SPDX-License-Identifier: Apache-2.0
#include "wirekit/transport/tls_server.hpp"

#include <utility>

#include "wirekit/error.hpp"

namespace wirekit {

namespace {

std::shared_ptr<SecureContext> serverContext(const TlsServerOptions& options) {
  if (options.secureContext) return options.secureContext;
  if (options.key.empty() || options.cert.empty()) {
    throw TlsError("TLS server: key and cert are required", "ERR_TLS_CONFIG");
  }
  return createSecureContext({.key = options.key,
                              .cert = options.cert,
                              .ca = options.ca,
                              .minVersion = options.minVersion});
}

TcpServerOptions tcpOptions(TcpServerOptions options) {
  // The TLS socket ends the TCP socket itself, after its close_notify.
  options.socket.allowHalfOpen = true;
  return options;
}

}  // namespace

TlsServer::TlsServer(asio::io_context& context, TlsServerOptions options)
    : options_(std::move(options)),
      context_(serverContext(options_)),
      tcp_(createServer(context, tcpOptions(options_.server))) {}

void TlsServer::listen(std::uint16_t port, const std::string& host,
                       std::function<void()> listeningListener) {
  if (!wired_) {
    wired_ = true;
    // The TCP server's listeners hold this server weakly: it holds them.
    const std::weak_ptr<TlsServer> weak = weak_from_this();
    tcp_->on(events::connection, [weak](const std::shared_ptr<TcpSocket>& socket) {
      if (auto self = weak.lock()) {
        self->secure(socket);
      } else {
        socket->destroy();
      }
    });
    tcp_->on(events::listening, [weak] {
      if (auto self = weak.lock()) self->emit(events::listening);
    });
    tcp_->on(events::error, [weak](const std::exception_ptr& error) {
      if (auto self = weak.lock()) self->emit(events::error, error);
    });
    tcp_->on(events::close, [weak] {
      if (auto self = weak.lock()) self->emit(events::close);
    });
  }
  if (listeningListener) once(events::listening, std::move(listeningListener));
  tcp_->listen(port, host);
}

void TlsServer::close(Callback callback) {
  tcp_->close(std::move(callback));
}

void TlsServer::secure(const std::shared_ptr<TcpSocket>& socket) {
  auto tls = createTlsSocket(socket, TlsSocketOptions{
                                         .isServer = true,
                                         .secureContext = context_,
                                         .requestCert = options_.requestCert,
                                         .rejectUnauthorized = options_.rejectUnauthorized,
                                         .handshakeTimeout = options_.handshakeTimeout,
                                         .socket = options_.server.socket,
                                     });
  // Its plaintext buffers are the connection's too, under the TCP server's budget.
  tls->setMemoryAccount(socket->memoryAccount());
  const std::weak_ptr<TlsServer> server = weak_from_this();
  const std::weak_ptr<TlsSocket> weakSocket = tls;
  // Until the handshake is done, an error is the connection's and is the
  // server's 'tlsClientError'; the server goes on.
  const ListenerId onError =
      tls->on(events::error, [server, weakSocket](const std::exception_ptr& error) {
        auto self = server.lock();
        auto failed = weakSocket.lock();
        if (!self || !failed) return;
        ++self->tlsClientErrors_;
        self->emit(events::tlsClientError, error, failed);
      });
  tls->once(events::secureConnect, [server, weakSocket, onError] {
    auto self = server.lock();
    auto secured = weakSocket.lock();
    if (!self || !secured) return;
    secured->off(events::error, onError);
    self->emit(events::secureConnection, secured);
  });
}

std::shared_ptr<TlsServer> createSecureServer(
    asio::io_context& context, TlsServerOptions options,
    std::function<void(const std::shared_ptr<TlsSocket>&)> secureConnectionListener) {
  auto server = std::make_shared<TlsServer>(context, std::move(options));
  if (secureConnectionListener) {
    server->on(events::secureConnection, std::move(secureConnectionListener));
  }
  return server;
}

}  // namespace wirekit
