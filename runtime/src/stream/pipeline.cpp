// SPDX-License-Identifier: Apache-2.0
// pipeline(), ported from Node's lib/internal/streams/pipeline.js (v20), for
// stages that are streams.

#include "wirekit/stream/pipeline.hpp"

#include <string>

#include <asio/io_context.hpp>
#include <asio/post.hpp>

#include "wirekit/error.hpp"
#include "wirekit/stream/detail/stream_access.hpp"
#include "wirekit/stream/finished.hpp"
#include "wirekit/stream/readable.hpp"
#include "wirekit/stream/writable.hpp"

namespace wirekit {

namespace {

using detail::StreamAccess;

struct Pipeline {
  asio::io_context* context = nullptr;
  Callback callback;
  std::exception_ptr error;
  int pending = 0;
  std::vector<std::function<void(std::exception_ptr)>> destroys;
  std::vector<std::function<void()>> cleanups;
  // Every stage, kept alive until the callback.
  std::vector<std::shared_ptr<Stream>> streams;

  // One of the pending completions (a pipe's two ends) is done.
  void finish(std::exception_ptr failure) { finishImpl(std::move(failure), --pending == 0); }
  // An error outside the counted completions (a late 'error', an early 'close').
  void finishOnlyHandleError(std::exception_ptr failure) { finishImpl(std::move(failure), false); }

  void finishImpl(std::exception_ptr failure, bool final) {
    // The first error wins, except that a premature close gives way to the
    // error that caused it.
    if (failure && (!error || detail::isPrematureClose(error))) error = std::move(failure);
    if (!error && !final) return;
    while (!destroys.empty()) {
      std::function<void(std::exception_ptr)> destroy = std::move(destroys.front());
      destroys.erase(destroys.begin());
      destroy(error);
    }
    if (!final || !callback) return;
    if (!error) {
      for (const std::function<void()>& cleanup : cleanups)
        cleanup();
    }
    cleanups.clear();
    asio::post(*context, [callback = std::move(callback), error = error] { callback(error); });
    callback = nullptr;
    streams.clear();
  }
};

// Destroys stream when the pipeline fails, unless it had already finished.
std::function<void(std::exception_ptr)> destroyer(const std::shared_ptr<Stream>& stream,
                                                  bool reading, bool writing) {
  auto done = std::make_shared<bool>(false);
  stream->on(events::close, [done] { *done = true; });
  finished(stream, FinishedOptions{.readable = reading, .writable = writing},
           [done](const std::exception_ptr& error) { *done = !error; });
  return [done, weak = std::weak_ptr<Stream>(stream)](const std::exception_ptr& error) {
    if (*done) return;
    *done = true;
    std::shared_ptr<Stream> target = weak.lock();
    if (target && !target->destroyed()) {
      target->destroy(error ? error : detail::streamDestroyed("pipe"));
    }
  };
}

// Node's pipe(src, dst, finish, finishOnlyHandleError, {end}): two pending
// completions, the source's end and the destination's finish.
std::function<void()> pipeStage(const std::shared_ptr<Pipeline>& pipeline,
                                const std::shared_ptr<Readable>& source,
                                const std::shared_ptr<Writable>& destination, bool end) {
  auto ended = std::make_shared<bool>(false);
  destination->on(events::close, [pipeline, ended] {
    // The destination closed before the source completed.
    if (!*ended) pipeline->finishOnlyHandleError(detail::prematureClose());
  });

  // The pipeline ends the destination itself (below), after the source's 'end'.
  source->pipe(destination, PipeOptions{.end = false});

  if (end) {
    auto endDestination = [ended, weak = std::weak_ptr<Writable>(destination)] {
      *ended = true;
      if (std::shared_ptr<Writable> target = weak.lock()) target->end();
    };
    if (StreamAccess::isReadableFinished(*source, true)) {
      asio::post(source->context(), [endDestination, keep = destination] { endDestination(); });
    } else {
      source->once(events::end, endDestination);
    }
  } else {
    pipeline->finish(nullptr);
  }

  Readable* sourceSide = source.get();
  finished(source, FinishedOptions{.readable = true, .writable = false},
           [pipeline, sourceSide](std::exception_ptr error) {
             // A source that closes before 'end' although it has ended cleanly
             // is allowed: wait for its 'end' (or 'error').
             if (error && detail::isPrematureClose(error) &&
                 StreamAccess::readableEndedFlag(*sourceSide) && !sourceSide->errored() &&
                 !StreamAccess::errorEmitted(*sourceSide)) {
               sourceSide->once(events::end, [pipeline] { pipeline->finish(nullptr); });
               sourceSide->once(events::error, [pipeline](const std::exception_ptr& failure) {
                 pipeline->finish(failure);
               });
             } else {
               pipeline->finish(std::move(error));
             }
           });
  return finished(destination, FinishedOptions{.readable = false, .writable = true},
                  [pipeline](std::exception_ptr error) { pipeline->finish(std::move(error)); });
}

[[noreturn]] void throwInvalidStage(std::size_t index, const char* expected) {
  throw TypeError("The \"streams[" + std::to_string(index) + "]\" argument must be " + expected +
                  " [ERR_INVALID_ARG_TYPE]");
}

}  // namespace

std::shared_ptr<Stream> pipeline(std::vector<std::shared_ptr<Stream>> streams, Callback callback) {
  return pipeline(std::move(streams), PipelineOptions{}, std::move(callback));
}

std::shared_ptr<Stream> pipeline(std::vector<std::shared_ptr<Stream>> streams,
                                 PipelineOptions options, Callback callback) {
  if (streams.size() < 2) {
    throw TypeError("The \"streams\" argument must be specified [ERR_MISSING_ARGS]");
  }
  const std::size_t last = streams.size() - 1;
  for (std::size_t i = 0; i <= last; ++i) {
    if (!streams[i]) throwInvalidStage(i, "a stream");
    if (i < last && StreamAccess::readableSide(*streams[i]) == nullptr) {
      throwInvalidStage(i, "a Readable or Duplex");
    }
    if (i > 0 && StreamAccess::writableSide(*streams[i]) == nullptr) {
      throwInvalidStage(i, "a Writable or Duplex");
    }
  }

  auto state = std::make_shared<Pipeline>();
  state->context = &streams.front()->context();
  state->callback = std::move(callback);
  state->streams = streams;

  for (std::size_t i = 0; i <= last; ++i) {
    const std::shared_ptr<Stream>& stream = streams[i];
    const bool reading = i < last;
    const bool writing = i > 0;
    const bool end = reading || options.end;
    const bool lastReadable = i == last && StreamAccess::isReadable(*stream);

    if (end) {
      state->destroys.push_back(destroyer(stream, reading, writing));
    }
    // Errors that come after the pipes have completed.
    const ListenerId onError = stream->on(
        events::error, [weak = std::weak_ptr<Pipeline>(state)](const std::exception_ptr& error) {
          std::shared_ptr<Pipeline> pipeline = weak.lock();
          if (pipeline && error && !detail::isPrematureClose(error)) {
            pipeline->finishOnlyHandleError(error);
          }
        });
    if (lastReadable) {
      state->cleanups.push_back([weak = std::weak_ptr<Stream>(stream), onError] {
        if (std::shared_ptr<Stream> target = weak.lock()) target->off(events::error, onError);
      });
    }

    if (i > 0) {
      // Validated above: the previous stage reads, this one writes.
      std::shared_ptr<Readable> source(streams[i - 1], StreamAccess::readableSide(*streams[i - 1]));
      std::shared_ptr<Writable> destination(stream, StreamAccess::writableSide(*stream));
      state->pending += 2;
      std::function<void()> cleanup = pipeStage(state, source, destination, end);
      if (lastReadable) state->cleanups.push_back(std::move(cleanup));
    }
  }
  return streams.back();
}

}  // namespace wirekit
