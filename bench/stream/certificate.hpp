// SPDX-License-Identifier: Apache-2.0
#pragma once
// A self-signed P-256 certificate for 127.0.0.1, made with the openssl command
// once per process and removed at exit: what the TLS benchmarks serve and
// verify.

#include <filesystem>
#include <string>

namespace bench::streams {

class Certificate {
 public:
  Certificate();
  Certificate(const Certificate&) = delete;
  Certificate& operator=(const Certificate&) = delete;
  ~Certificate();

  [[nodiscard]] std::string key() const { return (dir_ / "key.pem").string(); }
  [[nodiscard]] std::string cert() const { return (dir_ / "cert.pem").string(); }

 private:
  std::filesystem::path dir_;
};

// The process's certificate, made on first use.
const Certificate& certificate();

}  // namespace bench::streams
