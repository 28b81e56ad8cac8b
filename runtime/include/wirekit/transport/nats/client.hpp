// SPDX-License-Identifier: Apache-2.0
#pragma once
// Client: a NATS core client on wirekit's TcpSocket and an asio::io_context,
// with the shape of the Node client (nats.js) in wirekit's event style.
//
//   auto nc = nats::connect(io, {.servers = {"127.0.0.1:4222"}}, [] { ... });   // 'connect'
//   auto sub = nc->subscribe("orders.>", [](const nats::Message& m) { ... });
//   nc->publish("orders.new", Buffer::from("..."));
//   nc->request("time", {}, [](const std::exception_ptr& error, const nats::Message& reply) {});
//   nc->flush([](const std::exception_ptr& error) { ... });   // the server has it all
//   nc->drain([](const std::exception_ptr& error) { ... });   // unsubscribe, flush, close
//
// A connection: TCP connect, the server's INFO, with TLS (options.tls or a
// tls:// server) the TLS handshake on the same connection, CONNECT (verbose
// and pedantic off, headers and no_responders on, the token or user and
// password), the SUBs of every live subscription, then a PING; the PONG
// makes it open ('connect' the first time, 'reconnect' after). A server that
// requires TLS of a client without it, or a client that requires TLS of a
// server without it, is an 'error' (ERR_NATS_TLS_REQUIRED,
// ERR_NATS_TLS_NOT_AVAILABLE) and a failed attempt; so is a failed TLS
// handshake (the TlsError, certificate verification's reason in it). Publishes made before then
// wait in the reconnect buffer, flushed once open.
//
// A lost connection ('disconnect', with the reason) is retried when
// options.reconnect: the servers (the configured ones, then the cluster's
// connect_urls from INFO) in turn, each after a backoff (reconnectTimeWait
// doubled per failed attempt on it, capped at reconnectTimeWaitMax) plus a
// random jitter, each given up after maxReconnectAttempts failures; when all
// are given up the client emits 'error' (ERR_NATS_NO_SERVERS) and closes.
// Subscriptions are restored with the messages they still may receive.
// Publishes made while disconnected are kept up to reconnectBufferSize
// bytes, then publish() throws ERR_NATS_BUFFER_FULL: nothing is dropped
// silently. What was already written to the lost socket is NATS core's
// at-most-once: it may be lost (JetStream is the answer to that).
//
// Errors: the server's -ERR (NatsServerError) and bytes that break the
// protocol (NatsProtocolError; the connection is then dropped and retried)
// are 'error' events, as is an exception thrown by a subscription's handler.
// A connection the server ends, even inside an operation, is only a
// 'disconnect' ("the server closed the connection to ..."): nats-server cuts
// off a slow consumer so, with no -ERR. Handlers run inline, so a slow one
// holds the socket's reads back (memory stays bounded) until the server's
// max_pending or write_deadline is reached.
// They are emitted from a posted handler: with no 'error' listener the error
// propagates out of io_context::run(), as an uncaught 'error' does in Node.
//
// Lifetime: make a Client with connect() (it must be owned by a
// std::shared_ptr). Sockets and timers hold it weakly: drop the last
// shared_ptr and the connection is destroyed. All calls and events happen on
// the io_context's thread.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>

#include "wirekit/bytes/buffer.hpp"
#include "wirekit/export.hpp"
#include "wirekit/stream/event_emitter.hpp"
#include "wirekit/stream/stream.hpp"
#include "wirekit/transport/nats/error.hpp"
#include "wirekit/transport/nats/message.hpp"
#include "wirekit/transport/nats/options.hpp"
#include "wirekit/transport/nats/protocol_parser.hpp"
#include "wirekit/transport/tcp_socket.hpp"
#include "wirekit/transport/tls_context.hpp"

namespace wirekit::events {
// 'disconnect': the connection was lost, with why (a reconnect follows if
// options.reconnect).
WIREKIT_EXPORT inline constexpr Event<const std::exception_ptr&> disconnect{"disconnect"};
// 'reconnect': open again, subscriptions restored, buffered publishes sent.
WIREKIT_EXPORT inline constexpr Event<> reconnect{"reconnect"};
}  // namespace wirekit::events

namespace wirekit::nats {

class Client;

using MessageHandler = std::function<void(const Message&)>;
// A request's answer: an error (ERR_NATS_TIMEOUT, ERR_NATS_NO_RESPONDERS,
// ERR_NATS_CLOSED) and an empty message, or no error and the reply.
using RequestCallback = std::function<void(const std::exception_ptr&, const Message&)>;

struct PublishOptions {
  // The subject the receivers should answer to.
  std::string reply{};
  // Sent with HPUB when given.
  std::optional<Headers> headers{};
};

struct SubscribeOptions {
  // A queue group: each message goes to one member of the group.
  std::string queue{};
  // Unsubscribe after this many messages (UNSUB <sid> <max>).
  std::optional<std::uint64_t> max{};
};

struct RequestOptions {
  // options.requestTimeout when not given.
  std::optional<std::chrono::milliseconds> timeout{};
  std::optional<Headers> headers{};
};

class WIREKIT_EXPORT Subscription {
 public:
  Subscription(std::weak_ptr<Client> client, std::uint64_t sid, std::string subject,
               std::string queue, MessageHandler handler)
      : client_(std::move(client)),
        sid_(sid),
        subject_(std::move(subject)),
        queue_(std::move(queue)),
        handler_(std::move(handler)) {}

  // Stops now, or after max messages in all (counting those received).
  void unsubscribe(std::optional<std::uint64_t> max = std::nullopt);

  [[nodiscard]] std::uint64_t sid() const noexcept { return sid_; }
  [[nodiscard]] const std::string& subject() const noexcept { return subject_; }
  [[nodiscard]] const std::string& queue() const noexcept { return queue_; }
  [[nodiscard]] std::uint64_t received() const noexcept { return received_; }
  [[nodiscard]] std::optional<std::uint64_t> max() const noexcept { return max_; }
  [[nodiscard]] bool isClosed() const noexcept { return closed_; }

 private:
  friend class Client;
  std::weak_ptr<Client> client_;
  std::uint64_t sid_;
  std::string subject_;
  std::string queue_;
  MessageHandler handler_;
  std::uint64_t received_ = 0;
  std::optional<std::uint64_t> max_;
  bool closed_ = false;
};

class WIREKIT_EXPORT Client : public EventEmitter,
                              public std::enable_shared_from_this<Client>,
                              private ProtocolHandler {
 public:
  // Use nats::connect(), which makes it and starts connecting.
  Client(asio::io_context& context, Options options);
  ~Client() override;

  // Starts connecting; connectListener is added once to 'connect'. TypeError
  // for a server address that cannot be parsed, or if already started. If no
  // server can be reached on the first round, 'error' (ERR_NATS_NO_SERVERS)
  // and 'close'.
  void connect(std::function<void()> connectListener = {});

  // PUB / HPUB. Node's boolean: false when the bytes could not go to the
  // socket at once (its buffer is full, or the client is not connected and
  // keeps them); 'drain' follows. Throws TypeError for a subject or reply
  // with whitespace (or empty), ERR_NATS_MAX_PAYLOAD, ERR_NATS_BUFFER_FULL,
  // ERR_NATS_CLOSED.
  bool publish(std::string_view subject, const Buffer& data = {},
               const PublishOptions& options = {});

  // SUB. The handler gets each message; the Message is valid during the call
  // (its data Buffer may be kept: it is the message's own).
  std::shared_ptr<Subscription> subscribe(std::string subject, MessageHandler handler,
                                          SubscribeOptions options = {});

  // Publishes with a reply subject in this client's inbox (one wildcard
  // subscription serves every request) and calls callback once: with the
  // first reply, or with ERR_NATS_TIMEOUT, ERR_NATS_NO_RESPONDERS (the server
  // says no one subscribes) or ERR_NATS_CLOSED.
  void request(std::string_view subject, const Buffer& data, RequestCallback callback,
               RequestOptions options = {});

  // PING, and callback when the server's PONG says it has processed
  // everything sent before; ERR_NATS_DISCONNECTED if the connection is lost
  // first (a connection that stops answering is found by the pings:
  // pingInterval x maxPingsOutstanding).
  void flush(Callback callback);

  // Unsubscribes everything, lets the messages in flight arrive (a flush),
  // closes, then calls callback.
  void drain(Callback callback = {});

  // Closes now: requests and flushes fail with ERR_NATS_CLOSED, what is
  // written goes out, then 'close'. Publishes still waiting for a
  // connection are reported by an 'error' (ERR_NATS_CLOSED), not dropped
  // in silence.
  void close();

  [[nodiscard]] bool isConnected() const noexcept { return open_; }
  [[nodiscard]] bool isClosed() const noexcept { return state_ == State::closed; }
  // The connection is TLS (the handshake is done and the server verified).
  [[nodiscard]] bool isEncrypted() const noexcept { return encrypted_; }
  // The server connected to, "host:port" (empty when not connected).
  [[nodiscard]] std::string connectedServer() const;
  // Every server known (configured, then discovered), "host:port".
  [[nodiscard]] std::vector<std::string> servers() const;
  [[nodiscard]] const std::string& serverId() const noexcept { return serverId_; }
  // The largest message (headers included) the server takes.
  [[nodiscard]] std::size_t maxPayload() const noexcept { return parser_.maxPayload(); }
  // Bytes of publishes waiting for a connection.
  [[nodiscard]] std::size_t pendingBytes() const noexcept { return pendingBytes_; }
  [[nodiscard]] std::uint64_t inMsgs() const noexcept { return inMsgs_; }
  [[nodiscard]] std::uint64_t outMsgs() const noexcept { return outMsgs_; }
  [[nodiscard]] std::uint64_t reconnects() const noexcept { return reconnects_; }

 private:
  friend class Subscription;
  enum class State { idle, connecting, connected, reconnecting, draining, closed };
  struct Server {
    std::string host;
    std::uint16_t port = defaultPort;
    // Discovered by IP address: the name its certificate is checked against
    // (the announcing server's), else empty: host.
    std::string tlsName{};
    bool tried = false;
    int failures = 0;
    std::chrono::steady_clock::time_point lastAttempt{};
  };
  struct Request {
    std::string subject;
    RequestCallback callback;
    std::unique_ptr<asio::steady_timer> timer;
  };

  [[nodiscard]] static std::string addressOf(const Server& server);
  void onInfo(std::string_view json) override;
  void onMessage(Message message) override;
  void onPing() override;
  void onPong() override;
  void onOk() override;
  void onError(std::string_view text) override;

  void addServer(std::string_view url, bool discovered);
  void attempt();
  // Routes socket's events to the client while it is the current socket.
  void listen(const std::shared_ptr<Duplex>& socket);
  // After INFO: the TLS handshake over the TCP socket, then sendConnect().
  void startTls();
  void sendConnect();
  // Bytes before the TLS handshake other than the INFO are refused.
  void refuseBeforeTls(std::string_view what) const;
  void onData(const Buffer& chunk);
  void onSocketClosed();
  void dropConnection(std::exception_ptr reason);
  void protocolError(const std::exception_ptr& error);
  void onOpen();
  void scheduleReconnect();
  void schedulePing();
  void giveUp(const std::exception_ptr& reason);
  void unsubscribe(Subscription& subscription, std::optional<std::uint64_t> max);
  void onReply(const Message& message);
  void sendPing(Callback callback);
  void writeSub(const Subscription& subscription);
  bool send(Buffer frame);
  void emitErrorLater(std::exception_ptr error);
  [[nodiscard]] std::exception_ptr closedError(const std::string& what) const;

  asio::io_context& context_;
  Options options_;
  ProtocolParser parser_;
  State state_ = State::idle;
  std::vector<Server> servers_;
  std::size_t current_ = 0;

  // The TcpSocket, or the TlsSocket over it once INFO asked for TLS.
  std::shared_ptr<Duplex> socket_;
  std::shared_ptr<TcpSocket> tcp_;
  // Made at connect() when TLS is wanted (options.tls or a tls:// server).
  std::shared_ptr<SecureContext> secureContext_;
  // INFO asked for TLS and the handshake is not done: where INFO ended.
  std::optional<std::uint64_t> tlsPendingAt_;
  bool encrypted_ = false;
  // Why the current socket is going away (the first reason seen).
  std::exception_ptr socketError_;
  bool infoSeen_ = false;
  bool open_ = false;
  asio::steady_timer handshakeTimer_;
  asio::steady_timer reconnectTimer_;
  asio::steady_timer pingTimer_;
  int pingsOut_ = 0;
  // One entry per PING sent on this connection, answered in order.
  std::deque<Callback> pongs_;
  // flush() calls made while not connected: their PINGs go out once open.
  std::vector<Callback> pendingFlushes_;
  std::vector<Buffer> pending_;
  std::size_t pendingBytes_ = 0;

  std::map<std::uint64_t, std::shared_ptr<Subscription>> subscriptions_;
  std::uint64_t nextSid_ = 1;
  // request(): "<inboxPrefix>.<random>." and its subscription to "…*".
  std::string inbox_;
  std::shared_ptr<Subscription> inboxSubscription_;
  std::map<std::uint64_t, Request> requests_;
  std::uint64_t nextRequest_ = 1;
  std::mt19937_64 random_;

  std::string serverId_;
  std::uint64_t inMsgs_ = 0;
  std::uint64_t outMsgs_ = 0;
  std::uint64_t reconnects_ = 0;
};

// nats.connect(options): a new Client, connecting; connectListener is added
// once to 'connect'.
[[nodiscard]] WIREKIT_EXPORT std::shared_ptr<Client> connect(
    asio::io_context& context, Options options, std::function<void()> connectListener = {});

}  // namespace wirekit::nats
