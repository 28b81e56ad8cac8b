// SPDX-License-Identifier: Apache-2.0
#include "wirekit/transport/detail/file_descriptor.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

#include "blocking_pool.hpp"
#include "system_errors.hpp"

namespace wirekit::detail {

FileDescriptor::~FileDescriptor() {
  if (descriptor_ >= 0) ::close(descriptor_);
}

void FileDescriptor::open(asio::io_context& context, int flags, std::shared_ptr<void> keep,
                          std::function<void(std::exception_ptr)> done) {
  run(
      context,
      [path = path_, flags](int) {
        const int descriptor = ::open(path.c_str(), flags | O_CLOEXEC, 0666);
        return FileCallResult{descriptor, descriptor < 0 ? errno : 0};
      },
      std::move(keep),
      [this, done = std::move(done)](FileCallResult result) {
        if (result.error != 0) {
          done(fileError("open", result.error, path_));
          return;
        }
        descriptor_ = static_cast<int>(result.value);
        opened_ = true;
        done(nullptr);
      });
}

void FileDescriptor::run(asio::io_context& context, std::function<FileCallResult(int)> call,
                         std::shared_ptr<void> keep, std::function<void(FileCallResult)> done) {
  ++busy_;
  BlockingPool::run(
      context, [call = std::move(call), descriptor = descriptor_] { return call(descriptor); },
      // keep holds the stream, which holds this FileDescriptor.
      [this, keep = std::move(keep), done = std::move(done)](FileCallResult result) {
        --busy_;
        done(result);
        if (busy_ == 0 && pendingClose_) {
          closeNow(pendingCloseError_, std::exchange(pendingClose_, nullptr));
        }
      });
}

void FileDescriptor::close(std::exception_ptr error, Callback callback) {
  if (busy_ > 0) {
    pendingClose_ = std::move(callback);
    pendingCloseError_ = std::move(error);
    return;
  }
  closeNow(std::move(error), callback);
}

void FileDescriptor::closeNow(std::exception_ptr error, const Callback& callback) {
  // close() of a local file does not block for long; it runs on the loop.
  if (descriptor_ >= 0 && ::close(std::exchange(descriptor_, -1)) != 0 && !error) {
    error = fileError("close", errno, path_);
  }
  callback(std::move(error));
}

}  // namespace wirekit::detail
