// SPDX-License-Identifier: Apache-2.0
#pragma once
// The SystemErrors the transports throw, with Node's messages plus the place:
// the peer of a connection, the path of a file. Internal to the runtime.

#include <cstdint>
#include <exception>
#include <string>
#include <system_error>

namespace wirekit::detail {

// "ECONNRESET" for ECONNRESET; "E<number>" for a value without a name.
[[nodiscard]] std::string errnoName(int value);

// "<syscall> <CODE> <address>:<port>: <reason>", a ConnectionError; the
// reason is the system's for code unless given.
[[nodiscard]] std::exception_ptr connectionError(const std::string& syscall, std::error_code code,
                                                 const std::string& address, std::uint16_t port,
                                                 const std::string& reason = {});

// Node's fs message: "<CODE>: <reason>, <syscall> '<path>'", a SystemError.
[[nodiscard]] std::exception_ptr fileError(const std::string& syscall, int value,
                                           const std::string& path);

}  // namespace wirekit::detail
