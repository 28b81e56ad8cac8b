// SPDX-License-Identifier: Apache-2.0
#pragma once
// TlsEngine: one side of a TLS connection with no transport: ciphertext from
// the peer goes in (receive), the handshake and plaintext come out (handshake,
// read), plaintext goes in (write, shutdown) and the ciphertext for the peer
// comes out (takeOutput). It is OpenSSL's state machine over a pair of memory
// BIOs; TlsSocket moves the bytes between it and a TcpSocket and turns its
// results into events. Nothing here does I/O, waits or keeps time, so the
// engine is driven from memory as well: by the fuzz target fuzz_tls and by
// tests. Not part of the user-facing API.
//
// Every call runs to completion on what has been received so far and leaves
// OpenSSL's (thread-local) error queue empty; a failure is kept for failure().

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "wirekit/bytes/buffer.hpp"
#include "wirekit/export.hpp"
#include "wirekit/transport/tls_socket.hpp"

// OpenSSL's types, without its headers.
struct ssl_st;
struct bio_st;

namespace wirekit::detail {

// An IP address (checked against a certificate's IP addresses, never sent as
// SNI) rather than a host name.
[[nodiscard]] WIREKIT_EXPORT bool isIpAddress(const std::string& host);

class WIREKIT_EXPORT TlsEngine {
 public:
  // The role (isServer), secureContext (required: a TypeError without it),
  // servername, identity, requestCert and rejectUnauthorized of options.
  explicit TlsEngine(const TlsSocketOptions& options);
  TlsEngine(const TlsEngine&) = delete;
  TlsEngine& operator=(const TlsEngine&) = delete;
  ~TlsEngine();

  // Ciphertext from the peer, any amount, cut anywhere.
  void receive(std::span<const std::byte> ciphertext);

  enum class Progress {
    // More ciphertext from the peer is needed (a client's first call: its
    // ClientHello is in takeOutput()).
    wantMore,
    // The handshake is done: secure(), and authorized() says what the
    // certificate check found.
    secure,
    // The handshake failed: failure() says why; takeOutput() may hold an
    // alert for the peer.
    failed,
  };
  // Takes the handshake as far as the received ciphertext allows. Once
  // secure (or failed) it stays so.
  Progress handshake();
  [[nodiscard]] bool secure() const noexcept { return secure_; }

  struct Read {
    enum class Status {
      // length bytes of plaintext at the front of the space given.
      data,
      // No whole record is left.
      wantMore,
      // The peer's close_notify; or, with peerEnded, the end of its stream
      // without one (Node takes that as an end too). Part of a record left
      // unread at that end is dropped: it cannot be authenticated.
      ended,
      // A record that does not decrypt or parse, or an alert: failure().
      failed,
    };
    Status status;
    std::size_t length = 0;
  };
  // Decrypts received records into space (secure only). peerEnded: the
  // peer's byte stream has ended, so no more records are coming.
  Read read(std::span<std::byte> space, bool peerEnded);

  // Encrypts chunks (secure only); small chunks are gathered into records of
  // up to 16 KiB. false: OpenSSL refused (failure()).
  [[nodiscard]] bool write(std::span<const Buffer> chunks);
  // Queues close_notify for the peer.
  void shutdown();
  // The ciphertext for the peer made since the last call (empty: none).
  [[nodiscard]] Buffer takeOutput();

  // Why the last failed call failed, as a TlsError's reason ("certificate
  // verify failed (unable to get local issuer certificate)"), code (Node's:
  // "ERR_SSL_WRONG_VERSION_NUMBER") and verifyError. With no failure from
  // OpenSSL (the peer's stream ended before the handshake did): "the peer
  // closed the connection", "ECONNRESET".
  struct Failure {
    std::string reason;
    std::string code;
    long verifyError = 0;
  };
  [[nodiscard]] Failure failure() const;

  // What the certificate check found (set when the handshake is done): the
  // peer's certificate was verified; if not, why ("" when it was, or when a
  // server asked for no certificate).
  [[nodiscard]] bool authorized() const noexcept { return authorized_; }
  [[nodiscard]] const std::string& authorizationError() const noexcept {
    return authorizationError_;
  }
  // "TLSv1.3", "TLSv1.2" once secure ("" before).
  [[nodiscard]] std::string protocol() const;
  // The subject of the peer's certificate ("CN=client,O=wirekit"; "" if none).
  [[nodiscard]] std::string peerSubject() const;

 private:
  // Keeps OpenSSL's error for failure(), and empties its queue.
  void keepError();
  [[nodiscard]] bool writeRecord(const std::byte* data, std::size_t length);

  bool isServer_;
  bool requestCert_;
  std::string identity_;
  ssl_st* ssl_ = nullptr;
  // Ciphertext from the peer into OpenSSL; ciphertext from OpenSSL to the peer.
  bio_st* input_ = nullptr;
  bio_st* output_ = nullptr;
  // Plaintext gathered into a record.
  std::vector<std::byte> record_;
  bool secure_ = false;
  bool failed_ = false;
  unsigned long error_ = 0;
  bool authorized_ = false;
  std::string authorizationError_;
};

}  // namespace wirekit::detail
