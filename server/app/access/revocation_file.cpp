// The revocations file: see revocation_file.hpp for the format and why it exists.

#include "app/access/revocation_file.hpp"

#include <spdlog/spdlog.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace puente::app {

namespace {

using namespace std::chrono;

bool is_sha256_hex(std::string_view s) {
  return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

std::optional<core::TokenRecord> parse_line(const std::string& line) {
  std::istringstream in(line);
  std::string id, sha256, millis, responder;
  if (!(in >> id >> sha256 >> millis >> responder) || !is_sha256_hex(sha256)) return std::nullopt;
  std::int64_t ms = 0;
  auto [end, ec] = std::from_chars(millis.data(), millis.data() + millis.size(), ms);
  if (ec != std::errc{} || end != millis.data() + millis.size() || ms <= 0) return std::nullopt;
  return core::TokenRecord{id, responder, sha256, std::nullopt,
                           core::TokenRecord::TimePoint(milliseconds(ms))};
}

bool sync_directory(const std::filesystem::path& dir, int& error) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  bool synced = fd >= 0 && ::fsync(fd) == 0;
  error = errno;
  if (fd >= 0) ::close(fd);
  return synced;
}

}  // namespace

RevocationFile::RevocationFile(std::filesystem::path path) : path_(std::move(path)) {}

std::vector<core::TokenRecord> RevocationFile::read() const {
  std::vector<core::TokenRecord> records;
  std::error_code ec;
  if (!std::filesystem::exists(path_, ec) && !ec) return records;
  std::ifstream in(path_);
  if (!in) throw std::runtime_error("cannot read the revoked tokens file " + path_.string());
  std::string line;
  for (unsigned number = 1; std::getline(in, line); ++number) {
    if (line.empty() || line.front() == '#') continue;
    if (auto record = parse_line(line))
      records.push_back(std::move(*record));
    else
      spdlog::warn("revoked tokens: {} line {} does not parse; skipped", path_.string(), number);
  }
  if (in.bad()) throw std::runtime_error("cannot read the revoked tokens file " + path_.string());
  return records;
}

bool RevocationFile::append(const core::TokenRecord& revoked) {
  if (!revoked.revoked_at || !is_sha256_hex(revoked.sha256) ||
      revoked.id.find_first_of(" \t\n") != std::string::npos ||
      revoked.responder_id.find_first_of(" \t\n") != std::string::npos ||
      revoked.responder_id.empty()) {
    spdlog::error("revoked tokens: token {} cannot be written down", revoked.id);
    return false;
  }
  const auto ms = duration_cast<milliseconds>(revoked.revoked_at->time_since_epoch()).count();
  auto line = revoked.id + " " + revoked.sha256 + " " + std::to_string(ms) + " " +
              revoked.responder_id + "\n";
  std::lock_guard lock(mutex_);
  std::error_code ec;
  const bool created = !std::filesystem::exists(path_, ec);
  int fd = ::open(path_.c_str(), O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  // A line a crash cut short would swallow this one: start a new line after it.
  struct stat st {};
  char last = '\n';
  if (fd >= 0 && ::fstat(fd, &st) == 0 && st.st_size > 0 &&
      ::pread(fd, &last, 1, st.st_size - 1) == 1 && last != '\n')
    line.insert(0, "\n");
  // One write of a line under PIPE_BUF: nodes sharing the file never interleave within a line.
  bool written = fd >= 0 &&
                 ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) &&
                 ::fsync(fd) == 0;
  int error = errno;
  if (fd >= 0) ::close(fd);
  // A new file's name is durable once its directory is synced too.
  if (written && created)
    written = sync_directory(path_.parent_path().empty() ? "." : path_.parent_path(), error);
  if (!written)
    spdlog::error("revoked tokens: cannot append to {}: {}", path_.string(), std::strerror(error));
  return written;
}

}  // namespace puente::app
