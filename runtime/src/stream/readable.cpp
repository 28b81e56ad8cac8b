// SPDX-License-Identifier: Apache-2.0
// Readable, ported from Node's lib/internal/streams/readable.js (v20): the same
// state flags and the same decisions, so that events come in Node's order.

#include "wirekit/stream/readable.hpp"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "wirekit/error.hpp"
#include "wirekit/stream/detail/next_tick.hpp"
#include "wirekit/stream/detail/stream_access.hpp"
#include "wirekit/stream/writable.hpp"

namespace wirekit {

namespace {

// read(n) raises highWaterMark to the next power of two above n, up to 1 GiB.
constexpr std::size_t maxHighWaterMark = std::size_t{1} << 30;

std::size_t computeNewHighWaterMark(std::size_t size) {
  if (size > maxHighWaterMark) {
    throw RangeError(
        fmt::format("The value of \"size\" is out of range. It must be <= 1GiB. Received {} "
                    "[ERR_OUT_OF_RANGE]",
                    size));
  }
  std::size_t power = 1;
  while (power < size)
    power <<= 1;
  return power;
}

// Readable.from: pushes the chunks in order while push() accepts them.
class ChunkSource final : public Readable {
 public:
  ChunkSource(asio::io_context& context, std::vector<Buffer> chunks, ReadableOptions options)
      : Readable(context, std::move(options)), chunks_(std::move(chunks)) {}

 protected:
  void _read(std::size_t) override {
    while (next_ < chunks_.size()) {
      if (!push(std::exchange(chunks_[next_++], Buffer{}))) return;
    }
    push(std::nullopt);
  }

 private:
  std::vector<Buffer> chunks_;
  std::size_t next_ = 0;
};

}  // namespace

// The state of one readable.pipe(destination), shared by the listeners the pipe
// puts on both streams. While the source is open the link holds both streams,
// so that a pipe runs on its own (Node's closures do the same); once the
// source has closed it holds them weakly, and the pipe's listeners, which Node
// leaves in place, keep nothing alive.
struct Readable::PipeLink {
  std::shared_ptr<Readable> source;
  std::shared_ptr<Writable> destination;
  std::weak_ptr<Readable> weakSource;
  std::weak_ptr<Writable> weakDestination;
  // For identity only.
  Readable* sourceAddress = nullptr;
  Writable* destinationAddress = nullptr;
  bool cleanedUp = false;
  ListenerId onEnd = 0;
  ListenerId onData = 0;
  ListenerId onSourceClose = 0;
  ListenerId onUnpipe = 0;
  ListenerId onDrain = 0;
  ListenerId onError = 0;
  ListenerId onClose = 0;
  ListenerId onFinish = 0;

  [[nodiscard]] std::shared_ptr<Readable> lockSource() const {
    return source ? source : weakSource.lock();
  }
  [[nodiscard]] std::shared_ptr<Writable> lockDestination() const {
    return destination ? destination : weakDestination.lock();
  }

  static void cleanup(const std::shared_ptr<PipeLink>& link);
  static void release(PipeLink& link);
  static void destinationDone(const std::shared_ptr<PipeLink>& link, const Event<>& other,
                              ListenerId otherListener);
  static void pause(const std::shared_ptr<PipeLink>& link);
  static void onDrained(PipeLink& link);
};

// What pipe() keeps in the source, made by the first pipe.
struct Readable::Pipes {
  std::vector<std::shared_ptr<Writable>> destinations;
  // The destinations a pipe waits on for 'drain' (Node's awaitDrainWriters).
  std::vector<Writable*> awaitDrain;
};

Readable::Readable(asio::io_context& context, ReadableOptions options)
    : highWaterMark_(options.highWaterMark.value_or(options.objectMode ? defaultObjectHighWaterMark
                                                                       : defaultHighWaterMark)),
      objectMode_(options.objectMode),
      readOption_(std::move(options.read)) {
  initStream(context, options.emitClose, options.autoDestroy);
  readableSide_ = this;
  if (options.destroy) {
    setDestroyOption(
        [this, destroy = std::move(options.destroy)](std::exception_ptr error, Callback callback) {
          destroy(*this, std::move(error), std::move(callback));
        });
  }
}

Readable::~Readable() = default;

Readable::Pipes& Readable::pipes() {
  if (!pipes_) pipes_ = detail::makeOwning<Pipes>();
  return *pipes_;
}

std::shared_ptr<Readable> Readable::from(asio::io_context& context, std::vector<Buffer> chunks) {
  return from(context, std::move(chunks), ReadableOptions{.highWaterMark = 1, .objectMode = true});
}

std::shared_ptr<Readable> Readable::from(asio::io_context& context, std::vector<Buffer> chunks,
                                         ReadableOptions options) {
  return std::make_shared<ChunkSource>(context, std::move(chunks), std::move(options));
}

void Readable::_read(std::size_t size) {
  if (readOption_) {
    readOption_(*this, size);
    return;
  }
  throw StreamError("ERR_METHOD_NOT_IMPLEMENTED", "The _read() method is not implemented");
}

// --- Producing ---

bool Readable::push(Buffer chunk) {
  if (!objectMode_ && chunk.empty()) {
    reading_ = false;
    maybeReadMore();
    return canPushMore();
  }
  if (ended_) {
    errorOrDestroy(detail::streamError("ERR_STREAM_PUSH_AFTER_EOF", "stream.push() after EOF"));
    return false;
  }
  if (destroyed() || errored()) return false;
  reading_ = false;
  addToQueue(std::move(chunk), false);
  return canPushMore();
}

bool Readable::push(std::nullopt_t) {
  reading_ = false;
  onEndOfData();
  return false;
}

void Readable::unshift(Buffer chunk) {
  if (!objectMode_ && chunk.empty()) return;
  if (endEmitted_) {
    errorOrDestroy(detail::streamError("ERR_STREAM_UNSHIFT_AFTER_END_EVENT",
                                       "stream.unshift() after end event"));
  } else if (!destroyed() && !errored()) {
    addToQueue(std::move(chunk), true);
  }
}

bool Readable::canPushMore() const noexcept {
  // Below highWaterMark, or empty (so that highWaterMark 0 still lets one chunk through).
  return !ended_ && (length_ < highWaterMark_ || length_ == 0);
}

void Readable::addToQueue(Buffer&& chunk, bool toFront) {
  if (flowing_ == Flowing::on && !sync_ && dataListening_ && length_ == 0) {
    // Flowing and nothing queued: straight to the consumer.
    clearAwaitDrain();
    dataEmitted_ = true;
    emit(events::data, chunk);
  } else {
    length_ += objectMode_ ? 1 : chunk.length();
    readableCharge_.set(length_);
    if (toFront) {
      queue_.pushFront(std::move(chunk));
    } else {
      queue_.pushBack(std::move(chunk));
    }
    if (needReadable_) emitReadable();
  }
  maybeReadMore();
}

void Readable::onEndOfData() {
  if (ended_) return;
  ended_ = true;
  if (sync_) {
    // Inside _read called by read(): emitting now could re-enter read().
    emitReadable();
  } else {
    needReadable_ = false;
    emittedReadable_ = true;
    emitReadableNow();
  }
}

void Readable::emitReadable() {
  needReadable_ = false;
  if (!emittedReadable_) {
    emittedReadable_ = true;
    nextTick([this] { emitReadableNow(); });
  }
}

void Readable::emitReadableNow() {
  if (!destroyed() && !errored() && (length_ > 0 || ended_)) {
    emit(events::readable);
    emittedReadable_ = false;
  }
  // Not flowing, not ended and below highWaterMark: the next push needs another
  // 'readable' (flowing mode needs none: flow() below takes the data).
  if (flowing_ != Flowing::on && !ended_ && length_ <= highWaterMark_) needReadable_ = true;
  flow();
}

void Readable::maybeReadMore() {
  if (!readingMore_) {
    readingMore_ = true;
    nextTick([this] { readMore(); });
  }
}

void Readable::readMore() {
  // Fill the queue up to highWaterMark while _read answers synchronously; in
  // flowing mode keep reading while the queue is empty.
  while (!reading_ && !ended_ &&
         (length_ < highWaterMark_ || (flowing_ == Flowing::on && length_ == 0))) {
    const std::size_t before = length_;
    static_cast<void>(readImpl(0));
    if (before == length_) break;
  }
  readingMore_ = false;
}

// --- Consuming ---

std::size_t Readable::howMuchToRead(std::optional<std::size_t> size) const noexcept {
  if (size == 0 || (length_ == 0 && ended_)) return 0;
  if (objectMode_) return 1;
  if (!size) {
    // read(): in flowing mode one chunk at a time, otherwise everything.
    if (flowing_ == Flowing::on && length_ > 0) return queue_.front().length();
    return length_;
  }
  if (*size <= length_) return *size;
  return ended_ ? length_ : 0;
}

std::optional<Buffer> Readable::read() {
  return readImpl(std::nullopt);
}

std::optional<Buffer> Readable::read(std::size_t size) {
  return readImpl(size);
}

std::optional<bool> Readable::readableFlowing() const noexcept {
  if (flowing_ == Flowing::null) return std::nullopt;
  return flowing_ == Flowing::on;
}

std::optional<Buffer> Readable::readImpl(std::optional<std::size_t> size) {
  if (size && *size > highWaterMark_) highWaterMark_ = computeNewHighWaterMark(*size);
  if (size != 0) emittedReadable_ = false;

  // read(0) with enough queued, or at the end: just the 'readable' (or 'end') event.
  if (size == 0 && needReadable_ &&
      ((highWaterMark_ != 0 ? length_ >= highWaterMark_ : length_ > 0) || ended_)) {
    if (length_ == 0 && ended_) {
      endReadable();
    } else {
      emitReadable();
    }
    return std::nullopt;
  }

  std::size_t count = howMuchToRead(size);
  if (count == 0 && ended_) {
    if (length_ == 0) endReadable();
    return std::nullopt;
  }

  // Call _read before taking data out: a synchronous _read (a PassThrough's)
  // may push what this read returns.
  // (Not while a _read is pending, at the end, or once broken.)
  const bool doRead = needReadable_ || length_ == 0 || length_ - count < highWaterMark_;
  if (doRead && !reading_ && !ended_ && !destroyed() && !errored()) {
    reading_ = true;
    sync_ = true;
    if (length_ == 0) needReadable_ = true;
    try {
      _read(highWaterMark_);
    } catch (...) {
      errorOrDestroy(std::current_exception());
    }
    sync_ = false;
    if (!reading_) count = howMuchToRead(size);
  }

  std::optional<Buffer> result;
  if (count > 0) result = takeFromQueue(count);
  if (!result) {
    if (length_ <= highWaterMark_) needReadable_ = true;
    count = 0;
  } else {
    length_ -= count;
    readableCharge_.set(length_);
    clearAwaitDrain();
  }

  if (length_ == 0) {
    // Nothing queued: the next push is worth a 'readable'.
    if (!ended_) needReadable_ = true;
    // A read past the end: emit 'end' on the next tick.
    if ((!size || *size != count) && ended_) endReadable();
  }

  if (result && !errorEmitted_ && !closeEmitted_) {
    dataEmitted_ = true;
    emit(events::data, *result);
  }
  return result;
}

std::optional<Buffer> Readable::takeFromQueue(std::size_t size) {
  if (length_ == 0 || queue_.empty()) return std::nullopt;
  if (objectMode_) return queue_.popFront();

  Buffer& front = queue_.front();
  if (size < front.length()) {
    Buffer head = front.subarray(0, static_cast<std::ptrdiff_t>(size));
    front = front.subarray(static_cast<std::ptrdiff_t>(size));
    return head;
  }
  if (size == front.length() || queue_.size() == 1) return queue_.popFront();

  // The bytes span chunks: join them (the one copy a read makes).
  Buffer joined = Buffer::allocUnsafe(size);
  std::size_t filled = 0;
  while (filled < size && !queue_.empty()) {
    Buffer& chunk = queue_.front();
    const std::size_t wanted = size - filled;
    const std::size_t available = chunk.length();
    if (available <= wanted) {
      if (available > 0) std::memcpy(joined.data() + filled, chunk.data(), available);
      filled += available;
      queue_.popFront();
    } else {
      std::memcpy(joined.data() + filled, chunk.data(), wanted);
      chunk = chunk.subarray(static_cast<std::ptrdiff_t>(wanted));
      filled = size;
    }
  }
  return filled == size ? joined : joined.subarray(0, static_cast<std::ptrdiff_t>(filled));
}

void Readable::endReadable() {
  if (!endEmitted_) {
    ended_ = true;
    nextTick([this] { endReadableNT(); });
  }
}

void Readable::endReadableNT() {
  // An unshift() after the end, or an error, cancels 'end'.
  if (errored() || closeEmitted_ || endEmitted_ || length_ != 0) return;
  endEmitted_ = true;
  emit(events::end);

  Writable* writable = writableSide_;
  if (writable != nullptr && writable->writable() && !allowHalfOpen_) {
    nextTick([this] {
      Writable* side = writableSide_;
      if (side->writable() && !side->writableEnded() && !destroyed()) side->end();
    });
  } else if (autoDestroy_) {
    // A Duplex waits for its writable side to finish (or to be disabled).
    if (writable == nullptr || writable->finished_ || !writable->writableEnabled_) destroy();
  }
}

void Readable::flow() {
  while (flowing_ == Flowing::on && readImpl(std::nullopt)) {
  }
}

void Readable::pause() {
  if (flowing_ != Flowing::off) {
    flowing_ = Flowing::off;
    emit(events::pause);
  }
  hasPaused_ = true;
  paused_ = true;
}

void Readable::resume() {
  if (flowing_ != Flowing::on) {
    // With a 'readable' listener, resume() only schedules a read; the
    // 'readable' handler takes the data.
    flowing_ = readableListening_ ? Flowing::off : Flowing::on;
    if (!resumeScheduled_) {
      resumeScheduled_ = true;
      nextTick([this] { resumeNT(); });
    }
  }
  hasPaused_ = true;
  paused_ = false;
}

void Readable::resumeNT() {
  if (!reading_) static_cast<void>(readImpl(0));
  resumeScheduled_ = false;
  emit(events::resume);
  flow();
  if (flowing_ == Flowing::on && !reading_) static_cast<void>(readImpl(0));
}

bool Readable::isPaused() const noexcept {
  return paused_ || flowing_ == Flowing::off;
}

bool Readable::readable() const noexcept {
  return readableEnabled_ && !destroyed() && !errorEmitted_ && !endEmitted_;
}

bool Readable::readableAborted() const noexcept {
  return readableEnabled_ && (destroyed() || errored()) && !endEmitted_;
}

void Readable::listenerAdded(const void* event) {
  if (event == &events::data) {
    dataListening_ = true;
    if (listenerCount(events::readable) > 0) readableListening_ = true;
    // Start flowing unless pause() was called explicitly.
    if (flowing_ != Flowing::off) resume();
  } else if (event == &events::readable) {
    if (!endEmitted_ && !readableListening_) {
      readableListening_ = true;
      needReadable_ = true;
      flowing_ = Flowing::off;
      emittedReadable_ = false;
      if (length_ > 0) {
        emitReadable();
      } else if (!reading_) {
        nextTick([this] { static_cast<void>(readImpl(0)); });
      }
    }
  }
}

void Readable::listenerRemoved(const void* event) {
  if (event == &events::readable) {
    // On the next tick, so that once('readable') handlers can resume() in between.
    nextTick([this] { updateReadableListening(); });
  } else if (event == &events::data && listenerCount(events::data) == 0) {
    dataListening_ = false;
  }
}

void Readable::updateReadableListening() {
  readableListening_ = listenerCount(events::readable) > 0;
  if (hasPaused_ && !paused_ && resumeScheduled_) {
    // resume() was called while 'readable' listeners were attached.
    flowing_ = Flowing::on;
  } else if (dataListening_) {
    resume();
  } else if (!readableListening_) {
    flowing_ = Flowing::null;
  }
}

void Readable::clearAwaitDrain() noexcept {
  if (pipes_) pipes_->awaitDrain.clear();
}

// --- pipe ---

void Readable::pipeTo(const std::shared_ptr<Writable>& destination, PipeOptions options) {
  std::vector<std::shared_ptr<Writable>>& destinations = pipes().destinations;
  if (destinations.size() == 1) multiAwaitDrain_ = true;
  destinations.push_back(destination);

  auto link = std::make_shared<PipeLink>();
  link->source = std::shared_ptr<Readable>(keepAlive(), this);
  link->destination = destination;
  link->weakSource = link->source;
  link->weakDestination = destination;
  link->sourceAddress = this;
  link->destinationAddress = destination.get();
  Writable& target = *destination;

  auto onEnd = [link, end = options.end] {
    std::shared_ptr<Readable> source = link->lockSource();
    std::shared_ptr<Writable> target = link->lockDestination();
    if (!source || !target) return;
    if (end) {
      target->end();
    } else {
      source->unpipeOne(target.get());
    }
  };
  if (endEmitted_) {
    nextTick(onEnd);
  } else {
    link->onEnd = once(events::end, onEnd);
  }

  link->onUnpipe = target.on(events::unpipe, [link](Readable& readable) {
    if (&readable == link->sourceAddress && !readable.unpipeHandled_) {
      readable.unpipeHandled_ = true;
      PipeLink::cleanup(link);
    }
  });

  link->onData = on(events::data, [link](const Buffer& chunk) {
    // The link holds the destination while this listener is registered, and
    // releases it no sooner than on a later tick (PipeLink::release), so the
    // raw pointer stays valid through the write.
    Writable* const target = link->destination.get();
    if (target != nullptr && !target->write(chunk)) PipeLink::pause(link);
  });

  // First among the destination's 'error' listeners, as in Node.
  link->onError = target.prependListener(events::error, [link](const std::exception_ptr& error) {
    std::shared_ptr<Readable> source = link->lockSource();
    std::shared_ptr<Writable> target = link->lockDestination();
    if (!target) return;
    if (source) source->unpipeOne(target.get());
    target->off(events::error, link->onError);
    if (target->listenerCount(events::error) == 0) {
      // Nobody else handles it: Node rethrows, here through the stream's own
      // error path (an 'error' emitted with no listener throws).
      if (!target->errorEmitted_) {
        target->errorOrDestroy(error);
      } else {
        target->emit(events::error, error);
      }
    }
  });

  // 'finish' and 'close' both undo the pipe, whichever comes first.
  link->onClose = target.once(
      events::close, [link] { PipeLink::destinationDone(link, events::finish, link->onFinish); });
  link->onFinish = target.once(
      events::finish, [link] { PipeLink::destinationDone(link, events::close, link->onClose); });

  // A closed source writes nothing more: stop holding the two streams. (Not
  // on a 'close' emitted by hand on a live stream.)
  link->onSourceClose = on(events::close, [link] {
    if (link->sourceAddress->closed()) PipeLink::release(*link);
  });

  target.emit(events::pipe, *this);

  if (target.writableNeedDrain()) {
    PipeLink::pause(link);
  } else if (flowing_ != Flowing::on) {
    resume();
  }
}

void Readable::PipeLink::destinationDone(const std::shared_ptr<PipeLink>& link,
                                         const Event<>& other, ListenerId otherListener) {
  std::shared_ptr<Readable> source = link->lockSource();
  std::shared_ptr<Writable> target = link->lockDestination();
  if (!target) return;
  target->off(other, otherListener);
  if (source) source->unpipeOne(target.get());
}

void Readable::PipeLink::cleanup(const std::shared_ptr<PipeLink>& link) {
  if (link->cleanedUp) return;
  link->cleanedUp = true;
  std::shared_ptr<Readable> source = link->lockSource();
  std::shared_ptr<Writable> target = link->lockDestination();
  if (target) {
    target->off(events::close, link->onClose);
    target->off(events::finish, link->onFinish);
    if (link->onDrain != 0) target->off(events::drain, link->onDrain);
    target->off(events::error, link->onError);
    target->off(events::unpipe, link->onUnpipe);
  }
  if (source) {
    source->off(events::end, link->onEnd);
    source->off(events::data, link->onData);
    source->off(events::close, link->onSourceClose);
    // A source waiting for this destination's 'drain' would wait forever.
    if (link->onDrain != 0 && (source->multiAwaitDrain_ || !source->pipes().awaitDrain.empty()) &&
        (!target || target->needDrain_)) {
      onDrained(*link);
    }
  }
  release(*link);
}

void Readable::PipeLink::release(PipeLink& link) {
  // Both are held, or neither.
  if (!link.source) return;
  // On the next tick: the caller may be in the middle of a call on either stream.
  asio::io_context& context = link.source->context();
  asio::post(context,
             [source = std::move(link.source), destination = std::move(link.destination)] {});
  link.source = nullptr;
  link.destination = nullptr;
}

void Readable::PipeLink::pause(const std::shared_ptr<PipeLink>& link) {
  std::shared_ptr<Readable> source = link->lockSource();
  std::shared_ptr<Writable> target = link->lockDestination();
  if (link->cleanedUp || !source || !target) return;
  Writable* const address = target.get();
  std::vector<std::shared_ptr<Writable>>& pipes = source->pipes().destinations;
  std::vector<Writable*>& waiting = source->pipes().awaitDrain;
  if (pipes.size() == 1 && pipes.front() == target) {
    waiting.assign(1, address);
    source->multiAwaitDrain_ = false;
  } else if (pipes.size() > 1 && std::find(pipes.begin(), pipes.end(), target) != pipes.end() &&
             std::find(waiting.begin(), waiting.end(), address) == waiting.end()) {
    waiting.push_back(address);
  }
  source->pause();
  if (link->onDrain == 0) {
    // Registered once and kept: adding and removing it on every pause is slow.
    link->onDrain = target->on(events::drain, [link] { onDrained(*link); });
  }
}

void Readable::PipeLink::onDrained(PipeLink& link) {
  std::shared_ptr<Readable> source = link.lockSource();
  if (!source) return;
  Writable* const target = link.destinationAddress;
  std::vector<Writable*>& waiting = source->pipes().awaitDrain;
  if (!source->multiAwaitDrain_) {
    if (waiting.size() == 1 && waiting.front() == target) waiting.clear();
  } else {
    std::erase(waiting, target);
  }
  if (waiting.empty() && source->dataListening_) source->resume();
}

void Readable::unpipe(const std::shared_ptr<Writable>& destination) {
  unpipeOne(destination.get());
}

void Readable::unpipeOne(Writable* destination) {
  if (!pipes_) return;
  std::vector<std::shared_ptr<Writable>>& pipes = pipes_->destinations;
  const auto piped = std::find_if(pipes.begin(), pipes.end(), [destination](const auto& pipe) {
    return pipe.get() == destination;
  });
  if (piped == pipes.end()) return;
  std::shared_ptr<Writable> target = *piped;
  pipes.erase(piped);
  if (pipes.empty()) pause();
  unpipeHandled_ = false;
  target->emit(events::unpipe, *this);
}

void Readable::unpipe() {
  if (!pipes_ || pipes_->destinations.empty()) return;
  std::vector<std::shared_ptr<Writable>> destinations = std::move(pipes_->destinations);
  pipes_->destinations.clear();
  pause();
  for (const std::shared_ptr<Writable>& target : destinations) {
    unpipeHandled_ = false;
    target->emit(events::unpipe, *this);
  }
}

}  // namespace wirekit
