// SPDX-License-Identifier: Apache-2.0
// A producer and a group of workers on a JetStream cluster (see README.md).
//
//   nats_cluster produce --servers a,b,c --count 1000
//     makes the R3 stream ORDERS (retrying while the cluster elects its
//     leaders), publishes --count orders with ids order-<i>, at most --window
//     unacknowledged, each sent again with its id until acknowledged.
//   nats_cluster work --servers a,b,c --name w1 --count 1000 --out ids.txt
//     one of the workers sharing the durable pull consumer "workers": each
//     message goes to one of them. Acks each, writes its id to --out, and
//     stops once the stream holds --count orders and none is left for the
//     consumer.
//
// Both say on stdout what happens: connections lost and found, retries.

#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>

#include "command_line.hpp"
#include "wirekit/error.hpp"
#include "wirekit/transport/nats/client.hpp"
#include "wirekit/transport/nats/jetstream.hpp"

namespace nats = wirekit::nats;
using namespace std::chrono_literals;

namespace {

constexpr std::string_view usage =
    "nats_cluster produce|work --servers host:port,... --count N [--window N] "
    "[--name NAME] [--out FILE] [--timeout SECONDS]";

std::vector<std::string> split(const std::string& list) {
  std::vector<std::string> out;
  std::stringstream stream(list);
  for (std::string item; std::getline(stream, item, ',');)
    if (!item.empty()) out.push_back(item);
  return out;
}

// Elapsed seconds, for the log lines.
class Clock {
 public:
  [[nodiscard]] double seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }

 private:
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

// Runs then after delay on io.
void after(asio::io_context& io, std::chrono::milliseconds delay, std::function<void()> then) {
  auto timer = std::make_shared<asio::steady_timer>(io, delay);
  timer->async_wait([timer, then = std::move(then)](std::error_code) { then(); });
}

std::shared_ptr<nats::Client> connect(asio::io_context& io, const std::vector<std::string>& servers,
                                      const std::string& name, const Clock& clock) {
  // Made, not yet connecting: the caller connects once its listeners are on.
  auto nc = std::make_shared<nats::Client>(io, nats::Options{.servers = servers,
                                                             .name = name,
                                                             .connectTimeout = 1s,
                                                             .reconnectTimeWait = 100ms,
                                                             .reconnectTimeWaitMax = 1s,
                                                             .reconnectJitter = 50ms});
  nc->on(wirekit::events::connect, [nc = nc.get(), &clock, name] {
    fmt::print("{:6.2f}s {}: connected to {}\n", clock.seconds(), name, nc->connectedServer());
  });
  nc->on(wirekit::events::disconnect, [&clock, name](const std::exception_ptr& why) {
    fmt::print("{:6.2f}s {}: connection lost ({})\n", clock.seconds(), name,
               wirekit::errorMessage(why));
  });
  nc->on(wirekit::events::reconnect, [nc = nc.get(), &clock, name] {
    fmt::print("{:6.2f}s {}: reconnected to {}\n", clock.seconds(), name, nc->connectedServer());
  });
  nc->on(wirekit::events::error, [&clock, name](const std::exception_ptr& error) {
    fmt::print("{:6.2f}s {}: error: {}\n", clock.seconds(), name, wirekit::errorMessage(error));
  });
  return nc;
}

// Calls call (an API call taking a callback) until it succeeds: a new
// cluster answers 503 or nothing until it has elected its leaders.
template <class T>
void untilDone(asio::io_context& io, std::function<void(nats::JsCallback<T>)> call,
               std::function<void(const T&)> then) {
  call([&io, call, then](const std::exception_ptr& error, const T& value) {
    if (!error) {
      then(value);
      return;
    }
    after(io, 250ms, [&io, call, then] { untilDone<T>(io, call, then); });
  });
}

int produce(const trading_samples::CommandLine& options) {
  const Clock clock;
  asio::io_context io;
  const auto count = static_cast<int>(options.number("count", 1000));
  const auto window = static_cast<int>(options.number("window", 64, 10'000));
  auto nc = connect(io, split(options.text("servers", "127.0.0.1:4222")), "producer", clock);
  nats::JetStream js(io, nc, {.timeout = 1s});

  int acked = 0;
  int next = 0;
  int inFlight = 0;
  int retries = 0;
  int duplicates = 0;
  std::function<void(int)> send = [&](int i) {
    ++inFlight;
    js.publish("orders.new", wirekit::Buffer::from(fmt::format("order {}", i)),
               [&, i](const std::exception_ptr& error, const nats::PubAck& ack) {
                 --inFlight;
                 if (error) {
                   if (retries++ % 100 == 0)
                     fmt::print("{:6.2f}s producer: order-{} not acknowledged ({}), sent again\n",
                                clock.seconds(), i, wirekit::errorMessage(error));
                   after(io, 100ms, [&send, i] { send(i); });
                   return;
                 }
                 duplicates += ack.duplicate ? 1 : 0;
                 if (++acked % (count / 10 == 0 ? 1 : count / 10) == 0)
                   fmt::print("{:6.2f}s producer: {} acknowledged (last: seq {})\n",
                              clock.seconds(), acked, ack.seq);
                 if (acked == count) {
                   nc->close();
                   return;
                 }
                 while (inFlight < window && next < count)
                   send(next++);
               },
               {.msgId = fmt::format("order-{}", i)});
  };
  nc->connect();
  untilDone<nats::StreamInfo>(
      io,
      [&js](auto done) {
        js.addStream({.name = "ORDERS", .subjects = {"orders.>"}, .replicas = 3}, done);
      },
      [&](const nats::StreamInfo& info) {
        fmt::print("{:6.2f}s producer: stream ORDERS, R{}, led by {}\n", clock.seconds(),
                   info.config.replicas, info.leader);
        while (next < window && next < count)
          send(next++);
      });
  io.run_for(std::chrono::seconds(options.number("timeout", 60)));
  fmt::print("{:6.2f}s producer: {} of {} acknowledged, {} sent again, {} found already stored\n",
             clock.seconds(), acked, count, retries, duplicates);
  return acked == count ? 0 : 1;
}

int work(const trading_samples::CommandLine& options) {
  const Clock clock;
  asio::io_context io;
  const auto count = options.number("count", 1000);
  const std::string name = options.text("name", "worker");
  std::ofstream out(options.text("out", "/dev/null"));
  auto nc = connect(io, split(options.text("servers", "127.0.0.1:4222")), name, clock);
  nats::JetStream js(io, nc, {.timeout = 1s});
  std::uint64_t done = 0;
  bool finished = false;

  // Fetch, ack, and again; when a fetch brings nothing, ask whether the
  // stream is complete and the consumer has nothing left.
  std::function<void()> pull = [&] {
    js.fetch("ORDERS", "workers", {.batch = 50, .expires = 500ms},
             [&](const std::exception_ptr& error, std::vector<nats::JsMessage> batch) {
               for (auto& message : batch) {
                 out << message.headers().get(nats::msgIdHeader).value_or("?") << '\n';
                 message.ack();
                 ++done;
               }
               if (error || !batch.empty()) {
                 if (error)
                   fmt::print("{:6.2f}s {}: fetch: {}\n", clock.seconds(), name,
                              wirekit::errorMessage(error));
                 after(io, error ? 250ms : 0ms, pull);
                 return;
               }
               js.streamInfo("ORDERS", [&](const std::exception_ptr& streamError,
                                           const nats::StreamInfo& stream) {
                 js.consumerInfo("ORDERS", "workers",
                                 [&, streamError, stream](const std::exception_ptr& consumerError,
                                                          const nats::ConsumerInfo& consumer) {
                                   if (!streamError && !consumerError &&
                                       stream.state.messages >= count && consumer.numPending == 0 &&
                                       consumer.numAckPending == 0) {
                                     finished = true;
                                     nc->close();
                                     return;
                                   }
                                   pull();
                                 });
               });
             });
  };
  nc->connect();
  untilDone<nats::ConsumerInfo>(
      io,
      [&js](auto done) {
        js.addConsumer("ORDERS", {.durableName = "workers", .ackWait = 5s}, done);
      },
      [&](const nats::ConsumerInfo&) { pull(); });
  io.run_for(std::chrono::seconds(options.number("timeout", 60)));
  fmt::print("{:6.2f}s {}: consumed and acked {}\n", clock.seconds(), name, done);
  return finished ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  // A line at a time even into a pipe: cluster_demo.py acts on the lines as they come.
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  const std::string mode = argc > 1 ? argv[1] : "";
  const trading_samples::CommandLine options(
      argc - 1, argv + 1, usage, {"servers", "count", "window", "name", "out", "timeout"});
  if (mode == "produce") return produce(options);
  if (mode == "work") return work(options);
  options.fail(fmt::format("unknown mode '{}'", mode));
}
