// SPDX-License-Identifier: Apache-2.0
#pragma once
// TlsSocket: Node's tls.TLSSocket, a Duplex of plaintext over a TcpSocket that
// carries the TLS records, as Node's TLSSocket is over a net.Socket. Whatever
// the TCP socket does (connect timeout, socket options, half-close, resets)
// it keeps doing; the TLS socket adds the handshake, the certificate checks
// and encryption: detail::TlsEngine (OpenSSL with memory BIOs) does the TLS,
// this class moves its bytes to and from the TCP socket.
//
//   auto socket = connect(io, TlsConnectOptions{.host = "orders.example", .port = 7443,
//                                               .ca = "/etc/wirekit/ca.pem"},
//                         [&] { /* 'secureConnect': verified */ });
//   socket->on(events::data, [](const Buffer& chunk) { ... });
//   socket->write(Buffer::from("hello"));   // waits for the handshake
//   socket->end();                          // close_notify, then FIN
//
// Events: 'connect' (the TCP connection is made), 'secureConnect' (the
// handshake is done and, on a client, the server's certificate verified),
// then data/end/finish/error/close as TcpSocket's. A failed handshake, or one
// not done within handshakeTimeout, destroys the socket with a TlsError that
// names the peer ("TLS handshake with 127.0.0.1:4433 failed: certificate verify
// failed (unable to get local issuer certificate)"); TCP failures keep their
// ConnectionError.
//
// By default a client verifies the server's certificate chain against its
// `ca` and that the certificate is for the host it connected to (servername,
// else host: a name or an IP address), as Node's rejectUnauthorized does.
//
// Reading: ciphertext from the TCP socket goes into OpenSSL; plaintext comes
// out into a 64 KiB block (detail::ReadBlock) and is pushed as subarrays of it.
// When push() returns false, the TCP socket is paused, and TCP's flow control
// holds the peer back. Writing: the chunks queued on the writable side are
// encrypted together, small chunks gathered into records of up to 16 KiB, and
// their ciphertext goes to the TCP socket as one write; the write completes
// when the TCP socket has handed it to the kernel, so what is written meanwhile
// queues here and makes the next batch.
//
// Lifetime: a TlsSocket keeps itself alive until it is destroyed (its TCP
// socket's close destroys it). Its calls and events happen on the thread
// running the io_context.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <asio/steady_timer.hpp>

#include "wirekit/bytes/buffer.hpp"
#include "wirekit/export.hpp"
#include "wirekit/stream/duplex.hpp"
#include "wirekit/stream/event_emitter.hpp"
#include "wirekit/transport/detail/read_block.hpp"
#include "wirekit/transport/tcp_socket.hpp"
#include "wirekit/transport/tls_context.hpp"

namespace wirekit {

namespace detail {
class TlsEngine;
}  // namespace detail

namespace events {
// 'secureConnect': the handshake is done; on a client, the server is verified
// (or rejectUnauthorized is off: see authorized()).
WIREKIT_EXPORT inline constexpr Event<> secureConnect{"secureConnect"};
}  // namespace events

// How long a handshake may take, from the TCP connection: a peer that never
// completes one must not hold a connection. Node's server default is 120 s;
// a handshake takes two round trips.
inline constexpr std::chrono::milliseconds defaultHandshakeTimeout{10'000};

// new tls.TLSSocket(socket, options).
struct TlsSocketOptions {
  // The server's side of the handshake, else the client's.
  bool isServer = false;
  // This side's key, certificate and trusted CAs (required).
  std::shared_ptr<SecureContext> secureContext{};
  // A client's SNI: the name sent to the server ("" sends none).
  std::string servername{};
  // A client's check of the server certificate: the host name or IP address
  // it must be for ("" checks the chain only). connect() sets it.
  std::string identity{};
  // A server's request for a client certificate (mutual TLS).
  bool requestCert = false;
  // Fail the handshake when the peer's certificate is not verified (a client:
  // always checked; a server: only with requestCert, and a client without a
  // certificate fails too). Off: the handshake completes and authorized() and
  // authorizationError() say what the check found.
  bool rejectUnauthorized = true;
  std::chrono::milliseconds handshakeTimeout = defaultHandshakeTimeout;
  // allowHalfOpen, the high-water marks and readSize of this Duplex (the TCP
  // socket keeps its own).
  TcpSocketOptions socket{};
};

class WIREKIT_EXPORT TlsSocket : public Duplex {
 public:
  // Use createTlsSocket() or connect(): the socket starts once it is shared.
  TlsSocket(std::shared_ptr<TcpSocket> socket, TlsSocketOptions options);
  TlsSocket(const TlsSocket&) = delete;
  TlsSocket& operator=(const TlsSocket&) = delete;
  ~TlsSocket() override;

  // The TCP socket underneath (addresses, socket options, byte counts of
  // ciphertext).
  [[nodiscard]] TcpSocket& tcp() const noexcept { return *tcp_; }
  [[nodiscard]] const std::string& remoteAddress() const noexcept { return tcp_->remoteAddress(); }
  [[nodiscard]] std::uint16_t remotePort() const noexcept { return tcp_->remotePort(); }

  // socket.encrypted: always. socket.authorized: the peer's certificate was
  // verified. socket.authorizationError: why not ("" when it was, or when a
  // server asked for no certificate).
  [[nodiscard]] bool secure() const noexcept { return secure_; }
  [[nodiscard]] bool authorized() const noexcept;
  [[nodiscard]] const std::string& authorizationError() const noexcept;
  // socket.getProtocol(): "TLSv1.3", "TLSv1.2" once secure ("" before).
  [[nodiscard]] std::string protocol() const;
  // The subject of the peer's certificate ("CN=client,O=wirekit"; "" if none).
  [[nodiscard]] std::string peerSubject() const;
  // Plaintext bytes received and sent.
  [[nodiscard]] std::uint64_t bytesRead() const noexcept { return bytesRead_; }
  [[nodiscard]] std::uint64_t bytesWritten() const noexcept { return bytesWritten_; }

 protected:
  void _read(std::size_t size) override;
  void _writev(std::span<const Buffer> chunks, WriteCallback callback) override;
  [[nodiscard]] bool _hasWritev() const noexcept override { return true; }
  void _final(Callback callback) override;
  void _destroy(std::exception_ptr error, Callback callback) override;

 private:
  friend std::shared_ptr<TlsSocket> createTlsSocket(std::shared_ptr<TcpSocket> socket,
                                                    TlsSocketOptions options);

  void start();
  void startHandshake();
  void onCiphertext(const Buffer& chunk);
  void onTcpEnd();
  void advance();
  void onSecure();
  void readPlaintext();
  // Hands the engine's output to the TCP socket; callback (a write's) is
  // called once the TCP socket has written it.
  void flushCiphertext(WriteCallback* callback = nullptr);
  // Destroys the socket with a TlsError saying why the engine failed.
  void fail(bool handshake);
  [[nodiscard]] std::string peerName() const;

  std::shared_ptr<TcpSocket> tcp_;
  TlsSocketOptions options_;
  std::unique_ptr<detail::TlsEngine> engine_;
  // Itself, until destroyed (see Lifetime).
  std::shared_ptr<Stream> self_;
  asio::steady_timer handshakeTimer_;
  detail::ReadBlock readBlock_;

  bool handshakeStarted_ = false;
  bool secure_ = false;
  // The consumer wants more (push() has not returned false since _read).
  bool wantRead_ = true;
  // The TCP socket's readable side has ended / this readable side has.
  bool tcpEnded_ = false;
  bool readEnded_ = false;
  // _final has ended the TCP socket: nothing more goes to it.
  bool ended_ = false;
  // A failed handshake or read left an alert for the peer on the TCP socket.
  bool sendAlert_ = false;
  // Writes and end() made before the handshake completed wait for it.
  std::vector<Buffer> pendingChunks_;
  std::optional<WriteCallback> pendingWrite_;
  Callback pendingFinal_;

  std::uint64_t bytesRead_ = 0;
  std::uint64_t bytesWritten_ = 0;
};

// new tls.TLSSocket(socket, options): TLS over socket (connected, or
// connecting: the handshake starts at its 'connect').
[[nodiscard]] WIREKIT_EXPORT std::shared_ptr<TlsSocket> createTlsSocket(
    std::shared_ptr<TcpSocket> socket, TlsSocketOptions options);

// tls.connect(options, listener).
struct TlsConnectOptions {
  // Where to connect, as ConnectOptions; timeout bounds the TCP connect.
  std::string host = "localhost";
  std::uint16_t port = 0;
  std::optional<std::chrono::milliseconds> timeout{};
  // SNI and the name the certificate must be for. Default: host, when host is
  // a name (an IP address is checked against the certificate's IP addresses
  // and not sent as SNI, as Node does).
  std::string servername{};
  // Verify the server's certificate chain and host (default, as Node).
  bool rejectUnauthorized = true;
  // The CAs trusted ("" : the system's) and, for mutual TLS, this client's key
  // and certificate: PEM text or paths. Ignored when secureContext is given.
  std::string ca{};
  std::string cert{};
  std::string key{};
  TlsVersion minVersion = TlsVersion::tls1_2;
  // A context to share between connections instead of ca/cert/key/minVersion.
  std::shared_ptr<SecureContext> secureContext{};
  std::chrono::milliseconds handshakeTimeout = defaultHandshakeTimeout;
  // The TCP socket's options; allowHalfOpen and the high-water marks also
  // apply to the TLS socket.
  TcpSocketOptions socket{};
};

// tls.connect(options, listener): listener is added once to 'secureConnect'.
[[nodiscard]] WIREKIT_EXPORT std::shared_ptr<TlsSocket> connect(
    asio::io_context& context, const TlsConnectOptions& options,
    std::function<void()> secureConnectListener = {});

}  // namespace wirekit
