// SPDX-License-Identifier: Apache-2.0
#include "messages.hpp"

namespace bench::harness {

std::uint64_t expectedChecksum(const CarInput& car) {
  Checksum sum;
  sum.add(car.serialNumber);
  sum.add(car.modelYear);
  sum.add(car.available);
  sum.add(car.code);
  for (std::uint32_t number : car.someNumbers)
    sum.add(number);
  sum.add(car.vehicleCode);
  sum.add(car.sunRoof);
  sum.add(car.sportsPack);
  sum.add(car.cruiseControl);
  sum.add(CarInput::discountedModel);
  sum.add(car.capacity);
  sum.add(car.numCylinders);
  sum.add(CarInput::maxRpm);
  sum.add(car.manufacturerCode);
  sum.add(CarInput::fuel);
  sum.add(car.efficiency);
  sum.add(car.boosterEnabled);
  sum.add(car.boostType);
  sum.add(car.horsePower);
  for (const auto& figure : car.fuelFigures) {
    sum.add(figure.speed);
    sum.add(figure.mpg);
    sum.add(figure.usageDescription);
  }
  for (const auto& figure : car.performanceFigures) {
    sum.add(figure.octaneRating);
    for (const auto& acceleration : figure.acceleration) {
      sum.add(acceleration.mph);
      sum.add(acceleration.seconds);
    }
  }
  sum.add(car.manufacturer);
  sum.add(car.model);
  sum.add(car.activationCode);
  return sum.value();
}

std::uint64_t expectedChecksum(const MarketDataInput& marketData) {
  Checksum sum;
  sum.add(marketData.transactTime);
  sum.add(marketData.eventTimeDelta);
  sum.add(marketData.matchEventIndicator);
  for (const auto& entry : marketData.entries) {
    sum.add(entry.tradeId);
    sum.add(entry.securityId);
    sum.add(entry.price);
    sum.add(MarketDataInput::priceExponent);
    sum.add(entry.size);
    sum.add(MarketDataInput::sizeExponent);
    sum.add(entry.numberOfOrders);
    sum.add(entry.updateAction);
    sum.add(entry.rptSeq);
    sum.add(entry.aggressorSide);
    sum.add(MarketDataInput::entryType);
  }
  return sum.value();
}

std::uint64_t expectedChecksum(const HeartbeatInput& heartbeat) {
  Checksum sum;
  sum.add(heartbeat.sentAt);
  return sum.value();
}

std::uint64_t expectedChecksum(const BlobInput& blob) {
  Checksum sum;
  sum.add(blob.offset);
  sum.add(std::span<const std::byte>(blob.data));
  return sum.value();
}

std::uint64_t expectedChecksum(const OrderInput& order) {
  Checksum sum;
  sum.add(order.orderId);
  sum.add(order.accountId);
  sum.add(order.instrumentId);
  sum.add(order.price);
  sum.add(order.quantity);
  sum.add(order.side);
  sum.add(order.orderType);
  sum.add(order.timestamp);
  sum.add(order.sequence);
  sum.add(order.active);
  sum.add(std::string_view(order.note));
  return sum.value();
}

}  // namespace bench::harness
