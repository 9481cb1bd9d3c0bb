// puente audit verify | list: the server's audit log, read page by page (GET /v1/admin/audit).
// verify recomputes every entry's hash and checks the chain itself: a log changed in Redis,
// or an entry removed, is named by its position, whatever the server says. With --anchors it
// also checks the anchors the nodes signed (core/audit_anchor.hpp): each signature under the
// network's key, and that the log still holds each anchored entry with the hash signed, so a
// chain rewritten consistently in Redis (every hash recomputed) is named by the first anchor it
// no longer extends.

#include "api_client.hpp"
#include "commands.hpp"
#include "core/audit_anchor.hpp"
#include "core/audit_chain.hpp"
#include "evidence/network_key.hpp"
#include "format.hpp"
#include "puente/v1/json.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <tuple>

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

struct AnchorFile {
  std::filesystem::path path;
  core::AuditAnchor anchor;
};

std::string whole_text_of(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) throw std::runtime_error("cannot read " + file.string());
  return text.str();
}

// The anchors in `paths` (anchor files, or folders of them: their anchor-*.txt), oldest
// sequence first; a file that is not an anchor stops the check.
std::vector<AnchorFile> read_anchors(const std::vector<std::string>& paths) {
  std::vector<std::filesystem::path> files;
  for (const auto& path : paths) {
    if (!std::filesystem::is_directory(path)) {
      files.emplace_back(path);
      continue;
    }
    for (const auto& item : std::filesystem::directory_iterator(path)) {
      const auto name = item.path().filename().string();
      if (item.is_regular_file() && name.starts_with("anchor-") && name.ends_with(".txt"))
        files.push_back(item.path());
    }
  }
  std::vector<AnchorFile> anchors;
  for (const auto& file : files) {
    std::string error;
    auto anchor = core::parse_audit_anchor(whole_text_of(file), error);
    if (!anchor) throw std::runtime_error(file.string() + ": " + error);
    anchors.push_back({file, std::move(*anchor)});
  }
  std::sort(anchors.begin(), anchors.end(), [](const AnchorFile& x, const AnchorFile& y) {
    return std::tie(x.anchor.sequence, x.anchor.at_ms) <
           std::tie(y.anchor.sequence, y.anchor.at_ms);
  });
  return anchors;
}

// Every anchor signed under `public_pem`, and the log still holding what each signed; throws
// naming the first that does not hold.
void check_anchors(const std::vector<v1::AuditEntry>& entries, const std::vector<AnchorFile>& files,
                   const std::string& public_pem) {
  std::vector<core::AuditAnchor> anchors;
  for (const auto& file : files) {
    if (!evidence::signature_holds(public_pem, file.anchor.statement(), file.anchor.signature))
      throw std::runtime_error("anchor " + file.path.string() +
                               " is not signed by the network's key: it proves nothing");
    anchors.push_back(file.anchor);
  }
  if (auto broken = core::first_broken_anchor(entries, anchors)) {
    const auto& file = files[broken->anchor];
    throw std::runtime_error("audit log does not extend anchor " + file.path.string() + " (#" +
                             std::to_string(file.anchor.sequence) + ", signed by node " +
                             file.anchor.node_id + "): " + broken->reason +
                             "; the log was rewritten after it was signed");
  }
}

void run_verify(const GlobalOptions& global, const std::vector<std::string>& anchor_paths,
                const std::string& key_file) {
  auto anchors = read_anchors(anchor_paths);
  if (!anchor_paths.empty() && anchors.empty())
    throw std::runtime_error("no audit anchor (anchor-*.txt) in " + anchor_paths.front());
  auto entries = read_log(global);
  if (auto broken = core::first_break(entries)) {
    const auto& entry = entries[broken->index];
    throw std::runtime_error("audit chain broken at entry " + std::to_string(broken->index + 1) +
                             " (sequence " + std::to_string(entry.sequence()) + ", " +
                             entry.action() + "): " + broken->reason);
  }
  if (!anchors.empty()) {
    // A key kept apart from the servers is the stronger check; else the one the server hands out.
    std::string public_pem =
        key_file.empty() ? ApiClient(global).get("/v1/evidence/key").body : whole_text_of(key_file);
    check_anchors(entries, anchors, public_pem);
  }
  std::cout << "audit chain intact: " << entries.size() << " entries";
  if (!entries.empty())
    std::cout << ", last #" << entries.back().sequence() << " " << entries.back().hash();
  if (!anchors.empty())
    std::cout << "; extends all " << anchors.size() << " anchors (the last at #"
              << anchors.back().anchor.sequence << ")";
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
      "verify",
      "Check the hash chain of the whole log, and that it extends every signed anchor given; exit "
      "1 naming the first broken entry or anchor");
  auto anchors = std::make_shared<std::vector<std::string>>();
  auto key = std::make_shared<std::string>();
  verify->add_option("--anchors", *anchors,
                     "Anchor files, or folders of them (a node's <state_dir>/audit-anchors)");
  verify->add_option("--key", *key,
                     "The network's public key (PEM: puente evidence key) to check the anchors' "
                     "signatures with; else the server's");
  verify->callback([&global, anchors, key] { run_verify(global, *anchors, *key); });
  auto* list = audit->add_subcommand("list", "Print every entry, oldest first");
  list->callback([&global] { run_list(global); });
}

}  // namespace puente::cli
