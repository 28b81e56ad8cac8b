// SPDX-License-Identifier: Apache-2.0
// finished(), ported from Node's lib/internal/streams/end-of-stream.js (v20).

#include "wirekit/stream/finished.hpp"

#include <asio/io_context.hpp>
#include <asio/post.hpp>

#include "wirekit/stream/detail/stream_access.hpp"
#include "wirekit/stream/readable.hpp"
#include "wirekit/stream/writable.hpp"

namespace wirekit {

namespace {

using detail::StreamAccess;

// utils.js isReadable / isWritable: null (nullopt) for a stream without that side.
std::optional<bool> readableNow(const Stream& stream) {
  if (StreamAccess::readableSide(stream) == nullptr) return std::nullopt;
  return StreamAccess::isReadable(stream);
}

std::optional<bool> writableNow(const Stream& stream) {
  if (StreamAccess::writableSide(stream) == nullptr) return std::nullopt;
  return StreamAccess::isWritable(stream);
}

// stream.readable / stream.writable, false for a side the stream lacks.
bool readableProperty(const Stream& stream) {
  const Readable* readable = StreamAccess::readableSide(stream);
  return readable != nullptr && readable->readable();
}

bool writableProperty(const Stream& stream) {
  const Writable* writable = StreamAccess::writableSide(stream);
  return writable != nullptr && writable->writable();
}

struct Watch {
  Stream* stream = nullptr;
  std::weak_ptr<Stream> alive;
  Callback callback;
  bool readable = false;
  bool writable = false;
  bool willEmitClose = false;
  bool readableFinished = false;
  bool writableFinished = false;
  ListenerId onEnd = 0;
  ListenerId onFinish = 0;
  ListenerId onError = 0;
  ListenerId onClose = 0;

  // Node wraps the callback in once().
  void call(std::exception_ptr error) {
    if (!callback) return;
    Callback target = std::move(callback);
    callback = nullptr;
    target(std::move(error));
  }

  void onFinished() {
    writableFinished = true;
    // Destroyed already: 'close' may not follow, so do not wait for it.
    if (stream->destroyed()) willEmitClose = false;
    if (willEmitClose && (!readableProperty(*stream) || readable)) return;
    if (!readable || readableFinished) call(nullptr);
  }

  void onEnded() {
    readableFinished = true;
    if (stream->destroyed()) willEmitClose = false;
    if (willEmitClose && (!writableProperty(*stream) || writable)) return;
    if (!writable || writableFinished) call(nullptr);
  }

  void onClosed() {
    if (const std::exception_ptr& error = stream->errored()) {
      call(error);
      return;
    }
    if (readable && !readableFinished && StreamAccess::isReadableStream(*stream) &&
        !StreamAccess::isReadableFinished(*stream, false)) {
      call(detail::prematureClose());
      return;
    }
    if (writable && !writableFinished && !StreamAccess::isWritableFinished(*stream, false)) {
      call(detail::prematureClose());
      return;
    }
    call(nullptr);
  }

  // Node's onclosed: the stream was already done when finished() was called.
  void onAlreadyDone() { call(stream->errored()); }
};

}  // namespace

std::function<void()> finished(const std::shared_ptr<Stream>& stream, Callback callback) {
  return finished(stream, FinishedOptions{}, std::move(callback));
}

std::function<void()> finished(const std::shared_ptr<Stream>& stream, FinishedOptions options,
                               Callback callback) {
  Stream& target = *stream;
  auto watch = std::make_shared<Watch>();
  watch->stream = &target;
  watch->alive = stream;
  watch->callback = std::move(callback);
  watch->readable = options.readable.value_or(StreamAccess::isReadableStream(target));
  watch->writable = options.writable.value_or(StreamAccess::isWritableStream(target));
  // 'close' will follow 'end'/'finish': wait for it, so that the callback
  // comes after the stream has released its resources.
  watch->willEmitClose = StreamAccess::willEmitClose(target) &&
                         StreamAccess::isReadableStream(target) == watch->readable &&
                         StreamAccess::isWritableStream(target) == watch->writable;
  watch->writableFinished = StreamAccess::isWritableFinished(target, false);
  watch->readableFinished = StreamAccess::isReadableFinished(target, false);

  watch->onEnd = target.on(events::end, [watch] { watch->onEnded(); });
  watch->onFinish = target.on(events::finish, [watch] { watch->onFinished(); });
  if (options.error) {
    watch->onError =
        target.on(events::error, [watch](const std::exception_ptr& error) { watch->call(error); });
  }
  watch->onClose = target.on(events::close, [watch] { watch->onClosed(); });

  // Already done: call back on the next tick.
  const auto later = [&stream, &watch](void (Watch::*handler)()) {
    asio::post(stream->context(), [watch, keep = stream, handler] { ((*watch).*handler)(); });
  };
  const bool readable = watch->readable;
  const bool writable = watch->writable;
  const bool willEmitClose = watch->willEmitClose;
  if (target.closed()) {
    later(&Watch::onClosed);
  } else if (StreamAccess::errorEmitted(target)) {
    if (!willEmitClose) later(&Watch::onAlreadyDone);
  } else if ((!readable && (!willEmitClose || readableNow(target) == true) &&
              (watch->writableFinished || writableNow(target) == false)) ||
             (!writable && (!willEmitClose || writableNow(target) == true) &&
              (watch->readableFinished || readableNow(target) == false))) {
    // The side to watch is done already (or cannot be done).
    later(&Watch::onAlreadyDone);
  }

  return [watch] {
    watch->callback = nullptr;
    std::shared_ptr<Stream> alive = watch->alive.lock();
    if (!alive) return;
    alive->off(events::end, watch->onEnd);
    alive->off(events::finish, watch->onFinish);
    if (watch->onError != 0) alive->off(events::error, watch->onError);
    alive->off(events::close, watch->onClose);
  };
}

}  // namespace wirekit
