// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for MessageStream's receive path: bytes written, in the
// input's chunks, into an in-memory PassThrough that a MessageStream reads.
// What it reports ('message' handlers, 'badMessage', 'error', 'end') must be
// what a reference made of the SOFH frame decoder (one chunk) and the schema's
// decode() gives. With destroyOnBadInput the first bad input ends the stream:
// the same events up to that 'badMessage', then that MessageError as 'error'.
//
// The first byte: bit 0 destroyOnBadInput, bit 1 the big-endian schema
// (telemetry) instead of trading, bit 2 run the event loop between chunks,
// bit 3 pause in a handler and resume on the next turn; then a byte for
// maxFrameLength (0: the default), a chunking, and the stream.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include <fmt/format.h>
#include <asio/io_context.hpp>
#include <asio/post.hpp>

#include "fuzz_input.hpp"
#include "telemetry.wk.hpp"
#include "trading.wk.hpp"
#include "wirekit/error.hpp"
#include "wirekit/framing/length_field_frame_decoder.hpp"
#include "wirekit/message/message_stream.hpp"
#include "wirekit/stream/pass_through.hpp"

namespace {

using namespace wirekit;

using Events = std::vector<std::string>;

struct Settings {
  bool destroyOnBadInput;
  bool pollBetweenChunks;
  bool pauseInHandler;
  std::size_t maxFrameLength;
};

template <class Schema>
std::string messageEvent(const typename SchemaMessages<Schema>::AnyMessage& message) {
  return std::visit([](const auto& decoder) { return fmt::format("message {}", decoder); },
                    message);
}

std::string badEvent(const MessageError& error) {
  return fmt::format("bad {} @{} {}",
                     error.kind() == MessageError::Kind::frame ? "frame" : "message",
                     error.streamOffset(), error.what());
}

// What MessageStream should report, from the frame decoder and decode() alone.
template <class Schema>
Events reference(std::span<const std::byte> stream, const Settings& settings) {
  LengthFieldDecoderOptions options = LengthFieldDecoderOptions::sofh(
      Schema::byteOrder == ByteOrder::little ? SofhEncodingType::sbeLittleEndian
                                             : SofhEncodingType::sbeBigEndian);
  options.maxFrameLength = settings.maxFrameLength;
  options.discardMode = true;
  LengthFieldFrameDecoder decoder(options);
  Events events;
  std::optional<MessageError> firstBad;
  auto bad = [&](const MessageError& error) {
    if (firstBad && settings.destroyOnBadInput) return;
    events.push_back(badEvent(error));
    if (!firstBad) firstBad = error;
  };
  decoder.onDiscard([&](const FrameError& error) {
    bad(MessageError(MessageError::Kind::frame, error.streamOffset(), error.what()));
  });
  auto stopped = [&] { return settings.destroyOnBadInput && firstBad.has_value(); };
  try {
    for (const Buffer& chunk : fuzz::chunksOf(stream, {}))
      decoder.push(chunk);
    while (!stopped()) {
      const std::optional<Buffer> frame = decoder.next();
      if (!frame || stopped()) break;
      const std::uint64_t offset = decoder.streamOffset() - sofhHeaderLength - frame->length();
      try {
        events.push_back(messageEvent<Schema>(SchemaMessages<Schema>::decode(DataView(
            std::span<std::byte>(const_cast<std::byte*>(frame->data()), frame->length())))));
      } catch (const DecodeError& error) {
        bad(MessageError(MessageError::Kind::message, offset,
                         fmt::format("message at stream offset {}: {}", offset, error.what())));
      }
    }
    if (stopped()) {
      events.push_back(fmt::format("error {}", firstBad->what()));
      return events;
    }
    decoder.end();
    events.emplace_back("end");
  } catch (const FrameError& error) {
    // A fatal frame found in the same next() as a skipped one comes too late
    // when the skipped one has ended the stream.
    events.push_back(fmt::format("error {}", stopped() ? firstBad->what() : error.what()));
  }
  return events;
}

// What MessageStream reports.
template <class Schema>
Events actual(const std::vector<Buffer>& chunks, const Settings& settings) {
  asio::io_context io;
  auto duplex = std::make_shared<PassThrough>(io);
  auto messages = std::make_shared<MessageStream<Schema>>(
      duplex, MessageStreamOptions{.maxFrameLength = settings.maxFrameLength,
                                   .destroyOnBadInput = settings.destroyOnBadInput});
  Events events;
  const std::weak_ptr<MessageStream<Schema>> weak = messages;
  messages->onAny([&](const typename SchemaMessages<Schema>::AnyMessage& message, const Buffer&) {
    events.push_back(messageEvent<Schema>(message));
    if (settings.pauseInHandler && events.size() % 3 == 0) {
      messages->pause();
      asio::post(io, [weak] {
        if (const auto stream = weak.lock()) stream->resume();
      });
    }
  });
  messages->on(events::badMessage,
               [&](const MessageError& error) { events.push_back(badEvent(error)); });
  int errors = 0;
  messages->on(events::error, [&](const std::exception_ptr& error) {
    ++errors;
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& e) {
      events.push_back(fmt::format("error {}", e.what()));
    }
  });
  int ends = 0;
  messages->on(events::end, [&] {
    ++ends;
    events.emplace_back("end");
  });
  for (const Buffer& chunk : chunks) {
    if (duplex->destroyed()) break;
    duplex->write(chunk);
    if (settings.pollBetweenChunks) {
      io.poll();
      io.restart();  // poll() that runs out of work leaves the loop stopped
    }
  }
  if (!duplex->destroyed()) duplex->end();
  io.run();
  // Exactly one of them, last: the reference ends with one.
  if (errors + ends != 1) {
    events.push_back(fmt::format("({} 'error' and {} 'end' events)", errors, ends));
  }
  return events;
}

template <class Schema>
void check(std::span<const std::byte> stream, const std::vector<std::size_t>& sizes,
           const Settings& settings) {
  const Events expected = reference<Schema>(stream, settings);
  const Events got = actual<Schema>(fuzz::chunksOf(stream, sizes), settings);
  if (expected == got) return;
  std::fprintf(stderr,
               "wirekit fuzz: MessageStream (destroyOnBadInput %s) differs from the reference\n",
               settings.destroyOnBadInput ? "on" : "off");
  const std::size_t count = std::max(expected.size(), got.size());
  for (std::size_t i = 0; i < count; ++i) {
    std::fprintf(stderr, "  [%zu] reference:     %s\n       MessageStream: %s\n", i,
                 i < expected.size() ? expected[i].c_str() : "(none)",
                 i < got.size() ? got[i].c_str() : "(none)");
  }
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::Input input(data, size);
  const std::uint8_t flags = input.byte();
  const std::uint8_t maxFrame = input.byte();
  const Settings settings{
      .destroyOnBadInput = (flags & 1) != 0,
      .pollBetweenChunks = (flags & 4) != 0,
      .pauseInHandler = (flags & 8) != 0,
      .maxFrameLength = maxFrame == 0 ? defaultMaxFrameLength : std::size_t{maxFrame} + 14};
  const std::vector<std::size_t> sizes = input.chunkSizes();
  if (flags & 2) {
    check<demo::telemetry::Schema>(input.rest(), sizes, settings);
  } else {
    check<demo::trading::Schema>(input.rest(), sizes, settings);
  }
  return 0;
}
