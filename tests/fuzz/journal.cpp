// A node's journal as it is opened after a crash and replayed (store::Journal::open, pending,
// then app::Outbox decoding each payload as a JournalEntry and checking its report or ack). The
// input is the journal file; when its first byte is odd, the 16 bytes after it are the
// acknowledgement file instead. Damage must be truncated away (or the file refused), never
// crash; what survives must replay, and an append after it must come back as the last record.

#include "fuzz_target.hpp"

#include "core/input_rules.hpp"
#include "puente/v1/puente.pb.h"
#include "store/journal.hpp"

#include <spdlog/spdlog.h>

#include <exception>

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
  if (!bytes.empty() && (bytes[0] & 1) && bytes.size() >= 17) {
    fuzz::write_file(ack_path, bytes.substr(1, 16));
    bytes.remove_prefix(17);
  }
  fuzz::write_file(path, bytes);

  std::size_t pending = 0;
  try {
    auto journal = store::Journal::open(path);
    for (const auto& entry : journal->pending()) {
      v1::JournalEntry decoded;
      if (!decoded.ParseFromString(entry.payload)) continue;  // skipped with an error, as the outbox does
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
