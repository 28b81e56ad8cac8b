// SPDX-License-Identifier: Apache-2.0
// wirekit_bench_jetstream: how many acknowledged publishes a second JetStream
// takes through wirekit's client, against core NATS publishes on the same
// connection (issue 17; docs/scale.md "JetStream").
//
//   wirekit_bench_jetstream --server 127.0.0.1:4222 [--count 20000]
//
// The server must run with JetStream (nats-server -js -sd <dir>). For each
// payload size (64 B, 1 KiB) and each storage (memory, file), a fresh stream:
//   core        Client::publish of every message on the stream's subject, then
//               one flush: stored, but nothing acknowledged (the ceiling)
//   js_sync     JetStream::publish, the next one after each PubAck (a round
//               trip per message)
//   js_window   JetStream::publish with up to --window PubAcks outstanding
//   js_window_id  the same with a Nats-Msg-Id each (the stream deduplicates)
// Output: a table of messages per second and the ratio to core.

#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <asio/io_context.hpp>

#include "command_line.hpp"
#include "wirekit/error.hpp"
#include "wirekit/transport/nats/client.hpp"
#include "wirekit/transport/nats/jetstream.hpp"

namespace nats = wirekit::nats;
using namespace std::chrono_literals;

namespace {

// Runs io until done() or a minute passes (an error, not a result).
void runUntil(asio::io_context& io, const std::function<bool()>& done) {
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  io.restart();
  while (!done() && std::chrono::steady_clock::now() < deadline)
    io.run_one_for(100ms);
  if (!done()) throw std::runtime_error("wirekit_bench_jetstream: no answer within 60 s");
}

void check(const std::exception_ptr& error) {
  if (error) std::rethrow_exception(error);
}

// A fresh stream named name on subject.
void freshStream(asio::io_context& io, nats::JetStream& js, const std::string& name,
                 const std::string& subject, nats::StorageType storage) {
  bool deleted = false;
  js.deleteStream(name, [&](const std::exception_ptr&) { deleted = true; });
  runUntil(io, [&] { return deleted; });
  bool created = false;
  js.addStream({.name = name, .subjects = {subject}, .storage = storage},
               [&](const std::exception_ptr& error, const nats::StreamInfo&) {
                 check(error);
                 created = true;
               });
  runUntil(io, [&] { return created; });
}

// Seconds for count JetStream publishes, at most window without their PubAck.
double timePublishes(asio::io_context& io, nats::JetStream& js, const std::string& subject,
                     const wirekit::Buffer& payload, int count, int window, bool withIds) {
  int sent = 0;
  int acked = 0;
  std::function<void()> send = [&] {
    const int i = sent++;
    js.publish(subject, payload,
               [&](const std::exception_ptr& error, const nats::PubAck&) {
                 check(error);
                 ++acked;
                 if (sent < count) send();
               },
               {.msgId = withIds ? fmt::format("m-{}", i) : std::string()});
  };
  const auto start = std::chrono::steady_clock::now();
  while (sent < window && sent < count)
    send();
  runUntil(io, [&] { return acked == count; });
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

double timeCore(asio::io_context& io, nats::Client& nc, const std::string& subject,
                const wirekit::Buffer& payload, int count) {
  const auto start = std::chrono::steady_clock::now();
  bool flushed = false;
  bool flushing = false;
  int sent = 0;
  // Publish while the socket takes it at once; after a false, 'drain' goes on.
  std::function<void()> pump = [&] {
    while (sent < count) {
      ++sent;
      if (!nc.publish(subject, payload)) return;
    }
    if (flushing) return;
    flushing = true;
    nc.flush([&](const std::exception_ptr& error) {
      check(error);
      flushed = true;
    });
  };
  nc.on(wirekit::events::drain, [&] { pump(); });
  pump();
  runUntil(io, [&] { return flushed; });
  nc.removeAllListeners(wirekit::events::drain);
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  const trading_samples::CommandLine options(
      argc, argv, "wirekit_bench_jetstream --server host:port [--count N] [--window N]",
      {"server", "count", "window"});
  if (!options.has("server")) options.fail("--server is required");
  const auto count = static_cast<int>(options.number("count", 20'000, 10'000'000));
  const auto window = static_cast<int>(options.number("window", 256, 100'000));

  asio::io_context io;
  bool open = false;
  auto nc = nats::connect(io, {.servers = {options.text("server", "")}}, [&] { open = true; });
  runUntil(io, [&] { return open; });
  nats::JetStream js(io, nc, {.timeout = 10s});

  fmt::print("{:<13} {:>7} {:>6} {:>10} {:>12} {:>8}\n", "contender", "storage", "size", "messages",
             "messages/s", "vs core");
  for (const std::size_t size : {std::size_t{64}, std::size_t{1024}}) {
    const auto payload = wirekit::Buffer::from(std::string(size, 'x'));
    for (const auto storage : {nats::StorageType::memory, nats::StorageType::file}) {
      const std::string kind = storage == nats::StorageType::memory ? "memory" : "file";
      const std::string subject = "bench." + kind;
      freshStream(io, js, "BENCH", subject, storage);
      const double core = count / timeCore(io, *nc, subject, payload, count);
      struct Row {
        const char* name;
        int count;
        int window;
        bool ids;
      };
      fmt::print("{:<13} {:>7} {:>6} {:>10} {:>12.0f} {:>8}\n", "core", kind, size, count, core,
                 "1.00");
      for (const Row row :
           {Row{"js_sync", count / 10, 1, false}, Row{"js_window", count, window, false},
            Row{"js_window_id", count, window, true}}) {
        freshStream(io, js, "BENCH", subject, storage);
        const double rate =
            row.count / timePublishes(io, js, subject, payload, row.count, row.window, row.ids);
        fmt::print("{:<13} {:>7} {:>6} {:>10} {:>12.0f} {:>8.2f}\n", row.name, kind, size,
                   row.count, rate, rate / core);
      }
    }
  }
  bool deleted = false;
  js.deleteStream("BENCH", [&](const std::exception_ptr&) { deleted = true; });
  runUntil(io, [&] { return deleted; });
  nc->close();
  return 0;
}
