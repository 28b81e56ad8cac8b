// SPDX-License-Identifier: Apache-2.0
#include "wirekit/transport/pcap_reader.hpp"

#include <pcap/pcap.h>

#include <array>
#include <cstring>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "wirekit/bytes/byte_order.hpp"

namespace wirekit {

namespace {

// Link types by number, as libpcap's headers may not define them all.
constexpr int dltNull = 0;
constexpr int dltEthernet = 1;
constexpr int dltRaw = DLT_RAW;
constexpr int linktypeRaw = 101;
constexpr int dltLoop = 108;
constexpr int dltLinuxSll = 113;
constexpr int dltIpv4 = 228;
constexpr int dltIpv6 = 229;
constexpr int dltLinuxSll2 = 276;

constexpr std::uint16_t etherTypeIpv4 = 0x0800;
constexpr std::uint16_t etherTypeIpv6 = 0x86DD;
constexpr std::uint16_t etherTypeVlan = 0x8100;
constexpr std::uint16_t etherTypeQinQ = 0x88A8;
// VLAN tags looked through, at most: 802.1Q and 802.1ad (Q-in-Q).
constexpr int maxVlanTags = 2;

constexpr std::uint8_t ipProtocolTcp = 6;
constexpr std::uint8_t ipProtocolUdp = 17;
// IPv6 extension headers skipped to reach TCP or UDP: hop-by-hop, routing,
// destination options. A fragment header (44) makes the packet a fragment.
constexpr std::uint8_t ipv6HopByHop = 0;
constexpr std::uint8_t ipv6Routing = 43;
constexpr std::uint8_t ipv6Fragment = 44;
constexpr std::uint8_t ipv6DestinationOptions = 60;

constexpr std::uint8_t tcpFlagSyn = 0x02;

std::uint16_t u16(const std::byte* p) {
  return load<std::uint16_t, ByteOrder::big>(p);
}
std::uint32_t u32(const std::byte* p) {
  return load<std::uint32_t, ByteOrder::big>(p);
}

// The IP version an EtherType announces, or 0 for another protocol.
int ipVersionOf(std::uint16_t etherType) {
  return etherType == etherTypeIpv4 ? 4 : etherType == etherTypeIpv6 ? 6 : 0;
}

// BSD loopback's address family values for IPv6 (they differ by OS).
bool isInet6Family(std::uint32_t family) {
  return family == 24 || family == 28 || family == 30;
}

}  // namespace

struct PcapFileReader::Handle {
  pcap_t* pcap = nullptr;
  ~Handle() {
    if (pcap != nullptr) pcap_close(pcap);
  }
};

PcapFileReader::PcapFileReader(std::string path, PcapReaderOptions options)
    : name_(std::move(path)), options_(options), handle_(std::make_unique<Handle>()) {
  std::FILE* file = std::fopen(name_.c_str(), "rb");
  if (file == nullptr) {
    throw PcapError(fmt::format("{}: cannot open: {}", name_, std::strerror(errno)), 0, 0);
  }
  open(file);
}

PcapFileReader::PcapFileReader(std::FILE* file, std::string name, PcapReaderOptions options)
    : name_(std::move(name)), options_(options), handle_(std::make_unique<Handle>()) {
  open(file);
}

PcapFileReader::~PcapFileReader() = default;

void PcapFileReader::open(std::FILE* file) {
  std::array<char, PCAP_ERRBUF_SIZE> error{};
  // Nanosecond timestamps whatever the file holds: libpcap scales them.
  handle_->pcap =
      pcap_fopen_offline_with_tstamp_precision(file, PCAP_TSTAMP_PRECISION_NANO, error.data());
  if (handle_->pcap == nullptr) {
    std::fclose(file);
    throw PcapError(fmt::format("{}: not a pcap or pcapng capture: {}", name_, error.data()), 0, 0);
  }
  linkType_ = pcap_datalink(handle_->pcap);
}

void PcapFileReader::fail(std::size_t offset, const std::string& message) const {
  throw PcapError(fmt::format("{}: packet {}, byte {}: {}", name_, packetsRead_, offset, message),
                  packetsRead_, offset);
}

std::optional<Packet> PcapFileReader::next() {
  while (!atEnd_) {
    pcap_pkthdr* header = nullptr;
    const u_char* data = nullptr;
    const int result = pcap_next_ex(handle_->pcap, &header, &data);
    if (result == PCAP_ERROR_BREAK) {
      atEnd_ = true;
      break;
    }
    if (result != 1) {
      throw PcapError(
          fmt::format("{}: after packet {}: {}", name_, packetsRead_, pcap_geterr(handle_->pcap)),
          packetsRead_ + 1, 0);
    }
    ++packetsRead_;
    std::optional<Packet> packet;
    try {
      packet = decode(reinterpret_cast<const std::byte*>(data), header->caplen, header->len);
    } catch (const PcapError&) {
      if (!options_.skipMalformed) throw;
      ++packetsMalformed_;
      continue;
    }
    if (!packet) {
      ++packetsSkipped_;
      continue;
    }
    packet->timestampNs = static_cast<std::uint64_t>(header->ts.tv_sec) * 1'000'000'000U +
                          static_cast<std::uint64_t>(header->ts.tv_usec);
    lastTimestampNs_ = packet->timestampNs;
    return packet;
  }
  // The end: what the TCP flows hold past their gaps.
  if (leftovers_.empty()) {
    for (auto& [key, flow] : flows_) {
      if (flow.pending.empty()) continue;
      Buffer out;
      while (!flow.pending.empty()) {
        const std::uint64_t next = flow.pending.begin()->first;
        if (next > flow.nextOffset) {
          tcpBytesMissing_ += next - flow.nextOffset;
          flow.nextOffset = next;
        }
        drain(flow, out);
      }
      Packet packet;
      packet.timestampNs = lastTimestampNs_;
      packet.number = packetsRead_;
      packet.linkType = linkType_;
      packet.protocol = PacketProtocol::tcp;
      packet.source = key.source;
      packet.destination = key.destination;
      packet.sourcePort = key.sourcePort;
      packet.destinationPort = key.destinationPort;
      packet.payload = std::move(out);
      leftovers_.push_back(std::move(packet));
    }
  }
  if (leftovers_.empty()) return std::nullopt;
  Packet packet = std::move(leftovers_.front());
  leftovers_.pop_front();
  return packet;
}

std::optional<Packet> PcapFileReader::decode(const std::byte* data, std::size_t captured,
                                             std::size_t length) {
  // Offsets below are from data; every read is checked against captured.
  const auto need = [&](std::size_t offset, std::size_t bytes, const char* what) {
    if (captured < offset || captured - offset < bytes) {
      fail(offset, fmt::format("{} needs {} bytes, {} captured{}", what, bytes,
                               captured < offset ? 0 : captured - offset,
                               captured < length ? fmt::format(" (the packet is cut at {} of {} "
                                                               "bytes: snapshot length)",
                                                               captured, length)
                                                 : std::string()));
    }
  };
  std::size_t offset = 0;
  int ipVersion = 0;  // 0: learn it from the IP header's first nibble.
  switch (linkType_) {
    case dltEthernet: {
      need(0, 14, "the Ethernet header");
      std::uint16_t etherType = u16(data + 12);
      offset = 14;
      for (int tag = 0;
           tag < maxVlanTags && (etherType == etherTypeVlan || etherType == etherTypeQinQ); ++tag) {
        need(offset, 4, "a VLAN tag");
        etherType = u16(data + offset + 2);
        offset += 4;
      }
      ipVersion = ipVersionOf(etherType);
      if (ipVersion == 0) return std::nullopt;
      break;
    }
    case dltNull:
    case dltLoop: {
      need(0, 4, "the loopback header");
      // DLT_NULL's family is in the capturing host's byte order: try both.
      const std::uint32_t big = u32(data);
      const std::uint32_t little = load<std::uint32_t, ByteOrder::little>(data);
      const std::uint32_t family = linkType_ == dltLoop ? big : (big <= 0xFFFF ? big : little);
      offset = 4;
      ipVersion = family == 2 ? 4 : isInet6Family(family) ? 6 : 0;
      if (ipVersion == 0) return std::nullopt;
      break;
    }
    case dltRaw:
    case linktypeRaw:
      break;
    case dltIpv4:
      ipVersion = 4;
      break;
    case dltIpv6:
      ipVersion = 6;
      break;
    case dltLinuxSll:
    case dltLinuxSll2: {
      const bool v2 = linkType_ == dltLinuxSll2;
      const std::size_t headerLength = v2 ? 20 : 16;
      need(0, headerLength, v2 ? "the Linux cooked (v2) header" : "the Linux cooked header");
      const std::uint16_t protocol = u16(data + (v2 ? 0 : 14));
      offset = headerLength;
      ipVersion = ipVersionOf(protocol);
      if (ipVersion == 0) return std::nullopt;
      break;
    }
    default:
      return std::nullopt;
  }

  need(offset, 1, "the IP header");
  const int version = std::to_integer<int>(data[offset]) >> 4;
  if (ipVersion == 0) {
    if (version != 4 && version != 6) return std::nullopt;
    ipVersion = version;
  } else if (version != ipVersion) {
    fail(offset,
         fmt::format("IP version {} where the link header announces IPv{}", version, ipVersion));
  }

  Packet packet;
  packet.linkType = linkType_;
  packet.number = packetsRead_;
  std::uint8_t protocol = 0;
  // Where the IP payload ends: the IP header's length, not the captured
  // length (Ethernet pads short frames).
  std::size_t end = 0;
  if (ipVersion == 4) {
    need(offset, 20, "the IPv4 header");
    const std::size_t headerLength = (std::to_integer<std::size_t>(data[offset]) & 0x0F) * 4;
    if (headerLength < 20) {
      fail(offset, fmt::format("IPv4 header length {} is below the minimum 20", headerLength));
    }
    need(offset, headerLength, "the IPv4 header with its options");
    const std::size_t totalLength = u16(data + offset + 2);
    if (totalLength < headerLength) {
      fail(offset + 2, fmt::format("IPv4 total length {} is below its header length {}",
                                   totalLength, headerLength));
    }
    need(offset, totalLength, "the IPv4 packet (its total length)");
    const std::uint16_t fragment = u16(data + offset + 6);
    // More fragments, or an offset: a piece of a datagram, not reassembled.
    if ((fragment & 0x3FFF) != 0) return std::nullopt;
    protocol = std::to_integer<std::uint8_t>(data[offset + 9]);
    asio::ip::address_v4::bytes_type source{};
    asio::ip::address_v4::bytes_type destination{};
    std::memcpy(source.data(), data + offset + 12, 4);
    std::memcpy(destination.data(), data + offset + 16, 4);
    packet.source = asio::ip::address_v4(source);
    packet.destination = asio::ip::address_v4(destination);
    end = offset + totalLength;
    offset += headerLength;
  } else {
    need(offset, 40, "the IPv6 header");
    const std::size_t payloadLength = u16(data + offset + 4);
    need(offset + 40, payloadLength, "the IPv6 payload (its payload length)");
    protocol = std::to_integer<std::uint8_t>(data[offset + 6]);
    asio::ip::address_v6::bytes_type source{};
    asio::ip::address_v6::bytes_type destination{};
    std::memcpy(source.data(), data + offset + 8, 16);
    std::memcpy(destination.data(), data + offset + 24, 16);
    packet.source = asio::ip::address_v6(source);
    packet.destination = asio::ip::address_v6(destination);
    end = offset + 40 + payloadLength;
    offset += 40;
    while (protocol == ipv6HopByHop || protocol == ipv6Routing ||
           protocol == ipv6DestinationOptions) {
      if (end - offset < 8) fail(offset, "an IPv6 extension header runs past the payload");
      const std::size_t extensionLength = (std::to_integer<std::size_t>(data[offset + 1]) + 1) * 8;
      if (end - offset < extensionLength) {
        fail(offset, fmt::format("IPv6 extension header of {} bytes runs past the payload",
                                 extensionLength));
      }
      protocol = std::to_integer<std::uint8_t>(data[offset]);
      offset += extensionLength;
    }
    if (protocol == ipv6Fragment) return std::nullopt;
  }

  if (protocol == ipProtocolUdp) {
    if (end - offset < 8) fail(offset, "the UDP header runs past the IP payload");
    const std::size_t udpLength = u16(data + offset + 4);
    if (udpLength < 8 || udpLength > end - offset) {
      fail(offset + 4, fmt::format("UDP length {} is outside 8 to {} (the IP payload)", udpLength,
                                   end - offset));
    }
    packet.protocol = PacketProtocol::udp;
    packet.sourcePort = u16(data + offset);
    packet.destinationPort = u16(data + offset + 2);
    packet.payload = Buffer::from(std::span<const std::byte>(data + offset + 8, udpLength - 8));
    return packet;
  }
  if (protocol == ipProtocolTcp) {
    if (end - offset < 20) fail(offset, "the TCP header runs past the IP payload");
    const std::size_t headerLength = (std::to_integer<std::size_t>(data[offset + 12]) >> 4) * 4;
    if (headerLength < 20 || headerLength > end - offset) {
      fail(offset + 12, fmt::format("TCP header length {} is outside 20 to {} (the IP payload)",
                                    headerLength, end - offset));
    }
    packet.protocol = PacketProtocol::tcp;
    packet.sourcePort = u16(data + offset);
    packet.destinationPort = u16(data + offset + 2);
    const std::uint32_t sequence = u32(data + offset + 4);
    const bool syn = (std::to_integer<std::uint8_t>(data[offset + 13]) & tcpFlagSyn) != 0;
    packet.payload = Buffer::from(
        std::span<const std::byte>(data + offset + headerLength, end - offset - headerLength));
    if (!options_.reassembleTcp) return packet;
    return reassemble(std::move(packet), sequence, syn);
  }
  return std::nullopt;
}

void PcapFileReader::drain(Flow& flow, Buffer& out) {
  std::vector<Buffer> pieces;
  if (out.length() != 0) pieces.push_back(std::move(out));
  while (!flow.pending.empty() && flow.pending.begin()->first <= flow.nextOffset) {
    auto first = flow.pending.begin();
    const std::uint64_t start = first->first;
    Buffer segment = std::move(first->second);
    flow.pending.erase(first);
    flow.pendingBytes -= segment.length();
    const std::uint64_t segmentEnd = start + segment.length();
    if (segmentEnd <= flow.nextOffset) {
      tcpBytesDuplicated_ += segment.length();
      continue;
    }
    const std::uint64_t skip = flow.nextOffset - start;
    tcpBytesDuplicated_ += skip;
    pieces.push_back(segment.subarray(static_cast<std::ptrdiff_t>(skip)));
    flow.nextSequence += static_cast<std::uint32_t>(segmentEnd - flow.nextOffset);
    flow.nextOffset = segmentEnd;
  }
  out = pieces.size() == 1 ? std::move(pieces.front())
                           : Buffer::concat(std::span<const Buffer>(pieces));
}

std::optional<Packet> PcapFileReader::reassemble(Packet segment, std::uint32_t sequence, bool syn) {
  FlowKey key{segment.source, segment.destination, segment.sourcePort, segment.destinationPort};
  auto found = flows_.find(key);
  if (found == flows_.end()) {
    if (flows_.size() >= options_.maxTcpFlows) {
      fail(0, fmt::format("more than maxTcpFlows ({}) TCP directions", options_.maxTcpFlows));
    }
    found = flows_.emplace(key, Flow{}).first;
    // The stream starts after the SYN, or, joined midway, at the first byte seen.
    found->second.nextSequence = syn ? sequence + 1 : sequence;
  }
  Flow& flow = found->second;
  if (syn) sequence += 1;
  if (segment.payload.length() == 0) return std::nullopt;
  // The segment's place in the stream: sequence numbers wrap at 2^32, so the
  // distance to the next expected one is a signed 32-bit difference.
  const auto distance = static_cast<std::int32_t>(sequence - flow.nextSequence);
  if (distance < 0 &&
      static_cast<std::uint64_t>(-static_cast<std::int64_t>(distance)) > flow.nextOffset) {
    // Before the first byte handed out: all of it is old.
    tcpBytesDuplicated_ += segment.payload.length();
    return std::nullopt;
  }
  const std::uint64_t start = flow.nextOffset + static_cast<std::uint64_t>(std::int64_t{distance});
  const std::uint64_t segmentEnd = start + segment.payload.length();
  if (start > flow.nextOffset) {
    auto [place, inserted] = flow.pending.emplace(start, segment.payload);
    if (!inserted) {
      if (place->second.length() >= segment.payload.length()) {
        tcpBytesDuplicated_ += segment.payload.length();
        return std::nullopt;
      }
      flow.pendingBytes -= place->second.length();
      tcpBytesDuplicated_ += place->second.length();
      place->second = segment.payload;
    }
    flow.pendingBytes += segment.payload.length();
    if (flow.pendingBytes <= options_.maxTcpReorderBytes) return std::nullopt;
    // Waited long enough: skip the gap to the first held segment.
    const std::uint64_t next = flow.pending.begin()->first;
    tcpBytesMissing_ += next - flow.nextOffset;
    flow.nextSequence += static_cast<std::uint32_t>(next - flow.nextOffset);
    flow.nextOffset = next;
    segment.payload = Buffer();
  } else if (segmentEnd <= flow.nextOffset) {
    tcpBytesDuplicated_ += segment.payload.length();
    return std::nullopt;
  } else {
    const std::uint64_t skip = flow.nextOffset - start;
    tcpBytesDuplicated_ += skip;
    segment.payload = segment.payload.subarray(static_cast<std::ptrdiff_t>(skip));
    flow.nextSequence += static_cast<std::uint32_t>(segmentEnd - flow.nextOffset);
    flow.nextOffset = segmentEnd;
  }
  drain(flow, segment.payload);
  if (segment.payload.length() == 0) return std::nullopt;
  return segment;
}

PcapReader::PcapReader(asio::io_context& context, std::string path, PcapReaderOptions options)
    : Readable(context,
               ReadableOptions{.highWaterMark = options.highWaterMark, .objectMode = true}),
      path_(std::move(path)),
      options_(options) {}

void PcapReader::_read(std::size_t) {
  // libpcap reads the file through stdio: blocking, but buffered, and a
  // capture is read from start to end, so the reads stay on this thread.
  if (!file_) file_ = std::make_unique<PcapFileReader>(path_, options_);
  while (std::optional<Packet> packet = file_->next()) {
    if (!push(packet->toRecord())) return;
  }
  push(std::nullopt);
}

std::shared_ptr<PcapReader> createPcapReader(asio::io_context& context, std::string path,
                                             PcapReaderOptions options) {
  return std::make_shared<PcapReader>(context, std::move(path), options);
}

}  // namespace wirekit
