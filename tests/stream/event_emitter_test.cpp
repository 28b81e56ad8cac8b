// SPDX-License-Identifier: Apache-2.0
#include "wirekit/stream/event_emitter.hpp"

#include <stdexcept>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "wirekit/error.hpp"

namespace wirekit {
namespace {

constexpr Event<int> tick{"tick"};
constexpr Event<> ping{"ping"};

TEST_CASE("EventEmitter calls listeners in order with the event's arguments") {
  EventEmitter emitter;
  std::vector<std::string> calls;
  emitter.on(tick, [&](int value) { calls.push_back("a" + std::to_string(value)); });
  emitter.addListener(tick, [&](int value) { calls.push_back("b" + std::to_string(value)); });
  CHECK(emitter.listenerCount(tick) == 2);
  CHECK(emitter.emit(tick, 7));
  CHECK(calls == std::vector<std::string>{"a7", "b7"});
  CHECK_FALSE(emitter.emit(ping));
}

TEST_CASE("EventEmitter: a listener may ignore the arguments") {
  EventEmitter emitter;
  int calls = 0;
  emitter.on(tick, [&] { ++calls; });
  emitter.emit(tick, 1);
  CHECK(calls == 1);
}

TEST_CASE("EventEmitter: once listeners run once, prepended listeners first") {
  EventEmitter emitter;
  std::vector<std::string> calls;
  emitter.on(ping, [&] { calls.push_back("on"); });
  emitter.once(ping, [&] { calls.push_back("once"); });
  emitter.prependListener(ping, [&] { calls.push_back("prepended"); });
  emitter.prependOnceListener(ping, [&] { calls.push_back("prepended once"); });
  emitter.emit(ping);
  emitter.emit(ping);
  CHECK(calls ==
        std::vector<std::string>{"prepended once", "prepended", "on", "once", "prepended", "on"});
  CHECK(emitter.listenerCount(ping) == 2);
}

TEST_CASE("EventEmitter: off removes by id, once") {
  EventEmitter emitter;
  int calls = 0;
  const ListenerId id = emitter.on(ping, [&] { ++calls; });
  CHECK(emitter.off(ping, id));
  CHECK_FALSE(emitter.off(ping, id));
  CHECK_FALSE(emitter.removeListener(tick, id));
  CHECK_FALSE(emitter.emit(ping));
  CHECK(calls == 0);
}

TEST_CASE("EventEmitter: changes during an emission") {
  EventEmitter emitter;
  std::vector<std::string> calls;
  ListenerId second = 0;
  ListenerId self = 0;
  emitter.on(ping, [&] {
    calls.push_back("first");
    emitter.off(ping, second);
    emitter.on(ping, [&] { calls.push_back("added"); });
    emitter.prependListener(ping, [&] { calls.push_back("prepended"); });
  });
  second = emitter.on(ping, [&] { calls.push_back("second"); });
  self = emitter.on(ping, [&] {
    // Removing itself while it runs: its captures must stay valid until it returns.
    emitter.off(ping, self);
    calls.push_back("self");
  });
  emitter.emit(ping);
  // Added (or prepended) listeners wait for the next emission; removed ones are skipped.
  CHECK(calls == std::vector<std::string>{"first", "self"});
  calls.clear();
  emitter.removeAllListeners(ping);
  CHECK(emitter.listenerCount(ping) == 0);
  CHECK_FALSE(emitter.emit(ping));
}

TEST_CASE("EventEmitter: nested emissions of one event") {
  EventEmitter emitter;
  std::vector<int> values;
  emitter.on(tick, [&](int value) {
    values.push_back(value);
    if (value < 3) emitter.emit(tick, value + 1);
  });
  emitter.emit(tick, 1);
  CHECK(values == std::vector<int>{1, 2, 3});
}

TEST_CASE("EventEmitter: 'error' without a listener throws the error") {
  EventEmitter emitter;
  const auto error = std::make_exception_ptr(std::runtime_error("This stream turned into bacon."));
  CHECK_THROWS_WITH(emitter.emit(events::error, error), "This stream turned into bacon.");
  CHECK_THROWS_AS(emitter.emit(events::error, std::exception_ptr()), Error);

  std::exception_ptr seen;
  emitter.on(events::error, [&](const std::exception_ptr& e) { seen = e; });
  CHECK(emitter.emit(events::error, error));
  CHECK(seen == error);
}

TEST_CASE("EventEmitter: removeAllListeners() clears every event") {
  EventEmitter emitter;
  emitter.on(ping, [] {});
  emitter.on(tick, [](int) {});
  emitter.removeAllListeners();
  CHECK(emitter.listenerCount(ping) == 0);
  CHECK(emitter.listenerCount(tick) == 0);
}

}  // namespace
}  // namespace wirekit
