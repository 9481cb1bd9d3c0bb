// Audit anchors as text and the check of a log against them: a file reads back as written, a
// damaged one is refused with why, and the first anchor a rewritten log no longer holds is named.
#include "core/audit_anchor.hpp"

#include "core/audit_chain.hpp"

#include <gtest/gtest.h>

namespace puente::core {
namespace {

std::vector<v1::AuditEntry> chain_of(const std::vector<std::string>& details) {
  std::vector<v1::AuditEntry> entries;
  std::string previous;
  for (std::size_t i = 0; i < details.size(); ++i) {
    v1::AuditEntry entry;
    entry.set_sequence(i + 1);
    entry.set_action("token.issue");
    entry.set_detail(details[i]);
    entry.set_previous_hash(previous);
    entry.set_hash(audit_hash(entry));
    previous = entry.hash();
    entries.push_back(entry);
  }
  return entries;
}

AuditAnchor anchor_of(const v1::AuditEntry& entry) {
  return AuditAnchor{.node_id = "a",
                     .at_ms = 1796566800000,
                     .sequence = entry.sequence(),
                     .hash = entry.hash(),
                     .signature = std::string(64, '\x07')};
}

TEST(AuditAnchor, AFileReadsBackAsWritten) {
  auto anchor = anchor_of(chain_of({"x"})[0]);
  std::string error;
  auto read = parse_audit_anchor(anchor.file_text(), error);
  ASSERT_TRUE(read) << error;
  EXPECT_EQ(read->statement(), anchor.statement());
  EXPECT_EQ(read->signature, anchor.signature);
  EXPECT_EQ(anchor.file_name(), "anchor-a-1.txt");
  EXPECT_EQ(anchor.file_text().rfind(anchor.statement(), 0), 0u) << "the statement comes first";
}

TEST(AuditAnchor, ADamagedFileIsRefusedWithWhy) {
  auto text = anchor_of(chain_of({"x"})[0]).file_text();
  std::string error;
  EXPECT_FALSE(parse_audit_anchor("hello\n", error));
  EXPECT_NE(error.find("not an audit anchor"), std::string::npos);
  auto no_signature = text.substr(0, text.find("signature "));
  EXPECT_FALSE(parse_audit_anchor(no_signature, error));
  auto zero = text;
  zero.replace(zero.find("sequence 1"), 10, "sequence 0");
  EXPECT_FALSE(parse_audit_anchor(zero, error));
  EXPECT_FALSE(parse_audit_anchor(text + "extra\n", error));
  auto short_signature = text.substr(0, text.find("signature ")) + "signature AAAA\n";
  EXPECT_FALSE(parse_audit_anchor(short_signature, error));
  EXPECT_NE(error.find("64 bytes"), std::string::npos);
}

TEST(AuditAnchor, TheFirstAnchorARewrittenLogNoLongerHoldsIsNamed) {
  auto log = chain_of({"a", "b", "c", "d"});
  std::vector<AuditAnchor> anchors{anchor_of(log[0]), anchor_of(log[1]), anchor_of(log[3])};
  EXPECT_FALSE(first_broken_anchor(log, anchors)) << "the log as anchored";
  EXPECT_FALSE(first_broken_anchor(chain_of({"a", "b", "c", "d", "e"}), anchors))
      << "a log that grew still extends its anchors";

  // Rewritten from #2 on, every hash recomputed: the chain holds, the anchors of #2 on do not.
  auto rewritten = chain_of({"a", "B", "c", "d"});
  EXPECT_FALSE(first_break(rewritten));
  auto broken = first_broken_anchor(rewritten, anchors);
  ASSERT_TRUE(broken);
  EXPECT_EQ(broken->anchor, 1u);
  EXPECT_NE(broken->reason.find("entry #2 has the hash"), std::string::npos) << broken->reason;

  // Cut back to before an anchor.
  broken = first_broken_anchor(chain_of({"a", "b", "c"}), anchors);
  ASSERT_TRUE(broken);
  EXPECT_EQ(broken->anchor, 2u);
  EXPECT_EQ(broken->reason, "the log has no entry #4 (its last is #3)");
}

}  // namespace
}  // namespace puente::core
