// SPDX-License-Identifier: Apache-2.0
#pragma once
// The examples' command lines: "--name value" options and "--flag" switches,
// each from a list the program gives; anything else is a usage error.

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace trading_samples {

class CommandLine {
 public:
  // Exits with status 2 and usage on stderr for an option not in options or
  // switches, or an option without its value.
  CommandLine(int argc, char** argv, std::string_view usage,
              std::initializer_list<std::string_view> options,
              std::initializer_list<std::string_view> switches = {})
      : usage_(usage) {
    for (int i = 1; i < argc; ++i) {
      const std::string_view argument = argv[i];
      const std::string_view name = argument.substr(argument.starts_with("--") ? 2 : 0);
      if (argument.starts_with("--") && contains(switches, name)) {
        values_[std::string(name)] = "";
      } else if (argument.starts_with("--") && contains(options, name) && i + 1 < argc) {
        values_[std::string(name)] = argv[++i];
      } else {
        fail(fmt::format("unexpected argument '{}'", argument));
      }
    }
  }

  [[nodiscard]] bool has(const std::string& name) const { return values_.contains(name); }
  [[nodiscard]] std::string text(const std::string& name, const std::string& fallback) const {
    const auto found = values_.find(name);
    return found == values_.end() ? fallback : found->second;
  }
  // An unsigned number no larger than maximum; exits with usage otherwise.
  [[nodiscard]] std::uint64_t number(const std::string& name, std::uint64_t fallback,
                                     std::uint64_t maximum = UINT64_MAX) const {
    const auto found = values_.find(name);
    if (found == values_.end()) return fallback;
    const std::string& value = found->second;
    std::uint64_t result = 0;
    const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), result);
    if (error != std::errc() || end != value.data() + value.size() || result > maximum) {
      fail(fmt::format("--{} takes a number up to {}, not '{}'", name, maximum, value));
    }
    return result;
  }

  [[noreturn]] void fail(const std::string& message) const {
    fmt::print(stderr, "{}\nusage: {}\n", message, usage_);
    std::exit(2);
  }

 private:
  static bool contains(std::initializer_list<std::string_view> names, std::string_view name) {
    for (std::string_view candidate : names) {
      if (candidate == name) return true;
    }
    return false;
  }

  std::string_view usage_;
  std::map<std::string, std::string, std::less<>> values_;
};

}  // namespace trading_samples
