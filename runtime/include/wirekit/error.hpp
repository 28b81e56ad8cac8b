#pragma once
// The error kinds every wirekit layer throws. They are stable so that a service
// can decide per kind whether to retry, drop a message, or close a connection.

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

}  // namespace wirekit
