// SPDX-License-Identifier: Apache-2.0
// tcp/wirekit/<frame size>: typed messages through TCP loopback, end to end.
// The sending side (the benchmark thread) encodes each Blob in place with
// MessageStream::send over a TcpSocket, stopping at send()'s false until
// 'drain'; the receiving side (a server thread with its own io_context) cuts
// the bytes into frames, decodes each message and reads its fields. An
// iteration ends when the receiver has decoded the batch's last message.
//
// tls/wirekit/<frame size>: the same over a TlsSocket (TLS 1.3, a P-256
// certificate made for the run with the openssl command, verified by the
// client), so that tls/tcp in one run is the cost of TLS.

#include <wirekit/message/message_stream.hpp>
#include <wirekit/transport/tcp_server.hpp>
#include <wirekit/transport/tcp_socket.hpp>
#include <wirekit/transport/tls_server.hpp>
#include <wirekit/transport/tls_socket.hpp>

#include <asio/io_context.hpp>
#include <asio/post.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <thread>
#include <vector>

#include "bench.wk.hpp"
#include "certificate.hpp"
#include "frames.hpp"
#include "stream_bench.hpp"

namespace bench::streams {
namespace {

using Messages = wirekit::MessageStream<bench::Schema>;

enum class Transport { tcp, tls };

// The timeouts of both sides, each on (with a time no run reaches) when its
// bit is set: 1 the idle timeout, 2 the write timeout, 4 the frame deadline.
struct Timeouts {
  wirekit::TcpSocketOptions socket;
  wirekit::MessageStreamOptions messages;

  explicit Timeouts(std::int64_t on) {
    if ((on & 1) != 0) socket.timeout = std::chrono::minutes(5);
    socket.writeTimeout.reset();
    if ((on & 2) != 0) socket.writeTimeout = std::chrono::seconds(30);
    messages.frameTimeout.reset();
    if ((on & 4) != 0) messages.frameTimeout = std::chrono::seconds(30);
  }
};

// A TCP server on its own thread and io_context that decodes every Blob it
// receives and counts them. As the Node receiver does, it counts and sums in
// plain variables and tells the sender only when a batch of batchFrames is
// complete: an atomic update and a wake-up per message would cost the
// receiver more than cutting the frame.
class BlobReceiver {
 public:
  BlobReceiver(std::uint64_t batchFrames, Transport transport, const Timeouts& timeouts)
      : batchFrames_(batchFrames),
        transport_(transport),
        timeouts_(timeouts),
        thread_([this] { run(); }) {
    for (std::uint16_t port = port_.load(); port == 0; port = port_.load())
      port_.wait(port);
  }
  BlobReceiver(const BlobReceiver&) = delete;
  BlobReceiver& operator=(const BlobReceiver&) = delete;
  ~BlobReceiver() {
    io_.stop();
    thread_.join();
  }

  [[nodiscard]] std::uint16_t port() const noexcept { return port_.load(); }

  // Blocks until at least total messages have been decoded.
  void waitFor(std::uint64_t total) {
    for (std::uint64_t seen = received_.load(); seen < total; seen = received_.load()) {
      received_.wait(seen);
    }
  }
  // What the decoded messages add up to, so that no read is optimised away.
  [[nodiscard]] std::uint64_t checksum() const noexcept { return checksum_.load(); }

 private:
  void run() {
    std::vector<std::shared_ptr<Messages>> connections;
    const auto receive = [this, &connections](const std::shared_ptr<wirekit::Duplex>& socket) {
      auto messages = std::make_shared<Messages>(socket, timeouts_.messages);
      messages->on<bench::Blob>([this](const bench::Blob::Decoder& blob) {
        const std::span<const std::byte> data = blob.data();
        sum_ += blob.offset() + data.size();
        if (++count_ % batchFrames_ == 0) {
          checksum_.store(sum_, std::memory_order_relaxed);
          received_.store(count_, std::memory_order_release);
          received_.notify_all();
        }
      });
      connections.push_back(std::move(messages));
    };
    const auto listening = [this](std::uint16_t port) {
      port_.store(port);
      port_.notify_all();
    };
    wirekit::TcpServerOptions options;
    options.socket = timeouts_.socket;
    if (transport_ == Transport::tls) {
      auto server = wirekit::createSecureServer(
          io_, {.key = certificate().key(), .cert = certificate().cert(), .server = options},
          receive);
      server->listen(0, "127.0.0.1", [&] { listening(server->port()); });
      io_.run();
    } else {
      auto server = wirekit::createServer(io_, options, receive);
      server->listen(0, "127.0.0.1", [&] { listening(server->port()); });
      io_.run();
    }
  }

  const std::uint64_t batchFrames_;
  const Transport transport_;
  const Timeouts timeouts_;
  // The receiver thread's own count and sum, published per batch.
  std::uint64_t count_ = 0;
  std::uint64_t sum_ = 0;
  asio::io_context io_;
  std::atomic<std::uint16_t> port_{0};
  std::atomic<std::uint64_t> received_{0};
  std::atomic<std::uint64_t> checksum_{0};
  std::thread thread_;  // last: it starts once the members it uses exist
};

// A connected (and, over TLS, verified) socket to port.
std::shared_ptr<wirekit::Duplex> connectTo(asio::io_context& io, std::uint16_t port,
                                           Transport transport, const Timeouts& timeouts) {
  bool connected = false;
  std::shared_ptr<wirekit::Duplex> socket;
  if (transport == Transport::tls) {
    socket = wirekit::connect(io,
                              wirekit::TlsConnectOptions{.host = "127.0.0.1",
                                                         .port = port,
                                                         .ca = certificate().cert(),
                                                         .socket = timeouts.socket},
                              [&] { connected = true; });
  } else {
    socket = wirekit::connect(
        io, {.host = "127.0.0.1", .port = port}, [&] { connected = true; }, timeouts.socket);
  }
  while (!connected)
    io.run_one();
  return socket;
}

void wirekitMessages(benchmark::State& state, Transport transport, const Timeouts& timeouts) {
  const auto frameSize = static_cast<std::size_t>(state.range(0));
  const std::size_t frames = framesPerBatch(frameSize, tcpBatchBytes, tcpMinimumFrames);
  const std::vector<std::byte> payload(frameSize - frameOverhead, std::byte{7});

  BlobReceiver receiver(frames, transport, timeouts);
  asio::io_context io;
  const auto socket = connectTo(io, receiver.port(), transport, timeouts);
  const auto messages = std::make_shared<Messages>(socket, timeouts.messages);

  std::uint64_t sent = 0;
  std::uint64_t target = 0;
  // Sends until the batch is done or send() asks to wait for 'drain'.
  const auto pump = [&] {
    while (sent < target) {
      const std::uint64_t offset = sent++;
      const bool more = messages->send<bench::Blob>(
          [&](bench::Blob::Encoder& blob) { blob.offset(offset).data(payload); });
      if (!more) return;
    }
  };
  messages->on(wirekit::events::drain, pump);

  for (auto _ : state) {
    target += frames;
    asio::post(io, pump);
    // Until every message of the batch has gone to the kernel.
    while (sent < target || messages->pendingBytes() > 0 || socket->writableLength() > 0) {
      io.run_one();
    }
    receiver.waitFor(target);
  }
  benchmark::DoNotOptimize(receiver.checksum());
  setThroughput(state, frames, frameSize);
  messages->destroy();
  io.poll();
}

void tcpWirekit(benchmark::State& state) {
  wirekitMessages(state, Transport::tcp, Timeouts(0));
}
void tlsWirekit(benchmark::State& state) {
  wirekitMessages(state, Transport::tls, Timeouts(0));
}
void tcpWirekitTimeouts(benchmark::State& state) {
  wirekitMessages(state, Transport::tcp, Timeouts(state.range(1)));
}

BENCHMARK(tcpWirekit)->Name("tcp/wirekit")->Apply(tcpSizes);
BENCHMARK(tlsWirekit)->Name("tls/wirekit")->Apply(tcpSizes);
// Off and on in turn, twice, so that a drift of the machine shows; then each part.
BENCHMARK(tcpWirekitTimeouts)
    ->Name("tcp/wirekit_timeouts")
    ->Args({64, 0})
    ->Args({64, 7})
    ->Args({64, 0})
    ->Args({64, 7})
    ->Args({64, 3})
    ->Args({64, 4})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace bench::streams
