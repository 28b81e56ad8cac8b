// SPDX-License-Identifier: Apache-2.0
#pragma once
// DelimiterFrameDecoder: frames that end with a delimiter, as Netty's
// DelimiterBasedFrameDecoder cuts them. Where several delimiters match, the one
// that gives the shortest frame wins, and of two starting at the same byte the
// one listed first. A delimiter split across chunks, or a longer delimiter that
// may still match where a shorter one already has, is waited for, so the frames
// do not depend on where the chunks break; at end() what was waited for is
// settled, and next() gives the frames held back.
//
// maxFrameLength bounds a frame without its delimiter. A longer frame is
// skipped up to and including its delimiter without being buffered; with
// failFast it is reported as soon as more than maxFrameLength bytes have come
// without a delimiter (the same error when the delimiter came in the same
// chunk), otherwise once its delimiter arrives. It is fatal unless
// discardMode is on (see FrameDecoder). A stream that ends after bytes with no
// delimiter is a FrameError at end().

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "wirekit/export.hpp"
#include "wirekit/framing/frame_decoder.hpp"

namespace wirekit {

struct WIREKIT_EXPORT DelimiterDecoderOptions {
  // One or more non-empty byte strings.
  std::vector<std::string> delimiters{};
  // Hand out frames without their delimiter.
  bool stripDelimiter = true;
  // The longest frame accepted, without its delimiter.
  std::size_t maxFrameLength = defaultMaxFrameLength;
  bool failFast = true;
  bool discardMode = false;

  // Lines ending in "\n" or "\r\n".
  [[nodiscard]] static DelimiterDecoderOptions lines(std::size_t maxFrameLength = 8192);
};

class WIREKIT_EXPORT DelimiterFrameDecoder final : public FrameDecoder {
 public:
  // RangeError without delimiters, for an empty one, or for maxFrameLength 0.
  explicit DelimiterFrameDecoder(DelimiterDecoderOptions options);

  [[nodiscard]] const DelimiterDecoderOptions& options() const noexcept { return options_; }

 private:
  struct Match {
    std::size_t position;
    std::size_t delimiter;
  };

  [[nodiscard]] std::optional<Buffer> decode() override;
  void checkEnd() const override;
  [[nodiscard]] bool holdsFramesAtEnd() const override;
  // The delimiter ending the frame at the front of the queue, once no later
  // byte can change which one it is.
  [[nodiscard]] std::optional<Match> find();
  // The first position in [from, end) where delimiter index matches in full.
  [[nodiscard]] std::optional<std::size_t> search(std::size_t index, std::size_t from,
                                                  std::size_t end) const;
  // Whether delimiter index may still match at position, given more bytes.
  [[nodiscard]] bool matchesSoFar(std::size_t index, std::size_t position) const;
  [[nodiscard]] FrameError tooLong(std::uint64_t length) const;
  [[nodiscard]] FrameError noDelimiterWithin() const;

  DelimiterDecoderOptions options_;
  std::size_t longestDelimiter_ = 0;

  // Queued bytes before this offset are known to start no delimiter: a lower
  // bound of the current frame's length.
  std::size_t scanned_ = 0;
  bool discarding_ = false;
  std::uint64_t frameStart_ = 0;
  // A too-long frame's error, reported when its delimiter arrives (no failFast).
  bool reportAtDelimiter_ = false;
};

}  // namespace wirekit
