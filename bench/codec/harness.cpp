// SPDX-License-Identifier: Apache-2.0
#include "harness.hpp"

#include <algorithm>
#include <cstring>
#include <map>
#include <stdexcept>
#include <string>

#include "instruction_count.hpp"

namespace bench::harness {

AlignedBytes::AlignedBytes(std::span<const std::byte> bytes) : AlignedBytes(bytes.size()) {
  std::copy(bytes.begin(), bytes.end(), data());
}

std::vector<CodecCase>& codecCases() {
  static std::vector<CodecCase> cases;
  return cases;
}

void verifyCodecCases() {
  // The wire bytes of the contenders that share wirekit's format, per message.
  std::map<std::string, std::map<std::string, std::vector<std::byte>>> sameFormat;
  for (const CodecCase& entry : codecCases()) {
    const std::string name = "codec/" + entry.message + "/" + entry.contender;
    const Verification result = entry.verify();
    if (result.checksum != result.expected) {
      throw std::runtime_error(name + ": decoding its own message gives checksum " +
                               std::to_string(result.checksum) + ", expected " +
                               std::to_string(result.expected));
    }
    if (entry.contender == "wirekit" || entry.contender == "handwritten") {
      sameFormat[entry.message][entry.contender] = result.wire;
    }
  }
  for (const auto& [message, wires] : sameFormat) {
    if (wires.size() < 2) continue;
    const std::vector<std::byte>& ours = wires.at("wirekit");
    const std::vector<std::byte>& theirs = wires.at("handwritten");
    if (ours != theirs) {
      const auto mismatch = std::mismatch(ours.begin(), ours.end(), theirs.begin(), theirs.end());
      throw std::runtime_error("codec/" + message +
                               ": wirekit and the hand-written baseline write different bytes "
                               "(lengths " +
                               std::to_string(ours.size()) + " and " +
                               std::to_string(theirs.size()) + ", first difference at byte " +
                               std::to_string(mismatch.first - ours.begin()) + ")");
    }
  }
}

namespace {

void emptyLoop(std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    std::size_t value = i;
    benchmark::DoNotOptimize(value);
    benchmark::ClobberMemory();
  }
}

}  // namespace

void countInstructions(std::size_t n) {
  bench::countInstructions("empty", n, emptyLoop);
  for (const CodecCase& entry : codecCases()) {
    const std::string prefix = "codec/" + entry.message + "/" + entry.contender + "/";
    bench::countInstructions(prefix + "encode", n, entry.encodeLoop);
    bench::countInstructions(prefix + "decode", n, entry.decodeLoop);
  }
}

}  // namespace bench::harness
