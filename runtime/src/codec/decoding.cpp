// SPDX-License-Identifier: Apache-2.0
#include "wirekit/codec/decoding.hpp"

#include <fmt/format.h>

#include "wirekit/error.hpp"

namespace wirekit::codec {

namespace {

void appendPath(std::string& out, const PathNode* node) {
  if (node == nullptr) return;
  appendPath(out, node->parent);
  if (!out.empty()) out += '.';
  out += node->name;
  if (node->index != noIndex) fmt::format_to(std::back_inserter(out), "[{}]", node->index);
}

}  // namespace

std::string pathText(const PathNode* node, std::string_view field) {
  std::string out;
  appendPath(out, node);
  if (!field.empty()) {
    if (!out.empty()) out += '.';
    out += field;
  }
  return out;
}

namespace detail {

void throwPastEnd(const PathNode* path, std::string_view field, std::string_view what,
                  std::size_t bytes, std::size_t offset, std::size_t size) {
  throw DecodeError(fmt::format("{}: {} of {} bytes at byte {} runs past the end ({} bytes)",
                                pathText(path, field), what, bytes, offset, size));
}

void throwShortBlock(const PathNode* path, std::string_view field, std::string_view what,
                     std::uint64_t blockLength, std::size_t offset, std::size_t required,
                     std::uint64_t version) {
  throw DecodeError(
      fmt::format("{}: {} {} at byte {} is shorter than the {} bytes that version {} needs",
                  pathText(path, field), what, blockLength, offset, required, version));
}

void throwLengthPastEnd(const PathNode* path, std::string_view field, std::uint64_t length,
                        std::size_t offset, std::size_t size) {
  throw DecodeError(fmt::format("{}: length {} at byte {} runs past the end ({} bytes)",
                                pathText(path, field), length, offset, size));
}

void throwOverMax(const PathNode* path, std::string_view field, std::string_view what,
                  std::uint64_t value, std::size_t offset, std::uint64_t max) {
  throw DecodeError(fmt::format("{}: {} {} at byte {} exceeds @max({})", pathText(path, field),
                                what, value, offset, max));
}

void throwEntriesPastEnd(const PathNode* path, std::string_view field, std::size_t count,
                         std::size_t blockLength, std::size_t offset, std::size_t size) {
  throw DecodeError(fmt::format("{}: {} entries of {} bytes at byte {} run past the end ({} bytes)",
                                pathText(path, field), count, blockLength, offset, size));
}

void throwWrongId(std::string_view message, std::string_view what, std::uint64_t value,
                  std::size_t offset, std::uint64_t expected) {
  throw DecodeError(
      fmt::format("{}: {} {} at byte {} is not {}", message, what, value, offset, expected));
}

void throwUnknownTemplate(std::string_view schema, std::uint64_t value, std::size_t offset) {
  throw DecodeError(fmt::format("{}: unknown template id {} at byte {}", schema, value, offset));
}

}  // namespace detail

}  // namespace wirekit::codec
