// SPDX-License-Identifier: Apache-2.0
#pragma once
// finished(): Node's stream.finished (end-of-stream). Calls callback once when
// the stream can no longer be read or written: nullptr after 'end' (readable)
// and 'finish' (writable) or a clean 'close'; the error after 'error';
// ERR_STREAM_PREMATURE_CLOSE when it closes before ending or finishing. A
// stream that is already done gets the callback on the next tick.
//
//   finished(socket, [](std::exception_ptr error) { if (error) log(errorMessage(error)); });

#include <memory>
#include <optional>
#include "wirekit/detail/function.hpp"

#include "wirekit/export.hpp"
#include "wirekit/stream/stream.hpp"

namespace wirekit {

struct FinishedOptions {
  // Wait for the readable (writable) side; by default, each side the stream has.
  std::optional<bool> readable{};
  std::optional<bool> writable{};
  // false: an 'error' alone does not call back (wait for 'close').
  bool error = true;
};

// Returns the cleanup function: it removes the listeners finished() added,
// after which callback is not called.
WIREKIT_EXPORT std::function<void()> finished(const std::shared_ptr<Stream>& stream,
                                              Callback callback);
WIREKIT_EXPORT std::function<void()> finished(const std::shared_ptr<Stream>& stream,
                                              FinishedOptions options, Callback callback);

}  // namespace wirekit
