// SPDX-License-Identifier: Apache-2.0
#include "wirekit/bytes/encoding.hpp"

#include <array>
#include <cctype>

namespace wirekit {

namespace {

constexpr char32_t replacementCharacter = 0xFFFD;
// What Utf8Reader returns for a maximal invalid subsequence: above every code point.
constexpr char32_t invalidSequence = 0x110000;

// Decodes UTF-8 one code point at a time; each maximal invalid subsequence (as the
// WHATWG Encoding Standard delimits them) comes out as one invalidSequence.
class Utf8Reader {
 public:
  explicit Utf8Reader(std::span<const std::byte> bytes) : bytes_(bytes) {}

  [[nodiscard]] bool done() const noexcept { return position_ >= bytes_.size(); }

  char32_t next() noexcept {
    const auto lead = byteAt(position_++);
    if (lead < 0x80) return lead;
    int continuationBytes = 0;
    std::uint8_t lower = 0x80;
    std::uint8_t upper = 0xBF;
    char32_t codePoint = 0;
    if (lead >= 0xC2 && lead <= 0xDF) {
      continuationBytes = 1;
      codePoint = lead & 0x1F;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      continuationBytes = 2;
      codePoint = lead & 0x0F;
      if (lead == 0xE0) lower = 0xA0;
      if (lead == 0xED) upper = 0x9F;  // no UTF-16 surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      continuationBytes = 3;
      codePoint = lead & 0x07;
      if (lead == 0xF0) lower = 0x90;
      if (lead == 0xF4) upper = 0x8F;  // nothing above U+10FFFF
    } else {
      return invalidSequence;
    }
    for (int i = 0; i < continuationBytes; ++i) {
      if (done()) return invalidSequence;
      const auto next = byteAt(position_);
      if (next < lower || next > upper) return invalidSequence;  // next starts anew
      lower = 0x80;
      upper = 0xBF;
      codePoint = (codePoint << 6) | (next & 0x3F);
      ++position_;
    }
    return codePoint;
  }

  [[nodiscard]] std::size_t position() const noexcept { return position_; }

 private:
  [[nodiscard]] std::uint8_t byteAt(std::size_t index) const noexcept {
    return static_cast<std::uint8_t>(bytes_[index]);
  }

  std::span<const std::byte> bytes_;
  std::size_t position_ = 0;
};

std::span<const std::byte> asBytes(std::string_view text) noexcept {
  return {reinterpret_cast<const std::byte*>(text.data()), text.size()};
}

void appendUtf8(std::string& out, char32_t codePoint) {
  if (codePoint < 0x80) {
    out.push_back(static_cast<char>(codePoint));
  } else if (codePoint < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (codePoint >> 6)));
    out.push_back(static_cast<char>(0x80 | (codePoint & 0x3F)));
  } else if (codePoint < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (codePoint >> 12)));
    out.push_back(static_cast<char>(0x80 | ((codePoint >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (codePoint & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (codePoint >> 18)));
    out.push_back(static_cast<char>(0x80 | ((codePoint >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((codePoint >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (codePoint & 0x3F)));
  }
}

// The UTF-16 code units of text, as a JavaScript string holds it.
template <class Sink>
void forEachUtf16Unit(std::string_view text, Sink sink) {
  Utf8Reader reader(asBytes(text));
  while (!reader.done()) {
    char32_t codePoint = reader.next();
    if (codePoint == invalidSequence) codePoint = replacementCharacter;
    if (codePoint >= 0x10000) {
      const char32_t offset = codePoint - 0x10000;
      sink(static_cast<char16_t>(0xD800 + (offset >> 10)));
      sink(static_cast<char16_t>(0xDC00 + (offset & 0x3FF)));
    } else {
      sink(static_cast<char16_t>(codePoint));
    }
  }
}

constexpr std::string_view base64Alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view base64UrlAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// The 6-bit value of a base64 character of either alphabet, or -1.
constexpr int base64Value(char c) noexcept {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+' || c == '-') return 62;
  if (c == '/' || c == '_') return 63;
  return -1;
}

constexpr int hexValue(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

template <class Sink>
void decodeBase64(std::string_view text, Sink sink) {
  // Node's decoder skips characters outside both alphabets (whitespace, line
  // breaks) and stops at the first '='.
  std::uint32_t accumulator = 0;
  int bits = 0;
  for (char c : text) {
    if (c == '=') break;
    const int value = base64Value(c);
    if (value < 0) continue;
    accumulator = (accumulator << 6) | static_cast<std::uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      sink(static_cast<std::byte>((accumulator >> bits) & 0xFF));
    }
  }
}

template <class Sink>
void decodeHex(std::string_view text, Sink sink) {
  for (std::size_t i = 0; i + 1 < text.size(); i += 2) {
    const int high = hexValue(text[i]);
    const int low = hexValue(text[i + 1]);
    if (high < 0 || low < 0) return;
    sink(static_cast<std::byte>(high * 16 + low));
  }
}

// Calls sink with each byte of text in encoding; the one definition behind both
// encodeText and encodedLength.
template <class Sink>
void encodeInto(std::string_view text, Encoding encoding, Sink sink) {
  switch (encoding) {
    case Encoding::utf8: {
      Utf8Reader reader(asBytes(text));
      std::string scratch;
      while (!reader.done()) {
        const std::size_t start = reader.position();
        if (reader.next() == invalidSequence) {
          scratch.clear();
          appendUtf8(scratch, replacementCharacter);
          for (char c : scratch)
            sink(static_cast<std::byte>(c));
        } else {
          for (std::size_t i = start; i < reader.position(); ++i) {
            sink(static_cast<std::byte>(text[i]));
          }
        }
      }
      return;
    }
    case Encoding::utf16le:
      forEachUtf16Unit(text, [&](char16_t unit) {
        sink(static_cast<std::byte>(unit & 0xFF));
        sink(static_cast<std::byte>(unit >> 8));
      });
      return;
    case Encoding::latin1:
    case Encoding::ascii:
      forEachUtf16Unit(text, [&](char16_t unit) { sink(static_cast<std::byte>(unit & 0xFF)); });
      return;
    case Encoding::hex:
      decodeHex(text, sink);
      return;
    case Encoding::base64:
    case Encoding::base64url:
      decodeBase64(text, sink);
      return;
  }
}

std::string encodeBase64(std::span<const std::byte> bytes, std::string_view alphabet, bool pad) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  auto at = [&](std::size_t index) { return static_cast<std::uint32_t>(bytes[index]); };
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t triple = (at(i) << 16) | (at(i + 1) << 8) | at(i + 2);
    out.push_back(alphabet[(triple >> 18) & 0x3F]);
    out.push_back(alphabet[(triple >> 12) & 0x3F]);
    out.push_back(alphabet[(triple >> 6) & 0x3F]);
    out.push_back(alphabet[triple & 0x3F]);
  }
  const std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    const std::uint32_t triple = (at(i) << 16) | (rest == 2 ? at(i + 1) << 8 : 0);
    out.push_back(alphabet[(triple >> 18) & 0x3F]);
    out.push_back(alphabet[(triple >> 12) & 0x3F]);
    if (rest == 2) out.push_back(alphabet[(triple >> 6) & 0x3F]);
    if (pad) out.append(rest == 1 ? "==" : "=");
  }
  return out;
}

}  // namespace

std::optional<Encoding> encodingFromName(std::string_view name) noexcept {
  std::string lower;
  for (char c : name)
    lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  if (lower == "utf8" || lower == "utf-8") return Encoding::utf8;
  if (lower == "utf16le" || lower == "utf-16le" || lower == "ucs2" || lower == "ucs-2") {
    return Encoding::utf16le;
  }
  if (lower == "latin1" || lower == "binary") return Encoding::latin1;
  if (lower == "ascii") return Encoding::ascii;
  if (lower == "hex") return Encoding::hex;
  if (lower == "base64") return Encoding::base64;
  if (lower == "base64url") return Encoding::base64url;
  return std::nullopt;
}

std::string_view encodingName(Encoding encoding) noexcept {
  switch (encoding) {
    case Encoding::utf8:
      return "utf8";
    case Encoding::utf16le:
      return "utf16le";
    case Encoding::latin1:
      return "latin1";
    case Encoding::ascii:
      return "ascii";
    case Encoding::hex:
      return "hex";
    case Encoding::base64:
      return "base64";
    case Encoding::base64url:
      return "base64url";
  }
  return "unknown";
}

std::vector<std::byte> encodeText(std::string_view text, Encoding encoding) {
  std::vector<std::byte> bytes;
  bytes.reserve(encoding == Encoding::utf16le ? text.size() * 2 : text.size());
  encodeInto(text, encoding, [&bytes](std::byte b) { bytes.push_back(b); });
  return bytes;
}

std::size_t encodedLength(std::string_view text, Encoding encoding) {
  std::size_t length = 0;
  encodeInto(text, encoding, [&length](std::byte) { ++length; });
  return length;
}

std::string decodeText(std::span<const std::byte> bytes, Encoding encoding) {
  std::string out;
  switch (encoding) {
    case Encoding::utf8: {
      out.reserve(bytes.size());
      Utf8Reader reader(bytes);
      while (!reader.done()) {
        const char32_t codePoint = reader.next();
        appendUtf8(out, codePoint == invalidSequence ? replacementCharacter : codePoint);
      }
      break;
    }
    case Encoding::utf16le: {
      out.reserve(bytes.size());
      const std::size_t units = bytes.size() / 2;  // an odd last byte is ignored, as in Node
      auto unitAt = [&](std::size_t index) {
        return static_cast<char16_t>(static_cast<unsigned>(bytes[2 * index]) |
                                     (static_cast<unsigned>(bytes[2 * index + 1]) << 8));
      };
      for (std::size_t i = 0; i < units; ++i) {
        const char16_t unit = unitAt(i);
        if (unit >= 0xD800 && unit <= 0xDBFF && i + 1 < units) {
          const char16_t low = unitAt(i + 1);
          if (low >= 0xDC00 && low <= 0xDFFF) {
            appendUtf8(out, 0x10000 + ((static_cast<char32_t>(unit) - 0xD800) << 10) +
                                (static_cast<char32_t>(low) - 0xDC00));
            ++i;
            continue;
          }
        }
        const bool loneSurrogate = unit >= 0xD800 && unit <= 0xDFFF;
        appendUtf8(out, loneSurrogate ? replacementCharacter : unit);
      }
      break;
    }
    case Encoding::latin1:
      for (std::byte b : bytes)
        appendUtf8(out, static_cast<char32_t>(b));
      break;
    case Encoding::ascii:
      for (std::byte b : bytes)
        out.push_back(static_cast<char>(static_cast<unsigned>(b) & 0x7F));
      break;
    case Encoding::hex: {
      constexpr std::string_view digits = "0123456789abcdef";
      out.reserve(bytes.size() * 2);
      for (std::byte b : bytes) {
        out.push_back(digits[static_cast<unsigned>(b) >> 4]);
        out.push_back(digits[static_cast<unsigned>(b) & 0xF]);
      }
      break;
    }
    case Encoding::base64:
      out = encodeBase64(bytes, base64Alphabet, true);
      break;
    case Encoding::base64url:
      out = encodeBase64(bytes, base64UrlAlphabet, false);
      break;
  }
  return out;
}

}  // namespace wirekit
