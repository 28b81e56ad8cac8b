// SPDX-License-Identifier: Apache-2.0
#include "wirekit/transport/pcap_writer.hpp"

#include <pcap/pcap.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "wirekit/bytes/byte_order.hpp"

namespace wirekit {

namespace {

constexpr std::size_t ethernetHeaderLength = 14;
constexpr std::size_t ipv4HeaderLength = 20;
constexpr std::size_t ipv6HeaderLength = 40;
constexpr std::size_t udpHeaderLength = 8;
constexpr std::size_t tcpHeaderLength = 20;
// Locally administered MAC addresses: the capture has no real link.
constexpr std::array<std::uint8_t, 6> sourceMac{0x02, 0, 0, 0, 0, 0x01};
constexpr std::array<std::uint8_t, 6> destinationMac{0x02, 0, 0, 0, 0, 0x02};
constexpr std::uint8_t defaultTtl = 64;
constexpr std::uint8_t tcpFlagsPshAck = 0x18;
constexpr std::uint16_t tcpWindow = 65535;

void put16(std::byte* target, std::uint16_t value) {
  store<std::uint16_t, ByteOrder::big>(target, value);
}
void put32(std::byte* target, std::uint32_t value) {
  store<std::uint32_t, ByteOrder::big>(target, value);
}

// The Internet checksum's running sum (RFC 1071) over big-endian 16-bit words.
std::uint32_t checksumAdd(std::uint32_t sum, const std::byte* data, std::size_t length) {
  for (std::size_t i = 0; i + 1 < length; i += 2)
    sum += load<std::uint16_t, ByteOrder::big>(data + i);
  if (length % 2 != 0) sum += std::to_integer<std::uint32_t>(data[length - 1]) << 8;
  return sum;
}

std::uint16_t checksumFinish(std::uint32_t sum) {
  while ((sum >> 16) != 0)
    sum = (sum & 0xFFFF) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum);
}

}  // namespace

struct PcapFileWriter::Handle {
  pcap_t* pcap = nullptr;
  pcap_dumper_t* dumper = nullptr;
  ~Handle() {
    if (dumper != nullptr) pcap_dump_close(dumper);
    if (pcap != nullptr) pcap_close(pcap);
  }
};

PcapFileWriter::PcapFileWriter(std::string path, PcapWriterOptions options)
    : path_(std::move(path)), options_(options), handle_(std::make_unique<Handle>()) {
  handle_->pcap = pcap_open_dead_with_tstamp_precision(
      DLT_EN10MB, static_cast<int>(options_.snapLength), PCAP_TSTAMP_PRECISION_NANO);
  if (handle_->pcap == nullptr)
    throw PcapError(fmt::format("{}: pcap_open_dead failed", path_), 0, 0);
  handle_->dumper = pcap_dump_open(handle_->pcap, path_.c_str());
  if (handle_->dumper == nullptr) {
    throw PcapError(fmt::format("{}: cannot create: {}", path_, pcap_geterr(handle_->pcap)), 0, 0);
  }
}

PcapFileWriter::~PcapFileWriter() = default;

void PcapFileWriter::write(const Packet& packet) {
  if (!handle_->dumper) throw PcapError(fmt::format("{}: write after close", path_), 0, 0);
  const bool v4 = packet.source.is_v4();
  if (v4 != packet.destination.is_v4()) {
    throw TypeError(fmt::format("packet from {} to {}: the addresses are of different IP versions",
                                packet.source.to_string(), packet.destination.to_string()));
  }
  const bool tcp = packet.protocol == PacketProtocol::tcp;
  const std::size_t ipHeaderLength = v4 ? ipv4HeaderLength : ipv6HeaderLength;
  const std::size_t transportHeaderLength = tcp ? tcpHeaderLength : udpHeaderLength;
  const std::size_t transportLength = transportHeaderLength + packet.payload.length();
  // IPv4's total length and UDP's length are 16-bit; IPv6's payload length too.
  const std::size_t limit = 65535 - (v4 ? ipHeaderLength : 0);
  if (tcp && transportLength > limit) {
    // A stream's bytes: as many segments as they take, as a socket sends them.
    const std::size_t most = limit - transportHeaderLength;
    Packet segment = packet;
    for (std::size_t at = 0; at < packet.payload.length(); at += most) {
      const std::size_t end = std::min(at + most, packet.payload.length());
      segment.payload = packet.payload.subarray(static_cast<std::ptrdiff_t>(at),
                                                static_cast<std::ptrdiff_t>(end));
      write(segment);
    }
    return;
  }
  if (transportLength > limit) {
    throw RangeError(fmt::format("a {}-byte payload does not fit in one UDP packet (at most {})",
                                 packet.payload.length(), limit - transportHeaderLength));
  }
  const std::size_t total = ethernetHeaderLength + ipHeaderLength + transportLength;
  if (total > options_.snapLength) {
    throw RangeError(
        fmt::format("a {}-byte packet is longer than snapLength ({})", total, options_.snapLength));
  }
  std::vector<std::byte> frame(total);
  std::byte* p = frame.data();
  std::memcpy(p, destinationMac.data(), 6);
  std::memcpy(p + 6, sourceMac.data(), 6);
  put16(p + 12, v4 ? 0x0800 : 0x86DD);
  std::byte* ip = p + ethernetHeaderLength;
  std::byte* transport = ip + ipHeaderLength;
  const auto protocol = static_cast<std::uint8_t>(packet.protocol);

  // The pseudo-header's sum, for the UDP or TCP checksum.
  std::uint32_t pseudo = 0;
  if (v4) {
    ip[0] = std::byte{0x45};
    put16(ip + 2, static_cast<std::uint16_t>(ipHeaderLength + transportLength));
    put16(ip + 4, static_cast<std::uint16_t>(packetsWritten_));
    put16(ip + 6, 0x4000);  // don't fragment
    ip[8] = std::byte{defaultTtl};
    ip[9] = std::byte{protocol};
    const auto source = packet.source.to_v4().to_bytes();
    const auto destination = packet.destination.to_v4().to_bytes();
    std::memcpy(ip + 12, source.data(), 4);
    std::memcpy(ip + 16, destination.data(), 4);
    put16(ip + 10, checksumFinish(checksumAdd(0, ip, ipHeaderLength)));
    pseudo = checksumAdd(pseudo, ip + 12, 8);
  } else {
    put32(ip, 0x60000000);
    put16(ip + 4, static_cast<std::uint16_t>(transportLength));
    ip[6] = std::byte{protocol};
    ip[7] = std::byte{defaultTtl};
    const auto source = packet.source.to_v6().to_bytes();
    const auto destination = packet.destination.to_v6().to_bytes();
    std::memcpy(ip + 8, source.data(), 16);
    std::memcpy(ip + 24, destination.data(), 16);
    pseudo = checksumAdd(pseudo, ip + 8, 32);
  }
  pseudo += protocol;
  pseudo += static_cast<std::uint32_t>(transportLength);

  put16(transport, packet.sourcePort);
  put16(transport + 2, packet.destinationPort);
  std::size_t checksumOffset = 6;
  if (tcp) {
    auto [place, inserted] = tcpSequences_.try_emplace(
        {packet.source, packet.sourcePort, packet.destination, packet.destinationPort}, 1);
    put32(transport + 4, place->second);
    place->second += static_cast<std::uint32_t>(packet.payload.length());
    put32(transport + 8, 1);  // acknowledging the peer's first byte
    transport[12] = std::byte{(tcpHeaderLength / 4) << 4};
    transport[13] = std::byte{tcpFlagsPshAck};
    put16(transport + 14, tcpWindow);
    checksumOffset = 16;
  } else {
    put16(transport + 4, static_cast<std::uint16_t>(transportLength));
  }
  if (packet.payload.length() != 0) {
    std::memcpy(transport + transportHeaderLength, packet.payload.data(), packet.payload.length());
  }
  std::uint16_t checksum = checksumFinish(checksumAdd(pseudo, transport, transportLength));
  // UDP sends a computed 0 as 0xFFFF: 0 means "no checksum".
  if (!tcp && checksum == 0) checksum = 0xFFFF;
  put16(transport + checksumOffset, checksum);

  pcap_pkthdr header{};
  header.ts.tv_sec = static_cast<time_t>(packet.timestampNs / 1'000'000'000U);
  // Nanoseconds: the file was opened with nanosecond precision.
  header.ts.tv_usec = static_cast<suseconds_t>(packet.timestampNs % 1'000'000'000U);
  header.caplen = static_cast<bpf_u_int32>(total);
  header.len = static_cast<bpf_u_int32>(total);
  pcap_dump(reinterpret_cast<u_char*>(handle_->dumper), &header,
            reinterpret_cast<const u_char*>(frame.data()));
  ++packetsWritten_;
}

void PcapFileWriter::close() {
  if (!handle_->dumper) return;
  const bool failed =
      pcap_dump_flush(handle_->dumper) != 0 || std::ferror(pcap_dump_file(handle_->dumper)) != 0;
  pcap_dump_close(handle_->dumper);
  handle_->dumper = nullptr;
  if (failed) throw PcapError(fmt::format("{}: writing failed", path_), 0, 0);
}

PcapWriter::PcapWriter(asio::io_context& context, std::string path, PcapWriterOptions options)
    : Writable(context,
               WritableOptions{.highWaterMark = options.highWaterMark, .objectMode = true}),
      file_(std::make_unique<PcapFileWriter>(std::move(path), options)) {}

void PcapWriter::_write(Buffer chunk, WriteCallback callback) {
  file_->write(Packet::fromRecord(chunk));
  callback();
}

void PcapWriter::_final(Callback callback) {
  try {
    file_->close();
  } catch (...) {
    callback(std::current_exception());
    return;
  }
  callback(nullptr);
}

std::shared_ptr<PcapWriter> createPcapWriter(asio::io_context& context, std::string path,
                                             PcapWriterOptions options) {
  return std::make_shared<PcapWriter>(context, std::move(path), options);
}

}  // namespace wirekit
