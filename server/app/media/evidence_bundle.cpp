#include "app/media/evidence_bundle.hpp"

#include "app/media/evidence_texts.hpp"
#include "core/bearer_token.hpp"
#include "core/clock.hpp"
#include "core/evidence_manifest.hpp"
#include "core/ids.hpp"
#include "core/media_sniff.hpp"
#include "evidence/bundle_zip.hpp"
#include "puente/v1/json.hpp"

#include <google/protobuf/util/time_util.h>
#include <spdlog/spdlog.h>

#include <fstream>
#include <sstream>

namespace puente::app {

namespace {

// Audit entries read per page while gathering an incident's.
constexpr std::size_t audit_page = 1000;

template <class Message>
std::vector<const google::protobuf::Message*> evidence_pointers(
    const google::protobuf::RepeatedPtrField<Message>& messages) {
  std::vector<const google::protobuf::Message*> out;
  for (const auto& m : messages) out.push_back(&m);
  return out;
}

// A media file of the bundle: which media, its blob, its name in the ZIP.
struct MediaBlob {
  std::string media_id, sha256, name;
};

struct ZippedBundle {
  std::string bytes;
  std::string missing_media_id;  // set: that media's blob is gone, and there is no ZIP
};

// On the disk thread: `files`, then each media's blob, then `closing` (the manifest and its
// signature), written as a ZIP at `scratch`, read back and removed.
ZippedBundle zip_bundle(const BlobStore& store, std::vector<evidence::BundleEntry> files,
                        const std::vector<MediaBlob>& blobs,
                        std::vector<evidence::BundleEntry> closing,
                        const std::filesystem::path& scratch) {
  ZippedBundle zipped;
  for (const auto& blob : blobs) {
    auto path = store.find(blob.sha256);
    if (!path) {
      zipped.missing_media_id = blob.media_id;
      return zipped;
    }
    files.push_back({blob.name, {}, *path});
  }
  for (auto& entry : closing) files.push_back(std::move(entry));
  struct RemoveScratch {
    const std::filesystem::path& path;
    ~RemoveScratch() {
      std::error_code ec;
      std::filesystem::remove(path, ec);
    }
  } remove_scratch{scratch};
  evidence::write_bundle_zip(scratch, files);
  std::ifstream in(scratch, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  zipped.bytes = bytes.str();
  return zipped;
}

}  // namespace

struct EvidenceBundle::Export {
  const core::Responder* who;
  std::string incident_id;
  v1::Incident incident;
  std::vector<store::MediaRecord> media;
  v1::AuditLog audit;  // the entries about the incident
  Done<EvidenceZip> done;
};

EvidenceBundle::EvidenceBundle(MediaDesk& media, store::AuditStore& audit_log, AuditTrail& audit,
                               const evidence::NetworkKey& key, const MediaConfig& config,
                               std::filesystem::path scratch_dir)
    : media_(media),
      audit_log_(audit_log),
      audit_(audit),
      key_(key),
      config_(config),
      scratch_dir_(std::move(scratch_dir)) {}

void EvidenceBundle::export_zip(const core::Responder& who, const std::string& incident_id,
                                Done<EvidenceZip> done) {
  auto e = std::make_shared<Export>();
  e->who = &who;
  e->incident_id = incident_id;
  e->done = std::move(done);
  media_.check_reader(who, incident_id, [this, e](MaybeRefusal refusal, v1::Incident incident) {
    if (refusal) return e->done(std::move(refusal), {});
    e->incident = std::move(incident);
    media_.store().media_of(
        e->incident_id, [this, e](store::Outcome outcome, std::vector<store::MediaRecord> media) {
          if (outcome != store::Outcome::ok) return e->done(Refusal::unavailable(), {});
          std::uint64_t total = 0;
          for (const auto& m : media) total += m.media.size();
          if (total > config_.bundle_max_bytes)
            return e->done(Refusal{RefusalKind::media_too_large,
                                   "the incident's media (" + std::to_string(total) +
                                       " bytes) pass [evidence] bundle_max_bytes"},
                           {});
          e->media = std::move(media);
          read_audit(e, 0);
        });
  });
}

void EvidenceBundle::read_audit(std::shared_ptr<Export> e, std::uint64_t after) {
  audit_log_.read(after, audit_page,
                  [this, e](store::Outcome outcome, std::vector<v1::AuditEntry> entries) {
                    if (outcome != store::Outcome::ok) return e->done(Refusal::unavailable(), {});
                    for (auto& entry : entries)
                      if (entry.subject() == e->incident_id) *e->audit.add_entries() = entry;
                    if (entries.size() == audit_page)
                      return read_audit(e, entries.back().sequence());
                    write(e);
                  });
}

void EvidenceBundle::write(std::shared_ptr<Export> e) {
  audit_log_.head([this, e](store::Outcome outcome, store::AuditHead head) {
    if (outcome != store::Outcome::ok) return e->done(Refusal::unavailable(), {});
    const auto& incident = e->incident;
    auto exported_at = google::protobuf::util::TimeUtil::ToString(core::now());
    std::vector<v1::Media> media;
    for (const auto& r : e->media) media.push_back(r.media);
    v1::MediaList media_list;
    for (const auto& m : media) *media_list.add_media() = m;

    std::vector<evidence::BundleEntry> files = {
        {"HOW-TO-VERIFY.txt", evidence_how_to_verify(incident.id()), {}},
        {"summary.txt", evidence_summary(incident, media, e->who->id, exported_at), {}},
        {"timeline.json", evidence_timeline_json(incident), {}},
        {"incident.json", wire::to_json(incident) + "\n", {}},
        {"reports.json", evidence_json_array(evidence_pointers(incident.reports())), {}},
        {"alerts.json", evidence_json_array(evidence_pointers(incident.alerts())), {}},
        {"acks.json", evidence_json_array(evidence_pointers(incident.acks())), {}},
        {"deliveries.json", evidence_json_array(evidence_pointers(incident.deliveries())), {}},
        {"media.json", wire::to_json(media_list) + "\n", {}},
        {"audit.json",
         R"({"entries":)" + evidence_json_array(evidence_pointers(e->audit.entries())) +
             R"(,"chainHead":{"sequence":)" + std::to_string(head.sequence) + R"(,"hash":")" +
             head.hash + "\"}}\n",
         {}},
        {"network.pub", key_.public_pem(), {}},
    };
    std::vector<core::ManifestEntry> manifest;
    for (const auto& f : files) manifest.push_back({core::sha256_hex(f.bytes), f.name});
    std::vector<MediaBlob> blobs;
    for (const auto& m : media) {
      auto name = "media/" + m.id() + "." + std::string(core::media_extension(m.content_type()));
      // A blob's name is its SHA-256 as received; the manifest says so without reading it again.
      manifest.push_back({m.sha256(), name});
      blobs.push_back({m.id(), m.sha256(), std::move(name)});
    }
    auto text = core::manifest_text("", manifest);
    const auto file_count = files.size() + blobs.size() + 2;
    std::vector<evidence::BundleEntry> closing = {
        {std::string(core::manifest_name), text, {}},
        {std::string(core::manifest_signature_name), key_.sign(text), {}}};
    // Up to [evidence] bundle_max_bytes read and written: on the disk thread (disk_thread.hpp).
    media_.disk().run(
        [&store = media_.blobs(), files = std::move(files), blobs = std::move(blobs),
         closing = std::move(closing),
         scratch = scratch_dir_ / (core::new_id("bundle") + ".zip")]() mutable {
          return zip_bundle(store, std::move(files), blobs, std::move(closing), scratch);
        },
        [this, e, file_count, text](DiskResult<ZippedBundle> zipped) {
          const auto& id = e->incident.id();
          if (!zipped.value) {
            spdlog::error("evidence: the bundle of {} could not be written: {}", id, zipped.error);
            return e->done(Refusal::unavailable(), {});
          }
          if (!zipped.value->missing_media_id.empty()) {
            spdlog::error("evidence: the blob of {} is missing from the media store",
                          zipped.value->missing_media_id);
            return e->done(Refusal::not_found("a media file of the incident is missing from the "
                                              "media store; the bundle would not be whole"),
                           {});
          }
          audit_.record(
              e->who->id, "evidence.export", id,
              std::to_string(file_count) + " files, manifest sha256 " + core::sha256_hex(text));
          e->done(std::nullopt, EvidenceZip{std::move(zipped.value->bytes), id + "-evidence.zip"});
        });
  });
}

}  // namespace puente::app
