// SPDX-License-Identifier: Apache-2.0
#pragma once
// TcpSocket: Node's net.Socket on asio::ip::tcp, a Duplex of bytes. Its
// readable side gives what the peer sends, its writable side sends; end()
// half-closes (shuts down sending after everything written has gone out),
// the peer's half-close ends the readable side ('end'), and, as in Node,
// allowHalfOpen is false by default: the end of the readable side ends the
// writable side too. A reset, a refused or timed-out connect, or a write to a
// closed peer destroys the socket with a ConnectionError naming the peer.
//
//   auto socket = connect(io, "127.0.0.1", 7000, [&] { ... });   // 'connect'
//   socket->on(events::data, [](const Buffer& chunk) { ... });
//   socket->write(Buffer::from("hello"));
//   socket->end();
//
// Reading: one read at a time, into a 64 KiB block (detail::ReadBlock); each
// read's bytes are pushed as a subarray of the block (no copy). When push()
// returns false (the readable side holds its highWaterMark) reading stops
// until the consumer wants more: a slow consumer holds the sender back
// through TCP's own flow control.
//
// Writing: chunks go to the kernel with sendmsg(2), many at once (up to
// IOV_MAX chunks a call; Asio's own writes stop at 64). A write completes no
// earlier than the next turn of the event loop, so everything written in the
// same turn after the first chunk queues in the writable side and goes out in
// one call: a burst of small frames costs two system calls, not one each,
// without cork(). (Node's net.Socket writes each chunk on its own unless
// corked.) cork()/uncork() still work, and put the first chunk in the batch too.
//
// Timeouts: setTimeout() is Node's: after that long without a byte read or
// written the socket emits 'timeout' and nothing else (end or destroy it; a
// TcpServer destroys its connections on it unless told not to). The write
// timeout is not Node's: a write that the peer leaves waiting (it does not
// read, the kernel takes none of our bytes) for writeTimeout destroys the
// socket with ETIMEDOUT. Both read the clock once per read or send, and keep
// one timer each, re-armed only when it fires.
//
// Lifetime: a TcpSocket is a stream (std::shared_ptr, see stream.hpp). A read
// or write in flight keeps it alive; a socket that is idle and paused is kept
// by its owner (a TcpServer keeps its connections until they close). All its
// calls and events happen on the thread running its io_context.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>

#include "wirekit/bytes/buffer.hpp"
#include "wirekit/export.hpp"
#include "wirekit/stream/duplex.hpp"
#include "wirekit/stream/event_emitter.hpp"
#include "wirekit/transport/detail/read_block.hpp"
#include "wirekit/transport/detail/scatter_list.hpp"

namespace wirekit {

namespace events {
// 'connect': the connection is established; reads and writes start.
WIREKIT_EXPORT inline constexpr Event<> connect{"connect"};
// 'timeout': nothing was read or written for setTimeout()'s time. As in Node,
// the socket stays open: end() or destroy() it. Emitted once per idle spell.
WIREKIT_EXPORT inline constexpr Event<> timeout{"timeout"};
}  // namespace events

// How long a write may wait on a peer that reads none of it: 60 s, nginx's
// send_timeout. A peer that stops reading would otherwise hold the socket,
// and everything queued for it, for ever.
inline constexpr std::chrono::milliseconds defaultWriteTimeout{60'000};

// The read size Node (libuv) uses: 64 KiB.
inline constexpr std::size_t defaultReadSize = std::size_t{64} * 1024;
// Bytes queued on the writable side before write() returns false: 64 KiB
// (Node 22's default; Node 20's is 16 KiB). What is queued goes to the kernel
// in one sendmsg(2), so this is also the most one call carries: at 16 KiB a
// MessageStream sending 16 KiB messages made a system call and an event-loop
// turn per message, which in a VM where a system call costs microseconds
// halved the throughput.
inline constexpr std::size_t defaultSocketWritableHighWaterMark = std::size_t{64} * 1024;

struct TcpSocketOptions {
  // As Node's net.Socket: the writable side ends when the readable side does.
  bool allowHalfOpen = false;
  // TCP_NODELAY. On by default (Node's is off): the socket batches small
  // writes itself, and Nagle's algorithm would only delay the last frame of a
  // burst.
  bool noDelay = true;
  // SO_KEEPALIVE, and its probes: the idle time before the first (Node's
  // keepAliveInitialDelay, TCP_KEEPIDLE), the time between them
  // (TCP_KEEPINTVL) and how many go unanswered before the connection is
  // dropped (TCP_KEEPCNT). 0: the system's (Linux: 2 hours, 75 s, 9), which
  // notices a vanished peer only after more than 2 hours.
  bool keepAlive = false;
  std::chrono::milliseconds keepAliveInitialDelay{0};
  std::chrono::milliseconds keepAliveInterval{0};
  int keepAliveCount = 0;
  // Node's `timeout` option: setTimeout(*timeout) once connected. None by
  // default, as in Node.
  std::optional<std::chrono::milliseconds> timeout{};
  // Destroy the socket with ETIMEDOUT when a write has waited this long
  // without the kernel taking a byte of it (the peer does not read). None
  // turns it off.
  std::optional<std::chrono::milliseconds> writeTimeout = defaultWriteTimeout;
  // SO_RCVBUF and SO_SNDBUF (the names of Node's dgram options). None: the
  // system's, which Linux grows as a connection needs (setting one stops that).
  std::optional<int> recvBufferSize{};
  std::optional<int> sendBufferSize{};
  // SO_LINGER: none is the system's (close() returns at once and the kernel
  // still sends what is queued); a time makes close() wait that long for it;
  // 0 s makes close() reset the connection (what resetAndDestroy() does).
  std::optional<std::chrono::seconds> linger{};
  // TCP_USER_TIMEOUT (Linux): how long sent bytes may go unacknowledged before
  // the kernel drops the connection (ETIMEDOUT). None: the system's, about 15
  // minutes of retransmissions to a peer that has vanished.
  std::optional<std::chrono::milliseconds> userTimeout{};
  // Node 20's default (16 KiB) when not given.
  std::optional<std::size_t> readableHighWaterMark{};
  std::size_t writableHighWaterMark = defaultSocketWritableHighWaterMark;
  // The most one read takes: the size of the blocks reads go into.
  std::size_t readSize = defaultReadSize;
};

// Where to connect, and how long to try.
struct ConnectOptions {
  // A name (resolved, each address tried in turn) or a numeric address.
  std::string host = "localhost";
  std::uint16_t port = 0;
  // Give up, with a ConnectionError ETIMEDOUT, if the connection is not made
  // in this time (name resolution included). Not Node's `timeout` option,
  // which is an idle timeout and destroys nothing.
  std::optional<std::chrono::milliseconds> timeout{};
};

// Node's socket.address(): { address, family, port }.
struct SocketAddress {
  std::string address;
  // "IPv4" or "IPv6".
  std::string family;
  std::uint16_t port = 0;
};

// The SocketAddress of an Asio endpoint.
[[nodiscard]] WIREKIT_EXPORT SocketAddress toSocketAddress(const asio::ip::tcp::endpoint& endpoint);

namespace detail {
// The Duplex options of a socket's options (TlsSocket's too).
[[nodiscard]] DuplexOptions duplexOptionsOf(const TcpSocketOptions& options);
}  // namespace detail

class WIREKIT_EXPORT TcpSocket : public Duplex {
 public:
  // A socket to connect().
  explicit TcpSocket(asio::io_context& context, TcpSocketOptions options = {});
  // A socket over a connected asio socket (a TcpServer's connections); it
  // starts reading when it is first read or at the first startReading().
  TcpSocket(asio::io_context& context, asio::ip::tcp::socket socket, TcpSocketOptions options = {});

  // socket.connect(port, host, listener): opens the connection; listener is
  // added once to 'connect'. Writes made before then wait for it. Failure
  // destroys the socket with a ConnectionError ("connect ECONNREFUSED
  // 127.0.0.1:7000: connection refused"). TypeError if the socket is already
  // connecting or connected.
  void connect(const ConnectOptions& options, std::function<void()> connectListener = {});
  void connect(const std::string& host, std::uint16_t port,
               std::function<void()> connectListener = {}) {
    connect(ConnectOptions{.host = host, .port = port}, std::move(connectListener));
  }

  // Starts reading before anything consumes the socket, as Node does, so that
  // the peer's end or a reset is seen (data waits, up to highWaterMark).
  // connect() and TcpServer do it; call it on a socket made from an asio
  // socket of your own.
  void startReading();

  // socket.setNoDelay(noDelay) and socket.setKeepAlive(enable, initialDelay)
  // (initialDelay 0 keeps the one set before): applied once the connection
  // exists.
  void setNoDelay(bool noDelay = true);
  void setKeepAlive(bool enable = true,
                    std::chrono::milliseconds initialDelay = std::chrono::milliseconds{0});

  // socket.setTimeout(timeout, listener): emit 'timeout' after timeout
  // without a byte read or written; 0 turns it off. listener is added once
  // to 'timeout'. socket.timeout: the time set (0: none).
  void setTimeout(std::chrono::milliseconds timeout, std::function<void()> timeoutListener = {});
  [[nodiscard]] std::chrono::milliseconds timeout() const noexcept { return timeout_; }

  // SO_RCVBUF / SO_SNDBUF now (Node's dgram get/setRecvBufferSize and
  // get/setSendBufferSize); Linux reports twice what was set (its bookkeeping).
  // 0 before the connection exists.
  void setRecvBufferSize(int size);
  void setSendBufferSize(int size);
  [[nodiscard]] int getRecvBufferSize();
  [[nodiscard]] int getSendBufferSize();

  // The socket's descriptor (-1 before connect), for options wirekit does
  // not wrap; the std and Asio name. Reading or writing it behind the
  // socket's back breaks the stream.
  [[nodiscard]] int native_handle() noexcept { return socket_.native_handle(); }

  // socket.resetAndDestroy(): closes the connection with a TCP RST (the peer
  // sees ECONNRESET) instead of a FIN, then destroys the socket.
  void resetAndDestroy();

  // socket.connecting / socket.pending: connect() was called and the
  // connection is not made yet / the socket is not connected (yet).
  [[nodiscard]] bool connecting() const noexcept { return state_ == State::connecting; }
  [[nodiscard]] bool pending() const noexcept { return state_ != State::open; }

  // The peer's and the local end, known once connected (empty before).
  [[nodiscard]] const std::string& remoteAddress() const noexcept { return remote_.address; }
  [[nodiscard]] const std::string& remoteFamily() const noexcept { return remote_.family; }
  [[nodiscard]] std::uint16_t remotePort() const noexcept { return remote_.port; }
  [[nodiscard]] const SocketAddress& address() const noexcept { return local_; }
  [[nodiscard]] const std::string& localAddress() const noexcept { return local_.address; }
  [[nodiscard]] std::uint16_t localPort() const noexcept { return local_.port; }

  // Bytes received. Bytes the kernel has accepted to send (Node's bytesWritten
  // also counts bytes still queued in the writable side; writableLength() has
  // those). The number of send system calls made: the measure of batching.
  [[nodiscard]] std::uint64_t bytesRead() const noexcept { return bytesRead_; }
  [[nodiscard]] std::uint64_t bytesWritten() const noexcept { return bytesWritten_; }
  [[nodiscard]] std::uint64_t writeCalls() const noexcept { return writeCalls_; }

 protected:
  void _read(std::size_t size) override;
  void _writev(std::span<const Buffer> chunks, WriteCallback callback) override;
  [[nodiscard]] bool _hasWritev() const noexcept override { return true; }
  void _final(Callback callback) override;
  void _destroy(std::exception_ptr error, Callback callback) override;

 private:
  enum class State { idle, connecting, open, closed };

  [[nodiscard]] std::shared_ptr<TcpSocket> self();
  void connectTo(const std::vector<asio::ip::tcp::endpoint>& endpoints);
  void onConnected();
  void failConnect(std::error_code code, const char* syscall);
  void applySocketOptions();
  void applyKeepAlive();
  // A read or a send moved bytes: the idle time starts again.
  void touch();
  // Arms timer (made on first use) to call fired at at; armed says it is.
  void armTimer(std::unique_ptr<asio::steady_timer>& timer, bool& armed,
                std::chrono::steady_clock::time_point at, void (TcpSocket::*fired)());
  void onIdleTimer();
  void onWriteTimer();
  void readMore();
  void onRead(std::error_code code, std::size_t length);
  void sendQueued(bool inline_);
  void waitWritable();
  void completeWrite(std::exception_ptr error, bool inline_);
  [[nodiscard]] std::exception_ptr peerError(const std::string& syscall,
                                             std::error_code code) const;

  asio::ip::tcp::socket socket_;
  TcpSocketOptions options_;
  State state_ = State::idle;
  SocketAddress remote_;
  SocketAddress local_;
  // connect(): the target (for messages before there is a peer), the name
  // resolution in progress and the timeout.
  ConnectOptions target_;
  std::unique_ptr<asio::ip::tcp::resolver> resolver_;
  std::unique_ptr<asio::steady_timer> connectTimer_;
  bool connectTimedOut_ = false;

  detail::ReadBlock readBlock_;
  bool reading_ = false;

  // The write in progress: the chunks' bytes left to send, and its callback.
  detail::ScatterList sendList_;
  std::optional<WriteCallback> writeCallback_;
  // _final called while connecting: shut down once connected.
  Callback pendingFinal_;

  std::uint64_t bytesRead_ = 0;
  std::uint64_t bytesWritten_ = 0;
  std::uint64_t writeCalls_ = 0;

  // setTimeout(): the idle time (0: none), when bytes last moved, and the
  // timer that checks it, armed until it reports an idle spell.
  std::chrono::milliseconds timeout_{0};
  std::chrono::steady_clock::time_point lastActive_{};
  std::unique_ptr<asio::steady_timer> idleTimer_;
  bool idleArmed_ = false;
  // The write timeout: when the write in progress started or last moved
  // bytes, and the timer, armed while a write waits for the peer.
  std::chrono::steady_clock::time_point writeProgress_{};
  std::unique_ptr<asio::steady_timer> writeTimer_;
  bool writeTimerArmed_ = false;
};

// net.connect(options, listener): a new TcpSocket, connecting.
[[nodiscard]] WIREKIT_EXPORT std::shared_ptr<TcpSocket> connect(
    asio::io_context& context, const ConnectOptions& options,
    std::function<void()> connectListener = {}, TcpSocketOptions socketOptions = {});
// net.connect(port, host, listener), host first as Asio has it.
[[nodiscard]] WIREKIT_EXPORT std::shared_ptr<TcpSocket> connect(
    asio::io_context& context, const std::string& host, std::uint16_t port,
    std::function<void()> connectListener = {});

}  // namespace wirekit
