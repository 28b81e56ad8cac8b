// Generated from car.wk by the wirekit schema compiler. Do not edit.
#pragma once

#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <exception>
#include <initializer_list>
#include <iterator>
#include <limits>
#include <optional>
#include <span>
#include <string_view>
#include <variant>

#include <fmt/core.h>

#include "wirekit/codec/codec.hpp"

namespace baseline {

// The schema: its id, version and byte order, and the message header.
struct Schema {
  static constexpr std::uint16_t schemaId = 1;
  static constexpr std::uint16_t version = 0;
  static constexpr ::wirekit::ByteOrder byteOrder = ::wirekit::ByteOrder::little;
  static constexpr std::string_view package = "baseline";
  static constexpr std::size_t headerSize = 8;
};

using ModelYear = std::uint16_t;

using Ron = std::uint8_t;

using Percentage = std::int8_t;

enum class BooleanType : std::uint8_t {
  F = std::uint8_t{0},
  T = std::uint8_t{1},
};

// The member's name, or "" for a value that has none.
[[nodiscard]] constexpr std::string_view to_string(BooleanType value) noexcept {
  switch (value) {
    case BooleanType::F:
      return "F";
    case BooleanType::T:
      return "T";
  }
  return {};
}

enum class Model : char {
  A = 'A',
  B = 'B',
  C = 'C',
};

// The member's name, or "" for a value that has none.
[[nodiscard]] constexpr std::string_view to_string(Model value) noexcept {
  switch (value) {
    case Model::A:
      return "A";
    case Model::B:
      return "B";
    case Model::C:
      return "C";
  }
  return {};
}

enum class BoostType : char {
  TURBO = 'T',
  SUPERCHARGER = 'S',
  NITROUS = 'N',
  KERS = 'K',
};

// The member's name, or "" for a value that has none.
[[nodiscard]] constexpr std::string_view to_string(BoostType value) noexcept {
  switch (value) {
    case BoostType::TURBO:
      return "TURBO";
    case BoostType::SUPERCHARGER:
      return "SUPERCHARGER";
    case BoostType::NITROUS:
      return "NITROUS";
    case BoostType::KERS:
      return "KERS";
  }
  return {};
}

// A set of flags: a value type with a getter and a chaining setter per flag.
class OptionalExtras {
 public:
  using Underlying = std::uint8_t;
  // The flag names by bit number ("" where a bit has none).
  static constexpr std::array<std::string_view, 8> namesByBit{
"sunRoof", "sportsPack", "cruiseControl", "", "", "", "", ""};

  constexpr OptionalExtras() noexcept = default;
  constexpr explicit OptionalExtras(Underlying bits) noexcept : bits_(bits) {}
  [[nodiscard]] constexpr Underlying bits() const noexcept { return bits_; }

  [[nodiscard]] constexpr bool sunRoof() const noexcept { return ((bits_ >> 0) & 1U) != 0; }
  constexpr OptionalExtras& sunRoof(bool on) noexcept {
    constexpr auto mask = static_cast<Underlying>(Underlying{1} << 0);
    bits_ = static_cast<Underlying>(on ? (bits_ | mask) : (bits_ & static_cast<Underlying>(~mask)));
    return *this;
  }

  [[nodiscard]] constexpr bool sportsPack() const noexcept { return ((bits_ >> 1) & 1U) != 0; }
  constexpr OptionalExtras& sportsPack(bool on) noexcept {
    constexpr auto mask = static_cast<Underlying>(Underlying{1} << 1);
    bits_ = static_cast<Underlying>(on ? (bits_ | mask) : (bits_ & static_cast<Underlying>(~mask)));
    return *this;
  }

  [[nodiscard]] constexpr bool cruiseControl() const noexcept { return ((bits_ >> 2) & 1U) != 0; }
  constexpr OptionalExtras& cruiseControl(bool on) noexcept {
    constexpr auto mask = static_cast<Underlying>(Underlying{1} << 2);
    bits_ = static_cast<Underlying>(on ? (bits_ | mask) : (bits_ & static_cast<Underlying>(~mask)));
    return *this;
  }

  friend constexpr bool operator==(OptionalExtras, OptionalExtras) noexcept = default;

 private:
  Underlying bits_ = 0;
};

// struct Booster: 2 bytes, read and written in place.
struct Booster {
  static constexpr std::size_t size = 2;

  class Decoder {
   public:
    explicit Decoder(const std::byte* block) noexcept : block_(block) {}
    [[nodiscard]] ::baseline::BoostType boostType() const noexcept {
      return ::wirekit::codec::loadValue<::baseline::BoostType, ::wirekit::ByteOrder::little>(block_ + 0);
    }
    [[nodiscard]] std::uint8_t horsePower() const noexcept {
      return ::wirekit::codec::loadValue<std::uint8_t, ::wirekit::ByteOrder::little>(block_ + 1);
    }

    template <std::same_as<::wirekit::codec::JsonWriter> Writer>
    void writeFields(Writer& writer) const {
      writer.beginObject();
      writer.key("boostType");
      { const auto e = boostType(); writer.enumValue(to_string(e), static_cast<char>(e)); }
      writer.key("horsePower");
      writer.integer(horsePower());

      writer.endObject();
    }

   private:
    [[maybe_unused]] const std::byte* block_;
  };

  class Encoder {
   public:
    // The struct at `block`, whose members' setters record them written
    // through `marks` (see wirekit/codec/unset_fields.hpp; none by default).
    explicit Encoder(std::byte* block, ::wirekit::codec::FieldMarks marks = {}) noexcept
        : block_(block), fieldMarks_(marks) {}
    Encoder& boostType(::baseline::BoostType value) noexcept {
      ::wirekit::codec::storeValue<::baseline::BoostType, ::wirekit::ByteOrder::little>(block_ + 0, value);
      written_(0);
      return *this;
    }
    Encoder& horsePower(std::uint8_t value) noexcept {
      ::wirekit::codec::storeValue<std::uint8_t, ::wirekit::ByteOrder::little>(block_ + 1, value);
      written_(1);
      return *this;
    }

   private:
    void written_(unsigned field) const noexcept { fieldMarks_.written(field); }

    [[maybe_unused]] std::byte* block_;
    ::wirekit::codec::FieldMarks fieldMarks_;
  };
};

// struct Engine: 10 bytes, read and written in place.
struct Engine {
  static constexpr std::size_t size = 10;

  class Decoder {
   public:
    explicit Decoder(const std::byte* block) noexcept : block_(block) {}
    [[nodiscard]] std::uint16_t capacity() const noexcept {
      return ::wirekit::codec::loadValue<std::uint16_t, ::wirekit::ByteOrder::little>(block_ + 0);
    }
    [[nodiscard]] std::uint8_t numCylinders() const noexcept {
      return ::wirekit::codec::loadValue<std::uint8_t, ::wirekit::ByteOrder::little>(block_ + 2);
    }
    [[nodiscard]] static constexpr std::uint16_t maxRpm() noexcept { return std::uint16_t{9000}; }
    [[nodiscard]] std::string_view manufacturerCode() const noexcept {
      return ::wirekit::codec::textView(block_ + 3, 3);
    }
    [[nodiscard]] static constexpr std::string_view fuel() noexcept { return "Petrol"; }
    [[nodiscard]] std::int8_t efficiency() const noexcept {
      return ::wirekit::codec::loadValue<std::int8_t, ::wirekit::ByteOrder::little>(block_ + 6);
    }
    [[nodiscard]] ::baseline::BooleanType boosterEnabled() const noexcept {
      return ::wirekit::codec::loadValue<::baseline::BooleanType, ::wirekit::ByteOrder::little>(block_ + 7);
    }
    [[nodiscard]] ::baseline::Booster::Decoder booster() const noexcept {
      return ::baseline::Booster::Decoder(block_ + 8);
    }

    template <std::same_as<::wirekit::codec::JsonWriter> Writer>
    void writeFields(Writer& writer) const {
      writer.beginObject();
      writer.key("capacity");
      writer.integer(capacity());
      writer.key("numCylinders");
      writer.integer(numCylinders());
      writer.key("maxRpm");
      writer.integer(maxRpm());
      writer.key("manufacturerCode");
      writer.latin1(manufacturerCode());
      writer.key("fuel");
      writer.latin1(fuel());
      writer.key("efficiency");
      writer.integer(efficiency());
      writer.key("boosterEnabled");
      { const auto e = boosterEnabled(); writer.enumValue(to_string(e), static_cast<std::uint8_t>(e)); }
      writer.key("booster");
      booster().writeFields(writer);

      writer.endObject();
    }

   private:
    [[maybe_unused]] const std::byte* block_;
  };

  class Encoder {
   public:
    // The struct at `block`, whose members' setters record them written
    // through `marks` (see wirekit/codec/unset_fields.hpp; none by default).
    explicit Encoder(std::byte* block, ::wirekit::codec::FieldMarks marks = {}) noexcept
        : block_(block), fieldMarks_(marks) {}
    Encoder& capacity(std::uint16_t value) noexcept {
      ::wirekit::codec::storeValue<std::uint16_t, ::wirekit::ByteOrder::little>(block_ + 0, value);
      written_(0);
      return *this;
    }
    Encoder& numCylinders(std::uint8_t value) noexcept {
      ::wirekit::codec::storeValue<std::uint8_t, ::wirekit::ByteOrder::little>(block_ + 2, value);
      written_(1);
      return *this;
    }
    [[nodiscard]] static constexpr std::uint16_t maxRpm() noexcept { return std::uint16_t{9000}; }
    // NUL-padded; EncodeError if longer than 3 bytes.
    Encoder& manufacturerCode(std::string_view value) {
      ::wirekit::codec::storeText<3>(block_ + 3, value, "Engine.manufacturerCode");
      written_(2);
      return *this;
    }
    [[nodiscard]] static constexpr std::string_view fuel() noexcept { return "Petrol"; }
    Encoder& efficiency(std::int8_t value) noexcept {
      ::wirekit::codec::storeValue<std::int8_t, ::wirekit::ByteOrder::little>(block_ + 6, value);
      written_(3);
      return *this;
    }
    Encoder& boosterEnabled(::baseline::BooleanType value) noexcept {
      ::wirekit::codec::storeValue<::baseline::BooleanType, ::wirekit::ByteOrder::little>(block_ + 7, value);
      written_(4);
      return *this;
    }
    [[nodiscard]] ::baseline::Booster::Encoder booster() noexcept { return ::baseline::Booster::Encoder(block_ + 8, marks_(5)); }

   private:
    void written_(unsigned field) const noexcept { fieldMarks_.written(field); }
    [[nodiscard]] ::wirekit::codec::FieldMarks marks_(unsigned first) const noexcept { return fieldMarks_.nested(first); }

    [[maybe_unused]] std::byte* block_;
    ::wirekit::codec::FieldMarks fieldMarks_;
  };
};

// message Car = 1: block of 49 bytes.
struct Car {
  static constexpr std::uint16_t templateId = 1;
  static constexpr std::uint16_t schemaId = 1;
  static constexpr std::uint16_t schemaVersion = 0;
  static constexpr std::uint16_t blockLength = 49;
  static constexpr std::string_view name = "Car";
  // The block bytes a sender of `version` writes: the least a wire block length may be.
  [[nodiscard]] static constexpr std::size_t requiredBlockLength([[maybe_unused]] std::uint64_t version) noexcept {
    return 49;
  }

  struct FuelFigures {
    static constexpr std::size_t blockLength = 6;
    // The block bytes a sender of `version` writes: the least a wire block length may be.
    [[nodiscard]] static constexpr std::size_t requiredBlockLength([[maybe_unused]] std::uint64_t version) noexcept {
      return 6;
    }

    static constexpr ::wirekit::codec::PartInfo partInfo[] = {
        {"usageDescription", ::wirekit::codec::PartKind::string, 4, 0, 4294967295U, 0, nullptr},
    };
    static constexpr ::wirekit::codec::BlockInfo blockInfo{"Car.fuelFigures", partInfo, 1, 6, ::wirekit::ByteOrder::little};

    static void initBlock([[maybe_unused]] std::byte* block) noexcept {
    }

    // The block is complete: writes its fields that no setter wrote (bit k of
    // `unset` for field k) zero, optional ones null.
    static void completeUnset([[maybe_unused]] std::byte* block, [[maybe_unused]] std::uint64_t unset) noexcept {
      if ((unset & (std::uint64_t{1} << 0)) != 0) {
        ::wirekit::codec::zeroBlock<2>(block + 0);  // Car.fuelFigures.speed
      }
      if ((unset & (std::uint64_t{1} << 1)) != 0) {
        ::wirekit::codec::zeroBlock<4>(block + 2);  // Car.fuelFigures.mpg
      }
    }

    static std::size_t walkParts(const std::byte* data, std::size_t size, std::size_t pos,
                                 [[maybe_unused]] std::uint64_t version,
                                 const ::wirekit::codec::PathNode& path, std::size_t* parts) {
      parts[0] = pos;
      pos = ::wirekit::codec::skipVar<std::uint32_t, ::wirekit::ByteOrder::little>(data, size, pos, 4294967295U, path, "usageDescription");
      parts[1] = pos;
      return pos;
    }

    static std::size_t scanParts(const std::byte* data, std::size_t size, std::size_t pos,
                                 [[maybe_unused]] std::uint64_t version) {
      pos = ::wirekit::codec::scanVar<Car, std::uint32_t, ::wirekit::ByteOrder::little, true, 0>(data, size, pos, 4294967295U);
      return pos;
    }

    static std::size_t locateParts(const std::byte* data, std::size_t pos,
                                   [[maybe_unused]] std::uint64_t version, std::size_t* parts) noexcept {
      parts[0] = pos;
      pos = pos + 4 + static_cast<std::size_t>(::wirekit::load<std::uint32_t, ::wirekit::ByteOrder::little>(data + pos));
      parts[1] = pos;
      return pos;
    }

    // Checks the group at pos (dimension, then every entry) against the view;
    // returns the offset just after it.
    static std::size_t walk(const std::byte* data, std::size_t size, std::size_t pos,
                            std::uint64_t version, const ::wirekit::codec::PathNode& parent) {
      const auto dimension = ::wirekit::codec::readDimension<std::uint16_t, std::uint16_t, ::wirekit::ByteOrder::little>(
          data, size, pos, requiredBlockLength(version), 65535U, version, parent, "fuelFigures");
      std::array<std::size_t, 2> parts{};
      pos = dimension.entries;
      for (std::size_t i = 0; i < dimension.count; ++i) {
        const ::wirekit::codec::PathNode entry{&parent, "fuelFigures", i};
        const std::size_t start = pos;
        pos = ::wirekit::codec::checkEntryBlock(dimension.blockLength, pos, size, entry);
        pos = walkParts(data, size, pos, version, entry, parts.data());
        if (pos == start) break;  // empty entries: all the rest are empty too
      }
      return pos;
    }

    // walk() for decode()'s usual path: Car::fail_ reports what fails.
    // checked: the dimension was checked to fit; need: see scanEntries.
    template <bool checked, std::size_t need>
    static std::size_t scan(const std::byte* data, std::size_t size, std::size_t pos,
                            [[maybe_unused]] std::uint64_t version) {
      const auto dimension = ::wirekit::codec::scanDimension<Car, std::uint16_t, std::uint16_t, ::wirekit::ByteOrder::little, checked>(
          data, size, pos, requiredBlockLength(version), 65535U);
      pos = dimension.entries;
      for (std::size_t i = 0; i < dimension.count; ++i) {
        pos = ::wirekit::codec::scanBlock<Car, 4>(data, size, dimension.blockLength, pos);
        pos = scanParts(data, size, pos, version);
      }
      return pos;
    }

    // walk() without the checks, for a group that decode() has walked already.
    static std::size_t skip(const std::byte* data, std::size_t pos,
                            [[maybe_unused]] std::uint64_t version) noexcept {
      const std::size_t blockLength = ::wirekit::load<std::uint16_t, ::wirekit::ByteOrder::little>(data + pos);
      const std::size_t count = ::wirekit::load<std::uint16_t, ::wirekit::ByteOrder::little>(data + pos + 2);
      pos += 4;
      std::array<std::size_t, 2> parts{};
      for (std::size_t i = 0; i < count; ++i) {
        const std::size_t start = pos;
        pos = locateParts(data, pos + blockLength, version, parts.data());
        if (pos == start) break;  // empty entries: all the rest are empty too
      }
      return pos;
    }

    // One entry, as the group's range gives it.
    class EntryDecoder {
     public:
      EntryDecoder() noexcept = default;
      EntryDecoder(const std::byte* data, [[maybe_unused]] std::size_t size, std::size_t pos,
                   std::size_t blockLength, std::uint64_t version, [[maybe_unused]] std::size_t index)
          : data_(data), size_(size), block_(data + pos), version_(version), blockLength_(blockLength) {
        locateParts(data, pos + blockLength, version, parts_.data());
      }

      [[nodiscard]] std::uint16_t speed() const noexcept {
        return ::wirekit::codec::loadValue<std::uint16_t, ::wirekit::ByteOrder::little>(block_ + 0);
      }
      [[nodiscard]] float mpg() const noexcept {
        return ::wirekit::codec::loadValue<float, ::wirekit::ByteOrder::little>(block_ + 2);
      }

      [[nodiscard]] std::string_view usageDescription() const noexcept {
        const std::size_t start = parts_[0] + 4;
        return std::string_view(reinterpret_cast<const char*>(data_ + start), parts_[1] - start);
      }

      [[nodiscard]] std::uint64_t actingVersion() const noexcept { return version_; }
      [[nodiscard]] std::size_t actingBlockLength() const noexcept { return blockLength_; }
      // The offset in the view just after this entry.
      [[nodiscard]] std::size_t end_() const noexcept { return parts_[1]; }

      template <std::same_as<::wirekit::codec::JsonWriter> Writer>
      void writeFields(Writer& writer) const {
        writer.beginObject();
        writer.key("speed");
        writer.integer(speed());
        writer.key("mpg");
        writer.number(mpg());

        writer.key("usageDescription");
        writer.string(usageDescription());

        writer.endObject();
      }

     private:
      [[maybe_unused]] const std::byte* data_ = nullptr;
      [[maybe_unused]] std::size_t size_ = 0;
      [[maybe_unused]] const std::byte* block_ = nullptr;
      [[maybe_unused]] std::uint64_t version_ = 0;
      std::size_t blockLength_ = 0;
      std::array<std::size_t, 2> parts_{};
    };

    // The entries of the group: a range of EntryDecoder.
    class Decoder {
     public:
      class iterator {
       public:
        using iterator_category = std::forward_iterator_tag;
        using value_type = EntryDecoder;
        using difference_type = std::ptrdiff_t;
        using pointer = const EntryDecoder*;
        using reference = const EntryDecoder&;

        iterator() noexcept = default;
        iterator(const Decoder& group, std::size_t index)
            : data_(group.data_), size_(group.size_), blockLength_(group.blockLength_),
              version_(group.version_), count_(group.count_), index_(index) {
          if (index_ < count_) entry_ = EntryDecoder(data_, size_, group.entries_, blockLength_, version_, 0);
        }
        reference operator*() const noexcept { return entry_; }
        pointer operator->() const noexcept { return &entry_; }
        // Not at the end (as for any iterator).
        iterator& operator++() {
          if (index_ >= count_) __builtin_unreachable();  // so that `== end()` needs no compare of its own
          if (++index_ < count_) entry_ = EntryDecoder(data_, size_, entry_.end_(), blockLength_, version_, index_);
          return *this;
        }
        iterator operator++(int) {
          iterator old = *this;
          ++*this;
          return old;
        }
        friend bool operator==(const iterator& a, const iterator& b) noexcept { return a.index_ == b.index_; }

       private:
        const std::byte* data_ = nullptr;
        std::size_t size_ = 0;
        std::size_t blockLength_ = 0;
        std::uint64_t version_ = 0;
        std::size_t count_ = 0;
        std::size_t index_ = 0;
        EntryDecoder entry_;
      };

      // No entries (a group that the acting version does not have).
      Decoder() noexcept = default;
      // The group whose dimension is at pos; decode() checked it.
      Decoder(const std::byte* data, std::size_t size, std::size_t pos, std::uint64_t version) noexcept
          : data_(data), size_(size),
            entries_(pos + 4),
            count_(::wirekit::load<std::uint16_t, ::wirekit::ByteOrder::little>(data + pos + 2)),
            blockLength_(::wirekit::load<std::uint16_t, ::wirekit::ByteOrder::little>(data + pos)),
            version_(version) {}

      [[nodiscard]] std::size_t size() const noexcept { return count_; }
      [[nodiscard]] bool empty() const noexcept { return count_ == 0; }
      [[nodiscard]] iterator begin() const { return iterator(*this, 0); }
      [[nodiscard]] iterator end() const noexcept { return iterator(*this, count_); }

     private:
      const std::byte* data_ = nullptr;
      std::size_t size_ = 0;
      std::size_t entries_ = 0;
      std::size_t count_ = 0;
      std::size_t blockLength_ = 0;
      std::uint64_t version_ = 0;
    };

    // Writes one entry: fixed fields in any order, then its groups and
    // string/bytes fields in schema order.
    class EntryEncoder {
     public:
      EntryEncoder(std::byte* block, [[maybe_unused]] ::wirekit::codec::EncoderStateStorage<3>* state,
                   [[maybe_unused]] std::uint64_t generation, [[maybe_unused]] bool last) noexcept
          : block_(block), state_(state), generation_(generation), last_(last) {}

      EntryEncoder& speed(std::uint16_t value) noexcept {
        ::wirekit::codec::storeValue<std::uint16_t, ::wirekit::ByteOrder::little>(block_ + 0, value);
        written_(0);
        return *this;
      }
      EntryEncoder& mpg(float value) noexcept {
        ::wirekit::codec::storeValue<float, ::wirekit::ByteOrder::little>(block_ + 2, value);
        written_(1);
        return *this;
      }

      EntryEncoder& usageDescription(std::string_view value) {
        std::byte* at = state_->beginVar<std::uint32_t, ::wirekit::ByteOrder::little, 1, 0, 4294967295U>(generation_, value.size());
        if (last_) state_->close<1, false>();
        ::wirekit::codec::copyBytes(at, value.data(), value.size());
        return *this;
      }

     private:
      // Through the state: an encoder of an entry that is no longer being
      // written (another began at this depth) records nothing.
      void written_(unsigned field) const noexcept { state_->unsetFields<1>().written(block_, field); }

      [[maybe_unused]] std::byte* block_;
      [[maybe_unused]] ::wirekit::codec::EncoderStateStorage<3>* state_;
      [[maybe_unused]] std::uint64_t generation_;  // this entry's
      [[maybe_unused]] bool last_;                 // the last entry of the group
    };

    // Writes the entries of a group whose count was given; keeps the count, how
    // many entries were begun, and the cursor the state has once the current
    // entry is complete.
    class Encoder {
     public:
      Encoder(::wirekit::codec::EncoderStateStorage<3>* state, std::uint64_t group, std::size_t count) noexcept
          : state_(state), group_(group), expected_(group), count_(count) {}
      // The next entry; call it exactly `count` times. Its fields left unset
      // are written zero (optional ones null) once it is complete.
      [[nodiscard]] EntryEncoder next() {
        const auto entry = state_->nextEntry<1, 6>(group_, expected_, index_, count_, blockInfo);
        index_ = entry.index;
        expected_ = entry.generation + 1;
        initBlock(entry.block);
        state_->beginFields<1>(entry.block, 0x3ULL, &completeUnset);
        const bool last = index_ == count_;
        return EntryEncoder(entry.block, state_, entry.generation, last);
      }

     private:
      ::wirekit::codec::EncoderStateStorage<3>* state_;
      std::uint64_t group_;  // its id (0: no entries)
      std::uint64_t expected_;
      std::size_t count_;
      std::size_t index_ = 0;
    };
  };

  struct PerformanceFigures {
    static constexpr std::size_t blockLength = 1;
    // The block bytes a sender of `version` writes: the least a wire block length may be.
    [[nodiscard]] static constexpr std::size_t requiredBlockLength([[maybe_unused]] std::uint64_t version) noexcept {
      return 1;
    }

    struct Acceleration {
      static constexpr std::size_t blockLength = 6;
      // The block bytes a sender of `version` writes: the least a wire block length may be.
      [[nodiscard]] static constexpr std::size_t requiredBlockLength([[maybe_unused]] std::uint64_t version) noexcept {
        return 6;
      }

      static constexpr ::wirekit::codec::BlockInfo blockInfo{"Car.performanceFigures.acceleration", nullptr, 0, 6, ::wirekit::ByteOrder::little};

      static void initBlock([[maybe_unused]] std::byte* block) noexcept {
      }

      // The block is complete: writes its fields that no setter wrote (bit k of
      // `unset` for field k) zero, optional ones null.
      static void completeUnset([[maybe_unused]] std::byte* block, [[maybe_unused]] std::uint64_t unset) noexcept {
        if ((unset & (std::uint64_t{1} << 0)) != 0) {
          ::wirekit::codec::zeroBlock<2>(block + 0);  // Car.performanceFigures.acceleration.mph
        }
        if ((unset & (std::uint64_t{1} << 1)) != 0) {
          ::wirekit::codec::zeroBlock<4>(block + 2);  // Car.performanceFigures.acceleration.seconds
        }
      }




      // Checks the group at pos (dimension, then every entry) against the view;
      // returns the offset just after it.
      static std::size_t walk(const std::byte* data, std::size_t size, std::size_t pos,
                              std::uint64_t version, const ::wirekit::codec::PathNode& parent) {
        const auto dimension = ::wirekit::codec::readDimension<std::uint16_t, std::uint16_t, ::wirekit::ByteOrder::little>(
            data, size, pos, requiredBlockLength(version), 65535U, version, parent, "acceleration");
        (void)data;
        return ::wirekit::codec::skipEntries(dimension, size, parent, "acceleration");
      }

      // walk() for decode()'s usual path: Car::fail_ reports what fails.
      // checked: the dimension was checked to fit; need: see scanEntries.
      template <bool checked, std::size_t need>
      static std::size_t scan(const std::byte* data, std::size_t size, std::size_t pos,
                              [[maybe_unused]] std::uint64_t version) {
        const auto dimension = ::wirekit::codec::scanDimension<Car, std::uint16_t, std::uint16_t, ::wirekit::ByteOrder::little, checked>(
            data, size, pos, requiredBlockLength(version), 65535U);
        return ::wirekit::codec::scanEntries<Car, need>(data, size, dimension);
      }

      // walk() without the checks, for a group that decode() has walked already.
      static std::size_t skip(const std::byte* data, std::size_t pos,
                              [[maybe_unused]] std::uint64_t version) noexcept {
        const std::size_t blockLength = ::wirekit::load<std::uint16_t, ::wirekit::ByteOrder::little>(data + pos);
        const std::size_t count = ::wirekit::load<std::uint16_t, ::wirekit::ByteOrder::little>(data + pos + 2);
        pos += 4;
        return pos + count * blockLength;
      }

      // One entry, as the group's range gives it.
      class EntryDecoder {
       public:
        EntryDecoder() noexcept = default;
        EntryDecoder(const std::byte* data, [[maybe_unused]] std::size_t size, std::size_t pos,
                     std::size_t blockLength, std::uint64_t version, [[maybe_unused]] std::size_t index)
            : data_(data), size_(size), block_(data + pos), version_(version), blockLength_(blockLength) {
          parts_[0] = pos + blockLength;
        }

        [[nodiscard]] std::uint16_t mph() const noexcept {
          return ::wirekit::codec::loadValue<std::uint16_t, ::wirekit::ByteOrder::little>(block_ + 0);
        }
        [[nodiscard]] float seconds() const noexcept {
          return ::wirekit::codec::loadValue<float, ::wirekit::ByteOrder::little>(block_ + 2);
        }

      
        [[nodiscard]] std::uint64_t actingVersion() const noexcept { return version_; }
        [[nodiscard]] std::size_t actingBlockLength() const noexcept { return blockLength_; }
        // The offset in the view just after this entry.
        [[nodiscard]] std::size_t end_() const noexcept { return parts_[0]; }

        template <std::same_as<::wirekit::codec::JsonWriter> Writer>
        void writeFields(Writer& writer) const {
          writer.beginObject();
          writer.key("mph");
          writer.integer(mph());
          writer.key("seconds");
          writer.number(seconds());

      
          writer.endObject();
        }

       private:
        [[maybe_unused]] const std::byte* data_ = nullptr;
        [[maybe_unused]] std::size_t size_ = 0;
        [[maybe_unused]] const std::byte* block_ = nullptr;
        [[maybe_unused]] std::uint64_t version_ = 0;
        std::size_t blockLength_ = 0;
        std::array<std::size_t, 1> parts_{};
      };

      // The entries of the group: a range of EntryDecoder.
      class Decoder {
       public:
        class iterator {
         public:
          using iterator_category = std::forward_iterator_tag;
          using value_type = EntryDecoder;
          using difference_type = std::ptrdiff_t;
          using pointer = const EntryDecoder*;
          using reference = const EntryDecoder&;

          iterator() noexcept = default;
          iterator(const Decoder& group, std::size_t index)
              : data_(group.data_), size_(group.size_), blockLength_(group.blockLength_),
                version_(group.version_), count_(group.count_), index_(index) {
            if (index_ < count_) entry_ = EntryDecoder(data_, size_, group.entries_, blockLength_, version_, 0);
          }
          reference operator*() const noexcept { return entry_; }
          pointer operator->() const noexcept { return &entry_; }
          // Not at the end (as for any iterator).
          iterator& operator++() {
            // Entries of a block only: the next starts where this one ends; after
            // the last, that is the end of the group, which is within the view.
            ++index_;
            entry_ = EntryDecoder(data_, size_, entry_.end_(), blockLength_, version_, index_);
            return *this;
          }
          iterator operator++(int) {
            iterator old = *this;
            ++*this;
            return old;
          }
          friend bool operator==(const iterator& a, const iterator& b) noexcept { return a.index_ == b.index_; }

         private:
          const std::byte* data_ = nullptr;
          std::size_t size_ = 0;
          std::size_t blockLength_ = 0;
          std::uint64_t version_ = 0;
          std::size_t count_ = 0;
          std::size_t index_ = 0;
          EntryDecoder entry_;
        };

        // No entries (a group that the acting version does not have).
        Decoder() noexcept = default;
        // The group whose dimension is at pos; decode() checked it.
        Decoder(const std::byte* data, std::size_t size, std::size_t pos, std::uint64_t version) noexcept
            : data_(data), size_(size),
              entries_(pos + 4),
              count_(::wirekit::load<std::uint16_t, ::wirekit::ByteOrder::little>(data + pos + 2)),
              blockLength_(::wirekit::load<std::uint16_t, ::wirekit::ByteOrder::little>(data + pos)),
              version_(version) {}

        [[nodiscard]] std::size_t size() const noexcept { return count_; }
        [[nodiscard]] bool empty() const noexcept { return count_ == 0; }
        [[nodiscard]] iterator begin() const { return iterator(*this, 0); }
        [[nodiscard]] iterator end() const noexcept { return iterator(*this, count_); }
        // Entries of fixed fields only can be reached directly (unchecked index, as std::vector's []).
        [[nodiscard]] EntryDecoder operator[](std::size_t index) const noexcept {
          return EntryDecoder(data_, size_, entries_ + index * blockLength_, blockLength_, version_, index);
        }

       private:
        const std::byte* data_ = nullptr;
        std::size_t size_ = 0;
        std::size_t entries_ = 0;
        std::size_t count_ = 0;
        std::size_t blockLength_ = 0;
        std::uint64_t version_ = 0;
      };

      // Writes one entry: fixed fields in any order, then its groups and
      // string/bytes fields in schema order.
      class EntryEncoder {
       public:
        EntryEncoder(std::byte* block, [[maybe_unused]] ::wirekit::codec::EncoderStateStorage<3>* state,
                     [[maybe_unused]] std::uint64_t generation, [[maybe_unused]] bool last) noexcept
            : block_(block), state_(state), generation_(generation), last_(last) {}

        EntryEncoder& mph(std::uint16_t value) noexcept {
          ::wirekit::codec::storeValue<std::uint16_t, ::wirekit::ByteOrder::little>(block_ + 0, value);
          written_(0);
          return *this;
        }
        EntryEncoder& seconds(float value) noexcept {
          ::wirekit::codec::storeValue<float, ::wirekit::ByteOrder::little>(block_ + 2, value);
          written_(1);
          return *this;
        }

      
       private:
        // Through the state: an encoder of an entry that is no longer being
        // written (another began at this depth) records nothing.
        void written_(unsigned field) const noexcept { state_->unsetFields<2>().written(block_, field); }

        [[maybe_unused]] std::byte* block_;
        [[maybe_unused]] ::wirekit::codec::EncoderStateStorage<3>* state_;
        [[maybe_unused]] std::uint64_t generation_;  // this entry's
        [[maybe_unused]] bool last_;                 // the last entry of the group
      };

      // Writes the entries of a group whose count was given and whose entries the
      // state reserved (they have no parts); keeps where they begin, the count and
      // how many were begun.
      class Encoder {
       public:
        Encoder(::wirekit::codec::EncoderStateStorage<3>* state, std::uint64_t group, std::byte* entries, std::size_t count) noexcept
            : state_(state), group_(group), entries_(entries), count_(count) {}
        // The next entry; call it exactly `count` times. Its fields left unset
        // are written zero (optional ones null) once it is complete.
        [[nodiscard]] EntryEncoder next() {
          const auto entry = state_->nextBlock<2>(group_, entries_, index_, count_, blockInfo);
          index_ = entry.index;
          entries_ = entry.block + blockLength;
          initBlock(entry.block);
          state_->beginFields<2>(entry.block, 0x3ULL, &completeUnset);
          if (index_ == count_) state_->close<2, true, false>();
          return EntryEncoder(entry.block, state_, group_, true);
        }

       private:
        ::wirekit::codec::EncoderStateStorage<3>* state_;
        std::uint64_t group_;  // its id (0: no entries)
        std::byte* entries_;  // the next entry's block
        std::size_t count_;
        std::size_t index_ = 0;
      };
    };

    static constexpr ::wirekit::codec::PartInfo partInfo[] = {
        {"acceleration", ::wirekit::codec::PartKind::group, 2, 2, 65535U, 6, &::baseline::Car::PerformanceFigures::Acceleration::blockInfo},
    };
    static constexpr ::wirekit::codec::BlockInfo blockInfo{"Car.performanceFigures", partInfo, 1, 1, ::wirekit::ByteOrder::little};

    static void initBlock([[maybe_unused]] std::byte* block) noexcept {
    }

    // The block is complete: writes its fields that no setter wrote (bit k of
    // `unset` for field k) zero, optional ones null.
    static void completeUnset([[maybe_unused]] std::byte* block, [[maybe_unused]] std::uint64_t unset) noexcept {
      if ((unset & (std::uint64_t{1} << 0)) != 0) {
        ::wirekit::codec::zeroBlock<1>(block + 0);  // Car.performanceFigures.octaneRating
      }
    }

    static std::size_t walkParts(const std::byte* data, std::size_t size, std::size_t pos,
                                 [[maybe_unused]] std::uint64_t version,
                                 const ::wirekit::codec::PathNode& path, std::size_t* parts) {
      parts[0] = pos;
      pos = ::baseline::Car::PerformanceFigures::Acceleration::walk(data, size, pos, version, path);
      parts[1] = pos;
      return pos;
    }

    static std::size_t scanParts(const std::byte* data, std::size_t size, std::size_t pos,
                                 [[maybe_unused]] std::uint64_t version) {
      pos = ::baseline::Car::PerformanceFigures::Acceleration::scan<true, 0>(data, size, pos, version);
      return pos;
    }

    static std::size_t locateParts(const std::byte* data, std::size_t pos,
                                   [[maybe_unused]] std::uint64_t version, std::size_t* parts) noexcept {
      parts[0] = pos;
      pos = ::baseline::Car::PerformanceFigures::Acceleration::skip(data, pos, version);
      parts[1] = pos;
      return pos;
    }

    // Checks the group at pos (dimension, then every entry) against the view;
    // returns the offset just after it.
    static std::size_t walk(const std::byte* data, std::size_t size, std::size_t pos,
                            std::uint64_t version, const ::wirekit::codec::PathNode& parent) {
      const auto dimension = ::wirekit::codec::readDimension<std::uint16_t, std::uint16_t, ::wirekit::ByteOrder::little>(
          data, size, pos, requiredBlockLength(version), 65535U, version, parent, "performanceFigures");
      std::array<std::size_t, 2> parts{};
      pos = dimension.entries;
      for (std::size_t i = 0; i < dimension.count; ++i) {
        const ::wirekit::codec::PathNode entry{&parent, "performanceFigures", i};
        const std::size_t start = pos;
        pos = ::wirekit::codec::checkEntryBlock(dimension.blockLength, pos, size, entry);
        pos = walkParts(data, size, pos, version, entry, parts.data());
        if (pos == start) break;  // empty entries: all the rest are empty too
      }
      return pos;
    }

    // walk() for decode()'s usual path: Car::fail_ reports what fails.
    // checked: the dimension was checked to fit; need: see scanEntries.
    template <bool checked, std::size_t need>
    static std::size_t scan(const std::byte* data, std::size_t size, std::size_t pos,
                            [[maybe_unused]] std::uint64_t version) {
      const auto dimension = ::wirekit::codec::scanDimension<Car, std::uint16_t, std::uint16_t, ::wirekit::ByteOrder::little, checked>(
          data, size, pos, requiredBlockLength(version), 65535U);
      pos = dimension.entries;
      for (std::size_t i = 0; i < dimension.count; ++i) {
        pos = ::wirekit::codec::scanBlock<Car, 4>(data, size, dimension.blockLength, pos);
        pos = scanParts(data, size, pos, version);
      }
      return pos;
    }

    // walk() without the checks, for a group that decode() has walked already.
    static std::size_t skip(const std::byte* data, std::size_t pos,
                            [[maybe_unused]] std::uint64_t version) noexcept {
      const std::size_t blockLength = ::wirekit::load<std::uint16_t, ::wirekit::ByteOrder::little>(data + pos);
      const std::size_t count = ::wirekit::load<std::uint16_t, ::wirekit::ByteOrder::little>(data + pos + 2);
      pos += 4;
      std::array<std::size_t, 2> parts{};
      for (std::size_t i = 0; i < count; ++i) {
        const std::size_t start = pos;
        pos = locateParts(data, pos + blockLength, version, parts.data());
        if (pos == start) break;  // empty entries: all the rest are empty too
      }
      return pos;
    }

    // One entry, as the group's range gives it.
    class EntryDecoder {
     public:
      EntryDecoder() noexcept = default;
      EntryDecoder(const std::byte* data, [[maybe_unused]] std::size_t size, std::size_t pos,
                   std::size_t blockLength, std::uint64_t version, [[maybe_unused]] std::size_t index)
          : data_(data), size_(size), block_(data + pos), version_(version), blockLength_(blockLength) {
        locateParts(data, pos + blockLength, version, parts_.data());
      }

      [[nodiscard]] std::uint8_t octaneRating() const noexcept {
        return ::wirekit::codec::loadValue<std::uint8_t, ::wirekit::ByteOrder::little>(block_ + 0);
      }

      [[nodiscard]] ::baseline::Car::PerformanceFigures::Acceleration::Decoder acceleration() const noexcept {
        return ::baseline::Car::PerformanceFigures::Acceleration::Decoder(data_, size_, parts_[0], version_);
      }

      [[nodiscard]] std::uint64_t actingVersion() const noexcept { return version_; }
      [[nodiscard]] std::size_t actingBlockLength() const noexcept { return blockLength_; }
      // The offset in the view just after this entry.
      [[nodiscard]] std::size_t end_() const noexcept { return parts_[1]; }

      template <std::same_as<::wirekit::codec::JsonWriter> Writer>
      void writeFields(Writer& writer) const {
        writer.beginObject();
        writer.key("octaneRating");
        writer.integer(octaneRating());

        writer.key("acceleration");
        writer.beginArray();
        for (const auto& entry : acceleration()) entry.writeFields(writer);
        writer.endArray();

        writer.endObject();
      }

     private:
      [[maybe_unused]] const std::byte* data_ = nullptr;
      [[maybe_unused]] std::size_t size_ = 0;
      [[maybe_unused]] const std::byte* block_ = nullptr;
      [[maybe_unused]] std::uint64_t version_ = 0;
      std::size_t blockLength_ = 0;
      std::array<std::size_t, 2> parts_{};
    };

    // The entries of the group: a range of EntryDecoder.
    class Decoder {
     public:
      class iterator {
       public:
        using iterator_category = std::forward_iterator_tag;
        using value_type = EntryDecoder;
        using difference_type = std::ptrdiff_t;
        using pointer = const EntryDecoder*;
        using reference = const EntryDecoder&;

        iterator() noexcept = default;
        iterator(const Decoder& group, std::size_t index)
            : data_(group.data_), size_(group.size_), blockLength_(group.blockLength_),
              version_(group.version_), count_(group.count_), index_(index) {
          if (index_ < count_) entry_ = EntryDecoder(data_, size_, group.entries_, blockLength_, version_, 0);
        }
        reference operator*() const noexcept { return entry_; }
        pointer operator->() const noexcept { return &entry_; }
        // Not at the end (as for any iterator).
        iterator& operator++() {
          if (index_ >= count_) __builtin_unreachable();  // so that `== end()` needs no compare of its own
          if (++index_ < count_) entry_ = EntryDecoder(data_, size_, entry_.end_(), blockLength_, version_, index_);
          return *this;
        }
        iterator operator++(int) {
          iterator old = *this;
          ++*this;
          return old;
        }
        friend bool operator==(const iterator& a, const iterator& b) noexcept { return a.index_ == b.index_; }

       private:
        const std::byte* data_ = nullptr;
        std::size_t size_ = 0;
        std::size_t blockLength_ = 0;
        std::uint64_t version_ = 0;
        std::size_t count_ = 0;
        std::size_t index_ = 0;
        EntryDecoder entry_;
      };

      // No entries (a group that the acting version does not have).
      Decoder() noexcept = default;
      // The group whose dimension is at pos; decode() checked it.
      Decoder(const std::byte* data, std::size_t size, std::size_t pos, std::uint64_t version) noexcept
          : data_(data), size_(size),
            entries_(pos + 4),
            count_(::wirekit::load<std::uint16_t, ::wirekit::ByteOrder::little>(data + pos + 2)),
            blockLength_(::wirekit::load<std::uint16_t, ::wirekit::ByteOrder::little>(data + pos)),
            version_(version) {}

      [[nodiscard]] std::size_t size() const noexcept { return count_; }
      [[nodiscard]] bool empty() const noexcept { return count_ == 0; }
      [[nodiscard]] iterator begin() const { return iterator(*this, 0); }
      [[nodiscard]] iterator end() const noexcept { return iterator(*this, count_); }

     private:
      const std::byte* data_ = nullptr;
      std::size_t size_ = 0;
      std::size_t entries_ = 0;
      std::size_t count_ = 0;
      std::size_t blockLength_ = 0;
      std::uint64_t version_ = 0;
    };

    // Writes one entry: fixed fields in any order, then its groups and
    // string/bytes fields in schema order.
    class EntryEncoder {
     public:
      EntryEncoder(std::byte* block, [[maybe_unused]] ::wirekit::codec::EncoderStateStorage<3>* state,
                   [[maybe_unused]] std::uint64_t generation, [[maybe_unused]] bool last) noexcept
          : block_(block), state_(state), generation_(generation), last_(last) {}

      EntryEncoder& octaneRating(std::uint8_t value) noexcept {
        ::wirekit::codec::storeValue<std::uint8_t, ::wirekit::ByteOrder::little>(block_ + 0, value);
        written_(0);
        return *this;
      }

      // Writes the group's dimension and reserves its entries; then call next() exactly `count` times.
      ::baseline::Car::PerformanceFigures::Acceleration::Encoder acceleration(std::size_t count) {
        const auto group = state_->beginBlocks<std::uint16_t, std::uint16_t, ::wirekit::ByteOrder::little, 1, 0, 65535U, 6>(
            generation_, count);
        if (last_ && count == 0) state_->close<1, false>();
        return ::baseline::Car::PerformanceFigures::Acceleration::Encoder(state_, group.generation, group.block, count);
      }

     private:
      // Through the state: an encoder of an entry that is no longer being
      // written (another began at this depth) records nothing.
      void written_(unsigned field) const noexcept { state_->unsetFields<1>().written(block_, field); }

      [[maybe_unused]] std::byte* block_;
      [[maybe_unused]] ::wirekit::codec::EncoderStateStorage<3>* state_;
      [[maybe_unused]] std::uint64_t generation_;  // this entry's
      [[maybe_unused]] bool last_;                 // the last entry of the group
    };

    // Writes the entries of a group whose count was given; keeps the count, how
    // many entries were begun, and the cursor the state has once the current
    // entry is complete.
    class Encoder {
     public:
      Encoder(::wirekit::codec::EncoderStateStorage<3>* state, std::uint64_t group, std::size_t count) noexcept
          : state_(state), group_(group), expected_(group), count_(count) {}
      // The next entry; call it exactly `count` times. Its fields left unset
      // are written zero (optional ones null) once it is complete.
      [[nodiscard]] EntryEncoder next() {
        const auto entry = state_->nextEntry<1, 1>(group_, expected_, index_, count_, blockInfo);
        index_ = entry.index;
        expected_ = entry.generation + 1;
        initBlock(entry.block);
        state_->beginFields<1>(entry.block, 0x1ULL, &completeUnset);
        const bool last = index_ == count_;
        return EntryEncoder(entry.block, state_, entry.generation, last);
      }

     private:
      ::wirekit::codec::EncoderStateStorage<3>* state_;
      std::uint64_t group_;  // its id (0: no entries)
      std::uint64_t expected_;
      std::size_t count_;
      std::size_t index_ = 0;
    };
  };

  static constexpr ::wirekit::codec::PartInfo partInfo[] = {
      {"fuelFigures", ::wirekit::codec::PartKind::group, 2, 2, 65535U, 6, &::baseline::Car::FuelFigures::blockInfo},
      {"performanceFigures", ::wirekit::codec::PartKind::group, 2, 2, 65535U, 1, &::baseline::Car::PerformanceFigures::blockInfo},
      {"manufacturer", ::wirekit::codec::PartKind::string, 4, 0, 4294967295U, 0, nullptr},
      {"model", ::wirekit::codec::PartKind::string, 4, 0, 4294967295U, 0, nullptr},
      {"activationCode", ::wirekit::codec::PartKind::string, 4, 0, 4294967295U, 0, nullptr},
  };
  static constexpr ::wirekit::codec::BlockInfo blockInfo{"Car", partInfo, 5, 49, ::wirekit::ByteOrder::little};

  static void initBlock([[maybe_unused]] std::byte* block) noexcept {
  }

  // The block is complete: writes its fields that no setter wrote (bit k of
  // `unset` for field k) zero, optional ones null.
  static void completeUnset([[maybe_unused]] std::byte* block, [[maybe_unused]] std::uint64_t unset) noexcept {
    if ((unset & (std::uint64_t{1} << 0)) != 0) {
      ::wirekit::codec::zeroBlock<8>(block + 0);  // Car.serialNumber
    }
    if ((unset & (std::uint64_t{1} << 1)) != 0) {
      ::wirekit::codec::zeroBlock<2>(block + 8);  // Car.modelYear
    }
    if ((unset & (std::uint64_t{1} << 2)) != 0) {
      ::wirekit::codec::zeroBlock<1>(block + 10);  // Car.available
    }
    if ((unset & (std::uint64_t{1} << 3)) != 0) {
      ::wirekit::codec::zeroBlock<1>(block + 11);  // Car.code
    }
    if ((unset & (std::uint64_t{1} << 4)) != 0) {
      ::wirekit::codec::zeroBlock<20>(block + 12);  // Car.someNumbers
    }
    if ((unset & (std::uint64_t{1} << 5)) != 0) {
      ::wirekit::codec::zeroBlock<6>(block + 32);  // Car.vehicleCode
    }
    if ((unset & (std::uint64_t{1} << 6)) != 0) {
      ::wirekit::codec::zeroBlock<1>(block + 38);  // Car.extras
    }
    if ((unset & (std::uint64_t{1} << 7)) != 0) {
      ::wirekit::codec::zeroBlock<2>(block + 39);  // Car.engine.capacity
    }
    if ((unset & (std::uint64_t{1} << 8)) != 0) {
      ::wirekit::codec::zeroBlock<1>(block + 41);  // Car.engine.numCylinders
    }
    if ((unset & (std::uint64_t{1} << 9)) != 0) {
      ::wirekit::codec::zeroBlock<3>(block + 42);  // Car.engine.manufacturerCode
    }
    if ((unset & (std::uint64_t{1} << 10)) != 0) {
      ::wirekit::codec::zeroBlock<1>(block + 45);  // Car.engine.efficiency
    }
    if ((unset & (std::uint64_t{1} << 11)) != 0) {
      ::wirekit::codec::zeroBlock<1>(block + 46);  // Car.engine.boosterEnabled
    }
    if ((unset & (std::uint64_t{1} << 12)) != 0) {
      ::wirekit::codec::zeroBlock<1>(block + 47);  // Car.engine.booster.boostType
    }
    if ((unset & (std::uint64_t{1} << 13)) != 0) {
      ::wirekit::codec::zeroBlock<1>(block + 48);  // Car.engine.booster.horsePower
    }
  }

  static std::size_t walkParts(const std::byte* data, std::size_t size, std::size_t pos,
                               [[maybe_unused]] std::uint64_t version,
                               const ::wirekit::codec::PathNode& path, std::size_t* parts) {
    parts[0] = pos;
    pos = ::baseline::Car::FuelFigures::walk(data, size, pos, version, path);
    parts[1] = pos;
    pos = ::baseline::Car::PerformanceFigures::walk(data, size, pos, version, path);
    parts[2] = pos;
    pos = ::wirekit::codec::skipVar<std::uint32_t, ::wirekit::ByteOrder::little>(data, size, pos, 4294967295U, path, "manufacturer");
    parts[3] = pos;
    pos = ::wirekit::codec::skipVar<std::uint32_t, ::wirekit::ByteOrder::little>(data, size, pos, 4294967295U, path, "model");
    parts[4] = pos;
    pos = ::wirekit::codec::skipVar<std::uint32_t, ::wirekit::ByteOrder::little>(data, size, pos, 4294967295U, path, "activationCode");
    parts[5] = pos;
    return pos;
  }

  static std::size_t scanParts(const std::byte* data, std::size_t size, std::size_t pos,
                               [[maybe_unused]] std::uint64_t version, std::size_t* parts) {
    parts[0] = pos;
    pos = ::baseline::Car::FuelFigures::scan<true, 0>(data, size, pos, version);
    parts[1] = pos;
    pos = ::baseline::Car::PerformanceFigures::scan<false, 0>(data, size, pos, version);
    parts[2] = pos;
    pos = ::wirekit::codec::scanVar<Car, std::uint32_t, ::wirekit::ByteOrder::little, false, 4>(data, size, pos, 4294967295U);
    parts[3] = pos;
    pos = ::wirekit::codec::scanVar<Car, std::uint32_t, ::wirekit::ByteOrder::little, true, 4>(data, size, pos, 4294967295U);
    parts[4] = pos;
    pos = ::wirekit::codec::scanVar<Car, std::uint32_t, ::wirekit::ByteOrder::little, true, 0>(data, size, pos, 4294967295U);
    parts[5] = pos;
    return pos;
  }

  // Where decode()'s usual path finds a check failing: the checks again, with
  // the DecodeError that names the field path and byte offset.
  [[noreturn, gnu::cold, gnu::noinline]] static void fail_(const std::byte* data, std::size_t size) {
    ::wirekit::codec::checkHeader(8, size, "Car");
    const std::uint64_t schema = ::wirekit::load<std::uint16_t, ::wirekit::ByteOrder::little>(data + 4);
    if (schema != schemaId) ::wirekit::codec::detail::throwWrongId("Car", "schema id", schema, 4, schemaId);
    const std::uint64_t id = ::wirekit::load<std::uint16_t, ::wirekit::ByteOrder::little>(data + 2);
    if (id != templateId) ::wirekit::codec::detail::throwWrongId("Car", "template id", id, 2, templateId);
    const std::uint64_t version = ::wirekit::load<std::uint16_t, ::wirekit::ByteOrder::little>(data + 6);
    static constexpr ::wirekit::codec::PathNode path{nullptr, "Car"};
    [[maybe_unused]] const std::size_t pos = ::wirekit::codec::checkMessageBlock(
        ::wirekit::load<std::uint16_t, ::wirekit::ByteOrder::little>(data + 0), 0,
        requiredBlockLength(version), version, 8, size, path);
    std::array<std::size_t, 6> parts{};
    walkParts(data, size, pos, version, path, parts.data());
    std::terminate();  // unreachable: the usual path makes the same checks
  }

  class Decoder {
   public:
    // A message whose header decode() read and checked.
    Decoder(const std::byte* data, std::size_t size, std::uint64_t blockLength, std::uint64_t version)
        : data_(data), size_(size), block_(data + 8), version_(version),
          blockLength_(static_cast<std::size_t>(blockLength)) {
      if (blockLength < requiredBlockLength(version) ||
          ::wirekit::codec::exceeds(blockLength, 4, size - 8)) [[unlikely]] {
        fail_(data, size);
      }
      const std::size_t pos = 8 + static_cast<std::size_t>(blockLength);
      scanParts(data, size, pos, version, parts_.data());
    }

    [[nodiscard]] std::uint64_t serialNumber() const noexcept {
      return ::wirekit::codec::loadValue<std::uint64_t, ::wirekit::ByteOrder::little>(block_ + 0);
    }
    [[nodiscard]] std::uint16_t modelYear() const noexcept {
      return ::wirekit::codec::loadValue<std::uint16_t, ::wirekit::ByteOrder::little>(block_ + 8);
    }
    [[nodiscard]] ::baseline::BooleanType available() const noexcept {
      return ::wirekit::codec::loadValue<::baseline::BooleanType, ::wirekit::ByteOrder::little>(block_ + 10);
    }
    [[nodiscard]] ::baseline::Model code() const noexcept {
      return ::wirekit::codec::loadValue<::baseline::Model, ::wirekit::ByteOrder::little>(block_ + 11);
    }
    [[nodiscard]] ::wirekit::codec::ArrayView<std::uint32_t, 5, ::wirekit::ByteOrder::little> someNumbers() const noexcept {
      return ::wirekit::codec::ArrayView<std::uint32_t, 5, ::wirekit::ByteOrder::little>(block_ + 12);
    }
    [[nodiscard]] std::string_view vehicleCode() const noexcept {
      return ::wirekit::codec::textView(block_ + 32, 6);
    }
    [[nodiscard]] ::baseline::OptionalExtras extras() const noexcept {
      return ::baseline::OptionalExtras(::wirekit::load<std::uint8_t, ::wirekit::ByteOrder::little>(block_ + 38));
    }
    [[nodiscard]] static constexpr ::baseline::Model discountedModel() noexcept { return ::baseline::Model::C; }
    [[nodiscard]] ::baseline::Engine::Decoder engine() const noexcept {
      return ::baseline::Engine::Decoder(block_ + 39);
    }

    [[nodiscard]] ::baseline::Car::FuelFigures::Decoder fuelFigures() const noexcept {
      return ::baseline::Car::FuelFigures::Decoder(data_, size_, parts_[0], version_);
    }
    [[nodiscard]] ::baseline::Car::PerformanceFigures::Decoder performanceFigures() const noexcept {
      return ::baseline::Car::PerformanceFigures::Decoder(data_, size_, parts_[1], version_);
    }
    [[nodiscard]] std::string_view manufacturer() const noexcept {
      const std::size_t start = parts_[2] + 4;
      return std::string_view(reinterpret_cast<const char*>(data_ + start), parts_[3] - start);
    }
    [[nodiscard]] std::string_view model() const noexcept {
      const std::size_t start = parts_[3] + 4;
      return std::string_view(reinterpret_cast<const char*>(data_ + start), parts_[4] - start);
    }
    [[nodiscard]] std::string_view activationCode() const noexcept {
      const std::size_t start = parts_[4] + 4;
      return std::string_view(reinterpret_cast<const char*>(data_ + start), parts_[5] - start);
    }

    // Header and body: where the next message would start.
    [[nodiscard]] std::size_t encodedLength() const noexcept { return parts_[5]; }
    [[nodiscard]] std::uint64_t actingVersion() const noexcept { return version_; }
    [[nodiscard]] std::size_t actingBlockLength() const noexcept { return blockLength_; }

    // The JSON form: {"Car":{...}}, as `wirekit decode` prints it.
    template <std::same_as<::wirekit::codec::JsonWriter> Writer>
    void writeJson(Writer& writer) const {
      writer.beginObject();
      writer.key("Car");
      writeFields(writer);
      writer.endObject();
    }
    template <std::same_as<::wirekit::codec::JsonWriter> Writer>
    void writeFields(Writer& writer) const {
      writer.beginObject();
      writer.key("serialNumber");
      writer.integer(serialNumber());
      writer.key("modelYear");
      writer.integer(modelYear());
      writer.key("available");
      { const auto e = available(); writer.enumValue(to_string(e), static_cast<std::uint8_t>(e)); }
      writer.key("code");
      { const auto e = code(); writer.enumValue(to_string(e), static_cast<char>(e)); }
      writer.key("someNumbers");
      writer.beginArray(); for (const auto element : someNumbers()) { writer.integer(element); } writer.endArray();
      writer.key("vehicleCode");
      writer.latin1(vehicleCode());
      writer.key("extras");
      writer.flags(extras().bits(), ::baseline::OptionalExtras::namesByBit);
      writer.key("discountedModel");
      { const auto e = discountedModel(); writer.enumValue(to_string(e), static_cast<char>(e)); }
      writer.key("engine");
      engine().writeFields(writer);

      writer.key("fuelFigures");
      writer.beginArray();
      for (const auto& entry : fuelFigures()) entry.writeFields(writer);
      writer.endArray();
      writer.key("performanceFigures");
      writer.beginArray();
      for (const auto& entry : performanceFigures()) entry.writeFields(writer);
      writer.endArray();
      writer.key("manufacturer");
      writer.string(manufacturer());
      writer.key("model");
      writer.string(model());
      writer.key("activationCode");
      writer.string(activationCode());

      writer.endObject();
    }

   private:
    [[maybe_unused]] const std::byte* data_;
    [[maybe_unused]] std::size_t size_;
    [[maybe_unused]] const std::byte* block_;
    [[maybe_unused]] std::uint64_t version_;
    std::size_t blockLength_;
    std::array<std::size_t, 6> parts_{};
  };

  // Writes one message: the header at once, fixed fields in any order, then
  // groups and string/bytes fields in schema order. Fields left unset are
  // written zero (optional ones null) when the message is complete: by
  // encodedLength(), or when the encoder is destroyed. Not copyable: the group
  // and entry encoders it gives refer to it.
  class Encoder {
   public:
    explicit Encoder(::wirekit::DataView view)
        : block_(start_(view)),
          unset_{block_, 0x3fffULL},
          state_(view.data(), view.byteLength(), 57, blockInfo) {}
    Encoder(const Encoder&) = delete;
    Encoder& operator=(const Encoder&) = delete;
    ~Encoder() { complete_(); }

    Encoder& serialNumber(std::uint64_t value) noexcept {
      ::wirekit::codec::storeValue<std::uint64_t, ::wirekit::ByteOrder::little>(block_ + 0, value);
      written_(0);
      return *this;
    }
    Encoder& modelYear(std::uint16_t value) noexcept {
      ::wirekit::codec::storeValue<std::uint16_t, ::wirekit::ByteOrder::little>(block_ + 8, value);
      written_(1);
      return *this;
    }
    Encoder& available(::baseline::BooleanType value) noexcept {
      ::wirekit::codec::storeValue<::baseline::BooleanType, ::wirekit::ByteOrder::little>(block_ + 10, value);
      written_(2);
      return *this;
    }
    Encoder& code(::baseline::Model value) noexcept {
      ::wirekit::codec::storeValue<::baseline::Model, ::wirekit::ByteOrder::little>(block_ + 11, value);
      written_(3);
      return *this;
    }
    // The first values.size() elements (the rest zero); EncodeError for more than 5.
    Encoder& someNumbers(std::span<const std::uint32_t> values) {
      ::wirekit::codec::storeArray<std::uint32_t, 5, ::wirekit::ByteOrder::little>(block_ + 12, values, "Car.someNumbers");
      written_(4);
      return *this;
    }
    Encoder& someNumbers(std::initializer_list<std::uint32_t> values) {
      return someNumbers(std::span<const std::uint32_t>(values.begin(), values.size()));
    }
    // Element `index`; the others read zero until set. EncodeError for an index past the end.
    Encoder& someNumbers(std::size_t index, std::uint32_t value) {
      if (claim_(4)) ::wirekit::codec::zeroBlock<20>(block_ + 12);
      ::wirekit::codec::storeElement<std::uint32_t, 5, ::wirekit::ByteOrder::little>(block_ + 12, index, value, "Car.someNumbers");
      return *this;
    }
    // NUL-padded; EncodeError if longer than 6 bytes.
    Encoder& vehicleCode(std::string_view value) {
      ::wirekit::codec::storeText<6>(block_ + 32, value, "Car.vehicleCode");
      written_(5);
      return *this;
    }
    Encoder& extras(::baseline::OptionalExtras value) noexcept {
      ::wirekit::store<std::uint8_t, ::wirekit::ByteOrder::little>(block_ + 38, value.bits());
      written_(6);
      return *this;
    }
    [[nodiscard]] static constexpr ::baseline::Model discountedModel() noexcept { return ::baseline::Model::C; }
    [[nodiscard]] ::baseline::Engine::Encoder engine() noexcept { return ::baseline::Engine::Encoder(block_ + 39, marks_(7)); }

    // Writes the group's dimension; then call next() exactly `count` times.
    ::baseline::Car::FuelFigures::Encoder fuelFigures(std::size_t count) {
      const std::uint64_t group = state_.beginGroup<std::uint16_t, std::uint16_t, ::wirekit::ByteOrder::little, 0, 0, 65535U, 6>(
          0, count);
      return ::baseline::Car::FuelFigures::Encoder(&state_, group, count);
    }
    // Writes the group's dimension; then call next() exactly `count` times.
    ::baseline::Car::PerformanceFigures::Encoder performanceFigures(std::size_t count) {
      const std::uint64_t group = state_.beginGroup<std::uint16_t, std::uint16_t, ::wirekit::ByteOrder::little, 0, 1, 65535U, 1>(
          0, count);
      return ::baseline::Car::PerformanceFigures::Encoder(&state_, group, count);
    }
    Encoder& manufacturer(std::string_view value) {
      std::byte* at = state_.beginVar<std::uint32_t, ::wirekit::ByteOrder::little, 0, 2, 4294967295U>(0, value.size());
      ::wirekit::codec::copyBytes(at, value.data(), value.size());
      return *this;
    }
    Encoder& model(std::string_view value) {
      std::byte* at = state_.beginVar<std::uint32_t, ::wirekit::ByteOrder::little, 0, 3, 4294967295U>(0, value.size());
      ::wirekit::codec::copyBytes(at, value.data(), value.size());
      return *this;
    }
    Encoder& activationCode(std::string_view value) {
      std::byte* at = state_.beginVar<std::uint32_t, ::wirekit::ByteOrder::little, 0, 4, 4294967295U>(0, value.size());
      ::wirekit::codec::copyBytes(at, value.data(), value.size());
      return *this;
    }

    // Completes the message (groups and string/bytes fields not written are
    // written empty; EncodeError if a group lacks entries) and returns its length.
    std::size_t encodedLength() {
      const std::size_t length = state_.finish<5>();
      complete_();
      return length;
    }

   private:
    static std::byte* start_(::wirekit::DataView view) {
      if (view.byteLength() < 57) {
        ::wirekit::codec::throwNoRoom("Car", 57, view.byteLength());
      }
      std::byte* data = view.data();
      ::wirekit::store<std::uint16_t, ::wirekit::ByteOrder::little>(data + 0, blockLength);
      ::wirekit::store<std::uint16_t, ::wirekit::ByteOrder::little>(data + 2, templateId);
      ::wirekit::store<std::uint16_t, ::wirekit::ByteOrder::little>(data + 4, schemaId);
      ::wirekit::store<std::uint16_t, ::wirekit::ByteOrder::little>(data + 6, schemaVersion);
      std::byte* block = data + 8;
      initBlock(block);
      return block;
    }

    void written_(unsigned field) noexcept { unset_.bits &= ~(std::uint64_t{1} << field); }
    [[nodiscard]] bool claim_(unsigned field) noexcept { return unset_.claim(block_, field); }
    [[nodiscard]] ::wirekit::codec::FieldMarks marks_(unsigned first) noexcept { return {&unset_, block_, first}; }
    // Writes the fields left unset, of the block and of the entries still open.
    void complete_() noexcept {
      if (unset_.bits != 0) {
        completeUnset(block_, unset_.bits);
        unset_.bits = 0;
      }
      state_.completeEntries();
    }

    [[maybe_unused]] std::byte* block_;
    ::wirekit::codec::UnsetFields unset_;
    ::wirekit::codec::EncoderStateStorage<3> state_;
  };

  // Writes the header into view and returns the encoder of the rest.
  [[nodiscard]] static Encoder encode(::wirekit::DataView view) { return Encoder(view); }

  // Checks the whole message against view (header, block length for the acting
  // version, every group and length); DecodeError names the field and byte.
  [[nodiscard]] static Decoder decode(::wirekit::DataView view) {
    const std::byte* data = view.data();
    const std::size_t size = view.byteLength();
    if (8 > size ||
        ::wirekit::load<std::uint16_t, ::wirekit::ByteOrder::little>(data + 4) != schemaId ||
        ::wirekit::load<std::uint16_t, ::wirekit::ByteOrder::little>(data + 2) != templateId) [[unlikely]] {
      fail_(data, size);
    }
    return Decoder(data, size, ::wirekit::load<std::uint16_t, ::wirekit::ByteOrder::little>(data + 0),
                   ::wirekit::load<std::uint16_t, ::wirekit::ByteOrder::little>(data + 6));
  }
};

// Any message of the schema, as decode(view) gives it (for std::visit).
using AnyMessage = std::variant<Car::Decoder>;

// Decodes whichever message the header names. DecodeError for a header that
// does not fit, another schema id or an unknown template id, and as each
// message's decode().
[[nodiscard]] inline AnyMessage decode(::wirekit::DataView view) {
  const std::byte* data = view.data();
  const std::size_t size = view.byteLength();
  ::wirekit::codec::checkHeader(8, size, "baseline");
  const std::uint64_t schema = ::wirekit::load<std::uint16_t, ::wirekit::ByteOrder::little>(data + 4);
  if (schema != Schema::schemaId) ::wirekit::codec::detail::throwWrongId("baseline", "schema id", schema, 4, Schema::schemaId);
  const std::uint64_t id = ::wirekit::load<std::uint16_t, ::wirekit::ByteOrder::little>(data + 2);
  switch (id) {
    case 1:
      return AnyMessage(std::in_place_index<0>, Car::decode(view));
    default:
      ::wirekit::codec::detail::throwUnknownTemplate("baseline", id, 2);
  }
}

}  // namespace baseline

template <>
struct fmt::formatter<::baseline::BooleanType> : ::wirekit::codec::EnumFormatter {
  auto format(::baseline::BooleanType value, fmt::format_context& context) const {
    const std::string_view name = to_string(value);
    if (!name.empty()) return formatName(name, context);
    return formatUnnamed(static_cast<std::uint8_t>(value), context);
  }
};

template <>
struct fmt::formatter<::baseline::Model> : ::wirekit::codec::EnumFormatter {
  auto format(::baseline::Model value, fmt::format_context& context) const {
    const std::string_view name = to_string(value);
    if (!name.empty()) return formatName(name, context);
    return formatUnnamed(static_cast<char>(value), context);
  }
};

template <>
struct fmt::formatter<::baseline::BoostType> : ::wirekit::codec::EnumFormatter {
  auto format(::baseline::BoostType value, fmt::format_context& context) const {
    const std::string_view name = to_string(value);
    if (!name.empty()) return formatName(name, context);
    return formatUnnamed(static_cast<char>(value), context);
  }
};

template <>
struct fmt::formatter<::baseline::Car::Decoder> : ::wirekit::codec::JsonFormatter<::baseline::Car::Decoder> {};
