// SPDX-License-Identifier: Apache-2.0
#pragma once
// pipeline(): Node's stream.pipeline. Pipes each stream into the next (the
// first Readable, the middle ones Duplex, the last Writable) and calls
// callback once: with nullptr when the last stream has finished, or with the
// first error any of them had, after destroying every stream that had not
// finished. It keeps all the streams alive until it calls back.
//
//   pipeline({Readable::from(io, chunks), encoder, socket},
//            [](std::exception_ptr error) { ... });
//
// Node's pipeline also takes iterables, generators and async functions; here
// every stage is a stream.

#include <memory>
#include <vector>

#include "wirekit/export.hpp"
#include "wirekit/stream/stream.hpp"

namespace wirekit {

struct PipelineOptions {
  // End the last stream when the one before it ends.
  bool end = true;
};

// Returns the last stream. TypeError (ERR_MISSING_ARGS) for fewer than two
// streams, or ERR_INVALID_ARG_TYPE for a stage that cannot read or write as
// its place requires.
WIREKIT_EXPORT std::shared_ptr<Stream> pipeline(std::vector<std::shared_ptr<Stream>> streams,
                                                Callback callback);
WIREKIT_EXPORT std::shared_ptr<Stream> pipeline(std::vector<std::shared_ptr<Stream>> streams,
                                                PipelineOptions options, Callback callback);

}  // namespace wirekit
