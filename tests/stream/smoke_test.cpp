#include <memory>
#include <string>

#include "stream_test_support.hpp"
#include "wirekit/stream/pass_through.hpp"
#include "wirekit/stream/readable.hpp"
#include "wirekit/stream/writable.hpp"

namespace wirekit {
namespace {

using test::bytes;
using test::text;

TEST_CASE("smoke: from -> passthrough -> writable") {
  asio::io_context io;
  std::string seen;
  bool finished = false;
  auto source = Readable::from(io, {bytes("a"), bytes("b"), bytes("c")});
  auto middle = std::make_shared<PassThrough>(io, TransformOptions{.objectMode = true});
  auto sink = std::make_shared<Writable>(
      io, WritableOptions{.objectMode = true,
                          .write = [&](Writable&, Buffer chunk, WriteCallback done) {
                            seen += text(chunk);
                            done();
                          }});
  sink->on(events::finish, [&] { finished = true; });
  source->pipe(middle)->pipe(sink);
  test::settle(io);
  CHECK(seen == "abc");
  CHECK(finished);
}

}  // namespace
}  // namespace wirekit
