// SPDX-License-Identifier: Apache-2.0
// Exchange packet framing: each preset against packets whose bytes were
// computed by hand from the layouts in docs/framing.md, and the errors of
// packets that do not fit them.

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "framing_test_support.hpp"
#include "wirekit/error.hpp"
#include "wirekit/framing/packet_framing.hpp"

using namespace wirekit;
using namespace wirekit::test;

namespace {

// Bytes from hex digits; spaces and '|' (between headers and messages) are ignored.
Buffer hex(std::string_view text) {
  std::string digits;
  for (const char c : text) {
    if (c != ' ' && c != '|') digits.push_back(c);
  }
  return Buffer::from(digits, Encoding::hex);
}

PacketFrames split(std::string_view preset, std::string_view packet) {
  const std::optional<PacketFramingOptions> options = PacketFramingOptions::preset(preset);
  REQUIRE(options);
  return PacketSplitter(*options).split(hex(packet));
}

std::vector<std::string> hexOf(const std::vector<Buffer>& messages) {
  std::vector<std::string> out;
  for (const Buffer& message : messages)
    out.push_back(message.toString(Encoding::hex));
  return out;
}

std::string errorOf(std::string_view preset, std::string_view packet) {
  try {
    static_cast<void>(split(preset, packet));
  } catch (const FrameError& error) {
    return error.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("packet framing: the presets are the documented ones") {
  std::vector<std::string> names;
  for (std::string_view name : PacketFramingOptions::presetNames()) {
    names.emplace_back(name);
    CHECK(PacketFramingOptions::preset(name)->name == name);
  }
  // The same list as the Python reader's (codegen/wirekit_codegen/capture/framing.py).
  CHECK(names == std::vector<std::string>{"cme-mdp3", "b3-umdf", "coinbase-cde", "sofh",
                                          "length-u16-le", "length-u16-be", "length-u32-le",
                                          "length-u32-be"});
  CHECK_FALSE(PacketFramingOptions::preset("cme"));
}

TEST_CASE("packet framing: cme-mdp3") {
  // seq 1 (u32 LE), sending time 0x0102030405060708 (u64 LE), then messages
  // of 10 and 8 bytes behind u16 LE sizes counting themselves (12 and 10).
  const PacketFrames frames =
      split("cme-mdp3",
            "01000000 0807060504030201 | 0C00 0A00 3000 0100 0900 AAAA | 0A00 0800 2000 0100 0900");
  CHECK(frames.sequenceNumber == 1);
  CHECK(frames.sendingTime == 0x0102030405060708);
  CHECK(hexOf(frames.messages) ==
        std::vector<std::string>{"0a00300001000900aaaa", "0800200001000900"});
  // A packet header alone: no messages.
  CHECK(split("cme-mdp3", "FFFFFFFF 0000000000000000").messages.empty());
  CHECK(split("cme-mdp3", "FFFFFFFF 0000000000000000").sequenceNumber == 0xFFFFFFFF);
}

TEST_CASE("packet framing: b3-umdf") {
  // channel 5, reserved, sequence version 2, seq 7, time 0x0102030405060708,
  // then a framing header: length 12 (u16 LE, counting its 4 bytes), 0xEB50 LE.
  const PacketFrames frames =
      split("b3-umdf", "05 00 0200 07000000 0807060504030201 | 0C00 50EB 0800 1200 0100 0200");
  CHECK(frames.sequenceNumber == 7);
  CHECK(frames.sendingTime == 0x0102030405060708);
  CHECK(hexOf(frames.messages) == std::vector<std::string>{"0800120001000200"});
  CHECK(
      errorOf("b3-umdf", "05 00 0200 07000000 0807060504030201 | 0C00 E05B 0800 1200 0100 0200") ==
      "b3-umdf packet, byte 16: encoding type 0x5BE0 is not the expected 0xEB50");
}

TEST_CASE("packet framing: coinbase-cde") {
  // sending time 0x0A (i64 LE), seq 0x0102 (i64 LE), channel 3, flags 1,
  // 1 message, snapshot instrument 0; a frame length of 10 counting itself.
  const PacketFrames frames =
      split("coinbase-cde",
            "0A00000000000000 0201000000000000 0300 01 01 00000000 | 0A00 0000 0100 B104 0000");
  CHECK(frames.sendingTime == 0x0A);
  CHECK(frames.sequenceNumber == 0x0102);
  CHECK(hexOf(frames.messages) == std::vector<std::string>{"00000100b1040000"});
}

TEST_CASE("packet framing: sofh") {
  // u32 BE 14 = 6 + 8, u16 BE 0xEB50, 8 bytes; twice.
  const PacketFrames frames =
      split("sofh", "0000000E EB50 0102030405060708 | 0000000E EB50 1112131415161718");
  CHECK_FALSE(frames.sequenceNumber);
  CHECK_FALSE(frames.sendingTime);
  CHECK(hexOf(frames.messages) == std::vector<std::string>{"0102030405060708", "1112131415161718"});
}

TEST_CASE("packet framing: sofh expects the schema's byte order's encoding type") {
  const std::string_view bigEndianMessage = "0000000A 5BE0 01020304";
  const auto splitBig = [](std::string_view packet) {
    return PacketSplitter(*PacketFramingOptions::preset("sofh", ByteOrder::big)).split(hex(packet));
  };
  CHECK(hexOf(splitBig(bigEndianMessage).messages) == std::vector<std::string>{"01020304"});
  CHECK_THROWS_AS(splitBig("0000000A EB50 01020304"), FrameError);
  // A little-endian schema (the default) expects 0xEB50 and refuses 0x5BE0.
  CHECK(errorOf("sofh", bigEndianMessage) != "no error");
  CHECK(hexOf(PacketSplitter(*PacketFramingOptions::preset("sofh", ByteOrder::little))
                  .split(hex("0000000A EB50 01020304"))
                  .messages) == std::vector<std::string>{"01020304"});
}

TEST_CASE("packet framing: length prefixes not counting themselves") {
  // 3 and 2 message bytes behind a length of just the message.
  CHECK(hexOf(split("length-u16-le", "0300 AABBCC | 0200 DDEE").messages) ==
        std::vector<std::string>{"aabbcc", "ddee"});
  CHECK(hexOf(split("length-u16-be", "0003 AABBCC | 0002 DDEE").messages) ==
        std::vector<std::string>{"aabbcc", "ddee"});
  CHECK(hexOf(split("length-u32-le", "03000000 AABBCC | 02000000 DDEE").messages) ==
        std::vector<std::string>{"aabbcc", "ddee"});
  CHECK(hexOf(split("length-u32-be", "00000003 AABBCC | 00000002 DDEE").messages) ==
        std::vector<std::string>{"aabbcc", "ddee"});
  const PacketFrames frames = split("length-u16-le", "0100 AA");
  CHECK_FALSE(frames.sequenceNumber);
  CHECK_FALSE(frames.sendingTime);
  // The other byte order's reading of the same bytes runs past the packet.
  CHECK(errorOf("length-u16-be", "0300 AABBCC") ==
        "length-u16-be packet, byte 0: message length 770 runs past the packet's end (5 bytes "
        "left)");
}

TEST_CASE("packet framing: messages are subarrays of the packet") {
  const Buffer packet = hex("01000000 0000000000000000 0400 AABB");
  const PacketFrames frames =
      PacketSplitter(*PacketFramingOptions::preset("cme-mdp3")).split(packet);
  REQUIRE(frames.messages.size() == 1);
  CHECK(frames.messages[0].data() == packet.data() + 14);
}

TEST_CASE("packet framing: packets that do not fit name the byte") {
  CHECK(errorOf("cme-mdp3", "01000000 00000000") ==
        "cme-mdp3 packet of 8 bytes is shorter than its 12-byte header");
  CHECK(errorOf("cme-mdp3", "01000000 0000000000000000 0400 AABB | 0900 00") ==
        "cme-mdp3 packet, byte 16: message length 9 runs past the packet's end (3 bytes left)");
  CHECK(errorOf("cme-mdp3", "01000000 0000000000000000 0100 AABB") ==
        "cme-mdp3 packet, byte 12: length field 1 gives a message length below the minimum 2 "
        "(its header)");
  CHECK(errorOf("cme-mdp3", "01000000 0000000000000000 0400 AABB | 00") ==
        "cme-mdp3 packet, byte 16: 1 bytes left, too few for a message header (2 bytes)");
  CHECK(errorOf("sofh", "FFFFFFFF EB50") ==
        "sofh packet, byte 0: message length 4294967295 exceeds the maximum 1048576");
  try {
    static_cast<void>(split("cme-mdp3", "01000000 0000000000000000 0400 AABB | 0900 00"));
  } catch (const FrameError& error) {
    CHECK(error.streamOffset() == 16);
  }

  PacketFramingOptions padded = *PacketFramingOptions::preset("cme-mdp3");
  padded.allowTrailingPadding = true;
  CHECK(PacketSplitter(padded)
            .split(hex("01000000 0000000000000000 0400 AABB | 00"))
            .messages.size() == 1);
}

TEST_CASE("packet framing: options that cannot describe a packet") {
  PacketFramingOptions options = *PacketFramingOptions::preset("cme-mdp3");
  options.sendingTime = PacketField{.offset = 8, .length = 8};
  CHECK_THROWS_WITH(PacketSplitter(options),
                    "PacketSplitter: a packet header field (offset 8, 8 bytes) must end within "
                    "packetHeaderLength (12)");
  options = *PacketFramingOptions::preset("cme-mdp3");
  options.sequenceNumber = PacketField{.offset = 0, .length = 5};
  CHECK_THROWS_AS(PacketSplitter(options), RangeError);
  options = *PacketFramingOptions::preset("cme-mdp3");
  options.messages.lengthFieldLength = 7;
  CHECK_THROWS_AS(PacketSplitter(options), RangeError);
}
