// SPDX-License-Identifier: Apache-2.0
#pragma once
// NatsServer: a nats-server process for a test, on 127.0.0.1 and a port the
// system chooses (-p -1, read back from its log), ready when its log says so
// (a bounded wait), killed when the object goes. kill() and restart() play a
// server crash and its return on the same port. Extra arguments (a "-c" config
// file, --cluster, ...) follow the fixture's own.
//
// CI installs nats-server (scripts/install-deps); where it is missing the
// tests that need it say so and pass (REQUIRE_NATS_SERVER).

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

extern char** environ;

namespace wirekit::test {

class NatsServer {
 public:
  // How long a server may take to say it is ready.
  static constexpr std::chrono::seconds startTimeout{15};

  // The nats-server executable: on PATH, or in /usr/sbin where Debian puts it.
  static std::optional<std::string> executable() {
    std::vector<std::string> directories{"/usr/sbin", "/usr/local/sbin"};
    if (const char* path = std::getenv("PATH")) {
      std::stringstream list(path);
      for (std::string directory; std::getline(list, directory, ':');)
        directories.insert(directories.end() - 2, directory);
    }
    for (const auto& directory : directories) {
      const std::string candidate = directory + "/nats-server";
      if (!directory.empty() && ::access(candidate.c_str(), X_OK) == 0) return candidate;
    }
    return std::nullopt;
  }

  explicit NatsServer(std::vector<std::string> extraArguments = {})
      : arguments_(std::move(extraArguments)) {
    static int count = 0;
    log_ = std::filesystem::temp_directory_path() /
           ("wirekit-nats-" + std::to_string(::getpid()) + "-" + std::to_string(++count) + ".log");
    start(0);
  }
  NatsServer(const NatsServer&) = delete;
  NatsServer& operator=(const NatsServer&) = delete;
  ~NatsServer() {
    kill();
    std::error_code ignored;
    std::filesystem::remove(log_, ignored);
  }

  [[nodiscard]] std::uint16_t port() const noexcept { return port_; }
  [[nodiscard]] std::string url() const { return "127.0.0.1:" + std::to_string(port_); }
  // The port its log says it listens on for routes (with --cluster
  // nats://127.0.0.1:-1): what another server's --routes names. The log may
  // say so after "Server is ready": a bounded wait.
  [[nodiscard]] std::uint16_t routePort() const {
    const std::regex routes(R"(Listening for route connections on 127\.0\.0\.1:(\d+))");
    const auto deadline = std::chrono::steady_clock::now() + startTimeout;
    std::string text;
    for (; std::chrono::steady_clock::now() < deadline;
         std::this_thread::sleep_for(std::chrono::milliseconds(10)))
      if (const auto port = portInLog(routes, text)) return *port;
    FAIL("nats-server did not listen for routes within " << startTimeout.count() << " s; its log:\n"
                                                         << text);
    return 0;
  }

  // What the server has logged so far (its notices: a slow consumer cut, ...).
  [[nodiscard]] std::string log() const {
    std::ifstream file(log_);
    return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
  }

  // SIGKILL: no goodbye to the clients, as a crash.
  void kill() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }

  // The same server again, on the same port.
  void restart() {
    kill();
    start(port_);
  }

 private:
  void start(std::uint16_t port) {
    std::error_code ignored;
    std::filesystem::remove(log_, ignored);
    const auto path = executable();
    REQUIRE(path);
    std::vector<std::string> arguments{
        *path, "-a",         "127.0.0.1", "-p", port == 0 ? "-1" : std::to_string(port),
        "-l",  log_.string()};
    arguments.insert(arguments.end(), arguments_.begin(), arguments_.end());
    std::vector<char*> argv;
    for (auto& argument : arguments)
      argv.push_back(argument.data());
    argv.push_back(nullptr);
    REQUIRE(::posix_spawn(&pid_, path->c_str(), nullptr, nullptr, argv.data(), environ) == 0);

    const std::regex listening(R"(Listening for client connections on 127\.0\.0\.1:(\d+))");
    const auto deadline = std::chrono::steady_clock::now() + startTimeout;
    std::string text;
    while (std::chrono::steady_clock::now() < deadline) {
      const auto port = portInLog(listening, text);
      if (port && text.find("Server is ready") != std::string::npos) {
        port_ = *port;
        return;
      }
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        FAIL("nats-server exited before it was ready; its log:\n" << text);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    kill();
    FAIL("nats-server was not ready within " << startTimeout.count() << " s; its log:\n" << text);
  }

  // The log, read into text, and the port in its line pattern matches.
  std::optional<std::uint16_t> portInLog(const std::regex& pattern, std::string& text) const {
    text = log();
    std::smatch match;
    if (!std::regex_search(text, match, pattern)) return std::nullopt;
    return static_cast<std::uint16_t>(std::stoi(match[1].str()));
  }

  std::vector<std::string> arguments_;
  std::filesystem::path log_;
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
};

}  // namespace wirekit::test

// The first line of a test that needs nats-server.
#define REQUIRE_NATS_SERVER()                                                                \
  do {                                                                                       \
    if (!::wirekit::test::NatsServer::executable()) {                                        \
      WARN("nats-server is not installed (scripts/install-deps installs it): test not run"); \
      return;                                                                                \
    }                                                                                        \
  } while (false)
