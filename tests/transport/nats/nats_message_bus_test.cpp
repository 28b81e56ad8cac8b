// SPDX-License-Identifier: Apache-2.0
// MessageBus<Schema> against a real nats-server (started per test on a
// loopback port, killed at its end): typed round trips on the default and
// explicit subjects, queue groups, bad payloads as 'error' events, Node's
// backpressure boolean and 'drain', typed request and reply.

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <asio/io_context.hpp>
#include <catch2/catch.hpp>

#include "../../codec/byte_builder.hpp"
#include "../transport_test_support.hpp"
#include "nats_server.hpp"
#include "nats_test_client.hpp"
#include "trading.wk.hpp"
#include "wirekit/error.hpp"
#include "wirekit/transport/nats/client.hpp"
#include "wirekit/transport/nats/message_bus.hpp"

using namespace wirekit;
using namespace wirekit::test;
using namespace std::chrono_literals;
namespace trading = demo::trading;
using Bus = nats::MessageBus<trading::Schema>;

namespace {

std::shared_ptr<nats::Client> connected(asio::io_context& io, const NatsServer& server,
                                        nats::Options options = {}) {
  options.servers = {server.url()};
  bool open = false;
  auto client = nats::connect(io, std::move(options), [&open] { open = true; });
  runUntil(io, [&] { return open; });
  return client;
}

const std::vector<std::byte> note{std::byte{0xDE}, std::byte{0x00}, std::byte{0xAD}};

void fillOrder(trading::NewOrder::Encoder& order, std::uint64_t id) {
  order.orderId(id).symbol("ACME").side(trading::Side::Sell);
  order.ordType(trading::OrdType::StopLimit).tif(trading::Tif{}.Ioc(true).PostOnly(true));
  order.price().mantissa(-12345).exponent(-2);
  order.quantity(100).stopPrice(-99).clientTag(7);
  auto legs = order.legs(2);
  legs.next().legId(9).ratio(3).side(trading::Side::Buy);
  legs.next().legId(10).ratio(65535).side(trading::Side::Sell);
  order.account("acct-1");
  order.note(note);
}

void checkOrder(const trading::NewOrder::Decoder& order, std::uint64_t id) {
  CHECK(order.orderId() == id);
  CHECK(order.symbol() == "ACME");
  CHECK(order.side() == trading::Side::Sell);
  CHECK(order.ordType() == trading::OrdType::StopLimit);
  CHECK_FALSE(order.tif().Day());
  CHECK(order.tif().Ioc());
  CHECK(order.tif().PostOnly());
  CHECK_FALSE(order.tif().Fok());
  CHECK(order.price().mantissa() == -12345);
  CHECK(order.price().exponent() == -2);
  CHECK(order.quantity() == 100U);
  CHECK(order.stopPrice() == std::optional<std::int64_t>(-99));
  CHECK(order.venue() == "XLON");
  CHECK(order.clientTag() == std::optional<std::uint32_t>(7));
  REQUIRE(order.legs().size() == 2);
  CHECK(order.legs()[0].legId() == 9U);
  CHECK(order.legs()[0].ratio() == 3U);
  CHECK(order.legs()[0].side() == trading::Side::Buy);
  CHECK(order.legs()[1].legId() == 10U);
  CHECK(order.legs()[1].ratio() == 65535U);
  CHECK(order.legs()[1].side() == trading::Side::Sell);
  CHECK(order.account() == "acct-1");
  CHECK(std::vector<std::byte>(order.note().begin(), order.note().end()) == note);
}

}  // namespace

TEST_CASE("nats bus: a typed round trip on the default subject, every field checked") {
  REQUIRE_NATS_SERVER();
  NatsServer server;
  asio::io_context io;
  auto subscriber = std::make_shared<Bus>(connected(io, server));
  auto publisher = std::make_shared<Bus>(connected(io, server));
  CHECK(publisher->subject<trading::NewOrder>() == "demo.trading.NewOrder");
  CHECK(publisher->subject<trading::Heartbeat>() == "demo.trading.Heartbeat");

  std::vector<std::uint64_t> orders;
  std::vector<std::uint64_t> beats;
  std::vector<std::string> rawSubjects;
  std::vector<std::size_t> rawLengths;
  subscriber->on<trading::NewOrder>([&](const trading::NewOrder::Decoder& order) {
    checkOrder(order, 1000 + orders.size());
    orders.push_back(order.orderId());
  });
  subscriber->on<trading::Heartbeat>(
      [&](const trading::Heartbeat::Decoder& beat, const nats::Message& message) {
        CHECK(message.subject == "demo.trading.Heartbeat");
        beats.push_back(beat.sentAt());
      });
  // What travels: the schema's header and the message, nothing else.
  subscriber->client().subscribe("demo.trading.>", [&](const nats::Message& message) {
    rawSubjects.push_back(message.subject);
    rawLengths.push_back(message.data.length());
  });
  subscriber->on(events::error, [](const std::exception_ptr& error) { FAIL(errorMessage(error)); });
  flushed(io, subscriber->client());

  for (std::uint64_t i = 0; i < 10; ++i) {
    CHECK(publisher->send<trading::NewOrder>(
        [&](trading::NewOrder::Encoder& order) { fillOrder(order, 1000 + i); }));
  }
  publisher->send<trading::Heartbeat>([](trading::Heartbeat::Encoder& beat) { beat.sentAt(42); });
  runUntil(io, [&] { return orders.size() == 10 && beats.size() == 1 && rawLengths.size() == 11; });
  CHECK(beats == std::vector<std::uint64_t>{42});
  CHECK(rawSubjects.front() == "demo.trading.NewOrder");
  CHECK(rawSubjects.back() == "demo.trading.Heartbeat");
  // NewOrder: header 8 + block 44 + legs 4 + 2 x 7 + account 2 + 6 + note 4 + 3.
  CHECK(rawLengths.front() == 8 + 44 + 4 + 14 + 8 + 7);
  CHECK(rawLengths.back() == 8 + 8);
}

TEST_CASE("nats bus: a prefix of one's own, explicit subjects and wildcards") {
  REQUIRE_NATS_SERVER();
  NatsServer server;
  asio::io_context io;
  auto client = connected(io, server);
  auto bus = std::make_shared<Bus>(client, nats::MessageBusOptions{.prefix = "eu.orders"});
  CHECK(bus->prefix() == "eu.orders");
  CHECK(bus->subject<trading::NewOrder>() == "eu.orders.NewOrder");
  std::vector<std::string> subjects;
  bus->on<trading::NewOrder>("eu.*.NewOrder",
                             [&](const trading::NewOrder::Decoder& order, const nats::Message& m) {
                               checkOrder(order, 5);
                               subjects.push_back(m.subject);
                             });
  flushed(io, *client);
  bus->send<trading::NewOrder>([](auto& order) { fillOrder(order, 5); });
  bus->send<trading::NewOrder>("eu.desk.NewOrder", [](auto& order) { fillOrder(order, 5); });
  runUntil(io, [&] { return subjects.size() == 2; });
  CHECK(subjects == std::vector<std::string>{"eu.orders.NewOrder", "eu.desk.NewOrder"});

  // A message beyond maxMessageLength: EncodeError, nothing published.
  Bus small(client, {.maxMessageLength = 64});
  const std::uint64_t published = client->outMsgs();
  CHECK_THROWS_AS(small.send<trading::NewOrder>([](auto& order) { fillOrder(order, 6); }),
                  EncodeError);
  CHECK(client->outMsgs() == published);
  CHECK(small.send<trading::Heartbeat>("eu.small.Heartbeat", [](auto& beat) { beat.sentAt(1); }));
  CHECK(client->outMsgs() == published + 1);
  CHECK_THROWS_AS(Bus(client, {.maxMessageLength = 10}), RangeError);
  CHECK_THROWS_AS(Bus(nullptr), TypeError);
}

TEST_CASE("nats bus: a queue group gives each typed message to exactly one member") {
  REQUIRE_NATS_SERVER();
  NatsServer server;
  asio::io_context io;
  auto publisher = std::make_shared<Bus>(connected(io, server));
  std::vector<std::shared_ptr<Bus>> members;
  std::map<std::uint64_t, int> deliveries;
  std::vector<int> perMember(3, 0);
  for (std::size_t member = 0; member < 3; ++member) {
    members.push_back(std::make_shared<Bus>(connected(io, server)));
    members.back()->on<trading::NewOrder>(
        [&, member](const trading::NewOrder::Decoder& order) {
          ++deliveries[order.orderId()];
          ++perMember[member];
        },
        {.queue = "matchers"});
    flushed(io, members.back()->client());
  }
  constexpr std::uint64_t count = 300;
  for (std::uint64_t i = 0; i < count; ++i)
    publisher->send<trading::NewOrder>([&](auto& order) { fillOrder(order, i); });
  runUntil(io, [&] { return deliveries.size() == count; });
  for (auto& member : members)
    flushed(io, member->client());
  for (const auto& [id, times] : deliveries) {
    INFO("order " << id);
    CHECK(times == 1);
  }
  CHECK(perMember[0] + perMember[1] + perMember[2] == static_cast<int>(count));
  INFO("per member: " << perMember[0] << " " << perMember[1] << " " << perMember[2]);
  CHECK(std::count(perMember.begin(), perMember.end(), 0) == 0);
}

TEST_CASE("nats bus: a payload that is not the subscription's message is an 'error' event") {
  REQUIRE_NATS_SERVER();
  NatsServer server;
  asio::io_context io;
  auto bus = std::make_shared<Bus>(connected(io, server));
  auto raw = connected(io, server);
  std::vector<std::exception_ptr> errors;
  std::vector<std::uint64_t> orders;
  bus->on(events::error, [&](const std::exception_ptr& error) { errors.push_back(error); });
  bus->on<trading::NewOrder>(
      [&](const trading::NewOrder::Decoder& order) { orders.push_back(order.orderId()); });
  flushed(io, bus->client());

  // A NewOrder whose legs count 1000 entries of 7 bytes that are not there.
  const auto manyLegs = wktest::Bytes()
                            .u16(44)
                            .u16(1)
                            .u16(42)
                            .u16(2)  // header
                            .zeros(44)
                            .u16(7)
                            .u16(1000)
                            .bytes();
  const auto unknownTemplate = wktest::Bytes().u16(8).u16(99).u16(42).u16(2).u64(0).bytes();
  const auto otherSchema = wktest::Bytes().u16(8).u16(4).u16(7).u16(2).u64(0).bytes();
  const auto heartbeat = wktest::Bytes().u16(8).u16(4).u16(42).u16(2).u64(0).bytes();
  for (const auto& payload : {manyLegs, unknownTemplate, otherSchema, heartbeat,
                              std::vector<std::byte>(3, std::byte{0xFF})})
    raw->publish("demo.trading.NewOrder", Buffer::from(payload));
  // The subscription goes on: a good message after them, from the same
  // connection so that it comes last.
  Bus(raw).send<trading::NewOrder>([](auto& order) { fillOrder(order, 77); });
  runUntil(io, [&] { return orders.size() == 1; });
  CHECK(orders == std::vector<std::uint64_t>{77});
  REQUIRE(errors.size() == 5);
  std::vector<std::string> what;
  for (const auto& error : errors) {
    try {
      std::rethrow_exception(error);
    } catch (const nats::BadMessageError& bad) {
      CHECK(bad.code() == "ERR_NATS_BAD_MESSAGE");
      CHECK(bad.subject() == "demo.trading.NewOrder");
      what.push_back(bad.what());
    }
  }
  REQUIRE(what.size() == 5);
  CHECK_THAT(what[0], Catch::StartsWith("ERR_NATS_BAD_MESSAGE: message on 'demo.trading.NewOrder': "
                                        "NewOrder.legs"));
  CHECK_THAT(what[0], Catch::Contains("1000 entries of 7 bytes at byte 56"));
  CHECK_THAT(what[1], Catch::EndsWith("demo.trading: unknown template id 99 at byte 2"));
  CHECK_THAT(what[2], Catch::Contains("schema id 7 at byte 4 is not 42"));
  CHECK_THAT(what[3], Catch::EndsWith("demo.trading: message #4 of the schema where NewOrder "
                                      "was expected"));
  CHECK_THAT(what[4], Catch::Contains("at byte 0"));
}

TEST_CASE("nats bus: without an 'error' listener a bad payload is the client's 'error'") {
  REQUIRE_NATS_SERVER();
  NatsServer server;
  asio::io_context io;
  auto client = connected(io, server);
  std::vector<std::exception_ptr> clientErrors;
  client->on(events::error,
             [&](const std::exception_ptr& error) { clientErrors.push_back(error); });
  auto bus = std::make_shared<Bus>(client);
  bus->on<trading::Heartbeat>([](const auto&) {});
  flushed(io, *client);
  client->publish("demo.trading.Heartbeat", Buffer::from("garbage"));
  runUntil(io, [&] { return !clientErrors.empty(); });
  CHECK_THROWS_AS(std::rethrow_exception(clientErrors.front()), nats::BadMessageError);
  CHECK(client->isConnected());
}

TEST_CASE("nats bus: send() says false past the socket's high-water mark, then 'drain'") {
  REQUIRE_NATS_SERVER();
  NatsServer server;
  asio::io_context io;
  nats::Options options;
  options.socket.writableHighWaterMark = 8 * 1024;
  auto publisher = std::make_shared<Bus>(connected(io, server, options));
  auto subscriber = std::make_shared<Bus>(connected(io, server));
  std::size_t received = 0;
  subscriber->on<trading::NewOrder>([&](const trading::NewOrder::Decoder& order) {
    CHECK(order.orderId() == received);
    CHECK(order.note().size() == 1024);
    ++received;
  });
  flushed(io, subscriber->client());
  int drains = 0;
  publisher->on(events::drain, [&] { ++drains; });

  const std::vector<std::byte> kilobyte(1024, std::byte{0x5A});
  std::size_t sent = 0;
  bool more = true;
  // Without turning the loop, the writes pile up in the socket.
  while (more && sent < 1000) {
    more = publisher->send<trading::NewOrder>([&](trading::NewOrder::Encoder& order) {
      order.orderId(sent).legs(0);
      order.account("");
      order.note(kilobyte);
    });
    ++sent;
  }
  CHECK_FALSE(more);
  CHECK(sent <= 9);
  runUntil(io, [&] { return drains == 1; });
  runUntil(io, [&] { return received == sent; });
}

TEST_CASE("nats bus: typed request and reply") {
  REQUIRE_NATS_SERVER();
  NatsServer server;
  asio::io_context io;
  auto service = std::make_shared<Bus>(connected(io, server));
  auto caller = std::make_shared<Bus>(connected(io, server));
  service->on<trading::NewOrder>(
      "orders.submit", [&](const trading::NewOrder::Decoder& order, const nats::Message& request) {
        service->respond<trading::ExecutionReport>(request, [&](auto& report) {
          report.orderId(order.orderId()).execId(1).symbol(order.symbol());
          report.execType(trading::ExecType::New).side(order.side());
          report.lastQty(0).leavesQty(order.quantity()).cumQty(0).text("accepted");
        });
      });
  service->on<trading::Heartbeat>("orders.bad", [&](const auto&, const nats::Message& request) {
    service->client().publish(request.reply, Buffer::from("not a message"));
  });
  flushed(io, service->client());

  std::optional<std::string> answer;
  caller->request<trading::NewOrder>(
      "orders.submit", [](auto& order) { fillOrder(order, 31); },
      [&](const std::exception_ptr& error, const Bus::AnyMessage* reply) {
        REQUIRE_FALSE(error);
        REQUIRE(reply != nullptr);
        const auto* report = std::get_if<trading::ExecutionReport::Decoder>(reply);
        REQUIRE(report != nullptr);
        CHECK(report->orderId() == 31U);
        CHECK(report->leavesQty() == 100U);
        answer = std::string(report->text().value_or(""));
      });
  runUntil(io, [&] { return answer.has_value(); });
  CHECK(answer == "accepted");

  std::exception_ptr badReply;
  caller->request<trading::Heartbeat>(
      "orders.bad", [](auto& beat) { beat.sentAt(1); },
      [&](const std::exception_ptr& error, const Bus::AnyMessage* reply) {
        CHECK(reply == nullptr);
        badReply = error;
      });
  runUntil(io, [&] { return badReply != nullptr; });
  CHECK_THROWS_AS(std::rethrow_exception(badReply), nats::BadMessageError);

  std::exception_ptr nobody;
  caller->request<trading::Heartbeat>(
      "orders.nobody", [](auto& beat) { beat.sentAt(1); },
      [&](const std::exception_ptr& error, const Bus::AnyMessage*) { nobody = error; });
  runUntil(io, [&] { return nobody != nullptr; });
  CHECK_THAT(errorMessage(nobody), Catch::StartsWith("ERR_NATS_NO_RESPONDERS"));

  nats::Message noReply;
  noReply.subject = "x";
  CHECK_THROWS_AS(service->respond<trading::Heartbeat>(noReply, [](auto&) {}), TypeError);
}

TEST_CASE("nats bus: a bus that goes unsubscribes what it subscribed") {
  REQUIRE_NATS_SERVER();
  NatsServer server;
  asio::io_context io;
  auto client = connected(io, server);
  int beats = 0;
  auto bus = std::make_shared<Bus>(client);
  auto subscription = bus->on<trading::Heartbeat>([&](const auto&) { ++beats; });
  bus.reset();
  CHECK(subscription->isClosed());
  client->publish("demo.trading.Heartbeat",
                  Buffer::from(wktest::Bytes().u16(8).u16(4).u16(42).u16(2).u64(0).bytes()));
  flushed(io, *client);
  CHECK(beats == 0);
}

// The usage docs/scale.md quotes: a handler on a type's default subject, one
// in a queue group on a subject of one's own, the 'error' listener, send()
// with its boolean and 'drain', a typed request answered by respond().
TEST_CASE("nats bus: the usage the docs show") {
  REQUIRE_NATS_SERVER();
  NatsServer server;
  asio::io_context io;
  using trading::ExecutionReport;
  using trading::NewOrder;
  std::vector<std::string> log;
  std::size_t sent = 0;  // the messages sendTheRest() would send
  const auto sendTheRest = [&sent] { sent = 2; };
  // [usage]
  auto nc = nats::connect(io, {.servers = {server.url()}});
  auto bus = std::make_shared<nats::MessageBus<trading::Schema>>(nc);
  bus->on<NewOrder>([&](const NewOrder::Decoder& order) {  // demo.trading.NewOrder
    log.push_back("order " + std::to_string(order.orderId()));
  });
  bus->on<NewOrder>(
      "orders.eu.*",  // a queue group: each message to one member
      [&](const NewOrder::Decoder& order, const nats::Message& request) {
        bus->respond<ExecutionReport>(request, [&](ExecutionReport::Encoder& report) {
          report.orderId(order.orderId()).leavesQty(order.quantity()).text("accepted");
        });
      },
      {.queue = "matchers"});
  bus->on(events::error, [&](const std::exception_ptr& error) {  // a BadMessageError
    log.push_back(errorMessage(error));
  });
  bool more = bus->send<NewOrder>([](NewOrder::Encoder& order) { order.orderId(7); });
  if (!more) bus->once(events::drain, [&] { sendTheRest(); });
  bus->request<NewOrder>(
      "orders.eu.submit", [](NewOrder::Encoder& order) { order.orderId(8).quantity(100); },
      [&](const std::exception_ptr& error,
          const nats::MessageBus<trading::Schema>::AnyMessage* reply) {
        if (error) return log.push_back(errorMessage(error));
        if (const auto* report = std::get_if<ExecutionReport::Decoder>(reply))
          log.push_back("report " + std::string(report->text().value_or("")));
      });
  // [/usage]
  runUntil(io, [&] { return log.size() == 2; });
  std::sort(log.begin(), log.end());
  CHECK(log == std::vector<std::string>{"order 7", "report accepted"});
  // Before the connection is up the client holds what is sent: false, then 'drain'.
  CHECK((more ? sent == 0 : sent == 2));
}
