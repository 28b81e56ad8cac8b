// SPDX-License-Identifier: Apache-2.0
#pragma once
// Options of a NATS client: where to connect, how to authenticate, and every
// limit and timeout, each with a safe default (the Go client's where it has
// one; the reason otherwise).

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "wirekit/transport/nats/protocol_parser.hpp"
#include "wirekit/transport/tcp_socket.hpp"
#include "wirekit/transport/tls_context.hpp"
#include "wirekit/transport/tls_socket.hpp"

namespace wirekit::nats {

// The port a server URL without one means: NATS's.
inline constexpr std::uint16_t defaultPort = 4222;
// Bytes of publishes kept while disconnected: 8 MiB, the Go client's
// ReconnectBufSize. A publish beyond it throws ERR_NATS_BUFFER_FULL.
inline constexpr std::size_t defaultReconnectBufferSize = std::size_t{8} * 1024 * 1024;

// TLS to the servers (Options::tls). NATS starts in plain text: the server's
// INFO says tls_required, and the client then upgrades the same connection
// with a TLS handshake before its CONNECT. With these options set the client
// requires TLS of every server: one that does not offer it is refused
// (ERR_NATS_TLS_NOT_AVAILABLE), never spoken to in plain text.
struct TlsOptions {
  // The certificate authorities trusted to sign the server's certificate,
  // PEM text or a path ("": the system's), and, for mutual TLS, this client's
  // certificate and key. Ignored when secureContext is given.
  std::string ca{};
  std::string cert{};
  std::string key{};
  TlsVersion minVersion = TlsVersion::tls1_2;
  // A context shared with other connections instead of ca/cert/key.
  std::shared_ptr<SecureContext> secureContext{};
  // The name the server's certificate must be for, and the SNI. Default: the
  // server's host (a name, or an IP address checked against the certificate's
  // IP addresses); for a server the cluster announced by IP address
  // (connect_urls), the name of the server that announced it, as the official
  // clients do.
  std::string servername{};
  // Verify the server's certificate (chain and name). Off only for tests.
  bool rejectUnauthorized = true;
  // The TLS handshake's own bound; connectTimeout bounds the whole attempt
  // too, and the shorter one wins.
  std::chrono::milliseconds handshakeTimeout = defaultHandshakeTimeout;
};

struct Options {
  // Servers, tried in this order: "host:port", "nats://host:port",
  // "tls://host:port", "[::1]:4222" or "host" (port 4222). A tls:// server
  // makes the client require TLS (with the default TlsOptions unless tls is
  // set). The INFO's connect_urls (the cluster's other servers) are added as
  // they arrive.
  std::vector<std::string> servers{"127.0.0.1:4222"};
  // CONNECT's name: how the server's monitoring shows this client.
  std::string name{};
  // Authentication: a token, or a user and password (not both).
  std::string token{};
  std::string user{};
  std::string password{};
  // Whether the server sends our own publishes back to our subscriptions.
  bool echo = true;
  // TLS: required of every server when set (see TlsOptions).
  std::optional<TlsOptions> tls{};

  // The whole of a connection attempt: TCP connect, INFO, CONNECT, PONG.
  std::chrono::milliseconds connectTimeout{2'000};
  // A PING after this long, to find a dead connection that TCP would not
  // notice for minutes; 2 minutes, as the Go client.
  std::chrono::milliseconds pingInterval{120'000};
  // Pings unanswered at the next ping's time before the connection is
  // declared stale and dropped (ERR_NATS_STALE_CONNECTION).
  int maxPingsOutstanding = 2;

  // Reconnect when a connection is lost (false: close instead).
  bool reconnect = true;
  // Failed attempts per server before it is given up; -1: never. The Go
  // client's 60.
  int maxReconnectAttempts = 60;
  // The wait before trying a server again, doubled after each failed attempt
  // on it up to reconnectTimeWaitMax, plus a random jitter up to
  // reconnectJitter so that a cluster's clients do not all come back at once.
  std::chrono::milliseconds reconnectTimeWait{2'000};
  std::chrono::milliseconds reconnectTimeWaitMax{30'000};
  std::chrono::milliseconds reconnectJitter{100};
  // Publishes kept while disconnected (and before the first connection), sent
  // once connected; beyond it publish() throws ERR_NATS_BUFFER_FULL.
  std::size_t reconnectBufferSize = defaultReconnectBufferSize;

  // request()'s default timeout.
  std::chrono::milliseconds requestTimeout{5'000};
  // The prefix of the reply subjects of request(): <prefix>.<random>.<n>.
  std::string inboxPrefix = "_INBOX";

  // What the server may send (see ProtocolParser): the longest control line,
  // the largest payload ever (the server's max_payload applies below it),
  // the largest header block.
  ParserLimits limits{};
  // The TCP socket's own options.
  TcpSocketOptions socket{};
};

}  // namespace wirekit::nats
