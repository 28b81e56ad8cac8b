// SPDX-License-Identifier: Apache-2.0
#pragma once
// FileWriteStream: Node's fs.WriteStream, a Writable that writes to a file.
// Logging framed messages:
//
//   auto log = createWriteStream(io, "orders.log", {.flags = FileFlags::append});
//   framer->pipe(log);                       // or log->write(frame) per message
//   log->end();                              // 'finish': every byte is in the file
//
// Chunks written while a write is in flight queue and go to the file in one
// writev(2) (up to IOV_MAX chunks a call), so a burst of small frames costs
// few system calls. 'finish' comes once everything is written, after an
// fsync(2) when the fsync option asks for it; 'close' once the file is
// closed.
//
// The blocking calls (open, writev, fsync, close) run on a thread of the
// io_context's file pool (one thread per io_context, started on first use),
// and their completions come back to the io_context's thread. The file is
// opened by the first write (or by end()), then 'open'. Errors are
// SystemErrors in Node's words ("EEXIST: file already exists, open 'x.log'").

#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <span>
#include <string>

#include <asio/io_context.hpp>

#include "wirekit/bytes/buffer.hpp"
#include "wirekit/export.hpp"
#include "wirekit/stream/writable.hpp"
#include "wirekit/transport/detail/file_descriptor.hpp"
#include "wirekit/transport/file_read_stream.hpp"

namespace wirekit {

// How a FileWriteStream opens its file (Node's flags).
enum class FileFlags {
  truncate,   // "w": create, or empty an existing file
  append,     // "a": create, or write after what an existing file holds
  exclusive,  // "wx": create; EEXIST if the file exists
};

// Bytes queued before write() returns false: 1 MiB. Each writev(2) goes to
// the pool's thread and its completion comes back, two thread wake-ups that
// in a VM cost more than writing 64 KiB to the page cache (about 11 µs each
// against 16 µs), and the queue is what one call takes: at 64 KiB the hops
// took half the time.
inline constexpr std::size_t defaultFileWriteHighWaterMark = std::size_t{1} << 20;

struct FileWriteStreamOptions {
  FileFlags flags = FileFlags::truncate;
  std::size_t highWaterMark = defaultFileWriteHighWaterMark;
  // fsync(2) before 'finish', so that 'finish' means the bytes are on the
  // disk, not only in the page cache (Node's `flush` option does this at close).
  bool fsync = false;
};

class WIREKIT_EXPORT FileWriteStream : public Writable {
 public:
  FileWriteStream(asio::io_context& context, std::string path, FileWriteStreamOptions options = {});

  [[nodiscard]] const std::string& path() const noexcept { return file_.path(); }
  // Bytes written to the file so far.
  [[nodiscard]] std::uint64_t bytesWritten() const noexcept { return bytesWritten_; }
  // writev calls made so far: the measure of batching.
  [[nodiscard]] std::uint64_t writeCalls() const noexcept { return writeCalls_; }
  // Not opened yet.
  [[nodiscard]] bool pending() const noexcept { return !file_.opened(); }

 protected:
  void _writev(std::span<const Buffer> chunks, WriteCallback callback) override;
  [[nodiscard]] bool _hasWritev() const noexcept override { return true; }
  void _final(Callback callback) override;
  void _destroy(std::exception_ptr error, Callback callback) override;

 private:
  void whenOpen(Callback next);

  detail::FileDescriptor file_;
  FileWriteStreamOptions options_;
  std::uint64_t bytesWritten_ = 0;
  std::uint64_t writeCalls_ = 0;
};

// fs.createWriteStream(path, options).
[[nodiscard]] WIREKIT_EXPORT std::shared_ptr<FileWriteStream> createWriteStream(
    asio::io_context& context, std::string path, FileWriteStreamOptions options = {});

}  // namespace wirekit
