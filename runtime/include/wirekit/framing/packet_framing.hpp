// SPDX-License-Identifier: Apache-2.0
#pragma once
// Exchange packet framing, declared: a packet header (a sequence number and a
// sending time, once per UDP datagram) and then messages, each behind a
// length field described by LengthFieldDecoderOptions. Named presets for the
// feeds wirekit knows (cme-mdp3, b3-umdf, coinbase-cde, sofh, length-u16-le...) live here and
// nowhere else; docs/framing.md gives their byte layouts and the public specs
// they follow, and the Python CLI uses the same names.
//
//   PacketSplitter splitter(*PacketFramingOptions::preset("cme-mdp3"));
//   PacketFrames frames = splitter.split(packet.payload);
//   for (const Buffer& message : frames.messages) handle(*frames.sequenceNumber, message);
//
// A packet is split on its own: a message never runs past its packet (UDP). A
// TCP stream of such messages (no packet header) is cut with a
// LengthFieldFrameDecoder over options.messages instead.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "wirekit/bytes/buffer.hpp"
#include "wirekit/bytes/byte_order.hpp"
#include "wirekit/export.hpp"
#include "wirekit/framing/length_field_frame_decoder.hpp"

namespace wirekit {

// An unsigned number at a fixed place in a packet header.
struct PacketField {
  std::size_t offset = 0;
  // 1, 2, 3, 4 or 8 bytes.
  std::size_t length = 4;
  ByteOrder byteOrder = ByteOrder::little;
};

struct WIREKIT_EXPORT PacketFramingOptions {
  // The preset's name ("cme-mdp3"), what errors and --framing call it.
  std::string name;
  // Bytes at the start of every packet before its first message.
  std::size_t packetHeaderLength = 0;
  // The packet's sequence number and sending time (ns since the Unix epoch),
  // where the packet header has them.
  std::optional<PacketField> sequenceNumber{};
  std::optional<PacketField> sendingTime{};
  // How the rest of the packet is cut into messages; maxFrameLength bounds
  // each message, discardMode is not used (a bad packet is an error: the
  // caller decides whether to skip it).
  LengthFieldDecoderOptions messages{};
  // Bytes after the last message too few to hold a message header (alignment
  // padding) are ignored instead of being an error.
  bool allowTrailingPadding = false;

  // The preset of that name, or nothing. schemaByteOrder is the byte order
  // of the schema whose messages the packets carry: sofh expects encoding type
  // 0x5BE0 for a big-endian schema, 0xEB50 otherwise (as `wirekit decode
  // --pcap` does); the other presets ignore it.
  [[nodiscard]] static std::optional<PacketFramingOptions> preset(
      std::string_view name, ByteOrder schemaByteOrder = ByteOrder::little);
  // Every preset's name, in the order docs/framing.md lists them.
  [[nodiscard]] static std::span<const std::string_view> presetNames() noexcept;
};

// One packet, split: its header's numbers and its messages (subarrays of it).
struct PacketFrames {
  std::optional<std::uint64_t> sequenceNumber;
  std::optional<std::uint64_t> sendingTime;
  std::vector<Buffer> messages;
};

class WIREKIT_EXPORT PacketSplitter {
 public:
  // RangeError for options that cannot describe a packet (as
  // LengthFieldFrameDecoder's, and header fields beyond packetHeaderLength).
  explicit PacketSplitter(PacketFramingOptions options);

  [[nodiscard]] const PacketFramingOptions& options() const noexcept { return options_; }

  // FrameError for a packet shorter than its header, a message whose length
  // is below its own header or runs past the packet or maxFrameLength, a wrong
  // expectedField, or trailing bytes; the message names the preset and the
  // byte offset in the packet, streamOffset() is that offset.
  [[nodiscard]] PacketFrames split(const Buffer& packet) const;
  // The same into frames, reusing its vector's storage (a replay loop).
  void split(const Buffer& packet, PacketFrames& frames) const;

 private:
  PacketFramingOptions options_;
  // Bytes a message needs before its length (and expected field) can be read.
  std::size_t messageHeaderLength_ = 0;
  // Added to the length field to get the message's whole length.
  std::int64_t lengthConstant_ = 0;
};

}  // namespace wirekit
