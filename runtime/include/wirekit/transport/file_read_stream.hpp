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
// emitted. The file is opened when the stream is first read, then 'open'.
// The stream reads one block ahead: while the consumer handles a chunk, the
// next one is being read, so at most highWaterMark bytes queued plus two
// blocks are in memory.
// Errors are SystemErrors in Node's words ("ENOENT: no such file or
// directory, open 'orders.log'").

#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <optional>
#include <string>

#include <asio/io_context.hpp>

#include "wirekit/stream/event_emitter.hpp"
#include "wirekit/stream/readable.hpp"
#include "wirekit/transport/detail/file_descriptor.hpp"

namespace wirekit {

namespace events {
// 'open': the file is open, with its descriptor.
inline constexpr Event<int> open{"open"};
}  // namespace events

// Node's fs streams read and write 64 KiB at a time.
inline constexpr std::size_t defaultFileHighWaterMark = std::size_t{64} * 1024;

struct FileReadStreamOptions {
  // The first byte to read, and the last (inclusive); to the end of the file
  // when end is not given.
  std::uint64_t start = 0;
  std::optional<std::uint64_t> end{};
  // Bytes buffered before reading pauses, and the most one read takes.
  std::size_t highWaterMark = defaultFileHighWaterMark;
};

class FileReadStream : public Readable {
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
  void deliver();
  void readNext();
  void onRead(Buffer block, detail::FileCallResult result);

  detail::FileDescriptor file_;
  FileReadStreamOptions options_;
  // The offset of the next read.
  std::uint64_t position_;
  std::uint64_t bytesRead_ = 0;
  // A block read ahead and not pushed yet; the read in flight; the end of
  // the range (or the file) has been read.
  std::optional<Buffer> ready_;
  bool reading_ = false;
  bool atEnd_ = false;
  // _read was called and push() has not been called since, or last returned true.
  bool wanted_ = false;
};

// fs.createReadStream(path, options).
[[nodiscard]] std::shared_ptr<FileReadStream> createReadStream(asio::io_context& context,
                                                               std::string path,
                                                               FileReadStreamOptions options = {});

}  // namespace wirekit
