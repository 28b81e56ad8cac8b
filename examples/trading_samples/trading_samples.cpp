// SPDX-License-Identifier: Apache-2.0
#include "trading_samples.hpp"

#include <algorithm>
#include <array>
#include <limits>
#include <span>
#include <string_view>

#include <fmt/format.h>

namespace trading_samples {

namespace {

std::string show(std::string_view value) {
  return fmt::format("\"{}\"", value);
}
std::string show(trading::Tif value) {
  return fmt::format("{:#04x}", value.bits());
}
template <class T>
std::string show(const T& value) {
  return fmt::format("{}", value);
}
template <class T>
std::string show(const std::optional<T>& value) {
  return value ? show(*value) : std::string("null");
}

// The first field of a message that differs from what was sent.
class Diff {
 public:
  Diff(std::string_view message, std::uint64_t index) : message_(message), index_(index) {}

  // The fields that follow belong to entry `entry` of group `group` ("" for the message).
  void at(std::string_view group, std::size_t entry = 0) {
    group_ = group;
    entry_ = entry;
  }

  template <class Sent, class Received>
  void field(std::string_view name, const Sent& sent, const Received& received) {
    if (result_.empty() && !(sent == received)) report(name, show(sent), show(received));
  }
  void decimal(std::string_view name, const Decimal& sent, const trading::Decimal::Decoder& got) {
    if (!result_.empty()) return;
    if (sent.mantissa != got.mantissa() || sent.exponent != got.exponent()) {
      report(name, fmt::format("{}e{}", sent.mantissa, sent.exponent),
             fmt::format("{}e{}", got.mantissa(), got.exponent()));
    }
  }
  void bytes(std::string_view name, const std::vector<std::byte>& sent,
             std::span<const std::byte> received) {
    if (result_.empty() &&
        !std::equal(sent.begin(), sent.end(), received.begin(), received.end())) {
      report(name, fmt::format("{} bytes", sent.size()),
             fmt::format("{} other bytes", received.size()));
    }
  }
  // A group's entry count: the entries are compared only when it matches.
  bool count(std::string_view name, std::size_t sent, std::size_t received) {
    field(name, sent, received);
    return result_.empty();
  }

  [[nodiscard]] std::string result() { return std::move(result_); }

 private:
  void report(std::string_view name, const std::string& sent, const std::string& received) {
    const std::string path =
        group_.empty() ? std::string(name) : fmt::format("{}[{}].{}", group_, entry_, name);
    result_ =
        fmt::format("{} #{}: {}: sent {}, received {}", message_, index_, path, sent, received);
  }

  std::string_view message_;
  std::uint64_t index_;
  std::string_view group_;
  std::size_t entry_ = 0;
  std::string result_;
};

constexpr std::array<std::string_view, Samples::typeCount> typeNames{
    "NewOrder", "ExecutionReport", "MarketDataIncremental", "Heartbeat"};

template <class T, std::size_t N>
T pick(Random& random, const std::array<T, N>& values) {
  return values[random.below(N)];
}

constexpr std::array<trading::Side, 2> sides{trading::Side::Buy, trading::Side::Sell};

}  // namespace

void fill(trading::NewOrder::Encoder& encoder, const NewOrder& sample) {
  encoder.orderId(sample.orderId).symbol(sample.symbol).side(sample.side);
  encoder.ordType(sample.ordType).tif(sample.tif);
  encoder.price().mantissa(sample.price.mantissa).exponent(sample.price.exponent);
  encoder.quantity(sample.quantity).stopPrice(sample.stopPrice).clientTag(sample.clientTag);
  auto legs = encoder.legs(sample.legs.size());
  for (const NewOrder::Leg& leg : sample.legs) {
    legs.next().legId(leg.legId).ratio(leg.ratio).side(leg.side);
  }
  encoder.account(sample.account).note(sample.note);
}

void fill(trading::ExecutionReport::Encoder& encoder, const ExecutionReport& sample) {
  encoder.orderId(sample.orderId).execId(sample.execId).symbol(sample.symbol);
  encoder.execType(sample.execType).side(sample.side);
  encoder.lastPx().mantissa(sample.lastPx.mantissa).exponent(sample.lastPx.exponent);
  encoder.lastQty(sample.lastQty).leavesQty(sample.leavesQty).cumQty(sample.cumQty);
  encoder.transactTime(sample.transactTime);
  auto fees = encoder.fees(sample.fees.size());
  for (const ExecutionReport::Fee& fee : sample.fees) {
    fees.next().code(fee.code).amount().mantissa(fee.amount.mantissa).exponent(fee.amount.exponent);
  }
  encoder.text(sample.text);
}

void fill(trading::MarketDataIncremental::Encoder& encoder, const MarketDataIncremental& sample) {
  encoder.transactTime(sample.transactTime).seqNum(sample.seqNum);
  auto entries = encoder.entries(sample.entries.size());
  for (const MarketDataIncremental::Entry& entry : sample.entries) {
    auto next = entries.next();
    next.action(entry.action).side(entry.side).symbol(entry.symbol);
    next.price().mantissa(entry.price.mantissa).exponent(entry.price.exponent);
    next.size(entry.size).level(entry.level).numOrders(entry.numOrders);
  }
}

void fill(trading::Heartbeat::Encoder& encoder, const Heartbeat& sample) {
  encoder.sentAt(sample.sentAt);
}

void Samples::text(std::string& target, std::size_t least, std::size_t most, bool lettersOnly) {
  target.resize(least + random_.below(most - least + 1));
  for (char& c : target) {
    c = lettersOnly ? static_cast<char>('A' + random_.below(26))
                    : static_cast<char>(' ' + random_.below(95));  // printable ASCII
  }
}

Decimal Samples::decimal() {
  return {static_cast<std::int64_t>(random_.next()),
          static_cast<std::int8_t>(static_cast<int>(random_.below(19)) - 9)};
}

void Samples::make(NewOrder& sample) {
  sample.orderId = random_.next();
  text(sample.symbol, 1, 8, true);
  sample.side = pick(random_, sides);
  sample.ordType = pick(random_, std::array{trading::OrdType::Market, trading::OrdType::Limit,
                                            trading::OrdType::Stop, trading::OrdType::StopLimit});
  sample.tif = trading::Tif(static_cast<std::uint8_t>(random_.below(16)));
  sample.price = decimal();
  sample.quantity = static_cast<std::uint32_t>(random_.next());
  // The smallest i64 is the field's null value; a third of the orders have none.
  const auto stop = static_cast<std::int64_t>(random_.next() >> 1U);
  sample.stopPrice = random_.below(3) == 0 ? std::nullopt : std::optional<std::int64_t>(-stop);
  sample.clientTag = static_cast<std::uint32_t>(random_.next());
  sample.legs.resize(random_.below(4));
  for (NewOrder::Leg& leg : sample.legs) {
    leg.legId = static_cast<std::uint32_t>(random_.next());
    leg.ratio = static_cast<std::uint16_t>(random_.next());
    leg.side = pick(random_, sides);
  }
  text(sample.account, 0, 64, false);
  sample.note.resize(random_.below(33));
  for (std::byte& b : sample.note)
    b = static_cast<std::byte>(random_.next());
}

void Samples::make(ExecutionReport& sample) {
  sample.orderId = random_.next();
  sample.execId = random_.next();
  text(sample.symbol, 1, 8, true);
  sample.execType = pick(random_, std::array{trading::ExecType::New, trading::ExecType::PartialFill,
                                             trading::ExecType::Fill, trading::ExecType::Canceled,
                                             trading::ExecType::Rejected});
  sample.side = pick(random_, sides);
  sample.lastPx = decimal();
  sample.lastQty = static_cast<std::uint32_t>(random_.next());
  sample.leavesQty = static_cast<std::uint32_t>(random_.next());
  sample.cumQty = static_cast<std::uint32_t>(random_.next());
  sample.transactTime = random_.next();
  sample.fees.resize(random_.below(4));
  for (ExecutionReport::Fee& fee : sample.fees) {
    text(fee.code, 1, 4, true);
    fee.amount = decimal();
  }
  text(sample.text, 0, 40, false);
}

void Samples::make(MarketDataIncremental& sample) {
  sample.transactTime = random_.next();
  sample.seqNum = static_cast<std::uint32_t>(random_.next());
  sample.entries.resize(1 + random_.below(4));
  for (MarketDataIncremental::Entry& entry : sample.entries) {
    entry.action =
        pick(random_, std::array{trading::UpdateAction::New, trading::UpdateAction::Change,
                                 trading::UpdateAction::Delete});
    entry.side = pick(random_, sides);
    text(entry.symbol, 1, 8, true);
    entry.price = decimal();
    entry.size = static_cast<std::int32_t>(static_cast<std::uint32_t>(random_.next()));
    entry.level = static_cast<std::uint8_t>(random_.next());
    // 0xFFFF is the null value of numOrders.
    const auto orders = static_cast<std::uint16_t>(random_.below(0xFFFF));
    entry.numOrders = random_.below(2) == 0 ? std::nullopt : std::optional<std::uint16_t>(orders);
  }
}

void Samples::make(Heartbeat& sample) {
  sample.sentAt = random_.next();
}

std::string Samples::expect(std::uint64_t received) {
  const std::uint64_t expected = index_ % typeCount;
  switch (expected) {
    case 0:
      make(newOrder_);
      break;
    case 1:
      make(executionReport_);
      break;
    case 2:
      make(marketData_);
      break;
    default:
      make(heartbeat_);
      break;
  }
  if (received == expected) return {};
  return fmt::format("message #{}: expected a {}, received a {}", index_++, typeNames[expected],
                     typeNames[received]);
}

std::string Samples::check(const trading::NewOrder::Decoder& message) {
  if (std::string wrongType = expect(0); !wrongType.empty()) return wrongType;
  const NewOrder& sent = newOrder_;
  Diff diff("NewOrder", index_++);
  diff.field("orderId", sent.orderId, message.orderId());
  diff.field("symbol", std::string_view(sent.symbol), message.symbol());
  diff.field("side", sent.side, message.side());
  diff.field("ordType", sent.ordType, message.ordType());
  diff.field("tif", sent.tif, message.tif());
  diff.decimal("price", sent.price, message.price());
  diff.field("quantity", sent.quantity, message.quantity());
  diff.field("stopPrice", sent.stopPrice, message.stopPrice());
  diff.field("clientTag", std::optional<std::uint32_t>(sent.clientTag), message.clientTag());
  if (diff.count("legs.size()", sent.legs.size(), message.legs().size())) {
    std::size_t i = 0;
    for (const auto& leg : message.legs()) {
      diff.at("legs", i);
      diff.field("legId", sent.legs[i].legId, leg.legId());
      diff.field("ratio", sent.legs[i].ratio, leg.ratio());
      diff.field("side", sent.legs[i].side, leg.side());
      ++i;
    }
    diff.at("");
  }
  diff.field("account", std::string_view(sent.account), message.account());
  diff.bytes("note", sent.note, message.note());
  return diff.result();
}

std::string Samples::check(const trading::ExecutionReport::Decoder& message) {
  if (std::string wrongType = expect(1); !wrongType.empty()) return wrongType;
  const ExecutionReport& sent = executionReport_;
  Diff diff("ExecutionReport", index_++);
  diff.field("orderId", sent.orderId, message.orderId());
  diff.field("execId", sent.execId, message.execId());
  diff.field("symbol", std::string_view(sent.symbol), message.symbol());
  diff.field("execType", sent.execType, message.execType());
  diff.field("side", sent.side, message.side());
  diff.decimal("lastPx", sent.lastPx, message.lastPx());
  diff.field("lastQty", sent.lastQty, message.lastQty());
  diff.field("leavesQty", sent.leavesQty, message.leavesQty());
  diff.field("cumQty", sent.cumQty, message.cumQty());
  diff.field("transactTime", sent.transactTime, message.transactTime());
  if (diff.count("fees.size()", sent.fees.size(), message.fees().size())) {
    std::size_t i = 0;
    for (const auto& fee : message.fees()) {
      diff.at("fees", i);
      diff.field("code", std::string_view(sent.fees[i].code), fee.code());
      diff.decimal("amount", sent.fees[i].amount, fee.amount());
      ++i;
    }
    diff.at("");
  }
  diff.field("text", std::optional<std::string_view>(sent.text), message.text());
  return diff.result();
}

std::string Samples::check(const trading::MarketDataIncremental::Decoder& message) {
  if (std::string wrongType = expect(2); !wrongType.empty()) return wrongType;
  const MarketDataIncremental& sent = marketData_;
  Diff diff("MarketDataIncremental", index_++);
  diff.field("transactTime", sent.transactTime, message.transactTime());
  diff.field("seqNum", sent.seqNum, message.seqNum());
  if (diff.count("entries.size()", sent.entries.size(), message.entries().size())) {
    std::size_t i = 0;
    for (const auto& entry : message.entries()) {
      const MarketDataIncremental::Entry& expected = sent.entries[i];
      diff.at("entries", i);
      diff.field("action", expected.action, entry.action());
      diff.field("side", expected.side, entry.side());
      diff.field("symbol", std::string_view(expected.symbol), entry.symbol());
      diff.decimal("price", expected.price, entry.price());
      diff.field("size", expected.size, entry.size());
      diff.field("level", expected.level, entry.level());
      diff.field("numOrders", expected.numOrders, entry.numOrders());
      ++i;
    }
  }
  return diff.result();
}

std::string Samples::check(const trading::Heartbeat::Decoder& message) {
  if (std::string wrongType = expect(3); !wrongType.empty()) return wrongType;
  Diff diff("Heartbeat", index_++);
  diff.field("sentAt", heartbeat_.sentAt, message.sentAt());
  return diff.result();
}

std::string throughput(std::uint64_t messages, std::uint64_t bytes,
                       std::chrono::duration<double> elapsed) {
  const double seconds = std::max(elapsed.count(), 1e-9);
  return fmt::format("{} messages ({:.1f} MB) in {:.3f} s: {} messages/s, {:.1f} MB/s", messages,
                     static_cast<double>(bytes) / 1e6, seconds,
                     static_cast<std::uint64_t>(static_cast<double>(messages) / seconds),
                     static_cast<double>(bytes) / 1e6 / seconds);
}

}  // namespace trading_samples
