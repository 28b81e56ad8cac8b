// SPDX-License-Identifier: Apache-2.0
// Replays a capture of the example feed: replay --capture feed.pcap
// [--framing cme-mdp3] [--port 14310]. Prints the summary (counts, then each
// security's top of book and depth) and the rate in messages/s.

#include <cstdio>
#include <exception>

#include <fmt/format.h>

#include "command_line.hpp"
#include "market_data_replay.hpp"

int main(int argc, char** argv) {
  const trading_samples::CommandLine args(argc, argv,
                                          "replay --capture FILE [--framing NAME] [--port N]",
                                          {"capture", "framing", "port"});
  if (!args.has("capture")) args.fail("--capture is required");
  std::optional<std::uint16_t> port;
  if (args.has("port")) port = static_cast<std::uint16_t>(args.number("port", 0, 65535));
  try {
    const demo::md::ReplayResult result =
        demo::md::replay(args.text("capture", ""), args.text("framing", "cme-mdp3"), port);
    fmt::print("{}", demo::md::summary(result.counts, result.books));
    const double seconds = std::chrono::duration<double>(result.elapsed).count();
    fmt::print("rate: {:.0f} messages/s ({} messages in {:.6f} s)\n",
               seconds > 0 ? static_cast<double>(result.counts.messages()) / seconds : 0.0,
               result.counts.messages(), seconds);
  } catch (const std::exception& error) {
    fmt::print(stderr, "replay: {}\n", error.what());
    return 1;
  }
  return 0;
}
