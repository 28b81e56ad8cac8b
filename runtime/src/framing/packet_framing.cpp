// SPDX-License-Identifier: Apache-2.0
#include "wirekit/framing/packet_framing.hpp"

#include <algorithm>
#include <array>
#include <limits>
#include <utility>

#include <fmt/format.h>

#include "wirekit/error.hpp"
#include "wirekit/framing/header_field.hpp"
#include "wirekit/framing/sofh.hpp"

namespace wirekit {

namespace {

constexpr std::array<std::string_view, 8> presetNameList{
    "cme-mdp3",      "b3-umdf",       "coinbase-cde",  "sofh",
    "length-u16-le", "length-u16-be", "length-u32-le", "length-u32-be"};

// A little-endian u16 length counting the whole message, stripped: CME's
// message size, Coinbase's frame length.
LengthFieldDecoderOptions selfCountingU16() {
  return {.lengthFieldLength = 2,
          .byteOrder = ByteOrder::little,
          .lengthIncludesHeader = true,
          .initialBytesToStrip = 2};
}

}  // namespace

std::span<const std::string_view> PacketFramingOptions::presetNames() noexcept {
  return presetNameList;
}

std::optional<PacketFramingOptions> PacketFramingOptions::preset(std::string_view name,
                                                                 ByteOrder schemaByteOrder) {
  if (name == "cme-mdp3") {
    // CME MDP 3.0, "SBE Technical Headers" and "SBE Message Header".
    return PacketFramingOptions{
        .name = "cme-mdp3",
        .packetHeaderLength = 12,
        .sequenceNumber = PacketField{.offset = 0, .length = 4},
        .sendingTime = PacketField{.offset = 4, .length = 8},
        .messages = selfCountingU16(),
    };
  }
  if (name == "b3-umdf") {
    // B3 Binary UMDF: PacketHeader (16 bytes), then FramingHeader per message.
    LengthFieldDecoderOptions messages{
        .lengthFieldLength = 2,
        .byteOrder = ByteOrder::little,
        .lengthIncludesHeader = true,
        .initialBytesToStrip = 4,
        .expectedField =
            HeaderField{.offset = 2,
                        .length = 2,
                        .byteOrder = ByteOrder::little,
                        .value = static_cast<std::uint16_t>(SofhEncodingType::sbeLittleEndian),
                        .name = "encoding type"},
    };
    return PacketFramingOptions{
        .name = "b3-umdf",
        .packetHeaderLength = 16,
        .sequenceNumber = PacketField{.offset = 4, .length = 4},
        .sendingTime = PacketField{.offset = 8, .length = 8},
        .messages = std::move(messages),
    };
  }
  if (name == "coinbase-cde") {
    // Coinbase Derivatives Exchange UDP market data: 24-byte packet header.
    return PacketFramingOptions{
        .name = "coinbase-cde",
        .packetHeaderLength = 24,
        .sequenceNumber = PacketField{.offset = 8, .length = 8},
        .sendingTime = PacketField{.offset = 0, .length = 8},
        .messages = selfCountingU16(),
    };
  }
  if (name == "sofh") {
    // SOFH names the SBE byte order the message is in (the Python reader's rule too).
    return PacketFramingOptions{
        .name = "sofh",
        .messages = LengthFieldDecoderOptions::sofh(schemaByteOrder == ByteOrder::big
                                                        ? SofhEncodingType::sbeBigEndian
                                                        : SofhEncodingType::sbeLittleEndian)};
  }
  // A length of the message after it, not counting itself: length-u{16,32}-{le,be}.
  for (const std::size_t bytes : {2U, 4U}) {
    for (const ByteOrder order : {ByteOrder::little, ByteOrder::big}) {
      if (name ==
          fmt::format("length-u{}-{}", 8 * bytes, order == ByteOrder::little ? "le" : "be")) {
        return PacketFramingOptions{
            .name = std::string(name),
            .messages = {
                .lengthFieldLength = bytes, .byteOrder = order, .initialBytesToStrip = bytes}};
      }
    }
  }
  return std::nullopt;
}

PacketSplitter::PacketSplitter(PacketFramingOptions options) : options_(std::move(options)) {
  // The message options are checked as a stream decoder would check them.
  static_cast<void>(LengthFieldFrameDecoder(options_.messages));
  const LengthFieldDecoderOptions& messages = options_.messages;
  for (const std::optional<PacketField>* field :
       {&options_.sequenceNumber, &options_.sendingTime}) {
    if (!*field) continue;
    detail::checkFieldLength((*field)->length, "PacketSplitter: packet header field length");
    if ((*field)->offset > options_.packetHeaderLength ||
        options_.packetHeaderLength - (*field)->offset < (*field)->length) {
      throw RangeError(
          fmt::format("PacketSplitter: a packet header field (offset {}, {} bytes) must end within "
                      "packetHeaderLength ({})",
                      (*field)->offset, (*field)->length, options_.packetHeaderLength));
    }
  }
  messageHeaderLength_ = messages.lengthFieldOffset + messages.lengthFieldLength;
  if (messages.expectedField) {
    messageHeaderLength_ = std::max(
        messageHeaderLength_, messages.expectedField->offset + messages.expectedField->length);
  }
  lengthConstant_ = messages.lengthAdjustment;
  if (!messages.lengthIncludesHeader) {
    // The decoder above checked that this does not overflow.
    lengthConstant_ +=
        static_cast<std::int64_t>(messages.lengthFieldOffset + messages.lengthFieldLength);
  }
}

PacketFrames PacketSplitter::split(const Buffer& packet) const {
  PacketFrames frames;
  split(packet, frames);
  return frames;
}

void PacketSplitter::split(const Buffer& packet, PacketFrames& frames) const {
  frames.messages.clear();
  const std::string& name = options_.name;
  const std::size_t length = packet.length();
  const std::byte* data = packet.data();
  if (length < options_.packetHeaderLength) {
    throw FrameError(fmt::format("{} packet of {} bytes is shorter than its {}-byte header", name,
                                 length, options_.packetHeaderLength),
                     0, options_.packetHeaderLength);
  }
  const auto read = [&](const std::optional<PacketField>& field) -> std::optional<std::uint64_t> {
    if (!field) return std::nullopt;
    return detail::loadField(data + field->offset, field->length, field->byteOrder);
  };
  frames.sequenceNumber = read(options_.sequenceNumber);
  frames.sendingTime = read(options_.sendingTime);

  const LengthFieldDecoderOptions& messages = options_.messages;
  std::size_t offset = options_.packetHeaderLength;
  while (offset < length) {
    const std::size_t remaining = length - offset;
    if (remaining < messageHeaderLength_) {
      if (options_.allowTrailingPadding) break;
      throw FrameError(fmt::format("{} packet, byte {}: {} bytes left, too few for a message "
                                   "header ({} bytes)",
                                   name, offset, remaining, messageHeaderLength_),
                       offset, messageHeaderLength_);
    }
    const std::byte* header = data + offset;
    if (const std::optional<HeaderField>& field = messages.expectedField) {
      const std::uint64_t value =
          detail::loadField(header + field->offset, field->length, field->byteOrder);
      if (value != field->value) {
        throw FrameError(fmt::format("{} packet, byte {}: {} 0x{:0{}X} is not the expected "
                                     "0x{:0{}X}",
                                     name, offset, field->name, value, 2 * field->length,
                                     field->value, 2 * field->length),
                         offset, field->value);
      }
    }
    const std::uint64_t lengthField = detail::loadField(
        header + messages.lengthFieldOffset, messages.lengthFieldLength, messages.byteOrder);
    std::int64_t frameLength = 0;
    if (lengthField > detail::maxLengthFieldValue ||
        __builtin_add_overflow(static_cast<std::int64_t>(lengthField), lengthConstant_,
                               &frameLength) ||
        frameLength < static_cast<std::int64_t>(messageHeaderLength_)) {
      throw FrameError(fmt::format("{} packet, byte {}: length field {} gives a message length "
                                   "below the minimum {} (its header)",
                                   name, offset, lengthField, messageHeaderLength_),
                       offset, messageHeaderLength_);
    }
    const auto whole = static_cast<std::uint64_t>(frameLength);
    if (whole > messages.maxFrameLength) {
      throw FrameError(fmt::format("{} packet, byte {}: message length {} exceeds the maximum {}",
                                   name, offset, whole, messages.maxFrameLength),
                       offset, messages.maxFrameLength);
    }
    if (whole > remaining) {
      throw FrameError(fmt::format("{} packet, byte {}: message length {} runs past the packet's "
                                   "end ({} bytes left)",
                                   name, offset, whole, remaining),
                       offset, remaining);
    }
    if (whole < messages.initialBytesToStrip) {
      throw FrameError(fmt::format("{} packet, byte {}: message length {} is below the {} bytes "
                                   "to strip",
                                   name, offset, whole, messages.initialBytesToStrip),
                       offset, messages.initialBytesToStrip);
    }
    frames.messages.push_back(
        packet.subarray(static_cast<std::ptrdiff_t>(offset + messages.initialBytesToStrip),
                        static_cast<std::ptrdiff_t>(offset + whole)));
    offset += whole;
  }
}

}  // namespace wirekit
