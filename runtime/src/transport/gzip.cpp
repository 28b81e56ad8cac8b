// SPDX-License-Identifier: Apache-2.0
#include "wirekit/transport/gzip.hpp"

#include <zlib.h>

#include <algorithm>
#include <climits>
#include <string>
#include <utility>

#include <fmt/format.h>

#include "wirekit/error.hpp"

namespace wirekit {

namespace {

// zlib takes lengths as uInt: longer input goes in pieces of this size.
constexpr std::size_t maxPiece = std::size_t{1} << 30;
// Node's Z_MIN_CHUNK.
constexpr std::size_t minChunkSize = 64;
// windowBits + 16: the gzip wrapper instead of zlib's.
constexpr int gzipWrapper = 16;

const char* codeName(int status) {
  switch (status) {
    case Z_NEED_DICT:
      return "Z_NEED_DICT";
    case Z_STREAM_ERROR:
      return "Z_STREAM_ERROR";
    case Z_DATA_ERROR:
      return "Z_DATA_ERROR";
    case Z_MEM_ERROR:
      return "Z_MEM_ERROR";
    case Z_BUF_ERROR:
      return "Z_BUF_ERROR";
    case Z_VERSION_ERROR:
      return "Z_VERSION_ERROR";
    default:
      return "Z_ERRNO";
  }
}

void checkRange(const char* name, std::int64_t value, std::int64_t minimum, std::int64_t maximum) {
  if (value < minimum || value > maximum) {
    throw RangeError(fmt::format(
        "The value of \"options.{}\" is out of range. It must be >= {} and <= {}. Received {}",
        name, minimum, maximum, value));
  }
}

// RangeError for an option zlib would refuse (with a message that says less).
void checkOptions(const ZlibOptions& options) {
  checkRange("level", options.level, -1, 9);
  checkRange("memLevel", options.memLevel, 1, 9);
  checkRange("strategy", options.strategy, 0, 4);
  checkRange("windowBits", options.windowBits, 9, 15);
  checkRange("chunkSize",
             static_cast<std::int64_t>(std::min<std::size_t>(options.chunkSize, maxPiece + 1)),
             minChunkSize, maxPiece);
}

TransformOptions transformOptionsOf(const ZlibOptions& options) {
  return TransformOptions{
      .readableHighWaterMark = options.readableHighWaterMark,
      .writableHighWaterMark = options.writableHighWaterMark,
  };
}

}  // namespace

struct ZlibBase::Engine {
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;
  ~Engine() {
    if (inflating) {
      inflateEnd(&stream);
    } else {
      deflateEnd(&stream);
    }
  }

  static std::unique_ptr<Engine> forGzip(const ZlibOptions& options) {
    checkOptions(options);
    auto engine = std::unique_ptr<Engine>(new Engine("gzip", false));
    engine->check(
        deflateInit2(&engine->stream, options.level, Z_DEFLATED, options.windowBits + gzipWrapper,
                     options.memLevel, options.strategy),
        0);
    return engine;
  }
  static std::unique_ptr<Engine> forGunzip(const ZlibOptions& options) {
    checkOptions(options);
    auto engine = std::unique_ptr<Engine>(new Engine("gunzip", true));
    engine->check(inflateInit2(&engine->stream, options.windowBits + gzipWrapper), 0);
    return engine;
  }

  int step(bool finish) {
    if (inflating) return inflate(&stream, Z_NO_FLUSH);
    return deflate(&stream, finish ? Z_FINISH : Z_NO_FLUSH);
  }

  // Throws the ZlibError for status, an error zlib returned with offset bytes
  // consumed. Z_BUF_ERROR alone is no error: zlib could not progress without
  // more input or room, which process() gives it. Z_NEED_DICT is one: a gzip
  // member cannot ask for a dictionary.
  void check(int status, std::uint64_t offset) const {
    if (status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR) return;
    const char* reason = stream.msg != nullptr ? stream.msg : zError(status);
    throw ZlibError(
        fmt::format("{}: {} at compressed byte {} ({})", name, reason, offset, codeName(status)),
        codeName(status), offset);
  }

  z_stream stream{};
  const char* name;
  bool inflating;
  // Gunzip: the last member has ended; more input starts another.
  bool memberEnded = false;

 private:
  Engine(const char* engineName, bool decompressing) : name(engineName), inflating(decompressing) {}
};

ZlibBase::ZlibBase(asio::io_context& context, const ZlibOptions& options,
                   std::unique_ptr<Engine> engine)
    : Transform(context, transformOptionsOf(options)),
      engine_(std::move(engine)),
      chunkSize_(options.chunkSize) {}

ZlibBase::~ZlibBase() = default;

Gzip::Gzip(asio::io_context& context, const ZlibOptions& options)
    : ZlibBase(context, options, Engine::forGzip(options)) {}

Gunzip::Gunzip(asio::io_context& context, const ZlibOptions& options)
    : ZlibBase(context, options, Engine::forGunzip(options)) {}

void ZlibBase::_transform(Buffer chunk, TransformCallback callback) {
  // A ZlibError thrown here fails the write, which destroys the stream.
  for (std::size_t offset = 0; offset < chunk.length(); offset += maxPiece) {
    process(
        chunk.subarray(static_cast<std::ptrdiff_t>(offset),
                       static_cast<std::ptrdiff_t>(std::min(chunk.length(), offset + maxPiece))),
        false);
  }
  callback();
}

void ZlibBase::_flush(TransformCallback callback) {
  Engine& engine = *engine_;
  if (engine.inflating) {
    // Everything inflate could give has been pushed; the input must have
    // ended with a member.
    if (!engine.memberEnded) {
      throw ZlibError(
          fmt::format("gunzip: unexpected end of file at compressed byte {} (Z_BUF_ERROR)",
                      bytesWritten_),
          "Z_BUF_ERROR", bytesWritten_);
    }
  } else {
    process(Buffer(), true);
  }
  callback();
}

void ZlibBase::process(const Buffer& input, bool finish) {
  Engine& engine = *engine_;
  z_stream& stream = engine.stream;
  // zlib never writes through next_in; its type is not const.
  stream.next_in = const_cast<Bytef*>(input.begin());
  stream.avail_in = static_cast<uInt>(input.length());
  for (;;) {
    if (engine.memberEnded) {
      // Between gzip members: zero bytes are padding; anything else starts
      // the next member.
      while (stream.avail_in > 0 && *stream.next_in == 0) {
        ++stream.next_in;
        --stream.avail_in;
        ++bytesWritten_;
      }
      if (stream.avail_in == 0) return;
      engine.check(inflateReset(&stream), bytesWritten_);
      engine.memberEnded = false;
    }
    if (outOffset_ == out_.length()) {
      out_ = Buffer::allocUnsafe(chunkSize_);
      outOffset_ = 0;
    }
    const std::size_t room = out_.length() - outOffset_;
    stream.next_out = out_.begin() + outOffset_;
    stream.avail_out = static_cast<uInt>(room);
    const uInt inputBefore = stream.avail_in;
    const int status = engine.step(finish);
    bytesWritten_ += inputBefore - stream.avail_in;
    const std::size_t produced = room - stream.avail_out;
    if (produced > 0) {
      push(out_.subarray(static_cast<std::ptrdiff_t>(outOffset_),
                         static_cast<std::ptrdiff_t>(outOffset_ + produced)));
      outOffset_ += produced;
    }
    engine.check(status, bytesWritten_);
    if (status == Z_STREAM_END) {
      if (!engine.inflating) return;
      engine.memberEnded = true;
      continue;
    }
    // Output full: there may be more. Otherwise zlib has taken all the input
    // it can and given all the output it has (unless finishing, which ends
    // with Z_STREAM_END).
    if (stream.avail_out == 0) continue;
    if (stream.avail_in == 0 && !finish) return;
  }
}

std::shared_ptr<Gzip> createGzip(asio::io_context& context, const ZlibOptions& options) {
  return std::make_shared<Gzip>(context, options);
}

std::shared_ptr<Gunzip> createGunzip(asio::io_context& context, const ZlibOptions& options) {
  return std::make_shared<Gunzip>(context, options);
}

}  // namespace wirekit
