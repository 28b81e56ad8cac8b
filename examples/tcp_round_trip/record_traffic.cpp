// SPDX-License-Identifier: Apache-2.0
#include "record_traffic.hpp"

#include <chrono>
#include <cstdint>

#include <asio/ip/address.hpp>

#include <wirekit/stream/transform.hpp>
#include <wirekit/transport/pcap_writer.hpp>

namespace tcp_round_trip {

namespace {

class PcapRecording final : public Recording {
 public:
  PcapRecording(asio::io_context& io, std::shared_ptr<wirekit::TcpSocket> socket,
                const std::string& path)
      : socket_(std::move(socket)), file_(path) {
    // The taps carry the socket's bytes as they are; the socket's own events
    // stay on the socket (the client listens to its errors).
    writeTap_ = tap(io, Direction::sent);
    writeTap_->pipe(socket_);
    readTap_ = socket_->pipe(tap(io, Direction::received));
  }

  std::shared_ptr<wirekit::Readable> readable() override { return readTap_; }
  std::shared_ptr<wirekit::Writable> writable() override { return writeTap_; }
  void close() override { file_.close(); }

 private:
  enum class Direction { sent, received };

  std::shared_ptr<wirekit::Transform> tap(asio::io_context& io, Direction direction) {
    wirekit::TransformOptions options;
    options.transform = [this, direction](wirekit::Transform&, wirekit::Buffer chunk,
                                          const wirekit::TransformCallback& callback) {
      record(direction, chunk);
      callback(std::move(chunk));
    };
    return std::make_shared<wirekit::Transform>(io, std::move(options));
  }

  void record(Direction direction, const wirekit::Buffer& chunk) {
    // Known once connected, which is before the first byte either way.
    const asio::ip::address local = asio::ip::make_address(socket_->localAddress());
    const asio::ip::address remote = asio::ip::make_address(socket_->remoteAddress());
    const bool sent = direction == Direction::sent;
    wirekit::Packet packet;
    packet.timestampNs =
        static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                       std::chrono::system_clock::now().time_since_epoch())
                                       .count());
    packet.protocol = wirekit::PacketProtocol::tcp;
    packet.source = sent ? local : remote;
    packet.sourcePort = sent ? socket_->localPort() : socket_->remotePort();
    packet.destination = sent ? remote : local;
    packet.destinationPort = sent ? socket_->remotePort() : socket_->localPort();
    packet.payload = chunk;
    file_.write(packet);
  }

  std::shared_ptr<wirekit::TcpSocket> socket_;
  wirekit::PcapFileWriter file_;
  std::shared_ptr<wirekit::Transform> writeTap_;
  std::shared_ptr<wirekit::Transform> readTap_;
};

}  // namespace

std::unique_ptr<Recording> recordTraffic(asio::io_context& io,
                                         const std::shared_ptr<wirekit::TcpSocket>& socket,
                                         const std::string& path) {
  return std::make_unique<PcapRecording>(io, socket, path);
}

}  // namespace tcp_round_trip
