// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for the frame decoders: the options come from the first
// input bytes, then a chunking, then the stream. The frames, the frames
// discarded and the fatal error (message, stream offset, limit) must be the
// same for the stream in one chunk, one byte at a time and cut as the input says.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <iterator>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "fuzz_input.hpp"
#include "wirekit/error.hpp"
#include "wirekit/framing/delimiter_frame_decoder.hpp"
#include "wirekit/framing/length_field_frame_decoder.hpp"

namespace {

using namespace wirekit;

// What a decoder gave: "frame <hex>", "discarded <what> <offset> <limit>",
// "fatal <what> <offset> <limit>", in order.
using Events = std::vector<std::string>;

std::string describe(const char* kind, const FrameError& error) {
  return std::string(kind) + " " + error.what() + " @" + std::to_string(error.streamOffset()) +
         " /" + std::to_string(error.limit());
}

std::string hexOf(std::span<const std::byte> bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out = "frame ";
  for (const std::byte b : bytes) {
    out += digits[std::to_integer<unsigned>(b) >> 4];
    out += digits[std::to_integer<unsigned>(b) & 15];
  }
  return out;
}

template <class MakeDecoder>
Events run(const MakeDecoder& make, const std::vector<Buffer>& chunks) {
  Events events;
  std::unique_ptr<FrameDecoder> decoder = make();
  decoder->onDiscard(
      [&](const FrameError& error) { events.push_back(describe("discarded", error)); });
  try {
    for (const Buffer& chunk : chunks) {
      decoder->push(chunk);
      while (const std::optional<Buffer> frame = decoder->next())
        events.push_back(hexOf(frame->bytes()));
    }
    decoder->end();
    // Frames held back for bytes that never came are handed out after end().
    while (const std::optional<Buffer> frame = decoder->next())
      events.push_back(hexOf(frame->bytes()));
    events.emplace_back("end");
  } catch (const FrameError& error) {
    events.push_back(describe("fatal", error));
    // Every later call throws the same error.
    try {
      decoder->end();
      std::fputs("wirekit fuzz: end() after a fatal error did not throw\n", stderr);
      std::abort();
    } catch (const FrameError& again) {
      if (describe("fatal", again) != events.back()) {
        std::fputs("wirekit fuzz: a failed decoder threw another error\n", stderr);
        std::abort();
      }
    }
  }
  return events;
}

void compare(const Events& expected, const Events& got, const char* how) {
  if (expected == got) return;
  std::fprintf(stderr,
               "wirekit fuzz: %s gives other frames or errors than the decoder given one chunk\n",
               how);
  const std::size_t count = std::max(expected.size(), got.size());
  for (std::size_t i = 0; i < count; ++i) {
    std::fprintf(stderr, "  [%zu] one chunk: %s\n       %-9s: %s\n", i,
                 i < expected.size() ? expected[i].c_str() : "(none)", how,
                 i < got.size() ? got[i].c_str() : "(none)");
  }
  std::abort();
}

// The delimited frames of a stream in which no frame can be too long, found
// the plain way: from each frame's start, the first byte where a delimiter
// matches in full (of two there, the one listed first).
Events delimitedReference(const DelimiterDecoderOptions& options,
                          std::span<const std::byte> stream) {
  const std::string text(reinterpret_cast<const char*>(stream.data()), stream.size());
  Events events;
  std::size_t start = 0;
  for (;;) {
    std::size_t best = std::string::npos;
    std::size_t bestLength = 0;
    for (const std::string& delimiter : options.delimiters) {
      const std::size_t at = text.find(delimiter, start);
      if (at < best) {
        best = at;
        bestLength = delimiter.size();
      }
    }
    if (best == std::string::npos) break;
    const std::size_t end = options.stripDelimiter ? best : best + bestLength;
    events.push_back(hexOf(stream.subspan(start, end - start)));
    start = best + bestLength;
  }
  if (start == stream.size()) {
    events.emplace_back("end");
  } else {
    const std::string what = "frame at stream offset " + std::to_string(start) +
                             ": the stream ended after " + std::to_string(stream.size() - start) +
                             " bytes without a delimiter";
    events.push_back(describe("fatal", FrameError(what, start, options.maxFrameLength)));
  }
  return events;
}

// Delimiters to choose from: ones that overlap, share prefixes, repeat a byte.
const char* const delimiterChoices[] = {"\r\n", "\n", "\r\n\r\n", "\0", "ab", "aba", "a", "bbb"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::Input input(data, size);
  const std::uint8_t kind = input.byte();
  const std::uint8_t flags = input.byte();
  const std::size_t maxFrameLength = std::size_t{input.byte()} + 1;
  std::function<std::unique_ptr<FrameDecoder>()> make;
  std::optional<DelimiterDecoderOptions> delimited;
  if (kind & 1) {
    DelimiterDecoderOptions options{.stripDelimiter = (flags & 1) != 0,
                                    .maxFrameLength = maxFrameLength,
                                    .failFast = (flags & 2) != 0,
                                    .discardMode = (flags & 4) != 0};
    const std::uint8_t chosen = input.byte();
    for (std::size_t i = 0; i < std::size(delimiterChoices); ++i) {
      // "\0" is one byte long, not an empty C string.
      if (chosen & (1u << i))
        options.delimiters.emplace_back(
            delimiterChoices[i], i == 3 ? 1 : std::char_traits<char>::length(delimiterChoices[i]));
    }
    if (options.delimiters.empty()) options.delimiters.emplace_back("\n");
    make = [options] { return std::make_unique<DelimiterFrameDecoder>(options); };
    delimited = options;
  } else {
    static constexpr std::size_t lengths[] = {1, 2, 3, 4, 8};
    LengthFieldDecoderOptions options{
        .lengthFieldOffset = static_cast<std::size_t>(input.byte() % 4),
        .lengthFieldLength = lengths[(kind >> 1) % 5],
        .byteOrder = (flags & 1) ? ByteOrder::little : ByteOrder::big,
        .lengthAdjustment = static_cast<std::int8_t>(input.byte()) / 8,
        .initialBytesToStrip = static_cast<std::size_t>(input.byte() % 8),
        .maxFrameLength = maxFrameLength + 16,
        .failFast = (flags & 2) != 0,
        .discardMode = (flags & 4) != 0};
    if (flags & 8) {
      const std::uint8_t field = input.byte();
      options.expectedField =
          HeaderField{.offset = options.lengthFieldOffset + options.lengthFieldLength + (field & 3),
                      .length = lengths[(field >> 2) % 4],
                      .byteOrder = ByteOrder::big,
                      .value = input.byte()};
    }
    try {
      LengthFieldFrameDecoder check(options);
    } catch (const RangeError&) {
      return 0;  // options that describe no frame
    }
    make = [options] { return std::make_unique<LengthFieldFrameDecoder>(options); };
  }
  const std::vector<std::size_t> sizes = input.chunkSizes();
  const std::span<const std::byte> stream = input.rest();

  const Events whole = run(make, fuzz::chunksOf(stream, {}));
  if (delimited && delimited->maxFrameLength >= stream.size()) {
    compare(whole, delimitedReference(*delimited, stream), "the plain search");
  }
  compare(whole, run(make, fuzz::chunksOf(stream, {1})), "byte at a time");
  compare(whole, run(make, fuzz::chunksOf(stream, sizes)), "the input's chunks");
  return 0;
}
