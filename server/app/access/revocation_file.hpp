#pragma once
// Token revocations kept where Redis cannot undo them.
//
// A revocation lives in Redis (store/token_store.hpp), and Redis can lose it: a record deleted
// by hand, a backup restored from before it, a replica promoted before it arrived. Each node
// therefore also appends every revocation it learns of (its own, another node's through Redis)
// to a file of its own machine, by default `revoked-tokens` in the node's state folder
// ([node] state_dir), and reads it at start; TokenRegistry then refuses those tokens whatever
// Redis says. Nodes that share a machine and a state folder share the file; a node on another
// machine learns revocations through Redis as before, and keeps them from then on (copy the file
// with the roster to a new machine).
//
// One revocation a line, appended and fsynced before anyone is told it is done:
//
//   <token id> <token sha256, 64 hex> <revoked at, Unix milliseconds> <responder id>
//
// The hash is the roster's own kind of secret (SHA-256 of a 256-bit token), so the file is
// created 0600. Lines starting with '#' and blank lines are skipped; a line that does not parse
// (a write cut short by a crash) is skipped with a warning.

#include "core/token_registry.hpp"

#include <filesystem>
#include <mutex>
#include <vector>

namespace puente::app {

class RevocationFile {
 public:
  explicit RevocationFile(std::filesystem::path path);

  // Every revocation in the file; none if it does not exist yet. Throws std::runtime_error if
  // it exists and cannot be read: a node that cannot know what was revoked does not start.
  std::vector<core::TokenRecord> read() const;
  // Appends `revoked` and fsyncs. Thread-safe. False (and an error logged) if it could not.
  bool append(const core::TokenRecord& revoked);

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  std::mutex mutex_;  // one line at a time
};

}  // namespace puente::app
