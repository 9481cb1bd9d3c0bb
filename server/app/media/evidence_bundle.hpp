#pragma once
// The evidence bundle of an incident (docs/evidence.md, issue 21 item 4): one ZIP an attorney
// can hand to a court, checkable offline with the network's public key.
//
//   HOW-TO-VERIFY.txt  how to check it, in plain words
//   summary.txt        the incident read as a person would tell it
//   timeline.json      every report, alert and ack, in time order
//   incident.json      the incident whole (as the exporter may see it)
//   reports.json, alerts.json, acks.json, deliveries.json
//   media.json         each media's record (kind, type, size, SHA-256, who, when)
//   media/<id>.<ext>   the originals, as received
//   audit.json         the audit entries about the incident, and the chain's head at export
//   network.pub        the public key that signed it (check it against the one the network
//                      published: a forger would put their own here)
//   MANIFEST.txt       the SHA-256 of every file above (core/evidence_manifest.hpp)
//   MANIFEST.sig       the Ed25519 signature of MANIFEST.txt by the network's key
//
// An export is audited (evidence.export, with the manifest's SHA-256), so the log says who
// took which bundle when. The ZIP (up to [evidence] bundle_max_bytes) is written and read back
// on the media desk's disk thread, not on the node's main thread.

#include "app/access/audit_trail.hpp"
#include "app/media/media_desk.hpp"
#include "evidence/network_key.hpp"
#include "store/audit_store.hpp"

#include <string>

namespace puente::app {

// A bundle made: the ZIP's bytes and a file name for it.
struct EvidenceZip {
  std::string bytes;
  std::string file_name;  // "inc-0123456789abcdef-evidence.zip"
};

class EvidenceBundle {
 public:
  EvidenceBundle(MediaDesk& media, store::AuditStore& audit_log, AuditTrail& audit,
                 const evidence::NetworkKey& key, const MediaConfig& config,
                 std::filesystem::path scratch_dir);

  void export_zip(const core::Responder& who, const std::string& incident_id,
                  Done<EvidenceZip> done);

  const evidence::NetworkKey& key() const { return key_; }

 private:
  struct Export;  // one export on its way
  void read_audit(std::shared_ptr<Export> e, std::uint64_t after);
  void write(std::shared_ptr<Export> e);

  MediaDesk& media_;
  store::AuditStore& audit_log_;
  AuditTrail& audit_;
  const evidence::NetworkKey& key_;
  const MediaConfig& config_;
  std::filesystem::path scratch_dir_;  // where the ZIP is written before it is sent
};

}  // namespace puente::app
