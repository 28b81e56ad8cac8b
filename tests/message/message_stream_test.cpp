// SPDX-License-Identifier: Apache-2.0
// MessageStream over in-memory streams: encoding in place, batching, dispatch
// by template id, bad input reported without ending the stream, large
// messages, backpressure, pause/resume, end and close.

#include "wirekit/message/message_stream.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <catch2/catch.hpp>

#include "chat.wk.hpp"
#include "custom_header.wk.hpp"
#include "message_test_support.hpp"
#include "trading.wk.hpp"
#include "wirekit/stream/pass_through.hpp"

namespace {

using namespace wirekit;
using namespace wirekit::test;
namespace trading = demo::trading;
using Trading = MessageStream<trading::Schema>;

std::vector<std::byte> bytesOf(std::span<const std::byte> bytes) {
  return {bytes.begin(), bytes.end()};
}

// A Heartbeat by hand: header (block length 8, template 4, schema 42, version 2), sentAt.
std::vector<std::byte> heartbeatMessage(std::uint64_t sentAt) {
  return wktest::Bytes().u16(8).u16(4).u16(42).u16(2).u64(sentAt).bytes();
}

void fillOrder(trading::NewOrder::Encoder& order) {
  order.orderId(0x0102030405060708).symbol("ACME").side(trading::Side::Sell);
  order.ordType(trading::OrdType::Limit).tif(trading::Tif{}.Ioc(true).PostOnly(true));
  order.price().mantissa(12345).exponent(-2);
  order.quantity(100).stopPrice(std::nullopt).clientTag(7);
  order.legs(1).next().legId(9).ratio(3).side(trading::Side::Buy);
  order.account("acct");
  const std::byte note[] = {std::byte{0xDE}, std::byte{0xAD}};
  order.note(note);
}

// fillOrder's message, byte by byte.
std::vector<std::byte> orderMessage() {
  return wktest::Bytes()
      .u16(44)
      .u16(1)
      .u16(42)
      .u16(2)  // header
      .u64(0x0102030405060708)
      .text("ACME")
      .zeros(4)  // orderId, symbol
      .u8(2)
      .u8('2')
      .u8(0b0110)  // side, ordType, tif
      .i64(12345)
      .i8(-2)                                         // price
      .u32(100)                                       // quantity
      .i64(std::numeric_limits<std::int64_t>::min())  // stopPrice: null
      .u32(7)                                         // clientTag
      .u16(7)
      .u16(1)
      .u32(9)
      .u16(3)
      .u8(1)  // legs
      .u16(4)
      .text("acct")  // account
      .u32(2)
      .u8(0xDE)
      .u8(0xAD)  // note
      .bytes();
}

struct Received {
  std::vector<std::uint64_t> heartbeats;
  std::vector<MessageError> bad;
  std::exception_ptr error;
  int ends = 0;
  int closes = 0;
};

// Records what a receiving stream sees.
void record(Trading& messages, Received& received) {
  messages.on<trading::Heartbeat>([&](const trading::Heartbeat::Decoder& beat) {
    received.heartbeats.push_back(beat.sentAt());
  });
  messages.on(events::badMessage,
              [&](const MessageError& error) { received.bad.push_back(error); });
  messages.on(events::error, [&](const std::exception_ptr& error) { received.error = error; });
  messages.on(events::end, [&] { ++received.ends; });
  messages.on(events::close, [&] { ++received.closes; });
}

bool sendBeat(Trading& messages, std::uint64_t sentAt) {
  return messages.send<trading::Heartbeat>(
      [&](trading::Heartbeat::Encoder& beat) { beat.sentAt(sentAt); });
}

std::string whatOf(const std::exception_ptr& error) {
  return errorMessage(error);
}

}  // namespace

TEST_CASE("send encodes in place: the frame is a SOFH header and the message", "[message]") {
  asio::io_context io;
  RecordingSink sink(io);
  auto messages = std::make_shared<Trading>(nullptr, sink.stream());

  REQUIRE(sendBeat(*messages, 0x1122334455667788));
  REQUIRE(messages->send<trading::NewOrder>(fillOrder));
  CHECK(sink.chunks().empty());  // sent together at the end of the turn
  settle(io);

  REQUIRE(sink.chunks().size() == 1);
  const std::vector<std::byte> beat = heartbeatMessage(0x1122334455667788);
  const std::vector<std::byte> order = orderMessage();
  CHECK(sink.bytes() == joined({sofhFrame(beat), sofhFrame(order)}));
  CHECK(sink.bytes().size() == 6 + 16 + 6 + 75);
  CHECK(messages->sentMessages() == 2);
  CHECK(messages->sentBytes() == 6 + 16 + 6 + 75);

  // The same message encoded into a buffer of its own, behind a header written by hand.
  ArrayBuffer separate(256);
  auto encoder = trading::NewOrder::encode(DataView(separate));
  fillOrder(encoder);
  const std::size_t length = encoder.encodedLength();
  const std::vector<std::byte> expected =
      sofhFrame(std::vector<std::byte>(separate.data(), separate.data() + length));
  const std::vector<std::byte> all = sink.bytes();
  CHECK(std::vector<std::byte>(all.begin() + 22, all.end()) == expected);
}

TEST_CASE("a burst of small messages shares one chunk and one write", "[message]") {
  asio::io_context io;
  RecordingSink sink(io);
  auto messages = std::make_shared<Trading>(nullptr, sink.stream());
  for (std::uint64_t i = 0; i < 100; ++i)
    REQUIRE(sendBeat(*messages, i));
  CHECK(messages->pendingBytes() == 2200);
  settle(io);
  REQUIRE(sink.chunks().size() == 1);
  std::vector<std::byte> expected;
  for (std::uint64_t i = 0; i < 100; ++i) {
    const std::vector<std::byte> frame = sofhFrame(heartbeatMessage(i));
    expected.insert(expected.end(), frame.begin(), frame.end());
  }
  CHECK(sink.bytes() == expected);
  CHECK(messages->pendingBytes() == 0);
}

TEST_CASE("a full chunk is written and the next message starts a new one", "[message]") {
  asio::io_context io;
  RecordingSink sink(io);
  // Four 22-byte frames fit in 100 bytes.
  auto messages =
      std::make_shared<Trading>(nullptr, sink.stream(), MessageStreamOptions{.chunkSize = 100});
  for (std::uint64_t i = 0; i < 10; ++i)
    REQUIRE(sendBeat(*messages, i));
  REQUIRE(sink.chunks().size() == 2);  // the two full chunks, at once
  settle(io);
  REQUIRE(sink.chunks().size() == 3);
  CHECK(sink.chunks()[0].length() == 88);
  CHECK(sink.chunks()[1].length() == 88);
  CHECK(sink.chunks()[2].length() == 44);
  std::vector<std::byte> expected;
  for (std::uint64_t i = 0; i < 10; ++i) {
    const std::vector<std::byte> frame = sofhFrame(heartbeatMessage(i));
    expected.insert(expected.end(), frame.begin(), frame.end());
  }
  CHECK(sink.bytes() == expected);
}

TEST_CASE("a chunk the stream has let go of is encoded into again, one still held is not",
          "[message]") {
  asio::io_context io;
  // The memory behind each write, watched without keeping it (malloc could
  // hand a freed chunk's address out again: the address would prove nothing).
  std::vector<std::weak_ptr<detail::BufferStorage>> writtenTo;
  std::vector<std::byte> written;
  std::vector<Buffer> held;
  bool holdFirst = false;
  auto sink = std::make_shared<Writable>(
      io, WritableOptions{.write = [&](Writable&, const Buffer& chunk, const WriteCallback& done) {
        writtenTo.push_back(chunk.buffer().sharedStorage());
        written.insert(written.end(), chunk.bytes().begin(), chunk.bytes().end());
        if (holdFirst && held.empty()) held.push_back(chunk);
        done();
      }});
  // Four 22-byte frames fill a chunk of 100 bytes: 16 messages, four chunks.
  auto messages = std::make_shared<Trading>(nullptr, sink, MessageStreamOptions{.chunkSize = 100});
  std::vector<std::byte> expected;
  for (std::uint64_t i = 0; i < 16; ++i) {
    const std::vector<std::byte> frame = sofhFrame(heartbeatMessage(i));
    expected.insert(expected.end(), frame.begin(), frame.end());
  }
  const auto sendBeats = [&] {
    for (std::uint64_t i = 0; i < 16; ++i)
      REQUIRE(sendBeat(*messages, i));
    settle(io);
    REQUIRE(writtenTo.size() == 4);
    CHECK(written == expected);
  };

  SECTION("released: the third chunk is the first one again, the fourth the second") {
    sendBeats();
    CHECK_FALSE(writtenTo[0].expired());
    CHECK(writtenTo[2].lock() == writtenTo[0].lock());
    CHECK(writtenTo[3].lock() == writtenTo[1].lock());
    CHECK(writtenTo[1].lock() != writtenTo[0].lock());
  }

  SECTION("held by whoever took it: not written into again, its bytes stay as sent") {
    holdFirst = true;
    sendBeats();
    REQUIRE(held.size() == 1);
    for (std::size_t i = 1; i < writtenTo.size(); ++i)
      CHECK(writtenTo[i].lock() != writtenTo[0].lock());
    CHECK(bytesOf(held[0].bytes()) ==
          std::vector<std::byte>(expected.begin(), expected.begin() + 88));
  }
}

TEST_CASE("send returns false at the stream's highWaterMark, then 'drain' comes", "[message]") {
  asio::io_context io;
  RecordingSink sink(io, true, 100);
  auto messages = std::make_shared<Trading>(nullptr, sink.stream());
  int drains = 0;
  messages->on(events::drain, [&] { ++drains; });

  // 22-byte frames: the fifth brings the bytes waiting to 110.
  for (std::uint64_t i = 0; i < 4; ++i)
    CHECK(sendBeat(*messages, i));
  CHECK_FALSE(sendBeat(*messages, 4));
  CHECK(messages->pendingBytes() == 0);  // handed to the stream at once
  CHECK(sink.stream()->writableLength() == 110);
  CHECK_FALSE(sendBeat(*messages, 5));  // still above: handed over, false again
  settle(io);
  CHECK(drains == 0);
  sink.release();
  settle(io);
  sink.release();
  settle(io);
  CHECK(drains == 1);
  CHECK(sendBeat(*messages, 6));
  settle(io);
  sink.release();
  settle(io);
  std::vector<std::byte> expected;
  for (std::uint64_t i = 0; i < 7; ++i) {
    const std::vector<std::byte> frame = sofhFrame(heartbeatMessage(i));
    expected.insert(expected.end(), frame.begin(), frame.end());
  }
  CHECK(sink.bytes() == expected);
}

TEST_CASE("every message type of the schema goes to its own handler", "[message]") {
  asio::io_context io;
  auto [clientEnd, serverEnd] = duplexPair(io);
  auto client = std::make_shared<Trading>(clientEnd);
  auto server = std::make_shared<Trading>(serverEnd);

  std::vector<std::string> seen;
  server->on<trading::NewOrder>([&](const trading::NewOrder::Decoder& order) {
    seen.push_back("NewOrder");
    CHECK(order.orderId() == 0x0102030405060708);
    CHECK(order.symbol() == "ACME");
    CHECK(order.side() == trading::Side::Sell);
    CHECK(order.ordType() == trading::OrdType::Limit);
    CHECK(order.tif().Ioc());
    CHECK(order.tif().PostOnly());
    CHECK_FALSE(order.tif().Fok());
    CHECK(order.price().mantissa() == 12345);
    CHECK(order.price().exponent() == -2);
    CHECK(order.quantity() == 100);
    CHECK_FALSE(order.stopPrice().has_value());
    CHECK(order.clientTag() == 7U);
    REQUIRE(order.legs().size() == 1);
    CHECK(order.legs()[0].legId() == 9);
    CHECK(order.legs()[0].ratio() == 3);
    CHECK(order.legs()[0].side() == trading::Side::Buy);
    CHECK(order.account() == "acct");
    CHECK(order.note().size() == 2);
  });
  server->on<trading::ExecutionReport>([&](const trading::ExecutionReport::Decoder& report) {
    seen.push_back("ExecutionReport");
    CHECK(report.orderId() == 11);
    CHECK(report.execId() == 12);
    CHECK(report.execType() == trading::ExecType::PartialFill);
    CHECK(report.lastPx().mantissa() == -5);
    CHECK(report.cumQty() == 30);
    REQUIRE(report.fees().size() == 2);
    auto fee = report.fees().begin();
    CHECK(fee->code() == "EXCH");
    ++fee;
    CHECK(fee->code() == "CLR");
    CHECK(fee->amount().mantissa() == 4);
    CHECK(report.text() == "partial");
  });
  server->on<trading::MarketDataIncremental>(
      [&](const trading::MarketDataIncremental::Decoder& update) {
        seen.push_back("MarketDataIncremental");
        CHECK(update.seqNum() == 99);
        REQUIRE(update.entries().size() == 3);
        CHECK(update.entries()[2].action() == trading::UpdateAction::Delete);
        CHECK(update.entries()[2].numOrders() == std::optional<std::uint16_t>(2));
        CHECK(update.entries()[1].numOrders() == std::nullopt);
      });
  server->on<trading::Heartbeat>([&](const trading::Heartbeat::Decoder& beat) {
    seen.push_back("Heartbeat");
    CHECK(beat.sentAt() == 5);
  });

  client->send<trading::NewOrder>(fillOrder);
  client->send<trading::ExecutionReport>([](trading::ExecutionReport::Encoder& report) {
    report.orderId(11).execId(12).symbol("ACME").execType(trading::ExecType::PartialFill);
    report.lastPx().mantissa(-5).exponent(0);
    report.cumQty(30);
    auto fees = report.fees(2);
    fees.next().code("EXCH").amount().mantissa(1);
    fees.next().code("CLR").amount().mantissa(4);
    report.text("partial");
  });
  client->send<trading::MarketDataIncremental>([](trading::MarketDataIncremental::Encoder& update) {
    update.seqNum(99);
    auto entries = update.entries(3);
    entries.next().action(trading::UpdateAction::New).numOrders(1);
    entries.next().action(trading::UpdateAction::Change).numOrders(std::nullopt);
    entries.next().action(trading::UpdateAction::Delete).numOrders(2);
  });
  sendBeat(*client, 5);
  settle(io);

  CHECK(seen == std::vector<std::string>{"NewOrder", "ExecutionReport", "MarketDataIncremental",
                                         "Heartbeat"});
  CHECK(server->receivedMessages() == 4);
  CHECK(server->receivedBytes() == client->sentBytes());
}

TEST_CASE("messages without a handler go to onAny with their frame", "[message]") {
  asio::io_context io;
  auto loop = std::make_shared<PassThrough>(io);  // what is sent comes back
  auto messages = std::make_shared<Trading>(loop);
  std::vector<std::size_t> indexes;
  std::vector<std::vector<std::byte>> frames;
  int beats = 0;
  messages->on<trading::Heartbeat>([&](const trading::Heartbeat::Decoder&) { ++beats; });
  messages->onAny([&](const Trading::AnyMessage& message, const Buffer& frame) {
    indexes.push_back(message.index());
    frames.push_back(bytesOf(frame.bytes()));
  });
  messages->send<trading::NewOrder>(fillOrder);
  sendBeat(*messages, 1);
  settle(io);
  CHECK(beats == 1);
  CHECK(indexes == std::vector<std::size_t>{Trading::Messages::indexOf<trading::NewOrder>});
  REQUIRE(frames.size() == 1);
  CHECK(frames[0] == orderMessage());

  // A handler removed: the Heartbeat goes to onAny too.
  messages->on<trading::Heartbeat>(nullptr);
  sendBeat(*messages, 2);
  settle(io);
  CHECK(beats == 1);
  CHECK(frames.size() == 2);
}

namespace {
int pointerBeats = 0;
void countBeat(const trading::Heartbeat::Decoder&) {
  ++pointerBeats;
}
}  // namespace

TEST_CASE("handlers may be std::functions or function pointers, empty ones remove the handler",
          "[message]") {
  asio::io_context io;
  auto loop = std::make_shared<PassThrough>(io);  // what is sent comes back
  auto messages = std::make_shared<Trading>(loop);
  int anyCount = 0;
  messages->onAny([&](const Trading::AnyMessage&, const Buffer&) { ++anyCount; });

  int functionBeats = 0;
  std::function<void(const trading::Heartbeat::Decoder&)> counting =
      [&](const trading::Heartbeat::Decoder& beat) {
        CHECK(beat.sentAt() == 1);
        ++functionBeats;
      };
  messages->on<trading::Heartbeat>(counting);
  sendBeat(*messages, 1);
  settle(io);
  CHECK(functionBeats == 1);
  CHECK(anyCount == 0);

  pointerBeats = 0;
  messages->on<trading::Heartbeat>(&countBeat);
  sendBeat(*messages, 2);
  settle(io);
  CHECK(pointerBeats == 1);
  CHECK(functionBeats == 1);

  // An empty std::function removes the handler as nullptr does (it is not
  // called, which would throw std::bad_function_call): onAny has the message.
  messages->on<trading::Heartbeat>(std::function<void(const trading::Heartbeat::Decoder&)>());
  sendBeat(*messages, 3);
  settle(io);
  CHECK(anyCount == 1);

  messages->on<trading::Heartbeat>(&countBeat);
  void (*none)(const trading::Heartbeat::Decoder&) = nullptr;
  messages->on<trading::Heartbeat>(none);
  sendBeat(*messages, 4);
  settle(io);
  CHECK(anyCount == 2);
  CHECK(pointerBeats == 1);
}

TEST_CASE("bad frames and messages are reported with their offset, the stream goes on",
          "[message]") {
  asio::io_context io;
  auto [wire, end] = duplexPair(io);
  auto messages = std::make_shared<Trading>(end, MessageStreamOptions{.maxFrameLength = 256});
  Received received;
  record(*messages, received);

  const std::vector<std::byte> unknownTemplate =
      wktest::Bytes().u16(8).u16(99).u16(42).u16(2).u64(0).bytes();
  const std::vector<std::byte> otherSchema =
      wktest::Bytes().u16(8).u16(4).u16(7).u16(2).u64(0).bytes();
  const std::vector<std::byte> shortBlock =
      wktest::Bytes().u16(8).u16(4).u16(42).u16(2).u32(0).bytes();
  // A NewOrder whose legs count 1000 entries that are not there.
  std::vector<std::byte> manyLegs = orderMessage();
  manyLegs.resize(8 + 44);
  wktest::Bytes legs;
  legs.u16(7).u16(1000);
  manyLegs.insert(manyLegs.end(), legs.bytes().begin(), legs.bytes().end());
  const std::vector<std::byte> bigEndianType = sofhFrame(heartbeatMessage(0), 0x5BE0);
  const std::vector<std::byte> tooLong = sofhFrame(std::vector<std::byte>(300, std::byte{1}));

  const std::vector<std::byte> stream = joined({
      sofhFrame(heartbeatMessage(1)),  // 0: 22 bytes
      sofhFrame(unknownTemplate),      // 22: 22 bytes
      sofhFrame(otherSchema),          // 44: 22 bytes
      sofhFrame(shortBlock),           // 66: 18 bytes
      sofhFrame(manyLegs),             // 84: 62 bytes
      bigEndianType,                   // 146: 22 bytes
      tooLong,                         // 168: 306 bytes
      sofhFrame(heartbeatMessage(2)),  // 474
  });
  SECTION("in one chunk") {
    wire->write(chunkOf(stream));
  }
  SECTION("a byte at a time") {
    for (std::size_t i = 0; i < stream.size(); ++i) {
      wire->write(chunkOf(std::span<const std::byte>(stream).subspan(i, 1)));
    }
  }
  settle(io);

  CHECK(received.heartbeats == std::vector<std::uint64_t>{1, 2});
  REQUIRE(received.bad.size() == 6);
  using Kind = MessageError::Kind;
  CHECK(received.bad[0].kind() == Kind::message);
  CHECK(received.bad[0].streamOffset() == 22);
  CHECK_THAT(received.bad[0].what(),
             Catch::Equals("message at stream offset 22: demo.trading: unknown template id 99 "
                           "at byte 2"));
  CHECK(received.bad[1].streamOffset() == 44);
  CHECK_THAT(received.bad[1].what(), Catch::Contains("schema id 7 at byte 4 is not 42"));
  CHECK(received.bad[2].streamOffset() == 66);
  CHECK_THAT(received.bad[2].what(), Catch::StartsWith("message at stream offset 66: Heartbeat"));
  CHECK(received.bad[3].streamOffset() == 84);
  CHECK_THAT(received.bad[3].what(), Catch::Contains("NewOrder.legs"));
  CHECK(received.bad[4].kind() == Kind::frame);
  CHECK(received.bad[4].streamOffset() == 146);
  CHECK_THAT(received.bad[4].what(), Catch::Contains("encoding type 0x5BE0"));
  CHECK(received.bad[5].kind() == Kind::frame);
  CHECK(received.bad[5].streamOffset() == 168);
  CHECK_THAT(received.bad[5].what(), Catch::Contains("306 exceeds the maximum 256"));
  CHECK(messages->badMessages() == 6);
  CHECK(messages->receivedMessages() == 2);
  CHECK_FALSE(received.error);
  CHECK_FALSE(end->destroyed());
}

TEST_CASE("destroyOnBadInput destroys the stream with the MessageError", "[message]") {
  asio::io_context io;
  auto [wire, end] = duplexPair(io);
  // The peer never ends: the stream is destroyed after lingerTimeout.
  auto messages = std::make_shared<Trading>(
      end, MessageStreamOptions{.destroyOnBadInput = true,
                                .lingerTimeout = std::chrono::milliseconds(20)});
  Received received;
  record(*messages, received);
  const std::vector<std::byte> unknownTemplate =
      wktest::Bytes().u16(8).u16(99).u16(42).u16(2).u64(0).bytes();
  wire->write(chunkOf(joined({sofhFrame(heartbeatMessage(1)), sofhFrame(unknownTemplate),
                              sofhFrame(heartbeatMessage(2))})));
  settle(io);
  CHECK(received.heartbeats == std::vector<std::uint64_t>{1});
  CHECK(received.bad.size() == 1);
  REQUIRE(received.error);
  CHECK_THAT(
      whatOf(received.error),
      Catch::StartsWith("message at stream offset 22: demo.trading: unknown template id 99"));
  CHECK(end->destroyed());
  CHECK(received.closes == 1);
  CHECK(received.ends == 0);
}

TEST_CASE("a stream that ends inside a frame is an error naming the offset", "[message]") {
  asio::io_context io;
  auto [wire, end] = duplexPair(io);
  auto messages = std::make_shared<Trading>(end);
  Received received;
  record(*messages, received);
  std::vector<std::byte> cut = sofhFrame(heartbeatMessage(2));
  cut.resize(10);
  wire->write(chunkOf(joined({sofhFrame(heartbeatMessage(1)), cut})));
  wire->end();
  settle(io);
  CHECK(received.heartbeats == std::vector<std::uint64_t>{1});
  REQUIRE(received.error);
  CHECK_THAT(whatOf(received.error),
             Catch::Equals("frame at stream offset 22: the stream ended after 10 of its 22 bytes"));
  CHECK(received.ends == 0);
  CHECK(received.closes == 1);
}

TEST_CASE("a message larger than the chunk goes to a chunk sized for it", "[message]") {
  asio::io_context io;
  auto [clientEnd, serverEnd] = duplexPair(io);
  auto client = std::make_shared<Trading>(clientEnd, MessageStreamOptions{.chunkSize = 128});
  auto server = std::make_shared<Trading>(serverEnd);
  Received received;
  record(*server, received);
  std::vector<std::size_t> notes;
  server->on<trading::NewOrder>(
      [&](const trading::NewOrder::Decoder& order) { notes.push_back(order.note().size()); });

  const std::vector<std::byte> note(5000, std::byte{0x5A});
  int fills = 0;
  REQUIRE(sendBeat(*client, 1));
  REQUIRE(client->send<trading::NewOrder>([&](trading::NewOrder::Encoder& order) {
    ++fills;
    order.orderId(1).note(note);
  }));
  // In the rest of the first chunk, in a fresh chunk, then in one of maxFrameLength bytes.
  CHECK(fills == 3);
  REQUIRE(sendBeat(*client, 2));
  settle(io);
  CHECK(received.heartbeats == std::vector<std::uint64_t>{1, 2});
  CHECK(notes == std::vector<std::size_t>{5000});
  CHECK(received.bad.empty());
}

TEST_CASE("a message beyond maxFrameLength is an EncodeError, nothing of it is sent", "[message]") {
  asio::io_context io;
  auto [clientEnd, serverEnd] = duplexPair(io);
  auto client = std::make_shared<Trading>(
      clientEnd, MessageStreamOptions{.chunkSize = 128, .maxFrameLength = 1024});
  auto server = std::make_shared<Trading>(serverEnd);
  Received received;
  record(*server, received);
  const std::vector<std::byte> note(2000, std::byte{1});
  REQUIRE(sendBeat(*client, 1));
  // The error names the limit and how to raise it, then the field and byte.
  CHECK_THROWS_WITH(
      client->send<trading::NewOrder>([&](trading::NewOrder::Encoder& order) { order.note(note); }),
      "NewOrder: larger than maxFrameLength = 1024 bytes (raise "
      "MessageStreamOptions::maxFrameLength, on the receiving end too): NewOrder.note: 2004 bytes "
      "at byte 58 do not fit in the view (1018 bytes)");
  // A value too long for its field fails in every chunk the same way, and
  // does not blame maxFrameLength.
  const std::string account(65, 'a');
  CHECK_THROWS_WITH(client->send<trading::NewOrder>(
                        [&](trading::NewOrder::Encoder& order) { order.account(account); }),
                    "NewOrder.account: length 65 exceeds @max(64)");
  CHECK_THROWS_AS(client->sendEncoded(std::vector<std::byte>(1019)), EncodeError);
  REQUIRE(sendBeat(*client, 2));
  settle(io);
  CHECK(received.heartbeats == std::vector<std::uint64_t>{1, 2});
  CHECK(received.bad.empty());
  CHECK(client->sentMessages() == 2);
}

TEST_CASE("sendEncoded copies a received message behind a new header", "[message]") {
  asio::io_context io;
  auto [clientEnd, serverEnd] = duplexPair(io);
  auto client = std::make_shared<Trading>(clientEnd);
  auto server = std::make_shared<Trading>(serverEnd);
  server->onAny(
      [&](const Trading::AnyMessage&, const Buffer& frame) { server->sendEncoded(frame.bytes()); });
  Received received;
  record(*client, received);
  std::vector<std::vector<std::byte>> orders;
  client->onAny([&](const Trading::AnyMessage&, const Buffer& frame) {
    orders.push_back(bytesOf(frame.bytes()));
  });
  for (std::uint64_t i = 0; i < 3; ++i)
    sendBeat(*client, i);
  client->send<trading::NewOrder>(fillOrder);
  settle(io);
  CHECK(received.heartbeats == std::vector<std::uint64_t>{0, 1, 2});
  CHECK(orders == std::vector<std::vector<std::byte>>{orderMessage()});
  CHECK(server->sentBytes() == client->sentBytes());
}

TEST_CASE("pause stops the handlers after the current message, resume goes on", "[message]") {
  asio::io_context io;
  auto loop = std::make_shared<PassThrough>(io);
  auto messages = std::make_shared<Trading>(loop);
  std::vector<std::uint64_t> beats;
  messages->on<trading::Heartbeat>([&](const trading::Heartbeat::Decoder& beat) {
    beats.push_back(beat.sentAt());
    if (beat.sentAt() == 1) messages->pause();
  });
  for (std::uint64_t i = 0; i < 4; ++i)
    sendBeat(*messages, i);
  settle(io);
  CHECK(beats == std::vector<std::uint64_t>{0, 1});
  CHECK(messages->isPaused());
  messages->resume();
  settle(io);
  CHECK(beats == std::vector<std::uint64_t>{0, 1, 2, 3});
}

TEST_CASE("end() sends what is queued, then ends, both sides close", "[message]") {
  asio::io_context io;
  auto [clientEnd, serverEnd] = duplexPair(io, DuplexOptions{.allowHalfOpen = false});
  auto client = std::make_shared<Trading>(clientEnd);
  auto server = std::make_shared<Trading>(serverEnd);
  Received atServer;
  Received atClient;
  record(*server, atServer);
  record(*client, atClient);
  // The server answers each beat, and its replies, queued as the end arrives,
  // still go out before its writable side ends.
  server->on<trading::Heartbeat>([&](const trading::Heartbeat::Decoder& beat) {
    atServer.heartbeats.push_back(beat.sentAt());
    sendBeat(*server, beat.sentAt() + 100);
  });
  for (std::uint64_t i = 0; i < 3; ++i)
    sendBeat(*client, i);
  client->end();
  settle(io);
  CHECK(atServer.heartbeats == std::vector<std::uint64_t>{0, 1, 2});
  CHECK(atClient.heartbeats == std::vector<std::uint64_t>{100, 101, 102});
  CHECK(atServer.ends == 1);
  CHECK(atClient.ends == 1);
  CHECK(atServer.closes == 1);
  CHECK(atClient.closes == 1);
  CHECK_FALSE(atServer.error);
  CHECK_FALSE(atClient.error);
}

TEST_CASE("a big-endian schema is framed with SOFH encoding type 0x5BE0", "[message]") {
  asio::io_context io;
  RecordingSink sink(io);
  using Custom = MessageStream<wktest::custom::Schema>;
  auto messages = std::make_shared<Custom>(nullptr, sink.stream());
  messages->send<wktest::custom::Pong>([](auto& pong) { pong.seq(0x01020304); });
  settle(io);
  // Header: templateId u8 201, version u8 3, schemaId u16 77, blockLength u32 4 (big-endian).
  const std::vector<std::byte> pong =
      wktest::Bytes(true).u8(201).u8(3).u16(77).u32(4).u32(0x01020304).bytes();
  CHECK(sink.bytes() == sofhFrame(pong, 0x5BE0));

  // And read back through a stream of the same schema.
  auto loop = std::make_shared<PassThrough>(io);
  auto echo = std::make_shared<Custom>(loop);
  std::vector<std::uint32_t> seqs;
  echo->on<wktest::custom::Pong>(
      [&](const wktest::custom::Pong::Decoder& decoded) { seqs.push_back(decoded.seq()); });
  echo->send<wktest::custom::Pong>([](auto& decoded) { decoded.seq(9); });
  settle(io);
  CHECK(seqs == std::vector<std::uint32_t>{9});
}

TEST_CASE("messages of another schema are reported, not handled", "[message]") {
  asio::io_context io;
  auto [clientEnd, serverEnd] = duplexPair(io);
  auto chat = std::make_shared<MessageStream<demo::chat::Schema>>(clientEnd);
  auto server = std::make_shared<Trading>(serverEnd);
  Received received;
  record(*server, received);
  chat->send<demo::chat::PresenceUpdate>([](auto& update) { update.user(1); });
  settle(io);
  REQUIRE(received.bad.size() == 1);
  CHECK_THAT(received.bad[0].what(), Catch::Contains("schema id 7 at byte 4 is not 42"));
  CHECK(received.heartbeats.empty());
}

TEST_CASE("a stream needs a side, sending needs a writable side", "[message]") {
  asio::io_context io;
  CHECK_THROWS_AS(Trading(nullptr, nullptr), TypeError);
  CHECK_THROWS_AS(std::make_shared<Trading>(std::make_shared<PassThrough>(io),
                                            MessageStreamOptions{.chunkSize = 8}),
                  RangeError);
  auto loop = std::make_shared<PassThrough>(io);
  auto readOnly = std::make_shared<Trading>(loop, nullptr);
  CHECK_THROWS_AS(sendBeat(*readOnly, 1), TypeError);
}

TEST_CASE("sending after end() is refused as a write after end", "[message]") {
  asio::io_context io;
  auto loop = std::make_shared<PassThrough>(io);
  auto messages = std::make_shared<Trading>(loop);
  Received received;
  record(*messages, received);
  messages->end();
  CHECK_FALSE(sendBeat(*messages, 1));
  settle(io);
  REQUIRE(received.error);
  CHECK(errorCode(received.error) == "ERR_STREAM_WRITE_AFTER_END");
  CHECK(messages->sentMessages() == 0);
}

TEST_CASE("a once('close') listener holding the stream keeps it until it has closed", "[message]") {
  asio::io_context io;
  auto loop = std::make_shared<PassThrough>(io);
  std::weak_ptr<Trading> weak;
  {
    auto messages = std::make_shared<Trading>(loop);
    messages->once(events::close, [messages] {});
    weak = messages;
  }
  settle(io);
  REQUIRE_FALSE(weak.expired());
  weak.lock()->destroy();
  settle(io);
  CHECK(weak.expired());
  CHECK(loop->listenerCount(events::data) == 0);
}

TEST_CASE("a sender driven by send() and 'drain' never stalls, whatever the stream", "[message]") {
  asio::io_context io;
  const bool holdWrites = GENERATE(false, true);
  const std::size_t highWaterMark = GENERATE(std::size_t{30}, std::size_t{100}, std::size_t{4096});
  RecordingSink sink(io, holdWrites, highWaterMark);
  // A Transform in between, as gzip would be.
  auto middle = std::make_shared<PassThrough>(io, TransformOptions{.highWaterMark = highWaterMark});
  middle->pipe(sink.stream());
  auto messages =
      std::make_shared<Trading>(nullptr, middle, MessageStreamOptions{.chunkSize = 256});
  std::uint64_t next = 0;
  std::function<void()> sendMore = [&] {
    while (next < 500) {
      if (!sendBeat(*messages, next++)) return;
    }
    messages->end();
  };
  messages->on(events::drain, [&] { sendMore(); });
  sendMore();
  for (int round = 0; round < 10000 && !sink.stream()->writableFinished(); ++round) {
    settle(io);
    sink.release();
  }
  settle(io);
  CHECK(next == 500);
  CHECK(sink.stream()->writableFinished());
  CHECK(sink.bytes().size() == std::size_t{500} * 22);
}

namespace {

// What a receiving stream saw, in order, as one comparable record.
struct Seen {
  std::vector<std::string> events;
  std::uint64_t messages = 0;
  std::uint64_t bytes = 0;
  bool operator==(const Seen&) const = default;
};

// Feeds the chunks, as a transport's reads would give them, to a MessageStream
// (maxFrameLength 256), and records each message, each bad frame with its
// offset, and the end.
Seen receiveChunks(const std::vector<std::vector<std::byte>>& chunks) {
  asio::io_context io;
  auto [wire, end] = duplexPair(io);
  auto messages = std::make_shared<Trading>(end, MessageStreamOptions{.maxFrameLength = 256});
  Seen seen;
  messages->on<trading::Heartbeat>([&](const trading::Heartbeat::Decoder& beat) {
    seen.events.push_back("beat " + std::to_string(beat.sentAt()));
  });
  messages->onAny([&](const Trading::AnyMessage& message, const Buffer& frame) {
    seen.events.push_back("any " + std::to_string(message.index()) + " " +
                          std::to_string(frame.length()) +
                          (bytesOf(frame.bytes()) == orderMessage() ? " order" : " other"));
  });
  messages->on(events::badMessage, [&](const MessageError& error) {
    seen.events.push_back(std::string("bad ") + error.what());
  });
  messages->on(events::end, [&] { seen.events.emplace_back("end"); });
  for (const std::vector<std::byte>& chunk : chunks)
    wire->write(chunkOf(chunk));
  wire->end();
  settle(io);
  seen.messages = messages->receivedMessages();
  seen.bytes = messages->receivedBytes();
  return seen;
}

// Good frames around the bad ones of each kind: a message that does not
// decode (found in place) and frames the decoder rejects (another encoding
// type, too long).
std::vector<std::byte> mixedStream() {
  const std::vector<std::byte> unknownTemplate =
      wktest::Bytes().u16(8).u16(99).u16(42).u16(2).u64(0).bytes();
  return joined({
      sofhFrame(heartbeatMessage(1)),                        // 0
      sofhFrame(orderMessage()),                             // 22
      sofhFrame(unknownTemplate),                            // 103
      sofhFrame(heartbeatMessage(2)),                        // 125
      sofhFrame(heartbeatMessage(3), 0x5BE0),                // 147
      sofhFrame(heartbeatMessage(4)),                        // 169
      sofhFrame(std::vector<std::byte>(300, std::byte{1})),  // 191
      sofhFrame(heartbeatMessage(5)),                        // 497
  });
}

std::vector<std::vector<std::byte>> cutAt(const std::vector<std::byte>& bytes,
                                          std::initializer_list<std::size_t> cuts) {
  std::vector<std::vector<std::byte>> chunks;
  std::size_t from = 0;
  for (std::size_t cut : cuts) {
    chunks.emplace_back(bytes.begin() + static_cast<std::ptrdiff_t>(from),
                        bytes.begin() + static_cast<std::ptrdiff_t>(cut));
    from = cut;
  }
  chunks.emplace_back(bytes.begin() + static_cast<std::ptrdiff_t>(from), bytes.end());
  return chunks;
}

}  // namespace

TEST_CASE("frames decoded in place: the same messages, errors and offsets at every split",
          "[message]") {
  const std::vector<std::byte> stream = mixedStream();
  const Seen whole = receiveChunks({stream});
  const std::vector<std::string> expected{
      "beat 1",
      "any 0 75 order",
      "bad message at stream offset 103: demo.trading: unknown template id 99 at byte 2",
      "beat 2",
      "bad frame at stream offset 147: encoding type 0x5BE0 is not the expected 0xEB50",
      "beat 4",
      "bad frame at stream offset 191: length 306 exceeds the maximum 256",
      "beat 5",
      "end"};
  CHECK(whole.events == expected);
  CHECK(whole.messages == 5);
  CHECK(whole.bytes == 22 * 4 + 81);

  // Cut in two at every byte, and into single bytes.
  for (std::size_t cut = 0; cut <= stream.size(); ++cut) {
    INFO("cut at " << cut);
    CHECK(receiveChunks(cutAt(stream, {cut})) == whole);
  }
  std::vector<std::vector<std::byte>> bytes;
  for (std::byte byte : stream)
    bytes.push_back({byte});
  CHECK(receiveChunks(bytes) == whole);
}

TEST_CASE("frames decoded in place: every three-chunk split of good frames", "[message]") {
  const std::vector<std::byte> stream =
      joined({sofhFrame(heartbeatMessage(1)), sofhFrame(orderMessage()),
              sofhFrame(heartbeatMessage(2)), sofhFrame(heartbeatMessage(3))});
  const Seen whole = receiveChunks({stream});
  CHECK(whole.events ==
        std::vector<std::string>{"beat 1", "any 0 75 order", "beat 2", "beat 3", "end"});
  for (std::size_t first = 0; first <= stream.size(); ++first) {
    for (std::size_t second = first; second <= stream.size(); ++second) {
      INFO("cut at " << first << " and " << second);
      REQUIRE(receiveChunks(cutAt(stream, {first, second})) == whole);
    }
  }
}

TEST_CASE(
    "a bad frame inside a chunk is reported with its offset, the chunk's later frames "
    "are handled",
    "[message]") {
  asio::io_context io;
  auto [wire, end] = duplexPair(io);
  auto messages = std::make_shared<Trading>(end);
  Received received;
  record(*messages, received);
  std::vector<std::byte> chunk;
  for (std::uint64_t i = 0; i < 10; ++i) {
    const std::vector<std::byte> frame =
        i == 6 ? sofhFrame(wktest::Bytes().u16(8).u16(4).u16(42).u16(2).u32(0).bytes())
               : sofhFrame(heartbeatMessage(i));
    chunk.insert(chunk.end(), frame.begin(), frame.end());
  }
  wire->write(chunkOf(chunk));
  settle(io);
  CHECK(received.heartbeats == std::vector<std::uint64_t>{0, 1, 2, 3, 4, 5, 7, 8, 9});
  REQUIRE(received.bad.size() == 1);
  CHECK(received.bad[0].kind() == MessageError::Kind::message);
  CHECK(received.bad[0].streamOffset() == 6 * 22);
  CHECK_THAT(received.bad[0].what(), Catch::StartsWith("message at stream offset 132: Heartbeat"));
  CHECK(messages->receivedMessages() == 9);
}

TEST_CASE("pause in the middle of a chunk: no message after it until resume", "[message]") {
  asio::io_context io;
  auto [wire, end] = duplexPair(io);
  auto messages = std::make_shared<Trading>(end);
  std::vector<std::uint64_t> beats;
  messages->on<trading::Heartbeat>([&](const trading::Heartbeat::Decoder& beat) {
    beats.push_back(beat.sentAt());
    if (beat.sentAt() == 2 || beat.sentAt() == 7) messages->pause();
  });
  std::vector<std::byte> first;
  for (std::uint64_t i = 0; i < 5; ++i) {
    const std::vector<std::byte> frame = sofhFrame(heartbeatMessage(i));
    first.insert(first.end(), frame.begin(), frame.end());
  }
  // The second chunk starts with the last 10 bytes of heartbeat 5.
  std::vector<std::byte> second;
  for (std::uint64_t i = 5; i < 10; ++i) {
    const std::vector<std::byte> frame = sofhFrame(heartbeatMessage(i));
    second.insert(second.end(), frame.begin(), frame.end());
  }
  first.insert(first.end(), second.begin(), second.begin() + 12);
  second.erase(second.begin(), second.begin() + 12);
  wire->write(chunkOf(first));
  settle(io);
  CHECK(beats == std::vector<std::uint64_t>{0, 1, 2});
  wire->write(chunkOf(second));  // arrives while paused: queued behind
  settle(io);
  CHECK(beats == std::vector<std::uint64_t>{0, 1, 2});
  messages->resume();
  settle(io);
  CHECK(beats == std::vector<std::uint64_t>{0, 1, 2, 3, 4, 5, 6, 7});
  messages->resume();
  settle(io);
  CHECK(beats == std::vector<std::uint64_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
  CHECK(messages->receivedBytes() == 10 * 22);
}

TEST_CASE("a handler that throws leaves the rest of its chunk for later", "[message]") {
  asio::io_context io;
  auto [wire, end] = duplexPair(io);
  auto messages = std::make_shared<Trading>(end);
  std::vector<std::uint64_t> beats;
  messages->on<trading::Heartbeat>([&](const trading::Heartbeat::Decoder& beat) {
    beats.push_back(beat.sentAt());
    if (beat.sentAt() == 1) throw std::runtime_error("handler failed");
  });
  wire->write(chunkOf(joined({sofhFrame(heartbeatMessage(0)), sofhFrame(heartbeatMessage(1)),
                              sofhFrame(heartbeatMessage(2))})));
  CHECK_THROWS_WITH(settle(io), "handler failed");
  CHECK(beats == std::vector<std::uint64_t>{0, 1});
  // The next chunk: the frame left over comes first.
  wire->write(chunkOf(sofhFrame(heartbeatMessage(3))));
  settle(io);
  CHECK(beats == std::vector<std::uint64_t>{0, 1, 2, 3});
}

TEST_CASE("a handler that sends to a loopback gets the echoes after the rest of the chunk",
          "[message]") {
  asio::io_context io;
  auto loop = std::make_shared<PassThrough>(io);  // what is sent comes back, synchronously
  auto messages = std::make_shared<Trading>(loop);
  std::vector<std::uint64_t> beats;
  messages->on<trading::Heartbeat>([&](const trading::Heartbeat::Decoder& beat) {
    beats.push_back(beat.sentAt());
    if (beat.sentAt() < 3) {
      sendBeat(*messages, beat.sentAt() + 10);
      messages->flush();  // written now: the PassThrough pushes it while this handler runs
    }
  });
  for (std::uint64_t i = 0; i < 3; ++i)
    sendBeat(*messages, i);
  settle(io);
  CHECK(beats == std::vector<std::uint64_t>{0, 1, 2, 10, 11, 12});
}

TEST_CASE("replies sent by handlers are written once the bytes received are handled", "[message]") {
  asio::io_context io;
  auto in = std::make_shared<PassThrough>(io);
  RecordingSink sink(io);
  auto messages = std::make_shared<Trading>(in, sink.stream());
  std::optional<std::uint64_t> failAt;
  messages->on<trading::Heartbeat>([&](const trading::Heartbeat::Decoder& beat) {
    sendBeat(*messages, beat.sentAt() + 100);
    CHECK(sink.chunks().empty());  // not one write per reply
    if (beat.sentAt() == failAt) throw std::runtime_error("handler failed");
  });
  settle(io);  // the readable side flows
  const Buffer requests =
      chunkOf(joined({sofhFrame(heartbeatMessage(1)), sofhFrame(heartbeatMessage(2))}));
  const std::vector<std::byte> replies =
      joined({sofhFrame(heartbeatMessage(101)), sofhFrame(heartbeatMessage(102))});

  SECTION("in one write, before the event loop turns again") {
    // A request read alone is answered without waiting for the end of the turn.
    in->write(requests);
    REQUIRE(sink.chunks().size() == 1);
    CHECK(sink.bytes() == replies);
    settle(io);
    CHECK(sink.chunks().size() == 1);
    // Outside a handler a send still waits for the end of the turn.
    sendBeat(*messages, 7);
    CHECK(sink.chunks().size() == 1);
    settle(io);
    CHECK(sink.chunks().size() == 2);
  }
  SECTION("and those queued before a handler throws at the end of the turn") {
    failAt = 2;
    in->write(requests);
    // The error comes out of the event loop, as a handler's does.
    CHECK_THROWS_WITH(settle(io), "handler failed");
    settle(io);
    CHECK(sink.bytes() == replies);
  }
}

TEST_CASE("replies that fill more than a chunk still go out in one write", "[message]") {
  // As a socket: the first write goes to the kernel at once and completes
  // later; what is written meanwhile waits and goes in the next _writev.
  asio::io_context io;
  std::vector<std::vector<std::byte>> writes;
  std::vector<WriteCallback> pending;
  auto out = std::make_shared<Writable>(
      io, WritableOptions{
              .writev = [&](Writable&, std::span<const Buffer> chunks, const WriteCallback& done) {
                std::vector<std::byte> bytes;
                for (const Buffer& chunk : chunks)
                  bytes.insert(bytes.end(), chunk.bytes().begin(), chunk.bytes().end());
                writes.push_back(std::move(bytes));
                pending.push_back(done);
              }});
  auto in = std::make_shared<PassThrough>(io);
  const std::size_t frame = sofhFrame(heartbeatMessage(0)).size();
  // Two replies a chunk: the third starts a new chunk while handling.
  auto messages = std::make_shared<Trading>(in, out, MessageStreamOptions{.chunkSize = 2 * frame});
  messages->on<trading::Heartbeat>(
      [&](const trading::Heartbeat::Decoder& beat) { sendBeat(*messages, beat.sentAt() + 100); });
  settle(io);
  in->write(chunkOf(joined({sofhFrame(heartbeatMessage(1)), sofhFrame(heartbeatMessage(2)),
                            sofhFrame(heartbeatMessage(3))})));
  // Not the chunk's two replies at once and the third a write later: the
  // peer would read the batch in two parts.
  REQUIRE(writes.size() == 1);
  CHECK(writes[0] == joined({sofhFrame(heartbeatMessage(101)), sofhFrame(heartbeatMessage(102)),
                             sofhFrame(heartbeatMessage(103))}));
  CHECK(out->writableCorked() == 0);
  // An explicit flush() in a handler writes at once, the cork's part too.
  for (const WriteCallback& done : std::exchange(pending, {}))
    done();
  settle(io);
  std::size_t writesAtFlush = 0;
  messages->on<trading::Heartbeat>([&](const trading::Heartbeat::Decoder& beat) {
    sendBeat(*messages, beat.sentAt() + 100);
    if (beat.sentAt() == 5) {
      messages->flush();  // 104 and 105, 105 in a chunk of its own
      writesAtFlush = writes.size();
    }
  });
  in->write(chunkOf(joined({sofhFrame(heartbeatMessage(4)), sofhFrame(heartbeatMessage(5)),
                            sofhFrame(heartbeatMessage(6))})));
  CHECK(writesAtFlush == 2);
  CHECK(writes[1] == joined({sofhFrame(heartbeatMessage(104)), sofhFrame(heartbeatMessage(105))}));
  CHECK(out->writableCorked() == 0);
  for (const WriteCallback& done : std::exchange(pending, {}))
    done();
  settle(io);
  REQUIRE(writes.size() == 3);
  CHECK(writes[2] == sofhFrame(heartbeatMessage(106)));
  // Sends outside a handler are not corked: the next goes once the write completes.
  sendBeat(*messages, 7);
  settle(io);
  for (const WriteCallback& done : std::exchange(pending, {}))
    done();
  settle(io);
  REQUIRE(writes.size() == 4);
  CHECK(writes[3] == sofhFrame(heartbeatMessage(7)));
}

TEST_CASE("replies corked past a chunk are written when they reach the highWaterMark",
          "[message]") {
  // The cork holds no more than the writable side's highWaterMark.
  asio::io_context io;
  std::vector<std::size_t> writes;
  auto out = std::make_shared<Writable>(
      io, WritableOptions{
              .highWaterMark = 64,
              .writev = [&](Writable&, std::span<const Buffer> chunks, const WriteCallback& done) {
                std::size_t bytes = 0;
                for (const Buffer& chunk : chunks)
                  bytes += chunk.length();
                writes.push_back(bytes);
                done();
              }});
  auto in = std::make_shared<PassThrough>(io);
  const std::size_t frame = sofhFrame(heartbeatMessage(0)).size();
  auto messages = std::make_shared<Trading>(in, out, MessageStreamOptions{.chunkSize = frame});
  std::vector<std::size_t> corkedAt;
  messages->on<trading::Heartbeat>([&](const trading::Heartbeat::Decoder& beat) {
    sendBeat(*messages, beat.sentAt() + 100);
    corkedAt.push_back(out->writableLength());
  });
  settle(io);
  std::vector<std::byte> requests;
  for (std::uint64_t i = 0; i < 20; ++i) {
    const std::vector<std::byte> request = sofhFrame(heartbeatMessage(i));
    requests.insert(requests.end(), request.begin(), request.end());
  }
  in->write(chunkOf(requests));
  settle(io);
  std::size_t written = 0;
  for (const std::size_t bytes : writes)
    written += bytes;
  CHECK(written == 20 * frame);
  CHECK(writes.size() > 1);
  for (const std::size_t held : corkedAt)
    CHECK(held < 64 + frame);
  CHECK(out->writableCorked() == 0);
}

TEST_CASE("a DecodeError thrown by a handler is the handler's, not a bad message", "[message]") {
  asio::io_context io;
  auto [wire, end] = duplexPair(io);
  auto messages = std::make_shared<Trading>(end);
  Received received;
  record(*messages, received);
  messages->on<trading::Heartbeat>(
      [](const trading::Heartbeat::Decoder&) { throw DecodeError("the handler's own"); });
  wire->write(chunkOf(sofhFrame(heartbeatMessage(1))));
  CHECK_THROWS_WITH(settle(io), "the handler's own");
  CHECK(received.bad.empty());
  CHECK(messages->receivedMessages() == 1);
}

namespace {

// A Heartbeat frame whose length field (3) is below the SOFH header's 6 bytes:
// there is no next frame to find after it.
std::vector<std::byte> fatalFrame() {
  return wktest::Bytes(true).u32(3).u16(0xEB50).u64(0).bytes();
}

// Writes stream to wire in pieces of `piece` bytes (all of it for 0).
void writeInPieces(Duplex& wire, std::span<const std::byte> stream, std::size_t piece) {
  if (piece == 0) piece = stream.size();
  for (std::size_t at = 0; at < stream.size(); at += piece) {
    wire.write(chunkOf(stream.subspan(at, std::min(piece, stream.size() - at))));
  }
}

// A server stream that answers each Heartbeat with sentAt + 1'000'000 (and a
// client stream at the other end that records the answers and ends when the
// server's writable side has ended, as a well-behaved peer does).
struct Answering {
  std::shared_ptr<Duplex> wire;
  std::shared_ptr<Duplex> end;
  std::shared_ptr<Trading> server;
  std::shared_ptr<Trading> client;
  Received atServer;
  Received atClient;
  bool endsBack = true;

  Answering(asio::io_context& io, MessageStreamOptions options) {
    std::tie(wire, end) = duplexPair(io);
    server = std::make_shared<Trading>(end, options);
    client = std::make_shared<Trading>(wire);
    record(*server, atServer);
    record(*client, atClient);
    server->on<trading::Heartbeat>([this](const trading::Heartbeat::Decoder& beat) {
      atServer.heartbeats.push_back(beat.sentAt());
      sendBeat(*server, beat.sentAt() + 1'000'000);
    });
    client->on(events::end, [this] {
      if (endsBack) client->end();
    });
  }
};

}  // namespace

TEST_CASE("destroyOnBadInput: the first bad frame ends the stream, nothing after it is handled",
          "[message]") {
  // Regression (issue 11): the bad frame and what follows it in one chunk. The
  // frame decoder skips a too-long frame inside next() and went on to return
  // the next frame: a message was handled after the destroy, more bad frames
  // were reported, and the fatal frame at the end replaced the MessageError
  // as the 'error'.
  asio::io_context io;
  Answering peers(io, MessageStreamOptions{.maxFrameLength = 64, .destroyOnBadInput = true});
  const std::vector<std::byte> unknownTemplate =
      wktest::Bytes().u16(8).u16(99).u16(42).u16(2).u64(0).bytes();
  const std::vector<std::byte> tooLong = sofhFrame(std::vector<std::byte>(100, std::byte{1}));
  // A frame too long, skipped by the frame decoder; or a message that does
  // not decode, found in place.
  const bool tooLongFirst = GENERATE(true, false);
  const std::vector<std::byte> first = tooLongFirst ? tooLong : sofhFrame(unknownTemplate);
  const std::string firstError =
      tooLongFirst ? "frame at stream offset 44: length 106 exceeds the maximum 64"
                   : "message at stream offset 44: demo.trading: unknown template id 99 at byte 2";
  const std::vector<std::byte> stream = joined({
      sofhFrame(heartbeatMessage(1)),
      sofhFrame(heartbeatMessage(2)),
      first,
      sofhFrame(heartbeatMessage(3)),
      tooLong,
      sofhFrame(unknownTemplate),
      sofhFrame(heartbeatMessage(4)),
      fatalFrame(),
  });
  const std::size_t piece = GENERATE(0, 5, 1);
  writeInPieces(*peers.wire, stream, piece);
  settle(io);

  CHECK(peers.atServer.heartbeats == std::vector<std::uint64_t>{1, 2});
  REQUIRE(peers.atServer.bad.size() == 1);
  CHECK_THAT(peers.atServer.bad[0].what(), Catch::Equals(firstError));
  CHECK(peers.server->badMessages() == 1);
  REQUIRE(peers.atServer.error);
  CHECK_THAT(whatOf(peers.atServer.error), Catch::Equals(firstError));
  // Ended gracefully: the answers to the messages before the bad one, then the end.
  CHECK(peers.atClient.heartbeats == std::vector<std::uint64_t>{1'000'001, 1'000'002});
  CHECK(peers.atClient.ends == 1);
  CHECK(peers.end->destroyed());
  CHECK(peers.atServer.closes == 1);
  CHECK(peers.atServer.ends == 0);
}

TEST_CASE("a fatal frame after valid messages: every answer is sent, then the end, then the error",
          "[message]") {
  asio::io_context io;
  Answering peers(io, {});
  constexpr std::uint64_t count = 2000;
  std::vector<std::byte> stream;
  for (std::uint64_t i = 0; i < count; ++i) {
    const std::vector<std::byte> frame = sofhFrame(heartbeatMessage(i));
    stream.insert(stream.end(), frame.begin(), frame.end());
  }
  const std::vector<std::byte> fatal = fatalFrame();
  stream.insert(stream.end(), fatal.begin(), fatal.end());
  // Bytes after the fatal frame are never looked at.
  const std::vector<std::byte> after = sofhFrame(heartbeatMessage(count));
  stream.insert(stream.end(), after.begin(), after.end());
  const std::size_t piece = GENERATE(0, 1000, 7);
  writeInPieces(*peers.wire, stream, piece);
  settle(io);

  CHECK(peers.atServer.heartbeats.size() == count);
  CHECK(peers.atClient.heartbeats.size() == count);
  CHECK(peers.server->sentMessages() == count);
  CHECK(peers.atClient.ends == 1);
  REQUIRE(peers.atServer.error);
  CHECK_THAT(whatOf(peers.atServer.error),
             Catch::StartsWith("frame at stream offset 44000: length field 3 gives a frame "
                               "length of 3, below the minimum 6"));
  CHECK(peers.atServer.bad.empty());
  CHECK(peers.atServer.closes == 1);
  CHECK(peers.end->destroyed());
}

TEST_CASE("a stream that ends inside a frame: the answers go out before the end", "[message]") {
  asio::io_context io;
  Answering peers(io, {});
  std::vector<std::byte> stream;
  for (std::uint64_t i = 0; i < 500; ++i) {
    const std::vector<std::byte> frame = sofhFrame(heartbeatMessage(i));
    stream.insert(stream.end(), frame.begin(), frame.end());
  }
  stream.resize(stream.size() - 12);
  writeInPieces(*peers.wire, stream, GENERATE(0, 100));
  peers.wire->end();
  settle(io);
  CHECK(peers.atClient.heartbeats.size() == 499);
  CHECK(peers.atClient.ends == 1);
  REQUIRE(peers.atServer.error);
  CHECK_THAT(whatOf(peers.atServer.error),
             Catch::Equals("frame at stream offset 10978: the stream ended after 10 of its 22 "
                           "bytes"));
  CHECK(peers.atServer.closes == 1);
}

TEST_CASE("endGracefully handles what was received, sends the answers, then ends", "[message]") {
  asio::io_context io;
  Answering peers(io, {});
  peers.server->pause();
  writeInPieces(*peers.wire,
                joined({sofhFrame(heartbeatMessage(1)), sofhFrame(heartbeatMessage(2)),
                        sofhFrame(heartbeatMessage(3))}),
                0);
  settle(io);
  CHECK(peers.atServer.heartbeats.empty());
  peers.server->endGracefully();
  // Received after endGracefully: read and dropped, not handled.
  writeInPieces(*peers.wire, sofhFrame(heartbeatMessage(4)), 0);
  settle(io);
  CHECK(peers.atServer.heartbeats.empty());  // still paused
  peers.server->resume();
  settle(io);
  CHECK(peers.atServer.heartbeats == std::vector<std::uint64_t>{1, 2, 3});
  CHECK(peers.atClient.heartbeats == std::vector<std::uint64_t>{1'000'001, 1'000'002, 1'000'003});
  CHECK(peers.atClient.ends == 1);
  CHECK_FALSE(peers.atServer.error);
  CHECK(peers.atServer.closes == 1);
}

TEST_CASE("a peer that does not end after a graceful end is destroyed after lingerTimeout",
          "[message]") {
  asio::io_context io;
  Answering peers(io, MessageStreamOptions{.lingerTimeout = std::chrono::milliseconds(50)});
  peers.endsBack = false;
  writeInPieces(*peers.wire, joined({sofhFrame(heartbeatMessage(1)), fatalFrame()}), 0);
  const auto start = std::chrono::steady_clock::now();
  settle(io);
  CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(50));
  CHECK(peers.atClient.heartbeats == std::vector<std::uint64_t>{1'000'001});
  CHECK(peers.atClient.ends == 1);
  REQUIRE(peers.atServer.error);
  CHECK(peers.end->destroyed());
  CHECK(peers.atServer.closes == 1);
}

// Found by fuzz_message_stream: a PassThrough whose writable side ends while
// the stream is paused ends its readable side and destroys itself
// (autoDestroy); the frames it gave before are still to be handled.
TEST_CASE("paused while the readable side ends and is destroyed: every frame, then one 'end'",
          "[message]") {
  asio::io_context io;
  auto loop = std::make_shared<PassThrough>(io);
  auto messages = std::make_shared<Trading>(loop);
  // A trailing partial frame makes the end an error instead.
  const bool partial = GENERATE(false, true);
  std::vector<std::string> seen;
  messages->on<trading::Heartbeat>([&](const trading::Heartbeat::Decoder& beat) {
    seen.push_back(std::to_string(beat.sentAt()));
    messages->pause();
    asio::post(io, [weak = std::weak_ptr<Trading>(messages)] {
      if (const auto stream = weak.lock()) stream->resume();
    });
  });
  messages->on(events::end, [&] { seen.emplace_back("end"); });
  messages->on(events::error,
               [&](const std::exception_ptr& error) { seen.push_back("error " + whatOf(error)); });
  messages->on(events::close, [&] { seen.emplace_back("close"); });
  std::vector<std::byte> stream;
  for (std::uint64_t i = 0; i < 5; ++i) {
    const std::vector<std::byte> frame = sofhFrame(heartbeatMessage(i));
    stream.insert(stream.end(), frame.begin(), frame.end());
  }
  if (partial) stream.resize(stream.size() - 12);
  loop->write(chunkOf(stream));
  loop->end();
  settle(io);
  CHECK(loop->destroyed());
  if (partial) {
    CHECK(seen == std::vector<std::string>{
                      "0", "1", "2", "3",
                      "error frame at stream offset 88: the stream ended after 10 of its 22 bytes",
                      "close"});
  } else {
    CHECK(seen == std::vector<std::string>{"0", "1", "2", "3", "4", "end", "close"});
  }
  CHECK(messages->receivedMessages() == (partial ? 4 : 5));
}

TEST_CASE("destroy() while paused after the readable side closed: no frame after, one 'close'",
          "[message]") {
  asio::io_context io;
  auto loop = std::make_shared<PassThrough>(io);
  auto messages = std::make_shared<Trading>(loop);
  Received received;
  record(*messages, received);
  messages->on<trading::Heartbeat>([&](const trading::Heartbeat::Decoder& beat) {
    received.heartbeats.push_back(beat.sentAt());
    messages->pause();
  });
  loop->write(chunkOf(joined({sofhFrame(heartbeatMessage(1)), sofhFrame(heartbeatMessage(2))})));
  loop->end();
  settle(io);
  REQUIRE(loop->destroyed());
  CHECK(received.closes == 0);  // after the frames, or a destroy
  const bool withError = GENERATE(false, true);
  messages->destroy(withError ? std::make_exception_ptr(Error("stop")) : nullptr);
  messages->resume();
  settle(io);
  CHECK(received.heartbeats == std::vector<std::uint64_t>{1});
  CHECK(received.ends == 0);
  CHECK((received.error != nullptr) == withError);
  CHECK(received.closes == 1);
}

// The writable side stays open: no autoDestroy, a destroy is a reset or a
// server's close deadline.
TEST_CASE(
    "paused, the readable side destroyed (an error, or its writable side open): no frame after",
    "[message]") {
  Received received;
  asio::io_context io;
  auto [wire, end] = duplexPair(io);
  auto messages = std::make_shared<Trading>(end);
  record(*messages, received);
  messages->on<trading::Heartbeat>([&](const trading::Heartbeat::Decoder& beat) {
    received.heartbeats.push_back(beat.sentAt());
    messages->pause();
  });
  wire->write(chunkOf(joined({sofhFrame(heartbeatMessage(1)), sofhFrame(heartbeatMessage(2))})));
  const bool ended = GENERATE(false, true);
  const bool withError = GENERATE(false, true);
  if (ended) wire->end();
  settle(io);
  CHECK(end->readableEnded() == ended);
  CHECK_FALSE(end->destroyed());
  // Even after the peer's clean end, a destroy without an error (a close
  // deadline) drops what was not handled, as an error does.
  end->destroy(withError ? std::make_exception_ptr(Error("reset")) : nullptr);
  settle(io);
  messages->resume();
  settle(io);
  CHECK(received.heartbeats == std::vector<std::uint64_t>{1});
  CHECK(received.ends == 0);
  CHECK((received.error != nullptr) == withError);
  CHECK(received.closes == 1);
}
