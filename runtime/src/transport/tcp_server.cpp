// SPDX-License-Identifier: Apache-2.0
#include "wirekit/transport/tcp_server.hpp"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <asio/ip/v6_only.hpp>
#include <asio/post.hpp>

#include "system_errors.hpp"
#include "wirekit/error.hpp"

namespace wirekit {

namespace {

// EMFILE or ENFILE: the process or the system is out of descriptors.
bool outOfDescriptors(const std::error_code& code) {
  return code.category() == asio::error::get_system_category() &&
         (code.value() == EMFILE || code.value() == ENFILE);
}

}  // namespace

TcpServer::TcpServer(asio::io_context& context, TcpServerOptions options)
    : context_(&context),
      options_(options),
      acceptor_(context),
      acceptRetry_(context),
      closeDeadline_(context),
      budget_(std::make_shared<MemoryBudget>(MemoryBudgetOptions{
          .maxBytes = options_.maxBufferedBytes,
          .maxBytesPerAccount = options_.maxBufferedBytesPerConnection,
      })) {}

TcpServer::~TcpServer() {
  closeReserve();
}

void TcpServer::openReserve() {
  if (options_.reserveDescriptor && reserve_ < 0)
    reserve_ = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
}

void TcpServer::closeReserve() noexcept {
  if (reserve_ >= 0) ::close(reserve_);
  reserve_ = -1;
}

void TcpServer::listen(std::uint16_t port, const std::string& host,
                       std::function<void()> listeningListener) {
  if (listening_) throw TypeError("TcpServer::listen: the server is listening already");
  if (listeningListener) once(events::listening, std::move(listeningListener));

  // Every interface: IPv6's, which takes IPv4 too, else IPv4's alone.
  std::vector<asio::ip::address> addresses{asio::ip::address_v6::any(),
                                           asio::ip::address_v4::any()};
  std::error_code code;
  if (!host.empty()) {
    addresses = {asio::ip::make_address(host, code)};
    if (code) {
      asio::ip::tcp::resolver resolver(*context_);
      const auto results = resolver.resolve(host, std::to_string(port), code);
      if (code || results.empty()) {
        emitErrorLater(detail::connectionError(
            "getaddrinfo", code ? code : asio::error::host_not_found, host, port));
        return;
      }
      addresses = {results.begin()->endpoint().address()};
    }
  }
  for (const asio::ip::address& address : addresses) {
    code = bindAndListen(asio::ip::tcp::endpoint(address, port));
    // Only a system without IPv6 moves on to IPv4.
    if (code != std::errc::address_family_not_supported) break;
  }
  if (code) {
    emitErrorLater(detail::connectionError("listen", code, host.empty() ? "::" : host, port));
    return;
  }
  listening_ = true;
  closing_ = false;
  std::error_code unknown;
  address_ = toSocketAddress(acceptor_.local_endpoint(unknown));
  openReserve();
  asio::post(*context_, [self = shared_from_this()] { self->emit(events::listening); });
  acceptNext();
}

std::error_code TcpServer::bindAndListen(const asio::ip::tcp::endpoint& endpoint) {
  std::error_code code;
  acceptor_.open(endpoint.protocol(), code);
  if (code) return code;
  // As Node: a restarted server can bind while old connections are in TIME_WAIT.
  acceptor_.set_option(asio::socket_base::reuse_address(true), code);
  if (!code && endpoint.address().is_v6() && endpoint.address().is_unspecified()) {
    acceptor_.set_option(asio::ip::v6_only(false), code);
  }
  if (!code) acceptor_.bind(endpoint, code);
  if (!code) acceptor_.listen(options_.backlog, code);
  if (code) {
    std::error_code ignored;
    acceptor_.close(ignored);
  }
  return code;
}

void TcpServer::acceptNext() {
  acceptor_.async_accept(
      [self = shared_from_this()](std::error_code code, asio::ip::tcp::socket socket) {
        self->onAccepted(code, std::move(socket));
      });
}

void TcpServer::onAccepted(std::error_code code, asio::ip::tcp::socket socket) {
  if (!listening_) return;
  if (code == asio::error::connection_aborted) {
    // The client gave up before it was accepted: nothing to report.
    acceptNext();
    return;
  }
  if (code) {
    onAcceptError(code);
    return;
  }
  if (options_.maxConnections && connections_.size() >= *options_.maxConnections) {
    drop(std::move(socket));
    acceptNext();
    return;
  }
  auto connection = std::make_shared<TcpSocket>(*context_, std::move(socket), options_.socket);
  connections_.emplace(connection.get(), connection);
  // The account's callback holds the socket weakly: the socket holds it.
  connection->setMemoryAccount(
      budget_->open([server = weak_from_this(), socket = std::weak_ptr<TcpSocket>(connection)](
                        const MemoryEviction& eviction) {
        auto self = server.lock();
        auto evicted = socket.lock();
        if (self && evicted) self->evict(evicted, eviction);
      }));
  // The socket owns this listener: it holds the server weakly.
  connection->once(events::close, [server = weak_from_this(), key = connection.get()] {
    if (auto self = server.lock()) self->connectionClosed(key);
  });
  if (options_.destroyOnTimeout) {
    // The socket owns this listener: a plain pointer to it.
    connection->on(events::timeout, [socket = connection.get()] {
      socket->destroy(detail::connectionError("read", std::make_error_code(std::errc::timed_out),
                                              socket->remoteAddress(), socket->remotePort()));
    });
  }
  emit(events::connection, connection);
  connection->startReading();
  acceptNext();
}

void TcpServer::onAcceptError(std::error_code code) {
  ++acceptErrors_;
  if (outOfDescriptors(code)) shedWaiting();
  acceptRetry_.expires_after(options_.acceptRetryDelay);
  acceptRetry_.async_wait([self = shared_from_this()](std::error_code cancelled) {
    if (cancelled || !self->listening_) return;
    // Whatever closed since gave the reserve its descriptor back.
    self->openReserve();
    self->acceptNext();
  });
  emit(events::acceptError,
       detail::connectionError("accept", code, address_.address, address_.port));
}

void TcpServer::shedWaiting() {
  if (reserve_ < 0) return;
  closeReserve();
  // The acceptor is non-blocking (Asio made it so for async_accept): this
  // stops at EAGAIN once the backlog is empty, or at the backlog's length
  // against a flood.
  std::error_code unknown;
  const asio::ip::tcp::endpoint local = acceptor_.local_endpoint(unknown);
  for (int shed = 0; shed < options_.backlog; ++shed) {
    const int descriptor =
        ::accept4(acceptor_.native_handle(), nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (descriptor < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      break;
    }
    asio::ip::tcp::socket socket(*context_);
    std::error_code code;
    socket.assign(local.protocol(), descriptor, code);
    if (code) {
      ::close(descriptor);
      continue;
    }
    drop(std::move(socket));
  }
  openReserve();
}

void TcpServer::drop(asio::ip::tcp::socket socket) {
  DroppedConnection dropped;
  std::error_code unknown;
  const asio::ip::tcp::endpoint local = socket.local_endpoint(unknown);
  if (!unknown) dropped.local = toSocketAddress(local);
  const asio::ip::tcp::endpoint remote = socket.remote_endpoint(unknown);
  if (!unknown) dropped.remote = toSocketAddress(remote);
  socket.close(unknown);
  ++droppedConnections_;
  emit(events::drop, dropped);
}

void TcpServer::evict(const std::shared_ptr<TcpSocket>& connection,
                      const MemoryEviction& eviction) {
  const std::string why =
      eviction.perAccount
          ? fmt::format(
                "this connection buffered {} bytes, more than "
                "maxBufferedBytesPerConnection ({})",
                eviction.accountBytes, eviction.limit)
          : fmt::format(
                "the connections buffered {} bytes, more than maxBufferedBytes ({}), "
                "and this one the most: {}",
                eviction.liveBytes, eviction.limit, eviction.accountBytes);
  std::exception_ptr error =
      detail::connectionError("read", std::make_error_code(std::errc::no_buffer_space),
                              connection->remoteAddress(), connection->remotePort(), why);
  // The budget calls from inside whatever charged it (a push, a write, a
  // frame decoder): the connection goes on the next turn, and reads nothing
  // more meanwhile (pause() emits nothing but 'pause': safe inside a push).
  connection->pause();
  asio::post(*context_, [connection, error = std::move(error)] { connection->destroy(error); });
}

void TcpServer::connectionClosed(const TcpSocket* socket) {
  connections_.erase(socket);
  emitCloseIfDone();
}

void TcpServer::close(Callback callback) {
  if (!listening_) {
    if (callback) {
      asio::post(*context_, [callback = std::move(callback)] {
        callback(std::make_exception_ptr(
            StreamError("ERR_SERVER_NOT_RUNNING", "Server is not running.")));
      });
    }
    return;
  }
  listening_ = false;
  closing_ = true;
  acceptRetry_.cancel();
  closeReserve();
  std::error_code ignored;
  acceptor_.close(ignored);
  if (callback) once(events::close, [callback = std::move(callback)] { callback(nullptr); });
  emitCloseIfDone();
}

void TcpServer::close(std::chrono::milliseconds deadline, Callback callback) {
  close(std::move(callback));
  if (!closing_) return;  // not running, or no connection left
  closeDeadline_.expires_after(deadline);
  closeDeadline_.async_wait([self = shared_from_this()](std::error_code cancelled) {
    if (cancelled) return;
    for (const auto& connection : self->openConnections())
      connection->destroy();
  });
  for (const auto& connection : openConnections()) {
    if (!connection->emit(events::shutdown)) connection->end();
  }
}

std::vector<std::shared_ptr<TcpSocket>> TcpServer::openConnections() const {
  // A copy: ending or destroying a connection may change the map.
  std::vector<std::shared_ptr<TcpSocket>> open;
  open.reserve(connections_.size());
  for (const auto& entry : connections_)
    open.push_back(entry.second);
  return open;
}

void TcpServer::emitCloseIfDone() {
  if (!closing_ || !connections_.empty()) return;
  closing_ = false;
  closeDeadline_.cancel();
  asio::post(*context_, [self = shared_from_this()] { self->emit(events::close); });
}

void TcpServer::emitErrorLater(std::exception_ptr error) {
  // As Node: listen() returns, and the error is an event on a later tick.
  asio::post(*context_, [self = shared_from_this(), error = std::move(error)] {
    self->emit(events::error, error);
  });
}

std::shared_ptr<TcpServer> createServer(
    asio::io_context& context, TcpServerOptions options,
    std::function<void(const std::shared_ptr<TcpSocket>&)> connectionListener) {
  auto server = std::make_shared<TcpServer>(context, options);
  if (connectionListener) server->on(events::connection, std::move(connectionListener));
  return server;
}

}  // namespace wirekit
