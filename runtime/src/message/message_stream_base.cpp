// SPDX-License-Identifier: Apache-2.0
#include "wirekit/message/message_stream_base.hpp"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <string>
#include <utility>

#include <fmt/format.h>
#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <asio/steady_timer.hpp>

namespace wirekit {

struct MessageStreamBase::Timers {
  // After a graceful end: how long to read on (lingerTimeout).
  std::optional<asio::steady_timer> linger;
  // frameTimeout's, made when a first frame spans reads.
  std::optional<asio::steady_timer> frame;
};

namespace {

MessageStreamOptions checked(const MessageStreamOptions& options, std::size_t headerSize) {
  const std::size_t least = sofhHeaderLength + headerSize;
  if (options.chunkSize < least || options.maxFrameLength < least) {
    throw RangeError(
        fmt::format("MessageStream: chunkSize ({}) and maxFrameLength ({}) must hold at "
                    "least a {}-byte SOFH and message header",
                    options.chunkSize, options.maxFrameLength, least));
  }
  return options;
}

LengthFieldDecoderOptions decoderOptions(const MessageStreamOptions& options,
                                         SofhEncodingType encodingType) {
  LengthFieldDecoderOptions decoder = LengthFieldDecoderOptions::sofh(encodingType);
  decoder.maxFrameLength = options.maxFrameLength;
  decoder.maxDiscardLength = options.maxDiscardLength;
  // Bad frames of known extent are skipped and reported; reportBadInput
  // destroys the stream for destroyOnBadInput.
  decoder.discardMode = true;
  return decoder;
}

}  // namespace

MessageStreamBase::MessageStreamBase(std::shared_ptr<Readable> readable,
                                     std::shared_ptr<Writable> writable,
                                     const MessageStreamOptions& options, std::size_t headerSize,
                                     SofhEncodingType encodingType)
    : readable_(std::move(readable)),
      writable_(std::move(writable)),
      options_(checked(options, headerSize)),
      encodingType_(encodingType),
      decoder_(decoderOptions(options_, encodingType)),
      timers_(detail::makeOwning<Timers>()),
      prepender_(LengthFieldEncoderOptions::sofh(encodingType)) {
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
      const auto keep = weak_from_this().lock();
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

MessageStreamBase::~MessageStreamBase() {
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

void MessageStreamBase::throwFrameTooSmall(std::string_view name, std::size_t least) const {
  throw EncodeError(
      fmt::format("{}: a frame of at least {} bytes exceeds {}", name, least, frameLimit()));
}

bool MessageStreamBase::refuseSend() {
  return writable_->write(Buffer());
}

void MessageStreamBase::nextChunk() {
  startChunk(used_ == 0 && chunk_.length() >= options_.chunkSize ? options_.maxFrameLength
                                                                 : options_.chunkSize);
}

void MessageStreamBase::throwTooLarge(std::string_view name, const EncodeError& error) {
  // Drop the large chunk rather than keep it.
  flush();
  chunk_ = Buffer();
  used_ = flushed_ = 0;
  // Out of room in a whole frame: the limit is the stream's, not the codec's.
  if (dynamic_cast<const NoRoomError*>(&error) != nullptr) {
    throw EncodeError(fmt::format("{}: larger than {}: {}", name, frameLimit(), error.what()));
  }
  throw;
}

void MessageStreamBase::scheduleFlush() {
  std::shared_ptr<MessageStreamBase> self = weak_from_this().lock();
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

// The frame's decoding and handler are the schema's (dispatch); what is bad
// input is decided here.
void MessageStreamBase::handle(std::span<std::byte> bytes, std::uint64_t offset,
                               const ReceivedFrame& frame) {
  decoded_ = false;
  try {
    dispatch(bytes, frame);
  } catch (const DecodeError& error) {
    if (decoded_) throw;
    reportBadInput(
        MessageError(MessageError::Kind::message, offset,
                     fmt::format("message at stream offset {}: {}", offset, error.what())));
  }
}

void MessageStreamBase::pause() {
  paused_ = true;
  // The frame in progress waits on this side now: its deadline starts
  // again on resume().
  stopFrameTimer();
  if (readable_) readable_->pause();
}

void MessageStreamBase::resume() {
  paused_ = false;
  if (!readable_) return;
  handleFrames();
  if (!paused_) readable_->resume();
  watchFrame();
  chargeDecoder();
}

bool MessageStreamBase::sendEncoded(std::span<const std::byte> message) {
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

bool MessageStreamBase::flush() {
  const bool below = writeChunk();
  releaseCork();
  return below;
}

// Hands what waits in the chunk to the writable side (corked or not).
bool MessageStreamBase::writeChunk() {
  if (used_ == flushed_) return true;
  Buffer batch =
      chunk_.subarray(static_cast<std::ptrdiff_t>(flushed_), static_cast<std::ptrdiff_t>(used_));
  flushed_ = used_;
  // A destroyed stream has dropped what it held; these go with it.
  if (writable_->destroyed()) return false;
  return writable_->write(std::move(batch));
}

void MessageStreamBase::end(Callback callback) {
  requireWritable();
  flush();
  writable_->end(std::move(callback));
}

void MessageStreamBase::endGracefully() {
  if (ending_) return;
  ending_ = true;
  if (!readable_) {
    endWriting(nullptr);
    return;
  }
  acceptedBytes_ = readable_->readableLength();
  if (!paused_ && !handling_) handleFrames();
}

void MessageStreamBase::destroy(const std::exception_ptr& error) {
  if (readable_) readable_->destroy(error);
  if (writable_) writable_->destroy(error);
  if (closeDeferred_) {
    stopped_ = true;
    if (error) onStreamError(error);
    emitDeferredClose();
  }
}

// For the errors of a message too large to send.
std::string MessageStreamBase::frameLimit() const {
  return fmt::format(
      "maxFrameLength = {} bytes (raise MessageStreamOptions::maxFrameLength, on the receiving "
      "end too)",
      options_.maxFrameLength);
}

// Sends what is queued and continues in a new chunk of size bytes.
void MessageStreamBase::startChunk(std::size_t size) {
  // A reply that does not fit: the chunk's part of the batch waits for the
  // rest (a write now would reach the peer, and its read, in two parts).
  if (handling_ && !corkedForReplies_ && used_ != flushed_) {
    writable_->cork();
    corkedForReplies_ = true;
  }
  writeChunk();
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
Buffer MessageStreamBase::reusedOrNewChunk() {
  // Writes complete in order, so the oldest chunk is let go of first; one
  // that a consumer keeps holds reuse up until keepForReuse drops it.
  if (!sentChunks_.empty() && onlyHeldHere(sentChunks_.front())) return sentChunks_.popFront();
  return Buffer::allocUnsafeSlow(options_.chunkSize);
}

// Keeps a chunk handed to the stream for reuse, as many as the stream can
// hold at once (its highWaterMark) and two more: the one being filled
// meanwhile and one a stream may keep until its callback runs a turn later.
// Chunks of another size (maxFrameLength for a large message) are dropped.
void MessageStreamBase::keepForReuse(Buffer chunk) {
  if (chunk.length() != options_.chunkSize) return;
  const std::size_t kept = writable_->writableHighWaterMark() / options_.chunkSize + 2;
  if (sentChunks_.size() >= kept) sentChunks_.popFront();
  sentChunks_.pushBack(std::move(chunk));
}

// No Buffer but the one in sentChunks_ refers to chunk's bytes: the stream
// and whatever it passed them to are done with them.
bool MessageStreamBase::onlyHeldHere(const Buffer& chunk) {
  // buffer() is a handle of its own.
  if (chunk.buffer().sharedStorage().use_count() != 2) return false;
  // use_count() is a relaxed load: a stream that handed the chunk to a
  // thread of its own and dropped it there must have finished reading the
  // bytes before they are written again.
  std::atomic_thread_fence(std::memory_order_acquire);
  return true;
}

void MessageStreamBase::receive(const Buffer& chunk) {
  // Ending: the bytes the readable side held when endGracefully() was
  // called are handled; the rest is read (so that the peer's end is seen)
  // and dropped.
  Buffer accepted = chunk;
  if (ending_) {
    if (acceptedBytes_ == 0) return;
    const std::size_t length = std::min(chunk.length(), acceptedBytes_);
    acceptedBytes_ -= length;
    if (length < chunk.length()) accepted = chunk.subarray(0, static_cast<std::ptrdiff_t>(length));
  }
  try {
    decoder_.push(std::move(accepted));
  } catch (const FrameError&) {
    // The decoder already failed (fatally); the stream is being destroyed.
    return;
  }
  handleFrames();
  watchFrame();
  chargeDecoder();
}

void MessageStreamBase::chargeDecoder() {
  decoderCharge_.set(readable_->memoryAccount(), decoder_.heldBytes());
}

// frameTimeout: notes when a frame is begun, and keeps a timer armed while
// one is; the clock is read once per frame that spans reads, and the timer
// re-armed only when it fires (a stream that reads on keeps one frame or
// another begun), or cancelled when no frame is begun, so that it does not
// keep io_context::run() going for a stream that waits for nothing.
void MessageStreamBase::watchFrame() {
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

void MessageStreamBase::armFrameTimer(std::chrono::steady_clock::time_point at) {
  if (!timers_->frame) timers_->frame.emplace(*context_);
  frameTimerArmed_ = true;
  timers_->frame->expires_at(at);
  timers_->frame->async_wait([weak = weak_from_this()](std::error_code code) {
    const auto self = weak.lock();
    if (!self || code) return;
    self->onFrameTimer();
  });
}

void MessageStreamBase::onFrameTimer() {
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

void MessageStreamBase::stopFrameTimer() {
  partialFrame_.reset();
  if (!frameTimerArmed_) return;
  frameTimerArmed_ = false;
  timers_->frame->cancel();
}

// Handles the whole frames received, until paused or the readable side is
// aborted; then ends if the readable side has.
void MessageStreamBase::handleFrames() {
  if (handling_) return;  // resume() from a handler: the loop below goes on
  const auto keep = weak_from_this().lock();
  try {
    handleFramesNow();
  } catch (...) {
    if (sentWhileHandling_ && !flushScheduled_) scheduleFlush();
    releaseCork();
    throw;
  }
  // What the handlers sent (replies) goes out now, not a loop turn later: a
  // request read alone is answered without another turn of the event loop
  // (an epoll_wait) before the write. It is the same batch: all the frames
  // of the bytes received have been handled.
  if (sentWhileHandling_) flush();
  // A send that spilled into a new chunk and then threw (caught in its
  // handler) leaves the cork with no reply to flush.
  releaseCork();
}

void MessageStreamBase::releaseCork() {
  if (!corkedForReplies_) return;
  corkedForReplies_ = false;
  writable_->uncork();
}

void MessageStreamBase::handleFramesNow() {
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
    handle(frame->bytes(), offset,
           ReceivedFrame(*frame, 0, static_cast<std::ptrdiff_t>(frame->length())));
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
bool MessageStreamBase::handleInPlace() {
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
        readSofhEncodingType(frame) != static_cast<std::uint16_t>(encodingType_)) {
      break;
    }
    const std::size_t start = take.used;
    take.used += frameLength;
    // The next header, while this message is handled: a chunk just read
    // from a file or socket is not in the first-level cache (and its pages
    // not in the TLB), and the header is the first thing the next turn reads.
    __builtin_prefetch(bytes.data() + take.used);
    // The generated decoders only read: nothing is written through the view.
    const auto begin = bytes.data() - chunk.data() + static_cast<std::ptrdiff_t>(start);
    handle(std::span<std::byte>(const_cast<std::byte*>(frame) + sofhHeaderLength,
                                frameLength - sofhHeaderLength),
           streamOffset + start,
           ReceivedFrame(chunk, begin + static_cast<std::ptrdiff_t>(sofhHeaderLength),
                         begin + static_cast<std::ptrdiff_t>(frameLength)));
    if (paused_ || stopped_ || readingAborted() || decoder_.bufferedBytes() != buffered) {
      break;
    }
  }
  return take.used > 0;
}

void MessageStreamBase::reportBadInput(const MessageError& error) {
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
bool MessageStreamBase::readingAborted() const {
  if (!readStream_->destroyed()) return false;
  if (!readable_->readableEnded() || readStream_->errored()) return true;
  return readStream_ == static_cast<const Stream*>(writable_.get()) &&
         !writable_->writableFinished();
}

void MessageStreamBase::onEnd() {
  endReceived_ = true;
  if (stopped_ || ending_) return;
  if (!paused_ && !handling_) finishReading();
}

// The readable side has ended and every whole frame has been handled.
void MessageStreamBase::finishReading() {
  if (endEmitted_) return;
  try {
    decoder_.end();
  } catch (const FrameError&) {
    fail(std::current_exception());
    return;
  }
  endEmitted_ = true;
  stopFrameTimer();
  const auto keep = weak_from_this().lock();
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
void MessageStreamBase::fail(std::exception_ptr error) {
  if (stopped_) return;
  endWriting(std::move(error));
}

// The graceful end: no handler runs any more; what was sent is written, the
// writable side ends, then error (if any) is reported and the readable side
// is read to its end.
void MessageStreamBase::endWriting(std::exception_ptr error) {
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
  writable_->end([self = shared_from_this(), error = std::move(error)](const std::exception_ptr&) {
    if (error) self->onStreamError(error);
    self->linger();
    self->emitDeferredClose();
  });
}

// After the writable side has ended: wait for the peer's end (autoDestroy
// closes a Duplex whose sides have both ended), dropping what it still
// sends, for lingerTimeout at most.
void MessageStreamBase::linger() {
  if (!readable_ || readable_->destroyed() || readable_->readableEnded()) return;
  if (readStream_ != static_cast<const Stream*>(writable_.get())) {
    readable_->destroy();
    return;
  }
  timers_->linger.emplace(*context_, options_.lingerTimeout);
  timers_->linger->async_wait([self = shared_from_this()](std::error_code cancelled) {
    if (!cancelled) self->destroy();
  });
  readable_->resume();
}

void MessageStreamBase::onStreamError(const std::exception_ptr& error) {
  stopFrameTimer();
  if (errorEmitted_) return;
  errorEmitted_ = true;
  const auto keep = weak_from_this().lock();
  emit(events::error, error);
}

void MessageStreamBase::onStreamClose() {
  stopFrameTimer();
  if (++closedStreams_ < streamCount_) return;
  if (timers_->linger) timers_->linger->cancel();
  // Closed by autoDestroy after its clean end while paused: 'close' comes
  // last, after the frames received have been handled and 'end' or 'error'.
  if (endReceived_ && !endEmitted_ && !stopped_ && !readingAborted()) {
    closeDeferred_ = true;
    return;
  }
  const auto keep = weak_from_this().lock();
  emit(events::close);
}

void MessageStreamBase::emitDeferredClose() {
  if (!closeDeferred_) return;
  closeDeferred_ = false;
  const auto keep = weak_from_this().lock();
  emit(events::close);
}

}  // namespace wirekit
