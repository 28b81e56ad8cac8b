// SPDX-License-Identifier: Apache-2.0
// file_round_trip: writes --count messages of every type of
// schemas/examples/trading.wk to a file as SOFH frames (gzipped on the fly
// with --gzip), reads the file back through a file stream, the frame decoder
// and a MessageStream, checks every message field by field against what was
// written, and prints how many round-tripped and how fast. Exits 1 on any
// mismatch, bad message or error.
//
//   file_round_trip [--count 100000] [--seed 1] [--gzip] [--file path]
//
// Without --file the log goes to a temporary file, removed at the end.

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>

#include <unistd.h>

#include <fmt/format.h>
#include <asio/io_context.hpp>

#include <wirekit/message/message_stream.hpp>
#include <wirekit/stream/finished.hpp>
#include <wirekit/stream/pipeline.hpp>
#include <wirekit/transport/file_read_stream.hpp>
#include <wirekit/transport/file_write_stream.hpp>
#include <wirekit/transport/gzip.hpp>

#include "command_line.hpp"
#include "trading_samples.hpp"

namespace trading = demo::trading;
using Messages = wirekit::MessageStream<trading::Schema>;
using Clock = std::chrono::steady_clock;

namespace {

struct Run {
  std::string path;
  bool gzip = false;
  std::uint64_t seed = 1;
  std::uint64_t total = 0;
  bool failed = false;

  void fail(const std::string& why) {
    if (!failed) fmt::print(stderr, "file_round_trip: {}\n", why);
    failed = true;
  }
};

// Writes run.total messages to the file; returns the framed bytes written.
std::uint64_t write(Run& run) {
  asio::io_context io;
  auto file = wirekit::createWriteStream(io, run.path);
  std::shared_ptr<wirekit::Writable> sink = file;
  auto done = [&](const std::exception_ptr& error) {
    if (error) run.fail(fmt::format("writing {}: {}", run.path, wirekit::errorMessage(error)));
  };
  if (run.gzip) {
    auto gzip = wirekit::createGzip(io);
    wirekit::pipeline({gzip, file}, done);
    sink = gzip;
  } else {
    wirekit::finished(file, done);
  }
  // A MessageStream that only sends: nothing is read from the file here.
  auto messages = std::make_shared<Messages>(nullptr, sink);
  messages->on(wirekit::events::error, [](const std::exception_ptr&) {});  // reported by done
  trading_samples::Samples samples(run.seed);
  auto sendMore = [&] {
    while (samples.index() < run.total) {
      if (!samples.sendNext(*messages)) return;  // the rest on 'drain'
    }
    messages->end();
  };
  messages->on(wirekit::events::drain, sendMore);
  sendMore();
  io.run();
  return messages->sentBytes();
}

// Reads the file back and checks every message; returns how many came back.
std::uint64_t read(Run& run) {
  asio::io_context io;
  auto file = wirekit::createReadStream(io, run.path);
  std::shared_ptr<wirekit::Readable> source = file;
  if (run.gzip) {
    auto gunzip = wirekit::createGunzip(io);
    wirekit::pipeline({file, gunzip}, [](const std::exception_ptr&) {});  // errors reach messages
    source = gunzip;
  }
  // A MessageStream that only receives.
  auto messages = std::make_shared<Messages>(source, nullptr);
  trading_samples::Samples expected(run.seed);
  std::uint64_t mismatches = 0;
  auto check = [&](const auto& message) {
    if (std::string difference = expected.check(message); !difference.empty()) {
      if (++mismatches <= 10) run.fail(fmt::format("mismatch: {}", difference));
    }
  };
  messages->on<trading::NewOrder>(check);
  messages->on<trading::ExecutionReport>(check);
  messages->on<trading::MarketDataIncremental>(check);
  messages->on<trading::Heartbeat>(check);
  messages->on(wirekit::events::badMessage, [&](const wirekit::MessageError& error) {
    run.fail(fmt::format("bad message: {}", error.what()));
  });
  messages->on(wirekit::events::error, [&](const std::exception_ptr& error) {
    run.fail(fmt::format("reading {}: {}", run.path, wirekit::errorMessage(error)));
  });
  io.run();
  if (mismatches > 0 || expected.index() != run.total) {
    run.fail(fmt::format("{} of {} messages read back, {} differed from what was written",
                         expected.index(), run.total, mismatches));
  }
  return expected.index();
}

}  // namespace

int main(int argc, char** argv) {
  const trading_samples::CommandLine options(
      argc, argv, "file_round_trip [--count 100000] [--seed 1] [--gzip] [--file path]",
      {"count", "seed", "file"}, {"gzip"});
  Run run;
  run.gzip = options.has("gzip");
  run.seed = options.number("seed", 1);
  const std::uint64_t count = options.number("count", 100000, UINT64_MAX / 4);
  run.total = count * trading_samples::Samples::typeCount;
  const bool temporary = !options.has("file");
  run.path = options.text(
      "file", (std::filesystem::temp_directory_path() /
               fmt::format("file_round_trip-{}.wklog{}", getpid(), run.gzip ? ".gz" : ""))
                  .string());

  fmt::print("file_round_trip: writing {} messages of each of {} types (seed {}) to {}{}\n", count,
             trading_samples::Samples::typeCount, run.seed, run.path, run.gzip ? ", gzipped" : "");
  const Clock::time_point start = Clock::now();
  const std::uint64_t bytes = write(run);
  const Clock::time_point written = Clock::now();
  std::error_code ignored;
  const std::uintmax_t onDisk = std::filesystem::file_size(run.path, ignored);
  if (!run.failed) {
    fmt::print("file_round_trip: wrote {}; {:.1f} MB in the file\n",
               trading_samples::throughput(run.total, bytes, written - start),
               static_cast<double>(onDisk) / 1e6);
  }
  std::uint64_t readBack = 0;
  if (!run.failed) readBack = read(run);
  const Clock::time_point finish = Clock::now();
  if (temporary) std::filesystem::remove(run.path, ignored);

  if (run.failed) {
    fmt::print("file_round_trip: FAILED\n");
    return 1;
  }
  fmt::print("file_round_trip: read back {} of {} messages, every field as written\n", readBack,
             run.total);
  fmt::print("file_round_trip: read {}\n",
             trading_samples::throughput(readBack, bytes, finish - written));
  return 0;
}
