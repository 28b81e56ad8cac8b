// SPDX-License-Identifier: Apache-2.0
// Duplex, as Node's lib/internal/streams/duplex.js: a Readable and a Writable
// sharing one Stream (destroy, 'error', 'close').

#include "wirekit/stream/duplex.hpp"

#include <utility>

namespace wirekit {

namespace {

// The options of each side; the hooks get the Duplex back as their self.
ReadableOptions readableOptionsOf(DuplexOptions& options) {
  ReadableOptions readable{
      .highWaterMark =
          options.highWaterMark ? options.highWaterMark : options.readableHighWaterMark,
      .objectMode = options.objectMode || options.readableObjectMode,
      .emitClose = options.emitClose,
      .autoDestroy = options.autoDestroy,
  };
  if (options.read) {
    readable.read = [read = std::move(options.read)](Readable& self, std::size_t size) {
      read(static_cast<Duplex&>(self), size);
    };
  }
  if (options.destroy) {
    readable.destroy = [destroy = std::move(options.destroy)](
                           Readable& self, std::exception_ptr error, Callback callback) {
      destroy(static_cast<Duplex&>(self), std::move(error), std::move(callback));
    };
  }
  return readable;
}

WritableOptions writableOptionsOf(DuplexOptions& options) {
  WritableOptions writable{
      .highWaterMark =
          options.highWaterMark ? options.highWaterMark : options.writableHighWaterMark,
      .objectMode = options.objectMode || options.writableObjectMode,
      .emitClose = options.emitClose,
      .autoDestroy = options.autoDestroy,
  };
  if (options.write) {
    writable.write = [write = std::move(options.write)](Writable& self, Buffer chunk,
                                                        const WriteCallback& callback) {
      write(static_cast<Duplex&>(self), std::move(chunk), callback);
    };
  }
  if (options.writev) {
    writable.writev = [writev = std::move(options.writev)](Writable& self,
                                                           std::span<const Buffer> chunks,
                                                           const WriteCallback& callback) {
      writev(static_cast<Duplex&>(self), chunks, callback);
    };
  }
  if (options.final) {
    writable.final = [final = std::move(options.final)](Writable& self, Callback callback) {
      final(static_cast<Duplex&>(self), std::move(callback));
    };
  }
  return writable;
}

}  // namespace

Duplex::Duplex(asio::io_context& context, DuplexOptions options)
    : Readable(context, readableOptionsOf(options)), Writable(context, writableOptionsOf(options)) {
  allowHalfOpen_ = options.allowHalfOpen;
  if (!options.readable) {
    readableEnabled_ = false;
    Readable::ended_ = true;
    endEmitted_ = true;
  }
  if (!options.writable) {
    writableEnabled_ = false;
    ending_ = true;
    Writable::ended_ = true;
    finished_ = true;
  }
}

}  // namespace wirekit
