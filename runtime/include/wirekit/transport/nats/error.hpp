// SPDX-License-Identifier: Apache-2.0
#pragma once
// The NATS client's errors. NatsError's code() says what happened, as Node's
// error codes do; what() is "code: message".
//
//   ERR_NATS_SERVER          the server sent -ERR (serverMessage() is its text)
//   ERR_NATS_PROTOCOL        the server sent bytes that are not the protocol
//                            (NatsProtocolError, with the byte offset)
//   ERR_NATS_TIMEOUT         a request, flush or connection handshake took too long
//   ERR_NATS_NO_RESPONDERS   a request's subject has no subscriber
//   ERR_NATS_BUFFER_FULL     a publish while disconnected would exceed reconnectBufferSize
//   ERR_NATS_MAX_PAYLOAD     a message larger than the server's max_payload
//   ERR_NATS_DISCONNECTED    the connection was lost ('disconnect'; a flush whose PONG never came)
//   ERR_NATS_STALE_CONNECTION  maxPingsOutstanding pings went unanswered
//   ERR_NATS_NO_SERVERS      no server could be reached (every attempt used up)
//   ERR_NATS_TLS_REQUIRED    the server requires TLS and options.tls is not set
//   ERR_NATS_TLS_NOT_AVAILABLE  options.tls is set and the server does not offer TLS
//   ERR_NATS_DRAINING        subscribe() while draining
//   ERR_NATS_CLOSED          the client is closed

#include <cstdint>
#include <string>
#include <utility>

#include "wirekit/error.hpp"
#include "wirekit/export.hpp"

namespace wirekit::nats {

class WIREKIT_EXPORT NatsError : public Error {
 public:
  NatsError(const std::string& code, const std::string& message)
      : Error(code + ": " + message), code_(code) {}

  [[nodiscard]] const std::string& code() const noexcept { return code_; }

 private:
  std::string code_;
};

// -ERR from the server: "ERR_NATS_SERVER: 'Authorization Violation' from 127.0.0.1:4222".
class WIREKIT_EXPORT NatsServerError : public NatsError {
 public:
  NatsServerError(const std::string& message, std::string serverMessage)
      : NatsError("ERR_NATS_SERVER", message), serverMessage_(std::move(serverMessage)) {}

  // The server's text, without its quotes ("Authorization Violation").
  [[nodiscard]] const std::string& serverMessage() const noexcept { return serverMessage_; }

 private:
  std::string serverMessage_;
};

// Bytes from the server that break the protocol or the client's limits; the
// connection is dropped. offset() is where, in the bytes of that connection,
// the offending operation began.
class WIREKIT_EXPORT NatsProtocolError : public NatsError {
 public:
  NatsProtocolError(const std::string& message, std::uint64_t offset)
      : NatsError("ERR_NATS_PROTOCOL",
                  message + " (operation at byte " + std::to_string(offset) + ")"),
        offset_(offset) {}

  [[nodiscard]] std::uint64_t offset() const noexcept { return offset_; }

 private:
  std::uint64_t offset_;
};

}  // namespace wirekit::nats
