// SPDX-License-Identifier: Apache-2.0
#include "market_data_replay.hpp"

#include <array>
#include <ostream>
#include <random>
#include <vector>

#include <fmt/format.h>

#include "wirekit/bytes/byte_order.hpp"
#include "wirekit/framing/packet_framing.hpp"
#include "wirekit/transport/pcap_reader.hpp"
#include "wirekit/transport/pcap_writer.hpp"

namespace demo::md {

void Book::apply(EntryType type, UpdateAction action, std::int64_t price, std::int32_t size) {
  const auto update = [&](auto& side) {
    if (action == UpdateAction::Delete) {
      side.erase(price);
    } else {
      side[price] = size;
    }
  };
  if (type == EntryType::Bid) update(bids);
  if (type == EntryType::Offer) update(offers);
}

std::string summary(const ReplayCounts& counts, const Books& books) {
  std::string out = fmt::format(
      "packets: {}, messages: {} (IncrementalRefresh {}, Snapshot {}), entries: {}, trades: {}, "
      "sequence gaps: {}\n",
      counts.packets, counts.messages(), counts.incrementalRefreshes, counts.snapshots,
      counts.entries, counts.trades, counts.sequenceGaps);
  for (const auto& [security, book] : books) {
    const auto top = [](const auto& side) {
      return side.empty() ? std::string("-")
                          : fmt::format("{} @ {}", side.begin()->second, side.begin()->first);
    };
    out +=
        fmt::format("security {}: bid {} | offer {} ({} bid levels, {} offer levels)\n", security,
                    top(book.bids), top(book.offers), book.bids.size(), book.offers.size());
  }
  return out;
}

namespace {

constexpr std::size_t maxDatagram = 1400;
constexpr std::uint64_t startNs = 1'700'000'000'000'000'000ULL;
// The feed's book depth: a side with fewer levels gets a new one.
constexpr std::size_t minLevels = 3;
constexpr std::size_t maxLevels = 10;

// The cme-mdp3 layout (docs/framing.md), written by hand here so that the
// replay's PacketSplitter is checked against an independent writer.
class PacketBuilder {
 public:
  void start(std::uint32_t sequence, std::uint64_t sendingTime) {
    length_ = 12;
    wirekit::store<std::uint32_t, wirekit::ByteOrder::little>(bytes_.data(), sequence);
    wirekit::store<std::uint64_t, wirekit::ByteOrder::little>(bytes_.data() + 4, sendingTime);
  }
  // Room for the next message, after its 2-byte size.
  wirekit::DataView room() {
    return wirekit::DataView(
        std::span<std::byte>(bytes_.data() + length_ + 2, bytes_.size() - length_ - 2));
  }
  void commit(std::size_t messageLength) {
    wirekit::store<std::uint16_t, wirekit::ByteOrder::little>(
        bytes_.data() + length_, static_cast<std::uint16_t>(messageLength + 2));
    length_ += messageLength + 2;
  }
  [[nodiscard]] wirekit::Buffer take() const {
    return wirekit::Buffer::from(std::span<const std::byte>(bytes_.data(), length_));
  }

 private:
  std::array<std::byte, maxDatagram> bytes_{};
  std::size_t length_ = 0;
};

struct Entry {
  std::int32_t security;
  EntryType type;
  UpdateAction action;
  std::int64_t price;
  std::int32_t size;
};

}  // namespace

std::string writeFeed(const std::string& path, const FeedOptions& options) {
  std::mt19937_64 random(options.seed);
  const auto below = [&](std::uint64_t n) { return random() % n; };
  wirekit::PcapFileWriter writer(path);
  wirekit::Packet packet;
  packet.source = asio::ip::make_address("10.0.0.1");
  packet.destination = asio::ip::make_address("239.1.1.1");
  packet.sourcePort = 40000;
  packet.destinationPort = 14310;
  PacketBuilder builder;
  Books books;
  ReplayCounts counts;
  std::map<std::int32_t, std::uint32_t> rptSeq;
  // Decodes the message just committed in room, as a reader of the capture would.
  const auto record = [&](std::uint64_t sequence, wirekit::DataView room) {
    if (options.messages == nullptr) return;
    const std::string json =
        std::visit([](const auto& decoder) { return fmt::format("{}", decoder); },
                   wirekit::SchemaMessages<Schema>::decode(room));
    *options.messages << fmt::format("{{\"seq\":{},\"message\":{}}}\n", sequence, json);
  };

  for (std::uint64_t p = 0; p < options.packets; ++p) {
    const std::uint64_t now = startNs + p * 1000;
    builder.start(static_cast<std::uint32_t>(p + 1), now);
    if (p < static_cast<std::uint64_t>(options.securities)) {
      // The first packets: a snapshot of each security's opening book.
      const auto security = static_cast<std::int32_t>(1001 + p);
      const std::int64_t mid = 10'000 + 100 * static_cast<std::int64_t>(p);
      Book& book = books[security];
      const wirekit::DataView room = builder.room();
      auto message = Snapshot::encode(room);
      message.securityId(security).lastRptSeq(0).transactTime(now);
      auto entries = message.entries(2 * minLevels + 2);
      for (std::size_t level = 1; level <= minLevels + 1; ++level) {
        const auto size = static_cast<std::int32_t>(1 + below(50));
        const std::int64_t bid = mid - static_cast<std::int64_t>(level);
        const std::int64_t offer = mid + static_cast<std::int64_t>(level);
        entries.next()
            .entryType(EntryType::Bid)
            .level(static_cast<std::uint8_t>(level))
            .price(bid)
            .size(size);
        entries.next()
            .entryType(EntryType::Offer)
            .level(static_cast<std::uint8_t>(level))
            .price(offer)
            .size(size + 1);
        book.bids[bid] = size;
        book.offers[offer] = size + 1;
      }
      builder.commit(message.encodedLength());
      record(p + 1, room);
      ++counts.snapshots;
      counts.entries += 2 * minLevels + 2;
    } else {
      const std::uint64_t messages = 1 + below(3);
      for (std::uint64_t m = 0; m < messages; ++m) {
        std::vector<Entry> chosen(1 + below(4));
        for (Entry& entry : chosen) {
          entry.security = static_cast<std::int32_t>(
              1001 + below(static_cast<std::uint64_t>(options.securities)));
          Book& book = books[entry.security];
          if (below(10) == 0) {
            entry.type = EntryType::Trade;
            entry.action = UpdateAction::New;
            entry.price = book.bids.empty() ? 0 : book.bids.begin()->first;
            entry.size = static_cast<std::int32_t>(1 + below(10));
            ++counts.trades;
            continue;
          }
          entry.type = below(2) == 0 ? EntryType::Bid : EntryType::Offer;
          const bool bid = entry.type == EntryType::Bid;
          const std::size_t depth = bid ? book.bids.size() : book.offers.size();
          const std::uint64_t choice = depth < minLevels    ? 0
                                       : depth >= maxLevels ? 1 + below(2)
                                                            : below(3);
          const std::int64_t inside =
              bid ? (book.offers.empty() ? 10'000 : book.offers.begin()->first)
                  : (book.bids.empty() ? 9'000 : book.bids.begin()->first);
          if (choice == 0) {
            // A new level on the right side of the other side's best.
            entry.action = UpdateAction::New;
            do {
              const auto away = static_cast<std::int64_t>(1 + below(15));
              entry.price = bid ? inside - away : inside + away;
            } while (bid ? book.bids.contains(entry.price) : book.offers.contains(entry.price));
          } else {
            entry.action = choice == 1 ? UpdateAction::Change : UpdateAction::Delete;
            const std::size_t index = below(depth);
            entry.price =
                bid ? std::next(book.bids.begin(), static_cast<std::ptrdiff_t>(index))->first
                    : std::next(book.offers.begin(), static_cast<std::ptrdiff_t>(index))->first;
          }
          entry.size =
              entry.action == UpdateAction::Delete ? 0 : static_cast<std::int32_t>(1 + below(100));
          book.apply(entry.type, entry.action, entry.price, entry.size);
        }
        const wirekit::DataView room = builder.room();
        auto message = IncrementalRefresh::encode(room);
        message.transactTime(now);
        auto entries = message.entries(chosen.size());
        for (const Entry& entry : chosen) {
          const Book& book = books[entry.security];
          const auto& side = entry.type == EntryType::Bid ? book.bids.size() : book.offers.size();
          entries.next()
              .securityId(entry.security)
              .rptSeq(++rptSeq[entry.security])
              .price(entry.price)
              .size(entry.size)
              .level(static_cast<std::uint8_t>(std::min<std::size_t>(side, 255)))
              .action(entry.action)
              .entryType(entry.type);
        }
        builder.commit(message.encodedLength());
        record(p + 1, room);
        ++counts.incrementalRefreshes;
        counts.entries += chosen.size();
      }
    }
    packet.timestampNs = now;
    packet.payload = builder.take();
    writer.write(packet);
    ++counts.packets;
  }
  writer.close();
  return summary(counts, books);
}

namespace {

wirekit::PacketFramingOptions presetNamed(const std::string& framing) {
  std::optional<wirekit::PacketFramingOptions> options =
      wirekit::PacketFramingOptions::preset(framing);
  if (!options) throw wirekit::RangeError(fmt::format("no framing preset named '{}'", framing));
  return std::move(*options);
}

}  // namespace

Replayer::Replayer(const std::string& framing, std::optional<std::uint16_t> port)
    : splitter_(presetNamed(framing)), port_(port) {
  handlers_.on<IncrementalRefresh>([this](const IncrementalRefresh::Decoder& message) {
    ++counts_.incrementalRefreshes;
    for (const auto& entry : message.entries()) {
      ++counts_.entries;
      if (entry.entryType() == EntryType::Trade) {
        ++counts_.trades;
        continue;
      }
      books_[entry.securityId()].apply(entry.entryType(), entry.action(), entry.price(),
                                       entry.size());
    }
  });
  handlers_.on<Snapshot>([this](const Snapshot::Decoder& message) {
    ++counts_.snapshots;
    Book& book = books_[message.securityId()] = Book{};
    for (const auto& entry : message.entries()) {
      ++counts_.entries;
      book.apply(entry.entryType(), UpdateAction::New, entry.price(), entry.size());
    }
  });
}

void Replayer::packet(const wirekit::Packet& packet) {
  if (packet.protocol != wirekit::PacketProtocol::udp) return;
  if (port_ && packet.destinationPort != *port_) return;
  ++counts_.packets;
  splitter_.split(packet.payload, frames_);
  if (frames_.sequenceNumber) {
    if (lastSequence_ && *frames_.sequenceNumber != *lastSequence_ + 1) ++counts_.sequenceGaps;
    lastSequence_ = frames_.sequenceNumber;
  }
  for (wirekit::Buffer& message : frames_.messages) {
    handlers_.dispatch(wirekit::DataView(message.bytes()));
  }
}

ReplayResult replay(const std::string& path, const std::string& framing,
                    std::optional<std::uint16_t> port) {
  const auto start = std::chrono::steady_clock::now();
  Replayer replayer(framing, port);
  wirekit::PcapFileReader capture(path);
  while (std::optional<wirekit::Packet> packet = capture.next())
    replayer.packet(*packet);
  return {replayer.counts(), replayer.books(), std::chrono::steady_clock::now() - start};
}

}  // namespace demo::md
