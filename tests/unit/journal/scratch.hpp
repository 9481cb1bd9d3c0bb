#pragma once
// What the journal tests share: a fresh directory per test, whole-file reads and writes for
// damaging a journal on purpose, and a capture of spdlog's warnings.

#include "store/journal.hpp"

#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace puente::store::test {

// A new directory under the system temp dir with a random name, removed with its contents when
// the object goes.
class ScratchDir {
 public:
  ScratchDir() {
    std::random_device random;
    const auto name = "puente-journal-" + std::to_string(random()) + "-" + std::to_string(random());
    path_ = std::filesystem::temp_directory_path() / name;
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline void write_bytes(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

inline std::vector<std::uint64_t> sequences_of(const std::vector<Journal::Entry>& entries) {
  std::vector<std::uint64_t> sequences;
  for (const auto& entry : entries) sequences.push_back(entry.sequence);
  return sequences;
}

inline std::vector<std::string> payloads_of(const std::vector<Journal::Entry>& entries) {
  std::vector<std::string> payloads;
  for (const auto& entry : entries) payloads.push_back(entry.payload);
  return payloads;
}

// While alive, spdlog's default logger writes into memory instead of the console.
class CapturedLog {
 public:
  CapturedLog()
      : sink_(std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(64)),
        previous_(spdlog::default_logger()) {
    spdlog::set_default_logger(std::make_shared<spdlog::logger>("journal-test", sink_));
  }
  ~CapturedLog() { spdlog::set_default_logger(previous_); }
  CapturedLog(const CapturedLog&) = delete;
  CapturedLog& operator=(const CapturedLog&) = delete;

  std::string text() const {
    std::string all;
    for (const auto& line : sink_->last_formatted()) all += line;
    return all;
  }

 private:
  std::shared_ptr<spdlog::sinks::ringbuffer_sink_mt> sink_;
  std::shared_ptr<spdlog::logger> previous_;
};

}  // namespace puente::store::test
