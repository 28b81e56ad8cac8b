// SPDX-License-Identifier: Apache-2.0
#pragma once
// MessageStreamBase: everything MessageStream<Schema> does whatever the schema
// is — framing, the receive loop, flushing and chunk reuse, limits, timers,
// the graceful end and errors — compiled once in the runtime
// (runtime/src/message/message_stream_base.cpp) rather than in every
// translation unit that includes a MessageStream, and without Asio in this
// header. MessageStream<Schema> (message_stream.hpp) adds only what needs the
// schema's types: decoding a message and calling its handler (dispatch), and
// encoding one (send<Message>). Use MessageStream; this class is its public
// interface, not a stream of its own.

#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include "wirekit/detail/chrono.hpp"
#include "wirekit/detail/owning_ptr.hpp"

#include "wirekit/bytes/buffer.hpp"
#include "wirekit/error.hpp"
#include "wirekit/export.hpp"
#include "wirekit/framing/length_field_frame_decoder.hpp"
#include "wirekit/framing/length_field_prepender.hpp"
#include "wirekit/framing/sofh.hpp"
#include "wirekit/message/message_error.hpp"
#include "wirekit/stream/detail/io_context_fwd.hpp"
#include "wirekit/stream/detail/ring_buffer.hpp"
#include "wirekit/stream/duplex.hpp"
#include "wirekit/stream/event_emitter.hpp"
#include "wirekit/stream/memory_budget.hpp"
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

class WIREKIT_EXPORT MessageStreamBase : public EventEmitter,
                                         public std::enable_shared_from_this<MessageStreamBase> {
 public:
  MessageStreamBase(const MessageStreamBase&) = delete;
  MessageStreamBase& operator=(const MessageStreamBase&) = delete;
  ~MessageStreamBase() override;

  using EventEmitter::on;

  // --- Receiving ---

  // Stop handling messages (after the current one) and pause the readable
  // side; resume() handles the frames already received, then resumes it.
  void pause();
  void resume();
  [[nodiscard]] bool isPaused() const noexcept { return paused_; }

  // --- Sending ---

  // Sends a message that is already encoded (one received, to echo or forward
  // it): copies its bytes into the outgoing chunk behind a fresh header; its
  // content is not checked. Returns as send(). EncodeError if the frame would
  // exceed maxFrameLength.
  bool sendEncoded(std::span<const std::byte> message);

  // Writes the messages queued so far to the stream now; returns what the
  // stream's write() does (true when nothing was queued).
  bool flush();

  // Flushes, then ends the writable side (callback on 'finish' or error).
  void end(Callback callback = nullptr);

  // Finishes what it has, then ends: handles the whole frames received so
  // far (by it, or read by the readable side and held there while paused),
  // once resume()d if paused, writes what their handlers send, ends the
  // writable side, reads the readable side to its end (dropping its bytes;
  // lingerTimeout at most) and closes. Bytes received after this call are
  // not handled. For a server's graceful close.
  void endGracefully();

  // Destroys the underlying streams. Streams that closed themselves while
  // frames received before their end waited for resume(): those frames are
  // dropped, and 'close' (after error's 'error') comes now.
  void destroy(const std::exception_ptr& error = nullptr);

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

 protected:
  // headerSize: the schema's message header; encodingType: SOFH's for the
  // schema's byte order. See MessageStream's constructors.
  MessageStreamBase(std::shared_ptr<Readable> readable, std::shared_ptr<Writable> writable,
                    const MessageStreamOptions& options, std::size_t headerSize,
                    SofhEncodingType encodingType);

  // The frame of the message being dispatched (its bytes, without the SOFH
  // header), made into a Buffer only when asked: for onAny.
  class ReceivedFrame {
   public:
    ReceivedFrame(const Buffer& chunk, std::ptrdiff_t begin, std::ptrdiff_t end) noexcept
        : chunk_(chunk), begin_(begin), end_(end) {}
    [[nodiscard]] Buffer buffer() const { return chunk_.subarray(begin_, end_); }

   private:
    const Buffer& chunk_;
    std::ptrdiff_t begin_;
    std::ptrdiff_t end_;
  };

  // The typed part of receiving: decodes a message (a view of its bytes,
  // valid during the call), calls messageDecoded(), then the message's
  // handler. A DecodeError thrown before messageDecoded() is the message's
  // (reported as bad input); one thrown after it is the handler's and goes on.
  virtual void dispatch(std::span<std::byte> message, const ReceivedFrame& frame) = 0;
  void messageDecoded(std::size_t length) noexcept {
    decoded_ = true;
    ++receivedMessages_;
    receivedBytes_ += sofhHeaderLength + length;
  }

  // The steps of send<Message>: whether the stream takes a message of name at
  // least least bytes long (false: refuseSend() is send's answer; EncodeError
  // if the frame cannot fit maxFrameLength); the room in the chunk (SOFH
  // header included); the space for a message in room bytes; commit() after
  // an encoder wrote length bytes there; nextChunk() when it did not fit.
  // Inline, as send() is: its checks cost less than the call once per message.
  [[nodiscard]] bool startSend(std::string_view name, std::size_t least) {
    requireWritable();
    if (!writable_->writable()) return false;
    if (least > options_.maxFrameLength) [[unlikely]]
      throwFrameTooSmall(name, least);
    return true;
  }
  [[nodiscard]] bool refuseSend();
  [[nodiscard]] std::size_t chunkRoom() const noexcept { return chunk_.length() - used_; }
  [[nodiscard]] std::span<std::byte> messageSpace(std::size_t room) noexcept {
    return {chunk_.data() + used_ + sofhHeaderLength, room - sofhHeaderLength};
  }
  bool commit(std::size_t length) {
    writeHeader(chunk_.data() + used_, length);
    used_ += sofhHeaderLength + length;
    ++sentMessages_;
    sentBytes_ += sofhHeaderLength + length;
    return queued();
  }
  void nextChunk();
  // Called in a catch block for an EncodeError of a message that did not fit
  // a whole maxFrameLength chunk: drops that chunk and throws the error, or,
  // for want of room, one that names the stream's limit.
  [[noreturn]] void throwTooLarge(std::string_view name, const EncodeError& error);

 private:
  struct Timers;

  [[nodiscard]] std::string frameLimit() const;
  [[noreturn]] void throwFrameTooSmall(std::string_view name, std::size_t least) const;
  void requireWritable() const {
    if (!writable_) throw TypeError("MessageStream: no writable side to send on");
  }

  // The SOFH header of a message of length bytes, at at. LengthFieldPrepender's
  // reserve/commit do this through Buffer handles and a general length field;
  // for SOFH it is two stores, so that a message costs no reference count and
  // no call. A frame beyond SOFH's u32 goes to the prepender for its EncodeError.
  void writeHeader(std::byte* at, std::size_t length) const {
    if (length > sofhMaxFrameLength - sofhHeaderLength) [[unlikely]] {
      prepender_.writeHeader(std::span<std::byte>(at, sofhHeaderLength), length);  // throws
    }
    writeSofhHeader(at, sofhHeaderLength + length, encodingType_);
  }

  // After a message was queued: hand the batch over at once if it reaches the
  // stream's highWaterMark, and return what the stream's write() says (false
  // only when the stream will emit 'drain'); else send it once the handlers of
  // the bytes received are done (a reply), or at the end of the turn.
  bool queued() {
    if (used_ - flushed_ + writable_->writableLength() >= writable_->writableHighWaterMark()) {
      return flush();
    }
    if (handling_) {
      sentWhileHandling_ = true;  // handleFrames() flushes when the handlers are done
    } else if (!flushScheduled_) {
      scheduleFlush();
    }
    return true;
  }
  void scheduleFlush();
  bool writeChunk();
  void releaseCork();

  void startChunk(std::size_t size);
  Buffer reusedOrNewChunk();
  void keepForReuse(Buffer chunk);
  static bool onlyHeldHere(const Buffer& chunk);

  void receive(const Buffer& chunk);
  void watchFrame();
  // What the frame decoder holds (a frame begun, bytes not yet cut), charged
  // to the readable side's memory account (a TcpServer's connection's).
  void chargeDecoder();
  void armFrameTimer(std::chrono::steady_clock::time_point at);
  void onFrameTimer();
  [[nodiscard]] std::uint64_t readBytes() const noexcept {
    return decoder_.streamOffset() + decoder_.bufferedBytes();
  }
  void stopFrameTimer();
  void handleFrames();
  void handleFramesNow();
  bool handleInPlace();
  // Once per frame, inside the frame loops: a call and its register saves
  // cost as much as the rest of it.
  [[gnu::always_inline]] inline void handle(std::span<std::byte> bytes, std::uint64_t offset,
                                            const ReceivedFrame& frame);
  void reportBadInput(const MessageError& error);
  [[nodiscard]] bool readingAborted() const;
  void onEnd();
  void finishReading();
  void fail(std::exception_ptr error);
  void endWriting(std::exception_ptr error);
  void linger();
  void onStreamError(const std::exception_ptr& error);
  void onStreamClose();
  void emitDeferredClose();

  std::shared_ptr<Readable> readable_;
  std::shared_ptr<Writable> writable_;
  MessageStreamOptions options_;
  asio::io_context* context_ = nullptr;
  SofhEncodingType encodingType_;

  // Receiving. readStream_: readable_ as a Stream, for destroyed() per frame
  // without the cast to a virtual base.
  const Stream* readStream_ = nullptr;
  LengthFieldFrameDecoder decoder_;
  MemoryCharge decoderCharge_;
  // The message being handled has decoded: a DecodeError now is its handler's.
  bool decoded_ = false;
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
  // lingerTimeout's and frameTimeout's timers (Asio's, so defined in the source).
  detail::OwningPtr<Timers> timers_;
  // frameTimeout: the offset of the frame begun and not yet whole, and when
  // it was first seen.
  std::optional<std::uint64_t> partialFrame_;
  std::chrono::steady_clock::time_point frameBegun_{};
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
  // The handlers' replies filled a chunk: the writable side is corked until
  // they are done (or reach its highWaterMark), so that the batch goes out in
  // one write rather than split where the chunk ended.
  bool corkedForReplies_ = false;

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
