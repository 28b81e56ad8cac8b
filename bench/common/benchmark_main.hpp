// SPDX-License-Identifier: Apache-2.0
#pragma once
// The end of each benchmark binary's main(), once its own options are handled:
// Google Benchmark's arguments, the run, exit 1 on an argument it does not know.

#include <benchmark/benchmark.h>

namespace bench {

inline int runBenchmarks(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

}  // namespace bench
