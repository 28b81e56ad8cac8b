// SPDX-License-Identifier: Apache-2.0
#pragma once
// How a codec case is measured. A case is one contender coding one message:
//
//   struct SomeCase {
//     const Input& input() const;               // the values it encodes
//     std::size_t encode();                     // encodes input() into its own buffer
//                                               // and returns the wire length
//     std::vector<std::byte> wire() const;      // the last encoded message, contiguous
//     std::uint64_t decode(std::span<std::byte> message);  // reads every field into a
//                                                          // Checksum and returns it
//   };
//
// Each case becomes two Google Benchmark benchmarks, codec/<message>/<contender>/
// {encode,decode}, and two loops that the instruction counter (callgrind) runs.
// Before anything is measured, verifyCodecCases() decodes every case's own
// output to expectedChecksum(input()), and checks that the contenders that
// share wirekit's wire format (the hand-written baseline) write identical bytes.

#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "messages.hpp"

namespace bench::harness {

// Bytes aligned to 8, as Cap'n Proto's FlatArrayMessageReader requires; every
// contender decodes from such a buffer.
class AlignedBytes {
 public:
  explicit AlignedBytes(std::size_t size)
      : words_(std::make_unique<std::uint64_t[]>((size + 7) / 8)), size_(size) {}
  explicit AlignedBytes(std::span<const std::byte> bytes);

  [[nodiscard]] std::byte* data() const noexcept {
    return reinterpret_cast<std::byte*>(words_.get());
  }
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] std::span<std::byte> span() const noexcept { return {data(), size_}; }

 private:
  std::unique_ptr<std::uint64_t[]> words_;
  std::size_t size_;
};

// Room for the largest message any contender writes.
inline constexpr std::size_t maxMessageSize = 4096;

// What verifyCase() found: the case's own message and what decoding it gave.
struct Verification {
  std::vector<std::byte> wire;
  std::uint64_t checksum;
  std::uint64_t expected;
};

struct CodecCase {
  std::string message;
  std::string contender;
  // Runs a loop of n encodes or decodes, for the instruction counter.
  void (*encodeLoop)(std::size_t n);
  void (*decodeLoop)(std::size_t n);
  Verification (*verify)();
};

[[nodiscard]] std::vector<CodecCase>& codecCases();

// Keeps a value computed (a decoder's checksum, an encoder's length): after
// benchmark::DoNotOptimize, whose "+m,r" operand lets GCC hand over memory the
// value was never stored to (a one-field message's field was then never read;
// an encoder's constant length came back as whatever that memory held), the
// value goes to the asm in a register.
inline void keepComputed(std::uint64_t& value) {
  benchmark::DoNotOptimize(value);
  asm volatile("" : : "r"(value) : "memory");
}

// The loops that are measured: n encodes (or decodes) of one case in a
// function that is not inlined, with everything it calls that the compiler can
// inline inlined (flatten), the same for every contender. Google Benchmark
// times batches of them and callgrind counts them, so the timed and the
// counted machine code are the same, no contender pays a call per message, and
// whether the inliner happens to take a case's code into the loop does not
// enter the ratios.
inline constexpr std::size_t batchSize = 64;

template <class Case>
[[gnu::noinline, gnu::flatten]] std::size_t encodeBatch(Case& subject, std::size_t n) {
  std::size_t length = 0;
  for (std::size_t i = 0; i < n; ++i) {
    length = subject.encode();
    keepComputed(length);
  }
  return length;
}

template <class Case>
[[gnu::noinline, gnu::flatten]] void decodeBatch(Case& subject, std::span<std::byte> message,
                                                 std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    std::uint64_t checksum = subject.decode(message);
    keepComputed(checksum);
  }
}

template <class Case>
void benchEncode(benchmark::State& state) {
  Case subject;
  // Escapes the case, so its buffer and input stay memory that every
  // keepComputed() (a memory clobber) may have read and changed: each
  // iteration writes the whole message and reloads the values it encodes.
  benchmark::DoNotOptimize(subject);
  std::size_t length = 0;
  while (state.KeepRunningBatch(batchSize)) {
    length = encodeBatch(subject, batchSize);
  }
  state.counters["wire_bytes"] = static_cast<double>(length);
}

template <class Case>
void benchDecode(benchmark::State& state) {
  Case subject;
  subject.encode();
  const AlignedBytes message(subject.wire());
  benchmark::DoNotOptimize(subject);
  benchmark::DoNotOptimize(message);
  while (state.KeepRunningBatch(batchSize)) {
    decodeBatch(subject, message.span(), batchSize);
  }
  state.counters["wire_bytes"] = static_cast<double>(message.size());
}

template <class Case>
void encodeLoop(std::size_t n) {
  Case subject;
  benchmark::DoNotOptimize(subject);
  encodeBatch(subject, n);
}

template <class Case>
void decodeLoop(std::size_t n) {
  Case subject;
  subject.encode();
  const AlignedBytes message(subject.wire());
  benchmark::DoNotOptimize(subject);
  benchmark::DoNotOptimize(message);
  decodeBatch(subject, message.span(), n);
}

template <class Case>
Verification verifyCase() {
  Case subject;
  subject.encode();
  Verification result{subject.wire(), 0, expectedChecksum(subject.input())};
  const AlignedBytes message(result.wire);
  result.checksum = subject.decode(message.span());
  return result;
}

// Registers codec/<message>/<contender>/{encode,decode}.
template <class Case>
void addCodecCase(const std::string& message, const std::string& contender) {
  const std::string prefix = "codec/" + message + "/" + contender + "/";
  benchmark::RegisterBenchmark((prefix + "encode").c_str(), &benchEncode<Case>);
  benchmark::RegisterBenchmark((prefix + "decode").c_str(), &benchDecode<Case>);
  codecCases().push_back(
      {message, contender, &encodeLoop<Case>, &decodeLoop<Case>, &verifyCase<Case>});
}

// Runs every case's check (see the top of this file); throws on the first failure.
void verifyCodecCases();

// For callgrind (valgrind --tool=callgrind --instr-atstart=no): runs each
// case's loops with instrumentation on, n and then 2n iterations, and dumps the
// costs of each run as "<name> <iterations>" (name codec/<message>/<contender>/
// <op>, or "empty" for a loop that does nothing). The difference between the
// two runs of a loop, less that of the empty loop, divided by n, is the
// instructions per operation, free of set-up costs. Without valgrind it only
// runs the loops.
void countInstructions(std::size_t n);

// Registration, one function per contender (in its own translation unit).
void addHandwrittenCases();
void addWirekitCases();
void addProtobufCases();
void addFlatbuffersCases();
void addCapnprotoCases();

}  // namespace bench::harness
