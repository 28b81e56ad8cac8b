// SPDX-License-Identifier: Apache-2.0
#pragma once
// Helpers for the framing tests: build byte streams by hand, cut them into
// chunks in every way, and record what a decoder makes of them.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "wirekit/bytes/buffer.hpp"
#include "wirekit/error.hpp"
#include "wirekit/framing/frame_decoder.hpp"

namespace wirekit::test {

inline std::string stringOf(const Buffer& buffer) {
  return std::string(reinterpret_cast<const char*>(buffer.begin()), buffer.length());
}

// A chunk with an ArrayBuffer of its own, as a transport's read gives, so that
// sameAs() tells whether a frame shares it.
inline Buffer bytesOf(const std::string& value) {
  Buffer chunk = Buffer::allocUnsafeSlow(value.size());
  if (!value.empty()) std::memcpy(chunk.data(), value.data(), value.size());
  return chunk;
}

// A big-endian or little-endian unsigned integer of size bytes, written out
// byte by byte so that it does not depend on the code under test.
inline std::string uintBytes(std::uint64_t value, std::size_t size, bool bigEndian = true) {
  std::string out(size, '\0');
  for (std::size_t i = 0; i < size; ++i) {
    const auto byte = static_cast<char>((value >> (8 * i)) & 0xFF);
    out[bigEndian ? size - 1 - i : i] = byte;
  }
  return out;
}

// What a decoder made of a stream: frames and discard reports in order, then
// the fatal error if there was one.
struct DecodeOutcome {
  struct Event {
    std::string frame;
    bool discarded = false;
    std::uint64_t offset = 0;
    std::uint64_t limit = 0;
    bool operator==(const Event&) const = default;
  };
  std::vector<Event> events;
  bool failed = false;
  std::uint64_t failureOffset = 0;
  std::uint64_t failureLimit = 0;
  std::string failureMessage;
  bool operator==(const DecodeOutcome&) const = default;
  // Equal to expected, whose failureMessage, when empty, may be any.
  [[nodiscard]] DecodeOutcome withMessageOf(const DecodeOutcome& expected) const {
    DecodeOutcome outcome = *this;
    if (expected.failureMessage.empty()) outcome.failureMessage.clear();
    return outcome;
  }
  [[nodiscard]] std::vector<std::string> frames() const {
    std::vector<std::string> out;
    for (const Event& event : events)
      if (!event.discarded) out.push_back(event.frame);
    return out;
  }
};

using DecoderFactory = std::function<std::unique_ptr<FrameDecoder>()>;

// Feeds the chunks to a new decoder, taking every frame after each chunk, then
// ends the stream and takes the frames that were held back.
inline DecodeOutcome decodeChunks(const DecoderFactory& make, const std::vector<Buffer>& chunks) {
  DecodeOutcome outcome;
  std::unique_ptr<FrameDecoder> decoder = make();
  decoder->onDiscard([&](const FrameError& error) {
    outcome.events.push_back({"", true, error.streamOffset(), error.limit()});
  });
  try {
    for (const Buffer& chunk : chunks) {
      decoder->push(chunk);
      while (std::optional<Buffer> frame = decoder->next())
        outcome.events.push_back({stringOf(*frame)});
    }
    decoder->end();
    while (std::optional<Buffer> frame = decoder->next())
      outcome.events.push_back({stringOf(*frame)});
  } catch (const FrameError& error) {
    outcome.failed = true;
    outcome.failureOffset = error.streamOffset();
    outcome.failureLimit = error.limit();
    outcome.failureMessage = error.what();
  }
  return outcome;
}

// The stream cut before each offset in cuts (ascending).
inline std::vector<Buffer> splitAt(const std::string& stream,
                                   const std::vector<std::size_t>& cuts) {
  std::vector<Buffer> chunks;
  std::size_t start = 0;
  for (std::size_t cut : cuts) {
    chunks.push_back(bytesOf(stream.substr(start, cut - start)));
    start = cut;
  }
  chunks.push_back(bytesOf(stream.substr(start)));
  return chunks;
}

// Every way of cutting the stream that the split tests try: one chunk, every
// cut into two, one byte at a time, and 200 random cuttings with chunks of 2 to
// about 30 bytes on average (fixed seed).
inline std::vector<std::vector<Buffer>> allSplits(const std::string& stream) {
  std::vector<std::vector<Buffer>> splits;
  splits.push_back({bytesOf(stream)});
  for (std::size_t cut = 1; cut < stream.size(); ++cut)
    splits.push_back(splitAt(stream, {cut}));
  std::vector<std::size_t> everyByte;
  for (std::size_t cut = 1; cut < stream.size(); ++cut)
    everyByte.push_back(cut);
  splits.push_back(splitAt(stream, everyByte));
  std::mt19937 random(20261107);
  for (int round = 0; round < 200 && stream.size() > 1; ++round) {
    std::vector<std::size_t> cuts;
    for (std::size_t cut = 1; cut < stream.size(); ++cut)
      if (random() % (2 + round % 30) == 0) cuts.push_back(cut);
    splits.push_back(splitAt(stream, cuts));
  }
  return splits;
}

inline std::string describe(const std::vector<Buffer>& chunks) {
  std::string sizes;
  for (const Buffer& chunk : chunks)
    sizes += std::to_string(chunk.length()) + " ";
  return "chunk sizes: " + sizes;
}

// Decodes the stream cut in every way of allSplits() and requires the expected
// outcome from each, error message and all the same as from one chunk.
inline void requireSameForEverySplit(const DecoderFactory& make, const std::string& stream,
                                     const DecodeOutcome& expected) {
  const DecodeOutcome whole = decodeChunks(make, {bytesOf(stream)});
  REQUIRE(whole.withMessageOf(expected) == expected);
  for (const std::vector<Buffer>& chunks : allSplits(stream)) {
    INFO(describe(chunks));
    REQUIRE(decodeChunks(make, chunks) == whole);
  }
}

inline DecodeOutcome framesOnly(const std::vector<std::string>& frames) {
  DecodeOutcome outcome;
  for (const std::string& frame : frames)
    outcome.events.push_back({frame});
  return outcome;
}

}  // namespace wirekit::test

template <>
struct Catch::StringMaker<wirekit::test::DecodeOutcome> {
  static std::string convert(const wirekit::test::DecodeOutcome& outcome) {
    std::string out = "{";
    for (const auto& event : outcome.events) {
      if (event.discarded) {
        out += " discarded(offset " + std::to_string(event.offset) + ", limit " +
               std::to_string(event.limit) + ")";
      } else {
        out += " \"" + Catch::Detail::stringify(event.frame) + "\"";
      }
    }
    if (outcome.failed) {
      out += " failed(offset " + std::to_string(outcome.failureOffset) + ", limit " +
             std::to_string(outcome.failureLimit) + ": " + outcome.failureMessage + ")";
    }
    return out + " }";
  }
};
