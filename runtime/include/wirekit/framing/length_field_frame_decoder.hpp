// SPDX-License-Identifier: Apache-2.0
#pragma once
// LengthFieldFrameDecoder: frames whose header holds their length, configured
// as Netty's LengthFieldBasedFrameDecoder is. The whole frame is
//
//   lengthFieldOffset + lengthFieldLength + (length field) + lengthAdjustment
//
// bytes from its first byte (lengthIncludesHeader: (length field) +
// lengthAdjustment); that is the length checked against maxFrameLength
// and named in errors. The frame handed out drops its first initialBytesToStrip
// bytes. Examples (Netty's):
//
//   2-byte length of the body, header kept:     {.lengthFieldLength = 2}
//   the same, header stripped:                  {.lengthFieldLength = 2, .initialBytesToStrip = 2}
//   2-byte length of the whole frame:           {.lengthFieldLength = 2, .lengthAdjustment = -2}
//                                     or:       {.lengthFieldLength = 2, .lengthIncludesHeader =
//                                     true}
//   SOFH (u32 BE length of the whole frame, u16 BE encoding type), header stripped:
//                                               LengthFieldDecoderOptions::sofh()
//
// A frame longer than maxFrameLength is skipped without being buffered. With
// failFast it is reported as soon as its length field is read, otherwise once
// its last byte has been skipped. It is fatal unless discardMode is on (see
// FrameDecoder), and fatal in discard mode too when it is longer than
// maxDiscardLength: skipping it would read that many bytes of the stream as
// nothing (a u32 length field of a peer can declare 4 GiB).
//
// A frame's buffer grows with the bytes that arrive: a header declaring a
// long frame reserves nothing, so a peer that declares long frames and sends
// little of them holds no more memory than it has sent (at most twice).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "wirekit/bytes/buffer.hpp"
#include "wirekit/bytes/byte_order.hpp"
#include "wirekit/export.hpp"
#include "wirekit/framing/frame_decoder.hpp"
#include "wirekit/framing/header_field.hpp"
#include "wirekit/framing/sofh.hpp"

namespace wirekit {

struct WIREKIT_EXPORT LengthFieldDecoderOptions {
  // Where the length field starts, from the frame's first byte.
  std::size_t lengthFieldOffset = 0;
  // 1, 2, 3, 4 or 8 bytes, unsigned; an 8-byte value above 2^63 - 1 is an error.
  std::size_t lengthFieldLength = 4;
  ByteOrder byteOrder = ByteOrder::big;
  // Added to the length field to get the bytes that follow the length field;
  // negative when the field counts the header too.
  std::int64_t lengthAdjustment = 0;
  // The length field counts the frame from its first byte, the length field
  // included (SOFH, CME MDP 3.0's message size): the same as subtracting
  // lengthFieldOffset + lengthFieldLength in lengthAdjustment, and the name
  // LengthFieldEncoderOptions uses.
  bool lengthIncludesHeader = false;
  // Bytes dropped from the front of each frame handed out.
  std::size_t initialBytesToStrip = 0;
  // The longest whole frame accepted (before stripping).
  std::size_t maxFrameLength = defaultMaxFrameLength;
  // Report a too-long frame on reading its length, not after skipping it.
  bool failFast = true;
  // Skip and report bad frames instead of failing.
  bool discardMode = false;
  // In discard mode, the longest too-long frame skipped; a longer one is
  // fatal. Skipping is reading without looking: a bad or hostile length field
  // would otherwise make the decoder ignore up to 4 GiB (u32) of what follows.
  std::uint64_t maxDiscardLength = defaultMaxDiscardLength;
  // A constant every header must hold (SOFH's encoding type); a frame holding
  // another value is a bad frame.
  std::optional<HeaderField> expectedField{};

  // SOFH: 4-byte big-endian length of the whole frame, 2-byte big-endian
  // encoding type that must be encodingType; frames are handed out without the
  // 6-byte header.
  [[nodiscard]] static LengthFieldDecoderOptions sofh(
      SofhEncodingType encodingType = SofhEncodingType::sbeLittleEndian);
  // A 4-byte length of the body in byteOrder; frames are the bodies.
  [[nodiscard]] static LengthFieldDecoderOptions u32(ByteOrder byteOrder = ByteOrder::big);
};

class WIREKIT_EXPORT LengthFieldFrameDecoder final : public FrameDecoder {
 public:
  // RangeError for options that cannot describe a frame: a length field of
  // another size, maxFrameLength 0 or above 2^63 - 1, a header longer than
  // maxFrameLength, an expected field of another size or a value it cannot hold.
  explicit LengthFieldFrameDecoder(LengthFieldDecoderOptions options = {});

  [[nodiscard]] const LengthFieldDecoderOptions& options() const noexcept { return options_; }

  // Cutting frames in place, for a caller that knows the frame format well
  // enough to check each header itself (MessageStream, for SOFH): between
  // frames, the queued bytes of the first chunk, else nothing (inside a frame,
  // failed). The frames that lie whole in them may be taken with takeInPlace
  // and used as views of inPlaceChunk(), with no Buffer each; everything else
  // (a frame running past the chunk, a header to reject) is left to next(), so
  // frames, offsets and errors are those of next() alone.
  [[nodiscard]] std::span<const std::byte> inPlaceBytes() const noexcept {
    return state_ == State::header && !failed() ? queue_.front() : std::span<const std::byte>();
  }
  // The Buffer inPlaceBytes() are in (from its first byte, consumed or not):
  // to keep them alive while their frames are taken, and make one a subarray.
  [[nodiscard]] const Buffer& inPlaceChunk() const noexcept { return queue_.frontChunk(); }
  // Takes the first count bytes of inPlaceBytes(): whole frames, as next()
  // would have taken them.
  void takeInPlace(std::size_t count) noexcept { queue_.consume(count); }

  // The queued bytes, and the buffer a frame spanning chunks is assembled in.
  [[nodiscard]] std::size_t heldBytes() const noexcept override {
    return queue_.heldBytes() + assembly_.length();
  }

  // The stream offset of the frame begun and not yet whole (some of its
  // header has arrived, or it is being assembled or skipped), else nothing:
  // what a deadline for finishing a frame watches.
  [[nodiscard]] std::optional<std::uint64_t> partialFrameOffset() const noexcept {
    if (failed()) return std::nullopt;
    if (state_ != State::header) return frameStart_;
    if (queue_.empty()) return std::nullopt;
    return queue_.streamOffset();
  }

 private:
  enum class State : std::uint8_t { header, body, discarding };

  [[nodiscard]] std::optional<Buffer> decode() override;
  void checkEnd() const override;
  // Reads and checks the next frame's header once it has arrived.
  [[nodiscard]] bool startFrame();
  [[nodiscard]] std::uint64_t frameLengthOf(std::uint64_t lengthField) const;
  void skipFrame();

  LengthFieldDecoderOptions options_;
  // What the length field is adjusted by: lengthFieldOffset +
  // lengthFieldLength + lengthAdjustment, or lengthAdjustment alone when the
  // field includes the header.
  std::int64_t lengthConstant_ = 0;
  // Bytes needed before a frame's length and expected field can be read.
  std::size_t headerLength_ = 0;

  State state_ = State::header;
  std::uint64_t frameStart_ = 0;
  std::uint64_t frameLength_ = 0;
  // Bytes still to skip: the stripped prefix, or a whole discarded frame.
  std::uint64_t skip_ = 0;
  std::size_t bodyLength_ = 0;
  // Makes room in assembly_ for count more bytes: it grows with what arrives.
  void reserveAssembly(std::size_t count);

  // A frame spanning chunks, filled as its bytes arrive; its length grows
  // (doubling, up to bodyLength_) as they do.
  Buffer assembly_;
  std::size_t assembled_ = 0;
  // A too-long frame's error, reported after it is skipped (no failFast).
  std::optional<FrameError> pendingError_;
};

}  // namespace wirekit
