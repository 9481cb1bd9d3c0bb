// puente audit verify | list: the server's audit log, read page by page (GET /v1/admin/audit).
// verify recomputes every entry's hash and checks the chain itself: a log changed in Redis,
// or an entry removed, is named by its position, whatever the server says.

#include "api_client.hpp"
#include "commands.hpp"
#include "core/audit_chain.hpp"
#include "format.hpp"
#include "puente/v1/json.hpp"

#include <iostream>
#include <stdexcept>

namespace puente::cli {
namespace {

constexpr std::size_t page = 1000;

// Every entry, oldest first.
std::vector<v1::AuditEntry> read_log(const GlobalOptions& global) {
  ApiClient api(global);
  std::vector<v1::AuditEntry> entries;
  std::uint64_t after = 0;
  while (true) {
    v1::AuditLog log;
    ApiClient::parse(api.get("/v1/admin/audit?after=" + std::to_string(after) +
                             "&limit=" + std::to_string(page)),
                     log);
    for (const auto& entry : log.entries()) entries.push_back(entry);
    if (log.entries_size() < static_cast<int>(page)) return entries;
    // A damaged entry may carry any sequence: page on from the last one that moved forward.
    after = std::max(after + 1, log.entries(log.entries_size() - 1).sequence());
  }
}

std::string entry_line(const v1::AuditEntry& entry) {
  std::string line = "#" + std::to_string(entry.sequence()) + "  " + format_time(entry.at()) +
                     "  " + entry.action();
  if (!entry.actor().empty()) line += "  by " + entry.actor();
  if (!entry.subject().empty()) line += "  " + entry.subject();
  if (!entry.detail().empty()) line += "  (" + entry.detail() + ")";
  return line + "  [" + entry.node_id() + "]";
}

void run_verify(const GlobalOptions& global) {
  auto entries = read_log(global);
  if (auto broken = core::first_break(entries)) {
    const auto& entry = entries[broken->index];
    throw std::runtime_error("audit chain broken at entry " + std::to_string(broken->index + 1) +
                             " (sequence " + std::to_string(entry.sequence()) + ", " +
                             entry.action() + "): " + broken->reason);
  }
  std::cout << "audit chain intact: " << entries.size() << " entries";
  if (!entries.empty())
    std::cout << ", last #" << entries.back().sequence() << " " << entries.back().hash();
  std::cout << "\n";
}

void run_list(const GlobalOptions& global) {
  for (const auto& entry : read_log(global))
    std::cout << (global.json ? wire::to_json(entry) : entry_line(entry)) << "\n";
}

}  // namespace

void add_audit_commands(CLI::App& app, const GlobalOptions& global) {
  auto* audit = app.add_subcommand(
      "audit", "The audit log (admin): who confirmed, resolved, revoked, failed to sign in");
  audit->require_subcommand(1);
  auto* verify = audit->add_subcommand(
      "verify", "Check the hash chain of the whole log; exit 1 naming the first broken entry");
  verify->callback([&global] { run_verify(global); });
  auto* list = audit->add_subcommand("list", "Print every entry, oldest first");
  list->callback([&global] { run_list(global); });
}

}  // namespace puente::cli
