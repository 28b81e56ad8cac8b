// SPDX-License-Identifier: Apache-2.0
#pragma once
// JetStream servers for tests: one nats-server with -js, or a cluster of
// three on loopback (routes between them, each its own server_name and
// store), every store directory under the temporary directory and removed
// with the fixture; the servers are SIGKILLed when it goes (NatsServer).

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include <asio/io_context.hpp>

#include "../transport_test_support.hpp"
#include "nats_server.hpp"
#include "wirekit/transport/nats/client.hpp"
#include "wirekit/transport/nats/jetstream.hpp"

namespace wirekit::test {

// A directory under the system's temporary directory, removed with all it
// holds when the test ends.
class ScratchDirectory {
 public:
  explicit ScratchDirectory(const std::string& name) {
    static int count = 0;
    path_ = std::filesystem::temp_directory_path() /
            ("wirekit-" + name + "-" + std::to_string(::getpid()) + "-" + std::to_string(++count));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ScratchDirectory(const ScratchDirectory&) = delete;
  ScratchDirectory& operator=(const ScratchDirectory&) = delete;
  ~ScratchDirectory() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }

  [[nodiscard]] std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

// One nats-server with JetStream, its store in a scratch directory.
class JetStreamServer {
 public:
  JetStreamServer() : store_("jetstream"), server_({"-js", "-sd", store_.path()}) {}

  [[nodiscard]] std::string url() const { return server_.url(); }
  NatsServer& server() noexcept { return server_; }

 private:
  ScratchDirectory store_;  // declared first: removed after the server is killed
  NatsServer server_;
};

// A loopback port free now: the kernel's choice for a socket bound to port
// 0, released. A route port must be known before the servers start (each
// lists the others'), so nats-server's own "-1" cannot serve here.
inline std::uint16_t freeLoopbackPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  const bool bound = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
                     ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
  ::close(fd);
  REQUIRE(bound);
  return ntohs(address.sin_port);
}

// Three JetStream servers, n1..n3, in cluster "wirekit": each routes to the
// two others. Ready once each has said so in its log; the JetStream meta
// leader is elected a little later (the tests retry their first API call
// within a bound).
class JetStreamCluster {
 public:
  static constexpr std::size_t size = 3;

  JetStreamCluster() : store_("jetstream-cluster") {
    std::array<std::uint16_t, size> routes{};
    for (auto& port : routes)
      port = freeLoopbackPort();
    for (std::size_t i = 0; i < size; ++i) {
      std::string others;
      for (std::size_t j = 0; j < size; ++j)
        if (j != i)
          others += (others.empty() ? "" : ",") + std::string("nats://127.0.0.1:") +
                    std::to_string(routes[j]);
      const std::string name = "n" + std::to_string(i + 1);
      std::filesystem::create_directories(store_.path() + "/" + name);
      servers_.push_back(std::make_unique<NatsServer>(std::vector<std::string>{
          "-js", "-sd", store_.path() + "/" + name, "--server_name", name, "--cluster_name",
          "wirekit", "--cluster", "nats://127.0.0.1:" + std::to_string(routes[i]), "--routes",
          others}));
    }
  }

  NatsServer& server(std::size_t i) { return *servers_.at(i); }
  // Every client URL, for Options::servers.
  [[nodiscard]] std::vector<std::string> urls() const {
    std::vector<std::string> out;
    for (const auto& server : servers_)
      out.push_back(server->url());
    return out;
  }

 private:
  ScratchDirectory store_;  // declared first: removed after the servers are killed
  std::vector<std::unique_ptr<NatsServer>> servers_;
};

// What an asynchronous JetStream call answered.
template <class T>
struct Answer {
  std::exception_ptr error;
  T value{};
  bool done = false;
};

// Runs io until call's callback (given as its argument) is called; the
// answer it got.
template <class T, class Call>
Answer<T> awaitAnswer(asio::io_context& io, Call call,
                      std::chrono::milliseconds limit = std::chrono::seconds(20)) {
  Answer<T> answer;
  call([&answer](const std::exception_ptr& error, auto&& value) {
    REQUIRE_FALSE(answer.done);
    answer.error = error;
    answer.value = std::forward<decltype(value)>(value);
    answer.done = true;
  });
  runUntil(
      io, [&] { return answer.done; }, limit);
  return answer;
}

// A client of servers, connected; an 'error' it emits fails the test.
inline std::shared_ptr<nats::Client> connectedClient(asio::io_context& io, nats::Options options) {
  bool open = false;
  auto client = nats::connect(io, std::move(options), [&open] { open = true; });
  client->on(events::error, [](const std::exception_ptr& error) {
    FAIL("client error: " << errorMessage(error));
  });
  runUntil(io, [&] { return open; });
  return client;
}

}  // namespace wirekit::test
