// SPDX-License-Identifier: Apache-2.0
// Decoding a capture (docs/performance.md, "Captures"): the market data replay
// example's feed, recorded once, then read three ways: libpcap and the
// header parsing alone, the whole replay from the file (read, split with the
// cme-mdp3 framing, decode, order books), and the replay of packets already in
// memory (split, decode, books: wirekit's part). Items are messages, except
// for the read alone (packets).

#include <benchmark/benchmark.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <unistd.h>

#include "benchmark_main.hpp"
#include "market_data_replay.hpp"
#include "wirekit/transport/pcap_reader.hpp"

namespace {

// The bench's capture: 20000 packets, about 40000 messages.
constexpr demo::md::FeedOptions feed{.packets = 20000, .seed = 1};

const std::string& capturePath() {
  static const std::string path = [] {
    std::string file = (std::filesystem::temp_directory_path() /
                        ("wirekit-bench-feed-" + std::to_string(::getpid()) + ".pcap"))
                           .string();
    static_cast<void>(demo::md::writeFeed(file, feed));
    std::atexit([] { std::filesystem::remove(capturePath()); });
    return file;
  }();
  return path;
}

void readCapture(benchmark::State& state) {
  std::uint64_t packets = 0;
  for (auto _ : state) {
    wirekit::PcapFileReader capture(capturePath());
    while (std::optional<wirekit::Packet> packet = capture.next()) {
      benchmark::DoNotOptimize(packet->payload.data());
      ++packets;
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(packets));
}
BENCHMARK(readCapture)->Unit(benchmark::kMillisecond);

void replayFile(benchmark::State& state) {
  std::uint64_t messages = 0;
  for (auto _ : state) {
    const demo::md::ReplayResult result = demo::md::replay(capturePath());
    messages += result.counts.messages();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(messages));
}
BENCHMARK(replayFile)->Unit(benchmark::kMillisecond);

void replayInMemory(benchmark::State& state) {
  std::vector<wirekit::Packet> packets;
  wirekit::PcapFileReader capture(capturePath());
  while (std::optional<wirekit::Packet> packet = capture.next())
    packets.push_back(*packet);
  std::uint64_t messages = 0;
  for (auto _ : state) {
    demo::md::Replayer replayer;
    for (const wirekit::Packet& packet : packets)
      replayer.packet(packet);
    messages += replayer.counts().messages();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(messages));
}
BENCHMARK(replayInMemory)->Unit(benchmark::kMillisecond);

}  // namespace

// wirekit_bench_pcap --write-capture FILE writes the bench's capture and
// exits, so that bench/pcap_replay can time tshark on the same file.
int main(int argc, char** argv) {
  if (argc == 3 && std::string_view(argv[1]) == "--write-capture") {
    static_cast<void>(demo::md::writeFeed(argv[2], feed));
    return 0;
  }
  return bench::runBenchmarks(argc, argv);
}
