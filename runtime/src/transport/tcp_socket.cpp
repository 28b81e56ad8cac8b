// SPDX-License-Identifier: Apache-2.0
#include "wirekit/transport/tcp_socket.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <string>
#include <utility>

#include <asio/connect.hpp>
#include <asio/post.hpp>

#include "system_errors.hpp"
#include "wirekit/error.hpp"

namespace wirekit {

namespace {

// setsockopt for the options Asio does not name; a failure (a peer already
// gone, an option the system lacks) leaves the system's value, as Node does.
void setIntOption(int descriptor, int level, int name, int value) {
  static_cast<void>(::setsockopt(descriptor, level, name, &value, sizeof value));
}

int getIntOption(int descriptor, int level, int name) {
  int value = 0;
  socklen_t length = sizeof value;
  if (::getsockopt(descriptor, level, name, &value, &length) != 0) return 0;
  return value;
}

// Whole seconds, at least 1: keepalive times are set in seconds.
int keepAliveSeconds(std::chrono::milliseconds time) {
  return static_cast<int>(std::max<std::chrono::seconds::rep>(
      1, std::chrono::ceil<std::chrono::seconds>(time).count()));
}

}  // namespace

DuplexOptions detail::duplexOptionsOf(const TcpSocketOptions& options) {
  return DuplexOptions{
      .readableHighWaterMark = options.readableHighWaterMark,
      .writableHighWaterMark = options.writableHighWaterMark,
      .allowHalfOpen = options.allowHalfOpen,
  };
}

SocketAddress toSocketAddress(const asio::ip::tcp::endpoint& endpoint) {
  return SocketAddress{
      .address = endpoint.address().to_string(),
      .family = endpoint.address().is_v6() ? "IPv6" : "IPv4",
      .port = endpoint.port(),
  };
}

TcpSocket::TcpSocket(asio::io_context& context, TcpSocketOptions options)
    : Duplex(context, detail::duplexOptionsOf(options)),
      socket_(context),
      options_(options),
      readBlock_(options.readSize) {}

TcpSocket::TcpSocket(asio::io_context& context, asio::ip::tcp::socket socket,
                     TcpSocketOptions options)
    : Duplex(context, detail::duplexOptionsOf(options)),
      socket_(std::move(socket)),
      options_(options),
      readBlock_(options.readSize) {
  state_ = State::open;
  applySocketOptions();
}

std::shared_ptr<TcpSocket> TcpSocket::self() {
  return {keepAlive(), this};
}

// --- Connecting ---

void TcpSocket::connect(const ConnectOptions& options, std::function<void()> connectListener) {
  if (state_ != State::idle) {
    throw TypeError("TcpSocket::connect: the socket is already connecting, connected or closed");
  }
  state_ = State::connecting;
  target_ = options;
  if (connectListener) once(events::connect, std::move(connectListener));
  if (options.timeout) {
    connectTimer_ = std::make_unique<asio::steady_timer>(context(), *options.timeout);
    connectTimer_->async_wait([self = self()](std::error_code code) {
      if (code || self->state_ != State::connecting) return;
      // Cancelling the resolution or the connect makes its handler fail the
      // connection, with ETIMEDOUT.
      self->connectTimedOut_ = true;
      if (self->resolver_) self->resolver_->cancel();
      std::error_code ignored;
      self->socket_.close(ignored);
    });
  }
  std::error_code notNumeric;
  const asio::ip::address address = asio::ip::make_address(options.host, notNumeric);
  if (!notNumeric) {
    connectTo({asio::ip::tcp::endpoint(address, options.port)});
    return;
  }
  resolver_ = std::make_unique<asio::ip::tcp::resolver>(context());
  resolver_->async_resolve(
      options.host, std::to_string(options.port),
      [self = self()](std::error_code code, const asio::ip::tcp::resolver::results_type& results) {
        if (self->destroyed()) return;
        if (code) {
          self->failConnect(code, "getaddrinfo");
          return;
        }
        std::vector<asio::ip::tcp::endpoint> endpoints;
        for (const auto& entry : results)
          endpoints.push_back(entry.endpoint());
        self->connectTo(endpoints);
      });
}

void TcpSocket::connectTo(const std::vector<asio::ip::tcp::endpoint>& endpoints) {
  // Tries each address in turn, as Node does for a name with several.
  asio::async_connect(socket_, endpoints,
                      [self = self()](std::error_code code, const asio::ip::tcp::endpoint&) {
                        if (self->destroyed()) return;
                        if (code) {
                          self->failConnect(code, "connect");
                        } else {
                          self->onConnected();
                        }
                      });
}

void TcpSocket::failConnect(std::error_code code, const char* syscall) {
  if (connectTimedOut_) code = std::make_error_code(std::errc::timed_out);
  destroy(peerError(syscall, code));
}

void TcpSocket::onConnected() {
  state_ = State::open;
  if (connectTimer_) connectTimer_->cancel();
  resolver_.reset();
  applySocketOptions();
  emit(events::connect);
  if (destroyed()) return;
  // What waited for the connection: a write, the end of writing, reading.
  if (writeCallback_) sendQueued(false);
  if (pendingFinal_) _final(std::exchange(pendingFinal_, nullptr));
  startReading();
}

void TcpSocket::applySocketOptions() {
  std::error_code ignored;
  // sendQueued() calls sendmsg itself and must never block.
  socket_.non_blocking(true, ignored);
  socket_.set_option(asio::ip::tcp::no_delay(options_.noDelay), ignored);
  if (options_.keepAlive) applyKeepAlive();
  if (options_.recvBufferSize) setRecvBufferSize(*options_.recvBufferSize);
  if (options_.sendBufferSize) setSendBufferSize(*options_.sendBufferSize);
  if (options_.linger) {
    socket_.set_option(asio::socket_base::linger(true, static_cast<int>(options_.linger->count())),
                       ignored);
  }
#ifdef TCP_USER_TIMEOUT
  if (options_.userTimeout) {
    setIntOption(socket_.native_handle(), IPPROTO_TCP, TCP_USER_TIMEOUT,
                 static_cast<int>(options_.userTimeout->count()));
  }
#endif
  std::error_code unknown;
  const asio::ip::tcp::endpoint remote = socket_.remote_endpoint(unknown);
  if (!unknown) remote_ = toSocketAddress(remote);
  const asio::ip::tcp::endpoint local = socket_.local_endpoint(unknown);
  if (!unknown) local_ = toSocketAddress(local);
}

void TcpSocket::setNoDelay(bool noDelay) {
  options_.noDelay = noDelay;
  std::error_code ignored;
  if (state_ == State::open) socket_.set_option(asio::ip::tcp::no_delay(noDelay), ignored);
}

void TcpSocket::setKeepAlive(bool enable, std::chrono::milliseconds initialDelay) {
  options_.keepAlive = enable;
  if (initialDelay.count() > 0) options_.keepAliveInitialDelay = initialDelay;
  if (state_ == State::open) applyKeepAlive();
}

void TcpSocket::applyKeepAlive() {
  std::error_code ignored;
  socket_.set_option(asio::socket_base::keep_alive(options_.keepAlive), ignored);
  if (!options_.keepAlive) return;
  const int descriptor = socket_.native_handle();
  if (options_.keepAliveInitialDelay.count() > 0) {
    setIntOption(descriptor, IPPROTO_TCP, TCP_KEEPIDLE,
                 keepAliveSeconds(options_.keepAliveInitialDelay));
  }
  if (options_.keepAliveInterval.count() > 0) {
    setIntOption(descriptor, IPPROTO_TCP, TCP_KEEPINTVL,
                 keepAliveSeconds(options_.keepAliveInterval));
  }
  if (options_.keepAliveCount > 0) {
    setIntOption(descriptor, IPPROTO_TCP, TCP_KEEPCNT, options_.keepAliveCount);
  }
}

void TcpSocket::setRecvBufferSize(int size) {
  options_.recvBufferSize = size;
  if (state_ == State::open) setIntOption(socket_.native_handle(), SOL_SOCKET, SO_RCVBUF, size);
}

void TcpSocket::setSendBufferSize(int size) {
  options_.sendBufferSize = size;
  if (state_ == State::open) setIntOption(socket_.native_handle(), SOL_SOCKET, SO_SNDBUF, size);
}

int TcpSocket::getRecvBufferSize() {
  return state_ == State::open ? getIntOption(socket_.native_handle(), SOL_SOCKET, SO_RCVBUF) : 0;
}

int TcpSocket::getSendBufferSize() {
  return state_ == State::open ? getIntOption(socket_.native_handle(), SOL_SOCKET, SO_SNDBUF) : 0;
}

// --- Timeouts ---

void TcpSocket::setTimeout(std::chrono::milliseconds timeout,
                           std::function<void()> timeoutListener) {
  if (timeoutListener) once(events::timeout, std::move(timeoutListener));
  timeout_ = std::max(timeout, std::chrono::milliseconds{0});
  if (destroyed()) return;
  if (timeout_.count() == 0) {
    idleArmed_ = false;
    if (idleTimer_) idleTimer_->cancel();
    return;
  }
  lastActive_ = std::chrono::steady_clock::now();
  armTimer(idleTimer_, idleArmed_, lastActive_ + timeout_, &TcpSocket::onIdleTimer);
}

void TcpSocket::touch() {
  if (timeout_.count() == 0) return;
  // Only the time is noted: the timer, when it fires, waits for the rest.
  lastActive_ = std::chrono::steady_clock::now();
  if (!idleArmed_)
    armTimer(idleTimer_, idleArmed_, lastActive_ + timeout_, &TcpSocket::onIdleTimer);
}

void TcpSocket::armTimer(std::unique_ptr<asio::steady_timer>& timer, bool& armed,
                         std::chrono::steady_clock::time_point at, void (TcpSocket::*fired)()) {
  if (!timer) timer = std::make_unique<asio::steady_timer>(context());
  armed = true;
  timer->expires_at(at);
  // A timer does not keep the socket: one nobody holds goes, and its timers with it.
  timer->async_wait([weak = std::weak_ptr<TcpSocket>(self()), fired](std::error_code code) {
    const auto self = weak.lock();
    // Cancelled: re-armed (a wait of its own is pending), turned off or destroyed.
    if (!self || code) return;
    ((*self).*fired)();
  });
}

void TcpSocket::onIdleTimer() {
  if (destroyed() || timeout_.count() == 0) return;
  const auto due = lastActive_ + timeout_;
  if (std::chrono::steady_clock::now() < due) {
    armTimer(idleTimer_, idleArmed_, due, &TcpSocket::onIdleTimer);
    return;
  }
  // As Node: once per idle spell; the next byte read or written re-arms it.
  idleArmed_ = false;
  emit(events::timeout);
}

void TcpSocket::onWriteTimer() {
  writeTimerArmed_ = false;
  // No write waiting on the peer: waitWritable() arms it again if one does.
  if (destroyed() || !writeCallback_ || !options_.writeTimeout) return;
  const auto due = writeProgress_ + *options_.writeTimeout;
  if (std::chrono::steady_clock::now() < due) {
    armTimer(writeTimer_, writeTimerArmed_, due, &TcpSocket::onWriteTimer);
    return;
  }
  destroy(peerError("write", std::make_error_code(std::errc::timed_out)));
}

std::exception_ptr TcpSocket::peerError(const std::string& syscall, std::error_code code) const {
  if (remote_.address.empty()) {
    return detail::connectionError(syscall, code, target_.host, target_.port);
  }
  return detail::connectionError(syscall, code, remote_.address, remote_.port);
}

// --- Reading ---

void TcpSocket::startReading() {
  // The timeout option starts here, once connected: a constructor cannot arm
  // a timer that refers to the socket. Taken once, so that a later call does
  // not undo a setTimeout() of the owner's.
  if (options_.timeout) setTimeout(*std::exchange(options_.timeout, std::nullopt));
  // Not read(0): a _read made while connecting is pending in the readable
  // side, which will not call _read again before a push().
  readMore();
}

void TcpSocket::_read(std::size_t) {
  // Before the connection exists, onConnected() starts reading.
  readMore();
}

void TcpSocket::readMore() {
  if (reading_ || state_ != State::open || destroyed()) return;
  reading_ = true;
  if (!readBlock_.holdsBlock()) {
    // The first read waits for bytes before it takes a block: a connection
    // that never sends (thousands of idle ones) holds none.
    socket_.async_wait(asio::socket_base::wait_read, [self = self()](std::error_code code) {
      self->reading_ = false;
      if (self->destroyed()) return;
      if (code) {
        self->onRead(code, 0);
        return;
      }
      self->readBlock_.takeBlock();
      self->readMore();
    });
    return;
  }
  const std::span<std::byte> space = readBlock_.space();
  socket_.async_read_some(
      asio::buffer(space.data(), space.size()),
      [self = self()](std::error_code code, std::size_t length) { self->onRead(code, length); });
}

void TcpSocket::onRead(std::error_code code, std::size_t length) {
  reading_ = false;
  if (destroyed()) return;
  if (code == asio::error::eof) {
    push(std::nullopt);
    // 'end' comes even when nothing consumes the socket, as in Node.
    static_cast<void>(read(0));
    return;
  }
  if (code) {
    destroy(peerError("read", code));
    return;
  }
  bytesRead_ += length;
  touch();
  if (push(readBlock_.take(length))) readMore();
}

// --- Writing ---

void TcpSocket::_writev(std::span<const Buffer> chunks, WriteCallback callback) {
  if (state_ == State::idle) {
    callback(std::make_exception_ptr(
        StreamError("ERR_SOCKET_CLOSED", "write on a socket that is not connected")));
    return;
  }
  sendList_.assign(chunks);
  writeCallback_ = std::move(callback);
  if (options_.writeTimeout) writeProgress_ = std::chrono::steady_clock::now();
  // Before the connection exists, the write waits for onConnected().
  if (state_ == State::open) sendQueued(true);
}

void TcpSocket::sendQueued(bool inline_) {
  const int descriptor = socket_.native_handle();
  while (!sendList_.done()) {
    msghdr message{};
    message.msg_iov = sendList_.data();
    message.msg_iovlen = static_cast<std::size_t>(sendList_.count());
    const ssize_t sent = ::sendmsg(descriptor, &message, MSG_NOSIGNAL);
    ++writeCalls_;
    if (sent < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        waitWritable();
        return;
      }
      completeWrite(peerError("write", std::error_code(errno, std::system_category())), inline_);
      return;
    }
    bytesWritten_ += static_cast<std::uint64_t>(sent);
    sendList_.consume(static_cast<std::size_t>(sent));
    if (options_.writeTimeout) writeProgress_ = std::chrono::steady_clock::now();
    touch();
  }
  completeWrite(nullptr, inline_);
}

void TcpSocket::waitWritable() {
  if (options_.writeTimeout && !writeTimerArmed_)
    armTimer(writeTimer_, writeTimerArmed_, writeProgress_ + *options_.writeTimeout,
             &TcpSocket::onWriteTimer);
  socket_.async_wait(asio::socket_base::wait_write, [self = self()](std::error_code code) {
    if (self->destroyed()) {
      // As Node's onWriteComplete: a write cut short by destroy() completes,
      // so that the writable side settles (queued writes get their errors).
      self->completeWrite(nullptr, false);
    } else if (code) {
      self->completeWrite(self->peerError("write", code), false);
    } else {
      self->sendQueued(false);
    }
  });
}

void TcpSocket::completeWrite(std::exception_ptr error, bool inline_) {
  sendList_.clear();
  WriteCallback callback = std::move(*writeCallback_);
  writeCallback_.reset();
  if (inline_) {
    // The chunks are with the kernel, but the write completes on the next
    // turn of the loop: what is written until then queues behind it and goes
    // out in one sendmsg (automatic corking).
    asio::post(context(),
               [callback = std::move(callback), error = std::move(error)] { callback(error); });
  } else {
    callback(error);
  }
}

// --- Ending ---

void TcpSocket::_final(Callback callback) {
  if (state_ == State::connecting) {
    pendingFinal_ = std::move(callback);
    return;
  }
  if (state_ == State::open) {
    // Everything written is with the kernel: a FIN follows it. A peer that
    // has gone makes this fail; Node ignores that too.
    std::error_code ignored;
    socket_.shutdown(asio::socket_base::shutdown_send, ignored);
  }
  callback(nullptr);
}

void TcpSocket::resetAndDestroy() {
  if (state_ == State::open) {
    // SO_LINGER with a zero timeout: close() sends RST and drops unsent data.
    std::error_code ignored;
    socket_.set_option(asio::socket_base::linger(true, 0), ignored);
  }
  destroy();
}

void TcpSocket::_destroy(std::exception_ptr error, Callback callback) {
  if (state_ == State::connecting && writeCallback_) {
    // A write that waited for the connection, as Node's: it fails.
    completeWrite(
        std::make_exception_ptr(StreamError("ERR_SOCKET_CLOSED_BEFORE_CONNECTION",
                                            "Socket closed before the connection was established")),
        true);
  }
  state_ = State::closed;
  if (connectTimer_) connectTimer_->cancel();
  idleArmed_ = writeTimerArmed_ = false;
  if (idleTimer_) idleTimer_->cancel();
  if (writeTimer_) writeTimer_->cancel();
  if (resolver_) resolver_->cancel();
  // Operations in flight complete with operation_aborted; their handlers see
  // destroyed() and stop.
  std::error_code ignored;
  socket_.close(ignored);
  callback(std::move(error));
}

// --- net.connect ---

std::shared_ptr<TcpSocket> connect(asio::io_context& context, const ConnectOptions& options,
                                   std::function<void()> connectListener,
                                   TcpSocketOptions socketOptions) {
  auto socket = std::make_shared<TcpSocket>(context, socketOptions);
  socket->connect(options, std::move(connectListener));
  return socket;
}

std::shared_ptr<TcpSocket> connect(asio::io_context& context, const std::string& host,
                                   std::uint16_t port, std::function<void()> connectListener) {
  return connect(context, ConnectOptions{.host = host, .port = port}, std::move(connectListener));
}

}  // namespace wirekit
