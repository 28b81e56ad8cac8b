// SPDX-License-Identifier: Apache-2.0
#include "wirekit/transport/tls_context.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <string>
#include <system_error>

#include <asio/buffer.hpp>

#include "wirekit/error.hpp"

namespace wirekit {

namespace {

bool isPem(const std::string& value) {
  return value.find("-----BEGIN") != std::string::npos;
}

// Runs load (PEM text) or loadFile (a path), turning a failure into a TlsError
// that names the setting and where it came from.
template <class Load, class LoadFile>
void loadSetting(const char* setting, const std::string& value, Load load, LoadFile loadFile) {
  std::error_code code;
  ERR_clear_error();
  if (isPem(value)) {
    load(asio::buffer(value), code);
  } else {
    loadFile(value, code);
  }
  if (!code) return;
  const std::string source = isPem(value) ? "(PEM text)" : "'" + value + "'";
  throw TlsError(std::string("TLS ") + setting + " " + source + ": " + code.message(),
                 "ERR_TLS_CONFIG");
}

}  // namespace

SecureContext::SecureContext(const SecureContextOptions& options)
    : context_(asio::ssl::context::tls) {
  SSL_CTX* native = context_.native_handle();
  // Never older than TLS 1.2, whatever the system's OpenSSL configuration says.
  SSL_CTX_set_min_proto_version(
      native, options.minVersion == TlsVersion::tls1_3 ? TLS1_3_VERSION : TLS1_2_VERSION);
  context_.set_options(asio::ssl::context::default_workarounds |
                       asio::ssl::context::no_compression);
  if (!options.cert.empty()) {
    loadSetting(
        "cert", options.cert,
        [&](const asio::const_buffer& pem, std::error_code& code) {
          context_.use_certificate_chain(pem, code);
        },
        [&](const std::string& path, std::error_code& code) {
          context_.use_certificate_chain_file(path, code);
        });
  }
  // OpenSSL checks that the key matches the certificate ("key values mismatch").
  if (!options.key.empty()) {
    loadSetting(
        "key", options.key,
        [&](const asio::const_buffer& pem, std::error_code& code) {
          context_.use_private_key(pem, asio::ssl::context::pem, code);
        },
        [&](const std::string& path, std::error_code& code) {
          context_.use_private_key_file(path, asio::ssl::context::pem, code);
        });
  }
  if (options.ca.empty()) {
    context_.set_default_verify_paths();
  } else {
    loadSetting(
        "ca", options.ca,
        [&](const asio::const_buffer& pem, std::error_code& code) {
          context_.add_certificate_authority(pem, code);
        },
        [&](const std::string& path, std::error_code& code) {
          context_.load_verify_file(path, code);
        });
  }
}

std::shared_ptr<SecureContext> createSecureContext(const SecureContextOptions& options) {
  return std::make_shared<SecureContext>(options);
}

}  // namespace wirekit
