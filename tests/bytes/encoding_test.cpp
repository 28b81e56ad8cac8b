// SPDX-License-Identifier: Apache-2.0
// The text encodings of Node's Buffer: names, encoding and decoding in each, and
// invalid input. Expected values were printed by Node.js 20 (Buffer.from(…,
// encoding) and buf.toString(encoding)) and pasted here; JSON-escaped strings from
// Node are written here as the UTF-8 they stand for.

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "test_support.hpp"
#include "wirekit/bytes/encoding.hpp"

using namespace wirekit;
using test::hexBytes;

namespace {

std::string encoded(std::string_view text, Encoding encoding) {
  return hexBytes(encodeText(text, encoding));
}

std::string decoded(std::initializer_list<std::uint8_t> bytes, Encoding encoding = Encoding::utf8) {
  std::vector<std::byte> input;
  for (std::uint8_t b : bytes)
    input.push_back(std::byte{b});
  return decodeText(input, encoding);
}

constexpr const char* replacement = "\xef\xbf\xbd";  // U+FFFD in UTF-8

std::string replacements(int count) {
  std::string text;
  for (int i = 0; i < count; ++i)
    text += replacement;
  return text;
}

constexpr Encoding allEncodings[] = {Encoding::utf8,     Encoding::utf16le, Encoding::latin1,
                                     Encoding::ascii,    Encoding::hex,     Encoding::base64,
                                     Encoding::base64url};

}  // namespace

TEST_CASE("encodingFromName knows Node's names in any letter case") {
  CHECK(encodingFromName("utf8") == Encoding::utf8);
  CHECK(encodingFromName("UTF-8") == Encoding::utf8);
  CHECK(encodingFromName("utf16le") == Encoding::utf16le);
  CHECK(encodingFromName("UTF-16LE") == Encoding::utf16le);
  CHECK(encodingFromName("ucs2") == Encoding::utf16le);
  CHECK(encodingFromName("Ucs-2") == Encoding::utf16le);
  CHECK(encodingFromName("latin1") == Encoding::latin1);
  CHECK(encodingFromName("BINARY") == Encoding::latin1);
  CHECK(encodingFromName("ascii") == Encoding::ascii);
  CHECK(encodingFromName("Hex") == Encoding::hex);
  CHECK(encodingFromName("base64") == Encoding::base64);
  CHECK(encodingFromName("BASE64URL") == Encoding::base64url);
  // node: Buffer.isEncoding('utf16'), ('latin-1'), (''), ('utf 8') are false.
  CHECK_FALSE(encodingFromName("utf16").has_value());
  CHECK_FALSE(encodingFromName("latin-1").has_value());
  CHECK_FALSE(encodingFromName("").has_value());
  CHECK_FALSE(encodingFromName("utf 8").has_value());
}

TEST_CASE("encodingName gives the canonical name back") {
  for (Encoding encoding : allEncodings)
    CHECK(encodingFromName(encodingName(encoding)) == encoding);
  CHECK(encodingName(Encoding::utf16le) == "utf16le");
  CHECK(encodingName(Encoding::base64url) == "base64url");
}

TEST_CASE("encoding a string with characters of every UTF-8 length") {
  const char* text = "a\u00e9\u20ac\U0001F600";  // a é € 😀
  // node: [...Buffer.from('aé€😀', encoding)] in hex.
  CHECK(encoded(text, Encoding::utf8) == "61 c3 a9 e2 82 ac f0 9f 98 80");
  CHECK(encoded(text, Encoding::utf16le) == "61 00 e9 00 ac 20 3d d8 00 de");
  // latin1 and ascii keep the low byte of each UTF-16 code unit.
  CHECK(encoded(text, Encoding::latin1) == "61 e9 ac 3d 00");
  CHECK(encoded(text, Encoding::ascii) == "61 e9 ac 3d 00");
  for (Encoding encoding : allEncodings) {
    CHECK(encodedLength(text, encoding) == encodeText(text, encoding).size());
    CHECK(encodeText("", encoding).empty());
  }
}

TEST_CASE("hex decoding stops at the first invalid pair (anchor 5)") {
  // node: Buffer.from('1a7', 'hex') is <Buffer 1a>; '12zz34' → <Buffer 12>;
  // 'zz' → <Buffer >; 'AbCd' → <Buffer ab cd>.
  CHECK(encoded("1a7", Encoding::hex) == "1a");
  CHECK(encoded("12zz34", Encoding::hex) == "12");
  CHECK(encoded("zz", Encoding::hex).empty());
  CHECK(encoded("AbCd", Encoding::hex) == "ab cd");
  CHECK(encoded("0g", Encoding::hex).empty());
  CHECK(encoded("00ff", Encoding::hex) == "00 ff");
  CHECK(encodedLength("1a7", Encoding::hex) == 1);
  CHECK(decoded({0x00, 0x0f, 0xab, 0xff}, Encoding::hex) == "000fabff");
}

TEST_CASE("base64 pads, base64url does not (anchor 5)") {
  // node: Buffer.from(s).toString('base64') and ('base64url') for the RFC 4648
  // test vectors.
  const std::pair<const char*, std::pair<const char*, const char*>> vectors[] = {
      {"", {"", ""}},
      {"f", {"Zg==", "Zg"}},
      {"fo", {"Zm8=", "Zm8"}},
      {"foo", {"Zm9v", "Zm9v"}},
      {"foob", {"Zm9vYg==", "Zm9vYg"}},
      {"fooba", {"Zm9vYmE=", "Zm9vYmE"}},
      {"foobar", {"Zm9vYmFy", "Zm9vYmFy"}},
  };
  for (const auto& [text, forms] : vectors) {
    const std::vector<std::byte> bytes = encodeText(text, Encoding::utf8);
    CHECK(decodeText(bytes, Encoding::base64) == forms.first);
    CHECK(decodeText(bytes, Encoding::base64url) == forms.second);
    CHECK(hexBytes(encodeText(forms.first, Encoding::base64)) == hexBytes(bytes));
    CHECK(hexBytes(encodeText(forms.second, Encoding::base64url)) == hexBytes(bytes));
  }
  // node: Buffer.from([0xff, 0xfe, 0xfd, 0xfc]) in base64 is '//79/A==', in
  // base64url '__79_A'.
  CHECK(decoded({0xff, 0xfe, 0xfd, 0xfc}, Encoding::base64) == "//79/A==");
  CHECK(decoded({0xff, 0xfe, 0xfd, 0xfc}, Encoding::base64url) == "__79_A");
  // node: 'aé€😀' is 'YcOp4oKs8J+YgA==' and 'YcOp4oKs8J-YgA'.
  const std::vector<std::byte> text = encodeText("a\u00e9\u20ac\U0001F600", Encoding::utf8);
  CHECK(decodeText(text, Encoding::base64) == "YcOp4oKs8J+YgA==");
  CHECK(decodeText(text, Encoding::base64url) == "YcOp4oKs8J-YgA");
}

TEST_CASE("base64 decoding accepts both alphabets, skips what is not base64, stops at '='") {
  // node: Buffer.from(…, 'base64') for each input.
  CHECK(encoded("YW Jj\nZA==", Encoding::base64) == "61 62 63 64");
  CHECK(encoded("YWJjZA=YWJj", Encoding::base64) == "61 62 63 64");
  CHECK(encoded("YW*Jj", Encoding::base64) == "61 62 63");
  CHECK(encoded("YWJjZ", Encoding::base64) == "61 62 63");  // 6 leftover bits are dropped
  CHECK(encoded("_-8", Encoding::base64) == "ff ef");
  CHECK(encoded("/+8=", Encoding::base64url) == "ff ef");
  CHECK(encoded("====", Encoding::base64).empty());
  CHECK(encodedLength("YW Jj\nZA==", Encoding::base64) == 4);
}

TEST_CASE("decoding UTF-8 replaces each maximal invalid subsequence with one U+FFFD") {
  // node: JSON.stringify(Buffer.from(bytes).toString('utf8')) for each row; the
  // counting is the WHATWG Encoding Standard's (Unicode's "maximal subpart").
  CHECK(decoded({0x61, 0x80, 0x62}) == std::string("a") + replacement + "b");
  CHECK(decoded({0xc0, 0x80}) == replacements(2));        // overlong lead C0
  CHECK(decoded({0xc1, 0xbf}) == replacements(2));        // overlong lead C1
  CHECK(decoded({0xe0, 0x80, 0x80}) == replacements(3));  // E0 needs A0..BF next
  CHECK(decoded({0xe0, 0xa0}) == replacements(1));        // truncated, one subpart
  CHECK(decoded({0xe2, 0x82, 0x41}) == std::string(replacement) + "A");
  CHECK(decoded({0xed, 0xa0, 0x80}) == replacements(3));  // a UTF-16 surrogate
  CHECK(decoded({0xf0, 0x9f, 0x98}) == replacements(1));
  CHECK(decoded({0xf0, 0x9f, 0x98, 0x80}) == "\U0001F600");
  CHECK(decoded({0xf0, 0x80, 0x80, 0x80}) == replacements(4));  // F0 needs 90..BF next
  CHECK(decoded({0xf4, 0x90, 0x80, 0x80}) == replacements(4));  // above U+10FFFF
  CHECK(decoded({0xf5, 0x80}) == replacements(2));
  CHECK(decoded({0xff, 0xfe}) == replacements(2));
  CHECK(decoded({0xe2, 0x82, 0xac, 0xe2, 0x82}) == std::string("\u20ac") + replacement);
  CHECK(decoded({0xf1, 0x80, 0x80, 0xe1, 0x80, 0xc2}) == replacements(3));
  CHECK(decoded({0xdf}) == replacements(1));
  CHECK(decoded({0xc2, 0xe9, 0x41}) == replacements(2) + "A");
  CHECK(decoded({0x61, 0xf1, 0x80, 0x80, 0x80, 0x62}) == "a\U00040000b");
  // Unicode 15, table 3-8: 61 F1 80 80 E1 80 C2 62 80 63 80 BF 64.
  CHECK(decoded({0x61, 0xf1, 0x80, 0x80, 0xe1, 0x80, 0xc2, 0x62, 0x80, 0x63, 0x80, 0xbf, 0x64}) ==
        "a" + replacements(3) + "b" + replacements(1) + "c" + replacements(2) + "d");
  // The last valid code points of each length, and U+0000.
  CHECK(decoded({0x00, 0x7f}) == std::string("\0\x7f", 2));
  CHECK(decoded({0xdf, 0xbf, 0xef, 0xbf, 0xbf, 0xf4, 0x8f, 0xbf, 0xbf}) ==
        "\u07ff\uffff\U0010FFFF");
}

TEST_CASE("encoding invalid UTF-8 input writes U+FFFD with the same counting") {
  // A C++ string with invalid UTF-8 stands for a JS string with U+FFFD in its place.
  CHECK(encoded("a\xff"
                "b",
                Encoding::utf8) == "61 ef bf bd 62");
  CHECK(encoded("\xe2\x82"
                "A",
                Encoding::utf8) == "ef bf bd 41");
  CHECK(encoded("\xc0\x80", Encoding::utf8) == "ef bf bd ef bf bd");
  CHECK(encoded("\xed\xa0\x80", Encoding::utf8) == "ef bf bd ef bf bd ef bf bd");
  CHECK(encoded("\xf0\x9f\x98", Encoding::utf8) == "ef bf bd");
  CHECK(encoded("\xff", Encoding::utf16le) == "fd ff");
  CHECK(encoded("\xff", Encoding::latin1) == "fd");
  CHECK(encodedLength("a\xff"
                      "b",
                      Encoding::utf8) == 5);
}

TEST_CASE("decoding UTF-16LE pairs surrogates, replaces lone ones, drops an odd byte") {
  // node: Buffer.from(bytes).toString('utf16le'); Node keeps a lone surrogate in the
  // JS string, which UTF-8 cannot hold, so it becomes U+FFFD here.
  CHECK(decoded({0x3d, 0xd8, 0x00, 0xde}, Encoding::utf16le) == "\U0001F600");
  CHECK(decoded({0x3d, 0xd8, 0x41, 0x00}, Encoding::utf16le) == std::string(replacement) + "A");
  CHECK(decoded({0x00, 0xde, 0x41, 0x00}, Encoding::utf16le) == std::string(replacement) + "A");
  CHECK(decoded({0x3d, 0xd8}, Encoding::utf16le) == replacement);
  CHECK(decoded({0x41, 0x00, 0x42}, Encoding::utf16le) == "A");
  CHECK(decoded({0x61, 0x00, 0xe9, 0x00, 0xac, 0x20}, Encoding::utf16le) == "a\u00e9\u20ac");
  CHECK(decoded({0x00, 0xd8, 0x00, 0xdc}, Encoding::utf16le) == "\U00010000");
  CHECK(decoded({0xff, 0xdb, 0xff, 0xdf}, Encoding::utf16le) == "\U0010FFFF");
}

TEST_CASE("decoding latin1 maps each byte to its code point, ascii keeps 7 bits") {
  // node: Buffer.from([0xe9, 0x41, 0xff]).toString('latin1') is 'éAÿ', 'ascii' is
  // 'iA\x7F'.
  CHECK(decoded({0xe9, 0x41, 0xff}, Encoding::latin1) == "\u00e9A\u00ff");
  CHECK(decoded({0xe9, 0x41, 0xff}, Encoding::ascii) == "iA\x7f");
  CHECK(decoded({0x80}, Encoding::latin1) == "\u0080");
}

TEST_CASE("every encoding round-trips the bytes it can represent") {
  std::vector<std::byte> all;
  for (int i = 0; i < 256; ++i)
    all.push_back(static_cast<std::byte>(i));
  for (Encoding encoding :
       {Encoding::latin1, Encoding::hex, Encoding::base64, Encoding::base64url}) {
    CHECK(hexBytes(encodeText(decodeText(all, encoding), encoding)) == hexBytes(all));
  }
  const std::vector<std::byte> ascii(all.begin(), all.begin() + 128);
  CHECK(hexBytes(encodeText(decodeText(ascii, Encoding::ascii), Encoding::ascii)) ==
        hexBytes(ascii));
  const std::vector<std::byte> text = encodeText("a\u00e9\u20ac\U0001F600", Encoding::utf16le);
  CHECK(decodeText(text, Encoding::utf16le) == "a\u00e9\u20ac\U0001F600");
  CHECK(decodeText({}, Encoding::utf8).empty());
}
