// SPDX-License-Identifier: Apache-2.0
#pragma once
// Stream: what Readable and Writable (and so Duplex and Transform) share, as
// Node's internal/streams/destroy.js does for them: the event loop a stream
// lives on, destroy() with the 'error' and 'close' events, and the rules for
// threads and lifetime.
//
// Event loop. A stream lives on one asio::io_context, which the user owns and
// runs. Every call on a stream, and every callback it makes, happens on the
// thread running that context, as in Node a stream lives on one loop's thread.
// What Node defers with process.nextTick (emitting 'readable', 'end', 'drain',
// 'finish', 'close' and 'error', calling write callbacks that completed
// synchronously) is deferred with asio::post, so events come in Node's order.
// Streams start no threads and poll nothing.
//
// Lifetime. Streams are shared objects: create them with std::make_shared (or a
// factory such as Readable::from) and pass std::shared_ptr around. A stream
// needs that ownership: each callback it posts holds a reference, so a stream
// lives at least until its deferred events (up to 'close') have been emitted.
// A pipe keeps its source alive until the source closes or is unpiped, and the
// source keeps its destinations alive while they are piped (readable.pipe());
// pipeline() keeps all its streams until it calls back. Listeners are owned by
// the stream they listen to; a listener that captures a std::shared_ptr to that
// same stream makes a cycle, so capture a std::weak_ptr or a raw pointer.
// Do not let a listener release the last reference to the stream that is
// calling it.
//
// Errors are std::exception_ptr throughout: 'error' listeners, callbacks and
// errored() carry the exception that broke the stream (a StreamError with
// Node's code for the stream's own errors, or whatever an implementation
// hook threw or passed to its callback). A null exception_ptr means success.

#include <exception>
#include <memory>
#include <string>
#include <utility>
#include "wirekit/detail/function.hpp"

#include "wirekit/export.hpp"
#include "wirekit/stream/detail/io_context_fwd.hpp"
#include "wirekit/stream/event_emitter.hpp"
#include "wirekit/stream/memory_budget.hpp"

namespace wirekit {

// A completion callback, Node's callback(err): call it once, with nullptr on
// success or the error.
using Callback = std::function<void(std::exception_ptr error)>;

namespace events {
// 'close': the stream and its resources are closed; the last event it emits.
WIREKIT_EXPORT inline constexpr Event<> close{"close"};
}  // namespace events

// what() of the exception behind error ("" for null), to log an 'error' event.
[[nodiscard]] WIREKIT_EXPORT std::string errorMessage(const std::exception_ptr& error);
// Node's error code ("ERR_STREAM_PREMATURE_CLOSE") when error is a StreamError,
// otherwise "".
[[nodiscard]] WIREKIT_EXPORT std::string errorCode(const std::exception_ptr& error);

class Readable;
class Writable;
namespace detail {
struct StreamAccess;
template <class T>
class StreamHandle;
}  // namespace detail

class WIREKIT_EXPORT Stream : public EventEmitter, public std::enable_shared_from_this<Stream> {
 public:
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;
  ~Stream() override = default;

  // The event loop the stream lives on.
  [[nodiscard]] asio::io_context& context() const noexcept { return *context_; }

  // stream.destroy(error?): destroys the stream at once (buffered data is
  // dropped, pending write callbacks get an error), then calls _destroy; when
  // that completes, emits 'error' (if error, or _destroy's error) and 'close'
  // on the next tick. Further calls do nothing.
  void destroy(const std::exception_ptr& error = nullptr);

  // stream.destroyed: destroy() has been called.
  [[nodiscard]] bool destroyed() const noexcept { return destroyed_; }
  // stream.closed: _destroy has completed ('close' is emitted, or about to be).
  [[nodiscard]] bool closed() const noexcept { return closed_; }
  // stream.errored: the error that broke the stream, or null.
  [[nodiscard]] const std::exception_ptr& errored() const noexcept { return errored_; }

  // Charges the bytes buffered on this stream's sides (queued to be read,
  // queued or being written) to account from now on, so that a MemoryBudget
  // bounds them (memory_budget.hpp; a TcpServer does it for its
  // connections); null stops. Object-mode sides are not charged: their
  // lengths count objects. Others holding bytes for the same connection (a
  // MessageStream's frame decoder) charge memoryAccount() too.
  void setMemoryAccount(std::shared_ptr<MemoryAccount> account);
  [[nodiscard]] const std::shared_ptr<MemoryAccount>& memoryAccount() const noexcept {
    return memoryAccount_;
  }

 protected:
  // Readable's and Writable's constructors call initStream; a Duplex's calls it
  // through both with the same values. Stream is a virtual base, and this
  // spares classes deriving from Duplex a Stream initializer of their own.
  Stream() = default;
  void initStream(asio::io_context& context, bool emitClose, bool autoDestroy);

  // Node's _destroy(err, callback): release resources, then call callback (with
  // error, or another error, or nullptr to swallow it). The default calls the
  // destroy option if one was given, else callback(error).
  virtual void _destroy(std::exception_ptr error, Callback callback);
  void setDestroyOption(std::function<void(std::exception_ptr, Callback)> destroy) {
    destroyOption_ = std::move(destroy);
  }

  // Node's errorOrDestroy: destroy(error) when autoDestroy is on; otherwise
  // record the error and emit it (on the next tick when sync).
  void errorOrDestroy(const std::exception_ptr& error, bool sync = false);

  // process.nextTick(function), holding a reference to this stream until it
  // runs. Defined in wirekit/stream/detail/next_tick.hpp (Asio's post).
  template <class F>
  void nextTick(F&& function);
  // This stream's shared ownership; TypeError if it is not owned by a std::shared_ptr.
  [[nodiscard]] std::shared_ptr<Stream> keepAlive() {
    std::shared_ptr<Stream> self = weak_from_this().lock();
    if (!self) [[unlikely]]
      throwNotShared();
    return self;
  }

 private:
  friend class Readable;
  friend class Writable;
  friend class Duplex;
  friend struct detail::StreamAccess;
  template <class T>
  friend class detail::StreamHandle;

  [[noreturn]] static void throwNotShared();
  void onDestroyed(const std::exception_ptr& error);
  void emitErrorNT(const std::exception_ptr& error);
  void emitCloseNT();

  asio::io_context* context_ = nullptr;
  // The halves this stream has (Node's _readableState and _writableState).
  Readable* readableSide_ = nullptr;
  Writable* writableSide_ = nullptr;
  std::function<void(std::exception_ptr, Callback)> destroyOption_;
  std::exception_ptr errored_;
  // setMemoryAccount(): the account, and each side's charge of it (empty
  // charges when there is none).
  std::shared_ptr<MemoryAccount> memoryAccount_;
  MemoryCharge readableCharge_;
  MemoryCharge writableCharge_;
  bool destroyed_ = false;
  bool closed_ = false;
  bool closeEmitted_ = false;
  bool errorEmitted_ = false;
  bool destroyCompleted_ = false;
  bool emitClose_ = true;
  bool autoDestroy_ = true;
  // Duplex's allowHalfOpen; Readable reads it when its end arrives.
  bool allowHalfOpen_ = true;
};

namespace detail {

// The stream behind a callback handed to an implementation hook (_write's,
// _transform's). While the hook runs inside the stream's own call the handle
// only borrows the stream, which costs nothing; a copy or move of it, which is
// how a hook keeps a callback for later, holds a shared reference, so that a
// kept callback keeps its stream alive. Synchronous completions, the common
// case, touch no reference count.
template <class T>
class StreamHandle {
 public:
  StreamHandle() noexcept = default;
  [[nodiscard]] static StreamHandle borrow(T* stream) noexcept {
    StreamHandle handle;
    handle.stream_ = stream;
    return handle;
  }
  StreamHandle(const StreamHandle& other) : stream_(other.stream_), keep_(other.held()) {}
  // Not noexcept: moving a borrowed handle takes a reference, which throws
  // TypeError for a stream not owned by a shared_ptr.
  StreamHandle(StreamHandle&& other)  // NOLINT(performance-noexcept-move-constructor)
      : stream_(other.stream_), keep_(other.keep_ ? std::move(other.keep_) : other.held()) {}
  StreamHandle& operator=(const StreamHandle& other) {
    if (this != &other) {
      keep_ = other.held();
      stream_ = other.stream_;
    }
    return *this;
  }
  StreamHandle& operator=(StreamHandle&& other) {  // NOLINT(performance-noexcept-move-constructor)
    if (this != &other) {
      keep_ = other.keep_ ? std::move(other.keep_) : other.held();
      stream_ = other.stream_;
    }
    return *this;
  }
  ~StreamHandle() = default;

  [[nodiscard]] T* get() const noexcept { return stream_; }
  [[nodiscard]] T* operator->() const noexcept { return stream_; }
  [[nodiscard]] explicit operator bool() const noexcept { return stream_ != nullptr; }

 private:
  [[nodiscard]] std::shared_ptr<Stream> held() const {
    if (keep_ || stream_ == nullptr) return keep_;
    return static_cast<Stream&>(*stream_).keepAlive();
  }

  T* stream_ = nullptr;
  std::shared_ptr<Stream> keep_;
};

}  // namespace detail

}  // namespace wirekit
