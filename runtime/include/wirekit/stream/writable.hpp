// SPDX-License-Identifier: Apache-2.0
#pragma once
// Writable: Node's stream.Writable. write() hands a chunk to the implementation
// (_write) at once when it is idle, otherwise queues it; it returns false once
// the queued bytes (chunks in object mode) reach highWaterMark, and 'drain'
// follows, once, when the queue has emptied (never after end()). cork()
// queues even an idle stream's writes until the matching uncork(); an
// implementation with _writev then receives all the queued chunks in one call.
// end() lets the queue empty, calls _final, then emits 'finish'; writing after
// end() is an error (ERR_STREAM_WRITE_AFTER_END).
//
// Chunks are Buffers, handed over without copying. Implement one by deriving
// and overriding _write (and/or _writev with _hasWritev, _final, _destroy), or
// with WritableOptions{.write = ...}:
//
//   auto sink = std::make_shared<Writable>(io, WritableOptions{
//       .write = [](Writable&, Buffer chunk, const WriteCallback& done) { store(chunk); done();
//       }});
//   sink->write(Buffer::from("hello"));
//   sink->end();

#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <optional>
#include <span>
#include <vector>
#include "wirekit/detail/function.hpp"

#include "wirekit/bytes/buffer.hpp"
#include "wirekit/export.hpp"
#include "wirekit/stream/detail/ring_buffer.hpp"
#include "wirekit/stream/event_emitter.hpp"
#include "wirekit/stream/stream.hpp"

namespace wirekit {

namespace events {
// 'drain': write() returned false and the queue has emptied since.
WIREKIT_EXPORT inline constexpr Event<> drain{"drain"};
// 'finish': end() was called and everything has been written (after _final).
WIREKIT_EXPORT inline constexpr Event<> finish{"finish"};
// 'prefinish': everything written, about to call _final's completion 'finish'.
WIREKIT_EXPORT inline constexpr Event<> prefinish{"prefinish"};
// 'pipe' and 'unpipe': a Readable started or stopped piping into this stream.
WIREKIT_EXPORT inline constexpr Event<Readable&> pipe{"pipe"};
WIREKIT_EXPORT inline constexpr Event<Readable&> unpipe{"unpipe"};
}  // namespace events

// The callback _write and _writev receive: call it once the chunk (chunks) is
// written, with nothing or nullptr on success, or with the error; calling it
// twice is ERR_MULTIPLE_CALLBACK. It may be kept (copied or moved, into an Asio
// completion handler) and called later: a kept copy holds a reference to the
// stream. Calling it before _write returns costs no reference count at all,
// and no copy allocates.
class WIREKIT_EXPORT WriteCallback {
 public:
  void operator()(const std::exception_ptr& error = nullptr) const;

 private:
  friend class Writable;
  explicit WriteCallback(Writable* stream) noexcept
      : stream_(detail::StreamHandle<Writable>::borrow(stream)) {}

  detail::StreamHandle<Writable> stream_;
};

struct WritableOptions {
  // Bytes (chunks in object mode) queued before write() returns false.
  std::optional<std::size_t> highWaterMark{};
  bool objectMode = false;
  // Emit 'close' after destroy.
  bool emitClose = true;
  // destroy() the stream by itself after 'finish' (and on errors).
  bool autoDestroy = true;
  // _write, _writev, _final and _destroy, for streams built without a subclass.
  std::function<void(Writable& self, Buffer chunk, const WriteCallback& callback)> write{};
  std::function<void(Writable& self, std::span<const Buffer> chunks, const WriteCallback& callback)>
      writev{};
  std::function<void(Writable& self, Callback callback)> final{};
  std::function<void(Writable& self, std::exception_ptr error, Callback callback)> destroy{};
};

class WIREKIT_EXPORT Writable : public virtual Stream {
 public:
  Writable(asio::io_context& context, WritableOptions options = {});

  // writable.write(chunk, callback?): true while the queue is below
  // highWaterMark (and the stream is not destroyed or errored). callback is
  // called once the chunk is written, or with the error. After end() or
  // destroy() the chunk is refused: callback gets ERR_STREAM_WRITE_AFTER_END or
  // ERR_STREAM_DESTROYED on the next tick and the stream errors.
  bool write(Buffer chunk, Callback callback = nullptr);
  // writable.end(chunk?, callback?): writes chunk, then finishes; callback is
  // called on 'finish' or with the error. end() uncorks fully.
  void end(Callback callback = nullptr);
  void end(Buffer chunk, Callback callback = nullptr);
  // writable.cork() / uncork(): queue writes until as many uncork() as cork().
  void cork() noexcept { ++corked_; }
  void uncork();

  // --- Properties ---

  // writable.writable: write() is allowed (not ended, destroyed or errored).
  // Inline: MessageStream::send asks once per message.
  [[nodiscard]] bool writable() const noexcept {
    return writableEnabled_ && !errored() && !ending_ && !ended_ && !destroyed();
  }
  // Bytes (chunks in object mode) queued or being written.
  [[nodiscard]] std::size_t writableLength() const noexcept { return length_; }
  [[nodiscard]] std::size_t writableHighWaterMark() const noexcept { return highWaterMark_; }
  // write() returned false and 'drain' has not been emitted yet.
  [[nodiscard]] bool writableNeedDrain() const noexcept {
    return needDrain_ && !destroyed() && !ending_;
  }
  // end() has been called.
  [[nodiscard]] bool writableEnded() const noexcept { return ending_; }
  // 'finish' has been emitted.
  [[nodiscard]] bool writableFinished() const noexcept { return finished_; }
  [[nodiscard]] bool writableObjectMode() const noexcept { return objectMode_; }
  [[nodiscard]] std::size_t writableCorked() const noexcept { return corked_; }
  // Destroyed or errored before 'finish'.
  [[nodiscard]] bool writableAborted() const noexcept;

 protected:
  // Node's _write(chunk, encoding, callback): write the chunk, then call
  // callback. The default calls the write option, else _writev with the one
  // chunk if _hasWritev(), else fails with ERR_METHOD_NOT_IMPLEMENTED. An
  // exception thrown before callback is called counts as callback(error).
  virtual void _write(Buffer chunk, WriteCallback callback);
  // Node's _writev(chunks, callback): write all queued chunks at once (cork, or
  // chunks written while the previous write was in progress). The chunks stay
  // valid until callback is called. A subclass that overrides _writev must
  // also override _hasWritev to return true (Node tests whether _writev exists).
  virtual void _writev(std::span<const Buffer> chunks, WriteCallback callback);
  [[nodiscard]] virtual bool _hasWritev() const noexcept {
    return static_cast<bool>(writevOption_);
  }
  // Node's _final(callback): called after the last write, before 'finish'.
  // The default calls the final option, else callback().
  virtual void _final(Callback callback);

 private:
  friend class WriteCallback;
  friend class Stream;
  friend class Readable;
  friend class Duplex;
  friend class Transform;
  friend struct detail::StreamAccess;

  struct QueuedWrite {
    Buffer chunk;
    Callback callback;
  };

  void onWrite(const std::exception_ptr& error);
  void writeCompleted(bool sync, std::span<Callback> callbacks);
  bool writeOrQueue(Buffer&& chunk, Callback&& callback);
  std::exception_ptr refuseWrite();
  void callWrite(Buffer&& chunk);
  void callWritev();
  void writeFailedInImplementation(std::uint64_t serial, const std::exception_ptr& error);
  void endWith(std::optional<Buffer> chunk, Callback callback);
  void clearQueue();
  void errorQueue();
  void onWriteError(const std::exception_ptr& error, const std::vector<Callback>& callbacks);
  void scheduleAfterWrite();
  void afterWrite(std::size_t count, std::span<Callback> callbacks);
  [[nodiscard]] bool needFinish() const noexcept;
  void finishMaybe(bool sync);
  void prefinish();
  void onFinal(const std::exception_ptr& error);
  void finish();
  void callFinishedCallbacks(const std::exception_ptr& error);
  void destroyRequested();
  [[nodiscard]] std::size_t chunkLength(const Buffer& chunk) const noexcept {
    return objectMode_ ? 1 : chunk.length();
  }

  std::size_t highWaterMark_;
  bool objectMode_;
  std::function<void(Writable&, Buffer, const WriteCallback&)> writeOption_;
  std::function<void(Writable&, std::span<const Buffer>, const WriteCallback&)> writevOption_;
  std::function<void(Writable&, Callback)> finalOption_;

  detail::RingBuffer<QueuedWrite> queue_;
  std::size_t length_ = 0;
  std::size_t corked_ = 0;
  // Bytes (chunks) of the write in progress, and its callbacks: one for a
  // _write, those of every chunk for a _writev.
  std::size_t writeLength_ = 0;
  Callback writeCallback_;
  std::vector<Buffer> writevChunks_;
  std::vector<Callback> writevCallbacks_;
  bool writingBatch_ = false;
  // Counts _write/_writev calls, to tell which write an exception escaped from.
  std::uint64_t writeSerial_ = 0;
  // Writes that completed synchronously: their completion (and 'drain') waits
  // for one posted afterWrite, as Node's afterWriteTick does.
  std::size_t afterWriteCount_ = 0;
  std::vector<Callback> afterWriteCallbacks_;
  // Callbacks given to end(), called on 'finish' or error.
  std::vector<Callback> finishedCallbacks_;
  // Node's pendingcb: writes, _final and 'finish' still to complete.
  std::size_t pendingCallbacks_ = 0;
  // Node's WritableState flags, same names.
  bool ending_ = false;
  bool ended_ = false;
  bool finished_ = false;
  bool finalCalled_ = false;
  bool finalCalledBack_ = false;
  bool prefinished_ = false;
  bool needDrain_ = false;
  bool writing_ = false;
  bool sync_ = true;
  bool bufferProcessing_ = false;
  bool allNoop_ = true;
  bool expectWriteCallback_ = false;
  bool afterWritePending_ = false;
  // False for a Duplex built with writable = false.
  bool writableEnabled_ = true;
};

}  // namespace wirekit
