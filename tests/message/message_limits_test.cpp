// SPDX-License-Identifier: Apache-2.0
// MessageStream's limits for untrusted peers: the frame deadline
// (frameTimeout), maxBadMessages and maxDiscardLength, over an in-memory
// connection.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <vector>

#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>
#include <catch2/catch.hpp>

#include "../transport/transport_test_support.hpp"
#include "message_test_support.hpp"
#include "trading.wk.hpp"
#include "wirekit/error.hpp"
#include "wirekit/message/message_stream.hpp"

namespace {

using namespace wirekit;
using namespace wirekit::test;
using namespace std::chrono_literals;
namespace trading = demo::trading;
using Trading = MessageStream<trading::Schema>;

// A Heartbeat by hand: header (block length 8, template 4, schema 42, version 2), sentAt.
std::vector<std::byte> heartbeatFrame(std::uint64_t sentAt) {
  return sofhFrame(wktest::Bytes().u16(8).u16(4).u16(42).u16(2).u64(sentAt).bytes());
}

// Runs io for about duration.
void runFor(asio::io_context& io, std::chrono::milliseconds duration) {
  asio::steady_timer wait(io, duration);
  bool done = false;
  wait.async_wait([&done](std::error_code) { done = true; });
  runUntil(io, [&] { return done; });
}

}  // namespace

TEST_CASE("frameTimeout: a frame begun and not whole in time fails the stream", "[message]") {
  asio::io_context io;
  auto [wire, end] = duplexPair(io);
  auto messages = std::make_shared<Trading>(end, MessageStreamOptions{.frameTimeout = 100ms});
  std::vector<std::uint64_t> beats;
  std::exception_ptr failure;
  messages->on<trading::Heartbeat>(
      [&](const trading::Heartbeat::Decoder& beat) { beats.push_back(beat.sentAt()); });
  messages->on(events::error, [&](const std::exception_ptr& error) { failure = error; });
  // A whole frame, then 10 bytes of the next, then a byte every 30 ms.
  const std::vector<std::byte> first = heartbeatFrame(1);
  const std::vector<std::byte> second = heartbeatFrame(2);
  wire->write(chunkOf(joined({first, {second.begin(), second.begin() + 10}})));
  for (std::size_t i = 10; i < 15; ++i) {
    runFor(io, 30ms);
    wire->write(chunkOf(std::span<const std::byte>(second).subspan(i, 1)));
  }
  runUntil(io, [&] { return failure != nullptr; });
  CHECK(beats == std::vector<std::uint64_t>{1});
  const auto error = errorAs<FrameError>(failure);
  CHECK(error.streamOffset() == 22);
  CHECK(error.limit() == 100);
  // The deadline passed with 3 to 5 of the dribbled bytes in.
  CHECK_THAT(error.what(), Catch::StartsWith("frame at stream offset 22: not whole 100 ms after "
                                             "it began (frameTimeout), at stream offset 3"));
}

TEST_CASE("frameTimeout: frames that finish in time, a paused stream, none set: nothing fails",
          "[message]") {
  for (const bool pausing : {false, true}) {
    INFO("pausing " << pausing);
    asio::io_context io;
    auto [wire, end] = duplexPair(io);
    MessageStreamOptions options{.frameTimeout = 100ms};
    if (!pausing) options.frameTimeout.reset();
    auto messages = std::make_shared<Trading>(end, options);
    std::vector<std::uint64_t> beats;
    std::exception_ptr failure;
    messages->on<trading::Heartbeat>(
        [&](const trading::Heartbeat::Decoder& beat) { beats.push_back(beat.sentAt()); });
    messages->on(events::error, [&](const std::exception_ptr& error) { failure = error; });
    // Half a frame; then the stream is paused (or has no deadline) past it.
    const std::vector<std::byte> frame = heartbeatFrame(7);
    wire->write(chunkOf(std::span<const std::byte>(frame).subspan(0, 11)));
    runFor(io, 10ms);
    if (pausing) messages->pause();
    runFor(io, 250ms);
    CHECK_FALSE(failure);
    if (pausing) messages->resume();
    wire->write(chunkOf(std::span<const std::byte>(frame).subspan(11)));
    runFor(io, 10ms);
    CHECK(beats == std::vector<std::uint64_t>{7});
    CHECK_FALSE(failure);
    // Each frame whole within the deadline, a chunk every 60 ms: no failure.
    for (std::uint64_t i = 0; i < 5; ++i) {
      const std::vector<std::byte> next = heartbeatFrame(10 + i);
      wire->write(chunkOf(std::span<const std::byte>(next).subspan(0, 12)));
      runFor(io, 60ms);
      wire->write(chunkOf(std::span<const std::byte>(next).subspan(12)));
    }
    runFor(io, 10ms);
    CHECK(beats.size() == 6);
    CHECK_FALSE(failure);
    // Once no frame is begun, no timer keeps the loop running.
    io.restart();
    const auto start = std::chrono::steady_clock::now();
    io.run_for(2s);
    CHECK(std::chrono::steady_clock::now() - start < 1s);
  }
}

TEST_CASE("maxBadMessages: the bad message after that many fails the stream", "[message]") {
  asio::io_context io;
  auto [wire, end] = duplexPair(io);
  auto messages = std::make_shared<Trading>(end, MessageStreamOptions{.maxBadMessages = 3});
  int bad = 0;
  std::exception_ptr failure;
  messages->on(events::badMessage, [&](const MessageError&) { ++bad; });
  messages->on(events::error, [&](const std::exception_ptr& error) { failure = error; });
  // Unknown template ids, 22 bytes each.
  const std::vector<std::byte> unknown =
      sofhFrame(wktest::Bytes().u16(8).u16(99).u16(42).u16(2).u64(0).bytes());
  for (int i = 0; i < 3; ++i)
    wire->write(chunkOf(unknown));
  runFor(io, 10ms);
  CHECK(bad == 3);
  CHECK_FALSE(failure);
  wire->write(chunkOf(unknown));
  runUntil(io, [&] { return failure != nullptr; });
  CHECK(bad == 4);
  const auto error = errorAs<MessageError>(failure);
  CHECK(error.streamOffset() == 66);
}

TEST_CASE("maxDiscardLength: a too-long frame beyond it fails the stream", "[message]") {
  asio::io_context io;
  auto [wire, end] = duplexPair(io);
  auto messages = std::make_shared<Trading>(
      end, MessageStreamOptions{.maxFrameLength = 256, .maxDiscardLength = 1000});
  int bad = 0;
  std::exception_ptr failure;
  messages->on(events::badMessage, [&](const MessageError&) { ++bad; });
  messages->on(events::error, [&](const std::exception_ptr& error) { failure = error; });
  // 1000 bytes: skipped and reported; 1001: fatal.
  wire->write(chunkOf(sofhFrame(std::vector<std::byte>(994, std::byte{1}))));
  runFor(io, 10ms);
  CHECK(bad == 1);
  CHECK_FALSE(failure);
  wire->write(chunkOf(sofhFrame(std::vector<std::byte>(995, std::byte{1}))));
  runUntil(io, [&] { return failure != nullptr; });
  const auto error = errorAs<FrameError>(failure);
  CHECK(error.streamOffset() == 1000);
  CHECK(error.limit() == 1000);
}
