// SPDX-License-Identifier: Apache-2.0
#pragma once
// The messages of bench/schemas/bench.wk, hand-written (schema id 7, version 0).

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "handwritten/wire.hpp"

namespace bench::handwritten {

// MarketDataIncrementalRefreshTrades: block of 11 bytes (0 transactTime u64,
// 8 eventTimeDelta u16, 10 matchEventIndicator char), then mdIncGrp <u16, u8>
// of 33-byte entries (0 tradeId u64, 8 securityId u64, 16 mdEntryPx.mantissa
// i64, 24 mdEntrySize.mantissa i32, 28 numberOfOrders u16, 30 mdUpdateAction
// u8, 31 rptSeq u8, 32 aggressorSide char; the exponents and mdEntryType are
// constants).
class MarketDataEncoder {
 public:
  static constexpr MessageHeader header{11, 2, 7, 0};

  class Entries {
   public:
    Entries(WriteCursor& cursor, std::size_t count) : group_(cursor, 33, count) {}
    Entries& next() {
      block_ = group_.next();
      return *this;
    }
    Entries& tradeId(std::uint64_t value) noexcept { return put(0, value); }
    Entries& securityId(std::uint64_t value) noexcept { return put(8, value); }
    Entries& mdEntryPx(std::int64_t mantissa) noexcept { return put(16, mantissa); }
    Entries& mdEntrySize(std::int32_t mantissa) noexcept { return put(24, mantissa); }
    Entries& numberOfOrders(std::uint16_t value) noexcept { return put(28, value); }
    Entries& mdUpdateAction(std::uint8_t value) noexcept { return put(30, value); }
    Entries& rptSeq(std::uint8_t value) noexcept { return put(31, value); }
    Entries& aggressorSide(char value) noexcept { return put(32, value); }

   private:
    template <class T>
    Entries& put(std::size_t offset, T value) noexcept {
      storeLittle(block_ + offset, value);
      return *this;
    }
    GroupWriter<std::uint8_t> group_;
    std::byte* block_ = nullptr;
  };

  MarketDataEncoder(std::byte* buffer, std::size_t capacity)
      : cursor_(buffer, capacity, header), block_(cursor_.block()) {}

  MarketDataEncoder& transactTime(std::uint64_t value) noexcept {
    storeLittle(block_, value);
    return *this;
  }
  MarketDataEncoder& eventTimeDelta(std::uint16_t value) noexcept {
    storeLittle(block_ + 8, value);
    return *this;
  }
  MarketDataEncoder& matchEventIndicator(char value) noexcept {
    storeLittle(block_ + 10, value);
    return *this;
  }
  Entries mdIncGrpCount(std::size_t count) { return {cursor_, count}; }
  [[nodiscard]] std::size_t encodedLength() const noexcept { return cursor_.position(); }

 private:
  WriteCursor cursor_;
  std::byte* block_;
};

class MarketDataDecoder {
 public:
  class Entries {
   public:
    explicit Entries(ReadCursor& cursor) : group_(cursor, 33) {}
    [[nodiscard]] bool hasNext() const noexcept { return group_.hasNext(); }
    Entries& next() {
      block_ = group_.next();
      return *this;
    }
    [[nodiscard]] std::uint64_t tradeId() const noexcept { return get<std::uint64_t>(0); }
    [[nodiscard]] std::uint64_t securityId() const noexcept { return get<std::uint64_t>(8); }
    [[nodiscard]] std::int64_t mdEntryPxMantissa() const noexcept { return get<std::int64_t>(16); }
    [[nodiscard]] static constexpr std::int8_t mdEntryPxExponent() noexcept { return 7; }
    [[nodiscard]] std::int32_t mdEntrySizeMantissa() const noexcept {
      return get<std::int32_t>(24);
    }
    [[nodiscard]] static constexpr std::int8_t mdEntrySizeExponent() noexcept { return 0; }
    [[nodiscard]] std::uint16_t numberOfOrders() const noexcept { return get<std::uint16_t>(28); }
    [[nodiscard]] std::uint8_t mdUpdateAction() const noexcept { return get<std::uint8_t>(30); }
    [[nodiscard]] std::uint8_t rptSeq() const noexcept { return get<std::uint8_t>(31); }
    [[nodiscard]] char aggressorSide() const noexcept { return get<char>(32); }
    [[nodiscard]] static constexpr char mdEntryType() noexcept { return '2'; }

   private:
    template <class T>
    [[nodiscard]] T get(std::size_t offset) const noexcept {
      return loadLittle<T>(block_ + offset);
    }
    GroupReader<std::uint8_t> group_;
    const std::byte* block_ = nullptr;
  };

  MarketDataDecoder(const std::byte* buffer, std::size_t length)
      : cursor_(buffer, length, MarketDataEncoder::header), block_(cursor_.block()) {}

  [[nodiscard]] std::uint64_t transactTime() const noexcept {
    return loadLittle<std::uint64_t>(block_);
  }
  [[nodiscard]] std::uint16_t eventTimeDelta() const noexcept {
    return loadLittle<std::uint16_t>(block_ + 8);
  }
  [[nodiscard]] char matchEventIndicator() const noexcept { return loadLittle<char>(block_ + 10); }
  [[nodiscard]] Entries mdIncGrp() { return Entries(cursor_); }

 private:
  ReadCursor cursor_;
  const std::byte* block_;
};

// Heartbeat: block of 8 bytes (0 sentAt u64); 16 bytes on the wire.
class HeartbeatEncoder {
 public:
  static constexpr MessageHeader header{8, 3, 7, 0};

  HeartbeatEncoder(std::byte* buffer, std::size_t capacity) : cursor_(buffer, capacity, header) {}
  HeartbeatEncoder& sentAt(std::uint64_t value) noexcept {
    storeLittle(cursor_.block(), value);
    return *this;
  }
  [[nodiscard]] std::size_t encodedLength() const noexcept { return cursor_.position(); }

 private:
  WriteCursor cursor_;
};

class HeartbeatDecoder {
 public:
  HeartbeatDecoder(const std::byte* buffer, std::size_t length)
      : cursor_(buffer, length, HeartbeatEncoder::header) {}
  [[nodiscard]] std::uint64_t sentAt() const noexcept {
    return loadLittle<std::uint64_t>(cursor_.block());
  }

 private:
  ReadCursor cursor_;
};

// Blob: block of 8 bytes (0 offset u64), then data (u32 length).
class BlobEncoder {
 public:
  static constexpr MessageHeader header{8, 4, 7, 0};

  BlobEncoder(std::byte* buffer, std::size_t capacity) : cursor_(buffer, capacity, header) {}
  BlobEncoder& offset(std::uint64_t value) noexcept {
    storeLittle(cursor_.block(), value);
    return *this;
  }
  BlobEncoder& data(std::span<const std::byte> bytes) {
    cursor_.putVar(bytes.data(), bytes.size());
    return *this;
  }
  [[nodiscard]] std::size_t encodedLength() const noexcept { return cursor_.position(); }

 private:
  WriteCursor cursor_;
};

class BlobDecoder {
 public:
  BlobDecoder(const std::byte* buffer, std::size_t length)
      : cursor_(buffer, length, BlobEncoder::header) {}
  [[nodiscard]] std::uint64_t offset() const noexcept {
    return loadLittle<std::uint64_t>(cursor_.block());
  }
  [[nodiscard]] std::span<const std::byte> data() {
    const std::string_view bytes = cursor_.getVar();
    return {reinterpret_cast<const std::byte*>(bytes.data()), bytes.size()};
  }

 private:
  ReadCursor cursor_;
};

// Order: block of 43 bytes (0 orderId u64, 8 accountId u32, 12 instrumentId
// u32, 16 price f64, 24 quantity u32, 28 side u8, 29 orderType u8, 30 timestamp
// u64, 38 sequence u32, 42 active bool), then note (u32 length).
class OrderEncoder {
 public:
  static constexpr MessageHeader header{43, 5, 7, 0};

  OrderEncoder(std::byte* buffer, std::size_t capacity)
      : cursor_(buffer, capacity, header), block_(cursor_.block()) {}
  OrderEncoder& orderId(std::uint64_t value) noexcept { return put(0, value); }
  OrderEncoder& accountId(std::uint32_t value) noexcept { return put(8, value); }
  OrderEncoder& instrumentId(std::uint32_t value) noexcept { return put(12, value); }
  OrderEncoder& price(double value) noexcept { return put(16, value); }
  OrderEncoder& quantity(std::uint32_t value) noexcept { return put(24, value); }
  OrderEncoder& side(std::uint8_t value) noexcept { return put(28, value); }
  OrderEncoder& orderType(std::uint8_t value) noexcept { return put(29, value); }
  OrderEncoder& timestamp(std::uint64_t value) noexcept { return put(30, value); }
  OrderEncoder& sequence(std::uint32_t value) noexcept { return put(38, value); }
  OrderEncoder& active(bool value) noexcept { return put(42, static_cast<std::uint8_t>(value)); }
  OrderEncoder& note(std::string_view value) {
    cursor_.putVar(value);
    return *this;
  }
  [[nodiscard]] std::size_t encodedLength() const noexcept { return cursor_.position(); }

 private:
  template <class T>
  OrderEncoder& put(std::size_t offset, T value) noexcept {
    storeLittle(block_ + offset, value);
    return *this;
  }
  WriteCursor cursor_;
  std::byte* block_;
};

class OrderDecoder {
 public:
  OrderDecoder(const std::byte* buffer, std::size_t length)
      : cursor_(buffer, length, OrderEncoder::header), block_(cursor_.block()) {}
  [[nodiscard]] std::uint64_t orderId() const noexcept { return get<std::uint64_t>(0); }
  [[nodiscard]] std::uint32_t accountId() const noexcept { return get<std::uint32_t>(8); }
  [[nodiscard]] std::uint32_t instrumentId() const noexcept { return get<std::uint32_t>(12); }
  [[nodiscard]] double price() const noexcept { return get<double>(16); }
  [[nodiscard]] std::uint32_t quantity() const noexcept { return get<std::uint32_t>(24); }
  [[nodiscard]] std::uint8_t side() const noexcept { return get<std::uint8_t>(28); }
  [[nodiscard]] std::uint8_t orderType() const noexcept { return get<std::uint8_t>(29); }
  [[nodiscard]] std::uint64_t timestamp() const noexcept { return get<std::uint64_t>(30); }
  [[nodiscard]] std::uint32_t sequence() const noexcept { return get<std::uint32_t>(38); }
  [[nodiscard]] bool active() const noexcept { return get<std::uint8_t>(42) != 0; }
  [[nodiscard]] std::string_view note() { return cursor_.getVar(); }

 private:
  template <class T>
  [[nodiscard]] T get(std::size_t offset) const noexcept {
    return loadLittle<T>(block_ + offset);
  }
  ReadCursor cursor_;
  const std::byte* block_;
};

}  // namespace bench::handwritten
