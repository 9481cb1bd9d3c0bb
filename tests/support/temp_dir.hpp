#pragma once
// A fresh directory under the system temp dir (TMPDIR), removed with everything in it when the
// object goes. Set PUENTE_KEEP_TEST_DIRS=1 to keep it (and print its path) for a post-mortem:
// server logs, AOF files.

#include <filesystem>
#include <string>

namespace puente::test {

class TempDir {
 public:
  // `prefix` starts the directory's name, e.g. "puente-redis-". Throws std::runtime_error if
  // the directory cannot be created.
  explicit TempDir(const std::string& prefix = "puente-test-");
  ~TempDir();

  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace puente::test
