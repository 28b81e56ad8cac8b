// SPDX-License-Identifier: Apache-2.0
#pragma once
// What the message stream tests share: two Duplexes joined back to back (the
// two ends of a connection, in memory), a Writable that records every write,
// and SOFH frames written out by hand.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <asio/io_context.hpp>

#include "../codec/byte_builder.hpp"
#include "../stream/stream_test_support.hpp"
#include "wirekit/bytes/buffer.hpp"
#include "wirekit/stream/duplex.hpp"
#include "wirekit/stream/writable.hpp"

namespace wirekit::test {

// Two Duplexes where what one writes, the other reads, chunk for chunk (the
// Buffers themselves, not copies), and end() on one ends the other's readable
// side: a connection without a kernel in between.
inline std::pair<std::shared_ptr<Duplex>, std::shared_ptr<Duplex>> duplexPair(
    asio::io_context& context, DuplexOptions options = {}) {
  struct Ends {
    std::weak_ptr<Duplex> a;
    std::weak_ptr<Duplex> b;
  };
  auto ends = std::make_shared<Ends>();
  auto make = [&](bool first) {
    DuplexOptions sideOptions = options;
    auto peer = [ends, first]() -> std::shared_ptr<Duplex> {
      return (first ? ends->b : ends->a).lock();
    };
    sideOptions.read = [](Duplex&, std::size_t) {};
    sideOptions.write = [peer](Duplex&, Buffer chunk, WriteCallback done) {
      if (auto other = peer()) other->push(std::move(chunk));
      done();
    };
    sideOptions.final = [peer](Duplex&, Callback done) {
      if (auto other = peer()) other->push(std::nullopt);
      done(nullptr);
    };
    return std::make_shared<Duplex>(context, sideOptions);
  };
  auto a = make(true);
  auto b = make(false);
  ends->a = a;
  ends->b = b;
  return {a, b};
}

// A Writable that keeps every chunk written to it; completes each write at
// once, or only when release() is called (a slow consumer).
class RecordingSink {
 public:
  RecordingSink(asio::io_context& context, bool holdWrites = false,
                std::optional<std::size_t> highWaterMark = std::nullopt)
      : state_(std::make_shared<State>()) {
    state_->hold = holdWrites;
    auto state = state_;
    stream_ = std::make_shared<Writable>(
        context, WritableOptions{.highWaterMark = highWaterMark,
                                 .write = [state](Writable&, Buffer chunk, WriteCallback done) {
                                   state->chunks.push_back(std::move(chunk));
                                   if (state->hold) {
                                     state->waiting.push_back(std::move(done));
                                   } else {
                                     done();
                                   }
                                 }});
  }

  [[nodiscard]] const std::shared_ptr<Writable>& stream() const { return stream_; }
  [[nodiscard]] const std::vector<Buffer>& chunks() const { return state_->chunks; }
  // Every byte written, in order.
  [[nodiscard]] std::vector<std::byte> bytes() const {
    std::vector<std::byte> all;
    for (const Buffer& chunk : state_->chunks) {
      all.insert(all.end(), chunk.bytes().begin(), chunk.bytes().end());
    }
    return all;
  }
  // Completes the writes held so far.
  void release() {
    std::vector<WriteCallback> waiting;
    waiting.swap(state_->waiting);
    for (const WriteCallback& done : waiting)
      done();
  }

 private:
  struct State {
    bool hold = false;
    std::vector<Buffer> chunks;
    std::vector<WriteCallback> waiting;
  };
  std::shared_ptr<State> state_;
  std::shared_ptr<Writable> stream_;
};

// A SOFH frame by hand: u32 big-endian length of the whole frame, u16
// big-endian encoding type, then the message.
inline std::vector<std::byte> sofhFrame(const std::vector<std::byte>& message,
                                        std::uint16_t encodingType = 0xEB50) {
  wktest::Bytes frame(true);
  frame.u32(message.size() + 6).u16(encodingType);
  std::vector<std::byte> bytes = frame.bytes();
  bytes.insert(bytes.end(), message.begin(), message.end());
  return bytes;
}

// A Buffer of its own holding bytes, as a transport's read gives.
inline Buffer chunkOf(std::span<const std::byte> bytes) {
  Buffer chunk = Buffer::allocUnsafeSlow(bytes.size());
  if (!bytes.empty()) std::memcpy(chunk.data(), bytes.data(), bytes.size());
  return chunk;
}

inline std::vector<std::byte> joined(std::initializer_list<std::vector<std::byte>> parts) {
  std::vector<std::byte> all;
  for (const auto& part : parts)
    all.insert(all.end(), part.begin(), part.end());
  return all;
}

}  // namespace wirekit::test
