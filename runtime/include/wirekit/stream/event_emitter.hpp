// SPDX-License-Identifier: Apache-2.0
#pragma once
// EventEmitter: Node's events module with typed events. An event is a constant
// of type Event<Args...> that names the listener's parameters, so that
// registering a listener of the wrong shape does not compile:
//
//   stream->on(events::data, [](const Buffer& chunk) { ... });
//   ListenerId id = stream->once(events::end, [] { ... });
//   stream->off(events::end, id);
//
// Node identifies a listener by its function object; std::function has no
// identity, so on() and its siblings return a ListenerId for removal instead.
// A listener may ignore the event's arguments (take none).
//
// As in Node, listeners run synchronously in registration order; a listener
// added while an event is being emitted is not called for that emission. Unlike
// Node, one removed during an emission is not called either (Node calls the
// snapshot it took). Emitting events::error with no listener throws the error,
// as Node's uncaught 'error' does; from a posted callback it propagates out of
// asio::io_context::run().
//
// Subclasses define their own events the same way (inline constexpr Event<...>
// in namespace wirekit::events); the emitter stores listeners by the address of
// the event constant.

#include <cstddef>
#include <cstdint>
#include <exception>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>
#include "wirekit/detail/function.hpp"
#include "wirekit/detail/owning_ptr.hpp"

#include "wirekit/export.hpp"

namespace wirekit {

// An event whose listeners take Args.
template <class... Args>
class Event {
 public:
  constexpr explicit Event(std::string_view name) noexcept : name_(name) {}
  Event(const Event&) = delete;
  Event& operator=(const Event&) = delete;

  // Node's event name ("data"), for messages and the docs' mapping table.
  [[nodiscard]] constexpr std::string_view name() const noexcept { return name_; }

 private:
  std::string_view name_;
};

namespace events {
// 'error': emitted at most once per stream, with the error that broke it.
WIREKIT_EXPORT inline constexpr Event<const std::exception_ptr&> error{"error"};
}  // namespace events

// What on(), once() and their siblings return, to remove the listener with off().
using ListenerId = std::uint64_t;

class WIREKIT_EXPORT EventEmitter {
 public:
  EventEmitter() = default;
  EventEmitter(const EventEmitter&) = delete;
  EventEmitter& operator=(const EventEmitter&) = delete;
  virtual ~EventEmitter() = default;

  // emitter.on(event, listener) / addListener.
  template <class... Args, class F>
  ListenerId on(const Event<Args...>& event, F&& listener) {
    return add<Args...>(event, std::forward<F>(listener), false, false);
  }
  template <class... Args, class F>
  ListenerId addListener(const Event<Args...>& event, F&& listener) {
    return add<Args...>(event, std::forward<F>(listener), false, false);
  }
  // emitter.once(event, listener): removed before it is called.
  template <class... Args, class F>
  ListenerId once(const Event<Args...>& event, F&& listener) {
    return add<Args...>(event, std::forward<F>(listener), true, false);
  }
  // emitter.prependListener / prependOnceListener: called before the others.
  template <class... Args, class F>
  ListenerId prependListener(const Event<Args...>& event, F&& listener) {
    return add<Args...>(event, std::forward<F>(listener), false, true);
  }
  template <class... Args, class F>
  ListenerId prependOnceListener(const Event<Args...>& event, F&& listener) {
    return add<Args...>(event, std::forward<F>(listener), true, true);
  }

  // emitter.off(event, listener) / removeListener: false if id is not a listener
  // of event (any more).
  template <class... Args>
  bool off(const Event<Args...>& event, ListenerId id) {
    return remove(&event, id);
  }
  template <class... Args>
  bool removeListener(const Event<Args...>& event, ListenerId id) {
    return remove(&event, id);
  }
  // emitter.removeAllListeners(event) and removeAllListeners().
  template <class... Args>
  void removeAllListeners(const Event<Args...>& event) {
    removeAll(&event);
  }
  void removeAllListeners();

  template <class... Args>
  [[nodiscard]] std::size_t listenerCount(const Event<Args...>& event) const noexcept {
    const Listeners* listeners = find(&event);
    return listeners == nullptr ? 0 : listeners->live;
  }

  // emitter.emit(event, ...args): calls the listeners; false if there were none.
  // Public as in Node, so that subclasses and tests can emit; emitting a
  // stream's own events by hand can break its invariants, as it can in Node.
  template <class... Args, class... Values>
  bool emit(const Event<Args...>& event, Values&&... values) {
    Listeners* listeners = find(&event);
    if (listeners == nullptr || listeners->live == 0) {
      if constexpr (std::is_same_v<Event<Args...>, Event<const std::exception_ptr&>>) {
        if (&event == &events::error) throwUnhandled(values...);
      }
      return false;
    }
    EmitScope scope(*this, *listeners);
    // Listeners added by a listener are appended past count and wait for the
    // next emission (prepended ones shift the rest, hence the offset); the
    // Listener objects themselves do not move when the vector grows.
    const std::size_t count = listeners->entries.size();
    const std::size_t prepended = listeners->prepended;
    for (std::size_t i = 0; i < count; ++i) {
      ListenerBase& base = *listeners->entries[i + (listeners->prepended - prepended)];
      if (base.removed) continue;
      if (base.once) retire(*listeners, base);
      static_cast<Listener<Args...>&>(base).function(values...);
    }
    return true;
  }

 protected:
  // Called after a listener is added to, or removed from, event (Readable
  // starts flowing when a 'data' listener arrives, as Node's Readable.on does).
  virtual void listenerAdded(const void* event) { static_cast<void>(event); }
  virtual void listenerRemoved(const void* event) { static_cast<void>(event); }

 private:
  struct ListenerBase {
    virtual ~ListenerBase() = default;
    ListenerId id = 0;
    bool once = false;
    bool removed = false;
  };

  template <class... Args>
  struct Listener final : ListenerBase {
    std::function<void(Args...)> function;
  };

  // The listeners of one event. Removal during an emission only marks the
  // listener (a listener may remove itself while it runs); the marked ones are
  // erased when the outermost emission of the event returns.
  struct Listeners {
    const void* event = nullptr;
    std::vector<detail::OwningPtr<ListenerBase>> entries;
    std::size_t live = 0;
    std::size_t prepended = 0;
    int emitting = 0;
    // Listeners removed while an emission ran, still to erase.
    bool retired = false;
  };

  // An event's key beside its listeners, so that find() scans one array.
  struct EventListeners {
    const void* event = nullptr;
    detail::OwningPtr<Listeners> listeners;
  };

  class EmitScope {
   public:
    EmitScope(EventEmitter& emitter, Listeners& listeners) noexcept
        : emitter_(emitter), listeners_(listeners) {
      ++listeners_.emitting;
    }
    EmitScope(const EmitScope&) = delete;
    EmitScope& operator=(const EmitScope&) = delete;
    ~EmitScope() {
      if (--listeners_.emitting == 0 && listeners_.retired) emitter_.compact(listeners_);
    }

   private:
    EventEmitter& emitter_;
    Listeners& listeners_;
  };

  template <class... Args, class F>
  ListenerId add(const Event<Args...>& event, F&& function, bool once, bool prepend) {
    auto* listener = new Listener<Args...>();
    detail::OwningPtr<ListenerBase> owned(listener);
    if constexpr (std::is_invocable_v<std::decay_t<F>&, Args...>) {
      listener->function = std::forward<F>(function);
    } else {
      static_assert(std::is_invocable_v<std::decay_t<F>&>,
                    "a listener takes the event's arguments, or none");
      listener->function = [inner = std::forward<F>(function)](Args...) mutable { inner(); };
    }
    listener->once = once;
    return insert(&event, std::move(owned), prepend);
  }

  template <class... Values>
  [[noreturn]] static void throwUnhandled(const std::exception_ptr& error, const Values&...) {
    if (error) std::rethrow_exception(error);
    throwUnspecifiedError();
  }
  [[noreturn]] static void throwUnspecifiedError();

  ListenerId insert(const void* event, detail::OwningPtr<ListenerBase> listener, bool prepend);
  bool remove(const void* event, ListenerId id);
  void removeAll(const void* event);
  void retire(Listeners& listeners, ListenerBase& listener);
  void compact(Listeners& listeners);
  [[nodiscard]] Listeners* find(const void* event) const noexcept {
    for (const EventListeners& entry : events_) {
      if (entry.event == event) return entry.listeners.get();
    }
    return nullptr;
  }

  // The events with listeners (or that had some). Never shrinks, and each
  // Listeners is on the heap, so that it stays put while it is being emitted.
  std::vector<EventListeners> events_;
  ListenerId nextId_ = 1;
};

}  // namespace wirekit
