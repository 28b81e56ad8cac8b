// SPDX-License-Identifier: Apache-2.0
// Transform, as Node's lib/internal/streams/transform.js.

#include "wirekit/stream/transform.hpp"

#include <utility>

#include "wirekit/error.hpp"
#include "wirekit/stream/detail/next_tick.hpp"

namespace wirekit {

namespace {

DuplexOptions duplexOptionsOf(TransformOptions& options) {
  DuplexOptions duplex{
      .highWaterMark = options.highWaterMark,
      .readableHighWaterMark = options.readableHighWaterMark,
      .writableHighWaterMark = options.writableHighWaterMark,
      .objectMode = options.objectMode,
      .readableObjectMode = options.readableObjectMode,
      .writableObjectMode = options.writableObjectMode,
      .allowHalfOpen = options.allowHalfOpen,
      .emitClose = options.emitClose,
      .autoDestroy = options.autoDestroy,
  };
  // A Duplex buffers on both sides; a Transform with a readable highWaterMark
  // of 0 wants no buffering at all, so its writable side gets 0 too.
  const std::optional<std::size_t> readableHighWaterMark =
      options.highWaterMark ? options.highWaterMark : options.readableHighWaterMark;
  if (readableHighWaterMark == 0) {
    duplex.highWaterMark = std::nullopt;
    duplex.readableHighWaterMark = 0;
    duplex.writableHighWaterMark = options.writableHighWaterMark.value_or(0);
  }
  if (options.destroy) {
    duplex.destroy = [destroy = std::move(options.destroy)](Duplex& self, std::exception_ptr error,
                                                            Callback callback) {
      destroy(static_cast<Transform&>(self), std::move(error), std::move(callback));
    };
  }
  return duplex;
}

}  // namespace

void TransformCallback::complete(const std::exception_ptr& error, Buffer* data) const {
  if (finalCallback_) {
    stream_->flushed(finalCallback_, error, data);
  } else {
    stream_->transformed(readableLength_, error, data);
  }
}

// The write that delivered the chunk completes here (onWrite is what its
// WriteCallback would call).
void Transform::transformed(std::size_t readableLengthBefore, const std::exception_ptr& error,
                            Buffer* data) {
  if (error) {
    onWrite(error);
    return;
  }
  if (data != nullptr) push(std::move(*data));
  if (Readable::ended_) {
    // The transform pushed the end: let that settle before the next write.
    nextTick([this] { onWrite(nullptr); });
  } else if (Writable::ended_ || readableLengthBefore == Readable::length_ ||
             Readable::length_ < Readable::highWaterMark_) {
    onWrite(nullptr);
  } else {
    // The output is over highWaterMark: the next chunk waits for a _read.
    writePending_ = true;
  }
}

void Transform::flushed(const Callback& finalCallback, const std::exception_ptr& error,
                        Buffer* data) {
  // The last output, then the end, then _final completes.
  if (error) {
    finalCallback(error);
    return;
  }
  if (data != nullptr) push(std::move(*data));
  push(std::nullopt);
  finalCallback(nullptr);
}

Transform::Transform(asio::io_context& context, TransformOptions options)
    : Duplex(context, duplexOptionsOf(options)),
      transformOption_(std::move(options.transform)),
      flushOption_(std::move(options.flush)) {
  // _read is implemented and nothing needs to wait for a first read() call.
  Readable::sync_ = false;
}

// The hooks take their callback by value so that overrides can keep it.
// NOLINTNEXTLINE(performance-unnecessary-value-param)
void Transform::_transform(Buffer chunk, TransformCallback callback) {
  if (transformOption_) {
    transformOption_(*this, std::move(chunk), callback);
    return;
  }
  throw StreamError("ERR_METHOD_NOT_IMPLEMENTED", "The _transform() method is not implemented");
}

// NOLINTNEXTLINE(performance-unnecessary-value-param)
void Transform::_flush(TransformCallback callback) {
  if (flushOption_) {
    flushOption_(*this, callback);
  } else {
    callback();
  }
}

void Transform::_write(Buffer chunk, WriteCallback callback) {
  // Completed through the TransformCallback, which reaches the same onWrite.
  static_cast<void>(callback);
  _transform(std::move(chunk), TransformCallback(this, Readable::length_));
}

void Transform::_read(std::size_t) {
  if (writePending_) {
    writePending_ = false;
    onWrite(nullptr);
  }
}

void Transform::_final(Callback callback) {
  if (destroyed()) {
    push(std::nullopt);
    callback(nullptr);
    return;
  }
  _flush(TransformCallback(this, std::move(callback)));
}

}  // namespace wirekit
