// Generated from custom_header.wk by the wirekit schema compiler. Do not edit.
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

namespace wktest::custom {

// The schema: its id, version and byte order, and the message header.
struct Schema {
  static constexpr std::uint16_t schemaId = 77;
  static constexpr std::uint8_t version = 3;
  static constexpr ::wirekit::ByteOrder byteOrder = ::wirekit::ByteOrder::big;
  static constexpr std::string_view package = "wktest.custom";
  static constexpr std::size_t headerSize = 8;
};

// message Ping = 200: block of 12 bytes.
struct Ping {
  static constexpr std::uint8_t templateId = 200;
  static constexpr std::uint16_t schemaId = 77;
  static constexpr std::uint8_t schemaVersion = 3;
  static constexpr std::uint32_t blockLength = 12;
  static constexpr std::string_view name = "Ping";
  // The block bytes a sender of `version` writes: the least a wire block length may be.
  [[nodiscard]] static constexpr std::size_t requiredBlockLength([[maybe_unused]] std::uint64_t version) noexcept {
    return 12;
  }

  static constexpr ::wirekit::codec::PartInfo partInfo[] = {
      {"note", ::wirekit::codec::PartKind::string, 1, 0, 255U, 0, nullptr},
  };
  static constexpr ::wirekit::codec::BlockInfo blockInfo{"Ping", partInfo, 1, 12, ::wirekit::ByteOrder::big};

  static void initBlock([[maybe_unused]] std::byte* block) noexcept {
  }

  // The block is complete: writes its fields that no setter wrote (bit k of
  // `unset` for field k) zero, optional ones null.
  static void completeUnset([[maybe_unused]] std::byte* block, [[maybe_unused]] std::uint64_t unset) noexcept {
    if ((unset & (std::uint64_t{1} << 0)) != 0) {
      ::wirekit::codec::zeroBlock<4>(block + 0);  // Ping.seq
    }
    if ((unset & (std::uint64_t{1} << 1)) != 0) {
      ::wirekit::codec::zeroBlock<8>(block + 4);  // Ping.sentAt
    }
  }

  static std::size_t walkParts(const std::byte* data, std::size_t size, std::size_t pos,
                               [[maybe_unused]] std::uint64_t version,
                               const ::wirekit::codec::PathNode& path, std::size_t* parts) {
    parts[0] = pos;
    pos = ::wirekit::codec::skipVar<std::uint8_t, ::wirekit::ByteOrder::big>(data, size, pos, 255U, path, "note");
    parts[1] = pos;
    return pos;
  }

  static std::size_t scanParts(const std::byte* data, std::size_t size, std::size_t pos,
                               [[maybe_unused]] std::uint64_t version, std::size_t* parts) {
    parts[0] = pos;
    pos = ::wirekit::codec::scanVar<Ping, std::uint8_t, ::wirekit::ByteOrder::big, true, 0>(data, size, pos, 255U);
    parts[1] = pos;
    return pos;
  }

  // Where decode()'s usual path finds a check failing: the checks again, with
  // the DecodeError that names the field path and byte offset.
  [[noreturn, gnu::cold, gnu::noinline]] static void fail_(const std::byte* data, std::size_t size) {
    ::wirekit::codec::checkHeader(8, size, "Ping");
    const std::uint64_t schema = ::wirekit::load<std::uint16_t, ::wirekit::ByteOrder::big>(data + 2);
    if (schema != schemaId) ::wirekit::codec::detail::throwWrongId("Ping", "schema id", schema, 2, schemaId);
    const std::uint64_t id = ::wirekit::load<std::uint8_t, ::wirekit::ByteOrder::big>(data + 0);
    if (id != templateId) ::wirekit::codec::detail::throwWrongId("Ping", "template id", id, 0, templateId);
    const std::uint64_t version = ::wirekit::load<std::uint8_t, ::wirekit::ByteOrder::big>(data + 1);
    static constexpr ::wirekit::codec::PathNode path{nullptr, "Ping"};
    [[maybe_unused]] const std::size_t pos = ::wirekit::codec::checkMessageBlock(
        ::wirekit::load<std::uint32_t, ::wirekit::ByteOrder::big>(data + 4), 4,
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
          ::wirekit::codec::exceeds(blockLength, 1, size - 8)) [[unlikely]] {
        fail_(data, size);
      }
      const std::size_t pos = 8 + static_cast<std::size_t>(blockLength);
      scanParts(data, size, pos, version, parts_.data());
    }

    [[nodiscard]] std::uint32_t seq() const noexcept {
      return ::wirekit::codec::loadValue<std::uint32_t, ::wirekit::ByteOrder::big>(block_ + 0);
    }
    [[nodiscard]] std::uint64_t sentAt() const noexcept {
      return ::wirekit::codec::loadValue<std::uint64_t, ::wirekit::ByteOrder::big>(block_ + 4);
    }

    [[nodiscard]] std::string_view note() const noexcept {
      const std::size_t start = parts_[0] + 1;
      return std::string_view(reinterpret_cast<const char*>(data_ + start), parts_[1] - start);
    }

    // Header and body: where the next message would start.
    [[nodiscard]] std::size_t encodedLength() const noexcept { return parts_[1]; }
    [[nodiscard]] std::uint64_t actingVersion() const noexcept { return version_; }
    [[nodiscard]] std::size_t actingBlockLength() const noexcept { return blockLength_; }

    // The JSON form: {"Ping":{...}}, as `wirekit decode` prints it.
    template <std::same_as<::wirekit::codec::JsonWriter> Writer>
    void writeJson(Writer& writer) const {
      writer.beginObject();
      writer.key("Ping");
      writeFields(writer);
      writer.endObject();
    }
    template <std::same_as<::wirekit::codec::JsonWriter> Writer>
    void writeFields(Writer& writer) const {
      writer.beginObject();
      writer.key("seq");
      writer.integer(seq());
      writer.key("sentAt");
      writer.integer(sentAt());

      writer.key("note");
      writer.string(note());

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
          state_(view.data(), view.byteLength(), 20, blockInfo) {}
    Encoder(const Encoder&) = delete;
    Encoder& operator=(const Encoder&) = delete;
    ~Encoder() { complete_(); }

    Encoder& seq(std::uint32_t value) noexcept {
      ::wirekit::codec::storeValue<std::uint32_t, ::wirekit::ByteOrder::big>(block_ + 0, value);
      written_(0);
      return *this;
    }
    Encoder& sentAt(std::uint64_t value) noexcept {
      ::wirekit::codec::storeValue<std::uint64_t, ::wirekit::ByteOrder::big>(block_ + 4, value);
      written_(1);
      return *this;
    }

    Encoder& note(std::string_view value) {
      std::byte* at = state_.beginVar<std::uint8_t, ::wirekit::ByteOrder::big, 0, 0, 255U>(0, value.size());
      ::wirekit::codec::copyBytes(at, value.data(), value.size());
      return *this;
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
      if (view.byteLength() < 20) {
        ::wirekit::codec::throwNoRoom("Ping", 20, view.byteLength());
      }
      std::byte* data = view.data();
      ::wirekit::store<std::uint32_t, ::wirekit::ByteOrder::big>(data + 4, blockLength);
      ::wirekit::store<std::uint8_t, ::wirekit::ByteOrder::big>(data + 0, templateId);
      ::wirekit::store<std::uint16_t, ::wirekit::ByteOrder::big>(data + 2, schemaId);
      ::wirekit::store<std::uint8_t, ::wirekit::ByteOrder::big>(data + 1, schemaVersion);
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
    ::wirekit::codec::EncoderStateStorage<1> state_;
  };

  // Writes the header into view and returns the encoder of the rest.
  [[nodiscard]] static Encoder encode(::wirekit::DataView view) { return Encoder(view); }

  // Checks the whole message against view (header, block length for the acting
  // version, every group and length); DecodeError names the field and byte.
  [[nodiscard]] static Decoder decode(::wirekit::DataView view) {
    const std::byte* data = view.data();
    const std::size_t size = view.byteLength();
    if (8 > size ||
        ::wirekit::load<std::uint16_t, ::wirekit::ByteOrder::big>(data + 2) != schemaId ||
        ::wirekit::load<std::uint8_t, ::wirekit::ByteOrder::big>(data + 0) != templateId) [[unlikely]] {
      fail_(data, size);
    }
    return Decoder(data, size, ::wirekit::load<std::uint32_t, ::wirekit::ByteOrder::big>(data + 4),
                   ::wirekit::load<std::uint8_t, ::wirekit::ByteOrder::big>(data + 1));
  }
};

// message Pong = 201: block of 4 bytes.
struct Pong {
  static constexpr std::uint8_t templateId = 201;
  static constexpr std::uint16_t schemaId = 77;
  static constexpr std::uint8_t schemaVersion = 3;
  static constexpr std::uint32_t blockLength = 4;
  static constexpr std::string_view name = "Pong";
  // The block bytes a sender of `version` writes: the least a wire block length may be.
  [[nodiscard]] static constexpr std::size_t requiredBlockLength([[maybe_unused]] std::uint64_t version) noexcept {
    return 4;
  }

  static constexpr ::wirekit::codec::BlockInfo blockInfo{"Pong", nullptr, 0, 4, ::wirekit::ByteOrder::big};

  static void initBlock([[maybe_unused]] std::byte* block) noexcept {
  }

  // The block is complete: writes its fields that no setter wrote (bit k of
  // `unset` for field k) zero, optional ones null.
  static void completeUnset([[maybe_unused]] std::byte* block, [[maybe_unused]] std::uint64_t unset) noexcept {
    if ((unset & (std::uint64_t{1} << 0)) != 0) {
      ::wirekit::codec::zeroBlock<4>(block + 0);  // Pong.seq
    }
  }



  // Where decode()'s usual path finds a check failing: the checks again, with
  // the DecodeError that names the field path and byte offset.
  [[noreturn, gnu::cold, gnu::noinline]] static void fail_(const std::byte* data, std::size_t size) {
    ::wirekit::codec::checkHeader(8, size, "Pong");
    const std::uint64_t schema = ::wirekit::load<std::uint16_t, ::wirekit::ByteOrder::big>(data + 2);
    if (schema != schemaId) ::wirekit::codec::detail::throwWrongId("Pong", "schema id", schema, 2, schemaId);
    const std::uint64_t id = ::wirekit::load<std::uint8_t, ::wirekit::ByteOrder::big>(data + 0);
    if (id != templateId) ::wirekit::codec::detail::throwWrongId("Pong", "template id", id, 0, templateId);
    const std::uint64_t version = ::wirekit::load<std::uint8_t, ::wirekit::ByteOrder::big>(data + 1);
    static constexpr ::wirekit::codec::PathNode path{nullptr, "Pong"};
    [[maybe_unused]] const std::size_t pos = ::wirekit::codec::checkMessageBlock(
        ::wirekit::load<std::uint32_t, ::wirekit::ByteOrder::big>(data + 4), 4,
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

    [[nodiscard]] std::uint32_t seq() const noexcept {
      return ::wirekit::codec::loadValue<std::uint32_t, ::wirekit::ByteOrder::big>(block_ + 0);
    }

  
    // Header and body: where the next message would start.
    [[nodiscard]] std::size_t encodedLength() const noexcept { return parts_[0]; }
    [[nodiscard]] std::uint64_t actingVersion() const noexcept { return version_; }
    [[nodiscard]] std::size_t actingBlockLength() const noexcept { return blockLength_; }

    // The JSON form: {"Pong":{...}}, as `wirekit decode` prints it.
    template <std::same_as<::wirekit::codec::JsonWriter> Writer>
    void writeJson(Writer& writer) const {
      writer.beginObject();
      writer.key("Pong");
      writeFields(writer);
      writer.endObject();
    }
    template <std::same_as<::wirekit::codec::JsonWriter> Writer>
    void writeFields(Writer& writer) const {
      writer.beginObject();
      writer.key("seq");
      writer.integer(seq());

  
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

    Encoder& seq(std::uint32_t value) noexcept {
      ::wirekit::codec::storeValue<std::uint32_t, ::wirekit::ByteOrder::big>(block_ + 0, value);
      written_(0);
      return *this;
    }

  
    // Completes the message and returns its length: the header and the block
    // (the message has no groups or string/bytes fields).
    std::size_t encodedLength() noexcept {
      complete_();
      return 12;
    }

   private:
    static std::byte* start_(::wirekit::DataView view) {
      if (view.byteLength() < 12) {
        ::wirekit::codec::throwNoRoom("Pong", 12, view.byteLength());
      }
      std::byte* data = view.data();
      ::wirekit::store<std::uint32_t, ::wirekit::ByteOrder::big>(data + 4, blockLength);
      ::wirekit::store<std::uint8_t, ::wirekit::ByteOrder::big>(data + 0, templateId);
      ::wirekit::store<std::uint16_t, ::wirekit::ByteOrder::big>(data + 2, schemaId);
      ::wirekit::store<std::uint8_t, ::wirekit::ByteOrder::big>(data + 1, schemaVersion);
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
        ::wirekit::load<std::uint16_t, ::wirekit::ByteOrder::big>(data + 2) != schemaId ||
        ::wirekit::load<std::uint8_t, ::wirekit::ByteOrder::big>(data + 0) != templateId) [[unlikely]] {
      fail_(data, size);
    }
    return Decoder(data, size, ::wirekit::load<std::uint32_t, ::wirekit::ByteOrder::big>(data + 4),
                   ::wirekit::load<std::uint8_t, ::wirekit::ByteOrder::big>(data + 1));
  }
};

// Any message of the schema, as decode(view) gives it (for std::visit).
using AnyMessage = std::variant<Ping::Decoder, Pong::Decoder>;

// Decodes whichever message the header names. DecodeError for a header that
// does not fit, another schema id or an unknown template id, and as each
// message's decode().
[[nodiscard]] inline AnyMessage decode(::wirekit::DataView view) {
  const std::byte* data = view.data();
  const std::size_t size = view.byteLength();
  ::wirekit::codec::checkHeader(8, size, "wktest.custom");
  const std::uint64_t schema = ::wirekit::load<std::uint16_t, ::wirekit::ByteOrder::big>(data + 2);
  if (schema != Schema::schemaId) ::wirekit::codec::detail::throwWrongId("wktest.custom", "schema id", schema, 2, Schema::schemaId);
  const std::uint64_t id = ::wirekit::load<std::uint8_t, ::wirekit::ByteOrder::big>(data + 0);
  switch (id) {
    case 200:
      return AnyMessage(std::in_place_index<0>, Ping::decode(view));
    case 201:
      return AnyMessage(std::in_place_index<1>, Pong::decode(view));
    default:
      ::wirekit::codec::detail::throwUnknownTemplate("wktest.custom", id, 0);
  }
}

}  // namespace wktest::custom

template <>
struct fmt::formatter<::wktest::custom::Ping::Decoder> : ::wirekit::codec::JsonFormatter<::wktest::custom::Ping::Decoder> {};

template <>
struct fmt::formatter<::wktest::custom::Pong::Decoder> : ::wirekit::codec::JsonFormatter<::wktest::custom::Pong::Decoder> {};
