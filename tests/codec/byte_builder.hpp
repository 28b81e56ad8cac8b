// SPDX-License-Identifier: Apache-2.0
#pragma once
// Expected wire bytes written out by hand in the tests: each value appended in
// the byte order given, by shifting, independently of wirekit's load/store.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include <wirekit/bytes/array_buffer.hpp>

namespace wktest {

class Bytes {
 public:
  explicit Bytes(bool bigEndian = false) : big_(bigEndian) {}
  Bytes& u8(std::uint64_t v) { return put(v, 1); }
  Bytes& u16(std::uint64_t v) { return put(v, 2); }
  Bytes& u32(std::uint64_t v) { return put(v, 4); }
  Bytes& u64(std::uint64_t v) { return put(v, 8); }
  Bytes& i8(std::int64_t v) { return put(static_cast<std::uint64_t>(v), 1); }
  Bytes& i32(std::int64_t v) { return put(static_cast<std::uint64_t>(v), 4); }
  Bytes& i64(std::int64_t v) { return put(static_cast<std::uint64_t>(v), 8); }
  Bytes& f32(float v) {
    std::uint32_t bits = 0;
    std::memcpy(&bits, &v, 4);
    return put(bits, 4);
  }
  Bytes& f64(double v) {
    std::uint64_t bits = 0;
    std::memcpy(&bits, &v, 8);
    return put(bits, 8);
  }
  Bytes& text(std::string_view s) {
    for (char c : s)
      bytes_.push_back(static_cast<std::byte>(c));
    return *this;
  }
  Bytes& zeros(std::size_t n) {
    bytes_.insert(bytes_.end(), n, std::byte{0});
    return *this;
  }
  [[nodiscard]] std::size_t size() const { return bytes_.size(); }
  [[nodiscard]] const std::vector<std::byte>& bytes() const { return bytes_; }
  // A buffer of exactly these bytes.
  [[nodiscard]] wirekit::ArrayBuffer buffer() const {
    wirekit::ArrayBuffer b(bytes_.size());
    if (!bytes_.empty()) std::memcpy(b.data(), bytes_.data(), bytes_.size());
    return b;
  }

 private:
  Bytes& put(std::uint64_t v, int n) {
    for (int i = 0; i < n; ++i) {
      const int shift = 8 * (big_ ? n - 1 - i : i);
      bytes_.push_back(static_cast<std::byte>((v >> shift) & 0xFF));
    }
    return *this;
  }
  bool big_;
  std::vector<std::byte> bytes_;
};

inline std::vector<std::byte> written(const wirekit::ArrayBuffer& buffer, std::size_t n) {
  return {buffer.data(), buffer.data() + n};
}

}  // namespace wktest
