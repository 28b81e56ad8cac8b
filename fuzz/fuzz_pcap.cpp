// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for captures: a settings byte, then a file's bytes, read
// with PcapFileReader (from memory, through fmemopen). Reading must end, with
// packets and then nothing, or with a PcapError; never a crash or a read past
// a packet (ASan). Every packet given must survive the record round trip, and
// its payload must split with each framing preset or give a FrameError whose
// offset lies inside the payload.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "fuzz_input.hpp"
#include "wirekit/error.hpp"
#include "wirekit/framing/packet_framing.hpp"
#include "wirekit/transport/pcap_reader.hpp"

namespace {

using namespace wirekit;

[[noreturn]] void mismatch(const char* what) {
  std::fprintf(stderr, "wirekit fuzz: %s\n", what);
  std::abort();
}

void checkPacket(const Packet& packet, const std::vector<PacketSplitter>& splitters) {
  const Packet back = Packet::fromRecord(packet.toRecord());
  if (back.timestampNs != packet.timestampNs || back.number != packet.number ||
      back.linkType != packet.linkType || back.protocol != packet.protocol ||
      back.source != packet.source || back.destination != packet.destination ||
      back.sourcePort != packet.sourcePort || back.destinationPort != packet.destinationPort ||
      back.payload.length() != packet.payload.length() ||
      (packet.payload.length() != 0 &&
       std::memcmp(back.payload.data(), packet.payload.data(), packet.payload.length()) != 0)) {
    mismatch("a packet record does not give the packet back");
  }
  for (const PacketSplitter& splitter : splitters) {
    try {
      for (const Buffer& message : splitter.split(packet.payload).messages) {
        if (message.data() < packet.payload.data() ||
            message.data() + message.length() > packet.payload.data() + packet.payload.length()) {
          mismatch("a message lies outside its packet");
        }
      }
    } catch (const FrameError& error) {
      if (error.streamOffset() > packet.payload.length()) mismatch("a FrameError past the packet");
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::vector<PacketSplitter> splitters = [] {
    std::vector<PacketSplitter> all;
    for (std::string_view name : PacketFramingOptions::presetNames()) {
      all.emplace_back(*PacketFramingOptions::preset(name));
    }
    return all;
  }();
  fuzz::Input input(data, size);
  const std::uint8_t settings = input.byte();
  const PcapReaderOptions options{
      .reassembleTcp = (settings & 1) == 0,
      // Small limits, so that gaps are skipped and flows run out.
      .maxTcpReorderBytes = static_cast<std::size_t>(settings >> 4) * 16,
      .maxTcpFlows = static_cast<std::size_t>((settings >> 1) & 3) + 1,
      .skipMalformed = (settings & 8) != 0,
  };
  const std::span<const std::byte> file = input.rest();
  // fmemopen needs a buffer it may call its own: a copy, exactly the size.
  std::vector<std::byte> bytes(file.begin(), file.end());
  std::FILE* stream = fmemopen(bytes.data(), bytes.size(), "rb");
  if (stream == nullptr) return 0;
  try {
    PcapFileReader reader(stream, "fuzz.pcap", options);
    std::uint64_t previous = 0;
    while (std::optional<Packet> packet = reader.next()) {
      if (packet->number < previous || packet->number > reader.packetsRead()) {
        mismatch("packet numbers go back or past the packets read");
      }
      previous = packet->number;
      checkPacket(*packet, splitters);
    }
    if (reader.next()) mismatch("a packet after the end");
  } catch (const PcapError&) {
    // A good answer for a bad file.
  }
  return 0;
}
