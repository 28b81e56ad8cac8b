// SPDX-License-Identifier: Apache-2.0
// The NATS client over TLS against a real nats-server started with --tls (and
// --tlsverify for mutual TLS), with the certificates of the TLS tests
// (test_pki.hpp): publish/subscribe and request/reply over TLS, mutual TLS,
// a server certificate from an untrusted CA, a server that requires TLS of a
// client without it and the reverse, authentication over TLS, and a restart
// of the server with the client coming back over TLS.

#include <algorithm>
#include <chrono>
#include <exception>
#include <memory>
#include <string>
#include <vector>

#include <asio/io_context.hpp>
#include <catch2/catch.hpp>

#include "../test_pki.hpp"
#include "../transport_test_support.hpp"
#include "nats_server.hpp"
#include "nats_test_client.hpp"
#include "wirekit/error.hpp"
#include "wirekit/transport/nats/client.hpp"
#include "wirekit/transport/nats/error.hpp"

using namespace wirekit;
using namespace wirekit::test;
using namespace std::chrono_literals;
using nats::Client;
using nats::Message;
using nats::NatsError;
using nats::Options;
using nats::TlsOptions;

namespace {

// nats-server's arguments for TLS with the test CA's server certificate (for
// localhost and 127.0.0.1), or another one ("rogue": signed by a CA the
// clients do not trust).
std::vector<std::string> tlsArguments(const std::string& server = "server") {
  return {"--tls", "--tlscert", pki().path(server + ".crt"), "--tlskey",
          pki().path(server + ".key")};
}

// The same, requiring a client certificate signed by the test CA.
std::vector<std::string> mutualTlsArguments() {
  auto arguments = tlsArguments();
  arguments.insert(arguments.end(), {"--tlsverify", "--tlscacert", pki().path("ca.crt")});
  return arguments;
}

TlsOptions trusting() {
  return {.ca = pki().path("ca.crt")};
}

// A publish on subject that sub receives, through the server.
void roundTrip(asio::io_context& io, Client& publisher, Client& subscriber,
               const std::string& subject) {
  std::vector<std::string> received;
  auto subscription = subscriber.subscribe(
      subject, [&](const Message& message) { received.push_back(message.string()); });
  flushed(io, subscriber);
  publisher.publish(subject, Buffer::from("over TLS"));
  runUntil(io, [&] { return received.size() == 1; });
  CHECK(received[0] == "over TLS");
  subscription->unsubscribe();
}

// The attempt fails: errors are the reason, then ERR_NATS_NO_SERVERS, and the
// client closes.
void expectRefused(asio::io_context& io, NatsConnection& seen) {
  runUntil(io, [&] { return seen.closed; });
  CHECK_FALSE(seen.open);
  REQUIRE(seen.errors.size() == 2);
  CHECK(errorAs<NatsError>(seen.errors[1]).code() == "ERR_NATS_NO_SERVERS");
}

}  // namespace

TEST_CASE("nats tls: publish, subscribe and request over TLS, verified") {
  REQUIRE_NATS_SERVER();
  NatsServer server(tlsArguments());
  asio::io_context io;
  // By IP address (checked against the certificate's IP:127.0.0.1) and by
  // name, through a tls:// address.
  auto subscriber = connectTo(io, server, {.tls = trusting()});
  auto publisher = connectTo(
      io, server,
      {.servers = {"tls://localhost:" + std::to_string(server.port())}, .tls = trusting()});
  CHECK(subscriber->client->isEncrypted());
  CHECK(publisher->client->isEncrypted());
  roundTrip(io, *publisher->client, *subscriber->client, "secure.orders");

  subscriber->client->subscribe("secure.time", [&](const Message& request) {
    subscriber->client->publish(request.reply, Buffer::from("noon"));
  });
  flushed(io, *subscriber->client);
  std::string answer;
  publisher->client->request("secure.time", {},
                             [&](const std::exception_ptr& error, const Message& reply) {
                               CHECK_FALSE(error);
                               answer = reply.string();
                             });
  runUntil(io, [&] { return !answer.empty(); });
  CHECK(answer == "noon");
  CHECK(subscriber->errors.empty());
  CHECK(publisher->errors.empty());
}

// The usage docs/scale.md quotes.
TEST_CASE("nats tls: mutual TLS serves a client with a certificate, refuses one without") {
  REQUIRE_NATS_SERVER();
  NatsServer server(mutualTlsArguments());
  asio::io_context io;
  bool connected = false;
  // [tls-usage]
  wirekit::nats::Options options{
      .servers = {"tls://localhost:" + std::to_string(server.port())},
      .tls = wirekit::nats::TlsOptions{.ca = pki().path("ca.crt"),
                                       .cert = pki().path("client.crt"),
                                       .key = pki().path("client.key"),
                                       .handshakeTimeout = std::chrono::seconds(5)}};
  auto nc = wirekit::nats::connect(io, options, [&] { connected = true; });
  // [/tls-usage]
  std::vector<std::exception_ptr> errors;
  nc->on(events::error, [&](const std::exception_ptr& error) { errors.push_back(error); });
  runUntil(io, [&] { return connected; });
  CHECK(nc->isEncrypted());
  auto other = connectTo(io, server, {.tls = options.tls});
  roundTrip(io, *nc, *other->client, "mtls");
  CHECK(errors.empty());

  auto bad = connectTo(io, server, {.tls = trusting(), .reconnect = false}, false);
  expectRefused(io, *bad);
  // TLS 1.3: the client's side of the handshake completes, and the server's
  // refusal (Go's bad_certificate alert) comes after it.
  CHECK(std::string(errorAs<TlsError>(bad->errors[0]).what()) ==
        "TLS connection with " + server.url() + " failed: sslv3 alert bad certificate");
}

TEST_CASE("nats tls: a server certificate from an untrusted CA is a verification error") {
  REQUIRE_NATS_SERVER();
  NatsServer server(tlsArguments("rogue"));
  asio::io_context io;
  auto client = connectTo(io, server, {.tls = trusting()}, false);
  expectRefused(io, *client);
  const auto error = errorAs<TlsError>(client->errors[0]);
  CHECK(std::string(error.what()) ==
        "TLS handshake with " + server.url() +
            " failed: certificate verify failed (unable to get local issuer certificate)");
  CHECK_THAT(errorMessage(client->errors[1]), Catch::Contains("certificate verify failed"));
  CHECK_FALSE(client->client->isEncrypted());

  // The name checked is the server's host (here a name its certificate does
  // not have), or options.tls.servername.
  NatsServer trusted(tlsArguments());
  TlsOptions otherName = trusting();
  otherName.servername = "orders.example";
  auto misnamed = connectTo(io, trusted, {.tls = otherName}, false);
  expectRefused(io, *misnamed);
  CHECK(errorAs<TlsError>(misnamed->errors[0]).code() == "ERR_TLS_CERT_ALTNAME_INVALID");
}

TEST_CASE("nats tls: TLS required on one side and not offered on the other is a clear error") {
  REQUIRE_NATS_SERVER();
  asio::io_context io;
  {
    NatsServer server(tlsArguments());
    auto plain = connectTo(io, server, {}, false);
    expectRefused(io, *plain);
    const auto error = errorAs<NatsError>(plain->errors[0]);
    CHECK(error.code() == "ERR_NATS_TLS_REQUIRED");
    CHECK(std::string(error.what()) == "ERR_NATS_TLS_REQUIRED: the server " + server.url() +
                                           " requires TLS: set options.tls (or use a tls:// "
                                           "server address)");
  }
  {
    NatsServer server;
    auto secure = connectTo(io, server, {.tls = trusting()}, false);
    expectRefused(io, *secure);
    const auto error = errorAs<NatsError>(secure->errors[0]);
    CHECK(error.code() == "ERR_NATS_TLS_NOT_AVAILABLE");
    CHECK_THAT(error.what(), Catch::Contains("no plain-text fallback"));
    // A tls:// address requires TLS too, with the system's CAs.
    auto byUrl = connectTo(io, server, {.servers = {"tls://" + server.url()}}, false);
    expectRefused(io, *byUrl);
    CHECK(errorAs<NatsError>(byUrl->errors[0]).code() == "ERR_NATS_TLS_NOT_AVAILABLE");
  }
  // TLS settings that cannot be loaded throw at connect().
  auto unloadable =
      std::make_shared<Client>(io, Options{.tls = TlsOptions{.ca = "/nonexistent/wirekit-ca.pem"}});
  CHECK_THROWS_AS(unloadable->connect(), TlsError);
}

TEST_CASE("nats tls: token and user/password over TLS") {
  REQUIRE_NATS_SERVER();
  asio::io_context io;
  {
    auto arguments = tlsArguments();
    arguments.insert(arguments.end(), {"--auth", "s3cret"});
    NatsServer server(arguments);
    auto good = connectTo(io, server, {.token = "s3cret", .tls = trusting()});
    roundTrip(io, *good->client, *good->client, "auth.token");
    auto bad =
        connectTo(io, server, {.token = "wrong", .tls = trusting(), .reconnect = false}, false);
    expectRefused(io, *bad);
    CHECK(errorAs<nats::NatsServerError>(bad->errors[0]).serverMessage() ==
          "Authorization Violation");
  }
  {
    auto arguments = tlsArguments();
    arguments.insert(arguments.end(), {"--user", "ann", "--pass", "pw"});
    NatsServer server(arguments);
    auto good = connectTo(io, server, {.user = "ann", .password = "pw", .tls = trusting()});
    roundTrip(io, *good->client, *good->client, "auth.user");
    auto bad = connectTo(io, server,
                         {.user = "ann", .password = "nope", .tls = trusting(), .reconnect = false},
                         false);
    expectRefused(io, *bad);
    CHECK(errorAs<nats::NatsServerError>(bad->errors[0]).serverMessage() ==
          "Authorization Violation");
  }
}

TEST_CASE("nats tls: reconnects over TLS after the server restarts") {
  REQUIRE_NATS_SERVER();
  NatsServer server(tlsArguments());
  asio::io_context io;
  const Options options{.tls = trusting(),
                        .reconnectTimeWait = 50ms,
                        .reconnectTimeWaitMax = 200ms,
                        .reconnectJitter = 20ms};
  auto client = connectTo(io, server, options);
  std::vector<std::string> received;
  client->client->subscribe("again.>",
                            [&](const Message& message) { received.push_back(message.string()); });
  client->client->publish("again.before", Buffer::from("before"));
  runUntil(io, [&] { return received.size() == 1; });

  server.kill();
  runUntil(io, [&] { return client->disconnects == 1; });
  CHECK_FALSE(client->client->isEncrypted());
  // Kept while the server is down, sent over the new TLS connection.
  client->client->publish("again.during", Buffer::from("during"));
  io.restart();
  io.run_for(300ms);
  server.restart();
  runUntil(io, [&] { return client->reconnects == 1; });
  CHECK(client->client->isEncrypted());
  runUntil(io, [&] { return received.size() == 2; });
  client->client->publish("again.after", Buffer::from("after"));
  runUntil(io, [&] { return received.size() == 3; });
  CHECK(received == std::vector<std::string>{"before", "during", "after"});
  CHECK(client->errors.empty());
}

TEST_CASE(
    "nats tls: a server the cluster announces by IP address is verified by the cluster's name") {
  REQUIRE_NATS_SERVER();
  // Certificates for the name localhost only: a client that checked the
  // announced 127.0.0.1 against them would refuse the second server.
  auto arguments = tlsArguments("named");
  arguments.insert(arguments.end(), {"--cluster", "nats://127.0.0.1:-1"});
  NatsServer first(arguments);
  arguments.insert(arguments.end(),
                   {"--routes", "nats://127.0.0.1:" + std::to_string(first.routePort())});
  NatsServer second(arguments);
  asio::io_context io;
  auto client = connectTo(io, first,
                          {.servers = {"localhost:" + std::to_string(first.port())},
                           .tls = trusting(),
                           .reconnectTimeWait = 50ms,
                           .reconnectJitter = 10ms});
  const std::string announced = second.url();
  const auto knows = [&] {
    const auto servers = client->client->servers();
    return std::find(servers.begin(), servers.end(), announced) != servers.end();
  };
  runUntil(io, knows);
  std::vector<std::string> received;
  client->client->subscribe("cluster.>",
                            [&](const Message& message) { received.push_back(message.string()); });

  first.kill();
  runUntil(io, [&] { return client->reconnects == 1; });
  CHECK(client->client->connectedServer() == announced);
  CHECK(client->client->isEncrypted());
  client->client->publish("cluster.after", Buffer::from("via the second server"));
  runUntil(io, [&] { return received.size() == 1; });
  CHECK(received[0] == "via the second server");
  CHECK(client->errors.empty());
}
