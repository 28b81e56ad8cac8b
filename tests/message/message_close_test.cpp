// SPDX-License-Identifier: Apache-2.0
// No reply lost, over TCP loopback against a real server in this process: a
// hostile or careless peer (a fatal frame after valid requests, a half-close
// inside a frame, a bad message with destroyOnBadInput) gets the answer to
// every valid request before the FIN, the server reports the error once and
// goes on serving; server.close(deadline) lets connections finish their
// answers, ends them, and destroys what is left at the deadline. Counts are
// exact; no descriptor is left behind.

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <memory>
#include <set>
#include <span>
#include <string>
#include <vector>

#include <asio/io_context.hpp>
#include <catch2/catch.hpp>

#include "message_test_support.hpp"
#include "trading.wk.hpp"
#include "wirekit/framing/length_field_frame_decoder.hpp"
#include "wirekit/message/message_stream.hpp"
#include "wirekit/transport/tcp_server.hpp"
#include "wirekit/transport/tcp_socket.hpp"

namespace {

using namespace wirekit;
using namespace wirekit::test;
namespace trading = demo::trading;
using Trading = MessageStream<trading::Schema>;
using std::chrono::milliseconds;

std::size_t openDescriptors() {
  return static_cast<std::size_t>(std::distance(
      std::filesystem::directory_iterator("/proc/self/fd"), std::filesystem::directory_iterator()));
}

std::vector<std::byte> heartbeatFrame(std::uint64_t sentAt) {
  return sofhFrame(wktest::Bytes().u16(8).u16(4).u16(42).u16(2).u64(sentAt).bytes());
}

// count Heartbeat requests, 22 bytes each.
std::vector<std::byte> requests(std::uint64_t count) {
  std::vector<std::byte> bytes;
  bytes.reserve(count * 22);
  for (std::uint64_t i = 0; i < count; ++i) {
    const std::vector<std::byte> frame = heartbeatFrame(i);
    bytes.insert(bytes.end(), frame.begin(), frame.end());
  }
  return bytes;
}

void append(std::vector<std::byte>& to, const std::vector<std::byte>& bytes) {
  to.insert(to.end(), bytes.begin(), bytes.end());
}

// The server of these tests: answers each Heartbeat with one of its own, stops
// reading while the client does not keep up, ends on the client's end, and
// ends gracefully on the server's 'shutdown'.
struct AnsweringServer {
  std::shared_ptr<TcpServer> server;
  std::set<std::shared_ptr<Trading>> connections;
  std::vector<std::string> errors;
  std::uint64_t handled = 0;
  std::uint64_t badMessages = 0;
  std::uint64_t closed = 0;
  // Called with each stream after it handled a message.
  std::function<void(Trading&)> afterMessage;

  AnsweringServer(asio::io_context& io, MessageStreamOptions options = {}) {
    server = createServer(io, {}, [this, options](const std::shared_ptr<TcpSocket>& socket) {
      auto messages = std::make_shared<Trading>(socket, options);
      connections.insert(messages);
      Trading* stream = messages.get();
      stream->on<trading::Heartbeat>([this, stream](const trading::Heartbeat::Decoder& beat) {
        ++handled;
        const bool more = stream->send<trading::Heartbeat>(
            [&](trading::Heartbeat::Encoder& answer) { answer.sentAt(beat.sentAt()); });
        if (!more) stream->pause();
        if (afterMessage) afterMessage(*stream);
      });
      stream->on(events::drain, [stream] { stream->resume(); });
      stream->on(events::badMessage, [this](const MessageError&) { ++badMessages; });
      stream->on(events::end, [stream] { stream->end(); });
      stream->on(events::error, [this](const std::exception_ptr& error) {
        errors.push_back(errorMessage(error));
      });
      stream->on(events::close, [this, stream] {
        ++closed;
        connections.erase(stream->shared_from_this());
      });
      socket->on(events::shutdown, [stream] { stream->endGracefully(); });
    });
    server->listen(0, "127.0.0.1");
  }
};

// A peer that writes raw bytes in pieces and counts the frames it gets back.
// Paused, then holdAnswers(): it reads nothing for a while, so that the
// server's answers back up in its queues, as a client busy sending does.
struct Peer {
  std::shared_ptr<TcpSocket> socket;
  LengthFieldFrameDecoder frames{LengthFieldDecoderOptions::sofh()};
  std::uint64_t answers = 0;
  bool ended = false;
  bool closed = false;
  std::exception_ptr error;

  Peer(asio::io_context& io, std::uint16_t port, bool allowHalfOpen = false) {
    socket = std::make_shared<TcpSocket>(io, TcpSocketOptions{.allowHalfOpen = allowHalfOpen});
    socket->on(events::data, [this](const Buffer& chunk) {
      frames.push(chunk);
      while (frames.next())
        ++answers;
    });
    socket->on(events::end, [this] { ended = true; });
    socket->on(events::error, [this](const std::exception_ptr& failure) { error = failure; });
    socket->on(events::close, [this] { closed = true; });
    socket->connect("127.0.0.1", port);
  }

  void holdAnswers(asio::io_context& io) {
    io.run_for(milliseconds(300));
    if (io.stopped()) io.restart();
    socket->resume();
  }

  void write(std::span<const std::byte> bytes, std::size_t piece) {
    if (piece == 0) piece = bytes.size();
    for (std::size_t at = 0; at < bytes.size(); at += piece) {
      socket->write(chunkOf(bytes.subspan(at, std::min(piece, bytes.size() - at))));
    }
  }
};

// Runs io until done() or 30 seconds have passed.
template <class Done>
void runUntil(asio::io_context& io, Done done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!done() && std::chrono::steady_clock::now() < deadline) {
    io.run_for(milliseconds(20));
    if (io.stopped()) io.restart();
  }
}

// A well-behaved client after the hostile one: the server still serves.
void checkStillServing(asio::io_context& io, AnsweringServer& server) {
  Peer good(io, server.server->port());
  good.write(requests(100), 0);
  good.socket->end();
  runUntil(io, [&] { return good.closed; });
  CHECK(good.answers == 100);
  CHECK_FALSE(good.error);
}

constexpr std::uint64_t requestCount = 20'000;

// A hostile peer sends requests(requestCount) followed by bad bytes, in pieces
// of `piece` bytes, then half-closes if asked, reading nothing meanwhile. It
// gets every answer, then the FIN; the server reports the error once, and
// serves the next client; no descriptor is left open.
void expectEveryAnswer(const MessageStreamOptions& options, const std::vector<std::byte>& bad,
                       bool halfClose, const std::string& error, std::uint64_t badMessages = 0) {
  const std::size_t descriptors = openDescriptors();
  {
    asio::io_context io;
    AnsweringServer server(io, options);
    std::vector<std::byte> bytes = requests(requestCount);
    append(bytes, bad);
    const std::size_t piece = GENERATE(0, 1000, 7);
    Peer hostile(io, server.server->port());
    hostile.socket->pause();
    hostile.write(bytes, piece);
    if (halfClose) hostile.socket->end();
    hostile.holdAnswers(io);
    runUntil(io, [&] { return hostile.closed; });

    CHECK(server.handled == requestCount);
    CHECK(server.badMessages == badMessages);
    CHECK(hostile.answers == requestCount);
    CHECK(hostile.ended);
    CHECK_FALSE(hostile.error);
    REQUIRE(server.errors.size() == 1);
    CHECK_THAT(server.errors[0], Catch::StartsWith(error));
    CHECK(server.server->listening());
    checkStillServing(io, server);
    server.server->close();
    runUntil(io, [&] { return server.connections.empty() && !server.server->listening(); });
    io.run_for(milliseconds(50));
  }
  CHECK(openDescriptors() == descriptors);
}

}  // namespace

TEST_CASE("a fatal frame after valid requests: every answer arrives, then the FIN",
          "[message][tcp][close]") {
  // A length field of 3, below the header: nothing after it can be framed.
  std::vector<std::byte> bad = wktest::Bytes(true).u32(3).u16(0xEB50).u64(0).bytes();
  append(bad, heartbeatFrame(requestCount));
  expectEveryAnswer({}, bad, false,
                    "frame at stream offset 440000: length field 3 gives a frame length of 3");
}

TEST_CASE("a half-close inside a frame: every answer arrives, then the FIN",
          "[message][tcp][close]") {
  std::vector<std::byte> cut = heartbeatFrame(requestCount);
  cut.resize(10);
  expectEveryAnswer({}, cut, true,
                    "frame at stream offset 440000: the stream ended after 10 of its 22 bytes");
}

TEST_CASE("destroyOnBadInput over TCP: the answers before the bad message arrive, nothing after",
          "[message][tcp][close]") {
  std::vector<std::byte> bad =
      sofhFrame(wktest::Bytes().u16(8).u16(99).u16(42).u16(2).u64(0).bytes());
  append(bad, requests(100));
  expectEveryAnswer(MessageStreamOptions{.destroyOnBadInput = true}, bad, false,
                    "message at stream offset 440000: demo.trading: unknown template id 99", 1);
}

TEST_CASE("server.close(deadline): in-flight answers are sent before the FIN, the rest destroyed",
          "[message][tcp][close]") {
  const std::size_t descriptors = openDescriptors();
  {
    asio::io_context io;
    AnsweringServer server(io);
    const std::uint16_t port = server.server->port();
    constexpr milliseconds deadline(1000);

    // A peer that has been answered and then never ends its side: it is the
    // one destroyed at the deadline.
    Peer lingering(io, port, /*allowHalfOpen=*/true);
    lingering.write(requests(10), 0);
    runUntil(io, [&] { return lingering.answers == 10; });

    // A busy peer, many requests on their way; the server closes while it is
    // answering them.
    Peer busy(io, port);
    const std::uint64_t busyCount = 50'000;
    busy.write(requests(busyCount), 1000);
    bool closeCalled = false;
    std::exception_ptr closeError;
    std::chrono::steady_clock::time_point closedAt;
    std::chrono::steady_clock::time_point closeStart;
    server.afterMessage = [&](Trading&) {
      if (closeStart != std::chrono::steady_clock::time_point{} || server.handled < 2000) return;
      closeStart = std::chrono::steady_clock::now();
      server.server->close(deadline, [&](const std::exception_ptr& error) {
        closeCalled = true;
        closeError = error;
        closedAt = std::chrono::steady_clock::now();
      });
    };
    runUntil(io, [&] { return closeCalled && busy.closed; });

    REQUIRE(closeCalled);
    CHECK_FALSE(closeError);
    // Every request the server took before closing was answered, then the FIN.
    CHECK(busy.answers == server.handled - 10);
    CHECK(server.handled >= 2010);
    CHECK(busy.ended);
    CHECK_FALSE(busy.error);
    CHECK(lingering.ended);
    CHECK(server.errors.empty());
    CHECK(server.server->connections() == 0);
    // The lingering peer kept the server open until the deadline, not longer.
    CHECK(closedAt - closeStart >= deadline);
    CHECK(closedAt - closeStart < deadline + milliseconds(2000));
    // New connections are refused.
    Peer late(io, port);
    runUntil(io, [&] { return late.closed; });
    CHECK(late.error);
    // The lingering peer got its FIN, and nothing more: its side is still open.
    CHECK_FALSE(lingering.closed);
    lingering.socket->destroy();
    io.run_for(milliseconds(50));
  }
  CHECK(openDescriptors() == descriptors);
}

TEST_CASE("server.close(deadline) with no connections closes at once", "[message][tcp][close]") {
  asio::io_context io;
  AnsweringServer server(io);
  bool closeCalled = false;
  server.server->close(milliseconds(10'000),
                       [&](const std::exception_ptr& error) { closeCalled = !error; });
  const auto start = std::chrono::steady_clock::now();
  runUntil(io, [&] { return closeCalled; });
  CHECK(closeCalled);
  CHECK(std::chrono::steady_clock::now() - start < milliseconds(2000));
}
