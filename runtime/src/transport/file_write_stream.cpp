// SPDX-License-Identifier: Apache-2.0
#include "wirekit/transport/file_write_stream.hpp"

#include <fcntl.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

#include "system_errors.hpp"
#include "wirekit/stream/detail/stream_access.hpp"
#include "wirekit/transport/detail/scatter_list.hpp"

namespace wirekit {

namespace {

int openFlags(FileFlags flags) {
  switch (flags) {
    case FileFlags::append:
      return O_WRONLY | O_CREAT | O_APPEND;
    case FileFlags::exclusive:
      return O_WRONLY | O_CREAT | O_EXCL;
    case FileFlags::truncate:
      break;
  }
  return O_WRONLY | O_CREAT | O_TRUNC;
}

// Writes all of list, however many writev calls that takes.
detail::FileCallResult writeAll(int descriptor, detail::ScatterList& list) {
  detail::FileCallResult result{.value = 0, .error = 0, .calls = 0};
  while (!list.done()) {
    const ssize_t written = ::writev(descriptor, list.data(), list.count());
    ++result.calls;
    if (written < 0) {
      if (errno == EINTR) continue;
      result.error = errno;
      break;
    }
    result.value += written;
    list.consume(static_cast<std::size_t>(written));
  }
  return result;
}

}  // namespace

FileWriteStream::FileWriteStream(asio::io_context& context, std::string path,
                                 FileWriteStreamOptions options)
    : Writable(context, WritableOptions{.highWaterMark = options.highWaterMark}),
      file_(std::move(path)),
      options_(options) {}

void FileWriteStream::whenOpen(Callback next) {
  if (file_.opened()) {
    next(nullptr);
    return;
  }
  file_.open(context(), openFlags(options_.flags), keepAlive(),
             [this, next = std::move(next)](std::exception_ptr error) {
               if (!error && !destroyed()) emit(events::open, file_.get());
               next(std::move(error));
             });
}

void FileWriteStream::_writev(std::span<const Buffer> chunks, WriteCallback callback) {
  // The chunks stay put until callback; the pool's thread reads them.
  detail::ScatterList list;
  list.assign(chunks);
  whenOpen([this, list = std::move(list), callback](std::exception_ptr error) mutable {
    // As Node's: a write that completes after destroy() fails.
    if (!error && destroyed()) error = detail::streamDestroyed("write");
    if (error) {
      callback(error);
      return;
    }
    file_.run(
        context(),
        [list = std::move(list)](int descriptor) mutable { return writeAll(descriptor, list); },
        keepAlive(),
        [this, callback](detail::FileCallResult result) {
          bytesWritten_ += static_cast<std::uint64_t>(result.value);
          writeCalls_ += result.calls;
          if (result.error != 0) {
            callback(detail::fileError("write", result.error, file_.path()));
          } else if (destroyed()) {
            callback(detail::streamDestroyed("write"));
          } else {
            callback();
          }
        });
  });
}

void FileWriteStream::_final(Callback callback) {
  // end() without a write still creates (or empties) the file.
  whenOpen([this, callback](std::exception_ptr error) {
    if (error || !options_.fsync) {
      callback(std::move(error));
      return;
    }
    file_.run(
        context(),
        [](int descriptor) {
          const int failed = ::fsync(descriptor);
          return detail::FileCallResult{.value = 0, .error = failed != 0 ? errno : 0};
        },
        keepAlive(),
        [this, callback](detail::FileCallResult result) {
          callback(result.error != 0 ? detail::fileError("fsync", result.error, file_.path())
                                     : nullptr);
        });
  });
}

void FileWriteStream::_destroy(std::exception_ptr error, Callback callback) {
  file_.close(std::move(error), std::move(callback));
}

std::shared_ptr<FileWriteStream> createWriteStream(asio::io_context& context, std::string path,
                                                   FileWriteStreamOptions options) {
  return std::make_shared<FileWriteStream>(context, std::move(path), options);
}

}  // namespace wirekit
