// SPDX-License-Identifier: Apache-2.0
#pragma once
// The error kinds every wirekit layer throws. They are stable so that a service
// can decide per kind whether to retry, drop a message, or close a connection.

#include <cstdint>
#include <stdexcept>
#include <string>
#include <system_error>
#include <utility>

#include "wirekit/export.hpp"

namespace wirekit {

// The base of every wirekit exception.
class WIREKIT_EXPORT Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// An index, offset, length or value outside what is allowed (JavaScript's RangeError).
class WIREKIT_EXPORT RangeError : public Error {
 public:
  using Error::Error;
};

// An operation the object's state or kind does not allow, such as reading through
// a view of a detached ArrayBuffer (JavaScript's TypeError).
class WIREKIT_EXPORT TypeError : public Error {
 public:
  using Error::Error;
};

// Bytes that are not a valid message: the message names the field path and the
// byte offset ("Car.fuelFigures[1].usageDescription: length 4000000 at byte 71
// runs past the end (207 bytes)").
class WIREKIT_EXPORT DecodeError : public Error {
 public:
  using Error::Error;
};

// A message that cannot be written: out of room, a value too long for its field,
// groups or variable-length fields written out of order.
class WIREKIT_EXPORT EncodeError : public Error {
 public:
  using Error::Error;
};

// An EncodeError for want of room in the view: the message would fit in a
// larger one (MessageStream::send() tells this one from the others).
class WIREKIT_EXPORT NoRoomError : public EncodeError {
 public:
  using EncodeError::EncodeError;
};

// A byte stream that cannot be cut into frames: a length field beyond the maximum
// or below the header, a header field with an unexpected value, no delimiter
// within the maximum, or a stream that ends inside a frame. The message starts
// with where the frame began ("frame at stream offset 1234: length 70000 exceeds
// the maximum 65536"); streamOffset() and limit() give the two numbers.
class WIREKIT_EXPORT FrameError : public Error {
 public:
  FrameError(const std::string& message, std::uint64_t streamOffset, std::uint64_t limit)
      : Error(message), streamOffset_(streamOffset), limit_(limit) {}

  // The offset in the byte stream of the frame's first byte.
  [[nodiscard]] std::uint64_t streamOffset() const noexcept { return streamOffset_; }
  // The bound the frame broke: the maximum or minimum length, the expected
  // header value, or (for a stream that ended inside it) the frame's length.
  [[nodiscard]] std::uint64_t limit() const noexcept { return limit_; }

 private:
  std::uint64_t streamOffset_;
  std::uint64_t limit_;
};

// An operation a stream's state does not allow, or a stream that broke:
// code() is Node's error code (ERR_STREAM_WRITE_AFTER_END, ERR_STREAM_DESTROYED,
// ERR_STREAM_PREMATURE_CLOSE, ERR_STREAM_PUSH_AFTER_EOF, ERR_MULTIPLE_CALLBACK,
// ...) and what() is "code: Node's message" ("ERR_STREAM_WRITE_AFTER_END: write
// after end").
class WIREKIT_EXPORT StreamError : public Error {
 public:
  StreamError(const std::string& code, const std::string& message)
      : Error(code + ": " + message), code_(code) {}

  [[nodiscard]] const std::string& code() const noexcept { return code_; }

 private:
  std::string code_;
};

// A system call that failed, as Node's system errors: code() is the OS error
// (compare it with std::errc::connection_reset, ...), codeName() its errno
// name ("ECONNRESET", Node's error.code) and syscall() what failed ("read",
// "connect", "open"). The message says what, where and why, as Node's do:
// "open ENOENT: no such file or directory, open '/var/log/x.bin'".
class WIREKIT_EXPORT SystemError : public Error {
 public:
  SystemError(const std::string& message, std::error_code code, std::string codeName,
              std::string syscall)
      : Error(message), code_(code), codeName_(std::move(codeName)), syscall_(std::move(syscall)) {}

  [[nodiscard]] std::error_code code() const noexcept { return code_; }
  [[nodiscard]] const std::string& codeName() const noexcept { return codeName_; }
  [[nodiscard]] const std::string& syscall() const noexcept { return syscall_; }

 private:
  std::error_code code_;
  std::string codeName_;
  std::string syscall_;
};

// A TCP connection that could not be made or broke: refused, reset by the
// peer, timed out, a write to a closed peer. The message names the peer
// ("read ECONNRESET 127.0.0.1:40512: Connection reset by peer"); address() and
// port() give it. A service usually reconnects or drops the peer on this kind.
class WIREKIT_EXPORT ConnectionError : public SystemError {
 public:
  ConnectionError(const std::string& message, std::error_code code, std::string codeName,
                  std::string syscall, std::string address, std::uint16_t port)
      : SystemError(message, code, std::move(codeName), std::move(syscall)),
        address_(std::move(address)),
        port_(port) {}

  [[nodiscard]] const std::string& address() const noexcept { return address_; }
  [[nodiscard]] std::uint16_t port() const noexcept { return port_; }

 private:
  std::string address_;
  std::uint16_t port_;
};

// A TLS handshake or connection that failed, or TLS settings that cannot be
// used. The message names the peer and OpenSSL's reason, with the certificate
// check's when there is one ("TLS handshake with 127.0.0.1:4433 failed:
// certificate verify failed (unable to get local issuer certificate)").
// code() is Node's: "ERR_TLS_HANDSHAKE_TIMEOUT", "ERR_TLS_CERT_ALTNAME_INVALID"
// for a certificate of another host, "ERR_TLS_CONFIG" for a key or
// certificate that cannot be loaded, else "ERR_SSL_" and OpenSSL's reason
// ("ERR_SSL_UNSUPPORTED_PROTOCOL"). verifyError() is the certificate check's
// X509_V_ERR_* value (0: none failed). address() and port() are the peer's
// (empty for settings).
class WIREKIT_EXPORT TlsError : public Error {
 public:
  TlsError(const std::string& message, std::string code, long verifyError = 0,
           std::string address = {}, std::uint16_t port = 0)
      : Error(message),
        code_(std::move(code)),
        verifyError_(verifyError),
        address_(std::move(address)),
        port_(port) {}

  [[nodiscard]] const std::string& code() const noexcept { return code_; }
  [[nodiscard]] long verifyError() const noexcept { return verifyError_; }
  [[nodiscard]] const std::string& address() const noexcept { return address_; }
  [[nodiscard]] std::uint16_t port() const noexcept { return port_; }

 private:
  std::string code_;
  long verifyError_;
  std::string address_;
  std::uint16_t port_;
};

// Compressed data that zlib rejects, or that ends too soon: code() is Node's
// zlib code ("Z_DATA_ERROR", "Z_BUF_ERROR"), offset() the count of compressed
// bytes consumed when it was found ("gunzip: incorrect header check at
// compressed byte 0 (Z_DATA_ERROR)").
class WIREKIT_EXPORT ZlibError : public Error {
 public:
  ZlibError(const std::string& message, std::string code, std::uint64_t offset)
      : Error(message), code_(std::move(code)), offset_(offset) {}

  [[nodiscard]] const std::string& code() const noexcept { return code_; }
  [[nodiscard]] std::uint64_t offset() const noexcept { return offset_; }

 private:
  std::string code_;
  std::uint64_t offset_;
};

}  // namespace wirekit
