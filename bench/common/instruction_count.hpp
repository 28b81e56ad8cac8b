// SPDX-License-Identifier: Apache-2.0
#pragma once
// What both benchmark binaries do for callgrind's instruction counts: the
// --count-instructions[=N] option, and a loop run for n and 2n iterations
// between CALLGRIND_START/DUMP_STATS_AT, labelled "<name> <iterations>", so
// that the difference of the two dumps divided by n is the cost of one
// iteration, free of set-up costs (bench/report.py reads them).
//
//   valgrind --tool=callgrind --instr-atstart=no <binary> --count-instructions
//
// Without valgrind the loops only run.

#include <valgrind/callgrind.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace bench {

// N if the first argument is --count-instructions=N, defaultCount if it is
// --count-instructions, nothing otherwise (a benchmark run).
inline std::optional<std::size_t> countInstructionsOption(int argc, char** argv,
                                                          std::size_t defaultCount) {
  constexpr std::string_view option = "--count-instructions";
  if (argc < 2 || !std::string_view(argv[1]).starts_with(option)) return std::nullopt;
  const std::string_view value = std::string_view(argv[1]).substr(option.size());
  return value.starts_with('=') ? std::stoul(std::string(value.substr(1))) : defaultCount;
}

// Runs loop(n) once to warm up (lazy binding, first touches, allocations that
// are reused later), then dumps the costs of loop(n) and loop(2n).
template <class Loop>
void countInstructions(const std::string& name, std::size_t n, const Loop& loop) {
  loop(n);
  for (const std::size_t iterations : {n, 2 * n}) {
    const std::string label = name + " " + std::to_string(iterations);
    CALLGRIND_START_INSTRUMENTATION;
    CALLGRIND_ZERO_STATS;
    loop(iterations);
    CALLGRIND_DUMP_STATS_AT(label.c_str());
    CALLGRIND_STOP_INSTRUMENTATION;
  }
}

}  // namespace bench
