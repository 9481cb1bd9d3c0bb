#include "store/alert_lookup.hpp"

#include "core/clock.hpp"
#include "store/replies.hpp"
#include "store/script_call.hpp"

namespace puente::store {

using redis::Reply;

AlertLookup::AlertLookup(std::shared_ptr<redis::Connection> redis, Keys keys)
    : redis_(std::move(redis)), keys_(std::move(keys)) {}

void AlertLookup::incident_of(const std::string& alert_id,
                              std::chrono::system_clock::time_point active_since,
                              std::function<void(Outcome, std::string)> done) {
  using Key = lua::FindAlertIncident::Key;
  using Arg = lua::FindAlertIncident::Arg;
  ScriptCall<lua::FindAlertIncident> call;
  call.key(Key::activity, keys_.incident_activity())
      .arg(Arg::alert_id, alert_id)
      .arg(Arg::since_ms, std::to_string(core::to_ms(active_since)))
      .arg(Arg::incident_prefix, keys_.incident(""));
  std::move(call).run(*redis_, [done = std::move(done)](auto ec, Reply reply) {
    if (failed(ec, reply, "find an alert's incident")) return done(Outcome::unavailable, {});
    if (reply.str.empty()) return done(Outcome::not_found, {});
    done(Outcome::ok, std::move(reply.str));
  });
}

}  // namespace puente::store
