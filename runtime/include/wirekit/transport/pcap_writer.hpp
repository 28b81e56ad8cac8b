// SPDX-License-Identifier: Apache-2.0
#pragma once
// Writing captures, so that a service can record its traffic: each Packet's
// payload is wrapped in Ethernet, IPv4 or IPv6, and UDP or TCP headers built
// from its addresses and ports (checksums included), and written with
// libpcap's pcap_dump as a pcap file with nanosecond timestamps, which
// Wireshark, tshark and PcapFileReader read.
//
//   PcapFileWriter capture("out.pcap");                    // synchronous
//   capture.write(packet);
//
//   auto writer = createPcapWriter(io, "out.pcap");        // a Writable of packet records
//   writer->write(packet.toRecord());
//
// TCP segments get sequence numbers per direction, from 1, advancing by their
// payloads: written in order, they read back as one stream. A service records
// its traffic by writing each chunk a socket reads or writes as a TCP packet
// with the socket's addresses and ports.

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <tuple>

#include <asio/io_context.hpp>

#include "wirekit/stream/writable.hpp"
#include "wirekit/transport/pcap_packet.hpp"

namespace wirekit {

struct PcapWriterOptions {
  // The snapshot length the file header declares; a longer packet is a RangeError.
  std::size_t snapLength = 262144;
  // Packets queued in a PcapWriter before write() returns false.
  std::size_t highWaterMark = 16;
};

class PcapFileWriter {
 public:
  // Creates (truncates) path; PcapError if libpcap cannot.
  explicit PcapFileWriter(std::string path, PcapWriterOptions options = {});
  PcapFileWriter(const PcapFileWriter&) = delete;
  PcapFileWriter& operator=(const PcapFileWriter&) = delete;
  ~PcapFileWriter();

  // Writes one packet; TCP bytes too many for one segment (65495 over IPv4)
  // as several. RangeError for a payload the headers cannot carry (a UDP
  // datagram over 65507 bytes, a packet over snapLength); TypeError for
  // addresses of different IP versions.
  void write(const Packet& packet);
  // Flushes and closes the file; PcapError if that fails. The destructor
  // closes it too, without reporting.
  void close();

  [[nodiscard]] const std::string& path() const noexcept { return path_; }
  [[nodiscard]] std::uint64_t packetsWritten() const noexcept { return packetsWritten_; }

 private:
  std::string path_;
  PcapWriterOptions options_;
  struct Handle;
  std::unique_ptr<Handle> handle_;
  std::uint64_t packetsWritten_ = 0;
  // The next sequence number of each TCP direction.
  std::map<std::tuple<asio::ip::address, std::uint16_t, asio::ip::address, std::uint16_t>,
           std::uint32_t>
      tcpSequences_;
};

// A Writable (object mode) of packet records (Packet::toRecord) into a
// capture, created when constructed; end() closes it.
class PcapWriter : public Writable {
 public:
  PcapWriter(asio::io_context& context, std::string path, PcapWriterOptions options = {});

  [[nodiscard]] const PcapFileWriter& file() const noexcept { return *file_; }

 protected:
  void _write(Buffer chunk, WriteCallback callback) override;
  void _final(Callback callback) override;

 private:
  std::unique_ptr<PcapFileWriter> file_;
};

[[nodiscard]] std::shared_ptr<PcapWriter> createPcapWriter(asio::io_context& context,
                                                           std::string path,
                                                           PcapWriterOptions options = {});

}  // namespace wirekit
