// A node's journal as it is opened after a crash and replayed (store::Journal::open, pending,
// then app::Outbox decoding each payload as a JournalEntry and checking its report or ack).
//
// The input is a mode byte, then the files: with bit 0 set, the next 16 bytes are the
// acknowledgement file; the rest is the journal. With bit 1 set, every checksum is made right
// before the files are written, so that the fuzzer reaches what lies behind them (sequence
// numbers, lengths, acknowledgements) instead of spending itself on CRC mismatches.
//
// Damage must be truncated away (or the file refused), never crash; what survives must replay,
// and an append after it must come back as the last record.

#include "fuzz_target.hpp"

#include "core/input_rules.hpp"
#include "puente/v1/puente.pb.h"
#include "store/journal.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <exception>
#include <string>

namespace {

using puente::store::crc32c;

void put_u32(std::string& bytes, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) bytes[at + i] = static_cast<char>(v >> (8 * i));
}

std::uint32_t get_u32(const std::string& bytes, std::size_t at) {
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i)
    v |= std::uint32_t{static_cast<unsigned char>(bytes[at + i])} << (8 * i);
  return v;
}

// Walks the records as journal.hpp lays them out and sets each one's CRC32C.
void fix_record_crcs(std::string& journal) {
  constexpr std::size_t header = 20, crc_at = 16;
  for (std::size_t at = 0; journal.size() - at >= header;) {
    const std::size_t length =
        std::min<std::size_t>(get_u32(journal, at + 4), journal.size() - at - header);
    const std::string_view bytes(journal);
    put_u32(journal, at + crc_at,
            crc32c(bytes.substr(at + header, length), crc32c(bytes.substr(at, crc_at))));
    at += header + length;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace puente;
  using fuzz::fuzz_check;
  namespace fs = std::filesystem;
  // The warnings about damage are the expected outcome here, thousands of times a second.
  static const bool quiet = (spdlog::set_level(spdlog::level::off), fuzz::quiet_protobuf(), true);
  (void)quiet;

  auto bytes = fuzz::as_text(data, size);
  const fs::path path = fuzz::scratch_dir() / "node.journal";
  const fs::path ack_path = path.string() + ".ack";
  std::error_code ignored;
  fs::remove(ack_path, ignored);
  if (bytes.empty()) return 0;
  const auto mode = static_cast<unsigned char>(bytes[0]);
  bytes.remove_prefix(1);
  if ((mode & 1) && bytes.size() >= 16) {
    std::string ack(bytes.substr(0, 16));
    if (mode & 2) put_u32(ack, 12, crc32c(std::string_view(ack).substr(0, 12)));
    fuzz::write_file(ack_path, ack);
    bytes.remove_prefix(16);
  }
  std::string journal(bytes);
  if (mode & 2) fix_record_crcs(journal);
  fuzz::write_file(path, journal);

  std::size_t pending = 0;
  try {
    auto journal = store::Journal::open(path);
    for (const auto& entry : journal->pending()) {
      v1::JournalEntry decoded;
      if (!decoded.ParseFromString(entry.payload))
        continue;  // skipped with an error, as the outbox does
      if (decoded.has_report()) core::check_report(decoded.report());
      if (decoded.has_ack()) core::check_ack(decoded.ack());
    }
    pending = journal->size();
    const auto sequence = journal->append("after the damage");
    fuzz_check(journal->size() == pending + 1, "an append is not pending");
    journal.reset();

    auto reopened = store::Journal::open(path);
    const auto entries = reopened->pending();
    fuzz_check(entries.size() == pending + 1, "a reopened journal lost or found records");
    fuzz_check(entries.back().sequence == sequence && entries.back().payload == "after the damage",
               "the last append is not the last record");
  } catch (const std::system_error&) {
    // refused: a record of a newer format version (it must not be truncated)
  }
  return 0;
}
