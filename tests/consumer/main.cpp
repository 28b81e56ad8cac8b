// What a first program against wirekit looks like: the byte layer, a codec
// generated from the project's own schema, and a TLS context (OpenSSL is a
// public dependency the package must find). check_consumer.cmake compares its
// output with the expected text.
#include <fmt/format.h>

#include <wirekit/bytes/buffer.hpp>
#include <wirekit/bytes/data_view.hpp>
#include <wirekit/transport/tls_context.hpp>

#include "hello.wk.hpp"

int main() {
  wirekit::ArrayBuffer storage(8);
  wirekit::DataView view(storage);
  view.setUint32(0, 0xCAFEF00D);
  view.setUint16(4, 0x1234, true);
  const auto buffer = wirekit::Buffer::from(storage);
  fmt::print("{} {}\n", buffer, buffer.readUInt32BE(0) == 0xCAFEF00D ? "ok" : "wrong");

  wirekit::ArrayBuffer message(64);
  auto hello = consumer::Hello::encode(wirekit::DataView(message));
  hello.sequence(7).who("consumer");
  const std::size_t length = hello.encodedLength();
  fmt::print("{} ({} bytes)\n", consumer::Hello::decode(wirekit::DataView(message, 0, length)),
             length);

  const auto tls = wirekit::createSecureContext({.minVersion = wirekit::TlsVersion::tls1_3});
  fmt::print("tls {}\n", tls->native().native_handle() != nullptr ? "ok" : "wrong");
}
