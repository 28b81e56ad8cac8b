// SPDX-License-Identifier: Apache-2.0
// JetStream on a 3-node cluster (loopback): an R3 stream survives the
// SIGKILL of the node that leads it and that the client is connected to,
// in the middle of 2000 acknowledged publishes. The client reconnects to
// another node; publishes that got no acknowledgement are sent again with the
// same Nats-Msg-Id; a durable consumer then reads every acknowledged publish
// exactly once.

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>
#include <catch2/catch.hpp>

#include "jetstream_server.hpp"
#include "wirekit/transport/nats/jetstream.hpp"

using namespace wirekit;
using namespace wirekit::test;
using namespace std::chrono_literals;
using nats::ConsumerInfo;
using nats::JetStream;
using nats::JsMessage;
using nats::PubAck;
using nats::StreamInfo;

namespace {

// Repeats call (an API call taking a callback) until it succeeds or limit
// passes: a new cluster elects its JetStream leaders a few seconds after
// its servers are ready, and answers 503 or nothing before.
template <class T, class Call>
T retried(asio::io_context& io, Call call, std::chrono::seconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  for (;;) {
    const auto answer = awaitAnswer<T>(io, call);
    if (!answer.error) return answer.value;
    INFO("last error: " << errorMessage(answer.error));
    REQUIRE(std::chrono::steady_clock::now() < deadline);
    drain(io, 200ms);
  }
}

}  // namespace

TEST_CASE("jetstream cluster: no acked publish lost nor doubled when a node is SIGKILLed") {
  REQUIRE_NATS_SERVER();
  static constexpr int count = 2000;
  static constexpr std::size_t window = 64;
  const auto started = std::chrono::steady_clock::now();
  JetStreamCluster cluster;
  asio::io_context io;

  // Find the stream's leader with a first client, then connect the
  // producer to it first: its loss is then both a reconnect and a leader
  // election.
  std::string leader;
  {
    auto admin = connectedClient(io, {.servers = cluster.urls()});
    JetStream js(io, admin, {.timeout = 2s});
    const auto info = retried<StreamInfo>(
        io,
        [&](auto done) {
          js.addStream({.name = "ORDERS", .subjects = {"orders.>"}, .replicas = 3},
                       std::move(done));
        },
        20s);
    CHECK(info.config.replicas == 3);
    leader = info.leader;
    retried<ConsumerInfo>(
        io, [&](auto done) { js.addConsumer("ORDERS", {.durableName = "audit"}, std::move(done)); },
        10s);
    admin->close();
  }
  REQUIRE(leader.size() == 2);
  const std::size_t victim = static_cast<std::size_t>(leader[1] - '1');
  REQUIRE(victim < JetStreamCluster::size);
  auto servers = cluster.urls();
  std::swap(servers[0], servers[victim]);

  int disconnects = 0;
  auto nc = connectedClient(io, {.servers = servers,
                                 .connectTimeout = 1s,
                                 .reconnectTimeWait = 100ms,
                                 .reconnectTimeWaitMax = 1s,
                                 .reconnectJitter = 50ms});
  nc->on(events::disconnect, [&](const std::exception_ptr&) { ++disconnects; });
  REQUIRE(nc->connectedServer() == cluster.server(victim).url());
  JetStream js(io, nc, {.timeout = 1s});

  // Publish with at most `window` unacknowledged; a failed publish (timeout,
  // no responders during the election, a 503) goes again with its id after
  // a pause.
  std::vector<bool> acked(count, false);
  int ackedCount = 0;
  int next = 0;
  int inFlight = 0;
  int retries = 0;
  int duplicates = 0;
  bool killed = false;
  std::function<void(int)> send = [&](int i) {
    ++inFlight;
    js.publish("orders.new", Buffer::from("order " + std::to_string(i)),
               [&, i](const std::exception_ptr& error, const PubAck& ack) {
                 --inFlight;
                 if (error) {
                   ++retries;
                   auto timer = std::make_shared<asio::steady_timer>(io, 100ms);
                   timer->async_wait([timer, &send, i](std::error_code) { send(i); });
                   return;
                 }
                 CHECK(ack.stream == "ORDERS");
                 if (ack.duplicate) ++duplicates;
                 if (!acked[i]) {
                   acked[i] = true;
                   ++ackedCount;
                 }
                 if (!killed && ackedCount >= count / 2) {
                   killed = true;
                   cluster.server(victim).kill();
                 }
                 while (inFlight < static_cast<int>(window) && next < count)
                   send(next++);
               },
               {.msgId = "order-" + std::to_string(i)});
  };
  while (next < static_cast<int>(window))
    send(next++);
  runUntil(
      io, [&] { return ackedCount == count; }, 25s);
  CHECK(killed);
  CHECK(disconnects >= 1);
  CHECK(nc->connectedServer() != cluster.server(victim).url());

  // Every acknowledged publish is in the stream once: retries were deduplicated.
  const auto info = retried<StreamInfo>(
      io, [&](auto done) { js.streamInfo("ORDERS", std::move(done)); }, 10s);
  CHECK(info.state.messages == static_cast<std::uint64_t>(count));
  CHECK(info.leader != leader);

  // The durable consumer reads each exactly once.
  std::map<std::string, int> seen;
  int consumed = 0;
  const auto deadline = std::chrono::steady_clock::now() + 15s;
  while (consumed < count && std::chrono::steady_clock::now() < deadline) {
    const auto batch = awaitAnswer<std::vector<JsMessage>>(io, [&](auto done) {
      js.fetch("ORDERS", "audit", {.batch = 500, .expires = 1s}, std::move(done));
    });
    if (batch.error) continue;  // the consumer's leader may be moving too
    for (auto message : batch.value) {
      const auto id = message.headers().get(nats::msgIdHeader);
      REQUIRE(id);
      ++seen[std::string(*id)];
      ++consumed;
      message.ack();
    }
  }
  CHECK(consumed == count);
  CHECK(seen.size() == static_cast<std::size_t>(count));
  int doubled = 0;
  for (const auto& [id, times] : seen)
    doubled += times > 1 ? 1 : 0;
  CHECK(doubled == 0);
  for (int i = 0; i < count; ++i)
    CHECK(seen.count("order-" + std::to_string(i)) == 1);

  const auto elapsed = std::chrono::steady_clock::now() - started;
  WARN("cluster: " << count << " publishes acked, " << retries << " retried, " << duplicates
                   << " acked as duplicates, " << consumed << " consumed, in "
                   << std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count()
                   << " ms");
  nc->close();
  drain(io, 200ms);
}
