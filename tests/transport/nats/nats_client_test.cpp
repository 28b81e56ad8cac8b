// SPDX-License-Identifier: Apache-2.0
// The NATS client against a real nats-server (started per test on a loopback
// port, killed at its end): publish/subscribe, queue groups, request/reply,
// headers, the server's -ERR, authentication, drain, and reconnection after
// the server is killed and restarted.

#include <chrono>
#include <cstddef>
#include <exception>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <asio/io_context.hpp>
#include <catch2/catch.hpp>

#include "../transport_test_support.hpp"
#include "nats_server.hpp"
#include "nats_test_client.hpp"
#include "wirekit/transport/nats/client.hpp"
#include "wirekit/transport/nats/error.hpp"

using namespace wirekit;
using namespace wirekit::test;
using namespace std::chrono_literals;
using nats::Client;
using nats::Message;
using nats::NatsError;
using nats::Options;

namespace {

Buffer text(const std::string& value) {
  return Buffer::from(value);
}

}  // namespace

TEST_CASE("nats: publish and subscribe, in order, with wildcards and a subscription's max") {
  REQUIRE_NATS_SERVER();
  NatsServer server;
  asio::io_context io;
  auto subscriber = connectTo(io, server);
  auto publisher = connectTo(io, server);
  std::vector<std::string> received;
  auto all = subscriber->client->subscribe("greet.*", [&](const Message& message) {
    received.push_back(message.subject + "=" + message.string());
  });
  std::vector<std::string> firstThree;
  subscriber->client->subscribe(
      "greet.>", [&](const Message& message) { firstThree.push_back(message.string()); },
      {.max = 3});
  flushed(io, *subscriber->client);

  std::vector<std::string> expected;
  for (int i = 0; i < 100; ++i) {
    const std::string subject = "greet." + std::to_string(i % 7);
    publisher->client->publish(subject, text("hello " + std::to_string(i)));
    expected.push_back(subject + "=hello " + std::to_string(i));
  }
  publisher->client->publish("other.subject", text("not for us"));
  runUntil(io, [&] { return received.size() == expected.size(); });
  flushed(io, *publisher->client);
  flushed(io, *subscriber->client);
  CHECK(received == expected);
  CHECK(firstThree == std::vector<std::string>{"hello 0", "hello 1", "hello 2"});
  CHECK(all->received() == 100);
  CHECK(subscriber->client->inMsgs() == 103);
  CHECK(publisher->client->outMsgs() == 101);

  all->unsubscribe();
  CHECK(all->isClosed());
  flushed(io, *subscriber->client);
  publisher->client->publish("greet.x", text("after unsubscribe"));
  flushed(io, *publisher->client);
  flushed(io, *subscriber->client);
  CHECK(received.size() == 100);
  CHECK(subscriber->errors.empty());
  CHECK(publisher->errors.empty());
  CHECK(subscriber->client->serverId().size() > 0);
  CHECK(subscriber->client->maxPayload() == 1024 * 1024);
}

TEST_CASE("nats: a queue group gives each message to exactly one member") {
  REQUIRE_NATS_SERVER();
  NatsServer server;
  asio::io_context io;
  auto first = connectTo(io, server);
  auto second = connectTo(io, server);
  auto publisher = connectTo(io, server);
  std::map<std::string, int> deliveries;
  std::vector<int> perMember(3, 0);
  std::size_t everyone = 0;
  for (int member = 0; member < 3; ++member) {
    Client& client = member < 2 ? *first->client : *second->client;
    client.subscribe("jobs",
                     [&, member](const Message& message) {
                       ++deliveries[message.string()];
                       ++perMember[static_cast<std::size_t>(member)];
                     },
                     {.queue = "workers"});
  }
  second->client->subscribe("jobs", [&](const Message&) { ++everyone; });
  flushed(io, *first->client);
  flushed(io, *second->client);

  constexpr int count = 300;
  for (int i = 0; i < count; ++i)
    publisher->client->publish("jobs", text(std::to_string(i)));
  runUntil(io, [&] { return everyone == count && deliveries.size() == count; });
  flushed(io, *publisher->client);
  flushed(io, *first->client);
  flushed(io, *second->client);
  for (const auto& [job, times] : deliveries) {
    INFO("job " << job);
    CHECK(times == 1);
  }
  CHECK(perMember[0] + perMember[1] + perMember[2] == count);
  INFO("per member: " << perMember[0] << " " << perMember[1] << " " << perMember[2]);
  // The server spreads a group's messages at random: each member gets some.
  CHECK(std::count(perMember.begin(), perMember.end(), 0) == 0);
}

TEST_CASE("nats: request and reply, a timeout, no responders") {
  REQUIRE_NATS_SERVER();
  NatsServer server;
  asio::io_context io;
  auto responder = connectTo(io, server);
  auto requester = connectTo(io, server);
  responder->client->subscribe("echo", [&](const Message& message) {
    responder->client->publish(message.reply, text("echo: " + message.string()));
  });
  responder->client->subscribe("silent", [](const Message&) {});
  flushed(io, *responder->client);

  std::vector<std::string> replies;
  for (int i = 0; i < 5; ++i)
    requester->client->request("echo", text(std::to_string(i)),
                               [&](const std::exception_ptr& error, const Message& reply) {
                                 CHECK_FALSE(error);
                                 replies.push_back(reply.string());
                               });
  runUntil(io, [&] { return replies.size() == 5; });
  CHECK(replies == std::vector<std::string>{"echo: 0", "echo: 1", "echo: 2", "echo: 3", "echo: 4"});

  std::exception_ptr timedOut;
  const auto start = std::chrono::steady_clock::now();
  requester->client->request(
      "silent", {}, [&](const std::exception_ptr& error, const Message&) { timedOut = error; },
      {.timeout = 200ms});
  runUntil(io, [&] { return timedOut != nullptr; });
  CHECK(std::chrono::steady_clock::now() - start >= 200ms);
  CHECK(errorAs<NatsError>(timedOut).code() == "ERR_NATS_TIMEOUT");
  CHECK_THAT(errorMessage(timedOut),
             Catch::Contains("request to 'silent' got no reply within 200 ms"));

  std::exception_ptr nobody;
  requester->client->request(
      "nobody.home", {}, [&](const std::exception_ptr& error, const Message&) { nobody = error; },
      {.timeout = 10s});
  runUntil(
      io, [&] { return nobody != nullptr; }, 5s);
  CHECK(errorAs<NatsError>(nobody).code() == "ERR_NATS_NO_RESPONDERS");
  CHECK_THAT(errorMessage(nobody), Catch::Contains("no responders for 'nobody.home'"));

  // Closing fails what is still waiting.
  std::exception_ptr closed;
  requester->client->request(
      "silent", {}, [&](const std::exception_ptr& error, const Message&) { closed = error; });
  requester->client->close();
  REQUIRE(closed);
  CHECK(errorAs<NatsError>(closed).code() == "ERR_NATS_CLOSED");
  runUntil(io, [&] { return requester->closed; });
  CHECK_THROWS_AS(requester->client->publish("x", {}), NatsError);
  CHECK(requester->errors.empty());
}

TEST_CASE("nats: headers go through the server and back") {
  REQUIRE_NATS_SERVER();
  NatsServer server;
  asio::io_context io;
  auto client = connectTo(io, server);
  std::vector<Message> received;
  client->client->subscribe("with.headers",
                            [&](const Message& message) { received.push_back(message); });
  flushed(io, *client->client);
  nats::Headers headers;
  headers.append("Trace-Id", "abc-123").append("X", "1").append("X", "2").append("Empty", "");
  client->client->publish("with.headers", text("payload"),
                          {.reply = "answer.here", .headers = headers});
  client->client->publish("with.headers", {}, {.headers = headers});
  client->client->publish("with.headers", text("no headers"));
  runUntil(io, [&] { return received.size() == 3; });
  CHECK(received[0].string() == "payload");
  CHECK(received[0].reply == "answer.here");
  CHECK(received[0].headers.entries() == headers.entries());
  CHECK(received[1].data.length() == 0);
  CHECK(received[1].headers.get("Trace-Id") == "abc-123");
  CHECK(received[2].headers.empty());
  CHECK(received[2].string() == "no headers");
}

TEST_CASE("nats: the server's -ERR is an error event, max_payload is checked before sending") {
  REQUIRE_NATS_SERVER();
  NatsServer server;
  asio::io_context io;
  auto client = connectTo(io, server);
  client->client->subscribe("foo..bar", [](const Message&) {});
  runUntil(io, [&] { return !client->errors.empty(); });
  const auto error = errorAs<nats::NatsServerError>(client->errors[0]);
  CHECK(error.serverMessage() == "Invalid Subject");
  CHECK(error.code() == "ERR_NATS_SERVER");
  CHECK_THAT(error.what(), Catch::Contains("'Invalid Subject' from " + server.url()));
  // The connection stays usable.
  flushed(io, *client->client);
  CHECK(client->client->isConnected());

  const Buffer tooLarge = Buffer::alloc(client->client->maxPayload() + 1);
  try {
    client->client->publish("big", tooLarge);
    FAIL("no error");
  } catch (const NatsError& refused) {
    CHECK(refused.code() == "ERR_NATS_MAX_PAYLOAD");
    CHECK_THAT(refused.what(), Catch::Contains("exceeds the server's max_payload (1048576 bytes)"));
  }
  CHECK_THROWS_AS(client->client->publish("has space", {}), TypeError);
  CHECK_THROWS_AS(client->client->publish("", {}), TypeError);
  CHECK_THROWS_AS(client->client->subscribe("a\r\nPUB x 0", [](const Message&) {}), TypeError);
}

TEST_CASE("nats: token and user/password authentication") {
  REQUIRE_NATS_SERVER();
  asio::io_context io;
  {
    NatsServer server({"--auth", "s3cret"});
    auto good = connectTo(io, server, {.token = "s3cret"});
    flushed(io, *good->client);
    auto bad = connectTo(io, server, {.token = "wrong", .reconnect = false}, false);
    runUntil(io, [&] { return bad->closed; });
    REQUIRE(bad->errors.size() == 2);
    CHECK(errorAs<nats::NatsServerError>(bad->errors[0]).serverMessage() ==
          "Authorization Violation");
    CHECK(errorAs<NatsError>(bad->errors[1]).code() == "ERR_NATS_NO_SERVERS");
  }
  {
    NatsServer server({"--user", "ann", "--pass", "pw"});
    auto good = connectTo(io, server, {.user = "ann", .password = "pw"});
    flushed(io, *good->client);
    auto bad = connectTo(io, server, {.user = "ann", .password = "nope"}, false);
    runUntil(io, [&] { return bad->closed; });
    CHECK(errorAs<nats::NatsServerError>(bad->errors.at(0)).serverMessage() ==
          "Authorization Violation");
  }
}

TEST_CASE("nats: drain delivers what is in flight, then closes") {
  REQUIRE_NATS_SERVER();
  NatsServer server;
  asio::io_context io;
  auto subscriber = connectTo(io, server);
  auto publisher = connectTo(io, server);
  int received = 0;
  subscriber->client->subscribe("work", [&](const Message&) { ++received; });
  flushed(io, *subscriber->client);
  for (int i = 0; i < 1000; ++i)
    publisher->client->publish("work", text("job"));
  flushed(io, *publisher->client);
  bool drained = false;
  subscriber->client->drain([&](const std::exception_ptr& error) {
    CHECK_FALSE(error);
    drained = true;
  });
  runUntil(io, [&] { return drained && subscriber->closed; });
  CHECK(received == 1000);
  CHECK(subscriber->client->isClosed());
}

TEST_CASE(
    "nats: reconnects after the server restarts, subscriptions and buffered publishes survive") {
  REQUIRE_NATS_SERVER();
  NatsServer server;
  asio::io_context io;
  const Options options{.reconnectTimeWait = 50ms,
                        .reconnectTimeWaitMax = 200ms,
                        .reconnectJitter = 20ms,
                        .reconnectBufferSize = 4096};
  auto client = connectTo(io, server, options);
  std::vector<std::string> received;
  client->client->subscribe("r.>",
                            [&](const Message& message) { received.push_back(message.string()); });
  std::vector<std::string> limited;
  client->client->subscribe("r.limited", [&](const Message& m) { limited.push_back(m.string()); },
                            {.max = 3});
  client->client->publish("r.limited", text("before"));
  flushed(io, *client->client);
  REQUIRE(received.size() == 1);

  server.kill();
  runUntil(io, [&] { return client->disconnects == 1; });
  CHECK_FALSE(client->client->isConnected());

  // While the server is down: publishes wait, up to reconnectBufferSize bytes.
  std::vector<std::string> expected{"before"};
  for (int i = 0; i < 20; ++i) {
    CHECK_FALSE(client->client->publish("r.limited", text("buffered " + std::to_string(i))));
    expected.push_back("buffered " + std::to_string(i));
  }
  const std::size_t waiting = client->client->pendingBytes();
  CHECK(waiting > 0);
  const Buffer large = Buffer::alloc(4096 - waiting + 1);
  try {
    client->client->publish("r.large", large);
    FAIL("no error");
  } catch (const NatsError& full) {
    CHECK(full.code() == "ERR_NATS_BUFFER_FULL");
    CHECK_THAT(full.what(), Catch::Contains("reconnectBufferSize (4096 bytes"));
  }
  CHECK(client->client->pendingBytes() == waiting);
  bool flushedAfter = false;
  client->client->flush([&](const std::exception_ptr& error) {
    CHECK_FALSE(error);
    flushedAfter = true;
  });

  // Let the client fail a few attempts against the dead port first.
  io.restart();
  io.run_for(300ms);
  server.restart();
  runUntil(io, [&] { return client->reconnects == 1 && flushedAfter; });
  runUntil(io, [&] { return received.size() == expected.size(); });
  CHECK(received == expected);
  // The subscription with max 3 had one; it got two more, and no more.
  CHECK(limited == std::vector<std::string>{"before", "buffered 0", "buffered 1"});
  CHECK(client->client->pendingBytes() == 0);
  CHECK(client->client->reconnects() == 1);
  CHECK(client->errors.empty());
}

TEST_CASE("nats: no server to connect to is an error, then close") {
  REQUIRE_NATS_SERVER();
  asio::io_context io;
  std::uint16_t port = 0;
  {
    NatsServer server;
    port = server.port();
  }
  auto client = std::make_shared<Client>(
      io, Options{.servers = {"127.0.0.1:" + std::to_string(port),
                              "nats://127.0.0.1:" + std::to_string(port)}});
  std::vector<std::exception_ptr> errors;
  bool closed = false;
  client->on(events::error, [&](const std::exception_ptr& error) { errors.push_back(error); });
  client->on(events::close, [&] { closed = true; });
  client->connect();
  runUntil(io, [&] { return closed; });
  REQUIRE(errors.size() == 1);
  CHECK(errorAs<NatsError>(errors[0]).code() == "ERR_NATS_NO_SERVERS");
  CHECK_THAT(errorMessage(errors[0]), Catch::Contains("ECONNREFUSED"));
  // The two spellings name one server.
  CHECK(client->servers().size() == 1);
  CHECK_THROWS_AS(std::make_shared<Client>(io, Options{.servers = {"host:notaport"}})->connect(),
                  TypeError);
  CHECK_THROWS_AS(std::make_shared<Client>(io, Options{.servers = {"[::1]x"}})->connect(),
                  TypeError);
  CHECK_THROWS_AS(std::make_shared<Client>(io, Options{.servers = {}})->connect(), TypeError);

  auto ipv6 =
      std::make_shared<Client>(io, Options{.servers = {"[::1]:1"}, .connectTimeout = 500ms});
  bool ipv6Closed = false;
  ipv6->on(events::error, [](const std::exception_ptr&) {});
  ipv6->on(events::close, [&] { ipv6Closed = true; });
  ipv6->connect();
  CHECK(ipv6->servers() == std::vector<std::string>{"[::1]:1"});
  runUntil(io, [&] { return ipv6Closed; });
}

TEST_CASE("nats: a handler that throws is an error event, the connection goes on") {
  REQUIRE_NATS_SERVER();
  NatsServer server;
  asio::io_context io;
  auto client = connectTo(io, server);
  int calls = 0;
  client->client->subscribe("boom", [&](const Message& message) {
    ++calls;
    if (message.string() == "throw") throw RangeError("handler failed");
  });
  client->client->publish("boom", text("throw"));
  client->client->publish("boom", text("fine"));
  runUntil(io, [&] { return calls == 2 && client->errors.size() == 1; });
  CHECK_THAT(errorMessage(client->errors[0]), Catch::Contains("handler failed"));
  flushed(io, *client->client);
  CHECK(client->client->isConnected());
}

// The usage docs/scale.md quotes.
TEST_CASE("nats: the docs' example") {
  REQUIRE_NATS_SERVER();
  NatsServer server;
  asio::io_context io;
  std::vector<std::string> log;
  bool done = false;
  // [usage]
  auto nc = wirekit::nats::connect(io, {.servers = {server.url()}, .name = "pricer"},
                                   [&] { log.push_back("connected"); });
  nc->on(wirekit::events::error,
         [&](const std::exception_ptr& error) { log.push_back(wirekit::errorMessage(error)); });
  // A queue group: each request goes to one "pricers" member.
  nc->subscribe("price.*",
                [&](const wirekit::nats::Message& request) {
                  nc->publish(request.reply, wirekit::Buffer::from("42.5"));
                },
                {.queue = "pricers"});
  wirekit::nats::Headers headers;
  headers.append("Trace-Id", "t-1");
  nc->request("price.ACME", wirekit::Buffer::from("?"),
              [&](const std::exception_ptr& error, const wirekit::nats::Message& reply) {
                log.push_back(error ? wirekit::errorMessage(error) : "ACME " + reply.string());
                nc->drain([&](const std::exception_ptr&) { done = true; });
              },
              {.timeout = std::chrono::seconds(2), .headers = headers});
  // [/usage]
  runUntil(io, [&] { return done; });
  CHECK(log == std::vector<std::string>{"connected", "ACME 42.5"});
}

TEST_CASE("nats: what is published and subscribed before the first connection waits for it") {
  REQUIRE_NATS_SERVER();
  NatsServer server;
  asio::io_context io;
  auto early = connectTo(io, server, {}, false);
  CHECK_FALSE(early->client->isConnected());
  std::vector<std::string> received;
  early->client->subscribe("early",
                           [&](const Message& message) { received.push_back(message.string()); });
  CHECK_FALSE(early->client->publish("early", text("one")));
  CHECK_FALSE(early->client->publish("early", text("two")));
  CHECK(early->client->pendingBytes() > 0);
  bool flushedFirst = false;
  early->client->flush([&](const std::exception_ptr& error) {
    CHECK_FALSE(error);
    flushedFirst = true;
  });
  runUntil(io, [&] { return flushedFirst && received.size() == 2; });
  CHECK(early->open);
  CHECK(received == std::vector<std::string>{"one", "two"});
  CHECK(early->client->pendingBytes() == 0);
  CHECK(early->client->reconnects() == 0);
  CHECK(early->errors.empty());
}
