// Reports, incidents, their steps and evidence, and acks.
#include "app/http/api_exchange.hpp"
#include "app/http/route_groups.hpp"
#include "channels/rung_worker.hpp"
#include "core/access.hpp"
#include "core/clock.hpp"

namespace puente::app::api {

namespace {

// Through the ack desk; an ack from a phone's notification (`phone` its subscription id) also
// counts as that phone being heard from.
void submit_ack(ApiServices& s, const Caller& caller, v1::Ack ack, Request&& request,
                Respond respond, std::string phone = {}) {
  auto req = std::make_shared<Request>(std::move(request));
  s.acks.submit(
      caller, std::move(ack),
      [&s, &who = caller.who, phone, req, respond = std::move(respond)](
          MaybeRefusal refusal, Accepted<v1::Ack> r) mutable {
        if (refusal) return respond(refusal_response(*refusal));
        // An ack repeated under its idempotency key is answered as the first was: 201.
        auto answer =
            encode(*req, r.taken == Taken::queued ? http::status::accepted : http::status::created,
                   r.value);
        if (phone.empty()) return respond(std::move(answer));
        s.phones.heard_from(who.id, phone, core::Clock::now(),
                            [respond = std::move(respond), answer = std::move(answer)](
                                store::Outcome) mutable { respond(std::move(answer)); });
      });
}

}  // namespace

void add_incident_routes(net::Router& router, ApiServices& s) {
  router.add(http::verb::post, "/v1/reports",
             authenticated_caller(
                 s,
                 [&s](const Caller& caller, Request&& request, RouteParams, Respond respond) {
                   v1::Report report;
                   if (auto refusal = decode(request, report)) {
                     s.metrics.reports_rejected.inc();
                     return respond(refusal_response(*refusal));
                   }
                   auto req = std::make_shared<Request>(std::move(request));
                   s.reports.submit(caller, std::move(report), v1::REPORT_SOURCE_API,
                                    [req, respond = std::move(respond)](
                                        MaybeRefusal refusal, Accepted<v1::ReportReceipt> r) {
                                      if (refusal) return respond(refusal_response(*refusal));
                                      respond(encode(*req, status_of(r.taken), r.value));
                                    });
                 },
                 /*take_limit=*/false));
  router.add(http::verb::get, "/v1/incidents",
             authenticated(s, [&s](const core::Responder& who, Request&& request,
                                   RouteParams params, Respond respond) {
               auto req = std::make_shared<Request>(std::move(request));
               s.dispatch.list(who, query(params, "status"), query(params, "neighborhood"),
                               answer<v1::IncidentList>(req, std::move(respond)));
             }));
  router.add(http::verb::get, "/v1/incidents/{id}",
             authenticated(s, [&s](const core::Responder& who, Request&& request,
                                   RouteParams params, Respond respond) {
               auto id = incident_id(params);
               if (!id) return respond(refusal_response(no_such_incident()));
               auto req = std::make_shared<Request>(std::move(request));
               s.dispatch.view(
                   who, *id,
                   [&s, done = answer<v1::Incident>(req, std::move(respond))](
                       MaybeRefusal refusal, v1::Incident incident) mutable {
                     // Who a text can reach (STOP aside), for the board's "unreachable" flag.
                     std::set<std::string> textable;
                     if (s.sms.enabled())
                       for (const auto& d : incident.deliveries())
                         if (const auto* r = s.roster.find(d.responder_id());
                             r && r->wants(core::ContactChannel::sms))
                           textable.insert(d.responder_id());
                     if (refusal || !s.push_on) {
                       if (!refusal) channels::mark_unreachable(incident, {}, s.delivery, textable);
                       return done(std::move(refusal), std::move(incident));
                     }
                     // Who a phone can reach, for the same flag, and whose phones have all gone
                     // quiet.
                     std::set<std::string> ids;
                     for (const auto& d : incident.deliveries()) ids.insert(d.responder_id());
                     s.push_deliveries.phones_of(
                         {ids.begin(), ids.end()},
                         [&s, done = std::move(done), incident = std::move(incident), textable](
                             store::Outcome, store::PushDeliveryStore::PhonesOf phones) mutable {
                           std::set<std::string> with_phone;
                           for (const auto& [id, theirs] : phones) with_phone.insert(id);
                           channels::mark_unreachable(incident, with_phone, s.delivery, textable);
                           channels::mark_quiet_phones(incident, phones, core::Clock::now(),
                                                       s.push.stale_after);
                           done({}, std::move(incident));
                         });
                   });
             }));
  // Evidence is an action like the steps (incidents/incident_desk.hpp), with a route of its own so
  // [rate_limits.routes] may limit it alone. Added first: the router takes the first match.
  auto act = authenticated_caller(
      s, [&s](const Caller& caller, Request&& request, RouteParams params, Respond respond) {
        auto id = incident_id(params);
        if (!id) return respond(refusal_response(no_such_incident()));
        auto word = params.path.count("step") ? params.path["step"] : std::string("evidence");
        if (!IncidentDesk::is_action(word))
          return respond(refusal_response(Refusal::not_found("no such incident action")));
        // An action may come with no body at all: the alert then gets its default text.
        std::optional<v1::IncidentAction> action;
        if (!request.body().empty())
          if (auto refusal = decode(request, action.emplace()))
            return respond(refusal_response(*refusal));
        auto req = std::make_shared<Request>(std::move(request));
        s.incidents.act(caller, *id, word, action, answer<v1::Incident>(req, std::move(respond)));
      });
  router.add(http::verb::post, "/v1/incidents/{id}/evidence", act);
  router.add(http::verb::post, "/v1/incidents/{id}/{step}", act);
  // An ack with a bearer token, or from a notification with the ack capability its push
  // carried (Authorization: Capability): the same desk either way, the capability's responder
  // as the sender, for the capability's alert alone.
  auto bearer_ack = authenticated_caller(
      s,
      [&s](const Caller& caller, Request&& request, RouteParams, Respond respond) {
        v1::Ack ack;
        if (auto refusal = decode(request, ack)) return respond(refusal_response(*refusal));
        submit_ack(s, caller, std::move(ack), std::move(request), std::move(respond));
      },
      /*take_limit=*/false);
  router.add(http::verb::post, "/v1/acks",
             [&s, bearer_ack](Request&& request, RouteParams params, Respond respond) {
               if (!has_capability(request))
                 return bearer_ack(std::move(request), std::move(params), std::move(respond));
               auto holder = authenticate_capability(s, request, params, respond,
                                                     /*take_limit=*/false);
               if (!holder) return;
               v1::Ack ack;
               if (auto refusal = decode(request, ack)) return respond(refusal_response(*refusal));
               if (ack.alert_id() != holder->capability.alert_id)
                 return respond(refusal_response({RefusalKind::capability_not_for_this_alert,
                                                  "the capability is for another alert"}));
               submit_ack(s, holder->caller, std::move(ack), std::move(request), std::move(respond),
                          holder->capability.subscription_id);
             });
}

}  // namespace puente::app::api
