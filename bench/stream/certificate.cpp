// SPDX-License-Identifier: Apache-2.0
#include "certificate.hpp"

#include <unistd.h>

#include <cstdlib>
#include <stdexcept>
#include <system_error>

namespace bench::streams {

Certificate::Certificate()
    : dir_(std::filesystem::temp_directory_path() /
           ("wirekit-bench-tls-" + std::to_string(::getpid()))) {
  std::filesystem::create_directories(dir_);
  const std::string command =
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 "
      "-subj /CN=localhost -addext subjectAltName=IP:127.0.0.1 -keyout '" +
      key() + "' -out '" + cert() + "' > /dev/null 2>&1";
  if (std::system(command.c_str()) != 0) {
    throw std::runtime_error("openssl could not make the benchmark's certificate");
  }
}

Certificate::~Certificate() {
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

const Certificate& certificate() {
  static const Certificate instance;
  return instance;
}

}  // namespace bench::streams
