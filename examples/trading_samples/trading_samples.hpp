// SPDX-License-Identifier: Apache-2.0
#pragma once
// Messages of schemas/examples/trading.wk made from a seed, for the round-trip
// examples: one Samples sends them, another with the same seed checks, field
// by field, what comes back. Message i is of type i % 4 (NewOrder,
// ExecutionReport, MarketDataIncremental, Heartbeat), and every kind of field
// varies: integers over their whole range, enums, flags, nested structs,
// optional fields (null or not), fixed-length text, groups of 0 to 4 entries,
// strings and bytes of varying length.
//
//   Samples sent(seed), expected(seed);
//   while (sent.index() < total && sent.sendNext(*messages)) {}   // until 'drain'
//   messages->on<trading::NewOrder>([&](const trading::NewOrder::Decoder& order) {
//     if (std::string diff = expected.check(order); !diff.empty()) fail(diff);
//   });

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "trading.wk.hpp"

namespace trading_samples {

namespace trading = demo::trading;

// SplitMix64: the same seed gives the same messages with any compiler and
// standard library (std::uniform_int_distribution does not promise that).
class Random {
 public:
  explicit Random(std::uint64_t seed) noexcept : state_(seed) {}
  std::uint64_t next() noexcept {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15U);
    z = (z ^ (z >> 30U)) * 0xBF58476D1CE4E5B9U;
    z = (z ^ (z >> 27U)) * 0x94D049BB133111EBU;
    return z ^ (z >> 31U);
  }
  // A number in [0, bound) (bound > 0; the slight bias does not matter here).
  std::uint64_t below(std::uint64_t bound) noexcept { return next() % bound; }

 private:
  std::uint64_t state_;
};

struct Decimal {
  std::int64_t mantissa = 0;
  std::int8_t exponent = 0;
};

struct NewOrder {
  struct Leg {
    std::uint32_t legId = 0;
    std::uint16_t ratio = 0;
    trading::Side side{};
  };
  std::uint64_t orderId = 0;
  std::string symbol;
  trading::Side side{};
  trading::OrdType ordType{};
  trading::Tif tif;
  Decimal price;
  std::uint32_t quantity = 0;
  std::optional<std::int64_t> stopPrice;
  std::uint32_t clientTag = 0;
  std::vector<Leg> legs;
  std::string account;
  std::vector<std::byte> note;
};

struct ExecutionReport {
  struct Fee {
    std::string code;
    Decimal amount;
  };
  std::uint64_t orderId = 0;
  std::uint64_t execId = 0;
  std::string symbol;
  trading::ExecType execType{};
  trading::Side side{};
  Decimal lastPx;
  std::uint32_t lastQty = 0;
  std::uint32_t leavesQty = 0;
  std::uint32_t cumQty = 0;
  std::uint64_t transactTime = 0;
  std::vector<Fee> fees;
  std::string text;
};

struct MarketDataIncremental {
  struct Entry {
    trading::UpdateAction action{};
    trading::Side side{};
    std::string symbol;
    Decimal price;
    std::int32_t size = 0;
    std::uint8_t level = 0;
    std::optional<std::uint16_t> numOrders;
  };
  std::uint64_t transactTime = 0;
  std::uint32_t seqNum = 0;
  std::vector<Entry> entries;
};

struct Heartbeat {
  std::uint64_t sentAt = 0;
};

// Sets every field of an encoder from a sample.
void fill(trading::NewOrder::Encoder& encoder, const NewOrder& sample);
void fill(trading::ExecutionReport::Encoder& encoder, const ExecutionReport& sample);
void fill(trading::MarketDataIncremental::Encoder& encoder, const MarketDataIncremental& sample);
void fill(trading::Heartbeat::Encoder& encoder, const Heartbeat& sample);

class Samples {
 public:
  static constexpr std::uint64_t typeCount = 4;

  explicit Samples(std::uint64_t seed) noexcept : random_(seed) {}

  // How many messages have been sent or checked.
  [[nodiscard]] std::uint64_t index() const noexcept { return index_; }

  // Makes the next message and sends it on a MessageStream<trading::Schema>;
  // returns what send() returns (false: wait for 'drain'). The sample is made
  // before send(), so that the fill callback only sets fields: send() may
  // call it again in a larger chunk.
  template <class Stream>
  bool sendNext(Stream& messages) {
    switch (index_++ % typeCount) {
      case 0:
        make(newOrder_);
        return messages.template send<trading::NewOrder>(
            [this](trading::NewOrder::Encoder& encoder) { fill(encoder, newOrder_); });
      case 1:
        make(executionReport_);
        return messages.template send<trading::ExecutionReport>(
            [this](trading::ExecutionReport::Encoder& encoder) {
              fill(encoder, executionReport_);
            });
      case 2:
        make(marketData_);
        return messages.template send<trading::MarketDataIncremental>(
            [this](trading::MarketDataIncremental::Encoder& encoder) {
              fill(encoder, marketData_);
            });
      default:
        make(heartbeat_);
        return messages.template send<trading::Heartbeat>(
            [this](trading::Heartbeat::Encoder& encoder) { fill(encoder, heartbeat_); });
    }
  }

  // Checks a received message against the next one expected: "" when every
  // field is as sent, else what differs ("ExecutionReport #5: fees[1].code:
  // sent \"FEE\", received \"FEX\"").
  [[nodiscard]] std::string check(const trading::NewOrder::Decoder& message);
  [[nodiscard]] std::string check(const trading::ExecutionReport::Decoder& message);
  [[nodiscard]] std::string check(const trading::MarketDataIncremental::Decoder& message);
  [[nodiscard]] std::string check(const trading::Heartbeat::Decoder& message);

 private:
  void make(NewOrder& sample);
  void make(ExecutionReport& sample);
  void make(MarketDataIncremental& sample);
  void make(Heartbeat& sample);
  // Makes the next expected sample; "" if received is its type, else the mismatch.
  [[nodiscard]] std::string expect(std::uint64_t received);
  void text(std::string& target, std::size_t least, std::size_t most, bool lettersOnly);
  Decimal decimal();

  Random random_;
  std::uint64_t index_ = 0;
  // Reused from message to message, so that making one allocates nothing
  // once the strings and vectors have grown.
  NewOrder newOrder_;
  ExecutionReport executionReport_;
  MarketDataIncremental marketData_;
  Heartbeat heartbeat_;
};

// "400000 messages (37.4 MB) in 0.831 s: 481347 messages/s, 45.0 MB/s".
[[nodiscard]] std::string throughput(std::uint64_t messages, std::uint64_t bytes,
                                     std::chrono::duration<double> elapsed);

}  // namespace trading_samples
