// SPDX-License-Identifier: Apache-2.0
#pragma once
// Certificates for the TLS tests (tls_test.cpp, the NATS client's TLS
// tests), made at test time with the openssl command, never checked in.

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <system_error>

namespace wirekit::test {

// The test's certificates, made once per run in a temporary directory that
// is removed at exit: a CA; a server certificate it signed for localhost and
// 127.0.0.1; a client certificate it signed; and a server certificate for
// the same names signed by another CA, which the clients do not trust; and
// one the CA signed for the name localhost only (no IP address).
class Pki {
 public:
  Pki()
      : dir_(std::filesystem::temp_directory_path() /
             ("wirekit-tls-" + std::to_string(::getpid()))) {
    std::filesystem::create_directories(dir_);
    const std::string script = R"(
set -e
cd ')" + dir_.string() + R"('
key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:prime256v1 -out "$1.key"; }
ca() {
  key "$1"
  openssl req -x509 -new -key "$1.key" -out "$1.crt" -days 2 -subj "/CN=$2" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
}
leaf() {  # name, CA, subject, extensions
  key "$1"
  openssl req -new -key "$1.key" -out "$1.csr" -subj "/CN=$3"
  printf 'basicConstraints=CA:FALSE\n%s\n' "$4" > "$1.ext"
  openssl x509 -req -in "$1.csr" -CA "$2.crt" -CAkey "$2.key" -CAcreateserial -days 2 \
    -extfile "$1.ext" -out "$1.crt"
}
ca ca "wirekit test CA"
ca rogue-ca "wirekit rogue CA"
leaf server ca localhost "subjectAltName=DNS:localhost,IP:127.0.0.1"
leaf client ca client "extendedKeyUsage=clientAuth"
leaf rogue rogue-ca localhost "subjectAltName=DNS:localhost,IP:127.0.0.1"
leaf named ca localhost "subjectAltName=DNS:localhost"
)";
    const std::filesystem::path scriptPath = dir_ / "make.sh";
    std::ofstream(scriptPath) << script;
    const std::string command =
        "sh '" + scriptPath.string() + "' > '" + (dir_ / "make.log").string() + "' 2>&1";
    if (std::system(command.c_str()) != 0) {
      throw std::runtime_error("making the test certificates failed: see " +
                               (dir_ / "make.log").string());
    }
  }
  Pki(const Pki&) = delete;
  Pki& operator=(const Pki&) = delete;
  ~Pki() {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  // The path of one of the files ("ca.crt", "server.key").
  [[nodiscard]] std::string path(const std::string& name) const { return (dir_ / name).string(); }
  // Its text.
  [[nodiscard]] std::string pem(const std::string& name) const {
    std::ifstream file(path(name));
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
  }

 private:
  std::filesystem::path dir_;
};

inline const Pki& pki() {
  static const Pki instance;
  return instance;
}

}  // namespace wirekit::test
