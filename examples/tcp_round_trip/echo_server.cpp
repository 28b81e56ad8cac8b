// SPDX-License-Identifier: Apache-2.0
// echo_server: a TCP service for the messages of schemas/examples/trading.wk.
// Every frame a client sends is decoded with the schema (so a bad one is
// reported, not echoed) and sent back as it came. It serves any number of
// clients at once until SIGINT or SIGTERM, then drains: it stops accepting,
// answers what each connection has received, ends every connection, and
// destroys those still open after --drain-ms (a second signal stops at once).
//
//   echo_server [--host 127.0.0.1] [--port 7000] [--drain-ms 5000] [--log-lines 20]
//               [--log-line-bytes 512]
//   (--port 0: any free port)

#include <chrono>
#include <csignal>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <variant>

#include <fmt/format.h>
#include <asio/io_context.hpp>
#include <asio/signal_set.hpp>

#include <wirekit/message/message_stream.hpp>
#include <wirekit/transport/tcp_server.hpp>

#include "command_line.hpp"
#include "trading.wk.hpp"

namespace trading = demo::trading;
using Messages = wirekit::MessageStream<trading::Schema>;
using Clock = std::chrono::steady_clock;

namespace {

// Lines go to a pipe or a file when run by scripts: flush each one.
template <class... Args>
void say(std::FILE* to, fmt::format_string<Args...> format, Args&&... args) {
  fmt::print(to, format, std::forward<Args>(args)...);
  std::fflush(to);
}

// The lines clients cause (a bad frame, an error, a connection's summary),
// at most linesPerSecond a second, so that a hostile client cannot make the
// server write more than it sends, or fill its disk: the lines beyond are
// counted, and summed up in one line when the next second's first line
// comes (and at the end). A client chooses much of a line's text (the
// strings of its first message), so each line is cut at maxLineBytes, and
// its control bytes (a newline that would forge a line of its own, a
// terminal's escape) are written as '?'.
class RateLimitedLog {
 public:
  RateLimitedLog(std::uint64_t linesPerSecond, std::size_t maxLineBytes)
      : linesPerSecond_(linesPerSecond), maxLineBytes_(maxLineBytes) {}

  template <class... Args>
  void line(std::FILE* to, fmt::format_string<Args...> format, Args&&... args) {
    const Clock::time_point now = Clock::now();
    if (now - windowStart_ >= std::chrono::seconds(1)) {
      summarize();
      windowStart_ = now;
      lines_ = 0;
    }
    if (lines_ < linesPerSecond_) {
      ++lines_;
      write(to, fmt::format(format, std::forward<Args>(args)...));
    } else {
      ++suppressed_;
    }
  }

  // The lines suppressed since the last summary, if any.
  void summarize() {
    if (suppressed_ == 0) return;
    say(stderr, "echo_server: {} more log lines suppressed (at most {} a second)\n", suppressed_,
        linesPerSecond_);
    totalSuppressed_ += suppressed_;
    suppressed_ = 0;
  }

  [[nodiscard]] std::uint64_t totalSuppressed() const noexcept {
    return totalSuppressed_ + suppressed_;
  }

 private:
  // text, a line with its newline, cut to maxLineBytes_ (newline included).
  void write(std::FILE* to, std::string text) const {
    if (!text.empty() && text.back() == '\n') text.pop_back();
    for (char& byte : text) {
      const auto value = static_cast<unsigned char>(byte);
      if (value < 0x20 || value == 0x7F) byte = '?';
    }
    constexpr std::string_view cut = "...";
    if (text.size() + 1 > maxLineBytes_) {
      text.resize(maxLineBytes_ > cut.size() + 1 ? maxLineBytes_ - cut.size() - 1 : 0);
      text += cut;
    }
    say(to, "{}\n", text);
  }

  std::uint64_t linesPerSecond_;
  std::size_t maxLineBytes_;
  Clock::time_point windowStart_{};
  std::uint64_t lines_ = 0;
  std::uint64_t suppressed_ = 0;
  std::uint64_t totalSuppressed_ = 0;
};

struct Service {
  Service(std::uint64_t logLinesPerSecond, std::size_t logLineBytes)
      : log(logLinesPerSecond, logLineBytes) {}

  std::set<std::shared_ptr<Messages>> connections;
  RateLimitedLog log;
  bool draining = false;
  // While draining: connections closed once both sides had ended (every
  // echo sent before the FIN), and connections destroyed at the deadline
  // (a client that did not read its echoes or did not end).
  std::uint64_t ended = 0;
  std::uint64_t cut = 0;
};

// One connection: echo each message; stop reading while the client does not
// keep up with the echoes, so that neither side buffers without bound.
void serve(const std::shared_ptr<wirekit::TcpSocket>& socket, Service& service) {
  auto messages = std::make_shared<Messages>(socket);
  service.connections.insert(messages);
  // Listeners are owned by the stream they listen to: capture a plain pointer.
  Messages* stream = messages.get();
  const std::string peer = fmt::format("{}:{}", socket->remoteAddress(), socket->remotePort());

  stream->onAny(
      [stream, peer, &service](const Messages::AnyMessage& message, const wirekit::Buffer& frame) {
        if (stream->receivedMessages() == 1) {
          std::visit(
              [&](const auto& decoded) {
                service.log.line(stdout, "{} first message: {}\n", peer, decoded);
              },
              message);
        }
        if (!stream->sendEncoded(frame.bytes())) stream->pause();
      });
  stream->on(wirekit::events::drain, [stream] { stream->resume(); });
  stream->on(wirekit::events::badMessage, [peer, &service](const wirekit::MessageError& error) {
    service.log.line(stderr, "{} bad message: {}\n", peer, error.what());
  });
  stream->on(wirekit::events::end, [stream] { stream->end(); });
  stream->on(wirekit::events::error, [peer, &service](const std::exception_ptr& error) {
    service.log.line(stderr, "{} error: {}\n", peer, wirekit::errorMessage(error));
  });
  // The server is draining: answer what was received, then end.
  socket->on(wirekit::events::shutdown, [stream] { stream->endGracefully(); });
  stream->on(wirekit::events::close, [stream, peer, &service] {
    service.log.line(stdout, "{} closed: {} messages echoed, {} bad\n", peer,
                     stream->receivedMessages(), stream->badMessages());
    if (service.draining) {
      ++(stream->readable()->readableEnded() ? service.ended : service.cut);
    }
    service.connections.erase(stream->shared_from_this());
  });
}

}  // namespace

int main(int argc, char** argv) {
  const trading_samples::CommandLine options(
      argc, argv,
      "echo_server [--host 127.0.0.1] [--port 7000] [--drain-ms 5000] [--log-lines 20] "
      "[--log-line-bytes 512]",
      {"host", "port", "drain-ms", "log-lines", "log-line-bytes"});
  const std::string host = options.text("host", "127.0.0.1");
  const auto port = static_cast<std::uint16_t>(options.number("port", 7000, 65535));
  const std::chrono::milliseconds drainTime(options.number("drain-ms", 5000, 3'600'000));

  asio::io_context io;
  Service service(options.number("log-lines", 20), options.number("log-line-bytes", 512, 65536));
  auto server = wirekit::createServer(
      io, {}, [&](const std::shared_ptr<wirekit::TcpSocket>& socket) { serve(socket, service); });
  int status = 0;
  server->on(wirekit::events::error, [&](const std::exception_ptr& error) {
    say(stderr, "echo_server: {}\n", wirekit::errorMessage(error));
    status = 1;
    io.stop();
  });
  server->listen(port, host,
                 [&] { say(stdout, "echo_server listening on {}:{}\n", host, server->port()); });

  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const std::error_code& code, int signal) {
    if (code) return;
    const Clock::time_point start = Clock::now();
    say(stdout, "echo_server: {}, draining {} connections (at most {} ms)\n",
        signal == SIGINT ? "SIGINT" : "SIGTERM", service.connections.size(), drainTime.count());
    service.draining = true;
    server->close(drainTime, [&service, &signals, start](const std::exception_ptr&) {
      signals.cancel();
      service.log.summarize();
      say(stdout,
          "echo_server: drained in {} ms: {} connections closed cleanly, {} destroyed at the "
          "deadline\n",
          std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count(),
          service.ended, service.cut);
    });
    signals.async_wait([&](const std::error_code& again, int) {
      if (again) return;
      say(stdout, "echo_server: second signal, stopping now ({} connections open)\n",
          service.connections.size());
      io.stop();
    });
  });
  io.run();
  return status;
}
