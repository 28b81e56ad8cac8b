// SPDX-License-Identifier: Apache-2.0
#pragma once
// FrameDecoder: cuts a byte stream, arriving in chunks of any size, into frames.
// The frames are the same however the stream is split into chunks. A frame
// that lies inside one chunk is a subarray of it (no copy); only a frame that
// spans chunks is copied, once, into a Buffer of its own.
//
//   decoder.push(chunk);
//   while (std::optional<Buffer> frame = decoder.next()) handle(*frame);
//   ...
//   decoder.end();  // at the end of the stream: FrameError if a frame was cut short
//
// A bad frame is a FrameError naming the stream offset where it starts and the
// limit it broke. Without discard mode it is fatal: next() throws it, and every
// later push(), next() or end() throws it again. In discard mode a bad frame
// whose extent is known (too long, shorter than the bytes to strip, a wrong
// header field) is skipped and reported to the onDiscard listener, and decoding
// goes on with the next frame; a frame whose length cannot be right (below the
// header, beyond 2^63 - 1) leaves no way to find the next frame and stays fatal.

#include <cstddef>
#include <cstdint>
#include <optional>
#include "wirekit/detail/function.hpp"

#include "wirekit/bytes/buffer.hpp"
#include "wirekit/error.hpp"
#include "wirekit/export.hpp"
#include "wirekit/framing/chunk_queue.hpp"

namespace wirekit {

// The maximum frame length when none is given: 1 MiB.
inline constexpr std::size_t defaultMaxFrameLength = std::size_t{1} << 20;
// The longest bad frame discard mode skips when none is given: 16 MiB. A peer
// that sends more than that in one frame is not speaking the protocol.
inline constexpr std::uint64_t defaultMaxDiscardLength = std::uint64_t{16} << 20;

class WIREKIT_EXPORT FrameDecoder {
 public:
  // Called, in discard mode, with each frame skipped.
  using DiscardListener = std::function<void(const FrameError&)>;

  FrameDecoder(const FrameDecoder&) = delete;
  FrameDecoder& operator=(const FrameDecoder&) = delete;
  virtual ~FrameDecoder() = default;

  // Appends the next chunk of the stream. The decoder keeps a handle to it, not
  // a copy, until next() has used its bytes; the chunk must not change meanwhile.
  void push(Buffer chunk);
  // The next whole frame, or nothing until more bytes are pushed.
  [[nodiscard]] std::optional<Buffer> next();
  // Declares the end of the stream, once next() has returned nothing. Frames
  // that were waiting only to see whether more bytes would change them (a
  // longer delimiter that might still have matched) are then whole: take them
  // with next() until it returns nothing. A FrameError if bytes of an
  // unfinished frame remain: thrown by end(), or, when such frames were
  // waiting, by the next() that finds none left.
  void end();

  // The listener runs inside next(); it must not call this decoder's push() or next().
  void onDiscard(DiscardListener listener) { onDiscard_ = std::move(listener); }
  [[nodiscard]] bool discardMode() const noexcept { return discardMode_; }
  // Frames skipped in discard mode so far.
  [[nodiscard]] std::uint64_t discardedFrames() const noexcept { return discardedFrames_; }
  // Bytes of the stream taken as frames or skipped so far: the offset of the
  // next frame.
  [[nodiscard]] std::uint64_t streamOffset() const noexcept { return queue_.streamOffset(); }
  // Bytes pushed and not yet used.
  [[nodiscard]] std::size_t bufferedBytes() const noexcept { return queue_.size(); }
  // Memory the decoder holds: the bytes pushed and not yet used, and the
  // buffers frames are gathered or assembled in (what a MemoryBudget charges
  // for a connection's frame decoder).
  [[nodiscard]] virtual std::size_t heldBytes() const noexcept { return queue_.heldBytes(); }
  // A fatal error has been thrown; every later call throws it again.
  [[nodiscard]] bool failed() const noexcept { return failure_.has_value(); }

 protected:
  explicit FrameDecoder(bool discardMode) noexcept : discardMode_(discardMode) {}

  // The next frame from queue_, or nothing if more bytes are needed. A fatal
  // error is thrown; a frame that may be discarded goes to reject().
  [[nodiscard]] virtual std::optional<Buffer> decode() = 0;
  // Throws a FrameError if the stream cannot end here.
  virtual void checkEnd() const = 0;
  // Whether, the stream having ended, decode() has frames (or bad frames) to
  // give that it was holding back for more bytes.
  [[nodiscard]] virtual bool holdsFramesAtEnd() const { return false; }
  // end() has been called: no more bytes will come.
  [[nodiscard]] bool ended() const noexcept { return ended_; }

  // A bad frame whose extent is known: reported in discard mode, thrown otherwise.
  void reject(const FrameError& error);

  ChunkQueue queue_;

 private:
  void throwIfFailed() const;

  bool discardMode_;
  bool ended_ = false;
  std::uint64_t discardedFrames_ = 0;
  DiscardListener onDiscard_;
  std::optional<FrameError> failure_;
};

}  // namespace wirekit
