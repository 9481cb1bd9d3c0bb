#include "store/media_store.hpp"

#include "core/clock.hpp"
#include "store/replies.hpp"
#include "store/script_call.hpp"

namespace puente::store {

namespace {

using redis::Reply;

// Two days: a day's count must outlive its UTC day wherever the node's clock is.
constexpr std::chrono::milliseconds media_quota_expiry{2 * 24 * 3600 * 1000};

}  // namespace

MediaStore::MediaStore(std::shared_ptr<redis::Connection> redis, Keys keys)
    : redis_(std::move(redis)), keys_(std::move(keys)) {}

void MediaStore::open_upload(const UploadRecord& upload, const std::string& day,
                             std::uint64_t quota_bytes, std::chrono::milliseconds expiry,
                             std::function<void(Opened)> done) {
  using Key = lua::OpenUpload::Key;
  using Arg = lua::OpenUpload::Arg;
  ScriptCall<lua::OpenUpload> call;
  call.key(Key::upload, keys_.upload(upload.id))
      .key(Key::quota, keys_.media_quota(upload.uploader_id, day));
  call.arg(Arg::incident, upload.incident_id)
      .arg(Arg::uploader, upload.uploader_id)
      .arg(Arg::kind, std::to_string(upload.kind))
      .arg(Arg::size, std::to_string(upload.size))
      .arg(Arg::content_type, upload.content_type)
      .arg(Arg::quota_bytes, std::to_string(quota_bytes))
      .arg(Arg::expiry_ms, std::to_string(expiry.count()))
      .arg(Arg::quota_expiry_ms, std::to_string(media_quota_expiry.count()));
  std::move(call).run(*redis_, [done = std::move(done)](auto ec, const Reply& reply) {
    if (failed(ec, reply, "open upload") || reply.elements.empty())
      return done({Outcome::unavailable, 0});
    if (reply.elements[0].str == "ok") return done({Outcome::ok, 0});
    auto used = reply.elements.size() > 1 ? std::stoull(reply.elements[1].str) : 0;
    done({Outcome::conflict, used});
  });
}

void MediaStore::load_upload(const std::string& id,
                             std::function<void(Outcome, UploadRecord)> done) {
  redis_->execute({"HMGET", keys_.upload(id), "incident", "uploader", "kind", "size", "type"},
                  [id, done = std::move(done)](auto ec, const Reply& reply) {
                    UploadRecord upload;
                    if (failed(ec, reply, "load upload")) return done(Outcome::unavailable, upload);
                    if (reply.elements.size() != 5 || reply.elements[0].is_nil())
                      return done(Outcome::not_found, upload);
                    upload.id = id;
                    upload.incident_id = reply.elements[0].str;
                    upload.uploader_id = reply.elements[1].str;
                    upload.kind = static_cast<v1::MediaKind>(std::stoi(reply.elements[2].str));
                    upload.size = std::stoull(reply.elements[3].str);
                    upload.content_type = reply.elements[4].str;
                    done(Outcome::ok, std::move(upload));
                  });
}

void MediaStore::extend_upload(const std::string& id, std::chrono::milliseconds expiry) {
  redis_->execute({"PEXPIRE", keys_.upload(id), std::to_string(expiry.count())},
                  [](auto ec, const Reply& reply) { failed(ec, reply, "extend upload"); });
}

void MediaStore::drop_upload(const std::string& id, std::function<void(Outcome)> done) {
  redis_->execute({"DEL", keys_.upload(id)}, [done = std::move(done)](auto ec, const Reply& reply) {
    done(failed(ec, reply, "drop upload") ? Outcome::unavailable : Outcome::ok);
  });
}

void MediaStore::save_media(const MediaRecord& record, const std::string& upload_id,
                            std::function<void(Outcome)> done) {
  const auto& m = record.media;
  using Key = lua::SaveMedia::Key;
  using Arg = lua::SaveMedia::Arg;
  ScriptCall<lua::SaveMedia> call;
  call.key(Key::incident, keys_.incident(m.incident_id()))
      .key(Key::incident_media, keys_.incident_media(m.incident_id()))
      .key(Key::media, keys_.media(m.id()))
      .key(Key::upload, keys_.upload(upload_id))
      .key(Key::activity, keys_.incident_activity())
      .key(Key::blob, keys_.blob_refs_prefix() + m.sha256());
  if (!record.shared_sha256.empty()) call.tail_key(keys_.blob_refs_prefix() + record.shared_sha256);
  call.arg(Arg::incident_id, m.incident_id())
      .arg(Arg::media_id, m.id())
      .arg(Arg::pb, m.SerializeAsString())
      .arg(Arg::sha, m.sha256())
      .arg(Arg::shared, record.shared_sha256)
      .arg(Arg::now_ms, std::to_string(core::to_ms(core::Clock::now())));
  std::move(call).run(*redis_, [done = std::move(done)](auto ec, const Reply& reply) {
    if (failed(ec, reply, "save media")) return done(Outcome::unavailable);
    done(reply.str == "ok" ? Outcome::ok : Outcome::not_found);
  });
}

void MediaStore::media_of(const std::string& incident_id,
                          std::function<void(Outcome, std::vector<MediaRecord>)> done) {
  using Key = lua::ListMedia::Key;
  using Arg = lua::ListMedia::Arg;
  ScriptCall<lua::ListMedia> call;
  call.key(Key::incident_media, keys_.incident_media(incident_id));
  call.arg(Arg::media_prefix, keys_.media_prefix());
  std::move(call).run(*redis_, [done = std::move(done)](auto ec, const Reply& reply) {
    std::vector<MediaRecord> out;
    if (failed(ec, reply, "list media")) return done(Outcome::unavailable, out);
    for (std::size_t i = 0; i + 1 < reply.elements.size(); i += 2) {
      MediaRecord r;
      if (!r.media.ParseFromString(reply.elements[i].str)) continue;
      r.shared_sha256 = reply.elements[i + 1].str;
      out.push_back(std::move(r));
    }
    done(Outcome::ok, std::move(out));
  });
}

void MediaStore::load_media(const std::string& media_id,
                            std::function<void(Outcome, MediaRecord)> done) {
  redis_->execute({"HMGET", keys_.media(media_id), "pb", "shared"},
                  [done = std::move(done)](auto ec, const Reply& reply) {
                    MediaRecord r;
                    if (failed(ec, reply, "load media")) return done(Outcome::unavailable, r);
                    if (reply.elements.size() != 2 || reply.elements[0].is_nil() ||
                        !r.media.ParseFromString(reply.elements[0].str))
                      return done(Outcome::not_found, r);
                    r.shared_sha256 = reply.elements[1].str;
                    done(Outcome::ok, std::move(r));
                  });
}

}  // namespace puente::store
