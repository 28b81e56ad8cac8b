// SPDX-License-Identifier: Apache-2.0
#pragma once
// MessageBusBase: the part of MessageBus<Schema> (message_bus.hpp) that does
// not depend on the schema, compiled once in the runtime: the encode buffer,
// publishing its bytes, the subjects, the 'error' for a message that does not
// decode and the 'drain' passed on from the client.

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "wirekit/bytes/buffer.hpp"
#include "wirekit/export.hpp"
#include "wirekit/stream/event_emitter.hpp"
#include "wirekit/transport/nats/client.hpp"
#include "wirekit/transport/nats/error.hpp"
#include "wirekit/transport/nats/message.hpp"

namespace wirekit::nats {

// The largest message a bus encodes by default: 1 MiB, nats-server's default
// max_payload (the server's own max_payload applies too).
inline constexpr std::size_t defaultMaxMessageLength = std::size_t{1024} * 1024;

struct MessageBusOptions {
  // The default subject of a message type is "<prefix>.<MessageName>"; empty:
  // the schema's package ("demo.trading.NewOrder").
  std::string prefix{};
  // The largest message send() encodes (the size of the bus's one encode
  // buffer); a larger one is an EncodeError from send(). RangeError below
  // 64 bytes.
  std::size_t maxMessageLength = defaultMaxMessageLength;
};

// A received message that is not what its subscription expects: bytes that
// do not decode (what() names the subject, then the DecodeError's field path
// and byte offset), another schema, an unknown template, or a message of
// another type than on<Message> asked for.
class WIREKIT_EXPORT BadMessageError : public NatsError {
 public:
  BadMessageError(const std::string& subject, const std::string& message)
      : NatsError("ERR_NATS_BAD_MESSAGE", "message on '" + subject + "': " + message),
        subject_(subject) {}

  [[nodiscard]] const std::string& subject() const noexcept { return subject_; }

 private:
  std::string subject_;
};

class WIREKIT_EXPORT MessageBusBase : public EventEmitter {
 public:
  MessageBusBase(std::shared_ptr<Client> client, MessageBusOptions options,
                 std::string_view package);
  ~MessageBusBase() override;
  MessageBusBase(const MessageBusBase&) = delete;
  MessageBusBase& operator=(const MessageBusBase&) = delete;

  [[nodiscard]] Client& client() const noexcept { return *client_; }
  [[nodiscard]] const std::string& prefix() const noexcept { return options_.prefix; }
  // "<prefix>.<name>".
  [[nodiscard]] std::string subjectOf(std::string_view name) const;

 protected:
  // The bus's encode buffer (maxMessageLength bytes); a message encoded in it
  // is published with publishEncoded before the next one is.
  [[nodiscard]] std::span<std::byte> encodeSpace() noexcept { return encodeBuffer_.bytes(); }
  bool publishEncoded(std::string_view subject, std::size_t length, const PublishOptions& options);
  // The first length bytes of the encode buffer, shared, not copied: for a
  // client call that copies them before it returns (publish, request).
  [[nodiscard]] Buffer encoded(std::size_t length) const;
  // A subscription of the client whose handler does nothing once the bus is
  // gone (the bus unsubscribes what it subscribed when it goes).
  std::shared_ptr<Subscription> subscribe(std::string subject, MessageHandler handler,
                                          SubscribeOptions options);
  // The 'error' event for a message that did not give what was expected.
  void badMessage(const Message& message, const std::string& what);
  [[nodiscard]] static std::exception_ptr badMessageError(const Message& message,
                                                          const std::string& what);
  // Whether the bus still exists, for the handlers the client keeps.
  [[nodiscard]] std::weak_ptr<void> aliveToken() const noexcept { return alive_; }

 private:
  std::shared_ptr<Client> client_;
  MessageBusOptions options_;
  Buffer encodeBuffer_;
  std::shared_ptr<void> alive_;
  ListenerId drainListener_ = 0;
  std::vector<std::weak_ptr<Subscription>> subscriptions_;
};

}  // namespace wirekit::nats
