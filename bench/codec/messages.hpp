// SPDX-License-Identifier: Apache-2.0
#pragma once
// The benchmark's messages as plain values: what every contender encodes, and
// the checksum every contender's decoder must arrive at. Decoders fold each
// field they read into a Checksum (passed to benchmark::DoNotOptimize), so no
// read can be optimised away, and the harness checks before measuring that
// every contender decodes every message to expectedChecksum().

#include <array>
#include <bit>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace bench::harness {

class Checksum {
 public:
  template <class T>
  requires std::integral<T> || std::is_enum_v<T>
  void add(T value) noexcept {
    if constexpr (std::is_enum_v<T>) {
      value_ += static_cast<std::uint64_t>(static_cast<std::underlying_type_t<T>>(value));
    } else {
      value_ += static_cast<std::uint64_t>(value);
    }
  }
  void add(float value) noexcept { value_ += std::bit_cast<std::uint32_t>(value); }
  void add(double value) noexcept { value_ += std::bit_cast<std::uint64_t>(value); }
  // Text and bytes count by their length and first and last bytes: reading every
  // byte would measure a checksum loop, not the codec. Each decoder still has
  // to locate the bytes and their length.
  void add(std::string_view text) noexcept {
    value_ += text.size();
    if (!text.empty()) {
      value_ += static_cast<unsigned char>(text.front()) + static_cast<unsigned char>(text.back());
    }
  }
  void add(std::span<const std::byte> bytes) noexcept {
    add(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
  }

  [[nodiscard]] std::uint64_t value() const noexcept { return value_; }

 private:
  std::uint64_t value_ = 0;
};

// SBE's "Car" with the values of SBE's own C++ benchmark (schemas/examples/car.wk).
struct CarInput {
  struct FuelFigure {
    std::uint16_t speed;
    float mpg;
    std::string_view usageDescription;
  };
  struct Acceleration {
    std::uint16_t mph;
    float seconds;
  };
  struct PerformanceFigure {
    std::uint8_t octaneRating;
    std::array<Acceleration, 3> acceleration;
  };

  std::uint64_t serialNumber = 1234;
  std::uint16_t modelYear = 2013;
  std::uint8_t available = 1;  // BooleanType::T
  char code = 'A';             // Model::A
  std::array<std::uint32_t, 5> someNumbers{1, 2, 3, 4, 5};
  std::string_view vehicleCode = "abcdef";
  bool sunRoof = false;
  bool sportsPack = true;
  bool cruiseControl = true;
  std::uint16_t capacity = 2000;
  std::uint8_t numCylinders = 4;
  std::string_view manufacturerCode = "123";
  std::int8_t efficiency = 35;
  std::uint8_t boosterEnabled = 1;  // BooleanType::T
  char boostType = 'N';             // BoostType::NITROUS
  std::uint8_t horsePower = 200;
  std::array<FuelFigure, 3> fuelFigures{{
      {30, 35.9f, "Urban Cycle"},
      {55, 49.0f, "Combined Cycle"},
      {75, 40.0f, "Highway Cycle"},
  }};
  std::array<PerformanceFigure, 2> performanceFigures{{
      {95, {{{30, 4.0f}, {60, 7.5f}, {100, 12.2f}}}},
      {99, {{{30, 3.8f}, {60, 7.1f}, {100, 11.8f}}}},
  }};
  std::string_view manufacturer = "Honda";
  std::string_view model = "Civic VTi";
  std::string_view activationCode = "abcdef";

  // The schema's constants, which decoders read too.
  static constexpr std::uint16_t maxRpm = 9000;
  static constexpr std::string_view fuel = "Petrol";
  static constexpr char discountedModel = 'C';
};

// SBE's market-data benchmark message with a group of two entries.
struct MarketDataInput {
  struct Entry {
    std::uint64_t tradeId;
    std::uint64_t securityId;
    std::int64_t price;  // mdEntryPx.mantissa
    std::int32_t size;   // mdEntrySize.mantissa
    std::uint16_t numberOfOrders;
    std::uint8_t updateAction;  // MDUpdateAction::NEW
    std::uint8_t rptSeq;
    char aggressorSide;  // Side::BUY, Side::SELL
  };

  std::uint64_t transactTime = 1'764'057'600'123'456'789;
  std::uint16_t eventTimeDelta = 987;
  char matchEventIndicator = '2';  // END_EVENT
  std::array<Entry, 2> entries{{
      {1234, 56789, 50, 10, 1, 0, 1, '1'},
      {1235, 56789, 51, 20, 3, 0, 2, '2'},
  }};

  static constexpr std::int8_t priceExponent = 7;
  static constexpr std::int8_t sizeExponent = 0;
  static constexpr char entryType = '2';  // MDEntryType::TRADE
};

struct HeartbeatInput {
  std::uint64_t sentAt = 1'764'057'600'123'456'789;
};

struct BlobInput {
  BlobInput() : data(1024) {
    for (std::size_t i = 0; i < data.size(); ++i)
      data[i] = static_cast<std::byte>(i * 7 + 3);
  }
  std::uint64_t offset = 65536;
  std::vector<std::byte> data;
};

// The cross-library message: ten fixed fields and a string.
struct OrderInput {
  std::uint64_t orderId = 4'200'000'017;
  std::uint32_t accountId = 12'345;
  std::uint32_t instrumentId = 991'337;
  double price = 101.25;
  std::uint32_t quantity = 500;
  std::uint8_t side = 1;       // Buy
  std::uint8_t orderType = 2;  // Limit
  std::uint64_t timestamp = 1'764'057'600'123'456'789;
  std::uint32_t sequence = 1'000'001;
  bool active = true;
  std::string note = "GTC, desk 7, client ref A-1234";
};

std::uint64_t expectedChecksum(const CarInput& car);
std::uint64_t expectedChecksum(const MarketDataInput& marketData);
std::uint64_t expectedChecksum(const HeartbeatInput& heartbeat);
std::uint64_t expectedChecksum(const BlobInput& blob);
std::uint64_t expectedChecksum(const OrderInput& order);

}  // namespace bench::harness
