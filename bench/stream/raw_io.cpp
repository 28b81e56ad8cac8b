// SPDX-License-Identifier: Apache-2.0
#include "raw_io.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <memory>
#include <system_error>

namespace bench::streams {

FileDescriptor& FileDescriptor::operator=(FileDescriptor&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

FileDescriptor::~FileDescriptor() {
  if (fd_ >= 0) ::close(fd_);
}

void throwErrno(const std::string& what) {
  throw std::system_error(errno, std::generic_category(), what);
}

namespace {

void setNoDelay(int fd) {
  const int on = 1;
  if (::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on) != 0) throwErrno("TCP_NODELAY");
}

}  // namespace

Loopback connectLoopback() {
  FileDescriptor listener(::socket(AF_INET, SOCK_STREAM, 0));
  if (listener.get() < 0) throwErrno("socket");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (::bind(listener.get(), reinterpret_cast<sockaddr*>(&address), length) != 0) {
    throwErrno("bind");
  }
  if (::listen(listener.get(), 1) != 0) throwErrno("listen");
  if (::getsockname(listener.get(), reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    throwErrno("getsockname");
  }
  Loopback link{FileDescriptor(::socket(AF_INET, SOCK_STREAM, 0)), {}};
  if (link.client.get() < 0) throwErrno("socket");
  if (::connect(link.client.get(), reinterpret_cast<sockaddr*>(&address), length) != 0) {
    throwErrno("connect");
  }
  link.server = FileDescriptor(::accept(listener.get(), nullptr, nullptr));
  if (link.server.get() < 0) throwErrno("accept");
  setNoDelay(link.client.get());
  setNoDelay(link.server.get());
  return link;
}

void writeAll(int fd, const std::byte* data, std::size_t size) {
  while (size > 0) {
    const ssize_t written = ::write(fd, data, size);
    if (written < 0) {
      if (errno == EINTR) continue;
      throwErrno("write");
    }
    data += written;
    size -= static_cast<std::size_t>(written);
  }
}

void writeRepeated(int fd, std::span<const std::byte> chunk, std::size_t total) {
  for (std::size_t done = 0; done < total; done += chunk.size()) {
    writeAll(fd, chunk.data(), chunk.size());
  }
}

FileDescriptor openForWriting(const std::string& path) {
  FileDescriptor fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (fd.get() < 0) throwErrno("open " + path);
  return fd;
}

ByteCounter::ByteCounter(int fd) : thread_([this, fd] { run(fd); }) {}

ByteCounter::~ByteCounter() {
  thread_.join();
}

void ByteCounter::waitFor(std::uint64_t total) {
  for (std::uint64_t seen = received_.load(); seen < total; seen = received_.load()) {
    received_.wait(seen);
  }
}

void ByteCounter::run(int fd) {
  constexpr std::size_t bufferSize = 256 * 1024;
  const auto buffer = std::make_unique<std::byte[]>(bufferSize);
  for (;;) {
    const ssize_t got = ::read(fd, buffer.get(), bufferSize);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    received_.fetch_add(static_cast<std::uint64_t>(got));
    received_.notify_all();
  }
}

ScratchFile::ScratchFile(const std::string& name)
    : path_((std::filesystem::temp_directory_path() /
             ("wirekit-bench-" + std::to_string(::getpid()) + "-" + name))
                .string()) {}

ScratchFile::~ScratchFile() {
  std::error_code ignored;
  std::filesystem::remove(path_, ignored);
}

}  // namespace bench::streams
