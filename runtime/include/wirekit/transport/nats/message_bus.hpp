// SPDX-License-Identifier: Apache-2.0
#pragma once
// MessageBus<Schema>: the messages of one generated schema over NATS, with
// MessageStream's shape: typed send<Message>(fill) and on<Message>(handler).
//
//   auto nc = nats::connect(io, {.servers = {"127.0.0.1:4222"}});
//   auto bus = std::make_shared<nats::MessageBus<demo::trading::Schema>>(nc);
//   bus->on<NewOrder>([](const NewOrder::Decoder& order) { ... });   // demo.trading.NewOrder
//   bus->on<NewOrder>("orders.eu", handler, {.queue = "matchers"});  // a queue group
//   bus->on(events::error, [](const std::exception_ptr& e) { ... }); // BadMessageError
//   bool more = bus->send<NewOrder>([](NewOrder::Encoder& order) { order.orderId(7); });
//   if (!more) bus->once(events::drain, [&] { sendTheRest(); });
//
// Subjects: each message type has a default subject, "<prefix>.<MessageName>",
// the prefix being MessageBusOptions::prefix or else the schema's package;
// send and on take an explicit subject too (on's may hold wildcards).
//
// Sending encodes in place: Message::encode over the bus's one encode buffer
// (maxMessageLength bytes, allocated once), fill sets the fields, and the
// encoded bytes (the schema's message header and body: the whole payload,
// no other framing since NATS carries the length) go to Client::publish,
// which copies them once into its PUB frame. Nothing else is copied or
// allocated per message by the bus.
//
// Backpressure is the client's: send() returns Client::publish's boolean,
// false once the bytes waiting in the client's socket reach its
// writableHighWaterMark (Options::socket.writableHighWaterMark, 64 KiB by
// default) or while the client is disconnected and keeps publishes for the
// reconnection; the bus then emits 'drain' when the client does.
//
// Receiving: each subscription decodes its messages with the schema's
// decode(view) and calls the handler with the Message's decoder, a view of
// the received bytes valid during the call. A handler may take the
// nats::Message too (its reply subject, its headers): handler(decoder,
// message). A message that does not decode (bytes too short, another schema
// id, an unknown template id, a DecodeError naming the field path and byte)
// or of another type than the subscription's is an 'error' event
// (BadMessageError, naming the subject); the subscription goes on. With no
// 'error' listener, the error goes to the client's 'error', as an exception
// from any subscription handler does.
//
// Request and reply: request<Message>(subject, fill, callback) publishes
// with a reply inbox and calls callback(error, reply) with the reply decoded
// (a pointer to the schema's AnyMessage, valid during the call) or an error
// (the client's ERR_NATS_TIMEOUT, ERR_NATS_NO_RESPONDERS, or a
// BadMessageError); respond<Message>(request, fill) answers a received message.
//
// A MessageBus lives on its client's event loop. The client's subscriptions
// hold the bus weakly: when the bus goes, they are unsubscribed.

#include <concepts>
#include <cstddef>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

#include "wirekit/bytes/data_view.hpp"
#include "wirekit/error.hpp"
#include "wirekit/message/schema_messages.hpp"
#include "wirekit/transport/nats/client.hpp"
#include "wirekit/transport/nats/message.hpp"
#include "wirekit/transport/nats/message_bus_base.hpp"

namespace wirekit::nats {

// What on<Message>(handler) takes: handler(const Message::Decoder&), or
// handler(const Message::Decoder&, const nats::Message&).
template <class F, class Message>
concept BusHandler = std::invocable<F&, const typename Message::Decoder&> ||
    std::invocable<F&, const typename Message::Decoder&, const nats::Message&>;

template <GeneratedSchema Schema>
class MessageBus : public MessageBusBase {
 public:
  using Messages = SchemaMessages<Schema>;
  using AnyMessage = typename Messages::AnyMessage;
  // request()'s answer: an error and no reply, or the reply decoded.
  using ReplyCallback = std::function<void(const std::exception_ptr&, const AnyMessage*)>;

  explicit MessageBus(std::shared_ptr<Client> client, MessageBusOptions options = {})
      : MessageBusBase(std::move(client), std::move(options), Schema::package) {}

  // The default subject of Message: "<prefix>.<MessageName>".
  template <class Message>
  [[nodiscard]] std::string subject() const {
    static_assert(Messages::template contains<Message>, "not a message of this schema");
    return subjectOf(Message::name);
  }

  // --- Sending ---

  // Encodes a Message in place, fill(Message::Encoder&) setting its fields,
  // and publishes it to its default subject. Node's boolean: false means
  // wait for 'drain'. EncodeError from fill or for a message beyond
  // maxMessageLength; the client's errors (ERR_NATS_MAX_PAYLOAD,
  // ERR_NATS_BUFFER_FULL, ERR_NATS_CLOSED).
  template <class Message, class Fill>
  bool send(Fill&& fill) {
    return send<Message>(subject<Message>(), std::forward<Fill>(fill));
  }
  template <class Message, class Fill>
  bool send(std::string_view subject, Fill&& fill, const PublishOptions& options = {}) {
    static_assert(Messages::template contains<Message>, "not a message of this schema");
    return publishEncoded(subject, encode<Message>(fill), options);
  }

  // --- Receiving ---

  // Subscribes to Message's default subject, or to subject; handler gets each
  // Message received. options.queue: a queue group (each message to one
  // member). The subscription may be unsubscribed by the caller.
  template <class Message, class F>
  std::shared_ptr<Subscription> on(F&& handler, SubscribeOptions options = {}) {
    return on<Message>(subject<Message>(), std::forward<F>(handler), std::move(options));
  }
  template <class Message, class F>
  std::shared_ptr<Subscription> on(std::string subject, F&& handler,
                                   SubscribeOptions options = {}) {
    static_assert(Messages::template contains<Message>, "not a message of this schema");
    static_assert(BusHandler<F, Message>,
                  "on<Message>(handler): handler must be callable as "
                  "handler(const Message::Decoder&) or handler(const Message::Decoder&, "
                  "const nats::Message&)");
    return subscribe(
        std::move(subject),
        [this, handler = std::forward<F>(handler)](const nats::Message& received) mutable {
          const std::optional<AnyMessage> message = decodeOrReport(received);
          if (!message) return;
          const auto* decoder = std::get_if<Messages::template indexOf<Message>>(&*message);
          if (decoder == nullptr) {
            badMessage(received, wrongType(Message::name, *message));
            return;
          }
          if constexpr (std::invocable<F&, const typename Message::Decoder&,
                                       const nats::Message&>) {
            handler(*decoder, received);
          } else {
            handler(*decoder);
          }
        },
        std::move(options));
  }

  using MessageBusBase::on;

  // --- Request and reply ---

  // Publishes a Message to subject with a reply inbox; callback once, with
  // the reply decoded or an error.
  template <class Message, class Fill>
  void request(std::string_view subject, Fill&& fill, ReplyCallback callback,
               RequestOptions options = {}) {
    static_assert(Messages::template contains<Message>, "not a message of this schema");
    const std::size_t length = encode<Message>(fill);
    client().request(
        subject, encoded(length),
        // Nothing of the bus: the reply may come after it has gone.
        [callback = std::move(callback)](const std::exception_ptr& error,
                                         const nats::Message& reply) {
          if (error) {
            callback(error, nullptr);
            return;
          }
          std::optional<AnyMessage> message;
          try {
            message.emplace(decodeBytes(reply));
          } catch (const Error& decodeError) {
            callback(badMessageError(reply, decodeError.what()), nullptr);
            return;
          }
          callback(nullptr, &*message);
        },
        std::move(options));
  }

  // Sends a Message to the reply subject of a received message. TypeError if
  // it has none.
  template <class Message, class Fill>
  bool respond(const nats::Message& request, Fill&& fill) {
    if (request.reply.empty())
      throw TypeError("MessageBus respond(): the message on '" + request.subject +
                      "' has no reply subject");
    return send<Message>(request.reply, std::forward<Fill>(fill));
  }

 private:
  // Encodes into the bus's buffer; the encoded length.
  template <class Message, class Fill>
  std::size_t encode(Fill& fill) {
    auto encoder = Message::encode(DataView(encodeSpace()));
    fill(encoder);
    return encoder.encodedLength();
  }

  static AnyMessage decodeBytes(const nats::Message& received) {
    // A Buffer is a shared handle: the copy is of the handle, for the
    // mutable span DataView takes; the decoder only reads.
    Buffer data = received.data;
    return Messages::decode(DataView(data.bytes()));
  }

  // The message decoded, or nothing after an 'error' event. Only the
  // decoding is guarded: what the handler throws is the handler's.
  std::optional<AnyMessage> decodeOrReport(const nats::Message& received) {
    try {
      return decodeBytes(received);
    } catch (const Error& error) {
      badMessage(received, error.what());
      return std::nullopt;
    }
  }

  static std::string wrongType(std::string_view expected, const AnyMessage& message) {
    return std::string(Schema::package) + ": message #" + std::to_string(message.index() + 1) +
           " of the schema where " + std::string(expected) + " was expected";
  }
};

}  // namespace wirekit::nats
