// wirekit_bench_streams: the stream benchmarks (Google Benchmark flags apply),
// or, with --count-instructions[=CHUNKS], the MessageStream's loops for
// callgrind's instruction counts:
//
//   valgrind --tool=callgrind --instr-atstart=no wirekit_bench_streams --count-instructions
//
// dumps, for each case, the costs of n and then 2n messages as "<case> <n>"
// (n: CHUNKS 64 KiB chunks' worth, 64 by default); their difference divided
// by n is the instructions per message, free of set-up costs. Without
// valgrind it only runs the loops.

#include <benchmark/benchmark.h>
#include <valgrind/callgrind.h>

#include <cstdlib>
#include <string>
#include <string_view>

#include "message_cost.hpp"

int main(int argc, char** argv) {
  constexpr std::string_view countOption = "--count-instructions";
  if (argc >= 2 && std::string_view(argv[1]).starts_with(countOption)) {
    const std::string_view value = std::string_view(argv[1]).substr(countOption.size());
    const std::size_t chunks =
        value.starts_with('=') ? std::stoul(std::string(value.substr(1))) : 64;
    bench::streams::countMessageInstructions(
        chunks,
        [](const std::string& name, std::size_t n, const std::function<void(std::size_t)>& loop) {
          loop(n);  // warm up: first touches, allocations that are reused later
          for (std::size_t messages : {n, 2 * n}) {
            const std::string label = name + " " + std::to_string(messages);
            CALLGRIND_START_INSTRUMENTATION;
            CALLGRIND_ZERO_STATS;
            loop(messages);
            CALLGRIND_DUMP_STATS_AT(label.c_str());
            CALLGRIND_STOP_INSTRUMENTATION;
          }
        });
    return 0;
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
