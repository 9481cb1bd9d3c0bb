#include "app/media/blob_store.hpp"

#include "core/bearer_token.hpp"
#include "core/ids.hpp"
#include "evidence/bundle_zip.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace puente::app {

namespace {

namespace fs = std::filesystem;

[[noreturn]] void blob_failure(const std::string& what, const fs::path& path) {
  throw std::runtime_error("media: cannot " + what + " " + path.string() + ": " +
                           std::strerror(errno));
}

void fsync_folder(const fs::path& folder) {
  int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) blob_failure("open", folder);
  ::fsync(fd);
  ::close(fd);
}

void make_private_folder(const fs::path& folder) {
  std::error_code ec;
  fs::create_directories(folder, ec);
  if (ec || !fs::is_directory(folder))
    throw std::runtime_error("media: cannot create " + folder.string());
  fs::permissions(folder, fs::perms::owner_all, ec);
}

// Closes the descriptor when it goes (and with it the lock).
struct OpenBlobFile {
  int fd;
  ~OpenBlobFile() {
    if (fd >= 0) ::close(fd);
  }
};

bool write_whole(int fd, std::string_view bytes, off_t at) {
  while (!bytes.empty()) {
    auto n = ::pwrite(fd, bytes.data(), bytes.size(), at);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
    at += n;
  }
  return true;
}

bool is_blob_name(const std::string& sha256) {
  return sha256.size() == 64 && std::all_of(sha256.begin(), sha256.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

}  // namespace

LocalBlobStore::LocalBlobStore(fs::path dir) : dir_(std::move(dir)) {
  for (const char* sub : {"blobs", "uploads", "tmp"}) make_private_folder(dir_ / sub);
}

fs::path LocalBlobStore::part_of(const std::string& upload_id) const {
  // Ids are checked by the routes (core::valid_id); this keeps a bad one out of the path anyway.
  if (!core::valid_id("upl", upload_id)) throw std::runtime_error("media: not an upload id");
  return dir_ / "uploads" / (upload_id + ".part");
}

fs::path LocalBlobStore::blob_path(const std::string& sha256) const {
  return dir_ / "blobs" / sha256.substr(0, 2) / sha256;
}

std::uint64_t LocalBlobStore::append(const std::string& upload_id, std::uint64_t offset,
                                     std::string_view bytes) {
  auto part = part_of(upload_id);
  OpenBlobFile file{::open(part.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600)};
  if (file.fd < 0) blob_failure("open", part);
  if (::flock(file.fd, LOCK_EX) != 0) blob_failure("lock", part);
  struct stat st {};
  if (::fstat(file.fd, &st) != 0) blob_failure("read the size of", part);
  auto size = static_cast<std::uint64_t>(st.st_size);
  if (size != offset) return size;
  // Durable before it is answered: the client moves on to the next chunk on our word.
  if (!write_whole(file.fd, bytes, static_cast<off_t>(offset)) || ::fsync(file.fd) != 0) {
    // A partial write is cut off again, so the offset stays one the client sent from.
    if (::ftruncate(file.fd, static_cast<off_t>(offset)) != 0) {
    }
    blob_failure("write", part);
  }
  return offset + bytes.size();
}

std::uint64_t LocalBlobStore::staged_size(const std::string& upload_id) const {
  std::error_code ec;
  auto size = fs::file_size(part_of(upload_id), ec);
  return ec ? 0 : size;
}

std::string LocalBlobStore::staged_head(const std::string& upload_id, std::size_t count) const {
  auto part = part_of(upload_id);
  OpenBlobFile file{::open(part.c_str(), O_RDONLY | O_CLOEXEC)};
  if (file.fd < 0) return {};
  std::string head(count, '\0');
  auto n = ::pread(file.fd, head.data(), count, 0);
  head.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
  return head;
}

void LocalBlobStore::settle(const fs::path& from, const std::string& sha256) {
  auto to = blob_path(sha256);
  make_private_folder(to.parent_path());
  // Same bytes, same name: a blob already there is this one, and stays as it is.
  if (fs::exists(to)) {
    ::unlink(from.c_str());
    return;
  }
  if (::rename(from.c_str(), to.c_str()) != 0) blob_failure("keep", to);
  fsync_folder(to.parent_path());
  fsync_folder(from.parent_path());
}

std::string LocalBlobStore::keep_upload(const std::string& upload_id) {
  auto part = part_of(upload_id);
  auto sha = evidence::file_sha256(part);
  settle(part, sha);
  return sha;
}

void LocalBlobStore::drop_upload(const std::string& upload_id) {
  std::error_code ec;
  fs::remove(part_of(upload_id), ec);
}

std::string LocalBlobStore::keep(std::string_view bytes) {
  auto sha = core::sha256_hex(bytes);
  auto temporary = dir_ / "tmp" / core::new_id("blob");
  {
    OpenBlobFile file{::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)};
    if (file.fd < 0) blob_failure("create", temporary);
    if (!write_whole(file.fd, bytes, 0) || ::fsync(file.fd) != 0) {
      ::unlink(temporary.c_str());
      blob_failure("write", temporary);
    }
  }
  settle(temporary, sha);
  return sha;
}

std::optional<fs::path> LocalBlobStore::find(const std::string& sha256) const {
  if (!is_blob_name(sha256)) return std::nullopt;
  auto path = blob_path(sha256);
  if (!fs::exists(path)) return std::nullopt;
  return path;
}

void LocalBlobStore::forget(const std::string& sha256) {
  if (!is_blob_name(sha256)) return;
  std::error_code ec;
  fs::remove(blob_path(sha256), ec);
}

}  // namespace puente::app
