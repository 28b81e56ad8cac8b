// SPDX-License-Identifier: Apache-2.0
// wirekit_bench_nats: typed messages through one nats-server with
// MessageBus (docs/performance.md "NATS"; js/bench/nats.ts runs it beside
// Node's `nats` client and starts the server).
//
// bench.wk's Blob (header, offset, u32 length, payload) of --size bytes in
// all, --messages of them per run, two clients of one io_context (one thread,
// as Node's event loop):
//   publish  send<Blob> as fast as the client takes them ('drain' when send()
//            says false) to a subject nobody subscribes to, timed until the
//            flush's PONG says the server has them all
//   pubsub   the same, with the other client's bus subscribed (on<Blob>,
//            each message decoded and its offset summed), timed until the
//            subscriber has the last one
//
//   wirekit_bench_nats --server HOST:PORT [--size 64] [--messages 200000] [--repetitions 5]
// Prints one JSON object per repetition (after one unreported warm-up run):
//   {"name":"nats/wirekit/publish/64","message_bytes":64,"messages":…,"seconds":…,
//    "messages_per_second":…}

#include <wirekit/transport/nats/client.hpp>
#include <wirekit/transport/nats/message_bus.hpp>

#include <fmt/format.h>
#include <asio/io_context.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "bench.wk.hpp"

namespace {

using Bus = wirekit::nats::MessageBus<bench::Schema>;
using Clock = std::chrono::steady_clock;
// Header 8, offset 8, the payload's u32 length.
constexpr std::size_t blobOverhead = 8 + 8 + 4;

struct Settings {
  std::string server = "127.0.0.1:4222";
  std::size_t size = 64;
  std::uint64_t messages = 200'000;
  int repetitions = 5;
};

[[noreturn]] void usage(const std::string& why) {
  fmt::print(stderr,
             "{}\nusage: wirekit_bench_nats --server HOST:PORT [--size 64] [--messages 200000] "
             "[--repetitions 5]\n",
             why);
  std::exit(2);
}

Settings parse(int argc, char** argv) {
  Settings settings;
  for (int i = 1; i < argc; i += 2) {
    const std::string_view name = argv[i];
    if (i + 1 >= argc) usage(fmt::format("{} without its value", name));
    const std::string value = argv[i + 1];
    try {
      if (name == "--server") {
        settings.server = value;
      } else if (name == "--size") {
        settings.size = std::stoul(value);
      } else if (name == "--messages") {
        settings.messages = std::stoull(value);
      } else if (name == "--repetitions") {
        settings.repetitions = std::stoi(value);
      } else {
        usage(fmt::format("unexpected argument '{}'", name));
      }
    } catch (const std::logic_error&) {
      usage(fmt::format("{} takes a number, not '{}'", name, value));
    }
  }
  if (settings.size < blobOverhead || settings.messages == 0 || settings.repetitions < 1)
    usage(fmt::format("--size must be at least {}, --messages and --repetitions positive",
                      blobOverhead));
  return settings;
}

// Runs io until done() or an error; the error ends the benchmark.
template <class Done>
void runUntil(asio::io_context& io, Done done, const std::exception_ptr& error) {
  io.restart();
  while (!done() && !error) {
    if (io.run_one() == 0) break;
  }
  if (error) std::rethrow_exception(error);
  if (!done()) throw std::runtime_error("the event loop ran out of work");
}

class Bench {
 public:
  explicit Bench(const Settings& settings) : settings_(settings) {
    wirekit::nats::Options options;
    options.servers = {settings.server};
    options.reconnect = false;
    for (auto* bus : {&publisher_, &subscriber_}) {
      auto client = wirekit::nats::connect(io_, options);
      client->on(wirekit::events::error,
                 [this](const std::exception_ptr& error) { error_ = error; });
      *bus = std::make_shared<Bus>(client);
      (*bus)->on(wirekit::events::error,
                 [this](const std::exception_ptr& error) { error_ = error; });
    }
    runUntil(
        io_,
        [&] { return publisher_->client().isConnected() && subscriber_->client().isConnected(); },
        error_);
    publisher_->on(wirekit::events::drain, [this] { sendMore(); });
    subscriber_->on<bench::Blob>("bench.nats.pubsub", [this](const bench::Blob::Decoder& blob) {
      sum_ += blob.offset();
      ++received_;
    });
    flushed(subscriber_->client());
  }

  // One run; its duration.
  Clock::duration run(bool subscribed) {
    subject_ = subscribed ? "bench.nats.pubsub" : "bench.nats.publish";
    sent_ = 0;
    received_ = 0;
    const auto start = Clock::now();
    sendMore();
    runUntil(
        io_, [&] { return sent_ == settings_.messages; }, error_);
    if (subscribed) {
      runUntil(
          io_, [&] { return received_ == settings_.messages; }, error_);
    } else {
      flushed(publisher_->client());
    }
    return Clock::now() - start;
  }

 private:
  void sendMore() {
    while (sent_ < settings_.messages) {
      const bool more = publisher_->send<bench::Blob>(
          subject_, [&](bench::Blob::Encoder& blob) { blob.offset(sent_).data(payload_); });
      ++sent_;
      if (!more) return;
    }
  }

  void flushed(wirekit::nats::Client& client) {
    bool done = false;
    client.flush([&](const std::exception_ptr& error) {
      if (error) error_ = error;
      done = true;
    });
    runUntil(
        io_, [&] { return done; }, error_);
  }

  Settings settings_;
  asio::io_context io_;
  std::shared_ptr<Bus> publisher_;
  std::shared_ptr<Bus> subscriber_;
  std::exception_ptr error_;
  std::vector<std::byte> payload_ = std::vector<std::byte>(settings_.size - blobOverhead);
  std::string subject_;
  std::uint64_t sent_ = 0;
  std::uint64_t received_ = 0;
  std::uint64_t sum_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  const Settings settings = parse(argc, argv);
  try {
    Bench bench(settings);
    for (const bool subscribed : {false, true}) {
      const char* kind = subscribed ? "pubsub" : "publish";
      static_cast<void>(bench.run(subscribed));  // warm-up
      for (int i = 0; i < settings.repetitions; ++i) {
        const double seconds = std::chrono::duration<double>(bench.run(subscribed)).count();
        fmt::print(
            "{{\"name\":\"nats/wirekit/{}/{}\",\"message_bytes\":{},\"messages\":{},"
            "\"seconds\":{:.6f},\"messages_per_second\":{:.0f}}}\n",
            kind, settings.size, settings.size, settings.messages, seconds,
            static_cast<double>(settings.messages) / seconds);
        std::fflush(stdout);
      }
    }
  } catch (const std::exception& error) {
    fmt::print(stderr, "wirekit_bench_nats: {}\n", error.what());
    return 1;
  }
  return 0;
}
