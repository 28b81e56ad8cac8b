// SPDX-License-Identifier: Apache-2.0
// Writable, ported from Node's lib/internal/streams/writable.js (v20): the same
// state flags and the same decisions, so that events come in Node's order.

#include "wirekit/stream/writable.hpp"

#include <utility>

#include "wirekit/error.hpp"
#include "wirekit/stream/detail/next_tick.hpp"
#include "wirekit/stream/detail/stream_access.hpp"
#include "wirekit/stream/readable.hpp"

namespace wirekit {

namespace {

std::exception_ptr multipleCallback() {
  return detail::streamError("ERR_MULTIPLE_CALLBACK", "Callback called multiple times");
}

}  // namespace

void WriteCallback::operator()(const std::exception_ptr& error) const {
  stream_->onWrite(error);
}

Writable::Writable(asio::io_context& context, WritableOptions options)
    : highWaterMark_(options.highWaterMark.value_or(options.objectMode ? defaultObjectHighWaterMark
                                                                       : defaultHighWaterMark)),
      objectMode_(options.objectMode),
      writeOption_(std::move(options.write)),
      writevOption_(std::move(options.writev)),
      finalOption_(std::move(options.final)) {
  initStream(context, options.emitClose, options.autoDestroy);
  writableSide_ = this;
  if (options.destroy) {
    setDestroyOption(
        [this, destroy = std::move(options.destroy)](std::exception_ptr error, Callback callback) {
          destroy(*this, std::move(error), std::move(callback));
        });
  }
}

// The hooks take their callback by value so that overrides can keep it.
// NOLINTNEXTLINE(performance-unnecessary-value-param)
void Writable::_write(Buffer chunk, WriteCallback callback) {
  if (writeOption_) {
    writeOption_(*this, std::move(chunk), callback);
    return;
  }
  if (_hasWritev()) {
    // Kept in the batch storage, which lives until the callback.
    writevChunks_.clear();
    writevChunks_.push_back(std::move(chunk));
    static_cast<void>(callback);
    _writev(writevChunks_, WriteCallback(this));
    return;
  }
  throw StreamError("ERR_METHOD_NOT_IMPLEMENTED", "The _write() method is not implemented");
}

// NOLINTNEXTLINE(performance-unnecessary-value-param)
void Writable::_writev(std::span<const Buffer> chunks, WriteCallback callback) {
  if (writevOption_) {
    writevOption_(*this, chunks, callback);
    return;
  }
  throw StreamError("ERR_METHOD_NOT_IMPLEMENTED", "The _writev() method is not implemented");
}

void Writable::_final(Callback callback) {
  if (finalOption_) {
    finalOption_(*this, std::move(callback));
  } else {
    callback(nullptr);
  }
}

// --- write ---

std::exception_ptr Writable::refuseWrite() {
  if (ending_) return detail::streamError("ERR_STREAM_WRITE_AFTER_END", "write after end");
  if (destroyed()) return detail::streamDestroyed("write");
  return nullptr;
}

bool Writable::write(Buffer chunk, Callback callback) {
  if (std::exception_ptr error = refuseWrite()) {
    if (callback) nextTick([callback = std::move(callback), error] { callback(error); });
    errorOrDestroy(error, true);
    return false;
  }
  ++pendingCallbacks_;
  return writeOrQueue(std::move(chunk), std::move(callback));
}

bool Writable::writeOrQueue(Buffer&& chunk, Callback&& callback) {
  const std::size_t length = chunkLength(chunk);
  length_ += length;
  writableCharge_.set(length_);
  if (writing_ || errored() || corked_ > 0) {
    if (callback) allNoop_ = false;
    queue_.pushBack(QueuedWrite{std::move(chunk), std::move(callback)});
  } else {
    writeLength_ = length;
    writeCallback_ = std::move(callback);
    writingBatch_ = false;
    writing_ = true;
    sync_ = true;
    expectWriteCallback_ = true;
    callWrite(std::move(chunk));
    sync_ = false;
  }
  const bool belowHighWaterMark = length_ < highWaterMark_;
  if (!belowHighWaterMark) needDrain_ = true;
  // false when destroyed or errored too, to break while (write(...)) loops.
  return belowHighWaterMark && !destroyed() && !errored();
}

void Writable::callWrite(Buffer&& chunk) {
  const std::uint64_t serial = ++writeSerial_;
  try {
    _write(std::move(chunk), WriteCallback(this));
  } catch (...) {
    writeFailedInImplementation(serial, std::current_exception());
  }
}

void Writable::callWritev() {
  const std::uint64_t serial = ++writeSerial_;
  try {
    _writev(writevChunks_, WriteCallback(this));
  } catch (...) {
    writeFailedInImplementation(serial, std::current_exception());
  }
}

void Writable::writeFailedInImplementation(std::uint64_t serial, const std::exception_ptr& error) {
  // Node lets the exception escape write(); here it fails the write it came
  // from, as callback(error) would, unless that write had already completed.
  if (serial == writeSerial_ && expectWriteCallback_) {
    onWrite(error);
  } else {
    errorOrDestroy(error);
  }
}

void Writable::onWrite(const std::exception_ptr& error) {
  if (!expectWriteCallback_) {
    errorOrDestroy(multipleCallback());
    return;
  }
  const bool sync = sync_;
  writing_ = false;
  expectWriteCallback_ = false;
  length_ -= writeLength_;
  writeLength_ = 0;
  writableCharge_.set(length_);
  // The implementation is done with the chunks it was given.
  if (!writevChunks_.empty()) writevChunks_.clear();

  // The common case: a write without a callback that succeeded.
  if (!error && !writingBatch_ && !writeCallback_) {
    writeCompleted(sync, {});
    return;
  }

  // Take the finished write's callbacks before clearQueue() starts the next.
  Callback single = std::move(writeCallback_);
  writeCallback_ = nullptr;
  std::vector<Callback> batchCallbacks;
  if (writingBatch_) batchCallbacks.swap(writevCallbacks_);
  const std::span<Callback> callbacks =
      writingBatch_ ? std::span<Callback>(batchCallbacks)
                    : (single ? std::span<Callback>(&single, 1) : std::span<Callback>());

  if (error) {
    if (!errored_) errored_ = error;
    std::vector<Callback> failed(std::make_move_iterator(callbacks.begin()),
                                 std::make_move_iterator(callbacks.end()));
    if (sync) {
      nextTick(
          [this, error, failed = std::move(failed)]() mutable { onWriteError(error, failed); });
    } else {
      onWriteError(error, failed);
    }
    return;
  }
  writeCompleted(sync, callbacks);
}

void Writable::writeCompleted(bool sync, std::span<Callback> callbacks) {
  if (!queue_.empty()) clearQueue();

  if (!sync) {
    afterWrite(1, callbacks);
    return;
  }
  // Completed inside _write: callbacks and 'drain' wait for the next tick,
  // one tick for all the writes that complete meanwhile.
  const bool needTick = (needDrain_ && length_ == 0) || destroyed() || !callbacks.empty();
  if (!callbacks.empty()) {
    ++afterWriteCount_;
    for (Callback& callback : callbacks)
      afterWriteCallbacks_.push_back(std::move(callback));
    scheduleAfterWrite();
  } else if (!afterWritePending_ && needTick) {
    ++afterWriteCount_;
    scheduleAfterWrite();
  } else {
    --pendingCallbacks_;
    if (ending_) finishMaybe(true);
  }
}

void Writable::scheduleAfterWrite() {
  if (afterWritePending_) return;
  afterWritePending_ = true;
  nextTick([this] {
    afterWritePending_ = false;
    const std::size_t count = std::exchange(afterWriteCount_, 0);
    std::vector<Callback> callbacks;
    callbacks.swap(afterWriteCallbacks_);
    afterWrite(count, callbacks);
    // Keep the storage for the next tick's callbacks.
    if (afterWriteCallbacks_.empty()) {
      callbacks.clear();
      afterWriteCallbacks_.swap(callbacks);
    }
  });
}

void Writable::afterWrite(std::size_t count, std::span<Callback> callbacks) {
  if (needDrain_ && !ending_ && !destroyed() && length_ == 0) {
    needDrain_ = false;
    emit(events::drain);
  }
  pendingCallbacks_ -= count;
  for (Callback& callback : callbacks)
    callback(nullptr);
  if (destroyed()) errorQueue();
  if (ending_) finishMaybe(true);
}

void Writable::onWriteError(const std::exception_ptr& error,
                            const std::vector<Callback>& callbacks) {
  --pendingCallbacks_;
  for (const Callback& callback : callbacks)
    callback(error);
  // Queued writes get their callbacks too; the 'error' event comes after them.
  errorQueue();
  errorOrDestroy(error);
}

void Writable::errorQueue() {
  if (writing_) return;
  while (!queue_.empty()) {
    QueuedWrite queued = queue_.popFront();
    length_ -= chunkLength(queued.chunk);
    writableCharge_.set(length_);
    if (queued.callback) queued.callback(errored() ? errored() : detail::streamDestroyed("write"));
  }
  callFinishedCallbacks(errored() ? errored() : detail::streamDestroyed("end"));
  allNoop_ = true;
}

void Writable::clearQueue() {
  if (destroyed() || bufferProcessing_ || corked_ > 0 || queue_.empty()) return;
  bufferProcessing_ = true;
  if (queue_.size() > 1 && _hasWritev()) {
    // All the queued chunks in one _writev, completing as one write.
    pendingCallbacks_ -= queue_.size() - 1;
    writevChunks_.clear();
    writevCallbacks_.clear();
    while (!queue_.empty()) {
      QueuedWrite queued = queue_.popFront();
      writevChunks_.push_back(std::move(queued.chunk));
      if (queued.callback) writevCallbacks_.push_back(std::move(queued.callback));
    }
    allNoop_ = true;
    writeLength_ = length_;
    writeCallback_ = nullptr;
    writingBatch_ = true;
    writing_ = true;
    sync_ = true;
    expectWriteCallback_ = true;
    callWritev();
    sync_ = false;
  } else {
    do {
      QueuedWrite queued = queue_.popFront();
      writeLength_ = chunkLength(queued.chunk);
      writeCallback_ = std::move(queued.callback);
      writingBatch_ = false;
      writing_ = true;
      sync_ = true;
      expectWriteCallback_ = true;
      callWrite(std::move(queued.chunk));
      sync_ = false;
    } while (!queue_.empty() && !writing_);
    if (queue_.empty()) allNoop_ = true;
  }
  bufferProcessing_ = false;
}

void Writable::uncork() {
  if (corked_ == 0) return;
  --corked_;
  if (!writing_) clearQueue();
}

// --- end ---

void Writable::end(Callback callback) {
  endWith(std::nullopt, std::move(callback));
}

void Writable::end(Buffer chunk, Callback callback) {
  endWith(std::move(chunk), std::move(callback));
}

void Writable::endWith(std::optional<Buffer> chunk, Callback callback) {
  std::exception_ptr error;
  if (chunk) {
    error = refuseWrite();
    if (error) {
      errorOrDestroy(error, true);
    } else {
      ++pendingCallbacks_;
      writeOrQueue(std::move(*chunk), nullptr);
    }
  }

  // end() uncorks fully.
  if (corked_ > 0) {
    corked_ = 1;
    uncork();
  }

  if (error) {
    // Already reported.
  } else if (!ending_ && !errored()) {
    // A second end() is forgiven, as in Node.
    ending_ = true;
    finishMaybe(true);
    ended_ = true;
  } else if (finished_) {
    error = detail::streamError("ERR_STREAM_ALREADY_FINISHED",
                                "Cannot call end after a stream was finished");
  } else if (destroyed()) {
    error = detail::streamDestroyed("end");
  }

  if (!callback) return;
  if (error) {
    nextTick([callback = std::move(callback), error] { callback(error); });
  } else if (errored()) {
    nextTick([callback = std::move(callback), error = errored()] { callback(error); });
  } else if (finished_) {
    nextTick([callback = std::move(callback)] { callback(nullptr); });
  } else {
    finishedCallbacks_.push_back(std::move(callback));
  }
}

bool Writable::needFinish() const noexcept {
  return ending_ && !destroyed() && !finished_ && !writing_ && !errorEmitted_ && !closeEmitted_ &&
         !errored() && queue_.empty() && length_ == 0;
}

void Writable::finishMaybe(bool sync) {
  if (!needFinish()) return;
  prefinish();
  if (pendingCallbacks_ != 0) return;
  if (sync) {
    ++pendingCallbacks_;
    nextTick([this] {
      if (needFinish()) {
        finish();
      } else {
        --pendingCallbacks_;
      }
    });
  } else if (needFinish()) {
    ++pendingCallbacks_;
    finish();
  }
}

void Writable::prefinish() {
  if (prefinished_ || finalCalled_) return;
  if (destroyed()) {
    finalCalled_ = true;
    prefinished_ = true;
    emit(events::prefinish);
    return;
  }
  finalCalled_ = true;
  sync_ = true;
  ++pendingCallbacks_;
  try {
    _final([this, keep = keepAlive()](const std::exception_ptr& error) { onFinal(error); });
  } catch (...) {
    onFinal(std::current_exception());
  }
  sync_ = false;
}

void Writable::onFinal(const std::exception_ptr& error) {
  if (finalCalledBack_ || prefinished_) {
    errorOrDestroy(error ? error : multipleCallback());
    return;
  }
  finalCalledBack_ = true;
  --pendingCallbacks_;
  if (error) {
    callFinishedCallbacks(error);
    errorOrDestroy(error, sync_);
  } else if (needFinish()) {
    prefinished_ = true;
    emit(events::prefinish);
    // 'finish' comes on a later tick than _final's callback, as in Node.
    ++pendingCallbacks_;
    nextTick([this] { finish(); });
  }
}

void Writable::finish() {
  --pendingCallbacks_;
  finished_ = true;
  callFinishedCallbacks(nullptr);
  emit(events::finish);
  if (autoDestroy_) {
    // A Duplex waits for its readable side to end (or to be disabled).
    const Readable* readable = readableSide_;
    if (readable == nullptr || readable->endEmitted_ || !readable->readableEnabled_) destroy();
  }
}

void Writable::callFinishedCallbacks(const std::exception_ptr& error) {
  std::vector<Callback> callbacks = std::move(finishedCallbacks_);
  finishedCallbacks_.clear();
  for (Callback& callback : callbacks)
    callback(error);
}

void Writable::destroyRequested() {
  if ((!queue_.empty() || !finishedCallbacks_.empty()) && !destroyed()) {
    nextTick([this] { errorQueue(); });
  }
}

// --- Properties ---

bool Writable::writableAborted() const noexcept {
  return writableEnabled_ && (destroyed() || errored()) && !finished_;
}

}  // namespace wirekit
