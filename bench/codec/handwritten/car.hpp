// SPDX-License-Identifier: Apache-2.0
#pragma once
// SBE's "Car" (schemas/examples/car.wk), hand-written. Block of 49 bytes:
//   0 serialNumber u64, 8 modelYear u16, 10 available u8, 11 code char,
//   12 someNumbers u32[5], 32 vehicleCode char[6], 38 extras u8 (bits sunRoof,
//   sportsPack, cruiseControl), 39 engine: +0 capacity u16, +2 numCylinders u8,
//   +3 manufacturerCode char[3], +6 efficiency i8, +7 boosterEnabled u8,
//   +8 booster.boostType char, +9 booster.horsePower u8.
// Then fuelFigures <u16, u16> {speed u16, mpg f32; usageDescription string},
// performanceFigures <u16, u16> {octaneRating u8; acceleration <u16, u16>
// {mph u16, seconds f32}}, manufacturer, model, activationCode (u32 lengths).

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "handwritten/wire.hpp"

namespace bench::handwritten {

struct OptionalExtras {
  std::uint8_t bits = 0;

  [[nodiscard]] bool sunRoof() const noexcept { return (bits & 1u) != 0; }
  [[nodiscard]] bool sportsPack() const noexcept { return (bits & 2u) != 0; }
  [[nodiscard]] bool cruiseControl() const noexcept { return (bits & 4u) != 0; }
  OptionalExtras& sunRoof(bool on) noexcept { return set(1u, on); }
  OptionalExtras& sportsPack(bool on) noexcept { return set(2u, on); }
  OptionalExtras& cruiseControl(bool on) noexcept { return set(4u, on); }

 private:
  OptionalExtras& set(unsigned bit, bool on) noexcept {
    bits = static_cast<std::uint8_t>(on ? bits | bit : bits & ~bit);
    return *this;
  }
};

class CarEncoder {
 public:
  static constexpr MessageHeader header{49, 1, 1, 0};

  class Engine {
   public:
    explicit Engine(std::byte* block) noexcept : block_(block) {}
    Engine& capacity(std::uint16_t value) noexcept { return put(0, value); }
    Engine& numCylinders(std::uint8_t value) noexcept { return put(2, value); }
    Engine& manufacturerCode(std::string_view value) {
      storeText(block_ + 3, 3, value);
      return *this;
    }
    Engine& efficiency(std::int8_t value) noexcept { return put(6, value); }
    Engine& boosterEnabled(std::uint8_t value) noexcept { return put(7, value); }
    Engine& boostType(char value) noexcept { return put(8, value); }
    Engine& horsePower(std::uint8_t value) noexcept { return put(9, value); }

   private:
    template <class T>
    Engine& put(std::size_t offset, T value) noexcept {
      storeLittle(block_ + offset, value);
      return *this;
    }
    std::byte* block_;
  };

  class FuelFigures {
   public:
    FuelFigures(WriteCursor& cursor, std::size_t count)
        : cursor_(&cursor), group_(cursor, 6, count) {}
    FuelFigures& next() {
      block_ = group_.next();
      return *this;
    }
    FuelFigures& speed(std::uint16_t value) noexcept {
      storeLittle(block_, value);
      return *this;
    }
    FuelFigures& mpg(float value) noexcept {
      storeLittle(block_ + 2, value);
      return *this;
    }
    FuelFigures& usageDescription(std::string_view value) {
      cursor_->putVar(value);
      return *this;
    }

   private:
    WriteCursor* cursor_;
    GroupWriter<std::uint16_t> group_;
    std::byte* block_ = nullptr;
  };

  class Acceleration {
   public:
    Acceleration(WriteCursor& cursor, std::size_t count) : group_(cursor, 6, count) {}
    Acceleration& next() {
      block_ = group_.next();
      return *this;
    }
    Acceleration& mph(std::uint16_t value) noexcept {
      storeLittle(block_, value);
      return *this;
    }
    Acceleration& seconds(float value) noexcept {
      storeLittle(block_ + 2, value);
      return *this;
    }

   private:
    GroupWriter<std::uint16_t> group_;
    std::byte* block_ = nullptr;
  };

  class PerformanceFigures {
   public:
    PerformanceFigures(WriteCursor& cursor, std::size_t count)
        : cursor_(&cursor), group_(cursor, 1, count) {}
    PerformanceFigures& next() {
      block_ = group_.next();
      return *this;
    }
    PerformanceFigures& octaneRating(std::uint8_t value) noexcept {
      storeLittle(block_, value);
      return *this;
    }
    Acceleration accelerationCount(std::size_t count) { return {*cursor_, count}; }

   private:
    WriteCursor* cursor_;
    GroupWriter<std::uint16_t> group_;
    std::byte* block_ = nullptr;
  };

  CarEncoder(std::byte* buffer, std::size_t capacity)
      : cursor_(buffer, capacity, header), block_(cursor_.block()) {}

  CarEncoder& serialNumber(std::uint64_t value) noexcept { return put(0, value); }
  CarEncoder& modelYear(std::uint16_t value) noexcept { return put(8, value); }
  CarEncoder& available(std::uint8_t value) noexcept { return put(10, value); }
  CarEncoder& code(char value) noexcept { return put(11, value); }
  CarEncoder& someNumbers(std::span<const std::uint32_t, 5> values) noexcept {
    for (std::size_t i = 0; i < values.size(); ++i)
      storeLittle(block_ + 12 + 4 * i, values[i]);
    return *this;
  }
  CarEncoder& vehicleCode(std::string_view value) {
    storeText(block_ + 32, 6, value);
    return *this;
  }
  CarEncoder& extras(OptionalExtras value) noexcept { return put(38, value.bits); }
  [[nodiscard]] Engine engine() noexcept { return Engine(block_ + 39); }
  FuelFigures fuelFiguresCount(std::size_t count) { return {cursor_, count}; }
  PerformanceFigures performanceFiguresCount(std::size_t count) { return {cursor_, count}; }
  CarEncoder& manufacturer(std::string_view value) {
    cursor_.putVar(value);
    return *this;
  }
  CarEncoder& model(std::string_view value) {
    cursor_.putVar(value);
    return *this;
  }
  CarEncoder& activationCode(std::string_view value) {
    cursor_.putVar(value);
    return *this;
  }
  [[nodiscard]] std::size_t encodedLength() const noexcept { return cursor_.position(); }

 private:
  template <class T>
  CarEncoder& put(std::size_t offset, T value) noexcept {
    storeLittle(block_ + offset, value);
    return *this;
  }

  WriteCursor cursor_;
  std::byte* block_;
};

class CarDecoder {
 public:
  class Engine {
   public:
    explicit Engine(const std::byte* block) noexcept : block_(block) {}
    [[nodiscard]] std::uint16_t capacity() const noexcept {
      return loadLittle<std::uint16_t>(block_);
    }
    [[nodiscard]] std::uint8_t numCylinders() const noexcept {
      return loadLittle<std::uint8_t>(block_ + 2);
    }
    [[nodiscard]] static constexpr std::uint16_t maxRpm() noexcept { return 9000; }
    [[nodiscard]] std::string_view manufacturerCode() const noexcept {
      return loadText(block_ + 3, 3);
    }
    [[nodiscard]] static constexpr std::string_view fuel() noexcept { return "Petrol"; }
    [[nodiscard]] std::int8_t efficiency() const noexcept {
      return loadLittle<std::int8_t>(block_ + 6);
    }
    [[nodiscard]] std::uint8_t boosterEnabled() const noexcept {
      return loadLittle<std::uint8_t>(block_ + 7);
    }
    [[nodiscard]] char boostType() const noexcept { return loadLittle<char>(block_ + 8); }
    [[nodiscard]] std::uint8_t horsePower() const noexcept {
      return loadLittle<std::uint8_t>(block_ + 9);
    }

   private:
    const std::byte* block_;
  };

  class FuelFigures {
   public:
    explicit FuelFigures(ReadCursor& cursor) : cursor_(&cursor), group_(cursor, 6) {}
    [[nodiscard]] bool hasNext() const noexcept { return group_.hasNext(); }
    FuelFigures& next() {
      block_ = group_.next();
      return *this;
    }
    [[nodiscard]] std::uint16_t speed() const noexcept { return loadLittle<std::uint16_t>(block_); }
    [[nodiscard]] float mpg() const noexcept { return loadLittle<float>(block_ + 2); }
    [[nodiscard]] std::string_view usageDescription() { return cursor_->getVar(); }

   private:
    ReadCursor* cursor_;
    GroupReader<std::uint16_t> group_;
    const std::byte* block_ = nullptr;
  };

  class Acceleration {
   public:
    explicit Acceleration(ReadCursor& cursor) : group_(cursor, 6) {}
    [[nodiscard]] bool hasNext() const noexcept { return group_.hasNext(); }
    Acceleration& next() {
      block_ = group_.next();
      return *this;
    }
    [[nodiscard]] std::uint16_t mph() const noexcept { return loadLittle<std::uint16_t>(block_); }
    [[nodiscard]] float seconds() const noexcept { return loadLittle<float>(block_ + 2); }

   private:
    GroupReader<std::uint16_t> group_;
    const std::byte* block_ = nullptr;
  };

  class PerformanceFigures {
   public:
    explicit PerformanceFigures(ReadCursor& cursor) : cursor_(&cursor), group_(cursor, 1) {}
    [[nodiscard]] bool hasNext() const noexcept { return group_.hasNext(); }
    PerformanceFigures& next() {
      block_ = group_.next();
      return *this;
    }
    [[nodiscard]] std::uint8_t octaneRating() const noexcept {
      return loadLittle<std::uint8_t>(block_);
    }
    [[nodiscard]] Acceleration acceleration() { return Acceleration(*cursor_); }

   private:
    ReadCursor* cursor_;
    GroupReader<std::uint16_t> group_;
    const std::byte* block_ = nullptr;
  };

  CarDecoder(const std::byte* buffer, std::size_t length)
      : cursor_(buffer, length, CarEncoder::header), block_(cursor_.block()) {}

  [[nodiscard]] std::uint64_t serialNumber() const noexcept {
    return loadLittle<std::uint64_t>(block_);
  }
  [[nodiscard]] std::uint16_t modelYear() const noexcept {
    return loadLittle<std::uint16_t>(block_ + 8);
  }
  [[nodiscard]] std::uint8_t available() const noexcept {
    return loadLittle<std::uint8_t>(block_ + 10);
  }
  [[nodiscard]] char code() const noexcept { return loadLittle<char>(block_ + 11); }
  [[nodiscard]] static constexpr std::size_t someNumbersLength() noexcept { return 5; }
  [[nodiscard]] std::uint32_t someNumbers(std::size_t index) const noexcept {
    return loadLittle<std::uint32_t>(block_ + 12 + 4 * index);
  }
  [[nodiscard]] std::string_view vehicleCode() const noexcept { return loadText(block_ + 32, 6); }
  [[nodiscard]] OptionalExtras extras() const noexcept {
    return OptionalExtras{loadLittle<std::uint8_t>(block_ + 38)};
  }
  [[nodiscard]] static constexpr char discountedModel() noexcept { return 'C'; }
  [[nodiscard]] Engine engine() const noexcept { return Engine(block_ + 39); }
  // Groups and strings are read in schema order, as in SBE.
  [[nodiscard]] FuelFigures fuelFigures() { return FuelFigures(cursor_); }
  [[nodiscard]] PerformanceFigures performanceFigures() { return PerformanceFigures(cursor_); }
  [[nodiscard]] std::string_view manufacturer() { return cursor_.getVar(); }
  [[nodiscard]] std::string_view model() { return cursor_.getVar(); }
  [[nodiscard]] std::string_view activationCode() { return cursor_.getVar(); }
  [[nodiscard]] std::size_t encodedLength() const noexcept { return cursor_.position(); }

 private:
  ReadCursor cursor_;
  const std::byte* block_;
};

}  // namespace bench::handwritten
