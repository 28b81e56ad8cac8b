// SPDX-License-Identifier: Apache-2.0
#include "wirekit/stream/event_emitter.hpp"

#include <vector>

#include "wirekit/error.hpp"

namespace wirekit {

void EventEmitter::throwUnspecifiedError() {
  // Node's emit('error') without an argument throws ERR_UNHANDLED_ERROR.
  throw Error("Unhandled error. (undefined) [ERR_UNHANDLED_ERROR]");
}

ListenerId EventEmitter::insert(const void* event, detail::OwningPtr<ListenerBase> listener,
                                bool prepend) {
  Listeners* listeners = find(event);
  if (listeners == nullptr) {
    events_.push_back({event, detail::makeOwning<Listeners>()});
    listeners = events_.back().listeners.get();
    listeners->event = event;
  }
  const ListenerId id = nextId_++;
  listener->id = id;
  if (prepend) {
    listeners->entries.insert(listeners->entries.begin(), std::move(listener));
    ++listeners->prepended;
  } else {
    listeners->entries.push_back(std::move(listener));
  }
  ++listeners->live;
  listenerAdded(event);
  return id;
}

void EventEmitter::retire(Listeners& listeners, ListenerBase& listener) {
  listener.removed = true;
  listeners.retired = true;
  --listeners.live;
  listenerRemoved(listeners.event);
}

bool EventEmitter::remove(const void* event, ListenerId id) {
  Listeners* listeners = find(event);
  if (listeners == nullptr) return false;
  for (std::size_t i = 0; i < listeners->entries.size(); ++i) {
    ListenerBase& listener = *listeners->entries[i];
    if (listener.id != id || listener.removed) continue;
    listener.removed = true;
    --listeners->live;
    // While the event is being emitted the listener may be the one running (it
    // can remove itself), so it is erased when the emission ends.
    if (listeners->emitting == 0) {
      listeners->entries.erase(listeners->entries.begin() + static_cast<std::ptrdiff_t>(i));
    } else {
      listeners->retired = true;
    }
    listenerRemoved(event);
    return true;
  }
  return false;
}

void EventEmitter::removeAll(const void* event) {
  Listeners* listeners = find(event);
  if (listeners == nullptr) return;
  std::size_t removed = 0;
  for (const detail::OwningPtr<ListenerBase>& listener : listeners->entries) {
    if (listener->removed) continue;
    listener->removed = true;
    ++removed;
  }
  listeners->live = 0;
  listeners->retired = true;
  if (listeners->emitting == 0) compact(*listeners);
  for (std::size_t i = 0; i < removed; ++i)
    listenerRemoved(event);
}

void EventEmitter::removeAllListeners() {
  for (std::size_t i = 0; i < events_.size(); ++i)
    removeAll(events_[i].event);
}

void EventEmitter::compact(Listeners& listeners) {
  listeners.retired = false;
  std::erase_if(listeners.entries,
                [](const detail::OwningPtr<ListenerBase>& listener) { return listener->removed; });
}

}  // namespace wirekit
