// SPDX-License-Identifier: Apache-2.0
// The C++ half of the cross-check against the `wirekit` CLI (crosscheck.py):
// decodes each input record with the generated code of one schema and prints
//   ok <encodedLength> <reencoded bytes in hex> <fmt::format("{}", decoder)>
// or
//   error <DecodeError text>
// where the re-encoded bytes come from copying the decoded message through the
// generated encoder API into a buffer of stale bytes (0xAA), none of which may
// show through. Records: a u32 little-endian length, then the bytes.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>
#include <iterator>
#include <map>
#include <string>
#include <variant>
#include <vector>

#include <fmt/format.h>

#include "car.wk.transcode.hpp"
#include "chat.wk.transcode.hpp"
#include "custom_header.wk.transcode.hpp"
#include "kinds.wk.transcode.hpp"
#include "md_incremental.xml.transcode.hpp"
#include "order_entry_be.xml.transcode.hpp"
#include "rc2_minimal.xml.transcode.hpp"
#include "telemetry.wk.transcode.hpp"
#include "trading.wk.transcode.hpp"
#include "versioned_v1.wk.transcode.hpp"
#include "versioned_v2.wk.transcode.hpp"
#include "wide.wk.transcode.hpp"

namespace {

using Runner = std::function<std::string(wirekit::DataView)>;

std::string hex(const std::byte* data, std::size_t size) {
  std::string out;
  for (std::size_t i = 0; i < size; ++i)
    fmt::format_to(std::back_inserter(out), "{:02x}", std::to_integer<unsigned>(data[i]));
  return out;
}

#define WIREKIT_CROSSCHECK(file, ns)                                                             \
  {                                                                                              \
    file, [](wirekit::DataView view) {                                                           \
      const auto message = ns::decode(view);                                                     \
      return std::visit(                                                                         \
          [](const auto& decoder) {                                                              \
            using namespace ns::transcode;                                                       \
            /* Stale bytes, which must not show through the copy. */                             \
            wirekit::ArrayBuffer copy(decoder.encodedLength() + 64);                             \
            std::fill_n(copy.data(), copy.byteLength(), std::byte{0xAA});                        \
            const std::size_t length = reencode(decoder, wirekit::DataView(copy));               \
            return fmt::format("ok {} {} {}", decoder.encodedLength(), hex(copy.data(), length), \
                               decoder);                                                         \
          },                                                                                     \
          message);                                                                              \
    }                                                                                            \
  }

const std::map<std::string, Runner> runners = {
    WIREKIT_CROSSCHECK("car.wk", ::baseline),
    WIREKIT_CROSSCHECK("chat.wk", ::demo::chat),
    WIREKIT_CROSSCHECK("custom_header.wk", ::wktest::custom),
    WIREKIT_CROSSCHECK("kinds.wk", ::wktest::kinds),
    WIREKIT_CROSSCHECK("md_incremental.xml", ::wktest::sbe::md),
    WIREKIT_CROSSCHECK("order_entry_be.xml", ::wktest::sbe::oe),
    WIREKIT_CROSSCHECK("rc2_minimal.xml", ::wktest::sbe::rc2),
    WIREKIT_CROSSCHECK("telemetry.wk", ::demo::telemetry),
    WIREKIT_CROSSCHECK("trading.wk", ::demo::trading),
    WIREKIT_CROSSCHECK("versioned_v1.wk", ::wktest::v1),
    WIREKIT_CROSSCHECK("versioned_v2.wk", ::wktest::v2),
    WIREKIT_CROSSCHECK("wide.wk", ::wktest::wide),
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: codec_crosscheck SCHEMA_FILE_NAME RECORDS\n";
    return 2;
  }
  const auto runner = runners.find(argv[1]);
  if (runner == runners.end()) {
    std::cerr << "codec_crosscheck: no generated code for " << argv[1]
              << " (add it to crosscheck_main.cpp)\n";
    return 2;
  }
  std::ifstream in(argv[2], std::ios::binary);
  const std::vector<char> input((std::istreambuf_iterator<char>(in)),
                                std::istreambuf_iterator<char>());
  std::size_t pos = 0;
  while (pos + 4 <= input.size()) {
    const std::size_t length =
        static_cast<unsigned char>(input[pos]) |
        static_cast<std::size_t>(static_cast<unsigned char>(input[pos + 1])) << 8 |
        static_cast<std::size_t>(static_cast<unsigned char>(input[pos + 2])) << 16 |
        static_cast<std::size_t>(static_cast<unsigned char>(input[pos + 3])) << 24;
    pos += 4;
    // Each record in a buffer of its own, exactly its size, so that ASan sees any
    // read past its end.
    wirekit::ArrayBuffer record(length);
    std::copy(input.begin() + static_cast<std::ptrdiff_t>(pos),
              input.begin() + static_cast<std::ptrdiff_t>(pos + length),
              reinterpret_cast<char*>(record.data()));
    pos += length;
    try {
      std::cout << runner->second(wirekit::DataView(record)) << '\n';
    } catch (const wirekit::DecodeError& error) {
      std::cout << "error " << error.what() << '\n';
    }
  }
  return 0;
}
