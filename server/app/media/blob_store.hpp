#pragma once
// Where media bytes live (docs/evidence.md): one small interface, so a network could put them
// elsewhere, and the one this project ships, a local folder. The folder is content-addressed:
// a file is named by the SHA-256 of its bytes, so two nodes that write the same photo write the
// same file, a mounted volume (NFS, a shared disk) can serve several nodes at once, and a name
// that still matches its bytes is proof they did not change.
//
//   <dir>/blobs/<first 2 hex>/<64 hex>   a kept file, 0600, never changed once written
//   <dir>/uploads/<upload id>.part       an upload's bytes so far (its size is its offset)
//   <dir>/tmp/                           files being written, renamed into blobs/ when whole
//
// Every write is made durable before it is answered: the file is fsynced, renamed into place
// (atomic on one file system, so a reader sees the whole file or none), and its folder fsynced.
// Chunks of one upload are appended under an exclusive lock of the part file (flock), so two
// nodes taking a retried chunk at once write it once. Calls block on the disk (a chunk is at
// most [media] chunk_bytes): the media desk makes them on a thread of their own
// (disk_thread.hpp), never on the node's main thread.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace puente::app {

class BlobStore {
 public:
  virtual ~BlobStore() = default;

  // Appends `bytes` to upload `upload_id` if it holds exactly `offset` bytes now; answers how
  // many it holds afterwards (not offset + size: the chunk was for another offset, nothing was
  // written). Throws std::runtime_error on a disk failure.
  virtual std::uint64_t append(const std::string& upload_id, std::uint64_t offset,
                               std::string_view bytes) = 0;
  // How many bytes upload `upload_id` holds (0 for none).
  virtual std::uint64_t staged_size(const std::string& upload_id) const = 0;
  // The first `count` bytes of the upload (fewer if it holds fewer).
  virtual std::string staged_head(const std::string& upload_id, std::size_t count) const = 0;
  // Keeps the whole upload as a blob; answers its SHA-256 (lowercase hex). The upload is gone
  // afterwards. Throws std::runtime_error on a disk failure.
  virtual std::string keep_upload(const std::string& upload_id) = 0;
  virtual void drop_upload(const std::string& upload_id) = 0;

  // Keeps `bytes` as a blob (a shared copy); answers its SHA-256.
  virtual std::string keep(std::string_view bytes) = 0;
  // The file holding blob `sha256`, to be read (and never written); nullopt if there is none.
  virtual std::optional<std::filesystem::path> find(const std::string& sha256) const = 0;
  // Deletes blob `sha256` (nothing refers to it any more); none is no error.
  virtual void forget(const std::string& sha256) = 0;
};

// The local folder (or mounted volume) above. Creates its folders (0700) at construction;
// throws std::runtime_error naming the folder if it cannot.
class LocalBlobStore : public BlobStore {
 public:
  explicit LocalBlobStore(std::filesystem::path dir);

  std::uint64_t append(const std::string& upload_id, std::uint64_t offset,
                       std::string_view bytes) override;
  std::uint64_t staged_size(const std::string& upload_id) const override;
  std::string staged_head(const std::string& upload_id, std::size_t count) const override;
  std::string keep_upload(const std::string& upload_id) override;
  void drop_upload(const std::string& upload_id) override;
  std::string keep(std::string_view bytes) override;
  std::optional<std::filesystem::path> find(const std::string& sha256) const override;
  void forget(const std::string& sha256) override;

  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path part_of(const std::string& upload_id) const;
  std::filesystem::path blob_path(const std::string& sha256) const;
  // Renames the fsynced file `from` to blob `sha256` and fsyncs the folders.
  void settle(const std::filesystem::path& from, const std::string& sha256);

  std::filesystem::path dir_;
};

}  // namespace puente::app
