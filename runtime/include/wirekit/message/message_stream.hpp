// SPDX-License-Identifier: Apache-2.0
#pragma once
// MessageStream<Schema>: the messages of one generated schema over any byte
// stream, framed with the FIX Simple Open Framing Header (SOFH) — the one place
// where schemas meet streams.
//
//   auto messages = std::make_shared<MessageStream<demo::trading::Schema>>(socket);
//   messages->on<NewOrder>([](const NewOrder::Decoder& order) { ... });
//   messages->on(events::badMessage, [](const MessageError& error) { log(error.what()); });
//   bool more = messages->send<NewOrder>([&](NewOrder::Encoder& order) {
//     order.orderId(7).symbol("ACME").quantity(100);
//   });
//   if (!more) messages->once(events::drain, [&] { sendTheRest(); });
//
// Sending encodes in place. Messages are written straight into a large
// outgoing chunk (chunkSize, 64 KiB by default): room for the 6-byte header,
// Message::encode over the rest, the fill callback sets the fields, then the
// header is written with the encoded length. Nothing is copied, nothing is
// allocated per message. The messages of a chunk go to the stream together, as
// one write of a subarray of the chunk: at the end of the event-loop turn (a
// posted flush), or, for messages sent by the handlers of received messages
// (replies), once the handlers of the bytes received are done, so that a reply
// costs no extra turn of the loop; when the chunk is full, when the bytes
// waiting reach the stream's highWaterMark, or on flush() and end(). A message that does not fit
// in what is left of the chunk is encoded again in a fresh chunk, and one that
// does not fit in a whole chunk in a chunk of maxFrameLength bytes: the fill
// callback may run up to three times, so it should only set fields. An
// EncodeError that is not for want of room (a value too long for its field)
// comes out of send() once the largest attempt has failed too.
//
// send() returns Node's backpressure boolean: false once the bytes waiting in
// the stream reach its highWaterMark and its write() has said so; stop
// sending until 'drain'.
//
// Receiving: the bytes of the readable side are cut into frames (SOFH with the
// schema's encoding type), each frame is decoded with the schema's
// decode(view), and the message goes to the handler registered for its type
// with on<Message>, or else to onAny's. The decoder a handler gets is a view of
// the received frame: valid during the handler only. To keep a message, keep
// the frame (onAny gives it; a Buffer is a shared handle, not a copy) and
// decode it again later.
//
// Bad input never crashes and, by default, never ends the stream: a frame
// that is too long or has another encoding type is skipped, a frame that does
// not decode (another schema id, an unknown template id, a DecodeError) is
// dropped; each is reported by a 'badMessage' event (MessageError, with the
// stream offset of the frame) and the next frame is read. With
// destroyOnBadInput the first bad frame ends the stream instead. A frame whose
// length field cannot be right (below the header), or bytes left over when
// the stream ends mid-frame, are fatal and end the stream too.
//
// Ending on bad input is graceful, so that no reply is lost: every message
// before the bad bytes has been handled, nothing after them is; what the
// handlers sent is written, then the writable side ends (a socket's FIN),
// then 'error' reports the error (MessageError or FrameError, naming the
// offset) once. The readable side is then read to its end, its bytes dropped,
// for at most lingerTimeout, and the streams are destroyed: a socket closed
// with unread bytes would be reset, and the kernel would drop the replies it
// has not sent yet. endGracefully() ends the same way without an error (a
// server's graceful close).
//
// Limits for a peer that is not trusted (see MessageStreamOptions): a frame
// begun must be whole within frameTimeout (60 s by default) or the stream is
// destroyed; a too-long frame is skipped only up to maxDiscardLength (16 MiB);
// maxBadMessages bounds the bad frames a stream reports before it is
// destroyed. A frame's buffer grows with its bytes as they arrive, and is
// charged to the readable side's memory account, so that a TcpServer's
// maxBufferedBytes bounds the frames of all its connections together.
//
// Events: 'badMessage'; and, passed on from the underlying streams, 'drain'
// (writable side), 'end' (readable side, after the last message has been
// handled), 'error' (once) and 'close' (once every underlying stream has
// closed). As in Node, an 'error' without a listener is thrown out of
// asio::io_context::run().
//
// A MessageStream lives on its streams' event loop, like them; create it with
// std::make_shared. It keeps its streams alive, not the other way round.
//
// The work that does not depend on the schema is MessageStreamBase's
// (message_stream_base.hpp), compiled once in the runtime; this template adds
// the typed handlers and send<Message>. This header does not include Asio: to
// run the event loop, include <asio/io_context.hpp>.

#include <array>
#include <concepts>
#include <cstddef>
#include <memory>
#include <span>
#include <type_traits>
#include <utility>
#include <variant>
#include "wirekit/detail/function.hpp"

#include "wirekit/bytes/buffer.hpp"
#include "wirekit/bytes/data_view.hpp"
#include "wirekit/error.hpp"
#include "wirekit/framing/sofh.hpp"
#include "wirekit/message/message_error.hpp"
#include "wirekit/message/message_stream_base.hpp"
#include "wirekit/message/schema_messages.hpp"
#include "wirekit/stream/duplex.hpp"
#include "wirekit/stream/readable.hpp"
#include "wirekit/stream/writable.hpp"

namespace wirekit {

namespace detail {

// SOFH's encoding type for the messages of a schema in byteOrder.
[[nodiscard]] constexpr SofhEncodingType sofhEncodingType(ByteOrder byteOrder) noexcept {
  return byteOrder == ByteOrder::little ? SofhEncodingType::sbeLittleEndian
                                        : SofhEncodingType::sbeBigEndian;
}

}  // namespace detail

// What on<Message>(handler) takes: a callable as handler(const Message::Decoder&),
// or nullptr to remove the handler.
template <class F, class Message>
concept MessageHandler = std::invocable<F&, const typename Message::Decoder&> ||
    std::is_null_pointer_v<std::remove_cvref_t<F>>;

// Schema: the `Schema` struct of a generated header (demo::trading::Schema),
// not a message.
template <GeneratedSchema Schema>
class MessageStream : public MessageStreamBase {
 public:
  using Messages = SchemaMessages<Schema>;
  using AnyMessage = typename Messages::AnyMessage;
  // For messages without a handler of their own: the message and its frame
  // (the message's bytes, without the SOFH header).
  using AnyHandler = std::function<void(const AnyMessage& message, const Buffer& frame)>;

  // Over both sides of a Duplex (a TCP socket, a PassThrough).
  explicit MessageStream(const std::shared_ptr<Duplex>& duplex, MessageStreamOptions options = {})
      : MessageStream(duplex, duplex, options) {}
  // Receiving from readable, sending to writable; either may be null (a file
  // read back, a file or gzip stream written to). TypeError if both are;
  // RangeError for a chunkSize or maxFrameLength too small for a message header.
  MessageStream(std::shared_ptr<Readable> readable, std::shared_ptr<Writable> writable,
                MessageStreamOptions options = {})
      : MessageStreamBase(std::move(readable), std::move(writable), options, Schema::headerSize,
                          detail::sofhEncodingType(Schema::byteOrder)) {}

  using MessageStreamBase::on;

  // --- Receiving ---

  // Calls handler(const Message::Decoder&) for each Message received (one
  // handler per type: a later call replaces it; nullptr removes it).
  template <class Message, class F>
  void on(F&& handler) {
    static_assert(Messages::template contains<Message>, "not a message of this schema");
    static_assert(MessageHandler<F, Message>,
                  "on<Message>(handler): handler must be callable as "
                  "handler(const Message::Decoder&), or be nullptr");
    // Only the assertions above speak when they fail, not std::function's internals.
    if constexpr (Messages::template contains<Message> && MessageHandler<F, Message>) {
      // One std::function type for every message's handler (given the whole
      // variant, it takes its own alternative): a std::function per decoder
      // type cost the translation unit about 4 MB of compiler memory.
      auto& slot = handlers_[Messages::template indexOf<Message>];
      if constexpr (std::is_null_pointer_v<std::remove_cvref_t<F>>) {
        slot = nullptr;
      } else {
        // An empty std::function or a null function pointer removes the
        // handler, as nullptr does.
        if constexpr (requires { handler == nullptr; }) {
          if (handler == nullptr) {
            slot = nullptr;
            return;
          }
        }
        // dispatch() picks this slot by the message's index: the alternative is there.
        slot = [typed = std::forward<F>(handler)](const AnyMessage& message) mutable {
          typed(*std::get_if<Messages::template indexOf<Message>>(&message));
        };
      }
    }
  }
  // Calls handler(message, frame) for each message whose type has no handler.
  void onAny(AnyHandler handler) { anyHandler_ = std::move(handler); }

  // --- Sending ---

  // Encodes a Message in place, fill(Message::Encoder&) setting its fields,
  // and queues it. Returns false once the stream's highWaterMark is reached
  // (wait for 'drain'). fill may run more than once (see above). EncodeError
  // from the encoder or fill; TypeError without a writable side. After end()
  // or destroy, nothing is encoded and the stream refuses the write as Node
  // does (ERR_STREAM_WRITE_AFTER_END, ERR_STREAM_DESTROYED).
  template <class Message, class Fill>
  bool send(Fill&& fill) {
    static_assert(Messages::template contains<Message>, "not a message of this schema");
    constexpr std::size_t least = sofhHeaderLength + Schema::headerSize + Message::blockLength;
    if (!startSend(Message::name, least)) return refuseSend();
    // At most three attempts: the rest of the chunk, a fresh chunk, a fresh
    // chunk of maxFrameLength bytes.
    for (;;) {
      const std::size_t room = chunkRoom();
      const bool largest = room >= options().maxFrameLength;
      if (room >= least) {
        try {
          // EncodeError leaves the chunk as it was.
          const std::size_t space =
              room < options().maxFrameLength ? room : options().maxFrameLength;
          auto encoder = Message::encode(DataView(messageSpace(space)));
          fill(encoder);
          return commit(encoder.encodedLength());
        } catch (const EncodeError& error) {
          if (largest) throwTooLarge(Message::name, error);
        }
      }
      nextChunk();
    }
  }

  // The stream's shared ownership, as this type (MessageStreamBase's is of
  // the base).
  [[nodiscard]] std::shared_ptr<MessageStream> shared_from_this() {
    return std::static_pointer_cast<MessageStream>(MessageStreamBase::shared_from_this());
  }
  [[nodiscard]] std::shared_ptr<const MessageStream> shared_from_this() const {
    return std::static_pointer_cast<const MessageStream>(MessageStreamBase::shared_from_this());
  }
  [[nodiscard]] std::weak_ptr<MessageStream> weak_from_this() noexcept {
    return std::static_pointer_cast<MessageStream>(MessageStreamBase::weak_from_this().lock());
  }

 private:
  // The message is decoded straight into a local (not an optional filled
  // from a temporary: a copy of the variant per message); a DecodeError the
  // handler throws is not the message's and goes on, as every exception from
  // a handler does.
  void dispatch(std::span<std::byte> bytes, const ReceivedFrame& frame) override {
    const AnyMessage message = Messages::decode(DataView(bytes));
    messageDecoded(bytes.size());
    const auto& handler = handlers_[message.index()];
    if (handler) {
      handler(message);
    } else if (anyHandler_) {
      anyHandler_(message, frame.buffer());
    }
  }

  // By the message's index in AnyMessage; not std::visit, whose table of
  // functions cost each translation unit about 1.3 MB of compiler memory.
  std::array<std::function<void(const AnyMessage&)>, Messages::messageCount> handlers_;
  AnyHandler anyHandler_;
};

}  // namespace wirekit
