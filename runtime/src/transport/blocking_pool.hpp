// SPDX-License-Identifier: Apache-2.0
#pragma once
// BlockingPool: where the file streams make their blocking system calls, off
// the event loop's thread. Asio as Debian builds it has no asynchronous file
// I/O (no io_uring), so each io_context that uses files gets one pool thread,
// an asio::thread_pool owned by a service of that io_context. Work runs there;
// its completion is posted back to the io_context, so stream state is only
// ever touched on the loop's thread. Work in flight counts as the
// io_context's outstanding work (run() does not return before the completion),
// and when the io_context is destroyed the service first waits for that work,
// so no completion is posted to a context that is gone. Internal to the runtime.

#include <utility>

#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <asio/thread_pool.hpp>

namespace wirekit::detail {

class BlockingPool final : public asio::execution_context::service {
 public:
  static asio::execution_context::id id;

  explicit BlockingPool(asio::execution_context& owner);

  // Calls work() on the pool's thread, then completion(result) on a thread
  // running context. work must touch nothing the loop's thread uses; it is
  // given only plain data (a descriptor, a path, iovecs).
  template <class Work, class Completion>
  static void run(asio::io_context& context, Work work, Completion completion) {
    BlockingPool& pool = asio::use_service<BlockingPool>(context);
    asio::post(pool.threads_, [&context, work = std::move(work), completion = std::move(completion),
                               guard = asio::make_work_guard(context)]() mutable {
      // The guard goes with the completion and is released on the loop's
      // thread once it has run. Released here, after the post, it could drop
      // the loop's work to zero at any later moment, and stop a loop that had
      // meanwhile run the completion and been restarted with new work.
      asio::post(context, [completion = std::move(completion), result = work(),
                           guard = std::move(guard)]() mutable { completion(std::move(result)); });
    });
  }

 private:
  void shutdown() override;

  asio::thread_pool threads_{1};
};

}  // namespace wirekit::detail
