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
  if (file_.opened()) {
    readNext();
    return;
  }
  file_.open(context(), O_RDONLY, keepAlive(), [this](std::exception_ptr error) {
    if (destroyed()) return;
    if (error) {
      destroy(std::move(error));
      return;
    }
    emit(events::open, file_.get());
    readNext();
  });
}

void FileReadStream::readNext() {
  std::size_t length = options_.highWaterMark;
  if (options_.end) {
    if (position_ > *options_.end) {
      push(std::nullopt);
      return;
    }
    length =
        static_cast<std::size_t>(std::min<std::uint64_t>(length, *options_.end - position_ + 1));
  }
  Buffer block = Buffer::allocUnsafe(length);
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
  if (destroyed()) return;
  if (result.error != 0) {
    destroy(detail::fileError("read", result.error, file_.path()));
    return;
  }
  const auto length = static_cast<std::size_t>(result.value);
  if (length == 0) {
    push(std::nullopt);
    return;
  }
  position_ += length;
  bytesRead_ += length;
  // A short read (the end of the file) does not pin the whole block: below a
  // quarter of it, its bytes move to a Buffer of their own, as Node's do.
  Buffer chunk = length * 4 > block.length()
                     ? block.subarray(0, static_cast<std::ptrdiff_t>(length))
                     : Buffer::from(block.bytes().first(length));
  push(std::move(chunk));
}

void FileReadStream::_destroy(std::exception_ptr error, Callback callback) {
  file_.close(std::move(error), std::move(callback));
}

std::shared_ptr<FileReadStream> createReadStream(asio::io_context& context, std::string path,
                                                 FileReadStreamOptions options) {
  return std::make_shared<FileReadStream>(context, std::move(path), options);
}

}  // namespace wirekit
