#include "store/journal.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <stdexcept>
#include <system_error>
#include <utility>

namespace puente::store {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t header_bytes = 20;
constexpr std::size_t header_crc_offset = 16;  // the CRC covers the header bytes before it
constexpr std::size_t ack_bytes = 16;
constexpr std::size_t ack_crc_offset = 12;
constexpr std::uint8_t format_version = 1;
// Sequence numbers count fsync'ed appends: 2^63 of them would take millennia. One at or above it,
// in a record or in the acknowledgement file, is damage: the next number would be past the limit
// (or wrap to 0, below the acknowledged ones), and a record appended with it would be dropped as
// damage on the next open, or never replayed.
constexpr std::uint64_t max_sequence = std::uint64_t{1} << 63;
constexpr char record_magic[2] = {'P', 'J'};
constexpr char ack_magic[2] = {'P', 'A'};

// Byte-at-a-time CRC32C: 256 entries, 1 KiB. Appends are rare (only during an outage) and
// payloads small, so the slicing-by-8 or SSE4.2 variants would buy nothing worth their code.
constexpr std::array<std::uint32_t, 256> make_crc_table() {
  std::array<std::uint32_t, 256> table{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t c = i;
    for (int bit = 0; bit < 8; ++bit) c = (c & 1u) ? (c >> 1) ^ 0x82F63B78u : c >> 1;
    table[i] = c;
  }
  return table;
}
constexpr std::array<std::uint32_t, 256> crc_table = make_crc_table();

void put_u32(char* p, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<char>(v >> (8 * i));
}
void put_u64(char* p, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<char>(v >> (8 * i));
}
std::uint32_t get_u32(const char* p) {
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= std::uint32_t{static_cast<unsigned char>(p[i])} << (8 * i);
  return v;
}
std::uint64_t get_u64(const char* p) {
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= std::uint64_t{static_cast<unsigned char>(p[i])} << (8 * i);
  return v;
}

// A record's header, CRC included, for `payload` under `sequence`.
std::array<char, header_bytes> encode_header(std::uint64_t sequence, std::string_view payload) {
  std::array<char, header_bytes> header{};
  header[0] = record_magic[0];
  header[1] = record_magic[1];
  header[2] = static_cast<char>(format_version);
  put_u32(header.data() + 4, static_cast<std::uint32_t>(payload.size()));
  put_u64(header.data() + 8, sequence);
  const std::uint32_t crc = crc32c(payload, crc32c({header.data(), header_crc_offset}));
  put_u32(header.data() + header_crc_offset, crc);
  return header;
}

[[noreturn]] void fail(int err, const fs::path& path, const std::string& what) {
  throw std::system_error(err, std::generic_category(), "journal " + path.string() + ": " + what);
}

fs::path directory_of(const fs::path& path) {
  fs::path dir = path.parent_path();
  return dir.empty() ? fs::path(".") : dir;
}

// Reads exactly `n` bytes at `offset`; throws naming `path` on an error or an early end.
void read_exact(int fd, const fs::path& path, char* data, std::size_t n, std::uint64_t offset) {
  while (n > 0) {
    const ssize_t got = ::pread(fd, data, n, static_cast<off_t>(offset));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) fail(errno, path, "cannot read at byte " + std::to_string(offset));
    if (got == 0) fail(EIO, path, "unexpected end of file at byte " + std::to_string(offset));
    data += got;
    n -= static_cast<std::size_t>(got);
    offset += static_cast<std::uint64_t>(got);
  }
}

// Writes all `n` bytes at `offset`; false with errno set if that failed part-way.
bool write_all(int fd, const char* data, std::size_t n, std::uint64_t offset) {
  while (n > 0) {
    const ssize_t put = ::pwrite(fd, data, n, static_cast<off_t>(offset));
    if (put < 0 && errno == EINTR) continue;
    if (put < 0) return false;
    data += put;
    n -= static_cast<std::size_t>(put);
    offset += static_cast<std::uint64_t>(put);
  }
  return true;
}

// Makes a directory's entries (a created or renamed file) durable; 0 or an errno.
int sync_directory(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return errno;
  const int err = ::fsync(fd) == 0 ? 0 : errno;
  ::close(fd);
  return err;
}

}  // namespace

std::uint32_t crc32c(std::string_view data, std::uint32_t crc) {
  crc = ~crc;
  for (const char byte : data) {
    crc = crc_table[(crc ^ static_cast<unsigned char>(byte)) & 0xFFu] ^ (crc >> 8);
  }
  return ~crc;
}

std::unique_ptr<Journal> Journal::open(const fs::path& path) {
  const fs::path dir = directory_of(path);
  std::error_code ec;
  const bool dir_existed = fs::is_directory(dir, ec);
  fs::create_directories(dir, ec);
  if (ec) throw std::system_error(ec, "journal " + path.string() + ": cannot create its directory");
  const bool file_existed = fs::exists(path, ec);

  // 0600: the payloads are reports, with where they happened.
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) fail(errno, path, "cannot open");
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    ::close(fd);
    fail(err, path, err == EWOULDBLOCK ? "in use by another journal (locked)" : "cannot lock");
  }
  std::unique_ptr<Journal> journal(new Journal(path, fd));  // owns and closes fd from here

  // A new file (and a new directory) must survive a crash like the records written into it.
  int err = file_existed ? 0 : sync_directory(dir);
  if (err == 0 && !dir_existed) err = sync_directory(directory_of(fs::absolute(dir, ec)));
  if (err != 0) fail(err, path, "cannot sync its directory");

  journal->load_acknowledged();
  journal->scan();
  return journal;
}

Journal::Journal(fs::path path, int fd)
    : path_(std::move(path)), ack_path_(path_.string() + ".ack"), fd_(fd) {}

Journal::~Journal() { ::close(fd_); }

void Journal::load_acknowledged() {
  // A crash during acknowledge() can leave its temporary file; the rename never happened.
  std::error_code ignored;
  fs::remove(ack_path_.string() + ".tmp", ignored);

  const int fd = ::open(ack_path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT) return;  // nothing acknowledged yet
  if (fd < 0) fail(errno, ack_path_, "cannot open");
  std::array<char, ack_bytes + 1> bytes{};  // one more, to notice a longer file
  std::size_t got = 0;
  while (got < bytes.size()) {
    const ssize_t n = ::read(fd, bytes.data() + got, bytes.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  ::close(fd);

  const bool sound =
      got == ack_bytes && bytes[0] == ack_magic[0] && bytes[1] == ack_magic[1] &&
      bytes[2] == static_cast<char>(format_version) && bytes[3] == 0 &&
      get_u32(bytes.data() + ack_crc_offset) == crc32c({bytes.data(), ack_crc_offset}) &&
      get_u64(bytes.data() + 4) < max_sequence;
  if (!sound) {
    spdlog::warn("journal {}: acknowledgement file {} is damaged; replaying every record",
                 path_.string(), ack_path_.string());
    return;
  }
  acknowledged_ = get_u64(bytes.data() + 4);
}

void Journal::scan() {
  struct stat st {};
  if (::fstat(fd_, &st) != 0) fail(errno, path_, "cannot stat");
  const auto file_size = static_cast<std::uint64_t>(st.st_size);

  std::uint64_t offset = 0;
  const char* damage = nullptr;
  std::array<char, header_bytes> header{};
  std::string payload;
  while (offset < file_size) {
    if (file_size - offset < header_bytes) {
      damage = "partial record header";
      break;
    }
    read_exact(fd_, path_, header.data(), header_bytes, offset);
    if (header[0] != record_magic[0] || header[1] != record_magic[1]) {
      damage = "bad record magic";
      break;
    }
    const auto version = static_cast<std::uint8_t>(header[2]);
    if (version > format_version) {
      fail(ENOTSUP, path_,
           "record at byte " + std::to_string(offset) + " has format version " +
               std::to_string(version) + ", newer than this program's " +
               std::to_string(format_version) + "; refusing to truncate it");
    }
    if (version != format_version || header[3] != 0) {
      damage = "bad record version";
      break;
    }
    const std::uint32_t length = get_u32(header.data() + 4);
    if (length > max_payload_bytes) {
      damage = "record length over the 1 MiB limit";
      break;
    }
    if (length > file_size - offset - header_bytes) {
      damage = "record length past the end of the file";
      break;
    }
    const std::uint64_t sequence = get_u64(header.data() + 8);
    if (sequence >= max_sequence) {
      damage = "record sequence at or over 2^63";
      break;
    }
    if (sequence <= last_sequence_) {
      damage = "record sequence not above the one before";
      break;
    }
    payload.resize(length);
    read_exact(fd_, path_, payload.data(), length, offset + header_bytes);
    const std::uint32_t crc = get_u32(header.data() + header_crc_offset);
    if (crc32c(payload, crc32c({header.data(), header_crc_offset})) != crc) {
      damage = "record CRC mismatch";
      break;
    }
    if (sequence > acknowledged_) {
      pending_.push_back({sequence, offset + header_bytes, length, crc});
    }
    last_sequence_ = sequence;
    offset += header_bytes + length;
  }

  end_ = offset;
  if (damage != nullptr) {
    spdlog::warn("journal {}: {} at byte {}; truncating the {} bytes from there on", path_.string(),
                 damage, offset, file_size - offset);
    if (::ftruncate(fd_, static_cast<off_t>(offset)) != 0 || ::fdatasync(fd_) != 0) {
      fail(errno, path_, "cannot truncate the damaged tail at byte " + std::to_string(offset));
    }
  }
  next_sequence_ = std::max(acknowledged_, last_sequence_) + 1;
}

std::uint64_t Journal::append(std::string_view payload) {
  if (payload.size() > max_payload_bytes) {
    fail(EMSGSIZE, path_,
         "a payload of " + std::to_string(payload.size()) + " bytes is over the limit of " +
             std::to_string(max_payload_bytes));
  }
  std::string record(header_bytes + payload.size(), '\0');
  std::lock_guard lock(mutex_);
  const std::uint64_t sequence = next_sequence_;
  // Only reachable from a damaged-but-sound-looking file; refused, so nothing is answered
  // "queued" that the next open would drop.
  if (sequence >= max_sequence) fail(EOVERFLOW, path_, "sequence numbers are used up (2^63)");
  const auto header = encode_header(sequence, payload);
  std::copy(header.begin(), header.end(), record.begin());
  std::copy(payload.begin(), payload.end(), record.begin() + header_bytes);

  if (!write_all(fd_, record.data(), record.size(), end_) || ::fdatasync(fd_) != 0) {
    const int err = errno;
    // Drop whatever part of the record reached the file, so that it does not sit ahead of later
    // records. Should that fail too, the next append writes at end_ over it all the same.
    if (::ftruncate(fd_, static_cast<off_t>(end_)) != 0) {
      spdlog::warn("journal {}: cannot drop a failed append after byte {}", path_.string(), end_);
    }
    fail(err, path_, "cannot append record " + std::to_string(sequence));
  }
  pending_.push_back({sequence, end_ + header_bytes, static_cast<std::uint32_t>(payload.size()),
                      get_u32(header.data() + header_crc_offset)});
  end_ += record.size();
  last_sequence_ = sequence;
  next_sequence_ = sequence + 1;
  return sequence;
}

std::vector<Journal::Entry> Journal::pending(std::size_t max) const {
  std::lock_guard lock(mutex_);
  std::vector<Entry> entries;
  entries.reserve(std::min(max, pending_.size()));
  for (const Record& record : pending_) {
    if (entries.size() == max) break;
    Entry entry{record.sequence, std::string(record.length, '\0')};
    read_exact(fd_, path_, entry.payload.data(), record.length, record.offset);
    // Checked again: the file is the truth, and a disk that lies now must not be replayed.
    const auto header = encode_header(record.sequence, entry.payload);
    if (get_u32(header.data() + header_crc_offset) != record.crc) {
      fail(EIO, path_, "record " + std::to_string(record.sequence) + " no longer matches its CRC");
    }
    entries.push_back(std::move(entry));
  }
  return entries;
}

void Journal::acknowledge(std::uint64_t sequence) {
  std::lock_guard lock(mutex_);
  if (sequence <= acknowledged_) return;
  if (sequence >= next_sequence_) {
    throw std::invalid_argument("journal " + path_.string() + ": cannot acknowledge sequence " +
                                std::to_string(sequence) + ", the last handed out is " +
                                std::to_string(next_sequence_ - 1));
  }
  write_acknowledged(sequence);
  acknowledged_ = sequence;
  while (!pending_.empty() && pending_.front().sequence <= sequence) pending_.pop_front();
}

void Journal::write_acknowledged(std::uint64_t sequence) {
  std::array<char, ack_bytes> bytes{};
  bytes[0] = ack_magic[0];
  bytes[1] = ack_magic[1];
  bytes[2] = static_cast<char>(format_version);
  put_u64(bytes.data() + 4, sequence);
  put_u32(bytes.data() + ack_crc_offset, crc32c({bytes.data(), ack_crc_offset}));

  // Write aside, then rename over: a crash leaves either the old sequence or the new one whole.
  const fs::path temp = ack_path_.string() + ".tmp";
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) fail(errno, temp, "cannot create");
  const bool written = write_all(fd, bytes.data(), bytes.size(), 0) && ::fsync(fd) == 0;
  int err = written ? 0 : errno;
  ::close(fd);
  if (err == 0 && ::rename(temp.c_str(), ack_path_.c_str()) != 0) err = errno;
  if (err != 0) {
    ::unlink(temp.c_str());
    fail(err, ack_path_, "cannot record acknowledgement of " + std::to_string(sequence));
  }
  if ((err = sync_directory(directory_of(ack_path_))) != 0) {
    fail(err, ack_path_, "cannot sync its directory");
  }
}

bool Journal::compact() {
  std::lock_guard lock(mutex_);
  if (!pending_.empty()) return false;
  if (end_ == 0) return true;
  if (::ftruncate(fd_, 0) != 0) fail(errno, path_, "cannot truncate to empty");
  // From here the file is empty whatever the sync says; the next append must start at byte 0.
  end_ = 0;
  if (::fdatasync(fd_) != 0) fail(errno, path_, "cannot sync after truncating to empty");
  return true;
}

std::size_t Journal::size() const {
  std::lock_guard lock(mutex_);
  return pending_.size();
}

std::uint64_t Journal::pending_bytes() const {
  std::lock_guard lock(mutex_);
  std::uint64_t bytes = 0;
  for (const auto& record : pending_) bytes += header_bytes + record.length;
  return bytes;
}

}  // namespace puente::store
