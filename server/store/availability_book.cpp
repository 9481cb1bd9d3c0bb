// The availability book in Redis: who set themselves available outside their shifts, and until
// when (keys.hpp: {p}available and its version).
#include "core/clock.hpp"
#include "core/ids.hpp"
#include "store/incident_store.hpp"
#include "store/replies.hpp"
#include "store/script_call.hpp"

#include <cstdlib>

namespace puente::store {

using redis::Reply;
using Clock = std::chrono::system_clock;
using core::to_ms;

AvailabilityBook AvailabilityBook::from_reply(const Reply& version, const Reply& flat) {
  AvailabilityBook book{version.str, {}};
  for (std::size_t i = 0; i + 1 < flat.elements.size(); i += 2)
    book.until[flat.elements[i].str] =
        Clock::time_point(std::chrono::milliseconds(std::atoll(flat.elements[i + 1].str.c_str())));
  return book;
}

std::set<std::string> AvailabilityBook::available_at(Clock::time_point now) const {
  std::set<std::string> ids;
  for (const auto& [id, end] : until)
    if (end > now) ids.insert(id);
  return ids;
}

void IncidentStore::set_available(const std::string& responder_id,
                                  std::optional<Clock::time_point> until,
                                  std::function<void(bool)> done) {
  using Arg = lua::SetAvailability::Arg;
  ScriptCall<lua::SetAvailability> call;
  call.key(lua::SetAvailability::Key::book, keys_.availability())
      .key(lua::SetAvailability::Key::book_version, keys_.availability_version());
  call.arg(Arg::responder, responder_id)
      .arg(Arg::until_ms, until ? std::to_string(to_ms(*until)) : "")
      .arg(Arg::new_version, core::new_id("av"));
  std::move(call).run(*redis_, [done = std::move(done)](auto ec, const Reply& reply) {
    done(!failed(ec, reply, "set availability"));
  });
}

void IncidentStore::availability(std::function<void(Outcome, AvailabilityBook)> done) {
  ScriptCall<lua::ReadAvailability> call;
  call.key(lua::ReadAvailability::Key::book, keys_.availability())
      .key(lua::ReadAvailability::Key::book_version, keys_.availability_version());
  std::move(call).run(*redis_, [done = std::move(done)](auto ec, Reply reply) {
    if (failed(ec, reply, "read availability") || reply.elements.size() < 2)
      return done(Outcome::unavailable, {});
    done(Outcome::ok, AvailabilityBook::from_reply(reply.elements[0], reply.elements[1]));
  });
}

void IncidentStore::available(Clock::time_point now,
                              std::function<void(Outcome, std::set<std::string>)> done) {
  availability([now, done = std::move(done)](Outcome outcome, AvailabilityBook book) {
    done(outcome, outcome == Outcome::ok ? book.available_at(now) : std::set<std::string>{});
  });
}

}  // namespace puente::store
