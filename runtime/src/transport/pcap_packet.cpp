// SPDX-License-Identifier: Apache-2.0
#include "wirekit/transport/pcap_packet.hpp"

#include <array>
#include <cstring>

#include <fmt/format.h>

#include "wirekit/bytes/byte_order.hpp"

namespace wirekit {

namespace {

// Record header layout (little-endian): version u8 @0, protocol u8 @1, IP
// version u8 @2 (4 or 6), reserved u8 @3, link type i32 @4, timestamp u64 @8,
// packet number u64 @16, source port u16 @24, destination port u16 @26,
// reserved u32 @28, source address 16 bytes @32 (IPv4: the first 4),
// destination address 16 bytes @48. A version byte lets a record be told
// from any other Buffer.
constexpr std::uint8_t recordVersion = 1;

void storeAddress(std::byte* target, const asio::ip::address& address) {
  if (address.is_v4()) {
    const auto bytes = address.to_v4().to_bytes();
    std::memcpy(target, bytes.data(), bytes.size());
  } else {
    const auto bytes = address.to_v6().to_bytes();
    std::memcpy(target, bytes.data(), bytes.size());
  }
}

asio::ip::address loadAddress(const std::byte* source, bool v4) {
  if (v4) {
    asio::ip::address_v4::bytes_type bytes{};
    std::memcpy(bytes.data(), source, bytes.size());
    return asio::ip::address_v4(bytes);
  }
  asio::ip::address_v6::bytes_type bytes{};
  std::memcpy(bytes.data(), source, bytes.size());
  return asio::ip::address_v6(bytes);
}

}  // namespace

Buffer Packet::toRecord() const {
  if (source.is_v4() != destination.is_v4()) {
    throw TypeError(fmt::format("packet from {} to {}: the addresses are of different IP versions",
                                source.to_string(), destination.to_string()));
  }
  Buffer record = Buffer::alloc(packetRecordHeaderLength + payload.length());
  std::byte* header = record.data();
  store<std::uint8_t, ByteOrder::little>(header, recordVersion);
  store<std::uint8_t, ByteOrder::little>(header + 1, static_cast<std::uint8_t>(protocol));
  store<std::uint8_t, ByteOrder::little>(header + 2, source.is_v4() ? 4 : 6);
  store<std::int32_t, ByteOrder::little>(header + 4, linkType);
  store<std::uint64_t, ByteOrder::little>(header + 8, timestampNs);
  store<std::uint64_t, ByteOrder::little>(header + 16, number);
  store<std::uint16_t, ByteOrder::little>(header + 24, sourcePort);
  store<std::uint16_t, ByteOrder::little>(header + 26, destinationPort);
  storeAddress(header + 32, source);
  storeAddress(header + 48, destination);
  if (payload.length() != 0) {
    std::memcpy(header + packetRecordHeaderLength, payload.data(), payload.length());
  }
  return record;
}

Packet Packet::fromRecord(const Buffer& record) {
  if (record.length() < packetRecordHeaderLength) {
    throw TypeError(fmt::format("not a packet record: {} bytes, below the {}-byte header",
                                record.length(), packetRecordHeaderLength));
  }
  const std::byte* header = record.data();
  const auto version = load<std::uint8_t, ByteOrder::little>(header);
  const auto protocol = load<std::uint8_t, ByteOrder::little>(header + 1);
  const auto ipVersion = load<std::uint8_t, ByteOrder::little>(header + 2);
  if (version != recordVersion) {
    throw TypeError(fmt::format("not a packet record: version {}, not {}", version, recordVersion));
  }
  if (protocol != static_cast<std::uint8_t>(PacketProtocol::tcp) &&
      protocol != static_cast<std::uint8_t>(PacketProtocol::udp)) {
    throw TypeError(
        fmt::format("not a packet record: protocol {} is neither TCP nor UDP", protocol));
  }
  if (ipVersion != 4 && ipVersion != 6) {
    throw TypeError(fmt::format("not a packet record: IP version {}", ipVersion));
  }
  Packet packet;
  packet.protocol = static_cast<PacketProtocol>(protocol);
  packet.linkType = load<std::int32_t, ByteOrder::little>(header + 4);
  packet.timestampNs = load<std::uint64_t, ByteOrder::little>(header + 8);
  packet.number = load<std::uint64_t, ByteOrder::little>(header + 16);
  packet.sourcePort = load<std::uint16_t, ByteOrder::little>(header + 24);
  packet.destinationPort = load<std::uint16_t, ByteOrder::little>(header + 26);
  packet.source = loadAddress(header + 32, ipVersion == 4);
  packet.destination = loadAddress(header + 48, ipVersion == 4);
  packet.payload = record.subarray(static_cast<std::ptrdiff_t>(packetRecordHeaderLength));
  return packet;
}

}  // namespace wirekit
