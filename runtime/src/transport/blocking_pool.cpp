// SPDX-License-Identifier: Apache-2.0
#include "blocking_pool.hpp"

namespace wirekit::detail {

// id's constructor is empty (`id() {}`): it cannot throw.
asio::execution_context::id BlockingPool::id;  // NOLINT(cert-err58-cpp)

BlockingPool::BlockingPool(asio::execution_context& owner)
    : asio::execution_context::service(owner) {}

void BlockingPool::shutdown() {
  // The io_context is being destroyed: let the calls in flight finish, so that
  // their completions are posted (then destroyed with the context's queue)
  // before the context goes.
  threads_.join();
}

}  // namespace wirekit::detail
