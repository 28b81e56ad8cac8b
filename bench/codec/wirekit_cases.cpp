// SPDX-License-Identifier: Apache-2.0
// wirekit's generated codecs (schemas/examples/car.wk, bench/schemas/bench.wk),
// used as intended: encode() into a DataView over the caller's buffer, setters,
// groups and strings in schema order, encodedLength(); decode() checks the
// whole message, then every accessor reads in place.

#include <wirekit/bytes/data_view.hpp>

#include "bench.wk.hpp"
#include "car.wk.hpp"
#include "harness.hpp"

namespace bench::harness {
namespace {

template <class Input>
class WirekitCase {
 public:
  [[nodiscard]] const Input& input() const noexcept { return input_; }
  [[nodiscard]] std::vector<std::byte> wire() const {
    return {output_.data(), output_.data() + length_};
  }

 protected:
  [[nodiscard]] wirekit::DataView output() const noexcept {
    return wirekit::DataView(output_.span());
  }

  Input input_;
  AlignedBytes output_{maxMessageSize};
  std::size_t length_ = 0;
};

class CarCase : public WirekitCase<CarInput> {
 public:
  std::size_t encode() {
    const CarInput& in = input_;
    auto car = baseline::Car::encode(output());
    car.serialNumber(in.serialNumber)
        .modelYear(in.modelYear)
        .available(static_cast<baseline::BooleanType>(in.available))
        .code(static_cast<baseline::Model>(in.code))
        .someNumbers(in.someNumbers)
        .vehicleCode(in.vehicleCode)
        .extras(baseline::OptionalExtras{}
                    .sunRoof(in.sunRoof)
                    .sportsPack(in.sportsPack)
                    .cruiseControl(in.cruiseControl));
    car.engine()
        .capacity(in.capacity)
        .numCylinders(in.numCylinders)
        .manufacturerCode(in.manufacturerCode)
        .efficiency(in.efficiency)
        .boosterEnabled(static_cast<baseline::BooleanType>(in.boosterEnabled))
        .booster()
        .boostType(static_cast<baseline::BoostType>(in.boostType))
        .horsePower(in.horsePower);
    auto fuel = car.fuelFigures(in.fuelFigures.size());
    for (const auto& figure : in.fuelFigures) {
      fuel.next().speed(figure.speed).mpg(figure.mpg).usageDescription(figure.usageDescription);
    }
    auto performance = car.performanceFigures(in.performanceFigures.size());
    for (const auto& figure : in.performanceFigures) {
      auto entry = performance.next();
      entry.octaneRating(figure.octaneRating);
      auto acceleration = entry.acceleration(figure.acceleration.size());
      for (const auto& step : figure.acceleration) {
        acceleration.next().mph(step.mph).seconds(step.seconds);
      }
    }
    car.manufacturer(in.manufacturer).model(in.model).activationCode(in.activationCode);
    return length_ = car.encodedLength();
  }

  static std::uint64_t decode(std::span<std::byte> bytes) {
    const auto car = baseline::Car::decode(wirekit::DataView(bytes));
    Checksum sum;
    sum.add(car.serialNumber());
    sum.add(car.modelYear());
    sum.add(car.available());
    sum.add(car.code());
    for (const std::uint32_t number : car.someNumbers())
      sum.add(number);
    sum.add(car.vehicleCode());
    const baseline::OptionalExtras extras = car.extras();
    sum.add(extras.sunRoof());
    sum.add(extras.sportsPack());
    sum.add(extras.cruiseControl());
    sum.add(car.discountedModel());
    const auto engine = car.engine();
    sum.add(engine.capacity());
    sum.add(engine.numCylinders());
    sum.add(engine.maxRpm());
    sum.add(engine.manufacturerCode());
    sum.add(engine.fuel());
    sum.add(engine.efficiency());
    sum.add(engine.boosterEnabled());
    sum.add(engine.booster().boostType());
    sum.add(engine.booster().horsePower());
    for (const auto& figure : car.fuelFigures()) {
      sum.add(figure.speed());
      sum.add(figure.mpg());
      sum.add(figure.usageDescription());
    }
    for (const auto& figure : car.performanceFigures()) {
      sum.add(figure.octaneRating());
      for (const auto& step : figure.acceleration()) {
        sum.add(step.mph());
        sum.add(step.seconds());
      }
    }
    sum.add(car.manufacturer());
    sum.add(car.model());
    sum.add(car.activationCode());
    return sum.value();
  }
};

class MarketDataCase : public WirekitCase<MarketDataInput> {
 public:
  std::size_t encode() {
    const MarketDataInput& in = input_;
    auto message = bench::MarketDataIncrementalRefreshTrades::encode(output());
    message.transactTime(in.transactTime)
        .eventTimeDelta(in.eventTimeDelta)
        .matchEventIndicator(static_cast<bench::MatchEventIndicator>(in.matchEventIndicator));
    auto entries = message.mdIncGrp(in.entries.size());
    for (const auto& entry : in.entries) {
      auto out = entries.next();
      out.tradeId(entry.tradeId)
          .securityId(entry.securityId)
          .numberOfOrders(entry.numberOfOrders)
          .mdUpdateAction(static_cast<bench::MDUpdateAction>(entry.updateAction))
          .rptSeq(entry.rptSeq)
          .aggressorSide(static_cast<bench::Side>(entry.aggressorSide));
      out.mdEntryPx().mantissa(entry.price);
      out.mdEntrySize().mantissa(entry.size);
    }
    return length_ = message.encodedLength();
  }

  static std::uint64_t decode(std::span<std::byte> bytes) {
    const auto message =
        bench::MarketDataIncrementalRefreshTrades::decode(wirekit::DataView(bytes));
    Checksum sum;
    sum.add(message.transactTime());
    sum.add(message.eventTimeDelta());
    sum.add(message.matchEventIndicator());
    for (const auto& entry : message.mdIncGrp()) {
      sum.add(entry.tradeId());
      sum.add(entry.securityId());
      sum.add(entry.mdEntryPx().mantissa());
      sum.add(entry.mdEntryPx().exponent());
      sum.add(entry.mdEntrySize().mantissa());
      sum.add(entry.mdEntrySize().exponent());
      sum.add(entry.numberOfOrders());
      sum.add(entry.mdUpdateAction());
      sum.add(entry.rptSeq());
      sum.add(entry.aggressorSide());
      sum.add(entry.mdEntryType());
    }
    return sum.value();
  }
};

class HeartbeatCase : public WirekitCase<HeartbeatInput> {
 public:
  std::size_t encode() {
    auto message = bench::Heartbeat::encode(output());
    message.sentAt(input_.sentAt);
    return length_ = message.encodedLength();
  }

  static std::uint64_t decode(std::span<std::byte> bytes) {
    const auto message = bench::Heartbeat::decode(wirekit::DataView(bytes));
    Checksum sum;
    sum.add(message.sentAt());
    return sum.value();
  }
};

class BlobCase : public WirekitCase<BlobInput> {
 public:
  std::size_t encode() {
    auto message = bench::Blob::encode(output());
    message.offset(input_.offset).data(input_.data);
    return length_ = message.encodedLength();
  }

  static std::uint64_t decode(std::span<std::byte> bytes) {
    const auto message = bench::Blob::decode(wirekit::DataView(bytes));
    Checksum sum;
    sum.add(message.offset());
    sum.add(message.data());
    return sum.value();
  }
};

class OrderCase : public WirekitCase<OrderInput> {
 public:
  std::size_t encode() {
    const OrderInput& in = input_;
    auto message = bench::Order::encode(output());
    message.orderId(in.orderId)
        .accountId(in.accountId)
        .instrumentId(in.instrumentId)
        .price(in.price)
        .quantity(in.quantity)
        .side(static_cast<bench::OrderSide>(in.side))
        .orderType(static_cast<bench::OrderType>(in.orderType))
        .timestamp(in.timestamp)
        .sequence(in.sequence)
        .active(in.active)
        .note(in.note);
    return length_ = message.encodedLength();
  }

  static std::uint64_t decode(std::span<std::byte> bytes) {
    const auto message = bench::Order::decode(wirekit::DataView(bytes));
    Checksum sum;
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

void addWirekitCases() {
  addCodecCase<CarCase>("car", "wirekit");
  addCodecCase<MarketDataCase>("market_data", "wirekit");
  addCodecCase<HeartbeatCase>("heartbeat", "wirekit");
  addCodecCase<BlobCase>("blob", "wirekit");
  addCodecCase<OrderCase>("order", "wirekit");
}

}  // namespace bench::harness
