// SPDX-License-Identifier: Apache-2.0
// wirekit_bench_codec: the codec benchmarks (Google Benchmark flags apply), or,
// with --count-instructions[=N], the loops for callgrind's instruction counts.
// Every case is checked first (harness.hpp); a failed check exits with status 1.

#include <benchmark/benchmark.h>
#include <fmt/core.h>

#include <exception>

#include "benchmark_main.hpp"
#include "harness.hpp"
#include "instruction_count.hpp"

int main(int argc, char** argv) {
  using namespace bench::harness;
  addHandwrittenCases();
  addWirekitCases();
  addProtobufCases();
  addFlatbuffersCases();
  addCapnprotoCases();
  try {
    verifyCodecCases();
  } catch (const std::exception& error) {
    fmt::print(stderr, "wirekit_bench_codec: {}\n", error.what());
    return 1;
  }

  if (const auto n = bench::countInstructionsOption(argc, argv, 10000)) {
    countInstructions(*n);
    return 0;
  }

  return bench::runBenchmarks(argc, argv);
}
