// SPDX-License-Identifier: Apache-2.0
#pragma once
// Plain POSIX I/O for the baselines, and the pieces the TCP benchmarks share:
// a loopback connection and a thread that reads and counts bytes.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <thread>
#include <utility>

namespace bench::streams {

// A file descriptor, closed on destruction.
class FileDescriptor {
 public:
  FileDescriptor() noexcept = default;
  explicit FileDescriptor(int fd) noexcept : fd_(fd) {}
  FileDescriptor(FileDescriptor&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  FileDescriptor& operator=(FileDescriptor&& other) noexcept;
  ~FileDescriptor();

  [[nodiscard]] int get() const noexcept { return fd_; }

 private:
  int fd_ = -1;
};

// Throws std::system_error for errno, naming what failed.
[[noreturn]] void throwErrno(const std::string& what);

// A connected TCP pair on 127.0.0.1, TCP_NODELAY on both ends (as a service
// sending small messages sets it).
struct Loopback {
  FileDescriptor client;
  FileDescriptor server;
};
[[nodiscard]] Loopback connectLoopback();

// Writes every byte (one write() unless the kernel takes fewer).
void writeAll(int fd, const std::byte* data, std::size_t size);
// Writes chunk again and again, one write() each, until total bytes (a multiple
// of its size) are written.
void writeRepeated(int fd, std::span<const std::byte> chunk, std::size_t total);

// Creates or empties path for writing.
[[nodiscard]] FileDescriptor openForWriting(const std::string& path);

// Reads fd on its own thread, 256 KiB at a time, until end of stream, and
// counts the bytes: the cheapest possible receiver.
class ByteCounter {
 public:
  explicit ByteCounter(int fd);
  ByteCounter(const ByteCounter&) = delete;
  ByteCounter& operator=(const ByteCounter&) = delete;
  // Joins the thread: the sending side must have been shut down.
  ~ByteCounter();

  // Blocks until at least total bytes have arrived.
  void waitFor(std::uint64_t total);

 private:
  void run(int fd);

  std::atomic<std::uint64_t> received_{0};
  std::thread thread_;
};

// A file for the file benchmarks, in the temporary directory, removed on destruction.
class ScratchFile {
 public:
  explicit ScratchFile(const std::string& name);
  ScratchFile(const ScratchFile&) = delete;
  ScratchFile& operator=(const ScratchFile&) = delete;
  ~ScratchFile();

  [[nodiscard]] const std::string& path() const noexcept { return path_; }

 private:
  std::string path_;
};

}  // namespace bench::streams
