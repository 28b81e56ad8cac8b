// SPDX-License-Identifier: Apache-2.0
#pragma once
// The text encodings of Node's Buffer: how a string becomes bytes and back.
// C++ strings here are UTF-8; they stand where JavaScript has a string.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "wirekit/export.hpp"

namespace wirekit {

enum class Encoding : std::uint8_t {
  utf8,
  utf16le,    // Node's 'utf16le' / 'ucs2'
  latin1,     // Node's 'latin1' / 'binary': one byte per code point (low 8 bits)
  ascii,      // as latin1 when encoding; decoding keeps the low 7 bits
  hex,        // two hex digits per byte; decoding stops at the first invalid pair
  base64,     // padded when encoding; decoding accepts both alphabets, skips whitespace
  base64url,  // URL-safe alphabet, no padding
};

// The encoding for one of Node's names ('utf8', 'utf-8', 'hex', 'base64',
// 'base64url', 'latin1', 'binary', 'ascii', 'ucs2', 'utf16le', any letter case),
// or nothing for an unknown name.
[[nodiscard]] WIREKIT_EXPORT std::optional<Encoding> encodingFromName(
    std::string_view name) noexcept;
[[nodiscard]] WIREKIT_EXPORT std::string_view encodingName(Encoding encoding) noexcept;

// The bytes that encoding gives for text, as Buffer.from(text, encoding) makes them.
// Invalid UTF-8 in text stands for what a JavaScript string cannot hold and is
// encoded as U+FFFD.
[[nodiscard]] WIREKIT_EXPORT std::vector<std::byte> encodeText(std::string_view text,
                                                               Encoding encoding);
// How many bytes encodeText would give, without making them.
[[nodiscard]] WIREKIT_EXPORT std::size_t encodedLength(std::string_view text, Encoding encoding);
// The text that bytes stand for in encoding, as UTF-8; invalid UTF-8 or UTF-16
// becomes U+FFFD (one per maximal invalid subsequence, as WHATWG's decoder does).
[[nodiscard]] WIREKIT_EXPORT std::string decodeText(std::span<const std::byte> bytes,
                                                    Encoding encoding);

}  // namespace wirekit
