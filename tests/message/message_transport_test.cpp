// SPDX-License-Identifier: Apache-2.0
// MessageStream over the transports. TCP loopback: an echo server built on
// it, several clients at once, messages larger than a chunk and than a socket
// read, a client that sends a bad message in the middle. Files: a log written
// and replayed, plain and gzipped, and a log cut inside a frame.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <unistd.h>

#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>
#include <catch2/catch.hpp>

#include "heartbeats_around.hpp"
#include "message_test_support.hpp"
#include "trading.wk.hpp"
#include "wirekit/message/message_stream.hpp"
#include "wirekit/stream/pipeline.hpp"
#include "wirekit/transport/file_read_stream.hpp"
#include "wirekit/transport/file_write_stream.hpp"
#include "wirekit/transport/gzip.hpp"
#include "wirekit/transport/tcp_server.hpp"
#include "wirekit/transport/tcp_socket.hpp"

namespace {

using namespace wirekit;
using namespace wirekit::test;
namespace trading = demo::trading;
using Trading = MessageStream<trading::Schema>;

// An echo server: every message back as it came; reading stops while the
// client does not keep up.
struct EchoServer {
  std::shared_ptr<TcpServer> server;
  std::set<std::shared_ptr<Trading>> connections;
  std::uint64_t badMessages = 0;
  std::uint64_t echoed = 0;

  explicit EchoServer(asio::io_context& io) {
    server = createServer(io, {}, [this](const std::shared_ptr<TcpSocket>& socket) {
      auto messages = std::make_shared<Trading>(socket);
      connections.insert(messages);
      Trading* stream = messages.get();
      stream->onAny([this, stream](const Trading::AnyMessage&, const Buffer& frame) {
        ++echoed;
        if (!stream->sendEncoded(frame.bytes())) stream->pause();
      });
      stream->on(events::drain, [stream] { stream->resume(); });
      stream->on(events::badMessage, [this](const MessageError&) { ++badMessages; });
      stream->on(events::end, [stream] { stream->end(); });
      stream->on(events::error, [](const std::exception_ptr&) {});
      stream->on(events::close, [this, stream] { connections.erase(stream->shared_from_this()); });
    });
    server->listen(0, "127.0.0.1");
  }
};

// A client that sends `count` messages (Heartbeats whose sentAt names the
// client and the message; every 50th a NewOrder with a note of `noteSize`
// bytes), checks the echoes in order, then ends.
struct Client {
  std::shared_ptr<Trading> messages;
  std::uint64_t id;
  std::uint64_t count;
  std::size_t noteSize;
  std::uint64_t sent = 0;
  std::uint64_t received = 0;
  std::uint64_t wrong = 0;
  bool closed = false;
  std::exception_ptr error;
  std::vector<std::byte> note;

  Client(asio::io_context& io, std::uint16_t port, std::uint64_t clientId, std::uint64_t total,
         std::size_t bigNote)
      : id(clientId), count(total), noteSize(bigNote), note(bigNote, std::byte{0xA5}) {
    auto socket = connect(io, "127.0.0.1", port);
    messages = std::make_shared<Trading>(socket);
    messages->on<trading::Heartbeat>([this](const trading::Heartbeat::Decoder& beat) {
      if (received % 50 == 49 || beat.sentAt() != (id << 32U | received)) ++wrong;
      advance();
    });
    messages->on<trading::NewOrder>([this](const trading::NewOrder::Decoder& order) {
      if (received % 50 != 49 || order.orderId() != (id << 32U | received) ||
          order.note().size() != noteSize) {
        ++wrong;
      }
      advance();
    });
    messages->on(events::drain, [this] { sendMore(); });
    messages->on(events::error, [this](const std::exception_ptr& failure) { error = failure; });
    messages->on(events::close, [this] { closed = true; });
    socket->once(events::connect, [this] { sendMore(); });
  }

  void sendMore() {
    while (sent < count) {
      const std::uint64_t value = id << 32U | sent;
      const bool more =
          sent % 50 == 49
              ? messages->send<trading::NewOrder>(
                    [&](auto& order) { order.orderId(value).note(note); })
              : messages->send<trading::Heartbeat>([&](auto& beat) { beat.sentAt(value); });
      ++sent;
      if (!more) return;
    }
  }

  void advance() {
    if (++received == count) messages->end();
  }
};

// Runs io until done() or 60 seconds have passed.
template <class Done>
void runUntilWithin60s(asio::io_context& io, Done done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!done() && std::chrono::steady_clock::now() < deadline) {
    io.run_for(std::chrono::milliseconds(100));
    if (io.stopped()) io.restart();
  }
}

}  // namespace

TEST_CASE("several clients round-trip messages through a TCP echo server at once",
          "[message][tcp]") {
  asio::io_context io;
  EchoServer echo(io);
  runUntilWithin60s(io, [&] { return echo.server->listening(); });
  REQUIRE(echo.server->listening());

  std::vector<std::unique_ptr<Client>> clients;
  // Notes of 100 KB: larger than a 64 KiB chunk and than a socket read.
  for (std::uint64_t id = 1; id <= 4; ++id) {
    clients.push_back(std::make_unique<Client>(io, echo.server->port(), id, 5000, 100'000));
  }
  auto allClosed = [&] {
    for (const auto& client : clients) {
      if (!client->closed) return false;
    }
    return true;
  };
  runUntilWithin60s(io, allClosed);

  for (const auto& client : clients) {
    CHECK(client->received == 5000);
    CHECK(client->wrong == 0);
    CHECK_FALSE(client->error);
    CHECK(client->closed);
  }
  CHECK(echo.echoed == std::uint64_t{4} * 5000);
  CHECK(echo.badMessages == 0);
  echo.server->close();
  runUntilWithin60s(io, [&] { return echo.connections.empty(); });
  CHECK(echo.connections.empty());
}

TEST_CASE("a bad message from one client is reported, its connection goes on", "[message][tcp]") {
  asio::io_context io;
  EchoServer echo(io);
  runUntilWithin60s(io, [&] { return echo.server->listening(); });
  REQUIRE(echo.server->listening());

  // An unknown template id, written to the socket as it is.
  const std::vector<std::byte> unknown =
      wktest::Bytes().u16(8).u16(99).u16(42).u16(2).u64(0).bytes();
  CHECK(heartbeatsAround<trading::Schema, trading::Heartbeat>(
            io, echo.server->port(), chunkOf(sofhFrame(unknown)),
            [](asio::io_context& context, auto done) { runUntilWithin60s(context, done); }) ==
        std::vector<std::uint64_t>{1, 2});
  CHECK(echo.badMessages == 1);
  CHECK(echo.echoed == 2);
  echo.server->close();
  runUntilWithin60s(io, [&] { return echo.connections.empty(); });
}

namespace {

// A file of the test's own, removed at the end.
struct TemporaryFile {
  std::string path;
  explicit TemporaryFile(const std::string& name)
      : path((std::filesystem::temp_directory_path() /
              ("wirekit-message-" + std::to_string(getpid()) + "-" + name))
                 .string()) {}
  ~TemporaryFile() {
    std::error_code ignored;
    std::filesystem::remove(path, ignored);
  }
};

// Writes Heartbeats 0 .. count - 1 to path (through gzip if asked), driven by
// send() and 'drain'.
void writeLog(const std::string& path, std::uint64_t count, bool gzip) {
  asio::io_context io;
  auto file = createWriteStream(io, path);
  std::shared_ptr<Writable> sink = file;
  std::exception_ptr failure;
  bool written = false;
  auto done = [&](const std::exception_ptr& error) {
    failure = error;
    written = true;
  };
  if (gzip) {
    auto compressor = createGzip(io);
    pipeline({compressor, file}, done);
    sink = compressor;
  } else {
    file->on(events::close, [&] { written = true; });
  }
  auto messages = std::make_shared<Trading>(nullptr, sink);
  std::uint64_t next = 0;
  std::function<void()> sendMore = [&] {
    while (next < count) {
      const std::uint64_t value = next++;
      if (!messages->send<trading::Heartbeat>([&](auto& beat) { beat.sentAt(value); })) return;
    }
    messages->end();
  };
  messages->on(events::drain, [&] { sendMore(); });
  sendMore();
  runUntilWithin60s(io, [&] { return written; });
  REQUIRE(written);
  REQUIRE_FALSE(failure);
  CHECK(messages->sentBytes() == count * 22);
}

struct Replay {
  std::vector<std::uint64_t> beats;
  std::exception_ptr error;
  bool ended = false;
  bool closed = false;
};

Replay replayLog(const std::string& path, bool gzip) {
  asio::io_context io;
  auto file = createReadStream(io, path);
  std::shared_ptr<Readable> source = file;
  if (gzip) {
    auto decompressor = createGunzip(io);
    pipeline({file, decompressor}, [](const std::exception_ptr&) {});
    source = decompressor;
  }
  auto messages = std::make_shared<Trading>(source, nullptr);
  Replay replay;
  messages->on<trading::Heartbeat>(
      [&](const trading::Heartbeat::Decoder& beat) { replay.beats.push_back(beat.sentAt()); });
  messages->on(events::error, [&](const std::exception_ptr& error) { replay.error = error; });
  messages->on(events::end, [&] { replay.ended = true; });
  messages->on(events::close, [&] { replay.closed = true; });
  runUntilWithin60s(io, [&] { return replay.closed; });
  return replay;
}

std::vector<std::uint64_t> upTo(std::uint64_t count) {
  std::vector<std::uint64_t> values(count);
  for (std::uint64_t i = 0; i < count; ++i)
    values[i] = i;
  return values;
}

}  // namespace

TEST_CASE("a message log written to a file replays every message", "[message][file]") {
  const bool gzip = GENERATE(false, true);
  TemporaryFile log(gzip ? "log.gz" : "log");
  writeLog(log.path, 20000, gzip);
  const Replay replay = replayLog(log.path, gzip);
  CHECK(replay.beats == upTo(20000));
  CHECK(replay.ended);
  CHECK_FALSE(replay.error);
}

TEST_CASE("a log cut inside a frame replays the whole frames, then names the cut one",
          "[message][file]") {
  TemporaryFile log("cut");
  writeLog(log.path, 1000, false);
  // Frames are 22 bytes: keep 700 whole ones and 10 bytes of the next.
  std::filesystem::resize_file(log.path, 700 * 22 + 10);
  const Replay replay = replayLog(log.path, false);
  CHECK(replay.beats == upTo(700));
  REQUIRE(replay.error);
  CHECK(errorMessage(replay.error) ==
        "frame at stream offset 15400: the stream ended after 10 of its 22 bytes");
  CHECK_FALSE(replay.ended);
}
