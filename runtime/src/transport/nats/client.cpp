// SPDX-License-Identifier: Apache-2.0
#include "wirekit/transport/nats/client.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <string>
#include <utility>

#include <fmt/format.h>
#include <asio/post.hpp>
#include <nlohmann/json.hpp>

#include "protocol_bytes.hpp"
#include "wirekit/error.hpp"
#include "wirekit/stream/readable.hpp"
#include "wirekit/stream/stream.hpp"
#include "wirekit/stream/writable.hpp"
#include "wirekit/transport/detail/tls_engine.hpp"
#include "wirekit/transport/tls_socket.hpp"

namespace wirekit::nats {

namespace {

using detail::bufferOf;
using detail::crlf;

// Subjects, queue names and reply subjects are words of a control line: a
// space, tab or line end in one would inject protocol.
void checkToken(std::string_view token, const char* what) {
  const bool bad = token.empty() || std::any_of(token.begin(), token.end(), [](char c) {
                     return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\0';
                   });
  if (bad) throw TypeError(fmt::format("NATS {} '{}' is empty or holds whitespace", what, token));
}

std::exception_ptr natsError(const std::string& code, const std::string& message) {
  return std::make_exception_ptr(NatsError(code, message));
}

bool isTlsError(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const TlsError&) {
    return true;
  } catch (...) {
    return false;
  }
}

// "host:port", an IPv6 host in brackets.
std::string addressOf(const std::string& host, std::uint16_t port) {
  return host.find(':') == std::string::npos ? fmt::format("{}:{}", host, port)
                                             : fmt::format("[{}]:{}", host, port);
}

}  // namespace

std::string Client::addressOf(const Server& server) {
  return nats::addressOf(server.host, server.port);
}

void Subscription::unsubscribe(std::optional<std::uint64_t> max) {
  if (closed_) return;
  if (const auto client = client_.lock()) {
    client->unsubscribe(*this, max);
  } else {
    closed_ = true;
  }
}

Client::Client(asio::io_context& context, Options options)
    : context_(context),
      options_(std::move(options)),
      parser_(*this, options_.limits),
      handshakeTimer_(context),
      reconnectTimer_(context),
      pingTimer_(context),
      random_(std::random_device{}()) {}

Client::~Client() {
  if (socket_) socket_->destroy();
}

std::shared_ptr<Client> connect(asio::io_context& context, Options options,
                                std::function<void()> connectListener) {
  auto client = std::make_shared<Client>(context, std::move(options));
  client->connect(std::move(connectListener));
  return client;
}

void Client::addServer(std::string_view url, bool discovered) {
  std::string_view rest = url;
  if (rest.starts_with("nats://") || rest.starts_with("tls://"))
    rest.remove_prefix(rest.find("://") + 3);
  Server server;
  std::string_view port;
  if (rest.starts_with('[')) {
    const auto close = rest.find(']');
    if (close != std::string_view::npos) {
      server.host = std::string(rest.substr(1, close - 1));
      if (rest.size() > close + 1 && rest[close + 1] == ':')
        port = rest.substr(close + 2);
      else if (rest.size() > close + 1)
        server.host.clear();
    }
  } else if (std::count(rest.begin(), rest.end(), ':') == 1) {
    server.host = std::string(rest.substr(0, rest.find(':')));
    port = rest.substr(rest.find(':') + 1);
  } else {
    server.host = std::string(rest);
  }
  bool valid = !server.host.empty();
  if (valid && !port.empty()) {
    const auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), server.port);
    valid = error == std::errc{} && end == port.data() + port.size() && server.port != 0;
  }
  if (!valid) {
    // A server's connect_urls are its own business: one we cannot read is
    // left out rather than breaking the connection.
    if (discovered) return;
    throw TypeError(
        fmt::format("NATS server address '{}' is not host, host:port, nats://host:port or "
                    "tls://host:port",
                    url));
  }
  // A cluster announces its servers by IP address; their certificates are
  // for the cluster's name, which the server we reached by name has.
  if (discovered && wirekit::detail::isIpAddress(server.host) && current_ < servers_.size()) {
    const Server& announcer = servers_[current_];
    server.tlsName = !announcer.tlsName.empty()                      ? announcer.tlsName
                     : !wirekit::detail::isIpAddress(announcer.host) ? announcer.host
                                                                     : std::string();
  }
  const bool known = std::any_of(servers_.begin(), servers_.end(), [&](const Server& other) {
    return other.host == server.host && other.port == server.port;
  });
  if (!known) servers_.push_back(std::move(server));
}

void Client::connect(std::function<void()> connectListener) {
  if (state_ != State::idle) throw TypeError("NATS client: connect() was called already");
  for (const auto& url : options_.servers) {
    addServer(url, false);
    if (url.starts_with("tls://") && !options_.tls) options_.tls.emplace();
  }
  if (servers_.empty()) throw TypeError("NATS client: options.servers is empty");
  if (options_.tls) {
    // Made once, here, so that a CA or key that cannot be loaded throws now.
    secureContext_ = options_.tls->secureContext;
    if (!secureContext_)
      secureContext_ = createSecureContext({.key = options_.tls->key,
                                            .cert = options_.tls->cert,
                                            .ca = options_.tls->ca,
                                            .minVersion = options_.tls->minVersion});
  }
  if (connectListener) once(events::connect, std::move(connectListener));
  state_ = State::connecting;
  current_ = 0;
  attempt();
}

void Client::attempt() {
  Server& server = servers_[current_];
  server.tried = true;
  server.lastAttempt = std::chrono::steady_clock::now();
  parser_.reset();
  pongs_.clear();
  pingsOut_ = 0;
  infoSeen_ = false;
  open_ = false;
  socketError_ = nullptr;
  tlsPendingAt_.reset();
  encrypted_ = false;

  TcpSocketOptions tcpOptions = options_.socket;
  // The TLS socket ends the TCP socket itself, after its close_notify.
  if (secureContext_) tcpOptions.allowHalfOpen = true;
  auto socket = std::make_shared<TcpSocket>(context_, tcpOptions);
  socket_ = socket;
  tcp_ = socket;
  listen(socket);

  const std::weak_ptr<Client> weak = weak_from_this();
  const TcpSocket* raw = socket.get();
  handshakeTimer_.expires_after(options_.connectTimeout);
  handshakeTimer_.async_wait([weak, raw, this](std::error_code code) {
    const auto self = weak.lock();
    if (code || !self || tcp_.get() != raw || open_) return;
    dropConnection(natsError("ERR_NATS_TIMEOUT",
                             fmt::format("no connection to {} within connectTimeout ({} ms)",
                                         connectedServer(), options_.connectTimeout.count())));
  });
  socket->connect(
      ConnectOptions{.host = server.host, .port = server.port, .timeout = options_.connectTimeout});
}

void Client::listen(const std::shared_ptr<Duplex>& socket) {
  const std::weak_ptr<Client> weak = weak_from_this();
  const Duplex* raw = socket.get();
  // A socket's events count only while it is the client's current one.
  const auto current = [weak, raw]() -> std::shared_ptr<Client> {
    auto self = weak.lock();
    return self && self->socket_.get() == raw ? self : nullptr;
  };
  socket->on(events::data, [current](const Buffer& chunk) {
    if (auto self = current()) self->onData(chunk);
  });
  socket->on(events::end, [current] {
    auto self = current();
    if (!self) return;
    // The server ended the connection. nats-server cuts off a slow consumer
    // so, with no -ERR, and may stop in the middle of a message: a lost
    // connection (the 'disconnect' says what was cut), not bytes that break
    // the protocol, and no 'error' to crash a program that has no listener.
    std::string cut;
    try {
      self->parser_.finish();
    } catch (const NatsProtocolError& error) {
      const std::string_view what = std::string_view(error.what()).substr(error.code().size() + 2);
      cut = fmt::format(
          " inside an operation ({}; nats-server does so when it cuts off a slow consumer)", what);
    }
    if (!self->socketError_)
      self->socketError_ = natsError(
          "ERR_NATS_DISCONNECTED",
          fmt::format("the server closed the connection to {}{}", self->connectedServer(), cut));
    // A TLS client's TCP socket is half-open (its TLS socket ends it): one
    // the server ended before the upgrade nothing else would close.
    if (self->secureContext_ && self->socket_ == self->tcp_) self->dropConnection(nullptr);
  });
  socket->on(events::error, [current](const std::exception_ptr& error) {
    auto self = current();
    if (!self) return;
    if (!self->socketError_) self->socketError_ = error;
    // A failed TLS handshake is a wrong CA, a certificate for another name or
    // an impostor, not a server that is down: the user must hear of it.
    if (!self->open_ && isTlsError(error)) self->emitErrorLater(error);
  });
  socket->on(events::close, [current] {
    if (auto self = current()) self->onSocketClosed();
  });
  socket->on(events::drain, [current] {
    if (auto self = current()) self->emit(events::drain);
  });
}

void Client::onData(const Buffer& chunk) {
  try {
    parser_.feed(chunk.bytes());
    if (tlsPendingAt_ && socket_ && !socket_->destroyed()) {
      // A partial operation after the INFO (whole ones are refused as they
      // come): the server must wait for the handshake.
      if (parser_.offset() != *tlsPendingAt_)
        throw NatsProtocolError("plain text after INFO, where the TLS handshake belongs",
                                *tlsPendingAt_);
      startTls();
    }
  } catch (const NatsProtocolError&) {
    protocolError(std::current_exception());
  }
}

void Client::refuseBeforeTls(std::string_view what) const {
  if (tlsPendingAt_)
    throw NatsProtocolError(
        fmt::format("{} in plain text after INFO, where the TLS handshake belongs", what),
        *tlsPendingAt_);
}

void Client::startTls() {
  tlsPendingAt_.reset();
  const Server& server = servers_[current_];
  const TlsOptions& tls = *options_.tls;
  const std::string& name = !tls.servername.empty()   ? tls.servername
                            : !server.tlsName.empty() ? server.tlsName
                                                      : server.host;
  auto socket =
      createTlsSocket(tcp_, TlsSocketOptions{
                                .secureContext = secureContext_,
                                .servername = wirekit::detail::isIpAddress(name) ? "" : name,
                                .identity = name,
                                .rejectUnauthorized = tls.rejectUnauthorized,
                                .handshakeTimeout = tls.handshakeTimeout,
                                .socket = options_.socket,
                            });
  socket_ = socket;
  listen(socket);
  socket->once(events::secureConnect, [weak = weak_from_this(), raw = socket.get()] {
    const auto self = weak.lock();
    if (!self || self->socket_.get() != raw) return;
    self->encrypted_ = true;
    self->sendConnect();
  });
}

void Client::protocolError(const std::exception_ptr& error) {
  emitErrorLater(error);
  dropConnection(error);
}

void Client::dropConnection(std::exception_ptr reason) {
  if (!socket_) return;
  if (!socketError_) socketError_ = std::move(reason);
  socket_->destroy();
}

void Client::onSocketClosed() {
  std::exception_ptr reason = socketError_;
  if (!reason)
    reason = natsError("ERR_NATS_DISCONNECTED",
                       fmt::format("the connection to {} closed", connectedServer()));
  socket_.reset();
  tcp_.reset();
  tlsPendingAt_.reset();
  encrypted_ = false;
  handshakeTimer_.cancel();
  pingTimer_.cancel();
  const bool wasOpen = open_;
  open_ = false;
  auto pongs = std::move(pongs_);
  pongs_.clear();
  const auto lost = natsError("ERR_NATS_DISCONNECTED", "the connection was lost before the PONG");
  for (auto& callback : pongs)
    if (callback) callback(lost);
  if (state_ == State::closed) return;
  Server& server = servers_[current_];
  if (!wasOpen) ++server.failures;
  if (wasOpen) emit(events::disconnect, reason);

  if (state_ == State::draining) {
    close();
    return;
  }
  if (state_ == State::connecting) {
    // The first round tries each server once, without waiting.
    const auto next = std::find_if(servers_.begin(), servers_.end(),
                                   [](const Server& candidate) { return !candidate.tried; });
    if (next != servers_.end()) {
      current_ = static_cast<std::size_t>(next - servers_.begin());
      attempt();
      return;
    }
    giveUp(reason);
    return;
  }
  if (!options_.reconnect) {
    close();
    return;
  }
  state_ = State::reconnecting;
  scheduleReconnect();
}

void Client::giveUp(const std::exception_ptr& reason) {
  emitErrorLater(natsError(
      "ERR_NATS_NO_SERVERS",
      fmt::format("no NATS server could be reached; the last error: {}", errorMessage(reason))));
  close();
}

void Client::scheduleReconnect() {
  const auto usable = [this](const Server& server) {
    return options_.maxReconnectAttempts < 0 || server.failures < options_.maxReconnectAttempts;
  };
  std::optional<std::size_t> next;
  for (std::size_t k = 1; k <= servers_.size() && !next; ++k) {
    const std::size_t index = (current_ + k) % servers_.size();
    if (usable(servers_[index])) next = index;
  }
  if (!next) {
    giveUp(natsError("ERR_NATS_NO_SERVERS",
                     fmt::format("every server failed maxReconnectAttempts ({}) times",
                                 options_.maxReconnectAttempts)));
    return;
  }
  current_ = *next;
  const Server& server = servers_[current_];
  auto backoff = options_.reconnectTimeWait;
  for (int k = 1; k < server.failures && backoff < options_.reconnectTimeWaitMax; ++k)
    backoff *= 2;
  backoff = std::min(backoff, options_.reconnectTimeWaitMax);
  auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(
      server.lastAttempt + backoff - std::chrono::steady_clock::now());
  wait = std::max(wait, std::chrono::milliseconds{0});
  if (options_.reconnectJitter.count() > 0)
    wait += std::chrono::milliseconds{
        std::uniform_int_distribution<std::int64_t>(0, options_.reconnectJitter.count())(random_)};
  reconnectTimer_.expires_after(wait);
  reconnectTimer_.async_wait([weak = weak_from_this()](std::error_code code) {
    const auto self = weak.lock();
    if (code || !self || self->state_ != State::reconnecting) return;
    self->attempt();
  });
}

void Client::onInfo(std::string_view text) {
  // close() inside a handler earlier in the same chunk.
  if (!socket_) return;
  refuseBeforeTls("a second INFO");
  const auto info = nlohmann::json::parse(text, nullptr, false);
  if (info.is_discarded() || !info.is_object())
    throw NatsProtocolError("INFO is not a JSON object", parser_.offset());
  if (const auto it = info.find("max_payload"); it != info.end()) {
    if (!it->is_number_unsigned() || it->get<std::uint64_t>() == 0)
      throw NatsProtocolError("INFO max_payload is not a positive integer", parser_.offset());
    parser_.setMaxPayload(static_cast<std::size_t>(
        std::min<std::uint64_t>(it->get<std::uint64_t>(), options_.limits.maxPayload)));
  }
  if (const auto it = info.find("server_id"); it != info.end() && it->is_string())
    serverId_ = it->get<std::string>();
  if (const auto it = info.find("connect_urls"); it != info.end() && it->is_array())
    for (const auto& url : *it)
      if (url.is_string()) addServer(url.get<std::string>(), true);
  if (infoSeen_) return;
  infoSeen_ = true;

  const auto flag = [&info](const char* name) {
    const auto it = info.find(name);
    return it != info.end() && it->is_boolean() && it->get<bool>();
  };
  const bool tlsRequired = flag("tls_required");
  std::exception_ptr refused;
  if (tlsRequired && !secureContext_)
    refused = natsError("ERR_NATS_TLS_REQUIRED",
                        fmt::format("the server {} requires TLS: set options.tls (or use a "
                                    "tls:// server address)",
                                    connectedServer()));
  else if (secureContext_ && !tlsRequired && !flag("tls_available"))
    refused = natsError("ERR_NATS_TLS_NOT_AVAILABLE",
                        fmt::format("the server {} does not offer TLS, which options.tls "
                                    "requires (no plain-text fallback)",
                                    connectedServer()));
  if (refused) {
    emitErrorLater(refused);
    dropConnection(refused);
    return;
  }
  if (secureContext_) {
    // The handshake starts once this chunk is parsed (onData): nothing may
    // follow the INFO in plain text.
    tlsPendingAt_ = parser_.offset();
    return;
  }
  sendConnect();
}

void Client::sendConnect() {
  nlohmann::json connect = {
      {"verbose", false},      {"pedantic", false},    {"tls_required", encrypted_},
      {"lang", "cpp"},         {"version", "wirekit"}, {"protocol", 1},
      {"echo", options_.echo}, {"headers", true},      {"no_responders", true}};
  if (!options_.name.empty()) connect["name"] = options_.name;
  if (!options_.token.empty()) connect["auth_token"] = options_.token;
  if (!options_.user.empty()) {
    connect["user"] = options_.user;
    connect["pass"] = options_.password;
  }
  socket_->write(bufferOf("CONNECT " + connect.dump() + "\r\n"));
  for (const auto& [sid, subscription] : subscriptions_)
    writeSub(*subscription);
  sendPing([weak = weak_from_this()](const std::exception_ptr& error) {
    if (const auto self = weak.lock(); self && !error) self->onOpen();
  });
}

void Client::writeSub(const Subscription& subscription) {
  std::string line = subscription.queue_.empty()
                         ? fmt::format("SUB {} {}\r\n", subscription.subject_, subscription.sid_)
                         : fmt::format("SUB {} {} {}\r\n", subscription.subject_,
                                       subscription.queue_, subscription.sid_);
  if (subscription.max_)
    line += fmt::format("UNSUB {} {}\r\n", subscription.sid_,
                        *subscription.max_ - subscription.received_);
  socket_->write(bufferOf(line));
}

void Client::onOpen() {
  if (state_ == State::closed) return;
  open_ = true;
  handshakeTimer_.cancel();
  servers_[current_].failures = 0;
  const bool hadPending = !pending_.empty();
  for (auto& frame : pending_)
    socket_->write(std::move(frame));
  pending_.clear();
  pendingBytes_ = 0;
  for (auto& callback : pendingFlushes_)
    sendPing(std::move(callback));
  pendingFlushes_.clear();
  schedulePing();
  const bool first = state_ == State::connecting;
  if (state_ != State::draining) state_ = State::connected;
  if (first) {
    emit(events::connect);
  } else {
    ++reconnects_;
    emit(events::reconnect);
  }
  if (hadPending && open_) emit(events::drain);
}

void Client::schedulePing() {
  pingTimer_.expires_after(options_.pingInterval);
  pingTimer_.async_wait([weak = weak_from_this()](std::error_code code) {
    const auto self = weak.lock();
    if (code || !self || !self->open_) return;
    if (self->pingsOut_ >= self->options_.maxPingsOutstanding) {
      self->dropConnection(
          natsError("ERR_NATS_STALE_CONNECTION",
                    fmt::format("{} PINGs to {} went unanswered (maxPingsOutstanding)",
                                self->pingsOut_, self->connectedServer())));
      return;
    }
    ++self->pingsOut_;
    self->sendPing(nullptr);
    self->schedulePing();
  });
}

void Client::sendPing(Callback callback) {
  socket_->write(bufferOf("PING\r\n"));
  pongs_.push_back(std::move(callback));
}

void Client::onPing() {
  refuseBeforeTls("PING");
  if (socket_) socket_->write(bufferOf("PONG\r\n"));
}

void Client::onPong() {
  refuseBeforeTls("PONG");
  pingsOut_ = 0;
  // An unasked PONG answers nothing.
  if (pongs_.empty()) return;
  Callback callback = std::move(pongs_.front());
  pongs_.pop_front();
  if (callback) callback(nullptr);
}

void Client::onOk() {
  refuseBeforeTls("+OK");
}

void Client::onError(std::string_view text) {
  refuseBeforeTls("-ERR");
  auto error = std::make_exception_ptr(
      NatsServerError(fmt::format("'{}' from {}", text, connectedServer()), std::string(text)));
  // Before the PONG it is the handshake's answer (an authorization error):
  // the reason the server is about to close.
  if (!open_ && !socketError_) socketError_ = error;
  emitErrorLater(std::move(error));
}

void Client::onMessage(Message message) {
  refuseBeforeTls("MSG");
  if (state_ == State::closed) return;
  const auto it = subscriptions_.find(message.sid);
  // A message for a subscription gone already (an UNSUB crossed it).
  if (it == subscriptions_.end()) return;
  const std::shared_ptr<Subscription> subscription = it->second;
  ++subscription->received_;
  ++inMsgs_;
  if (subscription->max_ && subscription->received_ >= *subscription->max_) {
    subscription->closed_ = true;
    subscriptions_.erase(it);
  }
  try {
    subscription->handler_(message);
  } catch (...) {
    emitErrorLater(std::current_exception());
  }
}

void Client::emitErrorLater(std::exception_ptr error) {
  asio::post(context_, [self = shared_from_this(), error = std::move(error)] {
    self->emit(events::error, error);
  });
}

std::exception_ptr Client::closedError(const std::string& what) const {
  return natsError("ERR_NATS_CLOSED", what + ": the client is closed");
}

bool Client::send(Buffer frame) {
  if (open_) return socket_->write(std::move(frame));
  if (pendingBytes_ + frame.length() > options_.reconnectBufferSize)
    throw NatsError("ERR_NATS_BUFFER_FULL",
                    fmt::format("{} bytes more would exceed reconnectBufferSize ({} bytes, {} "
                                "waiting for a connection)",
                                frame.length(), options_.reconnectBufferSize, pendingBytes_));
  pendingBytes_ += frame.length();
  pending_.push_back(std::move(frame));
  return false;
}

bool Client::publish(std::string_view subject, const Buffer& data, const PublishOptions& options) {
  if (state_ == State::closed || state_ == State::idle)
    std::rethrow_exception(closedError(fmt::format("publish to '{}'", subject)));
  checkToken(subject, "subject");
  if (!options.reply.empty()) checkToken(options.reply, "reply subject");
  const std::string block = options.headers ? options.headers->encode() : std::string();
  const std::size_t total = block.size() + data.length();
  if (total > maxPayload())
    throw NatsError("ERR_NATS_MAX_PAYLOAD",
                    fmt::format("a message of {} bytes to '{}' exceeds the server's max_payload "
                                "({} bytes)",
                                total, subject, maxPayload()));
  const std::string reply = options.reply.empty() ? std::string() : options.reply + " ";
  const std::string line =
      options.headers ? fmt::format("HPUB {} {}{} {}\r\n", subject, reply, block.size(), total)
                      : fmt::format("PUB {} {}{}\r\n", subject, reply, total);
  Buffer frame = Buffer::allocUnsafe(line.size() + total + crlf.size());
  std::byte* out = frame.data();
  std::memcpy(out, line.data(), line.size());
  out += line.size();
  std::memcpy(out, block.data(), block.size());
  out += block.size();
  if (data.length() > 0) std::memcpy(out, data.data(), data.length());
  out += data.length();
  std::memcpy(out, crlf.data(), crlf.size());
  const bool more = send(std::move(frame));
  ++outMsgs_;
  return more;
}

std::shared_ptr<Subscription> Client::subscribe(std::string subject, MessageHandler handler,
                                                SubscribeOptions options) {
  if (state_ == State::closed || state_ == State::idle)
    std::rethrow_exception(closedError(fmt::format("subscribe to '{}'", subject)));
  if (state_ == State::draining)
    throw NatsError("ERR_NATS_DRAINING", fmt::format("subscribe to '{}' while draining", subject));
  checkToken(subject, "subject");
  if (!options.queue.empty()) checkToken(options.queue, "queue group");
  if (options.max && *options.max == 0) throw RangeError("NATS subscribe: max must be at least 1");
  const std::uint64_t sid = nextSid_++;
  auto subscription = std::make_shared<Subscription>(weak_from_this(), sid, std::move(subject),
                                                     std::move(options.queue), std::move(handler));
  subscription->max_ = options.max;
  subscriptions_.emplace(sid, subscription);
  // Not yet open: the handshake sends the SUBs of every subscription.
  if (open_) writeSub(*subscription);
  return subscription;
}

void Client::unsubscribe(Subscription& subscription, std::optional<std::uint64_t> max) {
  if (max && *max > subscription.received_) {
    subscription.max_ = max;
    if (open_) socket_->write(bufferOf(fmt::format("UNSUB {} {}\r\n", subscription.sid_, *max)));
    return;
  }
  subscription.closed_ = true;
  subscriptions_.erase(subscription.sid_);
  if (open_) socket_->write(bufferOf(fmt::format("UNSUB {}\r\n", subscription.sid_)));
}

void Client::request(std::string_view subject, const Buffer& data, RequestCallback callback,
                     RequestOptions options) {
  if (state_ == State::closed || state_ == State::idle)
    std::rethrow_exception(closedError(fmt::format("request to '{}'", subject)));
  checkToken(subject, "subject");
  if (!inboxSubscription_) {
    static constexpr std::string_view alphabet =
        "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
    inbox_ = options_.inboxPrefix + ".";
    for (int i = 0; i < 22; ++i)
      inbox_ += alphabet[pick(random_)];
    inbox_ += ".";
    inboxSubscription_ = subscribe(inbox_ + "*", [this](const Message& reply) { onReply(reply); });
  }
  const std::uint64_t id = nextRequest_++;
  const auto timeout = options.timeout.value_or(options_.requestTimeout);
  auto timer = std::make_unique<asio::steady_timer>(context_, timeout);
  timer->async_wait([weak = weak_from_this(), id, timeout](std::error_code code) {
    const auto self = weak.lock();
    if (code || !self) return;
    const auto it = self->requests_.find(id);
    if (it == self->requests_.end()) return;
    Request request = std::move(it->second);
    self->requests_.erase(it);
    request.callback(
        natsError("ERR_NATS_TIMEOUT", fmt::format("request to '{}' got no reply within {} ms",
                                                  request.subject, timeout.count())),
        Message{});
  });
  requests_.emplace(id, Request{std::string(subject), std::move(callback), std::move(timer)});
  try {
    publish(subject, data,
            PublishOptions{.reply = inbox_ + std::to_string(id),
                           .headers = std::move(options.headers)});
  } catch (...) {
    requests_.erase(id);
    throw;
  }
}

void Client::onReply(const Message& reply) {
  std::uint64_t id = 0;
  const std::string_view token = std::string_view(reply.subject).substr(inbox_.size());
  const auto [end, error] = std::from_chars(token.data(), token.data() + token.size(), id);
  if (error != std::errc{} || end != token.data() + token.size()) return;
  const auto it = requests_.find(id);
  // A second reply, or one after the timeout.
  if (it == requests_.end()) return;
  Request request = std::move(it->second);
  requests_.erase(it);
  request.timer->cancel();
  if (reply.headers.status() == 503 && reply.data.length() == 0) {
    request.callback(
        natsError("ERR_NATS_NO_RESPONDERS", fmt::format("no responders for '{}'", request.subject)),
        Message{});
    return;
  }
  request.callback(nullptr, reply);
}

void Client::flush(Callback callback) {
  if (state_ == State::closed || state_ == State::idle) {
    asio::post(context_,
               [callback = std::move(callback), error = closedError("flush")] { callback(error); });
    return;
  }
  if (open_) {
    sendPing(std::move(callback));
  } else {
    pendingFlushes_.push_back(std::move(callback));
  }
}

void Client::drain(Callback callback) {
  if (!callback) callback = [](const std::exception_ptr&) {};
  if (state_ == State::closed || state_ == State::idle) {
    asio::post(context_,
               [callback = std::move(callback), error = closedError("drain")] { callback(error); });
    return;
  }
  if (!open_) {
    const auto error = natsError(
        "ERR_NATS_DISCONNECTED",
        fmt::format("drain while disconnected: {} bytes of publishes not sent", pendingBytes_));
    pending_.clear();
    pendingBytes_ = 0;
    close();
    asio::post(context_, [callback = std::move(callback), error] { callback(error); });
    return;
  }
  state_ = State::draining;
  for (const auto& [sid, subscription] : subscriptions_)
    socket_->write(bufferOf(fmt::format("UNSUB {}\r\n", sid)));
  sendPing(
      [weak = weak_from_this(), callback = std::move(callback)](const std::exception_ptr& error) {
        if (const auto self = weak.lock()) self->close();
        callback(error);
      });
}

void Client::close() {
  if (state_ == State::closed) return;
  state_ = State::closed;
  open_ = false;
  encrypted_ = false;
  handshakeTimer_.cancel();
  reconnectTimer_.cancel();
  pingTimer_.cancel();
  if (!pending_.empty())
    emitErrorLater(
        natsError("ERR_NATS_CLOSED", fmt::format("closed with {} publishes ({} bytes) never sent",
                                                 pending_.size(), pendingBytes_)));
  pending_.clear();
  pendingBytes_ = 0;
  for (auto& [sid, subscription] : subscriptions_)
    subscription->closed_ = true;
  subscriptions_.clear();
  auto requests = std::move(requests_);
  requests_.clear();
  auto pongs = std::move(pongs_);
  pongs_.clear();
  auto flushes = std::move(pendingFlushes_);
  pendingFlushes_.clear();
  for (auto& [id, request] : requests) {
    request.timer->cancel();
    request.callback(closedError(fmt::format("request to '{}'", request.subject)), Message{});
  }
  for (auto& callback : pongs)
    if (callback) callback(closedError("flush"));
  for (auto& callback : flushes)
    callback(closedError("flush"));
  if (socket_) {
    // end(): what is written still goes out, then the FIN.
    const auto socket = std::move(socket_);
    socket_.reset();
    tcp_.reset();
    socket->end();
  }
  asio::post(context_, [self = shared_from_this()] { self->emit(events::close); });
}

std::string Client::connectedServer() const {
  if (servers_.empty() || !socket_) return {};
  return addressOf(servers_[current_]);
}

std::vector<std::string> Client::servers() const {
  std::vector<std::string> list;
  for (const auto& server : servers_)
    list.push_back(addressOf(server));
  return list;
}

}  // namespace wirekit::nats
