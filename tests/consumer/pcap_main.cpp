// SPDX-License-Identifier: Apache-2.0
// wirekit::pcap from an installed wirekit: writes one UDP datagram to the
// capture named by argv[1] and reads it back.
#include <cstdio>
#include <exception>
#include <string>

#include <wirekit/transport/pcap_reader.hpp>
#include <wirekit/transport/pcap_writer.hpp>

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  try {
    wirekit::Packet packet;
    packet.source = asio::ip::make_address("10.0.0.1");
    packet.destination = asio::ip::make_address("239.1.1.1");
    packet.sourcePort = 40000;
    packet.destinationPort = 14310;
    packet.payload = wirekit::Buffer::from(std::string("consumer"));
    wirekit::PcapFileWriter writer(argv[1]);
    writer.write(packet);
    writer.close();
    wirekit::PcapFileReader reader(argv[1]);
    const auto read = reader.next();
    if (!read || read->payload.toString() != "consumer" || read->destinationPort != 14310) {
      std::puts("pcap: the packet did not read back");
      return 1;
    }
    std::puts("pcap ok");
  } catch (const std::exception& error) {
    std::printf("pcap: %s\n", error.what());
    return 1;
  }
  return 0;
}
