// SPDX-License-Identifier: Apache-2.0
// TLS over loopback: a certificate authority and certificates made at test
// time with the openssl command (never checked in), a verified round trip of
// bytes and of MessageStream messages, and each refusal (a plaintext client,
// an untrusted certificate, a wrong host name, a client without a certificate
// under mutual TLS, a TLS 1.1 client, a client that never does the handshake),
// each followed by a good client the server still serves. And the TLS
// engine alone (detail::TlsEngine, no sockets): two of them talking in memory,
// and one fed bytes that are not TLS.

#include <catch2/catch.hpp>

#include <openssl/ssl.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <asio/io_context.hpp>

#include "test_pki.hpp"
#include "trading.wk.hpp"
#include "transport_test_support.hpp"
#include "wirekit/error.hpp"
#include "wirekit/message/message_stream.hpp"
#include "wirekit/transport/detail/tls_engine.hpp"
#include "wirekit/transport/tcp_socket.hpp"
#include "wirekit/transport/tls_context.hpp"
#include "wirekit/transport/tls_server.hpp"
#include "wirekit/transport/tls_socket.hpp"

using namespace wirekit;
using namespace wirekit::test;
using namespace std::chrono_literals;

namespace {

namespace trading = demo::trading;
using Trading = MessageStream<trading::Schema>;

// A TLS echo server on 127.0.0.1 with the test CA's server certificate (as
// paths), counting its 'tlsClientError's and keeping the last.
struct EchoServer {
  std::shared_ptr<TlsServer> server;
  std::vector<std::exception_ptr> clientErrors;
  std::vector<std::shared_ptr<TlsSocket>> secured;

  EchoServer(asio::io_context& io, TlsServerOptions options = {}) {
    if (options.key.empty()) options.key = pki().path("server.key");
    if (options.cert.empty()) options.cert = pki().path("server.crt");
    server = createSecureServer(io, std::move(options),
                                [this](const std::shared_ptr<TlsSocket>& socket) {
                                  secured.push_back(socket);
                                  socket->on(events::error, [](const std::exception_ptr&) {});
                                  socket->pipe(socket);
                                });
    server->on(events::tlsClientError,
               [this](const std::exception_ptr& error, const std::shared_ptr<TlsSocket>&) {
                 clientErrors.push_back(error);
               });
    bool listening = false;
    server->listen(0, "127.0.0.1", [&listening] { listening = true; });
    runUntil(io, [&] { return listening; });
  }

  [[nodiscard]] std::uint16_t port() const { return server->port(); }

  void close(asio::io_context& io) {
    bool closed = false;
    server->close([&closed](const std::exception_ptr&) { closed = true; });
    for (const auto& socket : secured)
      socket->destroy();
    runUntil(io, [&] { return closed; });
  }
};

// What one client went through.
struct Seen {
  std::string received;
  std::exception_ptr error;
  bool secureConnected = false;
  bool ended = false;
  bool closed = false;
};

void watch(TlsSocket& socket, Seen& seen) {
  socket.on(events::data, [&seen](const Buffer& chunk) { seen.received += rawString(chunk); });
  socket.on(events::secureConnect, [&seen] { seen.secureConnected = true; });
  socket.on(events::end, [&seen] { seen.ended = true; });
  socket.on(events::error, [&seen](const std::exception_ptr& error) { seen.error = error; });
  socket.on(events::close, [&seen] { seen.closed = true; });
}

TlsConnectOptions trusting(std::uint16_t port) {
  return TlsConnectOptions{.host = "127.0.0.1", .port = port, .ca = pki().pem("ca.crt")};
}

// Connects with options, sends text and ends (when there is text), and runs
// until the socket has closed and done() holds.
std::shared_ptr<TlsSocket> runClient(
    asio::io_context& io, const TlsConnectOptions& options, Seen& seen,
    const std::string& text = "", const std::function<bool()>& done = [] { return true; }) {
  auto socket = connect(io, options);
  watch(*socket, seen);
  if (!text.empty()) socket->end(Buffer::from(text));
  runUntil(io, [&] { return seen.closed && done(); });
  return socket;
}

// A client that trusts the test CA sends text, ends, and gets it back whole.
void expectServed(asio::io_context& io, std::uint16_t port, TlsConnectOptions options = {}) {
  if (options.port == 0) options = trusting(port);
  Seen seen;
  runClient(io, options, seen, "still serving");
  CHECK(seen.secureConnected);
  CHECK_FALSE(seen.error);
  CHECK(seen.received == "still serving");
}

std::string messageOf(const std::exception_ptr& error) {
  return errorMessage(error);
}

}  // namespace

TEST_CASE("a verified TLS round trip carries every byte both ways", "[tls]") {
  asio::io_context io;
  EchoServer echo(io);
  // The CA as PEM text, the server's key and certificate as paths.
  auto socket = connect(io, TlsConnectOptions{.host = "127.0.0.1",
                                              .port = echo.port(),
                                              .servername = "localhost",
                                              .ca = pki().pem("ca.crt")});
  Seen seen;
  watch(*socket, seen);
  bool connected = false;
  socket->on(events::connect, [&connected] { connected = true; });

  // 4 MiB in chunks of several sizes, written before the handshake is done.
  std::string sent;
  for (std::uint32_t i = 0; sent.size() < 4U << 20U; ++i) {
    const Buffer chunk = sofhFrame(1 + (i * 7919U) % 40'000U, i);
    sent += rawString(chunk);
    socket->write(chunk);
  }
  socket->end();
  runUntil(io, [&] { return seen.closed; });
  CHECK(connected);
  CHECK(seen.secureConnected);
  CHECK_FALSE(seen.error);
  CHECK(seen.ended);
  CHECK(seen.received.size() == sent.size());
  CHECK(seen.received == sent);
  CHECK(socket->authorized());
  CHECK(socket->authorizationError().empty());
  CHECK(socket->protocol() == "TLSv1.3");
  CHECK(socket->peerSubject() == "CN=localhost");
  CHECK(socket->bytesWritten() == sent.size());
  CHECK(socket->tcp().bytesRead() > sent.size());
  REQUIRE(echo.secured.size() == 1);
  CHECK_FALSE(echo.secured[0]->authorized());
  CHECK(echo.clientErrors.empty());
  echo.close(io);
}

TEST_CASE("MessageStream works over TLS unchanged, many messages both ways", "[tls][message]") {
  asio::io_context io;
  // Server: every message back as it came, with backpressure.
  std::set<std::shared_ptr<Trading>> connections;
  auto server = createSecureServer(
      io, {.key = pki().pem("server.key"), .cert = pki().pem("server.crt")},
      [&](const std::shared_ptr<TlsSocket>& socket) {
        auto messages = std::make_shared<Trading>(socket);
        connections.insert(messages);
        Trading* stream = messages.get();
        stream->onAny([stream](const Trading::AnyMessage&, const Buffer& frame) {
          if (!stream->sendEncoded(frame.bytes())) stream->pause();
        });
        stream->on(events::drain, [stream] { stream->resume(); });
        stream->on(events::end, [stream] { stream->end(); });
        stream->on(events::close,
                   [&connections, stream] { connections.erase(stream->shared_from_this()); });
      });
  bool listening = false;
  server->listen(0, "127.0.0.1", [&] { listening = true; });
  runUntil(io, [&] { return listening; });

  // Client: 20 000 heartbeats, every 100th a NewOrder with a 20 000-byte note.
  constexpr std::uint64_t total = 20'000;
  const std::vector<std::byte> note(20'000, std::byte{0x5A});
  auto socket = connect(io, trusting(server->port()));
  auto messages = std::make_shared<Trading>(socket);
  std::uint64_t sent = 0;
  std::uint64_t received = 0;
  std::uint64_t wrong = 0;
  bool closed = false;
  std::exception_ptr error;
  const auto sendMore = [&] {
    while (sent < total) {
      const std::uint64_t value = sent;
      const bool more =
          sent % 100 == 99
              ? messages->send<trading::NewOrder>(
                    [&](auto& order) { order.orderId(value).note(note); })
              : messages->send<trading::Heartbeat>([&](auto& beat) { beat.sentAt(value); });
      ++sent;
      if (!more) return;
    }
  };
  messages->on<trading::Heartbeat>([&](const trading::Heartbeat::Decoder& beat) {
    if (received % 100 == 99 || beat.sentAt() != received) ++wrong;
    if (++received == total) messages->end();
  });
  messages->on<trading::NewOrder>([&](const trading::NewOrder::Decoder& order) {
    if (received % 100 != 99 || order.orderId() != received || order.note().size() != note.size()) {
      ++wrong;
    }
    if (++received == total) messages->end();
  });
  messages->on(events::drain, sendMore);
  messages->on(events::error, [&](const std::exception_ptr& failure) { error = failure; });
  messages->on(events::close, [&] { closed = true; });
  socket->once(events::secureConnect, sendMore);

  runUntil(
      io, [&] { return closed; }, 60s);
  CHECK_FALSE(error);
  CHECK(received == total);
  CHECK(wrong == 0);
  CHECK(socket->authorized());
  bool serverClosed = false;
  server->close([&](const std::exception_ptr&) { serverClosed = true; });
  runUntil(io, [&] { return serverClosed && connections.empty(); });
}

TEST_CASE("a plaintext client is refused, and the server serves the next", "[tls]") {
  asio::io_context io;
  EchoServer echo(io);
  auto plain = connect(io, "127.0.0.1", echo.port());
  std::string received;
  bool closed = false;
  plain->on(events::data, [&](const Buffer& chunk) { received += rawString(chunk); });
  plain->on(events::error, [](const std::exception_ptr&) {});
  plain->on(events::close, [&] { closed = true; });
  plain->write(Buffer::from("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"));
  runUntil(io, [&] { return closed && !echo.clientErrors.empty(); });
  // Never echoed: at most an alert came back.
  CHECK(received.find("GET") == std::string::npos);
  REQUIRE(echo.clientErrors.size() == 1);
  const auto error = errorAs<TlsError>(echo.clientErrors[0]);
  CHECK_THAT(error.what(), Catch::StartsWith("TLS handshake with 127.0.0.1:" +
                                             std::to_string(plain->localPort()) + " failed: "));
  CHECK(error.code().rfind("ERR_SSL_", 0) == 0);
  CHECK(echo.server->tlsClientErrors() == 1);
  expectServed(io, echo.port());
  echo.close(io);
}

TEST_CASE("a server certificate from an untrusted CA is refused with a clear error", "[tls]") {
  asio::io_context io;
  EchoServer echo(io, {.key = pki().path("rogue.key"), .cert = pki().path("rogue.crt")});
  Seen seen;
  runClient(io, trusting(echo.port()), seen, "", [&] { return !echo.clientErrors.empty(); });
  CHECK_FALSE(seen.secureConnected);
  const auto error = errorAs<TlsError>(seen.error);
  CHECK(std::string(error.what()) ==
        "TLS handshake with 127.0.0.1:" + std::to_string(echo.port()) +
            " failed: certificate verify failed (unable to get local issuer certificate)");
  CHECK(error.code() == "ERR_SSL_CERTIFICATE_VERIFY_FAILED");
  CHECK(error.verifyError() == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY);
  CHECK(error.address() == "127.0.0.1");
  CHECK(error.port() == echo.port());
  // The server heard why (the client's alert).
  CHECK_THAT(messageOf(echo.clientErrors[0]), Catch::Contains("unknown ca"));

  // rejectUnauthorized off: served, and told it is not authorized.
  TlsConnectOptions lax = trusting(echo.port());
  lax.rejectUnauthorized = false;
  Seen laxSeen;
  const auto laxSocket = runClient(io, lax, laxSeen, "anyway");
  CHECK(laxSeen.received == "anyway");
  CHECK_FALSE(laxSocket->authorized());
  // The check's last finding (the first, above, stopped the strict client).
  CHECK(laxSocket->authorizationError() == "unable to verify the first certificate");
  echo.close(io);
}

TEST_CASE("a certificate for another host name is refused", "[tls]") {
  asio::io_context io;
  EchoServer echo(io);
  TlsConnectOptions options = trusting(echo.port());
  options.servername = "orders.example";
  Seen seen;
  runClient(io, options, seen);
  CHECK_FALSE(seen.secureConnected);
  const auto error = errorAs<TlsError>(seen.error);
  CHECK(error.code() == "ERR_TLS_CERT_ALTNAME_INVALID");
  CHECK(std::string(error.what()) ==
        "TLS handshake with 127.0.0.1:" + std::to_string(echo.port()) +
            " failed: certificate verify failed (hostname mismatch): the certificate is not for "
            "orders.example");
  // An IP address the certificate does not name either.
  TlsConnectOptions byAddress = trusting(echo.port());
  byAddress.servername = "127.0.0.2";
  Seen otherSeen;
  runClient(io, byAddress, otherSeen);
  CHECK(errorAs<TlsError>(otherSeen.error).code() == "ERR_TLS_CERT_ALTNAME_INVALID");
  // The name the certificate has.
  TlsConnectOptions right = trusting(echo.port());
  right.servername = "localhost";
  expectServed(io, echo.port(), right);
  echo.close(io);
}

TEST_CASE("mutual TLS refuses a client without a certificate and serves one with", "[tls]") {
  asio::io_context io;
  EchoServer echo(io,
                  {.ca = pki().path("ca.crt"), .requestCert = true, .rejectUnauthorized = true});

  Seen seen;
  runClient(io, trusting(echo.port()), seen, "let me in",
            [&] { return !echo.clientErrors.empty(); });
  CHECK(seen.received.empty());
  // TLS 1.3: the client's side of the handshake is done before the server
  // checks its certificate; the refusal comes as an alert after it.
  CHECK_THAT(messageOf(seen.error), Catch::Contains("certificate required"));
  CHECK_THAT(messageOf(echo.clientErrors[0]), Catch::Contains("peer did not return a certificate"));
  CHECK(echo.secured.empty());

  TlsConnectOptions withCertificate = trusting(echo.port());
  withCertificate.cert = pki().pem("client.crt");
  withCertificate.key = pki().pem("client.key");
  expectServed(io, echo.port(), withCertificate);
  REQUIRE(echo.secured.size() == 1);
  CHECK(echo.secured[0]->authorized());
  CHECK(echo.secured[0]->peerSubject() == "CN=client");
  echo.close(io);
}

TEST_CASE("a TLS 1.1 client is refused", "[tls]") {
  asio::io_context io;
  EchoServer echo(io);
  // A client context that offers TLS 1.1 alone (and allows it at all).
  auto old = createSecureContext({.ca = pki().pem("ca.crt")});
  SSL_CTX* native = old->native().native_handle();
  SSL_CTX_set_security_level(native, 0);
  SSL_CTX_set_min_proto_version(native, TLS1_1_VERSION);
  SSL_CTX_set_max_proto_version(native, TLS1_1_VERSION);
  TlsConnectOptions options = trusting(echo.port());
  options.secureContext = old;
  Seen seen;
  runClient(io, options, seen, "", [&] { return !echo.clientErrors.empty(); });
  CHECK_FALSE(seen.secureConnected);
  CHECK(errorAs<TlsError>(seen.error).code().rfind("ERR_SSL_", 0) == 0);
  const auto error = errorAs<TlsError>(echo.clientErrors[0]);
  CHECK(error.code() == "ERR_SSL_UNSUPPORTED_PROTOCOL");
  expectServed(io, echo.port());
  echo.close(io);
}

TEST_CASE("a client that never completes the handshake is closed by the handshake timeout",
          "[tls]") {
  asio::io_context io;
  TlsServerOptions options;
  options.handshakeTimeout = 200ms;
  EchoServer echo(io, options);
  auto silent = connect(io, "127.0.0.1", echo.port());
  bool ended = false;
  bool closed = false;
  silent->on(events::end, [&] { ended = true; });
  silent->on(events::error, [](const std::exception_ptr&) {});
  silent->on(events::close, [&] { closed = true; });
  const auto start = std::chrono::steady_clock::now();
  runUntil(
      io, [&] { return closed && !echo.clientErrors.empty(); }, 5s);
  const auto took = std::chrono::steady_clock::now() - start;
  CHECK(took >= 150ms);
  CHECK(ended);
  const auto error = errorAs<TlsError>(echo.clientErrors[0]);
  CHECK(error.code() == "ERR_TLS_HANDSHAKE_TIMEOUT");
  CHECK(std::string(error.what()) ==
        "TLS handshake with 127.0.0.1:" + std::to_string(silent->localPort()) +
            " timed out after 200 ms");
  CHECK(echo.server->connections() == 0);
  expectServed(io, echo.port());
  echo.close(io);
}

TEST_CASE("keys and certificates that cannot be loaded throw a TlsError naming them", "[tls]") {
  CHECK_THROWS_MATCHES(createSecureContext({.ca = "/nonexistent/ca.pem"}), TlsError,
                       Catch::Matchers::Predicate<TlsError>([](const TlsError& error) {
                         return error.code() == "ERR_TLS_CONFIG" &&
                                std::string(error.what()).find("TLS ca '/nonexistent/ca.pem'") == 0;
                       }));
  CHECK_THROWS_AS(createSecureContext({.cert = "-----BEGIN CERTIFICATE-----\nnot base64\n"}),
                  TlsError);
  // The client's key with the server's certificate.
  CHECK_THROWS_WITH(
      createSecureContext({.key = pki().path("client.key"), .cert = pki().path("server.crt")}),
      Catch::Contains("key values mismatch"));
  asio::io_context io;
  CHECK_THROWS_AS(createSecureServer(io, {.key = pki().path("server.key")}), TlsError);
}

namespace {

using detail::TlsEngine;

// Moves each engine's output to the other until neither has more to say.
void exchange(TlsEngine& client, TlsEngine& server) {
  for (int round = 0; round < 20; ++round) {
    const Buffer toServer = client.takeOutput();
    server.receive(toServer.bytes());
    static_cast<void>(server.handshake());
    const Buffer toClient = server.takeOutput();
    client.receive(toClient.bytes());
    static_cast<void>(client.handshake());
    if (toServer.empty() && toClient.empty()) return;
  }
  FAIL("the engines did not settle");
}

// All the plaintext engine has received, and how reading stopped.
std::string readAll(TlsEngine& engine, bool peerEnded, TlsEngine::Read::Status& stopped) {
  std::string text;
  std::vector<std::byte> space(7);
  while (true) {
    const TlsEngine::Read read = engine.read(space, peerEnded);
    if (read.status != TlsEngine::Read::Status::data) {
      stopped = read.status;
      return text;
    }
    text.append(reinterpret_cast<const char*>(space.data()), read.length);
  }
}

}  // namespace

TEST_CASE("two TLS engines in memory: handshake, data both ways, close_notify", "[tls][engine]") {
  TlsEngine client({.secureContext = createSecureContext({.ca = pki().pem("ca.crt")}),
                    .servername = "localhost",
                    .identity = "localhost"});
  TlsEngine server({.isServer = true,
                    .secureContext = createSecureContext(
                        {.key = pki().pem("server.key"), .cert = pki().pem("server.crt")})});
  CHECK(client.handshake() == TlsEngine::Progress::wantMore);
  CHECK_FALSE(client.secure());
  CHECK(client.protocol().empty());
  exchange(client, server);
  REQUIRE(client.secure());
  REQUIRE(server.secure());
  CHECK(client.authorized());
  CHECK(client.peerSubject() == "CN=localhost");
  CHECK(client.protocol() == "TLSv1.3");
  // A server that asked for no certificate says nothing about one.
  CHECK_FALSE(server.authorized());
  CHECK(server.authorizationError().empty());

  // Small chunks gathered into a record, and one bigger than a record.
  const std::vector<Buffer> chunks{Buffer::from("one "), Buffer::from("two "),
                                   Buffer::from(std::string(20'000, 'x'))};
  REQUIRE(client.write(chunks));
  client.shutdown();
  server.receive(client.takeOutput().bytes());
  TlsEngine::Read::Status stopped{};
  const std::string received = readAll(server, false, stopped);
  CHECK(received == "one two " + std::string(20'000, 'x'));
  CHECK(stopped == TlsEngine::Read::Status::ended);

  // The server's answer, cut at every byte: nothing until the record is whole.
  REQUIRE(server.write(std::vector<Buffer>{Buffer::from("bye")}));
  const Buffer answer = server.takeOutput();
  std::string clientReceived;
  for (std::size_t at = 0; at < answer.length(); ++at) {
    client.receive(answer.bytes().subspan(at, 1));
    clientReceived += readAll(client, false, stopped);
    CHECK(stopped == TlsEngine::Read::Status::wantMore);
  }
  CHECK(clientReceived == "bye");
  // The peer's stream ends in the middle of a record: an end, without the
  // part of the record that came (it cannot be authenticated).
  REQUIRE(server.write(std::vector<Buffer>{Buffer::from("cut short")}));
  const Buffer last = server.takeOutput();
  client.receive(last.bytes().first(last.length() - 1));
  CHECK(readAll(client, false, stopped).empty());
  CHECK(stopped == TlsEngine::Read::Status::wantMore);
  CHECK(readAll(client, true, stopped).empty());
  CHECK(stopped == TlsEngine::Read::Status::ended);
}

TEST_CASE("a TLS engine fed bytes that are not TLS fails with a reason, and stays failed",
          "[tls][engine]") {
  TlsEngine server({.isServer = true,
                    .secureContext = createSecureContext(
                        {.key = pki().pem("server.key"), .cert = pki().pem("server.crt")})});
  server.receive(rawBuffer("GET / HTTP/1.1\r\n\r\n").bytes());
  CHECK(server.handshake() == TlsEngine::Progress::failed);
  const TlsEngine::Failure failure = server.failure();
  // OpenSSL's reason, and Node's code for it.
  CHECK(failure.reason == "http request");
  CHECK(failure.code == "ERR_SSL_HTTP_REQUEST");
  CHECK(failure.verifyError == 0);
  CHECK(server.handshake() == TlsEngine::Progress::failed);
  CHECK_FALSE(server.write(std::vector<Buffer>{Buffer::from("no")}));

  // A handshake the peer's stream ends in the middle of: no reason from
  // OpenSSL, the peer closed the connection.
  TlsEngine client({.secureContext = createSecureContext({.ca = pki().pem("ca.crt")})});
  CHECK(client.handshake() == TlsEngine::Progress::wantMore);
  CHECK(client.failure().code == "ECONNRESET");
  CHECK(client.failure().reason == "the peer closed the connection");
}
