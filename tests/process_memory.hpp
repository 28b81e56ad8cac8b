// SPDX-License-Identifier: Apache-2.0
#pragma once
// The process's own memory accounting, for tests that bound what an input can
// make the runtime hold: bytes the allocator has handed out (which counts a
// reservation whose pages were never touched, as RSS does not), and the
// resident set's current and peak size from /proc/self/status.

#include <malloc.h>

#include <cstddef>
#include <fstream>
#include <sstream>
#include <string>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define WIREKIT_TEST_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define WIREKIT_TEST_ASAN 1
#endif
#ifdef WIREKIT_TEST_ASAN
#include <sanitizer/allocator_interface.h>
#endif

namespace wirekit::test {

// Bytes allocated and not freed: glibc's count, or AddressSanitizer's, whose
// allocator replaces glibc's.
inline std::size_t allocatedBytes() {
#ifdef WIREKIT_TEST_ASAN
  return __sanitizer_get_current_allocated_bytes();
#else
  const struct mallinfo2 info = ::mallinfo2();
  return info.uordblks + info.hblkhd;
#endif
}

// A "Vm...:  1234 kB" line of /proc/self/status, in bytes (0 if absent).
inline std::size_t statusBytes(const std::string& field) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind(field + ":", 0) != 0) continue;
    std::istringstream values(line.substr(field.size() + 1));
    std::size_t kilobytes = 0;
    values >> kilobytes;
    return kilobytes * 1024;
  }
  return 0;
}

// The resident set now, and its peak over the process's life.
inline std::size_t residentBytes() {
  return statusBytes("VmRSS");
}
inline std::size_t peakResidentBytes() {
  return statusBytes("VmHWM");
}

}  // namespace wirekit::test
