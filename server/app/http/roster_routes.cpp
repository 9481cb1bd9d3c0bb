// Who is on call now, and a responder's own availability.
#include "app/http/api_exchange.hpp"
#include "app/http/route_groups.hpp"
#include "app/wire_views.hpp"
#include "core/access.hpp"
#include "core/clock.hpp"
#include "core/on_call.hpp"
#include "store/incident_store.hpp"

#include <chrono>
#include <optional>
#include <set>
#include <vector>

namespace puente::app::api {

namespace {

// Availability set with no length lasts this long: a night's work.
constexpr std::chrono::hours default_availability{8};
constexpr int max_availability_minutes = 24 * 60;

// Who is on call at `now` (for `only`, or every neighborhood that has someone), the standby
// pool and the dispatchers.
v1::OnCall on_call_now(const NetworkRules& rules, const std::string& only,
                       std::chrono::system_clock::time_point now,
                       const std::set<std::string>& available) {
  v1::OnCall on_call;
  std::vector<std::string> all;
  for (const auto& n : rules.geo.neighborhoods()) {
    all.push_back(n.slug);
    if (!only.empty() && n.slug != only) continue;
    auto here = core::on_call_for(rules.roster, n.slug, now, rules.zone, available);
    if (here.empty() && only.empty()) continue;
    auto* entry = on_call.add_neighborhoods();
    entry->set_neighborhood(n.slug);
    for (const auto* r : here) *entry->add_responders() = to_wire(*r);
  }
  for (const auto* r : core::standby_pool(rules.roster, all, now, rules.zone, available))
    *on_call.add_standby() = to_wire(*r);
  for (const auto* r : core::dispatchers_on_call(rules.roster, now, rules.zone, available))
    *on_call.add_dispatchers() = to_wire(*r);
  // Names and roles only: where someone lives on call and what they read is not the
  // timeline's business.
  for (const auto& r : rules.roster.responders()) {
    auto* named = on_call.add_roster();
    named->set_id(r.id);
    named->set_name(r.name);
    for (auto role : r.roles) named->add_roles(std::string(core::to_string(role)));
  }
  *on_call.mutable_at() = core::to_timestamp(now);
  on_call.set_time_zone(rules.zone.name());
  return on_call;
}

// Lists, once each, the responders of the answer who hold a live socket now.
void mark_connected(v1::OnCall& on_call, const std::set<std::string>& connected) {
  std::set<std::string> listed;
  auto note = [&](const v1::Responder& r) {
    if (connected.count(r.id()) && listed.insert(r.id()).second) on_call.add_connected(r.id());
  };
  for (const auto& entry : on_call.neighborhoods())
    for (const auto& r : entry.responders()) note(r);
  for (const auto& r : on_call.standby()) note(r);
  for (const auto& r : on_call.dispatchers()) note(r);
}

// Every responder the answer lists, once each.
std::vector<std::string> listed_ids(const v1::OnCall& on_call) {
  std::set<std::string> ids;
  for (const auto& entry : on_call.neighborhoods())
    for (const auto& r : entry.responders()) ids.insert(r.id());
  for (const auto& r : on_call.standby()) ids.insert(r.id());
  for (const auto& r : on_call.dispatchers()) ids.insert(r.id());
  return {ids.begin(), ids.end()};
}

// Where `who` stands at `now` (issue 20), with `until`, the end of the availability they set
// themselves, if it is still ahead.
void fill_standing(v1::Availability& answer, const NetworkRules& rules, const core::Responder& who,
                   std::chrono::system_clock::time_point now,
                   std::optional<std::chrono::system_clock::time_point> until) {
  answer.set_responder_id(who.id);
  const bool available = until && *until > now;
  answer.set_available(available);
  if (available) *answer.mutable_until() = core::to_timestamp(*until);
  answer.set_on_shift(core::on_call(who, now, rules.zone));
  answer.set_standby(who.standby);
  answer.set_on_call(available || (answer.on_shift() && !who.standby));
}

}  // namespace

void add_roster_routes(net::Router& router, ApiServices& s) {
  router.add(
      http::verb::get, "/v1/roster/on-call",
      authenticated(s, [&s](const core::Responder& who, Request&& request, RouteParams params,
                            Respond respond) {
        if (!core::may(who, core::Action::watch_board))
          return respond(
              refusal_response(Refusal::forbidden("only dispatchers may see who is on call")));
        auto only = query(params, "neighborhood");
        if (!only.empty() && !s.rules.geo.find(only))
          return respond(refusal_response(
              {RefusalKind::unknown_neighborhood, "no neighborhood \"" + only + "\""}));
        auto req = std::make_shared<Request>(std::move(request));
        auto now = std::chrono::system_clock::now();
        s.store.available(
            now, [&s, req, only, now, respond = std::move(respond)](
                     store::Outcome outcome, std::set<std::string> available) mutable {
              if (outcome != store::Outcome::ok)
                return respond(refusal_response(Refusal::unavailable()));
              auto on_call = on_call_now(s.rules, only, now, available);
              auto ids = listed_ids(on_call);
              s.presence.connected_among(
                  ids, now,
                  [&s, req, ids, on_call = std::move(on_call), respond = std::move(respond)](
                      store::Outcome outcome, std::set<std::string> connected) mutable {
                    if (outcome != store::Outcome::ok)
                      return respond(refusal_response(Refusal::unavailable()));
                    mark_connected(on_call, connected);
                    // Who a phone can reach: one neither connected nor with a phone is
                    // flagged unreachable on the board.
                    s.push_deliveries.with_phone(
                        ids, [req, on_call = std::move(on_call), respond = std::move(respond)](
                                 store::Outcome outcome, std::set<std::string> with_phone) mutable {
                          if (outcome != store::Outcome::ok)
                            return respond(refusal_response(Refusal::unavailable()));
                          for (const auto& id : with_phone) on_call.add_with_phone(id);
                          respond(encode(*req, http::status::ok, on_call));
                        });
                  });
            });
      }));
  router.add(
      http::verb::post, "/v1/me/availability",
      authenticated(s, [&s](const core::Responder& who, Request&& request, RouteParams,
                            Respond respond) {
        v1::Availability availability;
        if (auto refusal = decode(request, availability))
          return respond(refusal_response(*refusal));
        if (availability.minutes() < 0 || availability.minutes() > max_availability_minutes)
          return respond(
              refusal_response({RefusalKind::bad_minutes, "minutes must be between 0 and 1440"}));
        std::optional<std::chrono::system_clock::time_point> until;
        if (availability.available())
          until = std::chrono::system_clock::now() +
                  (availability.minutes()
                       ? std::chrono::minutes(availability.minutes())
                       : std::chrono::duration_cast<std::chrono::minutes>(default_availability));
        auto req = std::make_shared<Request>(std::move(request));
        s.store.set_available(
            who.id, until,
            [&s, &who, req, availability, until, respond = std::move(respond)](bool ok) mutable {
              if (!ok) return respond(refusal_response(Refusal::unavailable()));
              fill_standing(availability, s.rules, who, std::chrono::system_clock::now(), until);
              respond(encode(*req, http::status::ok, availability));
            });
      }));
  // Where the caller stands now: on shift, standby, available until when, on call (issue 20).
  router.add(
      http::verb::get, "/v1/me/availability",
      authenticated(
          s, [&s](const core::Responder& who, Request&& request, RouteParams, Respond respond) {
            auto req = std::make_shared<Request>(std::move(request));
            s.store.availability([&s, &who, req, respond = std::move(respond)](
                                     store::Outcome outcome, store::AvailabilityBook book) mutable {
              if (outcome != store::Outcome::ok)
                return respond(refusal_response(Refusal::unavailable()));
              std::optional<std::chrono::system_clock::time_point> until;
              if (auto it = book.until.find(who.id); it != book.until.end()) until = it->second;
              v1::Availability answer;
              fill_standing(answer, s.rules, who, std::chrono::system_clock::now(), until);
              respond(encode(*req, http::status::ok, answer));
            });
          }));
}

}  // namespace puente::app::api
