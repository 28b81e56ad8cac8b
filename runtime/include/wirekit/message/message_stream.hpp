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
// (replies), once the handlers of the bytes received are done, so that a
// reply costs no extra turn of the loop; when the chunk is full, when the
// bytes waiting reach the stream's highWaterMark, or on flush() and end(). A message that does not
// fit in what is left of the chunk is encoded again in a fresh chunk, and one that does not fit in
// a whole chunk in a chunk of maxFrameLength bytes: the fill callback may run up to three times, so
// it should only set fields. An EncodeError that is not for want of room (a value too long for its
// field) comes out of send() once the largest attempt has failed too.
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
// destroyed. A frame's buffer grows with its bytes as they arrive.
//
// Events: 'badMessage'; and, passed on from the underlying streams, 'drain'
// (writable side), 'end' (readable side, after the last message has been
// handled), 'error' (once) and 'close' (once every underlying stream has
// closed). As in Node, an 'error' without a listener is thrown out of
// asio::io_context::run().
//
// A MessageStream lives on its streams' event loop, like them; create it with
// std::make_shared. It keeps its streams alive, not the other way round.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>

#include <fmt/format.h>
#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <asio/steady_timer.hpp>

#include "wirekit/bytes/buffer.hpp"
#include "wirekit/bytes/data_view.hpp"
#include "wirekit/error.hpp"
#include "wirekit/framing/length_field_frame_decoder.hpp"
#include "wirekit/framing/length_field_prepender.hpp"
#include "wirekit/framing/sofh.hpp"
#include "wirekit/message/message_error.hpp"
#include "wirekit/message/schema_messages.hpp"
#include "wirekit/stream/detail/ring_buffer.hpp"
#include "wirekit/stream/duplex.hpp"
#include "wirekit/stream/event_emitter.hpp"
#include "wirekit/stream/readable.hpp"
#include "wirekit/stream/stream.hpp"
#include "wirekit/stream/writable.hpp"

namespace wirekit {

// How long a frame may take to arrive once its first byte has: 60 s, Node's
// http headersTimeout.
inline constexpr std::chrono::milliseconds defaultFrameTimeout{60'000};

struct MessageStreamOptions {
  // The outgoing chunk that messages are encoded into, and sent from together.
  std::size_t chunkSize = std::size_t{64} * 1024;
  // The longest frame (SOFH header and message) sent or accepted. A longer
  // incoming frame is skipped and reported.
  std::size_t maxFrameLength = defaultMaxFrameLength;
  // End the stream on the first bad frame or message (gracefully, its
  // MessageError the 'error') instead of reporting it and reading on.
  bool destroyOnBadInput = false;
  // After a graceful end (bad input, endGracefully()): how long to keep
  // reading, and dropping, what the peer still sends before its own end, so
  // that the connection closes with a FIN, not a reset that would drop the
  // replies the kernel has not sent yet. Then the streams are destroyed.
  std::chrono::milliseconds lingerTimeout{2000};
  // Destroy the stream (with the MessageError) at the bad frame or message
  // after this many have been reported: a peer that keeps sending them is
  // broken or hostile. None: report every one.
  std::optional<std::uint64_t> maxBadMessages{};
  // The longest too-long frame that is skipped and reported; a longer one is
  // fatal (a FrameError), since skipping reads that many of the peer's bytes
  // as nothing: a hostile length field of 4 GiB would make the stream deaf
  // for the next 4 GiB.
  std::uint64_t maxDiscardLength = defaultMaxDiscardLength;
  // A frame whose first byte has arrived must be whole within this time, or
  // the stream is destroyed with a FrameError: a peer that sends a frame a
  // byte at a time (slowloris) keeps a connection and a frame buffer while
  // every byte resets an idle timeout. Not counted while the stream is
  // paused (it is then this side that does not read). None turns it off.
  std::optional<std::chrono::milliseconds> frameTimeout = defaultFrameTimeout;
};

namespace detail {

template <class Variant>
struct HandlersOf;
template <class... Decoders>
struct HandlersOf<std::variant<Decoders...>> {
  using type = std::tuple<std::function<void(const Decoders&)>...>;
};

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
class MessageStream : public EventEmitter,
                      public std::enable_shared_from_this<MessageStream<Schema>> {
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
      : readable_(std::move(readable)),
        writable_(std::move(writable)),
        options_(checked(options)),
        decoder_(decoderOptions(options_)),
        prepender_(LengthFieldEncoderOptions::sofh(detail::sofhEncodingType(Schema::byteOrder))) {
    if (!readable_ && !writable_) {
      throw TypeError("MessageStream: needs a readable or a writable stream");
    }
    context_ = readable_ ? &readable_->context() : &writable_->context();
    readStream_ = readable_.get();
    const Stream* writeStream = writable_.get();
    streamCount_ = (readable_ ? 1 : 0) + (writable_ && writeStream != readStream_ ? 1 : 0);
    if (readable_) {
      decoder_.onDiscard([this](const FrameError& error) {
        reportBadInput(MessageError(MessageError::Kind::frame, error.streamOffset(), error.what()));
      });
      dataListener_ = readable_->on(events::data, [this](const Buffer& chunk) { receive(chunk); });
      endListener_ = readable_->on(events::end, [this] { onEnd(); });
      readErrorListener_ = readable_->on(
          events::error, [this](const std::exception_ptr& error) { onStreamError(error); });
      readCloseListener_ = readable_->on(events::close, [this] { onStreamClose(); });
    }
    if (writable_) {
      drainListener_ = writable_->on(events::drain, [this] {
        const auto keep = this->weak_from_this().lock();
        emit(events::drain);
      });
      if (writeStream != readStream_) {
        writeErrorListener_ = writable_->on(
            events::error, [this](const std::exception_ptr& error) { onStreamError(error); });
        writeCloseListener_ = writable_->on(events::close, [this] { onStreamClose(); });
      }
    }
    // A Duplex that is not half-open (a socket, by default) ends its writable
    // side when its readable side ends, which can be while frames received
    // before the end wait to be handled (paused for backpressure): their
    // replies would be refused. The stream ends it itself once they have been.
    if (writeStream == readStream_) {
      auto* duplex = dynamic_cast<Duplex*>(readable_.get());
      if (duplex != nullptr && !duplex->allowHalfOpen()) {
        duplex->setAllowHalfOpen(true);
        endsWithReadable_ = true;
      }
    }
  }

  MessageStream(const MessageStream&) = delete;
  MessageStream& operator=(const MessageStream&) = delete;

  ~MessageStream() override {
    if (readable_) {
      readable_->off(events::data, dataListener_);
      readable_->off(events::end, endListener_);
      readable_->off(events::error, readErrorListener_);
      readable_->off(events::close, readCloseListener_);
    }
    if (writable_) {
      writable_->off(events::drain, drainListener_);
      writable_->off(events::error, writeErrorListener_);
      writable_->off(events::close, writeCloseListener_);
    }
  }

  using EventEmitter::on;

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
      std::get<Messages::template indexOf<Message>>(handlers_) = std::forward<F>(handler);
    }
  }
  // Calls handler(message, frame) for each message whose type has no handler.
  void onAny(AnyHandler handler) { anyHandler_ = std::move(handler); }

  // Stop handling messages (after the current one) and pause the readable
  // side; resume() handles the frames already received, then resumes it.
  void pause() {
    paused_ = true;
    // The frame in progress waits on this side now: its deadline starts
    // again on resume().
    stopFrameTimer();
    if (readable_) readable_->pause();
  }
  void resume() {
    paused_ = false;
    if (!readable_) return;
    handleFrames();
    if (!paused_) readable_->resume();
    watchFrame();
  }
  [[nodiscard]] bool isPaused() const noexcept { return paused_; }

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
    requireWritable();
    if (!writable_->writable()) return writable_->write(Buffer());
    constexpr std::size_t least = sofhHeaderLength + Schema::headerSize + Message::blockLength;
    if (least > options_.maxFrameLength) {
      throw EncodeError(fmt::format("{}: a frame of at least {} bytes exceeds {}", Message::name,
                                    least, frameLimit()));
    }
    // At most three attempts: the rest of the chunk, a fresh chunk, a fresh
    // chunk of maxFrameLength bytes.
    for (;;) {
      const std::size_t room = chunk_.length() - used_;
      const bool largest = room >= options_.maxFrameLength;
      if (room >= least) {
        try {
          place<Message>(std::min(room, options_.maxFrameLength), fill);
          return queued();
        } catch (const EncodeError& error) {
          if (largest) {
            // Drop the large chunk rather than keep it.
            flush();
            chunk_ = Buffer();
            used_ = flushed_ = 0;
            // Out of room in a whole frame: the limit is the stream's, not the codec's.
            if (dynamic_cast<const NoRoomError*>(&error) != nullptr) {
              throw EncodeError(
                  fmt::format("{}: larger than {}: {}", Message::name, frameLimit(), error.what()));
            }
            throw;
          }
        }
      }
      startChunk(used_ == 0 && chunk_.length() >= options_.chunkSize ? options_.maxFrameLength
                                                                     : options_.chunkSize);
    }
  }

  // Sends a message that is already encoded (one received, to echo or forward
  // it): copies its bytes into the outgoing chunk behind a fresh header; its
  // content is not checked. Returns as send(). EncodeError if the frame would
  // exceed maxFrameLength.
  bool sendEncoded(std::span<const std::byte> message) {
    requireWritable();
    if (!writable_->writable()) return writable_->write(Buffer());
    if (message.size() > options_.maxFrameLength - sofhHeaderLength) {
      throw EncodeError(
          fmt::format("MessageStream: a {}-byte message makes a frame longer than "
                      "maxFrameLength ({})",
                      message.size(), options_.maxFrameLength));
    }
    const std::size_t frameLength = sofhHeaderLength + message.size();
    if (chunk_.length() - used_ < frameLength) {
      startChunk(std::max(options_.chunkSize, frameLength));
    }
    std::byte* at = chunk_.data() + used_;
    writeHeader(at, message.size());
    if (!message.empty()) std::memcpy(at + sofhHeaderLength, message.data(), message.size());
    used_ += frameLength;
    ++sentMessages_;
    sentBytes_ += frameLength;
    return queued();
  }

  // Writes the messages queued so far to the stream now; returns what the
  // stream's write() does (true when nothing was queued).
  bool flush() {
    if (used_ == flushed_) return true;
    Buffer batch =
        chunk_.subarray(static_cast<std::ptrdiff_t>(flushed_), static_cast<std::ptrdiff_t>(used_));
    flushed_ = used_;
    // A destroyed stream has dropped what it held; these go with it.
    if (writable_->destroyed()) return false;
    return writable_->write(std::move(batch));
  }

  // Flushes, then ends the writable side (callback on 'finish' or error).
  void end(Callback callback = nullptr) {
    requireWritable();
    flush();
    writable_->end(std::move(callback));
  }

  // Finishes what it has, then ends: handles the whole frames received so
  // far (by it, or read by the readable side and held there while paused),
  // once resume()d if paused, writes what their handlers send, ends the
  // writable side, reads the readable side to its end (dropping its bytes;
  // lingerTimeout at most) and closes. Bytes received after this call are
  // not handled. For a server's graceful close.
  void endGracefully() {
    if (ending_) return;
    ending_ = true;
    if (!readable_) {
      endWriting(nullptr);
      return;
    }
    acceptedBytes_ = readable_->readableLength();
    if (!paused_ && !handling_) handleFrames();
  }

  // Destroys the underlying streams. Streams that closed themselves while
  // frames received before their end waited for resume(): those frames are
  // dropped, and 'close' (after error's 'error') comes now.
  void destroy(const std::exception_ptr& error = nullptr) {
    if (readable_) readable_->destroy(error);
    if (writable_) writable_->destroy(error);
    if (closeDeferred_) {
      stopped_ = true;
      if (error) onStreamError(error);
      emitDeferredClose();
    }
  }

  // --- Properties ---

  [[nodiscard]] const std::shared_ptr<Readable>& readable() const noexcept { return readable_; }
  [[nodiscard]] const std::shared_ptr<Writable>& writable() const noexcept { return writable_; }
  [[nodiscard]] const MessageStreamOptions& options() const noexcept { return options_; }
  // Messages queued by send() and sendEncoded(), and their frames' bytes.
  // Queued is not delivered: every graceful end (end(), endGracefully(), bad
  // input) writes them all before the FIN, but a destroy (destroy(), a reset
  // by the peer, a server's close deadline) drops what the stream has not
  // written yet; a TcpSocket's bytesWritten() counts what reached the kernel.
  [[nodiscard]] std::uint64_t sentMessages() const noexcept { return sentMessages_; }
  [[nodiscard]] std::uint64_t sentBytes() const noexcept { return sentBytes_; }
  // Messages received and decoded (handled or not), and their frames' bytes.
  [[nodiscard]] std::uint64_t receivedMessages() const noexcept { return receivedMessages_; }
  [[nodiscard]] std::uint64_t receivedBytes() const noexcept { return receivedBytes_; }
  // Frames reported by 'badMessage'.
  [[nodiscard]] std::uint64_t badMessages() const noexcept { return badMessages_; }
  // Queued bytes not yet handed to the stream.
  [[nodiscard]] std::size_t pendingBytes() const noexcept { return used_ - flushed_; }

 private:
  static MessageStreamOptions checked(const MessageStreamOptions& options) {
    constexpr std::size_t least = sofhHeaderLength + Schema::headerSize;
    if (options.chunkSize < least || options.maxFrameLength < least) {
      throw RangeError(
          fmt::format("MessageStream: chunkSize ({}) and maxFrameLength ({}) must hold at "
                      "least a {}-byte SOFH and message header",
                      options.chunkSize, options.maxFrameLength, least));
    }
    return options;
  }

  static LengthFieldDecoderOptions decoderOptions(const MessageStreamOptions& options) {
    LengthFieldDecoderOptions decoder =
        LengthFieldDecoderOptions::sofh(detail::sofhEncodingType(Schema::byteOrder));
    decoder.maxFrameLength = options.maxFrameLength;
    decoder.maxDiscardLength = options.maxDiscardLength;
    // Bad frames of known extent are skipped and reported; reportBadInput
    // destroys the stream for destroyOnBadInput.
    decoder.discardMode = true;
    return decoder;
  }

  // For the errors of a message too large to send.
  [[nodiscard]] std::string frameLimit() const {
    return fmt::format(
        "maxFrameLength = {} bytes (raise MessageStreamOptions::maxFrameLength, on the receiving "
        "end too)",
        options_.maxFrameLength);
  }

  void requireWritable() const {
    if (!writable_) throw TypeError("MessageStream: no writable side to send on");
  }

  // Encodes a Message at the end of the chunk, in room bytes (SOFH header
  // included), and commits it. EncodeError leaves the chunk as it was.
  template <class Message, class Fill>
  void place(std::size_t room, Fill& fill) {
    std::byte* at = chunk_.data() + used_;
    auto encoder = Message::encode(
        DataView(std::span<std::byte>(at + sofhHeaderLength, room - sofhHeaderLength)));
    fill(encoder);
    const std::size_t length = encoder.encodedLength();
    writeHeader(at, length);
    used_ += sofhHeaderLength + length;
    ++sentMessages_;
    sentBytes_ += sofhHeaderLength + length;
  }

  // The SOFH header of a message of length bytes, at at. LengthFieldPrepender's
  // reserve/commit do this through Buffer handles and a general length field;
  // for SOFH it is two stores, so that a message costs no reference count and
  // no call. A frame beyond SOFH's u32 goes to the prepender for its EncodeError.
  void writeHeader(std::byte* at, std::size_t length) const {
    if (length > sofhMaxFrameLength - sofhHeaderLength) [[unlikely]] {
      prepender_.writeHeader(std::span<std::byte>(at, sofhHeaderLength), length);  // throws
    }
    writeSofhHeader(at, sofhHeaderLength + length, encodingType);
  }

  // After a message was queued: hand the batch over at once if it reaches the
  // stream's highWaterMark, and return what the stream's write() says (false
  // only when the stream will emit 'drain'); else send it at the end of the turn.
  bool queued() {
    if (used_ - flushed_ + writable_->writableLength() >= writable_->writableHighWaterMark()) {
      return flush();
    }
    if (handling_) {
      sentWhileHandling_ = true;  // handleFrames() flushes when the handlers are done
    } else {
      scheduleFlush();
    }
    return true;
  }

  // Flushes at the end of the event-loop turn.
  void scheduleFlush() {
    if (!flushScheduled_) {
      std::shared_ptr<MessageStream> self = this->weak_from_this().lock();
      if (!self) {
        throw TypeError(
            "a MessageStream must be owned by a std::shared_ptr (create it with "
            "std::make_shared) before it sends");
      }
      flushScheduled_ = true;
      asio::post(*context_, [self = std::move(self)] {
        self->flushScheduled_ = false;
        self->flush();
      });
    }
  }

  // Sends what is queued and continues in a new chunk of size bytes.
  void startChunk(std::size_t size) {
    flush();
    Buffer sent = std::exchange(chunk_, Buffer());
    chunk_ = size == options_.chunkSize ? reusedOrNewChunk() : Buffer::allocUnsafeSlow(size);
    keepForReuse(std::move(sent));
    used_ = flushed_ = 0;
  }

  // A chunk the stream has let go of, else a new one. Fresh memory is not
  // free: once a few chunks are in flight at a time, glibc gives the freed
  // ones back to the kernel (the heap's top passes its trim threshold), and
  // a new chunk then takes a page fault for each 4 KiB written into it; in a
  // VM those 16 faults cost more than writing the 64 KiB to a file.
  Buffer reusedOrNewChunk() {
    // Writes complete in order, so the oldest chunk is let go of first; one
    // that a consumer keeps holds reuse up until keepForReuse drops it.
    if (!sentChunks_.empty() && onlyHeldHere(sentChunks_.front())) return sentChunks_.popFront();
    return Buffer::allocUnsafeSlow(options_.chunkSize);
  }

  // Keeps a chunk handed to the stream for reuse, as many as the stream can
  // hold at once (its highWaterMark) and two more: the one being filled
  // meanwhile and one a stream may keep until its callback runs a turn later.
  // Chunks of another size (maxFrameLength for a large message) are dropped.
  void keepForReuse(Buffer chunk) {
    if (chunk.length() != options_.chunkSize) return;
    const std::size_t kept = writable_->writableHighWaterMark() / options_.chunkSize + 2;
    if (sentChunks_.size() >= kept) sentChunks_.popFront();
    sentChunks_.pushBack(std::move(chunk));
  }

  // No Buffer but the one in sentChunks_ refers to chunk's bytes: the stream
  // and whatever it passed them to are done with them.
  static bool onlyHeldHere(const Buffer& chunk) {
    // buffer() is a handle of its own.
    if (chunk.buffer().sharedStorage().use_count() != 2) return false;
    // use_count() is a relaxed load: a stream that handed the chunk to a
    // thread of its own and dropped it there must have finished reading the
    // bytes before they are written again.
    std::atomic_thread_fence(std::memory_order_acquire);
    return true;
  }

  void receive(const Buffer& chunk) {
    // Ending: the bytes the readable side held when endGracefully() was
    // called are handled; the rest is read (so that the peer's end is seen)
    // and dropped.
    Buffer accepted = chunk;
    if (ending_) {
      if (acceptedBytes_ == 0) return;
      const std::size_t length = std::min(chunk.length(), acceptedBytes_);
      acceptedBytes_ -= length;
      if (length < chunk.length())
        accepted = chunk.subarray(0, static_cast<std::ptrdiff_t>(length));
    }
    try {
      decoder_.push(std::move(accepted));
    } catch (const FrameError&) {
      // The decoder already failed (fatally); the stream is being destroyed.
      return;
    }
    handleFrames();
    watchFrame();
  }

  // frameTimeout: notes when a frame is begun, and keeps a timer armed while
  // one is; the clock is read once per frame that spans reads, and the timer
  // re-armed only when it fires (a stream that reads on keeps one frame or
  // another begun), or cancelled when no frame is begun, so that it does not
  // keep io_context::run() going for a stream that waits for nothing.
  void watchFrame() {
    if (!options_.frameTimeout) return;
    const std::optional<std::uint64_t> partial = paused_ || readStream_->destroyed() || endEmitted_
                                                     ? std::nullopt
                                                     : decoder_.partialFrameOffset();
    if (!partial) {
      stopFrameTimer();
      return;
    }
    if (partialFrame_ == partial) return;
    partialFrame_ = partial;
    frameBegun_ = std::chrono::steady_clock::now();
    if (!frameTimerArmed_) armFrameTimer(frameBegun_ + *options_.frameTimeout);
  }

  void armFrameTimer(std::chrono::steady_clock::time_point at) {
    if (!frameTimer_) frameTimer_ = std::make_unique<asio::steady_timer>(*context_);
    frameTimerArmed_ = true;
    frameTimer_->expires_at(at);
    frameTimer_->async_wait([weak = this->weak_from_this()](std::error_code code) {
      const auto self = weak.lock();
      if (!self || code) return;
      self->onFrameTimer();
    });
  }

  void onFrameTimer() {
    frameTimerArmed_ = false;
    if (!partialFrame_ || readStream_->destroyed()) return;
    const auto due = frameBegun_ + *options_.frameTimeout;
    if (std::chrono::steady_clock::now() < due) {
      armFrameTimer(due);
      return;
    }
    const auto timeout = static_cast<std::uint64_t>(options_.frameTimeout->count());
    fail(std::make_exception_ptr(
        FrameError(fmt::format("frame at stream offset {}: not whole {} ms after it began "
                               "(frameTimeout), at stream offset {}",
                               *partialFrame_, timeout, readBytes()),
                   *partialFrame_, timeout)));
  }

  // Bytes received so far: those taken as frames or skipped, and those held.
  [[nodiscard]] std::uint64_t readBytes() const noexcept {
    return decoder_.streamOffset() + decoder_.bufferedBytes();
  }

  void stopFrameTimer() {
    partialFrame_.reset();
    if (!frameTimerArmed_) return;
    frameTimerArmed_ = false;
    frameTimer_->cancel();
  }

  // Handles the whole frames received, until paused or the readable side is
  // aborted; then ends if the readable side has.
  void handleFrames() {
    if (handling_) return;  // resume() from a handler: the loop below goes on
    const auto keep = this->weak_from_this().lock();
    try {
      handleFramesNow();
    } catch (...) {
      if (sentWhileHandling_) scheduleFlush();
      throw;
    }
    // What the handlers sent (replies) goes out now, not a loop turn later: a
    // request read alone is answered without another turn of the event loop
    // (an epoll_wait) before the write. It is the same batch: all the frames
    // of the bytes received have been handled.
    if (sentWhileHandling_) flush();
  }

  void handleFramesNow() {
    handling_ = true;
    sentWhileHandling_ = false;
    struct Reset {
      bool& flag;
      ~Reset() { flag = false; }
    } reset{handling_};
    while (!paused_ && !stopped_ && !readingAborted()) {
      if (handleInPlace()) continue;
      std::optional<Buffer> frame;
      try {
        frame = decoder_.next();
      } catch (const FrameError&) {
        fail(std::current_exception());
        return;
      }
      // The decoder may have skipped a bad frame on the way to this one, and
      // destroyOnBadInput ended the stream there.
      if (stopped_) return;
      if (!frame) {
        if (ending_) {
          if (acceptedBytes_ == 0) endWriting(nullptr);
        } else if (endReceived_) {
          finishReading();
        }
        return;
      }
      const std::uint64_t offset = decoder_.streamOffset() - sofhHeaderLength - frame->length();
      handle(frame->bytes(), offset, [&frame]() -> const Buffer& { return *frame; });
    }
  }

  // The usual case, as the Node receiver does it: the frames that lie whole in
  // the first chunk the decoder holds are checked and decoded in place, as
  // views of the chunk: no Buffer, no reference count, no copy per frame; the
  // decoder is told once, when it stops. It stops at the first frame that is
  // not one of those (it runs past the chunk, its header is bad), leaving it to
  // the decoder's next(), which assembles, skips or rejects it; and when a
  // handler pushed more bytes (a loopback), to look again. Returns whether it
  // handled a frame.
  bool handleInPlace() {
    const std::span<const std::byte> bytes = decoder_.inPlaceBytes();
    if (bytes.size() < sofhHeaderLength) return false;
    // Keeps the bytes while they are used: a handler's push may gather the
    // decoder's chunks into a new one.
    const Buffer chunk = decoder_.inPlaceChunk();
    const std::uint64_t streamOffset = decoder_.streamOffset();
    const std::size_t buffered = decoder_.bufferedBytes();
    // The frames handled, taken from the decoder however this returns (a
    // handler may throw). Bytes are taken from the front whatever a push did to
    // the chunks, so these are the frames handled.
    struct Take {
      explicit Take(LengthFieldFrameDecoder& decoder) noexcept : decoder(decoder) {}
      Take(const Take&) = delete;
      Take& operator=(const Take&) = delete;
      ~Take() { decoder.takeInPlace(used); }
      LengthFieldFrameDecoder& decoder;
      std::size_t used = 0;
    } take(decoder_);
    while (bytes.size() - take.used >= sofhHeaderLength) {
      const std::byte* const frame = bytes.data() + take.used;
      const std::size_t frameLength = readSofhFrameLength(frame);
      if (frameLength < sofhHeaderLength || frameLength > bytes.size() - take.used ||
          frameLength > options_.maxFrameLength ||
          readSofhEncodingType(frame) != static_cast<std::uint16_t>(encodingType)) {
        break;
      }
      const std::size_t start = take.used;
      take.used += frameLength;
      // The next header, while this message is handled: a chunk just read
      // from a file or socket is not in the first-level cache (and its pages
      // not in the TLB), and the header is the first thing the next turn reads.
      __builtin_prefetch(bytes.data() + take.used);
      // The generated decoders only read: nothing is written through the view.
      handle(std::span<std::byte>(const_cast<std::byte*>(frame) + sofhHeaderLength,
                                  frameLength - sofhHeaderLength),
             streamOffset + start, [&chunk, &bytes, start, frameLength] {
               const auto begin = bytes.data() - chunk.data() + static_cast<std::ptrdiff_t>(start);
               return chunk.subarray(begin + static_cast<std::ptrdiff_t>(sofhHeaderLength),
                                     begin + static_cast<std::ptrdiff_t>(frameLength));
             });
      if (paused_ || stopped_ || readingAborted() || decoder_.bufferedBytes() != buffered) {
        break;
      }
    }
    return take.used > 0;
  }

  // Decodes a message (a view of its bytes, valid during the call), whose
  // frame starts at offset in the stream, and calls its handler; frameOf()
  // gives the message's bytes as a Buffer, made only for onAny.
  template <class FrameOf>
  void handle(std::span<std::byte> bytes, std::uint64_t offset, const FrameOf& frameOf) {
    // The message is decoded straight into a local (not an optional filled
    // from a temporary: a copy of the variant per message), so the handler is
    // called inside the try block too; a DecodeError it throws is not the
    // message's and goes on, as every exception from a handler does.
    bool decoded = false;
    try {
      const AnyMessage message = Messages::decode(DataView(bytes));
      decoded = true;
      ++receivedMessages_;
      receivedBytes_ += sofhHeaderLength + bytes.size();
      std::visit(
          [&](const auto& decoder) {
            using Decoder = std::decay_t<decltype(decoder)>;
            const auto& handler = std::get<std::function<void(const Decoder&)>>(handlers_);
            if (handler) {
              handler(decoder);
            } else if (anyHandler_) {
              anyHandler_(message, frameOf());
            }
          },
          message);
    } catch (const DecodeError& error) {
      if (decoded) throw;
      reportBadInput(
          MessageError(MessageError::Kind::message, offset,
                       fmt::format("message at stream offset {}: {}", offset, error.what())));
    }
  }

  void reportBadInput(const MessageError& error) {
    // With destroyOnBadInput the first bad input ends the stream: the frame
    // decoder may report more frames it skips in the same next() call.
    if (stopped_) return;
    ++badMessages_;
    emit(events::badMessage, error);
    if (options_.destroyOnBadInput ||
        (options_.maxBadMessages && badMessages_ > *options_.maxBadMessages)) {
      fail(std::make_exception_ptr(error));
    }
  }

  // The frames received can no longer be handled: the readable side was
  // destroyed by an error (a reset), before its end, or, a Duplex, while its
  // writable side was still open (destroy(), a server's close deadline). Not
  // when autoDestroy destroyed it after its clean end (a PassThrough whose
  // writable side has ended, a file read to its end): that can happen while
  // paused, and the frames it gave before its end are still handled.
  [[nodiscard]] bool readingAborted() const {
    if (!readStream_->destroyed()) return false;
    if (!readable_->readableEnded() || readStream_->errored()) return true;
    return readStream_ == static_cast<const Stream*>(writable_.get()) &&
           !writable_->writableFinished();
  }

  void onEnd() {
    endReceived_ = true;
    if (stopped_ || ending_) return;
    if (!paused_ && !handling_) finishReading();
  }

  // The readable side has ended and every whole frame has been handled.
  void finishReading() {
    if (endEmitted_) return;
    try {
      decoder_.end();
    } catch (const FrameError&) {
      fail(std::current_exception());
      return;
    }
    endEmitted_ = true;
    stopFrameTimer();
    const auto keep = this->weak_from_this().lock();
    emit(events::end);
    if (writable_) {
      if (endsWithReadable_ && writable_->writable()) {
        end();
      } else {
        flush();
      }
    }
    emitDeferredClose();
  }

  // Bad input that ends the stream: the first one only.
  void fail(std::exception_ptr error) {
    if (stopped_) return;
    endWriting(std::move(error));
  }

  // The graceful end: no handler runs any more; what was sent is written, the
  // writable side ends, then error (if any) is reported and the readable side
  // is read to its end.
  void endWriting(std::exception_ptr error) {
    stopped_ = true;
    ending_ = true;
    if (!writable_) {
      if (error) onStreamError(error);
      readable_->destroy();
      emitDeferredClose();
      return;
    }
    flush();
    // A second end() waits for the first one's 'finish'; a writable side that
    // is finished or destroyed calls back with an error of its own, which
    // has been reported (or needs not be): the end's error is this one.
    writable_->end([self = this->shared_from_this(), error](const std::exception_ptr&) {
      if (error) self->onStreamError(error);
      self->linger();
      self->emitDeferredClose();
    });
  }

  // After the writable side has ended: wait for the peer's end (autoDestroy
  // closes a Duplex whose sides have both ended), dropping what it still
  // sends, for lingerTimeout at most.
  void linger() {
    if (!readable_ || readable_->destroyed() || readable_->readableEnded()) return;
    if (readStream_ != static_cast<const Stream*>(writable_.get())) {
      readable_->destroy();
      return;
    }
    lingerTimer_.emplace(*context_, options_.lingerTimeout);
    lingerTimer_->async_wait([self = this->shared_from_this()](std::error_code cancelled) {
      if (!cancelled) self->destroy();
    });
    readable_->resume();
  }

  void onStreamError(const std::exception_ptr& error) {
    stopFrameTimer();
    if (errorEmitted_) return;
    errorEmitted_ = true;
    const auto keep = this->weak_from_this().lock();
    emit(events::error, error);
  }

  void onStreamClose() {
    stopFrameTimer();
    if (++closedStreams_ < streamCount_) return;
    if (lingerTimer_) lingerTimer_->cancel();
    // Closed by autoDestroy after its clean end while paused: 'close' comes
    // last, after the frames received have been handled and 'end' or 'error'.
    if (endReceived_ && !endEmitted_ && !stopped_ && !readingAborted()) {
      closeDeferred_ = true;
      return;
    }
    const auto keep = this->weak_from_this().lock();
    emit(events::close);
  }

  void emitDeferredClose() {
    if (!closeDeferred_) return;
    closeDeferred_ = false;
    const auto keep = this->weak_from_this().lock();
    emit(events::close);
  }

  std::shared_ptr<Readable> readable_;
  std::shared_ptr<Writable> writable_;
  MessageStreamOptions options_;
  asio::io_context* context_ = nullptr;

  static constexpr SofhEncodingType encodingType = detail::sofhEncodingType(Schema::byteOrder);

  // Receiving. readStream_: readable_ as a Stream, for destroyed() per frame
  // without the cast to a virtual base.
  const Stream* readStream_ = nullptr;
  LengthFieldFrameDecoder decoder_;
  typename detail::HandlersOf<AnyMessage>::type handlers_;
  AnyHandler anyHandler_;
  bool paused_ = false;
  bool handling_ = false;
  bool endReceived_ = false;
  bool endEmitted_ = false;
  // The Duplex was not half-open: 'end' ends the writable side (after the
  // handlers have run).
  bool endsWithReadable_ = false;
  // Ending gracefully (endGracefully() or bad input): bytes received are
  // dropped, but for acceptedBytes_ more (what the readable side held).
  bool ending_ = false;
  std::size_t acceptedBytes_ = 0;
  // No handler runs any more: the frames received before have been handled.
  bool stopped_ = false;
  std::optional<asio::steady_timer> lingerTimer_;
  // frameTimeout: the offset of the frame begun and not yet whole, when it
  // was first seen, and the timer that checks it.
  std::optional<std::uint64_t> partialFrame_;
  std::chrono::steady_clock::time_point frameBegun_{};
  std::unique_ptr<asio::steady_timer> frameTimer_;
  bool frameTimerArmed_ = false;

  // Sending: messages are encoded into chunk_ at used_; [flushed_, used_) is
  // queued, not yet handed to the stream.
  LengthFieldPrepender prepender_;
  Buffer chunk_;
  // Chunks handed to the stream, oldest first, to encode into again once the
  // stream has released them.
  detail::RingBuffer<Buffer> sentChunks_;
  std::size_t used_ = 0;
  std::size_t flushed_ = 0;
  bool flushScheduled_ = false;
  // A handler sent while handleFrames() ran: it flushes once they are done.
  bool sentWhileHandling_ = false;

  std::uint64_t sentMessages_ = 0;
  std::uint64_t sentBytes_ = 0;
  std::uint64_t receivedMessages_ = 0;
  std::uint64_t receivedBytes_ = 0;
  std::uint64_t badMessages_ = 0;

  int streamCount_ = 0;
  int closedStreams_ = 0;
  bool errorEmitted_ = false;
  bool closeDeferred_ = false;
  ListenerId dataListener_ = 0;
  ListenerId endListener_ = 0;
  ListenerId readErrorListener_ = 0;
  ListenerId readCloseListener_ = 0;
  ListenerId drainListener_ = 0;
  ListenerId writeErrorListener_ = 0;
  ListenerId writeCloseListener_ = 0;
};

}  // namespace wirekit
