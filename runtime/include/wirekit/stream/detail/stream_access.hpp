// SPDX-License-Identifier: Apache-2.0
#pragma once
// What finished() and pipeline() read of a stream's internal state (Node's
// _readableState and _writableState, which are public there), and the stream
// errors with Node's codes and messages. Not part of the user-facing API.

#include <exception>
#include <string>

#include "wirekit/export.hpp"
#include "wirekit/stream/readable.hpp"
#include "wirekit/stream/stream.hpp"
#include "wirekit/stream/writable.hpp"

namespace wirekit::detail {

// A StreamError with Node's code and message, as an exception_ptr.
[[nodiscard]] WIREKIT_EXPORT std::exception_ptr streamError(const std::string& code,
                                                            const std::string& message);
// ERR_STREAM_DESTROYED: "Cannot call <method> after a stream was destroyed".
[[nodiscard]] WIREKIT_EXPORT std::exception_ptr streamDestroyed(const std::string& method);
// ERR_STREAM_PREMATURE_CLOSE: "Premature close".
[[nodiscard]] WIREKIT_EXPORT std::exception_ptr prematureClose();
[[nodiscard]] WIREKIT_EXPORT bool isPrematureClose(const std::exception_ptr& error);

struct WIREKIT_EXPORT StreamAccess {
  static Readable* readableSide(const Stream& stream) noexcept { return stream.readableSide_; }
  static Writable* writableSide(const Stream& stream) noexcept { return stream.writableSide_; }
  static bool errorEmitted(const Stream& stream) noexcept { return stream.errorEmitted_; }
  // utils.js willEmitClose: the stream will emit 'close' by itself.
  static bool willEmitClose(const Stream& stream) noexcept {
    return stream.autoDestroy_ && stream.emitClose_ && !stream.closed_;
  }
  // utils.js isReadableNodeStream / isWritableNodeStream: the stream has that
  // side, and (for a Duplex) it was not disabled at construction.
  static bool isReadableStream(const Stream& stream) noexcept {
    return stream.readableSide_ != nullptr &&
           (stream.writableSide_ == nullptr || stream.readableSide_->readableEnabled_);
  }
  static bool isWritableStream(const Stream& stream) noexcept {
    return stream.writableSide_ != nullptr &&
           (stream.readableSide_ == nullptr || stream.writableSide_->writableEnabled_);
  }
  // utils.js isReadableFinished(stream, strict): 'end' emitted, or (not
  // strict) ended with nothing left to read.
  static bool isReadableFinished(const Stream& stream, bool strict) noexcept {
    const Readable* readable = stream.readableSide_;
    if (readable == nullptr || stream.errored_) return false;
    return readable->endEmitted_ || (!strict && readable->ended_ && readable->length_ == 0);
  }
  // utils.js isWritableFinished(stream, strict): 'finish' emitted, or (not
  // strict) ended with nothing left to write.
  static bool isWritableFinished(const Stream& stream, bool strict) noexcept {
    const Writable* writable = stream.writableSide_;
    if (writable == nullptr) return false;
    if (writable->finished_) return true;
    if (stream.errored_) return false;
    return !strict && writable->ended_ && writable->length_ == 0;
  }
  // utils.js isReadable / isWritable: that side can still produce / accept data.
  static bool isReadable(const Stream& stream) noexcept {
    return !stream.destroyed_ && isReadableStream(stream) && stream.readableSide_->readable() &&
           !isReadableFinished(stream, true);
  }
  static bool isWritable(const Stream& stream) noexcept {
    const Writable* writable = stream.writableSide_;
    return !stream.destroyed_ && isWritableStream(stream) && writable->writable() &&
           !(writable->ending_ || (!stream.errored_ && writable->ended_));
  }
  // The readable side's ended flag (push(null) seen), for pipeline.
  static bool readableEndedFlag(const Stream& stream) noexcept {
    return stream.readableSide_ != nullptr && stream.readableSide_->ended_;
  }
};

}  // namespace wirekit::detail
