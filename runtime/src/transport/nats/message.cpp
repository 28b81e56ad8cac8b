// SPDX-License-Identifier: Apache-2.0
#include "wirekit/transport/nats/message.hpp"

#include <algorithm>
#include <charconv>
#include <string>
#include <string_view>
#include <utility>

#include "wirekit/error.hpp"
#include "wirekit/transport/nats/error.hpp"

namespace wirekit::nats {

namespace {

constexpr std::string_view version = "NATS/1.0";
using detail::crlf;

bool validKey(std::string_view key) {
  return !key.empty() && std::none_of(key.begin(), key.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return c == ':' || byte <= ' ' || byte == 0x7f;
  });
}

bool validValue(std::string_view value) {
  return value.find_first_of("\r\n") == std::string_view::npos;
}

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

}  // namespace

Headers& Headers::append(std::string key, std::string value) {
  if (!validKey(key))
    throw TypeError("NATS header key '" + key +
                    "' is empty or holds ':', whitespace or control characters");
  if (!validValue(value)) throw TypeError("NATS header '" + key + "': value holds CR or LF");
  entries_.emplace_back(std::move(key), std::move(value));
  return *this;
}

Headers& Headers::set(const std::string& key, std::string value) {
  std::erase_if(entries_, [&](const auto& entry) { return entry.first == key; });
  return append(key, std::move(value));
}

std::optional<std::string_view> Headers::get(std::string_view key) const {
  for (const auto& [name, value] : entries_)
    if (name == key) return value;
  return std::nullopt;
}

std::string Headers::encode() const {
  std::string block(version);
  block += crlf;
  for (const auto& [key, value] : entries_) {
    block += key;
    block += ": ";
    block += value;
    block += crlf;
  }
  block += crlf;
  return block;
}

Headers Headers::parse(std::string_view block, std::uint64_t offset) {
  const auto fail = [offset](const std::string& why) -> NatsProtocolError {
    return {"HMSG header block: " + why, offset};
  };
  if (block.size() < crlf.size() * 2 || block.substr(block.size() - 4) != "\r\n\r\n")
    throw fail("does not end with an empty line");
  Headers headers;
  std::size_t lineEnd = block.find(crlf);
  std::string_view first = block.substr(0, lineEnd);
  if (first.substr(0, version.size()) != version) throw fail("does not start with NATS/1.0");
  std::string_view status = trim(first.substr(version.size()));
  if (!status.empty()) {
    const std::string_view code = status.substr(0, status.find(' '));
    int value = 0;
    const auto [end, error] = std::from_chars(code.data(), code.data() + code.size(), value);
    if (code.size() != 3 || error != std::errc{} || end != code.data() + code.size())
      throw fail("status '" + std::string(code) + "' is not 3 digits");
    headers.status_ = value;
    headers.description_ = std::string(trim(status.substr(code.size())));
  }
  for (std::size_t begin = lineEnd + crlf.size(); begin < block.size() - crlf.size();) {
    lineEnd = block.find(crlf, begin);
    const std::string_view line = block.substr(begin, lineEnd - begin);
    begin = lineEnd + crlf.size();
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) throw fail("line without ':'");
    const std::string_view key = trim(line.substr(0, colon));
    if (!validKey(key)) throw fail("invalid key '" + std::string(key) + "'");
    headers.entries_.emplace_back(std::string(key), std::string(trim(line.substr(colon + 1))));
  }
  return headers;
}

}  // namespace wirekit::nats
