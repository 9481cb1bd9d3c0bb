// A reply's reads and writes in Redis (see sms_reply_store.hpp).

#include "store/sms_reply_store.hpp"

#include "store/replies.hpp"

namespace puente::store {

using redis::Reply;

namespace {

// Kannel retries a post it got no answer to within minutes; a day covers any outage of ours.
constexpr std::chrono::hours inbound_kept{24};
// The hour's count outlives its hour so the next can still be compared (keys.hpp: 2 h).
constexpr std::chrono::hours count_kept{2};

}  // namespace

long long sms_hour(std::chrono::system_clock::time_point at) {
  return std::chrono::duration_cast<std::chrono::hours>(at.time_since_epoch()).count();
}

SmsReplyStore::SmsReplyStore(std::shared_ptr<redis::Connection> redis, Keys keys)
    : redis_(std::move(redis)), keys_(std::move(keys)) {}

void SmsReplyStore::take_inbound(const std::string& kannel_id, std::function<void(Outcome)> done) {
  redis_->execute({"SET", keys_.sms_inbound(kannel_id), "1", "NX", "EX",
                   std::to_string(std::chrono::seconds(inbound_kept).count())},
                  [done = std::move(done)](auto ec, Reply reply) {
                    if (failed(ec, reply, "take an inbound text"))
                      return done(Outcome::unavailable);
                    done(reply.is_nil() ? Outcome::repeated : Outcome::ok);
                  });
}

void SmsReplyStore::reply_codes(
    const std::string& responder_id,
    std::function<void(Outcome, std::map<std::string, std::string>)> done) {
  redis_->execute({"HGETALL", keys_.sms_codes(responder_id)},
                  [done = std::move(done)](auto ec, Reply reply) {
                    std::map<std::string, std::string> codes;
                    if (failed(ec, reply, "read reply codes"))
                      return done(Outcome::unavailable, codes);
                    const auto& flat = reply.elements;
                    for (std::size_t i = 0; i + 1 < flat.size(); i += 2)
                      codes[flat[i].str] = flat[i + 1].str;
                    done(Outcome::ok, std::move(codes));
                  });
}

void SmsReplyStore::set_stopped(const std::string& responder_id, bool stopped,
                                std::function<void(Outcome)> done) {
  redis_->execute({stopped ? "SADD" : "SREM", keys_.sms_stopped(), responder_id},
                  [done = std::move(done)](auto ec, Reply reply) {
                    if (failed(ec, reply, "stop or start texts")) return done(Outcome::unavailable);
                    done(reply.integer == 1 ? Outcome::ok : Outcome::repeated);
                  });
}

void SmsReplyStore::help_once(const std::string& responder_id, std::chrono::seconds window,
                              std::function<void(Outcome)> done) {
  redis_->execute(
      {"SET", keys_.sms_helped(responder_id), "1", "NX", "EX", std::to_string(window.count())},
      [done = std::move(done)](auto ec, Reply reply) {
        if (failed(ec, reply, "help once")) return done(Outcome::unavailable);
        done(reply.is_nil() ? Outcome::repeated : Outcome::ok);
      });
}

void SmsReplyStore::count_text(std::chrono::system_clock::time_point now) {
  const auto key = keys_.sms_count(sms_hour(now));
  redis_->execute({"INCR", key}, [](auto ec, Reply reply) { failed(ec, reply, "count a text"); });
  redis_->execute({"EXPIRE", key, std::to_string(std::chrono::seconds(count_kept).count())},
                  [](auto ec, Reply reply) { failed(ec, reply, "count a text"); });
}

}  // namespace puente::store
