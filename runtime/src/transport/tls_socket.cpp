// SPDX-License-Identifier: Apache-2.0
#include "wirekit/transport/tls_socket.hpp"

#include <numeric>
#include <string>
#include <utility>

#include "wirekit/error.hpp"
#include "wirekit/stream/detail/next_tick.hpp"
#include "wirekit/stream/stream.hpp"
#include "wirekit/transport/detail/tls_engine.hpp"

namespace wirekit {

TlsSocket::TlsSocket(std::shared_ptr<TcpSocket> socket, TlsSocketOptions options)
    : Duplex(socket->context(), detail::duplexOptionsOf(options.socket)),
      tcp_(std::move(socket)),
      options_(std::move(options)),
      engine_(std::make_unique<detail::TlsEngine>(options_)),
      handshakeTimer_(tcp_->context()),
      readBlock_(options_.socket.readSize) {}

TlsSocket::~TlsSocket() = default;

void TlsSocket::start() {
  self_ = keepAlive();
  const std::weak_ptr<TlsSocket> weak = std::shared_ptr<TlsSocket>(self_, this);
  // The TCP socket's listeners hold this socket weakly: it holds the TCP socket.
  tcp_->on(events::data, [weak](const Buffer& chunk) {
    if (auto self = weak.lock()) self->onCiphertext(chunk);
  });
  tcp_->on(events::end, [weak] {
    if (auto self = weak.lock()) self->onTcpEnd();
  });
  tcp_->on(events::error, [weak](const std::exception_ptr& error) {
    if (auto self = weak.lock()) self->destroy(error);
  });
  tcp_->on(events::close, [weak] {
    if (auto self = weak.lock()) self->destroy();
  });
  if (tcp_->pending()) {
    tcp_->once(events::connect, [weak] {
      if (auto self = weak.lock()) {
        self->emit(events::connect);
        self->startHandshake();
      }
    });
  } else {
    startHandshake();
  }
}

std::string TlsSocket::peerName() const {
  return tcp_->remoteAddress() + ":" + std::to_string(tcp_->remotePort());
}

// --- Handshake ---

void TlsSocket::startHandshake() {
  if (destroyed()) return;
  handshakeStarted_ = true;
  handshakeTimer_.expires_after(options_.handshakeTimeout);
  handshakeTimer_.async_wait([weak = std::weak_ptr<TlsSocket>(
                                  std::shared_ptr<TlsSocket>(self_, this))](std::error_code code) {
    auto self = weak.lock();
    if (code || !self || self->secure_ || self->destroyed()) return;
    self->destroy(std::make_exception_ptr(
        TlsError("TLS handshake with " + self->peerName() + " timed out after " +
                     std::to_string(self->options_.handshakeTimeout.count()) + " ms",
                 "ERR_TLS_HANDSHAKE_TIMEOUT", 0, self->remoteAddress(), self->remotePort())));
  });
  // A client's first flight (ClientHello).
  advance();
}

void TlsSocket::onCiphertext(const Buffer& chunk) {
  if (destroyed() || chunk.empty()) return;
  engine_->receive(chunk.bytes());
  if (handshakeStarted_) advance();
}

void TlsSocket::advance() {
  if (destroyed()) return;
  if (!secure_) {
    const detail::TlsEngine::Progress progress = engine_->handshake();
    // This side's next flight, or the alert that says why the handshake failed.
    flushCiphertext();
    if (progress == detail::TlsEngine::Progress::wantMore) return;
    if (progress == detail::TlsEngine::Progress::failed) {
      fail(true);
      return;
    }
    onSecure();
    if (destroyed()) return;
  }
  readPlaintext();
}

void TlsSocket::onSecure() {
  secure_ = true;
  handshakeTimer_.cancel();
  emit(events::secureConnect);
  if (destroyed()) return;
  if (pendingWrite_) {
    WriteCallback callback = std::move(*pendingWrite_);
    pendingWrite_.reset();
    const std::vector<Buffer> chunks = std::move(pendingChunks_);
    pendingChunks_.clear();
    _writev(chunks, std::move(callback));
  }
  if (pendingFinal_) _final(std::exchange(pendingFinal_, nullptr));
}

void TlsSocket::fail(bool handshake) {
  const detail::TlsEngine::Failure failure = engine_->failure();
  // An alert, already written, goes out before the TCP socket closes.
  sendAlert_ = true;
  destroy(std::make_exception_ptr(
      TlsError((handshake ? "TLS handshake with " : "TLS connection with ") + peerName() +
                   " failed: " + failure.reason,
               failure.code, failure.verifyError, remoteAddress(), remotePort())));
}

// --- Reading ---

void TlsSocket::_read(std::size_t) {
  wantRead_ = true;
  if (!secure_ || destroyed()) return;
  if (tcp_->isPaused()) tcp_->resume();
  readPlaintext();
}

void TlsSocket::readPlaintext() {
  using Status = detail::TlsEngine::Read::Status;
  while (wantRead_ && !readEnded_ && !destroyed()) {
    const detail::TlsEngine::Read result = engine_->read(readBlock_.space(), tcpEnded_);
    if (result.status == Status::data) {
      bytesRead_ += result.length;
      wantRead_ = push(readBlock_.take(result.length));
      continue;
    }
    if (result.status == Status::wantMore) break;
    if (result.status == Status::ended) {
      readEnded_ = true;
      push(std::nullopt);
      // 'end' comes even when nothing consumes the socket, as TcpSocket's.
      static_cast<void>(read(0));
      break;
    }
    flushCiphertext();
    fail(false);
    return;
  }
  // What reading made OpenSSL answer (a TLS 1.3 key update).
  flushCiphertext();
  // A consumer that wants no more holds the peer back through TCP.
  if (!wantRead_ && !destroyed() && !tcp_->isPaused()) tcp_->pause();
}

void TlsSocket::onTcpEnd() {
  tcpEnded_ = true;
  if (destroyed()) return;
  if (!secure_) {
    // The handshake cannot finish: the engine's failure, if it had one, else
    // "the peer closed the connection".
    fail(true);
    return;
  }
  readPlaintext();
}

// --- Writing ---

void TlsSocket::_writev(std::span<const Buffer> chunks, WriteCallback callback) {
  if (!secure_) {
    // Before the handshake completes the write waits for onSecure().
    pendingChunks_.assign(chunks.begin(), chunks.end());
    pendingWrite_ = std::move(callback);
    return;
  }
  if (!engine_->write(chunks)) {
    const detail::TlsEngine::Failure failure = engine_->failure();
    callback(std::make_exception_ptr(
        TlsError("TLS write to " + peerName() + " failed: " + failure.reason, failure.code, 0,
                 remoteAddress(), remotePort())));
    return;
  }
  bytesWritten_ +=
      std::accumulate(chunks.begin(), chunks.end(), std::uint64_t{0},
                      [](std::uint64_t sum, const Buffer& chunk) { return sum + chunk.length(); });
  flushCiphertext(&callback);
}

void TlsSocket::flushCiphertext(WriteCallback* callback) {
  Buffer ciphertext = ended_ ? Buffer() : engine_->takeOutput();
  if (ciphertext.empty()) {
    if (callback != nullptr) (*callback)();
    return;
  }
  if (callback == nullptr) {
    tcp_->write(std::move(ciphertext));
    return;
  }
  // Done once the TCP socket has handed it to the kernel: what is written here
  // meanwhile queues, and goes into the next batch.
  tcp_->write(std::move(ciphertext), [callback = std::move(*callback)](
                                         const std::exception_ptr& error) { callback(error); });
}

// --- Ending ---

void TlsSocket::_final(Callback callback) {
  if (!secure_) {
    pendingFinal_ = std::move(callback);
    return;
  }
  // close_notify, then the TCP socket's FIN.
  engine_->shutdown();
  flushCiphertext();
  ended_ = true;
  tcp_->end([callback = std::move(callback)](const std::exception_ptr& error) { callback(error); });
}

void TlsSocket::_destroy(std::exception_ptr error, Callback callback) {
  handshakeTimer_.cancel();
  if (pendingWrite_) {
    WriteCallback write = std::move(*pendingWrite_);
    pendingWrite_.reset();
    nextTick([write = std::move(write)] {
      write(std::make_exception_ptr(
          StreamError("ERR_SOCKET_CLOSED_BEFORE_CONNECTION",
                      "Socket closed before the connection was established")));
    });
  }
  if (sendAlert_ && !tcp_->destroyed()) {
    // The alert is queued on the TCP socket: end it (the alert, then a FIN)
    // and close it once that is out.
    tcp_->end([weak = std::weak_ptr<TcpSocket>(tcp_)](const std::exception_ptr&) {
      if (auto tcp = weak.lock()) tcp->destroy();
    });
  } else {
    tcp_->destroy();
  }
  self_.reset();
  callback(std::move(error));
}

// --- Factories ---

std::shared_ptr<TlsSocket> createTlsSocket(std::shared_ptr<TcpSocket> socket,
                                           TlsSocketOptions options) {
  auto tls = std::make_shared<TlsSocket>(std::move(socket), std::move(options));
  tls->start();
  return tls;
}

std::shared_ptr<TlsSocket> connect(asio::io_context& context, const TlsConnectOptions& options,
                                   std::function<void()> secureConnectListener) {
  std::shared_ptr<SecureContext> secureContext = options.secureContext;
  if (!secureContext) {
    secureContext = createSecureContext({.key = options.key,
                                         .cert = options.cert,
                                         .ca = options.ca,
                                         .minVersion = options.minVersion});
  }
  TcpSocketOptions tcpOptions = options.socket;
  // The TLS socket ends the TCP socket itself, after its close_notify.
  tcpOptions.allowHalfOpen = true;
  auto tcp = connect(
      context,
      ConnectOptions{.host = options.host, .port = options.port, .timeout = options.timeout}, {},
      tcpOptions);
  std::string servername = options.servername;
  if (servername.empty() && !detail::isIpAddress(options.host)) servername = options.host;
  const std::string identity = servername.empty() ? options.host : servername;
  auto tls = createTlsSocket(std::move(tcp),
                             TlsSocketOptions{
                                 .secureContext = std::move(secureContext),
                                 .servername = detail::isIpAddress(servername) ? "" : servername,
                                 .identity = identity,
                                 .rejectUnauthorized = options.rejectUnauthorized,
                                 .handshakeTimeout = options.handshakeTimeout,
                                 .socket = options.socket,
                             });
  if (secureConnectListener) tls->once(events::secureConnect, std::move(secureConnectListener));
  return tls;
}

bool TlsSocket::authorized() const noexcept {
  return engine_->authorized();
}

const std::string& TlsSocket::authorizationError() const noexcept {
  return engine_->authorizationError();
}

std::string TlsSocket::protocol() const {
  return engine_->protocol();
}

std::string TlsSocket::peerSubject() const {
  return engine_->peerSubject();
}

}  // namespace wirekit
