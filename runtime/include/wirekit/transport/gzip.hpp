// SPDX-License-Identifier: Apache-2.0
#pragma once
// Gzip and Gunzip: Node's zlib.Gzip and zlib.Gunzip, Transforms that compress
// bytes into the gzip format (RFC 1952) and back, with zlib. A framed log
// compressed on the fly, and read back:
//
//   pipeline({framer, createGzip(io), createWriteStream(io, "orders.log.gz")}, done);
//   pipeline({createReadStream(io, "orders.log.gz"), createGunzip(io), frames}, done);
//
// Gzip's output is complete once it ends (end() flushes the last block and
// writes the trailer). Gunzip reads concatenated gzip members as one stream,
// as gzip(1) and Node do; zero bytes after the last member are padding and
// ignored. Corrupt input, or input that ends inside a member, destroys it with
// a ZlibError naming the compressed offset ("gunzip: incorrect header check at
// compressed byte 0 (Z_DATA_ERROR)"; "gunzip: unexpected end of file at
// compressed byte 20 (Z_BUF_ERROR)").
//
// zlib runs on the event loop's thread, inline in _transform (Node runs it on
// its thread pool): compressing a 64 KiB chunk takes about a millisecond, during
// which the loop serves nothing else. Output goes out in chunks of chunkSize
// bytes, each a subarray of a larger block (no copy).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>

#include <asio/io_context.hpp>

#include "wirekit/bytes/buffer.hpp"
#include "wirekit/export.hpp"
#include "wirekit/stream/transform.hpp"

namespace wirekit {

// Node's zlib options that gzip uses; Node's defaults.
struct ZlibOptions {
  // 0 (none) to 9 (best); -1: zlib's default (6).
  int level = -1;
  // 1 to 9: memory for the compression state.
  int memLevel = 8;
  // zlib's strategy: 0 default, 1 filtered, 2 Huffman only, 3 RLE, 4 fixed.
  int strategy = 0;
  // 9 to 15: the window is 2^windowBits bytes.
  int windowBits = 15;
  // Bytes of output per chunk pushed.
  std::size_t chunkSize = std::size_t{16} * 1024;
  // Of the Transform's two sides (Node's 16 KiB when not given).
  std::optional<std::size_t> readableHighWaterMark{};
  std::optional<std::size_t> writableHighWaterMark{};
};

// What Gzip and Gunzip share (Node's ZlibBase): the zlib stream and the output.
class WIREKIT_EXPORT ZlibBase : public Transform {
 public:
  ~ZlibBase() override;

  // zlib.bytesWritten: input bytes consumed so far (uncompressed for Gzip,
  // compressed for Gunzip).
  [[nodiscard]] std::uint64_t bytesWritten() const noexcept { return bytesWritten_; }

 protected:
  struct Engine;
  ZlibBase(asio::io_context& context, const ZlibOptions& options, std::unique_ptr<Engine> engine);

  void _transform(Buffer chunk, TransformCallback callback) override;
  void _flush(TransformCallback callback) override;

 private:
  void process(const Buffer& input, bool finish);

  std::unique_ptr<Engine> engine_;
  std::size_t chunkSize_;
  // The block output goes into, and where its unused part starts.
  Buffer out_;
  std::size_t outOffset_ = 0;
  std::uint64_t bytesWritten_ = 0;
};

class WIREKIT_EXPORT Gzip : public ZlibBase {
 public:
  // RangeError for an option out of its range.
  explicit Gzip(asio::io_context& context, const ZlibOptions& options = {});
};

class WIREKIT_EXPORT Gunzip : public ZlibBase {
 public:
  explicit Gunzip(asio::io_context& context, const ZlibOptions& options = {});
};

// zlib.createGzip(options) and zlib.createGunzip(options).
[[nodiscard]] WIREKIT_EXPORT std::shared_ptr<Gzip> createGzip(asio::io_context& context,
                                                              const ZlibOptions& options = {});
[[nodiscard]] WIREKIT_EXPORT std::shared_ptr<Gunzip> createGunzip(asio::io_context& context,
                                                                  const ZlibOptions& options = {});

}  // namespace wirekit
