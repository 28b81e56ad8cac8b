// SPDX-License-Identifier: Apache-2.0
// JetStream against one nats-server with -js (its store in a scratch
// directory): streams, acknowledged and deduplicated publishes, durable pull
// consumers and their acks, redelivery, replay from a sequence and a time,
// the server's API errors; and against a fake API (a responder on a plain
// server) answering garbage.

#include <chrono>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <asio/io_context.hpp>
#include <catch2/catch.hpp>

#include "jetstream_server.hpp"
#include "wirekit/transport/nats/jetstream.hpp"

using namespace wirekit;
using namespace wirekit::test;
using namespace std::chrono_literals;
using nats::ConsumerConfig;
using nats::ConsumerInfo;
using nats::DeliverPolicy;
using nats::FetchOptions;
using nats::JetStream;
using nats::JetStreamApiError;
using nats::JsMessage;
using nats::NatsError;
using nats::PubAck;
using nats::StreamConfig;
using nats::StreamInfo;

namespace {

// A JetStream server, and a client connected to it.
struct JetStreamSetup {
  JetStreamServer server;
  asio::io_context io;
  std::shared_ptr<nats::Client> nc = connectedClient(io, {.servers = {server.url()}});
  JetStream js{io, nc};
};

StreamInfo addStream(asio::io_context& io, JetStream& js, const StreamConfig& config) {
  const auto answer =
      awaitAnswer<StreamInfo>(io, [&](auto done) { js.addStream(config, std::move(done)); });
  REQUIRE_FALSE(answer.error);
  return answer.value;
}

PubAck publish(asio::io_context& io, JetStream& js, const std::string& subject,
               const std::string& data, const std::string& msgId = {}) {
  const auto answer = awaitAnswer<PubAck>(io, [&](auto done) {
    js.publish(subject, Buffer::from(data), std::move(done), {.msgId = msgId});
  });
  INFO((answer.error ? errorMessage(answer.error) : std::string()));
  REQUIRE_FALSE(answer.error);
  return answer.value;
}

ConsumerInfo addConsumer(asio::io_context& io, JetStream& js, const std::string& stream,
                         const ConsumerConfig& config) {
  const auto answer = awaitAnswer<ConsumerInfo>(
      io, [&](auto done) { js.addConsumer(stream, config, std::move(done)); });
  INFO((answer.error ? errorMessage(answer.error) : std::string()));
  REQUIRE_FALSE(answer.error);
  return answer.value;
}

std::vector<JsMessage> fetch(asio::io_context& io, JetStream& js, const std::string& stream,
                             const std::string& durable, FetchOptions options) {
  const auto answer = awaitAnswer<std::vector<JsMessage>>(
      io, [&](auto done) { js.fetch(stream, durable, options, std::move(done)); });
  INFO((answer.error ? errorMessage(answer.error) : std::string()));
  REQUIRE_FALSE(answer.error);
  return answer.value;
}

std::vector<std::string> texts(const std::vector<JsMessage>& messages) {
  std::vector<std::string> out;
  for (const auto& message : messages)
    out.push_back(message.string());
  return out;
}

std::vector<std::uint64_t> sequences(const std::vector<JsMessage>& messages) {
  std::vector<std::uint64_t> out;
  for (const auto& message : messages)
    out.push_back(message.streamSequence());
  return out;
}

}  // namespace

TEST_CASE("jetstream: a stream is created, bound, updated and deleted, and API errors surface") {
  REQUIRE_NATS_SERVER();
  JetStreamSetup setup;
  auto& io = setup.io;
  auto& js = setup.js;

  const StreamConfig config{.name = "ORDERS", .subjects = {"orders.>"}, .maxMsgs = 1000};
  const auto created = addStream(io, js, config);
  CHECK(created.config.name == "ORDERS");
  CHECK(created.config.subjects == std::vector<std::string>{"orders.>"});
  CHECK(created.config.maxMsgs == 1000);
  CHECK(created.config.duplicateWindow == 2min);
  CHECK(created.state.messages == 0);
  // The same configuration again binds to it.
  CHECK(addStream(io, js, config).config.name == "ORDERS");

  const auto info =
      awaitAnswer<StreamInfo>(io, [&](auto done) { js.streamInfo("ORDERS", std::move(done)); });
  REQUIRE_FALSE(info.error);
  CHECK(info.value.config.maxMsgs == 1000);

  SECTION("another configuration under the same name is the server's error 10058") {
    auto other = config;
    other.subjects = {"other.>"};
    const auto answer =
        awaitAnswer<StreamInfo>(io, [&](auto done) { js.addStream(other, std::move(done)); });
    const auto error = errorAs<JetStreamApiError>(answer.error);
    CHECK(error.code() == "ERR_JS_API");
    CHECK(error.status() == 400);
    CHECK(error.errCode() == 10058);
    CHECK_THAT(error.description(), Catch::Contains("already in use"));
    CHECK_THAT(std::string(error.what()),
               Catch::Contains("err_code 10058) for $JS.API.STREAM.CREATE.ORDERS"));
  }
  SECTION("update changes it") {
    auto updated = config;
    updated.maxMsgs = 5;
    const auto answer =
        awaitAnswer<StreamInfo>(io, [&](auto done) { js.updateStream(updated, std::move(done)); });
    REQUIRE_FALSE(answer.error);
    CHECK(answer.value.config.maxMsgs == 5);
  }
  SECTION("a stream that is not there: 404, err_code 10059") {
    const auto answer =
        awaitAnswer<StreamInfo>(io, [&](auto done) { js.streamInfo("NOPE", std::move(done)); });
    const auto error = errorAs<JetStreamApiError>(answer.error);
    CHECK(error.status() == 404);
    CHECK(error.errCode() == 10059);
    CHECK(error.description() == "stream not found");
  }
  SECTION("delete, then it is gone") {
    bool deleted = false;
    js.deleteStream("ORDERS", [&](const std::exception_ptr& error) {
      CHECK_FALSE(error);
      deleted = true;
    });
    runUntil(io, [&] { return deleted; });
    const auto answer =
        awaitAnswer<StreamInfo>(io, [&](auto done) { js.streamInfo("ORDERS", std::move(done)); });
    CHECK(errorAs<JetStreamApiError>(answer.error).errCode() == 10059);
  }
  SECTION("a name that would be other subject tokens is refused before sending") {
    for (const std::string name : {"", "A.B", "A*", "A>", "A B"}) {
      INFO(name);
      CHECK_THROWS_AS(js.streamInfo(name, [](const std::exception_ptr&, const StreamInfo&) {}),
                      TypeError);
    }
    CHECK_THROWS_AS(js.addConsumer("ORDERS", {.durableName = "a.b"},
                                   [](const std::exception_ptr&, const ConsumerInfo&) {}),
                    TypeError);
  }
}

TEST_CASE("jetstream: publish is acknowledged, and deduplicated by Nats-Msg-Id") {
  REQUIRE_NATS_SERVER();
  JetStreamSetup setup;
  auto& io = setup.io;
  auto& js = setup.js;
  addStream(io, js, {.name = "ORDERS", .subjects = {"orders.>"}});

  const auto first = publish(io, js, "orders.new", "a", "id-1");
  CHECK(first.stream == "ORDERS");
  CHECK(first.seq == 1);
  CHECK_FALSE(first.duplicate);
  const auto again = publish(io, js, "orders.new", "a (retried)", "id-1");
  CHECK(again.seq == 1);
  CHECK(again.duplicate);
  const auto second = publish(io, js, "orders.new", "b", "id-2");
  CHECK(second.seq == 2);
  CHECK_FALSE(second.duplicate);
  // Without an id nothing is deduplicated.
  CHECK(publish(io, js, "orders.new", "b").seq == 3);

  const auto info =
      awaitAnswer<StreamInfo>(io, [&](auto done) { js.streamInfo("ORDERS", std::move(done)); });
  REQUIRE_FALSE(info.error);
  CHECK(info.value.state.messages == 3);
  CHECK(info.value.state.lastSeq == 3);

  SECTION("a subject no stream takes: no responders") {
    const auto answer = awaitAnswer<PubAck>(
        io, [&](auto done) { js.publish("elsewhere", Buffer::from("x"), std::move(done)); });
    CHECK(errorAs<NatsError>(answer.error).code() == "ERR_NATS_NO_RESPONDERS");
  }
  SECTION("the wrong expected stream: the server's error") {
    const auto answer = awaitAnswer<PubAck>(io, [&](auto done) {
      js.publish("orders.new", Buffer::from("x"), std::move(done), {.expectedStream = "INVOICES"});
    });
    const auto error = errorAs<JetStreamApiError>(answer.error);
    CHECK(error.status() == 400);
    CHECK(error.errCode() == 10060);
    CHECK_THAT(error.description(), Catch::Contains("expected stream does not match"));
  }
}

TEST_CASE("jetstream: a durable pull consumer fetches batches and acks them") {
  REQUIRE_NATS_SERVER();
  JetStreamSetup setup;
  auto& io = setup.io;
  auto& js = setup.js;
  addStream(io, js, {.name = "ORDERS", .subjects = {"orders.>"}});
  for (int i = 1; i <= 5; ++i)
    publish(io, js, "orders." + std::to_string(i), "m" + std::to_string(i));

  const auto created = addConsumer(io, js, "ORDERS", {.durableName = "billing"});
  CHECK(created.name == "billing");
  CHECK(created.stream == "ORDERS");
  CHECK(created.numPending == 5);
  CHECK(created.config.maxAckPending == 1000);
  CHECK(created.config.ackWait == 30s);

  auto batch = fetch(io, js, "ORDERS", "billing", {.batch = 3, .expires = 2s});
  CHECK(texts(batch) == std::vector<std::string>{"m1", "m2", "m3"});
  CHECK(sequences(batch) == std::vector<std::uint64_t>{1, 2, 3});
  CHECK(batch[0].subject() == "orders.1");
  CHECK(batch[0].stream() == "ORDERS");
  CHECK(batch[0].consumer() == "billing");
  CHECK(batch[0].deliveryCount() == 1);
  CHECK(batch[0].consumerSequence() == 1);
  CHECK(batch[2].pending() == 2);
  CHECK(std::chrono::system_clock::now() - batch[0].timestamp() < 1min);
  for (auto& message : batch)
    message.ack();
  CHECK(batch[0].isAcked());

  // noWait: what is there (2 of the 10 asked), at once.
  const auto started = std::chrono::steady_clock::now();
  auto rest = fetch(io, js, "ORDERS", "billing", {.batch = 10, .noWait = true});
  CHECK(texts(rest) == std::vector<std::string>{"m4", "m5"});
  bool confirmed = false;
  rest[0].ackSync([&](const std::exception_ptr& error) {
    CHECK_FALSE(error);
    confirmed = true;
  });
  runUntil(io, [&] { return confirmed; });
  rest[1].ack();
  CHECK(fetch(io, js, "ORDERS", "billing", {.batch = 10, .noWait = true}).empty());
  CHECK(std::chrono::steady_clock::now() - started < 2s);

  // Bound again (another client of the same durable) it starts where acks left it.
  publish(io, js, "orders.6", "m6");
  const auto bound = awaitAnswer<ConsumerInfo>(
      io, [&](auto done) { js.consumerInfo("ORDERS", "billing", std::move(done)); });
  REQUIRE_FALSE(bound.error);
  CHECK(bound.value.numPending == 1);
  CHECK(bound.value.deliveredStreamSeq == 5);
  CHECK(texts(fetch(io, js, "ORDERS", "billing", {.batch = 5, .expires = 300ms})) ==
        std::vector<std::string>{"m6"});

  SECTION("expires ends a batch that cannot be filled, without an error") {
    const auto begun = std::chrono::steady_clock::now();
    CHECK(fetch(io, js, "ORDERS", "billing", {.batch = 5, .expires = 300ms}).empty());
    CHECK(std::chrono::steady_clock::now() - begun >= 250ms);
  }
  SECTION("a consumer that is not there: the server's error") {
    const auto info = awaitAnswer<ConsumerInfo>(
        io, [&](auto done) { js.consumerInfo("ORDERS", "nobody", std::move(done)); });
    const auto error = errorAs<JetStreamApiError>(info.error);
    CHECK(error.status() == 404);
    CHECK(error.errCode() == 10014);
    const auto batch2 = awaitAnswer<std::vector<JsMessage>>(io, [&](auto done) {
      js.fetch("ORDERS", "nobody", {.batch = 1, .expires = 300ms}, std::move(done));
    });
    REQUIRE(batch2.error);
    CHECK(batch2.value.empty());
  }
  SECTION("deleted, it is gone") {
    bool deleted = false;
    js.deleteConsumer("ORDERS", "billing", [&](const std::exception_ptr& error) {
      CHECK_FALSE(error);
      deleted = true;
    });
    runUntil(io, [&] { return deleted; });
    const auto info = awaitAnswer<ConsumerInfo>(
        io, [&](auto done) { js.consumerInfo("ORDERS", "billing", std::move(done)); });
    CHECK(errorAs<JetStreamApiError>(info.error).errCode() == 10014);
  }
}

TEST_CASE("jetstream: unacked messages come again after ackWait, up to maxDeliver") {
  REQUIRE_NATS_SERVER();
  JetStreamSetup setup;
  auto& io = setup.io;
  auto& js = setup.js;
  addStream(io, js, {.name = "JOBS", .subjects = {"jobs.>"}});
  publish(io, js, "jobs.a", "a");
  publish(io, js, "jobs.b", "b");
  publish(io, js, "jobs.c", "c");
  addConsumer(io, js, "JOBS", {.durableName = "worker", .ackWait = 400ms, .maxDeliver = 2});

  auto first = fetch(io, js, "JOBS", "worker", {.batch = 3, .expires = 2s});
  REQUIRE(texts(first) == std::vector<std::string>{"a", "b", "c"});
  first[1].ack();
  first[2].term();
  // "a" is neither acked nor termed: after ackWait it comes again, and only it.
  auto second = fetch(io, js, "JOBS", "worker", {.batch = 3, .expires = 1500ms});
  REQUIRE(texts(second) == std::vector<std::string>{"a"});
  CHECK(second[0].deliveryCount() == 2);
  CHECK(second[0].streamSequence() == 1);
  // maxDeliver (2) reached: never again, though not acked.
  CHECK(fetch(io, js, "JOBS", "worker", {.batch = 3, .expires = 1s}).empty());

  SECTION("nak: at once again; inProgress: keeps it from coming again") {
    publish(io, js, "jobs.d", "d");
    publish(io, js, "jobs.e", "e");
    auto batch = fetch(io, js, "JOBS", "worker", {.batch = 2, .expires = 1s});
    REQUIRE(texts(batch) == std::vector<std::string>{"d", "e"});
    batch[0].nak();
    auto again = fetch(io, js, "JOBS", "worker", {.batch = 1, .expires = 1s});
    REQUIRE(texts(again) == std::vector<std::string>{"d"});
    CHECK(again[0].deliveryCount() == 2);
    again[0].ack();
    // "e": worked on for longer than ackWait (400 ms), telling the server so.
    for (int i = 0; i < 4; ++i) {
      std::this_thread::sleep_for(150ms);
      batch[1].inProgress();
      drain(io, 10ms);
    }
    CHECK(fetch(io, js, "JOBS", "worker", {.batch = 1, .noWait = true}).empty());
    batch[1].ack();
  }
}

TEST_CASE("jetstream: a consumer replays from a stream sequence or a time") {
  REQUIRE_NATS_SERVER();
  JetStreamSetup setup;
  auto& io = setup.io;
  auto& js = setup.js;
  addStream(io, js, {.name = "TICKS", .subjects = {"ticks"}});
  for (const auto* tick : {"t1", "t2", "t3"})
    publish(io, js, "ticks", tick);
  std::this_thread::sleep_for(50ms);
  const auto between = std::chrono::system_clock::now();
  std::this_thread::sleep_for(50ms);
  for (const auto* tick : {"t4", "t5"})
    publish(io, js, "ticks", tick);

  addConsumer(
      io, js, "TICKS",
      {.durableName = "from2", .deliverPolicy = DeliverPolicy::byStartSequence, .optStartSeq = 2});
  CHECK(texts(fetch(io, js, "TICKS", "from2", {.batch = 10, .noWait = true})) ==
        std::vector<std::string>{"t2", "t3", "t4", "t5"});

  const auto info = addConsumer(io, js, "TICKS",
                                {.durableName = "fromTime",
                                 .deliverPolicy = DeliverPolicy::byStartTime,
                                 .optStartTime = between});
  CHECK(info.config.deliverPolicy == DeliverPolicy::byStartTime);
  const auto replayed = fetch(io, js, "TICKS", "fromTime", {.batch = 10, .noWait = true});
  CHECK(texts(replayed) == std::vector<std::string>{"t4", "t5"});
  CHECK(replayed[0].timestamp() >= between);

  addConsumer(io, js, "TICKS", {.durableName = "last", .deliverPolicy = DeliverPolicy::last});
  CHECK(texts(fetch(io, js, "TICKS", "last", {.batch = 10, .noWait = true})) ==
        std::vector<std::string>{"t5"});

  CHECK_THROWS_AS(
      js.addConsumer("TICKS", {.durableName = "x", .deliverPolicy = DeliverPolicy::byStartTime},
                     [](const std::exception_ptr&, const ConsumerInfo&) {}),
      TypeError);
}

TEST_CASE("jetstream: garbage from the API is a clear error, never a crash") {
  REQUIRE_NATS_SERVER();
  // A plain server; the "API" is a responder under another prefix.
  NatsServer server;
  asio::io_context io;
  auto nc = connectedClient(io, {.servers = {server.url()}});
  JetStream js(io, nc, {.apiPrefix = "FAKE.API", .timeout = 300ms});

  std::string reply;
  nc->subscribe("FAKE.API.>", [&](const nats::Message& request) {
    if (!reply.empty()) nc->publish(request.reply, Buffer::from(reply));
  });
  const std::vector<std::pair<std::string, std::string>> cases{
      {"not json", "is not a JSON object"},
      {"[1,2]", "is not a JSON object"},
      {"{\"error\": 7}", "has a bad 'error'"},
      {"{}", "is not what the API sends"},
      {"{\"config\": 5, \"state\": {}}", "is not what the API sends"},
      {R"({"config": {"name": "X", "storage": "tape", "retention": "limits"}, "state": {}})",
       "unknown storage 'tape'"},
      {R"({"config": {"name": 7, "storage": "file", "retention": "limits"}, "state": {}})",
       "is not what the API sends"},
      {R"({"config": {"storage": "file", "retention": "limits", "max_age": "x"}, "state": {}})",
       "is not what the API sends"},
  };
  for (const auto& [body, expected] : cases) {
    INFO(body);
    reply = body;
    const auto answer =
        awaitAnswer<StreamInfo>(io, [&](auto done) { js.streamInfo("X", std::move(done)); });
    const auto error = errorAs<NatsError>(answer.error);
    CHECK(error.code() == "ERR_JS_INVALID_REPLY");
    CHECK_THAT(std::string(error.what()), Catch::Contains(expected));
  }
  reply.clear();

  SECTION("the server's error without its fields") {
    reply = R"({"error": {}})";
    const auto answer =
        awaitAnswer<StreamInfo>(io, [&](auto done) { js.streamInfo("X", std::move(done)); });
    CHECK(errorAs<JetStreamApiError>(answer.error).status() == 0);
  }
  SECTION("no answer: ERR_NATS_TIMEOUT after JetStreamOptions::timeout") {
    const auto answer =
        awaitAnswer<StreamInfo>(io, [&](auto done) { js.streamInfo("X", std::move(done)); });
    CHECK(errorAs<NatsError>(answer.error).code() == "ERR_NATS_TIMEOUT");
  }
  SECTION("no JetStream at all: no responders") {
    JetStream real(io, nc, {.timeout = 1s});
    const auto answer =
        awaitAnswer<StreamInfo>(io, [&](auto done) { real.streamInfo("X", std::move(done)); });
    CHECK(errorAs<NatsError>(answer.error).code() == "ERR_NATS_NO_RESPONDERS");
  }
  SECTION("a fetch answered with messages that are not JetStream's") {
    nc->subscribe("FAKE.API.CONSUMER.MSG.NEXT.>", [&](const nats::Message& request) {
      nc->publish(request.reply, Buffer::from("x"), {.reply = "FAKE.ACK.S.C.1.2.1.1.0"});
    });
    const auto answer = awaitAnswer<std::vector<JsMessage>>(io, [&](auto done) {
      js.fetch("S", "C", {.batch = 1, .expires = 100ms}, std::move(done));
    });
    const auto error = errorAs<NatsError>(answer.error);
    CHECK(error.code() == "ERR_JS_INVALID_REPLY");
    CHECK_THAT(std::string(error.what()),
               Catch::Contains("reply subject 'FAKE.ACK.S.C.1.2.1.1.0', not a JetStream ack"));
  }
  SECTION("a fetch no one ends: ERR_NATS_TIMEOUT after expires + timeout") {
    const auto begun = std::chrono::steady_clock::now();
    const auto answer = awaitAnswer<std::vector<JsMessage>>(io, [&](auto done) {
      js.fetch("S", "C", {.batch = 1, .expires = 100ms}, std::move(done));
    });
    CHECK(errorAs<NatsError>(answer.error).code() == "ERR_NATS_TIMEOUT");
    CHECK(std::chrono::steady_clock::now() - begun >= 350ms);
  }
  SECTION("JsMessage refuses a reply subject that is not an ack subject") {
    for (const std::string subject :
         {"", "_INBOX.x", "$JS.ACK.S.C.1.2.3.4", "$JS.ACK.S.C.1.2.3.4.5.6", "$JS.NAK.S.C.1.2.3.4.5",
          "$JS.ACK.S.C.1.2.3.-4.5", "$JS.ACK.S.C.1.2.3.99999999999999999999999.5"}) {
      INFO(subject);
      nats::Message message;
      message.subject = "s";
      message.reply = subject;
      CHECK_THROWS_AS(JsMessage(nc, message), NatsError);
    }
    nats::Message good;
    good.reply = "$JS.ACK.dom.hash.S.C.2.10.7.1700000000000000000.3.token";
    const JsMessage message(nc, good);
    CHECK(message.stream() == "S");
    CHECK(message.deliveryCount() == 2);
    CHECK(message.streamSequence() == 10);
    CHECK(message.consumerSequence() == 7);
    CHECK(message.pending() == 3);
  }
}

// The usage docs/scale.md quotes.
TEST_CASE("jetstream: the docs' example") {
  REQUIRE_NATS_SERVER();
  JetStreamServer server;
  asio::io_context io;
  std::vector<std::string> log;
  // [usage]
  auto nc = wirekit::nats::connect(io, {.servers = {server.url()}});
  wirekit::nats::JetStream js(io, nc);
  const auto consume = [&] {
    js.fetch("ORDERS", "billing", {.batch = 10, .expires = std::chrono::seconds(1)},
             [&](const std::exception_ptr& error, std::vector<wirekit::nats::JsMessage> batch) {
               if (error) return log.push_back(wirekit::errorMessage(error));
               for (auto& message : batch) {
                 log.push_back(message.string());
                 message.ack();  // or nak(), inProgress(), term()
               }
             });
  };
  const auto produce = [&] {
    // The id makes a retry safe: the stream stores it once.
    js.publish("orders.new", wirekit::Buffer::from("order 17"),
               [&](const std::exception_ptr& error, const wirekit::nats::PubAck& ack) {
                 if (error) return log.push_back(wirekit::errorMessage(error));
                 log.push_back(fmt::format("stored as {} #{}", ack.stream, ack.seq));
                 consume();
               },
               {.msgId = "order-17"});
  };
  js.addStream({.name = "ORDERS", .subjects = {"orders.>"}, .replicas = 1},
               [&](const std::exception_ptr& error, const wirekit::nats::StreamInfo&) {
                 if (error) return log.push_back(wirekit::errorMessage(error));
                 js.addConsumer(
                     "ORDERS", {.durableName = "billing"},
                     [&](const std::exception_ptr& error, const wirekit::nats::ConsumerInfo&) {
                       if (error) return log.push_back(wirekit::errorMessage(error));
                       produce();
                     });
               });
  // [/usage]
  runUntil(io, [&] { return log.size() == 2; });
  CHECK(log == std::vector<std::string>{"stored as ORDERS #1", "order 17"});
}
