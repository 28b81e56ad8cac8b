// SPDX-License-Identifier: Apache-2.0
#include "wirekit/transport/file_read_stream.hpp"

#include <fcntl.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <utility>

#include <fmt/format.h>
#include <asio/post.hpp>

#include "system_errors.hpp"
#include "wirekit/error.hpp"

namespace wirekit {

FileReadStream::FileReadStream(asio::io_context& context, std::string path,
                               FileReadStreamOptions options)
    : Readable(context, ReadableOptions{.highWaterMark = options.highWaterMark}),
      file_(std::move(path)),
      options_(options),
      position_(options.start),
      nextRead_(options.start) {
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
  file_.open(context(), O_RDONLY, keepAlive(), [this](const std::exception_ptr& error) {
    if (destroyed()) return;
    if (error) {
      destroy(error);
      return;
    }
    emit(events::open, file_.get());
    deliver();
  });
}

void FileReadStream::deliver() {
  while (wanted_) {
    if (readyCount_ > 0) {
      Buffer chunk = std::move(ready_[0]);
      std::move(ready_.begin() + 1, ready_.begin() + readyCount_, ready_.begin());
      --readyCount_;
      // Read ahead: the next blocks come in while the consumer handles this one.
      readAheadBlocks();
      wanted_ = push(std::move(chunk));
    } else if (atEnd_) {
      push(std::nullopt);
      wanted_ = false;
    } else {
      readAheadBlocks();
      return;
    }
    if (destroyed()) return;
  }
  // Full for now: keep the blocks read ahead.
  readAheadBlocks();
}

void FileReadStream::readAheadBlocks() {
  while (!atEnd_ && reading_ + readyCount_ < readAhead &&
         !(options_.end && nextRead_ > *options_.end)) {
    std::size_t length = options_.highWaterMark;
    if (options_.end) {
      length =
          static_cast<std::size_t>(std::min<std::uint64_t>(length, *options_.end - nextRead_ + 1));
    }
    Buffer block = Buffer::allocUnsafe(length);
    const std::uint64_t position = nextRead_;
    nextRead_ += length;
    ++reading_;
    // Not while the pool reads: its block comes first.
    if (poolReads_ == 0 && readCached(block, position)) continue;
    ++poolReads_;
    file_.run(
        context(),
        [data = block.data(), length, position](int descriptor) {
          ssize_t read = 0;
          do {
            read = ::pread(descriptor, data, length, static_cast<off_t>(position));
          } while (read < 0 && errno == EINTR);
          return detail::FileCallResult{read < 0 ? 0 : read, read < 0 ? errno : 0};
        },
        keepAlive(),
        [this, block, position](detail::FileCallResult result) mutable {
          --poolReads_;
          onRead(std::move(block), position, result);
        });
  }
}

bool FileReadStream::readCached(const Buffer& block, std::uint64_t position) {
  if (!readCachedWorks_) return false;
  iovec target{const_cast<std::byte*>(block.data()), block.length()};
  ssize_t read = 0;
  do {
    read = ::preadv2(file_.get(), &target, 1, static_cast<off_t>(position), RWF_NOWAIT);
  } while (read < 0 && errno == EINTR);
  if (read < 0) {
    // EAGAIN: not cached. Another error: the pool's pread reports it, as
    // without RWF_NOWAIT. A file system without it: the pool reads from now on.
    if (errno == EOPNOTSUPP || errno == ENOSYS || errno == EINVAL) readCachedWorks_ = false;
    return false;
  }
  // Completed on a later turn of the loop, as a read on the pool: other work
  // on the loop runs between blocks, and events never come from inside _read.
  asio::post(context(), [this, keep = keepAlive(), block, position, read] {
    onRead(block, position, detail::FileCallResult{read, 0});
  });
  return true;
}

void FileReadStream::onRead(Buffer block, std::uint64_t position, detail::FileCallResult result) {
  --reading_;
  if (destroyed()) return;
  // A read started beyond a short one (the file ended there, or has grown
  // since): its bytes are not the next ones; it is read again from there.
  if (position != position_ || atEnd_) {
    deliver();
    return;
  }
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
    ready_[readyCount_++] = length * 4 > block.length()
                                ? block.subarray(0, static_cast<std::ptrdiff_t>(length))
                                : Buffer::from(block.bytes().first(length));
    if (options_.end && position_ > *options_.end) atEnd_ = true;
    // The reads in flight after a short one start at the wrong place.
    if (length < block.length()) nextRead_ = position_;
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
