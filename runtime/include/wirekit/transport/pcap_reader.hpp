// SPDX-License-Identifier: Apache-2.0
#pragma once
// Reading captures: pcap and pcapng files (libpcap opens and reads them;
// wirekit parses the link, IP, UDP and TCP headers, which libpcap does not).
//
//   PcapFileReader capture("feed.pcap");                 // synchronous
//   while (std::optional<Packet> packet = capture.next()) handle(*packet);
//
//   auto reader = createPcapReader(io, "feed.pcap");     // a Readable of packet records
//   reader->on(events::data, [](const Buffer& record) {
//     Packet packet = Packet::fromRecord(record); ... });
//
// Link types: Ethernet (DLT_EN10MB, with up to two VLAN tags), BSD loopback
// (DLT_NULL, DLT_LOOP), raw IP (DLT_RAW, LINKTYPE_RAW, DLT_IPV4, DLT_IPV6) and
// Linux cooked captures (DLT_LINUX_SLL, DLT_LINUX_SLL2); IPv4 (options
// skipped) and IPv6 (extension headers skipped). Packets of other protocols
// (ARP, ICMP, IP fragments) are skipped and counted. Every header length is
// checked against the captured bytes: a malformed packet is a PcapError naming
// the packet number and byte offset, or, with skipMalformed, skipped and
// counted.
//
// TCP segments are reassembled per direction (source and destination address
// and port): payloads come out in sequence order, a byte retransmitted is
// handed out once, and segments after a gap wait for it, up to
// maxTcpReorderBytes per direction; past that the gap is skipped (counted in
// tcpBytesMissing()), as it is at the end of the capture.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <tuple>

#include <asio/io_context.hpp>

#include "wirekit/stream/readable.hpp"
#include "wirekit/transport/pcap_packet.hpp"

namespace wirekit {

struct PcapReaderOptions {
  // Reassemble TCP streams; false hands out every TCP segment's payload as it is.
  bool reassembleTcp = true;
  // Out-of-order TCP bytes held per direction while waiting for a gap to fill.
  std::size_t maxTcpReorderBytes = std::size_t{1} << 20;
  // TCP directions tracked at once; a capture with more is a PcapError (each
  // holds up to maxTcpReorderBytes).
  std::size_t maxTcpFlows = 4096;
  // Skip (and count) malformed packets instead of failing.
  bool skipMalformed = false;
  // Packets queued in a PcapReader before reading pauses.
  std::size_t highWaterMark = defaultObjectHighWaterMark;
};

class PcapFileReader {
 public:
  // Opens a pcap or pcapng file; PcapError if libpcap cannot.
  explicit PcapFileReader(std::string path, PcapReaderOptions options = {});
  // Reads an open file (a fmemopen'ed buffer, a pipe); takes ownership of it.
  // name is what errors call it.
  PcapFileReader(std::FILE* file, std::string name, PcapReaderOptions options = {});
  PcapFileReader(const PcapFileReader&) = delete;
  PcapFileReader& operator=(const PcapFileReader&) = delete;
  ~PcapFileReader();

  // The next UDP datagram or run of TCP stream bytes, or nothing at the end.
  [[nodiscard]] std::optional<Packet> next();

  [[nodiscard]] const std::string& name() const noexcept { return name_; }
  [[nodiscard]] int linkType() const noexcept { return linkType_; }
  // Packets read from the file so far.
  [[nodiscard]] std::uint64_t packetsRead() const noexcept { return packetsRead_; }
  // Packets not UDP or TCP over IP (ARP, ICMP, fragments, other link types).
  [[nodiscard]] std::uint64_t packetsSkipped() const noexcept { return packetsSkipped_; }
  // Malformed packets skipped (skipMalformed).
  [[nodiscard]] std::uint64_t packetsMalformed() const noexcept { return packetsMalformed_; }
  // TCP bytes seen twice (retransmissions, overlaps) and dropped.
  [[nodiscard]] std::uint64_t tcpBytesDuplicated() const noexcept { return tcpBytesDuplicated_; }
  // TCP bytes never seen: gaps skipped.
  [[nodiscard]] std::uint64_t tcpBytesMissing() const noexcept { return tcpBytesMissing_; }

 private:
  struct FlowKey {
    asio::ip::address source;
    asio::ip::address destination;
    std::uint16_t sourcePort;
    std::uint16_t destinationPort;
    // Not a defaulted <=>: clang-tidy 14 reads the 0 it compares with as a null pointer.
    bool operator<(const FlowKey& other) const {
      return std::tie(source, destination, sourcePort, destinationPort) <
             std::tie(other.source, other.destination, other.sourcePort, other.destinationPort);
    }
  };
  struct Flow {
    // The stream offset (from the first byte seen) of the next byte to hand
    // out, and the TCP sequence number it has.
    std::uint64_t nextOffset = 0;
    std::uint32_t nextSequence = 0;
    // Segments after a gap, by stream offset.
    std::map<std::uint64_t, Buffer> pending;
    std::size_t pendingBytes = 0;
  };

  void open(std::FILE* file);
  // Parses one captured packet; nothing if it is not UDP or TCP over IP.
  [[nodiscard]] std::optional<Packet> decode(const std::byte* data, std::size_t captured,
                                             std::size_t length);
  [[nodiscard]] std::optional<Packet> reassemble(Packet segment, std::uint32_t sequence, bool syn);
  // Hands out the pending segments a flow can now continue with.
  void drain(Flow& flow, Buffer& out);
  [[noreturn]] void fail(std::size_t offset, const std::string& message) const;

  std::string name_;
  PcapReaderOptions options_;
  struct Handle;
  std::unique_ptr<Handle> handle_;
  int linkType_ = 0;
  std::uint64_t packetsRead_ = 0;
  std::uint64_t packetsSkipped_ = 0;
  std::uint64_t packetsMalformed_ = 0;
  std::uint64_t tcpBytesDuplicated_ = 0;
  std::uint64_t tcpBytesMissing_ = 0;
  std::map<FlowKey, Flow> flows_;
  // At the end of the file: what the flows still hold, past their gaps.
  std::deque<Packet> leftovers_;
  bool atEnd_ = false;
  std::uint64_t lastTimestampNs_ = 0;
};

// A Readable (object mode) of packet records (Packet::toRecord), read from a
// capture when it is read; a PcapError destroys it.
class PcapReader : public Readable {
 public:
  PcapReader(asio::io_context& context, std::string path, PcapReaderOptions options = {});

  // The file, once the first read has opened it.
  [[nodiscard]] const PcapFileReader* file() const noexcept { return file_.get(); }

 protected:
  void _read(std::size_t size) override;

 private:
  std::string path_;
  PcapReaderOptions options_;
  std::unique_ptr<PcapFileReader> file_;
};

[[nodiscard]] std::shared_ptr<PcapReader> createPcapReader(asio::io_context& context,
                                                           std::string path,
                                                           PcapReaderOptions options = {});

}  // namespace wirekit
