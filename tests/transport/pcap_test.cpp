// SPDX-License-Identifier: Apache-2.0
// Captures: PcapFileWriter/PcapWriter write what PcapFileReader/PcapReader read
// back field for field, tshark reads the files, and hostile files (built here
// byte by byte) give PcapErrors naming the packet and the byte.

#include <array>
#include <cstdio>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <asio/io_context.hpp>
#include <catch2/catch.hpp>

#include "transport_test_support.hpp"
#include "wirekit/framing/length_field_frame_decoder.hpp"
#include "wirekit/stream/writable.hpp"
#include "wirekit/transport/pcap_reader.hpp"
#include "wirekit/transport/pcap_writer.hpp"
#include "wirekit/transport/tcp_server.hpp"
#include "wirekit/transport/tcp_socket.hpp"

namespace wirekit {
namespace {

using test::rawBuffer;
using test::rawString;
using test::ScratchFile;

Packet udpPacket(std::string_view source, std::uint16_t sourcePort, std::string_view destination,
                 std::uint16_t destinationPort, std::string_view payload,
                 std::uint64_t timestampNs) {
  Packet packet;
  packet.timestampNs = timestampNs;
  packet.protocol = PacketProtocol::udp;
  packet.source = asio::ip::make_address(source);
  packet.destination = asio::ip::make_address(destination);
  packet.sourcePort = sourcePort;
  packet.destinationPort = destinationPort;
  packet.payload = rawBuffer(payload);
  return packet;
}

std::vector<Packet> readAll(const std::string& path, PcapReaderOptions options = {}) {
  PcapFileReader reader(path, options);
  std::vector<Packet> packets;
  while (std::optional<Packet> packet = reader.next())
    packets.push_back(std::move(*packet));
  return packets;
}

// --- Hostile and hand-made captures, byte by byte --------------------------

void put16be(std::string& out, std::size_t at, std::uint16_t value) {
  out[at] = static_cast<char>(value >> 8);
  out[at + 1] = static_cast<char>(value);
}
void put32be(std::string& out, std::size_t at, std::uint32_t value) {
  put16be(out, at, static_cast<std::uint16_t>(value >> 16));
  put16be(out, at + 2, static_cast<std::uint16_t>(value));
}
void append32le(std::string& out, std::uint32_t value) {
  for (int i = 0; i < 4; ++i)
    out.push_back(static_cast<char>(value >> (8 * i)));
}

// A classic little-endian pcap file (microsecond timestamps) of raw packets;
// a packet's captured length may be given below its length (a snapshot cut).
struct RawPacket {
  std::string bytes;
  std::uint32_t length = 0;  // 0: bytes.size()
};
std::string pcapFile(std::uint32_t linkType, const std::vector<RawPacket>& packets) {
  std::string out;
  append32le(out, 0xA1B2C3D4);
  out += std::string("\x02\x00\x04\x00", 4);  // version 2.4
  append32le(out, 0);                         // thiszone
  append32le(out, 0);                         // sigfigs
  append32le(out, 65535);                     // snaplen
  append32le(out, linkType);
  std::uint32_t second = 1700000000;
  for (const RawPacket& packet : packets) {
    append32le(out, second++);
    append32le(out, 250);  // microseconds
    append32le(out, static_cast<std::uint32_t>(packet.bytes.size()));
    append32le(
        out, packet.length != 0 ? packet.length : static_cast<std::uint32_t>(packet.bytes.size()));
    out += packet.bytes;
  }
  return out;
}

void writeFile(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

// IPv4 (20-byte header) carrying a UDP datagram or TCP segment from
// 10.0.0.1 to 10.0.0.2. Checksums are zero: the reader does not check them.
std::string ipv4(std::uint8_t protocol, const std::string& transport) {
  std::string ip(20, '\0');
  ip[0] = '\x45';
  put16be(ip, 2, static_cast<std::uint16_t>(20 + transport.size()));
  ip[8] = '\x40';
  ip[9] = static_cast<char>(protocol);
  put32be(ip, 12, 0x0A000001);
  put32be(ip, 16, 0x0A000002);
  return ip + transport;
}
std::string udp(std::uint16_t sourcePort, std::uint16_t destinationPort,
                const std::string& payload) {
  std::string header(8, '\0');
  put16be(header, 0, sourcePort);
  put16be(header, 2, destinationPort);
  put16be(header, 4, static_cast<std::uint16_t>(8 + payload.size()));
  return header + payload;
}
constexpr std::uint8_t syn = 0x02;
constexpr std::uint8_t ack = 0x10;
std::string tcp(std::uint32_t sequence, std::uint8_t flags, const std::string& payload,
                std::uint16_t sourcePort = 5000, std::uint16_t destinationPort = 6000) {
  std::string header(20, '\0');
  put16be(header, 0, sourcePort);
  put16be(header, 2, destinationPort);
  put32be(header, 4, sequence);
  header[12] = '\x50';
  header[13] = static_cast<char>(flags);
  return header + payload;
}
std::string ethernet(const std::string& ip, std::uint16_t etherType = 0x0800) {
  std::string header(14, '\0');
  put16be(header, 12, etherType);
  return header + ip;
}

// Reads a hand-made Ethernet capture; returns the payloads as strings.
std::vector<std::string> payloadsOf(const std::vector<RawPacket>& packets,
                                    PcapReaderOptions options = {},
                                    std::uint64_t* missing = nullptr,
                                    std::uint64_t* duplicated = nullptr) {
  ScratchFile file("handmade.pcap");
  writeFile(file.path(), pcapFile(1, packets));
  PcapFileReader reader(file.path(), options);
  std::vector<std::string> payloads;
  while (std::optional<Packet> packet = reader.next())
    payloads.push_back(rawString(packet->payload));
  if (missing != nullptr) *missing = reader.tcpBytesMissing();
  if (duplicated != nullptr) *duplicated = reader.tcpBytesDuplicated();
  return payloads;
}

std::string errorOf(const std::vector<RawPacket>& packets, std::uint32_t linkType = 1) {
  ScratchFile file("hostile.pcap");
  writeFile(file.path(), pcapFile(linkType, packets));
  try {
    PcapFileReader reader(file.path());
    while (reader.next()) {
    }
  } catch (const PcapError& error) {
    return error.what();
  }
  return "no error";
}

// --- Writing and reading back ----------------------------------------------

TEST_CASE("pcap: packets written are read back, every field", "[pcap]") {
  ScratchFile file("roundtrip.pcap");
  const std::uint64_t t0 = 1'700'000'000'123'456'789ULL;
  std::vector<Packet> written{
      udpPacket("10.1.2.3", 40000, "239.1.1.1", 14310, "first datagram", t0),
      udpPacket("fe80::1", 5353, "ff02::fb", 5353, "over IPv6", t0 + 1),
      udpPacket("10.1.2.3", 40000, "239.1.1.1", 14310, "", t0 + 2),
  };
  Packet segment = udpPacket("127.0.0.1", 50000, "127.0.0.1", 9000, "tcp bytes ", t0 + 3);
  segment.protocol = PacketProtocol::tcp;
  written.push_back(segment);
  segment.payload = rawBuffer("and more");
  segment.timestampNs = t0 + 4;
  written.push_back(segment);
  {
    PcapFileWriter writer(file.path());
    for (const Packet& packet : written)
      writer.write(packet);
    CHECK(writer.packetsWritten() == written.size());
    writer.close();
  }
  PcapFileReader reader(file.path());
  CHECK(reader.linkType() == 1);
  std::vector<Packet> read;
  while (std::optional<Packet> packet = reader.next())
    read.push_back(std::move(*packet));
  // The empty datagram is a packet too; TCP segments come out in order.
  REQUIRE(read.size() == written.size());
  for (std::size_t i = 0; i < read.size(); ++i) {
    INFO("packet " << i + 1);
    CHECK(read[i].number == i + 1);
    CHECK(read[i].timestampNs == written[i].timestampNs);
    CHECK(read[i].linkType == 1);
    CHECK(read[i].protocol == written[i].protocol);
    CHECK(read[i].source == written[i].source);
    CHECK(read[i].destination == written[i].destination);
    CHECK(read[i].sourcePort == written[i].sourcePort);
    CHECK(read[i].destinationPort == written[i].destinationPort);
    CHECK(rawString(read[i].payload) == rawString(written[i].payload));
  }
  CHECK(reader.packetsRead() == 5);
  CHECK(reader.packetsSkipped() == 0);
}

TEST_CASE("pcap: a packet record keeps every field and refuses other buffers", "[pcap]") {
  Packet packet = udpPacket("2001:db8::7", 1, "2001:db8::8", 65535, "payload", 42);
  packet.number = 7;
  packet.linkType = 113;
  packet.protocol = PacketProtocol::tcp;
  const Buffer record = packet.toRecord();
  CHECK(record.length() == packetRecordHeaderLength + 7);
  const Packet back = Packet::fromRecord(record);
  CHECK(back.timestampNs == 42);
  CHECK(back.number == 7);
  CHECK(back.linkType == 113);
  CHECK(back.protocol == PacketProtocol::tcp);
  CHECK(back.source.to_string() == "2001:db8::7");
  CHECK(back.destination.to_string() == "2001:db8::8");
  CHECK(back.sourcePort == 1);
  CHECK(back.destinationPort == 65535);
  CHECK(rawString(back.payload) == "payload");

  CHECK_THROWS_WITH(Packet::fromRecord(rawBuffer("short")),
                    "not a packet record: 5 bytes, below the 64-byte header");
  Buffer wrongVersion = Buffer::from(record);
  wrongVersion[0] = 9;
  CHECK_THROWS_WITH(Packet::fromRecord(wrongVersion), "not a packet record: version 9, not 1");
  Buffer wrongProtocol = Buffer::from(record);
  wrongProtocol[1] = 1;
  CHECK_THROWS_AS(Packet::fromRecord(wrongProtocol), TypeError);
  Packet mixed = udpPacket("10.0.0.1", 1, "::1", 2, "", 0);
  CHECK_THROWS_AS(mixed.toRecord(), TypeError);
}

TEST_CASE("pcap: the writer refuses what its headers cannot carry", "[pcap]") {
  ScratchFile file("limits.pcap");
  PcapFileWriter writer(file.path(), {.snapLength = 1000});
  Packet big = udpPacket("10.0.0.1", 1, "10.0.0.2", 2, std::string(1000, 'x'), 0);
  CHECK_THROWS_WITH(writer.write(big), "a 1042-byte packet is longer than snapLength (1000)");
  big.payload = Buffer::alloc(65508);
  CHECK_THROWS_WITH(writer.write(big),
                    "a 65508-byte payload does not fit in one UDP packet (at most 65507)");
  CHECK_THROWS_AS(writer.write(udpPacket("10.0.0.1", 1, "::2", 2, "", 0)), TypeError);
  CHECK(writer.packetsWritten() == 0);
  CHECK_THROWS_AS(PcapFileWriter("/nonexistent-directory/x.pcap"), PcapError);
}

std::string run(const std::string& command) {
  std::string output;
  std::FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::array<char, 4096> chunk{};
  while (std::size_t n = std::fread(chunk.data(), 1, chunk.size(), pipe))
    output.append(chunk.data(), n);
  CHECK(::pclose(pipe) == 0);
  return output;
}

TEST_CASE("pcap: tshark reads the files the writer writes", "[pcap][tshark]") {
  if (std::system("command -v tshark > /dev/null 2>&1") != 0) {
    WARN("SKIPPED: tshark is not installed (scripts/install-deps installs it)");
    return;
  }
  ScratchFile file("tshark.pcap");
  {
    PcapFileWriter writer(file.path());
    writer.write(
        udpPacket("10.1.2.3", 40000, "239.1.1.1", 14310, "hello", 1'700'000'000'000'000'001ULL));
    writer.write(
        udpPacket("fe80::1", 41000, "ff02::fb", 41001, "v6", 1'700'000'000'000'000'002ULL));
    Packet segment =
        udpPacket("127.0.0.1", 50000, "127.0.0.1", 9000, "stream", 1'700'000'000'000'000'003ULL);
    segment.protocol = PacketProtocol::tcp;
    writer.write(segment);
    writer.close();
  }
  // Fields tshark decoded, and its checksum verdicts with validation on (1: good).
  const std::string output =
      run("tshark -r '" + file.path() +
          "' -o udp.check_checksum:TRUE -o tcp.check_checksum:TRUE -o ip.check_checksum:TRUE "
          "-T fields -E separator=, -e frame.number -e frame.time_epoch -e ip.src -e ipv6.src "
          "-e udp.srcport -e udp.dstport -e tcp.srcport -e tcp.dstport -e data.len "
          "-e udp.checksum.status -e tcp.checksum.status -e ip.checksum.status 2>/dev/null");
  INFO(output);
  CHECK(output ==
        "1,1700000000.000000001,10.1.2.3,,40000,14310,,,5,1,,1\n"
        "2,1700000000.000000002,,fe80::1,41000,41001,,,2,1,,\n"
        "3,1700000000.000000003,127.0.0.1,,,,50000,9000,6,,1,1\n");
}

TEST_CASE("pcap: TCP payloads longer than a segment are written as several", "[pcap][tcp]") {
  ScratchFile file("segments.pcap");
  Packet big = udpPacket("10.0.0.1", 1, "10.0.0.2", 2, "", 5);
  big.protocol = PacketProtocol::tcp;
  std::string bytes(100000, '\0');
  for (std::size_t i = 0; i < bytes.size(); ++i)
    bytes[i] = static_cast<char>(i * 7);
  big.payload = rawBuffer(bytes);
  {
    PcapFileWriter writer(file.path());
    writer.write(big);
    CHECK(writer.packetsWritten() == 2);  // 65495 + 34505 bytes
    writer.close();
  }
  std::string stream;
  for (const Packet& packet : readAll(file.path()))
    stream += rawString(packet.payload);
  CHECK(stream == bytes);
}

std::string tcpKey(const Packet& packet) {
  return fmt::format("{}:{}>{}:{}", packet.source.to_string(), packet.sourcePort,
                     packet.destination.to_string(), packet.destinationPort);
}

TEST_CASE("pcap: a service records its TCP traffic, and the capture gives back every frame",
          "[pcap][tcp]") {
  ScratchFile file("service.pcap");
  PcapFileWriter recording(file.path());
  std::uint64_t now = 1'700'000'000'000'000'000ULL;
  // Each chunk the server reads, and each it writes, as a TCP packet of its connection.
  const auto record = [&](const TcpSocket& socket, const Buffer& chunk, bool incoming) {
    Packet packet;
    packet.timestampNs = ++now;
    packet.protocol = PacketProtocol::tcp;
    const asio::ip::address local = asio::ip::make_address(socket.localAddress());
    const asio::ip::address remote = asio::ip::make_address(socket.remoteAddress());
    packet.source = incoming ? remote : local;
    packet.destination = incoming ? local : remote;
    packet.sourcePort = incoming ? socket.remotePort() : socket.localPort();
    packet.destinationPort = incoming ? socket.localPort() : socket.remotePort();
    packet.payload = chunk;
    recording.write(packet);
  };
  asio::io_context io;
  auto server = createServer(io, {}, [&](const std::shared_ptr<TcpSocket>& socket) {
    TcpSocket* raw = socket.get();
    socket->on(events::data, [&, raw](const Buffer& chunk) {
      record(*raw, chunk, true);
      record(*raw, chunk, false);
      raw->write(chunk);
    });
    socket->on(events::end, [raw] { raw->end(); });
  });
  bool listening = false;
  server->listen(0, "127.0.0.1", [&] { listening = true; });
  test::runUntil(io, [&] { return listening; });

  constexpr std::uint32_t frames = 2000;
  std::string sent;
  std::string echoed;
  bool closed = false;
  auto client = connect(io, "127.0.0.1", server->port());
  client->on(events::data, [&](const Buffer& chunk) { echoed += rawString(chunk); });
  client->on(events::close, [&] { closed = true; });
  for (std::uint32_t i = 0; i < frames; ++i) {
    const Buffer frame = test::sofhFrame(i % 300, i);
    sent += rawString(frame);
    client->write(frame);
  }
  client->end();
  test::runUntil(io, [&] { return closed; });
  const std::string clientKey =
      fmt::format("127.0.0.1:{}>127.0.0.1:{}", client->localPort(), server->port());
  const std::string serverKey =
      fmt::format("127.0.0.1:{}>127.0.0.1:{}", server->port(), client->localPort());
  bool serverClosed = false;
  server->close([&](const std::exception_ptr&) { serverClosed = true; });
  test::runUntil(io, [&] { return serverClosed; });
  recording.close();
  REQUIRE(echoed == sent);

  // Each direction, reassembled, is the stream the peer sent, frame for frame.
  std::map<std::string, std::string> streams;
  for (const Packet& packet : readAll(file.path()))
    streams[tcpKey(packet)] += rawString(packet.payload);
  REQUIRE(streams.size() == 2);
  CHECK(streams[clientKey] == sent);
  CHECK(streams[serverKey] == sent);
  LengthFieldFrameDecoder decoder(LengthFieldDecoderOptions::sofh());
  decoder.push(rawBuffer(streams[clientKey]));
  std::uint32_t count = 0;
  while (std::optional<Buffer> frame = decoder.next()) {
    CHECK(frame->length() == count % 300);
    ++count;
  }
  decoder.end();
  CHECK(count == frames);
  if (std::system("command -v tshark > /dev/null 2>&1") == 0) {
    CHECK(std::stoul(run("tshark -r '" + file.path() + "' 2>/dev/null | wc -l")) ==
          recording.packetsWritten());
  }
}

// --- Link types and hostile files -----------------------------------------

TEST_CASE("pcap: every supported link type is decapsulated", "[pcap]") {
  const std::string datagram = ipv4(17, udp(1000, 2000, "payload"));
  struct Case {
    std::uint32_t linkType;
    std::string frame;
  };
  std::string sll(16, '\0');
  put16be(sll, 14, 0x0800);
  std::string sll2(20, '\0');
  put16be(sll2, 0, 0x0800);
  std::string vlan = ethernet("", 0x8100);
  vlan += std::string("\x00\x07\x08\x00", 4);
  const std::vector<Case> cases{
      // DLT_NULL: the family in the capturing host's (here little-endian) order.
      {0, std::string("\x02\x00\x00\x00", 4) + datagram},
      {108, std::string("\x00\x00\x00\x02", 4) + datagram},
      {1, ethernet(datagram)},
      {1, vlan + datagram},
      {101, datagram},
      {228, datagram},
      {113, sll + datagram},
      {276, sll2 + datagram},
  };
  for (const Case& c : cases) {
    INFO("link type " << c.linkType);
    ScratchFile file("link.pcap");
    writeFile(file.path(), pcapFile(c.linkType, {{c.frame}}));
    const std::vector<Packet> packets = readAll(file.path());
    REQUIRE(packets.size() == 1);
    // libpcap reports LINKTYPE_RAW (101, in files) as DLT_RAW (12).
    CHECK(packets[0].linkType == (c.linkType == 101 ? 12 : static_cast<int>(c.linkType)));
    CHECK(packets[0].source.to_string() == "10.0.0.1");
    CHECK(packets[0].destination.to_string() == "10.0.0.2");
    CHECK(packets[0].sourcePort == 1000);
    CHECK(packets[0].destinationPort == 2000);
    CHECK(rawString(packets[0].payload) == "payload");
    CHECK(packets[0].timestampNs == 1'700'000'000'000'250'000ULL);
  }
}

TEST_CASE("pcap: other protocols and fragments are skipped and counted", "[pcap]") {
  ScratchFile file("skipped.pcap");
  std::string fragment = ipv4(17, udp(1, 2, "part"));
  put16be(fragment, 6, 0x2000);  // more fragments
  writeFile(file.path(), pcapFile(1, {{ethernet("arp?", 0x0806)},
                                      {ethernet(ipv4(1, "icmp"))},
                                      {ethernet(fragment)},
                                      {ethernet(ipv4(17, udp(1, 2, "kept")))}}));
  PcapFileReader reader(file.path());
  std::optional<Packet> packet = reader.next();
  REQUIRE(packet);
  CHECK(rawString(packet->payload) == "kept");
  CHECK(packet->number == 4);
  CHECK_FALSE(reader.next());
  CHECK(reader.packetsRead() == 4);
  CHECK(reader.packetsSkipped() == 3);
}

TEST_CASE("pcap: malformed packets name the packet and the byte", "[pcap]") {
  const std::string good = ethernet(ipv4(17, udp(1, 2, "ok")));
  std::string badIhl = good;
  badIhl[14] = '\x42';
  CHECK_THAT(errorOf({{good}, {badIhl}}),
             Catch::EndsWith("packet 2, byte 14: IPv4 header length 8 is below the minimum 20"));
  std::string longIhl = good;
  longIhl[14] = '\x4F';
  CHECK_THAT(errorOf({{longIhl}}),
             Catch::EndsWith("packet 1, byte 14: the IPv4 header with its options needs 60 bytes, "
                             "30 captured"));
  std::string shortTotal = good;
  put16be(shortTotal, 16, 10);
  CHECK_THAT(
      errorOf({{shortTotal}}),
      Catch::EndsWith("packet 1, byte 16: IPv4 total length 10 is below its header length 20"));
  std::string longTotal = good;
  put16be(longTotal, 16, 200);
  CHECK_THAT(errorOf({{longTotal}}),
             Catch::EndsWith("packet 1, byte 14: the IPv4 packet (its total length) needs 200 "
                             "bytes, 30 captured"));
  std::string badUdp = good;
  put16be(badUdp, 38, 50);
  CHECK_THAT(
      errorOf({{badUdp}}),
      Catch::EndsWith("packet 1, byte 38: UDP length 50 is outside 8 to 10 (the IP payload)"));
  std::string badTcp = ethernet(ipv4(6, tcp(1, ack, "x")));
  badTcp[46] = '\x20';
  CHECK_THAT(errorOf({{badTcp}}),
             Catch::EndsWith("packet 1, byte 46: TCP header length 8 is outside 20 to 21 (the IP "
                             "payload)"));
  CHECK_THAT(errorOf({{"short"}}),
             Catch::EndsWith("packet 1, byte 0: the Ethernet header needs 14 bytes, 5 captured"));
  // Cut by the snapshot length: said so.
  CHECK_THAT(errorOf({{good.substr(0, 20), static_cast<std::uint32_t>(good.size())}}),
             Catch::EndsWith("packet 1, byte 14: the IPv4 header needs 20 bytes, 6 captured (the "
                             "packet is cut at 20 of 44 bytes: snapshot length)"));
  std::string wrongVersion = good;
  wrongVersion[14] = '\x65';
  CHECK_THAT(
      errorOf({{wrongVersion}}),
      Catch::EndsWith("packet 1, byte 14: IP version 6 where the link header announces IPv4"));
  std::string v6(40, '\0');
  v6[0] = '\x60';
  put16be(v6, 4, 100);
  v6[6] = '\x11';
  CHECK_THAT(errorOf({{v6}}, 101),
             Catch::EndsWith("packet 1, byte 40: the IPv6 payload (its payload length) needs 100 "
                             "bytes, 0 captured"));

  try {
    ScratchFile file("error.pcap");
    writeFile(file.path(), pcapFile(1, {{good}, {badIhl}}));
    PcapFileReader reader(file.path());
    CHECK(reader.next());
    static_cast<void>(reader.next());
    FAIL("no error");
  } catch (const PcapError& error) {
    CHECK(error.packetNumber() == 2);
    CHECK(error.byteOffset() == 14);
  }

  // skipMalformed: counted, and the good packets still come.
  ScratchFile file("skip.pcap");
  writeFile(file.path(), pcapFile(1, {{badIhl}, {good}, {badUdp}}));
  PcapFileReader reader(file.path(), {.skipMalformed = true});
  std::optional<Packet> packet = reader.next();
  REQUIRE(packet);
  CHECK(packet->number == 2);
  CHECK_FALSE(reader.next());
  CHECK(reader.packetsMalformed() == 2);
}

TEST_CASE("pcap: files that are not captures, or are cut short", "[pcap]") {
  ScratchFile file("garbage.pcap");
  writeFile(file.path(), "this is not a capture at all, only text");
  CHECK_THROWS_MATCHES(PcapFileReader(file.path()), PcapError,
                       Catch::Matchers::Message(file.path() + ": not a pcap or pcapng capture: "
                                                              "unknown file format"));
  writeFile(file.path(), "");
  CHECK_THROWS_AS(PcapFileReader(file.path()), PcapError);
  CHECK_THROWS_WITH(PcapFileReader("/nonexistent/capture.pcap"),
                    "/nonexistent/capture.pcap: cannot open: No such file or directory");

  const std::string good = ethernet(ipv4(17, udp(1, 2, "ok")));
  const std::string whole = pcapFile(1, {{good}, {good}});
  // Cut inside the second packet's data, then inside its record header.
  for (const std::size_t cut : {whole.size() - 5, whole.size() - good.size() - 8}) {
    INFO("cut at " << cut);
    writeFile(file.path(), whole.substr(0, cut));
    PcapFileReader reader(file.path());
    CHECK(reader.next());
    try {
      static_cast<void>(reader.next());
      FAIL("no error");
    } catch (const PcapError& error) {
      CHECK_THAT(error.what(), Catch::Contains(": after packet 1: truncated dump file"));
      CHECK(error.packetNumber() == 2);
    }
  }
}

// --- TCP reassembly --------------------------------------------------------

TEST_CASE("pcap: TCP segments come out in order, once each", "[pcap][tcp]") {
  const auto segment = [](std::uint32_t sequence, std::uint8_t flags, const std::string& bytes) {
    return RawPacket{ethernet(ipv4(6, tcp(sequence, flags, bytes)))};
  };
  SECTION("in order after a SYN, across the 2^32 wrap") {
    CHECK(payloadsOf({segment(0xFFFFFFFE, syn, ""), segment(0xFFFFFFFF, ack, "ab"),
                      segment(1, ack, "cd")}) == std::vector<std::string>{"ab", "cd"});
  }
  SECTION("out of order: held until the gap fills, then handed out together") {
    std::uint64_t missing = 1;
    CHECK(payloadsOf({segment(100, ack, "ab"), segment(104, ack, "ef"), segment(106, ack, "gh"),
                      segment(102, ack, "cd")},
                     {}, &missing) == std::vector<std::string>{"ab", "cdefgh"});
    CHECK(missing == 0);
  }
  SECTION("retransmissions and overlaps are dropped") {
    std::uint64_t duplicated = 0;
    CHECK(payloadsOf({segment(100, ack, "abcd"), segment(100, ack, "abcd"),
                      segment(102, ack, "cdef"), segment(98, ack, "xyab")},
                     {}, nullptr, &duplicated) == std::vector<std::string>{"abcd", "ef"});
    CHECK(duplicated == 4 + 2 + 4);
  }
  SECTION("a gap longer than maxTcpReorderBytes is skipped") {
    std::uint64_t missing = 0;
    CHECK(payloadsOf({segment(100, ack, "ab"), segment(110, ack, "cd"), segment(112, ack, "ef")},
                     {.maxTcpReorderBytes = 3},
                     &missing) == std::vector<std::string>{"ab", "cdef"});
    CHECK(missing == 8);
  }
  SECTION("a gap still open at the end is skipped, what follows it handed out") {
    std::uint64_t missing = 0;
    CHECK(payloadsOf({segment(100, ack, "ab"), segment(105, ack, "cd")}, {}, &missing) ==
          std::vector<std::string>{"ab", "cd"});
    CHECK(missing == 3);
  }
  SECTION("directions are separate streams") {
    const RawPacket reply{ethernet(ipv4(6, tcp(7000, ack, "reply", 6000, 5000)))};
    CHECK(payloadsOf({segment(1, ack, "ask"), reply, segment(4, ack, "ed")}) ==
          std::vector<std::string>{"ask", "reply", "ed"});
  }
  SECTION("without reassembly every segment comes as it is") {
    CHECK(payloadsOf({segment(100, ack, "ab"), segment(100, ack, "ab")},
                     {.reassembleTcp = false}) == std::vector<std::string>{"ab", "ab"});
  }
  SECTION("more directions than maxTcpFlows is an error") {
    ScratchFile file("flows.pcap");
    writeFile(file.path(), pcapFile(1, {{ethernet(ipv4(6, tcp(1, ack, "a", 1, 2)))},
                                        {ethernet(ipv4(6, tcp(1, ack, "b", 3, 4)))}}));
    PcapFileReader reader(file.path(), {.maxTcpFlows = 1});
    CHECK(reader.next());
    CHECK_THROWS_WITH(reader.next(), Catch::EndsWith("packet 2, byte 0: more than maxTcpFlows (1) "
                                                     "TCP directions"));
  }
}

// --- Streams ---------------------------------------------------------------

TEST_CASE("pcap: PcapReader piped into PcapWriter copies a capture", "[pcap][stream]") {
  ScratchFile original("original.pcap");
  ScratchFile copy("copy.pcap");
  {
    PcapFileWriter writer(original.path());
    for (int i = 0; i < 40; ++i) {
      writer.write(udpPacket("10.0.0.1", 1, "10.0.0.2", 2, "datagram " + std::to_string(i),
                             1000 + static_cast<std::uint64_t>(i)));
    }
    writer.close();
  }
  asio::io_context io;
  auto reader = createPcapReader(io, original.path());
  auto writer = createPcapWriter(io, copy.path());
  CHECK(test::runPipeline(io, {reader, writer}) == nullptr);
  CHECK(reader->file()->packetsRead() == 40);
  CHECK(writer->file().packetsWritten() == 40);
  const std::vector<Packet> packets = readAll(copy.path());
  REQUIRE(packets.size() == 40);
  CHECK(rawString(packets[39].payload) == "datagram 39");
  CHECK(packets[39].timestampNs == 1039);
}

TEST_CASE("pcap: a PcapReader's PcapError destroys it", "[pcap][stream]") {
  ScratchFile file("bad.pcap");
  writeFile(file.path(), "garbage garbage garbage garbage");
  asio::io_context io;
  auto reader = createPcapReader(io, file.path());
  std::exception_ptr error;
  reader->on(events::error, [&](const std::exception_ptr& e) { error = e; });
  reader->resume();
  test::runUntil(io, [&] { return error != nullptr; });
  CHECK_THAT(test::errorAs<PcapError>(error).what(), Catch::Contains("not a pcap or pcapng"));

  // A PcapWriter given something other than a packet record errors too.
  ScratchFile out("out.pcap");
  auto writer = createPcapWriter(io, out.path());
  std::exception_ptr writeError;
  writer->on(events::error, [&](const std::exception_ptr& e) { writeError = e; });
  writer->write(rawBuffer("not a record"));
  test::runUntil(io, [&] { return writeError != nullptr; });
  CHECK_THROWS_AS(std::rethrow_exception(writeError), TypeError);
}

}  // namespace
}  // namespace wirekit
