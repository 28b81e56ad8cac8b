// SPDX-License-Identifier: Apache-2.0
// The hand-written SBE-style baseline (handwritten/), every message.

#include <stdexcept>

#include "handwritten/car.hpp"
#include "handwritten/messages.hpp"
#include "harness.hpp"

namespace bench::handwritten {

void fail(const char* what) {
  throw std::runtime_error(what);
}

}  // namespace bench::handwritten

namespace bench::harness {
namespace {

namespace hw = bench::handwritten;

// What the hand-written cases share: the input and an output buffer.
template <class Input>
class HandwrittenCase {
 public:
  [[nodiscard]] const Input& input() const noexcept { return input_; }
  [[nodiscard]] std::vector<std::byte> wire() const {
    return {output_.data(), output_.data() + length_};
  }

 protected:
  Input input_;
  AlignedBytes output_{maxMessageSize};
  std::size_t length_ = 0;
};

class CarCase : public HandwrittenCase<CarInput> {
 public:
  std::size_t encode() {
    const CarInput& in = input_;
    hw::CarEncoder car(output_.data(), output_.size());
    car.serialNumber(in.serialNumber)
        .modelYear(in.modelYear)
        .available(in.available)
        .code(in.code)
        .someNumbers(in.someNumbers)
        .vehicleCode(in.vehicleCode)
        .extras(hw::OptionalExtras{}
                    .sunRoof(in.sunRoof)
                    .sportsPack(in.sportsPack)
                    .cruiseControl(in.cruiseControl));
    car.engine()
        .capacity(in.capacity)
        .numCylinders(in.numCylinders)
        .manufacturerCode(in.manufacturerCode)
        .efficiency(in.efficiency)
        .boosterEnabled(in.boosterEnabled)
        .boostType(in.boostType)
        .horsePower(in.horsePower);
    auto fuel = car.fuelFiguresCount(in.fuelFigures.size());
    for (const auto& figure : in.fuelFigures) {
      fuel.next().speed(figure.speed).mpg(figure.mpg).usageDescription(figure.usageDescription);
    }
    auto performance = car.performanceFiguresCount(in.performanceFigures.size());
    for (const auto& figure : in.performanceFigures) {
      auto acceleration = performance.next().octaneRating(figure.octaneRating).accelerationCount(3);
      for (const auto& entry : figure.acceleration) {
        acceleration.next().mph(entry.mph).seconds(entry.seconds);
      }
    }
    car.manufacturer(in.manufacturer).model(in.model).activationCode(in.activationCode);
    return length_ = car.encodedLength();
  }

  static std::uint64_t decode(std::span<std::byte> message) {
    Checksum sum;
    hw::CarDecoder car(message.data(), message.size());
    sum.add(car.serialNumber());
    sum.add(car.modelYear());
    sum.add(car.available());
    sum.add(car.code());
    for (std::size_t i = 0; i < hw::CarDecoder::someNumbersLength(); ++i) {
      sum.add(car.someNumbers(i));
    }
    sum.add(car.vehicleCode());
    const hw::OptionalExtras extras = car.extras();
    sum.add(extras.sunRoof());
    sum.add(extras.sportsPack());
    sum.add(extras.cruiseControl());
    sum.add(hw::CarDecoder::discountedModel());
    const auto engine = car.engine();
    sum.add(engine.capacity());
    sum.add(engine.numCylinders());
    sum.add(engine.maxRpm());
    sum.add(engine.manufacturerCode());
    sum.add(engine.fuel());
    sum.add(engine.efficiency());
    sum.add(engine.boosterEnabled());
    sum.add(engine.boostType());
    sum.add(engine.horsePower());
    for (auto fuel = car.fuelFigures(); fuel.hasNext();) {
      fuel.next();
      sum.add(fuel.speed());
      sum.add(fuel.mpg());
      sum.add(fuel.usageDescription());
    }
    for (auto performance = car.performanceFigures(); performance.hasNext();) {
      performance.next();
      sum.add(performance.octaneRating());
      for (auto acceleration = performance.acceleration(); acceleration.hasNext();) {
        acceleration.next();
        sum.add(acceleration.mph());
        sum.add(acceleration.seconds());
      }
    }
    sum.add(car.manufacturer());
    sum.add(car.model());
    sum.add(car.activationCode());
    return sum.value();
  }
};

class MarketDataCase : public HandwrittenCase<MarketDataInput> {
 public:
  std::size_t encode() {
    const MarketDataInput& in = input_;
    hw::MarketDataEncoder message(output_.data(), output_.size());
    message.transactTime(in.transactTime)
        .eventTimeDelta(in.eventTimeDelta)
        .matchEventIndicator(in.matchEventIndicator);
    auto entries = message.mdIncGrpCount(in.entries.size());
    for (const auto& entry : in.entries) {
      entries.next()
          .tradeId(entry.tradeId)
          .securityId(entry.securityId)
          .mdEntryPx(entry.price)
          .mdEntrySize(entry.size)
          .numberOfOrders(entry.numberOfOrders)
          .mdUpdateAction(entry.updateAction)
          .rptSeq(entry.rptSeq)
          .aggressorSide(entry.aggressorSide);
    }
    return length_ = message.encodedLength();
  }

  static std::uint64_t decode(std::span<std::byte> bytes) {
    Checksum sum;
    hw::MarketDataDecoder message(bytes.data(), bytes.size());
    sum.add(message.transactTime());
    sum.add(message.eventTimeDelta());
    sum.add(message.matchEventIndicator());
    for (auto entries = message.mdIncGrp(); entries.hasNext();) {
      entries.next();
      sum.add(entries.tradeId());
      sum.add(entries.securityId());
      sum.add(entries.mdEntryPxMantissa());
      sum.add(entries.mdEntryPxExponent());
      sum.add(entries.mdEntrySizeMantissa());
      sum.add(entries.mdEntrySizeExponent());
      sum.add(entries.numberOfOrders());
      sum.add(entries.mdUpdateAction());
      sum.add(entries.rptSeq());
      sum.add(entries.aggressorSide());
      sum.add(entries.mdEntryType());
    }
    return sum.value();
  }
};

class HeartbeatCase : public HandwrittenCase<HeartbeatInput> {
 public:
  std::size_t encode() {
    hw::HeartbeatEncoder message(output_.data(), output_.size());
    message.sentAt(input_.sentAt);
    return length_ = message.encodedLength();
  }

  static std::uint64_t decode(std::span<std::byte> bytes) {
    Checksum sum;
    const hw::HeartbeatDecoder message(bytes.data(), bytes.size());
    sum.add(message.sentAt());
    return sum.value();
  }
};

class BlobCase : public HandwrittenCase<BlobInput> {
 public:
  std::size_t encode() {
    hw::BlobEncoder message(output_.data(), output_.size());
    message.offset(input_.offset).data(input_.data);
    return length_ = message.encodedLength();
  }

  static std::uint64_t decode(std::span<std::byte> bytes) {
    Checksum sum;
    hw::BlobDecoder message(bytes.data(), bytes.size());
    sum.add(message.offset());
    sum.add(message.data());
    return sum.value();
  }
};

class OrderCase : public HandwrittenCase<OrderInput> {
 public:
  std::size_t encode() {
    const OrderInput& in = input_;
    hw::OrderEncoder message(output_.data(), output_.size());
    message.orderId(in.orderId)
        .accountId(in.accountId)
        .instrumentId(in.instrumentId)
        .price(in.price)
        .quantity(in.quantity)
        .side(in.side)
        .orderType(in.orderType)
        .timestamp(in.timestamp)
        .sequence(in.sequence)
        .active(in.active)
        .note(in.note);
    return length_ = message.encodedLength();
  }

  static std::uint64_t decode(std::span<std::byte> bytes) {
    Checksum sum;
    hw::OrderDecoder message(bytes.data(), bytes.size());
    sum.add(message.orderId());
    sum.add(message.accountId());
    sum.add(message.instrumentId());
    sum.add(message.price());
    sum.add(message.quantity());
    sum.add(message.side());
    sum.add(message.orderType());
    sum.add(message.timestamp());
    sum.add(message.sequence());
    sum.add(message.active());
    sum.add(message.note());
    return sum.value();
  }
};

}  // namespace

void addHandwrittenCases() {
  addCodecCase<CarCase>("car", "handwritten");
  addCodecCase<MarketDataCase>("market_data", "handwritten");
  addCodecCase<HeartbeatCase>("heartbeat", "handwritten");
  addCodecCase<BlobCase>("blob", "handwritten");
  addCodecCase<OrderCase>("order", "handwritten");
}

}  // namespace bench::harness
