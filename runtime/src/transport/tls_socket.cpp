// SPDX-License-Identifier: Apache-2.0
#include "wirekit/transport/tls_socket.hpp"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <algorithm>
#include <cctype>
#include <climits>
#include <new>
#include <string>
#include <system_error>
#include <utility>

#include <asio/ip/address.hpp>

#include "wirekit/error.hpp"
#include "wirekit/stream/detail/next_tick.hpp"
#include "wirekit/stream/stream.hpp"

namespace wirekit {

namespace {

// Plaintext gathered before it is encrypted: the most one TLS record holds.
constexpr std::size_t recordSize = std::size_t{16} * 1024;

// With rejectUnauthorized off the handshake goes on whatever the certificate
// check found; the result stays in SSL_get_verify_result for authorized().
int acceptAnyCertificate(int /*preverified*/, X509_STORE_CTX* /*store*/) {
  return 1;
}

// Node's code for an OpenSSL reason: "unsupported protocol" is
// ERR_SSL_UNSUPPORTED_PROTOCOL.
std::string sslCode(const std::string& reason) {
  std::string code = "ERR_SSL_";
  for (const char c : reason) {
    code += std::isalnum(static_cast<unsigned char>(c)) != 0
                ? static_cast<char>(std::toupper(static_cast<unsigned char>(c)))
                : '_';
  }
  return code;
}

bool isIpAddress(const std::string& host) {
  std::error_code notNumeric;
  static_cast<void>(asio::ip::make_address(host, notNumeric));
  return !notNumeric;
}

}  // namespace

TlsSocket::TlsSocket(std::shared_ptr<TcpSocket> socket, TlsSocketOptions options)
    : Duplex(socket->context(), detail::duplexOptionsOf(options.socket)),
      tcp_(std::move(socket)),
      options_(std::move(options)),
      handshakeTimer_(tcp_->context()),
      readBlock_(options_.socket.readSize) {
  if (!options_.secureContext) throw TypeError("TlsSocket: options.secureContext is required");
  ssl_ = SSL_new(options_.secureContext->native().native_handle());
  if (ssl_ == nullptr) throw std::bad_alloc();
  input_ = BIO_new(BIO_s_mem());
  output_ = BIO_new(BIO_s_mem());
  // An empty input means "more to come", not the end of the stream.
  BIO_set_mem_eof_return(input_, -1);
  // The SSL owns both BIOs from here on.
  SSL_set_bio(ssl_, input_, output_);
  SSL_verify_cb verifyCallback = options_.rejectUnauthorized ? nullptr : acceptAnyCertificate;
  if (options_.isServer) {
    SSL_set_accept_state(ssl_);
    if (options_.requestCert) {
      SSL_set_verify(
          ssl_,
          SSL_VERIFY_PEER | (options_.rejectUnauthorized ? SSL_VERIFY_FAIL_IF_NO_PEER_CERT : 0),
          verifyCallback);
    } else {
      SSL_set_verify(ssl_, SSL_VERIFY_NONE, nullptr);
    }
    return;
  }
  SSL_set_connect_state(ssl_);
  if (!options_.servername.empty()) SSL_set_tlsext_host_name(ssl_, options_.servername.c_str());
  if (!options_.identity.empty()) {
    // OpenSSL checks the name (or address) as part of the chain's verification.
    if (isIpAddress(options_.identity)) {
      X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl_), options_.identity.c_str());
    } else {
      SSL_set1_host(ssl_, options_.identity.c_str());
    }
  }
  SSL_set_verify(ssl_, SSL_VERIFY_PEER, verifyCallback);
}

TlsSocket::~TlsSocket() {
  SSL_free(ssl_);
}

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
  BIO_write(input_, chunk.data(), static_cast<int>(chunk.length()));
  if (handshakeStarted_) advance();
}

void TlsSocket::advance() {
  if (destroyed()) return;
  if (!secure_) {
    ERR_clear_error();
    const int result = SSL_do_handshake(ssl_);
    // This side's next flight, or the alert that says why the handshake failed.
    flushCiphertext();
    if (result != 1) {
      if (SSL_get_error(ssl_, result) != SSL_ERROR_WANT_READ) fail(true);
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
  const long verifyResult = SSL_get_verify_result(ssl_);
  if (SSL_get0_peer_certificate(ssl_) == nullptr) {
    // A server that asked for no certificate has nothing to say about it.
    if (!options_.isServer || options_.requestCert) authorizationError_ = "no peer certificate";
  } else if (verifyResult == X509_V_OK) {
    authorized_ = true;
  } else {
    authorizationError_ = X509_verify_cert_error_string(verifyResult);
  }
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
  const unsigned long error = ERR_peek_last_error();
  const long verifyResult = SSL_get_verify_result(ssl_);
  std::string reason = "the peer closed the connection";
  std::string code = "ECONNRESET";
  if (error != 0) {
    const char* text = ERR_reason_error_string(error);
    reason = text != nullptr ? text : "OpenSSL error " + std::to_string(error);
    code = sslCode(reason);
  }
  if (ERR_GET_REASON(error) == SSL_R_CERTIFICATE_VERIFY_FAILED && verifyResult != X509_V_OK) {
    reason += std::string(" (") + X509_verify_cert_error_string(verifyResult) + ")";
    if (verifyResult == X509_V_ERR_HOSTNAME_MISMATCH ||
        verifyResult == X509_V_ERR_IP_ADDRESS_MISMATCH) {
      reason += ": the certificate is not for " + options_.identity;
      code = "ERR_TLS_CERT_ALTNAME_INVALID";
    }
  }
  ERR_clear_error();
  // An alert, already written, goes out before the TCP socket closes.
  sendAlert_ = true;
  destroy(std::make_exception_ptr(
      TlsError((handshake ? "TLS handshake with " : "TLS connection with ") + peerName() +
                   " failed: " + reason,
               code, verifyResult == X509_V_OK ? 0 : verifyResult, remoteAddress(), remotePort())));
}

// --- Reading ---

void TlsSocket::_read(std::size_t) {
  wantRead_ = true;
  if (!secure_ || destroyed()) return;
  if (tcp_->isPaused()) tcp_->resume();
  readPlaintext();
}

void TlsSocket::readPlaintext() {
  while (wantRead_ && !readEnded_ && !destroyed()) {
    const std::span<std::byte> space = readBlock_.space();
    ERR_clear_error();
    const int length = SSL_read(ssl_, space.data(),
                                static_cast<int>(std::min<std::size_t>(space.size(), INT_MAX)));
    if (length > 0) {
      bytesRead_ += static_cast<std::uint64_t>(length);
      wantRead_ = push(readBlock_.take(static_cast<std::size_t>(length)));
      continue;
    }
    const int error = SSL_get_error(ssl_, length);
    if (error == SSL_ERROR_WANT_READ && !tcpEnded_) break;
    if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_ZERO_RETURN) {
      // The peer's close_notify, or its FIN after the last whole record (Node
      // takes that as an end too).
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
    ERR_clear_error();
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
  ERR_clear_error();
  if (!encrypt(chunks)) {
    const char* reason = ERR_reason_error_string(ERR_peek_last_error());
    callback(std::make_exception_ptr(TlsError(
        "TLS write to " + peerName() + " failed: " + (reason != nullptr ? reason : "unknown"),
        sslCode(reason != nullptr ? reason : "unknown"), 0, remoteAddress(), remotePort())));
    return;
  }
  flushCiphertext(&callback);
}

bool TlsSocket::encrypt(std::span<const Buffer> chunks) {
  const auto write = [this](const std::byte* data, std::size_t length) {
    // SSL_write into a memory BIO takes everything at once, in records of up
    // to 16 KiB.
    if (length == 0) return true;
    if (SSL_write(ssl_, data, static_cast<int>(length)) <= 0) return false;
    bytesWritten_ += length;
    return true;
  };
  // Small chunks are gathered so that a burst of 64-byte messages costs a
  // record per 16 KiB, not one each (22 bytes of header and tag apiece).
  bool ok = true;
  for (const Buffer& chunk : chunks) {
    if (!ok) break;
    if (chunk.length() >= recordSize) {
      ok = write(record_.data(), record_.size()) && write(chunk.data(), chunk.length());
      record_.clear();
      continue;
    }
    record_.insert(record_.end(), chunk.data(), chunk.data() + chunk.length());
    if (record_.size() >= recordSize) {
      ok = write(record_.data(), record_.size());
      record_.clear();
    }
  }
  ok = ok && write(record_.data(), record_.size());
  record_.clear();
  return ok;
}

void TlsSocket::flushCiphertext(WriteCallback* callback) {
  const std::size_t pending = BIO_ctrl_pending(output_);
  if (pending == 0 || ended_) {
    if (callback != nullptr) (*callback)();
    return;
  }
  Buffer ciphertext = Buffer::allocUnsafe(pending);
  BIO_read(output_, ciphertext.data(), static_cast<int>(pending));
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
  ERR_clear_error();
  static_cast<void>(SSL_shutdown(ssl_));
  ERR_clear_error();
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
  if (servername.empty() && !isIpAddress(options.host)) servername = options.host;
  const std::string identity = servername.empty() ? options.host : servername;
  auto tls =
      createTlsSocket(std::move(tcp), TlsSocketOptions{
                                          .secureContext = std::move(secureContext),
                                          .servername = isIpAddress(servername) ? "" : servername,
                                          .identity = identity,
                                          .rejectUnauthorized = options.rejectUnauthorized,
                                          .handshakeTimeout = options.handshakeTimeout,
                                          .socket = options.socket,
                                      });
  if (secureConnectListener) tls->once(events::secureConnect, std::move(secureConnectListener));
  return tls;
}

std::string TlsSocket::protocol() const {
  return secure_ ? SSL_get_version(ssl_) : "";
}

std::string TlsSocket::peerSubject() const {
  X509* certificate = SSL_get0_peer_certificate(ssl_);
  if (certificate == nullptr) return "";
  BIO* text = BIO_new(BIO_s_mem());
  X509_NAME_print_ex(text, X509_get_subject_name(certificate), 0, XN_FLAG_RFC2253);
  char* data = nullptr;
  const long length = BIO_get_mem_data(text, &data);
  std::string subject(data, static_cast<std::size_t>(length));
  BIO_free(text);
  return subject;
}

}  // namespace wirekit
