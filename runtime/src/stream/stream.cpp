// SPDX-License-Identifier: Apache-2.0
#include "wirekit/stream/stream.hpp"

#include "wirekit/error.hpp"
#include "wirekit/stream/detail/next_tick.hpp"
#include "wirekit/stream/detail/stream_access.hpp"
#include "wirekit/stream/readable.hpp"
#include "wirekit/stream/writable.hpp"

namespace wirekit {

std::string errorMessage(const std::exception_ptr& error) {
  if (!error) return {};
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& exception) {
    return exception.what();
  } catch (...) {
    return "unknown exception";
  }
}

std::string errorCode(const std::exception_ptr& error) {
  if (!error) return {};
  try {
    std::rethrow_exception(error);
  } catch (const StreamError& streamError) {
    return streamError.code();
  } catch (...) {
    return {};
  }
}

namespace detail {

std::exception_ptr streamError(const std::string& code, const std::string& message) {
  return std::make_exception_ptr(StreamError(code, message));
}

std::exception_ptr streamDestroyed(const std::string& method) {
  return streamError("ERR_STREAM_DESTROYED",
                     "Cannot call " + method + " after a stream was destroyed");
}

std::exception_ptr prematureClose() {
  return streamError("ERR_STREAM_PREMATURE_CLOSE", "Premature close");
}

bool isPrematureClose(const std::exception_ptr& error) {
  return errorCode(error) == "ERR_STREAM_PREMATURE_CLOSE";
}

}  // namespace detail

void Stream::initStream(asio::io_context& context, bool emitClose, bool autoDestroy) {
  context_ = &context;
  emitClose_ = emitClose;
  autoDestroy_ = autoDestroy;
}

void Stream::throwNotShared() {
  throw TypeError(
      "a stream must be owned by a std::shared_ptr (create it with std::make_shared) "
      "before it is used");
}

void Stream::setMemoryAccount(std::shared_ptr<MemoryAccount> account) {
  readableCharge_ = MemoryCharge(
      readableSide_ != nullptr && !readableSide_->readableObjectMode() ? account : nullptr);
  writableCharge_ = MemoryCharge(
      writableSide_ != nullptr && !writableSide_->writableObjectMode() ? account : nullptr);
  memoryAccount_ = std::move(account);
  if (readableSide_ != nullptr) readableCharge_.set(readableSide_->readableLength());
  if (writableSide_ != nullptr) writableCharge_.set(writableSide_->writableLength());
}

void Stream::destroy(const std::exception_ptr& error) {
  if (destroyed_) return;
  // Node's Writable.destroy: writes still queued, and end() callbacks, get
  // their error on the next tick.
  if (writableSide_ != nullptr) writableSide_->destroyRequested();
  if (error && !errored_) errored_ = error;
  destroyed_ = true;
  try {
    _destroy(error,
             [this, keep = keepAlive()](const std::exception_ptr& result) { onDestroyed(result); });
  } catch (...) {
    onDestroyed(std::current_exception());
  }
}

void Stream::_destroy(std::exception_ptr error, Callback callback) {
  if (destroyOption_) {
    destroyOption_(std::move(error), std::move(callback));
  } else {
    callback(std::move(error));
  }
}

void Stream::onDestroyed(const std::exception_ptr& error) {
  // _destroy's callback counts once, as in Node.
  if (destroyCompleted_) return;
  destroyCompleted_ = true;
  if (error && !errored_) errored_ = error;
  closed_ = true;
  if (error) {
    nextTick([this, error] {
      emitErrorNT(error);
      emitCloseNT();
    });
  } else {
    nextTick([this] { emitCloseNT(); });
  }
}

void Stream::emitErrorNT(const std::exception_ptr& error) {
  if (errorEmitted_) return;
  errorEmitted_ = true;
  emit(events::error, error);
}

void Stream::emitCloseNT() {
  closeEmitted_ = true;
  if (emitClose_) emit(events::close);
}

void Stream::errorOrDestroy(const std::exception_ptr& error, bool sync) {
  if (destroyed_) return;
  if (autoDestroy_) {
    destroy(error);
  } else if (error) {
    if (!errored_) errored_ = error;
    if (sync) {
      nextTick([this, error] { emitErrorNT(error); });
    } else {
      emitErrorNT(error);
    }
  }
}

}  // namespace wirekit
