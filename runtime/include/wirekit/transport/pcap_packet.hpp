// SPDX-License-Identifier: Apache-2.0
#pragma once
// Packet: one UDP datagram, or a run of in-order TCP stream bytes, from a
// capture (PcapReader) or for one (PcapWriter), and PcapError, a capture that
// cannot be read.
//
// Streams carry Buffers, so a Packet travels through them as a *packet
// record*: a Buffer holding a fixed 64-byte header (timestamp, addresses,
// ports, ...) and then the payload. toRecord() makes one, fromRecord() reads
// one back with the payload as a subarray (no copy). A PcapReader pushes
// records, a PcapWriter takes them: reader->pipe(writer) copies a capture.
//
// Part of the wirekit::pcap library (it needs Debian's libpcap-dev); the core
// runtime does not depend on it.

#include <asio/ip/address.hpp>
#include <cstddef>
#include <cstdint>
#include <string>

#include "wirekit/bytes/buffer.hpp"
#include "wirekit/error.hpp"

namespace wirekit {

// The transport protocol of a packet, by its IP protocol number.
enum class PacketProtocol : std::uint8_t { tcp = 6, udp = 17 };

struct Packet {
  // Capture time, nanoseconds since the Unix epoch.
  std::uint64_t timestampNs = 0;
  // The capture's packet number (1-based, as Wireshark counts) of the packet
  // that delivered this payload; 0 for a packet not read from a capture.
  std::uint64_t number = 0;
  // The capture's link type (DLT_EN10MB = 1, DLT_NULL = 0, DLT_RAW = 101 or
  // 12, DLT_LINUX_SLL = 113).
  int linkType = 1;
  PacketProtocol protocol = PacketProtocol::udp;
  asio::ip::address source;
  asio::ip::address destination;
  std::uint16_t sourcePort = 0;
  std::uint16_t destinationPort = 0;
  // UDP: the datagram's payload. TCP: stream bytes in sequence order, those
  // this segment made available (it may close a gap and so carry more than
  // its own bytes); never a retransmitted byte twice.
  Buffer payload;

  // The packet as a record: the 64-byte header then the payload (one copy).
  [[nodiscard]] Buffer toRecord() const;
  // Reads a record; the payload is a subarray of it. TypeError for a Buffer
  // that is not a record (too short, unknown version or protocol).
  [[nodiscard]] static Packet fromRecord(const Buffer& record);
};

// The bytes of a record before the payload.
inline constexpr std::size_t packetRecordHeaderLength = 64;

// A capture libpcap cannot open or read, or a packet whose link, IP, UDP or TCP
// header is malformed or cut short. The message names the file, the packet
// number and the byte offset in the packet ("capture.pcap: packet 3, byte 14:
// IPv4 header length 8 is below the minimum 20"); packetNumber() and
// byteOffset() give the numbers (0 for an error of the whole file).
class PcapError : public Error {
 public:
  PcapError(const std::string& message, std::uint64_t packetNumber, std::uint64_t byteOffset)
      : Error(message), packetNumber_(packetNumber), byteOffset_(byteOffset) {}

  [[nodiscard]] std::uint64_t packetNumber() const noexcept { return packetNumber_; }
  [[nodiscard]] std::uint64_t byteOffset() const noexcept { return byteOffset_; }

 private:
  std::uint64_t packetNumber_;
  std::uint64_t byteOffset_;
};

}  // namespace wirekit
