// SPDX-License-Identifier: Apache-2.0
// Records a capture of the example feed: generate_capture --out feed.pcap
// [--packets N] [--seed S] [--securities K] [--expected summary.txt]. The
// summary file is what a replay of the capture must print, from the books the
// generator kept while it made the updates. --messages FILE writes each
// message as a JSON line, {"seq":N,"message":M}, in `wirekit decode`'s form.

#include <cstdio>
#include <exception>
#include <fstream>
#include <stdexcept>

#include <fmt/format.h>

#include "command_line.hpp"
#include "market_data_replay.hpp"

int main(int argc, char** argv) {
  const trading_samples::CommandLine args(
      argc, argv,
      "generate_capture --out FILE [--packets N] [--seed S] [--securities K] [--expected FILE] "
      "[--messages FILE]",
      {"out", "packets", "seed", "securities", "expected", "messages"});
  if (!args.has("out")) args.fail("--out is required");
  demo::md::FeedOptions options;
  options.packets = args.number("packets", options.packets);
  options.seed = args.number("seed", options.seed);
  options.securities = static_cast<int>(args.number("securities", 3, 100));
  if (options.securities == 0) args.fail("--securities must be at least 1");
  try {
    std::ofstream messages;
    if (args.has("messages")) {
      messages.open(args.text("messages", ""));
      if (!messages) args.fail("--messages: cannot open " + args.text("messages", ""));
      options.messages = &messages;
    }
    const std::string summary = demo::md::writeFeed(args.text("out", ""), options);
    if (args.has("expected")) std::ofstream(args.text("expected", "")) << summary;
    if (messages.is_open() && !messages.flush()) {
      throw std::runtime_error("--messages: cannot write " + args.text("messages", ""));
    }
    fmt::print("wrote {} packets to {}\n", options.packets, args.text("out", ""));
  } catch (const std::exception& error) {
    fmt::print(stderr, "generate_capture: {}\n", error.what());
    return 1;
  }
  return 0;
}
