#include "app/media/media_desk.hpp"

#include "core/access.hpp"
#include "core/clock.hpp"
#include "core/ids.hpp"
#include "core/location_metadata.hpp"
#include "core/media_sniff.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <fstream>
#include <sstream>

namespace puente::app {

namespace {

core::MediaKind core_kind_of(v1::MediaKind kind) {
  switch (kind) {
    case v1::PHOTO: return core::MediaKind::photo;
    case v1::VIDEO: return core::MediaKind::video;
    case v1::AUDIO: return core::MediaKind::audio;
    default: return core::MediaKind::note;
  }
}

// "20261206": the UTC day a quota counts.
std::string media_quota_day(core::Clock::time_point now) {
  std::chrono::year_month_day day{std::chrono::floor<std::chrono::days>(now)};
  char text[16];
  std::snprintf(text, sizeof text, "%04d%02u%02u", static_cast<int>(day.year()),
                static_cast<unsigned>(day.month()), static_cast<unsigned>(day.day()));
  return text;
}

Refusal no_such_upload() {
  return Refusal::not_found("no such upload (finished, refused, or expired: start it again)");
}

std::string read_blob_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

}  // namespace

struct MediaDesk::Upload {
  const core::Responder* who;
  store::UploadRecord record;
  std::uint64_t offset = 0;
  Done<v1::MediaUpload> done;

  v1::MediaUpload answer(std::size_t chunk_bytes) const {
    v1::MediaUpload u;
    u.set_id(record.id);
    u.set_incident_id(record.incident_id);
    u.set_kind(record.kind);
    u.set_size(record.size);
    u.set_content_type(record.content_type);
    u.set_offset(offset);
    u.set_chunk_bytes(chunk_bytes);
    return u;
  }
};

MediaDesk::MediaDesk(boost::asio::any_io_executor executor, DispatchService& dispatch,
                     store::MediaStore& media, BlobStore& blobs, AuditTrail& audit,
                     const MediaConfig& config)
    : dispatch_(dispatch),
      media_(media),
      blobs_(blobs),
      audit_(audit),
      config_(config),
      disk_(std::move(executor)) {}

void MediaDesk::start(const core::Responder& who, const std::string& incident_id,
                      v1::MediaUpload declared, Done<v1::MediaUpload> done) {
  auto bad = [&](std::string why) { done(Refusal{RefusalKind::bad_upload, std::move(why)}, {}); };
  if (declared.kind() == v1::MEDIA_KIND_UNSPECIFIED || !v1::MediaKind_IsValid(declared.kind()))
    return bad("kind must be PHOTO, VIDEO, AUDIO or NOTE");
  if (declared.size() == 0) return bad("size (the whole file's bytes) must be given");
  if (declared.content_type().empty() || declared.content_type().size() > 100)
    return bad("contentType must name the file's type, as the browser gives it (image/jpeg)");
  auto limit = declared.kind() == v1::NOTE ? config_.max_note_bytes : config_.max_file_bytes;
  if (declared.size() > limit)
    return done(Refusal{RefusalKind::media_too_large,
                        "a file of this kind may have at most " + std::to_string(limit) + " bytes"},
                {});
  auto upload = std::make_shared<Upload>();
  upload->who = &who;
  upload->record = {.id = core::new_id("upl"),
                    .incident_id = incident_id,
                    .uploader_id = who.id,
                    .kind = declared.kind(),
                    .size = declared.size(),
                    .content_type = declared.content_type()};
  upload->done = std::move(done);
  dispatch_.view(who, incident_id, [this, upload](MaybeRefusal refusal, v1::Incident incident) {
    if (refusal) return upload->done(std::move(refusal), {});
    if (!core::may(*upload->who, core::Action::attach_media, {incident.neighborhood()}))
      return upload->done(Refusal::forbidden("you may not attach media to this incident"), {});
    auto expiry = std::chrono::duration_cast<std::chrono::milliseconds>(config_.upload_expiry);
    media_.open_upload(
        upload->record, media_quota_day(core::Clock::now()), config_.quota_bytes_per_day, expiry,
        [this, upload](store::MediaStore::Opened opened) {
          if (opened.outcome == store::Outcome::unavailable)
            return upload->done(Refusal::unavailable(), {});
          if (opened.outcome != store::Outcome::ok)
            return upload->done(Refusal{RefusalKind::media_quota_exceeded,
                                        "your uploads today (" + std::to_string(opened.used_today) +
                                            " bytes) and this one pass the quota of " +
                                            std::to_string(config_.quota_bytes_per_day) +
                                            " bytes a day; ask a dispatcher"},
                                {});
          upload->done(std::nullopt, upload->answer(config_.chunk_bytes));
        });
  });
}

void MediaDesk::progress(const core::Responder& who, const std::string& upload_id,
                         Done<v1::MediaUpload> done) {
  media_.load_upload(upload_id, [this, &who, done = std::move(done)](
                                    store::Outcome outcome, store::UploadRecord record) mutable {
    if (outcome == store::Outcome::unavailable) return done(Refusal::unavailable(), {});
    // Someone else's upload is none of theirs: the same answer as none at all.
    if (outcome != store::Outcome::ok || record.uploader_id != who.id)
      return done(no_such_upload(), {});
    auto u = std::make_shared<Upload>(Upload{&who, std::move(record), 0, std::move(done)});
    disk_.run([&blobs = blobs_, id = u->record.id] { return blobs.staged_size(id); },
              [this, u](DiskResult<std::uint64_t> staged) {
                if (!staged.value) {
                  spdlog::error("media: upload {} could not be read: {}", u->record.id,
                                staged.error);
                  return u->done(Refusal::unavailable(), {});
                }
                u->offset = *staged.value;
                u->done(std::nullopt, u->answer(config_.chunk_bytes));
              });
  });
}

void MediaDesk::take_chunk(const core::Responder& who, const std::string& upload_id,
                           std::uint64_t offset, std::string bytes, Done<v1::MediaUpload> done) {
  auto upload = std::make_shared<Upload>();
  upload->who = &who;
  upload->done = std::move(done);
  media_.load_upload(upload_id, [this, upload, offset, bytes = std::move(bytes)](
                                    store::Outcome outcome, store::UploadRecord record) mutable {
    if (outcome == store::Outcome::unavailable) return upload->done(Refusal::unavailable(), {});
    if (outcome != store::Outcome::ok || record.uploader_id != upload->who->id)
      return upload->done(no_such_upload(), {});
    upload->record = std::move(record);
    const auto& r = upload->record;
    if (bytes.empty() || offset + bytes.size() > r.size)
      return upload->done(Refusal{RefusalKind::bad_upload,
                                  "a chunk must hold bytes, and none past the declared size (" +
                                      std::to_string(r.size) + ")"},
                          {});
    // The first bytes say what the file is: a file that lies about its type goes no further.
    if (offset == 0 && !core::media_matches(core_kind_of(r.kind), r.content_type, bytes)) {
      drop(r.id);
      return upload->done(Refusal{RefusalKind::media_type_mismatch,
                                  "the file's bytes are not " + r.content_type + " (" +
                                      v1::MediaKind_Name(r.kind) + "): refused"},
                          {});
    }
    const auto end = offset + bytes.size();
    disk_.run(
        [&blobs = blobs_, id = r.id, offset, bytes = std::move(bytes)] {
          return blobs.append(id, offset, bytes);
        },
        [this, upload, end](DiskResult<std::uint64_t> held) { took_chunk(upload, end, held); });
  });
}

void MediaDesk::took_chunk(std::shared_ptr<Upload> upload, std::uint64_t end,
                           const DiskResult<std::uint64_t>& held) {
  const auto& r = upload->record;
  if (!held.value) {
    spdlog::error("media: upload {} could not be written: {}", r.id, held.error);
    return upload->done(Refusal::unavailable(), {});
  }
  upload->offset = *held.value;
  if (upload->offset != end)
    return upload->done(Refusal{RefusalKind::upload_offset_mismatch,
                                "the upload holds " + std::to_string(upload->offset) +
                                    " bytes: send from there (GET /v1/uploads/" + r.id + ")"},
                        {});
  if (upload->offset < r.size) {
    media_.extend_upload(
        r.id, std::chrono::duration_cast<std::chrono::milliseconds>(config_.upload_expiry));
    return upload->done(std::nullopt, upload->answer(config_.chunk_bytes));
  }
  finish(upload);
}

void MediaDesk::drop(const std::string& upload_id) {
  disk_.run(
      [&blobs = blobs_, upload_id] {
        blobs.drop_upload(upload_id);
        return true;
      },
      [](const DiskResult<bool>&) {});
  media_.drop_upload(upload_id, [](store::Outcome) {});
}

// What the disk thread makes of a whole upload (MediaDesk::finish).
struct MediaDesk::KeptUpload {
  bool refused_note = false;  // a note that is not UTF-8 text: dropped, nothing kept
  std::string head;           // the first bytes, which say the content type
  std::string sha256, shared_sha256;
};

void MediaDesk::finish(std::shared_ptr<Upload> u) {
  const auto& r = u->record;
  const auto kind = core_kind_of(r.kind);
  disk_.run([&blobs = blobs_, r, kind] { return keep_upload(blobs, r, kind); },
            [this, u](DiskResult<KeptUpload> kept) { record_media(u, std::move(kept)); });
}

MediaDesk::KeptUpload MediaDesk::keep_upload(BlobStore& blobs, const store::UploadRecord& r,
                                             core::MediaKind kind) {
  KeptUpload kept;
  if (kind == core::MediaKind::note &&
      !core::is_note_text(blobs.staged_head(r.id, static_cast<std::size_t>(r.size)))) {
    blobs.drop_upload(r.id);
    kept.refused_note = true;
    return kept;
  }
  kept.head = blobs.staged_head(r.id, core::media_sniff_bytes);
  kept.sha256 = blobs.keep_upload(r.id);
  // The shared copy: a photo without where it was taken. Made once, here, so sharing never
  // touches the original.
  if (kind == core::MediaKind::photo)
    if (auto original = blobs.find(kept.sha256))
      if (auto copy = core::without_location_metadata(read_blob_file(*original),
                                                      core::media_content_type(kind, kept.head)))
        kept.shared_sha256 = blobs.keep(*copy);
  return kept;
}

void MediaDesk::record_media(std::shared_ptr<Upload> u, DiskResult<KeptUpload> kept) {
  const auto& r = u->record;
  if (!kept.value) {
    spdlog::error("media: upload {} could not be kept: {}", r.id, kept.error);
    return u->done(Refusal::unavailable(), {});
  }
  if (kept.value->refused_note) {
    media_.drop_upload(r.id, [](store::Outcome) {});
    return u->done(Refusal{RefusalKind::media_type_mismatch, "a note must be UTF-8 text"}, {});
  }
  store::MediaRecord record;
  auto& m = record.media;
  m.set_id(core::new_id("med"));
  m.set_incident_id(r.incident_id);
  m.set_kind(r.kind);
  m.set_content_type(core::media_content_type(core_kind_of(r.kind), kept.value->head));
  m.set_size(r.size);
  m.set_uploader_id(r.uploader_id);
  *m.mutable_received_at() = core::now();
  m.set_sha256(kept.value->sha256);
  record.shared_sha256 = kept.value->shared_sha256;
  m.set_has_shared_copy(!record.shared_sha256.empty());
  // The hash enters the chain of custody now, before anyone can read the file.
  audit_.record(r.uploader_id, "media.received", r.incident_id,
                m.id() + " " + v1::MediaKind_Name(r.kind) + " " + std::to_string(r.size) +
                    " bytes sha256 " + m.sha256());
  media_.save_media(record, r.id, [this, u, record](store::Outcome outcome) {
    if (outcome == store::Outcome::unavailable) return u->done(Refusal::unavailable(), {});
    if (outcome != store::Outcome::ok)
      return u->done(Refusal::not_found("the incident is gone (purged); the file was not kept"),
                     {});
    spdlog::info("media: {} received for incident {} ({}, {} bytes)", record.media.id(),
                 record.media.incident_id(), v1::MediaKind_Name(record.media.kind()),
                 record.media.size());
    auto answer = u->answer(config_.chunk_bytes);
    *answer.mutable_media() = record.media;
    u->done(std::nullopt, std::move(answer));
  });
}

void MediaDesk::check_reader(const core::Responder& who, const std::string& incident_id,
                             Done<v1::Incident> done) {
  dispatch_.view(who, incident_id,
                 [&who, done = std::move(done)](MaybeRefusal refusal, v1::Incident incident) {
                   if (refusal) return done(std::move(refusal), {});
                   // 404 as for an incident they may not see: whether media exist is not theirs to
                   // know.
                   if (!core::may(who, core::Action::read_media, {incident.neighborhood()}))
                     return done(
                         Refusal::not_found("no such incident media: only dispatchers and the "
                                            "neighborhood's attorneys see an incident's media"),
                         {});
                   done(std::nullopt, std::move(incident));
                 });
}

void MediaDesk::list(const core::Responder& who, const std::string& incident_id,
                     Done<v1::MediaList> done) {
  check_reader(
      who, incident_id,
      [this, incident_id, done = std::move(done)](MaybeRefusal refusal, v1::Incident) mutable {
        if (refusal) return done(std::move(refusal), {});
        media_.media_of(incident_id, [done = std::move(done)](store::Outcome outcome,
                                                              std::vector<store::MediaRecord> all) {
          if (outcome != store::Outcome::ok) return done(Refusal::unavailable(), {});
          v1::MediaList list;
          for (auto& r : all) *list.add_media() = std::move(r.media);
          done(std::nullopt, std::move(list));
        });
      });
}

void MediaDesk::file(const core::Responder& who, const std::string& media_id, bool shared,
                     Done<MediaFile> done) {
  media_.load_media(media_id, [this, &who, shared, done = std::move(done)](
                                  store::Outcome outcome, store::MediaRecord record) mutable {
    if (outcome == store::Outcome::unavailable) return done(Refusal::unavailable(), {});
    if (outcome != store::Outcome::ok) return done(Refusal::not_found("no such media"), {});
    auto incident_id = record.media.incident_id();
    check_reader(
        who, incident_id,
        [this, &who, shared, record = std::move(record), done = std::move(done)](
            MaybeRefusal refusal, v1::Incident) mutable {
          if (refusal) return done(std::move(refusal), {});
          if (shared && record.shared_sha256.empty())
            return done(Refusal::not_found("this media has no shared copy (only photos get one)"),
                        {});
          // Apart from the run below: which of its two arguments is made first is unspecified.
          auto sha256 = shared ? record.shared_sha256 : record.media.sha256();
          disk_.run(
              [&blobs = blobs_, sha256 = std::move(sha256)] { return blobs.find(sha256); },
              [this, &who, shared, m = std::move(record.media),
               done = std::move(done)](DiskResult<std::optional<std::filesystem::path>> found) {
                if (!found.value || !*found.value) {
                  spdlog::error("media: the blob of {} is missing from the blob store", m.id());
                  return done(Refusal::not_found("the file is missing from the media store"), {});
                }
                if (!shared) audit_.record(who.id, "media.read", m.incident_id(), m.id());
                done(std::nullopt,
                     MediaFile{**found.value, m.content_type(),
                               m.id() + (shared ? "-shared." : ".") +
                                   std::string(core::media_extension(m.content_type()))});
              });
        });
  });
}

}  // namespace puente::app
