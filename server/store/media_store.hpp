#pragma once
// The media of incidents in Redis (docs/evidence.md): the uploads on their way with the
// uploaders' daily quotas, and the records of what arrived (keys.hpp: {p}upload:, {p}media:,
// {p}incident:{id}:media, {p}blob:, {p}media:quota:). The bytes are not here: they are in the
// blob store (app/media/blob_store.hpp), by SHA-256. The purge of an incident removes its media
// records (lua/purge_incident.lua). Every callback runs on the Redis connection's strand,
// exactly once.

#include "puente/v1/puente.pb.h"
#include "redis/connection.hpp"
#include "store/incident_store.hpp"
#include "store/keys.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace puente::store {

// An upload as declared (POST /v1/incidents/{id}/media).
struct UploadRecord {
  std::string id;
  std::string incident_id;
  std::string uploader_id;
  v1::MediaKind kind = v1::MEDIA_KIND_UNSPECIFIED;
  std::uint64_t size = 0;
  std::string content_type;  // as declared
};

// A media record: what the API shows, and the SHA-256 of its shared copy ("" for none).
struct MediaRecord {
  v1::Media media;
  std::string shared_sha256;
};

class MediaStore {
 public:
  MediaStore(std::shared_ptr<redis::Connection> redis, Keys keys);

  // Opens `upload`, counting its size against its uploader's quota of the UTC day `day`
  // ("20261206"). `quota_exceeded` (with the bytes already declared that day) changes nothing.
  struct Opened {
    Outcome outcome = Outcome::ok;  // ok, unavailable, or conflict: over the quota
    std::uint64_t used_today = 0;
  };
  void open_upload(const UploadRecord& upload, const std::string& day, std::uint64_t quota_bytes,
                   std::chrono::milliseconds expiry, std::function<void(Opened)> done);
  // The upload `id`; not_found once it expired, was finished or refused.
  void load_upload(const std::string& id, std::function<void(Outcome, UploadRecord)> done);
  // Keeps an upload alive another `expiry` after a chunk.
  void extend_upload(const std::string& id, std::chrono::milliseconds expiry);
  void drop_upload(const std::string& id, std::function<void(Outcome)> done);

  // Files `record` under its incident and ends its upload; not_found if the incident is gone.
  void save_media(const MediaRecord& record, const std::string& upload_id,
                  std::function<void(Outcome)> done);
  void media_of(const std::string& incident_id,
                std::function<void(Outcome, std::vector<MediaRecord>)> done);
  void load_media(const std::string& media_id, std::function<void(Outcome, MediaRecord)> done);

 private:
  std::shared_ptr<redis::Connection> redis_;
  Keys keys_;
};

}  // namespace puente::store
