// SPDX-License-Identifier: Apache-2.0
#pragma once
// Duplex: Node's stream.Duplex, both Readable and Writable (a TCP socket, a
// frame codec). The two sides are independent queues sharing one destroy(),
// one 'error' and one 'close'. With allowHalfOpen (the default) the writable
// side stays open after the readable side ends; without it, the end of the
// readable side ends the writable side too (as a TCP socket does by default).
//
// A Duplex converts to std::shared_ptr<Readable> and std::shared_ptr<Writable>,
// so it can be piped into and from. Implement one by deriving and overriding
// the Readable and Writable hooks, or with DuplexOptions.

#include <cstddef>
#include <exception>
#include <optional>
#include <span>
#include "wirekit/detail/function.hpp"

#include "wirekit/bytes/buffer.hpp"
#include "wirekit/export.hpp"
#include "wirekit/stream/readable.hpp"
#include "wirekit/stream/writable.hpp"

namespace wirekit {

class Duplex;

struct DuplexOptions {
  // Both sides' highWaterMark; readableHighWaterMark and writableHighWaterMark
  // apply when it is not given.
  std::optional<std::size_t> highWaterMark{};
  std::optional<std::size_t> readableHighWaterMark{};
  std::optional<std::size_t> writableHighWaterMark{};
  // Both sides in object mode, or one of them.
  bool objectMode = false;
  bool readableObjectMode = false;
  bool writableObjectMode = false;
  // Keep the writable side open when the readable side ends.
  bool allowHalfOpen = true;
  // false: that side starts out ended (a Duplex used one way only).
  bool readable = true;
  bool writable = true;
  bool emitClose = true;
  bool autoDestroy = true;
  std::function<void(Duplex& self, std::size_t size)> read{};
  std::function<void(Duplex& self, Buffer chunk, const WriteCallback& callback)> write{};
  std::function<void(Duplex& self, std::span<const Buffer> chunks, const WriteCallback& callback)>
      writev{};
  std::function<void(Duplex& self, Callback callback)> final{};
  std::function<void(Duplex& self, std::exception_ptr error, Callback callback)> destroy{};
};

class WIREKIT_EXPORT Duplex : public Readable, public Writable {
 public:
  Duplex(asio::io_context& context, DuplexOptions options = {});

  // duplex.allowHalfOpen (a property in Node, which net.Socket sets).
  [[nodiscard]] bool allowHalfOpen() const noexcept { return allowHalfOpen_; }
  void setAllowHalfOpen(bool allowHalfOpen) noexcept { allowHalfOpen_ = allowHalfOpen; }
};

}  // namespace wirekit
