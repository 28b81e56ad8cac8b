// SPDX-License-Identifier: Apache-2.0
#pragma once
// SchemaMessages<Schema>: what a message stream needs to know about a generated
// schema, found from its `Schema` struct alone: the `AnyMessage` variant of its
// decoders and the namespace-level `decode(view)` that returns it (both in the
// generated C++ API contract), and where a message type sits in the variant.
//
//   using Trading = wirekit::SchemaMessages<demo::trading::Schema>;
//   Trading::AnyMessage message = Trading::decode(view);   // demo::trading::decode
//   static_assert(Trading::indexOf<demo::trading::NewOrder> == 0);

#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <utility>
#include <variant>

#include "wirekit/bytes/data_view.hpp"

namespace wirekit {

namespace detail {

// A DataView whose type names the schema. An unqualified call decode(view) with
// one of these finds <schema namespace>::decode(DataView) by argument-dependent
// lookup, since the namespaces of a class template's arguments are searched:
// the user names only the Schema struct, never the generated function.
template <class Schema>
struct SchemaView : DataView {
  explicit SchemaView(DataView view) noexcept : DataView(view) {}
};

// Outside any class, so that no member named decode hides the generated one.
template <class Schema>
auto decodeAnyMessage(DataView view) -> decltype(decode(SchemaView<Schema>(view))) {
  return decode(SchemaView<Schema>(view));
}

inline constexpr std::size_t notAnAlternative = static_cast<std::size_t>(-1);

template <class T, class Variant>
struct AlternativeIndex;
template <class T, class... Alternatives>
struct AlternativeIndex<T, std::variant<Alternatives...>> {
  static constexpr std::size_t value = [] {
    constexpr std::array<bool, sizeof...(Alternatives)> same{std::is_same_v<T, Alternatives>...};
    for (std::size_t index = 0; index < same.size(); ++index) {
      if (same[index]) return index;
    }
    return notAnAlternative;
  }();
};

}  // namespace detail

// The `Schema` struct of a generated header (demo::trading::Schema): its
// constants, and a decode(view) in its namespace that gives the variant of
// the schema's decoders. A message type (demo::trading::NewOrder) is not one.
template <class Schema>
concept GeneratedSchema = requires(DataView view) {
  { Schema::schemaId } -> std::convertible_to<std::uint16_t>;
  { Schema::byteOrder } -> std::convertible_to<ByteOrder>;
  { Schema::headerSize } -> std::convertible_to<std::size_t>;
  detail::decodeAnyMessage<Schema>(view);
};

template <GeneratedSchema Schema>
struct SchemaMessages {
  // std::variant of every message's Decoder, in the schema's order.
  using AnyMessage = decltype(detail::decodeAnyMessage<Schema>(std::declval<DataView>()));

  // The schema's decode(view): checks the header and the whole message;
  // DecodeError names the field and the byte.
  [[nodiscard]] static AnyMessage decode(DataView view) {
    return detail::decodeAnyMessage<Schema>(view);
  }

  // Whether Message (a generated message struct) belongs to this schema.
  template <class Message>
  static constexpr bool contains =
      detail::AlternativeIndex<typename Message::Decoder, AnyMessage>::value !=
      detail::notAnAlternative;

  // The index of Message's Decoder in AnyMessage.
  template <class Message>
  requires contains<Message>
  static constexpr std::size_t indexOf =
      detail::AlternativeIndex<typename Message::Decoder, AnyMessage>::value;

  static constexpr std::size_t messageCount = std::variant_size_v<AnyMessage>;
};

}  // namespace wirekit
