#pragma once
// The local journal: where a node puts the reports and acks it accepts while Redis is
// unreachable, so that a `202 queued` survives a crash, and from which it replays them, in
// order, when Redis returns. One file of records, appended and fdatasync'ed one at a time; a
// small side file remembers how far the replay got.
//
// Journal file (`path`): a sequence of records, nothing else. All integers little-endian.
//
//   offset  size  field
//        0     2  magic      'P' 'J'
//        2     1  version    1
//        3     1  reserved   0
//        4     4  length     payload bytes, at most max_payload_bytes (1 MiB)
//        8     8  sequence   > 0, strictly increasing along the file, below 2^63
//       16     4  crc        CRC32C (Castagnoli) of bytes 0..15 and of the payload
//       20     n  payload    opaque bytes (a serialized protobuf, to the caller)
//
// Open scans the file from the start. The first record that is not whole and sound (a partial
// header, a bad magic, a length over the limit or past the end of the file, a CRC mismatch, a
// sequence not above the one before) marks the end of the journal: it and everything after it
// are truncated away, with a warning naming the byte offset. A crash in the middle of an append
// leaves exactly such a torn tail; it was never answered with success, so nothing accepted is
// lost. A record whose magic is right but whose version is newer than this code is not treated
// as damage: open refuses the file rather than truncate what a newer Puente wrote.
//
// Acknowledgement file (`path` + ".ack"), replaced atomically (write `.ack.tmp`, fsync, rename,
// fsync the directory) on every acknowledge():
//
//        0     2  magic      'P' 'A'
//        2     1  version    1
//        3     1  reserved   0
//        4     8  sequence   every record up to and including it has been replayed (< 2^63)
//       12     4  crc        CRC32C of bytes 0..11
//
// The next sequence number is one above both the last record and the acknowledged sequence, so
// numbers keep increasing across restarts and across compact(), which empties the file once
// everything in it is acknowledged. Only a record that was never answered (a torn tail) can see
// its number given again.
//
// A missing or damaged acknowledgement file counts as "nothing acknowledged" (with a warning for
// a damaged one): the records are replayed again, which the replay's idempotency keys absorb.
// Should that happen after compact() emptied the file, numbering starts again at 1: the numbers
// order a replay; nothing else keeps them.
//
// Limits: a payload is at most 1 MiB, far above any report or ack (a few hundred bytes) yet low
// enough that a corrupted length field cannot make open read or allocate gigabytes. The file is
// locked (flock) while open: a second Journal on the same file, in this process or another,
// would interleave records, so open refuses it.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <limits>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace puente::store {

// CRC32C (Castagnoli, reflected polynomial 0x82F63B78) of `data`, continuing from `crc` (the
// result for the bytes before; 0 to start): crc32c(b, crc32c(a)) == crc32c(a + b).
std::uint32_t crc32c(std::string_view data, std::uint32_t crc = 0);

class Journal {
 public:
  struct Entry {
    std::uint64_t sequence = 0;
    std::string payload;
  };

  // Larger payloads are refused by append() and taken for damage by open() (see above).
  static constexpr std::uint32_t max_payload_bytes = 1u << 20;

  // Opens the journal at `path`, creating it and its directory if need be, drops a torn or
  // corrupt tail and positions for appending. Throws std::system_error naming the path if the
  // file cannot be created, opened, locked, read or truncated, or was written by a newer version.
  static std::unique_ptr<Journal> open(const std::filesystem::path& path);

  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  // Writes one record and fdatasyncs it; returns its sequence number once it is durable. Safe to
  // call from any thread. Throws std::system_error naming the path if the record could not be
  // made durable (ENOSPC, EIO, ...; EMSGSIZE for a payload over max_payload_bytes): the caller
  // must then not answer success. The journal stays usable: the next append overwrites whatever
  // part of the failed record reached the file.
  std::uint64_t append(std::string_view payload);

  // The records not yet acknowledged, oldest first, at most `max` of them. Reads them back from
  // the file; throws std::system_error naming the path if that fails or a record no longer
  // matches its checksum.
  std::vector<Entry> pending(std::size_t max = std::numeric_limits<std::size_t>::max()) const;

  // Every record up to and including `sequence` has been replayed: records it durably (see the
  // acknowledgement file above) before returning. Acknowledging a sequence at or below an
  // earlier one does nothing. Throws std::invalid_argument for a sequence never handed out, and
  // std::system_error naming the path if the acknowledgement could not be made durable (it then
  // counts as not made).
  void acknowledge(std::uint64_t sequence);

  // Truncates the file to empty if every record in it is acknowledged and returns true; returns
  // false (and changes nothing) while some are pending. Throws std::system_error naming the path
  // if the truncation fails.
  bool compact();

  // How many records are pending.
  std::size_t size() const;
  // Their bytes, headers included: what a cap on the journal's size counts
  // (app/incidents/outbox.hpp).
  std::uint64_t pending_bytes() const;

  const std::filesystem::path& path() const { return path_; }

 private:
  // Where a pending record's payload lies in the file, and what it must check out to.
  struct Record {
    std::uint64_t sequence = 0;
    std::uint64_t offset = 0;  // of the payload
    std::uint32_t length = 0;
    std::uint32_t crc = 0;
  };

  Journal(std::filesystem::path path, int fd);

  void load_acknowledged();
  void scan();
  void write_acknowledged(std::uint64_t sequence);

  const std::filesystem::path path_;
  const std::filesystem::path ack_path_;
  const int fd_;

  mutable std::mutex mutex_;
  std::deque<Record> pending_;       // oldest first
  std::uint64_t end_ = 0;            // bytes of sound records: the next append goes here
  std::uint64_t acknowledged_ = 0;   // as recorded in the acknowledgement file
  std::uint64_t last_sequence_ = 0;  // of the last record in the file
  std::uint64_t next_sequence_ = 1;
};

}  // namespace puente::store
