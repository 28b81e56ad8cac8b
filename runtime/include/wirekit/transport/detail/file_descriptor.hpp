// SPDX-License-Identifier: Apache-2.0
#pragma once
// FileDescriptor: what a file stream shares with the other: a descriptor
// whose blocking calls run on the io_context's file pool, in the order they
// were made, and a close that waits for the calls in flight (which still use
// the descriptor). Not part of the user-facing API.

#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <string>

#include <asio/io_context.hpp>

#include "wirekit/export.hpp"
#include "wirekit/stream/stream.hpp"

namespace wirekit::detail {

// What a blocking call returns: a count (bytes, or the descriptor open()
// made) or the errno it failed with, and how many system calls it took.
struct FileCallResult {
  std::int64_t value = 0;
  int error = 0;
  std::uint32_t calls = 1;
};

class WIREKIT_EXPORT FileDescriptor {
 public:
  explicit FileDescriptor(std::string path) : path_(std::move(path)) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  // Closes a descriptor still open (a stream released without destroy()).
  ~FileDescriptor();

  [[nodiscard]] const std::string& path() const noexcept { return path_; }
  [[nodiscard]] int get() const noexcept { return descriptor_; }
  [[nodiscard]] bool opened() const noexcept { return opened_; }

  // open(path, flags, 0666 & ~umask) on the pool, then done(error) on the
  // loop: null, or a SystemError naming the path. keep (the stream) stays
  // alive until then.
  void open(asio::io_context& context, int flags, std::shared_ptr<void> keep,
            std::function<void(std::exception_ptr error)> done);
  // call(descriptor) on the pool, then done(result) on the loop. Calls run,
  // and complete, in the order run() was called.
  void run(asio::io_context& context, std::function<FileCallResult(int descriptor)> call,
           std::shared_ptr<void> keep, std::function<void(FileCallResult result)> done);
  // Closes the descriptor, at once or after the calls in flight have called
  // their done; then callback(error, or close's error).
  void close(std::exception_ptr error, Callback callback);

 private:
  void closeNow(std::exception_ptr error, const Callback& callback);

  std::string path_;
  int descriptor_ = -1;
  bool opened_ = false;
  // Calls in flight.
  int busy_ = 0;
  // close() called while calls were in flight.
  Callback pendingClose_;
  std::exception_ptr pendingCloseError_;
};

}  // namespace wirekit::detail
