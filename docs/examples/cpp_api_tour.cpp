// SPDX-License-Identifier: Apache-2.0
// The examples of docs/cpp-api.md, one program: the doc quotes the parts
// between the `// [name]` and `// [/name]` lines, and its output is
// cpp_api_tour.out (both checked by the docs tests).
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>

#include <fmt/format.h>

#include <wirekit/bytes/array_buffer.hpp>
#include <wirekit/bytes/data_view.hpp>
#include <wirekit/error.hpp>

#include "shop.wk.hpp"

namespace {

// [encode]
// Encodes an order into storage and returns its length.
std::size_t encodeOrder(wirekit::ArrayBuffer& storage) {
  auto order = shop::Order::encode(wirekit::DataView(storage));  // writes the header
  order
      .orderId(42)                                               // setters chain
      .options(shop::Options{}.express(true))                    // flags: a value type
      .ratings({5, 4})                                           // u8[3]: the rest are 0
      .discount(std::nullopt)                                    // optional: absent
      .priority(2);                                              // @since(1)
  order.total().units(1999).currency(shop::Currency::EUR);       // struct: a nested encoder
  auto lines = order.lines(2);                                   // group: the count first
  lines.next().sku("BOOK-1").quantity(1).note("first edition");  // then exactly 2 next()
  lines.next().sku("PEN-7").quantity(3);                         // note left empty
  const std::array<std::byte, 2> receipt{std::byte{0xCA}, std::byte{0xFE}};
  order.customer("Zoë").receipt(receipt);  // string/bytes, after the groups, in schema order
  return order.encodedLength();            // completes the message
}
// [/encode]

void decodeOrder(const wirekit::ArrayBuffer& storage, std::size_t length) {
  // [decode]
  const auto order = shop::Order::decode(wirekit::DataView(storage, 0, length));
  std::uint64_t id = order.orderId();                        // 42
  std::int64_t units = order.total().units();                // 1999
  bool express = order.options().express();                  // true
  std::uint8_t second = order.ratings()[1];                  // 4
  std::optional<std::uint32_t> discount = order.discount();  // std::nullopt
  std::optional<std::uint8_t> priority = order.priority();   // @since: 2
  std::string_view channel = order.channel();                // const: "web"
  for (const auto line : order.lines()) {                    // a range of entry decoders
    std::string_view sku = line.sku();                       // char[8], trailing NULs trimmed
    fmt::print("{} x{} \"{}\"\n", sku, line.quantity(), line.note());
  }
  std::string_view customer = order.customer();          // a view of the buffer, UTF-8
  std::span<const std::byte> receipt = order.receipt();  // bytes
  fmt::print("{} {} {} {} {} {} {} {} {}\n", id, units, express, second, discount.has_value(),
             *priority, channel, customer, receipt.size());
  fmt::print("{}\n", order);  // the JSON form
  // [/decode]
}

void dispatch(const wirekit::ArrayBuffer& storage, std::size_t length) {
  // [dispatch]
  const shop::AnyMessage message = shop::decode(wirekit::DataView(storage, 0, length));
  std::visit(
      [](const auto& decoded) {
        using Decoder = std::decay_t<decltype(decoded)>;
        if constexpr (std::is_same_v<Decoder, shop::Order::Decoder>) {
          fmt::print("an order of {} lines\n", decoded.lines().size());
        } else {
          fmt::print("a ping sent at {}\n", decoded.sentAt());
        }
      },
      message);
  // [/dispatch]
}

void versions(wirekit::ArrayBuffer& storage, std::size_t length) {
  // [versions]
  // A version 0 sender knows no `priority`: its header says version 0.
  wirekit::DataView view(storage, 0, length);
  view.setUint16(6, 0, true);  // the header's version field, little-endian
  const auto old = shop::Order::decode(view);
  fmt::print("version {}: priority {}\n", old.actingVersion(), old.priority().has_value());
  // [/versions]
}

void errors(const wirekit::ArrayBuffer& storage, std::size_t length) {
  // [errors]
  try {
    (void)shop::Order::decode(wirekit::DataView(storage, 0, length - 10));  // cut short
  } catch (const wirekit::DecodeError& error) {
    fmt::print("DecodeError: {}\n", error.what());
  }
  try {
    wirekit::ArrayBuffer scratch(256);
    auto order = shop::Order::encode(wirekit::DataView(scratch));
    order.customer(std::string(65, 'x'));  // @max(64)
  } catch (const wirekit::EncodeError& error) {
    fmt::print("EncodeError: {}\n", error.what());
  }
  try {
    std::array<std::byte, 20> small{};
    (void)shop::Order::encode(wirekit::DataView(std::span<std::byte>(small)));
  } catch (const wirekit::EncodeError& error) {
    fmt::print("EncodeError: {}\n", error.what());
  }
  // [/errors]
}

}  // namespace

int main() {
  wirekit::ArrayBuffer storage(256);
  const std::size_t length = encodeOrder(storage);
  fmt::print("{} bytes\n", length);
  decodeOrder(storage, length);
  dispatch(storage, length);
  versions(storage, length);
  errors(storage, length);
}
