// SPDX-License-Identifier: Apache-2.0
#include "wirekit/codec/json_writer.hpp"

#include <cmath>
#include <iterator>

#include <fmt/format.h>

#include "wirekit/bytes/js_number.hpp"

namespace wirekit::codec {

namespace {

template <class F>
void writeNumber(std::string& out, F value) {
  if (std::isnan(value)) {
    out.append(std::string_view("\"NaN\""));
  } else if (std::isinf(value)) {
    out.append(value > 0 ? std::string_view("\"Infinity\"") : std::string_view("\"-Infinity\""));
  } else {
    fmt::memory_buffer digits;
    formatJsNumber(digits, value);
    out.append(digits.data(), digits.size());
  }
}

void escapeCodePoint(std::string& out, std::uint32_t c) {
  switch (c) {
    case '"':
      out.append(std::string_view("\\\""));
      return;
    case '\\':
      out.append(std::string_view("\\\\"));
      return;
    case '\b':
      out.append(std::string_view("\\b"));
      return;
    case '\f':
      out.append(std::string_view("\\f"));
      return;
    case '\n':
      out.append(std::string_view("\\n"));
      return;
    case '\r':
      out.append(std::string_view("\\r"));
      return;
    case '\t':
      out.append(std::string_view("\\t"));
      return;
    default:
      break;
  }
  if (c < 0x20) {
    fmt::format_to(std::back_inserter(out), "\\u{:04x}", c);
  } else if (c < 0x80) {
    out.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (c >> 6)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (c >> 12)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (c >> 18)));
    out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

constexpr std::uint32_t replacement = 0xFFFD;

}  // namespace

void JsonWriter::number(float value) {
  separate();
  writeNumber(out_, value);
  needComma_ = true;
}

void JsonWriter::number(double value) {
  separate();
  writeNumber(out_, value);
  needComma_ = true;
}

void JsonWriter::string(std::string_view utf8) {
  separate();
  out_.push_back('"');
  // UTF-8 decoding with one U+FFFD per maximal invalid subsequence (the Unicode
  // and WHATWG practice, which Python's "replace" error handler follows too).
  const auto* p = reinterpret_cast<const unsigned char*>(utf8.data());
  const auto* end = p + utf8.size();
  while (p < end) {
    const unsigned char b = *p;
    if (b < 0x80) {
      escapeCodePoint(out_, b);
      ++p;
      continue;
    }
    std::size_t need = 0;
    std::uint32_t c = 0;
    unsigned char low = 0x80;
    unsigned char high = 0xBF;
    if (b >= 0xC2 && b <= 0xDF) {
      need = 1;
      c = b & 0x1F;
    } else if (b >= 0xE0 && b <= 0xEF) {
      need = 2;
      c = b & 0x0F;
      if (b == 0xE0) low = 0xA0;
      if (b == 0xED) high = 0x9F;
    } else if (b >= 0xF0 && b <= 0xF4) {
      need = 3;
      c = b & 0x07;
      if (b == 0xF0) low = 0x90;
      if (b == 0xF4) high = 0x8F;
    } else {
      escapeCodePoint(out_, replacement);
      ++p;
      continue;
    }
    ++p;
    bool valid = true;
    for (std::size_t i = 0; i < need; ++i) {
      if (p == end || *p < low || *p > high) {
        valid = false;
        break;
      }
      c = (c << 6) | (*p & 0x3F);
      ++p;
      low = 0x80;
      high = 0xBF;
    }
    escapeCodePoint(out_, valid ? c : replacement);
  }
  out_.push_back('"');
  needComma_ = true;
}

void JsonWriter::latin1(std::string_view bytes) {
  separate();
  out_.push_back('"');
  for (char c : bytes)
    escapeCodePoint(out_, static_cast<unsigned char>(c));
  out_.push_back('"');
  needComma_ = true;
}

void JsonWriter::base64(std::span<const std::byte> bytes) {
  static constexpr char alphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  separate();
  out_.push_back('"');
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const auto n = (std::to_integer<std::uint32_t>(bytes[i]) << 16) |
                   (std::to_integer<std::uint32_t>(bytes[i + 1]) << 8) |
                   std::to_integer<std::uint32_t>(bytes[i + 2]);
    out_.push_back(alphabet[(n >> 18) & 63]);
    out_.push_back(alphabet[(n >> 12) & 63]);
    out_.push_back(alphabet[(n >> 6) & 63]);
    out_.push_back(alphabet[n & 63]);
  }
  if (const std::size_t rest = bytes.size() - i; rest > 0) {
    auto n = std::to_integer<std::uint32_t>(bytes[i]) << 16;
    if (rest == 2) n |= std::to_integer<std::uint32_t>(bytes[i + 1]) << 8;
    out_.push_back(alphabet[(n >> 18) & 63]);
    out_.push_back(alphabet[(n >> 12) & 63]);
    out_.push_back(rest == 2 ? alphabet[(n >> 6) & 63] : '=');
    out_.push_back('=');
  }
  out_.push_back('"');
  needComma_ = true;
}

void JsonWriter::flags(std::uint64_t bits, std::span<const std::string_view> namesByBit) {
  beginArray();
  for (std::size_t bit = 0; bit < namesByBit.size(); ++bit) {
    if (((bits >> bit) & 1U) == 0) continue;
    if (namesByBit[bit].empty()) {
      integer(bit);
    } else {
      latin1(namesByBit[bit]);
    }
  }
  endArray();
}

fmt::format_context::iterator EnumFormatter::formatName(std::string_view name,
                                                        fmt::format_context& context) const {
  return fmt::formatter<std::string_view>::format(name, context);
}

template <class Underlying>
fmt::format_context::iterator EnumFormatter::formatUnnamed(Underlying value,
                                                           fmt::format_context& context) {
  return fmt::format_to(context.out(), "{}", value);
}

using Iterator = fmt::format_context::iterator;
template Iterator EnumFormatter::formatUnnamed(char, fmt::format_context&);
template Iterator EnumFormatter::formatUnnamed(std::int8_t, fmt::format_context&);
template Iterator EnumFormatter::formatUnnamed(std::uint8_t, fmt::format_context&);
template Iterator EnumFormatter::formatUnnamed(std::int16_t, fmt::format_context&);
template Iterator EnumFormatter::formatUnnamed(std::uint16_t, fmt::format_context&);
template Iterator EnumFormatter::formatUnnamed(std::int32_t, fmt::format_context&);
template Iterator EnumFormatter::formatUnnamed(std::uint32_t, fmt::format_context&);
template Iterator EnumFormatter::formatUnnamed(std::int64_t, fmt::format_context&);
template Iterator EnumFormatter::formatUnnamed(std::uint64_t, fmt::format_context&);

}  // namespace wirekit::codec
