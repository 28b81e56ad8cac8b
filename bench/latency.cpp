// SPDX-License-Identifier: Apache-2.0
// wirekit_bench_latency: how long a request takes to come back (issue 16,
// docs/performance.md "Latency").
//
// Ping-pong over TCP loopback: a client thread sends a Blob frame (frames.hpp:
// 64 B, 512 B, 16 KiB whole), a server thread sends the same message back,
// and the client times each round trip with std::chrono::steady_clock, from
// just before it sends to the moment it has the reply, after a warm-up. With
// --in-flight K the client keeps K requests outstanding (a new one per reply),
// which gives throughput and latency together. The two threads are pinned to
// two different CPUs where the process may use more than one.
//
// Contenders, in the same run:
//   raw_blocking  blocking write()/read() of the frame bytes, TCP_NODELAY; the
//                 server echoes what it reads, the client counts whole frames
//   raw_asio      the same bytes with Asio's non-blocking async_read_some /
//                 async_write on one io_context per side
//   wirekit       MessageStream<bench::Schema> on both ends over TcpSocket,
//                 default options; the server decodes each Blob and sends a
//                 new one with the same fields, the client decodes each reply
//   wirekit_busy_poll  wirekit with both event loops busy polling
//                 (runBusyPolling, the default spin): the one latency option
//   wirekit_tls   the same as wirekit over TlsSocket/TlsServer (TLS 1.3)
//   node          the wirekit client against js/bench/latency_peer.ts, the
//                 Node package's MessageStream and generated TypeScript codec
//                 as the server (one node process for the run; --node-peer)
// and a journal: one frame written and fdatasync'd per request, raw
// (write + fdatasync on the calling thread) and wirekit (MessageStream over
// a FileWriteStream, then fdatasync).
//
// Output: a table, or with --json one JSON object (bench/report.py reads it).
// System calls per round trip are counted from outside (bench/run runs one
// contender under strace -c -f at two round-trip counts).

#include <wirekit/message/message_stream.hpp>
#include <wirekit/transport/busy_poll.hpp>
#include <wirekit/transport/file_write_stream.hpp>
#include <wirekit/transport/tcp_server.hpp>
#include <wirekit/transport/tcp_socket.hpp>
#include <wirekit/transport/tls_server.hpp>
#include <wirekit/transport/tls_socket.hpp>

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/post.hpp>
#include <asio/write.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "bench.wk.hpp"
#include "certificate.hpp"
#include "frames.hpp"
#include "raw_io.hpp"

namespace bench::latency {
namespace {

using Clock = std::chrono::steady_clock;
using Messages = wirekit::MessageStream<bench::Schema>;
using streams::blobFrame;
using streams::frameOverhead;
using streams::frameRun;

// Pipelining K requests of frameSize bytes needs K frames in the socket
// buffers of both directions at once: the blocking raw client, writing while
// its server is blocked writing back, would deadlock once they are full.
// 64 x 512 B is far below Linux's loopback buffers; 64 x 16 KiB is not.
constexpr std::size_t maxPipelinedFrame = 512;

// Pins the calling thread to the slot-th CPU the process may run on, when it
// may run on more than one (one CPU: client and server share it, unpinned).
bool pinning = true;

// The slot-th CPU of those the process may run on, as a set of one, or none
// when pinning is off or there is only one.
std::optional<cpu_set_t> cpuOf(int slot) {
  if (!pinning) return std::nullopt;
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  if (::sched_getaffinity(0, sizeof allowed, &allowed) != 0 || CPU_COUNT(&allowed) < 2) {
    return std::nullopt;
  }
  int seen = 0;
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (!CPU_ISSET(cpu, &allowed)) continue;
    if (seen++ == slot) {
      cpu_set_t one;
      CPU_ZERO(&one);
      CPU_SET(cpu, &one);
      return one;
    }
  }
  return std::nullopt;
}

void pinTo(int slot) {
  if (const std::optional<cpu_set_t> one = cpuOf(slot)) {
    ::pthread_setaffinity_np(::pthread_self(), sizeof *one, &*one);
  }
}

struct Config {
  std::vector<std::string> contenders{"raw_blocking",      "raw_asio",    "wirekit",
                                      "wirekit_busy_poll", "wirekit_tls", "node"};
  // The Node.js server of the node contender (js/dist/bench/latency_peer.js,
  // built by `npm run build` in js/); without it, or without node on the
  // PATH, that contender is skipped with a line saying why.
  std::string nodePeer;
  // Contenders asked for that could not run, and why.
  std::vector<std::pair<std::string, std::string>> skipped;
  std::vector<std::size_t> sizes{64, 512, 16384};
  std::vector<std::size_t> inFlight{1, 8, 64};
  std::size_t roundTrips = 20000;
  std::size_t warmup = 2000;
  std::size_t journalWrites = 1000;
  std::string journalDir = "/var/tmp";
  // The round trips of each contender are split into this many turns, the
  // contenders taking turns, so that a change in the machine's load falls on
  // all of them alike.
  std::size_t turns = 5;
  bool pin = true;
  bool json = false;
};

// One run's latencies (ns, one per measured round trip) and its wall time.
struct Result {
  std::string contender;
  std::size_t size = 0;
  std::size_t inFlight = 1;
  std::vector<std::int64_t> samples;
  double seconds = 0;
};

// The client's bookkeeping, whatever does the I/O: when each outstanding
// request was sent (FIFO: replies come back in order), the latency of each
// reply after the warm-up, and how many requests to send next.
class RoundTrips {
 public:
  RoundTrips(std::size_t warmup, std::size_t measured, std::size_t inFlight)
      : warmup_(warmup), total_(warmup + measured), sentAt_(inFlight) {
    samples_.reserve(measured);
  }

  // The requests to send first (at most K); their send time is now.
  std::size_t start() { return sendAt(Clock::now(), std::min(sentAt_.size(), total_)); }

  // count replies have arrived: records them and returns how many requests
  // to send now, one per reply while any are left.
  std::size_t received(std::size_t count) { return received(count, Clock::now()); }
  // The same at a time read once for every reply of a read: a client whose
  // replies come one at a time (a MessageStream handler) reads the clock once
  // per read, as the raw clients do, not once per reply.
  std::size_t received(std::size_t count, Clock::time_point now) {
    for (std::size_t i = 0; i < count; ++i) {
      if (replies_ == warmup_ && warmup_ > 0) measuredFrom_ = now;
      if (replies_ >= warmup_) samples_.push_back((now - sentAt_[head_]).count());
      head_ = (head_ + 1) % sentAt_.size();
      ++replies_;
    }
    if (replies_ == total_) measuredTo_ = now;
    // The replacements go out now: one clock read serves both (a client that
    // handles one reply at a time reads the clock once per message, not twice).
    return sendAt(now, std::min(count, total_ - sent_));
  }

  [[nodiscard]] bool done() const noexcept { return replies_ >= total_; }

  [[nodiscard]] Result result(std::string contender, std::size_t size) && {
    Result result{std::move(contender), size, sentAt_.size(), std::move(samples_), 0};
    result.seconds = std::chrono::duration<double>(measuredTo_ - measuredFrom_).count();
    return result;
  }

 private:
  std::size_t sendAt(Clock::time_point now, std::size_t count) {
    if (sent_ == 0) measuredFrom_ = now;  // no warm-up: measured from the first send
    for (std::size_t i = 0; i < count; ++i) {
      sentAt_[(head_ + sent_ - replies_) % sentAt_.size()] = now;
      ++sent_;
    }
    return count;
  }

  const std::size_t warmup_;
  const std::size_t total_;
  std::vector<Clock::time_point> sentAt_;  // a ring of K, oldest at head_
  std::size_t head_ = 0;
  std::size_t sent_ = 0;
  std::size_t replies_ = 0;
  std::vector<std::int64_t> samples_;
  Clock::time_point measuredFrom_;
  Clock::time_point measuredTo_;
};

// How an event loop waits: io_context::run() (sleeping in epoll_wait), or
// busy polling (wirekit::runBusyPolling).
enum class Loop { sleeping, busyPolling };

// A server on its own pinned thread and io_context: serve() sets it up and
// returns what it must keep alive, which is dropped on that thread once the
// loop has stopped, before the io_context goes. The constructor returns once
// the server listens (serve stores the port).
class ServerThread {
 public:
  using Serve =
      std::function<std::shared_ptr<void>(asio::io_context&, std::atomic<std::uint16_t>&)>;
  explicit ServerThread(Serve serve) : ServerThread(Loop::sleeping, std::move(serve)) {}
  ServerThread(Loop loop, Serve serve)
      : thread_([this, loop, serve = std::move(serve)] {
          pinTo(1);
          try {
            std::shared_ptr<void> state = serve(io_, port_);
            if (loop == Loop::busyPolling) {
              wirekit::runBusyPolling(io_);
            } else {
              io_.run();
            }
          } catch (...) {
            failure_ = std::current_exception();
            port_.store(0xffff);
            port_.notify_all();
          }
        }) {
    for (std::uint16_t port = port_.load(); port == 0; port = port_.load())
      port_.wait(port);
    if (failure_) {
      thread_.join();
      std::rethrow_exception(failure_);
    }
  }
  ServerThread(const ServerThread&) = delete;
  ServerThread& operator=(const ServerThread&) = delete;
  ~ServerThread() {
    io_.stop();
    if (thread_.joinable()) thread_.join();
  }

  [[nodiscard]] std::uint16_t port() const noexcept { return port_.load(); }

 private:
  asio::io_context io_;
  std::atomic<std::uint16_t> port_{0};
  std::exception_ptr failure_;
  std::thread thread_;  // last: it starts once the members it uses exist
};

// Runs the client on its own thread, pinned to the first CPU.
template <class Client>
Result onClientThread(const Client& client) {
  Result result;
  std::exception_ptr failure;
  std::thread([&] {
    pinTo(0);
    try {
      result = client();
    } catch (...) {
      failure = std::current_exception();
    }
  }).join();
  if (failure) std::rethrow_exception(failure);
  return result;
}

// --- raw blocking sockets ---

Result rawBlocking(std::size_t size, std::size_t inFlight, const Config& config) {
  streams::Loopback link = streams::connectLoopback();
  std::thread server([fd = link.server.get()] {
    pinTo(1);
    std::vector<std::byte> buffer(std::size_t{64} * 1024);
    for (;;) {
      const ssize_t got = ::read(fd, buffer.data(), buffer.size());
      if (got == 0 || (got < 0 && errno != EINTR)) return;
      if (got > 0) streams::writeAll(fd, buffer.data(), static_cast<std::size_t>(got));
    }
  });
  Result result = onClientThread([&] {
    const int fd = link.client.get();
    const std::vector<std::byte> requests = frameRun(size, inFlight);
    std::vector<std::byte> buffer(std::size_t{64} * 1024);
    RoundTrips trips(config.warmup, config.roundTrips, inFlight);
    streams::writeAll(fd, requests.data(), trips.start() * size);
    std::size_t partial = 0;
    while (!trips.done()) {
      const ssize_t got = ::read(fd, buffer.data(), buffer.size());
      if (got <= 0) {
        if (got < 0 && errno == EINTR) continue;
        streams::throwErrno("read");
      }
      partial += static_cast<std::size_t>(got);
      if (const std::size_t whole = partial / size; whole > 0) {
        partial %= size;
        if (const std::size_t next = trips.received(whole)) {
          streams::writeAll(fd, requests.data(), next * size);
        }
      }
    }
    return std::move(trips).result("raw_blocking", size);
  });
  ::shutdown(link.client.get(), SHUT_WR);  // the server reads its end and returns
  server.join();
  return result;
}

// --- raw non-blocking Asio ---

// Echoes what it reads: one read, then one write of it, then the next read.
class AsioEcho : public std::enable_shared_from_this<AsioEcho> {
 public:
  explicit AsioEcho(asio::ip::tcp::socket socket) : socket_(std::move(socket)) {}
  void read() {
    socket_.async_read_some(asio::buffer(buffer_),
                            [self = shared_from_this()](std::error_code error, std::size_t got) {
                              if (!error) self->write(got);
                            });
  }

 private:
  void write(std::size_t size) {
    asio::async_write(socket_, asio::buffer(buffer_.data(), size),
                      [self = shared_from_this()](std::error_code error, std::size_t) {
                        if (!error) self->read();
                      });
  }

  asio::ip::tcp::socket socket_;
  std::array<std::byte, std::size_t{64} * 1024> buffer_{};
};

Result rawAsio(std::size_t size, std::size_t inFlight, const Config& config) {
  ServerThread server([](asio::io_context& io, std::atomic<std::uint16_t>& port) {
    auto acceptor = std::make_shared<asio::ip::tcp::acceptor>(
        io, asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    acceptor->async_accept([](std::error_code error, asio::ip::tcp::socket socket) {
      if (error) return;
      socket.set_option(asio::ip::tcp::no_delay(true));
      std::make_shared<AsioEcho>(std::move(socket))->read();
    });
    port.store(acceptor->local_endpoint().port());
    port.notify_all();
    return acceptor;
  });
  return onClientThread([&] {
    asio::io_context io;
    asio::ip::tcp::socket socket(io);
    socket.connect({asio::ip::make_address("127.0.0.1"), server.port()});
    socket.set_option(asio::ip::tcp::no_delay(true));
    const std::vector<std::byte> requests = frameRun(size, inFlight);
    std::vector<std::byte> buffer(std::size_t{64} * 1024);
    RoundTrips trips(config.warmup, config.roundTrips, inFlight);
    // One async_write at a time (Asio's rule): requests due while one is in
    // flight wait in pending and go together after it.
    std::size_t pending = trips.start();
    bool writing = false;
    std::size_t partial = 0;
    std::function<void()> write = [&] {
      if (writing || pending == 0) return;
      writing = true;
      asio::async_write(socket, asio::buffer(requests.data(), pending * size),
                        [&](std::error_code error, std::size_t) {
                          if (error) throw std::system_error(error, "write");
                          writing = false;
                          write();
                        });
      pending = 0;
    };
    std::function<void()> read = [&] {
      socket.async_read_some(asio::buffer(buffer), [&](std::error_code error, std::size_t got) {
        if (error) throw std::system_error(error, "read");
        partial += got;
        if (const std::size_t whole = partial / size; whole > 0) {
          partial %= size;
          pending += trips.received(whole);
          write();
        }
        if (!trips.done()) read();
      });
    };
    write();
    read();
    while (!trips.done())
      io.run_one();
    return std::move(trips).result("raw_asio", size);
  });
}

// --- wirekit MessageStream, over TCP or TLS ---

enum class Transport { tcp, tls };

Result wirekitClient(std::uint16_t port, std::size_t size, std::size_t inFlight,
                     const Config& config, Transport transport, Loop loop, const char* name);

// The server: one MessageStream per connection on its own thread.
Result wirekitMessages(std::size_t size, std::size_t inFlight, const Config& config,
                       Transport transport, Loop loop, const char* name) {
  struct Served {
    std::vector<std::shared_ptr<Messages>> connections;
    std::shared_ptr<wirekit::TcpServer> tcp;
    std::shared_ptr<wirekit::TlsServer> tls;
  };
  ServerThread server(loop, [transport](asio::io_context& io, std::atomic<std::uint16_t>& port) {
    auto served = std::make_shared<Served>();
    const auto reply = [&connections =
                            served->connections](const std::shared_ptr<wirekit::Duplex>& socket) {
      auto messages = std::make_shared<Messages>(socket);
      messages->on<bench::Blob>([stream = messages.get()](const bench::Blob::Decoder& request) {
        stream->send<bench::Blob>([&](bench::Blob::Encoder& blob) {
          blob.offset(request.offset()).data(request.data());
        });
      });
      // The client's close at the end is no failure.
      messages->on(wirekit::events::error, [](const std::exception_ptr&) {});
      connections.push_back(std::move(messages));
    };
    const auto listening = [&port](std::uint16_t bound) {
      port.store(bound);
      port.notify_all();
    };
    if (transport == Transport::tls) {
      served->tls = wirekit::createSecureServer(
          io, {.key = streams::certificate().key(), .cert = streams::certificate().cert()}, reply);
      served->tls->listen(0, "127.0.0.1",
                          [tls = served->tls.get(), listening] { listening(tls->port()); });
    } else {
      served->tcp = wirekit::createServer(io, {}, reply);
      served->tcp->listen(0, "127.0.0.1",
                          [tcp = served->tcp.get(), listening] { listening(tcp->port()); });
    }
    return served;
  });
  return wirekitClient(server.port(), size, inFlight, config, transport, loop, name);
}

// --- the Node.js peer: js/bench/latency_peer.ts as the server ---

// The peer's process: started with its stdin and stdout on pipes, it prints
// the port it listens on; closing its stdin stops it.
class NodePeer {
 public:
  // How long the peer may take to start listening, and to exit once told.
  static constexpr int startTimeoutMs = 30000;
  static constexpr int exitTimeoutMs = 5000;

  explicit NodePeer(const std::string& script) {
    int toPeer[2];
    int fromPeer[2];
    if (::pipe2(toPeer, O_CLOEXEC) != 0) streams::throwErrno("pipe2");
    stdin_ = streams::FileDescriptor(toPeer[1]);
    const streams::FileDescriptor peerStdin(toPeer[0]);
    if (::pipe2(fromPeer, O_CLOEXEC) != 0) streams::throwErrno("pipe2");
    const streams::FileDescriptor peerStdout(fromPeer[1]);
    const streams::FileDescriptor output(fromPeer[0]);
    posix_spawn_file_actions_t actions;
    ::posix_spawn_file_actions_init(&actions);
    ::posix_spawn_file_actions_adddup2(&actions, peerStdin.get(), STDIN_FILENO);
    ::posix_spawn_file_actions_adddup2(&actions, peerStdout.get(), STDOUT_FILENO);
    std::string node = "node";
    std::string path = script;
    char* argv[] = {node.data(), path.data(), nullptr};
    const int spawned = ::posix_spawnp(&pid_, "node", &actions, nullptr, argv, environ);
    ::posix_spawn_file_actions_destroy(&actions);
    if (spawned != 0) {
      errno = spawned;
      streams::throwErrno("posix_spawnp node");
    }
    // Its main thread, where its event loop runs, where the server thread goes.
    if (const std::optional<cpu_set_t> one = cpuOf(1)) {
      ::sched_setaffinity(pid_, sizeof *one, &*one);
    }
    std::string line;
    while (line.find('\n') == std::string::npos) {
      pollfd ready{output.get(), POLLIN, 0};
      if (::poll(&ready, 1, startTimeoutMs) <= 0) {
        throw std::runtime_error(
            fmt::format("{} printed no port within {} ms", script, startTimeoutMs));
      }
      std::array<char, 256> chunk{};
      const ssize_t got = ::read(output.get(), chunk.data(), chunk.size());
      if (got <= 0) throw std::runtime_error(fmt::format("{} exited before it listened", script));
      line.append(chunk.data(), static_cast<std::size_t>(got));
    }
    const std::size_t colon = line.find(':');
    port_ = colon == std::string::npos
                ? 0
                : static_cast<std::uint16_t>(std::strtoul(line.c_str() + colon + 1, nullptr, 10));
    if (port_ == 0) throw std::runtime_error(fmt::format("{} printed {}", script, line));
  }
  NodePeer(const NodePeer&) = delete;
  NodePeer& operator=(const NodePeer&) = delete;
  ~NodePeer() {
    stdin_ = streams::FileDescriptor();
    for (int waited = 0; waited < exitTimeoutMs; waited += 10) {
      if (::waitpid(pid_, nullptr, WNOHANG) != 0) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }

  [[nodiscard]] std::uint16_t port() const noexcept { return port_; }

 private:
  pid_t pid_ = -1;
  streams::FileDescriptor stdin_;
  std::uint16_t port_ = 0;
};

// One peer for the whole run, started when first needed: V8 compiles the
// handlers as they get hot, and a peer per turn would be measured mostly
// cold (its K=64 throughput a tenth of a warm one's in one loaded run). Each
// turn still connects anew.
Result nodePeer(std::size_t size, std::size_t inFlight, const Config& config) {
  static std::optional<NodePeer> peer;
  if (!peer) peer.emplace(config.nodePeer);
  return wirekitClient(peer->port(), size, inFlight, config, Transport::tcp, Loop::sleeping,
                       "node");
}

// --- wirekit MessageStream, over TCP or TLS: the client ---

Result wirekitClient(std::uint16_t port, std::size_t size, std::size_t inFlight,
                     const Config& config, Transport transport, Loop loop, const char* name) {
  const std::vector<std::byte> payload(size - frameOverhead, std::byte{7});
  return onClientThread([&] {
    asio::io_context io;
    bool connected = false;
    std::shared_ptr<wirekit::Duplex> socket;
    if (transport == Transport::tls) {
      socket = wirekit::connect(
          io,
          wirekit::TlsConnectOptions{
              .host = "127.0.0.1", .port = port, .ca = streams::certificate().cert()},
          [&] { connected = true; });
    } else {
      socket = wirekit::connect(io, wirekit::ConnectOptions{.host = "127.0.0.1", .port = port},
                                [&] { connected = true; });
    }
    while (!connected)
      io.run_one();
    const auto messages = std::make_shared<Messages>(socket);
    RoundTrips trips(config.warmup, config.roundTrips, inFlight);
    std::uint64_t offset = 0;
    std::uint64_t checksum = 0;
    const auto send = [&](std::size_t count) {
      for (std::size_t i = 0; i < count; ++i) {
        messages->send<bench::Blob>(
            [&](bench::Blob::Encoder& blob) { blob.offset(offset).data(payload); });
        ++offset;
      }
    };
    // When the replies of this event-loop turn (one read's) arrived: read at
    // the first of them. A clock read costs 30-70 ns on this VM (kvm-clock),
    // a tenth of a message at K = 64, which the raw clients pay once per read.
    std::optional<Clock::time_point> turnTime;
    messages->on<bench::Blob>([&](const bench::Blob::Decoder& reply) {
      checksum += reply.offset() + reply.data().size();
      if (!turnTime) turnTime = Clock::now();
      send(trips.received(1, *turnTime));
    });
    send(trips.start());
    while (!trips.done()) {
      if (loop == Loop::busyPolling) {
        wirekit::runOneBusyPolling(io);
      } else {
        io.run_one();
      }
      turnTime.reset();
    }
    if (checksum == 0) throw std::logic_error("no reply was decoded");
    messages->destroy();
    io.poll();
    return std::move(trips).result(name, size);
  });
}

// --- the journal: one frame and an fdatasync per request ---

class JournalFile {
 public:
  explicit JournalFile(const std::string& dir)
      : path_(dir + "/wirekit-bench-journal-" + std::to_string(::getpid())) {}
  JournalFile(const JournalFile&) = delete;
  JournalFile& operator=(const JournalFile&) = delete;
  ~JournalFile() { ::unlink(path_.c_str()); }
  [[nodiscard]] const std::string& path() const noexcept { return path_; }

 private:
  std::string path_;
};

void dataSync(int fd) {
  if (::fdatasync(fd) != 0) streams::throwErrno("fdatasync");
}

Result journalRaw(std::size_t size, const Config& config) {
  const JournalFile file(config.journalDir);
  const streams::FileDescriptor fd(::open(file.path().c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600));
  if (fd.get() < 0) streams::throwErrno("open " + file.path());
  const std::vector<std::byte> frame = blobFrame(size);
  RoundTrips writes(std::min<std::size_t>(config.warmup, 10), config.journalWrites, 1);
  for (std::size_t next = writes.start(); next > 0; next = writes.received(1)) {
    streams::writeAll(fd.get(), frame.data(), frame.size());
    dataSync(fd.get());
  }
  return std::move(writes).result("journal_raw", size);
}

Result journalWirekit(std::size_t size, const Config& config) {
  const JournalFile file(config.journalDir);
  asio::io_context io;
  const auto stream = wirekit::createWriteStream(io, file.path());
  const auto messages = std::make_shared<Messages>(nullptr, stream);
  const std::vector<std::byte> payload(size - frameOverhead, std::byte{7});
  // fdatasync(2) syncs the file, whichever descriptor names it; FileWriteStream
  // opens its own on the first write.
  streams::FileDescriptor sync;
  RoundTrips writes(std::min<std::size_t>(config.warmup, 10), config.journalWrites, 1);
  std::uint64_t offset = 0;
  for (std::size_t next = writes.start(); next > 0; next = writes.received(1)) {
    messages->send<bench::Blob>(
        [&](bench::Blob::Encoder& blob) { blob.offset(offset).data(payload); });
    ++offset;
    messages->flush();
    // The loop stops whenever it runs out of work, as between two requests.
    io.restart();
    while (stream->writableLength() > 0)
      io.run_one();
    if (sync.get() < 0) {
      sync = streams::FileDescriptor(::open(file.path().c_str(), O_WRONLY));
      if (sync.get() < 0) streams::throwErrno("open " + file.path());
    }
    dataSync(sync.get());
  }
  messages->end();
  io.restart();
  io.run();
  return std::move(writes).result("journal_wirekit", size);
}

// --- the report ---

struct Summary {
  std::int64_t min = 0, p50 = 0, p90 = 0, p99 = 0, p999 = 0, max = 0;
  double mean = 0;
  double perSecond = 0;
};

Summary summarise(Result& result) {
  std::vector<std::int64_t>& samples = result.samples;
  std::sort(samples.begin(), samples.end());
  Summary summary;
  if (samples.empty()) return summary;
  const auto at = [&](double quantile) {
    const auto index = static_cast<std::size_t>(quantile * static_cast<double>(samples.size() - 1));
    return samples[index];
  };
  summary.min = samples.front();
  summary.p50 = at(0.5);
  summary.p90 = at(0.9);
  summary.p99 = at(0.99);
  summary.p999 = at(0.999);
  summary.max = samples.back();
  double sum = 0;
  for (const std::int64_t sample : samples)
    sum += static_cast<double>(sample);
  summary.mean = sum / static_cast<double>(samples.size());
  if (result.seconds > 0) summary.perSecond = static_cast<double>(samples.size()) / result.seconds;
  return summary;
}

// The histogram: counts below 1, 2 and 5 × 10^k ns, up to the largest sample.
std::string histogramJson(const std::vector<std::int64_t>& sorted) {
  std::string out = "[";
  std::size_t counted = 0;
  for (std::int64_t decade = 1000; counted < sorted.size(); decade *= 10) {
    for (const std::int64_t step : {1, 2, 5}) {
      const std::int64_t bound = decade * step;
      const auto end = std::lower_bound(sorted.begin(), sorted.end(), bound);
      const auto below = static_cast<std::size_t>(end - sorted.begin());
      if (below > counted) {
        out += fmt::format("{}[{}, {}]", out.size() > 1 ? ", " : "", bound, below - counted);
        counted = below;
      }
    }
  }
  return out + "]";
}

double micros(std::int64_t ns) {
  return static_cast<double>(ns) / 1000.0;
}

void printTable(std::vector<Result>& results) {
  std::printf("%-16s %6s %3s %8s %9s %9s %9s %9s %9s %12s\n", "contender", "bytes", "K", "trips",
              "p50 us", "p90 us", "p99 us", "p99.9 us", "max us", "msgs/s");
  for (Result& result : results) {
    const Summary s = summarise(result);
    std::printf("%-16s %6zu %3zu %8zu %9.1f %9.1f %9.1f %9.1f %9.1f %12.0f\n",
                result.contender.c_str(), result.size, result.inFlight, result.samples.size(),
                micros(s.p50), micros(s.p90), micros(s.p99), micros(s.p999), micros(s.max),
                s.perSecond);
  }
}

void printJson(std::vector<Result>& results, const Config& config) {
  std::printf("{\"benchmark\": \"latency\", \"cpus\": %u, \"warmup\": %zu, \"runs\": [",
              std::thread::hardware_concurrency(), config.warmup);
  bool first = true;
  for (Result& result : results) {
    const Summary s = summarise(result);
    std::printf(
        "%s\n  {\"contender\": \"%s\", \"size\": %zu, \"in_flight\": %zu, \"round_trips\": %zu, "
        "\"min_ns\": %lld, \"p50_ns\": %lld, \"p90_ns\": %lld, \"p99_ns\": %lld, "
        "\"p999_ns\": %lld, \"max_ns\": %lld, \"mean_ns\": %.0f, \"messages_per_second\": %.0f, "
        "\"histogram\": %s}",
        first ? "" : ",", result.contender.c_str(), result.size, result.inFlight,
        result.samples.size(), static_cast<long long>(s.min), static_cast<long long>(s.p50),
        static_cast<long long>(s.p90), static_cast<long long>(s.p99),
        static_cast<long long>(s.p999), static_cast<long long>(s.max), s.mean, s.perSecond,
        histogramJson(result.samples).c_str());
    first = false;
  }
  std::printf("\n], \"skipped\": {");
  first = true;
  for (const auto& [contender, reason] : config.skipped) {
    std::printf("%s\"%s\": \"%s\"", first ? "" : ", ", contender.c_str(), reason.c_str());
    first = false;
  }
  std::printf("}}\n");
}

// --- the command line ---

[[noreturn]] void usage(const std::string& problem) {
  std::fprintf(stderr,
               "wirekit_bench_latency: %s\n"
               "usage: wirekit_bench_latency [--json] [--contenders a,b,...] [--sizes 64,512,...]\n"
               "         [--in-flight 1,8,64] [--round-trips N] [--warmup N]\n"
               "         [--turns N] [--no-pin] [--journal-writes N (0: no journal)]\n"
               "         [--journal-dir DIR] [--node-peer js/dist/bench/latency_peer.js]\n"
               "contenders: raw_blocking raw_asio wirekit wirekit_busy_poll wirekit_tls node\n",
               problem.c_str());
  std::exit(2);
}

std::size_t number(std::string_view option, std::string_view text) {
  std::size_t value = 0;
  std::size_t used = 0;
  try {
    value = std::stoul(std::string(text), &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size()) {
    usage(fmt::format("{} wants a number, not '{}'", option, text));
  }
  return value;
}

std::vector<std::string> words(std::string_view text) {
  std::vector<std::string> out;
  for (std::size_t start = 0; start <= text.size();) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    out.emplace_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

Config parse(int argc, char** argv) {
  Config config;
  for (int i = 1; i < argc; ++i) {
    const std::string_view option = argv[i];
    if (option == "--json" || option == "--no-pin") {
      (option == "--json" ? config.json : config.pin) = option == "--json";
      continue;
    }
    if (i + 1 >= argc) usage(fmt::format("unknown option or missing value: {}", option));
    const std::string_view value = argv[++i];
    const auto numbers = [&] {
      std::vector<std::size_t> out;
      for (const std::string& word : words(value))
        out.push_back(number(option, word));
      return out;
    };
    if (option == "--contenders") {
      config.contenders = words(value);
      for (const std::string& name : config.contenders) {
        if (name != "raw_blocking" && name != "raw_asio" && name != "wirekit" &&
            name != "wirekit_busy_poll" && name != "wirekit_tls" && name != "node") {
          usage(fmt::format("unknown contender '{}'", name));
        }
      }
    } else if (option == "--sizes") {
      config.sizes = numbers();
      for (const std::size_t size : config.sizes) {
        if (size < frameOverhead || size > std::size_t{1} << 20) {
          usage(fmt::format("a frame is {} to {} bytes, not {}", frameOverhead, 1 << 20, size));
        }
      }
    } else if (option == "--in-flight") {
      config.inFlight = numbers();
      for (const std::size_t k : config.inFlight) {
        if (k == 0 || k > 1024) usage("--in-flight is 1 to 1024");
      }
    } else if (option == "--round-trips") {
      config.roundTrips = number(option, value);
      if (config.roundTrips == 0) usage("--round-trips must be at least 1");
    } else if (option == "--turns") {
      config.turns = number(option, value);
      if (config.turns == 0) usage("--turns must be at least 1");
    } else if (option == "--warmup") {
      config.warmup = number(option, value);
    } else if (option == "--journal-writes") {
      config.journalWrites = number(option, value);
    } else if (option == "--journal-dir") {
      config.journalDir = value;
    } else if (option == "--node-peer") {
      config.nodePeer = value;
    } else {
      usage(fmt::format("unknown option {}", option));
    }
  }
  return config;
}

Result runOne(const std::string& contender, std::size_t size, std::size_t inFlight,
              const Config& config) {
  if (contender == "raw_blocking") return rawBlocking(size, inFlight, config);
  if (contender == "raw_asio") return rawAsio(size, inFlight, config);
  if (contender == "wirekit") {
    return wirekitMessages(size, inFlight, config, Transport::tcp, Loop::sleeping, "wirekit");
  }
  if (contender == "wirekit_busy_poll") {
    return wirekitMessages(size, inFlight, config, Transport::tcp, Loop::busyPolling,
                           "wirekit_busy_poll");
  }
  if (contender == "node") return nodePeer(size, inFlight, config);
  return wirekitMessages(size, inFlight, config, Transport::tls, Loop::sleeping, "wirekit_tls");
}

// Adds one turn's result as results[index], or to it.
void addTurn(std::vector<Result>& results, std::size_t index, Result one) {
  if (index == results.size()) {
    results.push_back(std::move(one));
    return;
  }
  Result& all = results[index];
  all.samples.insert(all.samples.end(), one.samples.begin(), one.samples.end());
  all.seconds += one.seconds;
}

// Why the node contender cannot run here, or nothing when it can.
std::optional<std::string> nodeMissing(const Config& config) {
  if (config.nodePeer.empty()) {
    return "no --node-peer script (js/dist/bench/latency_peer.js: `npm ci && npm run build` in "
           "js/)";
  }
  if (::access(config.nodePeer.c_str(), R_OK) != 0) {
    return fmt::format("{} does not exist (`npm ci && npm run build` in js/)", config.nodePeer);
  }
  const char* path = std::getenv("PATH");
  for (std::string_view dirs = path == nullptr ? "" : path; !dirs.empty();) {
    const std::size_t colon = std::min(dirs.find(':'), dirs.size());
    if (::access(fmt::format("{}/node", dirs.substr(0, colon)).c_str(), X_OK) == 0) {
      return std::nullopt;
    }
    dirs.remove_prefix(std::min(colon + 1, dirs.size()));
  }
  return std::string("no node on the PATH");
}

// Leaves contender out of the run, saying why (on stderr, and in the JSON).
void skip(Config& config, std::string_view contender, const std::string& why) {
  const auto found = std::find(config.contenders.begin(), config.contenders.end(), contender);
  if (found == config.contenders.end()) return;
  config.contenders.erase(found);
  config.skipped.push_back({std::string(contender), why});
  std::fprintf(stderr, "wirekit_bench_latency: %.*s contender skipped: %s\n",
               static_cast<int>(contender.size()), contender.data(), why.c_str());
}

int run(int argc, char** argv) {
  Config config = parse(argc, argv);
  pinning = config.pin;
  if (const std::optional<std::string> missing = nodeMissing(config)) {
    skip(config, "node", *missing);
  }
  // Two polling loops on one CPU wait for each other's time slices: a round
  // trip would take milliseconds, which measures the scheduler.
  if (!cpuOf(1)) {
    skip(config, "wirekit_busy_poll",
         "busy polling needs the two loops on two CPUs of their own (pinned: no --no-pin, "
         "and more than one CPU)");
  }
  // Each turn: a new connection, a warm-up and its share of the round trips.
  Config turn = config;
  turn.roundTrips = std::max<std::size_t>(1, config.roundTrips / config.turns);
  turn.warmup = config.warmup / config.turns;
  std::vector<Result> results;
  for (const std::size_t inFlight : config.inFlight) {
    for (const std::size_t size : config.sizes) {
      if (inFlight > 1 && size > maxPipelinedFrame) continue;
      const std::size_t first = results.size();
      for (std::size_t i = 0; i < config.turns; ++i) {
        for (std::size_t c = 0; c < config.contenders.size(); ++c) {
          addTurn(results, first + c, runOne(config.contenders[c], size, inFlight, turn));
        }
      }
      if (!config.json) std::fprintf(stderr, "  %zu B, K=%zu done\n", size, inFlight);
    }
  }
  if (config.journalWrites > 0) {
    turn.journalWrites = std::max<std::size_t>(1, config.journalWrites / config.turns);
    for (const std::size_t size : config.sizes) {
      if (size > maxPipelinedFrame) continue;
      const std::size_t first = results.size();
      for (std::size_t i = 0; i < config.turns; ++i) {
        addTurn(results, first, journalRaw(size, turn));
        addTurn(results, first + 1, journalWirekit(size, turn));
      }
    }
  }
  if (config.json) {
    printJson(results, config);
  } else {
    printTable(results);
  }
  return 0;
}

}  // namespace
}  // namespace bench::latency

int main(int argc, char** argv) {
  try {
    return bench::latency::run(argc, argv);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "wirekit_bench_latency: %s\n", error.what());
    return 1;
  }
}
