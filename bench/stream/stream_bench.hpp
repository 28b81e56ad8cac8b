// SPDX-License-Identifier: Apache-2.0
#pragma once
// What the stream benchmarks share: batch sizes and the counters they report.
//
// Every benchmark moves a batch of frames per iteration and reports
// messages_per_second (frames per second of wall time) and bytes_per_second;
// TCP benchmarks time from the first write to the receiver holding the last
// byte. Names: tcp/<contender>/<frame size>, file_write/<contender>/<frame
// size>, file_read/<contender>/<frame size>.

#include <benchmark/benchmark.h>

#include <cstddef>

#include "frames.hpp"

namespace bench::streams {

// About this many bytes per TCP iteration, and at least this many frames.
inline constexpr std::size_t tcpBatchBytes = std::size_t{16} << 20;
inline constexpr std::size_t tcpMinimumFrames = 4096;
// The bytes of each file iteration.
inline constexpr std::size_t fileBatchBytes = std::size_t{64} << 20;
// The frame sizes of the file benchmarks.
inline constexpr std::size_t fileFrameSizes[] = {64, 1024, 16384};
// The raw baselines' large writes and reads.
inline constexpr std::size_t rawChunkSize = 64 * 1024;

// Registers a benchmark for each TCP frame size, or each file frame size, timed
// by the wall clock.
inline void tcpSizes(benchmark::internal::Benchmark* benchmark) {
  for (std::size_t size : tcpFrameSizes)
    benchmark->Arg(static_cast<std::int64_t>(size));
  benchmark->UseRealTime()->Unit(benchmark::kMillisecond);
}
inline void fileSizes(benchmark::internal::Benchmark* benchmark) {
  for (std::size_t size : fileFrameSizes)
    benchmark->Arg(static_cast<std::int64_t>(size));
  benchmark->UseRealTime()->Unit(benchmark::kMillisecond);
}

inline void setThroughput(benchmark::State& state, std::size_t framesPerIteration,
                          std::size_t frameSize) {
  state.counters["messages_per_second"] = benchmark::Counter(
      static_cast<double>(framesPerIteration), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["bytes_per_second"] =
      benchmark::Counter(static_cast<double>(framesPerIteration * frameSize),
                         benchmark::Counter::kIsIterationInvariantRate);
  state.counters["frame_bytes"] = static_cast<double>(frameSize);
}

}  // namespace bench::streams
