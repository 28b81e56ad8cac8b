// SPDX-License-Identifier: Apache-2.0
// recordTraffic for a build without libpcap (no wirekit::pcap).
#include <wirekit/error.hpp>

#include "record_traffic.hpp"

namespace tcp_round_trip {

std::unique_ptr<Recording> recordTraffic(asio::io_context&,
                                         const std::shared_ptr<wirekit::TcpSocket>&,
                                         const std::string&) {
  throw wirekit::Error("--record needs wirekit built with libpcap (Debian's libpcap-dev)");
}

}  // namespace tcp_round_trip
