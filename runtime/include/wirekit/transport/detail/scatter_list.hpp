// SPDX-License-Identifier: Apache-2.0
#pragma once
// ScatterList: the iovecs of a batch of chunks, for sendmsg(2) and writev(2),
// and how much of it a partial write has consumed. Not part of the user-facing
// API.

#include <sys/uio.h>

#include <climits>
#include <cstddef>
#include <span>
#include <vector>

#include "wirekit/bytes/buffer.hpp"

namespace wirekit::detail {

class ScatterList {
 public:
  // The most iovecs one system call takes (Linux: 1024).
  static constexpr std::size_t maxPerCall = IOV_MAX;

  // Lists the bytes of chunks (not copied: they must stay put until sent);
  // empty chunks are left out.
  void assign(std::span<const Buffer> chunks) {
    entries_.clear();
    next_ = 0;
    for (const Buffer& chunk : chunks) {
      // The system calls only read through iovecs, which have no const form.
      if (!chunk.empty()) {
        entries_.push_back(iovec{const_cast<std::byte*>(chunk.data()), chunk.length()});
      }
    }
  }
  void clear() noexcept {
    entries_.clear();
    next_ = 0;
  }

  [[nodiscard]] bool done() const noexcept { return next_ == entries_.size(); }
  // The iovecs not sent yet, at most maxPerCall of them.
  [[nodiscard]] iovec* data() noexcept { return entries_.data() + next_; }
  [[nodiscard]] int count() const noexcept {
    const std::size_t left = entries_.size() - next_;
    return static_cast<int>(left < maxPerCall ? left : maxPerCall);
  }

  // Drops the first sent bytes: whole entries, then the front of the next.
  void consume(std::size_t sent) noexcept {
    while (sent > 0) {
      iovec& entry = entries_[next_];
      if (sent < entry.iov_len) {
        entry.iov_base = static_cast<std::byte*>(entry.iov_base) + sent;
        entry.iov_len -= sent;
        return;
      }
      sent -= entry.iov_len;
      ++next_;
    }
  }

 private:
  std::vector<iovec> entries_;
  std::size_t next_ = 0;
};

}  // namespace wirekit::detail
