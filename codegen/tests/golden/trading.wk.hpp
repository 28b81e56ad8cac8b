// Generated from trading.wk by the wirekit schema compiler. Do not edit.
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

namespace demo::trading {

// The schema: its id, version and byte order, and the message header.
struct Schema {
  static constexpr std::uint16_t schemaId = 42;
  static constexpr std::uint16_t version = 2;
  static constexpr ::wirekit::ByteOrder byteOrder = ::wirekit::ByteOrder::little;
  static constexpr std::string_view package = "demo.trading";
  static constexpr std::size_t headerSize = 8;
};

using Timestamp = std::uint64_t;

enum class Side : std::uint8_t {
  Buy = std::uint8_t{1},
  Sell = std::uint8_t{2},
};

// The member's name, or "" for a value that has none.
[[nodiscard]] constexpr std::string_view to_string(Side value) noexcept {
  switch (value) {
    case Side::Buy:
      return "Buy";
    case Side::Sell:
      return "Sell";
  }
  return {};
}

enum class OrdType : char {
  Market = '1',
  Limit = '2',
  Stop = '3',
  StopLimit = '4',
};

// The member's name, or "" for a value that has none.
[[nodiscard]] constexpr std::string_view to_string(OrdType value) noexcept {
  switch (value) {
    case OrdType::Market:
      return "Market";
    case OrdType::Limit:
      return "Limit";
    case OrdType::Stop:
      return "Stop";
    case OrdType::StopLimit:
      return "StopLimit";
  }
  return {};
}

enum class ExecType : char {
  New = '0',
  PartialFill = '1',
  Fill = '2',
  Canceled = '4',
  Rejected = '8',
};

// The member's name, or "" for a value that has none.
[[nodiscard]] constexpr std::string_view to_string(ExecType value) noexcept {
  switch (value) {
    case ExecType::New:
      return "New";
    case ExecType::PartialFill:
      return "PartialFill";
    case ExecType::Fill:
      return "Fill";
    case ExecType::Canceled:
      return "Canceled";
    case ExecType::Rejected:
      return "Rejected";
  }
  return {};
}

enum class UpdateAction : std::uint8_t {
  New = std::uint8_t{0},
  Change = std::uint8_t{1},
  Delete = std::uint8_t{2},
};

// The member's name, or "" for a value that has none.
[[nodiscard]] constexpr std::string_view to_string(UpdateAction value) noexcept {
  switch (value) {
    case UpdateAction::New:
      return "New";
    case UpdateAction::Change:
      return "Change";
    case UpdateAction::Delete:
      return "Delete";
  }
  return {};
}

// A set of flags: a value type with a getter and a chaining setter per flag.
class Tif {
 public:
  using Underlying = std::uint8_t;
  // The flag names by bit number ("" where a bit has none).
  static constexpr std::array<std::string_view, 8> namesByBit{
"Day", "Ioc", "PostOnly", "Fok", "", "", "", ""};

  constexpr Tif() noexcept = default;
  constexpr explicit Tif(Underlying bits) noexcept : bits_(bits) {}
  [[nodiscard]] constexpr Underlying bits() const noexcept { return bits_; }

  [[nodiscard]] constexpr bool Day() const noexcept { return ((bits_ >> 0) & 1U) != 0; }
  constexpr Tif& Day(bool on) noexcept {
    constexpr auto mask = static_cast<Underlying>(Underlying{1} << 0);
    bits_ = static_cast<Underlying>(on ? (bits_ | mask) : (bits_ & static_cast<Underlying>(~mask)));
    return *this;
  }

  [[nodiscard]] constexpr bool Ioc() const noexcept { return ((bits_ >> 1) & 1U) != 0; }
  constexpr Tif& Ioc(bool on) noexcept {
    constexpr auto mask = static_cast<Underlying>(Underlying{1} << 1);
    bits_ = static_cast<Underlying>(on ? (bits_ | mask) : (bits_ & static_cast<Underlying>(~mask)));
    return *this;
  }

  [[nodiscard]] constexpr bool PostOnly() const noexcept { return ((bits_ >> 2) & 1U) != 0; }
  constexpr Tif& PostOnly(bool on) noexcept {
    constexpr auto mask = static_cast<Underlying>(Underlying{1} << 2);
    bits_ = static_cast<Underlying>(on ? (bits_ | mask) : (bits_ & static_cast<Underlying>(~mask)));
    return *this;
  }

  [[nodiscard]] constexpr bool Fok() const noexcept { return ((bits_ >> 3) & 1U) != 0; }
  constexpr Tif& Fok(bool on) noexcept {
    constexpr auto mask = static_cast<Underlying>(Underlying{1} << 3);
    bits_ = static_cast<Underlying>(on ? (bits_ | mask) : (bits_ & static_cast<Underlying>(~mask)));
    return *this;
  }

  friend constexpr bool operator==(Tif, Tif) noexcept = default;

 private:
  Underlying bits_ = 0;
};

// struct Decimal: 9 bytes, read and written in place.
struct Decimal {
  static constexpr std::size_t size = 9;

  class Decoder {
   public:
    explicit Decoder(const std::byte* block) noexcept : block_(block) {}
    [[nodiscard]] std::int64_t mantissa() const noexcept {
      return ::wirekit::codec::loadValue<std::int64_t, ::wirekit::ByteOrder::little>(block_ + 0);
    }
    [[nodiscard]] std::int8_t exponent() const noexcept {
      return ::wirekit::codec::loadValue<std::int8_t, ::wirekit::ByteOrder::little>(block_ + 8);
    }

    template <std::same_as<::wirekit::codec::JsonWriter> Writer>
    void writeFields(Writer& writer) const {
      writer.beginObject();
      writer.key("mantissa");
      writer.integer(mantissa());
      writer.key("exponent");
      writer.integer(exponent());

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
    Encoder& mantissa(std::int64_t value) noexcept {
      ::wirekit::codec::storeValue<std::int64_t, ::wirekit::ByteOrder::little>(block_ + 0, value);
      written_(0);
      return *this;
    }
    Encoder& exponent(std::int8_t value) noexcept {
      ::wirekit::codec::storeValue<std::int8_t, ::wirekit::ByteOrder::little>(block_ + 8, value);
      written_(1);
      return *this;
    }

   private:
    void written_(unsigned field) const noexcept { fieldMarks_.written(field); }

    [[maybe_unused]] std::byte* block_;
    ::wirekit::codec::FieldMarks fieldMarks_;
  };
};

// message NewOrder = 1: block of 44 bytes.
struct NewOrder {
  static constexpr std::uint16_t templateId = 1;
  static constexpr std::uint16_t schemaId = 42;
  static constexpr std::uint16_t schemaVersion = 2;
  static constexpr std::uint16_t blockLength = 44;
  static constexpr std::string_view name = "NewOrder";
  // The block bytes a sender of `version` writes: the least a wire block length may be.
  [[nodiscard]] static constexpr std::size_t requiredBlockLength([[maybe_unused]] std::uint64_t version) noexcept {
    if (version >= 1) return 44;
    return 40;
  }

  struct Legs {
    static constexpr std::size_t blockLength = 7;
    // The block bytes a sender of `version` writes: the least a wire block length may be.
    [[nodiscard]] static constexpr std::size_t requiredBlockLength([[maybe_unused]] std::uint64_t version) noexcept {
      return 7;
    }

    static constexpr ::wirekit::codec::BlockInfo blockInfo{"NewOrder.legs", nullptr, 0, 7, ::wirekit::ByteOrder::little};

    static void initBlock([[maybe_unused]] std::byte* block) noexcept {
    }

    // The block is complete: writes its fields that no setter wrote (bit k of
    // `unset` for field k) zero, optional ones null.
    static void completeUnset([[maybe_unused]] std::byte* block, [[maybe_unused]] std::uint64_t unset) noexcept {
      if ((unset & (std::uint64_t{1} << 0)) != 0) {
        ::wirekit::codec::zeroBlock<4>(block + 0);  // NewOrder.legs.legId
      }
      if ((unset & (std::uint64_t{1} << 1)) != 0) {
        ::wirekit::codec::zeroBlock<2>(block + 4);  // NewOrder.legs.ratio
      }
      if ((unset & (std::uint64_t{1} << 2)) != 0) {
        ::wirekit::codec::zeroBlock<1>(block + 6);  // NewOrder.legs.side
      }
    }




    // Checks the group at pos (dimension, then every entry) against the view;
    // returns the offset just after it.
    static std::size_t walk(const std::byte* data, std::size_t size, std::size_t pos,
                            std::uint64_t version, const ::wirekit::codec::PathNode& parent) {
      const auto dimension = ::wirekit::codec::readDimension<std::uint16_t, std::uint16_t, ::wirekit::ByteOrder::little>(
          data, size, pos, requiredBlockLength(version), 65535U, version, parent, "legs");
      (void)data;
      return ::wirekit::codec::skipEntries(dimension, size, parent, "legs");
    }

    // walk() for decode()'s usual path: NewOrder::fail_ reports what fails.
    // checked: the dimension was checked to fit; need: see scanEntries.
    template <bool checked, std::size_t need>
    static std::size_t scan(const std::byte* data, std::size_t size, std::size_t pos,
                            [[maybe_unused]] std::uint64_t version) {
      const auto dimension = ::wirekit::codec::scanDimension<NewOrder, std::uint16_t, std::uint16_t, ::wirekit::ByteOrder::little, checked>(
          data, size, pos, requiredBlockLength(version), 65535U);
      return ::wirekit::codec::scanEntries<NewOrder, need>(data, size, dimension);
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

      [[nodiscard]] std::uint32_t legId() const noexcept {
        return ::wirekit::codec::loadValue<std::uint32_t, ::wirekit::ByteOrder::little>(block_ + 0);
      }
      [[nodiscard]] std::uint16_t ratio() const noexcept {
        return ::wirekit::codec::loadValue<std::uint16_t, ::wirekit::ByteOrder::little>(block_ + 4);
      }
      [[nodiscard]] ::demo::trading::Side side() const noexcept {
        return ::wirekit::codec::loadValue<::demo::trading::Side, ::wirekit::ByteOrder::little>(block_ + 6);
      }

    
      [[nodiscard]] std::uint64_t actingVersion() const noexcept { return version_; }
      [[nodiscard]] std::size_t actingBlockLength() const noexcept { return blockLength_; }
      // The offset in the view just after this entry.
      [[nodiscard]] std::size_t end_() const noexcept { return parts_[0]; }

      template <std::same_as<::wirekit::codec::JsonWriter> Writer>
      void writeFields(Writer& writer) const {
        writer.beginObject();
        writer.key("legId");
        writer.integer(legId());
        writer.key("ratio");
        writer.integer(ratio());
        writer.key("side");
        { const auto e = side(); writer.enumValue(to_string(e), static_cast<std::uint8_t>(e)); }

    
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
      EntryEncoder(std::byte* block, [[maybe_unused]] ::wirekit::codec::EncoderStateStorage<2>* state,
                   [[maybe_unused]] std::uint64_t generation, [[maybe_unused]] bool last) noexcept
          : block_(block), state_(state), generation_(generation), last_(last) {}

      EntryEncoder& legId(std::uint32_t value) noexcept {
        ::wirekit::codec::storeValue<std::uint32_t, ::wirekit::ByteOrder::little>(block_ + 0, value);
        written_(0);
        return *this;
      }
      EntryEncoder& ratio(std::uint16_t value) noexcept {
        ::wirekit::codec::storeValue<std::uint16_t, ::wirekit::ByteOrder::little>(block_ + 4, value);
        written_(1);
        return *this;
      }
      EntryEncoder& side(::demo::trading::Side value) noexcept {
        ::wirekit::codec::storeValue<::demo::trading::Side, ::wirekit::ByteOrder::little>(block_ + 6, value);
        written_(2);
        return *this;
      }

    
     private:
      // Through the state: an encoder of an entry that is no longer being
      // written (another began at this depth) records nothing.
      void written_(unsigned field) const noexcept { state_->unsetFields<1>().written(block_, field); }

      [[maybe_unused]] std::byte* block_;
      [[maybe_unused]] ::wirekit::codec::EncoderStateStorage<2>* state_;
      [[maybe_unused]] std::uint64_t generation_;  // this entry's
      [[maybe_unused]] bool last_;                 // the last entry of the group
    };

    // Writes the entries of a group whose count was given and whose entries the
    // state reserved (they have no parts); keeps where they begin, the count and
    // how many were begun.
    class Encoder {
     public:
      Encoder(::wirekit::codec::EncoderStateStorage<2>* state, std::uint64_t group, std::byte* entries, std::size_t count) noexcept
          : state_(state), group_(group), entries_(entries), count_(count) {}
      // The next entry; call it exactly `count` times. Its fields left unset
      // are written zero (optional ones null) once it is complete.
      [[nodiscard]] EntryEncoder next() {
        const auto entry = state_->nextBlock<1>(group_, entries_, index_, count_, blockInfo);
        index_ = entry.index;
        entries_ = entry.block + blockLength;
        initBlock(entry.block);
        state_->beginFields<1>(entry.block, 0x7ULL, &completeUnset);
        if (index_ == count_) state_->close<1, false>();
        return EntryEncoder(entry.block, state_, group_, true);
      }

     private:
      ::wirekit::codec::EncoderStateStorage<2>* state_;
      std::uint64_t group_;  // its id (0: no entries)
      std::byte* entries_;  // the next entry's block
      std::size_t count_;
      std::size_t index_ = 0;
    };
  };

  static constexpr ::wirekit::codec::PartInfo partInfo[] = {
      {"legs", ::wirekit::codec::PartKind::group, 2, 2, 65535U, 7, &::demo::trading::NewOrder::Legs::blockInfo},
      {"account", ::wirekit::codec::PartKind::string, 2, 0, 64U, 0, nullptr},
      {"note", ::wirekit::codec::PartKind::bytes, 4, 0, 4294967295U, 0, nullptr},
  };
  static constexpr ::wirekit::codec::BlockInfo blockInfo{"NewOrder", partInfo, 3, 44, ::wirekit::ByteOrder::little};

  static void initBlock([[maybe_unused]] std::byte* block) noexcept {
  }

  // The block is complete: writes its fields that no setter wrote (bit k of
  // `unset` for field k) zero, optional ones null.
  static void completeUnset([[maybe_unused]] std::byte* block, [[maybe_unused]] std::uint64_t unset) noexcept {
    if ((unset & (std::uint64_t{1} << 0)) != 0) {
      ::wirekit::codec::zeroBlock<8>(block + 0);  // NewOrder.orderId
    }
    if ((unset & (std::uint64_t{1} << 1)) != 0) {
      ::wirekit::codec::zeroBlock<8>(block + 8);  // NewOrder.symbol
    }
    if ((unset & (std::uint64_t{1} << 2)) != 0) {
      ::wirekit::codec::zeroBlock<1>(block + 16);  // NewOrder.side
    }
    if ((unset & (std::uint64_t{1} << 3)) != 0) {
      ::wirekit::codec::zeroBlock<1>(block + 17);  // NewOrder.ordType
    }
    if ((unset & (std::uint64_t{1} << 4)) != 0) {
      ::wirekit::codec::zeroBlock<1>(block + 18);  // NewOrder.tif
    }
    if ((unset & (std::uint64_t{1} << 5)) != 0) {
      ::wirekit::codec::zeroBlock<8>(block + 19);  // NewOrder.price.mantissa
    }
    if ((unset & (std::uint64_t{1} << 6)) != 0) {
      ::wirekit::codec::zeroBlock<1>(block + 27);  // NewOrder.price.exponent
    }
    if ((unset & (std::uint64_t{1} << 7)) != 0) {
      ::wirekit::codec::zeroBlock<4>(block + 28);  // NewOrder.quantity
    }
    if ((unset & (std::uint64_t{1} << 8)) != 0) {
      ::wirekit::store<std::int64_t, ::wirekit::ByteOrder::little>(block + 32, ::std::numeric_limits<std::int64_t>::min());  // NewOrder.stopPrice
    }
    if ((unset & (std::uint64_t{1} << 9)) != 0) {
      ::wirekit::codec::zeroBlock<4>(block + 40);  // NewOrder.clientTag
    }
  }

  static std::size_t walkParts(const std::byte* data, std::size_t size, std::size_t pos,
                               [[maybe_unused]] std::uint64_t version,
                               const ::wirekit::codec::PathNode& path, std::size_t* parts) {
    parts[0] = pos;
    pos = ::demo::trading::NewOrder::Legs::walk(data, size, pos, version, path);
    parts[1] = pos;
    pos = ::wirekit::codec::skipVar<std::uint16_t, ::wirekit::ByteOrder::little>(data, size, pos, 64U, path, "account");
    parts[2] = pos;
    pos = ::wirekit::codec::skipVar<std::uint32_t, ::wirekit::ByteOrder::little>(data, size, pos, 4294967295U, path, "note");
    parts[3] = pos;
    return pos;
  }

  static std::size_t scanParts(const std::byte* data, std::size_t size, std::size_t pos,
                               [[maybe_unused]] std::uint64_t version, std::size_t* parts) {
    parts[0] = pos;
    pos = ::demo::trading::NewOrder::Legs::scan<true, 2>(data, size, pos, version);
    parts[1] = pos;
    pos = ::wirekit::codec::scanVar<NewOrder, std::uint16_t, ::wirekit::ByteOrder::little, true, 4>(data, size, pos, 64U);
    parts[2] = pos;
    pos = ::wirekit::codec::scanVar<NewOrder, std::uint32_t, ::wirekit::ByteOrder::little, true, 0>(data, size, pos, 4294967295U);
    parts[3] = pos;
    return pos;
  }

  // Where decode()'s usual path finds a check failing: the checks again, with
  // the DecodeError that names the field path and byte offset.
  [[noreturn, gnu::cold, gnu::noinline]] static void fail_(const std::byte* data, std::size_t size) {
    ::wirekit::codec::checkHeader(8, size, "NewOrder");
    const std::uint64_t schema = ::wirekit::load<std::uint16_t, ::wirekit::ByteOrder::little>(data + 4);
    if (schema != schemaId) ::wirekit::codec::detail::throwWrongId("NewOrder", "schema id", schema, 4, schemaId);
    const std::uint64_t id = ::wirekit::load<std::uint16_t, ::wirekit::ByteOrder::little>(data + 2);
    if (id != templateId) ::wirekit::codec::detail::throwWrongId("NewOrder", "template id", id, 2, templateId);
    const std::uint64_t version = ::wirekit::load<std::uint16_t, ::wirekit::ByteOrder::little>(data + 6);
    static constexpr ::wirekit::codec::PathNode path{nullptr, "NewOrder"};
    [[maybe_unused]] const std::size_t pos = ::wirekit::codec::checkMessageBlock(
        ::wirekit::load<std::uint16_t, ::wirekit::ByteOrder::little>(data + 0), 0,
        requiredBlockLength(version), version, 8, size, path);
    std::array<std::size_t, 4> parts{};
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

    [[nodiscard]] std::uint64_t orderId() const noexcept {
      return ::wirekit::codec::loadValue<std::uint64_t, ::wirekit::ByteOrder::little>(block_ + 0);
    }
    [[nodiscard]] std::string_view symbol() const noexcept {
      return ::wirekit::codec::textView(block_ + 8, 8);
    }
    [[nodiscard]] ::demo::trading::Side side() const noexcept {
      return ::wirekit::codec::loadValue<::demo::trading::Side, ::wirekit::ByteOrder::little>(block_ + 16);
    }
    [[nodiscard]] ::demo::trading::OrdType ordType() const noexcept {
      return ::wirekit::codec::loadValue<::demo::trading::OrdType, ::wirekit::ByteOrder::little>(block_ + 17);
    }
    [[nodiscard]] ::demo::trading::Tif tif() const noexcept {
      return ::demo::trading::Tif(::wirekit::load<std::uint8_t, ::wirekit::ByteOrder::little>(block_ + 18));
    }
    [[nodiscard]] ::demo::trading::Decimal::Decoder price() const noexcept {
      return ::demo::trading::Decimal::Decoder(block_ + 19);
    }
    [[nodiscard]] std::uint32_t quantity() const noexcept {
      return ::wirekit::codec::loadValue<std::uint32_t, ::wirekit::ByteOrder::little>(block_ + 28);
    }
    [[nodiscard]] std::optional<std::int64_t> stopPrice() const noexcept {
      const auto raw = ::wirekit::load<std::int64_t, ::wirekit::ByteOrder::little>(block_ + 32);
      if (raw == ::std::numeric_limits<std::int64_t>::min()) return std::nullopt;
      return raw;
    }
    [[nodiscard]] static constexpr std::string_view venue() noexcept { return "XLON"; }
    [[nodiscard]] std::optional<std::uint32_t> clientTag() const noexcept {
      if (version_ < 1) return std::nullopt;
      return ::wirekit::codec::loadValue<std::uint32_t, ::wirekit::ByteOrder::little>(block_ + 40);
    }

    [[nodiscard]] ::demo::trading::NewOrder::Legs::Decoder legs() const noexcept {
      return ::demo::trading::NewOrder::Legs::Decoder(data_, size_, parts_[0], version_);
    }
    [[nodiscard]] std::string_view account() const noexcept {
      const std::size_t start = parts_[1] + 2;
      return std::string_view(reinterpret_cast<const char*>(data_ + start), parts_[2] - start);
    }
    [[nodiscard]] std::span<const std::byte> note() const noexcept {
      const std::size_t start = parts_[2] + 4;
      return std::span<const std::byte>(data_ + start, parts_[3] - start);
    }

    // Header and body: where the next message would start.
    [[nodiscard]] std::size_t encodedLength() const noexcept { return parts_[3]; }
    [[nodiscard]] std::uint64_t actingVersion() const noexcept { return version_; }
    [[nodiscard]] std::size_t actingBlockLength() const noexcept { return blockLength_; }

    // The JSON form: {"NewOrder":{...}}, as `wirekit decode` prints it.
    template <std::same_as<::wirekit::codec::JsonWriter> Writer>
    void writeJson(Writer& writer) const {
      writer.beginObject();
      writer.key("NewOrder");
      writeFields(writer);
      writer.endObject();
    }
    template <std::same_as<::wirekit::codec::JsonWriter> Writer>
    void writeFields(Writer& writer) const {
      writer.beginObject();
      writer.key("orderId");
      writer.integer(orderId());
      writer.key("symbol");
      writer.latin1(symbol());
      writer.key("side");
      { const auto e = side(); writer.enumValue(to_string(e), static_cast<std::uint8_t>(e)); }
      writer.key("ordType");
      { const auto e = ordType(); writer.enumValue(to_string(e), static_cast<char>(e)); }
      writer.key("tif");
      writer.flags(tif().bits(), ::demo::trading::Tif::namesByBit);
      writer.key("price");
      price().writeFields(writer);
      writer.key("quantity");
      writer.integer(quantity());
      writer.key("stopPrice");
      if (const auto value = stopPrice()) {
        writer.integer((*value));
      } else {
        writer.null();
      }
      writer.key("venue");
      writer.latin1(venue());
      writer.key("clientTag");
      if (const auto value = clientTag()) {
        writer.integer((*value));
      } else {
        writer.null();
      }

      writer.key("legs");
      writer.beginArray();
      for (const auto& entry : legs()) entry.writeFields(writer);
      writer.endArray();
      writer.key("account");
      writer.string(account());
      writer.key("note");
      writer.base64(note());

      writer.endObject();
    }

   private:
    [[maybe_unused]] const std::byte* data_;
    [[maybe_unused]] std::size_t size_;
    [[maybe_unused]] const std::byte* block_;
    [[maybe_unused]] std::uint64_t version_;
    std::size_t blockLength_;
    std::array<std::size_t, 4> parts_{};
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
          unset_{block_, 0x3ffULL},
          state_(view.data(), view.byteLength(), 52, blockInfo) {}
    Encoder(const Encoder&) = delete;
    Encoder& operator=(const Encoder&) = delete;
    ~Encoder() { complete_(); }

    Encoder& orderId(std::uint64_t value) noexcept {
      ::wirekit::codec::storeValue<std::uint64_t, ::wirekit::ByteOrder::little>(block_ + 0, value);
      written_(0);
      return *this;
    }
    // NUL-padded; EncodeError if longer than 8 bytes.
    Encoder& symbol(std::string_view value) {
      ::wirekit::codec::storeText<8>(block_ + 8, value, "NewOrder.symbol");
      written_(1);
      return *this;
    }
    Encoder& side(::demo::trading::Side value) noexcept {
      ::wirekit::codec::storeValue<::demo::trading::Side, ::wirekit::ByteOrder::little>(block_ + 16, value);
      written_(2);
      return *this;
    }
    Encoder& ordType(::demo::trading::OrdType value) noexcept {
      ::wirekit::codec::storeValue<::demo::trading::OrdType, ::wirekit::ByteOrder::little>(block_ + 17, value);
      written_(3);
      return *this;
    }
    Encoder& tif(::demo::trading::Tif value) noexcept {
      ::wirekit::store<std::uint8_t, ::wirekit::ByteOrder::little>(block_ + 18, value.bits());
      written_(4);
      return *this;
    }
    [[nodiscard]] ::demo::trading::Decimal::Encoder price() noexcept { return ::demo::trading::Decimal::Encoder(block_ + 19, marks_(5)); }
    Encoder& quantity(std::uint32_t value) noexcept {
      ::wirekit::codec::storeValue<std::uint32_t, ::wirekit::ByteOrder::little>(block_ + 28, value);
      written_(7);
      return *this;
    }
    // Writes the value, or the null value for std::nullopt; EncodeError for a value
    // that is the null value itself.
    Encoder& stopPrice(std::optional<std::int64_t> value) {
      if (!value) {
        ::wirekit::store<std::int64_t, ::wirekit::ByteOrder::little>(block_ + 32, ::std::numeric_limits<std::int64_t>::min());
        written_(8);
        return *this;
      }
      if (static_cast<std::int64_t>(*value) == ::std::numeric_limits<std::int64_t>::min()) [[unlikely]] {
        ::wirekit::codec::throwEncodeError("NewOrder.stopPrice", "the value is the null value of the field");
      }
      ::wirekit::store<std::int64_t, ::wirekit::ByteOrder::little>(block_ + 32, static_cast<std::int64_t>(*value));
      written_(8);
      return *this;
    }
    [[nodiscard]] static constexpr std::string_view venue() noexcept { return "XLON"; }
    Encoder& clientTag(std::uint32_t value) noexcept {
      ::wirekit::codec::storeValue<std::uint32_t, ::wirekit::ByteOrder::little>(block_ + 40, value);
      written_(9);
      return *this;
    }

    // Writes the group's dimension and reserves its entries; then call next() exactly `count` times.
    ::demo::trading::NewOrder::Legs::Encoder legs(std::size_t count) {
      const auto group = state_.beginBlocks<std::uint16_t, std::uint16_t, ::wirekit::ByteOrder::little, 0, 0, 65535U, 7>(
          0, count);
      return ::demo::trading::NewOrder::Legs::Encoder(&state_, group.generation, group.block, count);
    }
    Encoder& account(std::string_view value) {
      std::byte* at = state_.beginVar<std::uint16_t, ::wirekit::ByteOrder::little, 0, 1, 64U>(0, value.size());
      ::wirekit::codec::copyBytes(at, value.data(), value.size());
      return *this;
    }
    Encoder& note(std::span<const std::byte> value) {
      std::byte* at = state_.beginVar<std::uint32_t, ::wirekit::ByteOrder::little, 0, 2, 4294967295U>(0, value.size());
      ::wirekit::codec::copyBytes(at, value.data(), value.size());
      return *this;
    }

    // Completes the message (groups and string/bytes fields not written are
    // written empty; EncodeError if a group lacks entries) and returns its length.
    std::size_t encodedLength() {
      const std::size_t length = state_.finish<3>();
      complete_();
      return length;
    }

   private:
    static std::byte* start_(::wirekit::DataView view) {
      if (view.byteLength() < 52) {
        ::wirekit::codec::throwNoRoom("NewOrder", 52, view.byteLength());
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
    ::wirekit::codec::EncoderStateStorage<2> state_;
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

// message ExecutionReport = 2: block of 55 bytes.
struct ExecutionReport {
  static constexpr std::uint16_t templateId = 2;
  static constexpr std::uint16_t schemaId = 42;
  static constexpr std::uint16_t schemaVersion = 2;
  static constexpr std::uint16_t blockLength = 55;
  static constexpr std::string_view name = "ExecutionReport";
  // The block bytes a sender of `version` writes: the least a wire block length may be.
  [[nodiscard]] static constexpr std::size_t requiredBlockLength([[maybe_unused]] std::uint64_t version) noexcept {
    return 55;
  }

  struct Fees {
    static constexpr std::size_t blockLength = 13;
    // The block bytes a sender of `version` writes: the least a wire block length may be.
    [[nodiscard]] static constexpr std::size_t requiredBlockLength([[maybe_unused]] std::uint64_t version) noexcept {
      return 13;
    }

    static constexpr ::wirekit::codec::BlockInfo blockInfo{"ExecutionReport.fees", nullptr, 0, 13, ::wirekit::ByteOrder::little};

    static void initBlock([[maybe_unused]] std::byte* block) noexcept {
    }

    // The block is complete: writes its fields that no setter wrote (bit k of
    // `unset` for field k) zero, optional ones null.
    static void completeUnset([[maybe_unused]] std::byte* block, [[maybe_unused]] std::uint64_t unset) noexcept {
      if ((unset & (std::uint64_t{1} << 0)) != 0) {
        ::wirekit::codec::zeroBlock<4>(block + 0);  // ExecutionReport.fees.code
      }
      if ((unset & (std::uint64_t{1} << 1)) != 0) {
        ::wirekit::codec::zeroBlock<8>(block + 4);  // ExecutionReport.fees.amount.mantissa
      }
      if ((unset & (std::uint64_t{1} << 2)) != 0) {
        ::wirekit::codec::zeroBlock<1>(block + 12);  // ExecutionReport.fees.amount.exponent
      }
    }




    // Checks the group at pos (dimension, then every entry) against the view;
    // returns the offset just after it.
    static std::size_t walk(const std::byte* data, std::size_t size, std::size_t pos,
                            std::uint64_t version, const ::wirekit::codec::PathNode& parent) {
      const auto dimension = ::wirekit::codec::readDimension<std::uint16_t, std::uint8_t, ::wirekit::ByteOrder::little>(
          data, size, pos, requiredBlockLength(version), 8U, version, parent, "fees");
      (void)data;
      return ::wirekit::codec::skipEntries(dimension, size, parent, "fees");
    }

    // walk() for decode()'s usual path: ExecutionReport::fail_ reports what fails.
    // checked: the dimension was checked to fit; need: see scanEntries.
    template <bool checked, std::size_t need>
    static std::size_t scan(const std::byte* data, std::size_t size, std::size_t pos,
                            [[maybe_unused]] std::uint64_t version) {
      const auto dimension = ::wirekit::codec::scanDimension<ExecutionReport, std::uint16_t, std::uint8_t, ::wirekit::ByteOrder::little, checked>(
          data, size, pos, requiredBlockLength(version), 8U);
      return ::wirekit::codec::scanEntries<ExecutionReport, need>(data, size, dimension);
    }

    // walk() without the checks, for a group that decode() has walked already.
    static std::size_t skip(const std::byte* data, std::size_t pos,
                            [[maybe_unused]] std::uint64_t version) noexcept {
      const std::size_t blockLength = ::wirekit::load<std::uint16_t, ::wirekit::ByteOrder::little>(data + pos);
      const std::size_t count = ::wirekit::load<std::uint8_t, ::wirekit::ByteOrder::little>(data + pos + 2);
      pos += 3;
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

      [[nodiscard]] std::string_view code() const noexcept {
        return ::wirekit::codec::textView(block_ + 0, 4);
      }
      [[nodiscard]] ::demo::trading::Decimal::Decoder amount() const noexcept {
        return ::demo::trading::Decimal::Decoder(block_ + 4);
      }

    
      [[nodiscard]] std::uint64_t actingVersion() const noexcept { return version_; }
      [[nodiscard]] std::size_t actingBlockLength() const noexcept { return blockLength_; }
      // The offset in the view just after this entry.
      [[nodiscard]] std::size_t end_() const noexcept { return parts_[0]; }

      template <std::same_as<::wirekit::codec::JsonWriter> Writer>
      void writeFields(Writer& writer) const {
        writer.beginObject();
        writer.key("code");
        writer.latin1(code());
        writer.key("amount");
        amount().writeFields(writer);

    
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
            entries_(pos + 3),
            count_(::wirekit::load<std::uint8_t, ::wirekit::ByteOrder::little>(data + pos + 2)),
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
      EntryEncoder(std::byte* block, [[maybe_unused]] ::wirekit::codec::EncoderStateStorage<2>* state,
                   [[maybe_unused]] std::uint64_t generation, [[maybe_unused]] bool last) noexcept
          : block_(block), state_(state), generation_(generation), last_(last) {}

      // NUL-padded; EncodeError if longer than 4 bytes.
      EntryEncoder& code(std::string_view value) {
        ::wirekit::codec::storeText<4>(block_ + 0, value, "ExecutionReport.fees.code");
        written_(0);
        return *this;
      }
      [[nodiscard]] ::demo::trading::Decimal::Encoder amount() noexcept { return ::demo::trading::Decimal::Encoder(block_ + 4, marks_(1)); }

    
     private:
      // Through the state: an encoder of an entry that is no longer being
      // written (another began at this depth) records nothing.
      void written_(unsigned field) const noexcept { state_->unsetFields<1>().written(block_, field); }
      [[nodiscard]] ::wirekit::codec::FieldMarks marks_(unsigned first) const noexcept {
        return {&state_->unsetFields<1>(), block_, first};
      }

      [[maybe_unused]] std::byte* block_;
      [[maybe_unused]] ::wirekit::codec::EncoderStateStorage<2>* state_;
      [[maybe_unused]] std::uint64_t generation_;  // this entry's
      [[maybe_unused]] bool last_;                 // the last entry of the group
    };

    // Writes the entries of a group whose count was given and whose entries the
    // state reserved (they have no parts); keeps where they begin, the count and
    // how many were begun.
    class Encoder {
     public:
      Encoder(::wirekit::codec::EncoderStateStorage<2>* state, std::uint64_t group, std::byte* entries, std::size_t count) noexcept
          : state_(state), group_(group), entries_(entries), count_(count) {}
      // The next entry; call it exactly `count` times. Its fields left unset
      // are written zero (optional ones null) once it is complete.
      [[nodiscard]] EntryEncoder next() {
        const auto entry = state_->nextBlock<1>(group_, entries_, index_, count_, blockInfo);
        index_ = entry.index;
        entries_ = entry.block + blockLength;
        initBlock(entry.block);
        state_->beginFields<1>(entry.block, 0x7ULL, &completeUnset);
        if (index_ == count_) state_->close<1, false>();
        return EntryEncoder(entry.block, state_, group_, true);
      }

     private:
      ::wirekit::codec::EncoderStateStorage<2>* state_;
      std::uint64_t group_;  // its id (0: no entries)
      std::byte* entries_;  // the next entry's block
      std::size_t count_;
      std::size_t index_ = 0;
    };
  };

  static constexpr ::wirekit::codec::PartInfo partInfo[] = {
      {"fees", ::wirekit::codec::PartKind::group, 2, 1, 8U, 13, &::demo::trading::ExecutionReport::Fees::blockInfo},
      {"text", ::wirekit::codec::PartKind::string, 1, 0, 255U, 0, nullptr},
  };
  static constexpr ::wirekit::codec::BlockInfo blockInfo{"ExecutionReport", partInfo, 2, 55, ::wirekit::ByteOrder::little};

  static void initBlock([[maybe_unused]] std::byte* block) noexcept {
  }

  // The block is complete: writes its fields that no setter wrote (bit k of
  // `unset` for field k) zero, optional ones null.
  static void completeUnset([[maybe_unused]] std::byte* block, [[maybe_unused]] std::uint64_t unset) noexcept {
    if ((unset & (std::uint64_t{1} << 0)) != 0) {
      ::wirekit::codec::zeroBlock<8>(block + 0);  // ExecutionReport.orderId
    }
    if ((unset & (std::uint64_t{1} << 1)) != 0) {
      ::wirekit::codec::zeroBlock<8>(block + 8);  // ExecutionReport.execId
    }
    if ((unset & (std::uint64_t{1} << 2)) != 0) {
      ::wirekit::codec::zeroBlock<8>(block + 16);  // ExecutionReport.symbol
    }
    if ((unset & (std::uint64_t{1} << 3)) != 0) {
      ::wirekit::codec::zeroBlock<1>(block + 24);  // ExecutionReport.execType
    }
    if ((unset & (std::uint64_t{1} << 4)) != 0) {
      ::wirekit::codec::zeroBlock<1>(block + 25);  // ExecutionReport.side
    }
    if ((unset & (std::uint64_t{1} << 5)) != 0) {
      ::wirekit::codec::zeroBlock<8>(block + 26);  // ExecutionReport.lastPx.mantissa
    }
    if ((unset & (std::uint64_t{1} << 6)) != 0) {
      ::wirekit::codec::zeroBlock<1>(block + 34);  // ExecutionReport.lastPx.exponent
    }
    if ((unset & (std::uint64_t{1} << 7)) != 0) {
      ::wirekit::codec::zeroBlock<4>(block + 35);  // ExecutionReport.lastQty
    }
    if ((unset & (std::uint64_t{1} << 8)) != 0) {
      ::wirekit::codec::zeroBlock<4>(block + 39);  // ExecutionReport.leavesQty
    }
    if ((unset & (std::uint64_t{1} << 9)) != 0) {
      ::wirekit::codec::zeroBlock<4>(block + 43);  // ExecutionReport.cumQty
    }
    if ((unset & (std::uint64_t{1} << 10)) != 0) {
      ::wirekit::codec::zeroBlock<8>(block + 47);  // ExecutionReport.transactTime
    }
  }

  static std::size_t walkParts(const std::byte* data, std::size_t size, std::size_t pos,
                               [[maybe_unused]] std::uint64_t version,
                               const ::wirekit::codec::PathNode& path, std::size_t* parts) {
    parts[0] = pos;
    pos = ::demo::trading::ExecutionReport::Fees::walk(data, size, pos, version, path);
    parts[1] = pos;
    if (version >= 2) {
      pos = ::wirekit::codec::skipVar<std::uint8_t, ::wirekit::ByteOrder::little>(data, size, pos, 255U, path, "text");
    }
    parts[2] = pos;
    return pos;
  }

  static std::size_t scanParts(const std::byte* data, std::size_t size, std::size_t pos,
                               [[maybe_unused]] std::uint64_t version, std::size_t* parts) {
    parts[0] = pos;
    pos = ::demo::trading::ExecutionReport::Fees::scan<true, 0>(data, size, pos, version);
    parts[1] = pos;
    if (version >= 2) {
      pos = ::wirekit::codec::scanVar<ExecutionReport, std::uint8_t, ::wirekit::ByteOrder::little, false, 0>(data, size, pos, 255U);
    }
    parts[2] = pos;
    return pos;
  }

  // Where decode()'s usual path finds a check failing: the checks again, with
  // the DecodeError that names the field path and byte offset.
  [[noreturn, gnu::cold, gnu::noinline]] static void fail_(const std::byte* data, std::size_t size) {
    ::wirekit::codec::checkHeader(8, size, "ExecutionReport");
    const std::uint64_t schema = ::wirekit::load<std::uint16_t, ::wirekit::ByteOrder::little>(data + 4);
    if (schema != schemaId) ::wirekit::codec::detail::throwWrongId("ExecutionReport", "schema id", schema, 4, schemaId);
    const std::uint64_t id = ::wirekit::load<std::uint16_t, ::wirekit::ByteOrder::little>(data + 2);
    if (id != templateId) ::wirekit::codec::detail::throwWrongId("ExecutionReport", "template id", id, 2, templateId);
    const std::uint64_t version = ::wirekit::load<std::uint16_t, ::wirekit::ByteOrder::little>(data + 6);
    static constexpr ::wirekit::codec::PathNode path{nullptr, "ExecutionReport"};
    [[maybe_unused]] const std::size_t pos = ::wirekit::codec::checkMessageBlock(
        ::wirekit::load<std::uint16_t, ::wirekit::ByteOrder::little>(data + 0), 0,
        requiredBlockLength(version), version, 8, size, path);
    std::array<std::size_t, 3> parts{};
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
          ::wirekit::codec::exceeds(blockLength, 3, size - 8)) [[unlikely]] {
        fail_(data, size);
      }
      const std::size_t pos = 8 + static_cast<std::size_t>(blockLength);
      scanParts(data, size, pos, version, parts_.data());
    }

    [[nodiscard]] std::uint64_t orderId() const noexcept {
      return ::wirekit::codec::loadValue<std::uint64_t, ::wirekit::ByteOrder::little>(block_ + 0);
    }
    [[nodiscard]] std::uint64_t execId() const noexcept {
      return ::wirekit::codec::loadValue<std::uint64_t, ::wirekit::ByteOrder::little>(block_ + 8);
    }
    [[nodiscard]] std::string_view symbol() const noexcept {
      return ::wirekit::codec::textView(block_ + 16, 8);
    }
    [[nodiscard]] ::demo::trading::ExecType execType() const noexcept {
      return ::wirekit::codec::loadValue<::demo::trading::ExecType, ::wirekit::ByteOrder::little>(block_ + 24);
    }
    [[nodiscard]] ::demo::trading::Side side() const noexcept {
      return ::wirekit::codec::loadValue<::demo::trading::Side, ::wirekit::ByteOrder::little>(block_ + 25);
    }
    [[nodiscard]] ::demo::trading::Decimal::Decoder lastPx() const noexcept {
      return ::demo::trading::Decimal::Decoder(block_ + 26);
    }
    [[nodiscard]] std::uint32_t lastQty() const noexcept {
      return ::wirekit::codec::loadValue<std::uint32_t, ::wirekit::ByteOrder::little>(block_ + 35);
    }
    [[nodiscard]] std::uint32_t leavesQty() const noexcept {
      return ::wirekit::codec::loadValue<std::uint32_t, ::wirekit::ByteOrder::little>(block_ + 39);
    }
    [[nodiscard]] std::uint32_t cumQty() const noexcept {
      return ::wirekit::codec::loadValue<std::uint32_t, ::wirekit::ByteOrder::little>(block_ + 43);
    }
    [[nodiscard]] std::uint64_t transactTime() const noexcept {
      return ::wirekit::codec::loadValue<std::uint64_t, ::wirekit::ByteOrder::little>(block_ + 47);
    }

    [[nodiscard]] ::demo::trading::ExecutionReport::Fees::Decoder fees() const noexcept {
      return ::demo::trading::ExecutionReport::Fees::Decoder(data_, size_, parts_[0], version_);
    }
    [[nodiscard]] std::optional<std::string_view> text() const noexcept {
      if (version_ < 2) return std::nullopt;
      const std::size_t start = parts_[1] + 1;
      return std::string_view(reinterpret_cast<const char*>(data_ + start), parts_[2] - start);
    }

    // Header and body: where the next message would start.
    [[nodiscard]] std::size_t encodedLength() const noexcept { return parts_[2]; }
    [[nodiscard]] std::uint64_t actingVersion() const noexcept { return version_; }
    [[nodiscard]] std::size_t actingBlockLength() const noexcept { return blockLength_; }

    // The JSON form: {"ExecutionReport":{...}}, as `wirekit decode` prints it.
    template <std::same_as<::wirekit::codec::JsonWriter> Writer>
    void writeJson(Writer& writer) const {
      writer.beginObject();
      writer.key("ExecutionReport");
      writeFields(writer);
      writer.endObject();
    }
    template <std::same_as<::wirekit::codec::JsonWriter> Writer>
    void writeFields(Writer& writer) const {
      writer.beginObject();
      writer.key("orderId");
      writer.integer(orderId());
      writer.key("execId");
      writer.integer(execId());
      writer.key("symbol");
      writer.latin1(symbol());
      writer.key("execType");
      { const auto e = execType(); writer.enumValue(to_string(e), static_cast<char>(e)); }
      writer.key("side");
      { const auto e = side(); writer.enumValue(to_string(e), static_cast<std::uint8_t>(e)); }
      writer.key("lastPx");
      lastPx().writeFields(writer);
      writer.key("lastQty");
      writer.integer(lastQty());
      writer.key("leavesQty");
      writer.integer(leavesQty());
      writer.key("cumQty");
      writer.integer(cumQty());
      writer.key("transactTime");
      writer.integer(transactTime());

      writer.key("fees");
      writer.beginArray();
      for (const auto& entry : fees()) entry.writeFields(writer);
      writer.endArray();
      writer.key("text");
      if (const auto value = text()) {
        writer.string(*value);
      } else {
        writer.null();
      }

      writer.endObject();
    }

   private:
    [[maybe_unused]] const std::byte* data_;
    [[maybe_unused]] std::size_t size_;
    [[maybe_unused]] const std::byte* block_;
    [[maybe_unused]] std::uint64_t version_;
    std::size_t blockLength_;
    std::array<std::size_t, 3> parts_{};
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
          unset_{block_, 0x7ffULL},
          state_(view.data(), view.byteLength(), 63, blockInfo) {}
    Encoder(const Encoder&) = delete;
    Encoder& operator=(const Encoder&) = delete;
    ~Encoder() { complete_(); }

    Encoder& orderId(std::uint64_t value) noexcept {
      ::wirekit::codec::storeValue<std::uint64_t, ::wirekit::ByteOrder::little>(block_ + 0, value);
      written_(0);
      return *this;
    }
    Encoder& execId(std::uint64_t value) noexcept {
      ::wirekit::codec::storeValue<std::uint64_t, ::wirekit::ByteOrder::little>(block_ + 8, value);
      written_(1);
      return *this;
    }
    // NUL-padded; EncodeError if longer than 8 bytes.
    Encoder& symbol(std::string_view value) {
      ::wirekit::codec::storeText<8>(block_ + 16, value, "ExecutionReport.symbol");
      written_(2);
      return *this;
    }
    Encoder& execType(::demo::trading::ExecType value) noexcept {
      ::wirekit::codec::storeValue<::demo::trading::ExecType, ::wirekit::ByteOrder::little>(block_ + 24, value);
      written_(3);
      return *this;
    }
    Encoder& side(::demo::trading::Side value) noexcept {
      ::wirekit::codec::storeValue<::demo::trading::Side, ::wirekit::ByteOrder::little>(block_ + 25, value);
      written_(4);
      return *this;
    }
    [[nodiscard]] ::demo::trading::Decimal::Encoder lastPx() noexcept { return ::demo::trading::Decimal::Encoder(block_ + 26, marks_(5)); }
    Encoder& lastQty(std::uint32_t value) noexcept {
      ::wirekit::codec::storeValue<std::uint32_t, ::wirekit::ByteOrder::little>(block_ + 35, value);
      written_(7);
      return *this;
    }
    Encoder& leavesQty(std::uint32_t value) noexcept {
      ::wirekit::codec::storeValue<std::uint32_t, ::wirekit::ByteOrder::little>(block_ + 39, value);
      written_(8);
      return *this;
    }
    Encoder& cumQty(std::uint32_t value) noexcept {
      ::wirekit::codec::storeValue<std::uint32_t, ::wirekit::ByteOrder::little>(block_ + 43, value);
      written_(9);
      return *this;
    }
    Encoder& transactTime(std::uint64_t value) noexcept {
      ::wirekit::codec::storeValue<std::uint64_t, ::wirekit::ByteOrder::little>(block_ + 47, value);
      written_(10);
      return *this;
    }

    // Writes the group's dimension and reserves its entries; then call next() exactly `count` times.
    ::demo::trading::ExecutionReport::Fees::Encoder fees(std::size_t count) {
      const auto group = state_.beginBlocks<std::uint16_t, std::uint8_t, ::wirekit::ByteOrder::little, 0, 0, 8U, 13>(
          0, count);
      return ::demo::trading::ExecutionReport::Fees::Encoder(&state_, group.generation, group.block, count);
    }
    Encoder& text(std::string_view value) {
      std::byte* at = state_.beginVar<std::uint8_t, ::wirekit::ByteOrder::little, 0, 1, 255U>(0, value.size());
      ::wirekit::codec::copyBytes(at, value.data(), value.size());
      return *this;
    }

    // Completes the message (groups and string/bytes fields not written are
    // written empty; EncodeError if a group lacks entries) and returns its length.
    std::size_t encodedLength() {
      const std::size_t length = state_.finish<2>();
      complete_();
      return length;
    }

   private:
    static std::byte* start_(::wirekit::DataView view) {
      if (view.byteLength() < 63) {
        ::wirekit::codec::throwNoRoom("ExecutionReport", 63, view.byteLength());
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
    ::wirekit::codec::EncoderStateStorage<2> state_;
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

// message MarketDataIncremental = 3: block of 16 bytes.
struct MarketDataIncremental {
  static constexpr std::uint16_t templateId = 3;
  static constexpr std::uint16_t schemaId = 42;
  static constexpr std::uint16_t schemaVersion = 2;
  static constexpr std::uint16_t blockLength = 16;
  static constexpr std::string_view name = "MarketDataIncremental";
  // The block bytes a sender of `version` writes: the least a wire block length may be.
  [[nodiscard]] static constexpr std::size_t requiredBlockLength([[maybe_unused]] std::uint64_t version) noexcept {
    return 12;
  }

  struct Entries {
    static constexpr std::size_t blockLength = 26;
    // The block bytes a sender of `version` writes: the least a wire block length may be.
    [[nodiscard]] static constexpr std::size_t requiredBlockLength([[maybe_unused]] std::uint64_t version) noexcept {
      if (version >= 1) return 26;
      return 24;
    }

    static constexpr ::wirekit::codec::BlockInfo blockInfo{"MarketDataIncremental.entries", nullptr, 0, 26, ::wirekit::ByteOrder::little};

    static void initBlock([[maybe_unused]] std::byte* block) noexcept {
    }

    // The block is complete: writes its fields that no setter wrote (bit k of
    // `unset` for field k) zero, optional ones null.
    static void completeUnset([[maybe_unused]] std::byte* block, [[maybe_unused]] std::uint64_t unset) noexcept {
      if ((unset & (std::uint64_t{1} << 0)) != 0) {
        ::wirekit::codec::zeroBlock<1>(block + 0);  // MarketDataIncremental.entries.action
      }
      if ((unset & (std::uint64_t{1} << 1)) != 0) {
        ::wirekit::codec::zeroBlock<1>(block + 1);  // MarketDataIncremental.entries.side
      }
      if ((unset & (std::uint64_t{1} << 2)) != 0) {
        ::wirekit::codec::zeroBlock<8>(block + 2);  // MarketDataIncremental.entries.symbol
      }
      if ((unset & (std::uint64_t{1} << 3)) != 0) {
        ::wirekit::codec::zeroBlock<8>(block + 10);  // MarketDataIncremental.entries.price.mantissa
      }
      if ((unset & (std::uint64_t{1} << 4)) != 0) {
        ::wirekit::codec::zeroBlock<1>(block + 18);  // MarketDataIncremental.entries.price.exponent
      }
      if ((unset & (std::uint64_t{1} << 5)) != 0) {
        ::wirekit::codec::zeroBlock<4>(block + 19);  // MarketDataIncremental.entries.size
      }
      if ((unset & (std::uint64_t{1} << 6)) != 0) {
        ::wirekit::codec::zeroBlock<1>(block + 23);  // MarketDataIncremental.entries.level
      }
      if ((unset & (std::uint64_t{1} << 7)) != 0) {
        ::wirekit::store<std::uint16_t, ::wirekit::ByteOrder::little>(block + 24, std::uint16_t{65535});  // MarketDataIncremental.entries.numOrders
      }
    }




    // Checks the group at pos (dimension, then every entry) against the view;
    // returns the offset just after it.
    static std::size_t walk(const std::byte* data, std::size_t size, std::size_t pos,
                            std::uint64_t version, const ::wirekit::codec::PathNode& parent) {
      const auto dimension = ::wirekit::codec::readDimension<std::uint16_t, std::uint32_t, ::wirekit::ByteOrder::little>(
          data, size, pos, requiredBlockLength(version), 4294967295U, version, parent, "entries");
      (void)data;
      return ::wirekit::codec::skipEntries(dimension, size, parent, "entries");
    }

    // walk() for decode()'s usual path: MarketDataIncremental::fail_ reports what fails.
    // checked: the dimension was checked to fit; need: see scanEntries.
    template <bool checked, std::size_t need>
    static std::size_t scan(const std::byte* data, std::size_t size, std::size_t pos,
                            [[maybe_unused]] std::uint64_t version) {
      const auto dimension = ::wirekit::codec::scanDimension<MarketDataIncremental, std::uint16_t, std::uint32_t, ::wirekit::ByteOrder::little, checked>(
          data, size, pos, requiredBlockLength(version), 4294967295U);
      return ::wirekit::codec::scanEntries<MarketDataIncremental, need>(data, size, dimension);
    }

    // walk() without the checks, for a group that decode() has walked already.
    static std::size_t skip(const std::byte* data, std::size_t pos,
                            [[maybe_unused]] std::uint64_t version) noexcept {
      const std::size_t blockLength = ::wirekit::load<std::uint16_t, ::wirekit::ByteOrder::little>(data + pos);
      const std::size_t count = ::wirekit::load<std::uint32_t, ::wirekit::ByteOrder::little>(data + pos + 2);
      pos += 6;
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

      [[nodiscard]] ::demo::trading::UpdateAction action() const noexcept {
        return ::wirekit::codec::loadValue<::demo::trading::UpdateAction, ::wirekit::ByteOrder::little>(block_ + 0);
      }
      [[nodiscard]] ::demo::trading::Side side() const noexcept {
        return ::wirekit::codec::loadValue<::demo::trading::Side, ::wirekit::ByteOrder::little>(block_ + 1);
      }
      [[nodiscard]] std::string_view symbol() const noexcept {
        return ::wirekit::codec::textView(block_ + 2, 8);
      }
      [[nodiscard]] ::demo::trading::Decimal::Decoder price() const noexcept {
        return ::demo::trading::Decimal::Decoder(block_ + 10);
      }
      [[nodiscard]] std::int32_t size() const noexcept {
        return ::wirekit::codec::loadValue<std::int32_t, ::wirekit::ByteOrder::little>(block_ + 19);
      }
      [[nodiscard]] std::uint8_t level() const noexcept {
        return ::wirekit::codec::loadValue<std::uint8_t, ::wirekit::ByteOrder::little>(block_ + 23);
      }
      [[nodiscard]] std::optional<std::uint16_t> numOrders() const noexcept {
        if (version_ < 1) return std::nullopt;
        const auto raw = ::wirekit::load<std::uint16_t, ::wirekit::ByteOrder::little>(block_ + 24);
        if (raw == std::uint16_t{65535}) return std::nullopt;
        return raw;
      }

    
      [[nodiscard]] std::uint64_t actingVersion() const noexcept { return version_; }
      [[nodiscard]] std::size_t actingBlockLength() const noexcept { return blockLength_; }
      // The offset in the view just after this entry.
      [[nodiscard]] std::size_t end_() const noexcept { return parts_[0]; }

      template <std::same_as<::wirekit::codec::JsonWriter> Writer>
      void writeFields(Writer& writer) const {
        writer.beginObject();
        writer.key("action");
        { const auto e = action(); writer.enumValue(to_string(e), static_cast<std::uint8_t>(e)); }
        writer.key("side");
        { const auto e = side(); writer.enumValue(to_string(e), static_cast<std::uint8_t>(e)); }
        writer.key("symbol");
        writer.latin1(symbol());
        writer.key("price");
        price().writeFields(writer);
        writer.key("size");
        writer.integer(size());
        writer.key("level");
        writer.integer(level());
        writer.key("numOrders");
        if (const auto value = numOrders()) {
          writer.integer((*value));
        } else {
          writer.null();
        }

    
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
            entries_(pos + 6),
            count_(::wirekit::load<std::uint32_t, ::wirekit::ByteOrder::little>(data + pos + 2)),
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
      EntryEncoder(std::byte* block, [[maybe_unused]] ::wirekit::codec::EncoderStateStorage<2>* state,
                   [[maybe_unused]] std::uint64_t generation, [[maybe_unused]] bool last) noexcept
          : block_(block), state_(state), generation_(generation), last_(last) {}

      EntryEncoder& action(::demo::trading::UpdateAction value) noexcept {
        ::wirekit::codec::storeValue<::demo::trading::UpdateAction, ::wirekit::ByteOrder::little>(block_ + 0, value);
        written_(0);
        return *this;
      }
      EntryEncoder& side(::demo::trading::Side value) noexcept {
        ::wirekit::codec::storeValue<::demo::trading::Side, ::wirekit::ByteOrder::little>(block_ + 1, value);
        written_(1);
        return *this;
      }
      // NUL-padded; EncodeError if longer than 8 bytes.
      EntryEncoder& symbol(std::string_view value) {
        ::wirekit::codec::storeText<8>(block_ + 2, value, "MarketDataIncremental.entries.symbol");
        written_(2);
        return *this;
      }
      [[nodiscard]] ::demo::trading::Decimal::Encoder price() noexcept { return ::demo::trading::Decimal::Encoder(block_ + 10, marks_(3)); }
      EntryEncoder& size(std::int32_t value) noexcept {
        ::wirekit::codec::storeValue<std::int32_t, ::wirekit::ByteOrder::little>(block_ + 19, value);
        written_(5);
        return *this;
      }
      EntryEncoder& level(std::uint8_t value) noexcept {
        ::wirekit::codec::storeValue<std::uint8_t, ::wirekit::ByteOrder::little>(block_ + 23, value);
        written_(6);
        return *this;
      }
      // Writes the value, or the null value for std::nullopt; EncodeError for a value
      // that is the null value itself.
      EntryEncoder& numOrders(std::optional<std::uint16_t> value) {
        if (!value) {
          ::wirekit::store<std::uint16_t, ::wirekit::ByteOrder::little>(block_ + 24, std::uint16_t{65535});
          written_(7);
          return *this;
        }
        if (static_cast<std::uint16_t>(*value) == std::uint16_t{65535}) [[unlikely]] {
          ::wirekit::codec::throwEncodeError("MarketDataIncremental.entries.numOrders", "the value is the null value of the field");
        }
        ::wirekit::store<std::uint16_t, ::wirekit::ByteOrder::little>(block_ + 24, static_cast<std::uint16_t>(*value));
        written_(7);
        return *this;
      }

    
     private:
      // Through the state: an encoder of an entry that is no longer being
      // written (another began at this depth) records nothing.
      void written_(unsigned field) const noexcept { state_->unsetFields<1>().written(block_, field); }
      [[nodiscard]] ::wirekit::codec::FieldMarks marks_(unsigned first) const noexcept {
        return {&state_->unsetFields<1>(), block_, first};
      }

      [[maybe_unused]] std::byte* block_;
      [[maybe_unused]] ::wirekit::codec::EncoderStateStorage<2>* state_;
      [[maybe_unused]] std::uint64_t generation_;  // this entry's
      [[maybe_unused]] bool last_;                 // the last entry of the group
    };

    // Writes the entries of a group whose count was given and whose entries the
    // state reserved (they have no parts); keeps where they begin, the count and
    // how many were begun.
    class Encoder {
     public:
      Encoder(::wirekit::codec::EncoderStateStorage<2>* state, std::uint64_t group, std::byte* entries, std::size_t count) noexcept
          : state_(state), group_(group), entries_(entries), count_(count) {}
      // The next entry; call it exactly `count` times. Its fields left unset
      // are written zero (optional ones null) once it is complete.
      [[nodiscard]] EntryEncoder next() {
        const auto entry = state_->nextBlock<1>(group_, entries_, index_, count_, blockInfo);
        index_ = entry.index;
        entries_ = entry.block + blockLength;
        initBlock(entry.block);
        state_->beginFields<1>(entry.block, 0xffULL, &completeUnset);
        if (index_ == count_) state_->close<1, true>();
        return EntryEncoder(entry.block, state_, group_, true);
      }

     private:
      ::wirekit::codec::EncoderStateStorage<2>* state_;
      std::uint64_t group_;  // its id (0: no entries)
      std::byte* entries_;  // the next entry's block
      std::size_t count_;
      std::size_t index_ = 0;
    };
  };

  static constexpr ::wirekit::codec::PartInfo partInfo[] = {
      {"entries", ::wirekit::codec::PartKind::group, 2, 4, 4294967295U, 26, &::demo::trading::MarketDataIncremental::Entries::blockInfo},
  };
  static constexpr ::wirekit::codec::BlockInfo blockInfo{"MarketDataIncremental", partInfo, 1, 16, ::wirekit::ByteOrder::little};

  static void initBlock([[maybe_unused]] std::byte* block) noexcept {
    ::wirekit::codec::zeroBlock<4>(block + 12);
  }

  // The block is complete: writes its fields that no setter wrote (bit k of
  // `unset` for field k) zero, optional ones null.
  static void completeUnset([[maybe_unused]] std::byte* block, [[maybe_unused]] std::uint64_t unset) noexcept {
    if ((unset & (std::uint64_t{1} << 0)) != 0) {
      ::wirekit::codec::zeroBlock<8>(block + 0);  // MarketDataIncremental.transactTime
    }
    if ((unset & (std::uint64_t{1} << 1)) != 0) {
      ::wirekit::codec::zeroBlock<4>(block + 8);  // MarketDataIncremental.seqNum
    }
  }

  static std::size_t walkParts(const std::byte* data, std::size_t size, std::size_t pos,
                               [[maybe_unused]] std::uint64_t version,
                               const ::wirekit::codec::PathNode& path, std::size_t* parts) {
    parts[0] = pos;
    pos = ::demo::trading::MarketDataIncremental::Entries::walk(data, size, pos, version, path);
    parts[1] = pos;
    return pos;
  }

  static std::size_t scanParts(const std::byte* data, std::size_t size, std::size_t pos,
                               [[maybe_unused]] std::uint64_t version, std::size_t* parts) {
    parts[0] = pos;
    pos = ::demo::trading::MarketDataIncremental::Entries::scan<true, 0>(data, size, pos, version);
    parts[1] = pos;
    return pos;
  }

  // Where decode()'s usual path finds a check failing: the checks again, with
  // the DecodeError that names the field path and byte offset.
  [[noreturn, gnu::cold, gnu::noinline]] static void fail_(const std::byte* data, std::size_t size) {
    ::wirekit::codec::checkHeader(8, size, "MarketDataIncremental");
    const std::uint64_t schema = ::wirekit::load<std::uint16_t, ::wirekit::ByteOrder::little>(data + 4);
    if (schema != schemaId) ::wirekit::codec::detail::throwWrongId("MarketDataIncremental", "schema id", schema, 4, schemaId);
    const std::uint64_t id = ::wirekit::load<std::uint16_t, ::wirekit::ByteOrder::little>(data + 2);
    if (id != templateId) ::wirekit::codec::detail::throwWrongId("MarketDataIncremental", "template id", id, 2, templateId);
    const std::uint64_t version = ::wirekit::load<std::uint16_t, ::wirekit::ByteOrder::little>(data + 6);
    static constexpr ::wirekit::codec::PathNode path{nullptr, "MarketDataIncremental"};
    [[maybe_unused]] const std::size_t pos = ::wirekit::codec::checkMessageBlock(
        ::wirekit::load<std::uint16_t, ::wirekit::ByteOrder::little>(data + 0), 0,
        requiredBlockLength(version), version, 8, size, path);
    std::array<std::size_t, 2> parts{};
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
          ::wirekit::codec::exceeds(blockLength, 6, size - 8)) [[unlikely]] {
        fail_(data, size);
      }
      const std::size_t pos = 8 + static_cast<std::size_t>(blockLength);
      scanParts(data, size, pos, version, parts_.data());
    }

    [[nodiscard]] std::uint64_t transactTime() const noexcept {
      return ::wirekit::codec::loadValue<std::uint64_t, ::wirekit::ByteOrder::little>(block_ + 0);
    }
    [[nodiscard]] std::uint32_t seqNum() const noexcept {
      return ::wirekit::codec::loadValue<std::uint32_t, ::wirekit::ByteOrder::little>(block_ + 8);
    }

    [[nodiscard]] ::demo::trading::MarketDataIncremental::Entries::Decoder entries() const noexcept {
      return ::demo::trading::MarketDataIncremental::Entries::Decoder(data_, size_, parts_[0], version_);
    }

    // Header and body: where the next message would start.
    [[nodiscard]] std::size_t encodedLength() const noexcept { return parts_[1]; }
    [[nodiscard]] std::uint64_t actingVersion() const noexcept { return version_; }
    [[nodiscard]] std::size_t actingBlockLength() const noexcept { return blockLength_; }

    // The JSON form: {"MarketDataIncremental":{...}}, as `wirekit decode` prints it.
    template <std::same_as<::wirekit::codec::JsonWriter> Writer>
    void writeJson(Writer& writer) const {
      writer.beginObject();
      writer.key("MarketDataIncremental");
      writeFields(writer);
      writer.endObject();
    }
    template <std::same_as<::wirekit::codec::JsonWriter> Writer>
    void writeFields(Writer& writer) const {
      writer.beginObject();
      writer.key("transactTime");
      writer.integer(transactTime());
      writer.key("seqNum");
      writer.integer(seqNum());

      writer.key("entries");
      writer.beginArray();
      for (const auto& entry : entries()) entry.writeFields(writer);
      writer.endArray();

      writer.endObject();
    }

   private:
    [[maybe_unused]] const std::byte* data_;
    [[maybe_unused]] std::size_t size_;
    [[maybe_unused]] const std::byte* block_;
    [[maybe_unused]] std::uint64_t version_;
    std::size_t blockLength_;
    std::array<std::size_t, 2> parts_{};
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
          unset_{block_, 0x3ULL},
          state_(view.data(), view.byteLength(), 24, blockInfo) {}
    Encoder(const Encoder&) = delete;
    Encoder& operator=(const Encoder&) = delete;
    ~Encoder() { complete_(); }

    Encoder& transactTime(std::uint64_t value) noexcept {
      ::wirekit::codec::storeValue<std::uint64_t, ::wirekit::ByteOrder::little>(block_ + 0, value);
      written_(0);
      return *this;
    }
    Encoder& seqNum(std::uint32_t value) noexcept {
      ::wirekit::codec::storeValue<std::uint32_t, ::wirekit::ByteOrder::little>(block_ + 8, value);
      written_(1);
      return *this;
    }

    // Writes the group's dimension and reserves its entries; then call next() exactly `count` times.
    ::demo::trading::MarketDataIncremental::Entries::Encoder entries(std::size_t count) {
      const auto group = state_.beginBlocks<std::uint16_t, std::uint32_t, ::wirekit::ByteOrder::little, 0, 0, 4294967295U, 26>(
          0, count);
      return ::demo::trading::MarketDataIncremental::Entries::Encoder(&state_, group.generation, group.block, count);
    }

    // Completes the message (groups and string/bytes fields not written are
    // written empty; EncodeError if a group lacks entries) and returns its length.
    std::size_t encodedLength() {
      const std::size_t length = state_.finish<1>();
      complete_();
      return length;
    }

   private:
    static std::byte* start_(::wirekit::DataView view) {
      if (view.byteLength() < 24) {
        ::wirekit::codec::throwNoRoom("MarketDataIncremental", 24, view.byteLength());
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
    ::wirekit::codec::EncoderStateStorage<2> state_;
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

// message Heartbeat = 4: block of 8 bytes.
struct Heartbeat {
  static constexpr std::uint16_t templateId = 4;
  static constexpr std::uint16_t schemaId = 42;
  static constexpr std::uint16_t schemaVersion = 2;
  static constexpr std::uint16_t blockLength = 8;
  static constexpr std::string_view name = "Heartbeat";
  // The block bytes a sender of `version` writes: the least a wire block length may be.
  [[nodiscard]] static constexpr std::size_t requiredBlockLength([[maybe_unused]] std::uint64_t version) noexcept {
    return 8;
  }

  static constexpr ::wirekit::codec::BlockInfo blockInfo{"Heartbeat", nullptr, 0, 8, ::wirekit::ByteOrder::little};

  static void initBlock([[maybe_unused]] std::byte* block) noexcept {
  }

  // The block is complete: writes its fields that no setter wrote (bit k of
  // `unset` for field k) zero, optional ones null.
  static void completeUnset([[maybe_unused]] std::byte* block, [[maybe_unused]] std::uint64_t unset) noexcept {
    if ((unset & (std::uint64_t{1} << 0)) != 0) {
      ::wirekit::codec::zeroBlock<8>(block + 0);  // Heartbeat.sentAt
    }
  }



  // Where decode()'s usual path finds a check failing: the checks again, with
  // the DecodeError that names the field path and byte offset.
  [[noreturn, gnu::cold, gnu::noinline]] static void fail_(const std::byte* data, std::size_t size) {
    ::wirekit::codec::checkHeader(8, size, "Heartbeat");
    const std::uint64_t schema = ::wirekit::load<std::uint16_t, ::wirekit::ByteOrder::little>(data + 4);
    if (schema != schemaId) ::wirekit::codec::detail::throwWrongId("Heartbeat", "schema id", schema, 4, schemaId);
    const std::uint64_t id = ::wirekit::load<std::uint16_t, ::wirekit::ByteOrder::little>(data + 2);
    if (id != templateId) ::wirekit::codec::detail::throwWrongId("Heartbeat", "template id", id, 2, templateId);
    const std::uint64_t version = ::wirekit::load<std::uint16_t, ::wirekit::ByteOrder::little>(data + 6);
    static constexpr ::wirekit::codec::PathNode path{nullptr, "Heartbeat"};
    [[maybe_unused]] const std::size_t pos = ::wirekit::codec::checkMessageBlock(
        ::wirekit::load<std::uint16_t, ::wirekit::ByteOrder::little>(data + 0), 0,
        requiredBlockLength(version), version, 8, size, path);
    std::terminate();  // unreachable: the usual path makes the same checks
  }

  class Decoder {
   public:
    // A message whose header decode() read and checked.
    Decoder(const std::byte* data, std::size_t size, std::uint64_t blockLength, std::uint64_t version)
        : data_(data), size_(size), block_(data + 8), version_(version),
          blockLength_(static_cast<std::size_t>(blockLength)) {
      if (blockLength < requiredBlockLength(version) ||
          ::wirekit::codec::exceeds(blockLength, 0, size - 8)) [[unlikely]] {
        fail_(data, size);
      }
      const std::size_t pos = 8 + static_cast<std::size_t>(blockLength);
      parts_[0] = pos;
    }

    [[nodiscard]] std::uint64_t sentAt() const noexcept {
      return ::wirekit::codec::loadValue<std::uint64_t, ::wirekit::ByteOrder::little>(block_ + 0);
    }

  
    // Header and body: where the next message would start.
    [[nodiscard]] std::size_t encodedLength() const noexcept { return parts_[0]; }
    [[nodiscard]] std::uint64_t actingVersion() const noexcept { return version_; }
    [[nodiscard]] std::size_t actingBlockLength() const noexcept { return blockLength_; }

    // The JSON form: {"Heartbeat":{...}}, as `wirekit decode` prints it.
    template <std::same_as<::wirekit::codec::JsonWriter> Writer>
    void writeJson(Writer& writer) const {
      writer.beginObject();
      writer.key("Heartbeat");
      writeFields(writer);
      writer.endObject();
    }
    template <std::same_as<::wirekit::codec::JsonWriter> Writer>
    void writeFields(Writer& writer) const {
      writer.beginObject();
      writer.key("sentAt");
      writer.integer(sentAt());

  
      writer.endObject();
    }

   private:
    [[maybe_unused]] const std::byte* data_;
    [[maybe_unused]] std::size_t size_;
    [[maybe_unused]] const std::byte* block_;
    [[maybe_unused]] std::uint64_t version_;
    std::size_t blockLength_;
    std::array<std::size_t, 1> parts_{};
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
          unset_{block_, 0x1ULL} {}
    Encoder(const Encoder&) = delete;
    Encoder& operator=(const Encoder&) = delete;
    ~Encoder() { complete_(); }

    Encoder& sentAt(std::uint64_t value) noexcept {
      ::wirekit::codec::storeValue<std::uint64_t, ::wirekit::ByteOrder::little>(block_ + 0, value);
      written_(0);
      return *this;
    }

  
    // Completes the message and returns its length: the header and the block
    // (the message has no groups or string/bytes fields).
    std::size_t encodedLength() noexcept {
      complete_();
      return 16;
    }

   private:
    static std::byte* start_(::wirekit::DataView view) {
      if (view.byteLength() < 16) {
        ::wirekit::codec::throwNoRoom("Heartbeat", 16, view.byteLength());
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
    // Writes the fields left unset, of the block and of the entries still open.
    void complete_() noexcept {
      if (unset_.bits != 0) {
        completeUnset(block_, unset_.bits);
        unset_.bits = 0;
      }
    }

    [[maybe_unused]] std::byte* block_;
    ::wirekit::codec::UnsetFields unset_;
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
using AnyMessage = std::variant<NewOrder::Decoder, ExecutionReport::Decoder, MarketDataIncremental::Decoder, Heartbeat::Decoder>;

// Decodes whichever message the header names. DecodeError for a header that
// does not fit, another schema id or an unknown template id, and as each
// message's decode().
[[nodiscard]] inline AnyMessage decode(::wirekit::DataView view) {
  const std::byte* data = view.data();
  const std::size_t size = view.byteLength();
  ::wirekit::codec::checkHeader(8, size, "demo.trading");
  const std::uint64_t schema = ::wirekit::load<std::uint16_t, ::wirekit::ByteOrder::little>(data + 4);
  if (schema != Schema::schemaId) ::wirekit::codec::detail::throwWrongId("demo.trading", "schema id", schema, 4, Schema::schemaId);
  const std::uint64_t id = ::wirekit::load<std::uint16_t, ::wirekit::ByteOrder::little>(data + 2);
  switch (id) {
    case 1:
      return AnyMessage(std::in_place_index<0>, NewOrder::decode(view));
    case 2:
      return AnyMessage(std::in_place_index<1>, ExecutionReport::decode(view));
    case 3:
      return AnyMessage(std::in_place_index<2>, MarketDataIncremental::decode(view));
    case 4:
      return AnyMessage(std::in_place_index<3>, Heartbeat::decode(view));
    default:
      ::wirekit::codec::detail::throwUnknownTemplate("demo.trading", id, 2);
  }
}

}  // namespace demo::trading

template <>
struct fmt::formatter<::demo::trading::Side> : ::wirekit::codec::EnumFormatter {
  auto format(::demo::trading::Side value, fmt::format_context& context) const {
    const std::string_view name = to_string(value);
    if (!name.empty()) return formatName(name, context);
    return formatUnnamed(static_cast<std::uint8_t>(value), context);
  }
};

template <>
struct fmt::formatter<::demo::trading::OrdType> : ::wirekit::codec::EnumFormatter {
  auto format(::demo::trading::OrdType value, fmt::format_context& context) const {
    const std::string_view name = to_string(value);
    if (!name.empty()) return formatName(name, context);
    return formatUnnamed(static_cast<char>(value), context);
  }
};

template <>
struct fmt::formatter<::demo::trading::ExecType> : ::wirekit::codec::EnumFormatter {
  auto format(::demo::trading::ExecType value, fmt::format_context& context) const {
    const std::string_view name = to_string(value);
    if (!name.empty()) return formatName(name, context);
    return formatUnnamed(static_cast<char>(value), context);
  }
};

template <>
struct fmt::formatter<::demo::trading::UpdateAction> : ::wirekit::codec::EnumFormatter {
  auto format(::demo::trading::UpdateAction value, fmt::format_context& context) const {
    const std::string_view name = to_string(value);
    if (!name.empty()) return formatName(name, context);
    return formatUnnamed(static_cast<std::uint8_t>(value), context);
  }
};

template <>
struct fmt::formatter<::demo::trading::NewOrder::Decoder> : ::wirekit::codec::JsonFormatter<::demo::trading::NewOrder::Decoder> {};

template <>
struct fmt::formatter<::demo::trading::ExecutionReport::Decoder> : ::wirekit::codec::JsonFormatter<::demo::trading::ExecutionReport::Decoder> {};

template <>
struct fmt::formatter<::demo::trading::MarketDataIncremental::Decoder> : ::wirekit::codec::JsonFormatter<::demo::trading::MarketDataIncremental::Decoder> {};

template <>
struct fmt::formatter<::demo::trading::Heartbeat::Decoder> : ::wirekit::codec::JsonFormatter<::demo::trading::Heartbeat::Decoder> {};
