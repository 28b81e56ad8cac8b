// SPDX-License-Identifier: Apache-2.0
#pragma once
// SecureContext: Node's tls.SecureContext, the settings TLS connections
// share: this side's key and certificate chain, the certificate authorities it
// trusts, and the lowest protocol version it speaks (TLS 1.2; nothing older is
// ever allowed). One is made per server (createSecureServer) or per connect()
// unless one is given, and shared by the connections made with it. Built on
// Asio's asio::ssl::context over OpenSSL.
//
//   auto context = createSecureContext({.ca = "/etc/wirekit/ca.pem"});
//   // ... connect(io, TlsConnectOptions{.host = ..., .secureContext = context})
//
// Keys and certificates are PEM, given as the text itself (anything holding
// "-----BEGIN") or as the path of a file. A key or certificate that cannot be
// loaded, or a key that does not match its certificate, throws a TlsError
// ERR_TLS_CONFIG naming the setting, the file and OpenSSL's reason ("TLS key
// '/etc/wirekit/server.key': key values mismatch (x509 certificate routines)").

#include <memory>
#include <string>

#include <asio/ssl/context.hpp>

#include "wirekit/export.hpp"

namespace wirekit {

// The TLS versions a context may accept at least (Node's minVersion).
enum class TlsVersion { tls1_2, tls1_3 };

struct SecureContextOptions {
  // This side's private key and certificate chain (leaf first), PEM text or a
  // path. A server needs both; a client only for mutual TLS.
  std::string key{};
  std::string cert{};
  // The certificate authorities trusted to sign the peer's certificate, PEM
  // text (one or more certificates) or a path. Empty: the system's (OpenSSL's
  // default paths; Debian's /etc/ssl/certs), as Node's default.
  std::string ca{};
  // TLS 1.2 (Node's default) or TLS 1.3 only.
  TlsVersion minVersion = TlsVersion::tls1_2;
};

class WIREKIT_EXPORT SecureContext {
 public:
  explicit SecureContext(const SecureContextOptions& options);

  [[nodiscard]] asio::ssl::context& native() noexcept { return context_; }

 private:
  asio::ssl::context context_;
};

// tls.createSecureContext(options).
[[nodiscard]] WIREKIT_EXPORT std::shared_ptr<SecureContext> createSecureContext(
    const SecureContextOptions& options);

}  // namespace wirekit
