// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for the byte layer: the text encodings against small
// references written here (hex, base64, base64url, latin1, UTF-8), their round
// trips, encodedLength against encodeText, and DataView bounds: a read or
// write inside the view gives the bytes a reference reads, one that is not
// inside throws RangeError and touches nothing.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_input.hpp"
#include "wirekit/bytes/array_buffer.hpp"
#include "wirekit/bytes/data_view.hpp"
#include "wirekit/bytes/encoding.hpp"
#include "wirekit/error.hpp"

namespace {

using namespace wirekit;

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "wirekit fuzz: %s\n", what);
  std::abort();
}

void expect(bool ok, const char* what) {
  if (!ok) fail(what);
}

std::vector<std::byte> bytesOf(std::string_view text) {
  const auto* data = reinterpret_cast<const std::byte*>(text.data());
  return {data, data + text.size()};
}

// --- References ---

std::string hexReference(std::span<const std::byte> bytes) {
  std::string out;
  for (const std::byte b : bytes) {
    const unsigned value = std::to_integer<unsigned>(b);
    out += "0123456789abcdef"[value / 16];
    out += "0123456789abcdef"[value % 16];
  }
  return out;
}

int hexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Node: pairs of hex digits up to the first pair that is not one.
std::vector<std::byte> unhexReference(std::string_view text) {
  std::vector<std::byte> out;
  for (std::size_t i = 0; i + 2 <= text.size(); i += 2) {
    const int high = hexDigit(text[i]);
    const int low = hexDigit(text[i + 1]);
    if (high < 0 || low < 0) break;
    out.push_back(static_cast<std::byte>(high * 16 + low));
  }
  return out;
}

// Six bits at a time from a bit accumulator (the runtime works in triples).
std::string base64Reference(std::span<const std::byte> bytes, bool url) {
  const char* alphabet = url ? "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
                             : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::uint32_t bits = 0;
  int count = 0;
  for (const std::byte b : bytes) {
    bits = (bits << 8) | std::to_integer<std::uint32_t>(b);
    count += 8;
    while (count >= 6) {
      count -= 6;
      out += alphabet[(bits >> count) & 63];
    }
  }
  if (count > 0) out += alphabet[(bits << (6 - count)) & 63];
  while (!url && out.size() % 4 != 0)
    out += '=';
  return out;
}

std::string latin1Reference(std::span<const std::byte> bytes) {
  std::string out;
  for (const std::byte b : bytes) {
    const unsigned c = std::to_integer<unsigned>(b);
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else {
      out += static_cast<char>(0xC0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3F));
    }
  }
  return out;
}

// Whether bytes are well-formed UTF-8 (Unicode table 3-7: no overlong forms,
// no surrogates, nothing above U+10FFFF).
bool validUtf8(std::span<const std::byte> bytes) {
  std::size_t i = 0;
  auto at = [&](std::size_t k) { return std::to_integer<unsigned>(bytes[k]); };
  while (i < bytes.size()) {
    const unsigned c = at(i);
    std::size_t length = 0;
    unsigned low = 0x80, high = 0xBF;
    if (c < 0x80) {
      ++i;
      continue;
    }
    if (c >= 0xC2 && c <= 0xDF) {
      length = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      length = 3;
      if (c == 0xE0) low = 0xA0;
      if (c == 0xED) high = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      length = 4;
      if (c == 0xF0) low = 0x90;
      if (c == 0xF4) high = 0x8F;
    } else {
      return false;
    }
    if (i + length > bytes.size()) return false;
    if (at(i + 1) < low || at(i + 1) > high) return false;
    for (std::size_t k = 2; k < length; ++k) {
      if (at(i + k) < 0x80 || at(i + k) > 0xBF) return false;
    }
    i += length;
  }
  return true;
}

// --- Checks ---

void checkEncodings(std::span<const std::byte> bytes) {
  const std::string text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  const std::vector<std::byte> original(bytes.begin(), bytes.end());

  const std::string hex = decodeText(bytes, Encoding::hex);
  expect(hex == hexReference(bytes), "hex: decodeText differs from the reference");
  expect(encodeText(hex, Encoding::hex) == original, "hex: no round trip");
  expect(encodeText(text, Encoding::hex) == unhexReference(text),
         "hex: encodeText differs from the reference");

  for (const bool url : {false, true}) {
    const Encoding encoding = url ? Encoding::base64url : Encoding::base64;
    const std::string base64 = decodeText(bytes, encoding);
    expect(base64 == base64Reference(bytes, url), "base64: decodeText differs from the reference");
    expect(encodeText(base64, encoding) == original, "base64: no round trip");
    // Either alphabet decodes with either encoding.
    expect(encodeText(base64Reference(bytes, !url), encoding) == original,
           "base64: the other alphabet does not decode");
  }

  const std::string latin1 = decodeText(bytes, Encoding::latin1);
  expect(latin1 == latin1Reference(bytes), "latin1: decodeText differs from the reference");
  expect(encodeText(latin1, Encoding::latin1) == original, "latin1: no round trip");

  const std::string utf8 = decodeText(bytes, Encoding::utf8);
  expect(validUtf8(bytesOf(utf8)), "utf8: decodeText gave malformed UTF-8");
  if (validUtf8(bytes))
    expect(utf8 == text, "utf8: well-formed input changed");
  else
    expect(utf8 != text, "utf8: malformed input came out unchanged");
  expect(encodeText(utf8, Encoding::utf8) == bytesOf(utf8), "utf8: no round trip");
  expect(encodeText(text, Encoding::utf8) == bytesOf(utf8),
         "utf8: encodeText of malformed text differs from decodeText");

  for (const Encoding encoding :
       {Encoding::utf8, Encoding::utf16le, Encoding::latin1, Encoding::ascii, Encoding::hex,
        Encoding::base64, Encoding::base64url}) {
    expect(encodedLength(text, encoding) == encodeText(text, encoding).size(),
           "encodedLength differs from encodeText's size");
    const std::string decoded = decodeText(bytes, encoding);
    expect(validUtf8(bytesOf(decoded)), "decodeText gave malformed UTF-8");
  }
}

template <class T>
void checkRead(const DataView& view, const std::byte* base, std::size_t offset, bool little) {
  const bool inside = offset <= view.byteLength() && sizeof(T) <= view.byteLength() - offset;
  try {
    const T value = view.get<T>(offset, little ? ByteOrder::little : ByteOrder::big);
    expect(inside, "DataView: a read outside the view did not throw");
    unsigned char raw[sizeof(T)];
    for (std::size_t i = 0; i < sizeof(T); ++i)
      raw[i] = std::to_integer<unsigned char>(base[offset + (little ? i : sizeof(T) - 1 - i)]);
    T expected;
    std::memcpy(&expected, raw, sizeof(T));  // little-endian host
    expect(std::memcmp(&value, &expected, sizeof(T)) == 0, "DataView: read other bytes");
  } catch (const RangeError&) {
    expect(!inside, "DataView: a read inside the view threw");
  }
  try {
    const std::vector<std::byte> before(base, base + view.byteLength());
    view.set<T>(offset, T{}, ByteOrder::big);
    expect(inside, "DataView: a write outside the view did not throw");
    std::memcpy(const_cast<std::byte*>(base) + offset, before.data() + offset, sizeof(T));
  } catch (const RangeError&) {
    expect(!inside, "DataView: a write inside the view threw");
  }
}

void checkDataView(fuzz::Input& input, std::span<const std::byte> bytes) {
  ArrayBuffer buffer(bytes.size());
  if (!bytes.empty()) std::memcpy(buffer.data(), bytes.data(), bytes.size());
  const std::size_t offset = input.byte() % 64;
  const std::size_t length = input.byte() % 64;
  DataView view;
  try {
    view = DataView(buffer, offset, length);
    expect(offset + length <= bytes.size(), "DataView: a view outside the buffer was made");
  } catch (const RangeError&) {
    expect(offset + length > bytes.size(), "DataView: a view inside the buffer threw");
    return;
  }
  const std::byte* base = buffer.data() + offset;
  for (int i = 0; i < 4; ++i) {
    const std::size_t at = input.byte() % 72;
    const bool little = (input.byte() & 1) != 0;
    checkRead<std::uint8_t>(view, base, at, little);
    checkRead<std::int16_t>(view, base, at, little);
    checkRead<std::uint32_t>(view, base, at, little);
    checkRead<std::int64_t>(view, base, at, little);
    checkRead<double>(view, base, at, little);
  }
  const std::size_t subOffset = input.byte() % 72;
  const std::size_t subLength = input.byte() % 72;
  try {
    const DataView sub = view.subview(subOffset, subLength);
    expect(subOffset + subLength <= length, "DataView: a subview outside the view was made");
    expect(sub.byteLength() == subLength, "DataView: a subview of another length");
  } catch (const RangeError&) {
    expect(subOffset + subLength > length, "DataView: a subview inside the view threw");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  fuzz::Input input(data, size);
  const std::size_t split = input.byte();
  const std::span<const std::byte> rest = input.rest();
  // The first part drives the DataView checks; all of it is text for the encodings.
  checkEncodings(rest);
  fuzz::Input settings(data + 1, std::min<std::size_t>(split % 16, size - 1));
  checkDataView(settings, rest);
  return 0;
}
