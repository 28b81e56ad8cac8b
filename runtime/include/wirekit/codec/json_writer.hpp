// SPDX-License-Identifier: Apache-2.0
#pragma once
// JsonWriter: the JSON form of schema-language.md, as generated decoders print it
// (fmt::format("{}", decoder)) and as `wirekit decode` prints it: compact (no
// spaces), floats as JavaScript prints them (shortest round trip for the field's
// own width), NaN and infinities as strings, `string` fields as UTF-8 with invalid
// sequences replaced by U+FFFD, `char` text one code point per byte (Latin-1),
// `bytes` as padded base64.

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <span>
#include <string>
#include <string_view>

#include <fmt/core.h>

#include "wirekit/export.hpp"

namespace wirekit::codec {

// Appends to a std::string rather than a fmt::memory_buffer, so that this
// header (included by every generated header) needs only <fmt/core.h>.
class WIREKIT_EXPORT JsonWriter {
 public:
  explicit JsonWriter(std::string& out) noexcept : out_(out) {}

  void beginObject() {
    separate();
    out_.push_back('{');
    needComma_ = false;
  }
  void endObject() {
    out_.push_back('}');
    needComma_ = true;
  }
  void beginArray() {
    separate();
    out_.push_back('[');
    needComma_ = false;
  }
  void endArray() {
    out_.push_back(']');
    needComma_ = true;
  }
  // An object key; keys are schema names, which need no escaping.
  void key(std::string_view name) {
    separate();
    out_.push_back('"');
    out_.append(name);
    out_.append(std::string_view("\":"));
    needComma_ = false;
  }

  void null() { literal("null"); }
  void boolean(bool value) { literal(value ? "true" : "false"); }
  template <std::integral T>
  void integer(T value) {
    separate();
    fmt::format_to(std::back_inserter(out_), "{}", value);
    needComma_ = true;
  }
  void number(float value);
  void number(double value);
  // UTF-8 text (a `string` field).
  void string(std::string_view utf8);
  // Bytes of `char` text: each byte is one code point (ASCII, and Latin-1 above it).
  void latin1(std::string_view bytes);
  void base64(std::span<const std::byte> bytes);
  // An enum: its member name, or the number for a value that has none.
  template <std::integral T>
  void enumValue(std::string_view name, T value) {
    if (!name.empty()) {
      latin1(name);
    } else if constexpr (std::is_same_v<T, char>) {
      integer(static_cast<unsigned char>(value));
    } else {
      integer(value);
    }
  }
  // Flags: the names of the set bits, from bit 0 up; a set bit without a name
  // as its bit number. namesByBit has one entry per bit ("" where unnamed).
  void flags(std::uint64_t bits, std::span<const std::string_view> namesByBit);

 private:
  void separate() {
    if (needComma_) out_.push_back(',');
  }
  void literal(std::string_view text) {
    separate();
    out_.append(text);
    needComma_ = true;
  }

  std::string& out_;
  bool needComma_ = false;
};

// The text of a generated decoder's writeJson, for fmt::formatter.
template <class Decoder>
struct JsonFormatter {
  constexpr auto parse(fmt::format_parse_context& context) { return context.begin(); }
  auto format(const Decoder& decoder, fmt::format_context& context) const {
    std::string text;
    JsonWriter writer(text);
    decoder.writeJson(writer);
    auto out = context.out();
    for (const char c : text)
      *out++ = c;
    return out;
  }
};

// The base of a generated enum's fmt::formatter: the member's name formatted as
// a string (width, alignment), by the runtime, since fmt's formatter for
// strings is defined in <fmt/format.h>, which the generated header does not
// include.
struct WIREKIT_EXPORT EnumFormatter : fmt::formatter<std::string_view> {
  [[nodiscard]] fmt::format_context::iterator formatName(std::string_view name,
                                                         fmt::format_context& context) const;
  // A value that names no member: its number, or a char enum's character.
  // Out of line, instantiated in the runtime for char and the fixed-width
  // integer types (what an enum's underlying type can be): fmt::format_to in
  // the generated header cost each translation unit about 1 MB of compiler
  // memory per enum.
  template <class Underlying>
  [[nodiscard]] static fmt::format_context::iterator formatUnnamed(Underlying value,
                                                                   fmt::format_context& context);
};

}  // namespace wirekit::codec
