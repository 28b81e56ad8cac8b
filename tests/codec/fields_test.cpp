// SPDX-License-Identifier: Apache-2.0
// The pieces of generated setters that the schemas reach only at some
// lengths: string/bytes copies of every length around the inline cut-offs,
// and char[N] text.
#include <catch2/catch.hpp>

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

#include "wirekit/codec/fields.hpp"
#include "wirekit/error.hpp"

namespace {

constexpr std::byte stale{0xAA};
constexpr std::size_t at = 3;  // unaligned

std::array<std::byte, 64> staleBytes() {
  std::array<std::byte, 64> bytes{};
  bytes.fill(stale);
  return bytes;
}

// Writes `text` into char[n] at offset `at` of stale bytes; checks the text,
// its NUL padding, and that nothing around the field changed.
template <std::size_t n>
void checkStoreText(std::string_view text) {
  auto bytes = staleBytes();
  wirekit::codec::storeText<n>(bytes.data() + at, text, "T.text");
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    INFO("char[" << n << "] \"" << text << "\", byte " << i);
    std::byte expected = stale;
    if (i >= at && i < at + n) {
      expected = i - at < text.size() ? static_cast<std::byte>(text[i - at]) : std::byte{0};
    }
    CHECK(bytes[i] == expected);
  }
}

}  // namespace

TEST_CASE("copyBytes copies exactly n bytes, for every n around its inline cut-offs") {
  std::array<std::byte, 40> source{};
  for (std::size_t i = 0; i < source.size(); ++i)
    source[i] = static_cast<std::byte>(i + 1);
  for (std::size_t n = 0; n <= source.size(); ++n) {
    auto bytes = staleBytes();
    wirekit::codec::copyBytes(bytes.data() + at, source.data(), n);
    for (std::size_t i = 0; i < bytes.size(); ++i) {
      INFO("n " << n << ", byte " << i);
      CHECK(bytes[i] == (i >= at && i < at + n ? source[i - at] : stale));
    }
  }
}

TEST_CASE("copyBytes of nothing from a null pointer writes nothing") {
  auto bytes = staleBytes();
  wirekit::codec::copyBytes(bytes.data() + at, std::string_view().data(), 0);
  CHECK(bytes == staleBytes());
}

TEST_CASE("storeText writes the text NUL-padded, and only its field") {
  checkStoreText<6>("");
  checkStoreText<6>("abc");
  checkStoreText<6>("abcdef");
  checkStoreText<3>("123");
  checkStoreText<20>("seventeen bytes!!");  // longer than the inline copy
  CHECK_THROWS_MATCHES(checkStoreText<3>("abcd"), wirekit::EncodeError,
                       Catch::Message("T.text: 4 elements do not fit in char[3] (room for 3)"));
}
