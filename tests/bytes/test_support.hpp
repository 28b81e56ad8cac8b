// SPDX-License-Identifier: Apache-2.0
#pragma once
// What the byte-layer tests share: bytes written out as text, so that a failing
// check shows which byte differs.

#include <cstddef>
#include <span>
#include <string>

#include <fmt/format.h>

namespace wirekit::test {

// "01 ab ff": each byte as two lower-case hex digits, space-separated.
inline std::string hexBytes(std::span<const std::byte> bytes) {
  std::string text;
  for (std::byte b : bytes) {
    if (!text.empty()) text += ' ';
    text += fmt::format("{:02x}", static_cast<unsigned>(b));
  }
  return text;
}

}  // namespace wirekit::test
