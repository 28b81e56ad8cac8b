#pragma once
// The error kinds every wirekit layer throws. They are stable so that a service
// can decide per kind whether to retry, drop a message, or close a connection.

#include <cstdint>
#include <stdexcept>
#include <string>

namespace wirekit {

// The base of every wirekit exception.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// An index, offset, length or value outside what is allowed (JavaScript's RangeError).
class RangeError : public Error {
 public:
  using Error::Error;
};

// An operation the object's state or kind does not allow, such as reading through
// a view of a detached ArrayBuffer (JavaScript's TypeError).
class TypeError : public Error {
 public:
  using Error::Error;
};

// Bytes that are not a valid message: the message names the field path and the
// byte offset ("Car.fuelFigures[1].usageDescription: length 4000000 at byte 71
// runs past the end (207 bytes)").
class DecodeError : public Error {
 public:
  using Error::Error;
};

// A message that cannot be written: out of room, a value too long for its field,
// groups or variable-length fields written out of order.
class EncodeError : public Error {
 public:
  using Error::Error;
};

// A byte stream that cannot be cut into frames: a length field beyond the maximum
// or below the header, a header field with an unexpected value, no delimiter
// within the maximum, or a stream that ends inside a frame. The message starts
// with where the frame began ("frame at stream offset 1234: length 70000 exceeds
// the maximum 65536"); streamOffset() and limit() give the two numbers.
class FrameError : public Error {
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
class StreamError : public Error {
 public:
  StreamError(const std::string& code, const std::string& message)
      : Error(code + ": " + message), code_(code) {}

  [[nodiscard]] const std::string& code() const noexcept { return code_; }

 private:
  std::string code_;
};

}  // namespace wirekit
