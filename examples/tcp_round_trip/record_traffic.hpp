// SPDX-License-Identifier: Apache-2.0
#pragma once
// client --record FILE: the connection's bytes, both ways, in a pcap capture
// as TCP packets with the socket's own addresses and ports, written as they
// pass between the socket and the MessageStream.

#include <asio/io_context.hpp>
#include <memory>
#include <string>

#include <wirekit/stream/readable.hpp>
#include <wirekit/stream/writable.hpp>
#include <wirekit/transport/tcp_socket.hpp>

namespace tcp_round_trip {

class Recording {
 public:
  virtual ~Recording() = default;
  // What the MessageStream reads from and writes to instead of the socket:
  // each chunk is written to the capture, then passed on unchanged.
  [[nodiscard]] virtual std::shared_ptr<wirekit::Readable> readable() = 0;
  [[nodiscard]] virtual std::shared_ptr<wirekit::Writable> writable() = 0;
  // Closes the capture; wirekit::Error if it cannot be written.
  virtual void close() = 0;
};

// Creates the capture at path; wirekit::Error if it cannot, or when the
// examples were built without libpcap (wirekit::pcap).
[[nodiscard]] std::unique_ptr<Recording> recordTraffic(
    asio::io_context& io, const std::shared_ptr<wirekit::TcpSocket>& socket,
    const std::string& path);

}  // namespace tcp_round_trip
