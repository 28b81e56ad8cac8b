// SPDX-License-Identifier: Apache-2.0
#pragma once
// A NATS message as a subscriber receives it, and the NATS/1.0 header block
// that HPUB sends and HMSG carries:
//
//   NATS/1.0[ <status>[ <description>]]\r\n
//   <key>: <value>\r\n ...
//   \r\n
//
// A status appears only in what the server makes itself (503: a request with
// no responders). Keys are compared as sent (case-sensitive, as the Go
// client does); a key may repeat.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "wirekit/bytes/buffer.hpp"
#include "wirekit/export.hpp"

namespace wirekit::nats {

namespace detail {
// What ends each line of the protocol and of a header block.
inline constexpr std::string_view crlf = "\r\n";
}  // namespace detail

class WIREKIT_EXPORT Headers {
 public:
  // Adds a value (a key may have several). TypeError for a key that is empty
  // or holds ':', whitespace or control characters, or a value with CR or LF:
  // either would break the block.
  Headers& append(std::string key, std::string value);
  // Replaces every value of key with value.
  Headers& set(const std::string& key, std::string value);
  // The first value of key.
  [[nodiscard]] std::optional<std::string_view> get(std::string_view key) const;
  [[nodiscard]] bool has(std::string_view key) const { return get(key).has_value(); }
  [[nodiscard]] const std::vector<std::pair<std::string, std::string>>& entries() const noexcept {
    return entries_;
  }
  [[nodiscard]] bool empty() const noexcept { return entries_.empty() && status_ == 0; }

  // The status on the first line (0: none) and its description.
  [[nodiscard]] int status() const noexcept { return status_; }
  [[nodiscard]] const std::string& description() const noexcept { return description_; }

  // The block as HPUB sends it.
  [[nodiscard]] std::string encode() const;
  // A block as HMSG carries it; NatsProtocolError (at offset) if it is not one.
  [[nodiscard]] static Headers parse(std::string_view block, std::uint64_t offset);

 private:
  std::vector<std::pair<std::string, std::string>> entries_;
  int status_ = 0;
  std::string description_;
};

struct Message {
  std::string subject;
  // The subscription it came through.
  std::uint64_t sid = 0;
  // Where to answer (empty: no reply wanted). respond() publishes there.
  std::string reply;
  // Empty when the message came without headers (MSG rather than HMSG).
  Headers headers;
  // The payload (the headers excluded); this message's own bytes.
  Buffer data;

  [[nodiscard]] std::string string() const {
    return {reinterpret_cast<const char*>(data.begin()), data.length()};
  }
};

}  // namespace wirekit::nats
