// SPDX-License-Identifier: Apache-2.0
#pragma once
// The market data replay example's parts, shared by its programs and the
// benchmark: a feed generator that records a capture (PcapFileWriter), and a
// replay that reads one (PcapFileReader), splits each packet with a declared
// framing (PacketSplitter), hands each message to the typed handler
// registered with on<Message> (MessageStream's shape), and keeps an order
// book of price levels per security.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <variant>

#include "market_data.wk.hpp"
#include "wirekit/bytes/data_view.hpp"
#include "wirekit/framing/packet_framing.hpp"
#include "wirekit/message/message_stream.hpp"
#include "wirekit/message/schema_messages.hpp"
#include "wirekit/transport/pcap_packet.hpp"

namespace demo::md {

namespace detail {

// The handlers' table: one std::function per message type, typed by its decoder.
template <class Variant>
struct HandlersOf;
template <class... Decoders>
struct HandlersOf<std::variant<Decoders...>> {
  using type = std::tuple<std::function<void(const Decoders&)>...>;
};

}  // namespace detail

// Handlers by message type, called as MessageStream calls them: on<Message>
// registers handler(const Message::Decoder&); dispatch() decodes one message
// (DecodeError names the field and the byte) and calls its handler, if any.
template <class Schema>
class MessageHandlers {
 public:
  using Messages = wirekit::SchemaMessages<Schema>;

  template <class Message, class Handler>
  void on(Handler handler) {
    std::get<std::function<void(const typename Message::Decoder&)>>(handlers_) = std::move(handler);
  }

  void dispatch(wirekit::DataView view) const {
    std::visit(
        [this](const auto& message) {
          using Decoder = std::decay_t<decltype(message)>;
          if (const auto& handler = std::get<std::function<void(const Decoder&)>>(handlers_)) {
            handler(message);
          }
        },
        Messages::decode(view));
  }

 private:
  typename detail::HandlersOf<typename Messages::AnyMessage>::type handlers_;
};

// One security's book: size by price, best first.
struct Book {
  std::map<std::int64_t, std::int32_t, std::greater<>> bids;
  std::map<std::int64_t, std::int32_t> offers;

  void apply(EntryType type, UpdateAction action, std::int64_t price, std::int32_t size);
  bool operator==(const Book&) const = default;
};

using Books = std::map<std::int32_t, Book>;

struct ReplayCounts {
  std::uint64_t packets = 0;
  std::uint64_t incrementalRefreshes = 0;
  std::uint64_t snapshots = 0;
  std::uint64_t entries = 0;
  std::uint64_t trades = 0;
  // Packets whose sequence number is not the previous one's plus one.
  std::uint64_t sequenceGaps = 0;

  [[nodiscard]] std::uint64_t messages() const { return incrementalRefreshes + snapshots; }
};

// The summary both programs print: counts, then each book's top level and depth.
[[nodiscard]] std::string summary(const ReplayCounts& counts, const Books& books);

struct FeedOptions {
  std::uint64_t packets = 2000;
  std::uint64_t seed = 1;
  int securities = 3;
  // When set, each message written, in order, as a JSON line
  // {"seq":N,"message":M}: N its packet's sequence number, M the decoder's
  // fmt::format, which is `wirekit decode`'s JSON form, so that a test can
  // hold `wirekit decode --pcap` to what the C++ writer wrote.
  std::ostream* messages = nullptr;
};

// Writes a capture of the feed (cme-mdp3 framing, UDP to 239.1.1.1:14310)
// and returns the summary a replay of it must print.
std::string writeFeed(const std::string& path, const FeedOptions& options);

// The replay's state: packets in, counts and books out.
class Replayer {
 public:
  // UDP packets to port (any port when none) are split with the named framing
  // preset; RangeError for a name that is not a preset.
  explicit Replayer(const std::string& framing = "cme-mdp3",
                    std::optional<std::uint16_t> port = std::nullopt);

  // FrameError or DecodeError for a packet that does not split or decode.
  void packet(const wirekit::Packet& packet);

  [[nodiscard]] const ReplayCounts& counts() const noexcept { return counts_; }
  [[nodiscard]] const Books& books() const noexcept { return books_; }

 private:
  wirekit::PacketSplitter splitter_;
  std::optional<std::uint16_t> port_;
  MessageHandlers<Schema> handlers_;
  wirekit::PacketFrames frames_;
  std::optional<std::uint64_t> lastSequence_;
  ReplayCounts counts_;
  Books books_;
};

struct ReplayResult {
  ReplayCounts counts;
  Books books;
  std::chrono::nanoseconds elapsed{};
};

// Replays a capture file through a Replayer, timed. PcapError, FrameError or
// DecodeError on bad input.
ReplayResult replay(const std::string& path, const std::string& framing = "cme-mdp3",
                    std::optional<std::uint16_t> port = std::nullopt);

}  // namespace demo::md
