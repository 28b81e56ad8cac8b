// SPDX-License-Identifier: Apache-2.0
// wirekit_bench_streams: the stream benchmarks (Google Benchmark flags apply),
// or, with --count-instructions[=CHUNKS], the MessageStream's loops for
// callgrind's instruction counts (instruction_count.hpp), each over CHUNKS
// 64 KiB chunks' worth of messages (64 by default).

#include <benchmark/benchmark.h>

#include "benchmark_main.hpp"
#include "instruction_count.hpp"
#include "message_cost.hpp"

int main(int argc, char** argv) {
  if (const auto chunks = bench::countInstructionsOption(argc, argv, 64)) {
    bench::streams::countMessageInstructions(*chunks);
    return 0;
  }
  return bench::runBenchmarks(argc, argv);
}
