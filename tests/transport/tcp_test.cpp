// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include <sys/socket.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <asio/ip/tcp.hpp>
#include <asio/post.hpp>
#include <asio/steady_timer.hpp>

#include "transport_test_support.hpp"
#include "wirekit/error.hpp"
#include "wirekit/framing/frame_decoder_stream.hpp"
#include "wirekit/framing/frame_encoder_stream.hpp"
#include "wirekit/stream/pipeline.hpp"
#include "wirekit/transport/tcp_server.hpp"
#include "wirekit/transport/tcp_socket.hpp"

using namespace wirekit;
using namespace wirekit::test;
using namespace std::chrono_literals;

namespace {

// What one socket went through.
struct Watch {
  std::string received;
  std::exception_ptr error;
  bool connected = false;
  bool ended = false;
  bool finished = false;
  bool closed = false;
};

void watch(TcpSocket& socket, Watch& seen) {
  socket.on(events::data, [&seen](const Buffer& chunk) { seen.received += rawString(chunk); });
  socket.on(events::connect, [&seen] { seen.connected = true; });
  socket.on(events::end, [&seen] { seen.ended = true; });
  socket.on(events::finish, [&seen] { seen.finished = true; });
  socket.on(events::error, [&seen](const std::exception_ptr& error) { seen.error = error; });
  socket.on(events::close, [&seen] { seen.closed = true; });
}

// A server on 127.0.0.1 and an ephemeral port; each connection goes to onConnection.
std::shared_ptr<TcpServer> listenLocal(
    asio::io_context& io, std::function<void(const std::shared_ptr<TcpSocket>&)> onConnection,
    TcpServerOptions options = {}) {
  auto server = createServer(io, options, std::move(onConnection));
  bool listening = false;
  server->listen(0, "127.0.0.1", [&listening] { listening = true; });
  runUntil(io, [&] { return listening; });
  REQUIRE(server->port() != 0);
  CHECK(server->address().address == "127.0.0.1");
  CHECK(server->address().family == "IPv4");
  return server;
}

// A server on loopback that adds up the bytes its connections receive.
std::shared_ptr<TcpServer> listenCounting(asio::io_context& io, std::size_t& received) {
  return listenLocal(io, [&received](const std::shared_ptr<TcpSocket>& socket) {
    socket->on(events::data, [&received](const Buffer& chunk) { received += chunk.length(); });
  });
}

void closeServer(asio::io_context& io, TcpServer& server) {
  bool closed = false;
  server.close([&closed](const std::exception_ptr& error) {
    CHECK_FALSE(error);
    closed = true;
  });
  runUntil(io, [&] { return closed; });
}

// A port nothing listens on: one a server had, after it closed.
std::uint16_t closedPort(asio::io_context& io) {
  auto server = listenLocal(io, [](const std::shared_ptr<TcpSocket>&) {});
  const std::uint16_t port = server->port();
  closeServer(io, *server);
  return port;
}

// Writes messages to destination as Node's docs advise: while write() returns
// true, then again on 'drain'. Calls done after the last one.
class Sender : public std::enable_shared_from_this<Sender> {
 public:
  Sender(std::shared_ptr<Writable> destination, std::vector<Buffer> messages,
         std::function<void()> done)
      : destination_(std::move(destination)),
        messages_(std::move(messages)),
        done_(std::move(done)) {}

  void start() {
    destination_->on(events::drain, [weak = weak_from_this()] {
      if (auto self = weak.lock()) self->send();
    });
    send();
  }

 private:
  void send() {
    while (next_ < messages_.size()) {
      if (!destination_->write(messages_[next_++])) return;
    }
    if (done_) std::exchange(done_, nullptr)();
  }

  std::shared_ptr<Writable> destination_;
  std::vector<Buffer> messages_;
  std::function<void()> done_;
  std::size_t next_ = 0;
};

std::string concatenated(const std::vector<Buffer>& chunks) {
  std::string out;
  for (const Buffer& chunk : chunks)
    out += rawString(chunk);
  return out;
}

}  // namespace

TEST_CASE("TCP: an echo server returns every byte to several concurrent clients") {
  asio::io_context io;
  auto server =
      listenLocal(io, [](const std::shared_ptr<TcpSocket>& socket) { socket->pipe(socket); });

  constexpr std::uint32_t clients = 4;
  constexpr std::uint32_t messages = 3000;
  std::vector<std::shared_ptr<TcpSocket>> sockets;
  std::vector<Watch> seen(clients);
  std::vector<std::string> sent(clients);
  for (std::uint32_t c = 0; c < clients; ++c) {
    sockets.push_back(connect(io, "127.0.0.1", server->port()));
    watch(*sockets[c], seen[c]);
    CHECK(sockets[c]->connecting());
    // Written before the connection exists: the writes wait for it.
    for (std::uint32_t i = 0; i < messages; ++i) {
      const Buffer frame = sofhFrame(i % 97, c * messages + i);
      sent[c] += rawString(frame);
      sockets[c]->write(frame);
    }
    sockets[c]->end();
  }
  runUntil(io, [&] {
    return std::all_of(seen.begin(), seen.end(), [](const Watch& w) { return w.closed; });
  });
  for (std::uint32_t c = 0; c < clients; ++c) {
    INFO("client " << c);
    CHECK(seen[c].connected);
    CHECK_FALSE(seen[c].error);
    CHECK(seen[c].ended);
    CHECK(seen[c].finished);
    CHECK(seen[c].received == sent[c]);
    CHECK(sockets[c]->bytesWritten() == sent[c].size());
    CHECK(sockets[c]->bytesRead() == sent[c].size());
    CHECK(sockets[c]->remoteAddress() == "127.0.0.1");
    CHECK(sockets[c]->remotePort() == server->port());
    CHECK(sockets[c]->localPort() != 0);
    // Thousands of frames written in one turn leave in a few batches.
    CHECK(sockets[c]->writeCalls() < messages / 20);
  }
  runUntil(io, [&] { return server->connections() == 0; });
  closeServer(io, *server);
}

TEST_CASE("TCP: framed messages round-trip through encoder, socket and decoder on both sides") {
  asio::io_context io;
  // The server decodes each frame and sends it back framed again. Its sockets
  // allow half-open connections, so that its echo outlives the client's end.
  TcpServerOptions serverOptions;
  serverOptions.socket.allowHalfOpen = true;
  auto server = listenLocal(
      io,
      [&io](const std::shared_ptr<TcpSocket>& socket) {
        auto decoder = std::make_shared<FrameDecoderStream>(io);
        auto encoder = std::make_shared<FrameEncoderStream>(io);
        socket->pipe(decoder)->pipe(encoder)->pipe(socket);
      },
      serverOptions);

  constexpr std::uint32_t clients = 3;
  constexpr std::uint32_t messages = 5000;
  struct Client {
    std::shared_ptr<TcpSocket> socket;
    std::shared_ptr<FrameDecoderStream> decoder;
    std::shared_ptr<Sender> sender;
    std::vector<Buffer> bodies;
    std::vector<Buffer> echoed;
    std::exception_ptr error;
    bool ended = false;
  };
  std::vector<Client> all(clients);
  for (std::uint32_t c = 0; c < clients; ++c) {
    Client& client = all[c];
    client.socket = connect(io, "127.0.0.1", server->port());
    auto encoder = std::make_shared<FrameEncoderStream>(io);
    client.decoder = std::make_shared<FrameDecoderStream>(io);
    encoder->pipe(client.socket)->pipe(client.decoder);
    client.decoder->on(events::data, [&client](const Buffer& body) {
      client.echoed.push_back(Buffer::from(body));
    });
    client.decoder->on(events::end, [&client] { client.ended = true; });
    client.decoder->on(events::error,
                       [&client](const std::exception_ptr& error) { client.error = error; });
    for (std::uint32_t i = 0; i < messages; ++i) {
      const Buffer frame = sofhFrame(i % 300, c * messages + i);
      client.bodies.push_back(frame.subarray(6));
    }
    client.sender = std::make_shared<Sender>(encoder, client.bodies, [encoder] { encoder->end(); });
    client.sender->start();
  }
  runUntil(io, [&] {
    return std::all_of(all.begin(), all.end(), [](const Client& c) { return c.ended || c.error; });
  });
  for (std::uint32_t c = 0; c < clients; ++c) {
    INFO("client " << c);
    const Client& client = all[c];
    CHECK_FALSE(client.error);
    REQUIRE(client.echoed.size() == messages);
    CHECK(concatenated(client.echoed) == concatenated(client.bodies));
    INFO("send calls for " << messages << " messages: " << client.socket->writeCalls());
    CHECK(client.socket->writeCalls() < messages / 4);
  }
  runUntil(io, [&] { return server->connections() == 0; });
  closeServer(io, *server);
}

TEST_CASE("TCP: end() half-closes, a half-open peer still answers after the FIN") {
  asio::io_context io;
  TcpServerOptions serverOptions;
  serverOptions.socket.allowHalfOpen = true;
  Watch serverSeen;
  std::shared_ptr<TcpSocket> accepted;
  auto server = listenLocal(
      io,
      [&](const std::shared_ptr<TcpSocket>& socket) {
        accepted = socket;
        watch(*socket, serverSeen);
        socket->on(events::end, [&serverSeen, raw = socket.get()] {
          // The client's FIN came; this side may still write, then end.
          raw->end(Buffer::from("got " + std::to_string(serverSeen.received.size()) + " bytes"));
        });
      },
      serverOptions);

  Watch clientSeen;
  bool finishedBeforeAnswer = false;
  auto client = connect(io, "127.0.0.1", server->port());
  watch(*client, clientSeen);
  client->once(events::data, [&] { finishedBeforeAnswer = clientSeen.finished; });
  client->write(Buffer::from("hello"));
  client->end();
  runUntil(io, [&] { return clientSeen.closed && serverSeen.closed; });

  CHECK(serverSeen.received == "hello");
  CHECK(clientSeen.received == "got 5 bytes");
  CHECK(finishedBeforeAnswer);
  CHECK(clientSeen.ended);
  CHECK(serverSeen.ended);
  CHECK(serverSeen.finished);
  CHECK_FALSE(clientSeen.error);
  CHECK_FALSE(serverSeen.error);
  CHECK(accepted->remotePort() == client->localPort());
  closeServer(io, *server);
}

TEST_CASE("TCP: without allowHalfOpen the peer's end ends this side too (graceful end)") {
  asio::io_context io;
  Watch serverSeen;
  std::shared_ptr<TcpSocket> accepted;
  auto server = listenLocal(io, [&](const std::shared_ptr<TcpSocket>& socket) {
    accepted = socket;
    watch(*socket, serverSeen);
  });
  CHECK_FALSE(accepted);

  Watch clientSeen;
  auto client = connect(io, "127.0.0.1", server->port());
  watch(*client, clientSeen);
  // 1 MiB, then end(): every byte arrives before the end.
  const Buffer payload = Buffer::alloc(std::size_t{1} << 20, 0x5A);
  client->end(payload);
  runUntil(io, [&] { return clientSeen.closed && serverSeen.closed; });

  CHECK(serverSeen.received.size() == payload.length());
  CHECK(serverSeen.received == rawString(payload));
  CHECK(serverSeen.ended);
  // The server never called end(): its end came from the client's.
  CHECK(serverSeen.finished);
  CHECK(accepted->writableFinished());
  CHECK(clientSeen.ended);
  CHECK_FALSE(serverSeen.error);
  CHECK_FALSE(clientSeen.error);
  CHECK(accepted->allowHalfOpen() == false);
  closeServer(io, *server);
}

TEST_CASE("TCP: a peer that disconnects inside a frame") {
  asio::io_context io;
  std::vector<Buffer> frames;
  std::exception_ptr decoderError;
  std::exception_ptr pipelineError;
  bool pipelineDone = false;
  std::shared_ptr<TcpSocket> accepted;
  auto server = listenLocal(io, [&](const std::shared_ptr<TcpSocket>& socket) {
    accepted = socket;
    auto decoder = std::make_shared<FrameDecoderStream>(io);
    decoder->on(events::data, [&frames](const Buffer& frame) { frames.push_back(frame); });
    decoder->on(events::error, [&](const std::exception_ptr& error) { decoderError = error; });
    pipeline({socket, decoder}, [&](std::exception_ptr error) {
      pipelineError = std::move(error);
      pipelineDone = true;
    });
  });

  auto client = connect(io, "127.0.0.1", server->port());
  client->on(events::error, [](const std::exception_ptr&) {});
  std::string whole;
  for (std::uint32_t i = 0; i < 3; ++i) {
    const Buffer frame = sofhFrame(40, i);
    whole += rawString(frame);
    client->write(frame);
  }
  // Half of a fourth frame: its header promises 106 bytes, 16 come.
  client->write(sofhFrame(100, 3).subarray(0, 16));

  SECTION("with a FIN: the decoder reports the truncated frame after the whole ones") {
    client->end();
    runUntil(io, [&] { return pipelineDone; });
    REQUIRE(frames.size() == 3);
    const auto error = errorAs<FrameError>(pipelineError);
    CHECK(error.streamOffset() == whole.size());
    CHECK(error.limit() == 106);
    CHECK(std::string(error.what()).find("stream offset 138") != std::string::npos);
    CHECK(decoderError == pipelineError);
  }

  SECTION("with a reset: the socket's ConnectionError names the peer") {
    runUntil(io, [&] { return accepted && accepted->bytesRead() == whole.size() + 16; });
    CHECK(frames.size() == 3);
    const std::uint16_t clientPort = client->localPort();
    client->resetAndDestroy();
    runUntil(io, [&] { return pipelineDone; });
    CHECK(frames.size() == 3);
    const auto error = errorAs<ConnectionError>(pipelineError);
    CHECK(error.code() == std::errc::connection_reset);
    CHECK(error.codeName() == "ECONNRESET");
    CHECK(error.syscall() == "read");
    CHECK(error.address() == "127.0.0.1");
    CHECK(error.port() == clientPort);
    CHECK(std::string(error.what()) ==
          "read ECONNRESET 127.0.0.1:" + std::to_string(clientPort) + ": connection reset by peer");
  }
  drain(io, 100ms);
  closeServer(io, *server);
}

TEST_CASE("TCP: a reset by the peer destroys the socket with ECONNRESET") {
  asio::io_context io;
  auto server = listenLocal(io, [](const std::shared_ptr<TcpSocket>& socket) {
    socket->once(events::data, [raw = socket.get()] { raw->resetAndDestroy(); });
  });
  Watch seen;
  auto client = connect(io, "127.0.0.1", server->port());
  watch(*client, seen);
  client->write(Buffer::from("reset me"));
  runUntil(io, [&] { return seen.closed; });
  const auto error = errorAs<ConnectionError>(seen.error);
  CHECK(error.codeName() == "ECONNRESET");
  CHECK(error.port() == server->port());
  CHECK(std::string(error.what()).find("ECONNRESET 127.0.0.1:" + std::to_string(server->port())) !=
        std::string::npos);
  CHECK(client->destroyed());
  CHECK_FALSE(seen.ended);
  // Writing now is writing to a destroyed stream.
  std::exception_ptr writeError;
  client->write(Buffer::from("late"), [&](std::exception_ptr e) { writeError = std::move(e); });
  runUntil(io, [&] { return writeError != nullptr; });
  CHECK(errorCode(writeError) == "ERR_STREAM_DESTROYED");
  closeServer(io, *server);
}

TEST_CASE("TCP: connecting to a port nobody listens on fails with ECONNREFUSED") {
  asio::io_context io;
  const std::uint16_t port = closedPort(io);
  Watch seen;
  bool connectCalled = false;
  auto client = connect(io, "127.0.0.1", port, [&] { connectCalled = true; });
  watch(*client, seen);
  std::exception_ptr writeError;
  bool writeDone = false;
  client->write(Buffer::from("never sent"), [&](std::exception_ptr error) {
    writeError = std::move(error);
    writeDone = true;
  });
  runUntil(io, [&] { return seen.closed; });
  CHECK_FALSE(connectCalled);
  CHECK_FALSE(seen.connected);
  const auto error = errorAs<ConnectionError>(seen.error);
  CHECK(error.code() == std::errc::connection_refused);
  CHECK(error.codeName() == "ECONNREFUSED");
  CHECK(error.syscall() == "connect");
  CHECK(std::string(error.what()) ==
        "connect ECONNREFUSED 127.0.0.1:" + std::to_string(port) + ": connection refused");
  runUntil(io, [&] { return writeDone; });
  CHECK(writeError);
}

TEST_CASE("TCP: a name that does not resolve fails with ENOTFOUND") {
  asio::io_context io;
  Watch seen;
  auto client = connect(io, "no-such-host.invalid", 80);
  watch(*client, seen);
  runUntil(io, [&] { return seen.closed; });
  const auto error = errorAs<ConnectionError>(seen.error);
  CHECK(error.codeName() == "ENOTFOUND");
  CHECK(error.syscall() == "getaddrinfo");
  CHECK(std::string(error.what()).find("no-such-host.invalid:80") != std::string::npos);
}

TEST_CASE("TCP: a connect that takes longer than its timeout fails with ETIMEDOUT") {
  asio::io_context io;
  // A listener that never accepts, with a backlog of 0: one connection fills
  // its accept queue, and Linux drops the SYNs after it, so the next connect
  // hangs until the client gives up.
  asio::ip::tcp::acceptor listener(io,
                                   asio::ip::tcp::endpoint(asio::ip::address_v4::loopback(), 0));
  listener.listen(0);
  const std::uint16_t port = listener.local_endpoint().port();
  bool fillerConnected = false;
  auto filler = connect(io, "127.0.0.1", port, [&] { fillerConnected = true; });
  runUntil(io, [&] { return fillerConnected; });

  Watch seen;
  const auto started = std::chrono::steady_clock::now();
  auto client = connect(io, ConnectOptions{.host = "127.0.0.1", .port = port, .timeout = 200ms});
  watch(*client, seen);
  runUntil(io, [&] { return seen.closed; });
  CHECK(std::chrono::steady_clock::now() - started >= 200ms);
  CHECK_FALSE(seen.connected);
  const auto error = errorAs<ConnectionError>(seen.error);
  CHECK(error.code() == std::errc::timed_out);
  CHECK(error.codeName() == "ETIMEDOUT");
  CHECK(std::string(error.what()).find("connect ETIMEDOUT 127.0.0.1:" + std::to_string(port)) == 0);
  filler->destroy();
  drain(io, 100ms);
}

TEST_CASE("TCP: small writes made in one turn leave in few send calls") {
  asio::io_context io;
  std::size_t serverReceived = 0;
  auto server = listenCounting(io, serverReceived);
  auto client = connect(io, "127.0.0.1", server->port());
  bool connected = false;
  client->once(events::connect, [&] { connected = true; });
  runUntil(io, [&] { return connected; });

  SECTION("1000 writes of 64 bytes in one turn: about two sendmsg calls") {
    for (std::uint32_t i = 0; i < 1000; ++i)
      client->write(sofhFrame(58, i));
    runUntil(io, [&] { return serverReceived == 64000; });
    CHECK(client->bytesWritten() == 64000);
    // The first write goes out at once, the 999 behind it in one batch: two
    // calls, or a few more if the kernel's send buffer takes the batch in parts.
    INFO("sendmsg calls: " << client->writeCalls());
    CHECK(client->writeCalls() >= 2);
    CHECK(client->writeCalls() <= 4);
  }

  SECTION("corked, the first write joins the batch: about one sendmsg call") {
    client->cork();
    for (std::uint32_t i = 0; i < 1000; ++i)
      client->write(sofhFrame(58, i));
    client->uncork();
    runUntil(io, [&] { return serverReceived == 64000; });
    INFO("sendmsg calls: " << client->writeCalls());
    CHECK(client->writeCalls() >= 1);
    CHECK(client->writeCalls() <= 3);
  }

  SECTION("one write per turn, each waiting for the last: one call each") {
    // The counter counts what it should: with nothing to batch, nothing is.
    std::function<void(std::uint32_t)> writeFrom = [&](std::uint32_t i) {
      if (i == 100) return;
      client->write(sofhFrame(58, i), [&writeFrom, i](std::exception_ptr error) {
        REQUIRE_FALSE(error);
        writeFrom(i + 1);
      });
    };
    writeFrom(0);
    runUntil(io, [&] { return serverReceived == 6400; });
    CHECK(client->writeCalls() == 100);
  }
  client->end();
  runUntil(io, [&] { return server->connections() == 0; });
  closeServer(io, *server);
}

TEST_CASE("TCP: the writable side queues 64 KiB before write() returns false, then one 'drain'") {
  asio::io_context io;
  std::size_t serverReceived = 0;
  auto server = listenCounting(io, serverReceived);
  auto client = connect(io, "127.0.0.1", server->port());
  CHECK(client->writableHighWaterMark() == std::size_t{64} * 1024);
  int drains = 0;
  client->on(events::drain, [&drains] { ++drains; });

  // Written while connecting, so all of it is still queued: four 16 KiB
  // messages reach the highWaterMark, which is also what one sendmsg can take.
  const Buffer message = Buffer::alloc(16 * 1024, 0x42);
  CHECK(client->write(message));
  CHECK(client->write(message));
  CHECK(client->write(message));
  CHECK_FALSE(client->write(message));
  CHECK(client->writableLength() == std::size_t{64} * 1024);
  runUntil(io, [&] { return serverReceived == std::size_t{64} * 1024 && drains > 0; });
  CHECK(client->bytesWritten() == std::size_t{64} * 1024);

  client->end();
  runUntil(io, [&] { return server->connections() == 0; });
  closeServer(io, *server);
  CHECK(drains == 1);
}

TEST_CASE("TCP: a slow reader keeps the sender's buffered bytes near highWaterMark") {
  asio::io_context io;
  constexpr std::size_t chunkSize = 4096;
  constexpr std::size_t total = std::size_t{8} << 20;  // 8 MiB
  constexpr std::size_t highWaterMark = 64 * 1024;

  // The receiver takes 64 KiB, pauses, and resumes 2 ms later.
  std::size_t received = 0;
  std::size_t readablePeak = 0;
  std::size_t pauses = 0;
  asio::steady_timer resumeTimer(io);
  std::shared_ptr<TcpSocket> receiver;
  auto server = listenLocal(io, [&](const std::shared_ptr<TcpSocket>& socket) {
    receiver = socket;
    socket->on(events::data, [&, raw = socket.get()](const Buffer& chunk) {
      const std::size_t before = received;
      received += chunk.length();
      if (received / highWaterMark != before / highWaterMark) {
        raw->pause();
        ++pauses;
        resumeTimer.expires_after(2ms);
        resumeTimer.async_wait([&readablePeak, raw](std::error_code code) {
          if (code) return;
          // What piled up on the readable side while it was paused.
          readablePeak = std::max(readablePeak, raw->readableLength());
          raw->resume();
        });
      }
    });
  });

  TcpSocketOptions senderOptions;
  senderOptions.writableHighWaterMark = highWaterMark;
  auto sender =
      connect(io, ConnectOptions{.host = "127.0.0.1", .port = server->port()}, {}, senderOptions);
  std::size_t written = 0;
  std::size_t writablePeak = 0;
  std::size_t inKernelPeak = 0;
  std::size_t drains = 0;
  const Buffer chunk = Buffer::alloc(chunkSize, 0x42);
  std::function<void()> writeMore = [&] {
    while (written < total) {
      written += chunkSize;
      const bool more = sender->write(chunk);
      writablePeak = std::max(writablePeak, sender->writableLength());
      inKernelPeak =
          std::max(inKernelPeak, static_cast<std::size_t>(sender->bytesWritten()) - received);
      if (!more) return;
    }
    sender->end();
  };
  sender->on(events::drain, [&] {
    ++drains;
    writeMore();
  });
  writeMore();
  runUntil(
      io, [&] { return received == total; }, 60s);

  // writableLength counts what is queued and what is being sent.
  WARN("slow consumer: peak sender-side buffered bytes (writableLength) "
       << writablePeak << " with highWaterMark " << highWaterMark << " and " << chunkSize
       << "-byte chunks; peak bytes sent but not yet consumed (kernel buffers and the "
       << "receiver's queue) " << inKernelPeak << "; receiver's peak readableLength "
       << readablePeak << "; " << drains << " drains, " << pauses << " pauses, " << total
       << " bytes");
  CHECK(writablePeak <= highWaterMark + chunkSize);
  CHECK(drains > 10);
  CHECK(readablePeak <= receiver->readableHighWaterMark() + defaultReadSize);
  runUntil(io, [&] { return server->connections() == 0; });
  closeServer(io, *server);
}

TEST_CASE("TcpServer: close() waits for the open connections, errors are events") {
  asio::io_context io;
  std::shared_ptr<TcpSocket> accepted;
  auto server =
      listenLocal(io, [&](const std::shared_ptr<TcpSocket>& socket) { accepted = socket; });
  auto client = connect(io, "127.0.0.1", server->port());
  runUntil(io, [&] { return accepted != nullptr; });
  CHECK(server->connections() == 1);

  SECTION("close() stops accepting, and 'close' follows the last connection") {
    bool closed = false;
    server->close([&closed](const std::exception_ptr& error) {
      CHECK_FALSE(error);
      closed = true;
    });
    CHECK_FALSE(server->listening());
    Watch late;
    auto refused = connect(io, "127.0.0.1", server->port());
    watch(*refused, late);
    runUntil(io, [&] { return late.closed; });
    CHECK(errorAs<ConnectionError>(late.error).codeName() == "ECONNREFUSED");
    CHECK_FALSE(closed);
    client->end();
    runUntil(io, [&] { return closed; });
    CHECK(server->connections() == 0);

    std::exception_ptr notRunning;
    server->close([&notRunning](std::exception_ptr error) { notRunning = std::move(error); });
    runUntil(io, [&] { return notRunning != nullptr; });
    CHECK(errorCode(notRunning) == "ERR_SERVER_NOT_RUNNING");
  }

  SECTION("listening on a port in use is an 'error' event") {
    auto second = createServer(io);
    std::exception_ptr listenError;
    second->on(events::error, [&](const std::exception_ptr& error) { listenError = error; });
    second->listen(server->port(), "127.0.0.1");
    runUntil(io, [&] { return listenError != nullptr; });
    const auto error = errorAs<ConnectionError>(listenError);
    CHECK(error.codeName() == "EADDRINUSE");
    CHECK(error.syscall() == "listen");
    CHECK(std::string(error.what()) ==
          "listen EADDRINUSE 127.0.0.1:" + std::to_string(server->port()) +
              ": address already in use");
    CHECK_FALSE(second->listening());
    client->destroy();
    closeServer(io, *server);
  }
}

TEST_CASE("TcpServer: listening on every interface takes IPv4 clients") {
  asio::io_context io;
  bool accepted = false;
  auto server = createServer(io, {}, [&](const std::shared_ptr<TcpSocket>&) { accepted = true; });
  server->listen(0);
  REQUIRE(server->listening());
  CHECK(server->address().address == (server->address().family == "IPv6" ? "::" : "0.0.0.0"));
  auto client = connect(io, "127.0.0.1", server->port());
  runUntil(io, [&] { return accepted; });
  client->destroy();
  closeServer(io, *server);
}
