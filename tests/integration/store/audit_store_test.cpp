// The audit log's append script against a real Redis: an entry a node offers again after a crash
// (appended, but the node died before its journal knew) goes in once, while another entry with
// the same contents but another journal key, or another node's, is appended.
#include "store/audit_store.hpp"

#include "core/audit_chain.hpp"
#include "core/clock.hpp"
#include "redis_link.hpp"

#include <gtest/gtest.h>

#include <future>

namespace puente::store {
namespace {

class AuditStoreTest : public test::StoreTest {
 protected:
  AuditStore audit{link.connection(), Keys("test:")};

  struct Appended {
    Outcome outcome;
    AuditHead head;
  };

  // Chains `entry` to `head` and offers it as `node` with `key`.
  Appended append(const AuditHead& head, v1::AuditEntry entry, const std::string& node,
                  const std::string& key) {
    entry.set_sequence(head.sequence + 1);
    entry.set_previous_hash(head.hash);
    entry.set_hash(core::audit_hash(entry));
    std::promise<Appended> got;
    audit.append(head, entry, node, key, [&](Outcome outcome, AuditHead now) {
      got.set_value({outcome, now});
    });
    return got.get_future().get();
  }
};

TEST_F(AuditStoreTest, AnEntryOfferedAgainAfterACrashIsAppendedOnce) {
  v1::AuditEntry entry;
  *entry.mutable_at() = core::now();
  entry.set_node_id("a");
  entry.set_action("token.issue");
  entry.set_subject("tok-1");

  auto first = append({}, entry, "a", "k#1");
  ASSERT_EQ(first.outcome, Outcome::ok);
  EXPECT_EQ(first.head.sequence, 1u);

  // The node restarts, reads the head and offers the journal's first entry again.
  auto again = append(first.head, entry, "a", "k#1");
  EXPECT_EQ(again.outcome, Outcome::repeated);
  EXPECT_EQ(again.head.text(), first.head.text()) << "the head did not move";
  EXPECT_EQ(link.integer({"XLEN", "test:audit"}), 1);

  // The same contents under the next journal key, or from another node, are new entries.
  EXPECT_EQ(append(first.head, entry, "a", "k#2").outcome, Outcome::ok);
  std::promise<AuditHead> read;
  audit.head([&](Outcome, AuditHead now) { read.set_value(now); });
  auto head = read.get_future().get();
  EXPECT_EQ(head.sequence, 2u);
  EXPECT_EQ(append(head, entry, "b", "k#2").outcome, Outcome::ok);
  EXPECT_EQ(link.integer({"XLEN", "test:audit"}), 3);
}

}  // namespace
}  // namespace puente::store
