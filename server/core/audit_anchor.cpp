// Audit anchors' text form and the check of a log against them (audit_anchor.hpp).
#include "core/audit_anchor.hpp"

#include "core/base64url.hpp"

#include <algorithm>
#include <charconv>

namespace puente::core {

namespace {

constexpr std::string_view anchor_first_line = "puente audit anchor 1";

// The value of the line "<name> <value>" at `text`'s front, which it then leaves behind.
std::optional<std::string_view> take_anchor_field(std::string_view& text, std::string_view name) {
  auto end = text.find('\n');
  if (end == std::string_view::npos) return std::nullopt;
  auto line = text.substr(0, end);
  text.remove_prefix(end + 1);
  if (!line.starts_with(name) || line.size() <= name.size() || line[name.size()] != ' ')
    return std::nullopt;
  return line.substr(name.size() + 1);
}

template <typename Number>
bool parse_anchor_number(std::string_view text, Number& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

}  // namespace

std::string AuditAnchor::statement() const {
  return std::string(anchor_first_line) + "\nnode " + node_id + "\nat " + std::to_string(at_ms) +
         "\nsequence " + std::to_string(sequence) + "\nhash " + hash + "\n";
}

std::string AuditAnchor::file_text() const {
  return statement() + "signature " + base64url_encode(signature) + "\n";
}

std::string AuditAnchor::file_name() const {
  return "anchor-" + node_id + "-" + std::to_string(sequence) + ".txt";
}

std::optional<AuditAnchor> parse_audit_anchor(std::string_view text, std::string& error) {
  if (!text.starts_with(std::string(anchor_first_line) + "\n")) {
    error =
        "not an audit anchor (its first line is not \"" + std::string(anchor_first_line) + "\")";
    return std::nullopt;
  }
  text.remove_prefix(anchor_first_line.size() + 1);
  AuditAnchor anchor;
  auto node = take_anchor_field(text, "node");
  auto at = take_anchor_field(text, "at");
  auto sequence = take_anchor_field(text, "sequence");
  auto hash = take_anchor_field(text, "hash");
  auto signature = take_anchor_field(text, "signature");
  if (!node || node->empty() || !at || !sequence || !hash || !signature || !text.empty()) {
    error = "an audit anchor needs the lines node, at, sequence, hash and signature, in that order";
    return std::nullopt;
  }
  anchor.node_id = std::string(*node);
  anchor.hash = std::string(*hash);
  if (!parse_anchor_number(*at, anchor.at_ms) || !parse_anchor_number(*sequence, anchor.sequence) ||
      anchor.sequence == 0) {
    error = "an audit anchor's at and sequence are whole numbers, its sequence above 0";
    return std::nullopt;
  }
  auto bytes = base64url_decode(*signature);
  if (!bytes || bytes->size() != 64) {
    error = "an audit anchor's signature is 64 bytes in base64url";
    return std::nullopt;
  }
  anchor.signature = std::move(*bytes);
  return anchor;
}

std::optional<AnchorBreak> first_broken_anchor(const std::vector<v1::AuditEntry>& entries,
                                               const std::vector<AuditAnchor>& anchors) {
  for (std::size_t i = 0; i < anchors.size(); ++i) {
    const auto& anchor = anchors[i];
    auto entry = std::find_if(entries.begin(), entries.end(), [&](const v1::AuditEntry& e) {
      return e.sequence() == anchor.sequence;
    });
    if (entry == entries.end()) {
      std::string last = entries.empty()
                             ? "it is empty"
                             : "its last is #" + std::to_string(entries.back().sequence());
      return AnchorBreak{
          i, "the log has no entry #" + std::to_string(anchor.sequence) + " (" + last + ")"};
    }
    if (entry->hash() != anchor.hash)
      return AnchorBreak{i, "entry #" + std::to_string(anchor.sequence) + " has the hash " +
                                entry->hash() + ", the anchor signed " + anchor.hash};
  }
  return std::nullopt;
}

}  // namespace puente::core
