// SPDX-License-Identifier: Apache-2.0
#include "wirekit/framing/delimiter_frame_decoder.hpp"

#include <algorithm>
#include <cstring>
#include <span>
#include <utility>

#include <fmt/format.h>

namespace wirekit {

namespace {

std::span<const std::byte> bytesOf(const std::string& text) {
  return std::as_bytes(std::span<const char>(text.data(), text.size()));
}

}  // namespace

DelimiterDecoderOptions DelimiterDecoderOptions::lines(std::size_t maxFrameLength) {
  return {.delimiters = {"\n", "\r\n"}, .maxFrameLength = maxFrameLength};
}

DelimiterFrameDecoder::DelimiterFrameDecoder(DelimiterDecoderOptions options)
    : FrameDecoder(options.discardMode), options_(std::move(options)) {
  if (options_.delimiters.empty()) throw RangeError("DelimiterFrameDecoder: no delimiters");
  for (const std::string& delimiter : options_.delimiters) {
    if (delimiter.empty()) throw RangeError("DelimiterFrameDecoder: a delimiter is empty");
    longestDelimiter_ = std::max(longestDelimiter_, delimiter.size());
  }
  if (options_.maxFrameLength == 0) {
    throw RangeError("DelimiterFrameDecoder: maxFrameLength must be at least 1");
  }
}

std::optional<std::size_t> DelimiterFrameDecoder::search(std::size_t index, std::size_t from,
                                                         std::size_t end) const {
  const std::string& delimiter = options_.delimiters[index];
  const std::size_t size = queue_.size();
  if (delimiter.size() > size) return std::nullopt;
  end = std::min(end, size - delimiter.size() + 1);
  const std::span<const std::byte> rest = bytesOf(delimiter).subspan(1);
  std::size_t base = 0;
  for (std::size_t chunk = 0; chunk < queue_.chunkCount() && base < end; ++chunk) {
    const std::span<const std::byte> bytes = queue_.chunk(chunk);
    const std::size_t chunkEnd = base + bytes.size();
    if (chunkEnd > from) {
      const std::byte* cursor = bytes.data() + (std::max(from, base) - base);
      const std::byte* const stop = bytes.data() + (std::min(end, chunkEnd) - base);
      while (cursor < stop) {
        const void* found = std::memchr(cursor, static_cast<unsigned char>(delimiter[0]),
                                        static_cast<std::size_t>(stop - cursor));
        if (found == nullptr) break;
        cursor = static_cast<const std::byte*>(found);
        const std::size_t position = base + static_cast<std::size_t>(cursor - bytes.data());
        const std::size_t inChunk = chunkEnd - position - 1;
        const bool matches = rest.size() <= inChunk
                                 ? std::memcmp(cursor + 1, rest.data(), rest.size()) == 0
                                 : queue_.equals(position + 1, rest);
        if (matches) return position;
        ++cursor;
      }
    }
    base = chunkEnd;
  }
  return std::nullopt;
}

bool DelimiterFrameDecoder::matchesSoFar(std::size_t index, std::size_t position) const {
  const std::string& delimiter = options_.delimiters[index];
  const std::size_t available = queue_.size() - position;
  return delimiter.size() > available &&
         queue_.equals(position, bytesOf(delimiter).first(available));
}

std::optional<DelimiterFrameDecoder::Match> DelimiterFrameDecoder::find() {
  const std::size_t size = queue_.size();
  std::optional<Match> best;
  for (std::size_t index = 0; index < options_.delimiters.size(); ++index) {
    // A delimiter listed later must start strictly earlier to win.
    const std::size_t end = best ? best->position : size;
    if (const std::optional<std::size_t> position = search(index, scanned_, end)) {
      best = Match{*position, index};
    }
  }
  // Near the end, a delimiter cut short by the chunk boundary may still match
  // before the best one, or at the same byte and listed before it: wait for
  // it, unless the stream has ended.
  if (ended()) {
    if (!best) scanned_ = size;
    return best;
  }
  const std::size_t tail = std::max(scanned_, size - std::min(size, longestDelimiter_ - 1));
  const std::size_t last = best ? best->position + 1 : size;
  for (std::size_t position = tail; position < last; ++position) {
    for (std::size_t index = 0; index < options_.delimiters.size(); ++index) {
      const bool couldWin = !best || position < best->position || index < best->delimiter;
      if (couldWin && matchesSoFar(index, position)) {
        scanned_ = position;
        return std::nullopt;
      }
    }
  }
  if (!best) scanned_ = size;
  return best;
}

bool DelimiterFrameDecoder::holdsFramesAtEnd() const {
  for (std::size_t index = 0; index < options_.delimiters.size(); ++index) {
    if (search(index, scanned_, queue_.size())) return true;
  }
  return false;
}

FrameError DelimiterFrameDecoder::noDelimiterWithin() const {
  return FrameError(fmt::format("frame at stream offset {}: no delimiter within the maximum "
                                "frame length {}",
                                frameStart_, options_.maxFrameLength),
                    frameStart_, options_.maxFrameLength);
}

FrameError DelimiterFrameDecoder::tooLong(std::uint64_t length) const {
  return FrameError(fmt::format("frame at stream offset {}: length {} exceeds the maximum {}",
                                frameStart_, length, options_.maxFrameLength),
                    frameStart_, options_.maxFrameLength);
}

std::optional<Buffer> DelimiterFrameDecoder::decode() {
  for (;;) {
    const std::optional<Match> match = find();
    if (!match) {
      if (discarding_) {
        queue_.consume(std::exchange(scanned_, 0));
      } else if (scanned_ > options_.maxFrameLength) {
        // Too long before its delimiter has come: skip it as it arrives.
        frameStart_ = queue_.streamOffset();
        discarding_ = true;
        queue_.consume(std::exchange(scanned_, 0));
        if (options_.failFast) {
          reject(noDelimiterWithin());
        } else {
          reportAtDelimiter_ = true;
        }
      }
      return std::nullopt;
    }
    const std::size_t delimiterLength = options_.delimiters[match->delimiter].size();
    scanned_ = 0;
    if (discarding_) {
      discarding_ = false;
      const std::uint64_t length = queue_.streamOffset() + match->position - frameStart_;
      queue_.consume(match->position + delimiterLength);
      if (std::exchange(reportAtDelimiter_, false)) reject(tooLong(length));
      continue;
    }
    if (match->position > options_.maxFrameLength) {
      frameStart_ = queue_.streamOffset();
      queue_.consume(match->position + delimiterLength);
      // With failFast, the error it would have had had its bytes come one at a time.
      reject(options_.failFast ? noDelimiterWithin() : tooLong(match->position));
      continue;
    }
    if (!options_.stripDelimiter) return queue_.take(match->position + delimiterLength);
    Buffer frame = queue_.take(match->position);
    queue_.consume(delimiterLength);
    return frame;
  }
}

void DelimiterFrameDecoder::checkEnd() const {
  if (!discarding_ && queue_.empty()) return;
  const std::uint64_t start = discarding_ ? frameStart_ : queue_.streamOffset();
  throw FrameError(fmt::format("frame at stream offset {}: the stream ended after {} bytes "
                               "without a delimiter",
                               start, queue_.streamOffset() + queue_.size() - start),
                   start, options_.maxFrameLength);
}

}  // namespace wirekit
