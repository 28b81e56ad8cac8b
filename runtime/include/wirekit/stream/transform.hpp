// SPDX-License-Identifier: Apache-2.0
#pragma once
// Transform: Node's stream.Transform, a Duplex whose output is computed from
// its input (a frame decoder, gzip). Each written chunk goes to _transform,
// which pushes zero or more output chunks and then calls its callback; the
// next chunk is not transformed until the output queue is below its
// highWaterMark, so backpressure on the readable side holds the writable side.
// On end(), _flush may push the last output, which comes before 'end'.
//
//   auto upper = std::make_shared<Transform>(io, TransformOptions{
//       .transform = [](Transform&, Buffer chunk, const TransformCallback& done) {
//         done(Buffer::from(toUpper(chunk.toString())));
//       }});

#include <cstddef>
#include <exception>
#include <memory>
#include <optional>
#include <span>
#include "wirekit/detail/function.hpp"

#include "wirekit/bytes/buffer.hpp"
#include "wirekit/export.hpp"
#include "wirekit/stream/duplex.hpp"

namespace wirekit {

class Transform;

// The callback _transform and _flush receive, Node's callback(err, data): call
// it once, with nothing, with a chunk to push first, or with the error. Like
// WriteCallback it may be kept and called later (a kept copy holds a reference
// to the stream), and calling it before _transform returns touches no
// reference count.
class WIREKIT_EXPORT TransformCallback {
 public:
  void operator()() const { complete(nullptr, nullptr); }
  void operator()(Buffer data) const { complete(nullptr, &data); }
  void operator()(const std::exception_ptr& error) const { complete(error, nullptr); }

 private:
  friend class Transform;
  // For _transform: completes the write that delivered the chunk.
  TransformCallback(Transform* stream, std::size_t readableLength) noexcept
      : stream_(detail::StreamHandle<Transform>::borrow(stream)), readableLength_(readableLength) {}
  // For _flush: completes _final.
  TransformCallback(Transform* stream, Callback finalCallback) noexcept
      : stream_(detail::StreamHandle<Transform>::borrow(stream)),
        finalCallback_(std::move(finalCallback)) {}

  // data, when given, is moved from.
  void complete(const std::exception_ptr& error, Buffer* data) const;

  detail::StreamHandle<Transform> stream_;
  std::size_t readableLength_ = 0;
  Callback finalCallback_;
};

struct TransformOptions {
  // As DuplexOptions.
  std::optional<std::size_t> highWaterMark{};
  std::optional<std::size_t> readableHighWaterMark{};
  std::optional<std::size_t> writableHighWaterMark{};
  bool objectMode = false;
  bool readableObjectMode = false;
  bool writableObjectMode = false;
  bool allowHalfOpen = true;
  bool emitClose = true;
  bool autoDestroy = true;
  // _transform and _flush, for streams built without a subclass.
  std::function<void(Transform& self, Buffer chunk, const TransformCallback& callback)> transform{};
  std::function<void(Transform& self, const TransformCallback& callback)> flush{};
  std::function<void(Transform& self, std::exception_ptr error, Callback callback)> destroy{};
};

class WIREKIT_EXPORT Transform : public Duplex {
 public:
  Transform(asio::io_context& context, TransformOptions options = {});

 protected:
  // Node's _transform(chunk, encoding, callback): push() the output of chunk
  // (or keep state for later), then call callback. The default calls the
  // transform option, else fails with ERR_METHOD_NOT_IMPLEMENTED. An exception
  // thrown before callback is called counts as callback(error).
  virtual void _transform(Buffer chunk, TransformCallback callback);
  // Node's _flush(callback): push() what remains after the last chunk. The
  // default calls the flush option, else callback().
  virtual void _flush(TransformCallback callback);

  // The Duplex hooks, implemented in terms of _transform and _flush.
  void _write(Buffer chunk, WriteCallback callback) final;
  void _read(std::size_t size) final;
  void _final(Callback callback) final;

 private:
  friend class TransformCallback;

  void transformed(std::size_t readableLengthBefore, const std::exception_ptr& error, Buffer* data);
  void flushed(const Callback& finalCallback, const std::exception_ptr& error, Buffer* data);

  std::function<void(Transform&, Buffer, const TransformCallback&)> transformOption_;
  std::function<void(Transform&, const TransformCallback&)> flushOption_;
  // The write whose output overfilled the readable side is completed by the
  // next _read, so that the next chunk waits for the reader. (A flag, not the
  // WriteCallback: a stream holding a reference to itself would never be freed.)
  bool writePending_ = false;
};

}  // namespace wirekit
