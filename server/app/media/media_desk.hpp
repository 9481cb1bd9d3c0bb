#pragma once
// Observers' photos, video, audio and notes on an incident (docs/evidence.md, issue 21 item 3).
//
// An upload is declared first (kind, size, content type: POST /v1/incidents/{id}/media) by
// someone who may see the incident, within their quota of the day; its bytes then come in
// chunks (PUT /v1/uploads/{id}, Upload-Offset: where the chunk starts), each written durably
// before it is answered, so a connection cut anywhere loses at most the chunk in flight: the
// client asks how far it got (GET /v1/uploads/{id}) and sends from there. The first chunk's
// bytes must be what was declared (core/media_sniff.hpp); the last one makes the upload a
// blob, named by its SHA-256, which goes into the audit chain at once (media.received): the
// chain of custody starts on receipt. A photo also gets a shared copy without its location
// metadata (core/location_metadata.hpp); the original is kept as received.
//
// Who reads media: dispatchers, admins and the attorneys of the incident's neighborhood
// (core::Action::read_media); nobody else, not even the observer who filmed it (their phone
// has it). Nothing of a file (bytes, name, hash) is ever logged; the audit log holds the hash.
//
// Threads: every call comes and answers on the node's main thread (`executor`); every blob
// call runs on the desk's disk thread (disk_thread.hpp), so a slow disk never holds up Redis's
// replies or the live feed.

#include "app/access/audit_trail.hpp"
#include "app/incidents/dispatch_service.hpp"
#include "app/media/blob_store.hpp"
#include "app/media/disk_thread.hpp"
#include "app/node/config.hpp"
#include "app/refusal.hpp"
#include "core/media_sniff.hpp"
#include "core/roster.hpp"
#include "store/media_store.hpp"

#include <filesystem>
#include <memory>
#include <string>

namespace puente::app {

// A stored file to answer with: where its bytes are and what they are.
struct MediaFile {
  std::filesystem::path path;
  std::string content_type;
  std::string download_name;  // "med-0123456789abcdef.jpg"
};

class MediaDesk {
 public:
  MediaDesk(boost::asio::any_io_executor executor, DispatchService& dispatch,
            store::MediaStore& media, BlobStore& blobs, AuditTrail& audit,
            const MediaConfig& config);

  // Answers the upload with its id, offset 0 and the chunk size; 201.
  void start(const core::Responder& who, const std::string& incident_id, v1::MediaUpload declared,
             Done<v1::MediaUpload> done);
  // How far upload `upload_id` of `who` got.
  void progress(const core::Responder& who, const std::string& upload_id,
                Done<v1::MediaUpload> done);
  // Takes a chunk starting at `offset`. Answers the upload (its new offset); with `media` set
  // when this chunk was its last.
  void take_chunk(const core::Responder& who, const std::string& upload_id, std::uint64_t offset,
                  std::string bytes, Done<v1::MediaUpload> done);

  // An incident's media, for who may read them.
  void list(const core::Responder& who, const std::string& incident_id, Done<v1::MediaList> done);
  // One media's original (or, with `shared`, its copy without location metadata). Reading an
  // original is audited (media.read): whoever took the evidence out is on record.
  void file(const core::Responder& who, const std::string& media_id, bool shared,
            Done<MediaFile> done);

  // May `who` read the media of `incident_id`? Answers the incident as `who` may see it; 404 to
  // anyone else (as GET /v1/incidents/{id} answers who may not see it).
  void check_reader(const core::Responder& who, const std::string& incident_id,
                    Done<v1::Incident> done);

  store::MediaStore& store() { return media_; }
  BlobStore& blobs() { return blobs_; }
  DiskThread& disk() { return disk_; }  // for other work on the media's disk (the bundle)

 private:
  struct Upload;      // one chunk on its way
  struct KeptUpload;  // what the disk thread made of a whole upload
  // `held`: how many bytes the upload holds after the chunk meant to end at `end` was written.
  void took_chunk(std::shared_ptr<Upload> upload, std::uint64_t end,
                  const DiskResult<std::uint64_t>& held);
  void finish(std::shared_ptr<Upload> u);
  // On the disk thread: the upload made a blob (and a photo's shared copy).
  static KeptUpload keep_upload(BlobStore& blobs, const store::UploadRecord& r,
                                core::MediaKind kind);
  void record_media(std::shared_ptr<Upload> u, DiskResult<KeptUpload> kept);
  void drop(const std::string& upload_id);  // the upload's bytes and record

  DispatchService& dispatch_;
  store::MediaStore& media_;
  BlobStore& blobs_;
  AuditTrail& audit_;
  const MediaConfig& config_;
  DiskThread disk_;  // last: joined first, while everything its work touches still stands
};

}  // namespace puente::app
