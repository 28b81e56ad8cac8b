// wirekit_bench_codec: the codec benchmarks (Google Benchmark flags apply), or,
// with --count-instructions[=N], the loops for callgrind's instruction counts.
// Every case is checked first (harness.hpp); a failed check exits with status 1.

#include <benchmark/benchmark.h>
#include <fmt/core.h>

#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>

#include "harness.hpp"

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

  constexpr std::string_view countOption = "--count-instructions";
  if (argc >= 2 && std::string_view(argv[1]).starts_with(countOption)) {
    const std::string_view value = std::string_view(argv[1]).substr(countOption.size());
    const std::size_t n = value.starts_with('=') ? std::stoul(std::string(value.substr(1))) : 10000;
    countInstructions(n);
    return 0;
  }

  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
