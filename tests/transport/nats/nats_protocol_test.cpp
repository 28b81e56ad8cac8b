// SPDX-License-Identifier: Apache-2.0
// The NATS protocol parser on its own (chunks cut anywhere, every kind of bad
// input), the header block, and the client against a fake server on a
// loopback socket that sends what a hostile or broken server would.

#include <chrono>
#include <cstddef>
#include <exception>
#include <memory>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <asio/io_context.hpp>
#include <catch2/catch.hpp>

#include "../transport_test_support.hpp"
#include "wirekit/error.hpp"
#include "wirekit/transport/nats/client.hpp"
#include "wirekit/transport/nats/error.hpp"
#include "wirekit/transport/nats/message.hpp"
#include "wirekit/transport/nats/protocol_parser.hpp"
#include "wirekit/transport/tcp_server.hpp"

using namespace wirekit;
using namespace wirekit::nats;
using namespace wirekit::test;
using namespace std::chrono_literals;

namespace {

// Every operation the parser reports, as one line of text.
class Recorder : public ProtocolHandler {
 public:
  std::vector<std::string> seen;

  void onInfo(std::string_view json) override { seen.push_back("INFO " + std::string(json)); }
  void onMessage(Message message) override {
    std::string line = "MSG " + message.subject + " " + std::to_string(message.sid) + " [" +
                       message.reply + "] " + message.string();
    for (const auto& [key, value] : message.headers.entries())
      line += " " + key + "=" + value;
    if (message.headers.status() != 0)
      line += " status=" + std::to_string(message.headers.status());
    seen.push_back(line);
  }
  void onPing() override { seen.emplace_back("PING"); }
  void onPong() override { seen.emplace_back("PONG"); }
  void onOk() override { seen.emplace_back("+OK"); }
  void onError(std::string_view text) override { seen.push_back("-ERR " + std::string(text)); }
};

std::span<const std::byte> bytesOf(std::string_view text) {
  return {reinterpret_cast<const std::byte*>(text.data()), text.size()};
}

// What parsing input in chunks of size bytes reports.
std::vector<std::string> parseInChunks(std::string_view input, std::size_t size) {
  Recorder recorder;
  ProtocolParser parser(recorder);
  for (std::size_t at = 0; at < input.size(); at += size)
    parser.feed(bytesOf(input.substr(at, size)));
  parser.finish();
  return recorder.seen;
}

// The NatsProtocolError that parsing input (whole, then finish()) raises.
NatsProtocolError protocolErrorOf(std::string_view input, ParserLimits limits = {}) {
  Recorder recorder;
  ProtocolParser parser(recorder, limits);
  try {
    parser.feed(bytesOf(input));
    parser.finish();
  } catch (const NatsProtocolError& error) {
    return error;
  }
  FAIL("no NatsProtocolError for '" << input << "'");
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("nats parser: every operation, in chunks cut at every size") {
  const std::string block = "NATS/1.0\r\nTrace: abc\r\nX: 1\r\n\r\n";
  const std::string input =
      "INFO {\"server_id\":\"S\",\"max_payload\":1048576}\r\n"
      "PING\r\nMSG greet.joe 1 5\r\nhello\r\n"
      "msg lower 2 _INBOX.a.1 0\r\n\r\n"
      "HMSG with.headers 3 reply.to " +
      std::to_string(block.size()) + " " + std::to_string(block.size() + 4) + "\r\n" + block +
      "body\r\n"
      "HMSG _INBOX.a.2 4 16 16\r\nNATS/1.0 503\r\n\r\n\r\n"
      "+OK\r\n-ERR 'Invalid Subject'\r\nPONG\n";
  const std::vector<std::string> expected{"INFO {\"server_id\":\"S\",\"max_payload\":1048576}",
                                          "PING",
                                          "MSG greet.joe 1 [] hello",
                                          "MSG lower 2 [_INBOX.a.1] ",
                                          "MSG with.headers 3 [reply.to] body Trace=abc X=1",
                                          "MSG _INBOX.a.2 4 []  status=503",
                                          "+OK",
                                          "-ERR Invalid Subject",
                                          "PONG"};
  for (const std::size_t size : {std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{7},
                                 std::size_t{64}, input.size()}) {
    INFO("chunks of " << size);
    CHECK(parseInChunks(input, size) == expected);
  }
}

TEST_CASE("nats parser: bad input is a NatsProtocolError naming what and where") {
  struct Case {
    std::string input;
    std::string says;
    std::uint64_t offset;
  };
  const std::vector<Case> cases{
      {"HELLO world\r\n", "unknown operation 'HELLO world'", 0},
      {"PING\r\nBAD\r\n", "unknown operation 'BAD'", 6},
      {"\r\n", "empty control line", 0},
      {std::string("\x16\x03\x01\x00\xff\r\n", 7), "unknown operation '\\x16\\x03\\x01\\x00\\xff'",
       0},
      {"PING now\r\n", "PING with arguments", 0},
      {"INFO\r\n", "INFO without a body", 0},
      {"MSG foo\r\n", "MSG needs 3 or 4 arguments", 0},
      {"MSG a b c d e\r\n", "MSG needs 3 or 4 arguments", 0},
      {"MSG foo 1 -5\r\n", "MSG size '-5' is not a number", 0},
      {"MSG foo x 5\r\n", "MSG sid 'x' is not a number", 0},
      {"MSG foo 1 99999999999999999999999\r\n", "is not a number", 0},
      {"MSG foo 1 67108865\r\n", "MSG of 67108865 bytes exceeds max_payload (67108864 bytes)", 0},
      {"PONG\r\nMSG foo 1 3\r\nabcXY", "the payload of MSG 'foo' (3 bytes) is not followed by CRLF",
       6},
      {"HMSG foo 1 10 5\r\n", "HMSG header size 10 exceeds its total size 5", 0},
      {"HMSG foo 1 70000 70000\r\n", "exceeds maxHeadersSize (65536 bytes)", 0},
      {"HMSG foo 1 12 12\r\nHTTP/1.0\r\n\r\n\r\n", "does not start with NATS/1.0", 0},
      {"HMSG foo 1 12 12\r\nNATS/1.0\r\nab\r\n", "does not end with an empty line", 0},
      {"HMSG foo 1 16 16\r\nNATS/1.0\r\nab\r\n\r\n\r\n", "line without ':'", 0},
      {"HMSG foo 1 15 15\r\nNATS/1.0 5x\r\n\r\n\r\n", "status '5x' is not 3 digits", 0},
      {"MSG foo 1 10\r\nabc",
       "the connection closed inside the payload of MSG 'foo' (3 of 10 bytes)", 0},
      {"PING\r\nMSG fo", "the connection closed inside the control line 'MSG fo'", 6},
  };
  for (const auto& [input, says, offset] : cases) {
    INFO(input);
    const NatsProtocolError error = protocolErrorOf(input);
    CHECK_THAT(error.what(), Catch::Contains(says));
    CHECK(error.offset() == offset);
    CHECK(error.code() == "ERR_NATS_PROTOCOL");
  }
}

TEST_CASE("nats parser: limits are checked before anything is buffered or allocated") {
  const ParserLimits small{.maxControlLine = 64, .maxPayload = 100, .maxHeadersSize = 32};
  // A line with no end: refused once it passes the limit, not at the end.
  const NatsProtocolError endless = protocolErrorOf(std::string(65, 'M'), small);
  CHECK_THAT(endless.what(), Catch::Contains("is longer than maxControlLine (64 bytes)"));
  CHECK_THAT(protocolErrorOf("MSG a 1 101\r\n", small).what(),
             Catch::Contains("exceeds max_payload (100 bytes)"));
  CHECK_THAT(protocolErrorOf("HMSG a 1 33 40\r\n", small).what(),
             Catch::Contains("exceeds maxHeadersSize (32 bytes)"));

  // The server's max_payload lowers the bound; it cannot raise it past the limit.
  Recorder recorder;
  ProtocolParser parser(recorder, small);
  parser.setMaxPayload(10);
  CHECK(parser.maxPayload() == 10);
  CHECK_THROWS_AS(parser.feed(bytesOf("MSG a 1 11\r\n")), NatsProtocolError);
  // A parser that failed stays failed until reset().
  CHECK_THROWS_AS(parser.feed(bytesOf("PING\r\n")), NatsProtocolError);
  parser.reset();
  parser.setMaxPayload(std::size_t{1} << 40);
  CHECK(parser.maxPayload() == 100);
  parser.feed(bytesOf("PING\r\n"));
  CHECK(recorder.seen == std::vector<std::string>{"PING"});
}

TEST_CASE("nats headers: encoded as NATS/1.0, parsed back, bad keys and values refused") {
  Headers headers;
  headers.append("Trace-Id", "abc").append("X", "1").append("X", "2");
  CHECK(headers.encode() == "NATS/1.0\r\nTrace-Id: abc\r\nX: 1\r\nX: 2\r\n\r\n");
  const Headers parsed = Headers::parse(headers.encode(), 0);
  CHECK(parsed.entries() == headers.entries());
  CHECK(parsed.get("X") == "1");
  CHECK_FALSE(parsed.get("x"));
  headers.set("X", "3");
  CHECK(headers.encode() == "NATS/1.0\r\nTrace-Id: abc\r\nX: 3\r\n\r\n");

  const Headers status = Headers::parse("NATS/1.0 503 No Responders\r\n\r\n", 0);
  CHECK(status.status() == 503);
  CHECK(status.description() == "No Responders");

  CHECK_THROWS_AS(headers.append("", "v"), TypeError);
  CHECK_THROWS_AS(headers.append("a:b", "v"), TypeError);
  CHECK_THROWS_AS(headers.append("a b", "v"), TypeError);
  CHECK_THROWS_AS(headers.append("key", "line\r\nInjected: yes"), TypeError);
}

namespace {

// A fake NATS server on 127.0.0.1: each connection gets script at once (and
// then the server's end of it, if end).
struct FakeServer {
  asio::io_context& io;
  std::shared_ptr<TcpServer> server;
  std::string received;

  FakeServer(asio::io_context& context, std::string script, bool end = false) : io(context) {
    server = createServer(io, {}, [this, script, end](const std::shared_ptr<TcpSocket>& socket) {
      socket->on(events::data, [this](const Buffer& chunk) { received += rawString(chunk); });
      socket->on(events::error, [](const std::exception_ptr&) {});
      if (end) {
        socket->end(rawBuffer(script));
      } else {
        socket->write(rawBuffer(script));
      }
    });
    bool listening = false;
    server->listen(0, "127.0.0.1", [&listening] { listening = true; });
    runUntil(io, [&] { return listening; });
  }
  ~FakeServer() {
    bool closed = false;
    server->close(0ms, [&closed](const std::exception_ptr&) { closed = true; });
    runUntil(io, [&] { return closed; });
  }
  [[nodiscard]] std::string url() const { return "127.0.0.1:" + std::to_string(server->port()); }
};

const std::string info = "INFO {\"server_id\":\"FAKE\",\"max_payload\":1024}\r\n";
// A server that requires TLS.
const std::string tlsInfo = "INFO {\"server_id\":\"FAKE\",\"tls_required\":true}\r\n";

// What a client connected to server saw: its errors, whether it opened,
// whether it closed.
struct Seen {
  std::vector<std::exception_ptr> errors;
  bool connected = false;
  bool closed = false;
  std::vector<std::exception_ptr> disconnects;
};

std::shared_ptr<Client> watchedClient(asio::io_context& io, const FakeServer& server, Seen& seen,
                                      Options options = {}) {
  options.servers = {server.url()};
  options.reconnect = false;
  auto client = std::make_shared<Client>(io, std::move(options));
  client->on(events::error,
             [&seen](const std::exception_ptr& error) { seen.errors.push_back(error); });
  client->on(events::close, [&seen] { seen.closed = true; });
  client->on(events::disconnect,
             [&seen](const std::exception_ptr& error) { seen.disconnects.push_back(error); });
  client->connect([&seen] { seen.connected = true; });
  return client;
}

}  // namespace

TEST_CASE("nats client: a hostile server's bytes end the connection with a clear error") {
  struct Case {
    std::string script;
    std::string says;
    // The server then ends the connection (inside an operation).
    bool end = false;
  };
  const std::vector<Case> cases{
      {info + "PONG\r\nGARBAGE here\r\n", "unknown operation 'GARBAGE here'"},
      {info + "PONG\r\nMSG a 1 " + std::string(70 * 1024, '9'), "longer than maxControlLine"},
      {info + "PONG\r\nMSG a 1 2000\r\n", "MSG of 2000 bytes exceeds max_payload (1024 bytes)"},
      {info + "PONG\r\nMSG a 1 10\r\nabc", "the connection closed inside the payload of MSG 'a'",
       true},
      {info + "PONG\r\nPI", "the connection closed inside the control line 'PI'", true},
      {info + "PONG\r\nHMSG a 1 8 8\r\nNATS/1.0\r\n", "does not end with an empty line"},
      {info + "PONG\r\nMSG a 1 3\r\nabcdefgh\r\n", "is not followed by CRLF"},
  };
  for (const auto& [script, says, end] : cases) {
    INFO(says);
    asio::io_context io;
    FakeServer server(io, script, end);
    Seen seen;
    auto client = watchedClient(io, server, seen);
    runUntil(
        io, [&] { return seen.closed; }, 10s);
    CHECK(seen.connected);
    REQUIRE(seen.disconnects.size() == 1);
    CHECK_THAT(errorMessage(seen.disconnects[0]), Catch::Contains(says));
    if (end) {
      // A connection the server ends inside an operation is lost, not
      // broken (nats-server cuts off a slow consumer so): no 'error'.
      CHECK(seen.errors.empty());
      CHECK_THAT(errorMessage(seen.disconnects[0]),
                 Catch::StartsWith("ERR_NATS_DISCONNECTED: the server closed the connection to "));
    } else {
      REQUIRE(seen.errors.size() == 1);
      const auto error = errorAs<NatsProtocolError>(seen.errors[0]);
      CHECK_THAT(error.what(), Catch::Contains(says));
    }
    CHECK(client->isClosed());
  }
}

TEST_CASE("nats client: a server whose handshake is broken is given up with the reason") {
  struct Case {
    std::string script;
    std::string says;
    // The client requires TLS (options.tls).
    bool tls = false;
  };
  const std::vector<Case> cases{
      {"INFO {not json\r\n", "INFO is not a JSON object"},
      {"INFO {\"max_payload\":-1}\r\n", "INFO max_payload is not a positive integer"},
      // Deep nesting: parsed and freed without recursion (nlohmann/json 3.11).
      {"INFO " + std::string(30000, '[') + std::string(30000, ']') + "\r\n",
       "INFO is not a JSON object"},
      {"INFO " + std::string(60000, '{') + "\r\n", "INFO is not a JSON object"},
      {"", "within connectTimeout (300 ms)"},
      {info + "-ERR 'Authorization Violation'\r\n", "'Authorization Violation'"},
      // Bytes after a tls_required INFO in plain text would be read as the
      // protocol and, once TLS starts, as TLS records: refused either way.
      {tlsInfo + "PING\r\n", "PING in plain text after INFO, where the TLS handshake belongs",
       true},
      {tlsInfo + "MSG a 1 2\r\nhi\r\n", "MSG in plain text after INFO", true},
      {tlsInfo + tlsInfo, "a second INFO in plain text after INFO", true},
      {tlsInfo + "PI", "plain text after INFO, where the TLS handshake belongs", true},
  };
  for (const auto& [script, says, tls] : cases) {
    INFO(says);
    asio::io_context io;
    FakeServer server(io, script);
    Seen seen;
    Options options{.connectTimeout = 300ms};
    if (tls) options.tls.emplace();
    auto client = watchedClient(io, server, seen, options);
    runUntil(
        io, [&] { return seen.closed; }, 10s);
    CHECK_FALSE(seen.connected);
    CHECK(seen.disconnects.empty());
    REQUIRE_FALSE(seen.errors.empty());
    const auto last = errorAs<NatsError>(seen.errors.back());
    CHECK(last.code() == "ERR_NATS_NO_SERVERS");
    CHECK_THAT(last.what(), Catch::Contains(says));
    // Nothing of a TLS client's went out in plain text.
    if (tls) CHECK(server.received.empty());
  }
}

TEST_CASE("nats client: a server that never answers the ClientHello: tls.handshakeTimeout") {
  asio::io_context io;
  FakeServer server(io, tlsInfo);
  Seen seen;
  auto client =
      watchedClient(io, server, seen, Options{.tls = TlsOptions{.handshakeTimeout = 200ms}});
  runUntil(
      io, [&] { return seen.closed; }, 10s);
  REQUIRE(seen.errors.size() == 2);
  const auto timeout = errorAs<TlsError>(seen.errors[0]);
  CHECK(timeout.code() == "ERR_TLS_HANDSHAKE_TIMEOUT");
  CHECK(std::string(timeout.what()) ==
        "TLS handshake with " + server.url() + " timed out after 200 ms");
  // What the client sent: a ClientHello (a TLS handshake record), no CONNECT.
  REQUIRE(server.received.size() > 3);
  CHECK(server.received.substr(0, 3) == std::string("\x16\x03\x01", 3));
  CHECK(server.received.find("CONNECT") == std::string::npos);
}

TEST_CASE("nats client: answers the server's PING, learns connect_urls, drops a stale server") {
  asio::io_context io;
  FakeServer server(
      io, "INFO {\"connect_urls\":[\"127.0.0.1:1\",\"127.0.0.1:notaport\",7]}\r\nPONG\r\nPING\r\n");
  Seen seen;
  auto client =
      watchedClient(io, server, seen, Options{.pingInterval = 50ms, .maxPingsOutstanding = 2});
  runUntil(io, [&] { return server.received.find("PONG\r\n") != std::string::npos; });
  CHECK(seen.connected);
  // The client said CONNECT with the protocol's settings, then PING.
  CHECK_THAT(server.received, Catch::StartsWith("CONNECT {"));
  CHECK_THAT(server.received, Catch::Contains("\"headers\":true"));
  CHECK_THAT(server.received, Catch::Contains("\"no_responders\":true"));
  CHECK_THAT(server.received, Catch::Contains("\"verbose\":false"));
  CHECK_THAT(server.received, Catch::Contains("\"pedantic\":false"));
  CHECK_THAT(server.received, Catch::Contains("}\r\nPING\r\n"));
  CHECK(client->servers() == std::vector<std::string>{server.url(), "127.0.0.1:1"});
  // The fake server never answers the client's pings.
  runUntil(
      io, [&] { return seen.closed; }, 5s);
  REQUIRE(seen.disconnects.size() == 1);
  CHECK(errorAs<NatsError>(seen.disconnects[0]).code() == "ERR_NATS_STALE_CONNECTION");
  CHECK(seen.errors.empty());
}

TEST_CASE("nats parser: random protocol-shaped input never crashes, only NatsProtocolError") {
  // Pieces of the protocol and bytes that are not: most inputs break it
  // somewhere, after having parsed some operations.
  const std::vector<std::string> pieces{"MSG ",
                                        "HMSG ",
                                        "PING",
                                        "PONG",
                                        "+OK",
                                        "-ERR ",
                                        "INFO {}",
                                        "\r\n",
                                        "\n",
                                        " ",
                                        "0",
                                        "1",
                                        "5",
                                        "16",
                                        "99999999999999999999",
                                        "-1",
                                        "a.b",
                                        "NATS/1.0",
                                        ": ",
                                        "NATS/1.0 503\r\n\r\n",
                                        std::string(1, '\0'),
                                        "\xff",
                                        "\r"};
  std::mt19937 random(20261205);
  std::size_t parsed = 0;
  std::size_t refused = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string input;
    const int count = std::uniform_int_distribution<int>(1, 30)(random);
    for (int i = 0; i < count; ++i)
      input += pieces[std::uniform_int_distribution<std::size_t>(0, pieces.size() - 1)(random)];
    Recorder recorder;
    ProtocolParser parser(recorder, {.maxControlLine = 64, .maxPayload = 64, .maxHeadersSize = 32});
    try {
      for (std::size_t at = 0; at < input.size();) {
        const std::size_t size = std::uniform_int_distribution<std::size_t>(1, 8)(random);
        parser.feed(bytesOf(std::string_view(input).substr(at, size)));
        at += size;
      }
      parser.finish();
      ++parsed;
    } catch (const NatsProtocolError& error) {
      CHECK(error.offset() <= input.size());
      ++refused;
    }
    parsed += recorder.seen.size();
  }
  INFO("operations parsed " << parsed << ", inputs refused " << refused);
  CHECK(refused > 100);
  CHECK(parsed > 100);
}
