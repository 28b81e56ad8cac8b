// SPDX-License-Identifier: Apache-2.0
#pragma once
// FileReadStream: Node's fs.ReadStream, a Readable of a file's bytes, from
// start to end (inclusive, as Node's), in chunks of up to highWaterMark
// (64 KiB). Replaying a log of frames:
//
//   auto file = createReadStream(io, "orders.log");
//   auto frames = std::make_shared<FrameDecoderStream>(io);
//   pipeline({file, frames, handler}, [](std::exception_ptr error) { ... });
//
// A log cut inside a frame ends in a FrameError naming the frame's offset in
// the file, after every whole frame before it (see FrameDecoderStream).
//
// The blocking calls (open, pread, close) run on a thread of the io_context's
// file pool (one thread per io_context, started on first use); their
// completions come back to the io_context's thread, where every event is
// emitted. A block the page cache holds is read on the io_context's thread
// instead, with preadv2(RWF_NOWAIT), which never waits for the disk: a thread
// hop costs more than the copy (see docs/transports.md). The file is opened when the stream is
// first read, then 'open'. The stream reads ahead: up to two blocks are being read or wait to be
// pushed, so the pool thread goes from one pread to the next while the
// consumer handles the chunk before, and at most highWaterMark bytes queued
// plus two blocks are in memory.
// Errors are SystemErrors in Node's words ("ENOENT: no such file or
// directory, open 'orders.log'").

#include <array>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <optional>
#include <string>

#include <asio/io_context.hpp>

#include "wirekit/export.hpp"
#include "wirekit/stream/event_emitter.hpp"
#include "wirekit/stream/readable.hpp"
#include "wirekit/transport/detail/file_descriptor.hpp"

namespace wirekit {

namespace events {
// 'open': the file is open, with its descriptor.
WIREKIT_EXPORT inline constexpr Event<int> open{"open"};
}  // namespace events

// Node's fs.ReadStream reads 64 KiB at a time (a FileWriteStream queues more:
// defaultFileWriteHighWaterMark).
inline constexpr std::size_t defaultFileHighWaterMark = std::size_t{64} * 1024;

struct FileReadStreamOptions {
  // The first byte to read, and the last (inclusive); to the end of the file
  // when end is not given.
  std::uint64_t start = 0;
  std::optional<std::uint64_t> end{};
  // Bytes buffered before reading pauses, and the most one read takes.
  std::size_t highWaterMark = defaultFileHighWaterMark;
};

class WIREKIT_EXPORT FileReadStream : public Readable {
 public:
  // RangeError if end is before start.
  FileReadStream(asio::io_context& context, std::string path, FileReadStreamOptions options = {});

  [[nodiscard]] const std::string& path() const noexcept { return file_.path(); }
  // Bytes read so far.
  [[nodiscard]] std::uint64_t bytesRead() const noexcept { return bytesRead_; }
  // Not opened yet.
  [[nodiscard]] bool pending() const noexcept { return !file_.opened(); }

 protected:
  void _read(std::size_t size) override;
  void _destroy(std::exception_ptr error, Callback callback) override;

 private:
  // Blocks read ahead, or being read, at most.
  static constexpr int readAhead = 2;

  void deliver();
  // Starts reads until readAhead blocks are being read or wait to be pushed.
  void readAheadBlocks();
  // Reads block at position on this thread if that does not wait (the page
  // cache holds it) and posts its completion; false if the pool must read it.
  bool readCached(const Buffer& block, std::uint64_t position);
  void onRead(Buffer block, std::uint64_t position, detail::FileCallResult result);

  detail::FileDescriptor file_;
  FileReadStreamOptions options_;
  // The offset of the next byte to push after the ready blocks, and of the
  // next read to start (ahead of it by the reads in flight).
  std::uint64_t position_;
  std::uint64_t nextRead_;
  std::uint64_t bytesRead_ = 0;
  // Blocks read ahead and not pushed yet, in order: ready_[0, readyCount_).
  std::array<Buffer, readAhead> ready_;
  int readyCount_ = 0;
  // Reads in flight, and those of them on the pool; the end of the range (or
  // the file) has been read.
  int reading_ = 0;
  int poolReads_ = 0;
  // preadv2(RWF_NOWAIT) works on this file.
  bool readCachedWorks_ = true;
  bool atEnd_ = false;
  // _read was called and push() has not been called since, or last returned true.
  bool wanted_ = false;
};

// fs.createReadStream(path, options).
[[nodiscard]] WIREKIT_EXPORT std::shared_ptr<FileReadStream> createReadStream(
    asio::io_context& context, std::string path, FileReadStreamOptions options = {});

}  // namespace wirekit
