// SPDX-License-Identifier: Apache-2.0
#include "wirekit/transport/detail/tls_engine.hpp"

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

#include <asio/ip/address.hpp>

#include "wirekit/error.hpp"

namespace wirekit::detail {

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

}  // namespace

bool isIpAddress(const std::string& host) {
  std::error_code notNumeric;
  static_cast<void>(asio::ip::make_address(host, notNumeric));
  return !notNumeric;
}

TlsEngine::TlsEngine(const TlsSocketOptions& options)
    : isServer_(options.isServer), requestCert_(options.requestCert), identity_(options.identity) {
  if (!options.secureContext) throw TypeError("TlsSocket: options.secureContext is required");
  ssl_ = SSL_new(options.secureContext->native().native_handle());
  if (ssl_ == nullptr) throw std::bad_alloc();
  input_ = BIO_new(BIO_s_mem());
  output_ = BIO_new(BIO_s_mem());
  if (input_ == nullptr || output_ == nullptr) {
    BIO_free(input_);
    BIO_free(output_);
    SSL_free(ssl_);
    throw std::bad_alloc();
  }
  // An empty input means "more to come", not the end of the stream.
  BIO_set_mem_eof_return(input_, -1);
  // The SSL owns both BIOs from here on.
  SSL_set_bio(ssl_, input_, output_);
  SSL_verify_cb verifyCallback = options.rejectUnauthorized ? nullptr : acceptAnyCertificate;
  if (options.isServer) {
    SSL_set_accept_state(ssl_);
    if (options.requestCert) {
      SSL_set_verify(
          ssl_,
          SSL_VERIFY_PEER | (options.rejectUnauthorized ? SSL_VERIFY_FAIL_IF_NO_PEER_CERT : 0),
          verifyCallback);
    } else {
      SSL_set_verify(ssl_, SSL_VERIFY_NONE, nullptr);
    }
    return;
  }
  SSL_set_connect_state(ssl_);
  if (!options.servername.empty()) SSL_set_tlsext_host_name(ssl_, options.servername.c_str());
  if (!options.identity.empty()) {
    // OpenSSL checks the name (or address) as part of the chain's verification.
    if (isIpAddress(options.identity)) {
      X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl_), options.identity.c_str());
    } else {
      SSL_set1_host(ssl_, options.identity.c_str());
    }
  }
  SSL_set_verify(ssl_, SSL_VERIFY_PEER, verifyCallback);
}

TlsEngine::~TlsEngine() {
  SSL_free(ssl_);
}

void TlsEngine::receive(std::span<const std::byte> ciphertext) {
  // A memory BIO takes any amount; INT_MAX at a time is its API's limit.
  while (!ciphertext.empty()) {
    const std::size_t length = std::min<std::size_t>(ciphertext.size(), INT_MAX);
    BIO_write(input_, ciphertext.data(), static_cast<int>(length));
    ciphertext = ciphertext.subspan(length);
  }
}

void TlsEngine::keepError() {
  failed_ = true;
  error_ = ERR_peek_last_error();
  ERR_clear_error();
}

TlsEngine::Progress TlsEngine::handshake() {
  if (secure_) return Progress::secure;
  if (failed_) return Progress::failed;
  ERR_clear_error();
  const int result = SSL_do_handshake(ssl_);
  if (result != 1) {
    if (SSL_get_error(ssl_, result) == SSL_ERROR_WANT_READ) {
      ERR_clear_error();
      return Progress::wantMore;
    }
    keepError();
    return Progress::failed;
  }
  secure_ = true;
  const long verifyResult = SSL_get_verify_result(ssl_);
  if (SSL_get0_peer_certificate(ssl_) == nullptr) {
    // A server that asked for no certificate has nothing to say about it.
    if (!isServer_ || requestCert_) authorizationError_ = "no peer certificate";
  } else if (verifyResult == X509_V_OK) {
    authorized_ = true;
  } else {
    authorizationError_ = X509_verify_cert_error_string(verifyResult);
  }
  return Progress::secure;
}

TlsEngine::Read TlsEngine::read(std::span<std::byte> space, bool peerEnded) {
  if (failed_) return {Read::Status::failed};
  ERR_clear_error();
  const int length =
      SSL_read(ssl_, space.data(), static_cast<int>(std::min<std::size_t>(space.size(), INT_MAX)));
  if (length > 0) return {Read::Status::data, static_cast<std::size_t>(length)};
  const int error = SSL_get_error(ssl_, length);
  if (error == SSL_ERROR_WANT_READ && !peerEnded) return {Read::Status::wantMore};
  if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_ZERO_RETURN) {
    ERR_clear_error();
    return {Read::Status::ended};
  }
  keepError();
  return {Read::Status::failed};
}

bool TlsEngine::writeRecord(const std::byte* data, std::size_t length) {
  // SSL_write into a memory BIO takes everything at once, in records of up to
  // 16 KiB.
  if (length == 0) return true;
  if (SSL_write(ssl_, data, static_cast<int>(length)) > 0) return true;
  keepError();
  return false;
}

bool TlsEngine::write(std::span<const Buffer> chunks) {
  if (failed_) return false;
  ERR_clear_error();
  // Small chunks are gathered so that a burst of 64-byte messages costs a
  // record per 16 KiB, not one each (22 bytes of header and tag apiece).
  bool ok = true;
  for (const Buffer& chunk : chunks) {
    if (!ok) break;
    if (chunk.length() >= recordSize) {
      ok = writeRecord(record_.data(), record_.size()) && writeRecord(chunk.data(), chunk.length());
      record_.clear();
      continue;
    }
    record_.insert(record_.end(), chunk.data(), chunk.data() + chunk.length());
    if (record_.size() >= recordSize) {
      ok = writeRecord(record_.data(), record_.size());
      record_.clear();
    }
  }
  ok = ok && writeRecord(record_.data(), record_.size());
  record_.clear();
  return ok;
}

void TlsEngine::shutdown() {
  ERR_clear_error();
  static_cast<void>(SSL_shutdown(ssl_));
  ERR_clear_error();
}

Buffer TlsEngine::takeOutput() {
  const std::size_t pending = BIO_ctrl_pending(output_);
  if (pending == 0) return {};
  Buffer ciphertext = Buffer::allocUnsafe(pending);
  BIO_read(output_, ciphertext.data(), static_cast<int>(pending));
  return ciphertext;
}

TlsEngine::Failure TlsEngine::failure() const {
  const long verifyResult = SSL_get_verify_result(ssl_);
  Failure failure{.reason = "the peer closed the connection",
                  .code = "ECONNRESET",
                  .verifyError = verifyResult == X509_V_OK ? 0 : verifyResult};
  if (error_ != 0) {
    const char* text = ERR_reason_error_string(error_);
    failure.reason = text != nullptr ? text : "OpenSSL error " + std::to_string(error_);
    failure.code = sslCode(failure.reason);
  }
  if (ERR_GET_REASON(error_) == SSL_R_CERTIFICATE_VERIFY_FAILED && verifyResult != X509_V_OK) {
    failure.reason += std::string(" (") + X509_verify_cert_error_string(verifyResult) + ")";
    if (verifyResult == X509_V_ERR_HOSTNAME_MISMATCH ||
        verifyResult == X509_V_ERR_IP_ADDRESS_MISMATCH) {
      failure.reason += ": the certificate is not for " + identity_;
      failure.code = "ERR_TLS_CERT_ALTNAME_INVALID";
    }
  }
  return failure;
}

std::string TlsEngine::protocol() const {
  return secure_ ? SSL_get_version(ssl_) : "";
}

std::string TlsEngine::peerSubject() const {
  X509* certificate = SSL_get0_peer_certificate(ssl_);
  if (certificate == nullptr) return "";
  BIO* text = BIO_new(BIO_s_mem());
  if (text == nullptr) throw std::bad_alloc();
  X509_NAME_print_ex(text, X509_get_subject_name(certificate), 0, XN_FLAG_RFC2253);
  char* data = nullptr;
  const long length = BIO_get_mem_data(text, &data);
  std::string subject(data, static_cast<std::size_t>(length));
  BIO_free(text);
  return subject;
}

}  // namespace wirekit::detail
