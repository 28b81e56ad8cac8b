// SPDX-License-Identifier: Apache-2.0
#pragma once
// ProtocolParser: the server's side of the NATS core protocol, parsed as a
// state machine over the chunks a socket delivers (an operation may be cut
// anywhere, a chunk may hold many):
//
//   INFO <json>                 MSG <subject> <sid> [reply] <size>\r\n<payload>\r\n
//   PING  PONG  +OK  -ERR <text>    HMSG <subject> <sid> [reply] <hsize>
//   <size>\r\n<headers+payload>\r\n
//
// The server is not trusted: every length is bounded before anything is
// allocated (ParserLimits), and bytes that are not the protocol raise a
// NatsProtocolError naming the operation and the byte offset where it began.
// The parser finishes an operation (its state back to the start) before it
// calls the handler, so a handler may throw, or close the client, safely.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "wirekit/bytes/buffer.hpp"
#include "wirekit/export.hpp"
#include "wirekit/transport/nats/message.hpp"

namespace wirekit::nats {

// The longest control line accepted (an INFO with a long connect_urls list
// is the longest the server sends): 64 KiB. The Go client's MAX_CONTROL_LINE
// is 4 KiB for what it sends; INFO lines of a large cluster exceed that.
inline constexpr std::size_t defaultMaxControlLine = std::size_t{64} * 1024;
// The largest payload accepted until the server's INFO says otherwise, and
// the ceiling on what an INFO may raise it to: 64 MiB, nats-server's own
// hard limit. A server claiming more is not believed.
inline constexpr std::size_t defaultMaxPayload = std::size_t{64} * 1024 * 1024;
// The largest header block accepted in an HMSG: 64 KiB.
inline constexpr std::size_t defaultMaxHeadersSize = std::size_t{64} * 1024;

struct ParserLimits {
  std::size_t maxControlLine = defaultMaxControlLine;
  std::size_t maxPayload = defaultMaxPayload;
  std::size_t maxHeadersSize = defaultMaxHeadersSize;
};

// What the parser found, operation by operation.
class ProtocolHandler {
 public:
  virtual ~ProtocolHandler() = default;
  virtual void onInfo(std::string_view json) = 0;
  virtual void onMessage(Message message) = 0;
  virtual void onPing() = 0;
  virtual void onPong() = 0;
  virtual void onOk() = 0;
  virtual void onError(std::string_view text) = 0;
};

class WIREKIT_EXPORT ProtocolParser {
 public:
  explicit ProtocolParser(ProtocolHandler& handler, ParserLimits limits = {});

  // The payload bound for this connection: the server's max_payload, never
  // above limits.maxPayload.
  void setMaxPayload(std::size_t maxPayload) noexcept;
  [[nodiscard]] std::size_t maxPayload() const noexcept { return maxPayload_; }

  // Parses chunk; NatsProtocolError on bytes that are not the protocol (the
  // parser is then unusable until reset()).
  void feed(std::span<const std::byte> chunk);
  // The server closed the connection: NatsProtocolError if it did so inside
  // an operation (a truncated line or payload).
  void finish() const;
  // A new connection: forget any partial operation, count bytes from 0.
  void reset() noexcept;

  // Bytes parsed on this connection.
  [[nodiscard]] std::uint64_t offset() const noexcept { return offset_; }

 private:
  enum class State { line, payload };

  void controlLine(std::string_view line);
  void messageLine(std::string_view op, std::string_view arguments, bool withHeaders);
  void finishPayload();
  [[noreturn]] void fail(const std::string& message) const;

  ProtocolHandler& handler_;
  ParserLimits limits_;
  std::size_t maxPayload_;
  State state_ = State::line;
  bool failed_ = false;
  std::uint64_t offset_ = 0;
  // Where the operation being parsed began.
  std::uint64_t start_ = 0;
  std::string line_;
  // The MSG or HMSG whose payload is being read: its header size, its
  // payload with the headers (size_ bytes, then the CRLF after it) and how
  // much of both has arrived.
  Message message_;
  bool withHeaders_ = false;
  std::size_t headerSize_ = 0;
  std::size_t size_ = 0;
  Buffer payload_;
  std::size_t filled_ = 0;
  char trailer_[2] = {0, 0};
};

}  // namespace wirekit::nats
