#include "wirekit/transport/file_read_stream.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <utility>

#include <fmt/format.h>

#include "system_errors.hpp"
#include "wirekit/error.hpp"

namespace wirekit {

FileReadStream::FileReadStream(asio::io_context& context, std::string path,
                               FileReadStreamOptions options)
    : Readable(context, ReadableOptions{.highWaterMark = options.highWaterMark}),
      file_(std::move(path)),
      options_(options),
      position_(options.start) {
  if (options.end && *options.end < options.start) {
    throw RangeError(fmt::format(
        "The value of \"start\" is out of range. It must be <= \"end\" (here: {}). Received {}",
        *options.end, options.start));
  }
}

void FileReadStream::_read(std::size_t) {
  wanted_ = true;
  if (file_.opened()) {
    deliver();
    return;
  }
  file_.open(context(), O_RDONLY, keepAlive(), [this](std::exception_ptr error) {
    if (destroyed()) return;
    if (error) {
      destroy(std::move(error));
      return;
    }
    emit(events::open, file_.get());
    deliver();
  });
}

void FileReadStream::deliver() {
  while (wanted_) {
    if (ready_) {
      Buffer chunk = std::move(*ready_);
      ready_.reset();
      // Read ahead: the next block comes in while the consumer handles this one.
      if (!reading_ && !atEnd_) readNext();
      wanted_ = push(std::move(chunk));
    } else if (atEnd_) {
      push(std::nullopt);
      wanted_ = false;
    } else {
      if (!reading_) readNext();
      return;
    }
    if (destroyed()) return;
  }
  // Full for now: keep one block read ahead.
  if (!reading_ && !ready_ && !atEnd_) readNext();
}

void FileReadStream::readNext() {
  std::size_t length = options_.highWaterMark;
  if (options_.end) {
    length =
        static_cast<std::size_t>(std::min<std::uint64_t>(length, *options_.end - position_ + 1));
  }
  Buffer block = Buffer::allocUnsafe(length);
  reading_ = true;
  file_.run(
      context(),
      [data = block.data(), length, position = position_](int descriptor) {
        ssize_t read = 0;
        do {
          read = ::pread(descriptor, data, length, static_cast<off_t>(position));
        } while (read < 0 && errno == EINTR);
        return detail::FileCallResult{read < 0 ? 0 : read, read < 0 ? errno : 0};
      },
      keepAlive(),
      [this, block](detail::FileCallResult result) mutable { onRead(std::move(block), result); });
}

void FileReadStream::onRead(Buffer block, detail::FileCallResult result) {
  reading_ = false;
  if (destroyed()) return;
  if (result.error != 0) {
    destroy(detail::fileError("read", result.error, file_.path()));
    return;
  }
  const auto length = static_cast<std::size_t>(result.value);
  if (length == 0) {
    atEnd_ = true;
  } else {
    position_ += length;
    bytesRead_ += length;
    // A short read (the end of the file) does not pin the whole block: below
    // a quarter of it, its bytes move to a Buffer of their own, as Node's do.
    ready_ = length * 4 > block.length() ? block.subarray(0, static_cast<std::ptrdiff_t>(length))
                                         : Buffer::from(block.bytes().first(length));
    if (options_.end && position_ > *options_.end) atEnd_ = true;
  }
  deliver();
}

void FileReadStream::_destroy(std::exception_ptr error, Callback callback) {
  file_.close(std::move(error), std::move(callback));
}

std::shared_ptr<FileReadStream> createReadStream(asio::io_context& context, std::string path,
                                                 FileReadStreamOptions options) {
  return std::make_shared<FileReadStream>(context, std::move(path), options);
}

}  // namespace wirekit
