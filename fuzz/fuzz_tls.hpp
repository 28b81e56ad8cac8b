// SPDX-License-Identifier: Apache-2.0
#pragma once
// What fuzz_tls and fuzz_tls_seeds share: OpenSSL's randomness made
// deterministic, the certificates and contexts, and one side of a TLS
// connection (a detail::TlsEngine, as TlsSocket drives it) with its checks.
//
// Why deterministic: with the same randomness a server answers the same
// ClientHello with the same ServerHello, key share and signature, so the rest
// of a recorded client conversation (its Finished, application data,
// close_notify) still decrypts when replayed. A seed recorded from a real
// handshake then takes the fuzzer past the handshake, into the records of a
// secure connection; random randomness would stop every input at the
// client's Finished. Each side draws from its own stream, restarted for each
// input, so what one side draws does not depend on the other.

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fuzz_input.hpp"
#include "wirekit/bytes/buffer.hpp"
#include "wirekit/transport/detail/tls_engine.hpp"
#include "wirekit/transport/tls_context.hpp"
#include "wirekit/transport/tls_socket.hpp"

namespace wirekit::fuzz::tls {

[[noreturn]] inline void failCheck(const char* what, const std::string& detail = {}) {
  std::fprintf(stderr, "wirekit fuzz: %s%s%s\n", what, detail.empty() ? "" : ": ", detail.c_str());
  std::abort();
}

// --- Randomness ---

// Whose draws: the setup (keys, certificates, contexts), or one side's.
enum class RandomStream : std::size_t { setup, client, server };

struct Random {
  std::array<std::uint64_t, 3> state{};
  RandomStream current = RandomStream::setup;
};

inline Random& random() {
  static Random instance;
  return instance;
}

// SplitMix64: the quality of the bytes does not matter, only that they are
// the same on every run.
inline int randomBytes(unsigned char* out, int length) {
  std::uint64_t& state = random().state[static_cast<std::size_t>(random().current)];
  for (int i = 0; i < length; ++i) {
    if (i % 8 == 0) state += 0x9E3779B97F4A7C15ULL;
    std::uint64_t value = state;
    value = (value ^ (value >> 30U)) * 0xBF58476D1CE4E5B9ULL;
    value = (value ^ (value >> 27U)) * 0x94D049BB133111EBULL;
    value ^= value >> 31U;
    out[i] = static_cast<unsigned char>(value >> (8U * static_cast<unsigned>(i % 8)));
  }
  return 1;
}

// Always ready: there is nothing to seed.
inline int randomReady() {
  return 1;
}

inline void useStream(RandomStream stream) {
  random().current = stream;
}

// The start of each input: both sides draw what they drew on the last one.
inline void restartSides() {
  random().state[static_cast<std::size_t>(RandomStream::client)] = 0xC11E;
  random().state[static_cast<std::size_t>(RandomStream::server)] = 0x5E4E;
}

// --- Certificates and contexts ---

struct KeyAndCertificate {
  std::string key;
  std::string cert;
};

inline std::string pemOf(BIO* bio) {
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio, &data);
  return {data, static_cast<std::size_t>(length)};
}

// A self-signed P-256 certificate for subject CN=name with subjectAltName,
// valid 2020 to 2100: the same bytes on every run.
inline KeyAndCertificate selfSigned(const char* name, const char* subjectAltName) {
  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  X509* cert = X509_new();
  if (key == nullptr || cert == nullptr) failCheck("making a test key failed");
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  ASN1_TIME_set_string_X509(X509_getm_notBefore(cert), "20200101000000Z");
  ASN1_TIME_set_string_X509(X509_getm_notAfter(cert), "21000101000000Z");
  X509_NAME* subject = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(name), -1, -1, 0);
  X509_set_issuer_name(cert, subject);
  X509_set_pubkey(cert, key);
  X509V3_CTX context;
  X509V3_set_ctx(&context, cert, cert, nullptr, nullptr, 0);
  X509_EXTENSION* names =
      X509V3_EXT_conf_nid(nullptr, &context, NID_subject_alt_name, subjectAltName);
  if (names == nullptr || X509_add_ext(cert, names, -1) != 1 ||
      X509_sign(cert, key, EVP_sha256()) == 0) {
    failCheck("making a test certificate failed");
  }
  X509_EXTENSION_free(names);
  BIO* keyPem = BIO_new(BIO_s_mem());
  BIO* certPem = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(keyPem, key, nullptr, nullptr, 0, nullptr, nullptr);
  PEM_write_bio_X509(certPem, cert);
  KeyAndCertificate result{pemOf(keyPem), pemOf(certPem)};
  BIO_free(keyPem);
  BIO_free(certPem);
  X509_free(cert);
  EVP_PKEY_free(key);
  return result;
}

// The contexts, made once with the setup stream; each trusts the other
// side's certificate.
struct Contexts {
  KeyAndCertificate serverKey;
  KeyAndCertificate clientKey;
  // Trusts the client certificate (for mutual TLS).
  std::shared_ptr<SecureContext> server;
  std::shared_ptr<SecureContext> client;
  // With the client certificate (mutual TLS).
  std::shared_ptr<SecureContext> mutualClient;
};

inline const Contexts& contexts() {
  static const Contexts instance = [] {
    static const RAND_METHOD method{nullptr, randomBytes, nullptr,
                                    nullptr, randomBytes, randomReady};
    // Deprecated in OpenSSL 3, but every draw of random bytes still goes
    // through it (RAND_bytes_ex, RAND_priv_bytes_ex, key generation
    // included): the one way to make the library deterministic from outside.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
    RAND_set_rand_method(&method);
#pragma GCC diagnostic pop
    useStream(RandomStream::setup);
    const KeyAndCertificate server = selfSigned("localhost", "DNS:localhost,IP:127.0.0.1");
    const KeyAndCertificate client = selfSigned("client", "DNS:client");
    return Contexts{
        .serverKey = server,
        .clientKey = client,
        .server = createSecureContext({.key = server.key, .cert = server.cert, .ca = client.cert}),
        .client = createSecureContext({.ca = server.cert}),
        .mutualClient =
            createSecureContext({.key = client.key, .cert = client.cert, .ca = server.cert}),
    };
  }();
  return instance;
}

// --- One side of a connection ---

// The first input byte.
struct Flags {
  // The side fuzzed is the client (the input is the server's bytes), else
  // the server (the input is the client's).
  bool client = false;
  // Mutual TLS: the server asks for a client certificate; the client has one.
  bool mutual = false;
  // rejectUnauthorized off.
  bool lax = false;
  // The side sends close_notify as soon as it is secure (after its greeting).
  bool closeEarly = false;

  static Flags of(std::uint8_t byte) {
    return {(byte & 1U) != 0, (byte & 2U) != 0, (byte & 4U) != 0, (byte & 8U) != 0};
  }
  [[nodiscard]] std::uint8_t byte() const {
    return static_cast<std::uint8_t>((client ? 1U : 0U) | (mutual ? 2U : 0U) | (lax ? 4U : 0U) |
                                     (closeEarly ? 8U : 0U));
  }
};

inline TlsSocketOptions optionsFor(bool server, const Flags& flags) {
  const Contexts& all = contexts();
  if (server) {
    return {.isServer = true,
            .secureContext = all.server,
            .requestCert = flags.mutual,
            .rejectUnauthorized = !flags.lax};
  }
  return {.secureContext = flags.mutual ? all.mutualClient : all.client,
          .servername = "localhost",
          .identity = "localhost",
          .rejectUnauthorized = !flags.lax};
}

// Runs function with the side's stream of randomness.
template <class Function>
auto withStream(bool server, Function function) {
  useStream(server ? RandomStream::server : RandomStream::client);
  return function();
}

// A TlsEngine driven as TlsSocket drives it: the handshake as ciphertext
// arrives, then reads; on becoming secure it sends a greeting; a server
// echoes (up to echoLimit bytes) what it reads; a close_notify is answered
// with one. Every result, and every record it sends, is checked against what
// TLS and TlsSocket promise.
class Side {
 public:
  static constexpr std::size_t echoLimit = 64 * 1024;

  // options: optionsFor(server, flags), or another context for the peer of
  // a recorded conversation.
  Side(bool server, const Flags& flags, TlsSocketOptions options)
      : server_(server),
        flags_(flags),
        options_(std::move(options)),
        engine_(withStream(server, [&] { return std::make_unique<detail::TlsEngine>(options_); })) {
    // A client's ClientHello.
    if (!server_) step();
  }

  void receive(std::span<const std::byte> ciphertext) {
    if (done()) return;
    engine_->receive(ciphertext);
    step();
  }

  // The peer's stream has ended (TlsSocket: the TCP socket's 'end').
  void peerEnded() {
    if (done()) return;
    peerEnded_ = true;
    if (!engine_->secure()) {
      // TlsSocket fails the handshake here, with the engine's reason.
      fail();
      return;
    }
    step();
    if (!done()) failCheck("no end and no error after the peer's stream ended");
  }

  // close_notify, as TlsSocket's end().
  void close() {
    withStream(server_, [this] { engine_->shutdown(); });
  }

  // The ciphertext for the peer: whole records of the kinds TLS has, no
  // longer than TLS allows. (Not their version field: an alert refusing a
  // peer's record carries whatever version that record had, as OpenSSL does.)
  [[nodiscard]] Buffer takeOutput() {
    Buffer output = engine_->takeOutput();
    std::size_t at = 0;
    while (at < output.length()) {
      if (output.length() - at < 5) failCheck("a record header cut short");
      const auto byte = [&](std::size_t offset) {
        return static_cast<unsigned>(output.data()[at + offset]);
      };
      const unsigned type = byte(0);
      const std::size_t length = byte(3) << 8U | byte(4);
      // 20 change_cipher_spec, 21 alert, 22 handshake, 23 application_data;
      // a record is at most 2^14 bytes plus 2048 of expansion.
      if (type < 20 || type > 23 || length > 16384 + 2048 || output.length() - at - 5 < length) {
        failCheck("a malformed record sent",
                  "type " + std::to_string(type) + ", length " + std::to_string(length));
      }
      at += 5 + length;
    }
    return output;
  }

  [[nodiscard]] bool secure() const { return engine_->secure(); }
  [[nodiscard]] bool ended() const { return ended_; }
  [[nodiscard]] bool done() const { return ended_ || failed_; }
  [[nodiscard]] const std::string& received() const { return received_; }
  // The failure's code and reason ("" when it did not fail).
  [[nodiscard]] const std::string& failure() const { return failure_; }

  [[nodiscard]] std::string greeting() const {
    return server_ ? "hello from the server" : "hello from the client";
  }

 private:
  void step() {
    withStream(server_, [this] {
      if (!engine_->secure() && !handshake()) return;
      readAll();
    });
  }

  // false: not secure (yet, or failed).
  bool handshake() {
    const detail::TlsEngine::Progress progress = engine_->handshake();
    if (progress == detail::TlsEngine::Progress::wantMore) {
      if (engine_->secure()) failCheck("wantMore from a secure engine");
      return false;
    }
    if (progress == detail::TlsEngine::Progress::failed) {
      fail();
      if (engine_->handshake() != detail::TlsEngine::Progress::failed) {
        failCheck("a failed handshake went on");
      }
      return false;
    }
    checkSecure();
    write(greeting());
    if (flags_.closeEarly) engine_->shutdown();
    return true;
  }

  void checkSecure() {
    if (!engine_->secure()) failCheck("secure, but secure() is false");
    const std::string protocol = engine_->protocol();
    // SecureContext never allows less than TLS 1.2.
    if (protocol != "TLSv1.2" && protocol != "TLSv1.3") failCheck("protocol", protocol);
    const bool verifies = !server_ || flags_.mutual;
    if (verifies && !flags_.lax && !engine_->authorized()) {
      failCheck("secure with an unverified peer and rejectUnauthorized",
                engine_->authorizationError());
    }
    if (engine_->authorized() != engine_->authorizationError().empty() && verifies) {
      failCheck("authorized() and authorizationError() disagree", engine_->authorizationError());
    }
    if (!verifies && (engine_->authorized() || !engine_->authorizationError().empty())) {
      failCheck("a server that asked for no certificate judged one");
    }
  }

  void readAll() {
    using Status = detail::TlsEngine::Read::Status;
    // Smaller than a record, so that records are read in pieces too.
    std::array<std::byte, 1000> space{};
    while (true) {
      const detail::TlsEngine::Read result = engine_->read(space, peerEnded_);
      switch (result.status) {
        case Status::data: {
          if (result.length == 0 || result.length > space.size()) {
            failCheck("read a length outside the space", std::to_string(result.length));
          }
          const std::string text(reinterpret_cast<const char*>(space.data()), result.length);
          received_ += text;
          if (server_ && echoed_ < echoLimit) {
            echoed_ += text.size();
            write(text);
          }
          continue;
        }
        case Status::wantMore:
          if (peerEnded_) failCheck("wantMore after the peer's stream ended");
          return;
        case Status::ended:
          ended_ = true;
          // TlsSocket's end(): close_notify back.
          engine_->shutdown();
          return;
        case Status::failed:
          fail();
          if (engine_->read(space, peerEnded_).status != Status::failed) {
            failCheck("a failed connection read on");
          }
          return;
      }
    }
  }

  void write(const std::string& text) {
    const Buffer chunk = Buffer::from(text);
    if (!engine_->write(std::span<const Buffer>(&chunk, 1))) {
      // A write fails only on a connection that failed (an alert received).
      checkFailure(engine_->failure());
    }
  }

  void fail() {
    const detail::TlsEngine::Failure failure = engine_->failure();
    checkFailure(failure);
    failed_ = true;
    failure_ = failure.code + ": " + failure.reason;
  }

  // TlsSocket turns a failure into a TlsError: it must say why.
  static void checkFailure(const detail::TlsEngine::Failure& failure) {
    const bool known = failure.code.rfind("ERR_SSL_", 0) == 0 || failure.code == "ECONNRESET" ||
                       failure.code == "ERR_TLS_CERT_ALTNAME_INVALID";
    if (failure.reason.empty() || !known) failCheck("a failure without a reason", failure.code);
  }

  bool server_;
  Flags flags_;
  TlsSocketOptions options_;
  std::unique_ptr<detail::TlsEngine> engine_;
  bool peerEnded_ = false;
  bool ended_ = false;
  bool failed_ = false;
  std::string received_;
  std::string failure_;
  std::size_t echoed_ = 0;
};

// What one input did.
struct Outcome {
  bool secure;
  bool ended;
  std::string failure;
  std::string received;

  bool operator==(const Outcome&) const = default;
};

inline std::string describe(const Outcome& outcome) {
  return std::string(outcome.secure ? "secure" : "not secure") + (outcome.ended ? ", ended" : "") +
         (outcome.failure.empty() ? "" : ", failed (" + outcome.failure + ")") + ", received " +
         std::to_string(outcome.received.size()) + " bytes";
}

// The peer's bytes, in chunks of sizes, to one side, then the end of the
// peer's stream.
inline Outcome converseWith(const Flags& flags, std::span<const std::byte> bytes,
                            const std::vector<std::size_t>& sizes) {
  restartSides();
  Side side(!flags.client, flags, optionsFor(!flags.client, flags));
  static_cast<void>(side.takeOutput());
  for (const Buffer& chunk : chunksOf(bytes, sizes)) {
    side.receive(chunk.bytes());
    static_cast<void>(side.takeOutput());
  }
  side.peerEnded();
  static_cast<void>(side.takeOutput());
  return {side.secure(), side.ended(), side.failure(), side.received()};
}

// fuzz_tls's input: the flags byte, a chunking (fuzz::Input::chunkSizes),
// then the peer's bytes. Where the stream is cut changes nothing: the bytes
// in one chunk must give the same outcome (the randomness is the same).
inline Outcome run(std::span<const std::uint8_t> data) {
  static_cast<void>(contexts());
  Input input(data.data(), data.size());
  const Flags flags = Flags::of(input.byte());
  const std::vector<std::size_t> sizes = input.chunkSizes();
  const Outcome outcome = converseWith(flags, input.rest(), sizes);
  if (!sizes.empty()) {
    const Outcome whole = converseWith(flags, input.rest(), {});
    if (whole != outcome) {
      failCheck("the outcome depends on the chunking",
                "in chunks: " + describe(outcome) + "; in one: " + describe(whole));
    }
  }
  return outcome;
}

}  // namespace wirekit::fuzz::tls
