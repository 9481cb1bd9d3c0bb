#pragma once
// Anchors the audit log outside Redis (core/audit_anchor.hpp): every [audit]
// anchor_interval_seconds, and once more when the node shuts down, the node reads the log's head,
// signs it with the network's Ed25519 key (evidence/network_key.hpp, the key that signs evidence
// bundles) and writes the anchor to its state folder (audit-anchors/, one file per anchored head)
// and to its log. A head already anchored by this node is not written again.
//
// What an anchor proves: the log held that entry with that hash when the node signed it, so a
// chain later rewritten in Redis (even with every hash recomputed) no longer extends it, and
// `puente audit verify --anchors` says so. It signs the head as Redis gives it: what was
// rewritten before an anchor is not caught by that anchor, only by an earlier one.

#include "core/audit_anchor.hpp"
#include "evidence/network_key.hpp"
#include "store/audit_store.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

namespace puente::app {

class AuditAnchors : public std::enable_shared_from_this<AuditAnchors> {
 public:
  // `dir`: where the anchor files go (made 0700 if absent).
  AuditAnchors(boost::asio::any_io_executor executor, store::AuditStore& store,
               const evidence::NetworkKey& key, std::string node_id, std::filesystem::path dir,
               std::chrono::seconds interval);

  void start();  // anchors every interval from now on
  // Anchors the head now (the shutdown's); `done` runs once it is written, or could not be.
  void anchor_now(std::function<void()> done = {});
  void stop();

 private:
  void schedule();
  // Signs and writes `head` unless this node anchored it last. On the timer's strand.
  void write(const store::AuditHead& head);

  boost::asio::steady_timer timer_;  // on a strand of its own
  store::AuditStore& store_;
  const evidence::NetworkKey& key_;
  const std::string node_id_;
  const std::filesystem::path dir_;
  const std::chrono::seconds interval_;
  std::uint64_t anchored_ = 0;  // the sequence this node anchored last
  bool stopped_ = false;
};

}  // namespace puente::app
