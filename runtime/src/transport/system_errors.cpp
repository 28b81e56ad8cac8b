// SPDX-License-Identifier: Apache-2.0
#include "system_errors.hpp"

#include <cctype>
#include <cstring>

#include <fmt/format.h>
#include <asio/error.hpp>

#include "wirekit/error.hpp"

namespace wirekit::detail {

namespace {

// Node starts the reason with a lower-case letter ("no such file or directory").
std::string reasonOf(const std::error_code& code) {
  std::string reason = code.message();
  if (!reason.empty()) {
    reason[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(reason[0])));
  }
  return reason;
}

// Node's error.code for code: the errno name, ENOTFOUND for a name that does
// not resolve.
std::string codeNameOf(const std::error_code& code) {
  if (code.category() == std::system_category() || code.category() == std::generic_category()) {
    return errnoName(code.value());
  }
  if (code.category() == asio::error::get_netdb_category() ||
      code.category() == asio::error::get_addrinfo_category()) {
    return "ENOTFOUND";
  }
  return code.message();
}

}  // namespace

std::string errnoName(int value) {
  const char* name = ::strerrorname_np(value);
  return name != nullptr ? std::string(name) : fmt::format("E{}", value);
}

std::exception_ptr connectionError(const std::string& syscall, std::error_code code,
                                   const std::string& address, std::uint16_t port,
                                   const std::string& reason) {
  // Asio reports errno values in a category of its own, which std::errc does
  // not compare equal to; a service compares with std::errc.
  if (code.category() == asio::error::get_system_category()) {
    code = std::error_code(code.value(), std::system_category());
  }
  std::string name = codeNameOf(code);
  const std::string where = address.find(':') != std::string::npos
                                ? fmt::format("[{}]:{}", address, port)
                                : fmt::format("{}:{}", address, port);
  std::string message =
      fmt::format("{} {} {}: {}", syscall, name, where, reason.empty() ? reasonOf(code) : reason);
  return std::make_exception_ptr(
      ConnectionError(message, code, std::move(name), syscall, address, port));
}

std::exception_ptr fileError(const std::string& syscall, int value, const std::string& path) {
  const std::error_code code(value, std::system_category());
  std::string name = errnoName(value);
  std::string message = fmt::format("{}: {}, {} '{}'", name, reasonOf(code), syscall, path);
  return std::make_exception_ptr(SystemError(message, code, std::move(name), syscall));
}

}  // namespace wirekit::detail
