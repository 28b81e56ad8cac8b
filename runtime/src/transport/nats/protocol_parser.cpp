// SPDX-License-Identifier: Apache-2.0
#include "wirekit/transport/nats/protocol_parser.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
#include <string>
#include <utility>

#include <fmt/format.h>

#include "wirekit/transport/nats/error.hpp"

namespace wirekit::nats {

namespace {

bool isSpace(char c) {
  return c == ' ' || c == '\t';
}

// The words of text, split at spaces and tabs; false if there are more than N.
template <std::size_t N>
bool split(std::string_view text, std::array<std::string_view, N>& words, std::size_t& count) {
  count = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && isSpace(text[i]))
      ++i;
    if (i == text.size()) break;
    const std::size_t begin = i;
    while (i < text.size() && !isSpace(text[i]))
      ++i;
    if (count == N) return false;
    words[count++] = text.substr(begin, i - begin);
  }
  return true;
}

bool equalsUpper(std::string_view word, std::string_view upper) {
  return word.size() == upper.size() &&
         std::equal(word.begin(), word.end(), upper.begin(), [](char a, char b) {
           return (a >= 'a' && a <= 'z' ? static_cast<char>(a - 'a' + 'A') : a) == b;
         });
}

// What a hostile line looks like in a message: at most 40 bytes, the
// unprintable ones escaped.
std::string excerpt(std::string_view text) {
  std::string shown;
  for (const char c : text.substr(0, 40)) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte >= 0x7f)
      shown += fmt::format("\\x{:02x}", byte);
    else
      shown += c;
  }
  if (text.size() > 40) shown += "...";
  return shown;
}

}  // namespace

ProtocolParser::ProtocolParser(ProtocolHandler& handler, ParserLimits limits)
    : handler_(handler), limits_(limits), maxPayload_(limits.maxPayload) {}

void ProtocolParser::setMaxPayload(std::size_t maxPayload) noexcept {
  maxPayload_ = std::min(maxPayload, limits_.maxPayload);
}

void ProtocolParser::reset() noexcept {
  state_ = State::line;
  failed_ = false;
  offset_ = 0;
  start_ = 0;
  line_.clear();
  payload_ = Buffer();
  maxPayload_ = limits_.maxPayload;
}

void ProtocolParser::fail(const std::string& message) const {
  throw NatsProtocolError(message, start_);
}

void ProtocolParser::feed(std::span<const std::byte> chunk) {
  if (failed_) throw NatsProtocolError("the parser failed before; reset() it", start_);
  const char* bytes = reinterpret_cast<const char*>(chunk.data());
  std::size_t i = 0;
  try {
    while (i < chunk.size()) {
      if (state_ == State::line) {
        const void* newline = std::memchr(bytes + i, '\n', chunk.size() - i);
        const std::size_t take =
            newline == nullptr ? chunk.size() - i : static_cast<const char*>(newline) - (bytes + i);
        if (line_.size() + take > limits_.maxControlLine)
          fail(fmt::format("control line '{}' is longer than maxControlLine ({} bytes)",
                           excerpt(line_ + std::string(bytes + i, std::min<std::size_t>(take, 40))),
                           limits_.maxControlLine));
        line_.append(bytes + i, take);
        i += take;
        offset_ += take;
        if (newline == nullptr) break;
        ++i;
        ++offset_;
        if (!line_.empty() && line_.back() == '\r') line_.pop_back();
        const std::string line = std::move(line_);
        line_.clear();
        controlLine(line);
      } else {
        const std::size_t bulk = std::min(size_ - std::min(filled_, size_), chunk.size() - i);
        if (bulk > 0) std::memcpy(payload_.data() + filled_, bytes + i, bulk);
        filled_ += bulk;
        i += bulk;
        offset_ += bulk;
        for (; i < chunk.size() && filled_ < size_ + 2; ++i, ++offset_, ++filled_)
          trailer_[filled_ - size_] = bytes[i];
        if (filled_ == size_ + 2) finishPayload();
      }
    }
  } catch (const NatsProtocolError&) {
    failed_ = true;
    throw;
  }
}

void ProtocolParser::finish() const {
  if (failed_) return;
  if (state_ == State::payload)
    fail(fmt::format("the connection closed inside the payload of {} '{}' ({} of {} bytes)",
                     withHeaders_ ? "HMSG" : "MSG", excerpt(message_.subject),
                     std::min(filled_, size_), size_));
  if (!line_.empty())
    fail(fmt::format("the connection closed inside the control line '{}'", excerpt(line_)));
}

void ProtocolParser::controlLine(std::string_view line) {
  std::size_t opEnd = 0;
  while (opEnd < line.size() && !isSpace(line[opEnd]))
    ++opEnd;
  const std::string_view op = line.substr(0, opEnd);
  std::string_view rest = line.substr(opEnd);
  const std::size_t first = rest.find_first_not_of(" \t");
  rest = first == std::string_view::npos ? std::string_view{} : rest.substr(first);
  const auto noArguments = [&] {
    if (!rest.empty()) fail(fmt::format("{} with arguments: '{}'", op, excerpt(line)));
  };
  // Each operation is over before its handler runs: start_ moves on first.
  const auto done = [this] { start_ = offset_; };
  if (equalsUpper(op, "MSG") || equalsUpper(op, "HMSG")) {
    messageLine(op, rest, equalsUpper(op, "HMSG"));
  } else if (equalsUpper(op, "PING")) {
    noArguments();
    done();
    handler_.onPing();
  } else if (equalsUpper(op, "PONG")) {
    noArguments();
    done();
    handler_.onPong();
  } else if (equalsUpper(op, "+OK")) {
    noArguments();
    done();
    handler_.onOk();
  } else if (equalsUpper(op, "-ERR")) {
    std::string_view text = rest.substr(0, rest.find_last_not_of(" \t") + 1);
    if (text.size() >= 2 && text.front() == '\'' && text.back() == '\'')
      text = text.substr(1, text.size() - 2);
    done();
    handler_.onError(text);
  } else if (equalsUpper(op, "INFO")) {
    if (rest.empty()) fail("INFO without a body");
    done();
    handler_.onInfo(rest);
  } else {
    fail(line.empty() ? std::string("empty control line")
                      : fmt::format("unknown operation '{}'", excerpt(line)));
  }
}

void ProtocolParser::messageLine(std::string_view op, std::string_view arguments,
                                 bool withHeaders) {
  std::array<std::string_view, 5> words;
  std::size_t count = 0;
  const std::size_t least = withHeaders ? 4 : 3;
  if (!split(arguments, words, count) || count < least || count > least + 1)
    fail(
        fmt::format("{} needs {} or {} arguments: '{}'", op, least, least + 1, excerpt(arguments)));
  const auto number = [&](std::string_view word, const char* what) {
    std::uint64_t value = 0;
    const auto [end, error] = std::from_chars(word.data(), word.data() + word.size(), value);
    if (error != std::errc{} || end != word.data() + word.size())
      fail(fmt::format("{} {} '{}' is not a number", op, what, excerpt(word)));
    return value;
  };
  const bool withReply = count == least + 1;
  const std::uint64_t sid = number(words[1], "sid");
  const std::uint64_t size = number(words[count - 1], "size");
  const std::uint64_t headerSize = withHeaders ? number(words[count - 2], "header size") : 0;
  if (size > maxPayload_)
    fail(fmt::format("{} of {} bytes exceeds max_payload ({} bytes)", op, size, maxPayload_));
  if (headerSize > size)
    fail(fmt::format("HMSG header size {} exceeds its total size {}", headerSize, size));
  if (headerSize > limits_.maxHeadersSize)
    fail(fmt::format("HMSG header size {} exceeds maxHeadersSize ({} bytes)", headerSize,
                     limits_.maxHeadersSize));
  message_ = Message{};
  message_.subject = std::string(words[0]);
  message_.sid = sid;
  if (withReply) message_.reply = std::string(words[2]);
  withHeaders_ = withHeaders;
  headerSize_ = static_cast<std::size_t>(headerSize);
  size_ = static_cast<std::size_t>(size);
  payload_ = Buffer::allocUnsafe(size_);
  filled_ = 0;
  state_ = State::payload;
}

void ProtocolParser::finishPayload() {
  if (trailer_[0] != '\r' || trailer_[1] != '\n')
    fail(fmt::format("the payload of {} '{}' ({} bytes) is not followed by CRLF",
                     withHeaders_ ? "HMSG" : "MSG", excerpt(message_.subject), size_));
  Message message = std::move(message_);
  if (withHeaders_) {
    message.headers = Headers::parse(
        std::string_view(reinterpret_cast<const char*>(payload_.data()), headerSize_), start_);
    message.data = payload_.subarray(static_cast<std::ptrdiff_t>(headerSize_));
  } else {
    message.data = std::move(payload_);
  }
  payload_ = Buffer();
  state_ = State::line;
  start_ = offset_;
  handler_.onMessage(std::move(message));
}

}  // namespace wirekit::nats
