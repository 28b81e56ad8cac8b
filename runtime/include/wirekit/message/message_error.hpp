// SPDX-License-Identifier: Apache-2.0
#pragma once
// MessageError: a frame received on a message stream that did not give a
// message. The stream reports it (the 'badMessage' event) and, unless told to
// destroy itself on bad input, goes on with the next frame.

#include <cstdint>
#include <string>

#include "wirekit/error.hpp"
#include "wirekit/export.hpp"
#include "wirekit/stream/event_emitter.hpp"

namespace wirekit {

class MessageError : public Error {
 public:
  enum class Kind : std::uint8_t {
    // The frame itself was bad (too long, another SOFH encoding type) and was
    // skipped; what() is the FrameError's message.
    frame,
    // The frame held no message of the schema: another schema id, an unknown
    // template id, or bytes that do not decode (DecodeError); what() is
    // "message at stream offset N: " and the DecodeError's message.
    message,
  };

  MessageError(Kind kind, std::uint64_t streamOffset, const std::string& message)
      : Error(message), kind_(kind), streamOffset_(streamOffset) {}

  [[nodiscard]] Kind kind() const noexcept { return kind_; }
  // The offset in the received byte stream of the frame's first byte (its header).
  [[nodiscard]] std::uint64_t streamOffset() const noexcept { return streamOffset_; }

 private:
  Kind kind_;
  std::uint64_t streamOffset_;
};

namespace events {
// 'badMessage': a received frame did not give a message; the stream goes on
// (unless MessageStreamOptions::destroyOnBadInput).
WIREKIT_EXPORT inline constexpr Event<const MessageError&> badMessage{"badMessage"};
}  // namespace events

}  // namespace wirekit
