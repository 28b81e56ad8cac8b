// SPDX-License-Identifier: Apache-2.0
#include "wirekit/framing/frame_decoder.hpp"

#include <utility>

namespace wirekit {

void FrameDecoder::throwIfFailed() const {
  if (failure_) throw *failure_;
}

void FrameDecoder::push(Buffer chunk) {
  throwIfFailed();
  queue_.push(std::move(chunk));
}

std::optional<Buffer> FrameDecoder::next() {
  throwIfFailed();
  try {
    std::optional<Buffer> frame = decode();
    if (!frame && ended_) checkEnd();
    return frame;
  } catch (const FrameError& error) {
    failure_ = error;
    throw;
  }
}

void FrameDecoder::end() {
  throwIfFailed();
  ended_ = true;
  try {
    if (!holdsFramesAtEnd()) checkEnd();
  } catch (const FrameError& error) {
    failure_ = error;
    throw;
  }
}

void FrameDecoder::reject(const FrameError& error) {
  if (!discardMode_) throw error;
  ++discardedFrames_;
  if (onDiscard_) onDiscard_(error);
}

}  // namespace wirekit
