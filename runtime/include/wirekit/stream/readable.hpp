// SPDX-License-Identifier: Apache-2.0
#pragma once
// Readable: Node's stream.Readable. Data arrives from the implementation
// through push() (called from _read, or whenever data comes in), waits in a
// queue of Buffers, and leaves through 'data' events (flowing mode) or read()
// (paused mode, usually on 'readable'). push() returns false once the queue
// holds highWaterMark bytes (objects in object mode): stop pushing until _read
// is called again.
//
// Chunks are Buffers and are never copied except where read(n) must join
// chunks to return n bytes; a chunk that holds the n bytes is returned whole
// or as a subarray. In object mode chunks are never joined or split (frames
// and encoded messages travel this way) and highWaterMark counts chunks.
//
// Two ways to implement one, as in Node: derive and override _read (and
// _destroy), or pass ReadableOptions{.read = ...}:
//
//   auto source = std::make_shared<Readable>(io, ReadableOptions{
//       .read = [](Readable& self, std::size_t) { self.push(Buffer::from("hi")); }});
//   source->on(events::data, [](const Buffer& chunk) { ... });
//
// Readable::from(io, chunks) is a ready-made source over a list of Buffers.

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>
#include "wirekit/detail/function.hpp"
#include "wirekit/detail/owning_ptr.hpp"

#include "wirekit/bytes/buffer.hpp"
#include "wirekit/export.hpp"
#include "wirekit/stream/detail/ring_buffer.hpp"
#include "wirekit/stream/event_emitter.hpp"
#include "wirekit/stream/stream.hpp"

namespace wirekit {

namespace events {
// 'data': a chunk handed to the consumer (flowing mode, or read()).
WIREKIT_EXPORT inline constexpr Event<const Buffer&> data{"data"};
// 'end': every chunk has been consumed after push(std::nullopt).
WIREKIT_EXPORT inline constexpr Event<> end{"end"};
// 'readable': data (or the end) can be read() now.
WIREKIT_EXPORT inline constexpr Event<> readable{"readable"};
// 'pause' and 'resume': pause() stopped the flow, resume() restarted it.
WIREKIT_EXPORT inline constexpr Event<> pause{"pause"};
WIREKIT_EXPORT inline constexpr Event<> resume{"resume"};
}  // namespace events

// Node 20's default highWaterMark: 16 KiB, or 16 chunks in object mode.
inline constexpr std::size_t defaultHighWaterMark = std::size_t{16} * 1024;
inline constexpr std::size_t defaultObjectHighWaterMark = 16;

struct ReadableOptions {
  // Bytes (chunks in object mode) to buffer before push() returns false.
  std::optional<std::size_t> highWaterMark{};
  bool objectMode = false;
  // Emit 'close' after destroy.
  bool emitClose = true;
  // destroy() the stream by itself after 'end' (and on errors).
  bool autoDestroy = true;
  // _read(size) and _destroy(error, callback), for streams built without a subclass.
  std::function<void(Readable& self, std::size_t size)> read{};
  std::function<void(Readable& self, std::exception_ptr error, Callback callback)> destroy{};
};

// readable.pipe(destination, {end}).
struct PipeOptions {
  // End the destination when the source ends.
  bool end = true;
};

class WIREKIT_EXPORT Readable : public virtual Stream {
 public:
  Readable(asio::io_context& context, ReadableOptions options = {});
  ~Readable() override;

  // Readable.from(iterable): a stream that pushes the chunks in order, then
  // ends; like Node's, it is in object mode with highWaterMark 1 unless options
  // say otherwise (options replace those defaults; they are not merged).
  [[nodiscard]] static std::shared_ptr<Readable> from(asio::io_context& context,
                                                      std::vector<Buffer> chunks);
  [[nodiscard]] static std::shared_ptr<Readable> from(asio::io_context& context,
                                                      std::vector<Buffer> chunks,
                                                      ReadableOptions options);

  // --- Consuming ---

  // readable.read(): all the buffered data (in flowing mode, or object mode,
  // the first chunk), or nothing if nothing is buffered.
  [[nodiscard]] std::optional<Buffer> read();
  // readable.read(size): exactly size bytes, or nothing until size bytes are
  // buffered or the stream has ended (then whatever is left). read(0) reads
  // nothing but may call _read. In object mode size is ignored: one chunk.
  // RangeError above 1 GiB.
  [[nodiscard]] std::optional<Buffer> read(std::size_t size);

  // readable.pause() / resume() / isPaused(): leave or enter flowing mode.
  void pause();
  void resume();
  [[nodiscard]] bool isPaused() const noexcept;

  // readable.pipe(destination, {end}): writes every chunk to destination,
  // pausing while destination.write() returns false until its 'drain'; ends
  // destination when this stream ends (unless end is false). An error on this
  // stream does not end destination. Returns destination, for chaining.
  template <class W>
  requires std::derived_from<W, Writable> std::shared_ptr<W> pipe(std::shared_ptr<W> destination,
                                                                  PipeOptions options = {}) {
    pipeTo(destination, options);
    return destination;
  }
  // readable.unpipe(destination) and unpipe(): stop piping to one or all.
  void unpipe(const std::shared_ptr<Writable>& destination);
  void unpipe();

  // readable.unshift(chunk): puts a chunk read too early back at the front.
  void unshift(Buffer chunk);

  // --- Implementing ---

  // readable.push(chunk): queues a chunk (or emits it at once when flowing);
  // false once the queue reaches highWaterMark. In byte mode an empty chunk is
  // not queued. After the end it is an error (ERR_STREAM_PUSH_AFTER_EOF).
  bool push(Buffer chunk);
  // readable.push(null): the end of the data.
  bool push(std::nullopt_t);

  // --- Properties ---

  // readable.readable: reading is still possible (not ended, destroyed or errored).
  [[nodiscard]] bool readable() const noexcept;
  [[nodiscard]] std::size_t readableLength() const noexcept { return length_; }
  [[nodiscard]] std::size_t readableHighWaterMark() const noexcept { return highWaterMark_; }
  // null before anything chose a mode, then whether the stream is flowing.
  [[nodiscard]] std::optional<bool> readableFlowing() const noexcept;
  // 'end' has been emitted.
  [[nodiscard]] bool readableEnded() const noexcept { return endEmitted_; }
  [[nodiscard]] bool readableObjectMode() const noexcept { return objectMode_; }
  // Destroyed or errored before 'end'.
  [[nodiscard]] bool readableAborted() const noexcept;
  // 'data' has been emitted at least once.
  [[nodiscard]] bool readableDidRead() const noexcept { return dataEmitted_; }

 protected:
  // Node's _read(size): fetch data and push() it, now or later; _read is not
  // called again until push() has been called. The default calls the read
  // option, or fails with ERR_METHOD_NOT_IMPLEMENTED. What it throws destroys
  // the stream with that error.
  virtual void _read(std::size_t size);

  void listenerAdded(const void* event) override;
  void listenerRemoved(const void* event) override;

 private:
  friend class Writable;
  friend class Duplex;
  friend class Transform;
  friend struct detail::StreamAccess;
  struct PipeLink;
  struct Pipes;

  [[nodiscard]] Pipes& pipes();
  std::optional<Buffer> readImpl(std::optional<std::size_t> size);
  void addToQueue(Buffer&& chunk, bool toFront);
  [[nodiscard]] bool canPushMore() const noexcept;
  [[nodiscard]] std::size_t howMuchToRead(std::optional<std::size_t> size) const noexcept;
  std::optional<Buffer> takeFromQueue(std::size_t size);
  void onEndOfData();
  void emitReadable();
  void emitReadableNow();
  void maybeReadMore();
  void readMore();
  void endReadable();
  void endReadableNT();
  void flow();
  void resumeNT();
  void updateReadableListening();
  void clearAwaitDrain() noexcept;
  void pipeTo(const std::shared_ptr<Writable>& destination, PipeOptions options);
  void unpipeOne(Writable* destination);

  std::size_t highWaterMark_;
  bool objectMode_;
  std::function<void(Readable&, std::size_t)> readOption_;
  detail::RingBuffer<Buffer> queue_;
  std::size_t length_ = 0;
  // Made by the first pipe(): most streams are never piped, and its two
  // std::vectors in this header cost every translation unit that includes it
  // ~1.4 MB of compiler memory.
  detail::OwningPtr<Pipes> pipes_;
  // Node's state.flowing (null, false, true): not a std::optional<bool>, which
  // would cost every translation unit that includes this header ~1 MB of
  // compiler memory.
  enum class Flowing : std::uint8_t { null, off, on };
  Flowing flowing_ = Flowing::null;
  // Node's ReadableState flags, same names.
  bool ended_ = false;
  bool endEmitted_ = false;
  bool reading_ = false;
  bool sync_ = true;
  bool needReadable_ = false;
  bool emittedReadable_ = false;
  bool readableListening_ = false;
  bool resumeScheduled_ = false;
  bool multiAwaitDrain_ = false;
  bool readingMore_ = false;
  bool dataEmitted_ = false;
  bool dataListening_ = false;
  bool paused_ = false;
  bool hasPaused_ = false;
  // False for a Duplex built with readable = false.
  bool readableEnabled_ = true;
  // Set while 'unpipe' is emitted for one destination, so that one pipe of
  // several to the same destination is undone (Node's unpipeInfo.hasUnpiped).
  bool unpipeHandled_ = false;
};

}  // namespace wirekit
